/*
 * aggregate_sum.h - sums of doubles that do not depend on the order of the
 * terms (private to the library).
 *
 * `protect` adds the values of millions of records on several threads and
 * merges the halves; a plain running sum would round differently for each
 * split of the file, so the report would depend on the number of cores. An
 * sdc_xsum keeps the exact sum as a short list of non-overlapping partials
 * (Shewchuk's algorithm, as Python's math.fsum) and rounds once when read:
 * the result is the correctly rounded exact sum, whatever the order of the
 * additions and merges. Typical data needs one or two partials, held inline.
 */
#ifndef SDC_AGGREGATE_SUM_H
#define SDC_AGGREGATE_SUM_H

#include <stdint.h>

typedef struct sdc_xsum {
    double inline_parts[2]; /* the partials while there are at most two */
    double *heap;           /* all partials once there are more */
    uint32_t n, cap;        /* partials held; heap capacity (0 or 2: inline) */
    double overflow;        /* +-inf (or NaN) once a partial overflowed, else 0 */
} sdc_xsum;

/* An all-zero sdc_xsum is the empty sum. */

/* Adds the finite value V exactly. Returns 0, or -1 when out of memory. */
int sdc_xsum_add(sdc_xsum *s, double v);

/* Adds everything in FROM to INTO exactly. Returns 0, or -1 when out of memory. */
int sdc_xsum_merge(sdc_xsum *into, const sdc_xsum *from);

/* The exact sum rounded to the nearest double (ties to even); +0.0 for an
 * empty sum; +-inf when it is beyond the range of a double. */
double sdc_xsum_value(const sdc_xsum *s);

void sdc_xsum_free(sdc_xsum *s);

#endif
