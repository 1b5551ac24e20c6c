/*
 * test_cli.c - options that change what the real binary writes, asserted on
 * what it writes (sdccheck(1), OPTIONS): -v, -q, --color; and the SHA-256
 * of files longer than one read in the JSON report, against `sha256sum`.
 *
 * The binary is $SDCCHECK_BIN (default build/sdccheck), run from the
 * repository root without a shell; its standard output goes to a file, so
 * it is never a terminal (--color=auto is tested on a pseudo-terminal in
 * test_e2e.c).
 */
#include <criterion/criterion.h>
#include <sys/stat.h>

#include "helpers.h"

/* What one run wrote. */
typedef struct cli_run {
    int status; /* exit status, -1 when it did not exit */
    char *out;  /* standard output, NUL-terminated */
} cli_run;

/* Runs the binary with ARGS (NULL-terminated), adding ENV_EXTRA (one
 * NAME=VALUE, or NULL) to a copy of the environment without NO_COLOR. */
static cli_run run_cli(const char *env_extra, const char *const *args)
{
    char out[] = "/tmp/sdc-cli-XXXXXX";
    int fd = mkstemp(out);
    cr_assert(fd >= 0);
    const char *argv[32];
    sdc_test_argv(argv, args);
    const char *envp[256];
    size_t e = 0;
    for (char **p = environ; *p && e < 254; p++)
        if (strncmp(*p, "NO_COLOR=", 9) != 0)
            envp[e++] = *p;
    if (env_extra)
        envp[e++] = env_extra;
    envp[e] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd, STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    cli_run r = {.status = -1};
    int st = 0;
    if (posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, (char *const *)envp) == 0 &&
        waitpid(pid, &st, 0) == pid && WIFEXITED(st))
        r.status = WEXITSTATUS(st);
    posix_spawn_file_actions_destroy(&fa);
    close(fd);
    r.out = sdc_test_slurp(out);
    cr_assert_not_null(r.out);
    unlink(out);
    return r;
}

#define RUN(...) run_cli(NULL, (const char *const[]){__VA_ARGS__, NULL})

static char dir[64];
static char *passing; /* passes, with a pass note (an unrecognised count column) */
static char *failing; /* fails threshold on row South */
static void setup(void)
{
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "cli"));
    passing = put_file(dir, "widgets.csv", "region,widgets\nNorth,120\nSouth,340\n");
    failing = put_file(dir, "small.csv", "region,count\nNorth,120\nSouth,3\n");
    cr_assert(passing && failing);
}
static void teardown(void)
{
    free(passing);
    free(failing);
    cr_assert_eq(temp_dir_remove(dir), 0);
}
TestSuite(cli, .init = setup, .fini = teardown);

static size_t lines_of(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* sdccheck(1): "-v: also print the notes (findings with verdict pass) on
 * files that pass, such as how an unrecognised column was read". The
 * passing table's 'widgets' column is read as counts, said in a note. */
Test(cli, verbose_adds_the_notes_of_a_passing_file)
{
    cli_run d = RUN(passing);
    cr_assert_eq(d.status, 0);
    char *want = NULL;
    cr_assert(asprintf(&want,
                       "PASS   %s (table, csv)\n"
                       "sdccheck: 1 file: 1 pass, 0 review, 0 fail. Verdict: PASS\n",
                       passing) > 0);
    cr_assert_str_eq(d.out, want, "the default shows no note on a passing file");
    free(want);

    cli_run v = RUN("-v", passing);
    cr_assert_eq(v.status, 0);
    cr_assert_eq(lines_of(v.out), 4, "file line, note, advice, summary:\n%s", v.out);
    cr_assert_not_null(strstr(v.out, "\n  line 2, column \"widgets\": column 'widgets' has no "
                                     "recognised name"),
                       "no note under the file with -v:\n%s", v.out);
    cr_assert_not_null(strstr(v.out, "[unrecognised-column]\n"), "%s", v.out);
    cr_assert_not_null(strstr(v.out, "\n      advice: "), "%s", v.out);
    cli_run lv = RUN("--verbose", passing);
    cr_assert_str_eq(lv.out, v.out, "--verbose differs from -v");
    free(d.out);
    free(v.out);
    free(lv.out);
}

/* -v changes nothing in a failing file's findings but adds its notes. */
Test(cli, verbose_keeps_the_failing_findings)
{
    cli_run v = RUN("-v", failing);
    cr_assert_eq(v.status, 1);
    cr_assert_not_null(strstr(v.out, "line 3, row \"South\", column \"count\": count 3 is below "
                                     "the threshold of 10 (value 3, limit 10) [threshold]\n"),
                       "%s", v.out);
    free(v.out);
}

/* sdccheck(1): "-q: print only the summary line", whatever the verdicts. */
Test(cli, quiet_prints_the_summary_line_only)
{
    cli_run q = RUN("-q", passing, failing);
    cr_assert_eq(q.status, 1);
    cr_assert_str_eq(q.out, "sdccheck: 2 files: 1 pass, 0 review, 1 fail. Verdict: FAIL\n");
    cli_run lq = RUN("--quiet", "-v", passing);
    /* the last of -q and -v wins: here -v */
    cr_assert_eq(lines_of(lq.out), 4, "%s", lq.out);
    free(q.out);
    free(lq.out);
}

/* --color=always: each verdict word bold and coloured (red FAIL, green
 * PASS), the rule tag in its verdict's colour, each reset after it;
 * --color=never and auto (not a terminal): no escape at all, same words. */
Test(cli, color_always_wraps_each_verdict_in_its_colour)
{
    cli_run c = RUN("--color=always", passing, failing);
    cr_assert_eq(c.status, 1);
    cr_assert_not_null(strstr(c.out, "\033[1;32mPASS\033[0m   "), "%s", c.out);
    cr_assert_not_null(strstr(c.out, "\033[1;31mFAIL\033[0m   "), "%s", c.out);
    cr_assert_not_null(strstr(c.out, "[\033[1;31mthreshold\033[0m]\n"), "%s", c.out);
    cr_assert_not_null(strstr(c.out, "Verdict: \033[1;31mFAIL\033[0m\n"), "%s", c.out);

    cli_run n = RUN("--color=never", passing, failing);
    cli_run a = RUN("--color=auto", passing, failing);
    cli_run d = RUN(passing, failing);
    cr_assert_null(strchr(n.out, '\033'), "%s", n.out);
    cr_assert_str_eq(a.out, n.out, "auto coloured a file");
    cr_assert_str_eq(d.out, n.out, "the default coloured a file");
    cr_assert_not_null(strstr(n.out, "FAIL   "), "%s", n.out);
    cr_assert_not_null(strstr(n.out, "Verdict: FAIL\n"), "%s", n.out);

    /* the escapes are the only difference */
    char *plain = malloc(strlen(c.out) + 1);
    size_t o = 0;
    for (const char *p = c.out; *p;) {
        if (*p == '\033') {
            while (*p && *p != 'm')
                p++;
            if (*p)
                p++;
        } else
            plain[o++] = *p++;
    }
    plain[o] = '\0';
    cr_assert_str_eq(plain, n.out);
    free(plain);

    /* NO_COLOR does not overrule always; the spelling --colour works too */
    cli_run nc = run_cli("NO_COLOR=1", (const char *const[]){"--colour", "always", failing, NULL});
    cr_assert_not_null(strstr(nc.out, "\033[1;31mFAIL\033[0m"), "%s", nc.out);
    free(c.out);
    free(n.out);
    free(a.out);
    free(d.out);
    free(nc.out);
}

/* The JSON report's sha256 of files longer than one read is sha256sum's. */
Test(cli, json_report_sha256_of_large_files_matches_sha256sum)
{
    const size_t sizes[] = {SDC_READ_CHUNK + 1, 3 * SDC_READ_CHUNK + 12345};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char path[128], want[65];
        snprintf(path, sizeof path, "%s/big%zu.bin", dir, i);
        cr_assert_eq(put_sized_file(path, sizes[i], false), 0);
        cr_assert_eq(sha256sum_of(path, want), 0);
        int status;
        char *json = sdc_test_json_report(path, &status);
        cr_assert_not_null(json);
        char *field = NULL;
        cr_assert(asprintf(&field, "\"sha256\": \"%s\"", want) > 0);
        cr_assert_not_null(strstr(json, field), "want %s in:\n%s", field, json);
        char *size = NULL;
        cr_assert(asprintf(&size, "\"size\": %zu,", sizes[i]) > 0);
        cr_assert_not_null(strstr(json, size), "want %s in:\n%s", size, json);
        free(field);
        free(size);
        free(json);
    }
}
