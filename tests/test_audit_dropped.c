/* test_audit_dropped.c - the totals the audit leaves out, and why
 * (sdc_audit_dropped; doc/design.md, "Secondary suppression"), on tables
 * whose dropped totals are worked out by hand in each comment. */
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
TestSuite(dropped, .init = setup, .fini = teardown);

/* Lays out CSV and audits it (sdc_audit_table_consistent when CONSISTENT). */
static sdc_table *audit_csv(const char *csv, bool consistent, sdc_audit *a)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_findings_free(&f);
    cr_assert_not_null(t);
    int rc = consistent ? sdc_audit_table_consistent(t, policy, 10, 0, a)
                        : sdc_audit_table(t, policy, 10, 0, a);
    cr_assert_eq(rc, 0);
    return t;
}

/* Dropped total I is the cell at body row ROW, column COL, along label
 * column ALONG (NULL: the crosstab's columns), for WHY. */
static const sdc_audit_dropped *expect_dropped(const sdc_audit *a, const sdc_table *t, size_t i,
                                               size_t row, const char *col, const char *along,
                                               sdc_audit_drop why)
{
    cr_assert_lt(i, a->dropped);
    const sdc_audit_dropped *d = &a->dropped_totals[i];
    cr_assert_eq(d->row, row, "dropped %zu: row %zu", i, d->row);
    cr_assert_str_eq(t->columns[d->col].name, col);
    if (along)
        cr_assert_str_eq(t->columns[d->along].name, along);
    else
        cr_assert_eq(d->along, -1);
    cr_assert_eq(d->why, why, "dropped %zu: why %d", i, (int)d->why);
    cr_assert_eq(d->line, (long)row + 2, "the file line of body row %zu", row);
    return d;
}

static void expect_cell(const sdc_audit *a, const sdc_table *t, size_t r, const char *col,
                        double lo, double hi)
{
    long c = sdc_table_column(t, col);
    for (size_t i = 0; i < a->count; i++)
        if (a->cells[i].row == r && (long)a->cells[i].col == c) {
            cr_assert(a->cells[i].solved);
            cr_assert(fabs(a->cells[i].lo - lo) < 1e-9 && fabs(a->cells[i].hi - hi) < 1e-9,
                      "row %zu %s: [%g, %g], expected [%g, %g]", r, col, a->cells[i].lo,
                      a->cells[i].hi, lo, hi);
            return;
        }
    cr_assert_fail("row %zu %s is not audited", r, col);
}

Test(dropped, a_total_whose_line_holds_text_is_named_with_the_text_cell)
{
    /* N/C is NA (missing): row N (N/A + 40 + NA = 100) is no equation. The
     * equations: row S (S/A = 140 - 35 - 60 = 45) and column A (N/A = 100
     * - 45 - 50 = 5). Column C has no hidden cell: it is not audited, so
     * nothing there is dropped. */
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,A,B,C,Total\nN,c,40,NA,100\nS,c,35,60,140\n"
                             "E,50,55,70,175\nTotal,100,130,180,415\n",
                             false, &a);
    cr_assert_eq(a.equations, 2);
    cr_assert_eq(a.dropped, 1);
    const sdc_audit_dropped *d = expect_dropped(&a, t, 0, 0, "Total", NULL, SDC_AUDIT_DROP_TEXT);
    cr_assert_eq(d->other_row, 0);
    cr_assert_str_eq(t->columns[d->other_col].name, "C");
    cr_assert_eq(d->other_line, 2);
    expect_cell(&a, t, 0, "A", 5, 5);
    expect_cell(&a, t, 1, "A", 45, 45);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

Test(dropped, a_second_total_in_a_line_is_named_with_the_total_used)
{
    /* Total and All both total rows N and S: each row's equation uses
     * Total (the first), and All is dropped from it. Equations: rows N and
     * S, column A: N/A = 60 - 40 = 20, S/A = 55 - 35 = 20. Column All
     * hides nothing, nor does row Total: their totals are not listed. */
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,A,B,Total,All\nN,c,40,60,60\nS,c,35,55,55\n"
                             "Total,40,75,115,115\n",
                             false, &a);
    cr_assert_eq(a.equations, 3);
    cr_assert_eq(a.dropped, 2);
    for (size_t i = 0; i < 2; i++) {
        const sdc_audit_dropped *d =
            expect_dropped(&a, t, i, i, "All", NULL, SDC_AUDIT_DROP_SECOND_TOTAL);
        cr_assert_eq(d->other_row, i);
        cr_assert_str_eq(t->columns[d->other_col].name, "Total");
    }
    expect_cell(&a, t, 0, "A", 20, 20);
    expect_cell(&a, t, 1, "A", 20, 20);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

Test(dropped, a_total_that_contradicts_its_line_is_dropped_and_the_rest_audited)
{
    /* Row N: N/A + N/B + 50 = 40 cannot hold (50 > 40). Without it:
     * row S: S/A + S/B = 80; column A: N/A + S/A = 50; column B: N/B + S/B
     * = 60. With N/A = t: S/A = 50 - t, S/B = 30 + t, N/B = 30 - t, so t
     * in [0, 30]: every cell 31 values wide, protected. The contradiction
     * alone makes the audit review. Column Total hides nothing. */
    static const char csv[] = "region,A,B,C,Total\nN,c,c,50,40\nS,c,c,60,140\n"
                              "E,50,55,70,175\nTotal,100,115,180,395\n";
    sdc_audit a = {0};
    sdc_table *t = audit_csv(csv, false, &a);
    cr_assert(a.inconsistent, "sdc_audit_table drops no contradiction");
    cr_assert_eq(a.dropped, 0);
    sdc_audit_free(&a);
    sdc_table_free(t);

    t = audit_csv(csv, true, &a);
    cr_assert_not(a.inconsistent);
    cr_assert_eq(a.equations, 3);
    cr_assert_eq(a.dropped, 1);
    const sdc_audit_dropped *d =
        expect_dropped(&a, t, 0, 0, "Total", NULL, SDC_AUDIT_DROP_CONTRADICTS);
    cr_assert_eq(d->sum, 50, "its published parts sum to 50");
    expect_cell(&a, t, 0, "A", 0, 30);
    expect_cell(&a, t, 0, "B", 0, 30);
    expect_cell(&a, t, 1, "A", 20, 50);
    expect_cell(&a, t, 1, "B", 30, 60);
    cr_assert_eq(sdc_audit_verdict(&a, sdc_audit_need(policy)), SDC_REVIEW);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

/* A contradicting total is dropped from the lines it is a part of too. */
static const char beside_csv[] = "region,A,B,Total\nN,c,40,30\nS,c,35,c\nE,10,20,30\n"
                                 "Total,40,95,135\n";

Test(dropped, the_lines_a_contradicting_total_is_part_of_are_dropped_and_named)
{
    /* Row N: N/A + 40 = 30 cannot hold. N/Total is also a part of column
     * Total (30 + S/Total + 30 = 135), which hides S/Total: that line is
     * dropped beside it, naming N/Total. Left: row S (S/A + 35 =
     * S/Total) and column A (N/A + S/A = 30): N/A in [0, 30], S/A = 30 -
     * N/A, S/Total = S/A + 35 in [35, 65]. */
    sdc_audit a = {0};
    sdc_table *t = audit_csv(beside_csv, true, &a);
    cr_assert_not(a.inconsistent);
    cr_assert_eq(a.equations, 2);
    cr_assert_eq(a.dropped, 2);
    const sdc_audit_dropped *d =
        expect_dropped(&a, t, 0, 0, "Total", NULL, SDC_AUDIT_DROP_CONTRADICTS);
    cr_assert_eq(d->sum, 40);
    d = expect_dropped(&a, t, 1, 3, "Total", "region", SDC_AUDIT_DROP_BESIDE);
    cr_assert_eq(d->other_row, 0);
    cr_assert_str_eq(t->columns[d->other_col].name, "Total");
    expect_cell(&a, t, 0, "A", 0, 30);
    expect_cell(&a, t, 1, "A", 0, 30);
    expect_cell(&a, t, 1, "Total", 35, 65);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

Test(dropped, a_measure_too_large_to_solve_drops_every_total_and_uses_none)
{
    /* The equations would be rows North and South and column Female;
     * 4e240 is past 10^15, so none is used and all three are listed. */
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,Female,Male,Total\nNorth,c,18,4e240\nSouth,c,22,4e240\n"
                             "Total,8e240,40,8e240\n",
                             false, &a);
    cr_assert(a.too_large);
    cr_assert_eq(a.equations, 0);
    cr_assert_eq(a.dropped, 3);
    expect_dropped(&a, t, 0, 0, "Total", NULL, SDC_AUDIT_DROP_TOO_LARGE);
    expect_dropped(&a, t, 1, 1, "Total", NULL, SDC_AUDIT_DROP_TOO_LARGE);
    expect_dropped(&a, t, 2, 2, "Female", "region", SDC_AUDIT_DROP_TOO_LARGE);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

Test(dropped, a_table_whose_totals_are_all_usable_drops_none)
{
    sdc_audit a = {0};
    sdc_table *t = audit_csv("region,A,B,Total\nN,c,c,30\nS,c,c,42\nTotal,32,40,72\n", true, &a);
    cr_assert_eq(a.equations, 4);
    cr_assert_eq(a.dropped, 0);
    cr_assert_null(a.dropped_totals);
    sdc_audit_free(&a);
    sdc_table_free(t);
}

/* The audit's text for CSV (sdc_audit_write_text; caller frees). */
static char *audit_text(const char *csv)
{
    sdc_audit a = {0};
    sdc_table *t = audit_csv(csv, true, &a);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert_eq(sdc_audit_write_text("t.csv", t, &a, sdc_audit_need(policy), out), 0);
    fclose(out);
    sdc_audit_free(&a);
    sdc_table_free(t);
    return text;
}

static size_t occurrences(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

Test(dropped, the_audit_text_names_each_dropped_total_and_its_reason)
{
    char *text = audit_text(beside_csv);
    cr_assert_not_null(strstr(text, "t.csv: 3 suppressed cells, 2 totals used as equations, "
                                    "2 dropped\n"),
                       "%s", text);
    cr_assert_not_null(strstr(text, "  total dropped: line 2, N, Total (along the columns): it "
                                    "contradicts its line: no non-negative values of the "
                                    "suppressed parts make it add up (its published parts sum "
                                    "to 40)\n"),
                       "%s", text);
    cr_assert_not_null(strstr(text, "  total dropped: line 5, Total, Total (along region): a cell "
                                    "of its line (line 2, Total) is a total dropped for "
                                    "contradicting its own line\n"),
                       "%s", text);
    cr_assert_not_null(strstr(text, "  line 3, S, Total: [35, 65]  protected\n"), "%s", text);
    free(text);

    text = audit_text("region,A,B,Total,All\nN,c,40,60,60\nS,c,35,55,55\nTotal,40,75,115,115\n");
    cr_assert_not_null(strstr(text, "  total dropped: line 2, N, All (along the columns): its "
                                    "line already has a total (line 2, Total)\n"),
                       "%s", text);
    free(text);

    text = audit_text("region,A,B,C,Total\nN,c,40,NA,100\nS,c,35,60,140\n"
                      "E,50,55,70,175\nTotal,100,130,180,415\n");
    cr_assert_not_null(strstr(text, "  total dropped: line 2, N, Total (along the columns): a cell "
                                    "of its line is not a number (line 2, C)\n"),
                       "%s", text);
    free(text);
}

Test(dropped, the_audit_text_lists_twenty_dropped_totals_then_how_many_more)
{
    /* 25 rows, each hiding A beside a missing B: 25 row totals dropped
     * (column A, the only equation, hides all 25). */
    char csv[4096];
    size_t o = (size_t)snprintf(csv, sizeof csv, "region,A,B,Total\n");
    for (int i = 0; i < 25; i++)
        o += (size_t)snprintf(csv + o, sizeof csv - o, "r%02d,c,NA,10\n", i);
    snprintf(csv + o, sizeof csv - o, "Total,250,0,250\n");
    char *text = audit_text(csv);
    cr_assert_not_null(strstr(text, "25 suppressed cells, 1 total used as equations, 25 dropped"),
                       "%s", text);
    cr_assert_eq(occurrences(text, "  total dropped: "), 20, "%s", text);
    cr_assert_not_null(strstr(text, "  total dropped: line 21, r19, Total"), "%s", text);
    cr_assert_null(strstr(text, "r20, Total"), "the 21st is not listed:\n%s", text);
    cr_assert_not_null(strstr(text, "  and 5 more totals dropped\n"), "%s", text);
    free(text);
}
