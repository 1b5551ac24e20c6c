/*
 * table_write.c - a table written back as CSV (protected copies, the
 * tables `protect` builds).
 *
 * Fields are quoted only when they must be (libcsv's csv_fwrite does the
 * quoting), so a copy reads like the file it came from.
 */
#include <csv.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sdccheck/table.h"
#include "table/table_write.h"

int sdc_csv_write_field(FILE *out, const char *s, char delimiter)
{
    bool quote = s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ');
    for (const char *p = s; *p && !quote; p++)
        quote = *p == delimiter || *p == '"' || *p == '\n' || *p == '\r';
    if (!quote)
        return fputs(s, out) < 0 ? -1 : 0;
    return csv_fwrite(out, s, strlen(s));
}

int sdc_table_write_csv(const sdc_table *t, char delimiter, FILE *out)
{
    for (size_t c = 0; c < t->ncols; c++) {
        if (c && fputc(delimiter, out) == EOF)
            return SDC_EIO;
        if (sdc_csv_write_field(out, t->columns[c].name, delimiter) < 0)
            return SDC_EIO;
    }
    fputc('\n', out);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c)
                fputc(delimiter, out);
            if (sdc_csv_write_field(out, sdc_table_cell(t, r, c)->text, delimiter) < 0)
                return SDC_EIO;
        }
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}
