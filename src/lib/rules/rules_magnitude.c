/*
 * rules_magnitude.c - magnitude table rules (doc/design.md, "Table rules").
 *
 * A magnitude cell (a sum, or a mean whose total is mean x n) needs enough
 * contributors and no dominant one. Evidence comes from columns beside it:
 * contributors (n) and the largest contributions (max1, max2, ...).
 *
 * (n,k) dominance: the n largest contributions must stay below k of the
 * cell total (Hundepool et al., Statistical Disclosure Control, 2012,
 * section 4.2.2). When the table gives fewer ranks than n, the sum of the n
 * largest lies between the ranks given and those plus (missing ranks x the
 * smallest rank given): above k at the low end fails, within the bounds is
 * review. A cell with no more than n contributors always fails.
 * p% rule: (T - x1 - x2) >= p x1 (same source, 4.2.3); pq rule:
 * (T - x1 - x2) >= (p/q) x1.
 */
#include <math.h>
#include <stdio.h>

#include "rules/rules.h"

static void check_dominance(const sdc_rule_ctx *ctx, size_t r, size_t c, double total,
                            double contributors, bool have_n)
{
    const sdc_table *t = ctx->table;
    const sdc_policy *p = ctx->policy;
    const sdc_column *col = &t->columns[c];
    double x[8];
    int ranks = 0;
    while (ranks < 8 && sdc_rule_value(t, r, col->largest[ranks], &x[ranks]))
        ranks++;
    if (total <= 0)
        return;
    if (have_n && contributors == 1 && ranks == 1) {
        x[1] = 0;
        ranks = 2;
    }

    for (size_t i = 0; i < p->nk_count; i++) {
        int n = p->nk[i].n;
        double k = p->nk[i].k;
        if (have_n && contributors > 0 && contributors <= n) {
            sdc_rule_cell(ctx, "nk-rule", SDC_FAIL, r, c, k, true, ADVICE_SUPPRESS,
                          "(%d, %.0f%%) dominance: the cell has only %g contributor%s, so the "
                          "largest %d hold all of it",
                          n, k * 100, contributors, contributors == 1 ? "" : "s", n);
            continue;
        }
        if (ranks == 0)
            continue;
        int have = ranks < n ? ranks : n;
        double low = 0;
        for (int j = 0; j < have; j++)
            low += x[j];
        double high = low + (double)(n - have) * x[have - 1];
        if (low > k * total) {
            sdc_rule_cell(ctx, "nk-rule", SDC_FAIL, r, c, k, true, ADVICE_SUPPRESS,
                          "(%d, %.0f%%) dominance: the largest %d contribution%s hold%s %.1f%% "
                          "of the total",
                          n, k * 100, n, n == 1 ? "" : "s", have < n ? " at least" : "",
                          100 * low / total);
        } else if (high > k * total) {
            sdc_rule_cell(ctx, "nk-rule", SDC_REVIEW, r, c, k, true, ADVICE_CONTRIBUTORS,
                          "(%d, %.0f%%) dominance cannot be decided: only %d largest "
                          "contribution%s given and they may hold up to %.1f%% of the total",
                          n, k * 100, ranks, ranks == 1 ? " is" : "s are", 100 * high / total);
        }
    }

    /* With x1 alone, rest <= T - x1 (x2 >= 0): if even that is below p x1,
     * the rule fails whatever x2 is. */
    if (ranks == 1 && x[0] > 0 && p->p_ratio > 0 && total - x[0] < p->p_ratio * x[0]) {
        sdc_rule_cell(ctx, "p-ratio", SDC_FAIL, r, c, p->p_ratio, true, ADVICE_SUPPRESS,
                      "p%% rule: the rest of the cell after the largest contribution is "
                      "%.1f%% of it, so the second largest could estimate it to within that "
                      "(p = %g%%)",
                      100 * (total - x[0]) / x[0], p->p_ratio * 100);
    }
    if (ranks >= 2 && x[0] > 0) {
        double rest = total - x[0] - x[1];
        if (p->p_ratio > 0 && rest < p->p_ratio * x[0]) {
            sdc_rule_cell(ctx, "p-ratio", SDC_FAIL, r, c, p->p_ratio, true, ADVICE_SUPPRESS,
                          "p%% rule: the second largest contributor could estimate the largest "
                          "to within %.1f%% (p = %g%%)",
                          100 * (rest > 0 ? rest : 0) / x[0], p->p_ratio * 100);
        }
        if (p->pq_p > 0 && p->pq_q > 0 && rest < (p->pq_p / p->pq_q) * x[0]) {
            sdc_rule_cell(ctx, "pq-rule", SDC_FAIL, r, c, p->pq_p / p->pq_q, true, ADVICE_SUPPRESS,
                          "pq rule: the rest of the total (%g) is below p/q = %g of the largest "
                          "contribution",
                          rest, p->pq_p / p->pq_q);
        }
    }
}

static void check_column(const sdc_rule_ctx *ctx, size_t c)
{
    const sdc_table *t = ctx->table;
    const sdc_policy *p = ctx->policy;
    const sdc_column *col = &t->columns[c];
    bool is_mean = col->role == SDC_COL_MEAN;

    if (col->contributors < 0 && col->numeric > 0) {
        sdc_rule_column(ctx, "contributors-missing", SDC_REVIEW, c, ADVICE_CONTRIBUTORS,
                        "magnitude '%s' has no contributor counts, so the threshold cannot "
                        "be checked",
                        col->name);
    }
    /* Means need the threshold on n (doc/design.md, "Statistics"), and a
     * mean is a sum over n: dominance evidence is asked of both, so a
     * mean with its n and no largest contributions is reviewed, never
     * passed in silence. */
    if (col->largest[0] < 0 && col->numeric > 0 && p->nk_count + (p->p_ratio > 0) > 0) {
        sdc_rule_column(ctx, "contributors-missing", SDC_REVIEW, c, ADVICE_CONTRIBUTORS,
                        "%s '%s' has no largest contributions (max1, max2), so dominance "
                        "(nk-rule, p-ratio) cannot be checked",
                        is_mean ? "mean" : "magnitude", col->name);
    }

    for (size_t r = 0; r < t->nrows; r++) {
        const sdc_cell *cell = sdc_table_cell(t, r, c);
        if (cell->kind == SDC_CELL_MISSING && p->check_missing_values) {
            sdc_rule_cell(ctx, "missing-values", SDC_REVIEW, r, c, 0, false,
                          "explain the missing value or remove the cell",
                          "missing value in magnitude '%s'", col->name);
            continue;
        }
        if (cell->kind != SDC_CELL_NUMBER)
            continue;
        if (cell->number < 0)
            sdc_rule_cell(ctx, "negative-values", SDC_REVIEW, r, c, 0, false,
                          "dominance rules assume non-negative contributions: check the "
                          "cell by hand",
                          "negative magnitude %s", cell->text);
        double n = 0;
        bool have_n = sdc_rule_value(t, r, col->contributors, &n);
        if (col->contributors >= 0 && !have_n &&
            sdc_table_cell(t, r, (size_t)col->contributors)->kind == SDC_CELL_SUPPRESSED) {
            sdc_rule_cell(ctx, "threshold", SDC_REVIEW, r, c, p->threshold, true, ADVICE_SUPPRESS,
                          "the contributor count is suppressed but the value is published");
        }
        if (have_n && n == 0) { /* no contributors: the cell is a zero */
            sdc_rule_cell(ctx, "zeros", SDC_REVIEW, r, c, 0, false,
                          "a group with no records: check that publishing it discloses nothing",
                          "no contributors: the cell is a zero");
            continue;
        }
        if (have_n && n < p->threshold) {
            sdc_rule_cell(ctx, "threshold", SDC_FAIL, r, c, p->threshold, true, ADVICE_SUPPRESS,
                          "%g contributor%s, below the threshold of %g", n, n == 1 ? "" : "s",
                          p->threshold);
        }
        if (col->role == SDC_COL_MAGNITUDE || is_mean) {
            if (is_mean && !have_n)
                continue; /* the total of a mean needs n */
            double total = is_mean ? cell->number * n : cell->number;
            if (cell->number >= 0)
                check_dominance(ctx, r, c, total, n, have_n);
        }
    }
}

static void run(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    if (t->shape == SDC_SHAPE_REGRESSION)
        return;
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column_role role = t->columns[c].role;
        if (role == SDC_COL_MAGNITUDE || role == SDC_COL_MEAN)
            check_column(ctx, c);
    }
}

const sdc_rule_family sdc_rules_magnitude = {"magnitude", run};
