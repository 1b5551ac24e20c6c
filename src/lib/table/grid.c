/*
 * grid.c - cells as coordinates and the lines they form (see grid.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "table/grid.h"
#include "sdccheck/spec.h"

static bool is_count_column(const sdc_column *col)
{
    return col->role == SDC_COL_COUNT;
}

static bool is_total_label(const sdc_table *t, const sdc_policy *policy, const char *label)
{
    return sdc_strlist_contains(&policy->total_labels, label) ||
           sdc_table_spec_is_total(t->spec, label);
}

static uint64_t hash_label(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* is_total_label's last answers in one label column, by the label's text
 * (direct-mapped on a hash of it): a column's labels repeat down the
 * table, and the lists' case-blind comparisons were most of a grid's
 * time. The quick mode builds a dozen grids of the 5-D bench table
 * (991,116 rows, six label columns): 1.5 s of CPU in all, 0.4 s with
 * this (perf). */
#define TOTAL_MEMO 64

typedef struct total_memo {
    const char *text[TOTAL_MEMO];
    bool total[TOTAL_MEMO];
} total_memo;

static bool memo_is_total(total_memo *m, const sdc_table *t, const sdc_policy *policy,
                          const char *label)
{
    uint64_t h = hash_label(label);
    size_t slot = (size_t)(h ^ h >> 32) % TOTAL_MEMO;
    if (m->text[slot] && strcmp(m->text[slot], label) == 0)
        return m->total[slot];
    m->text[slot] = label;
    m->total[slot] = is_total_label(t, policy, label);
    return m->total[slot];
}

/* The text of a level's total in a column with declared levels. */
static const char level_total[] = "Total";

/* Ancestors of LABEL, root first, into PATH (at most MAX); returns the count. */
static size_t level_path(const sdc_table *t, const char *column, const char *label,
                         const char **path, size_t max)
{
    const char *chain[SDC_GRID_MAX_DIMS] = {0};
    size_t n = 0;
    for (const char *at = label; at && n < SDC_GRID_MAX_DIMS; n++) {
        chain[n] = at;
        at = sdc_table_spec_parent_label(t->spec, column, at);
    }
    size_t k = 0;
    for (size_t i = n; i-- > 0 && k < max;)
        path[k++] = chain[i];
    return k;
}

bool sdc_grid_next_measure(const sdc_table *t, size_t *at, long *measure)
{
    if (t->shape == SDC_SHAPE_WIDE) {
        *measure = -1;
        return (*at)++ == 0;
    }
    if (t->shape != SDC_SHAPE_LONG)
        return false;
    for (size_t c = *at; c < t->ncols; c++) {
        sdc_column_role role = t->columns[c].role;
        if (role == SDC_COL_COUNT || role == SDC_COL_MAGNITUDE) {
            *measure = (long)c;
            *at = c + 1;
            return true;
        }
    }
    *at = t->ncols;
    return false;
}

void sdc_grid_frame_init(const sdc_table *t, sdc_grid_frame *f)
{
    f->nl = 0;
    f->dims = 0;
    for (size_t c = 0; c < t->ncols && f->dims < SDC_GRID_MAX_DIMS - 1; c++) {
        const sdc_column *col = &t->columns[c];
        if (col->role != SDC_COL_LABEL || col->is_index)
            continue;
        sdc_grid_label *ld = &f->labels[f->nl++];
        ld->col = c;
        ld->levels = 1;
        ld->nested = sdc_table_spec_parent_column(t->spec, col->name) != NULL;
        ld->has_levels = sdc_table_spec_has_levels(t->spec, col->name);
        if (ld->has_levels) {
            const char *path[SDC_GRID_MAX_DIMS];
            for (size_t r = 0; r < t->nrows; r++) {
                size_t depth = level_path(t, col->name, sdc_table_cell(t, r, c)->text, path,
                                          SDC_GRID_MAX_DIMS);
                if (depth > ld->levels)
                    ld->levels = depth;
            }
            if (f->dims + ld->levels > SDC_GRID_MAX_DIMS - 1)
                ld->levels = SDC_GRID_MAX_DIMS - 1 - f->dims;
        }
        f->dims += ld->levels;
    }
}

int sdc_grid_build(const sdc_table *t, const sdc_policy *policy, long measure, sdc_grid *g)
{
    sdc_grid_frame f;
    sdc_grid_frame_init(t, &f);
    return sdc_grid_build_in(&f, t, policy, measure, g);
}

int sdc_grid_build_in(const sdc_grid_frame *f, const sdc_table *t, const sdc_policy *policy,
                      long measure, sdc_grid *g)
{
    bool wide = measure < 0;
    size_t dims = f->dims;
    g->dims = dims + (wide ? 1 : 0);
    g->count = 0;
    /* A long table's grid is one measure column; a crosstab's, its count
     * columns, listed once so that each row costs its cells, not the
     * table's width. */
    size_t ncols = 0;
    size_t *cols = NULL;
    if (wide) {
        for (size_t c = 0; c < t->ncols; c++)
            ncols += is_count_column(&t->columns[c]);
        cols = malloc((ncols + 1) * sizeof *cols);
        if (!cols)
            return -1;
        ncols = 0;
        for (size_t c = 0; c < t->ncols; c++)
            if (is_count_column(&t->columns[c]))
                cols[ncols++] = c;
    } else {
        ncols = (size_t)measure < t->ncols;
    }
    size_t n = t->nrows * ncols;
    g->cells = calloc(n + 1, sizeof *g->cells);
    g->coords = calloc(n * g->dims + 1, sizeof *g->coords);
    g->totals = calloc(n * g->dims + 1, sizeof *g->totals);
    if (!g->cells || !g->coords || !g->totals) {
        free(cols);
        sdc_grid_free(g);
        return -1;
    }
    total_memo *memo = calloc(f->nl + 1, sizeof *memo);
    if (!memo) {
        free(cols);
        sdc_grid_free(g);
        return -1;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        /* The row's coordinates, shared by its cells. */
        const char *coord[SDC_GRID_MAX_DIMS] = {0};
        bool total[SDC_GRID_MAX_DIMS] = {0};
        size_t d = 0;
        for (size_t l = 0; l < f->nl; l++) {
            const sdc_grid_label *ld = &f->labels[l];
            const char *text = sdc_table_cell(t, r, ld->col)->text;
            bool is_total = memo_is_total(&memo[l], t, policy, text) || (ld->nested && !text[0]);
            if (ld->levels == 1 && !ld->has_levels) {
                coord[d] = text;
                total[d++] = is_total;
                continue;
            }
            const char *path[SDC_GRID_MAX_DIMS];
            size_t depth =
                is_total ? 0 : level_path(t, t->columns[ld->col].name, text, path, ld->levels);
            for (size_t k = 0; k < ld->levels; k++, d++) {
                coord[d] = k < depth ? path[k] : level_total;
                total[d] = k >= depth;
            }
        }
        for (size_t i = 0; i < ncols; i++) {
            size_t c = wide ? cols[i] : (size_t)measure;
            sdc_grid_cell *gc = &g->cells[g->count];
            gc->coord = g->coords + g->count * g->dims;
            gc->coord_total = g->totals + g->count * g->dims;
            g->count++;
            gc->row = r;
            gc->col = c;
            memcpy(gc->coord, coord, dims * sizeof *coord);
            memcpy(gc->coord_total, total, dims * sizeof *total);
            if (wide) {
                gc->coord[dims] = t->columns[c].name;
                gc->coord_total[dims] = t->columns[c].is_total;
            }
        }
    }
    free(memo);
    free(cols);
    return 0;
}

/* Sorting cells by every coordinate but one groups a table's lines. */
typedef struct line_key {
    const sdc_grid *g;
    size_t skip;
} line_key;

static int cmp_except(const sdc_grid_cell *a, const sdc_grid_cell *b, size_t dims, size_t skip)
{
    for (size_t d = 0; d < dims; d++) {
        if (d == skip)
            continue;
        int k = strcmp(a->coord[d], b->coord[d]);
        if (k)
            return k;
    }
    return 0;
}

bool sdc_grid_same_line(const sdc_grid *g, size_t a, size_t b, size_t d)
{
    return cmp_except(&g->cells[a], &g->cells[b], g->dims, d) == 0;
}

/* qsort_r is a GNU extension; _GNU_SOURCE is set by the build. */
static int cmp_cells(const void *pa, const void *pb, void *arg)
{
    const line_key *k = arg;
    const sdc_grid_cell *a = &k->g->cells[*(const size_t *)pa];
    const sdc_grid_cell *b = &k->g->cells[*(const size_t *)pb];
    int c = cmp_except(a, b, k->g->dims, k->skip);
    if (c)
        return c;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

typedef struct label_id {
    const char *label;
    uint32_t id;
} label_id;

static int cmp_label(const void *a, const void *b)
{
    return strcmp(((const label_id *)a)->label, ((const label_id *)b)->label);
}

/* Puts label number X of SEEN into SLOT (CAP of them). */
static void slot_put(uint32_t *slot, size_t cap, const label_id *seen, uint32_t x)
{
    size_t h = hash_label(seen[x].label) & (cap - 1);
    while (slot[h])
        h = (h + 1) & (cap - 1);
    slot[h] = x + 1;
}

int sdc_grid_rank(const sdc_grid *g, size_t d, uint32_t *id, size_t stride, uint32_t *distinct)
{
    /* Interned by a hash in the order met (a table of twice the labels
     * met so far: a dimension's categories are few), then renumbered by a
     * sort of the distinct labels. */
    size_t cap = 64, used = 0;
    uint32_t *slot = calloc(cap, sizeof *slot); /* label number + 1, 0 empty */
    label_id *seen = malloc(cap / 2 * sizeof *seen);
    if (!slot || !seen)
        goto oom;
    for (size_t i = 0; i < g->count; i++) {
        const char *s = g->cells[i].coord[d];
        size_t h = hash_label(s) & (cap - 1);
        while (slot[h] && strcmp(seen[slot[h] - 1].label, s) != 0)
            h = (h + 1) & (cap - 1);
        if (slot[h]) {
            id[i * stride + d] = slot[h] - 1;
            continue;
        }
        if (2 * (used + 1) > cap) {
            uint32_t *more = calloc(2 * cap, sizeof *more);
            label_id *grown = realloc(seen, cap * sizeof *seen);
            if (grown)
                seen = grown;
            if (!more || !grown) {
                free(more);
                goto oom;
            }
            free(slot);
            slot = more;
            cap *= 2;
            for (uint32_t x = 0; x < used; x++)
                slot_put(slot, cap, seen, x);
        }
        seen[used] = (label_id){s, (uint32_t)used};
        slot_put(slot, cap, seen, (uint32_t)used);
        id[i * stride + d] = (uint32_t)used++;
    }
    qsort(seen, used, sizeof *seen, cmp_label);
    uint32_t *rank = slot; /* reused: cap > used */
    for (size_t r = 0; r < used; r++)
        rank[seen[r].id] = (uint32_t)r;
    for (size_t i = 0; i < g->count; i++)
        id[i * stride + d] = rank[id[i * stride + d]];
    free(slot);
    free(seen);
    *distinct = (uint32_t)used;
    return 0;
oom:
    free(slot);
    free(seen);
    return -1;
}

bool sdc_grid_packing(const uint32_t *distinct, size_t dims, unsigned bits_max,
                      unsigned char *shift)
{
    unsigned at = 0;
    for (size_t d = dims; d-- > 0;) {
        unsigned bits = sdc_grid_bits(distinct[d]);
        if (at + bits > bits_max)
            return false;
        shift[d] = (unsigned char)at;
        at += bits;
    }
    return true;
}

/* The lines along every dimension by string sorts: tuples too wide to
 * pack. */
static int lines_by_strings(const sdc_grid *g, sdc_grid_line_fn fn, void *ctx)
{
    size_t *idx = malloc(g->count * sizeof *idx);
    if (!idx)
        return -1;
    for (size_t d = 0; d < g->dims; d++) {
        for (size_t i = 0; i < g->count; i++)
            idx[i] = i;
        line_key key = {.g = g, .skip = d};
        qsort_r(idx, g->count, sizeof *idx, cmp_cells, &key);
        size_t start = 0;
        for (size_t i = 1; i <= g->count; i++) {
            if (i == g->count ||
                cmp_except(&g->cells[idx[start]], &g->cells[idx[i]], g->dims, d) != 0) {
                fn(ctx, g, idx + start, i - start, d);
                start = i;
            }
        }
    }
    free(idx);
    return 0;
}

/* Sorts the N keys of A (their low BITS bits), using TMP: an LSD radix
 * sort, 11 bits a pass. Returns the sorted array (A or TMP). */
static uint64_t *radix_sort(uint64_t *a, uint64_t *tmp, size_t n, unsigned bits)
{
    size_t count[1 << 11];
    for (unsigned at = 0; at < bits; at += 11) {
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(a[i] >> at) & 0x7FF]++;
        size_t sum = 0;
        for (size_t b = 0; b < 1 << 11; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(a[i] >> at) & 0x7FF]++] = a[i];
        uint64_t *x = a;
        a = tmp;
        tmp = x;
    }
    return a;
}

int sdc_grid_lines(const sdc_grid *g, sdc_grid_line_fn fn, void *ctx)
{
    if (g->count == 0)
        return 0;
    /* Each cell's labels as ranks packed in one integer, and below them
     * the cell's number: sorted with field d cleared, the lines along d
     * are the runs of equal labels, in the order the string sort gives
     * (other coordinates, then table order), in linear time. */
    size_t n = g->count, dims = g->dims;
    uint32_t distinct[SDC_GRID_MAX_DIMS];
    unsigned char shift[SDC_GRID_MAX_DIMS];
    uint32_t *id = malloc((n * dims + 1) * sizeof *id);
    if (!id)
        return -1;
    for (size_t d = 0; d < dims; d++)
        if (sdc_grid_rank(g, d, id, dims, &distinct[d]) < 0) {
            free(id);
            return -1;
        }
    unsigned cell_bits = sdc_grid_bits(n);
    if (cell_bits >= 64 || !sdc_grid_packing(distinct, dims, 64 - cell_bits, shift)) {
        free(id);
        return lines_by_strings(g, fn, ctx);
    }
    uint64_t *full = malloc(n * sizeof *full);
    if (!full) {
        free(id);
        return -1;
    }
    /* dimension 0's field is the top one */
    unsigned bits = cell_bits + (dims ? shift[0] + sdc_grid_bits(distinct[0]) : 0);
    for (size_t i = 0; i < n; i++)
        full[i] = sdc_grid_pack(id + i * dims, dims, shift);
    free(id);
    uint64_t *a = malloc(n * sizeof *a), *tmp = malloc(n * sizeof *tmp);
    size_t *idx = malloc(n * sizeof *idx);
    if (!a || !tmp || !idx) {
        free(full);
        free(a);
        free(tmp);
        free(idx);
        return -1;
    }
    uint64_t cell_mask = ((uint64_t)1 << cell_bits) - 1;
    for (size_t d = 0; d < dims; d++) {
        uint64_t field = sdc_grid_field(distinct, shift, d);
        for (size_t i = 0; i < n; i++)
            a[i] = (full[i] & ~field) << cell_bits | i;
        uint64_t *sorted = radix_sort(a, tmp, n, bits);
        size_t start = 0;
        for (size_t i = 0; i <= n; i++) {
            if (i == n || (i > start && sorted[i] >> cell_bits != sorted[start] >> cell_bits)) {
                fn(ctx, g, idx + start, i - start, d);
                start = i;
            }
            if (i < n)
                idx[i] = (size_t)(sorted[i] & cell_mask);
        }
    }
    free(full);
    free(a);
    free(tmp);
    free(idx);
    return 0;
}

void sdc_grid_free(sdc_grid *g)
{
    free(g->cells);
    free(g->coords);
    free(g->totals);
    memset(g, 0, sizeof *g);
}
