/*
 * test_report_html.c - `sdccheck check -f html`: one self-contained page
 * (sdccheck-report(5), HTML).
 *
 * Each test runs the real binary ($SDCCHECK_BIN) on files from testdata/
 * or written here, then hands the page to tests/html_page.py, which parses
 * it with Python's html.parser (Debian's /usr/bin/python3) and checks what
 * every page must be (a document, self-contained: nothing loaded, every
 * link inside the page; cells and findings linked both ways; the skip
 * link), then a snippet per test checks what that test is about. The
 * failing cells are worked out by hand from the tables and the ons-srs
 * policy (threshold 10, (2, 90%) dominance, p% 10), never read from an
 * earlier run.
 *
 * The browser tests start Debian's chromium headless on the page
 * (--dump-dom) and check the DOM it rendered: the script ran (the page's
 * Content-Security-Policy allows it by its hash only), the filters set from
 * the address hid what they should, and the links still resolve. Chromium
 * is slow to start in a sandbox: it gets BROWSER_TIMEOUT seconds and is
 * killed (its process group) after that. python3 and chromium are
 * installed by tools/setup.sh: without them the tests fail in CI and are
 * skipped, saying so, elsewhere.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#define CHROMIUM "/usr/bin/chromium"
#define BROWSER_TIMEOUT 180 /* seconds */

/* Runs ARGV with standard output to OUT (NULL: /dev/null), standard error
 * to /dev/null unless SHOW_ERRORS (or SDC_TEST_VERBOSE), in a process
 * group of its own, killed (the whole group) after TIMEOUT seconds (0:
 * none). Its exit status; -1 if it did not exit, -2 on a timeout. */
static int spawn(const char *const *argv, const char *out, bool show_errors, int timeout)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out ? out : "/dev/null",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (!show_errors && !getenv("SDC_TEST_VERBOSE"))
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int st = 0, status = -1;
    if (posix_spawn(&pid, argv[0], &fa, &attr, (char *const *)argv, environ) == 0) {
        struct timespec tick = {0, 100 * 1000 * 1000};
        long waited = 0; /* tenths of a second */
        pid_t got;
        while ((got = waitpid(pid, &st, timeout > 0 ? WNOHANG : 0)) == 0 ||
               (got < 0 && errno == EINTR)) {
            if (got == 0 && ++waited > 10L * timeout) {
                kill(-pid, SIGKILL);
                waitpid(pid, &st, 0);
                status = -2;
                break;
            }
            nanosleep(&tick, NULL);
        }
        if (status != -2 && got == pid && WIFEXITED(st))
            status = WEXITSTATUS(st);
        if (timeout > 0)
            kill(-pid, SIGKILL); /* what it left running */
    }
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return status;
}

/* sdccheck -q ARGS...: its exit status. */
#define sdccheck(...)                                                                              \
    spawn((const char *const[]){sdc_test_binary(), "-q", __VA_ARGS__, NULL}, NULL, false, 0)

/* tests/html_page.py on PAGE, then SNIPPET (may be NULL): 0 when all
 * holds (what does not is said on standard error). */
static int page_check(const char *page, const char *snippet)
{
    SDC_TEST_NEED_TOOL("/usr/bin/python3", "python3");
    const char *argv[] = {"/usr/bin/python3", "tests/html_page.py", page, snippet, NULL};
    return spawn(argv, NULL, true, 0);
}

/* The DOM chromium renders from PAGE (an absolute path) opened with
 * QUERY ("" or "?..."), written to DOM. */
static void browser_dom(const char *page, const char *query, const char *dom)
{
    SDC_TEST_NEED_TOOL(CHROMIUM, "chromium");
    char profile[64], flag[96], url[512];
    cr_assert_not_null(temp_dir_make(profile, sizeof profile, "chromium"));
    snprintf(flag, sizeof flag, "--user-data-dir=%s", profile);
    snprintf(url, sizeof url, "file://%s%s", page, query);
    const char *argv[] = {CHROMIUM,
                          "--headless",
                          "--no-sandbox",
                          "--disable-gpu",
                          "--no-first-run",
                          "--disable-background-networking",
                          flag,
                          "--dump-dom",
                          url,
                          NULL};
    int status = spawn(argv, dom, false, BROWSER_TIMEOUT);
    temp_dir_remove(profile);
    cr_assert_neq(status, -2, "chromium did not finish in %d s", BROWSER_TIMEOUT);
    cr_assert_eq(status, 0, "chromium exited with %d", status);
}

/* A private work folder: files to check go into IN (made); the page is
 * PAGE. */
typedef struct work {
    char dir[64];
    char in[96];
    char page[112];
} work;

static void work_make(work *w, const char *name)
{
    cr_assert_not_null(temp_dir_make(w->dir, sizeof w->dir, name));
    snprintf(w->in, sizeof w->in, "%s/in", w->dir);
    snprintf(w->page, sizeof w->page, "%s/report.html", w->dir);
    cr_assert_eq(mkdir(w->in, 0777), 0);
}

static void put(const work *w, const char *name, const char *text)
{
    char *path = put_file(w->in, name, text);
    cr_assert_not_null(path, "%s", name);
    free(path);
}

/* The cells of testdata/submission that fail, by hand (ons-srs):
 * deaths_by_ward.csv, flattened to "ward / age_group" and deaths:
 *   Headingley and Hyde Park / Under 65 = 3 < 10: threshold, [6, 0];
 *   Little London and Woodhouse / 85 and over = 0: zeros (review), [14, 0].
 * turnover_by_sic.csv, labels "sic_section / description", data columns
 * n, turnover, turnover_max1, turnover_max2:
 *   B: n = 2 < 10: threshold [1, 0]; its turnover has 2 contributors:
 *      threshold, and (2, 90%) dominance and p% (the largest two are all
 *      of it) [1, 1];
 *   D: turnover 925300, largest two 884100 + 12600 = 96.9% > 90%:
 *      nk-rule; the rest 28600 < 10% of 884100: p-ratio [3, 1].
 * Every other count is 10 or more; A, C, F and G are far from the
 * dominance limits. Non-pass findings: 2 + 1 (notes.md) + 6 = 9. */
static const char submission_cells[] =
    "d = hits(section('deaths_by_ward.csv'))\n"
    "assert d == {(6, 0): ({'threshold'}, '3'), (14, 0): ({'zeros'}, '0')}, d\n"
    "t = hits(section('turnover_by_sic.csv'))\n"
    "assert t == {(1, 0): ({'threshold'}, '2'),\n"
    "             (1, 1): ({'threshold', 'nk-rule', 'p-ratio'}, '18400'),\n"
    "             (3, 1): ({'nk-rule', 'p-ratio'}, '925300')}, t\n";

Test(report_html, submission_cells_fail_the_rules_worked_by_hand)
{
    work w;
    work_make(&w, "html-sub");
    cr_assert_eq(sdccheck("-f", "html", "-o", w.page, "testdata/submission"), 1);
    cr_assert_eq(
        page_check(
            w.page,
            "import os\n"
            "v = els('p', 'verdict')[0]\n"
            "assert text(v) == 'Verdict: FAIL', text(v)\n"
            "counts = {k: text(by_id['count-' + k]) for k in\n"
            "          ('files', 'pass', 'review', 'fail', 'findings')}\n"
            "assert counts == {'files': '6', 'pass': '3', 'review': '1', 'fail': '2',\n"
            "                  'findings': '9'}, counts\n"
            "s = section('deaths_by_ward.csv')\n"
            "assert s.attrs['data-verdict'] == 'fail'\n"
            "dd = [text(e) for e in els('dd', root=s)]\n"
            "p = 'testdata/submission/deaths_by_ward.csv'\n"
            "sha = hashlib.sha256(open(p, 'rb').read()).hexdigest()\n"
            "assert dd[:4] == ['table', 'csv', '%d bytes' % os.path.getsize(p), sha], dd\n"
            "rows = body_rows(s)\n"
            "assert len(rows) == 15 and rows[6] == ['Headingley and Hyde Park / Under 65', '3']\n"
            "assert [text(th) for th in els('th', root=els('thead', root=s)[0])] == \\\n"
            "    ['ward / age_group', 'deaths']\n"
            "n = section('notes.md')\n"
            "assert n.attrs['data-verdict'] == 'review' and not els('table', root=n)\n"
            "assert [g.attrs['data-rule'] for g in findings(n)] == ['needs-review']\n"
            "r = section('region_by_sex.csv')\n"
            "assert r.attrs['data-verdict'] == 'pass' and hits(r) == {}\n"
            "assert len(body_rows(r)) == 11 and body_rows(r)[0] == \\\n"
            "    ['North East', '412', '398', '810']\n"),
        0);
    cr_assert_eq(page_check(w.page, submission_cells), 0);
    /* and without a parser: nothing names a host, a file or a loader */
    char *raw = sdc_test_slurp(w.page);
    cr_assert_not_null(raw);
    static const char *const outside[] = {"http:", "https:", "src=",     "url(",  "@import",
                                          "//",    "file:",  "href=\"/", "<link", "<img"};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++)
        cr_assert_null(strstr(raw, outside[i]), "the page holds %s", outside[i]);
    free(raw);
    temp_dir_remove(w.dir);
}

Test(report_html, legend_numbers_each_rule_and_every_mark_uses_it)
{
    work w;
    work_make(&w, "html-legend");
    cr_assert_eq(sdccheck("-f", "html", "-o", w.page, "testdata/submission"), 1);
    cr_assert_eq(
        page_check(w.page,
                   /* the rules that found something, sorted, with their counts */
                   "rows = els('tr', root=els('table', 'legend')[0])[1:]\n"
                   "got = [[text(c) for c in r.children if not isinstance(c, str)] for r in rows]\n"
                   "assert got[:-1] == [['1', 'needs-review', '1'], ['2', 'nk-rule', '2'],\n"
                   "                    ['3', 'p-ratio', '2'], ['4', 'threshold', '3'],\n"
                   "                    ['5', 'zeros', '1']], got\n"
                   "number = {g[1]: g[0] for g in got[:-1]}\n"
                   "for a in els('a', 'mark'):\n"
                   "    g = by_id[a.attrs['href'][1:]]\n"
                   "    assert text(a) == number[g.attrs['data-rule']], text(a)\n"
                   "    assert 'rule-' + g.attrs['data-rule'] in classes(a)\n"
                   "style = text(els('style')[0])\n"
                   "for rule in number:\n"
                   "    assert '.rule-' + rule + '{' in style, rule\n"
                   /* one filter checkbox per rule, per verdict */
                   "boxes = [(i.attrs['name'], i.attrs['value']) for i in els('input')]\n"
                   "assert boxes == [('verdict', 'fail'), ('verdict', 'review'),\n"
                   "                 ('verdict', 'pass')] + [('rule', r) for r in number], boxes\n"
                   /* without the script everything is shown, the filters too
                    * hidden: they would do nothing */
                   "assert 'hidden' in by_id['filters'].attrs\n"
                   "assert not [e for e in els('section') + els('li') if 'hidden' in e.attrs]\n"),
        0);
    temp_dir_remove(w.dir);
}

Test(report_html, suppressed_cells_are_marked)
{
    work w;
    work_make(&w, "html-supp");
    /* c and x are ons-srs suppression markers; no totals to recover them */
    put(&w, "supp.csv", "region,F,M\nEast,25,30\nNorth,c,40\nSouth,22,x\n");
    cr_assert_eq(sdccheck("-f", "html", "-o", w.page, w.in), 0);
    cr_assert_eq(page_check(w.page,
                            "s = section('supp.csv')\n"
                            "tb = els('tbody', root=s)[0]\n"
                            "marked = set()\n"
                            "for r, tr in enumerate(els('tr', root=tb)):\n"
                            "    for c, td in enumerate(els('td', root=tr)):\n"
                            "        if 'suppressed' in classes(td):\n"
                            "            marked.add((r, c, text(td)))\n"
                            "assert marked == {(1, 0, 'c'), (2, 1, 'x')}, marked\n"
                            "assert 'Table' in [text(e) for e in els('dt', root=s)]\n"
                            "assert text(els('dd', root=s)[4]).endswith('2 suppressed cells')\n"),
                 0);
    temp_dir_remove(w.dir);
}

/* A file name with a quote, an apostrophe, a line break, <script> and an
 * ampersand, and cells holding markup. */
#define HOSTILE_NAME "bad\"name'\n<script>alert(1)&amp;.csv"
static const char hostile_csv[] = "region,count\n"
                                  "\"<img src=x onerror=alert(1)>\",3\n"
                                  "\"</td><script>alert(2)</script>\",25\n"
                                  "East & West,40\n";
static const char hostile_checks[] =
    "want = 'bad\"name' + chr(39) + chr(92) + 'n<script>alert(1)&amp;.csv'\n"
    "s = section(want)\n"
    "assert text(els('span', 'path', root=s)[0]).endswith('/' + want)\n"
    "rows = body_rows(s)\n"
    "assert [r[0] for r in rows] == ['<img src=x onerror=alert(1)>',\n"
    "    '</td><script>alert(2)</script>', 'East & West'], rows\n"
    "assert hits(s) == {(0, 0): ({'threshold'}, '3')}, hits(s)\n"
    "g = findings(s)[0]\n"
    "assert \"row '<img src=x onerror=alert(1)>'\" in text(g).replace(chr(8216), \"'\")"
    ".replace(chr(8217), \"'\"), text(g)\n";

Test(report_html, text_from_files_is_escaped)
{
    work w;
    work_make(&w, "html-esc");
    put(&w, HOSTILE_NAME, hostile_csv);
    cr_assert_eq(sdccheck("-f", "html", "-o", w.page, w.in), 1);
    cr_assert_eq(page_check(w.page, hostile_checks), 0);
    char *raw = sdc_test_slurp(w.page);
    cr_assert_not_null(raw);
    cr_assert_null(strstr(raw, "<script>alert"));
    cr_assert_null(strstr(raw, "<img"));
    cr_assert_null(strstr(raw, "name'"), "an apostrophe left as it is");
    cr_assert_not_null(strstr(raw, "bad&quot;name&#39;\\n&lt;script&gt;alert(1)&amp;amp;.csv"));
    free(raw);
    temp_dir_remove(w.dir);
}

Test(report_html, the_name_picks_html_and_an_output_folder_gets_report_html)
{
    work w;
    work_make(&w, "html-out");
    /* -o NAME.html alone: the page, its tables kept and drawn */
    cr_assert_eq(sdccheck("-o", w.page, "testdata/submission"), 1);
    cr_assert_eq(page_check(w.page, submission_cells), 0);
    char dir[128], page[160], json[160];
    snprintf(dir, sizeof dir, "%s/out/", w.dir);
    snprintf(page, sizeof page, "%sreport.html", dir);
    snprintf(json, sizeof json, "%sreport.json", dir);
    cr_assert_eq(sdccheck("-f", "json", "-f", "html", "-o", dir, "testdata/submission"), 1);
    cr_assert_eq(access(json, R_OK), 0);
    cr_assert_eq(page_check(page, submission_cells), 0);
    temp_dir_remove(w.dir);
}

Test(report_html, a_big_table_is_capped_and_the_page_says_what_it_left_out)
{
    work w;
    work_make(&w, "html-cap");
    /* 1500 rows of 60 counts, all 50 but two below the threshold: row
     * 1200, column c3 (beyond the first 100 rows: drawn as a row with a
     * finding) and row 5, column c55 (beyond the 50 columns drawn). */
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/big.csv", w.in) > 0);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("g", f);
    for (int c = 0; c < 60; c++)
        fprintf(f, ",c%d", c);
    fputc('\n', f);
    for (int r = 0; r < 1500; r++) {
        fprintf(f, "r%d", r);
        for (int c = 0; c < 60; c++)
            fprintf(f, ",%d", r == 1200 && c == 3 ? 2 : r == 5 && c == 55 ? 1 : 50);
        fputc('\n', f);
    }
    cr_assert_eq(fclose(f), 0);
    free(path);
    cr_assert_eq(sdccheck("-f", "html", "-o", w.page, w.in), 1);
    cr_assert_eq(
        page_check(w.page,
                   "s = section('big.csv')\n"
                   "rows = body_rows(s)\n"
                   "assert len(rows) == 101, len(rows)\n"
                   "assert [r[0] for r in rows] == ['r%d' % i for i in range(100)] + ['r1200']\n"
                   "assert all(len(r) == 51 for r in rows)\n"
                   "assert rows[100][4] == '2'\n"
                   "gaps = [text(t) for t in els('tr', 'gap', root=s)]\n"
                   "assert gaps == ['1100 rows not drawn', '299 rows not drawn'], gaps\n"
                   "assert hits(s) == {(1200, 3): ({'threshold'}, '2')}, hits(s)\n"
                   "cap = text(els('p', 'cap', root=s)[0])\n"
                   "assert cap.startswith('Drawn: 101 of the 1500 rows kept and 50 of 60 "
                   "columns'), cap\n"
                   "late = [g for g in findings(s) if ', column ' + chr(8216) + 'c55' in "
                   "text(g)]\n"
                   "assert len(late) == 1 and 'data-cell' not in late[0].attrs\n"
                   "assert els('span', 'not-drawn', root=late[0])\n"),
        0);
    temp_dir_remove(w.dir);
}

/* ---------------------------------------------------------------- browser */

Test(report_html, browser_runs_the_script_and_shows_everything_by_default, .timeout = 600)
{
    work w;
    work_make(&w, "html-br1");
    cr_assert_eq(sdccheck("-f", "html", "-o", w.page, "testdata/submission"), 1);
    char dom[128];
    snprintf(dom, sizeof dom, "%s/dom.html", w.dir);
    browser_dom(w.page, "", dom);
    cr_assert_eq(page_check(dom, "h = els('html')[0]\n"
                                 "assert 'js' in classes(h), h.attrs\n" /* the script ran */
                                 "assert h.attrs.get('data-filtered') == 'no', h.attrs\n"
                                 "assert 'hidden' not in by_id['filters'].attrs\n"
                                 "assert not [e for e in els('section') + els('li')\n"
                                 "            if 'hidden' in e.attrs]\n"
                                 "assert text(by_id['filter-status']) == \\\n"
                                 "    'Showing 6 of 6 files and 10 of 10 findings.', "
                                 "text(by_id['filter-status'])\n"
                                 "assert not els('td', 'off')\n"),
                 0);
    cr_assert_eq(page_check(dom, submission_cells), 0);
    temp_dir_remove(w.dir);
}

Test(report_html, browser_filters_by_verdict_and_rule_from_the_address, .timeout = 600)
{
    work w;
    work_make(&w, "html-br2");
    cr_assert_eq(sdccheck("-f", "html", "-o", w.page, "testdata/submission"), 1);
    char dom[128];
    snprintf(dom, sizeof dom, "%s/dom.html", w.dir);
    browser_dom(w.page, "?verdict=fail&rule=nk-rule", dom);
    cr_assert_eq(
        page_check(dom, "shown = [s.attrs['data-verdict'] for s in els('section', 'file')\n"
                        "         if 'hidden' not in s.attrs]\n"
                        "assert shown == ['fail', 'fail'], shown\n"
                        /* the two dominance findings of turnover_by_sic.csv */
                        "seen = [g.attrs['id'] for g in els('li', 'finding') if 'hidden' not in "
                        "g.attrs]\n"
                        "assert len(seen) == 2 and all(by_id[i].attrs['data-rule'] == 'nk-rule'\n"
                        "                              for i in seen), seen\n"
                        "t = hits(section('turnover_by_sic.csv'))\n"
                        "assert t == {(1, 0): (set(), '2'), (1, 1): ({'nk-rule'}, '18400'),\n"
                        "             (3, 1): ({'nk-rule'}, '925300')}, t\n"
                        "off = {td.attrs['id'] for td in els('td', 'off')}\n"
                        "d = section('deaths_by_ward.csv').attrs['id'][len('file-'):]\n"
                        "t = section('turnover_by_sic.csv').attrs['id'][len('file-'):]\n"
                        "assert off == {'c%s-6-0' % d, 'c%s-14-0' % d, 'c%s-1-0' % t}, off\n"
                        "assert text(by_id['filter-status']) == \\\n"
                        "    'Showing 2 of 6 files and 2 of 10 findings.', "
                        "text(by_id['filter-status'])\n"
                        "assert els('html')[0].attrs.get('data-filtered') == 'yes'\n"),
        0);
    temp_dir_remove(w.dir);
}

Test(report_html, browser_runs_no_script_from_a_file_name, .timeout = 600)
{
    work w;
    work_make(&w, "html-br3");
    put(&w, HOSTILE_NAME, hostile_csv);
    cr_assert_eq(sdccheck("-f", "html", "-o", w.page, w.in), 1);
    char dom[128];
    snprintf(dom, sizeof dom, "%s/dom.html", w.dir);
    browser_dom(w.page, "", dom);
    /* html_page.py: one script (the page's own), no img; the page's
     * script ran */
    cr_assert_eq(page_check(dom, hostile_checks), 0);
    cr_assert_eq(page_check(dom, "assert 'js' in classes(els('html')[0])\n"), 0);
    temp_dir_remove(w.dir);
}
