/*
 * oom.c - internal failures injected into a check: every allocation of
 * libsdccheck, the threads it starts, the temporary files it writes.
 *
 * Built as build/tests/oom with -Wl,--wrap for the allocation functions,
 * pthread_create and mkstemp (Makefile, "make oom"): the linker sends the
 * calls of libsdccheck.a (and of this file) to the __wrap_ functions
 * below, while libc's and the shared libraries' own calls go straight to
 * libc, so only sdccheck's allocations are counted and failed. A plain
 * build, not ASan: the sanitizer's allocator would not be the one wrapped.
 *
 * For each input, a check is run once to count its allocations (N) and
 * record what it finds; then for every i in 1..N a forked child runs the
 * same check with the i-th allocation failing (and every other one
 * succeeding). A child must not crash, and what it reports must be one of:
 *   - an error of the call (out of memory): the tool says it could not
 *     do its job, exit status 2, never a pass;
 *   - each file's result exactly as in the full check (the failure was
 *     recovered from without losing anything), or marked incomplete with a
 *     verdict that is not pass.
 * Any other answer means an allocation failure made a check quietly find
 * less: the harness prints the allocation's number and call stack
 * (addr2line -e build/tests/oom ADDRESS names the lines) and exits 1.
 *
 * Then the threads: every pthread_create failing, and only the second
 * failing, on a folder checked with -j 2, and on records aggregated in
 * four pieces, must give the results of one thread. Then --fix with the temporary
 * file's mkstemp failing: the table's copy is not written, the log says
 * why, and no protected copy is left behind. Then --fix of the tables
 * inside a zip and a workbook (testdata/fix) with each of its allocations
 * failing in turn: the call fails, or each copy it reports written is the
 * whole protected table; nothing else is left in the folder. Then distinct
 * units past a tiny memory budget (runs on disk): every allocation failing
 * in turn, and the runs' mkstemp failing. Then the SACRO-Viewer folder
 * (-f sacro) of a few tables, a document and a zip, with each allocation
 * of its writer failing in turn: the call fails (out of memory; the
 * command then removes the folder), or the folder is the full run's, byte
 * for byte. Then the HTML page (-f html) of the same files, their tables
 * kept and drawn, with each allocation of its writer failing in turn: the
 * call fails (out of memory), or the page is the full run's, byte for byte.
 * Then batch screening (--each) of a small queue, each of its allocations
 * failing in turn: the call fails for memory and leaves the output folder
 * empty, or it writes the full run's folder byte for byte, or its index
 * marks a submission incomplete with a verdict that is not pass. Then an
 * ingest check (sdccheck ingest --variables) of a table, a Stata file, a
 * zip and a workbook, each allocation failing in turn.
 *
 *   build/tests/oom [-v] [-t] [-n I] [FILE...]
 * -n I runs only allocation I (with its call stack); -t only the threads
 * and the temporary file; -v prints both descriptions of a wrong answer.
 */
#include <dirent.h>
#include <errno.h>
#include <execinfo.h>
#include <ftw.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "read/aggregate_internal.h"
#include "sdccheck/sdccheck.h"

/* ---- the wrappers ---- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
int __real_vasprintf(char **out, const char *fmt, va_list ap);
FILE *__real_open_memstream(char **buf, size_t *len);
int __real_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);
int __real_mkstemp(char *tmpl);

/* Counted only while armed; the one numbered fail_at fails (0: none).
 * Checks run with -j 1 here, so the count is deterministic; the counter
 * is atomic all the same. */
static bool armed;
static unsigned long counted, fail_at;
static bool show_stack;
/* Thread starts: -1 every one fails, N the N-th, 0 none. */
static long thread_fail;
static unsigned long threads_started;
static bool mkstemp_fails;

static bool failing(void)
{
    if (!armed)
        return false;
    unsigned long n = __atomic_add_fetch(&counted, 1, __ATOMIC_SEQ_CST);
    if (n != fail_at)
        return false;
    if (show_stack) {
        void *frames[16];
        int k = backtrace(frames, 16);
        fprintf(stderr, "allocation %lu fails here:\n", n);
        backtrace_symbols_fd(frames, k, 2);
    }
    return true;
}

void *__wrap_malloc(size_t n)
{
    return failing() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return failing() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return failing() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return failing() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return failing() ? NULL : __real_strndup(s, n);
}

int __wrap_vasprintf(char **out, const char *fmt, va_list ap)
{
    if (failing())
        return -1;
    return __real_vasprintf(out, fmt, ap);
}

int __wrap_asprintf(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = __wrap_vasprintf(out, fmt, ap);
    va_end(ap);
    return rc;
}

FILE *__wrap_open_memstream(char **buf, size_t *len)
{
    if (failing()) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_open_memstream(buf, len);
}

int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    unsigned long n = __atomic_add_fetch(&threads_started, 1, __ATOMIC_SEQ_CST);
    if (thread_fail < 0 || (thread_fail > 0 && n == (unsigned long)thread_fail))
        return EAGAIN;
    return __real_pthread_create(t, attr, fn, arg);
}

int __wrap_mkstemp(char *tmpl)
{
    if (mkstemp_fails) {
        errno = ENOSPC;
        return -1;
    }
    return __real_mkstemp(tmpl);
}

/* ---- a check and what it found ---- */

/* Growable text, with the allocator unwrapped: the harness's own memory
 * is never failed. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void text_add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->s = __real_realloc(t->s, t->cap);
        if (!t->s)
            abort();
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

#define STR(s) ((s) ? (s) : "-")

/* One line per file, then one per finding. */
static void describe_file(text *t, const sdc_file_result *f)
{
    text_add(t, "file %s %s%s\n", f->path, sdc_verdict_name(f->verdict),
             f->findings.incomplete ? " incomplete" : "");
    for (size_t i = 0; i < f->findings.count; i++) {
        const sdc_finding *g = &f->findings.items[i];
        text_add(t, "  %s %s %ld %s|%s|%s %s\n", g->rule, sdc_verdict_name(g->verdict), g->line,
                 STR(g->row), STR(g->column), STR(g->value), g->message);
    }
}

/* Exit statuses of a child. */
enum { RAN = 0, CALL_FAILED = 3, WRITER_FAILED = 4 };

typedef struct run {
    const char *const *paths;
    size_t count;
    int jobs;
} run;

/* Checks R's paths with CK (armed), then writes the reports; the
 * description of every result goes to FD. Returns an exit status. */
static int check_once(const sdc_checker *ck, const run *r, int fd)
{
    FILE *sink = fopen("/dev/null", "w");
    if (!sink)
        return 1;
    sdc_report report = {.policy = sdc_checker_policy(ck)};
    sdc_status st = {0};
    armed = true;
    int rc = sdc_check_paths(ck, r->paths, r->count, r->jobs, &report, &st);
    int status = RAN;
    if (rc < 0) {
        status = CALL_FAILED;
    } else {
        sdc_report_derive(&report);
        sdc_report_options opts = {.verbosity = 1, .created = -1};
        for (const sdc_report_writer *const *w = sdc_report_writers(); *w; w++)
            if ((*w)->write && (*w)->write(&report, &opts, sink) < 0)
                status = WRITER_FAILED;
    }
    armed = false;
    text t = {0};
    text_add(&t, "status %d rc %d allocations %lu verdict %s threads %lu%s\n", status, rc, counted,
             sdc_verdict_name(report.verdict), threads_started,
             report.incomplete ? " incomplete" : "");
    for (size_t i = 0; i < report.file_count; i++)
        describe_file(&t, &report.files[i]);
    for (size_t off = 0; off < t.len;) {
        ssize_t n = write(fd, t.s + off, t.len - off);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    sdc_report_free(&report);
    fclose(sink);
    return status;
}

/* Runs check_once in a child, failing allocation FAIL (0: none). Returns
 * the child's wait status and its description in *OUT (malloc'd). */
static int check_in_child(const sdc_checker *ck, const run *r, unsigned long fail, char **out)
{
    int fds[2];
    if (pipe(fds) != 0)
        abort();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        close(fds[0]);
        fail_at = fail;
        counted = 0;
        int status = check_once(ck, r, fds[1]);
        close(fds[1]);
        _exit(status);
    }
    close(fds[1]);
    text t = {0};
    text_add(&t, "%s", "");
    char buf[8192];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
        text_add(&t, "%.*s", (int)n, buf);
    close(fds[0]);
    int ws;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    *out = t.s;
    return ws;
}

/* The line of DESC describing file PATH and its findings (up to the next
 * "file " line), or NULL. */
static const char *file_block(const char *desc, const char *path, size_t *len)
{
    size_t plen = strlen(path);
    for (const char *p = desc; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, "file ", 5) == 0 && strncmp(p + 5, path, plen) == 0 && p[5 + plen] == ' ') {
            const char *end = strstr(p + 1, "\nfile ");
            *len = end ? (size_t)(end + 1 - p) : strlen(p);
            return p;
        }
    }
    return NULL;
}

/* Whether the result for PATH in DESC, or one of the containers it is a
 * member of ("outer.zip" for "outer.zip!inner.csv"), is incomplete. */
static bool incomplete_within(const char *desc, const char *path)
{
    char outer[4096];
    snprintf(outer, sizeof outer, "%s", path);
    for (;;) {
        size_t len;
        const char *g = file_block(desc, outer, &len);
        if (g) {
            const char *eol = strchr(g, '\n');
            size_t head = eol ? (size_t)(eol - g) : strlen(g);
            if (head >= 11 && memcmp(g + head - 11, " incomplete", 11) == 0)
                return true;
        }
        char *bang = strrchr(outer, '!');
        if (!bang)
            return false;
        *bang = '\0';
    }
}

/* Whether GOT (a child's description) is an acceptable answer beside
 * WANT (the full check's). WHY says what is wrong. */
static bool acceptable(const char *want, const char *got, int ws, const char **why)
{
    if (WIFSIGNALED(ws)) {
        *why = "the check crashed";
        return false;
    }
    int status = WEXITSTATUS(ws);
    if (status == CALL_FAILED || status == WRITER_FAILED)
        return true; /* an error of the tool: exit 2, never a pass */
    if (status != RAN) {
        *why = "the child failed";
        return false;
    }
    /* Each file of the full check: the same, or incomplete and not pass. */
    int files_want = 0, files_got = 0;
    for (const char *p = want; (p = strstr(p, "\nfile ")); p++)
        files_want++;
    for (const char *p = got; (p = strstr(p, "\nfile ")); p++)
        files_got++;
    /* An incomplete result that is not a pass: members it could not
     * walk may be missing (it says so itself). */
    bool said = false;
    for (const char *p = got; (p = strstr(p, "\nfile ")); p++) {
        const char *eol = strchr(p + 1, '\n');
        size_t head = eol ? (size_t)(eol - p) : strlen(p);
        static const char *const ends[] = {" fail incomplete", " review incomplete"};
        for (size_t k = 0; k < 2; k++) {
            size_t el = strlen(ends[k]);
            if (head >= el && memcmp(p + head - el, ends[k], el) == 0)
                said = true;
        }
    }
    if (files_want != files_got && !said) {
        *why = "a file's result went missing (or appeared)";
        return false;
    }
    for (const char *p = want; (p = strstr(p, "\nfile ")); p++) {
        char path[4096];
        if (sscanf(p + 6, "%4095s", path) != 1)
            abort();
        size_t wl, gl;
        const char *w = file_block(want, path, &wl), *g = file_block(got, path, &gl);
        if (!g) {
            /* Renamed (a sheet keeps its member's name when its own
             * could not be made): only an incomplete result may be. */
            if (!said) {
                *why = "a file's result went missing";
                return false;
            }
            continue;
        }
        if (wl == gl && memcmp(w, g, wl) == 0)
            continue;
        if (!incomplete_within(got, path)) {
            *why = "a file's findings changed and it is not marked incomplete";
            return false;
        }
        char verdict[16] = "";
        const char *eol = strchr(g, '\n');
        size_t head = eol ? (size_t)(eol - g) : strlen(g);
        bool self = head >= 11 && memcmp(g + head - 11, " incomplete", 11) == 0;
        if (sscanf(g + 5 + strlen(path) + 1, "%15s", verdict) != 1 ||
            (self && !strcmp(verdict, "pass"))) {
            *why = "an incomplete file passed";
            return false;
        }
    }
    /* The submission: never a pass when anything is incomplete. */
    const char *first = strchr(got, '\n');
    size_t head = first ? (size_t)(first - got) : strlen(got);
    const char *verdict = strstr(got, " verdict pass ");
    if (head >= 11 && memcmp(got + head - 11, " incomplete", 11) == 0 && verdict &&
        verdict < got + head) {
        *why = "an incomplete report passed";
        return false;
    }
    return true;
}

static int verbose;

/* Every allocation of checking PATHS fails once, in turn. Returns the
 * number of wrong answers. */
static int inject_allocations(const sdc_checker *ck, const run *r, unsigned long only)
{
    /* The full check, counted. */
    char *want = NULL;
    int ws = check_in_child(ck, r, 0, &want);
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != RAN) {
        fprintf(stderr, "oom: the full check of %s did not run\n", r->paths[0]);
        return 1;
    }
    unsigned long n = 0;
    if (sscanf(want, "status %*d rc %*d allocations %lu", &n) != 1)
        abort();
    printf("oom: %s: %lu allocations\n", r->paths[0], n);
    int wrong = 0;
    for (unsigned long i = only ? only : 1; i <= (only ? only : n); i++) {
        char *got = NULL;
        show_stack = only != 0;
        ws = check_in_child(ck, r, i, &got);
        const char *why = NULL;
        if (!acceptable(want, got, ws, &why)) {
            wrong++;
            printf("oom: %s: allocation %lu of %lu failing: %s\n", r->paths[0], i, n, why);
            if (verbose || only)
                printf("--- full check:\n%s--- with allocation %lu failing:\n%s", want, i, got);
        }
        free(got);
    }
    free(want);
    return wrong;
}

/* The threads: none starting, and only the second, give the results of
 * one thread. Returns the number of wrong answers. */
static int inject_threads(const sdc_checker *ck, const run *r)
{
    run one = *r;
    one.jobs = 1;
    char *want = NULL, *got = NULL;
    check_in_child(ck, &one, 0, &want);
    int wrong = 0;
    static const long modes[] = {-1, 2};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        thread_fail = modes[m];
        threads_started = 0;
        int ws = check_in_child(ck, r, 0, &got);
        /* the results, past the status line (its allocation count) */
        unsigned long tried = 0;
        if (sscanf(got, "status %*d rc %*d allocations %*u verdict %*s threads %lu", &tried) != 1)
            tried = 0;
        if (!WIFEXITED(ws) || WEXITSTATUS(ws) != RAN || tried == 0 ||
            strcmp(strchr(want, '\n'), strchr(got, '\n')) != 0) {
            printf("oom: %s -j %d with %s thread failing to start: not the results of one "
                   "thread\n--- one thread:\n%s--- threads failing:\n%s",
                   r->paths[0], r->jobs, modes[m] < 0 ? "every" : "the second", want, got);
            wrong++;
        }
        free(got);
    }
    thread_fail = 0;
    free(want);
    printf("oom: %s -j %d: threads that cannot start checked\n", r->paths[0], r->jobs);
    return wrong;
}

/* The aggregate of PATH by region and sex with WORKERS pieces, as CSV
 * (malloc'd), or NULL. */
static char *aggregate_csv(const sdc_policy *policy, const char *path, unsigned workers)
{
    static const char *const by[] = {"region", "sex"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2, .value = "income"};
    sdc_aggregate_tuning tuning = {.workers = workers, .min_chunk = 1};
    sdc_status st = {0};
    sdc_table *t = sdc_aggregate_file_tuned(path, policy, &spec, &tuning, &st);
    if (!t)
        return NULL;
    char *csv = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&csv, &len);
    if (!m || sdc_table_write_csv(t, ',', m) != 0)
        abort();
    fclose(m);
    sdc_table_free(t);
    return csv;
}

/* Aggregating records in four pieces when no thread, or only the second,
 * can start gives the one-piece table. Returns the number of wrong
 * answers. */
static int inject_aggregate_threads(const sdc_policy *policy)
{
    char path[] = "/tmp/sdc-oom-records-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        abort();
    static const char *const regions[] = {"North", "South", "East", "West", "Wales"};
    fputs("region,sex,income\n", f);
    for (int i = 0; i < 600; i++)
        fprintf(f, "%s,%s,%d\n", regions[i % 5], i % 3 ? "F" : "M", 1000 + 37 * i);
    if (fclose(f) != 0)
        abort();
    char *want = aggregate_csv(policy, path, 1);
    int wrong = 0;
    static const long modes[] = {-1, 2};
    for (size_t m = 0; m < 2; m++) {
        thread_fail = modes[m];
        threads_started = 0;
        char *got = aggregate_csv(policy, path, 4);
        if (!want || !got || strcmp(want, got) != 0 || threads_started == 0) {
            printf("oom: aggregate in 4 pieces with %s thread failing to start: not the one-piece "
                   "table (%lu thread starts tried)\n",
                   modes[m] < 0 ? "every" : "the second", threads_started);
            wrong++;
        }
        free(got);
    }
    thread_fail = 0;
    free(want);
    unlink(path);
    printf("oom: aggregate threads that cannot start checked\n");
    return wrong;
}

/* The table of PATH by region with units "person" and a units budget of
 * BUDGET bytes (0: the default), in one piece: the allocations it made,
 * then its CSV or "error CODE: MESSAGE", into FD. */
static void aggregate_units_once(const sdc_policy *policy, const char *path, size_t budget, int fd)
{
    static const char *const by[] = {"region"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1, .value = "income", .unit = "person"};
    sdc_aggregate_tuning tuning = {.workers = 1, .unit_memory = budget};
    sdc_status st = {0};
    armed = true;
    sdc_table *t = sdc_aggregate_file_tuned(path, policy, &spec, &tuning, &st);
    armed = false;
    text out = {0};
    text_add(&out, "allocations %lu\n", counted);
    if (!t) {
        text_add(&out, "error %d: %s\n", st.code, st.message);
    } else {
        char *csv = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&csv, &len);
        if (!m || sdc_table_write_csv(t, ',', m) != 0)
            abort();
        fclose(m);
        text_add(&out, "%s", csv);
        free(csv);
        sdc_table_free(t);
    }
    for (size_t off = 0; off < out.len;) {
        ssize_t n = write(fd, out.s + off, out.len - off);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
}

/* aggregate_units_once in a child with allocation FAIL failing (0: none);
 * what it wrote (malloc'd). */
static char *aggregate_units_in_child(const sdc_policy *policy, const char *path, size_t budget,
                                      unsigned long fail)
{
    int fds[2];
    if (pipe(fds) != 0)
        abort();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        close(fds[0]);
        fail_at = fail;
        counted = 0;
        aggregate_units_once(policy, path, budget, fds[1]);
        close(fds[1]);
        _exit(0);
    }
    close(fds[1]);
    text t = {0};
    text_add(&t, "%s", "");
    char buf[8192];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
        text_add(&t, "%.*s", (int)n, buf);
    close(fds[0]);
    int ws;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
        text_add(&t, "crashed (wait status %d)\n", ws);
    return t.s;
}

/* Distinct units in memory, and past a tiny memory budget written to runs
 * on disk and merged (aggregate_spill.c): every allocation failing in turn
 * gives the full table or "out of memory", and a temporary file that
 * cannot be made gives an error naming it, never a table. Returns the
 * number of wrong answers. */
static int inject_aggregate_spill(const sdc_policy *policy)
{
    char path[] = "/tmp/sdc-oom-units-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        abort();
    static const char *const regions[] = {"North", "South", "East"};
    fputs("person,region,income\n", f);
    for (int i = 0; i < 120; i++)
        fprintf(f, "p%d,%s,%d\n", i % 45, regions[i % 3], 100 + 7 * i);
    if (fclose(f) != 0)
        abort();
    int wrong = 0;
    static const size_t budgets[] = {0, 1}; /* the default (in memory), a run per record */
    for (size_t b = 0; b < 2; b++) {
        char *want = aggregate_units_in_child(policy, path, budgets[b], 0);
        unsigned long n = 0;
        const char *table = strchr(want, '\n');
        if (sscanf(want, "allocations %lu", &n) != 1 || !table ||
            strncmp(table + 1, "region,n,", 9) != 0) {
            printf("oom: units past a budget of %zu bytes: no table\n%s", budgets[b], want);
            free(want);
            wrong++;
            continue;
        }
        for (unsigned long i = 1; i <= n; i++) {
            char *got = aggregate_units_in_child(policy, path, budgets[b], i);
            const char *rest = strchr(got, '\n');
            char oom[64];
            snprintf(oom, sizeof oom, "error %d: out of memory\n", SDC_ENOMEM);
            if (!rest || (strcmp(rest, table) != 0 && strcmp(rest + 1, oom) != 0)) {
                printf("oom: units past a budget of %zu bytes, allocation %lu of %lu failing: "
                       "neither the table nor out of memory\n%s",
                       budgets[b], i, n, got);
                wrong++;
            }
            free(got);
        }
        printf("oom: units past a budget of %zu bytes: %lu allocations\n", budgets[b], n);
        free(want);
    }
    mkstemp_fails = true;
    char *got = aggregate_units_in_child(policy, path, 1, 0);
    mkstemp_fails = false;
    if (!strstr(got, "error") || !strstr(got, "cannot make a temporary file for the units")) {
        printf("oom: units past the budget with mkstemp failing: no error\n%s", got);
        wrong++;
    }
    free(got);
    unlink(path);
    printf("oom: units on disk checked\n");
    return wrong;
}

/* Files in DIR (its own entries aside). */
static int files_in(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

/* Empties and removes DIR. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* --fix of a failing table whose temporary file cannot be made (mkstemp
 * fails with ENOSPC): no copy is written, nothing is left in the folder,
 * the log says why, and the table keeps its fail. With mkstemp working
 * the same run writes the copy (so the test can tell the two apart).
 * Returns the number of wrong answers. */
static int inject_temp_file(sdc_checker *ck)
{
    static const char *const table[] = {"testdata/submission/turnover_by_sic.csv"};
    int wrong = 0;
    for (int fails = 1; fails >= 0; fails--) {
        char dir[] = "/tmp/sdc-oom-fix-XXXXXX";
        if (!mkdtemp(dir))
            abort();
        sdc_checker_keep_tables(ck, true);
        sdc_report report = {.policy = sdc_checker_policy(ck)};
        sdc_status st = {0};
        sdc_fix_log log = {0};
        int rc = sdc_check_paths(ck, table, 1, 1, &report, &st);
        size_t checked = report.file_count;
        mkstemp_fails = fails;
        if (rc == 0)
            rc = sdc_report_fix(ck, &report, dir, SDC_SUPPRESS_HEURISTIC, &log, &st);
        mkstemp_fails = false;
        char enospc[128];
        snprintf(enospc, sizeof enospc, "could not be written: %s", strerror(ENOSPC));
        const sdc_fix_entry *e = log.count == 1 ? &log.items[0] : NULL;
        bool right;
        if (fails)
            right = rc == 0 && e && !e->output && e->problem && strstr(e->problem, enospc) &&
                    files_in(dir) == 0 && report.file_count == checked &&
                    report.verdict == SDC_FAIL;
        else
            right =
                rc == 0 && e && e->output && files_in(dir) == 1 && report.file_count == checked + 1;
        if (!right) {
            printf("oom: --fix with mkstemp %s: rc %d, %zu log entries, output %s, problem %s, "
                   "%d files in the folder, %zu results\n",
                   fails ? "failing" : "working", rc, log.count, e && e->output ? e->output : "-",
                   e && e->problem ? e->problem : "-", files_in(dir), report.file_count);
            wrong++;
        }
        sdc_fix_log_free(&log);
        sdc_report_free(&report);
        remove_dir(dir);
    }
    sdc_checker_keep_tables(ck, false);
    printf("oom: --fix with a temporary file that cannot be made checked\n");
    return wrong;
}

/* The regular files below the folder walked, and how many of them are
 * not the protected table of testdata/fix (its make-fix.py). */
static const char fix_copy[] = "region,A,B,Total\nN,c,c,15\nS,c,c,50\nTotal,23,42,65\n";
static int copies_found, copies_wrong;

static int look_at_copy(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_F)
        return 0;
    copies_found++;
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    copies_wrong += st->st_size != (off_t)strlen(fix_copy) || strcmp(buf, fix_copy) != 0;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    return remove(path);
}

/* In a child: checks PATH, then --fix into a new folder with allocation
 * FAIL failing (0: none). Writes to FD the fix's allocation count and,
 * for a wrong answer, why; exits. */
static void fix_in_child(sdc_checker *ck, const char *path, unsigned long fail, int fd)
{
    char dir[] = "/tmp/sdc-oom-fixm-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    sdc_checker_keep_tables(ck, true);
    sdc_report report = {.policy = sdc_checker_policy(ck)};
    sdc_status st = {0};
    sdc_fix_log log = {0};
    const char *paths[] = {path};
    if (sdc_check_paths(ck, paths, 1, 1, &report, &st) < 0)
        abort();
    counted = 0;
    fail_at = fail;
    armed = true;
    int rc = sdc_report_fix(ck, &report, dir, SDC_SUPPRESS_HEURISTIC, &log, &st);
    armed = false;
    copies_found = copies_wrong = 0;
    nftw(dir, look_at_copy, 16, FTW_PHYS);
    const char *why = "";
    int written = 0;
    for (size_t i = 0; rc == 0 && i < log.count; i++)
        written += log.items[i].output != NULL;
    if (copies_wrong)
        why = "a file in the folder is not the whole protected table";
    else if (rc != 0 && rc != SDC_ENOMEM)
        why = "the call failed, not for memory";
    else if (rc == 0 && copies_found != written)
        why = "the copies in the folder are not the ones the log reports";
    else if (rc == 0 && report.verdict == SDC_PASS)
        why = "the submission passed";
    else if (fail == 0 && (rc != 0 || written != 1))
        why = "the full --fix did not write its one copy";
    dprintf(fd, "%lu %s (rc %d, %d copies written, %d files in the folder)", counted, why, rc,
            written, copies_found);
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    sdc_fix_log_free(&log);
    sdc_report_free(&report);
    _exit(0);
}

/* Every allocation of --fix on the members of PATH fails once, in turn.
 * Returns the number of wrong answers. */
static int inject_fix_members(sdc_checker *ck, const char *path)
{
    int wrong = 0;
    unsigned long n = 0;
    for (unsigned long i = 0; i == 0 || i <= n; i++) {
        int fds[2];
        if (pipe(fds) != 0)
            abort();
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
            abort();
        if (pid == 0) {
            close(fds[0]);
            fix_in_child(ck, path, i, fds[1]);
        }
        close(fds[1]);
        char said[512] = "";
        size_t len = 0;
        ssize_t got;
        while (len < sizeof said - 1 && (got = read(fds[0], said + len, sizeof said - 1 - len)) > 0)
            len += (size_t)got;
        said[len] = '\0';
        close(fds[0]);
        int ws;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
            ;
        unsigned long count = 0;
        int at = 0;
        bool ran =
            WIFEXITED(ws) && WEXITSTATUS(ws) == 0 && sscanf(said, "%lu %n", &count, &at) == 1;
        if (!ran || said[at] != '(') {
            printf("oom: --fix of %s with allocation %lu of %lu failing: %s\n", path, i, n,
                   ran ? said + at : "the child crashed");
            wrong++;
        }
        if (i == 0) {
            if (!ran)
                return wrong;
            n = count;
            printf("oom: --fix of %s: %lu allocations\n", path, n);
        }
    }
    sdc_checker_keep_tables(ck, false);
    return wrong;
}

/* The files the SACRO folder is written for: a table copied byte for
 * byte, one flattened, a document, a zip with a failing member. */
static const char *const sacro_inputs[] = {
    "testdata/submission/region_by_sex.csv", "testdata/submission/turnover_by_sic.csv",
    "testdata/submission/notes.md", "testdata/fix/tables.zip"};

/* Writes the SACRO folder of REPORT into a new folder (its name in DIR)
 * with allocation FAIL failing (0: none); the writer's return. */
static int sacro_write(const sdc_report *report, unsigned long fail, char *dir)
{
    if (!mkdtemp(dir))
        abort();
    const sdc_report_writer *w = sdc_report_writer_find("sacro");
    sdc_report_options opts = {.created = 0};
    counted = 0;
    fail_at = fail;
    armed = true;
    int rc = w->write_dir(report, &opts, dir);
    armed = false;
    return rc;
}

/* Every allocation of the SACRO folder's writer fails once, in turn.
 * Returns the number of wrong answers. */
static int inject_sacro(sdc_checker *ck)
{
    sdc_checker_keep_tables(ck, true);
    sdc_report report = {.policy = sdc_checker_policy(ck)};
    sdc_status st = {0};
    if (sdc_check_paths(ck, sacro_inputs, sizeof sacro_inputs / sizeof sacro_inputs[0], 1, &report,
                        &st) < 0)
        abort();
    char full[] = "/tmp/sdc-oom-sacro-XXXXXX";
    int wrong = sacro_write(&report, 0, full) != 0;
    unsigned long n = counted;
    printf("oom: the SACRO folder: %lu allocations\n", n);
    for (unsigned long i = 1; !wrong && i <= n; i++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
            abort();
        if (pid == 0) {
            char dir[] = "/tmp/sdc-oom-sacro-XXXXXX";
            int rc = sacro_write(&report, i, dir);
            char cmd[256];
            snprintf(cmd, sizeof cmd, "diff -r %s %s >/dev/null 2>&1", full, dir);
            int same = rc == 0 && system(cmd) == 0;
            nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
            _exit(rc == SDC_ENOMEM || same ? 0 : rc == 0 ? 3 : 4);
        }
        int ws;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
            printf("oom: the SACRO folder with allocation %lu of %lu failing: %s\n", i, n,
                   !WIFEXITED(ws)         ? "the child crashed"
                   : WEXITSTATUS(ws) == 3 ? "written, but not as the full run wrote it"
                                          : "the call failed, not for memory");
            wrong++;
        }
    }
    nftw(full, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    sdc_report_free(&report);
    sdc_checker_keep_tables(ck, false);
    return wrong;
}

/* Writes the HTML page of REPORT to PATH with allocation FAIL failing (0:
 * none); the writer's return. */
static int html_write(const sdc_report *report, unsigned long fail, const char *path)
{
    FILE *out = fopen(path, "w");
    if (!out)
        abort();
    const sdc_report_writer *w = sdc_report_writer_find("html");
    sdc_report_options opts = {.created = 0};
    counted = 0;
    fail_at = fail;
    armed = true;
    int rc = w->write(report, &opts, out);
    armed = false;
    if (fclose(out) != 0 && rc == 0)
        rc = SDC_EIO;
    return rc;
}

/* Every allocation of the HTML page's writer fails once, in turn, on the
 * tables the SACRO folder is written for (kept, so that they are drawn).
 * Returns the number of wrong answers. */
static int inject_html(sdc_checker *ck)
{
    sdc_checker_keep_tables(ck, true);
    sdc_report report = {.policy = sdc_checker_policy(ck)};
    sdc_status st = {0};
    if (sdc_check_paths(ck, sacro_inputs, sizeof sacro_inputs / sizeof sacro_inputs[0], 1, &report,
                        &st) < 0)
        abort();
    char full[] = "/tmp/sdc-oom-html-XXXXXX";
    int fd = mkstemp(full);
    if (fd < 0)
        abort();
    close(fd);
    int wrong = html_write(&report, 0, full) != 0;
    unsigned long n = counted;
    printf("oom: the HTML page: %lu allocations\n", n);
    for (unsigned long i = 1; !wrong && i <= n; i++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
            abort();
        if (pid == 0) {
            char page[] = "/tmp/sdc-oom-html-XXXXXX";
            int pfd = mkstemp(page);
            if (pfd < 0)
                _exit(5);
            close(pfd);
            int rc = html_write(&report, i, page);
            char cmd[128];
            snprintf(cmd, sizeof cmd, "cmp -s %s %s", full, page);
            int same = rc == 0 && system(cmd) == 0;
            unlink(page);
            _exit(rc == SDC_ENOMEM || same ? 0 : rc == 0 ? 3 : 4);
        }
        int ws;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
            printf("oom: the HTML page with allocation %lu of %lu failing: %s\n", i, n,
                   !WIFEXITED(ws)         ? "the child crashed"
                   : WEXITSTATUS(ws) == 3 ? "written, but not as the full run wrote it"
                                          : "the call failed, not for memory");
            wrong++;
        }
    }
    unlink(full);
    sdc_report_free(&report);
    sdc_checker_keep_tables(ck, false);
    return wrong;
}

/* A queue for --each: a folder of a passing table and a document, and a
 * failing table lying loose. */
static void batch_queue(const char *queue)
{
    char cmd[512];
    snprintf(
        cmd, sizeof cmd,
        "mkdir -p %s/sub && cp testdata/submission/region_by_sex.csv "
        "testdata/submission/notes.md %s/sub/ && cp testdata/submission/deaths_by_ward.csv %s/",
        queue, queue, queue);
    if (system(cmd) != 0)
        abort();
}

/* --each of QUEUE into the new folder OUT with allocation FAIL failing (0:
 * none): the call's return; *INCOMPLETE_NOT_PASS says whether its index
 * marks a submission incomplete with a verdict that is not pass. */
static int batch_write(const sdc_checker *ck, const char *queue, const char *out,
                       unsigned long fail, bool *incomplete_not_pass)
{
    static const sdc_report_writer *writers[2];
    writers[0] = sdc_report_writer_find("json");
    writers[1] = sdc_report_writer_find("text");
    sdc_batch_options opts = {
        .writers = writers, .writer_count = 2, .report = {.created = 0}, .jobs = 1};
    if (mkdir(out, 0777) != 0)
        abort();
    sdc_batch batch;
    sdc_status st = {0};
    counted = 0;
    fail_at = fail;
    armed = true;
    int rc = sdc_batch_run(ck, queue, out, &opts, &batch, &st);
    armed = false;
    *incomplete_not_pass = false;
    for (size_t i = 0; rc == 0 && i < batch.count; i++)
        if (batch.entries[i].incomplete && batch.entries[i].verdict != SDC_PASS)
            *incomplete_not_pass = true;
    if (rc == 0)
        sdc_batch_free(&batch);
    return rc;
}

/* Every allocation of a batch run fails once, in turn. Returns the
 * number of wrong answers. */
static int inject_batch(const sdc_checker *ck)
{
    char work[] = "/tmp/sdc-oom-each-XXXXXX";
    if (!mkdtemp(work))
        abort();
    char queue[64], full[64];
    snprintf(queue, sizeof queue, "%s/queue", work);
    snprintf(full, sizeof full, "%s/full", work);
    batch_queue(queue);
    bool incomplete;
    int wrong = batch_write(ck, queue, full, 0, &incomplete) != 0 || incomplete;
    unsigned long n = counted;
    printf("oom: batch screening: %lu allocations\n", n);
    for (unsigned long i = 1; !wrong && i <= n; i++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
            abort();
        if (pid == 0) {
            char out[80], cmd[256];
            snprintf(out, sizeof out, "%s/out-%lu", work, i);
            int rc = batch_write(ck, queue, out, i, &incomplete);
            snprintf(cmd, sizeof cmd, "diff -r %s %s >/dev/null 2>&1", full, out);
            int same = rc == 0 && system(cmd) == 0;
            int empty = files_in(out) == 0;
            nftw(out, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
            _exit((rc == SDC_ENOMEM && empty) || same || (rc == 0 && incomplete) ? 0
                  : rc == 0                                                      ? 3
                  : rc == SDC_ENOMEM                                             ? 5
                                                                                 : 4);
        }
        int ws;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
            printf("oom: batch screening with allocation %lu of %lu failing: %s\n", i, n,
                   !WIFEXITED(ws)         ? "the child crashed"
                   : WEXITSTATUS(ws) == 3 ? "written, but not as the full run wrote it"
                   : WEXITSTATUS(ws) == 5 ? "out of memory, but reports were left behind"
                                          : "the call failed, not for memory");
            wrong++;
        }
    }
    nftw(work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return wrong;
}

/* An ingest check (sdccheck ingest --variables): a table's header and
 * identifier notes, a Stata file's names read with ReadStat, a model and
 * a table in a zip, a workbook's sheet, each allocation failing in turn. */
static int inject_ingest(const sdc_policy *policy)
{
    sdc_status st = {0};
    sdc_variables *approved = sdc_variables_load("testdata/ingest/approved.txt", &st);
    sdc_checker *ck = approved ? sdc_checker_new(policy, &st) : NULL;
    if (!ck) {
        fprintf(stderr, "oom: no ingest checker: %s\n", st.message);
        sdc_variables_free(approved);
        return 1;
    }
    sdc_checker_set_ingest(ck, approved);
    static const char *const files[] = {
        "testdata/ingest/patients.csv", "testdata/ingest/clinic.dta",
        "testdata/ingest/delivery.zip", "testdata/ingest/survey.xlsx"};
    int wrong = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        wrong += inject_allocations(ck, &(run){&files[i], 1, 1}, 0);
    sdc_checker_free(ck);
    sdc_variables_free(approved);
    return wrong;
}

/* What main runs in a second process beside the rest (its wrong
 * answers): --fix on a workbook's members, batch screening, ingest. */
static int second_lane(sdc_checker *ck, const sdc_policy *policy)
{
    int wrong = inject_fix_members(ck, "testdata/fix/book.xlsx");
    wrong += inject_batch(ck);
    return wrong + inject_ingest(policy);
}

int main(int argc, char **argv)
{
    unsigned long only = 0;
    bool no_allocations = false;
    int opt;
    while ((opt = getopt(argc, argv, "vtn:")) != -1) {
        if (opt == 'v')
            verbose = 1;
        else if (opt == 't')
            no_allocations = true;
        else if (opt == 'n')
            only = strtoul(optarg, NULL, 10);
        else
            return 2;
    }
    sdc_policy *policy = sdc_policy_default();
    sdc_status st = {0};
    sdc_checker *ck = policy ? sdc_checker_new(policy, &st) : NULL;
    if (!ck) {
        fprintf(stderr, "oom: no checker\n");
        return 2;
    }
    /* A first check in this process loads libmagic once for every child. */
    static const char *const warm[] = {"testdata/submission/notes.md"};
    sdc_report report = {.policy = policy};
    if (sdc_check_paths(ck, warm, 1, 1, &report, &st) < 0)
        return 2;
    sdc_report_free(&report);

    /* A model and a failing table (issue 12), then one of each reader
     * and walker: a workbook, a Word file, archives, images, documents
     * with tables, an R serialisation, a notebook. */
    static const char *const defaults[] = {
        "testdata/artefacts/models/sklearn_logreg_p4.pkl",
        "testdata/submission/turnover_by_sic.csv",
        "testdata/outputs/py_publication_small.xlsx",
        "testdata/artefacts/disguised/report.docx",
        "testdata/artefacts/disguised/nested-6.zip",
        "testdata/artefacts/disguised/appended_pickle.7z",
        "testdata/artefacts/disguised/arrays.tar.gz",
        "testdata/artefacts/disguised/chart.png",
        "testdata/artefacts/disguised/photo.jpg",
        "testdata/artefacts/disguised/appendix.pdf",
        "testdata/outputs/py_styled.html",
        "testdata/outputs/py_to_latex.tex",
        "testdata/outputs/r_summary.txt",
        "testdata/outputs/r_print_df.txt",
        "testdata/artefacts/models/r_lm_gzip.rds",
        "testdata/outputs/py_notebook.ipynb",
    };
    const char *const *files = optind < argc ? (const char *const *)argv + optind : defaults;
    size_t nfiles = optind < argc ? (size_t)(argc - optind) : sizeof defaults / sizeof defaults[0];
    int wrong = 0;
    /* Two lanes, one per core: --fix on the members of a workbook (4,000
     * allocations, 40% of the time), the batch screening and the ingest
     * checks in a process of their own beside the rest; its failures are
     * printed there and counted in its exit status. */
    bool lanes = optind >= argc && !only;
    pid_t lane = -1;
    if (lanes) {
        fflush(NULL);
        lane = fork();
        if (lane < 0) {
            lanes = false;
        } else if (lane == 0) {
            int w = second_lane(ck, policy);
            fflush(NULL);
            _exit(w ? 1 : 0);
        }
    }
    for (size_t i = 0; i < nfiles && !no_allocations; i++) {
        run r = {.paths = &files[i], .count = 1, .jobs = 1};
        wrong += inject_allocations(ck, &r, only);
    }
    if (optind >= argc && !only) {
        static const char *const folder[] = {"testdata/submission"};
        wrong += inject_threads(ck, &(run){folder, 1, 2});
        wrong += inject_temp_file(ck);
        wrong += inject_fix_members(ck, "testdata/fix/tables.zip");
        wrong += inject_aggregate_threads(policy);
        wrong += inject_aggregate_spill(policy);
        wrong += inject_sacro(ck);
        wrong += inject_html(ck);
        if (!lanes)
            wrong += second_lane(ck, policy);
    }
    if (lanes) {
        int ws;
        while (waitpid(lane, &ws, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
            printf("oom: the second lane (a workbook's --fix, batch, ingest) %s\n",
                   WIFEXITED(ws) ? "found wrong answers (above)" : "crashed");
            wrong++;
        }
    }
    sdc_checker_free(ck);
    sdc_policy_free(policy);
    printf("oom: %s\n", wrong ? "FAILED" : "every injected failure was reported, none passed");
    return wrong ? 1 : 0;
}
