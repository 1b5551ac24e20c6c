/*
 * aggregate_csv.c - one worker's parser: libcsv fed with the bytes of one
 * piece of the file, the header finding the spec's columns, each record of
 * the body added to its full cell (and its unit's contribution).
 *
 * libcsv calls back once per field and once per record. Only the fields of
 * the spec's columns are kept, each copied into its slot (the column map
 * says which column goes to which slot), so a record costs no allocation:
 * the slots grow to the longest field seen and stay. Worker 0 reads the
 * header and publishes the column map in the job; the other workers wait
 * for it before their first record (aggregate_threads.c).
 */
#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/vec.h"
#include "read/aggregate_internal.h"
#include "core/arena.h"
#include "sdccheck/table.h"

/* ---- a worker's life ---- */

int sdc_agg_worker_init(sdc_agg_worker *w, sdc_agg_job *j, unsigned index)
{
    w->job = j;
    w->index = index;
    w->arena = sdc_arena_new();
    w->unit_arena = sdc_arena_new();
    w->buf = malloc(SDC_AGG_READ_BLOCK);
    w->runs.fd = -1;
    int rc = csv_init(&w->parser, CSV_APPEND_NULL) != 0 || !w->arena || !w->unit_arena || !w->buf
                 ? -1
                 : 0;
    csv_set_delim(&w->parser, j->delim);
    w->row_not_begun = w->parser.pstate;
    return rc;
}

void sdc_agg_worker_free(sdc_agg_worker *w)
{
    csv_free(&w->parser);
    free(w->buf);
    for (size_t i = 0; i < SDC_AGG_MAX_SLOTS; i++)
        free(w->text[i]);
    free(w->hdr);
    sdc_agg_cellset_free(&w->cells);
    sdc_agg_unitset_free(&w->units);
    sdc_agg_pairset_free(&w->pairs);
    sdc_agg_runs_free(&w->runs);
    sdc_arena_free(w->arena);
    sdc_arena_free(w->unit_arena);
}

/* Stops W reading records (OOM: for want of memory). */
static void halt(sdc_agg_worker *w, bool oom)
{
    w->stop = true;
    w->oom |= oom;
    w->ncolmap = 0;
}

void sdc_agg_worker_start_body(sdc_agg_worker *w)
{
    w->header_seen = true;
    w->ncolmap = w->job->ncolmap;
    memcpy(w->colmap, w->job->colmap, sizeof w->colmap);
}

/* ---- the header ---- */

/* Column I's name in the header: its fields are NUL-terminated copies. */
static const char *header_name(const sdc_agg_worker *w, size_t i)
{
    return w->hdr + w->hdr_off[i];
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
        sdc_agg_worker_start_body(w);
    else
        w->header_seen = true;
}

static void header_field(sdc_agg_worker *w, const char *s, size_t len)
{
    if (w->hdr_n == SDC_AGG_MAX_COLUMNS)
        return; /* fields past 256 are never dimensions we were asked for */
    len = len ? strnlen(s, len) : 0;
    if (SDC_VEC_RESERVE(w->hdr, w->hdr_cap, w->hdr_len + len + 1) < 0) {
        halt(w, true);
        return;
    }
    memcpy(w->hdr + w->hdr_len, s, len);
    w->hdr_off[w->hdr_n++] = w->hdr_len;
    w->hdr_len += len;
    w->hdr[w->hdr_len++] = '\0';
}

/* ---- a record of the body ---- */

static bool slot_present(const sdc_agg_worker *w, int slot)
{
    return slot >= 0 && w->job->slot_col[slot] < w->col;
}

/*
 * The number in S[0..LEN) as sdc_number_parse reads it. Plain decimals of
 * at most 15 digits ("-1234.56", the usual case) are read here: the digits
 * and the power of ten are exact doubles, so one division rounds exactly as
 * strtod does (Clinger's fast path). Anything else goes to sdc_number_parse.
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
        return sdc_number_parse(s, len, false, value, NULL);
    double v = (double)m / tens[decimals];
    *value = negative ? -v : v;
    return true;
}

/* A label of full cell KEY (its labels' lengths PART) that the table
 * cannot hold as it is: one the written table's reader would take for a
 * total (the policy's total_labels, as grid.c reads them: the records'
 * own category "Total" would be merged into the margin of that name, its
 * records counted twice there, and "All" read as a margin that is not
 * one), an empty one (it would drop out of the written row) or one
 * holding the byte that joins a key's labels. Says which into WHY and
 * returns 1, or 0. */
static int label_check(const sdc_agg_job *j, const char *key, const uint16_t *part, char *why,
                       size_t why_size)
{
    const sdc_aggregate_spec *sp = j->spec;
    for (size_t b = 0, from = 0; b < sp->nby; b++) {
        char own[SDC_AGG_KEY_MAX];
        memcpy(own, key + from, part[b]);
        own[part[b]] = '\0';
        if (memchr(own, '\x1f', part[b])) {
            /* the byte that joins a cell's labels in its key */
            snprintf(why, why_size, "%.40s holds the control character 0x1F (unit separator)",
                     sp->by[b]);
            return 1;
        }
        if (!own[0]) {
            snprintf(why, why_size,
                     "%.40s is empty: give records without one a category of their own "
                     "(Missing)",
                     sp->by[b]);
            return 1;
        }
        if (sdc_strlist_contains(j->total_labels, own)) {
            snprintf(why, why_size,
                     "%.40s '%.40s' is a total label (total_labels), a margin's name: "
                     "rename the category",
                     sp->by[b], own);
            return 1;
        }
        from += part[b] + 1u;
    }
    return 0;
}

/* Counts pending record P into its full cell (and its unit's pair, when
 * the record is the one just read: records with units are not batched). */
static void count_record(sdc_agg_worker *w, const struct sdc_agg_pending *p, uint32_t h)
{
    const sdc_agg_job *j = w->job;
    const sdc_aggregate_spec *sp = j->spec;
    const char *key = w->keys + p->off;
    size_t known = w->cells.n;
    size_t ci = sdc_agg_cell_find(&w->cells, w->arena, key, p->klen, p->part, h);
    if (ci == SIZE_MAX) {
        halt(w, true);
        return;
    }
    if (w->cells.n > known) {
        /* a new cell: its labels against the total labels and the
         * declared levels, once */
        int bad = label_check(j, key, p->part, w->bad_why, sizeof w->bad_why);
        if (!bad && sp->levels)
            bad = sdc_agg_levels_check(j, key, p->part, w->bad_why, sizeof w->bad_why);
        if (bad) {
            *(bad == 1 ? &w->bad_record : &w->long_record) = p->record;
            halt(w, false);
            return;
        }
    }
    sdc_agg_cell *c = &w->cells.items[ci];
    c->records++;
    if (p->has_value) {
        if (sdc_xsum_add(&c->sum, p->value) < 0)
            halt(w, true);
        if (!sp->unit)
            sdc_agg_top2_add(&c->top, p->value);
    }
    if (!sp->unit || !slot_present(w, j->unit_slot))
        return; /* a short record without its unit counts no unit */
    int s = j->unit_slot;
    size_t ui = sdc_agg_unit_find(&w->units, w->unit_arena, w->text[s], w->len[s],
                                  sdc_agg_hash(w->text[s], w->len[s], 0), ci);
    sdc_xsum *sum = ui == SIZE_MAX ? NULL : sdc_agg_contribution_find(&w->units, &w->pairs, ui, ci);
    if (!sum || (p->has_value && sdc_xsum_add(sum, p->value) < 0))
        halt(w, true);
    else if (sdc_agg_units_bytes(w) > j->spill->budget && sdc_agg_spill_write(w) < 0)
        halt(w, w->oom);
}

/* Counts the pending records, in the order they were read, their cells'
 * memory fetched all at once first (a record costs a cell lookup, and on a
 * large table each of its reads would otherwise wait for memory in turn). */
static void flush_pending(sdc_agg_worker *w)
{
    sdc_agg_cell_prefetch(&w->cells, w->pending_hash, w->npending);
    for (size_t i = 0; i < w->npending && !w->stop; i++)
        count_record(w, &w->pending[i], w->pending_hash[i]);
    w->npending = 0;
    w->keys_used = 0;
}

/* Whether the value TEXT (LEN bytes) says there is none: blank, or one of
 * the policy's missing_markers (NA, NaN, ., ...) as a table's cells are
 * read (case and surrounding spaces aside). */
static bool missing_value(const sdc_agg_job *j, const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t'))
        i++;
    if (i == len)
        return true;
    char own[64];
    if (len >= sizeof own)
        return false; /* longer than any marker */
    memcpy(own, text, len);
    own[len] = '\0';
    return sdc_strlist_contains(j->missing, own);
}

/* A record of the body: its key and value, pending until the batch is
 * full (a record with a unit is counted at once, as its unit's text is
 * only in the slots until the next record). */
static void body_row(sdc_agg_worker *w)
{
    const sdc_agg_job *j = w->job;
    const sdc_aggregate_spec *sp = j->spec;
    w->records++;
    /* Every margin's key must fit, so that a cut key never merges cells. */
    struct sdc_agg_pending *p = &w->pending[w->npending];
    size_t longest = sp->nby - 1, o = 0;
    for (size_t b = 0; b < sp->nby; b++) {
        size_t n = slot_present(w, j->by_slot[b]) ? w->len[j->by_slot[b]] : 0;
        longest += n > j->total_len ? n : j->total_len;
        p->part[b] = (uint16_t)(n < SDC_AGG_KEY_MAX ? n : SDC_AGG_KEY_MAX);
    }
    for (size_t b = sp->nby; b < SDC_AGG_MAX_BY; b++)
        p->part[b] = 0;
    if (longest > SDC_AGG_KEY_MAX - 1) {
        unsigned long long record = w->records;
        flush_pending(w); /* an earlier record's error comes first */
        if (!w->stop) {
            w->long_record = record;
            halt(w, false);
        }
        return;
    }
    /* the batch keeps room for a key of any length (flushed below) */
    char *key = w->keys + w->keys_used;
    for (size_t b = 0; b < sp->nby; b++) {
        if (b)
            key[o++] = '\x1f';
        if (p->part[b])
            memcpy(key + o, w->text[j->by_slot[b]], p->part[b]);
        o += p->part[b];
    }
    p->off = w->keys_used;
    p->klen = o;
    p->value = 0;
    p->has_value = false;
    p->record = w->records;
    if (slot_present(w, j->value_slot)) {
        int s = j->value_slot;
        p->has_value = parse_value(w->text[s], w->len[s], &p->value);
        p->value += 0.0; /* -0 is 0: its sign would depend on the order of records */
        if (!p->has_value && !missing_value(j, w->text[s], w->len[s])) {
            /* counted, yet left out of the sum and the largest values */
            unsigned long long record = w->records;
            flush_pending(w); /* an earlier record's error comes first */
            if (!w->stop) {
                snprintf(w->bad_why, sizeof w->bad_why,
                         "%.40s '%.*s' is not a number, nor empty or a missing value "
                         "(missing_markers)",
                         sp->value, (int)(w->len[s] < 40 ? w->len[s] : 40), w->text[s]);
                w->bad_record = record;
                halt(w, false);
            }
            return;
        }
    }
    w->pending_hash[w->npending++] =
        sdc_agg_hash(key, o, p->part[0] | (uint64_t)p->part[sp->nby - 1] << 16);
    w->keys_used += o;
    if (sp->unit || w->npending == SDC_AGG_BATCH ||
        SDC_AGG_BATCH_KEYS - w->keys_used < SDC_AGG_KEY_MAX)
        flush_pending(w);
}

/* Makes room for LEN bytes and a NUL in SLOT (rarely needed: kept apart
 * from the per-field path). False when out of memory. */
static bool slot_reserve(sdc_agg_worker *w, size_t slot, size_t len)
{
    if (SDC_VEC_RESERVE(w->text[slot], w->cap[slot], len + 1) < 0) {
        halt(w, true);
        return false;
    }
    return true;
}

/* ---- libcsv's callbacks ---- */

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

bool sdc_agg_worker_parse(sdc_agg_worker *w, size_t *pos, size_t limit)
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
    if (!w->stop)
        flush_pending(w);
    return !w->stop;
}

bool sdc_agg_worker_fini(sdc_agg_worker *w)
{
    int rc = csv_fini(&w->parser, on_field, on_row, w);
    if (!w->stop)
        flush_pending(w);
    return rc == 0 && !w->stop;
}

bool sdc_agg_worker_between_records(const sdc_agg_worker *w)
{
    return w->parser.pstate == w->row_not_begun && w->parser.entry_pos == 0;
}
