/*
 * pdf_text.c - page text from poppler-glib, within a budget.
 *
 * A PDF's text lives in compressed content streams and is drawn through
 * font encodings: poppler turns it back into text as a reader would see
 * it, which no stream scan could. The document is opened from memory
 * (PDFs are read once, into a buffer, as they pass) and closed at once.
 *
 * poppler cannot be interrupted, and its text extraction grows faster than
 * the text on a page, so the PDF is measured first (pdf_measure.c) and the
 * text is not asked for when a page or the whole would be too slow: the
 * caller says so in a finding. The clock is a second line of defence,
 * looked at between pages.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "read/pdf_measure.h"
#include "read/pdf_open.h"
#include "read/pdf_text.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Sizes as people read them: "256 KiB", "64 MiB". */
static void size_words(uint64_t n, char *out, size_t size)
{
    if (n >= 1024u * 1024u && n % (1024u * 1024u) == 0)
        snprintf(out, size, "%llu MiB", (unsigned long long)(n / (1024u * 1024u)));
    else if (n >= 1024u && n % 1024u == 0)
        snprintf(out, size, "%llu KiB", (unsigned long long)(n / 1024u));
    else
        snprintf(out, size, "%llu bytes", (unsigned long long)n);
}

/* Whether the measure allows asking poppler; WHY says what it does not. */
static int within_budget(const void *bytes, size_t len, const sdc_pdf_limits *lim, char *why,
                         size_t why_size)
{
    sdc_pdf_measure me;
    char limit[32];
    int rc = sdc_pdf_measure_text(bytes, len, lim->page_text, lim->text, lim->content, &me);
    if (rc == -2) {
        snprintf(why, why_size, "the PDF's text was not read for identifiers: out of memory");
        return SDC_PDF_OVER_BUDGET;
    }
    if (rc < 0) {
        snprintf(why, why_size,
                 "the PDF's text was not read for identifiers: sdccheck could not bound what "
                 "its pages draw (%s)",
                 me.why);
        return SDC_PDF_OVER_BUDGET;
    }
    if (me.page_text > lim->page_text) {
        size_words(lim->page_text, limit, sizeof limit);
        snprintf(why, why_size,
                 "a page of the PDF draws more than %s of text: its text was not read for "
                 "identifiers",
                 limit);
        return SDC_PDF_OVER_BUDGET;
    }
    if (me.text > lim->text) {
        size_words(lim->text, limit, sizeof limit);
        snprintf(why, why_size,
                 "the PDF's pages draw more than %s of text: its text was not read for "
                 "identifiers",
                 limit);
        return SDC_PDF_OVER_BUDGET;
    }
    if (me.content > lim->content) {
        size_words(lim->content, limit, sizeof limit);
        snprintf(why, why_size,
                 "the PDF's page content is larger than %s: its text was not read for "
                 "identifiers",
                 limit);
        return SDC_PDF_OVER_BUDGET;
    }
    return (int)(me.pages > 0x7fffffffL ? 0x7fffffffL : me.pages);
}

int sdc_pdf_extract_text(const void *bytes, size_t len, const sdc_pdf_limits *limits,
                         sdc_pdf_line_fn fn, void *ctx, char *why, size_t why_size)
{
    double start = now();
    int measured = within_budget(bytes, len, limits, why, why_size);
    if (measured < 0)
        return measured;
    GBytes *gb;
    PopplerDocument *doc = sdc_pdf_open(bytes, len, &gb, why, why_size);
    if (!doc)
        return SDC_PDF_UNREADABLE;
    int pages = poppler_document_get_n_pages(doc), rc = pages;
    if (pages > measured) {
        /* poppler found pages the measure did not: they were not bounded */
        snprintf(why, why_size,
                 "the PDF has pages sdccheck could not measure (%d found, %d measured): its text "
                 "was not read for identifiers",
                 pages, measured);
        pages = 0;
        rc = SDC_PDF_OVER_BUDGET;
    } else if (pages > limits->max_pages) {
        snprintf(why, why_size,
                 "the PDF has %d pages: pages after %d were not read for identifiers", pages,
                 limits->max_pages);
        pages = limits->max_pages;
        rc = SDC_PDF_OVER_BUDGET;
    }
    for (int i = 0; i < pages; i++) {
        if (i > 0 && now() - start > limits->seconds) {
            snprintf(why, why_size,
                     "the PDF's text took more than %g s to read: pages %d to %d were not read "
                     "for identifiers",
                     limits->seconds, i + 1, poppler_document_get_n_pages(doc));
            rc = SDC_PDF_OVER_BUDGET;
            break;
        }
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
    return rc;
}
