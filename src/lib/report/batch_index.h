/*
 * batch_index.h - the index of a batch run, private to the report stage
 * (batch.c writes it with batch_index.c's two writers).
 */
#ifndef SDC_REPORT_BATCH_INDEX_H
#define SDC_REPORT_BATCH_INDEX_H

#include <stdio.h>

#include "sdccheck/batch.h"

/* What the index is written from. */
typedef struct sdc_batch_index {
    const sdc_batch *batch;
    const sdc_batch_options *opts;
    const char *policy; /* the policy's name, or NULL */
} sdc_batch_index;

/*
 * OUT gets INDEX (an sdc_batch_index) as index.json or as index.html
 * (sdccheck-report(5), "The batch index"): sdc_report_stream_fn writers.
 * Return 0, SDC_EIO on an output error, or SDC_ENOMEM.
 */
int sdc_batch_index_json(void *index, FILE *out);
int sdc_batch_index_html(void *index, FILE *out);

#endif
