/*
 * decode_bytes.c - bytes written as code: lists of byte values, escaped
 * byte strings, long integer literals.
 *
 * Lists: tokens of decimal 0-255, 0x-prefixed hex (0x80, as R's
 * as.raw(c(0x80, ...)) and C arrays write them) or bare hex pairs
 * ("80 04 95", as od and spaced hex dumps write them), separated by
 * commas, spaces, line ends and brackets only. Two-digit tokens read both
 * as decimal and as hex until a token decides.
 *
 * Escaped strings: \xHH, \NNN octal (C, printf, Python), \u00HH (JSON
 * strings of Latin-1 text) and the single-letter escapes, with the
 * literal characters between them; a Python b'...' literal counts from its
 * quote. Strings split by quotes, '+' or line ends join (Python's implicit
 * concatenation).
 *
 * Decimal integers of 100 digits or more (int.from_bytes written out) are
 * turned into bytes, both byte orders tried.
 *
 * All of these are assembled: only a file of a known kind counts.
 */
#include <stdlib.h>
#include <string.h>

#include "classify/decode_internal.h"

/* --- lists --- */

static bool list_sep(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ';' || c == '[' ||
           c == ']' || c == '(' || c == ')' || c == '{' || c == '}';
}

static bool tok_char(unsigned char c)
{
    return dec_hex_value(c) >= 0 || c == 'x' || c == 'X';
}

static void list_end(sdc_decode_scan *s, list_state *st)
{
    if (!st->in_list)
        return;
    /* The reading that lasted; decimal first when both did. */
    dec_out *keep = st->dec_ok ? &st->dec : &st->hex;
    st->meta.encoding = keep == &st->dec ? "byte list" : "hex byte list";
    dec_out_end(s, keep, &st->meta, DEC_TEXT_NO);
    dec_out_reset(&st->dec);
    dec_out_reset(&st->hex);
    st->in_list = false;
}

static void list_start(list_state *st)
{
    st->in_list = true;
    st->dec_ok = st->hex_ok = true;
    st->meta = (dec_meta){.line = st->line, .assembled = true};
    dec_out_reset(&st->dec);
    dec_out_reset(&st->hex);
}

static void list_add(dec_out *o, unsigned v)
{
    dec_out_byte(o, (unsigned char)v);
    if (dec_out_head_full(o))
        dec_out_decide(o, false, DEC_TEXT_NO, false);
}

/* What a token is: a byte in decimal (DEC), in hex (HEX, up to 4 bytes in
 * HEXV). Returns false when it is no byte value at all. */
static bool token_value(const char *t, size_t n, int *dec, int *hex, unsigned char *hexv_out,
                        size_t *nhex)
{
    *dec = -1;
    *nhex = 0;
    *hex = 0;
    if (n >= 3 && n <= 4 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        int v = 0;
        for (size_t i = 2; i < n; i++) {
            if (dec_hex_value((unsigned char)t[i]) < 0)
                return false;
            v = v * 16 + dec_hex_value((unsigned char)t[i]);
        }
        *dec = v; /* explicit hex is a byte in either reading */
        hexv_out[0] = (unsigned char)v;
        *nhex = 1;
        *hex = 1;
        return true;
    }
    bool digits = true;
    for (size_t i = 0; i < n; i++) {
        if (dec_hex_value((unsigned char)t[i]) < 0)
            return false;
        digits &= t[i] >= '0' && t[i] <= '9';
    }
    if (digits && n <= 3) {
        int v = atoi(t);
        if (v <= 255)
            *dec = v;
    }
    if (n % 2 == 0 && n <= 8) {
        for (size_t i = 0; i < n; i += 2)
            hexv_out[(*nhex)++] = (unsigned char)(dec_hex_value((unsigned char)t[i]) << 4 |
                                                  dec_hex_value((unsigned char)t[i + 1]));
        *hex = 1;
    }
    return *dec >= 0 || *hex;
}

static void token_end(sdc_decode_scan *s, list_state *st)
{
    if (st->tok_len == 0 && !st->tok_long)
        return;
    int dec, hex;
    unsigned char hb[4];
    size_t nh;
    bool ok = !st->tok_long && token_value(st->tok, st->tok_len, &dec, &hex, hb, &nh);
    st->tok_len = 0;
    st->tok_long = false;
    st->sep = 0;
    if (!ok) {
        list_end(s, st);
        return;
    }
    if (st->in_list && !((st->dec_ok && dec >= 0) || (st->hex_ok && hex)))
        list_end(s, st);
    if (!st->in_list)
        list_start(st);
    st->dec_ok &= dec >= 0;
    st->hex_ok &= hex != 0;
    if (st->dec_ok)
        list_add(&st->dec, (unsigned)dec);
    if (st->hex_ok)
        for (size_t i = 0; i < nh; i++)
            list_add(&st->hex, hb[i]);
}

void dec_list_feed(sdc_decode_scan *s, list_state *st, const unsigned char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = t[i];
        if (c == '\n')
            st->line++;
        if (tok_char(c)) {
            if (st->tok_len < sizeof st->tok - 1) {
                st->tok[st->tok_len++] = (char)c;
                st->tok[st->tok_len] = '\0';
            } else {
                st->tok_long = true;
            }
            continue;
        }
        token_end(s, st);
        if (list_sep(c)) {
            if (++st->sep > DEC_GAP_MAX)
                list_end(s, st);
        } else {
            list_end(s, st);
        }
    }
}

void dec_list_finish(sdc_decode_scan *s, list_state *st)
{
    token_end(s, st);
    list_end(s, st);
}

/* --- escaped byte strings --- */

enum { P_NONE, P_BACKSLASH, P_HEX, P_OCT, P_UNI };

static void esc_byte(esc_state *st, unsigned v)
{
    dec_out_byte(&st->out, (unsigned char)v);
    if (dec_out_head_full(&st->out))
        dec_out_decide(&st->out, false, DEC_TEXT_NO, false);
}

static void esc_end(sdc_decode_scan *s, esc_state *st)
{
    if (st->where != ESC_OUT && st->escapes > 0) {
        st->meta.encoding = "escaped bytes";
        dec_out_end(s, &st->out, &st->meta, DEC_TEXT_NO);
    }
    dec_out_reset(&st->out);
    st->where = ESC_OUT;
    st->pending = P_NONE;
}

static void esc_start(esc_state *st)
{
    st->where = ESC_STR;
    st->escapes = 0;
    st->quote = 0;
    st->meta = (dec_meta){.line = st->line, .assembled = true};
    dec_out_reset(&st->out);
}

static unsigned single(unsigned char c)
{
    switch (c) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'a': return 7;
    case 'b': return 8;
    case 'f': return 12;
    case 'v': return 11;
    default: return c;
    }
}

/* Inside an escape: returns true when C was taken by it. */
static bool esc_pending(sdc_decode_scan *s, esc_state *st, unsigned char c)
{
    int want = st->pending == P_HEX ? 2 : st->pending == P_UNI ? 4 : 3;
    int v = st->pending == P_OCT ? (c >= '0' && c <= '7' ? c - '0' : -1) : dec_hex_value(c);
    if (v >= 0 && st->digits < want) {
        st->value = st->value * (st->pending == P_OCT ? 8 : 16) + (unsigned)v;
        if (++st->digits < want)
            return true;
        c = 0; /* complete: nothing left over */
    }
    int kind = st->pending;
    st->pending = P_NONE;
    if (st->digits == 0 || (kind == P_UNI && st->digits < 4)) {
        esc_end(s, st); /* "\x" without digits: not a byte string */
        return true;
    }
    if (kind == P_UNI && st->value > 0xFF) {
        esc_end(s, st); /* a character beyond Latin-1: text, not bytes */
        return true;
    }
    esc_byte(st, st->value);
    st->escapes++;
    return c == 0;
}

static void esc_in_string(sdc_decode_scan *s, esc_state *st, unsigned char c)
{
    if (st->pending == P_BACKSLASH) {
        st->pending = P_NONE;
        st->value = 0;
        st->digits = 0;
        if (c == 'x')
            st->pending = P_HEX;
        else if (c == 'u')
            st->pending = P_UNI;
        else if (c >= '0' && c <= '7') {
            st->pending = P_OCT;
            st->value = (unsigned)(c - '0');
            st->digits = 1;
        } else if (c == '\n') {
            return; /* a line continued */
        } else {
            esc_byte(st, single(c));
            st->escapes++;
        }
        return;
    }
    if (c == '\\') {
        st->pending = P_BACKSLASH;
        return;
    }
    /* b"it's": only the quote that opened the string closes it */
    if ((c == '"' || c == '\'') && (!st->quote || c == st->quote)) {
        st->quote = c;
        st->where = ESC_GAP;
        st->gap = 0;
        return;
    }
    if (c == '\n') {
        esc_end(s, st);
        return;
    }
    esc_byte(st, c);
}

static void esc_one(sdc_decode_scan *s, esc_state *st, unsigned char c)
{
    if (st->pending > P_BACKSLASH && esc_pending(s, st, c))
        return;
    if (st->where == ESC_STR) {
        esc_in_string(s, st, c);
        return;
    }
    if (st->where == ESC_GAP) {
        if (c == '"' || c == '\'') {
            st->quote = c;
            st->where = ESC_STR;
            return;
        }
        bool gap = c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '+' || c == 'b' ||
                   c == 'B' || c == '\\' || c == '(' || c == ')' || c == ',';
        if (!gap || ++st->gap > DEC_GAP_MAX)
            esc_end(s, st);
        return;
    }
    /* Outside: a \x, \u or octal escape, or b' after a non-word character. */
    if (st->prev == '\\' && (c == 'x' || c == 'u' || (c >= '0' && c <= '7'))) {
        esc_start(st);
        st->pending = P_BACKSLASH;
        esc_in_string(s, st, c);
    } else if ((c == '\'' || c == '"') && (st->prev == 'b' || st->prev == 'B') &&
               !(st->prev2 == '_' || ((st->prev2 | 0x20) >= 'a' && (st->prev2 | 0x20) <= 'z')) &&
               !(st->prev2 >= '0' && st->prev2 <= '9')) {
        esc_start(st);
        st->quote = c;
    }
}

void dec_esc_feed(sdc_decode_scan *s, esc_state *st, const unsigned char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* Outside, nothing begins but at a backslash or a quote (and at
         * the character after a backslash): up to the next of them, only
         * lines and the last two characters are kept. */
        if (st->where == ESC_OUT && st->pending == P_NONE && st->prev != '\\') {
            size_t k = i, lines = 0;
            while (k < n && t[k] != '\\' && t[k] != '\'' && t[k] != '"')
                lines += t[k++] == '\n';
            if (k > i) {
                st->line += (long)lines;
                st->prev2 = k - i >= 2 ? t[k - 2] : st->prev;
                st->prev = t[k - 1];
                if ((i = k) == n)
                    break;
            }
        }
        unsigned char c = t[i];
        if (c == '\n')
            st->line++;
        bool outside = st->where == ESC_OUT;
        esc_one(s, st, c);
        if (outside) {
            st->prev2 = st->prev;
            st->prev = c;
        } else {
            st->prev2 = st->prev = 0;
        }
    }
}

void dec_esc_finish(sdc_decode_scan *s, esc_state *st)
{
    if (st->pending > P_BACKSLASH)
        esc_pending(s, st, 0);
    esc_end(s, st);
}

/* --- decimal integers --- */

#define INT_MIN_DIGITS 100

/* The digits as a big-endian number, in bytes; returns the count. */
static size_t to_bytes(const char *d, size_t n, unsigned char *out, size_t cap)
{
    /* Limbs of 32 bits, least significant first: n*log2(10)/32 + 1. */
    size_t nl = n * 34 / 320 + 2, used = 1;
    unsigned *l = calloc(nl, sizeof *l);
    if (!l)
        return 0;
    for (size_t i = 0; i < n; i += 9) {
        unsigned mul = 1, add = 0;
        for (size_t j = i; j < n && j < i + 9; j++) {
            mul *= 10;
            add = add * 10 + (unsigned)(d[j] - '0');
        }
        unsigned long long carry = add;
        for (size_t k = 0; k < used; k++) {
            unsigned long long v = (unsigned long long)l[k] * mul + carry;
            l[k] = (unsigned)v;
            carry = v >> 32;
        }
        if (carry && used < nl)
            l[used++] = (unsigned)carry;
    }
    size_t len = 0;
    bool started = false;
    for (size_t k = used; k-- > 0;)
        for (int b = 3; b >= 0; b--) {
            unsigned char byte = (unsigned char)(l[k] >> (8 * b));
            if (!started && byte == 0)
                continue;
            started = true;
            if (len < cap)
                out[len++] = byte;
        }
    free(l);
    return len;
}

static void int_end(sdc_decode_scan *s, int_state *st)
{
    size_t n = st->len;
    st->len = 0;
    if (n < INT_MIN_DIGITS && !st->too_long)
        return;
    dec_meta m = {
        .encoding = "decimal integer", .line = st->run_line, .encoded = n, .assembled = true};
    if (st->too_long) {
        st->too_long = false;
        dec_unexplained(s, &m);
        return;
    }
    size_t cap = n / 2 + 8;
    unsigned char *b = malloc(cap);
    if (!b) {
        s->failed = true;
        return;
    }
    size_t len = to_bytes(st->digits, n, b, cap);
    for (int order = 0; order < 2; order++) {
        dec_out o = {0};
        for (size_t i = 0; i < len; i++)
            dec_out_byte(&o, b[order ? len - 1 - i : i]);
        m.encoding = order ? "decimal integer (little-endian)" : "decimal integer";
        dec_out_decide(&o, true, DEC_TEXT_NO, false);
        if (o.mode == DEC_KEEP) {
            dec_out_end(s, &o, &m, DEC_TEXT_NO);
            dec_out_free(&o);
            break;
        }
        dec_out_free(&o);
    }
    free(b);
}

void dec_int_feed(sdc_decode_scan *s, int_state *st, const unsigned char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = t[i];
        if (c >= '0' && c <= '9' && (st->len || st->too_long || st->boundary)) {
            if (st->len == 0)
                st->run_line = st->line;
            if (st->len < SDC_DECODE_DIGITS_MAX) {
                if (!st->digits && !(st->digits = malloc(SDC_DECODE_DIGITS_MAX))) {
                    s->failed = true;
                    return;
                }
                st->digits[st->len++] = (char)c;
            } else {
                st->too_long = true;
            }
            continue;
        }
        bool word = c == '_' || c == '.' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                    (c >= '0' && c <= '9');
        if (st->len || st->too_long) {
            if (word) { /* 123abc, 1.5e300: not an integer literal */
                st->len = 0;
                st->too_long = false;
            } else {
                int_end(s, st);
            }
        }
        st->boundary = !word;
        if (c == '\n')
            st->line++;
    }
}

void dec_int_finish(sdc_decode_scan *s, int_state *st)
{
    int_end(s, st);
}
