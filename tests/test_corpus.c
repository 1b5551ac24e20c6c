/* test_corpus.c - the binary over every artefact in testdata/artefacts
 * (made by real libraries: testdata/make-artefacts.sh) and every benign
 * output in testdata/benign (doc/design.md, "File classes" and "Disallowed artefacts"; issue 4's
 * acceptance test). Each MANIFEST.tsv row says what its file is and the verdict it must get: fail,
 * review, review-or-fail (never pass) or pass-or-review (never fail). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

#define MANIFEST "testdata/artefacts/MANIFEST.tsv"

/* Runs sdccheck -f json on PATH and returns the report's verdict
 * ("pass", "review", "fail") in OUT, or "error". */
static void verdict_of(const char *path, char *out, size_t size)
{
    int status;
    char *report = sdc_test_json_report(path, &status);
    snprintf(out, size, "error");
    /* the top-level key, indented by two spaces */
    static const char key[] = "\n  \"verdict\": \"";
    const char *v = report ? strstr(report, key) : NULL;
    if (v && status >= 0 && status != 2) {
        v += strlen(key);
        snprintf(out, size, "%.*s", (int)strcspn(v, "\""), v);
    }
    free(report);
}

static bool acceptable(const char *expected, const char *got)
{
    if (!strcmp(expected, "fail") || !strcmp(expected, "review") || !strcmp(expected, "pass"))
        return !strcmp(expected, got);
    if (!strcmp(expected, "review-or-fail"))
        return !strcmp(got, "review") || !strcmp(got, "fail");
    if (!strcmp(expected, "pass-or-review"))
        return !strcmp(got, "pass") || !strcmp(got, "review");
    return false;
}

/* Runs every row of class WANT (or all when NULL); returns mismatches. */
static size_t run_rows(const char *want, size_t *rows, char *report, size_t size)
{
    FILE *f = fopen(MANIFEST, "r");
    cr_assert_not_null(f, "cannot read %s: run from the repository root", MANIFEST);
    char line[1024];
    size_t bad = 0, o = 0;
    *rows = 0;
    fgets(line, sizeof line, f); /* header */
    while (fgets(line, sizeof line, f)) {
        char *save = NULL;
        char *path = strtok_r(line, "\t\n", &save);
        char *cls = strtok_r(NULL, "\t\n", &save);
        char *format = strtok_r(NULL, "\t\n", &save);
        char *disguise = strtok_r(NULL, "\t\n", &save);
        strtok_r(NULL, "\t\n", &save); /* made_by */
        char *expected = strtok_r(NULL, "\t\n", &save);
        if (!path || !cls || !expected || (want && strcmp(cls, want)))
            continue;
        (*rows)++;
        char got[32];
        verdict_of(path, got, sizeof got);
        if (!acceptable(expected, got)) {
            bad++;
            int n = snprintf(report + o, size - o, "  %s (%s, %s): expected %s, got %s\n", path,
                             format ? format : "?", disguise ? disguise : "?", expected, got);
            if (n > 0 && (size_t)n < size - o)
                o += (size_t)n;
        }
    }
    fclose(f);
    return bad;
}

static void check_class(const char *cls, size_t at_least)
{
    static char report[16384];
    report[0] = '\0';
    size_t rows = 0;
    size_t bad = run_rows(cls, &rows, report, sizeof report);
    cr_assert_geq(rows, at_least, "only %zu %s rows in %s", rows, cls, MANIFEST);
    cr_assert_eq(bad, 0, "%zu of %zu %s artefacts misjudged:\n%s", bad, rows, cls, report);
}

Test(corpus, every_model_artefact_fails_however_disguised, .timeout = 300)
{
    check_class("model", 100);
}

Test(corpus, every_data_artefact_fails, .timeout = 120)
{
    check_class("data", 20);
}

Test(corpus, every_bad_input_is_a_finding_never_a_pass, .timeout = 300)
{
    check_class("bad", 25);
}

Test(corpus, no_benign_output_fails, .timeout = 120)
{
    check_class("benign", 15);
}
