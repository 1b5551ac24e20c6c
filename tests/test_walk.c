/* test_walk.c - verdicts without a linear program (audit.c): entropy
 * points, cubes and the walk along cubes. The audit takes that path only
 * for components of more than 20,000 equations; sdc_audit_table_lp_limit
 * lowers the limit to 0 so that a small table takes it too, and what it
 * proves is checked against the exact intervals of the linear program. */
#include <criterion/criterion.h>
#include <math.h>

#include "audit/audit_internal.h"
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
TestSuite(walk, .init = setup, .fini = teardown);

#define N 8
#define NEED 3
#define NEED_WIDE 45

/* An N x N table of counts with margins, three in seven of the body
 * hidden, and a last row "Tiny" whose total 1 pins its two hidden cells
 * to 0 or 1. */
static sdc_table *generated_table(void)
{
    static char csv[8192];
    int v[N + 1][N] = {{0}};
    size_t len = 0;
    len += (size_t)snprintf(csv + len, sizeof csv - len, "region");
    for (int j = 0; j < N; j++)
        len += (size_t)snprintf(csv + len, sizeof csv - len, ",%c", 'A' + j);
    len += (size_t)snprintf(csv + len, sizeof csv - len, ",Total\n");
    for (int i = 0; i <= N; i++)
        for (int j = 0; j < N; j++)
            v[i][j] = i < N ? 12 + (i * 7 + j * 3) % 13 : (j < 2 ? 1 - j : 0);
    for (int i = 0; i <= N; i++) {
        int sum = 0;
        if (i < N)
            len += (size_t)snprintf(csv + len, sizeof csv - len, "R%d", i);
        else
            len += (size_t)snprintf(csv + len, sizeof csv - len, "Tiny");
        for (int j = 0; j < N; j++) {
            bool hidden = i < N ? (i * 3 + j * 5) % 7 < 3 : j < 2;
            sum += v[i][j];
            if (hidden)
                len += (size_t)snprintf(csv + len, sizeof csv - len, ",c");
            else
                len += (size_t)snprintf(csv + len, sizeof csv - len, ",%d", v[i][j]);
        }
        len += (size_t)snprintf(csv + len, sizeof csv - len, ",%d\n", sum);
    }
    int grand = 0;
    len += (size_t)snprintf(csv + len, sizeof csv - len, "Total");
    for (int j = 0; j < N; j++) {
        int col = 0;
        for (int i = 0; i <= N; i++)
            col += v[i][j];
        grand += col;
        len += (size_t)snprintf(csv + len, sizeof csv - len, ",%d", col);
    }
    snprintf(csv + len, sizeof csv - len, ",%d\n", grand);
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_findings_free(&f);
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

Test(walk, what_points_and_cubes_prove_never_exceeds_the_exact_interval)
{
    sdc_table *t = generated_table();
    sdc_audit exact = {0}, walked = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 30, 0, &exact), 0);
    cr_assert_eq(sdc_audit_table_lp_limit(t, policy, 30, NEED_WIDE, NULL, 0, &walked), 0);
    cr_assert_eq(walked.count, exact.count);
    cr_assert_gt(walked.count, N * N / 3);
    size_t proved = 0;
    for (size_t i = 0; i < walked.count; i++) {
        const sdc_audit_cell *w = &walked.cells[i], *e = same_cell(&exact, w);
        cr_assert_not_null(e);
        cr_assert(e->solved && e->exact);
        if (!w->solved)
            continue;
        cr_assert(w->lo >= e->lo - 1e-7 && w->hi <= e->hi + 1e-7,
                  "row %zu col %zu: proved [%g, %g] outside the exact [%g, %g]", w->row, w->col,
                  w->lo, w->hi, e->lo, e->hi);
        proved += sdc_audit_protected(w, NEED_WIDE);
    }
    /* The cubes at the entropy points alone prove none this wide. */
    cr_assert_gt(proved, N * N / 6, "only %zu cells proved without LP", proved);
    sdc_audit_free(&exact);
    sdc_audit_free(&walked);
    sdc_table_free(t);
}

Test(walk, a_cell_pinned_by_a_tiny_total_is_never_proved_wide)
{
    sdc_table *t = generated_table();
    sdc_audit walked = {0};
    cr_assert_eq(sdc_audit_table_lp_limit(t, policy, 30, NEED, NULL, 0, &walked), 0);
    size_t tiny = 0;
    for (size_t i = 0; i < walked.count; i++) {
        const sdc_audit_cell *w = &walked.cells[i];
        if (w->row != N)
            continue; /* the body row "Tiny" */
        tiny++;
        cr_assert(!sdc_audit_protected(w, NEED), "a cell of 0 or 1 proved [%g, %g]", w->lo, w->hi);
    }
    cr_assert_eq(tiny, 2);
    cr_assert(walked.timed_out, "cells left unproved are reported unfinished");
    /* and counted, one by one: every cell left unsolved, no other */
    size_t unsolved = 0;
    for (size_t i = 0; i < walked.count; i++)
        unsolved += !walked.cells[i].solved;
    cr_assert_gt(unsolved, 0);
    cr_assert_eq(walked.unproved, unsolved);
    sdc_audit_free(&walked);
    sdc_table_free(t);
}

/* An 8 x 8 table of counts with margins, 27 cells hidden. Row R2 hides
 * A and F: its published parts, 5 + 24 + 20 + 24 + 12 + 3 = 88, leave 12
 * to the two of them, so neither can be below 0 nor above 12, and each
 * reaches both ends (the exact linear program says so: assert_row_proved). */
static const char COMBINED[] = "region,A,B,C,D,E,F,G,H,Total\n"
                               "R0,c,24,24,c,18,17,8,6,128\n"
                               "R1,15,11,13,c,c,c,c,2,136\n"
                               "R2,c,5,24,20,24,c,12,3,100\n"
                               "R3,c,17,27,3,c,c,22,25,112\n"
                               "R4,23,c,12,6,29,c,2,21,125\n"
                               "R5,4,c,c,c,c,c,c,3,105\n"
                               "R6,1,c,c,12,c,c,c,c,48\n"
                               "R7,25,23,c,19,30,13,10,c,169\n"
                               "Total,109,121,132,112,156,105,85,103,923\n";

/*
 * Audits CSV without a linear program (as a block too large for one) and
 * exactly: every interval proved lies inside the exact one, and each of
 * the HIDDEN cells of row ROW, whose exact interval is [0, HI], is proved
 * as wide as a threshold of 10 asks.
 */
static void assert_row_proved(const char *csv, size_t row, double hi, size_t hidden)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_findings_free(&f);
    cr_assert_not_null(t);
    sdc_audit exact = {0}, walked = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 30, 0, &exact), 0);
    cr_assert_eq(sdc_audit_table_lp_limit(t, policy, 30, 10, NULL, 0, &walked), 0);
    size_t in_row = 0;
    for (size_t i = 0; i < walked.count; i++) {
        const sdc_audit_cell *w = &walked.cells[i], *e = same_cell(&exact, w);
        cr_assert_not_null(e);
        if (w->solved)
            cr_assert(w->lo >= e->lo - 1e-7 && w->hi <= e->hi + 1e-7,
                      "row %zu col %zu: proved [%g, %g] outside the exact [%g, %g]", w->row, w->col,
                      w->lo, w->hi, e->lo, e->hi);
        if (w->row != row)
            continue;
        in_row++;
        cr_assert(e->solved && fabs(e->lo) < 1e-7 && fabs(e->hi - hi) < 1e-7,
                  "R%zu: the exact interval is [%g, %g], not [0, %g]", row, e->lo, e->hi, hi);
        /* hi + 1 counts, 0 to hi: at least as wide as a threshold of 10 asks */
        cr_assert(sdc_audit_protected(w, 10), "R%zu, col %zu: [%g, %g] not proved", row, w->col,
                  w->lo, w->hi);
    }
    cr_assert_eq(in_row, hidden);
    sdc_audit_free(&exact);
    sdc_audit_free(&walked);
    sdc_table_free(t);
}

Test(walk, cubes_combined_prove_what_no_single_cube_moves_far_enough)
{
    assert_row_proved(COMBINED, 2, 12, 2);
}

/* An 8 x 8 table of counts with margins, 21 cells hidden (found by a
 * search over random tables for one where the cubes combined one level
 * deep leave a cell that two levels prove). Row R6 hides B, C, E and F:
 * its published parts, 6 + 23 + 8 + 26 = 63, leave 10 to the four, so
 * none is above 10, and each reaches 0 and 10 (the exact linear program
 * says so: assert_row_proved). */
static const char DEEPER[] = "region,A,B,C,D,E,F,G,H,Total\n"
                             "R0,8,c,11,c,16,c,17,c,115\n"
                             "R1,c,c,25,c,1,29,10,23,150\n"
                             "R2,9,15,26,12,c,c,19,c,123\n"
                             "R3,24,20,c,23,c,2,8,24,142\n"
                             "R4,29,18,c,27,14,6,20,c,141\n"
                             "R5,14,22,23,c,19,14,28,25,165\n"
                             "R6,6,c,c,23,c,c,8,26,73\n"
                             "R7,14,14,c,c,15,21,7,21,133\n"
                             "Total,123,144,154,165,88,103,117,148,1042\n";

Test(walk, cubes_combined_two_levels_deep_prove_what_one_level_leaves)
{
    assert_row_proved(DEEPER, 6, 10, 4);
}
