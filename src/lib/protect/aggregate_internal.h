/*
 * aggregate_internal.h - what the files of sdc_aggregate_file share (private
 * to the library; the tuning is exposed so that tests can force a split on
 * small files).
 *
 * The sets a worker counts records into are shared by the files that
 * fill them and those that read them:
 *
 *   aggregate.c          sdc_aggregate_file
 *   aggregate_hash.c     the sets: cells, units, pairs (open addressing)
 *   aggregate_sum.c      exact sums (aggregate_sum.h)
 */
#ifndef SDC_AGGREGATE_INTERNAL_H
#define SDC_AGGREGATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protect/aggregate_sum.h"
#include "sdccheck/protect.h"

struct sdc_arena;

typedef struct sdc_aggregate_tuning {
    unsigned workers; /* threads that parse (at most 8); 0: one per core */
    size_t min_chunk; /* fewest bytes worth a thread of its own; 0: 8 MiB */
} sdc_aggregate_tuning;

/* sdc_aggregate_file with TUNING (NULL: the defaults). The table is the same
 * for every tuning; the errors are sdc_aggregate_file's. */
sdc_table *sdc_aggregate_file_tuned(const char *path, const sdc_policy *policy,
                                    const sdc_aggregate_spec *spec,
                                    const sdc_aggregate_tuning *tuning, char **error);

#define SDC_AGG_MAX_BY 8
#define SDC_AGG_MAX_COLUMNS 256                /* header columns matched against the spec */
#define SDC_AGG_MAX_SLOTS (SDC_AGG_MAX_BY + 2) /* the fields of a record that are kept */
#define SDC_AGG_KEY_MAX 2048                   /* a cell's labels joined by \x1f are shorter */
#define SDC_AGG_READ_BLOCK (256u * 1024u)      /* bytes per read() */
#define SDC_AGG_MAX_WORKERS 8

/* ---- the sets (aggregate_hash.c) ---- */

/* Slots of item indices: idx is the index + 1 (0: empty), hash the item's. */
typedef struct sdc_agg_idxslot {
    uint32_t idx, hash;
} sdc_agg_idxslot;

typedef struct sdc_agg_idxmap {
    sdc_agg_idxslot *slots;
    size_t cap, count;
} sdc_agg_idxmap;

/* The two largest of a multiset of values. */
typedef struct sdc_agg_top2 {
    double v[2];
    unsigned n; /* values seen, up to 2 */
} sdc_agg_top2;

typedef struct sdc_agg_cell {
    const char *key; /* labels joined by \x1f (in the set's arena) */
    uint32_t klen, hash;
    uint16_t part[SDC_AGG_MAX_BY]; /* a full cell's label lengths (0 in margins) */
    unsigned long long records, units;
    sdc_xsum sum;
    sdc_agg_top2 top; /* without units: the two largest records */
} sdc_agg_cell;

/* Cells by key: a full cell is its labels (two records whose labels join
 * to the same text are still different cells), a margin its joined text.
 * An all-zero set is empty. */
typedef struct sdc_agg_cellset {
    sdc_agg_cell *items;
    size_t n, cap;
    sdc_agg_idxmap map;
} sdc_agg_cellset;

/* A unit, with its contribution to the first full cell it was seen in
 * (most units are in one cell: only the others need pairs). */
typedef struct sdc_agg_unit {
    const char *text;
    uint32_t len, hash;
    uint32_t home; /* that cell */
    sdc_xsum sum;  /* the contribution to it */
} sdc_agg_unit;

/* Units by text. An all-zero set is empty. */
typedef struct sdc_agg_unitset {
    sdc_agg_unit *items;
    size_t n, cap;
    sdc_agg_idxmap map;
} sdc_agg_unitset;

typedef struct sdc_agg_pair {
    uint32_t cell, unit;
    sdc_xsum sum; /* the unit's contribution to the cell */
} sdc_agg_pair;

/* (cell, unit) pairs for a unit's cells other than its home. An all-zero
 * set is empty. */
typedef struct sdc_agg_pairset {
    sdc_agg_pair *items;
    size_t n, cap;
    sdc_agg_idxmap map;
} sdc_agg_pairset;

/* A 32-bit hash of S[0..N) (SEED picks one of a family). */
uint32_t sdc_agg_hash(const char *s, size_t n, uint64_t seed);

/* The index of the cell KEY[0..KLEN) with label lengths PART
 * (SDC_AGG_MAX_BY of them) and hash H, added (all counts zero, its key
 * copied into ARENA) when new; SIZE_MAX when out of memory. Adding may move
 * the items: pointers into CS->items are good until the next call. */
size_t sdc_agg_cell_find(sdc_agg_cellset *cs, struct sdc_arena *arena, const char *key, size_t klen,
                         const uint16_t *part, uint32_t h);

/* Frees what CS holds (not the keys: they are in the arena) and empties it. */
void sdc_agg_cellset_free(sdc_agg_cellset *cs);

/* The number of unit TEXT[0..LEN) with hash H, added with home cell HOME
 * (its text copied into ARENA) when new; SIZE_MAX when out of memory. */
size_t sdc_agg_unit_find(sdc_agg_unitset *us, struct sdc_arena *arena, const char *text, size_t len,
                         uint32_t h, size_t home);

/* Frees what US holds (not the texts: they are in the arena) and empties it. */
void sdc_agg_unitset_free(sdc_agg_unitset *us);

/* Unit UNIT's contribution to CELL: in the unit itself when CELL is its
 * home, else in the pair (CELL, UNIT) of PS, added when new. NULL when out
 * of memory. The pointer is good until the next call that adds to PS. */
sdc_xsum *sdc_agg_contribution_find(sdc_agg_unitset *us, sdc_agg_pairset *ps, size_t unit,
                                    size_t cell);

/* Frees what PS holds and empties it. */
void sdc_agg_pairset_free(sdc_agg_pairset *ps);

/* Adds V to the values T has seen. */
void sdc_agg_top2_add(sdc_agg_top2 *t, double v);

/* Adds the values FROM has seen to INTO. */
void sdc_agg_top2_merge(sdc_agg_top2 *into, const sdc_agg_top2 *from);

#endif
