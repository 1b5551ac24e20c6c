/*
 * aggregate_spill.c - units past the memory budget: sorted runs on disk,
 * merged by unit at the end (an external sort).
 *
 * A worker's units and (cell, unit) pairs grow with the distinct units of
 * its piece: 20 million people take gigabytes. When they pass the worker's
 * share of the budget (SDC_AGG_UNIT_MEMORY, or tuning.unit_memory, or
 * SDCCHECK_UNIT_MEMORY), the worker sorts them by unit and appends them as
 * one run to its temporary file (mkstemp in $TMPDIR, unlinked at once, so
 * nothing is left behind however the process ends), and starts over with
 * empty sets. Once any worker did, the merge (aggregate_threads.c) writes
 * every worker's last units as one more run and merges only the cells. The
 * margins then read all runs at once in unit order (a k-way merge over a
 * heap), one unit at a time: its records from every run, its contributions
 * to each full cell it is in with the worker's cell numbers mapped to the
 * merged cells, which the margins count as they count a unit in memory
 * (aggregate_margins.c). More than FANIN runs are first merged FANIN at a
 * time into longer runs, so the merge holds at most FANIN read buffers
 * whatever the number of runs.
 *
 * Units are ordered by a 64-bit hash of their text, then by the text: the
 * order is total, and two records are the same unit only when their texts
 * are equal byte for byte (the hash only makes most comparisons one integer
 * compare; a collision costs a memcmp, never a wrong count). Contributions
 * are written as their exact sums' partials, so sums, counts and the two
 * largest contributions are the in-memory path's exactly
 * (aggregate_sum.h); only the order in which units are counted differs,
 * and no count depends on it.
 *
 * A record of a run, in the machine's byte order (the file dies with the
 * process): a header of u32 size (the bytes after the header), u32 text
 * length, u32 worker, u32 contributions and u64 hash; the text; then per
 * contribution u32 cell (the worker's number), u32 partials (the top bit:
 * an overflow follows), [f64 overflow], f64 partials.
 *
 * Failing closed: a write or read that fails or comes short (a full disk)
 * stops the aggregation with the reason; nothing is counted from a file
 * that was not wholly written, and a record that does not parse is an
 * error, not a guess.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/vec.h"
#include "read/aggregate_internal.h"

#define FANIN 64                  /* runs merged at once */
#define IO_BLOCK (256u * 1024u)   /* bytes per write, and each run's first read buffer */
#define HEADER 24                 /* a record's header */
#define OVERFLOW_FLAG 0x80000000u /* in a contribution's partial count */

/* One unit (PAIR 0: its home contribution) or pair (PAIR: its number + 1)
 * of a worker, to be sorted by unit. */
typedef struct sort_entry {
    uint64_t hash;
    uint32_t unit, pair;
} sort_entry;

/* ---- what the units take ---- */

size_t sdc_agg_units_bytes(const sdc_agg_worker *w)
{
    /* The sort of a run takes an entry per unit and pair, twice over. */
    size_t entry = 2 * sizeof(sort_entry);
    return w->units.cap * (sizeof(sdc_agg_unit) + entry) +
           w->units.map.cap * sizeof(sdc_agg_idxslot) +
           w->pairs.cap * (sizeof(sdc_agg_pair) + entry) +
           w->pairs.map.cap * sizeof(sdc_agg_idxslot) + sdc_arena_size(w->unit_arena);
}

/* ---- the temporary files ---- */

/* A new temporary file in $TMPDIR (else /tmp), already unlinked; -1 with
 * WHY set when it cannot be made. */
static int temp_file(char *why, size_t size)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/sdccheck-units-XXXXXX", dir);
    if (n < 0 || (size_t)n >= sizeof path) {
        snprintf(why, size, "cannot make a temporary file for the units: TMPDIR is too long");
        return -1;
    }
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(why, size, "cannot make a temporary file for the units in %.100s: %s", dir,
                 strerror(errno));
        return -1;
    }
    unlink(path);
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

/* Bytes appended to a temporary file through a buffer. */
typedef struct writer {
    int fd;
    unsigned char *buf;
    size_t len;  /* bytes in BUF */
    uint64_t at; /* the file's size: where BUF goes */
    int err;     /* the first write's errno, or 0 */
} writer;

static void writer_flush(writer *o)
{
    size_t done = 0;
    while (!o->err && done < o->len) {
        ssize_t n = pwrite(o->fd, o->buf + done, o->len - done, (off_t)o->at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            o->err = n < 0 ? errno : ENOSPC;
            break;
        }
        done += (size_t)n;
        o->at += (uint64_t)n;
    }
    o->len = 0;
}

static void writer_put(writer *o, const void *p, size_t n)
{
    const unsigned char *from = p;
    while (n > 0 && !o->err) {
        if (o->len == IO_BLOCK)
            writer_flush(o);
        size_t k = IO_BLOCK - o->len < n ? IO_BLOCK - o->len : n;
        memcpy(o->buf + o->len, from, k);
        o->len += k;
        from += k;
        n -= k;
    }
}

/* Where the next byte put goes. */
static uint64_t writer_tell(const writer *o)
{
    return o->at + o->len;
}

static void put_u32(writer *o, uint32_t v)
{
    writer_put(o, &v, sizeof v);
}

/* ---- writing a worker's units ---- */

static int cmp_text(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c ? c : (alen > blen) - (alen < blen);
}

static int cmp_entry(const void *x, const void *y, void *arg)
{
    const sort_entry *a = x, *b = y;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    if (a->unit != b->unit) {
        const sdc_agg_unit *items = arg, *u = &items[a->unit], *v = &items[b->unit];
        return cmp_text(u->text, u->len, v->text, v->len);
    }
    return (a->pair > b->pair) - (a->pair < b->pair);
}

/* Sorts E[0..N) by cmp_entry: one pass on the hashes' top bits into
 * buckets of about eight entries (the hashes are uniform), then each
 * bucket on its own; several times faster than qsort over the whole. The
 * sorted entries replace *E. -1 when out of memory (*E unchanged). */
static int sort_entries(sort_entry **e, size_t n, const sdc_agg_unit *items)
{
    unsigned bits = 0;
    while (bits < 16 && ((size_t)8 << bits) < n)
        bits++;
    size_t nb = (size_t)1 << bits;
    sort_entry *in = *e, *out = malloc((n + 1) * sizeof *out);
    size_t *end = calloc(nb + 1, sizeof *end);
    if (!out || !end) {
        free(out);
        free(end);
        return -1;
    }
#define BUCKET(x) (bits ? (size_t)((x).hash >> (64 - bits)) : 0)
    for (size_t i = 0; i < n; i++)
        end[BUCKET(in[i]) + 1]++;
    for (size_t b = 0; b < nb; b++)
        end[b + 1] += end[b];
    for (size_t i = 0; i < n; i++)
        out[end[BUCKET(in[i])]++] = in[i];
#undef BUCKET
    /* end[b] is now where bucket b ends, and b + 1 starts. */
    for (size_t b = 0, from = 0; b < nb; from = end[b++]) {
        sort_entry *x = out + from;
        size_t k = end[b] - from;
        if (k > 32) {
            qsort_r(x, k, sizeof *x, cmp_entry, (void *)items);
            continue;
        }
        for (size_t i = 1; i < k; i++) {
            sort_entry t = x[i];
            size_t j = i;
            for (; j > 0 && cmp_entry(&x[j - 1], &t, (void *)items) > 0; j--)
                x[j] = x[j - 1];
            x[j] = t;
        }
    }
    free(end);
    free(in);
    *e = out;
    return 0;
}

/* The bytes SUM takes in a record. */
static size_t sum_bytes(const sdc_xsum *sum)
{
    return 8 + (size_t)sum->n * 8 + (sum->overflow != 0 || isnan(sum->overflow) ? 8 : 0);
}

static void put_sum(writer *o, uint32_t cell, const sdc_xsum *sum)
{
    bool overflow = sum->overflow != 0 || isnan(sum->overflow);
    put_u32(o, cell);
    put_u32(o, sum->n | (overflow ? OVERFLOW_FLAG : 0));
    if (overflow)
        writer_put(o, &sum->overflow, sizeof sum->overflow);
    writer_put(o, sum->cap > 2 ? sum->heap : sum->inline_parts, (size_t)sum->n * 8);
}

/* Writes W's units and pairs in unit order (E: their NE entries, sorted)
 * through O. -1 with W's error set when a unit's record is too large. */
static int write_run(sdc_agg_worker *w, const sort_entry *e, size_t ne, writer *o)
{
    for (size_t i = 0, end; i < ne; i = end) {
        /* The units are visited in hash order, all over memory: ask for
         * those a few entries ahead early (this halves the write's time). */
        if (i + 16 < ne)
            __builtin_prefetch(&w->units.items[e[i + 16].unit]);
        if (i + 8 < ne)
            __builtin_prefetch(w->units.items[e[i + 8].unit].text);
        const sdc_agg_unit *u = &w->units.items[e[i].unit];
        uint64_t size = u->len;
        for (end = i; end < ne && e[end].unit == e[i].unit; end++)
            size += sum_bytes(e[end].pair ? &w->pairs.items[e[end].pair - 1].sum : &u->sum);
        if (size > UINT32_MAX) {
            snprintf(w->error, sizeof w->error, "a unit is in too many cells to be counted");
            return -1;
        }
        uint64_t hash = e[i].hash;
        put_u32(o, (uint32_t)size);
        put_u32(o, u->len);
        put_u32(o, w->index);
        put_u32(o, (uint32_t)(end - i));
        writer_put(o, &hash, sizeof hash);
        writer_put(o, u->text, u->len);
        for (size_t k = i; k < end; k++) {
            if (e[k].pair == 0)
                put_sum(o, u->home, &u->sum);
            else
                put_sum(o, w->pairs.items[e[k].pair - 1].cell, &w->pairs.items[e[k].pair - 1].sum);
        }
    }
    return 0;
}

int sdc_agg_spill_write(sdc_agg_worker *w)
{
    sdc_agg_runs *r = &w->runs;
    size_t ne = w->units.n + w->pairs.n;
    if (w->units.n == 0)
        return 0;
    if (r->fd < 0 && (r->fd = temp_file(w->error, sizeof w->error)) < 0)
        return -1;
    sort_entry *e = malloc(ne * sizeof *e);
    writer o = {.fd = r->fd, .buf = malloc(IO_BLOCK), .at = r->n ? r->end[r->n - 1] : 0};
    if (!e || !o.buf || SDC_VEC_RESERVE(r->end, r->cap, r->n + 1) < 0) {
        free(e);
        free(o.buf);
        w->oom = true;
        return -1;
    }
    for (size_t u = 0; u < w->units.n; u++)
        e[u] = (sort_entry){sdc_agg_hash64(w->units.items[u].text, w->units.items[u].len),
                            (uint32_t)u, 0};
    for (size_t p = 0; p < w->pairs.n; p++)
        e[w->units.n + p] =
            (sort_entry){e[w->pairs.items[p].unit].hash, w->pairs.items[p].unit, (uint32_t)p + 1};
    if (sort_entries(&e, ne, w->units.items) < 0) {
        free(e);
        free(o.buf);
        w->oom = true;
        return -1;
    }
    int rc = write_run(w, e, ne, &o);
    writer_flush(&o);
    free(e);
    free(o.buf);
    if (rc == 0 && o.err) {
        snprintf(w->error, sizeof w->error, "cannot write the units to a temporary file: %s",
                 strerror(o.err));
        rc = -1;
    }
    if (rc < 0)
        return -1;
    r->end[r->n++] = o.at;
    /* Start over with no unit in memory. */
    sdc_agg_unitset_free(&w->units);
    sdc_agg_pairset_free(&w->pairs);
    sdc_arena_free(w->unit_arena);
    w->unit_arena = sdc_arena_new();
    if (!w->unit_arena) {
        w->oom = true;
        return -1;
    }
    return 0;
}

void sdc_agg_runs_free(sdc_agg_runs *r)
{
    if (r->fd >= 0)
        close(r->fd);
    free(r->end);
    free(r->cell_to);
    memset(r, 0, sizeof *r);
    r->fd = -1;
}

/* ---- reading runs ---- */

/* A run: bytes [start, end) of the file FD. */
typedef struct run {
    int fd;
    uint64_t start, end;
} run;

/* A run being read, at its current record. */
typedef struct cursor {
    int fd;
    uint64_t pos, end; /* the run's bytes not yet read */
    unsigned char *buf;
    size_t cap, at, len;      /* BUF[AT, LEN): read and not yet used */
    const unsigned char *rec; /* the current record (in BUF), or NULL at the run's end */
    uint32_t size, tlen, worker, ncontrib;
    uint64_t hash;
} cursor;

/* The merge of one group of runs. */
typedef struct merge {
    const sdc_agg_job *j;
    cursor *cur;   /* the runs */
    cursor **heap; /* the runs not at their end, least record first */
    size_t ncur, nheap;
} merge;

/* Records why reading or writing the runs failed (the first reason). */
static void io_failed(const sdc_agg_job *j, const char *what, int err)
{
    if (!j->spill->error[0])
        snprintf(j->spill->error, sizeof j->spill->error, "%s the units' temporary file: %s", what,
                 err ? strerror(err) : "it is shorter than was written");
}

/* Makes N bytes from C's AT available in its buffer. -1 when out of
 * memory, -2 when they cannot be read (errno set, 0 when the run ends). */
static int fill(cursor *c, size_t n)
{
    if (c->len - c->at >= n)
        return 0;
    if (c->at) {
        memmove(c->buf, c->buf + c->at, c->len - c->at);
        c->len -= c->at;
        c->at = 0;
    }
    if (n > c->cap) {
        size_t cap = n > 2 * c->cap ? n : 2 * c->cap;
        unsigned char *b = realloc(c->buf, cap);
        if (!b)
            return -1;
        c->buf = b;
        c->cap = cap;
    }
    while (c->len < n) {
        uint64_t left = c->end - c->pos;
        size_t want = c->cap - c->len < left ? c->cap - c->len : (size_t)left;
        ssize_t got = want ? pread(c->fd, c->buf + c->len, want, (off_t)c->pos) : 0;
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (got == 0)
                errno = 0;
            return -2;
        }
        c->len += (size_t)got;
        c->pos += (uint64_t)got;
    }
    return 0;
}

/* Moves C to its next record (the first when C->rec is NULL and nothing
 * was read). Returns 0 (C->rec NULL at the run's end), -1 out of memory, -2
 * with the merge's error set. */
static int advance(const sdc_agg_job *j, cursor *c)
{
    if (c->rec)
        c->at += HEADER + (size_t)c->size;
    c->rec = NULL;
    if (c->at == c->len && c->pos == c->end)
        return 0;
    int rc = fill(c, HEADER);
    if (rc == 0) {
        const unsigned char *h = c->buf + c->at;
        memcpy(&c->size, h, 4);
        memcpy(&c->tlen, h + 4, 4);
        memcpy(&c->worker, h + 8, 4);
        memcpy(&c->ncontrib, h + 12, 4);
        memcpy(&c->hash, h + 16, 8);
        if (c->tlen > c->size || c->ncontrib == 0 || c->worker >= j->nworkers) {
            io_failed(j, "cannot read", EINVAL);
            return -2;
        }
        rc = fill(c, HEADER + (size_t)c->size);
    }
    if (rc == -2)
        io_failed(j, "cannot read", errno);
    if (rc == 0)
        c->rec = c->buf + c->at;
    return rc;
}

static int cmp_cursor(const cursor *a, const cursor *b)
{
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return cmp_text((const char *)a->rec + HEADER, a->tlen, (const char *)b->rec + HEADER, b->tlen);
}

static void sift_down(merge *m, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, least = i;
        if (l < m->nheap && cmp_cursor(m->heap[l], m->heap[least]) < 0)
            least = l;
        if (l + 1 < m->nheap && cmp_cursor(m->heap[l + 1], m->heap[least]) < 0)
            least = l + 1;
        if (least == i)
            return;
        cursor *t = m->heap[i];
        m->heap[i] = m->heap[least];
        m->heap[least] = t;
        i = least;
    }
}

/* Moves the least run to its next record. 0, or advance's errors. */
static int pop(merge *m)
{
    int rc = advance(m->j, m->heap[0]);
    if (rc == 0 && !m->heap[0]->rec)
        m->heap[0] = m->heap[--m->nheap];
    if (rc == 0 && m->nheap)
        sift_down(m, 0);
    return rc;
}

static void merge_close(merge *m)
{
    for (size_t i = 0; m->cur && i < m->ncur; i++)
        free(m->cur[i].buf);
    free(m->cur);
    free(m->heap);
    memset(m, 0, sizeof *m);
}

/* Opens the N runs R for merging, each at its first record. 0, or -1 out
 * of memory, -2 with the job's spill error set (m is then closed). */
static int merge_open(merge *m, const sdc_agg_job *j, const run *r, size_t n)
{
    m->j = j;
    m->cur = calloc(n + 1, sizeof *m->cur);
    m->heap = calloc(n + 1, sizeof *m->heap);
    m->ncur = n;
    m->nheap = 0;
    int rc = m->cur && m->heap ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        cursor *c = &m->cur[i];
        c->fd = r[i].fd;
        c->pos = r[i].start;
        c->end = r[i].end;
        c->buf = malloc(IO_BLOCK);
        c->cap = IO_BLOCK;
        rc = c->buf ? advance(j, c) : -1;
        if (rc == 0 && c->rec)
            m->heap[m->nheap++] = c;
    }
    for (size_t i = m->nheap / 2; rc == 0 && i-- > 0;)
        sift_down(m, i);
    if (rc < 0)
        merge_close(m);
    return rc;
}

/* ---- merging runs into longer runs ---- */

/* Merges runs FANIN at a time into a new file until at most FANIN are
 * left; *R and *N are then those. *OWNED is the file of the last pass
 * (closed when the next pass is done), or -1. 0, -1 out of memory, -2 with
 * the job's spill error set. */
static int merge_passes(const sdc_agg_job *j, run **r, size_t *n, int *owned)
{
    while (*n > FANIN) {
        size_t nout = (*n + FANIN - 1) / FANIN;
        run *out = malloc(nout * sizeof *out);
        writer o = {.fd = temp_file(j->spill->error, sizeof j->spill->error),
                    .buf = malloc(IO_BLOCK)};
        int rc = out && o.buf ? 0 : -1;
        if (o.fd < 0)
            rc = -2;
        for (size_t g = 0; rc == 0 && g < nout; g++) {
            size_t first = g * FANIN, k = *n - first < FANIN ? *n - first : FANIN;
            merge m;
            out[g] = (run){o.fd, writer_tell(&o), 0};
            rc = merge_open(&m, j, *r + first, k);
            while (rc == 0 && m.nheap) {
                writer_put(&o, m.heap[0]->rec, HEADER + (size_t)m.heap[0]->size);
                rc = pop(&m);
            }
            merge_close(&m);
            out[g].end = writer_tell(&o);
        }
        writer_flush(&o);
        if (rc == 0 && o.err) {
            io_failed(j, "cannot write", o.err);
            rc = -2;
        }
        free(o.buf);
        free(*r);
        *r = out;
        *n = nout;
        if (*owned >= 0)
            close(*owned);
        *owned = o.fd;
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- counting the units ---- */

/* Adds the contributions of C's record to *CON (*N of *CAP). 0, -1 out of
 * memory, -2 with the job's spill error set. */
static int read_contributions(const sdc_agg_job *j, const cursor *c, sdc_agg_contribution **con,
                              size_t *n, size_t *cap)
{
    const sdc_agg_runs *runs = &j->workers[c->worker].runs;
    size_t ncells = c->worker == 0 ? j->workers[0].cells.n : runs->ncells;
    const unsigned char *p = c->rec + HEADER + c->tlen;
    size_t left = c->size - c->tlen;
    if (!runs->counted || (c->worker != 0 && !runs->cell_to)) {
        io_failed(j, "cannot read", EINVAL);
        return -2;
    }
    for (uint32_t k = 0; k < c->ncontrib; k++) {
        uint32_t cell, np;
        double overflow = 0;
        if (left < 8)
            break;
        memcpy(&cell, p, 4);
        memcpy(&np, p + 4, 4);
        p += 8;
        left -= 8;
        bool has_overflow = np & OVERFLOW_FLAG;
        np &= ~OVERFLOW_FLAG;
        if (cell >= ncells || left / 8 < (size_t)np + has_overflow)
            break;
        if (has_overflow) {
            memcpy(&overflow, p, 8);
            p += 8;
            left -= 8;
        }
        if (SDC_VEC_RESERVE(*con, *cap, *n + 1) < 0)
            return -1;
        sdc_agg_contribution *t = &(*con)[(*n)++];
        memset(t, 0, sizeof *t);
        t->cell = c->worker == 0 ? cell : runs->cell_to[cell];
        for (uint32_t i = 0; i < np; i++, p += 8, left -= 8) {
            double part;
            memcpy(&part, p, 8);
            if (sdc_xsum_add(&t->sum, part) < 0)
                return -1;
        }
        t->sum.overflow += overflow;
        if (k + 1 == c->ncontrib && left == 0)
            return 0;
    }
    io_failed(j, "cannot read", EINVAL);
    return -2;
}

struct sdc_agg_spill_reader {
    const sdc_agg_job *j;
    run *runs;
    size_t nruns;
    int owned; /* the last merge pass's file, or -1 */
    merge m;
    sdc_agg_contribution *con; /* the current unit's */
    size_t ncon, capcon;
    unsigned char *key; /* the current unit's text */
    size_t capkey;
};

/* Empties the current unit's contributions. */
static void clear_contributions(sdc_agg_spill_reader *r)
{
    for (size_t k = 0; k < r->ncon; k++)
        sdc_xsum_free(&r->con[k].sum);
    r->ncon = 0;
}

void sdc_agg_spill_close(sdc_agg_spill_reader *r)
{
    if (!r)
        return;
    clear_contributions(r);
    free(r->con);
    free(r->key);
    merge_close(&r->m);
    if (r->owned >= 0)
        close(r->owned);
    free(r->runs);
    free(r);
}

sdc_agg_spill_reader *sdc_agg_spill_open(const sdc_agg_job *j)
{
    sdc_agg_spill_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->j = j;
    r->owned = -1;
    size_t n = 0;
    for (unsigned i = 0; i < j->nworkers; i++)
        if (j->workers[i].runs.counted)
            n += j->workers[i].runs.n;
    r->runs = malloc((n + 1) * sizeof *r->runs);
    if (!r->runs) {
        sdc_agg_spill_close(r);
        return NULL;
    }
    for (unsigned i = 0; i < j->nworkers; i++) {
        const sdc_agg_runs *w = &j->workers[i].runs;
        for (size_t k = 0; w->counted && k < w->n; k++)
            r->runs[r->nruns++] = (run){w->fd, k ? w->end[k - 1] : 0, w->end[k]};
    }
    int rc = merge_passes(j, &r->runs, &r->nruns, &r->owned);
    if (rc == 0)
        rc = merge_open(&r->m, j, r->runs, r->nruns);
    if (rc < 0) {
        sdc_agg_spill_close(r);
        return NULL;
    }
    return r;
}

int sdc_agg_spill_next(sdc_agg_spill_reader *r, const sdc_agg_contribution **con, size_t *n)
{
    merge *m = &r->m;
    clear_contributions(r);
    if (m->nheap == 0)
        return 0;
    /* The least unit: its records from every run. */
    const cursor *least = m->heap[0];
    uint64_t hash = least->hash;
    uint32_t tlen = least->tlen;
    if (SDC_VEC_RESERVE(r->key, r->capkey, (size_t)tlen + 1) < 0)
        return -1;
    memcpy(r->key, least->rec + HEADER, tlen);
    int rc;
    do {
        rc = read_contributions(r->j, m->heap[0], &r->con, &r->ncon, &r->capcon);
        if (rc == 0)
            rc = pop(m);
    } while (rc == 0 && m->nheap && m->heap[0]->hash == hash && m->heap[0]->tlen == tlen &&
             memcmp(m->heap[0]->rec + HEADER, r->key, tlen) == 0);
    if (rc < 0)
        return -1;
    *con = r->con;
    *n = r->ncon;
    return 1;
}
