/*
 * aggregate.c - sdc_aggregate_file alone: the records of a CSV file into
 * the table of cells with every margin, as `sdccheck protect` builds it
 * before it suppresses anything.
 *
 *   aggregate [-v VALUE] [-u UNIT] [-o OUT.csv] FILE DIM[,DIM...]
 *
 * Built by bench/aggregate.sh against a libsdccheck.a (this checkout's, and
 * a baseline's to compare with). Prints one line on stdout:
 *
 *   records R rows N seconds S cpu C records/s X
 *
 * R is the file's body rows, N the table's rows (cells with margins), S
 * the wall clock of the call (monotonic clock), C the CPU seconds (user
 * and system, all threads) it took and X = R / S. On a machine busy with
 * other work S grows with the load while C grows much less. With -o the
 * table is written as CSV too (after the clock stops), so that two builds'
 * tables can be compared byte for byte. Exit 1 when the call fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sdccheck/policy.h"
#include "sdccheck/protect.h"
#include "sdccheck/table.h"

static double cpu(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *value = NULL, *unit = NULL, *out = NULL;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-v") == 0)
            value = argv[i + 1];
        else if (strcmp(argv[i], "-u") == 0)
            unit = argv[i + 1];
        else if (strcmp(argv[i], "-o") == 0)
            out = argv[i + 1];
        else
            break;
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: aggregate [-v VALUE] [-u UNIT] [-o OUT.csv] FILE DIM[,DIM...]\n");
        return 2;
    }
    const char *by[8];
    size_t nby = 0;
    char *dims = argv[i + 1];
    for (char *tok = strtok(dims, ","); tok && nby < 8; tok = strtok(NULL, ","))
        by[nby++] = tok;
    sdc_policy *policy = sdc_policy_default();
    if (!policy) {
        fprintf(stderr, "aggregate: out of memory\n");
        return 1;
    }
    sdc_aggregate_spec spec = {.by = by, .nby = nby, .value = value, .unit = unit};
    sdc_status st = {0};
    double t0 = now(), c0 = cpu();
    sdc_table *t = sdc_aggregate_file(argv[i], policy, &spec, &st);
    double sec = now() - t0, csec = cpu() - c0;
    if (!t) {
        fprintf(stderr, "aggregate: %s: %s\n", argv[i], st.message);
        sdc_policy_free(policy);
        return 1;
    }
    unsigned long long records = 0;
    FILE *f = fopen(argv[i], "r");
    if (f) {
        char buf[1 << 16];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            for (size_t k = 0; k < n; k++)
                records += buf[k] == '\n';
        fclose(f);
        records -= records > 0; /* the header */
    }
    printf("records %llu rows %zu seconds %.3f cpu %.3f records/s %.0f\n", records, t->nrows, sec,
           csec, sec > 0 ? (double)records / sec : 0.0);
    int rc = 0;
    if (out) {
        FILE *o = fopen(out, "w");
        if (!o || sdc_table_write_csv(t, ',', o) != 0) {
            fprintf(stderr, "aggregate: cannot write %s\n", out);
            rc = 1;
        }
        if (o && fclose(o) != 0)
            rc = 1;
    }
    sdc_table_free(t);
    sdc_policy_free(policy);
    return rc;
}
