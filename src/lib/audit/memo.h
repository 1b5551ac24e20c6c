/*
 * memo.h - the settled blocks of one audit kept for the next audit of the
 * same table (doc/design.md, "Secondary suppression", *Blocks audited
 * once*). Private to the audit: audit.c keys each block and applies what
 * it finds; sdc_audit_memo (audit_internal.h) is what callers hold.
 */
#ifndef SDC_AUDIT_MEMO_H
#define SDC_AUDIT_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One measure's blocks: those of the last audit, then, while an audit
 * runs, the new ones appended after them. */
typedef struct memo_store memo_store;

/* A block kept: where its cells are in the store and what settling it
 * counted. */
typedef struct memo_block {
    uint64_t key;   /* its key (block_key in audit.c) */
    size_t nv, at;  /* cells, and where the first is in the store */
    double seconds; /* what settling it took */
    size_t unproved, by_flow;
    bool used;  /* the last audit's, met again by the one running now */
    bool taken; /* ...and its results taken */
} memo_block;

/* Per cell of a block: the results settling it left. */
typedef struct memo_cell {
    double lo, hi, point;
    bool solved, exact;
} memo_cell;

/* The store of measure column COL (-1: a crosstab's counts) in MEMO,
 * created empty the first time. Returns NULL when out of memory. */
struct sdc_audit_memo;
memo_store *memo_store_of(struct sdc_audit_memo *memo, long col);

/* An audit of the store's measure begins: no block of the last audit is
 * met yet. */
void memo_begin(memo_store *s);

/* Marks the last audit's block with KEY whose grid cells are CELLS[0..NV)
 * (ascending) as met again; false when there is none. */
bool memo_mark(memo_store *s, uint64_t key, const uint32_t *cells, size_t nv);

/* Drops the last audit's blocks not marked: every block of the audit
 * running now has been keyed, so they are no longer in the table. */
void memo_sweep(memo_store *s);

/* The marked block with KEY and CELLS, counted as a hit; NULL when there
 * is none. Its J-th cell's results are memo_result(S, B, J, OUT). */
const memo_block *memo_take(memo_store *s, uint64_t key, const uint32_t *cells, size_t nv);
void memo_result(const memo_store *s, const memo_block *b, size_t j, memo_cell *out);

/* Appends a block settled now: its key, counts, grid cells and results.
 * Returns 0, or -1 when out of memory (the store is then emptied by
 * memo_end). */
int memo_add(memo_store *s, const memo_block *b, const uint32_t *cells, const memo_cell *res);

/* The audit ended: with OK the store keeps the blocks of the last audit
 * it met again and the ones it added, else it is emptied. */
void memo_end(memo_store *s, bool ok);

/* Mixes the 64-bit word X into the key H (splitmix64's finaliser). */
uint64_t memo_mix(uint64_t h, uint64_t x);

#endif
