/* test_check.c - one file through the pipeline, a folder through files. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static sdc_policy *policy;
static sdc_checker *checker;
static char dir[64];

static void setup(void)
{
    policy = sdc_policy_default();
    checker = sdc_checker_new(policy, NULL);
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "check"));
}

static void teardown(void)
{
    sdc_checker_free(checker);
    sdc_policy_free(policy);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

TestSuite(check, .init = setup, .fini = teardown);

static void write_file(const char *name, const char *text)
{
    char *path = put_file(dir, name, text);
    cr_assert_not_null(path, "cannot write %s", name);
    free(path);
}

static int check_dir(sdc_report *report, int jobs)
{
    const char *paths[] = {dir};
    return sdc_check_paths(checker, paths, 1, jobs, report, NULL);
}

Test(check, buffer_table_gets_hash_class_and_rule_findings)
{
    const char csv[] = "region,count\nNorth,3\nSouth,40\n";
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(checker, "t.csv", csv, strlen(csv), &r), 0);
    cr_assert_eq(r.file_class, SDC_CLASS_TABLE);
    cr_assert_str_eq(r.format, "csv");
    cr_assert_eq(r.size, (long long)strlen(csv));
    /* sha256 of the bytes above, from `printf ... | sha256sum` */
    cr_assert_eq(strlen(r.sha256), 64);
    cr_assert_eq(r.rows, 2);
    cr_assert_eq(r.columns, 2);
    cr_assert_eq(r.verdict, SDC_FAIL);
    cr_assert_eq(count_rule(&r.findings, "threshold"), 1);
    sdc_file_result_free(&r);
}

Test(check, sha256_matches_the_known_digest_of_abc)
{
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(checker, "abc.txt", "abc", 3, &r), 0);
    cr_assert_str_eq(r.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sdc_file_result_free(&r);
}

Test(check, a_document_is_review_never_pass)
{
    sdc_file_result r;
    const char md[] = "# Findings\n\nThe model fits well.\n";
    cr_assert_eq(sdc_check_buffer(checker, "notes.md", md, strlen(md), &r), 0);
    cr_assert_eq(r.file_class, SDC_CLASS_DOCUMENT);
    cr_assert_eq(r.verdict, SDC_REVIEW);
    cr_assert_eq(count_rule(&r.findings, "needs-review"), 1);
    sdc_file_result_free(&r);
}

Test(check, binary_bytes_are_unknown_and_review)
{
    unsigned char junk[512];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 131 + 7);
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(checker, "blob.bin", junk, sizeof junk, &r), 0);
    cr_assert_eq(r.file_class, SDC_CLASS_UNKNOWN);
    cr_assert_eq(r.verdict, SDC_REVIEW);
    sdc_file_result_free(&r);
}

Test(check, binary_named_csv_is_malformed)
{
    unsigned char junk[512];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 131 + 7);
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(checker, "table.csv", junk, sizeof junk, &r), 0);
    cr_assert_eq(count_rule(&r.findings, "malformed"), 1);
    cr_assert_neq(r.verdict, SDC_PASS);
    sdc_file_result_free(&r);
}

Test(check, tab_separated_txt_file_is_read_as_a_table)
{
    const char txt[] = "region\tcount\nNorth\t12\nSouth\t4\n";
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(checker, "out.txt", txt, strlen(txt), &r), 0);
    cr_assert_eq(r.file_class, SDC_CLASS_TABLE);
    cr_assert_eq(r.delimiter, '\t');
    cr_assert_eq(count_rule(&r.findings, "threshold"), 1);
    sdc_file_result_free(&r);
}

Test(check, folder_results_come_in_path_order_with_the_worst_verdict)
{
    write_file("b.csv", "region,count\nNorth,12\nSouth,40\n");
    write_file("a.csv", "region,count\nNorth,2\nSouth,40\n");
    char sub[128];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    cr_assert_eq(mkdir(sub, 0755), 0);
    write_file("sub/c.md", "# notes\n");
    sdc_report rep = {0};
    cr_assert_eq(check_dir(&rep, 1), 0);
    cr_assert_eq(rep.file_count, 3);
    cr_assert(strstr(rep.files[0].path, "/a.csv"));
    cr_assert(strstr(rep.files[1].path, "/b.csv"));
    cr_assert(strstr(rep.files[2].path, "/sub/c.md"));
    cr_assert_eq(rep.files[0].verdict, SDC_FAIL);
    cr_assert_eq(rep.files[1].verdict, SDC_PASS);
    cr_assert_eq(rep.files[2].verdict, SDC_REVIEW);
    cr_assert_eq(rep.verdict, SDC_FAIL);
    sdc_report_free(&rep);
}

Test(check, jobs_do_not_change_the_results)
{
    for (int i = 0; i < 40; i++) {
        char name[32], text[96];
        snprintf(name, sizeof name, "t%02d.csv", i);
        snprintf(text, sizeof text, "region,count\nNorth,%d\nSouth,%d\n", i, 40 + i);
        write_file(name, text);
    }
    sdc_report one = {0}, four = {0};
    cr_assert_eq(check_dir(&one, 1), 0);
    cr_assert_eq(check_dir(&four, 4), 0);
    cr_assert_eq(one.file_count, four.file_count);
    for (size_t i = 0; i < one.file_count; i++) {
        cr_assert_str_eq(one.files[i].path, four.files[i].path);
        cr_assert_str_eq(one.files[i].sha256, four.files[i].sha256);
        cr_assert_eq(one.files[i].verdict, four.files[i].verdict);
        cr_assert_eq(one.files[i].findings.count, four.files[i].findings.count);
    }
    sdc_report_free(&one);
    sdc_report_free(&four);
}

Test(check, links_outside_the_folder_are_reported_not_followed)
{
    char target[256], link[256];
    snprintf(target, sizeof target, "%s-outside.csv", dir);
    FILE *f = fopen(target, "w");
    fputs("region,count\nNorth,2\n", f);
    fclose(f);
    snprintf(link, sizeof link, "%s/escape.csv", dir);
    cr_assert_eq(symlink(target, link), 0);
    sdc_report rep = {0};
    cr_assert_eq(check_dir(&rep, 1), 0);
    unlink(target);
    cr_assert_eq(rep.file_count, 1);
    cr_assert_eq(rep.files[0].verdict, SDC_REVIEW, "reviewed, and its threshold never read");
    cr_assert(strstr(rep.files[0].findings.items[0].message, "outside"));
    cr_assert_eq(count_rule(&rep.files[0].findings, "threshold"), 0);
    sdc_report_free(&rep);
}

Test(check, links_inside_the_folder_are_followed)
{
    write_file("real.csv", "region,count\nNorth,2\nSouth,40\n");
    char link[256];
    snprintf(link, sizeof link, "%s/alias.csv", dir);
    cr_assert_eq(symlink("real.csv", link), 0);
    sdc_report rep = {0};
    cr_assert_eq(check_dir(&rep, 1), 0);
    cr_assert_eq(rep.file_count, 2);
    cr_assert_eq(count_rule(&rep.files[0].findings, "threshold"), 1, "alias.csv is checked");
    sdc_report_free(&rep);
}

Test(check, a_fifo_is_reported_and_never_opened, .timeout = 10)
{
    char fifo[256];
    snprintf(fifo, sizeof fifo, "%s/pipe.csv", dir);
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    sdc_report rep = {0};
    cr_assert_eq(check_dir(&rep, 1), 0);
    cr_assert_eq(rep.file_count, 1);
    cr_assert_eq(rep.files[0].verdict, SDC_REVIEW);
    cr_assert(strstr(rep.files[0].findings.items[0].message, "not a regular file"));
    sdc_report_free(&rep);
}

Test(check, an_empty_folder_is_not_a_clearance)
{
    char sub[128];
    snprintf(sub, sizeof sub, "%s/empty", dir);
    cr_assert_eq(mkdir(sub, 0755), 0);
    sdc_report rep = {0};
    cr_assert_eq(check_dir(&rep, 2), 0, "an empty sub-folder must not crash the walk");
    cr_assert_eq(rep.file_count, 0);
    cr_assert_eq(rep.verdict, SDC_REVIEW);
    sdc_report_free(&rep);
}

Test(check, a_missing_path_is_an_error_naming_it)
{
    const char *paths[] = {"/nonexistent/sdccheck-test"};
    sdc_report rep = {0};
    sdc_status st = {0};
    cr_assert_eq(sdc_check_paths(checker, paths, 1, 1, &rep, &st), SDC_ENOENT);
    cr_assert_eq(st.code, SDC_ENOENT);
    cr_assert(strstr(st.message, "/nonexistent/sdccheck-test"), "%s", st.message);
    sdc_report_free(&rep);
}

Test(check, policy_verdict_overrides_apply_but_never_clear_malformed)
{
    policy->overrides[0] = (sdc_verdict_override){"zeros", SDC_PASS};
    policy->overrides[1] = (sdc_verdict_override){"malformed", SDC_PASS};
    policy->override_count = 2;
    sdc_file_result r;
    const char csv[] = "region,count\nNorth,0\nSouth,40\n";
    cr_assert_eq(sdc_check_buffer(checker, "z.csv", csv, strlen(csv), &r), 0);
    cr_assert_eq(r.verdict, SDC_PASS);
    sdc_file_result_free(&r);
    cr_assert_eq(sdc_check_buffer(checker, "e.csv", "", 0, &r), 0);
    cr_assert_eq(r.verdict, SDC_REVIEW);
    sdc_file_result_free(&r);
    policy->override_count = 0;
}

/* Pieces of archives split into volumes, named as 7-Zip, split, zip and
 * RAR name them, are never judged alone; names that only look alike are
 * not pieces. */
Test(check, pieces_of_split_archives_are_named_and_reviewed)
{
    static const char *const pieces[] = {
        "outputs.7z.001", "outputs.7z.002", "x.zip.003",   "x.tar.gz.010",         "x.z01",
        "x.Z12",          "x.r00",          "x.part2.rar", "in.zip!d/x.part10.rar"};
    static const char *const not_pieces[] = {"table.001.csv", "x.001",       "notes.r",
                                             "x.part.rar",    "x.rar",       "x.zip",
                                             "x.z1",          "x.partA.rar", "model.v001"};
    const char text[] = "region,count\nNorth,120\nSouth,340\n";
    for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++) {
        sdc_file_result r;
        cr_assert_eq(sdc_check_buffer(checker, pieces[i], text, strlen(text), &r), 0);
        const sdc_finding *f = find_rule(&r.findings, "needs-review");
        cr_assert(f && strstr(f->message, "split into volumes"), "%s", pieces[i]);
        cr_assert_neq(r.verdict, SDC_PASS, "%s", pieces[i]);
        sdc_file_result_free(&r);
    }
    for (size_t i = 0; i < sizeof not_pieces / sizeof *not_pieces; i++) {
        sdc_file_result r;
        cr_assert_eq(sdc_check_buffer(checker, not_pieces[i], text, strlen(text), &r), 0);
        for (size_t k = 0; k < r.findings.count; k++)
            cr_assert_null(strstr(r.findings.items[k].message, "split into volumes"), "%s",
                           not_pieces[i]);
        sdc_file_result_free(&r);
    }
}

/* Files longer than one read (SDC_READ_CHUNK, 64 KiB) are hashed whole:
 * the digest must be `sha256sum`'s, computed here and now, for a file one
 * byte past the chunk, one of two whole chunks and one of three chunks
 * and a part; both of text and of binary bytes. */
Test(check, sha256_of_files_longer_than_one_read_matches_sha256sum)
{
    const size_t sizes[] = {SDC_READ_CHUNK + 1, 2 * SDC_READ_CHUNK, 3 * SDC_READ_CHUNK + 12345};
    int checked = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int text = 0; text < 2; text++) {
            char path[128], want[65];
            snprintf(path, sizeof path, "%s/big%zu.%s", dir, i, text ? "txt" : "bin");
            cr_assert_eq(put_sized_file(path, sizes[i], text), 0);
            cr_assert_eq(sha256sum_of(path, want), 0, "sha256sum failed on %s", path);
            sdc_file_result r;
            cr_assert_eq(sdc_check_file(checker, path, path, &r), 0);
            cr_assert_eq(r.size, (long long)sizes[i]);
            cr_assert_str_eq(r.sha256, want, "%s (%zu bytes)", path, sizes[i]);
            cr_assert_neq(r.verdict, SDC_PASS, "unknown bytes and text are never a pass");
            sdc_file_result_free(&r);
            checked++;
        }
    cr_assert_eq(checked, 6);
}
