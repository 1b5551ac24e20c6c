/*
 * format.c - printf into a new string: the one vasprintf wrapper.
 *
 * vasprintf leaves its pointer undefined when it fails; every caller
 * wants NULL instead, so the check lives here once.
 */
#include <stdio.h>

#include "core/format.h"

char *sdc_vformat(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        return NULL;
    return s;
}

char *sdc_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = sdc_vformat(fmt, ap);
    va_end(ap);
    return s;
}
