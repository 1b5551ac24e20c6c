/*
 * aggregate_internal.h - how sdc_aggregate_file splits its work (private to
 * the library; exposed so that tests can force a split on small files).
 */
#ifndef SDC_AGGREGATE_INTERNAL_H
#define SDC_AGGREGATE_INTERNAL_H

#include <stddef.h>

#include "sdccheck/protect.h"

typedef struct sdc_aggregate_tuning {
    unsigned workers; /* threads that parse (at most 8); 0: one per core */
    size_t min_chunk; /* fewest bytes worth a thread of its own; 0: 8 MiB */
} sdc_aggregate_tuning;

/* sdc_aggregate_file with TUNING (NULL: the defaults). The table is the same
 * for every tuning. */
sdc_table *sdc_aggregate_file_tuned(const char *path, const sdc_policy *policy,
                                    const sdc_aggregate_spec *spec,
                                    const sdc_aggregate_tuning *tuning, char **error);

#endif
