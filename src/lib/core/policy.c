/*
 * policy.c - reading policies from YAML.
 *
 * A policy file is one YAML mapping, loaded with libyaml's document API so
 * that every node keeps the line it came from. Loading is layered: a file
 * that says `extends: PARENT` first loads PARENT (recursively, with cycle
 * detection) into the same sdc_policy, then applies its own keys on top; a
 * file without `extends` starts from the C defaults below. Every key is
 * checked against a table of known keys with its type and range, and every
 * problem becomes an sdc_policy_error with file and line. Checking never
 * stops at the first error (`policy check` reports them all), but a load
 * with any error returns NULL: a policy is never half-applied.
 *
 * List keys replace the inherited list; `add_<key>` appends to it instead
 * (applied after the plain keys of the same file, whatever their order).
 * The embedded policies are generated from the files in policies/ into
 * sdc_builtin_policies[] (policy_builtin.h); an embedded policy may only
 * extend another embedded one, so the binary needs no files.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "sdccheck/policy.h"
#include "core/policy_builtin.h"

#ifndef SDC_DATADIR
#define SDC_DATADIR "/usr/local/share/sdccheck"
#endif

#define MAX_EXTENDS_DEPTH 16
#define MAX_POLICY_BYTES (1024L * 1024L)

/* The embedded policies, default first (the table itself is generated in
 * file order; tests check that the two agree). */
static const char *const builtin_names[] = {"ons-srs", "acro-default", "eurostat", "opensafely",
                                            NULL};

/* Rule ids of SPEC 5.0: the only keys `verdicts` accepts. */
static const char *const rule_ids[] = {"threshold",
                                       "zeros",
                                       "group-disclosure",
                                       "rounding",
                                       "percent-without-counts",
                                       "totals-mismatch",
                                       "contributors-missing",
                                       "nk-rule",
                                       "p-ratio",
                                       "pq-rule",
                                       "negative-values",
                                       "missing-values",
                                       "data-mismatch",
                                       "min-max",
                                       "mode",
                                       "percentile",
                                       "all-values-are-same",
                                       "dof",
                                       "dof-missing",
                                       "unrecognised-column",
                                       "identifier",
                                       "microdata",
                                       "secondary-recoverable",
                                       "secondary-narrow",
                                       "model-file",
                                       "data-file",
                                       "disguised",
                                       "appended-data",
                                       "embedded-blob",
                                       "archive-bomb",
                                       "archive-encrypted",
                                       "archive-path",
                                       "malformed",
                                       "encoding",
                                       "needs-review",
                                       NULL};

/* The built-in identifier detectors (SPEC 5.5). */
static const char *const identifier_kinds[] = {"nhs_number", "ni_number", "postcode",
                                               "email",      "phone",     NULL};

/* ---- defaults ---------------------------------------------------------- */

static const char *const default_suppressed[] = {"c",          "[c]", "*",  "x", "..", "-",
                                                 "suppressed", "<10", "<5", "",  NULL};
static const char *const default_missing[] = {"NA", "NaN", "N/A", ".", NULL};
static const char *const default_totals[] = {"Total", "All",         "Overall", "Grand total",
                                             "Sum",   "All persons", NULL};
static const char *const default_counts[] = {"n",   "N",      "count",      "freq", "frequency",
                                             "obs", "number", "unweighted", NULL};
static const char *const default_magnitudes[] = {"sum",      "total",  "value", "amount",
                                                 "turnover", "income", NULL};
static const char *const default_extremes[] = {"min", "max", "minimum", "maximum", NULL};
static const char *const default_percentiles[] = {
    "median", "p10", "p25", "p50", "p75", "p90", "q1", "q3", "pctile", "percentile", NULL};
static const char *const default_modes[] = {"mode", NULL};
static const char *const default_percents[] = {"pct",  "percent",    "%", "share",
                                               "rate", "proportion", NULL};
static const char *const default_regression[] = {
    "estimate", "coef",     "coefficient", "std_error", "se",       "std.error",
    "t",        "t_value",  "statistic",   "z",         "p_value",  "p.value",
    "pvalue",   "conf.low", "conf.high",   "ci_lower",  "ci_upper", NULL};
static const char *const default_dimensions[] = {"year",      "month", "quarter", "period", "age",
                                                 "age_group", "date",  "week",    NULL};
static const char *const default_ids[] = {
    "id",      "person_id",    "patient_id", "nhs_number", "pupil_id", "record_id", "respondent_id",
    "firm_id", "household_id", "ni_number",  NULL};

/* ---- small helpers ----------------------------------------------------- */

static bool name_in(const char *const *names, const char *s)
{
    for (size_t i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return true;
    return false;
}

static void strlist_clear(sdc_strlist *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* Appends a copy of S; returns -1 when out of memory. */
static int strlist_push(sdc_strlist *list, const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        return -1;
    char **items = realloc(list->items, (list->count + 1) * sizeof *items);
    if (!items) {
        free(copy);
        return -1;
    }
    items[list->count++] = copy;
    list->items = items;
    return 0;
}

static int strlist_set(sdc_strlist *list, const char *const *values)
{
    strlist_clear(list);
    for (size_t i = 0; values[i]; i++)
        if (strlist_push(list, values[i]) < 0)
            return -1;
    return 0;
}

/* Copies S without the spaces around it. */
static char *dup_trimmed(const char *s, size_t len)
{
    while (len > 0 && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    return strndup(s, len);
}

static void patterns_clear(sdc_policy *p)
{
    for (size_t i = 0; i < p->pattern_count; i++) {
        free(p->patterns[i].name);
        free(p->patterns[i].regex);
    }
    memset(p->patterns, 0, sizeof p->patterns);
    p->pattern_count = 0;
}

static void overrides_clear(sdc_policy *p)
{
    for (size_t i = 0; i < p->override_count; i++)
        free(p->overrides[i].rule);
    memset(p->overrides, 0, sizeof p->overrides);
    p->override_count = 0;
}

/* Every string list of a policy, for freeing and copying as a group. */
static sdc_strlist *policy_list(sdc_policy *p, size_t i)
{
    sdc_strlist *lists[] = {&p->suppressed_markers, &p->missing_markers,   &p->total_labels,
                            &p->count_names,        &p->magnitude_names,   &p->extreme_names,
                            &p->percentile_names,   &p->mode_names,        &p->percent_names,
                            &p->regression_names,   &p->dimension_names,   &p->id_names,
                            &p->identifiers,        &p->allowed_file_types};
    return i < sizeof lists / sizeof lists[0] ? lists[i] : NULL;
}

/* Frees everything the policy owns; the struct itself stays. */
static void policy_clear(sdc_policy *p)
{
    free(p->name);
    free(p->description);
    free(p->source);
    for (size_t i = 0; policy_list(p, i); i++)
        strlist_clear(policy_list(p, i));
    patterns_clear(p);
    overrides_clear(p);
    memset(p, 0, sizeof *p);
}

/* The safety net under every policy chain: the values of SPEC 5-6. */
static int policy_set_defaults(sdc_policy *p)
{
    policy_clear(p);
    p->threshold = 10;
    p->zeros_are_disclosive = true;
    p->group_share = 0.9;
    p->rounding_base = 0;
    p->rounding_mode = SDC_ROUND_MULTIPLE;
    p->nk[0].n = 2;
    p->nk[0].k = 0.9;
    p->nk_count = 1;
    p->p_ratio = 0.10;
    p->check_missing_values = false;
    p->allow_min_max = false;
    p->dof_threshold = 10;
    p->max_table_rows = 10000;
    p->archive_max_depth = 8;
    p->archive_max_ratio = 100;
    p->archive_max_bytes = 4LL << 30;
    p->archive_max_members = 10000;
    if (strlist_set(&p->suppressed_markers, default_suppressed) < 0 ||
        strlist_set(&p->missing_markers, default_missing) < 0 ||
        strlist_set(&p->total_labels, default_totals) < 0 ||
        strlist_set(&p->count_names, default_counts) < 0 ||
        strlist_set(&p->magnitude_names, default_magnitudes) < 0 ||
        strlist_set(&p->extreme_names, default_extremes) < 0 ||
        strlist_set(&p->percentile_names, default_percentiles) < 0 ||
        strlist_set(&p->mode_names, default_modes) < 0 ||
        strlist_set(&p->percent_names, default_percents) < 0 ||
        strlist_set(&p->regression_names, default_regression) < 0 ||
        strlist_set(&p->dimension_names, default_dimensions) < 0 ||
        strlist_set(&p->id_names, default_ids) < 0 ||
        strlist_set(&p->identifiers, identifier_kinds) < 0)
        return -1;
    return 0;
}

/* ---- errors ------------------------------------------------------------ */

/* State shared by every layer of one load. */
struct reader {
    sdc_policy_errors *errors;
    size_t failures;                /* errors seen, even ones we had no memory to keep */
    char *chain[MAX_EXTENDS_DEPTH]; /* identities being loaded, outermost first */
    const char *chain_file[MAX_EXTENDS_DEPTH];
    size_t depth;
};

static void add_error(struct reader *r, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_error(struct reader *r, const char *file, long line, const char *fmt, ...)
{
    r->failures++;
    sdc_policy_error e = {0};
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&e.message, fmt, ap);
    va_end(ap);
    if (n < 0)
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

static void out_of_memory(struct reader *r, const char *file)
{
    add_error(r, file, 0, "out of memory");
}

/* ---- one YAML document ------------------------------------------------- */

/* One policy file being applied. */
struct layer {
    struct reader *r;
    yaml_document_t *doc;
    const char *file; /* as shown in errors */
    const char *dir;  /* folder for relative `extends`, NULL if embedded */
    sdc_policy *p;
};

static long node_line(const yaml_node_t *node)
{
    return node ? (long)node->start_mark.line + 1 : 0;
}

static void layer_error(struct layer *l, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void layer_error(struct layer *l, const yaml_node_t *node, const char *fmt, ...)
{
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (n < 0) {
        out_of_memory(l->r, l->file);
        return;
    }
    add_error(l->r, l->file, node_line(node), "%s", msg);
    free(msg);
}

static yaml_node_t *node_at(struct layer *l, int id)
{
    return yaml_document_get_node(l->doc, id);
}

static bool is_scalar(const yaml_node_t *node)
{
    return node && node->type == YAML_SCALAR_NODE;
}

static const char *scalar_text(const yaml_node_t *node)
{
    return (const char *)node->data.scalar.value;
}

static bool is_plain(const yaml_node_t *node)
{
    return is_scalar(node) && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static const char *node_kind(const yaml_node_t *node)
{
    if (!node)
        return "nothing";
    switch (node->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

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

struct range {
    bool has_min, min_open, has_max, max_open;
    double min, max;
};

#define AT_LEAST(x)                                                                                \
    {                                                                                              \
        true, false, false, false, (x), 0                                                          \
    }
#define ABOVE(x)                                                                                   \
    {                                                                                              \
        true, true, false, false, (x), 0                                                           \
    }
#define SHARE_OPEN_CLOSED                                                                          \
    {                                                                                              \
        true, true, true, false, 0, 1                                                              \
    } /* 0 < x <= 1 */
#define SHARE_CLOSED_OPEN                                                                          \
    {                                                                                              \
        true, false, true, true, 0, 1                                                              \
    } /* 0 <= x < 1 */

static bool in_range(const struct range *rg, double v)
{
    if (rg->has_min && (rg->min_open ? v <= rg->min : v < rg->min))
        return false;
    if (rg->has_max && (rg->max_open ? v >= rg->max : v > rg->max))
        return false;
    return true;
}

/* "greater than 0 and at most 1" */
static void describe_range(const struct range *rg, char *buf, size_t size)
{
    char lo[64] = "", hi[64] = "";
    if (rg->has_min)
        snprintf(lo, sizeof lo, "%s %g", rg->min_open ? "greater than" : "at least", rg->min);
    if (rg->has_max)
        snprintf(hi, sizeof hi, "%s %g", rg->max_open ? "less than" : "at most", rg->max);
    snprintf(buf, size, "%s%s%s", lo, (*lo && *hi) ? " and " : "", hi);
}

/* ---- typed values ------------------------------------------------------ */

static bool get_number(struct layer *l, const char *key, yaml_node_t *v, const struct range *rg,
                       double *out)
{
    double d;
    if (!is_plain(v) || !parse_double(scalar_text(v), &d)) {
        layer_error(l, v, "%s must be a number, not %s%s%s%s", key,
                    is_scalar(v) ? "'" : node_kind(v), is_scalar(v) ? scalar_text(v) : "",
                    is_scalar(v) ? "'" : "",
                    is_scalar(v) && !is_plain(v) ? " (quoted: a string)" : "");
        return false;
    }
    if (rg && !in_range(rg, d)) {
        char what[160];
        describe_range(rg, what, sizeof what);
        layer_error(l, v, "%s must be %s, not %s", key, what, scalar_text(v));
        return false;
    }
    *out = d;
    return true;
}

static bool get_integer(struct layer *l, const char *key, yaml_node_t *v, const struct range *rg,
                        long long max, long long *out)
{
    long long n;
    if (is_plain(v) && !parse_long(scalar_text(v), &n) && errno == ERANGE) {
        layer_error(l, v, "%s is too large: %s", key, scalar_text(v));
        return false;
    }
    if (!is_plain(v) || !parse_long(scalar_text(v), &n)) {
        layer_error(l, v, "%s must be a whole number, not %s%s%s", key,
                    is_scalar(v) ? "'" : node_kind(v), is_scalar(v) ? scalar_text(v) : "",
                    is_scalar(v) ? "'" : "");
        return false;
    }
    if (n > max) {
        layer_error(l, v, "%s is too large: %s", key, scalar_text(v));
        return false;
    }
    if (rg && !in_range(rg, (double)n)) {
        char what[160];
        describe_range(rg, what, sizeof what);
        layer_error(l, v, "%s must be %s, not %s", key, what, scalar_text(v));
        return false;
    }
    *out = n;
    return true;
}

static bool get_bool(struct layer *l, const char *key, yaml_node_t *v, bool *out)
{
    if (!is_plain(v) || !parse_bool(scalar_text(v), out)) {
        layer_error(l, v, "%s must be true or false, not %s%s%s", key,
                    is_scalar(v) ? "'" : node_kind(v), is_scalar(v) ? scalar_text(v) : "",
                    is_scalar(v) ? "'" : "");
        return false;
    }
    return true;
}

/* A plain scalar YAML reads as null (an empty value or ~). */
static bool is_null(const yaml_node_t *v)
{
    if (!is_plain(v))
        return false;
    const char *s = scalar_text(v);
    return !*s || strcmp(s, "~") == 0 || strcasecmp(s, "null") == 0;
}

/* ---- mappings ---------------------------------------------------------- */

typedef void (*pair_fn)(struct layer *l, const char *key, yaml_node_t *k, yaml_node_t *v,
                        void *arg);

/* Calls FN for each key of MAPPING, skipping (and unless QUIET, reporting)
 * non-scalar and repeated keys. */
static void each_pair_q(struct layer *l, yaml_node_t *mapping, pair_fn fn, void *arg, bool quiet)
{
    yaml_node_pair_t *start = mapping->data.mapping.pairs.start;
    yaml_node_pair_t *top = mapping->data.mapping.pairs.top;
    for (yaml_node_pair_t *pair = start; pair < top; pair++) {
        yaml_node_t *k = node_at(l, pair->key);
        yaml_node_t *v = node_at(l, pair->value);
        if (!is_scalar(k)) {
            if (!quiet)
                layer_error(l, k, "a key must be a plain word, not %s", node_kind(k));
            continue;
        }
        const char *key = scalar_text(k);
        bool repeated = false;
        for (yaml_node_pair_t *prev = start; prev < pair && !repeated; prev++) {
            yaml_node_t *pk = node_at(l, prev->key);
            if (is_scalar(pk) && strcmp(scalar_text(pk), key) == 0) {
                if (!quiet)
                    layer_error(l, k, "key '%s' is repeated (first on line %ld)", key,
                                node_line(pk));
                repeated = true;
            }
        }
        if (!repeated)
            fn(l, key, k, v, arg);
    }
}

static void each_pair(struct layer *l, yaml_node_t *mapping, pair_fn fn, void *arg)
{
    each_pair_q(l, mapping, fn, arg, false);
}

static bool expect_mapping(struct layer *l, const char *key, yaml_node_t *v)
{
    if (v && v->type == YAML_MAPPING_NODE)
        return true;
    layer_error(l, v, "%s must be a mapping, not %s", key, node_kind(v));
    return false;
}

static bool expect_list(struct layer *l, const char *key, yaml_node_t *v)
{
    if (v && v->type == YAML_SEQUENCE_NODE)
        return true;
    layer_error(l, v, "%s must be a list, not %s", key, node_kind(v));
    return false;
}

/* Edit distance, for "did you mean" on unknown keys. */
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

/* The name in KNOWN closest to KEY, if it is a plausible typo: at most two
 * edits, and no more than one edit per three letters. */
static const char *closest(const char *key, const char *const *known)
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

static void unknown_key(struct layer *l, yaml_node_t *k, const char *key, const char *where,
                        const char *const *known)
{
    const char *best = closest(key, known);
    if (best)
        layer_error(l, k, "unknown key '%s'%s (did you mean '%s'?)", key, where, best);
    else
        layer_error(l, k, "unknown key '%s'%s", key, where);
}

/* ---- string lists ------------------------------------------------------ */

typedef bool (*item_check_fn)(struct layer *l, const char *key, yaml_node_t *item);

static bool check_identifier_kind(struct layer *l, const char *key, yaml_node_t *item)
{
    if (name_in(identifier_kinds, scalar_text(item)))
        return true;
    layer_error(l, item,
                "%s: unknown identifier '%s' (known: nhs_number, ni_number, "
                "postcode, email, phone)",
                key, scalar_text(item));
    return false;
}

static bool check_file_type(struct layer *l, const char *key, yaml_node_t *item)
{
    const char *s = scalar_text(item);
    if (*s && *s != '.' && !strchr(s, '/'))
        return true;
    layer_error(l, item, "%s: '%s' is not a file name extension (write csv, not .csv)", key, s);
    return false;
}

/* Reads list V into LIST (appending when APPEND). */
static void read_strlist(struct layer *l, const char *key, yaml_node_t *v, sdc_strlist *list,
                         bool append, item_check_fn check)
{
    if (!expect_list(l, key, v))
        return;
    sdc_strlist fresh = {0};
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = node_at(l, *it);
        if (!is_scalar(item)) {
            layer_error(l, item, "%s: each item must be a string, not %s", key, node_kind(item));
            continue;
        }
        if (check && !check(l, key, item))
            continue;
        char *s = dup_trimmed(scalar_text(item), item->data.scalar.length);
        if (!s || strlist_push(&fresh, s) < 0)
            out_of_memory(l->r, l->file);
        free(s);
    }
    if (!append) {
        strlist_clear(list);
        *list = fresh;
        return;
    }
    for (size_t i = 0; i < fresh.count; i++)
        if (strlist_push(list, fresh.items[i]) < 0)
            out_of_memory(l->r, l->file);
    strlist_clear(&fresh);
}

/* ---- structured keys --------------------------------------------------- */

struct nk_read {
    sdc_nk_pair pair;
    bool seen_n, seen_k; /* the key is there */
    bool has_n, has_k;   /* and its value is good */
};

static void nk_pair_key(struct layer *l, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    struct nk_read *nk = arg;
    static const struct range n_range = AT_LEAST(1);
    static const struct range k_range = SHARE_OPEN_CLOSED;
    static const char *const known[] = {"n", "k", NULL};
    long long n;
    if (strcmp(key, "n") == 0) {
        nk->seen_n = true;
        if (get_integer(l, "nk_rules: n", v, &n_range, INT_MAX, &n)) {
            nk->pair.n = (int)n;
            nk->has_n = true;
        }
    } else if (strcmp(key, "k") == 0) {
        nk->seen_k = true;
        if (get_number(l, "nk_rules: k", v, &k_range, &nk->pair.k))
            nk->has_k = true;
    } else {
        unknown_key(l, k, key, " in nk_rules (use n and k)", known);
    }
}

static void read_nk_rules(struct layer *l, const char *key, yaml_node_t *v, bool append)
{
    if (!expect_list(l, key, v))
        return;
    sdc_policy *p = l->p;
    sdc_nk_pair pairs[SDC_POLICY_MAX_NK];
    size_t count = 0;
    if (append) {
        memcpy(pairs, p->nk, p->nk_count * sizeof pairs[0]);
        count = p->nk_count;
    }
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = node_at(l, *it);
        if (!expect_mapping(l, "each nk_rules item", item))
            continue;
        struct nk_read nk = {{0, 0}, false, false, false, false};
        each_pair(l, item, nk_pair_key, &nk);
        if (!nk.seen_n || !nk.seen_k)
            layer_error(l, item, "%s: each item needs n and k, e.g. {n: 2, k: 0.9}", key);
        if (!nk.has_n || !nk.has_k)
            continue;
        if (count == SDC_POLICY_MAX_NK) {
            layer_error(l, item, "%s: at most %d (n, k) pairs", key, SDC_POLICY_MAX_NK);
            break;
        }
        pairs[count++] = nk.pair;
    }
    memcpy(p->nk, pairs, count * sizeof pairs[0]);
    p->nk_count = count;
}

struct pq_read {
    double p, q;
    yaml_node_t *p_node;
    bool seen_p, seen_q; /* the key is there */
    bool has_p, has_q;   /* and its value is good */
};

static void pq_key(struct layer *l, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    struct pq_read *pq = arg;
    static const struct range share = SHARE_OPEN_CLOSED;
    static const char *const known[] = {"p", "q", NULL};
    if (strcmp(key, "p") == 0) {
        pq->seen_p = true;
        pq->has_p = get_number(l, "pq_rule: p", v, &share, &pq->p);
        pq->p_node = v;
    } else if (strcmp(key, "q") == 0) {
        pq->seen_q = true;
        pq->has_q = get_number(l, "pq_rule: q", v, &share, &pq->q);
    } else {
        unknown_key(l, k, key, " in pq_rule (use p and q)", known);
    }
}

static void read_pq_rule(struct layer *l, const char *key, yaml_node_t *v)
{
    bool on;
    if (is_null(v) || (is_plain(v) && parse_bool(scalar_text(v), &on) && !on)) {
        l->p->pq_p = l->p->pq_q = 0;
        return;
    }
    if (!v || v->type != YAML_MAPPING_NODE) {
        layer_error(l, v, "%s must be a mapping {p: SHARE, q: SHARE} or off, not %s", key,
                    node_kind(v));
        return;
    }
    struct pq_read pq = {0, 0, NULL, false, false, false, false};
    each_pair(l, v, pq_key, &pq);
    if (!pq.seen_p || !pq.seen_q)
        layer_error(l, v, "%s needs p and q, e.g. {p: 0.1, q: 0.5}", key);
    if (!pq.has_p || !pq.has_q)
        return;
    if (pq.p >= pq.q) {
        layer_error(l, pq.p_node, "%s: p (%g) must be less than q (%g)", key, pq.p, pq.q);
        return;
    }
    l->p->pq_p = pq.p;
    l->p->pq_q = pq.q;
}

static void archive_key(struct layer *l, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    static const struct range one_up = AT_LEAST(1);
    static const char *const known[] = {"max_depth", "max_ratio", "max_bytes", "max_members", NULL};
    sdc_policy *p = l->p;
    long long n;
    double d;
    char what[64];
    (void)arg;
    snprintf(what, sizeof what, "archive: %s", key);
    if (strcmp(key, "max_depth") == 0) {
        if (get_integer(l, what, v, &one_up, INT_MAX, &n))
            p->archive_max_depth = (int)n;
    } else if (strcmp(key, "max_ratio") == 0) {
        if (get_number(l, what, v, &one_up, &d))
            p->archive_max_ratio = d;
    } else if (strcmp(key, "max_members") == 0) {
        if (get_integer(l, what, v, &one_up, LONG_MAX, &n))
            p->archive_max_members = (long)n;
    } else if (strcmp(key, "max_bytes") == 0) {
        if (!is_scalar(v) || !parse_bytes(scalar_text(v), &n) || n <= 0)
            layer_error(l, v, "%s must be a size such as 4GiB, 100MiB or 5000000, not %s%s%s", what,
                        is_scalar(v) ? "'" : node_kind(v), is_scalar(v) ? scalar_text(v) : "",
                        is_scalar(v) ? "'" : "");
        else
            p->archive_max_bytes = n;
    } else {
        unknown_key(l, k, key, " in archive", known);
    }
}

struct pattern_read {
    char *name, *regex;
    yaml_node_t *regex_node;
    bool bad;
};

static void pattern_key(struct layer *l, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    struct pattern_read *pr = arg;
    static const char *const known[] = {"name", "regex", NULL};
    char **slot = strcmp(key, "name") == 0    ? &pr->name
                  : strcmp(key, "regex") == 0 ? &pr->regex
                                              : NULL;
    if (!slot) {
        unknown_key(l, k, key, " in identifier_patterns (use name and regex)", known);
        pr->bad = true;
        return;
    }
    if (!is_scalar(v) || !*scalar_text(v)) {
        layer_error(l, v ? v : k, "identifier_patterns: %s must be a non-empty string", key);
        pr->bad = true;
        return;
    }
    if (slot == &pr->regex)
        pr->regex_node = v;
    free(*slot);
    *slot = strdup(scalar_text(v));
    if (!*slot)
        out_of_memory(l->r, l->file);
}

static void read_patterns(struct layer *l, const char *key, yaml_node_t *v, bool append)
{
    if (!expect_list(l, key, v))
        return;
    sdc_policy *p = l->p;
    if (!append)
        patterns_clear(p);
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = node_at(l, *it);
        if (!expect_mapping(l, "each identifier_patterns item", item))
            continue;
        struct pattern_read pr = {NULL, NULL, NULL, false};
        each_pair(l, item, pattern_key, &pr);
        if (!pr.bad && (!pr.name || !pr.regex)) {
            layer_error(l, item, "%s: each item needs a name and a regex", key);
            pr.bad = true;
        }
        if (!pr.bad) {
            regex_t re;
            int rc = regcomp(&re, pr.regex, REG_EXTENDED | REG_NOSUB);
            if (rc != 0) {
                char why[160];
                regerror(rc, &re, why, sizeof why);
                layer_error(l, pr.regex_node, "%s: regex of '%s' is not a POSIX extended regex: %s",
                            key, pr.name, why);
                pr.bad = true;
            } else {
                regfree(&re);
            }
        }
        if (!pr.bad && p->pattern_count == SDC_POLICY_MAX_PATTERNS) {
            layer_error(l, item, "%s: at most %d patterns", key, SDC_POLICY_MAX_PATTERNS);
            pr.bad = true;
        }
        if (pr.bad) {
            free(pr.name);
            free(pr.regex);
            continue;
        }
        p->patterns[p->pattern_count].name = pr.name;
        p->patterns[p->pattern_count].regex = pr.regex;
        p->pattern_count++;
    }
}

static void verdict_key(struct layer *l, const char *rule, yaml_node_t *k, yaml_node_t *v,
                        void *arg)
{
    sdc_policy *p = l->p;
    sdc_verdict verdict;
    (void)arg;
    if (!name_in(rule_ids, rule)) {
        const char *best = closest(rule, rule_ids);
        layer_error(l, k, "verdicts: unknown rule id '%s'%s%s%s", rule,
                    best ? " (did you mean '" : " (see sdccheck-policy(5))", best ? best : "",
                    best ? "'?)" : "");
        return;
    }
    if (!is_scalar(v) || sdc_verdict_parse(scalar_text(v), &verdict) < 0) {
        layer_error(l, v, "verdicts: %s must be pass, review or fail, not %s%s%s", rule,
                    is_scalar(v) ? "'" : node_kind(v), is_scalar(v) ? scalar_text(v) : "",
                    is_scalar(v) ? "'" : "");
        return;
    }
    for (size_t i = 0; i < p->override_count; i++) {
        if (strcmp(p->overrides[i].rule, rule) == 0) {
            p->overrides[i].verdict = verdict;
            return;
        }
    }
    if (p->override_count == SDC_POLICY_MAX_OVERRIDES) {
        layer_error(l, k, "verdicts: at most %d overrides", SDC_POLICY_MAX_OVERRIDES);
        return;
    }
    char *copy = strdup(rule);
    if (!copy) {
        out_of_memory(l->r, l->file);
        return;
    }
    p->overrides[p->override_count].rule = copy;
    p->overrides[p->override_count].verdict = verdict;
    p->override_count++;
}

/* ---- the key table ----------------------------------------------------- */

enum key_kind {
    KEY_TEXT,   /* name, description */
    KEY_NUMBER, /* double */
    KEY_LONG,   /* long */
    KEY_BOOL,
    KEY_LIST, /* sdc_strlist; add_<key> appends */
    KEY_OTHER /* handled by a function */
};

struct key_spec {
    const char *name;
    enum key_kind kind;
    size_t offset;
    struct range range;
    item_check_fn check; /* KEY_LIST: per-item validation */
    bool addable;        /* KEY_OTHER lists that accept add_<key> */
};

#define FIELD(f) offsetof(sdc_policy, f)
#define NO_RANGE                                                                                   \
    {                                                                                              \
        false, false, false, false, 0, 0                                                           \
    }

static const struct key_spec key_specs[] = {
    {"name", KEY_TEXT, FIELD(name), NO_RANGE, NULL, false},
    {"description", KEY_TEXT, FIELD(description), NO_RANGE, NULL, false},
    {"extends", KEY_OTHER, 0, NO_RANGE, NULL, false},
    {"threshold", KEY_NUMBER, FIELD(threshold), ABOVE(0), NULL, false},
    {"zeros_are_disclosive", KEY_BOOL, FIELD(zeros_are_disclosive), NO_RANGE, NULL, false},
    {"group_share", KEY_NUMBER, FIELD(group_share), SHARE_OPEN_CLOSED, NULL, false},
    {"rounding_base", KEY_LONG, FIELD(rounding_base), AT_LEAST(0), NULL, false},
    {"rounding_mode", KEY_OTHER, 0, NO_RANGE, NULL, false},
    {"nk_rules", KEY_OTHER, 0, NO_RANGE, NULL, true},
    {"p_ratio", KEY_NUMBER, FIELD(p_ratio), SHARE_CLOSED_OPEN, NULL, false},
    {"pq_rule", KEY_OTHER, 0, NO_RANGE, NULL, false},
    {"check_missing_values", KEY_BOOL, FIELD(check_missing_values), NO_RANGE, NULL, false},
    {"allow_min_max", KEY_BOOL, FIELD(allow_min_max), NO_RANGE, NULL, false},
    {"dof_threshold", KEY_NUMBER, FIELD(dof_threshold), AT_LEAST(0), NULL, false},
    {"max_table_rows", KEY_LONG, FIELD(max_table_rows), ABOVE(0), NULL, false},
    {"protection_width", KEY_NUMBER, FIELD(protection_width), AT_LEAST(0), NULL, false},
    {"protection_lower", KEY_NUMBER, FIELD(protection_lower), AT_LEAST(0), NULL, false},
    {"protection_upper", KEY_NUMBER, FIELD(protection_upper), AT_LEAST(0), NULL, false},
    {"archive", KEY_OTHER, 0, NO_RANGE, NULL, false},
    {"suppressed_markers", KEY_LIST, FIELD(suppressed_markers), NO_RANGE, NULL, false},
    {"missing_markers", KEY_LIST, FIELD(missing_markers), NO_RANGE, NULL, false},
    {"total_labels", KEY_LIST, FIELD(total_labels), NO_RANGE, NULL, false},
    {"count_names", KEY_LIST, FIELD(count_names), NO_RANGE, NULL, false},
    {"magnitude_names", KEY_LIST, FIELD(magnitude_names), NO_RANGE, NULL, false},
    {"extreme_names", KEY_LIST, FIELD(extreme_names), NO_RANGE, NULL, false},
    {"percentile_names", KEY_LIST, FIELD(percentile_names), NO_RANGE, NULL, false},
    {"mode_names", KEY_LIST, FIELD(mode_names), NO_RANGE, NULL, false},
    {"percent_names", KEY_LIST, FIELD(percent_names), NO_RANGE, NULL, false},
    {"regression_names", KEY_LIST, FIELD(regression_names), NO_RANGE, NULL, false},
    {"dimension_names", KEY_LIST, FIELD(dimension_names), NO_RANGE, NULL, false},
    {"id_names", KEY_LIST, FIELD(id_names), NO_RANGE, NULL, false},
    {"identifiers", KEY_LIST, FIELD(identifiers), NO_RANGE, check_identifier_kind, false},
    {"identifier_patterns", KEY_OTHER, 0, NO_RANGE, NULL, true},
    {"allowed_file_types", KEY_LIST, FIELD(allowed_file_types), NO_RANGE, check_file_type, false},
    {"verdicts", KEY_OTHER, 0, NO_RANGE, NULL, false},
};

#define N_KEYS (sizeof key_specs / sizeof key_specs[0])

static bool spec_addable(const struct key_spec *spec)
{
    return spec->kind == KEY_LIST || spec->addable;
}

/* Finds KEY, or "add_" + a list key (setting *append). */
static const struct key_spec *find_key(const char *key, bool *append)
{
    *append = false;
    for (size_t i = 0; i < N_KEYS; i++)
        if (strcmp(key_specs[i].name, key) == 0)
            return &key_specs[i];
    if (strncmp(key, "add_", 4) == 0) {
        for (size_t i = 0; i < N_KEYS; i++) {
            if (spec_addable(&key_specs[i]) && strcmp(key_specs[i].name, key + 4) == 0) {
                *append = true;
                return &key_specs[i];
            }
        }
    }
    return NULL;
}

/* All key names (and add_ forms) for "did you mean". */
static void known_key_names(const char *out[], size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < N_KEYS && n + 1 < size; i++)
        out[n++] = key_specs[i].name;
    out[n] = NULL;
}

static void apply_key(struct layer *l, const struct key_spec *spec, const char *key, yaml_node_t *v,
                      bool append)
{
    sdc_policy *p = l->p;
    char *base = (char *)p + spec->offset;
    switch (spec->kind) {
    case KEY_TEXT: {
        char **slot = (char **)(void *)base;
        if (spec->offset == FIELD(description) && is_null(v)) {
            free(*slot);
            *slot = NULL;
        } else if (!is_scalar(v) || !*scalar_text(v)) {
            layer_error(l, v, "%s must be a non-empty string, not %s", key,
                        is_scalar(v) ? "empty" : node_kind(v));
        } else {
            char *copy = strdup(scalar_text(v));
            if (!copy) {
                out_of_memory(l->r, l->file);
                return;
            }
            free(*slot);
            *slot = copy;
        }
        break;
    }
    case KEY_NUMBER: {
        double d;
        if (get_number(l, key, v, &spec->range, &d))
            *(double *)(void *)base = d;
        break;
    }
    case KEY_LONG: {
        long long n;
        if (get_integer(l, key, v, &spec->range, LONG_MAX, &n))
            *(long *)(void *)base = (long)n;
        break;
    }
    case KEY_BOOL: {
        bool b;
        if (get_bool(l, key, v, &b))
            *(bool *)(void *)base = b;
        break;
    }
    case KEY_LIST: read_strlist(l, key, v, (sdc_strlist *)(void *)base, append, spec->check); break;
    case KEY_OTHER:
        if (strcmp(spec->name, "extends") == 0) {
            /* resolved before the other keys, see layer_apply */
        } else if (strcmp(spec->name, "rounding_mode") == 0) {
            if (is_scalar(v) && strcmp(scalar_text(v), "multiple") == 0)
                p->rounding_mode = SDC_ROUND_MULTIPLE;
            else if (is_scalar(v) && strcmp(scalar_text(v), "midpoint") == 0)
                p->rounding_mode = SDC_ROUND_MIDPOINT;
            else
                layer_error(l, v, "rounding_mode must be multiple or midpoint, not %s%s%s",
                            is_scalar(v) ? "'" : node_kind(v), is_scalar(v) ? scalar_text(v) : "",
                            is_scalar(v) ? "'" : "");
        } else if (strcmp(spec->name, "nk_rules") == 0) {
            read_nk_rules(l, key, v, append);
        } else if (strcmp(spec->name, "pq_rule") == 0) {
            read_pq_rule(l, key, v);
        } else if (strcmp(spec->name, "archive") == 0) {
            if (expect_mapping(l, key, v))
                each_pair(l, v, archive_key, NULL);
        } else if (strcmp(spec->name, "identifier_patterns") == 0) {
            read_patterns(l, key, v, append);
        } else if (strcmp(spec->name, "verdicts") == 0) {
            if (is_null(v))
                break;
            if (expect_mapping(l, key, v))
                each_pair(l, v, verdict_key, NULL);
        }
        break;
    }
}

/* First pass: plain keys (and unknown-key errors); second pass: add_ keys. */
struct pass {
    bool adds;
};

static void root_key(struct layer *l, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    const struct pass *pass = arg;
    bool append;
    const struct key_spec *spec = find_key(key, &append);
    if (!spec) {
        if (!pass->adds) {
            const char *known[N_KEYS + 1];
            known_key_names(known, N_KEYS + 1);
            unknown_key(l, k, key, "", known);
        }
        return;
    }
    if (append == pass->adds)
        apply_key(l, spec, key, v, append);
}

/* ---- layers and extends ------------------------------------------------ */

static int layer_text(struct reader *r, sdc_policy *p, const char *text, size_t len,
                      const char *file, const char *dir, const char *identity,
                      const char *default_name);

static const char *builtin_yaml(const char *name)
{
    for (size_t i = 0; sdc_builtin_policies[i].name; i++)
        if (strcmp(sdc_builtin_policies[i].name, name) == 0)
            return sdc_builtin_policies[i].yaml;
    return NULL;
}

static char *builtin_list(void)
{
    char buf[512];
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; builtin_names[i]; i++) {
        int n = snprintf(buf + used, sizeof buf - used, "%s%s", i ? ", " : "", builtin_names[i]);
        if (n < 0 || (size_t)n >= sizeof buf - used)
            break;
        used += (size_t)n;
    }
    return strdup(buf);
}

static bool is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The last path component without .yaml/.yml, for a file's default name. */
static char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *start = slash ? slash + 1 : path;
    size_t len = strlen(start);
    if (len > 5 && strcmp(start + len - 5, ".yaml") == 0)
        len -= 5;
    else if (len > 4 && strcmp(start + len - 4, ".yml") == 0)
        len -= 4;
    return strndup(start, len);
}

static char *dir_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Reads PATH whole. Returns NULL with an error added. */
static char *read_file(struct reader *r, const char *path, const char *shown, long line,
                       size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        add_error(r, shown, line, "cannot read policy file '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 0, used = 0;
    char *buf = NULL;
    for (;;) {
        if (used + 1 >= cap) {
            if (cap >= (size_t)MAX_POLICY_BYTES) {
                add_error(r, shown, line, "policy file '%s' is larger than %ld bytes", path,
                          MAX_POLICY_BYTES);
                free(buf);
                fclose(f);
                return NULL;
            }
            size_t bigger_cap = cap ? cap * 2 : 4096;
            char *bigger = realloc(buf, bigger_cap);
            if (!bigger) {
                free(buf);
                fclose(f);
                out_of_memory(r, shown);
                return NULL;
            }
            buf = bigger;
            cap = bigger_cap;
        }
        size_t n = fread(buf + used, 1, cap - used - 1, f);
        used += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        add_error(r, shown, line, "cannot read policy file '%s': %s", path, strerror(errno));
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[used] = '\0';
    *len = used;
    return buf;
}

static int layer_builtin(struct reader *r, sdc_policy *p, const char *name)
{
    const char *yaml = builtin_yaml(name);
    char shown[128], identity[128];
    snprintf(shown, sizeof shown, "embedded:%s", name);
    snprintf(identity, sizeof identity, "embedded:%s", name);
    return layer_text(r, p, yaml, strlen(yaml), shown, NULL, identity, name);
}

/* PATH as shown to the user in errors; LINE: where it was named (extends). */
static int layer_file(struct reader *r, sdc_policy *p, const char *path, const char *from_file,
                      long from_line)
{
    size_t len;
    char *text = read_file(r, path, from_file ? from_file : path, from_line, &len);
    if (!text)
        return -1;
    char *identity = realpath(path, NULL);
    char *dir = dir_name(path);
    char *name = base_name(path);
    int rc = -1;
    if (dir && name)
        rc = layer_text(r, p, text, len, path, dir, identity ? identity : path, name);
    else
        out_of_memory(r, path);
    free(identity);
    free(dir);
    free(name);
    free(text);
    return rc;
}

/* Loads the parent named by `extends: V` of layer L into L->p. */
static void layer_extends(struct layer *l, yaml_node_t *v)
{
    struct reader *r = l->r;
    if (!is_scalar(v) || !*scalar_text(v)) {
        layer_error(l, v, "extends must name a policy (embedded name or file), not %s",
                    is_scalar(v) ? "empty" : node_kind(v));
        policy_set_defaults(l->p);
        return;
    }
    const char *target = scalar_text(v);
    char *path = NULL;
    if (l->dir) {
        if (target[0] == '/')
            path = strdup(target);
        else if (asprintf(&path, "%s/%s", l->dir, target) < 0)
            path = NULL;
        if (!path) {
            out_of_memory(r, l->file);
            return;
        }
        if (!is_regular_file(path)) {
            free(path);
            path = NULL;
        }
    }
    if (!path && !builtin_yaml(target)) {
        char *names = builtin_list();
        layer_error(l, v, "extends: unknown policy '%s' (%s%s%sembedded: %s)", target,
                    l->dir ? "no such file in " : "", l->dir ? l->dir : "", l->dir ? "; " : "",
                    names ? names : "");
        free(names);
        policy_set_defaults(l->p);
        return;
    }
    /* Cycle: the target is already being loaded further out. */
    char identity[PATH_MAX + 16];
    char *real = path ? realpath(path, NULL) : NULL;
    if (path)
        snprintf(identity, sizeof identity, "%s", real ? real : path);
    else
        snprintf(identity, sizeof identity, "embedded:%s", target);
    free(real);
    for (size_t i = 0; i < r->depth; i++) {
        if (strcmp(r->chain[i], identity) == 0) {
            char trail[1024] = "";
            size_t used = 0;
            for (size_t j = i; j < r->depth; j++) {
                int n = snprintf(trail + used, sizeof trail - used, "%s -> ", r->chain_file[j]);
                if (n < 0 || (size_t)n >= sizeof trail - used)
                    break;
                used += (size_t)n;
            }
            layer_error(l, v, "extends cycle: %s%s", trail, path ? path : target);
            free(path);
            policy_set_defaults(l->p);
            return;
        }
    }
    if (r->depth == MAX_EXTENDS_DEPTH) {
        layer_error(l, v, "extends: chains deeper than %d policies are refused", MAX_EXTENDS_DEPTH);
        free(path);
        policy_set_defaults(l->p);
        return;
    }
    int rc =
        path ? layer_file(r, l->p, path, l->file, node_line(v)) : layer_builtin(r, l->p, target);
    /* A parent that could not be read left P untouched: start from the
     * defaults so that this file's own keys are still checked. */
    if (rc < 0)
        policy_set_defaults(l->p);
    free(path);
}

/* Line of byte OFFSET in TEXT, 1-based. */
static long line_of_offset(const char *text, size_t len, size_t offset)
{
    long line = 1;
    for (size_t i = 0; i < offset && i < len; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

static void yaml_problem(struct reader *r, yaml_parser_t *parser, const char *text, size_t len,
                         const char *file)
{
    long line = parser->error == YAML_READER_ERROR
                    ? line_of_offset(text, len, parser->problem_offset)
                    : (long)parser->problem_mark.line + 1;
    const char *problem = parser->problem ? parser->problem : "cannot be parsed";
    long context_line = (long)parser->context_mark.line + 1;
    if (parser->context && context_line != line)
        add_error(r, file, line, "bad YAML: %s %s (started on line %ld)", problem, parser->context,
                  context_line);
    else if (parser->context)
        add_error(r, file, line, "bad YAML: %s %s", problem, parser->context);
    else
        add_error(r, file, line, "bad YAML: %s", problem);
}

/*
 * Parses TEXT and applies it on top of P: the parent first (extends), or
 * the defaults when there is none. Returns 0, or -1 if this layer could
 * not be read at all (errors are added either way).
 */
static int layer_text(struct reader *r, sdc_policy *p, const char *text, size_t len,
                      const char *file, const char *dir, const char *identity,
                      const char *default_name)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        out_of_memory(r, file);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        yaml_problem(r, &parser, text, len, file);
        yaml_parser_delete(&parser);
        return -1;
    }
    int rc = 0;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_document_t extra;
    if (root && yaml_parser_load(&parser, &extra)) {
        if (yaml_document_get_root_node(&extra)) {
            add_error(r, file, (long)extra.start_mark.line + 1,
                      "a policy is one YAML document; found a second one");
            rc = -1;
        }
        yaml_document_delete(&extra);
    } else if (root) {
        yaml_problem(r, &parser, text, len, file);
        rc = -1;
    }
    yaml_parser_delete(&parser);

    struct layer l = {r, &doc, file, dir, p};
    if (rc == 0 && (!root || root->type != YAML_MAPPING_NODE)) {
        add_error(r, file, root ? node_line(root) : 1,
                  "a policy must be a YAML mapping of keys (see sdccheck-policy(5)), "
                  "not %s",
                  root ? node_kind(root) : "an empty file");
        rc = -1;
    }
    if (rc < 0) {
        yaml_document_delete(&doc);
        return -1;
    }

    r->chain[r->depth] = strdup(identity);
    r->chain_file[r->depth] = file;
    if (!r->chain[r->depth]) {
        out_of_memory(r, file);
        yaml_document_delete(&doc);
        return -1;
    }
    r->depth++;

    yaml_node_t *extends = NULL;
    for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
         pair < root->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = node_at(&l, pair->key);
        if (is_scalar(k) && strcmp(scalar_text(k), "extends") == 0 && !extends)
            extends = node_at(&l, pair->value);
    }
    if (extends)
        layer_extends(&l, extends);
    else if (policy_set_defaults(p) < 0)
        out_of_memory(r, file);

    /* name and description belong to this file, not to the parent */
    free(p->name);
    free(p->description);
    p->name = strdup(default_name);
    p->description = NULL;
    if (!p->name)
        out_of_memory(r, file);

    struct pass plain = {false}, adds = {true};
    each_pair(&l, root, root_key, &plain);
    each_pair_q(&l, root, root_key, &adds, true);

    r->depth--;
    free(r->chain[r->depth]);
    r->chain[r->depth] = NULL;
    yaml_document_delete(&doc);
    return 0;
}

/* ---- public API -------------------------------------------------------- */

/* Moves the errors of FROM onto TO (or frees them when TO is NULL). */
static void errors_move(sdc_policy_errors *to, sdc_policy_errors *from)
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

sdc_policy *sdc_policy_load(const char *name_or_path, sdc_policy_errors *errors)
{
    sdc_policy_errors mine = {0};
    struct reader r = {0};
    r.errors = &mine;
    sdc_policy *p = calloc(1, sizeof *p);
    if (!p || !name_or_path) {
        add_error(&r, name_or_path ? name_or_path : "", 0, p ? "no policy named" : "out of memory");
        free(p);
        errors_move(errors, &mine);
        return NULL;
    }
    /* A bare name may also be a site policy installed beside the shipped
     * ones: PREFIX/share/sdccheck/policies/NAME.yaml. */
    char *installed = NULL;
    if (!is_regular_file(name_or_path) && !builtin_yaml(name_or_path) &&
        !strchr(name_or_path, '/') &&
        asprintf(&installed, "%s/policies/%s.yaml", SDC_DATADIR, name_or_path) >= 0 &&
        !is_regular_file(installed)) {
        free(installed);
        installed = NULL;
    }
    const char *file = installed ? installed : name_or_path;
    if (is_regular_file(file)) {
        layer_file(&r, p, file, NULL, 0);
    } else if (builtin_yaml(name_or_path)) {
        layer_builtin(&r, p, name_or_path);
    } else {
        char *names = builtin_list();
        add_error(&r, name_or_path, 0, "unknown policy '%s' (embedded: %s; installed: %s/policies)",
                  name_or_path, names ? names : "", SDC_DATADIR);
        free(names);
    }
    if (r.failures == 0) {
        p->source = strdup(is_regular_file(file) ? file : "builtin");
        if (!p->source)
            out_of_memory(&r, name_or_path);
    }
    free(installed);
    errors_move(errors, &mine);
    if (r.failures > 0) {
        sdc_policy_free(p);
        return NULL;
    }
    return p;
}

sdc_policy *sdc_policy_default(void)
{
    sdc_policy *p = sdc_policy_load("ons-srs", NULL);
    if (p)
        return p;
    /* Only if the embedded text were broken: the C defaults. */
    p = calloc(1, sizeof *p);
    if (!p || policy_set_defaults(p) < 0 || !(p->name = strdup("ons-srs")) ||
        !(p->source = strdup("builtin"))) {
        sdc_policy_free(p);
        return NULL;
    }
    return p;
}

int sdc_policy_check_file(const char *path, sdc_policy_errors *errors)
{
    sdc_policy_errors mine = {0};
    struct reader r = {0};
    r.errors = &mine;
    sdc_policy scratch;
    memset(&scratch, 0, sizeof scratch);
    int rc;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f || !is_regular_file(path)) {
        add_error(&r, path ? path : "", 0, "cannot read policy file '%s': %s", path ? path : "",
                  f ? "not a regular file" : strerror(errno));
        rc = -1;
    } else {
        layer_file(&r, &scratch, path, NULL, 0);
        rc = r.failures > INT_MAX ? INT_MAX : (int)r.failures;
    }
    if (f)
        fclose(f);
    policy_clear(&scratch);
    errors_move(errors, &mine);
    return rc;
}

const char *const *sdc_policy_builtin_names(void)
{
    return builtin_names;
}

const char *sdc_policy_builtin_text(const char *name)
{
    return name ? builtin_yaml(name) : NULL;
}

sdc_verdict sdc_policy_verdict(const sdc_policy *policy, const char *rule,
                               sdc_verdict default_verdict)
{
    if (!policy || !rule)
        return default_verdict;
    for (size_t i = 0; i < policy->override_count; i++)
        if (strcmp(policy->overrides[i].rule, rule) == 0)
            return policy->overrides[i].verdict;
    return default_verdict;
}

bool sdc_strlist_contains(const sdc_strlist *list, const char *s)
{
    if (!list || !s)
        return false;
    size_t len = strlen(s);
    while (len > 0 && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    for (size_t i = 0; i < list->count; i++) {
        const char *item = list->items[i];
        if (strlen(item) == len && strncasecmp(item, s, len) == 0)
            return true;
    }
    return false;
}

void sdc_policy_free(sdc_policy *policy)
{
    if (!policy)
        return;
    policy_clear(policy);
    free(policy);
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
