/*
 * image_util.c - what the image walks share: gathering fields and bodies
 * across any split of the stream, keeping bytes within the budgets,
 * parts, problems, the end and what follows it, inflating, big- and
 * little-endian fields. image.c dispatches to the formats' walks
 * (image_png.c, image_jpeg.c, image_gif.c, image_riff.c), which use these.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/image_internal.h"

void image_buf_free(image_buf *buf)
{
    free(buf->p);
    memset(buf, 0, sizeof *buf);
}
bool image_gather(sdc_image *im, const unsigned char *b, size_t len, size_t *i, size_t need)
{
    while (im->have < need && *i < len) {
        im->field[im->have++] = b[(*i)++];
        im->pos++;
    }
    if (im->have < need)
        return false;
    im->have = 0;
    return true;
}

size_t image_span(sdc_image *im, size_t len, size_t *i)
{
    size_t n = len - *i;
    if (n > im->left)
        n = (size_t)im->left;
    im->left -= n;
    *i += n;
    im->pos += n;
    return n;
}

void image_body_start(sdc_image *im, size_t max)
{
    image_buf_free(&im->body);
    im->body.max = max;
}

void image_keep(sdc_image *im, image_buf *buf, const unsigned char *p, size_t n)
{
    size_t allowed = im->kept < SDC_IMAGE_KEEP_MAX ? SDC_IMAGE_KEEP_MAX - im->kept : 0;
    size_t max = buf->max && buf->max < allowed ? buf->max : allowed;
    if (buf->len + n > max) {
        buf->cut = true;
        n = max > buf->len ? max - buf->len : 0;
    }
    if (n == 0)
        return;
    if (buf->len + n > buf->cap) {
        size_t cap = buf->cap ? buf->cap : 256;
        while (cap < buf->len + n)
            cap *= 2;
        unsigned char *q = realloc(buf->p, cap);
        if (!q) {
            buf->cut = im->oom = true;
            return;
        }
        buf->p = q;
        buf->cap = cap;
    }
    memcpy(buf->p + buf->len, p, n);
    buf->len += n;
}

void image_part(sdc_image *im, sdc_image_part_kind kind, const char *name, const char *what,
                unsigned long long offset, unsigned long long length, image_buf *buf)
{
    if (im->nparts == SDC_IMAGE_PARTS_MAX) {
        im->dropped++;
        image_buf_free(buf);
        return;
    }
    if (im->nparts == im->cap) {
        size_t cap = im->cap ? im->cap * 2 : 8;
        sdc_image_part *q = realloc(im->parts, cap * sizeof *q);
        if (!q) {
            im->oom = true;
            im->dropped++;
            image_buf_free(buf);
            return;
        }
        im->parts = q;
        im->cap = cap;
    }
    sdc_image_part *part = &im->parts[im->nparts++];
    memset(part, 0, sizeof *part);
    part->kind = kind;
    snprintf(part->name, sizeof part->name, "%s", name);
    snprintf(part->what, sizeof part->what, "%s", what ? what : "");
    part->offset = offset;
    part->length = length;
    part->data = buf->p;
    part->len = buf->len;
    part->cut = buf->cut;
    im->kept += buf->len;
    memset(buf, 0, sizeof *buf);
}

void image_part_after(sdc_image *im, const char *name, const char *what, unsigned long long offset,
                      image_buf *buf, size_t skip)
{
    if (skip > buf->len)
        skip = 0;
    if (skip > 0) { /* an empty buffer may have no storage at all */
        memmove(buf->p, buf->p + skip, buf->len - skip);
        buf->len -= skip;
    }
    image_part(im, SDC_IMAGE_UNEXPLAINED, name, what, offset + skip, buf->len, buf);
}

void image_part_bytes(sdc_image *im, sdc_image_part_kind kind, const char *name, const char *what,
                      unsigned long long offset, const unsigned char *p, size_t len)
{
    image_buf buf = {.max = SDC_IMAGE_PART_MAX};
    image_keep(im, &buf, p, len);
    image_part(im, kind, name, what, offset, len, &buf);
}

void image_problem(sdc_image *im, const char *fmt, ...)
{
    if (im->problems++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(im->problem, sizeof im->problem, fmt, ap);
        va_end(ap);
    }
}

void image_end(sdc_image *im)
{
    im->ended = true;
    im->end = im->pos;
}

void image_end_before(sdc_image *im, size_t n)
{
    im->ended = true;
    im->end = im->pos - n;
    memcpy(im->tail, im->field, n);
    im->tail_len = n;
}

bool image_icc_ok(const unsigned char *p, size_t len)
{
    return len >= 128 && image_be32(p) == len && memcmp(p + 36, "acsp", 4) == 0;
}

int image_inflate(sdc_image *im, const unsigned char *in, size_t n, image_buf *out, size_t *after)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    *after = 0;
    if (inflateInit(&z) != Z_OK)
        return -1;
    unsigned char chunk[16384];
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    int rc;
    do {
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        image_keep(im, out, chunk, sizeof chunk - z.avail_out);
        if (out->cut)
            break; /* kept what may be kept: the rest is not inflated */
    } while (rc == Z_OK && (z.avail_in > 0 || z.avail_out == 0));
    *after = rc == Z_STREAM_END ? z.avail_in : 0;
    inflateEnd(&z);
    return rc == Z_STREAM_END || out->cut ? 0 : -1;
}

void image_name(char *dst, size_t size, const char *prefix, const unsigned char *p, size_t n)
{
    size_t k = (size_t)snprintf(dst, size, "%s", prefix);
    for (size_t i = 0; i < n && k + 1 < size && i < 48; i++) {
        unsigned char c = p[i];
        /* No '!' or '/' (path separators) and no '.' (a part's name must
         * not claim an extension) */
        dst[k++] = c > 0x20 && c < 0x7f && !strchr("!/.", c) ? (char)c : '_';
    }
    if (k < size)
        dst[k] = '\0';
}

unsigned long image_be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

unsigned image_be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

unsigned long image_le32(const unsigned char *p)
{
    return (unsigned long)p[3] << 24 | (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

unsigned image_le16(const unsigned char *p)
{
    return (unsigned)p[1] << 8 | p[0];
}
