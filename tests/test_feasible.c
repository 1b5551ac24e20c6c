/* test_feasible.c - the entropy point of a component (bounds.c): a
 * strictly positive point that satisfies the equations, found without any
 * linear program, and what it must never claim. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audit/bounds.h"

/* An n x n x n table of hidden cells with every 2-D margin published:
 * variable (i, j, k) = (i * n + j) * n + k, one equation per line. The
 * true values are 1 + (i + 2j + 3k) % 7. */
static void cube_table(size_t n, sdc_equations *e, double *truth)
{
    for (size_t v = 0; v < n * n * n; v++)
        truth[v] = 1 + (double)((v / (n * n) + 2 * (v / n % n) + 3 * (v % n)) % 7);
    for (int d = 0; d < 3; d++)
        for (size_t a = 0; a < n; a++)
            for (size_t b = 0; b < n; b++) {
                cr_assert_eq(sdc_equations_row(e), 0);
                double sum = 0;
                for (size_t t = 0; t < n; t++) {
                    size_t ijk[3];
                    ijk[d] = t;
                    ijk[(d + 1) % 3] = a;
                    ijk[(d + 2) % 3] = b;
                    size_t v = (ijk[0] * n + ijk[1]) * n + ijk[2];
                    cr_assert_eq(sdc_equations_term(e, (uint32_t)v, 1), 0);
                    sum += truth[v];
                }
                e->rhs[e->nrows - 1] = sum;
            }
    e->nvars = n * n * n;
}

static double worst(const sdc_equations *e, const double *x)
{
    double w = 0;
    for (size_t r = 0; r < e->nrows; r++) {
        double s = 0, scale = fabs(e->rhs[r]);
        for (size_t t = e->start[r]; t < e->start[r + 1]; t++) {
            s += e->coef[t] * x[e->var[t]];
            scale += fabs(x[e->var[t]]);
        }
        w = fmax(w, fabs(s - e->rhs[r]) / (1 + scale));
    }
    return w;
}

static void run(size_t n, const double *weight, double *x, sdc_equations *e, double *truth)
{
    cube_table(n, e, truth);
    size_t nv = n * n * n;
    uint32_t *rows = malloc(e->nrows * sizeof *rows), *vars = malloc(nv * sizeof *vars);
    double *lo = calloc(nv, sizeof *lo), *hi = malloc(nv * sizeof *hi);
    cr_assert(rows && vars && lo && hi);
    for (size_t r = 0; r < e->nrows; r++)
        rows[r] = (uint32_t)r;
    for (size_t v = 0; v < nv; v++) {
        vars[v] = (uint32_t)v;
        hi[v] = INFINITY;
    }
    cr_assert_eq(sdc_bounds_interior(e, rows, e->nrows, vars, nv, lo, hi, weight, 20000, 1e30, x),
                 0);
    free(rows);
    free(vars);
    free(lo);
    free(hi);
}

Test(feasible, the_entropy_point_satisfies_every_equation_and_is_positive)
{
    size_t n = 12, nv = n * n * n;
    sdc_equations e = {0};
    double *x = malloc(nv * sizeof *x), *truth = malloc(nv * sizeof *truth);
    run(n, NULL, x, &e, truth);
    cr_assert(worst(&e, x) <= SDC_INTERIOR_RESIDUAL, "residual %g", worst(&e, x));
    for (size_t v = 0; v < nv; v++)
        cr_assert(x[v] > 0, "cell %zu is %g", v, x[v]);
    sdc_equations_free(&e);
    free(x);
    free(truth);
}

Test(feasible, a_pushed_point_moves_its_cell_and_still_satisfies_the_equations)
{
    size_t n = 6, nv = n * n * n;
    sdc_equations e = {0};
    double *x = malloc(nv * sizeof *x), *y = malloc(nv * sizeof *y);
    double *truth = malloc(nv * sizeof *truth), *w = malloc(nv * sizeof *w);
    run(n, NULL, x, &e, truth);
    sdc_equations_free(&e);
    for (size_t v = 0; v < nv; v++)
        w[v] = v == 0 ? 100 : 1;
    sdc_equations f = {0};
    run(n, w, y, &f, truth);
    cr_assert(worst(&f, y) <= SDC_INTERIOR_RESIDUAL);
    cr_assert(y[0] > x[0] + 1e-6, "pushed up: %g, before %g", y[0], x[0]);
    sdc_equations_free(&f);
    free(x);
    free(y);
    free(truth);
    free(w);
}

Test(feasible, a_row_that_pins_its_cells_to_zero_gives_no_point)
{
    /* x0 + x1 = 0 with x2 - x0 = 5: no strictly positive point; the method
     * must say so rather than return a point that breaks the first row. */
    sdc_equations e = {0};
    cr_assert_eq(sdc_equations_row(&e), 0);
    cr_assert_eq(sdc_equations_term(&e, 0, 1), 0);
    cr_assert_eq(sdc_equations_term(&e, 1, 1), 0);
    e.rhs[0] = 0;
    cr_assert_eq(sdc_equations_row(&e), 0);
    cr_assert_eq(sdc_equations_term(&e, 2, 1), 0);
    cr_assert_eq(sdc_equations_term(&e, 0, -1), 0);
    e.rhs[1] = 5;
    e.nvars = 3;
    uint32_t rows[2] = {0, 1}, vars[3] = {0, 1, 2};
    double lo[3] = {0, 0, 0}, hi[3] = {INFINITY, INFINITY, INFINITY}, x[3];
    cr_assert_neq(sdc_bounds_interior(&e, rows, 2, vars, 3, lo, hi, NULL, 100, 1e30, x), 0);
    sdc_equations_free(&e);
}

/* An R x C table of hidden cells with its row and column sums published
 * (no total hidden): variable (i, j) = i * C + j. Row sums 1 + 3i + ...,
 * column sums chosen to add to the same grand total. */
static void margins_table(size_t nr, size_t nc, sdc_equations *e, double *rsum, double *csum)
{
    double n = 0;
    for (size_t i = 0; i < nr; i++)
        n += rsum[i] = 10 + (double)(7 * i % 11);
    double c = 0;
    for (size_t j = 0; j + 1 < nc; j++)
        c += csum[j] = n / (double)nc * (0.5 + (double)(j % 3) * 0.4);
    csum[nc - 1] = n - c;
    for (size_t i = 0; i < nr; i++) {
        cr_assert_eq(sdc_equations_row(e), 0);
        for (size_t j = 0; j < nc; j++)
            cr_assert_eq(sdc_equations_term(e, (uint32_t)(i * nc + j), 1), 0);
        e->rhs[e->nrows - 1] = rsum[i];
    }
    for (size_t j = 0; j < nc; j++) {
        cr_assert_eq(sdc_equations_row(e), 0);
        for (size_t i = 0; i < nr; i++)
            cr_assert_eq(sdc_equations_term(e, (uint32_t)(i * nc + j), 1), 0);
        e->rhs[e->nrows - 1] = csum[j];
    }
    e->nvars = nr * nc;
}

/*
 * The point is the entropy projection of its start, however the steps
 * that reach it are taken (bounds.c over-relaxes them): on a table of
 * parts with row and column sums, the projection of a start W is the
 * one biproportional fit of W to the sums (Bacharach, "Biproportional
 * Matrices and Input-Output Change", 1970): every cross ratio x_ij x_kl /
 * (x_il x_kj) is W's, and with W uniform x_ij = r_i c_j / N, the table
 * of independence.
 */
Test(feasible, the_point_is_the_biproportional_fit_of_its_start)
{
    enum { R = 6, C = 9 };
    double rsum[R], csum[C], x[R * C], w[R * C], lo[R * C] = {0}, hi[R * C];
    uint32_t rows[R + C], vars[R * C];
    for (size_t r = 0; r < R + C; r++)
        rows[r] = (uint32_t)r;
    for (size_t v = 0; v < R * C; v++) {
        vars[v] = (uint32_t)v;
        hi[v] = INFINITY;
        w[v] = 1 + (double)((v * 37 + 11) % 17) / 4;
    }
    sdc_equations e = {0};
    margins_table(R, C, &e, rsum, csum);
    double n = 0;
    for (size_t i = 0; i < R; i++)
        n += rsum[i];
    /* a uniform start (lo + 1): the table of independence */
    cr_assert_eq(sdc_bounds_interior(&e, rows, R + C, vars, R * C, lo, hi, NULL, 20000, 1e30, x),
                 0);
    for (size_t i = 0; i < R; i++)
        for (size_t j = 0; j < C; j++) {
            double want = rsum[i] * csum[j] / n;
            cr_assert(fabs(x[i * C + j] - want) <= 1e-7 * want, "(%zu, %zu): %.12g, want %.12g", i,
                      j, x[i * C + j], want);
        }
    /* a start W: its cross ratios kept */
    cr_assert_eq(sdc_bounds_interior(&e, rows, R + C, vars, R * C, lo, hi, w, 20000, 1e30, x), 0);
    cr_assert(worst(&e, x) <= SDC_INTERIOR_RESIDUAL, "residual %g", worst(&e, x));
    for (size_t i = 1; i < R; i++)
        for (size_t j = 1; j < C; j++) {
            double got = x[i * C + j] * x[0] / (x[j] * x[i * C]);
            double want = w[i * C + j] * w[0] / (w[j] * w[i * C]);
            cr_assert(fabs(got - want) <= 1e-7 * want, "cross ratio (%zu, %zu): %.12g, want %.12g",
                      i, j, got, want);
        }
    sdc_equations_free(&e);
}

/* The method as bounds.c first wrote it, row after row over the
 * measure's arrays, a flag read per term: the definition the compact
 * sweeps must reproduce to the bit (the same sums in the same order). */
static bool plain_project(const sdc_equations *e, size_t r, const bool *fixed, bool relax,
                          double *x)
{
    double p = 0, q = 0, rest = e->rhs[r];
    for (size_t t = e->start[r]; t < e->start[r + 1]; t++) {
        uint32_t v = e->var[t];
        if (fixed[v])
            rest -= e->coef[t] * x[v];
        else if (e->coef[t] > 0)
            p += x[v];
        else
            q += x[v];
    }
    if (p == 0 && q == 0)
        return true;
    double z;
    if (p == 0)
        z = rest < 0 ? q / -rest : 0;
    else if (q == 0)
        z = rest > 0 ? rest / p : 0;
    else if (rest >= 0)
        z = (rest + sqrt(rest * rest + 4 * p * q)) / (2 * p);
    else
        z = 2 * q / (sqrt(rest * rest + 4 * p * q) - rest);
    if (!(z > 0) || !isfinite(z))
        return false;
    if (relax)
        z *= sqrt(z);
    for (size_t t = e->start[r]; t < e->start[r + 1]; t++) {
        uint32_t v = e->var[t];
        if (!fixed[v])
            x[v] = e->coef[t] > 0 ? x[v] * z : x[v] / z;
    }
    return true;
}

static double plain_worst(const sdc_equations *e, const uint32_t *rows, size_t m, const double *x)
{
    double w = 0;
    for (size_t i = 0; i < m; i++) {
        size_t r = rows[i];
        double s = 0, scale = fabs(e->rhs[r]);
        for (size_t t = e->start[r]; t < e->start[r + 1]; t++) {
            s += e->coef[t] * x[e->var[t]];
            scale += fabs(x[e->var[t]]);
        }
        double res = fabs(s - e->rhs[r]) / (1 + scale);
        if (res > w)
            w = res;
    }
    return w;
}

static int plain_interior(const sdc_equations *e, const uint32_t *rows, size_t m,
                          const uint32_t *vars, size_t n, const double *lo, const double *hi,
                          const double *weight, int max_sweeps, double *x)
{
    bool *fixed = calloc(e->nvars + 1, sizeof *fixed);
    cr_assert_not_null(fixed);
    for (size_t j = 0; j < n; j++) {
        uint32_t v = vars[j];
        fixed[v] = hi[v] - lo[v] < 1e-9;
        if (fixed[v])
            x[v] = lo[v];
        else if (isfinite(hi[v]))
            x[v] = 0.5 * (lo[v] + hi[v]);
        else
            x[v] = lo[v] + 1;
        if (!fixed[v] && !(x[v] > 0))
            x[v] = 1;
        if (!fixed[v] && weight)
            x[v] *= weight[v];
    }
    int rc = 1, stale = 0;
    bool relax = true;
    double best = INFINITY;
    for (int sweep = 0; sweep < max_sweeps && rc == 1; sweep++) {
        for (size_t i = 0; i < m && rc == 1; i++)
            if (!plain_project(e, rows[i], fixed, relax, x))
                rc = 2;
        if (rc == 1 && (sweep % 8 == 7 || sweep + 1 == max_sweeps)) {
            double res = plain_worst(e, rows, m, x);
            if (res < SDC_INTERIOR_RESIDUAL)
                rc = 0;
            if (res < best) {
                best = res;
                stale = 0;
            } else if (relax && ++stale >= 8) {
                relax = false;
            }
        }
    }
    free(fixed);
    return rc == 2 ? 1 : rc;
}

Test(feasible, the_sweeps_reach_the_plain_method_s_point_to_the_bit)
{
    /* An N x N crosstab whose body, row totals and column totals are all
     * hidden (the totals enter their rows with -1), some body cells fixed
     * by their bounds, a few cells pushed by weights, and the rows taken
     * in an order of their own: every path of the sweeps. */
    enum { N = 9 };
    size_t nv = N * N + 2 * N;
    sdc_equations e = {0};
    double truth[N * N];
    for (size_t i = 0; i < N; i++) {
        cr_assert_eq(sdc_equations_row(&e), 0);
        for (size_t j = 0; j < N; j++) {
            truth[i * N + j] = 1 + (double)((i * 7 + j * 5) % 11);
            cr_assert_eq(sdc_equations_term(&e, (uint32_t)(i * N + j), 1), 0);
        }
        cr_assert_eq(sdc_equations_term(&e, (uint32_t)(N * N + i), -1), 0);
        e.rhs[e.nrows - 1] = 0;
    }
    for (size_t j = 0; j < N; j++) {
        cr_assert_eq(sdc_equations_row(&e), 0);
        for (size_t i = 0; i < N; i++)
            cr_assert_eq(sdc_equations_term(&e, (uint32_t)(i * N + j), 1), 0);
        cr_assert_eq(sdc_equations_term(&e, (uint32_t)(N * N + N + j), -1), 0);
        e.rhs[e.nrows - 1] = 0;
    }
    e.nvars = nv;
    uint32_t rows[2 * N], vars[N * N + 2 * N];
    double lo[N * N + 2 * N], hi[N * N + 2 * N], weight[N * N + 2 * N];
    for (size_t r = 0; r < 2 * N; r++)
        rows[r] = (uint32_t)((r * 7) % (2 * N)); /* 7 is prime to 18 */
    for (size_t v = 0; v < nv; v++) {
        vars[v] = (uint32_t)v;
        lo[v] = 0;
        hi[v] = v < N * N ? 11 : INFINITY;
        weight[v] = v % 13 == 0 ? 50 : v % 17 == 0 ? 0.02 : 1;
        if (v < N * N && v % 10 == 3)
            lo[v] = hi[v] = truth[v]; /* fixed */
    }
    for (int pushed = 0; pushed < 2; pushed++) {
        double x[N * N + 2 * N], y[N * N + 2 * N];
        const double *w = pushed ? weight : NULL;
        int a = sdc_bounds_interior(&e, rows, 2 * N, vars, nv, lo, hi, w, 20000, 1e30, x);
        int b = plain_interior(&e, rows, 2 * N, vars, nv, lo, hi, w, 20000, y);
        cr_assert_eq(a, 0, "pushed %d", pushed);
        cr_assert_eq(a, b);
        for (size_t v = 0; v < nv; v++)
            cr_assert(memcmp(&x[v], &y[v], sizeof x[v]) == 0, "pushed %d, cell %zu: %.17g, %.17g",
                      pushed, v, x[v], y[v]);
    }
    sdc_equations_free(&e);
}

/*
 * A cycle of 2N hidden cells in an N x N crosstab whose row and column
 * sums are published: d_i at (i, i) and o_i at (i, i + 1 mod N). Each row
 * holds d_i + o_i, each column d_j + o_(j-1), so the cells can move only
 * together: d_i = D_i + t, o_i = O_i - t for one t. With every cell
 * unbounded above the start is 1 everywhere, and the entropy projection
 * of it is the t where sum ln(D_i + t) = sum ln(O_i - t) (the gradient of
 * sum x ln x - x along the cycle's direction is zero there), found here
 * by bisection. Plain sweeps carry a change one step along the cycle per
 * sweep, and at N = 400 do not reach the residual in 20,000 sweeps; the
 * accelerated ones must.
 */
static double cycle_gradient(const double *d, const double *o, size_t n, double t)
{
    double g = 0;
    for (size_t i = 0; i < n; i++)
        g += log(d[i] + t) - log(o[i] - t);
    return g;
}

Test(feasible, a_long_cycle_reaches_its_entropy_point)
{
    enum { N = 400 };
    static double d[N], o[N], x[2 * N];
    sdc_equations e = {0};
    double tlo = -INFINITY, thi = INFINITY;
    for (size_t i = 0; i < N; i++) {
        d[i] = 1 + (double)(i % 5);
        o[i] = 2 + (double)(i * 3 % 7);
        tlo = fmax(tlo, -d[i]);
        thi = fmin(thi, o[i]);
    }
    /* variables: d_i is i, o_i is N + i */
    for (size_t i = 0; i < N; i++) {
        cr_assert_eq(sdc_equations_row(&e), 0);
        cr_assert_eq(sdc_equations_term(&e, (uint32_t)i, 1), 0);
        cr_assert_eq(sdc_equations_term(&e, (uint32_t)(N + i), 1), 0);
        e.rhs[e.nrows - 1] = d[i] + o[i];
    }
    for (size_t j = 0; j < N; j++) {
        size_t before = (j + N - 1) % N;
        cr_assert_eq(sdc_equations_row(&e), 0);
        cr_assert_eq(sdc_equations_term(&e, (uint32_t)j, 1), 0);
        cr_assert_eq(sdc_equations_term(&e, (uint32_t)(N + before), 1), 0);
        e.rhs[e.nrows - 1] = d[j] + o[before];
    }
    e.nvars = 2 * N;
    static uint32_t rows[2 * N], vars[2 * N];
    static double lo[2 * N], hi[2 * N];
    for (size_t v = 0; v < 2 * N; v++) {
        rows[v] = vars[v] = (uint32_t)v;
        lo[v] = 0;
        hi[v] = INFINITY;
    }
    cr_assert_eq(sdc_bounds_interior(&e, rows, 2 * N, vars, 2 * N, lo, hi, NULL, 20000, 1e30, x), 0,
                 "no point within 20,000 sweeps");
    cr_assert(worst(&e, x) <= SDC_INTERIOR_RESIDUAL, "residual %g", worst(&e, x));
    for (int k = 0; k < 200; k++) {
        double mid = 0.5 * (tlo + thi);
        if (cycle_gradient(d, o, N, mid) < 0)
            tlo = mid;
        else
            thi = mid;
    }
    double t = 0.5 * (tlo + thi);
    for (size_t i = 0; i < N; i++) {
        cr_assert(fabs(x[i] - (d[i] + t)) <= 1e-7 * (d[i] + t), "d_%zu: %.12g, want %.12g", i, x[i],
                  d[i] + t);
        cr_assert(fabs(x[N + i] - (o[i] - t)) <= 1e-7 * (o[i] - t), "o_%zu: %.12g, want %.12g", i,
                  x[N + i], o[i] - t);
    }
    sdc_equations_free(&e);
}
