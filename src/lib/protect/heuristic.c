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
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "audit/cube.h"
#include "audit/cube_lines.h"
#include "core/threads.h"
#include "core/vec.h"
#include "protect/cover.h"
#include "protect/protect_heuristic.h"
#include "protect/protect_internal.h"
#include "sdccheck/audit.h"
#include "table/cellkey.h"
#include "table/grid.h"

#define MAX_ROUNDS 64
/* Rounds of cubes at the point of the audit without the values that may
 * leave as many cells unproved as the best before them, before the rest
 * are reported unprotected. The 5-D bench table needs 45 rounds, its
 * unproved cells going 926, 439, 243, ... 30, 51, 30, 22, 34, 23, 24, 22,
 * 22, 22, 18, ... 12, ... 4, 2, 0 (never more than 6 in a row without a
 * new best): 3 stopped it at 22 with exit 3. */
#define STALE_ROUNDS 8
/* A cell the written table's audit leaves unproved again after a round
 * gave it a cube at that audit's point gets one this many times as wide
 * as asked: the new hidden cells of each round move the next audit's
 * point, and a cube only just wide enough at one point is not at the
 * next. On the 5-D bench table's default mode the cells left unproved
 * went 1,100, 626, 355, 210, ... 8, 8, 6, 2, 1, 7, 6, 0 (22 rounds of
 * cubes, 365 s, 435,470 complements) instead of 1,100, 626, 382, 246, ...
 * 10, 8, 7, 9, 11, 10, 9, 8, 6, 8, 7, 8, 8, 2, 4, 0 (35 rounds, 508 s,
 * 434,998); every cube 1.5 times as wide hid 450,277. */
#define AGAIN_WIDTH 1.5
/* After cubes at the true values, the audit that knows them is skipped
 * when the cubes proved all but at most one hidden cell in this many
 * (none on tables of fewer hidden cells): the audit as check runs it comes
 * next either way, and what it cannot prove gets cubes like any other
 * (chosen at its point and as wide at the true values). On the 5-D bench
 * table the first round's cubes prove 533,159 of 533,162 hidden cells; the
 * audit with the true values then took 0.7 s to find the other three
 * protected, as the written table's audit does too. */
#define KNOWN_SKIP_PER 10000
/* Tables of at least this many cells get hypercube complements first;
 * smaller ones only the audit-guided rounds, which hide fewer cells. */
#define CUBE_MIN_CELLS 20000
/* Partial cubes tried per cell when choosing complements. */
#define CUBE_MAX_NODES 3000
/* ... and, choosing on a grid of four dimensions or more, the partners
 * per dimension and (outside the quick mode) the partial cubes tried: the
 * search with 5 and 3,000 stopped far from the cheapest cube there (the
 * 5-D bench table's default mode: 435,470 complements; with 24 and
 * 10,000, 363,250, in 305 to 321 s instead of some 220 s; doc/design.md,
 * *A wider search for the cheapest cube*). */
#define CUBE_WIDE_PER_DIM 24
/* Since the search drops published partners at once past the best (cube.c),
 * 20,000 partial cubes cost no more in all than 10,000: on the 5-D bench table and
 * two more drawn like it (`gen nested 10000000 SEED`, seeds 0, 1, 2) the
 * default mode hid 335,868, 335,428 and 340,214 complements in 33.8,
 * 38.5 and 39.4 s, against 349,901, 352,309 and 358,388 in 41, 38.8 and
 * 42.9 s with 10,000: cubes closer to the cheapest leave the written
 * table's audit fewer cells unproved, so as many rounds or fewer. 30,000
 * hid 333,830, 339,540 and 329,046 in 38.2, 48.9 and 40.3 s. */
#define CUBE_WIDE_MAX_NODES 20000
/* ... and in the quick mode, which takes as many partners: since the
 * search judges each partner first and ranks the hidden ones first, a
 * search of every partner finds its cheapest cubes within its first
 * partial cubes. On the 5-D bench table, 5 partners and 3,000 partial
 * cubes hid 548,868 complements in 15.4 to 16.5 s; 24 partners and 250,
 * 500, 1,000, 1,500, 2,000 and 3,000 partial cubes 506,781, 468,743,
 * 446,917, 444,660, 448,524 and 437,645, in 13.0, 14.2, 16.0, 16.3, 16.9
 * and 19.3 s (doc/design.md, *The quick mode's own search*). With the
 * published partners ordered by the hidden cells on their lines (cube.c,
 * order_published), 1,000 hid 417,002; with the first round on every core
 * (first_round) and cubes 1.1 times as wide (MARGIN_WIDE), 1,000, 3,000,
 * 5,000, 10,000 and 20,000 hid 399,065, 380,040, 369,415, 361,544 and
 * 362,555 in 19.2, 20.8, 21.5, 18.2 and 19.2 s, the written table
 * proved after three audits, three, three, two and two (doc/design.md,
 * *The quick mode closer to the cheapest cubes*). */
#define CUBE_QUICK_MAX_NODES 10000

/*
 * A measure's grid as the heuristic works on it: the cells by coordinates
 * (cellkey), each line's parts by value (cube_lines), the cube states
 * (every cell; hidden ones only), and per line how many parts are hidden
 * (values known or not). Hiding a cell updates all of them, so that no
 * choice ever scans a line or the table.
 */
typedef struct work {
    sdc_table *t;
    sdc_grid g;
    sdc_cellkey k;
    bool lent; /* G and K are a share's (sdc_grid_share): not freed here */
    sdc_cube_lines lines;
    double *value;
    double *truth; /* the true values when VALUE holds an audit's point, else NULL */
    unsigned char *state, *hidden;
    /* Table cell (r, c) -> grid cell: ROW_FIRST[r] + COL_SLOT[c] (-1
     * none; see cell_at). Per row and per column, not per table cell: a
     * table of ten million cells made that 79 MB, filled afresh for each
     * measure of each round. */
    int32_t *row_first, *col_slot;
    uint32_t *nhid; /* per line: its hidden parts */
    /* A dimension that cubes through most cells never move along (their
     * line along it has no total: a hierarchy's parent column), or -1:
     * the first round searches the cells of each of its values on threads
     * of their own (first_round). */
    long part;
    /* On such a thread: the published cells it hid (their index along
     * PART, whose lines the values share, is brought up to date after the
     * threads). NULL elsewhere. */
    uint32_t *deferred;
    size_t ndeferred, deferred_cap;
    bool defer_failed;
    size_t split_values; /* the values first_round searched apart, or 0 */
    const char *marker;
    size_t examined; /* cells looked at to choose complements */
    size_t added;    /* complements hidden */
    double weight;   /* their total value */
    size_t proved;   /* at the true values: hidden cells proved, by the audit or cubes */
} work;

static void work_free(work *w)
{
    sdc_cube_lines_free(&w->lines);
    if (!w->lent) {
        sdc_cellkey_free(&w->k);
        sdc_grid_free(&w->g);
    }
    free(w->value);
    free(w->truth);
    free(w->state);
    free(w->hidden);
    free(w->deferred);
    free(w->row_first);
    free(w->col_slot);
    free(w->nhid);
}

/* The grid cell of table cell (R, C), or -1. A grid lists each row's
 * cells together, in the order of its columns, so a row's first cell and
 * a column's place among them find it; the cell found is checked. */
static long cell_at(const work *w, size_t r, size_t c)
{
    int32_t first = w->row_first[r], slot = w->col_slot[c];
    if (first < 0 || slot < 0)
        return -1;
    size_t i = (size_t)first + (size_t)slot;
    if (i >= w->g.count || w->g.cells[i].row != r || w->g.cells[i].col != c)
        return -1;
    return (long)i;
}

/* Grids of at least this many cells have their first round searched on
 * threads, one value of a dimension the cubes do not move along at a
 * time (first_round). */
#define SPLIT_MIN_CELLS 2000

/*
 * The dimension along which W's cubes split the grid: the one along which
 * most cells (not totals along it) lie on a line without a total, so that
 * no cube through them moves along it and every corner keeps their value
 * of it (cube.c: a corner must balance every line with a total, and a
 * line without one is no equation). A hierarchy's parent column is one:
 * a region's line along the country has no total, so a region's cubes
 * stay in its country. -1 when no dimension has two such values, or the
 * grid is small.
 */
static long split_dimension(const work *w)
{
    if (w->g.count < SPLIT_MIN_CELLS)
        return -1;
    long best = -1;
    size_t most = 0;
    for (size_t d = 0; d < w->g.dims; d++) {
        size_t n = 0;
        uint32_t first = UINT32_MAX;
        bool two = false;
        for (size_t i = 0; i < w->g.count; i++) {
            if (w->g.cells[i].coord_total[d] || w->k.line_total[sdc_cellkey_line(&w->k, i, d)] >= 0)
                continue;
            uint32_t v = w->k.id[i * w->k.dims + d];
            two |= first != UINT32_MAX && v != first;
            first = first == UINT32_MAX ? v : first;
            n++;
        }
        if (two && n > most) {
            most = n;
            best = (long)d;
        }
    }
    return best;
}

/* The work on T's MEASURE; KNOWN: per table cell, whether its value is
 * known; AT (or NULL): an audit whose points the hidden cells take instead
 * of their true values. Returns 0, or -1 when out of memory. */
static int work_build(work *w, sdc_table *t, const sdc_policy *p, long measure, const bool *known,
                      const sdc_audit *at, sdc_grid_share *share)
{
    memset(w, 0, sizeof *w);
    w->t = t;
    w->marker = sdc_policy_marker(p);
    w->lent = share != NULL;
    if (share) {
        if (sdc_grid_share_grid(share, NULL, t, p, measure, &w->g) < 0 ||
            sdc_grid_share_key(share, &w->k) < 0)
            return -1;
    } else if (sdc_grid_build(t, p, measure, &w->g) < 0 || sdc_cellkey_build(&w->g, &w->k) < 0) {
        return -1;
    }
    size_t n = w->g.count + 1;
    w->row_first = malloc((t->nrows + 1) * sizeof *w->row_first);
    w->col_slot = malloc((t->ncols + 1) * sizeof *w->col_slot);
    w->value = malloc(n * sizeof *w->value);
    w->state = calloc(n, 1);
    w->hidden = calloc(n, 1);
    w->nhid = calloc(w->k.nlines + 1, sizeof *w->nhid);
    if (!w->row_first || !w->col_slot || !w->value || !w->state || !w->hidden || !w->nhid)
        return -1;
    for (size_t r = 0; r < t->nrows; r++)
        w->row_first[r] = -1;
    for (size_t c = 0; c < t->ncols; c++)
        w->col_slot[c] = -1;
    for (size_t i = 0; i < w->g.count; i++) {
        const sdc_grid_cell *gc = &w->g.cells[i];
        const sdc_cell *c = sdc_table_cell(t, gc->row, gc->col);
        if (w->row_first[gc->row] < 0)
            w->row_first[gc->row] = (int32_t)i;
        if (w->col_slot[gc->col] < 0)
            w->col_slot[gc->col] = (int32_t)(i - (size_t)w->row_first[gc->row]);
        w->value[i] = c->number;
        bool hidden = c->kind == SDC_CELL_SUPPRESSED;
        if (!known[gc->row * t->ncols + gc->col] || c->number < 0)
            w->state[i] = SDC_CUBE_NO;
        else
            w->state[i] = hidden ? SDC_CUBE_HIDDEN : SDC_CUBE_PUBLISHED;
        w->hidden[i] = w->state[i] == SDC_CUBE_HIDDEN ? SDC_CUBE_HIDDEN : SDC_CUBE_NO;
        for (size_t d = 0; hidden && d < w->g.dims; d++)
            w->nhid[sdc_cellkey_line(&w->k, i, d)] += !gc->coord_total[d];
    }
    if (at && !(w->truth = malloc(n * sizeof *w->truth)))
        return -1;
    if (at)
        memcpy(w->truth, w->value, w->g.count * sizeof *w->truth);
    for (size_t q = 0; at && q < at->count; q++) {
        const sdc_audit_cell *c = &at->cells[q];
        long gi = cell_at(w, c->row, c->col);
        if (gi >= 0 && isfinite(c->point) && w->state[gi] == SDC_CUBE_HIDDEN)
            w->value[gi] = c->point;
    }
    w->part = split_dimension(w);
    return sdc_cube_lines_build(&w->lines, &w->k, &w->g, w->state, w->value, w->part);
}

/* Hides grid cell J (and what gives it away) as a complement. */
static void work_hide(work *w, uint32_t j)
{
    const sdc_grid_cell *gc = &w->g.cells[j];
    if (!sdc_protect_suppress(w->t, gc->row, gc->col, w->marker))
        return;
    w->added++;
    w->weight += fabs(w->value[j]);
    /* Added atomically: on the first round's threads (first_round) cells
     * of two values can share a line along the split dimension. The sums
     * do not depend on the order, and no thread reads such a line's count
     * while they run. */
    for (size_t d = 0; d < w->g.dims; d++)
        __atomic_fetch_add(&w->nhid[sdc_cellkey_line(&w->k, j, d)], (uint32_t)!gc->coord_total[d],
                           __ATOMIC_RELAXED);
    bool published = w->state[j] == SDC_CUBE_PUBLISHED;
    if (published)
        sdc_cube_lines_hide(&w->lines, j, w->deferred ? w->part : -1);
    if (published && w->deferred) {
        if (SDC_VEC_RESERVE(w->deferred, w->deferred_cap, w->ndeferred + 1) < 0)
            w->defer_failed = true; /* reported by the thread; the cell stays hidden */
        else
            w->deferred[w->ndeferred++] = j;
    }
    w->state[j] = w->hidden[j] = w->state[j] == SDC_CUBE_NO ? SDC_CUBE_NO : SDC_CUBE_HIDDEN;
}

/* Published parts looked at per line when choosing a complement. */
#define CHOOSE_SCAN 16

/* Does hiding grid cell C close a rectangle: does one of its lines other
 * than along D already hide a part? */
static bool closes(const work *w, uint32_t c, size_t d)
{
    for (size_t e = 0; e < w->g.dims; e++)
        if (e != d && w->nhid[sdc_cellkey_line(&w->k, c, e)] > 0)
            return true;
    return false;
}

/*
 * The complement for hidden cell I along dimension D: a published part of
 * that line. Preferred, in order: among the CHOOSE_SCAN smallest parts at
 * least as large as the protection NEED, one whose other lines already
 * hide a cell (it closes a rectangle instead of opening new lines), else
 * the smallest of them (it protects and hides least); without any part
 * >= NEED, the largest.
 */
static long choose(work *w, size_t i, size_t d, double need)
{
    const sdc_cube_lines *x = &w->lines;
    uint32_t l = sdc_cellkey_line(&w->k, i, d);
    size_t a = x->start[l], e = x->end[l], taken = 0;
    long first = -1;
    for (size_t q = sdc_cube_lines_lower(x, l, need); q < e && taken < CHOOSE_SCAN; q++) {
        q = sdc_cube_lines_next(x, SDC_LINES_PUBLISHED, q, e);
        if (q >= e)
            break;
        w->examined++;
        uint32_t c = x->cell[q];
        if (c == i)
            continue;
        taken++;
        if (closes(w, c, d))
            return c;
        if (first < 0)
            first = c;
    }
    if (first >= 0)
        return first;
    for (size_t q = e; q > a;) {
        q = sdc_cube_lines_prev(x, SDC_LINES_PUBLISHED, q - 1, a);
        if (q == SIZE_MAX)
            break;
        w->examined++;
        if (x->cell[q] != i)
            return x->cell[q];
    }
    return -1;
}

/* Does the line of grid cell I along D hide exactly one part next to a
 * published total (which then gives it away)? */
static bool lone_in_line(const work *w, size_t i, size_t d)
{
    uint32_t l = sdc_cellkey_line(&w->k, i, d);
    int64_t total = w->k.line_total[l];
    if (w->nhid[l] != 1 || total < 0)
        return false;
    const sdc_grid_cell *gc = &w->g.cells[total];
    return sdc_table_cell(w->t, gc->row, gc->col)->kind == SDC_CELL_NUMBER;
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
    unsigned order; /* cells get cubes in the audit's order (0), or shuffled by this seed */
    /* The quick mode: cubes chosen at the true values on a measure's grid
     * of three dimensions or more with more than MARGIN_CELLS cells are
     * MARGIN times as wide as the width asks (0 or 1: as wide as asked). */
    double margin;
    size_t margin_cells;
    /* Per table cell, or NULL: given a cube at the written audit's point
     * in an earlier round (its next one is AGAIN_WIDTH times as wide). */
    unsigned char *again;
    /* The table's grid and index, lent to every audit and round (NULL:
     * each builds its own). */
    sdc_grid_share *share;
    /* The first round's threads (first_round): 0 as many as the machine
     * has cores, -1 no split at all (the cells one after another in the
     * audit's order: for tests). */
    int split_threads;
    /* The first round of each start takes cubes of any width on a
     * measure's grid of three dimensions or more with at most this many
     * cells (cube_complements, NARROW). */
    size_t narrow_cells;
    /* After cubes at the true values that left at most one hidden cell in
     * this many unproved, the audit that knows them is skipped
     * (KNOWN_SKIP_PER; 1: always, SIZE_MAX: only when they left none). */
    size_t known_skip_per;
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
static void complement_round(work *w, const judge *jd, double need, const sdc_audit *a)
{
    long first_problem = -1;
    size_t before = w->added;
    for (size_t q = 0; q < a->count; q++) {
        const sdc_audit_cell *c = &a->cells[q];
        long gi = cell_at(w, c->row, c->col);
        if (gi < 0 || judge_ok(jd, c))
            continue;
        size_t i = (size_t)gi;
        if (first_problem < 0)
            first_problem = gi;
        for (size_t d = 0; d < w->g.dims; d++) {
            if (!lone_in_line(w, i, d))
                continue;
            long k = choose(w, i, d, need);
            if (k >= 0)
                work_hide(w, (uint32_t)k);
        }
    }
    if (w->added == before && first_problem >= 0)
        for (size_t d = 0; d < w->g.dims; d++) {
            long k = choose(w, (size_t)first_problem, d, need);
            if (k >= 0)
                work_hide(w, (uint32_t)k);
        }
}

typedef struct cube_pass {
    const double *value;
    double *lo, *hi; /* per grid cell: values it is proved to take */
    bool integer;
    double need;
    size_t target;
    sdc_cube best; /* the cheapest cube found (choosing) */
    bool found;
    /* per grid cell: hidden, not proved by the audit nor yet by a cube
     * (the choice's tie-break, sdc_cube_search.want), or NULL */
    unsigned char *want;
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
        if (x->want && x->want[k] && proved_wide(x, k))
            x->want[k] = 0;
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

/* The order in which the N cells of an audit get cubes: as listed when
 * ORDER is 0, else a shuffle seeded by ORDER (splitmix64, Steele, Lea and
 * Flood 2014, drawing Fisher-Yates swaps), the same on every run. NULL
 * when out of memory. */
static size_t *cube_order(size_t n, unsigned order)
{
    size_t *ord = malloc((n + 1) * sizeof *ord);
    if (!ord)
        return NULL;
    for (size_t q = 0; q < n; q++)
        ord[q] = q;
    uint64_t st = order;
    for (size_t q = n; order && q > 1; q--) {
        uint64_t z = (st += 0x9e3779b97f4a7c15u);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
        z ^= z >> 31;
        size_t j = (size_t)(z % q), swap = ord[q - 1];
        ord[q - 1] = ord[j];
        ord[j] = swap;
    }
    return ord;
}

/* Hides the published corners of the cube X chose, and widens what its
 * corners are proved to take. */
static void hide_cube(work *w, cube_pass *x)
{
    for (size_t c = 0; c < x->best.ncorners; c++)
        if (w->state[x->best.corner[c]] == SDC_CUBE_PUBLISHED)
            work_hide(w, x->best.corner[c]);
    widen_corners(x, &x->best);
}

/*
 * At the true values: how many of the grid's hidden cells are now proved
 * protected, into W->proved: judged so by audit A (hiding more never
 * narrows an interval), or as wide as asked by the cubes of this pass and
 * by cubes of hidden cells alone (HIDDEN_CUBES, widening X). A cell hidden
 * since A other than as a cube's corner (a count's magnitude, hidden with
 * it) that no such cube proves gets a cube of its own from CHOOSE, in the
 * quick mode (NULL otherwise: that costs complements the audit may find
 * unneeded). When every measure's hidden cells are counted, the audit with
 * the true values would find nothing to add, and protect_rounds goes on
 * to the audit as check runs it. Returns 0, or -1 when out of memory.
 */
static int count_proved(work *w, const judge *jd, const sdc_audit *a,
                        const sdc_cube_search *hidden_cubes, const sdc_cube_search *choose,
                        cube_pass *x)
{
    const sdc_table *t = w->t;
    unsigned char *listed = calloc(w->g.count + 1, 1); /* 1: proved by A, 2: not */
    if (!listed)
        return -1;
    for (size_t q = 0; q < a->count; q++) {
        long gi = cell_at(w, a->cells[q].row, a->cells[q].col);
        if (gi >= 0)
            listed[gi] = judge_ok(jd, &a->cells[q]) ? 1 : 2;
    }
    int rc = 0;
    for (size_t i = 0; i < w->g.count && rc == 0; i++) {
        const sdc_grid_cell *gc = &w->g.cells[i];
        if (sdc_table_cell(t, gc->row, gc->col)->kind != SDC_CELL_SUPPRESSED)
            continue;
        bool hidden = w->state[i] == SDC_CUBE_HIDDEN;
        if (listed[i] != 1 && hidden && !proved_wide(x, i)) {
            x->target = i;
            rc = sdc_cube_find(hidden_cubes, i) < 0 ? -1 : 0;
        }
        if (rc == 0 && listed[i] == 0 && hidden && !proved_wide(x, i) && choose) {
            x->found = false;
            rc = sdc_cube_find(choose, i) < 0 ? -1 : 0;
            if (rc == 0 && x->found)
                hide_cube(w, x);
        }
    }
    /* Counted once the cubes are all in: a cube hides cells the loop has
     * passed. */
    for (size_t i = 0; i < w->g.count && rc == 0; i++) {
        const sdc_grid_cell *gc = &w->g.cells[i];
        if (sdc_table_cell(t, gc->row, gc->col)->kind == SDC_CELL_SUPPRESSED)
            w->proved += listed[i] == 1 || (w->state[i] == SDC_CUBE_HIDDEN && proved_wide(x, i));
    }
    free(listed);
    return rc;
}

/* One measure's cube complements: what each cell's searches share. */
typedef struct cube_run {
    work *w;
    const judge *jd;
    const sdc_audit *a;
    cube_pass *x;
    sdc_cube_search *free_cubes, *choose_cube;
    double range; /* the chosen cubes' least range, before AGAIN_WIDTH */
} cube_run;

/* Audit R->a's cell Q: if hidden, known and not yet proved, the cubes of
 * hidden cells through it, then the cheapest cube that proves it (see
 * cube_complements). Returns 0, or -1 when out of memory. */
static int cube_cell(cube_run *r, size_t q)
{
    work *w = r->w;
    const sdc_audit_cell *ac = &r->a->cells[q];
    long gi = cell_at(w, ac->row, ac->col);
    if (gi < 0 || judge_ok(r->jd, ac))
        return 0;
    size_t i = (size_t)gi;
    if (w->state[i] != SDC_CUBE_HIDDEN || proved_wide(r->x, i))
        return 0;
    r->x->target = i;
    if (w->truth && r->jd->again) {
        size_t ti = ac->row * w->t->ncols + ac->col;
        double wide = r->jd->again[ti] ? AGAIN_WIDTH : 1;
        r->choose_cube->min_range = (r->range > 0 ? r->range : 1e-9) * wide;
        r->jd->again[ti] = 1;
    }
    if (sdc_cube_find(r->free_cubes, i) < 0)
        return -1;
    if (proved_wide(r->x, i))
        return 0;
    r->x->found = false;
    if (sdc_cube_find(r->choose_cube, i) < 0)
        return -1;
    if (!r->x->found) {
        /* A cell the audit could not prove either: search wider. */
        sdc_cube_search wider = *r->choose_cube;
        wider.per_dim *= 3;
        wider.max_nodes *= 20;
        if (sdc_cube_find(&wider, i) < 0)
            return -1;
    }
    if (r->x->found)
        hide_cube(w, r->x);
    return 0;
}

/* One value of the split dimension: its cells in the audit's order, how
 * far its searches have come, and what they did so far. */
typedef struct split_value {
    size_t *q, n;
    size_t next; /* its cells before this one are searched */
    bool busy;   /* a thread is searching a chunk of them */
    size_t added, examined;
    double weight;
    uint32_t *deferred; /* work.deferred */
    size_t ndeferred, deferred_cap;
    int rc;
} split_value;

/*
 * The values' cells are searched in chunks of at most SPLIT_CHUNK_PER-th
 * of a value's cells, a value's chunks one after another (each goes on
 * from where the one before left the grid and the tallies) but on any
 * thread. Whole values, one to a thread, left one core idle through the
 * last: the 5-D bench table's five countries on two cores ran as three
 * countries' time (the last about 6.3 s alone, a ninth of the run, on a
 * machine where each took 6.2 to 7.7 s); in chunks the threads share the
 * last values' cells too, and at most a chunk is left to one thread.
 */
#define SPLIT_CHUNK_PER 32

typedef struct split_job {
    const cube_run *run;
    split_value *values;
    const size_t *order; /* the values, most cells first */
    size_t nvalues;
    pthread_mutex_t lock; /* the values' NEXT and BUSY */
    pthread_cond_t done;  /* a chunk searched */
} split_job;

/* Searches the cells [FROM, TO) of value V, on a copy of the run whose
 * work goes on with V's tallies and defers the index of the lines along
 * the split dimension. */
static void split_search(const cube_run *run, split_value *v, size_t from, size_t to)
{
    work tw = *run->w;
    tw.added = v->added;
    tw.examined = v->examined;
    tw.weight = v->weight; /* summed on, cell by cell, as in one run */
    /* never NULL here: a thread's work is known by it */
    tw.deferred = v->deferred;
    tw.ndeferred = v->ndeferred;
    tw.deferred_cap = v->deferred_cap;
    tw.defer_failed = false;
    if (!tw.deferred && SDC_VEC_RESERVE(tw.deferred, tw.deferred_cap, 256) < 0)
        v->rc = -1;
    cube_pass tx = *run->x;
    sdc_cube_search fc = *run->free_cubes, cc = *run->choose_cube;
    fc.ctx = cc.ctx = &tx;
    fc.examined = cc.examined = &tw.examined;
    cube_run r = {.w = &tw,
                  .jd = run->jd,
                  .a = run->a,
                  .x = &tx,
                  .free_cubes = &fc,
                  .choose_cube = &cc,
                  .range = run->range};
    for (size_t o = from; o < to && v->rc == 0; o++)
        v->rc = cube_cell(&r, v->q[o]);
    if (tw.defer_failed)
        v->rc = -1;
    v->added = tw.added;
    v->examined = tw.examined;
    v->weight = tw.weight;
    v->deferred = tw.deferred;
    v->ndeferred = tw.ndeferred;
    v->deferred_cap = tw.deferred_cap;
}

/* Under J's lock: the value with the most cells left to search that no
 * thread is searching, or SIZE_MAX. */
static size_t split_pick(const split_job *j)
{
    size_t best = SIZE_MAX, left = 0;
    for (size_t o = 0; o < j->nvalues; o++) {
        const split_value *v = &j->values[j->order[o]];
        if (!v->busy && v->rc == 0 && v->n - v->next > left) {
            left = v->n - v->next;
            best = j->order[o];
        }
    }
    return best;
}

static void *split_worker(void *arg)
{
    split_job *j = arg;
    pthread_mutex_lock(&j->lock);
    for (;;) {
        size_t at = split_pick(j);
        if (at == SIZE_MAX) {
            bool searching = false;
            for (size_t o = 0; o < j->nvalues; o++)
                searching |= j->values[j->order[o]].busy;
            if (!searching)
                break; /* every value searched (or failed) */
            pthread_cond_wait(&j->done, &j->lock);
            continue;
        }
        split_value *v = &j->values[at];
        size_t chunk = (v->n + SPLIT_CHUNK_PER - 1) / SPLIT_CHUNK_PER;
        size_t from = v->next, to = v->n - from < chunk ? v->n : from + chunk;
        v->busy = true;
        pthread_mutex_unlock(&j->lock);
        split_search(j->run, v, from, to);
        pthread_mutex_lock(&j->lock);
        v->next = to;
        v->busy = false;
        pthread_cond_broadcast(&j->done);
    }
    pthread_cond_broadcast(&j->done);
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

static int by_cells_down(const void *a, const void *b, void *ctx)
{
    const split_value *v = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (v[x].n != v[y].n)
        return v[x].n < v[y].n ? 1 : -1;
    return (x > y) - (x < y);
}

/* The value of W's split dimension (W->part) whose searches take audit
 * cell AC: its own, when its line along that dimension has no total (no
 * cube through it moves along it); or -1 (a total there, or not a cell of
 * W's grid). */
static long split_value_of(const work *w, const sdc_audit_cell *ac)
{
    long gi = cell_at(w, ac->row, ac->col);
    size_t d = (size_t)w->part;
    if (gi < 0 || w->g.cells[gi].coord_total[d] ||
        w->k.line_total[sdc_cellkey_line(&w->k, (size_t)gi, d)] >= 0)
        return -1;
    return (long)w->k.id[(size_t)gi * w->k.dims + d];
}

/*
 * The cube complements for audit R->a's cells in the order ORD. When the
 * grid has a split dimension (split_dimension), the cells whose cubes
 * stay within their value of it are searched first, the values on as
 * many threads as the machine has cores (each value's cells in ORD's
 * order, in chunks that any free thread takes in turn: split_worker),
 * then the rest in ORD's order. A value's searches read
 * and write only cells of that value and lines through them along the
 * other dimensions (cube_lines.h lays those out apart); the lines along
 * the split dimension, which no cube of theirs moves along, have their
 * hidden counts added to atomically (work_hide) and their index brought
 * up to date after the threads, and the tallies are added value by value.
 * So the result does not depend on the threads, nor on how many there
 * are: one core searches the values one after another and hides the
 * same cells. Returns 0, or -1 when out of memory.
 */
static int first_round(cube_run *r, const size_t *ord)
{
    work *w = r->w;
    size_t n = r->a->count;
    if (w->part < 0 || r->jd->split_threads < 0) {
        for (size_t o = 0; o < n; o++)
            if (cube_cell(r, ord[o]) < 0)
                return -1;
        return 0;
    }
    size_t d = (size_t)w->part, nv = w->k.distinct[d];
    split_value *values = calloc(nv + 1, sizeof *values);
    size_t *qs = malloc((n + 1) * sizeof *qs), *rest = malloc((n + 1) * sizeof *rest);
    size_t *order = malloc((nv + 1) * sizeof *order);
    int rc = values && qs && rest && order ? 0 : -1;
    size_t nrest = 0, used = 0;
    for (size_t o = 0; o < n && rc == 0; o++) {
        long v = split_value_of(w, &r->a->cells[ord[o]]);
        if (v >= 0)
            values[v].n++;
        else
            rest[nrest++] = ord[o];
    }
    for (size_t v = 0, at = 0; v < nv && rc == 0; v++) {
        values[v].q = qs + at;
        at += values[v].n;
        values[v].n = 0;
        if (values[v].q != qs + at)
            order[used++] = v;
    }
    for (size_t o = 0; o < n && rc == 0; o++) {
        long v = split_value_of(w, &r->a->cells[ord[o]]);
        if (v >= 0)
            values[v].q[values[v].n++] = ord[o];
    }
    if (rc == 0) {
        w->split_values = used > w->split_values ? used : w->split_values;
        qsort_r(order, used, sizeof *order, by_cells_down, values);
        size_t threads =
            r->jd->split_threads > 0 ? (size_t)r->jd->split_threads : sdc_threads_cores();
        threads = threads < used ? threads : used;
        split_job job = {.run = r,
                         .values = values,
                         .order = order,
                         .nvalues = used,
                         .lock = PTHREAD_MUTEX_INITIALIZER,
                         .done = PTHREAD_COND_INITIALIZER};
        sdc_run_threads((unsigned)threads, split_worker, &job);
        pthread_cond_destroy(&job.done);
        pthread_mutex_destroy(&job.lock);
        /* Value by value: the index of the lines along the split
         * dimension, and the tallies in one order. */
        for (size_t v = 0; v < nv; v++) {
            const split_value *sv = &values[v];
            rc = sv->rc < 0 ? -1 : rc;
            for (size_t e = 0; e < sv->ndeferred; e++)
                sdc_cube_lines_hide_along(&w->lines, sv->deferred[e], d);
            w->added += sv->added;
            w->examined += sv->examined;
            w->weight += sv->weight;
        }
    }
    for (size_t o = 0; o < nrest && rc == 0; o++)
        rc = cube_cell(r, rest[o]);
    for (size_t v = 0; values && v < nv; v++)
        free(values[v].deferred);
    free(values);
    free(qs);
    free(rest);
    free(order);
    return rc;
}

/*
 * The first round's cubes at the true values are chosen for their
 * structure alone (any width) where the audits can afford to find the
 * width: a cube only has to move its cell, the audit that knows the
 * values then proves most cells by what all the hidden cells allow
 * together (on the grids within the exact solver's reach, an LP), and
 * the rounds after give the cells it leaves narrow cubes as wide as the
 * protection asks. The cheapest cube as wide as asked must have its 16
 * corners opposite a small count all large, and large cells are
 * published: on eight 4-D tables of the tests (3,240 cells and fewer)
 * 2,637 complements instead of 2,808, every table passing the audit; on
 * bench/optimal.sh's 3x3x2x2x2 tables 62.3 a table instead of 66.0 (the
 * optimum 54.9). On a grid beyond the exact solver the width must then be
 * found by points and cubes, block by block: on the 5-D bench table
 * 288,420 complements instead of 334,388, but 18 audits of the written
 * table and 480 s instead of 3 and 40 s (doc/design.md), so only the
 * optimal mode's fallback, asked for the fewest cells, goes there (and
 * past NARROW_MAX_CELLS).
 */
#define NARROW 0.0
/* ... on grids of at most this many cells, outside the optimal mode's
 * fallback. On a 4-D table of 11,583 cells (12 x 10 x 8 x 8 with every
 * margin, 18% of its cells 1 to 9) `check --fix` hid 2,087 complements
 * instead of 2,189, but in 6.7 s instead of 0.19 s; on a 5-D table of
 * 19,845 cells (8 x 8 x 6 x 6 x 4) 4,298 instead of 4,710 in 11.3 s
 * instead of 0.33 s (both `--suppress optimal`, which falls back to it). */
#define NARROW_MAX_CELLS 5000

/*
 * Hypercube complements for one measure (Repsilber's HYPERCUBE, as in
 * tau-Argus; see cube.h). For each hidden cell whose value is known and
 * not yet proved protected: first the cubes of cells already hidden,
 * which cost nothing, each widening the values its corners are proved to
 * take (at the true values, a feasible point); if they do not make it as
 * wide as NEED, the cheapest cube through it (fewest published corners to
 * hide, then least value hidden) whose own range is that wide, and its
 * corners are hidden: the cube proves every one of them protected (in a
 * FIRST round where NARROW applies, the cheapest cube of any range, its
 * width left to the audits). Cells
 * with no such cube (no partner in some line, a hierarchy's subtotal) are
 * left to the audit-guided rounds. Hiding more cells never narrows an
 * interval (the true values stay feasible), so what is proved stays so.
 */
static int cube_complements(work *w, const judge *jd, long measure, double need, const sdc_audit *a,
                            bool first)
{
    const sdc_table *t = w->t;
    size_t n = w->g.count + 1;
    double *lo = malloc(n * sizeof *lo), *hi = malloc(n * sizeof *hi);
    /* The hidden cells still to prove: of two cubes as cheap, the one
     * through more of them is chosen, so that primary cells share
     * corners (bench/optimal.sh's ten 6x6x2x2x2 tables, pruned: 1,758
     * complements in all without, 1,746 with). */
    unsigned char *want = calloc(n, 1);
    if (!lo || !hi || !want) {
        free(lo);
        free(hi);
        free(want);
        return -1;
    }
    memcpy(lo, w->value, w->g.count * sizeof *lo);
    memcpy(hi, w->value, w->g.count * sizeof *hi);
    for (size_t q = 0; q < a->count; q++) {
        long gi = cell_at(w, a->cells[q].row, a->cells[q].col);
        if (gi >= 0 && w->state[gi] == SDC_CUBE_HIDDEN && !judge_ok(jd, &a->cells[q]))
            want[gi] = 1;
    }
    cube_pass x = {.value = w->value, .lo = lo, .hi = hi, .need = need, .want = want};
    x.integer = measure < 0 || t->columns[measure].role == SDC_COL_COUNT;
    /* The true values are whole numbers; an audit's point (W->truth set)
     * need not be, and a count's cube there as wide as at the true values
     * would leave it need - 1 values, which the next audit finds narrow
     * when its point is as far from whole. On the 5-D bench table and two
     * more drawn like it (gen nested 10000000 1 and 2) the written table
     * then passed after 2, 3 and 2 audits instead of 4, 4 and 3, for 10
     * more, 36 fewer and 20 more complements (doc/design.md, *Whole
     * numbers at the audit's point*). */
    double range = sdc_cube_least_range(need, x.integer, w->truth == NULL);
    bool roomy = jd->margin > 1 && w->g.dims >= 3 && w->g.count > jd->margin_cells;
    if (!w->truth && roomy)
        range *= jd->margin;
    if (first && !w->truth && !roomy && w->g.dims >= 3 && w->g.count <= jd->narrow_cells)
        range = NARROW; /* any width (see NARROW); the quick mode's margin wins */
    size_t per_dim = w->g.dims <= 2 ? 16 : w->g.dims <= 3 ? 8 : 5;
    bool wide_search = w->g.dims >= 4;
    size_t wide_nodes = roomy ? CUBE_QUICK_MAX_NODES : CUBE_WIDE_MAX_NODES;
    sdc_cube_search free_cubes = {.g = &w->g,
                                  .k = &w->k,
                                  .value = w->value,
                                  .state = w->hidden,
                                  .min_range = 1e-9,
                                  .per_dim = 2 * per_dim,
                                  .max_nodes = CUBE_MAX_NODES,
                                  .lines = &w->lines,
                                  .hidden_only = true,
                                  .examined = &w->examined,
                                  .fn = widen_corners,
                                  .ctx = &x};
    sdc_cube_search choose_cube = {.g = &w->g,
                                   .k = &w->k,
                                   .value = w->value,
                                   .state = w->state,
                                   .min_range = range > 0 ? range : 1e-9,
                                   /* chosen at an audit's point: as wide at
                                    * the true values, or the audit that
                                    * knows them loses what this one gains */
                                   .also = w->truth,
                                   .cheapest = true,
                                   .want = want,
                                   .per_dim = wide_search ? CUBE_WIDE_PER_DIM : per_dim,
                                   .max_nodes = wide_search ? wide_nodes : CUBE_MAX_NODES,
                                   .lines = &w->lines,
                                   .examined = &w->examined,
                                   .line_hidden = w->nhid,
                                   .fn = keep_cheapest,
                                   .ctx = &x};
    cube_run run = {.w = w, .jd = jd, .a = a, .x = &x, .range = range};
    run.free_cubes = &free_cubes;
    run.choose_cube = &choose_cube;
    size_t *ord = cube_order(a->count, jd->order);
    int rc = ord ? first_round(&run, ord) : -1;
    if (rc == 0 && !w->truth)
        rc = count_proved(w, jd, a, &free_cubes, jd->margin > 1 ? &choose_cube : NULL, &x);
    free(ord);
    free(lo);
    free(hi);
    free(want);
    return rc;
}

/* Does audit A leave a cell of MEASURE (a column; -1: a wide crosstab's
 * counts) not proved as JD asks? */
static bool unproved_in(const judge *jd, const sdc_audit *a, long measure)
{
    for (size_t q = 0; q < a->count; q++)
        if ((measure < 0 || a->cells[q].col == (size_t)measure) && !judge_ok(jd, &a->cells[q]))
            return true;
    return false;
}

/* Complements for every measure of T, by cubes (CUBES) or by the greedy
 * rule, for the cells audit A did not prove; the cubes at A's points when
 * AT_POINT, else at the true values. The counts and value added to OUT.
 * Returns 0, or -1 when out of memory. */
static int complements(sdc_table *t, const sdc_policy *p, const judge *jd, const bool *known,
                       double need, const sdc_audit *a, bool cubes, bool at_point, bool first,
                       sdc_protect_result *out, size_t *added, size_t *proved)
{
    long m;
    int rc = 0;
    *proved = 0;
    for (size_t at = 0; rc == 0 && sdc_grid_next_measure(t, &at, &m);) {
        /* At an audit's point only the cells it left unproved get cubes:
         * a measure with none needs no work (its index alone took 0.2 s a
         * round on the 5-D bench table). */
        if (at_point && !unproved_in(jd, a, m))
            continue;
        work w;
        rc = work_build(&w, t, p, m, known, at_point ? a : NULL, jd->share);
        if (rc == 0) {
            if (cubes)
                rc = cube_complements(&w, jd, m, need, a, first);
            else
                complement_round(&w, jd, need, a);
        }
        *added += w.added;
        *proved += w.proved;
        if (w.split_values > out->split_values)
            out->split_values = w.split_values;
        out->secondary_value += w.weight;
        out->examined += w.examined;
        work_free(&w);
    }
    return rc;
}

/* Does audit A prove every suppressed cell protected? */
static bool audit_clean(const judge *jd, const sdc_audit *a)
{
    if (a->inconsistent || a->timed_out || a->too_large)
        return false;
    for (size_t i = 0; i < a->count; i++)
        if (!judge_ok(jd, &a->cells[i]))
            return false;
    return true;
}

/* What OUT says of a table left unprotected: the cells audit A (the
 * last; INDEPENDENT: as check audits) could not prove, and why. */
static void say_unprotected(const judge *jd, const sdc_audit *a, bool independent,
                            sdc_protect_result *out)
{
    for (size_t i = 0; i < a->count; i++) {
        const sdc_audit_cell *c = &a->cells[i];
        if (judge_ok(jd, c))
            continue;
        if (out->unprotected < SDC_PROTECT_MAX_UNPROVED) {
            sdc_protect_cell *u = &out->unproved[out->unprotected];
            u->row = c->row;
            u->col = c->col;
            u->lo = c->solved ? c->lo : NAN;
            u->hi = c->solved ? c->hi : NAN;
            char labels[96];
            sdc_table_row_labels(jd->t, c->row, labels, sizeof labels);
            snprintf(u->where, sizeof u->where, "%s, %s", labels, jd->t->columns[c->col].name);
        }
        out->unprotected++;
    }
    const char *who =
        independent ? "the audit of the table as written (values unknown)" : "the audit";
    if (a->inconsistent)
        snprintf(out->why, sizeof out->why, "the published totals cannot all hold");
    else if (a->too_large)
        snprintf(out->why, sizeof out->why, "a value is past 10^15, too large to audit");
    else if (a->unproved)
        snprintf(out->why, sizeof out->why,
                 "%s could not prove them: too many linked equations for its exact solver", who);
    else if (a->timed_out)
        snprintf(out->why, sizeof out->why, "%s did not finish in its time limit", who);
    else
        snprintf(out->why, sizeof out->why,
                 "%s finds them narrow, and no published part left would widen them", who);
}

/* The audit with the true values (KNOWN), and the one `check` runs on
 * the written table (values unknown, its time limit), blocks of more than
 * LP_MAX_ROWS equations getting no linear program (the audit's own limit
 * but in tests). */
static int audit_known(const sdc_table *t, const judge *jd, double protection, const bool *known,
                       size_t lp_max_rows, sdc_audit *a)
{
    return sdc_audit_table_shared(t, jd->p, 60, protection, known, lp_max_rows, NULL, jd->share, a);
}

static int audit_written(const sdc_table *t, const judge *jd, double protection, size_t lp_max_rows,
                         sdc_audit_memo *memo, sdc_audit *a)
{
    return sdc_audit_table_shared(t, jd->p, sdc_audit_time_limit(t), protection, NULL, lp_max_rows,
                                  memo, jd->share, a);
}

/* Tables of at most this many measure cells have their complements
 * pruned; in three dimensions or more (where they also get further
 * starts, each pruned) at most CUBE_PRUNE_MAX_CELLS: 6x6x2x2x2 with every
 * margin, 1,323 rows of one count, hides 36% more complements than the
 * optimum without, 24% with (bench/optimal.sh), in 2 s a table; a 3,645
 * row table of the tests took 19 s, 12x12x2x2x2 (4,563) up to 24 s. */
#define PRUNE_MAX_CELLS 5000
#define CUBE_PRUNE_MAX_CELLS 2000

/* The cells a pattern can hide: T's rows times its measure columns (the
 * label columns, a measure's evidence and its counts of contributors
 * left out). SIZE_MAX when out of memory. */
static size_t measure_cells(const sdc_table *t)
{
    bool *measure = sdc_protect_measure_columns(t);
    if (!measure)
        return SIZE_MAX;
    size_t n = 0;
    for (size_t c = 0; c < t->ncols; c++)
        n += measure[c];
    free(measure);
    return n * t->nrows;
}

/* Gives back cell (R, C) as GIVEN had it, and what sdc_protect_suppress
 * hid with it (its evidence, the measures it counts the contributors of),
 * unless the primary rules hid them (PRIMARY). */
static void unsuppress(sdc_table *t, const sdc_cell *given, const bool *primary, size_t r, size_t c)
{
    size_t at = r * t->ncols + c;
    if (primary[at] || t->cells[at].kind != SDC_CELL_SUPPRESSED)
        return;
    t->cells[at] = given[at];
    const sdc_column *col = &t->columns[c];
    for (int k = 0; k < 8; k++)
        if (col->largest[k] >= 0 && !primary[r * t->ncols + (size_t)col->largest[k]])
            t->cells[r * t->ncols + (size_t)col->largest[k]] =
                given[r * t->ncols + (size_t)col->largest[k]];
    for (size_t m = 0; m < t->ncols; m++)
        if (m != c && t->columns[m].contributors == (long)c)
            unsuppress(t, given, primary, r, m);
}

typedef struct complement {
    size_t cell;
    double value;
} complement;

static int by_value_down(const void *a, const void *b)
{
    const complement *x = a, *y = b;
    if (x->value != y->value)
        return x->value < y->value ? 1 : -1;
    return (x->cell > y->cell) - (x->cell < y->cell);
}

/* The complements of T's pattern (hidden measure cells that GIVEN
 * publishes and the primary rules did not hide), largest value first, their
 * number in *N. NULL when out of memory. */
static complement *complements_of(const sdc_table *t, const sdc_cell *given, const bool *primary,
                                  const bool *measure, size_t *n)
{
    size_t ncells = t->nrows * t->ncols;
    complement *cs = malloc((ncells + 1) * sizeof *cs);
    *n = 0;
    if (!cs)
        return NULL;
    for (size_t i = 0; i < ncells; i++)
        if (t->cells[i].kind == SDC_CELL_SUPPRESSED && !primary[i] &&
            given[i].kind == SDC_CELL_NUMBER && measure[i % t->ncols])
            cs[(*n)++] = (complement){i, fabs(given[i].number)};
    qsort(cs, *n, sizeof *cs, by_value_down);
    return cs;
}

/* The value the N complements CS hold. */
static double complements_value(const complement *cs, size_t n)
{
    double v = 0;
    for (size_t q = 0; q < n; q++)
        v += cs[q].value;
    return v;
}

/* Is a pattern of N complements holding VALUE better than one of BEST_N
 * holding BEST: fewer, or as many holding less? */
static bool better_pattern(size_t n, double value, size_t best_n, double best)
{
    return n < best_n || (n == best_n && value < best - 1e-9 * (1 + best));
}

/*
 * The greedy rounds hide what each step needs, and later steps can make
 * earlier complements unnecessary. So on small tables each complement,
 * largest value first, is given back when the table stays protected
 * without it (both audits, as in the rounds). GIVEN is the table as given,
 * PRIMARY the cells the primary rules hid. Returns 0, or -1 when out of
 * memory.
 */
static int prune(sdc_table *t, const sdc_policy *p, const judge *jd, const bool *known,
                 const sdc_cell *given, const bool *primary, bool levels, double need,
                 size_t lp_max_rows, sdc_protect_result *out)
{
    size_t ncells = t->nrows * t->ncols, n = 0;
    sdc_cell *save = malloc((ncells + 1) * sizeof *save);
    bool *measure = sdc_protect_measure_columns(t);
    complement *cs = measure ? complements_of(t, given, primary, measure, &n) : NULL;
    int rc = cs && save && measure ? 0 : -1;
    sdc_protect_lines lines = {0};
    if (rc == 0 && n > 0)
        rc = sdc_protect_lines_build(&lines, t, p);
    for (size_t q = 0; rc == 0 && q < n; q++) {
        size_t i = cs[q].cell;
        size_t r = i / t->ncols, c = i % t->ncols;
        long nc = t->columns[c].contributors;
        if (t->cells[i].kind != SDC_CELL_SUPPRESSED)
            continue; /* given back with another */
        if (nc >= 0 && (size_t)nc != c &&
            t->cells[r * t->ncols + (size_t)nc].kind == SDC_CELL_SUPPRESSED)
            continue; /* a value is never published without its contributor count */
        memcpy(save, t->cells, ncells * sizeof *save);
        unsuppress(t, given, primary, r, c);
        if (sdc_protect_lines_lone(&lines, t, i)) {
            /* a line through it would give a cell away: no audit needed */
            memcpy(t->cells, save, ncells * sizeof *save);
            continue;
        }
        sdc_audit a = {0}, b = {0};
        bool ok = audit_known(t, jd, levels ? 0 : need, known, lp_max_rows, &a) == 0 &&
                  audit_clean(jd, &a) &&
                  audit_written(t, jd, levels ? 0 : need, lp_max_rows, NULL, &b) == 0 &&
                  audit_clean(jd, &b);
        sdc_audit_free(&a);
        sdc_audit_free(&b);
        if (!ok) {
            memcpy(t->cells, save, ncells * sizeof *save);
            continue;
        }
        out->secondary--;
        out->secondary_value -= cs[q].value;
    }
    if (out->secondary_value < 0)
        out->secondary_value = 0;
    sdc_protect_lines_free(&lines);
    free(measure);
    free(cs);
    free(save);
    return rc;
}

/* The suppressed cells of every measure's grid of T. */
static size_t measures_suppressed(const sdc_table *t)
{
    size_t n = 0;
    long m;
    for (size_t at = 0; sdc_grid_next_measure(t, &at, &m);)
        for (size_t c = 0; c < t->ncols; c++)
            if (m < 0 ? t->columns[c].role == SDC_COL_COUNT : c == (size_t)m)
                for (size_t r = 0; r < t->nrows; r++)
                    n += sdc_table_cell(t, r, c)->kind == SDC_CELL_SUPPRESSED;
    return n;
}

/* Are PROVED of N hidden cells all but at most one in JD->known_skip_per? */
static bool nearly_all(const judge *jd, size_t proved, size_t n)
{
    return proved >= n || n - proved <= n / jd->known_skip_per;
}

/*
 * Rounds of the audit and complements until both audits (the true values;
 * then the table as written, as `check` sees it) find every hidden cell
 * protected (OUT->protected_ok), or nothing is left to choose (the cells
 * not proved are listed in OUT). KNOWN: per table cell, whether its value
 * is known (a published cell that is not is never chosen). Returns 0, or
 * -1 when out of memory.
 */
static int protect_rounds(sdc_table *t, const sdc_policy *p, const judge *jd, const bool *known,
                          bool levels, double need, size_t ncells, size_t cube_min,
                          size_t lp_max_rows, sdc_protect_result *out)
{
    int rc = 0;
    sdc_audit last = {0};
    bool independent = false;
    size_t fewest_unproved = SIZE_MAX;
    int stale = 0;
    /* The audit with the true values found every cell protected, and
     * since then only cubes as wide at the true values were hidden: hiding
     * more never narrows an interval (the true values stay a feasible
     * point), and each such cube proves its new corners, so that audit
     * need not run again. */
    bool known_holds = false;
    /* The written table's blocks that a round's new hidden cells leave as
     * they were are settled once (most of them, once few cells are left
     * unproved: on the 5-D bench table, in its last rounds, 2 to 4 of the
     * five blocks a measure). The quick mode keeps them too: its second
     * audit of the 5-D bench table's written table took 1.5 s instead of
     * 2.2 s (15.3 s instead of 16.4 s in all, the same bytes), its peak
     * 797 MiB instead of 780 (the reading of the records'). The quick mode
     * kept none while a table's measures were audited at once: the memo
     * took it from 991 to 1,016 MiB, against a limit of 1,024. */
    sdc_audit_memo *memo = sdc_audit_memo_new();
    if (!memo)
        return -1;
    if (jd->again) /* each start's rounds begin afresh */
        memset(jd->again, 0, t->nrows * t->ncols);
    for (int round = 0; round < MAX_ROUNDS && rc == 0; round++) {
        /* The round before's audit is only wanted to say what was left
         * unproved after the last round; each round's replaces it (LAST
         * is empty until then). Freed first: it holds every hidden cell
         * (44 MB on the 5-D bench table), beside the audits below at the
         * run's peak. */
        sdc_audit_free(&last);
        sdc_audit a = {0};
        out->audits_known += !known_holds;
        if (!known_holds && audit_known(t, jd, levels ? 0 : need, known, lp_max_rows, &a) < 0) {
            sdc_audit_free(&a);
            rc = -1;
            break;
        }
        independent = false;
        if (known_holds || audit_clean(jd, &a)) {
            /* Proved with the true values: now as `check` will audit the
             * written table, not knowing them, within its time limit.
             * What it cannot prove gets complements like any other. */
            sdc_audit_free(&a);
            known_holds = true;
            independent = true;
            out->audits_written++;
            if (audit_written(t, jd, levels ? 0 : need, lp_max_rows, memo, &a) < 0) {
                sdc_audit_free(&a);
                rc = -1;
                break;
            }
            if (audit_clean(jd, &a)) {
                out->protected_ok = true;
                sdc_audit_free(&a);
                break;
            }
            /* Cells left unproved in a block too large for the exact
             * solver are proved at the true values (by cubes through
             * them) but not at the points `check` can find: they get
             * cubes at the audit's own point below. */
            bool unproved_only = a.unproved > 0 && !a.out_of_time;
            /* ... while the rounds pay: STALE_ROUNDS of them in a row
             * that leave as many unproved as the best one end it */
            if (unproved_only && a.unproved < fewest_unproved) {
                fewest_unproved = a.unproved;
                stale = 0;
            } else if (unproved_only && ++stale >= STALE_ROUNDS) {
                unproved_only = false;
            }
            if ((a.timed_out && !unproved_only) || a.inconsistent || a.too_large) {
                /* Nothing to choose from: which cells it could not
                 * prove in time says nothing about what they need. */
                last = a;
                break;
            }
        }
        size_t added = 0, proved = 0;
        if (ncells >= cube_min && !a.inconsistent)
            rc = complements(t, p, jd, known, need, &a, true, independent, round == 0, out, &added,
                             &proved);
        if (added == 0 && rc == 0) {
            rc = complements(t, p, jd, known, need, &a, false, false, false, out, &added, &proved);
            known_holds &= added == 0; /* the greedy's cells are not proved */
        } else if (rc == 0 && !independent && !a.too_large && !jd->sensitive &&
                   nearly_all(jd, proved, measures_suppressed(t))) {
            /* The cubes at the true values proved every hidden cell, or
             * all but a few (KNOWN_SKIP_PER): the audit that knows them
             * would add nothing (see count_proved), or is not worth its
             * time before the written table's. */
            known_holds = true;
        }
        out->secondary += added;
        last = a;
        if (added == 0)
            break; /* nothing left to choose: not protected */
    }
    if (!out->protected_ok && rc == 0)
        say_unprotected(jd, &last, independent, out);
    sdc_audit_memo_free(memo);
    sdc_audit_free(&last);
    return rc;
}

/* Complements for every two-dimensional measure of T: the lines hiding a
 * cell alone covered by a matching (cover.c). Counts and value added to
 * OUT. Returns 0, or -1 when out of memory. */
static int cover_complements(sdc_table *t, const sdc_policy *p, const bool *known, double need,
                             sdc_protect_result *out)
{
    long m;
    int rc = 0;
    for (size_t at = 0; rc == 0 && sdc_grid_next_measure(t, &at, &m);) {
        work w;
        uint32_t *cells = NULL;
        size_t n = 0;
        rc = work_build(&w, t, p, m, known, NULL, NULL);
        if (rc == 0)
            rc = sdc_protect_cover(&w.g, &w.k, w.state, w.value, need, &cells, &n);
        for (size_t q = 0; q < n; q++)
            work_hide(&w, cells[q]);
        out->secondary += w.added;
        out->secondary_value += w.weight;
        free(cells);
        work_free(&w);
    }
    return rc;
}

/*
 * A second start (two-dimensional tables): the pattern's complements
 * given back, the lines hiding a cell alone covered by a matching
 * (cover.c) instead of one greedy complement per line, the rounds adding
 * what the audits still ask for, the result pruned. It replaces the
 * pattern when it has fewer complements (or as many holding less); it
 * passed both audits (protect_rounds and prune judge it). Returns 0, or -1
 * when out of memory (the pattern kept).
 */
static int cover_start(sdc_table *t, const sdc_policy *p, const judge *jd, const bool *known,
                       const sdc_cell *given, const bool *primary, bool levels, double need,
                       size_t cube_min, size_t lp_max_rows, sdc_protect_result *out)
{
    size_t ncells = t->nrows * t->ncols, n = 0, m = 0;
    bool *measure = sdc_protect_measure_columns(t);
    sdc_cell *was = malloc((ncells + 1) * sizeof *was);
    complement *cs = measure ? complements_of(t, given, primary, measure, &n) : NULL;
    complement *now = NULL;
    int rc = measure && was && cs ? 0 : -1;
    double was_value = cs ? complements_value(cs, n) : 0;
    if (rc == 0)
        memcpy(was, t->cells, ncells * sizeof *was);
    for (size_t q = 0; rc == 0 && q < n; q++)
        unsuppress(t, given, primary, cs[q].cell / t->ncols, cs[q].cell % t->ncols);
    sdc_protect_result r = {0};
    if (rc == 0)
        rc = cover_complements(t, p, known, need, &r);
    if (rc == 0)
        rc = protect_rounds(t, p, jd, known, levels, need, ncells, cube_min, lp_max_rows, &r);
    if (rc == 0 && r.protected_ok && r.secondary > 0)
        rc = prune(t, p, jd, known, given, primary, levels, need, lp_max_rows, &r);
    out->examined += r.examined;
    if (rc == 0 && r.protected_ok && !(now = complements_of(t, given, primary, measure, &m)))
        rc = -1;
    double value = now ? complements_value(now, m) : 0;
    if (now && better_pattern(m, value, n, was_value)) {
        out->secondary = m;
        out->secondary_value = value;
    } else if (was) {
        memcpy(t->cells, was, ncells * sizeof *was);
    }
    free(measure);
    free(was);
    free(cs);
    free(now);
    return rc;
}

/* Starts of the rounds on small tables of three dimensions or more. */
#define CUBE_STARTS 8u

/*
 * Further starts (small tables of three dimensions or more): each cube
 * is the cheapest given the cells hidden before it, so the pattern
 * depends on the order the cells get theirs in, and no one order is best
 * (bench/optimal.sh, 3x3x2x2x2: 680 to 712 complements over ten tables
 * as the order changes, 648 taking the best of twelve for each table).
 * The pattern's complements are given back and the rounds run again with
 * the cells in STARTS - 1 shuffled orders, each result pruned; the
 * pattern with the fewest complements (or as many holding least) is kept.
 * Each passed both audits (protect_rounds and prune judge it). Returns 0,
 * or -1 when out of memory (the best pattern so far kept).
 */
static int cube_starts(sdc_table *t, const sdc_policy *p, const judge *jd, const bool *known,
                       const sdc_cell *given, const bool *primary, bool levels, double need,
                       size_t cube_min, size_t lp_max_rows, unsigned starts,
                       sdc_protect_result *out)
{
    size_t ncells = t->nrows * t->ncols, n = 0;
    bool *measure = sdc_protect_measure_columns(t);
    sdc_cell *best = malloc((ncells + 1) * sizeof *best);
    complement *cs = measure ? complements_of(t, given, primary, measure, &n) : NULL;
    int rc = measure && best && cs ? 0 : -1;
    double best_value = cs ? complements_value(cs, n) : 0;
    size_t best_n = n;
    if (rc == 0)
        memcpy(best, t->cells, ncells * sizeof *best);
    for (unsigned order = 1; rc == 0 && order < starts && best_n > 0; order++) {
        for (size_t q = 0; q < n; q++)
            unsuppress(t, given, primary, cs[q].cell / t->ncols, cs[q].cell % t->ncols);
        judge shuffled = *jd;
        shuffled.order = order;
        sdc_protect_result r = {0};
        rc =
            protect_rounds(t, p, &shuffled, known, levels, need, ncells, cube_min, lp_max_rows, &r);
        if (rc == 0 && r.protected_ok && r.secondary > 0)
            rc = prune(t, p, &shuffled, known, given, primary, levels, need, lp_max_rows, &r);
        out->examined += r.examined;
        free(cs);
        cs = rc == 0 ? complements_of(t, given, primary, measure, &n) : NULL;
        if (!cs) {
            rc = -1;
            break;
        }
        double value = complements_value(cs, n);
        if (r.protected_ok && better_pattern(n, value, best_n, best_value)) {
            memcpy(best, t->cells, ncells * sizeof *best);
            best_n = n;
            best_value = value;
        }
    }
    if (best) {
        memcpy(t->cells, best, ncells * sizeof *best);
        out->secondary = best_n;
        out->secondary_value = best_value;
    }
    free(measure);
    free(best);
    free(cs);
    return rc;
}

/* Tables of at most this many cells get the search below, and it makes at
 * most this many moves. */
#define IMPROVE_MAX_CELLS 2000
#define IMPROVE_TRIES 400

/* Does T have at most two dimensions (a crosstab, or a long table by two
 * labels), where complements close rectangles? The search below is for
 * those: in three dimensions a table of 150 cells hides some 30
 * complements, and trying them in pairs took seconds a table. */
static bool two_dimensional(const sdc_table *t)
{
    sdc_grid_frame f;
    sdc_grid_frame_init(t, &f);
    return f.dims + (t->shape == SDC_SHAPE_WIDE) <= 2;
}

/*
 * Remove and repair (a local search after the pruning): each complement of
 * the pattern, largest value first, then each pair of them, is given back
 * and barred from being chosen again; the table is protected anew
 * without them twice (the lines left hiding a cell alone covered by a
 * matching, cover.c, then the rounds; or the rounds choosing the cheapest
 * rectangles at the true values), each result pruned; a pattern with
 * fewer complements (or as many holding less) replaces the pattern and
 * the search starts over from it, at most IMPROVE_TRIES moves. A
 * complement chosen for one line can so be replaced by one that serves
 * two lines. (The greedy rule as the first repair, as before the
 * matching, found nothing more on bench/optimal.sh's tables and took 40%
 * longer.) Every pattern kept passed both audits (protect_rounds and
 * prune judge it), so the result is as protected as the pattern it
 * replaces. Deterministic: the order depends on the values only. Returns 0,
 * or -1 when out of memory (the best pattern found is kept).
 */
static int improve(sdc_table *t, const sdc_policy *p, const judge *jd, bool *known,
                   const sdc_cell *given, const bool *primary, bool levels, double need,
                   size_t cube_min, size_t lp_max_rows, sdc_protect_result *out)
{
    size_t ncells = t->nrows * t->ncols, n = 0;
    bool *measure = sdc_protect_measure_columns(t);
    sdc_cell *best = malloc((ncells + 1) * sizeof *best);
    sdc_cell *start = malloc((ncells + 1) * sizeof *start);
    complement *cs = measure ? complements_of(t, given, primary, measure, &n) : NULL;
    int rc = measure && best && start && cs ? 0 : -1;
    double best_value = cs ? complements_value(cs, n) : 0;
    size_t best_n = n;
    bool improved = false;
    if (rc == 0)
        memcpy(best, t->cells, ncells * sizeof *best);
    /* Moves: each complement alone (q < n), then each pair (q >= n). */
    size_t q = 0;
    for (int tries = 0; rc == 0 && q < n + n * (n - 1) / 2 && tries < IMPROVE_TRIES; tries++, q++) {
        size_t i = cs[q < n ? q : 0].cell, j = SIZE_MAX;
        if (q >= n) {
            /* pair number q - n: (a, b) with a < b, in order */
            size_t k = q - n, a = 0;
            while (k >= n - 1 - a) {
                k -= n - 1 - a;
                a++;
            }
            i = cs[a].cell;
            j = cs[a + 1 + k].cell;
        }
        unsuppress(t, given, primary, i / t->ncols, i % t->ncols);
        known[i] = false; /* barred: a published cell whose value is not known is never chosen */
        if (j != SIZE_MAX) {
            unsuppress(t, given, primary, j / t->ncols, j % t->ncols);
            known[j] = false;
        }
        /* Two repairs from the same start: the matching's cover, then
         * the rounds (greedy rule); or the cheapest rectangles (cubes)
         * at the true values. */
        memcpy(start, t->cells, ncells * sizeof *start);
        bool better = false;
        for (int v = 0; v < 2 && rc == 0 && !better; v++) {
            if (v)
                memcpy(t->cells, start, ncells * sizeof *start);
            sdc_protect_result r = {0};
            if (v == 0)
                rc = cover_complements(t, p, known, need, &r);
            if (rc == 0)
                rc = protect_rounds(t, p, jd, known, levels, need, ncells, v ? 0 : cube_min,
                                    lp_max_rows, &r);
            if (rc == 0 && r.protected_ok)
                rc = prune(t, p, jd, known, given, primary, levels, need, lp_max_rows, &r);
            out->examined += r.examined;
            size_t m = 0;
            complement *now = NULL;
            if (rc == 0 && r.protected_ok &&
                !(now = complements_of(t, given, primary, measure, &m)))
                rc = -1;
            double value = now ? complements_value(now, m) : 0;
            if (now && better_pattern(m, value, best_n, best_value)) {
                /* better: the search starts over from it */
                memcpy(best, t->cells, ncells * sizeof *best);
                best_n = m;
                best_value = value;
                free(cs);
                cs = now;
                n = m;
                better = improved = true;
            } else {
                free(now);
            }
        }
        known[i] = true;
        if (j != SIZE_MAX)
            known[j] = true;
        if (better) {
            q = SIZE_MAX; /* ++ makes it 0 */
            continue;
        }
        memcpy(t->cells, best, ncells * sizeof *best);
    }
    if (best)
        memcpy(t->cells, best, ncells * sizeof *best);
    if (rc == 0 && improved) {
        out->secondary = best_n;
        out->secondary_value = best_value;
    }
    free(measure);
    free(best);
    free(start);
    free(cs);
    return rc;
}

/* The heuristic: primary suppression, then rounds of the audit (which
 * proves most cells protected with cubes at the true values, and asks
 * the LP about the rest) and complements for what it finds unprotected:
 * on tables of CUBE_MIN cells or more, the cheapest hypercube through
 * each such cell; else, or when no cube is found, the greedy rule. */
typedef struct heuristic_opts {
    size_t max_cells; /* the modular decomposition's subtables (0: none) */
    double seconds, budget;
    double margin; /* the quick mode's wider cubes (judge; 0: none) */
    size_t margin_cells;
    int split_threads; /* judge */
    /* The first round takes cubes of any width on grids of at most this
     * many cells (judge; 0: NARROW_MAX_CELLS, or fewer when the audit's
     * exact solver takes fewer equations). */
    size_t narrow_cells;
    size_t known_skip_per; /* judge; 0: KNOWN_SKIP_PER */
} heuristic_opts;

static int protect_heuristic(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                             size_t cube_min, size_t lp_max_rows, const heuristic_opts *mod,
                             unsigned starts, sdc_protect_result *out)
{
    memset(out, 0, sizeof *out);
    if (t->shape == SDC_SHAPE_REGRESSION || t->truncated)
        return 0;
    /* Which values are known: the published ones, before primary
     * suppression hides some of them (their number stays in the cell). */
    size_t ncells = t->nrows * t->ncols;
    size_t hideable = measure_cells(t);
    bool *known = malloc(ncells + 1);
    if (!known || hideable == SIZE_MAX) {
        free(known);
        return -1;
    }
    for (size_t i = 0; i < ncells; i++)
        known[i] = t->cells[i].kind == SDC_CELL_NUMBER;
    /* Small tables keep the table as given and the primary cells, so that
     * complements that turn out unnecessary can be given back (prune, and
     * the starts and the search after it). */
    bool small = hideable <= (two_dimensional(t) ? PRUNE_MAX_CELLS : CUBE_PRUNE_MAX_CELLS);
    sdc_cell *given = small ? malloc(ncells * sizeof *given + 1) : NULL;
    bool *primary = malloc(ncells + 1);
    if (!primary || (small && !given)) {
        free(given);
        free(primary);
        free(known);
        return -1;
    }
    if (given)
        memcpy(given, t->cells, ncells * sizeof *given);
    out->primary = sdc_protect_primary(t, p, scanner);
    for (size_t i = 0; i < ncells; i++)
        primary[i] = t->cells[i].kind == SDC_CELL_SUPPRESSED;
    double need = sdc_audit_need(p);
    /* Protection levels ask how far each sensitive cell can move either
     * way: exact intervals, not the verdict shortcut's. */
    bool levels = p->protection_lower > 0 || p->protection_upper > 0;
    bool *sensitive = levels ? malloc(ncells + 1) : NULL;
    if (levels && !sensitive) {
        free(given);
        free(primary);
        free(known);
        return -1;
    }
    for (size_t i = 0; sensitive && i < ncells; i++)
        sensitive[i] = known[i] && t->cells[i].kind == SDC_CELL_SUPPRESSED;
    /* The labels stay as they are: one grid and index for every audit and
     * round (sdc_grid_share). */
    sdc_grid_share share = {0};
    judge jd = {.t = t,
                .p = p,
                .sensitive = sensitive,
                .need = need,
                .margin = mod ? mod->margin : 0,
                .margin_cells = mod ? mod->margin_cells : 0,
                .again = calloc(ncells + 1, 1),
                .share = &share,
                .split_threads = mod ? mod->split_threads : 0,
                .narrow_cells = mod && mod->narrow_cells         ? mod->narrow_cells
                                : lp_max_rows < NARROW_MAX_CELLS ? lp_max_rows
                                                                 : NARROW_MAX_CELLS,
                .known_skip_per =
                    mod && mod->known_skip_per ? mod->known_skip_per : KNOWN_SKIP_PER};
    /* The modular mode: a hierarchical table's subtables first (modular.c),
     * the rounds then auditing the whole and adding what it lacks. */
    int rc = mod && mod->max_cells > 0
                 ? sdc_protect_modular(t, p, known, mod->max_cells, mod->seconds, mod->budget, out)
                 : 0;
    if (rc == 0)
        rc = protect_rounds(t, p, &jd, known, levels, need, ncells, cube_min, lp_max_rows, out);
    if (out->protected_ok && small && out->secondary > 0 && rc == 0)
        rc = prune(t, p, &jd, known, given, primary, levels, need, lp_max_rows, out);
    if (out->protected_ok && small && two_dimensional(t) && out->secondary > 0 && rc == 0)
        rc =
            cover_start(t, p, &jd, known, given, primary, levels, need, cube_min, lp_max_rows, out);
    if (out->protected_ok && small && !two_dimensional(t) && out->secondary > 0 && rc == 0)
        rc = cube_starts(t, p, &jd, known, given, primary, levels, need, cube_min, lp_max_rows,
                         starts, out);
    if (out->protected_ok && small && ncells <= IMPROVE_MAX_CELLS && two_dimensional(t) &&
        out->secondary > 0 && rc == 0)
        rc = improve(t, p, &jd, known, given, primary, levels, need, cube_min, lp_max_rows, out);
    if (rc == 0)
        sdc_protect_count(t, known, primary, out);
    free(given);
    free(primary);
    free(known);
    free(sensitive);
    free(jd.again);
    sdc_grid_share_free(&share);
    return rc;
}

int sdc_protect_heuristic(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                          size_t cube_min_cells, sdc_protect_result *out)
{
    return protect_heuristic(t, p, scanner, cube_min_cells, SDC_AUDIT_LP_MAX_ROWS, NULL,
                             CUBE_STARTS, out);
}

int sdc_protect_heuristic_lp(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                             size_t cube_min_cells, size_t lp_max_rows, sdc_protect_result *out)
{
    return protect_heuristic(t, p, scanner, cube_min_cells, lp_max_rows, NULL, CUBE_STARTS, out);
}

/* Hypercubes first on tables of CUBE_MIN_CELLS cells or more, and on
 * every table of three dimensions or more: there a complement the greedy
 * rule gives one line opens lines in the other dimensions, and the
 * cheapest cube closes them all at once (bench/optimal.sh, five
 * dimensions, 3x3x2x2x2: 70.7 complements against 96.6 by the greedy
 * rule, the optimum 54.9, 66.0 with cube_starts; 6x6x2x2x2: 190 against
 * 397). Two-dimensional
 * tables keep the greedy rule, the matching and the search (at 30x30
 * cubes first hid 14% more than the optimum, against 10%). */
static size_t cube_min_of(const sdc_table *t)
{
    return two_dimensional(t) ? CUBE_MIN_CELLS : 0;
}

int sdc_table_protect(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                      sdc_protect_result *out)
{
    return protect_heuristic(t, p, scanner, cube_min_of(t), SDC_AUDIT_LP_MAX_ROWS, NULL,
                             CUBE_STARTS, out);
}

int sdc_protect_heuristic_starts(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                 unsigned starts, sdc_protect_result *out)
{
    return protect_heuristic(t, p, scanner, cube_min_of(t), SDC_AUDIT_LP_MAX_ROWS, NULL, starts,
                             out);
}

int sdc_protect_heuristic_modular(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                  size_t max_cells, double seconds, double budget,
                                  sdc_protect_result *out)
{
    heuristic_opts mod = {max_cells, seconds, budget, 0, 0, 0, 0, 0};
    return protect_heuristic(t, p, scanner, cube_min_of(t), SDC_AUDIT_LP_MAX_ROWS, &mod,
                             CUBE_STARTS, out);
}

int sdc_protect_heuristic_fewest(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                 size_t max_cells, double seconds, double budget,
                                 sdc_protect_result *out)
{
    heuristic_opts mod = {max_cells, seconds, budget, 0, 0, 0, SIZE_MAX, 0};
    return protect_heuristic(t, p, scanner, cube_min_of(t), SDC_AUDIT_LP_MAX_ROWS, &mod,
                             CUBE_STARTS, out);
}

/* The quick mode's cubes, MARGIN_WIDE times as wide as asked, where the
 * audit has no exact solver: grids of three dimensions or more with more
 * cells than it gives a block equations (doc/design.md, "What the rounds
 * chase"). 1.3 on the 5-D bench table: 2 audits of the written table
 * instead of 45, 594,335 complements instead of 439,339, while 1.2 took
 * 11 audits and 1.5 went over 1 GiB. Since the audit combines cubes
 * (audit.c, combine_cubes) 1.2 takes 2 audits there too and hides
 * 549,295 against 588,555 (counts: a range of 11 instead of 12); 1.1
 * hid 480,302 in 3 audits, but took 34 to 39 s, past 5 times DuckDB.
 * With 10,000 partial cubes a search (CUBE_QUICK_MAX_NODES) and the first
 * round on every core, 1.1 (a range of 10 counts, against 11) hides
 * 361,544, 362,239 and 362,389 complements on seeds 0, 1 and 2 of `gen
 * nested` in 18.2, 17.8 and 19.2 s, two audits each, where 1.2 hid
 * 408,283 in 16.2 s (one audit) on seed 0. */
#define MARGIN_WIDE 1.1

int sdc_protect_heuristic_quick(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                size_t max_cells, double seconds, double budget,
                                sdc_protect_result *out)
{
    heuristic_opts mod = {max_cells, seconds, budget, MARGIN_WIDE, SDC_AUDIT_LP_MAX_ROWS, 0, 0, 0};
    return protect_heuristic(t, p, scanner, cube_min_of(t), SDC_AUDIT_LP_MAX_ROWS, &mod,
                             CUBE_STARTS, out);
}

int sdc_protect_heuristic_margin(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                 double margin, size_t margin_cells, sdc_protect_result *out)
{
    heuristic_opts mod = {0, 0, 0, margin, margin_cells, 0, 0, 0};
    return protect_heuristic(t, p, scanner, cube_min_of(t), SDC_AUDIT_LP_MAX_ROWS, &mod,
                             CUBE_STARTS, out);
}

int sdc_protect_heuristic_split(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                int threads, sdc_protect_result *out)
{
    heuristic_opts mod = {0, 0, 0, 0, 0, threads > 0 ? threads : -1, 0, 0};
    return protect_heuristic(t, p, scanner, cube_min_of(t), SDC_AUDIT_LP_MAX_ROWS, &mod,
                             CUBE_STARTS, out);
}

int sdc_protect_heuristic_narrow(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                 size_t narrow_cells, sdc_protect_result *out)
{
    /* 0 asks for none: the options' 0 means the exact solver's reach */
    heuristic_opts mod = {0, 0, 0, 0, 0, 0, narrow_cells ? narrow_cells : 1, 0};
    return protect_heuristic(t, p, scanner, cube_min_of(t), SDC_AUDIT_LP_MAX_ROWS, &mod,
                             CUBE_STARTS, out);
}

int sdc_protect_heuristic_known_skip(sdc_table *t, const sdc_policy *p,
                                     const sdc_id_scanner *scanner, size_t cube_min_cells,
                                     size_t per, sdc_protect_result *out)
{
    heuristic_opts mod = {0, 0, 0, 0, 0, 0, 0, per ? per : 1};
    return protect_heuristic(t, p, scanner, cube_min_cells, SDC_AUDIT_LP_MAX_ROWS, &mod,
                             CUBE_STARTS, out);
}
