/*
 * pool.h - checking the files of a submission on several threads
 * (private to check/).
 */
#ifndef SDC_CHECK_POOL_H
#define SDC_CHECK_POOL_H

#include "check/folder.h"
#include "check/walk.h"

/*
 * Checks every item of W on JOBS threads (1: in this thread), item I's
 * results into RESULTS[I] (W->count lists, zero-initialised), so that the
 * results are in path order whatever the number of threads. Tables kept
 * for linking are dropped as soon as there are more candidates than can be
 * linked (SDC_LINK_MAX_TABLES), which keeps memory bounded; *TOO_MANY says
 * so. Returns 0, or -1 when out of memory.
 */
int sdc_pool_check(const sdc_checker *ck, const sdc_walk_list *w, int jobs,
                   sdc_result_list *results, bool *too_many);

#endif
