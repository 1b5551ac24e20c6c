/*
 * xlsx.c - SpreadsheetML sheets read with libxml2's streaming reader.
 *
 * A sheet is <sheetData><row r="2"><c r="B2" t="s"><v>3</v></c>...; the cell
 * type t is "s" (index into the shared strings), "inlineStr" (<is><t>),
 * "str" (a formula's text), "b", "e", or absent (a number in <v>)
 * (ECMA-376 Part 1, 18.3.1.4 c, 18.4.8 si). Cells are kept as
 * (row, column, text or string index) until the workbook is complete, up to
 * the policy's max_table_rows rows: past that the sheet is record-level
 * data, as for a CSV.
 */
#include <libxml/xmlreader.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "table/table_build.h"
#include "read/xlsx.h"

typedef struct xcell {
    long row, col;
    long shared; /* shared string index, or -1 */
    char *text;  /* the cell's own text, or NULL */
} xcell;

typedef struct xsheet {
    char *member;
    bool text_only; /* a cover, contents or notes sheet (sdc_xlsx_table) */
    long slot;
    xcell *cells;
    size_t count, cap;
    long max_row, max_col;
    unsigned long long rows_seen;
    bool truncated;
    char *error; /* XML error, or NULL */
} xsheet;

typedef struct xname {
    char *name, *rid; /* workbook.xml: <sheet name= r:id=> */
} xname;

typedef struct xrel {
    char *id, *target; /* workbook.xml.rels: <Relationship Id= Target=> */
} xrel;

struct sdc_xlsx {
    const sdc_policy *policy;
    char **strings;
    size_t nstrings;
    xname *names;
    size_t nnames;
    xrel *rels;
    size_t nrels;
    xsheet *sheets;
    size_t nsheets;
};

sdc_xlsx_part sdc_xlsx_part_of(const char *member)
{
    if (strcmp(member, "xl/sharedStrings.xml") == 0)
        return SDC_XLSX_STRINGS;
    if (strcmp(member, "xl/workbook.xml") == 0)
        return SDC_XLSX_WORKBOOK;
    if (strcmp(member, "xl/_rels/workbook.xml.rels") == 0)
        return SDC_XLSX_RELS;
    if (strncmp(member, "xl/worksheets/", 14) == 0 && !strchr(member + 14, '/')) {
        size_t n = strlen(member);
        if (n > 4 && strcmp(member + n - 4, ".xml") == 0)
            return SDC_XLSX_SHEET;
    }
    return SDC_XLSX_NONE;
}

sdc_xlsx *sdc_xlsx_new(const sdc_policy *policy)
{
    sdc_xlsx *x = calloc(1, sizeof *x);
    if (x)
        x->policy = policy;
    return x;
}

static bool is_name(xmlTextReaderPtr r, const char *name)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n && strcmp((const char *)n, name) == 0;
}

/* Appends TEXT to *ACC (a growing string). */
static int append(char **acc, size_t *len, const char *text)
{
    size_t n = strlen(text);
    char *a = realloc(*acc, *len + n + 1);
    if (!a)
        return -1;
    memcpy(a + *len, text, n + 1);
    *acc = a;
    *len += n;
    return 0;
}

static int parse_strings(sdc_xlsx *x, xmlTextReaderPtr r)
{
    char *acc = NULL;
    size_t len = 0;
    bool in_si = false, in_t = false;
    int ret;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT && is_name(r, "si")) {
            in_si = true;
            free(acc);
            acc = strdup("");
            len = 0;
            if (!acc)
                return -1;
        } else if (type == XML_READER_TYPE_ELEMENT && is_name(r, "t") && in_si) {
            in_t = !xmlTextReaderIsEmptyElement(r);
        } else if (type == XML_READER_TYPE_END_ELEMENT && is_name(r, "t")) {
            in_t = false;
        } else if ((type == XML_READER_TYPE_TEXT ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
                   in_t) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            if (v && append(&acc, &len, (const char *)v) < 0)
                return -1;
        } else if (type == XML_READER_TYPE_END_ELEMENT && is_name(r, "si")) {
            char **s = realloc(x->strings, (x->nstrings + 1) * sizeof *s);
            if (!s)
                return -1;
            x->strings = s;
            x->strings[x->nstrings++] = acc ? acc : strdup("");
            acc = NULL;
            in_si = false;
        }
    }
    free(acc);
    return ret < 0 ? 1 : 0;
}

/* A row's r attribute (1-based, at most Excel's 1,048,576) as a 0-based
 * row; anything else is the row after PREV. */
static long sheet_row(const char *r, long prev)
{
    char *end;
    long v = strtol(r, &end, 10);
    return end != r && !*end && v >= 1 && v <= 1048576 ? v - 1 : prev + 1;
}

/* "BC12" -> column 54 (0-based), row 11 (0-based). */
static bool cell_ref(const char *ref, long *row, long *col)
{
    long c = 0, rr = 0;
    const char *p = ref;
    /* past Excel's last column (XFD, 16,384) and row (1,048,576) the
     * reference is bad: stop before the sum could overflow */
    while (*p >= 'A' && *p <= 'Z' && c <= 16384)
        c = c * 26 + (*p++ - 'A' + 1);
    while (*p >= '0' && *p <= '9' && rr <= 1048576)
        rr = rr * 10 + (*p++ - '0');
    if (c == 0 || rr == 0 || *p || c > 16384 || rr > 1048576)
        return false;
    *row = rr - 1;
    *col = c - 1;
    return true;
}

static int add_cell(xsheet *s, long row, long col, long shared, char *text)
{
    if (SDC_VEC_RESERVE(s->cells, s->cap, s->count + 1) < 0) {
        free(text);
        return -1;
    }
    s->cells[s->count++] = (xcell){row, col, shared, text};
    if (row > s->max_row)
        s->max_row = row;
    if (col > s->max_col)
        s->max_col = col;
    return 0;
}

static int parse_sheet(const sdc_xlsx *x, xsheet *s, xmlTextReaderPtr r)
{
    long row = -1, col = -1, next_col = 0;
    char type[16] = "";
    char *value = NULL;
    size_t vlen = 0;
    bool in_value = false, in_cell = false;
    int ret;
    s->max_row = s->max_col = -1;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int nt = xmlTextReaderNodeType(r);
        if (nt == XML_READER_TYPE_ELEMENT && is_name(r, "row")) {
            xmlChar *rn = xmlTextReaderGetAttribute(r, (const xmlChar *)"r");
            row = rn ? sheet_row((const char *)rn, row) : row + 1;
            xmlFree(rn);
            next_col = 0;
            s->rows_seen++;
            if ((long)s->rows_seen > x->policy->max_table_rows + 1) {
                s->truncated = true; /* record-level: stop keeping cells */
            }
        } else if (nt == XML_READER_TYPE_ELEMENT && is_name(r, "c")) {
            xmlChar *ref = xmlTextReaderGetAttribute(r, (const xmlChar *)"r");
            xmlChar *t = xmlTextReaderGetAttribute(r, (const xmlChar *)"t");
            long rr = row;
            col = next_col;
            if (ref && !cell_ref((const char *)ref, &rr, &col))
                col = next_col;
            next_col = col + 1;
            snprintf(type, sizeof type, "%s", t ? (const char *)t : "n");
            xmlFree(ref);
            xmlFree(t);
            in_cell = !xmlTextReaderIsEmptyElement(r);
            free(value);
            value = NULL;
            vlen = 0;
        } else if (nt == XML_READER_TYPE_ELEMENT && in_cell &&
                   (is_name(r, "v") || is_name(r, "t"))) {
            in_value = !xmlTextReaderIsEmptyElement(r);
        } else if (nt == XML_READER_TYPE_END_ELEMENT && (is_name(r, "v") || is_name(r, "t"))) {
            in_value = false;
        } else if ((nt == XML_READER_TYPE_TEXT || nt == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
                   in_value) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            if (!value)
                value = strdup("");
            if (!value || (v && append(&value, &vlen, (const char *)v) < 0))
                return -1;
        } else if (nt == XML_READER_TYPE_END_ELEMENT && is_name(r, "c")) {
            in_cell = false;
            if (value && !s->truncated && row >= 0) {
                if (strcmp(type, "s") == 0) {
                    char *end;
                    long idx = strtol(value, &end, 10); /* out of range: unresolved */
                    if (end == value || idx < 0 || idx == LONG_MAX)
                        idx = -2;
                    free(value);
                    if (add_cell(s, row, col, idx, NULL) < 0)
                        return -1;
                } else if (add_cell(s, row, col, -1, value) < 0) {
                    return -1;
                }
                value = NULL;
            }
            free(value);
            value = NULL;
        }
    }
    free(value);
    return ret < 0 ? 1 : 0;
}

/* ECMA-376 Part 1, 18.2.19 sheet (name, r:id) and the package's
 * relationships (Part 2, 9.3: Relationship Id, Target). */
static int parse_names(sdc_xlsx *x, xmlTextReaderPtr r, bool rels)
{
    int ret;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
            !is_name(r, rels ? "Relationship" : "sheet"))
            continue;
        xmlChar *a = xmlTextReaderGetAttribute(r, (const xmlChar *)(rels ? "Id" : "name"));
        xmlChar *b =
            rels
                ? xmlTextReaderGetAttribute(r, (const xmlChar *)"Target")
                : xmlTextReaderGetAttributeNs(r, (const xmlChar *)"id",
                                              (const xmlChar *)"http://schemas.openxmlformats.org/"
                                                               "officeDocument/2006/relationships");
        int rc = 0;
        if (a && b) {
            if (rels) {
                xrel *v = realloc(x->rels, (x->nrels + 1) * sizeof *v);
                if (v) {
                    x->rels = v;
                    v[x->nrels].id = strdup((const char *)a);
                    v[x->nrels].target = strdup((const char *)b);
                    rc = v[x->nrels].id && v[x->nrels].target ? 0 : -1;
                    x->nrels++;
                } else {
                    rc = -1;
                }
            } else {
                xname *v = realloc(x->names, (x->nnames + 1) * sizeof *v);
                if (v) {
                    x->names = v;
                    v[x->nnames].name = strdup((const char *)a);
                    v[x->nnames].rid = strdup((const char *)b);
                    rc = v[x->nnames].name && v[x->nnames].rid ? 0 : -1;
                    x->nnames++;
                } else {
                    rc = -1;
                }
            }
        }
        xmlFree(a);
        xmlFree(b);
        if (rc < 0)
            return -1;
    }
    return 0;
}

const char *sdc_xlsx_sheet_name(const sdc_xlsx *x, size_t i)
{
    const char *member = x->sheets[i].member; /* xl/worksheets/sheet4.xml */
    for (size_t k = 0; k < x->nrels; k++) {
        const char *t = x->rels[k].target; /* "worksheets/sheet4.xml" or "/xl/..." */
        if (t[0] == '/')
            t++;
        bool same = strcmp(t, member) == 0 ||
                    (strncmp(member, "xl/", 3) == 0 && strcmp(t, member + 3) == 0);
        if (!same)
            continue;
        for (size_t n = 0; n < x->nnames; n++)
            if (strcmp(x->names[n].rid, x->rels[k].id) == 0)
                return x->names[n].name;
    }
    return NULL;
}

int sdc_xlsx_add(sdc_xlsx *x, sdc_xlsx_part kind, const char *member, long slot, const void *bytes,
                 size_t len)
{
    xmlTextReaderPtr r = xmlReaderForMemory(
        bytes, (int)len, member, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int rc = 0;
    if (kind == SDC_XLSX_WORKBOOK || kind == SDC_XLSX_RELS) {
        rc = r ? parse_names(x, r, kind == SDC_XLSX_RELS) : 0;
        if (r)
            xmlFreeTextReader(r);
        return rc; /* a broken part leaves the sheets named by their parts */
    }
    if (kind == SDC_XLSX_STRINGS) {
        rc = r ? parse_strings(x, r) : 1;
        if (r)
            xmlFreeTextReader(r);
        return rc < 0 ? -1 : 0; /* a broken strings part shows as unresolved cells */
    }
    xsheet *s = realloc(x->sheets, (x->nsheets + 1) * sizeof *s);
    if (!s) {
        if (r)
            xmlFreeTextReader(r);
        return -1;
    }
    x->sheets = s;
    xsheet *sh = &x->sheets[x->nsheets++];
    memset(sh, 0, sizeof *sh);
    sh->member = strdup(member);
    sh->slot = slot;
    rc = r ? parse_sheet(x, sh, r) : 1;
    if (r)
        xmlFreeTextReader(r);
    if (rc > 0)
        sh->error = strdup("the sheet's XML could not be read to the end");
    return rc < 0 || !sh->member ? -1 : 0;
}

size_t sdc_xlsx_sheets(const sdc_xlsx *x)
{
    return x->nsheets;
}

long sdc_xlsx_slot(const sdc_xlsx *x, size_t i)
{
    return x->sheets[i].slot;
}

const char *sdc_xlsx_member(const sdc_xlsx *x, size_t i)
{
    return x->sheets[i].member;
}

static int cmp_cell(const void *a, const void *b)
{
    const xcell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

/* The text of a cell, resolved through the shared strings; NULL when it
 * points at a string that is missing. */
static const char *cell_text(const sdc_xlsx *x, const xcell *cell)
{
    if (cell->text)
        return cell->text;
    if (cell->shared >= 0 && (size_t)cell->shared < x->nstrings)
        return x->strings[cell->shared];
    return NULL;
}

/* One sheet row: its cells s->cells[from, to), how many hold text or a
 * number, and how many a number. */
typedef struct xrow {
    long row;
    size_t from, to;
    size_t filled, numbers;
    bool year; /* its one number is a year (a title's "2023") */
} xrow;

static bool is_number(const char *t, double *v)
{
    bool pct;
    return t && *t && sdc_number_parse(t, strlen(t), false, v, &pct);
}

static bool has_sentence(const char *t)
{
    size_t words = 0;
    for (const char *p = t; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        words++;
        while (*p && *p != ' ')
            p++;
    }
    return words >= 4;
}

/* The rows of sheet S (its cells sorted). */
static xrow *sheet_rows(const sdc_xlsx *x, const xsheet *s, size_t *n)
{
    xrow *rows = NULL;
    size_t count = 0, cap = 0;
    for (size_t k = 0; k < s->count;) {
        if (SDC_VEC_RESERVE(rows, cap, count + 1) < 0) {
            free(rows);
            return NULL;
        }
        xrow *r = &rows[count++];
        *r = (xrow){.row = s->cells[k].row, .from = k};
        for (; k < s->count && s->cells[k].row == r->row; k++) {
            const char *t = cell_text(x, &s->cells[k]);
            double v;
            if (!t || !*t)
                continue;
            r->filled++;
            if (is_number(t, &v)) {
                r->numbers++;
                r->year = v >= 1900 && v <= 2099 && v == (double)(long)v;
            }
        }
        r->to = k;
    }
    *n = count;
    return rows;
}

/*
 * Where the table of a sheet is: from its header row (the first row with
 * two cells or more, when every row above it has at most one cell, of
 * text or a year: a title, a description, a source) to its last row of
 * two cells or more, when every row below has at most one cell of text (a
 * note, "[c] = confidential"). Rows that break these patterns stay in.
 */
static void table_rows(const xrow *rows, size_t n, size_t *first, size_t *last)
{
    *first = 0;
    *last = n ? n - 1 : 0;
    size_t h = 0;
    while (h < n && rows[h].filled <= 1 && (rows[h].numbers == 0 || rows[h].year))
        h++;
    if (h < n && rows[h].filled >= 2)
        *first = h;
    size_t e = n;
    while (e > *first + 1 && rows[e - 1].filled <= 1 && rows[e - 1].numbers == 0)
        e--;
    if (e > *first && e < n && rows[e - 1].filled >= 2)
        *last = e - 1;
}

/* A cover, contents or notes sheet: no number, or numbers only in one
 * column counting its rows 1, 2, 3..., and a sentence somewhere. */
static bool text_sheet(const sdc_xlsx *x, const xsheet *s)
{
    long col = -1, next = 1;
    bool sentence = false;
    for (size_t k = 0; k < s->count; k++) {
        const char *t = cell_text(x, &s->cells[k]);
        double v;
        if (!t)
            return false;
        sentence |= has_sentence(t);
        if (!is_number(t, &v))
            continue;
        if ((col >= 0 && s->cells[k].col != col) || v != (double)next)
            return false;
        col = s->cells[k].col;
        next++;
    }
    return sentence;
}

bool sdc_xlsx_text_sheet(const sdc_xlsx *x, size_t i)
{
    return x->sheets[i].text_only;
}

sdc_table *sdc_xlsx_table(sdc_xlsx *x, size_t i, sdc_findings *findings)
{
    xsheet *s = &x->sheets[i];
    if (s->error) {
        sdc_finding_at at = {.advice = "save the workbook again, or submit the sheet as CSV"};
        sdc_findings_add(findings, "malformed", SDC_REVIEW, &at, "%s", s->error);
    }
    if (s->count == 0 || s->max_col < 0)
        return NULL;
    if (s->count > 1)
        qsort(s->cells, s->count, sizeof *s->cells, cmp_cell);
    size_t width = (size_t)s->max_col + 1;
    if (width > 16384)
        width = 16384;
    size_t nrows = 0;
    xrow *rows = sheet_rows(x, s, &nrows);
    /* A sheet is a list of its cells; the table made of them is a
     * rectangle. One cell far to the right of the rest (column XFD) may
     * not make every row that wide: the rectangle may cost what the
     * builder's padding may (table_build.h), and cells past it are
     * reported, not read. */
    size_t budget = s->count * SDC_TABLE_PAD_FACTOR + SDC_TABLE_PAD_MIN;
    if (rows && nrows > 0 && width > budget / nrows) {
        size_t fit = budget / nrows ? budget / nrows : 1;
        sdc_finding_at at = {.advice = "remove stray cells far from the table, or submit the "
                                       "sheet as CSV"};
        sdc_findings_add(findings, "malformed", SDC_REVIEW, &at,
                         "a cell in column %zu lies far to the right of the rest: the sheet "
                         "was read %zu columns wide and the cells past them were not "
                         "checked",
                         width, fit);
        width = fit;
    }
    const char **fields = calloc(width, sizeof *fields);
    size_t *lens = calloc(width, sizeof *lens);
    sdc_table_builder *b = sdc_table_builder_new(x->policy, false);
    if (!rows || !fields || !lens || !b) {
        free(rows);
        free(fields);
        free(lens);
        sdc_table_builder_free(b);
        sdc_findings_mark_incomplete(findings, SDC_INCOMPLETE_MEMORY);
        return NULL;
    }
    s->text_only = !s->truncated && text_sheet(x, s);
    size_t first = 0, last = nrows - 1;
    if (!s->text_only && !s->truncated)
        table_rows(rows, nrows, &first, &last);
    size_t unresolved = 0;
    bool added = false;
    for (size_t ri = first; ri <= last; ri++) {
        for (size_t c = 0; c < width; c++) {
            fields[c] = "";
            lens[c] = 0;
        }
        size_t used = 0;
        for (size_t k = rows[ri].from; k < rows[ri].to; k++) {
            const xcell *cell = &s->cells[k];
            if ((size_t)cell->col >= width)
                continue;
            const char *text = cell_text(x, cell);
            if (!text) {
                text = "";
                unresolved++;
            }
            fields[cell->col] = text;
            lens[cell->col] = strlen(text);
            if ((size_t)cell->col + 1 > used)
                used = (size_t)cell->col + 1;
        }
        /* Sheet rows are numbered: report them as the file's "lines". */
        if (used && sdc_table_builder_add(b, fields, lens, width, rows[ri].row + 1) < 0) {
            sdc_findings_mark_incomplete(findings, SDC_INCOMPLETE_MEMORY);
            break;
        }
        added |= used > 0;
    }
    free(fields);
    free(lens);
    if (unresolved) {
        sdc_finding_at at = {.advice = "save the workbook again, or submit the sheet as CSV"};
        sdc_findings_add(findings, "malformed", SDC_REVIEW, &at,
                         "%zu text cells point to shared strings that are missing", unresolved);
    }
    size_t left_out = first + (nrows - 1 - last);
    free(rows);
    unsigned long long seen = s->rows_seen > 0 ? s->rows_seen - 1 : 0;
    seen = seen > left_out ? seen - left_out : 0;
    /* Rows were added, so no table is memory running out. */
    sdc_table *t = sdc_table_builder_finish(b, seen, s->truncated);
    if (!t && added)
        sdc_findings_mark_incomplete(findings, SDC_INCOMPLETE_MEMORY);
    return t;
}

void sdc_xlsx_free(sdc_xlsx *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->nstrings; i++)
        free(x->strings[i]);
    free(x->strings);
    for (size_t i = 0; i < x->nsheets; i++) {
        for (size_t k = 0; k < x->sheets[i].count; k++)
            free(x->sheets[i].cells[k].text);
        free(x->sheets[i].cells);
        free(x->sheets[i].member);
        free(x->sheets[i].error);
    }
    free(x->sheets);
    for (size_t i = 0; i < x->nnames; i++) {
        free(x->names[i].name);
        free(x->names[i].rid);
    }
    free(x->names);
    for (size_t i = 0; i < x->nrels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].target);
    }
    free(x->rels);
    free(x);
}
