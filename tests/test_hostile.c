/*
 * test_hostile.c - hostile input ends with a finding, in bounded time and
 * memory (sdccheck(1), "LIMITS").
 *
 * Each case writes its input into a private folder, runs the real binary
 * on it and asserts the verdict (never pass where the limit was hit), the
 * finding that says which limit, and the peak resident memory of the run.
 * The memory bound is checked on the plain build only: AddressSanitizer
 * keeps freed memory in quarantine and its shadow, so its peaks say
 * nothing about sdccheck's (the test says so in its log). Criterion's
 * timeout is the guard against a hang, not a timing assertion.
 *
 * The inputs are scaled down from the man page's (a million columns, a
 * 10 GB line, 100 million labels, a 1 GB field or pickle) so that the
 * suite stays fast under the sanitizers; each scale is past the limit it
 * tests, and bench/hostile.sh runs the full sizes and prints time and
 * memory for each.
 */
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <zlib.h>

#include "helpers.h"

/* One run of the binary: its exit status (-1 when it did not exit), its
 * JSON report and its peak resident memory in MiB. */
typedef struct run_result {
    int status;
    char *json;
    long peak_mib;
} run_result;

/* Runs sdccheck -q -f json [OPTION VALUE] PATH (helpers.h). */
static run_result run_on(const char *path, const char *option, const char *value)
{
    run_result r = {.status = -1};
    long peak_kib = 0;
    r.json = sdc_test_json_run(option, value, path, &r.status, &peak_kib);
    r.peak_mib = peak_kib / 1024;
    return r;
}

/* Whether the binary is a sanitizer build (its memory peaks mean nothing). */
static bool sanitized(void)
{
    return strstr(sdc_test_binary(), "asan") != NULL;
}

/* Asserts R's peak memory is under MIB (plain builds). */
static void assert_peak_under(const run_result *r, long mib, const char *what)
{
    if (sanitized()) {
        cr_log_info("%s: peak memory %ld MiB not checked under the sanitizers", what, r->peak_mib);
        return;
    }
    cr_assert_lt(r->peak_mib, mib, "%s: peak memory %ld MiB, bound %ld MiB", what, r->peak_mib,
                 mib);
}

/* Asserts the report holds a finding of RULE whose message has TEXT. */
static void assert_finding(const run_result *r, const char *rule, const char *text)
{
    cr_assert_not_null(r->json, "no report");
    char key[96];
    snprintf(key, sizeof key, "\"rule\": \"%s\"", rule);
    for (const char *p = strstr(r->json, key); p; p = strstr(p + 1, key)) {
        const char *end = strstr(p, "\n    }");
        const char *hit = strstr(p, text);
        if (hit && (!end || hit < end))
            return;
    }
    cr_assert_fail("no %s finding saying \"%s\" in:\n%.4000s", rule, text, r->json);
}

static char dir[64];

static void make_dir(void)
{
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "hostile"));
}

static void remove_dir(void)
{
    temp_dir_remove(dir);
}

static char *path_in(const char *name)
{
    char *p = NULL;
    cr_assert_geq(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

TestSuite(hostile, .init = make_dir, .fini = remove_dir, .timeout = 240);

/* ---- tables ------------------------------------------------------------ */

/* 200,000 count columns in one row, each at least the threshold: read
 * whole, in time linear in the columns (it was quadratic: 100,000 took
 * 24 s), and it passes: nothing in it is unsafe. */
Test(hostile, a_row_of_200000_columns_is_read_whole_and_passes)
{
    char *path = path_in("wide.csv");
    FILE *f = fopen(path, "w");
    const size_t cols = 200000;
    for (size_t c = 0; c < cols; c++)
        fprintf(f, "%sc%zu", c ? "," : "", c);
    fputc('\n', f);
    for (size_t c = 0; c < cols; c++)
        fprintf(f, "%s%zu", c ? "," : "", 10 + c % 50);
    fputc('\n', f);
    fclose(f);
    run_result r = run_on(path, NULL, NULL);
    cr_assert_eq(r.status, 0, "every count is at least 10: pass (exit %d)", r.status);
    cr_assert_not_null(strstr(r.json, "\"columns\": 200000"), "read %zu columns wide", cols);
    assert_peak_under(&r, 512, "200,000 columns");
    free(r.json);
    free(path);
}

/* 2,000 rows of two fields and one row of 200,000: padding every row to
 * the widest would be 400 million cells. The table is read as wide as its
 * cells allow and the cut is reported: review, never pass. */
Test(hostile, a_row_far_wider_than_the_rest_is_cut_not_padded)
{
    char *path = path_in("jagged.csv");
    FILE *f = fopen(path, "w");
    fputs("area,count\n", f);
    for (int i = 0; i < 2000; i++)
        fprintf(f, "A%d,%d\n", i, 10 + i % 7);
    fputs("A,1", f);
    for (int i = 0; i < 200000; i++)
        fputs(",5", f);
    fputc('\n', f);
    fclose(f);
    run_result r = run_on(path, NULL, NULL);
    cr_assert_neq(r.status, 0, "a cut table never passes");
    cr_assert_neq(r.status, 2, "a finding, not an error");
    assert_finding(&r, "malformed", "far more than the rest");
    assert_peak_under(&r, 256, "jagged rows");
    free(r.json);
    free(path);
}

/* One line of 3 million short fields: past SDC_CSV_MAX_ROW_FIELDS (2^21)
 * the row is not held (a 10 GB line held 16 GB before) and the rest of the
 * file is not read as a table: review. */
Test(hostile, a_row_of_more_fields_than_the_limit_is_not_held)
{
    char *path = path_in("line.csv");
    FILE *f = fopen(path, "w");
    fputs("a,b\n", f);
    for (int i = 0; i < 3000000; i++)
        fputs("1,", f);
    fputs("1\n", f);
    fclose(f);
    run_result r = run_on(path, NULL, NULL);
    cr_assert_eq(r.status, 3, "review (exit %d)", r.status);
    assert_finding(&r, "malformed", "more than 2097152 fields or 64 MiB");
    assert_peak_under(&r, 256, "one line of 3 million fields");
    free(r.json);
    free(path);
}

/* One line of 70 MiB in fields of 1,000 bytes (70,000 fields, under the
 * field count): past SDC_CSV_MAX_ROW_BYTES (64 MiB) the row is not held. */
Test(hostile, a_row_longer_than_64_mib_is_not_held)
{
    char *path = path_in("long.csv");
    FILE *f = fopen(path, "w");
    char field[1001];
    memset(field, 'q', 1000);
    field[1000] = '\0';
    fputs("a,b\n", f);
    for (int i = 0; i < 70 * 1049; i++)
        fprintf(f, "%s,", field);
    fputs("1\n", f);
    fclose(f);
    run_result r = run_on(path, NULL, NULL);
    cr_assert_eq(r.status, 3, "review (exit %d)", r.status);
    assert_finding(&r, "malformed", "more than 2097152 fields or 64 MiB");
    assert_peak_under(&r, 400, "a line of 70 MiB");
    free(r.json);
    free(path);
}

/* A field of 32 MiB: past SDC_CSV_MAX_FIELD (1 MiB) it is refused and the
 * file is not read as a table further: review. */
Test(hostile, a_field_of_32_mib_is_refused)
{
    char *path = path_in("field.csv");
    FILE *f = fopen(path, "w");
    fputs("a,b\n1,\"", f);
    char chunk[4096];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 32 * 256; i++)
        fwrite(chunk, 1, sizeof chunk, f);
    fputs("\"\n", f);
    fclose(f);
    run_result r = run_on(path, NULL, NULL);
    cr_assert_eq(r.status, 3, "review (exit %d)", r.status);
    assert_finding(&r, "malformed", "a field longer than 1048576 bytes");
    assert_peak_under(&r, 256, "a 32 MiB field");
    free(r.json);
    free(path);
}

/* A million distinct labels under a policy keeping 1,000 rows (so 100,000
 * for a table shaped as an aggregate): rows past that are counted, not
 * kept, and the file fails as record-level data. */
Test(hostile, a_million_distinct_labels_are_counted_not_kept)
{
    char *path = path_in("labels.csv");
    char *policy = path_in("small.yaml");
    FILE *p = fopen(policy, "w");
    fputs("extends: ons-srs\nmax_table_rows: 1000\n", p);
    fclose(p);
    FILE *f = fopen(path, "w");
    fputs("area,count\n", f);
    for (int i = 0; i < 1000000; i++)
        fprintf(f, "A%07d,%d\n", i, 10 + i % 90);
    fclose(f);
    run_result r = run_on(path, "--policy", policy);
    cr_assert_eq(r.status, 1, "record-level data fails (exit %d)", r.status);
    assert_finding(&r, "microdata", "1000000 rows");
    assert_peak_under(&r, 256, "a million labels");
    free(r.json);
    free(path);
    free(policy);
}

/* 8 MiB of bytes that no encoding reads (0x81 is undefined in
 * Windows-1252): one encoding finding naming the first line; each bad byte
 * once cost a recount of its chunk's lines (46 s per MiB). */
Test(hostile, undecodable_bytes_are_counted_once_each)
{
    char *path = path_in("bad.csv");
    FILE *f = fopen(path, "w");
    fputs("label,n\n", f);
    char row[1024];
    memset(row, 0x81, sizeof row - 4);
    memcpy(row + sizeof row - 4, ",12\n", 4);
    for (int i = 0; i < 8 * 1024; i++)
        fwrite(row, 1, sizeof row, f);
    fclose(f);
    run_result r = run_on(path, NULL, NULL);
    cr_assert_neq(r.status, 0, "never pass (exit %d)", r.status);
    cr_assert_neq(r.status, 2);
    assert_finding(&r, "encoding", "the first at line 2");
    free(r.json);
    free(path);
}

/* ---- documents --------------------------------------------------------- */

/* A one-page PDF whose content stream inflates to 64 MiB of text: poppler
 * is not asked for it (its extraction grows faster than the text), and a
 * person reads it: review. */
Test(hostile, a_pdf_page_of_64_mib_of_text_is_not_extracted)
{
    const char line[] = "BT /F1 8 Tf 10 700 Td (Row 12345 North 17 South 23) Tj ET\n";
    size_t len = (64u << 20) / (sizeof line - 1) * (sizeof line - 1);
    unsigned char *text = malloc(len);
    for (size_t at = 0; at < len; at += sizeof line - 1)
        memcpy(text + at, line, sizeof line - 1);
    uLongf zlen = compressBound(len);
    unsigned char *z = malloc(zlen);
    cr_assert_eq(compress2(z, &zlen, text, len, 9), Z_OK);
    free(text);
    char *path = path_in("page.pdf");
    FILE *f = fopen(path, "wb");
    long off[6];
    fputs("%PDF-1.7\n", f);
    off[1] = ftell(f);
    fputs("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", f);
    off[2] = ftell(f);
    fputs("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n", f);
    off[3] = ftell(f);
    fputs("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
          "/Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n",
          f);
    off[4] = ftell(f);
    fprintf(f, "4 0 obj\n<< /Filter /FlateDecode /Length %lu >>\nstream\n", (unsigned long)zlen);
    fwrite(z, 1, zlen, f);
    fputs("\nendstream\nendobj\n", f);
    off[5] = ftell(f);
    fputs("5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n", f);
    long xref = ftell(f);
    fputs("xref\n0 6\n0000000000 65535 f \n", f);
    for (int i = 1; i <= 5; i++)
        fprintf(f, "%010ld 00000 n \n", off[i]);
    fprintf(f, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", xref);
    fclose(f);
    free(z);
    run_result r = run_on(path, NULL, NULL);
    cr_assert_eq(r.status, 3, "review (exit %d)", r.status);
    assert_finding(&r, "needs-review", "draws more than");
    assert_peak_under(&r, 256, "a 64 MiB page");
    free(r.json);
    free(path);
}

/* ---- containers -------------------------------------------------------- */

/* Writes a zip of the N members NAMES[i] with DATA[i] (LENS[i] bytes) to
 * PATH, or to memory when PATH is NULL (the bytes in *OUT, *OUT_LEN). */
static void write_zip(const char *path, size_t n, const char *const *names, const void *const *data,
                      const size_t *lens, void *out, size_t out_cap, size_t *out_len)
{
    struct archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    if (path)
        cr_assert_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
    else
        cr_assert_eq(archive_write_open_memory(a, out, out_cap, out_len), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, names[i]);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)lens[i]);
        archive_entry_set_mtime(e, 0, 0);
        cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK);
        if (lens[i])
            cr_assert_eq(archive_write_data(a, data[i], lens[i]), (la_ssize_t)lens[i]);
        archive_entry_free(e);
    }
    cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

/* 100,000 empty members: past the policy's archive max_members (10,000)
 * the archive fails as a possible bomb, and what is held stays bounded. */
Test(hostile, a_zip_of_100000_empty_members_fails_as_a_bomb)
{
    char *path = path_in("many.zip");
    struct archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    cr_assert_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (int i = 0; i < 100000; i++) {
        char name[32];
        snprintf(name, sizeof name, "m%06d.txt", i);
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, 0);
        cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK);
        archive_entry_free(e);
    }
    cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    run_result r = run_on(path, NULL, NULL);
    cr_assert_eq(r.status, 1, "fail (exit %d)", r.status);
    assert_finding(&r, "archive-bomb", "more than 10000 members");
    assert_peak_under(&r, 256, "100,000 members");
    free(r.json);
    free(path);
}

/* 50 zips, each the only member of the next: past the policy's archive
 * max_depth (8) the nesting fails as a possible bomb. */
Test(hostile, fifty_nested_archives_fail_as_a_bomb)
{
    size_t cap = 1u << 20;
    unsigned char *cur = malloc(cap), *next = malloc(cap);
    const char table[] = "region,count\nNorth,12\n";
    memcpy(cur, table, sizeof table - 1);
    size_t cur_len = sizeof table - 1;
    char name[32] = "t.csv";
    for (int i = 0; i < 50; i++) {
        const char *names[] = {name};
        const void *data[] = {cur};
        size_t lens[] = {cur_len};
        size_t out_len = 0;
        write_zip(NULL, 1, names, data, lens, next, cap, &out_len);
        unsigned char *t = cur;
        cur = next;
        next = t;
        cur_len = out_len;
        snprintf(name, sizeof name, "n%d.zip", i);
    }
    char *path = path_in("nest.zip");
    FILE *f = fopen(path, "wb");
    fwrite(cur, 1, cur_len, f);
    fclose(f);
    free(cur);
    free(next);
    run_result r = run_on(path, NULL, NULL);
    cr_assert_eq(r.status, 1, "fail (exit %d)", r.status);
    assert_finding(&r, "archive-bomb", "nested more than 8 deep");
    assert_peak_under(&r, 256, "50 nested archives");
    free(r.json);
    free(path);
}

/* ---- models ------------------------------------------------------------ */

/* A pickle of 64 MiB (protocol 4: PROTO 4, FRAME, GLOBAL builtins bytes,
 * BINBYTES8 of 64 MiB, TUPLE1, REDUCE, STOP; pickletools' opcode table):
 * a model file, found from its head; its bytes are hashed as they pass and
 * never held. */
Test(hostile, a_pickle_of_64_mib_fails_without_being_held)
{
    char *path = path_in("big.pkl");
    FILE *f = fopen(path, "wb");
    const unsigned long long n = 64ull << 20;
    unsigned char head[64];
    size_t h = 0;
    head[h++] = 0x80; /* PROTO */
    head[h++] = 4;
    const char global[] = "\x8c\x08"
                          "builtins\x8c\x05"
                          "bytes\x93"; /* SHORT_BINUNICODE x2, STACK_GLOBAL */
    memcpy(head + h, global, sizeof global - 1);
    h += sizeof global - 1;
    head[h++] = 0x8e; /* BINBYTES8 */
    for (int i = 0; i < 8; i++)
        head[h++] = (unsigned char)(n >> (8 * i));
    fwrite(head, 1, h, f);
    unsigned char chunk[65536];
    uint32_t x = 2463534242u;
    for (unsigned long long done = 0; done < n; done += sizeof chunk) {
        for (size_t i = 0; i < sizeof chunk; i++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5; /* xorshift32: incompressible */
            chunk[i] = (unsigned char)x;
        }
        fwrite(chunk, 1, sizeof chunk, f);
    }
    fwrite("\x85R.", 1, 3, f); /* TUPLE1 REDUCE STOP */
    fclose(f);
    run_result r = run_on(path, NULL, NULL);
    cr_assert_eq(r.status, 1, "fail (exit %d)", r.status);
    assert_finding(&r, "model-file", "pickle");
    assert_peak_under(&r, 256, "a 64 MiB pickle");
    free(r.json);
    free(path);
}

/* ---- YAML and JSON ----------------------------------------------------- */

/* Writes N opening and N closing brackets after PREFIX into PATH. */
static void write_nested(const char *path, const char *prefix, const char *suffix, size_t n)
{
    FILE *f = fopen(path, "w");
    fputs(prefix, f);
    for (size_t i = 0; i < n; i++)
        fputc('[', f);
    for (size_t i = 0; i < n; i++)
        fputc(']', f);
    fputs(suffix, f);
    fclose(f);
}

/* libyaml's cost grows as the depth squared (100,000 brackets: 47 s). A
 * declared layout nesting 100,000 deep is refused at depth 257: review. */
Test(hostile, a_layout_nested_100000_deep_is_refused)
{
    char *csv = path_in("t.csv");
    char *yaml = path_in("t.sdc.yaml");
    FILE *f = fopen(csv, "w");
    fputs("region,count\nNorth,12\nSouth,15\n", f);
    fclose(f);
    write_nested(yaml, "counts: ", "\n", 100000);
    run_result r = run_on(csv, NULL, NULL);
    cr_assert_eq(r.status, 3, "review (exit %d)", r.status);
    assert_finding(&r, "malformed", "nest more than 256 deep");
    free(r.json);
    free(csv);
    free(yaml);
}

/* Aliases are never needed in a layout, and a walk that follows them may
 * visit nodes exponentially often ("billion laughs"): refused. */
Test(hostile, a_layout_with_aliases_is_refused)
{
    char *csv = path_in("t.csv");
    char *yaml = path_in("t.sdc.yaml");
    FILE *f = fopen(csv, "w");
    fputs("region,count\nNorth,12\nSouth,15\n", f);
    fclose(f);
    f = fopen(yaml, "w");
    fputs("counts: &a [count, count, count, count]\n"
          "dimensions: [*a, *a, *a, *a]\n",
          f);
    fclose(f);
    run_result r = run_on(csv, NULL, NULL);
    cr_assert_eq(r.status, 3, "review (exit %d)", r.status);
    assert_finding(&r, "malformed", "aliases (*name) are not allowed");
    free(r.json);
    free(csv);
    free(yaml);
}

/* A policy nesting 100,000 deep or with aliases is a usage error (exit 2)
 * with the file and line, found at once. */
Test(hostile, a_policy_nested_deep_or_with_aliases_is_refused)
{
    char *csv = path_in("t.csv");
    char *deep = path_in("deep.yaml");
    char *laughs = path_in("laughs.yaml");
    FILE *f = fopen(csv, "w");
    fputs("region,count\nNorth,12\nSouth,15\n", f);
    fclose(f);
    write_nested(deep, "extends: ons-srs\nthreshold: ", "\n", 100000);
    f = fopen(laughs, "w");
    fputs("extends: ons-srs\ntotal_labels: &a [Total, All]\nid_names: *a\n", f);
    fclose(f);
    run_result r = run_on(csv, "--policy", deep);
    cr_assert_eq(r.status, 2, "a bad policy is a usage error (exit %d)", r.status);
    free(r.json);
    r = run_on(csv, "--policy", laughs);
    cr_assert_eq(r.status, 2, "a bad policy is a usage error (exit %d)", r.status);
    free(r.json);
    /* the message names the file and line */
    sdc_policy_errors errs = {0};
    cr_assert_null(sdc_policy_load(deep, &errs));
    cr_assert_geq(errs.count, 1);
    cr_assert_eq(errs.items[0].line, 2);
    cr_assert_not_null(strstr(errs.items[0].message, "nest more than 256 deep"), "%s",
                       errs.items[0].message);
    sdc_policy_errors_free(&errs);
    cr_assert_null(sdc_policy_load(laughs, &errs));
    cr_assert_geq(errs.count, 1);
    cr_assert_eq(errs.items[0].line, 3);
    cr_assert_not_null(strstr(errs.items[0].message, "aliases"), "%s", errs.items[0].message);
    sdc_policy_errors_free(&errs);
    free(csv);
    free(deep);
    free(laughs);
}

/* A notebook nesting 100,000 deep: read to depth 256, then reported. */
Test(hostile, a_notebook_nested_100000_deep_is_reported)
{
    char *nb = path_in("deep.ipynb");
    write_nested(nb, "{\"cells\": ", "}\n", 100000);
    run_result r = run_on(nb, NULL, NULL);
    cr_assert_eq(r.status, 3, "review (exit %d)", r.status);
    assert_finding(&r, "malformed", "nests more than 256 deep");
    free(r.json);
    free(nb);
}
