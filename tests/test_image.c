/* test_image.c - images walked whole: every PNG chunk, JPEG segment, GIF
 * block, BMP header and WebP chunk explained, metadata walked, the rest
 * reported (doc/design.md, "Images"). The images are built here from the
 * formats' published structure (PNG 3rd edition, ITU-T T.81, GIF89a,
 * Microsoft's BMP headers, RFC 9649); testdata/make-images.py makes the
 * same disguises with Pillow. The pickle is CPython's pickle.dumps. */
#include <criterion/criterion.h>
#include <zlib.h>

#include "classify/image.h"
#include "helpers.h"

static sdc_policy *policy;
static sdc_checker *checker;
static void setup(void)
{
    policy = sdc_policy_default();
    checker = sdc_checker_new(policy, NULL);
}
static void teardown(void)
{
    sdc_checker_free(checker);
    sdc_policy_free(policy);
}
TestSuite(image, .init = setup, .fini = teardown);

/* pickle.dumps({'coef': [1.5, 2.5]}, protocol=4) */
static const unsigned char pickle4[] =
    "\x80\x04\x95\x21\x00\x00\x00\x00\x00\x00\x00\x7d\x94\x8c\x04\x63\x6f\x65\x66\x94\x5d\x94\x28"
    "\x47\x3f\xf8\x00\x00\x00\x00\x00\x00\x47\x40\x04\x00\x00\x00\x00\x00\x00\x65\x73\x2e";
#define PICKLE_LEN (sizeof pickle4 - 1)

typedef struct buf {
    unsigned char b[4096];
    size_t n;
} buf;

static void put(buf *o, const void *p, size_t n)
{
    cr_assert_leq(o->n + n, sizeof o->b);
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void put_be32(buf *o, unsigned long v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    put(o, b, 4);
}

static void put_le32(buf *o, unsigned long v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    put(o, b, 4);
}

/* A PNG chunk: length, type, data, CRC-32 of type and data. */
static void chunk(buf *o, const char *type, const void *d, size_t n)
{
    put_be32(o, n);
    size_t at = o->n;
    put(o, type, 4);
    if (n)
        put(o, d, n);
    put_be32(o, crc32(0, o->b + at, (uInt)(n + 4)));
}

/* The zlib stream of a 2x2 8-bit grey image: two rows of a filter byte
 * and two pixels, with EXTRA bytes after them. */
static size_t pixels(unsigned char *out, const void *extra, size_t extra_len)
{
    unsigned char raw[64] = {0, 128, 128, 0, 128, 128};
    if (extra_len)
        memcpy(raw + 6, extra, extra_len);
    uLongf n = 128;
    cr_assert_eq(compress(out, &n, raw, 6 + extra_len), Z_OK);
    return n;
}

static const unsigned char ihdr[] = {0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0};

/* A 2x2 grey PNG with the chunks BEFORE (already built) ahead of IDAT. */
static void png(buf *o, const buf *before)
{
    unsigned char idat[128];
    size_t n = pixels(idat, NULL, 0);
    put(o, "\x89PNG\r\n\x1a\n", 8);
    chunk(o, "IHDR", ihdr, sizeof ihdr);
    if (before)
        put(o, before->b, before->n);
    chunk(o, "IDAT", idat, n);
    chunk(o, "IEND", NULL, 0);
}

/* A JPEG's structure (T.81 annex B; JFIF APP0): SOI, APP0, DQT, SOF0, DHT,
 * SOS, entropy-coded data with a stuffed byte and a restart marker, EOI.
 * EXTRA (already built) goes after APP0. */
static void jpeg(buf *o, const buf *extra)
{
    static const unsigned char head[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F',
                                         0,    1,    1,    0,    0, 1,  0,   1,   0,   0};
    put(o, head, sizeof head);
    if (extra)
        put(o, extra->b, extra->n);
    unsigned char dqt[4 + 65] = {0xFF, 0xDB, 0, 67, 0};
    put(o, dqt, sizeof dqt);
    static const unsigned char sof[] = {0xFF, 0xC0, 0, 11, 8, 0, 2, 0, 2, 1, 1, 0x11, 0};
    put(o, sof, sizeof sof);
    unsigned char dht[4 + 18] = {0xFF, 0xC4, 0, 20, 0x00, 1};
    put(o, dht, sizeof dht);
    static const unsigned char sos[] = {0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0};
    put(o, sos, sizeof sos);
    static const unsigned char data[] = {0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9};
    put(o, data, sizeof data);
}

/* A 1x1 GIF89a (GIF89a spec): header, screen descriptor with a 2-colour
 * table, graphic control extension, EXTRA blocks (already built), one
 * image, trailer. */
static void gif(buf *o, const buf *extra)
{
    static const unsigned char head[] = {'G', 'I',  'F',  '8', '9', 'a', 1, 0,   1,
                                         0,   0x80, 0,    0,   0,   0,   0, 255, 255,
                                         255, 0x21, 0xF9, 4,   0,   0,   0, 0,   0};
    put(o, head, sizeof head);
    if (extra)
        put(o, extra->b, extra->n);
    static const unsigned char image[] = {0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0};
    put(o, image, sizeof image);
    put(o, "\x3B", 1);
}

/* A 2x2 24-bit BMP (BITMAPFILEHEADER + BITMAPINFOHEADER): rows of 6 bytes
 * padded to 8. GAP bytes between the header and the pixels. */
static void bmp(buf *o, const void *gap, size_t gap_len)
{
    put(o, "BM", 2);
    put_le32(o, 14 + 40 + gap_len + 16);
    put_le32(o, 0);
    put_le32(o, 14 + 40 + gap_len);
    static const unsigned char info[] = {40, 0, 0, 0, 2, 0, 0,  0, 2, 0, 0, 0, 1, 0,
                                         24, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0,
                                         0,  0, 0, 0, 0, 0, 0,  0, 0, 0, 0, 0};
    put(o, info, sizeof info);
    if (gap_len)
        put(o, gap, gap_len);
    unsigned char px[16];
    memset(px, 0x80, sizeof px);
    put(o, px, sizeof px);
}

/* A WebP (RFC 9649): RIFF header, a VP8L chunk (its bitstream is not
 * decoded), then EXTRA chunks (already built). */
static void webp(buf *o, const buf *extra)
{
    static const unsigned char vp8l[] = {0x2f, 0x01, 0x40, 0x00, 0x00, 0x07, 0x10, 0x11};
    size_t body = 4 + 8 + sizeof vp8l + (extra ? extra->n : 0);
    put(o, "RIFF", 4);
    put_le32(o, body);
    put(o, "WEBP", 4);
    put(o, "VP8L", 4);
    put_le32(o, sizeof vp8l);
    put(o, vp8l, sizeof vp8l);
    if (extra)
        put(o, extra->b, extra->n);
}

static void riff_chunk(buf *o, const char *fourcc, const void *d, size_t n)
{
    put(o, fourcc, 4);
    put_le32(o, n);
    put(o, d, n);
    if (n & 1)
        put(o, "", 1);
}

static sdc_file_result check(const char *name, const buf *o)
{
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(checker, name, o->b, o->n, &r), 0);
    return r;
}

/* The image's findings beyond the review every image gets. */
static size_t reported(const sdc_file_result *r)
{
    return r->findings.count - count_rule(&r->findings, "needs-review");
}

static void assert_clean(const char *name, const buf *o)
{
    sdc_file_result r = check(name, o);
    cr_assert_eq(r.verdict, SDC_REVIEW, "%s: an image is read by a person", name);
    cr_assert_eq(reported(&r), 0, "%s: every byte is explained; first finding: %s", name,
                 r.findings.count ? r.findings.items[0].message : "-");
    sdc_file_result_free(&r);
}

/* RULE is on the image with VERDICT, and its message holds WORD. */
static void assert_found(const char *name, const buf *o, const char *rule, sdc_verdict verdict,
                         const char *word)
{
    sdc_file_result r = check(name, o);
    const sdc_finding *f = find_rule(&r.findings, rule);
    cr_assert_not_null(f, "%s: no %s finding", name, rule);
    cr_assert_eq(f->verdict, verdict, "%s: %s is %s: %s", name, rule, sdc_verdict_name(f->verdict),
                 f->message);
    cr_assert(!word || strstr(f->message, word), "%s: '%s' not in: %s", name, word, f->message);
    sdc_file_result_free(&r);
}

Test(image, honest_images_of_every_format_are_explained_to_the_last_byte)
{
    buf o = {0};
    png(&o, NULL);
    assert_clean("chart.png", &o);
    o.n = 0;
    jpeg(&o, NULL);
    assert_clean("chart.jpg", &o);
    o.n = 0;
    gif(&o, NULL);
    assert_clean("chart.gif", &o);
    o.n = 0;
    bmp(&o, NULL, 0);
    assert_clean("chart.bmp", &o);
    o.n = 0;
    webp(&o, NULL);
    assert_clean("chart.webp", &o);
}

Test(image, png_text_chunks_are_walked_and_pass_when_they_are_text)
{
    buf c = {0}, o = {0};
    chunk(&c, "tEXt", "Software\0matplotlib version 3.6.3", 33);
    unsigned char z[128];
    uLongf zn = sizeof z;
    compress(z, &zn, (const Bytef *)"a chart of counts", 17);
    unsigned char ztxt[160] = "Comment\0";
    memcpy(ztxt + 9, z, zn); /* keyword, NUL, method 0, the stream */
    chunk(&c, "zTXt", ztxt, 9 + zn);
    chunk(&c, "iTXt", "Title\0\0\0en\0\0A chart", 19);
    chunk(&c, "pHYs", "\0\0\x0b\x13\0\0\x0b\x13\x01", 9);
    png(&o, &c);
    sdc_file_result *r;
    size_t n;
    char path[64] = "/tmp/sdc-image-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_eq(write(fd, o.b, o.n), (ssize_t)o.n);
    close(fd);
    cr_assert_eq(sdc_check_file_all(checker, path, "chart.png", &r, &n), 0);
    unlink(path);
    cr_assert_eq(n, 4, "the image and its three text chunks");
    cr_assert_str_eq(r[1].path, "chart.png!tEXt:Software");
    cr_assert_str_eq(r[2].path, "chart.png!zTXt:Comment");
    cr_assert_str_eq(r[3].path, "chart.png!iTXt:Title");
    for (size_t i = 1; i < n; i++) {
        cr_assert_str_eq(r[i].format, "image-metadata");
        cr_assert_eq(r[i].verdict, SDC_PASS, "%s", r[i].path);
    }
    cr_assert_eq(r[0].verdict, SDC_REVIEW);
    cr_assert_eq(reported(&r[0]), 0);
    for (size_t i = 0; i < n; i++)
        sdc_file_result_free(&r[i]);
    free(r);
}

Test(image, a_model_in_png_text_fails_raw_compressed_or_encoded)
{
    /* zTXt whose text inflates to the pickle's bytes */
    unsigned char z[256], ztxt[300] = "Raw\0";
    uLongf zn = sizeof z;
    compress(z, &zn, pickle4, PICKLE_LEN);
    memcpy(ztxt + 5, z, zn);
    buf c = {0}, o = {0};
    chunk(&c, "zTXt", ztxt, 5 + zn);
    png(&o, &c);
    assert_found("chart.png", &o, "model-file", SDC_FAIL, "zTXt:Raw");
    /* tEXt holding the pickle in base64 */
    char text[200] = "Comment";
    size_t k = 8;
    static const char b64[] = "gASVIQAAAAAAAAB9lIwEY29lZpRdlChHP/gAAAAAAABHQAQAAAAAAABlcy4=";
    memcpy(text + k, b64, sizeof b64 - 1);
    c.n = o.n = 0;
    chunk(&c, "tEXt", text, k + sizeof b64 - 1);
    png(&o, &c);
    /* decoded and walked as a member of the text chunk, itself a member */
    assert_found("chart.png", &o, "model-file", SDC_FAIL, "tEXt:Comment");
}

Test(image, a_private_png_chunk_is_unexplained_and_fails_when_it_is_a_file)
{
    buf c = {0}, o = {0};
    chunk(&c, "prVt", pickle4, PICKLE_LEN);
    png(&o, &c);
    assert_found("chart.png", &o, "embedded-blob", SDC_FAIL, "prVt");
    assert_found("chart.png", &o, "model-file", SDC_FAIL, "chunk:prVt");
    /* A few plain words in a private chunk: unexplained, but not a file. */
    c.n = o.n = 0;
    chunk(&c, "prVt", "made on Tuesday", 15);
    png(&o, &c);
    assert_found("chart.png", &o, "embedded-blob", SDC_REVIEW, "prVt");
}

Test(image, png_chunks_that_break_their_layout_are_unexplained)
{
    /* gAMA is 4 bytes (11.3.2.2); these carry the pickle after them. */
    unsigned char gama[4 + PICKLE_LEN] = {0, 0, 0xB1, 0x8F};
    memcpy(gama + 4, pickle4, PICKLE_LEN);
    buf c = {0}, o = {0};
    chunk(&c, "gAMA", gama, sizeof gama);
    png(&o, &c);
    assert_found("chart.png", &o, "embedded-blob", SDC_FAIL, "gAMA");
    /* iCCP must inflate to an ICC profile. */
    unsigned char z[256], iccp[300] = "ICC\0";
    uLongf zn = sizeof z;
    compress(z, &zn, pickle4, PICKLE_LEN);
    memcpy(iccp + 5, z, zn);
    c.n = o.n = 0;
    chunk(&c, "iCCP", iccp, 5 + zn);
    png(&o, &c);
    assert_found("chart.png", &o, "embedded-blob", SDC_REVIEW, "iCCP");
}

Test(image, bytes_inside_iend_fail)
{
    buf o = {0};
    png(&o, NULL);
    o.n -= 12; /* the empty IEND */
    chunk(&o, "IEND", pickle4, PICKLE_LEN);
    assert_found("chart.png", &o, "embedded-blob", SDC_FAIL, "IEND");
}

Test(image, bytes_after_the_zlib_stream_or_past_the_image_size_fail)
{
    unsigned char idat[256];
    size_t n = pixels(idat, NULL, 0);
    memcpy(idat + n, pickle4, PICKLE_LEN); /* after the stream, inside IDAT */
    buf o = {0};
    put(&o, "\x89PNG\r\n\x1a\n", 8);
    chunk(&o, "IHDR", ihdr, sizeof ihdr);
    chunk(&o, "IDAT", idat, n + PICKLE_LEN);
    chunk(&o, "IEND", NULL, 0);
    assert_found("chart.png", &o, "embedded-blob", SDC_FAIL,
                 "after the end of the IDAT zlib stream");
    /* The stream inflates to the rows and then the pickle. */
    n = pixels(idat, pickle4, PICKLE_LEN);
    o.n = 0;
    put(&o, "\x89PNG\r\n\x1a\n", 8);
    chunk(&o, "IHDR", ihdr, sizeof ihdr);
    chunk(&o, "IDAT", idat, n);
    chunk(&o, "IEND", NULL, 0);
    assert_found("chart.png", &o, "embedded-blob", SDC_FAIL, "past the image's size");
    assert_found("chart.png", &o, "model-file", SDC_FAIL, "IDAT:past-image");
}

Test(image, a_png_with_a_bad_crc_or_cut_short_is_malformed)
{
    buf o = {0};
    png(&o, NULL);
    o.b[8 + 8 + 13] ^= 1; /* IHDR's CRC */
    assert_found("chart.png", &o, "malformed", SDC_REVIEW, "CRC");
    o.n = 0;
    png(&o, NULL);
    o.n -= 12;
    assert_found("chart.png", &o, "malformed", SDC_REVIEW, "stops before");
}

Test(image, an_animated_png_is_walked_frame_by_frame)
{
    /* acTL (2 frames), fcTL for frame 1 before IDAT, then fcTL and fdAT
     * (a sequence number, then the frame's own zlib stream). */
    unsigned char actl[8] = {0, 0, 0, 2, 0, 0, 0, 0},
                  fctl[26] = {0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2};
    unsigned char idat[128], fdat[132] = {0, 0, 0, 2};
    size_t n = pixels(idat, NULL, 0);
    buf o = {0};
    put(&o, "\x89PNG\r\n\x1a\n", 8);
    chunk(&o, "IHDR", ihdr, sizeof ihdr);
    chunk(&o, "acTL", actl, sizeof actl);
    chunk(&o, "fcTL", fctl, sizeof fctl);
    chunk(&o, "IDAT", idat, n);
    fctl[3] = 1;
    chunk(&o, "fcTL", fctl, sizeof fctl);
    memcpy(fdat + 4, idat, n);
    chunk(&o, "fdAT", fdat, 4 + n);
    chunk(&o, "IEND", NULL, 0);
    assert_clean("anim.png", &o);
    /* The second frame's stream with the pickle after it. */
    size_t at = o.n - 12 - (12 + 4 + n);
    o.n = at;
    memcpy(fdat + 4 + n, pickle4, PICKLE_LEN);
    chunk(&o, "fdAT", fdat, 4 + n + PICKLE_LEN);
    chunk(&o, "IEND", NULL, 0);
    assert_found("anim.png", &o, "embedded-blob", SDC_FAIL, "fdAT");
}

Test(image, jpeg_comments_and_app_segments_are_walked)
{
    buf e = {0}, o = {0};
    unsigned char com[4 + PICKLE_LEN] = {0xFF, 0xFE, 0, (unsigned char)(PICKLE_LEN + 2)};
    memcpy(com + 4, pickle4, PICKLE_LEN);
    put(&e, com, sizeof com);
    jpeg(&o, &e);
    assert_found("photo.jpg", &o, "model-file", SDC_FAIL, "COM");
    com[1] = 0xE9; /* APP9: no known kind */
    e.n = o.n = 0;
    put(&e, com, sizeof com);
    jpeg(&o, &e);
    assert_found("photo.jpg", &o, "embedded-blob", SDC_FAIL, "APP9");
    /* APP15 with a NUL-terminated identifier before the pickle: the
     * payload after it is walked from its first byte. */
    unsigned char app[4 + 5 + PICKLE_LEN] = {0xFF, 0xEF, 0, (unsigned char)(PICKLE_LEN + 7)};
    memcpy(app + 4, "PRIV", 5);
    memcpy(app + 9, pickle4, PICKLE_LEN);
    e.n = o.n = 0;
    put(&e, app, sizeof app);
    jpeg(&o, &e);
    assert_found("photo.jpg", &o, "model-file", SDC_FAIL, "APP15:PRIV");
    /* A comment in words passes as metadata. */
    e.n = o.n = 0;
    put(&e, "\xFF\xFE\0\x0dMade by me", 15);
    jpeg(&o, &e);
    assert_clean("photo.jpg", &o);
}

Test(image, jpeg_segments_that_break_their_layout_or_bytes_between_them_are_unexplained)
{
    buf e = {0}, o = {0};
    /* A DQT of one 8-bit table and the pickle after it. */
    unsigned char dqt[4 + 65 + PICKLE_LEN] = {0xFF, 0xDB, 0, (unsigned char)(67 + PICKLE_LEN)};
    memcpy(dqt + 4 + 65, pickle4, PICKLE_LEN);
    put(&e, dqt, sizeof dqt);
    jpeg(&o, &e);
    assert_found("photo.jpg", &o, "embedded-blob", SDC_FAIL, "FF DB");
    /* The pickle between two segments, where only a marker may be. */
    e.n = o.n = 0;
    put(&e, pickle4 + 1, PICKLE_LEN - 1); /* no FF in it */
    jpeg(&o, &e);
    assert_found("photo.jpg", &o, "embedded-blob", SDC_REVIEW, "between JPEG segments");
    /* A JFIF APP0 with a thumbnail it does not declare. */
    o.n = 0;
    jpeg(&o, NULL);
    o.b[5] = 20;
    memmove(o.b + 24, o.b + 20, o.n - 20);
    memcpy(o.b + 20, "\x80\x04\x95\x21", 4);
    o.n += 4;
    assert_found("photo.jpg", &o, "embedded-blob", SDC_REVIEW, "APP0");
}

Test(image, gif_blocks_are_walked)
{
    buf e = {0}, o = {0};
    /* A comment extension: sub-blocks of the pickle. */
    put(&e, "\x21\xFE", 2);
    unsigned char len = (unsigned char)PICKLE_LEN;
    put(&e, &len, 1);
    put(&e, pickle4, PICKLE_LEN);
    put(&e, "", 1);
    gif(&o, &e);
    assert_found("chart.gif", &o, "model-file", SDC_FAIL, "comment");
    /* An application extension of no known kind. */
    e.n = o.n = 0;
    put(&e, "\x21\xFF\x0BSECRETDATA1", 14);
    put(&e, &len, 1);
    put(&e, pickle4, PICKLE_LEN);
    put(&e, "", 1);
    gif(&o, &e);
    assert_found("chart.gif", &o, "embedded-blob", SDC_FAIL, "application extension");
    /* NETSCAPE2.0's loop count is explained. */
    e.n = o.n = 0;
    put(&e, "\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00", 19);
    gif(&o, &e);
    assert_clean("chart.gif", &o);
    /* A pickle after the trailer. */
    o.n = 0;
    gif(&o, NULL);
    put(&o, pickle4, PICKLE_LEN);
    assert_found("chart.gif", &o, "appended-data", SDC_FAIL, "GIF's trailer");
}

Test(image, a_bmp_ends_with_its_pixels_whatever_its_header_claims)
{
    buf o = {0};
    bmp(&o, NULL, 0);
    put(&o, pickle4, PICKLE_LEN);
    assert_found("chart.bmp", &o, "appended-data", SDC_FAIL, "pickle");
    /* bfSize made to cover the pickle changes nothing. */
    o.b[2] = (unsigned char)(o.n & 0xff), o.b[3] = (unsigned char)(o.n >> 8);
    assert_found("chart.bmp", &o, "appended-data", SDC_FAIL, "pickle");
    /* Between the header and the pixels: unexplained unless zero. */
    o.n = 0;
    bmp(&o, pickle4, PICKLE_LEN);
    assert_found("chart.bmp", &o, "embedded-blob", SDC_FAIL, "colour table");
    o.n = 0;
    unsigned char zero[4] = {0};
    bmp(&o, zero, sizeof zero);
    assert_clean("chart.bmp", &o);
}

Test(image, webp_chunks_are_walked_and_it_ends_where_riff_says)
{
    buf e = {0}, o = {0};
    riff_chunk(&e, "PRVT", pickle4, PICKLE_LEN);
    webp(&o, &e);
    assert_found("chart.webp", &o, "embedded-blob", SDC_FAIL, "PRVT");
    e.n = o.n = 0;
    riff_chunk(&e, "XMP ", "<x:xmpmeta/>", 12);
    webp(&o, &e);
    assert_clean("chart.webp", &o);
    o.n = 0;
    webp(&o, NULL);
    put(&o, pickle4, PICKLE_LEN);
    assert_found("chart.webp", &o, "appended-data", SDC_FAIL, "RIFF");
}

/* The same parts, problems and tail whatever the pieces the bytes come in. */
static void assert_split_free(const char *format, const buf *o)
{
    sdc_image *whole = sdc_image_new(format);
    sdc_image_feed(whole, o->b, o->n);
    sdc_image_finish(whole);
    const unsigned char *tail;
    size_t tail_len;
    unsigned long long appended = sdc_image_appended(whole, &tail, &tail_len);
    for (size_t step = 1; step <= 7; step += 3) {
        sdc_image *im = sdc_image_new(format);
        for (size_t i = 0; i < o->n; i += step)
            sdc_image_feed(im, o->b + i, o->n - i < step ? o->n - i : step);
        sdc_image_finish(im);
        cr_assert_eq(sdc_image_nparts(im), sdc_image_nparts(whole), "%s step %zu", format, step);
        for (size_t k = 0; k < sdc_image_nparts(im); k++) {
            const sdc_image_part *a = sdc_image_part_at(im, k), *b = sdc_image_part_at(whole, k);
            cr_assert_str_eq(a->name, b->name);
            cr_assert_eq(a->len, b->len);
            cr_assert_eq(memcmp(a->data, b->data, a->len), 0);
        }
        const unsigned char *t;
        size_t tl;
        cr_assert_eq(sdc_image_appended(im, &t, &tl), appended, "%s step %zu", format, step);
        cr_assert_eq(sdc_image_problem(im, NULL) == NULL, sdc_image_problem(whole, NULL) == NULL);
        sdc_image_free(im);
    }
    sdc_image_free(whole);
}

Test(image, the_walks_survive_any_split_of_the_stream)
{
    buf c = {0}, o = {0};
    chunk(&c, "prVt", pickle4, PICKLE_LEN);
    chunk(&c, "tEXt", "Author\0me", 9);
    png(&o, &c);
    put(&o, "EXTRA", 5);
    assert_split_free("png", &o);
    o.n = 0;
    jpeg(&o, NULL);
    put(&o, "EXTRA", 5);
    assert_split_free("jpeg", &o);
    o.n = 0;
    gif(&o, NULL);
    put(&o, "EXTRA", 5);
    assert_split_free("gif", &o);
    o.n = 0;
    bmp(&o, "\1\2", 2);
    put(&o, "EXTRA", 5);
    assert_split_free("bmp", &o);
    o.n = 0;
    webp(&o, NULL);
    put(&o, "EXTRA", 5);
    assert_split_free("webp", &o);
}

/* Property (issue 10): a pickle inserted into a valid image at any
 * position is walked or reported, never left unseen. The result never
 * passes; while the bytes still read as an image of FORMAT, it carries a
 * finding beyond the review every image gets (an insertion into the
 * signature makes the file unknown, which is read by a person). */
static void assert_insertions_reported(const char *name, const char *format, const buf *base,
                                       size_t skip_from, size_t skip_to)
{
    for (size_t at = 0; at <= base->n; at++) {
        if (at >= skip_from && at < skip_to)
            continue;
        buf o = {0};
        put(&o, base->b, at);
        put(&o, pickle4, PICKLE_LEN);
        put(&o, base->b + at, base->n - at);
        sdc_file_result r = check(name, &o);
        cr_assert_neq(r.verdict, SDC_PASS, "%s: inserted at %zu", name, at);
        bool still = r.format && strcmp(r.format, format) == 0;
        cr_assert(!still || reported(&r) > 0, "%s: the pickle inserted at %zu is not reported",
                  name, at);
        sdc_file_result_free(&r);
    }
}

Test(image, a_pickle_inserted_anywhere_is_reported, .timeout = 120)
{
    buf o = {0};
    png(&o, NULL);
    assert_insertions_reported("chart.png", "png", &o, 0, 0);
    o.n = 0;
    jpeg(&o, NULL);
    /* Not into the scan (from SOS's component count to EOI): entropy-coded
     * data is not decoded (doc/design.md, "Images"), and the pickle holds
     * no FF to end it. */
    assert_insertions_reported("chart.jpg", "jpeg", &o, o.n - 9 - 6, o.n - 1);
    o.n = 0;
    gif(&o, NULL);
    assert_insertions_reported("chart.gif", "gif", &o, 0, 0);
    o.n = 0;
    bmp(&o, NULL, 0);
    assert_insertions_reported("chart.bmp", "bmp", &o, 0, 0);
    o.n = 0;
    webp(&o, NULL);
    assert_insertions_reported("chart.webp", "webp", &o, 0, 0);
}

/* TIFF, from testdata/make-tiffs.py (Pillow, and by hand from TIFF 6.0
 * and the BigTIFF description): what each file holds is known from how
 * it was made. */
typedef struct fbuf {
    unsigned char *b;
    size_t n;
} fbuf;

static fbuf read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot read %s: run from the repository root", path);
    fbuf o = {malloc(1 << 20), 0};
    cr_assert_not_null(o.b);
    o.n = fread(o.b, 1, 1 << 20, f);
    fclose(f);
    return o;
}

static sdc_image *walk_tiff(const fbuf *o, size_t step)
{
    sdc_image *im = sdc_image_new("tiff");
    cr_assert_not_null(im);
    for (size_t i = 0; i < o->n; i += step)
        sdc_image_feed(im, o->b + i, o->n - i < step ? o->n - i : step);
    sdc_image_finish(im);
    return im;
}

Test(image, honest_tiffs_are_explained_to_the_last_byte)
{
    static const char *const files[] = {"chart.tif", "chart_lzw.tif", "chart_pages.tif",
                                        "chart_bigtiff.tif", "chart_described.tif"};
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        char path[128];
        snprintf(path, sizeof path, "testdata/images/%s", files[k]);
        fbuf o = read_file(path);
        sdc_image *im = walk_tiff(&o, o.n);
        cr_assert_null(sdc_image_problem(im, NULL), "%s: %s", files[k],
                       sdc_image_problem(im, NULL));
        for (size_t i = 0; i < sdc_image_nparts(im); i++)
            cr_assert_eq(sdc_image_part_at(im, i)->kind, SDC_IMAGE_METADATA, "%s: %s", files[k],
                         sdc_image_part_at(im, i)->name);
        const unsigned char *tail;
        size_t tail_len;
        cr_assert_eq(sdc_image_appended(im, &tail, &tail_len), 0, "%s", files[k]);
        sdc_image_free(im);
        free(o.b);
    }
}

Test(image, a_tiffs_gap_private_tag_and_tail_are_found_with_their_bytes)
{
    fbuf npy = read_file("testdata/artefacts/models/weights.npy");
    fbuf pkl = read_file("testdata/artefacts/models/sklearn_logreg_p4.pkl");
    /* The .npy lies between the IFD (9 entries: 8 + 2 + 9 * 12 + 4 = 122)
     * and the strip. Fed whole and byte by byte. */
    fbuf gap = read_file("testdata/images/chart_gap.tif");
    for (size_t step = 1; step <= gap.n; step += gap.n - 1) {
        sdc_image *im = walk_tiff(&gap, step);
        cr_assert_eq(sdc_image_nparts(im), 1);
        const sdc_image_part *p = sdc_image_part_at(im, 0);
        cr_assert_eq(p->kind, SDC_IMAGE_UNEXPLAINED);
        cr_assert_eq(p->offset, 122);
        cr_assert_eq(p->len, npy.n);
        cr_assert_eq(memcmp(p->data, npy.b, npy.n), 0);
        sdc_image_free(im);
    }
    fbuf tag = read_file("testdata/images/chart_private_tag.tif");
    sdc_image *im = walk_tiff(&tag, tag.n);
    bool found = false;
    for (size_t i = 0; i < sdc_image_nparts(im); i++) {
        const sdc_image_part *p = sdc_image_part_at(im, i);
        if (strcmp(p->name, "tag:65000") == 0)
            found = p->kind == SDC_IMAGE_UNEXPLAINED && p->len == pkl.n &&
                    memcmp(p->data, pkl.b, pkl.n) == 0;
    }
    cr_assert(found, "the private tag's value is the pickle");
    sdc_image_free(im);
    fbuf app = read_file("testdata/images/chart_appended.tif");
    im = walk_tiff(&app, app.n);
    const unsigned char *tail;
    size_t tail_len;
    cr_assert_eq(sdc_image_appended(im, &tail, &tail_len), pkl.n);
    cr_assert_eq(memcmp(tail, pkl.b, 16), 0);
    sdc_image_free(im);
    free(npy.b), free(pkl.b), free(gap.b), free(tag.b), free(app.b);
}

/* fuzz/detect: a BigTIFF whose first IFD offset is 2^64 - 1 made the
 * bounds check of a read (offset + size > file size) wrap around to
 * pass, and the read went one byte before the file (UBSan: pointer
 * overflow). The IFD lies past the end, and is said to. */
Test(image, a_tiff_ifd_offset_near_two_to_the_64_is_past_the_end)
{
    static const unsigned char big[16] = {'I',  'I',  43,   0,    8,    0,    0,    0,
                                          0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    fbuf o = {(unsigned char *)big, sizeof big};
    sdc_image *im = walk_tiff(&o, o.n);
    unsigned count = 0;
    const char *why = sdc_image_problem(im, &count);
    cr_assert_not_null(why);
    cr_assert_not_null(strstr(why, "offset 18446744073709551615 lies past the file's end"), "%s",
                       why);
    sdc_image_free(im);
}

/* fuzz/detect: a JPEG's DHT segment of length 2 (no table at all) is a
 * segment its layout does not allow, kept as an empty part; moving its
 * empty buffer added an offset to a null pointer (clang's UBSan). */
Test(image, an_empty_huffman_table_segment_is_an_empty_unexplained_part)
{
    static const unsigned char jpg[] = {0xff, 0xd8, 0xff, 0xc4, 0x00, 0x02};
    sdc_image *im = sdc_image_new("jpeg");
    cr_assert_not_null(im);
    sdc_image_feed(im, jpg, sizeof jpg);
    sdc_image_finish(im);
    bool found = false;
    for (size_t i = 0; i < sdc_image_nparts(im); i++) {
        const sdc_image_part *p = sdc_image_part_at(im, i);
        if (strcmp(p->name, "marker:C4") == 0) {
            found = true;
            cr_assert_eq(p->kind, SDC_IMAGE_UNEXPLAINED);
            cr_assert_eq(p->len, 0);
            cr_assert_not_null(strstr(p->what, "of 0 bytes"), "%s", p->what);
        }
    }
    cr_assert(found, "the empty DHT segment is reported");
    sdc_image_free(im);
}
