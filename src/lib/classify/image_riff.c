/*
 * image_riff.c - the structure of BMP and WebP files, both little-endian
 * and both sized by their headers.
 *
 * BMP (Microsoft, "Bitmap Storage", BITMAPFILEHEADER and
 * BITMAPINFOHEADER to BITMAPV5HEADER): a 14-byte file header ('BM', file
 * size, reserved, bfOffBits where the pixels start), an info header whose
 * first field is its own size (12, 40, 52, 56, 64, 108 or 124), colour
 * masks (40-byte header with BI_BITFIELDS), a colour table, then the
 * pixel array: rows of width x bit count bits padded to 4 bytes, or
 * biSizeImage bytes when compressed. The image ends with its pixels;
 * bfSize is not trusted, since a writer can make it cover anything. Bytes
 * between the colour table and bfOffBits are unexplained unless zero.
 *
 * WebP (RFC 9649): a RIFF header ('RIFF', size, 'WEBP') then chunks of a
 * FourCC, a size and data padded to an even length: VP8, VP8L, VP8X,
 * ALPH, ANIM and ANMF (whose first 16 bytes are the frame's header and
 * the rest chunks again) are the image; ICCP must be an ICC profile; EXIF
 * and XMP are metadata; any other chunk is unexplained. The image ends
 * where the RIFF size says. Bitstreams are taken as the format says, not
 * decoded.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "classify/image_internal.h"

enum { B_HEAD = 0, B_INFO, B_TABLE, B_GAP, B_PIXELS };

/* Where the colour table ends and the pixels do, from the info header. */
static bool bmp_layout(sdc_image *im, unsigned long info)
{
    riff_state *s = &im->u.riff;
    const unsigned char *h = im->field;
    unsigned long long width, height, bits, compression = 0, size_image = 0, colours = 0;
    if (info == 12) {
        width = image_le16(h + 18), height = image_le16(h + 20), bits = image_le16(h + 24);
    } else {
        long w = (long)(int32_t)image_le32(h + 18), hh = (long)(int32_t)image_le32(h + 22);
        width = w > 0 ? (unsigned long long)w : 0;
        height = hh < 0 ? (unsigned long long)-(long long)hh : (unsigned long long)hh;
        bits = image_le16(h + 28), compression = image_le32(h + 30);
        size_image = image_le32(h + 34), colours = image_le32(h + 46);
    }
    if (width == 0 || height == 0 || width > (1u << 24) || height > (1u << 24) || bits == 0 ||
        bits > 64 || colours > 65536)
        return false;
    unsigned long long masks = info == 40 && compression == 3   ? 12
                               : info == 40 && compression == 6 ? 16
                                                                : 0;
    if (bits <= 8 && colours == 0)
        colours = 1ull << bits;
    s->header_end = 14 + info + masks + colours * (info == 12 ? 3 : 4);
    s->off_bits = image_le32(h + 10);
    if (s->off_bits < 14 + info + masks)
        return false;
    if (s->off_bits < s->header_end) /* a short colour table */
        s->header_end = s->off_bits;
    unsigned long long pixels;
    if (compression == 0 || compression == 3 || compression == 6)
        pixels = (width * bits + 31) / 32 * 4 * height;
    else if (compression <= 5 && size_image > 0)
        pixels = size_image; /* RLE, JPEG or PNG inside */
    else
        return false;
    if (info == 124 && image_le32(h + 14 + 56) == 0x4D424544UL) /* 'MBED': a profile */
        image_problem(im, "the BMP's embedded ICC profile is not walked");
    s->pixel_end = s->off_bits + pixels;
    return true;
}

static void gap_close(sdc_image *im)
{
    riff_state *s = &im->u.riff;
    bool zero = !s->gap.cut;
    for (size_t k = 0; zero && k < s->gap.len; k++)
        zero = s->gap.p[k] == 0;
    if (zero)
        image_buf_free(&s->gap);
    else
        image_part(im, SDC_IMAGE_UNEXPLAINED, "before-pixels",
                   "bytes between the BMP's colour table and its pixels", s->gap_at,
                   s->off_bits - s->header_end, &s->gap);
}

void image_bmp_feed(sdc_image *im, const unsigned char *b, size_t len)
{
    riff_state *s = &im->u.riff;
    static const unsigned long infos[] = {12, 40, 52, 56, 64, 108, 124};
    size_t i = 0;
    while (i < len && !im->ended) {
        switch (im->state) {
        case B_HEAD: {
            if (!image_gather(im, b, len, &i, 18))
                break;
            unsigned long info = image_le32(im->field + 14);
            bool known = false;
            for (size_t k = 0; k < sizeof infos / sizeof infos[0]; k++)
                known |= info == infos[k];
            if (!known) {
                image_problem(im, "a BMP info header of %lu bytes, which no version has", info);
                image_end_before(im, 4);
                return;
            }
            im->have = 18; /* go on gathering the info header after the file header */
            im->state = B_INFO;
            break;
        }
        case B_INFO: {
            unsigned long info = image_le32(im->field + 14);
            if (!image_gather(im, b, len, &i, 14 + info))
                break;
            if (!bmp_layout(im, info)) {
                image_problem(im, "the BMP's headers describe no valid image");
                image_end_before(im, 0);
                return;
            }
            im->left = s->header_end - im->pos;
            im->state = B_TABLE;
            break;
        }
        case B_TABLE:
            image_span(im, len, &i);
            if (im->left == 0) {
                s->gap_at = im->pos;
                s->gap.max = SDC_IMAGE_PART_MAX;
                im->left = s->off_bits - s->header_end;
                im->state = B_GAP;
            }
            break;
        case B_GAP: {
            size_t at = i, n = image_span(im, len, &i);
            image_keep(im, &s->gap, b + at, n);
            if (im->left == 0) {
                gap_close(im);
                im->left = s->pixel_end - s->off_bits;
                im->state = B_PIXELS;
            }
            break;
        }
        case B_PIXELS:
            image_span(im, len, &i);
            if (im->left == 0)
                image_end(im);
            break;
        }
    }
}

enum { W_HEAD = 0, W_CHUNK, W_SKIP, W_KEEP, W_ANMF };

/* A kept chunk is whole: explained, metadata or unexplained. */
static void webp_kept(sdc_image *im)
{
    riff_state *s = &im->u.riff;
    image_buf *d = &im->body;
    unsigned long long at = s->chunk_at + 8;
    if (strcmp(s->fourcc, "ICCP") == 0 && !d->cut && image_icc_ok(d->p, s->size)) {
        image_buf_free(d);
        return;
    }
    if (strcmp(s->fourcc, "EXIF") == 0 || strcmp(s->fourcc, "XMP ") == 0) {
        image_part(im, SDC_IMAGE_METADATA, s->fourcc[0] == 'E' ? "EXIF" : "XMP", NULL, at, s->size,
                   d);
        return;
    }
    char name[32], what[96];
    image_name(name, sizeof name, "chunk:", (const unsigned char *)s->fourcc, 4);
    snprintf(what, sizeof what, "a chunk '%s', which WebP does not define",
             s->fourcc[0] == 'I' ? "ICCP that is not an ICC profile" : s->fourcc);
    image_part(im, SDC_IMAGE_UNEXPLAINED, name, what, at, s->size, d);
}

/* A chunk header: where its data goes. */
static void webp_chunk(sdc_image *im)
{
    riff_state *s = &im->u.riff;
    static const struct {
        const char *fourcc;
        unsigned long min, max;
    } image_chunks[] = {{"VP8 ", 10, 0},  {"VP8L", 5, 0}, {"ALPH", 1, 0},
                        {"VP8X", 10, 10}, {"ANIM", 6, 6}, {"ANMF", 16, 0}};
    memcpy(s->fourcc, im->field, 4);
    s->fourcc[4] = '\0';
    s->size = image_le32(im->field + 4);
    s->chunk_at = im->pos - 8;
    unsigned long long limit = s->anmf_end ? s->anmf_end : s->riff_end;
    if (im->pos + s->size + (s->size & 1) > limit) {
        image_problem(im, "a WebP chunk at offset %llu runs past its container", s->chunk_at);
        image_end_before(im, 8);
        return;
    }
    im->left = s->size + (s->size & 1);
    for (size_t k = 0; k < sizeof image_chunks / sizeof image_chunks[0]; k++) {
        if (strcmp(s->fourcc, image_chunks[k].fourcc) != 0)
            continue;
        if (s->size < image_chunks[k].min ||
            (image_chunks[k].max && s->size > image_chunks[k].max) || (k == 5 && s->anmf_end)) {
            break; /* the wrong size, or a frame in a frame: unexplained */
        }
        if (k == 5) { /* ANMF: a header, then chunks */
            s->anmf_end = im->pos + im->left;
            im->state = W_ANMF;
        } else {
            im->state = W_SKIP;
        }
        return;
    }
    image_body_start(im, SDC_IMAGE_PART_MAX);
    im->state = W_KEEP;
}

/* After a chunk: the next one, the end of a frame, the end of the file. */
static void webp_next(sdc_image *im)
{
    riff_state *s = &im->u.riff;
    if (s->anmf_end && im->pos >= s->anmf_end)
        s->anmf_end = 0;
    if (im->pos >= s->riff_end)
        image_end(im);
    else
        im->state = W_CHUNK;
}

void image_webp_feed(sdc_image *im, const unsigned char *b, size_t len)
{
    riff_state *s = &im->u.riff;
    size_t i = 0;
    while (i < len && !im->ended) {
        switch (im->state) {
        case W_HEAD:
            if (!image_gather(im, b, len, &i, 12))
                break;
            s->riff_end = 8 + (unsigned long long)image_le32(im->field + 4);
            if (memcmp(im->field, "RIFF", 4) != 0 || memcmp(im->field + 8, "WEBP", 4) != 0 ||
                s->riff_end < 12) {
                image_problem(im, "no WebP RIFF header");
                image_end_before(im, 12);
                return;
            }
            webp_next(im);
            break;
        case W_CHUNK:
            if (image_gather(im, b, len, &i, 8))
                webp_chunk(im);
            break;
        case W_ANMF:
            if (image_gather(im, b, len, &i, 16))
                webp_next(im);
            break;
        case W_SKIP:
            image_span(im, len, &i);
            if (im->left == 0)
                webp_next(im);
            break;
        case W_KEEP: {
            size_t at = i, n = image_span(im, len, &i);
            image_keep(im, &im->body, b + at, n);
            if (im->left == 0) {
                im->body.len = im->body.len > s->size ? s->size : im->body.len; /* the pad */
                webp_kept(im);
                webp_next(im);
            }
            break;
        }
        }
    }
}
