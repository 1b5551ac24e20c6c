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

#endif
