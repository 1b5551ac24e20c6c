/*
 * pdf.c - a PDF's bytes as the checker reads them: the cross-reference
 * check (pdf_xref.c), every stream found and unfiltered (pdf_streams.c,
 * pdf_filters.c), the attached files (pdf_attach.c, poppler), and the
 * text for identifiers under a budget smaller than the checker's
 * (pdf_measure.c bounds what the pages draw before poppler is asked for
 * any of it; pdf_text.c). The input is also read as a stream
 * dictionary, its filters undone on the input itself.
 */
#include "fuzz.h"
#include "read/pdf_attach.h"
#include "read/pdf_filters.h"
#include "read/pdf_measure.h"
#include "read/pdf_streams.h"
#include "read/pdf_text.h"
#include "read/pdf_xref.h"

static const sdc_pdf_limits limits = {
    .max_pages = 50,
    .page_text = 64u * 1024u,
    .text = 256u * 1024u,
    .content = 4u * 1024u * 1024u,
    .seconds = 5.0,
};

static void on_line(void *ctx, int page, const char *line, size_t len)
{
    (void)ctx;
    (void)page;
    if (len && !line)
        abort();
}

static bool want_all(const unsigned char *head, size_t len, bool whole, bool jpeg)
{
    (void)head;
    (void)len;
    (void)whole;
    (void)jpeg;
    return true;
}

static int on_stream(void *ctx, long object, size_t offset, const unsigned char *data, size_t len,
                     bool cut)
{
    (void)ctx;
    (void)object;
    (void)offset;
    (void)cut;
    if (len && !data)
        abort();
    return 0;
}

static int on_attachment(void *ctx, const char *name, const unsigned char *data, size_t len,
                         bool cut)
{
    (void)ctx;
    (void)cut;
    if (!name || (len && !data))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[256];
    sdc_pdf_xref_check(data, size, why, sizeof why);
    sdc_pdf_streams(data, size, 1u << 20, want_all, on_stream, NULL);
    sdc_pdf_attachments(data, size, 1u << 20, 50, on_attachment, NULL, why, sizeof why);
    sdc_pdf_measure me;
    sdc_pdf_measure_text(data, size, limits.page_text, limits.text, limits.content, &me);
    sdc_pdf_extract_text(data, size, &limits, on_line, NULL, why, sizeof why);

    sdc_pdf_filter f[SDC_PDF_FILTERS_MAX];
    int n = sdc_pdf_filters(data, size, f);
    sdc_pdf_jpeg_stream(data, size);
    if (n > 0) {
        unsigned char *out = NULL;
        size_t out_len = 0;
        bool cut = false;
        if (sdc_pdf_unfilter(f, n, data, size, 1u << 20, &out, &out_len, &cut))
            free(out);
    }
    return 0;
}
