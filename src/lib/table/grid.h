/*
 * grid.h - a table's cells as coordinates, and its lines (private).
 *
 * Each cell of a measure gets coordinates: its row labels, plus the
 * column's category for a wide crosstab. Along dimension d, cells that
 * agree on every other coordinate form one line of the table (a row, a
 * column, a margin of a long table); the cell whose coordinate d is a
 * total label is that line's total. Rules (totals, group disclosure) and
 * the audit of suppressed cells both walk these lines, in any number of
 * dimensions.
 */
#ifndef SDC_GRID_H
#define SDC_GRID_H

#include <stdint.h>

#include "sdccheck/table.h"

#define SDC_GRID_MAX_DIMS 16

/* A cell's coordinates (DIMS of them) live in its grid's arrays, so that
 * a grid of a million cells in six dimensions takes 86 bytes a cell, not
 * the 160 that room for SDC_GRID_MAX_DIMS in every cell took. */
typedef struct sdc_grid_cell {
    size_t row, col;
    const char **coord;
    bool *coord_total;
} sdc_grid_cell;

typedef struct sdc_grid {
    sdc_grid_cell *cells;
    size_t count;
    size_t dims;
    const char **coords; /* count * dims: the cells' coordinates */
    bool *totals;        /* count * dims: which of them are totals */
} sdc_grid;

/* The measures of T whose grids the audit and suppression use, one per
 * call from the column *AT (start at 0; it is advanced): a wide crosstab
 * has one (-1, its count columns together); a long table one per count or
 * magnitude column; other shapes none. False when there are no more. A
 * loop over every measure costs the table's width once. */
bool sdc_grid_next_measure(const sdc_table *t, size_t *at, long *measure);

/* A label column's part of the grid: one dimension, or one per level when
 * the layout declares levels within the column (declared hierarchies:
 * doc/design.md, "Declared layouts"). */
typedef struct sdc_grid_label {
    size_t col;
    size_t levels;   /* 1, or the depth of the declared levels */
    bool nested;     /* its categories roll up to another column's */
    bool has_levels; /* the layout declares levels within it */
} sdc_grid_label;

/* What every measure's grid of one table shares: its label dimensions,
 * found once (a table of many measures builds many grids). */
typedef struct sdc_grid_frame {
    sdc_grid_label labels[SDC_GRID_MAX_DIMS];
    size_t nl;   /* label columns */
    size_t dims; /* their dimensions */
} sdc_grid_frame;

void sdc_grid_frame_init(const sdc_table *t, sdc_grid_frame *f);

/* Builds the grid of column MEASURE, or of every count column of a wide
 * crosstab when MEASURE < 0. Returns 0 or -1 when out of memory. */
int sdc_grid_build(const sdc_table *t, const sdc_policy *policy, long measure, sdc_grid *g);

/* The same with T's frame F already found: its cost is the measure's
 * cells, not the table's width. */
int sdc_grid_build_in(const sdc_grid_frame *f, const sdc_table *t, const sdc_policy *policy,
                      long measure, sdc_grid *g);

/* True when cells A and B of G lie on one line along dimension D (they
 * agree on every other coordinate). */
bool sdc_grid_same_line(const sdc_grid *g, size_t a, size_t b, size_t d);

/* Called once per line: cells IDX[0..n) of G, along dimension D. */
typedef void (*sdc_grid_line_fn)(void *ctx, const sdc_grid *g, const size_t *idx, size_t n,
                                 size_t d);

/* Calls FN for every line along every dimension: dimension by dimension,
 * the lines in the order of their other coordinates' labels (byte order,
 * dimension 0 first), each line's cells in table order. Returns 0 or -1. */
int sdc_grid_lines(const sdc_grid *g, sdc_grid_line_fn fn, void *ctx);

/* Coordinate D of every cell of G as an integer, into ID[i * STRIDE + D]:
 * equal labels get equal ids, in the labels' byte order (strcmp), from 0
 * to *DISTINCT - 1. Returns 0, or -1 when out of memory. */
int sdc_grid_rank(const sdc_grid *g, size_t d, uint32_t *id, size_t stride, uint32_t *distinct);

/* Lays out one bit field per dimension for tuples of ids below DISTINCT
 * (DIMS of them) packed into BITS bits (at most 64), dimension 0 the most
 * significant, so that packed tuples compare as the tuples do: field d
 * starts at bit SHIFT[d]. False when they do not fit. */
bool sdc_grid_packing(const uint32_t *distinct, size_t dims, unsigned bits, unsigned char *shift);

/* Bits to hold the numbers below N. */
static inline unsigned sdc_grid_bits(uint64_t n)
{
    unsigned b = 0;
    while (b < 64 && ((uint64_t)1 << b) < n)
        b++;
    return b;
}

/* The tuple ID (DIMS ids) packed into the fields SHIFT lays out. */
static inline uint64_t sdc_grid_pack(const uint32_t *id, size_t dims, const unsigned char *shift)
{
    uint64_t key = 0;
    for (size_t d = 0; d < dims; d++)
        key |= (uint64_t)id[d] << shift[d];
    return key;
}

/* Field D of that layout (ids below DISTINCT[D]), as a mask. */
static inline uint64_t sdc_grid_field(const uint32_t *distinct, const unsigned char *shift,
                                      size_t d)
{
    return (((uint64_t)1 << sdc_grid_bits(distinct[d])) - 1) << shift[d];
}

void sdc_grid_free(sdc_grid *g);

#endif
