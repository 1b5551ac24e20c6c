/*
 * ole_account.h - the streams of an OLE compound file, walked as its
 * members (private to check/).
 */
#ifndef SDC_CHECK_OLE_ACCOUNT_H
#define SDC_CHECK_OLE_ACCOUNT_H

#include "check/walk.h"

/* Compound files kept whole to be walked, at most. */
#define SDC_OLE_KEEP_MAX (64u << 20)

/* Walks every stream of the compound file BYTES[0..len) as a member of
 * SELF ("stream:WordDocument"), and the file inside an embedded Package
 * ("package:model.pkl"). Returns 0, or -1 when out of memory. */
int sdc_ole_account(const sdc_walk *w, sdc_file_result *self, const unsigned char *bytes,
                    size_t len, int depth, sdc_budget *b, sdc_result_list *list);

#endif
