/*
 * policy_validate.c - checking one value of a policy, and naming the key a
 * typo meant.
 *
 * A value is taken only when it has the right type and range; otherwise
 * the error says what was expected and what was found, at the value's
 * line. Numbers and booleans must be plain (unquoted) scalars, so that
 * "10" in quotes is reported as the string it is rather than read as a
 * number. The scalar parsers are strict: a trailing word, an overflowing
 * integer or an infinite number is an error, never silently trimmed.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sdccheck/policy.h"
#include "core/policy_internal.h"

/* ---- scalar parsing ---------------------------------------------------- */

static bool parse_double(const char *s, double *out)
{
    if (!*s || strspn(s, "0123456789+-.eE") != strlen(s))
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Sets errno to ERANGE (and fails) for a whole number that does not fit. */
static bool parse_long(const char *s, long long *out)
{
    const char *digits = (*s == '+' || *s == '-') ? s + 1 : s;
    errno = 0;
    if (!*digits || strspn(digits, "0123456789") != strlen(digits))
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", NULL};
    static const char *const no[] = {"false", "no", "off", NULL};
    for (size_t i = 0; yes[i]; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* "4GiB", "100 MiB", "5000000" -> bytes. Decimal (kB, MB, GB, TB) and
 * binary (KiB, MiB, GiB, TiB) units; a bare K/M/G is refused as ambiguous. */
static bool parse_bytes(const char *s, long long *out)
{
    static const struct {
        const char *unit;
        long long factor;
    } units[] = {{"", 1},
                 {"B", 1},
                 {"kB", 1000LL},
                 {"KiB", 1LL << 10},
                 {"MB", 1000000LL},
                 {"MiB", 1LL << 20},
                 {"GB", 1000000000LL},
                 {"GiB", 1LL << 30},
                 {"TB", 1000000000000LL},
                 {"TiB", 1LL << 40}};
    size_t ndigits = strspn(s, "0123456789");
    if (ndigits == 0 || ndigits > 18)
        return false;
    const char *unit = s + ndigits;
    while (*unit == ' ')
        unit++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcasecmp(unit, units[i].unit) != 0)
            continue;
        long long n = strtoll(s, NULL, 10);
        if (n > LLONG_MAX / units[i].factor)
            return false;
        *out = n * units[i].factor;
        return true;
    }
    return false;
}

/* ---- ranges ------------------------------------------------------------ */

static bool in_range(const sdc_pol_range *rg, double v)
{
    if (rg->has_min && (rg->min_open ? v <= rg->min : v < rg->min))
        return false;
    if (rg->has_max && (rg->max_open ? v >= rg->max : v > rg->max))
        return false;
    return true;
}

/* "greater than 0 and at most 1" */
static void describe_range(const sdc_pol_range *rg, char *buf, size_t size)
{
    char lo[64] = "", hi[64] = "";
    if (rg->has_min)
        snprintf(lo, sizeof lo, "%s %g", rg->min_open ? "greater than" : "at least", rg->min);
    if (rg->has_max)
        snprintf(hi, sizeof hi, "%s %g", rg->max_open ? "less than" : "at most", rg->max);
    snprintf(buf, size, "%s%s%s", lo, (*lo && *hi) ? " and " : "", hi);
}

/* ---- typed values ------------------------------------------------------ */

bool sdc_pol_get_number(sdc_pol_layer *l, const char *key, yaml_node_t *v, const sdc_pol_range *rg,
                        double *out)
{
    double d;
    if (!sdc_pol_is_plain(v) || !parse_double(sdc_pol_scalar_text(v), &d)) {
        bool scalar = sdc_pol_is_scalar(v);
        sdc_pol_layer_error(l, v, "%s must be a number, not %s%s%s%s", key,
                            scalar ? "'" : sdc_pol_node_kind(v),
                            scalar ? sdc_pol_scalar_text(v) : "", scalar ? "'" : "",
                            scalar && !sdc_pol_is_plain(v) ? " (quoted: a string)" : "");
        return false;
    }
    if (rg && !in_range(rg, d)) {
        char what[160];
        describe_range(rg, what, sizeof what);
        sdc_pol_layer_error(l, v, "%s must be %s, not %s", key, what, sdc_pol_scalar_text(v));
        return false;
    }
    *out = d;
    return true;
}

bool sdc_pol_get_integer(sdc_pol_layer *l, const char *key, yaml_node_t *v, const sdc_pol_range *rg,
                         long long max, long long *out)
{
    long long n;
    if (sdc_pol_is_plain(v) && !parse_long(sdc_pol_scalar_text(v), &n) && errno == ERANGE) {
        sdc_pol_layer_error(l, v, "%s is too large: %s", key, sdc_pol_scalar_text(v));
        return false;
    }
    if (!sdc_pol_is_plain(v) || !parse_long(sdc_pol_scalar_text(v), &n)) {
        bool scalar = sdc_pol_is_scalar(v);
        sdc_pol_layer_error(l, v, "%s must be a whole number, not %s%s%s", key,
                            scalar ? "'" : sdc_pol_node_kind(v),
                            scalar ? sdc_pol_scalar_text(v) : "", scalar ? "'" : "");
        return false;
    }
    if (n > max) {
        sdc_pol_layer_error(l, v, "%s is too large: %s", key, sdc_pol_scalar_text(v));
        return false;
    }
    if (rg && !in_range(rg, (double)n)) {
        char what[160];
        describe_range(rg, what, sizeof what);
        sdc_pol_layer_error(l, v, "%s must be %s, not %s", key, what, sdc_pol_scalar_text(v));
        return false;
    }
    *out = n;
    return true;
}

bool sdc_pol_get_bool(sdc_pol_layer *l, const char *key, yaml_node_t *v, bool *out)
{
    if (!sdc_pol_is_plain(v) || !parse_bool(sdc_pol_scalar_text(v), out)) {
        bool scalar = sdc_pol_is_scalar(v);
        sdc_pol_layer_error(l, v, "%s must be true or false, not %s%s%s", key,
                            scalar ? "'" : sdc_pol_node_kind(v),
                            scalar ? sdc_pol_scalar_text(v) : "", scalar ? "'" : "");
        return false;
    }
    return true;
}

bool sdc_pol_get_bytes(sdc_pol_layer *l, const char *key, yaml_node_t *v, long long *out)
{
    long long n;
    if (!sdc_pol_is_scalar(v) || !parse_bytes(sdc_pol_scalar_text(v), &n) || n <= 0) {
        bool scalar = sdc_pol_is_scalar(v);
        sdc_pol_layer_error(l, v, "%s must be a size such as 4GiB, 100MiB or 5000000, not %s%s%s",
                            key, scalar ? "'" : sdc_pol_node_kind(v),
                            scalar ? sdc_pol_scalar_text(v) : "", scalar ? "'" : "");
        return false;
    }
    *out = n;
    return true;
}

bool sdc_pol_is_null(const yaml_node_t *v)
{
    if (!sdc_pol_is_plain(v))
        return false;
    const char *s = sdc_pol_scalar_text(v);
    return !*s || strcmp(s, "~") == 0 || strcasecmp(s, "null") == 0;
}

bool sdc_pol_is_off(const yaml_node_t *v)
{
    bool on;
    return sdc_pol_is_null(v) ||
           (sdc_pol_is_plain(v) && parse_bool(sdc_pol_scalar_text(v), &on) && !on);
}

bool sdc_pol_expect_mapping(sdc_pol_layer *l, const char *key, yaml_node_t *v)
{
    if (v && v->type == YAML_MAPPING_NODE)
        return true;
    sdc_pol_layer_error(l, v, "%s must be a mapping, not %s", key, sdc_pol_node_kind(v));
    return false;
}

bool sdc_pol_expect_list(sdc_pol_layer *l, const char *key, yaml_node_t *v)
{
    if (v && v->type == YAML_SEQUENCE_NODE)
        return true;
    sdc_pol_layer_error(l, v, "%s must be a list, not %s", key, sdc_pol_node_kind(v));
    return false;
}

/* ---- did you mean ------------------------------------------------------ */

/* Edit distance, case-insensitive; SIZE_MAX for words over 40 letters. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return SIZE_MAX;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* A plausible typo: at most two edits, and no more than one edit per three
 * letters. */
const char *sdc_pol_closest(const char *key, const char *const *known)
{
    const char *best = NULL;
    size_t best_distance = 3;
    for (size_t i = 0; known[i]; i++) {
        size_t d = edit_distance(key, known[i]);
        if (d < best_distance && d * 3 <= strlen(key)) {
            best = known[i];
            best_distance = d;
        }
    }
    return best;
}

void sdc_pol_unknown_key(sdc_pol_layer *l, yaml_node_t *k, const char *key, const char *where,
                         const char *const *known)
{
    const char *best = sdc_pol_closest(key, known);
    if (best)
        sdc_pol_layer_error(l, k, "unknown key '%s'%s (did you mean '%s'?)", key, where, best);
    else
        sdc_pol_layer_error(l, k, "unknown key '%s'%s", key, where);
}
