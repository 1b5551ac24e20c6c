/* test_memo.c - the audit's blocks kept for the next audit (memo.c,
 * doc/design.md "Blocks audited once"). `protect` audits the written
 * table again after each round of new hidden cells; a block of linked
 * cells the round left as it was takes the results it had. The promise:
 * an audit with the memo says, cell for cell and bit for bit, what an
 * audit without it says. The tables here have two blocks of hidden
 * counts; sdc_audit_table_memo with an exact-solver limit of 0 sends every
 * block down the path of entropy points, cubes and walks, which is where
 * blocks are kept (on real tables: blocks of more than 20,000 equations,
 * or of SDC_AUDIT_MEMO_MIN cells). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

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
TestSuite(memo, .init = setup, .fini = teardown);

#define N 8
#define NEED 3

enum variant {
    PLAIN,       /* two blocks of 3 x 3 hidden counts */
    GROWN,       /* and two more hidden cells in row 3, joining the first block */
    SECOND_MOVED /* the second block's hidden values (so its totals) changed */
};

/* An N x N table of counts with margins; rows 0-2 by columns 0-2 and rows
 * 4-6 by columns 4-6 hidden as "<10" (values 1 to 9, each line of a block
 * summing to 12, or 15 in the second block of SECOND_MOVED: between 9 and
 * 18, so that propagation leaves every hidden cell [0, 9] either way and
 * only the equations' right-hand sides differ). The published cells are
 * 20 or more. */
static sdc_table *two_blocks(enum variant which)
{
    static const int first[3][3] = {{3, 4, 5}, {5, 3, 4}, {4, 5, 3}};
    static char csv[8192];
    int v[N][N];
    bool hidden[N][N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            v[i][j] = 20 + (i * 5 + j * 3) % 11;
            hidden[i][j] = false;
            if (i < 3 && j < 3) {
                v[i][j] = first[i][j];
                hidden[i][j] = true;
            } else if (i >= 4 && i < 7 && j >= 4 && j < 7) {
                v[i][j] = which == SECOND_MOVED ? 5 : first[i - 4][j - 4];
                hidden[i][j] = true;
            }
        }
    if (which == GROWN) {
        v[3][0] = 4;
        v[3][1] = 6;
        hidden[3][0] = hidden[3][1] = true;
    }
    size_t len = (size_t)snprintf(csv, sizeof csv, "region");
    for (int j = 0; j < N; j++)
        len += (size_t)snprintf(csv + len, sizeof csv - len, ",%c", 'A' + j);
    len += (size_t)snprintf(csv + len, sizeof csv - len, ",Total\n");
    for (int i = 0; i < N; i++) {
        int sum = 0;
        len += (size_t)snprintf(csv + len, sizeof csv - len, "R%d", i);
        for (int j = 0; j < N; j++) {
            sum += v[i][j];
            if (hidden[i][j])
                len += (size_t)snprintf(csv + len, sizeof csv - len, ",<10");
            else
                len += (size_t)snprintf(csv + len, sizeof csv - len, ",%d", v[i][j]);
        }
        len += (size_t)snprintf(csv + len, sizeof csv - len, ",%d\n", sum);
    }
    int grand = 0;
    len += (size_t)snprintf(csv + len, sizeof csv - len, "Total");
    for (int j = 0; j < N; j++) {
        int col = 0;
        for (int i = 0; i < N; i++)
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

/* The same double, NAN included, to the bit. */
static bool same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Audits A and B say the same of every cell, to the bit. */
static void assert_same_audit(const sdc_audit *a, const sdc_audit *b, const char *what)
{
    cr_assert_eq(a->count, b->count, "%s", what);
    cr_assert_eq(a->unproved, b->unproved, "%s", what);
    cr_assert_eq(a->timed_out, b->timed_out, "%s", what);
    cr_assert_eq(a->inconsistent, b->inconsistent, "%s", what);
    for (size_t i = 0; i < a->count; i++) {
        const sdc_audit_cell *x = &a->cells[i], *y = &b->cells[i];
        cr_assert(x->row == y->row && x->col == y->col, "%s: cell %zu", what, i);
        cr_assert(same_double(x->lo, y->lo) && same_double(x->hi, y->hi),
                  "%s: row %zu col %zu: [%.17g, %.17g] against [%.17g, %.17g]", what, x->row,
                  x->col, x->lo, x->hi, y->lo, y->hi);
        cr_assert(same_double(x->point, y->point), "%s: row %zu col %zu: point %.17g against %.17g",
                  what, x->row, x->col, x->point, y->point);
        cr_assert(x->solved == y->solved && x->exact == y->exact, "%s: row %zu col %zu", what,
                  x->row, x->col);
    }
}

static void audit_fresh(const sdc_table *t, sdc_audit *out)
{
    cr_assert_eq(sdc_audit_table_lp_limit(t, policy, 60, NEED, NULL, 0, out), 0);
}

static void audit_with(const sdc_table *t, sdc_audit_memo *memo, sdc_audit *out)
{
    cr_assert_eq(sdc_audit_table_memo(t, policy, 60, NEED, 0, memo, out), 0);
}

Test(memo, a_block_met_again_takes_the_results_it_had)
{
    sdc_table *t = two_blocks(PLAIN);
    sdc_audit fresh = {0}, first = {0}, again = {0};
    audit_fresh(t, &fresh);
    cr_assert_eq(fresh.count, 18);
    sdc_audit_memo *memo = sdc_audit_memo_new();
    cr_assert_not_null(memo);
    audit_with(t, memo, &first);
    cr_assert_eq(sdc_audit_memo_hits(memo), 0, "nothing to meet again in the first audit");
    audit_with(t, memo, &again);
    cr_assert_eq(sdc_audit_memo_hits(memo), 2, "both blocks met again");
    assert_same_audit(&fresh, &first, "the first audit with the memo");
    assert_same_audit(&fresh, &again, "the second");
    /* Settled, not just copied blank: the entropy point is inside every
     * hidden cell's [0, 9]. */
    for (size_t i = 0; i < again.count; i++)
        cr_assert(again.cells[i].point > 0 && again.cells[i].point < 9);
    sdc_audit_memo_free(memo);
    sdc_audit_free(&fresh);
    sdc_audit_free(&first);
    sdc_audit_free(&again);
    sdc_table_free(t);
}

Test(memo, a_block_with_a_new_hidden_cell_is_settled_anew)
{
    sdc_table *before = two_blocks(PLAIN), *after = two_blocks(GROWN);
    sdc_audit a = {0}, withmemo = {0}, fresh = {0};
    sdc_audit_memo *memo = sdc_audit_memo_new();
    cr_assert_not_null(memo);
    audit_with(before, memo, &a);
    audit_with(after, memo, &withmemo);
    cr_assert_eq(sdc_audit_memo_hits(memo), 1, "only the second block is as it was");
    audit_fresh(after, &fresh);
    cr_assert_eq(fresh.count, 20);
    assert_same_audit(&fresh, &withmemo, "the grown table");
    sdc_audit_memo_free(memo);
    sdc_audit_free(&a);
    sdc_audit_free(&withmemo);
    sdc_audit_free(&fresh);
    sdc_table_free(before);
    sdc_table_free(after);
}

Test(memo, a_block_whose_totals_changed_is_settled_anew)
{
    sdc_table *before = two_blocks(PLAIN), *after = two_blocks(SECOND_MOVED);
    sdc_audit a = {0}, withmemo = {0}, fresh = {0}, old = {0};
    sdc_audit_memo *memo = sdc_audit_memo_new();
    cr_assert_not_null(memo);
    audit_with(before, memo, &a);
    audit_with(after, memo, &withmemo);
    cr_assert_eq(sdc_audit_memo_hits(memo), 1, "only the first block is as it was");
    audit_fresh(after, &fresh);
    assert_same_audit(&fresh, &withmemo, "the table with new totals");
    /* The same cells with the same bounds: only the right-hand sides tell
     * the second blocks apart, and their points differ. */
    audit_fresh(before, &old);
    size_t differ = 0;
    for (size_t i = 0; i < old.count; i++)
        differ += !same_double(old.cells[i].point, fresh.cells[i].point);
    cr_assert_geq(differ, 9, "%zu points differ", differ);
    sdc_audit_memo_free(memo);
    sdc_audit_free(&a);
    sdc_audit_free(&withmemo);
    sdc_audit_free(&fresh);
    sdc_audit_free(&old);
    sdc_table_free(before);
    sdc_table_free(after);
}

Test(memo, blocks_not_met_again_are_dropped)
{
    /* A table whose blocks the memo kept, then one where a total cannot
     * hold: nothing of the first may stand in for the second. */
    sdc_table *t = two_blocks(PLAIN);
    sdc_audit a = {0}, b = {0}, c = {0};
    sdc_audit_memo *memo = sdc_audit_memo_new();
    cr_assert_not_null(memo);
    audit_with(t, memo, &a);
    sdc_findings f = {0};
    sdc_table *bad =
        layout_csv("region,A,B,Total\nN,<10,<10,40\nS,5,6,11\nTotal,45,6,51\n", policy, &f);
    sdc_findings_free(&f);
    cr_assert_not_null(bad);
    audit_with(bad, memo, &b);
    cr_assert(b.inconsistent, "40 from two cells of at most 9");
    audit_with(t, memo, &c);
    cr_assert_eq(sdc_audit_memo_hits(memo), 0,
                 "the audit of the other table left nothing of the first");
    assert_same_audit(&a, &c, "audited again after the other table");
    sdc_audit_memo_free(memo);
    sdc_audit_free(&a);
    sdc_audit_free(&b);
    sdc_audit_free(&c);
    sdc_table_free(t);
    sdc_table_free(bad);
}

/* The cells of block B (rows R1) as audited in A: (C, D) of row R1. */
static void b_cells(const sdc_audit *a, const sdc_audit_cell **c, const sdc_audit_cell **d)
{
    *c = *d = NULL;
    for (size_t i = 0; i < a->count; i++)
        if (a->cells[i].row == 1)
            *(a->cells[i].col == 3 ? c : d) = &a->cells[i];
    cr_assert(*c && *d);
}

Test(memo, a_block_is_audited_as_if_alone)
{
    /* Columns C and D publish no total ("n/a"), so rows R0 and R1 are two
     * blocks: R0's hidden pair and R1's, linked by no equation. A
     * rectangle through all four cells is a move of the table all the
     * same, but the block audited second must not take it: its results
     * would depend on which blocks were audited before it, and a block
     * kept from the last audit would not say what a new audit says. So
     * R1 must be audited as in the table where R0's pair is published. */
    sdc_findings f = {0};
    sdc_table *both = layout_csv("region,A,B,C,D,Total\n"
                                 "R0,20,21,<10,<10,50\n"
                                 "R1,22,23,<10,<10,54\n"
                                 "R2,24,25,30,31,110\n"
                                 "Total,66,69,n/a,n/a,214\n",
                                 policy, &f);
    sdc_findings_free(&f);
    sdc_table *alone = layout_csv("region,A,B,C,D,Total\n"
                                  "R0,20,21,4,5,50\n"
                                  "R1,22,23,<10,<10,54\n"
                                  "R2,24,25,30,31,110\n"
                                  "Total,66,69,n/a,n/a,214\n",
                                  policy, &f);
    sdc_findings_free(&f);
    cr_assert(both && alone);
    sdc_audit a = {0}, b = {0};
    audit_fresh(both, &a);
    audit_fresh(alone, &b);
    cr_assert_eq(a.count, 4);
    cr_assert_eq(b.count, 2);
    const sdc_audit_cell *ac, *ad, *bc, *bd;
    b_cells(&a, &ac, &ad);
    b_cells(&b, &bc, &bd);
    cr_assert(same_double(ac->lo, bc->lo) && same_double(ac->hi, bc->hi) &&
                  same_double(ad->lo, bd->lo) && same_double(ad->hi, bd->hi),
              "R1: C [%g, %g] D [%g, %g] beside R0's pair, C [%g, %g] D [%g, %g] alone", ac->lo,
              ac->hi, ad->lo, ad->hi, bc->lo, bc->hi, bd->lo, bd->hi);
    cr_assert(same_double(ac->point, bc->point) && same_double(ad->point, bd->point));
    sdc_audit_free(&a);
    sdc_audit_free(&b);
    sdc_table_free(both);
    sdc_table_free(alone);
}
