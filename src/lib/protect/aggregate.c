/*
 * aggregate.c - a table with every margin, built from records (SPEC 7).
 *
 * The records stream through libcsv once. Each record adds to its full cell
 * (one label per dimension); the margins (each subset of the dimensions
 * replaced by "Total": 2^k cells for k dimensions) are derived from the
 * full cells at the end, so a record costs one hash lookup, not 2^k. A cell
 * counts distinct units when a unit column is given (a person with several
 * rows counts once) and sums the value per unit, so dominance is judged on
 * units' contributions, not rows'. With units, each unit keeps its
 * contribution to the first full cell it is seen in, and a (cell, unit)
 * pair for each other full cell; a margin's units and contributions are
 * gathered unit by unit at the end, so a unit in two full cells counts once
 * in their margin, with its contributions summed. Memory grows with the
 * distinct cells and (cell, unit) pairs, not with the rows.
 *
 * A large regular file is split into one piece per core, each parsed by its
 * own libcsv parser on its own thread. A piece must start at a record
 * boundary, which a byte offset alone cannot tell (a quoted field may hold
 * newlines): the split point is the first line end past the piece's target
 * offset with an even number of quote characters before it, which is a
 * record boundary in any RFC 4180 file. The previous piece's parser checks
 * it: it parses up to the split point and stops only if libcsv is between
 * records there; otherwise (a file that is not RFC 4180, where libcsv reads
 * quotes differently) it parses on, and the next piece's work is dropped.
 * The pieces' cells are merged in file order; counts add up, sums are exact
 * (aggregate_sum.h) and the largest contributions are ranked after
 * merging, so the table is the same for any split, and records are
 * numbered across pieces in errors.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "protect/aggregate_internal.h"
#include "protect/aggregate_sum.h"
#include "core/arena.h"
#include "sdccheck/protect.h"
#include "read/sniff.h"
#include "table/table_build.h"

#define DEFAULT_MIN_CHUNK (8u << 20)

/* ---- one piece of the file, parsed by one thread ---- */

/* Column I's name in the header: its fields are NUL-terminated copies. */
static const char *header_name(const sdc_agg_worker *w, size_t i)
{
    return w->hdr + w->hdr_off[i];
}

/* Stops W reading records (OOM: for want of memory). */
static void halt(sdc_agg_worker *w, bool oom)
{
    w->stop = true;
    w->oom |= oom;
    w->ncolmap = 0;
}

/* Starts W reading records with the job's column map. */
static void start_body(sdc_agg_worker *w)
{
    w->header_seen = true;
    w->ncolmap = w->job->ncolmap;
    memcpy(w->colmap, w->job->colmap, sizeof w->colmap);
}

/* The header row: finds the columns of the spec (the last of equal names). */
static void header_row(sdc_agg_worker *w)
{
    sdc_agg_job *j = w->job;
    const sdc_aggregate_spec *sp = j->spec;
    long by_col[SDC_AGG_MAX_BY], value_col = -1, unit_col = -1;
    char err[256] = "";
    for (size_t b = 0; b < sp->nby; b++) {
        by_col[b] = -1;
        for (size_t i = 0; i < w->hdr_n; i++)
            if (strcmp(header_name(w, i), sp->by[b]) == 0)
                by_col[b] = (long)i;
        if (by_col[b] < 0 && !err[0])
            snprintf(err, sizeof err, "no column '%s' in the data%s", sp->by[b],
                     w->hdr_n == SDC_AGG_MAX_COLUMNS ? " (only the first 256 columns are read)"
                                                     : "");
    }
    for (size_t i = 0; i < w->hdr_n; i++) {
        if (sp->value && strcmp(header_name(w, i), sp->value) == 0)
            value_col = (long)i;
        if (sp->unit && strcmp(header_name(w, i), sp->unit) == 0)
            unit_col = (long)i;
    }
    if (sp->value && value_col < 0 && !err[0])
        snprintf(err, sizeof err, "no column '%s' in the data", sp->value);
    if (sp->unit && unit_col < 0 && !err[0])
        snprintf(err, sizeof err, "no column '%s' in the data", sp->unit);

    pthread_mutex_lock(&j->lock);
    if (err[0]) {
        memcpy(j->header_error, err, sizeof err);
        j->header_state = -1;
        halt(w, false);
    } else {
        for (size_t i = 0; i < SDC_AGG_MAX_COLUMNS; i++)
            j->colmap[i] = -1;
        long cols[SDC_AGG_MAX_SLOTS];
        size_t ncols = 0;
        for (size_t b = 0; b < sp->nby; b++)
            cols[ncols++] = by_col[b];
        if (value_col >= 0)
            cols[ncols++] = value_col;
        if (unit_col >= 0)
            cols[ncols++] = unit_col;
        for (size_t i = 0; i < ncols; i++) {
            size_t c = (size_t)cols[i];
            if (j->colmap[c] < 0) {
                j->slot_col[j->nslots] = c;
                j->colmap[c] = (signed char)j->nslots++;
            }
            if (c + 1 > j->ncolmap)
                j->ncolmap = c + 1;
        }
        for (size_t b = 0; b < sp->nby; b++)
            j->by_slot[b] = j->colmap[by_col[b]];
        j->value_slot = value_col >= 0 ? j->colmap[value_col] : -1;
        j->unit_slot = unit_col >= 0 ? j->colmap[unit_col] : -1;
        j->header_state = 1;
    }
    pthread_cond_broadcast(&j->changed);
    pthread_mutex_unlock(&j->lock);
    if (j->header_state > 0)
        start_body(w);
    else
        w->header_seen = true;
}

static void header_field(sdc_agg_worker *w, const char *s, size_t len)
{
    if (w->hdr_n == SDC_AGG_MAX_COLUMNS)
        return; /* fields past 256 are never dimensions we were asked for */
    len = len ? strnlen(s, len) : 0;
    if (w->hdr_len + len + 1 > w->hdr_cap) {
        size_t cap = w->hdr_cap ? w->hdr_cap : 1024;
        while (cap < w->hdr_len + len + 1)
            cap *= 2;
        char *b = realloc(w->hdr, cap);
        if (!b) {
            halt(w, true);
            return;
        }
        w->hdr = b;
        w->hdr_cap = cap;
    }
    memcpy(w->hdr + w->hdr_len, s, len);
    w->hdr_off[w->hdr_n++] = w->hdr_len;
    w->hdr_len += len;
    w->hdr[w->hdr_len++] = '\0';
}

static bool slot_present(const sdc_agg_worker *w, int slot)
{
    return slot >= 0 && w->job->slot_col[slot] < w->col;
}

/*
 * The number in S[0..LEN) as sdc_parse_number reads it. Plain decimals of
 * at most 15 digits ("-1234.56", the usual case) are read here: the digits
 * and the power of ten are exact doubles, so one division rounds exactly as
 * strtod does (Clinger's fast path). Anything else goes to sdc_parse_number.
 */
static bool parse_value(const char *s, size_t len, double *value)
{
    static const double tens[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    size_t i = 0, digits = 0, decimals = 0;
    bool negative = false, dot = false;
    uint64_t m = 0;
    if (len && (s[0] == '-' || s[0] == '+'))
        negative = s[i++] == '-';
    for (; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d < 10) {
            m = m * 10 + d;
            digits++;
            decimals += dot;
        } else if (s[i] == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (i < len || digits == 0 || digits > 15)
        return sdc_parse_number(s, len, false, value, NULL);
    double v = (double)m / tens[decimals];
    *value = negative ? -v : v;
    return true;
}

/* A record of the body: adds it to its full cell (and its unit's pair). */
static void body_row(sdc_agg_worker *w)
{
    const sdc_agg_job *j = w->job;
    const sdc_aggregate_spec *sp = j->spec;
    w->records++;
    /* Every margin's key must fit, so that a cut key never merges cells. */
    uint16_t part[SDC_AGG_MAX_BY] = {0};
    size_t longest = sp->nby - 1, o = 0;
    for (size_t b = 0; b < sp->nby; b++) {
        size_t n = slot_present(w, j->by_slot[b]) ? w->len[j->by_slot[b]] : 0;
        longest += n > j->total_len ? n : j->total_len;
        part[b] = (uint16_t)(n < SDC_AGG_KEY_MAX ? n : SDC_AGG_KEY_MAX);
    }
    if (longest > SDC_AGG_KEY_MAX - 1) {
        w->long_record = w->records;
        halt(w, false);
        return;
    }
    for (size_t b = 0; b < sp->nby; b++) {
        if (b)
            w->key[o++] = '\x1f';
        if (part[b])
            memcpy(w->key + o, w->text[j->by_slot[b]], part[b]);
        o += part[b];
    }
    double value = 0;
    bool has_value = false;
    if (slot_present(w, j->value_slot)) {
        int s = j->value_slot;
        has_value = parse_value(w->text[s], w->len[s], &value);
        value += 0.0; /* -0 is 0: its sign would depend on the order of records */
    }
    uint32_t h = sdc_agg_hash(w->key, o, part[0] | (uint64_t)part[sp->nby - 1] << 16);
    size_t ci = sdc_agg_cell_find(&w->cells, w->arena, w->key, o, part, h);
    if (ci == SIZE_MAX) {
        halt(w, true);
        return;
    }
    sdc_agg_cell *c = &w->cells.items[ci];
    c->records++;
    if (has_value) {
        if (sdc_xsum_add(&c->sum, value) < 0)
            halt(w, true);
        if (!sp->unit)
            sdc_agg_top2_add(&c->top, value);
    }
    if (!slot_present(w, j->unit_slot))
        return; /* a short record without its unit counts no unit */
    int s = j->unit_slot;
    size_t ui = sdc_agg_unit_find(&w->units, w->arena, w->text[s], w->len[s],
                                  sdc_agg_hash(w->text[s], w->len[s], 0), ci);
    sdc_xsum *sum = ui == SIZE_MAX ? NULL : sdc_agg_contribution_find(&w->units, &w->pairs, ui, ci);
    if (!sum || (has_value && sdc_xsum_add(sum, value) < 0))
        halt(w, true);
}

/* Makes room for LEN bytes and a NUL in SLOT (rarely needed: kept apart
 * from the per-field path). False when out of memory. */
static bool slot_reserve(sdc_agg_worker *w, size_t slot, size_t len)
{
    size_t cap = w->cap[slot] ? w->cap[slot] : 64;
    while (cap < len + 1)
        cap *= 2;
    char *t = realloc(w->text[slot], cap);
    if (!t) {
        halt(w, true);
        return false;
    }
    w->text[slot] = t;
    w->cap[slot] = cap;
    return true;
}

static void on_field(void *s, size_t len, void *data)
{
    sdc_agg_worker *w = data;
    size_t col = w->col++;
    if (col >= w->ncolmap) {
        if (!w->header_seen)
            header_field(w, s, len);
        return;
    }
    int slot = w->colmap[col];
    if (slot < 0 || (len >= w->cap[slot] && !slot_reserve(w, (size_t)slot, len)))
        return;
    /* A field is its text up to a NUL: copied byte by byte, fields are short. */
    const char *from = s;
    char *to = w->text[slot];
    size_t n = 0;
    while (n < len && (to[n] = from[n]) != '\0')
        n++;
    w->len[slot] = n;
}

static void on_row(int c, void *data)
{
    (void)c;
    sdc_agg_worker *w = data;
    if (w->col > 0 && !w->stop) {
        if (w->header_seen)
            body_row(w);
        else
            header_row(w);
    }
    w->col = 0;
}

/* ---- reading a piece ---- */

/* Feeds the bytes [*POS, LIMIT) to the worker's parser (to the end of the
 * stream when it is not a regular file). False when the worker stops. */
static bool parse_until(sdc_agg_worker *w, size_t *pos, size_t limit)
{
    sdc_agg_job *j = w->job;
    while (*pos < limit && !w->eof && !w->stop) {
        const unsigned char *data;
        ssize_t n;
        if (*pos < j->first_len) {
            data = j->first + *pos;
            n = (ssize_t)((limit < j->first_len ? limit : j->first_len) - *pos);
        } else {
            size_t want = limit - *pos < SDC_AGG_READ_BLOCK ? limit - *pos : SDC_AGG_READ_BLOCK;
            do
                n = j->regular ? pread(j->fd, w->buf, want, (off_t)*pos)
                               : read(j->fd, w->buf, want);
            while (n < 0 && errno == EINTR);
            data = w->buf;
        }
        if (n < 0) {
            snprintf(w->error, sizeof w->error, "cannot read the data: %s", strerror(errno));
            halt(w, false);
            break;
        }
        if (n == 0) {
            w->eof = true;
            break;
        }
        if (csv_parse(&w->parser, data, (size_t)n, on_field, on_row, w) != (size_t)n) {
            snprintf(w->error, sizeof w->error, "the data is not valid CSV: %s",
                     csv_strerror(csv_error(&w->parser)));
            halt(w, false);
        }
        *pos += (size_t)n;
    }
    return !w->stop;
}

static void *worker_main(void *arg)
{
    sdc_agg_worker *w = arg;
    sdc_agg_job *j = w->job;
    if (w->index > 0) {
        sdc_agg_boundary_find(w);
        pthread_mutex_lock(&j->lock);
        while (j->header_state == 0)
            pthread_cond_wait(&j->changed, &j->lock);
        bool header = j->header_state > 0;
        pthread_mutex_unlock(&j->lock);
        if (!header)
            return NULL;
        start_body(w);
    }
    size_t pos = sdc_agg_boundary_wait(j, w->index);
    for (unsigned b = w->index + 1; b <= j->nworkers; b++) {
        /* Up to the next piece's target, then to its start once known. */
        if (b < j->nworkers && !parse_until(w, &pos, j->target[b]))
            break;
        size_t limit = b < j->nworkers ? sdc_agg_boundary_wait(j, b) : j->size;
        if (!parse_until(w, &pos, limit))
            break;
        if (b == j->nworkers || limit >= j->size || w->eof) {
            if (csv_fini(&w->parser, on_field, on_row, w) == 0 && !w->stop)
                w->end = j->nworkers;
            break;
        }
        /* Between records at the next piece's start: that piece is valid. */
        if (w->parser.pstate == j->row_not_begun && w->parser.entry_pos == 0) {
            w->end = b;
            break;
        }
    }
    if (w->index == 0) {
        pthread_mutex_lock(&j->lock);
        if (j->header_state == 0)
            j->header_state = -1;
        pthread_cond_broadcast(&j->changed);
        pthread_mutex_unlock(&j->lock);
    }
    return NULL;
}

static void worker_free(sdc_agg_worker *w)
{
    csv_free(&w->parser);
    free(w->buf);
    for (size_t i = 0; i < SDC_AGG_MAX_SLOTS; i++)
        free(w->text[i]);
    free(w->hdr);
    sdc_agg_cellset_free(&w->cells);
    sdc_agg_unitset_free(&w->units);
    sdc_agg_pairset_free(&w->pairs);
    sdc_arena_free(w->arena);
}

/* ---- merging the pieces ---- */

/* Adds FROM's cells, units and pairs to INTO. -1 when out of memory. */
static int worker_merge(sdc_agg_worker *into, const sdc_agg_worker *from)
{
    size_t *cell_to = malloc((from->cells.n + 1) * sizeof *cell_to);
    size_t *unit_to = malloc((from->units.n + 1) * sizeof *unit_to);
    int rc = cell_to && unit_to ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < from->cells.n; i++) {
        const sdc_agg_cell *c = &from->cells.items[i];
        size_t k = sdc_agg_cell_find(&into->cells, into->arena, c->key, c->klen, c->part, c->hash);
        if (k == SIZE_MAX) {
            rc = -1;
            break;
        }
        sdc_agg_cell *t = &into->cells.items[k];
        t->records += c->records;
        sdc_agg_top2_merge(&t->top, &c->top);
        rc = sdc_xsum_merge(&t->sum, &c->sum);
        cell_to[i] = k;
    }
    for (size_t i = 0; rc == 0 && i < from->units.n; i++) {
        const sdc_agg_unit *u = &from->units.items[i];
        size_t home = cell_to[u->home];
        unit_to[i] = sdc_agg_unit_find(&into->units, into->arena, u->text, u->len, u->hash, home);
        sdc_xsum *t = unit_to[i] == SIZE_MAX
                          ? NULL
                          : sdc_agg_contribution_find(&into->units, &into->pairs, unit_to[i], home);
        rc = t ? sdc_xsum_merge(t, &u->sum) : -1;
    }
    for (size_t i = 0; rc == 0 && i < from->pairs.n; i++) {
        const sdc_agg_pair *p = &from->pairs.items[i];
        sdc_xsum *t = sdc_agg_contribution_find(&into->units, &into->pairs, unit_to[p->unit],
                                                cell_to[p->cell]);
        rc = t ? sdc_xsum_merge(t, &p->sum) : -1;
    }
    free(cell_to);
    free(unit_to);
    return rc;
}

static int cmp_cells(const void *x, const void *y)
{
    return strcmp(((const sdc_agg_cell *)x)->key, ((const sdc_agg_cell *)y)->key);
}

/* The long table of CELLS (sorted here), laid out. */
static sdc_table *table_of(sdc_agg_cellset *cells, const sdc_policy *policy,
                           const sdc_aggregate_spec *spec)
{
    qsort(cells->items, cells->n, sizeof *cells->items, cmp_cells);
    sdc_table_builder *b = sdc_table_builder_new(policy, false);
    const char *fields[SDC_AGG_MAX_BY + 4];
    size_t lens[SDC_AGG_MAX_BY + 4];
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
    for (size_t c = 0; c < cells->n; c++) {
        const sdc_agg_cell *cell = &cells->items[c];
        char *save = NULL, *copy = strdup(cell->key);
        nf = 0;
        for (char *tok = copy ? strtok_r(copy, "\x1f", &save) : NULL; tok && nf < spec->nby;
             tok = strtok_r(NULL, "\x1f", &save))
            fields[nf++] = tok;
        while (nf < spec->nby)
            fields[nf++] = "";
        snprintf(numbers[0], sizeof numbers[0], "%llu", spec->unit ? cell->units : cell->records);
        fields[nf++] = numbers[0];
        if (spec->value) {
            /* The two largest contributions (0 when there are fewer). */
            snprintf(numbers[1], sizeof numbers[1], "%.10g", sdc_xsum_value(&cell->sum));
            snprintf(numbers[2], sizeof numbers[2], "%.10g", cell->top.n > 0 ? cell->top.v[0] : 0);
            snprintf(numbers[3], sizeof numbers[3], "%.10g", cell->top.n > 1 ? cell->top.v[1] : 0);
            fields[nf++] = numbers[1];
            fields[nf++] = numbers[2];
            fields[nf++] = numbers[3];
        }
        for (size_t i = 0; i < nf; i++)
            lens[i] = strlen(fields[i]);
        sdc_table_builder_add(b, fields, lens, nf, (long)c + 2);
        free(copy);
    }
    sdc_table *t = sdc_table_builder_finish(b, cells->n, false);
    if (t) {
        sdc_findings f = {0};
        sdc_table_infer_layout(t, policy, &f);
        sdc_findings_free(&f);
    }
    return t;
}

/* The pieces that cover the file, in order; their first error (with its
 * record numbered across pieces), else the merged table. */
static sdc_table *finish(sdc_agg_job *j, const sdc_policy *policy, char **error)
{
    sdc_agg_worker *base = &j->workers[0];
    unsigned long long records_before = 0;
    const char *oom = "out of memory";
    for (unsigned i = 0; i < j->nworkers;) {
        sdc_agg_worker *w = &j->workers[i];
        const char *why = w->oom ? oom : w->error[0] ? w->error : NULL;
        if (!why && i == 0 && j->header_state < 0)
            why = j->header_error[0] ? j->header_error : "no records";
        if (why) {
            if (asprintf(error, "%s", why) < 0)
                *error = NULL;
            return NULL;
        }
        if (w->long_record) {
            if (asprintf(error, "record %llu: its labels are longer than %d bytes",
                         records_before + w->long_record, SDC_AGG_KEY_MAX - 1) < 0)
                *error = NULL;
            return NULL;
        }
        if (w->end <= i) { /* stopped without a reason: never expected */
            *error = strdup("the records could not be read");
            return NULL;
        }
        if (w != base && worker_merge(base, w) < 0) {
            *error = strdup(oom);
            return NULL;
        }
        records_before += w->records;
        i = w->end;
    }
    sdc_agg_cellset out = {0};
    sdc_table *t = NULL;
    if (sdc_agg_margins_derive(base, j, &out, base->arena) < 0)
        *error = strdup(oom);
    else
        t = table_of(&out, policy, j->spec);
    sdc_agg_cellset_free(&out);
    return t;
}

sdc_table *sdc_aggregate_file_tuned(const char *path, const sdc_policy *policy,
                                    const sdc_aggregate_spec *spec,
                                    const sdc_aggregate_tuning *tuning, char **error)
{
    *error = NULL;
    if (spec->nby == 0 || spec->nby > SDC_AGG_MAX_BY) {
        *error = strdup("--by names 1 to 8 columns");
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (asprintf(error, "%s: %s", path, strerror(errno)) < 0)
            *error = NULL;
        return NULL;
    }
    sdc_agg_job *j = calloc(1, sizeof *j);
    unsigned char *first = malloc(SDC_READ_CHUNK);
    if (!j || !first) {
        free(j);
        free(first);
        close(fd);
        *error = strdup("out of memory");
        return NULL;
    }
    struct stat st;
    j->fd = fd;
    j->regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    j->size = j->regular ? (size_t)st.st_size : SIZE_MAX;
    j->spec = spec;
    j->total = policy->total_labels.count ? policy->total_labels.items[0] : "Total";
    j->total_len = strlen(j->total);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->changed, NULL);
    struct csv_parser probe;
    csv_init(&probe, CSV_APPEND_NULL);
    j->row_not_begun = probe.pstate;
    csv_free(&probe);

    /* The first block picks the delimiter, as when checking a file. */
    ssize_t n;
    do
        n = j->regular ? pread(fd, first, SDC_READ_CHUNK, 0) : read(fd, first, SDC_READ_CHUNK);
    while (n < 0 && errno == EINTR);
    j->first = first;
    j->first_len = n > 0 ? (size_t)n : 0;
    sdc_delim_guess g = sdc_sniff_delimiter((const char *)first, j->first_len);
    j->delim = (unsigned char)g.delimiter;

    unsigned workers = tuning && tuning->workers ? tuning->workers : 0;
    if (!workers) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        workers = cpus > 0 ? (unsigned)cpus : 1;
    }
    size_t min_chunk = tuning && tuning->min_chunk ? tuning->min_chunk : DEFAULT_MIN_CHUNK;
    if (workers > SDC_AGG_MAX_WORKERS)
        workers = SDC_AGG_MAX_WORKERS;
    if (!j->regular)
        workers = 1;
    else if (j->size / min_chunk < workers)
        workers = j->size / min_chunk > 1 ? (unsigned)(j->size / min_chunk) : 1;
    j->nworkers = workers;
    for (unsigned i = 0; i <= workers; i++)
        j->target[i] = i == workers ? j->size : (size_t)((double)j->size * i / workers);
    j->boundary[0] = 0;
    j->boundary_known[0] = true;
    j->boundary[workers] = j->size;
    j->boundary_known[workers] = true;

    bool ok = true;
    for (unsigned i = 0; i < workers; i++) {
        sdc_agg_worker *w = &j->workers[i];
        w->job = j;
        w->index = i;
        w->arena = sdc_arena_new();
        w->buf = malloc(SDC_AGG_READ_BLOCK);
        if (csv_init(&w->parser, CSV_APPEND_NULL) != 0 || !w->arena || !w->buf)
            ok = false;
        csv_set_delim(&w->parser, j->delim);
    }
    pthread_t threads[SDC_AGG_MAX_WORKERS];
    unsigned started = 1;
    if (!ok) {
        j->workers[0].oom = true;
    } else {
        for (; started < workers; started++)
            if (pthread_create(&threads[started], NULL, worker_main, &j->workers[started]) != 0)
                break;
        /* A thread that could not start gives no split: worker 0 reads on. */
        pthread_mutex_lock(&j->lock);
        for (unsigned i = started; i < workers; i++) {
            j->boundary[i] = j->size;
            j->boundary_known[i] = true;
        }
        pthread_mutex_unlock(&j->lock);
        worker_main(&j->workers[0]);
    }
    for (unsigned i = 1; i < started; i++)
        pthread_join(threads[i], NULL);
    close(fd);

    sdc_table *t = finish(j, policy, error);
    for (unsigned i = 0; i < workers; i++)
        worker_free(&j->workers[i]);
    pthread_mutex_destroy(&j->lock);
    pthread_cond_destroy(&j->changed);
    free(first);
    free(j);
    return t;
}

sdc_table *sdc_aggregate_file(const char *path, const sdc_policy *policy,
                              const sdc_aggregate_spec *spec, char **error)
{
    return sdc_aggregate_file_tuned(path, policy, spec, NULL, error);
}
