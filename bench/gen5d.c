/*
 * gen5d.c - a 5-dimensional hierarchical count table for bench/fix.sh.
 *
 *   gen5d [SCALE] > FILE.csv
 *
 * Long form, one row per cell, every margin present with "Total" labels:
 * country (5) > region (8 per country, nested: a region belongs to one
 * country, and the row with region = Total is the country's subtotal),
 * sex (2), age (20), ethnicity (17), year (18). With SCALE 1 (the default)
 * that is about 990k rows, of which about 100k cells hold a count below
 * the threshold of 10. Margins are the exact sums. Fixed-seed xorshift: the same file every time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NC 5
#define NR 8
#define NS 2
#define NE 17
#define NY 18
#define SMALL_PER_MILLE 185

static uint64_t state = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)
{
    uint64_t x = state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

int main(int argc, char **argv)
{
    int na = argc > 1 ? atoi(argv[1]) * 20 : 20;
    if (na <= 0)
        na = 20;
    int size[6] = {NC, NR, NS, na, NE, NY};
    size_t stride[6], cells = 1;
    for (int d = 5; d >= 0; d--) {
        stride[d] = cells;
        cells *= (size_t)size[d] + 1;
    }
    long *v = calloc(cells, sizeof *v);
    if (!v)
        return 1;
    /* Bottom cells: small groups are small for both sexes (counts 3 to 9),
     * the others hold 50 to 300, so that neither sex holds 90% of a group
     * (group disclosure) and the primary cells are the threshold's. */
    for (size_t k = 0; k < cells; k++) {
        size_t rest = k;
        int bottom = 1, female = 0;
        for (int d = 0; d < 6; d++) {
            int i = (int)(rest / stride[d]);
            rest %= stride[d];
            bottom &= i < size[d];
            female |= d == 2 && i == 1;
        }
        if (!bottom || female)
            continue;
        uint64_t r = next() >> 33;
        int small = r % 1000 < SMALL_PER_MILLE;
        for (int s = 0; s < NS; s++) {
            uint64_t u = next() >> 33;
            v[k + (size_t)s * stride[2]] = small ? 3 + (long)(u % 7) : 50 + (long)(u % 251);
        }
    }
    /* Margins, one dimension after another: index size[d] is the total. */
    for (int d = 0; d < 6; d++)
        for (size_t k = 0; k < cells; k++) {
            if ((k / stride[d]) % ((size_t)size[d] + 1) != (size_t)size[d])
                continue;
            long s = 0;
            for (int i = 0; i < size[d]; i++)
                s += v[k - (size_t)(size[d] - i) * stride[d]];
            v[k] = s;
        }
    static char buf[1 << 20];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    printf("country,region,sex,age,ethnicity,year,n\n");
    for (size_t k = 0; k < cells; k++) {
        int idx[6];
        size_t rest = k;
        for (int d = 0; d < 6; d++) {
            idx[d] = (int)(rest / stride[d]);
            rest %= stride[d];
        }
        /* A region is nested in its country: no all-countries row per region. */
        if (idx[0] == NC && idx[1] < NR)
            continue;
        if (idx[0] == NC)
            printf("Total,Total,");
        else if (idx[1] == NR)
            printf("C%d,Total,", idx[0]);
        else
            printf("C%d,C%dR%d,", idx[0], idx[0], idx[1]);
        static const char prefix[4] = {'S', 'A', 'E', 'Y'};
        for (int d = 2; d < 6; d++) {
            if (idx[d] == size[d])
                printf("Total,");
            else
                printf("%c%02d,", prefix[d - 2], idx[d]);
        }
        printf("%ld\n", v[k]);
    }
    free(v);
    return 0;
}
