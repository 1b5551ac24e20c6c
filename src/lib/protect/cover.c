/*
 * cover.c - complements for a two-dimensional table chosen by a matching.
 *
 * A crosstab with margins is a bipartite graph: its lines along one
 * dimension (the rows, the row of totals among them) on one side, the
 * lines along the other on the other side, and each cell an edge between
 * the two lines through it. A line with a total that hides exactly one
 * cell gives it away, so every such line needs a second hidden cell. The
 * heuristic's greedy rule gives each such line one complement in turn,
 * preferring one that closes a rectangle; a complement at the crossing of
 * two lines that each hide one cell serves both, and the most such
 * crossings at once are a maximum matching between those lines (Kuhn's
 * augmenting paths), cheapest cells tried first. The lines left over get
 * one complement each, in a line that already hides two cells or more
 * where there is one (a line hiding none would then hide one alone).
 * Lines hiding no cell alone are what the optimal pattern needs too, so
 * the fewest complements for that part are one per matched pair and one
 * per line left over.
 *
 * That is necessary, not sufficient: a cell can still be pinned (on no
 * cycle of hidden cells, or too narrow by its neighbours' values); the
 * heuristic's rounds and audits judge the result and add what it lacks.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "audit/cube.h"
#include "protect/cover.h"

typedef struct edge {
    uint32_t cell;
    double value;
} edge;

static int by_value_up(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    return (x->cell > y->cell) - (x->cell < y->cell);
}

typedef struct cover {
    const sdc_grid *g;
    const sdc_cellkey *k;
    unsigned char *state; /* a copy: what the cover hides turns HIDDEN */
    const double *value;
    double need;
    uint32_t *deg;       /* per line: its hidden cells (its total among them) */
    uint32_t *adj_start; /* per line along dimension 1: its candidate cells */
    edge *adj;
    long *match_cell; /* per line along dimension 0: the matched cell, or -1 */
    unsigned char *seen;
    uint32_t *chosen;
    size_t nchosen;
} cover;

/* Does line L give away a cell it hides alone? */
static bool alone(const cover *c, uint32_t l)
{
    return c->deg[l] == 1 && c->k->line_total[l] >= 0;
}

static void hide(cover *c, uint32_t i)
{
    c->state[i] = SDC_CUBE_HIDDEN;
    c->deg[sdc_cellkey_line(c->k, i, 0)]++;
    c->deg[sdc_cellkey_line(c->k, i, 1)]++;
    c->chosen[c->nchosen++] = i;
}

/* Kuhn's augmenting path from line L (along dimension 1). */
static bool augment(cover *c, uint32_t l)
{
    for (uint32_t q = c->adj_start[l]; q < c->adj_start[l + 1]; q++) {
        uint32_t i = c->adj[q].cell, r = sdc_cellkey_line(c->k, i, 0);
        if (c->seen[r])
            continue;
        c->seen[r] = 1;
        if (c->match_cell[r] < 0 ||
            augment(c, sdc_cellkey_line(c->k, (size_t)c->match_cell[r], 1))) {
            c->match_cell[r] = i;
            return true;
        }
    }
    return false;
}

/* The complements at the crossings of a maximum matching between the
 * lines that hide a cell alone. Returns how many, or -1 when out of
 * memory. */
static long match(cover *c)
{
    const sdc_cellkey *k = c->k;
    size_t n = c->g->count, ne = 0;
    edge *es = malloc((n + 1) * sizeof *es);
    if (!es)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (c->state[i] == SDC_CUBE_PUBLISHED && c->value[i] >= c->need &&
            alone(c, sdc_cellkey_line(k, i, 0)) && alone(c, sdc_cellkey_line(k, i, 1)))
            es[ne++] = (edge){(uint32_t)i, c->value[i]};
    qsort(es, ne, sizeof *es, by_value_up);
    /* adjacency per line along dimension 1, cheapest first (a stable
     * counting sort of the sorted edges) */
    memset(c->adj_start, 0, (k->nlines + 1) * sizeof *c->adj_start);
    for (size_t q = 0; q < ne; q++)
        c->adj_start[sdc_cellkey_line(k, es[q].cell, 1) + 1]++;
    for (size_t l = 0; l < k->nlines; l++)
        c->adj_start[l + 1] += c->adj_start[l];
    for (size_t q = 0; q < ne; q++) {
        uint32_t l = sdc_cellkey_line(k, es[q].cell, 1);
        /* adj_start[l] is the next free place; shifted back below */
        c->adj[c->adj_start[l]++] = es[q];
    }
    for (size_t l = k->nlines; l > 0; l--)
        c->adj_start[l] = c->adj_start[l - 1];
    c->adj_start[0] = 0;
    for (size_t l = 0; l < k->nlines; l++)
        c->match_cell[l] = -1;
    for (size_t l = 0; l < k->nlines; l++) {
        if (k->line_dim[l] != 1 || c->adj_start[l] == c->adj_start[l + 1])
            continue;
        memset(c->seen, 0, k->nlines);
        augment(c, (uint32_t)l);
    }
    long added = 0;
    for (size_t l = 0; l < k->nlines; l++)
        if (c->match_cell[l] >= 0) {
            hide(c, (uint32_t)c->match_cell[l]);
            added++;
        }
    free(es);
    return added;
}

/* How good published cell I is as line L's second hidden cell (lower is
 * better): its other line hiding a cell alone too, then one that hides
 * two or more or has no total (nothing new to cover), then one that would
 * hide it alone; within each, cells of at least NEED, smallest first,
 * then the largest of the rest. */
static double rank(const cover *c, uint32_t i, size_t d)
{
    uint32_t o = sdc_cellkey_line(c->k, i, 1 - d);
    double kind = alone(c, o) ? 0 : c->deg[o] >= 2 || c->k->line_total[o] < 0 ? 1 : 2;
    double v = c->value[i];
    return kind * 4e15 + (v >= c->need ? v : 2e15 - fmin(v, 1e15));
}

/* One complement in each line still hiding a cell alone. Returns how
 * many were hidden. */
static size_t leftovers(cover *c)
{
    const sdc_cellkey *k = c->k;
    size_t added = 0;
    for (size_t l = 0; l < k->nlines; l++) {
        if (!alone(c, (uint32_t)l))
            continue;
        size_t m, d = k->line_dim[l];
        const uint32_t *cells = sdc_cellkey_members(k, (uint32_t)l, &m);
        long best = -1;
        double best_rank = INFINITY;
        for (size_t q = 0; q < m; q++) {
            if (c->state[cells[q]] != SDC_CUBE_PUBLISHED)
                continue;
            double r = rank(c, cells[q], d);
            if (r < best_rank) {
                best_rank = r;
                best = cells[q];
            }
        }
        if (best >= 0) {
            hide(c, (uint32_t)best);
            added++;
        }
    }
    return added;
}

int sdc_protect_cover(const sdc_grid *g, const sdc_cellkey *k, const unsigned char *state,
                      const double *value, double need, uint32_t **cells, size_t *n)
{
    *cells = NULL;
    *n = 0;
    if (g->dims != 2)
        return 0;
    size_t nl = k->nlines + 1;
    cover c = {.g = g, .k = k, .value = value, .need = need};
    c.state = malloc(g->count + 1);
    c.deg = calloc(nl, sizeof *c.deg);
    c.adj_start = calloc(nl + 1, sizeof *c.adj_start);
    c.adj = malloc((g->count + 1) * sizeof *c.adj);
    c.match_cell = malloc(nl * sizeof *c.match_cell);
    c.seen = malloc(nl);
    c.chosen = malloc((g->count + 1) * sizeof *c.chosen);
    int rc =
        c.state && c.deg && c.adj_start && c.adj && c.match_cell && c.seen && c.chosen ? 0 : -1;
    if (rc == 0) {
        memcpy(c.state, state, g->count);
        for (size_t i = 0; i < g->count; i++)
            if (state[i] == SDC_CUBE_HIDDEN) {
                c.deg[sdc_cellkey_line(k, i, 0)]++;
                c.deg[sdc_cellkey_line(k, i, 1)]++;
            }
    }
    /* Each pass hides at least one published cell, so this ends; a
     * leftover's complement in a line hiding none makes a new lone one,
     * covered by the next pass. */
    for (size_t pass = 0; rc == 0 && pass <= g->count; pass++) {
        long matched = match(&c);
        if (matched < 0) {
            rc = -1;
            break;
        }
        if (matched == 0 && leftovers(&c) == 0)
            break;
    }
    free(c.state);
    free(c.deg);
    free(c.adj_start);
    free(c.adj);
    free(c.match_cell);
    free(c.seen);
    if (rc < 0) {
        free(c.chosen);
        return -1;
    }
    *cells = c.chosen;
    *n = c.nchosen;
    return 0;
}

void sdc_protect_lines_free(sdc_protect_lines *x)
{
    for (size_t m = 0; m < x->nm; m++) {
        sdc_cellkey_free(&x->k[m]);
        sdc_grid_free(&x->g[m]);
    }
    free(x->g);
    free(x->k);
    free(x->measure);
    free(x->at);
    memset(x, 0, sizeof *x);
}

int sdc_protect_lines_build(sdc_protect_lines *x, const sdc_table *t, const sdc_policy *p)
{
    memset(x, 0, sizeof *x);
    size_t ncells = t->nrows * t->ncols, nm = 0;
    long m;
    for (size_t at = 0; sdc_grid_next_measure(t, &at, &m);)
        nm++;
    x->g = calloc(nm + 1, sizeof *x->g);
    x->k = calloc(nm + 1, sizeof *x->k);
    x->measure = malloc((ncells + 1) * sizeof *x->measure);
    x->at = malloc((ncells + 1) * sizeof *x->at);
    if (!x->g || !x->k || !x->measure || !x->at) {
        sdc_protect_lines_free(x);
        return -1;
    }
    for (size_t i = 0; i < ncells; i++)
        x->measure[i] = -1;
    for (size_t at = 0; x->nm < nm && sdc_grid_next_measure(t, &at, &m);) {
        size_t q = x->nm++;
        if (sdc_grid_build(t, p, m, &x->g[q]) < 0 || sdc_cellkey_build(&x->g[q], &x->k[q]) < 0) {
            sdc_protect_lines_free(x);
            return -1;
        }
        for (size_t i = 0; i < x->g[q].count; i++) {
            size_t cell = x->g[q].cells[i].row * t->ncols + x->g[q].cells[i].col;
            x->measure[cell] = (long)q;
            x->at[cell] = (uint32_t)i;
        }
    }
    return 0;
}

bool sdc_protect_lines_lone(const sdc_protect_lines *x, const sdc_table *t, size_t cell)
{
    if (x->measure[cell] < 0)
        return false;
    const sdc_grid *g = &x->g[x->measure[cell]];
    const sdc_cellkey *k = &x->k[x->measure[cell]];
    for (size_t d = 0; d < g->dims; d++) {
        uint32_t l = sdc_cellkey_line(k, x->at[cell], d);
        int64_t total = k->line_total[l];
        if (total < 0)
            continue;
        size_t n, hidden = 0, published = 0, totals = 0;
        const uint32_t *cells = sdc_cellkey_members(k, l, &n);
        for (size_t q = 0; q < n; q++) {
            const sdc_grid_cell *gc = &g->cells[cells[q]];
            unsigned char kind = sdc_table_cell(t, gc->row, gc->col)->kind;
            hidden += kind == SDC_CELL_SUPPRESSED;
            published += kind == SDC_CELL_NUMBER;
            totals += gc->coord_total[d];
        }
        /* one total (no subtotals in the line): the hidden cell, a part
         * or the total, is the total less the parts, or their sum */
        if (hidden == 1 && published + 1 == n && totals == 1)
            return true;
    }
    return false;
}
