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
                               "Total,60,105,165\n", policy);
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
                               "Total,60,60,145\n", policy);
    bool whole = false;
    for (size_t i = 0; i < f.count; i++)
        whole |= strstr(f.items[i].message, "could not be audited") != NULL;
    cr_assert(whole, "the audit says it could not judge the table");
    cr_assert_eq(count_rule(&f, "secondary-recoverable"), 0);
    sdc_findings_free(&f);
}
