/*
 * pdf_account.h - the files a PDF carries, walked as its members (private
 * to check/).
 */
#ifndef SDC_CHECK_PDF_ACCOUNT_H
#define SDC_CHECK_PDF_ACCOUNT_H

#include "check/walk.h"
#include "rules/text_identifiers.h"

#define SDC_PDF_ATTACH_MAX (64u << 20) /* bytes of one attachment walked */
#define SDC_PDF_ATTACH_PAGES 2000      /* pages whose annotations are read */

/* Walks the embedded files and file attachments of the PDF whose bytes TS
 * kept, as members of SELF named "attachment:NAME". Returns 0, or -1 when
 * out of memory. */
int sdc_pdf_account(const sdc_walk *w, sdc_file_result *self, const sdc_text_scan *ts, int depth,
                    sdc_budget *b, sdc_result_list *list);

#endif
