/*
 * xlsx.h - the sheets of an Excel workbook as tables (private).
 *
 * An .xlsx is a zip (ECMA-376 Part 1, SpreadsheetML): each sheet is
 * xl/worksheets/sheetN.xml, and text cells point into
 * xl/sharedStrings.xml, which may come after the sheets in the zip. Parts
 * are given whole as the container reads them; sheets become tables once
 * every part has been seen.
 */
#ifndef SDC_XLSX_H
#define SDC_XLSX_H

#include <stddef.h>

#include "sdccheck/table.h"

typedef struct sdc_xlsx sdc_xlsx;

typedef enum sdc_xlsx_part {
    SDC_XLSX_NONE = 0,
    SDC_XLSX_STRINGS, /* xl/sharedStrings.xml */
    SDC_XLSX_SHEET    /* xl/worksheets/sheetN.xml */
} sdc_xlsx_part;

/* What MEMBER (a path inside a zip) is to the workbook reader. */
sdc_xlsx_part sdc_xlsx_part_of(const char *member);

sdc_xlsx *sdc_xlsx_new(const sdc_policy *policy);

/*
 * Parses one part. For a sheet, SLOT is the caller's index for its result.
 * Returns 0, or -1 when out of memory; an XML error is a `malformed`
 * finding for the sheet, kept for sdc_xlsx_table.
 */
int sdc_xlsx_add(sdc_xlsx *x, sdc_xlsx_part kind, const char *member, long slot, const void *bytes,
                 size_t len);

/* Sheets added, in order. */
size_t sdc_xlsx_sheets(const sdc_xlsx *x);

/* The result slot given for sheet I. */
long sdc_xlsx_slot(const sdc_xlsx *x, size_t i);

/*
 * Builds sheet I as a table, its text cells resolved through the shared
 * strings; problems (XML errors, unresolved strings) go to FINDINGS.
 * Returns NULL for an empty sheet. The caller frees the table.
 */
sdc_table *sdc_xlsx_table(sdc_xlsx *x, size_t i, sdc_findings *findings);

void sdc_xlsx_free(sdc_xlsx *x);

#endif
