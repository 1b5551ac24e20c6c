/* test_pdf_filters.c - a PDF stream's filters read and undone. Expected
 * bytes come from ISO 32000-1 (its LZW example, 7.4.4.2), Python's
 * base64.a85encode, hand computation, and the streams of
 * make-pdf-filters.py, which qpdf decodes to the pickle they hold. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "read/pdf_filters.h"
#include "read/pdf_streams.h"

static int parse(const char *dict, sdc_pdf_filter *f)
{
    return sdc_pdf_filters((const unsigned char *)dict, strlen(dict), f);
}

/* Undoes DICT's filters on IN (LEN bytes) and compares with WANT. */
static void expect_decoded(const char *dict, const void *in, size_t len, const void *want,
                           size_t want_len)
{
    sdc_pdf_filter f[SDC_PDF_FILTERS_MAX];
    int n = parse(dict, f);
    cr_assert_geq(n, 1, "%s", dict);
    unsigned char *out;
    size_t out_len;
    bool cut;
    cr_assert(sdc_pdf_unfilter(f, n, in, len, 1 << 20, &out, &out_len, &cut), "%s", dict);
    cr_assert_not(cut);
    cr_assert_eq(out_len, want_len, "%s: %zu bytes, not %zu", dict, out_len, want_len);
    cr_assert_eq(memcmp(out, want, want_len), 0, "%s", dict);
    free(out);
}

Test(pdf_filters, names_arrays_and_parameters_are_read_from_the_dictionary)
{
    sdc_pdf_filter f[SDC_PDF_FILTERS_MAX];
    cr_assert_eq(parse("<< /Length 12 >>", f), 0);
    cr_assert_eq(parse("<< /Filter /FlateDecode /Length 3 >>", f), 1);
    cr_assert_eq(f[0].kind, SDC_PDF_FLATE);
    cr_assert_eq(f[0].predictor, 1);
    cr_assert_eq(parse("<< /Filter [/AHx /Fl] /DecodeParms [null << /Predictor 12 /Columns 4 "
                       ">>] >>",
                       f),
                 2);
    cr_assert_eq(f[0].kind, SDC_PDF_ASCII_HEX);
    cr_assert_eq(f[1].kind, SDC_PDF_FLATE);
    cr_assert_eq(f[1].predictor, 12);
    cr_assert_eq(f[1].columns, 4);
    cr_assert_eq(parse("<< /Filter /LZWDecode /DecodeParms << /EarlyChange 0 >> >>", f), 1);
    cr_assert_eq(f[0].early_change, 0);
    /* Pictures and encryption are not data filters; a name that is not a
     * filter is not guessed at. */
    cr_assert_eq(parse("<< /Filter /DCTDecode >>", f), -1);
    cr_assert_eq(parse("<< /Filter [/FlateDecode /DCTDecode] >>", f), -1);
    cr_assert_eq(parse("<< /Filter /Crypt >>", f), -1);
    cr_assert_eq(parse("<< /Filter /FlateDecodeX >>", f), -1);
}

Test(pdf_filters, each_filter_gives_back_what_the_standard_and_python_say)
{
    /* ISO 32000-1, 7.4.4.2: the codes 256 45 258 258 65 259 66 257 */
    static const unsigned char lzw[] = {0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01};
    expect_decoded("<< /Filter /LZWDecode >>", lzw, sizeof lzw, "-----A---B", 10);
    /* Python: base64.a85encode(b"Man is distinguished", adobe=True) */
    const char *a85 = "9jqo^BlbD-BleB1DJ+*+F(f,q~>";
    expect_decoded("<< /Filter /ASCII85Decode >>", a85, strlen(a85), "Man is distinguished", 20);
    const char *a85z = "z@:E^~>"; /* b"\0\0\0\0abc" */
    expect_decoded("<< /Filter /A85 >>", a85z, strlen(a85z), "\0\0\0\0abc", 7);
    const char *hex = "48 65 6c\n6C 6F 7>";
    expect_decoded("<< /Filter /ASCIIHexDecode >>", hex, strlen(hex), "Hellop", 6);
    /* two literal bytes + 1 (3), then 'x' 257 - 254 = 3 times, then EOD */
    static const unsigned char rl[] = {2, 'a', 'b', 'c', 254, 'x', 128, 'z'};
    expect_decoded("<< /Filter /RunLengthDecode >>", rl, sizeof rl, "abcxxx", 6);
}

Test(pdf_filters, predictors_are_undone_row_by_row)
{
    /* PNG rows of 3 bytes: Sub, Up, Paeth, Average (computed by hand). */
    static const unsigned char rows[] = {1, 10, 5, 5, 2, 1, 1, 1, 4, 0, 0, 0, 3, 2, 2, 2};
    static const unsigned char png[] = {10, 15, 20, 11, 16, 21, 11, 16, 21, 7, 13, 19};
    unsigned char z[64];
    uLongf zlen = sizeof z;
    cr_assert_eq(compress2(z, &zlen, rows, sizeof rows, 9), Z_OK);
    expect_decoded("<< /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 3 >> >>", z,
                   zlen, png, sizeof png);
    /* TIFF predictor 2: each byte adds the one before in its row. */
    static const unsigned char tiff[] = {1, 1, 1, 1, 5, 0, 0, 0};
    static const unsigned char tiff_out[] = {1, 2, 3, 4, 5, 5, 5, 5};
    zlen = sizeof z;
    cr_assert_eq(compress2(z, &zlen, tiff, sizeof tiff, 9), Z_OK);
    expect_decoded("<< /Filter /Fl /DecodeParms << /Predictor 2 /Columns 4 >> >>", z, zlen,
                   tiff_out, sizeof tiff_out);
}

Test(pdf_filters, bad_data_is_refused_and_output_is_bounded)
{
    sdc_pdf_filter f[SDC_PDF_FILTERS_MAX];
    unsigned char *out;
    size_t len;
    bool cut;
    cr_assert_eq(parse("<< /Filter /ASCIIHexDecode >>", f), 1);
    cr_assert_not(sdc_pdf_unfilter(f, 1, (const unsigned char *)"4G>", 3, 100, &out, &len, &cut));
    cr_assert_null(out);
    /* 1,000 repeats of a byte stop at the limit, and say so */
    static const unsigned char runs[] = {129, 'x', 129, 'x', 129, 'x', 129, 'x', 128};
    cr_assert_eq(parse("<< /Filter /RL >>", f), 1);
    cr_assert(sdc_pdf_unfilter(f, 1, runs, sizeof runs, 300, &out, &len, &cut));
    cr_assert_eq(len, 300);
    cr_assert(cut);
    free(out);
    /* empty data under each filter is nothing, not an error */
    static const char *const empty[] = {"<< /Filter /AHx >>", "<< /Filter /A85 >>",
                                        "<< /Filter /RL >>", "<< /Filter /LZW >>",
                                        "<< /Filter /Fl /DecodeParms << /Predictor 12 >> >>"};
    for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
        int n = parse(empty[i], f);
        cr_assert_eq(n, 1);
        cr_assert(sdc_pdf_unfilter(f, n, (const unsigned char *)">", i == 0, 100, &out, &len, &cut),
                  "%s", empty[i]);
        cr_assert_eq(len, 0, "%s", empty[i]);
        free(out);
    }
    /* clear (256), then 300: past the table's next entry (258) */
    static const unsigned char lzw_bad[] = {0x80, 0x4B, 0x00};
    cr_assert_eq(parse("<< /Filter /LZWDecode >>", f), 1);
    cr_assert_not(sdc_pdf_unfilter(f, 1, lzw_bad, sizeof lzw_bad, 100, &out, &len, &cut));
}

/* make-pdf-filters.py: the pickle under each filter, found and decoded
 * to its very bytes (the predictor's rows padded with zeros, as qpdf
 * decodes them too). */
typedef struct found {
    unsigned char *data;
    size_t len;
    long object;
} found;

static bool any(const unsigned char *head, size_t len, bool whole, bool jpeg)
{
    (void)head;
    (void)whole;
    (void)jpeg;
    return len > 0;
}

static int keep(void *ctx, long object, size_t offset, const unsigned char *data, size_t len,
                bool cut)
{
    (void)offset;
    (void)cut;
    found *f = ctx;
    if (object == 6) {
        f->data = malloc(len);
        memcpy(f->data, data, len);
        f->len = len;
        f->object = object;
    }
    return 0;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    unsigned char *p = malloc(1 << 20);
    *len = fread(p, 1, 1 << 20, f);
    fclose(f);
    return p;
}

Test(pdf_filters, a_pickle_under_every_filter_is_decoded_to_its_bytes)
{
    static const char *const files[] = {"filter-hex.pdf",   "filter-a85.pdf",
                                        "filter-lzw.pdf",   "filter-runlength.pdf",
                                        "filter-chain.pdf", "filter-predictor.pdf"};
    size_t pkl_len;
    unsigned char *pkl = slurp("testdata/artefacts/models/sklearn_logreg_p4.pkl", &pkl_len);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "testdata/pdf/%s", files[i]);
        size_t len;
        unsigned char *pdf = slurp(path, &len);
        found f = {0};
        cr_assert_geq(sdc_pdf_streams(pdf, len, 1 << 20, any, keep, &f), 2, "%s", files[i]);
        cr_assert_not_null(f.data, "%s: object 6 not decoded", files[i]);
        size_t want = strstr(files[i], "predictor") ? pkl_len + (20 - pkl_len % 20) % 20 : pkl_len;
        cr_assert_eq(f.len, want, "%s: %zu bytes", files[i], f.len);
        cr_assert_eq(memcmp(f.data, pkl, pkl_len), 0, "%s: not the pickle", files[i]);
        for (size_t k = pkl_len; k < f.len; k++)
            cr_assert_eq(f.data[k], 0);
        free(f.data);
        free(pdf);
    }
    free(pkl);
}

/* A JPEG (DCTDecode) is handed over as it is, whole, marked as a JPEG:
 * make-pdf-filters.py's picture holds Pillow's JPEG and, in
 * image-appended.pdf, the pickle after its end marker. */
typedef struct jpegs {
    size_t len;
    bool tail_is_pickle, ends_with_eoi;
    int seen;
} jpegs;

static const unsigned char *pickle_bytes;
static size_t pickle_len;

static bool note_jpeg(const unsigned char *b, size_t len, bool whole, bool jpeg)
{
    (void)whole;
    return jpeg && len > 0 && b[0] == 0xFF;
}

static int keep_jpeg(void *ctx, long object, size_t offset, const unsigned char *data, size_t len,
                     bool cut)
{
    (void)object, (void)offset;
    jpegs *j = ctx;
    cr_assert_not(cut);
    j->len = len;
    j->seen++;
    j->ends_with_eoi = len >= 2 && data[len - 2] == 0xFF && data[len - 1] == 0xD9;
    j->tail_is_pickle =
        len > pickle_len && memcmp(data + len - pickle_len, pickle_bytes, pickle_len) == 0;
    return 0;
}

Test(pdf_filters, a_jpeg_stream_is_handed_over_whole_as_a_jpeg)
{
    size_t pkl_len;
    unsigned char *pkl = slurp("testdata/artefacts/models/sklearn_logreg_p4.pkl", &pkl_len);
    pickle_bytes = pkl;
    pickle_len = pkl_len;
    size_t clean_len, appended_len;
    unsigned char *clean = slurp("testdata/pdf/image-clean.pdf", &clean_len);
    unsigned char *appended = slurp("testdata/pdf/image-appended.pdf", &appended_len);
    jpegs a = {0}, b = {0};
    cr_assert_geq(sdc_pdf_streams(clean, clean_len, 1 << 20, note_jpeg, keep_jpeg, &a), 2);
    cr_assert_geq(sdc_pdf_streams(appended, appended_len, 1 << 20, note_jpeg, keep_jpeg, &b), 2);
    cr_assert_eq(a.seen, 1);
    cr_assert(a.ends_with_eoi);
    cr_assert_eq(b.seen, 1);
    cr_assert(b.tail_is_pickle);
    cr_assert_eq(b.len, a.len + pkl_len); /* the same JPEG, the pickle after it */
    free(pkl);
    free(clean);
    free(appended);
}
