/*
 * pdf_open.c - a PDF in memory opened with poppler, for its text
 * (pdf_text.c) and its attachments (pdf_attach.c).
 */
#include <stdio.h>

#include "read/pdf_open.h"

PopplerDocument *sdc_pdf_open(const void *bytes, size_t len, GBytes **gb, char *why,
                              size_t why_size)
{
    GError *err = NULL;
    *gb = g_bytes_new_static(bytes, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(*gb, NULL, &err);
    if (!doc) {
        snprintf(why, why_size, "%s", err && err->message ? err->message : "cannot open");
        if (err)
            g_error_free(err);
        g_bytes_unref(*gb);
        *gb = NULL;
    }
    return doc;
}
