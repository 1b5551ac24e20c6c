/*
 * rule_finding.c - how a rule family records what it found about a cell or
 * a column: the line, the row labels, the column name and the value as
 * published are filled in from the table, so every rule reports a place
 * the same way.
 */
#include <stdarg.h>

#include "rules/rules.h"
#include "table/table_build.h"

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

void sdc_rule_cell(const sdc_rule_ctx *ctx, const char *rule, sdc_verdict v, size_t r, size_t c,
                   double limit, bool has_limit, const char *advice, const char *fmt, ...)
{
    const sdc_table *t = ctx->table;
    char labels[512];
    if (ctx->label_cols)
        sdc_table_row_labels_in(t, ctx->label_cols, ctx->nlabel_cols, r, labels, sizeof labels);
    else
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
    sdc_findings_addv(ctx->findings, rule, v, &at, fmt, ap);
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
    sdc_findings_addv(ctx->findings, rule, v, &at, fmt, ap);
    va_end(ap);
}

void sdc_rule_lost(const sdc_rule_ctx *ctx)
{
    sdc_findings_mark_incomplete(ctx->findings, SDC_INCOMPLETE_MEMORY);
}
