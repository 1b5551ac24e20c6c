/*
 * pdf_streams.c - every stream object of a PDF, decoded and looked at.
 *
 * poppler reads what the document refers to in its newest revision. A
 * stream no page, name tree or annotation refers to, or one only an
 * earlier revision held, is still in the file. So the bytes are searched
 * for the keyword "stream" after a dictionary's ">>", the stream's data
 * taken by its direct /Length (or up to "endstream" when the length is
 * indirect or wrong), its data filters undone (pdf_filters.c: Flate,
 * ASCIIHex, ASCII85, LZW, RunLength, in chains, with predictors), and its
 * head handed to the caller to classify.
 */
#include <stdlib.h>
#include <string.h>

#include "read/pdf_filters.h"
#include "read/pdf_lex.h"
#include "read/pdf_streams.h"

#define HEAD 4096

/* The dictionary that ends just before AT (its "<<" found by counting
 * nested << >> backwards, up to 64 KiB back); sets *FROM. */
static bool dict_before(const unsigned char *p, size_t at, size_t *from)
{
    size_t i = at;
    while (i > 0 && sdc_pdf_space(p[i - 1]))
        i--;
    if (i < 2 || p[i - 1] != '>' || p[i - 2] != '>')
        return false;
    int depth = 0;
    size_t stop = i > 65536 ? i - 65536 : 0;
    for (size_t k = i; k >= stop + 2; k--) {
        if (p[k - 1] == '>' && p[k - 2] == '>') {
            depth++;
            k--;
        } else if (p[k - 1] == '<' && p[k - 2] == '<') {
            if (--depth == 0) {
                *from = k - 2;
                return true;
            }
            k--;
        }
    }
    return false;
}

static const unsigned char *find(const unsigned char *p, size_t from, size_t to, const char *s)
{
    size_t n = strlen(s);
    return from < to ? memmem(p + from, to - from, s, n) : NULL;
}

/* /Length as a direct integer in the dictionary [from, to), or -1. */
static long long direct_length(const unsigned char *p, size_t from, size_t to)
{
    const unsigned char *l = find(p, from, to, "/Length");
    if (!l)
        return -1;
    size_t i = (size_t)(l - p) + 7;
    while (i < to && sdc_pdf_space(p[i]))
        i++;
    long long v = 0;
    size_t start = i;
    while (i < to && p[i] >= '0' && p[i] <= '9' && i - start < 15)
        v = v * 10 + (p[i++] - '0');
    if (i == start)
        return -1;
    /* "12 0 R" is a reference, not the length */
    size_t j = i;
    while (j < to && sdc_pdf_space(p[j]))
        j++;
    if (j < to && p[j] >= '0' && p[j] <= '9')
        return -1;
    return v;
}

/* The object number of "N G obj" before FROM, or -1. */
static long object_number(const unsigned char *p, size_t from)
{
    size_t stop = from > 256 ? from - 256 : 0;
    for (size_t k = from; k >= stop + 3; k--) {
        if (memcmp(p + k - 3, "obj", 3) != 0)
            continue;
        size_t i = k - 3;
        while (i > 0 && sdc_pdf_space(p[i - 1]))
            i--;
        while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9') /* generation */
            i--;
        while (i > 0 && sdc_pdf_space(p[i - 1]))
            i--;
        size_t end = i;
        while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
            i--;
        if (i == end)
            return -1;
        long n = 0;
        for (size_t d = i; d < end && d - i < 9; d++)
            n = n * 10 + (p[d] - '0');
        return n;
    }
    return -1;
}

int sdc_pdf_streams(const unsigned char *p, size_t len, size_t max, sdc_pdf_stream_want want,
                    sdc_pdf_stream_fn fn, void *ctx)
{
    int count = 0;
    size_t at = 0;
    const unsigned char *s;
    while ((s = find(p, at, len, "stream")) != NULL) {
        size_t k = (size_t)(s - p);
        at = k + 6;
        if (k >= 3 && memcmp(p + k - 3, "end", 3) == 0)
            continue; /* endstream */
        size_t data = k + 6;
        if (data < len && p[data] == '\r')
            data++;
        if (data >= len || p[data] != '\n')
            continue; /* the keyword ends its line (7.3.8.1) */
        data++;
        size_t dict;
        if (!dict_before(p, k, &dict))
            continue;
        long long length = direct_length(p, dict, k);
        const unsigned char *end = find(p, data, len, "endstream");
        size_t stop = end ? (size_t)(end - p) : len;
        if (length >= 0 && (size_t)length <= len - data)
            stop = data + (size_t)length;
        at = stop;
        count++;
        sdc_pdf_filter filters[SDC_PDF_FILTERS_MAX];
        int nf = sdc_pdf_filters(p + dict, k - dict, filters);
        if (nf < 0 && sdc_pdf_jpeg_stream(p + dict, k - dict)) {
            /* A JPEG is a file: what it carries besides its picture is
             * the caller's to judge. */
            size_t n = stop - data < max ? stop - data : max;
            int rc = want(p + data, stop - data, true, true)
                         ? fn(ctx, object_number(p, dict), data, p + data, n, n < stop - data)
                         : 0;
            if (rc)
                return rc;
            continue;
        }
        if (nf < 0)
            continue; /* another image codec or encryption: a picture, not a file */
        /* Its head first: only a stream worth walking is decoded whole. */
        unsigned char *h;
        size_t hlen;
        bool hcut;
        if (!sdc_pdf_unfilter(filters, nf, p + data, stop - data, HEAD, &h, &hlen, &hcut))
            continue; /* not what its filters say: poppler judges the page */
        int rc = 0;
        if (hlen && want(h, hlen, !hcut, false)) {
            unsigned char *o;
            size_t olen;
            bool cut;
            if (sdc_pdf_unfilter(filters, nf, p + data, stop - data, max, &o, &olen, &cut)) {
                rc = fn(ctx, object_number(p, dict), data, o, olen, cut);
                free(o);
            }
        }
        free(h);
        if (rc)
            return rc;
    }
    return count;
}
