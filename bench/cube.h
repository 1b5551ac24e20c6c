/*
 * cube.h - five-dimensional tables for bench/optimal.c and the tests
 * (tests/test_optimal.c), one generator for both.
 */
#ifndef SDC_BENCH_CUBE_H
#define SDC_BENCH_CUBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static inline uint64_t cube_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* The CSV text of a long table of counts in five dimensions, N x N x 2 x
 * 2 x 2 categories with every margin (malloc'd): a cell below the
 * threshold (1 to 9) with PERCENT % chance, else 10 to 200. */
static inline char *sdc_bench_cube_csv(int n, uint64_t seed, int percent)
{
    const int size[5] = {n, n, 2, 2, 2};
    size_t ext[5], cells = 1;
    for (int d = 0; d < 5; d++)
        cells *= ext[d] = (size_t)size[d] + 1; /* index size[d]: Total */
    long *v = calloc(cells, sizeof *v);
    size_t cap = cells * 40 + 64, o = 0;
    char *s = malloc(cap);
    if (!v || !s) {
        free(v);
        free(s);
        return NULL;
    }
    uint64_t st = seed * 0x9E3779B97F4A7C15ULL + 5;
    size_t at[5];
    for (size_t i = 0; i < cells; i++) {
        size_t k = i;
        bool inner = true;
        for (int d = 4; d >= 0; d--) {
            at[d] = k % ext[d];
            k /= ext[d];
            inner &= at[d] < (size_t)size[d];
        }
        if (inner)
            v[i] = (int)(cube_next(&st) % 100) < percent ? 1 + (long)(cube_next(&st) % 9)
                                                    : 10 + (long)(cube_next(&st) % 191);
    }
    /* Totals along each dimension in turn: after the last, every margin. */
    size_t stride = cells;
    for (int d = 0; d < 5; d++) {
        stride /= ext[d];
        for (size_t i = 0; i < cells; i++)
            if (i / stride % ext[d] == (size_t)size[d])
                for (int c = 0; c < size[d]; c++)
                    v[i] += v[i - (size_t)(size[d] - c) * stride];
    }
    o += (size_t)snprintf(s + o, cap - o, "a,b,c,d,e,n\n");
    for (size_t i = 0; i < cells; i++) {
        size_t k = i;
        for (int d = 4; d >= 0; d--) {
            at[d] = k % ext[d];
            k /= ext[d];
        }
        for (int d = 0; d < 5; d++) {
            if (at[d] == (size_t)size[d])
                o += (size_t)snprintf(s + o, cap - o, "Total,");
            else
                o += (size_t)snprintf(s + o, cap - o, "%c%zu,", 'a' + d, at[d]);
        }
        o += (size_t)snprintf(s + o, cap - o, "%ld\n", v[i]);
    }
    free(v);
    return s;
}

#endif
