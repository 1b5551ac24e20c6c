/*
 * tar_account.h - what a tar's pax headers carry, walked (private to
 * check/).
 *
 * A pax extended header (POSIX.1-2008, pax, "pax Extended Header") is a
 * list of "LENGTH KEY=VALUE\n" records before an entry. libarchive reads
 * the keys it knows and drops the rest, so a comment or a vendor key can
 * carry anything past a reader. The scan follows an uncompressed tar's
 * headers as its bytes stream by and keeps the values of every key whose
 * value is not a name, a number or a time, to be walked as members of the
 * tar ("(pax comment of 'a.csv')").
 */
#ifndef SDC_CHECK_TAR_ACCOUNT_H
#define SDC_CHECK_TAR_ACCOUNT_H

#include "check/member.h"
#include "check/walk.h"

#define SDC_TAR_PAX_MAX (1u << 20)     /* bytes of one pax header read */
#define SDC_TAR_VALUES_MAX (16u << 20) /* bytes of values kept in all */

typedef struct sdc_tar_scan sdc_tar_scan;

/* NULL when out of memory. */
sdc_tar_scan *sdc_tar_scan_new(void);
void sdc_tar_scan_free(sdc_tar_scan *t);
void sdc_tar_scan_feed(sdc_tar_scan *t, const unsigned char *b, size_t len);

/* Walks the values kept as members of SELF; pax headers too large to read
 * or values past SDC_TAR_VALUES_MAX are a needs-review finding. Returns 0,
 * or -1 when out of memory. */
int sdc_tar_account(const sdc_walk *w, sdc_file_result *self, sdc_tar_scan *t, int depth,
                    sdc_budget *b, sdc_result_list *list);

/* Bytes after the tar's end-of-archive block that are not zeros (inside
 * the compressed stream INSIDE, "gzip", or NULL): an appended-data finding
 * on SELF. */
void sdc_tar_tail(const sdc_tar_scan *t, sdc_file_result *self, const char *inside);

#endif
