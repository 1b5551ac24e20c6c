/*
 * test_boundary.c - every limit the man pages state, exactly at the limit
 * and one step either side (sdccheck-policy(5): threshold, group_share,
 * nk_rules, p_ratio, rounding_base; sdccheck(1): totals-mismatch).
 *
 * Each expected value is worked out by hand in the comment above its test
 * from the policy's numbers (the default, ons-srs: threshold 10,
 * group_share 0.9, nk (2, 0.9), p_ratio 0.10) and the cells written in the
 * test. A rule whose comparison is turned the wrong way round (> for >=,
 * < for <=) fails one of these tests: that is what they are for
 * (tests/mutations.txt lists such mutations; `make mutate` applies them).
 */
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
TestSuite(boundary, .init = setup, .fini = teardown);

/* The findings of rule RULE whose row label is ROW. */
static size_t count_at(const sdc_findings *f, const char *rule, const char *row)
{
    size_t n = 0;
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].rule, rule) == 0 && f->items[i].row &&
            strcmp(f->items[i].row, row) == 0)
            n++;
    return n;
}

/* The finding of rule RULE at row ROW, column COLUMN, or NULL. */
static const sdc_finding *find_cell(const sdc_findings *f, const char *rule, const char *row,
                                    const char *column)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].rule, rule) == 0 && f->items[i].row && f->items[i].column &&
            strcmp(f->items[i].row, row) == 0 && strcmp(f->items[i].column, column) == 0)
            return &f->items[i];
    return NULL;
}

/* The verdict of the finding of rule RULE at row ROW (asserts there is one). */
static sdc_verdict verdict_at(const sdc_findings *f, const char *rule, const char *row)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].rule, rule) == 0 && f->items[i].row &&
            strcmp(f->items[i].row, row) == 0)
            return f->items[i].verdict;
    cr_assert_fail("no %s finding at row %s", rule, row);
    return SDC_PASS;
}

/* ---- threshold: 0 < n < threshold fails (sdccheck-policy(5)) ---- */

/* threshold 10: 9 fails (9 < 10), 10 and 11 pass (not below 10). */
Test(boundary, a_count_fails_one_below_the_threshold_and_passes_at_it)
{
    sdc_findings f = check_csv("region,count\nA,9\nB,10\nC,11\n", policy);
    cr_assert_eq(count_rule(&f, "threshold"), 1);
    cr_assert_eq(count_at(&f, "threshold", "A"), 1);
    const sdc_finding *x = find_rule(&f, "threshold");
    cr_assert_eq(x->verdict, SDC_FAIL);
    cr_assert_str_eq(x->value, "9");
    cr_assert_eq(x->line, 2);
    cr_assert(x->has_limit && x->limit == 10);
    sdc_findings_free(&f);
}

/* OpenSAFELY's threshold 8 ("redact counts <= 7"): 7 fails, 8 and 9 pass. */
Test(boundary, a_threshold_of_eight_fails_seven_and_passes_eight)
{
    policy->threshold = 8;
    sdc_findings f = check_csv("region,count\nA,7\nB,8\nC,9\n", policy);
    cr_assert_eq(count_rule(&f, "threshold"), 1);
    cr_assert_eq(count_at(&f, "threshold", "A"), 1);
    sdc_findings_free(&f);
}

/* The contributors of a magnitude: n = 9 fails, 10 and 11 pass. Shares
 * are far from the dominance limits: (300 + 200) / 1000 = 50%, rest
 * 1000 - 500 = 500 >= 0.10 x 300. */
Test(boundary, a_magnitude_fails_with_one_contributor_fewer_than_the_threshold)
{
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,9,300,200\nB,1000,10,300,200\nC,1000,11,300,200\n",
                               policy);
    cr_assert_eq(count_rule(&f, "threshold"), 1);
    cr_assert_eq(count_at(&f, "threshold", "A"), 1);
    cr_assert_eq(verdict_at(&f, "threshold", "A"), SDC_FAIL);
    cr_assert_eq(count_rule(&f, "nk-rule"), 0);
    cr_assert_eq(count_rule(&f, "p-ratio"), 0);
    sdc_findings_free(&f);
}

/* Means need n of at least the threshold (sdccheck-policy(5), threshold):
 * n = 9 fails, 10 and 11 pass. Mean x n = 100 x 10 = 1000 for B, largest
 * two 300 + 200 = 500 (50%); for A 900 (500 / 900 = 56%); C 1100 (45%). */
Test(boundary, a_mean_fails_on_an_n_one_below_the_threshold)
{
    sdc_findings f = check_csv("group,n,mean_income,mean_income_max1,mean_income_max2\n"
                               "A,9,100,300,200\nB,10,100,300,200\nC,11,100,300,200\n",
                               policy);
    /* the n column is a count too: 9 fails there as well */
    cr_assert_eq(count_rule(&f, "threshold"), 2);
    const sdc_finding *x = find_cell(&f, "threshold", "A", "mean_income");
    cr_assert_not_null(x, "no threshold finding on the mean of A");
    cr_assert_eq(x->verdict, SDC_FAIL);
    cr_assert_eq(x->line, 2);
    cr_assert_null(find_cell(&f, "threshold", "B", "mean_income"));
    cr_assert_eq(count_rule(&f, "nk-rule"), 0);
    sdc_findings_free(&f);
}

/* Medians and other percentiles need n >= threshold: 9 fails, 10 and 11
 * pass (two percentile columns, so two findings, both on row A). */
Test(boundary, a_median_fails_on_an_n_one_below_the_threshold)
{
    sdc_findings f = check_csv("group,n,median,p90\nA,9,5,8\nB,10,5,8\nC,11,5,8\n", policy);
    cr_assert_eq(count_rule(&f, "percentile"), 2);
    cr_assert_eq(count_at(&f, "percentile", "A"), 2);
    sdc_findings_free(&f);
}

/* A spread (sd) needs n >= threshold: 9 fails, 10 passes. */
Test(boundary, a_spread_fails_on_an_n_one_below_the_threshold)
{
    sdc_findings f = check_csv("group,n,sd\nA,9,2.5\nB,10,2.5\nC,11,2.5\n", policy);
    cr_assert_eq(count_rule(&f, "threshold"), 2); /* the n of A too */
    cr_assert_not_null(find_cell(&f, "threshold", "A", "sd"));
    cr_assert_null(find_cell(&f, "threshold", "B", "sd"));
    sdc_findings_free(&f);
}

/* A mode needs a count of at least the threshold sharing it: 9 fails, 10
 * and 11 pass. */
Test(boundary, a_mode_fails_when_one_record_fewer_than_the_threshold_share_it)
{
    sdc_findings f = check_csv("group,n,mode,mode_n\nA,40,3,9\nB,40,3,10\nC,40,3,11\n", policy);
    cr_assert_eq(count_rule(&f, "mode"), 1);
    cr_assert_eq(count_at(&f, "mode", "A"), 1);
    sdc_findings_free(&f);
}

/* ---- group_share: at least this share of a line fails ---- */

/* Row A: 90 / (90 + 10) = 0.90, exactly the share: fails. Row B: 45 / 100.
 * Columns: Male 90 / 135 = 0.67, Female 55 / 65 = 0.85: pass. */
Test(boundary, a_category_holding_exactly_the_group_share_fails)
{
    sdc_findings f = check_csv("region,Male,Female\nA,90,10\nB,45,55\n", policy);
    cr_assert_eq(count_rule(&f, "group-disclosure"), 1);
    const sdc_finding *g = find_rule(&f, "group-disclosure");
    cr_assert_eq(g->verdict, SDC_FAIL);
    cr_assert_str_eq(g->row, "A");
    cr_assert_str_eq(g->column, "Male");
    cr_assert_str_eq(g->value, "90");
    cr_assert(g->has_limit && fabs(g->limit - 0.9) < 1e-12);
    sdc_findings_free(&f);
}

/* Row A: 89 / 100 = 0.89, below 0.90: passes. Columns: Male 89 / 134,
 * Female 55 / 66 = 0.83. */
Test(boundary, a_category_just_below_the_group_share_passes)
{
    sdc_findings f = check_csv("region,Male,Female\nA,89,11\nB,45,55\n", policy);
    cr_assert_eq(count_rule(&f, "group-disclosure"), 0);
    sdc_findings_free(&f);
}

/* Row A: 91 / 101 = 0.901: fails. */
Test(boundary, a_category_just_above_the_group_share_fails)
{
    sdc_findings f = check_csv("region,Male,Female\nA,91,10\nB,45,55\n", policy);
    cr_assert_eq(count_rule(&f, "group-disclosure"), 1);
    cr_assert_str_eq(find_rule(&f, "group-disclosure")->row, "A");
    sdc_findings_free(&f);
}

/* group_share 0.5 (a policy that sets it): row A 50 / (50 + 25 + 25) =
 * 0.5 exactly: fails; rows B and C 40 / 100: pass. Columns: Red 50 / 130,
 * Green 25 / 85, Blue 25 / 85: pass. */
Test(boundary, a_lower_group_share_is_applied_at_its_value)
{
    policy->group_share = 0.5;
    sdc_findings f =
        check_csv("region,Red,Green,Blue\nA,50,25,25\nB,40,30,30\nC,40,30,30\n", policy);
    cr_assert_eq(count_rule(&f, "group-disclosure"), 1);
    const sdc_finding *g = find_rule(&f, "group-disclosure");
    cr_assert_str_eq(g->row, "A");
    cr_assert_str_eq(g->column, "Red");
    sdc_findings_free(&f);
}

/* ---- nk_rules: the n largest must not exceed k of the total ---- */

/* (2, 0.9), total 1000: A 600 + 300 = 900 = 0.9 x 1000 exactly: passes
 * (not above k); B 601 + 300 = 901 > 900: fails; C 599 + 300 = 899
 * passes. p% stays clear: rest >= 99 >= 0.10 x 601 = 60.1. */
Test(boundary, nk_dominance_exactly_at_k_passes_and_one_above_fails)
{
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,20,600,300\nB,1000,20,601,300\nC,1000,20,599,300\n",
                               policy);
    cr_assert_eq(count_rule(&f, "nk-rule"), 1);
    cr_assert_eq(count_at(&f, "nk-rule", "B"), 1);
    cr_assert_eq(verdict_at(&f, "nk-rule", "B"), SDC_FAIL);
    cr_assert_eq(count_rule(&f, "p-ratio"), 0);
    sdc_findings_free(&f);
}

/* (1, 0.5), the eurostat pair, p% off: the largest alone is judged.
 * A 500 / 1000 = 0.5 exactly: passes; B 501 / 1000: fails; C 499 passes.
 * The second largest (400) is not added: with it, A would be 90%. */
Test(boundary, one_contributor_dominance_is_judged_on_the_largest_alone)
{
    policy->nk[0] = (sdc_nk_pair){.n = 1, .k = 0.5};
    policy->nk_count = 1;
    policy->p_ratio = 0;
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,20,500,400\nB,1000,20,501,400\nC,1000,20,499,400\n",
                               policy);
    cr_assert_eq(count_rule(&f, "nk-rule"), 1);
    cr_assert_eq(count_at(&f, "nk-rule", "B"), 1);
    sdc_findings_free(&f);
}

/* (3, 0.9) with only two ranks given, p% off: the third largest is at most
 * the second. A 500 + 300 = 800 <= 900 but 800 + 300 = 1100 > 900:
 * review (cannot be decided). B 700 + 250 = 950 > 900 already: fail.
 * C 500 + 100 + 100 = 700 <= 900: pass. */
Test(boundary, nk_with_missing_ranks_is_review_between_its_bounds)
{
    policy->nk[0] = (sdc_nk_pair){.n = 3, .k = 0.9};
    policy->nk_count = 1;
    policy->p_ratio = 0;
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,20,500,300\nB,1000,20,700,250\nC,1000,20,500,100\n",
                               policy);
    cr_assert_eq(count_rule(&f, "nk-rule"), 2);
    cr_assert_eq(verdict_at(&f, "nk-rule", "A"), SDC_REVIEW);
    cr_assert_eq(verdict_at(&f, "nk-rule", "B"), SDC_FAIL);
    cr_assert_eq(count_at(&f, "nk-rule", "C"), 0);
    sdc_findings_free(&f);
}

/* "A cell with no more than n contributors always fails" (design): with
 * (2, 0.9) and threshold 1, 2 contributors fail whatever their shares
 * (50% + 30%), 3 contributors are judged on the shares and pass. */
Test(boundary, a_cell_of_exactly_n_contributors_fails_dominance)
{
    policy->threshold = 1;
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,2,500,300\nB,1000,3,500,300\n",
                               policy);
    cr_assert_eq(count_rule(&f, "nk-rule"), 1);
    cr_assert_eq(count_at(&f, "nk-rule", "A"), 1);
    sdc_findings_free(&f);
}

/* ---- p_ratio: (total - x1 - x2) / x1 must reach p ---- */

/* p = 0.10, nk off. Total 1000, x1 500: the rest must be >= 50.
 * A x2 450: rest 50 = 0.10 x 500: passes (reaches p). B x2 451: rest 49:
 * fails. C x2 449: rest 51: passes. */
Test(boundary, p_ratio_exactly_at_p_passes_and_one_below_fails)
{
    policy->nk_count = 0;
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,20,500,450\nB,1000,20,500,451\nC,1000,20,500,449\n",
                               policy);
    cr_assert_eq(count_rule(&f, "p-ratio"), 1);
    cr_assert_eq(count_at(&f, "p-ratio", "B"), 1);
    const sdc_finding *x = find_rule(&f, "p-ratio");
    cr_assert_eq(x->verdict, SDC_FAIL);
    cr_assert(x->has_limit && fabs(x->limit - 0.10) < 1e-12);
    sdc_findings_free(&f);
}

/* Only the largest contribution given (x1, no x2), nk off: the rest after
 * it bounds what the second largest can be, so the rule fails when even
 * that rest is below p x1. x1 1000, p 0.10: rest must be >= 100.
 * A total 1100: rest 100: passes. B 1099: rest 99: fails. C 1101: passes. */
Test(boundary, p_ratio_on_the_largest_contribution_alone)
{
    policy->nk_count = 0;
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1\n"
                               "A,1100,20,1000\nB,1099,20,1000\nC,1101,20,1000\n",
                               policy);
    cr_assert_eq(count_rule(&f, "p-ratio"), 1);
    cr_assert_eq(count_at(&f, "p-ratio", "B"), 1);
    cr_assert_eq(verdict_at(&f, "p-ratio", "B"), SDC_FAIL);
    sdc_findings_free(&f);
}

/* The pq rule (p 0.1, q 0.5: rest >= 0.2 x1), p% and nk off. x1 500:
 * rest must be >= 100. A x2 400: rest 100: passes. B x2 401: fails. */
Test(boundary, pq_rule_exactly_at_p_over_q_passes)
{
    policy->nk_count = 0;
    policy->p_ratio = 0;
    policy->pq_p = 0.1;
    policy->pq_q = 0.5;
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,20,500,400\nB,1000,20,500,401\n",
                               policy);
    cr_assert_eq(count_rule(&f, "pq-rule"), 1);
    cr_assert_eq(count_at(&f, "pq-rule", "B"), 1);
    sdc_findings_free(&f);
}

/* ---- totals: within half the rounding base per part and total ---- */

/* rounding_base 5, three parts and a total: the tolerance is
 * 0.5 x 5 x (3 + 1) = 10 (sdccheck(1), totals-mismatch). Parts
 * 10 + 20 + 30 = 60. Row A total 70: off by 10, at the tolerance: no
 * mismatch. Row B total 75: off by 15: mismatch (value 60, the sum). Row C
 * total 50: off by 10 below: none. */
Test(boundary, rounded_totals_exactly_at_the_tolerance_add_up)
{
    policy->rounding_base = 5;
    sdc_findings f = check_csv("region,Red,Green,Blue,Total\nA,10,20,30,70\nB,10,20,30,75\n"
                               "C,10,20,30,50\n",
                               policy);
    cr_assert_eq(count_at(&f, "totals-mismatch", "A"), 0);
    cr_assert_eq(count_at(&f, "totals-mismatch", "C"), 0);
    cr_assert_eq(count_at(&f, "totals-mismatch", "B"), 1);
    sdc_findings_free(&f);
}

/* Just past the tolerance: base 5, three parts (tolerance 10): total 71
 * is off by 11 (counts need not be rounded for the totals rule to apply:
 * 71 also gets a rounding finding). Without rounding (base 0) a total one
 * off is a mismatch and an exact total is not. */
Test(boundary, totals_just_past_the_tolerance_are_a_mismatch)
{
    policy->rounding_base = 5;
    sdc_findings f =
        check_csv("region,Red,Green,Blue,Total\nA,10,20,30,71\nB,10,20,30,69\n", policy);
    cr_assert_eq(count_at(&f, "totals-mismatch", "A"), 1);
    cr_assert_eq(count_at(&f, "totals-mismatch", "B"), 0);
    sdc_findings_free(&f);
    policy->rounding_base = 0;
    f = check_csv("region,Red,Green,Blue,Total\nA,10,20,30,61\nB,10,20,30,60\n", policy);
    cr_assert_eq(count_at(&f, "totals-mismatch", "A"), 1);
    cr_assert_eq(count_at(&f, "totals-mismatch", "B"), 0);
    const sdc_finding *m = find_rule(&f, "totals-mismatch");
    cr_assert_eq(m->verdict, SDC_REVIEW);
    cr_assert_str_eq(m->value, "61");
    cr_assert_eq(m->limit, 60);
    sdc_findings_free(&f);
}

/* ---- rounding: multiples of the base ---- */

/* base 5: 15 and 20 are multiples, 16 and 14 are not. */
Test(boundary, rounding_accepts_multiples_and_fails_one_off)
{
    policy->rounding_base = 5;
    sdc_findings f = check_csv("region,count\nA,14\nB,15\nC,16\nD,20\n", policy);
    cr_assert_eq(count_rule(&f, "rounding"), 2);
    cr_assert_eq(count_at(&f, "rounding", "A"), 1);
    cr_assert_eq(count_at(&f, "rounding", "C"), 1);
    sdc_findings_free(&f);
}

/* ---- microdata: an id column filled on at least nine rows in ten ---- */

/* doc/design.md, "Record-level data": a column named as an identifier
 * (id, *_id) with a different value on every filled row, filled on at
 * least nine rows in ten. Ten rows, ids on 9 (90%): microdata; on 8
 * (80%): not (the regions differ, so no label combination repeats). */
Test(boundary, an_id_column_on_nine_rows_in_ten_is_microdata_and_on_eight_is_not)
{
    static const char nine[] = "person_id,region,count\n1,R1,11\n2,R2,12\n3,R3,13\n4,R4,14\n"
                               "5,R5,15\n6,R6,16\n7,R7,17\n8,R8,18\n9,R9,19\n,R10,20\n";
    static const char eight[] = "person_id,region,count\n1,R1,11\n2,R2,12\n3,R3,13\n4,R4,14\n"
                                "5,R5,15\n6,R6,16\n7,R7,17\n8,R8,18\n,R9,19\n,R10,20\n";
    sdc_findings f = check_csv(nine, policy);
    const sdc_finding *m = find_rule(&f, "microdata");
    cr_assert_not_null(m, "9 ids in 10 rows are record-level data");
    cr_assert_eq(m->verdict, SDC_FAIL);
    cr_assert_str_eq(m->column, "person_id");
    sdc_findings_free(&f);
    f = check_csv(eight, policy);
    cr_assert_eq(count_rule(&f, "microdata"), 0, "8 ids in 10 rows are not enough evidence");
    sdc_findings_free(&f);
}

/* pandas' agg() names the count of a measure turnover_count: it is the n
 * of the mean beside it as much as of the sum, so a mean of 3 firms fails
 * the threshold (3 < 10) as their sum does. */
Test(boundary, a_mean_takes_its_n_from_a_count_named_by_its_measure)
{
    sdc_findings f = check_csv("region,turnover_count,turnover_sum,turnover_mean,turnover_max\n"
                               "A,3,775,258.3,310\nB,10,5000,500,900\n",
                               policy);
    const sdc_finding *x = find_cell(&f, "threshold", "A", "turnover_mean");
    cr_assert_not_null(x, "the mean of 3 firms is published");
    cr_assert_eq(x->verdict, SDC_FAIL);
    cr_assert_not_null(find_cell(&f, "threshold", "A", "turnover_sum"));
    cr_assert_null(find_cell(&f, "threshold", "B", "turnover_mean"));
    sdc_findings_free(&f);
}

/* ---- dof_threshold: regression tables need at least this many df ---- */

/* dof_threshold 10: df_resid 9 fails, 10 passes (one finding a table). */
Test(boundary, regression_dof_one_below_the_threshold_fails_and_at_it_passes)
{
    sdc_findings f = check_csv("term,estimate,std_error,t,p_value,df_resid\n"
                               "(Intercept),1.5,0.3,5.0,0.0005,9\nage,0.2,0.05,4.0,0.003,9\n",
                               policy);
    cr_assert_eq(count_rule(&f, "dof"), 1);
    cr_assert_eq(find_rule(&f, "dof")->verdict, SDC_FAIL);
    sdc_findings_free(&f);
    f = check_csv("term,estimate,std_error,t,p_value,df_resid\n"
                  "(Intercept),1.5,0.3,5.0,0.0005,10\nage,0.2,0.05,4.0,0.003,10\n",
                  policy);
    cr_assert_eq(count_rule(&f, "dof"), 0);
    cr_assert_eq(count_rule(&f, "dof-missing"), 0);
    sdc_findings_free(&f);
}
