/* test_audit.c - feasibility intervals of suppressed cells (doc/design.md, "Secondary
 * suppression"), checked against intervals worked out by hand in each comment. */
#include <criterion/criterion.h>
#include <math.h>

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
TestSuite(audit, .init = setup, .fini = teardown);

/* The interval of the suppressed cell at body row R, column named COL. */
static const sdc_audit_cell *cell_at(const sdc_audit *a, const sdc_table *t, size_t r,
                                     const char *col)
{
    long c = sdc_table_column(t, col);
    for (size_t i = 0; i < a->count; i++)
        if (a->cells[i].row == r && (long)a->cells[i].col == c)
            return &a->cells[i];
    return NULL;
}

static void expect(const sdc_audit *a, const sdc_table *t, size_t r, const char *col, double lo,
                   double hi)
{
    const sdc_audit_cell *c = cell_at(a, t, r, col);
    cr_assert_not_null(c, "row %zu %s is not audited", r, col);
    cr_assert(c->solved);
    cr_assert(fabs(c->lo - lo) < 1e-9 && fabs(c->hi - hi) < 1e-9,
              "row %zu %s: [%g, %g], expected [%g, %g]", r, col, c->lo, c->hi, lo, hi);
}

static sdc_table *audit_csv(const char *csv, sdc_audit *a)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_findings_free(&f);
    cr_assert_not_null(t);
    cr_assert_eq(sdc_audit_table(t, policy, 10, 0, a), 0);
    return t;
}

Test(audit, a_lone_suppressed_cell_is_exact)
{
    /* North/Female = 30 - 18 */
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,Female,Male,Total\nNorth,c,18,30\nSouth,20,22,42\n"
                             "Total,32,40,72\n",
                             &a);
    cr_assert_eq(a.count, 1);
    expect(&a, t, 0, "Female", 12, 12);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

Test(audit, a_block_of_four_leaves_each_cell_an_interval)
{
    /* x1+x2=30, x3+x4=42, x1+x3=32, x2+x4=40, all >= 0:
     * x1 in [0,30], x2 = 30-x1 in [0,30], x3 = 32-x1 in [2,32], x4 = 10+x1 in [10,40] */
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,A,B,Total\nN,c,c,30\nS,c,c,42\nTotal,32,40,72\n", &a);
    cr_assert_eq(a.count, 4);
    cr_assert_eq(a.equations, 4);
    expect(&a, t, 0, "A", 0, 30);
    expect(&a, t, 0, "B", 0, 30);
    expect(&a, t, 1, "A", 2, 32);
    expect(&a, t, 1, "B", 10, 40);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

Test(audit, non_negativity_pins_cells_that_rank_alone_would_not)
{
    /* Row N: x1 + x2 + 20 = 20, so x1 = x2 = 0 only because neither can be
     * negative; then columns A and B give x3 = 15, x4 = 25. */
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,A,B,C,Total\nN,c,c,20,20\nS,15,25,30,70\n"
                             "Total,c,c,50,90\n",
                             &a);
    expect(&a, t, 0, "A", 0, 0);
    expect(&a, t, 0, "B", 0, 0);
    expect(&a, t, 2, "A", 15, 15);
    expect(&a, t, 2, "B", 25, 25);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

Test(audit, a_chain_across_rows_and_columns_recovers_every_cell)
{
    /* N/B = 40-10-20 = 10 (row N... no: row N has two hidden cells);
     * column C: x(N,C) = 30 - 12 = 18; row N: x(N,B) = 50 - 20 - 18 = 12;
     * column B: x(S,B) = 30 - 12 = 18. */
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,A,B,C,Total\nN,20,c,c,50\nS,25,c,12,55\n"
                             "Total,45,30,30,105\n",
                             &a);
    expect(&a, t, 0, "C", 18, 18);
    expect(&a, t, 0, "B", 12, 12);
    expect(&a, t, 1, "B", 18, 18);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

Test(audit, markers_bound_a_cell_rather_than_hide_it)
{
    /* "<10" is [0, 9]; with row total 15 - 10 = 5 for the pair:
     * x1 + x2 = 5, x1 in [0,5] */
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,A,B,C,Total\nN,<10,<10,10,15\n", &a);
    expect(&a, t, 0, "A", 0, 5);
    sdc_audit_free(&a);
    sdc_table_free(t);
    t = audit_csv("region,count\nN,<5\nS,40\n", &a);
    expect(&a, t, 0, "count", 0, 4);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

Test(audit, a_long_table_with_margins_is_audited_through_its_total_rows)
{
    /* region x sex in long form: North/F = 27 - 15 */
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,sex,n\nNorth,F,c\nNorth,M,15\nNorth,Total,27\n"
                             "South,F,20\nSouth,M,22\nSouth,Total,42\nAll,F,32\nAll,M,37\n"
                             "All,Total,69\n",
                             &a);
    expect(&a, t, 0, "n", 12, 12);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

Test(audit, totals_that_no_non_negative_values_satisfy_are_inconsistent)
{
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,A,B,Total\nN,c,50,30\nS,10,20,30\nTotal,c,70,60\n", &a);
    cr_assert(a.inconsistent);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

Test(audit, rules_report_recoverable_narrow_and_safe_cells)
{
    /* Narrow block: x1 in [0,8] (9 values), x2 in [4,12], x3 in [0,8],
     * x4 in [5,13]: every one narrower than the threshold of 10. */
    sdc_findings f = check_csv("region,A,B,Total\nN,c,c,12\nS,c,c,13\nTotal,8,17,25\n", policy);
    cr_assert_eq(count_rule(&f, "secondary-narrow"), 4);
    cr_assert_eq(count_rule(&f, "secondary-recoverable"), 0);
    cr_assert_eq(find_rule(&f, "secondary-narrow")->verdict, SDC_REVIEW);
    sdc_findings_free(&f);
    f = check_csv("region,A,B,Total\nN,c,c,300\nS,c,c,420\nTotal,320,400,720\n", policy);
    cr_assert_eq(count_rule(&f, "secondary-narrow") + count_rule(&f, "secondary-recoverable"), 0,
                 "a wide block is protected");
    sdc_findings_free(&f);
}

/* What a cell's interval means for the rules. */
static int verdict_of(const sdc_audit_cell *c, double need)
{
    if (isfinite(c->hi) && c->hi - c->lo < 1e-9)
        return 2; /* recoverable */
    double width = c->integer ? floor(c->hi) - ceil(c->lo) + 1 : c->hi - c->lo;
    return isfinite(c->hi) && width < need ? 1 : 0;
}

Test(audit, the_verdict_shortcut_never_changes_a_verdict)
{
    /* 200 random 6x6 tables with totals and 10-40% of cells suppressed:
     * every cell must get the same verdict from exact intervals and from
     * the seen-values shortcut. */
    unsigned seed = 12345;
    for (int trial = 0; trial < 200; trial++) {
        char csv[4096];
        int v[6][6], rs[6] = {0}, cs[6] = {0}, total = 0;
        size_t o = (size_t)snprintf(csv, sizeof csv, "region,a,b,c,d,e,f,Total\n");
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++) {
                seed = seed * 1103515245u + 12345u;
                v[i][j] = 1 + (int)((seed >> 16) % 30);
                rs[i] += v[i][j];
                cs[j] += v[i][j];
                total += v[i][j];
            }
        int pct = 10 + trial % 31;
        for (int i = 0; i < 6; i++) {
            o += (size_t)snprintf(csv + o, sizeof csv - o, "r%d", i);
            for (int j = 0; j < 6; j++) {
                seed = seed * 1103515245u + 12345u;
                bool hide = (int)((seed >> 16) % 100) < pct;
                o += hide ? (size_t)snprintf(csv + o, sizeof csv - o, ",c")
                          : (size_t)snprintf(csv + o, sizeof csv - o, ",%d", v[i][j]);
            }
            o += (size_t)snprintf(csv + o, sizeof csv - o, ",%d\n", rs[i]);
        }
        o += (size_t)snprintf(csv + o, sizeof csv - o, "Total");
        for (int j = 0; j < 6; j++)
            o += (size_t)snprintf(csv + o, sizeof csv - o, ",%d", cs[j]);
        snprintf(csv + o, sizeof csv - o, ",%d\n", total);

        sdc_findings f = {0};
        sdc_table *t = layout_csv(csv, policy, &f);
        sdc_audit exact = {0}, quick = {0};
        cr_assert_eq(sdc_audit_table(t, policy, 10, 0, &exact), 0);
        cr_assert_eq(sdc_audit_table(t, policy, 10, 10, &quick), 0);
        cr_assert_eq(exact.count, quick.count);
        for (size_t i = 0; i < exact.count; i++)
            cr_assert_eq(verdict_of(&exact.cells[i], 10), verdict_of(&quick.cells[i], 10),
                         "trial %d cell %zu: exact [%g, %g], quick [%g, %g]", trial, i,
                         exact.cells[i].lo, exact.cells[i].hi, quick.cells[i].lo,
                         quick.cells[i].hi);
        sdc_audit_free(&exact);
        sdc_audit_free(&quick);
        sdc_table_free(t);
        sdc_findings_free(&f);
    }
}

/* The one judgement of an audited cell, worked by hand. */
Test(audit, a_cell_is_judged_recoverable_narrow_or_protected_by_its_interval)
{
    sdc_audit_cell pinned = {.lo = 12, .hi = 12, .solved = true, .integer = true};
    sdc_audit_cell narrow = {.lo = 10, .hi = 14, .solved = true, .integer = true}; /* 5 values */
    sdc_audit_cell wide = {.lo = 0, .hi = 9, .solved = true, .integer = true};     /* 10 values */
    sdc_audit_cell open = {.lo = 3, .hi = INFINITY, .solved = true};
    sdc_audit_cell late = {.lo = 0, .hi = 0, .solved = false};
    cr_assert_eq(sdc_audit_judge(&pinned, 10), SDC_AUDIT_RECOVERABLE);
    cr_assert_eq(sdc_audit_judge(&narrow, 10), SDC_AUDIT_NARROW);
    cr_assert_eq(sdc_audit_judge(&narrow, 5), SDC_AUDIT_PROTECTED, "5 values are enough for 5");
    cr_assert_eq(sdc_audit_judge(&wide, 10), SDC_AUDIT_PROTECTED);
    cr_assert_eq(sdc_audit_judge(&open, 1e9), SDC_AUDIT_PROTECTED);
    cr_assert_eq(sdc_audit_judge(&late, 10), SDC_AUDIT_UNSOLVED);
    cr_assert(!sdc_audit_protected(&pinned, 0), "a pinned cell is never protected");
}

Test(audit, an_audit_verdict_is_its_worst_cell)
{
    sdc_audit_cell cells[] = {
        {.lo = 0, .hi = 9, .solved = true, .integer = true},
        {.lo = 10, .hi = 14, .solved = true, .integer = true},
        {.lo = 12, .hi = 12, .solved = true, .integer = true},
    };
    sdc_audit a = {.cells = cells, .count = 1};
    cr_assert_eq(sdc_audit_verdict(&a, 10), SDC_PASS);
    a.count = 2;
    cr_assert_eq(sdc_audit_verdict(&a, 10), SDC_REVIEW);
    a.count = 3;
    cr_assert_eq(sdc_audit_verdict(&a, 10), SDC_FAIL);
    sdc_audit late = {.cells = cells, .count = 1, .timed_out = true};
    cr_assert_eq(sdc_audit_verdict(&late, 10), SDC_REVIEW, "an audit that ran out of time");
    sdc_audit none = {.inconsistent = true};
    cr_assert_eq(sdc_audit_verdict(&none, 10), SDC_REVIEW, "totals that cannot all hold");
}

Test(audit, the_protection_asked_is_the_width_else_the_threshold)
{
    sdc_policy *p = sdc_policy_default();
    p->protection_width = 0;
    p->threshold = 10;
    cr_assert_eq(sdc_audit_need(p), 10);
    p->protection_width = 4;
    cr_assert_eq(sdc_audit_need(p), 4);
    sdc_policy_free(p);
}

/* fuzz/table found GLPK's interior point asserting (x[j] > 0.0) and
 * aborting the process on a count of 4e240 beside two markers: values
 * past 10^15 are beyond what doubles hold exactly and what GLPK's
 * tolerances solve, so such a measure is not audited; the rule says so
 * (review), never crashes and never passes the suppression. */
Test(audit, values_past_what_the_solver_reads_exactly_are_review_not_a_crash)
{
    sdc_findings f = check_csv(",,,,All\n+,4e240\n-\n", policy);
    const sdc_finding *r = find_rule(&f, "secondary-narrow");
    cr_assert_not_null(r, "the suppression of a table of huge values is not left unjudged");
    cr_assert_eq(r->verdict, SDC_REVIEW);
    cr_assert_not_null(strstr(r->message, "10^15"), "%s", r->message);
    sdc_findings_free(&f);

    /* The same in a readable table: North's hidden Female is 4e240 - 18,
     * which no double can tell from 4e240. */
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,Female,Male,Total\nNorth,c,18,4e240\nSouth,c,22,4e240\n"
                             "Total,8e240,40,8e240\n",
                             &a);
    cr_assert(a.too_large);
    cr_assert_eq(a.count, 2);
    cr_assert(!a.cells[0].solved && !a.cells[1].solved);
    cr_assert_eq(sdc_audit_verdict(&a, sdc_audit_need(policy)), SDC_REVIEW);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

/* A long table of NREGIONS regions, each hiding both sexes' count and
 * income beside its published total (no grand total: every region is a
 * block of its own). Region r counts 20 + r % 7 people with an income of
 * 1000 + r; with BAD, the last region publishes a male income of 2000
 * beside a total of 1999. */
static char *regions_csv(size_t nregions, bool bad)
{
    size_t cap = 64 + nregions * 96, len = 0;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    len += (size_t)snprintf(s + len, cap - len, "region,sex,n,income\n");
    for (size_t r = 0; r < nregions; r++) {
        bool last = bad && r + 1 == nregions;
        len += (size_t)snprintf(s + len, cap - len, "R%zu,Female,c,c\n", r);
        if (last)
            len += (size_t)snprintf(s + len, cap - len, "R%zu,Male,c,2000\n", r);
        else
            len += (size_t)snprintf(s + len, cap - len, "R%zu,Male,c,c\n", r);
        len += (size_t)snprintf(s + len, cap - len, "R%zu,Total,%zu,%zu\n", r, 20 + r % 7,
                                last ? (size_t)1999 : 1000 + r);
    }
    return s;
}

Test(audit, measures_audited_at_once_keep_their_own_intervals_and_order)
{
    /* 1,500 regions: 6,000 hidden cells in two measures, past the 2,000
     * from which the measures are audited on threads of their own
     * (audit.c). x_F + x_M = total, both >= 0: each is in [0, total], the
     * count's total 20 + r % 7 and the income's 1000 + r. The cells come
     * as one measure at a time: every count (rows in order), then every
     * income; 1,500 equations per measure. */
    size_t n = 1500;
    char *csv = regions_csv(n, false);
    sdc_audit a = {0};
    sdc_table *t = audit_csv(csv, &a);
    cr_assert_eq(a.count, 4 * n);
    cr_assert_eq(a.equations, 2 * n);
    cr_assert_not(a.inconsistent);
    cr_assert_not(a.timed_out);
    long ncol = sdc_table_column(t, "n"), icol = sdc_table_column(t, "income");
    for (size_t i = 0; i < a.count; i++) {
        const sdc_audit_cell *c = &a.cells[i];
        bool count = i < 2 * n;
        size_t r = (i % (2 * n)) / 2; /* the region: two hidden rows each */
        cr_assert_eq((long)c->col, count ? ncol : icol, "cell %zu: column %zu", i, c->col);
        cr_assert_eq(c->row, 3 * r + (i % 2), "cell %zu: row %zu", i, c->row);
        double total = count ? (double)(20 + r % 7) : (double)(1000 + r);
        cr_assert(c->solved && fabs(c->lo) < 1e-9 && fabs(c->hi - total) < 1e-9,
                  "cell %zu: [%g, %g], expected [0, %g]", i, c->lo, c->hi, total);
    }
    sdc_audit_free(&a);
    sdc_table_free(t);
    free(csv);
}

Test(audit, a_measure_audited_on_its_own_thread_still_makes_the_table_inconsistent)
{
    /* As above, but the last region's female income would be
     * 1999 - 2000 = -1 < 0: no values fit, in the income measure only
     * (audited on a thread of its own). */
    size_t n = 1500;
    char *csv = regions_csv(n, true);
    sdc_audit a = {0};
    sdc_table *t = audit_csv(csv, &a);
    cr_assert(a.inconsistent, "region 1499's income: x_F = 1999 - 2000 < 0");
    sdc_audit_free(&a);
    sdc_table_free(t);
    free(csv);
}

/* N regions, each a 2 x 2 block of hidden counts (sex by age) with its
 * margins published: every row and column of the block totals 100. With
 * BAD < N, region BAD's column B totals 101 instead: its rows sum to 200
 * and its columns to 201, so no values fit, although propagation alone,
 * a step of 1 a pass, does not see it within its passes. MEASURES columns
 * (1 to 4): the counts n, then income, value and amount, 3, 5 and 7 times
 * each count; BAD_IN: the one measure whose region BAD is so (-1: all). */
static const char *const block_measures[] = {"n", "income", "value", "amount"};
static const int block_times[] = {1, 3, 5, 7};

static char *blocks_csv_measures(size_t n, size_t bad, int bad_in, int measures)
{
    size_t cap = 64 + n * 9 * (40 + 8 * (size_t)measures), len = 0;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    len += (size_t)snprintf(s + len, cap - len, "region,sex,age");
    for (int k = 0; k < measures; k++)
        len += (size_t)snprintf(s + len, cap - len, ",%s", block_measures[k]);
    len += (size_t)snprintf(s + len, cap - len, "\n");
    const char *sex[] = {"F", "M", "Total"}, *age[] = {"A", "B", "Total"};
    for (size_t r = 0; r < n; r++)
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                int v = i < 2 && j < 2 ? -1 : (i == 2 && j == 2 ? 200 : 100);
                len += (size_t)snprintf(s + len, cap - len, "R%zu,%s,%s", r, sex[i], age[j]);
                for (int k = 0; k < measures; k++) {
                    int x = r == bad && i == 2 && j == 1 && (bad_in < 0 || bad_in == k) ? 101 : v;
                    len += x < 0 ? (size_t)snprintf(s + len, cap - len, ",c")
                                 : (size_t)snprintf(s + len, cap - len, ",%d", x * block_times[k]);
                }
                len += (size_t)snprintf(s + len, cap - len, "\n");
            }
    return s;
}

static char *blocks_csv_with(size_t n, size_t bad, bool income)
{
    return blocks_csv_measures(n, bad, -1, income ? 2 : 1);
}

static char *blocks_csv(size_t n, size_t bad)
{
    return blocks_csv_with(n, bad, false);
}

Test(audit, a_table_of_many_rows_is_audited_a_measure_at_a_time)
{
    /* 22,223 regions, 200,007 rows: past the 200,000 from which the
     * measures are audited one after another (audit.c), each measure's
     * blocks on every core. Each region's hidden count is in [0, 100]
     * (x + y = 100 along both its lines, x >= 0) and its income in
     * [0, 300]; the audit lists the counts' cells, then the incomes'. */
    size_t n = 22223;
    char *csv = blocks_csv_with(n, n, true);
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_findings_free(&f);
    cr_assert_not_null(t);
    cr_assert_geq(t->nrows, 200000);
    sdc_audit a = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 600, 0, &a), 0);
    cr_assert_eq(a.count, 2 * 4 * n);
    cr_assert(!a.inconsistent && !a.timed_out);
    for (size_t i = 0; i < a.count; i++) {
        const sdc_audit_cell *c = &a.cells[i];
        double hi = i < 4 * n ? 100 : 300;
        cr_assert_eq(c->col, i < 4 * n ? 3u : 4u, "cell %zu: column %zu", i, c->col);
        cr_assert(c->solved && fabs(c->lo) < 1e-9 && fabs(c->hi - hi) < 1e-9,
                  "row %zu col %zu: [%g, %g] solved %d, not [0, %g]", c->row, c->col, c->lo, c->hi,
                  c->solved, hi);
    }
    sdc_audit_free(&a);
    sdc_table_free(t);
    free(csv);
}

Test(audit, four_measures_a_measure_at_a_time_each_settled_as_alone)
{
    /* As above with four measures (the count, then income, value and
     * amount, 3, 5 and 7 times it): on two cores each measure is prepared
     * while the blocks of the one before are settled, in the share's
     * other slot (audit.c, pipeline_worker), so the slots are taken
     * twice each. Region 9,000's value has no solution: the audit is
     * inconsistent, and every other block of every measure is settled as
     * alone, each cell of measure k in [0, 100 t_k], listed measure after
     * measure. Three runs, for the threads' timing to vary. */
    size_t n = 22223, bad = 9000;
    char *csv = blocks_csv_measures(n, bad, 2, 4);
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_findings_free(&f);
    cr_assert_not_null(t);
    cr_assert_geq(t->nrows, 200000);
    for (int run = 0; run < 3; run++) {
        sdc_audit a = {0};
        cr_assert_eq(sdc_audit_table(t, policy, 600, 0, &a), 0);
        cr_assert_eq(a.count, 4 * 4 * n);
        cr_assert(a.inconsistent, "region %zu's value: rows sum to 1000, columns to 1005", bad);
        for (size_t i = 0; i < a.count; i++) {
            const sdc_audit_cell *c = &a.cells[i];
            size_t k = i / (4 * n);
            cr_assert_eq(c->col, 3 + k, "run %d, cell %zu: column %zu", run, i, c->col);
            if (k == 2 && c->row / 9 == bad)
                continue;
            double hi = 100.0 * block_times[k];
            cr_assert(c->solved && fabs(c->lo) < 1e-9 && fabs(c->hi - hi) < 1e-9,
                      "run %d, row %zu col %zu: [%g, %g] solved %d, not [0, %g]", run, c->row,
                      c->col, c->lo, c->hi, c->solved, hi);
        }
        sdc_audit_free(&a);
    }
    sdc_table_free(t);
    free(csv);
}

Test(audit, a_block_without_solution_leaves_the_others_settled_as_alone)
{
    /* 1,500 blocks of one measure, 6,000 hidden cells: past the 2,000
     * from which blocks are settled on every core (audit.c). Region 700's
     * block has no solution, so the audit is inconsistent; every other
     * block is settled as it would be alone, whichever thread took it and
     * whenever: each cell in [0, 100] (x + y = 100 along both its lines,
     * x >= 0). Three runs, for the threads' timing to vary. */
    size_t n = 1500, bad = 700;
    char *csv = blocks_csv(n, bad);
    for (int run = 0; run < 3; run++) {
        sdc_audit a = {0};
        sdc_table *t = audit_csv(csv, &a);
        cr_assert_eq(a.count, 4 * n);
        cr_assert(a.inconsistent, "region %zu: rows sum to 200, columns to 201", bad);
        for (size_t i = 0; i < a.count; i++) {
            const sdc_audit_cell *c = &a.cells[i];
            size_t r = c->row / 9;
            if (r != bad)
                cr_assert(c->solved && fabs(c->lo) < 1e-9 && fabs(c->hi - 100) < 1e-9,
                          "run %d, region %zu (row %zu): [%g, %g] solved %d", run, r, c->row, c->lo,
                          c->hi, c->solved);
        }
        sdc_audit_free(&a);
        sdc_table_free(t);
    }
    free(csv);
}
