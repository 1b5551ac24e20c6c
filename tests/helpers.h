/* helpers.h - small helpers shared by the Criterion tests. */
#ifndef SDC_TEST_HELPERS_H
#define SDC_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sdccheck/sdccheck.h"

/* Number of findings in LIST with rule id RULE. */
static inline size_t count_rule(const sdc_findings *list, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].rule, rule) == 0)
            n++;
    return n;
}

/* The result whose path is PATH among the N results RS, or NULL. */
static inline const sdc_file_result *find_path(const sdc_file_result *rs, size_t n,
                                               const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rs[i].path, path) == 0)
            return &rs[i];
    return NULL;
}

/* The first finding with rule id RULE, or NULL. */
static inline const sdc_finding *find_rule(const sdc_findings *list, const char *rule)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].rule, rule) == 0)
            return &list->items[i];
    return NULL;
}

/* Makes a private folder /tmp/sdc-NAME-XXXXXX in DIR (SIZE bytes).
 * Returns DIR, or NULL. */
static inline char *temp_dir_make(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "/tmp/sdc-%s-XXXXXX", name);
    return mkdtemp(dir);
}

/* Removes DIR and everything in it. Returns 0 on success. */
static inline int temp_dir_remove(const char *dir)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

/* Writes TEXT to DIR/NAME; returns the path (malloc'd), or NULL. */
static inline char *put_file(const char *dir, const char *name, const char *text)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s", dir, name) < 0)
        return NULL;
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

/* Reads CSV text into a laid-out table with POLICY; findings of reading
 * and layout go to F. The caller frees the table. */
static inline sdc_table *layout_csv(const char *csv, const sdc_policy *policy, sdc_findings *f)
{
    sdc_csv_reader *r = sdc_csv_reader_new(policy, f);
    sdc_csv_reader_feed(r, csv, strlen(csv));
    sdc_table *t = sdc_csv_reader_finish(r);
    sdc_csv_reader_free(r);
    if (t)
        sdc_table_infer_layout(t, policy, f);
    return t;
}

/* Reads, lays out and checks CSV text; returns the findings (caller frees
 * with sdc_findings_free). */
static inline sdc_findings check_csv(const char *csv, const sdc_policy *policy)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    if (t) {
        sdc_id_scanner *s = sdc_id_scanner_new(policy, NULL);
        sdc_table_check(t, policy, s, &f);
        sdc_id_scanner_free(s);
        sdc_table_free(t);
    }
    return f;
}

#endif
