/*
 * rules_secondary.c - is every suppressed cell protected? (SPEC 5.7)
 *
 * The audit (audit.c) gives each suppressed cell the interval the
 * published cells leave it. lo == hi: the cell is recovered exactly
 * (secondary-recoverable, fail). An interval narrower than the policy's
 * protection_width (0: the threshold) is secondary-narrow (review); for
 * counts the width is the number of values the interval holds, so "<10"
 * ([0, 9], ten values) is as wide as the threshold asks.
 */
#include <math.h>
#include <stdio.h>

#include "rules.h"
#include "sdccheck/audit.h"

/* Seconds one table's audit may take before it is reported unfinished. */
#define AUDIT_TIME_LIMIT 30.0

static void run(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    const sdc_policy *p = ctx->policy;
    bool any = false;
    for (size_t c = 0; c < t->ncols && !any; c++)
        any = t->columns[c].suppressed > 0 &&
              (t->columns[c].role == SDC_COL_COUNT || t->columns[c].role == SDC_COL_MAGNITUDE);
    if (!any || t->truncated)
        return;
    double width_needed = p->protection_width > 0 ? p->protection_width : p->threshold;
    sdc_audit a = {0};
    if (sdc_audit_table(t, p, AUDIT_TIME_LIMIT, width_needed, &a) < 0) {
        sdc_audit_free(&a);
        return;
    }
    if (a.inconsistent) {
        sdc_finding_at at = {.line = t->header_line,
                             .advice = "check the published totals: no values of the suppressed "
                                       "cells make them add up"};
        sdc_findings_add(ctx->findings, "totals-mismatch", SDC_REVIEW, &at,
                         "the published totals cannot all hold with non-negative suppressed "
                         "cells, so their protection could not be audited");
    }
    if (a.timed_out) {
        sdc_finding_at at = {.line = t->header_line,
                             .advice = "a person must check the suppression, or declare a "
                                       "smaller table"};
        sdc_findings_add(ctx->findings, "secondary-narrow", SDC_REVIEW, &at,
                         "the audit of the suppressed cells did not finish in %.0f s",
                         AUDIT_TIME_LIMIT);
    }
    for (size_t i = 0; i < a.count && !a.inconsistent; i++) {
        const sdc_audit_cell *c = &a.cells[i];
        if (!c->solved)
            continue;
        char lo[32], hi[32];
        sdc_format_number(c->lo, lo, sizeof lo);
        if (isfinite(c->hi))
            sdc_format_number(c->hi, hi, sizeof hi);
        else
            snprintf(hi, sizeof hi, "unbounded");
        if (isfinite(c->hi) && c->hi - c->lo < 1e-9) {
            sdc_rule_cell(ctx, "secondary-recoverable", SDC_FAIL, c->row, c->col, 0, false,
                          "suppress further cells in the same rows and columns (secondary "
                          "suppression), or do not publish the totals",
                          "the suppressed cell can be worked out from the published cells: "
                          "it is %s",
                          lo);
            continue;
        }
        double width = c->integer ? floor(c->hi) - ceil(c->lo) + 1 : c->hi - c->lo;
        if (isfinite(c->hi) && width < width_needed)
            sdc_rule_cell(ctx, "secondary-narrow", SDC_REVIEW, c->row, c->col, width_needed, true,
                          "suppress further cells so the hidden value is less certain",
                          "the suppressed cell lies between %s and %s, a width of %g (the "
                          "policy asks for %g)",
                          lo, hi, width, width_needed);
    }
    sdc_audit_free(&a);
}

const sdc_rule_family sdc_rules_secondary = {"secondary", run};
