/*
 * fuzz.h - what the libFuzzer harnesses share (fuzz/README.md).
 *
 * Each harness is one file, fuzz/NAME.c, defining LLVMFuzzerTestOneInput:
 * it drives one parser of untrusted bytes in libsdccheck.a (built with
 * clang, -fsanitize=fuzzer-no-link,address,undefined, into build/fuzz/) on
 * one input. Things made once per process (the default policy, a checker)
 * are made on first use and never freed: the fuzzer's leak check runs
 * between inputs, and memory that lives as long as the process is not a
 * leak.
 */
#ifndef SDC_FUZZ_H
#define SDC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sdccheck/check.h"
#include "sdccheck/policy.h"
#include "sdccheck/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The shipped default policy (ons-srs), loaded once. */
static inline const sdc_policy *fuzz_policy(void)
{
    static sdc_policy *policy;
    if (!policy && !(policy = sdc_policy_default()))
        abort();
    return policy;
}

/* A checker for POLICY, made once per harness. */
static inline const sdc_checker *fuzz_checker(const sdc_policy *policy)
{
    static sdc_checker *checker;
    if (!checker) {
        sdc_status st = {0};
        if (!(checker = sdc_checker_new(policy, &st)))
            abort();
    }
    return checker;
}

/* The folder fuzz_write_file writes in, and the file last written there
 * (removed when the next is written and when the process ends). */
static char fuzz_dir[256];
static char fuzz_last[512];

static inline void fuzz_remove_files(void)
{
    if (fuzz_last[0])
        unlink(fuzz_last);
    rmdir(fuzz_dir);
}

/*
 * Writes DATA to a file named NAME (a plain name) in the harness's own
 * folder under /dev/shm (or TMPDIR), for the readers that take a path.
 * Returns the path (static storage) or NULL.
 */
static inline const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
    if (!fuzz_dir[0]) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/sdc-fuzz-%ld", base ? base : "/tmp",
                 (long)getpid());
        if (mkdir(fuzz_dir, 0700) != 0)
            abort();
        atexit(fuzz_remove_files);
    }
    if (fuzz_last[0])
        unlink(fuzz_last);
    snprintf(fuzz_last, sizeof fuzz_last, "%s/%s", fuzz_dir, name);
    FILE *f = fopen(fuzz_last, "wb");
    if (!f)
        return NULL;
    size_t n = size ? fwrite(data, 1, size, f) : 0;
    if (fclose(f) != 0 || n != size)
        return NULL;
    return fuzz_last;
}

/*
 * Splits an input "NAME\nBYTES" into a file name and the file's bytes: the
 * first line, if it is 1..63 bytes with no NUL or '/', names the file (its
 * extension is what a harness's name-dependent paths see); otherwise the
 * name is "input" and every byte is the file's. Returns NAME (static).
 */
static inline const char *fuzz_split_name(const uint8_t **data, size_t *size)
{
    static char name[64];
    const uint8_t *nl = memchr(*data, '\n', *size < 64 ? *size : 64);
    size_t n = nl ? (size_t)(nl - *data) : 0;
    if (n == 0 || memchr(*data, '/', n) || memchr(*data, 0, n) || (n <= 2 && (*data)[0] == '.')) {
        snprintf(name, sizeof name, "input");
        return name;
    }
    memcpy(name, *data, n);
    name[n] = 0;
    *data += n + 1;
    *size -= n + 1;
    return name;
}

/* Writes REPORT with every report writer into memory (their escaping of
 * names and values taken from the input is exercised too). */
/* A stream that takes every byte and keeps none: the writers run whole
 * (what they write is not looked at), with no buffer growing behind them,
 * which under the sanitizers cost seconds for a report of 10,000 files. */
static ssize_t fuzz_discard(void *cookie, const char *buf, size_t size)
{
    (void)cookie;
    (void)buf;
    return (ssize_t)size;
}

static inline void fuzz_write_reports(const sdc_report *report)
{
    const sdc_report_writer *const *w = sdc_report_writers();
    for (; *w; w++) {
        if (!(*w)->write)
            continue; /* a folder format (sacro): it writes files, not a stream */
        for (int verbosity = -1; verbosity <= 1; verbosity += 2) {
            FILE *out = fopencookie(NULL, "w", (cookie_io_functions_t){.write = fuzz_discard});
            if (!out)
                abort();
            sdc_report_options opts = {
                .color = verbosity > 0, .verbosity = verbosity, .created = -1};
            (*w)->write(report, &opts, out);
            fclose(out);
        }
    }
}

#endif
