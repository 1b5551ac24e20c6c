/*
 * report.h - clearance report writers (doc/design.md, "The clearance report").
 *
 * Each output format is one writer: a name and a function, listed once in
 * report.c. A writer only formats; it never decides a verdict.
 */
#ifndef SDCCHECK_REPORT_H
#define SDCCHECK_REPORT_H

#include <stdio.h>
#include <stdbool.h>
#include "check.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the JSON report schema (sdccheck-report(5)). */
#define SDC_REPORT_SCHEMA_VERSION 1

typedef struct sdc_report_options {
    bool color;        /* text: ANSI colours */
    int verbosity;     /* text: -1 quiet, 0 normal, 1 verbose */
    long long created; /* seconds since the epoch; -1: omit */
} sdc_report_options;

typedef struct sdc_report_writer {
    const char *name; /* "text", "json", "junit", "sacro" */
    /* Writes REPORT to OUT. Returns 0, SDC_EIO on an output error, or
     * SDC_ENOMEM. NULL for a format that is a folder. */
    int (*write)(const sdc_report *report, const sdc_report_options *opts, FILE *out);
    /* A folder format (sacro, sdccheck-report(5)): writes REPORT into DIR,
     * an empty folder that exists. Reads the files checked again (to copy
     * them, and only when their SHA-256 is still the one checked) and the
     * tables the results kept (sdc_checker_keep_tables). Returns 0,
     * SDC_EIO when DIR cannot be written (what was written is left for the
     * caller to remove), or SDC_ENOMEM. NULL for a format that is a stream. */
    int (*write_dir)(const sdc_report *report, const sdc_report_options *opts, const char *dir);
} sdc_report_writer;

/* The writer called NAME, or NULL. */
const sdc_report_writer *sdc_report_writer_find(const char *name);

/* The writers, NULL-terminated, in registration order. */
const sdc_report_writer *const *sdc_report_writers(void);

/*
 * `sdccheck audit`: writes the audit A of the table T read from PATH, a
 * line per suppressed cell with its interval and what it means at NEED
 * (sdc_audit_judge), after a line per total the audit dropped (at most 20,
 * then how many more) with the reason, for a person at a terminal (paths,
 * labels and column names escaped as in the text report). Returns 0, or
 * SDC_EIO on an output error.
 */
int sdc_audit_write_text(const char *path, const sdc_table *t, const sdc_audit *a, double need,
                         FILE *out);

#ifdef __cplusplus
}
#endif
#endif
