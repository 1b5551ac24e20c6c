/*
 * test_suppress.c - secondary suppression as a whole: every table protect
 * writes passes sdccheck's own check (the independent audit, which does not
 * know the hidden values), on random tables of several shapes; and the
 * heuristic's choice of complements looks at a bounded number of cells per
 * cell it protects, however large the table.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "audit/audit_internal.h"
#include "protect/protect_heuristic.h"

extern char **environ;

static sdc_policy *policy;
static sdc_id_scanner *scanner;
static void setup(void)
{
    policy = sdc_policy_default();
    policy->zeros_are_disclosive = false;
    scanner = sdc_id_scanner_new(policy, NULL);
}
static void teardown(void)
{
    sdc_id_scanner_free(scanner);
    sdc_policy_free(policy);
}
TestSuite(suppress, .init = setup, .fini = teardown);

static uint64_t next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* A uniform double in (0, 1]. */
static double unit(uint64_t *s)
{
    return ((double)(next(s) >> 11) + 1.0) / 9007199254740992.0;
}

/* Runs the sdccheck binary with ARGV (NULL-terminated, without the program),
 * its output into LOG; returns its exit status. */
static int run(const char *log, const char *const *argv)
{
    const char *args[16] = {sdc_test_binary()};
    size_t n = 1;
    for (; argv[n - 1] && n < 15; n++)
        args[n] = argv[n - 1];
    args[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    cr_assert_eq(posix_spawn(&pid, args[0], &fa, NULL, (char *const *)args, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* Writes TEXT as the sidecar of CSV (NAME.csv: NAME.sdc.yaml). */
static void put_sidecar(const char *csv, const char *text)
{
    char side[200];
    snprintf(side, sizeof side, "%.*s.sdc.yaml", (int)(strlen(csv) - 4), csv);
    FILE *y = fopen(side, "w");
    cr_assert_not_null(y);
    cr_assert_geq(fputs(text, y), 0);
    cr_assert_eq(fclose(y), 0);
}

/* The shapes of random record files. */
typedef enum shape {
    SMALL_AREA, /* area (Zipf sizes) x sex, with a Pareto income */
    SQUARE,     /* 14 x 14 categories, counts */
    THREE_D,    /* 6 x 5 x 4, counts */
    HIERARCHY,  /* country > region (nested) x sex, counts */
    DEEP,       /* country > region > district (nested twice) x sex, counts */
} shape;

/*
 * Writes a records file of SHAPE for SEED into DIR; the protect arguments
 * that tabulate it go to BY and VALUE, and the declaration of its
 * hierarchy (a sidecar's text, or "") to SPEC, written beside the records
 * as their sidecar. Returns the records' path (malloc'd).
 */
static char *make_records(const char *dir, shape sh, uint64_t seed, const char **by,
                          const char **value, char *spec, size_t spec_size)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 7;
    char *path = NULL;
    cr_assert_geq(asprintf(&path, "%s/records-%d-%llu.csv", dir, (int)sh, (unsigned long long)seed),
                  0);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    spec[0] = 0;
    *value = NULL;
    switch (sh) {
    case SMALL_AREA:
        *by = "area,sex";
        *value = "income";
        fputs("area,sex,income\n", f);
        for (int i = 0; i < 6000; i++) {
            int a = (int)(exp(unit(&s) * log(301.0)) - 1.0);
            fprintf(f, "A%03d,%s,%.0f\n", a, next(&s) % 2 ? "Female" : "Male",
                    fmin(1e7, 10000.0 / pow(unit(&s), 1 / 1.2)));
        }
        break;
    case SQUARE:
        *by = "r,c";
        fputs("r,c\n", f);
        for (int i = 0; i < 4000; i++) {
            /* cell (r, c) is small when its weight draws low */
            int r = (int)(next(&s) % 14), c = (int)(next(&s) % 14);
            if ((r * 7 + c * 3 + (int)seed) % 9 == 0 && next(&s) % 4)
                continue;
            fprintf(f, "r%02d,c%02d\n", r, c);
        }
        break;
    case THREE_D:
        *by = "x,y,z";
        fputs("x,y,z\n", f);
        for (int i = 0; i < 2500; i++)
            fprintf(f, "x%d,y%d,z%d\n", (int)(exp(unit(&s) * log(7.0)) - 1.0), (int)(next(&s) % 5),
                    (int)(next(&s) % 4));
        break;
    case HIERARCHY:
    case DEEP:
        *by = sh == DEEP ? "country,region,district,sex" : "country,region,sex";
        fprintf(f, "%s\n", *by);
        for (int i = 0; i < (sh == DEEP ? 1500 : 700); i++) {
            /* regions 0 to 5, the later ones smaller */
            int c = (int)(next(&s) % 3), r = (int)(exp(unit(&s) * log(7.0)) - 1.0) % 6;
            int d = (int)(next(&s) % 3);
            const char *sex = next(&s) % 2 ? "F" : "M";
            if (sh == DEEP)
                fprintf(f, "C%d,C%dR%d,C%dR%dD%d,%s\n", c, c, r, c, r, d, sex);
            else
                fprintf(f, "C%d,C%dR%d,%s\n", c, c, r, sex);
        }
        snprintf(spec, spec_size, "%s",
                 sh == DEEP ? "hierarchies:\n  region: country\n  district: region\n"
                            : "hierarchies:\n  region: country\n");
        break;
    }
    cr_assert_eq(fclose(f), 0);
    if (spec[0])
        put_sidecar(path, spec);
    return path;
}

/* protect on SHAPE for SEEDS seeds (or $SUPPRESS_SEEDS): each must end fully protected (exit 0)
 * and its written table pass check (exit 0) with the same declarations. */
static void assert_written_tables_pass(shape sh, int seeds)
{
    /* SUPPRESS_SEEDS=N runs N seeds of each shape (a longer search). */
    if (getenv("SUPPRESS_SEEDS"))
        seeds = atoi(getenv("SUPPRESS_SEEDS"));
    char dir[64];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "suppress"));
    for (int seed = 1; seed <= seeds; seed++) {
        const char *by, *value;
        char spec[200], out[160], log[160];
        char *records = make_records(dir, sh, (uint64_t)seed, &by, &value, spec, sizeof spec);
        snprintf(out, sizeof out, "%s/out-%d-%d.csv", dir, (int)sh, seed);
        snprintf(log, sizeof log, "%s/log-%d-%d.txt", dir, (int)sh, seed);
        const char *argv[14] = {"protect", "--by", by, "-o", out};
        size_t n = 5;
        if (value) {
            argv[n++] = "--value";
            argv[n++] = value;
        }
        argv[n++] = records;
        argv[n] = NULL;
        int rc = run(log, argv);
        char *text = sdc_test_slurp(log);
        cr_assert_eq(rc, 0, "shape %d seed %d: protect says not protected:\n%s", (int)sh, seed,
                     text);
        /* "...; 12 primary and 9 complementary suppressions": a table with
         * something to protect */
        const char *semi = strstr(text, "; ");
        cr_assert_not_null(semi, "%s", text);
        cr_assert_gt(atol(semi + 2), 0, "shape %d seed %d has no primary cell:\n%s", (int)sh, seed,
                     text);
        cr_assert_not_null(strstr(text, "complementary"), "%s", text);
        free(text);
        if (spec[0])
            put_sidecar(out, spec);
        const char *check[] = {"check", "-q", out, NULL};
        rc = run(log, check);
        text = sdc_test_slurp(log);
        cr_assert_eq(rc, 0, "shape %d seed %d: the written table does not pass check:\n%s", (int)sh,
                     seed, text);
        free(text);
        free(records);
    }
    cr_assert_eq(temp_dir_remove(dir), 0);
}

Test(suppress, written_small_area_tables_pass_the_independent_audit, .timeout = 240)
{
    assert_written_tables_pass(SMALL_AREA, 3);
}

Test(suppress, written_square_tables_pass_the_independent_audit, .timeout = 240)
{
    assert_written_tables_pass(SQUARE, 4);
}

Test(suppress, written_three_dimensional_tables_pass_the_independent_audit, .timeout = 240)
{
    assert_written_tables_pass(THREE_D, 4);
}

Test(suppress, written_hierarchical_tables_pass_the_independent_audit, .timeout = 240)
{
    assert_written_tables_pass(HIERARCHY, 4);
}

Test(suppress, written_deep_hierarchies_pass_the_independent_audit, .timeout = 240)
{
    assert_written_tables_pass(DEEP, 3);
}

/* ---- the candidate search does not grow with the table -------------- */

/* A wide table of AREAS areas by two categories with margins; about one
 * cell in ten below the threshold. */
static char *small_area_table(int areas, uint64_t seed)
{
    size_t cap = (size_t)areas * 40 + 128, o = 0;
    char *csv = malloc(cap);
    cr_assert_not_null(csv);
    long fs = 0, ms = 0;
    o += (size_t)snprintf(csv + o, cap - o, "area,Female,Male,Total\n");
    for (int a = 0; a < areas; a++) {
        long f =
            next(&seed) % 10 == 0 ? 1 + (long)(next(&seed) % 9) : 10 + (long)(next(&seed) % 300);
        long m =
            next(&seed) % 10 == 0 ? 1 + (long)(next(&seed) % 9) : 10 + (long)(next(&seed) % 300);
        fs += f;
        ms += m;
        o += (size_t)snprintf(csv + o, cap - o, "A%06d,%ld,%ld,%ld\n", a, f, m, f + m);
    }
    snprintf(csv + o, cap - o, "Total,%ld,%ld,%ld\n", fs, ms, fs + ms);
    return csv;
}

/* Cells the heuristic looks at per cell it hides, on AREAS areas, with
 * hypercubes (CUBES) or the greedy rule only. */
static double examined_per_hidden(int areas, bool cubes)
{
    char *csv = small_area_table(areas, 42);
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_findings_free(&f);
    cr_assert_not_null(t);
    sdc_protect_result res;
    cr_assert_eq(sdc_protect_heuristic(t, policy, scanner, cubes ? 0 : SIZE_MAX, &res), 0);
    cr_assert(res.protected_ok, "%d areas protected", areas);
    cr_assert_gt(res.secondary, 0);
    double per = (double)res.examined / (double)(res.primary + res.secondary);
    sdc_table_free(t);
    free(csv);
    return per;
}

/*
 * Protecting a cell looks at its lines' best candidates only: a line of
 * 8,000 areas costs no more per cell than one of 250. Scanning the area
 * line for each cell (what the search did before) makes the count per
 * hidden cell grow with the areas.
 */
Test(suppress, cells_examined_per_protected_cell_do_not_grow_with_the_table, .timeout = 240)
{
    for (int cubes = 0; cubes < 2; cubes++) {
        double small = examined_per_hidden(250, cubes), large = examined_per_hidden(8000, cubes);
        cr_assert_gt(small, 0);
        cr_assert_leq(large, 2 * small + 8,
                      "%s: %.1f cells per hidden cell at 250 areas, %.1f at 8000",
                      cubes ? "cubes" : "greedy", small, large);
        cr_assert_leq(large, 400, "%s: %.1f cells per hidden cell", cubes ? "cubes" : "greedy",
                      large);
    }
}

/* ---- what cannot be protected is named, with exit 3 -------------------- */

/*
 * A 2 x 2 table (A: 3 F and 57 M; B: 60 F and 80 M) under a policy asking
 * each hidden cell for an interval 1000 wide, protected by the heuristic,
 * which hides parts, never totals: no choice of parts can give that, since
 * every cell is bounded by its row's total. Hiding all four,
 * with x = A/F: A/M = 60 - x, B/F = 63 - x, B/M = 77 + x and x in [0, 60]
 * (by hand), so A/F and A/M hold [0, 60], B/F [3, 63], B/M [77, 137].
 */
Test(suppress, cells_that_cannot_be_protected_are_named_with_exit_3)
{
    char dir[64];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "suppress"));
    char *pol =
        put_file(dir, "wide.yaml",
                 "extends: ons-srs\nname: wide\ndescription: test\nprotection_width: 1000\n");
    char rec[4096];
    size_t o = (size_t)snprintf(rec, sizeof rec, "id,g,s\n");
    for (int i = 1; i <= 200; i++)
        o += (size_t)snprintf(rec + o, sizeof rec - o, "%d,%s,%s\n", i, i <= 60 ? "A" : "B",
                              i <= 3 || (i > 60 && i <= 120) ? "F" : "M");
    char *records = put_file(dir, "r.csv", rec);
    char out[128], log[128];
    snprintf(out, sizeof out, "%s/out.csv", dir);
    snprintf(log, sizeof log, "%s/log.txt", dir);
    const char *argv[] = {"protect", "-p", pol, "--suppress", "heuristic", "--by",
                          "g,s",     "-o", out, records,      NULL};
    int rc = run(log, argv);
    char *text = sdc_test_slurp(log);
    cr_assert_eq(rc, 3, "%s", text);
    cr_assert_not_null(strstr(text, "4 suppressed cells not proved protected"), "%s", text);
    cr_assert_not_null(strstr(text, "A / F, n: only [0, 60]"), "%s", text);
    cr_assert_not_null(strstr(text, "A / M, n: only [0, 60]"), "%s", text);
    cr_assert_not_null(strstr(text, "B / F, n: only [3, 63]"), "%s", text);
    cr_assert_not_null(strstr(text, "B / M, n: only [77, 137]"), "%s", text);
    free(text);
    free(records);
    free(pol);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

/*
 * The complements' value: in x: A 3, B 50; y: A 40, B 60 with margins,
 * x/A is below the threshold and x/B and y/A hold over 90% of their row
 * or column (group disclosure), so the one complement left is y/B, which
 * holds 60 (by hand). Every mode must find it.
 */
Test(suppress, the_value_of_the_complements_is_reported)
{
    const sdc_suppress_mode modes[] = {SDC_SUPPRESS_MODULAR, SDC_SUPPRESS_HEURISTIC,
                                       SDC_SUPPRESS_OPTIMAL};
    for (size_t m = 0; m < 3; m++) {
        sdc_findings f = {0};
        sdc_table *t =
            layout_csv("r,A,B,Total\nx,3,50,53\ny,40,60,100\nTotal,43,110,153\n", policy, &f);
        sdc_findings_free(&f);
        sdc_protect_result res;
        cr_assert_eq(sdc_table_protect_mode(t, policy, scanner, modes[m], 10, &res), 0);
        cr_assert(res.protected_ok);
        cr_assert_eq(res.primary, 3, "mode %zu", m);
        cr_assert_eq(res.secondary, 1, "mode %zu", m);
        cr_assert_float_eq(res.secondary_value, 60, 1e-9, "mode %zu: %g", m, res.secondary_value);
        sdc_table_free(t);
    }
}

/*
 * A four-dimensional count table with every margin: a (SLICES categories,
 * at most 1,000) by b, c and d (2 each). Slice a0 holds SMALL in all its 8
 * cells, slice a7 holds SMALL in 7 of them and 20 at (b0, c0, d0); slices
 * a1 to a5 hold 10 + i in every cell, the others 30 + i. SMALL is under
 * the threshold of 10.
 */
static char *wide_cube_table(int slices, long small)
{
    size_t cap = (size_t)(slices + 1) * 27 * 40 + 64, o = 0;
    char *csv = malloc(cap);
    long(*v)[2][2][2] = malloc((size_t)slices * sizeof *v);
    cr_assert(csv && v);
    for (int i = 0; i < slices; i++)
        for (int x = 0; x < 8; x++)
            v[i][x >> 2][(x >> 1) & 1][x & 1] = i == 0 || i == 7 ? small : i <= 5 ? 10 + i : 30 + i;
    v[7][0][0][0] = 20;
    o += (size_t)snprintf(csv + o, cap - o, "a,b,c,d,n\n");
    for (int i = 0; i <= slices; i++)
        for (int b = 0; b <= 2; b++)
            for (int c = 0; c <= 2; c++)
                for (int d = 0; d <= 2; d++) {
                    long sum = 0; /* over every coordinate at its total (index 2, SLICES) */
                    for (int i2 = i == slices ? 0 : i; i2 <= (i == slices ? slices - 1 : i); i2++)
                        for (int b2 = b == 2 ? 0 : b; b2 <= (b == 2 ? 1 : b); b2++)
                            for (int c2 = c == 2 ? 0 : c; c2 <= (c == 2 ? 1 : c); c2++)
                                for (int d2 = d == 2 ? 0 : d; d2 <= (d == 2 ? 1 : d); d2++)
                                    sum += v[i2][b2][c2][d2];
                    char a_[16];
                    snprintf(a_, sizeof a_, "a%d", i);
                    o += (size_t)snprintf(csv + o, cap - o, "%s,%s,%s,%s,%ld\n",
                                          i == slices ? "Total" : a_,
                                          b == 2 ? "Total"
                                          : b    ? "b1"
                                                 : "b0",
                                          c == 2 ? "Total"
                                          : c    ? "c1"
                                                 : "c0",
                                          d == 2 ? "Total"
                                          : d    ? "d1"
                                                 : "d0",
                                          sum);
                }
    free(v);
    return csv;
}

/*
 * The cheapest cube can lie past the first few partners of a line. In the
 * table above, the cube through (a0, b0, c0, d0) along a7 has one
 * published corner, (a7, b0, c0, d0) = 20, and its 15 others are the
 * primary cells: hiding that one cell protects all 15 (each moves by 5
 * either way, 11 counts). Along a1 to a5 (the five published partners
 * of least value on the a line) a cube hides the 8 cells of that slice,
 * and slice a7 then still needs its 20: 9 complements. 6,777 measure
 * cells: the default mode gives it to the heuristic whole, unpruned.
 */
static void protect_wide_cube_table(int slices, long small, sdc_suppress_mode mode)
{
    char *csv = wide_cube_table(slices, small);
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_findings_free(&f);
    cr_assert_not_null(t);
    cr_assert_eq(t->nrows, (size_t)(slices + 1) * 27);
    sdc_protect_result res;
    cr_assert_eq(sdc_table_protect_mode(t, policy, scanner, mode, 60, &res), 0);
    cr_assert(res.protected_ok);
    cr_assert_eq(res.primary, 15);
    cr_assert_eq(res.secondary, 1, "%zu complements (9: the narrow search's)", res.secondary);
    cr_assert_float_eq(res.secondary_value, 20, 1e-9, "%g", res.secondary_value);
    sdc_table_free(t);
    free(csv);
}

Test(suppress, the_cheapest_cube_is_found_past_the_first_partners_of_a_line)
{
    protect_wide_cube_table(250, 5, SDC_SUPPRESS_MODULAR);
}

/* The quick mode is the modular mode on a table of 20,000 cells or
 * fewer (6,777 here), its search included. */
Test(suppress, the_quick_mode_searches_a_small_table_as_the_modular_mode_does)
{
    protect_wide_cube_table(250, 5, SDC_SUPPRESS_QUICK);
}

/*
 * Past 20,000 cells (800 slices, 21,627 cells) the quick mode asks its
 * cubes for a range 1.1 times the width's: the width asks 10 counts, a
 * range of 9 (v - a to v + b holds a + b + 1 counts), so 9.9, which
 * corners of 5 give (each moves 0 to 10, a range of 10) and would not at
 * 1.2 (10.8). It still takes every partner of a line, hidden ones first:
 * the cube along a7 hides one published cell (20); the five partners of
 * least value (a1 to a5, 11 to 15) would hide 9.
 */
Test(suppress, the_quick_mode_finds_the_cheapest_cube_past_the_first_partners_of_a_line)
{
    protect_wide_cube_table(800, 5, SDC_SUPPRESS_QUICK);
}

/* ---- blocks too large for the exact solver ------------------------------ */

/* DIR/NAME-SEED.csv, opened to be written with its HEADER line; its path
 * (malloc'd) into *PATH. */
static FILE *table_file(const char *dir, const char *name, int seed, const char *header,
                        char **path)
{
    cr_assert_geq(asprintf(path, "%s/%s-%d.csv", dir, name, seed), 0);
    FILE *f = fopen(*path, "w");
    cr_assert_not_null(f, "%s", *path);
    fprintf(f, "%s\n", header);
    return f;
}

/*
 * The 5-D bench table in small (bench/gen.c, "nested"), written with its
 * margins into DIR/nested-SEED.csv with its sidecar: country (2) > region
 * (NREG per country, nested) x sex (2) x age (NAGE) x ethnicity (NETH),
 * counts, every margin; in about one group of country, region, age and
 * ethnicity in five both sexes hold 3 to 9, else 10 to 60. Returns the
 * table's path (malloc'd).
 */
static char *nested_table(const char *dir, int nreg, int nage, int neth, uint64_t *s, int seed)
{
    enum { NC = 2, NS = 2 };
    static int v[NC][8][NS][8][8];
    cr_assert_leq(nreg, 8);
    cr_assert_leq(nage, 8);
    cr_assert_leq(neth, 8);
    for (int c = 0; c < NC; c++)
        for (int r = 0; r < nreg; r++)
            for (int a = 0; a < nage; a++)
                for (int e = 0; e < neth; e++) {
                    bool small = next(s) % 5 == 0;
                    for (int x = 0; x < NS; x++)
                        v[c][r][x][a][e] =
                            small ? 3 + (int)(next(s) % 7) : 10 + (int)(next(s) % 51);
                }
    char *path = NULL;
    FILE *f = table_file(dir, "nested", seed, "country,region,sex,age,ethnicity,n", &path);
    /* geography: each region, each country (region Total), the whole */
    for (int g = 0; g < NC * nreg + NC + 1; g++) {
        int gc = g < NC * nreg ? g / nreg : g < NC * nreg + NC ? g - NC * nreg : -1;
        int gr = g < NC * nreg ? g % nreg : -1;
        for (int x = 0; x <= NS; x++)
            for (int a = 0; a <= nage; a++)
                for (int e = 0; e <= neth; e++) {
                    long sum = 0;
                    for (int c = 0; c < NC; c++)
                        for (int r = 0; r < nreg; r++)
                            for (int xx = 0; xx < NS; xx++)
                                for (int aa = 0; aa < nage; aa++)
                                    for (int ee = 0; ee < neth; ee++)
                                        if ((gc < 0 || gc == c) && (gr < 0 || gr == r) &&
                                            (x == NS || x == xx) && (a == nage || a == aa) &&
                                            (e == neth || e == ee))
                                            sum += v[c][r][xx][aa][ee];
                    if (gc < 0)
                        fputs("Total,Total,", f);
                    else if (gr < 0)
                        fprintf(f, "C%d,Total,", gc);
                    else
                        fprintf(f, "C%d,C%dR%d,", gc, gc, gr);
                    fprintf(f, x == NS ? "Total," : "S%d,", x);
                    fprintf(f, a == nage ? "Total," : "A%d,", a);
                    fprintf(f, e == neth ? "Total," : "E%d,", e);
                    fprintf(f, "%ld\n", sum);
                }
    }
    cr_assert_eq(fclose(f), 0);
    put_sidecar(path, "hierarchies:\n  region: country\n");
    return path;
}

/*
 * A table whose first dimension has no total: year (NY) x region (NREG)
 * x age (NAGE) x ethnicity (NETH), counts, every margin but the years';
 * in about one group in five every count is 3 to 9, else 10 to 60. No
 * line along the year is an equation, so no cube moves along it. Written
 * into DIR/years-SEED.csv; returns its path (malloc'd).
 */
static char *years_table(const char *dir, int ny, int nreg, int nage, int neth, uint64_t *s,
                         int seed)
{
    static int v[4][8][8][8];
    cr_assert_leq(ny, 4);
    cr_assert_leq(nreg, 8);
    cr_assert_leq(nage, 8);
    cr_assert_leq(neth, 8);
    for (int y = 0; y < ny; y++)
        for (int r = 0; r < nreg; r++)
            for (int a = 0; a < nage; a++)
                for (int e = 0; e < neth; e++)
                    v[y][r][a][e] =
                        next(s) % 5 == 0 ? 3 + (int)(next(s) % 7) : 10 + (int)(next(s) % 51);
    char *path = NULL;
    FILE *f = table_file(dir, "years", seed, "year,region,age,ethnicity,n", &path);
    for (int y = 0; y < ny; y++)
        for (int r = 0; r <= nreg; r++)
            for (int a = 0; a <= nage; a++)
                for (int e = 0; e <= neth; e++) {
                    long sum = 0;
                    for (int rr = 0; rr < nreg; rr++)
                        for (int aa = 0; aa < nage; aa++)
                            for (int ee = 0; ee < neth; ee++)
                                if ((r == nreg || r == rr) && (a == nage || a == aa) &&
                                    (e == neth || e == ee))
                                    sum += v[y][rr][aa][ee];
                    fprintf(f, "Y%d,", 2020 + y);
                    fprintf(f, r == nreg ? "Total," : "R%d,", r);
                    fprintf(f, a == nage ? "Total," : "A%d,", a);
                    fprintf(f, e == neth ? "Total," : "E%d,", e);
                    fprintf(f, "%ld\n", sum);
                }
    cr_assert_eq(fclose(f), 0);
    return path;
}

/* A temporary folder for a test's tables into DIR (SIZE bytes), and a
 * checker with the suite's policy to read them. */
static sdc_checker *checker_in(char *dir, size_t size)
{
    cr_assert_not_null(temp_dir_make(dir, size, "suppress"));
    sdc_status cst = {0};
    sdc_checker *ck = sdc_checker_new(policy, &cst);
    cr_assert_not_null(ck);
    return ck;
}

/* The table at PATH as CK reads it (its sidecar's spec into *SPEC). */
static sdc_table *read_table(sdc_checker *ck, const char *path, struct sdc_table_spec **spec)
{
    sdc_findings f = {0};
    sdc_status st = {0};
    sdc_table *t = sdc_checker_read_table(ck, path, spec, &f, &st);
    sdc_findings_free(&f);
    cr_assert_not_null(t, "%s", path);
    return t;
}

/* Does audit A (verdicts, protection NEED) prove every hidden cell? */
static bool audit_proves_all(const sdc_audit *a, double need)
{
    if (a->timed_out || a->inconsistent || a->too_large || a->unproved)
        return false;
    for (size_t i = 0; i < a->count; i++)
        if (!sdc_audit_protected(&a->cells[i], need))
            return false;
    return true;
}

/*
 * A table of country (3) > region (up to 6 a country, nested, the later
 * ones smaller) by sex (2) by age (4) with every margin from SEED's 1,500
 * records, a Pareto income summed beside the count (its two largest too,
 * as `protect` builds it: sdc_aggregate_file), written with its sidecar
 * into DIR/income-SEED.csv. Returns its path (malloc'd).
 */
static char *income_table(const char *dir, int seed)
{
    uint64_t s = (uint64_t)seed * 0x9E3779B97F4A7C15ULL + 11;
    char *records = NULL, *path = NULL;
    cr_assert_geq(asprintf(&records, "%s/income-records-%d.csv", dir, seed), 0);
    FILE *f = fopen(records, "w");
    cr_assert_not_null(f);
    fputs("country,region,sex,age,income\n", f);
    for (int i = 0; i < 1500; i++) {
        int c = (int)(next(&s) % 3), r = (int)(exp(unit(&s) * log(6.0)) - 1.0);
        fprintf(f, "C%d,C%dR%d,%s,A%d,%.0f\n", c, c, r, next(&s) % 2 ? "F" : "M",
                (int)(next(&s) % 4), fmin(1e7, 1e4 / pow(unit(&s), 1 / 1.2)));
    }
    cr_assert_eq(fclose(f), 0);
    const char *by[] = {"country", "region", "sex", "age"};
    const int parent[] = {-1, 0, -1, -1};
    sdc_aggregate_spec spec = {.by = by, .nby = 4, .value = "income", .parent = parent};
    sdc_status st = {0};
    sdc_table *t = sdc_aggregate_file(records, policy, &spec, &st);
    cr_assert_not_null(t, "%s", st.message);
    cr_assert_geq(asprintf(&path, "%s/income-%d.csv", dir, seed), 0);
    f = fopen(path, "w");
    cr_assert_not_null(f);
    cr_assert_eq(sdc_table_write_csv(t, ',', f), 0);
    cr_assert_eq(fclose(f), 0);
    put_sidecar(path, "hierarchies:\n  region: country\n");
    sdc_table_free(t);
    free(records);
    return path;
}

/*
 * After the first round's cubes at the true values, the audit that knows
 * the values is skipped when the cubes proved all but a few hidden cells
 * (KNOWN_SKIP_PER: one in 10,000; here always, so that tables this small
 * take that path): the audit of the table as written comes next either
 * way, finds what is left, and the cubes it asks for are as wide at the
 * true values. On every one of these tables the cubes leave cells
 * unproved, so the audit that knows the values runs after them without
 * the skip, and not with it. Every table is still protected and passes
 * the audit that does not know the values. (On three of the eight the skip costs a second audit of
 * the written table, which the audit that knows the values would have spared: hence the one in
 * 10,000.)
 */
Test(suppress, the_audit_that_knows_the_values_is_skipped_after_cubes_that_prove_nearly_all,
     .timeout = 240)
{
    char dir[64];
    sdc_checker *ck = checker_in(dir, sizeof dir);
    double need = sdc_audit_need(policy);
    for (int trial = 0; trial < 8; trial++) {
        char *path = income_table(dir, trial);
        sdc_protect_result res[2];
        for (int k = 0; k < 2; k++) {
            struct sdc_table_spec *spec = NULL;
            sdc_table *t = read_table(ck, path, &spec);
            cr_assert_eq(
                sdc_protect_heuristic_known_skip(t, policy, scanner, 0, k ? 1 : SIZE_MAX, &res[k]),
                0);
            cr_assert(res[k].protected_ok, "trial %d, skip %d: %zu cells not proved (%s)", trial, k,
                      res[k].unprotected, res[k].why);
            cr_assert_gt(res[k].primary, 0, "trial %d", trial);
            sdc_audit a = {0};
            cr_assert_eq(sdc_audit_table(t, policy, 60, need, &a), 0);
            cr_assert(audit_proves_all(&a, need), "trial %d, skip %d: the audit", trial, k);
            sdc_audit_free(&a);
            sdc_table_free(t);
            sdc_table_spec_free(spec);
        }
        cr_assert_lt(res[1].audits_known, res[0].audits_known, "trial %d", trial);
        free(path);
    }
    sdc_checker_free(ck);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

/*
 * A block of linked cells with more equations than the exact solver takes
 * (20,000 on real tables; 0 here, so that every block of these small
 * tables is one) is audited by feasible points, cubes and walks alone.
 * At the true values the cubes `protect` chose prove every cell; `check`
 * does not know them, and its point can leave cells unproved that are in
 * no cube of hidden cells at all. protect must then hide cubes through
 * them at the point the audit found, until the audit that does not know
 * the values proves every cell, at the same limit; and the written table
 * must pass the full audit too. Those cubes are as wide at the true
 * values, so the audit that knows them runs once (at least one of the
 * forty tables needs such a round; six do). A count's cube chosen at a
 * point that is not whole must be as wide as the need
 * (sdc_cube_least_range): asked for the range of a whole point, the
 * 28th table's rounds ended with the greedy rule's complements, and the
 * audit that knows the values ran again.
 */
Test(suppress, blocks_beyond_the_exact_solver_end_proved_by_the_independent_audit, .timeout = 240)
{
    char dir[64];
    sdc_checker *ck = checker_in(dir, sizeof dir);
    double need = sdc_audit_need(policy);
    uint64_t s = 20261204;
    size_t at_point_rounds = 0;
    for (int trial = 0; trial < 40; trial++) {
        char *path = nested_table(dir, 6, 8, 7 + trial % 2, &s, trial);
        struct sdc_table_spec *spec = NULL;
        sdc_table *t = read_table(ck, path, &spec);
        sdc_protect_result res;
        cr_assert_eq(sdc_protect_heuristic_lp(t, policy, scanner, 0, 0, &res), 0);
        cr_assert(res.protected_ok, "trial %d: %zu cells not proved (%s)", trial, res.unprotected,
                  res.why);
        cr_assert_gt(res.primary, 0, "trial %d", trial);
        /* Counts alone: every complement is a corner of a cube chosen at
         * the true values, which proves it, and the cubes chosen at the
         * written audit's point are as wide at the true values; so the
         * audit that knows them runs once, and the rounds end with cubes,
         * not with the greedy rule's complements (which would ask for it
         * again). */
        cr_assert_eq(res.audits_known, 1, "trial %d", trial);
        at_point_rounds += res.audits_written - 1;
        sdc_audit a = {0}, b = {0};
        cr_assert_eq(sdc_audit_table_lp_limit(t, policy, 60, need, NULL, 0, &a), 0);
        cr_assert(audit_proves_all(&a, need), "trial %d: the audit without LP", trial);
        cr_assert_eq(sdc_audit_table(t, policy, 60, need, &b), 0);
        cr_assert(audit_proves_all(&b, need), "trial %d: the full audit", trial);
        sdc_audit_free(&a);
        sdc_audit_free(&b);
        sdc_table_free(t);
        sdc_table_spec_free(spec);
        free(path);
    }
    cr_assert_gt(at_point_rounds, 0, "no table needed cubes at the audit's point");
    sdc_checker_free(ck);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

/*
 * The first round's cells are searched one value of a dimension that no
 * cube moves along at a time, on threads (heuristic.c, first_round). A
 * region's cube never leaves its country, and a year's never leaves its
 * year when years have no total, so the values share no cell and no
 * line but the ones along that dimension; the cells at a country's total
 * (searched after the values) form no cube at all, since a move along
 * the country would need a region in two countries. So the cells hidden
 * must be those of the search one cell after another in the audit's
 * order, whatever the threads: on nested tables (country > region x sex
 * x age x ethnicity) and on tables by year without a year total, on 1, 2
 * and 3 threads, the written tables equal the unsplit search's cell for
 * cell, and pass the audit that does not know the hidden values. Each
 * value's cells are searched in chunks, on whichever thread is free, so
 * each chunk must go on from the grid and the tallies the one before
 * left, and no cell be searched twice or not at all.
 */
Test(suppress, the_first_round_split_by_value_hides_what_one_search_after_another_does,
     .timeout = 240)
{
    char dir[64];
    sdc_checker *ck = checker_in(dir, sizeof dir);
    double need = sdc_audit_need(policy);
    uint64_t s = 20261207;
    for (int trial = 0; trial < 6; trial++) {
        /* 3,240 and 2,916 cells with margins: past the 2,000 of the split */
        char *path = trial % 2 == 0 ? nested_table(dir, 6, 8, 7, &s, trial)
                                    : years_table(dir, 4, 8, 8, 8, &s, trial);
        sdc_table *t[4] = {0};
        struct sdc_table_spec *spec[4] = {0};
        sdc_protect_result res[4];
        for (int threads = 0; threads < 4; threads++) {
            t[threads] = read_table(ck, path, &spec[threads]);
            cr_assert_eq(
                sdc_protect_heuristic_split(t[threads], policy, scanner, threads, &res[threads]),
                0);
            cr_assert(res[threads].protected_ok, "trial %d, %d threads: %zu cells not proved",
                      trial, threads, res[threads].unprotected);
            cr_assert_gt(res[threads].secondary, 0, "trial %d", trial);
            /* two countries, four years */
            cr_assert_eq(res[threads].split_values,
                         threads == 0     ? 0
                         : trial % 2 == 0 ? 2
                                          : 4,
                         "trial %d, %d threads", trial, threads);
        }
        for (int threads = 1; threads < 4; threads++) {
            cr_assert_eq(t[threads]->nrows, t[0]->nrows);
            cr_assert_eq(res[threads].secondary, res[0].secondary, "trial %d, %d threads", trial,
                         threads);
            for (size_t i = 0; i < t[0]->nrows * t[0]->ncols; i++)
                cr_assert_eq(t[threads]->cells[i].kind, t[0]->cells[i].kind,
                             "trial %d, %d threads: row %zu, column %zu", trial, threads,
                             i / t[0]->ncols, i % t[0]->ncols);
        }
        sdc_audit a = {0};
        cr_assert_eq(sdc_audit_table(t[2], policy, 60, need, &a), 0);
        cr_assert(audit_proves_all(&a, need), "trial %d: the audit", trial);
        sdc_audit_free(&a);
        for (int threads = 0; threads < 4; threads++) {
            sdc_table_free(t[threads]);
            sdc_table_spec_free(spec[threads]);
        }
        free(path);
    }
    sdc_checker_free(ck);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

/*
 * The first round's cubes of any width (heuristic.c, NARROW): on grids
 * within the exact solver's reach each cube only has to move its cell,
 * and the audit with the true values then proves most cells by what the
 * hidden cells allow together; the cells it leaves narrow get cubes as
 * wide as asked in the rounds after. On eight 4-D tables (nested, and by
 * year without a year total) every written table must pass the audit
 * `check` runs, and the eight must hide fewer complements in all than
 * with cubes as wide as asked from the first round, and fewer on half of
 * them at least; the audit with the true values runs twice (once more
 * than after cubes as wide as asked), since the cubes the cells it finds
 * narrow then get are as wide as asked. The grid's size
 * decides: a limit below its cells is no narrow round, a limit of exactly
 * its cells is one.
 */
Test(suppress, a_first_round_of_any_width_hides_fewer_complements_and_passes_the_audit,
     .timeout = 240)
{
    char dir[64];
    sdc_checker *ck = checker_in(dir, sizeof dir);
    double need = sdc_audit_need(policy);
    uint64_t s = 20261207;
    size_t narrow = 0, wide = 0, fewer = 0;
    for (int trial = 0; trial < 8; trial++) {
        char *path = trial % 2 == 0 ? nested_table(dir, 6, 8, 6 + trial % 3, &s, trial)
                                    : years_table(dir, 4, 8, 8, 8, &s, trial);
        /* narrow_cells: none, every grid, below this grid, this grid */
        const size_t limit[4] = {0, SIZE_MAX, 100, 0};
        sdc_table *t[4] = {0};
        struct sdc_table_spec *spec[4] = {0};
        sdc_protect_result res[4];
        for (int k = 0; k < 4; k++) {
            t[k] = read_table(ck, path, &spec[k]);
            size_t cells = t[k]->nrows; /* one measure: a grid cell a row */
            cr_assert_eq(sdc_protect_heuristic_narrow(t[k], policy, scanner,
                                                      k == 3 ? cells : limit[k], &res[k]),
                         0);
            cr_assert(res[k].protected_ok, "trial %d, limit %d: %zu cells not proved", trial, k,
                      res[k].unprotected);
            sdc_audit a = {0};
            cr_assert_eq(sdc_audit_table(t[k], policy, 60, need, &a), 0);
            cr_assert(audit_proves_all(&a, need), "trial %d, limit %d: the audit", trial, k);
            sdc_audit_free(&a);
        }
        cr_assert_gt(res[0].secondary, 0, "trial %d", trial);
        /* Counts alone. Cubes as wide as asked prove their corners, so the
         * audit with the true values runs once; after a first round of any
         * width it runs again, finds the cells left narrow, and the cubes
         * as wide as asked that they then get prove them: twice. */
        cr_assert_eq(res[0].audits_known, 1, "trial %d", trial);
        cr_assert_eq(res[1].audits_known, 2, "trial %d", trial);
        /* the limit is the grid's cells, at most */
        cr_assert_eq(res[2].secondary, res[0].secondary, "trial %d", trial);
        cr_assert_eq(res[3].secondary, res[1].secondary, "trial %d", trial);
        for (size_t i = 0; i < t[0]->nrows * t[0]->ncols; i++) {
            cr_assert_eq(t[2]->cells[i].kind, t[0]->cells[i].kind, "trial %d, cell %zu", trial, i);
            cr_assert_eq(t[3]->cells[i].kind, t[1]->cells[i].kind, "trial %d, cell %zu", trial, i);
        }
        wide += res[0].secondary;
        narrow += res[1].secondary;
        fewer += res[1].secondary < res[0].secondary;
        for (int k = 0; k < 4; k++) {
            sdc_table_free(t[k]);
            sdc_table_spec_free(spec[k]);
        }
        free(path);
    }
    cr_assert_lt(narrow, wide);
    /* measured: 2,637 against 2,808, fewer on each nested table (by 10% to
     * 13%), about as many on the tables by year */
    cr_assert_geq(fewer, 4, "fewer on %zu of 8 tables (%zu against %zu)", fewer, narrow, wide);
    sdc_checker_free(ck);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

/*
 * A table of five dimensions, 8 x 8 x 6 x 6 x 4 with every margin (19,845
 * cells), 18% of its inner cells 1 to 9, the rest 10 to 60, written into
 * DIR/five-SEED.csv; returns its path (malloc'd).
 */
static char *five_table(const char *dir, uint64_t *s, int seed)
{
    enum { A = 8, B = 8, C = 6, D = 6, E = 4 };
    static long v[A + 1][B + 1][C + 1][D + 1][E + 1];
    memset(v, 0, sizeof v);
    for (int a = 0; a < A; a++)
        for (int b = 0; b < B; b++)
            for (int c = 0; c < C; c++)
                for (int d = 0; d < D; d++)
                    for (int e = 0; e < E; e++) {
                        long x =
                            unit(s) < 0.18 ? 1 + (long)(next(s) % 9) : 10 + (long)(next(s) % 51);
                        /* into every margin the cell lies in: each
                         * coordinate its own or the total */
                        for (int m = 0; m < 32; m++)
                            v[m & 1 ? A : a][m & 2 ? B : b][m & 4 ? C : c][m & 8 ? D : d]
                             [m & 16 ? E : e] += x;
                    }
    char *path = NULL;
    FILE *f = table_file(dir, "five", seed, "a,b,c,d,e,n", &path);
    for (int a = 0; a <= A; a++)
        for (int b = 0; b <= B; b++)
            for (int c = 0; c <= C; c++)
                for (int d = 0; d <= D; d++)
                    for (int e = 0; e <= E; e++) {
                        const int at[5] = {a, b, c, d, e}, n[5] = {A, B, C, D, E};
                        for (int k = 0; k < 5; k++)
                            if (at[k] == n[k])
                                fputs("Total,", f);
                            else
                                fprintf(f, "%c%d,", 'A' + k, at[k]);
                        fprintf(f, "%ld\n", v[a][b][c][d][e]);
                    }
    cr_assert_eq(fclose(f), 0);
    return path;
}

/*
 * A block of linked cells the exact solver takes but whose LPs are large
 * (audit.c, POINTS_FIRST_ROWS): the 5-D table above, protected, hides
 * some 6,300 cells in one block of about 7,100 equations. GLPK's interior
 * point took 34 s to find a point of it and two LPs a cell were left,
 * so the audit of the written table ran out of its time limit (36 s) and
 * the table was said not to be protected. With the entropy point and
 * the points, cubes and walks first, the LPs are left a few cells: the
 * table must be protected, and its audit (as check runs it, with its
 * time limit) must prove every hidden cell without running out of time.
 */
Test(suppress, a_large_block_within_the_exact_solver_is_proved_within_the_time_limit,
     .timeout = 240)
{
    char dir[64];
    sdc_checker *ck = checker_in(dir, sizeof dir);
    double need = sdc_audit_need(policy);
    uint64_t s = 20261208;
    char *path = five_table(dir, &s, 0);
    struct sdc_table_spec *spec = NULL;
    sdc_table *t = read_table(ck, path, &spec);
    cr_assert_eq(t->nrows, 9 * 9 * 7 * 7 * 5);
    sdc_protect_result res;
    cr_assert_eq(sdc_table_protect_mode(t, policy, scanner, SDC_SUPPRESS_MODULAR, 60, &res), 0);
    cr_assert(res.protected_ok, "%zu cells not proved (%s)", res.unprotected, res.why);
    cr_assert_gt(res.primary, 1000);
    sdc_audit a = {0};
    cr_assert_eq(sdc_audit_table(t, policy, sdc_audit_time_limit(t), need, &a), 0);
    cr_assert(!a.timed_out);
    cr_assert(audit_proves_all(&a, need));
    cr_assert_gt(a.count, 5000);
    sdc_audit_free(&a);
    sdc_table_free(t);
    sdc_table_spec_free(spec);
    free(path);
    sdc_checker_free(ck);
    cr_assert_eq(temp_dir_remove(dir), 0);
}
