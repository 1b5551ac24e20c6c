/*
 * table.c - the table model's small services: row labels for findings and
 * freeing. Building is in table_build.c, meaning in layout.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "sdccheck/table.h"
#include "table/table_build.h"

static bool is_row_label(const sdc_column *col)
{
    return col->role == SDC_COL_LABEL && !col->is_index;
}

size_t sdc_table_label_columns(const sdc_table *t, size_t *cols)
{
    size_t n = 0;
    for (size_t c = 0; c < t->ncols; c++)
        if (is_row_label(&t->columns[c]))
            cols[n++] = c;
    return n;
}

/* Row R's labels into OUT, from columns COLS[0..n) (or every label column
 * when COLS is NULL). */
static char *row_labels(const sdc_table *t, const size_t *cols, size_t n, size_t r, char *out,
                        size_t out_size)
{
    if (out_size == 0)
        return out;
    out[0] = '\0';
    size_t o = 0;
    size_t count = cols ? n : t->ncols;
    for (size_t i = 0; i < count; i++) {
        size_t c = cols ? cols[i] : i;
        if (!cols && !is_row_label(&t->columns[c]))
            continue;
        const char *text = sdc_table_cell(t, r, c)->text;
        int w = snprintf(out + o, out_size - o, "%s%s", o ? " / " : "", text);
        if (w < 0 || (size_t)w >= out_size - o) {
            out[out_size - 1] = '\0';
            break;
        }
        o += (size_t)w;
    }
    return out;
}

char *sdc_table_row_labels(const sdc_table *t, size_t r, char *out, size_t out_size)
{
    return row_labels(t, NULL, 0, r, out, out_size);
}

char *sdc_table_row_labels_in(const sdc_table *t, const size_t *cols, size_t n, size_t r, char *out,
                              size_t out_size)
{
    return row_labels(t, cols, n, r, out, out_size);
}

const char *sdc_table_keep_text(sdc_table *t, const char *text)
{
    return sdc_arena_strndup(t->arena, text, strlen(text));
}

void sdc_table_free_body(sdc_table *t)
{
    if (t->columns)
        for (size_t c = 0; c < t->ncols; c++)
            free(t->columns[c].name);
    free(t->columns);
    free(t->cells);
    free(t->row_line);
    free(t->row_is_total);
}

void sdc_table_free(sdc_table *t)
{
    if (!t)
        return;
    sdc_table_free_body(t);
    sdc_arena_free(t->arena);
    free(t);
}

long sdc_table_column(const sdc_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->columns[c].name, name) == 0)
            return (long)c;
    return -1;
}

/* Rows are read in line order, so a binary search finds the row (one
 * finding per primary cell: a scan per finding cost 30 s on the 5-D bench
 * table's 100,000 findings); a table whose lines are not in order is
 * scanned. */
long sdc_table_row_of_line(const sdc_table *t, long line)
{
    size_t lo = 0, hi = t->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->row_line[mid] < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < t->nrows && t->row_line[lo] == line)
        return (long)lo;
    for (size_t r = 0; r < t->nrows; r++)
        if (t->row_line[r] == line)
            return (long)r;
    return -1;
}
