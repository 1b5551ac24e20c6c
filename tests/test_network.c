/* test_network.c - verdicts on two-dimensional tables by maximum flow
 * (network.h). The audit's verdict mode settles a table whose equations
 * are a network by pushing each hidden cell up and down along cycles of
 * hidden cells; its intervals are checked against the exact intervals of
 * the linear program (exact mode, GLPK), which never takes that path, on
 * random tables of several shapes. The work per cell is checked to stay
 * bounded as the table grows. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>

#include "audit/audit_internal.h"
#include "audit/network.h"
#include "helpers.h"

static sdc_policy *policy;
static void setup(void)
{
    policy = sdc_policy_default();
}
static void teardown(void)
{
    sdc_policy_free(policy);
}
TestSuite(network, .init = setup, .fini = teardown);

static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

/* Appends to a growing buffer. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;
__attribute__((format(printf, 2, 3))) static void put(text *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    cr_assert(k >= 0 && (size_t)k < sizeof tmp);
    if (b->len + (size_t)k + 1 > b->cap) {
        b->cap = (b->len + (size_t)k + 1) * 2;
        b->s = realloc(b->s, b->cap);
        cr_assert_not_null(b->s);
    }
    memcpy(b->s + b->len, tmp, (size_t)k + 1);
    b->len += (size_t)k;
}

/* An R x C crosstab of counts with its margins: counts 0 to 30 (a few
 * zeros, a few ones), each body cell hidden with chance HIDE in 100, and
 * with MARGINS some row and column totals hidden too. */
static sdc_table *random_crosstab(int r, int c, int hide, bool margins)
{
    double *v = calloc((size_t)(r + 1) * (size_t)(c + 1), sizeof *v);
    bool *h = calloc((size_t)(r + 1) * (size_t)(c + 1), sizeof *h);
    cr_assert(v && h);
    for (int i = 0; i < r; i++)
        for (int j = 0; j < c; j++) {
            uint32_t k = rnd(10);
            v[i * (c + 1) + j] = k == 0 ? 0 : k == 1 ? 1 : rnd(31);
            h[i * (c + 1) + j] = rnd(100) < (uint32_t)hide;
            v[i * (c + 1) + c] += v[i * (c + 1) + j];
            v[r * (c + 1) + j] += v[i * (c + 1) + j];
            v[r * (c + 1) + c] += v[i * (c + 1) + j];
        }
    if (margins) {
        for (int i = 0; i < r; i++)
            h[i * (c + 1) + c] = rnd(100) < 15;
        for (int j = 0; j < c; j++)
            h[r * (c + 1) + j] = rnd(100) < 15;
    }
    text b = {0};
    put(&b, "area");
    for (int j = 0; j < c; j++)
        put(&b, ",K%d", j);
    put(&b, ",Total\n");
    for (int i = 0; i <= r; i++) {
        if (i < r)
            put(&b, "A%d", i);
        else
            put(&b, "Total");
        for (int j = 0; j <= c; j++)
            if (h[i * (c + 1) + j])
                put(&b, ",c");
            else
                put(&b, ",%.0f", v[i * (c + 1) + j]);
        put(&b, "\n");
    }
    sdc_findings f = {0};
    sdc_table *t = layout_csv(b.s, policy, &f);
    sdc_findings_free(&f);
    free(b.s);
    free(v);
    free(h);
    cr_assert_not_null(t);
    return t;
}

/* A long table of area by sex with an income sum per cell (a magnitude:
 * values with pence), its totals, and some cells hidden. */
static sdc_table *random_magnitude(int areas)
{
    double *v = calloc((size_t)(areas + 1) * 3, sizeof *v);
    cr_assert_not_null(v);
    for (int i = 0; i < areas; i++)
        for (int s = 0; s < 2; s++) {
            double x = rnd(3) == 0 ? (double)rnd(500) / 100 : (double)rnd(4000000) / 100;
            v[i * 3 + s] = x;
            v[i * 3 + 2] += x;
            v[areas * 3 + s] += x;
            v[areas * 3 + 2] += x;
        }
    text b = {0};
    put(&b, "area,sex,income\n");
    static const char *const sex[3] = {"F", "M", "Total"};
    for (int i = 0; i <= areas; i++)
        for (int s = 0; s < 3; s++) {
            if (i < areas)
                put(&b, "A%d,", i);
            else
                put(&b, "Total,");
            put(&b, "%s", sex[s]);
            if (i < areas && s < 2 && rnd(100) < 60)
                put(&b, ",c\n");
            else
                put(&b, ",%.2f\n", v[i * 3 + s]);
        }
    sdc_findings f = {0};
    sdc_table *t = layout_csv(b.s, policy, &f);
    sdc_findings_free(&f);
    free(b.s);
    free(v);
    cr_assert_not_null(t);
    return t;
}

static const sdc_audit_cell *same_cell(const sdc_audit *a, const sdc_audit_cell *c)
{
    for (size_t i = 0; i < a->count; i++)
        if (a->cells[i].row == c->row && a->cells[i].col == c->col)
            return &a->cells[i];
    return NULL;
}

/* Cells the flows found narrow or recoverable, cells they settled, and
 * all cells audited, over a test. */
static size_t short_cells, flow_cells, all_cells;

/* At least 7 in 10 of the test's cells settled by the flows. */
static void mostly_by_flow(void)
{
    cr_assert_geq(flow_cells * 10, all_cells * 7, "%zu of %zu cells settled by flow", flow_cells,
                  all_cells);
    flow_cells = all_cells = 0;
}

/* The flow's verdicts against the LP's exact intervals: an exact interval
 * equal, a proved one inside the exact one and as wide as asked, the
 * same judgement for every cell. Returns the cells the flow proved wide. */
static size_t agree(const sdc_table *t, double need)
{
    sdc_audit exact = {0}, flow = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 60, 0, &exact), 0);
    cr_assert_eq(sdc_audit_table(t, policy, 60, need, &flow), 0);
    cr_assert(!exact.timed_out && !exact.inconsistent);
    cr_assert(!flow.timed_out && !flow.inconsistent && flow.unproved == 0);
    cr_assert_eq(flow.count, exact.count);
    /* the flows settle what subtraction alone does not (a fallback to
     * the LP would agree too): counted over the test */
    flow_cells += flow.by_flow;
    all_cells += flow.count;
    cr_assert_eq(exact.by_flow, 0, "exact intervals are the LP's");
    size_t wide = 0;
    for (size_t i = 0; i < flow.count; i++) {
        const sdc_audit_cell *w = &flow.cells[i], *e = same_cell(&exact, w);
        cr_assert_not_null(e);
        cr_assert(e->solved && e->exact && w->solved);
        double tol = 1e-6 * (1 + fabs(e->hi) + fabs(e->lo));
        if (w->exact) {
            cr_assert(fabs(w->lo - e->lo) <= tol && fabs(w->hi - e->hi) <= tol,
                      "row %zu col %zu: flow [%.17g, %.17g], LP [%.17g, %.17g]", w->row, w->col,
                      w->lo, w->hi, e->lo, e->hi);
        } else {
            cr_assert(w->lo >= e->lo - tol && w->hi <= e->hi + tol,
                      "row %zu col %zu: proved [%g, %g] outside the exact [%g, %g]", w->row, w->col,
                      w->lo, w->hi, e->lo, e->hi);
            cr_assert(sdc_audit_protected(w, need), "an inexact interval is only for a wide cell");
        }
        cr_assert_eq(sdc_audit_judge(w, need), sdc_audit_judge(e, need),
                     "row %zu col %zu: flow [%g, %g] judged %d, LP [%g, %g] judged %d", w->row,
                     w->col, w->lo, w->hi, sdc_audit_judge(w, need), e->lo, e->hi,
                     sdc_audit_judge(e, need));
        wide += sdc_audit_protected(w, need);
        short_cells += !sdc_audit_protected(w, need);
    }
    cr_assert_eq(sdc_audit_verdict(&flow, need), sdc_audit_verdict(&exact, need));
    sdc_audit_free(&exact);
    sdc_audit_free(&flow);
    return wide;
}

Test(network, square_tables_agree_with_the_exact_intervals)
{
    rng_state = 0x9e3779b97f4a7c15u;
    short_cells = 0;
    size_t wide = 0, cells = 0;
    for (int k = 0; k < 12; k++) {
        sdc_table *t = random_crosstab(8 + k % 5, 8 + (k * 3) % 5, 20 + 3 * k, false);
        for (double need = 2; need <= 12; need += 5)
            wide += agree(t, need);
        cells++;
        sdc_table_free(t);
    }
    /* Both kinds of answer occur: some cells proved wide, and (below) the
     * exact ones; a flow that proved nothing would still agree. */
    cr_assert_gt(wide, 100, "only %zu cells proved wide over %zu tables", wide, cells);
    cr_assert_gt(short_cells, 20, "only %zu cells found narrow or recoverable", short_cells);
    mostly_by_flow();
}

Test(network, long_and_wide_tables_with_hidden_margins_agree)
{
    rng_state = 0x2545f4914f6cdd1du;
    for (int k = 0; k < 10; k++) {
        bool tall = k % 2 == 0;
        sdc_table *t = random_crosstab(tall ? 40 : 3, tall ? 3 : 30, 35, true);
        agree(t, 3);
        agree(t, 10);
        sdc_table_free(t);
    }
    mostly_by_flow();
}

Test(network, magnitudes_with_pence_agree)
{
    rng_state = 0x853c49e6748fea9bu;
    for (int k = 0; k < 6; k++) {
        sdc_table *t = random_magnitude(30 + 10 * k);
        sdc_audit a = {0};
        cr_assert_eq(sdc_audit_table(t, policy, 60, 10, &a), 0);
        cr_assert_gt(a.count, 0);
        cr_assert(!a.cells[0].integer, "the income sums are audited as magnitudes");
        sdc_audit_free(&a);
        agree(t, 10);
        agree(t, 5000);
        sdc_table_free(t);
    }
    mostly_by_flow();
}

Test(network, a_rectangle_of_small_cells_is_exactly_as_wide_as_its_smallest_pair)
{
    /* Hidden 2, 9 / 8, 1: moving the rectangle by d keeps the margins, so
     * the top-left cell takes every value from 2 - min(2, 1) = 1 ... and
     * up to 2 + min(9, 8) = 10: [1, 10], ten values. */
    sdc_findings f = {0};
    sdc_table *t = layout_csv("area,K1,K2,K3,Total\n"
                              "A,c,c,20,31\n"
                              "B,c,c,50,59\n"
                              "C,11,12,13,36\n"
                              "Total,21,22,83,126\n",
                              policy, &f);
    sdc_findings_free(&f);
    cr_assert_not_null(t);
    sdc_audit a = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 30, 11, &a), 0);
    cr_assert_eq(a.count, 4);
    cr_assert_eq(a.by_flow, 4);
    cr_assert(a.cells[0].exact, "ten values are fewer than the eleven asked: both ends reached");
    cr_assert_eq(a.cells[0].lo, 1);
    cr_assert_eq(a.cells[0].hi, 10);
    cr_assert_eq(sdc_audit_judge(&a.cells[0], 11), SDC_AUDIT_NARROW);
    sdc_audit_free(&a);
    cr_assert_eq(sdc_audit_table(t, policy, 30, 10, &a), 0);
    cr_assert_eq(sdc_audit_judge(&a.cells[0], 10), SDC_AUDIT_PROTECTED);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

/* The equations of an n x n table without margins' hidden cells: a row
 * and a column equation per line, the hidden cells (chance 1 in 20) as
 * variables at a point of counts 1 to 9. Fills the arrays; returns the
 * variables. */
static size_t grid_equations(int n, sdc_equations *e, double **point)
{
    long *var = malloc((size_t)n * (size_t)n * sizeof *var);
    cr_assert_not_null(var);
    size_t nv = 0;
    for (int k = 0; k < n * n; k++)
        var[k] = rnd(20) == 0 ? (long)nv++ : -1;
    *point = malloc(nv * sizeof **point);
    cr_assert_not_null(*point);
    for (size_t v = 0; v < nv; v++)
        (*point)[v] = 1 + rnd(9);
    for (int line = 0; line < 2 * n; line++) {
        cr_assert_eq(sdc_equations_row(e), 0);
        double rhs = 0;
        for (int k = 0; k < n; k++) {
            int cell = line < n ? line * n + k : k * n + (line - n);
            if (var[cell] >= 0) {
                cr_assert_eq(sdc_equations_term(e, (uint32_t)var[cell], 1), 0);
                rhs += (*point)[var[cell]];
            }
        }
        e->rhs[e->nrows - 1] = rhs;
        e->tol[e->nrows - 1] = 0;
    }
    e->nvars = nv;
    free(var);
    return nv;
}

/* Visits per cell pushed up and down by 9 in an n x n grid. */
static double visits_per_cell(int n)
{
    sdc_equations e = {0};
    double *x;
    size_t nv = grid_equations(n, &e, &x);
    uint32_t *rows = malloc(e.nrows * sizeof *rows), *vars = malloc(nv * sizeof *vars);
    double *upper = malloc(nv * sizeof *upper), *lo = malloc(nv * sizeof *lo),
           *hi = malloc(nv * sizeof *hi);
    cr_assert(rows && vars && upper && lo && hi);
    size_t nr = 0;
    for (size_t r = 0; r < e.nrows; r++)
        if (e.start[r + 1] > e.start[r])
            rows[nr++] = (uint32_t)r;
    for (size_t v = 0; v < nv; v++) {
        vars[v] = (uint32_t)v;
        upper[v] = INFINITY;
        lo[v] = hi[v] = x[v];
    }
    sdc_network *net = NULL;
    cr_assert_eq(sdc_network_make(&e, rows, nr, vars, nv, vars, upper, &net), 0);
    sdc_network_set_point(net, x);
    size_t moved = 0;
    for (size_t v = 0; v < nv; v++) {
        bool end = false;
        moved += sdc_network_move(net, v, 1, 9, lo, hi, &end) > 0;
        moved += sdc_network_move(net, v, -1, 9, lo, hi, &end) > 0;
    }
    cr_assert_gt(moved, nv, "the cells do move (%zu moves of %zu cells)", moved, nv);
    double per = (double)sdc_network_visits(net) / (double)nv;
    sdc_network_free(net);
    sdc_equations_free(&e);
    free(x);
    free(rows);
    free(vars);
    free(upper);
    free(lo);
    free(hi);
    return per;
}

Test(network, the_work_per_cell_stays_bounded_as_the_grid_grows)
{
    /* A search per cell that scanned the whole table would visit 16 times
     * as many nodes per cell at 4 times the side (cells grow 16-fold);
     * the two-way search meets near the cell. */
    rng_state = 0xda3e39cb94b95bdbu;
    double small = visits_per_cell(100), large = visits_per_cell(400);
    cr_assert_gt(small, 0);
    cr_assert_lt(large, 4 * small, "visits per cell %g at 100 x 100, %g at 400 x 400", small,
                 large);
}

Test(network, equations_that_are_not_a_network_are_left_to_the_general_audit)
{
    /* x0 + x1 = 5, x1 + x2 = 6, x0 + x2 = 7: an odd cycle of equations
     * that all add their cells, which no choice of signs makes a flow. */
    sdc_equations e = {0};
    static const uint32_t terms[3][2] = {{0, 1}, {1, 2}, {0, 2}};
    for (int r = 0; r < 3; r++) {
        cr_assert_eq(sdc_equations_row(&e), 0);
        cr_assert_eq(sdc_equations_term(&e, terms[r][0], 1), 0);
        cr_assert_eq(sdc_equations_term(&e, terms[r][1], 1), 0);
        e.rhs[r] = 5 + r;
        e.tol[r] = 0;
    }
    e.nvars = 3;
    uint32_t rows[3] = {0, 1, 2}, vars[3] = {0, 1, 2};
    double upper[3] = {INFINITY, INFINITY, INFINITY};
    sdc_network *n = NULL;
    cr_assert_eq(sdc_network_make(&e, rows, 3, vars, 3, vars, upper, &n), 1);
    cr_assert_null(n);
    /* Three equations sharing a cell (a third dimension): not one either. */
    cr_assert_eq(sdc_equations_row(&e), 0);
    cr_assert_eq(sdc_equations_term(&e, 0, 1), 0);
    e.rhs[3] = 1;
    e.tol[3] = 0;
    uint32_t rows4[4] = {0, 1, 2, 3};
    cr_assert_eq(sdc_network_make(&e, rows4, 4, vars, 3, vars, upper, &n), 1);
    /* Two equations and a rounding tolerance: inequalities, not a flow. */
    uint32_t rows2[2] = {0, 1};
    e.tol[1] = 2.5;
    cr_assert_eq(sdc_network_make(&e, rows2, 2, vars, 3, vars, upper, &n), 1);
    e.tol[1] = 0;
    cr_assert_eq(sdc_network_make(&e, rows2, 2, vars, 3, vars, upper, &n), 0);
    cr_assert_not_null(n);
    sdc_network_free(n);
    sdc_equations_free(&e);
}
