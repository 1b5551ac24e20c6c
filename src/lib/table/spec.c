/*
 * spec.c - declared table layouts, read with libyaml (see spec.h).
 */
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/yaml_bound.h"
#include "core/vec.h"
#include "sdccheck/spec.h"

#define SPEC_MAX_LARGEST 8

typedef struct strvec {
    char **items;
    size_t count;
} strvec;

typedef struct evidence {
    char *measure;
    char *contributors;
    strvec largest;
} evidence;

/* One declared hierarchy: COLUMN's categories roll up to those of the
 * column PARENT (nested columns), or, when PARENT is NULL, to other labels
 * of COLUMN itself (a level map: CHILD[i] rolls up to UP[i], sorted by
 * child for bsearch; PARENTS, the distinct UP labels sorted, point into
 * UP; DEPTH is the number of labels on the longest path from a leaf to the
 * top). */
typedef struct hierarchy {
    char *column;
    char *parent;
    char **child, **up;
    size_t n;
    char **parents;
    size_t nparents, depth;
} hierarchy;

struct sdc_table_spec {
    strvec dimensions, counts, magnitudes, exceptions, totals;
    hierarchy *hier;
    size_t nhier;
    char *unit; /* the unit of contribution, or NULL */
    evidence *evidence;
    size_t nevidence;
    strvec *zeros; /* each a list of labels */
    size_t nzeros;
};

static int strvec_push(strvec *v, const char *s)
{
    char **items = realloc(v->items, (v->count + 1) * sizeof *items);
    if (!items)
        return -1;
    v->items = items;
    v->items[v->count] = strdup(s);
    return v->items[v->count++] ? 0 : -1;
}

static void strvec_free(strvec *v)
{
    for (size_t i = 0; i < v->count; i++)
        free(v->items[i]);
    free(v->items);
    memset(v, 0, sizeof *v);
}

void sdc_table_spec_free(sdc_table_spec *s)
{
    if (!s)
        return;
    strvec_free(&s->dimensions);
    strvec_free(&s->counts);
    strvec_free(&s->magnitudes);
    strvec_free(&s->exceptions);
    strvec_free(&s->totals);
    for (size_t i = 0; i < s->nhier; i++) {
        hierarchy *h = &s->hier[i];
        free(h->column);
        free(h->parent);
        for (size_t k = 0; k < h->n; k++) {
            free(h->child[k]);
            free(h->up[k]);
        }
        free(h->child);
        free(h->up);
        free(h->parents);
    }
    free(s->hier);
    free(s->unit);
    for (size_t i = 0; i < s->nevidence; i++) {
        free(s->evidence[i].measure);
        free(s->evidence[i].contributors);
        strvec_free(&s->evidence[i].largest);
    }
    free(s->evidence);
    for (size_t i = 0; i < s->nzeros; i++)
        strvec_free(&s->zeros[i]);
    free(s->zeros);
    free(s);
}

typedef struct reader {
    yaml_document_t *doc;
    const char *file;
    char *error;
} reader;

static void fail(reader *r, const yaml_node_t *n, const char *what, const char *name)
{
    if (r->error)
        return;
    if (asprintf(&r->error, "%s:%lu: %s%s%s%s", r->file,
                 n ? (unsigned long)n->start_mark.line + 1 : 0UL, what, name ? " '" : "",
                 name ? name : "", name ? "'" : "") < 0)
        r->error = NULL;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A string, or a list of strings, into V. */
static void read_list(reader *r, yaml_node_t *n, strvec *v)
{
    if (scalar(n)) {
        if (strvec_push(v, scalar(n)) < 0)
            fail(r, n, "out of memory", NULL);
        return;
    }
    if (!n || n->type != YAML_SEQUENCE_NODE) {
        fail(r, n, "expected a list of names", NULL);
        return;
    }
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *item = yaml_document_get_node(r->doc, *it);
        if (!scalar(item)) {
            fail(r, item, "expected a name", NULL);
            return;
        }
        if (strvec_push(v, scalar(item)) < 0)
            fail(r, item, "out of memory", NULL);
    }
}

static void read_evidence(reader *r, yaml_node_t *n, sdc_table_spec *s)
{
    if (!n || n->type != YAML_MAPPING_NODE) {
        fail(r, n, "evidence: expected a mapping of measure to {contributors, largest}", NULL);
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(r->doc, p->value);
        evidence *e = realloc(s->evidence, (s->nevidence + 1) * sizeof *e);
        if (!e || !scalar(k) || !v || v->type != YAML_MAPPING_NODE) {
            if (e)
                s->evidence = e;
            fail(r, k, "evidence: each measure needs {contributors, largest}", NULL);
            return;
        }
        s->evidence = e;
        evidence *ev = &s->evidence[s->nevidence++];
        memset(ev, 0, sizeof *ev);
        ev->measure = strdup(scalar(k));
        for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top;
             q++) {
            yaml_node_t *kk = yaml_document_get_node(r->doc, q->key);
            yaml_node_t *vv = yaml_document_get_node(r->doc, q->value);
            const char *key = scalar(kk);
            if (key && strcmp(key, "contributors") == 0 && scalar(vv)) {
                free(ev->contributors); /* a key given twice: the last one holds */
                ev->contributors = strdup(scalar(vv));
            } else if (key && strcmp(key, "largest") == 0)
                read_list(r, vv, &ev->largest);
            else
                fail(r, kk, "evidence: unknown key", key);
        }
    }
}

static int cmp_child(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct parents of H's level map (sorted, for bsearch) and its
 * depth, once the map is known to have no cycle. */
static void index_levels(reader *r, yaml_node_t *n, hierarchy *h)
{
    h->parents = malloc(h->n * sizeof *h->parents);
    if (!h->parents) {
        fail(r, n, "out of memory", NULL);
        return;
    }
    memcpy(h->parents, h->up, h->n * sizeof *h->parents);
    qsort(h->parents, h->n, sizeof *h->parents, cmp_child);
    h->nparents = 0;
    for (size_t i = 0; i < h->n; i++)
        if (h->nparents == 0 || strcmp(h->parents[h->nparents - 1], h->parents[i]) != 0)
            h->parents[h->nparents++] = h->parents[i];
    h->depth = 1;
    for (size_t i = 0; i < h->n; i++) {
        const char *at = h->child[i];
        size_t labels = 0;
        while (at) {
            char **hit = bsearch(&at, h->child, h->n, sizeof *h->child, cmp_child);
            at = hit ? h->up[hit - h->child] : NULL;
            labels++;
        }
        if (labels > h->depth)
            h->depth = labels;
    }
}

/* A listing of a level map: CHILD under UP, on LINE of the file. */
typedef struct level_pair {
    char *child, *up;
    unsigned long line;
} level_pair;

/* By child, then by line (so a child's first listing comes first). */
static int cmp_level_pair(const void *a, const void *b)
{
    const level_pair *x = a, *y = b;
    int k = strcmp(x->child, y->child);
    return k ? k : (x->line > y->line) - (x->line < y->line);
}

/* The line of the first listing of LABEL as a child (1 when none). */
static unsigned long line_of(const level_pair *pairs, size_t n, const char *label)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(pairs[i].child, label) == 0)
            return pairs[i].line;
    return 1;
}

/* A level map's errors, at LINE. */
static void fail_two_parents(reader *r, unsigned long line, const char *label, const char *first,
                             const char *second)
{
    if (!r->error &&
        asprintf(&r->error, "%s:%lu: hierarchies: '%s' is listed under two parents, '%s' and '%s'",
                 r->file, line, label, first, second) < 0)
        r->error = NULL;
}

static void fail_cycle(reader *r, unsigned long line, const char *label, const char *up)
{
    if (!r->error &&
        asprintf(&r->error, "%s:%lu: hierarchies: '%s' rolls up to itself (through '%s')", r->file,
                 line, label, up) < 0)
        r->error = NULL;
}

/* A level map: {parent: [children], ...} into H (sorted by child). A
 * label listed under two parents, or one that rolls up to itself, is an
 * error at the line of its (second) listing. */
static void read_levels(reader *r, yaml_node_t *n, hierarchy *h)
{
    level_pair *pairs = NULL;
    size_t cap = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top && !r->error; p++) {
        yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(r->doc, p->value);
        if (!scalar(k)) {
            fail(r, k, "hierarchies: expected a parent label", NULL);
            break;
        }
        /* the children: one label, or a list of them, each with its line */
        yaml_node_item_t one = p->value;
        yaml_node_item_t *it = &one, *end = &one + 1;
        if (v && v->type == YAML_SEQUENCE_NODE) {
            it = v->data.sequence.items.start;
            end = v->data.sequence.items.top;
        }
        for (; it < end && !r->error; it++) {
            yaml_node_t *kid = yaml_document_get_node(r->doc, *it);
            if (!scalar(kid)) {
                fail(r, kid, "hierarchies: expected a child label or a list of them", NULL);
                break;
            }
            if (SDC_VEC_RESERVE(pairs, cap, h->n + 1) < 0) {
                fail(r, k, "out of memory", NULL);
                break;
            }
            level_pair *lp = &pairs[h->n];
            lp->child = strdup(scalar(kid));
            lp->up = strdup(scalar(k));
            lp->line = (unsigned long)kid->start_mark.line + 1;
            if (lp->child && lp->up) {
                h->n++;
            } else {
                free(lp->child);
                free(lp->up);
                fail(r, k, "out of memory", NULL);
            }
        }
    }
    if (!r->error && h->n > 0 &&
        (!(h->child = malloc(h->n * sizeof *h->child)) || !(h->up = malloc(h->n * sizeof *h->up))))
        fail(r, n, "out of memory", NULL);
    if (r->error || h->n == 0) {
        for (size_t i = 0; i < h->n; i++) {
            free(pairs[i].child);
            free(pairs[i].up);
        }
        h->n = 0;
        free(pairs);
        return;
    }
    qsort(pairs, h->n, sizeof *pairs, cmp_level_pair);
    for (size_t i = 0; i < h->n; i++) {
        h->child[i] = pairs[i].child;
        h->up[i] = pairs[i].up;
        if (i > 0 && strcmp(h->child[i], h->child[i - 1]) == 0)
            fail_two_parents(r, pairs[i].line, h->child[i], h->up[i - 1], h->up[i]);
    }
    /* A label that is its own ancestor would loop for ever. */
    for (size_t i = 0; i < h->n && !r->error; i++) {
        const char *at = h->child[i];
        size_t steps = 0;
        while (at && steps <= h->n) {
            char **hit = bsearch(&at, h->child, h->n, sizeof *h->child, cmp_child);
            at = hit ? h->up[hit - h->child] : NULL;
            steps++;
        }
        if (at)
            fail_cycle(r, line_of(pairs, h->n, h->child[i]), h->child[i], h->up[i]);
    }
    free(pairs);
    if (!r->error)
        index_levels(r, n, h);
}

/* hierarchies: {child_column: parent_column, column: {parent: [children]}} */
static void read_hierarchies(reader *r, yaml_node_t *n, sdc_table_spec *s)
{
    if (!n || n->type != YAML_MAPPING_NODE) {
        fail(r, n, "hierarchies: expected a mapping (column: parent column, or column: levels)",
             NULL);
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top && !r->error; p++) {
        yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(r->doc, p->value);
        hierarchy *h = realloc(s->hier, (s->nhier + 1) * sizeof *h);
        if (!h || !scalar(k)) {
            if (h)
                s->hier = h;
            fail(r, k, h ? "hierarchies: expected a column name" : "out of memory", NULL);
            return;
        }
        s->hier = h;
        h = &s->hier[s->nhier++];
        memset(h, 0, sizeof *h);
        h->column = strdup(scalar(k));
        if (scalar(v))
            h->parent = strdup(scalar(v));
        else if (v && v->type == YAML_MAPPING_NODE)
            read_levels(r, v, h);
        else
            fail(r, v, "hierarchies: expected a parent column or a map of parent: [children]",
                 NULL);
        if (!h->column || (scalar(v) && !h->parent))
            fail(r, k, "out of memory", NULL);
    }
}

static void read_declaration(reader *r, yaml_node_t *n, sdc_table_spec *s)
{
    if (!n || n->type != YAML_MAPPING_NODE) {
        fail(r, n, "a declared layout is a mapping", NULL);
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top && !r->error; p++) {
        yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(r->doc, p->value);
        const char *key = scalar(k);
        if (!key)
            fail(r, k, "expected a key", NULL);
        else if (strcmp(key, "dimensions") == 0)
            read_list(r, v, &s->dimensions);
        else if (strcmp(key, "counts") == 0)
            read_list(r, v, &s->counts);
        else if (strcmp(key, "magnitudes") == 0)
            read_list(r, v, &s->magnitudes);
        else if (strcmp(key, "exceptions") == 0)
            read_list(r, v, &s->exceptions);
        else if (strcmp(key, "totals") == 0)
            read_list(r, v, &s->totals);
        else if (strcmp(key, "hierarchies") == 0)
            read_hierarchies(r, v, s);
        else if (strcmp(key, "unit") == 0) {
            free(s->unit); /* a key given twice: the last one holds */
            s->unit = scalar(v) ? strdup(scalar(v)) : NULL;
            if (!scalar(v))
                fail(r, v, "unit: expected a column name", NULL);
            else if (!s->unit)
                fail(r, v, "out of memory", NULL);
        } else if (strcmp(key, "evidence") == 0)
            read_evidence(r, v, s);
        else if (strcmp(key, "structural_zeros") == 0) {
            if (!v || v->type != YAML_SEQUENCE_NODE) {
                fail(r, v, "structural_zeros: expected a list of label lists", NULL);
                continue;
            }
            for (yaml_node_item_t *it = v->data.sequence.items.start;
                 it < v->data.sequence.items.top && !r->error; it++) {
                strvec *z = realloc(s->zeros, (s->nzeros + 1) * sizeof *z);
                if (!z) {
                    fail(r, v, "out of memory", NULL);
                    break;
                }
                s->zeros = z;
                memset(&s->zeros[s->nzeros], 0, sizeof *z);
                read_list(r, yaml_document_get_node(r->doc, *it), &s->zeros[s->nzeros++]);
            }
        } else
            fail(r, k, "unknown key", key);
    }
}

/* Loads PATH's YAML document into DOC; NULL root on error (ST set). */
static yaml_node_t *load(const char *path, yaml_document_t *doc, sdc_status *st)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        sdc_status_set(st, sdc_error_from_errno(errno), "%s: cannot read", path);
        return NULL;
    }
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    long at = 1;
    sdc_yaml_shape shape = sdc_yaml_shape_check(&parser, true, &at);
    yaml_parser_delete(&parser);
    if (shape == SDC_YAML_TOO_DEEP || shape == SDC_YAML_ALIAS) {
        sdc_status_set(st, SDC_EPARSE, "%s:%ld: %s in a declared layout", path, at,
                       sdc_yaml_shape_message(shape));
        fclose(f);
        return NULL;
    }
    rewind(f);
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    yaml_node_t *root = NULL;
    if (!yaml_parser_load(&parser, doc)) {
        sdc_status_set(st, SDC_EPARSE, "%s:%lu: %s", path,
                       (unsigned long)parser.problem_mark.line + 1,
                       parser.problem ? parser.problem : "YAML error");
    } else {
        root = yaml_document_get_root_node(doc);
        if (!root) {
            yaml_document_delete(doc);
            sdc_status_set(st, SDC_EPARSE, "%s: empty", path);
        }
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return root;
}

/* What a reader's error becomes: a declaration that does not fit the
 * schema (its message has the file and line), or memory. */
static void reader_status(reader *r, sdc_status *st)
{
    if (r->error)
        sdc_status_set(st, SDC_EINVAL, "%s", r->error);
    else
        sdc_status_set(st, SDC_ENOMEM, "out of memory");
    free(r->error);
    r->error = NULL;
}

sdc_table_spec *sdc_table_spec_load(const char *path, sdc_status *st)
{
    yaml_document_t doc;
    yaml_node_t *root = load(path, &doc, st);
    if (!root)
        return NULL;
    sdc_table_spec *s = calloc(1, sizeof *s);
    reader r = {.doc = &doc, .file = path};
    if (s)
        read_declaration(&r, root, s);
    yaml_document_delete(&doc);
    if (!s || r.error) {
        reader_status(&r, st);
        sdc_table_spec_free(s);
        return NULL;
    }
    return s;
}

sdc_table_spec *sdc_table_spec_for(const char *spec_file, const char *table_path, sdc_status *st)
{
    yaml_document_t doc;
    yaml_node_t *root = load(spec_file, &doc, st);
    if (!root)
        return NULL;
    reader r = {.doc = &doc, .file = spec_file};
    sdc_table_spec *found = NULL;
    yaml_node_t *tables = NULL;
    if (root->type == YAML_MAPPING_NODE)
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
             p++) {
            const char *key = scalar(yaml_document_get_node(&doc, p->key));
            if (key && strcmp(key, "tables") == 0)
                tables = yaml_document_get_node(&doc, p->value);
            else
                fail(&r, yaml_document_get_node(&doc, p->key), "unknown key", key);
        }
    if (!r.error && (!tables || tables->type != YAML_MAPPING_NODE))
        fail(&r, root, "a table spec is a mapping with 'tables:' (name -> layout)", NULL);
    const char *slash = strrchr(table_path, '/');
    const char *base = slash ? slash + 1 : table_path;
    for (yaml_node_pair_t *p = tables && !r.error ? tables->data.mapping.pairs.start : NULL;
         p && p < tables->data.mapping.pairs.top && !found && !r.error; p++) {
        const char *name = scalar(yaml_document_get_node(&doc, p->key));
        if (!name || (strcmp(name, table_path) != 0 && strcmp(name, base) != 0))
            continue;
        found = calloc(1, sizeof *found);
        if (found)
            read_declaration(&r, yaml_document_get_node(&doc, p->value), found);
    }
    yaml_document_delete(&doc);
    if (r.error) {
        reader_status(&r, st);
        sdc_table_spec_free(found);
        return NULL;
    }
    return found;
}

/* Sets the role of each named column; a name that is not a column is a
 * finding (the declaration does not fit the table). */
static void set_roles(sdc_table *t, const strvec *names, sdc_column_role role,
                      sdc_findings *findings)
{
    for (size_t i = 0; i < names->count; i++) {
        long c = sdc_table_column(t, names->items[i]);
        if (c < 0) {
            sdc_finding_at at = {.advice = "make the declared layout name the table's columns"};
            sdc_findings_add(findings, "malformed", SDC_REVIEW, &at,
                             "the declared layout names column '%s', which the table does not "
                             "have",
                             names->items[i]);
            continue;
        }
        t->columns[c].role = role;
        t->columns[c].read_as_counts = false;
    }
}

bool sdc_table_spec_is_total(const sdc_table_spec *spec, const char *label)
{
    if (!spec)
        return false;
    for (size_t i = 0; i < spec->totals.count; i++)
        if (strcmp(spec->totals.items[i], label) == 0)
            return true;
    return false;
}

static const hierarchy *hierarchy_of(const sdc_table_spec *spec, const char *column)
{
    for (size_t i = 0; spec && i < spec->nhier; i++)
        if (strcmp(spec->hier[i].column, column) == 0)
            return &spec->hier[i];
    return NULL;
}

const char *sdc_table_spec_parent_column(const sdc_table_spec *spec, const char *column)
{
    const hierarchy *h = hierarchy_of(spec, column);
    return h ? h->parent : NULL;
}

bool sdc_table_spec_has_levels(const sdc_table_spec *spec, const char *column)
{
    const hierarchy *h = hierarchy_of(spec, column);
    return h && !h->parent;
}

const char *sdc_table_spec_parent_label(const sdc_table_spec *spec, const char *column,
                                        const char *label)
{
    const hierarchy *h = hierarchy_of(spec, column);
    if (!h || h->parent || h->n == 0)
        return NULL;
    char **hit = bsearch(&label, h->child, h->n, sizeof *h->child, cmp_child);
    return hit ? h->up[hit - h->child] : NULL;
}

size_t sdc_table_spec_level_depth(const sdc_table_spec *spec, const char *column)
{
    const hierarchy *h = hierarchy_of(spec, column);
    return h && !h->parent && h->depth > 1 ? h->depth : 1;
}

bool sdc_table_spec_label_has_children(const sdc_table_spec *spec, const char *column,
                                       const char *label)
{
    const hierarchy *h = hierarchy_of(spec, column);
    return h && !h->parent && h->nparents &&
           bsearch(&label, h->parents, h->nparents, sizeof *h->parents, cmp_child);
}

/* ---- writing the hierarchies back (for a table that protect builds) ---- */

static int emit_scalar(yaml_emitter_t *em, const char *text)
{
    yaml_event_t ev;
    return yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, -1, 1, 1,
                                        YAML_ANY_SCALAR_STYLE) &&
                   yaml_emitter_emit(em, &ev)
               ? 0
               : -1;
}

static int emit_start(yaml_emitter_t *em, bool mapping, bool flow)
{
    yaml_event_t ev;
    int ok =
        mapping
            ? yaml_mapping_start_event_initialize(
                  &ev, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE)
            : yaml_sequence_start_event_initialize(
                  &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    return ok && yaml_emitter_emit(em, &ev) ? 0 : -1;
}

static int emit_end(yaml_emitter_t *em, bool mapping)
{
    yaml_event_t ev;
    int ok =
        mapping ? yaml_mapping_end_event_initialize(&ev) : yaml_sequence_end_event_initialize(&ev);
    return ok && yaml_emitter_emit(em, &ev) ? 0 : -1;
}

/* The hierarchy of COLUMNS[c] that a table of COLUMNS can carry: levels
 * within it, or nested in another of COLUMNS; NULL when none. */
static const hierarchy *carried(const sdc_table_spec *spec, const char *const *columns,
                                size_t ncolumns, size_t c)
{
    const hierarchy *h = hierarchy_of(spec, columns[c]);
    if (!h || !h->parent)
        return h;
    for (size_t k = 0; k < ncolumns; k++)
        if (strcmp(columns[k], h->parent) == 0)
            return h;
    return NULL;
}

/* One level map, parent: [children], parents and children in label order. */
static int emit_levels(yaml_emitter_t *em, const hierarchy *h)
{
    int rc = emit_start(em, true, false);
    for (size_t p = 0; rc == 0 && p < h->nparents; p++) {
        rc = emit_scalar(em, h->parents[p]);
        if (rc == 0)
            rc = emit_start(em, false, true);
        for (size_t i = 0; rc == 0 && i < h->n; i++)
            if (strcmp(h->up[i], h->parents[p]) == 0)
                rc = emit_scalar(em, h->child[i]);
        if (rc == 0)
            rc = emit_end(em, false);
    }
    return rc == 0 ? emit_end(em, true) : rc;
}

int sdc_table_spec_write_hierarchies(const sdc_table_spec *spec, const char *const *columns,
                                     size_t ncolumns, FILE *out)
{
    yaml_emitter_t em;
    yaml_event_t ev;
    if (!yaml_emitter_initialize(&em))
        return SDC_ENOMEM;
    yaml_emitter_set_output_file(&em, out);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, -1);
    int rc = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
                     yaml_emitter_emit(&em, &ev) &&
                     yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
                     yaml_emitter_emit(&em, &ev)
                 ? 0
                 : -1;
    if (rc == 0)
        rc = emit_start(&em, true, false);
    if (rc == 0)
        rc = emit_scalar(&em, "hierarchies");
    if (rc == 0)
        rc = emit_start(&em, true, false);
    for (size_t c = 0; rc == 0 && c < ncolumns; c++) {
        const hierarchy *h = carried(spec, columns, ncolumns, c);
        if (!h)
            continue;
        rc = emit_scalar(&em, h->column);
        if (rc == 0)
            rc = h->parent ? emit_scalar(&em, h->parent) : emit_levels(&em, h);
    }
    for (int i = 0; i < 2 && rc == 0; i++)
        rc = emit_end(&em, true);
    if (rc == 0)
        rc = yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
                     yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) &&
                     yaml_emitter_flush(&em)
                 ? 0
                 : -1;
    yaml_emitter_delete(&em);
    return rc == 0 && !ferror(out) ? SDC_OK : SDC_EIO;
}

bool sdc_table_spec_declares_hierarchy(const sdc_table_spec *spec, const char *const *columns,
                                       size_t ncolumns)
{
    for (size_t c = 0; c < ncolumns; c++)
        if (carried(spec, columns, ncolumns, c))
            return true;
    return false;
}

/* Declared total labels mark total rows and columns, as the policy's do. */
static void apply_totals(const sdc_table_spec *spec, sdc_table *t)
{
    if (spec->totals.count == 0)
        return;
    for (size_t c = 0; c < t->ncols; c++)
        if (sdc_table_spec_is_total(spec, t->columns[c].name))
            t->columns[c].is_total = true;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols && !t->row_is_total[r]; c++)
            if (t->columns[c].role == SDC_COL_LABEL &&
                sdc_table_spec_is_total(spec, sdc_table_cell(t, r, c)->text))
                t->row_is_total[r] = true;
}

/* Orders row indices by one column's label, then by file order. */
typedef struct child_order {
    const sdc_table *t;
    size_t col;
} child_order;

static int cmp_child_rows(const void *a, const void *b, void *arg)
{
    const child_order *o = arg;
    size_t ra = *(const size_t *)a, rb = *(const size_t *)b;
    int k = strcmp(sdc_table_cell(o->t, ra, o->col)->text, sdc_table_cell(o->t, rb, o->col)->text);
    return k ? k : (ra > rb) - (ra < rb);
}

/* A declared hierarchy must fit the table: its columns exist, and in
 * nested columns each category of the child lies under one parent
 * category (else "rolls up" means nothing, and the audit would use
 * equations that are not there). */
static void check_hierarchies(const sdc_table_spec *spec, sdc_table *t, sdc_findings *findings)
{
    for (size_t i = 0; i < spec->nhier; i++) {
        const hierarchy *h = &spec->hier[i];
        strvec names = {.items = (char **)&h->column, .count = 1};
        long c = sdc_table_column(t, h->column);
        if (c < 0 || t->columns[c].role != SDC_COL_LABEL) {
            if (c < 0)
                set_roles(t, &names, SDC_COL_LABEL, findings);
            continue;
        }
        if (!h->parent)
            continue;
        long pc = sdc_table_column(t, h->parent);
        if (pc < 0) {
            strvec pv = {.items = (char **)&h->parent, .count = 1};
            set_roles(t, &pv, SDC_COL_LABEL, findings);
            continue;
        }
        /* The rows sorted by child (then file order): each row is compared
         * with the first row of its child, and the earliest row that
         * disagrees is reported (one finding per hierarchy is enough). */
        size_t *rows = malloc((t->nrows + 1) * sizeof *rows), n = 0;
        if (!rows)
            continue;
        for (size_t r = 0; r < t->nrows; r++) {
            const char *kid = sdc_table_cell(t, r, (size_t)c)->text;
            const char *up = sdc_table_cell(t, r, (size_t)pc)->text;
            if (kid[0] && !sdc_table_spec_is_total(spec, kid) && !t->row_is_total[r] &&
                !sdc_table_spec_is_total(spec, up))
                rows[n++] = r;
        }
        child_order order = {t, (size_t)c};
        qsort_r(rows, n, sizeof *rows, cmp_child_rows, &order);
        size_t bad = SIZE_MAX, first_of_bad = 0;
        for (size_t a = 0, b; a < n; a = b) {
            const char *kid = sdc_table_cell(t, rows[a], (size_t)c)->text;
            const char *first = sdc_table_cell(t, rows[a], (size_t)pc)->text;
            for (b = a + 1; b < n && strcmp(sdc_table_cell(t, rows[b], (size_t)c)->text, kid) == 0;
                 b++) {
                const char *up = sdc_table_cell(t, rows[b], (size_t)pc)->text;
                if (up[0] && strcmp(up, first) != 0 && rows[b] < bad) {
                    bad = rows[b];
                    first_of_bad = rows[a];
                }
            }
        }
        if (bad != SIZE_MAX) {
            sdc_finding_at at = {.line = t->row_line[bad],
                                 .advice = "fix the hierarchy or the labels: each category "
                                           "rolls up to one parent"};
            sdc_findings_add(findings, "malformed", SDC_REVIEW, &at,
                             "the declared hierarchy says %s rolls up to %s, but '%s' is "
                             "under both '%s' and '%s'",
                             h->column, h->parent, sdc_table_cell(t, bad, (size_t)c)->text,
                             sdc_table_cell(t, first_of_bad, (size_t)pc)->text,
                             sdc_table_cell(t, bad, (size_t)pc)->text);
        }
        free(rows);
    }
}

void sdc_table_spec_apply(const sdc_table_spec *spec, sdc_table *t, sdc_findings *findings)
{
    t->spec = spec;
    /* The declaration replaces what inference said of these columns. */
    for (size_t i = 0; i < findings->count; i++) {
        sdc_finding *f = &findings->items[i];
        if (strcmp(f->rule, "unrecognised-column") != 0 || !f->column)
            continue;
        for (size_t k = 0; k < spec->counts.count + spec->magnitudes.count + spec->dimensions.count;
             k++) {
            const char *n =
                k < spec->counts.count ? spec->counts.items[k]
                : k < spec->counts.count + spec->magnitudes.count
                    ? spec->magnitudes.items[k - spec->counts.count]
                    : spec->dimensions.items[k - spec->counts.count - spec->magnitudes.count];
            if (strcmp(n, f->column) == 0)
                f->verdict = SDC_PASS;
        }
    }
    set_roles(t, &spec->dimensions, SDC_COL_LABEL, findings);
    set_roles(t, &spec->counts, SDC_COL_COUNT, findings);
    set_roles(t, &spec->magnitudes, SDC_COL_MAGNITUDE, findings);
    for (size_t i = 0; i < spec->nevidence; i++) {
        const evidence *e = &spec->evidence[i];
        long m = sdc_table_column(t, e->measure);
        strvec one = {.items = (char **)&e->measure, .count = 1};
        if (m < 0) {
            set_roles(t, &one, SDC_COL_MAGNITUDE, findings);
            continue;
        }
        if (e->contributors) {
            long c = sdc_table_column(t, e->contributors);
            strvec cv = {.items = (char **)&e->contributors, .count = 1};
            if (c < 0) {
                set_roles(t, &cv, SDC_COL_CONTRIBUTORS, findings);
            } else {
                t->columns[c].role = SDC_COL_CONTRIBUTORS;
                t->columns[c].measure = m;
                t->columns[m].contributors = c;
            }
        }
        for (size_t k = 0; k < e->largest.count && k < SPEC_MAX_LARGEST; k++) {
            long c = sdc_table_column(t, e->largest.items[k]);
            strvec lv = {.items = &e->largest.items[k], .count = 1};
            if (c < 0) {
                set_roles(t, &lv, SDC_COL_LARGEST, findings);
                continue;
            }
            t->columns[c].role = SDC_COL_LARGEST;
            t->columns[c].rank = (int)k + 1;
            t->columns[c].measure = m;
            t->columns[m].largest[k] = c;
        }
    }
    t->label_columns = 0;
    for (size_t c = 0; c < t->ncols; c++)
        t->label_columns += t->columns[c].role == SDC_COL_LABEL;
    apply_totals(spec, t);
    check_hierarchies(spec, t, findings);
    if (t->shape == SDC_SHAPE_WIDE && spec->magnitudes.count > 0)
        t->shape = SDC_SHAPE_LONG;
    for (size_t i = 0; i < spec->exceptions.count; i++) {
        sdc_finding_at at = {0};
        sdc_findings_add(findings, "exception", SDC_PASS, &at, "the researcher says: %s",
                         spec->exceptions.items[i]);
    }
}

const char *sdc_table_spec_unit(const sdc_table_spec *spec)
{
    return spec ? spec->unit : NULL;
}

bool sdc_table_spec_structural_zero(const sdc_table_spec *spec, const sdc_table *t, size_t r,
                                    size_t c)
{
    if (!spec)
        return false;
    for (size_t z = 0; z < spec->nzeros; z++) {
        const strvec *labels = &spec->zeros[z];
        size_t k = 0;
        bool match = true;
        for (size_t col = 0; col < t->ncols && match; col++) {
            if (t->columns[col].role != SDC_COL_LABEL || t->columns[col].is_index)
                continue;
            match =
                k < labels->count && strcmp(sdc_table_cell(t, r, col)->text, labels->items[k]) == 0;
            k++;
        }
        /* A wide crosstab's cell also names its column. */
        if (match && k < labels->count)
            match = k + 1 == labels->count && strcmp(t->columns[c].name, labels->items[k]) == 0;
        if (match)
            return true;
    }
    return false;
}
