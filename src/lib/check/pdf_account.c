/*
 * pdf_account.c - a PDF's attachments walked as members (doc/design.md,
 * "PDF attachments"): an embedded file or a file attachment annotation is
 * a file inside the PDF, and is judged as any file is ("report.pdf!
 * attachment:model.pkl" fails as a model). Every stream object is also
 * decoded and classified, whatever refers to it: a model in a stream
 * nothing refers to, or that only an earlier revision held, is walked as
 * "report.pdf!PDF object N".
 */
#include <stdio.h>
#include <string.h>

#include "check/member.h"
#include "check/pdf_account.h"
#include "read/pdf_attach.h"
#include "read/pdf_streams.h"
#include "read/pdf_xref.h"
#include "classify/classify.h"
#include "classify/image.h"

typedef struct walk_ctx {
    const sdc_walk *w;
    sdc_file_result *self;
    int depth;
    sdc_budget *b;
    sdc_result_list *list;
    /* the attachments walked: a stream that is one of them is not walked
     * again */
    size_t seen_len[64];
    unsigned char seen_head[64][32];
    size_t nseen;
} walk_ctx;

/* Walks DATA as the member MEMBER (WHAT names it in findings). */
static int walk_member(walk_ctx *c, const char *member, const char *what, const unsigned char *data,
                       size_t len, bool cut)
{
    if (cut)
        sdc_container_finding(
            c->self, "needs-review", SDC_REVIEW, "an output checker reads it before release",
            "the PDF's %s was walked only in its first %u MiB", what, SDC_PDF_ATTACH_MAX >> 20);
    char full[200];
    snprintf(full, sizeof full, "the PDF's %s", what);
    return sdc_walk_nested(c->w, c->self, member, full, c->w->text_as, data, len, c->depth, c->b,
                           c->list) < 0
               ? -1
               : 0;
}

static int walk_one(void *ctx, const char *name, const unsigned char *data, size_t len, bool cut)
{
    char member[160], what[176];
    snprintf(member, sizeof member, "attachment:%.120s", name);
    for (char *p = member; *p; p++)
        if (*p == '!' || *p == '/' || *p == '\\' || (unsigned char)*p < 0x20)
            *p = '_'; /* a name, not a path */
    snprintf(what, sizeof what, "attachment '%s'", member + 11);
    walk_ctx *c = ctx;
    if (c->nseen < 64) {
        c->seen_len[c->nseen] = len;
        memcpy(c->seen_head[c->nseen++], data, len < 32 ? len : 32);
    }
    return walk_member(ctx, member, what, data, len, cut);
}

/* A JPEG image that carries more than its picture: bytes after its end,
 * segments or bytes JPEG does not explain, a broken structure (image.h). */
static bool jpeg_carries(const unsigned char *b, size_t len)
{
    sdc_image *im = sdc_image_new("jpeg");
    if (!im)
        return true; /* out of memory: walked, so judged */
    sdc_image_feed(im, b, len);
    sdc_image_finish(im);
    const unsigned char *tail;
    size_t tail_len;
    unsigned problems = 0;
    bool more = sdc_image_appended(im, &tail, &tail_len) > 0 || sdc_image_parts_dropped(im) > 0 ||
                sdc_image_problem(im, &problems) != NULL;
    for (size_t i = 0; !more && i < sdc_image_nparts(im); i++)
        more = sdc_image_part_at(im, i)->kind == SDC_IMAGE_UNEXPLAINED;
    sdc_image_free(im);
    return more;
}

/* A stream worth walking: a model, data or an archive, or a JPEG that
 * carries more than its picture (page content, fonts, pictures and
 * metadata are the PDF's own). */
static bool wanted(const unsigned char *head, size_t len, bool whole, bool jpeg)
{
    if (jpeg)
        return jpeg_carries(head, len);
    sdc_classification c = sdc_file_classify(head, len, whole, "");
    return c.file_class == SDC_CLASS_MODEL || c.file_class == SDC_CLASS_DATA ||
           c.file_class == SDC_CLASS_CONTAINER;
}

static int walk_stream(void *ctx, long object, size_t offset, const unsigned char *data, size_t len,
                       bool cut)
{
    walk_ctx *c = ctx;
    for (size_t i = 0; i < c->nseen; i++)
        if (c->seen_len[i] == len && memcmp(c->seen_head[i], data, len < 32 ? len : 32) == 0)
            return 0; /* an attachment already walked */
    char name[64];
    if (object >= 0)
        snprintf(name, sizeof name, "(PDF object %ld)", object);
    else
        snprintf(name, sizeof name, "(PDF stream at byte %zu)", offset);
    return walk_member(ctx, name, name, data, len, cut);
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
    char why[200];
    int rc = sdc_pdf_attachments(pdf, len, SDC_PDF_ATTACH_MAX, SDC_PDF_ATTACH_PAGES, walk_one, &c,
                                 why, sizeof why);
    /* A PDF poppler cannot open is reported by its text scan. */
    if (rc == -1)
        return -1;
    if (rc >= 0 && why[0])
        sdc_container_finding(self, "malformed", SDC_REVIEW,
                              "an output checker opens the PDF's attached files, or they are "
                              "sent as files of their own",
                              "the PDF's embedded files were not listed because %s", why);
    /* Every stream in the file, referred to or not, in any revision. */
    return sdc_pdf_streams(pdf, len, SDC_PDF_ATTACH_MAX, wanted, walk_stream, &c) == -1 ? -1 : 0;
}
