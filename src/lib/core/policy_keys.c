/*
 * policy_keys.c - the keys a policy may set, and how each one sets its
 * field.
 *
 * One table lists every key with its type, field and range, so that adding
 * a plain number or list to the policy is one line here. Keys with a shape
 * of their own (nk_rules, pq_rule, archive, identifier_patterns, verdicts)
 * have a reader each below. A key that is not in the table is an error with
 * a "did you mean", never ignored: a typo must not leave a rule at its
 * default unnoticed.
 *
 * List keys replace the inherited list; `add_<key>` appends to it instead.
 * The add_ keys are applied in a second pass, after the plain keys of the
 * same file whatever their order, so `add_x` always extends this file's `x`.
 */
#include <ctype.h>
#include <limits.h>
#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdccheck/policy.h"
#include "core/policy_internal.h"

/* The rule ids (doc/design.md, "Table rules"): the only keys `verdicts` accepts. */
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
    {"max_code_numbers", KEY_LONG, FIELD(max_code_numbers), ABOVE(0), NULL, false},
    {"max_code_splits", KEY_LONG, FIELD(max_code_splits), ABOVE(0), NULL, false},
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
    {"identifier_allow", KEY_LIST, FIELD(identifier_allow), NO_RANGE, NULL, false},
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
        /* resolved before the other keys (policy_extends.c) */
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
