/*
 * microdata.h - checking a table against the records it came from
 * (doc/design.md, "Table rules", `--microdata DATA.csv`).
 */
#ifndef SDCCHECK_MICRODATA_H
#define SDCCHECK_MICRODATA_H

#include "finding.h"
#include "policy.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Aggregates the records in DATA_PATH by T's label columns (named as the
 * records' columns; counting distinct units when T's declared layout names
 * a `unit`) with every margin and compares T's published counts
 * and its first magnitude with them: `data-mismatch` (fail) beyond the
 * table's rounding. A magnitude without dominance evidence in T is judged
 * on the records' two largest contributions (nk-rule with n <= 2, p-ratio).
 * Problems that prevent the check are `needs-review` findings. Returns 0.
 */
int sdc_table_verify_microdata(const sdc_table *t, const sdc_policy *policy, const char *data_path,
                               sdc_findings *findings);

#ifdef __cplusplus
}
#endif
#endif
