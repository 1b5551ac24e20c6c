/* helpers.h - small helpers shared by the Criterion tests. */
#ifndef SDC_TEST_HELPERS_H
#define SDC_TEST_HELPERS_H

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sdccheck/sdccheck.h"
#include "need_tool.h"

extern char **environ;

/* The binary the end-to-end tests run: $SDCCHECK_BIN, or build/sdccheck. */
static inline const char *sdc_test_binary(void)
{
    const char *b = getenv("SDCCHECK_BIN");
    return b && *b ? b : "build/sdccheck";
}

/* An argument vector for the binary: ARGV[0] the binary, then ARGS
 * (NULL-terminated, at most 30), then NULL. */
static inline void sdc_test_argv(const char *argv[32], const char *const *args)
{
    size_t n = 1;
    argv[0] = sdc_test_binary();
    for (; args[n - 1]; n++) {
        cr_assert_lt(n, 31, "more than 30 arguments");
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
}

/* Everything left to read from F (a file or a pipe), malloc'd and
 * NUL-terminated (NULL when out of memory); F stays open. Not inlined:
 * GCC takes the stream's hold on the local pointer for a dangling pointer
 * once this is inlined into a caller that writes through the result. */
__attribute__((noinline, unused)) static char *sdc_test_read_all(FILE *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    char buf[65536];
    size_t n;
    while (m && (n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, m);
    if (m)
        fclose(m);
    return text;
}

/* The whole of the file at PATH, malloc'd and NUL-terminated, or NULL
 * when it cannot be read. */
static inline char *sdc_test_slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = sdc_test_read_all(f);
    fclose(f);
    return text;
}

/* What sdc_test_run gives back: the exit status (128 + N when killed by
 * signal N) and standard output and error, malloc'd (sdc_test_ran_free). */
typedef struct sdc_test_ran {
    int status;
    char *out, *err;
} sdc_test_ran;

/*
 * Runs the binary with ARGS (NULL-terminated, without argv[0]) in a
 * forked child: at most FSIZE bytes per file written (RLIMIT_FSIZE, with
 * SIGXFSZ at its default, so that sdccheck must cope with it itself; 0:
 * no limit), and SOURCE_DATE_EPOCH set to EPOCH (NULL: unset).
 */
__attribute__((unused)) static sdc_test_ran sdc_test_run(long fsize, const char *epoch,
                                                         const char *const *args)
{
    char out[] = "/tmp/sdc-out-XXXXXX", err[] = "/tmp/sdc-err-XXXXXX";
    int fo = mkstemp(out), fe = mkstemp(err);
    cr_assert(fo >= 0 && fe >= 0);
    size_t n = 0;
    while (args[n])
        n++;
    const char **argv = calloc(n + 2, sizeof *argv); /* as many arguments as given */
    cr_assert_not_null(argv);
    argv[0] = sdc_test_binary();
    memcpy(argv + 1, args, n * sizeof *argv);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_DFL);
        if (epoch)
            setenv("SOURCE_DATE_EPOCH", epoch, 1);
        else
            unsetenv("SOURCE_DATE_EPOCH");
        if (fsize > 0) {
            struct rlimit lim = {(rlim_t)fsize, (rlim_t)fsize};
            if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
                _exit(125);
        }
        dup2(fo, STDOUT_FILENO);
        dup2(fe, STDERR_FILENO);
        execv(argv[0], (char *const *)argv);
        _exit(126);
    }
    free(argv);
    int st = 0;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    sdc_test_ran r = {.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st)};
    close(fo);
    close(fe);
    r.out = sdc_test_slurp(out);
    r.err = sdc_test_slurp(err);
    cr_assert(r.out && r.err);
    unlink(out);
    unlink(err);
    return r;
}

static inline void sdc_test_ran_free(sdc_test_ran *r)
{
    free(r->out);
    free(r->err);
}

/* Runs sdccheck -q -f json -o FILE [OPTION VALUE] PATH (stderr to
 * /dev/null; OPTION NULL: none): its JSON report, malloc'd (NULL when it
 * wrote none), its exit status in *STATUS (-1 when it did not exit) and,
 * when PEAK_KIB is not NULL, its peak resident memory in KiB. */
static inline char *sdc_test_json_run(const char *option, const char *value, const char *path,
                                      int *status, long *peak_kib)
{
    char out[] = "/tmp/sdc-report-XXXXXX";
    int fd = mkstemp(out);
    *status = -1;
    if (fd < 0)
        return NULL;
    close(fd);
    char *argv[] = {
        (char *)sdc_test_binary(), "-q", "-f", "json", "-o", out, (char *)path, NULL, NULL, NULL};
    if (option) {
        argv[6] = (char *)option;
        argv[7] = (char *)value;
        argv[8] = (char *)path;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int st = 0;
    struct rusage ru = {0};
    if (rc == 0 && wait4(pid, &st, 0, &ru) == pid && WIFEXITED(st))
        *status = WEXITSTATUS(st);
    if (peak_kib)
        *peak_kib = ru.ru_maxrss;
    char *text = sdc_test_slurp(out);
    unlink(out);
    return text;
}

/* Runs sdccheck -q -f json [-p POLICY] PATH: sdc_test_json_run. */
static inline char *sdc_test_json_report_policy(const char *policy, const char *path, int *status)
{
    return sdc_test_json_run(policy ? "-p" : NULL, policy, path, status, NULL);
}

/* sdc_test_json_report_policy with the default policy. */
static inline char *sdc_test_json_report(const char *path, int *status)
{
    return sdc_test_json_report_policy(NULL, path, status);
}

/* Number of findings in LIST with rule id RULE. */
static inline size_t count_rule(const sdc_findings *list, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].rule, rule) == 0)
            n++;
    return n;
}

/* The result whose path is PATH among the N results RS, or NULL. */
static inline const sdc_file_result *find_path(const sdc_file_result *rs, size_t n,
                                               const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rs[i].path, path) == 0)
            return &rs[i];
    return NULL;
}

/* The first finding with rule id RULE, or NULL. */
static inline const sdc_finding *find_rule(const sdc_findings *list, const char *rule)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].rule, rule) == 0)
            return &list->items[i];
    return NULL;
}

/* Makes a private folder /tmp/sdc-NAME-XXXXXX in DIR (SIZE bytes).
 * Returns DIR, or NULL. */
static inline char *temp_dir_make(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "/tmp/sdc-%s-XXXXXX", name);
    return mkdtemp(dir);
}

/* Removes DIR and everything in it. Returns 0 on success. */
static inline int temp_dir_remove(const char *dir)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

/* Writes TEXT to DIR/NAME; returns the path (malloc'd), or NULL. */
static inline char *put_file(const char *dir, const char *name, const char *text)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s", dir, name) < 0)
        return NULL;
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

/* Reads CSV text into a laid-out table with POLICY; findings of reading
 * and layout go to F. The caller frees the table. */
static inline sdc_table *layout_csv(const char *csv, const sdc_policy *policy, sdc_findings *f)
{
    sdc_csv_reader *r = sdc_csv_reader_new(policy, f);
    sdc_csv_reader_feed(r, csv, strlen(csv));
    sdc_table *t = sdc_csv_reader_finish(r);
    sdc_csv_reader_free(r);
    if (t)
        sdc_table_infer_layout(t, policy, f);
    return t;
}

/* Reads, lays out and checks CSV text; returns the findings (caller frees
 * with sdc_findings_free). */
static inline sdc_findings check_csv(const char *csv, const sdc_policy *policy)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    if (t) {
        sdc_id_scanner *s = sdc_id_scanner_new(policy, NULL);
        sdc_table_check(t, policy, s, &f);
        sdc_id_scanner_free(s);
        sdc_table_free(t);
    }
    return f;
}

/* CSV text read and laid out as a table, its findings dropped (never
 * NULL: the test fails first). */
static inline sdc_table *sdc_test_layout(const char *csv, const sdc_policy *policy)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_findings_free(&f);
    cr_assert_not_null(t);
    return t;
}

/* T written as CSV text, and freed; the caller frees the text. */
static inline char *sdc_test_table_text(sdc_table *t)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_eq(sdc_table_write_csv(t, ',', m), 0);
    fclose(m);
    sdc_table_free(t);
    return text;
}

/* Protects CSV with MODE (LIMIT seconds for the optimal mode), fills RES;
 * returns the protected table as CSV text (caller frees). */
static inline char *sdc_test_protect_text(const char *csv, const sdc_policy *policy,
                                          const sdc_id_scanner *scanner, sdc_suppress_mode mode,
                                          double limit, sdc_protect_result *res)
{
    sdc_table *t = sdc_test_layout(csv, policy);
    cr_assert_eq(sdc_table_protect_mode(t, policy, scanner, mode, limit, res), 0);
    return sdc_test_table_text(t);
}

/* What `check` finds wrong with a written table: cells below the
 * threshold, and hidden cells its audit (values unknown) finds
 * recoverable or narrow, or totals that cannot hold. */
static inline size_t sdc_test_recheck_problems(const char *text, const sdc_policy *policy)
{
    sdc_findings f = check_csv(text, policy);
    size_t n = count_rule(&f, "threshold") + count_rule(&f, "secondary-recoverable") +
               count_rule(&f, "secondary-narrow") + count_rule(&f, "totals-mismatch");
    sdc_findings_free(&f);
    return n;
}

/* Writes LEN deterministic bytes to PATH: lines of text when TEXT, else
 * bytes of a linear congruential sequence. Returns 0 on success. */
static inline int put_sized_file(const char *path, size_t len, bool text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    unsigned long x = 12345;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245ul + 12345ul;
        int c =
            text ? (i % 61 == 60 ? '\n' : 'a' + (int)((x >> 16) % 26)) : (int)((x >> 16) & 0xff);
        if (fputc(c, f) == EOF) {
            fclose(f);
            return -1;
        }
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* The SHA-256 of PATH as `sha256sum` (GNU coreutils, an independent
 * implementation) prints it, into HEX (65 bytes). Returns 0 on success. */
static inline int sha256sum_of(const char *path, char hex[65])
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "sha256sum < '%s'", path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    int ok = fscanf(p, "%64[0-9a-f]", hex) == 1 && strlen(hex) == 64;
    return pclose(p) == 0 && ok ? 0 : -1;
}

#endif
