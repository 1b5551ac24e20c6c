/*
 * pdf_streams.h - every stream object of a PDF, decoded and looked at
 * (private).
 */
#ifndef SDC_PDF_STREAMS_H
#define SDC_PDF_STREAMS_H

#include <stdbool.h>
#include <stddef.h>

/* Called for a stream whose decoded head is a file of a kind FN's caller
 * wants walked: its object number (-1 when not known), its byte offset,
 * its decoded bytes (the first MAX of them; CUT when there were more). A
 * non-zero return stops the scan and is returned. */
typedef int (*sdc_pdf_stream_fn)(void *ctx, long object, size_t offset, const unsigned char *data,
                                 size_t len, bool cut);

/* Whether decoded bytes are worth walking: the caller classifies. JPEG:
 * the stream is a JPEG file (DCTDecode), given whole, as it is. */
typedef bool (*sdc_pdf_stream_want)(const unsigned char *head, size_t len, bool whole, bool jpeg);

/*
 * Finds every "stream ... endstream" in PDF[0..len), whatever refers to
 * it and in whichever revision (ISO 32000-1, 7.3.8: a dictionary, then the
 * keyword stream and an end of line, /Length bytes, endstream), undoes its
 * data filters (pdf_filters.h; a JPEG is given to WANT as it is, a stream
 * under another image codec or Crypt is left), and hands those WANT
 * accepts to FN.
 * Returns the streams looked at, or FN's non-zero answer.
 */
int sdc_pdf_streams(const unsigned char *pdf, size_t len, size_t max, sdc_pdf_stream_want want,
                    sdc_pdf_stream_fn fn, void *ctx);

#endif
