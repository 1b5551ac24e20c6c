/* test_spec.c - declared layouts (SPEC 4.3): sidecars and --table-spec. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static sdc_policy *policy;
static sdc_checker *checker;
static char dir[64];

static void setup(void)
{
    policy = sdc_policy_default();
    checker = sdc_checker_new(policy, NULL);
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "spec"));
}

static void teardown(void)
{
    sdc_checker_free(checker);
    sdc_policy_free(policy);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

TestSuite(spec, .init = setup, .fini = teardown);

static char *put(const char *name, const char *text)
{
    char *path = put_file(dir, name, text);
    cr_assert_not_null(path, "cannot write %s", name);
    return path;
}

static const char schools[] = "region,sex,n\nScilly,F,0\nScilly,M,12\nNorth,F,40\nNorth,M,35\n";

Test(spec, a_sidecar_declares_structural_zeros_and_exceptions)
{
    char *table = put("schools.csv", schools);
    free(put("schools.sdc.yaml", "dimensions: [region, sex]\ncounts: [n]\nstructural_zeros:\n"
                                 "  - [Scilly, F]\nexceptions:\n  - \"No girls school on Scilly.\"\n"));
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    cr_assert_eq(count_rule(&r.findings, "zeros"), 0, "the structural zero is exempt");
    cr_assert_eq(count_rule(&r.findings, "group-disclosure"), 0,
                 "a structural zero is not a category of its row or column");
    const sdc_finding *e = find_rule(&r.findings, "exception");
    cr_assert_not_null(e);
    cr_assert_eq(e->verdict, SDC_PASS, "an exception never changes a verdict");
    cr_assert(strstr(e->message, "No girls school on Scilly."));
    cr_assert_eq(r.verdict, SDC_PASS);
    sdc_file_result_free(&r);
    free(table);
}

Test(spec, without_the_sidecar_the_same_zero_is_reviewed)
{
    char *table = put("schools.csv", schools);
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    cr_assert_eq(count_rule(&r.findings, "zeros"), 1);
    cr_assert_neq(r.verdict, SDC_PASS);
    sdc_file_result_free(&r);
    free(table);
}

Test(spec, a_table_spec_file_matches_tables_by_base_name)
{
    char *table = put("schools.csv", schools);
    char *spec = put("layout.yaml", "tables:\n  schools.csv:\n    structural_zeros: [[Scilly, F]]\n");
    cr_assert_eq(sdc_checker_set_table_spec(checker, spec), 0);
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    cr_assert_eq(count_rule(&r.findings, "zeros"), 0);
    sdc_file_result_free(&r);
    free(spec);
    free(table);
}

Test(spec, a_declaration_with_a_typo_is_a_finding_with_its_line_and_is_not_applied)
{
    char *table = put("schools.csv", schools);
    free(put("schools.sdc.yaml", "counts: [n]\nstructural_zeroes:\n  - [Scilly, F]\n"));
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    const sdc_finding *m = find_rule(&r.findings, "malformed");
    cr_assert_not_null(m);
    cr_assert(strstr(m->message, ":2: unknown key 'structural_zeroes'"), "%s", m->message);
    cr_assert_eq(count_rule(&r.findings, "zeros"), 1, "nothing half-applied");
    sdc_file_result_free(&r);
    free(table);
}

Test(spec, declared_evidence_makes_a_column_a_magnitude_with_dominance_checked)
{
    /* value_gbp is 'unrecognised' until declared; then (2, 90%) fails on
     * row A: 850 + 60 = 910 > 900. */
    char *table = put("sales.csv", "sector,value_gbp,firms,biggest,second\nA,1000.5,20,850,60\n"
                                   "B,5000.5,40,400,300\n");
    free(put("sales.sdc.yaml", "magnitudes: [value_gbp]\nevidence:\n  value_gbp:\n"
                               "    contributors: firms\n    largest: [biggest, second]\n"));
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    cr_assert_eq(count_rule(&r.findings, "nk-rule"), 1);
    cr_assert_eq(find_rule(&r.findings, "nk-rule")->line, 2);
    cr_assert_eq(count_rule(&r.findings, "contributors-missing"), 0);
    sdc_file_result_free(&r);
    free(table);
}

Test(spec, a_declared_column_the_table_lacks_is_reviewed)
{
    char *table = put("schools.csv", schools);
    free(put("schools.sdc.yaml", "counts: [pupils]\n"));
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    const sdc_finding *m = find_rule(&r.findings, "malformed");
    cr_assert_not_null(m);
    cr_assert(strstr(m->message, "'pupils'"), "%s", m->message);
    sdc_file_result_free(&r);
    free(table);
}

Test(spec, the_sidecar_itself_passes_as_a_declaration)
{
    char *side = put("schools.sdc.yaml", "counts: [n]\n");
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, side, NULL, &r), 0);
    cr_assert_str_eq(r.format, "sdc-spec");
    cr_assert_eq(r.verdict, SDC_PASS);
    sdc_file_result_free(&r);
    free(side);
}
