/*
 * network.h - a component of the audit that is a network: exact bounds by
 * maximum flow (private).
 *
 * A two-dimensional table with its margins is a network: give each row
 * equation the sign +1 and each column equation -1 (a part is in one row
 * and one column line, with the same coefficient; a total in its own line
 * with the opposite one), and every hidden cell is in at most two
 * equations, +1 in one and -1 in the other: an arc between them, its value
 * the flow on it. The equations are then flow conservation (in - out = the
 * published cells moved to the right-hand side), a cell in one equation
 * only is an arc to a ground node that balances the rest, and the least
 * and greatest value of a cell are a maximum flow: from any feasible flow,
 * the cell rises by as much as the residual network carries from its head
 * back to its tail, and falls by as much as it carries the other way
 * (Ford and Fulkerson; this is how tau-Argus audits two-dimensional
 * tables, de Wolf et al., "tau-ARGUS user's manual", network flow
 * secondary suppression). Every flow pushed is a feasible point of the
 * whole component, so the values a cell is seen to take are values it
 * can have, and a push that stops short has reached the cell's end.
 *
 * Which systems qualify is decided from the equations alone (each
 * variable in at most two, coefficients +-1, and the signs two-colourable
 * as above); tables of three or more dimensions, or hierarchies, are not
 * networks and keep the general audit.
 */
#ifndef SDC_NETWORK_H
#define SDC_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/bounds.h"

typedef struct sdc_network sdc_network;

/*
 * The network of one component (VARS[0..nv) with LOCAL mapping a
 * variable to its position, equations ROWS[0..nr) of E, each variable
 * between 0 and UPPER[v], INFINITY for none) into *OUT. Returns 0, 1 when
 * the equations are not a network (or are relaxed by a tolerance), -1
 * when out of memory.
 */
int sdc_network_make(const sdc_equations *e, const uint32_t *rows, size_t nr, const uint32_t *vars,
                     size_t nv, const uint32_t *local, const double *upper, sdc_network **out);

/* Starts at X (per position, a point the caller has checked). */
void sdc_network_set_point(sdc_network *n, const double *x);

/*
 * A feasible flow by maximum flow from a source to a sink that stand for
 * the right-hand sides, into X (per position). Returns 0, or 1 when the
 * flow cannot carry the right-hand sides (no point, as far as the flow's
 * arithmetic can tell: the caller checks any point anyway).
 */
int sdc_network_feasible(sdc_network *n, double *x);

/*
 * Moves variable J (a position) up (SGN 1) or down (-1) by at most WANT,
 * along cycles of the residual network; every variable the move changes
 * widens SEEN_LO, SEEN_HI (per position). Returns how far it moved; less
 * than WANT (by more than the arithmetic's noise) only when J has reached
 * its greatest (least) value, and then *END is set.
 */
double sdc_network_move(sdc_network *n, size_t j, int sgn, double want, double *seen_lo,
                        double *seen_hi, bool *end);

/* The current value of position J. */
double sdc_network_value(const sdc_network *n, size_t j);

/* Nodes visited by the flow searches so far (for the test that the work
 * per cell stays bounded as the table grows). */
size_t sdc_network_visits(const sdc_network *n);

void sdc_network_free(sdc_network *n);

#endif
