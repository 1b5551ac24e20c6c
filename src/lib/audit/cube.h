/*
 * cube.h - hypercubes of cells: feasible directions of a table (private).
 *
 * Pick, for a cell and each dimension whose line through it has a total,
 * a partner cell on that line; the cells at every combination of the two
 * coordinates per dimension are the corners of a hypercube (in two
 * dimensions, a rectangle). Adding +d and -d to the corners, the sign
 * flipping along a dimension between two parts and kept between a part
 * and its total, leaves every published total as it was: if all the
 * corners are hidden, the table cannot tell the point x from x + d*s. So
 * a feasible point x and the range of d that keeps every corner within
 * its bounds (0 and its marker) prove that each corner's interval holds
 * at least that range: one cube certifies all its corners at once.
 *
 * This is Repsilber's HYPERCUBE method for secondary suppression (as in
 * tau-Argus: Repsilber 1994, "Preservation of confidentiality in
 * aggregated data"; Giessing and Repsilber 2002), used here both to choose
 * complements (the cheapest cube through an unprotected cell, at the true
 * values) and to prove suppressed cells protected without a linear
 * program (any cube of hidden cells, at a feasible point).
 */
#ifndef SDC_CUBE_H
#define SDC_CUBE_H

#include <stdbool.h>

#include "table/cellkey.h"

#define SDC_CUBE_MAX_DIMS 6
#define SDC_CUBE_MAX_CORNERS (1 << SDC_CUBE_MAX_DIMS)

/* What a cell may be in a cube. */
enum { SDC_CUBE_NO = 0, SDC_CUBE_HIDDEN = 1, SDC_CUBE_PUBLISHED = 2 };

typedef struct sdc_cube {
    size_t ncorners;
    uint32_t corner[SDC_CUBE_MAX_CORNERS]; /* grid cells; corner[0] is the cell */
    signed char sign[SDC_CUBE_MAX_CORNERS];
    double dlo, dhi;   /* the range of d: dlo <= 0 <= dhi */
    size_t cost;       /* published corners (to be hidden) */
    double cost_value; /* their total value */
    size_t wanted;     /* corners the search's WANT marks */
} sdc_cube;

/* Called with each complete cube found; returns true to stop the search. */
typedef bool (*sdc_cube_fn)(void *ctx, const sdc_cube *c);

typedef struct sdc_cube_search {
    const sdc_grid *g;
    const sdc_cellkey *k;
    const double *value;        /* per grid cell: its value at the point */
    const double *upper;        /* per grid cell: upper bound, or NULL (none) */
    const unsigned char *state; /* per grid cell: SDC_CUBE_NO / HIDDEN / PUBLISHED */
    double min_range;           /* cubes with dhi - dlo below this are not wanted */
    /* Per grid cell, or NULL: a second point at which a cube must hold
     * MIN_RANGE too (its range there; VALUE's is the one reported). */
    const double *also;
    bool cheapest; /* prune on cost: only cubes cheaper than the last found */
    /* Per grid cell, or NULL: with CHEAPEST, of two cubes hiding as many
     * published corners the better has more corners marked here (the
     * caller's hidden cells still wanting a proof: one cube then serves
     * several), before the lesser value. */
    const unsigned char *want;
    size_t per_dim;   /* candidates tried per dimension (hidden ones first) */
    size_t max_nodes; /* partial cubes tried per search */
    /* Each line's parts by value (cube_lines.h), kept in step with STATE:
     * candidates come from it instead of a scan of the line. NULL: the
     * line is scanned. */
    const struct sdc_cube_lines *lines;
    bool hidden_only; /* with LINES: STATE holds no published cells */
    size_t *examined; /* or NULL: counts the cells looked at for candidates */
    /* Per line of K, or NULL: its hidden parts, kept in step with STATE.
     * The published partners along a dimension are then tried those with
     * the most hidden parts on their lines along the cube's other
     * dimensions first (ties as before): a cube through them is more
     * likely to find its other corners hidden. */
    const uint32_t *line_hidden;
    sdc_cube_fn fn;
    void *ctx;
} sdc_cube_search;

/* Searches the cubes through grid cell I. Returns the number found (each
 * passed to S->fn), or -1 when out of memory. */
long sdc_cube_find(const sdc_cube_search *s, size_t i);

/*
 * The least range (dhi - dlo) a cube must move a cell through for the
 * cell to take NEED values there, as the audit counts them: NEED for a
 * measure; for a count (INTEGER), whose values are whole numbers, NEED - 1
 * when the cell's value at the cube's point is whole (v - a to v + b
 * holds a + b + 1 of them), and NEED when it need not be (from 1.5, a
 * range of 9 reaches 10.5: 2 to 10, nine of them).
 */
double sdc_cube_least_range(double need, bool integer, bool whole_point);

#endif
