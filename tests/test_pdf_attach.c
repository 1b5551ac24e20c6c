/* test_pdf_attach.c - the files a PDF carries are found and walked
 * (doc/design.md, "PDF attachments"). The PDFs are written by
 * testdata/make-pdf-attachments.py from ISO 32000-1; the truth is the
 * artefact each one carries, compared byte for byte. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#include "helpers.h"
#include "read/pdf_attach.h"
#include "read/pdf_xref.h"

typedef struct blob {
    unsigned char *p;
    size_t n;
} blob;

static blob slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot read %s: run from the repository root", path);
    blob b = {malloc(1 << 20), 0};
    cr_assert_not_null(b.p);
    b.n = fread(b.p, 1, 1 << 20, f);
    fclose(f);
    return b;
}

typedef struct seen {
    char name[64];
    blob data;
    bool cut;
    int count;
} seen;

static int remember(void *ctx, const char *name, const unsigned char *data, size_t len, bool cut)
{
    seen *s = ctx;
    snprintf(s->name, sizeof s->name, "%s", name);
    s->data.p = malloc(len ? len : 1);
    memcpy(s->data.p, data, len);
    s->data.n = len;
    s->cut = cut;
    s->count++;
    return 0;
}

static void assert_carries(const char *pdf, const char *name, const char *source)
{
    blob file = slurp(pdf), want = slurp(source);
    seen s = {0};
    char why[160];
    int n = sdc_pdf_attachments(file.p, file.n, 1 << 20, 10, remember, &s, why, sizeof why);
    cr_assert_eq(n, 1, "%s: %d attachments (%s)", pdf, n, n < 0 ? why : "");
    cr_assert_str_eq(s.name, name);
    cr_assert_eq(s.data.n, want.n, "%s: %zu bytes, not %zu", pdf, s.data.n, want.n);
    cr_assert_eq(memcmp(s.data.p, want.p, want.n), 0, "%s: the bytes differ", pdf);
    cr_assert_not(s.cut);
    free(s.data.p);
    free(file.p);
    free(want.p);
}

Test(pdf_attach, embedded_files_and_annotation_files_are_read_back_whole)
{
    assert_carries("testdata/pdf/attached-model.pdf", "model.pkl",
                   "testdata/artefacts/models/sklearn_logreg_p4.pkl");
    assert_carries("testdata/pdf/annotated-npy.pdf", "weights.npy",
                   "testdata/artefacts/models/weights.npy");
    /* rewritten by qpdf with a cross-reference stream and object streams
     * (testdata/make-pdf-xref-streams.sh) */
    assert_carries("testdata/pdf/attached-model-xs.pdf", "model.pkl",
                   "testdata/artefacts/models/sklearn_logreg_p4.pkl");
}

Test(pdf_attach, an_attachment_is_kept_only_up_to_the_limit)
{
    blob file = slurp("testdata/pdf/attached-model.pdf");
    seen s = {0};
    char why[160];
    cr_assert_eq(sdc_pdf_attachments(file.p, file.n, 100, 10, remember, &s, why, sizeof why), 1);
    cr_assert_eq(s.data.n, 100);
    cr_assert(s.cut);
    free(s.data.p);
    free(file.p);
}

Test(pdf_attach, a_pdf_without_attachments_has_none_and_junk_is_unreadable)
{
    blob file = slurp("testdata/pdf/nhs-number.pdf");
    seen s = {0};
    char why[160];
    cr_assert_eq(sdc_pdf_attachments(file.p, file.n, 1 << 20, 10, remember, &s, why, sizeof why),
                 0);
    free(file.p);
    static const char junk[] = "%PDF-1.7\nnot a pdf at all\n";
    cr_assert_eq(
        sdc_pdf_attachments(junk, sizeof junk - 1, 1 << 20, 10, remember, &s, why, sizeof why),
        SDC_PDF_ATTACH_UNREADABLE);
}

Test(pdf_attach, the_check_walks_attachments_as_members)
{
    sdc_policy *policy = sdc_policy_default();
    sdc_checker *c = sdc_checker_new(policy, NULL);
    sdc_file_result r;
    /* each also as qpdf rewrites it with a cross-reference stream */
    static const char *const models[] = {"testdata/pdf/attached-model.pdf",
                                         "testdata/pdf/attached-model-xs.pdf"};
    static const char *const tables[] = {"testdata/pdf/attached-table.pdf",
                                         "testdata/pdf/attached-table-xs.pdf"};
    for (int x = 0; x < 2; x++) {
        cr_assert_eq(sdc_check_file(c, models[x], NULL, &r), 0);
        cr_assert_eq(r.verdict, SDC_FAIL, "%s", models[x]);
        const sdc_finding *f = find_rule(&r.findings, "model-file");
        cr_assert_not_null(f, "%s", models[x]);
        cr_assert(strstr(f->message, "attachment:model.pkl"), "%s", f->message);
        sdc_file_result_free(&r);
        cr_assert_eq(sdc_check_file(c, tables[x], NULL, &r), 0);
        cr_assert_eq(r.verdict, SDC_REVIEW,
                     "%s: a safe table attached: the PDF is read by a person", tables[x]);
        cr_assert_eq(count_rule(&r.findings, "model-file"), 0);
        cr_assert_eq(count_rule(&r.findings, "malformed"), 0, "%s", tables[x]);
        sdc_file_result_free(&r);
    }
    sdc_checker_free(c);
    sdc_policy_free(policy);
}

#include "read/pdf_streams.h"

static bool any_pickle(const unsigned char *head, size_t len, bool whole, bool jpeg)
{
    (void)whole, (void)jpeg;
    return len >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5;
}

typedef struct found {
    long object;
    blob data;
    int count;
} found;

static int remember_stream(void *ctx, long object, size_t offset, const unsigned char *data,
                           size_t len, bool cut)
{
    (void)offset, (void)cut;
    found *f = ctx;
    f->object = object;
    f->data.p = malloc(len ? len : 1);
    memcpy(f->data.p, data, len);
    f->data.n = len;
    f->count++;
    return 0;
}

Test(pdf_attach, streams_nothing_refers_to_or_an_old_revision_holds_are_found)
{
    blob pkl = slurp("testdata/artefacts/models/sklearn_logreg_p4.pkl");
    static const struct {
        const char *file;
        long object;
    } cases[] = {{"testdata/pdf/hidden-stream.pdf", 6}, {"testdata/pdf/revised-away.pdf", 8}};
    for (size_t i = 0; i < 2; i++) {
        blob file = slurp(cases[i].file);
        found f = {0};
        int n = sdc_pdf_streams(file.p, file.n, 1 << 20, any_pickle, remember_stream, &f);
        cr_assert_gt(n, 0, "%s: streams looked at", cases[i].file);
        cr_assert_eq(f.count, 1, "%s", cases[i].file);
        cr_assert_eq(f.object, cases[i].object, "%s: object %ld", cases[i].file, f.object);
        cr_assert_eq(f.data.n, pkl.n);
        cr_assert_eq(memcmp(f.data.p, pkl.p, pkl.n), 0, "%s: inflated to the pickle",
                     cases[i].file);
        free(f.data.p);
        free(file.p);
    }
    /* The newest revision of revised-away.pdf has no attachment. */
    blob file = slurp("testdata/pdf/revised-away.pdf");
    seen s = {0};
    char why[160];
    cr_assert_eq(sdc_pdf_attachments(file.p, file.n, 1 << 20, 10, remember, &s, why, sizeof why),
                 0);
    free(file.p);
    free(pkl.p);
}

/* ---- file specifications poppler cannot read (doc/design.md, "PDF
 * attachments"): poppler 22.12 reads the embedded file of a name tree
 * value that refers to a string through a null pointer ---- */

#include "read/pdf_measure.h"

Test(pdf_attach, sound_file_specifications_pass_the_check_before_poppler)
{
    static const char *const files[] = {
        "testdata/pdf/attached-model.pdf",    "testdata/pdf/attached-table.pdf",
        "testdata/pdf/annotated-npy.pdf",     "testdata/pdf/revised-away.pdf",
        "testdata/pdf/nhs-number.pdf",        "testdata/pdf/attached-model-xs.pdf",
        "testdata/pdf/attached-table-xs.pdf", "testdata/pdf/nhs-number-xs.pdf"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        blob file = slurp(files[i]);
        char why[200];
        cr_assert_eq(sdc_pdf_file_specs_check(file.p, file.n, why, sizeof why), 0, "%s: %s",
                     files[i], why);
        free(file.p);
    }
}

Test(pdf_attach, a_file_specification_that_is_a_string_keeps_poppler_from_the_name_tree)
{
    /* spec-string.pdf: the tree's leaf (object 7, under the root's /Kids)
     * names object 8, "(counts.csv)", then object 9, a sound one */
    blob file = slurp("testdata/pdf/spec-string.pdf");
    char why[200];
    cr_assert_eq(sdc_pdf_file_specs_check(file.p, file.n, why, sizeof why), 1);
    cr_assert(strstr(why, "object 8 is a string, not a dictionary"), "%s", why);
    seen s = {0};
    cr_assert_eq(sdc_pdf_attachments(file.p, file.n, 1 << 20, 10, remember, &s, why, sizeof why), 0,
                 "nothing listed: the tree is not asked of poppler");
    cr_assert(strstr(why, "object 8 is a string"), "%s", why);
    free(file.p);
}

/*
 * The third file, fuzz/pdf's find in CI: the tree's file specification
 * is object 8, and "8 0 obj" follows "en/Type" (a damaged "endobj"), so
 * the check read the name /Type8 and found no object 8, while poppler
 * finds it by the xref table's offset: a string, which poppler 22.12
 * reads as a file specification through a null pointer (SIGSEGV). The
 * check now finds "N G obj" whatever precedes N, so it sees the string
 * poppler sees; this PDF too has a pickle in object 10.
 */
Test(pdf_attach, a_string_file_specification_is_review_and_the_model_is_still_found)
{
    sdc_policy *policy = sdc_policy_default();
    sdc_checker *c = sdc_checker_new(policy, NULL);
    static const char *const files[] = {"testdata/pdf/spec-string.pdf",
                                        "testdata/fuzz-regressions/pdf-embedded-spec-string.pdf",
                                        "testdata/fuzz-regressions/pdf-spec-behind-a-name.pdf"};
    static const char *const said[] = {"object 8", "object 7", "object 8 is a string"};
    for (size_t i = 0; i < 3; i++) {
        sdc_file_result r;
        cr_assert_eq(sdc_check_file(c, files[i], NULL, &r), 0, "%s", files[i]);
        const sdc_finding *f = NULL;
        for (size_t k = 0; k < r.findings.count && !f; k++)
            if (strcmp(r.findings.items[k].rule, "malformed") == 0 &&
                strstr(r.findings.items[k].message, "embedded files were not listed"))
                f = &r.findings.items[k];
        cr_assert_not_null(f, "%s: the skipped name tree is said", files[i]);
        cr_assert(strstr(f->message, said[i]), "%s", f->message);
        cr_assert_neq(r.verdict, SDC_PASS, "%s", files[i]);
        if (i != 1) {
            /* the pickle in object 10 is found by the stream scan */
            const sdc_finding *m = find_rule(&r.findings, "model-file");
            cr_assert_not_null(m);
            cr_assert(strstr(m->message, "PDF object 10"), "%s", m->message);
            cr_assert_eq(r.verdict, SDC_FAIL);
        }
        sdc_file_result_free(&r);
    }
    sdc_checker_free(c);
    sdc_policy_free(policy);
}

/* The same, built: the specification behind a name ("x/Type8 0 obj" is
 * object 8 where an offset points at its digit), one found nowhere (a
 * tree that cannot be followed: "/Type28 0 obj" is object 28 here), and
 * a dictionary, as the standard has it. */
Test(pdf_attach, specifications_behind_other_digits_or_nowhere_are_not_asked_of_poppler)
{
    static const char head[] =
        "%PDF-1.7\n1 0 obj << /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >> endobj\n"
        "2 0 obj << /Names [(a.csv) 8 0 R] >> endobj\n";
    char pdf[512], why[256];
    int len = snprintf(pdf, sizeof pdf, "%sx/Type8 0 obj (a.csv) endobj\n%%%%EOF\n", head);
    cr_assert_eq(sdc_pdf_file_specs_check((unsigned char *)pdf, (size_t)len, why, sizeof why), 1,
                 "%s", why);
    cr_assert(strstr(why, "object 8 is a string"), "%s", why);
    len = snprintf(pdf, sizeof pdf, "%sx/Type28 0 obj (a.csv) endobj\n%%%%EOF\n", head);
    cr_assert_eq(sdc_pdf_file_specs_check((unsigned char *)pdf, (size_t)len, why, sizeof why), -1,
                 "%s", why);
    cr_assert(strstr(why, "object 8, which is not found"), "%s", why);
    len = snprintf(pdf, sizeof pdf, "%s8 0 obj << /Type /Filespec /F (a.csv) >> endobj\n%%%%EOF\n",
                   head);
    cr_assert_eq(sdc_pdf_file_specs_check((unsigned char *)pdf, (size_t)len, why, sizeof why), 0,
                 "%s", why);
}

/*
 * A PDF with a cross-reference table: object 4 is "4 0 obj << /Type2",
 * and the table puts object 8 at that 8, where "8 0 obj (a.csv) endobj"
 * follows; with DECOY, a dictionary defined as object 8 further on. By the
 * standard (ISO 32000-1, 7.5.4) a reader reads object 8 at the table's
 * offset: the string, which poppler 22.12 took as the file specification
 * through a null pointer (SIGSEGV) while the check looked only at the
 * decoy. Into PDF (of SIZE), its length returned.
 */
static int decoy_pdf(char *pdf, size_t size, bool decoy)
{
    long off[10] = {0};
    int n = snprintf(pdf, size, "%%PDF-1.7\n");
    off[1] = n;
    n += snprintf(pdf + n, size - (size_t)n,
                  "1 0 obj << /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >> endobj\n");
    off[2] = n;
    n += snprintf(pdf + n, size - (size_t)n, "2 0 obj << /Names [(a.csv) 8 0 R] >> endobj\n");
    off[4] = n;
    n += snprintf(pdf + n, size - (size_t)n, "4 0 obj << /Type2");
    off[8] = n;
    n += snprintf(pdf + n, size - (size_t)n, "8 0 obj (a.csv) endobj\n");
    if (decoy)
        n += snprintf(pdf + n, size - (size_t)n,
                      "8 0 obj << /Type /Filespec /F (a.csv) >> endobj\n");
    long xref = n;
    n += snprintf(pdf + n, size - (size_t)n, "xref\n0 9\n0000000000 65535 f \n");
    for (int i = 1; i < 9; i++)
        n += off[i] ? snprintf(pdf + n, size - (size_t)n, "%010ld 00000 n \n", off[i])
                    : snprintf(pdf + n, size - (size_t)n, "0000000000 65535 f \n");
    n += snprintf(pdf + n, size - (size_t)n,
                  "trailer << /Size 9 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", xref);
    cr_assert_lt((size_t)n, size);
    return n;
}

/* Object 8 where the table says it is, a decoy or not: the string is
 * found, and the files are not asked of poppler. */
Test(pdf_attach, the_specification_the_xref_table_points_at_is_checked_beside_a_decoy)
{
    char pdf[1024], why[256];
    for (int decoy = 0; decoy < 2; decoy++) {
        int len = decoy_pdf(pdf, sizeof pdf, decoy);
        char xwhy[160];
        cr_assert_eq(sdc_pdf_xref_check((unsigned char *)pdf, (size_t)len, xwhy, sizeof xwhy), 0,
                     "the table is sound: %s", xwhy);
        cr_assert_eq(sdc_pdf_file_specs_check((unsigned char *)pdf, (size_t)len, why, sizeof why),
                     1, "decoy %d: %s", decoy, why);
        cr_assert(strstr(why, "object 8 is a string"), "decoy %d: %s", decoy, why);
        seen s = {0};
        cr_assert_eq(
            sdc_pdf_attachments(pdf, (size_t)len, 1 << 20, 10, remember, &s, why, sizeof why), 0);
        cr_assert_eq(s.count, 0, "nothing listed: the tree is not asked of poppler");
    }
}

/*
 * The same with a cross-reference stream (ISO 32000-1, 7.5.8) instead of
 * a table: /W [1 4 2], object 9 the stream itself. HOW: 0 its rows as
 * they are; 1 deflated after the PNG Up predictor (7.4.4.4: each row a
 * filter byte 2 and its bytes less the row above's), /Columns 7, as
 * writers make them; 2 a filter of pictures, which nothing reads as rows.
 * With SPEC, object 8 is a file specification and no string is there.
 * HYBRID: startxref points at a table of objects 0 to 7 whose trailer
 * names the stream as /XRefStm (7.5.8.4), so object 8 is only there.
 */
static size_t xref_stream_pdf(unsigned char *pdf, size_t size, bool decoy, int how, bool spec,
                              bool hybrid)
{
    long off[10] = {0};
    size_t n = (size_t)snprintf((char *)pdf, size, "%%PDF-1.7\n");
    off[1] = (long)n;
    n +=
        (size_t)snprintf((char *)pdf + n, size - n,
                         "1 0 obj << /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >> endobj\n");
    off[2] = (long)n;
    n += (size_t)snprintf((char *)pdf + n, size - n,
                          "2 0 obj << /Names [(a.csv) 8 0 R] >> endobj\n");
    off[4] = (long)n;
    n += (size_t)snprintf((char *)pdf + n, size - n, "4 0 obj << /Type2");
    off[8] = (long)n;
    n += (size_t)snprintf((char *)pdf + n, size - n, "%s",
                          spec ? "8 0 obj << /Type /Filespec /F (a.csv) >> endobj\n"
                               : "8 0 obj (a.csv) endobj\n");
    if (decoy)
        n += (size_t)snprintf((char *)pdf + n, size - n,
                              "8 0 obj << /Type /Filespec /F (a.csv) >> endobj\n");
    off[9] = (long)n;
    unsigned char rows[10 * 7], up[10 * 8], data[256];
    for (int i = 0; i < 10; i++) {
        unsigned char *r = rows + 7 * i;
        long o = off[i];
        r[0] = o ? 1 : 0;
        for (int k = 0; k < 4; k++)
            r[1 + k] = (unsigned char)(o >> (24 - 8 * k));
        r[5] = i == 0 ? 0xff : 0;
        r[6] = i == 0 ? 0xff : 0;
        up[8 * i] = 2;
        for (int k = 0; k < 7; k++)
            up[8 * i + 1 + k] = (unsigned char)(r[k] - (i ? rows[7 * (i - 1) + k] : 0));
    }
    uLongf dlen = sizeof data;
    const char *filter = "";
    if (how == 0) {
        memcpy(data, rows, sizeof rows);
        dlen = sizeof rows;
    } else {
        cr_assert_eq(compress(data, &dlen, up, sizeof up), Z_OK);
        filter = how == 1 ? " /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>"
                          : " /Filter /DCTDecode";
    }
    n += (size_t)snprintf((char *)pdf + n, size - n,
                          "9 0 obj << /Type /XRef /Size 10 /W [1 4 2] /Root 1 0 R /Length %lu%s "
                          ">>\nstream\n",
                          (unsigned long)dlen, filter);
    cr_assert_lt(n + dlen + 64, size);
    memcpy(pdf + n, data, dlen);
    n += dlen;
    n += (size_t)snprintf((char *)pdf + n, size - n, "\nendstream\nendobj\n");
    long start = off[9];
    if (hybrid) {
        start = (long)n;
        n += (size_t)snprintf((char *)pdf + n, size - n, "xref\n0 8\n0000000000 65535 f \n");
        for (int i = 1; i < 8; i++)
            n += (size_t)snprintf((char *)pdf + n, size - n,
                                  off[i] ? "%010ld 00000 n \n" : "0000000000 00000 f \n", off[i]);
        n += (size_t)snprintf((char *)pdf + n, size - n,
                              "trailer << /Size 10 /Root 1 0 R /XRefStm %ld >>\n", off[9]);
    }
    n += (size_t)snprintf((char *)pdf + n, size - n, "startxref\n%ld\n%%%%EOF\n", start);
    cr_assert_lt(n, size);
    return n;
}

/* A reader reads object 8 where the stream says it is, however its rows
 * are encoded and whether startxref or a table's /XRefStm names it: the
 * string there is found beside a decoy, and the files
 * are not asked of poppler (which took it through a null pointer, as with
 * a table); a stream no one can read as rows stops the check; with the
 * file specification there, the tree is sound. */
Test(pdf_attach, the_specification_a_cross_reference_stream_points_at_is_checked_beside_a_decoy)
{
    unsigned char pdf[2048];
    char why[256];
    for (int how = 0; how < 4; how++)
        for (int decoy = 0; decoy < 2; decoy++) {
            /* how 2 and 3: as 0 and 1, the stream a hybrid file's */
            size_t len = xref_stream_pdf(pdf, sizeof pdf, decoy, how % 2, false, how >= 2);
            cr_assert_eq(sdc_pdf_file_specs_check(pdf, len, why, sizeof why), 1,
                         "rows %d, decoy %d: %s", how, decoy, why);
            cr_assert(strstr(why, "object 8 is a string"), "rows %d, decoy %d: %s", how, decoy,
                      why);
            seen s = {0};
            cr_assert_eq(sdc_pdf_attachments((const char *)pdf, len, 1 << 20, 10, remember, &s, why,
                                             sizeof why),
                         0);
            cr_assert_eq(s.count, 0, "nothing listed: the tree is not asked of poppler");
        }
    size_t len = xref_stream_pdf(pdf, sizeof pdf, true, 2, false, false);
    cr_assert_eq(sdc_pdf_file_specs_check(pdf, len, why, sizeof why), -1, "%s", why);
    cr_assert(strstr(why, "cross-reference stream at byte"), "%s", why);
    for (int how = 0; how < 4; how++) {
        len = xref_stream_pdf(pdf, sizeof pdf, false, how % 2, true, how >= 2);
        cr_assert_eq(sdc_pdf_file_specs_check(pdf, len, why, sizeof why), 0, "rows %d: %s", how,
                     why);
    }
}

/* A PDF of objects only (the check finds objects by "N G obj", not by the
 * cross-reference table): a catalog whose tree is a chain of DEPTH nodes,
 * the last pointing back at the first when LOOP. */
static char *tree_chain(int depth, bool loop, size_t *len)
{
    char *pdf = NULL;
    FILE *f = open_memstream(&pdf, len);
    fputs("%PDF-1.7\n1 0 obj << /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >> endobj\n", f);
    for (int i = 0; i < depth; i++)
        fprintf(f, "%d 0 obj << /Kids [%d 0 R] >> endobj\n", i + 2,
                i + 1 < depth ? i + 3
                : loop        ? 2
                              : 1000);
    fputs("1000 0 obj << /Names [(a.csv) 1001 0 R] >> endobj\n1001 0 obj (a.csv) endobj\n", f);
    fclose(f);
    return pdf;
}

Test(pdf_attach, the_tree_is_followed_to_its_leaves_through_loops_and_only_so_deep)
{
    char why[200];
    size_t len;
    char *pdf = tree_chain(10, false, &len);
    cr_assert_eq(sdc_pdf_file_specs_check((unsigned char *)pdf, len, why, sizeof why), 1,
                 "ten levels down, object 1001 is found: %s", why);
    cr_assert(strstr(why, "object 1001 is a string"), "%s", why);
    free(pdf);
    pdf = tree_chain(10, true, &len);
    cr_assert_eq(sdc_pdf_file_specs_check((unsigned char *)pdf, len, why, sizeof why), 0,
                 "a loop of kids is walked once and has no leaf: %s", why);
    free(pdf);
    pdf = tree_chain(70, false, &len);
    cr_assert_eq(sdc_pdf_file_specs_check((unsigned char *)pdf, len, why, sizeof why), -1);
    cr_assert(strstr(why, "more than 64 levels deep"), "%s", why);
    free(pdf);
}

/* A catalog and a one-level tree whose /Names array is NAMES; object 8 is
 * the string (a.csv), object 9 a sound file specification. */
static char *tree_names(const char *names, size_t *len)
{
    char *pdf = NULL;
    FILE *f = open_memstream(&pdf, len);
    fprintf(f,
            "%%PDF-1.7\n1 0 obj << /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >> endobj\n"
            "2 0 obj << /Names [%s] >> endobj\n8 0 obj (a.csv) endobj\n"
            "9 0 obj << /F (b.csv) /EF << /F 10 0 R >> >> endobj\n",
            names);
    fclose(f);
    return pdf;
}

Test(pdf_attach, references_are_read_as_poppler_reads_them)
{
    /* poppler 22.12 crashes on each of these (each a PDF with a correct
     * cross-reference table, run through poppler_document_get_attachments
     * by hand): a number ends where a digit does, so "8 00R" is a
     * reference, and a sign starts one */
    static const char *const refs[] = {"(a.csv) 8 00R",
                                       "(a.csv) +8 0 R",
                                       "(a.csv) 8+0 R",
                                       "(a.csv) 8 -0 R",
                                       "(a.csv) 8 0R",
                                       "(a.csv) 8 0 %c\nR",
                                       "(b.csv) 9 0 R (a.csv) 8 0 R"};
    for (size_t i = 0; i < sizeof refs / sizeof *refs; i++) {
        size_t len;
        char why[200];
        char *pdf = tree_names(refs[i], &len);
        cr_assert_eq(sdc_pdf_file_specs_check((unsigned char *)pdf, len, why, sizeof why), 1, "%s",
                     refs[i]);
        cr_assert(strstr(why, "object 8 is a string"), "%s: %s", refs[i], why);
        free(pdf);
    }
}

Test(pdf_attach, a_tree_that_is_not_pairs_of_a_name_and_a_file_specification_is_not_listed)
{
    static const struct {
        const char *names, *why;
        int rc;
    } cases[] = {
        {"(b.csv) 9 0 R", "", 0},
        {"(b.csv) << /F (b.csv) /EF << /F 10 0 R >> >>", "", 0},
        {"(a.csv) (a.csv)", "a string where a file specification should be", 1},
        {"(a.csv) -8 0 R", "a number where a file specification should be", 1},
        {"/a.csv 9 0 R", "a name where a key (a string) should be", 1},
        {"(b.csv) 9 0 R (a.csv)", "a name without a file specification", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len;
        char why[200];
        char *pdf = tree_names(cases[i].names, &len);
        cr_assert_eq(sdc_pdf_file_specs_check((unsigned char *)pdf, len, why, sizeof why),
                     cases[i].rc, "%s: %s", cases[i].names, why);
        cr_assert(strstr(why, cases[i].why), "%s: %s", cases[i].names, why);
        free(pdf);
    }
}
