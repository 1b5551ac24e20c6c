/* test_container.c - archives opened recursively, with limits (doc/design.md, "Containers").
 * Archives are written in memory with libarchive's writer. */
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
TestSuite(container, .init = setup, .fini = teardown);

/* pickle.dumps({'coef': [1.5, 2.5]}, protocol=4) */
static const char pickle4[] =
    "\x80\x04\x95\x21\x00\x00\x00\x00\x00\x00\x00\x7d\x94\x8c\x04\x63\x6f\x65\x66\x94\x5d\x94\x28"
    "\x47\x3f\xf8\x00\x00\x00\x00\x00\x00\x47\x40\x04\x00\x00\x00\x00\x00\x00\x65\x73\x2e";
static const char safe_csv[] = "region,count\nNorth,120\nSouth,340\n";
static const char unsafe_csv[] = "region,count\nNorth,3\nSouth,340\n";

typedef struct member {
    const char *name;
    const void *bytes;
    size_t len;
} member;

/* Writes MEMBERS into an archive of FORMAT ("zip", "ustar") with FILTER
 * ("gzip" or NULL); returns malloc'd bytes and sets *LEN. */
static unsigned char *make_archive(const char *format, const char *filter, const member *m,
                                   size_t n, const char *options, size_t *len)
{
    size_t cap = 1 << 22;
    unsigned char *buf = malloc(cap);
    struct archive *a = archive_write_new();
    cr_assert_eq(archive_write_set_format_by_name(a, format), ARCHIVE_OK);
    if (filter)
        cr_assert_eq(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK);
    if (options)
        cr_assert_eq(archive_write_set_options(a, options), ARCHIVE_OK, "%s",
                     archive_error_string(a));
    cr_assert_eq(archive_write_open_memory(a, buf, cap, len), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, m[i].name);
        archive_entry_set_size(e, (la_int64_t)m[i].len);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK, "%s", archive_error_string(a));
        cr_assert_eq(archive_write_data(a, m[i].bytes, m[i].len), (la_ssize_t)m[i].len);
        archive_entry_free(e);
    }
    cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    return buf;
}

/* Writes BYTES to a temporary file and checks it with every member. */
static size_t check_all(const char *name, const void *bytes, size_t len, sdc_file_result **r)
{
    char path[64] = "/tmp/sdc-container-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, bytes, len), (ssize_t)len);
    close(fd);
    size_t n = 0;
    cr_assert_eq(sdc_check_file_all(checker, path, name, r, &n), 0);
    unlink(path);
    return n;
}

static void free_all(sdc_file_result *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sdc_file_result_free(&r[i]);
    free(r);
}

Test(container, zip_members_are_checked_like_files_with_bang_paths)
{
    member m[] = {{"tables/safe.csv", safe_csv, sizeof safe_csv - 1},
                  {"tables/unsafe.csv", unsafe_csv, sizeof unsafe_csv - 1}};
    size_t len;
    unsigned char *zip = make_archive("zip", NULL, m, 2, NULL, &len);
    sdc_file_result *r;
    size_t n = check_all("outputs.zip", zip, len, &r);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(r[0].path, "outputs.zip");
    cr_assert_eq(r[0].file_class, SDC_CLASS_CONTAINER);
    cr_assert_eq(r[0].size, (long long)len, "the whole zip was hashed");
    cr_assert_str_eq(r[1].path, "outputs.zip!tables/safe.csv");
    cr_assert_eq(r[1].verdict, SDC_PASS);
    cr_assert_str_eq(r[2].path, "outputs.zip!tables/unsafe.csv");
    cr_assert_eq(count_rule(&r[2].findings, "threshold"), 1);
    cr_assert_eq(r[0].verdict, SDC_FAIL, "a container is as bad as its worst member");
    cr_assert(strstr(find_rule(&r[0].findings, "threshold")->message, "tables/unsafe.csv"));
    free_all(r, n);
    free(zip);
}

Test(container, a_pickle_in_a_tar_gz_is_a_model)
{
    member m[] = {{"a/weights.bin", pickle4, sizeof pickle4 - 1}};
    size_t len;
    unsigned char *tgz = make_archive("ustar", "gzip", m, 1, NULL, &len);
    sdc_file_result *r;
    size_t n = check_all("backup.tar.gz", tgz, len, &r);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(r[1].path, "backup.tar.gz!a/weights.bin");
    cr_assert_eq(r[1].file_class, SDC_CLASS_MODEL);
    cr_assert_eq(count_rule(&r[0].findings, "model-file"), 1);
    free_all(r, n);
    free(tgz);
}

Test(container, a_lone_gzip_stream_holds_the_name_without_gz)
{
    member m[] = {{"x", pickle4, sizeof pickle4 - 1}};
    size_t len;
    unsigned char *gz = make_archive("raw", "gzip", m, 1, NULL, &len);
    sdc_file_result *r;
    size_t n = check_all("results.csv.gz", gz, len, &r);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(r[1].path, "results.csv.gz!results.csv");
    cr_assert_eq(count_rule(&r[1].findings, "disguised"), 1);
    cr_assert_eq(count_rule(&r[1].findings, "model-file"), 1);
    free_all(r, n);
    free(gz);
}

Test(container, a_7z_is_opened_in_memory_and_its_members_checked)
{
    member m[] = {{"t/safe.csv", safe_csv, sizeof safe_csv - 1},
                  {"m/model.pkl", pickle4, sizeof pickle4 - 1}};
    size_t len;
    unsigned char *sz = make_archive("7zip", NULL, m, 2, NULL, &len);
    sdc_file_result *r;
    size_t n = check_all("outputs.7z", sz, len, &r);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(r[0].format, "7z");
    cr_assert_eq(r[0].size, (long long)len);
    cr_assert_str_eq(r[2].path, "outputs.7z!m/model.pkl");
    cr_assert_eq(r[2].file_class, SDC_CLASS_MODEL);
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    free_all(r, n);
    free(sz);
}

Test(container, nesting_deeper_than_max_depth_is_an_archive_bomb)
{
    policy->archive_max_depth = 2;
    member m[] = {{"m.pkl", pickle4, sizeof pickle4 - 1}};
    size_t len1, len2, len3;
    unsigned char *z1 = make_archive("zip", NULL, m, 1, NULL, &len1);
    member m2[] = {{"z1.zip", z1, len1}};
    unsigned char *z2 = make_archive("zip", NULL, m2, 1, NULL, &len2);
    member m3[] = {{"z2.zip", z2, len2}};
    unsigned char *z3 = make_archive("zip", NULL, m3, 1, NULL, &len3);
    sdc_file_result *r;
    size_t n = check_all("deep.zip", z3, len3, &r);
    bool bomb = false;
    for (size_t i = 0; i < n; i++)
        bomb |= count_rule(&r[i].findings, "archive-bomb") > 0;
    cr_assert(bomb);
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    free_all(r, n);
    free(z1);
    free(z2);
    free(z3);
}

/* Zips nested LEVELS deep (a zip holding a zip ... holding safe_csv):
 * LEVELS = 1 is a zip of the table. The results of checking it. */
static size_t check_nested(int levels, sdc_file_result **r)
{
    size_t len = sizeof safe_csv - 1;
    unsigned char *bytes = NULL;
    member m = {"t.csv", safe_csv, len};
    for (int i = 0; i < levels; i++) {
        unsigned char *z = make_archive("zip", NULL, &m, 1, NULL, &len);
        free(bytes);
        bytes = z;
        m = (member){"inner.zip", bytes, len};
    }
    size_t n = check_all("outer.zip", bytes, len, r);
    free(bytes);
    return n;
}

/* sdccheck-policy(5), archive max_depth: "Containers nested deeper than
 * this" are archive-bomb. A zip in a zip is nested 2 deep. With max_depth
 * 2: 2 levels open to the table (outer, inner, table: 3 results, all
 * pass); 3 levels are one too many (fail). With the default 8: 8 levels
 * pass, 9 fail. */
Test(container, nesting_exactly_at_max_depth_is_walked_and_one_more_is_a_bomb)
{
    int limits[] = {2, 8};
    for (size_t k = 0; k < 2; k++) {
        policy->archive_max_depth = limits[k];
        sdc_checker_free(checker);
        checker = sdc_checker_new(policy, NULL);
        sdc_file_result *r;
        size_t n = check_nested(limits[k], &r);
        cr_assert_eq(n, (size_t)limits[k] + 1, "max_depth %d: every level and the table",
                     limits[k]);
        cr_assert_str_eq(r[n - 1].path + strlen(r[n - 1].path) - 5, "t.csv");
        for (size_t i = 0; i < n; i++)
            cr_assert_eq(count_rule(&r[i].findings, "archive-bomb"), 0, "max_depth %d, %s",
                         limits[k], r[i].path);
        cr_assert_eq(r[0].verdict, SDC_PASS, "max_depth %d", limits[k]);
        free_all(r, n);

        n = check_nested(limits[k] + 1, &r);
        bool bomb = false;
        for (size_t i = 0; i < n; i++)
            bomb |= count_rule(&r[i].findings, "archive-bomb") > 0;
        cr_assert(bomb, "max_depth %d: %d levels are not a bomb", limits[k], limits[k] + 1);
        cr_assert_eq(r[0].verdict, SDC_FAIL);
        free_all(r, n);
    }
}

/* sdccheck-policy(5), archive max_members: more members than this are
 * archive-bomb. max_members 3: a zip of 3 tables opens (4 results, no
 * bomb); 4 tables are one too many. */
Test(container, exactly_max_members_open_and_one_more_is_a_bomb)
{
    policy->archive_max_members = 3;
    sdc_checker_free(checker);
    checker = sdc_checker_new(policy, NULL);
    member m[4];
    char names[4][32];
    for (int i = 0; i < 4; i++) {
        snprintf(names[i], sizeof names[i], "t%d.csv", i);
        m[i] = (member){names[i], safe_csv, sizeof safe_csv - 1};
    }
    for (size_t count = 3; count <= 4; count++) {
        size_t len;
        unsigned char *zip = make_archive("zip", NULL, m, count, NULL, &len);
        sdc_file_result *r;
        size_t n = check_all("many.zip", zip, len, &r);
        size_t bombs = 0;
        for (size_t i = 0; i < n; i++)
            bombs += count_rule(&r[i].findings, "archive-bomb");
        if (count == 3) {
            cr_assert_eq(bombs, 0, "3 members with max_members 3");
            cr_assert_eq(n, 4);
            cr_assert_eq(r[0].verdict, SDC_PASS);
        } else {
            cr_assert_gt(bombs, 0, "4 members with max_members 3");
            cr_assert_eq(r[0].verdict, SDC_FAIL);
        }
        free_all(r, n);
        free(zip);
    }
}

/* archive max_bytes: more expanded bytes than this are archive-bomb. A
 * zip of two tables of 33 bytes each expands to 66: max_bytes 66 opens
 * it, 65 does not. */
Test(container, exactly_max_bytes_expanded_open_and_one_byte_less_is_a_bomb)
{
    member m[] = {{"a.csv", safe_csv, sizeof safe_csv - 1},
                  {"b.csv", safe_csv, sizeof safe_csv - 1}};
    cr_assert_eq(sizeof safe_csv - 1, 33);
    size_t len;
    unsigned char *zip = make_archive("zip", NULL, m, 2, NULL, &len);
    for (long long limit = 66; limit >= 65; limit--) {
        policy->archive_max_bytes = limit;
        sdc_checker_free(checker);
        checker = sdc_checker_new(policy, NULL);
        sdc_file_result *r;
        size_t n = check_all("two.zip", zip, len, &r);
        size_t bombs = 0;
        for (size_t i = 0; i < n; i++)
            bombs += count_rule(&r[i].findings, "archive-bomb");
        if (limit == 66)
            cr_assert_eq(bombs, 0, "66 bytes with max_bytes 66");
        else
            cr_assert_gt(bombs, 0, "66 bytes with max_bytes 65");
        free_all(r, n);
    }
    free(zip);
}

Test(container, more_members_than_allowed_is_an_archive_bomb)
{
    policy->archive_max_members = 3;
    member m[5];
    char names[5][32];
    for (int i = 0; i < 5; i++) {
        snprintf(names[i], sizeof names[i], "t%d.csv", i);
        m[i] = (member){names[i], safe_csv, sizeof safe_csv - 1};
    }
    size_t len;
    unsigned char *zip = make_archive("zip", NULL, m, 5, NULL, &len);
    sdc_file_result *r;
    size_t n = check_all("many.zip", zip, len, &r);
    cr_assert_eq(count_rule(&r[0].findings, "archive-bomb"), 1);
    cr_assert(n <= 4, "expansion stops at the limit (%zu results)", n);
    free_all(r, n);
    free(zip);
}

Test(container, expanding_past_max_bytes_stops_with_an_archive_bomb)
{
    policy->archive_max_bytes = 1 << 20;
    size_t big = 4u << 20;
    char *zeros = calloc(big, 1);
    memset(zeros, '0', big);
    member m[] = {{"zeros.txt", zeros, big}};
    size_t len;
    unsigned char *zip = make_archive("zip", NULL, m, 1, NULL, &len);
    cr_assert(len < big / 50, "the zip compresses well");
    sdc_file_result *r;
    size_t n = check_all("bomb.zip", zip, len, &r);
    cr_assert_eq(count_rule(&r[0].findings, "archive-bomb"), 1);
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    free_all(r, n);
    free(zip);
    free(zeros);
}

Test(container, member_paths_leaving_the_archive_are_reported)
{
    member m[] = {{"../../etc/x.csv", safe_csv, sizeof safe_csv - 1},
                  {"/abs/y.csv", safe_csv, sizeof safe_csv - 1}};
    size_t len;
    unsigned char *zip = make_archive("zip", NULL, m, 2, NULL, &len);
    sdc_file_result *r;
    size_t n = check_all("evil.zip", zip, len, &r);
    cr_assert_eq(count_rule(&r[0].findings, "archive-path"), 2);
    cr_assert_eq(r[0].verdict, SDC_REVIEW);
    free_all(r, n);
    free(zip);
}

Test(container, a_truncated_zip_is_reviewed_not_cleared)
{
    member m[] = {{"a.csv", safe_csv, sizeof safe_csv - 1},
                  {"b.csv", unsafe_csv, sizeof unsafe_csv - 1}};
    size_t len;
    unsigned char *zip = make_archive("zip", NULL, m, 2, NULL, &len);
    sdc_file_result *r;
    size_t n = check_all("cut.zip", zip, len / 2, &r);
    cr_assert_neq(r[0].verdict, SDC_PASS);
    cr_assert_geq(count_rule(&r[0].findings, "malformed"), 1);
    free_all(r, n);
    free(zip);
}

Test(container, an_encrypted_member_fails)
{
    member m[] = {{"secret.csv", safe_csv, sizeof safe_csv - 1}};
    size_t len;
    struct archive *probe = archive_write_new();
    archive_write_set_format_zip(probe);
    int can = archive_write_set_options(probe, "zip:encryption=zipcrypt");
    archive_write_free(probe);
    cr_assert_eq(can, ARCHIVE_OK, "this libarchive cannot write zipcrypt archives");
    size_t cap = 1 << 16;
    unsigned char *buf = malloc(cap);
    struct archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    archive_write_set_options(a, "zip:encryption=zipcrypt");
    archive_write_set_passphrase(a, "secret");
    archive_write_open_memory(a, buf, cap, &len);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, m[0].name);
    archive_entry_set_size(e, (la_int64_t)m[0].len);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_write_header(a, e);
    archive_write_data(a, m[0].bytes, m[0].len);
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    sdc_file_result *r;
    size_t n = check_all("locked.zip", buf, len, &r);
    cr_assert_eq(count_rule(&r[0].findings, "archive-encrypted"), 1);
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    free_all(r, n);
    free(buf);
}

Test(container, the_single_result_api_keeps_the_member_verdict)
{
    member m[] = {{"w.bin", pickle4, sizeof pickle4 - 1}};
    size_t len;
    unsigned char *zip = make_archive("zip", NULL, m, 1, NULL, &len);
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(checker, "x.zip", zip, len, &r), 0);
    cr_assert_eq(r.verdict, SDC_FAIL);
    cr_assert_eq(count_rule(&r.findings, "model-file"), 1);
    sdc_file_result_free(&r);
    free(zip);
}

/* Appends TAIL (TAIL_LEN bytes) to the LEN bytes at BUF (room to spare). */
static void append(unsigned char *buf, size_t *len, const void *tail, size_t tail_len)
{
    memcpy(buf + *len, tail, tail_len);
    *len += tail_len;
}

Test(container, a_gzipped_csv_is_read_as_the_csv_not_as_a_list_of_names)
{
    /* libarchive reads text as an "mtree" list of file names when it may:
     * each line would become a member and the table would never be
     * checked. The CSV holds a count below the threshold: it must fail. */
    member m[] = {{"x", unsafe_csv, sizeof unsafe_csv - 1}};
    size_t len;
    unsigned char *gz = make_archive("raw", "gzip", m, 1, NULL, &len);
    sdc_file_result *r;
    size_t n = check_all("counts.csv.gz", gz, len, &r);
    cr_assert_eq(n, 2, "the stream and one member, not a member per line");
    cr_assert_str_eq(r[1].path, "counts.csv.gz!counts.csv");
    cr_assert_eq(r[1].file_class, SDC_CLASS_TABLE);
    cr_assert_eq(count_rule(&r[1].findings, "threshold"), 1);
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    free_all(r, n);
    free(gz);
}

Test(container, a_pickle_after_the_end_of_a_gzip_stream_is_appended_data)
{
    member m[] = {{"x", safe_csv, sizeof safe_csv - 1}};
    size_t len;
    unsigned char *gz = make_archive("raw", "gzip", m, 1, NULL, &len);
    size_t stream = len;
    append(gz, &len, pickle4, sizeof pickle4 - 1);
    sdc_file_result *r;
    size_t n = check_all("table.csv.gz", gz, len, &r);
    cr_assert_eq(n, 2);
    const sdc_finding *f = find_rule(&r[0].findings, "appended-data");
    cr_assert_not_null(f, "the bytes after the stream are found");
    cr_assert_eq(f->verdict, SDC_FAIL);
    char want[64];
    snprintf(want, sizeof want, "%zu bytes after the end of the gzip stream: model (pickle)",
             len - stream);
    cr_assert_not_null(strstr(f->message, want), "%s", f->message);
    cr_assert_eq(r[1].verdict, SDC_PASS, "the CSV inside is still a safe table");
    free_all(r, n);
    free(gz);
}

Test(container, two_gzip_members_one_after_the_other_are_one_stream)
{
    /* RFC 1952, 2.2: a gzip file is a series of members. */
    /* The CSV split in two, one member each: together, one table. */
    static const char head[] = "region,count\nNorth,120\n", rest[] = "South,340\n";
    member m[] = {{"x", head, sizeof head - 1}}, m2[] = {{"x", rest, sizeof rest - 1}};
    size_t len, len2;
    unsigned char *gz = make_archive("raw", "gzip", m, 1, NULL, &len);
    unsigned char *gz2 = make_archive("raw", "gzip", m2, 1, NULL, &len2);
    append(gz, &len, gz2, len2);
    sdc_file_result *r;
    size_t n = check_all("twice.csv.gz", gz, len, &r);
    cr_assert_eq(count_rule(&r[0].findings, "appended-data"), 0);
    cr_assert_eq(r[0].verdict, SDC_PASS);
    free_all(r, n);
    free(gz);
    free(gz2);
}

Test(container, zeros_after_a_tar_are_padding_and_anything_else_is_appended_data)
{
    member m[] = {{"t/a.csv", safe_csv, sizeof safe_csv - 1}};
    size_t len;
    unsigned char *tar = make_archive("ustar", NULL, m, 1, NULL, &len);
    /* GNU tar pads to 10240-byte records: zeros after the two
     * end-of-archive blocks (POSIX.1-2001, ustar format). */
    static const unsigned char zeros[7680];
    append(tar, &len, zeros, sizeof zeros);
    sdc_file_result *r;
    size_t n = check_all("out.tar", tar, len, &r);
    cr_assert_eq(count_rule(&r[0].findings, "appended-data"), 0, "padding is explained");
    cr_assert_eq(r[0].verdict, SDC_PASS);
    free_all(r, n);
    append(tar, &len, pickle4, sizeof pickle4 - 1);
    n = check_all("out.tar", tar, len, &r);
    const sdc_finding *f = find_rule(&r[0].findings, "appended-data");
    cr_assert_not_null(f, "a pickle behind the padding is found");
    cr_assert_not_null(strstr(f->message, "after the end of the tar stream: model (pickle)"), "%s",
                       f->message);
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    free_all(r, n);
    free(tar);
}

/* A one-member gzip of TEXT (RFC 1952) whose header carries EXTRA (EXTRA_LEN
 * bytes, FEXTRA) and/or COMMENT (FCOMMENT), each NULL when absent. */
static unsigned char *gzip_with(const char *text, const void *extra, size_t extra_len,
                                const char *comment, size_t *len)
{
    size_t tlen = strlen(text), cap = 1024 + extra_len + tlen * 2;
    unsigned char *g = calloc(1, cap), flags = (extra ? 4 : 0) | (comment ? 16 : 0);
    size_t at = 0;
    memcpy(g, "\x1f\x8b\x08", 3);
    g[3] = flags;
    g[9] = 0xff; /* OS unknown; MTIME and XFL zero */
    at = 10;
    if (extra) {
        g[at++] = (unsigned char)(extra_len & 0xff);
        g[at++] = (unsigned char)(extra_len >> 8);
        memcpy(g + at, extra, extra_len);
        at += extra_len;
    }
    if (comment) {
        memcpy(g + at, comment, strlen(comment) + 1);
        at += strlen(comment) + 1;
    }
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)text;
    z.avail_in = (uInt)tlen;
    z.next_out = g + at;
    z.avail_out = (uInt)(cap - at - 8);
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    at += z.total_out;
    deflateEnd(&z);
    unsigned long crc = crc32(0, (const Bytef *)text, (uInt)tlen);
    for (int k = 0; k < 4; k++)
        g[at++] = (unsigned char)(crc >> (8 * k));
    for (int k = 0; k < 4; k++)
        g[at++] = (unsigned char)(tlen >> (8 * k));
    *len = at;
    return g;
}

Test(container, a_model_in_a_gzip_extra_field_is_walked_and_fails)
{
    size_t len;
    unsigned char *g = gzip_with(safe_csv, pickle4, sizeof pickle4 - 1, NULL, &len);
    sdc_file_result *r;
    size_t n = check_all("table.csv.gz", g, len, &r);
    cr_assert_eq(n, 3, "the extra field, then the stream's member");
    cr_assert_str_eq(r[1].path, "table.csv.gz!(gzip extra field)");
    cr_assert_eq(count_rule(&r[1].findings, "model-file"), 1);
    cr_assert_eq(r[0].verdict, SDC_FAIL, "the container repeats its worst member");
    cr_assert_eq(r[2].verdict, SDC_PASS, "the CSV itself is safe");
    free_all(r, n);
    free(g);
}

Test(container, a_gzip_comment_is_read_by_a_person_and_a_plain_gzip_passes)
{
    size_t len;
    unsigned char *g = gzip_with(safe_csv, NULL, 0, "made with care", &len);
    sdc_file_result *r;
    size_t n = check_all("table.csv.gz", g, len, &r);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(r[1].path, "table.csv.gz!(gzip comment)");
    cr_assert_eq(r[1].verdict, SDC_REVIEW, "a comment is text nobody has judged");
    free_all(r, n);
    free(g);
    g = gzip_with(safe_csv, NULL, 0, NULL, &len);
    n = check_all("table.csv.gz", g, len, &r);
    cr_assert_eq(n, 2);
    cr_assert_eq(r[0].verdict, SDC_PASS);
    free_all(r, n);
    free(g);
}

/* ---- zips built by hand (PKWARE APPNOTE 6.3.10, 4.3.7, 4.3.12, 4.3.16) */

typedef struct zbuf {
    unsigned char b[8192];
    size_t n;
} zbuf;

static void put16(zbuf *z, unsigned v)
{
    z->b[z->n++] = (unsigned char)(v & 0xff);
    z->b[z->n++] = (unsigned char)(v >> 8);
}

static void put32(zbuf *z, unsigned long v)
{
    put16(z, (unsigned)(v & 0xffff));
    put16(z, (unsigned)(v >> 16));
}

static void putb(zbuf *z, const void *p, size_t n)
{
    memcpy(z->b + z->n, p, n);
    z->n += n;
}

/* A stored local entry NAME holding DATA (LEN bytes). */
/* A local header (APPNOTE 4.3.7) with an extra field of XLEN bytes, and
 * the stored data. */
static void local_entry_x(zbuf *z, const char *name, const void *data, size_t len,
                          const void *extra, size_t xlen)
{
    putb(z, "PK\x03\x04", 4);
    put16(z, 20);
    put16(z, 0); /* flags */
    put16(z, 0); /* stored */
    put32(z, 0); /* time, date */
    put32(z, crc32(0, data, (uInt)len));
    put32(z, (unsigned long)len);
    put32(z, (unsigned long)len);
    put16(z, (unsigned)strlen(name));
    put16(z, (unsigned)xlen);
    putb(z, name, strlen(name));
    if (xlen)
        putb(z, extra, xlen);
    putb(z, data, len);
}

static void local_entry(zbuf *z, const char *name, const void *data, size_t len)
{
    local_entry_x(z, name, data, len, NULL, 0);
}

/* Its central directory header, with EXTRA (XLEN bytes) and COMMENT. */
static void central_entry(zbuf *z, const char *name, const void *data, size_t len,
                          unsigned long offset, const void *extra, size_t xlen, const char *comment)
{
    size_t clen = comment ? strlen(comment) : 0;
    putb(z, "PK\x01\x02", 4);
    put16(z, 20);
    put16(z, 20);
    put16(z, 0);
    put16(z, 0);
    put32(z, 0);
    put32(z, crc32(0, data, (uInt)len));
    put32(z, (unsigned long)len);
    put32(z, (unsigned long)len);
    put16(z, (unsigned)strlen(name));
    put16(z, (unsigned)xlen);
    put16(z, (unsigned)clen);
    put16(z, 0);
    put16(z, 0);
    put32(z, 0);
    put32(z, offset);
    putb(z, name, strlen(name));
    if (xlen)
        putb(z, extra, xlen);
    if (clen)
        putb(z, comment, clen);
}

static void end_record(zbuf *z, unsigned entries, size_t cd_at, const void *comment, size_t clen)
{
    size_t cd_size = z->n - cd_at;
    putb(z, "PK\x05\x06", 4);
    put16(z, 0);
    put16(z, 0);
    put16(z, entries);
    put16(z, entries);
    put32(z, (unsigned long)cd_size);
    put32(z, (unsigned long)cd_at);
    put16(z, (unsigned)clen);
    if (clen)
        putb(z, comment, clen);
}

/* A one-entry zip of safe_csv with the directory's EXTRA and the
 * archive's COMMENT. */
static void one_entry_zip(zbuf *z, const void *extra, size_t xlen, const void *comment, size_t clen)
{
    local_entry(z, "a.csv", safe_csv, sizeof safe_csv - 1);
    size_t cd = z->n;
    central_entry(z, "a.csv", safe_csv, sizeof safe_csv - 1, 0, extra, xlen, NULL);
    end_record(z, 1, cd, comment, clen);
}

Test(container, a_zip_built_by_the_book_has_nothing_unexplained)
{
    /* An extended-timestamp field (0x5455, Info-ZIP) is explained. */
    static const unsigned char ts[] = {0x55, 0x54, 5, 0, 1, 0x10, 0x20, 0x30, 0x40};
    zbuf z = {0};
    one_entry_zip(&z, ts, sizeof ts, NULL, 0);
    sdc_file_result *r;
    size_t n = check_all("out.zip", z.b, z.n, &r);
    cr_assert_eq(n, 2);
    cr_assert_eq(r[0].findings.count, 0, "first: %s",
                 r[0].findings.count ? r[0].findings.items[0].message : "");
    cr_assert_eq(r[0].verdict, SDC_PASS);
    free_all(r, n);
}

Test(container, an_entry_only_the_central_directory_lists_is_hidden_and_fails)
{
    /* The hidden entry's local header sits inside the first entry's
     * stored data: a streaming reader walks past it, unzip extracts it. */
    zbuf inner = {0};
    local_entry(&inner, "model.pkl", pickle4, sizeof pickle4 - 1);
    zbuf z = {0};
    local_entry(&z, "a.bin", inner.b, inner.n);
    unsigned long hidden_at = 30 + 5; /* inside a.bin's data */
    size_t cd = z.n;
    central_entry(&z, "a.bin", inner.b, inner.n, 0, NULL, 0, NULL);
    central_entry(&z, "model.pkl", pickle4, sizeof pickle4 - 1, hidden_at, NULL, 0, NULL);
    end_record(&z, 2, cd, NULL, 0);
    sdc_file_result *r;
    size_t n = check_all("out.zip", z.b, z.n, &r);
    const sdc_finding *f = find_rule(&r[0].findings, "appended-data");
    cr_assert_not_null(f, "the hidden entry is found");
    cr_assert_not_null(strstr(f->message, "lists 'model.pkl' at byte 35"), "%s", f->message);
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    free_all(r, n);
}

Test(container, a_model_in_a_zip_comment_or_an_unknown_extra_field_is_walked_and_fails)
{
    zbuf z = {0};
    one_entry_zip(&z, NULL, 0, pickle4, sizeof pickle4 - 1);
    sdc_file_result *r;
    size_t n = check_all("out.zip", z.b, z.n, &r);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(r[2].path, "out.zip!(zip comment)");
    cr_assert_eq(count_rule(&r[2].findings, "model-file"), 1);
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    free_all(r, n);

    /* 0x6666 is no header ID the zip specification or Info-ZIP defines. */
    unsigned char extra[4 + sizeof pickle4 - 1] = {0x66, 0x66, sizeof pickle4 - 1, 0};
    memcpy(extra + 4, pickle4, sizeof pickle4 - 1);
    zbuf y = {0};
    one_entry_zip(&y, extra, sizeof extra, NULL, 0);
    n = check_all("out.zip", y.b, y.n, &r);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(r[2].path, "out.zip!(zip extra field 0x6666 of 'a.csv')");
    cr_assert_eq(count_rule(&r[2].findings, "model-file"), 1);
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    free_all(r, n);
}

Test(container, a_model_in_a_local_header_extra_field_is_walked_and_fails)
{
    /* Only the local header carries it: readers skip an ID they do not
     * know (APPNOTE 4.4.28), so it rides along unseen unless walked. */
    unsigned char extra[4 + sizeof pickle4 - 1] = {0x66, 0x66, sizeof pickle4 - 1, 0};
    memcpy(extra + 4, pickle4, sizeof pickle4 - 1);
    zbuf z = {0};
    local_entry_x(&z, "a.csv", safe_csv, sizeof safe_csv - 1, extra, sizeof extra);
    size_t cd = z.n;
    central_entry(&z, "a.csv", safe_csv, sizeof safe_csv - 1, 0, NULL, 0, NULL);
    end_record(&z, 1, cd, NULL, 0);
    sdc_file_result *r;
    size_t n = check_all("out.zip", z.b, z.n, &r);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(r[1].path, "out.zip!a.csv");
    cr_assert_eq(r[1].verdict, SDC_PASS, "the member itself is read as usual");
    cr_assert_str_eq(r[2].path, "out.zip!(zip local extra field 0x6666 of 'a.csv')");
    cr_assert_eq(count_rule(&r[2].findings, "model-file"), 1);
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    free_all(r, n);

    /* A subfield that runs past the field: libarchive stops at it in a
     * local header (malformed), and in the central directory, which it
     * does not read, the ragged end is walked whole. */
    unsigned char ragged[12] = {0x55, 0x54, 40, 0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
    zbuf y = {0};
    local_entry_x(&y, "a.csv", safe_csv, sizeof safe_csv - 1, ragged, sizeof ragged);
    cd = y.n;
    central_entry(&y, "a.csv", safe_csv, sizeof safe_csv - 1, 0, NULL, 0, NULL);
    end_record(&y, 1, cd, NULL, 0);
    n = check_all("out.zip", y.b, y.n, &r);
    cr_assert_eq(count_rule(&r[0].findings, "malformed"), 1);
    cr_assert_eq(r[0].verdict, SDC_REVIEW);
    free_all(r, n);
    zbuf c = {0};
    one_entry_zip(&c, ragged, sizeof ragged, NULL, 0);
    n = check_all("out.zip", c.b, c.n, &r);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(r[2].path, "out.zip!(zip extra field of 'a.csv', ragged end)");
    cr_assert_neq(r[0].verdict, SDC_PASS);
    free_all(r, n);
}

Test(container, one_volume_of_a_split_zip_is_never_a_pass)
{
    /* The end record says this is disk 1 (APPNOTE 4.4.19-4.4.22). */
    zbuf z = {0};
    one_entry_zip(&z, NULL, 0, NULL, 0);
    z.b[z.n - 22 + 4] = 1;
    z.b[z.n - 22 + 6] = 1;
    sdc_file_result *r;
    size_t n = check_all("out.zip", z.b, z.n, &r);
    const sdc_finding *f = find_rule(&r[0].findings, "malformed");
    cr_assert_not_null(f);
    cr_assert(strstr(f->message, "one volume of a split archive"), "%s", f->message);
    cr_assert_eq(r[0].verdict, SDC_REVIEW);
    free_all(r, n);
    /* A split archive's first volume starts with its marker (8.5.3). */
    zbuf v = {0};
    putb(&v, "PK\x07\x08", 4);
    one_entry_zip(&v, NULL, 0, NULL, 0);
    n = check_all("out.zip", v.b, v.n, &r);
    cr_assert_str_eq(r[0].format, "zip-volume");
    cr_assert_eq(r[0].verdict, SDC_REVIEW);
    free_all(r, n);
}

Test(container, a_known_extra_field_longer_than_its_layout_is_walked)
{
    /* An extended timestamp (0x5455) holds a flag and at most three times:
     * 13 bytes. One of 40 explains only its first bytes. */
    unsigned char ts[4 + 40] = {0x55, 0x54, 40, 0, 1};
    memset(ts + 9, 'A', 35);
    zbuf z = {0};
    one_entry_zip(&z, ts, sizeof ts, NULL, 0);
    sdc_file_result *r;
    size_t n = check_all("out.zip", z.b, z.n, &r);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(r[2].path, "out.zip!(zip extra field 0x5455 of 'a.csv')");
    cr_assert_neq(r[0].verdict, SDC_PASS);
    free_all(r, n);
}

Test(container, a_model_in_a_tar_pax_header_is_walked_and_fails)
{
    /* libarchive's pax writer stores an extended attribute as
     * SCHILY.xattr.NAME (raw) and LIBARCHIVE.xattr.NAME (base64); its
     * reader gives them back only as xattrs, and other keys not at all. */
    size_t cap = 1 << 20, len = 0;
    unsigned char *buf = malloc(cap);
    struct archive *a = archive_write_new();
    cr_assert_eq(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
    cr_assert_eq(archive_write_open_memory(a, buf, cap, &len), ARCHIVE_OK);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, "a.csv");
    archive_entry_set_size(e, sizeof safe_csv - 1);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_xattr_add_entry(e, "user.note", pickle4, sizeof pickle4 - 1);
    cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK, "%s", archive_error_string(a));
    cr_assert_eq(archive_write_data(a, safe_csv, sizeof safe_csv - 1),
                 (la_ssize_t)sizeof safe_csv - 1);
    archive_entry_free(e);
    cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    sdc_file_result *r;
    size_t n = check_all("out.tar", buf, len, &r);
    bool raw = false;
    for (size_t i = 1; i < n; i++)
        if (strcmp(r[i].path, "out.tar!(pax SCHILY.xattr.user.note of 'a.csv')") == 0)
            raw = count_rule(&r[i].findings, "model-file") == 1;
    cr_assert(raw, "the raw xattr value is walked as the pickle it is");
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    free_all(r, n);
    free(buf);
    /* Times, sizes and names are explained: a plain pax tar passes. */
    member m[] = {{"a.csv", safe_csv, sizeof safe_csv - 1}};
    unsigned char *tar = make_archive("pax", NULL, m, 1, NULL, &len);
    n = check_all("out.tar", tar, len, &r);
    cr_assert_eq(n, 2);
    cr_assert_eq(r[0].verdict, SDC_PASS);
    free_all(r, n);
    free(tar);
}

Test(container, an_entry_the_central_directory_does_not_list_is_reviewed)
{
    zbuf z = {0};
    local_entry(&z, "a.csv", safe_csv, sizeof safe_csv - 1);
    size_t second = z.n;
    local_entry(&z, "b.csv", safe_csv, sizeof safe_csv - 1);
    size_t cd = z.n;
    central_entry(&z, "a.csv", safe_csv, sizeof safe_csv - 1, 0, NULL, 0, NULL);
    end_record(&z, 1, cd, NULL, 0);
    sdc_file_result *r;
    size_t n = check_all("out.zip", z.b, z.n, &r);
    const sdc_finding *f = find_rule(&r[0].findings, "malformed");
    cr_assert_not_null(f);
    char want[64];
    snprintf(want, sizeof want, "entry 'b.csv' at byte %zu is not in the central directory",
             second);
    cr_assert_str_eq(f->message, want);
    cr_assert_eq(r[0].verdict, SDC_REVIEW);
    free_all(r, n);
}

/* Every archive format and compression libarchive reads is recognised by
 * its signature and opened: a count of 3 inside must fail. Written here by
 * libarchive's own writers. */
static void assert_opened(const char *format, const char *filter, const char *options,
                          const char *name)
{
    member m[] = {{"t/counts.csv", unsafe_csv, sizeof unsafe_csv - 1}};
    size_t len;
    unsigned char *a = make_archive(format, filter, m, 1, options, &len);
    sdc_file_result *r;
    size_t n = check_all(name, a, len, &r);
    cr_assert_geq(n, 2, "%s/%s: the member is walked (%zu results)", format, filter ? filter : "-",
                  n);
    cr_assert_eq(r[0].file_class, SDC_CLASS_CONTAINER, "%s/%s is a container, not %s", format,
                 filter ? filter : "-", r[0].format);
    bool table = false;
    for (size_t i = 1; i < n; i++)
        table |= r[i].file_class == SDC_CLASS_TABLE && count_rule(&r[i].findings, "threshold");
    cr_assert(table, "%s/%s: the table inside is checked", format, filter ? filter : "-");
    cr_assert_eq(r[0].verdict, SDC_FAIL, "%s/%s", format, filter ? filter : "-");
    free_all(r, n);
    free(a);
}

Test(container, cpio_ar_iso_warc_and_xar_archives_are_opened)
{
    assert_opened("odc", NULL, NULL, "out.cpio");
    assert_opened("newc", NULL, NULL, "out.cpio");
    assert_opened("bin", NULL, NULL, "out.cpio");
    assert_opened("arbsd", NULL, NULL, "out.ar");
    assert_opened("iso9660", NULL, NULL, "out.iso");
    assert_opened("xar", NULL, NULL, "out.xar");
    /* libarchive 3.6 hands a WARC record's data over with four NUL bytes
     * after it, so the member reads as binary: review, never a pass. */
    member m[] = {{"t/counts.csv", unsafe_csv, sizeof unsafe_csv - 1}};
    size_t len;
    unsigned char *a = make_archive("warc", NULL, m, 1, NULL, &len);
    sdc_file_result *r;
    size_t n = check_all("out.warc", a, len, &r);
    cr_assert_eq(n, 2, "the WARC record is walked");
    cr_assert_str_eq(r[0].format, "warc");
    cr_assert_neq(r[1].verdict, SDC_PASS);
    free_all(r, n);
    free(a);
}

Test(container, lzip_compress_and_zstd_streams_are_opened)
{
    assert_opened("ustar", "lzip", NULL, "out.tar.lz");
    assert_opened("ustar", "compress", NULL, "out.tar.Z");
    assert_opened("ustar", "zstd", NULL, "out.tar.zst");
    assert_opened("ustar", "lz4", "lz4:block-size=4", "out.tar.lz4");
}

/* Checks PATH with JOBS threads into REP. */
static void check_with_jobs(const char *path, int jobs, sdc_report *rep)
{
    memset(rep, 0, sizeof *rep);
    const char *paths[] = {path};
    cr_assert_eq(sdc_check_paths(checker, paths, 1, jobs, rep, NULL), 0);
}

/* A zip's members walked on four threads (member_pool.c) are reported as
 * one thread reports them: the same results in the same order, with the
 * same findings; a member too large for the pool (the 4.5 MiB notes) and
 * a nested zip are walked in their place among them. The findings are the
 * ones the members were made to carry. */
Test(container, members_walked_on_threads_are_reported_as_on_one_thread)
{
    enum { N = 40, BIG = 17, NESTED = 23 };
    size_t inner_len = 0;
    member pk = {"model.pkl", pickle4, sizeof pickle4 - 1};
    unsigned char *inner = make_archive("zip", NULL, &pk, 1, NULL, &inner_len);
    size_t big_len = 4608u * 1024u;
    char *big = malloc(big_len);
    for (size_t i = 0; i < big_len; i++)
        big[i] = (i % 64 == 63) ? '\n' : "The notes of the analysis, for the reviewer. "[i % 46];
    member m[N];
    char names[N][32];
    size_t unsafe = 0, pickles = 0;
    for (int i = 0; i < N; i++) {
        if (i == BIG) {
            m[i] = (member){"notes.txt", big, big_len};
        } else if (i == NESTED) {
            m[i] = (member){"inner.zip", inner, inner_len};
        } else if (i % 5 == 0) {
            snprintf(names[i], sizeof names[i], "t%02d.csv", i);
            m[i] = (member){names[i], unsafe_csv, strlen(unsafe_csv)};
            unsafe++;
        } else if (i % 7 == 0) {
            snprintf(names[i], sizeof names[i], "m%02d.pkl", i);
            m[i] = (member){names[i], pickle4, sizeof pickle4 - 1};
            pickles++;
        } else {
            snprintf(names[i], sizeof names[i], "t%02d.csv", i);
            m[i] = (member){names[i], safe_csv, strlen(safe_csv)};
        }
    }
    size_t len = 0;
    unsigned char *zip = make_archive("zip", NULL, m, N, NULL, &len);
    char path[64] = "/tmp/sdc-pool-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, zip, len), (ssize_t)len);
    close(fd);
    sdc_report one, four;
    check_with_jobs(path, 1, &one);
    check_with_jobs(path, 4, &four);
    unlink(path);
    /* The zip, its 40 members and the nested zip's pickle. */
    cr_assert_eq(one.file_count, 1 + N + 1);
    cr_assert_eq(four.file_count, one.file_count);
    for (size_t i = 0; i < one.file_count; i++) {
        const sdc_file_result *a = &one.files[i], *b = &four.files[i];
        cr_assert_str_eq(a->path, b->path);
        cr_assert_str_eq(a->sha256, b->sha256);
        cr_assert_eq(a->verdict, b->verdict, "%s", a->path);
        cr_assert_eq(a->findings.count, b->findings.count, "%s", a->path);
        for (size_t k = 0; k < a->findings.count; k++) {
            cr_assert_str_eq(a->findings.items[k].rule, b->findings.items[k].rule);
            cr_assert_str_eq(a->findings.items[k].message, b->findings.items[k].message);
        }
    }
    const sdc_file_result *z = &four.files[0];
    cr_assert_eq(count_rule(&z->findings, "threshold"), unsafe);
    cr_assert_eq(count_rule(&z->findings, "model-file"), pickles + 1);
    cr_assert(strstr(four.files[1 + NESTED + 1].path, "inner.zip!model.pkl"), "%s",
              four.files[1 + NESTED + 1].path);
    cr_assert_eq(four.files[1 + BIG].verdict, SDC_REVIEW);
    sdc_report_free(&one);
    sdc_report_free(&four);
    free(zip);
    free(inner);
    free(big);
}
