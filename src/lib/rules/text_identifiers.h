/*
 * text_identifiers.h - direct identifiers in documents, code and PDF text
 * (private).
 */
#ifndef SDC_RULES_TEXT_IDENTIFIERS_H
#define SDC_RULES_TEXT_IDENTIFIERS_H

#include <stdbool.h>
#include <stddef.h>

#include "sdccheck/identifier.h"

typedef struct sdc_text_scan sdc_text_scan;

/*
 * A scan of one file's text, fed in pieces, adding `identifier` findings to
 * FINDINGS (which must outlive it). With PDF the bytes fed are a PDF kept
 * whole (up to a limit) and its text is extracted at the end; past the
 * limit the bytes are scanned as they are. Returns NULL when out of memory.
 */
sdc_text_scan *sdc_text_scan_new(const sdc_id_scanner *scanner, sdc_findings *findings, bool pdf);

/* Feeds the next LEN bytes of the file. */
void sdc_text_scan_feed(sdc_text_scan *ts, const unsigned char *bytes, size_t len);

/* Ends the text: a PDF's text is extracted and scanned (a PDF that cannot
 * be read is a `needs-review` finding), then the last line. */
void sdc_text_scan_finish(sdc_text_scan *ts);

/* True when the text is a notebook that holds outputs ("output_type"). */
bool sdc_text_scan_notebook_outputs(const sdc_text_scan *ts);

void sdc_text_scan_free(sdc_text_scan *ts);

/* A PDF's bytes as kept for its text (before sdc_text_scan_finish), or
 * NULL: not a PDF, or *TOO_LARGE when it was over the size kept. */
const unsigned char *sdc_text_scan_pdf(const sdc_text_scan *ts, size_t *len, bool *too_large);

#endif
