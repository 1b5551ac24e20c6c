/*
 * classify.h - what a file is, from its first bytes and its name (private).
 *
 * For now the classifier knows text tables, text documents, code and
 * "unknown binary"; content detectors for models, data files and
 * containers plug in here (SPEC 3, 6), each one file and one registration
 * line in classify.c's detector table.
 */
#ifndef SDC_CLASSIFY_H
#define SDC_CLASSIFY_H

#include <stddef.h>
#include "sdccheck/check.h"

typedef struct sdc_classification {
    sdc_file_class file_class;
    const char *format;       /* static string */
    bool name_says_table;     /* .csv .tsv ... */
} sdc_classification;

/* A content detector: returns true and fills OUT when HEAD is its format. */
typedef struct sdc_detector {
    const char *name;
    bool (*detect)(const unsigned char *head, size_t len, bool at_eof, const char *name,
                   sdc_classification *out);
} sdc_detector;

/* Classifies a file from its first LEN bytes (AT_EOF: the whole file) and
 * its NAME (a hint only). */
sdc_classification sdc_classify(const unsigned char *head, size_t len, bool at_eof,
                                const char *name);

#endif
