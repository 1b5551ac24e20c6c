/*
 * decode_json.c - records written as JSON or XML, turned back into a table.
 *
 * An array of flat objects (pandas' to_json(orient="records"), a list of
 * dicts dumped with json.dump, or the same one object per line as JSON
 * Lines) is a table of records: each object a row, each key a column.
 * The text of a JSON document (up to JSON_MAX) is parsed with libyaml,
 * whose flow style reads JSON (YAML 1.2 is a superset of it); the first
 * array of two or more objects at the top level or one level down (a
 * "data" or "records" member) is written out as CSV and walked as a
 * member, so it gets every table rule, microdata included. Values that
 * are themselves objects or arrays are left out.
 *
 * XML records (pandas' to_xml, R's XML and xml2 writers, SAS's XML engine,
 * database exports) are elements of one name, two or more, each flat: its
 * attributes and its child elements that hold only text are its fields
 * (`<data><row><id>1</id><sex>F</sex></row>...</data>`, or
 * `<row id="1" sex="F"/>`). They are looked for among the root's children
 * and its grandchildren, with libxml2's streaming reader, one record
 * expanded at a time; child elements with elements of their own are left
 * out, as nested JSON values are.
 */
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/vec.h"
#include "core/yaml_bound.h"
#include "classify/decode_internal.h"

#define JSON_MAX (16u << 20)
#define JSON_COLS 256

typedef struct cell {
    size_t row, col, at, len;
} cell;

typedef struct records {
    char *names[JSON_COLS];
    size_t ncols;
    cell *cells;
    size_t ncells, cap;
    rec_buf text; /* the values, one after another */
    size_t rows;
    long line; /* XML: where the first record starts */
    bool failed;
    bool *oom; /* set when records that failed are freed: the scan fails */
} records;

static int col_of(records *r, const char *name)
{
    for (size_t i = 0; i < r->ncols; i++)
        if (strcmp(r->names[i], name) == 0)
            return (int)i;
    if (r->ncols == JSON_COLS)
        return -1;
    if (!(r->names[r->ncols] = strdup(name))) {
        r->failed = true;
        return -1;
    }
    return (int)r->ncols++;
}

static void add_cell(records *r, int col, const char *v, size_t n)
{
    if (col < 0 || r->failed)
        return;
    size_t at = r->text.len;
    if (SDC_VEC_RESERVE(r->cells, r->cap, r->ncells + 1) < 0 ||
        SDC_VEC_RESERVE(r->text.p, r->text.cap, r->text.len + n + 1) < 0) {
        r->failed = true;
        return;
    }
    memcpy(r->text.p + at, v, n);
    r->text.len += n;
    r->cells[r->ncells++] = (cell){r->rows, (size_t)col, at, n};
}

/* Frees R's records; R is left empty, for the same scan. */
static void records_free(records *r)
{
    bool *oom = r->oom;
    if (r->failed && oom)
        *oom = true;
    for (size_t i = 0; i < r->ncols; i++)
        free(r->names[i]);
    free(r->cells);
    free(r->text.p);
    *r = (records){.oom = oom};
}

/* Every parser here is the first member of a jparser, so that next()
 * counts how deep the text nests and stops past SDC_YAML_MAX_DEPTH
 * (core/yaml_bound.h: libyaml's cost grows as the square of the depth). */
typedef struct jparser {
    yaml_parser_t y;
    long depth;
} jparser;

static bool next(yaml_parser_t *p, yaml_event_t *e)
{
    jparser *j = (jparser *)p;
    if (!yaml_parser_parse(p, e))
        return false;
    if (e->type == YAML_SEQUENCE_START_EVENT || e->type == YAML_MAPPING_START_EVENT) {
        if (++j->depth > SDC_YAML_MAX_DEPTH) {
            yaml_event_delete(e);
            return false;
        }
    } else if (e->type == YAML_SEQUENCE_END_EVENT || e->type == YAML_MAPPING_END_EVENT) {
        j->depth--;
    }
    return true;
}

/* Skips the rest of a collection whose start was just read. */
static bool skip(yaml_parser_t *p)
{
    int depth = 1;
    while (depth > 0) {
        yaml_event_t e;
        if (!next(p, &e))
            return false;
        if (e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT)
            depth++;
        else if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT)
            depth--;
        bool end = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        if (end)
            return false;
    }
    return true;
}

/* One object of the array, its start just read: a row. */
static bool record(yaml_parser_t *p, records *r)
{
    for (;;) {
        yaml_event_t k;
        if (!next(p, &k))
            return false;
        if (k.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&k);
            r->rows++;
            return true;
        }
        if (k.type != YAML_SCALAR_EVENT) {
            yaml_event_delete(&k);
            return false;
        }
        int col = col_of(r, (const char *)k.data.scalar.value);
        yaml_event_delete(&k);
        yaml_event_t v;
        if (!next(p, &v))
            return false;
        bool ok = true;
        if (v.type == YAML_SCALAR_EVENT)
            add_cell(r, col, (const char *)v.data.scalar.value, v.data.scalar.length);
        else if (v.type == YAML_SEQUENCE_START_EVENT || v.type == YAML_MAPPING_START_EVENT)
            ok = skip(p); /* nested: left out */
        else
            ok = false;
        yaml_event_delete(&v);
        if (!ok)
            return false;
    }
}

/* A sequence, its start just read: records when its items are objects. */
static bool sequence(yaml_parser_t *p, records *r, bool *found)
{
    records mine = {.oom = r->oom};
    bool ok = true;
    for (;;) {
        yaml_event_t e;
        if (!next(p, &e)) {
            ok = false;
            break;
        }
        yaml_event_type_t t = e.type;
        yaml_event_delete(&e);
        if (t == YAML_SEQUENCE_END_EVENT)
            break;
        if (t == YAML_MAPPING_START_EVENT) {
            if (!record(p, &mine)) {
                ok = false;
                break;
            }
        } else if (t == YAML_SEQUENCE_START_EVENT) {
            if (!skip(p)) {
                ok = false;
                break;
            }
        } else if (t != YAML_SCALAR_EVENT) {
            ok = false;
            break;
        }
    }
    if (ok && !*found && mine.rows >= 2 && mine.ncols >= 1 && !mine.failed) {
        *r = mine;
        *found = true;
    } else {
        records_free(&mine);
    }
    return ok;
}

/* The document: an array of objects, or an object with one as a value. */
static bool document(yaml_parser_t *p, records *r)
{
    bool found = false;
    yaml_event_t e;
    while (next(p, &e)) {
        yaml_event_type_t t = e.type;
        yaml_event_delete(&e);
        if (t == YAML_STREAM_END_EVENT)
            return found;
        if (t == YAML_SEQUENCE_START_EVENT) {
            if (!sequence(p, r, &found))
                return found;
        } else if (t == YAML_MAPPING_START_EVENT) {
            /* keys and values one level down: arrays there are looked at */
            for (;;) {
                yaml_event_t k, v;
                if (!next(p, &k))
                    return found;
                yaml_event_type_t kt = k.type;
                yaml_event_delete(&k);
                if (kt == YAML_MAPPING_END_EVENT)
                    break;
                if (kt != YAML_SCALAR_EVENT || !next(p, &v))
                    return found;
                yaml_event_type_t vt = v.type;
                yaml_event_delete(&v);
                if (vt == YAML_SEQUENCE_START_EVENT && !sequence(p, r, &found))
                    return found;
                if (vt == YAML_MAPPING_START_EVENT && !skip(p))
                    return found;
            }
        }
    }
    return found;
}

static void field(rec_buf *b, const char *f, size_t n, bool first, dec_out *o)
{
    (void)b;
    if (!first)
        dec_out_byte(o, ',');
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = f[i] == ',' || f[i] == '"' || f[i] == '\n' || f[i] == '\r';
    if (quote)
        dec_out_byte(o, '"');
    for (size_t i = 0; i < n; i++) {
        if (f[i] == '"')
            dec_out_byte(o, '"');
        dec_out_byte(o, (unsigned char)f[i]);
    }
    if (quote)
        dec_out_byte(o, '"');
}

/* The records as CSV (RFC 4180), kept as a payload to walk. */
static void emit(sdc_decode_scan *s, records *r, const char *encoding)
{
    dec_out o = {0};
    o.mode = DEC_KEEP;
    o.what = (sdc_classification){.file_class = SDC_CLASS_TABLE, .format = "csv"};
    for (size_t c = 0; c < r->ncols; c++)
        field(NULL, r->names[c], strlen(r->names[c]), c == 0, &o);
    dec_out_byte(&o, '\n');
    const cell *row[JSON_COLS];
    size_t k = 0;
    for (size_t i = 0; i < r->rows; i++) {
        memset(row, 0, sizeof row);
        while (k < r->ncells && r->cells[k].row == i) {
            row[r->cells[k].col] = &r->cells[k];
            k++;
        }
        for (size_t c = 0; c < r->ncols; c++)
            field(NULL, row[c] ? r->text.p + row[c]->at : "", row[c] ? row[c]->len : 0, c == 0, &o);
        dec_out_byte(&o, '\n');
    }
    dec_meta m = {.encoding = encoding, .line = r->line ? r->line : 1};
    dec_out_end(s, &o, &m, DEC_TEXT_YES);
    dec_out_free(&o);
}

void dec_json_feed(sdc_decode_scan *s, json_state *st, const unsigned char *t, size_t n)
{
    (void)s;
    if (!st->on || st->over)
        return;
    if (!st->started) {
        size_t i = 0;
        while (i < n && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t' ||
                         t[i] == 0xEF || t[i] == 0xBB || t[i] == 0xBF))
            i++;
        if (i == n)
            return;
        st->started = true;
        if (!st->code && (st->xml ? t[i] != '<' : t[i] != '[' && t[i] != '{')) {
            st->on = false;
            return;
        }
    }
    if (st->len + n > JSON_MAX) {
        st->over = true;
        return;
    }
    if (SDC_VEC_RESERVE(st->p, st->cap, st->len + n) < 0) {
        st->over = true;
        return;
    }
    memcpy(st->p + st->len, t, n);
    st->len += n;
}

/* JSON Lines: each line one object; parsed line by line. */
static bool json_lines(const unsigned char *p, size_t n, records *r)
{
    size_t at = 0;
    while (at < n) {
        const unsigned char *nl = memchr(p + at, '\n', n - at);
        size_t end = nl ? (size_t)(nl - p) : n;
        size_t i = at;
        while (i < end && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
            i++;
        if (i < end) {
            if (p[i] != '{')
                return false;
            jparser parser = {0};
            if (!yaml_parser_initialize(&parser.y))
                return false;
            yaml_parser_set_input_string(&parser.y, p + i, end - i);
            yaml_event_t e;
            bool ok = true;
            while (ok && next(&parser.y, &e)) {
                yaml_event_type_t t = e.type;
                yaml_event_delete(&e);
                if (t == YAML_MAPPING_START_EVENT) {
                    ok = record(&parser.y, r);
                    break;
                }
                if (t == YAML_STREAM_END_EVENT)
                    break;
            }
            yaml_parser_delete(&parser.y);
            if (!ok)
                return false;
        }
        at = end + 1;
    }
    return r->rows >= 2;
}

/* Is C an element holding text only (a field)? */
static bool field_element(xmlNodePtr c)
{
    if (c->type != XML_ELEMENT_NODE)
        return false;
    for (xmlNodePtr g = c->children; g; g = g->next)
        if (g->type == XML_ELEMENT_NODE)
            return false;
    return true;
}

/* Is N (an element) a flat record: fields from its attributes and its
 * child elements of text only, one at least? */
static bool flat_record(xmlNodePtr n)
{
    if (n->properties)
        return true;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (field_element(c))
            return true;
    return false;
}

static void xml_record(records *r, xmlNodePtr n)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
        add_cell(r, col_of(r, (const char *)a->name), v ? (const char *)v : "",
                 v ? strlen((const char *)v) : 0);
        xmlFree(v);
    }
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!field_element(c))
            continue; /* text, or nested elements: left out */
        xmlChar *v = xmlNodeGetContent(c);
        add_cell(r, col_of(r, (const char *)c->name), v ? (const char *)v : "",
                 v ? strlen((const char *)v) : 0);
        xmlFree(v);
    }
    r->rows++;
}

/* The first run of two or more flat records of one name under one parent,
 * among the root's children and grandchildren. */
static bool xml_document(const unsigned char *p, size_t n, records *out)
{
    if (n > (size_t)INT32_MAX)
        return false;
    xmlTextReaderPtr rd = xmlReaderForMemory((const char *)p, (int)n, "records.xml", NULL,
                                             XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                 XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!rd)
        return false;
    records cur = {.oom = out->oom};
    char name[128] = "";
    int depth = -1;
    unsigned long parent = 0, parents = 0; /* the depth-1 element the run is under */
    bool found = false;
    int ret = xmlTextReaderRead(rd);
    while (ret == 1 && !found && !cur.failed) {
        int d = xmlTextReaderDepth(rd);
        bool skip = false;
        if (xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT && (d == 1 || d == 2)) {
            if (d == 1)
                parents++;
            xmlNodePtr node = xmlTextReaderExpand(rd);
            const char *local = node ? (const char *)node->name : "";
            if (node && flat_record(node)) {
                bool same = cur.rows > 0 && d == depth && strcmp(local, name) == 0 &&
                            (d == 1 || parent == parents);
                if (!same) {
                    if (cur.rows >= 2) {
                        found = true;
                        break;
                    }
                    records_free(&cur);
                    snprintf(name, sizeof name, "%s", local);
                    depth = d;
                    parent = parents;
                    cur.line = xmlGetLineNo(node);
                }
                xml_record(&cur, node);
                skip = true;
            } else if (d == 2) {
                skip = true; /* deeper than records are looked for */
            }
        }
        ret = skip ? xmlTextReaderNext(rd) : xmlTextReaderRead(rd);
    }
    if (!found && cur.rows >= 2 && !cur.failed)
        found = true;
    xmlFreeTextReader(rd);
    if (found && !cur.failed) {
        *out = cur;
        return true;
    }
    records_free(&cur);
    return false;
}

/* The end of the bracketed literal that starts at P[AT] ('['): the index
 * of its closing bracket, or 0 when it does not close (strings in ' or ",
 * with their backslash escapes, skipped). */
static size_t literal_end(const unsigned char *p, size_t n, size_t at)
{
    int depth = 0;
    for (size_t i = at; i < n; i++) {
        unsigned char c = p[i];
        if (c == '"' || c == '\'') {
            for (i++; i < n && p[i] != c && p[i] != '\n'; i++)
                if (p[i] == '\\')
                    i++;
            continue;
        }
        if (c == '[' || c == '{')
            depth++;
        else if ((c == ']' || c == '}') && --depth == 0)
            return c == ']' ? i : 0;
    }
    return 0;
}

/* The first list literal of two or more flat dicts or objects in code
 * (Python's repr or pprint, a JavaScript array of objects): YAML's flow
 * style reads its quotes and bare keys. */
static bool code_literal(const unsigned char *p, size_t n, records *r)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '[')
            continue;
        size_t j = i + 1;
        while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r' || p[j] == '\n'))
            j++;
        if (j >= n || p[j] != '{')
            continue;
        size_t end = literal_end(p, n, i);
        if (!end)
            continue;
        jparser parser = {0};
        if (!yaml_parser_initialize(&parser.y)) {
            r->failed = true; /* out of memory */
            return false;
        }
        yaml_parser_set_input_string(&parser.y, p + i, end + 1 - i);
        bool found = document(&parser.y, r);
        yaml_parser_delete(&parser.y);
        if (found) {
            r->line = 1;
            for (size_t k = 0; k < i; k++)
                r->line += p[k] == '\n';
            return true;
        }
        i = end;
    }
    return false;
}

void dec_json_finish(sdc_decode_scan *s, json_state *st)
{
    if (!st->on || !st->started || st->over || !st->len)
        return;
    bool oom = false; /* records lost to memory running out */
    records r = {.oom = &oom};
    bool found;
    if (st->code) {
        if (code_literal(st->p, st->len, &r) && !r.failed)
            emit(s, &r, "list of records");
        records_free(&r);
        s->failed |= oom;
        return;
    }
    if (st->xml) {
        found = xml_document(st->p, st->len, &r);
        if (found)
            emit(s, &r, "xml records");
        records_free(&r);
        s->failed |= oom;
        return;
    }
    if (st->lines) {
        found = json_lines(st->p, st->len, &r) && !r.failed;
    } else {
        jparser parser = {0};
        if (!yaml_parser_initialize(&parser.y)) {
            s->failed = true; /* out of memory */
            return;
        }
        yaml_parser_set_input_string(&parser.y, st->p, st->len);
        found = document(&parser.y, &r);
        yaml_parser_delete(&parser.y);
    }
    if (found)
        emit(s, &r, "json records");
    records_free(&r);
    s->failed |= oom;
}

void dec_json_free(json_state *st)
{
    free(st->p);
    memset(st, 0, sizeof *st);
}
