/*
 * pdf_account.c - a PDF's attachments walked as members (doc/design.md,
 * "PDF attachments"): an embedded file or a file attachment annotation is
 * a file inside the PDF, and is judged as any file is ("report.pdf!
 * attachment:model.pkl" fails as a model).
 */
#include <stdio.h>
#include <string.h>

#include "check/member.h"
#include "check/pdf_account.h"
#include "read/pdf_attach.h"
#include "read/pdf_xref.h"

typedef struct walk_ctx {
    const sdc_walk *w;
    sdc_file_result *self;
    int depth;
    sdc_budget *b;
    sdc_result_list *list;
} walk_ctx;

static int walk_one(void *ctx, const char *name, const unsigned char *data, size_t len, bool cut)
{
    walk_ctx *c = ctx;
    char member[160];
    snprintf(member, sizeof member, "attachment:%.120s", name);
    for (char *p = member; *p; p++)
        if (*p == '!' || *p == '/' || *p == '\\' || (unsigned char)*p < 0x20)
            *p = '_'; /* a name, not a path */
    if (cut)
        sdc_container_finding(c->self, "needs-review", SDC_REVIEW,
                              "an output checker reads it before release",
                              "the PDF's attachment '%s' was walked only in its first %u MiB",
                              member + 11, SDC_PDF_ATTACH_MAX >> 20);
    if (c->depth + 1 > c->w->policy->archive_max_depth) {
        sdc_container_finding(c->self, "needs-review", SDC_REVIEW,
                              "do not nest files in files; submit the files themselves",
                              "the PDF's attachment '%s' is not walked: nested more than %d deep "
                              "(archive max_depth)",
                              member + 11, c->w->policy->archive_max_depth);
        return 0;
    }
    c->b->members++;
    return sdc_container_walk_bytes(c->w, c->self, member, data, len, c->depth, c->b, c->list) < 0
               ? -1
               : 0;
}

int sdc_pdf_account(const sdc_walk *w, sdc_file_result *self, const sdc_text_scan *ts, int depth,
                    sdc_budget *b, sdc_result_list *list)
{
    size_t len;
    bool too_large;
    const unsigned char *pdf = sdc_text_scan_pdf(ts, &len, &too_large);
    if (!pdf) {
        if (too_large)
            sdc_container_finding(self, "needs-review", SDC_REVIEW,
                                  "an output checker opens the PDF's attachments",
                                  "the PDF is too large to look for attached files");
        return 0;
    }
    char bad[200];
    if (sdc_pdf_xref_check(pdf, len, bad, sizeof bad) == 1)
        sdc_container_finding(self, "malformed", SDC_REVIEW,
                              "save the PDF again from its application: bytes were added to it or "
                              "taken from it",
                              "the PDF does not hold together: %s", bad);
    walk_ctx c = {.w = w, .self = self, .depth = depth, .b = b, .list = list};
    char why[160];
    int rc = sdc_pdf_attachments(pdf, len, SDC_PDF_ATTACH_MAX, SDC_PDF_ATTACH_PAGES, walk_one, &c,
                                 why, sizeof why);
    /* A PDF poppler cannot open is reported by its text scan. */
    return rc == -1 ? -1 : 0;
}
