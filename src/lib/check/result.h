/*
 * result.h - results of checking: lists, ordering, verdicts (private to
 * check/).
 */
#ifndef SDC_CHECK_RESULT_H
#define SDC_CHECK_RESULT_H

#include "check/walk.h"

/* Appends an empty result to LIST and returns its index, or -1 when out
 * of memory. */
long sdc_result_list_reserve(sdc_result_list *list);

/* Frees every result in LIST and the array; LIST is left empty. */
void sdc_result_list_free(sdc_result_list *list);

/* Applies POLICY's verdict overrides (rules that mean "could not check"
 * never go below review), orders the findings by line and derives the
 * verdict. Every result is finished once its findings are complete. */
void sdc_result_finish(const sdc_policy *policy, sdc_file_result *r);

/* Adds a `needs-review` finding: a person must look. */
void sdc_result_needs_review(sdc_file_result *r, const char *message, const char *advice);

/* Fills OUT (not initialised) as the result of PATH, which could not be
 * read at all: WHY says why. Returns 0, or -1 when out of memory. */
int sdc_result_unreadable(const sdc_policy *policy, const char *path, const char *why,
                          sdc_file_result *out);

/* True when R is a table that the submission's tables are linked with
 * (a CSV or TSV file, small enough: SDC_LINK_MAX_CELLS). */
bool sdc_result_linkable(const sdc_file_result *r);

/* True when a finding of R is one that suppression mends
 * (sdc_rule_is_fixable: a primary or secondary rule): --fix writes a
 * protected copy of such a table when it fails. */
bool sdc_result_fixable(const sdc_file_result *r);

#endif
