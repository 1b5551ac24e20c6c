/*
 * member.c - what a container says of itself and of members it holds in
 * memory: its own findings, the worst finding of each direct member
 * repeated on it (so its verdict is derived from its own findings), and
 * bytes it carries besides its members (a header field, a comment) walked
 * as members of their own. container.c and zip_account.c both use it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check/member.h"

void sdc_container_finding(sdc_file_result *self, const char *rule, sdc_verdict v,
                           const char *advice, const char *fmt, ...)
{
    sdc_finding_at at = {.advice = advice};
    va_list ap;
    va_start(ap, fmt);
    sdc_findings_addv(&self->findings, rule, v, &at, fmt, ap);
    va_end(ap);
}

/* Among findings of one verdict, what a reviewer most needs to read. */
static int rule_weight(const char *rule)
{
    static const char *const order[] = {"model-file",        "data-file", "archive-bomb",
                                        "archive-encrypted", "microdata", "identifier"};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (strcmp(rule, order[i]) == 0)
            return (int)(sizeof order / sizeof order[0] - i);
    return 0;
}

/* The worst finding of each direct member is repeated on the container, so
 * the container's verdict is derived from its own findings (and an
 * incomplete member makes it incomplete). */
void sdc_container_summarise(sdc_file_result *self, const sdc_result_list *list,
                             const size_t *direct, size_t ndirect)
{
    for (size_t i = 0; i < ndirect; i++) {
        const sdc_file_result *m = &list->items[direct[i]];
        /* A member that could not be checked whole leaves its container
         * incomplete: sdc_check_file keeps only the container's result. */
        self->findings.incomplete |= m->findings.incomplete;
        const sdc_finding *worst = NULL;
        for (size_t k = 0; k < m->findings.count; k++) {
            const sdc_finding *f = &m->findings.items[k];
            if (!worst || f->verdict > worst->verdict ||
                (f->verdict == worst->verdict && rule_weight(f->rule) > rule_weight(worst->rule)))
                worst = f;
            else if (f->verdict == worst->verdict &&
                     rule_weight(f->rule) == rule_weight(worst->rule) &&
                     strncmp(worst->message, "member '", 8) == 0 &&
                     strncmp(f->message, "member '", 8) != 0)
                worst = f; /* at a tie, the member's own finding reads better */
        }
        if (!worst || worst->verdict == SDC_PASS)
            continue;
        const char *inner = strrchr(m->path, '!');
        sdc_finding_at at = {.advice = worst->advice, .value = worst->value};
        sdc_findings_add(&self->findings, worst->rule, worst->verdict, &at, "member '%s': %s",
                         inner ? inner + 1 : m->path, worst->message);
    }
}

static ssize_t bytes_read(void *ctx, void *buf, size_t len)
{
    sdc_bytes_reader *r = ctx;
    size_t n = r->len - r->pos < len ? r->len - r->pos : len;
    memcpy(buf, r->p + r->pos, n);
    r->pos += n;
    return (ssize_t)n;
}

sdc_byte_source sdc_bytes_source(sdc_bytes_reader *r, const unsigned char *p, size_t len)
{
    *r = (sdc_bytes_reader){p, len, 0};
    return (sdc_byte_source){.read = bytes_read, .ctx = r};
}

int sdc_container_walk_bytes(const sdc_walk *w, sdc_file_result *self, const char *name,
                             const unsigned char *p, size_t len, int depth, sdc_budget *b,
                             sdc_result_list *list)
{
    char path[1024];
    snprintf(path, sizeof path, "%s!%s", self->path, name);
    sdc_bytes_reader r;
    sdc_byte_source src = sdc_bytes_source(&r, p, len);
    size_t first = list->count;
    int rc = w->member(w, path, &src, depth + 1, b, list);
    if (rc == 0 && list->count > first) {
        size_t direct = first;
        sdc_container_summarise(self, list, &direct, 1);
    }
    return rc;
}

int sdc_walk_nested(const sdc_walk *w, sdc_file_result *self, const char *name, const char *what,
                    const char *text_as, const unsigned char *p, size_t len, int depth,
                    sdc_budget *b, sdc_result_list *list)
{
    if (depth + 1 > w->policy->archive_max_depth) {
        sdc_container_finding(self, "needs-review", SDC_REVIEW,
                              "do not nest files in files; submit the files themselves",
                              "%s is not walked: nested more than %d deep (archive max_depth)",
                              what, w->policy->archive_max_depth);
        return 0;
    }
    sdc_walk mw = *w;
    mw.text_as = text_as;
    b->members++;
    return sdc_container_walk_bytes(&mw, self, name, p, len, depth, b, list);
}
