/*
 * decode_raw.c - compressed streams without a signature, tried on a
 * binary of no known kind.
 *
 * A raw deflate stream (RFC 1951, no zlib or gzip header) and a brotli
 * stream (RFC 7932) start with no magic number, so no detector can name
 * them. A binary nothing else explains is decompressed with zlib and with
 * libbrotli as it streams past; a decompressor that fails is dropped, and
 * when what one produces starts like a file of a known kind, all of it is
 * kept (up to SDC_DECODE_KEEP) to be walked as a member. Random bytes fail
 * both within a few bytes, and anything that decompresses to bytes of no
 * known kind is dropped.
 */
#include <brotli/decode.h>
#include <stdlib.h>

#include "classify/decode_internal.h"

static void deflate_dead(raw_state *st)
{
    if (st->z_open)
        inflateEnd(&st->z);
    st->z_open = false;
    st->z_dead = true;
}

static void brotli_dead(raw_state *st)
{
    if (st->br)
        BrotliDecoderDestroyInstance(st->br);
    st->br = NULL;
    st->br_dead = true;
}

/* Output of one decompressor: kept, and decided once its head is full. */
static bool take(dec_out *o, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dec_out_byte(o, p[i]);
    if (dec_out_head_full(o))
        dec_out_decide(o, false, DEC_TEXT_NO, false);
    return o->mode != DEC_DEAD;
}

static void feed_deflate(raw_state *st, const unsigned char *t, size_t n)
{
    if (st->z_dead || st->z_end)
        return;
    if (!st->z_open) {
        if (inflateInit2(&st->z, -MAX_WBITS) != Z_OK) {
            st->z_dead = true;
            return;
        }
        st->z_open = true;
    }
    unsigned char out[16384];
    st->z.next_in = (unsigned char *)t;
    st->z.avail_in = (uInt)n;
    while (!st->z_dead) {
        st->z.next_out = out;
        st->z.avail_out = sizeof out;
        int rc = inflate(&st->z, Z_NO_FLUSH);
        if (!take(&st->zout, out, sizeof out - st->z.avail_out) ||
            (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)) {
            deflate_dead(st);
            return;
        }
        if (rc == Z_STREAM_END || st->zout.cut) { /* ended, or kept all that is kept */
            st->z_end = true;
            st->z_after = st->z.avail_in; /* bytes after the stream */
            return;
        }
        if (st->z.avail_in == 0 && st->z.avail_out != 0)
            return;
    }
}

static void feed_brotli(raw_state *st, const unsigned char *t, size_t n)
{
    if (st->br_dead || st->br_end)
        return;
    if (!st->br && !(st->br = BrotliDecoderCreateInstance(NULL, NULL, NULL))) {
        st->br_dead = true;
        return;
    }
    size_t in_left = n;
    const uint8_t *in = t;
    for (;;) {
        unsigned char out[16384];
        size_t out_left = sizeof out;
        uint8_t *o = out;
        BrotliDecoderResult r =
            BrotliDecoderDecompressStream(st->br, &in_left, &in, &out_left, &o, NULL);
        if (!take(&st->bout, out, sizeof out - out_left) || r == BROTLI_DECODER_RESULT_ERROR) {
            brotli_dead(st);
            return;
        }
        if (r == BROTLI_DECODER_RESULT_SUCCESS || st->bout.cut) {
            st->br_end = true;
            st->br_after = in_left;
            return;
        }
        if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT)
            return;
        /* NEEDS_MORE_OUTPUT: go round again */
    }
}

void dec_raw_feed(sdc_decode_scan *s, raw_state *st, const unsigned char *t, size_t n)
{
    (void)s;
    if (!st->on)
        return;
    feed_deflate(st, t, n);
    feed_brotli(st, t, n);
    if (st->z_end)
        st->z_after += 0; /* counted at the stream's end only */
}

static void end_one(sdc_decode_scan *s, dec_out *o, bool ended, const char *name)
{
    if (o->mode == DEC_UNDECIDED)
        dec_out_decide(o, ended, DEC_TEXT_NO, false);
    if (o->mode != DEC_KEEP) {
        dec_out_reset(o);
        return;
    }
    dec_meta m = {.encoding = name, .carved = true, .offset = 0};
    dec_out_end(s, o, &m, DEC_TEXT_NO);
}

void dec_raw_finish(sdc_decode_scan *s, raw_state *st)
{
    if (!st->on)
        return;
    if (!st->z_dead)
        end_one(s, &st->zout, st->z_end, "raw deflate");
    if (!st->br_dead)
        end_one(s, &st->bout, st->br_end, "brotli");
}

void dec_raw_free(raw_state *st)
{
    if (st->z_open)
        inflateEnd(&st->z);
    if (st->br)
        BrotliDecoderDestroyInstance(st->br);
    dec_out_free(&st->zout);
    dec_out_free(&st->bout);
}
