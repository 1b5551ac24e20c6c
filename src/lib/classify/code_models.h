/*
 * code_models.h - models written as code or text (private to the library).
 */
#ifndef SDC_CLASSIFY_CODE_MODELS_H
#define SDC_CLASSIFY_CODE_MODELS_H

#include <stdbool.h>
#include <stddef.h>

#include "sdccheck/finding.h"
#include "sdccheck/policy.h"

typedef struct sdc_code_models sdc_code_models;

/* A scan of one text stream (code or a document) for a model written out
 * as text: a long run of decimal numbers (weights, max_code_numbers), many
 * tree-split lines (generated if/else code, tree dumps, max_code_splits),
 * ONNX's text formats. With MARKUP (HTML, XML, notebooks: charts and
 * outputs carry their data) a run of numbers is review rather than fail.
 * NULL when out of memory. */
sdc_code_models *sdc_code_models_new(const sdc_policy *policy, bool markup);

void sdc_code_models_feed(sdc_code_models *m, const unsigned char *bytes, size_t len);

/* Ends the stream: `model-file` findings into FINDINGS for each signal past
 * its limit. Returns 0, or -1 when out of memory. */
int sdc_code_models_finish(sdc_code_models *m, sdc_findings *findings);

void sdc_code_models_free(sdc_code_models *m);

#endif
