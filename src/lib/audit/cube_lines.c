/*
 * cube_lines.c - each line's cells by value (see cube_lines.h).
 */
#include <stdlib.h>
#include <string.h>

#include "audit/cube.h"
#include "audit/cube_lines.h"

typedef struct sort_ctx {
    const double *value;
} sort_ctx;

/* By value, then by cell: the same order on every run. */
static int cmp_slot(const void *a, const void *b, void *vctx)
{
    const sort_ctx *c = vctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    double vx = c->value[x], vy = c->value[y];
    if (vx != vy)
        return vx < vy ? -1 : 1;
    return (x > y) - (x < y);
}

/* Lines of at most this many parts are sorted by insertion, the rest by
 * qsort_r: cmp_slot orders every two cells, so both give the same order.
 * Most lines are short (the 5-D bench table's hold at most 21 parts), and
 * glibc's qsort_r merges through a comparison called by pointer: each of
 * the default mode's three builds of the index there took 0.17 to 0.31 s
 * instead of 0.28 to 0.38 s (two runs each), writing the same bytes. */
#define INSERTION_MAX 32

static void sort_line(uint32_t *c, size_t n, const sort_ctx *sc)
{
    if (n > INSERTION_MAX) {
        qsort_r(c, n, sizeof *c, cmp_slot, (void *)sc);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t v = c[i];
        size_t j = i;
        while (j > 0 && cmp_slot(&c[j - 1], &v, (void *)sc) > 0) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = v;
    }
}

static void set_bit(sdc_cube_lines *x, int set, size_t s)
{
    size_t w = s >> 6;
    x->bits[set][w] |= 1ULL << (s & 63);
    x->sum[set][w >> 6] |= 1ULL << (w & 63);
}

static void clear_bit(sdc_cube_lines *x, int set, size_t s)
{
    size_t w = s >> 6;
    x->bits[set][w] &= ~(1ULL << (s & 63));
    if (!x->bits[set][w])
        x->sum[set][w >> 6] &= ~(1ULL << (w & 63));
}

/* A summary word's slots: where each value of the layout's coordinate
 * starts. */
#define GROUP_ALIGN 4096u

/* Line L's group in the layout by coordinate PART: that coordinate's
 * value on its cells, or past them all for a line along PART. */
static size_t line_group(const sdc_cellkey *k, size_t l, size_t part)
{
    if (k->line_dim[l] == part)
        return k->distinct[part];
    size_t n;
    const uint32_t *m = sdc_cellkey_members(k, (uint32_t)l, &n);
    return k->id[(size_t)m[0] * k->dims + part];
}

/* Each line's first slot and end, from its parts (in X->end), in line
 * order or one group of PART after another. Returns the slots in all
 * (with the groups' padding), or SIZE_MAX when out of memory or past 32
 * bits. */
static size_t lay_out(sdc_cube_lines *x, const sdc_cellkey *k, long part)
{
    size_t pos = 0;
    if (part < 0) {
        for (size_t l = 0; l < k->nlines; l++) {
            x->start[l] = (uint32_t)pos;
            pos += x->end[l];
            x->end[l] = (uint32_t)pos;
        }
        return pos;
    }
    size_t groups = (size_t)k->distinct[part] + 1;
    size_t *at = calloc(groups + 1, sizeof *at);
    if (!at)
        return SIZE_MAX;
    for (size_t l = 0; l < k->nlines; l++)
        at[line_group(k, l, (size_t)part)] += x->end[l];
    for (size_t gr = 0; gr < groups; gr++) {
        size_t n = at[gr];
        at[gr] = pos;
        pos += (n + GROUP_ALIGN - 1) / GROUP_ALIGN * GROUP_ALIGN;
    }
    for (size_t l = 0; l < k->nlines && pos <= UINT32_MAX; l++) {
        size_t gr = line_group(k, l, (size_t)part);
        x->start[l] = (uint32_t)at[gr];
        at[gr] += x->end[l];
        x->end[l] = (uint32_t)at[gr];
    }
    free(at);
    return pos <= UINT32_MAX ? pos : SIZE_MAX;
}

int sdc_cube_lines_build(sdc_cube_lines *x, const sdc_cellkey *k, const sdc_grid *g,
                         const unsigned char *state, const double *value, long part)
{
    memset(x, 0, sizeof *x);
    x->k = k;
    x->value = value;
    x->start = malloc((k->nlines + 1) * sizeof *x->start);
    x->end = malloc((k->nlines + 1) * sizeof *x->end);
    x->slot = malloc((k->count * k->dims + 1) * sizeof *x->slot);
    if (!x->start || !x->end || !x->slot)
        goto fail;
    for (size_t i = 0; i < k->count * k->dims; i++)
        x->slot[i] = UINT32_MAX;
    for (size_t l = 0; l < k->nlines; l++) {
        size_t n, d = k->line_dim[l], parts = 0;
        const uint32_t *m = sdc_cellkey_members(k, (uint32_t)l, &n);
        for (size_t j = 0; j < n; j++)
            parts += state[m[j]] != SDC_CUBE_NO && !g->cells[m[j]].coord_total[d];
        x->end[l] = (uint32_t)parts;
    }
    x->nslots = lay_out(x, k, part);
    if (x->nslots == SIZE_MAX)
        goto fail;
    size_t words = (x->nslots + 63) / 64 + 1, sums = words / 64 + 1;
    x->cell = malloc((x->nslots + 1) * sizeof *x->cell);
    for (int s = 0; s < 2; s++) {
        x->bits[s] = calloc(words, sizeof *x->bits[s]);
        x->sum[s] = calloc(sums, sizeof *x->sum[s]);
        if (!x->bits[s] || !x->sum[s])
            goto fail;
    }
    if (!x->cell)
        goto fail;
    sort_ctx sc = {.value = value};
    for (size_t l = 0; l < k->nlines; l++) {
        size_t n, d = k->line_dim[l], at = x->start[l];
        const uint32_t *m = sdc_cellkey_members(k, (uint32_t)l, &n);
        for (size_t j = 0; j < n; j++)
            if (state[m[j]] != SDC_CUBE_NO && !g->cells[m[j]].coord_total[d])
                x->cell[at++] = m[j];
        sort_line(x->cell + x->start[l], at - x->start[l], &sc);
        for (size_t s = x->start[l]; s < at; s++) {
            uint32_t c = x->cell[s];
            x->slot[d * k->count + c] = (uint32_t)s;
            set_bit(x, state[c] == SDC_CUBE_HIDDEN ? SDC_LINES_HIDDEN : SDC_LINES_PUBLISHED, s);
        }
    }
    return 0;
fail:
    sdc_cube_lines_free(x);
    return -1;
}

void sdc_cube_lines_hide_along(sdc_cube_lines *x, uint32_t i, size_t d)
{
    uint32_t s = x->slot[d * x->k->count + i];
    if (s == UINT32_MAX)
        return;
    clear_bit(x, SDC_LINES_PUBLISHED, s);
    set_bit(x, SDC_LINES_HIDDEN, s);
}

void sdc_cube_lines_hide(sdc_cube_lines *x, uint32_t i, long skip)
{
    for (size_t d = 0; d < x->k->dims; d++)
        if ((long)d != skip)
            sdc_cube_lines_hide_along(x, i, d);
}

size_t sdc_cube_lines_next(const sdc_cube_lines *x, int set, size_t from, size_t end)
{
    if (from >= end)
        return end;
    const uint64_t *bits = x->bits[set], *sum = x->sum[set];
    size_t w = from >> 6, last = (end - 1) >> 6;
    uint64_t word = bits[w] & (~0ULL << (from & 63));
    if (!word) {
        /* The next word with a bit on, from the summary. */
        size_t sw = w + 1;
        w = SIZE_MAX;
        while (sw <= last) {
            uint64_t sword = sum[sw >> 6] & (~0ULL << (sw & 63));
            if (sword) {
                w = ((sw >> 6) << 6) + (size_t)__builtin_ctzll(sword);
                break;
            }
            sw = ((sw >> 6) + 1) << 6;
        }
        if (w == SIZE_MAX || w > last)
            return end;
        word = bits[w];
    }
    size_t s = (w << 6) + (size_t)__builtin_ctzll(word);
    return s < end ? s : end;
}

size_t sdc_cube_lines_prev(const sdc_cube_lines *x, int set, size_t from, size_t start)
{
    if (from == SIZE_MAX || from < start)
        return SIZE_MAX;
    const uint64_t *bits = x->bits[set], *sum = x->sum[set];
    size_t w = from >> 6, first = start >> 6;
    uint64_t word = bits[w] & ((2ULL << (from & 63)) - 1);
    if (!word) {
        w = SIZE_MAX;
        size_t sw = (from >> 6);
        while (sw > first) {
            sw--;
            uint64_t sword = sum[sw >> 6] & ((2ULL << (sw & 63)) - 1);
            if (sword) {
                w = ((sw >> 6) << 6) + 63 - (size_t)__builtin_clzll(sword);
                break;
            }
            sw = (sw >> 6) << 6; /* the summary word is empty up to here */
        }
        if (w == SIZE_MAX || w < first)
            return SIZE_MAX;
        word = bits[w];
    }
    size_t s = (w << 6) + 63 - (size_t)__builtin_clzll(word);
    return s >= start ? s : SIZE_MAX;
}

size_t sdc_cube_lines_lower(const sdc_cube_lines *x, uint32_t line, double v)
{
    size_t lo = x->start[line], hi = x->end[line];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->value[x->cell[mid]] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void sdc_cube_lines_free(sdc_cube_lines *x)
{
    free(x->start);
    free(x->end);
    free(x->cell);
    free(x->slot);
    for (int s = 0; s < 2; s++) {
        free(x->bits[s]);
        free(x->sum[s]);
    }
    memset(x, 0, sizeof *x);
}
