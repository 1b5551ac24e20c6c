/*
 * policy_error.c - the errors of one policy load.
 *
 * `policy check` reports every problem of a file at once, so an error is
 * never a return value that stops the load: it is appended to the load's
 * list (sdc_pol_reader) with its file and line, and counted. The count is
 * kept apart from the list so that an error we had no memory to record
 * still fails the load: a policy is never half-applied.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/format.h"
#include "sdccheck/policy.h"
#include "core/policy_internal.h"

void sdc_pol_error_add(sdc_pol_reader *r, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sdc_pol_error_addv(r, file, line, fmt, ap);
    va_end(ap);
}

void sdc_pol_error_addv(sdc_pol_reader *r, const char *file, long line, const char *fmt, va_list ap)
{
    r->failures++; /* counted even when the message is lost: the policy still fails */
    sdc_policy_error e = {0};
    if (!(e.message = sdc_vformat(fmt, ap)))
        return;
    e.file = strdup(file ? file : "");
    e.line = line;
    sdc_policy_error *items = realloc(r->errors->items, (r->errors->count + 1) * sizeof *items);
    if (!e.file || !items) {
        free(e.file);
        free(e.message);
        if (items)
            r->errors->items = items;
        return;
    }
    items[r->errors->count++] = e;
    r->errors->items = items;
}

void sdc_pol_error_oom(sdc_pol_reader *r, const char *file)
{
    sdc_pol_error_add(r, file, 0, "out of memory");
}

void sdc_pol_errors_move(sdc_policy_errors *to, sdc_policy_errors *from)
{
    if (!to || from->count == 0) {
        sdc_policy_errors_free(from);
        return;
    }
    sdc_policy_error *items = realloc(to->items, (to->count + from->count) * sizeof *items);
    if (!items) {
        sdc_policy_errors_free(from);
        return;
    }
    memcpy(items + to->count, from->items, from->count * sizeof *items);
    to->items = items;
    to->count += from->count;
    free(from->items);
    from->items = NULL;
    from->count = 0;
}

void sdc_policy_errors_free(sdc_policy_errors *errors)
{
    if (!errors)
        return;
    for (size_t i = 0; i < errors->count; i++) {
        free(errors->items[i].file);
        free(errors->items[i].message);
    }
    free(errors->items);
    errors->items = NULL;
    errors->count = 0;
}
