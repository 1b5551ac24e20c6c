/* test_code_models.c - models written as code or text (classify/code_models.c,
 * doc/design.md "Models written as text"). Every count below is worked out by
 * hand from the text in the test; the real generated models are in
 * testdata/artefacts/disguised/models-as-code (test_corpus.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/code_models.h"
#include "helpers.h"

/* Scans TEXT (in pieces of CHUNK bytes; 0: whole) with the given limits
 * and returns its findings (to be freed). */
static sdc_findings scan(const char *text, long max_numbers, long max_splits, bool markup,
                         size_t chunk)
{
    sdc_policy *p = sdc_policy_default();
    cr_assert(p);
    p->max_code_numbers = max_numbers;
    p->max_code_splits = max_splits;
    sdc_code_models *m = sdc_code_models_new(p, markup);
    cr_assert(m);
    size_t len = strlen(text);
    if (chunk == 0)
        chunk = len ? len : 1;
    for (size_t i = 0; i < len; i += chunk)
        sdc_code_models_feed(m, (const unsigned char *)text + i, len - i < chunk ? len - i : chunk);
    sdc_findings f = {0};
    cr_assert_eq(sdc_code_models_finish(m, &f), 0);
    sdc_code_models_free(m);
    sdc_policy_free(p);
    return f;
}

/* N decimals "0.5, " in a Python list. */
static char *decimals(int n)
{
    char *s = malloc(16 + (size_t)n * 6);
    cr_assert(s);
    strcpy(s, "w = [");
    for (int i = 0; i < n; i++)
        strcat(s, i ? ", 0.5" : "0.5");
    strcat(s, "]\n");
    return s;
}

Test(code_models, a_run_of_decimals_past_the_limit_fails_and_at_it_does_not)
{
    char *at = decimals(500), *past = decimals(501);
    sdc_findings f = scan(at, 500, 50, false, 0);
    cr_expect_eq(f.count, 0, "500 decimals with max_code_numbers 500: no finding");
    sdc_findings_free(&f);
    f = scan(past, 500, 50, false, 0);
    cr_assert_eq(count_rule(&f, "model-file"), 1);
    const sdc_finding *m = find_rule(&f, "model-file");
    cr_expect_eq(m->verdict, SDC_FAIL);
    cr_expect_str_eq(m->value, "501");
    cr_expect(m->has_limit && m->limit == 500);
    cr_expect_eq(m->line, 1);
    sdc_findings_free(&f);
    free(at);
    free(past);
}

Test(code_models, integers_keep_a_run_without_counting_and_words_end_it)
{
    /* R's print of a matrix: [1,] and [2,] are integers between decimals,
     * so the run is 0.1 0.2 0.3 0.4: four. */
    sdc_findings f = scan("     [,1] [,2]\n[1,] 0.1 0.2\n[2,] 0.3 0.4\n", 3, 50, false, 0);
    cr_assert_eq(count_rule(&f, "model-file"), 1);
    cr_expect_str_eq(find_rule(&f, "model-file")->value, "4");
    cr_expect_eq(find_rule(&f, "model-file")->line, 2);
    sdc_findings_free(&f);
    /* A word, a quote or an operator between them: runs of 2, 1 and 1. */
    f = scan("0.1, 0.2, x, 0.3 \"0.4\" = 0.5\n", 2, 50, false, 0);
    cr_expect_eq(f.count, 0);
    sdc_findings_free(&f);
}

Test(code_models, exponents_signs_and_float_suffixes_are_decimals_dotted_versions_are_not)
{
    /* 1e-3, -2.5E+04, 0.5f, .25 and 3. are five decimals. */
    sdc_findings f = scan("{1e-3, -2.5E+04, 0.5f, .25, 3.}", 4, 50, false, 0);
    cr_expect_str_eq(find_rule(&f, "model-file")->value, "5");
    sdc_findings_free(&f);
    /* 1.2.3 and 4-5 are no numbers: they split 0.1 0.2 | 0.3 | 0.4. */
    f = scan("0.1 0.2 1.2.3 0.3 4-5 0.4", 2, 50, false, 0);
    cr_expect_eq(f.count, 0);
    sdc_findings_free(&f);
}

Test(code_models, in_markup_a_run_is_review_not_fail)
{
    char *past = decimals(10);
    sdc_findings f = scan(past, 5, 50, true, 0);
    cr_assert_eq(count_rule(&f, "model-file"), 1);
    cr_expect_eq(find_rule(&f, "model-file")->verdict, SDC_REVIEW);
    sdc_findings_free(&f);
    free(past);
}

Test(code_models, tree_split_lines_are_counted_in_each_form_a_tree_is_written)
{
    const char *text = "if input[2] <= 2.45:\n"         /* m2cgen Python */
                       "    elif x[3]>1.75:\n"          /* elif, no spaces */
                       "if (input[0] <= -0.5) {\n"      /* C, a negative threshold */
                       "|   |--- petal <= 0.80\n"       /* export_text */
                       "0:[f2<2.45000005] yes=1,no=2\n" /* XGBoost dump */
                       "CASE WHEN age >= 17.5 THEN 1\n" /* SQL */
                       "y = x < 0.5 ? a : b;\n"         /* a ternary */
                       "if p < 5:\n"                    /* an integer threshold: no */
                       "z = x <= 0.5\n"                 /* no tree keyword: no */
                       "notify <= 0.5\n"                /* `if` inside a word: no */
                       "|--- class: 0\n";               /* a leaf: no */
    sdc_findings f = scan(text, 500, 6, false, 0);
    cr_assert_eq(count_rule(&f, "model-file"), 1);
    const sdc_finding *m = find_rule(&f, "model-file");
    cr_expect_str_eq(m->value, "7");
    cr_expect_eq(m->line, 1);
    cr_expect_eq(m->verdict, SDC_FAIL);
    sdc_findings_free(&f);
    f = scan(text, 500, 7, false, 0);
    cr_expect_eq(f.count, 0, "7 split lines with max_code_splits 7: no finding");
    sdc_findings_free(&f);
}

Test(code_models, onnx_text_needs_ir_version_at_a_line_start_and_nodes_or_opsets)
{
    sdc_findings f =
        scan("ir_version: 8\ngraph {\n  node {\n    op_type: \"Add\"\n", 500, 50, false, 0);
    cr_expect_eq(count_rule(&f, "model-file"), 1);
    sdc_findings_free(&f);
    f = scan("<\n  ir_version: 8,\n  opset_import: [\"\" : 13]\n>\n", 500, 50, false, 0);
    cr_expect_eq(count_rule(&f, "model-file"), 1);
    sdc_findings_free(&f);
    /* Prose about the fields, not at a line's start; ir_version alone. */
    f = scan("The ir_version: and op_type: fields.\nir_version: 8\n", 500, 50, false, 0);
    cr_expect_eq(f.count, 0);
    sdc_findings_free(&f);
}

Test(code_models, pieces_of_any_size_give_the_same_counts)
{
    const char *text = "W = [[0.1, -0.2e-1], [3.5f, 0.4]]\nif (x[1] <= 0.5) {\nif (x[2] > "
                       "1.5) {\nir_version: 8\nop_type: \"MatMul\"\n";
    for (size_t chunk = 1; chunk <= 7; chunk++) {
        sdc_findings f = scan(text, 3, 1, false, chunk);
        cr_expect_eq(count_rule(&f, "model-file"), 3, "chunk %zu: %zu findings", chunk, f.count);
        sdc_findings_free(&f);
    }
}

/* Through the checker: a script holding 600 decimals fails; the same
 * numbers in a notebook's output (a chart's data, a printed array) and in
 * an HTML page are review, not fail. */
Test(code_models, the_file_decides_fail_or_review)
{
    char *arr = decimals(600);
    size_t n = strlen(arr);
    char *nb = malloc(n + 200);
    cr_assert_not_null(nb);
    snprintf(nb, n + 200, "{\"cells\": [{\"outputs\": [{\"text\": \"%.*s\"}]}]}\n", (int)n - 1,
             arr);
    sdc_policy *p = sdc_policy_default();
    sdc_checker *c = sdc_checker_new(p, NULL);
    cr_assert_not_null(c);
    static const struct {
        const char *name;
        bool in_notebook;
        sdc_verdict want;
    } files[] = {{"weights.py", false, SDC_FAIL},
                 {"analysis.ipynb", true, SDC_REVIEW},
                 {"chart.html", false, SDC_REVIEW}};
    for (size_t i = 0; i < 3; i++) {
        const char *text = files[i].in_notebook ? nb : arr;
        sdc_file_result r;
        cr_assert_eq(sdc_check_buffer(c, files[i].name, text, strlen(text), &r), 0);
        const sdc_finding *m = find_rule(&r.findings, "model-file");
        cr_assert_not_null(m, "%s", files[i].name);
        cr_expect_eq(m->verdict, files[i].want, "%s: %s", files[i].name,
                     sdc_verdict_name(m->verdict));
        cr_expect_str_eq(m->value, "600");
        sdc_file_result_free(&r);
    }
    sdc_checker_free(c);
    sdc_policy_free(p);
    free(nb);
    free(arr);
}
