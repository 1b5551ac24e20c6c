/*
 * report_flat.h - a kept table as the report writers draw it: one header
 * line and one label column, private to the writers (the SACRO-Viewer
 * folder, the HTML page).
 *
 * A table may have several label columns (a crosstab's region and sex, a
 * layout's index column); a reviewer's tool counts cells over the data
 * block after exactly one label column. The flattened table joins the
 * label columns with " / " into one, keeps the other columns after it in
 * their order, and places a finding's cell on that block as [row, col]:
 * row the body row, col the place among the columns that are not labels.
 * The SACRO folder and the HTML page share it, so a cell has the same
 * [row, col] in both.
 */
#ifndef SDC_REPORT_FLAT_H
#define SDC_REPORT_FLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sdccheck/sdccheck.h"

/* True when column C is drawn in the label column (a label, or a row
 * number the exporter wrote). */
bool sdc_report_is_label(const sdc_column *c);

/*
 * Body row R's label cells of T joined with " / " (the header's label
 * column names when R is SIZE_MAX); "" when T has no label column.
 * Malloc'd (the caller frees it), or NULL when out of memory.
 */
char *sdc_report_row_label(const sdc_table *t, size_t r);

typedef struct sdc_report_flat {
    const sdc_table *table; /* not owned; NULL before init */
    size_t *data_col;       /* per column of TABLE: its place in the data
                               block, SIZE_MAX for a label column */
    size_t *column_of;      /* per place in the data block: TABLE's column */
    size_t ndata;           /* columns in the data block */
} sdc_report_flat;

/* Flattens T into FLAT. Returns 0, or SDC_ENOMEM (FLAT left empty). */
int sdc_report_flat_init(sdc_report_flat *flat, const sdc_table *t);

/* Frees what init allocated; FLAT is empty again. */
void sdc_report_flat_free(sdc_report_flat *flat);

/*
 * The cell of the data block finding F points at (its line a body row of
 * the table, its column a column that is not a label): sets *ROW, *COL
 * and returns true, else false (a note about the file, a whole row or
 * column, a label). An empty FLAT places nothing.
 */
bool sdc_report_flat_locate(const sdc_report_flat *flat, const sdc_finding *f, size_t *row,
                            size_t *col);

#endif
