/*
 * rules_frequency.c - frequency table rules (doc/design.md, "Table rules") and totals.
 *
 * Per cell: threshold, zeros, rounding. Per row or column of categories:
 * group (class) disclosure and the additivity of published totals. (Whether
 * suppressed cells can be worked out is the audit's: rules_secondary.c.)
 *
 * Rows and columns are found the same way for long and wide tables: each
 * count cell gets coordinates (its row labels, plus the column's category
 * for a wide crosstab). For each dimension d, cells that agree on every
 * other coordinate form one line of the table; the cell whose coordinate d
 * is a total label is that line's total. This works for any number of
 * dimensions and for margins (Total/All rows in long tables) alike.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table/grid.h"
#include "sdccheck/spec.h"
#include "rules/rules.h"

/* What one line of the table adds up to. */
typedef struct line_sum {
    const sdc_grid_cell *total; /* the line's total cell, or NULL */
    size_t parts, published;    /* its categories, and those published */
    double sum;                 /* of the published parts */
    double largest;             /* the largest published part (-1: none) */
    const sdc_grid_cell *largest_cell;
    int decimals; /* the most written in a published part */
} line_sum;

/* What a line needs of each grid cell, read once in grid order (the
 * table's row order): a line's parts lie far apart in the table, and
 * reading each one's cell and text there was a cache miss or two per
 * part, 7% of `protect`'s time on the 5-D bench table. */
typedef struct cell_facts {
    double number;        /* NAN: not a published number */
    signed char decimals; /* as written */
    bool structural;      /* a declared structural zero */
} cell_facts;

/* G's cells' facts (NULL when out of memory). */
static cell_facts *facts_of(const sdc_table *t, const sdc_grid *g)
{
    cell_facts *f = malloc((g->count + 1) * sizeof *f);
    for (size_t i = 0; f && i < g->count; i++) {
        const sdc_grid_cell *gc = &g->cells[i];
        const sdc_cell *cell = sdc_table_cell(t, gc->row, gc->col);
        int dec = cell->kind == SDC_CELL_NUMBER ? sdc_number_decimals(cell->text) : 0;
        f[i] = (cell_facts){.number = cell->kind == SDC_CELL_NUMBER ? cell->number : NAN,
                            .decimals = (signed char)(dec < 127 ? dec : 127),
                            .structural =
                                sdc_table_spec_structural_zero(t->spec, t, gc->row, gc->col)};
    }
    return f;
}

/* Sums the line IDX[0..n) of G along dimension D into *S (F: G's cells'
 * facts). */
static void sum_line(const sdc_grid *g, const cell_facts *f, const size_t *idx, size_t n, size_t d,
                     line_sum *s)
{
    *s = (line_sum){.largest = -1};
    for (size_t i = 0; i < n; i++) {
        const cell_facts *c = &f[idx[i]];
        if (g->totals[idx[i] * g->dims + d]) {
            if (!s->total)
                s->total = &g->cells[idx[i]];
            continue;
        }
        /* A structural zero is not a category of its line: "everyone is
         * male" beside it was known before the table was made. */
        if (c->structural)
            continue;
        s->parts++;
        if (isnan(c->number))
            continue;
        s->published++;
        s->sum += c->number;
        if (c->decimals > s->decimals)
            s->decimals = c->decimals;
        if (c->number > s->largest) {
            s->largest = c->number;
            s->largest_cell = &g->cells[idx[i]];
        }
    }
}

/* totals-mismatch: only when every part is published, within the rounding
 * of the parts and of the total. */
static void check_total(const sdc_rule_ctx *ctx, const line_sum *s)
{
    if (!s->total || s->parts == 0 || s->published != s->parts)
        return;
    const sdc_cell *tc = sdc_table_cell(ctx->table, s->total->row, s->total->col);
    if (tc->kind != SDC_CELL_NUMBER)
        return;
    int decimals = s->decimals;
    int dec = sdc_number_decimals(tc->text);
    if (dec > decimals)
        decimals = dec;
    double tol = 1e-9 * fabs(tc->number);
    if (decimals > 0)
        tol += 0.5 * pow(10, -decimals) * (double)(s->parts + 1);
    if (ctx->policy->rounding_base > 0)
        tol += 0.5 * (double)ctx->policy->rounding_base * (double)(s->parts + 1);
    if (fabs(s->sum - tc->number) > tol) {
        char text[64];
        sdc_number_format(s->sum, text, sizeof text);
        sdc_rule_cell(ctx, "totals-mismatch", SDC_REVIEW, s->total->row, s->total->col, s->sum,
                      true, "check the total and its parts; publish totals that add up",
                      "the total %s differs from the sum of its %zu parts (%s)", tc->text, s->parts,
                      text);
    }
}

/* The name of CELL's line along D: the coordinates it shares with the
 * line, " / " between them, into OUT; "the table" when there are none. */
static const char *line_name(const sdc_grid *g, size_t d, const sdc_grid_cell *cell, char *out,
                             size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t k = 0; k < g->dims; k++) {
        if (k == d)
            continue;
        int w = snprintf(out + o, size - o, "%s%s", o ? " / " : "", cell->coord[k]);
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
    }
    return out[0] ? out : "the table";
}

/* group-disclosure: a category holding (nearly) everyone in its line, of
 * the published parts, or of the total when some part is hidden. */
static void check_group(const sdc_rule_ctx *ctx, const sdc_grid *g, size_t d, const line_sum *s)
{
    if (g->dims < 2 || s->published < 2 || s->largest_cell == NULL)
        return;
    double denom = s->sum;
    if (s->published < s->parts && s->total) {
        const sdc_cell *tc = sdc_table_cell(ctx->table, s->total->row, s->total->col);
        if (tc->kind != SDC_CELL_NUMBER)
            return;
        denom = tc->number;
    } else if (s->published < s->parts) {
        return;
    }
    if (denom <= 0)
        return;
    double share = s->largest / denom;
    if (share >= ctx->policy->group_share) {
        char shared[256];
        sdc_rule_cell(ctx, "group-disclosure", SDC_FAIL, s->largest_cell->row, s->largest_cell->col,
                      ctx->policy->group_share, true, ADVICE_SUPPRESS,
                      "one category holds %.0f%% of '%s' (limit %.0f%%): everyone in that "
                      "group shares the attribute",
                      share * 100, line_name(g, d, s->largest_cell, shared, sizeof shared),
                      ctx->policy->group_share * 100);
    }
}

/* Checks one line of the table: cells idx[0..n) along dimension D. */
static void check_line(const sdc_rule_ctx *ctx, const sdc_grid *g, const cell_facts *f,
                       const size_t *idx, size_t n, size_t d, bool counts)
{
    line_sum s;
    sum_line(g, f, idx, n, d, &s);
    check_total(ctx, &s);
    if (counts)
        check_group(ctx, g, d, &s);
}

/* What check_line needs besides the line itself. */
typedef struct line_ctx {
    const sdc_rule_ctx *rules;
    const cell_facts *facts;
    bool counts;
} line_ctx;

static void on_line(void *ctx, const sdc_grid *g, const size_t *idx, size_t n, size_t d)
{
    line_ctx *lc = ctx;
    check_line(lc->rules, g, lc->facts, idx, n, d, lc->counts);
}

static void check_lines(const sdc_rule_ctx *ctx, const sdc_grid_frame *f, long measure, bool counts)
{
    sdc_grid g = {0};
    line_ctx lc = {.rules = ctx, .counts = counts};
    int rc = sdc_grid_build_in(f, ctx->table, ctx->policy, measure, &g);
    cell_facts *facts = rc < 0 ? NULL : facts_of(ctx->table, &g);
    lc.facts = facts;
    if (!facts || sdc_grid_lines(&g, on_line, &lc) < 0)
        sdc_rule_lost(ctx);
    free(facts);
    sdc_grid_free(&g);
}

static void check_cells(const sdc_rule_ctx *ctx, size_t c)
{
    const sdc_table *t = ctx->table;
    const sdc_policy *p = ctx->policy;
    for (size_t r = 0; r < t->nrows; r++) {
        const sdc_cell *cell = sdc_table_cell(t, r, c);
        if (cell->kind != SDC_CELL_NUMBER || cell->is_percent)
            continue;
        double v = cell->number;
        if (v < 0) {
            sdc_rule_cell(ctx, "negative-values", SDC_REVIEW, r, c, 0, false,
                          "a count cannot be negative: check the table", "negative count %s",
                          cell->text);
            continue;
        }
        if (v > 0 && v < p->threshold) {
            sdc_rule_cell(ctx, "threshold", SDC_FAIL, r, c, p->threshold, true, ADVICE_SUPPRESS,
                          "count %s is below the threshold of %g", cell->text, p->threshold);
        } else if (v == 0 && p->zeros_are_disclosive &&
                   !sdc_table_spec_structural_zero(t->spec, t, r, c)) {
            sdc_rule_cell(ctx, "zeros", SDC_REVIEW, r, c, 0, false,
                          "suppress the zero, combine categories, or explain why it is "
                          "structural",
                          "zero count: it may disclose that nobody in this group has the "
                          "attribute");
        }
        if (p->rounding_base > 0) {
            double base = (double)p->rounding_base;
            bool ok;
            if (p->rounding_mode == SDC_ROUND_MIDPOINT)
                ok = v == 0 || fmod(v + base / 2, base) == 0;
            else
                ok = fmod(v, base) == 0;
            if (!ok) {
                char advice[96];
                snprintf(advice, sizeof advice, "round counts to %s %ld",
                         p->rounding_mode == SDC_ROUND_MIDPOINT ? "midpoints of base" : "base",
                         p->rounding_base);
                sdc_rule_cell(ctx, "rounding", SDC_FAIL, r, c, base, true, advice,
                              "count %s is not rounded to %s %ld", cell->text,
                              p->rounding_mode == SDC_ROUND_MIDPOINT ? "a midpoint of base"
                                                                     : "base",
                              p->rounding_base);
            }
        }
    }
}

static void run(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    bool any_count = false, any_percent = false, any_contributors = false;
    for (size_t c = 0; c < t->ncols; c++) {
        const sdc_column *col = &t->columns[c];
        if (col->role == SDC_COL_COUNT) {
            any_count = true;
            check_cells(ctx, c);
        }
        any_percent |= col->role == SDC_COL_PERCENT;
        any_contributors |= col->role == SDC_COL_CONTRIBUTORS || col->role == SDC_COL_NOBS;
    }
    bool any_numeric = false;
    for (size_t c = 0; c < t->ncols; c++)
        any_numeric |= t->columns[c].role != SDC_COL_LABEL && t->columns[c].role != SDC_COL_EMPTY;
    if (!any_numeric && t->nrows > 0) {
        sdc_finding_at at = {.line = t->header_line,
                             .advice = "a table publishes counts or statistics; a list of "
                                       "labels may be record-level data: a person must look"};
        sdc_findings_add(ctx->findings, "needs-review", SDC_REVIEW, &at,
                         "the table has no counts or measures, only labels");
    }
    if (any_percent && !any_count && !any_contributors) {
        for (size_t c = 0; c < t->ncols; c++)
            if (t->columns[c].role == SDC_COL_PERCENT) {
                sdc_rule_column(ctx, "percent-without-counts", SDC_REVIEW, c,
                                "publish the counts (denominators) beside the percentages",
                                "percentages or rates in '%s' are published without the "
                                "counts they come from",
                                t->columns[c].name);
                break;
            }
    }
    sdc_grid_frame f;
    sdc_grid_frame_init(t, &f);
    if (t->shape == SDC_SHAPE_WIDE) {
        check_lines(ctx, &f, -1, true);
    } else if (t->shape == SDC_SHAPE_LONG) {
        for (size_t c = 0; c < t->ncols; c++) {
            sdc_column_role role = t->columns[c].role;
            if (role == SDC_COL_COUNT)
                check_lines(ctx, &f, (long)c, true);
            else if (role == SDC_COL_MAGNITUDE && !ctx->primary_only)
                check_lines(ctx, &f, (long)c, false); /* totals only: never primary */
        }
    }
}

const sdc_rule_family sdc_rules_frequency = {"frequency", run};
