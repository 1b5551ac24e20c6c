/* test_ole.c - OLE compound files: their streams walked as members and a
 * file embedded as a Package walked as itself (read/ole.c,
 * check/ole_account.c). The files are written by testdata/make-ole.py with
 * libgsf's writer; the Package layout below is written by hand from the
 * layout ole.c cites. */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "read/ole.h"

static void sha256_file(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    unsigned char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        EVP_DigestUpdate(md, buf, n);
    fclose(f);
    unsigned char d[32];
    unsigned int dl = 0;
    EVP_DigestFinal_ex(md, d, &dl);
    EVP_MD_CTX_free(md);
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

Test(ole, a_package_header_gives_the_embedded_files_name_and_bytes)
{
    /* total, flag 2, "a.pkl\0", "C:\a.pkl\0", 0x00030000, 4, "t.p\0", 3, "xyz" */
    static const unsigned char s[] = {
        0, 0, 0, 0, 2, 0, 'a', '.', 'p', 'k', 'l', 0,   'C', ':', '\\', 'a', '.', 'p', 'k', 'l',
        0, 0, 0, 3, 0, 4, 0,   0,   0,   't', '.', 'p', 0,   3,   0,    0,   0,   'x', 'y', 'z'};
    char name[32];
    size_t off = 0, size = 0;
    cr_assert(sdc_ole10native(s, sizeof s, name, sizeof name, &off, &size));
    cr_expect_str_eq(name, "a.pkl");
    cr_expect_eq(off, sizeof s - 3);
    cr_expect_eq(size, 3);
    /* A data size past the stream's end: not a Package. */
    unsigned char bad[sizeof s];
    memcpy(bad, s, sizeof s);
    bad[sizeof s - 7] = 4;
    cr_expect_not(sdc_ole10native(bad, sizeof bad, name, sizeof name, &off, &size));
    cr_expect_not(sdc_ole10native(s, 10, name, sizeof name, &off, &size));
}

Test(ole, the_file_in_a_package_is_walked_whole_in_a_compound_file_and_in_a_docx)
{
    char want[65];
    sha256_file("testdata/ole/forest.pkl", want);
    sdc_policy *policy = sdc_policy_default();
    sdc_checker *c = sdc_checker_new(policy, NULL);
    cr_assert_not_null(c);
    static const char *const cases[][2] = {
        {"testdata/ole/package_pickle.bin", "testdata/ole/package_pickle.bin!package:forest.pkl"},
        {"testdata/ole/report_ole.docx",
         "testdata/ole/report_ole.docx!word/embeddings/oleObject1.bin!package:forest.pkl"},
    };
    for (size_t k = 0; k < 2; k++) {
        sdc_file_result *rs = NULL;
        size_t n = 0;
        cr_assert_eq(sdc_check_file_all(c, cases[k][0], NULL, &rs, &n), 0);
        cr_expect_eq(rs[0].verdict, SDC_FAIL, "%s", cases[k][0]);
        const sdc_file_result *m = find_path(rs, n, cases[k][1]);
        cr_assert_not_null(m, "no member %s", cases[k][1]);
        cr_expect_eq(m->file_class, SDC_CLASS_MODEL);
        cr_expect_not_null(find_rule(&m->findings, "model-file"));
        /* the very bytes of forest.pkl: the Package header left out */
        cr_expect_str_eq(m->sha256, want);
        for (size_t i = 0; i < n; i++)
            sdc_file_result_free(&rs[i]);
        free(rs);
    }
    /* Text streams: each a member, reviewed; none fails. */
    sdc_file_result *rs = NULL;
    size_t n = 0;
    cr_assert_eq(sdc_check_file_all(c, "testdata/ole/text_streams.bin", NULL, &rs, &n), 0);
    cr_expect_eq(rs[0].verdict, SDC_REVIEW);
    cr_expect_not_null(find_path(rs, n, "testdata/ole/text_streams.bin!stream:Notes"));
    cr_expect_not_null(find_path(rs, n, "testdata/ole/text_streams.bin!stream:Summary"));
    for (size_t i = 0; i < n; i++)
        sdc_file_result_free(&rs[i]);
    free(rs);
    sdc_checker_free(c);
    sdc_policy_free(policy);
}

/* Checks BYTES as NAME: never a pass, with a "malformed" finding whose
 * message holds NEEDLE. */
static void expect_malformed(const char *name, const unsigned char *bytes, size_t n,
                             const char *needle)
{
    sdc_policy *policy = sdc_policy_default();
    sdc_checker *c = sdc_checker_new(policy, NULL);
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(c, name, bytes, n, &r), 0);
    cr_expect_neq(r.verdict, SDC_PASS);
    const sdc_finding *m = find_rule(&r.findings, "malformed");
    cr_assert_not_null(m);
    cr_expect(strstr(m->message, needle), "%s", m->message);
    sdc_file_result_free(&r);
    sdc_checker_free(c);
    sdc_policy_free(policy);
}

Test(ole, a_compound_file_that_cannot_be_opened_is_said_so)
{
    FILE *f = fopen("testdata/ole/text_streams.bin", "rb");
    cr_assert_not_null(f);
    unsigned char b[1000];
    size_t n = fread(b, 1, sizeof b, f); /* its header and part of its first sectors */
    fclose(f);
    expect_malformed("cut.doc", b, n, "compound file");
}

/* The input fuzz/binary found (testdata/fuzz-regressions/): a compound
 * file whose FAT chains end in 0xffffffff and whose root entry is not
 * marked as root. libgsf opens it with warnings (and leaks the entries it
 * read, fuzz/lsan.supp); any streams it lists would still be walked, its warning
 * becomes the file's "malformed" finding (not a line on standard error),
 * and a damaged document is never a pass. */
static int ignore_stream(void *ctx, const char *path, const unsigned char *bytes, size_t len,
                         bool cut)
{
    (void)ctx;
    (void)path;
    (void)bytes;
    (void)len;
    (void)cut;
    return 0;
}

Test(ole, the_fuzzed_damaged_directory_is_walked_and_never_a_pass)
{
    FILE *f = fopen("testdata/fuzz-regressions/ole-damaged-directory.doc", "rb");
    cr_assert_not_null(f);
    unsigned char *b = malloc(16384);
    cr_assert_not_null(b);
    size_t n = fread(b, 1, 16384, f);
    fclose(f);
    cr_assert_eq(n, 9220);
    char why[256] = "";
    cr_expect_eq(sdc_ole_walk(b, n, ignore_stream, NULL, why, sizeof why), 1);
    cr_expect(strstr(why, "OLE2 file is invalid"), "%s", why);
    expect_malformed("damaged.doc", b, n, "damaged");
    free(b);
}

/*
 * Compound files walked on several threads at once, each thread's the
 * first of the process (a test runs in a process of its own): libgsf
 * registers its classes on first use without a lock, and two threads
 * registering GsfInput at once crashed gsf_input_memory_new ("cannot
 * register existing type"; found under AddressSanitizer when the corpus
 * of model files was checked in one run on the pool's threads). ole.c
 * registers them once first. Each thread counts the streams it walks:
 * every one must walk the file whole.
 */
#define OLE_THREADS 8

typedef struct ole_race {
    pthread_barrier_t *start;
    const unsigned char *bytes;
    size_t len;
    int rc;
    size_t streams;
} ole_race;

static int count_stream(void *ctx, const char *path, const unsigned char *bytes, size_t len,
                        bool cut)
{
    (void)path;
    (void)bytes;
    (void)len;
    (void)cut;
    ((ole_race *)ctx)->streams++;
    return 0;
}

static void *walk_at_once(void *arg)
{
    ole_race *r = arg;
    char why[200] = "";
    pthread_barrier_wait(r->start);
    r->rc = sdc_ole_walk(r->bytes, r->len, count_stream, r, why, sizeof why);
    return NULL;
}

/* GObject's complaints while the threads run (a class registered twice). */
static int gobject_said;

static void on_gobject_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
                           gpointer data)
{
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
    __atomic_add_fetch(&gobject_said, 1, __ATOMIC_SEQ_CST);
}

Test(ole, compound_files_walked_on_threads_at_once_are_each_walked_whole)
{
    g_log_set_handler("GLib-GObject", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL, on_gobject_log,
                      NULL);
    FILE *f = fopen("testdata/ole/text_streams.bin", "rb");
    cr_assert_not_null(f);
    static unsigned char b[1 << 16];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    cr_assert(n > 0 && n < sizeof b);
    pthread_barrier_t start;
    cr_assert_eq(pthread_barrier_init(&start, NULL, OLE_THREADS), 0);
    ole_race r[OLE_THREADS];
    pthread_t th[OLE_THREADS];
    for (int i = 0; i < OLE_THREADS; i++) {
        r[i] = (ole_race){.start = &start, .bytes = b, .len = n};
        cr_assert_eq(pthread_create(&th[i], NULL, walk_at_once, &r[i]), 0);
    }
    for (int i = 0; i < OLE_THREADS; i++)
        cr_assert_eq(pthread_join(th[i], NULL), 0);
    pthread_barrier_destroy(&start);
    /* the one walk on this thread, after them, as the reference */
    ole_race one = {.bytes = b, .len = n};
    char why[200] = "";
    cr_assert_eq(sdc_ole_walk(b, n, count_stream, &one, why, sizeof why), 0, "%s", why);
    cr_assert_gt(one.streams, 0);
    cr_assert_eq(gobject_said, 0, "GObject warned %d times (a class registered twice)",
                 gobject_said);
    for (int i = 0; i < OLE_THREADS; i++) {
        cr_assert_eq(r[i].rc, 0, "thread %d", i);
        cr_assert_eq(r[i].streams, one.streams, "thread %d walked %zu of %zu streams", i,
                     r[i].streams, one.streams);
    }
}
