/*
 * dof_infer.h - a regression table's residual degrees of freedom worked
 * out from what it publishes, when it gives neither df nor N
 * (doc/design.md, "Regression tables"). Private to rules/.
 */
#ifndef SDC_DOF_INFER_H
#define SDC_DOF_INFER_H

#include <stdbool.h>
#include <stddef.h>

#include "sdccheck/table.h"

typedef struct sdc_dof_range {
    double lo, hi;      /* every df consistent with the table (hi: INFINITY when unbounded) */
    size_t row;         /* the row whose evidence bounds hi the tightest */
    char evidence[200]; /* what that row publishes, for the finding */
} sdc_dof_range;

/* Infers the residual df of coefficient table T from each row's t
 * statistic and two-sided p-value (2 Q_t(|t|; df) = p), or its standard
 * error and 95% confidence interval (half-width = t_0.975(df) se), the
 * published figures' rounding taken into account. False when nothing
 * allows it (no such columns, z statistics, rows that disagree). */
bool sdc_dof_infer(const sdc_table *t, sdc_dof_range *out);

/* The df for which a two-sided p-value of |T| is P (GSL's Student t), by
 * bisection: INFINITY when even the normal's p is above P, 0 when none. */
double sdc_dof_from_tp(double t, double p);
/* The df whose 97.5% t quantile is Q: INFINITY when Q is at most the
 * normal's (1.959964). */
double sdc_dof_from_quantile(double q);

#endif
