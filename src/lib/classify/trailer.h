/*
 * trailer.h - where a file's format says it ends, and what comes after
 * (private). A PDF ends with its last %%EOF, a zip with its
 * end-of-central-directory record, a 7z where its signature header says;
 * bytes after that are `appended-data`
 * (doc/design.md, "Disallowed artefacts"). Images are walked whole
 * (image.h).
 */
#ifndef SDC_TRAILER_H
#define SDC_TRAILER_H

#include <stdbool.h>
#include <stddef.h>

#define SDC_TRAILER_CAPTURE 4096

typedef enum sdc_trailer_kind {
    SDC_TRAILER_NONE = 0,
    SDC_TRAILER_PDF,
    SDC_TRAILER_ZIP,
    SDC_TRAILER_7Z
} sdc_trailer_kind;

typedef struct sdc_trailer {
    sdc_trailer_kind kind;
    unsigned long long pos; /* bytes seen */
    unsigned long long end; /* offset just past the end marker; 0: not seen */
    /* a sliding window for the marker */
    unsigned char win[22];
    size_t win_len;
    long zip_entries;       /* entries the last zip end record announces, -1 */
    unsigned char head[32]; /* 7z: the signature header, which says where it ends */
    size_t head_len;
    /* what follows the end */
    unsigned char capture[SDC_TRAILER_CAPTURE];
    size_t captured;
} sdc_trailer;

/* Starts tracking a file of FORMAT ("pdf", "zip", "7z"); other formats are not
 * tracked. */
void sdc_trailer_init(sdc_trailer *t, const char *format);

/* Feeds the file's bytes in order. */
void sdc_trailer_feed(sdc_trailer *t, const unsigned char *b, size_t len);

/* Bytes after the end marker, ignoring trailing white space (PDF) or 0. */
unsigned long long sdc_trailer_appended(const sdc_trailer *t);

/* Human name of the end marker ("IEND chunk"). */
const char *sdc_trailer_marker(const sdc_trailer *t);

#endif
