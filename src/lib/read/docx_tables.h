/*
 * docx_tables.h - the tables of a Word document, read into CSV (private).
 *
 * A .docx's word/document.xml holds its tables as w:tbl elements, rows
 * w:tr, cells w:tc whose text is in w:t runs (ECMA-376 Part 1, 17.4
 * "Tables"); a cell spanning columns says so with w:gridSpan, one merged
 * with the cell above with w:vMerge (17.4.17, 17.4.85). Each table of the
 * body becomes a CSV, walked as a member with every table rule
 * (doc/design.md, "Tables in documents").
 */
#ifndef SDC_READ_DOCX_TABLES_H
#define SDC_READ_DOCX_TABLES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sdc_docx_table {
    char *csv; /* malloc'd */
    size_t len;
    long paragraph; /* the body's paragraphs before it, plus one */
    bool nested;    /* a table inside a cell: its text is the cell's */
    bool cut;       /* past the size or column limits */
} sdc_docx_table;

typedef struct sdc_docx_tables {
    sdc_docx_table *items;
    size_t count;
    bool error; /* the XML could not be read to the end */
} sdc_docx_tables;

/* Reads the tables of document.xml's bytes. 0, or -1 when out of memory. */
int sdc_docx_tables_read(const unsigned char *xml, size_t len, sdc_docx_tables *out);
void sdc_docx_tables_free(sdc_docx_tables *t);

#endif
