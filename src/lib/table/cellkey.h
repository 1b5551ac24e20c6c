/*
 * cellkey.h - a grid's cells by integer coordinates (private).
 *
 * grid.c finds a table's lines by sorting cells on their label strings,
 * which is what a few thousand cells need. The audit and the suppression
 * heuristic of a million-cell table need more: "the cell at these
 * coordinates" in constant time (the corners of a hypercube) and every
 * line without a sort per dimension. Here each coordinate is interned to
 * a small integer per dimension, cells are hashed on their tuple of
 * integers, and the lines along each dimension are found by hashing the
 * tuple without that dimension. Built in time linear in cells x dims.
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
    int64_t *line_total;  /* the line's total (first cell with a total label), or -1 */
    uint32_t *line_dim;   /* the dimension a line runs along */
    size_t hcap;          /* power of two */
    uint32_t *slot;       /* hash of full tuples: cell + 1, 0 empty */
} sdc_cellkey;

/* Builds the key of grid G. Returns 0, or -1 when out of memory. */
int sdc_cellkey_build(const sdc_grid *g, sdc_cellkey *k);

/* The cell with coordinates IDS (K->dims of them), or -1. */
long sdc_cellkey_find(const sdc_cellkey *k, const uint32_t *ids);

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

#endif
