/*
 * text_identifiers.c - direct identifiers in the text of documents, code
 * and PDFs (doc/design.md, "Identifiers").
 *
 * Text is scanned a line at a time as it streams past, so memory does not
 * grow with the file; a very long line is scanned in overlapping pieces so
 * an identifier on a boundary is not missed. A PDF's bytes are kept (up to
 * PDF_TEXT_MAX) and its text extracted with poppler at the end; findings
 * in a PDF point at its page. The first TEXT_IDS_REPORTED hits are named
 * (masked), the rest counted. Text other than a PDF's passes through
 * svg_text.c first, which leaves out the geometry of any SVG in it (glyphs
 * drawn as paths are runs of integers, not identifiers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/pdf_text.h"
#include "core/vec.h"
#include "rules/svg_text.h"
#include "rules/text_identifiers.h"

#define LINE_MAX_SCAN 4096
#define TEXT_IDS_REPORTED 10

/* PDFs larger than this are not opened for their text (they are reviewed
 * by a person in any case, and told so). */
#define PDF_TEXT_MAX (64u * 1024u * 1024u)

/* What poppler may be asked for (doc/design.md, "Identifiers"): measured on
 * generated worst cases, a page drawing 256 KiB of strings takes at most
 * 1.4 s and 100 MB; 2 MiB of text in all takes about 1.6 s in ordinary
 * pages and up to 10 s in the worst, where the clock stops it; 64 MiB of
 * paths about 3 s. */
static const sdc_pdf_limits PDF_LIMITS = {
    .max_pages = 2000,
    .page_text = 256u * 1024u,
    .text = 2u * 1024u * 1024u,
    .content = 64u * 1024u * 1024u,
    .seconds = 10.0,
};

struct sdc_text_scan {
    const sdc_id_scanner *scanner;
    sdc_findings *findings;
    char line[LINE_MAX_SCAN];
    size_t len;
    long lineno;
    size_t hits;
    bool notebook_outputs; /* an .ipynb with "output_type": outputs to read */
    bool pages;            /* lineno is a PDF page, not a line */
    unsigned char *pdf;    /* a PDF, kept for its text; NULL if not, or too big */
    size_t pdf_len, pdf_cap;
    bool pdf_dropped; /* a PDF too large (or memory too short) to keep for its text */
    sdc_svg_text svg; /* where the text is in any SVG markup it holds */
};

sdc_text_scan *sdc_text_scan_new(const sdc_id_scanner *scanner, sdc_findings *findings, bool pdf)
{
    sdc_text_scan *ts = calloc(1, sizeof *ts);
    if (!ts)
        return NULL;
    ts->scanner = scanner;
    ts->findings = findings;
    sdc_svg_text_init(&ts->svg);
    ts->lineno = 1;
    if (pdf) {
        ts->pdf_cap = 1u << 20;
        ts->pdf = malloc(ts->pdf_cap);
        if (!ts->pdf) {
            free(ts);
            return NULL;
        }
    }
    return ts;
}

void sdc_text_scan_free(sdc_text_scan *ts)
{
    if (!ts)
        return;
    free(ts->pdf);
    free(ts);
}

bool sdc_text_scan_notebook_outputs(const sdc_text_scan *ts)
{
    return ts->notebook_outputs;
}

/* One identifier at M (offsets into the line) reported. */
static void report(sdc_text_scan *ts, const sdc_id_match *m)
{
    if (++ts->hits > TEXT_IDS_REPORTED)
        return;
    char masked[128];
    sdc_id_mask(ts->line + m->offset, m->length, masked, sizeof masked);
    sdc_finding_at at = {.line = ts->pages ? 0 : ts->lineno,
                         .value = masked,
                         .advice = "remove direct identifiers from outputs"};
    if (sdc_id_kind_is_contact(m->kind)) {
        /* in prose, a cover or a comment: often the author's or a
         * service's, for a person to judge with the text around it */
        char quote[256];
        sdc_id_quote(ts->scanner, ts->line, ts->len, m, quote, sizeof quote);
        at.advice = "check whose it is: a person's must be removed; a service's can be cleared "
                    "with the policy's identifier_allow";
        if (ts->pages)
            sdc_findings_add(ts->findings, "identifier", SDC_REVIEW, &at,
                             "%s in the text of page %ld: \"%s\"", m->kind, ts->lineno, quote);
        else
            sdc_findings_add(ts->findings, "identifier", SDC_REVIEW, &at, "%s in the text: \"%s\"",
                             m->kind, quote);
    } else if (ts->pages) {
        sdc_findings_add(ts->findings, "identifier", SDC_FAIL, &at, "%s in the text of page %ld",
                         m->kind, ts->lineno);
    } else {
        sdc_findings_add(ts->findings, "identifier", SDC_FAIL, &at, "%s in the text", m->kind);
    }
}

/* Every identifier on the line: one reviewed (an e-mail address) must not
 * hide one that fails after it. */
static void scan_line(sdc_text_scan *ts)
{
    sdc_id_match m;
    for (size_t from = 0; ts->len >= 5 && from + 5 <= ts->len;) {
        if (!sdc_id_scan(ts->scanner, ts->line + from, ts->len - from, &m))
            break;
        m.offset += from;
        report(ts, &m);
        from = m.offset + (m.length ? m.length : 1);
    }
    if (!ts->notebook_outputs && memmem(ts->line, ts->len, "\"output_type\"", 13))
        ts->notebook_outputs = true;
    ts->len = 0;
}

static void line_add(sdc_text_scan *ts, unsigned char c)
{
    if (c == '\n') {
        scan_line(ts);
        ts->lineno++;
        return;
    }
    if (ts->len == LINE_MAX_SCAN) {
        /* A very long line is scanned in pieces that overlap a little,
         * so an identifier on a boundary is not missed. */
        size_t keep = 64;
        scan_line(ts);
        memmove(ts->line, ts->line + LINE_MAX_SCAN - keep, keep);
        ts->len = keep;
    }
    ts->line[ts->len++] = (char)c;
}

/* The file's own bytes: lines, less any SVG geometry. */
static void lines_feed(sdc_text_scan *ts, const unsigned char *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (sdc_svg_text_keep(&ts->svg, b[i]))
            line_add(ts, b[i]);
}

/* Keeps a PDF's bytes for its text; past PDF_TEXT_MAX (or out of memory)
 * the PDF is dropped and what follows is scanned as lines. */
static void pdf_keep(sdc_text_scan *ts, const unsigned char *b, size_t len)
{
    if (ts->pdf_len + len > PDF_TEXT_MAX ||
        sdc_vec_reserve(&ts->pdf, &ts->pdf_cap, ts->pdf_len + len, 1) < 0) {
        free(ts->pdf);
        ts->pdf = NULL;
        ts->pdf_dropped = true;
        return;
    }
    memcpy(ts->pdf + ts->pdf_len, b, len);
    ts->pdf_len += len;
}

void sdc_text_scan_feed(sdc_text_scan *ts, const unsigned char *bytes, size_t len)
{
    if (ts->pdf)
        pdf_keep(ts, bytes, len);
    else
        lines_feed(ts, bytes, len);
}

static void pdf_line(void *ctx, int page, const char *line, size_t len)
{
    sdc_text_scan *ts = ctx;
    ts->pages = true;
    ts->lineno = page; /* findings in a PDF point at its page */
    ts->len = 0;
    for (size_t i = 0; i < len; i++)
        line_add(ts, (unsigned char)line[i]);
    scan_line(ts);
}

/* The PDF's text, for identifiers; what is not read is a finding, never
 * a pass by omission. */
static void pdf_scan(sdc_text_scan *ts)
{
    char why[320];
    int rc = sdc_pdf_extract_text(ts->pdf, ts->pdf_len, &PDF_LIMITS, pdf_line, ts, why, sizeof why);
    if (rc == SDC_PDF_UNREADABLE) {
        sdc_finding_at at = {.advice = "submit the PDF unencrypted and undamaged, or a person "
                                       "reads it"};
        sdc_findings_add(ts->findings, "needs-review", SDC_REVIEW, &at,
                         "the PDF's text could not be read for identifiers: %s", why);
    } else if (rc == SDC_PDF_OVER_BUDGET) {
        sdc_finding_at at = {.advice = "a person reads the PDF for identifiers, or it is "
                                       "submitted as smaller files"};
        sdc_findings_add(ts->findings, "needs-review", SDC_REVIEW, &at, "%s", why);
    }
}

void sdc_text_scan_finish(sdc_text_scan *ts)
{
    if (ts->pdf)
        pdf_scan(ts);
    if (ts->pdf_dropped) {
        sdc_finding_at at = {.advice = "a person reads the PDF for identifiers, or it is "
                                       "submitted as smaller files"};
        sdc_findings_add(ts->findings, "needs-review", SDC_REVIEW, &at,
                         "the PDF is larger than 64 MiB: its text was not read for identifiers");
    }
    free(ts->pdf);
    ts->pdf = NULL;
    if (ts->len)
        scan_line(ts);
    if (ts->hits > TEXT_IDS_REPORTED) {
        sdc_finding_at at = {.advice = "remove direct identifiers from outputs"};
        sdc_findings_add(ts->findings, "identifier", SDC_FAIL, &at,
                         "%zu more direct identifiers in the text", ts->hits - TEXT_IDS_REPORTED);
    }
}

const unsigned char *sdc_text_scan_pdf(const sdc_text_scan *ts, size_t *len, bool *too_large)
{
    *len = ts->pdf ? ts->pdf_len : 0;
    *too_large = ts->pdf_dropped;
    return ts->pdf;
}
