/*
 * ingest_internal.h - the ingest check's pieces the walk calls (private
 * to check/; ingest.h is the public side).
 */
#ifndef SDC_CHECK_INGEST_INTERNAL_H
#define SDC_CHECK_INGEST_INTERNAL_H

#include "sdccheck/check.h"
#include "sdccheck/ingest.h"

struct sdc_variables {
    char **names; /* as written, trimmed, distinct (ASCII case ignored) */
    size_t count, cap;
    char *path;      /* the file read */
    char sha256[65]; /* its SHA-256 */
    long long size;  /* its bytes */
};

/* An ingest walk: the variables of a data file are NAMES[0..count) (its
 * header at LINE, 0 when it has no lines): kept in OUT, each compared
 * with the approved list (unapproved-variable), and those named as a
 * direct identifier noted. Returns 0, or -1 when out of memory. */
int sdc_ingest_variables(const sdc_checker *ck, sdc_file_result *out, char *const *names,
                         size_t count, long line);

/* An ingest walk's table T (CSV, TSV, a sheet) read into OUT: its header
 * as the variables (sdc_ingest_variables), and the direct identifiers in
 * its cells noted, a note a column. Returns 0, or -1 when out of memory. */
int sdc_ingest_table(const sdc_checker *ck, const sdc_table *t, sdc_file_result *out);

/* A data file of FORMAT whose head the walk keeps for its variable
 * names (data_vars.c), when CK is an ingest checker. */
bool sdc_ingest_reads_head(const sdc_checker *ck, const char *format);

/* An ingest walk's data file read: HEAD[0..len) of SIZE bytes, of
 * FORMAT. Its variables are read and judged (sdc_ingest_variables), or it
 * needs review when they cannot be. Returns 0, or -1 when out of memory. */
int sdc_ingest_data_head(const sdc_checker *ck, sdc_file_result *out, const char *format,
                         const unsigned char *head, size_t len, unsigned long long size);

/* What an ingest walk's result comes to before its verdict is derived:
 * model files fail as ingest-model, direct identifiers are notes, data
 * files and record-level tables are allowed in, and a data file whose
 * variables were not read needs review when there is an approved list.
 * Returns 0, or -1 when out of memory (the result is then incomplete). */
int sdc_ingest_judge(const sdc_checker *ck, sdc_file_result *out);

#endif
