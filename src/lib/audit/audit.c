/*
 * audit.c - feasibility intervals of suppressed cells.
 *
 * Per measure of the table: a variable per suppressed cell, bounded below
 * by 0 (non-negativity) and above by its marker ("<10": 9); an equation
 * per line that publishes its total (sum of parts = total, the published
 * cells moved to the right-hand side). The interval of a cell is its
 * least and greatest value under these constraints, a linear program
 * (GLPK). Solving two of them per cell is what a large table cannot
 * afford, so most cells are settled before any:
 *
 *  1. the variables fall apart into components (cells linked by no chain
 *     of equations do not constrain each other), each its own problem;
 *  2. constraint propagation (bounds.c) gives outer bounds; a cell whose
 *     bounds meet is given back by subtraction;
 *  3. in a component of up to a few hundred cells, the null space of the
 *     equations (GSL's SVD) names the cells they determine: lo == hi, the
 *     value of any feasible point;
 *  4. when only a verdict is wanted, a feasible point (the true values
 *     when the caller knows them, else GLPK's interior point, or for a
 *     component too large for the simplex the entropy point of bounds.c
 *     and two more pushed up and down, each checked) and the
 *     hypercubes of hidden cells through it (cube.c) prove cells at least
 *     as wide as the protection asks: one cube certifies all its corners;
 *     without LP, the point then walks along cubes (walk_cells), each
 *     point it reaches checked and its values and cubes counted too;
 *  5. what is left is minimised and maximised by the simplex, the problem
 *     built once per component and re-solved with a new objective each
 *     time (warm start). Every solution is a feasible point for all the
 *     cells at once, so the values each cell has been seen to take are
 *     kept: a cell seen to vary by the protection width needs no solve of
 *     its own, and in exact mode an end that a solution already reached
 *     at its outer bound needs none either.
 *
 * Interval arithmetic or rank arguments alone miss cells pinned by
 * non-negativity; the LP does not, and every cell not proved wide by a
 * certificate gets its exact interval from it.
 *
 * A total that cannot be used is left out and listed with the reason
 * (sdc_audit_dropped): a cell of its line is text, it is its line's second
 * total, its measure is too large to solve, or (contradict.c) it contradicts
 * its own line.
 */
#include <glpk.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/threads.h"
#include "core/vec.h"
#include "audit/audit_internal.h"
#include "audit/bounds.h"
#include "table/cellkey.h"
#include "audit/cube.h"
#include "audit/memo.h"
#include "audit/network.h"
#include "table/grid.h"

/* Components up to this many cells get the null space (an n x n SVD). */
#define GSL_MAX_VARS 300
/* Propagation passes over the equations. */
#define PROPAGATE_PASSES 30
/* Cube search per uncertified cell: partners per dimension, partial cubes. */
#define CUBE_PER_DIM 24
#define CUBE_MAX_NODES 1500
/* Unproved cells pushed up and down together: from this many, rounds. */
#define BATCH_MIN 8
/* Verdicts: components with more equations than this get no LP at all
 * (one simplex from scratch takes minutes there, with or without presolve,
 * primal or dual, measured on the 5-D bench table); a cell the entropy
 * points and cubes do not prove is left unsolved and the audit reported
 * unfinished. */
#define LP_MAX_ROWS SDC_AUDIT_LP_MAX_ROWS
#define BATCH_ROUNDS 6
/* Entropy points (bounds.c) for components too large for LP: passes over
 * the equations per point, further points (unproved cells pushed all up,
 * then all down) and the weight of the push. More or harder pushes were
 * tried: they converge too slowly to pay. */
#define INTERIOR_SWEEPS 20000
#define POINT_ROUNDS 2
#define POINT_PUSH 1e2
/* The walk along cubes (walk_cells): moves per cell and direction. */
#define WALK_STEPS 8
/* Passes of the walk over the unproved cells, while one proves any. */
#define WALK_ROUNDS 3
/* Cubes through a stuck cell whose blocking corners the walk tries to free. */
#define WALK_STUCK 12
/* Blockers of blockers freed, at most this deep. */
#define WALK_DEPTH 2

typedef struct measure {
    const sdc_table *t;
    const sdc_policy *p;
    const sdc_grid_frame *f;
    bool lent;                    /* G and K are a share's (sdc_grid_share): not freed here */
    const uint32_t *contradicted; /* per table cell: lines (bit d) it contradicts, or NULL */
    double protection;
    double deadline;
    bool integer;
    sdc_grid g;
    sdc_cellkey k;
    long *var_of;      /* grid cell -> variable, -1: a constant */
    uint32_t *cell_of; /* variable -> grid cell */
    size_t nvars;
    sdc_equations eq;
    uint32_t *eq_total; /* per equation: its total (grid cell) and dimension */
    uint32_t *eq_dim;
    size_t eq_cap;
    double *lo, *hi; /* outer bounds, from propagation */
    double *upper;   /* marker bound, INFINITY without one */
    double *x0;      /* a feasible point */
    double *seen_lo, *seen_hi;
    bool *known;           /* variable's true value is in the table */
    sdc_audit_cell *cells; /* out: one per variable */
    sdc_audit *out;
    size_t unproved;    /* cells left unsolved in a component too large for LP */
    size_t lp_max_rows; /* verdicts: larger components get no LP (LP_MAX_ROWS) */
    bool network;       /* verdicts on a network component by maximum flow */
    /* Per grid cell: a published cell's number (NAN when it is not a
     * number), read once in grid order (the table's row order) so that
     * the lines, whose parts lie far apart in the table, read this array
     * instead of the table's cells (a cache miss each: half the time of
     * building the 5-D bench table's equations). For the cube search,
     * the hidden cells' entries then hold the point. */
    double *gvalue;
    /* for the cube search: per grid cell */
    double *gupper;
    bool cubes; /* verdicts: blocks are proved by cubes */
    /* the cube states of a block being settled (settle_block): the
     * measure's own on one thread (settle_blocks), each thread's own
     * otherwise */
    unsigned char *gstate;
    memo_store *memo; /* blocks of the last audit, or NULL */
    double charged;   /* seconds the blocks taken from MEMO took to settle */
    /* The blocks (components: split_blocks), settled in any order and on
     * any thread (settle_block), then accounted for in their order
     * (finish_blocks). */
    size_t nblocks;
    size_t *vstart, *rstart; /* block x: bvars[vstart[x]..], brows[rstart[x]..] */
    uint32_t *bvars, *brows;
    uint32_t *local; /* per variable: its index in its block */
    uint64_t *keys;  /* with a memo: per block, its key (block_key) */
    struct block_res *res;
    size_t stop; /* the first block that cut the audit short (SIZE_MAX: none) */
} measure;

/* What settling one block gave (settle_block), kept until the measure's
 * blocks are all settled (finish_blocks). */
typedef struct block_res {
    double seconds; /* settling it took (or took then, when from the memo) */
    size_t unproved, by_flow;
    int rc;
    bool settled, from_memo, timed_out, inconsistent;
    bool late; /* it ended past its deadline */
} block_res;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Rounds away the simplex's last-digit noise (12.0000000001 -> 12). */
static double tidy(double v)
{
    double r = round(v);
    return fabs(v - r) < 1e-7 ? r : v;
}

static double width_of(double lo, double hi, bool integer)
{
    if (integer)
        return floor(hi + 1e-7) - ceil(lo - 1e-7) + 1;
    return hi - lo;
}

/* Lists total grid cell TOTAL of M as left out of its line along D, for
 * WHY, naming grid cell OTHER (or -1). Returns 0, or -1 when out of memory. */
static int drop(measure *m, size_t total, size_t d, sdc_audit_drop why, long other)
{
    const sdc_grid_cell *gc = &m->g.cells[total];
    long at = other < 0 ? -1 : (long)(m->g.cells[other].row * m->t->ncols + m->g.cells[other].col);
    return sdc_audit_drop_add(m->out, m->t, gc->row, gc->col, sdc_audit_along(m->f, d), why, at, 0);
}

/* Is published grid cell I a total dropped as contradicting a line? */
static bool contradicts(const measure *m, size_t i)
{
    const sdc_grid_cell *gc = &m->g.cells[i];
    return m->contradicted && m->contradicted[gc->row * m->t->ncols + gc->col];
}

/* The equation of every line with a total and at least one hidden cell;
 * the totals that cannot be used are listed (sdc_audit_dropped). */
static int build_equations(measure *m)
{
    const sdc_cellkey *k = &m->k;
    for (size_t l = 0; l < k->nlines; l++) {
        int64_t total = k->line_total[l];
        if (total < 0)
            continue;
        size_t d = k->line_dim[l], n, vars = 0;
        const uint32_t *cells = sdc_cellkey_members(k, (uint32_t)l, &n);
        bool hidden = false;
        long text = -1, beside = -1;
        const bool *totals = m->g.totals;
        size_t dims = m->g.dims;
        for (size_t i = 0; i < n; i++) {
            hidden |= m->var_of[cells[i]] >= 0;
            if (totals[(size_t)cells[i] * dims + d] && (int64_t)cells[i] != total)
                continue;
            vars += m->var_of[cells[i]] >= 0;
            if (m->var_of[cells[i]] >= 0)
                continue;
            if (isnan(m->gvalue[cells[i]])) {
                if (text < 0)
                    text = cells[i];
            } else if (beside < 0 && contradicts(m, cells[i])) {
                beside = cells[i];
            }
        }
        if (!hidden)
            continue; /* nothing to audit here: the totals rule checks the line */
        /* A second total of the line (two total labels) is never its total. */
        for (size_t i = 0; i < n; i++)
            if (totals[(size_t)cells[i] * dims + d] && (int64_t)cells[i] != total &&
                drop(m, cells[i], d, SDC_AUDIT_DROP_SECOND_TOTAL, (long)total) < 0)
                return -1;
        if (vars == 0)
            continue;
        if (text >= 0 || beside >= 0) {
            const sdc_grid_cell *tc = &m->g.cells[total];
            bool listed = text < 0 && m->contradicted &&
                          (m->contradicted[tc->row * m->t->ncols + tc->col] >> d & 1u);
            if (!listed &&
                drop(m, (size_t)total, d, text >= 0 ? SDC_AUDIT_DROP_TEXT : SDC_AUDIT_DROP_BESIDE,
                     text >= 0 ? text : beside) < 0)
                return -1;
            continue;
        }
        if (sdc_equations_row(&m->eq) < 0)
            return -1;
        size_t r = m->eq.nrows - 1, terms = 0;
        if (r >= m->eq_cap) {
            size_t cap = sdc_vec_capacity(m->eq_cap, r + 1);
            if (!cap || SDC_VEC_RESIZE(m->eq_total, cap) < 0 || SDC_VEC_RESIZE(m->eq_dim, cap) < 0)
                return -1;
            m->eq_cap = cap;
        }
        m->eq_total[r] = (uint32_t)total;
        m->eq_dim[r] = (uint32_t)d;
        double rhs = 0;
        for (size_t i = 0; i < n; i++) {
            bool is_total = (int64_t)cells[i] == total;
            if (totals[(size_t)cells[i] * dims + d] && !is_total)
                continue;
            terms++;
            long v = m->var_of[cells[i]];
            if (v >= 0) {
                if (sdc_equations_term(&m->eq, (uint32_t)v, is_total ? -1 : 1) < 0)
                    return -1;
            } else {
                rhs -= (is_total ? -1.0 : 1.0) * m->gvalue[cells[i]];
            }
        }
        m->eq.rhs[r] = rhs;
        /* Rounded tables: each published cell may be off by half the base. */
        m->eq.tol[r] =
            m->p->rounding_base > 0 ? 0.5 * (double)m->p->rounding_base * (double)terms : 0;
    }
    m->eq.nvars = m->nvars;
    return 0;
}

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* A component: its variables and equations. */
typedef struct component {
    const uint32_t *vars, *rows;
    size_t nv, nr;
} component;

/* Do the equations ROWS[0..nr) hold at X (per variable)? */
static bool rows_hold(const measure *m, const uint32_t *rows, size_t nr, const double *x)
{
    for (size_t i = 0; i < nr; i++) {
        size_t r = rows[i];
        double s = 0, scale = fabs(m->eq.rhs[r]);
        for (size_t t = m->eq.start[r]; t < m->eq.start[r + 1]; t++) {
            s += m->eq.coef[t] * x[m->eq.var[t]];
            scale += fabs(x[m->eq.var[t]]);
        }
        if (fabs(s - m->eq.rhs[r]) > m->eq.tol[r] + 1e-9 * (1 + scale))
            return false;
    }
    return true;
}

/* Do the equations of C hold at X (per variable)? */
static bool holds_at(const measure *m, const component *c, const double *x)
{
    return rows_hold(m, c->rows, c->nr, x);
}

static glp_prob *component_lp(const measure *m, const component *c, const uint32_t *local)
{
    glp_prob *lp = glp_create_prob();
    glp_add_rows(lp, (int)c->nr);
    glp_add_cols(lp, (int)c->nv);
    size_t ne = 0;
    for (size_t i = 0; i < c->nr; i++)
        ne += m->eq.start[c->rows[i] + 1] - m->eq.start[c->rows[i]];
    int *ia = malloc((ne + 1) * sizeof *ia), *ja = malloc((ne + 1) * sizeof *ja);
    double *ar = malloc((ne + 1) * sizeof *ar);
    if (!ia || !ja || !ar) {
        free(ia);
        free(ja);
        free(ar);
        glp_delete_prob(lp);
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < c->nr; i++) {
        size_t r = c->rows[i];
        if (m->eq.tol[r] > 0)
            glp_set_row_bnds(lp, (int)i + 1, GLP_DB, m->eq.rhs[r] - m->eq.tol[r],
                             m->eq.rhs[r] + m->eq.tol[r]);
        else
            glp_set_row_bnds(lp, (int)i + 1, GLP_FX, m->eq.rhs[r], m->eq.rhs[r]);
        for (size_t t = m->eq.start[r]; t < m->eq.start[r + 1]; t++) {
            n++;
            ia[n] = (int)i + 1;
            ja[n] = (int)local[m->eq.var[t]] + 1;
            ar[n] = m->eq.coef[t];
        }
    }
    for (size_t j = 0; j < c->nv; j++) {
        double up = m->upper[c->vars[j]];
        if (isfinite(up))
            glp_set_col_bnds(lp, (int)j + 1, up > 0 ? GLP_DB : GLP_FX, 0.0, up);
        else
            glp_set_col_bnds(lp, (int)j + 1, GLP_LO, 0.0, 0.0);
    }
    glp_load_matrix(lp, (int)ne, ia, ja, ar);
    free(ia);
    free(ja);
    free(ar);
    return lp;
}

/* The simplex, within the deadline: 0 solved, 1 out of time, 2 failed. */
static int simplex(const measure *m, glp_prob *lp)
{
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF; /* keep the basis between solves */
    double left = m->deadline - now_seconds();
    if (left <= 0)
        return 1;
    parm.tm_lim = (int)(left * 1000) + 1;
    int st = glp_simplex(lp, &parm);
    if (st == GLP_ETMLIM)
        return 1;
    return st == 0 ? 0 : 2;
}

/* Widens the values seen for the component's variables with the LP's point. */
static void observe(measure *m, const component *c, glp_prob *lp)
{
    for (size_t j = 0; j < c->nv; j++) {
        uint32_t v = c->vars[j];
        double x = glp_get_col_prim(lp, (int)j + 1);
        if (x < m->seen_lo[v])
            m->seen_lo[v] = x;
        if (x > m->seen_hi[v])
            m->seen_hi[v] = x;
    }
}

static bool seen_wide(const measure *m, uint32_t v)
{
    return width_of(m->seen_lo[v], m->seen_hi[v], m->integer) >= m->protection;
}

typedef struct cube_ctx {
    measure *m;
    uint32_t target;
} cube_ctx;

/* A cube of hidden cells through the point: every corner holds its range. */
static bool on_cube(void *vctx, const sdc_cube *c)
{
    cube_ctx *x = vctx;
    measure *m = x->m;
    for (size_t i = 0; i < c->ncorners; i++) {
        uint32_t v = (uint32_t)m->var_of[c->corner[i]];
        double lo = c->sign[i] > 0 ? m->x0[v] + c->dlo : m->x0[v] - c->dhi;
        double hi = c->sign[i] > 0 ? m->x0[v] + c->dhi : m->x0[v] - c->dlo;
        if (lo < m->seen_lo[v])
            m->seen_lo[v] = lo;
        if (hi > m->seen_hi[v])
            m->seen_hi[v] = hi;
    }
    return seen_wide(m, x->target);
}

/*
 * A point of component C strictly inside its bounds where it can be, into
 * X (per variable), by the entropy row-action method (bounds.c), WEIGHT
 * pushing variables up or down (NULL: none). Used only when it passes the
 * same check as every other feasible point: the equations hold to the
 * audit's tolerance and every cell lies within 0 and its marker. Returns
 * 0, 1 when no such point was found, -1 when out of memory.
 */
static int interior_point(const measure *m, const component *c, const double *weight, double *x)
{
    int st = sdc_bounds_interior(&m->eq, c->rows, c->nr, c->vars, c->nv, m->lo, m->hi, weight,
                                 INTERIOR_SWEEPS, m->deadline, x);
    if (st != 0)
        return st;
    bool ok = holds_at(m, c, x);
    for (size_t j = 0; j < c->nv && ok; j++) {
        uint32_t v = c->vars[j];
        ok = x[v] >= 0 && x[v] <= m->upper[v];
    }
    return ok ? 0 : 1;
}

/*
 * Blocks of more equations than this, when only verdicts are wanted, are
 * settled as the blocks beyond the exact solver are first (the entropy
 * point, then the points pushing the unproved cells, the cubes through
 * them, the walk and the cubes combined), and the exact solver gets only
 * what those leave. A 5-D table of 8 x 8 x 6 x 6 x 4 with every margin
 * (19,845 cells), protected, hides 6,339 cells in one block of 7,132
 * equations: GLPK's interior point took 33.7 s to give it a point, the
 * cubes through that point left 4,682 cells to two LPs each, and the
 * audit ran out of its time limit (36 s), so `check --fix` said the
 * table was not protected after 73 s. The entropy point takes 0.02 s,
 * the cubes through it leave 226 cells, the pushed points and their cubes
 * none, and the audit takes 0.1 s: `check --fix` 0.43 s, protected. A
 * 4-D table of 12 x 10 x 8 x 8 (11,583 cells): 0.33 s instead of 15.9,
 * the same cells hidden. Smaller blocks keep the LPs, whose intervals
 * are exact.
 */
#define POINTS_FIRST_ROWS 1000

/* A feasible point of component C into m->x0: the true values when they
 * are known, else, when only verdicts are wanted, the entropy point of a
 * block of more than POINTS_FIRST_ROWS equations, and GLPK's otherwise
 * (interior point when only verdicts are wanted, so that the cubes
 * through it have room). Returns 0, 1 out of time, 2 infeasible, 3 too
 * large for an LP. LP is the component's problem (created on demand). */
static int feasible_point(measure *m, const component *c, const uint32_t *local, glp_prob **lp)
{
    bool all_known = m->known != NULL;
    for (size_t j = 0; j < c->nv && all_known; j++)
        all_known = m->known[c->vars[j]];
    if (all_known) {
        for (size_t j = 0; j < c->nv; j++) {
            uint32_t v = c->vars[j];
            const sdc_grid_cell *gc = &m->g.cells[m->cell_of[v]];
            m->x0[v] = sdc_table_cell(m->t, gc->row, gc->col)->number;
        }
        if (holds_at(m, c, m->x0))
            return 0;
    }
    if (m->protection > 0 && c->nr > m->lp_max_rows) {
        /* No LP here (and no time limit on GLPK's interior point): the
         * entropy point, checked, or nothing. */
        int st = interior_point(m, c, NULL, m->x0);
        return st <= 0 ? st : 3;
    }
    if (m->protection > 0 && c->nr > POINTS_FIRST_ROWS) {
        /* checked like any point; GLPK's below when it is not one */
        int st = interior_point(m, c, NULL, m->x0);
        if (st <= 0)
            return st;
    }
    if (!*lp && !(*lp = component_lp(m, c, local)))
        return -1;
    bool solved = false;
    if (m->protection > 0 && c->nv > 2) {
        glp_iptcp parm;
        glp_init_iptcp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        if (glp_interior(*lp, &parm) == 0 && glp_ipt_status(*lp) == GLP_OPT) {
            for (size_t j = 0; j < c->nv; j++) {
                uint32_t v = c->vars[j];
                double x = glp_ipt_col_prim(*lp, (int)j + 1);
                m->x0[v] = fmin(fmax(x, 0), m->upper[v]);
            }
            solved = true;
        }
    }
    if (!solved) {
        glp_set_obj_dir(*lp, GLP_MIN);
        int st = simplex(m, *lp);
        if (st == 1)
            return 1;
        if (st != 0 || glp_get_status(*lp) == GLP_NOFEAS)
            return 2;
        for (size_t j = 0; j < c->nv; j++)
            m->x0[c->vars[j]] = glp_get_col_prim(*lp, (int)j + 1);
    }
    return 0;
}

/* Minimises and maximises variable V (local J) of C. Returns 0, 1 out of
 * time, 2 failed (the cell stays unsolved). */
static int solve_ends(measure *m, const component *c, glp_prob *lp, size_t j, uint32_t v)
{
    double ends[2] = {m->lo[v], m->hi[v]};
    /* In exact mode, an end a solution reached at its outer bound is exact. */
    bool skip[2] = {m->seen_lo[v] <= m->lo[v] + 1e-9, m->seen_hi[v] >= m->hi[v] - 1e-9};
    int rc = 0;
    glp_set_obj_coef(lp, (int)j + 1, 1.0);
    for (int dir = 0; dir < 2 && rc == 0; dir++) {
        if (skip[dir])
            continue;
        glp_set_obj_dir(lp, dir == 0 ? GLP_MIN : GLP_MAX);
        int st = simplex(m, lp);
        int status = glp_get_status(lp);
        if (st == 1) {
            rc = 1;
        } else if (st == 0 && status == GLP_OPT) {
            ends[dir] = tidy(glp_get_obj_val(lp));
            observe(m, c, lp);
        } else if (st == 0 && status == GLP_UNBND && dir == 1) {
            ends[dir] = INFINITY;
        } else {
            rc = 2;
        }
    }
    glp_set_obj_coef(lp, (int)j + 1, 0.0);
    if (rc == 0) {
        sdc_audit_cell *a = &m->cells[v];
        a->lo = tidy(ends[0]);
        a->hi = isfinite(ends[1]) ? tidy(ends[1]) : INFINITY;
        a->solved = true;
        a->exact = true;
    }
    return rc;
}

static void settle_exact(measure *m, uint32_t v, double value)
{
    sdc_audit_cell *a = &m->cells[v];
    a->lo = a->hi = tidy(value);
    a->solved = true;
    a->exact = true;
}

static bool still_open(const measure *m, uint32_t v)
{
    return !seen_wide(m, v) && width_of(m->lo[v], m->hi[v], m->integer) >= m->protection;
}

/* A search for cubes of M's grid at its point, calling FN with CTX. */
static sdc_cube_search cube_search(measure *m, size_t per_dim, size_t max_nodes, sdc_cube_fn fn,
                                   void *ctx)
{
    return (sdc_cube_search){.g = &m->g,
                             .k = &m->k,
                             .value = m->gvalue,
                             .upper = m->gupper,
                             .state = m->gstate,
                             .min_range = 1e-9,
                             .per_dim = per_dim,
                             .max_nodes = max_nodes,
                             .fn = fn,
                             .ctx = ctx};
}

/* Searches cubes through cell V at the point m->x0. */
static int cubes_through(measure *m, uint32_t v, size_t per_dim, size_t max_nodes)
{
    cube_ctx x = {.m = m, .target = v};
    sdc_cube_search s = cube_search(m, per_dim, max_nodes, on_cube, &x);
    return sdc_cube_find(&s, m->cell_of[v]) < 0 ? -1 : 0;
}

static int combine_cubes(measure *m, const component *c, const uint32_t *pending, size_t npending);

/*
 * Verdicts without LP (a component too large for the simplex): more
 * feasible points, each the entropy point with the still unproved cells
 * of PENDING (local indices) pushed up, then down, and the cubes through
 * each, alone and combined (combine_cubes). The values a cell takes at
 * feasible points, and all between (the feasible set is convex), are
 * values it can have. Returns 0, or -1 when out of memory.
 */
static int prove_by_points(measure *m, const component *c, const uint32_t *pending, size_t npending)
{
    double *weight = malloc(m->nvars * sizeof *weight), *x = malloc(m->nvars * sizeof *x);
    int rc = weight && x ? 0 : -1;
    for (int round = 0; round < POINT_ROUNDS && rc == 0; round++) {
        size_t open = 0;
        for (size_t j = 0; j < c->nv; j++)
            weight[c->vars[j]] = 1;
        for (size_t q = 0; q < npending; q++) {
            uint32_t v = c->vars[pending[q]];
            if (!still_open(m, v))
                continue;
            open++;
            weight[v] = round == 0 ? POINT_PUSH : 1 / POINT_PUSH;
        }
        if (open == 0 || now_seconds() > m->deadline)
            break;
        int st = interior_point(m, c, weight, x);
        if (st < 0)
            rc = -1;
        if (st != 0)
            continue;
        for (size_t j = 0; j < c->nv; j++) {
            uint32_t v = c->vars[j];
            m->x0[v] = m->gvalue[m->cell_of[v]] = x[v];
            if (x[v] < m->seen_lo[v])
                m->seen_lo[v] = x[v];
            if (x[v] > m->seen_hi[v])
                m->seen_hi[v] = x[v];
        }
        for (size_t q = 0; q < npending && rc == 0; q++)
            if (still_open(m, c->vars[pending[q]]))
                rc = cubes_through(m, c->vars[pending[q]], CUBE_PER_DIM, CUBE_MAX_NODES);
        /* and combined there (the cells still unproved), as after the walk */
        if (rc == 0)
            rc = combine_cubes(m, c, pending, npending);
    }
    free(weight);
    free(x);
    return rc;
}

/*
 * The walk along cubes. A cube of hidden cells through a feasible point x
 * is a direction d (+-1 at its corners, 0 elsewhere) with x + t*d
 * feasible for t in [dlo, dhi]: moving to an end of that range is
 * another feasible point, where other cubes through a cell reach further
 * than at x (a corner that was at 0 or at its marker is now free to
 * move). The walk moves a still unproved cell up, cube after cube, as
 * far as the best cube takes it, then down, every moved point checked
 * like any other (the rows through the moved corners hold to the audit's
 * tolerance, each corner within 0 and its marker) before its values
 * count. When no cube moves the cell (a corner of each is at its bound),
 * the corners that block a few of them are moved off their bounds first
 * (and theirs, WALK_DEPTH deep). The next cell starts where the last one
 * left the point, and the pass is repeated while it proves cells.
 */
typedef struct walk {
    measure *m;
    size_t *rstart; /* per local variable: its rows in ROWS */
    uint32_t *rows;
    const uint32_t *local;
    const sdc_cube_search *s;
    uint32_t target;
    bool blocker;               /* the target is moved to free another cell */
    int sgn;                    /* the target's move: 1 up, -1 down */
    sdc_cube up, down;          /* the cubes that move the target furthest */
    sdc_cube stuck[WALK_STUCK]; /* cubes that cannot move at all */
    size_t nstuck;
    uint32_t *undo_var;
    double *undo_val;
    size_t nundo, undo_cap;
} walk;

static bool on_walk_cube(void *vctx, const sdc_cube *c)
{
    walk *w = vctx;
    cube_ctx x = {.m = w->m, .target = w->target};
    bool done = on_cube(&x, c); /* the point is checked: its cubes count */
    if (c->dhi > w->up.dhi)
        w->up = *c;
    if (c->dlo < w->down.dlo)
        w->down = *c;
    if (w->nstuck < WALK_STUCK && (w->sgn > 0 ? c->dhi : -c->dlo) <= 1e-9)
        w->stuck[w->nstuck++] = *c;
    return done && !w->blocker;
}

static void walk_set(walk *w, uint32_t v, double value)
{
    w->m->x0[v] = w->m->gvalue[w->m->cell_of[v]] = value;
}

/* Moves the point by T along cube C; false (and the point as it was)
 * when the moved point fails the check or memory runs out. */
static bool walk_move(walk *w, const sdc_cube *c, double t)
{
    measure *m = w->m;
    if (w->nundo + c->ncorners > w->undo_cap) {
        size_t cap = sdc_vec_capacity(w->undo_cap, w->nundo + c->ncorners);
        if (!cap || SDC_VEC_RESIZE(w->undo_var, cap) < 0 || SDC_VEC_RESIZE(w->undo_val, cap) < 0)
            return false;
        w->undo_cap = cap;
    }
    size_t mark = w->nundo;
    for (size_t i = 0; i < c->ncorners; i++) {
        uint32_t v = (uint32_t)m->var_of[c->corner[i]];
        double x = m->x0[v] + c->sign[i] * t;
        if (x < 0 && x > -1e-9)
            x = 0; /* the corner that limits the move lands on its bound */
        if (x > m->upper[v] && x < m->upper[v] + 1e-9)
            x = m->upper[v];
        w->undo_var[w->nundo] = v;
        w->undo_val[w->nundo++] = m->x0[v];
        walk_set(w, v, x);
    }
    bool ok = true;
    for (size_t i = 0; i < c->ncorners && ok; i++) {
        uint32_t v = (uint32_t)m->var_of[c->corner[i]];
        size_t l = w->local[v];
        ok = m->x0[v] >= 0 && m->x0[v] <= m->upper[v] &&
             rows_hold(m, w->rows + w->rstart[l], w->rstart[l + 1] - w->rstart[l], m->x0);
    }
    if (!ok) {
        while (w->nundo > mark) {
            w->nundo--;
            walk_set(w, w->undo_var[w->nundo], w->undo_val[w->nundo]);
        }
        return false;
    }
    for (size_t i = 0; i < c->ncorners; i++) {
        uint32_t v = (uint32_t)m->var_of[c->corner[i]];
        if (m->x0[v] < m->seen_lo[v])
            m->seen_lo[v] = m->x0[v];
        if (m->x0[v] > m->seen_hi[v])
            m->seen_hi[v] = m->x0[v];
    }
    return true;
}

/* One move of cell V up (SGN 1) or down (-1) along the cube that takes
 * it furthest. Returns 1 moved, 0 not, -1 out of memory. */
static int walk_step(walk *w, uint32_t v, int sgn, bool blocker)
{
    w->target = v;
    w->blocker = blocker;
    w->sgn = sgn;
    w->up.dhi = 1e-9;
    w->down.dlo = -1e-9;
    w->nstuck = 0;
    if (sdc_cube_find(w->s, w->m->cell_of[v]) < 0)
        return -1;
    if (!blocker && !still_open(w->m, v))
        return 0;
    const sdc_cube *best = sgn > 0 ? &w->up : &w->down;
    double t = sgn > 0 ? best->dhi : best->dlo;
    if (fabs(t) <= 1e-9)
        return 0;
    sdc_cube move = *best;
    return walk_move(w, &move, t) ? 1 : 0;
}

/* Cell V cannot move towards SGN: free the corners that block the cubes
 * through it (each at 0 or its marker) by moving them away from that
 * bound along cubes of their own, then try V again. Returns as walk_step. */
static int walk_unblock(walk *w, uint32_t v, int sgn, bool blocker, int depth)
{
    measure *m = w->m;
    size_t n = w->nstuck;
    sdc_cube stuck[WALK_STUCK];
    memcpy(stuck, w->stuck, n * sizeof *stuck);
    for (size_t k = 0; k < n; k++) {
        bool freed = true;
        for (size_t i = 1; i < stuck[k].ncorners && freed; i++) {
            uint32_t b = (uint32_t)m->var_of[stuck[k].corner[i]];
            int move = sgn * stuck[k].sign[i]; /* where V's move takes B */
            bool blocked = move < 0 ? m->x0[b] <= 1e-9 : m->x0[b] >= m->upper[b] - 1e-9;
            if (!blocked)
                continue;
            int st = walk_step(w, b, -move, true);
            if (st == 0 && depth > 1)
                st = walk_unblock(w, b, -move, true, depth - 1);
            if (st < 0)
                return -1;
            freed = st == 1;
        }
        if (!freed)
            continue;
        int st = walk_step(w, v, sgn, blocker);
        if (st != 0)
            return st;
    }
    return 0;
}

/* Walks each still unproved cell of PENDING (local indices of C) up and
 * down along cubes. Returns 0, or -1 when out of memory. */
static int walk_cells(measure *m, const component *c, const uint32_t *local,
                      const uint32_t *pending, size_t npending)
{
    walk w = {.m = m, .local = local};
    w.rstart = calloc(c->nv + 1, sizeof *w.rstart);
    size_t nterms = 0;
    for (size_t i = 0; i < c->nr; i++)
        nterms += m->eq.start[c->rows[i] + 1] - m->eq.start[c->rows[i]];
    w.rows = malloc((nterms + 1) * sizeof *w.rows);
    size_t *fill = calloc(c->nv + 1, sizeof *fill);
    int rc = w.rstart && w.rows && fill ? 0 : -1;
    for (size_t i = 0; i < c->nr && rc == 0; i++)
        for (size_t t = m->eq.start[c->rows[i]]; t < m->eq.start[c->rows[i] + 1]; t++)
            w.rstart[local[m->eq.var[t]] + 1]++;
    for (size_t j = 0; j < c->nv && rc == 0; j++) {
        w.rstart[j + 1] += w.rstart[j];
        fill[j] = w.rstart[j];
    }
    for (size_t i = 0; i < c->nr && rc == 0; i++)
        for (size_t t = m->eq.start[c->rows[i]]; t < m->eq.start[c->rows[i] + 1]; t++)
            w.rows[fill[local[m->eq.var[t]]]++] = c->rows[i];
    free(fill);
    sdc_cube_search s = cube_search(m, CUBE_PER_DIM, CUBE_MAX_NODES, on_walk_cube, &w);
    w.s = &s;
    size_t open = npending;
    for (int round = 0; round < WALK_ROUNDS && rc == 0 && open > 0; round++) {
        size_t was = open;
        open = 0;
        for (size_t q = 0; q < npending && rc == 0 && now_seconds() < m->deadline; q++) {
            uint32_t v = c->vars[pending[q]];
            if (!still_open(m, v))
                continue;
            for (int dir = 0; dir < 2 && rc == 0 && still_open(m, v); dir++) {
                for (int step = 0; step < WALK_STEPS && still_open(m, v); step++) {
                    int sgn = dir == 0 ? 1 : -1;
                    int st = walk_step(&w, v, sgn, false);
                    if (st == 0 && still_open(m, v))
                        st = walk_unblock(&w, v, sgn, false, WALK_DEPTH);
                    if (st < 0)
                        rc = -1;
                    if (st != 1)
                        break;
                }
            }
            w.nundo = 0; /* the moved point, checked, is where the next cell starts */
            open += still_open(m, v);
        }
        if (open == was)
            break;
    }
    free(w.rstart);
    free(w.rows);
    free(w.undo_var);
    free(w.undo_val);
    return rc;
}

/*
 * Cubes combined (walk_cells moves along one cube at a time). A cube
 * through a cell moves it only as far as its most limiting corner lets
 * it, and another cube through that corner can move the corner out of
 * the way. So for each cell still unproved, the cubes of hidden cells
 * through it (up to COMBINE_CUBES), through the corners that limit them
 * most either way (COMBINE_LIMITS corners, COMBINE_PER_LIMIT cubes each),
 * and through those cubes' own limiting corners (COMBINE_DEPTH levels),
 * and a small LP in the cubes' coefficients t: x + sum_i t_i D_i, D_i cube
 * i's direction (+-1 at its corners, 0 elsewhere), satisfies every
 * equation whatever t (each cube is balanced on every line), so the LP
 * has only the corners' bounds as rows, 0 <= x_u + sum_i D_iu t_i <=
 * upper_u, and it maximises, then minimises, the cell's own move. Each
 * optimum, scaled back inside the bounds where the LP's tolerance left
 * a corner a hair outside, is a feasible point, and every corner's value
 * there is one it can take. Run at each pushed point and where the walk
 * ends. On the 5-D bench table's copy written after protect's first
 * round (doc/design.md, "Secondary suppression") the cells left unproved
 * went from 1,083 to 145 (285 combining where the walk ends alone).
 */
#define COMBINE_CUBES 48
#define COMBINE_LIMITS 32
#define COMBINE_PER_LIMIT 12
#define COMBINE_DEPTH 2
/* Each cell is first combined one level shallower, in a fifth of the
 * time, which proves most of what the full depth does (on the 5-D bench
 * table as protect writes it, of one block's 1,086 cells left after the
 * cubes at the pushed point, 150 stay unproved after one level, in 0.35 s,
 * and 73 after two, in 1.69 s); only the cells still unproved are then
 * combined COMBINE_DEPTH levels deep. In interleaved runs that table's
 * check took 11.9 to 13.5 s instead of 15.4 to 16.9 s, and protect's
 * default mode 63.4 and 70.4 s instead of 72.7 and 79.5 s, writing the
 * same table (doc/design.md, "Cubes combined"). */
#define COMBINE_MAX (COMBINE_CUBES + COMBINE_DEPTH * COMBINE_LIMITS * COMBINE_PER_LIMIT)

typedef struct combine {
    sdc_cube *cube;
    size_t n, cap, found;
} combine;

static bool collect_cube(void *vctx, const sdc_cube *c)
{
    combine *k = vctx;
    if (k->n < COMBINE_MAX)
        k->cube[k->n++] = *c;
    return ++k->found >= k->cap || k->n >= COMBINE_MAX;
}

typedef struct term {
    uint32_t cell; /* grid cell */
    uint32_t col;  /* cube */
    int sign;
} term;

static int by_cell(const void *a, const void *b)
{
    const term *x = a, *y = b;
    if (x->cell != y->cell)
        return x->cell < y->cell ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

/* The corner of cube C that limits its move towards SGN first. */
static uint32_t limiting_corner(const measure *m, const sdc_cube *c, int sgn)
{
    double best = INFINITY;
    uint32_t at = c->corner[0];
    for (size_t i = 1; i < c->ncorners; i++) {
        uint32_t u = (uint32_t)m->var_of[c->corner[i]];
        int dir = sgn * c->sign[i];
        double room = dir > 0 ? m->upper[u] - m->x0[u] : m->x0[u];
        if (room < best) {
            best = room;
            at = c->corner[i];
        }
    }
    return at;
}

/* The move sum_i T_i D_iu of the cell whose terms start at ROW[*Q] (of
 * NT, sorted by cell), *Q then past them. */
static double move_of(const term *row, size_t nt, const double *t, size_t *q)
{
    uint32_t cell = row[*q].cell;
    double d = 0;
    for (; *q < nt && row[*q].cell == cell; (*q)++)
        d += row[*q].sign * t[row[*q].col];
    return d;
}

/* Widens what the corners are seen to take with the point x + sum_i T_i
 * D_i (ROW: the cubes' terms by cell, NT of them), scaled back inside
 * the bounds. */
static void combine_observe(measure *m, const term *row, size_t nt, const double *t)
{
    double alpha = 1;
    for (size_t q = 0; q < nt;) {
        uint32_t u = (uint32_t)m->var_of[row[q].cell];
        double d = move_of(row, nt, t, &q);
        double x = m->x0[u], up = m->upper[u];
        /* a move past a bound by the LP's tolerance is clamped below */
        if (d < 0 && x + d < -1e-9 * (1 + x))
            alpha = fmin(alpha, x / -d);
        if (d > 0 && x + d > up + 1e-9 * (1 + up))
            alpha = fmin(alpha, (up - x) / d);
    }
    if (!(alpha > 0))
        return;
    for (size_t q = 0; q < nt;) {
        uint32_t u = (uint32_t)m->var_of[row[q].cell];
        double d = move_of(row, nt, t, &q);
        double v = fmin(fmax(m->x0[u] + alpha * d, 0), m->upper[u]);
        if (v < m->seen_lo[u])
            m->seen_lo[u] = v;
        if (v > m->seen_hi[u])
            m->seen_hi[u] = v;
    }
}

/* The LP over the cubes of K for grid cell G: its furthest moves up and
 * down. Returns 0, or -1 when out of memory. */
static int combine_lp(measure *m, const combine *k, uint32_t g)
{
    size_t nt = 0;
    for (size_t i = 0; i < k->n; i++)
        nt += k->cube[i].ncorners;
    term *row = malloc((nt + 1) * sizeof *row);
    int *ia = malloc((nt + 1) * sizeof *ia), *ja = malloc((nt + 1) * sizeof *ja);
    double *ar = malloc((nt + 1) * sizeof *ar), *t = malloc((k->n + 1) * sizeof *t);
    if (!row || !ia || !ja || !ar || !t) {
        free(row);
        free(ia);
        free(ja);
        free(ar);
        free(t);
        return -1;
    }
    nt = 0;
    for (size_t i = 0; i < k->n; i++)
        for (size_t c = 0; c < k->cube[i].ncorners; c++)
            row[nt++] = (term){k->cube[i].corner[c], (uint32_t)i, k->cube[i].sign[c]};
    qsort(row, nt, sizeof *row, by_cell);
    glp_prob *lp = glp_create_prob();
    glp_add_cols(lp, (int)k->n);
    for (size_t i = 0; i < k->n; i++)
        glp_set_col_bnds(lp, (int)i + 1, GLP_FR, 0, 0);
    size_t nz = 0;
    for (size_t q = 0; q < nt;) {
        uint32_t cell = row[q].cell;
        uint32_t u = (uint32_t)m->var_of[cell];
        int r = glp_add_rows(lp, 1);
        double x = m->x0[u];
        if (isfinite(m->upper[u]))
            glp_set_row_bnds(lp, r, GLP_DB, -x, m->upper[u] - x);
        else
            glp_set_row_bnds(lp, r, GLP_LO, -x, 0);
        for (; q < nt && row[q].cell == cell; q++) {
            nz++;
            ia[nz] = r;
            ja[nz] = (int)row[q].col + 1;
            ar[nz] = row[q].sign;
            if (cell == g)
                glp_set_obj_coef(lp, (int)row[q].col + 1, row[q].sign);
        }
    }
    glp_load_matrix(lp, (int)nz, ia, ja, ar);
    for (int dir = 0; dir < 2; dir++) {
        glp_set_obj_dir(lp, dir == 0 ? GLP_MAX : GLP_MIN);
        if (simplex(m, lp) != 0 || glp_get_status(lp) != GLP_OPT)
            continue;
        for (size_t i = 0; i < k->n; i++)
            t[i] = glp_get_col_prim(lp, (int)i + 1);
        combine_observe(m, row, nt, t);
    }
    glp_delete_prob(lp);
    free(row);
    free(ia);
    free(ja);
    free(ar);
    free(t);
    return 0;
}

/* Cubes combined for each still unproved cell of PENDING (local indices
 * of C), through limiting corners DEPTH levels deep. Returns 0, or -1
 * when out of memory. */
static int combine_at_depth(measure *m, const component *c, const uint32_t *pending,
                            size_t npending, int depth)
{
    combine k = {.cube = malloc(COMBINE_MAX * sizeof *k.cube)};
    if (!k.cube)
        return -1;
    sdc_cube_search s = cube_search(m, CUBE_PER_DIM, CUBE_MAX_NODES, collect_cube, &k);
    int rc = 0;
    for (size_t q = 0; q < npending && rc == 0 && now_seconds() < m->deadline; q++) {
        uint32_t v = c->vars[pending[q]];
        if (!still_open(m, v))
            continue;
        uint32_t g = m->cell_of[v];
        k.n = k.found = 0;
        k.cap = COMBINE_CUBES;
        if (sdc_cube_find(&s, g) < 0) {
            rc = -1;
            break;
        }
        size_t through = k.n;
        uint32_t lim[COMBINE_DEPTH * COMBINE_LIMITS];
        size_t nlim = 0, from = 0;
        for (int level = 0; level < depth && rc == 0; level++) {
            size_t to = k.n, first = nlim;
            for (size_t i = from; i < to && nlim - first < COMBINE_LIMITS; i++)
                for (int sgn = -1; sgn <= 1 && nlim - first < COMBINE_LIMITS; sgn += 2) {
                    uint32_t u = limiting_corner(m, &k.cube[i], sgn);
                    bool seen = u == g;
                    for (size_t j = 0; j < nlim && !seen; j++)
                        seen = lim[j] == u;
                    if (!seen)
                        lim[nlim++] = u;
                }
            for (size_t j = first; j < nlim && rc == 0; j++) {
                k.found = 0;
                k.cap = COMBINE_PER_LIMIT;
                if (sdc_cube_find(&s, lim[j]) < 0)
                    rc = -1;
            }
            from = to;
        }
        if (rc == 0 && through > 0)
            rc = combine_lp(m, &k, g);
    }
    free(k.cube);
    return rc;
}

/* Cubes combined for each still unproved cell of PENDING (local indices
 * of C): first one level shallower, then, for the cells that left
 * unproved, COMBINE_DEPTH levels deep (see COMBINE_DEPTH). Returns 0, or
 * -1 when out of memory. */
static int combine_cubes(measure *m, const component *c, const uint32_t *pending, size_t npending)
{
    int rc = COMBINE_DEPTH > 1 ? combine_at_depth(m, c, pending, npending, COMBINE_DEPTH - 1) : 0;
    return rc == 0 ? combine_at_depth(m, c, pending, npending, COMBINE_DEPTH) : rc;
}

/* A component whose outer bounds all meet is given back by subtraction,
 * or is inconsistent when the equations do not hold there. False when
 * some cell's bounds are apart. */
static bool settle_fixed(measure *m, const component *c)
{
    bool fixed = true;
    for (size_t j = 0; j < c->nv && fixed; j++)
        fixed = m->hi[c->vars[j]] - m->lo[c->vars[j]] < 1e-9;
    if (!fixed)
        return false;
    if (!holds_at(m, c, m->lo)) {
        m->out->inconsistent = true;
        return true;
    }
    for (size_t j = 0; j < c->nv; j++)
        settle_exact(m, c->vars[j], m->lo[c->vars[j]]);
    return true;
}

/* A component without a feasible point (feasible_point's ST): too large
 * for LP and no known point (only what propagation settles), out of time
 * or inconsistent. Returns 0, or -1 when out of memory. */
static int settle_without_point(measure *m, const component *c, int st)
{
    if (st == 3) {
        for (size_t j = 0; j < c->nv; j++) {
            uint32_t v = c->vars[j];
            if (m->hi[v] - m->lo[v] < 1e-9)
                settle_exact(m, v, m->lo[v]);
            else
                m->unproved++;
        }
        return 0;
    }
    if (st < 0)
        return -1;
    if (st == 1)
        m->out->timed_out = true;
    else
        m->out->inconsistent = true;
    return 0;
}

/* The feasible point m->x0 is the first value each cell is seen to take,
 * and the point the cube search reads by grid cell. */
static void start_at_point(measure *m, const component *c)
{
    for (size_t j = 0; j < c->nv; j++) {
        uint32_t v = c->vars[j];
        m->seen_lo[v] = m->seen_hi[v] = m->x0[v];
        if (m->gstate) {
            m->gvalue[m->cell_of[v]] = m->x0[v];
            m->gupper[m->cell_of[v]] = m->upper[v];
            m->gstate[m->cell_of[v]] = SDC_CUBE_HIDDEN;
        }
    }
}

/* The cells the equations determine (the null space), into *DET (per local
 * variable), for a component of more than one and up to GSL_MAX_VARS
 * cells whose equations hold exactly; else *DET stays NULL. Returns 0, or
 * -1 when out of memory. */
static int determined_cells(const measure *m, const component *c, const uint32_t *local, bool **det)
{
    bool tolerant = false;
    for (size_t i = 0; i < c->nr && !tolerant; i++)
        tolerant = m->eq.tol[c->rows[i]] > 0;
    if (c->nv <= 1 || c->nv > GSL_MAX_VARS || tolerant)
        return 0;
    *det = calloc(c->nv, sizeof **det);
    if (!*det || sdc_bounds_determined(&m->eq, c->rows, c->nr, c->nv, local, *det) < 0) {
        free(*det);
        *det = NULL;
        return -1;
    }
    return 0;
}

/* Settles the cells that need no LP (bounds that meet, cells the
 * equations determine); the rest (local indices) go to PENDING, a cell
 * that may be wide first tried with the cubes through the point. Returns
 * 0, or -1 when out of memory. */
static int settle_without_lp(measure *m, const component *c, const bool *det, uint32_t *pending,
                             size_t *npending)
{
    int rc = 0;
    for (size_t j = 0; j < c->nv && rc == 0; j++) {
        uint32_t v = c->vars[j];
        if (m->hi[v] - m->lo[v] < 1e-9) {
            settle_exact(m, v, m->lo[v]);
            continue;
        }
        if (det && det[j]) {
            settle_exact(m, v, m->x0[v]);
            continue;
        }
        if (m->protection > 0 && still_open(m, v))
            rc = cubes_through(m, v, CUBE_PER_DIM, CUBE_MAX_NODES);
        pending[(*npending)++] = (uint32_t)j;
    }
    return rc;
}

/* Verdicts: push all the unproved cells of PENDING up at once, then down,
 * so that one solve shows many of them wide (a few rounds, while it
 * pays). Returns 0, or -1 when out of memory. */
static int push_together(measure *m, const component *c, const uint32_t *local, glp_prob **lp,
                         const uint32_t *pending, size_t npending)
{
    if (!*lp && !(*lp = component_lp(m, c, local)))
        return -1;
    for (int round = 0; round < BATCH_ROUNDS && !m->out->timed_out; round++) {
        size_t open = 0;
        for (size_t q = 0; q < npending; q++) {
            bool want = still_open(m, c->vars[pending[q]]);
            glp_set_obj_coef(*lp, (int)pending[q] + 1, want ? 1.0 : 0.0);
            open += want;
        }
        for (int dir = 0; dir < 2 && open > 0; dir++) {
            glp_set_obj_dir(*lp, dir == 0 ? GLP_MAX : GLP_MIN);
            int st = simplex(m, *lp);
            if (st == 1)
                m->out->timed_out = true;
            if (st != 0 || (glp_get_status(*lp) != GLP_OPT && glp_get_status(*lp) != GLP_UNBND))
                break;
            if (glp_get_status(*lp) == GLP_OPT)
                observe(m, c, *lp);
        }
        size_t still = 0;
        for (size_t q = 0; q < npending; q++) {
            glp_set_obj_coef(*lp, (int)pending[q] + 1, 0.0);
            still += still_open(m, c->vars[pending[q]]);
        }
        if (open == 0 || still * 10 > open * 9)
            break; /* less than a tenth moved: the rest one by one */
    }
    return 0;
}

/* The cells of PENDING one by one: wide by the values seen (for a
 * verdict), else minimised and maximised by the simplex, or (NO_LP)
 * left unproved. Returns 0, or -1 when out of memory. */
static int settle_one_by_one(measure *m, const component *c, const uint32_t *local, glp_prob **lp,
                             const uint32_t *pending, size_t npending, bool no_lp)
{
    for (size_t q = 0; q < npending && !m->out->timed_out; q++) {
        size_t j = pending[q];
        uint32_t v = c->vars[j];
        sdc_audit_cell *a = &m->cells[v];
        if (m->protection > 0 && seen_wide(m, v)) {
            a->lo = tidy(m->seen_lo[v]);
            a->hi = tidy(m->seen_hi[v]);
            a->solved = true;
            a->exact = false;
            continue;
        }
        if (no_lp) {
            m->unproved++; /* a cell neither proved nor solved */
            continue;
        }
        if (!*lp && !(*lp = component_lp(m, c, local)))
            return -1;
        if (solve_ends(m, c, *lp, j, v) == 1)
            m->out->timed_out = true;
    }
    return 0;
}

/* The values a network's cell is pushed to see, beyond the protection
 * asked for: the arithmetic's noise never leaves a cell just short. */
#define NETWORK_MARGIN 1e-6
/* Rounds of pushes up and down per cell (two reach a verdict; the rest
 * are a guard against the arithmetic). */
#define NETWORK_ROUNDS 4

/* The value a cell seen as low as LO must reach to be wide, and the
 * value one seen as high as HI; counts by their whole values, so that a
 * point of whole numbers stays one. */
static double up_to(const measure *m, double lo)
{
    if (m->integer)
        return ceil(lo - 1e-7) + m->protection - 1;
    return lo + m->protection + NETWORK_MARGIN;
}

static double down_to(const measure *m, double hi)
{
    if (m->integer)
        return floor(hi + 1e-7) - (m->protection - 1);
    return hi - m->protection - NETWORK_MARGIN;
}

/* The cells of network N (component C) pushed up and down, each until it
 * is seen to vary by the protection or has reached both its ends (then
 * its interval is exact). The final point is checked again; when it
 * fails, or a cell is left undecided, nothing is settled and the general
 * audit takes the component. Cells the deadline leaves are unsolved.
 * Returns 0, 1 when nothing was settled, -1 when out of memory. */
static int push_network(measure *m, const component *c, sdc_network *n, double *x)
{
    size_t nv = c->nv;
    double *lo = malloc(nv * sizeof *lo), *hi = malloc(nv * sizeof *hi);
    unsigned char *state = calloc(nv, 1); /* 0 open, 1 wide, 2 exact */
    if (!lo || !hi || !state) {
        free(lo);
        free(hi);
        free(state);
        return -1;
    }
    for (size_t j = 0; j < nv; j++)
        lo[j] = hi[j] = x[j];
    bool late = false;
    for (size_t j = 0; j < nv && !late; j++) {
        bool top = false, bottom = false, wide = false;
        for (int round = 0; round < NETWORK_ROUNDS && !wide && !(top && bottom); round++) {
            double want = up_to(m, lo[j]) - sdc_network_value(n, j);
            if (!top && want > 0)
                sdc_network_move(n, j, 1, want, lo, hi, &top);
            wide = width_of(lo[j], hi[j], m->integer) >= m->protection;
            want = sdc_network_value(n, j) - down_to(m, hi[j]);
            if (!wide && !bottom && want > 0)
                sdc_network_move(n, j, -1, want, lo, hi, &bottom);
            wide = width_of(lo[j], hi[j], m->integer) >= m->protection;
        }
        state[j] = wide ? 1 : top && bottom ? 2 : 0;
        if ((j & 255) == 255 && now_seconds() > m->deadline)
            late = true;
    }
    for (size_t j = 0; j < nv; j++)
        m->x0[c->vars[j]] = sdc_network_value(n, j);
    int rc = holds_at(m, c, m->x0) ? 0 : 1;
    for (size_t j = 0; j < nv && rc == 0 && !late; j++)
        if (state[j] == 0)
            rc = 1; /* undecided (the arithmetic's noise): the general audit decides */
    for (size_t j = 0; j < nv && rc == 0; j++) {
        uint32_t v = c->vars[j];
        sdc_audit_cell *a = &m->cells[v];
        m->seen_lo[v] = lo[j];
        m->seen_hi[v] = hi[j];
        if (state[j] == 0)
            continue; /* out of time first */
        a->lo = tidy(lo[j]);
        a->hi = tidy(hi[j]);
        a->solved = true;
        a->exact = state[j] == 2;
        m->out->by_flow++;
    }
    if (rc == 0 && late)
        m->out->timed_out = true;
    free(lo);
    free(hi);
    free(state);
    return rc;
}

/*
 * Verdicts on a component whose equations are a network (network.h, a
 * two-dimensional table): a feasible point (the true values when known,
 * else a maximum flow), checked like every other, then each cell pushed
 * up and down by maximum flow. Returns 0 when settled, 1 when C is not a
 * network or the flow's point fails the check (the general audit takes
 * over), -1 when out of memory.
 */
static int settle_network(measure *m, const component *c, const uint32_t *local)
{
    sdc_network *n = NULL;
    int rc = sdc_network_make(&m->eq, c->rows, c->nr, c->vars, c->nv, local, m->upper, &n);
    if (rc != 0)
        return rc;
    double *x = malloc(c->nv * sizeof *x);
    if (!x) {
        sdc_network_free(n);
        return -1;
    }
    bool known = m->known != NULL;
    for (size_t j = 0; j < c->nv && known; j++)
        known = m->known[c->vars[j]];
    if (known) {
        for (size_t j = 0; j < c->nv; j++) {
            const sdc_grid_cell *gc = &m->g.cells[m->cell_of[c->vars[j]]];
            x[j] = m->x0[c->vars[j]] = sdc_table_cell(m->t, gc->row, gc->col)->number;
        }
        known = holds_at(m, c, m->x0);
    }
    if (known) {
        sdc_network_set_point(n, x);
    } else {
        rc = sdc_network_feasible(n, x);
        for (size_t j = 0; j < c->nv; j++)
            m->x0[c->vars[j]] = x[j];
    }
    for (size_t j = 0; j < c->nv && rc == 0; j++)
        rc = x[j] >= 0 && x[j] <= m->upper[c->vars[j]] ? 0 : 1;
    if (rc == 0)
        rc = holds_at(m, c, m->x0) ? 0 : 1;
    if (rc == 0)
        rc = push_network(m, c, n, x);
    free(x);
    sdc_network_free(n);
    return rc;
}

/* Settles every cell of component C, cheapest means first (the steps 2 to
 * 5 of the comment at the top). Returns 0, or -1 when out of memory. */
static int settle(measure *m, const component *c, uint32_t *local)
{
    for (size_t j = 0; j < c->nv; j++)
        local[c->vars[j]] = (uint32_t)j;
    if (settle_fixed(m, c))
        return 0;
    if (m->protection > 0 && m->network) {
        int st = settle_network(m, c, local);
        if (st <= 0)
            return st;
    }
    glp_prob *lp = NULL;
    int st = feasible_point(m, c, local, &lp);
    if (st != 0) {
        if (lp)
            glp_delete_prob(lp);
        return settle_without_point(m, c, st);
    }
    start_at_point(m, c);
    bool *det = NULL;
    int rc = determined_cells(m, c, local, &det);
    uint32_t *pending = NULL;
    size_t npending = 0;
    if (rc == 0) {
        pending = malloc((c->nv + 1) * sizeof *pending);
        rc = pending ? settle_without_lp(m, c, det, pending, &npending) : -1;
    }
    bool no_lp = m->protection > 0 && c->nr > m->lp_max_rows;
    /* points first on large blocks, the LPs then for what they leave */
    bool points = no_lp || (m->protection > 0 && c->nr > POINTS_FIRST_ROWS);
    if (rc == 0 && points && npending > 0)
        rc = prove_by_points(m, c, pending, npending);
    if (rc == 0 && points && npending > 0)
        rc = walk_cells(m, c, local, pending, npending);
    if (rc == 0 && points && npending > 0)
        rc = combine_cubes(m, c, pending, npending);
    if (rc == 0 && m->protection > 0 && npending > BATCH_MIN && !no_lp)
        rc = push_together(m, c, local, &lp, pending, npending);
    if (rc == 0)
        rc = settle_one_by_one(m, c, local, &lp, pending, npending, no_lp);
    /* Every point the audit moved to was checked: the last one is where
     * `protect` looks for cubes when a cell is left unproved. */
    for (size_t j = 0; j < c->nv && m->protection > 0; j++)
        m->cells[c->vars[j]].point = m->x0[c->vars[j]];
    free(pending);
    free(det);
    if (lp)
        glp_delete_prob(lp);
    return rc;
}

static uint64_t double_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* What settling component C depends on, mixed into one key: the audit's
 * settings, its cells (by grid cell) with their bounds after propagation,
 * and its equations term by term with their right-hand sides and
 * tolerances. Propagation is global (its passes end when no component
 * moves), so the bounds are part of the key, not a consequence of the
 * cells. */
static uint64_t block_key(const measure *m, const component *c)
{
    uint64_t h = memo_mix(0, c->nv);
    h = memo_mix(h, c->nr);
    h = memo_mix(h, double_bits(m->protection));
    h = memo_mix(h, (uint64_t)m->integer | (uint64_t)m->network << 1);
    h = memo_mix(h, m->lp_max_rows);
    for (size_t j = 0; j < c->nv; j++) {
        uint32_t v = c->vars[j];
        h = memo_mix(h, m->cell_of[v]);
        h = memo_mix(h, double_bits(m->lo[v]));
        h = memo_mix(h, double_bits(m->hi[v]));
        h = memo_mix(h, double_bits(m->upper[v]));
    }
    const sdc_equations *e = &m->eq;
    for (size_t q = 0; q < c->nr; q++) {
        uint32_t r = c->rows[q];
        h = memo_mix(h, e->start[r + 1] - e->start[r]);
        for (size_t t = e->start[r]; t < e->start[r + 1]; t++)
            h = memo_mix(h, (uint64_t)m->cell_of[e->var[t]] << 8 | (uint8_t)e->coef[t]);
        h = memo_mix(h, double_bits(e->rhs[r]));
        h = memo_mix(h, double_bits(e->tol[r]));
    }
    return h;
}

/* Blocks worth keeping for the next audit: those of SDC_AUDIT_MEMO_MIN
 * cells or more, and those too large for the exact solver (the entropy
 * points, seconds each on the 5-D bench table). */
static bool memo_worth(const measure *m, const component *c)
{
    return m->memo && c->nr > 0 && (c->nv >= SDC_AUDIT_MEMO_MIN || c->nr > m->lp_max_rows);
}

/* C's grid cells, ascending (variables are numbered in grid order), into
 * CELLS. */
static void block_cells(const measure *m, const component *c, uint32_t *cells)
{
    for (size_t j = 0; j < c->nv; j++)
        cells[j] = m->cell_of[c->vars[j]];
}

static component block_of(const measure *m, size_t x)
{
    return (component){.vars = m->bvars + m->vstart[x],
                       .nv = m->vstart[x + 1] - m->vstart[x],
                       .rows = m->brows + m->rstart[x],
                       .nr = m->rstart[x + 1] - m->rstart[x]};
}

/* Did block result R cut its measure's audit short: out of memory or out
 * of time (the blocks after it are then not settled)? A block with no
 * solution makes the audit inconsistent, and the other blocks are still
 * settled: each says what it would alone, whatever the threads did. */
static bool block_cuts(const block_res *r)
{
    return r->rc != 0 || r->timed_out;
}

/*
 * With a memo: every block keyed first, so that the last audit's blocks
 * not met again are dropped before any new one is kept; then each block
 * met again takes its cells' results from there, and the seconds settling
 * it took then are charged to m->charged. Returns 0, or -1 when out of
 * memory.
 */
static int take_blocks(measure *m)
{
    m->keys = malloc((m->nblocks + 1) * sizeof *m->keys);
    uint32_t *cells = malloc((m->nvars + 1) * sizeof *cells);
    if (!m->keys || !cells) {
        free(cells);
        return -1;
    }
    for (size_t x = 0; x < m->nblocks; x++) {
        component c = block_of(m, x);
        if (!memo_worth(m, &c))
            continue;
        block_cells(m, &c, cells);
        m->keys[x] = block_key(m, &c);
        memo_mark(m->memo, m->keys[x], cells, c.nv);
    }
    memo_sweep(m->memo);
    for (size_t x = 0; x < m->nblocks; x++) {
        component c = block_of(m, x);
        if (!memo_worth(m, &c))
            continue;
        block_cells(m, &c, cells);
        const memo_block *b = memo_take(m->memo, m->keys[x], cells, c.nv);
        if (!b)
            continue;
        for (size_t j = 0; j < c.nv; j++) {
            memo_cell r;
            memo_result(m->memo, b, j, &r);
            sdc_audit_cell *a = &m->cells[c.vars[j]];
            a->lo = r.lo;
            a->hi = r.hi;
            a->point = r.point;
            a->solved = r.solved;
            a->exact = r.exact;
        }
        m->res[x] = (block_res){.seconds = b->seconds,
                                .unproved = b->unproved,
                                .by_flow = b->by_flow,
                                .settled = true,
                                .from_memo = true};
        m->charged += b->seconds;
    }
    free(cells);
    return 0;
}

/* Splits the variables into blocks (connected components of the
 * equations), and with a memo takes the blocks met again (take_blocks).
 * Returns 0, or -1 when out of memory. */
static int split_blocks(measure *m)
{
    size_t nv = m->nvars, nr = m->eq.nrows;
    size_t *parent = malloc(nv * sizeof *parent);
    uint32_t *comp = malloc(nv * sizeof *comp);
    m->vstart = calloc(nv + 2, sizeof *m->vstart);
    m->rstart = calloc(nv + 2, sizeof *m->rstart);
    m->bvars = malloc(nv * sizeof *m->bvars);
    m->brows = malloc((nr + 1) * sizeof *m->brows);
    m->local = malloc(nv * sizeof *m->local);
    m->stop = SIZE_MAX;
    int rc = -1;
    if (!parent || !comp || !m->vstart || !m->rstart || !m->bvars || !m->brows || !m->local)
        goto out;
    for (size_t v = 0; v < nv; v++)
        parent[v] = v;
    for (size_t r = 0; r < nr; r++)
        for (size_t t = m->eq.start[r] + 1; t < m->eq.start[r + 1]; t++) {
            size_t a = uf_find(parent, m->eq.var[m->eq.start[r]]),
                   b = uf_find(parent, m->eq.var[t]);
            if (a != b)
                parent[a < b ? b : a] = a < b ? a : b;
        }
    size_t ncomp = 0, *vstart = m->vstart, *rstart = m->rstart;
    for (size_t v = 0; v < nv; v++) {
        size_t root = uf_find(parent, v);
        comp[v] = root == v ? (uint32_t)ncomp++ : comp[root]; /* roots come first: the least */
        vstart[comp[v] + 1]++;
    }
    for (size_t r = 0; r < nr; r++)
        rstart[comp[m->eq.var[m->eq.start[r]]] + 1]++;
    for (size_t x = 0; x < ncomp; x++) {
        vstart[x + 1] += vstart[x];
        rstart[x + 1] += rstart[x];
    }
    /* Fill (vstart/rstart advance while filling, then shift back). */
    for (size_t v = 0; v < nv; v++)
        m->bvars[vstart[comp[v]]++] = (uint32_t)v;
    for (size_t r = 0; r < nr; r++)
        m->brows[rstart[comp[m->eq.var[m->eq.start[r]]]]++] = (uint32_t)r;
    for (size_t x = ncomp; x > 0; x--) {
        vstart[x] = vstart[x - 1];
        rstart[x] = rstart[x - 1];
    }
    vstart[0] = rstart[0] = 0;
    m->nblocks = ncomp;
    m->res = calloc(ncomp + 1, sizeof *m->res);
    if (m->res)
        rc = m->memo ? take_blocks(m) : 0;
out:
    free(parent);
    free(comp);
    return rc;
}

/*
 * Settles block X of M on the calling thread, into its own cells and
 * m->res[X] only, so that blocks of one measure can be settled on several
 * threads at once: GSTATE is this thread's cube states of M's grid (NULL
 * without protection), every cell SDC_CUBE_NO but the block's own while
 * it is settled, and DEADLINE this thread's deadline. The cubes through a
 * block's cells thus take their corners from that block alone: a cube can
 * join two blocks only along a line whose total is no equation
 * (dropped), and a block's results must depend on nothing but the block
 * (its key, for the memo), not on which blocks were settled before it.
 */
static void settle_block(const measure *m, size_t x, unsigned char *gstate, double deadline)
{
    block_res *r = &m->res[x];
    component c = block_of(m, x);
    r->settled = true;
    if (c.nr == 0) {
        /* In no equation: its bounds are its interval. */
        m->cells[c.vars[0]].solved = m->cells[c.vars[0]].exact = true;
        return;
    }
    sdc_audit out = {0};
    measure b = *m;
    b.gstate = gstate;
    b.deadline = deadline;
    b.out = &out;
    b.unproved = 0;
    double t0 = now_seconds();
    r->rc = settle(&b, &c, m->local);
    double t1 = now_seconds();
    r->seconds = t1 - t0;
    r->late = t1 > deadline;
    r->unproved = b.unproved;
    r->by_flow = out.by_flow;
    r->timed_out = out.timed_out;
    r->inconsistent = out.inconsistent;
    for (size_t j = 0; gstate && j < c.nv; j++)
        gstate[m->cell_of[c.vars[j]]] = SDC_CUBE_NO;
}

/* Settles M's blocks one after the other on this thread, up to the first
 * that cuts the audit short, with DEADLINE. */
static void settle_blocks(measure *m, double deadline)
{
    if (m->cubes && !m->gstate)
        m->gstate = calloc(m->g.count + 1, sizeof *m->gstate);
    for (size_t x = 0; x < m->nblocks && x <= m->stop; x++) {
        if (!m->res[x].settled && m->cubes && !m->gstate)
            m->res[x] = (block_res){.rc = -1, .settled = true}; /* out of memory */
        else if (!m->res[x].settled)
            settle_block(m, x, m->gstate, deadline);
        if (block_cuts(&m->res[x]))
            m->stop = x;
    }
}

/* Keeps block C (key KEY, result R) in the memo for the next audit,
 * CELLS room for its grid cells. Returns 0, or -1 when out of memory. */
static int keep_block(measure *m, const component *c, uint64_t key, const block_res *r,
                      uint32_t *cells)
{
    memo_cell *res = malloc(c->nv * sizeof *res);
    if (!res)
        return -1;
    for (size_t j = 0; j < c->nv; j++) {
        const sdc_audit_cell *a = &m->cells[c->vars[j]];
        res[j] = (memo_cell){a->lo, a->hi, a->point, a->solved, a->exact};
    }
    block_cells(m, c, cells);
    memo_block nb = {
        .key = key, .nv = c->nv, .seconds = r->seconds, .unproved = 0, .by_flow = r->by_flow};
    int rc = memo_add(m->memo, &nb, cells, res);
    free(res);
    return rc;
}

/*
 * Accounts for M's settled blocks in their order: their counts and flags,
 * and with a memo the blocks to keep for the next audit (a block settled
 * now is kept when nothing cut it short, no time out, nothing
 * inconsistent, the deadline not reached, and it left no cell unproved:
 * such a block gets cubes in the next round, so it will not be met
 * again). Returns 0, or -1 when out of memory.
 */
static int finish_blocks(measure *m)
{
    uint32_t *cells = m->memo ? malloc((m->nvars + 1) * sizeof *cells) : NULL;
    int rc = m->memo && !cells ? -1 : 0;
    for (size_t x = 0; x < m->nblocks; x++) {
        const block_res *r = &m->res[x];
        component c = block_of(m, x);
        if (!r->settled)
            continue; /* after a block that ran out of time or memory */
        if (rc == 0)
            rc = r->rc;
        m->unproved += r->unproved;
        m->out->by_flow += r->by_flow;
        m->out->timed_out |= r->timed_out;
        m->out->inconsistent |= r->inconsistent;
        if (rc == 0 && m->memo && !r->from_memo && memo_worth(m, &c) && !block_cuts(r) &&
            !r->inconsistent && !r->late && r->unproved == 0)
            rc = keep_block(m, &c, m->keys[x], r, cells);
    }
    free(cells);
    return rc;
}

static void measure_free(measure *m)
{
    sdc_equations_free(&m->eq);
    if (!m->lent) {
        sdc_cellkey_free(&m->k);
        sdc_grid_free(&m->g);
    }
    free(m->var_of);
    free(m->cell_of);
    free(m->lo);
    free(m->hi);
    free(m->upper);
    free(m->x0);
    free(m->seen_lo);
    free(m->seen_hi);
    free(m->known);
    free(m->gvalue);
    free(m->gupper);
    free(m->gstate);
    free(m->eq_total);
    free(m->eq_dim);
    free(m->vstart);
    free(m->rstart);
    free(m->bvars);
    free(m->brows);
    free(m->local);
    free(m->keys);
    free(m->res);
}

/* A variable per suppressed cell of the grid: m->var_of (grid cell ->
 * variable, -1 for a published one) and m->cell_of. Returns 0, or -1
 * when out of memory. */
static int number_hidden_cells(measure *m)
{
    size_t n = m->g.count;
    m->var_of = malloc((n + 1) * sizeof *m->var_of);
    m->cell_of = malloc((n + 1) * sizeof *m->cell_of);
    m->gvalue = malloc((n + 1) * sizeof *m->gvalue);
    if (!m->var_of || !m->cell_of || !m->gvalue)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const sdc_grid_cell *gc = &m->g.cells[i];
        const sdc_cell *c = sdc_table_cell(m->t, gc->row, gc->col);
        m->var_of[i] = -1;
        m->gvalue[i] = c->kind == SDC_CELL_NUMBER ? c->number : NAN;
        if (c->kind == SDC_CELL_SUPPRESSED) {
            m->var_of[i] = (long)m->nvars;
            m->cell_of[m->nvars++] = (uint32_t)i;
        }
    }
    return 0;
}

/* The audit's cells for the variables, appended to m->out, each starting
 * as [0, its marker's bound] and unsolved, with the outer bounds, the
 * values seen (none yet) and, with KNOWN, which true values are known.
 * Returns 0, or -1 when out of memory. */
static int start_cells(measure *m, const bool *known)
{
    const sdc_table *t = m->t;
    size_t nv = m->nvars;
    sdc_audit_cell *cells = realloc(m->out->cells, (m->out->count + nv) * sizeof *cells);
    if (!cells)
        return -1;
    m->out->cells = cells;
    m->cells = m->out->cells + m->out->count;
    m->out->count += nv;
    m->lo = malloc(nv * sizeof *m->lo);
    m->hi = malloc(nv * sizeof *m->hi);
    m->upper = malloc(nv * sizeof *m->upper);
    m->x0 = calloc(nv, sizeof *m->x0);
    m->seen_lo = malloc(nv * sizeof *m->seen_lo);
    m->seen_hi = malloc(nv * sizeof *m->seen_hi);
    m->known = calloc(nv, sizeof *m->known);
    if (!m->lo || !m->hi || !m->upper || !m->x0 || !m->seen_lo || !m->seen_hi || !m->known)
        return -1;
    for (size_t v = 0; v < nv; v++) {
        const sdc_grid_cell *gc = &m->g.cells[m->cell_of[v]];
        const sdc_cell *c = sdc_table_cell(t, gc->row, gc->col);
        sdc_audit_cell *a = &m->cells[v];
        a->row = gc->row;
        a->col = gc->col;
        a->line = t->row_line[gc->row];
        a->lo = 0;
        a->hi = c->bound_hi >= 0 ? c->bound_hi : INFINITY;
        a->solved = a->exact = false;
        a->integer = m->integer;
        a->point = NAN;
        m->upper[v] = m->hi[v] = a->hi;
        m->lo[v] = 0;
        m->seen_lo[v] = INFINITY;
        m->seen_hi[v] = -INFINITY;
        m->known[v] = known && known[gc->row * t->ncols + gc->col];
    }
    if (!known) {
        free(m->known);
        m->known = NULL;
    }
    return 0;
}

/* True when a published value of M's grid, a hidden cell's marker bound
 * or a total's sum of published parts is past SDC_AUDIT_VALUE_MAX (or not
 * finite): the LP would be numerically meaningless. */
static bool beyond_exact(const measure *m)
{
    for (size_t i = 0; i < m->g.count; i++)
        if (m->var_of[i] < 0 && !isnan(m->gvalue[i]) &&
            !(fabs(m->gvalue[i]) <= SDC_AUDIT_VALUE_MAX))
            return true;
    for (size_t v = 0; v < m->nvars; v++)
        if (isfinite(m->upper[v]) && m->upper[v] > SDC_AUDIT_VALUE_MAX)
            return true;
    for (size_t r = 0; r < m->eq.nrows; r++)
        if (!(fabs(m->eq.rhs[r]) <= SDC_AUDIT_VALUE_MAX))
            return true;
    return false;
}

/* The point the cube search reads, per grid cell (verdicts only).
 * Returns 0, or -1 when out of memory. */
static int start_cube_search(measure *m)
{
    m->gupper = malloc(m->g.count * sizeof *m->gupper);
    m->cubes = true;
    return m->gupper ? 0 : -1;
}

/* What every measure's audit of one table shares (audit_run's arguments). */
typedef struct audit_args {
    const sdc_table *t;
    const sdc_grid_frame *f;
    const sdc_policy *p;
    double deadline, protection;
    const bool *known;
    const uint32_t *contradicted;
    size_t lp_max_rows;
    sdc_grid_share *share; /* the grid and index lent to each measure in turn, or NULL */
} audit_args;

/* Prepares the audit of one measure of A->t (MEASURE_COL, -1: a wide
 * crosstab's counts) into M, appending its cells to OUT: the cells and
 * their equations, propagation, the blocks (split_blocks), and with MEMO
 * (this measure's blocks of the last audit, or NULL) the blocks met again
 * taken from there. Returns 0, or -1 when out of memory; either way
 * finish_measure ends it. */
static int prepare_measure(const audit_args *a, long measure_col, unsigned slot, memo_store *memo,
                           sdc_audit *out, measure *pm)
{
    const sdc_table *t = a->t;
    *pm = (measure){.t = t,
                    .p = a->p,
                    .f = a->f,
                    .contradicted = a->contradicted,
                    .protection = a->protection,
                    .deadline = a->deadline,
                    .out = out,
                    .lp_max_rows = a->lp_max_rows,
                    .network = a->lp_max_rows == LP_MAX_ROWS,
                    .memo = memo,
                    .stop = SIZE_MAX};
    measure *m = pm;
    if (memo)
        memo_begin(memo);
    m->integer = measure_col < 0 || t->columns[measure_col].role == SDC_COL_COUNT;
    m->lent = a->share != NULL;
    if ((m->lent ? sdc_grid_share_grid_in(a->share, a->f, t, a->p, measure_col, slot, &m->g)
                 : sdc_grid_build_in(a->f, t, a->p, measure_col, &m->g)) < 0 ||
        number_hidden_cells(m) < 0)
        return -1;
    if (m->nvars == 0)
        return 0;
    if (start_cells(m, a->known) < 0)
        return -1;
    if ((m->lent ? sdc_grid_share_key(a->share, &m->k) : sdc_cellkey_build(&m->g, &m->k)) < 0 ||
        build_equations(m) < 0)
        return -1;
    if (m->eq.nrows == 0) {
        for (size_t v = 0; v < m->nvars; v++)
            m->cells[v].solved = m->cells[v].exact = true; /* the bounds are the answer */
        return 0;
    }
    if (beyond_exact(m)) {
        out->too_large = true; /* the cells stay unsolved, and no total is used */
        for (size_t r = 0; r < m->eq.nrows; r++)
            if (drop(m, m->eq_total[r], m->eq_dim[r], SDC_AUDIT_DROP_TOO_LARGE, -1) < 0)
                return -1;
        return 0;
    }
    out->equations += m->eq.nrows;
    if (sdc_bounds_propagate(&m->eq, m->lo, m->hi, PROPAGATE_PASSES) < 0) {
        out->inconsistent = true;
        return 0;
    }
    if (a->protection > 0 && start_cube_search(m) < 0)
        return -1;
    return split_blocks(m);
}

/* Ends the audit of measure M prepared with status RC (its blocks
 * settled): accounts for its blocks (finish_blocks), adding the cells
 * left neither proved nor solved to *UNPROVED and the seconds of the
 * blocks taken from the memo to *CHARGED, closes its memo and frees it.
 * Returns RC, or -1 when out of memory. */
static int finish_measure(measure *m, int rc, size_t *unproved, double *charged)
{
    if (rc == 0 && m->res)
        rc = finish_blocks(m);
    *unproved += m->unproved;
    *charged += m->charged;
    if (m->memo)
        memo_end(m->memo, rc == 0);
    measure_free(m);
    return rc;
}

/* One measure's audit: prepared (on a thread of its own when the table
 * hides enough cells to pay for it), its blocks settled on every thread,
 * then ended in measure order. */
typedef struct measure_job {
    const audit_args *args;
    long col;
    memo_store *memo; /* its blocks of the last audit, or NULL */
    sdc_audit out;    /* this measure's cells and dropped totals */
    measure m;
    int rc;
    double until;          /* the deadline of its blocks */
    size_t taken, settled; /* its blocks taken by the threads, and settled */
} measure_job;

/* The jobs, and the blocks of all of them, taken by the threads in turn
 * under LOCK. */
typedef struct measure_jobs {
    measure_job *job;
    size_t n;
    pthread_mutex_t lock;
    size_t next;        /* the next job to prepare */
    size_t bjob, bnext; /* the next block to settle: job, block */
    size_t bend;        /* the job past the last whose blocks are settled */
    /* Measures one after another (pipeline_worker): */
    pthread_cond_t changed; /* a measure prepared, a block settled */
    bool preparing;         /* a thread is preparing job NEXT - 1 */
    bool failed;            /* a preparation failed: no more are begun */
    size_t fin;             /* the next job to finish, in order */
    double charged;         /* the memos' seconds of the jobs prepared */
    unsigned threads;
    double deadline;      /* the audit's */
    size_t *unproved;     /* finish_measure's tallies */
    double *charged_done; /* ... */
} measure_jobs;

static void *prepare_worker(void *arg)
{
    measure_jobs *js = arg;
    for (;;) {
        pthread_mutex_lock(&js->lock);
        size_t q = js->next < js->n ? js->next++ : js->n;
        pthread_mutex_unlock(&js->lock);
        if (q == js->n)
            break;
        measure_job *j = &js->job[q];
        j->rc = prepare_measure(j->args, j->col, 0, j->memo, &j->out, &j->m);
    }
    return NULL;
}

/* The next block to settle into *Q (job) and *X (block), under JS's lock;
 * false when none is left. A job whose preparation failed has none, a
 * block taken from the memo is settled already, and the blocks after one
 * that cut its measure's audit short are not settled. */
static bool next_block(measure_jobs *js, size_t *q, size_t *x)
{
    while (js->bjob < js->bend) {
        const measure_job *j = &js->job[js->bjob];
        if (j->rc == 0 && js->bnext < j->m.nblocks && js->bnext <= j->m.stop) {
            size_t b = js->bnext++;
            if (j->m.res[b].settled)
                continue;
            *q = js->bjob;
            *x = b;
            return true;
        }
        js->bjob++;
        js->bnext = 0;
    }
    return false;
}

/* A block thread's end: its cube states (N jobs') and its GLPK
 * environment freed. */
static void worker_end(unsigned char **gstate, size_t n)
{
    for (size_t q = 0; gstate && q < n; q++)
        free(gstate[q]);
    free(gstate);
    glp_free_env(); /* this thread's GLPK environment */
}

/* Settles block X of job Q taken from JS, with this thread's cube states
 * GSTATE (per job, made here), and returns with JS's lock held, the
 * blocks after one that cut its measure short marked. */
static void settle_taken(measure_jobs *js, unsigned char **gstate, size_t q, size_t x)
{
    measure *m = &js->job[q].m;
    unsigned char *g = NULL;
    if (m->cubes && gstate && !gstate[q])
        gstate[q] = calloc(m->g.count + 1, 1);
    if (m->cubes && !(g = gstate ? gstate[q] : NULL))
        m->res[x] = (block_res){.rc = -1, .settled = true};
    else
        settle_block(m, x, g, js->job[q].until);
    pthread_mutex_lock(&js->lock);
    if (x < m->stop && block_cuts(&m->res[x]))
        m->stop = x;
}

static void *block_worker(void *arg)
{
    measure_jobs *js = arg;
    /* This thread's cube states, per job (settle_block). */
    unsigned char **gstate = calloc(js->n + 1, sizeof *gstate);
    for (;;) {
        size_t q, x;
        pthread_mutex_lock(&js->lock);
        bool more = next_block(js, &q, &x);
        pthread_mutex_unlock(&js->lock);
        if (!more)
            break;
        settle_taken(js, gstate, q, x);
        pthread_mutex_unlock(&js->lock);
    }
    worker_end(gstate, js->n);
    return NULL;
}

/* Under JS's lock: ends, in measure order, the jobs whose blocks are all
 * taken and settled (finish_measure); a job that fails stops the jobs
 * after it from being begun. */
static void finish_ready(measure_jobs *js)
{
    while (js->fin < js->bend && js->bjob > js->fin &&
           js->job[js->fin].settled == js->job[js->fin].taken) {
        measure_job *j = &js->job[js->fin++];
        j->rc = finish_measure(&j->m, j->rc, js->unproved, js->charged_done);
        if (j->rc < 0)
            js->failed = true;
        pthread_cond_broadcast(&js->changed);
    }
}

/*
 * The measures of a long table one after another, on every thread: each
 * thread settles the next block of the measures prepared; when none is
 * left to take and fewer than SDC_GRID_SHARE_SLOTS measures are alive
 * (prepared and not yet finished), it prepares the next measure, in the
 * share's other slot, while the other threads settle the last blocks of
 * the one before; else it waits for one of those. So a thread no longer
 * waits through a measure's last block (on the 5-D bench table a fifth of
 * each written audit, one count block of five alone on two threads), and
 * at most two measures' grids and equations are alive at once, not all
 * of them (ONE_MEASURE_AT_A_TIME_ROWS). Each measure is ended, its memory
 * freed, as soon as its blocks are settled, in measure order; its
 * blocks' deadline is the one the measures one after another had (the
 * memos' seconds of the measures before it and its own shared among the
 * threads), and a block's results depend on nothing but the block, so
 * the audit is the same as theirs.
 */
static void *pipeline_worker(void *arg)
{
    measure_jobs *js = arg;
    unsigned char **gstate = calloc(js->n + 1, sizeof *gstate);
    pthread_mutex_lock(&js->lock);
    for (;;) {
        size_t q, x;
        if (next_block(js, &q, &x)) {
            js->job[q].taken++;
            pthread_mutex_unlock(&js->lock);
            for (size_t e = 0; gstate && e < q; e++) {
                free(gstate[e]); /* jobs are taken in order: done with */
                gstate[e] = NULL;
            }
            settle_taken(js, gstate, q, x);
            js->job[q].settled++;
            finish_ready(js);
            continue;
        }
        finish_ready(js); /* a job with no block to settle */
        if (js->next < js->n && !js->failed && !js->preparing && js->next - js->fin < 2) {
            size_t p = js->next++;
            js->preparing = true;
            pthread_mutex_unlock(&js->lock);
            measure_job *j = &js->job[p];
            int rc = prepare_measure(j->args, j->col, (unsigned)(p % SDC_GRID_SHARE_SLOTS), j->memo,
                                     &j->out, &j->m);
            pthread_mutex_lock(&js->lock);
            j->rc = rc;
            js->charged += j->m.charged;
            j->until = js->deadline - js->charged / js->threads;
            if (rc < 0)
                js->failed = true;
            js->preparing = false;
            js->bend = p + 1;
            pthread_cond_broadcast(&js->changed);
            continue;
        }
        /* Nothing to take, and nothing more will be prepared: the blocks
         * still being settled are ended by the threads settling them. */
        if (!js->preparing && (js->next == js->n || js->failed))
            break;
        pthread_cond_wait(&js->changed, &js->lock);
    }
    pthread_cond_broadcast(&js->changed);
    pthread_mutex_unlock(&js->lock);
    worker_end(gstate, js->n);
    return NULL;
}

/* Threads for one table's audit: one per core, and only for a table
 * hiding at least PARALLEL_MIN_HIDDEN cells (a thread costs more than a
 * small table's audit). Measures share no variable or equation, and a
 * block's results depend on nothing but the block (settle_block), so the
 * audit is the one a single thread makes; OUT gets the cells in measure
 * order. */
#define PARALLEL_MIN_HIDDEN 2000
/* Tables of at least this many rows have their measures audited one after
 * another, each measure's blocks still on every thread: prepared at once,
 * two measures' grids, indexes and equations are alive together. On the
 * 5-D bench table (991,116 rows, a count and a sum), `check` of the table
 * `protect --suppress quick` writes peaked at 967 MiB with both prepared
 * at once and 710 MiB one after the other, in 7.4 to 8.5 s against 7.6
 * to 9.2 s; `protect`'s quick mode at 1,012 MiB against 778 MiB (its peak
 * reading the records) in up to 2.5 s more, its default mode at 983 to 989
 * MiB against 779 MiB but 7 to 8 s slower (55 to 59 s against 62 to 67 s:
 * the second measure's preparation and its small blocks no longer fill
 * the time the first measure's large blocks leave a thread idle), all
 * writing the same bytes. */
#define ONE_MEASURE_AT_A_TIME_ROWS 200000

static unsigned audit_threads(const sdc_table *t)
{
    size_t hidden = 0;
    for (size_t i = 0; i < t->nrows * t->ncols && hidden < PARALLEL_MIN_HIDDEN; i++)
        hidden += t->cells[i].kind == SDC_CELL_SUPPRESSED;
    return hidden < PARALLEL_MIN_HIDDEN ? 1 : sdc_threads_cores();
}

/* Appends audit FROM's cells and dropped totals to OUT (FROM is emptied).
 * Returns 0, or -1 when out of memory (FROM kept). */
static int merge_audit(sdc_audit *out, sdc_audit *from)
{
    if (from->count) {
        sdc_audit_cell *c = realloc(out->cells, (out->count + from->count) * sizeof *c);
        if (!c)
            return -1;
        memcpy(c + out->count, from->cells, from->count * sizeof *c);
        out->cells = c;
        out->count += from->count;
    }
    if (from->dropped) {
        sdc_audit_dropped *d =
            realloc(out->dropped_totals, (out->dropped + from->dropped) * sizeof *d);
        if (!d)
            return -1;
        memcpy(d + out->dropped, from->dropped_totals, from->dropped * sizeof *d);
        out->dropped_totals = d;
        out->dropped += from->dropped;
    }
    out->equations += from->equations;
    out->by_flow += from->by_flow;
    out->inconsistent |= from->inconsistent;
    out->timed_out |= from->timed_out;
    out->too_large |= from->too_large;
    sdc_audit_free(from);
    return 0;
}

/* Every measure of T audited into OUT; CONTRADICTED (or NULL) marks the
 * totals dropped as contradicting their own line (sdc_audit_table_without).
 * Measures audited one at a time borrow one grid and index: SHARE's, or
 * this audit's own. */
static int audit_run(const sdc_table *t, const sdc_policy *policy, double time_limit,
                     double protection, const bool *known, const uint32_t *contradicted,
                     size_t lp_max_rows, sdc_audit_memo *memo, sdc_grid_share *share,
                     sdc_audit *out)
{
    double deadline = now_seconds() + (time_limit > 0 ? time_limit : 30);
    size_t unproved = 0, n = 0;
    int rc = 0;
    long m;
    sdc_grid_frame f;
    sdc_grid_frame_init(t, &f);
    for (size_t at = 0; sdc_grid_next_measure(t, &at, &m);)
        n++;
    measure_jobs js = {.job = calloc(n + 1, sizeof *js.job), .n = n};
    if (!js.job)
        return -1;
    audit_args args = {.t = t,
                       .f = &f,
                       .p = policy,
                       .deadline = deadline,
                       .protection = protection,
                       .known = known,
                       .contradicted = contradicted,
                       .lp_max_rows = lp_max_rows};
    n = 0;
    for (size_t at = 0; sdc_grid_next_measure(t, &at, &m);) {
        js.job[n] = (measure_job){.args = &args, .col = m};
        if (memo && !(js.job[n].memo = memo_store_of(memo, m))) {
            free(js.job);
            return -1;
        }
        n++;
    }
    unsigned threads = audit_threads(t);
    double charged = 0; /* seconds of the blocks taken from memos */
    sdc_grid_share own = {0};
    bool locked = threads > 1 && pthread_mutex_init(&js.lock, NULL) == 0;
    if (!locked)
        threads = 1;
    if (threads > 1 && t->nrows < ONE_MEASURE_AT_A_TIME_ROWS) {
        /* The measures prepared at once, then their blocks settled on
         * every thread, with the memos' seconds shared among them. */
        sdc_run_threads(threads < n ? threads : (unsigned)n, prepare_worker, &js);
        double taken = 0;
        for (size_t q = 0; q < n; q++)
            taken += js.job[q].m.charged;
        for (size_t q = 0; q < n; q++)
            js.job[q].until = deadline - taken / threads;
        js.bend = n;
        sdc_run_threads(threads, block_worker, &js);
        for (size_t q = 0; q < n; q++)
            js.job[q].rc = finish_measure(&js.job[q].m, js.job[q].rc, &unproved, &charged);
    } else {
        /* A measure at a time, its blocks settled (on every thread), then
         * ended, its memory freed, before the next is prepared; stopping
         * at the first that runs out of memory. */
        args.share = share ? share : &own;
        if (threads > 1 && pthread_cond_init(&js.changed, NULL) == 0) {
            js.threads = threads;
            js.deadline = deadline;
            js.unproved = &unproved;
            js.charged_done = &charged;
            sdc_run_threads(threads, pipeline_worker, &js);
            pthread_cond_destroy(&js.changed);
        } else {
            for (size_t q = 0; q < n && rc == 0; q++) {
                measure_job *j = &js.job[q];
                j->rc = prepare_measure(j->args, j->col, 0, j->memo, &j->out, &j->m);
                if (j->rc == 0 && j->m.res)
                    settle_blocks(&j->m, deadline - (charged + j->m.charged) / threads);
                rc = j->rc = finish_measure(&j->m, j->rc, &unproved, &charged);
            }
        }
    }
    if (locked)
        pthread_mutex_destroy(&js.lock);
    sdc_grid_share_free(&own);
    charged /= threads;
    for (size_t q = 0; q < n; q++) {
        if (rc == 0)
            rc = js.job[q].rc;
        if (rc == 0 && merge_audit(out, &js.job[q].out) < 0)
            rc = -1;
        sdc_audit_free(&js.job[q].out);
    }
    free(js.job);
    out->unproved = unproved;
    out->out_of_time = out->timed_out || now_seconds() + charged > deadline;
    if (unproved)
        out->timed_out = true; /* reported unfinished, never passed */
    sdc_audit_drops_sort(out);
    /* GLPK keeps an environment per thread; no problem object outlives
     * this call, so free it here rather than leak it when a worker thread
     * ends. */
    glp_free_env();
    return rc;
}

int sdc_audit_table_known(const sdc_table *t, const sdc_policy *policy, double time_limit,
                          double protection, const bool *known, sdc_audit *out)
{
    return audit_run(t, policy, time_limit, protection, known, NULL, LP_MAX_ROWS, NULL, NULL, out);
}

int sdc_audit_table_lp_limit(const sdc_table *t, const sdc_policy *policy, double time_limit,
                             double protection, const bool *known, size_t lp_max_rows,
                             sdc_audit *out)
{
    return audit_run(t, policy, time_limit, protection, known, NULL, lp_max_rows, NULL, NULL, out);
}

int sdc_audit_table_memo(const sdc_table *t, const sdc_policy *policy, double time_limit,
                         double protection, size_t lp_max_rows, sdc_audit_memo *memo,
                         sdc_audit *out)
{
    return audit_run(t, policy, time_limit, protection, NULL, NULL, lp_max_rows, memo, NULL, out);
}

int sdc_audit_table_shared(const sdc_table *t, const sdc_policy *policy, double time_limit,
                           double protection, const bool *known, size_t lp_max_rows,
                           sdc_audit_memo *memo, sdc_grid_share *share, sdc_audit *out)
{
    return audit_run(t, policy, time_limit, protection, known, NULL, lp_max_rows, memo, share, out);
}

int sdc_audit_table_without(const sdc_table *t, const sdc_policy *policy, double time_limit,
                            double protection, const uint32_t *contradicted, sdc_audit *out)
{
    return audit_run(t, policy, time_limit, protection, NULL, contradicted, LP_MAX_ROWS, NULL, NULL,
                     out);
}

int sdc_audit_table(const sdc_table *t, const sdc_policy *policy, double time_limit,
                    double protection, sdc_audit *out)
{
    return sdc_audit_table_known(t, policy, time_limit, protection, NULL, out);
}

void sdc_audit_free(sdc_audit *a)
{
    free(a->cells);
    free(a->dropped_totals);
    memset(a, 0, sizeof *a);
}

/* Seconds one table's audit may take before it is reported unfinished:
 * 30, and for large tables a millisecond more per suppressed cell (a
 * component of tens of thousands of hidden cells takes seconds per
 * feasible point), up to 6 minutes, so that `--fix` on a table of a
 * million cells, which audits its copy once, stays within 10. */
#define AUDIT_TIME_LIMIT 30.0
#define AUDIT_TIME_PER_HIDDEN 1e-3
#define AUDIT_TIME_MAX 360.0

double sdc_audit_time_limit(const sdc_table *t)
{
    size_t hidden = 0;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        hidden += t->cells[i].kind == SDC_CELL_SUPPRESSED;
    double limit = AUDIT_TIME_LIMIT + AUDIT_TIME_PER_HIDDEN * (double)hidden;
    return limit < AUDIT_TIME_MAX ? limit : AUDIT_TIME_MAX;
}
