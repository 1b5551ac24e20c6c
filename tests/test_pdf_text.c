/* test_pdf_text.c - PDF text within a budget: what a page draws is measured
 * before poppler is asked, what is not read is a finding, never a pass by
 * omission, never a hang (doc/design.md, "Identifiers" and "Errors and
 * failing closed"; issue 10, point 9). The hostile PDFs in testdata/pdf
 * come from testdata/make-pdfs.py; the small ones here are written from
 * ISO 32000-1 (7.3 objects, 7.5 file structure) by build_pdf. */
#include <criterion/criterion.h>
#include <poppler.h>
#include <zlib.h>

#include "helpers.h"
#include "read/pdf_measure.h"
#include "read/pdf_text.h"

static sdc_policy *policy;
static sdc_checker *checker;
static void setup(void)
{
    policy = sdc_policy_default();
    checker = sdc_checker_new(policy, NULL);
}
static void teardown(void)
{
    sdc_checker_free(checker);
    sdc_policy_free(policy);
}
TestSuite(pdf_text, .init = setup, .fini = teardown);

/* One object: a dictionary (or any value) and, for a stream, its data. */
typedef struct {
    const char *value;
    const char *data; /* NULL: not a stream */
    bool deflate;
} pdf_obj;

/* A PDF of OBJS (numbered from 1; the first is the catalog), with its
 * cross-reference table and trailer. Free with free(). */
static unsigned char *build_pdf(const pdf_obj *objs, int n, size_t *len)
{
    char *out = NULL;
    FILE *f = open_memstream(&out, len);
    long offsets[64];
    fputs("%PDF-1.7\n", f);
    for (int i = 0; i < n; i++) {
        offsets[i] = ftell(f);
        if (!objs[i].data) {
            fprintf(f, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i].value);
            continue;
        }
        uLong dlen = strlen(objs[i].data);
        unsigned char *d = (unsigned char *)objs[i].data;
        unsigned char *z = NULL;
        if (objs[i].deflate) {
            uLongf zlen = compressBound(dlen);
            z = malloc(zlen);
            cr_assert_eq(compress(z, &zlen, d, dlen), Z_OK);
            d = z;
            dlen = zlen;
        }
        fprintf(f, "%d 0 obj\n<< %s%s /Length %lu >>\nstream\n", i + 1, objs[i].value,
                objs[i].deflate ? " /Filter /FlateDecode" : "", dlen);
        fwrite(d, 1, dlen, f);
        fputs("\nendstream\nendobj\n", f);
        free(z);
    }
    long xref = ftell(f);
    fprintf(f, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
    for (int i = 0; i < n; i++)
        fprintf(f, "%010ld 00000 n \n", offsets[i]);
    fprintf(f, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", n + 1, xref);
    fclose(f);
    return (unsigned char *)out;
}

#define CATALOG                                                                                    \
    {                                                                                              \
        "<< /Type /Catalog /Pages 2 0 R >>", NULL, false                                           \
    }
#define FONT                                                                                       \
    {                                                                                              \
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", NULL, false                      \
    }

static const sdc_pdf_limits limits = {
    .max_pages = 2000,
    .page_text = 256u * 1024u,
    .text = 2u * 1024u * 1024u,
    .content = 64u * 1024u * 1024u,
    .seconds = 10.0,
};

static int measure(const unsigned char *pdf, size_t len, sdc_pdf_measure *m)
{
    return sdc_pdf_measure_text(pdf, len, limits.page_text, limits.text, limits.content, m);
}

static sdc_file_result check_path(const char *path)
{
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, path, NULL, &r), 0);
    return r;
}

/* The needs-review finding whose message holds WORDS, or NULL. */
static const sdc_finding *review_saying(const sdc_file_result *r, const char *words)
{
    for (size_t i = 0; i < r->findings.count; i++)
        if (strcmp(r->findings.items[i].rule, "needs-review") == 0 &&
            strstr(r->findings.items[i].message, words))
            return &r->findings.items[i];
    return NULL;
}

/* Checks the file at PATH: review, by a needs-review finding saying
 * WORDS. */
static void assert_review_saying(const char *path, const char *words)
{
    sdc_file_result r = check_path(path);
    cr_assert_not_null(review_saying(&r, words), "%s: no review saying '%s'", path, words);
    cr_assert_eq(r.verdict, SDC_REVIEW, "%s", path);
    sdc_file_result_free(&r);
}

Test(pdf_text, a_page_whose_content_inflates_to_16_mib_is_review_and_its_text_not_read)
{
    /* 57 KB on disk; poppler alone took over 300 s on it */
    sdc_file_result r = check_path("testdata/pdf/page-16mib.pdf");
    const sdc_finding *f = review_saying(&r, "draws more than 256 KiB of text");
    cr_assert_not_null(f, "the page is over its budget, and the report says so");
    cr_assert(strstr(f->message, "not read for identifiers"), "%s", f->message);
    cr_assert_neq(r.verdict, SDC_PASS, "never a pass by being too big");
    cr_assert_eq(r.verdict, SDC_REVIEW);
    sdc_file_result_free(&r);
}

Test(pdf_text, many_pages_each_within_budget_are_review_when_all_together_are_over)
{
    assert_review_saying("testdata/pdf/pages-many.pdf", "pages draw more than 2 MiB of text");
}

Test(pdf_text, a_form_drawn_a_million_times_counts_as_drawn)
{
    assert_review_saying("testdata/pdf/forms-nested.pdf", "draws more than 256 KiB of text");
}

Test(pdf_text, an_nhs_number_in_a_small_deflated_pdf_still_fails)
{
    sdc_file_result r = check_path("testdata/pdf/nhs-number.pdf");
    const sdc_finding *f = find_rule(&r.findings, "identifier");
    cr_assert_not_null(f, "the NHS number in the page text");
    cr_assert(strstr(f->message, "NHS number") && strstr(f->message, "page 1"), "%s", f->message);
    cr_assert_eq(r.verdict, SDC_FAIL);
    cr_assert_null(review_saying(&r, "not read"), "a small PDF is read");
    sdc_file_result_free(&r);
}

Test(pdf_text, a_small_page_is_measured_by_the_bytes_of_its_strings)
{
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R "
                    "/Resources << /Font << /F1 5 0 R >> >> >>",
                    NULL, false},
                   {"", "BT /F1 12 Tf 72 720 Td (Hello) Tj 0 -14 Td <48656c6c6f> Tj ET", true},
                   FONT};
    size_t len;
    unsigned char *pdf = build_pdf(o, 5, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), 0, "%s", m.why);
    cr_assert_eq(m.pages, 1);
    cr_assert_eq(m.page_text, 6 + 11, "Hello) and 48656c6c6f>: %llu",
                 (unsigned long long)m.page_text);
    cr_assert_eq(m.text, m.page_text);
    free(pdf);
}

Test(pdf_text, a_stream_named_many_times_in_contents_counts_each_time)
{
    char contents[1024];
    size_t n =
        (size_t)snprintf(contents, sizeof contents, "<< /Type /Page /Parent 2 0 R /Contents [");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(contents + n, sizeof contents - n, "4 0 R ");
    snprintf(contents + n, sizeof contents - n, "] >>");
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {contents, NULL, false},
                   {"", "BT /F1 12 Tf 72 720 Td (0123456789) Tj ET\n", true}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 4, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), 0, "%s", m.why);
    cr_assert_eq(m.page_text, 100 * 11);
    free(pdf);
}

Test(pdf_text, a_content_stream_labelled_as_an_image_is_still_counted)
{
    /* poppler draws what /Contents names, whatever its dictionary says */
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", NULL, false},
                   {"/Subtype /Image /Length1 99", "BT (0123456789) Tj ET", true}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 4, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), 0, "%s", m.why);
    cr_assert_eq(m.page_text, 11);
    free(pdf);
}

Test(pdf_text, a_page_packed_in_an_object_stream_with_escaped_names_is_found)
{
    /* 7.5.7: object 5 at offset 0 of the decoded stream; /Cont#65nts is
     * /Contents (7.3.5) */
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", NULL, false},
                   {"/Type /ObjStm /N 1 /First 4",
                    "5 0 << /Type /Pag#65 /Parent 2 0 R /Cont#65nts 4 0 R >>", true},
                   {"", "BT (0123456789) Tj ET", true}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 4, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), 0, "%s", m.why);
    cr_assert_geq(m.pages, 1);
    cr_assert_eq(m.page_text, 11);
    free(pdf);
}

Test(pdf_text, a_content_filter_it_cannot_decode_is_not_guessed_at)
{
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", NULL, false},
                   {"/Filter /LZWDecode", "\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01", false}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 4, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), -1);
    cr_assert(strstr(m.why, "LZWDecode"), "%s", m.why);
    free(pdf);
}

Test(pdf_text, forms_that_draw_each_other_in_a_loop_cannot_be_measured)
{
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R "
                    "/Resources << /XObject << /A 5 0 R >> >> >>",
                    NULL, false},
                   {"", "/A Do", true},
                   {"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                    "/Resources << /XObject << /B 6 0 R >> >>",
                    "/B Do", true},
                   {"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                    "/Resources << /XObject << /A 5 0 R >> >>",
                    "/A Do", true}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 6, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), -1);
    cr_assert(strstr(m.why, "loop"), "%s", m.why);
    free(pdf);
}

/* A page that draws a form 1,000 times, the form drawing a name that is no
 * form (the page tree) 1,000 times (*LEN bytes, malloc'd). */
static unsigned char *million_draws_pdf(size_t *len)
{
    char *page = malloc(10 * 1000 + 1), *form = malloc(10 * 1000 + 1);
    page[0] = form[0] = '\0';
    for (int i = 0; i < 1000; i++) {
        strcat(page, "/Outer Do\n");
        strcat(form, "/Inner Do\n");
    }
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R "
                    "/Resources << /XObject << /Outer 5 0 R >> >> >>",
                    NULL, false},
                   {"", page, true},
                   {"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                    "/Resources << /XObject << /Inner 2 0 R >> >>",
                    form, true}};
    unsigned char *pdf = build_pdf(o, 5, len);
    free(page);
    free(form);
    return pdf;
}

/* PDF (LEN bytes) measured: its draws cost more content bytes than the
 * budget allows. Returns the measure. */
static sdc_pdf_measure measure_over_content_budget(const unsigned char *pdf, size_t len)
{
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), 0, "%s", m.why);
    cr_assert_gt(m.content, limits.content, "10^6 draws cost %llu content bytes",
                 (unsigned long long)m.content);
    return m;
}

/* Found by fuzz/check: a page draws a form 1,000 times and the form draws
 * a name that is no form (the page tree) 1,000 times. No text at all, but
 * poppler handles 10^6 Do operators (5 s); each Do counts 256 content
 * bytes (pdf_measure.c), so 1,000 x 1,000 x 256 = 256,000,000 bytes are
 * over the 64 MiB content budget and poppler is not asked. */
Test(pdf_text, a_million_draws_of_nothing_are_over_the_content_budget)
{
    size_t len;
    unsigned char *pdf = million_draws_pdf(&len);
    sdc_pdf_measure m = measure_over_content_budget(pdf, len);
    cr_assert_eq(m.page_text, 0, "nothing draws text");
    free(pdf);
}

/* The input fuzz/check found (testdata/fuzz-regressions/): the same
 * million draws in 1.4 KB, checked whole. */
Test(pdf_text, the_fuzzed_million_draws_pdf_is_review_without_asking_poppler)
{
    assert_review_saying("testdata/fuzz-regressions/pdf-form-draws-nonform-million-times.pdf",
                         "content is larger than 64 MiB");
}

/* poppler reads an object at its cross-reference table's offset whatever
 * precedes it: the same million draws with the form's "5 0 obj" after a
 * byte that makes it no definition to a scan ("b5 0 obj", found by
 * fuzz/pdf; the file's length and every offset as they were). The
 * measure takes the table's definitions too, so the form still counts as
 * drawn 1,000 times, each drawing 1,000 times: over the content budget. */
Test(pdf_text, a_form_reached_only_by_its_cross_reference_offset_counts_as_drawn)
{
    size_t len;
    unsigned char *pdf = million_draws_pdf(&len);
    unsigned char *def = memmem(pdf, len, "\n5 0 obj", 8);
    cr_assert_not_null(def);
    *def = 'b';
    measure_over_content_budget(pdf, len);
    free(pdf);
}

/* The input fuzz/pdf found (testdata/fuzz-regressions/): that form in
 * 1.4 KB, 2 s in poppler, checked whole. */
Test(pdf_text, the_fuzzed_form_behind_its_xref_offset_is_not_given_to_poppler)
{
    assert_review_saying("testdata/fuzz-regressions/pdf-form-found-by-its-xref-offset.pdf",
                         "content is larger than 64 MiB");
}

/* An object a page draws that the index does not find (a form, its
 * content stream, an appearance) fails the measure: poppler may still
 * reach it (it rebuilds a table it cannot use), and what it would draw
 * there is not guessed at. */
Test(pdf_text, an_object_a_page_draws_that_is_not_found_cannot_be_measured)
{
    const char *pages[] = {
        /* a form named in the resources, object 9 defined nowhere */
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /F 9 0 R >> >> >>",
        /* the content stream itself */
        "<< /Type /Page /Parent 2 0 R /Contents 9 0 R >>",
        /* one of several content streams */
        "<< /Type /Page /Parent 2 0 R /Contents [4 0 R 9 0 R] >>",
        /* an annotation's normal appearance */
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [<< /Type /Annot /Subtype "
        "/Square /Rect [0 0 10 10] /AP << /N 9 0 R >> >>] >>"};
    for (size_t k = 0; k < sizeof pages / sizeof *pages; k++) {
        pdf_obj o[] = {CATALOG,
                       {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                       {pages[k], NULL, false},
                       {"", k == 0 ? "/F Do" : "0 0 m 10 10 l S", true}};
        size_t len;
        unsigned char *pdf = build_pdf(o, 4, &len);
        sdc_pdf_measure m;
        cr_assert_eq(measure(pdf, len, &m), -1, "page %zu", k);
        cr_assert(strstr(m.why, "object 9"), "page %zu: %s", k, m.why);
        free(pdf);
    }
}

Test(pdf_text, a_form_found_through_the_pages_resources_counts_as_drawn)
{
    /* the form has no /Resources: poppler looks /F up in the page's */
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 "
                    "/Resources << /XObject << /F 5 0 R /G 6 0 R >> >> >>",
                    NULL, false},
                   {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", NULL, false},
                   {"", "/F Do /F Do /F Do", true},
                   {"/Type /XObject /Subtype /Form /BBox [0 0 10 10]", "(abc) Tj /G Do", true},
                   {"/Type /XObject /Subtype /Form /BBox [0 0 10 10]", "(0123456789) Tj", true}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 6, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), 0, "%s", m.why);
    cr_assert_eq(m.page_text, 3 * (4 + 11));
    free(pdf);
}

Test(pdf_text, an_encrypted_pdf_cannot_be_measured)
{
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", NULL, false},
                   {"", "BT (x) Tj ET", false},
                   {"<< /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >>", NULL, false}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 5, &len);
    /* the trailer names the dictionary */
    char *t = strstr((char *)pdf, "/Root 1 0 R");
    cr_assert_not_null(t);
    memcpy(t, "/Encrypt 5 0 R", 11); /* "/Encrypt 5 " over "/Root 1 0 R" */
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), -1);
    cr_assert(strstr(m.why, "encrypted"), "%s", m.why);
    free(pdf);
}

/* A PDF of three pages, "page one" to "page three". */
static unsigned char *three_pages(size_t *len)
{
    pdf_obj o[] = {
        CATALOG,
        {"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 "
         "/Resources << /Font << /F1 9 0 R >> >> >>",
         NULL, false},
        {"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R >>", NULL, false},
        {"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 7 0 R >>", NULL, false},
        {"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 8 0 R >>", NULL, false},
        {"", "BT /F1 12 Tf 72 720 Td (page one) Tj ET", true},
        {"", "BT /F1 12 Tf 72 720 Td (page two) Tj ET", true},
        {"", "BT /F1 12 Tf 72 720 Td (page three) Tj ET", true},
        FONT};
    return build_pdf(o, 9, len);
}

static void count_line(void *ctx, int page, const char *line, size_t len)
{
    int *pages = ctx;
    (void)line;
    if (len)
        pages[page] = 1;
}

Test(pdf_text, a_pdf_within_its_budgets_has_every_page_read)
{
    size_t len;
    unsigned char *pdf = three_pages(&len);
    int seen[8] = {0};
    char why[256] = "";
    cr_assert_eq(sdc_pdf_extract_text(pdf, len, &limits, count_line, seen, why, sizeof why), 3,
                 "%s", why);
    cr_assert(seen[1] && seen[2] && seen[3]);
    free(pdf);
}

Test(pdf_text, out_of_time_the_pages_left_are_named_not_read)
{
    /* the clock is looked at between pages: the first is always read */
    size_t len;
    unsigned char *pdf = three_pages(&len);
    sdc_pdf_limits quick = limits;
    quick.seconds = 0;
    int seen[8] = {0};
    char why[256] = "";
    cr_assert_eq(sdc_pdf_extract_text(pdf, len, &quick, count_line, seen, why, sizeof why),
                 SDC_PDF_OVER_BUDGET);
    cr_assert(seen[1] && !seen[2] && !seen[3]);
    cr_assert(strstr(why, "pages 2 to 3 were not read"), "%s", why);
    free(pdf);
}

Test(pdf_text, pages_past_the_page_limit_are_named_not_read)
{
    size_t len;
    unsigned char *pdf = three_pages(&len);
    sdc_pdf_limits two = limits;
    two.max_pages = 2;
    int seen[8] = {0};
    char why[256] = "";
    cr_assert_eq(sdc_pdf_extract_text(pdf, len, &two, count_line, seen, why, sizeof why),
                 SDC_PDF_OVER_BUDGET);
    cr_assert(seen[1] && seen[2] && !seen[3]);
    cr_assert(strstr(why, "3 pages: pages after 2 were not read"), "%s", why);
    free(pdf);
}

Test(pdf_text, a_pdf_too_large_to_keep_says_its_text_was_not_read)
{
    size_t len;
    unsigned char *small = three_pages(&len);
    size_t big = 65u * 1024u * 1024u;
    unsigned char *pdf = malloc(big);
    cr_assert_not_null(pdf);
    memcpy(pdf, small, len);
    memset(pdf + len, '\n', big - len); /* white space after %%EOF */
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(checker, "report.pdf", pdf, big, &r), 0);
    cr_assert_not_null(review_saying(&r, "larger than 64 MiB: its text was not read"));
    cr_assert_neq(r.verdict, SDC_PASS);
    sdc_file_result_free(&r);
    free(pdf);
    free(small);
}

/* Found by mutating testdata/pdf (each made poppler run for minutes). */

Test(pdf_text, a_damaged_content_stream_is_not_guessed_at)
{
    /* poppler's own inflater reads on past damage where zlib stops */
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", NULL, false},
                   {"/Filter /FlateDecode", "\x78\x9c\xff\xff\xff\xff", false}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 4, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), -1);
    cr_assert(strstr(m.why, "damaged"), "%s", m.why);
    free(pdf);
}

Test(pdf_text, an_xobject_that_cannot_be_found_is_not_guessed_at)
{
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", NULL, false},
                   {"", "/Nowhere Do", true}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 4, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), -1);
    cr_assert(strstr(m.why, "cannot find (/Nowhere)"), "%s", m.why);
    free(pdf);
}

Test(pdf_text, a_drawn_object_that_cannot_be_parsed_is_not_guessed_at)
{
    /* a stray ')' where the form should start: no object at all */
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R "
                    "/Resources << /XObject << /F 5 0 R >> >> >>",
                    NULL, false},
                   {"", "/F Do", true},
                   {") /Type /XObject", NULL, false}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 5, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), -1);
    cr_assert(strstr(m.why, "cannot parse (object 5)"), "%s", m.why);
    free(pdf);
}

Test(pdf_text, an_object_nested_past_the_measures_depth_stops_the_measure)
{
    /* poppler reads 500 levels; the measure reads 64 and must not skip
     * the page it cannot read to the end */
    char page[512];
    int n = snprintf(page, sizeof page, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /X ");
    for (int i = 0; i < 70; i++)
        page[n++] = '[';
    for (int i = 0; i < 70; i++)
        page[n++] = ']';
    snprintf(page + n, sizeof page - (size_t)n, " >>");
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {page, NULL, false},
                   {"", "(0123456789) Tj", true}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 4, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), -1);
    cr_assert(strstr(m.why, "object 3 nests arrays and dictionaries more than 64 deep"), "%s",
              m.why);
    free(pdf);
}

/* The text of every page as poppler reads it, with no measure before it:
 * what the measure must not fall short of. Free with g_free(). */
static char *poppler_text(const unsigned char *pdf, size_t len)
{
    GBytes *gb = g_bytes_new(pdf, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(gb, NULL, NULL);
    cr_assert_not_null(doc, "poppler opens it");
    GString *all = g_string_new("");
    for (int i = 0; i < poppler_document_get_n_pages(doc); i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        char *t = poppler_page_get_text(page);
        g_string_append(all, t ? t : "");
        g_free(t);
        g_object_unref(page);
    }
    g_object_unref(doc);
    g_bytes_unref(gb);
    return g_string_free(all, FALSE);
}

/* PDF bytes: the catalog (1), the page tree (2), a content stream (4)
 * drawing "0123456789" in a font (5) and the trailer, then page 3's
 * dictionary PAGE as the last thing in the file, with no cross-reference
 * table (poppler rebuilds one by scanning for objects). */
static unsigned char *page_last(const char *page, size_t *len)
{
    static const char content[] = "BT /F1 12 Tf 72 720 Td (0123456789) Tj ET";
    char *out = NULL;
    FILE *f = open_memstream(&out, len);
    fprintf(f,
            "%%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            "4 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n"
            "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n"
            "trailer\n<< /Size 6 /Root 1 0 R >>\n3 0 obj\n%s\n",
            sizeof content - 1, content, page);
    fclose(f);
    return (unsigned char *)out;
}

#define PAGE_RESOURCES "/Resources << /Font << /F1 5 0 R >> >>"

/* Found by fuzz/pdf (testdata/fuzz-regressions/): a page whose dictionary
 * is never closed. poppler reads a dictionary to the end of the file; the
 * measure skipped it as unparsable, counted a decoy page instead, and
 * poppler was asked for a million draws. */
Test(pdf_text, a_page_left_open_to_the_end_of_the_file_is_measured_as_poppler_reads_it)
{
    size_t len;
    unsigned char *pdf =
        page_last("<< /Type /Page /Parent 2 0 R /Contents 4 0 R " PAGE_RESOURCES, &len);
    char *text = poppler_text(pdf, len);
    cr_assert(strstr(text, "0123456789"), "poppler draws the open page: '%s'", text);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), 0, "%s", m.why);
    cr_assert_eq(m.pages, 1);
    cr_assert_eq(m.page_text, 11, "the page's string is counted: %llu",
                 (unsigned long long)m.page_text);
    g_free(text);
    free(pdf);
}

Test(pdf_text, a_dictionary_opened_where_a_key_should_be_opens_nothing)
{
    /* poppler skips "7" and "<<" one token at a time where a key should
     * be, so /Contents is the page's own entry and the first ">>" closes
     * the page */
    size_t len;
    unsigned char *pdf = page_last("<< /Type /Page /Parent 2 0 R " PAGE_RESOURCES
                                   " 7 << /Contents 4 0 R >> /X << >> >>",
                                   &len);
    char *text = poppler_text(pdf, len);
    cr_assert(strstr(text, "0123456789"), "poppler draws the page's contents: '%s'", text);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), 0, "%s", m.why);
    cr_assert_eq(m.page_text, 11, "%llu", (unsigned long long)m.page_text);
    g_free(text);
    free(pdf);
}

Test(pdf_text, a_key_followed_by_an_error_token_ends_the_dictionary)
{
    /* poppler ends a dictionary at a ')' in a value's place: the
     * /Contents after it is not the page's, and nothing is drawn */
    size_t len;
    unsigned char *pdf =
        page_last("<< /Type /Page /Parent 2 0 R " PAGE_RESOURCES " /X ) /Contents 4 0 R >>", &len);
    char *text = poppler_text(pdf, len);
    cr_assert_null(strstr(text, "0123456789"), "poppler draws nothing: '%s'", text);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), 0, "%s", m.why);
    cr_assert_eq(m.pages, 1);
    cr_assert_eq(m.page_text, 0, "%llu", (unsigned long long)m.page_text);
    g_free(text);
    free(pdf);
}

Test(pdf_text, the_fuzzed_open_page_pdf_is_not_given_to_poppler)
{
    /* the open page draws a form 1,000 times that draws a non-form 1,000
     * times (3.5 s in poppler); its content stream is also defined as an
     * ASCII85 stream, which the measure does not decode */
    sdc_file_result r = check_path("testdata/fuzz-regressions/pdf-page-left-open.pdf");
    cr_assert_not_null(review_saying(&r, "could not bound what its pages draw"));
    cr_assert_eq(r.verdict, SDC_FAIL, "it also holds a pickle");
    sdc_file_result_free(&r);
}

Test(pdf_text, objects_left_open_cost_the_measure_their_bytes_not_their_square)
{
    /* 20,000 strings opened and never closed: each object runs to the end
     * of the file (2 * 10^9 bytes read in all), over the measure's work */
    size_t len = 0;
    char *pdf = NULL;
    FILE *f = open_memstream(&pdf, &len);
    fputs("%PDF-1.7\n", f);
    for (int i = 0; i < 20000; i++)
        fputs("1 0 obj (\n", f);
    fclose(f);
    sdc_pdf_measure m;
    cr_assert_eq(measure((unsigned char *)pdf, len, &m), -1);
    cr_assert(strstr(m.why, "more objects to follow than sdccheck measures"), "%s", m.why);
    free(pdf);
}

Test(pdf_text, a_damaged_resource_dictionary_is_read_as_poppler_reads_it)
{
    /* "4I0 R" is the number 4, then two words poppler skips as keys */
    pdf_obj o[] = {CATALOG,
                   {"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", NULL, false},
                   {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R "
                    "/Resources << /XObject << /A 4I0 R /F 5 0 R >> >> >>",
                    NULL, false},
                   {"", "/F Do /F Do", true},
                   {"/Type /XObject /Subtype /Form /BBox [0 0 10 10]", "(0123456789) Tj", true}};
    size_t len;
    unsigned char *pdf = build_pdf(o, 5, &len);
    sdc_pdf_measure m;
    cr_assert_eq(measure(pdf, len, &m), 0, "%s", m.why);
    cr_assert_eq(m.page_text, 2 * 11);
    free(pdf);
}
