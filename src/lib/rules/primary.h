/*
 * primary.h - which rules suppression mends (private).
 */
#ifndef SDC_RULES_PRIMARY_H
#define SDC_RULES_PRIMARY_H

#include <stdbool.h>

#include "sdccheck/check.h"

/* True for the primary rules: a cell that fails one (threshold, nk-rule,
 * p-ratio, pq-rule, group-disclosure) is suppressed by --fix and protect. */
bool sdc_rule_is_primary(const char *rule);

/* True for the rules --fix mends: the primary rules and the secondary
 * ones (secondary-recoverable, secondary-narrow), which complementary
 * suppression answers. */
bool sdc_rule_is_fixable(const char *rule);

/* sdc_table_check for what protect and --fix suppress: the findings of
 * the primary rules are the ones sdc_table_check gives (the record-level
 * gate as there, then the families with primary rules: frequency,
 * magnitude, statistics), and the rules that are never primary are not
 * run (the regression, identifier, secondary and cell families; the
 * totals of magnitude columns: on the 5-D bench table 0.63 to 0.67 s
 * instead of 0.93). */
void sdc_table_check_primary(const sdc_table *t, const sdc_policy *policy,
                             const sdc_id_scanner *scanner, sdc_findings *findings);

#endif
