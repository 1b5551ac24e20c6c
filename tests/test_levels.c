/*
 * test_levels.c - `sdccheck protect` with levels declared within one
 * column (man/sdccheck.1, COMMANDS, protect; doc/design.md, "Safe tables
 * from microdata"), end to end: the real binary on testdata/levels, whose
 * counts are worked by hand in testdata/make-levels.py.
 *
 * The subtotal rows (England beside North and South) are built from the
 * records, a unit in two leaves of one parent counts once in it, the
 * suppression protects a leaf against its level's subtotal, the table is
 * written with a sidecar declaring its levels so that `check` reads it
 * back and passes, and a wrong declaration or a record in a parent is an
 * error naming the label and where it is.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

typedef struct run {
    int status; /* exit status, -1 when it did not exit */
    char *out, *err;
} run;

/* Runs sdccheck with ARGS (NULL-terminated), its output and errors kept
 * in files of DIR. */
static run sdc(const char *dir, const char *const *args)
{
    char *argv[16];
    size_t n = 0;
    argv[n++] = (char *)sdc_test_binary();
    for (; args[n - 1] && n < 15; n++)
        argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    char *out = NULL, *err = NULL;
    cr_assert_geq(asprintf(&out, "%s/.stdout", dir), 0);
    cr_assert_geq(asprintf(&err, "%s/.stderr", dir), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    run r = {.status = -1};
    int st = 0;
    cr_assert_eq(posix_spawn(&pid, argv[0], &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    if (waitpid(pid, &st, 0) == pid && WIFEXITED(st))
        r.status = WEXITSTATUS(st);
    r.out = sdc_test_slurp(out);
    r.err = sdc_test_slurp(err);
    cr_assert(r.out && r.err);
    free(out);
    free(err);
    return r;
}

static void run_free(run *r)
{
    free(r->out);
    free(r->err);
}

/* The n of the row labelled LABEL in a one-column table's CSV ("area,n"),
 * copied into BUF; "" when there is no such row. */
static const char *count_of(const char *table, const char *label, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t len = strlen(label);
    for (const char *line = table; *line;) {
        size_t end = strcspn(line, "\n");
        if (strncmp(line, label, len) == 0 && line[len] == ',') {
            snprintf(buf, size, "%.*s", (int)(end - len - 1), line + len + 1);
            break;
        }
        line += end + (line[end] == '\n');
    }
    return buf;
}

static size_t lines_of(const char *text)
{
    size_t n = 0;
    for (const char *c = text; *c; c++)
        n += *c == '\n';
    return n;
}

Test(levels, subtotal_rows_are_built_and_a_complement_keeps_the_hidden_leaf)
{
    /* Hand-worked (testdata/make-levels.py): North 4 is below the
     * threshold; England 16 - South 12 would give it back. */
    static const struct {
        const char *label;
        const char *n;
    } want[] = {{"North", "4"},    {"South", "12"}, {"England", "16"},  {"Cardiff", "20"},
                {"Swansea", "25"}, {"Wales", "45"}, {"Scotland", "15"}, {"Total", "76"}};
    char dir[64], got[64];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "levels"));
    char *out = NULL, *side = NULL;
    cr_assert_geq(asprintf(&out, "%s/areas_safe.csv", dir), 0);
    cr_assert_geq(asprintf(&side, "%s/areas_safe.sdc.yaml", dir), 0);
    const char *const protect[] = {
        "protect", "--by", "area", "--unit", "id", "-o", out, "testdata/levels/areas.csv", NULL};
    run r = sdc(dir, protect);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "area 'Scotland' is in no declared level"),
                       "an unmapped label is a top-level category, and says so: %s", r.err);
    run_free(&r);

    char *table = sdc_test_slurp(out);
    cr_assert_not_null(table);
    cr_assert_eq(strncmp(table, "area,n\n", 7), 0, "%s", table);
    cr_assert_eq(lines_of(table), 1 + sizeof want / sizeof want[0],
                 "one row per leaf, per level and the total:\n%s", table);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        count_of(table, want[i].label, got, sizeof got);
        cr_assert(strcmp(got, want[i].n) == 0 || strcmp(got, "c") == 0,
                  "%s: %s published, %s worked by hand:\n%s", want[i].label, got, want[i].n, table);
    }
    cr_assert_str_eq(count_of(table, "North", got, sizeof got), "c", "%s", table);
    char south[16], england[16];
    count_of(table, "South", south, sizeof south);
    count_of(table, "England", england, sizeof england);
    cr_assert(strcmp(south, "c") == 0 || strcmp(england, "c") == 0,
              "England's subtotal gives North away unless South or England is hidden:\n%s", table);
    free(table);

    char *yaml = sdc_test_slurp(side);
    cr_assert_not_null(yaml, "the levels are declared beside the table");
    cr_assert_not_null(strstr(yaml, "England: [North, South]"), "%s", yaml);
    cr_assert_not_null(strstr(yaml, "Wales: [Cardiff, Swansea]"), "%s", yaml);
    free(yaml);

    const char *const check[] = {"-q", out, NULL};
    r = sdc(dir, check);
    cr_assert_eq(r.status, 0, "the table passes check with its levels: exit %d\n%s", r.status,
                 r.out);
    run_free(&r);
    const char *const audit[] = {"audit", out, NULL};
    r = sdc(dir, audit);
    cr_assert_eq(r.status, 0, "every hidden cell is protected: exit %d\n%s", r.status, r.out);
    cr_assert_not_null(strstr(r.out, "North, n: [0, 16]  protected"), "%s", r.out);
    run_free(&r);

    /* check --microdata builds the same levels from the records. */
    const char *const verify[] = {"-q", "--microdata", "testdata/levels/areas.csv", out, NULL};
    r = sdc(dir, verify);
    cr_assert_eq(r.status, 0, "the subtotals match the records: exit %d\n%s", r.status, r.out);
    run_free(&r);

    /* Without the declaration the subtotals would count twice in the total. */
    cr_assert_eq(unlink(side), 0);
    r = sdc(dir, check);
    cr_assert_neq(r.status, 0, "read without its levels the table does not add up");
    run_free(&r);
    free(side);
    free(out);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

Test(levels, a_unit_in_two_leaves_of_one_parent_counts_once_there)
{
    /* Hand-worked (testdata/make-levels.py): "mover" has a female record
     * in North (80) and one in South (90). */
    static const char *const want[] = {
        "Cardiff,F,10,1000,100,100", "Cardiff,M,10,1000,100,100", "Cardiff,Total,20,2000,100,100",
        "England,F,22,2270,170,100", "England,M,25,2500,100,100", "England,Total,47,4770,170,100",
        "North,F,11,1080,100,100",   "North,M,12,1200,100,100",   "North,Total,23,2280,100,100",
        "South,F,12,1190,100,100",   "South,M,13,1300,100,100",   "South,Total,25,2490,100,100",
        "Swansea,F,10,1000,100,100", "Swansea,M,10,1000,100,100", "Swansea,Total,20,2000,100,100",
        "Total,F,42,4270,170,100",   "Total,M,45,4500,100,100",   "Total,Total,87,8770,170,100",
        "Wales,F,20,2000,100,100",   "Wales,M,20,2000,100,100",   "Wales,Total,40,4000,100,100"};
    char dir[64];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "levels"));
    char *out = NULL;
    cr_assert_geq(asprintf(&out, "%s/moves_safe.csv", dir), 0);
    const char *const protect[] = {"protect",
                                   "--by",
                                   "area,sex",
                                   "--unit",
                                   "id",
                                   "--value",
                                   "income",
                                   "--table-spec",
                                   "testdata/levels/spec.yaml",
                                   "-o",
                                   out,
                                   "testdata/levels/moves.csv",
                                   NULL};
    run r = sdc(dir, protect);
    /* So England F (22) is not North F + South F (23), nor England Total
     * (47) North's 23 + South's 25: the table is written, but cannot be
     * cleared as it is (exit 3), and the first line is named. */
    cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "do not add up on 2 lines (first: England / F counts 22 "
                                     "where its 2 parts sum to 23)"),
                       "%s", r.err);
    run_free(&r);
    char *table = sdc_test_slurp(out);
    cr_assert_not_null(table);
    cr_assert_eq(strncmp(table, "area,sex,n,income,income_max1,income_max2\n", 42), 0, "%s", table);
    cr_assert_eq(lines_of(table), 1 + sizeof want / sizeof want[0], "%s", table);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *line = NULL;
        cr_assert_geq(asprintf(&line, "\n%s\n", want[i]), 0);
        cr_assert_not_null(strstr(table, line), "no row %s (worked by hand) in:\n%s", want[i],
                           table);
        free(line);
    }
    free(table);
    char *side = NULL;
    cr_assert_geq(asprintf(&side, "%s/moves_safe.sdc.yaml", dir), 0);
    char *yaml = sdc_test_slurp(side);
    cr_assert_not_null(yaml, "the levels from --table-spec are declared beside the table");
    cr_assert_not_null(strstr(yaml, "England: [North, South]"), "%s", yaml);
    free(yaml);
    free(side);
    free(out);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

Test(levels, the_records_own_declaration_is_never_written_over)
{
    /* OUT beside the records with the same stem: its sidecar would be the
     * records' own, which declares the levels already. */
    char dir[64];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "levels"));
    char *records = sdc_test_slurp("testdata/levels/areas.csv");
    char *declared = sdc_test_slurp("testdata/levels/areas.sdc.yaml");
    cr_assert(records && declared);
    char *data = put_file(dir, "areas.csv", records);
    char *side = put_file(dir, "areas.sdc.yaml", declared);
    char *out = NULL;
    cr_assert_geq(asprintf(&out, "%s/areas.txt", dir), 0);
    const char *const protect[] = {"protect", "--by", "area", "--unit", "id",
                                   "-o",      out,    data,   NULL};
    run r = sdc(dir, protect);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "the records' own declaration, is left as it is"), "%s",
                       r.err);
    run_free(&r);
    char *after = sdc_test_slurp(side);
    cr_assert_str_eq(after, declared, "the records' declaration is unchanged");
    free(after);
    free(out);
    free(side);
    free(data);
    free(declared);
    free(records);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

Test(levels, a_bad_declaration_or_a_record_in_a_parent_is_an_error_saying_where)
{
    char dir[64];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "levels"));
    char *out = NULL;
    cr_assert_geq(asprintf(&out, "%s/never.csv", dir), 0);
    static const struct {
        const char *spec, *records, *message;
    } bad[] = {
        {"testdata/levels/two-parents.yaml", "testdata/levels/moves.csv",
         "testdata/levels/two-parents.yaml:9: hierarchies: 'North' is listed under two parents, "
         "'England' and 'Wales'"},
        {"testdata/levels/cycle.yaml", "testdata/levels/moves.csv",
         "testdata/levels/cycle.yaml:7: hierarchies: 'Britain' rolls up to itself"},
        {NULL, "testdata/levels/direct.csv",
         "testdata/levels/direct.csv: record 31: area 'England' is declared a subtotal"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *args[12] = {"protect", "--by", "area", "--unit", "id", "-o", out};
        size_t n = 7;
        if (bad[i].spec) {
            args[n++] = "--table-spec";
            args[n++] = bad[i].spec;
        }
        args[n++] = bad[i].records;
        run r = sdc(dir, args);
        cr_assert_eq(r.status, 2, "%s: exit %d: %s", bad[i].records, r.status, r.err);
        cr_assert_not_null(strstr(r.err, bad[i].message), "want '%s', got: %s", bad[i].message,
                           r.err);
        struct stat st;
        cr_assert_neq(stat(out, &st), 0, "no table is written");
        run_free(&r);
    }
    free(out);
    cr_assert_eq(temp_dir_remove(dir), 0);
}
