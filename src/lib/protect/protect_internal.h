/*
 * protect_internal.h - what the heuristic and the optimal suppression share
 * (private to the library).
 */
#ifndef SDC_PROTECT_INTERNAL_H
#define SDC_PROTECT_INTERNAL_H

#include <stddef.h>

#include "sdccheck/identifier.h"
#include "sdccheck/policy.h"
#include "sdccheck/protect.h"
#include "sdccheck/table.h"

/* Suppresses every cell a failing primary rule (threshold, dominance,
 * group disclosure) points at, with what would give it away. A suppressed
 * cell keeps its value in `number` (the kind and text change), so that
 * protection can be judged against the true values. Returns the count. */
size_t sdc_protect_primary(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner);

/* The cells of T that sdc_protect_primary would still suppress (after it
 * ran: none, unless something failed inside it, such as memory for a
 * finding), or SIZE_MAX when the rules could not be run whole: a table to
 * be released must show 0. */
size_t sdc_protect_primary_left(const sdc_table *t, const sdc_policy *p,
                                const sdc_id_scanner *scanner);

/* Suppresses cell (R, C) and what would give it away (its evidence, and
 * the measures it is the contributor count of). False if already hidden. */
bool sdc_protect_suppress(sdc_table *t, size_t r, size_t c, const char *marker);

/*
 * Optimal complementary suppression (protect_optimal.c), on a table whose
 * primary cells are already suppressed. GIVEN holds T's cells before
 * primary suppression (or NULL): a cell published there and hidden now is
 * sensitive, and must reach the policy's protection levels. Returns 1
 * when it protected T (*SECONDARY complements added), 0 when it could not
 * (T unchanged; WHY says so: too large, time limit, infeasible), -1 when
 * out of memory.
 */
int sdc_protect_optimal(sdc_table *t, const sdc_policy *p, const sdc_cell *given, double time_limit,
                        size_t *secondary, char *why, size_t why_size);

/* Is T too large for the optimal model (more than its cells of measures)?
 * 1 (WHY says so), 0, or -1 when out of memory. Cheap: it builds no
 * model, so callers ask before they copy a large table for it. */
int sdc_protect_optimal_too_large(const sdc_table *t, const sdc_policy *p, char *why,
                                  size_t why_size);

/* sdc_protect_optimal where no cell KEEP marks (per table cell, or NULL)
 * may be hidden, as the published margins of a table already protected
 * (modular.c). */
int sdc_protect_optimal_keep(sdc_table *t, const sdc_policy *p, const sdc_cell *given,
                             const bool *keep, double time_limit, size_t *secondary, char *why,
                             size_t why_size);

/* Per column of T: is it a measure whose cells are complements of their
 * own (a count or a magnitude; evidence, a largest contribution or a
 * contributor count, goes back with its measure)? NULL when out of
 * memory (heuristic.c). */
bool *sdc_protect_measure_columns(const sdc_table *t);

/* OUT's suppressions counted from the pattern T ends with, the same way
 * whichever step hid them (the primary rules, a subtable, the rounds, a
 * magnitude hidden with its contributor count): cells of counts and
 * magnitudes that were published (KNOWN, per table cell), are hidden now,
 * and were hidden by the primary rules (PRIMARY) or not (complements,
 * with their absolute values summed). Evidence hidden with its measure is
 * not counted. */
void sdc_protect_count(const sdc_table *t, const bool *known, const bool *primary,
                       sdc_protect_result *out);

/*
 * The modular mode's decomposition (modular.c): a table with hierarchies,
 * its primary cells already suppressed, protected subtable by subtable,
 * top down, by the optimal model where a subtable has at most MAX_CELLS
 * cells of its measures (SECONDS each, BUDGET in all). KNOWN: per table
 * cell, published before primary suppression. The subtables are counted
 * into OUT (the suppressions are counted by the caller, from the final
 * pattern: sdc_protect_count). The whole table is not judged here: the
 * heuristic's rounds audit it after. Returns 0 (also
 * when T has no hierarchy, or no subtable is small enough), -1 when out of
 * memory.
 */
int sdc_protect_modular(sdc_table *t, const sdc_policy *p, const bool *known, size_t max_cells,
                        double seconds, double budget, sdc_protect_result *out);

#endif
