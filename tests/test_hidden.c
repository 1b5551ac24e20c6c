/* test_hidden.c - data after an end marker, encoded artefacts in text,
 * identifiers in documents (doc/design.md, "Identifiers" and "Disallowed artefacts"). Images are
 * built here from their published structure; the pickle is CPython's pickle.dumps output. */
#include <criterion/criterion.h>
#include <zlib.h>

#include "classify/decode.h"
#include "helpers.h"
#include "classify/image.h"
#include "classify/trailer.h"

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
TestSuite(hidden, .init = setup, .fini = teardown);

/* pickle.dumps({'coef': [1.5, 2.5]}, protocol=4) */
static const unsigned char pickle4[] =
    "\x80\x04\x95\x21\x00\x00\x00\x00\x00\x00\x00\x7d\x94\x8c\x04\x63\x6f\x65\x66\x94\x5d\x94\x28"
    "\x47\x3f\xf8\x00\x00\x00\x00\x00\x00\x47\x40\x04\x00\x00\x00\x00\x00\x00\x65\x73\x2e";
#define PICKLE_LEN (sizeof pickle4 - 1)

static size_t put_chunk(unsigned char *o, const char *type, const unsigned char *d, size_t n)
{
    o[0] = (unsigned char)(n >> 24), o[1] = (unsigned char)(n >> 16);
    o[2] = (unsigned char)(n >> 8), o[3] = (unsigned char)n;
    memcpy(o + 4, type, 4);
    if (n)
        memcpy(o + 8, d, n);
    uLong crc = crc32(0, o + 4, (uInt)(n + 4));
    o[8 + n] = (unsigned char)(crc >> 24), o[9 + n] = (unsigned char)(crc >> 16);
    o[10 + n] = (unsigned char)(crc >> 8), o[11 + n] = (unsigned char)crc;
    return n + 12;
}

/* A valid 2x2 grey PNG (RFC 2083). */
static size_t make_png(unsigned char *o)
{
    static const unsigned char ihdr[] = {0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0};
    unsigned char raw[] = {0, 128, 128, 0, 128, 128}, idat[64];
    uLongf idat_len = sizeof idat;
    compress(idat, &idat_len, raw, sizeof raw);
    size_t n = 0;
    memcpy(o, "\x89PNG\r\n\x1a\n", 8);
    n = 8;
    n += put_chunk(o + n, "IHDR", ihdr, sizeof ihdr);
    n += put_chunk(o + n, "IDAT", idat, idat_len);
    n += put_chunk(o + n, "IEND", NULL, 0);
    return n;
}

static sdc_file_result check(const char *name, const void *b, size_t n)
{
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(checker, name, b, n, &r), 0);
    return r;
}

Test(hidden, a_clean_png_is_review_not_fail)
{
    unsigned char png[256];
    sdc_file_result r = check("chart.png", png, make_png(png));
    cr_assert_eq(r.verdict, SDC_REVIEW);
    cr_assert_eq(count_rule(&r.findings, "appended-data"), 0);
    sdc_file_result_free(&r);
}

Test(hidden, a_pickle_after_a_png_iend_fails_and_is_named)
{
    unsigned char png[512];
    size_t n = make_png(png);
    memcpy(png + n, pickle4, PICKLE_LEN);
    sdc_file_result r = check("chart.png", png, n + PICKLE_LEN);
    const sdc_finding *f = find_rule(&r.findings, "appended-data");
    cr_assert_not_null(f);
    cr_assert_eq(f->verdict, SDC_FAIL);
    cr_assert(strstr(f->message, "IEND") && strstr(f->message, "pickle"), "%s", f->message);
    sdc_file_result_free(&r);
}

Test(hidden, the_png_walk_survives_any_chunking)
{
    unsigned char png[512];
    size_t n = make_png(png);
    memcpy(png + n, "EXTRA", 5);
    for (size_t step = 1; step <= 9; step += 4) {
        sdc_image *im = sdc_image_new("png");
        for (size_t i = 0; i < n + 5; i += step)
            sdc_image_feed(im, png + i, n + 5 - i < step ? n + 5 - i : step);
        sdc_image_finish(im);
        const unsigned char *tail;
        size_t tail_len;
        cr_assert_eq(sdc_image_appended(im, &tail, &tail_len), 5, "step %zu", step);
        cr_assert_eq(memcmp(tail, "EXTRA", 5), 0);
        sdc_image_free(im);
    }
}

Test(hidden, jpeg_end_is_found_past_stuffed_bytes_and_restart_markers)
{
    /* SOI, COM (len 4), SOS (len 3), entropy with FF 00 and RST0, EOI */
    static const unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x04, 0xFF, 0xD9,
                                        0xFF, 0xDA, 0x00, 0x03, 0x01, 0x12, 0xFF, 0x00,
                                        0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9, 'X',  'Y'};
    sdc_image *im = sdc_image_new("jpeg");
    sdc_image_feed(im, jpg, sizeof jpg);
    sdc_image_finish(im);
    const unsigned char *tail;
    size_t tail_len;
    cr_assert_eq(sdc_image_appended(im, &tail, &tail_len), 2,
                 "the FF D9 inside the comment is data, not EOI");
    sdc_image_free(im);
}

Test(hidden, a_pdf_may_end_with_a_newline_but_not_with_a_pickle)
{
    static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\nxref\n%%EOF\r\n";
    sdc_file_result r = check("report.pdf", pdf, sizeof pdf - 1);
    cr_assert_eq(count_rule(&r.findings, "appended-data"), 0, "an incremental update is fine");
    sdc_file_result_free(&r);
    unsigned char bad[256];
    memcpy(bad, pdf, sizeof pdf - 1);
    memcpy(bad + sizeof pdf - 1, pickle4, PICKLE_LEN);
    r = check("report.pdf", bad, sizeof pdf - 1 + PICKLE_LEN);
    const sdc_finding *f = find_rule(&r.findings, "appended-data");
    cr_assert_not_null(f);
    cr_assert(strstr(f->message, "pickle"), "%s", f->message);
    sdc_file_result_free(&r);
}

static void base64(const unsigned char *in, size_t n, char *out)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        out[o++] = a[v >> 18 & 63];
        out[o++] = a[v >> 12 & 63];
        out[o++] = i + 1 < n ? a[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? a[v & 63] : '=';
    }
    out[o] = '\0';
}

Test(hidden, a_base64_pickle_in_a_csv_cell_is_an_embedded_blob_with_its_line)
{
    char b64[128], csv[512];
    base64(pickle4, PICKLE_LEN, b64);
    snprintf(csv, sizeof csv, "region,count,note\nNorth,120,ok\nSouth,130,\"%s\"\n", b64);
    sdc_file_result r = check("notes.csv", csv, strlen(csv));
    const sdc_finding *f = find_rule(&r.findings, "embedded-blob");
    cr_assert_not_null(f);
    cr_assert_eq(f->verdict, SDC_FAIL);
    cr_assert_eq(f->line, 3);
    cr_assert(strstr(f->message, "base64") && strstr(f->message, "pickle"), "%s", f->message);
    sdc_file_result_free(&r);
}

Test(hidden, a_hex_pickle_in_markdown_is_an_embedded_blob)
{
    char md[512] = "# Notes\n\n";
    size_t o = strlen(md);
    for (size_t i = 0; i < PICKLE_LEN; i++)
        o += (size_t)snprintf(md + o, sizeof md - o, "%02x", pickle4[i]);
    snprintf(md + o, sizeof md - o, "\n");
    sdc_file_result r = check("notes.md", md, strlen(md));
    const sdc_finding *f = find_rule(&r.findings, "embedded-blob");
    cr_assert_not_null(f);
    cr_assert(strstr(f->message, "hex"), "%s", f->message);
    cr_assert_eq(f->line, 3);
    sdc_file_result_free(&r);
}

Test(hidden, wrapped_base64_is_followed_across_line_breaks)
{
    /* The pickle repeated so the encoding wraps at 76 columns, CRLF. */
    unsigned char big[PICKLE_LEN * 4];
    for (int i = 0; i < 4; i++)
        memcpy(big + i * PICKLE_LEN, pickle4, PICKLE_LEN);
    char b64[512], wrapped[600];
    base64(big, sizeof big, b64);
    size_t o = 0, n = strlen(b64);
    for (size_t i = 0; i < n; i += 76) {
        size_t k = n - i < 76 ? n - i : 76;
        memcpy(wrapped + o, b64 + i, k);
        o += k;
        wrapped[o++] = '\r';
        wrapped[o++] = '\n';
    }
    sdc_decode_scan *s = sdc_decode_new();
    sdc_decode_feed(s, (const unsigned char *)wrapped, o);
    sdc_decode_finish(s);
    cr_assert_eq(sdc_decode_count(s), 1);
    const sdc_payload *p = sdc_decode_at(s, 0);
    cr_assert_eq(p->what.file_class, SDC_CLASS_MODEL);
    cr_assert_eq(p->encoded, n, "the whole wrapped run is one run");
    cr_assert_eq(p->len, sizeof big, "every byte decoded");
    cr_assert_eq(memcmp(p->data, big, sizeof big), 0);
    cr_assert_not(p->assembled, "line ends after long segments: unbroken");
    sdc_decode_free(s);
}

Test(hidden, hashes_and_ids_are_not_payloads_and_a_base64_image_is_kept_to_walk)
{
    unsigned char png[256];
    size_t n = make_png(png);
    char b64[512], text[2048];
    base64(png, n, b64);
    snprintf(text, sizeof text,
             "sha256 %064d\nid deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef\n"
             "<img src=\"data:image/png;base64,%s\">\n"
             "averyveryverylongidentifiernameinsomecodethatgoesonandonandonforeverandever\n",
             0, b64);
    sdc_decode_scan *s = sdc_decode_new();
    sdc_decode_feed(s, (const unsigned char *)text, strlen(text));
    sdc_decode_finish(s);
    /* The image is kept, to be walked; nothing else is a payload. */
    cr_assert_eq(sdc_decode_count(s), 1);
    const sdc_payload *p = sdc_decode_at(s, 0);
    cr_assert_eq(p->kind, SDC_PAYLOAD_FILE);
    cr_assert_eq(p->what.file_class, SDC_CLASS_IMAGE);
    cr_assert_eq(p->len, n);
    cr_assert_eq(p->line, 3);
    sdc_decode_free(s);
}

Test(hidden, identifiers_in_a_document_fail_masked)
{
    static const char memo[] = "Contact: jane.doe@example.org\nPatient 943 476 5919 left.\n";
    sdc_file_result r = check("memo.txt", memo, sizeof memo - 1);
    cr_assert_eq(count_rule(&r.findings, "identifier"), 2);
    cr_assert_eq(r.verdict, SDC_FAIL);
    const sdc_finding *f = find_rule(&r.findings, "identifier");
    cr_assert_eq(f->line, 1);
    cr_assert_null(strstr(f->value, "jane.doe"));
    sdc_file_result_free(&r);
}

Test(hidden, clean_code_passes_after_its_scans)
{
    static const char py[] = "import pickle\nmodel.fit(X, y)\npickle.dump(model, f)\n";
    sdc_file_result r = check("fit.py", py, sizeof py - 1);
    cr_assert_eq(r.verdict, SDC_PASS);
    sdc_file_result_free(&r);
}

Test(hidden, a_notebook_with_outputs_needs_review)
{
    static const char nb[] = "{\"cells\": [{\"outputs\": [{\"output_type\": \"stream\", "
                             "\"text\": [\"5\\n\"]}]}]}";
    sdc_file_result r = check("a.ipynb", nb, sizeof nb - 1);
    cr_assert_eq(r.verdict, SDC_REVIEW);
    sdc_file_result_free(&r);
}

Test(hidden, data_after_a_zip_end_record_is_appended)
{
    /* An empty zip: only its end-of-central-directory record, then junk. */
    unsigned char z[64] = {'P', 'K', 5, 6};
    memcpy(z + 22, pickle4, 20);
    sdc_trailer t;
    sdc_trailer_init(&t, "zip");
    sdc_trailer_feed(&t, z, 42);
    cr_assert_eq(sdc_trailer_appended(&t), 20);
}

/* make-tar-trailer.sh: a pickle after a tar's end-of-archive blocks. In a
 * gzip stream it is named; in xz or bzip2 the archive is not whole. Before,
 * all three passed: libarchive stops at the end blocks. */
Test(hidden, a_pickle_after_a_compressed_tars_end_is_never_a_pass)
{
    sdc_file_result r;
    cr_assert_eq(
        sdc_check_file(checker, "testdata/artefacts/disguised/appended_pickle.tar.gz", NULL, &r),
        0);
    cr_expect_eq(r.verdict, SDC_FAIL);
    const sdc_finding *a = find_rule(&r.findings, "appended-data");
    cr_assert_not_null(a);
    cr_expect(strstr(a->message, "pickle"), "%s", a->message);
    sdc_file_result_free(&r);
    static const char *const others[] = {"testdata/artefacts/disguised/appended_pickle.tar.xz",
                                         "testdata/artefacts/disguised/appended_pickle.tar.bz2"};
    for (size_t i = 0; i < 2; i++) {
        cr_assert_eq(sdc_check_file(checker, others[i], NULL, &r), 0);
        cr_expect_neq(r.verdict, SDC_PASS, "%s", others[i]);
        cr_expect_not_null(find_rule(&r.findings, "malformed"), "%s", others[i]);
        sdc_file_result_free(&r);
    }
}

/* make-7z-trailer.sh: outputs.7z as 7-Zip wrote it, and the same bytes with
 * sklearn_logreg_p4.pkl after them: what follows the 7z's end is exactly
 * the pickle, however the stream is cut. */
Test(hidden, data_after_a_7z_end_is_appended_and_is_the_pickle)
{
    FILE *f = fopen("testdata/artefacts/models/sklearn_logreg_p4.pkl", "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long pkl = ftell(f);
    fclose(f);
    static const char *const files[] = {"testdata/benign/outputs.7z",
                                        "testdata/artefacts/disguised/appended_pickle.7z"};
    for (size_t k = 0; k < 2; k++) {
        f = fopen(files[k], "rb");
        cr_assert_not_null(f);
        unsigned char b[4096];
        size_t n = fread(b, 1, sizeof b, f);
        fclose(f);
        for (size_t step = 1; step <= 4096; step *= 8) {
            sdc_trailer t;
            sdc_trailer_init(&t, "7z");
            for (size_t i = 0; i < n; i += step)
                sdc_trailer_feed(&t, b + i, n - i < step ? n - i : step);
            cr_expect_eq(sdc_trailer_appended(&t), k ? (unsigned long long)pkl : 0,
                         "%s, pieces of %zu: %llu", files[k], step, sdc_trailer_appended(&t));
            if (k)
                cr_expect_eq(memcmp(t.capture, b + n - (size_t)pkl, 16), 0);
        }
    }
    sdc_file_result r;
    cr_assert_eq(sdc_check_file(checker, files[1], NULL, &r), 0);
    cr_expect_eq(r.verdict, SDC_FAIL);
    const sdc_finding *a = find_rule(&r.findings, "appended-data");
    cr_assert_not_null(a);
    cr_expect(strstr(a->message, "pickle"), "%s", a->message);
    sdc_file_result_free(&r);
}

/* A one-page PDF whose text is "Contact jane.doe@example.org", written by
 * hand from ISO 32000-1 (7.5: header, objects, xref, trailer). */
static size_t make_pdf(char *o, size_t size, const char *text)
{
    char content[256];
    int clen = snprintf(content, sizeof content, "BT /F1 12 Tf 72 720 Td (%s) Tj ET", text);
    const char *objs[5];
    char o4[320];
    objs[0] = "<< /Type /Catalog /Pages 2 0 R >>";
    objs[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
    objs[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
              "/Resources << /Font << /F1 5 0 R >> >> >>";
    snprintf(o4, sizeof o4, "<< /Length %d >>\nstream\n%s\nendstream", clen, content);
    objs[3] = o4;
    objs[4] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
    size_t n = (size_t)snprintf(o, size, "%%PDF-1.4\n");
    long offsets[5];
    for (int i = 0; i < 5; i++) {
        offsets[i] = (long)n;
        n += (size_t)snprintf(o + n, size - n, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    long xref = (long)n;
    n += (size_t)snprintf(o + n, size - n, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 0; i < 5; i++)
        n += (size_t)snprintf(o + n, size - n, "%010ld 00000 n \n", offsets[i]);
    n += (size_t)snprintf(o + n, size - n,
                          "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", xref);
    return n;
}

/* An NHS number in a PDF's text fails, naming the page; an e-mail address
 * in its prose is for a person to judge (review), quoted with itself
 * masked (doc/design.md, "Identifiers"). */
Test(hidden, identifiers_in_a_pdf_text_fail_with_their_page)
{
    char pdf[2048];
    size_t n = make_pdf(pdf, sizeof pdf, "Patient 943 476 5919 was left out");
    sdc_file_result r = check("report.pdf", pdf, n);
    const sdc_finding *f = find_rule(&r.findings, "identifier");
    cr_assert_not_null(f, "the NHS number in the page text");
    cr_assert(strstr(f->message, "page 1"), "%s", f->message);
    cr_assert_eq(r.verdict, SDC_FAIL);
    sdc_file_result_free(&r);
    n = make_pdf(pdf, sizeof pdf, "Contact jane.doe@example.org");
    r = check("report.pdf", pdf, n);
    f = find_rule(&r.findings, "identifier");
    cr_assert_not_null(f, "the e-mail in the page text");
    cr_assert_eq(f->verdict, SDC_REVIEW);
    cr_assert(strstr(f->message, "page 1") && strstr(f->message, "Contact ja"), "%s", f->message);
    cr_assert_null(strstr(f->message, "jane.doe@"), "never in clear: %s", f->message);
    cr_assert_eq(r.verdict, SDC_REVIEW);
    sdc_file_result_free(&r);
    n = make_pdf(pdf, sizeof pdf, "Counts by region: see table 2");
    r = check("report.pdf", pdf, n);
    cr_assert_eq(count_rule(&r.findings, "identifier"), 0);
    cr_assert_eq(r.verdict, SDC_REVIEW, "a clean PDF is reviewed, not failed");
    sdc_file_result_free(&r);
}
