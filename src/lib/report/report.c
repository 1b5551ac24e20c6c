/*
 * report.c - the registry of report writers.
 *
 * Like libarchive's format table: each output format is one file exporting
 * an sdc_report_writer, and this list is the only place that names them all.
 * Adding a format is one new file and one line here.
 */
#include <string.h>

#include "report/report_util.h"

static const sdc_report_writer *const writers[] = {
    &sdc_report_writer_text,
    &sdc_report_writer_json,
    &sdc_report_writer_junit,
    &sdc_report_writer_csv,
    &sdc_report_writer_sacro,
    &sdc_report_writer_html,
    NULL,
};

const sdc_report_writer *const *sdc_report_writers(void)
{
    return writers;
}

const sdc_report_writer *sdc_report_writer_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; writers[i]; i++)
        if (strcmp(writers[i]->name, name) == 0)
            return writers[i];
    return NULL;
}

const sdc_report_writer *sdc_report_writer_for_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/'))
        return NULL;
    for (size_t i = 0; writers[i]; i++)
        if (writers[i]->extension && strcmp(writers[i]->extension, dot + 1) == 0)
            return writers[i];
    return NULL;
}
