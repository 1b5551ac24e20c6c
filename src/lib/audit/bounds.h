/*
 * bounds.h - what the equations of a table settle before any linear
 * program (private to the audit).
 *
 * The audit's equations are sums of suppressed cells (coefficients +1 for
 * a part, -1 for the line's total) equal to what the published cells
 * leave, within a tolerance for rounded tables. Two cheap passes settle
 * most cells of a large table:
 *  - constraint propagation: interval arithmetic over every equation,
 *    repeated to a fixpoint, gives outer bounds for every cell (a cell
 *    given back by a chain of subtractions ends with lo == hi);
 *  - the null space of a component's equation matrix (GSL's SVD) names
 *    the cells the equations determine exactly: those whose row in every
 *    null-space vector is zero.
 */
#ifndef SDC_BOUNDS_H
#define SDC_BOUNDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sdc_equations {
    size_t nrows, nnz, nvars;
    size_t *start;     /* nrows + 1: each row's terms */
    uint32_t *var;     /* 0-based variable */
    signed char *coef; /* +1 part, -1 total */
    double *rhs, *tol; /* sum = rhs, within +-tol */
    size_t cap, rcap;
} sdc_equations;

/* Appends a term to the row being built (the last started). */
int sdc_equations_term(sdc_equations *e, uint32_t var, signed char coef);
/* Starts a row. */
int sdc_equations_row(sdc_equations *e);
void sdc_equations_free(sdc_equations *e);

/*
 * Tightens LO and HI (per variable) by the equations until nothing moves
 * by more than a millionth or MAX_PASSES passes are done. Returns 0, or
 * -1 when some variable's bounds cross (the equations cannot hold).
 */
int sdc_bounds_propagate(const sdc_equations *e, double *lo, double *hi, int max_passes);

/*
 * Which of the N variables of one component the equations ROWS[0..m)
 * determine exactly (every term of those rows is a variable of the
 * component; LOCAL maps a variable to its position 0..n). DETERMINED[k]
 * for position k. Returns 0, or -1 when out of memory.
 */
int sdc_bounds_determined(const sdc_equations *e, const uint32_t *rows, size_t m, size_t n,
                          const uint32_t *local, bool *determined);

/* The relative residual sdc_bounds_interior stops at. */
#define SDC_INTERIOR_RESIDUAL 1e-10

/*
 * A strictly positive point of one component (VARS[0..n), equations
 * ROWS[0..m)), written to X (per variable): the entropy row-action method
 * (Bregman projections, as in MART or iterative proportional fitting,
 * which it is on a table of parts and totals). Variables whose bounds LO,
 * HI meet are held there; the others start inside their bounds and are
 * scaled, row after row, until every row holds to SDC_INTERIOR_RESIDUAL
 * of its magnitude. The limit, when the equations admit a positive point,
 * is the one of greatest entropy relative to the start (the entropy
 * projection of the start onto the equations): with no WEIGHT (NULL) as
 * far from zero as the table allows, which is what cubes through it
 * need; a WEIGHT per variable multiplies its start, and a large (small)
 * one pushes the variable towards its greatest (least) value. Upper bounds other than HI's meeting
 * LO are not enforced: the caller checks the point. Returns 0 converged,
 * 1 not within MAX_SWEEPS passes or by DEADLINE (CLOCK_MONOTONIC seconds),
 * or no positive point, -1 out of memory.
 */
int sdc_bounds_interior(const sdc_equations *e, const uint32_t *rows, size_t m,
                        const uint32_t *vars, size_t n, const double *lo, const double *hi,
                        const double *weight, int max_sweeps, double deadline, double *x);

#endif
