/*
 * format.h - printf into a new string (private).
 */
#ifndef SDC_CORE_FORMAT_H
#define SDC_CORE_FORMAT_H

#include <stdarg.h>

/* FMT formatted printf-style into a new string (free it), or NULL when out
 * of memory or when the text would be longer than INT_MAX. */
char *sdc_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *sdc_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
