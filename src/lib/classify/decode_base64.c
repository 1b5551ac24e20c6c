/*
 * decode_base64.c - base64, base32 and hex, whole or in pieces.
 *
 * A run of base64 letters (RFC 4648 section 4, and the URL-safe alphabet
 * of section 5: A-Z a-z 0-9 + / - _, '=' padding) of DEC_PIECE_MIN or more
 * is a piece. Pieces separated by at most DEC_GAP_MAX characters of other
 * text (a line break, quotes and a comma, a line number, a short prefix, a
 * JSON "\n" escape) are one payload. A payload whose gaps are all line
 * ends after long segments is unbroken (wrapped base64, RFC 2045's 76
 * columns); any other gap makes it assembled, and then only a file of a
 * known kind counts: joined prose is just garbage.
 *
 * The first DEC_ENC_HEAD characters are kept, so that the payload can
 * start at any of its first DEC_STARTS pieces (a variable name before the
 * string is a piece too) and be read as hex (RFC 4648 section 8; a 0x
 * prefix allowed), base32 (section 6: A-Z 2-7) or base64, whichever
 * decodes to a file of a known kind.
 */
#include <stdlib.h>
#include <string.h>

#include "classify/decode_internal.h"

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

static int b32_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

static const char *const names[] = {"base64", "hex", "base32"};

/* Decodes one character as the payload is read; false when it is not of
 * that encoding. Padding is skipped. */
static bool put(b64_state *st, unsigned char c)
{
    if (c == '=')
        return st->as != B64_HEX;
    int v = st->as == B64_HEX      ? dec_hex_value(c)
            : st->as == B64_BASE32 ? b32_value(c)
                                   : b64_value(c);
    if (v < 0)
        return false;
    int width = st->as == B64_HEX ? 4 : st->as == B64_BASE32 ? 5 : 6;
    st->acc = st->acc << width | (unsigned)v;
    st->bits += width;
    if (st->bits >= 8) {
        st->bits -= 8;
        dec_out_byte(&st->out, (unsigned char)(st->acc >> st->bits));
    }
    st->acc &= (1u << st->bits) - 1;
    return true;
}

/* Decodes E[0..N) as AS from the start. */
static void decode_from(b64_state *st, const char *e, size_t n)
{
    st->acc = 0;
    st->bits = 0;
    if (st->as == B64_HEX && n >= 2 && e[0] == '0' && (e[1] == 'x' || e[1] == 'X')) {
        e += 2;
        n -= 2;
    }
    for (size_t i = 0; i < n; i++)
        put(st, (unsigned char)e[i]);
}

/* Whether E[0..N) can be AS throughout. */
static bool can_be(const char *e, size_t n, int as)
{
    if (as == B64_HEX && n >= 2 && e[0] == '0' && (e[1] == 'x' || e[1] == 'X')) {
        e += 2;
        n -= 2;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)e[i];
        if (as == B64_HEX      ? dec_hex_value(c) < 0
            : as == B64_BASE32 ? b32_value(c) < 0 && c != '='
                               : 0)
            return false;
    }
    return true;
}

static bool all_digits(const char *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (e[i] < '0' || e[i] > '9')
            return false;
    return true;
}

/* The payload's start and encoding, from its head: the first reading that
 * is a file of a known kind, else the first piece as plainly as it reads. */
static void decide(b64_state *st, bool at_end)
{
    const int order[] = {B64_HEX, B64_BASE32, B64_BASE64};
    for (size_t k = 0; k < st->nstarts; k++) {
        const char *e = st->enc + st->starts[k];
        size_t n = st->enc_len - st->starts[k];
        for (int j = 0; j < 3; j++) {
            if (!can_be(e, n, order[j]))
                continue;
            st->as = order[j];
            dec_out_reset(&st->out);
            decode_from(st, e, n);
            bool whole = at_end && st->out.total == st->out.len;
            if (dec_known(st->out.p, st->out.len, whole, DEC_TEXT_YES, &st->out.what)) {
                sdc_classification what = st->out.what;
                dec_out_reset(&st->out);
                st->out.mode = DEC_KEEP;
                st->out.what = what;
                decode_from(st, e, n);
                st->meta.line = st->start_lines[k];
                st->meta.encoding = names[st->as];
                return;
            }
        }
    }
    /* Of no known kind: only an unbroken stretch counts, the one after the
     * last gap that was not a line end (a key, a word or a MIME header
     * before a blob does not hide it). */
    size_t from = 0;
    if (st->assembled && st->unbroken_from < st->nstarts) {
        from = st->unbroken_from;
        st->assembled = false;
    }
    const char *e = st->enc + st->starts[from];
    size_t n = st->enc_len - st->starts[from];
    st->as = can_be(e, n, B64_HEX) ? B64_HEX : B64_BASE64;
    dec_out_reset(&st->out);
    /* Decimal digits alone are a number, which decode_bytes.c reads. */
    st->out.mode = st->assembled || all_digits(e, n) ? DEC_DEAD : DEC_COUNT;
    decode_from(st, e, n);
    st->meta.line = st->start_lines[from];
    st->meta.encoding = names[st->as];
}

static bool digest_length(size_t n)
{
    return n == 32 || n == 40 || n == 56 || n == 64 || n == 96 || n == 128;
}

static void end_payload(sdc_decode_scan *s, b64_state *st)
{
    if (!st->in_payload)
        return;
    if (st->out.mode == DEC_UNDECIDED)
        decide(st, true);
    st->meta.assembled = st->assembled;
    st->meta.digest_lines =
        st->as == B64_HEX && st->joins > 0 && st->digest_lines && digest_length(st->segment);
    dec_out_end(s, &st->out, &st->meta, DEC_TEXT_YES);
    st->in_payload = false;
    st->in_piece = false;
    st->ended = false;
}

/* One character of a piece. */
static void enc_char(sdc_decode_scan *s, b64_state *st, char c)
{
    st->meta.encoded++;
    st->segment++;
    if (st->out.mode != DEC_UNDECIDED) {
        if (!put(st, (unsigned char)c))
            end_payload(s, st);
        return;
    }
    if (!st->enc && !(st->enc = malloc(DEC_ENC_HEAD))) {
        s->failed = true;
        return;
    }
    st->enc[st->enc_len++] = c;
    if (st->enc_len == DEC_ENC_HEAD)
        decide(st, false);
}

/* The run has DEC_PIECE_MIN characters: a piece, of this payload or a new one. */
static void become_piece(sdc_decode_scan *s, b64_state *st)
{
    if (st->in_payload && st->ended)
        end_payload(s, st);
    bool wrap = st->gap_breaks && st->segment >= DEC_WRAP_MIN;
    if (st->in_payload) {
        /* What came before is decided now when there is no room to start
         * here, or when the stretch this gap closes is long enough to
         * count on its own. */
        if (!wrap && st->out.mode == DEC_UNDECIDED &&
            (st->nstarts == DEC_STARTS ||
             st->enc_len - st->starts[st->unbroken_from] >= DEC_STRETCH_COUNTS))
            decide(st, false);
        /* Garbage takes in nothing more, and bytes of no known kind stop
         * at any gap but a line end: the next piece starts anew. */
        if (st->out.mode == DEC_DEAD || (!wrap && st->out.mode == DEC_COUNT))
            end_payload(s, st);
    }
    if (!st->in_payload) {
        st->in_payload = true;
        st->assembled = false;
        st->digest_lines = true;
        st->joins = 0;
        st->enc_len = 0;
        st->nstarts = 0;
        st->unbroken_from = 0;
        st->segment = 0;
        st->meta = (dec_meta){.line = st->run_line};
        dec_out_reset(&st->out);
    } else if (wrap) {
        st->joins++;
        st->digest_lines &= digest_length(st->segment);
        st->segment = 0;
    } else {
        st->assembled = true;
        st->segment = 0;
        st->unbroken_from = st->nstarts;
    }
    if (st->out.mode == DEC_UNDECIDED && st->nstarts < DEC_STARTS) {
        st->starts[st->nstarts] = st->enc_len;
        st->start_lines[st->nstarts++] = st->run_line;
    }
    st->in_piece = true;
    st->gap = 0;
    for (size_t i = 0; i < st->run_len && st->in_payload; i++)
        enc_char(s, st, st->run[i]);
    st->run_len = 0;
}

/* Gap text between pieces; BREAK: a line end (or a "\n" escape). */
static void gap_chars(sdc_decode_scan *s, b64_state *st, size_t n, bool line_break)
{
    if (!st->in_payload)
        return;
    st->gap += n;
    if (!line_break)
        st->gap_breaks = false;
    if (st->gap > DEC_GAP_MAX)
        end_payload(s, st);
}

static void end_run(sdc_decode_scan *s, b64_state *st)
{
    if (st->in_piece) {
        st->in_piece = false;
        st->ended = st->run_padded;
        st->gap = 0;
        st->gap_breaks = true;
    } else if (st->run_len) {
        gap_chars(s, st, st->run_len, false);
    }
    st->run_len = 0;
    st->run_padded = false;
}

static void one(sdc_decode_scan *s, b64_state *st, unsigned char c)
{
    if (c == '\n')
        st->line++;
    if (st->escape) { /* the character after a '\' in a gap */
        st->escape = false;
        gap_chars(s, st, 1, c == 'n' || c == 'r');
        return;
    }
    bool pad = c == '=' && (st->in_piece || st->run_len > 0);
    if (b64_value(c) >= 0 || pad) {
        if (st->run_padded && !pad) /* "key=H4sI...": data after padding is a new run */
            end_run(s, st);
        st->run_padded |= pad;
        if (st->in_piece) {
            enc_char(s, st, (char)c);
            return;
        }
        if (st->run_len == 0)
            st->run_line = st->line;
        st->run[st->run_len++] = (char)c;
        if (st->run_len == DEC_PIECE_MIN)
            become_piece(s, st);
        return;
    }
    end_run(s, st);
    if (c == '\\') {
        st->escape = true;
        gap_chars(s, st, 1, true);
        return;
    }
    gap_chars(s, st, 1, c == '\n' || c == '\r');
}

void dec_base64_feed(sdc_decode_scan *s, b64_state *st, const unsigned char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        one(s, st, t[i]);
}

void dec_base64_finish(sdc_decode_scan *s, b64_state *st)
{
    end_run(s, st);
    end_payload(s, st);
}

void dec_base64_free(b64_state *st)
{
    free(st->enc);
    dec_out_free(&st->out);
}
