/*
 * cellkey.c - a grid's cells by integer coordinates (see cellkey.h).
 *
 * Open addressing with linear probing throughout: the tables are filled
 * once and never shrink, and a probe is a few integer compares.
 */
#include <stdlib.h>
#include <string.h>

#include "table/cellkey.h"

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static uint64_t mix(uint64_t h, uint32_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDULL;
}

/* The tuple of cell I without dimension SKIP (SKIP >= dims: the whole tuple). */
static uint64_t hash_tuple(const uint32_t *id, size_t dims, size_t skip)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    for (size_t d = 0; d < dims; d++)
        if (d != skip)
            h = mix(h, id[d]);
    return h ^ (h >> 29);
}

static bool same_tuple(const uint32_t *a, const uint32_t *b, size_t dims, size_t skip)
{
    for (size_t d = 0; d < dims; d++)
        if (d != skip && a[d] != b[d])
            return false;
    return true;
}

static size_t pow2_above(size_t n)
{
    size_t c = 16;
    while (c < 2 * n)
        c *= 2;
    return c;
}

/* Interns coordinate D of every cell: equal strings get equal ids. */
static int intern_dim(const sdc_grid *g, size_t d, uint32_t *id, size_t dims)
{
    size_t cap = 1024, used = 0;
    uint32_t *slot = calloc(cap, sizeof *slot); /* representative cell + 1 */
    if (!slot)
        return -1;
    for (size_t i = 0; i < g->count; i++) {
        if (2 * (used + 1) > cap) {
            size_t ncap = cap * 2;
            uint32_t *ns = calloc(ncap, sizeof *ns);
            if (!ns) {
                free(slot);
                return -1;
            }
            for (size_t s = 0; s < cap; s++) {
                if (!slot[s])
                    continue;
                size_t h = hash_str(g->cells[slot[s] - 1].coord[d]) & (ncap - 1);
                while (ns[h])
                    h = (h + 1) & (ncap - 1);
                ns[h] = slot[s];
            }
            free(slot);
            slot = ns;
            cap = ncap;
        }
        const char *s = g->cells[i].coord[d];
        size_t h = hash_str(s) & (cap - 1);
        while (slot[h] && strcmp(g->cells[slot[h] - 1].coord[d], s) != 0)
            h = (h + 1) & (cap - 1);
        if (!slot[h]) {
            slot[h] = (uint32_t)i + 1;
            id[i * dims + d] = (uint32_t)used++;
        } else {
            id[i * dims + d] = id[(slot[h] - 1) * dims + d];
        }
    }
    free(slot);
    return 0;
}

int sdc_cellkey_build(const sdc_grid *g, sdc_cellkey *k)
{
    memset(k, 0, sizeof *k);
    size_t n = g->count, dims = g->dims;
    k->count = n;
    k->dims = dims;
    k->hcap = pow2_above(n);
    k->id = malloc((n * dims + 1) * sizeof *k->id);
    k->line = malloc((n * dims + 1) * sizeof *k->line);
    k->slot = calloc(k->hcap, sizeof *k->slot);
    uint32_t *rep = calloc(k->hcap, sizeof *rep); /* per line: representative + 1 */
    uint32_t *rep_line = malloc(k->hcap * sizeof *rep_line);
    if (!k->id || !k->line || !k->slot || !rep || !rep_line)
        goto oom;
    for (size_t d = 0; d < dims; d++)
        if (intern_dim(g, d, k->id, dims) < 0)
            goto oom;
    size_t mask = k->hcap - 1;
    for (size_t i = 0; i < n; i++) {
        size_t h = hash_tuple(k->id + i * dims, dims, dims) & mask;
        while (k->slot[h] &&
               !same_tuple(k->id + (k->slot[h] - 1) * dims, k->id + i * dims, dims, dims))
            h = (h + 1) & mask;
        if (!k->slot[h]) /* a repeated tuple keeps its first cell */
            k->slot[h] = (uint32_t)i + 1;
    }
    /* Lines: cells agreeing on every coordinate but D. */
    size_t nlines = 0;
    for (size_t d = 0; d < dims; d++) {
        memset(rep, 0, k->hcap * sizeof *rep);
        for (size_t i = 0; i < n; i++) {
            size_t h = hash_tuple(k->id + i * dims, dims, d) & mask;
            while (rep[h] && !same_tuple(k->id + (rep[h] - 1) * dims, k->id + i * dims, dims, d))
                h = (h + 1) & mask;
            if (!rep[h]) {
                rep[h] = (uint32_t)i + 1;
                rep_line[h] = (uint32_t)nlines++;
            }
            k->line[d * n + i] = rep_line[h];
        }
    }
    k->nlines = nlines;
    k->line_start = calloc(nlines + 2, sizeof *k->line_start);
    k->members = malloc((n * dims + 1) * sizeof *k->members);
    k->line_total = malloc((nlines + 1) * sizeof *k->line_total);
    k->line_dim = malloc((nlines + 1) * sizeof *k->line_dim);
    if (!k->line_start || !k->members || !k->line_total || !k->line_dim)
        goto oom;
    for (size_t x = 0; x < n * dims; x++)
        k->line_start[k->line[x] + 1]++;
    for (size_t l = 0; l < nlines; l++)
        k->line_start[l + 1] += k->line_start[l];
    for (size_t l = 0; l < nlines; l++)
        k->line_total[l] = -1;
    uint32_t *fill = rep; /* reused: next free slot of each line */
    if (nlines > k->hcap) {
        fill = calloc(nlines, sizeof *fill);
        if (!fill)
            goto oom;
        free(rep);
        rep = fill;
    }
    memcpy(fill, k->line_start, nlines * sizeof *fill);
    for (size_t d = 0; d < dims; d++)
        for (size_t i = 0; i < n; i++) {
            uint32_t l = k->line[d * n + i];
            k->members[fill[l]++] = (uint32_t)i;
            k->line_dim[l] = (uint32_t)d;
            if (g->cells[i].coord_total[d] && k->line_total[l] < 0)
                k->line_total[l] = (int64_t)i;
        }
    /* A total with no parts beside it (the grand total along a nested
     * column, whose margins repeat no child) is no equation. */
    for (size_t l = 0; l < nlines; l++) {
        bool part = false;
        for (uint32_t q = k->line_start[l]; q < k->line_start[l + 1] && !part; q++)
            part = !g->cells[k->members[q]].coord_total[k->line_dim[l]];
        if (!part)
            k->line_total[l] = -1;
    }
    free(rep);
    free(rep_line);
    return 0;
oom:
    free(rep);
    free(rep_line);
    sdc_cellkey_free(k);
    return -1;
}

long sdc_cellkey_find(const sdc_cellkey *k, const uint32_t *ids)
{
    size_t mask = k->hcap - 1;
    size_t h = hash_tuple(ids, k->dims, k->dims) & mask;
    while (k->slot[h]) {
        if (same_tuple(k->id + (k->slot[h] - 1) * k->dims, ids, k->dims, k->dims))
            return (long)k->slot[h] - 1;
        h = (h + 1) & mask;
    }
    return -1;
}

void sdc_cellkey_free(sdc_cellkey *k)
{
    free(k->id);
    free(k->line);
    free(k->line_start);
    free(k->members);
    free(k->line_total);
    free(k->line_dim);
    free(k->slot);
    memset(k, 0, sizeof *k);
}
