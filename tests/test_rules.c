/* test_rules.c - the table rules (doc/design.md, "Table rules") on small tables. */
#include <criterion/criterion.h>
#include <math.h>

#include "helpers.h"
#include "rules/dof_infer.h"
#include "rules/primary.h"

static sdc_policy *policy;
static void setup(void)
{
    policy = sdc_policy_default();
}
static void teardown(void)
{
    sdc_policy_free(policy);
}
TestSuite(rules, .init = setup, .fini = teardown);

/* ---- 5.1 frequency ---- */

Test(rules, threshold_fails_cell_below_ten)
{
    sdc_findings f = check_csv("region,count\nNorth,12\nSouth,9\nEast,10\n", policy);
    cr_assert_eq(count_rule(&f, "threshold"), 1);
    const sdc_finding *x = find_rule(&f, "threshold");
    cr_assert_eq(x->verdict, SDC_FAIL);
    cr_assert_eq(x->line, 3);
    cr_assert_str_eq(x->row, "South");
    cr_assert_str_eq(x->column, "count");
    cr_assert_str_eq(x->value, "9");
    cr_assert(x->has_limit && x->limit == 10);
    cr_assert_str_eq(x->advice, "suppress or combine categories");
    sdc_findings_free(&f);
}

Test(rules, threshold_reads_numbers_as_researchers_write_them)
{
    sdc_findings f = check_csv("region,count\nNorth,\"1,234\"\nSouth,+3\nEast,1e3\n", policy);
    cr_assert_eq(count_rule(&f, "threshold"), 1);
    cr_assert_str_eq(find_rule(&f, "threshold")->value, "+3");
    sdc_findings_free(&f);
}

Test(rules, suppressed_cells_are_not_judged_by_threshold)
{
    sdc_findings f = check_csv("region,count\nNorth,12\nSouth,c\nEast,<10\nWest,\n", policy);
    cr_assert_eq(count_rule(&f, "threshold"), 0);
    sdc_findings_free(&f);
}

Test(rules, zero_cell_is_review_when_zeros_are_disclosive)
{
    sdc_findings f = check_csv("region,count\nNorth,12\nSouth,0\n", policy);
    const sdc_finding *z = find_rule(&f, "zeros");
    cr_assert_not_null(z);
    cr_assert_eq(z->verdict, SDC_REVIEW);
    cr_assert_eq(z->line, 3);
    sdc_findings_free(&f);
    policy->zeros_are_disclosive = false;
    f = check_csv("region,count\nNorth,12\nSouth,0\n", policy);
    cr_assert_eq(count_rule(&f, "zeros"), 0);
    sdc_findings_free(&f);
}

Test(rules, rounding_fails_counts_not_a_multiple_of_the_base)
{
    policy->rounding_base = 5;
    sdc_findings f = check_csv("region,count\nNorth,15\nSouth,22\nEast,100\n", policy);
    cr_assert_eq(count_rule(&f, "rounding"), 1);
    cr_assert_str_eq(find_rule(&f, "rounding")->value, "22");
    sdc_findings_free(&f);
}

Test(rules, midpoint_rounding_accepts_zero_and_midpoints_only)
{
    policy->rounding_base = 6;
    policy->rounding_mode = SDC_ROUND_MIDPOINT;
    policy->zeros_are_disclosive = false;
    sdc_findings f = check_csv("region,count\nA,0\nB,15\nC,21\nD,18\n", policy);
    cr_assert_eq(count_rule(&f, "rounding"), 1);
    cr_assert_str_eq(find_rule(&f, "rounding")->value, "18");
    sdc_findings_free(&f);
}

Test(rules, group_disclosure_fails_a_category_holding_nearly_all_of_its_row)
{
    /* Row North: 95% say Yes. Column No: 92% of the Nos are in the South. */
    sdc_findings f = check_csv("region,Yes,No,Total\nNorth,95,5,100\nSouth,40,60,100\n", policy);
    cr_assert_eq(count_rule(&f, "group-disclosure"), 2);
    bool north_yes = false, south_no = false;
    for (size_t i = 0; i < f.count; i++) {
        const sdc_finding *g = &f.items[i];
        if (strcmp(g->rule, "group-disclosure"))
            continue;
        cr_assert_eq(g->verdict, SDC_FAIL);
        north_yes |= !strcmp(g->row, "North") && !strcmp(g->column, "Yes");
        south_no |= !strcmp(g->row, "South") && !strcmp(g->column, "No");
    }
    cr_assert(north_yes && south_no);
    sdc_findings_free(&f);
}

Test(rules, group_disclosure_fires_when_all_other_cells_are_zero)
{
    /* Everyone in the North is F; every M is in the South. */
    sdc_findings f =
        check_csv("region,sex,count\nNorth,F,40\nNorth,M,0\nSouth,F,30\nSouth,M,35\n", policy);
    cr_assert_eq(count_rule(&f, "group-disclosure"), 2);
    bool north_f = false;
    for (size_t i = 0; i < f.count; i++)
        north_f |=
            !strcmp(f.items[i].rule, "group-disclosure") && !strcmp(f.items[i].row, "North / F");
    cr_assert(north_f);
    sdc_findings_free(&f);
}

Test(rules, group_disclosure_needs_two_dimensions)
{
    sdc_findings f = check_csv("sex,count\nF,950\nM,50\n", policy);
    cr_assert_eq(count_rule(&f, "group-disclosure"), 0);
    sdc_findings_free(&f);
}

Test(rules, totals_mismatch_is_review_with_the_sum_it_expected)
{
    sdc_findings f = check_csv("region,Female,Male,Total\nNorth,12,15,28\nSouth,20,22,42\n"
                               "Total,32,37,69\n",
                               policy);
    /* Row North: 12 + 15 != 28. Column Total: 28 + 42 != 69. */
    cr_assert_eq(count_rule(&f, "totals-mismatch"), 2);
    const sdc_finding *m = NULL;
    for (size_t i = 0; i < f.count; i++)
        if (!strcmp(f.items[i].rule, "totals-mismatch") && !strcmp(f.items[i].value, "28"))
            m = &f.items[i];
    cr_assert_not_null(m);
    cr_assert_eq(m->verdict, SDC_REVIEW);
    cr_assert_str_eq(m->row, "North");
    cr_assert_eq(m->limit, 27);
    sdc_findings_free(&f);
}

Test(rules, totals_that_add_up_pass_in_long_tables_with_margins)
{
    sdc_findings f = check_csv("region,sex,n\nNorth,F,12\nNorth,M,15\nNorth,Total,27\n"
                               "South,F,20\nSouth,M,22\nSouth,Total,42\nAll,F,32\nAll,M,37\n"
                               "All,Total,69\n",
                               policy);
    cr_assert_eq(count_rule(&f, "totals-mismatch"), 0);
    cr_assert_eq(count_rule(&f, "threshold"), 0);
    sdc_findings_free(&f);
}

Test(rules, totals_mismatch_is_found_in_a_long_table_margin)
{
    sdc_findings f = check_csv("region,sex,n\nNorth,F,12\nNorth,M,15\nNorth,Total,30\n", policy);
    cr_assert_eq(count_rule(&f, "totals-mismatch"), 1);
    cr_assert_eq(find_rule(&f, "totals-mismatch")->line, 4);
    sdc_findings_free(&f);
}

Test(rules, rounded_totals_within_rounding_error_are_not_a_mismatch)
{
    policy->rounding_base = 5;
    sdc_findings f = check_csv("region,Female,Male,Total\nNorth,15,15,35\n", policy);
    cr_assert_eq(count_rule(&f, "totals-mismatch"), 0);
    sdc_findings_free(&f);
}

Test(rules, a_lone_suppressed_cell_is_recovered_from_its_total_once)
{
    /* North / Female = 30 - 18 = 12, both by its row and by its column. */
    sdc_findings f = check_csv("region,Female,Male,Total\nNorth,c,18,30\nSouth,20,22,42\n"
                               "Total,32,40,72\n",
                               policy);
    cr_assert_eq(count_rule(&f, "secondary-recoverable"), 1);
    const sdc_finding *x = find_rule(&f, "secondary-recoverable");
    cr_assert_eq(x->verdict, SDC_FAIL);
    cr_assert_str_eq(x->row, "North");
    cr_assert_str_eq(x->column, "Female");
    cr_assert(strstr(x->message, "it is 12"), "%s", x->message);
    sdc_findings_free(&f);
}

Test(rules, two_suppressed_cells_in_every_line_are_not_recovered_by_subtraction)
{
    sdc_findings f = check_csv("region,Female,Male,Total\nNorth,c,c,30\nSouth,c,c,42\n"
                               "Total,32,40,72\n",
                               policy);
    cr_assert_eq(count_rule(&f, "secondary-recoverable"), 0);
    sdc_findings_free(&f);
}

Test(rules, a_table_of_labels_only_needs_review)
{
    sdc_findings f = check_csv("name,diagnosis\nJohn Smith,HIV\nJane Doe,Diabetes\n", policy);
    cr_assert_eq(count_rule(&f, "needs-review"), 1);
    cr_assert_eq(sdc_findings_verdict(&f), SDC_REVIEW);
    sdc_findings_free(&f);
}

Test(rules, percentages_without_counts_need_review)
{
    sdc_findings f = check_csv("region,pct\nNorth,12.5\nSouth,87.5\n", policy);
    cr_assert_eq(count_rule(&f, "percent-without-counts"), 1);
    sdc_findings_free(&f);
    f = check_csv("region,n,pct\nNorth,20,12.5\nSouth,140,87.5\n", policy);
    cr_assert_eq(count_rule(&f, "percent-without-counts"), 0);
    sdc_findings_free(&f);
}

/* ---- 5.2 magnitude ---- */

Test(rules, magnitude_with_few_contributors_fails_threshold)
{
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,4,300,200\nB,5000,40,400,300\n",
                               policy);
    const sdc_finding *x = NULL;
    for (size_t i = 0; i < f.count; i++)
        if (!strcmp(f.items[i].rule, "threshold") && !strcmp(f.items[i].column, "turnover"))
            x = &f.items[i];
    cr_assert_not_null(x);
    cr_assert_eq(x->line, 2);
    sdc_findings_free(&f);
}

Test(rules, nk_rule_fails_when_two_largest_exceed_ninety_percent)
{
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,20,850,60\nB,1000,20,800,90\n",
                               policy);
    cr_assert_eq(count_rule(&f, "nk-rule"), 1);
    const sdc_finding *x = find_rule(&f, "nk-rule");
    cr_assert_eq(x->line, 2);
    cr_assert_eq(x->verdict, SDC_FAIL);
    cr_assert(fabs(x->limit - 0.9) < 1e-12);
    sdc_findings_free(&f);
}

Test(rules, several_nk_pairs_are_each_applied)
{
    policy->nk[0] = (sdc_nk_pair){1, 0.5};
    policy->nk[1] = (sdc_nk_pair){2, 0.9};
    policy->nk_count = 2;
    policy->p_ratio = 0;
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,20,600,100\n",
                               policy);
    cr_assert_eq(count_rule(&f, "nk-rule"), 1, "(1, 50%%) fails, (2, 90%%) holds");
    cr_assert(strstr(find_rule(&f, "nk-rule")->message, "(1, 50%)"));
    sdc_findings_free(&f);
}

Test(rules, nk_rule_with_missing_ranks_is_bounded_not_guessed)
{
    policy->nk[0] = (sdc_nk_pair){3, 0.9};
    policy->nk_count = 1;
    policy->p_ratio = 0;
    /* x1 + x2 = 880 <= 900, but x3 could be up to 80: 960 > 900. */
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,20,800,80\n",
                               policy);
    cr_assert_eq(count_rule(&f, "nk-rule"), 1);
    cr_assert_eq(find_rule(&f, "nk-rule")->verdict, SDC_REVIEW);
    sdc_findings_free(&f);
}

Test(rules, p_ratio_fails_when_second_largest_can_estimate_the_largest)
{
    /* (1000 - 700 - 250) / 700 = 0.071 < 0.10; nk: 950 > 900 too. */
    policy->nk_count = 0;
    sdc_findings f = check_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                               "A,1000,20,700,250\nB,1000,20,500,100\n",
                               policy);
    cr_assert_eq(count_rule(&f, "p-ratio"), 1);
    cr_assert_eq(find_rule(&f, "p-ratio")->line, 2);
    sdc_findings_free(&f);
}

Test(rules, pq_rule_applies_only_when_configured)
{
    policy->nk_count = 0;
    policy->p_ratio = 0;
    const char *csv = "sic,turnover,turnover_n,turnover_max1,turnover_max2\nA,1000,20,600,300\n";
    sdc_findings f = check_csv(csv, policy);
    cr_assert_eq(count_rule(&f, "pq-rule"), 0);
    sdc_findings_free(&f);
    policy->pq_p = 0.25;
    policy->pq_q = 1.0; /* rest 100 < 0.25 * 600 = 150 */
    f = check_csv(csv, policy);
    cr_assert_eq(count_rule(&f, "pq-rule"), 1);
    sdc_findings_free(&f);
}

Test(rules, mean_dominance_uses_mean_times_n_as_the_total)
{
    policy->p_ratio = 0;
    /* total = 50 * 20 = 1000; x1 + x2 = 950 > 900 */
    sdc_findings f = check_csv("group,mean_income,n,max1,max2\nA,50,20,900,50\n", policy);
    cr_assert_eq(count_rule(&f, "nk-rule"), 1);
    sdc_findings_free(&f);
}

Test(rules, r_aggregate_dot_names_link_evidence_to_the_sum)
{
    sdc_findings f = check_csv("\"\",\"sic\",\"turnover.n\",\"turnover.sum\",\"turnover.max1\","
                               "\"turnover.max2\"\n\"1\",\"A\",20,1000,850,60\n",
                               policy);
    cr_assert_eq(count_rule(&f, "nk-rule"), 1);
    cr_assert_str_eq(find_rule(&f, "nk-rule")->column, "turnover.sum");
    cr_assert_eq(count_rule(&f, "contributors-missing"), 0);
    sdc_findings_free(&f);
}

Test(rules, a_per_cell_max_beside_a_sum_is_its_largest_contribution)
{
    policy->allow_min_max = true;
    sdc_findings f =
        check_csv("sic,turnover_count,turnover_sum,turnover_max\nA,20,1000,970\n", policy);
    cr_assert_eq(count_rule(&f, "nk-rule"), 1);
    sdc_findings_free(&f);
}

/* A mean is a sum over n: with its n and no largest contributions its
 * dominance cannot be checked (review, never a silent pass); with them it
 * is judged (31000 x 20 = 620000, max1 + max2 = 40000: 6%, passes). */
Test(rules, a_mean_needs_its_n_and_the_largest_contributions)
{
    sdc_findings f = check_csv("group,n,mean_income\nA,20,31000\nB,45,29000\n", policy);
    cr_assert_eq(sdc_findings_verdict(&f), SDC_REVIEW);
    const sdc_finding *m = find_rule(&f, "contributors-missing");
    cr_assert_not_null(m);
    cr_assert_str_eq(m->column, "mean_income");
    sdc_findings_free(&f);
    f = check_csv("group,n,mean_income,mean_income_max1,mean_income_max2\n"
                  "A,20,31000,25000,15000\nB,45,29000,24000,20000\n",
                  policy);
    cr_assert_eq(sdc_findings_verdict(&f), SDC_PASS);
    sdc_findings_free(&f);
}

/* Empty cells: suppressed only in a table that marks other cells; else a
 * group with no value (missing-values, review). A count of 12.5 is no
 * count (malformed, review). A magnitude with no contributors is a zero
 * (zeros, review), not a threshold failure. */
Test(rules, empty_cells_fractional_counts_and_empty_magnitudes)
{
    sdc_findings f = check_csv("region,F,M\nNorth,,40\nSouth,30,35\n", policy);
    const sdc_finding *e = find_rule(&f, "missing-values");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->row, "North");
    cr_assert_eq(sdc_findings_verdict(&f), SDC_REVIEW);
    sdc_findings_free(&f);
    f = check_csv("region,F,M\nNorth,c,40\nSouth,30,\n", policy);
    cr_assert_eq(count_rule(&f, "missing-values"), 0, "marked table: the empty cell is hidden");
    sdc_findings_free(&f);
    f = check_csv("region,count\nNorth,12.5\nSouth,30\n", policy);
    e = find_rule(&f, "malformed");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->value, "12.5");
    sdc_findings_free(&f);
    f = check_csv("region,n,total_income,total_income_max1,total_income_max2\n"
                  "North,0,0,0,0\nSouth,30,270000,20000,15000\n",
                  policy);
    cr_assert_eq(count_rule(&f, "threshold"), 0);
    e = find_rule(&f, "zeros");
    cr_assert_not_null(e);
    cr_assert_eq(sdc_findings_verdict(&f), SDC_REVIEW);
    sdc_findings_free(&f);
}

Test(rules, magnitude_without_contributors_is_review)
{
    sdc_findings f = check_csv("sic,total_sales\nA,1000\nB,2000\n", policy);
    cr_assert_geq(count_rule(&f, "contributors-missing"), 1);
    cr_assert_eq(find_rule(&f, "contributors-missing")->verdict, SDC_REVIEW);
    cr_assert_str_eq(find_rule(&f, "contributors-missing")->column, "total_sales");
    sdc_findings_free(&f);
}

Test(rules, negative_magnitude_is_review)
{
    sdc_findings f = check_csv("sic,profit,profit_n\nA,-100,20\nB,200,30\n", policy);
    cr_assert_eq(count_rule(&f, "negative-values"), 1);
    cr_assert_eq(find_rule(&f, "negative-values")->line, 2);
    sdc_findings_free(&f);
}

Test(rules, missing_values_are_review_only_when_the_policy_asks)
{
    const char *csv = "sic,profit,profit_n\nA,NA,20\nB,200,30\n";
    sdc_findings f = check_csv(csv, policy);
    cr_assert_eq(count_rule(&f, "missing-values"), 0);
    sdc_findings_free(&f);
    policy->check_missing_values = true;
    f = check_csv(csv, policy);
    cr_assert_eq(count_rule(&f, "missing-values"), 1);
    sdc_findings_free(&f);
}

/* ---- 5.3 statistics ---- */

Test(rules, minimum_and_maximum_fail_unless_allowed)
{
    const char *csv = "group,n,min_age,max_age\nA,20,18,64\nB,30,19,70\n";
    sdc_findings f = check_csv(csv, policy);
    cr_assert_eq(count_rule(&f, "min-max"), 2, "one finding per column");
    sdc_findings_free(&f);
    policy->allow_min_max = true;
    f = check_csv(csv, policy);
    cr_assert_eq(count_rule(&f, "min-max"), 0);
    sdc_findings_free(&f);
}

Test(rules, equal_min_and_max_is_all_values_are_same)
{
    policy->allow_min_max = true;
    sdc_findings f = check_csv("group,n,min_age,max_age\nA,20,40,40\nB,30,19,70\n", policy);
    cr_assert_eq(count_rule(&f, "all-values-are-same"), 1);
    cr_assert_eq(find_rule(&f, "all-values-are-same")->line, 2);
    sdc_findings_free(&f);
}

Test(rules, zero_sd_is_all_values_are_same)
{
    sdc_findings f = check_csv("group,n,sd\nA,20,0\nB,30,1.5\n", policy);
    cr_assert_eq(count_rule(&f, "all-values-are-same"), 1);
    sdc_findings_free(&f);
}

Test(rules, mode_needs_evidence_of_enough_records)
{
    sdc_findings f = check_csv("group,n,mode,mode_n\nA,40,3,12\nB,40,5,4\n", policy);
    cr_assert_eq(count_rule(&f, "mode"), 1);
    cr_assert_eq(find_rule(&f, "mode")->line, 3);
    sdc_findings_free(&f);
    f = check_csv("group,n,mode\nA,40,3\n", policy);
    cr_assert_eq(count_rule(&f, "mode"), 1);
    sdc_findings_free(&f);
}

Test(rules, percentile_of_too_few_records_fails)
{
    sdc_findings f = check_csv("group,n,median,p90\nA,40,3,9\nB,6,5,8\n", policy);
    cr_assert_eq(count_rule(&f, "percentile"), 2);
    cr_assert_eq(find_rule(&f, "percentile")->line, 3);
    sdc_findings_free(&f);
}

/* ---- 5.4 regression ---- */

Test(rules, regression_with_few_residual_dof_fails)
{
    sdc_findings f = check_csv("term,estimate,std_error,df_resid\nx,1,0.1,6\n", policy);
    const sdc_finding *d = find_rule(&f, "dof");
    cr_assert_not_null(d);
    cr_assert_eq(d->verdict, SDC_FAIL);
    cr_assert_eq(d->limit, 10);
    sdc_findings_free(&f);
}

Test(rules, regression_dof_comes_from_nobs_less_coefficients)
{
    sdc_findings f = check_csv("term,estimate,std_error,nobs\n(Intercept),1,0.1,13\nx,2,0.1,13\n"
                               "z,3,0.1,13\nw,4,0.1,13\n",
                               policy);
    cr_assert_eq(count_rule(&f, "dof"), 1, "13 - 4 = 9 < 10");
    sdc_findings_free(&f);
    f = check_csv("term,estimate,std_error,nobs\n(Intercept),1,0.1,14\nx,2,0.1,14\n"
                  "z,3,0.1,14\nw,4,0.1,14\n",
                  policy);
    cr_assert_eq(count_rule(&f, "dof"), 0, "14 - 4 = 10");
    sdc_findings_free(&f);
}

Test(rules, regression_without_dof_or_nobs_is_dof_missing)
{
    sdc_findings f = check_csv("term,estimate,std_error,p_value\nx,1,0.1,0.01\n", policy);
    cr_assert_eq(count_rule(&f, "dof-missing"), 1);
    cr_assert_eq(find_rule(&f, "dof-missing")->verdict, SDC_REVIEW);
    sdc_findings_free(&f);
}

/* ---- 5.5 identifiers ---- */

Test(rules, nhs_number_in_a_cell_fails_and_is_masked)
{
    sdc_findings f = check_csv("note,n\n\"patient 943 476 5919\",12\n", policy);
    const sdc_finding *x = find_rule(&f, "identifier");
    cr_assert_not_null(x);
    cr_assert_eq(x->verdict, SDC_FAIL);
    cr_assert_eq(x->line, 2);
    cr_assert_null(strstr(x->value, "476"), "the identifier is masked");
    sdc_findings_free(&f);
}

/* Amounts are not identifiers: 9434765919 carries a valid NHS check digit
 * (the Data Dictionary's example, 943 476 5919), but in a column of sums
 * whose other values do not, it is an amount. */
Test(rules, ten_digit_sum_in_a_magnitude_column_is_an_amount)
{
    sdc_findings f = check_csv("area,sex,n,income\nA1,Female,40000,4123456789\n"
                               "A1,Male,41000,5311309130\nA1,Total,81000,9434765919\n",
                               policy);
    cr_assert_eq(count_rule(&f, "identifier"), 0);
    sdc_findings_free(&f);
}

/* A count column every number of which is a valid NHS number (check digits
 * by the Data Dictionary's modulus 11: 9434765919, 4010232137, 1234567881)
 * is a column of identifiers, whatever its role. */
Test(rules, column_of_nhs_numbers_fails_even_as_counts)
{
    sdc_findings f = check_csv("area,n\nA1,9434765919\nA2,4010232137\nA3,1234567881\n", policy);
    cr_assert_eq(count_rule(&f, "identifier"), 3);
    cr_assert_eq(find_rule(&f, "identifier")->verdict, SDC_FAIL);
    sdc_findings_free(&f);
}

Test(rules, email_in_a_header_fails)
{
    sdc_findings f = check_csv("region,jane.doe@example.org\nNorth,12\n", policy);
    cr_assert_eq(count_rule(&f, "identifier"), 1);
    sdc_findings_free(&f);
}

/* ---- 5.6 microdata ---- */

Test(rules, id_column_unique_on_every_row_is_microdata)
{
    char csv[4096];
    size_t o = (size_t)snprintf(csv, sizeof csv, "person_id,sex,age_band\n");
    for (int i = 0; i < 30; i++)
        o += (size_t)snprintf(csv + o, sizeof csv - o, "P%04d,%s,%s\n", i * 7 + 3,
                              i % 2 ? "F" : "M", i % 3 ? "16-24" : "25-34");
    sdc_findings f = check_csv(csv, policy);
    const sdc_finding *m = find_rule(&f, "microdata");
    cr_assert_not_null(m);
    cr_assert(strstr(m->message, "person_id"));
    sdc_findings_free(&f);
}

Test(rules, repeated_label_combinations_are_microdata)
{
    char csv[4096];
    size_t o = (size_t)snprintf(csv, sizeof csv, "region,sex,income\n");
    for (int i = 0; i < 40; i++)
        o += (size_t)snprintf(csv + o, sizeof csv - o, "%s,%s,%d\n", i % 2 ? "North" : "South",
                              i % 4 < 2 ? "F" : "M", 20000 + i * 37);
    sdc_findings f = check_csv(csv, policy);
    cr_assert_eq(count_rule(&f, "microdata"), 1);
    cr_assert(strstr(find_rule(&f, "microdata")->message, "repeat"));
    sdc_findings_free(&f);
}

Test(rules, date_of_birth_column_is_microdata)
{
    sdc_findings f = check_csv("region,date_of_birth,n\nNorth,1980-01-02,12\n", policy);
    cr_assert_eq(count_rule(&f, "microdata"), 1);
    sdc_findings_free(&f);
}

/* Past max_table_rows, rows that repeat their labels (records) stop being
 * kept: one microdata finding with the row count. */
Test(rules, more_rows_than_max_table_rows_is_microdata)
{
    policy->max_table_rows = 100;
    size_t cap = 200 * 32 + 64;
    char *csv = malloc(cap);
    size_t o = (size_t)snprintf(csv, cap, "region,count\n");
    for (int i = 0; i < 200; i++)
        o += (size_t)snprintf(csv + o, cap - o, "area%d,%d\n", i % 30, 10 + i);
    sdc_findings f = check_csv(csv, policy);
    const sdc_finding *m = find_rule(&f, "microdata");
    cr_assert_not_null(m);
    cr_assert_str_eq(m->value, "200");
    cr_assert_eq(m->limit, 100);
    cr_assert_eq(count_rule(&f, "microdata"), 1);
    cr_assert_eq(f.count, 1, "the other rules do not repeat it row by row");
    sdc_findings_free(&f);
    free(csv);
}

/* A long table with one row per combination of its labels and a count is
 * a table however many rows it has (small areas by sex): 3,000 rows under
 * a limit of 100 are kept and judged, and nothing says microdata. */
Test(rules, an_aggregate_longer_than_max_table_rows_is_a_table)
{
    policy->max_table_rows = 100;
    size_t cap = 3000 * 32 + 64;
    char *csv = malloc(cap);
    size_t o = (size_t)snprintf(csv, cap, "area,sex,count\n");
    for (int i = 0; i < 1000; i++)
        o += (size_t)snprintf(csv + o, cap - o, "A%04d,F,%d\nA%04d,M,%d\nA%04d,Total,%d\n", i,
                              20 + i % 7, i, 30 + i % 5, i, 50 + i % 7 + i % 5);
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    cr_assert_eq(t->nrows, 3000);
    cr_assert(!t->truncated);
    sdc_table_free(t);
    sdc_findings_free(&f);
    f = check_csv(csv, policy);
    cr_assert_eq(count_rule(&f, "microdata"), 0);
    cr_assert_eq(sdc_findings_verdict(&f), SDC_PASS);
    sdc_findings_free(&f);
    free(csv);
}

Test(rules, safe_aggregate_table_has_no_failing_or_review_finding)
{
    sdc_findings f = check_csv("region,Female,Male,Total\nNorth,120,150,270\nSouth,200,220,420\n"
                               "Total,320,370,690\n",
                               policy);
    cr_assert_eq(sdc_findings_verdict(&f), SDC_PASS);
    sdc_findings_free(&f);
}

Test(rules, the_rules_suppression_mends_are_listed_once)
{
    const char *primary[] = {"threshold", "nk-rule", "p-ratio", "pq-rule", "group-disclosure"};
    for (size_t i = 0; i < 5; i++) {
        cr_assert(sdc_rule_is_primary(primary[i]), "%s", primary[i]);
        cr_assert(sdc_rule_is_fixable(primary[i]), "%s", primary[i]);
    }
    cr_assert(!sdc_rule_is_primary("secondary-recoverable"));
    cr_assert(sdc_rule_is_fixable("secondary-recoverable"));
    cr_assert(sdc_rule_is_fixable("secondary-narrow"));
    const char *other[] = {"model-file", "identifier", "microdata", "contributors-missing",
                           "zeros",      "rounding",   "dof"};
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        cr_assert(!sdc_rule_is_fixable(other[i]), "%s is not mended by suppression", other[i]);
}

Test(rules, a_count_that_is_no_number_and_no_marker_is_malformed)
{
    /* A control byte in a count: the rules cannot judge it (review). */
    sdc_findings f = check_csv("sex,count\nF,210\nM,2\x04\n", policy);
    const sdc_finding *m = find_rule(&f, "malformed");
    cr_assert_not_null(m, "a count with a control byte is not passed over");
    cr_assert_eq(m->verdict, SDC_REVIEW);
    cr_assert_eq(m->line, 3);
    sdc_findings_free(&f);
    /* Suppression markers and missing values are what a count may be. */
    f = check_csv("region,count\nNorth,120\nSouth,c\nEast,*\nWest,NA\nWales,[c]\n", policy);
    cr_assert_eq(count_rule(&f, "malformed"), 0);
    sdc_findings_free(&f);
}

/* --- residual df inferred (dof_infer.c) --- */

/* Student's t tables (e.g. Abramowitz and Stegun, table 26.10): the
 * 97.5% quantile with 8 df is 2.306004, with 30 df 2.042272; so a
 * two-sided p of 0.05 at t = 2.306004 means 8 df. */
Test(rules, df_are_found_from_a_t_quantile_and_from_t_with_its_p)
{
    cr_expect_float_eq(sdc_dof_from_quantile(2.306004), 8.0, 1e-3);
    cr_expect_float_eq(sdc_dof_from_quantile(2.042272), 30.0, 1e-2);
    cr_expect_float_eq(sdc_dof_from_tp(2.306004, 0.05), 8.0, 1e-3);
    cr_expect_float_eq(sdc_dof_from_tp(-2.042272, 0.05), 30.0, 1e-2);
    cr_expect(isinf(sdc_dof_from_quantile(1.95)), "at or under the normal's 1.959964");
    cr_expect(isinf(sdc_dof_from_tp(1.959964, 0.049)), "a p only the normal gives");
}

/* A broom-shaped table with no df: t = 2.306004 with p = 0.05 gives 8 df
 * (fail); rounded to t = 2.31, p = 0.05, the df that t in [2.305, 2.315]
 * and p in [0.045, 0.055] allow run from 6.8 to 9.6 (scipy: brentq on
 * 2 t.sf(t, df) = p), still below 10. t = 2.000 with p = 0.0687 (12 df:
 * 2 t.sf(2, 12) = 0.068655) allows 11.9 to 12.0: it passes. z statistics
 * cannot be read (dof-missing). */
Test(rules, regression_without_df_is_judged_on_the_df_it_implies)
{
    sdc_findings f = check_csv("term,estimate,std.error,statistic,p.value\n"
                               "(Intercept),1.2,0.5,2.306004,0.05\nx,0.8,0.2,3,0.0171\n",
                               policy);
    const sdc_finding *d = find_rule(&f, "dof");
    cr_assert_not_null(d);
    cr_expect_eq(d->verdict, SDC_FAIL);
    cr_expect_eq(count_rule(&f, "dof-missing"), 0);
    sdc_findings_free(&f);

    f = check_csv("term,estimate,std.error,statistic,p.value\nx,1.2,0.5,2.31,0.05\n", policy);
    d = find_rule(&f, "dof");
    cr_assert_not_null(d);
    cr_expect_eq(d->verdict, SDC_FAIL);
    sdc_findings_free(&f);

    f = check_csv("term,estimate,std.error,statistic,p.value\nx,1.2,0.6,2.000,0.0687\n", policy);
    cr_expect_eq(count_rule(&f, "dof"), 0);
    cr_expect_eq(count_rule(&f, "dof-missing"), 0);
    sdc_findings_free(&f);

    /* 95% interval of 2.306004 standard errors each side: 8 df */
    f = check_csv("term,estimate,std.error,conf.low,conf.high\n"
                  "x,1,0.500000,-0.153002,2.153002\n",
                  policy);
    d = find_rule(&f, "dof");
    cr_assert_not_null(d);
    cr_expect_eq(d->verdict, SDC_FAIL);
    sdc_findings_free(&f);

    /* a z test: 2 Q_normal(1.96) = 0.05; rounded, the t and p allow any
     * df from about 20 up (the normal too): a column called "statistic"
     * may be a GLM's z, so nothing is inferred */
    f = check_csv("term,estimate,std.error,statistic,p.value\nx,0.98,0.5,1.96,0.05\n", policy);
    cr_expect_eq(count_rule(&f, "dof"), 0);
    cr_expect_eq(count_rule(&f, "dof-missing"), 1);
    sdc_findings_free(&f);
}

/* Numbers past long long's range in cells ("1e20", "<1e20") are judged
 * without a cast that C leaves undefined (UBSan runs this). */
Test(rules, huge_numbers_in_cells_are_read_without_undefined_behaviour)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("region,count\nNorth,1e20\nSouth,<1e20\nEast,12.5e300\n", policy, &f);
    cr_assert(sdc_table_cell(t, 0, 1)->is_integer, "1e20 is a whole number");
    cr_assert_eq(sdc_table_cell(t, 1, 1)->kind, SDC_CELL_SUPPRESSED);
    cr_assert_float_eq(sdc_table_cell(t, 1, 1)->bound_hi, 1e20, 1e6, "<1e20 bounds below 1e20");
    sdc_table_free(t);
    sdc_findings_free(&f);
    f = check_csv("region,count\nNorth,1e20\nSouth,2e20\n", policy);
    cr_assert_eq(count_rule(&f, "threshold"), 0);
    sdc_findings_free(&f);
}

Test(rules, the_primary_check_finds_every_primary_finding_and_runs_no_other_family)
{
    /* By hand: North/F's count 3 and its income's 3 contributors are below
     * 10 (threshold); North/M holds 93% of North (group-disclosure); its
     * income and North's are dominated (nk-rule, p-ratio). South's income
     * total, Total/F's count and income and the grand income total do not
     * add up (totals-mismatch), and a region is an e-mail address
     * (identifier): neither is primary. */
    static const char csv[] =
        "region,sex,n,income,income_max1,income_max2\n"
        "North,F,3,300,150,100\nNorth,M,40,4000,3900,50\n"
        "North,Total,43,4300,3900,150\nSouth,F,30,3000,200,150\n"
        "South,M,25,2500,300,200\nSouth,Total,55,5501,300,200\n"
        "Total,F,33,3300,200,150\nTotal,M,65,6500,3900,200\n"
        "Total,Total,98,9801,3900,200\nsomeone@example.com,F,20,2000,300,200\n";
    sdc_table *t = sdc_test_layout(csv, policy);
    sdc_id_scanner *s = sdc_id_scanner_new(policy, NULL);
    sdc_findings all = {0}, primary = {0};
    sdc_table_check(t, policy, s, &all);
    sdc_table_check_primary(t, policy, s, &primary);
    size_t n = 0;
    for (size_t i = 0; i < all.count; i++) {
        const sdc_finding *a = &all.items[i];
        if (!sdc_rule_is_primary(a->rule))
            continue;
        while (n < primary.count && !sdc_rule_is_primary(primary.items[n].rule))
            n++;
        cr_assert_lt(n, primary.count, "%s at line %ld missing", a->rule, a->line);
        const sdc_finding *p = &primary.items[n++];
        cr_assert_str_eq(p->rule, a->rule);
        cr_assert_eq(p->line, a->line);
        cr_assert_str_eq(p->column, a->column);
        cr_assert_str_eq(p->message, a->message);
        cr_assert_eq(p->verdict, a->verdict);
    }
    while (n < primary.count)
        cr_assert_not(sdc_rule_is_primary(primary.items[n++].rule), "a primary finding too many");
    cr_assert_eq(count_rule(&all, "threshold"), 2);
    cr_assert_eq(count_rule(&all, "group-disclosure"), 1);
    cr_assert_eq(count_rule(&all, "nk-rule") + count_rule(&all, "p-ratio"), 4);
    cr_assert_eq(count_rule(&all, "identifier"), 1);
    cr_assert_eq(count_rule(&primary, "identifier"), 0);
    cr_assert_eq(count_rule(&all, "totals-mismatch"), 4);
    cr_assert_eq(count_rule(&primary, "totals-mismatch"), 1, "the counts' lines only");
    sdc_findings_free(&all);
    sdc_findings_free(&primary);
    sdc_id_scanner_free(s);
    sdc_table_free(t);
}
