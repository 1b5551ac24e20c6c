/*
 * policy_read.c - reading policies from YAML: the file, its document, the
 * checking of its keys and values, and `extends`.
 *
 * A policy file is one YAML mapping, loaded with libyaml's document API so
 * that every node keeps the line it came from. Loading is layered: a file
 * that says `extends: PARENT` first loads PARENT (recursively, with cycle
 * detection) into the same sdc_policy, then applies its own keys on top; a
 * file without `extends` starts from the C defaults (policy.c). Every key
 * is checked against a table of known keys with its type and range, and
 * every problem becomes an error with file and line (policy_error.c).
 *
 * List keys replace the inherited list; `add_<key>` appends to it instead
 * (applied after the plain keys of the same file, whatever their order).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "sdccheck/policy.h"
#include "core/policy_internal.h"

#define MAX_POLICY_BYTES (1024L * 1024L)

/* ---- the file ---------------------------------------------------------- */

bool sdc_pol_file_is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *sdc_pol_file_read(sdc_pol_reader *r, const char *path, const char *shown, long line,
                        size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        sdc_pol_error_add(r, shown, line, "cannot read policy file '%s': %s", path,
                          strerror(errno));
        return NULL;
    }
    size_t cap = 0, used = 0;
    char *buf = NULL;
    for (;;) {
        if (used + 1 >= cap) {
            if (cap >= (size_t)MAX_POLICY_BYTES) {
                sdc_pol_error_add(r, shown, line, "policy file '%s' is larger than %ld bytes", path,
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
                sdc_pol_error_oom(r, shown);
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
        sdc_pol_error_add(r, shown, line, "cannot read policy file '%s': %s", path,
                          strerror(errno));
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[used] = '\0';
    *len = used;
    return buf;
}

/* ---- the document ------------------------------------------------------ */

/* Line of byte OFFSET in TEXT, 1-based. */
static long line_of_offset(const char *text, size_t len, size_t offset)
{
    long line = 1;
    for (size_t i = 0; i < offset && i < len; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

static void yaml_problem(sdc_pol_reader *r, yaml_parser_t *parser, const char *text, size_t len,
                         const char *file)
{
    long line = parser->error == YAML_READER_ERROR
                    ? line_of_offset(text, len, parser->problem_offset)
                    : (long)parser->problem_mark.line + 1;
    const char *problem = parser->problem ? parser->problem : "cannot be parsed";
    long context_line = (long)parser->context_mark.line + 1;
    if (parser->context && context_line != line)
        sdc_pol_error_add(r, file, line, "bad YAML: %s %s (started on line %ld)", problem,
                          parser->context, context_line);
    else if (parser->context)
        sdc_pol_error_add(r, file, line, "bad YAML: %s %s", problem, parser->context);
    else
        sdc_pol_error_add(r, file, line, "bad YAML: %s", problem);
}

int sdc_pol_doc_load(sdc_pol_reader *r, const char *text, size_t len, const char *file,
                     yaml_document_t *doc)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        sdc_pol_error_oom(r, file);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, doc)) {
        yaml_problem(r, &parser, text, len, file);
        yaml_parser_delete(&parser);
        return -1;
    }
    int rc = 0;
    yaml_node_t *root = yaml_document_get_root_node(doc);
    yaml_document_t extra;
    if (root && yaml_parser_load(&parser, &extra)) {
        if (yaml_document_get_root_node(&extra)) {
            sdc_pol_error_add(r, file, (long)extra.start_mark.line + 1,
                              "a policy is one YAML document; found a second one");
            rc = -1;
        }
        yaml_document_delete(&extra);
    } else if (root) {
        yaml_problem(r, &parser, text, len, file);
        rc = -1;
    }
    yaml_parser_delete(&parser);

    if (rc == 0 && (!root || root->type != YAML_MAPPING_NODE)) {
        sdc_pol_error_add(r, file, root ? sdc_pol_node_line(root) : 1,
                          "a policy must be a YAML mapping of keys (see sdccheck-policy(5)), "
                          "not %s",
                          root ? sdc_pol_node_kind(root) : "an empty file");
        rc = -1;
    }
    if (rc < 0)
        yaml_document_delete(doc);
    return rc;
}

/* ---- its pairs --------------------------------------------------------- */

void sdc_pol_layer_error(sdc_pol_layer *l, const yaml_node_t *node, const char *fmt, ...)
{
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sdc_pol_error_oom(l->r, l->file);
        return;
    }
    sdc_pol_error_add(l->r, l->file, sdc_pol_node_line(node), "%s", msg);
    free(msg);
}

/* Whether key K of the pair at PAIR repeats the key of an earlier pair of
 * the mapping starting at START; reported unless QUIET. */
static bool key_repeated(sdc_pol_layer *l, yaml_node_pair_t *start, yaml_node_pair_t *pair,
                         yaml_node_t *k, bool quiet)
{
    const char *key = sdc_pol_scalar_text(k);
    for (yaml_node_pair_t *prev = start; prev < pair; prev++) {
        yaml_node_t *pk = sdc_pol_node_at(l, prev->key);
        if (sdc_pol_is_scalar(pk) && strcmp(sdc_pol_scalar_text(pk), key) == 0) {
            if (!quiet)
                sdc_pol_layer_error(l, k, "key '%s' is repeated (first on line %ld)", key,
                                    sdc_pol_node_line(pk));
            return true;
        }
    }
    return false;
}

static void each_pair(sdc_pol_layer *l, yaml_node_t *mapping, sdc_pol_pair_fn fn, void *arg,
                      bool quiet)
{
    yaml_node_pair_t *start = mapping->data.mapping.pairs.start;
    yaml_node_pair_t *top = mapping->data.mapping.pairs.top;
    for (yaml_node_pair_t *pair = start; pair < top; pair++) {
        yaml_node_t *k = sdc_pol_node_at(l, pair->key);
        yaml_node_t *v = sdc_pol_node_at(l, pair->value);
        if (!sdc_pol_is_scalar(k)) {
            if (!quiet)
                sdc_pol_layer_error(l, k, "a key must be a plain word, not %s",
                                    sdc_pol_node_kind(k));
            continue;
        }
        if (!key_repeated(l, start, pair, k, quiet))
            fn(l, sdc_pol_scalar_text(k), k, v, arg);
    }
}

void sdc_pol_each_pair(sdc_pol_layer *l, yaml_node_t *mapping, sdc_pol_pair_fn fn, void *arg)
{
    each_pair(l, mapping, fn, arg, false);
}

void sdc_pol_each_pair_quiet(sdc_pol_layer *l, yaml_node_t *mapping, sdc_pol_pair_fn fn, void *arg)
{
    each_pair(l, mapping, fn, arg, true);
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

static bool name_in(const char *const *names, const char *s)
{
    for (size_t i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return true;
    return false;
}

/* The ranges of the keys (sdc_pol_range). */
#define NO_RANGE                                                                                   \
    {                                                                                              \
        false, false, false, false, 0, 0                                                           \
    }
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

/* ---- string lists ------------------------------------------------------ */

typedef bool (*item_check_fn)(sdc_pol_layer *l, const char *key, yaml_node_t *item);

static bool check_identifier_kind(sdc_pol_layer *l, const char *key, yaml_node_t *item)
{
    if (name_in(sdc_pol_identifier_kinds, sdc_pol_scalar_text(item)))
        return true;
    sdc_pol_layer_error(l, item,
                        "%s: unknown identifier '%s' (known: nhs_number, ni_number, "
                        "postcode, email, phone)",
                        key, sdc_pol_scalar_text(item));
    return false;
}

static bool check_file_type(sdc_pol_layer *l, const char *key, yaml_node_t *item)
{
    const char *s = sdc_pol_scalar_text(item);
    if (*s && *s != '.' && !strchr(s, '/'))
        return true;
    sdc_pol_layer_error(l, item, "%s: '%s' is not a file name extension (write csv, not .csv)", key,
                        s);
    return false;
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

/* Reads list V into LIST (appending when APPEND). */
static void read_strlist(sdc_pol_layer *l, const char *key, yaml_node_t *v, sdc_strlist *list,
                         bool append, item_check_fn check)
{
    if (!sdc_pol_expect_list(l, key, v))
        return;
    sdc_strlist fresh = {0};
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = sdc_pol_node_at(l, *it);
        if (!sdc_pol_is_scalar(item)) {
            sdc_pol_layer_error(l, item, "%s: each item must be a string, not %s", key,
                                sdc_pol_node_kind(item));
            continue;
        }
        if (check && !check(l, key, item))
            continue;
        char *s = dup_trimmed(sdc_pol_scalar_text(item), item->data.scalar.length);
        if (!s || sdc_pol_strlist_push(&fresh, s) < 0)
            sdc_pol_error_oom(l->r, l->file);
        free(s);
    }
    if (!append) {
        sdc_pol_strlist_clear(list);
        *list = fresh;
        return;
    }
    for (size_t i = 0; i < fresh.count; i++)
        if (sdc_pol_strlist_push(list, fresh.items[i]) < 0)
            sdc_pol_error_oom(l->r, l->file);
    sdc_pol_strlist_clear(&fresh);
}

/* ---- nk_rules: [{n: 2, k: 0.9}, ...] ----------------------------------- */

struct nk_read {
    sdc_nk_pair pair;
    bool seen_n, seen_k; /* the key is there */
    bool has_n, has_k;   /* and its value is good */
};

static void nk_pair_key(sdc_pol_layer *l, const char *key, yaml_node_t *k, yaml_node_t *v,
                        void *arg)
{
    struct nk_read *nk = arg;
    static const sdc_pol_range n_range = AT_LEAST(1);
    static const sdc_pol_range k_range = SHARE_OPEN_CLOSED;
    static const char *const known[] = {"n", "k", NULL};
    long long n;
    if (strcmp(key, "n") == 0) {
        nk->seen_n = true;
        if (sdc_pol_get_integer(l, "nk_rules: n", v, &n_range, INT_MAX, &n)) {
            nk->pair.n = (int)n;
            nk->has_n = true;
        }
    } else if (strcmp(key, "k") == 0) {
        nk->seen_k = true;
        if (sdc_pol_get_number(l, "nk_rules: k", v, &k_range, &nk->pair.k))
            nk->has_k = true;
    } else {
        sdc_pol_unknown_key(l, k, key, " in nk_rules (use n and k)", known);
    }
}

static void read_nk_rules(sdc_pol_layer *l, const char *key, yaml_node_t *v, bool append)
{
    if (!sdc_pol_expect_list(l, key, v))
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
        yaml_node_t *item = sdc_pol_node_at(l, *it);
        if (!sdc_pol_expect_mapping(l, "each nk_rules item", item))
            continue;
        struct nk_read nk = {{0, 0}, false, false, false, false};
        sdc_pol_each_pair(l, item, nk_pair_key, &nk);
        if (!nk.seen_n || !nk.seen_k)
            sdc_pol_layer_error(l, item, "%s: each item needs n and k, e.g. {n: 2, k: 0.9}", key);
        if (!nk.has_n || !nk.has_k)
            continue;
        if (count == SDC_POLICY_MAX_NK) {
            sdc_pol_layer_error(l, item, "%s: at most %d (n, k) pairs", key, SDC_POLICY_MAX_NK);
            break;
        }
        pairs[count++] = nk.pair;
    }
    memcpy(p->nk, pairs, count * sizeof pairs[0]);
    p->nk_count = count;
}

/* ---- pq_rule: {p: 0.1, q: 0.5} or off ---------------------------------- */

struct pq_read {
    double p, q;
    yaml_node_t *p_node;
    bool seen_p, seen_q; /* the key is there */
    bool has_p, has_q;   /* and its value is good */
};

static void pq_key(sdc_pol_layer *l, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    struct pq_read *pq = arg;
    static const sdc_pol_range share = SHARE_OPEN_CLOSED;
    static const char *const known[] = {"p", "q", NULL};
    if (strcmp(key, "p") == 0) {
        pq->seen_p = true;
        pq->has_p = sdc_pol_get_number(l, "pq_rule: p", v, &share, &pq->p);
        pq->p_node = v;
    } else if (strcmp(key, "q") == 0) {
        pq->seen_q = true;
        pq->has_q = sdc_pol_get_number(l, "pq_rule: q", v, &share, &pq->q);
    } else {
        sdc_pol_unknown_key(l, k, key, " in pq_rule (use p and q)", known);
    }
}

static void read_pq_rule(sdc_pol_layer *l, const char *key, yaml_node_t *v)
{
    if (sdc_pol_is_off(v)) {
        l->p->pq_p = l->p->pq_q = 0;
        return;
    }
    if (!v || v->type != YAML_MAPPING_NODE) {
        sdc_pol_layer_error(l, v, "%s must be a mapping {p: SHARE, q: SHARE} or off, not %s", key,
                            sdc_pol_node_kind(v));
        return;
    }
    struct pq_read pq = {0, 0, NULL, false, false, false, false};
    sdc_pol_each_pair(l, v, pq_key, &pq);
    if (!pq.seen_p || !pq.seen_q)
        sdc_pol_layer_error(l, v, "%s needs p and q, e.g. {p: 0.1, q: 0.5}", key);
    if (!pq.has_p || !pq.has_q)
        return;
    if (pq.p >= pq.q) {
        sdc_pol_layer_error(l, pq.p_node, "%s: p (%g) must be less than q (%g)", key, pq.p, pq.q);
        return;
    }
    l->p->pq_p = pq.p;
    l->p->pq_q = pq.q;
}

/* ---- archive: {max_depth: 8, ...} -------------------------------------- */

static void archive_key(sdc_pol_layer *l, const char *key, yaml_node_t *k, yaml_node_t *v,
                        void *arg)
{
    static const sdc_pol_range one_up = AT_LEAST(1);
    static const char *const known[] = {"max_depth", "max_ratio", "max_bytes", "max_members", NULL};
    sdc_policy *p = l->p;
    long long n;
    double d;
    char what[64];
    (void)arg;
    snprintf(what, sizeof what, "archive: %s", key);
    if (strcmp(key, "max_depth") == 0) {
        if (sdc_pol_get_integer(l, what, v, &one_up, INT_MAX, &n))
            p->archive_max_depth = (int)n;
    } else if (strcmp(key, "max_ratio") == 0) {
        if (sdc_pol_get_number(l, what, v, &one_up, &d))
            p->archive_max_ratio = d;
    } else if (strcmp(key, "max_members") == 0) {
        if (sdc_pol_get_integer(l, what, v, &one_up, LONG_MAX, &n))
            p->archive_max_members = (long)n;
    } else if (strcmp(key, "max_bytes") == 0) {
        if (sdc_pol_get_bytes(l, what, v, &n))
            p->archive_max_bytes = n;
    } else {
        sdc_pol_unknown_key(l, k, key, " in archive", known);
    }
}

/* ---- identifier_patterns: [{name: ..., regex: ...}, ...] --------------- */

struct pattern_read {
    char *name, *regex;
    yaml_node_t *regex_node;
    bool bad;
};

static void pattern_key(sdc_pol_layer *l, const char *key, yaml_node_t *k, yaml_node_t *v,
                        void *arg)
{
    struct pattern_read *pr = arg;
    static const char *const known[] = {"name", "regex", NULL};
    char **slot = strcmp(key, "name") == 0    ? &pr->name
                  : strcmp(key, "regex") == 0 ? &pr->regex
                                              : NULL;
    if (!slot) {
        sdc_pol_unknown_key(l, k, key, " in identifier_patterns (use name and regex)", known);
        pr->bad = true;
        return;
    }
    if (!sdc_pol_is_scalar(v) || !*sdc_pol_scalar_text(v)) {
        sdc_pol_layer_error(l, v ? v : k, "identifier_patterns: %s must be a non-empty string",
                            key);
        pr->bad = true;
        return;
    }
    if (slot == &pr->regex)
        pr->regex_node = v;
    free(*slot);
    *slot = strdup(sdc_pol_scalar_text(v));
    if (!*slot)
        sdc_pol_error_oom(l->r, l->file);
}

/* Whether pattern PR, read from ITEM, can be added: both parts, a regex
 * that compiles, and room for it. Says why not. */
static bool pattern_ok(sdc_pol_layer *l, const char *key, yaml_node_t *item,
                       const struct pattern_read *pr)
{
    if (!pr->name || !pr->regex) {
        sdc_pol_layer_error(l, item, "%s: each item needs a name and a regex", key);
        return false;
    }
    regex_t re;
    int rc = regcomp(&re, pr->regex, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char why[160];
        regerror(rc, &re, why, sizeof why);
        sdc_pol_layer_error(l, pr->regex_node,
                            "%s: regex of '%s' is not a POSIX extended regex: %s", key, pr->name,
                            why);
        return false;
    }
    regfree(&re);
    if (l->p->pattern_count == SDC_POLICY_MAX_PATTERNS) {
        sdc_pol_layer_error(l, item, "%s: at most %d patterns", key, SDC_POLICY_MAX_PATTERNS);
        return false;
    }
    return true;
}

static void read_patterns(sdc_pol_layer *l, const char *key, yaml_node_t *v, bool append)
{
    if (!sdc_pol_expect_list(l, key, v))
        return;
    sdc_policy *p = l->p;
    if (!append)
        sdc_pol_patterns_clear(p);
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = sdc_pol_node_at(l, *it);
        if (!sdc_pol_expect_mapping(l, "each identifier_patterns item", item))
            continue;
        struct pattern_read pr = {NULL, NULL, NULL, false};
        sdc_pol_each_pair(l, item, pattern_key, &pr);
        if (pr.bad || !pattern_ok(l, key, item, &pr)) {
            free(pr.name);
            free(pr.regex);
            continue;
        }
        p->patterns[p->pattern_count].name = pr.name;
        p->patterns[p->pattern_count].regex = pr.regex;
        p->pattern_count++;
    }
}

/* ---- verdicts: {RULE: pass|review|fail, ...} --------------------------- */

static void verdict_key(sdc_pol_layer *l, const char *rule, yaml_node_t *k, yaml_node_t *v,
                        void *arg)
{
    sdc_policy *p = l->p;
    sdc_verdict verdict;
    (void)arg;
    if (!name_in(rule_ids, rule)) {
        const char *best = sdc_pol_closest(rule, rule_ids);
        sdc_pol_layer_error(l, k, "verdicts: unknown rule id '%s'%s%s%s", rule,
                            best ? " (did you mean '" : " (see sdccheck-policy(5))",
                            best ? best : "", best ? "'?)" : "");
        return;
    }
    if (!sdc_pol_is_scalar(v) || sdc_verdict_parse(sdc_pol_scalar_text(v), &verdict) < 0) {
        bool scalar = sdc_pol_is_scalar(v);
        sdc_pol_layer_error(l, v, "verdicts: %s must be pass, review or fail, not %s%s%s", rule,
                            scalar ? "'" : sdc_pol_node_kind(v),
                            scalar ? sdc_pol_scalar_text(v) : "", scalar ? "'" : "");
        return;
    }
    for (size_t i = 0; i < p->override_count; i++) {
        if (strcmp(p->overrides[i].rule, rule) == 0) {
            p->overrides[i].verdict = verdict;
            return;
        }
    }
    if (p->override_count == SDC_POLICY_MAX_OVERRIDES) {
        sdc_pol_layer_error(l, k, "verdicts: at most %d overrides", SDC_POLICY_MAX_OVERRIDES);
        return;
    }
    char *copy = strdup(rule);
    if (!copy) {
        sdc_pol_error_oom(l->r, l->file);
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
    sdc_pol_range range;
    item_check_fn check; /* KEY_LIST: per-item validation */
    bool addable;        /* KEY_OTHER lists that accept add_<key> */
};

#define FIELD(f) offsetof(sdc_policy, f)
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

/* ---- applying a key ---------------------------------------------------- */

/* name, description: a non-empty string (a null description removes it). */
static void apply_text(sdc_pol_layer *l, const struct key_spec *spec, const char *key,
                       yaml_node_t *v, char **slot)
{
    if (spec->offset == FIELD(description) && sdc_pol_is_null(v)) {
        free(*slot);
        *slot = NULL;
    } else if (!sdc_pol_is_scalar(v) || !*sdc_pol_scalar_text(v)) {
        sdc_pol_layer_error(l, v, "%s must be a non-empty string, not %s", key,
                            sdc_pol_is_scalar(v) ? "empty" : sdc_pol_node_kind(v));
    } else {
        char *copy = strdup(sdc_pol_scalar_text(v));
        if (!copy) {
            sdc_pol_error_oom(l->r, l->file);
            return;
        }
        free(*slot);
        *slot = copy;
    }
}

static void apply_rounding_mode(sdc_pol_layer *l, yaml_node_t *v)
{
    bool scalar = sdc_pol_is_scalar(v);
    if (scalar && strcmp(sdc_pol_scalar_text(v), "multiple") == 0)
        l->p->rounding_mode = SDC_ROUND_MULTIPLE;
    else if (scalar && strcmp(sdc_pol_scalar_text(v), "midpoint") == 0)
        l->p->rounding_mode = SDC_ROUND_MIDPOINT;
    else
        sdc_pol_layer_error(l, v, "rounding_mode must be multiple or midpoint, not %s%s%s",
                            scalar ? "'" : sdc_pol_node_kind(v),
                            scalar ? sdc_pol_scalar_text(v) : "", scalar ? "'" : "");
}

/* The keys with a reader of their own. */
static void apply_other(sdc_pol_layer *l, const struct key_spec *spec, const char *key,
                        yaml_node_t *v, bool append)
{
    if (strcmp(spec->name, "extends") == 0) {
        /* resolved before the other keys, see layer_text */
    } else if (strcmp(spec->name, "rounding_mode") == 0) {
        apply_rounding_mode(l, v);
    } else if (strcmp(spec->name, "nk_rules") == 0) {
        read_nk_rules(l, key, v, append);
    } else if (strcmp(spec->name, "pq_rule") == 0) {
        read_pq_rule(l, key, v);
    } else if (strcmp(spec->name, "archive") == 0) {
        if (sdc_pol_expect_mapping(l, key, v))
            sdc_pol_each_pair(l, v, archive_key, NULL);
    } else if (strcmp(spec->name, "identifier_patterns") == 0) {
        read_patterns(l, key, v, append);
    } else if (strcmp(spec->name, "verdicts") == 0) {
        if (!sdc_pol_is_null(v) && sdc_pol_expect_mapping(l, key, v))
            sdc_pol_each_pair(l, v, verdict_key, NULL);
    }
}

static void apply_key(sdc_pol_layer *l, const struct key_spec *spec, const char *key,
                      yaml_node_t *v, bool append)
{
    char *base = (char *)l->p + spec->offset;
    switch (spec->kind) {
    case KEY_TEXT: apply_text(l, spec, key, v, (char **)(void *)base); break;
    case KEY_NUMBER: {
        double d;
        if (sdc_pol_get_number(l, key, v, &spec->range, &d))
            *(double *)(void *)base = d;
        break;
    }
    case KEY_LONG: {
        long long n;
        if (sdc_pol_get_integer(l, key, v, &spec->range, LONG_MAX, &n))
            *(long *)(void *)base = (long)n;
        break;
    }
    case KEY_BOOL: {
        bool b;
        if (sdc_pol_get_bool(l, key, v, &b))
            *(bool *)(void *)base = b;
        break;
    }
    case KEY_LIST: read_strlist(l, key, v, (sdc_strlist *)(void *)base, append, spec->check); break;
    case KEY_OTHER: apply_other(l, spec, key, v, append); break;
    }
}

/* First pass: plain keys (and unknown-key errors); second pass: add_ keys. */
struct pass {
    bool adds;
};

static void root_key(sdc_pol_layer *l, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    const struct pass *pass = arg;
    bool append;
    const struct key_spec *spec = find_key(key, &append);
    if (!spec) {
        if (!pass->adds) {
            const char *known[N_KEYS + 1];
            known_key_names(known, N_KEYS + 1);
            sdc_pol_unknown_key(l, k, key, "", known);
        }
        return;
    }
    if (append == pass->adds)
        apply_key(l, spec, key, v, append);
}

void sdc_pol_keys_apply(sdc_pol_layer *l, yaml_node_t *root)
{
    struct pass plain = {false}, adds = {true};
    sdc_pol_each_pair(l, root, root_key, &plain);
    sdc_pol_each_pair_quiet(l, root, root_key, &adds);
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

/* ---- extends ----------------------------------------------------------- */

/* The file `extends: TARGET` of layer L names: TARGET in L's folder, or
 * TARGET itself if absolute, when it is a regular file. NULL when there is
 * no such file or L is embedded; NULL with *OOM set when out of memory. */
static char *extends_file(const sdc_pol_layer *l, const char *target, bool *oom)
{
    char *path = NULL;
    *oom = false;
    if (!l->dir)
        return NULL;
    if (target[0] == '/')
        path = strdup(target);
    else if (asprintf(&path, "%s/%s", l->dir, target) < 0)
        path = NULL;
    if (!path) {
        *oom = true;
        return NULL;
    }
    if (!sdc_pol_file_is_regular(path)) {
        free(path);
        return NULL;
    }
    return path;
}

/* Whether the parent (file PATH, or embedded TARGET when PATH is NULL) is
 * already being loaded further out; if so, says so at V with the chain. */
static bool extends_cycle(sdc_pol_layer *l, yaml_node_t *v, const char *path, const char *target)
{
    sdc_pol_reader *r = l->r;
    char identity[PATH_MAX + 16];
    char *real = path ? realpath(path, NULL) : NULL;
    if (path)
        snprintf(identity, sizeof identity, "%s", real ? real : path);
    else
        snprintf(identity, sizeof identity, "embedded:%s", target);
    free(real);
    for (size_t i = 0; i < r->depth; i++) {
        if (strcmp(r->chain[i], identity) != 0)
            continue;
        char trail[1024] = "";
        size_t used = 0;
        for (size_t j = i; j < r->depth; j++) {
            int n = snprintf(trail + used, sizeof trail - used, "%s -> ", r->chain_file[j]);
            if (n < 0 || (size_t)n >= sizeof trail - used)
                break;
            used += (size_t)n;
        }
        sdc_pol_layer_error(l, v, "extends cycle: %s%s", trail, path ? path : target);
        return true;
    }
    return false;
}

/* Loads the parent named by `extends: V` of layer L into L->p. */
static void layer_extends(sdc_pol_layer *l, yaml_node_t *v)
{
    sdc_pol_reader *r = l->r;
    if (!sdc_pol_is_scalar(v) || !*sdc_pol_scalar_text(v)) {
        sdc_pol_layer_error(l, v, "extends must name a policy (embedded name or file), not %s",
                            sdc_pol_is_scalar(v) ? "empty" : sdc_pol_node_kind(v));
        sdc_pol_set_defaults(l->p);
        return;
    }
    const char *target = sdc_pol_scalar_text(v);
    bool oom;
    char *path = extends_file(l, target, &oom);
    if (oom) {
        sdc_pol_error_oom(r, l->file);
        return;
    }
    if (!path && !sdc_pol_builtin_yaml(target)) {
        char *names = sdc_pol_builtin_list();
        sdc_pol_layer_error(l, v, "extends: unknown policy '%s' (%s%s%sembedded: %s)", target,
                            l->dir ? "no such file in " : "", l->dir ? l->dir : "",
                            l->dir ? "; " : "", names ? names : "");
        free(names);
        sdc_pol_set_defaults(l->p);
        return;
    }
    if (extends_cycle(l, v, path, target)) {
        free(path);
        sdc_pol_set_defaults(l->p);
        return;
    }
    if (r->depth == SDC_POL_MAX_EXTENDS_DEPTH) {
        sdc_pol_layer_error(l, v, "extends: chains deeper than %d policies are refused",
                            SDC_POL_MAX_EXTENDS_DEPTH);
        free(path);
        sdc_pol_set_defaults(l->p);
        return;
    }
    int rc = path ? sdc_pol_layer_file(r, l->p, path, l->file, sdc_pol_node_line(v))
                  : sdc_pol_layer_builtin(r, l->p, target);
    /* A parent that could not be read left P untouched: start from the
     * defaults so that this file's own keys are still checked. */
    if (rc < 0)
        sdc_pol_set_defaults(l->p);
    free(path);
}

/* ---- one layer --------------------------------------------------------- */

/* The value of ROOT's first `extends` key, or NULL. */
static yaml_node_t *find_extends(const sdc_pol_layer *l, yaml_node_t *root)
{
    for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
         pair < root->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = sdc_pol_node_at(l, pair->key);
        if (sdc_pol_is_scalar(k) && strcmp(sdc_pol_scalar_text(k), "extends") == 0)
            return sdc_pol_node_at(l, pair->value);
    }
    return NULL;
}

/*
 * Parses TEXT and applies it on top of P: the parent first (extends), or
 * the defaults when there is none. FILE is TEXT's name in errors, DIR the
 * folder of a relative `extends` (NULL: embedded), IDENTITY what tells
 * this layer apart in the chain, DEFAULT_NAME the policy's name unless the
 * text sets one. Returns 0, or -1 if this layer could not be read at all
 * (errors are added either way).
 */
static int layer_text(sdc_pol_reader *r, sdc_policy *p, const char *text, size_t len,
                      const char *file, const char *dir, const char *identity,
                      const char *default_name)
{
    yaml_document_t doc;
    if (sdc_pol_doc_load(r, text, len, file, &doc) < 0)
        return -1;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    sdc_pol_layer l = {r, &doc, file, dir, p};

    r->chain[r->depth] = strdup(identity);
    r->chain_file[r->depth] = file;
    if (!r->chain[r->depth]) {
        sdc_pol_error_oom(r, file);
        yaml_document_delete(&doc);
        return -1;
    }
    r->depth++;

    yaml_node_t *extends = find_extends(&l, root);
    if (extends)
        layer_extends(&l, extends);
    else if (sdc_pol_set_defaults(p) < 0)
        sdc_pol_error_oom(r, file);

    /* name and description belong to this file, not to the parent */
    free(p->name);
    free(p->description);
    p->name = strdup(default_name);
    p->description = NULL;
    if (!p->name)
        sdc_pol_error_oom(r, file);

    sdc_pol_keys_apply(&l, root);

    r->depth--;
    free(r->chain[r->depth]);
    r->chain[r->depth] = NULL;
    yaml_document_delete(&doc);
    return 0;
}

int sdc_pol_layer_builtin(sdc_pol_reader *r, sdc_policy *p, const char *name)
{
    const char *yaml = sdc_pol_builtin_yaml(name);
    char shown[128], identity[128];
    snprintf(shown, sizeof shown, "embedded:%s", name);
    snprintf(identity, sizeof identity, "embedded:%s", name);
    return layer_text(r, p, yaml, strlen(yaml), shown, NULL, identity, name);
}

int sdc_pol_layer_file(sdc_pol_reader *r, sdc_policy *p, const char *path, const char *from_file,
                       long from_line)
{
    size_t len;
    char *text = sdc_pol_file_read(r, path, from_file ? from_file : path, from_line, &len);
    if (!text)
        return -1;
    char *identity = realpath(path, NULL);
    char *dir = dir_name(path);
    char *name = base_name(path);
    int rc = -1;
    if (dir && name)
        rc = layer_text(r, p, text, len, path, dir, identity ? identity : path, name);
    else
        sdc_pol_error_oom(r, path);
    free(identity);
    free(dir);
    free(name);
    free(text);
    return rc;
}
