/*
 * rules_cells.c - cells of a measure that are no number.
 *
 * A count, a total or a statistic is a number, a suppression marker the
 * policy knows, a missing value or empty. Anything else in such a column
 * ("abc", "2\x04", a word where a count should be) is a value the rules
 * cannot judge: the cell is malformed (review), never passed over
 * (doc/design.md, "Errors and failing closed"). Regression columns, whose
 * cells carry stars and brackets, are judged by their own family.
 */
#include "rules/rules.h"

#define NAMED_PER_COLUMN 3

static bool is_measure(sdc_column_role role)
{
    switch (role) {
    case SDC_COL_COUNT:
    case SDC_COL_MAGNITUDE:
    case SDC_COL_MEAN:
    case SDC_COL_SPREAD:
    case SDC_COL_PERCENTILE:
    case SDC_COL_EXTREME:
    case SDC_COL_PERCENT:
    case SDC_COL_CONTRIBUTORS:
    case SDC_COL_LARGEST:
    case SDC_COL_DOF:
    case SDC_COL_NOBS: return true;
    default: return false;
    }
}

/* Empty cells of a measure in a table that marks no suppressed cell:
 * no value was published, and nothing says the cell was protected
 * (layout.c keeps them empty). One finding a column. */
static void empty_cells(const sdc_rule_ctx *ctx, size_t c)
{
    const sdc_table *t = ctx->table;
    size_t n = 0, first = 0;
    for (size_t r = 0; r < t->nrows; r++)
        if (sdc_table_cell(t, r, c)->kind == SDC_CELL_EMPTY && n++ == 0)
            first = r;
    if (n)
        sdc_rule_cell(ctx, "missing-values", SDC_REVIEW, first, c, 0, false,
                      "mark suppressed cells with a marker the policy lists (c, x, [c]), or write "
                      "0 for a group with no records",
                      "%zu empty cell%s in '%s': with no cell marked as suppressed, an empty cell "
                      "is a group with no value published, not a protected cell",
                      n, n == 1 ? "" : "s", t->columns[c].name);
}

/* Counts are whole numbers: a count column with fractions holds weighted
 * counts, rates or something else, and the threshold needs the records
 * behind it. */
static void fractional_counts(const sdc_rule_ctx *ctx, size_t c)
{
    const sdc_table *t = ctx->table;
    const sdc_column *col = &t->columns[c];
    if (col->role != SDC_COL_COUNT || col->non_integer == 0 || col->is_total)
        return;
    for (size_t r = 0; r < t->nrows; r++) {
        const sdc_cell *cell = sdc_table_cell(t, r, c);
        if (cell->kind == SDC_CELL_NUMBER && !cell->is_integer) {
            sdc_rule_cell(ctx, "malformed", SDC_REVIEW, r, c, 0, false,
                          "publish unweighted counts of records beside weighted estimates",
                          "count column '%s' holds %zu fractional value%s (weighted counts, or "
                          "not counts): the threshold needs the number of records",
                          col->name, col->non_integer, col->non_integer == 1 ? "" : "s");
            return;
        }
    }
}

static void run(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    for (size_t c = 0; c < t->ncols; c++) {
        const sdc_column *col = &t->columns[c];
        if (is_measure(col->role) && !col->is_total && col->role != SDC_COL_DOF &&
            col->role != SDC_COL_NOBS)
            empty_cells(ctx, c);
        fractional_counts(ctx, c);
        if (!is_measure(col->role) || col->text == 0 || col->is_total)
            continue;
        size_t named = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            const sdc_cell *cell = sdc_table_cell(t, r, c);
            if (cell->kind != SDC_CELL_TEXT || (t->row_is_total && t->row_is_total[r]))
                continue;
            if (named++ < NAMED_PER_COLUMN)
                sdc_rule_cell(ctx, "malformed", SDC_REVIEW, r, c, 0, false,
                              "write a number, or a suppression marker the policy lists",
                              "'%.40s' is neither a number nor a suppression marker", cell->text);
        }
        if (named > NAMED_PER_COLUMN)
            sdc_rule_column(ctx, "malformed", SDC_REVIEW, c,
                            "write a number, or a suppression marker the policy lists",
                            "%zu more cells of column '%s' are neither numbers nor suppression "
                            "markers",
                            named - NAMED_PER_COLUMN, col->name);
    }
}

const sdc_rule_family sdc_rules_cells = {"cells", run};
