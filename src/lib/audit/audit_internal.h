/*
 * audit_internal.h - the audit when the suppressed values are known
 * (private to the library: `--fix` and `protect` hide cells whose values
 * they know).
 */
#ifndef SDC_AUDIT_INTERNAL_H
#define SDC_AUDIT_INTERNAL_H

#include <stdint.h>

#include "sdccheck/audit.h"
#include "table/cellkey.h"
#include "table/grid.h"

/*
 * As sdc_audit_table, where KNOWN (one flag per cell of T, row-major, or
 * NULL) marks the suppressed cells whose `number` still holds their true
 * value. The true values are a feasible point of the audit's equations,
 * so the cubes through them prove cells protected without a linear
 * program.
 */
int sdc_audit_table_known(const sdc_table *t, const sdc_policy *policy, double time_limit,
                          double protection, const bool *known, sdc_audit *out);

/* Verdicts: a block of linked cells with more equations than this gets
 * no linear program (sdc_audit_table_lp_limit). */
#define SDC_AUDIT_LP_MAX_ROWS 20000

/*
 * As sdc_audit_table_known, where verdicts for a component of more than
 * LP_MAX_ROWS equations get no linear program (only feasible points,
 * cubes and the walk along them). sdc_audit_table_known uses the
 * audit's own limit (SDC_AUDIT_LP_MAX_ROWS); tests pass a small one to reach that path
 * on a small table, and then a two-dimensional table is not settled by
 * maximum flow either (network.h), which would take it first.
 */
int sdc_audit_table_lp_limit(const sdc_table *t, const sdc_policy *policy, double time_limit,
                             double protection, const bool *known, size_t lp_max_rows,
                             sdc_audit *out);

/*
 * The blocks of linked cells one audit settled, kept for the next audit of
 * the same table, where a block met again (the same hidden cells, the same
 * equations and bounds, to the bit) takes its results instead of being
 * settled anew: what `protect`'s rounds audit again after hiding a few
 * cells (doc/design.md, "Secondary suppression", *Blocks audited once*).
 * Only blocks of at least SDC_AUDIT_MEMO_MIN cells, or with more equations
 * than the exact solver is given, are kept (the others settle in
 * milliseconds).
 */
typedef struct sdc_audit_memo sdc_audit_memo;
#define SDC_AUDIT_MEMO_MIN 1000

/* An empty memo; NULL when out of memory. */
sdc_audit_memo *sdc_audit_memo_new(void);
void sdc_audit_memo_free(sdc_audit_memo *memo);
/* Blocks taken from MEMO instead of settled, in all its audits. */
size_t sdc_audit_memo_hits(const sdc_audit_memo *memo);

/*
 * As sdc_audit_table_lp_limit without known values, reading and renewing
 * MEMO. Each block taken from it is charged the seconds it took to settle
 * against TIME_LIMIT, so that the audit runs out of time where one
 * settling every block would. Returns 0, or -1 when out of memory (MEMO is
 * then emptied).
 */
int sdc_audit_table_memo(const sdc_table *t, const sdc_policy *policy, double time_limit,
                         double protection, size_t lp_max_rows, sdc_audit_memo *memo,
                         sdc_audit *out);

/*
 * As sdc_audit_table_lp_limit and sdc_audit_table_memo together (KNOWN and
 * MEMO may each be NULL), the measures audited one at a time (those of a
 * table of many rows) borrowing SHARE's grid and index (sdc_grid_share:
 * one for every audit of the table and its suppression's rounds) instead
 * of building their own. Returns 0, or -1 when out of memory.
 */
int sdc_audit_table_shared(const sdc_table *t, const sdc_policy *policy, double time_limit,
                           double protection, const bool *known, size_t lp_max_rows,
                           sdc_audit_memo *memo, sdc_grid_share *share, sdc_audit *out);

/*
 * As sdc_audit_table, leaving out the totals that CONTRADICTED marks (per
 * cell of T, row-major: bit d set when the cell is a total that
 * contradicts its own line along dimension d), and the lines they are
 * parts of, as if they were text; the lines so left out are listed as
 * SDC_AUDIT_DROP_BESIDE (the contradicting lines themselves are the
 * caller's to list). Used by sdc_audit_table_consistent (contradict.c).
 */
int sdc_audit_table_without(const sdc_table *t, const sdc_policy *policy, double time_limit,
                            double protection, const uint32_t *contradicted, sdc_audit *out);

/* Lists in OUT the total at (ROW, COL) of T, left out of its line along
 * label column ALONG (-1: a crosstab's columns) for WHY, naming the cell
 * OTHER (row * ncols + col, or -1) and, for a contradiction, its parts'
 * SUM. Returns 0, or -1 when out of memory (nothing listed). */
int sdc_audit_drop_add(sdc_audit *out, const sdc_table *t, size_t row, size_t col, long along,
                       sdc_audit_drop why, long other, double sum);

/* The label column that dimension D of frame F comes from; -1 for a
 * crosstab's columns (the dimension after the labels). */
long sdc_audit_along(const sdc_grid_frame *f, size_t d);

/* Sorts OUT's dropped totals by row, column and line, as they are listed. */
void sdc_audit_drops_sort(sdc_audit *out);

#endif
