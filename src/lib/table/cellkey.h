/*
 * cellkey.h - a grid's cells by integer coordinates (private).
 *
 * The audit and the suppression heuristic of a million-cell table need
 * "the cell at these coordinates" in constant time (the corners of a
 * hypercube) and every line with its cells listed. Here each coordinate
 * becomes a small integer per dimension (its label's rank: grid.c's
 * sdc_grid_rank), cells are hashed on their tuple of integers, and the
 * lines along each dimension are found by hashing the tuple without that
 * dimension. Built in time linear in cells x dims.
 *
 * When the ranks fit in 32 bits together (a field of ceil(log2(distinct
 * labels)) bits a dimension: 26 bits for the 5-dimensional bench table;
 * 32 allow 4 dimensions of 256 labels), the tuple is packed into one
 * integer and the hash holds it beside the cell in 8 bytes, so a look-up
 * is one cache line and never reads the cells' ids: a third of the time
 * of the 5-dimensional table's hypercube search went to the two cache
 * misses of a hash of cell numbers whose ids are compared, which wider
 * tuples still use.
 */
#ifndef SDC_CELLKEY_H
#define SDC_CELLKEY_H

#include <stdint.h>

#include "table/grid.h"

typedef struct sdc_cellkey {
    size_t count, dims;
    uint32_t *id;   /* cell * dims + d: coordinate d as an integer */
    uint32_t *line; /* d * count + cell: the cell's line along d */
    size_t nlines;
    uint32_t *line_start; /* nlines + 1 offsets into members */
    uint32_t *members;    /* each line's cells, in grid order */
    int32_t *line_total;  /* the line's total (first cell with a total label), or -1 */
    uint32_t *line_dim;   /* the dimension a line runs along */
    size_t hcap;          /* power of two */
    uint32_t *slot;       /* unpacked: hash of full tuples, cell + 1, 0 empty */
    uint64_t *packed;     /* packed: hash of packed tuples, tuple << 32 | cell + 1, 0 empty;
                           * slot is then NULL */
    uint32_t distinct[SDC_GRID_MAX_DIMS];   /* coordinate d's ids: 0 .. distinct[d] - 1 */
    unsigned char shift[SDC_GRID_MAX_DIMS]; /* packed: coordinate d's field... */
    uint64_t field[SDC_GRID_MAX_DIMS];      /* ...and its mask (sdc_grid_field) */
} sdc_cellkey;

/* Builds the key of grid G. Returns 0, or -1 when out of memory or when
 * G has 2^31 cells or more (cells and lines are numbered in 32 bits). */
int sdc_cellkey_build(const sdc_grid *g, sdc_cellkey *k);

/* The cell with coordinates IDS (K->dims of them), or -1. */
long sdc_cellkey_find(const sdc_cellkey *k, const uint32_t *ids);

/* The cell agreeing with cell I on every coordinate but D, where it has
 * id COORD; or -1. */
long sdc_cellkey_move(const sdc_cellkey *k, size_t i, size_t d, uint32_t coord);

/*
 * Moves by packed tuple (K->packed only), for searches that move from cell
 * to cell: the tuple is carried along, so a move reads no coordinates, and
 * the look-ups of several moves can be asked for together.
 */
/* Cell I's packed tuple. */
uint64_t sdc_cellkey_key(const sdc_cellkey *k, size_t i);
/* The tuple KEY with coordinate D set to COORD, or UINT64_MAX when there is
 * no such coordinate. */
static inline uint64_t sdc_cellkey_key_move(const sdc_cellkey *k, uint64_t key, size_t d,
                                            uint32_t coord)
{
    if (coord >= k->distinct[d])
        return UINT64_MAX;
    return (key & ~k->field[d]) | (uint64_t)coord << k->shift[d];
}
/* Asks the memory for the slot sdc_cellkey_find_key(K, KEY) will read (a
 * hint: nothing changes). */
void sdc_cellkey_prefetch_key(const sdc_cellkey *k, uint64_t key);
/* The cell whose packed tuple is KEY (UINT64_MAX: none), or -1. */
long sdc_cellkey_find_key(const sdc_cellkey *k, uint64_t key);

/* Cell I's line along D, and its cells (*N of them). */
static inline uint32_t sdc_cellkey_line(const sdc_cellkey *k, size_t i, size_t d)
{
    return k->line[d * k->count + i];
}

static inline const uint32_t *sdc_cellkey_members(const sdc_cellkey *k, uint32_t line, size_t *n)
{
    *n = k->line_start[line + 1] - k->line_start[line];
    return k->members + k->line_start[line];
}

void sdc_cellkey_free(sdc_cellkey *k);

/*
 * A long table's grid and cell index, built once and lent to each of its
 * measures in turn: a long table's grids differ only in the measure
 * column their cells name, and building them is most of what preparing
 * a measure costs (on the 5-D bench table about 0.25 s a measure, a
 * dozen times in protect's quick mode). For one table whose labels do
 * not change while it is lent. Two measures may hold it at once, each in
 * a slot of its own (its own array of cells, the one place a measure is
 * named; the coordinates and the index are shared): the audit prepares a
 * measure while the one before settles its last blocks. An all-zero
 * share is empty.
 */
#define SDC_GRID_SHARE_SLOTS 2
typedef struct sdc_grid_share {
    sdc_grid g;
    sdc_cellkey k;
    bool have_grid, have_key;
    sdc_grid_cell *slot_cells[SDC_GRID_SHARE_SLOTS]; /* slot 0's are G's */
} sdc_grid_share;

/* Into *G T's grid of measure column MEASURE (frame F, or NULL: found
 * here when it is built): S's, built the first time, its cells naming
 * MEASURE. S keeps it: *G is not freed. Slot 0; another measure may hold
 * the other slot meanwhile (sdc_grid_share_grid_in).
 * Returns 0, or -1 when out of memory. */
int sdc_grid_share_grid(sdc_grid_share *s, const sdc_grid_frame *f, const sdc_table *t,
                        const sdc_policy *policy, long measure, sdc_grid *g);

/* As sdc_grid_share_grid, in slot SLOT (below SDC_GRID_SHARE_SLOTS): the
 * cells of a slot other than 0 are a copy made the first time. */
int sdc_grid_share_grid_in(sdc_grid_share *s, const sdc_grid_frame *f, const sdc_table *t,
                           const sdc_policy *policy, long measure, unsigned slot, sdc_grid *g);

/* Into *K the index of S's grid (lent first), built the first time; S
 * keeps it. Returns 0, or -1 when out of memory. */
int sdc_grid_share_key(sdc_grid_share *s, sdc_cellkey *k);

void sdc_grid_share_free(sdc_grid_share *s);

#endif
