/*
 * audit.c - feasibility intervals of suppressed cells by linear programming.
 *
 * One LP per measure of the table: a variable per suppressed cell, bounded
 * below by 0 (non-negativity) and above by its marker ("<10": 9); an
 * equation per line that publishes its total (sum of parts = total, the
 * published cells moved to the right-hand side). Each variable is then
 * minimised and maximised. The problem is built once and re-solved with a
 * new objective each time, so GLPK's simplex starts from the last basis
 * (warm start), which is what makes hundreds of solves cheap.
 * Interval arithmetic or rank arguments alone miss cells pinned by
 * non-negativity; the LP does not.
 *
 * Every solution is a feasible point for all the cells at once, so the
 * values each cell has been seen to take are kept: when only a verdict is
 * wanted, a cell seen to vary by the protection width needs no solve of its
 * own (the audit literature's shortcut; most cells of a large table are
 * settled this way).
 */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grid.h"
#include "sdccheck/audit.h"

/* An equation being built from one line of the table. */
typedef struct lp_rows {
    int *ia, *ja;          /* 1-based (GLPK) */
    double *ar;
    size_t ne, cap;
    double *rhs, *tol;
    size_t nrows, rcap;
} lp_rows;

typedef struct build_ctx {
    const sdc_table *t;
    const sdc_policy *policy;
    const long *var_of;    /* grid cell -> variable (1-based), 0: a constant */
    lp_rows *rows;
    size_t dropped;
    int oom;
} build_ctx;

static int push_coef(lp_rows *r, int row, int col, double v)
{
    if (r->ne + 1 >= r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        int *ia = realloc(r->ia, cap * sizeof *ia);
        if (ia)
            r->ia = ia;
        int *ja = realloc(r->ja, cap * sizeof *ja);
        if (ja)
            r->ja = ja;
        double *ar = realloc(r->ar, cap * sizeof *ar);
        if (ar)
            r->ar = ar;
        if (!ia || !ja || !ar)
            return -1;
        r->cap = cap;
    }
    r->ne++;
    r->ia[r->ne] = row;
    r->ja[r->ne] = col;
    r->ar[r->ne] = v;
    return 0;
}

static void on_line(void *vctx, const sdc_grid *g, const size_t *idx, size_t n, size_t d)
{
    build_ctx *b = vctx;
    const sdc_grid_cell *total = NULL;
    size_t vars = 0;
    for (size_t i = 0; i < n; i++) {
        const sdc_grid_cell *gc = &g->cells[idx[i]];
        if (gc->coord_total[d] && !total)
            total = gc;
        vars += b->var_of[idx[i]] > 0;
    }
    if (!total || vars == 0)
        return;
    /* Every cell of the equation must be a number or a suppressed cell. */
    for (size_t i = 0; i < n; i++) {
        const sdc_grid_cell *gc = &g->cells[idx[i]];
        if (gc->coord_total[d] && gc != total)
            continue;
        const sdc_cell *c = sdc_table_cell(b->t, gc->row, gc->col);
        if (c->kind != SDC_CELL_NUMBER && b->var_of[idx[i]] == 0) {
            b->dropped++;
            return;
        }
    }
    lp_rows *r = b->rows;
    if (r->nrows == r->rcap) {
        size_t cap = r->rcap ? r->rcap * 2 : 64;
        double *rhs = realloc(r->rhs, (cap + 1) * sizeof *rhs);
        if (rhs)
            r->rhs = rhs;
        double *tol = realloc(r->tol, (cap + 1) * sizeof *tol);
        if (tol)
            r->tol = tol;
        if (!rhs || !tol) {
            b->oom = 1;
            return;
        }
        r->rcap = cap;
    }
    int row = (int)++r->nrows;
    double rhs = 0;
    size_t terms = 0;
    for (size_t i = 0; i < n; i++) {
        const sdc_grid_cell *gc = &g->cells[idx[i]];
        bool is_total = gc == total;
        if (gc->coord_total[d] && !is_total)
            continue;
        double sign = is_total ? -1.0 : 1.0;
        long v = b->var_of[idx[i]];
        terms++;
        if (v > 0) {
            if (push_coef(r, row, (int)v, sign) < 0) {
                b->oom = 1;
                return;
            }
        } else {
            rhs -= sign * sdc_table_cell(b->t, gc->row, gc->col)->number;
        }
    }
    r->rhs[row] = rhs;
    /* Rounded tables: each published cell may be off by half the base. */
    r->tol[row] = b->policy->rounding_base > 0
                      ? 0.5 * (double)b->policy->rounding_base * (double)terms
                      : 0;
}

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

/* Widens the values seen for every variable with the current solution. */
static void observe(glp_prob *lp, sdc_audit_cell *cells, long nvars)
{
    for (long v = 1; v <= nvars; v++) {
        double x = glp_get_col_prim(lp, (int)v);
        sdc_audit_cell *c = &cells[v - 1];
        if (x < c->lo)
            c->lo = x;
        if (x > c->hi)
            c->hi = x;
    }
}

/* Protected already, by the values seen: counts hold hi - lo + 1 values. */
static bool seen_wide(const sdc_audit_cell *c, double protection)
{
    double lo = c->lo, hi = c->hi;
    if (c->integer)
        return floor(hi + 1e-7) - ceil(lo - 1e-7) + 1 >= protection;
    return hi - lo >= protection;
}

static int audit_measure(const sdc_table *t, const sdc_policy *p, long measure, double deadline,
                         double protection, sdc_audit *out)
{
    sdc_grid g = {0};
    if (sdc_grid_build(t, p, measure, &g) < 0)
        return -1;
    long *var_of = calloc(g.count + 1, sizeof *var_of);
    size_t *cell_of = calloc(g.count + 1, sizeof *cell_of);
    if (!var_of || !cell_of) {
        free(var_of);
        free(cell_of);
        sdc_grid_free(&g);
        return -1;
    }
    long nvars = 0;
    for (size_t i = 0; i < g.count; i++)
        if (sdc_table_cell(t, g.cells[i].row, g.cells[i].col)->kind == SDC_CELL_SUPPRESSED) {
            var_of[i] = ++nvars;
            cell_of[nvars] = i;
        }
    int rc = 0;
    if (nvars == 0)
        goto done;

    lp_rows rows = {0};
    build_ctx b = {.t = t, .policy = p, .var_of = var_of, .rows = &rows};
    if (sdc_grid_lines(&g, on_line, &b) < 0 || b.oom) {
        rc = -1;
        goto free_rows;
    }
    out->equations += rows.nrows;
    out->dropped += b.dropped;

    size_t base = out->count;
    sdc_audit_cell *cells = realloc(out->cells, (out->count + (size_t)nvars) * sizeof *cells);
    if (!cells) {
        rc = -1;
        goto free_rows;
    }
    out->cells = cells;
    bool integer = measure < 0 || t->columns[measure].role == SDC_COL_COUNT;
    for (long v = 1; v <= nvars; v++) {
        const sdc_grid_cell *gc = &g.cells[cell_of[v]];
        const sdc_cell *c = sdc_table_cell(t, gc->row, gc->col);
        sdc_audit_cell *a = &out->cells[out->count++];
        a->row = gc->row;
        a->col = gc->col;
        a->line = t->row_line[gc->row];
        a->lo = 0;
        a->hi = c->bound_hi >= 0 ? c->bound_hi : INFINITY;
        a->solved = rows.nrows == 0; /* no equation: the bounds are the answer */
        a->exact = a->solved;
        a->integer = integer;
    }
    if (rows.nrows == 0)
        goto free_rows;

    glp_prob *lp = glp_create_prob();
    glp_add_rows(lp, (int)rows.nrows);
    for (size_t r = 1; r <= rows.nrows; r++) {
        if (rows.tol[r] > 0)
            glp_set_row_bnds(lp, (int)r, GLP_DB, rows.rhs[r] - rows.tol[r], rows.rhs[r] + rows.tol[r]);
        else
            glp_set_row_bnds(lp, (int)r, GLP_FX, rows.rhs[r], rows.rhs[r]);
    }
    glp_add_cols(lp, (int)nvars);
    for (long v = 1; v <= nvars; v++) {
        const sdc_audit_cell *a = &out->cells[base + (size_t)v - 1];
        if (isfinite(a->hi))
            glp_set_col_bnds(lp, (int)v, a->hi > 0 ? GLP_DB : GLP_FX, 0.0, a->hi);
        else
            glp_set_col_bnds(lp, (int)v, GLP_LO, 0.0, 0.0);
    }
    glp_load_matrix(lp, (int)rows.ne, rows.ia, rows.ja, rows.ar);

    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF; /* keep the basis between solves */

    /* Feasible at all? Inconsistent totals make every interval empty. */
    glp_set_obj_dir(lp, GLP_MIN);
    double left = deadline - now_seconds();
    parm.tm_lim = left > 0 ? (int)(left * 1000) : 1;
    int st = glp_simplex(lp, &parm);
    if (st == GLP_ETMLIM || left <= 0) {
        out->timed_out = true;
    } else if (st != 0 || glp_get_status(lp) == GLP_NOFEAS) {
        out->inconsistent = true;
    } else {
        /* Values seen so far: start from the first feasible point. */
        sdc_audit_cell *seen = calloc((size_t)nvars, sizeof *seen);
        if (protection > 0 && seen) {
            for (long v = 1; v <= nvars; v++) {
                seen[v - 1].lo = INFINITY;
                seen[v - 1].hi = -INFINITY;
                seen[v - 1].integer = out->cells[base + (size_t)v - 1].integer;
            }
            observe(lp, seen, nvars);
        }
        for (long v = 1; v <= nvars && !out->timed_out; v++) {
            sdc_audit_cell *a = &out->cells[base + (size_t)v - 1];
            if (protection > 0 && seen && seen_wide(&seen[v - 1], protection)) {
                a->lo = tidy(seen[v - 1].lo);
                a->hi = tidy(seen[v - 1].hi);
                a->solved = true;
                a->exact = false;
                continue;
            }
            glp_set_obj_coef(lp, (int)v, 1.0);
            double ends[2];
            bool ok = true;
            for (int dir = 0; dir < 2 && ok; dir++) {
                glp_set_obj_dir(lp, dir == 0 ? GLP_MIN : GLP_MAX);
                left = deadline - now_seconds();
                if (left <= 0) {
                    out->timed_out = true;
                    ok = false;
                    break;
                }
                parm.tm_lim = (int)(left * 1000) + 1;
                st = glp_simplex(lp, &parm);
                int status = glp_get_status(lp);
                if (st == GLP_ETMLIM) {
                    out->timed_out = true;
                    ok = false;
                } else if (st == 0 && status == GLP_OPT) {
                    ends[dir] = tidy(glp_get_obj_val(lp));
                    if (protection > 0 && seen)
                        observe(lp, seen, nvars);
                } else if (st == 0 && status == GLP_UNBND && dir == 1) {
                    ends[dir] = INFINITY;
                } else {
                    ok = false;
                }
            }
            glp_set_obj_coef(lp, (int)v, 0.0);
            if (ok) {
                a->lo = ends[0];
                a->hi = ends[1];
                a->solved = true;
                a->exact = true;
            }
        }
        free(seen);
    }
    glp_delete_prob(lp);

free_rows:
    free(rows.ia);
    free(rows.ja);
    free(rows.ar);
    free(rows.rhs);
    free(rows.tol);
done:
    free(var_of);
    free(cell_of);
    sdc_grid_free(&g);
    return rc;
}

int sdc_audit_table(const sdc_table *t, const sdc_policy *policy, double time_limit,
                    double protection, sdc_audit *out)
{
    double deadline = now_seconds() + (time_limit > 0 ? time_limit : 30);
    int rc = 0;
    if (t->shape == SDC_SHAPE_WIDE) {
        rc = audit_measure(t, policy, -1, deadline, protection, out);
    } else if (t->shape == SDC_SHAPE_LONG) {
        for (size_t c = 0; c < t->ncols && rc == 0; c++) {
            sdc_column_role role = t->columns[c].role;
            if (role == SDC_COL_COUNT || role == SDC_COL_MAGNITUDE)
                rc = audit_measure(t, policy, (long)c, deadline, protection, out);
        }
    }
    /* GLPK keeps an environment per thread; no problem object outlives
     * this call, so free it here rather than leak it when a worker thread
     * ends. */
    glp_free_env();
    return rc;
}

void sdc_audit_free(sdc_audit *a)
{
    free(a->cells);
    memset(a, 0, sizeof *a);
}
