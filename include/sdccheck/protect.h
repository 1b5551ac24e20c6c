/*
 * protect.h - suppressing a table until it is safe (SPEC 5.7, `--fix`).
 *
 * Cells that fail a primary rule (threshold, dominance, group disclosure)
 * are suppressed; then complementary cells are chosen, a few at a time,
 * until the audit finds every suppressed cell protected. The heuristic
 * prefers, in each row or column that still gives a hidden cell away, the
 * smallest published cell at least as large as the protection asks, so
 * that little is hidden for much protection.
 */
#ifndef SDCCHECK_PROTECT_H
#define SDCCHECK_PROTECT_H

#include <stdio.h>

#include "identifier.h"
#include "policy.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdc_protect_result {
    size_t primary;       /* cells suppressed because they failed a rule */
    size_t secondary;     /* complementary suppressions */
    bool protected_ok;    /* the final audit finds every suppressed cell protected */
} sdc_protect_result;

/*
 * Suppresses cells of T (laid out) in place, writing the policy's first
 * suppression marker in them. Returns 0, or -1 when out of memory.
 */
int sdc_table_protect(sdc_table *t, const sdc_policy *policy, const sdc_id_scanner *scanner,
                      sdc_protect_result *out);

/* Writes T as CSV with DELIMITER (fields quoted only when they must be).
 * Returns 0, or -1 on an output error. */
int sdc_table_write_csv(const sdc_table *t, char delimiter, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
