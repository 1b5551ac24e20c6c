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

#include "sdccheck/table.h"

#define SDC_GRID_MAX_DIMS 16

typedef struct sdc_grid_cell {
    size_t row, col;
    const char *coord[SDC_GRID_MAX_DIMS];
    bool coord_total[SDC_GRID_MAX_DIMS];
} sdc_grid_cell;

typedef struct sdc_grid {
    sdc_grid_cell *cells;
    size_t count;
    size_t dims;
} sdc_grid;

/* The K-th measure of T whose grid the audit and suppression use, into
 * *MEASURE: a wide crosstab has one (-1, its count columns together); a
 * long table one per count or magnitude column; other shapes none. False
 * when there is no K-th. */
bool sdc_grid_measure(const sdc_table *t, size_t k, long *measure);

/* Builds the grid of column MEASURE, or of every count column of a wide
 * crosstab when MEASURE < 0. Returns 0 or -1 when out of memory. */
int sdc_grid_build(const sdc_table *t, const sdc_policy *policy, long measure, sdc_grid *g);

/* True when cells A and B of G lie on one line along dimension D (they
 * agree on every other coordinate). */
bool sdc_grid_same_line(const sdc_grid *g, size_t a, size_t b, size_t d);

/* Called once per line: cells IDX[0..n) of G, along dimension D. */
typedef void (*sdc_grid_line_fn)(void *ctx, const sdc_grid *g, const size_t *idx, size_t n,
                                 size_t d);

/* Calls FN for every line along every dimension. Returns 0 or -1. */
int sdc_grid_lines(const sdc_grid *g, sdc_grid_line_fn fn, void *ctx);

/* Each cell's line along each dimension, and each line's cells: built once
 * so that "the cells of my row" costs the row's length, not the grid's. */
typedef struct sdc_grid_index {
    size_t dims, count;
    size_t *order;    /* per dimension: cell indices sorted into lines */
    size_t *line_of;  /* per dimension: cell -> its line's first slot in order */
    size_t *line_len; /* per dimension: cell -> its line's length */
} sdc_grid_index;

/* Builds the index of G. Returns 0 or -1 when out of memory. */
int sdc_grid_index_build(const sdc_grid *g, sdc_grid_index *x);

/* The cells of cell I's line along D: *N of them, returned as a pointer
 * into the index (valid until it is freed). */
const size_t *sdc_grid_line_cells(const sdc_grid_index *x, size_t i, size_t d, size_t *n);

void sdc_grid_index_free(sdc_grid_index *x);

void sdc_grid_free(sdc_grid *g);

#endif
