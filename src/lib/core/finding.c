/*
 * finding.c - the findings list.
 *
 * Findings are plain values appended by rules; the list owns every string so
 * a finding outlives the table or buffer it came from. Verdicts are derived
 * here (the worst finding) and nowhere else.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/format.h"
#include "core/vec.h"
#include "sdccheck/finding.h"

const char *sdc_verdict_name(sdc_verdict v)
{
    switch (v) {
    case SDC_PASS: return "pass";
    case SDC_REVIEW: return "review";
    case SDC_FAIL: return "fail";
    }
    return "fail";
}

int sdc_verdict_parse(const char *s, sdc_verdict *out)
{
    static const sdc_verdict all[] = {SDC_PASS, SDC_REVIEW, SDC_FAIL};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (s && strcmp(s, sdc_verdict_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    }
    return SDC_EINVAL;
}

const char *sdc_incomplete_reason_name(unsigned reason)
{
    switch (reason) {
    case SDC_INCOMPLETE_MEMORY: return "out-of-memory";
    }
    return NULL;
}

const char *sdc_incomplete_reason_text(unsigned reason)
{
    switch (reason) {
    case SDC_INCOMPLETE_MEMORY: return "out of memory";
    }
    return NULL;
}

void sdc_findings_mark_incomplete(sdc_findings *list, unsigned reason)
{
    list->incomplete |= reason;
}

static char *dup_or_null(const char *s, int *failed)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *failed = 1;
    return d;
}

static void finding_clear(sdc_finding *f)
{
    free(f->rule);
    free(f->message);
    free(f->advice);
    free(f->row);
    free(f->column);
    free(f->value);
    memset(f, 0, sizeof *f);
}

int sdc_findings_add(sdc_findings *list, const char *rule, sdc_verdict v, const sdc_finding_at *at,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sdc_findings_addv(list, rule, v, at, fmt, ap);
    va_end(ap);
    return rc;
}

int sdc_findings_addv(sdc_findings *list, const char *rule, sdc_verdict v, const sdc_finding_at *at,
                      const char *fmt, va_list ap)
{
    if (SDC_VEC_RESERVE(list->items, list->capacity, list->count + 1) < 0) {
        list->incomplete |= SDC_INCOMPLETE_MEMORY;
        return SDC_ENOMEM;
    }
    static const sdc_finding_at nowhere = {0};
    if (!at)
        at = &nowhere;

    sdc_finding f = {0};
    int failed = 0;
    if (!(f.message = sdc_vformat(fmt, ap)))
        failed = 1;
    f.rule = dup_or_null(rule, &failed);
    f.verdict = v;
    f.advice = dup_or_null(at->advice, &failed);
    f.line = at->line;
    f.row = dup_or_null(at->row, &failed);
    f.column = dup_or_null(at->column, &failed);
    f.value = dup_or_null(at->value, &failed);
    f.limit = at->limit;
    f.has_limit = at->has_limit;
    if (failed || !f.rule) {
        finding_clear(&f);
        list->incomplete |= SDC_INCOMPLETE_MEMORY;
        return SDC_ENOMEM;
    }
    list->items[list->count++] = f;
    return 0;
}

int sdc_findings_take(sdc_findings *to, sdc_findings *from)
{
    to->incomplete |= from->incomplete;
    if (from->count == 0)
        return 0;
    if (from->count > SIZE_MAX - to->count ||
        SDC_VEC_RESERVE(to->items, to->capacity, to->count + from->count) < 0) {
        to->incomplete |= SDC_INCOMPLETE_MEMORY;
        return SDC_ENOMEM;
    }
    memcpy(to->items + to->count, from->items, from->count * sizeof *from->items);
    to->count += from->count;
    free(from->items);
    memset(from, 0, sizeof *from);
    return 0;
}

sdc_verdict sdc_findings_verdict(const sdc_findings *list)
{
    sdc_verdict worst = list->incomplete ? SDC_FAIL : SDC_PASS;
    for (size_t i = 0; i < list->count; i++)
        worst = sdc_verdict_worst(worst, list->items[i].verdict);
    return worst;
}

void sdc_findings_free(sdc_findings *list)
{
    for (size_t i = 0; i < list->count; i++)
        finding_clear(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}
