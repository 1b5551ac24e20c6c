/* test_insert.c - any bytes put into a valid file at any position are
 * walked or reported (doc/design.md, "Accounting for every byte").
 *
 * Base files are written here by the libraries that define them
 * (libarchive's zip and tar writers, zlib's gzip) or from the format's
 * document (a PNG from RFC 2083, a PDF from ISO 32000-1). Three payloads
 * (a pickle, 64 pseudo-random bytes, a line of words) are inserted at
 * every position (every position of the first 2 KiB of a tar and every
 * 61st after). The result must differ from the base's: a file that passed
 * no longer passes, and one a person reads anyway (an image, a PDF) gets
 * a finding it did not have. */
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <zlib.h>

#include "helpers.h"

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
TestSuite(insert, .init = setup, .fini = teardown, .timeout = 600);

/* pickle.dumps({'coef': [1.5, 2.5]}, protocol=4) */
static const unsigned char pickle4[] =
    "\x80\x04\x95\x21\x00\x00\x00\x00\x00\x00\x00\x7d\x94\x8c\x04\x63\x6f\x65\x66\x94\x5d\x94\x28"
    "\x47\x3f\xf8\x00\x00\x00\x00\x00\x00\x47\x40\x04\x00\x00\x00\x00\x00\x00\x65\x73\x2e";
static const char csv_a[] = "region,count\nNorth,120\nSouth,340\n";
static const char csv_b[] = "sex,count\nF,210\nM,250\n";

typedef struct bytes {
    unsigned char *p;
    size_t n;
} bytes;

static bytes archive_of(const char *format, const char *filter)
{
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    struct archive *a = archive_write_new();
    cr_assert_eq(archive_write_set_format_by_name(a, format), ARCHIVE_OK);
    if (filter)
        cr_assert_eq(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK);
    cr_assert_eq(archive_write_open_memory(a, buf, cap, &len), ARCHIVE_OK);
    const char *names[] = {"a.csv", "b.csv"}, *data[] = {csv_a, csv_b};
    for (int i = 0; i < 2; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, names[i]);
        archive_entry_set_size(e, (la_int64_t)strlen(data[i]));
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_mtime(e, 1764590400, 0);
        cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK);
        archive_write_data(a, data[i], strlen(data[i]));
        archive_entry_free(e);
    }
    cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    return (bytes){buf, len};
}

/* RFC 1952 by zlib (windowBits 16 + 15). */
static bytes gzip_of(const char *text)
{
    bytes b = {malloc(512), 0};
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)text;
    z.avail_in = (uInt)strlen(text);
    z.next_out = b.p;
    z.avail_out = 512;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    b.n = 512 - z.avail_out;
    deflateEnd(&z);
    return b;
}

static void put_chunk(bytes *o, const char *type, const unsigned char *d, size_t n)
{
    unsigned char *q = o->p + o->n;
    q[0] = (unsigned char)(n >> 24), q[1] = (unsigned char)(n >> 16);
    q[2] = (unsigned char)(n >> 8), q[3] = (unsigned char)n;
    memcpy(q + 4, type, 4);
    if (n)
        memcpy(q + 8, d, n);
    uLong crc = crc32(0, q + 4, (uInt)(n + 4));
    q[8 + n] = (unsigned char)(crc >> 24), q[9 + n] = (unsigned char)(crc >> 16);
    q[10 + n] = (unsigned char)(crc >> 8), q[11 + n] = (unsigned char)crc;
    o->n += n + 12;
}

/* A 2x2 grey PNG (RFC 2083: signature, IHDR, IDAT, IEND). */
static bytes png_of(void)
{
    static const unsigned char ihdr[] = {0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0};
    unsigned char raw[] = {0, 128, 128, 0, 128, 128}, idat[64];
    uLongf idat_len = sizeof idat;
    compress(idat, &idat_len, raw, sizeof raw);
    bytes o = {malloc(256), 8};
    memcpy(o.p, "\x89PNG\r\n\x1a\n", 8);
    put_chunk(&o, "IHDR", ihdr, sizeof ihdr);
    put_chunk(&o, "IDAT", idat, idat_len);
    put_chunk(&o, "IEND", NULL, 0);
    return o;
}

/* One page of text, ISO 32000-1 7.5: header, objects, xref, trailer. */
static bytes pdf_of(void)
{
    static const char content[] = "BT /F1 12 Tf 72 720 Td (Counts by region) Tj ET";
    char o4[160];
    snprintf(o4, sizeof o4, "<< /Length %zu >>\nstream\n%s\nendstream", sizeof content - 1,
             content);
    const char *objs[] = {"<< /Type /Catalog /Pages 2 0 R >>",
                          "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                          "/Resources << /Font << /F1 5 0 R >> >> >>",
                          o4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
    bytes b = {malloc(2048), 0};
    char *o = (char *)b.p;
    size_t n = (size_t)snprintf(o, 2048, "%%PDF-1.4\n"), at[5];
    for (int i = 0; i < 5; i++) {
        at[i] = n;
        n += (size_t)snprintf(o + n, 2048 - n, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t xref = n;
    n += (size_t)snprintf(o + n, 2048 - n, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 0; i < 5; i++)
        n += (size_t)snprintf(o + n, 2048 - n, "%010zu 00000 n \n", at[i]);
    n += (size_t)snprintf(o + n, 2048 - n,
                          "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    b.n = n;
    return b;
}

/* The verdict and the rules found, as one string to compare. */
static void judge(const char *name, const unsigned char *p, size_t n, sdc_verdict *v, char *sig,
                  size_t size)
{
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(checker, name, p, n, &r), 0);
    *v = r.verdict;
    size_t o = (size_t)snprintf(sig, size, "%d %s", r.verdict, r.format ? r.format : "-");
    for (size_t i = 0; i < r.findings.count && o < size; i++)
        o += (size_t)snprintf(sig + o, size - o, " %s", r.findings.items[i].rule);
    sdc_file_result_free(&r);
}

static void insert_everywhere(const char *name, bytes base, size_t dense)
{
    unsigned char noise[64];
    unsigned x = 2026;
    for (size_t i = 0; i < sizeof noise; i++) {
        x = x * 1103515245u + 12345u;
        noise[i] = (unsigned char)(x >> 16);
    }
    static const char words[] = "just a few words here\n";
    const struct {
        const unsigned char *p;
        size_t n;
        const char *what;
    } payloads[] = {
        {pickle4, sizeof pickle4 - 1, "pickle"},
        {noise, sizeof noise, "noise"},
        {(const unsigned char *)words, sizeof words - 1, "words"},
    };
    sdc_verdict base_v;
    char base_sig[1024], sig[1024];
    judge(name, base.p, base.n, &base_v, base_sig, sizeof base_sig);
    unsigned char *buf = malloc(base.n + 128);
    for (size_t k = 0; k < sizeof payloads / sizeof *payloads; k++) {
        for (size_t at = 0; at <= base.n; at += at < dense ? 1 : 61) {
            memcpy(buf, base.p, at);
            memcpy(buf + at, payloads[k].p, payloads[k].n);
            memcpy(buf + at + payloads[k].n, base.p + at, base.n - at);
            sdc_verdict v;
            judge(name, buf, base.n + payloads[k].n, &v, sig, sizeof sig);
            if (base_v == SDC_PASS)
                cr_assert_neq(v, SDC_PASS, "%s: %s at byte %zu passed", name, payloads[k].what, at);
            else
                cr_assert(strcmp(sig, base_sig) != 0 || v > base_v,
                          "%s: %s at byte %zu changed nothing (%s)", name, payloads[k].what, at,
                          sig);
        }
    }
    free(buf);
}

Test(insert, the_honest_files_pass_or_are_read)
{
    bytes files[] = {archive_of("zip", NULL), archive_of("ustar", NULL),
                     archive_of("ustar", "gzip"), gzip_of(csv_a)};
    const char *names[] = {"out.zip", "out.tar", "out.tar.gz", "a.csv.gz"};
    for (int i = 0; i < 4; i++) {
        sdc_verdict v;
        char sig[256];
        judge(names[i], files[i].p, files[i].n, &v, sig, sizeof sig);
        cr_assert_eq(v, SDC_PASS, "%s: %s", names[i], sig);
        free(files[i].p);
    }
}

Test(insert, into_a_zip)
{
    bytes b = archive_of("zip", NULL);
    insert_everywhere("out.zip", b, b.n + 1);
    free(b.p);
}

Test(insert, into_a_tar)
{
    bytes b = archive_of("ustar", NULL);
    insert_everywhere("out.tar", b, 2048);
    free(b.p);
}

Test(insert, into_a_tar_gz)
{
    bytes b = archive_of("ustar", "gzip");
    insert_everywhere("out.tar.gz", b, b.n + 1);
    free(b.p);
}

Test(insert, into_a_gzip)
{
    bytes b = gzip_of(csv_a);
    insert_everywhere("a.csv.gz", b, b.n + 1);
    free(b.p);
}

Test(insert, into_a_png)
{
    bytes b = png_of();
    insert_everywhere("chart.png", b, b.n + 1);
    free(b.p);
}

Test(insert, into_a_pdf)
{
    bytes b = pdf_of();
    insert_everywhere("report.pdf", b, b.n + 1);
    free(b.p);
}
