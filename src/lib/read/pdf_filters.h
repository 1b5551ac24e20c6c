/*
 * pdf_filters.h - a PDF stream's filters, read from its dictionary and
 * undone (private).
 */
#ifndef SDC_PDF_FILTERS_H
#define SDC_PDF_FILTERS_H

#include <stdbool.h>
#include <stddef.h>

#define SDC_PDF_FILTERS_MAX 8

/* The standard filters that code data rather than pictures (ISO 32000-1,
 * 7.4): the image codecs (DCT, JPX, JBIG2, CCITT) and Crypt are not. */
typedef enum {
    SDC_PDF_FLATE,
    SDC_PDF_ASCII_HEX,
    SDC_PDF_ASCII85,
    SDC_PDF_LZW,
    SDC_PDF_RUN_LENGTH,
} sdc_pdf_filter_kind;

typedef struct sdc_pdf_filter {
    sdc_pdf_filter_kind kind;
    /* /DecodeParms of FlateDecode and LZWDecode (7.4.4.4, table 8) */
    int predictor, colors, bits, columns, early_change;
} sdc_pdf_filter;

/*
 * The filters named by the stream dictionary DICT[0..len) (its /Filter, a
 * name or an array applied in order, and its /DecodeParms) into
 * F[0..SDC_PDF_FILTERS_MAX). Returns how many (0: none), or -1 when one of
 * them is not a filter of data (an image codec, Crypt, a name not in the
 * standard) or the dictionary does not say.
 */
int sdc_pdf_filters(const unsigned char *dict, size_t len, sdc_pdf_filter *f);

/* Whether the stream dictionary DICT[0..len) says its data is a JPEG
 * file: /Filter /DCTDecode (or /DCT), alone. */
bool sdc_pdf_jpeg_stream(const unsigned char *dict, size_t len);

/*
 * Undoes the filters F[0..n) on IN[0..len): *OUT (malloc'd, the caller
 * frees it) receives at most MAX bytes, *CUT saying whether there were
 * more. Returns false when the data is not what a filter says (then *OUT
 * is NULL) or memory ran out.
 */
bool sdc_pdf_unfilter(const sdc_pdf_filter *f, int n, const unsigned char *in, size_t len,
                      size_t max, unsigned char **out, size_t *out_len, bool *cut);

#endif
