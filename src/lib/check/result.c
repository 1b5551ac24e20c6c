/*
 * result.c - what checking a file leaves behind, and how its verdict is
 * derived.
 *
 * Findings are values; a result's verdict is the worst of its findings
 * after the policy's overrides, and a report's the worst of its results.
 * Nothing else sets a verdict. Results are kept in lists in walk order (a
 * container, then its members), so the report reads as the files were
 * found whatever the number of threads.
 */
#include <stdlib.h>
#include <string.h>

#include "check/result.h"
#include "core/vec.h"
#include "rules/primary.h"
#include "sdccheck/audit.h"
#include "sdccheck/spec.h"

const char *sdc_file_class_name(sdc_file_class c)
{
    switch (c) {
    case SDC_CLASS_TABLE: return "table";
    case SDC_CLASS_MODEL: return "model";
    case SDC_CLASS_DATA: return "data";
    case SDC_CLASS_CONTAINER: return "container";
    case SDC_CLASS_IMAGE: return "image";
    case SDC_CLASS_DOCUMENT: return "document";
    case SDC_CLASS_CODE: return "code";
    case SDC_CLASS_UNKNOWN: return "unknown";
    }
    return "unknown";
}

/* Rules whose findings mean "could not check": a policy may not pass them. */
static bool rule_is_fail_closed(const char *rule)
{
    return strcmp(rule, "malformed") == 0 || strcmp(rule, "encoding") == 0 ||
           strcmp(rule, "needs-review") == 0;
}

/* File-level findings first, then by line; rules' order within a line. */
static int cmp_finding_line(const void *a, const void *b)
{
    const sdc_finding *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return 0;
}

/* Stable: insertion sort is fine for a file's findings, which arrive
 * nearly sorted (each rule walks the rows in order). */
static void sort_findings(sdc_findings *f)
{
    for (size_t i = 1; i < f->count; i++) {
        sdc_finding tmp = f->items[i];
        size_t j = i;
        while (j > 0 && cmp_finding_line(&f->items[j - 1], &tmp) > 0) {
            f->items[j] = f->items[j - 1];
            j--;
        }
        f->items[j] = tmp;
    }
}

void sdc_result_finish(const sdc_policy *policy, sdc_file_result *r)
{
    sort_findings(&r->findings);
    for (size_t i = 0; i < r->findings.count; i++) {
        sdc_finding *f = &r->findings.items[i];
        sdc_verdict v = sdc_policy_verdict(policy, f->rule, f->verdict);
        if (rule_is_fail_closed(f->rule) && v < SDC_REVIEW)
            v = SDC_REVIEW;
        f->verdict = v;
    }
    r->verdict = sdc_findings_verdict(&r->findings);
}

void sdc_result_needs_review(sdc_file_result *r, const char *message, const char *advice)
{
    sdc_finding_at at = {.advice = advice};
    sdc_findings_add(&r->findings, "needs-review", SDC_REVIEW, &at, "%s", message);
}

int sdc_result_unreadable(const sdc_policy *policy, const char *path, const char *why,
                          sdc_file_result *out)
{
    memset(out, 0, sizeof *out);
    out->path = strdup(path);
    out->size = -1;
    out->file_class = SDC_CLASS_UNKNOWN;
    out->format = strdup("unreadable");
    if (!out->path || !out->format)
        return -1;
    sdc_finding_at at = {.advice = "make the file readable and check it again"};
    sdc_findings_add(&out->findings, "malformed", SDC_REVIEW, &at, "%s", why);
    sdc_result_finish(policy, out);
    return 0;
}

long sdc_result_list_reserve(sdc_result_list *list)
{
    if (SDC_VEC_RESERVE(list->items, list->capacity, list->count + 1) < 0)
        return -1;
    memset(&list->items[list->count], 0, sizeof list->items[0]);
    list->items[list->count].file_class = SDC_CLASS_UNKNOWN;
    return (long)list->count++;
}

void sdc_result_list_free(sdc_result_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        sdc_file_result_free(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}

bool sdc_result_linkable(const sdc_file_result *r)
{
    return r->file_class == SDC_CLASS_TABLE && !strchr(r->path, '!') && r->format &&
           (strcmp(r->format, "csv") == 0 || strcmp(r->format, "tsv") == 0) && r->rows > 0 &&
           r->rows * (r->columns ? r->columns : 1) <= SDC_LINK_MAX_CELLS;
}

bool sdc_result_fixable(const sdc_file_result *r)
{
    for (size_t i = 0; i < r->findings.count; i++)
        if (sdc_rule_is_fixable(r->findings.items[i].rule))
            return true;
    return false;
}

void sdc_report_derive(sdc_report *report)
{
    /* Nothing checked is not a clearance (most likely a wrong path). */
    report->verdict = report->file_count ? SDC_PASS : SDC_REVIEW;
    report->incomplete = false;
    for (size_t i = 0; i < report->file_count; i++) {
        sdc_file_result *f = &report->files[i];
        f->verdict = sdc_findings_verdict(&f->findings);
        report->incomplete |= f->findings.incomplete;
        report->verdict = sdc_verdict_worst(report->verdict, f->verdict);
    }
}

void sdc_file_result_drop_table(sdc_file_result *r)
{
    sdc_table_free(r->table);
    sdc_table_spec_free(r->table_spec);
    r->table = NULL;
    r->table_spec = NULL;
}

void sdc_file_result_free(sdc_file_result *r)
{
    if (!r)
        return;
    free(r->path);
    free(r->format);
    free(r->encoding);
    sdc_file_result_drop_table(r);
    sdc_findings_free(&r->findings);
    for (size_t i = 0; i < r->variable_count; i++)
        free(r->variables[i]);
    free(r->variables);
    memset(r, 0, sizeof *r);
}

void sdc_report_free(sdc_report *report)
{
    if (!report)
        return;
    for (size_t i = 0; i < report->input_count; i++)
        free(report->inputs[i]);
    free(report->inputs);
    for (size_t i = 0; i < report->file_count; i++)
        sdc_file_result_free(&report->files[i]);
    free(report->files);
    memset(report, 0, sizeof *report);
}
