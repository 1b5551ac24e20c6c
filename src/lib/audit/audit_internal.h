/*
 * audit_internal.h - the audit when the suppressed values are known
 * (private to the library: `--fix` and `protect` hide cells whose values
 * they know).
 */
#ifndef SDC_AUDIT_INTERNAL_H
#define SDC_AUDIT_INTERNAL_H

#include "sdccheck/audit.h"

/*
 * As sdc_audit_table, where KNOWN (one flag per cell of T, row-major, or
 * NULL) marks the suppressed cells whose `number` still holds their true
 * value. The true values are a feasible point of the audit's equations,
 * so the cubes through them prove cells protected without a linear
 * program.
 */
int sdc_audit_table_known(const sdc_table *t, const sdc_policy *policy, double time_limit,
                          double protection, const bool *known, sdc_audit *out);

/*
 * As sdc_audit_table_known, where verdicts for a component of more than
 * LP_MAX_ROWS equations get no linear program (only feasible points,
 * cubes and the walk along them). sdc_audit_table_known uses the
 * audit's own limit (20,000); tests pass a small one to reach that path
 * on a small table.
 */
int sdc_audit_table_lp_limit(const sdc_table *t, const sdc_policy *policy, double time_limit,
                             double protection, const bool *known, size_t lp_max_rows,
                             sdc_audit *out);

#endif
