/*
 * audit.h - the feasibility interval of every suppressed cell (SPEC 5.7).
 *
 * A suppressed cell is safe only if the published cells do not pin it
 * down. Given the table's additivity (every published total equals the
 * sum of its parts, along every dimension and margin) and non-negativity,
 * the audit finds for each suppressed cell the least and greatest value it
 * can take, by linear programming (GLPK). lo == hi means the cell can be
 * worked out exactly.
 */
#ifndef SDCCHECK_AUDIT_H
#define SDCCHECK_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdc_audit_cell {
    size_t row, col; /* body row and column of the table */
    long line;       /* file line of the row */
    double lo, hi;   /* feasible values; hi is INFINITY when unbounded */
    bool solved;     /* false: the time limit came first */
    bool integer;    /* a count: the interval holds hi - lo + 1 values */
    bool exact;      /* lo, hi are the interval; false: values the cell was
                        seen to take, enough to show it protected */
} sdc_audit_cell;

typedef struct sdc_audit {
    sdc_audit_cell *cells; /* one per suppressed cell, in table order */
    size_t count;
    size_t equations;  /* totals used as equations */
    size_t dropped;    /* totals that could not be used (a part is text) */
    bool inconsistent; /* no non-negative values fit the published cells */
    bool timed_out;
} sdc_audit;

/*
 * Audits every suppressed cell of T (already laid out) under POLICY
 * (rounding_base relaxes each total by the rounding error), spending at
 * most TIME_LIMIT seconds. With PROTECTION > 0 only the verdict is wanted:
 * a cell already seen to take values that far apart (counted as values for
 * counts) is protected without solving for its ends, which is what makes
 * large tables fast; 0 asks for every exact interval. Fills OUT
 * (zero-initialise it; free with sdc_audit_free). Returns 0, or -1 when out
 * of memory.
 */
int sdc_audit_table(const sdc_table *t, const sdc_policy *policy, double time_limit,
                    double protection, sdc_audit *out);

/* The width of C's interval as protection is judged: for counts, the
 * number of values it holds (floor(hi) - ceil(lo) + 1); INFINITY when it
 * is unbounded. */
double sdc_audit_width(const sdc_audit_cell *c);

/* True when C is protected at NEED: solved, not pinned to one value, and
 * at least NEED wide (sdc_audit_width). */
bool sdc_audit_protected(const sdc_audit_cell *c, double need);

void sdc_audit_free(sdc_audit *a);

#ifdef __cplusplus
}
#endif
#endif
