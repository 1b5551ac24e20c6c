/*
 * number.c - numbers as researchers write them.
 *
 * Stata, R, SAS, SPSS and Excel write the same count as "1234", "1,234",
 * "1 234" or "+1234", percentages as "12.5%", and semicolon files from
 * European locales use a decimal comma ("12,5"). Anything else that only
 * looks numeric ("10-14", "(5)", "1.2.3") is not a number: a label.
 * Thousands separators are accepted only in well-formed groups of three so
 * that "1,5" is never read as 15.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdccheck/table.h"

/* Longest numeric text we accept; longer cells are labels. */
#define NUMBER_MAX 64

/* The canonical number B ([sign] digits [. digits], no exponent) of at
 * most 15 digits, as strtod would read it: the digits are an integer
 * below 2^53 and 10^k (k up to 22) a double exactly, so their quotient,
 * rounded once, is the correctly rounded value (Clinger, "How to read
 * floating point numbers accurately", 1990). False when B is not such a
 * number (strtod reads it then). Tables are mostly such numbers, and
 * strtod was a tenth of reading one. */
static bool exact_decimal(const char *b, double *v)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    bool negative = *b == '-';
    if (*b == '-' || *b == '+')
        b++;
    unsigned long long m = 0;
    int digits = 0, frac = -1;
    for (; *b; b++) {
        if (*b == '.') {
            frac = 0;
            continue;
        }
        if (*b < '0' || *b > '9' || ++digits > 15)
            return false;
        m = m * 10 + (unsigned)(*b - '0');
        if (frac >= 0)
            frac++;
    }
    if (digits == 0 || frac > 22)
        return false;
    double x = frac > 0 ? (double)m / pow10[frac] : (double)m;
    *v = negative ? -x : x;
    return true;
}

bool sdc_number_parse(const char *s, size_t len, bool decimal_comma, double *value,
                      bool *is_percent)
{
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 0 || len >= NUMBER_MAX)
        return false;

    bool percent = false;
    if (s[len - 1] == '%') {
        percent = true;
        len--;
        while (len && isspace((unsigned char)s[len - 1]))
            len--;
        if (len == 0)
            return false;
    }

    /* Copy into canonical form: sign, digits, '.', exponent. */
    char buf[NUMBER_MAX];
    size_t o = 0, i = 0;
    if (s[i] == '+' || s[i] == '-')
        buf[o++] = s[i++];
    const char group_sep = decimal_comma ? '.' : ',';
    const char decimal_sep = decimal_comma ? ',' : '.';
    size_t group_digits = 0;
    bool grouped = false, seen_digit = false;
    for (; i < len; i++) {
        char ch = s[i];
        if (isdigit((unsigned char)ch)) {
            buf[o++] = ch;
            group_digits++;
            seen_digit = true;
        } else if ((ch == group_sep || ch == ' ') && seen_digit) {
            /* A separator must follow 1-3 digits (first group) or exactly
             * 3 (later groups), and be followed by exactly 3 digits. */
            if ((grouped && group_digits != 3) || (!grouped && group_digits > 3))
                return false;
            for (size_t k = 1; k <= 3; k++)
                if (i + k >= len || !isdigit((unsigned char)s[i + k]))
                    return false;
            if (i + 4 < len && isdigit((unsigned char)s[i + 4]))
                return false;
            grouped = true;
            group_digits = 0;
        } else {
            break;
        }
    }
    if (grouped && group_digits != 3)
        return false;
    if (i < len && s[i] == decimal_sep) {
        buf[o++] = '.';
        i++;
        for (; i < len && isdigit((unsigned char)s[i]); i++) {
            buf[o++] = s[i];
            seen_digit = true;
        }
    }
    if (!seen_digit)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E') && !grouped) {
        buf[o++] = 'e';
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            buf[o++] = s[i++];
        size_t exp_digits = 0;
        for (; i < len && isdigit((unsigned char)s[i]); i++, exp_digits++)
            buf[o++] = s[i];
        if (exp_digits == 0)
            return false;
    }
    if (i != len)
        return false;
    buf[o] = '\0';

    double v;
    if (!exact_decimal(buf, &v)) {
        char *end = NULL;
        v = strtod(buf, &end);
        if (!end || *end != '\0' || !isfinite(v))
            return false;
    }
    *value = v;
    if (is_percent)
        *is_percent = percent;
    return true;
}

int sdc_number_decimals(const char *text)
{
    const char *dot = strchr(text, '.');
    int n = 0;
    if (dot)
        for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++)
            n++;
    return n;
}

void sdc_number_format(double v, char *out, size_t size)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(out, size, "%.0f", v);
    else
        snprintf(out, size, "%.6g", v);
}
