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
    const char *name; /* "text", "json", "junit", "csv", "sacro", "html" */
    /* Writes REPORT to OUT. Returns 0, SDC_EIO on an output error, or
     * SDC_ENOMEM. NULL for a format that is a folder. */
    int (*write)(const sdc_report *report, const sdc_report_options *opts, FILE *out);
    /* The file name extension of this format, without the dot ("json"):
     * a report in an output folder is DIR/report.EXTENSION, and `-o
     * NAME.EXTENSION` without -f picks this format. NULL for a format
     * written as a folder of its own (DIR/NAME/; sdc_report_output_path). */
    const char *extension;
    /* A folder format (sacro, sdccheck-report(5)), which has no write and
     * no extension: writes REPORT into DIR, an empty folder that exists.
     * Reads the files checked again (to copy them, and only when their
     * SHA-256 is still the one checked) and the tables the results kept
     * (sdc_checker_keep_tables). Returns 0, SDC_EIO when DIR cannot be
     * written (what was written is left for the caller to remove), or
     * SDC_ENOMEM. NULL for a format that is a stream. sdc_report_file_write
     * calls it for such a format. */
    int (*write_dir)(const sdc_report *report, const sdc_report_options *opts, const char *dir);
    /* The writer draws the tables as they were read (sdc_file_result's
     * table): a run writing it keeps them (sdc_checker_keep_tables). Without
     * them it says that the tables are not drawn. */
    bool draws_tables;
} sdc_report_writer;

/* The writer called NAME, or NULL. */
const sdc_report_writer *sdc_report_writer_find(const char *name);

/* The writers, NULL-terminated, in registration order. */
const sdc_report_writer *const *sdc_report_writers(void);

/* The writer whose extension is the end of PATH's name (".json", ".xml",
 * ".csv", ".txt", ".html"), or NULL. */
const sdc_report_writer *sdc_report_writer_for_path(const char *path);

/*
 * Writing a report file safely (report_file.c). The writer's output goes
 * to a temporary file made with mkstemp in PATH's folder; once it is all
 * written, flushed and synced to disk, sdc_report_file_commit renames it
 * to PATH, so PATH holds either what it held before or a complete report,
 * never part of one (a full disk, a write error, a crash). A PATH that
 * exists and is not a regular file (a FIFO, a terminal, /dev/stdout) is
 * written in place: it cannot be replaced, and nothing is left behind in
 * it to look like a complete report. A PATH that is a symbolic link
 * replaces the file it points to. A folder format (write_dir) is written
 * the same way into a temporary folder beside PATH, renamed to PATH, which
 * must not exist or be an empty folder.
 */
typedef struct sdc_report_file {
    char *path;  /* where the report goes (a link resolved) */
    char *temp;  /* the temporary file, or NULL when writing in place */
    bool folder; /* TEMP is a folder (a folder format) */
} sdc_report_file;

/*
 * Writes REPORT with W to a temporary file (or folder) beside PATH, and
 * sets *FILE for sdc_report_file_commit or sdc_report_file_discard.
 * Returns 0, or an SDC_E* code (nothing left behind, *FILE empty) with ST
 * saying "cannot write PATH: why" (SDC_EEXIST for a folder format whose
 * PATH exists and is not an empty folder).
 */
int sdc_report_file_write(const sdc_report_writer *w, const sdc_report *report,
                          const sdc_report_options *opts, const char *path, sdc_report_file *file,
                          sdc_status *st);

/*
 * Renames FILE's temporary file to its path and frees FILE. Returns 0, or
 * SDC_EIO (the temporary removed) with ST saying "cannot write PATH: why".
 */
int sdc_report_file_commit(sdc_report_file *file, sdc_status *st);

/* Removes FILE's temporary file, if any, and frees FILE. */
void sdc_report_file_discard(sdc_report_file *file);

/*
 * Makes DIR ready to hold a run's reports (`-o DIR/`): creates it (not
 * its parents) when it does not exist, and sets *CREATED to say so.
 * Refuses a DIR that exists and is not an empty folder: a reviewer's
 * earlier report is never overwritten or mixed with a new one. Returns 0,
 * or an SDC_E* code with ST saying "cannot write DIR: why" (SDC_EEXIST:
 * "cannot write DIR: the folder is not empty").
 */
int sdc_report_dir_prepare(const char *dir, bool *created, sdc_status *st);

/*
 * Where the report of W goes in the output folder DIR: DIR/report.EXT
 * for a file format (report.txt, report.json, report.xml, report.csv,
 * report.html),
 * DIR/NAME for a format that is a folder itself (a writer without an
 * extension). Returns a malloc'd path, or NULL when out of memory.
 */
char *sdc_report_output_path(const sdc_report_writer *w, const char *dir);

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
