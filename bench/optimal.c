/*
 * optimal.c - heuristic against optimal complementary suppression, for
 * bench/optimal.sh (linked with build/libsdccheck.a).
 *
 *   optimal N SEEDS [SECONDS [PERCENT [LOWER UPPER]]]
 *
 * For each seed, an N x N crosstab of counts with row and column totals,
 * about PERCENT (10) % of the inner cells below the threshold, is
 * protected twice (sdc_table_protect_mode, heuristic then optimal with a
 * time limit of SECONDS, default 60), with the policy's protection levels
 * protection_lower LOWER and protection_upper UPPER when given. One line
 * per table:
 *
 *   seed primary heuristic_secondary heuristic_seconds optimal_secondary
 *   optimal_seconds status
 *
 * status: "ok" (both protected, optimal solved), or "fell-back: NOTE".
 *
 * With CUBE=1 in the environment the tables are long tables of five
 * dimensions instead, N x N x 2 x 2 x 2 with every margin (cube.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cube.h"
#include "sdccheck/sdccheck.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The CSV text of an N x N table with margins (malloc'd). */
static char *make_table(int n, uint64_t seed, int percent)
{
    size_t cap = (size_t)(n + 2) * (size_t)(n + 2) * 12 + 64, o = 0;
    char *s = malloc(cap);
    long *col = calloc((size_t)n, sizeof *col), grand = 0;
    if (!s || !col) {
        free(s);
        free(col);
        return NULL;
    }
    uint64_t st = seed * 0x9E3779B97F4A7C15ULL + 1;
    o += (size_t)snprintf(s + o, cap - o, "region");
    for (int j = 0; j < n; j++)
        o += (size_t)snprintf(s + o, cap - o, ",c%d", j);
    o += (size_t)snprintf(s + o, cap - o, ",Total\n");
    for (int i = 0; i < n; i++) {
        long row = 0;
        o += (size_t)snprintf(s + o, cap - o, "r%d", i);
        for (int j = 0; j < n; j++) {
            long v = (int)(cube_next(&st) % 100) < percent ? 1 + (long)(cube_next(&st) % 9)
                                                           : 10 + (long)(cube_next(&st) % 191);
            row += v;
            col[j] += v;
            o += (size_t)snprintf(s + o, cap - o, ",%ld", v);
        }
        grand += row;
        o += (size_t)snprintf(s + o, cap - o, ",%ld\n", row);
    }
    o += (size_t)snprintf(s + o, cap - o, "Total");
    for (int j = 0; j < n; j++)
        o += (size_t)snprintf(s + o, cap - o, ",%ld", col[j]);
    snprintf(s + o, cap - o, ",%ld\n", grand);
    free(col);
    return s;
}

static sdc_table *layout(const char *csv, const sdc_policy *p)
{
    sdc_findings f = {0};
    sdc_csv_reader *r = sdc_csv_reader_new(p, &f);
    sdc_csv_reader_feed(r, csv, strlen(csv));
    sdc_table *t = sdc_csv_reader_finish(r);
    sdc_csv_reader_free(r);
    if (t)
        sdc_table_infer_layout(t, p, &f);
    sdc_findings_free(&f);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: optimal N SEEDS [SECONDS [PERCENT [LOWER UPPER]]]\n");
        return 2;
    }
    int n = atoi(argv[1]), seeds = atoi(argv[2]);
    double limit = argc > 3 ? atof(argv[3]) : 60;
    int percent = argc > 4 ? atoi(argv[4]) : 10;
    sdc_policy *p = sdc_policy_default();
    p->zeros_are_disclosive = false;
    if (argc > 6) {
        p->protection_lower = atof(argv[5]);
        p->protection_upper = atof(argv[6]);
    }
    sdc_id_scanner *scanner = sdc_id_scanner_new(p, NULL);
    bool cube = getenv("CUBE") && strcmp(getenv("CUBE"), "1") == 0;
    for (int seed = 1; seed <= seeds; seed++) {
        uint64_t tseed = (uint64_t)seed + 1000u * (uint64_t)n;
        char *csv = cube ? sdc_bench_cube_csv(n, tseed, percent) : make_table(n, tseed, percent);
        if (!csv)
            return 1;
        /* the heuristic, the optimal mode, the modular default */
        const sdc_suppress_mode modes[3] = {SDC_SUPPRESS_HEURISTIC, SDC_SUPPRESS_OPTIMAL,
                                            SDC_SUPPRESS_MODULAR};
        sdc_protect_result res[3];
        double secs[3];
        for (int mode = 0; mode < 3; mode++) {
            sdc_table *t = layout(csv, p);
            double t0 = now_seconds();
            sdc_table_protect_mode(t, p, scanner, modes[mode], limit, &res[mode]);
            secs[mode] = now_seconds() - t0;
            sdc_table_free(t);
        }
        const char *status = res[1].fell_back ? "fell-back" : "ok";
        if (!res[0].protected_ok || !res[1].protected_ok || !res[2].protected_ok)
            status = "unprotected";
        /* seed primary heur heur-s opt opt-s status modular modular-s
         * heur-value opt-value modular-value */
        printf("%d %zu %zu %.3f %zu %.3f %s %zu %.3f %.0f %.0f %.0f%s%s\n", seed, res[0].primary,
               res[0].secondary, secs[0], res[1].secondary, secs[1], status, res[2].secondary,
               secs[2], res[0].secondary_value, res[1].secondary_value, res[2].secondary_value,
               res[1].note[0] ? " : " : "", res[1].note);
        fflush(stdout);
        free(csv);
    }
    sdc_id_scanner_free(scanner);
    sdc_policy_free(p);
    return 0;
}
