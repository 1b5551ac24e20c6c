/*
 * html_table.c - an HTML <table> read into CSV (see html_table.h).
 *
 * libxml2's HTML parser builds the tree (it recovers from the tag soup
 * that knitr, pandas and gt write, without a network or a DTD). The rows
 * are the tr elements whose nearest table is this one, in document order
 * (thead, tbody and tfoot keep theirs); the cells are its th and td
 * children, placed on a grid that honours colspan and rowspan (HTML
 * Living Standard, 4.9.12 "Processing model", the table forming
 * algorithm, in its simple form: a cell takes the first free slot).
 */
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/html_table.h"
#include "table/table_write.h"

#define HTML_ROWS_MAX 20000 /* past max_table_rows: record-level anyway */
#define HTML_COLS_MAX 256
#define HTML_SPAN_MAX 64 /* colspan, rowspan: larger values are cut */

static bool named(const xmlNode *n, const char *tag)
{
    return n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, (const xmlChar *)tag) == 0;
}

static const xmlNode *first_table(const xmlNode *n)
{
    for (; n; n = n->next) {
        if (named(n, "table"))
            return n;
        const xmlNode *t = first_table(n->children);
        if (t)
            return t;
    }
    return NULL;
}

static long span_of(const xmlNode *cell, const char *attr, bool *cut)
{
    xmlChar *v = xmlGetProp(cell, (const xmlChar *)attr);
    long n = v ? strtol((const char *)v, NULL, 10) : 1;
    xmlFree(v);
    if (n < 1)
        n = 1;
    if (n > HTML_SPAN_MAX) {
        n = HTML_SPAN_MAX;
        *cut = true;
    }
    return n;
}

/* The text of a cell, its white space collapsed (as a browser shows it). */
static char *cell_text(const xmlNode *cell, bool *nested)
{
    *nested |= first_table(cell->children) != NULL;
    xmlChar *raw = xmlNodeGetContent(cell);
    const char *s = raw ? (const char *)raw : "";
    char *out = malloc(strlen(s) + 1);
    if (!out) {
        xmlFree(raw);
        return NULL;
    }
    size_t n = 0;
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* U+00A0 (no-break space, "&nbsp;") is white space in a cell */
        bool ws = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f';
        if (p[0] == 0xC2 && p[1] == 0xA0) {
            ws = true;
            p++;
        }
        if (ws) {
            space = n > 0;
            continue;
        }
        if (space)
            out[n++] = ' ';
        space = false;
        out[n++] = (char)*p;
    }
    out[n] = '\0';
    xmlFree(raw);
    return out;
}

/* The grid being filled: rows of HTML_COLS_MAX slots. */
typedef struct grid {
    char **slot; /* rows * HTML_COLS_MAX; NULL: free */
    size_t rows, cap;
    size_t cols;
    bool cut;
} grid;

static char **row_of(grid *g, size_t r)
{
    while (r >= g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 16;
        char **p = realloc(g->slot, cap * HTML_COLS_MAX * sizeof *p);
        if (!p)
            return NULL;
        memset(p + g->cap * HTML_COLS_MAX, 0, (cap - g->cap) * HTML_COLS_MAX * sizeof *p);
        g->slot = p;
        g->cap = cap;
    }
    if (r >= g->rows)
        g->rows = r + 1;
    return g->slot + r * HTML_COLS_MAX;
}

/* Places the cells of row R (a tr element). */
static int place_row(grid *g, size_t r, const xmlNode *tr, bool *nested)
{
    if (!row_of(g, r))
        return -1;
    size_t c = 0;
    for (const xmlNode *cell = tr->children; cell; cell = cell->next) {
        if (!named(cell, "td") && !named(cell, "th"))
            continue;
        char **row = row_of(g, r);
        if (!row)
            return -1;
        while (c < HTML_COLS_MAX && row[c])
            c++;
        if (c == HTML_COLS_MAX) {
            g->cut = true;
            return 0;
        }
        long cs = span_of(cell, "colspan", &g->cut), rs = span_of(cell, "rowspan", &g->cut);
        char *text = cell_text(cell, nested);
        if (!text)
            return -1;
        for (long dr = 0; dr < rs && r + (size_t)dr < HTML_ROWS_MAX; dr++) {
            char **under = row_of(g, r + (size_t)dr);
            if (!under) {
                free(text);
                return -1;
            }
            for (long dc = 0; dc < cs && c + (size_t)dc < HTML_COLS_MAX; dc++) {
                if (under[c + (size_t)dc])
                    continue;
                under[c + (size_t)dc] = strdup(text);
                if (!under[c + (size_t)dc]) {
                    free(text);
                    return -1;
                }
                if (c + (size_t)dc + 1 > g->cols)
                    g->cols = c + (size_t)dc + 1;
            }
        }
        free(text);
        c += (size_t)cs;
    }
    return 0;
}

/* The rows of TABLE: tr children of it and of its row groups. */
static int walk_rows(grid *g, const xmlNode *n, size_t *r, bool *nested)
{
    for (; n; n = n->next) {
        if (named(n, "tr")) {
            if (*r >= HTML_ROWS_MAX) {
                g->cut = true;
                return 0;
            }
            if (place_row(g, (*r)++, n, nested) < 0)
                return -1;
        } else if (named(n, "thead") || named(n, "tbody") || named(n, "tfoot")) {
            if (walk_rows(g, n->children, r, nested) < 0)
                return -1;
        }
    }
    return 0;
}

static int write_csv(const grid *g, sdc_html_table *out)
{
    FILE *f = open_memstream(&out->csv, &out->len);
    if (!f)
        return -1;
    for (size_t r = 0; r < g->rows; r++) {
        char **row = g->slot + r * HTML_COLS_MAX;
        for (size_t c = 0; c < g->cols; c++) {
            if (c)
                fputc(',', f);
            sdc_csv_write_field(f, row[c] ? row[c] : "", ',');
        }
        fputc('\n', f);
    }
    return fclose(f) == 0 ? 0 : -1;
}

int sdc_html_table_read(const char *html, size_t len, sdc_html_table *out)
{
    memset(out, 0, sizeof *out);
    if (len > (size_t)INT32_MAX)
        return -1;
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_COMPACT);
    if (!doc)
        return -1;
    const xmlNode *table = first_table(xmlDocGetRootElement(doc));
    grid g = {0};
    size_t r = 0;
    int rc = table ? walk_rows(&g, table->children, &r, &out->nested) : 0;
    if (rc == 0)
        rc = write_csv(&g, out);
    out->rows = g.rows;
    out->cols = g.cols;
    out->cut = g.cut;
    for (size_t i = 0; i < g.rows * HTML_COLS_MAX; i++)
        free(g.slot[i]);
    free(g.slot);
    xmlFreeDoc(doc);
    if (rc < 0) { /* a row or the CSV could not be kept */
        sdc_html_table_free(out);
        return -2;
    }
    return 0;
}

void sdc_html_table_free(sdc_html_table *t)
{
    free(t->csv);
    memset(t, 0, sizeof *t);
}
