/* test_corpus.c - the binary over every artefact in testdata/artefacts
 * (made by real libraries: testdata/make-artefacts.sh) and every benign
 * output in testdata/benign (doc/design.md, "File classes" and "Disallowed artefacts"; issue 4's
 * acceptance test). Each MANIFEST.tsv row says what its file is and the verdict it must get: fail,
 * review, review-or-fail (never pass) or pass-or-review (never fail). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "helpers.h"

#define MANIFEST "testdata/artefacts/MANIFEST.tsv"

/* The verdict the JSON REPORT gives the file PATH checked in it
 * ("pass", "review", "fail"), in OUT; "error" when it has none. A file's
 * own keys are indented by six spaces (its members' further), its path
 * before its verdict. */
static void verdict_in(const char *report, const char *path, char *out, size_t size)
{
    snprintf(out, size, "error");
    char key[1200];
    snprintf(key, sizeof key, "\n      \"path\": \"%s\",", path);
    const char *at = report ? strstr(report, key) : NULL;
    static const char verdict[] = "\n      \"verdict\": \"";
    const char *v = at ? strstr(at + strlen(key), verdict) : NULL;
    if (v) {
        v += strlen(verdict);
        snprintf(out, size, "%.*s", (int)strcspn(v, "\""), v);
    }
}

/* Runs sdccheck -f json on PATH alone and returns the report's verdict
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

/* One row of the manifest; FOLDER: its path is a directory. */
typedef struct row {
    char *path, *format, *disguise, *expected;
    bool folder;
} row;

/* Every row of class WANT, in *N. */
static row *rows_of(const char *want, size_t *n)
{
    FILE *f = fopen(MANIFEST, "r");
    cr_assert_not_null(f, "cannot read %s: run from the repository root", MANIFEST);
    char line[1024];
    row *rows = NULL;
    *n = 0;
    fgets(line, sizeof line, f); /* header */
    while (fgets(line, sizeof line, f)) {
        char *save = NULL;
        char *path = strtok_r(line, "\t\n", &save);
        char *cls = strtok_r(NULL, "\t\n", &save);
        char *format = strtok_r(NULL, "\t\n", &save);
        char *disguise = strtok_r(NULL, "\t\n", &save);
        strtok_r(NULL, "\t\n", &save); /* made_by */
        char *expected = strtok_r(NULL, "\t\n", &save);
        if (!path || !cls || !expected || strcmp(cls, want))
            continue;
        rows = realloc(rows, (*n + 1) * sizeof *rows);
        cr_assert_not_null(rows);
        struct stat sb;
        rows[(*n)++] =
            (row){strdup(path), strdup(format ? format : "?"), strdup(disguise ? disguise : "?"),
                  strdup(expected), stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)};
    }
    fclose(f);
    return rows;
}

/*
 * Checks every row of class CLS, at least AT_LEAST of them: the files of
 * the class in one run of sdccheck -q -f json (as a reviewer screens a
 * submission; the process starts once, not once per file, which under
 * AddressSanitizer was most of the time), each file's verdict read from
 * the report and held to the manifest.
 */
static void check_class(const char *cls, size_t at_least)
{
    size_t n = 0;
    row *rows = rows_of(cls, &n);
    cr_assert_geq(n, at_least, "only %zu %s rows in %s", n, cls, MANIFEST);
    const char **args = calloc(n + 4, sizeof *args);
    cr_assert_not_null(args);
    args[0] = "-q";
    args[1] = "-f";
    args[2] = "json";
    /* A folder (a saved model's directory) is its files in the report:
     * it is checked alone, its verdict the report's. */
    size_t nargs = 3;
    for (size_t i = 0; i < n; i++)
        if (!rows[i].folder)
            args[nargs++] = rows[i].path;
    sdc_test_ran r = sdc_test_run(0, NULL, args);
    free(args);
    cr_assert(r.status < 128 && r.status != 2, "sdccheck on the %s class: status %d", cls,
              r.status);
    static char said[16384];
    size_t bad = 0, o = 0;
    said[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char got[32];
        if (rows[i].folder)
            verdict_of(rows[i].path, got, sizeof got);
        else
            verdict_in(r.out, rows[i].path, got, sizeof got);
        if (!acceptable(rows[i].expected, got)) {
            bad++;
            int k = snprintf(said + o, sizeof said - o, "  %s (%s, %s): expected %s, got %s\n",
                             rows[i].path, rows[i].format, rows[i].disguise, rows[i].expected, got);
            if (k > 0 && (size_t)k < sizeof said - o)
                o += (size_t)k;
        }
        free(rows[i].path);
        free(rows[i].format);
        free(rows[i].disguise);
        free(rows[i].expected);
    }
    free(rows);
    /* what sdccheck said (a sanitizer's report when it died) */
    cr_assert_eq(bad, 0,
                 "%zu of %zu %s artefacts misjudged:\n%s\nstatus %d, standard error:\n%.2000s", bad,
                 n, cls, said, r.status, r.err);
    sdc_test_ran_free(&r);
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
