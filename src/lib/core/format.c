/*
 * format.c - printf into a new string: the one vasprintf wrapper; numbers
 * in their shortest round-trip text.
 *
 * vasprintf leaves its pointer undefined when it fails; every caller
 * wants NULL instead, so the check lives here once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

int sdc_format_number(double v, char *buf, size_t size)
{
    if (size == 0)
        return -1;
    buf[0] = '\0';
    if (!isfinite(v))
        return -1;
    double magnitude = v < 0 ? -v : v;
    /* Below 2^53 every whole double is an exact long long (and -0 is 0). */
    if (magnitude < 9007199254740992.0 && (double)(long long)v == v) {
        snprintf(buf, size, "%lld", (long long)v);
        return 0;
    }
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(buf, size, "%.*g", precision, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    /* A caller that set LC_NUMERIC may have given us a decimal comma; JSON
     * and every reader of these reports want a point. */
    for (char *c = buf; *c; c++)
        if (*c == ',')
            *c = '.';
    return 0;
}
