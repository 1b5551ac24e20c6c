/* test_secondary.c - the secondary-suppression rule on inconsistent tables. */
#include <criterion/criterion.h>

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

TestSuite(secondary, .init = setup, .fini = teardown);

Test(secondary, a_total_that_contradicts_its_line_is_named_and_the_audit_goes_on_without_it)
{
    /* Row N publishes 50 beside a hidden cell and a total of 40: no
     * non-negative value fits. Without that total, column A still gives
     * N's hidden cell back (60 - 30 - 20) and column B gives S's (105 - 50
     * - 25). */
    sdc_findings f = check_csv("region,A,B,Total\nN,c,50,40\nS,30,c,60\nE,20,25,45\n"
                               "Total,60,105,165\n",
                               policy);
    const sdc_finding *dropped = NULL;
    for (size_t i = 0; i < f.count; i++)
        if (strcmp(f.items[i].rule, "totals-mismatch") == 0 && f.items[i].line == 2)
            dropped = &f.items[i];
    cr_assert_not_null(dropped, "the contradicting total is named with its line");
    cr_assert(strstr(dropped->message, "went on without it"), "%s", dropped->message);
    cr_assert_str_eq(dropped->column, "Total");
    cr_assert_eq(count_rule(&f, "secondary-recoverable"), 2);
    for (size_t i = 0; i < f.count; i++)
        cr_assert_null(strstr(f.items[i].message, "could not be audited"), "%s",
                       f.items[i].message);
    sdc_findings_free(&f);
}

Test(secondary, totals_inconsistent_only_together_are_still_reviewed_as_a_whole)
{
    /* Each line alone can hold, but not all at once: N_A = 10 by column A
     * and N_A = 35 by row N. */
    sdc_findings f = check_csv("region,A,B,Total\nN,c,5,40\nS,30,c,60\nE,20,25,45\n"
                               "Total,60,60,145\n",
                               policy);
    bool whole = false;
    for (size_t i = 0; i < f.count; i++)
        whole |= strstr(f.items[i].message, "could not be audited") != NULL;
    cr_assert(whole, "the audit says it could not judge the table");
    cr_assert_eq(count_rule(&f, "secondary-recoverable"), 0);
    sdc_findings_free(&f);
}

/* A researcher's suppression that gives cells back, then the same table
 * after --fix's protection: each must fail first and pass after. */
static void fails_then_protected_passes(const char *csv, const char *what)
{
    sdc_findings before = check_csv(csv, policy);
    cr_assert_gt(count_rule(&before, "secondary-recoverable"), 0, "%s: gives a cell back", what);
    sdc_findings_free(&before);

    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_findings_free(&f);
    sdc_id_scanner *s = sdc_id_scanner_new(policy, NULL);
    sdc_protect_result res;
    cr_assert_eq(sdc_table_protect(t, policy, s, &res), 0);
    cr_assert(res.protected_ok, "%s", what);
    cr_assert_gt(res.secondary, 0, "%s: complements were needed", what);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_eq(sdc_table_write_csv(t, ',', m), 0);
    fclose(m);
    sdc_findings after = check_csv(text, policy);
    cr_assert_eq(count_rule(&after, "secondary-recoverable"), 0, "%s:\n%s", what, text);
    cr_assert_eq(count_rule(&after, "secondary-narrow"), 0, "%s:\n%s", what, text);
    cr_assert_eq(count_rule(&after, "threshold"), 0, "%s:\n%s", what, text);
    sdc_findings_free(&after);
    free(text);
    sdc_table_free(t);
    sdc_id_scanner_free(s);
}

Test(secondary, recoverable_by_a_row_total_then_protected)
{
    fails_then_protected_passes("region,A,B,C,Total\nN,c,40,50,93\nS,45,35,60,140\n"
                                "E,50,55,70,175\nTotal,98,130,180,408\n",
                                "row total");
}

Test(secondary, recoverable_by_a_chain_across_rows_and_columns_then_protected)
{
    fails_then_protected_passes("region,A,B,C,Total\nN,20,c,c,50\nS,25,c,12,55\n"
                                "E,30,40,50,120\nTotal,75,70,80,225\n",
                                "chain");
}

Test(secondary, recoverable_only_by_non_negativity_then_protected)
{
    fails_then_protected_passes("region,A,B,C,Total\nN,c,c,20,20\nS,15,25,30,70\n"
                                "E,35,45,55,135\nTotal,c,c,105,225\n",
                                "non-negativity");
}
