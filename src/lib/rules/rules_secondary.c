/*
 * rules_secondary.c - is every suppressed cell protected? (doc/design.md, "Secondary suppression")
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
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "table/grid.h"
#include "rules/rules.h"
#include "sdccheck/audit.h"

/* Totals that no non-negative values of their hidden parts can meet. */
typedef struct contradiction {
    const sdc_table *t;
    const sdc_policy *p;
    size_t *cells; /* body row * ncols + col of each total */
    double *sum;   /* its published parts' sum */
    size_t count, cap;
    bool oom; /* a total could not be kept */
} contradiction;

static void on_line(void *vctx, const sdc_grid *g, const size_t *idx, size_t n, size_t d)
{
    contradiction *x = vctx;
    const sdc_grid_cell *total = NULL;
    double published = 0, room = 0;
    bool hidden = false;
    for (size_t i = 0; i < n; i++) {
        const sdc_grid_cell *gc = &g->cells[idx[i]];
        const sdc_cell *c = sdc_table_cell(x->t, gc->row, gc->col);
        if (gc->coord_total[d]) {
            if (!total)
                total = gc;
            continue;
        }
        if (c->kind == SDC_CELL_NUMBER) {
            published += c->number;
        } else if (c->kind == SDC_CELL_SUPPRESSED) {
            hidden = true;
            room = c->bound_hi >= 0 && isfinite(room) ? room + c->bound_hi : INFINITY;
        } else {
            return; /* a part is text: the audit does not use this total */
        }
    }
    if (!total || !hidden)
        return; /* all parts published: the totals rule says whether it adds up */
    const sdc_cell *tc = sdc_table_cell(x->t, total->row, total->col);
    if (tc->kind != SDC_CELL_NUMBER)
        return;
    double tol = 1e-9 * fabs(tc->number) +
                 (x->p->rounding_base > 0 ? 0.5 * (double)x->p->rounding_base * (double)n : 0);
    if (tc->number - published >= -tol && tc->number - published <= room + tol)
        return;
    if (x->count == x->cap) {
        size_t cap = sdc_vec_capacity(x->cap, x->count + 1);
        if (!cap || SDC_VEC_RESIZE(x->cells, cap) < 0 || SDC_VEC_RESIZE(x->sum, cap) < 0) {
            x->oom = true;
            return;
        }
        x->cap = cap;
    }
    x->cells[x->count] = total->row * x->t->ncols + total->col;
    x->sum[x->count++] = published;
}

/*
 * The totals that contradict their own line, found line by line, and
 * dropped: a copy of T's cells with those totals made text, so that the
 * audit leaves them out (as it does a total with a text part). Returns the
 * copy (free it) or NULL when no single total is to blame.
 */
static sdc_cell *drop_contradictions(const sdc_rule_ctx *ctx, contradiction *x)
{
    const sdc_table *t = ctx->table;
    x->t = t;
    x->p = ctx->policy;
    long m;
    sdc_grid_frame f;
    sdc_grid_frame_init(t, &f);
    for (size_t at = 0; sdc_grid_next_measure(t, &at, &m);) {
        sdc_grid g = {0};
        if (sdc_grid_build_in(&f, t, ctx->policy, m, &g) < 0 || sdc_grid_lines(&g, on_line, x) < 0)
            x->oom = true;
        sdc_grid_free(&g);
    }
    if (x->oom)
        sdc_rule_lost(ctx);
    if (x->count == 0)
        return NULL;
    sdc_cell *cells = malloc(t->nrows * t->ncols * sizeof *cells + 1);
    if (!cells) {
        sdc_rule_lost(ctx);
        return NULL;
    }
    memcpy(cells, t->cells, t->nrows * t->ncols * sizeof *cells);
    for (size_t i = 0; i < x->count; i++)
        cells[x->cells[i]].kind = SDC_CELL_TEXT;
    return cells;
}

/* Does T hide any count or magnitude cell? */
static bool hides_measures(const sdc_table *t)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (t->columns[c].suppressed > 0 &&
            (t->columns[c].role == SDC_COL_COUNT || t->columns[c].role == SDC_COL_MAGNITUDE))
            return true;
    return false;
}

/* Each total dropped for contradicting its own line, as totals-mismatch. */
static void report_contradictions(const sdc_rule_ctx *ctx, const contradiction *x)
{
    const sdc_table *t = ctx->table;
    for (size_t i = 0; i < x->count; i++) {
        char s[64];
        sdc_number_format(x->sum[i], s, sizeof s);
        sdc_rule_cell(ctx, "totals-mismatch", SDC_REVIEW, x->cells[i] / t->ncols,
                      x->cells[i] % t->ncols, x->sum[i], true,
                      "check the total and its parts; publish totals that add up",
                      "no non-negative values of the suppressed parts make this total "
                      "(%s) add up: its published parts alone sum to %s; the audit "
                      "of the suppressed cells went on without it",
                      sdc_table_cell(t, x->cells[i] / t->ncols, x->cells[i] % t->ncols)->text, s);
    }
}

/* An inconsistent audit A: drop the totals that contradict their own
 * line, say which, and audit the rest into A again (still inconsistent
 * when no single total is to blame, or when that audit fails). */
static void audit_without_contradictions(const sdc_rule_ctx *ctx, double time_limit, double need,
                                         sdc_audit *a)
{
    contradiction x = {0};
    sdc_cell *cells = drop_contradictions(ctx, &x);
    if (cells) {
        sdc_table without = *ctx->table;
        without.cells = cells;
        sdc_audit_free(a);
        if (sdc_audit_table(&without, ctx->policy, time_limit, need, a) < 0) {
            a->inconsistent = true;
            sdc_rule_lost(ctx);
        }
        report_contradictions(ctx, &x);
        free(cells);
    }
    free(x.cells);
    free(x.sum);
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
    if (a->timed_out) {
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
    if (sdc_audit_table(t, ctx->policy, time_limit, need, &a) < 0) {
        sdc_audit_free(&a);
        sdc_rule_lost(ctx);
        return;
    }
    if (a.inconsistent)
        audit_without_contradictions(ctx, time_limit, need, &a);
    report_unfinished(ctx, &a, time_limit);
    for (size_t i = 0; i < a.count && !a.inconsistent; i++)
        report_cell(ctx, &a.cells[i], need);
    sdc_audit_free(&a);
}

const sdc_rule_family sdc_rules_secondary = {"secondary", run};
