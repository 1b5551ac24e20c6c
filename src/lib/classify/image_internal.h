/*
 * image_internal.h - what the image walks share (private to
 * classify/image*.c): the walk's state, gathering a fixed-size field and
 * a body across any split of the stream, keeping bytes, adding parts.
 */
#ifndef SDC_IMAGE_INTERNAL_H
#define SDC_IMAGE_INTERNAL_H

#include <zlib.h>

#include "classify/image.h"

typedef enum image_format { IMG_PNG, IMG_JPEG, IMG_GIF, IMG_BMP, IMG_WEBP, IMG_TIFF } image_format;

/* Bytes being kept, up to a limit. */
typedef struct image_buf {
    unsigned char *p;
    size_t len, cap, max;
    bool cut;
} image_buf;

/* A zlib stream of pixels (a PNG's IDATs, an APNG frame's fdATs): the
 * bytes it inflates to past the image's size and those after its end are
 * unexplained. */
typedef struct pixel_stream {
    z_stream z;
    bool open;                   /* inflateInit done */
    bool done;                   /* the stream ended, or broke */
    bool broken;                 /* not a valid zlib stream */
    bool started;                /* bytes were fed */
    unsigned long long expected; /* raw bytes the frame's size needs, 0: not known */
    unsigned long long out;      /* inflated so far */
    unsigned long long end_at;   /* offset where the stream ended */
    unsigned long long after_at; /* offset of the first byte after the stream */
    image_buf past;              /* inflated bytes past EXPECTED */
    image_buf after;             /* stream bytes after its end */
    char frame[32];              /* "IDAT", "fdAT frame 2" */
} pixel_stream;

typedef struct png_state {
    unsigned long long chunk_at; /* offset of the chunk's length field */
    char type[5];
    unsigned long length;
    uLong crc;
    unsigned skip; /* fdAT: bytes of sequence number still to pass */
    /* IHDR */
    bool ihdr;
    unsigned long width, height;
    unsigned bits_per_pixel; /* bit depth x channels */
    bool interlaced;
    int frames; /* fcTL chunks seen */
    pixel_stream px;
    unsigned char scratch[32768];
} png_state;

typedef struct jpeg_state {
    unsigned char marker;
    unsigned long long seg_at;
    bool entropy;   /* inside entropy-coded data (after SOS) */
    bool ff;        /* an FF seen (in entropy data or between segments) */
    image_buf junk; /* bytes between segments */
    unsigned long long junk_at;
    unsigned long icc_declared, icc_sum; /* ICC profile over APP2 pieces */
    bool icc_many;
} jpeg_state;

typedef struct gif_state {
    unsigned char label;         /* extension label, 0x2C for image data */
    unsigned long long block_at; /* offset of the block's data */
    int sub;                     /* sub-blocks read in this block */
    unsigned sub_len;            /* bytes of the current sub-block */
    size_t sub_start;            /* where it starts in the body */
    bool bad;                    /* the block breaks its layout */
    char app[12];                /* application extension identifier */
    int next;                    /* the state after a skipped table */
} gif_state;

typedef struct riff_state {
    /* WebP */
    unsigned long long riff_end; /* 8 + the RIFF size */
    unsigned long long anmf_end; /* inside an ANMF frame: where it ends, else 0 */
    char fourcc[5];
    unsigned long long chunk_at;
    unsigned long size;
    /* BMP */
    unsigned long long header_end, off_bits, pixel_end;
    unsigned long long gap_at;
    image_buf gap; /* bytes between the colour table and the pixels */
} riff_state;

struct sdc_image {
    image_format fmt;
    unsigned long long pos; /* bytes walked */
    unsigned long long end; /* just past the last explained byte, when ended */
    bool ended;
    int state;
    /* a fixed-size field being gathered */
    unsigned char field[160];
    size_t have;
    /* the body being read */
    unsigned long long left;
    image_buf body;
    /* results */
    sdc_image_part *parts;
    size_t nparts, cap, dropped;
    size_t kept; /* bytes kept in parts */
    char problem[200];
    unsigned problems;
    bool oom; /* a part or body could not be kept: memory ran out */
    unsigned char tail[SDC_IMAGE_TAIL];
    size_t tail_len;
    union {
        png_state png;
        jpeg_state jpeg;
        gif_state gif;
        riff_state riff;
    } u;
};

/* Gathers bytes into FIELD until NEED are there; true when complete (the
 * next gather starts afresh). Advances *I and the position. */
bool image_gather(sdc_image *im, const unsigned char *b, size_t len, size_t *i, size_t need);

/* The next piece of the current body: how many of the LEN - *I bytes at
 * B + *I belong to it (*I and the position are advanced past them). */
size_t image_span(sdc_image *im, size_t len, size_t *i);

/* Starts keeping the body in BODY, up to MAX bytes (and the walk's
 * budget). */
void image_body_start(sdc_image *im, size_t max);
void image_keep(sdc_image *im, image_buf *buf, const unsigned char *p, size_t n);
void image_buf_free(image_buf *buf);

/* Adds a part with BUF's bytes (taken over; BUF is emptied). WHAT says why
 * an unexplained part is not explained. */
void image_part(sdc_image *im, sdc_image_part_kind kind, const char *name, const char *what,
                unsigned long long offset, unsigned long long length, image_buf *buf);
/* An unexplained part: BUF's bytes after the first SKIP, which the
 * format's layout explains (all of them when SKIP is past the end). */
void image_part_after(sdc_image *im, const char *name, const char *what, unsigned long long offset,
                      image_buf *buf, size_t skip);
/* The same, with LEN bytes at P copied. */
void image_part_bytes(sdc_image *im, sdc_image_part_kind kind, const char *name, const char *what,
                      unsigned long long offset, const unsigned char *p, size_t len);

void image_problem(sdc_image *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The image ends here; the rest of the stream is the tail. */
void image_end(sdc_image *im);
/* The image ended N bytes ago, before the field just gathered: those
 * bytes begin the tail. */
void image_end_before(sdc_image *im, size_t n);

/* An ICC profile (ICC.1:2010 7.2): its size field says LEN and its
 * signature is "acsp". */
bool image_icc_ok(const unsigned char *p, size_t len);

/* Inflates the zlib (or raw deflate, RAW) stream in IN into OUT (kept as
 * image_keep keeps). *AFTER: bytes of IN after the stream's end. Returns 0
 * when the stream ended, -1 when it is broken or stops early. */
int image_inflate(sdc_image *im, const unsigned char *in, size_t n, image_buf *out, size_t *after);

/* Printable form of a keyword for a part's name. */
void image_name(char *dst, size_t size, const char *prefix, const unsigned char *p, size_t n);

/* Big- and little-endian integers. */
unsigned long image_be32(const unsigned char *p);
unsigned image_be16(const unsigned char *p);
unsigned long image_le32(const unsigned char *p);
unsigned image_le16(const unsigned char *p);

void image_png_feed(sdc_image *im, const unsigned char *b, size_t len);
void image_png_finish(sdc_image *im);
void image_jpeg_feed(sdc_image *im, const unsigned char *b, size_t len);
void image_jpeg_finish(sdc_image *im);
void image_gif_feed(sdc_image *im, const unsigned char *b, size_t len);
void image_bmp_feed(sdc_image *im, const unsigned char *b, size_t len);
void image_webp_feed(sdc_image *im, const unsigned char *b, size_t len);
void image_tiff_feed(sdc_image *im, const unsigned char *b, size_t len);
void image_tiff_finish(sdc_image *im);

#endif
