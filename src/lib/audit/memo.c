/*
 * memo.c - the settled blocks of one audit kept for the next (memo.h).
 *
 * Each measure's store is a list of blocks and, side by side, the grid
 * cells and results of all their cells (29 bytes a cell). An audit first
 * marks the blocks of the last one that it meets again (it keys all its
 * blocks before settling any), drops the rest, moving the marked ones down
 * in place, then takes the marked ones and appends the ones it settles. So
 * the store never holds more than the larger of the two audits' blocks
 * and what they share.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "audit/audit_internal.h"
#include "audit/memo.h"

struct memo_store {
    long col;
    memo_block *b;
    size_t nb, bcap, nold; /* blocks; those before NOLD are the last audit's */
    /* Per cell of every block, side by side: its grid cell, results and
     * flags (MEMO_SOLVED, MEMO_EXACT), each array exactly as long as the
     * cells kept. */
    uint32_t *cell;
    double *lo, *hi, *point;
    unsigned char *flags;
    size_t ncells;
    size_t bytes[5]; /* each array's mapping: cell, lo, hi, point, flags */
    size_t hits;
};

enum { MEMO_SOLVED = 1, MEMO_EXACT = 2 };

struct sdc_audit_memo {
    memo_store **s;
    size_t n, cap;
};

sdc_audit_memo *sdc_audit_memo_new(void)
{
    return calloc(1, sizeof(sdc_audit_memo));
}

/*
 * The per-cell arrays live in pages of their own (mmap), resized by
 * mremap: they outlive the audits between which they are kept, and in the
 * malloc arenas, among the audits' own arrays freed and allocated again
 * around them, they kept those arenas from shrinking (the 5-D bench
 * table's default mode peaked at 1,051 MiB instead of 964 MiB, for a memo
 * of some 20 MB).
 */
static void *region_resize(void *p, size_t old_bytes, size_t new_bytes)
{
    if (new_bytes == 0) {
        if (p)
            munmap(p, old_bytes);
        return NULL;
    }
    void *q = p ? mremap(p, old_bytes, new_bytes, MREMAP_MAYMOVE)
                : mmap(NULL, new_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return q == MAP_FAILED ? NULL : q;
}

/* Cells the arrays grow by at least (so a block of a few cells does not
 * remap them all). */
#define MEMO_GRANULE 4096

/* The mapping OLD of *BYTES resized to BYTES_NOW bytes; OLD, with *BYTES
 * unchanged, when out of memory (*FAILED is then set). */
static void *resize_one(void *old, size_t *bytes, size_t bytes_now, bool *failed)
{
    void *q = region_resize(old, *bytes, bytes_now);
    if (bytes_now > 0 && !q) {
        *failed = true;
        return old;
    }
    *bytes = bytes_now;
    return q;
}

/* Resizes the per-cell arrays of S to room for N cells. Returns 0, or -1
 * when out of memory: each array is then resized or as it was, its
 * mapping's size in S->bytes either way, and the store must be cleared. */
static int resize(memo_store *s, size_t n)
{
    size_t cap = (n + MEMO_GRANULE - 1) / MEMO_GRANULE * MEMO_GRANULE;
    bool failed = false;
    s->cell = resize_one(s->cell, &s->bytes[0], cap * sizeof *s->cell, &failed);
    s->lo = resize_one(s->lo, &s->bytes[1], cap * sizeof *s->lo, &failed);
    s->hi = resize_one(s->hi, &s->bytes[2], cap * sizeof *s->hi, &failed);
    s->point = resize_one(s->point, &s->bytes[3], cap * sizeof *s->point, &failed);
    s->flags = resize_one(s->flags, &s->bytes[4], cap, &failed);
    return failed ? -1 : 0;
}

static void store_clear(memo_store *s)
{
    free(s->b);
    s->b = NULL;
    s->nb = s->bcap = s->nold = s->ncells = 0;
    (void)resize(s, 0); /* unmapping cannot fail */
}

void sdc_audit_memo_free(sdc_audit_memo *memo)
{
    if (!memo)
        return;
    for (size_t i = 0; i < memo->n; i++) {
        store_clear(memo->s[i]);
        free(memo->s[i]);
    }
    free(memo->s);
    free(memo);
}

size_t sdc_audit_memo_hits(const sdc_audit_memo *memo)
{
    size_t hits = 0;
    for (size_t i = 0; memo && i < memo->n; i++)
        hits += memo->s[i]->hits;
    return hits;
}

memo_store *memo_store_of(sdc_audit_memo *memo, long col)
{
    for (size_t i = 0; i < memo->n; i++)
        if (memo->s[i]->col == col)
            return memo->s[i];
    if (memo->n == memo->cap) {
        size_t cap = memo->cap ? 2 * memo->cap : 4;
        memo_store **s = realloc(memo->s, cap * sizeof *s);
        if (!s)
            return NULL;
        memo->s = s;
        memo->cap = cap;
    }
    memo_store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->col = col;
    memo->s[memo->n++] = s;
    return s;
}

void memo_begin(memo_store *s)
{
    s->nold = s->nb;
    for (size_t i = 0; i < s->nb; i++)
        s->b[i].used = s->b[i].taken = false;
}

/* The last audit's block with KEY and grid cells CELLS[0..NV) that is
 * marked USED (or not), not yet taken; NULL when there is none. */
static memo_block *old_block(memo_store *s, uint64_t key, const uint32_t *cells, size_t nv,
                             bool used)
{
    for (size_t i = 0; i < s->nold; i++) {
        memo_block *b = &s->b[i];
        if (b->used == used && !b->taken && b->key == key && b->nv == nv &&
            memcmp(s->cell + b->at, cells, nv * sizeof *cells) == 0)
            return b;
    }
    return NULL;
}

bool memo_mark(memo_store *s, uint64_t key, const uint32_t *cells, size_t nv)
{
    memo_block *b = old_block(s, key, cells, nv, false);
    if (b)
        b->used = true;
    return b != NULL;
}

/* Keeps the blocks KEEP says, moved down in place, in order. */
static void compact(memo_store *s, bool (*keep)(const memo_store *, size_t))
{
    size_t nb = 0, ncells = 0, nold = 0;
    for (size_t i = 0; i < s->nb; i++) {
        memo_block b = s->b[i];
        if (!keep(s, i))
            continue;
        memmove(s->cell + ncells, s->cell + b.at, b.nv * sizeof *s->cell);
        memmove(s->lo + ncells, s->lo + b.at, b.nv * sizeof *s->lo);
        memmove(s->hi + ncells, s->hi + b.at, b.nv * sizeof *s->hi);
        memmove(s->point + ncells, s->point + b.at, b.nv * sizeof *s->point);
        memmove(s->flags + ncells, s->flags + b.at, b.nv);
        b.at = ncells;
        ncells += b.nv;
        nold += i < s->nold;
        s->b[nb++] = b;
    }
    s->nb = nb;
    s->nold = nold;
    s->ncells = ncells;
    if (resize(s, ncells) < 0)
        store_clear(s); /* a shrink that failed: start again empty */
}

static bool marked(const memo_store *s, size_t i)
{
    return i >= s->nold || s->b[i].used;
}

void memo_sweep(memo_store *s)
{
    compact(s, marked);
}

const memo_block *memo_take(memo_store *s, uint64_t key, const uint32_t *cells, size_t nv)
{
    memo_block *b = old_block(s, key, cells, nv, true);
    if (!b)
        return NULL;
    b->taken = true;
    s->hits++;
    return b;
}

void memo_result(const memo_store *s, const memo_block *b, size_t j, memo_cell *out)
{
    size_t k = b->at + j;
    *out = (memo_cell){.lo = s->lo[k],
                       .hi = s->hi[k],
                       .point = s->point[k],
                       .solved = s->flags[k] & MEMO_SOLVED,
                       .exact = s->flags[k] & MEMO_EXACT};
}

int memo_add(memo_store *s, const memo_block *b, const uint32_t *cells, const memo_cell *res)
{
    if (s->nb == s->bcap) {
        size_t cap = s->bcap ? 2 * s->bcap : 16;
        memo_block *nb = realloc(s->b, cap * sizeof *nb);
        if (!nb)
            return -1;
        s->b = nb;
        s->bcap = cap;
    }
    if ((s->ncells + b->nv) * sizeof *s->lo > s->bytes[1] && resize(s, s->ncells + b->nv) < 0)
        return -1;
    memo_block *to = &s->b[s->nb++];
    *to = *b;
    to->at = s->ncells;
    to->used = to->taken = false;
    memcpy(s->cell + to->at, cells, b->nv * sizeof *cells);
    for (size_t j = 0; j < b->nv; j++) {
        size_t k = to->at + j;
        s->lo[k] = res[j].lo;
        s->hi[k] = res[j].hi;
        s->point[k] = res[j].point;
        s->flags[k] =
            (unsigned char)((res[j].solved ? MEMO_SOLVED : 0) | (res[j].exact ? MEMO_EXACT : 0));
    }
    s->ncells += b->nv;
    return 0;
}

void memo_end(memo_store *s, bool ok)
{
    if (!ok) {
        store_clear(s);
        return;
    }
    /* Blocks marked but not taken (the audit stopped first) are still
     * blocks of the table: kept. */
    compact(s, marked);
    s->nold = s->nb;
}

uint64_t memo_mix(uint64_t h, uint64_t x)
{
    /* splitmix64's finaliser over the running key and the word (Steele,
     * Lea and Flood, "Fast splittable pseudorandom number generators",
     * OOPSLA 2014). */
    uint64_t z = h ^ (x + 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
