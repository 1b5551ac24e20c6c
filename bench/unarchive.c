/*
 * unarchive.c - the baseline bench/zip.sh sets sdccheck against: every
 * member of an archive read with libarchive, as sdccheck reads them, and
 * thrown away. What it costs is the decompression (on one thread) that no
 * check of the members can avoid.
 *
 *   unarchive FILE     prints the members and the bytes they expand to
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: unarchive FILE\n");
        return 2;
    }
    struct archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    if (archive_read_open_filename(a, argv[1], 64 * 1024) != ARCHIVE_OK) {
        fprintf(stderr, "unarchive: %s\n", archive_error_string(a));
        return 1;
    }
    static char buf[64 * 1024];
    struct archive_entry *e;
    long members = 0;
    long long bytes = 0;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
        members++;
        la_ssize_t n;
        while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
            bytes += n;
        if (n < 0) {
            fprintf(stderr, "unarchive: %s\n", archive_error_string(a));
            return 1;
        }
    }
    archive_read_free(a);
    printf("%ld members, %lld bytes\n", members, bytes);
    return 0;
}
