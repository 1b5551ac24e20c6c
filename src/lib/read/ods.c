/*
 * ods.c - the sheets of an OpenDocument spreadsheet, read from its
 * content.xml with libxml2's streaming reader and written out as CSV.
 *
 * OpenDocument v1.3 part 3 (OASIS), 9.1: a spreadsheet is
 * <office:body><office:spreadsheet><table:table table:name="..."> with
 * <table:table-row> elements (inside <table:table-header-rows> or row
 * groups as well) of <table:table-cell> and <table:covered-table-cell>
 * (the cells a merged cell covers). A row or a cell may stand for several:
 * table:number-rows-repeated, table:number-columns-repeated (applications
 * end a sheet with one empty row repeated to the last of the grid, a
 * million rows). A cell's office:value-type says what it holds; float and
 * currency cells carry the exact number in office:value, the others are
 * read as the text they show (their <text:p> paragraphs).
 */
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "read/ods.h"
#include "table/table_write.h"

#define TABLE_NS "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define OFFICE_NS "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

#define ODS_COLS_MAX 16384       /* as a spreadsheet's widest grid */
#define ODS_BLANK_ROWS_KEPT 1024 /* empty lines kept for a gap between rows */

typedef struct ods_reader {
    sdc_ods *out;
    size_t sheets_cap;
    long max_rows;
    /* the sheet being read */
    bool in_sheet;
    FILE *csv;
    char *buf;
    size_t size;
    long rows;           /* rows written */
    unsigned long blank; /* empty rows not yet written */
    /* the row being read */
    bool in_row;
    unsigned long repeat;
    char **cells;
    size_t ncells, cap;
    unsigned long empty; /* empty cells not yet added */
    bool failed;
} ods_reader;

static bool is(xmlTextReaderPtr r, const char *ns, const char *local)
{
    const xmlChar *n = xmlTextReaderConstNamespaceUri(r);
    const xmlChar *l = xmlTextReaderConstLocalName(r);
    return n && l && strcmp((const char *)n, ns) == 0 && strcmp((const char *)l, local) == 0;
}

/* A repeat count attribute: 1 when absent or not a positive number. */
static unsigned long repeated(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttributeNs(r, (const xmlChar *)name, (const xmlChar *)TABLE_NS);
    unsigned long n = 1;
    if (v) {
        char *end;
        unsigned long long k = strtoull((const char *)v, &end, 10);
        if (end != (char *)v && *end == '\0' && k > 0)
            n = k > 1000000000ULL ? 1000000000UL : (unsigned long)k;
        xmlFree(v);
    }
    return n;
}

static void clear_row(ods_reader *o)
{
    for (size_t i = 0; i < o->ncells; i++)
        free(o->cells[i]);
    o->ncells = 0;
    o->empty = 0;
}

static void push_cell(ods_reader *o, const char *text)
{
    if (o->ncells >= ODS_COLS_MAX)
        return;
    char *copy = strdup(text);
    if (!copy || SDC_VEC_RESERVE(o->cells, o->cap, o->ncells + 1) < 0) {
        free(copy);
        o->failed = true;
        return;
    }
    o->cells[o->ncells++] = copy;
}

/* TEXT, REPEAT times; empty cells wait until a cell with text follows
 * them, so a row's trailing empty cells are never added. */
static void add_cell(ods_reader *o, const char *text, unsigned long repeat)
{
    if (!*text) {
        o->empty += repeat;
        if (o->empty > ODS_COLS_MAX)
            o->empty = ODS_COLS_MAX;
        return;
    }
    for (; o->empty > 0; o->empty--)
        push_cell(o, "");
    for (unsigned long i = 0; i < repeat && o->ncells < ODS_COLS_MAX; i++)
        push_cell(o, text);
}

static bool csv_full(ods_reader *o)
{
    long at = ftell(o->csv);
    if (at >= 0 && (unsigned long)at <= SDC_ODS_CSV_MAX)
        return false;
    o->out->sheets[o->out->count - 1].cut = true;
    return true;
}

static void end_row(ods_reader *o)
{
    o->in_row = false;
    if (o->ncells == 0) { /* an empty row (or many): a line each, if more rows follow */
        o->blank += o->repeat;
        return;
    }
    if (o->csv && !csv_full(o)) {
        if (o->blank > ODS_BLANK_ROWS_KEPT)
            o->blank = ODS_BLANK_ROWS_KEPT;
        for (; o->blank > 0; o->blank--)
            fputc('\n', o->csv);
        unsigned long times = o->repeat;
        if (o->rows + (long)times > o->max_rows + 1) {
            times = o->rows > o->max_rows ? 0 : (unsigned long)(o->max_rows + 1 - o->rows);
            o->out->sheets[o->out->count - 1].cut = true;
        }
        for (unsigned long k = 0; k < times && !csv_full(o); k++) {
            for (size_t i = 0; i < o->ncells; i++) {
                if (i)
                    fputc(',', o->csv);
                sdc_csv_write_field(o->csv, o->cells[i], ',');
            }
            fputc('\n', o->csv);
            o->rows++;
        }
    }
    clear_row(o);
}

static void start_sheet(ods_reader *o, xmlTextReaderPtr r)
{
    sdc_ods *out = o->out;
    if (SDC_VEC_RESERVE(out->sheets, o->sheets_cap, out->count + 1) < 0) {
        o->failed = true;
        return;
    }
    sdc_ods_sheet *s = &out->sheets[out->count++];
    memset(s, 0, sizeof *s);
    xmlChar *name =
        xmlTextReaderGetAttributeNs(r, (const xmlChar *)"name", (const xmlChar *)TABLE_NS);
    char fallback[32];
    snprintf(fallback, sizeof fallback, "Sheet%zu", out->count);
    s->name = strdup(name ? (const char *)name : fallback);
    xmlFree(name);
    o->buf = NULL;
    o->size = 0;
    o->csv = open_memstream(&o->buf, &o->size);
    if (!s->name || !o->csv)
        o->failed = true;
    o->in_sheet = true;
    o->rows = 0;
    o->blank = 0;
}

static void end_sheet(ods_reader *o)
{
    if (o->in_row)
        end_row(o);
    o->in_sheet = false;
    if (!o->csv)
        return;
    if (fclose(o->csv) != 0)
        o->failed = true;
    o->csv = NULL;
    sdc_ods_sheet *s = &o->out->sheets[o->out->count - 1];
    s->csv = o->buf;
    s->len = o->size;
    o->buf = NULL;
}

/* The cell the reader is on: its text, REPEAT times. */
static void read_cell(ods_reader *o, xmlTextReaderPtr r)
{
    unsigned long repeat = repeated(r, "number-columns-repeated");
    xmlChar *type =
        xmlTextReaderGetAttributeNs(r, (const xmlChar *)"value-type", (const xmlChar *)OFFICE_NS);
    xmlChar *text = NULL;
    if (type &&
        (strcmp((const char *)type, "float") == 0 || strcmp((const char *)type, "currency") == 0))
        text = xmlTextReaderGetAttributeNs(r, (const xmlChar *)"value", (const xmlChar *)OFFICE_NS);
    if (!text && !xmlTextReaderIsEmptyElement(r))
        text = xmlTextReaderReadString(r);
    add_cell(o, text ? (const char *)text : "", repeat);
    xmlFree(type);
    xmlFree(text);
}

int sdc_ods_read(const unsigned char *xml, size_t len, long max_rows, sdc_ods *out)
{
    memset(out, 0, sizeof *out);
    if (len > (size_t)INT32_MAX)
        len = (size_t)INT32_MAX;
    xmlTextReaderPtr r = xmlReaderForMemory((const char *)xml, (int)len, "content.xml", NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!r)
        return -1;
    ods_reader o = {.out = out, .max_rows = max_rows};
    int ret = xmlTextReaderRead(r);
    while (ret == 1 && !o.failed) {
        int type = xmlTextReaderNodeType(r);
        bool skip = false;
        if (type == XML_READER_TYPE_ELEMENT) {
            bool empty = xmlTextReaderIsEmptyElement(r);
            if (is(r, OFFICE_NS, "spreadsheet")) {
                out->spreadsheet = true;
            } else if (out->spreadsheet && !o.in_sheet && is(r, TABLE_NS, "table")) {
                start_sheet(&o, r);
                if (empty)
                    end_sheet(&o);
            } else if (o.in_sheet && is(r, TABLE_NS, "table-row")) {
                o.in_row = true;
                o.repeat = repeated(r, "number-rows-repeated");
                clear_row(&o);
                if (empty)
                    end_row(&o);
            } else if (o.in_row &&
                       (is(r, TABLE_NS, "table-cell") || is(r, TABLE_NS, "covered-table-cell"))) {
                read_cell(&o, r);
                skip = !empty; /* its paragraphs are read: on to the next cell */
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (o.in_row && is(r, TABLE_NS, "table-row"))
                end_row(&o);
            else if (o.in_sheet && is(r, TABLE_NS, "table"))
                end_sheet(&o);
        }
        ret = skip ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
    }
    if (ret < 0 && !o.failed && !(out->error = strdup("content.xml could not be read to the end")))
        o.failed = true;
    if (o.in_sheet)
        end_sheet(&o);
    clear_row(&o);
    free(o.cells);
    xmlFreeTextReader(r);
    return o.failed ? -1 : 0;
}

void sdc_ods_free(sdc_ods *o)
{
    for (size_t i = 0; i < o->count; i++) {
        free(o->sheets[i].name);
        free(o->sheets[i].csv);
    }
    free(o->sheets);
    free(o->error);
    memset(o, 0, sizeof *o);
}
