/*
 * pdf_xref.h - a PDF's cross-reference table checked against its objects
 * (private).
 */
#ifndef SDC_PDF_XREF_H
#define SDC_PDF_XREF_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Checks the PDF in PDF[0..len) (ISO 32000-1, 7.5.2 header, 7.5.4
 * cross-reference table, 7.5.5 trailer): the header is "%PDF-" and a
 * version, the last startxref points at a cross-reference table (or
 * stream), and every in-use entry of each table in the chain of /Prev
 * tables points at the "N G obj" it names. Bytes put into a PDF move its
 * objects away from where the table says they are. Returns 0 when it
 * holds, 1 when it does not (WHY says how), or 2 when the file uses
 * cross-reference streams only, which are not checked.
 */
int sdc_pdf_xref_check(const unsigned char *pdf, size_t len, char *why, size_t why_size);

typedef void (*sdc_pdf_xref_fn)(void *ctx, unsigned long long num, unsigned long long gen,
                                unsigned long long offset);

/* Lists the in-use entries of the cross-reference stream whose object
 * starts at byte AT (7.5.8) to the caller's sdc_pdf_xref_fn, and sets
 * *PREV to its /Prev (0 if none); false when it cannot be read. */
typedef bool (*sdc_pdf_xref_stream_fn)(void *ctx, unsigned long long at, unsigned long long *prev);

/*
 * Passes each in-use entry (object NUM, generation GEN at byte OFFSET) of
 * each cross-reference table in the chain from the last startxref to FN,
 * newest table first, whether or not the object is there, as far as the
 * tables can be read (none for a file whose startxref is missing). A
 * section of the chain that is a cross-reference stream, and the stream a
 * table's trailer names by /XRefStm (a hybrid file, 7.5.8.4), go to
 * STREAM (the streams' data are filtered, which this file does not undo),
 * whose /Prev the chain follows on.
 */
void sdc_pdf_xref_entries(const unsigned char *pdf, size_t len, sdc_pdf_xref_fn fn,
                          sdc_pdf_xref_stream_fn stream, void *ctx);

#endif
