/*
 * pdf_text.h - the text of a PDF, for the identifier scan (private).
 */
#ifndef SDC_PDF_TEXT_H
#define SDC_PDF_TEXT_H

#include <stddef.h>

/* Called for each line of text, with its 1-based page. */
typedef void (*sdc_pdf_line_fn)(void *ctx, int page, const char *line, size_t len);

/*
 * Extracts the text of the PDF in BYTES[0..len) with poppler, up to
 * MAX_PAGES pages, calling FN per line. Returns the pages read, or -1 when
 * the document cannot be opened (ERROR, of ERROR_SIZE, says why: damaged,
 * encrypted).
 */
int sdc_pdf_extract_text(const void *bytes, size_t len, int max_pages, sdc_pdf_line_fn fn,
                         void *ctx, char *error, size_t error_size);

#endif
