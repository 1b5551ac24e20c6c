/*
 * pdf_attach.c - the files a PDF carries, read with poppler-glib.
 *
 * poppler finds the embedded files of the EmbeddedFiles name tree and of
 * each page's FileAttachment annotations, and writes their decoded bytes
 * through a callback, which stops once MAX bytes are kept (an attachment
 * that inflates without end costs no more). The name tree is checked
 * first (pdf_measure.h): a file specification poppler would read through
 * a null pointer keeps the embedded files from being asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "read/pdf_attach.h"
#include "read/pdf_measure.h"
#include "read/pdf_open.h"

typedef struct kept {
    unsigned char *p;
    size_t len, cap, max;
    bool cut;
} kept;

static gboolean keep_bytes(const gchar *buf, gsize count, gpointer data, GError **error)
{
    kept *k = data;
    size_t n = count;
    if (k->len + n > k->max) {
        n = k->max - k->len;
        k->cut = true;
    }
    if (SDC_VEC_RESERVE(k->p, k->cap, k->len + n) < 0) {
        g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_NOMEM, "out of memory");
        return FALSE;
    }
    memcpy(k->p + k->len, buf, n);
    k->len += n;
    if (k->cut) { /* enough: poppler stops here */
        g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "kept enough");
        return FALSE;
    }
    return TRUE;
}

/* Saves ATT and hands it to FN. */
static int one(PopplerAttachment *att, const char *fallback, size_t max, sdc_pdf_attach_fn fn,
               void *ctx)
{
    kept k = {.max = max};
    GError *err = NULL;
    poppler_attachment_save_to_callback(att, keep_bytes, &k, &err);
    if (err)
        g_error_free(err);
    const char *name = att->name && *att->name ? att->name : fallback;
    int rc = fn(ctx, name, k.p ? k.p : (const unsigned char *)"", k.len, k.cut);
    free(k.p);
    return rc;
}

int sdc_pdf_attachments(const void *bytes, size_t len, size_t max, int max_pages,
                        sdc_pdf_attach_fn fn, void *ctx, char *why, size_t why_size)
{
    GBytes *gb;
    PopplerDocument *doc = sdc_pdf_open(bytes, len, &gb, why, why_size);
    if (!doc)
        return SDC_PDF_ATTACH_UNREADABLE;
    int count = 0, rc = 0;
    /* WHY stays empty when the tree is sound, else says why it is not */
    bool sound = sdc_pdf_file_specs_check(bytes, len, why, why_size) == 0;
    GList *list = sound ? poppler_document_get_attachments(doc) : NULL;
    for (GList *l = list; l && rc == 0; l = l->next, count++)
        rc = one(l->data, "embedded file", max, fn, ctx);
    g_list_free_full(list, g_object_unref);
    int pages = poppler_document_get_n_pages(doc);
    for (int i = 0; i < pages && i < max_pages && rc == 0; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (!page)
            continue;
        GList *annots = poppler_page_get_annot_mapping(page);
        for (GList *l = annots; l && rc == 0; l = l->next) {
            PopplerAnnot *a = ((PopplerAnnotMapping *)l->data)->annot;
            if (poppler_annot_get_annot_type(a) != POPPLER_ANNOT_FILE_ATTACHMENT)
                continue;
            PopplerAttachment *att =
                poppler_annot_file_attachment_get_attachment(POPPLER_ANNOT_FILE_ATTACHMENT(a));
            if (!att)
                continue;
            char fallback[32];
            snprintf(fallback, sizeof fallback, "page %d", i + 1);
            rc = one(att, fallback, max, fn, ctx);
            g_object_unref(att);
            count++;
        }
        poppler_page_free_annot_mapping(annots);
        g_object_unref(page);
    }
    g_object_unref(doc);
    g_bytes_unref(gb);
    return rc ? rc : count;
}
