/*
 * pdf_measure.h - how much text a PDF's pages would have poppler lay out,
 * counted from the file's objects before poppler is asked (private).
 */
#ifndef SDC_PDF_MEASURE_H
#define SDC_PDF_MEASURE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t page_text; /* string bytes the page that draws most text draws */
    uint64_t text;      /* string bytes all pages draw, forms counted as drawn */
    uint64_t content;   /* content-stream bytes all pages draw (paths included) */
    long pages;         /* page dictionaries found */
    char why[160];      /* what could not be measured, when that is the answer */
} sdc_pdf_measure;

/*
 * Measures the PDF in PDF[0..len) (doc/design.md, "Identifiers"). Counting
 * stops early once a page's text passes PAGE_TEXT_MAX or the whole PDF's
 * passes TEXT_MAX or CONTENT_MAX (the figures are then "more than"), so a
 * hostile file costs little. Returns 0 when measured; -1 when it could not
 * be (a content stream with a filter other than FlateDecode, forms that draw
 * each other in a loop, more objects than it follows): WHY says so in words
 * that follow "its text was not read for identifiers because"; -2 when out
 * of memory.
 */
int sdc_pdf_measure_text(const unsigned char *pdf, size_t len, uint64_t page_text_max,
                         uint64_t text_max, uint64_t content_max, sdc_pdf_measure *out);

#endif
