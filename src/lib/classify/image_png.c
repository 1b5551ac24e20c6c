/*
 * image_png.c - every chunk of a PNG (W3C PNG 3rd edition, ISO/IEC 15948;
 * APNG as in the same edition's 11.3.6).
 *
 * A PNG is an 8-byte signature, then chunks: a 4-byte big-endian length
 * (at most 2^31 - 1), a 4-byte type of ASCII letters, the data, and a
 * CRC-32 of type and data; IEND is last. Each chunk the standard defines
 * is checked against its layout: fixed lengths (gAMA is 4 bytes, pHYs 9),
 * text chunks (keyword, NUL, text; zTXt and compressed iTXt inflated),
 * iCCP (an ICC profile, inflated and checked). The image data (IDAT, and
 * an APNG frame's fdAT after its sequence number) is one zlib stream per
 * frame, inflated to count its bytes: it must end where the frame's size
 * (IHDR or fcTL, 11.2.1 and 7.2 for the Adam7 passes) says, and the last
 * data chunk must end with it. Text and Exif are metadata parts; a chunk
 * of a kind the standard does not define, data in IEND, a chunk whose
 * length breaks its layout, bytes after a zlib stream or past the image's
 * size are unexplained parts.
 */
#include <stdio.h>
#include <string.h>

#include "classify/image_internal.h"

enum { P_SIG = 0, P_HEAD, P_BODY, P_CRC };

/* The chunks with a fixed layout: their lengths. */
static const struct {
    const char *type;
    unsigned long min, max, step;
} layouts[] = {
    {"IHDR", 13, 13, 1}, {"PLTE", 3, 768, 3}, {"IEND", 0, 0, 1},   {"tRNS", 1, 256, 1},
    {"cHRM", 32, 32, 1}, {"gAMA", 4, 4, 1},   {"sBIT", 1, 4, 1},   {"sRGB", 1, 1, 1},
    {"cICP", 4, 4, 1},   {"mDCV", 24, 24, 1}, {"mDCv", 24, 24, 1}, {"cLLI", 8, 8, 1},
    {"cLLi", 8, 8, 1},   {"bKGD", 1, 6, 1},   {"hIST", 2, 512, 2}, {"pHYs", 9, 9, 1},
    {"tIME", 7, 7, 1},   {"oFFs", 9, 9, 1},   {"sTER", 1, 1, 1},   {"gIFg", 4, 4, 1},
    {"acTL", 8, 8, 1},   {"fcTL", 26, 26, 1},
};

static int layout_of(const char *type)
{
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
        if (strcmp(type, layouts[i].type) == 0)
            return (int)i;
    return -1;
}

static bool is_data(const char *type)
{
    return strcmp(type, "IDAT") == 0 || strcmp(type, "fdAT") == 0;
}

/* Raw bytes of a WIDTH x HEIGHT frame: a filter byte and the packed
 * pixels of each row, over the seven Adam7 passes when interlaced. */
static unsigned long long frame_bytes(const png_state *s, unsigned long w, unsigned long h)
{
    static const unsigned char pass[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                             {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
    static const unsigned char whole[1][4] = {{0, 0, 1, 1}};
    const unsigned char(*p)[4] = s->interlaced ? pass : whole;
    int n = s->interlaced ? 7 : 1;
    unsigned long long total = 0;
    for (int k = 0; k < n; k++) {
        unsigned long long pw = w > p[k][0] ? (w - p[k][0] + p[k][2] - 1) / p[k][2] : 0;
        unsigned long long ph = h > p[k][1] ? (h - p[k][1] + p[k][3] - 1) / p[k][3] : 0;
        if (pw && ph)
            total += ph * (1 + (pw * s->bits_per_pixel + 7) / 8);
    }
    return total;
}

static void pixels_part(sdc_image *im, image_buf *buf, const char *suffix, const char *what,
                        unsigned long long at, unsigned long long length)
{
    char name[80];
    snprintf(name, sizeof name, "%s:%s", im->u.png.px.frame, suffix);
    image_part(im, SDC_IMAGE_UNEXPLAINED, name, what, at, length, buf);
}

/* Closes the current frame's stream: it must have ended, at its size. */
static void pixels_close(sdc_image *im)
{
    pixel_stream *px = &im->u.png.px;
    if (!px->started)
        return;
    if (px->broken)
        image_problem(im, "the %s data is not a valid zlib stream", px->frame);
    else if (!px->done)
        image_problem(im, "the %s zlib stream stops before its end", px->frame);
    else if (px->expected && px->out < px->expected && px->out < SDC_IMAGE_INFLATE_MAX)
        image_problem(im, "the %s data inflates to %llu bytes; the image needs %llu", px->frame,
                      px->out, px->expected);
    char what[96];
    if (px->past.len || px->past.cut) {
        snprintf(what, sizeof what, "bytes the %s zlib stream inflates to past the image's size",
                 px->frame);
        pixels_part(im, &px->past, "past-image", what, px->end_at, px->out - px->expected);
    }
    if (px->after.len || px->after.cut) {
        snprintf(what, sizeof what, "bytes after the end of the %s zlib stream", px->frame);
        pixels_part(im, &px->after, "after-stream", what, px->after_at, px->after.len);
    }
    if (px->open)
        inflateEnd(&px->z);
    image_buf_free(&px->past);
    image_buf_free(&px->after);
    memset(px, 0, sizeof *px);
}

/* Counts inflated bytes; those past the frame's size are kept. */
static void pixels_out(sdc_image *im, const unsigned char *p, size_t n)
{
    pixel_stream *px = &im->u.png.px;
    unsigned long long before = px->out;
    px->out += n;
    if (!px->expected || px->out <= px->expected)
        return;
    size_t skip = before < px->expected ? (size_t)(px->expected - before) : 0;
    px->past.max = SDC_IMAGE_PART_MAX;
    image_keep(im, &px->past, p + skip, n - skip);
}

static void pixels_in(sdc_image *im, const unsigned char *p, size_t n)
{
    png_state *s = &im->u.png;
    pixel_stream *px = &s->px;
    px->started = true;
    if (px->done) { /* past the stream's end: unexplained */
        if (!px->after.len && !px->after.cut)
            px->after_at = im->pos - n;
        px->after.max = SDC_IMAGE_PART_MAX;
        image_keep(im, &px->after, p, n);
        return;
    }
    if (!px->open) {
        if (inflateInit(&px->z) != Z_OK) {
            px->broken = px->done = true;
            return;
        }
        px->open = true;
    }
    px->z.next_in = (Bytef *)p;
    px->z.avail_in = (uInt)n;
    for (;;) {
        px->z.next_out = s->scratch;
        px->z.avail_out = sizeof s->scratch;
        int rc = inflate(&px->z, Z_NO_FLUSH);
        pixels_out(im, s->scratch, sizeof s->scratch - px->z.avail_out);
        bool ended = rc == Z_STREAM_END, bad = rc != Z_OK && rc != Z_BUF_ERROR && !ended;
        if (ended || bad || px->out >= SDC_IMAGE_INFLATE_MAX) {
            px->done = true;
            px->broken = bad;
            px->end_at = im->pos - px->z.avail_in;
            if (px->out >= SDC_IMAGE_INFLATE_MAX && !ended)
                image_problem(im, "the %s data inflates past %llu bytes; not checked further",
                              px->frame, SDC_IMAGE_INFLATE_MAX);
            size_t rest = px->z.avail_in;
            if (rest && (ended || bad)) {
                px->after_at = im->pos - rest;
                px->after.max = SDC_IMAGE_PART_MAX;
                image_keep(im, &px->after, p + n - rest, rest);
            }
            return;
        }
        if (px->z.avail_in == 0 && px->z.avail_out != 0)
            return;
        if (rc == Z_BUF_ERROR)
            return;
    }
}

static void read_ihdr(sdc_image *im, const unsigned char *d)
{
    png_state *s = &im->u.png;
    static const unsigned char channels[7] = {1, 0, 3, 1, 2, 0, 4};
    unsigned depth = d[8], type = d[9];
    s->width = image_be32(d);
    s->height = image_be32(d + 4);
    s->interlaced = d[12] == 1;
    if (type > 6 || channels[type] == 0 || depth == 0 || depth > 16 || d[12] > 1 || s->width == 0 ||
        s->height == 0 || s->width > 0x7fffffffUL || s->height > 0x7fffffffUL) {
        image_problem(im, "IHDR describes no valid image");
        return;
    }
    s->ihdr = true;
    s->bits_per_pixel = depth * channels[type];
    s->px.expected = frame_bytes(s, s->width, s->height);
}

/* fcTL: a new frame, with its own size (APNG: 11.3.6.2). */
static void read_fctl(sdc_image *im, const unsigned char *d)
{
    png_state *s = &im->u.png;
    if (s->px.started)
        pixels_close(im);
    s->frames++;
    unsigned long w = image_be32(d + 4), h = image_be32(d + 8);
    if (w == 0 || h == 0 || w > s->width || h > s->height) {
        image_problem(im, "fcTL frame %d is outside the image", s->frames);
        return;
    }
    s->px.expected = s->ihdr ? frame_bytes(s, w, h) : 0;
}

/* tEXt, zTXt and iTXt (11.3.3): a keyword of 1 to 79 bytes, a NUL, then
 * Latin-1 text; zTXt's is compressed; iTXt has a compression flag and
 * method, a language tag and a translated keyword, then UTF-8 text. */
static bool text_chunk(sdc_image *im, const char *type, image_buf *d, unsigned long long at)
{
    const unsigned char *p = d->p;
    size_t n = d->len;
    const unsigned char *nul = n ? memchr(p, 0, n < 80 ? n : 80) : NULL;
    if (!nul || nul == p || d->cut)
        return false;
    size_t k = (size_t)(nul - p) + 1;
    char name[80];
    bool compressed = strcmp(type, "zTXt") == 0;
    if (strcmp(type, "iTXt") == 0) {
        if (n < k + 2 || p[k] > 1 || p[k + 1] != 0)
            return false;
        compressed = p[k] == 1;
        k += 2;
        for (int field = 0; field < 2; field++) { /* language tag, translated keyword */
            const unsigned char *end = k < n ? memchr(p + k, 0, n - k) : NULL;
            if (!end)
                return false;
            k = (size_t)(end - p) + 1;
        }
    } else if (compressed) {
        if (n < k + 1 || p[k] != 0)
            return false;
        k++;
    }
    char keyword[64];
    image_name(keyword, sizeof keyword, "", p, (size_t)(nul - p));
    snprintf(name, sizeof name, "%s:%s", type, keyword);
    if (!compressed) {
        image_part_bytes(im, SDC_IMAGE_METADATA, name, NULL, at + k, p + k, n - k);
        return true;
    }
    image_buf text = {.max = SDC_IMAGE_PART_MAX};
    size_t after = 0;
    if (image_inflate(im, p + k, n - k, &text, &after) < 0 || after) {
        image_buf_free(&text);
        return false;
    }
    image_part(im, SDC_IMAGE_METADATA, name, NULL, at + k, n - k, &text);
    return true;
}

/* iCCP (11.3.2.4): a profile name, NUL, method 0, a zlib-compressed ICC
 * profile. */
static bool iccp_chunk(sdc_image *im, image_buf *d)
{
    const unsigned char *nul = d->len ? memchr(d->p, 0, d->len < 80 ? d->len : 80) : NULL;
    if (!nul || d->cut)
        return false;
    size_t k = (size_t)(nul - d->p) + 1;
    if (k >= d->len || d->p[k] != 0)
        return false;
    image_buf icc = {.max = SDC_IMAGE_PART_MAX};
    size_t after = 0;
    bool ok = image_inflate(im, d->p + k + 1, d->len - k - 1, &icc, &after) == 0 && !after &&
              !icc.cut && image_icc_ok(icc.p, icc.len);
    image_buf_free(&icc);
    return ok;
}

/* sPLT (11.3.5.4): a name, NUL, a sample depth (8 or 16), entries of 6 or
 * 10 bytes. */
static bool splt_chunk(const image_buf *d)
{
    const unsigned char *nul = d->len ? memchr(d->p, 0, d->len < 80 ? d->len : 80) : NULL;
    if (!nul || d->cut)
        return false;
    size_t k = (size_t)(nul - d->p) + 1;
    if (k >= d->len || (d->p[k] != 8 && d->p[k] != 16))
        return false;
    return (d->len - k - 1) % (d->p[k] == 8 ? 6 : 10) == 0;
}

/* A chunk other than the image data, read whole: explained, metadata or
 * unexplained. */
static void chunk_done(sdc_image *im)
{
    png_state *s = &im->u.png;
    image_buf *d = &im->body;
    unsigned long long data_at = s->chunk_at + 8;
    char what[96] = "";
    int l = layout_of(s->type);
    if (l >= 0) {
        unsigned long n = s->length;
        if (n >= layouts[l].min && n <= layouts[l].max && n % layouts[l].step == 0) {
            if (d->len < n) /* not kept (out of memory): sdc_image_failed says so */
                return;
            if (strcmp(s->type, "IHDR") == 0)
                read_ihdr(im, d->p);
            else if (strcmp(s->type, "fcTL") == 0)
                read_fctl(im, d->p);
            return;
        }
        snprintf(what, sizeof what,
                 "a %s chunk of %lu bytes, which the PNG standard does not allow", s->type, n);
        if (n > layouts[l].max) { /* the bytes past its layout */
            char name[16];
            snprintf(name, sizeof name, "chunk:%s", s->type);
            image_part_after(im, name, what, data_at, d, layouts[l].max);
            return;
        }
    } else if (!strcmp(s->type, "tEXt") || !strcmp(s->type, "zTXt") || !strcmp(s->type, "iTXt")) {
        if (text_chunk(im, s->type, d, data_at))
            return;
        snprintf(what, sizeof what, "a %s chunk that is not keyword and text", s->type);
    } else if (strcmp(s->type, "iCCP") == 0) {
        if (iccp_chunk(im, d))
            return;
        snprintf(what, sizeof what, "an iCCP chunk that does not hold one ICC profile");
    } else if (strcmp(s->type, "sPLT") == 0) {
        if (splt_chunk(d))
            return;
        snprintf(what, sizeof what, "an sPLT chunk that is not a palette");
    } else if (strcmp(s->type, "eXIf") == 0) {
        image_part(im, SDC_IMAGE_METADATA, "eXIf", NULL, data_at, s->length, d);
        return;
    } else {
        snprintf(what, sizeof what, "a chunk of type '%s', which the PNG standard does not define",
                 s->type);
    }
    char name[80];
    snprintf(name, sizeof name, "chunk:%s", s->type);
    image_part(im, SDC_IMAGE_UNEXPLAINED, name, what, data_at, s->length, d);
}

static bool chunk_begin(sdc_image *im)
{
    png_state *s = &im->u.png;
    const unsigned char *h = im->field;
    s->chunk_at = im->pos - 8;
    s->length = image_be32(h);
    memcpy(s->type, h + 4, 4);
    s->type[4] = '\0';
    bool letters = true;
    for (int k = 0; k < 4; k++)
        letters &= (h[4 + k] | 0x20) >= 'a' && (h[4 + k] | 0x20) <= 'z';
    if (s->length > 0x7fffffffUL || !letters) {
        /* Not a chunk: nothing from here on is explained. */
        image_problem(im, "no PNG chunk at offset %llu", s->chunk_at);
        image_end_before(im, 8);
        return false;
    }
    s->crc = crc32(0, h + 4, 4);
    im->left = s->length;
    s->skip = strcmp(s->type, "fdAT") == 0 ? 4 : 0;
    if (!is_data(s->type))
        image_body_start(im, SDC_IMAGE_PART_MAX);
    else if (!s->px.started && s->skip)
        snprintf(s->px.frame, sizeof s->px.frame, "fdAT-frame-%d", s->frames);
    else if (!s->px.started)
        snprintf(s->px.frame, sizeof s->px.frame, "IDAT");
    return true;
}

static void chunk_bytes(sdc_image *im, const unsigned char *p, size_t n)
{
    png_state *s = &im->u.png;
    s->crc = crc32(s->crc, p, (uInt)n);
    if (!is_data(s->type)) {
        image_keep(im, &im->body, p, n);
        return;
    }
    size_t skip = s->skip < n ? s->skip : n;
    s->skip -= (unsigned)skip;
    if (n > skip)
        pixels_in(im, p + skip, n - skip);
}

void image_png_feed(sdc_image *im, const unsigned char *b, size_t len)
{
    png_state *s = &im->u.png;
    size_t i = 0;
    while (i < len && !im->ended) {
        switch (im->state) {
        case P_SIG:
            if (image_gather(im, b, len, &i, 8))
                im->state = P_HEAD;
            break;
        case P_HEAD:
            if (!image_gather(im, b, len, &i, 8))
                break;
            if (!chunk_begin(im))
                return;
            im->state = im->left ? P_BODY : P_CRC;
            break;
        case P_BODY: {
            size_t at = i, n = image_span(im, len, &i);
            chunk_bytes(im, b + at, n);
            if (im->left == 0)
                im->state = P_CRC;
            break;
        }
        case P_CRC:
            if (!image_gather(im, b, len, &i, 4))
                break;
            if (image_be32(im->field) != s->crc)
                image_problem(im, "the CRC of the %s chunk at offset %llu does not match", s->type,
                              s->chunk_at);
            if (!is_data(s->type))
                chunk_done(im);
            im->state = P_HEAD;
            if (strcmp(s->type, "IEND") == 0) {
                pixels_close(im);
                image_end(im);
            }
            break;
        }
    }
}

void image_png_finish(sdc_image *im)
{
    pixels_close(im);
    image_buf_free(&im->body);
}
