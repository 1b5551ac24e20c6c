/*
 * pdf_attach.h - the files a PDF carries, read with poppler (private).
 */
#ifndef SDC_PDF_ATTACH_H
#define SDC_PDF_ATTACH_H

#include <stdbool.h>
#include <stddef.h>

/* Called for each attached file: its NAME (as the PDF gives it, or
 * "page N"), its bytes (the first MAX of them; CUT when there were more).
 * A non-zero return stops the listing and is returned. */
typedef int (*sdc_pdf_attach_fn)(void *ctx, const char *name, const unsigned char *data, size_t len,
                                 bool cut);

/* sdc_pdf_attachments's answer when the document cannot be opened. */
#define SDC_PDF_ATTACH_UNREADABLE (-1000)

/*
 * Lists the files attached to the PDF in BYTES[0..len): the document's
 * embedded files (ISO 32000-1, 7.11.4, the EmbeddedFiles name tree) and
 * the files of its file attachment annotations (12.5.6.15), on the first
 * MAX_PAGES pages. Returns the count, FN's non-zero answer, or
 * SDC_PDF_ATTACH_UNREADABLE (WHY says why). Otherwise WHY is empty, or says
 * why the embedded files were not listed (sdc_pdf_file_specs_check: a file
 * specification poppler cannot read safely), in words that follow "the
 * PDF's embedded files were not listed because"; the annotations' files
 * still are.
 */
int sdc_pdf_attachments(const void *bytes, size_t len, size_t max, int max_pages,
                        sdc_pdf_attach_fn fn, void *ctx, char *why, size_t why_size);

#endif
