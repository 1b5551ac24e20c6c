/*
 * ingest.h - checking files coming in: `sdccheck ingest`.
 *
 * A secure environment forbids importing model files as well as exporting
 * them, and external data may bring in only the variables approved on the
 * project's external data request. An ingest check walks every file as a
 * check does (check.h: content, containers, the same limits), with what
 * may come IN as its policy (sdccheck(1), INGEST):
 *   - a model file fails (ingest-model), wherever it is;
 *   - data files (record-level CSV, spreadsheets, Stata, SPSS, SAS,
 *     Parquet...) are allowed, and the table rules (thresholds, dominance,
 *     record-level data) do not apply to them;
 *   - direct identifiers in them are notes (direct-identifier), not fails;
 *   - with an approved list, every variable of every data file is
 *     compared with it: an unlisted one fails (unapproved-variable), and
 *     sdc_ingest_finish notes the approved ones no file holds
 *     (approved-variable-absent). A data file whose variables cannot be
 *     read needs review, never passes.
 */
#ifndef SDCCHECK_INGEST_H
#define SDCCHECK_INGEST_H

#include <stddef.h>
#include "check.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An approved list of variable names. */
typedef struct sdc_variables sdc_variables;

/*
 * Reads the approved list at PATH: a text file of one name a line, or a
 * CSV file whose first column holds the names (its first row is a header,
 * and skipped, when it has two fields or more and its first says
 * "variable", "variable_name", "varname" or "name"). Blank lines and lines
 * whose first character (after spaces) is '#' are ignored; names are
 * trimmed of spaces and compared without regard to ASCII letter case. The
 * file's SHA-256 is kept for the report. Returns the list, or NULL with ST
 * saying why: SDC_ENOENT, SDC_EACCES or SDC_EIO (the file cannot be
 * read), SDC_EINVAL (not text: it holds a NUL byte; larger than 16 MiB;
 * or it names no variable), SDC_EPARSE (libcsv could not read it),
 * SDC_ENOMEM.
 */
sdc_variables *sdc_variables_load(const char *path, sdc_status *st);
void sdc_variables_free(sdc_variables *list);

/* The number of distinct names in LIST, and the I-th as written in the
 * file (owned by the list). */
size_t sdc_variables_count(const sdc_variables *list);
const char *sdc_variables_name(const sdc_variables *list, size_t i);

/* The index of NAME in LIST (ASCII case ignored, spaces around it
 * trimmed), or -1. */
long sdc_variables_find(const sdc_variables *list, const char *name);

/*
 * Makes CHECKER judge what it checks as incoming files (above), against
 * APPROVED when it is not NULL (not copied: it must outlive the checker).
 * Call before checking. The results then carry the variables read
 * (sdc_file_result variables).
 */
void sdc_checker_set_ingest(sdc_checker *checker, const sdc_variables *approved);

/* Whether CHECKER checks incoming files. */
bool sdc_checker_ingest(const sdc_checker *checker);

/*
 * After sdc_check_paths with an ingest checker that has an approved list:
 * appends to REPORT a result for the list itself (its path, size and
 * SHA-256; class document, format "approved-variables") holding an
 * approved-variable-absent note for every approved name that no result of
 * REPORT holds as a variable (once per run: the request covers the whole
 * delivery), then derives the verdicts again. Returns 0, or SDC_ENOMEM
 * (the report is then marked incomplete).
 */
int sdc_ingest_finish(const sdc_checker *checker, sdc_report *report);

#ifdef __cplusplus
}
#endif
#endif
