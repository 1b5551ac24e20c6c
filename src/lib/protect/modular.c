/*
 * modular.c - the modular mode's decomposition of a hierarchical table
 * into subtables, in the spirit of tau-Argus's Modular (HiTaS: P.-P. de
 * Wolf, "HiTaS: a heuristic approach to cell suppression in hierarchical
 * tables", Inference Control in Statistical Databases, LNCS 2316, 2002;
 * tau-Argus manual 4.2, section 4.2.3).
 *
 * A hierarchy is a chain of nested columns (area within LA within region)
 * or the levels declared within one column; each row sits at a node of
 * each hierarchy (its labels there, the levels below it totals). For a
 * choice of one parent node per hierarchy, the rows whose node in every
 * hierarchy is that parent or one of its children, with every category of
 * the other dimensions, form a subtable: a table with margins of its own
 * (the parent is the children's total), each of whose lines is a line of
 * the whole table. A row lies in at most two subtables per hierarchy: as
 * a child of its parent, and as the total of its own children.
 *
 * Subtables are protected top down (the grand total's first), each by the
 * optimal model (protect_optimal.c) when it has at most MAX_CELLS cells of
 * its measures: cells already hidden stay hidden (the primary ones are
 * protected to the policy's levels, the complements of other subtables to
 * the width every hidden cell needs), and the published cells it shares
 * with a subtable protected before (its total row, published in the level
 * above) are kept published, as HiTaS keeps them; when that leaves no
 * protected pattern the subtable is solved again free to hide them, and
 * the subtables protected before that share a cell it hid are protected
 * again, up to MODULAR_PASSES passes. A subtable too large, or not solved
 * in time, is left to the heuristic's rounds, which then audit the whole
 * table: the links between subtables are checked there (a cell can be
 * protected in each subtable it lies in and still narrow across them),
 * and complements are added until the audit that does not know the hidden
 * values proves every cell.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "protect/protect_internal.h"
#include "sdccheck/spec.h"
#include "table/grid.h"

/* Passes over the subtables: the first, then the ones whose shared cells
 * a later subtable hid. */
#define MODULAR_PASSES 4

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One hierarchy: its grid dimensions, top first, and its nodes. */
typedef struct hier {
    size_t dim[SDC_GRID_MAX_DIMS];
    size_t k;
    uint32_t *node;       /* per row: its node (UINT32_MAX: the row is in no grid) */
    uint32_t *parent;     /* per node: the node above, UINT32_MAX for the top */
    unsigned char *depth; /* per node: how many of its labels are not totals */
    size_t *rep;          /* per node: a grid cell at it */
    size_t nnodes;
} hier;

static void hier_free(hier *h)
{
    free(h->node);
    free(h->parent);
    free(h->depth);
    free(h->rep);
}

/* The hierarchies of T's frame F, into H (at most SDC_GRID_MAX_DIMS).
 * Returns how many; 0 also when they are not chains (a column with two
 * nested children, a nested column with levels), which are left whole. */
static size_t find_hierarchies(const sdc_table *t, const sdc_grid_frame *f, hier *h)
{
    size_t off[SDC_GRID_MAX_DIMS], d = 0;
    long up[SDC_GRID_MAX_DIMS], down[SDC_GRID_MAX_DIMS];
    for (size_t l = 0; l < f->nl; l++) {
        off[l] = d;
        d += f->labels[l].levels;
        up[l] = down[l] = -1;
    }
    for (size_t l = 0; l < f->nl; l++) {
        const char *pc = sdc_table_spec_parent_column(t->spec, t->columns[f->labels[l].col].name);
        for (size_t q = 0; pc && q < f->nl; q++)
            if (q != l && strcmp(t->columns[f->labels[q].col].name, pc) == 0)
                up[l] = (long)q;
        if (!pc)
            continue;
        if (up[l] < 0 || down[up[l]] >= 0 || f->labels[l].levels > 1 || f->labels[up[l]].levels > 1)
            return 0;
        down[up[l]] = (long)l;
    }
    size_t n = 0;
    for (size_t l = 0; l < f->nl; l++) {
        if (f->labels[l].levels > 1) {
            h[n] = (hier){.k = f->labels[l].levels};
            for (size_t q = 0; q < h[n].k; q++)
                h[n].dim[q] = off[l] + q;
            n++;
        } else if (up[l] < 0 && down[l] >= 0) {
            h[n] = (hier){0};
            for (long q = (long)l; q >= 0 && h[n].k < SDC_GRID_MAX_DIMS; q = down[q])
                h[n].dim[h[n].k++] = off[q];
            n++;
        }
    }
    return n;
}

/* Compares hierarchy H's labels at grid cells A and B (a total before any
 * label; labels by their text). */
static int cmp_path(const sdc_grid *g, const hier *h, size_t a, size_t b)
{
    const sdc_grid_cell *x = &g->cells[a], *y = &g->cells[b];
    for (size_t q = 0; q < h->k; q++) {
        size_t d = h->dim[q];
        bool tx = x->coord_total[d], ty = y->coord_total[d];
        if (tx != ty)
            return tx ? -1 : 1;
        if (tx)
            continue;
        int c = strcmp(x->coord[d], y->coord[d]);
        if (c)
            return c;
    }
    return 0;
}

typedef struct path_ctx {
    const sdc_grid *g;
    const hier *h;
} path_ctx;

static int cmp_cells_by_path(const void *pa, const void *pb, void *arg)
{
    const path_ctx *x = arg;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = cmp_path(x->g, x->h, a, b);
    return c ? c : (a > b) - (a < b);
}

/* Is grid cell C's path the parent of node path at cell N, depth J: the
 * same first J - 1 labels, totals after? (Compared as cmp_path does.) */
static int cmp_to_parent(const sdc_grid *g, const hier *h, size_t c, size_t n, size_t j)
{
    const sdc_grid_cell *x = &g->cells[c], *y = &g->cells[n];
    for (size_t q = 0; q < h->k; q++) {
        size_t d = h->dim[q];
        bool tx = x->coord_total[d], ty = q + 1 >= j;
        if (tx != ty)
            return tx ? -1 : 1;
        if (tx)
            continue;
        int r = strcmp(x->coord[d], y->coord[d]);
        if (r)
            return r;
    }
    return 0;
}

/* Numbers the nodes of hierarchy H from grid G (FIRST: per row, its first
 * grid cell or SIZE_MAX), and finds each node's parent and depth.
 * Returns 0, 1 when the labels are not a hierarchy (a label below a
 * total, a node whose parent has no row), -1 when out of memory. */
static int number_nodes(const sdc_table *t, const sdc_grid *g, const size_t *first, hier *h)
{
    size_t n = 0;
    size_t *order = malloc((t->nrows + 1) * sizeof *order);
    h->node = malloc((t->nrows + 1) * sizeof *h->node);
    h->rep = malloc((t->nrows + 1) * sizeof *h->rep);
    h->parent = malloc((t->nrows + 1) * sizeof *h->parent);
    h->depth = malloc(t->nrows + 1);
    if (!order || !h->node || !h->rep || !h->parent || !h->depth) {
        free(order);
        return -1;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        h->node[r] = UINT32_MAX;
        if (first[r] != SIZE_MAX)
            order[n++] = first[r];
    }
    path_ctx ctx = {g, h};
    qsort_r(order, n, sizeof *order, cmp_cells_by_path, &ctx);
    int rc = 0;
    for (size_t q = 0; q < n && rc == 0; q++) {
        if (q == 0 || cmp_path(g, h, order[q - 1], order[q]) != 0) {
            const sdc_grid_cell *c = &g->cells[order[q]];
            size_t j = 0;
            while (j < h->k && !c->coord_total[h->dim[j]])
                j++;
            for (size_t x = j; x < h->k; x++)
                if (!c->coord_total[h->dim[x]])
                    rc = 1; /* a label below a total: not a hierarchy */
            h->rep[h->nnodes] = order[q];
            h->depth[h->nnodes] = (unsigned char)j;
            h->nnodes++;
        }
        h->node[g->cells[order[q]].row] = (uint32_t)(h->nnodes - 1);
    }
    /* Each node's parent, by binary search among the nodes (in path
     * order, as numbered). */
    for (size_t x = 0; x < h->nnodes && rc == 0; x++) {
        h->parent[x] = UINT32_MAX;
        if (h->depth[x] == 0)
            continue;
        size_t lo = 0, hi = h->nnodes;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cmp_to_parent(g, h, h->rep[mid], h->rep[x], h->depth[x]) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < h->nnodes && cmp_to_parent(g, h, h->rep[lo], h->rep[x], h->depth[x]) == 0)
            h->parent[x] = (uint32_t)lo;
        else
            rc = 1; /* its parent has no row: the margins are not all there */
    }
    free(order);
    return rc;
}

/* A row's place in one subtable. */
typedef struct member {
    uint64_t key; /* the subtable: its parent node in each hierarchy, mixed radix */
    uint32_t row;
    uint32_t level; /* sum of the parents' depths: the order, top first */
} member;

static int by_level_key_row(const void *pa, const void *pb)
{
    const member *a = pa, *b = pb;
    if (a->level != b->level)
        return a->level < b->level ? -1 : 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

/* The subtables: their members in level, key and row order. */
typedef struct subtables {
    member *m;
    size_t n;
    size_t *start; /* per subtable: its first member; count + 1 */
    size_t count;
    uint32_t *of; /* per row and role (2^H): the row's subtable, or UINT32_MAX */
    size_t roles;
} subtables;

static void subtables_free(subtables *s)
{
    free(s->m);
    free(s->start);
    free(s->of);
}

/* Every row's subtables, from the NH hierarchies H. Returns 0, 1 when
 * there are too many nodes to number the subtables, -1 when out of
 * memory. */
static int list_subtables(const sdc_table *t, const hier *h, size_t nh, subtables *s)
{
    uint64_t radix[SDC_GRID_MAX_DIMS], span = 1;
    for (size_t x = 0; x < nh; x++) {
        radix[x] = span;
        if (h[x].nnodes > UINT32_MAX || span > UINT64_MAX / (h[x].nnodes + 1))
            return 1;
        span *= h[x].nnodes + 1;
    }
    if (nh > 6)
        return 1; /* 2^H roles a row */
    s->roles = (size_t)1 << nh;
    size_t cap = t->nrows * s->roles;
    s->m = malloc((cap + 1) * sizeof *s->m);
    s->of = malloc((cap + 1) * sizeof *s->of);
    if (!s->m || !s->of)
        return -1;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t role = 0; role < s->roles; role++) {
            s->of[r * s->roles + role] = UINT32_MAX;
            uint64_t key = 0;
            uint32_t level = 0;
            bool ok = true;
            for (size_t x = 0; x < nh && ok; x++) {
                uint32_t node = h[x].node[r];
                if (node == UINT32_MAX) {
                    ok = false;
                    break;
                }
                /* bit x set: the row is its own children's total here */
                uint32_t p = role >> x & 1u ? (h[x].depth[node] < h[x].k ? node : UINT32_MAX)
                                            : h[x].parent[node];
                ok = p != UINT32_MAX;
                if (ok) {
                    key += radix[x] * p;
                    level += h[x].depth[p];
                }
            }
            if (ok)
                s->m[s->n++] = (member){.key = key, .row = (uint32_t)r, .level = level};
        }
    qsort(s->m, s->n, sizeof *s->m, by_level_key_row);
    s->start = malloc((s->n + 2) * sizeof *s->start);
    if (!s->start)
        return -1;
    for (size_t q = 0; q < s->n; q++) {
        if (q == 0 || s->m[q].key != s->m[q - 1].key || s->m[q].level != s->m[q - 1].level)
            s->start[s->count++] = q;
        uint32_t *slot = &s->of[s->m[q].row * s->roles];
        while (*slot != UINT32_MAX)
            slot++;
        *slot = (uint32_t)(s->count - 1);
    }
    s->start[s->count] = s->n;
    return 0;
}

/* The work of one decomposition. */
typedef struct modular {
    sdc_table *t;
    const sdc_policy *p;
    const bool *known;
    subtables s;
    size_t cells_per_row;
    size_t max_cells;
    double deadline, seconds;
    bool *done;      /* per row: in a subtable protected already */
    bool *comp;      /* per table cell: a complement hidden here */
    bool *dirty;     /* per subtable: to be protected again */
    bool *solved;    /* per subtable: protected by the optimal model */
    sdc_cell *cells; /* scratch: a subtable's cells */
    sdc_cell *given; /* scratch: which of them are sensitive */
    bool *keep;      /* scratch: which may not be hidden */
    long *row_line;  /* scratch */
    bool *row_total; /* scratch */
} modular;

/* Protects subtable X by the optimal model. Returns 1 when it did (the
 * table's cells updated), 0 when it was declined (too large, no pattern
 * in time), -1 when out of memory. */
static int protect_subtable(modular *w, size_t x)
{
    sdc_table *t = w->t;
    size_t first = w->s.start[x], nr = w->s.start[x + 1] - first, nc = t->ncols;
    if (nr * w->cells_per_row > w->max_cells)
        return 0;
    double left = w->deadline - now_seconds();
    if (left <= 0.05)
        return 0;
    bool any_hidden = false, any_kept = false;
    for (size_t q = 0; q < nr; q++) {
        size_t r = w->s.m[first + q].row;
        memcpy(w->cells + q * nc, t->cells + r * nc, nc * sizeof *t->cells);
        w->row_line[q] = t->row_line[r];
        w->row_total[q] = t->row_is_total[r];
        for (size_t c = 0; c < nc; c++) {
            size_t i = r * nc + c;
            sdc_cell *g = &w->given[q * nc + c];
            *g = t->cells[i];
            /* sensitive: published as given and hidden by the primary
             * rules (not a complement of another subtable) */
            g->kind = w->known[i] && !w->comp[i] ? SDC_CELL_NUMBER : SDC_CELL_SUPPRESSED;
            w->keep[q * nc + c] = w->done[r] && t->cells[i].kind == SDC_CELL_NUMBER;
            any_kept |= w->keep[q * nc + c];
            any_hidden |= t->cells[i].kind == SDC_CELL_SUPPRESSED;
        }
    }
    if (!any_hidden)
        return 1; /* nothing to protect */
    sdc_table sub = *t;
    sub.nrows = sub.capacity_rows = nr;
    sub.rows_seen = nr;
    sub.cells = w->cells;
    sub.row_line = w->row_line;
    sub.row_is_total = w->row_total;
    char why[160];
    size_t added = 0;
    double limit = left < w->seconds ? left : w->seconds;
    int rc =
        sdc_protect_optimal_keep(&sub, w->p, w->given, w->keep, limit, &added, why, sizeof why);
    if (rc == 0 && any_kept) {
        /* No pattern with the shared margins published: free to hide them
         * (the subtables before that share them are protected again). */
        left = w->deadline - now_seconds();
        limit = left < w->seconds ? left : w->seconds;
        if (left > 0.05)
            rc = sdc_protect_optimal_keep(&sub, w->p, w->given, NULL, limit, &added, why,
                                          sizeof why);
    }
    if (rc != 1)
        return rc;
    for (size_t q = 0; q < nr; q++) {
        size_t r = w->s.m[first + q].row;
        for (size_t c = 0; c < nc; c++) {
            size_t i = r * nc + c;
            const sdc_cell *now = &w->cells[q * nc + c];
            if (now->kind == t->cells[i].kind)
                continue;
            w->comp[i] = true;
            t->cells[i] = *now;
            /* the subtables that share this row and were protected
             * already must protect it too */
            for (size_t role = 0; w->done[r] && role < w->s.roles; role++) {
                uint32_t y = w->s.of[r * w->s.roles + role];
                if (y != UINT32_MAX && y != x)
                    w->dirty[y] = true;
            }
        }
    }
    return 1;
}

int sdc_protect_modular(sdc_table *t, const sdc_policy *p, const bool *known, size_t max_cells,
                        double seconds, double budget, sdc_protect_result *out)
{
    sdc_grid_frame f;
    sdc_grid_frame_init(t, &f);
    hier h[SDC_GRID_MAX_DIMS];
    size_t nh = find_hierarchies(t, &f, h);
    if (nh == 0)
        return 0;
    modular w = {.t = t, .p = p, .known = known, .max_cells = max_cells, .seconds = seconds};
    w.deadline = now_seconds() + budget;
    sdc_grid g = {0};
    size_t *first = malloc((t->nrows + 1) * sizeof *first);
    long m = -1;
    size_t at = 0, ncells = t->nrows * t->ncols;
    int rc = first ? 0 : -1;
    /* The rows' coordinates, from the first measure's grid (each row's
     * labels are the same in every measure). */
    if (rc == 0 && (!sdc_grid_next_measure(t, &at, &m) || t->nrows == 0))
        rc = 1;
    if (rc == 0)
        rc = sdc_grid_build_in(&f, t, p, m, &g);
    for (size_t r = 0; rc == 0 && r < t->nrows; r++)
        first[r] = SIZE_MAX;
    for (size_t i = g.count; rc == 0 && i-- > 0;)
        first[g.cells[i].row] = i;
    /* cells of the measures a row holds */
    size_t nmeasure_cells = 0;
    at = 0;
    for (long mm; rc == 0 && sdc_grid_next_measure(t, &at, &mm);)
        nmeasure_cells += mm < 0 ? g.count : t->nrows;
    w.cells_per_row = t->nrows ? (nmeasure_cells + t->nrows - 1) / t->nrows : 1;
    for (size_t x = 0; x < nh && rc == 0; x++)
        rc = number_nodes(t, &g, first, &h[x]);
    if (rc == 0)
        rc = list_subtables(t, h, nh, &w.s);
    /* Nothing small enough for the optimal model: the heuristic alone. */
    size_t largest_rows = 0;
    bool any_small = false;
    for (size_t x = 0; rc == 0 && x < w.s.count; x++) {
        size_t nr = w.s.start[x + 1] - w.s.start[x];
        any_small |= nr * w.cells_per_row <= max_cells;
        if (nr > largest_rows)
            largest_rows = nr;
    }
    if (rc == 0 && !any_small)
        rc = 1;
    if (rc == 0) {
        w.done = calloc(t->nrows + 1, sizeof *w.done);
        w.comp = calloc(ncells + 1, sizeof *w.comp);
        w.dirty = calloc(w.s.count + 1, sizeof *w.dirty);
        w.solved = calloc(w.s.count + 1, sizeof *w.solved);
        size_t cap = largest_rows * t->ncols + 1;
        w.cells = malloc(cap * sizeof *w.cells);
        w.given = malloc(cap * sizeof *w.given);
        w.keep = malloc(cap * sizeof *w.keep);
        w.row_line = malloc((largest_rows + 1) * sizeof *w.row_line);
        w.row_total = malloc((largest_rows + 1) * sizeof *w.row_total);
        if (!w.done || !w.comp || !w.dirty || !w.solved || !w.cells || !w.given || !w.keep ||
            !w.row_line || !w.row_total)
            rc = -1;
    }
    for (size_t x = 0; x < w.s.count && rc == 0; x++)
        w.dirty[x] = true;
    for (int pass = 0; pass < MODULAR_PASSES && rc == 0; pass++) {
        bool any = false;
        for (size_t x = 0; x < w.s.count && rc == 0; x++) {
            if (!w.dirty[x])
                continue;
            w.dirty[x] = false;
            any = true;
            int st = protect_subtable(&w, x);
            if (st < 0)
                rc = -1;
            w.solved[x] = st == 1;
            for (size_t q = w.s.start[x]; q < w.s.start[x + 1]; q++)
                w.done[w.s.m[q].row] = true;
        }
        if (!any)
            break;
    }
    if (rc == 0) {
        out->subtables = w.s.count;
        for (size_t x = 0; x < w.s.count; x++)
            out->subtables_optimal += w.solved[x];
    }
    for (size_t x = 0; x < nh; x++)
        hier_free(&h[x]);
    subtables_free(&w.s);
    sdc_grid_free(&g);
    free(first);
    free(w.done);
    free(w.comp);
    free(w.dirty);
    free(w.solved);
    free(w.cells);
    free(w.given);
    free(w.keep);
    free(w.row_line);
    free(w.row_total);
    return rc < 0 ? -1 : 0;
}
