/*
 * pdf_text.c - page text from poppler-glib.
 *
 * A PDF's text lives in compressed content streams and is drawn through
 * font encodings: poppler turns it back into text as a reader would see
 * it, which no stream scan could. The document is opened from memory
 * (PDFs are read once, into a buffer, as they pass) and closed at once.
 */
#include <poppler.h>
#include <stdio.h>
#include <string.h>

#include "read/pdf_text.h"

int sdc_pdf_extract_text(const void *bytes, size_t len, int max_pages, sdc_pdf_line_fn fn,
                         void *ctx, char *error, size_t error_size)
{
    GError *err = NULL;
    GBytes *gb = g_bytes_new_static(bytes, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(gb, NULL, &err);
    if (!doc) {
        snprintf(error, error_size, "%s", err && err->message ? err->message : "cannot open");
        if (err)
            g_error_free(err);
        g_bytes_unref(gb);
        return -1;
    }
    int pages = poppler_document_get_n_pages(doc);
    if (pages > max_pages)
        pages = max_pages;
    for (int i = 0; i < pages; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (!page)
            continue;
        char *text = poppler_page_get_text(page);
        for (char *p = text; p && *p;) {
            char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            fn(ctx, i + 1, p, n);
            p += n + (nl ? 1 : 0);
        }
        g_free(text);
        g_object_unref(page);
    }
    g_object_unref(doc);
    g_bytes_unref(gb);
    return pages;
}
