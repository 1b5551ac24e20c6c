/*
 * rules.c - the registry of table rule families.
 *
 * Adding a family is one new rules_<name>.c and one line in `families`.
 * The families record findings through rule_finding.c, not through this
 * file, so the registry depends on the families and never the other way.
 */
#include <stdlib.h>

#include "rules/primary.h"
#include "rules/rules.h"
#include "table/table_build.h"

static const sdc_rule_family *const families[] = {
    &sdc_rules_microdata,  &sdc_rules_frequency,  &sdc_rules_magnitude, &sdc_rules_statistics,
    &sdc_rules_regression, &sdc_rules_identifier, &sdc_rules_secondary, &sdc_rules_cells,
};

/* Direct identifiers in a record-level table: one finding, the first cell
 * and how many hold one, beside the microdata finding. */
static void identifiers_in_records(const sdc_rule_ctx *ctx)
{
    sdc_findings found = {0};
    sdc_rule_ctx c = *ctx;
    c.findings = &found;
    sdc_rules_identifier.run(&c);
    size_t cells = 0;
    const sdc_finding *first = NULL;
    for (size_t i = 0; i < found.count; i++)
        if (found.items[i].verdict == SDC_FAIL) {
            cells++;
            first = first ? first : &found.items[i];
        }
    if (first) {
        sdc_finding_at at = {.line = first->line,
                             .row = first->row,
                             .column = first->column,
                             .value = first->value,
                             .advice = first->advice};
        sdc_findings_add(ctx->findings, "identifier", SDC_FAIL, &at,
                         "the records hold direct identifiers: %s%s", first->message,
                         cells > 1 ? " (and more: only the first is shown)" : "");
    }
    ctx->findings->incomplete |= found.incomplete;
    sdc_findings_free(&found);
}

/* The families some of whose rules are primary (primary.c): threshold
 * and group-disclosure (frequency), nk-rule, p-ratio and pq-rule
 * (magnitude), threshold of a statistic's count (statistics). */
static bool with_primary(const sdc_rule_family *f)
{
    return f == &sdc_rules_frequency || f == &sdc_rules_magnitude || f == &sdc_rules_statistics;
}

/* The rule families on CTX's table, in order. */
static void run_families(const sdc_rule_ctx *ctx)
{
    sdc_findings *findings = ctx->findings;
    /* Past max_table_rows the file is record-level data and fails as such;
     * the other rules on its first rows would only repeat that. */
    if (ctx->table->truncated) {
        sdc_rules_microdata.run(ctx);
        return;
    }
    /* Record-level data fails once, with its evidence: the other rules
     * on its rows would only repeat, cell by cell, that it may not leave
     * (a file of 15,000 records gave 15,000 findings). */
    size_t before = findings->count;
    sdc_rules_microdata.run(ctx);
    if (findings->count > before) {
        identifiers_in_records(ctx);
        return;
    }
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        if (families[i] != &sdc_rules_microdata &&
            (!ctx->primary_only || with_primary(families[i])))
            families[i]->run(ctx);
}

static void table_check(const sdc_table *t, const sdc_policy *policy, const sdc_id_scanner *scanner,
                        sdc_findings *findings, bool primary_only)
{
    sdc_rule_ctx ctx = {.table = t,
                        .policy = policy,
                        .scanner = scanner,
                        .findings = findings,
                        .primary_only = primary_only};
    size_t *label_cols = malloc((t->ncols + 1) * sizeof *label_cols);
    if (label_cols) {
        ctx.nlabel_cols = sdc_table_label_columns(t, label_cols);
        ctx.label_cols = label_cols;
    }
    run_families(&ctx);
    free(label_cols);
}

void sdc_table_check(const sdc_table *t, const sdc_policy *policy, const sdc_id_scanner *scanner,
                     sdc_findings *findings)
{
    table_check(t, policy, scanner, findings, false);
}

void sdc_table_check_primary(const sdc_table *t, const sdc_policy *policy,
                             const sdc_id_scanner *scanner, sdc_findings *findings)
{
    table_check(t, policy, scanner, findings, true);
}

void sdc_table_check_identifiers(const sdc_table *t, const sdc_policy *policy,
                                 const sdc_id_scanner *scanner, sdc_findings *findings)
{
    sdc_rule_ctx ctx = {
        .table = t, .policy = policy, .scanner = scanner, .findings = findings, .prose = true};
    sdc_rules_identifier.run(&ctx);
}
