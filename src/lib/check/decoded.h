/*
 * decoded.h - payloads decoded from a text (classify/decode.h), reported
 * and walked as members of it (private to check/).
 */
#ifndef SDC_CHECK_DECODED_H
#define SDC_CHECK_DECODED_H

#include "check/walk.h"
#include "classify/decode.h"

/* Ends the scan S of the text SELF (all its bytes fed), reports what it
 * decoded and walks each file as a member, TEXT!ENCODING:lineN. Returns
 * 0, or -1 when out of memory. */
int sdc_decoded_account(const sdc_walk *w, sdc_file_result *self, sdc_decode_scan *s, int depth,
                        sdc_budget *b, sdc_result_list *list);

#endif
