/*
 * report_flat.c - a kept table flattened to one header line and one label
 * column, and a finding's cell on it (see report_flat.h).
 *
 * The place of a finding is what the rule said: its line (the body row
 * read from that line) and its column's header. Nothing here guesses a
 * cell from a value: a finding whose line or column the table does not
 * have is left without a cell, and the writers list it as such.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_flat.h"

bool sdc_report_is_label(const sdc_column *c)
{
    return c->role == SDC_COL_LABEL || c->is_index;
}

char *sdc_report_row_label(const sdc_table *t, size_t r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    const char *sep = "";
    for (size_t c = 0; c < t->ncols; c++)
        if (sdc_report_is_label(&t->columns[c])) {
            fprintf(out, "%s%s", sep,
                    r == SIZE_MAX ? t->columns[c].name : sdc_table_cell(t, r, c)->text);
            sep = " / ";
        }
    if (fclose(out) != 0 || !text) {
        free(text);
        return NULL;
    }
    return text;
}

int sdc_report_flat_init(sdc_report_flat *flat, const sdc_table *t)
{
    memset(flat, 0, sizeof *flat);
    size_t *data_col = malloc((t->ncols + 1) * sizeof *data_col);
    size_t *column_of = malloc((t->ncols + 1) * sizeof *column_of);
    if (!data_col || !column_of) {
        free(data_col);
        free(column_of);
        return SDC_ENOMEM;
    }
    size_t next = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        data_col[c] = sdc_report_is_label(&t->columns[c]) ? SIZE_MAX : next++;
        if (data_col[c] != SIZE_MAX)
            column_of[data_col[c]] = c;
    }
    *flat = (sdc_report_flat){t, data_col, column_of, next};
    return 0;
}

void sdc_report_flat_free(sdc_report_flat *flat)
{
    free(flat->data_col);
    free(flat->column_of);
    memset(flat, 0, sizeof *flat);
}

bool sdc_report_flat_locate(const sdc_report_flat *flat, const sdc_finding *f, size_t *row,
                            size_t *col)
{
    const sdc_table *t = flat->table;
    if (!t || f->line <= 0 || !f->column)
        return false;
    long c = sdc_table_column(t, f->column), r = sdc_table_row_of_line(t, f->line);
    if (c < 0 || r < 0 || flat->data_col[c] == SIZE_MAX)
        return false;
    *row = (size_t)r;
    *col = flat->data_col[c];
    return true;
}
