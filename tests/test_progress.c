/*
 * test_progress.c - --progress (sdccheck(1), OPTIONS): the line itself
 * (src/cli/progress.c's cli_progress_line, with counts given by hand),
 * then the real binary on a pseudo-terminal (forkpty): the line is drawn
 * on standard error with "\r" and clear-to-end-of-line, counts the files
 * given, and ends with a newline; with standard error a pipe, or with -q,
 * nothing is written. No assertion depends on how fast anything runs: the
 * line is always drawn when checking begins and when it ends.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pty.h>

#include "helpers.h"
#include "../src/cli/progress.h"

static size_t line_for(const cli_progress_counts *c, size_t width, char *buf, size_t size)
{
    size_t cols = cli_progress_line(c, width, buf, size);
    cr_assert(cols <= width, "%zu columns drawn on a line of %zu: %s", cols, width, buf);
    return cols;
}

Test(progress, line_shows_files_and_bytes_of_the_totals)
{
    char buf[256];
    cli_progress_counts c = {2, 5, 512, 2048, 0.0, NULL};
    line_for(&c, 79, buf, sizeof buf);
    /* 2048 bytes = 2.0 KiB; no rate before 0.2 s */
    cr_assert_str_eq(buf, "sdccheck: 2/5 files, 512 B/2.0 KiB");
}

Test(progress, line_shows_the_rate_and_the_file_being_checked)
{
    char buf[256];
    /* 3 MiB in 2 s: 1.5 MiB/s; 10 MiB total */
    cli_progress_counts c = {1, 4, 3 << 20, 10 << 20, 2.0, "data/sales.csv"};
    line_for(&c, 79, buf, sizeof buf);
    cr_assert_str_eq(buf, "sdccheck: 1/4 files, 3.0 MiB/10.0 MiB, 1.5 MiB/s, data/sales.csv");
}

Test(progress, line_without_a_known_total_shows_the_bytes_done_only)
{
    char buf[256];
    cli_progress_counts c = {0, 1, 1536, -1, 0.0, NULL};
    line_for(&c, 79, buf, sizeof buf);
    cr_assert_str_eq(buf, "sdccheck: 0/1 files, 1.5 KiB");
}

Test(progress, control_characters_in_a_name_are_drawn_as_question_marks)
{
    char buf[256];
    cli_progress_counts c = {0, 1, 0, 0, 0.0, "a\033[2Jb\nc\rd.csv"};
    line_for(&c, 79, buf, sizeof buf);
    cr_assert_str_eq(buf, "sdccheck: 0/1 files, 0 B/0 B, a?[2Jb?c?d.csv");
}

Test(progress, a_name_keeps_printable_utf8_and_loses_c1_controls_and_stray_bytes)
{
    char buf[256];
    /* \xc3\xa9 is U+00E9 (printable); \xc2\x9b is U+009B, the 8-bit CSI
     * (a C1 control); \x9b alone and \xc0\xaf (an overlong '/') are not
     * UTF-8: each of their bytes is a '?' */
    cli_progress_counts c = {0, 1, 0, 0, 0.0, "caf\xc3\xa9-\xc2\x9b-\x9b-\xc0\xaf.csv"};
    line_for(&c, 79, buf, sizeof buf);
    cr_assert_str_eq(buf, "sdccheck: 0/1 files, 0 B/0 B, caf\xc3\xa9-?"
                          "?-?-?"
                          "?.csv");
}

Test(progress, a_long_name_is_cut_at_the_front_to_the_width)
{
    char name[300], buf[512];
    memset(name, 'x', 250);
    strcpy(name + 250, "/the-end.csv");
    cli_progress_counts c = {0, 1, 0, 0, 0.0, name};
    size_t cols = line_for(&c, 60, buf, sizeof buf);
    cr_assert_eq(cols, 60, "the name fills the line: %s", buf);
    cr_assert_eq(strlen(buf), 60);
    const char *lead = "sdccheck: 0/1 files, 0 B/0 B, ...";
    cr_assert_eq(strncmp(buf, lead, strlen(lead)), 0, "%s", buf);
    cr_assert_str_eq(buf + 60 - strlen("/the-end.csv"), "/the-end.csv");
}

Test(progress, a_cut_never_splits_a_character)
{
    char name[300], buf[512];
    /* 100 two-byte characters, each counted as two columns */
    for (int i = 0; i < 100; i++)
        memcpy(name + 2 * i, "\xc3\xa9", 2);
    name[200] = '\0';
    cli_progress_counts c = {0, 1, 0, 0, 0.0, name};
    line_for(&c, 41, buf, sizeof buf);
    const char *lead = "sdccheck: 0/1 files, 0 B/0 B, ...";
    size_t n = strlen(lead);
    cr_assert_eq(strncmp(buf, lead, n), 0, "%s", buf);
    /* 41 - 33 = 8 columns left: four characters of 2 */
    cr_assert_str_eq(buf + n, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
}

/* What one run under a pseudo-terminal wrote. */
typedef struct pty_run {
    int status;     /* exit status, -1 when it did not exit */
    char *terminal; /* what reached the terminal (standard error) */
    size_t terminal_len;
    char *out; /* standard output (a file) */
} pty_run;

/* Runs sdccheck with ARGS (NULL-terminated) with standard error on a
 * pseudo-terminal of 80 columns (TERM as given) and standard output in
 * a file. */
static pty_run run_on_pty(const char *term, const char *const *args)
{
    char out[] = "/tmp/sdc-progress-out-XXXXXX";
    int fd = mkstemp(out);
    cr_assert(fd >= 0);
    const char *argv[32];
    sdc_test_argv(argv, args);
    struct winsize ws = {.ws_row = 24, .ws_col = 80};
    int master = -1;
    fflush(NULL);
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    cr_assert(pid >= 0, "forkpty: %s", strerror(errno));
    if (pid == 0) {
        if (dup2(fd, STDOUT_FILENO) < 0)
            _exit(126);
        setenv("TERM", term, 1);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fd);
    pty_run r = {.status = -1};
    FILE *m = open_memstream(&r.terminal, &r.terminal_len);
    cr_assert_not_null(m);
    char buf[4096];
    for (;;) {
        /* Linux: EIO once the child has closed the terminal */
        ssize_t got = read(master, buf, sizeof buf);
        if (got > 0)
            fwrite(buf, 1, (size_t)got, m);
        else if (got < 0 && errno == EINTR)
            continue;
        else
            break;
    }
    fclose(m);
    close(master);
    int st = 0;
    if (waitpid(pid, &st, 0) == pid && WIFEXITED(st))
        r.status = WEXITSTATUS(st);
    r.out = sdc_test_slurp(out);
    cr_assert_not_null(r.out);
    unlink(out);
    return r;
}

static void pty_run_free(pty_run *r)
{
    free(r->terminal);
    free(r->out);
}

#define RUN_PTY(term, ...) run_on_pty(term, (const char *const[]){__VA_ARGS__, NULL})

static char dir[64];
static long long total_bytes; /* of the three tables, summed by hand below */
static void setup(void)
{
    static const char *const tables[] = {
        "region,count\nNorth,120\nSouth,340\n", /* 33 bytes (wc -c) */
        "region,count\nEast,150\nWest,210\n",   /* 31 bytes */
        "region,count\nNorth,120\nSouth,3\n",   /* 31 bytes: fails threshold */
    };
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "progress"));
    total_bytes = 0;
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%d.csv", i);
        char *p = put_file(dir, name, tables[i]);
        cr_assert_not_null(p);
        free(p);
        total_bytes += (long long)strlen(tables[i]);
    }
    cr_assert_eq(total_bytes, 33 + 31 + 31);
}
static void teardown(void)
{
    cr_assert_eq(temp_dir_remove(dir), 0);
}

/* The number of times NEEDLE occurs in the LEN bytes at HAY. */
static size_t occurrences(const char *hay, size_t len, const char *needle)
{
    size_t count = 0, n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            count++;
    return count;
}

Test(progress, on_a_terminal_the_line_counts_the_files_and_is_redrawn_in_place, .init = setup,
     .fini = teardown)
{
    char first[64], last[64];
    snprintf(first, sizeof first, "\rsdccheck: 0/3 files, 0 B/%lld B\033[K", total_bytes);
    snprintf(last, sizeof last, "\rsdccheck: 3/3 files, %lld B/%lld B", total_bytes, total_bytes);
    pty_run r = RUN_PTY("xterm", "--progress", "-j", "2", dir);
    cr_assert_eq(r.status, 1, "one table fails: exit status 1, not %d", r.status);
    cr_assert_not_null(strstr(r.terminal, first), "no first line: [%s]", r.terminal);
    const char *end = strstr(r.terminal, last);
    cr_assert_not_null(end, "no final line with every file counted: [%s]", r.terminal);
    /* the final line is the last thing drawn, cleared to its end and ended
     * (the terminal turns "\n" into "\r\n") */
    cr_assert_str_eq(strstr(end + 1, "\033[K"), "\033[K\r\n", "[%s]", r.terminal);
    cr_assert_eq(occurrences(r.terminal, r.terminal_len, "\r\n"), 1, "one newline: [%s]",
                 r.terminal);
    cr_assert_geq(occurrences(r.terminal, r.terminal_len, "\rsdccheck: "), 2);
    cr_assert_eq(occurrences(r.terminal, r.terminal_len, "\rsdccheck: "),
                 occurrences(r.terminal, r.terminal_len, "\033[K"),
                 "every line drawn is cleared to its end: [%s]", r.terminal);
    /* no count beyond the three files given */
    cr_assert_null(strstr(r.terminal, "4/3"));
    cr_assert_null(strstr(r.terminal, "/4 files"));
    /* the report itself still goes to standard output */
    cr_assert_not_null(strstr(r.out, "FAIL"), "%s", r.out);
    pty_run_free(&r);
}

Test(progress, files_given_one_by_one_are_counted_as_given, .init = setup, .fini = teardown)
{
    char a[96], b[96];
    snprintf(a, sizeof a, "%s/t0.csv", dir);
    snprintf(b, sizeof b, "%s/t1.csv", dir);
    pty_run r = RUN_PTY("xterm", "--progress", "-j", "1", a, b);
    cr_assert_eq(r.status, 0);
    cr_assert_not_null(strstr(r.terminal, "\rsdccheck: 0/2 files, 0 B/64 B\033[K"), "[%s]",
                       r.terminal);
    cr_assert_not_null(strstr(r.terminal, "\rsdccheck: 2/2 files, 64 B/64 B"), "[%s]", r.terminal);
    pty_run_free(&r);
}

Test(progress, a_dumb_terminal_gets_no_escape_sequences, .init = setup, .fini = teardown)
{
    pty_run r = RUN_PTY("dumb", "--progress", dir);
    cr_assert_not_null(strstr(r.terminal, "\rsdccheck: 3/3 files"), "[%s]", r.terminal);
    cr_assert_null(memchr(r.terminal, '\033', r.terminal_len), "[%s]", r.terminal);
    pty_run_free(&r);
}

Test(progress, quiet_draws_no_progress_line, .init = setup, .fini = teardown)
{
    pty_run r = RUN_PTY("xterm", "--progress", "-q", dir);
    cr_assert_eq(r.status, 1);
    cr_assert_eq(r.terminal_len, 0, "written with -q: [%s]", r.terminal);
    cr_assert_not_null(strstr(r.out, "FAIL"), "the summary line is still written: %s", r.out);
    pty_run_free(&r);
}

Test(progress, without_the_option_nothing_is_drawn, .init = setup, .fini = teardown)
{
    pty_run r = RUN_PTY("xterm", dir);
    cr_assert_eq(r.status, 1);
    cr_assert_eq(r.terminal_len, 0, "[%s]", r.terminal);
    pty_run_free(&r);
}

Test(progress, standard_error_on_a_pipe_gets_nothing, .init = setup, .fini = teardown)
{
    int err[2];
    cr_assert_eq(pipe(err), 0);
    char out[] = "/tmp/sdc-progress-out-XXXXXX";
    int fd = mkstemp(out);
    cr_assert(fd >= 0);
    const char *argv[] = {sdc_test_binary(), "--progress", "-j", "2", dir, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&fa, err[0]);
    pid_t pid;
    cr_assert_eq(posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(err[1]);
    close(fd);
    char buf[4096];
    size_t total = 0;
    ssize_t got;
    while ((got = read(err[0], buf + total, sizeof buf - 1 - total)) > 0)
        total += (size_t)got;
    buf[total] = '\0';
    close(err[0]);
    int st = 0;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
    cr_assert_eq(total, 0, "written to a pipe: [%s]", buf);
    char *report = sdc_test_slurp(out);
    cr_assert_not_null(report);
    cr_assert_not_null(strstr(report, "FAIL"), "%s", report);
    free(report);
    unlink(out);
}
