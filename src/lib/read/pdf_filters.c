/*
 * pdf_filters.c - the data filters of ISO 32000-1 7.4 undone, so that no
 * filter hides what a stream holds: FlateDecode (zlib), ASCIIHexDecode
 * (7.4.2), ASCII85Decode (7.4.3), LZWDecode (7.4.4.2, codes of 9 to 12
 * bits, EarlyChange), RunLengthDecode (7.4.5), and the predictors of
 * FlateDecode and LZWDecode (7.4.4.4: TIFF predictor 2 at 8 bits, the
 * PNG predictors 10 to 15, row by row). Every stage writes at most MAX
 * bytes: a stream cannot expand without bound.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/vec.h"
#include "read/pdf_filters.h"
#include "read/pdf_lex.h"

/* ---- the dictionary ---------------------------------------------------- */

/* Where a name or a key ends. */
static bool name_end(unsigned char c)
{
    return sdc_pdf_space(c) || sdc_pdf_delimiter(c);
}

/* The key KEY ("/Filter") in D[0..n) followed by a delimiter: the offset
 * after it, or n. */
static size_t key_at(const unsigned char *d, size_t n, const char *key)
{
    size_t k = strlen(key);
    for (size_t i = 0; i + k <= n; i++) {
        const unsigned char *hit = memmem(d + i, n - i, key, k);
        if (!hit)
            return n;
        size_t at = (size_t)(hit - d) + k;
        if (at == n || name_end(d[at]))
            return at;
        i = (size_t)(hit - d);
    }
    return n;
}

/* A name at D[i] ("/FlateDecode"): its kind, or -1; *END after it. */
static int filter_name(const unsigned char *d, size_t n, size_t i, size_t *end)
{
    static const struct {
        const char *name;
        sdc_pdf_filter_kind kind;
    } names[] = {
        {"FlateDecode", SDC_PDF_FLATE},
        {"Fl", SDC_PDF_FLATE},
        {"ASCIIHexDecode", SDC_PDF_ASCII_HEX},
        {"AHx", SDC_PDF_ASCII_HEX},
        {"ASCII85Decode", SDC_PDF_ASCII85},
        {"A85", SDC_PDF_ASCII85},
        {"LZWDecode", SDC_PDF_LZW},
        {"LZW", SDC_PDF_LZW},
        {"RunLengthDecode", SDC_PDF_RUN_LENGTH},
        {"RL", SDC_PDF_RUN_LENGTH},
    };
    if (i >= n || d[i] != '/')
        return -1;
    size_t s = ++i;
    while (i < n && !name_end(d[i]))
        i++;
    *end = i;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strlen(names[k].name) == i - s && memcmp(d + s, names[k].name, i - s) == 0)
            return (int)names[k].kind;
    return -1;
}

/* An integer after KEY in D[0..n), or FALLBACK. */
static int int_key(const unsigned char *d, size_t n, const char *key, int fallback)
{
    size_t i = sdc_pdf_skip_space(d, n, key_at(d, n, key));
    if (i >= n || d[i] < '0' || d[i] > '9')
        return fallback;
    long v = 0;
    while (i < n && d[i] >= '0' && d[i] <= '9' && v < 100000)
        v = v * 10 + (d[i++] - '0');
    return (int)v;
}

/* The end of the dictionary opening at D[i] ("<<"), nested ones counted;
 * n when it does not close. */
static size_t dict_end(const unsigned char *d, size_t n, size_t i)
{
    int depth = 0;
    for (; i + 1 < n; i++) {
        if (d[i] == '<' && d[i + 1] == '<') {
            depth++;
            i++;
        } else if (d[i] == '>' && d[i + 1] == '>') {
            i++;
            if (--depth == 0)
                return i + 1;
        }
    }
    return n;
}

static void parms(const unsigned char *d, size_t n, sdc_pdf_filter *f)
{
    f->predictor = int_key(d, n, "/Predictor", 1);
    f->colors = int_key(d, n, "/Colors", 1);
    f->bits = int_key(d, n, "/BitsPerComponent", 8);
    f->columns = int_key(d, n, "/Columns", 1);
    f->early_change = int_key(d, n, "/EarlyChange", 1);
}

int sdc_pdf_filters(const unsigned char *d, size_t n, sdc_pdf_filter *f)
{
    size_t i = key_at(d, n, "/Filter");
    if (i == n)
        return 0;
    i = sdc_pdf_skip_space(d, n, i);
    int count = 0;
    bool array = i < n && d[i] == '[';
    if (array)
        i = sdc_pdf_skip_space(d, n, i + 1);
    do {
        size_t end;
        int kind = filter_name(d, n, i, &end);
        if (kind < 0 || count == SDC_PDF_FILTERS_MAX)
            return -1; /* an image codec, Crypt, or a reference we cannot follow */
        f[count] = (sdc_pdf_filter){.kind = (sdc_pdf_filter_kind)kind};
        parms((const unsigned char *)"", 0, &f[count]);
        count++;
        i = sdc_pdf_skip_space(d, n, end);
    } while (array && i < n && d[i] != ']');
    if (array && (i >= n || count == 0))
        return -1;
    /* /DecodeParms: a dictionary, or an array of them (or null) in the
     * order of the filters. */
    size_t p = sdc_pdf_skip_space(d, n, key_at(d, n, "/DecodeParms"));
    if (p >= n)
        return count;
    if (d[p] == '<' && p + 1 < n && d[p + 1] == '<') {
        size_t e = dict_end(d, n, p);
        for (int k = 0; k < count; k++)
            if (f[k].kind == SDC_PDF_FLATE || f[k].kind == SDC_PDF_LZW) {
                parms(d + p, e - p, &f[k]);
                break;
            }
        return count;
    }
    if (d[p] != '[')
        return -1; /* a reference: the parameters are elsewhere */
    p = sdc_pdf_skip_space(d, n, p + 1);
    for (int k = 0; k < count && p < n && d[p] != ']'; k++) {
        if (d[p] == '<' && p + 1 < n && d[p + 1] == '<') {
            size_t e = dict_end(d, n, p);
            parms(d + p, e - p, &f[k]);
            p = sdc_pdf_skip_space(d, n, e);
        } else if (n - p >= 4 && memcmp(d + p, "null", 4) == 0) {
            p = sdc_pdf_skip_space(d, n, p + 4);
        } else {
            return -1;
        }
    }
    return count;
}

bool sdc_pdf_jpeg_stream(const unsigned char *d, size_t n)
{
    size_t i = key_at(d, n, "/Filter");
    if (i == n)
        return false;
    i = sdc_pdf_skip_space(d, n, i);
    bool array = i < n && d[i] == '[';
    if (array)
        i = sdc_pdf_skip_space(d, n, i + 1);
    if (i >= n || d[i] != '/')
        return false;
    size_t s = ++i;
    while (i < n && !name_end(d[i]))
        i++;
    bool dct = (i - s == 9 && memcmp(d + s, "DCTDecode", 9) == 0) ||
               (i - s == 3 && memcmp(d + s, "DCT", 3) == 0);
    return dct && (!array || (i = sdc_pdf_skip_space(d, n, i)) >= n || d[i] == ']');
}

/* ---- the decoders ------------------------------------------------------ */

typedef struct out {
    unsigned char *p;
    size_t len, cap, max;
    bool cut, oom;
} out;

static bool put(out *o, const unsigned char *b, size_t n)
{
    if (o->len + n > o->max) {
        n = o->max - o->len;
        o->cut = true;
    }
    if (n == 0)
        return !o->cut;
    if (SDC_VEC_RESERVE(o->p, o->cap, o->len + n) < 0) {
        o->oom = true;
        return false;
    }
    memcpy(o->p + o->len, b, n);
    o->len += n;
    return !o->cut;
}

static bool put1(out *o, unsigned char c)
{
    return put(o, &c, 1);
}

static bool flate(const unsigned char *in, size_t n, out *o)
{
    z_stream z = {0};
    if (inflateInit(&z) != Z_OK)
        return false;
    unsigned char buf[16384];
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)(n > (1u << 30) ? 1u << 30 : n);
    int rc = Z_OK;
    while (rc == Z_OK && !o->cut && !o->oom) {
        z.next_out = buf;
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        put(o, buf, sizeof buf - z.avail_out);
        if (rc == Z_BUF_ERROR && z.avail_in == 0)
            break;
    }
    inflateEnd(&z);
    return rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR || o->cut;
}

/* 7.4.2: pairs of hex digits, white space ignored, ">" the end; an odd
 * last digit is followed by 0. */
static bool ascii_hex(const unsigned char *in, size_t n, out *o)
{
    int hi = -1;
    for (size_t i = 0; i < n && !o->cut; i++) {
        if (sdc_pdf_space(in[i]))
            continue;
        if (in[i] == '>')
            break;
        int v = sdc_pdf_hex(in[i]);
        if (v < 0)
            return false;
        if (hi < 0) {
            hi = v;
        } else {
            put1(o, (unsigned char)(hi << 4 | v));
            hi = -1;
        }
    }
    if (hi >= 0)
        put1(o, (unsigned char)(hi << 4));
    return true;
}

/* 7.4.3: groups of five characters from ! to u, base 85, big-endian; z
 * for four zeros; a last group of k characters gives k - 1 bytes; "~>"
 * the end. */
static bool ascii85(const unsigned char *in, size_t n, out *o)
{
    uint32_t v = 0;
    int k = 0;
    for (size_t i = 0; i < n && !o->cut; i++) {
        unsigned char c = in[i];
        if (sdc_pdf_space(c))
            continue;
        if (c == '~')
            break;
        if (c == 'z' && k == 0) {
            put(o, (const unsigned char *)"\0\0\0\0", 4);
            continue;
        }
        if (c < '!' || c > 'u')
            return false;
        v = v * 85 + (uint32_t)(c - '!');
        if (++k == 5) {
            unsigned char b[4] = {v >> 24, v >> 16 & 0xFF, v >> 8 & 0xFF, v & 0xFF};
            put(o, b, 4);
            v = 0;
            k = 0;
        }
    }
    if (k == 1)
        return false;
    if (k > 1) {
        for (int j = k; j < 5; j++)
            v = v * 85 + 84;
        unsigned char b[4] = {v >> 24, v >> 16 & 0xFF, v >> 8 & 0xFF, v & 0xFF};
        put(o, b, (size_t)(k - 1));
    }
    return true;
}

/* 7.4.5: a length byte 0..127 copies the next length + 1 bytes, 129..255
 * repeats the next byte 257 - length times, 128 ends. */
static bool run_length(const unsigned char *in, size_t n, out *o)
{
    size_t i = 0;
    while (i < n && !o->cut) {
        unsigned char l = in[i++];
        if (l == 128)
            break;
        if (l < 128) {
            if (n - i < (size_t)l + 1)
                return false;
            put(o, in + i, (size_t)l + 1);
            i += (size_t)l + 1;
        } else {
            if (i >= n)
                return false;
            for (int r = 0; r < 257 - l; r++)
                put1(o, in[i]);
            i++;
        }
    }
    return true;
}

/* 7.4.4.2: codes of 9 to 12 bits, most significant bit first; 256 clears
 * the table, 257 ends; the code width grows when the next entry reaches
 * 2^width (one entry early when EarlyChange is 1). */
static bool lzw(const unsigned char *in, size_t n, int early, out *o)
{
    enum { CODES = 4096 };
    uint16_t *prefix = malloc(CODES * sizeof *prefix);
    unsigned char *suffix = malloc(CODES), *stack = malloc(CODES);
    uint16_t *length = malloc(CODES * sizeof *length);
    bool ok = prefix && suffix && stack && length;
    if (!ok)
        o->oom = true;
    for (int c = 0; ok && c < 256; c++) {
        prefix[c] = 0;
        suffix[c] = (unsigned char)c;
        length[c] = 1;
    }
    int next = 258, width = 9, prev = -1;
    uint32_t bits = 0;
    int nbits = 0;
    size_t i = 0;
    while (ok && !o->cut) {
        while (nbits < width && i < n) {
            bits = bits << 8 | in[i++];
            nbits += 8;
        }
        if (nbits < width)
            break; /* the data ends without EOD: what came out stands */
        int code = (int)(bits >> (nbits - width) & ((1u << width) - 1));
        nbits -= width;
        if (code == 256) {
            next = 258;
            width = 9;
            prev = -1;
            continue;
        }
        if (code == 257)
            break;
        if (code > next || (code == next && prev < 0)) {
            ok = false;
            break;
        }
        int first;
        if (code < next) {
            /* the entry, written from its last byte back */
            int len = length[code], c = code;
            for (int k = len - 1; k >= 0; k--) {
                stack[k] = suffix[c];
                c = prefix[c];
            }
            first = stack[0];
            put(o, stack, (size_t)len);
        } else { /* the entry being made: prev's string and its own first byte */
            int len = length[prev], c = prev;
            for (int k = len - 1; k >= 0; k--) {
                stack[k] = suffix[c];
                c = prefix[c];
            }
            first = stack[0];
            stack[len] = (unsigned char)first;
            put(o, stack, (size_t)len + 1);
        }
        if (prev >= 0 && next < CODES) {
            prefix[next] = (uint16_t)prev;
            suffix[next] = (unsigned char)first;
            length[next] = (uint16_t)(length[prev] + 1);
            next++;
        }
        prev = code;
        if (next + early >= (1 << width) && width < 12)
            width++;
    }
    free(prefix);
    free(suffix);
    free(stack);
    free(length);
    return ok;
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* 7.4.4.4: the predictor after FlateDecode or LZWDecode undone, row by
 * row, into O. */
static bool unpredict(const sdc_pdf_filter *f, const unsigned char *in, size_t n, out *o)
{
    if (f->predictor <= 1)
        return put(o, in, n), true;
    if (f->colors < 1 || f->colors > 32 || f->columns < 1 || f->columns > 1000000 ||
        (f->bits != 1 && f->bits != 2 && f->bits != 4 && f->bits != 8 && f->bits != 16))
        return false;
    size_t bpp = (size_t)f->colors * (size_t)f->bits / 8;
    if (bpp == 0)
        bpp = 1;
    size_t row = ((size_t)f->colors * (size_t)f->bits * (size_t)f->columns + 7) / 8;
    unsigned char *prev = calloc(row, 1), *cur = malloc(row);
    if (!prev || !cur) {
        free(prev);
        free(cur);
        o->oom = true;
        return false;
    }
    bool ok = true;
    if (f->predictor == 2) { /* TIFF: each byte from the one a pixel before */
        if (f->bits != 8)
            ok = false;
        for (size_t at = 0; ok && at < n && !o->cut; at += row) {
            size_t m = n - at < row ? n - at : row;
            for (size_t k = 0; k < m; k++)
                cur[k] = (unsigned char)(in[at + k] + (k >= bpp ? cur[k - bpp] : 0));
            put(o, cur, m);
        }
    } else if (f->predictor >= 10 && f->predictor <= 15) { /* PNG: a type byte a row */
        for (size_t at = 0; ok && at < n && !o->cut; at += row + 1) {
            unsigned type = in[at];
            size_t m = n - at - 1 < row ? n - at - 1 : row;
            const unsigned char *r = in + at + 1;
            for (size_t k = 0; k < m; k++) {
                int a = k >= bpp ? cur[k - bpp] : 0, b = prev[k], c = k >= bpp ? prev[k - bpp] : 0;
                int v = type == 0   ? r[k]
                        : type == 1 ? r[k] + a
                        : type == 2 ? r[k] + b
                        : type == 3 ? r[k] + (a + b) / 2
                        : type == 4 ? r[k] + paeth(a, b, c)
                                    : -1;
                if (v < 0) {
                    ok = false;
                    break;
                }
                cur[k] = (unsigned char)v;
            }
            if (ok)
                put(o, cur, m);
            memcpy(prev, cur, m);
        }
    } else {
        ok = false;
    }
    free(prev);
    free(cur);
    return ok;
}

bool sdc_pdf_unfilter(const sdc_pdf_filter *f, int n, const unsigned char *in, size_t len,
                      size_t max, unsigned char **result, size_t *result_len, bool *cut)
{
    *result = NULL;
    *result_len = 0;
    *cut = false;
    unsigned char *data = NULL; /* the last stage's output, owned */
    const unsigned char *at = in;
    size_t at_len = len;
    for (int k = 0; k < n; k++) {
        out o = {.max = max};
        bool ok;
        switch (f[k].kind) {
        case SDC_PDF_FLATE: ok = flate(at, at_len, &o); break;
        case SDC_PDF_ASCII_HEX: ok = ascii_hex(at, at_len, &o); break;
        case SDC_PDF_ASCII85: ok = ascii85(at, at_len, &o); break;
        case SDC_PDF_LZW: ok = lzw(at, at_len, f[k].early_change ? 1 : 0, &o); break;
        case SDC_PDF_RUN_LENGTH: ok = run_length(at, at_len, &o); break;
        default: ok = false;
        }
        if (ok && !o.oom && f[k].predictor > 1 &&
            (f[k].kind == SDC_PDF_FLATE || f[k].kind == SDC_PDF_LZW)) {
            out u = {.max = max};
            ok = unpredict(&f[k], o.p ? o.p : (unsigned char *)"", o.len, &u);
            u.cut |= o.cut;
            free(o.p);
            o = u;
        }
        free(data);
        data = o.p;
        *cut |= o.cut;
        if (!ok || o.oom) {
            free(data);
            *cut = false;
            return false;
        }
        at = data ? data : (const unsigned char *)"";
        at_len = o.len;
    }
    if (n == 0) {
        out o = {.max = max};
        put(&o, in, len);
        if (o.oom)
            return false;
        data = o.p;
        at_len = o.len;
        *cut = o.cut;
    }
    *result = data ? data : malloc(1);
    *result_len = at_len;
    return *result != NULL;
}
