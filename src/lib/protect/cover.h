/*
 * cover.h - complements that leave no line hiding a cell alone, chosen
 * by a matching (private to the heuristic).
 */
#ifndef SDC_PROTECT_COVER_H
#define SDC_PROTECT_COVER_H

#include <stddef.h>
#include <stdint.h>

#include "sdccheck/policy.h"
#include "sdccheck/table.h"
#include "table/cellkey.h"
#include "table/grid.h"

/*
 * The complements that a two-dimensional grid G (key K) needs so that no
 * line with a total hides exactly one cell: STATE per grid cell is
 * SDC_CUBE_NO (never chosen), _HIDDEN or _PUBLISHED, VALUE its value;
 * cells of at least NEED are preferred. Sets *CELLS (malloc'd, the
 * caller frees it) to the grid cells to hide, *N to their number (0 when
 * G is not two-dimensional or no line lacks a partner). Deterministic.
 * Returns 0, or -1 when out of memory.
 */
int sdc_protect_cover(const sdc_grid *g, const sdc_cellkey *k, const unsigned char *state,
                      const double *value, double need, uint32_t **cells, size_t *n);

/*
 * The lines of a table's measures, to ask cheaply whether giving back a
 * complement leaves a line hiding one cell alone next to its published
 * total (which gives it away: no audit needed to refuse it).
 */
typedef struct sdc_protect_lines {
    size_t nm;
    sdc_grid *g;    /* per measure */
    sdc_cellkey *k; /* per measure */
    long *measure;  /* per table cell: its measure's index, or -1 */
    uint32_t *at;   /* per table cell: its grid cell */
} sdc_protect_lines;

/* The lines of T's measures. Returns 0, or -1 when out of memory. */
int sdc_protect_lines_build(sdc_protect_lines *x, const sdc_table *t, const sdc_policy *p);

/* Does a line through table cell CELL (row * ncols + col) hide exactly
 * one cell, every other cell of it (parts, its one total) a published
 * number? That cell is then given away. */
bool sdc_protect_lines_lone(const sdc_protect_lines *x, const sdc_table *t, size_t cell);

void sdc_protect_lines_free(sdc_protect_lines *x);

#endif
