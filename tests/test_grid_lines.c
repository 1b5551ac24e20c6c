/* test_grid_lines.c - the lines of a grid (table/grid.c): every line along
 * every dimension, in the order grid.h documents (dimension by dimension;
 * lines by their other coordinates' labels in byte order, dimension 0
 * first; a line's cells in table order), whether the labels' ranks pack
 * into 64 bits (the radix sort) or not (the string sort), and the cell
 * index (table/cellkey.c) built on the same ranks. The reference order is
 * worked by hand for a small table and, for larger ones, by a plain
 * comparison sort on the label strings here. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "helpers.h"
#include "table/cellkey.h"
#include "table/grid.h"

static sdc_policy *policy;
static void setup(void)
{
    policy = sdc_policy_default();
    policy->zeros_are_disclosive = false;
}
static void teardown(void)
{
    sdc_policy_free(policy);
}
TestSuite(grid_lines, .init = setup, .fini = teardown);

/* What sdc_grid_lines called, flattened: per call, the dimension, the
 * count and the cells. */
typedef struct seen {
    size_t *v;
    size_t n, cap;
} seen;

static void push(seen *s, size_t x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        cr_assert_not_null(s->v);
    }
    s->v[s->n++] = x;
}

static void on_line(void *ctx, const sdc_grid *g, const size_t *idx, size_t n, size_t d)
{
    (void)g;
    seen *s = ctx;
    push(s, d);
    push(s, n);
    for (size_t i = 0; i < n; i++)
        push(s, idx[i]);
}

/* The reference: cells sorted by their other coordinates' labels with
 * strcmp, then table order, by insertion; a line wherever those labels
 * change. */
static const sdc_grid *ref_g;
static size_t ref_skip;
static int ref_cmp(size_t a, size_t b)
{
    for (size_t d = 0; d < ref_g->dims; d++) {
        if (d == ref_skip)
            continue;
        int k = strcmp(ref_g->cells[a].coord[d], ref_g->cells[b].coord[d]);
        if (k)
            return k;
    }
    return 0;
}

static void reference(const sdc_grid *g, seen *s)
{
    size_t *idx = malloc((g->count + 1) * sizeof *idx);
    cr_assert_not_null(idx);
    ref_g = g;
    for (size_t d = 0; d < g->dims; d++) {
        ref_skip = d;
        for (size_t i = 0; i < g->count; i++) {
            size_t j = i;
            for (; j > 0 && ref_cmp(idx[j - 1], i) > 0; j--)
                idx[j] = idx[j - 1];
            idx[j] = i; /* equal labels stay in table order: i is the latest */
        }
        for (size_t start = 0, i = 1; i <= g->count; i++)
            if (i == g->count || ref_cmp(idx[start], idx[i]) != 0) {
                push(s, d);
                push(s, i - start);
                for (size_t q = start; q < i; q++)
                    push(s, idx[q]);
                start = i;
            }
    }
    free(idx);
}

/* Builds the grid of CSV's measure COLUMN and checks its lines against
 * the reference; returns the grid's dimensions. */
static size_t lines_match(const char *csv, long column)
{
    sdc_table *t = sdc_test_layout(csv, policy);
    sdc_grid g;
    cr_assert_eq(sdc_grid_build(t, policy, column, &g), 0);
    seen got = {0}, want = {0};
    cr_assert_eq(sdc_grid_lines(&g, on_line, &got), 0);
    reference(&g, &want);
    cr_assert_eq(got.n, want.n, "%zu values from sdc_grid_lines, %zu from the reference", got.n,
                 want.n);
    for (size_t i = 0; i < got.n; i++)
        cr_assert_eq(got.v[i], want.v[i], "value %zu: %zu, the reference has %zu", i, got.v[i],
                     want.v[i]);
    size_t dims = g.dims;
    free(got.v);
    free(want.v);
    sdc_grid_free(&g);
    sdc_table_free(t);
    return dims;
}

/*
 * Worked by hand. Cells (grid order = rows): 0 b/y, 1 a/y, 2 b/x, 3 a/x.
 * Along g the lines are the values of h in byte order: x (cells 2, 3),
 * then y (0, 1). Along h, the values of g: a (1, 3), then b (0, 2). The
 * labels are met in the order b, a and y, x: an order by first
 * appearance would give the lines the other way round.
 */
Test(grid_lines, the_lines_come_in_label_order_with_cells_in_table_order)
{
    sdc_table *t = sdc_test_layout("g,h,n\nb,y,15\na,y,13\nb,x,14\na,x,12\n", policy);
    sdc_grid g;
    cr_assert_eq(sdc_grid_build(t, policy, 2, &g), 0);
    cr_assert_eq(g.dims, 2);
    seen got = {0};
    cr_assert_eq(sdc_grid_lines(&g, on_line, &got), 0);
    const size_t want[] = {0, 2, 2, 3, 0, 2, 0, 1, 1, 2, 1, 3, 1, 2, 0, 2};
    cr_assert_eq(got.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < got.n; i++)
        cr_assert_eq(got.v[i], want[i], "value %zu: %zu, want %zu", i, got.v[i], want[i]);
    free(got.v);
    sdc_grid_free(&g);
    sdc_table_free(t);
}

/* Three dimensions with totals, labels repeated in a scrambled order and
 * some combinations missing: 600 rows, as the reference. */
Test(grid_lines, a_sparse_table_in_three_dimensions_matches_the_string_sort)
{
    char *csv = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&csv, &len);
    fputs("a,b,c,n\n", m);
    unsigned x = 12345;
    for (int r = 0; r < 600; r++) {
        x = x * 1103515245u + 12345u;
        unsigned a = (x >> 8) % 13, b = (x >> 16) % 7, c = (x >> 4) % 5;
        fprintf(m, "%s,%s,%s,%u\n", a == 12 ? "Total" : (char[]){(char)('z' - a), 0},
                b == 6 ? "Total" : (char[]){(char)('B' + b * 3 % 6), 0},
                c == 4 ? "Total" : (char[]){(char)('5' - c), 'q', 0}, 10 + x % 90);
    }
    fclose(m);
    cr_assert_eq(lines_match(csv, 3), 3);
    free(csv);
}

/* Whether a label is a total is its own text's answer (the policy's
 * total_labels, case and spaces aside), however many other labels came
 * before it in the column: 600 distinct labels (far more than grid.c's
 * memo of last answers holds) in a scrambled order, among them the
 * default totals spelt in other cases and near misses that are not
 * totals. */
Test(grid_lines, a_label_is_a_total_by_its_own_text_whatever_came_before_it)
{
    static const char *const totals[] = {"Total",       "ALL", "overall",
                                         "Grand Total", "sum", "All persons"};
    static const char *const near[] = {"Totals", "Tota", "Al",         "Overal",
                                       "Grand",  "Sums", "All person", "Subtotal"};
    char *csv = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&csv, &len);
    fputs("a,b,n\n", m);
    bool want[3000];
    unsigned x = 777;
    for (int r = 0; r < 3000; r++) {
        x = x * 1103515245u + 12345u;
        unsigned k = (x >> 8) % 620;
        char label[32];
        if (k < 6)
            snprintf(label, sizeof label, "%s", totals[k]);
        else if (k < 14)
            snprintf(label, sizeof label, "%s", near[k - 6]);
        else
            snprintf(label, sizeof label, "L%u", k);
        want[r] = k < 6;
        fprintf(m, "%s,b%d,%u\n", label, r, 10 + x % 90);
    }
    fclose(m);
    sdc_table *t = sdc_test_layout(csv, policy);
    cr_assert_eq(t->nrows, 3000);
    sdc_grid g;
    cr_assert_eq(sdc_grid_build(t, policy, 2, &g), 0);
    cr_assert_eq(g.count, 3000);
    for (size_t i = 0; i < g.count; i++)
        cr_assert_eq(g.cells[i].coord_total[0], want[g.cells[i].row], "row %zu, '%s'",
                     g.cells[i].row, g.cells[i].coord[0]);
    sdc_grid_free(&g);
    sdc_table_free(t);
    free(csv);
}

/* Thirteen label columns of 17 values each: 13 fields of 5 bits do not
 * fit in 64, so the string sort walks the lines; each cell is alone on
 * each of its lines, and the lines come in the same order. */
Test(grid_lines, ranks_too_wide_to_pack_take_the_string_sort_in_the_same_order)
{
    char *csv = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&csv, &len);
    for (int c = 0; c < 13; c++)
        fprintf(m, "l%02d,", c);
    fputs("n\n", m);
    for (int r = 0; r < 17; r++) {
        for (int c = 0; c < 13; c++)
            fprintf(m, "v%02d,", (r * 7 + c * 3) % 17);
        fprintf(m, "%d\n", 20 + r);
    }
    fclose(m);
    sdc_table *t = sdc_test_layout(csv, policy);
    sdc_grid g;
    cr_assert_eq(sdc_grid_build(t, policy, 13, &g), 0);
    cr_assert_eq(g.dims, 13);
    uint32_t distinct[SDC_GRID_MAX_DIMS];
    unsigned char shift[SDC_GRID_MAX_DIMS];
    uint32_t *id = malloc(17 * 13 * sizeof *id);
    for (size_t d = 0; d < 13; d++)
        cr_assert_eq(sdc_grid_rank(&g, d, id, 13, &distinct[d]), 0);
    cr_assert_eq(distinct[0], 17);
    cr_assert_not(sdc_grid_packing(distinct, 13, 64, shift), "13 x 5 bits must not pack");
    /* Ranks follow the labels: row r's label in column 0 is v(7r mod 17). */
    for (size_t r = 0; r < 17; r++)
        cr_assert_eq(id[r * 13], (7 * r) % 17);
    free(id);
    sdc_grid_free(&g);
    sdc_table_free(t);
    cr_assert_eq(lines_match(csv, 13), 13);
    free(csv);
}

/* The cell index over the same ranks: every cell found at its own
 * coordinates and moved along each dimension to each value it has
 * there (packed, also by its tuple carried along: sdc_cellkey_key_move);
 * a tuple of values that no cell holds is not found. Packed (three
 * dimensions) and not (thirteen, as above). */
static void index_finds(const char *csv, long column, bool packed)
{
    sdc_table *t = sdc_test_layout(csv, policy);
    sdc_grid g;
    sdc_cellkey k;
    cr_assert_eq(sdc_grid_build(t, policy, column, &g), 0);
    cr_assert_eq(sdc_cellkey_build(&g, &k), 0);
    cr_assert_eq(k.packed != NULL, packed);
    cr_assert_eq(k.slot != NULL, !packed);
    for (size_t i = 0; i < g.count; i++) {
        cr_assert_eq(sdc_cellkey_find(&k, k.id + i * k.dims), (long)i);
        for (size_t d = 0; d < g.dims; d++)
            for (size_t j = 0; j < g.count; j++) {
                long moved = sdc_cellkey_move(&k, i, d, k.id[j * k.dims + d]);
                /* the cell that agrees with i but has j's label along d */
                long want = -1;
                for (size_t c = 0; c < g.count && want < 0; c++) {
                    bool same = strcmp(g.cells[c].coord[d], g.cells[j].coord[d]) == 0;
                    for (size_t e = 0; e < g.dims && same; e++)
                        same = e == d || strcmp(g.cells[c].coord[e], g.cells[i].coord[e]) == 0;
                    if (same)
                        want = (long)c;
                }
                cr_assert_eq(moved, want, "cell %zu along %zu to cell %zu's label", i, d, j);
                if (packed) {
                    /* the same by tuple carried along, as the cube search moves */
                    uint64_t key =
                        sdc_cellkey_key_move(&k, sdc_cellkey_key(&k, i), d, k.id[j * k.dims + d]);
                    sdc_cellkey_prefetch_key(&k, key);
                    cr_assert_eq(sdc_cellkey_find_key(&k, key), want);
                    if (want >= 0)
                        cr_assert_eq(key, sdc_cellkey_key(&k, (size_t)want));
                }
            }
        cr_assert_eq(sdc_cellkey_move(&k, i, 0, k.distinct[0]), -1);
        if (packed)
            cr_assert_eq(sdc_cellkey_key_move(&k, sdc_cellkey_key(&k, i), 0, k.distinct[0]),
                         UINT64_MAX);
    }
    sdc_cellkey_free(&k);
    sdc_grid_free(&g);
    sdc_table_free(t);
}

/* COLS label columns of 17 values each (5 bits), rows 17 to 19 repeating
 * rows 0 to 2 but for column 5, where they have new values: moves along
 * it find the other row. The caller frees the text. */
static char *distinct_rows_csv(int cols)
{
    char *csv = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&csv, &len);
    for (int c = 0; c < cols; c++)
        fprintf(m, "l%02d,", c);
    fputs("n\n", m);
    for (int r = 0; r < 20; r++) {
        for (int c = 0; c < cols; c++)
            fprintf(m, "%c%02d,", c == 5 && r >= 17 ? 'w' : 'v', (r % 17 * 7 + c * 3) % 17);
        fprintf(m, "%d\n", 20 + r);
    }
    fclose(m);
    return csv;
}

Test(grid_lines, the_cell_index_finds_each_cell_and_its_moves_packed_or_not)
{
    /* 3 dimensions: 2 + 2 + 1 bits, packed */
    index_finds("a,b,c,n\nx,p,k,10\nx,q,k,11\ny,p,k,12\ny,q,m,13\nx,p,m,14\nz,q,m,15\n", 3, true);
    /* 8 x 5 bits: more than the index's 32 (its lines' 64 take them) */
    char *csv = distinct_rows_csv(8);
    index_finds(csv, 8, false);
    cr_assert_eq(lines_match(csv, 8), 8);
    free(csv);
    /* 13 x 5 bits: more than 64 */
    csv = distinct_rows_csv(13);
    index_finds(csv, 13, false);
    cr_assert_eq(lines_match(csv, 13), 13);
    free(csv);
}

Test(grid_lines, two_measures_hold_the_shared_grid_at_once_each_in_its_slot)
{
    /* A long table of two measures (n, income): slot 0 lent to n, slot 1
     * to income, then slot 0 to income and slot 1 to n. Each slot's cells
     * name its own measure whatever the other slot was given since; the
     * coordinates and the index are the one grid's. */
    sdc_table *t = sdc_test_layout("a,b,n,income\nx,p,1,10\nx,q,2,20\ny,p,3,30\ny,q,4,40\n"
                                   "x,Total,3,30\ny,Total,7,70\nTotal,p,4,40\nTotal,q,6,60\n"
                                   "Total,Total,10,100\n",
                                   policy);
    cr_assert_not_null(t);
    sdc_grid_share s = {0};
    sdc_grid g0, g1, h0, h1;
    cr_assert_eq(sdc_grid_share_grid_in(&s, NULL, t, policy, 2, 0, &g0), 0);
    cr_assert_eq(sdc_grid_share_grid_in(&s, NULL, t, policy, 3, 1, &g1), 0);
    cr_assert_eq(g0.count, 9);
    cr_assert_eq(g1.count, 9);
    cr_assert_eq(g0.coords, g1.coords);
    cr_assert_neq(g0.cells, g1.cells);
    for (size_t i = 0; i < g0.count; i++) {
        cr_assert_eq(g0.cells[i].col, 2, "cell %zu of slot 0", i);
        cr_assert_eq(g1.cells[i].col, 3, "cell %zu of slot 1", i);
        cr_assert_eq(g0.cells[i].row, g1.cells[i].row);
        cr_assert_eq(sdc_table_cell(t, g0.cells[i].row, 2)->number * 10,
                     sdc_table_cell(t, g1.cells[i].row, g1.cells[i].col)->number);
    }
    cr_assert_eq(sdc_grid_share_grid_in(&s, NULL, t, policy, 3, 0, &h0), 0);
    for (size_t i = 0; i < g1.count; i++)
        cr_assert_eq(g1.cells[i].col, 3, "slot 1 kept its measure");
    cr_assert_eq(sdc_grid_share_grid_in(&s, NULL, t, policy, 2, 1, &h1), 0);
    for (size_t i = 0; i < h0.count; i++) {
        cr_assert_eq(h0.cells[i].col, 3, "cell %zu of slot 0", i);
        cr_assert_eq(h1.cells[i].col, 2, "cell %zu of slot 1", i);
    }
    cr_assert_neq(sdc_grid_share_grid_in(&s, NULL, t, policy, 2, SDC_GRID_SHARE_SLOTS, &h1), 0);
    sdc_grid_share_free(&s);
    sdc_table_free(t);
}
