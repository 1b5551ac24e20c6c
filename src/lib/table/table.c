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

char *sdc_table_row_labels(const sdc_table *t, size_t r, char *out, size_t out_size)
{
    if (out_size == 0)
        return out;
    out[0] = '\0';
    size_t o = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->columns[c].role != SDC_COL_LABEL || t->columns[c].is_index)
            continue;
        const char *text = sdc_table_cell(t, r, c)->text;
        int n = snprintf(out + o, out_size - o, "%s%s", o ? " / " : "", text);
        if (n < 0 || (size_t)n >= out_size - o) {
            out[out_size - 1] = '\0';
            break;
        }
        o += (size_t)n;
    }
    return out;
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
