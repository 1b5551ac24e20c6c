/*
 * cube_lines.h - each line's cells by value, hidden and published apart
 * (private).
 *
 * The hypercube search wants, for a cell and a dimension, the best few
 * partners on the cell's line: hidden cells (they cost nothing), largest
 * first; then published cells at least as large as the protection asked
 * for, smallest first; then the largest of the smaller ones. Scanning the
 * line for them costs its length for every cell protected, which on a
 * table of 40,000 areas by sex is the whole area dimension each time:
 * quadratic in the table. Here every line's parts (its cells without a
 * total label along it) are sorted once by value into slots, with two
 * bit sets over the slots (hidden, published) and a summary bit per
 * 64-bit word of each, so the next hidden or published part above or
 * below a value is a binary search and a few word scans away, and hiding
 * a cell moves it between the sets in constant time per dimension.
 *
 * Given a dimension the searches never move along (cube.h: a line
 * without a total is no equation), the slots are laid out one value of
 * that coordinate after another, each starting on a fresh summary word
 * (4,096 slots), the lines along it last: then the cells of one value
 * and the lines through them share no word with another value's, and
 * threads that each hide the cells of their own values (heuristic.c's
 * first round, a hierarchy's top-level nodes) never write a word another
 * reads or writes, so long as the lines along that dimension are
 * brought up to date after them (sdc_cube_lines_hide_along).
 */
#ifndef SDC_CUBE_LINES_H
#define SDC_CUBE_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "table/cellkey.h"

typedef struct sdc_cube_lines {
    const sdc_cellkey *k;
    const double *value; /* per grid cell: the value slots are sorted by */
    size_t nslots;
    uint32_t *start, *end;      /* per line: its first slot, and the one past its last */
    uint32_t *cell;             /* per slot: the grid cell */
    uint32_t *slot;             /* d * count + cell: its slot along d, UINT32_MAX none */
    uint64_t *bits[2], *sum[2]; /* [0] hidden, [1] published: per slot, per word */
} sdc_cube_lines;

enum { SDC_LINES_HIDDEN = 0, SDC_LINES_PUBLISHED = 1 };

/*
 * Builds the index of K's lines (of grid G): the parts of each line whose STATE (per
 * grid cell, cube.h's SDC_CUBE_*) is hidden or published, sorted by
 * VALUE (which must outlive the index and not change while it is used);
 * laid out by coordinate PART (see above), or in line order when PART is
 * negative. Returns 0, or -1 when out of memory.
 */
int sdc_cube_lines_build(sdc_cube_lines *x, const sdc_cellkey *k, const sdc_grid *g,
                         const unsigned char *state, const double *value, long part);

/* Grid cell I, published until now, is hidden (along every dimension but
 * SKIP, when SKIP is not negative). */
void sdc_cube_lines_hide(sdc_cube_lines *x, uint32_t i, long skip);

/* ... and along dimension D. */
void sdc_cube_lines_hide_along(sdc_cube_lines *x, uint32_t i, size_t d);

/* The first slot in [FROM, END) whose bit of SET is on, or END. */
size_t sdc_cube_lines_next(const sdc_cube_lines *x, int set, size_t from, size_t end);

/* The last slot in [START, FROM] whose bit of SET is on, or SIZE_MAX. */
size_t sdc_cube_lines_prev(const sdc_cube_lines *x, int set, size_t from, size_t start);

/* The first slot of LINE whose value is >= V (its end when none). */
size_t sdc_cube_lines_lower(const sdc_cube_lines *x, uint32_t line, double v);

void sdc_cube_lines_free(sdc_cube_lines *x);

#endif
