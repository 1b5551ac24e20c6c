/*
 * image.c - the image walk's public face: which formats are walked,
 * feeding a stream to its format's walk (image_png.c, image_jpeg.c,
 * image_gif.c, image_riff.c, image_tiff.c), and what the walk found. The helpers the
 * walks share are in image_util.c.
 */
#include <stdlib.h>
#include <string.h>

#include "classify/image_internal.h"

static const struct {
    const char *name;
    image_format fmt;
    const char *marker;
} formats[] = {
    {"png", IMG_PNG, "PNG's IEND chunk"},    {"jpeg", IMG_JPEG, "JPEG's end-of-image marker"},
    {"gif", IMG_GIF, "GIF's trailer"},       {"bmp", IMG_BMP, "BMP's pixel array"},
    {"webp", IMG_WEBP, "WebP's RIFF chunk"}, {"tiff", IMG_TIFF, "TIFF's last IFD, value or strip"},
};

static int format_index(const char *format)
{
    for (size_t i = 0; format && i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(format, formats[i].name) == 0)
            return (int)i;
    return -1;
}

bool sdc_image_walks(const char *format)
{
    return format_index(format) >= 0;
}

sdc_image *sdc_image_new(const char *format)
{
    int k = format_index(format);
    if (k < 0)
        return NULL;
    sdc_image *im = calloc(1, sizeof *im);
    if (im)
        im->fmt = formats[k].fmt;
    return im;
}

void sdc_image_free(sdc_image *im)
{
    if (!im)
        return;
    for (size_t i = 0; i < im->nparts; i++)
        free(im->parts[i].data);
    free(im->parts);
    image_buf_free(&im->body);
    if (im->fmt == IMG_PNG) {
        if (im->u.png.px.open)
            inflateEnd(&im->u.png.px.z);
        image_buf_free(&im->u.png.px.past);
        image_buf_free(&im->u.png.px.after);
    } else if (im->fmt == IMG_JPEG) {
        image_buf_free(&im->u.jpeg.junk);
    } else if (im->fmt == IMG_BMP) {
        image_buf_free(&im->u.riff.gap);
    }
    free(im);
}

void sdc_image_feed(sdc_image *im, const unsigned char *b, size_t len)
{
    if (im->ended) {
        size_t room = SDC_IMAGE_TAIL - im->tail_len, n = len < room ? len : room;
        memcpy(im->tail + im->tail_len, b, n);
        im->tail_len += n;
        im->pos += len;
        return;
    }
    unsigned long long before = im->pos;
    switch (im->fmt) {
    case IMG_PNG: image_png_feed(im, b, len); break;
    case IMG_JPEG: image_jpeg_feed(im, b, len); break;
    case IMG_GIF: image_gif_feed(im, b, len); break;
    case IMG_BMP: image_bmp_feed(im, b, len); break;
    case IMG_WEBP: image_webp_feed(im, b, len); break;
    case IMG_TIFF: image_tiff_feed(im, b, len); break;
    }
    size_t used = (size_t)(im->pos - before);
    if (used < len) /* the image ended inside this piece */
        sdc_image_feed(im, b + used, len - used);
}

void sdc_image_finish(sdc_image *im)
{
    if (im->fmt == IMG_PNG)
        image_png_finish(im);
    else if (im->fmt == IMG_JPEG)
        image_jpeg_finish(im);
    else if (im->fmt == IMG_TIFF)
        image_tiff_finish(im);
    if (!im->ended)
        image_problem(im, "the image stops before its end (%s), after %llu bytes",
                      sdc_image_end_marker(im), im->pos);
}

size_t sdc_image_nparts(const sdc_image *im)
{
    return im->nparts;
}

const sdc_image_part *sdc_image_part_at(const sdc_image *im, size_t i)
{
    return i < im->nparts ? &im->parts[i] : NULL;
}

size_t sdc_image_parts_dropped(const sdc_image *im)
{
    return im->dropped;
}

const char *sdc_image_problem(const sdc_image *im, unsigned *count)
{
    if (count)
        *count = im->problems;
    return im->problems ? im->problem : NULL;
}

unsigned long long sdc_image_appended(const sdc_image *im, const unsigned char **tail,
                                      size_t *tail_len)
{
    *tail = im->tail;
    *tail_len = im->tail_len;
    if (!im->ended || im->pos <= im->end)
        return 0;
    unsigned long long n = im->pos - im->end;
    /* Padding carries nothing: the NUL byte Office writes after a
     * thumbnail's EOI, a line end. Only when all of it was seen. */
    size_t blank = 0;
    while (blank < im->tail_len && strchr("\r\n \t", im->tail[blank]))
        blank++; /* strchr finds the terminating NUL too */
    return blank == n ? 0 : n;
}

const char *sdc_image_end_marker(const sdc_image *im)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (formats[i].fmt == im->fmt)
            return formats[i].marker;
    return "end";
}

bool sdc_image_failed(const sdc_image *im)
{
    return im->oom;
}
