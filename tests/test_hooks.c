/*
 * test_hooks.c - contrib/pre-commit and contrib/ci-check.sh (README, "CI
 * hooks") run for real: the hook installed in a throwaway git repository
 * whose commits it lets through or blocks, and the CI example's exit
 * status and JUnit file, read with Python's xml.etree. What is expected
 * comes from the tables written here: which of them fail the threshold of
 * 10 (ons-srs, sdccheck-policy(5)) is plain from their counts.
 *
 * Needs git and /usr/bin/python3 (tools/setup.sh installs both).
 */
#include <criterion/criterion.h>
#include <limits.h>

#include "helpers.h"

#define GIT "/usr/bin/git"
#define PYTHON "/usr/bin/python3"

static const char passing_table[] = "region,count\nNorth,120\nSouth,340\n";
static const char failing_table[] = "region,count\nNorth,120\nSouth,3\n"; /* 3 < 10 */

static char dir[64];                 /* the repository */
static char env[2 * PATH_MAX + 256]; /* what each command runs with */
static char contrib[PATH_MAX];

/* Runs the shell command CMD in the repository with the test's
 * environment; its output (stdout and stderr) in *OUT (malloc'd, or NULL
 * when OUT is). Returns its exit status, -1 when it did not exit. */
static int sh(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sh(char **out, const char *fmt, ...)
{
    char *cmd = NULL, *full = NULL;
    va_list ap;
    va_start(ap, fmt);
    cr_assert(vasprintf(&cmd, fmt, ap) >= 0);
    va_end(ap);
    cr_assert(asprintf(&full, "cd '%s' && %s && { %s ; } 2>&1", dir, env, cmd) >= 0);
    fflush(NULL);
    FILE *p = popen(full, "r");
    cr_assert_not_null(p);
    char *text = sdc_test_read_all(p);
    cr_assert_not_null(text);
    int st = pclose(p);
    free(cmd);
    free(full);
    if (out)
        *out = text;
    else
        free(text);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The number of commits on HEAD (0 before the first). */
static int commits(void)
{
    char *out = NULL;
    if (sh(&out, GIT " rev-list --count HEAD") != 0) {
        free(out);
        return 0;
    }
    int n = atoi(out);
    free(out);
    return n;
}

static void put(const char *name, const char *text)
{
    char *path = put_file(dir, name, text);
    cr_assert_not_null(path, "cannot write %s", name);
    free(path);
}

static void setup(void)
{
    SDC_TEST_NEED_TOOL(GIT, "git");
    SDC_TEST_NEED_TOOL(PYTHON, "python3");
    char bin[PATH_MAX];
    cr_assert_not_null(realpath(sdc_test_binary(), bin), "%s: build it first", sdc_test_binary());
    cr_assert_not_null(realpath("contrib", contrib), "run the tests from the repository root");
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "hooks"));
    /* no user or system git configuration, no ambient sdccheck settings */
    snprintf(env, sizeof env,
             "export HOME='%s' GIT_CONFIG_NOSYSTEM=1 SDCCHECK='%s' LC_ALL=C; "
             "unset SDCCHECK_PATHS SDCCHECK_POLICY SDCCHECK_ALLOW_REVIEW SDCCHECK_JUNIT",
             dir, bin);
    cr_assert_eq(sh(NULL,
                    GIT " init -q . && " GIT " config user.name Researcher && " GIT
                        " config user.email r@example.org && " GIT
                        " config commit.gpgsign false && cp '%s/pre-commit' .git/hooks/ && "
                        "chmod +x .git/hooks/pre-commit && mkdir outputs notes",
                    contrib),
                 0);
}

static void teardown(void)
{
    cr_assert_eq(temp_dir_remove(dir), 0);
}

TestSuite(hooks, .init = setup, .fini = teardown);

Test(hooks, a_passing_table_is_committed)
{
    put("outputs/widgets.csv", passing_table);
    char *out = NULL;
    int rc = sh(&out, GIT " add -A && " GIT " commit -q -m 'a table'");
    cr_assert_eq(rc, 0, "the commit was refused: %s", out);
    cr_assert_eq(commits(), 1);
    cr_assert_null(strstr(out, "blocked"), "%s", out);
    free(out);
}

Test(hooks, a_failing_table_blocks_the_commit_with_the_reason)
{
    put("outputs/widgets.csv", passing_table);
    cr_assert_eq(sh(NULL, GIT " add -A && " GIT " commit -q -m first"), 0);
    put("outputs/small.csv", failing_table);
    char *out = NULL;
    int rc = sh(&out, GIT " add -A && " GIT " commit -q -m 'a small count'");
    cr_assert_neq(rc, 0, "the commit went through: %s", out);
    cr_assert_eq(commits(), 1, "a commit was made: %s", out);
    cr_assert_not_null(strstr(out, "commit blocked: the staged outputs are not cleared: a file "
                                   "fails"),
                       "%s", out);
    /* the report names the table, the cell and the rule */
    cr_assert_not_null(strstr(out, "FAIL   outputs/small.csv"), "%s", out);
    cr_assert_not_null(strstr(out, "[threshold]"), "%s", out);
    free(out);
}

Test(hooks, a_pickle_blocks_the_commit)
{
    cr_assert_eq(sh(NULL, PYTHON " -c \"import pickle; open('outputs/model.pkl', 'wb')"
                                 ".write(pickle.dumps({'coef': [1.5, 2.5]}))\""),
                 0);
    char *out = NULL;
    int rc = sh(&out, GIT " add -A && " GIT " commit -q -m 'a model'");
    cr_assert_neq(rc, 0, "the commit went through: %s", out);
    cr_assert_eq(commits(), 0);
    cr_assert_not_null(strstr(out, "commit blocked"), "%s", out);
    cr_assert_not_null(strstr(out, "outputs/model.pkl (model, pickle)"), "%s", out);
    cr_assert_not_null(strstr(out, "[model-file]"), "%s", out);
    free(out);
}

Test(hooks, the_staged_content_is_checked_not_the_working_tree)
{
    /* staged failing, then mended in the working tree only: still blocked */
    put("outputs/small.csv", failing_table);
    cr_assert_eq(sh(NULL, GIT " add -A"), 0);
    put("outputs/small.csv", passing_table);
    char *out = NULL;
    cr_assert_neq(sh(&out, GIT " commit -q -m 'staged as failing'"), 0, "%s", out);
    cr_assert_eq(commits(), 0);
    free(out);
    /* and the other way round: staged passing, broken afterwards */
    cr_assert_eq(sh(NULL, GIT " add -A"), 0);
    put("outputs/small.csv", failing_table);
    cr_assert_eq(sh(&out, GIT " commit -q -m 'staged as passing'"), 0, "%s", out);
    cr_assert_eq(commits(), 1);
    free(out);
}

Test(hooks, files_outside_the_output_folders_are_not_checked)
{
    put("notes/draft.csv", failing_table);
    char *out = NULL;
    cr_assert_eq(sh(&out, GIT " add -A && " GIT " commit -q -m notes"), 0, "%s", out);
    cr_assert_eq(commits(), 1);
    free(out);
    /* configured: sdccheck.paths names the folders */
    cr_assert_eq(sh(NULL, GIT " config sdccheck.paths 'outputs notes'"), 0);
    put("notes/draft.csv", "region,count\nNorth,120\nSouth,4\n");
    cr_assert_neq(sh(&out, GIT " add -A && " GIT " commit -q -m 'notes again'"), 0, "%s", out);
    cr_assert_not_null(strstr(out, "FAIL   notes/draft.csv"), "%s", out);
    cr_assert_eq(commits(), 1);
    free(out);
}

Test(hooks, a_review_blocks_unless_allowed)
{
    /* a file sdccheck cannot read as anything it knows needs review */
    cr_assert_eq(sh(NULL, "printf 'a\\000b\\000c\\000\\001\\002\\003' > outputs/blob.bin"), 0);
    char *out = NULL;
    int rc = sh(&out, GIT " add -A && " GIT " commit -q -m blob");
    cr_assert_neq(rc, 0, "%s", out);
    cr_assert_not_null(strstr(out, "not cleared: a file needs review"), "%s", out);
    cr_assert_eq(commits(), 0);
    free(out);
    cr_assert_eq(sh(NULL, GIT " config sdccheck.allowReview true"), 0);
    cr_assert_eq(sh(&out, GIT " commit -q -m blob"), 0, "%s", out);
    cr_assert_not_null(strstr(out, "committed, but a file needs review"), "%s", out);
    cr_assert_eq(commits(), 1);
    free(out);
}

/* The JUnit file's tests and failures, and the name of every testcase
 * with a failure, read with Python's xml.etree: "TESTS FAILURES name...". */
static char *junit_summary(const char *file)
{
    char *out = NULL;
    int rc = sh(&out,
                PYTHON " -c \"import sys, xml.etree.ElementTree as E\n"
                       "r = E.parse(sys.argv[1]).getroot()\n"
                       "cases = r.findall('.//testcase')\n"
                       "bad = [c.get('name') for c in cases if c.find('failure') is not None]\n"
                       "print(len(cases), len(bad), *bad)\" '%s'",
                file);
    cr_assert_eq(rc, 0, "the JUnit file does not parse: %s", out);
    return out;
}

Test(hooks, the_ci_example_exits_with_sdcchecks_status_and_writes_junit)
{
    put("outputs/widgets.csv", passing_table);
    put("outputs/small.csv", failing_table);
    char *out = NULL;
    int rc = sh(&out, "SDCCHECK_JUNIT=dashboard.xml sh '%s/ci-check.sh' outputs", contrib);
    cr_assert_eq(rc, 1, "a failing table: exit status 1, not %d: %s", rc, out);
    cr_assert_not_null(strstr(out, "not cleared: a file fails"), "%s", out);
    cr_assert_not_null(strstr(out, "FAIL   outputs/small.csv"), "the text report: %s", out);
    free(out);
    char *summary = junit_summary("dashboard.xml");
    cr_assert_str_eq(summary, "2 1 outputs/small.csv\n");
    free(summary);

    /* the failing table mended: cleared, exit 0, no failure */
    put("outputs/small.csv", passing_table);
    rc = sh(&out, "sh '%s/ci-check.sh'", contrib); /* default: outputs, sdccheck-junit.xml */
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert_not_null(strstr(out, "sdccheck: cleared"), "%s", out);
    free(out);
    summary = junit_summary("sdccheck-junit.xml");
    cr_assert_str_eq(summary, "2 0\n");
    free(summary);
}

Test(hooks, the_ci_example_fails_the_job_when_sdccheck_cannot_run)
{
    char *out = NULL;
    int rc = sh(&out, "sh '%s/ci-check.sh' no-such-folder", contrib);
    cr_assert_eq(rc, 2, "%s", out);
    cr_assert_not_null(strstr(out, "could not be checked (exit status 2)"), "%s", out);
    free(out);
}
