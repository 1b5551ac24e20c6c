/*
 * csvparse.c - the parse limit: libcsv with callbacks that only count.
 *
 *   csvparse [-b BYTES] [-d DELIM] FILE...
 *
 * Reads each FILE with read() in chunks of BYTES (default 64 KiB, the size
 * sdccheck reads with) and hands them to csv_parse() with the options
 * sdccheck's reader uses (CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI), but
 * the field and row callbacks only count. No sniffing, decoding, number
 * parsing or table building: however fast sdccheck gets, it cannot beat this
 * loop, so run.sh reports sdccheck's time as a multiple of it.
 *
 * Prints "files rows fields bytes" on stdout. Exit 1 if a file cannot be
 * read or parsed.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct counts {
    unsigned long long fields;
    unsigned long long rows;
    unsigned long long bytes;
} counts;

static void on_field(void *data, size_t len, void *ctx)
{
    (void)data;
    (void)len;
    ((counts *)ctx)->fields++;
}

static void on_row(int terminator, void *ctx)
{
    (void)terminator;
    ((counts *)ctx)->rows++;
}

static int parse_file(const char *path, unsigned char delim, char *buf, size_t buf_size, counts *c)
{
    struct csv_parser p;
    int fd = open(path, O_RDONLY);
    int rc = 0;

    if (fd < 0) {
        fprintf(stderr, "csvparse: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (csv_init(&p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0) {
        fprintf(stderr, "csvparse: out of memory\n");
        close(fd);
        return -1;
    }
    csv_set_delim(&p, delim);
    for (;;) {
        ssize_t n = read(fd, buf, buf_size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "csvparse: %s: %s\n", path, strerror(errno));
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        c->bytes += (unsigned long long)n;
        if (csv_parse(&p, buf, (size_t)n, on_field, on_row, c) != (size_t)n) {
            fprintf(stderr, "csvparse: %s: %s\n", path, csv_strerror(csv_error(&p)));
            rc = -1;
            break;
        }
    }
    if (rc == 0 && csv_fini(&p, on_field, on_row, c) != 0) {
        fprintf(stderr, "csvparse: %s: %s\n", path, csv_strerror(csv_error(&p)));
        rc = -1;
    }
    csv_free(&p);
    close(fd);
    return rc;
}

int main(int argc, char **argv)
{
    size_t buf_size = 64u * 1024u;
    unsigned char delim = ',';
    counts c = {0, 0, 0};
    int opt, failed = 0, files = 0;
    char *buf;

    while ((opt = getopt(argc, argv, "b:d:")) != -1) {
        switch (opt) {
        case 'b': {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (*end != '\0' || v == 0 || v > (1ul << 30)) {
                fprintf(stderr, "csvparse: -b wants 1..%lu bytes\n", 1ul << 30);
                return 2;
            }
            buf_size = v;
            break;
        }
        case 'd':
            delim = (unsigned char)(optarg[0] == 't' && optarg[1] == '\0' ? '\t' : optarg[0]);
            break;
        default: fprintf(stderr, "usage: csvparse [-b BYTES] [-d DELIM] FILE...\n"); return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: csvparse [-b BYTES] [-d DELIM] FILE...\n");
        return 2;
    }
    buf = malloc(buf_size);
    if (buf == NULL) {
        fprintf(stderr, "csvparse: out of memory\n");
        return 2;
    }
    for (int i = optind; i < argc; i++) {
        if (parse_file(argv[i], delim, buf, buf_size, &c) != 0)
            failed = 1;
        files++;
    }
    free(buf);
    printf("%d %llu %llu %llu\n", files, c.rows, c.fields, c.bytes);
    return failed;
}
