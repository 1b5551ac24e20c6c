/*
 * image_gif.c - every block of a GIF (GIF89a specification, CompuServe
 * 1990; XMP part 3 1.1.2 for XMP in GIF).
 *
 * A GIF is a 6-byte header, a 7-byte logical screen descriptor and an
 * optional colour table, then blocks: an image (2C, a 9-byte descriptor,
 * an optional colour table, the LZW code size, data sub-blocks), an
 * extension (21, a label, sub-blocks), and the trailer (3B) last.
 * Sub-blocks are a length byte and that many bytes, ended by a zero
 * length. A graphic control extension is one 4-byte sub-block; NETSCAPE2.0
 * and ANIMEXTS1.0 application extensions hold a loop count or a buffer
 * size; ICCRGBG1012 an ICC profile: explained. Comments, plain text and
 * XMP are metadata parts. Other extensions are unexplained. Image data is
 * taken as the format says, not decoded.
 */
#include <stdio.h>
#include <string.h>

#include "classify/image_internal.h"

enum { G_HEAD = 0, G_SKIP, G_BLOCK, G_LABEL, G_DESC, G_LZW, G_SUBLEN, G_SUBDATA };

static bool is_app(const gif_state *s, const char *id)
{
    return s->label == 0xFF && memcmp(s->app, id, 11) == 0;
}

/* A sub-block has been read: is it what its block allows? */
static void sub_done(sdc_image *im)
{
    gif_state *s = &im->u.gif;
    const unsigned char *d = im->body.p ? im->body.p + s->sub_start : NULL;
    unsigned n = s->sub_len;
    int k = s->sub++;
    if (s->label == 0x2C || s->bad || im->body.cut)
        return;
    switch (s->label) {
    case 0xF9: s->bad = k > 0 || n != 4; break;   /* graphic control */
    case 0xFE: break;                             /* comment */
    case 0x01: s->bad = k == 0 && n != 12; break; /* plain text: a 12-byte header first */
    case 0xFF:
        if (k == 0) {
            s->bad = n != 11;
            if (!s->bad)
                memcpy(s->app, d, 11);
        } else if (is_app(s, "NETSCAPE2.0") || is_app(s, "ANIMEXTS1.0")) {
            s->bad = !((n == 3 && d[0] == 1) || (n == 5 && d[0] == 2));
        }
        break;
    default: s->bad = true; break;
    }
}

/* XMP in GIF is written raw, ended by a 258-byte "magic trailer" (01 FF
 * FE ... 01 00) that makes it parse as sub-blocks: its length bytes are
 * text, and the trailer is not. */
static size_t xmp_length(const image_buf *d)
{
    size_t n = d->len;
    if (n < 11 + 257)
        return n;
    const unsigned char *t = d->p + n - 257;
    for (int k = 0; k < 257; k++)
        if (t[k] != (unsigned char)(k == 0 ? 1 : 256 - k))
            return n;
    return n - 257;
}

/* The block's zero-length terminator: what was it? */
static void block_done(sdc_image *im)
{
    gif_state *s = &im->u.gif;
    image_buf *d = &im->body;
    char name[48], what[96];
    if (s->label == 0x2C ||
        (!s->bad && (s->label == 0xF9 || is_app(s, "NETSCAPE2.0") || is_app(s, "ANIMEXTS1.0"))))
        return;
    if (!s->bad && s->label == 0xFE) {
        image_part(im, SDC_IMAGE_METADATA, "comment", NULL, s->block_at, d->len, d);
        return;
    }
    if (!s->bad && s->label == 0x01 && d->len >= 12) {
        image_part_bytes(im, SDC_IMAGE_METADATA, "plain-text", NULL, s->block_at, d->p + 12,
                         d->len - 12);
        return;
    }
    if (!s->bad && is_app(s, "XMP DataXMP")) {
        size_t n = xmp_length(d);
        image_part_bytes(im, SDC_IMAGE_METADATA, "application:XMP", NULL, s->block_at, d->p + 11,
                         n - 11);
        return;
    }
    if (!s->bad && is_app(s, "ICCRGBG1012") && !d->cut && image_icc_ok(d->p + 11, d->len - 11))
        return;
    if (s->label == 0xFF && !s->bad) {
        image_name(name, sizeof name, "application:", (const unsigned char *)s->app, 8);
        image_part_after(im, name, "an application extension of no known kind", s->block_at, d, 11);
        return;
    } else {
        snprintf(name, sizeof name, "extension:%02X", s->label);
        snprintf(what, sizeof what,
                 "an extension (label %02X) that breaks its layout or is "
                 "of no known kind",
                 s->label);
    }
    image_part(im, SDC_IMAGE_UNEXPLAINED, name, what, s->block_at, d->len, d);
}

static void start_blocks(sdc_image *im, unsigned char label)
{
    gif_state *s = &im->u.gif;
    s->label = label;
    s->sub = 0;
    s->bad = false;
    memset(s->app, 0, sizeof s->app);
    s->block_at = im->pos;
    image_body_start(im, SDC_IMAGE_PART_MAX);
    im->state = G_SUBLEN;
}

/* Skips a colour table of 3 x 2^(size + 1) bytes when the flag is set. */
static void colour_table(sdc_image *im, unsigned char packed, int next)
{
    im->left = packed & 0x80 ? 3u << ((packed & 7) + 1) : 0;
    im->u.gif.next = next;
    im->state = im->left ? G_SKIP : next;
}

static void block(sdc_image *im, unsigned char c)
{
    if (c == 0x3B) {
        image_end(im);
    } else if (c == 0x2C) {
        im->state = G_DESC;
    } else if (c == 0x21) {
        im->state = G_LABEL;
    } else {
        image_problem(im, "no GIF block at offset %llu", im->pos - 1);
        image_end_before(im, 1);
    }
}

static void sub_length(sdc_image *im, unsigned char n)
{
    gif_state *s = &im->u.gif;
    if (n == 0) {
        block_done(im);
        image_buf_free(&im->body);
        im->state = G_BLOCK;
        return;
    }
    if (s->sub > 0 && is_app(s, "XMP DataXMP")) /* raw: the length byte is text */
        image_keep(im, &im->body, &n, 1);
    s->sub_len = n;
    s->sub_start = im->body.len;
    im->left = n;
    im->state = G_SUBDATA;
}

void image_gif_feed(sdc_image *im, const unsigned char *b, size_t len)
{
    size_t i = 0;
    while (i < len && !im->ended) {
        switch (im->state) {
        case G_HEAD:
            if (image_gather(im, b, len, &i, 13))
                colour_table(im, im->field[10], G_BLOCK);
            break;
        case G_SKIP:
            image_span(im, len, &i);
            if (im->left == 0)
                im->state = im->u.gif.next;
            break;
        case G_BLOCK:
            if (image_gather(im, b, len, &i, 1))
                block(im, im->field[0]);
            break;
        case G_LABEL:
            if (image_gather(im, b, len, &i, 1))
                start_blocks(im, im->field[0]);
            break;
        case G_DESC:
            if (image_gather(im, b, len, &i, 9))
                colour_table(im, im->field[8], G_LZW);
            break;
        case G_LZW:
            if (image_gather(im, b, len, &i, 1))
                start_blocks(im, 0x2C);
            break;
        case G_SUBLEN:
            if (image_gather(im, b, len, &i, 1))
                sub_length(im, im->field[0]);
            break;
        case G_SUBDATA: {
            size_t at = i, n = image_span(im, len, &i);
            if (im->u.gif.label != 0x2C)
                image_keep(im, &im->body, b + at, n);
            if (im->left == 0) {
                sub_done(im);
                im->state = G_SUBLEN;
            }
            break;
        }
        }
    }
}
