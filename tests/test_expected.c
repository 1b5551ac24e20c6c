/*
 * test_expected.c - the binary's JSON report on the test data, against
 * findings worked out by hand: testdata/generated/EXPECTED.tsv,
 * testdata/bad/EXPECTED.tsv and, outside the folder it describes (the
 * README's demo, which must hold only the submission),
 * testdata/submission-EXPECTED.tsv.
 *
 * Each EXPECTED.tsv row names a file (checked alone, with -p POLICY when
 * the policy column is set), its verdict and its findings, written from
 * the data's construction and the rules (sdccheck-policy(5)), never from
 * sdccheck's output:
 *
 *     rule|verdict|line|row|column|value;rule|...
 *
 * An empty part is not compared (a column-level finding has no row); an
 * entry "@key=value" is a fact of the file in the report ("@encoding=
 * windows-1252", "@delimiter=semicolon" (or tab, comma), "@shape=wide"). The
 * test asserts, for each file: the exit status its verdict means (0 pass,
 * 1 fail, 3 review); the file's verdict; every expected finding present,
 * with its verdict, line, row, column and value; and no finding that
 * fails or needs review beyond those listed. Notes (verdict pass) are not
 * compared.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* One finding as the report gives it, or as EXPECTED.tsv asks for it. */
typedef struct want_finding {
    char rule[64], verdict[16], line[24], row[256], column[128], value[128];
} want_finding;

/* The object of the file PATH in REPORT, from its "path" to the next
 * file's (or the end), copied. */
static char *object_of(const char *report, const char *path)
{
    char key[1024];
    snprintf(key, sizeof key, "\"path\": \"%s\",", path);
    const char *a = strstr(report, key);
    if (!a)
        return NULL;
    const char *b = strstr(a + strlen(key), "\"path\": \"");
    return strndup(a, b ? (size_t)(b - a) : strlen(a));
}

/* The value of KEY in the JSON text [F, END): a string's text, a number's
 * digits, "" for null or absent, into OUT. */
static void field_of(const char *f, const char *end, const char *key, char *out, size_t size)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    out[0] = '\0';
    const char *p = strstr(f, k);
    if (!p || p >= end)
        return;
    p += strlen(k);
    size_t n;
    if (*p == '"') {
        p++;
        const char *e = p;
        while (*e && *e != '"')
            e += e[0] == '\\' && e[1] ? 2 : 1;
        n = (size_t)(e - p);
    } else if (strncmp(p, "null", 4) == 0) {
        return;
    } else {
        n = strcspn(p, ",\n}");
    }
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

/* The findings of the file object OBJ: *OUT (malloc'd), their number. */
static size_t findings_of(const char *obj, want_finding **out)
{
    size_t n = 0, cap = 16;
    *out = calloc(cap, sizeof **out);
    const char *list = strstr(obj, "\"findings\": [");
    for (const char *f = list ? strstr(list, "\"rule\": \"") : NULL; f;) {
        const char *next = strstr(f + 1, "\"rule\": \"");
        const char *end = next ? next : f + strlen(f);
        if (n == cap)
            *out = realloc(*out, (cap *= 2) * sizeof **out);
        want_finding *w = &(*out)[n++];
        field_of(f, end, "rule", w->rule, sizeof w->rule);
        field_of(f, end, "verdict", w->verdict, sizeof w->verdict);
        field_of(f, end, "line", w->line, sizeof w->line);
        field_of(f, end, "row", w->row, sizeof w->row);
        field_of(f, end, "column", w->column, sizeof w->column);
        field_of(f, end, "value", w->value, sizeof w->value);
        f = next;
    }
    return n;
}

/* Does the report's finding GOT meet what WANT asks (empty parts: any)? */
static bool meets(const want_finding *got, const want_finding *want)
{
    return strcmp(got->rule, want->rule) == 0 &&
           (!*want->verdict || strcmp(got->verdict, want->verdict) == 0) &&
           (!*want->line || strcmp(got->line, want->line) == 0) &&
           (!*want->row || strcmp(got->row, want->row) == 0) &&
           (!*want->column || strcmp(got->column, want->column) == 0) &&
           (!*want->value || strcmp(got->value, want->value) == 0);
}

/* Parses "rule|verdict|line|row|column|value;..." into *OUT; their number. */
static size_t parse_wanted(const char *text, want_finding **out)
{
    size_t n = 0;
    *out = calloc(strlen(text) / 2 + 1, sizeof **out);
    char *copy = strdup(text), *save = NULL;
    for (char *f = strtok_r(copy, ";", &save); f; f = strtok_r(NULL, ";", &save)) {
        if (*f == '@')
            continue; /* a fact of the file, not a finding */
        want_finding *w = &(*out)[n++];
        char *part[6] = {w->rule, w->verdict, w->line, w->row, w->column, w->value};
        size_t size[6] = {sizeof w->rule, sizeof w->verdict, sizeof w->line,
                          sizeof w->row,  sizeof w->column,  sizeof w->value};
        for (int i = 0; i < 6 && f; i++) {
            char *bar = strchr(f, '|');
            snprintf(part[i], size[i], "%.*s", (int)(bar ? (size_t)(bar - f) : strlen(f)), f);
            f = bar ? bar + 1 : NULL;
        }
    }
    free(copy);
    return n;
}

static int status_of(const char *verdict)
{
    return strcmp(verdict, "pass") == 0 ? 0 : strcmp(verdict, "fail") == 0 ? 1 : 3;
}

#define SAY(...)                                                                                   \
    do {                                                                                           \
        if (o < size)                                                                              \
            o += (size_t)snprintf(msg + o, size - o, __VA_ARGS__);                                 \
    } while (0)

/* Checks one EXPECTED.tsv row of folder DIR; appends what is wrong to MSG. */
static void check_row(const char *dir, const char *file, const char *policy, const char *verdict,
                      const char *findings, char *msg, size_t size)
{
    size_t o = strlen(msg);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    const char *as = *policy ? policy : "ons-srs";
    int status;
    char *report = sdc_test_json_report_policy(*policy ? policy : NULL, path, &status);
    if (status != status_of(verdict))
        SAY("  %s (%s): exit status %d, not %d\n", file, as, status, status_of(verdict));
    char *obj = report ? object_of(report, path) : NULL;
    if (!obj) {
        SAY("  %s (%s): not in the report\n", file, as);
        free(report);
        return;
    }
    char got_verdict[16];
    field_of(obj, obj + strlen(obj), "verdict", got_verdict, sizeof got_verdict);
    if (strcmp(got_verdict, verdict) != 0)
        SAY("  %s (%s): verdict %s, not %s\n", file, as, got_verdict, verdict);

    /* facts of the file: "@encoding=windows-1252", "@delimiter=;" */
    char *facts = strdup(findings), *save = NULL;
    for (char *f = strtok_r(facts, ";", &save); f; f = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(f, '=');
        if (*f != '@' || !eq)
            continue;
        *eq = '\0';
        const char *want_fact = eq + 1;
        /* delimiters by name: ';' separates entries, a tab columns */
        static const char *const named[][2] = {{"semicolon", ";"}, {"tab", "\\t"}, {"comma", ","}};
        for (size_t i = 0; i < 3; i++)
            if (strcmp(f + 1, "delimiter") == 0 && strcmp(want_fact, named[i][0]) == 0)
                want_fact = named[i][1];
        char got_fact[128];
        field_of(obj, obj + strlen(obj), f + 1, got_fact, sizeof got_fact);
        if (strcmp(got_fact, want_fact) != 0)
            SAY("  %s (%s): %s is '%s', not '%s'\n", file, as, f + 1, got_fact, want_fact);
    }
    free(facts);

    want_finding *want, *got;
    size_t nwant = parse_wanted(findings, &want);
    size_t ngot = findings_of(obj, &got);
    for (size_t i = 0; i < nwant; i++) {
        bool found = false;
        for (size_t k = 0; k < ngot && !found; k++)
            found = meets(&got[k], &want[i]);
        if (!found)
            SAY("  %s (%s): missing %s|%s|%s|%s|%s|%s\n", file, as, want[i].rule, want[i].verdict,
                want[i].line, want[i].row, want[i].column, want[i].value);
    }
    for (size_t k = 0; k < ngot; k++) {
        if (strcmp(got[k].verdict, "pass") == 0)
            continue;
        bool expected = false;
        for (size_t i = 0; i < nwant && !expected; i++)
            expected = meets(&got[k], &want[i]);
        if (!expected)
            SAY("  %s (%s): unexpected %s|%s|%s|%s|%s|%s\n", file, as, got[k].rule, got[k].verdict,
                got[k].line, got[k].row, got[k].column, got[k].value);
    }
    free(want);
    free(got);
    free(obj);
    free(report);
}

/* Checks every row of NAME, whose files are in DIR; asserts at least
 * MIN_ROWS. */
static void check_folder(const char *name, const char *dir, size_t min_rows)
{
    FILE *f = fopen(name, "r");
    cr_assert_not_null(f, "%s (run from the repository root)", name);
    static char msg[32768];
    msg[0] = '\0';
    char line[4096];
    size_t rows = 0;
    cr_assert_not_null(fgets(line, sizeof line, f));
    cr_assert_eq(strncmp(line, "file\tpolicy\tverdict\tfindings\twhy", 32), 0, "%s: header", name);
    while (fgets(line, sizeof line, f)) {
        char *cols[5] = {"", "", "", "", ""};
        char *p = line;
        for (int i = 0; i < 5 && p; i++) {
            cols[i] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        line[strcspn(line, "\n")] = '\0';
        if (!*cols[0] || *cols[0] == '#')
            continue;
        cr_assert(strcmp(cols[2], "pass") == 0 || strcmp(cols[2], "review") == 0 ||
                      strcmp(cols[2], "fail") == 0,
                  "%s: bad verdict '%s' for %s", name, cols[2], cols[0]);
        cr_assert(strcmp(cols[2], "pass") == 0 || *cols[3],
                  "%s: %s is not a pass but lists no "
                  "finding",
                  name, cols[0]);
        check_row(dir, cols[0], cols[1], cols[2], cols[3], msg, sizeof msg);
        rows++;
    }
    fclose(f);
    cr_assert_geq(rows, min_rows, "only %zu rows in %s", rows, name);
    cr_assert_eq(msg[0], '\0', "%s: reports differ from the worked-out findings:\n%s", name, msg);
}

Test(expected, generated_tables_get_their_worked_out_findings, .timeout = 120)
{
    check_folder("testdata/generated/EXPECTED.tsv", "testdata/generated", 27);
}

Test(expected, bad_input_gets_its_worked_out_findings, .timeout = 60)
{
    check_folder("testdata/bad/EXPECTED.tsv", "testdata/bad", 8);
}

Test(expected, the_example_submission_gets_its_worked_out_findings, .timeout = 60)
{
    /* beside the folder, not in it: the folder is the README's demo */
    check_folder("testdata/submission-EXPECTED.tsv", "testdata/submission", 6);
}
