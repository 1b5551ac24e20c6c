/*
 * ods.h - the sheets of an OpenDocument spreadsheet as CSV (private to the
 * library).
 */
#ifndef SDC_READ_ODS_H
#define SDC_READ_ODS_H

#include <stdbool.h>
#include <stddef.h>

/* CSV bytes written for one sheet at most. */
#define SDC_ODS_CSV_MAX (64u << 20)

typedef struct sdc_ods_sheet {
    char *name; /* table:name, as the application shows it */
    char *csv;  /* the sheet as CSV (RFC 4180 quoting, libcsv) */
    size_t len;
    bool cut; /* not all written: past SDC_ODS_CSV_MAX, or rows repeated past MAX_ROWS */
} sdc_ods_sheet;

typedef struct sdc_ods {
    sdc_ods_sheet *sheets;
    size_t count;
    bool spreadsheet; /* the document is an office:spreadsheet */
    char *error;      /* the XML could not be read to its end, or NULL */
} sdc_ods;

/* Reads the content.xml of an OpenDocument file (XML[0..len)) into OUT:
 * each table:table of an office:spreadsheet becomes a sheet of CSV, a row
 * repeated (table:number-rows-repeated) written up to MAX_ROWS + 1 times,
 * trailing empty cells and rows left out. Returns 0, or -1 when out of
 * memory (OUT is then to be freed all the same). */
int sdc_ods_read(const unsigned char *xml, size_t len, long max_rows, sdc_ods *out);

void sdc_ods_free(sdc_ods *o);

#endif
