/*
 * image.h - an image's structure walked as its bytes stream past (private).
 *
 * A chart may leave; what it carries besides its pixels may not go unseen
 * (doc/design.md, "Images"). The walk follows every PNG chunk, JPEG
 * segment, GIF block, BMP header and WebP chunk, and sorts the bytes:
 *
 *   - structure and pixels the format defines, checked against its rules
 *     (a chunk's length, its CRC, a zlib stream that inflates to exactly
 *     the image's size): explained, nothing to report;
 *   - metadata the format defines (PNG text chunks, a JPEG comment, Exif,
 *     XMP, a GIF comment): a part, walked again as a stream of its own;
 *   - anything else (a private chunk, bytes inside IEND, bytes after a
 *     zlib stream or past the image's size, a segment of no known kind): an
 *     unexplained part, also walked, and reported;
 *   - bytes after the format's end: appended, as trailer.h's are.
 *
 * Compressed metadata is inflated before it is kept. A part is kept up to
 * SDC_IMAGE_PART_MAX bytes and all parts up to SDC_IMAGE_KEEP_MAX; what
 * does not fit is said to be cut, and a cut part is never a pass.
 */
#ifndef SDC_IMAGE_H
#define SDC_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#define SDC_IMAGE_PART_MAX (4u << 20)  /* bytes kept of one part */
#define SDC_IMAGE_KEEP_MAX (16u << 20) /* bytes kept of all parts */
#define SDC_IMAGE_PARTS_MAX 64         /* parts kept */
#define SDC_IMAGE_TAIL 4096            /* bytes kept of what follows the end */
#define SDC_IMAGE_TIFF_MAX (16u << 20) /* a TIFF is kept whole to be walked, up to this */
/* Pixel data inflated before the walk stops and says so: a 20,000 x
 * 20,000 RGBA image is 1.6 GB. */
#define SDC_IMAGE_INFLATE_MAX (2ull << 30)

typedef enum sdc_image_part_kind {
    SDC_IMAGE_METADATA,   /* text or metadata the format defines */
    SDC_IMAGE_UNEXPLAINED /* bytes the format does not explain */
} sdc_image_part_kind;

typedef struct sdc_image_part {
    sdc_image_part_kind kind;
    char name[80];             /* "tEXt:Comment", "chunk:prVt", "APP9", "IEND" */
    char what[96];             /* why it is unexplained, for the finding */
    unsigned long long offset; /* where its bytes start in the image */
    unsigned long long length; /* its bytes in the image (before inflating) */
    unsigned char *data;       /* the bytes kept, inflated where compressed */
    size_t len;
    bool cut; /* more than was kept */
} sdc_image_part;

typedef struct sdc_image sdc_image;

/* True when images of FORMAT ("png", "jpeg", "gif", "bmp", "webp") are
 * walked. */
bool sdc_image_walks(const char *format);

/* A walk of an image of FORMAT, or NULL when out of memory or FORMAT is
 * not walked. */
sdc_image *sdc_image_new(const char *format);
void sdc_image_free(sdc_image *im);

/* Feeds the image's bytes in order; any split is fine. */
void sdc_image_feed(sdc_image *im, const unsigned char *b, size_t len);

/* Ends the walk: open parts are closed, an image that stops early is a
 * problem. */
void sdc_image_finish(sdc_image *im);

/* What the walk found, after sdc_image_finish. */
size_t sdc_image_nparts(const sdc_image *im);
const sdc_image_part *sdc_image_part_at(const sdc_image *im, size_t i);
/* Parts not kept (over SDC_IMAGE_PARTS_MAX or SDC_IMAGE_KEEP_MAX). */
size_t sdc_image_parts_dropped(const sdc_image *im);
/* Memory ran out: parts or bytes the walk needed were not kept, so what
 * it found is not all there was. */
bool sdc_image_failed(const sdc_image *im);
/* Structural problems: the first one's text and how many, or NULL. */
const char *sdc_image_problem(const sdc_image *im, unsigned *count);

/* Bytes after the image's end, not counting trailing NUL or white-space
 * padding; the first of them in TAIL (up to SDC_IMAGE_TAIL). */
unsigned long long sdc_image_appended(const sdc_image *im, const unsigned char **tail,
                                      size_t *tail_len);

/* Human name of the end ("PNG's IEND chunk"). */
const char *sdc_image_end_marker(const sdc_image *im);

#endif
