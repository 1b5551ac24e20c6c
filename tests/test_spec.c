/* test_spec.c - declared layouts (doc/design.md, "Declared layouts"): sidecars and --table-spec. */
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
    free(put("schools.sdc.yaml",
             "dimensions: [region, sex]\ncounts: [n]\nstructural_zeros:\n"
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
    char *spec =
        put("layout.yaml", "tables:\n  schools.csv:\n    structural_zeros: [[Scilly, F]]\n");
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

/* England = North + South, Wales = Cardiff + Swansea, one column holding
 * both levels. North's male count is hidden, with North's total; only the
 * England subtotal gives it back (30 - 14 = 16). */
static const char areas[] = "area,M,F,Total\n"
                            "North,c,20,c\n"
                            "South,14,15,29\n"
                            "England,30,35,65\n"
                            "Cardiff,12,11,23\n"
                            "Swansea,15,16,31\n"
                            "Wales,27,27,54\n"
                            "Total,57,62,119\n";
static const char area_levels[] = "hierarchies:\n  area:\n    England: [North, South]\n"
                                  "    Wales: [Cardiff, Swansea]\n";

Test(spec, a_cell_recoverable_through_a_declared_level_of_one_column_fails)
{
    char *table = put("areas.csv", areas);
    free(put("areas.sdc.yaml", area_levels));
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    const sdc_finding *f = find_rule(&r.findings, "secondary-recoverable");
    cr_assert_not_null(f, "the England subtotal gives North's M back");
    cr_assert_eq(f->line, 2);
    cr_assert(strstr(f->message, "16"), "%s", f->message);
    cr_assert_eq(count_rule(&r.findings, "totals-mismatch"), 0,
                 "with the levels declared, subtotals are not counted twice");
    cr_assert_eq(r.verdict, SDC_FAIL);
    sdc_file_result_free(&r);
    free(table);
}

Test(spec, without_the_levels_the_subtotals_are_counted_twice_and_reviewed)
{
    char *table = put("areas.csv", areas);
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    cr_assert_eq(count_rule(&r.findings, "secondary-recoverable"), 0);
    cr_assert_gt(count_rule(&r.findings, "totals-mismatch"), 0);
    sdc_file_result_free(&r);
    free(table);
}

Test(spec, the_same_areas_protected_by_a_rectangle_inside_england_pass)
{
    /* North and South, M and F, hidden: one free parameter of 0..25. */
    char *table = put("areas.csv", "area,M,F,Total\n"
                                   "North,c,c,25\n"
                                   "South,c,c,40\n"
                                   "England,30,35,65\n"
                                   "Cardiff,12,11,23\n"
                                   "Swansea,15,16,31\n"
                                   "Wales,27,27,54\n"
                                   "Total,57,62,119\n");
    free(put("areas.sdc.yaml", area_levels));
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    cr_assert_eq(count_rule(&r.findings, "secondary-recoverable"), 0);
    cr_assert_eq(count_rule(&r.findings, "secondary-narrow"), 0);
    cr_assert_eq(count_rule(&r.findings, "totals-mismatch"), 0);
    cr_assert_eq(r.verdict, SDC_PASS);
    sdc_file_result_free(&r);
    free(table);
}

/* Nested columns: region lies in country; a country's subtotal row leaves
 * region empty, and the sidecar names "All persons" a total. */
static const char nested[] = "country,region,n\n"
                             "England,North,c\n"
                             "England,South,40\n"
                             "England,,52\n"
                             "Wales,Cardiff,30\n"
                             "Wales,Swansea,31\n"
                             "Wales,,61\n"
                             "All persons,,113\n";

Test(spec, nested_columns_with_empty_subtotal_labels_and_declared_totals_give_a_cell_away)
{
    char *table = put("nested.csv", nested);
    free(put("nested.sdc.yaml",
             "dimensions: [country, region]\ncounts: [n]\ntotals: [All persons]\n"
             "hierarchies:\n  region: country\n"));
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    const sdc_finding *f = find_rule(&r.findings, "secondary-recoverable");
    cr_assert_not_null(f);
    cr_assert_eq(f->line, 2);
    cr_assert(strstr(f->message, "12"), "%s", f->message);
    sdc_file_result_free(&r);
    free(table);
}

Test(spec, a_region_under_two_countries_contradicts_the_declared_hierarchy)
{
    char *table = put("nested.csv", "country,region,n\nEngland,North,20\nEngland,South,40\n"
                                    "Wales,North,30\nWales,Swansea,31\n");
    free(put("nested.sdc.yaml", "hierarchies:\n  region: country\n"));
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    const sdc_finding *m = find_rule(&r.findings, "malformed");
    cr_assert_not_null(m);
    cr_assert(strstr(m->message, "'North' is under both 'England' and 'Wales'"), "%s", m->message);
    cr_assert_eq(m->line, 4);
    sdc_file_result_free(&r);
    free(table);
}

Test(spec, a_label_under_two_parents_or_its_own_ancestor_is_an_error_with_its_line)
{
    char *table = put("areas.csv", areas);
    free(put("areas.sdc.yaml", "hierarchies:\n  area:\n    England: [North, South]\n"
                               "    Wales: [North]\n"));
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    const sdc_finding *m = find_rule(&r.findings, "malformed");
    cr_assert_not_null(m);
    cr_assert(strstr(m->message, "areas.sdc.yaml:4: hierarchies: 'North' is listed under two "
                                 "parents, 'England' and 'Wales'"),
              "the second listing's line: %s", m->message);
    sdc_file_result_free(&r);
    free(put("areas.sdc.yaml",
             "hierarchies:\n  area:\n    England: [Wales]\n    Wales: [England]\n"));
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    m = find_rule(&r.findings, "malformed");
    cr_assert_not_null(m);
    cr_assert(strstr(m->message, "areas.sdc.yaml:4: hierarchies: 'England' rolls up to itself"),
              "%s", m->message);
    sdc_file_result_free(&r);
    free(table);
}

/* A key given twice (unit, a measure's contributors) is read once more,
 * the last value holding; nothing is lost (LeakSanitizer runs this). */
Test(spec, a_key_given_twice_keeps_the_last_and_leaks_nothing)
{
    char *table =
        put("turnover.csv", "sic,n,turnover,turnover_max1\nA,20,1000,300\nB,30,2000,500\n");
    free(put("turnover.sdc.yaml", "dimensions: [sic]\nunit: firm\nunit: enterprise\n"
                                  "evidence:\n  turnover:\n    contributors: x\n"
                                  "    contributors: n\n    largest: [turnover_max1]\n"));
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, table, NULL, &r), 0);
    cr_assert_eq(count_rule(&r.findings, "malformed"), 0, "the declaration is applied");
    cr_assert_eq(count_rule(&r.findings, "threshold"), 0, "n (20, 30) is the count read");
    sdc_file_result_free(&r);
    free(table);
}

/* What protect writes beside its table reads back as the same levels,
 * whatever the labels hold (YAML's own punctuation, words YAML 1.1 would
 * take for booleans), and holds nothing but the hierarchies of the
 * table's columns. */
Test(spec, written_hierarchies_read_back_as_the_same_levels)
{
    char *path = put("odd.sdc.yaml", "unit: person\n"
                                     "hierarchies:\n"
                                     "  area:\n"
                                     "    \"East: far\": [\"x, y\", \"[z]\", \"#1\"]\n"
                                     "    \"yes\": [\"East: far\", \"no\"]\n"
                                     "  region: country\n"
                                     "  other: {A: [B]}\n");
    sdc_status st = {0};
    sdc_table_spec *s = sdc_table_spec_load(path, &st);
    cr_assert_not_null(s, "%s", st.message);
    cr_assert_eq(sdc_table_spec_level_depth(s, "area"), 3);
    cr_assert(sdc_table_spec_label_has_children(s, "area", "yes"));
    cr_assert(!sdc_table_spec_label_has_children(s, "area", "no"));
    const char *columns[] = {"area", "region", "country"};
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_eq(sdc_table_spec_write_hierarchies(s, columns, 3, m), 0);
    fclose(m);
    cr_assert_null(strstr(text, "unit"), "only the hierarchies:\n%s", text);
    cr_assert_null(strstr(text, "other"), "only the table's columns:\n%s", text);
    char *again_path = put("again.sdc.yaml", text);
    sdc_table_spec *again = sdc_table_spec_load(again_path, &st);
    cr_assert_not_null(again, "%s\n%s", st.message, text);
    static const char *const kids[][2] = {
        {"x, y", "East: far"}, {"[z]", "East: far"}, {"#1", "East: far"},
        {"East: far", "yes"},  {"no", "yes"},
    };
    for (size_t i = 0; i < sizeof kids / sizeof kids[0]; i++) {
        const char *up = sdc_table_spec_parent_label(again, "area", kids[i][0]);
        cr_assert(up && strcmp(up, kids[i][1]) == 0, "%s rolls up to %s, not %s:\n%s", kids[i][0],
                  kids[i][1], up ? up : "(nothing)", text);
    }
    cr_assert_null(sdc_table_spec_parent_label(again, "area", "yes"));
    cr_assert_str_eq(sdc_table_spec_parent_column(again, "region"), "country");
    cr_assert(!sdc_table_spec_has_levels(again, "other"));
    /* a nested column whose parent is not in the table is not written */
    const char *alone[] = {"region"};
    cr_assert(!sdc_table_spec_declares_hierarchy(s, alone, 1));
    free(text);
    free(again_path);
    free(path);
    sdc_table_spec_free(again);
    sdc_table_spec_free(s);
}
