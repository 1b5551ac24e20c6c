/* test_outputs.c - tables written into documents and logs as researchers'
 * tools write them (testdata/outputs: knitr, print(), summary() in R;
 * pandas' to_html, to_markdown, to_latex and print; Stata's tabulate in a
 * log), judged by the binary (doc/design.md, "Tables in documents").
 *
 * testdata/outputs/EXPECTED.tsv holds, for each output, the verdict and
 * findings worked out by hand from the counts in the generator scripts
 * (make-outputs.R, make-outputs.py), never from sdccheck's own output:
 * each finding as member|rule|row|column|value, where an empty part is
 * not compared and the member is the table (table2:line14) or, empty,
 * the document itself. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define DIR "testdata/outputs"

/* The JSON report of sdccheck on PATH (malloc'd). */
static char *report_of(const char *path)
{
    int status;
    char *text = sdc_test_json_report(path, &status);
    cr_assert(status >= 0 && status != 2, "%s: sdccheck failed (%d)", path, status);
    return text;
}

/* The object of the file or member PATH in REPORT: from its "path" to the
 * next one (or the end), copied. */
static char *object_of(const char *report, const char *path)
{
    char key[1024];
    snprintf(key, sizeof key, "\"path\": \"%s\",", path);
    const char *a = strstr(report, key);
    if (!a)
        return NULL;
    const char *b = strstr(a + strlen(key), "\"path\": \"");
    size_t n = b ? (size_t)(b - a) : strlen(a);
    return strndup(a, n);
}

/* The string value of KEY in the finding at F (up to the next finding),
 * "" for null, into OUT. */
static void field_of(const char *f, const char *key, char *out, size_t size)
{
    out[0] = '\0';
    const char *next = strstr(f + 1, "\"rule\": \"");
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *p = strstr(f, k);
    if (!p || (next && p > next))
        return;
    p += strlen(k);
    if (*p != '"')
        return; /* null or a number: values are strings in the report */
    const char *e = strchr(p + 1, '"');
    size_t n = e ? (size_t)(e - p - 1) : 0;
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p + 1);
}

/* Does OBJ hold a finding of RULE with ROW, COLUMN, VALUE (empty: any)? */
static bool has(const char *obj, const char *rule, const char *row, const char *column,
                const char *value)
{
    char key[96];
    snprintf(key, sizeof key, "\"rule\": \"%s\"", rule);
    for (const char *f = strstr(obj, key); f; f = strstr(f + 1, key)) {
        char got[256];
        field_of(f, "row", got, sizeof got);
        if (*row && strcmp(got, row) != 0)
            continue;
        field_of(f, "column", got, sizeof got);
        if (*column && strcmp(got, column) != 0)
            continue;
        field_of(f, "value", got, sizeof got);
        if (*value && strcmp(got, value) != 0)
            continue;
        return true;
    }
    return false;
}

/* The verdict of the object (the first "verdict" in it: findings follow). */
static void verdict_of(const char *obj, char *out, size_t size)
{
    const char *p = strstr(obj, "\"verdict\": \"");
    out[0] = '\0';
    if (p)
        snprintf(out, size, "%.*s", (int)strcspn(p + 12, "\""), p + 12);
}

/* Checks one EXPECTED.tsv row; appends what is wrong to MSG. */
static void check_row(const char *file, const char *want, const char *findings, char *msg,
                      size_t size)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", DIR, file);
    char *report = report_of(path);
    cr_assert_not_null(report, "%s: no report", path);
    char *obj = object_of(report, path);
    size_t o = strlen(msg);
    char got[32];
    verdict_of(obj ? obj : "", got, sizeof got);
    if (strcmp(got, want) != 0)
        o += (size_t)snprintf(msg + o, size - o, "  %s: verdict %s, not %s\n", file, got, want);
    if (strcmp(want, "pass") == 0 && strstr(report, "\"verdict\": \"review\"") != NULL)
        o += (size_t)snprintf(msg + o, size - o, "  %s: a finding needs review\n", file);
    char *list = strdup(findings);
    char *save = NULL;
    for (char *f = strtok_r(list, ";", &save); f; f = strtok_r(NULL, ";", &save)) {
        char *part[5] = {"", "", "", "", ""};
        for (int i = 0; i < 5 && f; i++) {
            part[i] = f;
            f = strchr(f, '|');
            if (f)
                *f++ = '\0';
        }
        char member[768];
        if (*part[0])
            snprintf(member, sizeof member, "%s!%s", path, part[0]);
        else
            snprintf(member, sizeof member, "%s", path);
        char *m = object_of(report, member);
        if (!m)
            o += (size_t)snprintf(msg + o, size - o, "  %s: no %s in the report\n", file, member);
        else if (*part[1] && !has(m, part[1], part[2], part[3], part[4]))
            o += (size_t)snprintf(msg + o, size - o,
                                  "  %s: no %s at row '%s' column '%s' value '%s' in %s\n", file,
                                  part[1], part[2], part[3], part[4], member);
        free(m);
        if (o >= size)
            break;
    }
    free(list);
    free(obj);
    free(report);
}

Test(outputs, tables_in_documents_logs_and_pages_get_their_worked_out_verdicts, .timeout = 120)
{
    FILE *f = fopen(DIR "/EXPECTED.tsv", "r");
    cr_assert_not_null(f, "run from the repository root");
    char line[2048];
    static char msg[16384];
    msg[0] = '\0';
    size_t rows = 0;
    cr_assert_not_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f)) {
        char *cols[4] = {"", "", "", ""};
        char *p = line;
        for (int i = 0; i < 4 && p; i++) {
            cols[i] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        cols[3][strcspn(cols[3], "\n")] = '\0';
        if (!*cols[0])
            continue;
        check_row(cols[0], cols[1], cols[2], msg, sizeof msg);
        rows++;
    }
    fclose(f);
    cr_assert_geq(rows, 19, "only %zu rows in EXPECTED.tsv", rows);
    cr_assert_eq(msg[0], '\0', "misjudged outputs:\n%s", msg);
}
