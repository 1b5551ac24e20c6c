/*
 * protect_heuristic.h - the heuristic's knobs, for tests (private).
 */
#ifndef SDC_PROTECT_HEURISTIC_H
#define SDC_PROTECT_HEURISTIC_H

#include "sdccheck/protect.h"

/*
 * sdc_table_protect, choosing hypercube complements first on tables of at
 * least CUBE_MIN_CELLS cells (sdc_table_protect uses 20000; 0 always,
 * SIZE_MAX never), then audit-guided rounds for what the cubes left.
 */
int sdc_protect_heuristic(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                          size_t cube_min_cells, sdc_protect_result *out);

/* sdc_protect_heuristic where both audits give no linear program to a
 * block of linked cells with more than LP_MAX_ROWS equations
 * (sdc_audit_table_lp_limit), so that a small table reaches what only
 * tables of tens of thousands of cells reach otherwise. */
int sdc_protect_heuristic_lp(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                             size_t cube_min_cells, size_t lp_max_rows, sdc_protect_result *out);

/* sdc_table_protect with STARTS starts of the rounds on a small table of
 * three dimensions or more (sdc_table_protect makes 8; 1 keeps the first
 * pattern). */
int sdc_protect_heuristic_starts(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                 unsigned starts, sdc_protect_result *out);

/* sdc_table_protect with the modular mode's decomposition first
 * (sdc_protect_modular: subtables of at most MAX_CELLS cells by the
 * optimal model, SECONDS each, BUDGET in all). */
int sdc_protect_heuristic_modular(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                  size_t max_cells, double seconds, double budget,
                                  sdc_protect_result *out);

/* sdc_protect_heuristic_modular as the optimal mode falls back to it on
 * a table too large for the optimal model: the first round takes cubes
 * of any width on every grid of three dimensions or more, however large
 * (heuristic.c, NARROW), for fewer complements at the cost of more audits. */
int sdc_protect_heuristic_fewest(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                 size_t max_cells, double seconds, double budget,
                                 sdc_protect_result *out);

/* sdc_protect_heuristic_modular as the quick mode runs it: the cubes
 * chosen at the true values on grids of three dimensions or more with
 * more cells than the audit's exact solver takes equations are 1.1 times
 * as wide as the width asks. */
int sdc_protect_heuristic_quick(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                size_t max_cells, double seconds, double budget,
                                sdc_protect_result *out);

/* sdc_table_protect with the cubes chosen at the true values on grids of
 * three dimensions or more with more than MARGIN_CELLS cells MARGIN times
 * as wide as the width asks (the quick mode: 1.3, the audit's 20,000). */
int sdc_protect_heuristic_margin(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                 double margin, size_t margin_cells, sdc_protect_result *out);

/* sdc_table_protect with the first round's cells searched value by value
 * of the grid's split dimension on THREADS threads (sdc_table_protect: as
 * many as the machine has cores), or, when THREADS is 0, one after
 * another in the audit's order without the split. */
int sdc_protect_heuristic_split(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                int threads, sdc_protect_result *out);

/* sdc_table_protect with the first round's cubes of any width on grids
 * of three dimensions or more with at most NARROW_CELLS cells (0: none;
 * sdc_table_protect: 5,000, heuristic.c's NARROW_MAX_CELLS). */
int sdc_protect_heuristic_narrow(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                                 size_t narrow_cells, sdc_protect_result *out);

/* sdc_protect_heuristic with the audit that knows the values skipped
 * after cubes at the true values that left at most one hidden cell in PER
 * unproved (1 or 0: always; SIZE_MAX: only when they left none;
 * sdc_table_protect: 10,000, heuristic.c's KNOWN_SKIP_PER). */
int sdc_protect_heuristic_known_skip(sdc_table *t, const sdc_policy *p,
                                     const sdc_id_scanner *scanner, size_t cube_min_cells,
                                     size_t per, sdc_protect_result *out);

#endif
