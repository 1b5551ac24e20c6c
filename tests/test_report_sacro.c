/*
 * test_report_sacro.c - `sdccheck check -f sacro -o DIR`: the folder
 * SACRO-Viewer opens (sdccheck-report(5), SACRO-VIEWER FOLDER).
 *
 * Each test runs the real binary on files from testdata/ or written here,
 * then hands the folder to tests/sacro_folder.py, which reads it with
 * Python's own json, csv and hashlib (Debian's /usr/bin/python3, which
 * tools/setup.sh installs: without it the tests fail in CI and are skipped,
 * saying so, elsewhere) and checks every key the viewer dereferences, with
 * its type; a snippet per test then checks what that test is about. The
 * expected cells are worked by hand on the tables written here (and agree
 * with ACRO 0.4.12's own output for the same tables); checksums are
 * compared with coreutils' sha256sum.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

/* Runs ARGV (NULL-terminated) with standard output to /dev/null, and
 * standard error too unless SHOW_ERRORS or SDC_TEST_VERBOSE is set; its exit
 * status, -1 if it did not exit. */
static int spawn(const char *const *argv, bool show_errors)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    if (!show_errors && !getenv("SDC_TEST_VERBOSE"))
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int st = 0, status = -1;
    if (posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) == 0 &&
        waitpid(pid, &st, 0) == pid && WIFEXITED(st))
        status = WEXITSTATUS(st);
    posix_spawn_file_actions_destroy(&fa);
    return status;
}

static int run(const char *const *argv)
{
    return spawn(argv, false);
}

/* sdccheck -q -f sacro -o OUT PATH [PATH2]: its exit status. */
static int sacro(const char *out, const char *path, const char *path2)
{
    const char *argv[] = {sdc_test_binary(), "-q", "-f", "sacro", "-o", out, path, path2, NULL};
    return run(argv);
}

/* tests/sacro_folder.py on DIR, then SNIPPET (may be NULL): 0 when all
 * holds (what does not is said on standard error). */
static int folder_check(const char *dir, const char *snippet)
{
    SDC_TEST_NEED_TOOL("/usr/bin/python3", "python3");
    const char *argv[] = {"/usr/bin/python3", "tests/sacro_folder.py", dir, snippet, NULL};
    return spawn(argv, true);
}

/* A private work folder: the files to check go into IN (made), the
 * folder is written to OUT (not made). */
typedef struct work {
    char dir[64];
    char in[96];
    char out[96];
} work;

static void work_make(work *w, const char *name)
{
    cr_assert_not_null(temp_dir_make(w->dir, sizeof w->dir, name));
    snprintf(w->in, sizeof w->in, "%s/in", w->dir);
    snprintf(w->out, sizeof w->out, "%s/out", w->dir);
    cr_assert_eq(mkdir(w->in, 0777), 0);
}

/* Writes TEXT to W's IN/NAME. */
static void put(const work *w, const char *name, const char *text)
{
    char *path = put_file(w->in, name, text);
    cr_assert_not_null(path, "%s", name);
    free(path);
}

/* DIR/SUB made, its path in BUF. */
static const char *subdir(char *buf, size_t size, const char *dir, const char *sub)
{
    snprintf(buf, size, "%s/%s", dir, sub);
    cr_assert_eq(mkdir(buf, 0777), 0, "%s", buf);
    return buf;
}

/* ACRO's crosstab of region by sex (two counts below 10: North/F = 3 at
 * data row 1, column 0; South/M = 4 at row 2, column 1). */
static const char region_by_sex[] = "region,F,M\nEast,25,30\nNorth,3,40\nSouth,22,4\n";

Test(sacro, the_submission_folder_has_every_key_the_viewer_reads)
{
    work w;
    work_make(&w, "sacro-sub");
    cr_assert_eq(sacro(w.out, "testdata/submission", NULL), 1); /* it fails */
    cr_assert_eq(folder_check(w.out, "assert len(results) == 6, len(results)\n"
                                     "n = record('notes.md')\n"
                                     "assert n['type'] == 'custom' and n['status'] == 'review'\n"
                                     "assert n['files'][0]['name'] == 'notes.md'\n"
                                     "t = record('turnover_by_sic.csv')\n"
                                     "assert t['type'] == 'table' and t['status'] == 'fail'\n"
                                     "assert t['summary'].startswith('fail; ')\n"
                                     "p = record('region_by_sex.csv')\n"
                                     "assert p['summary'] == 'pass', p['summary']\n"
                                     "assert p['properties']['copy'] == 'bytes'\n"),
                 0);
    temp_dir_remove(w.dir);
}

Test(sacro, threshold_cells_of_a_small_table_are_the_positions_worked_by_hand)
{
    work w;
    work_make(&w, "sacro-cells");
    put(&w, "region_by_sex.csv", region_by_sex);
    cr_assert_eq(sacro(w.out, w.in, NULL), 1);
    cr_assert_eq(folder_check(w.out,
                              "r = record('region_by_sex.csv')\n"
                              "cells = r['files'][0]['sdc']['cells']\n"
                              "assert cells['threshold'] == [[1, 0], [2, 1]], cells['threshold']\n"
                              "assert r['files'][0]['sdc']['summary']['threshold'] == 2\n"
                              "assert r['properties']['copy'] == 'bytes'\n"
                              "rows_ = rows(r)\n"
                              "assert rows_[1 + 1][0 + 1] == '3' and rows_[2 + 1][1 + 1] == '4'\n"
                              "assert r['outcome']['F']['North'] == 'threshold; '\n"),
                 0);
    /* the copy is the file, byte for byte: its checksum is the sha256 of
     * that CSV text as ACRO 0.4.12 wrote it */
    char sum_path[160];
    snprintf(sum_path, sizeof sum_path, "%s/checksums/region_by_sex.csv.txt", w.out);
    char *sum = sdc_test_slurp(sum_path);
    cr_assert_not_null(sum);
    cr_assert_str_eq(sum, "428cf17d4981fdf1b8aeef82e3cacbcdb55b8c0033f2e39bc2273fd27e647de3");
    free(sum);
    temp_dir_remove(w.dir);
}

Test(sacro, every_checksum_is_64_lowercase_hex_without_newline_and_matches_sha256sum)
{
    work w;
    work_make(&w, "sacro-sums");
    cr_assert_eq(sacro(w.out, "testdata/submission", NULL), 1);
    DIR *d = opendir(w.out);
    cr_assert_not_null(d);
    size_t checked = 0;
    bool saw_results = false, saw_config = false;
    for (struct dirent *e; (e = readdir(d));) {
        char path[512], sum_path[600], hex[65];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", w.out, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        snprintf(sum_path, sizeof sum_path, "%s/checksums/%s.txt", w.out, e->d_name);
        char *sum = sdc_test_slurp(sum_path);
        cr_assert_not_null(sum, "no checksum for %s", e->d_name);
        cr_assert_eq(strlen(sum), 64, "%s: %zu bytes", e->d_name, strlen(sum));
        cr_assert_eq(strspn(sum, "0123456789abcdef"), 64, "%s: %s", e->d_name, sum);
        cr_assert_eq(sha256sum_of(path, hex), 0);
        cr_assert_str_eq(sum, hex, "%s", e->d_name);
        free(sum);
        saw_results = saw_results || strcmp(e->d_name, "results.json") == 0;
        saw_config = saw_config || strcmp(e->d_name, "config.json") == 0;
        checked++;
    }
    closedir(d);
    /* six files checked, results.json and config.json */
    cr_assert_eq(checked, 8);
    cr_assert(saw_results && saw_config);
    temp_dir_remove(w.dir);
}

Test(sacro, a_table_with_two_header_lines_is_flattened_and_its_cells_counted_on_the_copy)
{
    work w;
    work_make(&w, "sacro-multi");
    /* ACRO's crosstab of region by sex and age: two header lines. Below
     * 10: North F/old 2 and F/young 1 (data row 1, columns 0 and 1), South
     * M/old 2 and M/young 2 (row 2, columns 2 and 3). */
    put(&w, "by_age.csv",
        "sex,F,F,M,M\nage,old,young,old,young\n"
        "East,12,13,15,15\nNorth,2,1,20,20\nSouth,11,11,2,2\n");
    cr_assert_eq(sacro(w.out, w.in, NULL), 1);
    cr_assert_eq(
        folder_check(w.out, "r = record('by_age.csv')\n"
                            "assert r['properties']['copy'] == 'flattened'\n"
                            "t = rows(r)\n"
                            "assert len(t) == 4, t\n" /* one header line, three rows */
                            "assert all(len(row) == 5 for row in t), t\n"
                            "assert [row[0] for row in t[1:]] == ['East', 'North', 'South']\n"
                            "assert t[0][1:] == ['F / old', 'F / young', 'M / old', "
                            "'M / young'], t[0]\n"
                            "cells = r['files'][0]['sdc']['cells']['threshold']\n"
                            "assert cells == [[1, 0], [1, 1], [2, 2], [2, 3]], cells\n"
                            "assert [t[a + 1][b + 1] for a, b in cells] == ['2', '1', '2', '2']\n"),
        0);
    temp_dir_remove(w.dir);
}

Test(sacro, a_table_with_two_label_columns_is_flattened_to_one)
{
    work w;
    work_make(&w, "sacro-labels");
    cr_assert_eq(sacro(w.out, "testdata/submission/deaths_by_ward.csv", NULL), 1);
    /* testdata/submission-EXPECTED.tsv: 3 deaths under 65 in Headingley
     * and Hyde Park (threshold), 0 aged 85 and over in Little London and
     * Woodhouse (zeros) */
    cr_assert_eq(folder_check(w.out,
                              "r = record('deaths_by_ward.csv')\n"
                              "assert r['properties']['copy'] == 'flattened'\n"
                              "t = rows(r)\n"
                              "assert all(len(row) == 2 for row in t), t\n"
                              "cells = r['files'][0]['sdc']['cells']\n"
                              "[[a, b]] = cells['threshold']\n"
                              "assert t[a + 1] == ['Headingley and Hyde Park / Under 65', '3'], "
                              "t[a + 1]\n"
                              "[[a, b]] = cells['zeros']\n"
                              "assert t[a + 1] == ['Little London and Woodhouse / 85 and over', "
                              "'0'], t[a + 1]\n"
                              "assert r['summary'].startswith('fail; threshold: 1 cells')\n"),
                 0);
    temp_dir_remove(w.dir);
}

Test(sacro, a_table_whose_columns_the_layout_splits_is_written_as_read)
{
    work w;
    work_make(&w, "sacro-split");
    /* "52.9% (9)": a percentage and a count in one cell, read as two
     * columns; the counts of North, 9 and 8, are below 10 */
    cr_assert_eq(sacro(w.out, "testdata/outputs/r_janitor_style.csv", NULL), 1);
    cr_assert_eq(folder_check(w.out,
                              "r = record('r_janitor_style.csv')\n"
                              "assert r['properties']['copy'] == 'flattened'\n"
                              "t = rows(r)\n"
                              "cells = r['files'][0]['sdc']['cells']['threshold']\n"
                              "assert len(cells) == 2, cells\n"
                              "assert [t[a + 1][0] for a, b in cells] == ['North', 'North']\n"
                              "assert [t[a + 1][b + 1] for a, b in cells] == ['9', '8'], t\n"),
                 0);
    temp_dir_remove(w.dir);
}

Test(sacro, two_files_with_the_same_name_get_distinct_names)
{
    work w;
    work_make(&w, "sacro-same");
    char a[128], b[128];
    subdir(a, sizeof a, w.dir, "a");
    subdir(b, sizeof b, w.dir, "b");
    char *ta = put_file(a, "t.csv", region_by_sex);
    char *tb = put_file(b, "t.csv", "region,n\nEast,25\nWest,31\n");
    cr_assert(ta && tb);
    char hex_a[65], hex_b[65];
    cr_assert_eq(sha256sum_of(ta, hex_a), 0);
    cr_assert_eq(sha256sum_of(tb, hex_b), 0);
    cr_assert_eq(sacro(w.out, a, b), 1);
    char snippet[1024];
    snprintf(snippet, sizeof snippet,
             "ra, rb = record('a/t.csv'), record('b/t.csv')\n"
             "na, nb = ra['files'][0]['name'], rb['files'][0]['name']\n"
             "assert na != nb and na.lower() != nb.lower(), (na, nb)\n"
             "import hashlib\n"
             "for n, want in ((na, '%s'), (nb, '%s')):\n"
             "    got = hashlib.sha256(open(os.path.join(folder, n), 'rb').read()).hexdigest()\n"
             "    assert got == want, (n, got)\n",
             hex_a, hex_b);
    cr_assert_eq(folder_check(w.out, snippet), 0);
    free(ta);
    free(tb);
    temp_dir_remove(w.dir);
}

/* The entries of DIR whose name starts with PREFIX. */
static size_t entries_starting(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

Test(sacro, an_existing_folder_that_is_not_empty_is_refused_with_exit_2)
{
    work w;
    work_make(&w, "sacro-busy");
    cr_assert_eq(mkdir(w.out, 0777), 0);
    char *keep = put_file(w.out, "mine.txt", "do not touch\n");
    cr_assert_not_null(keep);
    cr_assert_eq(sacro(w.out, "testdata/submission", NULL), 2);
    char *text = sdc_test_slurp(keep);
    cr_assert_str_eq(text, "do not touch\n");
    char results[160];
    snprintf(results, sizeof results, "%s/results.json", w.out);
    cr_assert_neq(access(results, F_OK), 0);
    cr_assert_eq(entries_starting(w.dir, ".sdccheck-report"), 0); /* no temporary folder left */
    free(text);
    free(keep);
    temp_dir_remove(w.dir);
}

Test(sacro, in_an_output_folder_the_sacro_folder_is_dir_slash_sacro)
{
    work w;
    work_make(&w, "sacro-in-dir");
    /* an existing empty folder is an output folder: DIR/sacro */
    cr_assert_eq(mkdir(w.out, 0777), 0);
    cr_assert_eq(sacro(w.out, "testdata/submission/region_by_sex.csv", NULL), 0);
    char sub[160];
    snprintf(sub, sizeof sub, "%s/sacro", w.out);
    cr_assert_eq(folder_check(sub, "assert len(results) == 1\n"), 0);
    cr_assert_eq(entries_starting(w.out, ""), 3); /* ., .. and sacro */
    /* with other formats into a new output folder: DIR/report.json beside */
    char both[128], json[200];
    snprintf(both, sizeof both, "%s/both/", w.dir);
    const char *argv[] = {sdc_test_binary(),
                          "-q",
                          "-f",
                          "json",
                          "-f",
                          "sacro",
                          "-o",
                          both,
                          "testdata/submission/region_by_sex.csv",
                          NULL};
    cr_assert_eq(run(argv), 0);
    snprintf(sub, sizeof sub, "%ssacro", both);
    snprintf(json, sizeof json, "%sreport.json", both);
    cr_assert_eq(access(json, R_OK), 0);
    cr_assert_eq(folder_check(sub, "assert len(results) == 1\n"), 0);
    cr_assert_eq(entries_starting(w.dir, ".sdccheck-report"), 0);
    temp_dir_remove(w.dir);
}

Test(sacro, sacro_without_an_output_folder_is_a_usage_error)
{
    const char *argv[] = {sdc_test_binary(), "-f", "sacro", "testdata/submission", NULL};
    cr_assert_eq(run(argv), 2);
    const char *to_stdout[] = {sdc_test_binary(),     "-f", "sacro", "-o", "-",
                               "testdata/submission", NULL};
    cr_assert_eq(run(to_stdout), 2);
}

Test(sacro, an_unwritable_place_is_exit_2_and_leaves_no_folder)
{
    work w;
    work_make(&w, "sacro-ro");
    char ro[128], out[160];
    subdir(ro, sizeof ro, w.dir, "ro");
    cr_assert_eq(chmod(ro, 0555), 0);
    snprintf(out, sizeof out, "%s/out", ro);
    int status = sacro(out, "testdata/submission/region_by_sex.csv", NULL);
    if (access(ro, W_OK) == 0) {
        /* root writes anywhere: a folder under a regular file cannot be made */
        char *file = put_file(w.dir, "plain", "x\n");
        cr_assert_not_null(file);
        snprintf(out, sizeof out, "%s/out", file);
        status = sacro(out, "testdata/submission/region_by_sex.csv", NULL);
        free(file);
    } else {
        cr_assert_eq(entries_starting(ro, ""), 2); /* . and .. */
    }
    cr_assert_eq(status, 2);
    cr_assert_neq(access(out, F_OK), 0);
    chmod(ro, 0755);
    temp_dir_remove(w.dir);
}

Test(sacro, a_file_size_limit_is_exit_2_and_leaves_no_folder)
{
    work w;
    work_make(&w, "sacro-fsize");
    /* files of at most 512 bytes (1 block in dash, 1 KiB in bash): the
     * results.json of the submission is larger */
    char script[512];
    snprintf(script, sizeof script, "ulimit -f 1 && exec '%s' -q -f sacro -o '%s' %s",
             sdc_test_binary(), w.out, "testdata/submission");
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    cr_assert_eq(run(argv), 2);
    cr_assert_neq(access(w.out, F_OK), 0);
    cr_assert_eq(entries_starting(w.dir, ".sdccheck-report"), 0);
    temp_dir_remove(w.dir);
}

Test(sacro, a_name_with_a_newline_quotes_and_script_is_escaped)
{
    work w;
    work_make(&w, "sacro-name");
    put(&w, "a\"b\n<script>alert(1)<x>'.csv", region_by_sex);
    cr_assert_eq(sacro(w.out, w.in, NULL), 1);
    cr_assert_eq(
        folder_check(w.out,
                     "[(uid, r)] = results.items()\n"
                     "raw = 'a\"b\\n<script>alert(1)<x>\\'.csv'\n"
                     "assert r['properties']['path'].endswith('/' + raw), r['properties']\n"
                     "assert uid.endswith('/' + raw), uid\n"
                     "name = r['files'][0]['name']\n"
                     "assert not any(ch in name for ch in '\\n\"<>\\''), name\n"
                     "assert name.endswith('.csv'), name\n"
                     "assert all('<' not in c and '\\n' not in c for c in r['comments'])\n"
                     "assert r['files'][0]['sdc']['cells']['threshold'] == [[1, 0], [2, 1]]\n"),
        0);
    temp_dir_remove(w.dir);
}

Test(sacro, exceptions_from_the_table_declaration_go_into_exception)
{
    work w;
    work_make(&w, "sacro-exc");
    put(&w, "t.csv", region_by_sex);
    put(&w, "t.sdc.yaml", "exceptions:\n  - \"Needed for <b>paper</b> & talk\"\n");
    cr_assert_eq(sacro(w.out, w.in, NULL), 1);
    cr_assert_eq(folder_check(w.out,
                              "import html\n"
                              "r = record('t.csv')\n"
                              "e = r['exception']\n"
                              "assert '<' not in e, e\n" /* the viewer sets it as HTML */
                              "assert html.unescape(e) == 'Needed for <b>paper</b> & talk', e\n"),
                 0);
    temp_dir_remove(w.dir);
}

Test(sacro, an_archive_is_one_record_with_a_note_per_member_that_is_not_a_pass)
{
    work w;
    work_make(&w, "sacro-zip");
    /* an ACRO results.json among the outputs would be a second file of
     * that shape: the viewer would refuse the folder */
    put(&w, "results.json", "{\"version\": \"0.4.12\", \"results\": {}}\n");
    char zip[160];
    snprintf(zip, sizeof zip, "%s/tables.zip", w.in);
    const char *cp[] = {"/bin/cp", "testdata/fix/tables.zip", zip, NULL};
    cr_assert_eq(run(cp), 0);
    cr_assert_eq(sacro(w.out, w.in, NULL), 1);
    /* tables.zip holds tables/t1.csv (a count of 3: fail) and tables/ok.csv
     * (pass) */
    cr_assert_eq(folder_check(w.out,
                              "assert not any('!' in uid for uid in results), list(results)\n"
                              "z = record('tables.zip')\n"
                              "assert z['type'] == 'custom' and z['status'] == 'fail'\n"
                              "names = [f['name'] for f in z['files']]\n"
                              "assert names == ['tables.zip', 't1.csv.txt'], names\n"
                              "note = open(os.path.join(folder, 't1.csv.txt')).read()\n"
                              "assert 'tables.zip!tables/t1.csv' in note and 'threshold' in note\n"
                              "assert any('tables/ok.csv: pass' in c for c in z['comments'])\n"
                              "r = record('/results.json')\n"
                              "assert r['files'][0]['name'] == 'results.json.txt'\n"),
                 0);
    temp_dir_remove(w.dir);
}

Test(sacro, the_library_refuses_to_write_the_folder_over_one_that_holds_something)
{
    work w;
    work_make(&w, "sacro-lib");
    put(&w, "mine.txt", "do not touch\n");
    sdc_policy *policy = sdc_policy_default();
    cr_assert_not_null(policy);
    sdc_report report = {.policy = policy};
    sdc_report_options opts = {.created = -1};
    sdc_report_file file;
    sdc_status st = {0};
    const sdc_report_writer *sacro_writer = sdc_report_writer_find("sacro");
    cr_assert(sacro_writer && sacro_writer->write_dir && !sacro_writer->write);
    cr_assert_eq(sdc_report_file_write(sacro_writer, &report, &opts, w.in, &file, &st), SDC_EEXIST);
    cr_assert_eq(entries_starting(w.in, ""), 3); /* ., .. and mine.txt */
    cr_assert_eq(entries_starting(w.dir, ".sdccheck-report"), 0);
    /* an empty report into a new folder: written, then renamed into place */
    cr_assert_eq(sdc_report_file_write(sacro_writer, &report, &opts, w.out, &file, &st), 0, "%s",
                 st.message);
    cr_assert_neq(access(w.out, F_OK), 0); /* not there before the commit */
    cr_assert_eq(sdc_report_file_commit(&file, &st), 0, "%s", st.message);
    cr_assert_eq(folder_check(w.out, "assert results == {}\n"), 0);
    sdc_policy_free(policy);
    temp_dir_remove(w.dir);
}
