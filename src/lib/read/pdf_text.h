/*
 * pdf_text.h - the text of a PDF, for the identifier scan (private).
 */
#ifndef SDC_PDF_TEXT_H
#define SDC_PDF_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Called for each line of text, with its 1-based page. */
typedef void (*sdc_pdf_line_fn)(void *ctx, int page, const char *line, size_t len);

/* What one PDF's text may cost (doc/design.md, "Identifiers"). */
typedef struct {
    int max_pages;      /* pages read */
    uint64_t page_text; /* string bytes one page may draw */
    uint64_t text;      /* string bytes all pages may draw */
    uint64_t content;   /* content-stream bytes all pages may draw */
    double seconds;     /* wall time for all pages, looked at between pages */
} sdc_pdf_limits;

/* sdc_pdf_extract_text's answers besides a page count. */
enum { SDC_PDF_UNREADABLE = -1, SDC_PDF_OVER_BUDGET = -2 };

/*
 * Extracts the text of the PDF in BYTES[0..len) with poppler, calling FN
 * per line, within LIMITS. The PDF is measured first (pdf_measure.h) and
 * poppler is not asked for text a budget does not allow; the time is a
 * second line of defence, looked at between pages (poppler cannot be
 * stopped inside one). Returns the pages read when every page was;
 * SDC_PDF_UNREADABLE when the document cannot be opened (WHY, of WHY_SIZE,
 * says why: damaged, encrypted); SDC_PDF_OVER_BUDGET when some or all of
 * the text was not read (WHY is a sentence saying which and why; FN may
 * have had the pages before).
 */
int sdc_pdf_extract_text(const void *bytes, size_t len, const sdc_pdf_limits *limits,
                         sdc_pdf_line_fn fn, void *ctx, char *why, size_t why_size);

#endif
