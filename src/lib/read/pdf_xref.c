/*
 * pdf_xref.c - a PDF's cross-reference table checked against its objects.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "read/pdf_lex.h"
#include "read/pdf_xref.h"

/* A non-negative integer at *I; false when there is none. */
static bool number(const unsigned char *p, size_t n, size_t *i, unsigned long long *v)
{
    size_t k = *i;
    *v = 0;
    while (k < n && p[k] >= '0' && p[k] <= '9' && k - *i < 19)
        *v = *v * 10 + (unsigned)(p[k++] - '0');
    if (k == *i)
        return false;
    *i = k;
    return true;
}

/* Does "NUM GEN obj" start at AT? */
static bool object_at(const unsigned char *p, size_t n, unsigned long long at,
                      unsigned long long num, unsigned long long gen)
{
    if (at >= n)
        return false;
    size_t i = (size_t)at;
    unsigned long long a, b;
    if (!number(p, n, &i, &a) || a != num)
        return false;
    i = sdc_pdf_skip_space(p, n, i);
    if (!number(p, n, &i, &b) || b != gen)
        return false;
    i = sdc_pdf_skip_space(p, n, i);
    return i + 3 <= n && memcmp(p + i, "obj", 3) == 0;
}

/* The first byte in P[from..to) that starts no PDF token (names,
 * numbers, keywords true/false/null/R, strings, hex strings, arrays,
 * dictionaries: ISO 32000-1, 7.2-7.3), or 0 when there is none. */
static size_t bad_token(const unsigned char *p, size_t from, size_t to)
{
    size_t i = from;
    while (i < to) {
        unsigned char c = p[i];
        if (sdc_pdf_space(c)) {
            i++;
        } else if (c == '<' && i + 1 < to && p[i + 1] == '<') {
            i += 2;
        } else if (c == '>' && i + 1 < to && p[i + 1] == '>') {
            i += 2;
        } else if (c == '[' || c == ']') {
            i++;
        } else if (c == '<') { /* hex string */
            for (i++; i < to && p[i] != '>'; i++)
                if (!sdc_pdf_space(p[i]) && sdc_pdf_hex(p[i]) < 0)
                    return i;
            i++;
        } else if (c == '(') { /* literal string, balanced parentheses */
            int depth = 1;
            for (i++; i < to && depth; i++) {
                if (p[i] == '\\')
                    i++;
                else
                    depth += p[i] == '(' ? 1 : p[i] == ')' ? -1 : 0;
            }
        } else if (c == '/') {
            for (i++; i < to && !sdc_pdf_space(p[i]) && !sdc_pdf_delimiter(p[i]); i++)
                if (p[i] < 0x21 || p[i] > 0x7E)
                    return i;
        } else if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
            for (i++; i < to && ((p[i] >= '0' && p[i] <= '9') || p[i] == '.'); i++)
                ;
        } else {
            static const char *const words[] = {"true", "false", "null", "R"};
            size_t k = 0;
            while (i + k < to && !sdc_pdf_space(p[i + k]) && !sdc_pdf_delimiter(p[i + k]))
                k++;
            bool ok = false;
            for (size_t w = 0; w < 4 && !ok; w++)
                ok = k == strlen(words[w]) && memcmp(p + i, words[w], k) == 0;
            if (!ok)
                return i;
            i += k;
        }
    }
    return 0;
}

/* The offset after the last "startxref"; STRICT: followed by %%EOF, as
 * 7.5.5 asks (a reader finds the offset without it). */
static bool startxref(const unsigned char *p, size_t n, unsigned long long *at, bool strict)
{
    size_t from = n > 2048 ? n - 2048 : 0;
    const unsigned char *last = NULL;
    for (const unsigned char *q = p + from;
         (q = memmem(q, (size_t)(p + n - q), "startxref", 9)) != NULL; q += 9)
        last = q;
    if (!last)
        return false;
    size_t i = sdc_pdf_skip_space(p, n, (size_t)(last - p) + 9);
    if (!number(p, n, &i, at))
        return false;
    if (!strict)
        return true;
    /* startxref, its offset, %%EOF: nothing between (7.5.5) */
    i = sdc_pdf_skip_space(p, n, i);
    return i + 5 <= n && memcmp(p + i, "%%EOF", 5) == 0;
}

/* The number after KEY in the trailer at P[END..LIM), before its
 * startxref, into *V; false when there is none. */
static bool trailer_number(const unsigned char *p, size_t n, size_t end, size_t lim,
                           const char *key, unsigned long long *v)
{
    size_t klen = strlen(key);
    const unsigned char *at = memmem(p + end, lim - end, key, klen);
    const unsigned char *close = memmem(p + end, lim - end, "startxref", 9);
    if (!at || (close && at > close))
        return false;
    size_t k = sdc_pdf_skip_space(p, n, (size_t)(at - p) + klen);
    return number(p, n, &k, v);
}

/* Checks one table at AT; sets *PREV to its trailer's /Prev (0 if none).
 * With FN, each in-use entry is passed to it instead of checked. Returns
 * 0, 1 (WHY set) or 2 (not a table: a stream). */
static int table(const unsigned char *p, size_t n, unsigned long long at, unsigned long long *prev,
                 char *why, size_t why_size, sdc_pdf_xref_fn fn, sdc_pdf_xref_stream_fn stream,
                 void *ctx)
{
    *prev = 0;
    if (at + 4 > n || memcmp(p + at, "xref", 4) != 0) {
        /* "N G obj << /Type /XRef ...": a cross-reference stream (7.5.8) */
        unsigned long long num, gen;
        size_t i = (size_t)at;
        if (at < n && number(p, n, &i, &num) &&
            (i = sdc_pdf_skip_space(p, n, i), number(p, n, &i, &gen)) &&
            object_at(p, n, at, num, gen)) {
            size_t look = n - i < 1024 ? n - i : 1024;
            if (memmem(p + i, look, "/XRef", 5))
                return 2;
        }
        snprintf(why, why_size, "its startxref (%llu) points at no cross-reference table", at);
        return 1;
    }
    size_t i = sdc_pdf_skip_space(p, n, (size_t)at + 4);
    unsigned long long first, count;
    while (i < n && number(p, n, &i, &first)) {
        i = sdc_pdf_skip_space(p, n, i);
        if (!number(p, n, &i, &count))
            break;
        for (unsigned long long k = 0; k < count; k++) {
            i = sdc_pdf_skip_space(p, n, i);
            if (i + 18 > n) {
                snprintf(why, why_size, "its cross-reference table is cut short");
                return 1;
            }
            unsigned long long off, gen;
            size_t j = i;
            if (!number(p, n, &j, &off)) {
                snprintf(why, why_size, "its cross-reference table is damaged");
                return 1;
            }
            j = sdc_pdf_skip_space(p, n, j);
            if (!number(p, n, &j, &gen)) {
                snprintf(why, why_size, "its cross-reference table is damaged");
                return 1;
            }
            j = sdc_pdf_skip_space(p, n, j);
            if (fn && j < n && p[j] == 'n')
                fn(ctx, first + k, gen, off);
            else if (j < n && p[j] == 'n' && !object_at(p, n, off, first + k, gen)) {
                snprintf(why, why_size,
                         "object %llu is not at byte %llu, where its cross-reference table "
                         "says it is",
                         first + k, off);
                return 1;
            }
            i = j + 1;
        }
        i = sdc_pdf_skip_space(p, n, i);
    }
    /* The subsections end where the trailer starts (7.5.5). */
    i = sdc_pdf_skip_space(p, n, i);
    if (i + 7 > n || memcmp(p + i, "trailer", 7) != 0) {
        snprintf(why, why_size, "its cross-reference table is damaged at byte %zu", i);
        return 1;
    }
    const unsigned char *tr = p + i;
    /* The trailer's dictionary is PDF tokens (7.2, 7.3); anything else
     * there explains nothing. */
    const unsigned char *sx = memmem(tr, n - i, "startxref", 9);
    if (sx) {
        size_t bad = bad_token(p, (size_t)(tr - p) + 7, (size_t)(sx - p));
        if (bad) {
            snprintf(why, why_size, "its trailer holds what no PDF token is (byte %zu)", bad);
            return 1;
        }
    }
    {
        size_t end = (size_t)(tr - p) + 7, lim = end + 4096 < n ? end + 4096 : n;
        trailer_number(p, n, end, lim, "/Prev", prev);
        /* a hybrid file's stream, which a reader of streams reads too */
        unsigned long long sat, sprev;
        if (fn && stream && trailer_number(p, n, end, lim, "/XRefStm", &sat))
            stream(ctx, sat, &sprev);
    }
    return 0;
}

/* The chain of tables from the last startxref, each checked (FN NULL) or
 * its in-use entries passed to FN. */
static int chain(const unsigned char *pdf, size_t len, char *why, size_t why_size,
                 sdc_pdf_xref_fn fn, sdc_pdf_xref_stream_fn stream, void *ctx)
{
    /* A reader goes on past a header it does not expect, and finds the
     * tables without %%EOF: the entries are listed as it reads them. */
    if (!fn && (len < 8 || memcmp(pdf, "%PDF-", 5) != 0 || pdf[5] < '1' || pdf[5] > '2' ||
                pdf[6] != '.' || pdf[7] < '0' || pdf[7] > '9')) {
        snprintf(why, why_size, "its header is not %%PDF- and a version");
        return 1;
    }
    unsigned long long at;
    if (!startxref(pdf, len, &at, !fn)) {
        snprintf(why, why_size, "it does not end with startxref, an offset and %%%%EOF");
        return 1;
    }
    for (int k = 0; k < 64 && at; k++) {
        unsigned long long prev;
        int rc = table(pdf, len, at, &prev, why, why_size, fn, stream, ctx);
        if (rc == 2 && fn && stream && stream(ctx, at, &prev))
            rc = 0;
        if (rc)
            return rc;
        if (prev == at)
            break;
        at = prev;
    }
    return 0;
}

int sdc_pdf_xref_check(const unsigned char *pdf, size_t len, char *why, size_t why_size)
{
    return chain(pdf, len, why, why_size, NULL, NULL, NULL);
}

void sdc_pdf_xref_entries(const unsigned char *pdf, size_t len, sdc_pdf_xref_fn fn,
                          sdc_pdf_xref_stream_fn stream, void *ctx)
{
    char why[160];
    chain(pdf, len, why, sizeof why, fn, stream, ctx);
}
