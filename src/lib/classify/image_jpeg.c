/*
 * image_jpeg.c - every segment of a JPEG (ITU-T T.81 annex B; JFIF, ITU-T
 * T.871; Exif 2.32 4.5.4 and 4.7; XMP part 3 1.1.3; ICC.1:2010 B.4).
 *
 * A JPEG starts with SOI (FF D8) and ends with EOI (FF D9). Between them
 * are markers (FF and a code, after any FF fill bytes); all but RSTn, TEM
 * and SOI carry a segment whose big-endian length counts itself. After SOS
 * comes entropy-coded data, in which FF is followed by 00 (a stuffed byte)
 * or RSTn, until the next marker. Each segment the standard defines is
 * checked against its layout (a frame header's length is 6 + 3 per
 * component, a quantisation table's 65 or 129 bytes...); JFIF's APP0 and
 * Adobe's APP14 are exact; an ICC profile in APP2 is checked; comments,
 * Exif, XMP, MPF and Photoshop resources are metadata parts. Any other
 * segment, and bytes between segments where only a marker may be, are
 * unexplained. Entropy-coded data is taken as the format says, not decoded.
 */
#include <stdio.h>
#include <string.h>

#include "classify/image_internal.h"

enum { J_START = 0, J_MARK, J_CODE, J_LEN, J_BODY, J_ENTROPY };

static bool starts(const image_buf *d, const char *tag, size_t n)
{
    return d->len >= n && memcmp(d->p, tag, n) == 0;
}

/* Tables of 1 + 64 or 1 + 128 bytes (B.2.4.1): the bytes they fill. */
static size_t dqt_length(const image_buf *d)
{
    size_t k = 0;
    while (k < d->len && (d->p[k] >> 4) <= 1) {
        size_t next = k + 1 + (d->p[k] >> 4 ? 128 : 64);
        if (next > d->len)
            break;
        k = next;
    }
    return k;
}

/* Tables of 1 + 16 counts + their sum of values (B.2.4.2). */
static size_t dht_length(const image_buf *d)
{
    size_t k = 0;
    while (k + 17 <= d->len) {
        size_t next = k + 17;
        for (int j = 1; j <= 16; j++)
            next += d->p[k + j];
        if (next > d->len)
            break;
        k = next;
    }
    return k;
}

/* The segments of T.81 itself: how many of their bytes the layout
 * explains (*KNOWN: the marker is one of them). */
static size_t frame_layout(unsigned char m, const image_buf *d, bool *known)
{
    const unsigned char *p = d->p;
    size_t n = d->len, want;
    *known = true;
    if ((m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) || m == 0xDE)
        want = n >= 6 ? 6 + 3 * (size_t)p[5] : n + 1; /* SOFn, DHP: B.2.2 */
    else if (m == 0xDA)
        want = n >= 1 ? 1 + 2 * (size_t)p[0] + 3 : n + 1; /* SOS: B.2.3 */
    else if (m == 0xC4)
        return dht_length(d);
    else if (m == 0xDB)
        return dqt_length(d);
    else if (m == 0xDD || m == 0xDC) /* DRI, DNL */
        want = 2;
    else if (m == 0xDF) /* EXP */
        want = 1;
    else if (m == 0xCC) /* DAC */
        want = n - n % 2;
    else {
        *known = false;
        return 0;
    }
    return want <= n ? want : 0;
}

/* APP2's ICC profile, maybe split over several segments (ICC.1 B.4). */
static bool icc_piece(sdc_image *im, const image_buf *d)
{
    jpeg_state *s = &im->u.jpeg;
    if (d->len < 14 || d->p[12] == 0 || d->p[12] > d->p[13])
        return false;
    const unsigned char *piece = d->p + 14;
    size_t n = d->len - 14;
    if (d->p[13] == 1)
        return image_icc_ok(piece, n);
    if (d->p[12] == 1) {
        if (n < 40 || memcmp(piece + 36, "acsp", 4) != 0)
            return false;
        s->icc_declared = image_be32(piece);
    }
    s->icc_many = true;
    s->icc_sum += n;
    return true;
}

/* APPn and COM: JFIF, Adobe, ICC are explained; metadata; the rest not. */
static void app_segment(sdc_image *im, unsigned char m, image_buf *d)
{
    jpeg_state *s = &im->u.jpeg;
    unsigned long long at = s->seg_at + 4;
    static const struct {
        unsigned char marker;
        const char *tag;
        size_t tag_len, skip;
        const char *name;
    } meta[] = {
        {0xE0, "JFXX\0", 5, 5, "APP0:JFXX"},
        {0xE1, "Exif\0\0", 6, 6, "APP1:Exif"},
        {0xE1, "http://ns.adobe.com/xap/1.0/\0", 29, 29, "APP1:XMP"},
        {0xE1, "http://ns.adobe.com/xmp/extension/\0", 35, 35 + 40, "APP1:XMP-extension"},
        {0xE2, "MPF\0", 4, 4, "APP2:MPF"},
        {0xED, "Photoshop 3.0\0", 14, 14, "APP13:Photoshop"},
    };
    if (m == 0xFE) {
        image_part(im, SDC_IMAGE_METADATA, "COM", NULL, at, d->len, d);
        return;
    }
    if (m == 0xE0 && starts(d, "JFIF\0", 5) && d->len >= 14) {
        size_t jfif = 14 + 3 * (size_t)d->p[12] * d->p[13];
        if (d->len == jfif)
            return;
        image_part_after(im, "APP0", "a JFIF APP0 segment longer than its thumbnail", at, d,
                         d->len > jfif ? jfif : 0);
        return;
    }
    if (m == 0xEE && starts(d, "Adobe", 5) && d->len == 12)
        return;
    if (m == 0xE2 && starts(d, "ICC_PROFILE\0", 12) && icc_piece(im, d))
        return;
    for (size_t k = 0; k < sizeof meta / sizeof meta[0]; k++) {
        if (m == meta[k].marker && starts(d, meta[k].tag, meta[k].tag_len) &&
            d->len >= meta[k].skip) {
            image_part_bytes(im, SDC_IMAGE_METADATA, meta[k].name, NULL, at + meta[k].skip,
                             d->p + meta[k].skip, d->len - meta[k].skip);
            return;
        }
    }
    char name[80], what[96];
    if (m >= 0xE0 && m <= 0xEF) {
        /* By convention an APPn payload starts with a NUL-terminated
         * identifier (JFIF 1.02, "APP0 marker"; Exif, XMP, ICC do): what
         * follows it is the payload, walked from its first byte. */
        size_t id = 0;
        while (id < d->len && id < 64 && d->p[id] >= 0x20 && d->p[id] < 0x7F)
            id++;
        if (id > 0 && id < 64 && id + 1 < d->len && d->p[id] == 0) {
            snprintf(name, sizeof name, "APP%d:%.*s", m - 0xE0, (int)id, (const char *)d->p);
            snprintf(what, sizeof what, "an APP%d segment of no known kind ('%.*s')", m - 0xE0,
                     (int)(id > 32 ? 32 : id), (const char *)d->p);
            image_part_after(im, name, what, at, d, id + 1);
            return;
        }
        snprintf(name, sizeof name, "APP%d", m - 0xE0);
        snprintf(what, sizeof what, "an APP%d segment of no known kind", m - 0xE0);
    } else {
        snprintf(name, sizeof name, "marker:%02X", m);
        snprintf(what, sizeof what, "a segment with marker FF %02X, which T.81 reserves", m);
    }
    image_part(im, SDC_IMAGE_UNEXPLAINED, name, what, at, d->len, d);
}

static void segment_done(sdc_image *im)
{
    jpeg_state *s = &im->u.jpeg;
    unsigned char m = s->marker;
    bool known;
    size_t explained = frame_layout(m, &im->body, &known);
    if (known && (explained < im->body.len || explained == 0)) {
        char name[32], what[96];
        snprintf(name, sizeof name, "marker:%02X", m);
        snprintf(what, sizeof what,
                 "a segment FF %02X of %zu bytes, which its layout does not allow", m,
                 im->body.len);
        image_part_after(im, name, what, s->seg_at + 4, &im->body, explained);
    } else if (!known) {
        app_segment(im, m, &im->body);
    }
    image_buf_free(&im->body);
    im->state = m == 0xDA ? J_ENTROPY : J_MARK;
}

static void junk_close(sdc_image *im)
{
    jpeg_state *s = &im->u.jpeg;
    if (s->junk.len || s->junk.cut)
        image_part(im, SDC_IMAGE_UNEXPLAINED, "between-segments",
                   "bytes between JPEG segments, where only a marker may be", s->junk_at,
                   s->junk.len, &s->junk);
}

/* The code after FF: a segment follows, or not. */
static void marker(sdc_image *im, unsigned char c)
{
    jpeg_state *s = &im->u.jpeg;
    junk_close(im);
    if (c == 0xD9) {
        image_end(im);
    } else if ((c >= 0xD0 && c <= 0xD7) || c == 0x01 || c == 0xD8) {
        if (c == 0xD8)
            image_problem(im, "a second start-of-image marker at offset %llu", im->pos - 2);
        im->state = J_MARK;
    } else {
        s->marker = c;
        s->seg_at = im->pos - 2;
        im->state = J_LEN;
    }
}

/* Entropy-coded data: up to the next FF that is not 00 or RSTn. */
static void entropy(sdc_image *im, const unsigned char *b, size_t len, size_t *i)
{
    jpeg_state *s = &im->u.jpeg;
    if (s->ff) {
        unsigned char c = b[(*i)++];
        im->pos++;
        if (c == 0xFF)
            return;
        s->ff = false;
        if (c != 0x00 && !(c >= 0xD0 && c <= 0xD7))
            marker(im, c);
        return;
    }
    const unsigned char *q = memchr(b + *i, 0xFF, len - *i);
    size_t n = q ? (size_t)(q - (b + *i)) + 1 : len - *i;
    *i += n;
    im->pos += n;
    s->ff = q != NULL;
}

/* Between segments: FF starts a marker; anything else is unexplained. */
static void between(sdc_image *im, unsigned char c)
{
    jpeg_state *s = &im->u.jpeg;
    if (c == 0xFF) {
        im->state = J_CODE;
        return;
    }
    if (!s->junk.len && !s->junk.cut)
        s->junk_at = im->pos - 1;
    s->junk.max = SDC_IMAGE_PART_MAX;
    image_keep(im, &s->junk, &c, 1);
}

void image_jpeg_feed(sdc_image *im, const unsigned char *b, size_t len)
{
    size_t i = 0;
    while (i < len && !im->ended) {
        switch (im->state) {
        case J_START:
            if (!image_gather(im, b, len, &i, 2))
                break;
            if (im->field[0] != 0xFF || im->field[1] != 0xD8) {
                image_problem(im, "no start-of-image marker");
                image_end_before(im, 2);
                return;
            }
            im->state = J_MARK;
            break;
        case J_MARK:
            im->pos++;
            between(im, b[i++]);
            break;
        case J_CODE:
            im->pos++;
            if (b[i] != 0xFF)
                marker(im, b[i]);
            i++;
            break;
        case J_LEN:
            if (!image_gather(im, b, len, &i, 2))
                break;
            im->left = image_be16(im->field);
            if (im->left < 2) {
                image_problem(im, "a segment length under 2 at offset %llu", im->pos - 2);
                im->left = 2;
            }
            im->left -= 2;
            image_body_start(im, 65536);
            if (im->left == 0)
                segment_done(im);
            else
                im->state = J_BODY;
            break;
        case J_BODY: {
            size_t at = i, n = image_span(im, len, &i);
            image_keep(im, &im->body, b + at, n);
            if (im->left == 0)
                segment_done(im);
            break;
        }
        case J_ENTROPY: entropy(im, b, len, &i); break;
        }
    }
}

void image_jpeg_finish(sdc_image *im)
{
    jpeg_state *s = &im->u.jpeg;
    junk_close(im);
    image_buf_free(&im->body);
    if (s->icc_many && s->icc_sum != s->icc_declared)
        image_problem(im, "the ICC profile's pieces hold %lu bytes; its header says %lu",
                      s->icc_sum, s->icc_declared);
}
