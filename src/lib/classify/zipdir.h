/*
 * zipdir.h - a zip's central directory, read from the end of the file
 * (private).
 */
#ifndef SDC_CLASSIFY_ZIPDIR_H
#define SDC_CLASSIFY_ZIPDIR_H

#include <stdbool.h>
#include <stddef.h>

/* One central directory entry; pointers are into the window parsed. */
typedef struct sdc_zipdir_entry {
    const unsigned char *name;
    size_t name_len;
    unsigned long long local_offset; /* where its local header should be */
    const unsigned char *extra;      /* extra field, EXTRA_LEN bytes */
    size_t extra_len;
    const unsigned char *comment; /* file comment, COMMENT_LEN bytes */
    size_t comment_len;
} sdc_zipdir_entry;

typedef enum sdc_zipdir_status {
    SDC_ZIPDIR_OK = 0,
    SDC_ZIPDIR_NO_END,    /* no end-of-central-directory record in the window */
    SDC_ZIPDIR_TOO_LARGE, /* the directory starts before the window */
    SDC_ZIPDIR_MALFORMED, /* the records do not hold together */
    SDC_ZIPDIR_NO_MEMORY
} sdc_zipdir_status;

typedef struct sdc_zipdir {
    sdc_zipdir_status status;
    unsigned long long cd_offset, cd_size; /* where the directory is in the file */
    unsigned long long end_offset;         /* where the end record starts */
    /* 4.4.19-4.4.22: this disk's number, the directory's disk, entries on
     * this disk and in all: anything but 0, 0, N, N is one volume of a
     * split or spanned archive */
    unsigned disk, cd_disk, entries_here, entries_total;
    /* a zip64 end record and its locator (4.3.14, 4.3.15), when used */
    unsigned long long zip64_at, zip64_len;
    const unsigned char *comment; /* the archive's comment */
    size_t comment_len;
    sdc_zipdir_entry *entries;
    size_t count;
} sdc_zipdir;

/*
 * Reads the central directory of a zip whose last WINDOW_LEN bytes are
 * WINDOW, the window starting at byte WINDOW_AT of the file (PKWARE
 * APPNOTE 6.3.10: 4.3.12 central directory headers, 4.3.14-4.3.16 the
 * zip64 end records, 4.3.16 the end record). Fills OUT (free with
 * sdc_zipdir_free); OUT->status says whether it could.
 */
void sdc_zipdir_read(const unsigned char *window, size_t window_len, unsigned long long window_at,
                     sdc_zipdir *out);
void sdc_zipdir_free(sdc_zipdir *d);

/* True when extra-field header ID is one the zip specification or
 * Info-ZIP defines (its bytes are explained); an unknown ID's data is
 * not. */
bool sdc_zipdir_extra_known(unsigned id);

/* True when a subfield ID of SIZE bytes is one the specification defines
 * and no longer than its layout allows (a 5-byte timestamp field of 700
 * bytes explains only its first bytes). */
bool sdc_zipdir_extra_fits(unsigned id, size_t size);

#endif
