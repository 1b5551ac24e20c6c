/*
 * ledger_helpers.h - what the ledger's end-to-end tests share
 * (test_ledger.c, test_ledger_audit.c): the binary run with its output
 * kept, and shell commands whose output is the expected value (the
 * sqlite3 shell, python3), never sdccheck's own.
 */
#ifndef SDC_TEST_LEDGER_HELPERS_H
#define SDC_TEST_LEDGER_HELPERS_H

#include <stdarg.h>

#include "helpers.h"

#define SQLITE3 "/usr/bin/sqlite3"
#define PYTHON3 "/usr/bin/python3"

typedef struct run {
    int status;
    char *out, *err;
} run;

static inline void run_free(run *r)
{
    free(r->out);
    free(r->err);
}

/* Runs sdccheck with ARGS (shell words, quoted by the caller) from the
 * repository; its output is kept in DIR (stdout, stderr). */
static run sdc(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static run sdc(const char *dir, const char *fmt, ...)
{
    char args[4096], cmd[8192], out[600], err[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    snprintf(cmd, sizeof cmd, "'%s' %s > '%s' 2> '%s'", sdc_test_binary(), args, out, err);
    int st = system(cmd);
    run r = {.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1};
    r.out = sdc_test_slurp(out);
    r.err = sdc_test_slurp(err);
    cr_assert(r.out && r.err, "no output from: %s", cmd);
    return r;
}

/* What the shell command CMD prints, malloc'd, without its last newline;
 * its exit status must be 0. */
__attribute__((unused, format(printf, 1, 0))) static char *shell_v(const char *fmt, va_list ap)
{
    char cmd[8192];
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "%s", cmd);
    char *text = sdc_test_read_all(p);
    cr_assert_not_null(text);
    int st = pclose(p);
    cr_assert_eq(st, 0, "exit %d from: %s (%s)", st, cmd, text);
    size_t n = strlen(text);
    if (n && text[n - 1] == '\n')
        text[n - 1] = '\0';
    return text;
}

static char *shell_out(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static char *shell_out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = shell_v(fmt, ap);
    va_end(ap);
    return text;
}

/* The first line of what CMD prints (exit status 0), malloc'd. */
static char *shell_line(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static char *shell_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = shell_v(fmt, ap);
    va_end(ap);
    char *nl = strchr(text, '\n');
    if (nl)
        *nl = '\0';
    return text;
}

/* One value from the ledger (the first line the sqlite3 shell prints). */
__attribute__((unused)) static char *sql(const char *ledger, const char *query)
{
    return shell_line(SQLITE3 " -readonly '%s' \"%s\"", ledger, query);
}

__attribute__((unused)) static void assert_sql(const char *ledger, const char *query,
                                               const char *want)
{
    char *got = sql(ledger, query);
    cr_assert_str_eq(got, want, "%s: got %s, not %s", query, got, want);
    free(got);
}

#endif
