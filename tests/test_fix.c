/*
 * test_fix.c - --fix on tables inside other files: a workbook's sheets,
 * an archive's members, nested archives (sdccheck(1), --fix; fix_name.c).
 *
 * The binary runs on the files of testdata/fix (made by
 * testdata/make-fix.py, which says what each holds). Every failing table
 * there is the same one, and its protected copy is worked out by hand:
 *
 *     region,A,B,Total          region,A,B,Total
 *     N,3,12,15                 N,c,c,15
 *     S,20,30,50       -->      S,c,c,50
 *     Total,23,42,65            Total,23,42,65
 *
 * 3 is below the threshold of 10 (the default policy), and nothing else
 * fails. Row N and column A each publish a total, so hiding 3 alone gives
 * it back by subtraction: row N needs a second hidden cell (B: 12), column
 * A too (S: 20), and then row S and column B each hold one hidden cell
 * alone, which the fourth (S, B: 30) closes. With the four inner cells
 * hidden, N,A can be anything from 0 to 15, and the margins stay as
 * published. The default marker of a hidden cell is "c"
 * (sdccheck-policy(5), suppressed_markers).
 *
 * Each test makes its own output folder; the inputs in testdata/ must be
 * byte-identical afterwards (sha256sum before and after).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static const char fixed[] = "region,A,B,Total\nN,c,c,15\nS,c,c,50\nTotal,23,42,65\n";

/* Two copies of that table in two folders are one group of linked tables,
 * each copy's categories a dimension of its own and the row totals (N and
 * S by Total) shared. Hiding the shared totals serves both copies: 4
 * complements in the group (S A in each, N Total, S Total) against 6 for
 * the B column in each (S A, N B, S B, twice), so the group's optimum
 * hides the Total column, and each copy shows what the group hides. */
static const char fixed_pair[] = "region,A,B,Total\nN,c,12,c\nS,c,30,c\nTotal,23,42,65\n";

static char dir[64];

static void setup(void)
{
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "fix"));
}

static void teardown(void)
{
    cr_assert_eq(temp_dir_remove(dir), 0);
}

TestSuite(fix, .init = setup, .fini = teardown);

/* Runs sdccheck -q ARGS... (NULL-terminated; standard output dropped):
 * its exit status (-1 when it did not exit), its standard error in *ERR
 * (malloc'd) when ERR is not NULL. */
static int run(char **err, ...)
{
    char *argv[16] = {(char *)sdc_test_binary(), "-q"};
    size_t n = 2;
    va_list ap;
    va_start(ap, err);
    for (const char *a; n < 15 && (a = va_arg(ap, const char *));)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    char errpath[] = "/tmp/sdc-fix-err-XXXXXX";
    int fd = mkstemp(errpath);
    cr_assert(fd >= 0);
    close(fd);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, errpath, O_WRONLY | O_TRUNC, 0);
    pid_t pid;
    int status = -1, st = 0;
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0 && waitpid(pid, &st, 0) == pid &&
        WIFEXITED(st))
        status = WEXITSTATUS(st);
    posix_spawn_file_actions_destroy(&fa);
    if (err)
        *err = sdc_test_slurp(errpath);
    unlink(errpath);
    return status;
}

/* The regular files below the folder, as paths relative to it, sorted,
 * one a line (nftw gathers them). */
static char *listing_of;
static size_t listing_root;
static int gather(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)ftw;
    if (type != FTW_F)
        return 0;
    char *more = NULL;
    cr_assert(asprintf(&more, "%s%s\n", listing_of ? listing_of : "", path + listing_root) >= 0);
    free(listing_of);
    listing_of = more;
    return 0;
}

static int by_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *files_below(const char *folder)
{
    listing_of = NULL;
    listing_root = strlen(folder) + 1;
    cr_assert_eq(nftw(folder, gather, 16, FTW_PHYS), 0, "cannot walk %s", folder);
    char *text = listing_of ? listing_of : strdup("");
    size_t len = strlen(text);
    char *lines[64];
    size_t n = 0;
    for (char *s = strtok(text, "\n"); s && n < 64; s = strtok(NULL, "\n"))
        lines[n++] = s;
    qsort(lines, n, sizeof *lines, by_line);
    char *sorted = calloc(1, len + 1);
    for (size_t i = 0; i < n; i++) {
        strcat(sorted, lines[i]);
        strcat(sorted, "\n");
    }
    free(text);
    return sorted;
}

/* The copy at OUT/NAME is EXPECTED, and sdccheck passes it. */
static void assert_copy(const char *out, const char *name, const char *expected)
{
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/%s", out, name) >= 0);
    char *text = sdc_test_slurp(path);
    cr_assert_not_null(text, "no copy at %s", path);
    cr_assert_str_eq(text, expected, "%s", path);
    cr_assert_eq(run(NULL, path, NULL), 0, "the copy %s passes a check of its own", path);
    free(text);
    free(path);
}

/* The copy at OUT/NAME is the table worked out above, and sdccheck passes it. */
static void assert_fixed_copy(const char *out, const char *name)
{
    assert_copy(out, name, fixed);
}

/* Runs --fix OUT on INPUTS[0..n) and asserts that each input is
 * byte-identical afterwards; returns the exit status, standard error in
 * *ERR. */
static int fix_unchanged(const char *out, char **err, const char *a, const char *b, const char *c)
{
    const char *in[] = {a, b, c};
    char before[3][65] = {"", "", ""}, after[65];
    for (int i = 0; i < 3 && in[i]; i++)
        cr_assert_eq(sha256sum_of(in[i], before[i]), 0, "cannot hash %s", in[i]);
    int status = run(err, "--fix", out, a, b, c, NULL);
    for (int i = 0; i < 3 && in[i]; i++) {
        cr_assert_eq(sha256sum_of(in[i], after), 0);
        cr_assert_str_eq(after, before[i], "%s was modified", in[i]);
    }
    return status;
}

Test(fix, a_failing_sheet_is_written_as_csv_in_a_folder_named_for_the_workbook)
{
    char *out = NULL, *err = NULL;
    cr_assert(asprintf(&out, "%s/out", dir) >= 0);
    int status = fix_unchanged(out, &err, "testdata/fix/book.xlsx", NULL, NULL);
    cr_assert_eq(status, 1, "the workbook still fails: exit %d; %s", status, err);
    cr_assert_not_null(strstr(err, "wrote "), "%s", err);
    cr_assert_not_null(strstr(err, "/out/book.xlsx/Sales.csv: 1 primary and 3 complementary"), "%s",
                       err);
    assert_fixed_copy(out, "book.xlsx/Sales.csv");
    /* Passing needs no copy, Notes is text: Sales alone. */
    char *files = files_below(out);
    cr_assert_str_eq(files, "book.xlsx/Sales.csv\n");
    free(files);
    free(err);
    free(out);
}

Test(fix, a_failing_member_is_written_under_a_folder_named_for_its_archive)
{
    char *out = NULL, *err = NULL;
    cr_assert(asprintf(&out, "%s/out", dir) >= 0);
    int status = fix_unchanged(out, &err, "testdata/fix/tables.zip", "testdata/fix/tables.tar.gz",
                               "testdata/fix/nested.zip");
    cr_assert_eq(status, 1, "exit %d; %s", status, err);
    assert_fixed_copy(out, "tables.zip/tables/t1.csv");
    assert_fixed_copy(out, "tables.tar.gz/tables/t1.csv");
    assert_fixed_copy(out, "nested.zip/inner.tar.gz/deep/t1.csv");
    char *files = files_below(out);
    cr_assert_str_eq(files,
                     "nested.zip/inner.tar.gz/deep/t1.csv\n"
                     "tables.tar.gz/tables/t1.csv\n"
                     "tables.zip/tables/t1.csv\n",
                     "only the failing members get copies (ok.csv passes)");
    free(files);
    free(err);
    free(out);
}

Test(fix, the_copies_are_in_the_report_and_pass)
{
    char *out = NULL;
    cr_assert(asprintf(&out, "%s/out", dir) >= 0);
    int status = 0;
    char *rep = sdc_test_json_run("--fix", out, "testdata/fix/tables.zip", &status, NULL);
    cr_assert_not_null(rep);
    cr_assert_eq(status, 1, "the archive itself still fails");
    char *copy = NULL;
    cr_assert(asprintf(&copy, "\"path\": \"%s/tables.zip/tables/t1.csv\"", out) >= 0);
    char *entry = strstr(rep, copy);
    cr_assert_not_null(entry, "the copy is in the report: %s", rep);
    char *verdict = strstr(entry, "\"verdict\": \"");
    cr_assert_not_null(verdict);
    cr_assert_eq(strncmp(verdict, "\"verdict\": \"pass\"", 17), 0, "%.200s", entry);
    free(copy);
    free(rep);
    free(out);
}

Test(fix, an_ods_sheet_is_written_as_csv_too)
{
    /* testdata/make-ods.py: North East's F is 3, no margins: the primary
     * cell alone is hidden. */
    char *out = NULL;
    cr_assert(asprintf(&out, "%s/out", dir) >= 0);
    int status = fix_unchanged(out, NULL, "testdata/ods/small_counts.ods", NULL, NULL);
    cr_assert_eq(status, 1);
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/small_counts.ods/Counts.csv", out) >= 0);
    char *text = sdc_test_slurp(path);
    cr_assert_not_null(text, "no copy at %s", path);
    cr_assert_str_eq(text, "region,F,M\nNorth East,c,15\nNorth West,40,38\nLondon,55,61\n"
                           "South West,31,29\n");
    cr_assert_eq(run(NULL, path, NULL), 0);
    free(text);
    free(path);
    free(out);
}

Test(fix, member_names_that_would_leave_the_folder_are_made_safe_and_unique)
{
    /* escape.zip: ../escape.csv, escape.csv, /abs/t1.csv, bell<BEL>.csv. */
    char *out = NULL, *err = NULL;
    cr_assert(asprintf(&out, "%s/out", dir) >= 0);
    int status = fix_unchanged(out, &err, "testdata/fix/escape.zip", NULL, NULL);
    cr_assert_eq(status, 1, "exit %d; %s", status, err);
    char *files = files_below(out);
    cr_assert_str_eq(files, "escape.zip/abs/t1.csv\n"
                            "escape.zip/bell_.csv\n"
                            "escape.zip/escape-2.csv\n"
                            "escape.zip/escape.csv\n");
    free(files);
    /* Nothing was written beside the output folder, nor at /abs. */
    files = files_below(dir);
    cr_assert_str_eq(files, "out/escape.zip/abs/t1.csv\n"
                            "out/escape.zip/bell_.csv\n"
                            "out/escape.zip/escape-2.csv\n"
                            "out/escape.zip/escape.csv\n");
    free(files);
    cr_assert_neq(access("/abs/t1.csv", F_OK), 0);
    assert_fixed_copy(out, "escape.zip/escape.csv");
    assert_fixed_copy(out, "escape.zip/escape-2.csv");
    assert_fixed_copy(out, "escape.zip/abs/t1.csv");
    assert_fixed_copy(out, "escape.zip/bell_.csv");
    free(err);
    free(out);
}

Test(fix, a_table_found_in_a_document_is_copied_under_the_document_name)
{
    /* The same table as a Markdown pipe table, its first line at line 3. */
    char *md = put_file(dir, "report.md",
                        "# Results\n\n| region | A | B | Total |\n|---|---|---|---|\n"
                        "| N | 3 | 12 | 15 |\n| S | 20 | 30 | 50 |\n| Total | 23 | 42 | 65 |\n");
    cr_assert_not_null(md);
    char *out = NULL;
    cr_assert(asprintf(&out, "%s/out", dir) >= 0);
    cr_assert_eq(fix_unchanged(out, NULL, md, NULL, NULL), 1);
    char *files = files_below(out);
    cr_assert_str_eq(files, "report.md/table1:line3.csv\n");
    free(files);
    assert_fixed_copy(out, "report.md/table1:line3.csv");
    free(out);
    free(md);
}

static const char failing[] = "region,A,B,Total\nN,3,12,15\nS,20,30,50\nTotal,23,42,65\n";

Test(fix, two_tables_of_one_name_get_two_copies)
{
    char *a = NULL, *b = NULL, *out = NULL;
    cr_assert(asprintf(&a, "%s/a", dir) >= 0 && asprintf(&b, "%s/b", dir) >= 0);
    cr_assert(asprintf(&out, "%s/out", dir) >= 0);
    cr_assert_eq(mkdir(a, 0755), 0);
    cr_assert_eq(mkdir(b, 0755), 0);
    char *ta = put_file(a, "t.csv", failing), *tb = put_file(b, "t.csv", failing);
    cr_assert(ta && tb);
    int status = fix_unchanged(out, NULL, ta, tb, NULL);
    cr_assert_eq(status, 1);
    char *files = files_below(out);
    cr_assert_str_eq(files, "t-2.csv\nt.csv\n", "the second is not written over the first");
    free(files);
    assert_copy(out, "t.csv", fixed_pair);
    assert_copy(out, "t-2.csv", fixed_pair);
    free(ta);
    free(tb);
    free(a);
    free(b);
    free(out);
}

Test(fix, a_copy_never_replaces_another_input)
{
    /* a/t.csv's copy would be b/t.csv, which is checked too. */
    char *a = NULL, *b = NULL, *err = NULL;
    cr_assert(asprintf(&a, "%s/a", dir) >= 0 && asprintf(&b, "%s/b", dir) >= 0);
    cr_assert_eq(mkdir(a, 0755), 0);
    cr_assert_eq(mkdir(b, 0755), 0);
    char *ta = put_file(a, "t.csv", failing), *tb = put_file(b, "t.csv", failing);
    cr_assert(ta && tb);
    int status = fix_unchanged(b, &err, ta, tb, NULL);
    cr_assert_eq(status, 2, "writing over an input is refused: exit %d; %s", status, err);
    cr_assert_not_null(strstr(err, "overwrite"), "%s", err);
    char *text = sdc_test_slurp(tb);
    cr_assert_str_eq(text, failing);
    free(text);
    free(err);
    free(ta);
    free(tb);
    free(a);
    free(b);
}

/* The library: a member is protected only if its archive is still the one
 * checked. */
Test(fix, a_member_whose_archive_changed_after_the_check_is_not_fixed)
{
    char *zip = NULL, *out = NULL, *cmd = NULL;
    cr_assert(asprintf(&zip, "%s/tables.zip", dir) >= 0 && asprintf(&out, "%s/out", dir) >= 0);
    cr_assert(asprintf(&cmd, "cp testdata/fix/tables.zip '%s'", zip) >= 0);
    cr_assert_eq(system(cmd), 0);
    sdc_policy *policy = sdc_policy_default();
    sdc_checker *ck = sdc_checker_new(policy, NULL);
    sdc_checker_keep_tables(ck, true);
    sdc_report report = {0};
    const char *paths[] = {zip};
    cr_assert_eq(sdc_check_paths(ck, paths, 1, 1, &report, NULL), 0);
    /* Now the archive holds other bytes: its nested.zip, say. */
    free(cmd);
    cr_assert(asprintf(&cmd, "cp testdata/fix/nested.zip '%s'", zip) >= 0);
    cr_assert_eq(system(cmd), 0);
    sdc_fix_log log;
    sdc_status st = {0};
    cr_assert_eq(sdc_report_fix(ck, &report, out, SDC_SUPPRESS_HEURISTIC, &log, &st), 0);
    cr_assert_eq(log.count, 1, "one table was tried");
    cr_assert_null(log.items[0].output, "no copy of a table that is not the one checked");
    cr_assert_not_null(log.items[0].problem);
    cr_assert_not_null(strstr(log.items[0].problem, "changed"), "%s", log.items[0].problem);
    cr_assert_eq(report.verdict, SDC_FAIL);
    char *files = files_below(out);
    cr_assert_str_eq(files, "");
    free(files);
    sdc_fix_log_free(&log);
    sdc_report_free(&report);
    sdc_checker_free(ck);
    sdc_policy_free(policy);
    free(cmd);
    free(zip);
    free(out);
}
