/*
 * pdf_open.h - a PDF in memory opened with poppler (private to read/).
 */
#ifndef SDC_PDF_OPEN_H
#define SDC_PDF_OPEN_H

#include <poppler.h>

/* Opens the PDF in BYTES[0..len), which must outlive it; *GB is its view
 * of them, to unref after the document. NULL when poppler cannot open it
 * (damaged, encrypted): WHY, of WHY_SIZE, says why. */
PopplerDocument *sdc_pdf_open(const void *bytes, size_t len, GBytes **gb, char *why,
                              size_t why_size);

#endif
