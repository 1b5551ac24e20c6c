/*
 * rules_secondary.c - is every suppressed cell protected? (doc/design.md, "Secondary suppression")
 *
 * The audit (audit.c) gives each suppressed cell the interval the
 * published cells leave it. lo == hi: the cell is recovered exactly
 * (secondary-recoverable, fail). An interval narrower than the policy's
 * protection_width (0: the threshold) is secondary-narrow (review); for
 * counts the width is the number of values the interval holds, so "<10"
 * ([0, 9], ten values) is as wide as the threshold asks. A total that
 * contradicts its own line is dropped by the audit
 * (sdc_audit_table_consistent) and named here as totals-mismatch.
 */
#include <math.h>
#include <stdio.h>

#include "rules/rules.h"
#include "sdccheck/audit.h"

/* Does T hide any count or magnitude cell? */
static bool hides_measures(const sdc_table *t)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (t->columns[c].suppressed > 0 &&
            (t->columns[c].role == SDC_COL_COUNT || t->columns[c].role == SDC_COL_MAGNITUDE))
            return true;
    return false;
}

/* Each total the audit dropped for contradicting its own line, as
 * totals-mismatch. */
static void report_contradictions(const sdc_rule_ctx *ctx, const sdc_audit *a)
{
    const sdc_table *t = ctx->table;
    for (size_t i = 0; i < a->dropped; i++) {
        const sdc_audit_dropped *d = &a->dropped_totals[i];
        if (d->why != SDC_AUDIT_DROP_CONTRADICTS)
            continue;
        char s[64];
        sdc_number_format(d->sum, s, sizeof s);
        sdc_rule_cell(ctx, "totals-mismatch", SDC_REVIEW, d->row, d->col, d->sum, true,
                      "check the total and its parts; publish totals that add up",
                      "no non-negative values of the suppressed parts make this total "
                      "(%s) add up: its published parts alone sum to %s; the audit "
                      "of the suppressed cells went on without it",
                      sdc_table_cell(t, d->row, d->col)->text, s);
    }
}

/* An audit that could not judge the cells: totals that cannot all hold,
 * or no time left. */
static void report_unfinished(const sdc_rule_ctx *ctx, const sdc_audit *a, double time_limit)
{
    const sdc_table *t = ctx->table;
    if (a->inconsistent) {
        sdc_finding_at at = {.line = t->header_line,
                             .advice = "check the published totals: no values of the suppressed "
                                       "cells make them add up"};
        sdc_findings_add(ctx->findings, "totals-mismatch", SDC_REVIEW, &at,
                         "the published totals cannot all hold with non-negative suppressed "
                         "cells, so their protection could not be audited");
    }
    if (a->unproved) {
        sdc_finding_at at = {.line = t->header_line,
                             .advice = "a person must check the suppression, or declare a "
                                       "smaller table"};
        sdc_findings_add(ctx->findings, "secondary-narrow", SDC_REVIEW, &at,
                         "%zu suppressed cell%s could not be proved protected: linked by more "
                         "than 20,000 equations, too many for the exact solver, and not covered "
                         "by the feasible points and cubes the audit found",
                         a->unproved, a->unproved == 1 ? "" : "s");
    } else if (a->timed_out) {
        sdc_finding_at at = {.line = t->header_line,
                             .advice = "a person must check the suppression, or declare a "
                                       "smaller table"};
        sdc_findings_add(ctx->findings, "secondary-narrow", SDC_REVIEW, &at,
                         "the audit of the suppressed cells did not finish in %.0f s", time_limit);
    }
    if (a->too_large) {
        sdc_finding_at at = {.line = t->header_line,
                             .advice = "a person must check the suppression, or publish the "
                                       "values in larger units"};
        sdc_findings_add(ctx->findings, "secondary-narrow", SDC_REVIEW, &at,
                         "the suppressed cells were not audited: the table holds values past "
                         "10^15, which the solver cannot read exactly");
    }
}

/* The finding for audited cell C judged against NEED (sdc_audit_judge):
 * recoverable (fail), narrow (review), else none. */
static void report_cell(const sdc_rule_ctx *ctx, const sdc_audit_cell *c, double need)
{
    sdc_audit_status status = sdc_audit_judge(c, need);
    if (status != SDC_AUDIT_RECOVERABLE && status != SDC_AUDIT_NARROW)
        return;
    char lo[32], hi[32];
    sdc_number_format(c->lo, lo, sizeof lo);
    if (isfinite(c->hi))
        sdc_number_format(c->hi, hi, sizeof hi);
    else
        snprintf(hi, sizeof hi, "unbounded");
    if (status == SDC_AUDIT_RECOVERABLE) {
        sdc_rule_cell(ctx, "secondary-recoverable", SDC_FAIL, c->row, c->col, 0, false,
                      "suppress further cells in the same rows and columns (secondary "
                      "suppression), or do not publish the totals",
                      "the suppressed cell can be worked out from the published cells: "
                      "it is %s",
                      lo);
        return;
    }
    double width = sdc_audit_width(c);
    sdc_rule_cell(ctx, "secondary-narrow", SDC_REVIEW, c->row, c->col, need, true,
                  "suppress further cells so the hidden value is less certain",
                  "the suppressed cell lies between %s and %s, a width of %g (the "
                  "policy asks for %g)",
                  lo, hi, width, need);
}

static void run(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    if (!hides_measures(t) || t->truncated)
        return;
    double need = sdc_audit_need(ctx->policy);
    double time_limit = sdc_audit_time_limit(t);
    sdc_audit a = {0};
    if (sdc_audit_table_consistent(t, ctx->policy, time_limit, need, &a) < 0) {
        sdc_rule_lost(ctx);
        if (!a.inconsistent) {
            sdc_audit_free(&a);
            return;
        }
    }
    report_contradictions(ctx, &a);
    report_unfinished(ctx, &a, time_limit);
    for (size_t i = 0; i < a.count && !a.inconsistent; i++)
        report_cell(ctx, &a.cells[i], need);
    sdc_audit_free(&a);
}

const sdc_rule_family sdc_rules_secondary = {"secondary", run};
