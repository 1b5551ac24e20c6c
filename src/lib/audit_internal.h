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

#endif
