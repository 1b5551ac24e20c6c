/* test_layout.c - what each column means (doc/design.md, "Layouts"). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

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
TestSuite(layout, .init = setup, .fini = teardown);

static sdc_column_role role_of(const sdc_table *t, const char *name)
{
    long c = sdc_table_column(t, name);
    cr_assert(c >= 0, "no column %s", name);
    return t->columns[c].role;
}

Test(layout, long_table_has_label_columns_and_a_count)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("region,sex,count\nNorth,F,12\nNorth,M,15\n", policy, &f);
    cr_assert_eq(t->shape, SDC_SHAPE_LONG);
    cr_assert_eq(role_of(t, "region"), SDC_COL_LABEL);
    cr_assert_eq(role_of(t, "sex"), SDC_COL_LABEL);
    cr_assert_eq(role_of(t, "count"), SDC_COL_COUNT);
    cr_assert_eq(t->label_columns, 2);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, wide_crosstab_category_columns_hold_counts)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("region,Female,Male,Total\nNorth,12,15,27\nSouth,20,22,42\n"
                              "Total,32,37,69\n",
                              policy, &f);
    cr_assert_eq(t->shape, SDC_SHAPE_WIDE);
    cr_assert_eq(role_of(t, "Female"), SDC_COL_COUNT);
    cr_assert_eq(role_of(t, "Total"), SDC_COL_COUNT);
    cr_assert(t->columns[sdc_table_column(t, "Total")].is_total);
    cr_assert(!t->columns[sdc_table_column(t, "Male")].is_total);
    cr_assert(t->row_is_total[2]);
    cr_assert(!t->row_is_total[0]);
    cr_assert_eq(count_rule(&f, "unrecognised-column"), 0, "a crosstab needs no note");
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, unrecognised_integer_column_is_read_as_counts_with_a_note)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("area,deaths\nA,12\nB,30\n", policy, &f);
    cr_assert_eq(role_of(t, "deaths"), SDC_COL_COUNT);
    cr_assert(t->columns[1].read_as_counts);
    const sdc_finding *n = find_rule(&f, "unrecognised-column");
    cr_assert_not_null(n);
    cr_assert_eq(n->verdict, SDC_PASS);
    cr_assert_str_eq(n->column, "deaths");
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, unrecognised_decimal_column_needs_review)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("area,n,score\nA,12,0.53\nB,30,1.25\n", policy, &f);
    cr_assert_eq(role_of(t, "score"), SDC_COL_UNKNOWN);
    const sdc_finding *n = find_rule(&f, "unrecognised-column");
    cr_assert_not_null(n);
    cr_assert_eq(n->verdict, SDC_REVIEW);
    cr_assert_str_eq(n->column, "score");
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, measure_kinds_come_from_header_names)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("group,n,mean_income,sd,median,min_age,max_age,mode,pct,total_pay\n"
                              "A,12,1.5,0.2,3,18,65,4,10.5,1000\n",
                              policy, &f);
    cr_assert_eq(role_of(t, "n"), SDC_COL_COUNT);
    cr_assert_eq(role_of(t, "mean_income"), SDC_COL_MEAN);
    cr_assert_eq(role_of(t, "sd"), SDC_COL_SPREAD);
    cr_assert_eq(role_of(t, "median"), SDC_COL_PERCENTILE);
    cr_assert_eq(role_of(t, "min_age"), SDC_COL_EXTREME);
    cr_assert_eq(role_of(t, "max_age"), SDC_COL_EXTREME);
    cr_assert_eq(role_of(t, "mode"), SDC_COL_MODE);
    cr_assert_eq(role_of(t, "pct"), SDC_COL_PERCENT);
    cr_assert_eq(role_of(t, "total_pay"), SDC_COL_MAGNITUDE);
    /* Every measure finds the table's one count as its contributors. */
    cr_assert_eq(t->columns[sdc_table_column(t, "mean_income")].contributors,
                 sdc_table_column(t, "n"));
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, prefixed_evidence_makes_its_neighbour_a_magnitude)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("sic,turnover,turnover_n,turnover_max1,turnover_max2\n"
                              "A,1000,12,300,200\n",
                              policy, &f);
    long m = sdc_table_column(t, "turnover");
    cr_assert_eq(t->columns[m].role, SDC_COL_MAGNITUDE);
    cr_assert_eq(t->columns[m].contributors, sdc_table_column(t, "turnover_n"));
    cr_assert_eq(t->columns[m].largest[0], sdc_table_column(t, "turnover_max1"));
    cr_assert_eq(t->columns[m].largest[1], sdc_table_column(t, "turnover_max2"));
    cr_assert_eq(role_of(t, "turnover_max1"), SDC_COL_LARGEST);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, bare_n_max1_max2_turn_an_unnamed_measure_into_a_magnitude)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("sector,value_gbp,n,max1,max2\nA,1000.5,12,300,200\n", policy, &f);
    long m = sdc_table_column(t, "value_gbp");
    cr_assert_eq(t->columns[m].role, SDC_COL_MAGNITUDE);
    cr_assert_eq(role_of(t, "n"), SDC_COL_CONTRIBUTORS);
    cr_assert_eq(t->columns[m].contributors, sdc_table_column(t, "n"));
    cr_assert_eq(t->columns[m].largest[0], sdc_table_column(t, "max1"));
    cr_assert_eq(t->columns[m].largest[1], sdc_table_column(t, "max2"));
    cr_assert_eq(count_rule(&f, "unrecognised-column"), 0);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, top1_top2_and_largest_are_evidence_aliases)
{
    sdc_findings f = {0};
    sdc_table *t =
        layout_csv("sector,sales,sales_top1,sales_second_largest\nA,1000,300,200\n", policy, &f);
    long m = sdc_table_column(t, "sales");
    cr_assert_eq(t->columns[m].largest[0], sdc_table_column(t, "sales_top1"));
    cr_assert_eq(t->columns[m].largest[1], sdc_table_column(t, "sales_second_largest"));
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, regression_table_is_recognised)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("term,estimate,std_error,t,p_value,df_resid\n"
                              "(Intercept),1.2,0.3,4,0.001,120\nage,0.05,0.01,5,0.0001,120\n",
                              policy, &f);
    cr_assert_eq(t->shape, SDC_SHAPE_REGRESSION);
    cr_assert_eq(role_of(t, "estimate"), SDC_COL_REGRESSION);
    cr_assert_eq(role_of(t, "df_resid"), SDC_COL_DOF);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, multi_level_header_rows_fold_into_column_names)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv(",2020,,2021,\nregion,Female,Male,Female,Male\n"
                              "North,12,15,13,16\nSouth,20,22,21,23\n",
                              policy, &f);
    cr_assert_eq(t->header_rows, 2);
    cr_assert_eq(t->nrows, 2);
    cr_assert_str_eq(t->columns[0].name, "region");
    cr_assert_str_eq(t->columns[1].name, "2020 / Female");
    cr_assert_str_eq(t->columns[2].name, "2020 / Male");
    cr_assert_str_eq(t->columns[4].name, "2021 / Male");
    cr_assert_eq(t->shape, SDC_SHAPE_WIDE);
    cr_assert_eq(t->row_line[0], 3, "body rows keep their file lines");
    sdc_table_free(t);
    sdc_findings_free(&f);
}

/* A first row of text under a header of distinct names is data: "abc"
 * in the count column is a malformed cell (rules_cells.c), and folding
 * it into the header would hide its row (it passed before). */
Test(layout, text_in_a_count_column_is_a_data_row_not_a_second_header)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("age,count\n25-64,abc\n65+,30\n", policy, &f);
    cr_assert_eq(t->header_rows, 1);
    cr_assert_eq(t->nrows, 2);
    cr_assert_str_eq(t->columns[1].name, "count");
    sdc_table_free(t);
    sdc_findings_free(&f);
    sdc_findings all = check_csv("age,count\n25-64,abc\n65+,30\n", policy);
    cr_assert_eq(sdc_findings_verdict(&all), SDC_REVIEW);
    const sdc_finding *m = find_rule(&all, "malformed");
    cr_assert_not_null(m);
    cr_assert_eq(m->line, 2);
    sdc_findings_free(&all);
}

/* A repeated upper name spans its columns as a blank one does. */
Test(layout, repeated_upper_names_fold_as_spanning_header)
{
    sdc_findings f = {0};
    sdc_table *t =
        layout_csv("region,2020,2020\nsex,Female,Male\nNorth,12,15\nSouth,20,22\n", policy, &f);
    cr_assert_eq(t->header_rows, 2);
    cr_assert_str_eq(t->columns[2].name, "2020 / Male");
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, year_column_is_a_dimension_not_a_count)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("yr,region,count\n2020,North,12\n2021,North,14\n", policy, &f);
    cr_assert_eq(role_of(t, "yr"), SDC_COL_LABEL);
    cr_assert_eq(role_of(t, "count"), SDC_COL_COUNT);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, r_row_name_column_is_an_index_not_counts)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("\"\",\"region\",\"n\"\n\"1\",\"North\",12\n\"2\",\"South\",40\n"
                              "\"3\",\"East\",33\n",
                              policy, &f);
    cr_assert(t->columns[0].is_index);
    cr_assert_eq(t->columns[0].role, SDC_COL_LABEL);
    char labels[64];
    cr_assert_str_eq(sdc_table_row_labels(t, 1, labels, sizeof labels), "South");
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, percent_signs_make_an_unnamed_column_percentages)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("group,share_of_people\nA,12.5%\nB,87.5%\n", policy, &f);
    cr_assert_eq(role_of(t, "share_of_people"), SDC_COL_PERCENT);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

Test(layout, policy_words_in_other_languages_name_counts)
{
    sdc_policy_errors errs = {0};
    char dir[] = "/tmp/sdc-layout-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/cy.yaml", dir);
    FILE *fp = fopen(path, "w");
    fputs("name: welsh\nextends: ons-srs\nadd_count_names: [nifer]\n", fp);
    fclose(fp);
    sdc_policy *cy = sdc_policy_load(path, &errs);
    cr_assert_not_null(cy, "policy did not load");
    sdc_findings f = {0};
    sdc_table *t = layout_csv("ardal,nifer\nGogledd,12\nDe,4.5\n", cy, &f);
    cr_assert_eq(role_of(t, "nifer"), SDC_COL_COUNT);
    sdc_table_free(t);
    sdc_findings_free(&f);
    sdc_policy_free(cy);
    sdc_policy_errors_free(&errs);
    unlink(path);
    rmdir(dir);
}

/* pandas' describe(): statistics as rows, variables as columns. Turned,
 * each variable is a row and each statistic a column with its role. */
Test(layout, statistics_as_rows_are_turned_into_columns)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv(",age,income\ncount,12,12\nmean,41.5,31608.3\nstd,11.2,12262.2\n"
                              "min,23,11000\n50%,40,33900\nmax,61,51000\n",
                              policy, &f);
    cr_assert_eq(t->nrows, 2);
    cr_assert_eq(t->ncols, 7);
    cr_assert_str_eq(sdc_table_cell(t, 1, 0)->text, "income");
    cr_assert_eq(role_of(t, "count"), SDC_COL_COUNT);
    cr_assert_eq(role_of(t, "mean"), SDC_COL_MEAN);
    cr_assert_eq(role_of(t, "max"), SDC_COL_EXTREME);
    cr_assert_eq(role_of(t, "50%"), SDC_COL_PERCENTILE);
    cr_assert_float_eq(sdc_table_cell(t, 1, 6)->number, 51000, 1e-9);
    sdc_table_free(t);
    sdc_findings_free(&f);
    /* a table whose first column is categories is not turned */
    t = layout_csv("region,F,M\nNorth,12,15\nSouth,20,22\nEast,13,14\n", policy, &f);
    cr_assert_eq(t->nrows, 3);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

/* janitor's "52.9% (9)" and medical tables' "n (%)" cells: a percentage
 * column and a count column each. */
Test(layout, combined_percent_and_count_cells_are_split)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv("region,Female\nNorth,52.9% (9)\nSouth,50.0% (40)\n", policy, &f);
    cr_assert_eq(t->ncols, 3);
    cr_assert_eq(role_of(t, "Female %"), SDC_COL_PERCENT);
    cr_assert_eq(role_of(t, "Female count"), SDC_COL_COUNT);
    cr_assert_float_eq(sdc_table_cell(t, 0, 2)->number, 9, 1e-9);
    sdc_table_free(t);
    sdc_findings_free(&f);
    t = layout_csv("region,n (%)\nNorth,3 (7.0)\nSouth,40 (93.0)\n", policy, &f);
    cr_assert_eq(role_of(t, "n count"), SDC_COL_COUNT);
    cr_assert_float_eq(sdc_table_cell(t, 0, 2)->number, 3, 1e-9);
    cr_assert_float_eq(sdc_table_cell(t, 0, 1)->number, 7, 1e-9);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

/* esttab's layout: coefficients with stars, t statistics in brackets on
 * the rows below, N at the foot: one row a model's coefficient, with the
 * model's residual df (N less its coefficients). */
Test(layout, an_esttab_table_becomes_a_coefficient_table)
{
    sdc_findings f = {0};
    sdc_table *t =
        layout_csv(",(1)\nmpg,-298.4**\n,(-2.91)\n_cons,12468.3***\n,(5.73)\nN,9\n", policy, &f);
    cr_assert_eq(t->shape, SDC_SHAPE_REGRESSION);
    cr_assert_eq(t->nrows, 2);
    cr_assert_str_eq(sdc_table_cell(t, 0, 0)->text, "(1): mpg");
    cr_assert_float_eq(sdc_table_cell(t, 0, 1)->number, -298.4, 1e-9);
    cr_assert_eq(role_of(t, "df_resid"), SDC_COL_DOF);
    cr_assert_float_eq(sdc_table_cell(t, 1, 2)->number, 7, 1e-9);
    sdc_table_free(t);
    sdc_findings_free(&f);
}

/* Excel-minded quoting (esttab: ="text"): the '=' before a quote at a
 * field's start is dropped; an '=' anywhere else stays. */
Test(layout, excel_formula_quoting_is_read_as_the_text_it_shows)
{
    sdc_findings f = {0};
    sdc_table *t =
        layout_csv("=\"region\",=\"n\"\n=\"North\",=\"12\"\n=\"a=b\",=\"15\"\n", policy, &f);
    cr_assert_str_eq(t->columns[0].name, "region");
    cr_assert_str_eq(sdc_table_cell(t, 0, 0)->text, "North");
    cr_assert_float_eq(sdc_table_cell(t, 0, 1)->number, 12, 1e-9);
    cr_assert_str_eq(sdc_table_cell(t, 1, 0)->text, "a=b");
    sdc_table_free(t);
    sdc_findings_free(&f);
}
