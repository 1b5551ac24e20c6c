/*
 * decode_text.c - ascii85, base85 and Z85 runs; uuencode; quoted-printable.
 *
 * Base 85: a run of printable characters (no space, quote or backslash)
 * of DEC_WRAP_MIN or more that base64 does not explain (it holds a
 * character outside the base64 alphabets), wrapped at line ends, read in
 * three alphabets: Adobe's ascii85 ('!'..'u', 'z' for four zero bytes,
 * optionally inside "<~ ~>"; PostScript Language Reference, section
 * 3.13.3), RFC 1924's (Python's base64.b85encode, git) and ZeroMQ's Z85
 * (RFC 32/Z85). Groups of five characters are four big-endian bytes; a
 * last group of k characters is padded with the highest digit and gives
 * k-1 bytes.
 *
 * uuencode (POSIX uuencode): "begin MODE NAME" (or lines that look like
 * its 61-character 'M' lines), then lines of a length character (32 +
 * bytes) and groups of four characters (32 + six bits, '`' for zero).
 *
 * Quoted-printable (RFC 2045 section 6.7): "=XX" is a byte, "=" at a line
 * end is a soft break, other characters are themselves. It starts at the
 * first escape and ends at a line with neither.
 *
 * Only a file of a known kind counts for any of these.
 */
#include <string.h>

#include "classify/decode_internal.h"

static const char b85_alphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
static const char z85_alphabet[] =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

void dec_b85_init(b85_state *st)
{
    memset(st->rev, -1, sizeof st->rev);
    for (int i = 0; i < 85; i++) {
        st->rev[0][(unsigned char)b85_alphabet[i]] = (signed char)i;
        st->rev[1][(unsigned char)z85_alphabet[i]] = (signed char)i;
    }
}

static bool base64_letter(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '-' || c == '_' || c == '=';
}

static bool run_char(unsigned char c)
{
    return c > ' ' && c < 0x7F && c != '"' && c != '\'' && c != '\\';
}

static void group_out(b85_state *st, int k, int chars)
{
    unsigned long v = st->acc[k];
    for (int i = 0; i < chars - 1; i++)
        dec_out_byte(&st->out[k], (unsigned char)(v >> (24 - 8 * i)));
    st->acc[k] = 0;
    st->n[k] = 0;
    if (dec_out_head_full(&st->out[k]))
        dec_out_decide(&st->out[k], false, DEC_TEXT_YES, false);
}

static void b85_digit(b85_state *st, int k, unsigned char c)
{
    if (!st->ok[k])
        return;
    int v;
    if (k == 0) {
        if ((c == 'z' || c == 'y') && st->n[0] == 0) { /* four zeros; btoa's four spaces */
            for (int i = 0; i < 4; i++)
                dec_out_byte(&st->out[0], c == 'z' ? 0 : ' ');
            return;
        }
        v = c >= '!' && c <= 'u' ? c - '!' : -1;
    } else {
        v = st->rev[k - 1][c];
    }
    if (v < 0) {
        st->ok[k] = false;
        return;
    }
    unsigned long long a = (unsigned long long)st->acc[k] * 85 + (unsigned)v;
    if (a > 0xFFFFFFFFull) {
        st->ok[k] = false;
        return;
    }
    st->acc[k] = (unsigned long)a;
    if (++st->n[k] == 5)
        group_out(st, k, 5);
}

static void b85_reset(b85_state *st)
{
    for (int k = 0; k < 3; k++) {
        dec_out_reset(&st->out[k]);
        st->ok[k] = true;
        st->acc[k] = 0;
        st->n[k] = 0;
    }
    st->pend_from = 0;
    st->run = st->segment = 0;
    st->non_b64 = st->adobe = st->tilde = false;
}

static void b85_end(sdc_decode_scan *s, b85_state *st)
{
    static const char *const names[] = {"ascii85", "base85", "z85"};
    if (st->run >= DEC_WRAP_MIN && (st->non_b64 || st->adobe)) {
        for (int k = 0; k < 3; k++) {
            if (!st->ok[k])
                continue;
            if (st->n[k] > 1) { /* a short last group */
                int m = st->n[k];
                for (int pad = m; pad < 5 && st->ok[k]; pad++)
                    b85_digit(st, k, k == 0 ? 'u' : k == 1 ? '~' : '#');
                if (!st->ok[k])
                    continue;
                /* b85_digit wrote the padded group: drop the padding bytes */
                size_t extra = (size_t)(5 - m);
                dec_out *o = &st->out[k];
                if (o->mode != DEC_COUNT && o->len >= extra && o->total >= extra) {
                    o->len -= extra;
                    o->total -= extra;
                }
            }
            dec_out_decide(&st->out[k], true, DEC_TEXT_YES, false);
            if (st->out[k].mode == DEC_KEEP) {
                dec_meta m = {.encoding = names[k],
                              .line = st->run_line,
                              .encoded = st->run,
                              .assembled = true};
                dec_out_end(s, &st->out[k], &m, DEC_TEXT_YES);
                break;
            }
        }
    }
    b85_reset(st);
}

void dec_b85_feed(sdc_decode_scan *s, b85_state *st, const unsigned char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = t[i];
        if (c == '\n')
            st->line++;
        /* Inside <~ ~> every character '!'..'u' is a digit (quotes and
         * backslash too) and white space is ignored (PLRM 3.13.3). */
        bool adobe_digit = st->adobe && c >= '!' && c <= 'z';
        if (st->adobe && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
            continue;
        if (!run_char(c) && !adobe_digit) {
            if (st->run && st->segment >= DEC_WRAP_MIN && (c == '\n' || c == '\r')) {
                st->segment = c == '\n' ? 0 : st->segment; /* wrapped */
                continue;
            }
            if (st->run)
                b85_end(s, st);
            continue;
        }
        if (st->run == 0)
            st->run_line = st->line;
        if (st->adobe && st->tilde) {
            st->tilde = false;
            if (c == '>') { /* "~>" ends it */
                b85_end(s, st);
                continue;
            }
        }
        if (st->adobe && c == '~') {
            st->tilde = true;
            continue;
        }
        if (st->run == 1 && c == '~' && st->first == '<') { /* "<~" opens it */
            b85_reset(st);
            st->adobe = true;
            st->run = 1;
            st->pend_from = 1;
            st->run_line = st->line;
            continue;
        }
        if (st->run == 0)
            st->first = c;
        st->run++;
        st->segment++;
        st->non_b64 |= !base64_letter(c);
        if (st->run < DEC_WRAP_MIN) {
            st->pend[st->run - 1] = c;
            continue;
        }
        if (st->run == DEC_WRAP_MIN) { /* long enough: decode what waited */
            for (size_t w = st->pend_from; w + 1 < DEC_WRAP_MIN; w++)
                for (int k = 0; k < 3; k++)
                    b85_digit(st, k, st->pend[w]);
        }
        for (int k = 0; k < 3; k++)
            if (st->ok[k])
                b85_digit(st, k, c);
    }
}

void dec_b85_finish(sdc_decode_scan *s, b85_state *st)
{
    if (st->run)
        b85_end(s, st);
}

/* --- uuencode --- */

static bool uu_line(uu_state *st, const char *l, size_t n)
{
    if (n == 0 || l[0] < ' ' || l[0] > '`')
        return false;
    unsigned bytes = (unsigned)(l[0] - ' ') & 63;
    size_t need = (bytes + 2) / 3 * 4;
    if (n - 1 + 2 < need) /* trailing spaces may have been stripped */
        return false;
    unsigned char q[4];
    unsigned out = 0;
    for (size_t g = 0; out < bytes; g++) {
        for (int j = 0; j < 4; j++) {
            size_t at = 1 + g * 4 + (size_t)j;
            char c = at < n ? l[at] : ' ';
            if (c < ' ' || c > '`')
                return false;
            q[j] = (unsigned char)((c - ' ') & 63);
        }
        unsigned char b[3] = {(unsigned char)(q[0] << 2 | q[1] >> 4),
                              (unsigned char)(q[1] << 4 | q[2] >> 2),
                              (unsigned char)(q[2] << 6 | q[3])};
        for (int j = 0; j < 3 && out < bytes; j++, out++) {
            dec_out_byte(&st->out, b[j]);
            if (dec_out_head_full(&st->out))
                dec_out_decide(&st->out, false, DEC_TEXT_YES, false);
        }
    }
    return true;
}

static void uu_end(sdc_decode_scan *s, uu_state *st)
{
    if (st->in) {
        st->meta.encoding = "uuencode";
        dec_out_end(s, &st->out, &st->meta, DEC_TEXT_YES);
    }
    st->in = false;
}

static bool looks_like_m_line(const char *l, size_t n)
{
    if (n != 61 || l[0] != 'M')
        return false;
    for (size_t i = 1; i < n; i++)
        if (l[i] < ' ' || l[i] > '`')
            return false;
    return true;
}

static void uu_eol(sdc_decode_scan *s, uu_state *st)
{
    size_t n = st->len;
    const char *l = st->buf;
    if (n && l[n - 1] == '\r')
        n--;
    bool overlong = st->overlong;
    st->len = 0;
    st->overlong = false;
    if (!st->in) {
        bool begin = n > 6 && strncmp(l, "begin ", 6) == 0 && l[6] >= '0' && l[6] <= '7';
        if (!begin && !looks_like_m_line(l, n))
            return;
        st->in = true;
        st->meta = (dec_meta){.line = begin ? st->line + 1 : st->line, .assembled = true};
        dec_out_reset(&st->out);
        if (begin)
            return;
    }
    if ((n == 3 && strncmp(l, "end", 3) == 0) || overlong || !uu_line(st, l, n))
        uu_end(s, st);
}

void dec_uu_feed(sdc_decode_scan *s, uu_state *st, const unsigned char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = t[i];
        if (c == '\n') {
            uu_eol(s, st);
            st->line++;
            continue;
        }
        if (st->len < sizeof st->buf)
            st->buf[st->len++] = (char)c;
        else
            st->overlong = true;
    }
}

void dec_uu_finish(sdc_decode_scan *s, uu_state *st)
{
    if (st->len)
        uu_eol(s, st);
    uu_end(s, st);
}

/* --- quoted-printable --- */

#define QP_MIN_ESCAPES 16

static void qp_end(sdc_decode_scan *s, qp_state *st)
{
    if (st->in && st->escapes >= QP_MIN_ESCAPES) {
        st->meta.encoding = "quoted-printable";
        dec_out_end(s, &st->out, &st->meta, DEC_TEXT_NO);
    }
    dec_out_reset(&st->out);
    st->in = false;
    st->escapes = 0;
}

static void qp_byte(qp_state *st, unsigned char c)
{
    dec_out_byte(&st->out, c);
    if (dec_out_head_full(&st->out))
        dec_out_decide(&st->out, false, DEC_TEXT_NO, false);
}

static void qp_char(sdc_decode_scan *s, qp_state *st, unsigned char c)
{
    if (st->pending == 1) {
        st->pending = 0;
        int v = dec_hex_value(c);
        if (v >= 0) {
            st->hi = (unsigned char)v;
            st->pending = 2;
        } else if (c == '\n') {
            st->soft = true;
            st->line_escapes = 0;
        } else {
            qp_end(s, st); /* "=" before something else: not quoted-printable */
        }
        return;
    }
    if (st->pending == 2) {
        st->pending = 0;
        int v = dec_hex_value(c);
        if (v < 0) {
            qp_end(s, st);
            return;
        }
        if (!st->in) {
            st->in = true;
            st->escapes = 0;
            st->meta = (dec_meta){.line = st->line, .assembled = true};
            dec_out_reset(&st->out);
        }
        st->escapes++;
        st->line_escapes++;
        qp_byte(st, (unsigned char)(st->hi << 4 | v));
        return;
    }
    if (c == '=') {
        st->pending = 1;
        return;
    }
    if (c == '\n') {
        if (st->in && st->line_escapes == 0 && !st->soft)
            qp_end(s, st);
        else if (st->in)
            qp_byte(st, '\n');
        st->line_escapes = 0;
        st->soft = false;
        return;
    }
    if (st->in)
        qp_byte(st, c);
}

/* CR LF is a line end; a CR alone is a byte (Python's quopri leaves it
 * as it is). */
static void qp_one(sdc_decode_scan *s, qp_state *st, unsigned char c)
{
    if (st->cr) {
        st->cr = false;
        if (c != '\n')
            qp_char(s, st, '\r');
    }
    if (c == '\r') {
        st->cr = true;
        return;
    }
    qp_char(s, st, c);
}

void dec_qp_feed(sdc_decode_scan *s, qp_state *st, const unsigned char *t, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* Idle (no run open, no "=" or CR pending): up to the next "="
         * nothing happens but line ends, which only reset the line's
         * count of escapes (a CR alone is a byte no run takes). */
        if (!st->in && st->pending == 0 && !st->cr) {
            const unsigned char *eq = memchr(t + i, '=', n - i);
            size_t stop = eq ? (size_t)(eq - t) : n, lines = 0;
            for (size_t k = i; k < stop; k++)
                lines += t[k] == '\n';
            if (lines) {
                st->line += (long)lines;
                st->line_escapes = 0;
                st->soft = false;
            }
            if ((i = stop) == n)
                break;
        }
        qp_one(s, st, t[i]);
        if (t[i] == '\n')
            st->line++;
        i++;
    }
}

void dec_qp_finish(sdc_decode_scan *s, qp_state *st)
{
    if (st->cr) {
        st->cr = false;
        qp_char(s, st, '\r');
    }
    qp_end(s, st);
}
