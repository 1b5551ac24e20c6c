/*
 * docx_tables.c - a Word document's tables as CSV (see docx_tables.h).
 *
 * word/document.xml is read with libxml2's streaming reader, so its size
 * costs no tree. Rows are written as they end; a vertically merged cell
 * (w:vMerge without w:val="restart") repeats the text of the cell above
 * it, as a spanning header reads; a cell spanning columns (w:gridSpan) is
 * written in each, so the table layout folds them as it folds CSV headers.
 */
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/docx_tables.h"
#include "table/table_write.h"

#define DOCX_COLS_MAX 256
#define DOCX_CSV_MAX (16u << 20)
#define DOCX_CELL_MAX 4096

typedef struct reader {
    sdc_docx_tables *out;
    int depth;  /* w:tbl elements open */
    long paras; /* body paragraphs seen */
    FILE *csv;  /* the table being written (depth >= 1) */
    char *buf;
    size_t buflen;
    /* the row being read */
    char *cells[DOCX_COLS_MAX];
    size_t ncells;
    char *above[DOCX_COLS_MAX]; /* the previous row, for merged cells */
    size_t nabove;
    char cell[DOCX_CELL_MAX];
    size_t celllen;
    long span;
    bool merged; /* w:vMerge continuing the cell above */
    bool in_text;
    bool cut, nested;
} reader;

static bool is(xmlTextReaderPtr r, const char *name)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n && strcmp((const char *)n, name) == 0;
}

static void clear_row(char **cells, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free(cells[i]);
    *n = 0;
}

static int start_table(reader *rd)
{
    rd->csv = open_memstream(&rd->buf, &rd->buflen);
    rd->cut = rd->nested = false;
    clear_row(rd->above, &rd->nabove);
    return rd->csv ? 0 : -1;
}

static int end_table(reader *rd)
{
    clear_row(rd->cells, &rd->ncells);
    clear_row(rd->above, &rd->nabove);
    if (fclose(rd->csv) != 0) {
        rd->csv = NULL;
        free(rd->buf);
        rd->buf = NULL;
        return -1;
    }
    rd->csv = NULL;
    sdc_docx_tables *o = rd->out;
    sdc_docx_table *items = realloc(o->items, (o->count + 1) * sizeof *items);
    if (!items) {
        free(rd->buf);
        rd->buf = NULL;
        return -1;
    }
    o->items = items;
    items[o->count++] = (sdc_docx_table){.csv = rd->buf,
                                         .len = rd->buflen,
                                         .paragraph = rd->paras + 1,
                                         .nested = rd->nested,
                                         .cut = rd->cut};
    rd->buf = NULL;
    return 0;
}

static int end_cell(reader *rd)
{
    size_t col = rd->ncells;
    const char *text = rd->cell;
    rd->cell[rd->celllen] = '\0';
    if (rd->merged && col < rd->nabove && rd->above[col])
        text = rd->above[col];
    for (long k = 0; k < rd->span && rd->ncells < DOCX_COLS_MAX; k++) {
        rd->cells[rd->ncells] = strdup(text);
        if (!rd->cells[rd->ncells])
            return -1;
        rd->ncells++;
    }
    if (rd->ncells == DOCX_COLS_MAX)
        rd->cut = true;
    return 0;
}

static void end_row(reader *rd)
{
    long size = ftell(rd->csv);
    if (size >= 0 && (size_t)size > DOCX_CSV_MAX) {
        rd->cut = true;
    } else {
        for (size_t i = 0; i < rd->ncells; i++) {
            if (i)
                fputc(',', rd->csv);
            sdc_csv_write_field(rd->csv, rd->cells[i], ',');
        }
        fputc('\n', rd->csv);
    }
    clear_row(rd->above, &rd->nabove);
    memcpy(rd->above, rd->cells, rd->ncells * sizeof *rd->cells);
    rd->nabove = rd->ncells;
    rd->ncells = 0;
}

/* Appends text to the cell being read, white space collapsed. */
static void cell_text(reader *rd, const char *t)
{
    for (; *t && rd->celllen + 1 < DOCX_CELL_MAX; t++) {
        bool ws = *t == ' ' || *t == '\t' || *t == '\n' || *t == '\r';
        if (ws && (rd->celllen == 0 || rd->cell[rd->celllen - 1] == ' '))
            continue;
        rd->cell[rd->celllen++] = ws ? ' ' : *t;
    }
}

static int step(reader *rd, xmlTextReaderPtr r)
{
    int type = xmlTextReaderNodeType(r);
    bool open = type == XML_READER_TYPE_ELEMENT, close = type == XML_READER_TYPE_END_ELEMENT;
    bool empty = open && xmlTextReaderIsEmptyElement(r);
    if (open && is(r, "tbl")) {
        if (++rd->depth == 1)
            return start_table(rd);
        rd->nested = true; /* a table in a cell: its text joins the cell's */
        return 0;
    }
    if (close && is(r, "tbl")) {
        if (rd->depth > 0 && --rd->depth == 0)
            return end_table(rd);
        return 0;
    }
    if (rd->depth == 0) {
        if (close && is(r, "p"))
            rd->paras++;
        return 0;
    }
    if (rd->depth > 1) { /* inside a nested table: only its text */
        if (open && is(r, "t"))
            rd->in_text = !empty;
        else if (close && is(r, "t"))
            rd->in_text = false;
        else if (type == XML_READER_TYPE_TEXT && rd->in_text)
            cell_text(rd, (const char *)xmlTextReaderConstValue(r));
        else if (close && (is(r, "tc") || is(r, "p")))
            cell_text(rd, " ");
        return 0;
    }
    if (open && is(r, "tr")) {
        clear_row(rd->cells, &rd->ncells);
    } else if (close && is(r, "tr")) {
        end_row(rd);
    } else if (open && is(r, "tc")) {
        rd->celllen = 0;
        rd->span = 1;
        rd->merged = false;
    } else if (close && is(r, "tc")) {
        while (rd->celllen && rd->cell[rd->celllen - 1] == ' ')
            rd->celllen--;
        return end_cell(rd);
    } else if (open && is(r, "gridSpan")) {
        xmlChar *v = xmlTextReaderGetAttributeNo(r, 0);
        long n = v ? strtol((const char *)v, NULL, 10) : 1;
        xmlFree(v);
        rd->span = n >= 1 && n <= 64 ? n : 1;
    } else if (open && is(r, "vMerge")) {
        xmlChar *v = xmlTextReaderGetAttributeNo(r, 0);
        rd->merged = !v || strcmp((const char *)v, "restart") != 0;
        xmlFree(v);
    } else if (open && is(r, "t")) {
        rd->in_text = !empty;
    } else if (close && is(r, "t")) {
        rd->in_text = false;
    } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
        if (rd->in_text)
            cell_text(rd, (const char *)xmlTextReaderConstValue(r));
    } else if (close && is(r, "p")) {
        cell_text(rd, " "); /* paragraphs of one cell */
    }
    return 0;
}

int sdc_docx_tables_read(const unsigned char *xml, size_t len, sdc_docx_tables *out)
{
    memset(out, 0, sizeof *out);
    if (len > (size_t)INT32_MAX) {
        out->error = true;
        return 0;
    }
    xmlTextReaderPtr r = xmlReaderForMemory((const char *)xml, (int)len, "document.xml", NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!r) {
        out->error = true;
        return 0;
    }
    reader rd = {.out = out};
    int ret, rc = 0;
    while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1)
        rc = step(&rd, r);
    if (rc == 0 && ret < 0)
        out->error = true;
    if (rd.csv) { /* a table left open: what there is, said to be cut */
        rd.cut = true;
        if (rc == 0)
            rc = end_table(&rd);
        else {
            fclose(rd.csv);
            free(rd.buf);
        }
    }
    clear_row(rd.cells, &rd.ncells);
    clear_row(rd.above, &rd.nabove);
    xmlFreeTextReader(r);
    if (rc < 0) {
        sdc_docx_tables_free(out);
        return -1;
    }
    return 0;
}

void sdc_docx_tables_free(sdc_docx_tables *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->items[i].csv);
    free(t->items);
    memset(t, 0, sizeof *t);
}
