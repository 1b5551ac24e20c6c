/*
 * gen.c - deterministic benchmark inputs for bench/run.sh.
 *
 *   gen records BYTES > FILE    record-level CSV (id,region,sex,age,income,date)
 *                               of at most BYTES bytes, whole rows only
 *   gen tables DIR COUNT        COUNT small wide crosstabs DIR/table-NNNN.csv
 *   gen areas RECORDS AREAS > FILE
 *                               RECORDS records (id,area,sex,income) over AREAS
 *                               small areas of Zipf-like size (area a holds about
 *                               RECORDS / ((a + 1) ln AREAS) records, so the last
 *                               ones are small) with a Pareto income (x_m 10000,
 *                               alpha 1.2): bench/suppress.sh's
 *                               small-area tables, where dominance decides many cells
 *   gen areas RECORDS AREAS nested > FILE
 *                               the same records with a hierarchy
 *                               (id,region,la,area,sex,income): area a in
 *                               local authority a / 30, that in region
 *                               a / 300 (bench/modular.sh)
 *   gen grid RECORDS N > FILE   RECORDS records (id,x,y,income) over an N x N
 *                               grid of cells: 5% of the cells hold 1 to 9
 *                               records, every other at least 10 (10 plus an
 *                               even share of what is left); income uniform
 *                               5000 to 124999
 *   gen nested RECORDS [SEED] > FILE
 *                               RECORDS records (id,country,region,sex,age,
 *                               ethnicity,year,income) for bench/gen5d.c's
 *                               5-D table: country 5 > region 8 (C0R0 lies in
 *                               C0 only), sex 2, age 20, ethnicity 17, year 18
 *                               (489,600 bottom cells). In 18.5% of the
 *                               country-region-age-ethnicity-year groups both
 *                               sexes hold 3 to 9 records, as in gen5d.c (about
 *                               10% of the cells with margins are small); every
 *                               other cell at least 10; income as for grid.
 *                               SEED (default 0, the bench's table) draws
 *                               other small groups and records
 *   gen cube SIZES [SEED] > FILE
 *                               a table, not records: counts by every
 *                               combination of up to 6 dimensions of the
 *                               SIZES given (12x10x8x8), every margin
 *                               (a row per cell, "Total" for a dimension's
 *                               total); 18% of the inner cells 1 to 9, the
 *                               rest 10 to 60 (bench/cube.sh)
 *
 * grid and nested fix each cell's count first, then write the records in a
 * shuffled order (a file sorted by cell would flatter every aggregator).
 *
 * Record rows come from a fixed-seed xorshift64* generator and are formatted
 * by hand into a 1 MiB buffer: printf would make generating 1 GiB slower than
 * checking it. The same seed and the same row order mean that a smaller BYTES
 * gives an exact prefix of a larger file, which is what run.sh relies on to
 * show that memory does not grow with the number of rows.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_BUFFER (1u << 20)

static const char *const regions[] = {
    "North East",    "North West",    "Yorkshire and The Humber",
    "East Midlands", "West Midlands", "East of England",
    "London",        "South East",    "South West",
    "Wales",         "Scotland",      "Northern Ireland",
};
#define N_REGIONS (sizeof regions / sizeof regions[0])

typedef struct rng {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *g)
{
    uint64_t x = g->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    g->state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* A value in [0, n). The modulo bias is irrelevant for benchmark data. */
static unsigned rng_below(rng *g, unsigned n)
{
    return (unsigned)((rng_next(g) >> 33) % n);
}

/* Appends the decimal digits of V at P; returns the new end. */
static char *put_uint(char *p, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

/* Appends V as exactly WIDTH digits, zero-padded. */
static char *put_uint_width(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/* Formats record ID into ROW (at least 128 bytes); returns its length. */
static size_t format_record(char *row, uint64_t id, rng *g)
{
    static const unsigned char month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    char *p = row;
    unsigned month = rng_below(g, 12);

    p = put_uint(p, id);
    *p++ = ',';
    *p++ = '"'; /* strings quoted, as R's write.csv does */
    p = put_str(p, regions[rng_below(g, N_REGIONS)]);
    *p++ = '"';
    *p++ = ',';
    p = put_str(p, rng_below(g, 2) ? "Female" : "Male");
    *p++ = ',';
    p = put_uint(p, 16 + rng_below(g, 75));
    *p++ = ',';
    p = put_uint(p, 5000 + rng_below(g, 120000));
    *p++ = '.';
    p = put_uint_width(p, rng_below(g, 100), 2);
    p = put_str(p, ",2023-");
    p = put_uint_width(p, month + 1, 2);
    *p++ = '-';
    p = put_uint_width(p, 1 + rng_below(g, month_days[month]), 2);
    *p++ = '\n';
    return (size_t)(p - row);
}

static int write_all(FILE *out, const char *buf, size_t len)
{
    if (fwrite(buf, 1, len, out) != len) {
        fprintf(stderr, "gen: write failed: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

static int gen_records(unsigned long long limit, FILE *out)
{
    static const char header[] = "id,region,sex,age,income,date\n";
    char *buf = malloc(OUT_BUFFER);
    rng g = {0x9E3779B97F4A7C15ULL};
    unsigned long long written = sizeof header - 1;
    size_t used = 0;
    char row[128];

    if (buf == NULL) {
        fprintf(stderr, "gen: out of memory\n");
        return -1;
    }
    if (limit < written) {
        free(buf);
        return 0;
    }
    memcpy(buf, header, sizeof header - 1);
    used = sizeof header - 1;
    for (uint64_t id = 1;; id++) {
        size_t n = format_record(row, id, &g);
        if (written + n > limit)
            break;
        if (used + n > OUT_BUFFER) {
            if (write_all(out, buf, used) != 0)
                goto fail;
            used = 0;
        }
        memcpy(buf + used, row, n);
        used += n;
        written += n;
    }
    if (write_all(out, buf, used) != 0 || fflush(out) != 0)
        goto fail;
    free(buf);
    return 0;
fail:
    free(buf);
    return -1;
}

/*
 * One ~10 x 5 wide crosstab: area by age band with a Total column. Every
 * fourth table has one small count (1..9), as a real submission would.
 */
static int gen_table(const char *path, unsigned index, rng *g)
{
    static const char *const bands[] = {"16-24", "25-44", "45-64", "65+"};
    FILE *f = fopen(path, "w");
    unsigned col_sum[4] = {0, 0, 0, 0};
    unsigned grand = 0;

    if (f == NULL) {
        fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    fputs("area", f);
    for (size_t b = 0; b < 4; b++)
        fprintf(f, ",%s", bands[b]);
    fputs(",Total\n", f);
    for (unsigned r = 0; r < 10; r++) {
        unsigned row_sum = 0;
        fprintf(f, "%s %u", regions[(index + r) % N_REGIONS], r + 1);
        for (unsigned b = 0; b < 4; b++) {
            unsigned v = 40 + rng_below(g, 400);
            if (index % 4 == 0 && r == index % 10 && b == index % 4)
                v = 1 + rng_below(g, 9);
            fprintf(f, ",%u", v);
            row_sum += v;
            col_sum[b] += v;
        }
        fprintf(f, ",%u\n", row_sum);
        grand += row_sum;
    }
    fprintf(f, "Total,%u,%u,%u,%u,%u\n", col_sum[0], col_sum[1], col_sum[2], col_sum[3], grand);
    if (fclose(f) != 0) {
        fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int gen_tables(const char *dir, unsigned count)
{
    rng g = {0xD1B54A32D192ED03ULL};
    char path[4096];

    for (unsigned i = 1; i <= count; i++) {
        int n = snprintf(path, sizeof path, "%s/table-%04u.csv", dir, i);
        if (n < 0 || (size_t)n >= sizeof path) {
            fprintf(stderr, "gen: path too long\n");
            return -1;
        }
        if (gen_table(path, i, &g) != 0)
            return -1;
    }
    return 0;
}

/* A uniform double in (0, 1]. */
static double rng_unit(rng *g)
{
    return ((double)(rng_next(g) >> 11) + 1.0) / 9007199254740992.0;
}

/* Areas sit in local authorities of 30 and those in regions of 10 when
 * NESTED (columns region, la, area: `gen areas RECORDS AREAS nested`). */
static int gen_areas(unsigned long long records, unsigned areas, bool nested, FILE *out)
{
    rng g = {0xA0761D6478BD642FULL};
    char *buf = malloc(OUT_BUFFER);
    size_t used = 0;
    if (buf == NULL) {
        fprintf(stderr, "gen: out of memory\n");
        return -1;
    }
    used = (size_t)sprintf(buf, nested ? "id,region,la,area,sex,income\n" : "id,area,sex,income\n");
    for (unsigned long long id = 1; id <= records; id++) {
        if (used + 128 > OUT_BUFFER) {
            if (write_all(out, buf, used) != 0)
                goto fail;
            used = 0;
        }
        /* Zipf-like: P(area <= x) = ln(x + 1) / ln(AREAS + 1). */
        unsigned a = (unsigned)(exp(rng_unit(&g) * log((double)areas + 1.0)) - 1.0);
        if (a >= areas)
            a = areas - 1;
        /* Pareto by inversion: x_m / u^(1/alpha), capped at 10^9. */
        double income = 10000.0 / pow(rng_unit(&g), 1.0 / 1.2);
        if (income > 1e9)
            income = 1e9;
        char *p = buf + used;
        p = put_uint(p, id);
        if (nested) {
            p = put_str(p, ",R");
            p = put_uint_width(p, a / 300 + 1, 3);
            p = put_str(p, ",L");
            p = put_uint_width(p, a / 30 + 1, 5);
        }
        p = put_str(p, ",A");
        p = put_uint_width(p, a + 1, 6);
        p = put_str(p, rng_below(&g, 2) ? ",Female," : ",Male,");
        p = put_uint(p, (uint64_t)income);
        *p++ = '\n';
        used = (size_t)(p - buf);
    }
    if (write_all(out, buf, used) != 0 || fflush(out) != 0)
        goto fail;
    free(buf);
    return 0;
fail:
    free(buf);
    return -1;
}

/* Labels of cell C: appends ",label,label..." (no id, no income). */
typedef char *(*cell_labels)(char *p, uint32_t c, const void *shape);

/*
 * Fills COUNT[0..CELLS) for RECORDS records: the cells FLAGGED small (flag
 * 1) get 3 to 9 records if MIN_SMALL is 3, else 1 to 9; the others get 10
 * plus an even random share of what remains. Returns -1 when RECORDS
 * cannot cover that.
 */
static int share_out(uint32_t *count, const unsigned char *small, size_t cells,
                     unsigned long long records, unsigned min_small, rng *g)
{
    unsigned long long fixed = 0;
    size_t big = 0;
    for (size_t c = 0; c < cells; c++) {
        if (small[c]) {
            count[c] = min_small + rng_below(g, 10 - min_small);
        } else {
            count[c] = 10;
            big++;
        }
        fixed += count[c];
    }
    if (fixed > records || (big == 0 && fixed != records)) {
        fprintf(stderr, "gen: %llu records are too few for %zu cells (at least %llu)\n", records,
                cells, fixed);
        return -1;
    }
    size_t *bigs = malloc((big ? big : 1) * sizeof *bigs);
    if (bigs == NULL) {
        fprintf(stderr, "gen: out of memory\n");
        return -1;
    }
    for (size_t c = 0, k = 0; c < cells; c++)
        if (!small[c])
            bigs[k++] = c;
    for (unsigned long long r = fixed; r < records; r++)
        count[bigs[(size_t)(rng_next(g) % big)]]++;
    free(bigs);
    return 0;
}

/* Writes COUNT[c] records of each cell c in a shuffled order: id, the
 * labels LABELS writes, a uniform income. */
static int write_cells(const uint32_t *count, size_t cells, unsigned long long records,
                       const char *header, cell_labels labels, const void *shape, rng *g, FILE *out)
{
    uint32_t *rec = malloc((records ? records : 1) * sizeof *rec);
    char *buf = malloc(OUT_BUFFER);
    size_t used = 0;
    if (rec == NULL || buf == NULL) {
        fprintf(stderr, "gen: out of memory\n");
        goto fail;
    }
    for (size_t c = 0, k = 0; c < cells; c++)
        for (uint32_t i = 0; i < count[c]; i++)
            rec[k++] = (uint32_t)c;
    for (unsigned long long i = records; i > 1; i--) { /* Fisher-Yates */
        unsigned long long j = rng_next(g) % i;
        uint32_t t = rec[i - 1];
        rec[i - 1] = rec[j];
        rec[j] = t;
    }
    used = (size_t)sprintf(buf, "%s\n", header);
    for (unsigned long long id = 1; id <= records; id++) {
        if (used + 256 > OUT_BUFFER) {
            if (write_all(out, buf, used) != 0)
                goto fail;
            used = 0;
        }
        char *p = buf + used;
        p = put_uint(p, id);
        p = labels(p, rec[id - 1], shape);
        *p++ = ',';
        p = put_uint(p, 5000 + rng_below(g, 120000));
        *p++ = '\n';
        used = (size_t)(p - buf);
    }
    if (write_all(out, buf, used) != 0 || fflush(out) != 0)
        goto fail;
    free(rec);
    free(buf);
    return 0;
fail:
    free(rec);
    free(buf);
    return -1;
}

static char *grid_labels(char *p, uint32_t c, const void *shape)
{
    unsigned n = *(const unsigned *)shape;
    p = put_str(p, ",X");
    p = put_uint_width(p, c / n, 4);
    p = put_str(p, ",Y");
    return put_uint_width(p, c % n, 4);
}

static int gen_grid(unsigned long long records, unsigned n, FILE *out)
{
    rng g = {0x94D049BB133111EBULL};
    size_t cells = (size_t)n * n;
    uint32_t *count = malloc(cells * sizeof *count);
    unsigned char *small = malloc(cells);
    int rc = -1;
    if (count == NULL || small == NULL) {
        fprintf(stderr, "gen: out of memory\n");
        goto done;
    }
    for (size_t c = 0; c < cells; c++)
        small[c] = rng_below(&g, 100) < 5;
    if (share_out(count, small, cells, records, 1, &g) == 0)
        rc = write_cells(count, cells, records, "id,x,y,income", grid_labels, &n, &g, out);
done:
    free(count);
    free(small);
    return rc;
}

/* bench/gen5d.c's shape, bottom cells only: country, region within it, sex,
 * age, ethnicity, year; the cell index runs over them in that order. */
enum { NEST_C = 5, NEST_R = 8, NEST_S = 2, NEST_A = 20, NEST_E = 17, NEST_Y = 18 };
#define NEST_SMALL_PER_MILLE 185

static char *nested_labels(char *p, uint32_t c, const void *shape)
{
    (void)shape;
    unsigned y = c % NEST_Y, e = c / NEST_Y % NEST_E, a = c / NEST_Y / NEST_E % NEST_A;
    unsigned s = c / NEST_Y / NEST_E / NEST_A % NEST_S;
    unsigned r = c / NEST_Y / NEST_E / NEST_A / NEST_S % NEST_R;
    unsigned k = c / NEST_Y / NEST_E / NEST_A / NEST_S / NEST_R;
    p = put_str(p, ",C");
    p = put_uint(p, k);
    p = put_str(p, ",C");
    p = put_uint(p, k);
    *p++ = 'R';
    p = put_uint(p, r);
    p = put_str(p, ",S");
    p = put_uint_width(p, s, 2);
    p = put_str(p, ",A");
    p = put_uint_width(p, a, 2);
    p = put_str(p, ",E");
    p = put_uint_width(p, e, 2);
    p = put_str(p, ",Y");
    return put_uint_width(p, y, 2);
}

static int gen_nested(unsigned long long records, uint64_t seed, FILE *out)
{
    /* SEED 0 is the bench's table; another draws other small cells and
     * other records (xorshift64*'s state is never 0: 0 is kept for 0). */
    rng g = {0xBF58476D1CE4E5B9ULL ^ (seed * 0x9E3779B97F4A7C15ULL)};
    if (g.state == 0)
        g.state = 0xBF58476D1CE4E5B9ULL;
    const size_t group = (size_t)NEST_A * NEST_E * NEST_Y; /* cells of one sex */
    const size_t cells = (size_t)NEST_C * NEST_R * NEST_S * group;
    uint32_t *count = malloc(cells * sizeof *count);
    unsigned char *small = malloc(cells);
    int rc = -1;
    if (count == NULL || small == NULL) {
        fprintf(stderr, "gen: out of memory\n");
        goto done;
    }
    /* A small group is small for both sexes, so that neither sex holds
     * most of it (no group disclosure): the primaries are the threshold's. */
    for (size_t cr = 0; cr < (size_t)NEST_C * NEST_R; cr++)
        for (size_t i = 0; i < group; i++) {
            unsigned char is_small = rng_below(&g, 1000) < NEST_SMALL_PER_MILLE;
            for (size_t s = 0; s < NEST_S; s++)
                small[(cr * NEST_S + s) * group + i] = is_small;
        }
    if (share_out(count, small, cells, records, 3, &g) == 0)
        rc = write_cells(count, cells, records, "id,country,region,sex,age,ethnicity,year,income",
                         nested_labels, NULL, &g, out);
done:
    free(count);
    free(small);
    return rc;
}

/* gen cube: SIZES ("12x10x8x8") into N and *DIMS; 0, or -1 when malformed. */
static int cube_sizes(const char *sizes, unsigned n[6], unsigned *dims)
{
    *dims = 0;
    for (const char *p = sizes;;) {
        char *end;
        unsigned long v = strtoul(p, &end, 10);
        if (end == p || v == 0 || v > 99 || *dims == 6)
            return -1;
        n[(*dims)++] = (unsigned)v;
        if (*end == '\0')
            return 0;
        if (*end != 'x')
            return -1;
        p = end + 1;
    }
}

static int gen_cube(const unsigned n[6], unsigned dims, unsigned long long seed, FILE *out)
{
    /* every cell with margins: coordinate k runs 0 .. n[k], n[k] its total */
    size_t cells = 1, inner = 1;
    for (unsigned k = 0; k < dims; k++) {
        cells *= n[k] + 1;
        inner *= n[k];
    }
    if (cells > 50000000) {
        fprintf(stderr, "gen: a cube of %zu cells is too large\n", cells);
        return -1;
    }
    long *v = calloc(cells, sizeof *v);
    if (v == NULL) {
        fprintf(stderr, "gen: out of memory\n");
        return -1;
    }
    rng g = {0x2545F4914F6CDD1DULL ^ (seed * 0x9E3779B97F4A7C15ULL)};
    if (g.state == 0)
        g.state = 1;
    for (size_t i = 0; i < inner; i++) {
        unsigned at[6];
        size_t rest = i;
        for (unsigned k = dims; k-- > 0;) {
            at[k] = (unsigned)(rest % n[k]);
            rest /= n[k];
        }
        long x =
            rng_below(&g, 1000) < 180 ? 1 + (long)rng_below(&g, 9) : 10 + (long)rng_below(&g, 51);
        /* into every cell the inner one lies in: each coordinate its own
         * or the total */
        for (unsigned m = 0; m < 1u << dims; m++) {
            size_t c = 0;
            for (unsigned k = 0; k < dims; k++)
                c = c * (n[k] + 1) + (m >> k & 1 ? n[k] : at[k]);
            v[c] += x;
        }
    }
    for (unsigned k = 0; k < dims; k++)
        fprintf(out, "%c,", 'a' + k);
    fputs("n\n", out);
    for (size_t c = 0; c < cells; c++) {
        unsigned at[6];
        size_t rest = c;
        for (unsigned k = dims; k-- > 0;) {
            at[k] = (unsigned)(rest % (n[k] + 1));
            rest /= n[k] + 1;
        }
        for (unsigned k = 0; k < dims; k++)
            if (at[k] == n[k])
                fputs("Total,", out);
            else
                fprintf(out, "%c%u,", 'A' + k, at[k]);
        fprintf(out, "%ld\n", v[c]);
    }
    free(v);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

static void usage(void)
{
    fputs("usage: gen records BYTES > FILE\n"
          "       gen tables DIR COUNT\n"
          "       gen areas RECORDS AREAS [nested] > FILE\n"
          "       gen grid RECORDS N > FILE\n"
          "       gen nested RECORDS [SEED] > FILE\n"
          "       gen cube SIZES [SEED] > FILE\n",
          stderr);
}

int main(int argc, char **argv)
{
    char *end;

    if (argc == 3 && strcmp(argv[1], "records") == 0) {
        unsigned long long limit = strtoull(argv[2], &end, 10);
        if (*end != '\0') {
            usage();
            return 2;
        }
        return gen_records(limit, stdout) == 0 ? 0 : 1;
    }
    if (argc == 4 && strcmp(argv[1], "tables") == 0) {
        unsigned long count = strtoul(argv[3], &end, 10);
        if (*end != '\0' || count > 9999) {
            usage();
            return 2;
        }
        return gen_tables(argv[2], (unsigned)count) == 0 ? 0 : 1;
    }
    if ((argc == 4 || (argc == 5 && strcmp(argv[4], "nested") == 0)) &&
        strcmp(argv[1], "areas") == 0) {
        unsigned long long records = strtoull(argv[2], &end, 10);
        if (*end != '\0') {
            usage();
            return 2;
        }
        unsigned long areas = strtoul(argv[3], &end, 10);
        if (*end != '\0' || areas == 0 || areas > 999999) {
            usage();
            return 2;
        }
        return gen_areas(records, (unsigned)areas, argc == 5, stdout) == 0 ? 0 : 1;
    }
    if (argc == 4 && strcmp(argv[1], "grid") == 0) {
        unsigned long long records = strtoull(argv[2], &end, 10);
        if (*end != '\0' || records > UINT32_MAX) {
            usage();
            return 2;
        }
        unsigned long n = strtoul(argv[3], &end, 10);
        if (*end != '\0' || n == 0 || n > 9999) {
            usage();
            return 2;
        }
        return gen_grid(records, (unsigned)n, stdout) == 0 ? 0 : 1;
    }
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "nested") == 0) {
        unsigned long long records = strtoull(argv[2], &end, 10);
        if (*end != '\0' || records > UINT32_MAX) {
            usage();
            return 2;
        }
        unsigned long long seed = 0;
        if (argc == 4) {
            seed = strtoull(argv[3], &end, 10);
            if (*end != '\0' || argv[3][0] == '\0') {
                usage();
                return 2;
            }
        }
        return gen_nested(records, seed, stdout) == 0 ? 0 : 1;
    }
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "cube") == 0) {
        unsigned n[6], dims;
        unsigned long long seed = 0;
        if (cube_sizes(argv[2], n, &dims) < 0) {
            usage();
            return 2;
        }
        if (argc == 4) {
            seed = strtoull(argv[3], &end, 10);
            if (*end != '\0' || argv[3][0] == '\0') {
                usage();
                return 2;
            }
        }
        return gen_cube(n, dims, seed, stdout) == 0 ? 0 : 1;
    }
    usage();
    return 2;
}
