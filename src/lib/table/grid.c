/*
 * grid.c - cells as coordinates and the lines they form (see grid.h).
 */
#include <stdlib.h>
#include <string.h>

#include "table/grid.h"
#include "sdccheck/spec.h"

static bool is_count_column(const sdc_column *col)
{
    return col->role == SDC_COL_COUNT;
}

static bool is_total_label(const sdc_table *t, const sdc_policy *policy, const char *label)
{
    return sdc_strlist_contains(&policy->total_labels, label) ||
           sdc_table_spec_is_total(t->spec, label);
}

/* The text of a level's total in a column with declared levels. */
static const char level_total[] = "Total";

/* Ancestors of LABEL, root first, into PATH (at most MAX); returns the count. */
static size_t level_path(const sdc_table *t, const char *column, const char *label,
                         const char **path, size_t max)
{
    const char *chain[SDC_GRID_MAX_DIMS] = {0};
    size_t n = 0;
    for (const char *at = label; at && n < SDC_GRID_MAX_DIMS; n++) {
        chain[n] = at;
        at = sdc_table_spec_parent_label(t->spec, column, at);
    }
    size_t k = 0;
    for (size_t i = n; i-- > 0 && k < max;)
        path[k++] = chain[i];
    return k;
}

bool sdc_grid_next_measure(const sdc_table *t, size_t *at, long *measure)
{
    if (t->shape == SDC_SHAPE_WIDE) {
        *measure = -1;
        return (*at)++ == 0;
    }
    if (t->shape != SDC_SHAPE_LONG)
        return false;
    for (size_t c = *at; c < t->ncols; c++) {
        sdc_column_role role = t->columns[c].role;
        if (role == SDC_COL_COUNT || role == SDC_COL_MAGNITUDE) {
            *measure = (long)c;
            *at = c + 1;
            return true;
        }
    }
    *at = t->ncols;
    return false;
}

void sdc_grid_frame_init(const sdc_table *t, sdc_grid_frame *f)
{
    f->nl = 0;
    f->dims = 0;
    for (size_t c = 0; c < t->ncols && f->dims < SDC_GRID_MAX_DIMS - 1; c++) {
        const sdc_column *col = &t->columns[c];
        if (col->role != SDC_COL_LABEL || col->is_index)
            continue;
        sdc_grid_label *ld = &f->labels[f->nl++];
        ld->col = c;
        ld->levels = 1;
        ld->nested = sdc_table_spec_parent_column(t->spec, col->name) != NULL;
        ld->has_levels = sdc_table_spec_has_levels(t->spec, col->name);
        if (ld->has_levels) {
            const char *path[SDC_GRID_MAX_DIMS];
            for (size_t r = 0; r < t->nrows; r++) {
                size_t depth = level_path(t, col->name, sdc_table_cell(t, r, c)->text, path,
                                          SDC_GRID_MAX_DIMS);
                if (depth > ld->levels)
                    ld->levels = depth;
            }
            if (f->dims + ld->levels > SDC_GRID_MAX_DIMS - 1)
                ld->levels = SDC_GRID_MAX_DIMS - 1 - f->dims;
        }
        f->dims += ld->levels;
    }
}

int sdc_grid_build(const sdc_table *t, const sdc_policy *policy, long measure, sdc_grid *g)
{
    sdc_grid_frame f;
    sdc_grid_frame_init(t, &f);
    return sdc_grid_build_in(&f, t, policy, measure, g);
}

int sdc_grid_build_in(const sdc_grid_frame *f, const sdc_table *t, const sdc_policy *policy,
                      long measure, sdc_grid *g)
{
    bool wide = measure < 0;
    size_t dims = f->dims;
    g->dims = dims + (wide ? 1 : 0);
    g->count = 0;
    /* A long table's grid is one measure column; a crosstab's, its count
     * columns, listed once so that each row costs its cells, not the
     * table's width. */
    size_t ncols = 0;
    size_t *cols = NULL;
    if (wide) {
        for (size_t c = 0; c < t->ncols; c++)
            ncols += is_count_column(&t->columns[c]);
        cols = malloc((ncols + 1) * sizeof *cols);
        if (!cols)
            return -1;
        ncols = 0;
        for (size_t c = 0; c < t->ncols; c++)
            if (is_count_column(&t->columns[c]))
                cols[ncols++] = c;
    } else {
        ncols = (size_t)measure < t->ncols;
    }
    size_t n = t->nrows * ncols;
    g->cells = calloc(n + 1, sizeof *g->cells);
    g->coords = calloc(n * g->dims + 1, sizeof *g->coords);
    g->totals = calloc(n * g->dims + 1, sizeof *g->totals);
    if (!g->cells || !g->coords || !g->totals) {
        free(cols);
        sdc_grid_free(g);
        return -1;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        /* The row's coordinates, shared by its cells. */
        const char *coord[SDC_GRID_MAX_DIMS] = {0};
        bool total[SDC_GRID_MAX_DIMS] = {0};
        size_t d = 0;
        for (size_t l = 0; l < f->nl; l++) {
            const sdc_grid_label *ld = &f->labels[l];
            const char *text = sdc_table_cell(t, r, ld->col)->text;
            bool is_total = is_total_label(t, policy, text) || (ld->nested && !text[0]);
            if (ld->levels == 1 && !ld->has_levels) {
                coord[d] = text;
                total[d++] = is_total;
                continue;
            }
            const char *path[SDC_GRID_MAX_DIMS];
            size_t depth =
                is_total ? 0 : level_path(t, t->columns[ld->col].name, text, path, ld->levels);
            for (size_t k = 0; k < ld->levels; k++, d++) {
                coord[d] = k < depth ? path[k] : level_total;
                total[d] = k >= depth;
            }
        }
        for (size_t i = 0; i < ncols; i++) {
            size_t c = wide ? cols[i] : (size_t)measure;
            sdc_grid_cell *gc = &g->cells[g->count];
            gc->coord = g->coords + g->count * g->dims;
            gc->coord_total = g->totals + g->count * g->dims;
            g->count++;
            gc->row = r;
            gc->col = c;
            memcpy(gc->coord, coord, dims * sizeof *coord);
            memcpy(gc->coord_total, total, dims * sizeof *total);
            if (wide) {
                gc->coord[dims] = t->columns[c].name;
                gc->coord_total[dims] = t->columns[c].is_total;
            }
        }
    }
    free(cols);
    return 0;
}

/* Sorting cells by every coordinate but one groups a table's lines. */
typedef struct line_key {
    const sdc_grid *g;
    size_t skip;
} line_key;

static int cmp_except(const sdc_grid_cell *a, const sdc_grid_cell *b, size_t dims, size_t skip)
{
    for (size_t d = 0; d < dims; d++) {
        if (d == skip)
            continue;
        int k = strcmp(a->coord[d], b->coord[d]);
        if (k)
            return k;
    }
    return 0;
}

bool sdc_grid_same_line(const sdc_grid *g, size_t a, size_t b, size_t d)
{
    return cmp_except(&g->cells[a], &g->cells[b], g->dims, d) == 0;
}

/* qsort_r is a GNU extension; _GNU_SOURCE is set by the build. */
static int cmp_cells(const void *pa, const void *pb, void *arg)
{
    const line_key *k = arg;
    const sdc_grid_cell *a = &k->g->cells[*(const size_t *)pa];
    const sdc_grid_cell *b = &k->g->cells[*(const size_t *)pb];
    int c = cmp_except(a, b, k->g->dims, k->skip);
    if (c)
        return c;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

int sdc_grid_lines(const sdc_grid *g, sdc_grid_line_fn fn, void *ctx)
{
    if (g->count == 0)
        return 0;
    size_t *idx = malloc(g->count * sizeof *idx);
    if (!idx)
        return -1;
    for (size_t d = 0; d < g->dims; d++) {
        for (size_t i = 0; i < g->count; i++)
            idx[i] = i;
        line_key key = {.g = g, .skip = d};
        qsort_r(idx, g->count, sizeof *idx, cmp_cells, &key);
        size_t start = 0;
        for (size_t i = 1; i <= g->count; i++) {
            if (i == g->count ||
                cmp_except(&g->cells[idx[start]], &g->cells[idx[i]], g->dims, d) != 0) {
                fn(ctx, g, idx + start, i - start, d);
                start = i;
            }
        }
    }
    free(idx);
    return 0;
}

void sdc_grid_free(sdc_grid *g)
{
    free(g->cells);
    free(g->coords);
    free(g->totals);
    memset(g, 0, sizeof *g);
}
