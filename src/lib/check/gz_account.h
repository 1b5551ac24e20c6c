/*
 * gz_account.h - a gzip-compressed archive's stream checked as it passes
 * (private to check/).
 *
 * libarchive inflates a .tar.gz to read the tar, but a damaged block or a
 * CRC that does not match can end its reading early without an error, and
 * what the tar inside carries past libarchive (pax values, padding) is not
 * visible in the compressed bytes. So the compressed bytes are inflated a
 * second time here, with zlib (RFC 1952: every member's CRC-32 and size
 * checked), and what comes out, when it is a tar, is followed by a
 * tar_account.h scan.
 */
#ifndef SDC_CHECK_GZ_ACCOUNT_H
#define SDC_CHECK_GZ_ACCOUNT_H

#include "check/tar_account.h"

typedef struct sdc_gz_check sdc_gz_check;

/* NULL when out of memory. */
sdc_gz_check *sdc_gz_check_new(void);
void sdc_gz_check_free(sdc_gz_check *g);
/* The compressed bytes, in order. */
void sdc_gz_check_feed(sdc_gz_check *g, const unsigned char *b, size_t len);

/* Ends the stream: a damaged one is malformed (review) on SELF; the tar
 * inside, if any, is accounted. Returns 0, or -1 when out of memory. */
int sdc_gz_account(const sdc_walk *w, sdc_file_result *self, sdc_gz_check *g, int depth,
                   sdc_budget *b, sdc_result_list *list);

#endif
