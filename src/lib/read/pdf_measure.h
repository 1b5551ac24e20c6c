/*
 * pdf_measure.h - how much text a PDF's pages would have poppler lay out,
 * and whether its embedded files can be listed, found from the file's
 * objects before poppler is asked (private).
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

/*
 * Checks, before poppler is asked for the PDF's embedded files, that each
 * value of its EmbeddedFiles name tree (ISO 32000-1, 7.11.4) that refers
 * to an object refers to a dictionary, as a file specification that
 * carries a file must be (7.11.3). poppler 22.12 takes a reference to a
 * string for a file specification and then reads its embedded file
 * through a null pointer (Catalog::embeddedFile, FileSpec), so such a PDF
 * must not be given to poppler_document_get_attachments. Objects are found
 * and read as sdc_pdf_measure_text finds and reads them, every definition
 * of an object and every dictionary with /Names that could be the catalog
 * looked at. Returns 0 when every file specification is a dictionary;
 * 1 when one is not; -1 when the tree could not be followed (an object
 * stream not decoded here, a tree deeper than 64 levels, more work than
 * the measure allows); -2 when out of memory. WHY says what, in words that
 * follow "the PDF's embedded files were not listed because".
 */
int sdc_pdf_file_specs_check(const unsigned char *pdf, size_t len, char *why, size_t why_size);

#endif
