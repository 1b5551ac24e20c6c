/*
 * rules_regression.c - models published as tables (doc/design.md, "Regression tables").
 *
 * A coefficient table is safe only with enough residual degrees of freedom
 * (ACRO: safe_dof_threshold, default 10). They come from a df_resid-like
 * column, else from the number of observations less the number of
 * coefficients; with neither, they are inferred where the table allows
 * it (dof_infer.c: from t and p, or from the standard error and the
 * confidence interval); without any of these the table cannot be judged
 * (dof-missing).
 */
#include <math.h>
#include <stdio.h>

#include "rules/dof_infer.h"
#include "rules/rules.h"

/* Neither df nor N: the df the published statistics imply. */
static void inferred(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    double need = ctx->policy->dof_threshold;
    sdc_dof_range d;
    if (!sdc_dof_infer(t, &d)) {
        sdc_finding_at at = {.line = t->header_line,
                             .advice = "add the residual degrees of freedom (df_resid) or the "
                                       "number of observations (nobs)"};
        sdc_findings_add(ctx->findings, "dof-missing", SDC_REVIEW, &at,
                         "regression table without residual degrees of freedom or number of "
                         "observations, and none of its rows allows them to be inferred (a t "
                         "statistic with its p-value, or a standard error with its interval)");
        return;
    }
    if (d.lo >= need)
        return;
    char range[64];
    if (isfinite(d.hi))
        snprintf(range, sizeof range, "%.1f to %.1f", d.lo, d.hi);
    else
        snprintf(range, sizeof range, "%.1f or more", d.lo);
    char labels[256], value[32];
    sdc_table_row_labels(t, d.row, labels, sizeof labels);
    snprintf(value, sizeof value, "%.1f", isfinite(d.hi) ? d.hi : d.lo);
    sdc_finding_at at = {.line = t->row_line[d.row],
                         .row = labels[0] ? labels : NULL,
                         .value = value,
                         .limit = need,
                         .has_limit = true};
    if (d.hi < need) {
        at.advice = "fit the model on more records or with fewer parameters";
        sdc_findings_add(ctx->findings, "dof", SDC_FAIL, &at,
                         "residual degrees of freedom inferred from %s: %s, below the minimum "
                         "of %g",
                         d.evidence, range, need);
    } else {
        at.advice = "publish the residual degrees of freedom (df_resid)";
        sdc_findings_add(ctx->findings, "dof", SDC_REVIEW, &at,
                         "residual degrees of freedom inferred from %s: %s, which may be below "
                         "the minimum of %g (the published figures are rounded)",
                         d.evidence, range, need);
    }
}

static void run(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    const sdc_policy *p = ctx->policy;
    if (t->shape != SDC_SHAPE_REGRESSION)
        return;
    long dof_col = -1, nobs_col = -1, estimate_col = -1;
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column_role role = t->columns[c].role;
        if (role == SDC_COL_DOF && dof_col < 0)
            dof_col = (long)c;
        else if ((role == SDC_COL_NOBS || role == SDC_COL_COUNT) && nobs_col < 0)
            nobs_col = (long)c;
        else if (role == SDC_COL_REGRESSION && estimate_col < 0)
            estimate_col = (long)c;
    }
    /* Coefficient rows: rows with a published estimate. */
    size_t coefficients = 0;
    for (size_t r = 0; r < t->nrows; r++)
        if (estimate_col >= 0 &&
            sdc_table_cell(t, r, (size_t)estimate_col)->kind == SDC_CELL_NUMBER)
            coefficients++;

    long source = dof_col >= 0 ? dof_col : nobs_col;
    if (source < 0) {
        inferred(ctx);
        return;
    }
    /* The smallest value in the column is the binding one. */
    long worst_row = -1;
    double worst = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const sdc_cell *cell = sdc_table_cell(t, r, (size_t)source);
        if (cell->kind != SDC_CELL_NUMBER)
            continue;
        double dof = dof_col >= 0 ? cell->number : cell->number - (double)coefficients;
        if (worst_row < 0 || dof < worst) {
            worst = dof;
            worst_row = (long)r;
        }
    }
    if (worst_row < 0) {
        sdc_finding_at at = {.line = t->header_line,
                             .column = t->columns[source].name,
                             .advice = "publish the residual degrees of freedom"};
        sdc_findings_add(ctx->findings, "dof-missing", SDC_REVIEW, &at,
                         "column '%s' holds no number", t->columns[source].name);
        return;
    }
    if (worst < p->dof_threshold) {
        if (dof_col >= 0)
            sdc_rule_cell(ctx, "dof", SDC_FAIL, (size_t)worst_row, (size_t)source, p->dof_threshold,
                          true, "fit the model on more records or with fewer parameters",
                          "%g residual degrees of freedom, below the minimum of %g", worst,
                          p->dof_threshold);
        else
            sdc_rule_cell(ctx, "dof", SDC_FAIL, (size_t)worst_row, (size_t)source, p->dof_threshold,
                          true, "fit the model on more records or with fewer parameters",
                          "%g residual degrees of freedom (observations less %zu "
                          "coefficients), below the minimum of %g",
                          worst, coefficients, p->dof_threshold);
    }
}

const sdc_rule_family sdc_rules_regression = {"regression", run};
