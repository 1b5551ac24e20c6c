/*
 * aggregate_internal.h - what the files of sdc_aggregate_file share (private
 * to the library; the tuning is exposed so that tests can force a split on
 * small files).
 *
 * A job is one call: the file, the spec and the pieces the file is cut
 * into. A worker parses one piece on its own thread into its own sets of
 * cells, units and (cell, unit) pairs; the workers' sets are merged in file
 * order and the margins derived from the merged full cells. The files:
 *
 *   aggregate.c          the entry points: open, plan the pieces, lay out
 *   aggregate_hash.c     the sets: cells, units, pairs (open addressing)
 *   aggregate_csv.c      one worker's libcsv parser: header, records
 *   aggregate_split.c    where a piece starts: a record boundary
 *   aggregate_threads.c  the workers on their threads, and their merge
 *   aggregate_margins.c  every margin from the full cells and the units
 *   aggregate_spill.c    units past the memory budget: sorted runs on disk
 *   aggregate_sum.c      exact sums (aggregate_sum.h)
 *
 * Errors: a worker that fails records why in itself (oom, error,
 * long_record) and stops; sdc_agg_job_merge turns the first such reason in
 * file order into the message sdc_aggregate_file returns. The other shared
 * functions only say that they failed (-1, SIZE_MAX, NULL, false).
 */
#ifndef SDC_AGGREGATE_INTERNAL_H
#define SDC_AGGREGATE_INTERNAL_H

#include <csv.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "read/aggregate_sum.h"
#include "sdccheck/protect.h"

struct sdc_arena;

typedef struct sdc_aggregate_tuning {
    unsigned workers;   /* threads that parse (at most 8); 0: one per core */
    size_t min_chunk;   /* fewest bytes worth a thread of its own; 0: 8 MiB */
    size_t unit_memory; /* bytes the units may take, all workers together, before
                         * they go to disk (aggregate_spill.c); 0: the environment's
                         * SDCCHECK_UNIT_MEMORY, else SDC_AGG_UNIT_MEMORY */
} sdc_aggregate_tuning;

/* sdc_aggregate_file with TUNING (NULL: the defaults). The table is the same
 * for every tuning; the errors are sdc_aggregate_file's. */
sdc_table *sdc_aggregate_file_tuned(const char *path, const sdc_policy *policy,
                                    const sdc_aggregate_spec *spec,
                                    const sdc_aggregate_tuning *tuning, sdc_status *st);

#define SDC_AGG_MAX_BY 8
#define SDC_AGG_MAX_COLUMNS 256                /* header columns matched against the spec */
#define SDC_AGG_MAX_SLOTS (SDC_AGG_MAX_BY + 2) /* the fields of a record that are kept */
#define SDC_AGG_KEY_MAX 2048                   /* a cell's labels joined by \x1f are shorter */
#define SDC_AGG_READ_BLOCK (256u * 1024u)      /* bytes per read() */
#define SDC_AGG_MAX_WORKERS 8
#define SDC_AGG_MAX_LEVELS 15 /* label columns' levels in all: what the audit's grid holds */
/* Records whose cells are looked up together (aggregate_csv.c), and the
 * bytes their keys share: a batch is flushed when it is full or when its
 * keys' room could not take a key of the longest length. */
#define SDC_AGG_BATCH 16
#define SDC_AGG_BATCH_KEYS (2 * SDC_AGG_KEY_MAX)
/* The units' memory budget, all workers together (tuning.unit_memory). 256
 * MiB holds some two million units (about 120 bytes each with their index,
 * text and sort); past it they are sorted into runs on disk and merged at
 * the end (aggregate_spill.c). */
#define SDC_AGG_UNIT_MEMORY ((size_t)256 << 20)

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

/* The length of the label at FROM in a cell's KEY (KLEN bytes): up to the
 * next \x1f that joins its labels, or the key's end. */
static inline size_t sdc_agg_label_len(const char *key, size_t klen, size_t from)
{
    const char *end = memchr(key + from, '\x1f', klen - from);
    return end ? (size_t)(end - (key + from)) : klen - from;
}

/* A 32-bit hash of S[0..N) (SEED picks one of a family). */
uint32_t sdc_agg_hash(const char *s, size_t n, uint64_t seed);

/* A 64-bit hash of S[0..N), for ordering units on disk (aggregate_spill.c). */
uint64_t sdc_agg_hash64(const char *s, size_t n);

/* The index of the cell KEY[0..KLEN) with label lengths PART
 * (SDC_AGG_MAX_BY of them) and hash H, added (all counts zero, its key
 * copied into ARENA) when new; SIZE_MAX when out of memory. Adding may move
 * the items: pointers into CS->items are good until the next call. */
size_t sdc_agg_cell_find(sdc_agg_cellset *cs, struct sdc_arena *arena, const char *key, size_t klen,
                         const uint16_t *part, uint32_t h);

/* Fetches into the cache what looking up the N cells of hashes H will
 * read (index slots, items, keys), all at once, so that the memory's
 * latencies overlap; changes nothing (the lookups themselves are
 * sdc_agg_cell_find's, in order). */
void sdc_agg_cell_prefetch(const sdc_agg_cellset *cs, const uint32_t *h, size_t n);

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

/* ---- a job and its workers ---- */

struct sdc_agg_job;

/* A worker's units written to disk (aggregate_spill.c): sorted runs, one
 * after the other in one unlinked temporary file. An all-zero value but
 * FD -1 is none. */
typedef struct sdc_agg_runs {
    int fd;          /* the temporary file, or -1 before the first run */
    uint64_t *end;   /* where run i ends (it starts where run i - 1 ends, or at 0) */
    size_t n, cap;   /* runs written */
    size_t *cell_to; /* set by the merge: the worker's cells' numbers among the
                      * merged cells (NULL: the same, worker 0) */
    size_t ncells;   /* the worker's cells (the entries of cell_to) */
    bool counted;    /* set by the merge: the worker's piece is in the table */
} sdc_agg_runs;

/* A job's units on disk: the budget, whether they are there and why
 * writing or reading them failed (aggregate_spill.c). Written by the merge
 * and the margins, which see the job as const. */
typedef struct sdc_agg_spill {
    size_t budget;   /* bytes of units one worker holds before it writes a run */
    bool on;         /* the merge put every unit into runs */
    char error[256]; /* why a run could not be written or read, or "" */
} sdc_agg_spill;

/* One piece of the file, parsed by one thread. Only its own thread touches
 * it while the workers run. */
typedef struct sdc_agg_worker {
    struct sdc_agg_job *job;
    unsigned index;
    unsigned end; /* the boundary where its records end; 0: stopped */
    struct csv_parser parser;
    int row_not_begun; /* libcsv's pstate between records */
    unsigned char *buf;
    bool eof;
    /* the record being read: its field count and the kept fields, by the
     * job's column map (copied here once the header is read; emptied when
     * the worker stops) */
    size_t col, ncolmap;
    signed char colmap[SDC_AGG_MAX_COLUMNS];
    char *text[SDC_AGG_MAX_SLOTS];
    size_t len[SDC_AGG_MAX_SLOTS], cap[SDC_AGG_MAX_SLOTS];
    /* records read but not yet counted (aggregate_csv.c): their keys one
     * after the other in keys, their hashes apart for sdc_agg_cell_prefetch */
    struct sdc_agg_pending {
        size_t off, klen;
        uint16_t part[SDC_AGG_MAX_BY];
        double value;
        bool has_value;
        unsigned long long record;
    } pending[SDC_AGG_BATCH];
    uint32_t pending_hash[SDC_AGG_BATCH];
    size_t npending, keys_used;
    char keys[SDC_AGG_BATCH_KEYS];
    /* worker 0 reads the header (every field, NUL-separated) */
    bool header_seen;
    char *hdr;
    size_t hdr_len, hdr_cap, hdr_off[SDC_AGG_MAX_COLUMNS], hdr_n;
    /* what it found */
    struct sdc_arena *arena;
    struct sdc_arena *unit_arena; /* the units' texts (emptied when they go to disk) */
    sdc_agg_cellset cells;
    sdc_agg_unitset units;
    sdc_agg_pairset pairs;
    sdc_agg_runs runs;
    unsigned long long records;
    unsigned long long long_record; /* the first record with too long labels, or 0 */
    unsigned long long bad_record;  /* the first record with a label the table cannot hold
                                     * (a declared parent, a total label, empty) or a value
                                     * that is not a number, or 0 */
    char bad_why[200];              /* what is wrong with it */
    bool oom, stop;
    char error[200];
} sdc_agg_worker;

/* One call of sdc_aggregate_file, set up by aggregate.c before the workers
 * start. While they run, the boundaries, the quote parities and what the
 * header gave are read and written under LOCK (CHANGED is broadcast after
 * each change); the rest, but each worker's own state, is read only. */
typedef struct sdc_agg_job {
    int fd;
    bool regular;
    size_t size; /* bytes in a regular file */
    const sdc_aggregate_spec *spec;
    const char *total;
    size_t total_len;
    const sdc_strlist *total_labels; /* the policy's: no record's label may be one */
    const sdc_strlist *missing;      /* the policy's missing_markers: values not there */
    unsigned char delim;
    unsigned char *first; /* the file's first block (sniffed; the job owns it) */
    size_t first_len;
    unsigned nworkers;
    size_t target[SDC_AGG_MAX_WORKERS + 1];   /* where each piece should start */
    size_t boundary[SDC_AGG_MAX_WORKERS + 1]; /* where it does (a line end) */
    bool boundary_known[SDC_AGG_MAX_WORKERS + 1];
    unsigned seg_quotes[SDC_AGG_MAX_WORKERS + 1]; /* parity of '"' in [target[i-1], target[i]) */
    bool seg_known[SDC_AGG_MAX_WORKERS + 1];
    /* from the header, set by worker 0 */
    int header_state; /* 0 pending, 1 read, -1 none (or an error) */
    char header_error[256];
    signed char colmap[SDC_AGG_MAX_COLUMNS]; /* column -> slot, or -1 */
    size_t ncolmap, nslots, slot_col[SDC_AGG_MAX_SLOTS];
    int by_slot[SDC_AGG_MAX_BY], value_slot, unit_slot;
    sdc_agg_spill *spill; /* the job owns it */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    sdc_agg_worker workers[SDC_AGG_MAX_WORKERS];
} sdc_agg_job;

/* ---- one worker's parser (aggregate_csv.c) ---- */

/* Sets W up as worker INDEX of J: its parser (with J's delimiter), read
 * buffer and arena. Returns 0, or -1 when out of memory (W is then still
 * safe to free). Free with sdc_agg_worker_free. */
int sdc_agg_worker_init(sdc_agg_worker *w, sdc_agg_job *j, unsigned index);

/* Frees all W holds (the worker itself belongs to its job). */
void sdc_agg_worker_free(sdc_agg_worker *w);

/* Starts W reading records with the job's column map (the header is read). */
void sdc_agg_worker_start_body(sdc_agg_worker *w);

/* Feeds the bytes [*POS, LIMIT) to W's parser (to the end of the stream
 * when it is not a regular file), advancing *POS. False when W stops (its
 * reason is in W). */
bool sdc_agg_worker_parse(sdc_agg_worker *w, size_t *pos, size_t limit);

/* Ends W's parse at the end of the file (its last record, if unterminated).
 * True when W read everything without stopping. */
bool sdc_agg_worker_fini(sdc_agg_worker *w);

/* True when W's parser is between records (so the bytes it stopped at
 * start a record). */
bool sdc_agg_worker_between_records(const sdc_agg_worker *w);

/* ---- where the pieces start (aggregate_split.c) ---- */

/* Worker W's (index > 0) first task: finds where its piece starts and
 * publishes it in the job for worker index - 1. A failed read publishes
 * the file's end (no split). */
void sdc_agg_boundary_find(sdc_agg_worker *w);

/* Where piece I starts, once known (waits for it). */
size_t sdc_agg_boundary_wait(sdc_agg_job *j, unsigned i);

/* ---- the workers on threads (aggregate_threads.c) ---- */

/* Runs J's workers (set up with sdc_agg_worker_init), each on its own
 * thread but worker 0, which runs on the caller's; returns when all are
 * done. A thread that cannot start leaves its piece to the one before. */
void sdc_agg_job_run(sdc_agg_job *j);

/* Merges the pieces that cover the file, in order, into worker 0 and
 * returns it; NULL with ST set to the first piece's reason for stopping
 * (records numbered across pieces): SDC_ENOMEM, SDC_EIO (the records could
 * not be read, or are not valid CSV), SDC_EINVAL (a column asked for is
 * not there, no records, labels too long). */
sdc_agg_worker *sdc_agg_job_merge(sdc_agg_job *j, sdc_status *st);

/* ---- the margins (aggregate_margins.c) ---- */

/* A new full cell KEY (label lengths PART) against J's declared levels: 0
 * when it fits; 1 with WHY set when a label is a declared parent (its row
 * would be a subtotal that is not the sum of its children); 2 when its
 * margins' keys, with the labels its own roll up to, are too long. */
int sdc_agg_levels_check(const sdc_agg_job *j, const char *key, const uint16_t *part, char *why,
                         size_t why_size);

/* Every margin of W's full cells (J's spec and total label), into OUT, an
 * empty set whose keys go to ARENA; a unit counts once in each cell it is
 * in. Returns 0, or -1 when out of memory (or, with J's spill error set,
 * when the units on disk cannot be read). */
int sdc_agg_margins_derive(const sdc_agg_worker *w, const sdc_agg_job *j, sdc_agg_cellset *out,
                           struct sdc_arena *arena);

/* ---- units past the budget (aggregate_spill.c) ---- */

/* Bytes W's units take (their sets, texts and what writing them as a run
 * needs); above the job's budget W writes them out (sdc_agg_spill_write). */
size_t sdc_agg_units_bytes(const sdc_agg_worker *w);

/* Writes W's units and pairs as one sorted run to its temporary file and
 * empties them. Returns 0, or -1 with W's oom or error set. */
int sdc_agg_spill_write(sdc_agg_worker *w);

/* Frees W's runs (closing its file). */
void sdc_agg_runs_free(sdc_agg_runs *r);

/* A unit's contribution to one of its full cells. */
typedef struct sdc_agg_contribution {
    size_t cell; /* among the merged cells */
    sdc_xsum sum;
} sdc_agg_contribution;

/* The runs of the workers the merge counted, merged by unit. */
typedef struct sdc_agg_spill_reader sdc_agg_spill_reader;

/* Opens J's runs (merging them into fewer first when there are many).
 * NULL with J's spill error set, or out of memory when it is empty. Close
 * with sdc_agg_spill_close. */
sdc_agg_spill_reader *sdc_agg_spill_open(const sdc_agg_job *j);

/* The next unit: its contributions, all its records' from every run, in
 * *CON (*N of them, good until the next call; a cell may come more than
 * once). 1, 0 when there are no more units, -1 with J's spill error set
 * (or out of memory when it is empty). */
int sdc_agg_spill_next(sdc_agg_spill_reader *r, const sdc_agg_contribution **con, size_t *n);

void sdc_agg_spill_close(sdc_agg_spill_reader *r);

#endif
