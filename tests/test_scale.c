/* test_scale.c - what makes the audit and `--fix` scale: components,
 * propagation, the null space, hypercube certificates and complements. */
#include <criterion/criterion.h>
#include <glpk.h>
#include <math.h>

#include "audit/bounds.h"
#include "audit/audit_internal.h"
#include "helpers.h"
#include "protect/protect_heuristic.h"

static sdc_policy *policy;
static void setup(void)
{
    policy = sdc_policy_default();
    policy->zeros_are_disclosive = false;
}
static void teardown(void)
{
    sdc_policy_free(policy);
}
TestSuite(scale, .init = setup, .fini = teardown);

static unsigned next(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* A random R x C wide table with totals; PCT percent of the body hidden.
 * V gets the true values (row-major, R x C). */
static void random_wide(char *csv, size_t size, int r, int c, int pct, unsigned *seed, int *v,
                        bool *hide)
{
    int rs[16] = {0}, cs[16] = {0}, total = 0;
    size_t o = (size_t)snprintf(csv, size, "region");
    for (int j = 0; j < c; j++)
        o += (size_t)snprintf(csv + o, size - o, ",c%d", j);
    o += (size_t)snprintf(csv + o, size - o, ",Total\n");
    for (int i = 0; i < r; i++)
        for (int j = 0; j < c; j++) {
            v[i * c + j] = 1 + (int)(next(seed) % 40);
            hide[i * c + j] = (int)(next(seed) % 100) < pct;
            rs[i] += v[i * c + j];
            cs[j] += v[i * c + j];
            total += v[i * c + j];
        }
    for (int i = 0; i < r; i++) {
        o += (size_t)snprintf(csv + o, size - o, "r%d", i);
        for (int j = 0; j < c; j++)
            o += hide[i * c + j] ? (size_t)snprintf(csv + o, size - o, ",c")
                                 : (size_t)snprintf(csv + o, size - o, ",%d", v[i * c + j]);
        o += (size_t)snprintf(csv + o, size - o, ",%d\n", rs[i]);
    }
    o += (size_t)snprintf(csv + o, size - o, "Total");
    for (int j = 0; j < c; j++)
        o += (size_t)snprintf(csv + o, size - o, ",%d", cs[j]);
    snprintf(csv + o, size - o, ",%d\n", total);
}

/* The exact interval of hidden cell K by one LP over the whole table (rows
 * and columns of the R x C body, hidden cells as variables): the reference
 * the audit's components, propagation and null space must agree with. */
static void one_lp_interval(int r, int c, const int *v, const bool *hide, int k, double *lo,
                            double *hi)
{
    glp_prob *lp = glp_create_prob();
    int var[256] = {0}, nv = 0;
    for (int x = 0; x < r * c; x++)
        if (hide[x])
            var[x] = ++nv;
    glp_add_cols(lp, nv);
    for (int j = 1; j <= nv; j++)
        glp_set_col_bnds(lp, j, GLP_LO, 0, 0);
    int ia[1024], ja[1024], n = 0;
    double ar[1024];
    glp_add_rows(lp, r + c);
    for (int line = 0; line < r + c; line++) {
        double rhs = 0;
        int len = line < r ? c : r;
        for (int q = 0; q < len; q++) {
            int x = line < r ? line * c + q : q * c + (line - r);
            if (hide[x]) {
                n++;
                ia[n] = line + 1;
                ja[n] = var[x];
                ar[n] = 1;
            }
            if (hide[x])
                rhs += v[x];
        }
        glp_set_row_bnds(lp, line + 1, GLP_FX, rhs, rhs);
    }
    glp_load_matrix(lp, n, ia, ja, ar);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    glp_set_obj_coef(lp, var[k], 1);
    glp_set_obj_dir(lp, GLP_MIN);
    glp_simplex(lp, &parm);
    *lo = glp_get_obj_val(lp);
    glp_set_obj_dir(lp, GLP_MAX);
    glp_simplex(lp, &parm);
    *hi = glp_get_status(lp) == GLP_UNBND ? INFINITY : glp_get_obj_val(lp);
    glp_delete_prob(lp);
}

static const sdc_audit_cell *audited(const sdc_audit *a, size_t row, size_t col)
{
    for (size_t i = 0; i < a->count; i++)
        if (a->cells[i].row == row && a->cells[i].col == col)
            return &a->cells[i];
    return NULL;
}

Test(scale, components_give_the_same_intervals_as_one_lp)
{
    /* 150 random 8x8 tables, sparse enough to fall into several components. */
    unsigned seed = 4242;
    for (int trial = 0; trial < 150; trial++) {
        char csv[4096];
        int v[64];
        bool hide[64];
        random_wide(csv, sizeof csv, 8, 8, 8 + trial % 20, &seed, v, hide);
        sdc_findings f = {0};
        sdc_table *t = layout_csv(csv, policy, &f);
        sdc_audit a = {0};
        cr_assert_eq(sdc_audit_table(t, policy, 10, 0, &a), 0);
        for (int k = 0; k < 64; k++) {
            if (!hide[k])
                continue;
            const sdc_audit_cell *c = audited(&a, (size_t)(k / 8), (size_t)(k % 8 + 1));
            cr_assert_not_null(c);
            double lo, hi;
            one_lp_interval(8, 8, v, hide, k, &lo, &hi);
            cr_assert(c->solved && c->exact, "trial %d cell %d", trial, k);
            cr_assert(fabs(c->lo - lo) < 1e-6 && fabs(c->hi - hi) < 1e-6,
                      "trial %d cell %d: audit [%g, %g], one LP [%g, %g]\n%s", trial, k, c->lo,
                      c->hi, lo, hi, csv);
        }
        sdc_audit_free(&a);
        sdc_table_free(t);
        sdc_findings_free(&f);
    }
}

Test(scale, the_null_space_names_the_cells_the_equations_determine)
{
    /* x0 + x1 = 5, x1 - x2 = 0, x2 = 3 (so x0, x1, x2 are determined);
     * x3 + x4 = 7 leaves both free. */
    sdc_equations e = {0};
    static const struct {
        int var;
        signed char coef;
        int row;
    } terms[] = {{0, 1, 0}, {1, 1, 0}, {1, 1, 1}, {2, -1, 1}, {2, 1, 2}, {3, 1, 3}, {4, 1, 3}};
    static const double rhs[] = {5, 0, 3, 7};
    for (int r = 0; r < 4; r++) {
        cr_assert_eq(sdc_equations_row(&e), 0);
        e.rhs[r] = rhs[r];
        for (size_t t = 0; t < sizeof terms / sizeof terms[0]; t++)
            if (terms[t].row == r)
                cr_assert_eq(sdc_equations_term(&e, (uint32_t)terms[t].var, terms[t].coef), 0);
    }
    e.nvars = 5;
    uint32_t rows[] = {0, 1, 2, 3}, local[] = {0, 1, 2, 3, 4};
    bool det[5];
    cr_assert_eq(sdc_bounds_determined(&e, rows, 4, 5, local, det), 0);
    cr_assert(det[0] && det[1] && det[2]);
    cr_assert(!det[3] && !det[4]);
    sdc_equations_free(&e);
}

Test(scale, determined_cells_equal_the_lps_lo_and_hi)
{
    /* The chain of test_audit.c: every cell determined, and the audit's
     * values are the ones a person works out by subtraction. */
    sdc_findings f = {0};
    sdc_table *t = layout_csv("region,A,B,C,Total\nN,20,c,c,50\nS,25,c,12,55\n"
                              "Total,45,30,30,105\n",
                              policy, &f);
    sdc_audit a = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 10, 0, &a), 0);
    cr_assert_eq(a.count, 3);
    for (size_t i = 0; i < a.count; i++)
        cr_assert(a.cells[i].exact && a.cells[i].lo == a.cells[i].hi);
    cr_assert_eq(audited(&a, 0, 3)->lo, 18);
    cr_assert_eq(audited(&a, 0, 2)->lo, 12);
    cr_assert_eq(audited(&a, 1, 2)->lo, 18);
    sdc_audit_free(&a);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(scale, propagation_recovers_a_chain_without_any_lp)
{
    /* x0 + x1 = 10, x1 + x2 = 7, x2 = 2: subtraction gives x1 = 5, x0 = 5. */
    sdc_equations e = {0};
    sdc_equations_row(&e);
    e.rhs[0] = 10;
    sdc_equations_term(&e, 0, 1);
    sdc_equations_term(&e, 1, 1);
    sdc_equations_row(&e);
    e.rhs[1] = 7;
    sdc_equations_term(&e, 1, 1);
    sdc_equations_term(&e, 2, 1);
    sdc_equations_row(&e);
    e.rhs[2] = 2;
    sdc_equations_term(&e, 2, 1);
    e.nvars = 3;
    double lo[3] = {0, 0, 0}, hi[3] = {INFINITY, INFINITY, INFINITY};
    cr_assert_eq(sdc_bounds_propagate(&e, lo, hi, 30), 0);
    cr_assert(lo[0] == 5 && hi[0] == 5, "[%g, %g]", lo[0], hi[0]);
    cr_assert(lo[1] == 5 && hi[1] == 5);
    cr_assert(lo[2] == 2 && hi[2] == 2);
    /* and a total that cannot hold is found */
    e.rhs[1] = 1;
    double lo2[3] = {0, 0, 0}, hi2[3] = {INFINITY, INFINITY, INFINITY};
    cr_assert_eq(sdc_bounds_propagate(&e, lo2, hi2, 30), -1);
    sdc_equations_free(&e);
}

Test(scale, a_cube_certificate_never_claims_a_width_the_exact_interval_lacks)
{
    /* 200 random 10x10 tables: every cell the verdict-mode audit proves
     * with cubes (exact == false), at an LP point or at the true values,
     * lies inside its exact interval with the width it claims. */
    unsigned seed = 99;
    size_t certified = 0;
    for (int trial = 0; trial < 200; trial++) {
        char csv[8192];
        int v[100];
        bool hide[100];
        random_wide(csv, sizeof csv, 10, 10, 15 + trial % 30, &seed, v, hide);
        sdc_findings f = {0};
        sdc_table *t = layout_csv(csv, policy, &f);
        bool *known = calloc(t->nrows * t->ncols, sizeof *known);
        for (int k = 0; k < 100; k++) {
            size_t cell = (size_t)(k / 10) * t->ncols + (size_t)(k % 10 + 1);
            known[cell] = true;
            t->cells[cell].number = v[k]; /* the value behind the "c" */
        }
        sdc_audit exact = {0}, quick = {0}, at_truth = {0};
        cr_assert_eq(sdc_audit_table(t, policy, 10, 0, &exact), 0);
        cr_assert_eq(sdc_audit_table(t, policy, 10, 10, &quick), 0);
        cr_assert_eq(sdc_audit_table_known(t, policy, 10, 10, known, &at_truth), 0);
        for (size_t i = 0; i < exact.count; i++) {
            const sdc_audit_cell *x = &exact.cells[i];
            for (int m = 0; m < 2; m++) {
                const sdc_audit_cell *q = &(m ? &at_truth : &quick)->cells[i];
                cr_assert(q->solved);
                if (q->exact)
                    continue;
                certified++;
                cr_assert(q->lo >= x->lo - 1e-6 && q->hi <= x->hi + 1e-6,
                          "trial %d cell %zu: certified [%g, %g] outside exact [%g, %g]\n%s", trial,
                          i, q->lo, q->hi, x->lo, x->hi, csv);
            }
        }
        sdc_audit_free(&exact);
        sdc_audit_free(&quick);
        sdc_audit_free(&at_truth);
        free(known);
        sdc_table_free(t);
        sdc_findings_free(&f);
    }
    /* 9731 of them today: a run where every cell was solved exactly checks nothing */
    cr_assert_geq(certified, 1000, "only %zu cells were certified by cubes", certified);
}

/* A long A x B x C table with every margin ("Total"); V(i,j,k) below. */
static char *long_3d(int na, int nb, int nc, unsigned *seed, bool small_many)
{
    int vals[6][6][6] = {{{0}}};
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            for (int k = 0; k < nc; k++) {
                int r = (int)(next(seed) % 100);
                vals[i][j][k] = r < (small_many ? 20 : 8) ? 1 + r % 9 : 15 + r * 2;
            }
    size_t cap = 1 << 16, o = 0;
    char *s = malloc(cap);
    o += (size_t)snprintf(s, cap, "a,b,c,n\n");
    for (int i = 0; i <= na; i++)
        for (int j = 0; j <= nb; j++)
            for (int k = 0; k <= nc; k++) {
                int sum = 0;
                for (int x = 0; x < na; x++)
                    for (int y = 0; y < nb; y++)
                        for (int z = 0; z < nc; z++)
                            sum += (i == na || i == x) && (j == nb || j == y) && (k == nc || k == z)
                                       ? vals[x][y][z]
                                       : 0;
                char a[16], b[16], c[16];
                snprintf(a, sizeof a, i == na ? "Total" : "a%d", i);
                snprintf(b, sizeof b, j == nb ? "Total" : "b%d", j);
                snprintf(c, sizeof c, k == nc ? "Total" : "c%d", k);
                o += (size_t)snprintf(s + o, cap - o, "%s,%s,%s,%d\n", a, b, c, sum);
            }
    return s;
}

Test(scale, fix_with_cubes_on_random_3d_long_tables_rechecks_clean)
{
    unsigned seed = 31337;
    sdc_id_scanner *s = sdc_id_scanner_new(policy, NULL);
    for (int trial = 0; trial < 25; trial++) {
        char *csv = long_3d(3 + trial % 3, 3 + trial % 2, 4, &seed, trial % 2);
        sdc_findings f = {0};
        sdc_table *t = layout_csv(csv, policy, &f);
        sdc_findings_free(&f);
        cr_assert_not_null(t);
        sdc_protect_result res;
        cr_assert_eq(sdc_protect_heuristic(t, policy, s, 0, &res), 0);
        cr_assert(res.protected_ok, "trial %d:\n%s", trial, csv);
        char *text = sdc_test_table_text(t);
        sdc_findings again = check_csv(text, policy);
        cr_assert_eq(count_rule(&again, "threshold") + count_rule(&again, "secondary-recoverable") +
                         count_rule(&again, "secondary-narrow"),
                     0, "trial %d:\n%s", trial, text);
        sdc_findings_free(&again);
        free(text);
        free(csv);
    }
    sdc_id_scanner_free(s);
}

Test(scale, a_cell_recoverable_through_a_3d_margin_fails_and_its_cube_passes)
{
    /* 2 x 2 x 2 with margins. Hiding a1/b1/c1 alone: the (a1, b1, Total)
     * margin gives it back. Hiding the whole 2 x 2 x 2 cube of bottom
     * cells (each 20 or more): every line hides two cells, each cell can
     * move by 20 or more either way. */
    static const int v[2][2][2] = {{{20, 30}, {25, 40}}, {{35, 22}, {28, 31}}};
    for (int variant = 0; variant < 2; variant++) {
        size_t cap = 4096, o = 0;
        char *s = malloc(cap);
        o += (size_t)snprintf(s, cap, "a,b,c,n\n");
        for (int i = 0; i <= 2; i++)
            for (int j = 0; j <= 2; j++)
                for (int k = 0; k <= 2; k++) {
                    int sum = 0;
                    for (int x = 0; x < 2; x++)
                        for (int y = 0; y < 2; y++)
                            for (int z = 0; z < 2; z++)
                                if ((i == 2 || i == x) && (j == 2 || j == y) && (k == 2 || k == z))
                                    sum += v[x][y][z];
                    bool bottom = i < 2 && j < 2 && k < 2;
                    bool hidden = variant == 0 ? (i == 1 && j == 1 && k == 1) : bottom;
                    char a[8], b[8], c[8];
                    snprintf(a, sizeof a, i == 2 ? "Total" : "a%d", i);
                    snprintf(b, sizeof b, j == 2 ? "Total" : "b%d", j);
                    snprintf(c, sizeof c, k == 2 ? "Total" : "c%d", k);
                    if (hidden)
                        o += (size_t)snprintf(s + o, cap - o, "%s,%s,%s,c\n", a, b, c);
                    else
                        o += (size_t)snprintf(s + o, cap - o, "%s,%s,%s,%d\n", a, b, c, sum);
                }
        sdc_findings f = check_csv(s, policy);
        if (variant == 0) {
            cr_assert_eq(count_rule(&f, "secondary-recoverable"), 1, "%s", s);
            cr_assert(strstr(find_rule(&f, "secondary-recoverable")->message, "31"));
        } else {
            cr_assert_eq(count_rule(&f, "secondary-recoverable") +
                             count_rule(&f, "secondary-narrow"),
                         0, "%s", s);
            cr_assert_eq(sdc_findings_verdict(&f), SDC_PASS, "%s", s);
        }
        sdc_findings_free(&f);
        free(s);
    }
}
