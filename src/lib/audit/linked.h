/*
 * linked.h - auditing the tables of one submission together (private).
 */
#ifndef SDC_LINKED_H
#define SDC_LINKED_H

#include "sdccheck/check.h"

/*
 * Reads again the CSV tables among *FILES[0..count) (bounded in number and
 * size), links those that count the same thing by shared dimensions, and
 * audits each linked group that hides cells as one table. Findings
 * (secondary-recoverable, secondary-narrow, linked-tables) are added to
 * the results concerned and their verdicts derived again. Returns 0, or -1
 * when out of memory.
 */
int sdc_link_tables(const sdc_checker *ck, sdc_file_result *const *files, size_t count);

#endif
