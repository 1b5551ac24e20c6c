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
    SDC_XLSX_STRINGS,  /* xl/sharedStrings.xml */
    SDC_XLSX_SHEET,    /* xl/worksheets/sheetN.xml */
    SDC_XLSX_WORKBOOK, /* xl/workbook.xml: the sheets' names, in tab order */
    SDC_XLSX_RELS      /* xl/_rels/workbook.xml.rels: which part each name is */
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

/* The result slot given for sheet I, and its part's name in the zip. */
long sdc_xlsx_slot(const sdc_xlsx *x, size_t i);
const char *sdc_xlsx_member(const sdc_xlsx *x, size_t i);

/* The name Excel shows on sheet I's tab (from the workbook part and its
 * relationships), or NULL when the workbook does not say. */
const char *sdc_xlsx_sheet_name(const sdc_xlsx *x, size_t i);

/*
 * Builds sheet I as a table, its text cells resolved through the shared
 * strings; problems (XML errors, unresolved strings) go to FINDINGS.
 * Returns NULL for an empty sheet. The caller frees the table.
 *
 * A sheet laid out as statistical offices publish (doc/design.md, "Excel
 * workbooks") is read from its real header row: rows above it with one
 * cell of text each (a title, a description, a source) and rows below
 * the last row of the table with one cell of text each (notes, sources,
 * "[c] = confidential") are left out, and said so in *SKIPPED (rows
 * before, rows after).
 */
sdc_table *sdc_xlsx_table(sdc_xlsx *x, size_t i, sdc_findings *findings);

/* After sdc_xlsx_table: is sheet I text, not a table (a cover, contents
 * or notes sheet: no number but a column numbering its rows 1, 2, 3...,
 * and a sentence somewhere)? */
bool sdc_xlsx_text_sheet(const sdc_xlsx *x, size_t i);

void sdc_xlsx_free(sdc_xlsx *x);

#endif
