/*
 * heuristic.c - complementary suppression by a fast heuristic (the
 * default, for tables of any size).
 *
 * After primary suppression the audit (verdict mode) lists the suppressed
 * cells still recoverable or narrow; each line with a published total
 * that hides one of them alone gets a complement, the smallest published
 * part at least as large as the protection width (else the largest); on
 * large tables hypercube complements come first. The audit runs again
 * until it is clean or no cell is left. Few cells, not the fewest: the
 * optimal mode (protect_optimal.c) finds the fewest on small tables.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "audit/cube.h"
#include "protect/protect_heuristic.h"
#include "protect/protect_internal.h"
#include "sdccheck/audit.h"
#include "table/cellkey.h"
#include "table/grid.h"

#define MAX_ROUNDS 64
/* Tables of at least this many cells get hypercube complements first;
 * smaller ones only the audit-guided rounds, which hide fewer cells. */
#define CUBE_MIN_CELLS 20000
/* Partial cubes tried per cell when choosing complements. */
#define CUBE_MAX_NODES 3000

static size_t hidden_in_line(const sdc_table *t, const sdc_grid *g, const sdc_grid_index *x,
                             size_t i, size_t d, bool *total_published);

/*
 * The complement for hidden cell I along dimension D of grid G: a published
 * part of that line. Preferred, in order: one whose other lines already
 * hide a cell (it closes a rectangle instead of opening new lines), one at
 * least as large as the protection NEED (it protects), the smallest (it
 * hides least). Without any part >= NEED, the largest.
 */
static long choose(const sdc_table *t, const sdc_grid *g, const sdc_grid_index *x, size_t i,
                   size_t d, double need)
{
    long best = -1, largest = -1;
    bool best_closes = false;
    double best_v = INFINITY, largest_v = -1;
    size_t n;
    const size_t *line = sdc_grid_line_cells(x, i, d, &n);
    for (size_t m = 0; m < n; m++) {
        size_t k = line[m];
        const sdc_grid_cell *o = &g->cells[k];
        if (k == i || o->coord_total[d])
            continue;
        const sdc_cell *c = sdc_table_cell(t, o->row, o->col);
        if (c->kind != SDC_CELL_NUMBER)
            continue;
        if (c->number > largest_v) {
            largest_v = c->number;
            largest = (long)k;
        }
        if (c->number < need)
            continue;
        bool closes = false;
        for (size_t e = 0; e < g->dims && !closes; e++) {
            bool pub;
            closes = e != d && hidden_in_line(t, g, x, k, e, &pub) > 0;
        }
        if ((closes && !best_closes) || (closes == best_closes && c->number < best_v)) {
            best_closes = closes;
            best_v = c->number;
            best = (long)k;
        }
    }
    return best >= 0 ? best : largest;
}

/* Hidden cells in the line through grid cell I along D, and whether the
 * line publishes its total (only then does it give a lone hidden cell away). */
static size_t hidden_in_line(const sdc_table *t, const sdc_grid *g, const sdc_grid_index *x,
                             size_t i, size_t d, bool *total_published)
{
    size_t hidden = 0, n;
    *total_published = false;
    const size_t *line = sdc_grid_line_cells(x, i, d, &n);
    for (size_t m = 0; m < n; m++) {
        const sdc_grid_cell *o = &g->cells[line[m]];
        const sdc_cell *c = sdc_table_cell(t, o->row, o->col);
        if (o->coord_total[d])
            *total_published |= c->kind == SDC_CELL_NUMBER;
        else
            hidden += c->kind == SDC_CELL_SUPPRESSED;
    }
    return hidden;
}

/* Is an audited cell protected enough? Its interval must be NEED wide;
 * and when the policy sets protection levels (protection_lower/_upper,
 * shares of the value, tau-Argus style), a sensitive cell (one the primary
 * rules hid, whose value is known) must reach at least that far below
 * and above its value. */
typedef struct judge {
    const sdc_table *t;
    const sdc_policy *p;
    const bool *sensitive; /* per table cell, or NULL */
    double need;
} judge;

static bool judge_ok(const judge *j, const sdc_audit_cell *c)
{
    if (!sdc_audit_protected(c, j->need))
        return false;
    if (!j->sensitive || !j->sensitive[c->row * j->t->ncols + c->col])
        return true;
    double v = fabs(sdc_table_cell(j->t, c->row, c->col)->number);
    double below = j->p->protection_lower * v, above = j->p->protection_upper * v;
    double eps = 1e-9 * (1 + v);
    return c->lo <= sdc_table_cell(j->t, c->row, c->col)->number - below + eps &&
           c->hi >= sdc_table_cell(j->t, c->row, c->col)->number + above - eps;
}

/*
 * One round: every line that hides a problem cell alone, next to a
 * published total, gets a complement (the classic rule: no line with a
 * published total may hide exactly one cell). When every line already
 * hides two or more and the audit still objects (cells pinned by
 * non-negativity, narrow intervals), the first problem cell gets a
 * complement in every line through it.
 */
static int complement_round(sdc_table *t, const sdc_policy *p, const judge *jd, long measure,
                            double need, const sdc_audit *a, size_t *added)
{
    sdc_grid g = {0};
    sdc_grid_index x = {0};
    long *cell_at = NULL;
    if (sdc_grid_build(t, p, measure, &g) < 0 || sdc_grid_index_build(&g, &x) < 0 ||
        !(cell_at = malloc((t->nrows * t->ncols + 1) * sizeof *cell_at))) {
        sdc_grid_index_free(&x);
        sdc_grid_free(&g);
        return -1;
    }
    for (size_t k = 0; k < t->nrows * t->ncols; k++)
        cell_at[k] = -1;
    for (size_t i = 0; i < g.count; i++)
        cell_at[g.cells[i].row * t->ncols + g.cells[i].col] = (long)i;
    const char *marker = sdc_policy_marker(p);
    long first_problem = -1;
    size_t before = *added;
    for (size_t q = 0; q < a->count; q++) {
        const sdc_audit_cell *c = &a->cells[q];
        long gi = cell_at[c->row * t->ncols + c->col];
        if (gi < 0 || judge_ok(jd, c))
            continue;
        size_t i = (size_t)gi;
        if (first_problem < 0)
            first_problem = gi;
        for (size_t d = 0; d < g.dims; d++) {
            bool total_published;
            if (hidden_in_line(t, &g, &x, i, d, &total_published) != 1 || !total_published)
                continue;
            long k = choose(t, &g, &x, i, d, need);
            if (k >= 0 && sdc_protect_suppress(t, g.cells[k].row, g.cells[k].col, marker))
                (*added)++;
        }
    }
    if (*added == before && first_problem >= 0)
        for (size_t d = 0; d < g.dims; d++) {
            long k = choose(t, &g, &x, (size_t)first_problem, d, need);
            if (k >= 0 && sdc_protect_suppress(t, g.cells[k].row, g.cells[k].col, marker))
                (*added)++;
        }
    free(cell_at);
    sdc_grid_index_free(&x);
    sdc_grid_free(&g);
    return 0;
}

typedef struct cube_pass {
    const double *value;
    double *lo, *hi; /* per grid cell: values it is proved to take */
    bool integer;
    double need;
    size_t target;
    sdc_cube best; /* the cheapest cube found (choosing) */
    bool found;
} cube_pass;

static bool proved_wide(const cube_pass *x, size_t i)
{
    double w = x->hi[i] - x->lo[i];
    if (x->integer)
        w = floor(x->hi[i] + 1e-7) - ceil(x->lo[i] - 1e-7) + 1;
    return w >= x->need;
}

/* A cube of hidden cells: each corner takes every value of its range. */
static bool widen_corners(void *ctx, const sdc_cube *c)
{
    cube_pass *x = ctx;
    for (size_t i = 0; i < c->ncorners; i++) {
        uint32_t k = c->corner[i];
        double v = x->value[k];
        x->lo[k] = fmin(x->lo[k], c->sign[i] > 0 ? v + c->dlo : v - c->dhi);
        x->hi[k] = fmax(x->hi[k], c->sign[i] > 0 ? v + c->dhi : v - c->dlo);
    }
    return proved_wide(x, x->target);
}

static bool keep_cheapest(void *ctx, const sdc_cube *c)
{
    cube_pass *x = ctx;
    x->best = *c; /* the search only reports cubes cheaper than the last */
    x->found = true;
    return c->cost == 0;
}

/*
 * Hypercube complements for one measure (Repsilber's HYPERCUBE, as in
 * tau-Argus; see cube.h). For each hidden cell whose value is known and
 * not yet proved protected: first the cubes of cells already hidden,
 * which cost nothing, each widening the values its corners are proved to
 * take (at the true values, a feasible point); if they do not make it as
 * wide as NEED, the cheapest cube through it (fewest published corners to
 * hide, then least value hidden) whose own range is that wide, and its
 * corners are hidden: the cube proves every one of them protected. Cells
 * with no such cube (no partner in some line, a hierarchy's subtotal) are
 * left to the audit-guided rounds. Hiding more cells never narrows an
 * interval (the true values stay feasible), so what is proved stays so.
 */
static int cube_complements(sdc_table *t, const sdc_policy *p, const judge *jd, long measure,
                            double need, const bool *known, const sdc_audit *a, size_t *added)
{
    sdc_grid g = {0};
    sdc_cellkey k = {0};
    double *value = NULL, *lo = NULL, *hi = NULL;
    unsigned char *state = NULL, *hidden = NULL;
    long *cell_at = NULL;
    int rc = -1;
    if (sdc_grid_build(t, p, measure, &g) < 0 || sdc_cellkey_build(&g, &k) < 0)
        goto out;
    size_t n = g.count + 1;
    cell_at = malloc((t->nrows * t->ncols + 1) * sizeof *cell_at);
    if (!cell_at)
        goto out;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        cell_at[i] = -1;
    for (size_t i = 0; i < g.count; i++)
        cell_at[g.cells[i].row * t->ncols + g.cells[i].col] = (long)i;
    value = malloc(n * sizeof *value);
    lo = malloc(n * sizeof *lo);
    hi = malloc(n * sizeof *hi);
    state = calloc(n, 1);
    hidden = calloc(n, 1);
    if (!value || !lo || !hi || !state || !hidden)
        goto out;
    for (size_t i = 0; i < g.count; i++) {
        const sdc_cell *c = sdc_table_cell(t, g.cells[i].row, g.cells[i].col);
        value[i] = lo[i] = hi[i] = c->number;
        if (!known[g.cells[i].row * t->ncols + g.cells[i].col] || c->number < 0)
            state[i] = SDC_CUBE_NO;
        else
            state[i] = c->kind == SDC_CELL_SUPPRESSED ? SDC_CUBE_HIDDEN : SDC_CUBE_PUBLISHED;
        hidden[i] = state[i] == SDC_CUBE_HIDDEN ? SDC_CUBE_HIDDEN : SDC_CUBE_NO;
    }
    cube_pass x = {.value = value, .lo = lo, .hi = hi, .need = need};
    x.integer = measure < 0 || t->columns[measure].role == SDC_COL_COUNT;
    double range = x.integer ? need - 1 : need; /* v-a .. v+b holds a+b+1 counts */
    size_t per_dim = g.dims <= 2 ? 16 : g.dims <= 3 ? 8 : 5;
    sdc_cube_search free_cubes = {.g = &g,
                                  .k = &k,
                                  .value = value,
                                  .state = hidden,
                                  .min_range = 1e-9,
                                  .per_dim = 2 * per_dim,
                                  .max_nodes = CUBE_MAX_NODES,
                                  .fn = widen_corners,
                                  .ctx = &x};
    sdc_cube_search choose_cube = {.g = &g,
                                   .k = &k,
                                   .value = value,
                                   .state = state,
                                   .min_range = range > 0 ? range : 1e-9,
                                   .cheapest = true,
                                   .per_dim = per_dim,
                                   .max_nodes = CUBE_MAX_NODES,
                                   .fn = keep_cheapest,
                                   .ctx = &x};
    const char *marker = sdc_policy_marker(p);
    for (size_t q = 0; q < a->count; q++) {
        long gi = cell_at[a->cells[q].row * t->ncols + a->cells[q].col];
        if (gi < 0 || judge_ok(jd, &a->cells[q]))
            continue;
        size_t i = (size_t)gi;
        if (state[i] != SDC_CUBE_HIDDEN || proved_wide(&x, i))
            continue;
        x.target = i;
        if (sdc_cube_find(&free_cubes, i) < 0)
            goto out;
        if (proved_wide(&x, i))
            continue;
        x.found = false;
        if (sdc_cube_find(&choose_cube, i) < 0)
            goto out;
        if (!x.found) {
            /* A cell the audit could not prove either: search wider. */
            sdc_cube_search wider = choose_cube;
            wider.per_dim *= 3;
            wider.max_nodes *= 20;
            if (sdc_cube_find(&wider, i) < 0)
                goto out;
        }
        if (!x.found)
            continue;
        for (size_t c = 0; c < x.best.ncorners; c++) {
            uint32_t j = x.best.corner[c];
            if (state[j] == SDC_CUBE_PUBLISHED) {
                *added += sdc_protect_suppress(t, g.cells[j].row, g.cells[j].col, marker);
                state[j] = hidden[j] = SDC_CUBE_HIDDEN;
            }
        }
        widen_corners(&x, &x.best);
    }
    rc = 0;
out:
    free(cell_at);
    free(value);
    free(lo);
    free(hi);
    free(state);
    free(hidden);
    sdc_cellkey_free(&k);
    sdc_grid_free(&g);
    return rc;
}

/* The heuristic: primary suppression, then rounds of the audit (which
 * proves most cells protected with cubes at the true values, and asks
 * the LP about the rest) and complements for what it finds unprotected:
 * on tables of CUBE_MIN cells or more, the cheapest hypercube through
 * each such cell; else, or when no cube is found, the greedy rule. */
static int protect_heuristic(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                             size_t cube_min, sdc_protect_result *out)
{
    memset(out, 0, sizeof *out);
    if (t->shape == SDC_SHAPE_REGRESSION || t->truncated)
        return 0;
    /* Which values are known: the published ones, before primary
     * suppression hides some of them (their number stays in the cell). */
    size_t ncells = t->nrows * t->ncols;
    bool *known = malloc(ncells + 1);
    if (!known)
        return -1;
    for (size_t i = 0; i < ncells; i++)
        known[i] = t->cells[i].kind == SDC_CELL_NUMBER;
    out->primary = sdc_protect_primary(t, p, scanner);
    double need = sdc_audit_need(p);
    /* Protection levels ask how far each sensitive cell can move either
     * way: exact intervals, not the verdict shortcut's. */
    bool levels = p->protection_lower > 0 || p->protection_upper > 0;
    bool *sensitive = levels ? malloc(ncells + 1) : NULL;
    if (levels && !sensitive) {
        free(known);
        return -1;
    }
    for (size_t i = 0; sensitive && i < ncells; i++)
        sensitive[i] = known[i] && t->cells[i].kind == SDC_CELL_SUPPRESSED;
    judge jd = {.t = t, .p = p, .sensitive = sensitive, .need = need};
    int rc = 0;
    for (int round = 0; round < MAX_ROUNDS && rc == 0; round++) {
        sdc_audit a = {0};
        if (sdc_audit_table_known(t, p, 60, levels ? 0 : need, known, &a) < 0) {
            sdc_audit_free(&a);
            rc = -1;
            break;
        }
        bool clean = !a.inconsistent && !a.timed_out && !a.too_large;
        for (size_t i = 0; i < a.count && clean; i++)
            clean = judge_ok(&jd, &a.cells[i]);
        if (clean) {
            out->protected_ok = true;
            sdc_audit_free(&a);
            break;
        }
        size_t added = 0;
        long m;
        if (ncells >= cube_min && !a.inconsistent)
            for (size_t at = 0; rc == 0 && sdc_grid_next_measure(t, &at, &m);)
                rc = cube_complements(t, p, &jd, m, need, known, &a, &added);
        if (added == 0)
            for (size_t at = 0; rc == 0 && sdc_grid_next_measure(t, &at, &m);)
                rc = complement_round(t, p, &jd, m, need, &a, &added);
        sdc_audit_free(&a);
        out->secondary += added;
        if (added == 0)
            break; /* nothing left to choose: not protected */
    }
    free(known);
    free(sensitive);
    return rc;
}

int sdc_protect_heuristic(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                          size_t cube_min_cells, sdc_protect_result *out)
{
    return protect_heuristic(t, p, scanner, cube_min_cells, out);
}

int sdc_table_protect(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                      sdc_protect_result *out)
{
    return protect_heuristic(t, p, scanner, CUBE_MIN_CELLS, out);
}
