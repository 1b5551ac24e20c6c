/*
 * rules.c - the registry of table rule families and their shared helpers.
 *
 * Adding a family is one new rules_<name>.c and one line in `families`.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

#include "rules/rules.h"

static const sdc_rule_family *const families[] = {
    &sdc_rules_microdata,  &sdc_rules_frequency,  &sdc_rules_magnitude, &sdc_rules_statistics,
    &sdc_rules_regression, &sdc_rules_identifier, &sdc_rules_secondary,
};

void sdc_table_check(const sdc_table *t, const sdc_policy *policy, const sdc_id_scanner *scanner,
                     sdc_findings *findings)
{
    sdc_rule_ctx ctx = {.table = t, .policy = policy, .scanner = scanner, .findings = findings};
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        families[i]->run(&ctx);
}

bool sdc_rule_value(const sdc_table *t, size_t r, long c, double *v)
{
    if (c < 0)
        return false;
    const sdc_cell *cell = sdc_table_cell(t, r, (size_t)c);
    if (cell->kind != SDC_CELL_NUMBER)
        return false;
    *v = cell->number;
    return true;
}

void sdc_format_number(double v, char *out, size_t size)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(out, size, "%.0f", v);
    else
        snprintf(out, size, "%.6g", v);
}

static void add_vf(const sdc_rule_ctx *ctx, const char *rule, sdc_verdict v,
                   const sdc_finding_at *at, const char *fmt, va_list ap)
{
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        return;
    sdc_findings_add(ctx->findings, rule, v, at, "%s", msg);
    free(msg);
}

void sdc_rule_cell(const sdc_rule_ctx *ctx, const char *rule, sdc_verdict v, size_t r, size_t c,
                   double limit, bool has_limit, const char *advice, const char *fmt, ...)
{
    const sdc_table *t = ctx->table;
    char labels[512];
    sdc_table_row_labels(t, r, labels, sizeof labels);
    sdc_finding_at at = {
        .line = t->row_line[r],
        .row = labels[0] ? labels : NULL,
        .column = t->columns[c].name,
        .value = sdc_table_cell(t, r, c)->text,
        .limit = limit,
        .has_limit = has_limit,
        .advice = advice,
    };
    va_list ap;
    va_start(ap, fmt);
    add_vf(ctx, rule, v, &at, fmt, ap);
    va_end(ap);
}

void sdc_rule_column(const sdc_rule_ctx *ctx, const char *rule, sdc_verdict v, size_t c,
                     const char *advice, const char *fmt, ...)
{
    const sdc_table *t = ctx->table;
    sdc_finding_at at = {
        .line = t->nrows ? t->row_line[0] : t->header_line,
        .column = t->columns[c].name,
        .advice = advice,
    };
    va_list ap;
    va_start(ap, fmt);
    add_vf(ctx, rule, v, &at, fmt, ap);
    va_end(ap);
}
