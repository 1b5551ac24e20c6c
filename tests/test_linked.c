/* test_linked.c - tables of one submission audited together (SPEC 5.7). */
#include <criterion/criterion.h>
#include <stdio.h>

#include "helpers.h"

static sdc_policy *policy;
static sdc_checker *checker;
static char dir[64];

static void setup(void)
{
    policy = sdc_policy_default();
    checker = sdc_checker_new(policy, NULL);
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "linked"));
}

static void teardown(void)
{
    sdc_checker_free(checker);
    sdc_policy_free(policy);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

TestSuite(linked, .init = setup, .fini = teardown);

static void put(const char *name, const char *text)
{
    char *path = put_file(dir, name, text);
    cr_assert_not_null(path, "cannot write %s", name);
    free(path);
}

/* Checks the folder; returns the result of the file named NAME. */
static const sdc_file_result *check_dir(sdc_report *rep, const char *name)
{
    const char *paths[] = {dir};
    cr_assert_eq(sdc_check_paths(checker, paths, 1, 1, rep, NULL), 0);
    for (size_t i = 0; i < rep->file_count; i++) {
        const char *slash = strrchr(rep->files[i].path, '/');
        if (strcmp(slash ? slash + 1 : rep->files[i].path, name) == 0)
            return &rep->files[i];
    }
    cr_assert_fail("%s not in the report", name);
    return NULL;
}

/* Region by sex with North's row hidden: safe alone (no column totals). */
static const char by_region[] = "region,M,F,Total\nNorth,c,c,40\nSouth,18,27,45\nEast,30,32,62\n";
/* The sex totals, published in a second table: M = 60 gives North's M back. */
static const char by_sex[] = "sex,n\nM,60\nF,87\nTotal,147\n";

Test(linked, a_cell_safe_in_its_own_table_is_recovered_through_a_second_table)
{
    put("by_region.csv", by_region);
    sdc_report alone = {0};
    const sdc_file_result *r = check_dir(&alone, "by_region.csv");
    cr_assert_eq(count_rule(&r->findings, "secondary-recoverable"), 0, "alone it is protected");
    cr_assert_eq(r->verdict, SDC_PASS);
    sdc_report_free(&alone);

    put("by_sex.csv", by_sex);
    sdc_report rep = {0};
    r = check_dir(&rep, "by_region.csv");
    cr_assert_eq(count_rule(&r->findings, "secondary-recoverable"), 2);
    const sdc_finding *f = find_rule(&r->findings, "secondary-recoverable");
    cr_assert_eq(f->line, 2);
    cr_assert(strstr(f->message, "by_sex.csv"), "%s", f->message);
    cr_assert(strstr(f->message, "it is 28") || strstr(f->message, "it is 12"), "%s", f->message);
    cr_assert_eq(r->verdict, SDC_FAIL);
    const sdc_finding *note = find_rule(&r->findings, "linked-tables");
    cr_assert_not_null(note);
    cr_assert_eq(note->verdict, SDC_PASS);
    cr_assert(strstr(note->message, "by_sex.csv"), "%s", note->message);
    sdc_report_free(&rep);
}

Test(linked, the_same_tables_protected_together_pass)
{
    /* North and South both hidden in M and F: the sex totals leave one free
     * parameter of 0..30 (North's M), wide enough. */
    put("by_region.csv", "region,M,F,Total\nNorth,c,c,40\nSouth,c,c,45\nEast,30,32,62\n");
    put("by_sex.csv", by_sex);
    sdc_report rep = {0};
    const sdc_file_result *r = check_dir(&rep, "by_region.csv");
    cr_assert_eq(count_rule(&r->findings, "secondary-recoverable"), 0);
    cr_assert_eq(count_rule(&r->findings, "secondary-narrow"), 0);
    cr_assert_not_null(find_rule(&r->findings, "linked-tables"));
    cr_assert_eq(r->verdict, SDC_PASS);
    sdc_report_free(&rep);
}

Test(linked, a_cell_hidden_in_one_table_and_published_in_another_is_named_with_both)
{
    put("by_region.csv", "region,M,F,Total\nNorth,c,c,40\nSouth,c,c,45\nEast,30,32,62\n");
    put("detail.csv", "region,sex,n\nNorth,M,12\nNorth,F,28\n");
    sdc_report rep = {0};
    const sdc_file_result *r = check_dir(&rep, "by_region.csv");
    const sdc_finding *f = find_rule(&r->findings, "secondary-recoverable");
    cr_assert_not_null(f);
    cr_assert(strstr(f->message, "published in the linked table"), "%s", f->message);
    cr_assert(strstr(f->message, "detail.csv at line"), "%s", f->message);
    cr_assert_eq(r->verdict, SDC_FAIL);
    sdc_report_free(&rep);
}

Test(linked, tables_of_different_people_are_not_linked)
{
    /* Same dimensions, but the published cells they share differ. */
    put("by_region.csv", by_region);
    put("births.csv", "region,sex,n\nSouth,M,50\nSouth,F,61\nNorth,M,70\n");
    sdc_report rep = {0};
    const sdc_file_result *r = check_dir(&rep, "by_region.csv");
    cr_assert_null(find_rule(&r->findings, "linked-tables"));
    cr_assert_eq(count_rule(&r->findings, "secondary-recoverable"), 0);
    cr_assert_eq(r->verdict, SDC_PASS);
    sdc_report_free(&rep);
}

Test(linked, totals_no_values_can_fit_mean_different_people_and_nothing_is_reported)
{
    put("by_region.csv", by_region);
    put("by_sex.csv", "sex,n\nM,10\nF,10\nTotal,20\n");
    sdc_report rep = {0};
    const sdc_file_result *r = check_dir(&rep, "by_region.csv");
    cr_assert_null(find_rule(&r->findings, "linked-tables"));
    cr_assert_eq(r->verdict, SDC_PASS);
    sdc_report_free(&rep);
}
