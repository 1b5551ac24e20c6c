/*
 * bounds.c - outer bounds by propagation, determined cells by the null
 * space (see bounds.h).
 */
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/bounds.h"
#include "core/vec.h"

int sdc_equations_row(sdc_equations *e)
{
    if (e->nrows + 1 >= e->rcap) {
        size_t cap = sdc_vec_capacity(e->rcap ? e->rcap : 32, e->nrows + 2);
        if (!cap || sdc_vec_resize(&e->start, cap + 1, sizeof *e->start) < 0 ||
            SDC_VEC_RESIZE(e->rhs, cap) < 0 || SDC_VEC_RESIZE(e->tol, cap) < 0)
            return -1;
        e->rcap = cap;
    }
    if (e->nrows == 0)
        e->start[0] = 0;
    e->rhs[e->nrows] = 0;
    e->tol[e->nrows] = 0;
    e->nrows++;
    e->start[e->nrows] = e->nnz;
    return 0;
}

int sdc_equations_term(sdc_equations *e, uint32_t var, signed char coef)
{
    if (e->nnz == e->cap) {
        size_t cap = sdc_vec_capacity(e->cap ? e->cap : 128, e->nnz + 1);
        if (!cap || SDC_VEC_RESIZE(e->var, cap) < 0 || SDC_VEC_RESIZE(e->coef, cap) < 0)
            return -1;
        e->cap = cap;
    }
    e->var[e->nnz] = var;
    e->coef[e->nnz] = coef;
    e->nnz++;
    e->start[e->nrows] = e->nnz;
    return 0;
}

void sdc_equations_free(sdc_equations *e)
{
    free(e->start);
    free(e->var);
    free(e->coef);
    free(e->rhs);
    free(e->tol);
    memset(e, 0, sizeof *e);
}

/* Raises *LO or lowers *HI to V when that tightens by more than a
 * millionth; returns whether it did. */
static bool tighten_lo(double *lo, double v)
{
    if (v > *lo + 1e-6 * (1 + fabs(v))) {
        *lo = v;
        return true;
    }
    return false;
}

static bool tighten_hi(double *hi, double v)
{
    if (v < *hi - 1e-6 * (1 + fabs(v))) {
        *hi = v;
        return true;
    }
    return false;
}

/*
 * One equation sum(a_k x_k) in [rhs - tol, rhs + tol]: with the others'
 * least and greatest contribution (infinite ones counted apart, so that
 * one unbounded term still bounds the rest), each term is bounded by what
 * is left.
 */
static int propagate_row(const sdc_equations *e, size_t r, double *lo, double *hi, bool *moved)
{
    double min_sum = 0, max_sum = 0;
    size_t min_inf = 0, max_inf = 0;
    for (size_t t = e->start[r]; t < e->start[r + 1]; t++) {
        uint32_t v = e->var[t];
        if (e->coef[t] > 0) {
            min_sum += lo[v];
            if (isinf(hi[v]))
                max_inf++;
            else
                max_sum += hi[v];
        } else {
            max_sum -= lo[v];
            if (isinf(hi[v]))
                min_inf++;
            else
                min_sum -= hi[v];
        }
    }
    double b_lo = e->rhs[r] - e->tol[r], b_hi = e->rhs[r] + e->tol[r];
    for (size_t t = e->start[r]; t < e->start[r + 1]; t++) {
        uint32_t v = e->var[t];
        double a_min, a_max; /* this term's own least and greatest a*x */
        bool min_is_inf, max_is_inf;
        if (e->coef[t] > 0) {
            a_min = lo[v];
            min_is_inf = false;
            max_is_inf = isinf(hi[v]);
            a_max = max_is_inf ? 0 : hi[v];
        } else {
            min_is_inf = isinf(hi[v]);
            a_min = min_is_inf ? 0 : -hi[v];
            a_max = -lo[v];
            max_is_inf = false;
        }
        /* The others: their sum lies in [omin, omax]. */
        size_t oinf_min = min_inf - min_is_inf, oinf_max = max_inf - max_is_inf;
        double omin = oinf_min ? -INFINITY : min_sum - (min_is_inf ? 0 : a_min);
        double omax = oinf_max ? INFINITY : max_sum - (max_is_inf ? 0 : a_max);
        double t_lo = b_lo - omax, t_hi = b_hi - omin; /* a*x in [t_lo, t_hi] */
        double x_lo = e->coef[t] > 0 ? t_lo : -t_hi;
        double x_hi = e->coef[t] > 0 ? t_hi : -t_lo;
        if (isfinite(x_lo))
            *moved |= tighten_lo(&lo[v], x_lo);
        if (isfinite(x_hi))
            *moved |= tighten_hi(&hi[v], x_hi);
        if (lo[v] > hi[v] + 1e-6 * (1 + fabs(hi[v])))
            return -1;
    }
    return 0;
}

int sdc_bounds_propagate(const sdc_equations *e, double *lo, double *hi, int max_passes)
{
    for (int pass = 0; pass < max_passes; pass++) {
        bool moved = false;
        for (size_t r = 0; r < e->nrows; r++)
            if (propagate_row(e, r, lo, hi, &moved) < 0)
                return -1;
        if (!moved)
            break;
    }
    for (size_t v = 0; v < e->nvars; v++)
        if (hi[v] < lo[v])
            hi[v] = lo[v]; /* rounding noise of a fixed cell */
    return 0;
}

int sdc_bounds_determined(const sdc_equations *e, const uint32_t *rows, size_t m, size_t n,
                          const uint32_t *local, bool *determined)
{
    size_t mm = m > n ? m : n; /* SV_decomp wants at least as many rows as columns */
    gsl_matrix *a = gsl_matrix_calloc(mm, n);
    gsl_matrix *v = gsl_matrix_alloc(n, n);
    gsl_vector *s = gsl_vector_alloc(n);
    gsl_vector *work = gsl_vector_alloc(n);
    if (!a || !v || !s || !work) {
        gsl_matrix_free(a);
        gsl_matrix_free(v);
        gsl_vector_free(s);
        gsl_vector_free(work);
        return -1;
    }
    for (size_t i = 0; i < m; i++)
        for (size_t t = e->start[rows[i]]; t < e->start[rows[i] + 1]; t++)
            gsl_matrix_set(a, i, local[e->var[t]], e->coef[t]);
    /* The shapes are right by construction, so GSL's error handler (global
     * state, not to be touched from a worker thread) is never called. */
    int rc = gsl_linalg_SV_decomp(a, v, s, work);
    if (rc == 0) {
        /* Null-space directions: singular values at rounding-noise level. */
        double smax = gsl_vector_get(s, 0), eps = 1e-9 * (smax > 1 ? smax : 1) * (double)mm;
        for (size_t k = 0; k < n; k++) {
            double norm = 0;
            for (size_t c = 0; c < n; c++)
                if (gsl_vector_get(s, c) <= eps)
                    norm += gsl_matrix_get(v, k, c) * gsl_matrix_get(v, k, c);
            determined[k] = norm < 1e-12;
        }
    } else {
        memset(determined, 0, n * sizeof *determined);
    }
    gsl_matrix_free(a);
    gsl_matrix_free(v);
    gsl_vector_free(s);
    gsl_vector_free(work);
    return 0;
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The worst residual of ROWS at X, each relative to its row's magnitude;
 * terms of fixed variables count as they are. */
static double worst_residual(const sdc_equations *e, const uint32_t *rows, size_t m,
                             const double *x)
{
    double worst = 0;
    for (size_t i = 0; i < m; i++) {
        size_t r = rows[i];
        double s = 0, scale = fabs(e->rhs[r]);
        for (size_t t = e->start[r]; t < e->start[r + 1]; t++) {
            s += e->coef[t] * x[e->var[t]];
            scale += fabs(x[e->var[t]]);
        }
        double res = fabs(s - e->rhs[r]) / (1 + scale);
        if (res > worst)
            worst = res;
    }
    return worst;
}

/*
 * The rows of one sdc_bounds_interior call as its sweeps read them: per
 * row, what its fixed terms leave of the right-hand side (subtracted in
 * the row's order, as a projection would each time: fixed values never
 * move, so it is the same double), then its free parts and its free
 * totals, each in the row's order, as indices into XL, the free values in
 * the order the rows meet them. The sweeps then read no flag per term and
 * one compact array instead of the measure's: the same sums in the same
 * order, so the same point to the bit, in less time.
 */
typedef struct sweep_rows {
    double *rest;
    size_t *start;  /* m + 1: each row's terms in TERM */
    uint32_t *npos; /* its free parts come first */
    uint32_t *term; /* indices into XL */
    double *xl;
    uint32_t *var; /* per XL entry: its variable */
    size_t nl;
} sweep_rows;

static void sweep_rows_free(sweep_rows *w)
{
    free(w->rest);
    free(w->start);
    free(w->npos);
    free(w->term);
    free(w->xl);
    free(w->var);
}

/* Builds W from rows ROWS[0..M) of E at X, FIXED per variable. Returns 0,
 * or -1 when out of memory. */
static int sweep_rows_build(sweep_rows *w, const sdc_equations *e, const uint32_t *rows, size_t m,
                            const bool *fixed, const double *x)
{
    /* Per variable of the rows: its index into XL, LOC_UNSEEN before the
     * count below, LOC_FREE once counted as free and not yet placed. */
    enum { LOC_UNSEEN = UINT32_MAX, LOC_FREE = UINT32_MAX - 1 };
    uint32_t *loc = malloc((e->nvars + 1) * sizeof *loc);
    if (!loc)
        return -1;
    size_t nnz = 0, nfree = 0; /* free terms, free variables */
    for (size_t i = 0; i < m; i++)
        for (size_t t = e->start[rows[i]]; t < e->start[rows[i] + 1]; t++)
            loc[e->var[t]] = LOC_UNSEEN;
    for (size_t i = 0; i < m; i++)
        for (size_t t = e->start[rows[i]]; t < e->start[rows[i] + 1]; t++) {
            uint32_t v = e->var[t];
            nnz += !fixed[v];
            if (!fixed[v] && loc[v] == LOC_UNSEEN) {
                loc[v] = LOC_FREE;
                nfree++;
            }
        }
    w->rest = malloc((m + 1) * sizeof *w->rest);
    w->start = malloc((m + 1) * sizeof *w->start);
    w->npos = malloc((m + 1) * sizeof *w->npos);
    w->term = malloc((nnz + 1) * sizeof *w->term);
    w->xl = malloc((nfree + 1) * sizeof *w->xl);
    w->var = malloc((nfree + 1) * sizeof *w->var);
    w->nl = 0;
    if (!w->rest || !w->start || !w->npos || !w->term || !w->xl || !w->var) {
        free(loc);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        size_t r = rows[i];
        double rest = e->rhs[r];
        w->start[i] = k;
        for (int pass = 0; pass < 2; pass++) { /* parts, then totals */
            for (size_t t = e->start[r]; t < e->start[r + 1]; t++) {
                uint32_t v = e->var[t];
                if (fixed[v]) {
                    if (pass == 0)
                        rest -= e->coef[t] * x[v];
                    continue;
                }
                if ((e->coef[t] > 0) != (pass == 0))
                    continue;
                if (loc[v] == LOC_FREE) {
                    loc[v] = (uint32_t)w->nl;
                    w->var[w->nl] = v;
                    w->xl[w->nl++] = x[v];
                }
                w->term[k++] = loc[v];
            }
            if (pass == 0)
                w->npos[i] = (uint32_t)(k - w->start[i]);
        }
        w->rest[i] = rest;
    }
    w->start[m] = k;
    free(loc);
    return 0;
}

/* X of every free variable W holds, from W. */
static void sweep_rows_store(const sweep_rows *w, double *x)
{
    for (size_t j = 0; j < w->nl; j++)
        x[w->var[j]] = w->xl[j];
}

/*
 * One Bregman projection of the free values onto row I of W under the
 * entropy, as project_row (which it must match to the bit): the free parts
 * multiplied by z and the free totals divided by it.
 */
static bool project_sweep_row(sweep_rows *w, size_t i, bool relax)
{
    const uint32_t *term = w->term + w->start[i];
    size_t npos = w->npos[i], nterms = w->start[i + 1] - w->start[i];
    double *xl = w->xl;
    double p = 0, q = 0, rest = w->rest[i];
    for (size_t t = 0; t < npos; t++)
        p += xl[term[t]];
    for (size_t t = npos; t < nterms; t++)
        q += xl[term[t]];
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
    for (size_t t = 0; t < npos; t++)
        xl[term[t]] *= z;
    for (size_t t = npos; t < nterms; t++)
        xl[term[t]] /= z;
    return true;
}

/*
 * Anderson acceleration of the sweeps (Anderson 1965; as a method for
 * fixed-point iterations, Walker and Ni, "Anderson acceleration for
 * fixed-point iterations", SIAM J. Numer. Anal. 49(4), 2011). One sweep
 * is a map G of u = log x. From the last DEPTH sweeps' residuals f = G(u)
 * - u, the next u is G(u) minus the combination of the images' steps
 * that makes the combined residual least (least squares over the
 * residuals' steps). Every image is the start times exp(A^T lambda) for
 * some lambda, so u - log(start) lies in the row space of A, and so does
 * any such combination of them: the limit is the same entropy projection
 * as the plain sweeps'. A combination that leaves a value not finite or
 * not positive is dropped for the plain image, and the history starts
 * again.
 */
#define ANDERSON_DEPTH 10
/* Plain and relaxed sweeps first: the quick mode's blocks of the 5-D bench
 * table converge within 48 to 80 sweeps, and keep that path and its
 * memory; the default mode's took 1,300 to 2,100 before there was any
 * acceleration. */
#define ANDERSON_AFTER 96

typedef struct anderson {
    size_t n;
    bool primed;                                 /* FP and GP hold a sweep's */
    int hist, head;                              /* columns held, the next one written */
    double *u;                                   /* log of the values the next sweep starts from */
    double *fp, *gp;                             /* the last residual and image */
    double *df, *dg;                             /* ANDERSON_DEPTH columns of n: their steps */
    double gram[ANDERSON_DEPTH][ANDERSON_DEPTH]; /* df's inner products */
    double fdot[ANDERSON_DEPTH];                 /* and each df's with fp */
} anderson;

static void anderson_free(anderson *a)
{
    free(a->u);
    free(a->fp);
    free(a->gp);
    free(a->df);
    free(a->dg);
}

static int anderson_init(anderson *a, const sweep_rows *w)
{
    size_t n = w->nl;
    *a = (anderson){.n = n};
    a->u = malloc((n + 1) * sizeof *a->u);
    a->fp = malloc((n + 1) * sizeof *a->fp);
    a->gp = malloc((n + 1) * sizeof *a->gp);
    a->df = malloc((ANDERSON_DEPTH * n + 1) * sizeof *a->df);
    a->dg = malloc((ANDERSON_DEPTH * n + 1) * sizeof *a->dg);
    if (!a->u || !a->fp || !a->gp || !a->df || !a->dg)
        return -1;
    for (size_t j = 0; j < n; j++)
        a->u[j] = log(w->xl[j]);
    return 0;
}

/* Four sums in turn, not one: one chain of additions waits on each
 * addition before the next, and the Anderson steps' inner products (ten
 * of n a sweep) were the entropy point's costliest loop. On the 5-D
 * bench table's written copy the entropy points took 6.06 to 6.69 s of
 * CPU in `check` instead of 6.50 to 7.72, in the same 4,080 sweeps. */
static double dot(const double *a, const double *b, size_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        s0 += a[j] * b[j];
        s1 += a[j + 1] * b[j + 1];
        s2 += a[j + 2] * b[j + 2];
        s3 += a[j + 3] * b[j + 3];
    }
    for (; j < n; j++)
        s0 += a[j] * b[j];
    return (s0 + s1) + (s2 + s3);
}

/* The mixing coefficients GAMMA[0..h) that make || f - df gamma || least,
 * by the regularised normal equations (GSL's LU). Returns 0, or -1 when
 * they cannot be solved. */
static int anderson_gamma(const anderson *a, double *gamma)
{
    size_t h = (size_t)a->hist;
    double m[ANDERSON_DEPTH * ANDERSON_DEPTH], b[ANDERSON_DEPTH], trace = 0;
    size_t pdata[ANDERSON_DEPTH];
    for (size_t i = 0; i < h; i++)
        trace += a->gram[i][i];
    for (size_t i = 0; i < h; i++) {
        for (size_t k = 0; k < h; k++)
            m[i * h + k] = a->gram[i][k];
        m[i * h + i] += 1e-10 * trace / (double)h;
        b[i] = a->fdot[i];
    }
    if (!(trace > 0) || !isfinite(trace))
        return -1;
    gsl_matrix_view mv = gsl_matrix_view_array(m, h, h);
    gsl_vector_view bv = gsl_vector_view_array(b, h), gv = gsl_vector_view_array(gamma, h);
    gsl_permutation perm = {h, pdata};
    int sign;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int st = gsl_linalg_LU_decomp(&mv.matrix, &perm, &sign);
    if (st == 0)
        st = gsl_linalg_LU_solve(&mv.matrix, &perm, &bv.vector, &gv.vector);
    gsl_set_error_handler(old);
    for (size_t i = 0; i < h && st == 0; i++)
        if (!isfinite(gamma[i]))
            st = -1;
    return st == 0 ? 0 : -1;
}

/*
 * After a sweep of W from exp(a->u): records the sweep's image and
 * residual and sets W's values to the next start, the accelerated one
 * where it is finite and positive, else the image itself.
 */
static void anderson_step(anderson *a, sweep_rows *w)
{
    size_t n = a->n;
    int col = a->head;
    double *df = a->df + (size_t)col * n, *dg = a->dg + (size_t)col * n;
    for (size_t j = 0; j < n; j++) {
        double g = log(w->xl[j]), f = g - a->u[j];
        df[j] = f - a->fp[j];
        dg[j] = g - a->gp[j];
        a->fp[j] = f;
        a->gp[j] = g;
    }
    if (!a->primed) {
        /* no step yet: FP and GP now hold this sweep's */
        a->primed = true;
        memcpy(a->u, a->gp, n * sizeof *a->u);
        return;
    }
    if (a->hist < ANDERSON_DEPTH)
        a->hist++;
    a->head = (a->head + 1) % ANDERSON_DEPTH;
    for (int k = 0; k < a->hist; k++) {
        double v = dot(df, a->df + (size_t)k * n, n);
        a->gram[col][k] = a->gram[k][col] = v;
        /* the residual is the one before plus df, so each older step's
         * product with it grows by its product with df */
        if (k != col)
            a->fdot[k] += v;
    }
    a->fdot[col] = dot(df, a->fp, n);
    double gamma[ANDERSON_DEPTH];
    bool ok = anderson_gamma(a, gamma) == 0;
    for (size_t j = 0; j < n && ok; j++) {
        double u = a->gp[j];
        for (int k = 0; k < a->hist; k++)
            u -= gamma[k] * a->dg[(size_t)k * n + j];
        double x = exp(u);
        ok = x > 0 && isfinite(x);
        a->u[j] = u;
        w->xl[j] = x;
    }
    if (ok)
        return;
    /* the plain image, and the history again from it */
    memcpy(a->u, a->gp, n * sizeof *a->u);
    for (size_t j = 0; j < n; j++)
        w->xl[j] = exp(a->gp[j]);
    a->hist = 0;
    a->head = 0;
}

/* Relaxed steps stop after this many residual checks (8 sweeps each) with
 * no new best. */
#define RELAX_STALE 8

int sdc_bounds_interior(const sdc_equations *e, const uint32_t *rows, size_t m,
                        const uint32_t *vars, size_t n, const double *lo, const double *hi,
                        const double *weight, int max_sweeps, double deadline, double *x)
{
    bool *fixed = calloc(e->nvars + 1, sizeof *fixed);
    if (!fixed)
        return -1;
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
    sweep_rows w = {0};
    if (sweep_rows_build(&w, e, rows, m, fixed, x) < 0) {
        sweep_rows_free(&w);
        free(fixed);
        return -1;
    }
    /* Over-relaxed steps while they pay: each step, relaxed or not,
     * changes log x by a multiple of its row (the totals' terms with the
     * other sign), so the point stays the start times an exponential of
     * the rows, and a point of that form that satisfies the rows is the
     * entropy projection, whichever steps reached it (Censor and Zenios,
     * "Parallel Optimization", 1997, ch. 6). On the 5-D bench table's
     * blocks of 62,000 cells z^1.5 took about half the sweeps (528 against
     * 1,104); z^1.6 and more did not converge. So when the worst residual
     * sets no new best for RELAX_STALE checks the steps are plain again. */
    int rc = 1, stale = 0;
    bool relax = true;
    double best = INFINITY;
    anderson acc = {0};
    for (int sweep = 0; sweep < max_sweeps && rc == 1; sweep++) {
        if (sweep == ANDERSON_AFTER && anderson_init(&acc, &w) < 0) {
            rc = -1;
            break;
        }
        bool accelerated = sweep >= ANDERSON_AFTER;
        for (size_t i = 0; i < m && rc == 1; i++)
            if (!project_sweep_row(&w, i, relax && !accelerated))
                rc = 2;
        if (rc == 1 && accelerated)
            anderson_step(&acc, &w);
        if (rc == 1 && (sweep % 8 == 7 || sweep + 1 == max_sweeps)) {
            sweep_rows_store(&w, x);
            double res = worst_residual(e, rows, m, x);
            if (res < SDC_INTERIOR_RESIDUAL)
                rc = 0;
            else if (seconds_now() > deadline)
                rc = 2;
            if (res < best) {
                best = res;
                stale = 0;
            } else if (accelerated && ++stale >= RELAX_STALE) {
                acc.primed = false; /* the history is no help: start it again */
                acc.hist = acc.head = 0;
                stale = 0;
            } else if (relax && !accelerated && ++stale >= RELAX_STALE) {
                relax = false;
            }
        }
    }
    anderson_free(&acc);
    sweep_rows_store(&w, x);
    sweep_rows_free(&w);
    free(fixed);
    return rc == 2 ? 1 : rc;
}
