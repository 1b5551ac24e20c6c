/*
 * magic.h - libmagic's answer for binaries no content detector knows
 * (private).
 */
#ifndef SDC_CLASSIFY_MAGIC_H
#define SDC_CLASSIFY_MAGIC_H

#include <stddef.h>

#include "classify/detect.h"

typedef struct sdc_magic sdc_magic;

/* A handle whose database is loaded on first use (most runs never need
 * it). Returns NULL when out of memory. Free with sdc_magic_free. */
sdc_magic *sdc_magic_new(void);
void sdc_magic_free(sdc_magic *m);

/*
 * Asks libmagic about the LEN bytes at HEAD and, when it names a class
 * sdccheck knows (images, PDF, OLE-era Office, SQLite, HDF5), sets C's
 * class and format; when it names a kind of binary that stays unknown
 * (executable, audio, font...), sets only C's format. Without its
 * database libmagic names nothing and C is left alone (unknown: review).
 * Safe to call from several threads on one handle.
 */
void sdc_magic_classify(sdc_magic *m, const unsigned char *head, size_t len, sdc_classification *c);

#endif
