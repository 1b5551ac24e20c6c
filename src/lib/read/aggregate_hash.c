/*
 * aggregate_hash.c - the sets a worker counts records into: cells by key,
 * units by text, (cell, unit) pairs (see aggregate_internal.h).
 *
 * Each set is an array of items with an open-addressing index of item
 * numbers beside it (linear probing, at most half full, each slot keeping
 * its item's hash so that a probe rarely touches the item). The items stay
 * in the order they were added and are addressed by number, which the
 * merge and the margins rely on; keys are compared eight bytes at a time,
 * as a record costs one cell lookup and most keys are short.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "read/aggregate_internal.h"
#include "core/arena.h"

/* ---- hashing and an open-addressing index ---- */

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

/* The 64 bits that sdc_agg_hash and sdc_agg_hash64 take theirs from. */
static uint64_t hash_bits(const char *s, size_t n, uint64_t seed)
{
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    return (h ^ w) * 0x94d049bb133111ebull;
}

uint32_t sdc_agg_hash(const char *s, size_t n, uint64_t seed)
{
    return (uint32_t)(hash_bits(s, n, seed) >> 32);
}

uint64_t sdc_agg_hash64(const char *s, size_t n)
{
    return mix64(hash_bits(s, n, 0));
}

/* Whether A and B hold the same N bytes (inline: keys are short). */
static bool same_bytes(const char *a, const char *b, size_t n)
{
    for (; n >= 8; a += 8, b += 8, n -= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return false;
    }
    while (n--)
        if (*a++ != *b++)
            return false;
    return true;
}

/* Makes room for one more item. Returns 0, or -1 when out of memory. */
static int idxmap_reserve(sdc_agg_idxmap *m)
{
    if ((m->count + 1) * 2 <= m->cap)
        return 0;
    size_t cap = m->cap ? m->cap * 2 : 64;
    sdc_agg_idxslot *s = calloc(cap, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].idx) {
            size_t j = m->slots[i].hash & (cap - 1);
            while (s[j].idx)
                j = (j + 1) & (cap - 1);
            s[j] = m->slots[i];
        }
    free(m->slots);
    m->slots = s;
    m->cap = cap;
    return 0;
}

/* ---- cells ---- */

void sdc_agg_top2_add(sdc_agg_top2 *t, double v)
{
    if (t->n == 0) {
        t->v[0] = v;
        t->n = 1;
    } else if (v > t->v[0]) {
        t->v[1] = t->v[0];
        t->v[0] = v;
        t->n = 2;
    } else if (t->n == 1 || v > t->v[1]) {
        t->v[1] = v;
        t->n = 2;
    }
}

void sdc_agg_top2_merge(sdc_agg_top2 *into, const sdc_agg_top2 *from)
{
    for (unsigned i = 0; i < from->n; i++)
        sdc_agg_top2_add(into, from->v[i]);
}

size_t sdc_agg_cell_find(sdc_agg_cellset *cs, struct sdc_arena *arena, const char *key, size_t klen,
                         const uint16_t *part, uint32_t h)
{
    if (idxmap_reserve(&cs->map) < 0)
        return SIZE_MAX;
    size_t mask = cs->map.cap - 1, j = h & mask;
    for (; cs->map.slots[j].idx; j = (j + 1) & mask) {
        if (cs->map.slots[j].hash != h)
            continue;
        sdc_agg_cell *c = &cs->items[cs->map.slots[j].idx - 1];
        if (c->klen == klen && same_bytes(c->key, key, klen) &&
            memcmp(c->part, part, sizeof c->part) == 0)
            return cs->map.slots[j].idx - 1;
    }
    if (SDC_VEC_RESERVE(cs->items, cs->cap, cs->n + 1) < 0)
        return SIZE_MAX;
    sdc_agg_cell *c = &cs->items[cs->n];
    memset(c, 0, sizeof *c);
    c->key = sdc_arena_strndup(arena, key, klen);
    if (!c->key)
        return SIZE_MAX;
    c->klen = (uint32_t)klen;
    c->hash = h;
    memcpy(c->part, part, sizeof c->part);
    cs->map.slots[j].idx = (uint32_t)++cs->n;
    cs->map.slots[j].hash = h;
    cs->map.count++;
    return cs->n - 1;
}

/* The item of the first slot on H's probe that holds hash H, looking at
 * most a few slots on; NULL when there is none there. */
static const sdc_agg_cell *probe_first(const sdc_agg_cellset *cs, uint32_t h)
{
    size_t mask = cs->map.cap - 1, j = h & mask;
    for (int k = 0; k < 4 && cs->map.slots[j].idx; k++, j = (j + 1) & mask)
        if (cs->map.slots[j].hash == h)
            return &cs->items[cs->map.slots[j].idx - 1];
    return NULL;
}

void sdc_agg_cell_prefetch(const sdc_agg_cellset *cs, const uint32_t *h, size_t n)
{
    if (!cs->map.cap)
        return;
    size_t mask = cs->map.cap - 1;
    for (size_t i = 0; i < n; i++)
        __builtin_prefetch(&cs->map.slots[h[i] & mask]);
    for (size_t i = 0; i < n; i++) {
        const sdc_agg_cell *c = probe_first(cs, h[i]);
        if (c) { /* an item may straddle two cache lines */
            __builtin_prefetch(c);
            __builtin_prefetch((const char *)(c + 1) - 1);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const sdc_agg_cell *c = probe_first(cs, h[i]);
        if (c)
            __builtin_prefetch(c->key);
    }
}

void sdc_agg_cellset_free(sdc_agg_cellset *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        sdc_xsum_free(&cs->items[i].sum);
    free(cs->items);
    free(cs->map.slots);
    memset(cs, 0, sizeof *cs);
}

/* ---- units and (cell, unit) pairs ---- */

size_t sdc_agg_unit_find(sdc_agg_unitset *us, struct sdc_arena *arena, const char *text, size_t len,
                         uint32_t h, size_t home)
{
    if (idxmap_reserve(&us->map) < 0)
        return SIZE_MAX;
    size_t mask = us->map.cap - 1, j = h & mask;
    for (; us->map.slots[j].idx; j = (j + 1) & mask) {
        const sdc_agg_unit *u = &us->items[us->map.slots[j].idx - 1];
        if (us->map.slots[j].hash == h && u->len == len && same_bytes(u->text, text, len))
            return us->map.slots[j].idx - 1;
    }
    if (SDC_VEC_RESERVE(us->items, us->cap, us->n + 1) < 0)
        return SIZE_MAX;
    sdc_agg_unit *u = &us->items[us->n];
    u->text = sdc_arena_strndup(arena, text, len);
    if (!u->text)
        return SIZE_MAX;
    u->len = (uint32_t)len;
    u->hash = h;
    u->home = (uint32_t)home;
    memset(&u->sum, 0, sizeof u->sum);
    us->map.slots[j].idx = (uint32_t)++us->n;
    us->map.slots[j].hash = h;
    us->map.count++;
    return us->n - 1;
}

void sdc_agg_unitset_free(sdc_agg_unitset *us)
{
    for (size_t i = 0; i < us->n; i++)
        sdc_xsum_free(&us->items[i].sum);
    free(us->items);
    free(us->map.slots);
    memset(us, 0, sizeof *us);
}

/* The pair (CELL, UNIT), added when new; NULL when out of memory. */
static sdc_agg_pair *pair_find(sdc_agg_pairset *ps, size_t cell, size_t unit)
{
    if (idxmap_reserve(&ps->map) < 0)
        return NULL;
    uint32_t h = (uint32_t)mix64(((uint64_t)cell << 32) | unit);
    size_t mask = ps->map.cap - 1, j = h & mask;
    for (; ps->map.slots[j].idx; j = (j + 1) & mask) {
        sdc_agg_pair *p = &ps->items[ps->map.slots[j].idx - 1];
        if (ps->map.slots[j].hash == h && p->cell == cell && p->unit == unit)
            return p;
    }
    if (SDC_VEC_RESERVE(ps->items, ps->cap, ps->n + 1) < 0)
        return NULL;
    sdc_agg_pair *p = &ps->items[ps->n];
    memset(p, 0, sizeof *p);
    p->cell = (uint32_t)cell;
    p->unit = (uint32_t)unit;
    ps->map.slots[j].idx = (uint32_t)++ps->n;
    ps->map.slots[j].hash = h;
    ps->map.count++;
    return p;
}

sdc_xsum *sdc_agg_contribution_find(sdc_agg_unitset *us, sdc_agg_pairset *ps, size_t unit,
                                    size_t cell)
{
    if (us->items[unit].home == cell)
        return &us->items[unit].sum;
    sdc_agg_pair *p = pair_find(ps, cell, unit);
    return p ? &p->sum : NULL;
}

void sdc_agg_pairset_free(sdc_agg_pairset *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        sdc_xsum_free(&ps->items[i].sum);
    free(ps->items);
    free(ps->map.slots);
    memset(ps, 0, sizeof *ps);
}
