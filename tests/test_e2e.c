/*
 * test_e2e.c - the real sdccheck binary on real files (doc/design.md, "Exit status", "File classes"
 * and "The clearance report").
 *
 * Every test here runs the command as a user would: fork and exec of
 * $SDCCHECK_BIN (default build/sdccheck) from the repository root, with a
 * clean environment in which SOURCE_DATE_EPOCH=0 makes every report
 * reproducible, capturing its standard output, standard error and exit
 * status. No shell is involved, so no path is ever re-parsed.
 *
 *  - reports: written to a file, nothing on the terminal (what each test
 *    file must get is in the EXPECTED.tsv of its testdata folder, written
 *    by hand and checked by tests/test_expected.c);
 *  - the command line: exit statuses, usage errors, policies, formats;
 *  - failing closed: inputs are never written, symlinks are not followed
 *    out of the submission, FIFOs and unreadable folders are reported
 *    without hanging, and a huge field is a finding, not a crash.
 *
 * Files the tests make (symlinks, FIFOs, policies) live in a fresh
 * mkdtemp folder per test; a failing test leaves its folder behind so that
 * its files can be inspected.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "need_tool.h"

extern char **environ;

#define NOBODY_ID 65534
#define DEFAULT_TIMEOUT 60.0

/* ---- running a program ---- */

typedef struct run_result {
    int status;     /* exit status; 128 + N when killed by signal N */
    bool timed_out; /* killed by the runner after its timeout */
    double seconds;
    char *out; /* standard output, NUL-terminated */
    size_t out_len;
    char *err; /* standard error, NUL-terminated */
    size_t err_len;
} run_result;

typedef struct run_options {
    const char *const *env; /* extra NAME=VALUE entries, NULL-terminated */
    bool as_nobody;         /* drop to uid/gid 65534 before exec (root only) */
    bool stdout_tty;        /* standard output is a terminal (a pseudo-terminal) */
    double timeout;         /* seconds; 0 means DEFAULT_TIMEOUT */
} run_options;

static const char *tool_path(void)
{
    const char *bin = getenv("SDCCHECK_BIN");
    return bin && *bin ? bin : "build/sdccheck";
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp_stream(FILE *f, size_t *len)
{
    fflush(f);
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    cr_assert(size >= 0, "cannot size a captured stream: %s", strerror(errno));
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    cr_assert_not_null(buf);
    size_t got = fread(buf, 1, (size_t)size, f);
    buf[got] = '\0';
    *len = got;
    return buf;
}

/* The environment of every run: reproducible reports, the C locale, and
 * the sanitizer options of the caller (make check runs an ASan build). */
static size_t build_env(const char **envp, size_t cap, const char *const *extra)
{
    static const char *const pass[] = {"ASAN_OPTIONS=", "UBSAN_OPTIONS=", "LSAN_OPTIONS=", NULL};
    size_t n = 0;
    envp[n++] = "SOURCE_DATE_EPOCH=0";
    envp[n++] = "LC_ALL=C";
    for (char **e = environ; *e && n + 1 < cap; e++)
        for (const char *const *p = pass; *p; p++)
            if (strncmp(*e, *p, strlen(*p)) == 0)
                envp[n++] = *e;
    for (; extra && *extra && n + 1 < cap; extra++)
        envp[n++] = *extra;
    envp[n] = NULL;
    return n;
}

/* What the child wrote to its terminal so far, appended to OUT (the
 * terminal's buffer is small, so it is drained while the child runs). */
static void copy_terminal(int tty, FILE *out)
{
    char buf[4096];
    ssize_t n;
    while (tty >= 0 && (n = read(tty, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)n, out);
}

/* Runs PROG with ARGS (NULL-terminated, without argv[0]) and waits for it,
 * at most OPT->timeout seconds; output goes to unnamed temporary files, so
 * a large report can never fill a pipe and stall the child. */
static run_result run_program(const char *prog, const char *const *args, const run_options *opt)
{
    run_options none = {0};
    if (!opt)
        opt = &none;
    const char *argv[64];
    size_t argc = 0;
    argv[argc++] = prog;
    for (; *args; args++) {
        cr_assert(argc + 1 < sizeof argv / sizeof argv[0], "too many arguments");
        argv[argc++] = *args;
    }
    argv[argc] = NULL;
    const char *envp[32];
    build_env(envp, sizeof envp / sizeof envp[0], opt->env);

    FILE *out = tmpfile();
    FILE *err = tmpfile();
    cr_assert(out && err, "tmpfile: %s", strerror(errno));
    int tty = -1;
    const char *tty_name = NULL;
    if (opt->stdout_tty) {
        tty = posix_openpt(O_RDWR | O_NOCTTY);
        cr_assert(tty >= 0 && grantpt(tty) == 0 && unlockpt(tty) == 0 &&
                      (tty_name = ptsname(tty)) != NULL,
                  "no pseudo-terminal: %s", strerror(errno));
        fcntl(tty, F_SETFL, fcntl(tty, F_GETFL) | O_NONBLOCK);
    }
    fflush(NULL);
    double start = now_seconds();
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int to = tty_name ? open(tty_name, O_RDWR | O_NOCTTY) : fileno(out);
        if (in < 0 || to < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(to, STDOUT_FILENO) < 0 ||
            dup2(fileno(err), STDERR_FILENO) < 0)
            _exit(126);
        if (opt->as_nobody &&
            (setgroups(0, NULL) != 0 || setgid(NOBODY_ID) != 0 || setuid(NOBODY_ID) != 0))
            _exit(126);
        execve(prog, (char *const *)argv, (char *const *)envp);
        _exit(127);
    }

    double limit = opt->timeout > 0 ? opt->timeout : DEFAULT_TIMEOUT;
    run_result r = {0};
    int wstatus = 0;
    for (;;) {
        copy_terminal(tty, out);
        pid_t w = waitpid(pid, &wstatus, WNOHANG);
        cr_assert(w >= 0, "waitpid: %s", strerror(errno));
        if (w == pid)
            break;
        if (now_seconds() - start > limit) {
            kill(pid, SIGKILL);
            waitpid(pid, &wstatus, 0);
            r.timed_out = true;
            break;
        }
        nanosleep(&(struct timespec){0, 2000000}, NULL);
    }
    r.seconds = now_seconds() - start;
    copy_terminal(tty, out);
    if (tty >= 0)
        close(tty);
    r.status = WIFEXITED(wstatus)     ? WEXITSTATUS(wstatus)
               : WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus)
                                      : -1;
    r.out = slurp_stream(out, &r.out_len);
    r.err = slurp_stream(err, &r.err_len);
    fclose(out);
    fclose(err);
    return r;
}

static run_result run_sdc_with(const run_options *opt, const char *const *args)
{
    const char *bin = tool_path();
    cr_assert(access(bin, X_OK) == 0,
              "%s is not an executable (%s): build it with make, or set SDCCHECK_BIN", bin,
              strerror(errno));
    return run_program(bin, args, opt);
}

/* run_sdc("-q", "PATH") runs sdccheck with these arguments. */
#define run_sdc(...) run_sdc_with(NULL, (const char *const[]){__VA_ARGS__, NULL})

static void run_result_free(run_result *r)
{
    free(r->out);
    free(r->err);
}

/* ---- files ---- */

static char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    cr_assert(n >= 0, "out of memory");
    return s;
}

/* A fresh folder that the nobody user may traverse (for the test that
 * drops privileges); the caller frees the path. */
static char *temp_dir(void)
{
    const char *base = getenv("TMPDIR");
    char *path = str_printf("%s/sdccheck-e2e-XXXXXX", base && *base ? base : "/tmp");
    cr_assert_not_null(mkdtemp(path), "mkdtemp: %s", strerror(errno));
    cr_assert_eq(chmod(path, 0755), 0);
    return path;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

static int unlock_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type == FTW_D || type == FTW_DNR || (type != FTW_SL && S_ISDIR(st->st_mode)))
        chmod(path, 0755);
    return 0;
}

static void remove_tree(char *path)
{
    nftw(path, unlock_entry, 16, FTW_PHYS);
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(path);
}

static char *write_file(const char *dir, const char *name, const char *content)
{
    char *path = str_printf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s: %s", path, strerror(errno));
    fputs(content, f);
    cr_assert_eq(fclose(f), 0);
    chmod(path, 0644);
    return path;
}

/* The bytes of PATH, NUL-terminated; NULL if it cannot be read. */
static char *read_file_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = slurp_stream(f, len);
    fclose(f);
    return buf;
}

static size_t count_char(const char *s, size_t len, char c)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == c;
    return n;
}

/* ---- reading the JSON report (only what the tests need) ---- */

/* The JSON object of the file with this path in a report, up to the next
 * file: a NUL-terminated copy, or NULL if the report does not list it. */
static char *file_entry(const char *json, const char *path)
{
    char *key = str_printf("\"path\": \"%s\"", path);
    const char *start = strstr(json, key);
    free(key);
    if (!start)
        return NULL;
    const char *end = strstr(start + 1, "\"path\": ");
    size_t len = end ? (size_t)(end - start) : strlen(start);
    return strndup(start, len);
}

/* The verdict of a file object ("pass", "review", "fail"), in BUF. */
static const char *entry_verdict(const char *entry, char *buf, size_t size)
{
    const char *v = entry ? strstr(entry, "\"verdict\": \"") : NULL;
    if (!v)
        return "(none)";
    v += strlen("\"verdict\": \"");
    size_t n = strcspn(v, "\"");
    snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), v);
    return buf;
}

/* Whether JSON holds a finding with rule RULE at line LINE (0: any line). */
static bool has_finding(const char *json, const char *rule, long line)
{
    char *key = str_printf("\"rule\": \"%s\"", rule);
    bool found = false;
    for (const char *p = strstr(json, key); p && !found; p = strstr(p + 1, key)) {
        if (line == 0) {
            found = true;
            break;
        }
        const char *next = strstr(p + 1, "\"rule\": ");
        const char *l = strstr(p, "\"line\": ");
        if (l && (!next || l < next))
            found = strtol(l + strlen("\"line\": "), NULL, 10) == line;
    }
    free(key);
    return found;
}

/* ---- a small XML well-formedness check (no parser needed) ---- */

static bool xml_well_formed(const char *s, char *why, size_t why_size)
{
    char stack[32][64];
    int depth = 0, roots = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '&') {
            size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEF0123456789#");
            if (p[1 + n] != ';') {
                snprintf(why, why_size, "bare '&' at offset %zu", (size_t)(p - s));
                return false;
            }
            continue;
        }
        if (*p != '<')
            continue;
        if (strncmp(p, "<?", 2) == 0 || strncmp(p, "<!--", 4) == 0) {
            const char *end = strstr(p, p[1] == '?' ? "?>" : "-->");
            if (!end) {
                snprintf(why, why_size, "unterminated declaration or comment");
                return false;
            }
            p = end;
            continue;
        }
        bool closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t n = strcspn(name, " \t\r\n/>");
        if (n == 0 || n >= sizeof stack[0]) {
            snprintf(why, why_size, "bad tag name at offset %zu", (size_t)(p - s));
            return false;
        }
        const char *q = name + n;
        char quote = 0;
        for (; *q && (quote || *q != '>'); q++) {
            if (quote && *q == quote)
                quote = 0;
            else if (!quote && (*q == '"' || *q == '\''))
                quote = *q;
            else if (*q == '<') {
                snprintf(why, why_size, "'<' inside a tag at offset %zu", (size_t)(q - s));
                return false;
            }
        }
        if (!*q) {
            snprintf(why, why_size, "unterminated tag <%.*s", (int)n, name);
            return false;
        }
        if (closing) {
            if (depth == 0 || strlen(stack[depth - 1]) != n ||
                strncmp(stack[depth - 1], name, n) != 0) {
                snprintf(why, why_size, "</%.*s> does not close <%s>", (int)n, name,
                         depth ? stack[depth - 1] : "(nothing)");
                return false;
            }
            depth--;
        } else if (q[-1] != '/') {
            if (depth == 0)
                roots++;
            if (depth == (int)(sizeof stack / sizeof stack[0])) {
                snprintf(why, why_size, "nested too deep");
                return false;
            }
            snprintf(stack[depth++], sizeof stack[0], "%.*s", (int)n, name);
        } else if (depth == 0) {
            roots++;
        }
        p = q;
    }
    if (depth != 0 || roots != 1) {
        snprintf(why, why_size, "%d unclosed elements, %d root elements", depth, roots);
        return false;
    }
    return true;
}

/* ==== 1. reports on the test data ====
 *
 * What each file of testdata/ must get is written by hand in its folder's
 * EXPECTED.tsv and checked by tests/test_expected.c; here, what a report
 * written to a file leaves on the terminal: nothing. */

Test(e2e, a_report_written_to_a_file_leaves_stdout_and_stderr_empty)
{
    char *dir = temp_dir();
    char *out = str_printf("%s/report.json", dir);
    run_result r = run_sdc("-f", "json", "-o", out, "testdata/submission");
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert_eq(r.out_len, 0, "the report went to -o, yet stdout has: %s", r.out);
    cr_assert_eq(r.err_len, 0, "unexpected stderr: %s", r.err);
    size_t len = 0;
    char *json = read_file_bytes(out, &len);
    cr_assert_not_null(json);
    cr_assert_not_null(strstr(json, "\"verdict\": \"fail\""), "%s", json);
    free(json);
    free(out);
    run_result_free(&r);
    remove_tree(dir);
}

/* sdccheck may start itself again with glibc's huge pages asked for
 * (src/cli/hugepages.c, where the kernel gives them only to memory that
 * asks): the second start sees the same arguments, files and descriptors,
 * so the report, the messages and the exit status are those of a run
 * told not to (SDCCHECK_HUGE_PAGES=0). */
Test(e2e, the_start_with_huge_pages_changes_nothing_a_user_sees)
{
    const char *const off[] = {"SDCCHECK_HUGE_PAGES=0", NULL};
    run_options plain = {0}, told = {.env = off};
    const char *const args[] = {"-f", "json", "testdata/submission", NULL};
    run_result a = run_sdc_with(&plain, args), b = run_sdc_with(&told, args);
    cr_assert_eq(a.status, 1, "exit %d: %s", a.status, a.err);
    cr_assert_eq(b.status, a.status);
    cr_assert(a.out_len == b.out_len && memcmp(a.out, b.out, a.out_len) == 0, "the reports differ");
    cr_assert(a.err_len == b.err_len && memcmp(a.err, b.err, a.err_len) == 0,
              "stderr differs: '%s' against '%s'", a.err, b.err);
    run_result_free(&a);
    run_result_free(&b);
}

/* ==== 2. exit statuses and the command line ==== */

Test(e2e, cleared_file_exits_0)
{
    run_result r = run_sdc("testdata/submission/region_by_sex.csv");
    cr_assert_eq(r.status, 0, "exit %d: %s%s", r.status, r.out, r.err);
    cr_assert_not_null(strstr(r.out, "Verdict: PASS"), "%s", r.out);
    run_result_free(&r);
}

Test(e2e, failing_file_exits_1)
{
    run_result r = run_sdc("testdata/submission/deaths_by_ward.csv");
    cr_assert_eq(r.status, 1, "exit %d: %s%s", r.status, r.out, r.err);
    cr_assert_not_null(strstr(r.out, "Verdict: FAIL"), "%s", r.out);
    run_result_free(&r);
}

Test(e2e, file_that_needs_review_exits_3)
{
    run_result r = run_sdc("testdata/submission/notes.md");
    cr_assert_eq(r.status, 3, "exit %d: %s%s", r.status, r.out, r.err);
    cr_assert_not_null(strstr(r.out, "Verdict: REVIEW"), "%s", r.out);
    run_result_free(&r);
}

Test(e2e, explicit_check_verb_is_the_default_verb)
{
    run_result a = run_sdc("check", "-f", "json", "testdata/submission");
    run_result b = run_sdc("-f", "json", "testdata/submission");
    cr_assert_eq(a.status, 1);
    cr_assert_eq(b.status, 1);
    cr_assert(a.out_len == b.out_len && memcmp(a.out, b.out, a.out_len) == 0,
              "'check' changes the report");
    run_result_free(&a);
    run_result_free(&b);
}

/* A usage error: status 2, nothing on stdout, one line on stderr that
 * starts with the program name and contains NEEDLE. */
static void assert_usage_error(const run_result *r, const char *needle)
{
    cr_assert_eq(r->status, 2, "exit %d, expected 2; stderr: %s", r->status, r->err);
    cr_assert_eq(r->out_len, 0, "stdout should be empty: %s", r->out);
    cr_assert_eq(count_char(r->err, r->err_len, '\n'), 1, "not one line: %s", r->err);
    cr_assert(r->err[r->err_len - 1] == '\n', "no final newline: %s", r->err);
    cr_assert(strncmp(r->err, "sdccheck: ", 10) == 0, "no program name: %s", r->err);
    cr_assert_not_null(strstr(r->err, needle), "'%s' not in: %s", needle, r->err);
}

Test(e2e, nonexistent_path_exits_2_naming_it)
{
    run_result r = run_sdc("testdata/submission", "testdata/no-such-output.csv");
    assert_usage_error(&r, "testdata/no-such-output.csv");
    run_result_free(&r);
}

Test(e2e, unknown_long_option_exits_2_with_one_line)
{
    run_result r = run_sdc("--no-such-option", "testdata/submission");
    assert_usage_error(&r, "--no-such-option");
    run_result_free(&r);
}

Test(e2e, unknown_short_option_exits_2_with_one_line)
{
    run_result r = run_sdc("-Z", "testdata/submission");
    assert_usage_error(&r, "-Z");
    run_result_free(&r);
}

Test(e2e, option_without_its_value_exits_2_saying_so)
{
    run_result r = run_sdc("-o");
    assert_usage_error(&r, "-o");
    /* main.c means to say "option '-o' needs a value" (its case ':'), but
     * getopt only returns ':' when the option string starts with ':'. */
    char message[256];
    snprintf(message, sizeof message, "%s", r.err);
    run_result_free(&r);
    cr_assert_not_null(strstr(message, "needs a value"), "misleading message: %s", message);
}

Test(e2e, missing_path_exits_2)
{
    run_result r = run_sdc("-q");
    assert_usage_error(&r, "PATH");
    run_result_free(&r);
}

Test(e2e, unknown_policy_exits_2)
{
    run_result r = run_sdc("-p", "nope", "testdata/submission");
    assert_usage_error(&r, "nope");
    run_result_free(&r);
}

Test(e2e, unknown_format_exits_2)
{
    run_result r = run_sdc("-f", "xml", "testdata/submission");
    assert_usage_error(&r, "xml");
    run_result_free(&r);
}

Test(e2e, bad_jobs_and_color_values_exit_2)
{
    run_result r = run_sdc("-j", "0", "testdata/submission");
    assert_usage_error(&r, "--jobs");
    run_result_free(&r);
    r = run_sdc("--color=sometimes", "testdata/submission");
    assert_usage_error(&r, "sometimes");
    run_result_free(&r);
}

Test(e2e, audit_prints_each_suppressed_cells_interval_and_exits_by_the_worst)
{
    run_result r = run_sdc("audit", "testdata/generated/py_crosstab_primary_only.csv");
    cr_assert_eq(r.status, 1, "a recoverable cell: exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.out, "[5, 5]  recoverable: it is 5"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "3 suppressed cells"), "%s", r.out);
    run_result_free(&r);

    char *dir = temp_dir();
    char *table = write_file(dir, "block.csv",
                             "region,A,B,Total\nN,c,c,300\nS,c,c,420\n"
                             "Total,320,400,720\n");
    r = run_sdc("audit", table);
    cr_assert_eq(r.status, 0, "a wide block is protected: exit %d; %s", r.status, r.out);
    cr_assert_not_null(strstr(r.out, "[20, 320]  protected"), "%s", r.out);
    run_result_free(&r);
    free(table);
    remove_tree(dir);

    r = run_sdc("audit", "testdata/submission");
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "Is a directory"), "%s", r.err);
    run_result_free(&r);
}

/* Row N's total (30) contradicts its parts (40 published); it is also a
 * part of column Total, which hides S/Total: both are dropped and named,
 * the rest is audited (every cell 31 values wide), and the contradiction
 * makes the audit review (exit 3). */
Test(e2e, audit_names_the_totals_it_dropped_and_why)
{
    char *dir = temp_dir();
    char *table = write_file(dir, "t.csv",
                             "region,A,B,Total\nN,c,40,30\nS,c,35,c\nE,10,20,30\n"
                             "Total,40,95,135\n");
    run_result r = run_sdc("audit", table);
    cr_assert_eq(r.status, 3, "a dropped contradiction is review: exit %d; %s", r.status, r.out);
    cr_assert_not_null(strstr(r.out, "3 suppressed cells, 2 totals used as equations, 2 dropped"),
                       "%s", r.out);
    cr_assert_not_null(strstr(r.out, "total dropped: line 2, N, Total (along the columns): it "
                                     "contradicts its line"),
                       "%s", r.out);
    cr_assert_not_null(strstr(r.out, "total dropped: line 5, Total, Total (along region): a cell "
                                     "of its line (line 2, Total) is a total dropped"),
                       "%s", r.out);
    cr_assert_not_null(strstr(r.out, "line 3, S, Total: [35, 65]  protected"), "%s", r.out);
    run_result_free(&r);
    free(table);
    remove_tree(dir);
}

/* test_optimal.c's hand-worked table: with protection_upper 10, N/A (3)
 * must reach 33, so the optimal mode hides N/C, S/A and S/C (180), not the
 * width's cheapest rectangle through E (75); it solves it itself. */
Test(e2e, fix_with_protection_levels_uses_the_optimal_model)
{
    char *dir = temp_dir();
    char *table = write_file(dir, "t.csv",
                             "region,A,B,C,Total\nN,3,80,30,113\nS,60,70,90,220\n"
                             "E,25,65,20,110\nTotal,88,215,140,443\n");
    char *pol = write_file(dir, "levels.yaml", "protection_upper: 10\n");
    char *out = str_printf("%s/fixed", dir);
    run_result r = run_sdc("-p", pol, "--fix", out, "--suppress", "optimal", "-q", table);
    cr_assert_eq(r.status, 1, "the original still fails: exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "1 primary and 3 complementary suppressions (optimal)"), "%s",
                       r.err);
    cr_assert_null(strstr(r.err, "heuristic instead"), "%s", r.err);
    run_result_free(&r);
    char *copy = str_printf("%s/t.csv", out);
    size_t len = 0;
    char *fixed = read_file_bytes(copy, &len);
    cr_assert_not_null(strstr(fixed, "N,c,80,c,113\nS,c,70,c,220\nE,25,65,20,110\n"), "%s", fixed);
    free(fixed);
    free(copy);
    free(out);
    free(pol);
    free(table);
    remove_tree(dir);
}

Test(e2e, fix_writes_a_protected_copy_that_passes_and_never_overwrites_an_input)
{
    char *dir = temp_dir();
    char *table = write_file(dir, "t.csv",
                             "region,A,B,C,Total\nN,3,40,50,93\nS,45,35,60,140\n"
                             "E,50,55,70,175\nTotal,98,130,180,408\n");
    char *out = str_printf("%s/fixed", dir);
    run_result r = run_sdc("--fix", out, "-q", table);
    cr_assert_eq(r.status, 1, "the original still fails: exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "1 primary and 3 complementary"), "%s", r.err);
    run_result_free(&r);
    char *copy = str_printf("%s/t.csv", out);
    r = run_sdc("-q", copy);
    cr_assert_eq(r.status, 0, "the protected copy is cleared: exit %d; %s", r.status, r.out);
    run_result_free(&r);

    r = run_sdc("--fix", dir, "-q", table);
    cr_assert_eq(r.status, 2, "writing over the input must be refused: %d", r.status);
    cr_assert_not_null(strstr(r.err, "overwrite"), "%s", r.err);
    run_result_free(&r);
    size_t len = 0;
    char *after = read_file_bytes(table, &len);
    cr_assert_not_null(strstr(after, "N,3,40,50,93"), "the input was modified: %s", after);
    free(after);
    free(copy);
    free(out);
    free(table);
    remove_tree(dir);
}

Test(e2e, audit_and_fix_read_the_declared_hierarchy_and_fix_copies_it)
{
    char *dir = temp_dir();
    char *table = write_file(dir, "areas.csv",
                             "area,M,F,Total\nNorth,c,20,c\nSouth,14,15,29\n"
                             "England,30,35,65\nCardiff,12,11,23\n"
                             "Swansea,15,16,31\nWales,27,27,54\n"
                             "Total,57,62,119\n");
    char *side = write_file(dir, "areas.sdc.yaml",
                            "hierarchies:\n  area:\n"
                            "    England: [North, South]\n"
                            "    Wales: [Cardiff, Swansea]\n");
    run_result r = run_sdc("audit", table);
    cr_assert_eq(r.status, 1, "exit %d; %s%s", r.status, r.out, r.err);
    cr_assert_not_null(strstr(r.out, "North, M: [16, 16]  recoverable: it is 16"), "%s", r.out);
    run_result_free(&r);

    char *out = str_printf("%s/fixed", dir);
    r = run_sdc("--fix", out, "-q", table);
    cr_assert_eq(r.status, 1, "the original still fails: exit %d; %s", r.status, r.err);
    run_result_free(&r);
    char *copy = str_printf("%s/areas.csv", out), *copied = str_printf("%s/areas.sdc.yaml", out);
    size_t len = 0;
    char *yaml = read_file_bytes(copied, &len);
    cr_assert_not_null(yaml, "the sidecar is copied beside the protected table");
    cr_assert_not_null(strstr(yaml, "England: [North, South]"));
    free(yaml);
    r = run_sdc("-q", copy);
    cr_assert_eq(r.status, 0, "the copy is cleared under its hierarchy: exit %d", r.status);
    run_result_free(&r);
    r = run_sdc("audit", copy);
    cr_assert_eq(r.status, 0, "%s", r.out);
    run_result_free(&r);
    free(copy);
    free(copied);
    free(out);
    free(side);
    free(table);
    remove_tree(dir);
}

Test(e2e, fix_protects_linked_tables_together_and_audits_the_copies_with_them)
{
    /* a.csv is safe alone; with b.csv's sex totals North's row comes back.
     * The fix must protect it with b.csv in mind, and its copy is audited
     * with b.csv. */
    char *dir = temp_dir();
    char *a = write_file(dir, "a.csv",
                         "region,M,F,Total\nNorth,c,c,40\nSouth,18,27,45\n"
                         "East,30,32,62\n");
    char *b = write_file(dir, "b.csv", "sex,n\nM,60\nF,87\nTotal,147\n");
    char *out = str_printf("%s/fixed", dir);
    char *json = str_printf("%s/report.json", dir);
    run_result r = run_sdc("--fix", out, "-o", json, a, b);
    cr_assert_eq(r.status, 1, "the original still fails: exit %d; %s", r.status, r.err);
    /* a small group: the modular default gives it to the optimal model */
    cr_assert_not_null(
        strstr(r.err, "2 complementary suppressions (optimal) (with its linked tables)"), "%s",
        r.err);
    run_result_free(&r);
    size_t len = 0;
    char *rep = read_file_bytes(json, &len);
    char *copy = str_printf("%s/a.csv", out);
    char *entry = file_entry(rep, copy);
    cr_assert_not_null(entry, "the copy is in the report");
    cr_assert_null(strstr(entry, "secondary-recoverable"), "%s", entry);
    cr_assert_not_null(strstr(entry, "linked-tables"), "audited with b.csv: %s", entry);
    char verdict[16];
    cr_assert_str_eq(entry_verdict(entry, verdict, sizeof verdict), "pass");
    free(entry);
    free(rep);
    r = run_sdc("-q", copy, b);
    cr_assert_eq(r.status, 0, "the copy and b.csv together are cleared: %d", r.status);
    run_result_free(&r);
    free(copy);
    free(json);
    free(out);
    free(a);
    free(b);
    remove_tree(dir);
}

/* Writes CSV as t.csv in DIR, fixes it with the optimal mode (exit 1,
 * standard error saying SAYS) and checks the copy: cleared (exit 0).
 * Returns the copy's path. */
static char *fixed_by_optimal(const char *dir, const char *csv, const char *says)
{
    char *table = write_file(dir, "t.csv", csv);
    char *out = str_printf("%s/fixed", dir);
    run_result r = run_sdc("--fix", out, "--suppress", "optimal", "-q", table);
    cr_assert_eq(r.status, 1, "exit %d (134 was GLPK's abort); %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, says), "%s", r.err);
    run_result_free(&r);
    char *copy = str_printf("%s/t.csv", out);
    r = run_sdc("-q", copy);
    cr_assert_eq(r.status, 0, "the optimal copy is cleared: exit %d", r.status);
    run_result_free(&r);
    free(out);
    free(table);
    return copy;
}

Test(e2e, fix_with_optimal_suppression_says_so_and_the_copy_passes)
{
    char *dir = temp_dir();
    free(fixed_by_optimal(dir,
                          "region,A,B,C,Total\nN,3,40,50,93\nS,45,35,60,140\n"
                          "E,50,55,70,175\nTotal,98,130,180,408\n",
                          "1 primary and 3 complementary suppressions (optimal)"));
    remove_tree(dir);
}

/* Found by fuzz/audit (testdata/fuzz-regressions/README.md): GLPK's MIP
 * presolver fixed every column of the optimal mode's master, and GLPK's
 * cover cuts then aborted the process (glp_cov_init on a problem of no
 * columns). North / M is missing, so hidden, and the only part of North's
 * line: North's total gives it away, so that total must be hidden too. */
Test(e2e, optimal_suppression_of_a_sparse_table_does_not_abort_in_glpk)
{
    char *dir = temp_dir();
    char *copy = fixed_by_optimal(dir,
                                  "region,sex,n\nNorth,M,\nNorth,Total,92\nSouth,F,c\n"
                                  "West,Total,45\nTotal,Total,147\n",
                                  "(optimal)");
    size_t len;
    char *text = read_file_bytes(copy, &len);
    cr_assert_not_null(strstr(text, "North,Total,c\n"), "%s", text);
    free(text);
    free(copy);
    remove_tree(dir);
}

Test(e2e, optimal_suppression_falls_back_on_a_large_table_and_says_so)
{
    /* 60 x 60 with totals: 3,721 cells, over the optimal mode's 2,000. */
    char *dir = temp_dir();
    size_t cap = 1 << 16, o = 0;
    char *csv = malloc(cap);
    o += (size_t)snprintf(csv + o, cap - o, "region");
    for (int j = 0; j < 60; j++)
        o += (size_t)snprintf(csv + o, cap - o, ",c%d", j);
    o += (size_t)snprintf(csv + o, cap - o, ",Total\n");
    int col[60] = {0}, all = 0;
    for (int i = 0; i < 60; i++) {
        int row = 0;
        o += (size_t)snprintf(csv + o, cap - o, "r%d", i);
        for (int j = 0; j < 60; j++) {
            int v = (i * 7 + j * 13) % 97 == 0 ? 3 : 20 + (i + j) % 50;
            row += v;
            col[j] += v;
            o += (size_t)snprintf(csv + o, cap - o, ",%d", v);
        }
        all += row;
        o += (size_t)snprintf(csv + o, cap - o, ",%d\n", row);
    }
    o += (size_t)snprintf(csv + o, cap - o, "Total");
    for (int j = 0; j < 60; j++)
        o += (size_t)snprintf(csv + o, cap - o, ",%d", col[j]);
    snprintf(csv + o, cap - o, ",%d\n", all);
    char *table = write_file(dir, "big.csv", csv);
    char *out = str_printf("%s/fixed", dir);
    run_result r = run_sdc("--fix", out, "--suppress", "optimal", "-q", table);
    cr_assert_not_null(strstr(r.err, "heuristic instead"), "%s", r.err);
    cr_assert_not_null(strstr(r.err, "larger than the optimal mode"), "%s", r.err);
    cr_assert_null(strstr(r.err, "(optimal)"), "%s", r.err);
    run_result_free(&r);
    free(out);
    free(table);
    free(csv);
    remove_tree(dir);
}

Test(e2e, suppress_takes_only_the_modes_it_knows)
{
    run_result r = run_sdc("--suppress", "best", "testdata/submission");
    assert_usage_error(&r, "--suppress takes modular, heuristic, optimal or quick");
    run_result_free(&r);
    r = run_sdc("protect", "--by", "region", "--suppress", "fast", "x.csv");
    assert_usage_error(&r, "--suppress takes modular, heuristic, optimal or quick");
    run_result_free(&r);
}

/* --suppress quick through the command line: on a table the audit solves
 * exactly (three dimensions, far fewer than 20,000 cells) it writes what
 * the modular default writes, byte for byte, and that passes check. */
Test(e2e, protect_quick_writes_the_modular_table_below_its_threshold)
{
    char *dir = temp_dir();
    char records[65536];
    size_t o = (size_t)snprintf(records, sizeof records, "person,region,sex,age\n");
    const char *regions[3] = {"North", "South", "East"}, *ages[3] = {"young", "middle", "old"};
    int id = 0;
    for (int g = 0; g < 3; g++)
        for (int x = 0; x < 2; x++)
            for (int a = 0; a < 3; a++) {
                /* two small groups, every other at least 12 */
                int n = (g == 0 && x == 0 && a == 0) || (g == 2 && x == 1 && a == 1) ? 3 : 12 + a;
                for (int k = 0; k < n; k++)
                    o += (size_t)snprintf(records + o, sizeof records - o, "P%04d,%s,%s,%s\n", id++,
                                          regions[g], x ? "M" : "F", ages[a]);
            }
    char *data = write_file(dir, "records.csv", records);
    char *out[2] = {str_printf("%s/modular.csv", dir), str_printf("%s/quick.csv", dir)};
    const char *mode[2] = {"modular", "quick"};
    char *text[2];
    for (int m = 0; m < 2; m++) {
        run_result r =
            run_sdc("protect", "--suppress", mode[m], "--by", "region,sex,age", "-o", out[m], data);
        cr_assert_eq(r.status, 0, "%s: exit %d: %s", mode[m], r.status, r.err);
        cr_assert_not_null(strstr(r.err, "; 2 primary and "), "%s: %s", mode[m], r.err);
        cr_assert_null(strstr(r.err, " and 0 complementary"), "%s: %s", mode[m], r.err);
        run_result_free(&r);
        size_t len = 0;
        text[m] = read_file_bytes(out[m], &len);
        r = run_sdc("-q", out[m]);
        cr_assert_eq(r.status, 0, "%s: the written table is cleared: exit %d", mode[m], r.status);
        run_result_free(&r);
    }
    cr_assert_str_eq(text[0], text[1]);
    for (int m = 0; m < 2; m++) {
        free(text[m]);
        free(out[m]);
    }
    free(data);
    remove_tree(dir);
}

Test(e2e, protect_builds_a_safe_table_from_records)
{
    char *dir = temp_dir();
    char records[8192];
    size_t o = (size_t)snprintf(records, sizeof records, "person,region,income\n");
    for (int i = 0; i < 120; i++)
        o += (size_t)snprintf(records + o, sizeof records - o, "P%03d,%s,%d\n", i,
                              i < 4   ? "Islands"
                              : i % 2 ? "North"
                                      : "South",
                              1000 + i * 7);
    char *data = write_file(dir, "records.csv", records);
    char *out = str_printf("%s/safe.csv", dir);
    run_result r = run_sdc("protect", "--by", "region", "--unit", "person", "-o", out, data);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "primary"), "%s", r.err);
    run_result_free(&r);
    size_t len = 0;
    char *safe = read_file_bytes(out, &len);
    cr_assert_not_null(strstr(safe, "Islands,c"), "the 4 islanders are suppressed:\n%s", safe);
    cr_assert_not_null(strstr(safe, "Total,120"), "every person counted once:\n%s", safe);
    free(safe);
    r = run_sdc("-q", out);
    cr_assert_eq(r.status, 0, "the safe table is cleared: exit %d", r.status);
    run_result_free(&r);
    r = run_sdc("protect", "--by", "nope", data);
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "no column 'nope'"), "%s", r.err);
    run_result_free(&r);
    free(out);
    free(data);
    remove_tree(dir);
}

/* 120 people, alternately North and South, and the first ten Northerners
 * (P000, P002, ..., P018) with a record in South too: North 60, South 70,
 * but Total 120 people, not 130. The table is written, with exit 3 and
 * the line that does not add up; check asks for review of that total. */
Test(e2e, protect_says_when_counts_of_units_do_not_add_up)
{
    char *dir = temp_dir();
    char records[4096];
    size_t o = (size_t)snprintf(records, sizeof records, "person,region\n");
    for (int i = 0; i < 120; i++)
        o += (size_t)snprintf(records + o, sizeof records - o, "P%03d,%s\n", i,
                              i % 2 ? "South" : "North");
    for (int i = 0; i < 20; i += 2)
        o += (size_t)snprintf(records + o, sizeof records - o, "P%03d,South\n", i);
    char *data = write_file(dir, "records.csv", records);
    char *out = str_printf("%s/safe.csv", dir);
    run_result r = run_sdc("protect", "--by", "region", "--unit", "person", "-o", out, data);
    cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "do not add up on 1 line (first: Total counts 120 where its "
                                     "2 parts sum to 130)"),
                       "%s", r.err);
    run_result_free(&r);
    size_t len = 0;
    char *safe = read_file_bytes(out, &len);
    cr_assert_not_null(strstr(safe, "North,60\n"), "%s", safe);
    cr_assert_not_null(strstr(safe, "South,70\n"), "%s", safe);
    cr_assert_not_null(strstr(safe, "Total,120\n"), "%s", safe);
    free(safe);
    r = run_sdc("-f", "text", out);
    cr_assert_eq(r.status, 3, "review: exit %d", r.status);
    cr_assert_not_null(strstr(r.out, "differs from the sum of its 2 parts (130)"), "%s", r.out);
    run_result_free(&r);
    free(out);
    free(data);
    remove_tree(dir);
}

Test(e2e, protect_can_round_instead_of_suppressing_complements)
{
    char *dir = temp_dir();
    char records[16384];
    size_t o = (size_t)snprintf(records, sizeof records, "person,region,sex\n");
    for (int i = 0; i < 400; i++)
        o += (size_t)snprintf(records + o, sizeof records - o, "P%03d,%s,%s\n", i,
                              i < 6   ? "Scilly"
                              : i % 3 ? "North"
                                      : "South",
                              i % 2 ? "F" : "M");
    char *data = write_file(dir, "people.csv", records);
    char *out = str_printf("%s/rounded.csv", dir);
    run_result r = run_sdc("protect", "--by", "region,sex", "--unit", "person", "--mitigation",
                           "round", "-o", out, data);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "rounded to base 5"), "%s", r.err);
    run_result_free(&r);
    size_t len = 0;
    char *table = read_file_bytes(out, &len);
    cr_assert_not_null(strstr(table, "Scilly,F,c"), "%s", table);
    cr_assert_not_null(strstr(table, "Total,Total,400"), "%s", table);
    /* every published count is a multiple of 5 */
    int counts = 0;
    for (char *line = strchr(table, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        char *end = strchr(line + 1, '\n');
        char *comma = end ? memrchr(line + 1, ',', (size_t)(end - line - 1)) : NULL;
        if (comma && comma[1] != 'c') {
            counts++;
            cr_assert_eq(atol(comma + 1) % 5, 0, "not rounded: %.*s", (int)(end - line - 1),
                         line + 1);
        }
    }
    cr_assert_gt(counts, 0, "no published count was read:\n%s", table);
    free(table);
    r = run_sdc("-q", "-p", "opensafely", out);
    cr_assert_eq(r.status, 0, "the rounded table is cleared under a rounding policy: %d", r.status);
    run_result_free(&r);
    free(out);
    free(data);
    remove_tree(dir);
}

Test(e2e, version_prints_the_version)
{
    run_result r = run_sdc("--version");
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.out, "sdccheck 0.1.0\n");
    run_result_free(&r);
    r = run_sdc("-V");
    cr_assert_str_eq(r.out, "sdccheck 0.1.0\n");
    run_result_free(&r);
}

Test(e2e, help_mentions_every_option)
{
    static const char *const words[] = {
        "-p, --policy",  "-f, --format", "-o, --output", "-j, --jobs",    "-q, --quiet",
        "-v, --verbose", "--color",      "-h, --help",   "-V, --version", "policy list",
        "show NAME",     "check FILE",   "text",         "json",          "junit",
        "Exit status",   "--table-spec", "--microdata",  "--fix",         "--suppress"};
    run_result r = run_sdc("--help");
    cr_assert_eq(r.status, 0);
    cr_assert_eq(r.err_len, 0);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        cr_assert_not_null(strstr(r.out, words[i]), "--help does not mention '%s'", words[i]);
    run_result_free(&r);
}

Test(e2e, policy_list_names_the_shipped_policies)
{
    static const char *const names[] = {"ons-srs", "acro-default", "eurostat", "opensafely"};
    run_result r = run_sdc("policy", "list");
    cr_assert_eq(r.status, 0, "%s", r.err);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *line_start = str_printf("\n%s ", names[i]);
        bool first = strncmp(r.out, line_start + 1, strlen(line_start + 1)) == 0;
        cr_assert(first || strstr(r.out, line_start), "'%s' not listed:\n%s", names[i], r.out);
        free(line_start);
    }
    cr_assert_not_null(strstr(r.out, "(default)"), "%s", r.out);
    run_result_free(&r);
}

Test(e2e, policy_show_prints_yaml_with_the_threshold)
{
    run_result r = run_sdc("policy", "show", "opensafely");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "\nname: \"opensafely\"\n"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "\nthreshold: 8\n"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "\nrounding_base: 5\n"), "%s", r.out);
    run_result_free(&r);
    r = run_sdc("policy", "show", "nope");
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "nope"), "%s", r.err);
    run_result_free(&r);
}

Test(e2e, policy_check_reports_a_typo_with_its_line_number)
{
    char *dir = temp_dir();
    char *path = write_file(dir, "typo.yaml",
                            "# a policy with a misspelt key on line 4\n"
                            "name: typo\n"
                            "extends: ons-srs\n"
                            "threshhold: 3\n");
    run_result r = run_sdc("policy", "check", path);
    cr_assert_neq(r.status, 0, "a policy with a typo was accepted: %s", r.out);
    cr_assert_neq(r.status, 2, "the checker could not run: %s", r.err);
    char *where = str_printf("%s:4:", path);
    cr_assert_not_null(strstr(r.err, where), "no '%s' in: %s", where, r.err);
    cr_assert_not_null(strstr(r.err, "threshhold"), "%s", r.err);
    run_result_free(&r);

    /* the same file as -p cannot be used to check anything */
    r = run_sdc("-p", path, "testdata/submission/region_by_sex.csv");
    cr_assert_eq(r.status, 2, "exit %d", r.status);
    cr_assert_not_null(strstr(r.err, where), "%s", r.err);
    free(where);
    free(path);
    run_result_free(&r);
    remove_tree(dir);
}

Test(e2e, policy_check_accepts_a_valid_policy)
{
    char *dir = temp_dir();
    char *path = write_file(dir, "ok.yaml", "name: lenient\nextends: ons-srs\nthreshold: 3\n");
    run_result r = run_sdc("policy", "check", path);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "valid policy"), "%s", r.out);
    free(path);
    run_result_free(&r);
    remove_tree(dir);
}

Test(e2e, custom_policy_file_changes_the_verdict)
{
    char *dir = temp_dir();
    char *policy =
        write_file(dir, "lenient.yaml", "name: lenient\nextends: ons-srs\nthreshold: 3\n");
    char *table = write_file(dir, "counts.csv", "region,count\nNorth,5\nSouth,20\nEast,14\n");
    run_result r = run_sdc("-q", table);
    cr_assert_eq(r.status, 1, "5 < 10 should fail under ons-srs: %s", r.out);
    run_result_free(&r);
    r = run_sdc("-q", "-p", policy, table);
    cr_assert_eq(r.status, 0, "5 >= 3 should pass under the custom policy: %s%s", r.out, r.err);
    run_result_free(&r);
    r = run_sdc("-f", "json", "-p", policy, table);
    cr_assert_not_null(strstr(r.out, "\"name\": \"lenient\""), "policy name not reported");
    cr_assert_not_null(strstr(r.out, "\"threshold\": 3,"), "threshold not reported");
    free(policy);
    free(table);
    run_result_free(&r);
    remove_tree(dir);
}

Test(e2e, junit_report_is_well_formed_with_a_failure)
{
    run_result r = run_sdc("-f", "junit", "testdata/submission/deaths_by_ward.csv",
                           "testdata/submission/region_by_sex.csv", "testdata/bad/ragged.csv");
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "<testsuites"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "<failure"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "name=\"testdata/submission/deaths_by_ward.csv\""));
    char why[160] = "";
    cr_assert(xml_well_formed(r.out, why, sizeof why), "not well-formed XML: %s\n%s", why, r.out);

    /* A real XML parser: Debian's python3 (tools/setup.sh installs it). */
    SDC_TEST_NEED_TOOL("/usr/bin/python3", "python3");
    char *dir = temp_dir();
    char *xml = write_file(dir, "report.xml", r.out);
    run_result p = run_program(
        "/usr/bin/python3",
        (const char *const[]){
            "-c", "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])", xml, NULL},
        NULL);
    cr_assert_eq(p.status, 0, "python's XML parser rejects the report: %s", p.err);
    run_result_free(&p);
    free(xml);
    remove_tree(dir);
    run_result_free(&r);
}

Test(e2e, output_format_follows_the_file_name)
{
    char *dir = temp_dir();
    char *xml = str_printf("%s/report.xml", dir);
    char *json = str_printf("%s/report.json", dir);
    run_result r = run_sdc("-o", xml, "-o", json, "testdata/submission/region_by_sex.csv");
    cr_assert_eq(r.status, 0, "%s", r.err);
    size_t n = 0;
    char *text = read_file_bytes(xml, &n);
    cr_assert(text && strstr(text, "<testsuites"), "%s is not JUnit", xml);
    free(text);
    text = read_file_bytes(json, &n);
    cr_assert(text && strstr(text, "\"schema\": \"sdccheck-report\""), "%s is not JSON", json);
    free(text);
    free(xml);
    free(json);
    run_result_free(&r);
    remove_tree(dir);
}

Test(e2e, each_format_goes_to_its_own_output)
{
    char *dir = temp_dir();
    char *a = str_printf("%s/a.json", dir);
    char *b = str_printf("%s/b.txt", dir);
    run_result r = run_sdc("-f", "json", "-o", a, "-f", "text", "-o", b,
                           "testdata/submission/deaths_by_ward.csv");
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert_eq(r.out_len, 0, "stdout should be empty: %s", r.out);
    size_t n = 0;
    char *json = read_file_bytes(a, &n);
    cr_assert(json && json[0] == '{' && strstr(json, "\"verdict\": \"fail\""), "a.json: %s",
              json ? json : "(missing)");
    char *text = read_file_bytes(b, &n);
    cr_assert(text && strstr(text, "FAIL   testdata/submission/deaths_by_ward.csv") &&
                  strstr(text, "Verdict: FAIL"),
              "b.txt: %s", text ? text : "(missing)");
    cr_assert_null(strstr(text, "\x1b["), "a text file gets no colour");
    free(json);
    free(text);
    free(a);
    free(b);
    run_result_free(&r);
    remove_tree(dir);
}

Test(e2e, quiet_prints_only_the_summary_line)
{
    run_result r = run_sdc("-q", "testdata/submission");
    cr_assert_eq(r.status, 1);
    cr_assert_eq(count_char(r.out, r.out_len, '\n'), 1, "more than one line:\n%s", r.out);
    cr_assert_str_eq(r.out, "sdccheck: 6 files: 3 pass, 1 review, 2 fail. Verdict: FAIL\n");
    run_result_free(&r);
}

Test(e2e, verbose_prints_at_least_what_the_default_does)
{
    run_result d = run_sdc("testdata/generated");
    run_result v = run_sdc("-v", "testdata/generated");
    cr_assert_eq(d.status, v.status);
    cr_assert_geq(v.out_len, d.out_len, "-v printed less than the default");
    run_result_free(&d);
    run_result_free(&v);
}

Test(e2e, color_always_uses_escapes_and_never_does_not)
{
    const char *failing = "testdata/submission/deaths_by_ward.csv";
    run_result r = run_sdc("--color=always", failing);
    cr_assert_eq(r.status, 1);
    cr_assert_not_null(memchr(r.out, '\x1b', r.out_len), "no ESC with --color=always");
    run_result_free(&r);
    r = run_sdc("--color", "always", failing);
    cr_assert_not_null(memchr(r.out, '\x1b', r.out_len), "no ESC with --color always");
    run_result_free(&r);
    r = run_sdc("--color=never", failing);
    cr_assert_null(memchr(r.out, '\x1b', r.out_len), "ESC with --color=never");
    run_result_free(&r);
    /* auto: standard output here is a file, not a terminal */
    r = run_sdc(failing);
    cr_assert_null(memchr(r.out, '\x1b', r.out_len), "ESC when stdout is not a terminal");
    run_result_free(&r);
    /* colour is for text only */
    r = run_sdc("--color=always", "-f", "json", failing);
    cr_assert_null(memchr(r.out, '\x1b', r.out_len), "ESC in a JSON report");
    run_result_free(&r);
}

/* --color=auto (the default) colours a terminal, unless NO_COLOR is set or
 * TERM is dumb; the terminal here is a pseudo-terminal. */
Test(e2e, color_auto_follows_the_terminal_no_color_and_term)
{
    const char *const args[] = {"testdata/submission/deaths_by_ward.csv", NULL};
    static const char *const plain_env[] = {"TERM=xterm", NULL};
    static const char *const no_color_env[] = {"TERM=xterm", "NO_COLOR=1", NULL};
    static const char *const dumb_env[] = {"TERM=dumb", NULL};
    run_options tty = {.stdout_tty = true, .env = plain_env};
    run_result r = run_sdc_with(&tty, args);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "FAIL"), "nothing read from the terminal: %s", r.out);
    cr_assert_not_null(memchr(r.out, '\x1b', r.out_len), "no colour on a terminal");
    run_result_free(&r);

    tty.env = no_color_env;
    r = run_sdc_with(&tty, args);
    cr_assert_not_null(strstr(r.out, "FAIL"), "%s", r.out);
    cr_assert_null(memchr(r.out, '\x1b', r.out_len), "colour despite NO_COLOR");
    run_result_free(&r);

    tty.env = dumb_env;
    r = run_sdc_with(&tty, args);
    cr_assert_not_null(strstr(r.out, "FAIL"), "%s", r.out);
    cr_assert_null(memchr(r.out, '\x1b', r.out_len), "colour despite TERM=dumb");
    run_result_free(&r);

    tty.env = no_color_env;
    r = run_sdc_with(&tty, (const char *const[]){"--color=always", args[0], NULL});
    cr_assert_not_null(memchr(r.out, '\x1b', r.out_len), "--color=always loses to NO_COLOR");
    run_result_free(&r);
}

Test(e2e, jobs_do_not_change_the_report, .timeout = 60)
{
    run_result one = run_sdc("-j", "1", "-f", "json", "testdata/generated", "testdata/submission");
    run_result four = run_sdc("-j", "4", "-f", "json", "testdata/generated", "testdata/submission");
    cr_assert_eq(one.status, 1, "%s", one.err);
    cr_assert_eq(four.status, one.status);
    cr_assert(one.out_len > 0 && one.out_len == four.out_len &&
                  memcmp(one.out, four.out, one.out_len) == 0,
              "-j 1 and -j 4 give different reports");
    run_result_free(&one);
    run_result_free(&four);
}

Test(e2e, reports_are_reproducible_with_source_date_epoch)
{
    run_result a = run_sdc("-f", "json", "testdata/submission");
    run_result b = run_sdc("-f", "json", "testdata/submission");
    cr_assert_not_null(strstr(a.out, "\"created\": \"1970-01-01T00:00:00Z\""), "%s", a.out);
    cr_assert(a.out_len == b.out_len && memcmp(a.out, b.out, a.out_len) == 0);
    run_result_free(&a);
    run_result_free(&b);
}

/* ==== 3. failing closed ==== */

typedef struct file_state {
    char name[256];
    struct stat st;
    char *bytes;
    size_t len;
} file_state;

static size_t snapshot_folder(const char *dir, file_state *out, size_t cap)
{
    size_t n = 0;
    struct dirent **names = NULL;
    int count = scandir(dir, &names, NULL, alphasort);
    cr_assert(count >= 0, "scandir %s: %s", dir, strerror(errno));
    for (int i = 0; i < count; i++) {
        if (names[i]->d_name[0] != '.' && n < cap) {
            file_state *f = &out[n++];
            int len = snprintf(f->name, sizeof f->name, "%s/%s", dir, names[i]->d_name);
            cr_assert(len > 0 && (size_t)len < sizeof f->name, "name too long");
            cr_assert_eq(lstat(f->name, &f->st), 0);
            f->bytes = read_file_bytes(f->name, &f->len);
            cr_assert_not_null(f->bytes, "cannot read %s", f->name);
        }
        free(names[i]);
    }
    free(names);
    return n;
}

Test(e2e, input_files_are_never_modified)
{
    file_state before[32], after[32];
    size_t n = snapshot_folder("testdata/bad", before, 32);
    cr_assert_gt(n, 0);
    char *dir = temp_dir();
    char *report = str_printf("%s/report.json", dir);
    run_result r =
        run_sdc("-f", "json", "-o", report, "-f", "text", "-o", "/dev/null", "testdata/bad");
    cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    size_t m = snapshot_folder("testdata/bad", after, 32);
    cr_assert_eq(m, n, "files appeared or vanished in testdata/bad");
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(after[i].name, before[i].name);
        cr_assert(after[i].len == before[i].len &&
                      memcmp(after[i].bytes, before[i].bytes, before[i].len) == 0,
                  "%s: content changed", before[i].name);
        cr_assert(after[i].st.st_mtim.tv_sec == before[i].st.st_mtim.tv_sec &&
                      after[i].st.st_mtim.tv_nsec == before[i].st.st_mtim.tv_nsec,
                  "%s: mtime changed", before[i].name);
        cr_assert_eq(after[i].st.st_mode, before[i].st.st_mode, "%s: mode changed", before[i].name);
        cr_assert_eq(after[i].st.st_ino, before[i].st.st_ino, "%s: replaced", before[i].name);
        free(before[i].bytes);
        free(after[i].bytes);
    }
    free(report);
    run_result_free(&r);
    remove_tree(dir);
}

Test(e2e, symlink_out_of_the_folder_is_reported_not_followed)
{
    char *dir = temp_dir();
    char *root = str_printf("%s/submission", dir);
    cr_assert_eq(mkdir(root, 0755), 0);
    /* outside the submitted folder: a table that would fail if read */
    char *outside = write_file(dir, "outside.csv", "region,count\nNorth,3\nSouth,40\n");
    char *ok = write_file(root, "ok.csv", "region,count\nNorth,30\nSouth,40\n");
    char *rel = str_printf("%s/relative.csv", root);
    char *abs = str_printf("%s/absolute.csv", root);
    cr_assert_eq(symlink("../outside.csv", rel), 0);
    cr_assert_eq(symlink(outside, abs), 0);

    run_result r = run_sdc("-f", "json", root);
    cr_assert_eq(r.status, 3, "exit %d (1 would mean the link was followed): %s", r.status, r.err);
    cr_assert(!has_finding(r.out, "threshold", 0), "the target outside the folder was read");
    const char *links[] = {rel, abs};
    for (size_t i = 0; i < 2; i++) {
        char *entry = file_entry(r.out, links[i]);
        char buf[16];
        cr_assert_not_null(entry, "%s is not in the report", links[i]);
        cr_assert_str_eq(entry_verdict(entry, buf, sizeof buf), "review", "%s", entry);
        cr_assert_not_null(strstr(entry, "outside"), "no 'outside' in: %s", entry);
        cr_assert_not_null(strstr(entry, "\"sha256\": null"), "the target was hashed: %s", entry);
        free(entry);
    }
    char *entry = file_entry(r.out, ok);
    char buf[16];
    cr_assert_str_eq(entry_verdict(entry, buf, sizeof buf), "pass", "%s", entry);
    free(entry);
    free(outside);
    free(ok);
    free(rel);
    free(abs);
    free(root);
    run_result_free(&r);
    remove_tree(dir);
}

Test(e2e, broken_symlink_needs_review)
{
    char *dir = temp_dir();
    char *link = str_printf("%s/gone.csv", dir);
    cr_assert_eq(symlink("no-such-table.csv", link), 0);
    run_result r = run_sdc("-f", "json", dir);
    cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    char *entry = file_entry(r.out, link);
    char buf[16];
    cr_assert_not_null(entry, "the broken link is not in the report:\n%s", r.out);
    cr_assert_str_eq(entry_verdict(entry, buf, sizeof buf), "review", "%s", entry);
    cr_assert_not_null(strstr(entry, "broken"), "%s", entry);
    free(entry);
    free(link);
    run_result_free(&r);
    remove_tree(dir);
}

Test(e2e, fifo_is_reported_and_does_not_hang, .timeout = 10)
{
    char *dir = temp_dir();
    char *fifo = str_printf("%s/pipe.csv", dir);
    cr_assert_eq(mkfifo(fifo, 0644), 0, "mkfifo: %s", strerror(errno));
    free(write_file(dir, "ok.csv", "region,count\nNorth,30\nSouth,40\n"));
    run_options opt = {.timeout = 8};

    /* in a folder */
    run_result r = run_sdc_with(&opt, (const char *const[]){"-f", "json", dir, NULL});
    cr_assert(!r.timed_out, "sdccheck hung on a FIFO inside a folder");
    cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    char *entry = file_entry(r.out, fifo);
    char buf[16];
    cr_assert_not_null(entry, "the FIFO is not in the report:\n%s", r.out);
    cr_assert_str_eq(entry_verdict(entry, buf, sizeof buf), "review", "%s", entry);
    cr_assert_not_null(strstr(entry, "not a regular file"), "%s", entry);
    free(entry);
    run_result_free(&r);

    /* named on the command line */
    r = run_sdc_with(&opt, (const char *const[]){"-f", "json", fifo, NULL});
    cr_assert(!r.timed_out, "sdccheck hung on a FIFO named as a PATH");
    cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    cr_assert_not_null(strstr(r.out, "not a regular file"), "%s", r.out);
    free(fifo);
    run_result_free(&r);
    remove_tree(dir);
}

/* Whether the nobody user can reach PATH: every ancestor searchable. */
static bool world_traversable(const char *path)
{
    char *copy = strdup(path);
    bool ok = true;
    for (char *slash = copy; ok && slash;) {
        slash = strchr(slash + 1, '/');
        if (slash)
            *slash = '\0';
        struct stat st;
        ok = stat(*copy ? copy : "/", &st) == 0 && (st.st_mode & S_IXOTH);
        if (slash)
            *slash = '/';
    }
    free(copy);
    return ok;
}

Test(e2e, unreadable_folder_needs_review, .timeout = 30)
{
    char *dir = temp_dir();
    free(write_file(dir, "ok.csv", "region,count\nNorth,30\nSouth,40\n"));
    char *locked = str_printf("%s/locked", dir);
    cr_assert_eq(mkdir(locked, 0755), 0);
    free(write_file(locked, "hidden.csv", "region,count\nNorth,3\nSouth,40\n"));
    cr_assert_eq(chmod(locked, 0000), 0);

    /* root reads any folder: drop to nobody, as a reviewer's account would be */
    run_options opt = {.as_nobody = geteuid() == 0};
    if (opt.as_nobody && !world_traversable(dir)) {
        remove_tree(dir);
        cr_skip_test("the temporary folder is not reachable by nobody (set TMPDIR)");
    }
    char cwd[4096];
    if (opt.as_nobody && (!getcwd(cwd, sizeof cwd) || !world_traversable(cwd))) {
        remove_tree(dir);
        cr_skip_test("the repository is not reachable by nobody");
    }
    run_result r = run_sdc_with(&opt, (const char *const[]){"-f", "json", dir, NULL});
    if (!opt.as_nobody && r.status == 0) {
        run_result_free(&r);
        remove_tree(dir);
        cr_skip_test("this user can read a mode-000 folder");
    }
    cr_assert_neq(r.status, 126, "could not drop privileges to nobody");
    cr_assert_neq(r.status, 127, "nobody cannot execute %s", tool_path());
    cr_assert_eq(r.status, 3, "exit %d: %s\n%s", r.status, r.err, r.out);
    cr_assert(!has_finding(r.out, "threshold", 0), "the locked folder was read");
    char *entry = file_entry(r.out, locked);
    char buf[16];
    cr_assert_not_null(entry, "the unreadable folder is not in the report:\n%s", r.out);
    cr_assert_str_eq(entry_verdict(entry, buf, sizeof buf), "review", "%s", entry);
    cr_assert_not_null(strstr(entry, "Permission denied"), "%s", entry);
    free(entry);
    free(locked);
    run_result_free(&r);
    remove_tree(dir);
}

Test(e2e, huge_single_field_is_malformed_not_a_crash, .timeout = 60)
{
    char *dir = temp_dir();
    char *path = str_printf("%s/one-field.csv", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    static char chunk[1 << 20];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(fwrite(chunk, 1, sizeof chunk, f), sizeof chunk);
    cr_assert_eq(fclose(f), 0);

    run_options opt = {.timeout = 30};
    run_result r = run_sdc_with(&opt, (const char *const[]){"-f", "json", path, NULL});
    cr_assert(!r.timed_out, "no answer after 30 s");
    cr_assert_lt(r.status, 128, "killed by signal %d: %s", r.status - 128, r.err);
    cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    cr_assert(has_finding(r.out, "malformed", 0), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "\"size\": 10485760,"), "the whole file is not accounted");
    cr_assert_lt(r.seconds, 10.0, "took %.1f s for 10 MB", r.seconds);
    free(path);
    run_result_free(&r);
    remove_tree(dir);
}

/* ==== 4. rules the shipped test data does not reach ==== */

Test(e2e, dominant_category_fails_group_disclosure)
{
    char *dir = temp_dir();
    char *table = write_file(dir, "tenure.csv",
                             "region,Owner,Renter\nNorth,950,50\nSouth,400,600\nEast,300,100\n");
    run_result r = run_sdc("-f", "json", table);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert(has_finding(r.out, "group-disclosure", 2), "no group-disclosure at line 2:\n%s",
              r.out);
    cr_assert(!has_finding(r.out, "group-disclosure", 3));
    cr_assert(!has_finding(r.out, "group-disclosure", 4));
    free(table);
    run_result_free(&r);
    remove_tree(dir);
}

/* ==== 5. what a table's own numbers give away, and fail-closed ==== */

/* testdata/generated/README.md: each "c" is exactly recoverable from its
 * row or column total (line 2: 95 - 12 - 30 - 48 = 5; line 6: Mortgage 8
 * and Private rent 0 from the column totals). Clearing it would be a leak. */
Test(e2e, suppressed_cell_recoverable_from_a_total_fails)
{
    run_result r = run_sdc("-f", "json", "testdata/generated/py_crosstab_primary_only.csv");
    int status = r.status;
    bool line2 = has_finding(r.out, "secondary-recoverable", 2);
    bool line6 = has_finding(r.out, "secondary-recoverable", 6);
    run_result_free(&r);
    cr_assert_neq(status, 2, "sdccheck could not run");
    cr_assert_neq(status, 0,
                  "cleared a table whose suppressed cells can be recomputed from its totals");
    cr_assert(line2, "no secondary-recoverable at line 2 (16-24 / Owned outright = 5)");
    cr_assert(line6, "no secondary-recoverable at line 6 (65+ / Mortgage = 8)");
    cr_assert_eq(status, 1);
}

/* pandas writes an unflattened header as three rows: the measure, the
 * statistic, and the index name ("region,,,,"). The third is header, not a
 * row of suppressed cells (testdata/generated/README.md: the findings of
 * py_groupby_agg.csv, two lines further down). */
Test(e2e, pandas_index_name_row_is_header_not_data)
{
    run_result r = run_sdc("-f", "json", "testdata/generated/py_groupby_agg_multiheader.csv");
    int status = r.status;
    bool rows6 = strstr(r.out, "\"rows\": 6,") != NULL;
    bool at3 = has_finding(r.out, "contributors-missing", 3) ||
               has_finding(r.out, "threshold", 3) || has_finding(r.out, "min-max", 3);
    bool expected = has_finding(r.out, "threshold", 4) && has_finding(r.out, "nk-rule", 8) &&
                    has_finding(r.out, "min-max", 4);
    run_result_free(&r);
    cr_assert_eq(status, 1);
    cr_assert(expected, "threshold at line 4, nk-rule at 8, min-max at 4 expected");
    cr_assert(rows6, "the index-name row \"region,,,,\" (line 3) is counted as a data row");
    cr_assert(!at3, "a finding points at line 3, a header row");

    /* the same header shape on a safe crosstab with totals */
    char *dir = temp_dir();
    char *table = write_file(dir, "by_sex.csv",
                             ",sex,sex,sex\n,Female,Male,Total\nregion,,,\n"
                             "North,40,50,90\nSouth,30,20,50\nTotal,70,70,140\n");
    r = run_sdc("-f", "json", table);
    status = r.status;
    bool recoverable = has_finding(r.out, "secondary-recoverable", 0);
    run_result_free(&r);
    free(table);
    remove_tree(dir);
    cr_assert(!recoverable, "the empty cells of the header row are read as suppressed cells");
    cr_assert_eq(status, 0, "a safe table is not cleared (exit %d)", status);
}

/* "sum" is the first of the policy's magnitude_names (doc/design.md, "Layouts"): a sum
 * published with n but no largest contributions is contributors-missing,
 * as "turnover" or "total_sales" are, not a column of counts. */
Test(e2e, column_named_sum_is_a_magnitude)
{
    char *dir = temp_dir();
    char *table = write_file(dir, "sales.csv", "region,n,sum\nNorth,40,500\nSouth,30,200\n");
    run_result r = run_sdc("-f", "json", table);
    int status = r.status;
    bool missing = has_finding(r.out, "contributors-missing", 0);
    run_result_free(&r);
    free(table);
    remove_tree(dir);
    cr_assert(missing, "no contributors-missing for a sum without max1/max2");
    cr_assert_eq(status, 3, "exit %d", status);
}

/* A "table" with no measure at all is not something the rules understood:
 * here, record-level names and diagnoses. Fail closed (doc/design.md, "Exit status" and "File
 * classes"). */
Test(e2e, table_without_any_measure_is_never_cleared)
{
    char *dir = temp_dir();
    char *table =
        write_file(dir, "patients.csv", "name,diagnosis\nJohn Smith,HIV\nJane Doe,Diabetes\n");
    run_result r = run_sdc("-q", table);
    int status = r.status;
    run_result_free(&r);
    free(table);
    remove_tree(dir);
    cr_assert_neq(status, 2, "sdccheck could not run");
    cr_assert_neq(status, 0, "a list of names and diagnoses was cleared");
}
