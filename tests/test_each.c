/*
 * test_each.c - batch screening: `sdccheck check --each QUEUE -o OUTDIR/`
 * (sdccheck(1), "Batch screening"; sdccheck-report(5), "The batch index").
 *
 * The real binary ($SDCCHECK_BIN, default build/sdccheck) runs on queues
 * built in a temporary folder from testdata/submission's files, whose
 * verdicts testdata/submission-EXPECTED.tsv gives with the arithmetic
 * behind them: region_by_sex.csv and model_coefficients.csv pass,
 * deaths_by_ward.csv fails (a threshold fail and a zeros review: two
 * findings), notes.md is review (one needs-review finding). Every
 * submission's verdict and counts in index.json follow from which files
 * it holds; index.json is read with Python's json (Debian's
 * /usr/bin/python3), and every report it names must exist. An archive's
 * own result repeats its members' worst findings (doc/design.md,
 * "Containers"), so it counts as one more file with their worst verdict.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "helpers.h"

#define SUBMISSION "testdata/submission/"
#define EPOCH "1767225600" /* 2026-01-01T00:00:00Z */

typedef sdc_test_ran run;

/* The binary run with ARGS, SOURCE_DATE_EPOCH unset, or (RUN_FIXED) set
 * to EPOCH (sdc_test_run). */
#define RUN(...) sdc_test_run(0, NULL, (const char *const[]){__VA_ARGS__, NULL})
#define RUN_FIXED(...) sdc_test_run(0, EPOCH, (const char *const[]){__VA_ARGS__, NULL})
#define run_free sdc_test_ran_free

/* A private work folder: the queue QUEUE (made) and the output OUT (not
 * made). */
typedef struct work {
    char dir[64];
    char queue[96];
    char out[96];
} work;

static void work_make(work *w, const char *name)
{
    cr_assert_not_null(temp_dir_make(w->dir, sizeof w->dir, name));
    snprintf(w->queue, sizeof w->queue, "%s/queue", w->dir);
    snprintf(w->out, sizeof w->out, "%s/out/", w->dir);
    cr_assert_eq(mkdir(w->queue, 0777), 0);
}

/* Copies the file FROM to the path TO. */
static void copy_file(const char *from, const char *to)
{
    char *text = sdc_test_slurp(from);
    cr_assert_not_null(text, "%s", from);
    FILE *f = fopen(to, "w");
    cr_assert_not_null(f, "%s: %s", to, strerror(errno));
    cr_assert(fputs(text, f) >= 0 && fclose(f) == 0);
    free(text);
}

/* QUEUE/SUB/ made (SUB NULL: none), holding each testdata/submission file
 * named in the NULL-terminated list. */
static void submission(const work *w, const char *sub, const char *const *files)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/%s", w->queue, sub);
    cr_assert_eq(mkdir(dir, 0777), 0, "%s", dir);
    for (size_t i = 0; files[i]; i++) {
        char from[256], to[512];
        snprintf(from, sizeof from, SUBMISSION "%s", files[i]);
        snprintf(to, sizeof to, "%s/%s", dir, files[i]);
        copy_file(from, to);
    }
}

#define SUB(w, name, ...) submission((w), (name), (const char *const[]){__VA_ARGS__, NULL})

/* Runs ARGV (a program from Debian, no shell) in folder DIR (NULL: here):
 * its exit status. */
static int spawn_in(const char *dir, const char *const *argv)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        if (dir && chdir(dir) != 0)
            _exit(125);
        execv(argv[0], (char *const *)argv);
        _exit(126);
    }
    int st = 0;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * Reads OUT/index.json with Python's json and runs SNIPPET on it, with
 * `idx` the index, `sub(name)` a submission's entry by name (asserting
 * there is exactly one), `report(name, fmt)` the path of its report in a
 * format (asserting that it exists) and `load(name)` its JSON report.
 * Every report the index names must exist. 0 when all holds.
 */
static int index_check(const char *out, const char *snippet)
{
    SDC_TEST_NEED_TOOL("/usr/bin/python3", "python3");
    static const char prelude[] =
        "import json, os, re, sys\n"
        "out = sys.argv[1]\n"
        "idx = json.load(open(os.path.join(out, 'index.json'), encoding='utf-8'))\n"
        "assert idx['schema'] == 'sdccheck-index' and idx['schema_version'] == 1\n"
        "def sub(name):\n"
        "    found = [s for s in idx['submissions'] if s['name'] == name]\n"
        "    assert len(found) == 1, (name, [s['name'] for s in idx['submissions']])\n"
        "    return found[0]\n"
        "def report(name, fmt):\n"
        "    path = os.path.join(out, sub(name)['reports'][fmt])\n"
        "    assert os.path.exists(path), path\n"
        "    return path\n"
        "def load(name):\n"
        "    return json.load(open(report(name, 'json'), encoding='utf-8'))\n"
        "for s in idx['submissions']:\n"
        "    assert re.fullmatch(r'[A-Za-z0-9_+-][A-Za-z0-9._+-]*', s['folder']), s['folder']\n"
        "    for fmt, rel in s['reports'].items():\n"
        "        assert rel.startswith(s['folder'] + '/'), rel\n"
        "        assert os.path.exists(os.path.join(out, rel)), rel\n";
    char *script = NULL;
    cr_assert_geq(asprintf(&script, "%s%s", prelude, snippet), 0);
    const char *argv[] = {"/usr/bin/python3", "-c", script, out, NULL};
    int status = spawn_in(NULL, argv);
    free(script);
    return status;
}

/* The counts of one submission, as Python: verdict, kind, files, pass,
 * review, fail, findings. */
#define EXPECT(name, kind, verdict, files, pass, review, fail, findings)                           \
    "s = sub(" name ")\n"                                                                          \
    "assert s['kind'] == '" kind "', s\n"                                                          \
    "assert s['verdict'] == '" verdict "', s\n"                                                    \
    "assert s['summary'] == {'files': " #files ", 'pass': " #pass ", 'review': " #review           \
    ", 'fail': " #fail ", 'findings': " #findings "}, s\n"

Test(each, each_submission_has_the_verdict_and_counts_of_its_files)
{
    work w;
    work_make(&w, "each-counts");
    SUB(&w, "clean", "region_by_sex.csv", "model_coefficients.csv");
    SUB(&w, "failing", "deaths_by_ward.csv", "region_by_sex.csv");
    SUB(&w, "mixed", "region_by_sex.csv", "notes.md");
    run r = RUN("check", "--each", "-f", "json", "-o", w.out, w.queue);
    cr_assert_eq(r.status, 1, "a submission fails: %s", r.err);
    cr_assert_eq(
        index_check(w.out,
                    EXPECT("'clean'", "folder", "pass", 2, 2, 0, 0, 0) EXPECT("'failing'", "folder",
                                                                              "fail", 2, 1, 0, 1, 2)
                        EXPECT("'mixed'", "folder", "review", 2, 1, 1, 0,
                               1) "assert idx['verdict'] == 'fail'\n"
                                  "assert idx['summary'] == {'submissions': 3, 'pass': 1, "
                                  "'review': 1, 'fail': 1}, idx['summary']\n"
                                  "assert [s['name'] for s in idx['submissions']] == "
                                  "['clean', 'failing', 'mixed']\n"
                                  "for name in ('clean', 'failing', 'mixed'):\n"
                                  "    rep = load(name)\n"
                                  "    assert rep['verdict'] == sub(name)['verdict']\n"
                                  "    assert len(rep['files']) == sub(name)['summary']['files']\n"
                                  "d = {f['path'].split('/')[-1]: f['verdict'] for f in "
                                  "load('failing')['files']}\n"
                                  "assert d == {'deaths_by_ward.csv': 'fail', "
                                  "'region_by_sex.csv': 'pass'}, d\n"),
        0);
    run_free(&r);
    temp_dir_remove(w.dir);
}

Test(each, the_exit_status_is_the_worst_submissions)
{
    work w;
    work_make(&w, "each-status");
    SUB(&w, "clean", "region_by_sex.csv");
    run r = RUN("check", "--each", "-o", w.out, w.queue);
    cr_assert_eq(r.status, 0, "one passing submission: %s", r.err);
    cr_assert_not_null(strstr(r.out, "1 submission: 1 pass, 0 review, 0 fail"), "%s", r.out);
    run_free(&r);
    temp_dir_remove(w.out);

    SUB(&w, "mixed", "notes.md");
    r = RUN("check", "--each", "-o", w.out, w.queue);
    cr_assert_eq(r.status, 3, "the worst is review: %s", r.err);
    cr_assert_eq(index_check(w.out, "assert idx['verdict'] == 'review'\n"
                                    "assert sub('clean')['reports'] == "
                                    "{'text': 'clean/report.txt'}\n"),
                 0);
    run_free(&r);
    temp_dir_remove(w.out);

    SUB(&w, "zfailing", "deaths_by_ward.csv");
    r = RUN("check", "--each", "-o", w.out, w.queue);
    cr_assert_eq(r.status, 1, "the worst is fail: %s", r.err);
    run_free(&r);
    temp_dir_remove(w.dir);
}

Test(each, an_empty_queue_is_review_with_an_empty_index)
{
    work w;
    work_make(&w, "each-empty");
    run r = RUN("check", "--each", "-f", "json", "-o", w.out, w.queue);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "no submissions"), "%s", r.err);
    cr_assert_eq(index_check(w.out, "assert idx['submissions'] == []\n"
                                    "assert idx['verdict'] == 'review'\n"
                                    "assert idx['summary']['submissions'] == 0\n"),
                 0);
    run_free(&r);
    temp_dir_remove(w.dir);
}

Test(each, archives_are_submissions_with_their_members)
{
    work w;
    work_make(&w, "each-archive");
    char tarball[160];
    snprintf(tarball, sizeof tarball, "%s/bundle.tar.gz", w.queue);
    const char *tar[] = {
        "/usr/bin/tar",       "-czf", tarball, "-C", SUBMISSION, "region_by_sex.csv",
        "deaths_by_ward.csv", NULL};
    cr_assert_eq(spawn_in(NULL, tar), 0);
    SDC_TEST_NEED_TOOL("/usr/bin/python3", "python3");
    const char *zip[] = {"/usr/bin/python3", "-c",
                         "import sys, zipfile\n"
                         "with zipfile.ZipFile(sys.argv[1] + '/tables.zip', 'w') as z:\n"
                         "    z.write('" SUBMISSION "region_by_sex.csv', 'region_by_sex.csv')\n",
                         w.queue, NULL};
    cr_assert_eq(spawn_in(NULL, zip), 0);
    run r = RUN("check", "--each", "-f", "json", "-o", w.out, w.queue);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert_eq(
        index_check(w.out,
                    EXPECT("'bundle.tar.gz'", "archive", "fail", 3, 1, 0, 2, 3) EXPECT(
                        "'tables.zip'", "archive", "pass", 2, 2, 0, 0,
                        0) "paths = sorted(f['path'] for f in load('bundle.tar.gz')['files'])\n"
                           "assert paths[1].endswith('bundle.tar.gz!deaths_by_ward.csv'), paths\n"
                           "assert sub('bundle.tar.gz')['folder'] == 'bundle.tar.gz'\n"),
        0);
    run_free(&r);
    temp_dir_remove(w.dir);
}

Test(each, loose_files_in_the_queue_are_submissions_of_their_own)
{
    work w;
    work_make(&w, "each-loose");
    char path[160];
    snprintf(path, sizeof path, "%s/region_by_sex.csv", w.queue);
    copy_file(SUBMISSION "region_by_sex.csv", path);
    snprintf(path, sizeof path, "%s/notes.md", w.queue);
    copy_file(SUBMISSION "notes.md", path);
    SUB(&w, "clean", "model_coefficients.csv");
    run r = RUN("check", "--each", "-f", "json", "-o", w.out, w.queue);
    cr_assert_eq(r.status, 3, "notes.md is review: %s", r.err);
    cr_assert_eq(index_check(w.out, EXPECT("'region_by_sex.csv'", "file", "pass", 1, 1, 0, 0, 0)
                                        EXPECT("'notes.md'", "file", "review", 1, 0, 1, 0, 1)
                                            EXPECT("'clean'", "folder", "pass", 1, 1, 0, 0, 0)),
                 0);
    run_free(&r);
    temp_dir_remove(w.dir);
}

Test(each, a_link_out_of_the_queue_is_review_and_not_followed)
{
    work w;
    work_make(&w, "each-link");
    char link[160];
    snprintf(link, sizeof link, "%s/elsewhere", w.queue);
    cr_assert_eq(symlink("/etc", link), 0);
    SUB(&w, "clean", "region_by_sex.csv");
    snprintf(link, sizeof link, "%s/again", w.queue);
    cr_assert_eq(symlink("clean", link), 0); /* inside the queue: followed */
    run r = RUN("check", "--each", "-f", "json", "-o", w.out, w.queue);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert_eq(index_check(w.out,
                             EXPECT("'elsewhere'", "link", "review", 1, 0, 1, 0, 1) EXPECT(
                                 "'again'", "folder", "pass", 1, 1, 0, 0,
                                 0) "f = load('elsewhere')['files'][0]\n"
                                    "assert f['findings'][0]['rule'] == 'needs-review', f\n"
                                    "assert 'outside the queue' in f['findings'][0]['message']\n"),
                 0);
    run_free(&r);
    temp_dir_remove(w.dir);
}

/* Every file under A (relative path REL) is byte for byte the file of the
 * same name under B, and B holds nothing A does not. Returns files
 * compared. */
static size_t assert_same_tree(const char *a, const char *b, const char *rel)
{
    char *pa = NULL, *pb = NULL;
    cr_assert(asprintf(&pa, "%s%s", a, rel) > 0 && asprintf(&pb, "%s%s", b, rel) > 0);
    DIR *da = opendir(pa), *db = opendir(pb);
    cr_assert(da && db, "%s, %s", pa, pb);
    free(pa);
    free(pb);
    size_t na = 0, nb = 0, files = 0;
    const struct dirent *e;
    while ((e = readdir(db)) != NULL)
        nb++;
    while ((e = readdir(da)) != NULL) {
        na++;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *sub = NULL;
        cr_assert(asprintf(&sub, "%s/%s", rel, e->d_name) > 0);
        cr_assert(asprintf(&pa, "%s%s", a, sub) > 0 && asprintf(&pb, "%s%s", b, sub) > 0);
        struct stat sa;
        cr_assert_eq(stat(pa, &sa), 0);
        if (S_ISDIR(sa.st_mode)) {
            files += assert_same_tree(a, b, sub);
        } else {
            char *ta = sdc_test_slurp(pa), *tb = sdc_test_slurp(pb);
            cr_assert(ta && tb, "%s is missing from the -j 4 run", sub);
            cr_assert_str_eq(ta, tb, "%s differs between -j 1 and -j 4", sub);
            free(ta);
            free(tb);
            files++;
        }
        free(pa);
        free(pb);
        free(sub);
    }
    cr_assert_eq(na, nb, "%s: %zu entries against %zu", rel, na, nb);
    closedir(da);
    closedir(db);
    return files;
}

Test(each, minus_j_4_writes_the_reports_of_minus_j_1_byte_for_byte)
{
    work w;
    work_make(&w, "each-jobs");
    SUB(&w, "a", "region_by_sex.csv", "model_coefficients.csv", "notes.md");
    SUB(&w, "b", "deaths_by_ward.csv", "turnover_by_sic.csv");
    SUB(&w, "c", "region_by_sex.csv", "deaths_by_ward.csv", "turnover_by_sic.csv");
    SUB(&w, "d", "notes.md");
    SUB(&w, "e", "turnover_by_sic.csv", "model_coefficients.csv");
    char path[160], one[128], four[128];
    snprintf(path, sizeof path, "%s/loose.csv", w.queue);
    copy_file(SUBMISSION "region_by_sex.csv", path);
    snprintf(one, sizeof one, "%s/one/", w.dir);
    snprintf(four, sizeof four, "%s/four/", w.dir);
    /* SOURCE_DATE_EPOCH fixes the date in every report and the index, the
     * one thing that may differ between two runs */
    run r1 = RUN_FIXED("check", "--each", "-j", "1", "-f", "json", "-f", "text", "-f", "csv", "-f",
                       "junit", "-o", one, w.queue);
    run r4 = RUN_FIXED("check", "--each", "-j", "4", "-f", "json", "-f", "text", "-f", "csv", "-f",
                       "junit", "-o", four, w.queue);
    cr_assert_eq(r1.status, 1, "%s", r1.err);
    cr_assert_eq(r4.status, 1, "%s", r4.err);
    /* 6 submissions x 4 reports, and the index twice */
    cr_assert_eq(assert_same_tree(one, four, ""), 6 * 4 + 2);
    cr_assert_eq(index_check(four, "assert idx['created'] == '2026-01-01T00:00:00Z'\n"
                                   "assert load('b')['created'] == '2026-01-01T00:00:00Z'\n"),
                 0);
    run_free(&r1);
    run_free(&r4);
    temp_dir_remove(w.dir);
}

/* A name with a quote, markup (no '/': it is a folder), a newline, an apostrophe and an ampersand.
 */
static const char hostile[] = "a\"b<script>alert(1)\nc'd&e";

Test(each, hostile_names_are_escaped_in_the_index)
{
    work w;
    work_make(&w, "each-names");
    SUB(&w, hostile, "region_by_sex.csv");
    SUB(&w, "bad\xff", "notes.md"); /* not UTF-8 */
    run r = RUN("check", "--each", "-f", "json", "-o", w.out, w.queue);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert_eq(index_check(w.out, "s = sub('a\"b<script>alert(1)\\nc\\'d&e')\n"
                                    "assert s['verdict'] == 'pass' and s['kind'] == 'folder'\n"
                                    "assert load('a\"b<script>alert(1)\\nc\\'d&e')['verdict'] == "
                                    "'pass'\n"
                                    "assert sub('bad\\ufffd')['verdict'] == 'review'\n"),
                 0);
    char html_path[160];
    snprintf(html_path, sizeof html_path, "%sindex.html", w.out);
    char *html = sdc_test_slurp(html_path);
    cr_assert_not_null(html);
    cr_assert_null(strstr(html, "<script"), "markup from a name reached the page");
    cr_assert_not_null(strstr(html, ">a&quot;b&lt;script&gt;alert(1)\\nc&#39;d&amp;e<"), "%s",
                       html);
    cr_assert_not_null(strstr(html, ">bad&#xFFFD;<"), "%s", html);
    free(html);
    /* Python's HTML parser finds the table's cells, one row a submission */
    const char *parse[] = {"/usr/bin/python3", "-c",
                           "import sys\n"
                           "from html.parser import HTMLParser\n"
                           "class P(HTMLParser):\n"
                           "    rows, tags = 0, set()\n"
                           "    def handle_starttag(self, tag, attrs):\n"
                           "        self.tags.add(tag)\n"
                           "        self.rows += tag == 'tr'\n"
                           "p = P()\n"
                           "p.feed(open(sys.argv[1], encoding='utf-8').read())\n"
                           "assert p.rows == 3, p.rows\n"
                           "assert 'script' not in p.tags, p.tags\n",
                           html_path, NULL};
    cr_assert_eq(spawn_in(NULL, parse), 0);
    run_free(&r);
    temp_dir_remove(w.dir);
}

Test(each, report_folders_are_safe_and_unique)
{
    work w;
    work_make(&w, "each-unique");
    SUB(&w, "A b", "region_by_sex.csv");
    SUB(&w, "A_b", "region_by_sex.csv");
    SUB(&w, "a_b", "region_by_sex.csv");
    SUB(&w, ".hidden", "region_by_sex.csv");
    SUB(&w, "index.json", "region_by_sex.csv");
    run r = RUN("check", "--each", "-f", "json", "-o", w.out, w.queue);
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* byte order: ".hidden" "A b" "A_b" "a_b" "index.json"; a clash,
     * without case, gets -2, -3 ...; index.json belongs to the index */
    cr_assert_eq(index_check(w.out, "f = {s['name']: s['folder'] for s in idx['submissions']}\n"
                                    "assert f == {'.hidden': '_hidden', 'A b': 'A_b', "
                                    "'A_b': 'A_b-2', 'a_b': 'a_b-3', "
                                    "'index.json': 'index.json-2'}, f\n"),
                 0);
    run_free(&r);
    temp_dir_remove(w.dir);
}

Test(each, a_non_empty_output_folder_is_refused_before_checking)
{
    work w;
    work_make(&w, "each-nonempty");
    SUB(&w, "clean", "region_by_sex.csv");
    cr_assert_eq(mkdir(w.out, 0777), 0);
    char *kept = put_file(w.out, "earlier.txt", "an earlier run\n");
    cr_assert_not_null(kept);
    run r = RUN("check", "--each", "-o", w.out, w.queue);
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "not empty"), "%s", r.err);
    char *text = sdc_test_slurp(kept);
    cr_assert_str_eq(text, "an earlier run\n");
    char index[160];
    snprintf(index, sizeof index, "%sindex.json", w.out);
    cr_assert_neq(access(index, F_OK), 0);
    free(text);
    free(kept);
    run_free(&r);
    temp_dir_remove(w.dir);
}

Test(each, a_report_that_cannot_be_written_leaves_nothing_behind)
{
    work w;
    work_make(&w, "each-full");
    SUB(&w, "a", "region_by_sex.csv");
    SUB(&w, "b", "deaths_by_ward.csv", "turnover_by_sic.csv");
    SUB(&w, "c", "region_by_sex.csv");
    /* a file size limit stands in for a full disk: b's JSON report is
     * longer than 3000 bytes */
    run r = sdc_test_run(3000, NULL,
                         (const char *const[]){"check", "--each", "-j", "1", "-f", "json", "-o",
                                               w.out, w.queue, NULL});
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "cannot write"), "%s", r.err);
    /* the output folder the run made is gone again */
    cr_assert_neq(access(w.out, F_OK), 0, "%s was left behind", w.out);
    run_free(&r);

    /* an output folder under a regular file */
    char *file = put_file(w.dir, "plain", "x\n");
    char under[160];
    snprintf(under, sizeof under, "%s/sub/", file);
    r = RUN("check", "--each", "-o", under, w.queue);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "cannot write"), "%s", r.err);
    run_free(&r);
    free(file);
    temp_dir_remove(w.dir);
}

Test(each, usage_errors_are_exit_2)
{
    work w;
    work_make(&w, "each-usage");
    SUB(&w, "clean", "region_by_sex.csv");
    char inside[160], file[160];
    snprintf(inside, sizeof inside, "%s/reports/", w.queue);
    snprintf(file, sizeof file, "%s/report.json", w.dir);
    run r = RUN("check", "--each", w.queue);
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "-o OUTDIR/"), "%s", r.err);
    run_free(&r);
    r = RUN("check", "--each", "-o", file, w.queue);
    cr_assert_eq(r.status, 2);
    cr_assert_neq(access(file, F_OK), 0);
    run_free(&r);
    r = RUN("check", "--each", "-o", w.out, w.queue, w.queue);
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = RUN("check", "--each", "-o", inside, w.queue);
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "inside the queue"), "%s", r.err);
    cr_assert_neq(access(inside, F_OK), 0, "the folder made in the queue was left behind");
    run_free(&r);
    char *loose = put_file(w.dir, "table.csv", "a,b\n1,2\n");
    r = RUN("check", "--each", "-o", w.out, loose);
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "folder"), "%s", r.err);
    run_free(&r);
    free(loose);
    temp_dir_remove(w.dir);
}
