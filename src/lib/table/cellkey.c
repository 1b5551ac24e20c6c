/*
 * cellkey.c - a grid's cells by integer coordinates (see cellkey.h).
 *
 * Open addressing with linear probing throughout: the tables are filled
 * once and never shrink, and a probe is a few integer compares.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "table/cellkey.h"

static uint64_t mix(uint64_t h, uint32_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDULL;
}

/* The tuple of cell I without dimension SKIP (SKIP >= dims: the whole tuple). */
static uint64_t hash_tuple(const uint32_t *id, size_t dims, size_t skip)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    for (size_t d = 0; d < dims; d++)
        if (d != skip)
            h = mix(h, id[d]);
    return h ^ (h >> 29);
}

static bool same_tuple(const uint32_t *a, const uint32_t *b, size_t dims, size_t skip)
{
    for (size_t d = 0; d < dims; d++)
        if (d != skip && a[d] != b[d])
            return false;
    return true;
}

static size_t pow2_above(size_t n)
{
    size_t c = 16;
    while (c < 2 * n)
        c *= 2;
    return c;
}

/* A packed tuple's place in a table of CAP (a power of two) slots. */
static size_t hash_packed(uint64_t key, size_t cap)
{
    key ^= key >> 33;
    key *= 0xFF51AFD7ED558CCDULL;
    key ^= key >> 33;
    key *= 0xC4CEB9FE1A85EC53ULL;
    key ^= key >> 33;
    return (size_t)key & (cap - 1);
}

static uint64_t pack(const sdc_cellkey *k, const uint32_t *id)
{
    return sdc_grid_pack(id, k->dims, k->shift);
}

/* Puts KEY into TABLE (CAP slots) unless there, with VALUE; returns the
 * value stored for KEY. */
static uint32_t packed_put(uint64_t *table, size_t cap, uint64_t key, uint32_t value)
{
    size_t h = hash_packed(key, cap);
    while (table[h] && table[h] >> 32 != key)
        h = (h + 1) & (cap - 1);
    if (!table[h])
        table[h] = key << 32 | ((uint64_t)value + 1);
    return (uint32_t)(table[h] & 0xFFFFFFFFu) - 1;
}

/* The cells by full tuple. A repeated tuple keeps its first cell. */
static int index_cells(sdc_cellkey *k)
{
    size_t n = k->count, dims = k->dims, mask = k->hcap - 1;
    if (k->count < UINT32_MAX && sdc_grid_packing(k->distinct, k->dims, 32, k->shift)) {
        for (size_t d = 0; d < dims; d++)
            k->field[d] = sdc_grid_field(k->distinct, k->shift, d);
        k->packed = calloc(k->hcap, sizeof *k->packed);
        if (!k->packed)
            return -1;
        for (size_t i = 0; i < n; i++)
            packed_put(k->packed, k->hcap, pack(k, k->id + i * dims), (uint32_t)i);
        return 0;
    }
    k->slot = calloc(k->hcap, sizeof *k->slot);
    if (!k->slot)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t h = hash_tuple(k->id + i * dims, dims, dims) & mask;
        while (k->slot[h] &&
               !same_tuple(k->id + (k->slot[h] - 1) * dims, k->id + i * dims, dims, dims))
            h = (h + 1) & mask;
        if (!k->slot[h])
            k->slot[h] = (uint32_t)i + 1;
    }
    return 0;
}

/* Numbers the lines: cells agreeing on every coordinate but D are one line
 * along D, found by hashing the tuple without D. */
static int number_lines(sdc_cellkey *k)
{
    size_t n = k->count, dims = k->dims, cap = k->hcap, mask = cap - 1, nlines = 0;
    if (k->packed) {
        uint64_t *rep = malloc(cap * sizeof *rep);
        if (!rep)
            return -1;
        for (size_t d = 0; d < dims; d++) {
            memset(rep, 0, cap * sizeof *rep);
            uint64_t keep = ~k->field[d];
            for (size_t i = 0; i < n; i++) {
                uint32_t l =
                    packed_put(rep, cap, pack(k, k->id + i * dims) & keep, (uint32_t)nlines);
                if (l == nlines)
                    nlines++;
                k->line[d * n + i] = l;
            }
        }
        free(rep);
        k->nlines = nlines;
        return 0;
    }
    uint32_t *rep = calloc(cap, sizeof *rep); /* per line: representative + 1 */
    uint32_t *rep_line = malloc(cap * sizeof *rep_line);
    if (!rep || !rep_line) {
        free(rep);
        free(rep_line);
        return -1;
    }
    for (size_t d = 0; d < dims; d++) {
        if (d > 0)
            memset(rep, 0, cap * sizeof *rep);
        for (size_t i = 0; i < n; i++) {
            const uint32_t *id = k->id + i * dims;
            size_t h = hash_tuple(id, dims, d) & mask;
            while (rep[h] && !same_tuple(k->id + (rep[h] - 1) * dims, id, dims, d))
                h = (h + 1) & mask;
            if (!rep[h]) {
                rep[h] = (uint32_t)i + 1;
                rep_line[h] = (uint32_t)nlines++;
            }
            k->line[d * n + i] = rep_line[h];
        }
    }
    free(rep);
    free(rep_line);
    k->nlines = nlines;
    return 0;
}

int sdc_cellkey_build(const sdc_grid *g, sdc_cellkey *k)
{
    memset(k, 0, sizeof *k);
    size_t n = g->count, dims = g->dims;
    if (n >= INT32_MAX || n * dims >= UINT32_MAX)
        return -1; /* cells and their lines are numbered in 32 bits */
    k->count = n;
    k->dims = dims;
    k->hcap = pow2_above(n);
    k->id = malloc((n * dims + 1) * sizeof *k->id);
    k->line = malloc((n * dims + 1) * sizeof *k->line);
    if (!k->id || !k->line)
        goto oom;
    for (size_t d = 0; d < dims; d++)
        if (sdc_grid_rank(g, d, k->id, dims, &k->distinct[d]) < 0)
            goto oom;
    if (index_cells(k) < 0 || number_lines(k) < 0)
        goto oom;
    size_t nlines = k->nlines;
    k->line_start = calloc(nlines + 2, sizeof *k->line_start);
    k->members = malloc((n * dims + 1) * sizeof *k->members);
    k->line_total = malloc((nlines + 1) * sizeof *k->line_total);
    k->line_dim = malloc((nlines + 1) * sizeof *k->line_dim);
    uint32_t *fill = malloc((nlines + 1) * sizeof *fill); /* next free slot of each line */
    if (!k->line_start || !k->members || !k->line_total || !k->line_dim || !fill) {
        free(fill);
        goto oom;
    }
    for (size_t x = 0; x < n * dims; x++)
        k->line_start[k->line[x] + 1]++;
    for (size_t l = 0; l < nlines; l++)
        k->line_start[l + 1] += k->line_start[l];
    for (size_t l = 0; l < nlines; l++)
        k->line_total[l] = -1;
    memcpy(fill, k->line_start, nlines * sizeof *fill);
    for (size_t d = 0; d < dims; d++)
        for (size_t i = 0; i < n; i++) {
            uint32_t l = k->line[d * n + i];
            k->members[fill[l]++] = (uint32_t)i;
            k->line_dim[l] = (uint32_t)d;
            if (g->cells[i].coord_total[d] && k->line_total[l] < 0)
                k->line_total[l] = (int32_t)i;
        }
    free(fill);
    /* A total with no parts beside it (the grand total along a nested
     * column, whose margins repeat no child) is no equation. */
    for (size_t l = 0; l < nlines; l++) {
        bool part = false;
        for (uint32_t q = k->line_start[l]; q < k->line_start[l + 1] && !part; q++)
            part = !g->cells[k->members[q]].coord_total[k->line_dim[l]];
        if (!part)
            k->line_total[l] = -1;
    }
    return 0;
oom:
    sdc_cellkey_free(k);
    return -1;
}

static long find_packed(const sdc_cellkey *k, uint64_t key)
{
    size_t h = hash_packed(key, k->hcap);
    while (k->packed[h]) {
        if (k->packed[h] >> 32 == key)
            return (long)(k->packed[h] & 0xFFFFFFFFu) - 1;
        h = (h + 1) & (k->hcap - 1);
    }
    return -1;
}

long sdc_cellkey_find(const sdc_cellkey *k, const uint32_t *ids)
{
    if (k->packed) {
        for (size_t d = 0; d < k->dims; d++)
            if (ids[d] >= k->distinct[d])
                return -1;
        return find_packed(k, pack(k, ids));
    }
    size_t mask = k->hcap - 1;
    size_t h = hash_tuple(ids, k->dims, k->dims) & mask;
    while (k->slot[h]) {
        if (same_tuple(k->id + (k->slot[h] - 1) * k->dims, ids, k->dims, k->dims))
            return (long)k->slot[h] - 1;
        h = (h + 1) & mask;
    }
    return -1;
}

long sdc_cellkey_move(const sdc_cellkey *k, size_t i, size_t d, uint32_t coord)
{
    if (k->packed)
        return sdc_cellkey_find_key(k, sdc_cellkey_key_move(k, sdc_cellkey_key(k, i), d, coord));
    uint32_t ids[SDC_GRID_MAX_DIMS];
    memcpy(ids, k->id + i * k->dims, k->dims * sizeof *ids);
    ids[d] = coord;
    return sdc_cellkey_find(k, ids);
}

uint64_t sdc_cellkey_key(const sdc_cellkey *k, size_t i)
{
    return pack(k, k->id + i * k->dims);
}

void sdc_cellkey_prefetch_key(const sdc_cellkey *k, uint64_t key)
{
    if (key != UINT64_MAX)
        __builtin_prefetch(&k->packed[hash_packed(key, k->hcap)]);
}

long sdc_cellkey_find_key(const sdc_cellkey *k, uint64_t key)
{
    return key == UINT64_MAX ? -1 : find_packed(k, key);
}

void sdc_cellkey_free(sdc_cellkey *k)
{
    free(k->id);
    free(k->line);
    free(k->line_start);
    free(k->members);
    free(k->line_total);
    free(k->line_dim);
    free(k->slot);
    free(k->packed);
    memset(k, 0, sizeof *k);
}

int sdc_grid_share_grid_in(sdc_grid_share *s, const sdc_grid_frame *f, const sdc_table *t,
                           const sdc_policy *policy, long measure, unsigned slot, sdc_grid *g)
{
    if (slot >= SDC_GRID_SHARE_SLOTS)
        return -1;
    if (!s->have_grid) {
        sdc_grid_frame own;
        if (!f)
            sdc_grid_frame_init(t, &own);
        if (sdc_grid_build_in(f ? f : &own, t, policy, measure, &s->g) < 0)
            return -1;
        s->have_grid = true;
        s->slot_cells[0] = s->g.cells;
    }
    if (!s->slot_cells[slot]) {
        sdc_grid_cell *c = malloc((s->g.count + 1) * sizeof *c);
        if (!c)
            return -1;
        memcpy(c, s->g.cells, s->g.count * sizeof *c);
        s->slot_cells[slot] = c;
    }
    /* a slot's cells name the measure it was last lent to (a grid just
     * built names MEASURE already: one pass more) */
    sdc_grid_cell *cells = s->slot_cells[slot];
    for (size_t i = 0; measure >= 0 && i < s->g.count; i++)
        cells[i].col = (size_t)measure;
    *g = s->g;
    g->cells = cells;
    return 0;
}

int sdc_grid_share_grid(sdc_grid_share *s, const sdc_grid_frame *f, const sdc_table *t,
                        const sdc_policy *policy, long measure, sdc_grid *g)
{
    return sdc_grid_share_grid_in(s, f, t, policy, measure, 0, g);
}

int sdc_grid_share_key(sdc_grid_share *s, sdc_cellkey *k)
{
    if (!s->have_key) {
        if (sdc_cellkey_build(&s->g, &s->k) < 0)
            return -1;
        s->have_key = true;
    }
    *k = s->k;
    return 0;
}

void sdc_grid_share_free(sdc_grid_share *s)
{
    for (unsigned i = 1; i < SDC_GRID_SHARE_SLOTS; i++)
        free(s->slot_cells[i]);
    sdc_cellkey_free(&s->k);
    sdc_grid_free(&s->g);
    memset(s, 0, sizeof *s);
}
