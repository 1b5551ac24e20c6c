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

#endif
