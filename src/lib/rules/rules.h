/*
 * rules.h - table rule families (private).
 *
 * Each family (frequency, magnitude, statistics, regression, identifier,
 * microdata) is one file exporting one sdc_rule_family, listed once in
 * rules.c. A rule reads the laid-out table and appends findings; it never
 * prints and never decides a file's verdict.
 */
#ifndef SDC_RULES_H
#define SDC_RULES_H

#include "sdccheck/check.h"

typedef struct sdc_rule_ctx {
    const sdc_table *table;
    const sdc_policy *policy;
    const sdc_id_scanner *scanner; /* may be NULL */
    sdc_findings *findings;
    bool prose; /* text, not a table (a workbook's cover or notes sheet) */
    /* The table's row-label columns, found once (a finding's row names
     * them); NULL when they could not be kept: then found per finding. */
    const size_t *label_cols;
    size_t nlabel_cols;
    bool primary_only; /* sdc_table_check_primary: rules never primary are not run */
} sdc_rule_ctx;

typedef struct sdc_rule_family {
    const char *name;
    void (*run)(const sdc_rule_ctx *ctx);
} sdc_rule_family;

extern const sdc_rule_family sdc_rules_frequency;
extern const sdc_rule_family sdc_rules_magnitude;
extern const sdc_rule_family sdc_rules_statistics;
extern const sdc_rule_family sdc_rules_regression;
extern const sdc_rule_family sdc_rules_identifier;
extern const sdc_rule_family sdc_rules_microdata;
extern const sdc_rule_family sdc_rules_secondary;
extern const sdc_rule_family sdc_rules_cells;

/*
 * rule_finding.c: appends a finding about the cell at body row R, column C: line, row
 * labels, column name and the cell's text are filled in. LIMIT < 0 (with
 * HAS_LIMIT false) means no limit.
 */
void sdc_rule_cell(const sdc_rule_ctx *ctx, const char *rule, sdc_verdict v, size_t r, size_t c,
                   double limit, bool has_limit, const char *advice, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));

/* Appends a finding about column C as a whole (line: first body row). */
void sdc_rule_column(const sdc_rule_ctx *ctx, const char *rule, sdc_verdict v, size_t c,
                     const char *advice, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* An allocation failed while judging: what the rule found is not all
 * there was to find, so the file's findings are marked incomplete (never
 * a pass; sdccheck(1), EXIT STATUS). */
void sdc_rule_lost(const sdc_rule_ctx *ctx);

/* The number in body row R, column C, if the cell is published as one
 * (C < 0: no such column). */
bool sdc_rule_value(const sdc_table *t, size_t r, long c, double *v);

/* Advice texts shared by several rules. */
#define ADVICE_SUPPRESS "suppress or combine categories"
#define ADVICE_CONTRIBUTORS                                                                        \
    "provide contributor counts (n) and the largest contributions (max1, max2)"

#endif
