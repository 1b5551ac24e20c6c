/*
 * data_vars.h - the variable names of a statistics package's data file
 * (private to the library).
 *
 * `sdccheck ingest --variables` compares every variable of an incoming
 * data file with the approved list; this reads the names of Stata (.dta),
 * SPSS (.sav, .zsav, .por) and SAS (.sas7bdat, .xpt) files with ReadStat
 * (libreadstat), from the head of the file kept in memory.
 */
#ifndef SDC_READ_DATA_VARS_H
#define SDC_READ_DATA_VARS_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of a data file's head kept for its names: the dictionary of these
 * formats comes before the records. */
#define SDC_DATA_VARS_HEAD_MAX (16u << 20)

/* Whether the variable names of a file of FORMAT (the classifier's name:
 * "stata-dta", "spss-sav", "spss-zsav", "spss-por", "sas7bdat",
 * "sas-xport") can be read. */
bool sdc_data_vars_readable(const char *format);

/*
 * Reads the variable names of the FORMAT file whose first LEN bytes are
 * HEAD (SIZE bytes in all: what lies past HEAD is reported as unreadable
 * when the reader asks for it). *NAMES receives a malloc'd array of
 * *COUNT malloc'd names, in the file's order (free each and the array).
 * Returns 0; 1 when the names cannot be read, with WHY[0..why_size) saying
 * why (*NAMES NULL); -1 when out of memory.
 */
int sdc_data_vars_read(const char *format, const unsigned char *head, size_t len,
                       unsigned long long size, char ***names, size_t *count, char *why,
                       size_t why_size);

#endif
