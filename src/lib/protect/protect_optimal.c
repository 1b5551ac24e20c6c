/*
 * protect_optimal.c - optimal complementary suppression (GLPK MIP).
 *
 * The model is Fischetti and Salazar-Gonzalez's, "Models and algorithms
 * for the 2-dimensional cell suppression problem in statistical disclosure
 * control" (Math. Programming 84, 1999) and "Models and algorithms for
 * optimizing cell suppression in tabular data with linear constraints"
 * (JASA 95, 2000). A binary s_j per cell of the table's measures (1: hide
 * it; cells hidden already are fixed at 1). Cell j is protected when an
 * attacker, who knows every published cell, that every line with a total
 * adds up (within the rounding tolerance the audit allows) and that hidden
 * cells are >= 0, can still move it up and down by a width w in all:
 * max z_j - min z_j >= w s_j over the attacker tables z, where a published
 * cell k may only move when hidden, v_k - min(M, v_k) s_k <= z_k <= v_k +
 * M s_k. For counts w = need - 1 (an interval [lo, hi] of counts holds
 * hi - lo + 1 values, as the audit counts them), for magnitudes w = need.
 * Every hidden cell must be protected, complements too (the audit cannot
 * tell them apart), hence w s_j on the right: asked of every cell, binding
 * only on those hidden. Objective: fewest hidden cells, then least hidden
 * value, sum of (1 + v_j / 2V) s_j with V the total value.
 *
 * Protection levels (the policy's protection_lower and protection_upper,
 * shares of the value, as in tau-Argus): a sensitive cell j, one the
 * primary rules hid, whose value v_j is known, must also reach up and down
 * that far: max z_j - v_j >= UPL_j s_j and v_j - min z_j >= LPL_j s_j,
 * with UPL_j = protection_upper v_j and LPL_j = protection_lower v_j, on
 * top of the width. The attacker's two LPs (max z_j, min z_j) are the two
 * sides; each side gives its own cut below, as the width gives the sum.
 *
 * Solved as the papers do, by decomposition: the master problem holds
 * only s, the line constraints (a cell hidden alone in an equation is
 * given away) and cuts. For a master solution S, each cell's attacker LP
 * (one small LP per measure, re-solved from its last basis with new
 * bounds) gives its width, and its reduced costs how fast the width grows
 * as each s_k does; LP duality makes that a valid inequality for every s
 * (a Benders or "capacity" cut):
 *   width(S) + sum_k slope_k (s_k - S_k) >= w s_j,
 * and for a sensitive cell, from each side's LP alone,
 *   up(S) + sum_k slope+_k (s_k - S_k) >= UPL_j s_j,
 *   down(S) + sum_k slope-_k (s_k - S_k) >= LPL_j s_j.
 * Cuts are added at the master's LP optimum until its bound stops rising,
 * then the master is solved as a MIP (glp_intopt from the LP's basis) and its
 * pattern separated; a pattern no cut separates protects every hidden
 * cell, and it is optimal because every cut holds for every protected
 * pattern. The pattern is then applied and audited by sdc_audit_table,
 * the judge: a cell it still finds narrow (the MIP's tolerances, a
 * fractional vertex) asks for a little more width and the master is
 * solved again.
 *
 * M: in a 2-D table with margins (and in a single line) the equations are
 * totally unimodular, so every extreme move of the attacker is a cycle of
 * +-d through j: no cell moves further than j, and j need not move further
 * than w (nor, for a sensitive cell, than its levels). M = max(w, UPL_j,
 * LPL_j) is then exact and tight (a weak M would starve the LP bounds). With three or more
 * dimensions cycles can amplify, so M is the grid's largest published value there. Whatever M, a
 * pattern found is really protected: the attacker tables behind it are real.
 *
 * Limits: GLPK's branch and bound is exponential in the worst case.
 * Tables over OPTIMAL_MAX_CELLS cells are declined at once; a solve that
 * does not finish within the time limit is declined too (the caller falls
 * back to the heuristic and says so). bench/optimal.sh measures both.
 */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/vec.h"
#include "table/grid.h"
#include "protect/protect_internal.h"
#include "sdccheck/audit.h"

/* Cells of the table's measures: a 43 x 43 crosstab with margins. Most
 * 40 x 40 tables solve in seconds, but a few take minutes (bench). */
#define OPTIMAL_MAX_CELLS 2000
/* Audits of a solved pattern before giving up. */
#define OPTIMAL_MAX_ROUNDS 32
/* Seconds when the caller gives no limit. */
#define OPTIMAL_DEFAULT_TIME 10.0

/* A cell of one of the table's measures. */
typedef struct mcell {
    size_t row, col; /* in the table */
    size_t grid;     /* the measure's grid it belongs to */
    double value;    /* published value */
    double ub;       /* hidden already: largest value ("<10": 9), else INFINITY */
    double need;     /* > 0: z+ - z- must reach this when the cell is hidden */
    double up, down; /* sensitive: z+ - value and value - z- must reach these */
    double upl, lpl; /* sensitive: the policy's levels, as the audit judges them */
    bool sensitive;  /* hidden by the primary rules, its value known */
    bool fixed;      /* hidden already: s = 1 */
    bool frozen;     /* may not be hidden (negative: the audit assumes >= 0) */
} mcell;

/* One measure: its cells are cells[first .. first + count). */
typedef struct mgrid {
    size_t first, count;
    size_t dims;
    size_t line_first, line_count;
    double largest; /* largest published value */
} mgrid;

/* An equation: sum of terms (cell, +1 for a part, -1 for the total)
 * within [-tol, tol]. */
typedef struct mline {
    size_t first, n;
    double tol;
} mline;

typedef struct model {
    mcell *cells;
    size_t ncells;
    mgrid *grids;
    size_t ngrids;
    mline *lines;
    size_t nlines;
    size_t *term_cell;
    signed char *term_sign;
    size_t nterms;
    long *cell_at; /* table cell (r * ncols + c) -> model cell, or -1 */
} model;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void model_free(model *m)
{
    free(m->cells);
    free(m->grids);
    free(m->lines);
    free(m->term_cell);
    free(m->term_sign);
    free(m->cell_at);
    memset(m, 0, sizeof *m);
}

/* Makes room for a grid of N cells in D dimensions (at most D x N lines
 * and terms: every cell lies on one line per dimension). */
static int model_reserve(model *m, size_t n, size_t d)
{
    if (d && n > SIZE_MAX / d)
        return -1;
    return SDC_VEC_RESIZE(m->cells, m->ncells + n + 1) < 0 ||
                   SDC_VEC_RESIZE(m->grids, m->ngrids + 1) < 0 ||
                   SDC_VEC_RESIZE(m->lines, m->nlines + d * n + 1) < 0 ||
                   SDC_VEC_RESIZE(m->term_cell, m->nterms + d * n + 1) < 0 ||
                   SDC_VEC_RESIZE(m->term_sign, m->nterms + d * n + 1) < 0
               ? -1
               : 0;
}

typedef struct line_ctx {
    model *m;
    const sdc_policy *p;
    const long *cell_of; /* grid cell -> model cell, or -1 */
} line_ctx;

/* A line with a total whose cells are all numbers or hidden is an equation
 * (as in the audit: other total cells of the line are left out; a line
 * with text in it is no equation). */
static void on_line(void *vctx, const sdc_grid *g, const size_t *idx, size_t n, size_t d)
{
    line_ctx *x = vctx;
    model *m = x->m;
    long total = -1;
    for (size_t i = 0; i < n && total < 0; i++)
        if (g->cells[idx[i]].coord_total[d])
            total = (long)idx[i];
    if (total < 0)
        return;
    size_t parts = 0;
    for (size_t i = 0; i < n; i++) {
        bool other_total = g->cells[idx[i]].coord_total[d] && (long)idx[i] != total;
        if (!other_total && x->cell_of[idx[i]] < 0)
            return;
        parts += !g->cells[idx[i]].coord_total[d];
    }
    /* A total with no parts beside it (the grand total along a nested
     * column, whose margins repeat no child) is no equation. */
    if (parts == 0)
        return;
    mline *l = &m->lines[m->nlines++];
    l->first = m->nterms;
    for (size_t i = 0; i < n; i++) {
        bool is_total = (long)idx[i] == total;
        if (g->cells[idx[i]].coord_total[d] && !is_total)
            continue;
        m->term_cell[m->nterms] = (size_t)x->cell_of[idx[i]];
        m->term_sign[m->nterms] = is_total ? -1 : 1;
        m->nterms++;
    }
    l->n = m->nterms - l->first;
    /* Rounded tables: each published cell may be off by half the base. */
    l->tol = x->p->rounding_base > 0 ? 0.5 * (double)x->p->rounding_base * (double)l->n : 0;
}

static int model_add_measure(model *m, const sdc_table *t, const sdc_policy *p,
                             const sdc_cell *given, const bool *keep, long measure, double need)
{
    /* The width asked: counts hold hi - lo + 1 values, magnitudes hi - lo. */
    bool integer = measure < 0 || t->columns[measure].role == SDC_COL_COUNT;
    double width = integer ? fmax(ceil(need - 1e-9) - 1, 1) : (need > 0 ? need : 1e-6);
    sdc_grid g = {0};
    if (sdc_grid_build(t, p, measure, &g) < 0)
        return -1;
    long *cell_of = malloc((g.count + 1) * sizeof *cell_of);
    if (!cell_of || model_reserve(m, g.count, g.dims) < 0) {
        free(cell_of);
        sdc_grid_free(&g);
        return -1;
    }
    mgrid *mg = &m->grids[m->ngrids];
    *mg = (mgrid){.first = m->ncells, .dims = g.dims, .line_first = m->nlines};
    for (size_t i = 0; i < g.count; i++) {
        const sdc_cell *c = sdc_table_cell(t, g.cells[i].row, g.cells[i].col);
        cell_of[i] = -1;
        if (c->kind != SDC_CELL_NUMBER && c->kind != SDC_CELL_SUPPRESSED)
            continue;
        mcell *mc = &m->cells[m->ncells];
        *mc = (mcell){.row = g.cells[i].row,
                      .col = g.cells[i].col,
                      .grid = m->ngrids,
                      .value = c->number,
                      .ub = INFINITY,
                      .need = width};
        if (c->kind == SDC_CELL_SUPPRESSED) {
            mc->fixed = true;
            if (c->bound_hi >= 0)
                mc->ub = c->bound_hi;
            /* Sensitive: published in the table as given, hidden by the
             * primary rules (its number is its true value). */
            size_t at = mc->row * t->ncols + mc->col;
            mc->sensitive = given && given[at].kind == SDC_CELL_NUMBER &&
                            (p->protection_lower > 0 || p->protection_upper > 0);
            if (mc->sensitive) {
                mc->upl = mc->up = p->protection_upper * fabs(c->number);
                mc->lpl = mc->down = p->protection_lower * fabs(c->number);
            }
        } else {
            mc->frozen = c->number < 0 || (keep && keep[mc->row * t->ncols + mc->col]);
            if (fabs(c->number) > mg->largest)
                mg->largest = fabs(c->number);
        }
        m->cell_at[mc->row * t->ncols + mc->col] = (long)m->ncells;
        cell_of[i] = (long)m->ncells++;
    }
    mg->count = m->ncells - mg->first;
    line_ctx x = {.m = m, .p = p, .cell_of = cell_of};
    int rc = sdc_grid_lines(&g, on_line, &x);
    mg->line_count = m->nlines - mg->line_first;
    m->ngrids++;
    free(cell_of);
    sdc_grid_free(&g);
    return rc;
}

/* The cells the model of T would have (model_add_measure's: numbers and
 * suppressed cells of every measure's grid), found without building it:
 * on a table of millions of cells, declined for its size, the model took
 * some 700 MB before it was (the 5-D bench table, 1,982,232 cells).
 * SIZE_MAX when out of memory. */
static size_t model_cells(const sdc_table *t, const sdc_policy *p)
{
    size_t n = 0;
    long measure;
    for (size_t at = 0; sdc_grid_next_measure(t, &at, &measure);) {
        sdc_grid g = {0};
        if (sdc_grid_build(t, p, measure, &g) < 0) {
            sdc_grid_free(&g);
            return SIZE_MAX;
        }
        for (size_t i = 0; i < g.count; i++) {
            sdc_cell_kind k = sdc_table_cell(t, g.cells[i].row, g.cells[i].col)->kind;
            n += k == SDC_CELL_NUMBER || k == SDC_CELL_SUPPRESSED;
        }
        sdc_grid_free(&g);
    }
    return n;
}

/* The model of T's measures, as the audit sees them; GIVEN (T's cells
 * before primary suppression, or NULL) says which hidden cells are
 * sensitive, KEEP (or NULL) which published ones may not be hidden. */
static int model_build(model *m, const sdc_table *t, const sdc_policy *p, const sdc_cell *given,
                       const bool *keep, double need)
{
    m->cell_at = malloc((t->nrows * t->ncols + 1) * sizeof *m->cell_at);
    if (!m->cell_at)
        return -1;
    for (size_t k = 0; k < t->nrows * t->ncols; k++)
        m->cell_at[k] = -1;
    if (t->shape == SDC_SHAPE_WIDE)
        return model_add_measure(m, t, p, given, keep, -1, need);
    if (t->shape != SDC_SHAPE_LONG)
        return 0;
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column_role role = t->columns[c].role;
        if (role != SDC_COL_COUNT && role != SDC_COL_MAGNITUDE)
            continue;
        if (model_add_measure(m, t, p, given, keep, (long)c, need) < 0)
            return -1;
    }
    return 0;
}

static bool is_candidate(const mcell *c)
{
    return !c->fixed && !c->frozen;
}

/* A sparse matrix being built, 1-based as GLPK wants it. */
typedef struct triplets {
    int *ia, *ja;
    double *ar;
    size_t n, cap;
    bool oom;
} triplets;

static void push(triplets *x, int i, int j, double v)
{
    if (x->oom)
        return;
    if (x->n + 1 >= x->cap) {
        /* GLPK's triplets are 1-based: element 0 is unused. */
        size_t cap = sdc_vec_capacity(x->cap ? x->cap : 512, x->n + 2);
        if (!cap || SDC_VEC_RESIZE(x->ia, cap) < 0 || SDC_VEC_RESIZE(x->ja, cap) < 0 ||
            SDC_VEC_RESIZE(x->ar, cap) < 0) {
            x->oom = true;
            return;
        }
        x->cap = cap;
    }
    x->n++;
    x->ia[x->n] = i;
    x->ja[x->n] = j;
    x->ar[x->n] = v;
}

static void triplets_free(triplets *x)
{
    free(x->ia);
    free(x->ja);
    free(x->ar);
    memset(x, 0, sizeof *x);
}

static int add_row(glp_prob *lp, int type, double lb, double ub)
{
    int r = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, r, type, lb, ub);
    return r;
}

/* The solver's state: the master problem (s only) and one attacker LP per
 * grid, all re-solved from their last basis as cuts and bounds change. */
typedef struct solver {
    const model *m;
    const sdc_table *t;
    glp_prob *master;
    glp_prob **attack;  /* per grid */
    double *s;          /* current master solution */
    double *slope_up;   /* per cell: d(up)/d(s) of the cell being separated */
    double *slope_down; /* and d(down)/d(s); the width's is their sum */
    int *ind;           /* a cut's columns and values, 1-based */
    double *val;
    double deadline;
    bool timed_out;
} solver;

static int ms_left(const solver *v)
{
    double left = v->deadline - now_seconds();
    return left > 0 ? (int)(left * 1000) + 1 : 1;
}

/* The attacker LP of grid G: a column per cell (a value an attacker may
 * put there), a row per equation. Bounds are set for each question. */
static glp_prob *attacker_new(const model *m, const mgrid *g, triplets *x)
{
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    /* One spare column (fixed at 0): GLPK refuses to add none. */
    glp_add_cols(lp, (int)g->count + 1);
    x->n = 0;
    for (size_t l = g->line_first; l < g->line_first + g->line_count; l++) {
        const mline *ln = &m->lines[l];
        int r = ln->tol > 0 ? add_row(lp, GLP_DB, -ln->tol, ln->tol) : add_row(lp, GLP_FX, 0, 0);
        for (size_t k = ln->first; k < ln->first + ln->n; k++)
            push(x, r, (int)(m->term_cell[k] - g->first) + 1, m->term_sign[k]);
    }
    if (x->n)
        glp_load_matrix(lp, (int)x->n, x->ia, x->ja, x->ar);
    return lp;
}

/* How far down published cell C may move when hidden, protecting a cell
 * with allowance BIG (up: BIG; down: to 0 at most). */
static double down_room(const mcell *c, double big)
{
    return fmin(big, c->value);
}

/* How far cell J can move each way (Fischetti and Salazar's attacker
 * problem): UP = max z_j - v_j and DOWN = v_j - min z_j, each INFINITY
 * when that side is unbounded. */
typedef struct reach {
    double up, down;
} reach;

/*
 * How far cell J can move up and down when every published cell K may move
 * by its room times S[K], into R, and in SLOPE_UP[K] and SLOPE_DOWN[K] how
 * fast each side grows with s_K, from the LPs' reduced costs: for any s,
 * up(s) <= up(S) + sum SLOPE_UP[K] (s_K - S[K]), and so for down. An
 * unbounded side has no slopes; the other side is solved only when the
 * cell is sensitive (the width is unbounded already). Returns 0, or -1 (no
 * LP answer).
 */
static int attack(solver *v, size_t j, reach *r)
{
    const model *m = v->m;
    const mcell *cj = &m->cells[j];
    const mgrid *g = &m->grids[cj->grid];
    glp_prob *lp = v->attack[cj->grid];
    double ask = cj->sensitive ? fmax(cj->need, fmax(cj->up, cj->down)) : cj->need;
    double big = g->dims <= 2 ? ask : fmax(ask, g->largest);
    for (size_t k = 0; k < g->count; k++) {
        const mcell *c = &m->cells[g->first + k];
        int z = (int)k + 1;
        double sk = v->s[g->first + k] > 1e-9 ? v->s[g->first + k] : 0;
        v->slope_up[g->first + k] = v->slope_down[g->first + k] = 0;
        if (c->fixed) {
            if (isinf(c->ub))
                glp_set_col_bnds(lp, z, GLP_LO, 0.0, 0.0);
            else
                glp_set_col_bnds(lp, z, c->ub > 0 ? GLP_DB : GLP_FX, 0.0, c->ub);
        } else if (c->frozen || sk == 0) {
            glp_set_col_bnds(lp, z, GLP_FX, c->value, c->value);
        } else {
            glp_set_col_bnds(lp, z, GLP_DB, c->value - down_room(c, big) * sk, c->value + big * sk);
        }
    }
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    int z = (int)(j - g->first) + 1, rc = 0;
    r->up = r->down = INFINITY;
    for (int dir = 0; dir < 2 && rc == 0; dir++) {
        if (dir == 1 && isinf(r->up) && !cj->sensitive)
            break; /* the width is unbounded: nothing more to know */
        double *slope = dir == 0 ? v->slope_up : v->slope_down;
        glp_set_obj_coef(lp, z, dir == 0 ? 1.0 : -1.0); /* max z_j, then max -z_j */
        parm.tm_lim = ms_left(v);
        int st = glp_simplex(lp, &parm);
        int status = glp_get_status(lp);
        if (st == GLP_ETMLIM) {
            v->timed_out = true;
            rc = -1;
        } else if (st == 0 && status == GLP_UNBND) {
            continue;
        } else if (st != 0 || status != GLP_OPT) {
            rc = -1;
        } else {
            double obj = glp_get_obj_val(lp);
            if (dir == 0)
                r->up = obj - cj->value;
            else
                r->down = obj + cj->value;
            for (size_t k = 0; k < g->count; k++) {
                const mcell *c = &m->cells[g->first + k];
                if (!is_candidate(c))
                    continue;
                double d = glp_get_col_dual(lp, (int)k + 1);
                slope[g->first + k] += fmax(d, 0) * big + fmax(-d, 0) * down_room(c, big);
            }
        }
    }
    glp_set_obj_coef(lp, z, 0.0);
    return rc;
}

/* Adds to the master the cut for cell J whose side (or width) reached only
 * VALUE at S and must reach ASK s_j:
 *   VALUE + sum_k (A[k] + B[k]) (s_k - S[k]) >= ASK s_j
 * (B may be NULL). */
static void add_cut(solver *v, size_t j, double value, const double *a, const double *b, double ask)
{
    const mgrid *g = &v->m->grids[v->m->cells[j].grid];
    int n = 0;
    double rhs = -value - 1e-6 * (1 + ask), own = -ask;
    for (size_t k = g->first; k < g->first + g->count; k++) {
        double slope = a[k] + (b ? b[k] : 0);
        rhs += slope * v->s[k];
        if (k == j)
            own += slope;
        else if (slope > 1e-12) {
            v->ind[++n] = (int)k + 1;
            v->val[n] = slope;
        }
    }
    /* The slopes span from 1e-12 to the largest cell times a dual, and
     * GLPK's branch and cut failed on such rows (glp_intopt error 5,
     * GLP_EFAIL, on bench/optimal.sh's 6x6x2x2x2 table of seed 6). With
     * s binary the cut asks sum a_k s_k >= rhs - own s_j, so at most
     * R = max(rhs, rhs - own): a coefficient above R is R (one such s_k
     * meets the cut alone, as before), which leaves the integer points
     * as they were and tightens the LP; one below 1e-7 R leaves the row
     * with its largest part taken off rhs (a weaker cut, implied by the
     * first), as long as those taken off lose at most half of what S
     * violates the cut by (so it still cuts S off). A cut every binary s
     * meets is not added (S, in [0, 1], cannot violate it either). */
    double most = fmax(rhs, rhs - own), at_s = own * v->s[j];
    if (most <= 0)
        return;
    for (int q = 1; q <= n; q++)
        at_s += v->val[q] * v->s[v->ind[q] - 1];
    double spare = 0.5 * (rhs - at_s); /* what may be taken off */
    int kept = 0;
    for (int q = 1; q <= n; q++) {
        if (v->val[q] < 1e-7 * most && v->val[q] <= spare) {
            spare -= v->val[q];
            rhs -= v->val[q];
            continue;
        }
        v->ind[++kept] = v->ind[q];
        v->val[kept] = fmin(v->val[q], most);
    }
    n = kept;
    v->ind[++n] = (int)j + 1;
    v->val[n] = own;
    int r = add_row(v->master, GLP_LO, rhs, 0.0);
    glp_set_mat_row(v->master, r, n, v->ind, v->val);
}

/* Does VALUE fall short of ASK * SJ (beyond the solver's tolerance)? */
static bool short_of(double value, double ask, double sj)
{
    return ask > 0 && value < ask * sj - 1e-6 * (1 + ask);
}

/*
 * Adds to the master a cut for every cell with S above AT_LEAST that the
 * current S leaves too narrow, and for every sensitive one a cut for each
 * side that does not reach its level:
 *   width(S) + sum_k SLOPE[k] (s_k - S[k]) >= need_j s_j.
 * Returns the number of cuts, or -1 (time out or no LP answer).
 */
static long separate(solver *v, double at_least)
{
    const model *m = v->m;
    long cuts = 0;
    for (size_t j = 0; j < m->ncells; j++) {
        const mcell *cj = &m->cells[j];
        if (v->s[j] <= at_least)
            continue;
        reach r;
        if (attack(v, j, &r) < 0)
            return -1;
        double width = r.up + r.down;
        if (short_of(width, cj->need, v->s[j])) {
            add_cut(v, j, width, v->slope_up, v->slope_down, cj->need);
            cuts++;
        }
        if (!cj->sensitive)
            continue;
        if (short_of(r.up, cj->up, v->s[j])) {
            add_cut(v, j, r.up, v->slope_up, NULL, cj->up);
            cuts++;
        }
        if (short_of(r.down, cj->down, v->s[j])) {
            add_cut(v, j, r.down, v->slope_down, NULL, cj->down);
            cuts++;
        }
    }
    return cuts;
}

/* The master: s per cell, cheapest first, the line constraints and the
 * contributor-count links; cuts come later. */
static int master_build(solver *v, triplets *x)
{
    const model *m = v->m;
    const sdc_table *t = v->t;
    glp_prob *lp = v->master = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_cols(lp, (int)m->ncells);
    double total_value = 1;
    for (size_t j = 0; j < m->ncells; j++)
        if (is_candidate(&m->cells[j]))
            total_value += m->cells[j].value;
    for (size_t j = 0; j < m->ncells; j++) {
        const mcell *c = &m->cells[j];
        int s = (int)j + 1;
        glp_set_col_kind(lp, s, GLP_BV);
        if (c->fixed || c->frozen)
            glp_set_col_bnds(lp, s, GLP_FX, c->fixed ? 1.0 : 0.0, c->fixed ? 1.0 : 0.0);
        else
            glp_set_obj_coef(lp, s, 1.0 + 0.5 * c->value / total_value);
    }
    x->n = 0;
    /* Every equation: a hidden cell alone in it is given away, so hiding
     * one hides another (the classic line constraint; the cuts imply it,
     * but having it from the start saves many rounds). Not with rounding:
     * there a lone cell keeps a width. */
    for (size_t l = 0; l < m->nlines; l++) {
        const mline *ln = &m->lines[l];
        for (size_t a = ln->first; a < ln->first + ln->n && ln->tol == 0; a++) {
            int r = add_row(lp, GLP_LO, 0.0, 0.0);
            for (size_t b = ln->first; b < ln->first + ln->n; b++)
                push(x, r, (int)m->term_cell[b] + 1, a == b ? -1.0 : 1.0);
        }
    }
    /* Hiding a count hides the measures it is the contributor count of
     * (sdc_protect_suppress does): s_measure >= s_count. */
    for (size_t j = 0; j < m->ncells; j++) {
        const mcell *c = &m->cells[j];
        for (size_t k = 0; k < t->ncols; k++) {
            long o = t->columns[k].contributors == (long)c->col && k != c->col
                         ? m->cell_at[c->row * t->ncols + k]
                         : -1;
            if (o < 0)
                continue;
            int r = add_row(lp, GLP_LO, 0.0, 0.0);
            push(x, r, (int)o + 1, 1.0);
            push(x, r, (int)j + 1, -1.0);
        }
    }
    if (x->oom)
        return -1;
    if (x->n)
        glp_load_matrix(lp, (int)x->n, x->ia, x->ja, x->ar);
    return 0;
}

/* Rounds of cuts at fractional points before an integer solve, and the
 * rounds over which the LP bound must rise for them to go on. */
#define LP_ROUNDS 50
#define TAIL_ROUNDS 3

/*
 * Branch and cut by re-solving: the master's LP relaxation is cut until
 * no cell is too narrow (or LP_ROUNDS), then the master is solved as a MIP
 * and its pattern checked; cuts at the pattern send it round again. The
 * pattern no cut separates protects every hidden cell. Returns 1 with
 * HIDE set, 0 with WHY, -1 when out of memory.
 */
static int solve(const model *m, const sdc_table *t, double deadline, double limit, bool *hide,
                 char *why, size_t why_size)
{
    if (m->ncells == 0) { /* GLPK refuses a problem without columns */
        snprintf(why, why_size, "the table has no cells to suppress");
        return 0;
    }
    solver v = {.m = m, .t = t, .deadline = deadline};
    triplets x = {0};
    int rc = -1;
    size_t widest = 1;
    for (size_t gi = 0; gi < m->ngrids; gi++)
        if (m->grids[gi].count > widest)
            widest = m->grids[gi].count;
    v.attack = calloc(m->ngrids + 1, sizeof *v.attack);
    v.s = calloc(m->ncells + 1, sizeof *v.s);
    v.slope_up = calloc(m->ncells + 1, sizeof *v.slope_up);
    v.slope_down = calloc(m->ncells + 1, sizeof *v.slope_down);
    v.ind = malloc((widest + 2) * sizeof *v.ind);
    v.val = malloc((widest + 2) * sizeof *v.val);
    if (!v.attack || !v.s || !v.slope_up || !v.slope_down || !v.ind || !v.val ||
        master_build(&v, &x) < 0)
        goto out;
    for (size_t gi = 0; gi < m->ngrids; gi++)
        v.attack[gi] = attacker_new(m, &m->grids[gi], &x);
    if (x.oom)
        goto out;
    rc = 0;
    glp_smcp lp_parm;
    glp_init_smcp(&lp_parm);
    lp_parm.msg_lev = GLP_MSG_OFF;
    glp_iocp ip_parm;
    glp_init_iocp(&ip_parm);
    ip_parm.msg_lev = GLP_MSG_OFF;
    /* The root LP is solved by glp_simplex from the rounds' basis, not by
     * GLPK's MIP presolver: that removes the columns it can fix (every
     * column of a master with no cut yet), and GLPK 5.0's cover cuts then
     * abort the process on a root problem of no columns (glp_cov_init
     * adds P->n columns to its own; fuzz/audit found it). */
    ip_parm.presolve = GLP_OFF;
    ip_parm.cov_cuts = GLP_ON; /* the cuts are knapsacks over s: cover cuts pay */
    int lp_rounds = 0;
    double tail[TAIL_ROUNDS] = {0};
    for (;;) {
        bool integer = lp_rounds >= LP_ROUNDS;
        int st, status;
        if (!integer) {
            lp_parm.tm_lim = ms_left(&v);
            st = glp_simplex(v.master, &lp_parm);
            status = glp_get_status(v.master);
        } else {
            lp_parm.tm_lim = ms_left(&v);
            st = glp_simplex(v.master, &lp_parm);
            status = glp_get_status(v.master);
            if (st == 0 && status == GLP_OPT) {
                ip_parm.tm_lim = ms_left(&v);
                st = glp_intopt(v.master, &ip_parm);
                status = glp_mip_status(v.master);
            }
        }
        if (st == GLP_ETMLIM || now_seconds() > deadline) {
            v.timed_out = true;
            break;
        }
        if (st == GLP_ENOPFS || status == GLP_NOFEAS) {
            snprintf(why, why_size, "no suppression pattern protects every suppressed cell");
            break;
        }
        if (st != 0 || status != GLP_OPT) {
            snprintf(why, why_size, "GLPK failed (error %d, status %d)", st, status);
            break;
        }
        for (size_t j = 0; j < m->ncells; j++)
            v.s[j] = integer ? round(glp_mip_col_val(v.master, (int)j + 1))
                             : glp_get_col_prim(v.master, (int)j + 1);
        long cuts = separate(&v, integer ? 0.5 : 1e-6);
        if (cuts < 0) {
            if (!v.timed_out)
                snprintf(why, why_size, "GLPK could not solve an attacker problem");
            break;
        }
        if (cuts == 0 && integer) {
            for (size_t j = 0; j < m->ncells; j++)
                hide[j] = is_candidate(&m->cells[j]) && v.s[j] > 0.5;
            rc = 1;
            break;
        }
        /* No cut at an LP point, or cuts that no longer raise its bound
         * (tailing off): time for integers. After an integer round, back
         * to the cheap LP rounds. */
        double obj = integer ? 0 : glp_get_obj_val(v.master);
        bool stalled = !integer && lp_rounds >= TAIL_ROUNDS &&
                       obj - tail[lp_rounds % TAIL_ROUNDS] < 1e-3 * (1 + fabs(obj));
        if (!integer)
            tail[lp_rounds % TAIL_ROUNDS] = obj;
        lp_rounds = cuts == 0 || stalled ? LP_ROUNDS : integer ? 0 : lp_rounds + 1;
    }
    if (v.timed_out)
        snprintf(why, why_size, "GLPK did not finish within %g s", limit);
out:
    if (v.master)
        glp_delete_prob(v.master);
    for (size_t gi = 0; v.attack && gi < m->ngrids; gi++)
        if (v.attack[gi])
            glp_delete_prob(v.attack[gi]);
    free(v.attack);
    free(v.s);
    free(v.slope_up);
    free(v.slope_down);
    free(v.ind);
    free(v.val);
    triplets_free(&x);
    return rc;
}

/* The step by which a cell asked before asks for more: a count, else a
 * thousandth. */
static double bump_of(double asked, bool integer)
{
    return integer ? 1 : fmax(asked * 1e-3, 1e-6);
}

/* Does audited cell C (model cell MC) reach its protection levels, as
 * the heuristic judges them (heuristic.c, judge_ok)? Widens what the model
 * asks of a side that falls short when BUMP. */
static bool levels_met(mcell *mc, const sdc_audit_cell *c, bool bump)
{
    if (!mc->sensitive)
        return true;
    double eps = 1e-9 * (1 + fabs(mc->value));
    bool up = c->hi >= mc->value + mc->upl - eps, down = c->lo <= mc->value - mc->lpl + eps;
    if (bump && !up)
        mc->up += bump_of(mc->up, c->integer);
    if (bump && !down) /* never past the value: z >= 0 */
        mc->down = fmin(mc->down + bump_of(mc->down, c->integer), fabs(mc->value));
    return up && down;
}

/*
 * Audits T and asks the model to protect every cell still unprotected: a
 * cell asked before asks for a little more (the MIP's tolerances or a
 * fractional vertex fell short). With protection levels the audit gives
 * exact intervals, and a sensitive cell must reach its levels too.
 * Returns the number of such cells, or -1 (out of memory), -2 (the audit
 * could not finish: WHY says why).
 */
static long audit_round(model *m, const sdc_table *t, const sdc_policy *p, double need, bool bump,
                        double deadline, double limit, char *why, size_t why_size)
{
    bool levels = p->protection_lower > 0 || p->protection_upper > 0;
    double left = deadline - now_seconds();
    if (left <= 0) {
        snprintf(why, why_size, "GLPK did not finish within %g s", limit);
        return -2;
    }
    sdc_audit a = {0};
    if (sdc_audit_table(t, p, left, levels ? 0 : need, &a) < 0) {
        sdc_audit_free(&a);
        return -1;
    }
    long open = 0;
    if (a.inconsistent) {
        snprintf(why, why_size, "the published totals do not add up");
        open = -2;
    } else if (a.timed_out) {
        snprintf(why, why_size, "GLPK did not finish within %g s", limit);
        open = -2;
    } else if (a.too_large) {
        snprintf(why, why_size, "the table holds values past 10^15");
        open = -2;
    }
    for (size_t i = 0; i < a.count && open >= 0; i++) {
        const sdc_audit_cell *c = &a.cells[i];
        long j = m->cell_at[c->row * t->ncols + c->col];
        bool wide = sdc_audit_protected(c, need);
        if (wide && (j < 0 || levels_met(&m->cells[j], c, bump)))
            continue;
        if (j < 0) {
            snprintf(why, why_size, "a suppressed cell lies outside the table's equations");
            open = -2;
            break;
        }
        mcell *mc = &m->cells[j];
        if (!wide && bump)
            mc->need += bump_of(mc->need, c->integer);
        if (!wide)
            levels_met(mc, c, bump);
        open++;
    }
    sdc_audit_free(&a);
    return open;
}

int sdc_protect_optimal_too_large(const sdc_table *t, const sdc_policy *p, char *why,
                                  size_t why_size)
{
    size_t ncells = model_cells(t, p);
    if (ncells == SIZE_MAX)
        return -1;
    if (ncells <= OPTIMAL_MAX_CELLS)
        return 0;
    snprintf(why, why_size, "table of %zu cells is larger than the optimal mode's %d", ncells,
             OPTIMAL_MAX_CELLS);
    return 1;
}

int sdc_protect_optimal(sdc_table *t, const sdc_policy *p, const sdc_cell *given, double time_limit,
                        size_t *secondary, char *why, size_t why_size)
{
    return sdc_protect_optimal_keep(t, p, given, NULL, time_limit, secondary, why, why_size);
}

int sdc_protect_optimal_keep(sdc_table *t, const sdc_policy *p, const sdc_cell *given,
                             const bool *keep, double time_limit, size_t *secondary, char *why,
                             size_t why_size)
{
    *secondary = 0;
    why[0] = 0;
    double limit = time_limit > 0 ? time_limit : OPTIMAL_DEFAULT_TIME;
    double deadline = now_seconds() + limit;
    double need = sdc_audit_need(p);
    model m = {0};
    size_t cells_size = t->nrows * t->ncols * sizeof *t->cells;
    int large = sdc_protect_optimal_too_large(t, p, why, why_size);
    if (large != 0)
        return large < 0 ? -1 : 0;
    sdc_cell *before = malloc(cells_size + 1);
    bool *hide = NULL;
    int rc = -1;
    if (!before || model_build(&m, t, p, given, keep, need) < 0 ||
        !(hide = calloc(m.ncells + 1, sizeof *hide)))
        goto out;
    memcpy(before, t->cells, cells_size);
    const char *marker = sdc_policy_marker(p);
    for (int round = 0; round < OPTIMAL_MAX_ROUNDS; round++) {
        long open = audit_round(&m, t, p, need, round > 0, deadline, limit, why, why_size);
        if (open == -1) {
            rc = -1;
            goto restore;
        }
        if (open == 0) {
            for (size_t j = 0; j < m.ncells; j++)
                *secondary +=
                    is_candidate(&m.cells[j]) &&
                    sdc_table_cell(t, m.cells[j].row, m.cells[j].col)->kind == SDC_CELL_SUPPRESSED;
            rc = 1;
            goto out;
        }
        memcpy(t->cells, before, cells_size);
        rc = 0;
        if (open < 0)
            goto out;
        int term = glp_term_out(GLP_OFF); /* GLPK's cover cuts print regardless of msg_lev */
        int st = solve(&m, t, deadline, limit, hide, why, why_size);
        glp_term_out(term);
        glp_free_env(); /* as the audit does: nothing GLPK outlives the call */
        if (st <= 0) {
            rc = st;
            goto out;
        }
        for (size_t j = 0; j < m.ncells; j++)
            if (hide[j])
                sdc_protect_suppress(t, m.cells[j].row, m.cells[j].col, marker);
    }
    snprintf(why, why_size, "no protected pattern after %d rounds", OPTIMAL_MAX_ROUNDS);
    rc = 0;
restore:
    memcpy(t->cells, before, cells_size);
out:
    free(hide);
    free(before);
    model_free(&m);
    return rc;
}
