/*
 * notebook.c - a notebook's outputs as text (see notebook.h).
 *
 * libyaml's event parser walks the JSON (JSON is YAML 1.2's flow style)
 * with a stack of where each value sits: a string is an output's when it
 * is under cells[i].outputs[j].data["text/html" | "text/plain"] or
 * cells[i].outputs[j].text, directly or in a list (nbformat 4, "The
 * notebook file format"). Pieces of one output are joined as Jupyter
 * joins them.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/vec.h"
#include "core/yaml_bound.h"
#include "read/notebook.h"

#define NB_DEPTH 16
#define NB_OUTPUT_MAX (16u << 20)

typedef struct level {
    bool map;
    bool want_key; /* a mapping waiting for its next key */
    char key[32];  /* the current key (cut) */
    long index;    /* a sequence's current item */
} level;

typedef struct walker {
    level st[NB_DEPTH];
    int depth; /* levels in use; deeper ones are counted, not kept */
    int over;  /* levels past NB_DEPTH */
    sdc_nb_outputs *out;
    sdc_nb_output cur;
    size_t cap;
    bool have;
} walker;

static int flush(walker *w)
{
    if (!w->have)
        return 0;
    w->have = false;
    sdc_nb_outputs *o = w->out;
    sdc_nb_output *items = realloc(o->items, (o->count + 1) * sizeof *items);
    if (!items)
        return -1;
    o->items = items;
    items[o->count++] = w->cur;
    memset(&w->cur, 0, sizeof w->cur);
    w->cap = 0;
    return 0;
}

/* What the value at the top of the stack is: 0 none, 1 html, 2 plain. */
static int output_kind(const walker *w, long *cell, long *output)
{
    const level *s = w->st;
    int d = w->depth;
    if (w->over || d < 5 || !s[0].map || strcmp(s[0].key, "cells") || s[1].map || !s[2].map ||
        strcmp(s[2].key, "outputs") || s[3].map || !s[4].map)
        return 0;
    *cell = s[1].index + 1;
    *output = s[3].index + 1;
    /* a list of lines one level deeper than the value itself */
    if (strcmp(s[4].key, "text") == 0 && (d == 5 || (d == 6 && !s[5].map)))
        return 2;
    if (strcmp(s[4].key, "data") == 0 && d >= 6 && s[5].map && (d == 6 || (d == 7 && !s[6].map))) {
        if (strcmp(s[5].key, "text/html") == 0)
            return 1;
        if (strcmp(s[5].key, "text/plain") == 0)
            return 2;
    }
    return 0;
}

static int scalar(walker *w, const char *v, size_t n)
{
    level *top = w->depth && !w->over ? &w->st[w->depth - 1] : NULL;
    if (top && top->map && top->want_key) {
        size_t k = n < sizeof top->key - 1 ? n : sizeof top->key - 1;
        memcpy(top->key, v, k);
        top->key[k] = '\0';
        top->want_key = false;
        return 0;
    }
    long cell = 0, output = 0;
    int kind = output_kind(w, &cell, &output);
    if (kind) {
        bool html = kind == 1;
        if (w->have && (w->cur.cell != cell || w->cur.output != output || w->cur.html != html) &&
            flush(w) < 0)
            return -1;
        if (!w->have) {
            w->have = true;
            w->cur = (sdc_nb_output){.cell = cell, .output = output, .html = html};
        }
        if (w->cur.len + n <= NB_OUTPUT_MAX) {
            if (SDC_VEC_RESERVE(w->cur.text, w->cap, w->cur.len + n + 1) < 0)
                return -1;
            memcpy(w->cur.text + w->cur.len, v, n);
            w->cur.len += n;
            w->cur.text[w->cur.len] = '\0';
        }
    }
    if (top && top->map)
        top->want_key = true;
    else if (top)
        top->index++;
    return 0;
}

static void push(walker *w, bool map)
{
    if (w->depth == NB_DEPTH) {
        w->over++;
        return;
    }
    w->st[w->depth++] = (level){.map = map, .want_key = map};
}

static void pop(walker *w)
{
    if (w->over) {
        w->over--;
        return;
    }
    if (w->depth)
        w->depth--;
    /* the collection was a value of the level above */
    level *top = w->depth ? &w->st[w->depth - 1] : NULL;
    if (top && top->map)
        top->want_key = true;
    else if (top)
        top->index++;
}

int sdc_notebook_outputs(const unsigned char *json, size_t len, sdc_nb_outputs *out)
{
    memset(out, 0, sizeof *out);
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return -1;
    yaml_parser_set_input_string(&parser, json, len);
    walker w = {.out = out};
    int rc = 0;
    long nest = 0;
    for (bool done = false; !done && rc == 0;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            out->error = true;
            break;
        }
        if ((ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT) &&
            ++nest > SDC_YAML_MAX_DEPTH) {
            /* core/yaml_bound.h: libyaml's cost grows as the depth squared */
            yaml_event_delete(&ev);
            out->error = true;
            break;
        }
        if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT)
            nest--;
        switch (ev.type) {
        case YAML_MAPPING_START_EVENT: push(&w, true); break;
        case YAML_SEQUENCE_START_EVENT: push(&w, false); break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (w.depth == 5 && !w.over) /* an output ended */
                rc = flush(&w);
            pop(&w);
            break;
        case YAML_SCALAR_EVENT:
            rc = scalar(&w, (const char *)ev.data.scalar.value, ev.data.scalar.length);
            break;
        case YAML_STREAM_END_EVENT: done = true; break;
        default: break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (rc == 0)
        rc = flush(&w);
    free(w.cur.text);
    if (rc < 0) {
        sdc_nb_outputs_free(out);
        return -1;
    }
    return 0;
}

void sdc_nb_outputs_free(sdc_nb_outputs *o)
{
    for (size_t i = 0; i < o->count; i++)
        free(o->items[i].text);
    free(o->items);
    memset(o, 0, sizeof *o);
}
