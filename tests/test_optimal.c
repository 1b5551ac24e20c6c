/* test_optimal.c - optimal complementary suppression (--suppress optimal). */
#include <criterion/criterion.h>
#include <time.h>

#include "helpers.h"
#include "../bench/cube.h"
#include "protect/protect_heuristic.h"
#include "protect/protect_internal.h"

static sdc_policy *policy;
static sdc_id_scanner *scanner;
static void setup(void)
{
    policy = sdc_policy_default();
    policy->zeros_are_disclosive = false;
    scanner = sdc_id_scanner_new(policy, NULL);
}
static void teardown(void)
{
    sdc_id_scanner_free(scanner);
    sdc_policy_free(policy);
}
TestSuite(optimal, .init = setup, .fini = teardown);

Test(optimal, one_small_count_is_closed_by_the_cheapest_rectangle)
{
    /* N/A = 3 fails. Any protection needs a rectangle N/A, N/j, i/A, i/j
     * (one hidden cell alone in a row or column is given back), so three
     * complements; the four rectangles hide 210 (S,B), 180 (S,C),
     * 170 (E,B) and 75 (E,C): the optimum is E,C. */
    sdc_protect_result res;
    char *text = sdc_test_protect_text("region,A,B,C,Total\nN,3,80,30,113\nS,60,70,90,220\n"
                                       "E,25,65,20,110\nTotal,88,215,140,443\n",
                                       policy, scanner, SDC_SUPPRESS_OPTIMAL, 60, &res);
    cr_assert(res.optimal, "%s", res.note);
    cr_assert_not(res.fell_back);
    cr_assert(res.protected_ok);
    cr_assert_eq(res.primary, 1);
    cr_assert_eq(res.secondary, 3);
    cr_assert_not_null(strstr(text, "N,c,80,c,113"), "%s", text);
    cr_assert_not_null(strstr(text, "S,60,70,90,220"), "%s", text);
    cr_assert_not_null(strstr(text, "E,c,65,c,110"), "%s", text);
    cr_assert_eq(sdc_test_recheck_problems(text, policy), 0, "%s", text);
    free(text);
}

/* Found by trying random 3 x 3 tables against the heuristic: two small
 * counts in one row (r2: 6 and 1). The greedy rule opens a column for
 * each and then has to close them (7 complements, of which pruning gives
 * 2 back: 5). The optimum hides a 2 x 3 block, r2 and another row whole
 * (4 complements: that row's a, b, c and r2's a), every column then
 * hiding two cells: with r0 the block holds 432 of value, with r1 456, so
 * the optimal mode (fewest cells, then least value) takes r0. The
 * remove-and-repair search after the pruning finds a block of 4 too: with
 * a complement of the five given back and barred, the rounds close the
 * rectangles through a whole row instead. */
static const char *const greedy_loses =
    "region,a,b,c,Total\nr0,67,151,214,432\nr1,238,100,118,456\nr2,61,6,1,68\n"
    "Total,366,257,333,956\n";

Test(optimal, the_heuristic_repairs_where_greed_goes_wrong_to_the_optimum)
{
    sdc_protect_result heuristic, optimal;
    char *h = sdc_test_protect_text(greedy_loses, policy, scanner, SDC_SUPPRESS_HEURISTIC, 60,
                                    &heuristic);
    char *o =
        sdc_test_protect_text(greedy_loses, policy, scanner, SDC_SUPPRESS_OPTIMAL, 60, &optimal);
    cr_assert(heuristic.protected_ok);
    cr_assert(optimal.optimal, "%s", optimal.note);
    cr_assert_eq(heuristic.primary, 2);
    cr_assert_eq(optimal.primary, 2);
    cr_assert_eq(optimal.secondary, 4, "%s", o);
    cr_assert_eq(heuristic.secondary, 4, "%s", h);
    cr_assert_not_null(strstr(o, "r0,c,c,c,432"), "%s", o);
    cr_assert_not_null(strstr(o, "r1,238,100,118,456"), "%s", o);
    cr_assert_not_null(strstr(o, "r2,c,c,c,68"), "%s", o);
    cr_assert_not_null(strstr(h, "r2,c,c,c,68"), "%s", h);
    cr_assert((strstr(h, "r0,c,c,c,432") != NULL) != (strstr(h, "r1,c,c,c,456") != NULL), "%s", h);
    cr_assert_eq(sdc_test_recheck_problems(h, policy), 0, "%s", h);
    cr_assert_eq(sdc_test_recheck_problems(o, policy), 0, "%s", o);
    free(h);
    free(o);
}

/* Found by comparing the heuristic with the optimal mode on random 5 x 5
 * tables: seven counts below 10 (r2: 1, 9; r3: 4, 4, 1; r4: 1, 1). Column
 * c2 hides r4's 1 alone, so at least one complement is needed there; the
 * optimal mode (GLPK's branch and cut) needs 3 in all. The heuristic's
 * greedy rounds and pruning hide 5, and so does the remove-and-repair
 * search when every repair is the greedy rule's; repairing with the
 * cheapest rectangles at the true values as well reaches the 3. */
static const char *const rectangles_repair =
    "region,c0,c1,c2,c3,c4,Total\nr0,307,142,241,181,289,1160\nr1,277,103,220,160,181,941\n"
    "r2,82,1,148,166,9,406\nr3,181,4,121,4,1,311\nr4,178,211,1,1,94,485\n"
    "Total,1025,461,731,512,574,3303\n";

Test(optimal, the_heuristic_reaches_the_optimum_by_repairing_with_rectangles)
{
    sdc_protect_result heuristic, optimal;
    char *h = sdc_test_protect_text(rectangles_repair, policy, scanner, SDC_SUPPRESS_HEURISTIC, 60,
                                    &heuristic);
    char *o = sdc_test_protect_text(rectangles_repair, policy, scanner, SDC_SUPPRESS_OPTIMAL, 60,
                                    &optimal);
    cr_assert(optimal.optimal, "%s", optimal.note);
    cr_assert(heuristic.protected_ok);
    cr_assert_eq(heuristic.primary, 7);
    cr_assert_eq(optimal.primary, 7);
    cr_assert_eq(optimal.secondary, 3, "%s", o);
    cr_assert_eq(heuristic.secondary, 3, "%s", h);
    cr_assert_eq(sdc_test_recheck_problems(h, policy), 0, "%s", h);
    free(h);
    free(o);
}

/* A 4 x 4 table of counts with margins, some below the threshold. */
static void random_table(unsigned *seed, char *csv, size_t size)
{
    int v[4][4], rs[4] = {0}, cs[4] = {0}, total = 0;
    size_t o = (size_t)snprintf(csv, size, "region,a,b,c,d,Total\n");
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            *seed = *seed * 1103515245u + 12345u;
            int r = (int)((*seed >> 16) % 100);
            v[i][j] = r < 20 ? 1 + r % 9 : 10 + r * 3;
            rs[i] += v[i][j];
            cs[j] += v[i][j];
            total += v[i][j];
        }
    for (int i = 0; i < 4; i++) {
        o += (size_t)snprintf(csv + o, size - o, "r%d", i);
        for (int j = 0; j < 4; j++)
            o += (size_t)snprintf(csv + o, size - o, ",%d", v[i][j]);
        o += (size_t)snprintf(csv + o, size - o, ",%d\n", rs[i]);
    }
    o += (size_t)snprintf(csv + o, size - o, "Total");
    for (int j = 0; j < 4; j++)
        o += (size_t)snprintf(csv + o, size - o, ",%d", cs[j]);
    snprintf(csv + o, size - o, ",%d\n", total);
}

Test(optimal, random_tables_recheck_clean_with_no_more_cells_than_the_heuristic)
{
    unsigned seed = 2026;
    int compared = 0;
    for (int trial = 0; trial < 50; trial++) {
        char csv[1024];
        random_table(&seed, csv, sizeof csv);
        sdc_protect_result heuristic, optimal;
        char *h =
            sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_HEURISTIC, 60, &heuristic);
        char *o = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_OPTIMAL, 60, &optimal);
        cr_assert(optimal.optimal, "trial %d: %s\n%s", trial, optimal.note, csv);
        cr_assert(optimal.protected_ok, "trial %d", trial);
        cr_assert_eq(sdc_test_recheck_problems(o, policy), 0, "trial %d:\n%s", trial, o);
        if (heuristic.protected_ok) {
            compared++;
            cr_assert_leq(optimal.secondary, heuristic.secondary, "trial %d:\n%s\n%s", trial, h, o);
        }
        free(h);
        free(o);
    }
    /* every heuristic answer is protected today, so every trial compares */
    cr_assert_geq(compared, 45, "only %d of 50 trials compared (all 50 did)", compared);
}

Test(optimal, a_table_with_nothing_to_protect_is_left_alone)
{
    sdc_findings f = {0};
    sdc_table *t =
        layout_csv("region,A,B,Total\nN,30,40,70\nS,50,60,110\nTotal,80,100,180\n", policy, &f);
    size_t added = 99;
    char why[128];
    cr_assert_eq(sdc_protect_optimal(t, policy, NULL, 10, &added, why, sizeof why), 1, "%s", why);
    cr_assert_eq(added, 0);
    for (size_t k = 0; k < t->nrows * t->ncols; k++)
        cr_assert_neq(t->cells[k].kind, SDC_CELL_SUPPRESSED);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(optimal, a_hidden_magnitude_gets_a_width_in_value_not_in_counts)
{
    /* A long table: turnover of region x sex with both margins, N/F
     * hidden in the file. Three complements close a rectangle; the
     * cheapest is N/M, S/F, S/M (2000 + 1500 + 1800). */
    sdc_findings f = {0};
    sdc_table *t = layout_csv("region,sex,turnover\nN,F,c\nN,M,2000\nN,Total,2700\n"
                              "S,F,1500\nS,M,1800\nS,Total,3300\nE,F,4000\nE,M,5000\n"
                              "E,Total,9000\nTotal,F,6200\nTotal,M,8800\nTotal,Total,15000\n",
                              policy, &f);
    cr_assert_eq(t->shape, SDC_SHAPE_LONG);
    cr_assert_eq(t->columns[2].role, SDC_COL_MAGNITUDE);
    size_t added = 0;
    char why[128];
    cr_assert_eq(sdc_protect_optimal(t, policy, NULL, 10, &added, why, sizeof why), 1, "%s", why);
    cr_assert_eq(added, 3);
    for (size_t r = 0; r < 5; r++)
        cr_assert_eq(sdc_table_cell(t, r, 2)->kind, r == 2 ? SDC_CELL_NUMBER : SDC_CELL_SUPPRESSED,
                     "row %zu", r);
    sdc_audit a = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 10, 0, &a), 0);
    cr_assert_eq(a.count, 4);
    for (size_t i = 0; i < a.count; i++)
        cr_assert_geq(a.cells[i].hi - a.cells[i].lo, policy->threshold);
    sdc_audit_free(&a);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(optimal, a_cell_no_pattern_can_protect_is_declined_with_the_reason)
{
    /* "<5" says the hidden count is 0 to 4: five values, never ten. */
    sdc_findings f = {0};
    sdc_table *t =
        layout_csv("region,A,B,Total\nN,<5,40,43\nS,50,60,110\nTotal,53,100,153\n", policy, &f);
    size_t added = 0;
    char why[128];
    cr_assert_eq(sdc_protect_optimal(t, policy, NULL, 10, &added, why, sizeof why), 0);
    cr_assert_not_null(strstr(why, "no suppression pattern"), "%s", why);
    cr_assert_eq(added, 0);
    cr_assert_eq(sdc_table_cell(t, 0, 2)->kind, SDC_CELL_NUMBER, "T is left as it was");
    sdc_table_free(t);
    sdc_findings_free(&f);
}

/* An N x N crosstab with margins and a few small counts (malloc'd). */
static char *square_table(int n)
{
    size_t cap = (size_t)(n + 2) * (size_t)(n + 2) * 8 + 64, o = 0;
    char *s = malloc(cap);
    long *col = calloc((size_t)n, sizeof *col), grand = 0;
    o += (size_t)snprintf(s + o, cap - o, "region");
    for (int j = 0; j < n; j++)
        o += (size_t)snprintf(s + o, cap - o, ",c%d", j);
    o += (size_t)snprintf(s + o, cap - o, ",Total\n");
    for (int i = 0; i < n; i++) {
        long row = 0;
        o += (size_t)snprintf(s + o, cap - o, "r%d", i);
        for (int j = 0; j < n; j++) {
            long v = (i * 7 + j * 13) % 29 == 0 ? 3 : 20 + (i * 31 + j * 17) % 90;
            row += v;
            col[j] += v;
            o += (size_t)snprintf(s + o, cap - o, ",%ld", v);
        }
        grand += row;
        o += (size_t)snprintf(s + o, cap - o, ",%ld\n", row);
    }
    o += (size_t)snprintf(s + o, cap - o, "Total");
    for (int j = 0; j < n; j++)
        o += (size_t)snprintf(s + o, cap - o, ",%ld", col[j]);
    snprintf(s + o, cap - o, ",%ld\n", grand);
    free(col);
    return s;
}

Test(optimal, a_table_too_large_is_declined_and_the_heuristic_says_why)
{
    char *csv = square_table(50); /* 51 x 51 = 2601 cells */
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_protect_primary(t, policy, scanner);
    size_t added = 0;
    char why[128];
    cr_assert_eq(sdc_protect_optimal(t, policy, NULL, 10, &added, why, sizeof why), 0);
    cr_assert_not_null(strstr(why, "table of 2601 cells is larger than"), "%s", why);
    sdc_table_free(t);
    sdc_findings_free(&f);

    sdc_protect_result res;
    char *text = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_OPTIMAL, 10, &res);
    cr_assert(res.fell_back);
    cr_assert_not(res.optimal);
    cr_assert(res.protected_ok, "the heuristic protected it");
    cr_assert(res.primary > 0 && res.secondary > 0);
    cr_assert_not_null(strstr(res.note, "larger than"), "%s", res.note);
    cr_assert_not_null(strstr(res.note, "heuristic instead"), "%s", res.note);
    cr_assert_eq(res.subtables, 0, "a crosstab has no hierarchy to split");
    free(text);
    free(csv);
}

Test(optimal, a_tiny_time_limit_falls_back_without_hanging)
{
    char *csv = square_table(12);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sdc_protect_result res;
    char *text = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_OPTIMAL, 1e-6, &res);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_assert(res.fell_back);
    cr_assert_not_null(strstr(res.note, "did not finish"), "%s", res.note);
    cr_assert(res.protected_ok);
    cr_assert_lt((double)(t1.tv_sec - t0.tv_sec), 10.0);
    cr_assert_eq(sdc_test_recheck_problems(text, policy), 0, "%s", text);
    free(text);
    free(csv);
}

/* Values past 10^15 are beyond what GLPK solves reliably (fuzz/table found
 * its interior point aborting on 4e240): the optimal mode declines such a
 * table and says why, and the heuristic's own audit leaves it unprotected
 * rather than guessing. */
Test(optimal, a_table_of_values_past_ten_to_the_fifteen_is_declined)
{
    const char *csv = "region,A,B,Total\nN,3,5e300,5e300\nS,20,22,42\nTotal,23,5e300,5e300\n";
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_protect_primary(t, policy, scanner);
    size_t added = 0;
    char why[128];
    cr_assert_eq(sdc_protect_optimal(t, policy, NULL, 10, &added, why, sizeof why), 0);
    cr_assert_not_null(strstr(why, "values past 10^15"), "%s", why);
    sdc_table_free(t);
    sdc_findings_free(&f);

    sdc_protect_result res;
    char *text = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_OPTIMAL, 10, &res);
    cr_assert(res.fell_back);
    cr_assert_not(res.protected_ok, "a table the audit cannot read is never said protected");
    free(text);
}

/* The interval the audit (exact) gives the cell in row ROW_LABEL, column
 * COL of the written table TEXT; every hidden cell of it must be protected
 * at the policy's width too. */
static sdc_audit_cell audited(const char *text, const char *row_label, const char *col)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv(text, policy, &f);
    sdc_findings_free(&f);
    cr_assert_not_null(t);
    sdc_audit a = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 30, 0, &a), 0);
    cr_assert_not(a.inconsistent || a.timed_out || a.too_large);
    sdc_audit_cell found = {0};
    bool seen = false;
    for (size_t i = 0; i < a.count; i++) {
        cr_assert(sdc_audit_protected(&a.cells[i], sdc_audit_need(policy)), "%s", text);
        if (strcmp(sdc_table_cell(t, a.cells[i].row, 0)->text, row_label) == 0 &&
            strcmp(t->columns[a.cells[i].col].name, col) == 0) {
            found = a.cells[i];
            seen = true;
        }
    }
    cr_assert(seen, "%s/%s is not hidden:\n%s", row_label, col, text);
    sdc_audit_free(&a);
    sdc_table_free(t);
    return found;
}

/* The table of one_small_count_is_closed_by_the_cheapest_rectangle: N/A = 3
 * is the sensitive cell. Three complements are the fewest (a rectangle
 * through N/A: a partner in row N, one in column A, and the corner), and
 * of the nine rectangles the optimum is the one hiding least value. The
 * attacker raises N/A by d while its row and column partners fall by d,
 * so N/A can rise by the smaller of the two partners; it can fall by 3
 * (to 0) in all of them (every corner is at least 3). Row partner, column
 * partner, corner: value hidden, how far N/A can rise:
 *   N/B S/A S/B 210 60   N/B E/A E/B 170 25   N/B T/A T/B 383 80
 *   N/C S/A S/C 180 30   N/C E/A E/C  75 25   N/C T/A T/C 258 30
 *   N/T S/A S/T 393 60   N/T E/A E/T 248 25   N/T T/A T/T 644 unbounded
 * The width alone (10 values) takes E/C's rectangle (75). */
static const char *const one_small =
    "region,A,B,C,Total\nN,3,80,30,113\nS,60,70,90,220\nE,25,65,20,110\nTotal,88,215,140,443\n";

Test(optimal, an_upper_protection_level_moves_the_optimum_to_the_cheapest_rectangle_that_reaches_it)
{
    /* protection_upper 10: N/A must reach 3 + 30 = 33. The rectangles
     * that rise 30 or more: 210, 383, 180, 258, 393, 644; the least is
     * N/C, S/A, S/C (180). N/A then lies in [0, 33]: N/A + N/C = 33. */
    policy->protection_upper = 10;
    sdc_protect_result res;
    char *text = sdc_test_protect_text(one_small, policy, scanner, SDC_SUPPRESS_OPTIMAL, 60, &res);
    cr_assert(res.optimal, "%s", res.note);
    cr_assert_not(res.fell_back, "%s", res.note);
    cr_assert(res.protected_ok);
    cr_assert_eq(res.primary, 1);
    cr_assert_eq(res.secondary, 3, "%s", text);
    cr_assert_not_null(strstr(text, "N,c,80,c,113"), "%s", text);
    cr_assert_not_null(strstr(text, "S,c,70,c,220"), "%s", text);
    cr_assert_not_null(strstr(text, "E,25,65,20,110"), "%s", text);
    sdc_audit_cell c = audited(text, "N", "A");
    cr_assert_eq(c.lo, 0);
    cr_assert_eq(c.hi, 33);
    cr_assert_eq(sdc_test_recheck_problems(text, policy), 0, "%s", text);
    free(text);
}

Test(optimal, an_upper_level_reached_exactly_by_the_optimum_is_met)
{
    /* protection_upper 20: N/A must reach 3 + 60 = 63. The rectangles
     * that rise 60 or more: 210, 383, 393, 644; the least is N/B, S/A,
     * S/B (210), where N/A + S/A = 63 puts N/A in [0, 63]: the level
     * exactly. */
    policy->protection_upper = 20;
    sdc_protect_result res;
    char *text = sdc_test_protect_text(one_small, policy, scanner, SDC_SUPPRESS_OPTIMAL, 60, &res);
    cr_assert(res.optimal, "%s", res.note);
    cr_assert_eq(res.secondary, 3, "%s", text);
    cr_assert_not_null(strstr(text, "N,c,c,30,113"), "%s", text);
    cr_assert_not_null(strstr(text, "S,c,c,90,220"), "%s", text);
    cr_assert_not_null(strstr(text, "E,25,65,20,110"), "%s", text);
    sdc_audit_cell c = audited(text, "N", "A");
    cr_assert_eq(c.lo, 0);
    cr_assert_eq(c.hi, 63);
    free(text);
}

Test(optimal, a_lower_protection_level_refuses_a_rectangle_whose_corner_is_zero)
{
    /* N/A = 5 fails. N/A falls by d while the corner of its rectangle falls
     * by d too, so it can fall by the smaller of 5 and the corner. The
     * rectangles (as above; T the margins): N/B S/A S/B 210, N/B E/A E/B
     * 170, N/B T/A T/B 385, N/C S/A S/C 180, N/C E/A E/C 55, N/C T/A T/C
     * 240, N/T S/A S/T 395, N/T E/A E/T 230, N/T T/A T/T 630. By width
     * alone E/C's (55) wins: N/A rises 25, though it cannot fall (E/C is
     * 0). protection_lower 1 asks N/A to reach 5 - 5 = 0: every other
     * rectangle's corner is 5 or more, and the least of them is N/B, E/A,
     * E/B (170), N/A in [0, 30] (N/A + E/A = 30). */
    static const char csv[] = "region,A,B,C,Total\nN,5,80,30,115\nS,60,70,90,220\n"
                              "E,25,65,0,90\nTotal,90,215,120,425\n";
    sdc_protect_result res;
    char *text = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_OPTIMAL, 60, &res);
    cr_assert(res.optimal, "%s", res.note);
    cr_assert_eq(res.primary, 1);
    cr_assert_eq(res.secondary, 3, "%s", text);
    cr_assert_not_null(strstr(text, "N,c,80,c,115"), "width only:\n%s", text);
    cr_assert_not_null(strstr(text, "E,c,65,c,90"), "width only:\n%s", text);
    sdc_audit_cell c = audited(text, "N", "A");
    cr_assert_eq(c.lo, 5, "the width alone leaves N/A no room below: %s", text);
    free(text);

    policy->protection_lower = 1;
    text = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_OPTIMAL, 60, &res);
    cr_assert(res.optimal, "%s", res.note);
    cr_assert_not(res.fell_back, "%s", res.note);
    cr_assert(res.protected_ok);
    cr_assert_eq(res.primary, 1);
    cr_assert_eq(res.secondary, 3, "%s", text);
    cr_assert_not_null(strstr(text, "N,c,c,30,115"), "%s", text);
    cr_assert_not_null(strstr(text, "S,60,70,90,220"), "%s", text);
    cr_assert_not_null(strstr(text, "E,c,c,0,90"), "%s", text);
    c = audited(text, "N", "A");
    cr_assert_eq(c.lo, 0);
    cr_assert_eq(c.hi, 30);
    cr_assert_eq(sdc_test_recheck_problems(text, policy), 0, "%s", text);
    free(text);
}

/* Judges the written table TEXT as the heuristic does with protection
 * levels: every cell of GIVEN below the threshold (the primary cells) is
 * hidden and reaches its value times (1 - lower) and (1 + upper). */
static bool levels_met(const char *given, const char *text)
{
    sdc_findings f = {0};
    sdc_table *g = layout_csv(given, policy, &f), *t = layout_csv(text, policy, &f);
    sdc_findings_free(&f);
    cr_assert(g && t && g->nrows == t->nrows && g->ncols == t->ncols);
    sdc_audit a = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 30, 0, &a), 0);
    bool ok = !a.inconsistent && !a.timed_out;
    for (size_t r = 0; r < g->nrows && ok; r++)
        for (size_t c = 1; c < g->ncols && ok; c++) {
            double v = sdc_table_cell(g, r, c)->number;
            if (!(v > 0 && v < policy->threshold))
                continue;
            bool hidden = false;
            for (size_t i = 0; i < a.count; i++)
                if (a.cells[i].row == r && a.cells[i].col == c) {
                    hidden = true;
                    ok = a.cells[i].lo <= v * (1 - policy->protection_lower) + 1e-9 &&
                         a.cells[i].hi >= v * (1 + policy->protection_upper) - 1e-9;
                }
            ok &= hidden;
        }
    sdc_audit_free(&a);
    sdc_table_free(g);
    sdc_table_free(t);
    return ok;
}

Test(optimal, random_tables_with_levels_meet_them_with_no_more_cells_than_the_heuristic)
{
    policy->protection_lower = 0.5;
    policy->protection_upper = 4;
    unsigned seed = 13;
    int compared = 0;
    for (int trial = 0; trial < 20; trial++) {
        char csv[1024];
        random_table(&seed, csv, sizeof csv);
        sdc_protect_result heuristic, optimal;
        char *h =
            sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_HEURISTIC, 60, &heuristic);
        char *o = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_OPTIMAL, 60, &optimal);
        cr_assert(optimal.optimal, "trial %d: %s\n%s", trial, optimal.note, csv);
        cr_assert(optimal.protected_ok, "trial %d", trial);
        cr_assert(levels_met(csv, o), "trial %d:\n%s\n%s", trial, csv, o);
        cr_assert_eq(sdc_test_recheck_problems(o, policy), 0, "trial %d:\n%s", trial, o);
        if (heuristic.protected_ok && levels_met(csv, h)) {
            compared++;
            cr_assert_leq(optimal.secondary, heuristic.secondary, "trial %d:\n%s\n%s", trial, h, o);
        }
        free(h);
        free(o);
    }
    /* 17 of 20 compare today */
    cr_assert_geq(compared, 10, "only %d of 20 trials compared", compared);
}

Test(optimal, a_sensitive_magnitude_gets_its_upper_level_in_value)
{
    /* The long table of a_hidden_magnitude_gets_a_width_in_value_not_in_counts
     * with N/F = 700 published, then hidden by hand: a sensitive cell. Its
     * rectangles (row partner, column partner, corner: value hidden, how
     * far N/F can rise; it can fall 700 in all):
     *   N/M S/F S/M 5300 1500    N/M E/F E/M 11000 2000    N/M T/F T/M 17000 2000
     *   N/T S/F S/T 7500 1500    N/T E/F E/T 15700 4000    N/T T/F T/T 23900 unbounded
     * protection_upper 3 asks 2100: N/Total, E/F, E/Total (15700), not the
     * width's N/M, S/F, S/M. N/F then lies in [0, 4700]: N/F + E/F = 6200
     * - 1500. */
    policy->protection_upper = 3;
    sdc_findings f = {0};
    sdc_table *t = layout_csv("region,sex,turnover\nN,F,700\nN,M,2000\nN,Total,2700\n"
                              "S,F,1500\nS,M,1800\nS,Total,3300\nE,F,4000\nE,M,5000\n"
                              "E,Total,9000\nTotal,F,6200\nTotal,M,8800\nTotal,Total,15000\n",
                              policy, &f);
    cr_assert_eq(t->columns[2].role, SDC_COL_MAGNITUDE);
    size_t ncells = t->nrows * t->ncols;
    sdc_cell *given = malloc(ncells * sizeof *given);
    memcpy(given, t->cells, ncells * sizeof *given);
    cr_assert(sdc_protect_suppress(t, 0, 2, "c"));
    size_t added = 0;
    char why[128];
    cr_assert_eq(sdc_protect_optimal(t, policy, given, 10, &added, why, sizeof why), 1, "%s", why);
    cr_assert_eq(added, 3);
    for (size_t r = 0; r < t->nrows; r++)
        cr_assert_eq(sdc_table_cell(t, r, 2)->kind,
                     r == 0 || r == 2 || r == 6 || r == 8 ? SDC_CELL_SUPPRESSED : SDC_CELL_NUMBER,
                     "row %zu", r);
    sdc_audit a = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 10, 0, &a), 0);
    cr_assert_eq(a.count, 4);
    cr_assert_eq(a.cells[0].row, 0);
    cr_assert_eq(a.cells[0].lo, 0);
    cr_assert_eq(a.cells[0].hi, 4700);
    sdc_audit_free(&a);

    /* Without GIVEN no cell is known to be sensitive: the width's pattern. */
    memcpy(t->cells, given, ncells * sizeof *given);
    cr_assert(sdc_protect_suppress(t, 0, 2, "c"));
    cr_assert_eq(sdc_protect_optimal(t, policy, NULL, 10, &added, why, sizeof why), 1, "%s", why);
    for (size_t r = 0; r < 5; r++)
        cr_assert_eq(sdc_table_cell(t, r, 2)->kind, r == 2 ? SDC_CELL_NUMBER : SDC_CELL_SUPPRESSED,
                     "row %zu", r);
    free(given);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

/*
 * Five dimensions: tables of 3 x 3 x 2 x 2 x 2 categories with every
 * margin (bench/cube.h: the tables of bench/optimal.sh's five-dimensional
 * run at 3 x 3, its seeds 1, 3, 6 and 10, whose optimum GLPK finds in
 * under a second). There a
 * complement the greedy rule gives one line opens lines in the other
 * dimensions, and a hypercube closes them all at once, so the heuristic
 * chooses cubes first whatever the table's size. Against the optimum
 * (GLPK's MIP, the external reference): 49 + 45 + 54 + 45 = 193
 * complements on these four; the greedy rule first hid 345 (+79%), cubes
 * first 239 (+24%), and the best of eight starts (cube_starts) 219
 * (+13%). At most the 25% more is asked.
 */
Test(optimal, in_five_dimensions_the_heuristic_stays_within_a_quarter_of_the_optimum,
     .timeout = 240)
{
    const int seeds[] = {3001, 3003, 3006, 3010};
    size_t heuristic = 0, optimum = 0;
    for (size_t k = 0; k < sizeof seeds / sizeof *seeds; k++) {
        char *csv = sdc_bench_cube_csv(3, (uint64_t)seeds[k], 10);
        cr_assert_not_null(csv);
        sdc_protect_result h, o;
        char *ht = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_HEURISTIC, 60, &h);
        char *ot = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_OPTIMAL, 60, &o);
        cr_assert(h.protected_ok && o.protected_ok && o.optimal, "seed %d: %s", seeds[k], o.note);
        cr_assert_eq(h.primary, o.primary);
        cr_assert_geq(h.secondary, o.secondary, "seed %d: the optimum is the fewest", seeds[k]);
        cr_assert_eq(sdc_test_recheck_problems(ht, policy), 0, "seed %d", seeds[k]);
        heuristic += h.secondary;
        optimum += o.secondary;
        free(ht);
        free(ot);
        free(csv);
    }
    cr_assert_eq(optimum, 193, "heuristic %zu, optimum %zu", heuristic, optimum);
    cr_assert_leq(heuristic * 100, optimum * 125, "heuristic %zu, optimum %zu", heuristic, optimum);
}

/*
 * A table of 6 x 6 x 2 x 2 x 2 categories with every margin (bench/cube.h,
 * bench/optimal.sh's seed 3 at 6 x 6, whose optimum GLPK proves in
 * seconds; the other seeds there take up to minutes): 1,323 rows of five
 * labels and a count, 7,938 table cells but 1,323 that a pattern can
 * hide. The pruning and the further starts are for tables of at most
 * 5,000 cells that can be hidden; counted with its label columns this
 * table got neither, and the heuristic hid 163 complements against the
 * optimum's 115 (+42%). At most the 25% more is asked (143).
 */
Test(optimal, a_five_dimensional_table_past_five_thousand_cells_with_its_labels_is_still_pruned,
     .timeout = 240)
{
    char *csv = sdc_bench_cube_csv(6, 6003, 10);
    cr_assert_not_null(csv);
    sdc_protect_result h, o;
    char *ht = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_HEURISTIC, 60, &h);
    char *ot = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_OPTIMAL, 60, &o);
    cr_assert(h.protected_ok && o.protected_ok && o.optimal, "%s", o.note);
    cr_assert_eq(h.primary, o.primary);
    cr_assert_eq(o.secondary, 115);
    cr_assert_leq(h.secondary * 100, o.secondary * 125, "heuristic %zu, optimum %zu", h.secondary,
                  o.secondary);
    cr_assert_eq(sdc_test_recheck_problems(ht, policy), 0);
    free(ht);
    free(ot);
    free(csv);
}

/* CSV protected by the heuristic with STARTS starts (RES filled): the
 * table written, as CSV text (caller frees). */
static char *protect_starts(const char *csv, unsigned starts, sdc_protect_result *res)
{
    sdc_table *t = sdc_test_layout(csv, policy);
    cr_assert_eq(sdc_protect_heuristic_starts(t, policy, scanner, starts, res), 0);
    return sdc_test_table_text(t);
}

/*
 * Each cube is the cheapest given the cells hidden before it, so the
 * pattern depends on the order the cells get theirs in: on a small table
 * of three dimensions or more the rounds run again from seven shuffled
 * orders and the pattern with the fewest complements is kept. The first
 * order's pattern is among those compared, so eight starts never hide
 * more than one; on the first five tables of bench/optimal.sh's 3 x 3 x 2
 * x 2 x 2 run they must hide fewer in all, and what they write must pass
 * `check`.
 */
Test(optimal, in_five_dimensions_more_starts_never_hide_more_and_hide_fewer_in_all, .timeout = 240)
{
    size_t one = 0, eight = 0;
    for (int seed = 3001; seed <= 3005; seed++) {
        char *csv = sdc_bench_cube_csv(3, (uint64_t)seed, 10);
        cr_assert_not_null(csv);
        sdc_protect_result a, b;
        char *at = protect_starts(csv, 1, &a), *bt = protect_starts(csv, 8, &b);
        cr_assert(a.protected_ok && b.protected_ok, "seed %d", seed);
        cr_assert_eq(a.primary, b.primary);
        cr_assert_leq(b.secondary, a.secondary, "seed %d", seed);
        cr_assert_eq(sdc_test_recheck_problems(bt, policy), 0, "seed %d", seed);
        one += a.secondary;
        eight += b.secondary;
        free(at);
        free(bt);
        free(csv);
    }
    cr_assert_lt(eight, one, "eight starts %zu, one %zu", eight, one);
}

/*
 * The quick mode's wider cubes, by hand. A 3 x 3 x 3 table of counts
 * (categories a, b, c and Total in each dimension, every margin) whose
 * only cell below the threshold is (a, a, a) = 3; (b, a, a) = 20, the
 * other cells of {a, b}^3 22, every cell with a c in it 40. The policy
 * asks a width of 20 (counts: 20 values, a range of 19). Every cube
 * through (a, a, a) hides its 7 other corners, all published, so the
 * heuristic takes the one holding least:
 *  - partners (b, b, b): 20 + 6 x 22 = 152. Against the cell move (b, a,
 *    a) = 20, (a, b, a), (a, a, b), (b, b, b) = 22; with it (b, b, a),
 *    (b, a, b), (a, b, b) = 22 and the cell itself (3). So the cell takes
 *    0 to 3 + 20 = 23: 24 values, enough.
 *  - asked 1.3 times the range (24.7), every cube with partner b in the
 *    first dimension has (b, a, a) = 20 against the cell (range at most
 *    23). The cheapest left is (c, b, b): (c, a, a), (c, b, a), (c, a, b),
 *    (c, b, b) = 40 and (a, b, a), (a, a, b), (a, b, b) = 22, 226 in all;
 *    against the cell 40, 22, 22, 40, so it takes 0 to 3 + 22 = 25.
 * Each pattern is one cube, so the exact audit's interval of the cell is
 * the cube's range.
 */
static char *wide_cube_csv(void)
{
    const char *lab[4] = {"a", "b", "c", "Total"};
    long v[4][4][4] = {{{0}}};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++)
                v[i][j][k] = i == 2 || j == 2 || k == 2 ? 40 : 22;
    v[0][0][0] = 3;
    v[1][0][0] = 20;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            for (int k = 0; k < 4; k++)
                if (i == 3 || j == 3 || k == 3) {
                    long s = 0;
                    for (int x = 0; x < 3; x++)
                        for (int y = 0; y < 3; y++)
                            for (int z = 0; z < 3; z++)
                                if ((i == 3 || i == x) && (j == 3 || j == y) && (k == 3 || k == z))
                                    s += v[x][y][z];
                    v[i][j][k] = s;
                }
    char *csv = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&csv, &len);
    cr_assert_not_null(f);
    fputs("x,y,z,n\n", f);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            for (int k = 0; k < 4; k++)
                fprintf(f, "%s,%s,%s,%ld\n", lab[i], lab[j], lab[k], v[i][j][k]);
    cr_assert_eq(fclose(f), 0);
    return csv;
}

/* The exact interval of the hidden cell on row R of T, into LO and HI. */
static void interval_of(const sdc_table *t, size_t r, double *lo, double *hi)
{
    sdc_audit a = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 30, 0, &a), 0);
    bool found = false;
    for (size_t i = 0; i < a.count; i++)
        if (a.cells[i].row == r) {
            cr_assert(a.cells[i].exact);
            *lo = a.cells[i].lo;
            *hi = a.cells[i].hi;
            found = true;
        }
    cr_assert(found);
    sdc_audit_free(&a);
}

Test(optimal, the_quick_modes_cubes_have_room_to_spare_at_the_true_values)
{
    policy->protection_width = 20;
    char *csv = wide_cube_csv();
    const double margin[2] = {1, 1.3}, value[2] = {152, 226}, hi[2] = {23, 25};
    for (int m = 0; m < 2; m++) {
        sdc_table *t = sdc_test_layout(csv, policy);
        sdc_protect_result res;
        cr_assert_eq(sdc_protect_heuristic_margin(t, policy, scanner, margin[m], 0, &res), 0);
        cr_assert(res.protected_ok, "margin %g", margin[m]);
        cr_assert_eq(res.primary, 1, "margin %g", margin[m]);
        cr_assert_eq(res.secondary, 7, "margin %g", margin[m]);
        cr_assert_float_eq(res.secondary_value, value[m], 1e-9, "margin %g: %g", margin[m],
                           res.secondary_value);
        /* row 0 is (a, a, a) */
        cr_assert_eq(sdc_table_cell(t, 0, 3)->kind, SDC_CELL_SUPPRESSED);
        double lo = -1, h = -1;
        interval_of(t, 0, &lo, &h);
        cr_assert_float_eq(lo, 0, 1e-9, "margin %g", margin[m]);
        cr_assert_float_eq(h, hi[m], 1e-9, "margin %g: %g", margin[m], h);
        char *text = sdc_test_table_text(t); /* frees T */
        cr_assert_eq(sdc_test_recheck_problems(text, policy), 0, "margin %g", margin[m]);
        free(text);
        /* the wider cube only where the grid has more cells than asked */
        sdc_table *u = sdc_test_layout(csv, policy);
        cr_assert_eq(sdc_protect_heuristic_margin(u, policy, scanner, margin[m], 64, &res), 0);
        cr_assert_float_eq(res.secondary_value, value[0], 1e-9, "margin %g", margin[m]);
        sdc_table_free(u);
    }
    free(csv);
}

/*
 * The quick mode past its threshold: a 30 x 30 x 25 table of counts with
 * every margin (31 x 31 x 26 = 24,986 cells, more than the 20,000 the
 * audit's exact solver takes), every cell 50 but four of 3 that share no
 * coordinate. Each small cell has a cube of published 50s through it (a
 * range of 50 against the cell: more than 1.3 times the width), so the
 * first round's cubes, chosen at the true values, prove every hidden
 * cell; counts alone hide nothing else. So the audit with the true values
 * runs once, not again after that round (heuristic.c, count_proved), and
 * the written table is proved as check proves it: pass.
 */
Test(optimal, past_its_threshold_the_quick_mode_audits_the_true_values_once, .timeout = 240)
{
    enum { NX = 30, NY = 30, NZ = 25 };
    static const int small[4][3] = {{0, 0, 0}, {10, 15, 5}, {20, 7, 18}, {29, 29, 24}};
    char *csv = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&csv, &len);
    cr_assert_not_null(f);
    fputs("x,y,z,n\n", f);
    for (int i = 0; i <= NX; i++)
        for (int j = 0; j <= NY; j++)
            for (int k = 0; k <= NZ; k++) {
                /* a margin sums 50 over its free dimensions' cells, less 47
                 * for each small cell it holds */
                long cells = (i == NX ? NX : 1) * (j == NY ? NY : 1) * (k == NZ ? NZ : 1);
                long v = 50 * cells;
                for (int q = 0; q < 4; q++)
                    if ((i == NX || i == small[q][0]) && (j == NY || j == small[q][1]) &&
                        (k == NZ || k == small[q][2]))
                        v -= 47;
                char x[16], y[16], z[16];
                snprintf(x, sizeof x, i == NX ? "Total" : "x%02d", i);
                snprintf(y, sizeof y, j == NY ? "Total" : "y%02d", j);
                snprintf(z, sizeof z, k == NZ ? "Total" : "z%02d", k);
                fprintf(f, "%s,%s,%s,%ld\n", x, y, z, v);
            }
    cr_assert_eq(fclose(f), 0);
    sdc_table *t = sdc_test_layout(csv, policy);
    sdc_protect_result res;
    cr_assert_eq(sdc_table_protect_mode(t, policy, scanner, SDC_SUPPRESS_QUICK, 60, &res), 0);
    cr_assert(res.protected_ok, "not protected: %s", res.why);
    cr_assert_eq(res.primary, 4);
    /* a cube each, 7 corners, fewer where cubes share cells */
    cr_assert(res.secondary > 0 && res.secondary <= 28, "%zu complements", res.secondary);
    cr_assert_eq(res.audits_known, 1, "%zu audits with the true values", res.audits_known);
    cr_assert_geq(res.audits_written, 1);
    char *text = sdc_test_table_text(t); /* frees T */
    cr_assert_eq(sdc_test_recheck_problems(text, policy), 0);
    free(text);
    free(csv);
}

/* Where the audit has an exact solver (here: every table of fewer than
 * 20,000 cells) the quick mode is the modular mode, byte for byte. */
Test(optimal, the_quick_mode_is_the_modular_mode_on_tables_the_audit_solves_exactly, .timeout = 240)
{
    for (int seed = 3001; seed <= 3002; seed++) {
        char *csv = sdc_bench_cube_csv(3, (uint64_t)seed, 10);
        cr_assert_not_null(csv);
        sdc_protect_result a, b;
        char *at = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_MODULAR, 60, &a);
        char *bt = sdc_test_protect_text(csv, policy, scanner, SDC_SUPPRESS_QUICK, 60, &b);
        cr_assert(a.protected_ok && b.protected_ok, "seed %d", seed);
        cr_assert_str_eq(at, bt, "seed %d", seed);
        free(at);
        free(bt);
        free(csv);
    }
}
