/* test_microdata.c - published tables verified against their records
 * (doc/design.md, "Table rules", --microdata). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#include "helpers.h"

static sdc_policy *policy;
static char dir[64];
static void setup(void)
{
    policy = sdc_policy_default();
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "micro"));
}
static void teardown(void)
{
    sdc_policy_free(policy);
    cr_assert_eq(temp_dir_remove(dir), 0);
}
TestSuite(microdata, .init = setup, .fini = teardown);

static char *put(const char *name, const char *text)
{
    char *path = put_file(dir, name, text);
    cr_assert_not_null(path, "cannot write %s", name);
    return path;
}

/* 40 firms: North 25 (firms 0-24), South 15; firm 0 has 2 rows. South's
 * turnover is dominated by firm 25 (9000 of 9140). */
static char *records(void)
{
    char buf[4096];
    size_t o = (size_t)snprintf(buf, sizeof buf, "firm,region,turnover\n");
    for (int f = 0; f < 40; f++) {
        int t = f == 25 ? 9000 : 10;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "F%02d,%s,%d\n", f,
                              f < 25 ? "North" : "South", t);
    }
    o += (size_t)snprintf(buf + o, sizeof buf - o, "F00,North,10\n");
    return put("records.csv", buf);
}

static sdc_findings verify(const char *table_csv, const char *layout)
{
    char *data = records();
    char *table = put("table.csv", table_csv);
    if (layout)
        free(put("table.sdc.yaml", layout));
    sdc_checker *ck = sdc_checker_new(policy, NULL);
    sdc_checker_set_microdata(ck, data);
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(ck, table, NULL, &r), 0);
    sdc_findings f = r.findings;
    r.findings = (sdc_findings){0};
    sdc_file_result_free(&r);
    sdc_checker_free(ck);
    free(data);
    free(table);
    return f;
}

Test(microdata, a_published_count_that_differs_from_the_records_fails)
{
    /* North has 26 rows from 25 firms; South 15. */
    sdc_findings f = verify("region,n\nNorth,26\nSouth,14\nTotal,40\n", NULL);
    cr_assert_eq(count_rule(&f, "data-mismatch"), 2, "South (15) and Total (41)");
    const sdc_finding *m = find_rule(&f, "data-mismatch");
    cr_assert_eq(m->verdict, SDC_FAIL);
    cr_assert_eq(m->line, 3);
    cr_assert_eq(m->limit, 15);
    sdc_findings_free(&f);
}

Test(microdata, a_declared_unit_counts_distinct_units)
{
    sdc_findings f = verify("region,n\nNorth,25\nSouth,15\nTotal,40\n", "unit: firm\n");
    cr_assert_eq(count_rule(&f, "data-mismatch"), 0);
    sdc_findings_free(&f);
}

Test(microdata, sums_are_verified_and_dominance_is_judged_on_the_records)
{
    /* South: 9000 + 14 x 10 = 9140; firm 25 holds 98.5% */
    sdc_findings f = verify("region,n,turnover\nNorth,25,260\nSouth,15,9140\n", "unit: firm\n");
    cr_assert_eq(count_rule(&f, "data-mismatch"), 0);
    const sdc_finding *nk = NULL;
    for (size_t i = 0; i < f.count; i++)
        if (!strcmp(f.items[i].rule, "nk-rule") && strstr(f.items[i].message, "records"))
            nk = &f.items[i];
    cr_assert_not_null(nk, "dominance from the records");
    cr_assert_eq(nk->line, 3);
    sdc_findings_free(&f);
    f = verify("region,n,turnover\nNorth,25,260\nSouth,15,9100\n", "unit: firm\n");
    cr_assert_eq(count_rule(&f, "data-mismatch"), 1, "a wrong sum");
    sdc_findings_free(&f);
}
