/*
 * primary.h - which rules suppression mends (private).
 */
#ifndef SDC_RULES_PRIMARY_H
#define SDC_RULES_PRIMARY_H

#include <stdbool.h>

/* True for the primary rules: a cell that fails one (threshold, nk-rule,
 * p-ratio, pq-rule, group-disclosure) is suppressed by --fix and protect. */
bool sdc_rule_is_primary(const char *rule);

/* True for the rules --fix mends: the primary rules and the secondary
 * ones (secondary-recoverable, secondary-narrow), which complementary
 * suppression answers. */
bool sdc_rule_is_fixable(const char *rule);

#endif
