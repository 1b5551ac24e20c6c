/* test_policy.c - reading, validating and writing policies (doc/design.md, "Policies"). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <ftw.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

/* ---- helpers ----------------------------------------------------------- */

static char *make_dir(void)
{
    char tmpl[] = "/tmp/sdc-policy-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    cr_assert_not_null(dir, "mkdtemp failed");
    return strdup(dir);
}

static char *put(const char *dir, const char *name, const char *text)
{
    char *path = put_file(dir, name, text);
    cr_assert_not_null(path, "cannot write %s/%s", dir, name);
    return path;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_dir(char *dir)
{
    nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

/* Writes TEXT to DIR/policy.yaml and loads it. */
static sdc_policy *load_text(const char *dir, const char *text, sdc_policy_errors *errors)
{
    char *path = put(dir, "policy.yaml", text);
    sdc_policy *p = sdc_policy_load(path, errors);
    free(path);
    return p;
}

/* Writes TEXT to DIR/policy.yaml and checks it; returns the error count. */
static int check_text(const char *dir, const char *text, sdc_policy_errors *errors)
{
    char *path = put(dir, "policy.yaml", text);
    int n = sdc_policy_check_file(path, errors);
    free(path);
    return n;
}

/* An error on LINE whose message contains NEEDLE. */
static bool has_error(const sdc_policy_errors *errors, long line, const char *needle)
{
    for (size_t i = 0; i < errors->count; i++)
        if (errors->items[i].line == line && strstr(errors->items[i].message, needle))
            return true;
    return false;
}

static char *errors_text(const sdc_policy_errors *errors)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    for (size_t i = 0; i < errors->count; i++)
        fprintf(f, "%s:%ld: %s\n", errors->items[i].file, errors->items[i].line,
                errors->items[i].message);
    fclose(f);
    return text;
}

#define assert_error(errors, line, needle)                                                         \
    do {                                                                                           \
        char *all_ = errors_text(errors);                                                          \
        cr_assert(has_error(errors, line, needle),                                                 \
                  "expected an error on line %d containing \"%s\"; got:\n%s", (int)(line), needle, \
                  all_);                                                                           \
        free(all_);                                                                                \
    } while (0)

static bool lists_equal(const sdc_strlist *a, const sdc_strlist *b)
{
    if (a->count != b->count)
        return false;
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->items[i], b->items[i]) != 0)
            return false;
    return true;
}

static bool str_equal(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every value that matters to checking (not name, description, source). */
static void assert_same_values(const sdc_policy *a, const sdc_policy *b)
{
    cr_assert_eq(a->threshold, b->threshold);
    cr_assert_eq(a->zeros_are_disclosive, b->zeros_are_disclosive);
    cr_assert_eq(a->group_share, b->group_share);
    cr_assert_eq(a->rounding_base, b->rounding_base);
    cr_assert_eq(a->rounding_mode, b->rounding_mode);
    cr_assert_eq(a->nk_count, b->nk_count);
    for (size_t i = 0; i < a->nk_count; i++) {
        cr_assert_eq(a->nk[i].n, b->nk[i].n);
        cr_assert_eq(a->nk[i].k, b->nk[i].k);
    }
    cr_assert_eq(a->p_ratio, b->p_ratio);
    cr_assert_eq(a->pq_p, b->pq_p);
    cr_assert_eq(a->pq_q, b->pq_q);
    cr_assert_eq(a->check_missing_values, b->check_missing_values);
    cr_assert_eq(a->allow_min_max, b->allow_min_max);
    cr_assert_eq(a->dof_threshold, b->dof_threshold);
    cr_assert_eq(a->max_table_rows, b->max_table_rows);
    cr_assert_eq(a->max_code_numbers, b->max_code_numbers);
    cr_assert_eq(a->max_code_splits, b->max_code_splits);
    cr_assert_eq(a->protection_width, b->protection_width);
    cr_assert_eq(a->protection_lower, b->protection_lower);
    cr_assert_eq(a->protection_upper, b->protection_upper);
    cr_assert_eq(a->archive_max_depth, b->archive_max_depth);
    cr_assert_eq(a->archive_max_ratio, b->archive_max_ratio);
    cr_assert_eq(a->archive_max_bytes, b->archive_max_bytes);
    cr_assert_eq(a->archive_max_members, b->archive_max_members);
    cr_assert(lists_equal(&a->suppressed_markers, &b->suppressed_markers));
    cr_assert(lists_equal(&a->missing_markers, &b->missing_markers));
    cr_assert(lists_equal(&a->total_labels, &b->total_labels));
    cr_assert(lists_equal(&a->count_names, &b->count_names));
    cr_assert(lists_equal(&a->magnitude_names, &b->magnitude_names));
    cr_assert(lists_equal(&a->extreme_names, &b->extreme_names));
    cr_assert(lists_equal(&a->percentile_names, &b->percentile_names));
    cr_assert(lists_equal(&a->mode_names, &b->mode_names));
    cr_assert(lists_equal(&a->percent_names, &b->percent_names));
    cr_assert(lists_equal(&a->regression_names, &b->regression_names));
    cr_assert(lists_equal(&a->dimension_names, &b->dimension_names));
    cr_assert(lists_equal(&a->id_names, &b->id_names));
    cr_assert(lists_equal(&a->identifiers, &b->identifiers));
    cr_assert(lists_equal(&a->allowed_file_types, &b->allowed_file_types));
    cr_assert_eq(a->pattern_count, b->pattern_count);
    for (size_t i = 0; i < a->pattern_count; i++) {
        cr_assert_str_eq(a->patterns[i].name, b->patterns[i].name);
        cr_assert_str_eq(a->patterns[i].regex, b->patterns[i].regex);
    }
    cr_assert_eq(a->override_count, b->override_count);
    for (size_t i = 0; i < a->override_count; i++) {
        cr_assert_str_eq(a->overrides[i].rule, b->overrides[i].rule);
        cr_assert_eq(a->overrides[i].verdict, b->overrides[i].verdict);
    }
}

/* Writes P as YAML into DIR, loads it back and compares. */
static void assert_round_trip(const char *dir, const sdc_policy *p)
{
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/written.yaml", dir) > 0);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    cr_assert_eq(sdc_policy_write_yaml(p, f), 0);
    fclose(f);
    sdc_policy_errors errors = {0};
    sdc_policy *again = sdc_policy_load(path, &errors);
    char *all = errors_text(&errors);
    cr_assert_not_null(again, "written YAML of %s does not load:\n%s", p->name, all);
    free(all);
    cr_assert_str_eq(again->name, p->name);
    cr_assert(str_equal(again->description, p->description));
    assert_same_values(p, again);
    sdc_policy_free(again);
    sdc_policy_errors_free(&errors);
    free(path);
}

/* ---- the embedded policies --------------------------------------------- */

Test(policy, builtin_ons_srs_loads_with_threshold_ten)
{
    sdc_policy_errors errors = {0};
    sdc_policy *p = sdc_policy_load("ons-srs", &errors);
    cr_assert_not_null(p);
    cr_assert_eq(errors.count, 0);
    cr_assert_str_eq(p->name, "ons-srs");
    cr_assert_str_eq(p->source, "builtin");
    cr_assert_eq(p->threshold, 10);
    cr_assert_eq(p->dof_threshold, 10);
    cr_assert_eq(p->nk_count, 1);
    cr_assert_eq(p->nk[0].n, 2);
    cr_assert_eq(p->nk[0].k, 0.9);
    cr_assert_eq(p->p_ratio, 0.10);
    cr_assert(p->zeros_are_disclosive);
    cr_assert_eq(p->archive_max_bytes, 4LL << 30);
    cr_assert(sdc_strlist_contains(&p->suppressed_markers, ""));
    cr_assert(sdc_strlist_contains(&p->total_labels, "grand total"));
    sdc_policy_free(p);
}

Test(policy, default_policy_is_the_embedded_ons_srs)
{
    sdc_policy *d = sdc_policy_default();
    sdc_policy *p = sdc_policy_load("ons-srs", NULL);
    cr_assert_not_null(d);
    cr_assert_not_null(p);
    cr_assert_str_eq(d->name, "ons-srs");
    assert_same_values(d, p);
    sdc_policy_free(d);
    sdc_policy_free(p);
}

Test(policy, ons_srs_states_the_same_values_as_the_c_defaults)
{
    /* A file with no extends starts from the C defaults: the embedded
     * ons-srs must spell out exactly those values. */
    char *dir = make_dir();
    sdc_policy *bare = load_text(dir, "name: bare\n", NULL);
    sdc_policy *srs = sdc_policy_load("ons-srs", NULL);
    cr_assert_not_null(bare);
    cr_assert_not_null(srs);
    assert_same_values(bare, srs);
    sdc_policy_free(bare);
    sdc_policy_free(srs);
    remove_dir(dir);
}

Test(policy, every_embedded_policy_loads_without_errors)
{
    const char *const *names = sdc_policy_builtin_names();
    size_t n = 0;
    for (; names[n]; n++) {
        sdc_policy_errors errors = {0};
        sdc_policy *p = sdc_policy_load(names[n], &errors);
        char *all = errors_text(&errors);
        cr_assert_not_null(p, "%s does not load:\n%s", names[n], all);
        free(all);
        cr_assert_str_eq(p->name, names[n]);
        cr_assert_not_null(p->description, "%s has no description", names[n]);
        cr_assert_not_null(sdc_policy_builtin_text(names[n]));
        sdc_policy_free(p);
        sdc_policy_errors_free(&errors);
    }
    cr_assert_eq(n, 4);
    cr_assert_str_eq(names[0], "ons-srs");
    cr_assert_null(sdc_policy_builtin_text("no-such-policy"));
}

Test(policy, acro_default_has_acros_parameters)
{
    sdc_policy *p = sdc_policy_load("acro-default", NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->threshold, 10);
    cr_assert_eq(p->dof_threshold, 10);
    cr_assert_eq(p->nk_count, 1);
    cr_assert_eq(p->nk[0].n, 2);
    cr_assert_eq(p->nk[0].k, 0.9);
    cr_assert_eq(p->p_ratio, 0.1);
    cr_assert(p->zeros_are_disclosive);
    cr_assert_not(p->check_missing_values);
    /* the vocabulary comes from ons-srs */
    cr_assert(sdc_strlist_contains(&p->count_names, "freq"));
    sdc_policy_free(p);
}

Test(policy, eurostat_has_the_rule_of_thumb_values)
{
    sdc_policy *p = sdc_policy_load("eurostat", NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->threshold, 10);
    cr_assert_eq(p->dof_threshold, 10);
    cr_assert_eq(p->group_share, 0.9);
    cr_assert_eq(p->nk_count, 1);
    cr_assert_eq(p->nk[0].n, 1);
    cr_assert_eq(p->nk[0].k, 0.5);
    sdc_policy_free(p);
}

Test(policy, opensafely_redacts_up_to_seven_and_rounds_to_five)
{
    sdc_policy *p = sdc_policy_load("opensafely", NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->threshold, 8);
    cr_assert_eq(p->rounding_base, 5);
    cr_assert_eq(p->rounding_mode, SDC_ROUND_MULTIPLE);
    cr_assert_not(p->zeros_are_disclosive);
    cr_assert_not(p->allow_min_max);
    cr_assert_eq(p->max_table_rows, 5000);
    cr_assert(sdc_strlist_contains(&p->allowed_file_types, "csv"));
    cr_assert(sdc_strlist_contains(&p->allowed_file_types, "PNG"));
    cr_assert_not(sdc_strlist_contains(&p->allowed_file_types, "pkl"));
    /* [REDACTED] is added to the inherited markers, not instead of them */
    cr_assert(sdc_strlist_contains(&p->suppressed_markers, "[REDACTED]"));
    cr_assert(sdc_strlist_contains(&p->suppressed_markers, "[c]"));
    sdc_policy_free(p);
}

Test(policy, every_shipped_value_has_a_comment_naming_its_source)
{
    /* doc/design.md, "Policies": every value in a shipped policy has a comment. A key line
     * (not indented, not a comment) must carry "#" unless its value
     * continues on the next lines (then the key line itself carries it). */
    const char *const *names = sdc_policy_builtin_names();
    for (size_t i = 0; names[i]; i++) {
        const char *text = sdc_policy_builtin_text(names[i]);
        cr_assert_not_null(text);
        char *copy = strdup(text), *save = NULL;
        long line = 0;
        for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            line++;
            if (l[0] == '#' || l[0] == ' ' || l[0] == '\0')
                continue;
            if (strncmp(l, "name:", 5) == 0 || strncmp(l, "description:", 12) == 0 ||
                strncmp(l, "extends:", 8) == 0 || strncmp(l, "archive:", 8) == 0)
                continue;
            cr_assert(strchr(l, '#'), "%s: value without a source comment: %s", names[i], l);
        }
        free(copy);
    }
}

/* ---- extends and add_ -------------------------------------------------- */

Test(policy, extends_inherits_and_overrides)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir,
                              "extends: ons-srs\n"
                              "threshold: 5\n"
                              "rounding_base: 3\n",
                              &errors);
    cr_assert_not_null(p);
    cr_assert_eq(p->threshold, 5);
    cr_assert_eq(p->rounding_base, 3);
    cr_assert_eq(p->group_share, 0.9);   /* inherited */
    cr_assert_eq(p->dof_threshold, 10);  /* inherited */
    cr_assert_str_eq(p->name, "policy"); /* a file's own name, not the parent's */
    cr_assert_null(p->description);
    cr_assert(strstr(p->source, "policy.yaml"));
    sdc_policy_free(p);
    remove_dir(dir);
}

Test(policy, extends_follows_a_chain_of_files_relative_to_each_file)
{
    char *dir = make_dir();
    char *sub = NULL;
    cr_assert(asprintf(&sub, "%s/site", dir) > 0);
    cr_assert_eq(mkdir(sub, 0700), 0);
    free(put(sub, "base.yaml", "extends: opensafely\ndof_threshold: 20\n"));
    free(put(sub, "middle.yaml", "extends: base.yaml\nthreshold: 12\n"));
    sdc_policy *p = load_text(dir, "extends: site/middle.yaml\nname: top\n", NULL);
    cr_assert_not_null(p);
    cr_assert_str_eq(p->name, "top");
    cr_assert_eq(p->threshold, 12);     /* middle */
    cr_assert_eq(p->dof_threshold, 20); /* base */
    cr_assert_eq(p->rounding_base, 5);  /* opensafely */
    cr_assert_eq(p->group_share, 0.9);  /* ons-srs */
    sdc_policy_free(p);
    free(sub);
    remove_dir(dir);
}

Test(policy, add_total_labels_appends_to_the_inherited_list)
{
    char *dir = make_dir();
    sdc_policy *p = load_text(dir,
                              "extends: ons-srs\n"
                              "add_total_labels: [Cyfanswm, Gesamt]\n"
                              "add_count_names: [nifer, Anzahl, effectif]\n",
                              NULL);
    cr_assert_not_null(p);
    cr_assert(sdc_strlist_contains(&p->total_labels, "Cyfanswm"));
    cr_assert(sdc_strlist_contains(&p->total_labels, "gesamt"));
    cr_assert(sdc_strlist_contains(&p->total_labels, "Total"));
    cr_assert_eq(p->total_labels.count, 8);
    cr_assert(sdc_strlist_contains(&p->count_names, "ANZAHL"));
    cr_assert(sdc_strlist_contains(&p->count_names, "freq"));
    sdc_policy_free(p);
    remove_dir(dir);
}

Test(policy, a_plain_list_key_replaces_the_inherited_list)
{
    char *dir = make_dir();
    sdc_policy *p = load_text(dir, "total_labels: [Cyfanswm]\n", NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->total_labels.count, 1);
    cr_assert_not(sdc_strlist_contains(&p->total_labels, "Total"));
    sdc_policy_free(p);
    remove_dir(dir);
}

Test(policy, add_key_applies_after_the_plain_key_whatever_their_order)
{
    char *dir = make_dir();
    sdc_policy *p = load_text(dir,
                              "add_total_labels: [Summe]\n"
                              "total_labels: [Gesamt]\n",
                              NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->total_labels.count, 2);
    cr_assert_str_eq(p->total_labels.items[0], "Gesamt");
    cr_assert_str_eq(p->total_labels.items[1], "Summe");
    sdc_policy_free(p);
    remove_dir(dir);
}

Test(policy, add_nk_rules_and_add_identifier_patterns_append)
{
    char *dir = make_dir();
    sdc_policy *p = load_text(dir,
                              "add_nk_rules: [{n: 1, k: 0.5}]\n"
                              "identifier_patterns: [{name: staff, regex: 'S[0-9]{6}'}]\n"
                              "add_identifier_patterns: [{name: ward, regex: 'W[0-9]+'}]\n",
                              NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->nk_count, 2);
    cr_assert_eq(p->nk[1].n, 1);
    cr_assert_eq(p->nk[1].k, 0.5);
    cr_assert_eq(p->pattern_count, 2);
    cr_assert_str_eq(p->patterns[0].name, "staff");
    cr_assert_str_eq(p->patterns[0].regex, "S[0-9]{6}");
    cr_assert_str_eq(p->patterns[1].name, "ward");
    sdc_policy_free(p);
    remove_dir(dir);
}

Test(policy, extends_cycle_is_detected)
{
    char *dir = make_dir();
    free(put(dir, "a.yaml", "extends: b.yaml\n"));
    char *b = put(dir, "b.yaml", "threshold: 7\nextends: a.yaml\n");
    sdc_policy_errors errors = {0};
    sdc_policy *p = sdc_policy_load(b, &errors);
    cr_assert_null(p);
    assert_error(&errors, 1, "extends cycle");
    sdc_policy_errors_free(&errors);
    free(b);
    remove_dir(dir);
}

Test(policy, a_policy_extending_itself_is_a_cycle)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir, "# me\nextends: policy.yaml\n", &errors);
    cr_assert_null(p);
    assert_error(&errors, 2, "extends cycle");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, extends_of_an_unknown_policy_is_an_error_with_its_line)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir, "threshold: 10\nextends: nowhere.yaml\n", &errors);
    cr_assert_null(p);
    assert_error(&errors, 2, "unknown policy 'nowhere.yaml'");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, errors_in_a_parent_file_name_the_parent)
{
    char *dir = make_dir();
    free(put(dir, "parent.yaml", "\n\ngroup_share: 2\n"));
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir, "extends: parent.yaml\n", &errors);
    cr_assert_null(p);
    cr_assert_eq(errors.count, 1);
    cr_assert(strstr(errors.items[0].file, "parent.yaml"));
    assert_error(&errors, 3, "group_share");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

/* ---- errors ------------------------------------------------------------ */

Test(policy, unknown_key_is_an_error_with_its_line)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir,
                              "name: typo\n"
                              "# a comment\n"
                              "treshold: 5\n",
                              &errors);
    cr_assert_null(p);
    cr_assert_eq(errors.count, 1);
    assert_error(&errors, 3, "unknown key 'treshold'");
    assert_error(&errors, 3, "did you mean 'threshold'");
    cr_assert(strstr(errors.items[0].file, "policy.yaml"));
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, negative_threshold_is_an_error_with_its_line)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir, "name: x\nthreshold: -3\n", &errors);
    cr_assert_null(p);
    assert_error(&errors, 2, "threshold must be greater than 0");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, group_share_above_one_is_an_error_with_its_line)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir, "group_share: 2\n", &errors);
    cr_assert_null(p);
    assert_error(&errors, 1, "group_share must be greater than 0 and at most 1");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, unknown_identifier_is_an_error_with_its_line)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir, "identifiers:\n  - email\n  - foo\n", &errors);
    cr_assert_null(p);
    assert_error(&errors, 3, "unknown identifier 'foo'");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, verdict_for_an_unknown_rule_is_an_error_with_its_line)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir, "verdicts:\n  zeros: pass\n  nope: fail\n", &errors);
    cr_assert_null(p);
    cr_assert_eq(errors.count, 1);
    assert_error(&errors, 3, "unknown rule id 'nope'");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, verdict_must_be_pass_review_or_fail)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir, "verdicts: {zeros: maybe}\n", &errors);
    cr_assert_null(p);
    assert_error(&errors, 1, "verdicts: zeros must be pass, review or fail, not 'maybe'");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, wrong_types_are_errors_with_their_lines)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    int n = check_text(dir,
                       "threshold: ten\n"
                       "zeros_are_disclosive: maybe\n"
                       "total_labels: Total\n"
                       "max_table_rows: 12.5\n"
                       "dof_threshold: \"10\"\n"
                       "archive: 8\n"
                       "rounding_mode: nearest\n",
                       &errors);
    cr_assert_eq(n, 7);
    assert_error(&errors, 1, "threshold must be a number");
    assert_error(&errors, 2, "zeros_are_disclosive must be true or false");
    assert_error(&errors, 3, "total_labels must be a list");
    assert_error(&errors, 4, "max_table_rows must be a whole number");
    assert_error(&errors, 5, "quoted");
    assert_error(&errors, 6, "archive must be a mapping");
    assert_error(&errors, 7, "rounding_mode must be multiple or midpoint");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, check_file_collects_every_error)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    int n = check_text(dir,
                       "threshold: -3\n"
                       "group_share: 2\n"
                       "identifiers: [foo]\n"
                       "verdicts: {nope: fail}\n"
                       "colour: blue\n"
                       "p_ratio: 1\n"
                       "nk_rules: [{n: 0, k: 0.9}, {n: 2, k: 1.5}, {n: 3}]\n",
                       &errors);
    cr_assert_eq(n, 9);
    cr_assert_eq(errors.count, 9);
    for (long line = 1; line <= 7; line++)
        cr_assert(has_error(&errors, line, ""), "no error on line %ld", line);
    assert_error(&errors, 7, "nk_rules: n must be at least 1");
    assert_error(&errors, 7, "nk_rules: k must be greater than 0 and at most 1");
    assert_error(&errors, 7, "needs n and k");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, check_file_of_a_valid_policy_reports_nothing)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    cr_assert_eq(check_text(dir, "extends: eurostat\nthreshold: 11\n", &errors), 0);
    cr_assert_eq(errors.count, 0);
    remove_dir(dir);
}

Test(policy, check_file_of_a_missing_file_says_it_does_not_exist)
{
    sdc_policy_errors errors = {0};
    cr_assert_eq(sdc_policy_check_file("/nonexistent/policy.yaml", &errors), SDC_ENOENT);
    cr_assert_eq(errors.count, 1);
    cr_assert(strstr(errors.items[0].message, "cannot read"));
    sdc_policy_errors_free(&errors);
}

Test(policy, one_bad_value_means_no_policy_at_all)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir, "threshold: 20\nallow_min_max: true\np_ratio: -1\n", &errors);
    cr_assert_null(p);
    cr_assert_eq(errors.count, 1);
    assert_error(&errors, 3, "p_ratio");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, unknown_policy_name_lists_the_embedded_ones)
{
    sdc_policy_errors errors = {0};
    sdc_policy *p = sdc_policy_load("ons-sr", &errors);
    cr_assert_null(p);
    cr_assert_eq(errors.count, 1);
    cr_assert(strstr(errors.items[0].message,
                     "unknown policy 'ons-sr' (embedded: ons-srs, acro-default, "
                     "eurostat, opensafely; installed: "),
              "%s", errors.items[0].message);
    cr_assert(strstr(errors.items[0].message, "/share/sdccheck/policies)"));
    sdc_policy_errors_free(&errors);
}

Test(policy, an_existing_file_wins_over_an_embedded_name)
{
    char *dir = make_dir();
    cr_assert_eq(chdir(dir), 0);
    free(put(dir, "opensafely", "threshold: 99\n"));
    sdc_policy *p = sdc_policy_load("opensafely", NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->threshold, 99);
    cr_assert_str_eq(p->source, "opensafely");
    sdc_policy_free(p);
    cr_assert_eq(chdir("/"), 0);
    remove_dir(dir);
}

Test(policy, bad_regex_is_an_error_with_its_line)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir,
                              "identifier_patterns:\n"
                              "  - name: staff number\n"
                              "    regex: 'S[0-9]{6}'\n"
                              "  - name: broken\n"
                              "    regex: '([a-z'\n",
                              &errors);
    cr_assert_null(p);
    cr_assert_eq(errors.count, 1);
    assert_error(&errors, 5, "regex of 'broken' is not a POSIX extended regex");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, bad_yaml_is_an_error_with_its_line)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir, "name: x\nthreshold: 10\ntotal_labels: [a, b\n", &errors);
    cr_assert_null(p);
    cr_assert_eq(errors.count, 1);
    cr_assert(strstr(errors.items[0].message, "bad YAML"));
    cr_assert_geq(errors.items[0].line, 3);
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, a_policy_must_be_a_mapping)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    cr_assert_null(load_text(dir, "- threshold: 10\n", &errors));
    assert_error(&errors, 1, "must be a YAML mapping");
    sdc_policy_errors_free(&errors);
    cr_assert_null(load_text(dir, "# nothing\n", &errors));
    assert_error(&errors, 1, "an empty file");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, a_repeated_key_is_an_error)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    cr_assert_eq(check_text(dir, "threshold: 10\nname: a\nthreshold: 5\n", &errors), 1);
    assert_error(&errors, 3, "repeated (first on line 1)");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

/* ---- values ------------------------------------------------------------ */

Test(policy, archive_sizes_accept_binary_and_decimal_suffixes)
{
    char *dir = make_dir();
    sdc_policy *p = load_text(dir, "archive: {max_bytes: 100MiB, max_depth: 3}\n", NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->archive_max_bytes, 100LL << 20);
    cr_assert_eq(p->archive_max_depth, 3);
    cr_assert_eq(p->archive_max_ratio, 100); /* the rest of archive is inherited */
    sdc_policy_free(p);
    p = load_text(dir, "archive: {max_bytes: 2 GB}\n", NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->archive_max_bytes, 2000000000LL);
    sdc_policy_free(p);
    sdc_policy_errors errors = {0};
    cr_assert_null(load_text(dir, "archive:\n  max_bytes: 4G\n", &errors));
    assert_error(&errors, 2, "archive: max_bytes must be a size");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, pq_rule_is_read_and_p_must_be_below_q)
{
    char *dir = make_dir();
    sdc_policy *p = load_text(dir, "pq_rule: {p: 0.1, q: 0.5}\n", NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->pq_p, 0.1);
    cr_assert_eq(p->pq_q, 0.5);
    sdc_policy_free(p);
    sdc_policy_errors errors = {0};
    cr_assert_null(load_text(dir, "pq_rule: {p: 0.5, q: 0.2}\n", &errors));
    assert_error(&errors, 1, "p (0.5) must be less than q (0.2)");
    sdc_policy_errors_free(&errors);
    cr_assert_null(load_text(dir, "pq_rule: {p: 0.1}\n", &errors));
    assert_error(&errors, 1, "needs p and q");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}

Test(policy, midpoint_rounding_can_be_chosen)
{
    char *dir = make_dir();
    sdc_policy *p = load_text(dir,
                              "extends: opensafely\nrounding_base: 6\n"
                              "rounding_mode: midpoint\n",
                              NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->rounding_base, 6);
    cr_assert_eq(p->rounding_mode, SDC_ROUND_MIDPOINT);
    sdc_policy_free(p);
    remove_dir(dir);
}

Test(policy, verdict_override_changes_only_its_rule)
{
    char *dir = make_dir();
    sdc_policy *p = load_text(dir,
                              "extends: ons-srs\n"
                              "verdicts:\n"
                              "  zeros: pass\n"
                              "  needs-review: fail\n",
                              NULL);
    cr_assert_not_null(p);
    cr_assert_eq(sdc_policy_verdict(p, "zeros", SDC_REVIEW), SDC_PASS);
    cr_assert_eq(sdc_policy_verdict(p, "needs-review", SDC_REVIEW), SDC_FAIL);
    cr_assert_eq(sdc_policy_verdict(p, "threshold", SDC_FAIL), SDC_FAIL);
    cr_assert_eq(sdc_policy_verdict(p, "dof-missing", SDC_REVIEW), SDC_REVIEW);
    sdc_policy_free(p);
    remove_dir(dir);
}

Test(policy, a_child_verdict_overrides_its_parents_for_the_same_rule)
{
    char *dir = make_dir();
    free(put(dir, "parent.yaml", "verdicts: {zeros: pass, rounding: review}\n"));
    sdc_policy *p = load_text(dir, "extends: parent.yaml\nverdicts: {zeros: fail}\n", NULL);
    cr_assert_not_null(p);
    cr_assert_eq(p->override_count, 2);
    cr_assert_eq(sdc_policy_verdict(p, "zeros", SDC_REVIEW), SDC_FAIL);
    cr_assert_eq(sdc_policy_verdict(p, "rounding", SDC_FAIL), SDC_REVIEW);
    sdc_policy_free(p);
    remove_dir(dir);
}

Test(policy, strlist_contains_ignores_case_and_surrounding_spaces)
{
    sdc_policy *p = sdc_policy_default();
    cr_assert_not_null(p);
    cr_assert(sdc_strlist_contains(&p->total_labels, "  TOTAL "));
    cr_assert(sdc_strlist_contains(&p->suppressed_markers, "[C]"));
    cr_assert_not(sdc_strlist_contains(&p->total_labels, "Totals"));
    /* "" (the empty cell) matches only a blank candidate */
    cr_assert(sdc_strlist_contains(&p->suppressed_markers, ""));
    cr_assert(sdc_strlist_contains(&p->suppressed_markers, "   "));
    cr_assert_not(sdc_strlist_contains(&p->missing_markers, ""));
    cr_assert_not(sdc_strlist_contains(&p->suppressed_markers, "12"));
    cr_assert_not(sdc_strlist_contains(NULL, "x"));
    sdc_policy_free(p);
}

/* ---- writing ----------------------------------------------------------- */

Test(policy, write_yaml_round_trips_every_embedded_policy)
{
    char *dir = make_dir();
    const char *const *names = sdc_policy_builtin_names();
    for (size_t i = 0; names[i]; i++) {
        sdc_policy *p = sdc_policy_load(names[i], NULL);
        cr_assert_not_null(p);
        assert_round_trip(dir, p);
        sdc_policy_free(p);
    }
    remove_dir(dir);
}

Test(policy, write_yaml_round_trips_unusual_values)
{
    char *dir = make_dir();
    sdc_policy_errors errors = {0};
    sdc_policy *p = load_text(dir,
                              "name: 'odd: \"one\"'\n"
                              "description: \"two\\nlines \\\\ and a tab\\t\"\n"
                              "threshold: 7.25\n"
                              "group_share: 0.3333333333333333\n"
                              "nk_rules: [{n: 1, k: 0.5}, {n: 3, k: 0.95}]\n"
                              "pq_rule: {p: 0.1, q: 0.5}\n"
                              "rounding_base: 6\n"
                              "rounding_mode: midpoint\n"
                              "archive: {max_bytes: 123456789, max_ratio: 12.5}\n"
                              "total_labels: ['Cyfanswm', 'Ôl \"y\" cyfan', '#hash', '- dash']\n"
                              "identifier_patterns: [{name: staff, regex: '\\bS[0-9]{6}\\\\'}]\n"
                              "allowed_file_types: [csv]\n"
                              "identifiers: []\n"
                              "verdicts: {zeros: pass, model-file: review}\n",
                              &errors);
    char *all = errors_text(&errors);
    cr_assert_not_null(p, "%s", all);
    free(all);
    cr_assert_str_eq(p->name, "odd: \"one\"");
    cr_assert_str_eq(p->description, "two\nlines \\ and a tab\t");
    assert_round_trip(dir, p);
    sdc_policy_free(p);
    remove_dir(dir);
}

Test(policy, write_yaml_writes_pq_rule_off_when_unset)
{
    sdc_policy *p = sdc_policy_default();
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    cr_assert_eq(sdc_policy_write_yaml(p, f), 0);
    fclose(f);
    cr_assert(strstr(text, "pq_rule: off\n"));
    cr_assert(strstr(text, "threshold: 10\n"));
    cr_assert(strstr(text, "max_bytes: 4GiB\n"));
    free(text);
    sdc_policy_free(p);
}

Test(policy, model_code_limits_are_read_and_must_be_positive)
{
    char *dir = make_dir();
    sdc_policy *p = load_text(dir, "name: t\nmax_code_numbers: 20\nmax_code_splits: 3\n", NULL);
    cr_assert_not_null(p);
    cr_expect_eq(p->max_code_numbers, 20);
    cr_expect_eq(p->max_code_splits, 3);
    sdc_policy_free(p);
    sdc_policy_errors errors = {0};
    cr_expect_neq(check_text(dir, "name: t\nmax_code_splits: 0\n", &errors), 0);
    assert_error(&errors, 2, "max_code_splits");
    sdc_policy_errors_free(&errors);
    remove_dir(dir);
}
