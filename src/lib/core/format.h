/*
 * format.h - printf into a new string; numbers as text (private).
 */
#ifndef SDC_CORE_FORMAT_H
#define SDC_CORE_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* FMT formatted printf-style into a new string (free it), or NULL when out
 * of memory or when the text would be longer than INT_MAX. */
char *sdc_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *sdc_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Longest text sdc_format_number writes, with its NUL. */
#define SDC_FORMAT_NUMBER_MAX 32

/*
 * Formats V into BUF (SDC_FORMAT_NUMBER_MAX bytes) as the shortest text that
 * reads back as V; whole numbers without a decimal point ("10", not "10.0"
 * or "1e+01"). Returns 0, or -1 (BUF "") when V is not finite.
 */
int sdc_format_number(double v, char *buf, size_t size);

#endif
