/*
 * sniff.c - text or binary, encoding and delimiter from a file's head.
 *
 * Encodings: a BOM is believed; UTF-16 without a BOM shows as NULs in every
 * other byte; NULs and C0 control bytes elsewhere mean binary; text that is
 * not valid UTF-8 and has no valid multi-byte sequence is Windows-1252 (what
 * Excel and Stata write on Windows), while text that mixes valid and invalid
 * UTF-8 is damaged UTF-8 and is reported, not guessed at.
 *
 * Delimiters: for each candidate the fields per line (outside quotes) are
 * counted over the first lines; the candidate on which most lines agree, at
 * more than one field, wins. Ties go to the order , TAB ; | .
 */
#include <string.h>

#include "read/sniff.h"

const char *sdc_encoding_name(sdc_text_encoding e)
{
    switch (e) {
    case SDC_ENC_UTF8: return "utf-8";
    case SDC_ENC_UTF8_BOM: return "utf-8-bom";
    case SDC_ENC_UTF16LE: return "utf-16le";
    case SDC_ENC_UTF16BE: return "utf-16be";
    case SDC_ENC_CP1252: return "windows-1252";
    case SDC_ENC_UTF8_INVALID: return "utf-8 (invalid sequences)";
    case SDC_ENC_BINARY: return "binary";
    }
    return "binary";
}

/* Length of the valid UTF-8 sequence at P (Unicode 15, table 3-7), 0 if
 * invalid, -1 if cut short by the end of the buffer. */
static int utf8_sequence(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0];
    int n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    for (int i = 1; i < n; i++) {
        if ((size_t)i >= avail)
            return -1;
        unsigned char b = p[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
            return 0;
    }
    return n;
}

int sdc_utf8_sequence(const unsigned char *p, size_t avail)
{
    return utf8_sequence(p, avail);
}

static bool is_control(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F;
}

sdc_text_encoding sdc_encoding_sniff(const unsigned char *h, size_t len, bool at_eof)
{
    if (len >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
        return SDC_ENC_UTF8_BOM;
    if (len >= 2 && h[0] == 0xFF && h[1] == 0xFE)
        return SDC_ENC_UTF16LE;
    if (len >= 2 && h[0] == 0xFE && h[1] == 0xFF)
        return SDC_ENC_UTF16BE;

    size_t look = len < 8192 ? len : 8192;
    size_t nul_even = 0, nul_odd = 0, controls = 0;
    for (size_t i = 0; i < look; i++) {
        if (h[i] == 0)
            (i & 1) ? nul_odd++ : nul_even++;
        else if (is_control(h[i]))
            controls++;
    }
    size_t pairs = look / 2;
    if (pairs >= 2 && nul_odd * 10 >= pairs * 7 && nul_even * 10 < pairs)
        return SDC_ENC_UTF16LE;
    if (pairs >= 2 && nul_even * 10 >= pairs * 7 && nul_odd * 10 < pairs)
        return SDC_ENC_UTF16BE;
    /* A stray NUL or two is a damaged text file (reported by the reader);
     * more than 5% NULs and control bytes is binary (random bytes have
     * about 10%, text next to none). */
    if ((nul_even + nul_odd + controls) * 20 > look)
        return SDC_ENC_BINARY;

    size_t valid_multi = 0, invalid = 0;
    for (size_t i = 0; i < look;) {
        int n = utf8_sequence(h + i, look - i);
        if (n < 0) {
            if (at_eof && look == len)
                invalid++;
            break;
        }
        if (n == 0) {
            invalid++;
            i++;
            continue;
        }
        if (n > 1)
            valid_multi++;
        i += (size_t)n;
    }
    if (invalid == 0)
        return SDC_ENC_UTF8;
    if (valid_multi == 0)
        return SDC_ENC_CP1252;
    return SDC_ENC_UTF8_INVALID;
}

#define SNIFF_MAX_LINES 50

static const char candidates[] = {',', '\t', ';', '|'};
#define NCAND (sizeof candidates)

/* Is TEXT[0..len) a number written with a decimal comma, like 12,5? */
static bool looks_decimal_comma(const char *s, size_t len)
{
    size_t i = 0, before = 0, after = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, before++;
    if (i >= len || s[i] != ',' || before == 0)
        return false;
    i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, after++;
    return i == len && after > 0;
}

sdc_delim_guess sdc_delimiter_sniff(const char *text, size_t len)
{
    size_t counts[NCAND][SNIFF_MAX_LINES];
    size_t nlines = 0;
    size_t cur[NCAND] = {0};
    bool quoted = false;
    size_t i = 0;
    for (; i < len && nlines < SNIFF_MAX_LINES; i++) {
        char c = text[i];
        if (c == '"') {
            quoted = !quoted;
            continue;
        }
        if (quoted)
            continue;
        if (c == '\n') {
            for (size_t k = 0; k < NCAND; k++) {
                counts[k][nlines] = cur[k];
                cur[k] = 0;
            }
            nlines++;
            continue;
        }
        for (size_t k = 0; k < NCAND; k++)
            if (c == candidates[k])
                cur[k]++;
    }
    /* A last line without a newline counts when the text ends there. */
    if (i == len && nlines < SNIFF_MAX_LINES && len > 0 && text[len - 1] != '\n' && !quoted) {
        for (size_t k = 0; k < NCAND; k++)
            counts[k][nlines] = cur[k];
        nlines++;
    }

    sdc_delim_guess best = {.delimiter = ',', .fields = 1, .lines = nlines, .agreeing = nlines};
    size_t best_agree = 0, best_mode = 0;
    for (size_t k = 0; k < NCAND; k++) {
        /* Mode of the per-line counts (ignoring blank-looking zero lines). */
        size_t mode = 0, mode_n = 0;
        for (size_t a = 0; a < nlines; a++) {
            if (counts[k][a] == 0)
                continue;
            size_t same = 0;
            for (size_t b = 0; b < nlines; b++)
                same += counts[k][b] == counts[k][a];
            if (same > mode_n || (same == mode_n && counts[k][a] > mode)) {
                mode = counts[k][a];
                mode_n = same;
            }
        }
        if (mode == 0)
            continue;
        if (mode_n > best_agree || (mode_n == best_agree && mode > best_mode)) {
            best_agree = mode_n;
            best_mode = mode;
            best.delimiter = candidates[k];
            best.fields = mode + 1;
            best.agreeing = mode_n;
        }
    }

    if (best.delimiter == ';') {
        /* Semicolon files come from locales whose decimal mark is a comma. */
        size_t start = 0;
        for (size_t p = 0; p <= len && p < i + 1; p++) {
            if (p == len || text[p] == ';' || text[p] == '\n' || text[p] == '\r') {
                const char *f = text + start;
                size_t flen = p - start;
                if (flen >= 2 && f[0] == '"' && f[flen - 1] == '"') {
                    f++;
                    flen -= 2;
                }
                if (looks_decimal_comma(f, flen)) {
                    best.decimal_comma = true;
                    break;
                }
                start = p + 1;
            }
        }
    }
    return best;
}

bool sdc_delim_guess_is_table(const sdc_delim_guess *g)
{
    return g->fields >= 2 && g->lines >= 2 && g->agreeing * 5 >= g->lines * 4;
}
