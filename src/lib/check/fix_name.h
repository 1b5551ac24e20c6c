/*
 * fix_name.h - where --fix writes each copy (private to check/).
 */
#ifndef SDC_CHECK_FIX_NAME_H
#define SDC_CHECK_FIX_NAME_H

#include <stdbool.h>
#include <stddef.h>

/* The copies named so far in one --fix run. */
typedef struct sdc_fix_names {
    char **items;
    size_t count, capacity;
} sdc_fix_names;

/*
 * The path of the copy of the table PATH under DIR (fix_name.c says how it
 * is made): OUTER is the submitted file PATH is inside ("tables.zip" for
 * "tables.zip!t/a.csv"), or NULL when PATH is a submitted file. The name
 * is unique among NAMES, which keeps it. *AS_CSV is set when the name was
 * given ".csv" (the copy must then be comma-separated). Returns the path
 * (owned by NAMES), or NULL when out of memory.
 */
const char *sdc_fix_name(sdc_fix_names *names, const char *dir, const char *path, const char *outer,
                         bool *as_csv);

/* Makes the folders of PATH below DIR (PATH begins with DIR "/"). Returns
 * 0, or an errno value saying why one could not be made. */
int sdc_fix_make_folders(const char *dir, const char *path);

void sdc_fix_names_free(sdc_fix_names *names);

#endif
