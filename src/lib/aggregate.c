/*
 * aggregate.c - a table with every margin, built from records (SPEC 7).
 *
 * The records stream through libcsv once. Each record adds to its cell and
 * to every margin of it (each subset of the dimensions replaced by "Total":
 * 2^k cells for k dimensions). A cell counts distinct units when a unit
 * column is given (a person with several rows counts once) and sums the
 * value per unit, so dominance is judged on units' contributions, not
 * rows'. Cells and units live in hash tables keyed by their text; memory
 * grows with the distinct cells and the distinct (cell, unit) pairs, not
 * with the rows.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sdccheck/protect.h"
#include "sniff.h"
#include "table_build.h"

#define MAX_BY 8

/* ---- a string-keyed hash map of indices ---- */

typedef struct strmap {
    char **keys;
    size_t *vals;
    size_t cap, count;
} strmap;

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The index stored for KEY, or inserts NEXT and returns it; SIZE_MAX when
 * out of memory. *FOUND says which. */
static size_t strmap_get(strmap *m, const char *key, size_t len, size_t next, bool *found)
{
    if (m->count * 2 >= m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        char **keys = calloc(cap, sizeof *keys);
        size_t *vals = calloc(cap, sizeof *vals);
        if (!keys || !vals) {
            free(keys);
            free(vals);
            return SIZE_MAX;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = fnv1a(m->keys[i], strlen(m->keys[i])) & (cap - 1);
                while (keys[j])
                    j = (j + 1) & (cap - 1);
                keys[j] = m->keys[i];
                vals[j] = m->vals[i];
            }
        free(m->keys);
        free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->cap = cap;
    }
    size_t j = fnv1a(key, len) & (m->cap - 1);
    while (m->keys[j]) {
        if (strlen(m->keys[j]) == len && memcmp(m->keys[j], key, len) == 0) {
            *found = true;
            return m->vals[j];
        }
        j = (j + 1) & (m->cap - 1);
    }
    char *k = malloc(len + 1);
    if (!k)
        return SIZE_MAX;
    memcpy(k, key, len);
    k[len] = '\0';
    m->keys[j] = k;
    m->vals[j] = next;
    m->count++;
    *found = false;
    return next;
}

static void strmap_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- cells ---- */

typedef struct agg_cell {
    char *key;            /* dimension values joined by \x1f */
    unsigned long long records;
    double sum;
    double top1, top2;    /* without units: the two largest records */
    strmap units;         /* with units: unit id -> index into contrib */
    double *contrib;      /* per unit sums */
    size_t ncontrib, capcontrib;
} agg_cell;

typedef struct agg {
    const sdc_policy *policy;
    const sdc_aggregate_spec *spec;
    long by_col[MAX_BY], value_col, unit_col;
    bool header_done;
    strmap index;         /* key -> cell */
    agg_cell *cells;
    size_t ncells, capcells;
    char *rowbuf;         /* the current record's fields, NUL-separated */
    size_t rowbuf_len, rowbuf_cap;
    size_t offsets[256];
    char *record[256];
    size_t record_len;
    unsigned long long records, bad_values;
    int oom;
    char error[256];
    const char *total;    /* the margin label */
} agg;

static int add_to_cell(agg *a, const char *key, size_t klen, const char *unit, double value,
                       bool has_value)
{
    bool found;
    size_t idx = strmap_get(&a->index, key, klen, a->ncells, &found);
    if (idx == SIZE_MAX)
        return -1;
    if (!found) {
        if (a->ncells == a->capcells) {
            size_t cap = a->capcells ? a->capcells * 2 : 64;
            agg_cell *c = realloc(a->cells, cap * sizeof *c);
            if (!c)
                return -1;
            a->cells = c;
            a->capcells = cap;
        }
        agg_cell *c = &a->cells[a->ncells++];
        memset(c, 0, sizeof *c);
        c->key = malloc(klen + 1);
        if (!c->key)
            return -1;
        memcpy(c->key, key, klen);
        c->key[klen] = '\0';
    }
    agg_cell *c = &a->cells[idx];
    c->records++;
    if (has_value)
        c->sum += value;
    if (!unit) {
        /* Each record is its own contributor: keep the two largest. */
        if (has_value && (c->records == 1 || value > c->top1)) {
            c->top2 = c->records == 1 ? 0 : c->top1;
            c->top1 = value;
        } else if (has_value && value > c->top2) {
            c->top2 = value;
        }
        return 0;
    }
    size_t k = strmap_get(&c->units, unit, strlen(unit), c->ncontrib, &found);
    if (k == SIZE_MAX)
        return -1;
    if (!found) {
        if (c->ncontrib == c->capcontrib) {
            size_t cap = c->capcontrib ? c->capcontrib * 2 : 8;
            double *d = realloc(c->contrib, cap * sizeof *d);
            if (!d)
                return -1;
            c->contrib = d;
            c->capcontrib = cap;
        }
        c->contrib[c->ncontrib++] = 0;
    }
    if (has_value)
        c->contrib[k] += value;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    agg *a = data;
    if (a->record_len == sizeof a->offsets / sizeof a->offsets[0])
        return; /* fields past 256 are never dimensions we were asked for */
    if (a->rowbuf_len + len + 1 > a->rowbuf_cap) {
        size_t cap = a->rowbuf_cap ? a->rowbuf_cap : 1024;
        while (cap < a->rowbuf_len + len + 1)
            cap *= 2;
        char *b = realloc(a->rowbuf, cap);
        if (!b) {
            a->oom = 1;
            return;
        }
        a->rowbuf = b;
        a->rowbuf_cap = cap;
    }
    if (len)
        memcpy(a->rowbuf + a->rowbuf_len, s, len);
    a->offsets[a->record_len++] = a->rowbuf_len;
    a->rowbuf_len += len;
    a->rowbuf[a->rowbuf_len++] = '\0';
}

static void end_record(agg *a)
{
    if (a->record_len == 0)
        return;
    for (size_t i = 0; i < a->record_len; i++)
        a->record[i] = a->rowbuf + a->offsets[i];
    if (!a->header_done) {
        const sdc_aggregate_spec *sp = a->spec;
        for (size_t b = 0; b < sp->nby; b++) {
            a->by_col[b] = -1;
            for (size_t i = 0; i < a->record_len; i++)
                if (strcmp(a->record[i], sp->by[b]) == 0)
                    a->by_col[b] = (long)i;
            if (a->by_col[b] < 0 && !a->error[0])
                snprintf(a->error, sizeof a->error, "no column '%s' in the data%s", sp->by[b],
                         a->record_len == sizeof a->offsets / sizeof a->offsets[0]
                             ? " (only the first 256 columns are read)" : "");
        }
        a->value_col = a->unit_col = -1;
        for (size_t i = 0; i < a->record_len; i++) {
            if (sp->value && strcmp(a->record[i], sp->value) == 0)
                a->value_col = (long)i;
            if (sp->unit && strcmp(a->record[i], sp->unit) == 0)
                a->unit_col = (long)i;
        }
        if (sp->value && a->value_col < 0 && !a->error[0])
            snprintf(a->error, sizeof a->error, "no column '%s' in the data", sp->value);
        if (sp->unit && a->unit_col < 0 && !a->error[0])
            snprintf(a->error, sizeof a->error, "no column '%s' in the data", sp->unit);
        a->header_done = true;
    } else if (!a->error[0]) {
        a->records++;
        const sdc_aggregate_spec *sp = a->spec;
        double value = 0;
        bool has_value = false;
        if (a->value_col >= 0 && (size_t)a->value_col < a->record_len) {
            const char *v = a->record[a->value_col];
            if (sdc_parse_number(v, strlen(v), false, &value, NULL))
                has_value = true;
            else
                a->bad_values++;
        }
        const char *unit = a->unit_col >= 0 && (size_t)a->unit_col < a->record_len
                               ? a->record[a->unit_col] : NULL;
        /* Every subset of the dimensions replaced by the total label. */
        for (unsigned mask = 0; mask < (1u << sp->nby) && !a->oom; mask++) {
            char key[2048];
            size_t o = 0;
            bool fits = true;
            for (size_t b = 0; b < sp->nby && fits; b++) {
                const char *part = (mask >> b) & 1 ? a->total
                                   : (size_t)a->by_col[b] < a->record_len ? a->record[a->by_col[b]]
                                                                          : "";
                int w = snprintf(key + o, sizeof key - o, "%s%s", b ? "\x1f" : "", part);
                fits = w >= 0 && (size_t)w < sizeof key - o;
                if (fits)
                    o += (size_t)w;
            }
            if (!fits) {
                /* A cut key would merge different cells: refuse instead. */
                snprintf(a->error, sizeof a->error,
                         "record %llu: its labels are longer than %zu bytes", a->records,
                         sizeof key - 1);
                break;
            }
            if (add_to_cell(a, key, o, unit, value, has_value) < 0)
                a->oom = 1;
        }
    }
    a->record_len = 0;
    a->rowbuf_len = 0;
}

static void on_row(int c, void *data)
{
    (void)c;
    end_record(data);
}

static int cmp_cells(const void *x, const void *y)
{
    return strcmp(((const agg_cell *)x)->key, ((const agg_cell *)y)->key);
}

static int cmp_desc(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a < b) - (a > b);
}

sdc_table *sdc_aggregate_file(const char *path, const sdc_policy *policy,
                              const sdc_aggregate_spec *spec, char **error)
{
    *error = NULL;
    if (spec->nby == 0 || spec->nby > MAX_BY) {
        *error = strdup("--by names 1 to 8 columns");
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (asprintf(error, "%s: %s", path, strerror(errno)) < 0)
            *error = NULL;
        return NULL;
    }
    agg a = {.policy = policy, .spec = spec};
    a.total = policy->total_labels.count ? policy->total_labels.items[0] : "Total";
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL);
    unsigned char *buf = malloc(SDC_READ_CHUNK);
    ssize_t n;
    bool first = true;
    while (buf && !a.oom && (n = read(fd, buf, SDC_READ_CHUNK)) > 0) {
        if (first) {
            sdc_delim_guess g = sdc_sniff_delimiter((const char *)buf, (size_t)n);
            csv_set_delim(&p, (unsigned char)g.delimiter);
            first = false;
        }
        if (csv_parse(&p, buf, (size_t)n, on_field, on_row, &a) != (size_t)n) {
            snprintf(a.error, sizeof a.error, "the data is not valid CSV: %s",
                     csv_strerror(csv_error(&p)));
            break;
        }
        if (a.error[0])
            break;
    }
    csv_fini(&p, on_field, on_row, &a);
    csv_free(&p);
    free(buf);
    close(fd);

    sdc_table *t = NULL;
    if (a.error[0] || a.oom || !a.header_done) {
        if (asprintf(error, "%s", a.oom ? "out of memory" : a.error[0] ? a.error : "no records") < 0)
            *error = NULL;
    } else {
        qsort(a.cells, a.ncells, sizeof *a.cells, cmp_cells);
        sdc_table_builder *b = sdc_table_builder_new(policy, false);
        const char *fields[MAX_BY + 4];
        size_t lens[MAX_BY + 4];
        char numbers[4][64], vname[3][160];
        size_t nf = 0;
        for (size_t i = 0; i < spec->nby; i++)
            fields[nf++] = spec->by[i];
        fields[nf++] = "n";
        if (spec->value) {
            snprintf(vname[0], sizeof vname[0], "%s", spec->value);
            snprintf(vname[1], sizeof vname[1], "%s_max1", spec->value);
            snprintf(vname[2], sizeof vname[2], "%s_max2", spec->value);
            fields[nf++] = vname[0];
            fields[nf++] = vname[1];
            fields[nf++] = vname[2];
        }
        for (size_t i = 0; i < nf; i++)
            lens[i] = strlen(fields[i]);
        sdc_table_builder_add(b, fields, lens, nf, 1);
        for (size_t c = 0; c < a.ncells; c++) {
            agg_cell *cell = &a.cells[c];
            char *save = NULL, *copy = strdup(cell->key);
            nf = 0;
            for (char *tok = strtok_r(copy, "\x1f", &save); tok && nf < spec->nby;
                 tok = strtok_r(NULL, "\x1f", &save))
                fields[nf++] = tok;
            while (nf < spec->nby)
                fields[nf++] = "";
            unsigned long long units = spec->unit ? cell->ncontrib : cell->records;
            snprintf(numbers[0], sizeof numbers[0], "%llu", units);
            fields[nf++] = numbers[0];
            if (spec->value) {
                double top1 = cell->top1, top2 = cell->top2;
                if (spec->unit) {
                    if (cell->ncontrib > 1)
                        qsort(cell->contrib, cell->ncontrib, sizeof *cell->contrib, cmp_desc);
                    top1 = cell->ncontrib ? cell->contrib[0] : 0;
                    top2 = cell->ncontrib > 1 ? cell->contrib[1] : 0;
                }
                snprintf(numbers[1], sizeof numbers[1], "%.10g", cell->sum);
                snprintf(numbers[2], sizeof numbers[2], "%.10g", top1);
                snprintf(numbers[3], sizeof numbers[3], "%.10g", top2);
                fields[nf++] = numbers[1];
                fields[nf++] = numbers[2];
                fields[nf++] = numbers[3];
            }
            for (size_t i = 0; i < nf; i++)
                lens[i] = strlen(fields[i]);
            sdc_table_builder_add(b, fields, lens, nf, (long)c + 2);
            free(copy);
        }
        t = sdc_table_builder_finish(b, a.ncells, false);
        if (t) {
            sdc_findings f = {0};
            sdc_table_infer_layout(t, policy, &f);
            sdc_findings_free(&f);
        }
    }
    for (size_t c = 0; c < a.ncells; c++) {
        free(a.cells[c].key);
        free(a.cells[c].contrib);
        strmap_free(&a.cells[c].units);
    }
    free(a.cells);
    strmap_free(&a.index);
    free(a.rowbuf);
    return t;
}
