/*
 * html_table.h - an HTML <table> element read into CSV (private).
 *
 * The table is parsed with libxml2's HTML parser (HTML Living Standard,
 * "Tabular data": tr, th, td, colspan, rowspan; thead, tbody, tfoot).
 * Each row of the table becomes a CSV line; a cell spanning several
 * columns or rows is written in each of them, so that a multi-level
 * header reads as the repeated names the table layout folds
 * (doc/design.md, "Tables in documents").
 */
#ifndef SDC_READ_HTML_TABLE_H
#define SDC_READ_HTML_TABLE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sdc_html_table {
    char *csv; /* malloc'd, NUL-terminated */
    size_t len;
    size_t rows, cols;
    bool nested; /* a table inside a cell: its text is the cell's */
    bool cut;    /* rows or columns past the limits were left out */
} sdc_html_table;

/* Reads the first table of HTML[0..len) into OUT. 0 on success (OUT
 * may have no rows), -1 when unparsable, -2 when out of memory. */
int sdc_html_table_read(const char *html, size_t len, sdc_html_table *out);
void sdc_html_table_free(sdc_html_table *t);

#endif
