/*
 * blob.h - base64 and hex encoded artefacts inside text (private).
 *
 * A model pasted into a CSV cell, a notebook output or a Markdown file as
 * base64 or hex is still a model (doc/design.md, "Disallowed artefacts", `embedded-blob`). The
 * scanner follows runs of encoding characters through the text, decodes the start of every long run
 * and asks the classifier what it is. Images (a notebook's PNG outputs) and text are what honest
 * files hold; models, data files and archives are what they must not.
 */
#ifndef SDC_BLOB_H
#define SDC_BLOB_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/detect.h"

#define SDC_BLOB_MIN_RUN 40   /* shorter runs are words and ids; 30 bytes decoded */
#define SDC_BLOB_CAPTURE 4096 /* encoded characters decoded per run */
#define SDC_BLOB_MAX_HITS 10

typedef struct sdc_blob_hit {
    long line;
    bool hex;                /* hex, else base64 */
    sdc_classification what; /* what the decoded bytes are */
    size_t run;              /* encoded characters in the run (capped) */
} sdc_blob_hit;

typedef struct sdc_blob_scan {
    long line;
    long run_line;
    size_t run;     /* characters in the current run */
    size_t segment; /* characters since the last line break */
    bool maybe_hex; /* every character of the run is hex */
    bool backslash; /* a '\' just seen inside a run */
    bool padded;    /* '=' seen: the run can only end now */
    char capture[SDC_BLOB_CAPTURE];
    size_t captured;
    sdc_blob_hit hits[SDC_BLOB_MAX_HITS];
    size_t nhits;
    size_t more_hits; /* hits past SDC_BLOB_MAX_HITS */
} sdc_blob_scan;

void sdc_blob_init(sdc_blob_scan *s);
void sdc_blob_feed(sdc_blob_scan *s, const unsigned char *text, size_t len);
/* Ends the text: a run still open is judged. */
void sdc_blob_finish(sdc_blob_scan *s);

#endif
