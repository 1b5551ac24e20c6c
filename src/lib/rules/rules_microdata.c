/*
 * rules_microdata.c - record-level data shaped as a table (doc/design.md, "Record-level data").
 *
 * Signals, each reported with what fired it:
 *   - more body rows than the policy's max_table_rows (the reader stopped
 *     keeping cells at that point, so this one costs nothing);
 *   - an identifier column: named like one (policy id_names, or *_id) and
 *     unique on every row;
 *   - a date-of-birth column;
 *   - many rows repeating the same label combination: an aggregate table
 *     has one row per combination, a record-level file one per record.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

#define MIN_ROWS_FOR_SHAPE 20

static void lower(const char *s, char *out, size_t size)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        out[i] =
            (s[i] == ' ' || s[i] == '.' || s[i] == '-') ? '_' : (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

static bool name_is_id(const sdc_policy *p, const char *name)
{
    char n[128];
    lower(name, n, sizeof n);
    size_t len = strlen(n);
    return sdc_strlist_contains(&p->id_names, n) || (len > 3 && strcmp(n + len - 3, "_id") == 0);
}

static bool name_is_birth_date(const char *name)
{
    char n[128];
    lower(name, n, sizeof n);
    return strcmp(n, "dob") == 0 || strstr(n, "date_of_birth") || strstr(n, "birth_date") ||
           strstr(n, "birthdate") || strstr(n, "dateofbirth");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Number of distinct non-empty values in column C (or -1 out of memory). */
static long distinct(const sdc_table *t, size_t c, size_t *filled)
{
    const char **v = malloc((t->nrows + 1) * sizeof *v);
    if (!v)
        return -1;
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const sdc_cell *cell = sdc_table_cell(t, r, c);
        if (cell->text[0])
            v[n++] = cell->text;
    }
    qsort(v, n, sizeof *v, cmp_str);
    long d = n ? 1 : 0;
    for (size_t i = 1; i < n; i++)
        d += strcmp(v[i - 1], v[i]) != 0;
    free(v);
    *filled = n;
    return d;
}

/* The evidence that a table is record-level: each signal adds a reason,
 * and one finding gives them all (a file of records is one finding, not
 * one per row). */
typedef struct evidence {
    char why[768];
    size_t len;
    const char *column; /* the first signal's column, or NULL */
    char value[32];     /* the row count when it passed max_table_rows */
    bool over_rows;
} evidence;

static void add(evidence *e, const char *column, const char *why)
{
    if (e->len == 0)
        e->column = column;
    int n = snprintf(e->why + e->len, sizeof e->why - e->len, "%s%s", e->len ? "; " : "", why);
    if (n > 0)
        e->len = e->len + (size_t)n < sizeof e->why ? e->len + (size_t)n : sizeof e->why - 1;
}

/* Label combinations that repeat (joined with \x1f and sorted); *OOM
 * set when memory ran out (the count is then short). */
static size_t repeated_combinations(const sdc_table *t, bool *oom)
{
    char **keys = calloc(t->nrows + 1, sizeof *keys);
    if (!keys) {
        *oom = true;
        return 0;
    }
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        size_t len = 0;
        for (size_t c = 0; c < t->ncols; c++)
            if (t->columns[c].role == SDC_COL_LABEL && !t->columns[c].is_index)
                len += strlen(sdc_table_cell(t, r, c)->text) + 1;
        char *k = malloc(len + 1);
        if (!k) {
            *oom = true;
            break;
        }
        size_t o = 0;
        for (size_t c = 0; c < t->ncols; c++)
            if (t->columns[c].role == SDC_COL_LABEL && !t->columns[c].is_index) {
                const char *s = sdc_table_cell(t, r, c)->text;
                size_t l = strlen(s);
                memcpy(k + o, s, l);
                o += l;
                k[o++] = '\x1f';
            }
        k[o] = '\0';
        keys[n++] = k;
    }
    qsort(keys, n, sizeof *keys, cmp_str);
    size_t repeats = 0;
    for (size_t i = 1; i < n; i++)
        repeats += strcmp(keys[i - 1], keys[i]) == 0;
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    return repeats;
}

static void run(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    const sdc_policy *p = ctx->policy;
    char buf[192];
    evidence e = {0};

    if (t->truncated) {
        snprintf(e.value, sizeof e.value, "%llu", t->rows_seen);
        e.over_rows = true;
        snprintf(buf, sizeof buf,
                 "%s rows, more than max_table_rows (%ld) allows for anything but a table of "
                 "one row per combination of its labels",
                 e.value, p->max_table_rows);
        add(&e, NULL, buf);
    }

    for (size_t c = 0; c < t->ncols; c++) {
        const char *name = t->columns[c].name;
        if (name_is_birth_date(name) && t->nrows > 0) {
            snprintf(buf, sizeof buf, "column '%.100s' holds dates of birth", name);
            add(&e, name, buf);
            continue;
        }
        if (!name_is_id(p, name) || t->nrows < 10)
            continue;
        size_t filled = 0;
        long d = distinct(t, c, &filled);
        if (d < 0)
            sdc_rule_lost(ctx);
        if (d > 0 && (size_t)d == filled && filled * 10 >= t->nrows * 9) {
            snprintf(buf, sizeof buf,
                     "column '%.80s' identifies records: a different value on "
                     "every row",
                     name);
            add(&e, name, buf);
        }
    }

    if (t->shape == SDC_SHAPE_LONG && t->label_columns > 0 && t->nrows >= MIN_ROWS_FOR_SHAPE) {
        bool oom = false;
        size_t repeats = repeated_combinations(t, &oom);
        if (oom)
            sdc_rule_lost(ctx);
        if (repeats * 10 > t->nrows) {
            snprintf(buf, sizeof buf,
                     "%zu of %zu rows repeat a label combination seen before (an aggregate "
                     "table has one row per combination)",
                     repeats, t->nrows);
            add(&e, NULL, buf);
        }
    }
    if (e.len == 0)
        return;
    sdc_finding_at at = {.line = t->header_line,
                         .column = e.column,
                         .value = e.over_rows ? e.value : NULL,
                         .limit = (double)p->max_table_rows,
                         .has_limit = e.over_rows,
                         .advice = "record-level data may not leave the environment: "
                                   "publish aggregate tables instead"};
    sdc_findings_add(ctx->findings, "microdata", SDC_FAIL, &at, "record-level data: %s", e.why);
}

const sdc_rule_family sdc_rules_microdata = {"microdata", run};
