/*
 * table_write.h - one CSV field written as table_write.c writes them
 * (private to the library).
 */
#ifndef SDC_TABLE_WRITE_H
#define SDC_TABLE_WRITE_H

#include <stdio.h>

/* Writes S to OUT, quoted (libcsv's csv_fwrite) only when it must be: it
 * holds DELIMITER, a quote or a line end, or starts or ends with a space.
 * Returns 0, or -1 on a write error. */
int sdc_csv_write_field(FILE *out, const char *s, char delimiter);

#endif
