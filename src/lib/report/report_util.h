/*
 * report_util.h - private to the report writers: escaping, numbers, dates,
 * totals, and the writers' declarations (listed in report.c).
 *
 * Every writer prints text that came from files it does not trust (paths,
 * cell values, messages quoting them). These helpers are the one place that
 * makes such text safe for each output: valid JSON, well-formed XML, HTML
 * that holds no markup of theirs, and a terminal line that cannot carry
 * escape sequences. Invalid UTF-8 is never
 * passed through: each bad byte becomes U+FFFD.
 */
#ifndef SDC_REPORT_UTIL_H
#define SDC_REPORT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/format.h"
#include "sdccheck/report.h"

/* The writers, one file each (report_<name>.c). */
extern const sdc_report_writer sdc_report_writer_text;
extern const sdc_report_writer sdc_report_writer_json;
extern const sdc_report_writer sdc_report_writer_junit;
extern const sdc_report_writer sdc_report_writer_csv;
extern const sdc_report_writer sdc_report_writer_sacro;
extern const sdc_report_writer sdc_report_writer_html;

/* Longest text sdc_report_utc_time writes, with its NUL. */
#define SDC_REPORT_TIME_MAX 32

/*
 * Decodes the UTF-8 sequence at S (N > 0 bytes available). Returns the bytes
 * it used and sets *CP. An invalid, overlong, surrogate or truncated
 * sequence uses one byte and sets *CP to U+FFFD.
 */
size_t sdc_report_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/* Writes S as a JSON string with its quotes, or null when S is NULL. */
void sdc_report_json_string(const char *s, FILE *out);

/*
 * Writes S escaped for XML 1.0 text or an attribute value (quotes and
 * line breaks included). Characters XML 1.0 forbids are dropped.
 */
void sdc_report_xml_text(const char *s, FILE *out);

/*
 * Writes S as one CSV field (RFC 4180): in double quotes, inner quotes
 * doubled, when it holds a comma, a quote, CR or LF; as it is otherwise
 * (NULL or "": an empty field). Text that a spreadsheet would run as a
 * formula (starting with =, @, a tab or CR, or with + or - when it is not
 * a number) gets a leading apostrophe, so that a file name or cell cannot
 * run anything in the reviewer's spreadsheet.
 */
void sdc_report_csv_field(const char *s, FILE *out);

/*
 * Writes S for a terminal: control characters (C0, DEL, C1) as visible
 * escapes (\n, \x1b, \u009b), so a file name cannot move the cursor or
 * change colours.
 */
void sdc_report_term_text(const char *s, FILE *out);

/*
 * Writes S for HTML text or a quoted attribute value: & < > " ' as
 * character references, and control and bidirectional characters as
 * visible escapes (as sdc_report_term_text), so a file name or cell can
 * neither add markup nor read differently from what it is.
 */
void sdc_report_html_text(const char *s, FILE *out);

/*
 * Formats T (seconds since the epoch) as UTC ISO 8601, "2026-11-24T19:00:00"
 * followed by "Z" when ZONE. Returns 0, or -1 when T cannot be represented.
 */
int sdc_report_utc_time(long long t, bool zone, char *buf, size_t size);

/* Files per verdict and the findings that are not pass. */
typedef struct sdc_report_totals {
    size_t pass, review, fail;
    size_t findings; /* non-pass findings, all files */
} sdc_report_totals;

void sdc_report_count(const sdc_report *report, sdc_report_totals *totals);

/* Non-pass findings per rule id; RULE points into the report. */
typedef struct sdc_report_rule_count {
    const char *rule;
    size_t count;
} sdc_report_rule_count;

/*
 * The non-pass findings of REPORT counted per rule id, sorted by id (byte
 * order). Sets *COUNTS (malloc'd; the caller frees it, NULL when none) and
 * *N. Returns 0, or -1 when out of memory.
 */
int sdc_report_rule_counts(const sdc_report *report, sdc_report_rule_count **counts, size_t *n);

/*
 * Ends a writer: flushes OUT so that a full disk is seen now, not at
 * fclose. Returns 0, or -1 when anything written to OUT failed.
 */
int sdc_report_finish(FILE *out);

/*
 * Why FINDINGS is incomplete, for a person: "out of memory" (the phrases
 * of its sdc_incomplete_reason bits joined by ", ") in BUF of SIZE bytes.
 * Returns BUF.
 */
const char *sdc_report_incomplete_why(const sdc_findings *findings, char *buf, size_t size);

/*
 * Writes what WRITE(CTX, OUT) produces to PATH as sdc_report_file_write
 * writes a report (a temporary file renamed by sdc_report_file_commit), for
 * a file that is not one run's report (the index of sdccheck check --each).
 * WRITE returns 0, SDC_EIO or SDC_ENOMEM. Returns as sdc_report_file_write.
 */
typedef int (*sdc_report_stream_fn)(void *ctx, FILE *out);
int sdc_report_file_write_stream(sdc_report_stream_fn write, void *ctx, const char *path,
                                 sdc_report_file *file, sdc_status *st);

/*
 * sdc_report_file_write without the fsync of the temporary file, for a
 * caller that syncs many reports at once before it writes what says they
 * are complete (sdc_batch_run: one syncfs, then the index).
 */
int sdc_report_file_write_unsynced(const sdc_report_writer *w, const sdc_report *report,
                                   const sdc_report_options *opts, const char *path,
                                   sdc_report_file *file, sdc_status *st);

/* Removes the folder DIR and everything in it (links not followed). */
void sdc_report_tree_remove(const char *dir);

/* "PASS", "REVIEW" or "FAIL". */
const char *sdc_report_verdict_upper(sdc_verdict v);

#endif
