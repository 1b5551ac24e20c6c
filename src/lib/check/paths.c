/*
 * paths.c - a submission checked: files and folders walked, files checked
 * on every core, tables linked, the verdict derived.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check/checker.h"
#include "check/folder.h"
#include "check/pool.h"
#include "check/result.h"
#include "core/vec.h"

/* Every path must exist: a typing error is a usage error, not a review. */
static int all_exist(const char *const *paths, size_t count, sdc_status *status)
{
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            int code = sdc_error_from_errno(errno);
            return sdc_status_set(status, code == SDC_EACCES ? code : SDC_ENOENT, "%s: %s",
                                  paths[i], strerror(errno));
        }
    }
    return 0;
}

/* Moves the results (W->count lists) onto the end of REPORT, with the
 * paths given as its inputs. Returns 0, or -1 when out of memory (the
 * results are then left to the caller). */
static int append_results(sdc_report *report, const char *const *paths, size_t count,
                          sdc_result_list *results, size_t lists)
{
    size_t total = 0;
    for (size_t i = 0; i < lists; i++)
        total += results[i].count;
    if (SDC_VEC_RESIZE(report->inputs, report->input_count + count + 1) < 0 ||
        SDC_VEC_RESIZE(report->files, report->file_count + total + 1) < 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        char *input = strdup(paths[i]);
        if (!input) /* a report whose input is null would not say what was checked */
            return -1;
        report->inputs[report->input_count++] = input;
    }
    for (size_t i = 0; i < lists; i++) {
        if (results[i].count)
            memcpy(report->files + report->file_count, results[i].items,
                   results[i].count * sizeof *results[i].items);
        report->file_count += results[i].count;
        free(results[i].items);
        memset(&results[i], 0, sizeof results[i]);
    }
    return 0;
}

/* Links the results FIRST..end of REPORT (with the releases, if the
 * checker has them), then drops their tables unless the checker keeps
 * them. Returns 0 or an SDC_E* code with ST set. */
static int link_new(const sdc_checker *ck, sdc_report *report, size_t first, sdc_status *st)
{
    size_t n = report->file_count - first;
    sdc_file_result **checked = malloc((n + 1) * sizeof *checked);
    if (!checked)
        return SDC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        checked[i] = &report->files[first + i];
    int rc = sdc_check_released(ck, checked, n, st);
    free(checked);
    for (size_t i = first; !ck->keep_tables && i < report->file_count; i++)
        sdc_file_result_drop_table(&report->files[i]);
    return rc;
}

/* Tells the progress hook how much there is to check: the files of W
 * and the sum of their sizes, a stat each (the walk has listed them
 * already, so this reads no file). */
static void progress_begin(const sdc_checker *ck, const sdc_walk_list *w)
{
    if (!ck->progress.begin)
        return;
    long long bytes = 0;
    for (size_t i = 0; i < w->count; i++) {
        struct stat st;
        if (!w->items[i].problem && stat(w->items[i].path, &st) == 0 && S_ISREG(st.st_mode))
            bytes += (long long)st.st_size;
    }
    ck->progress.begin(ck->progress.ctx, w->count, bytes);
}

int sdc_check_paths(const sdc_checker *ck, const char *const *paths, size_t count, int jobs,
                    sdc_report *report, sdc_status *status)
{
    report->policy = ck->policy;
    int rc = all_exist(paths, count, status);
    if (rc < 0)
        return rc;
    sdc_walk_list w;
    if (sdc_walk_paths(paths, count, &w) < 0) {
        sdc_report_derive(report);
        return SDC_ENOMEM;
    }
    progress_begin(ck, &w);
    sdc_result_list *results = calloc(w.count + 1, sizeof *results);
    bool too_many = false;
    rc = results ? sdc_pool_check(ck, &w, jobs, results, &too_many) : SDC_ENOMEM;
    size_t first = report->file_count;
    if (rc == 0)
        rc = append_results(report, paths, count, results, w.count);
    sdc_status linking = {0};
    if (rc == 0 && (rc = link_new(ck, report, first, &linking)) != SDC_OK && status)
        *status = linking;
    for (size_t i = 0; results && i < w.count; i++)
        sdc_result_list_free(&results[i]);
    free(results);
    sdc_walk_list_free(&w);
    sdc_report_derive(report);
    return rc < 0 ? rc : SDC_OK;
}
