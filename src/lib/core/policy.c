/*
 * policy.c - the policy object: its defaults, its lists, freeing it, and
 * the questions the rules ask of it.
 *
 * An sdc_policy is a plain struct the rules read directly; what it owns
 * (names, string lists, patterns, verdict overrides) is freed here and
 * nowhere else. The C defaults below are the contract's values
 * (doc/design.md, "Table rules" and "Disallowed artefacts"): every chain of
 * `extends` starts from them, so a policy file only says what it changes. This file knows nothing
 * of YAML; reading policies is the business of the other policy_*.c files (policy_internal.h lists
 * them).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sdccheck/policy.h"
#include "core/policy_internal.h"

const char *const sdc_pol_identifier_kinds[] = {"nhs_number", "ni_number", "postcode",
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
static const char *const default_percents[] = {
    "pct", "percent", "%", "share", "rate", "proportion", "cum", "cumulative", NULL};
static const char *const default_regression[] = {
    "estimate", "coef",     "coefficient", "std_error", "se",       "std.error",
    "t",        "t_value",  "statistic",   "z",         "p_value",  "p.value",
    "pvalue",   "conf.low", "conf.high",   "ci_lower",  "ci_upper", NULL};
static const char *const default_dimensions[] = {"year",      "month", "quarter", "period", "age",
                                                 "age_group", "date",  "week",    NULL};
static const char *const default_ids[] = {
    "id",      "person_id",    "patient_id", "nhs_number", "pupil_id", "record_id", "respondent_id",
    "firm_id", "household_id", "ni_number",  NULL};

/* ---- what a policy owns ------------------------------------------------ */

void sdc_pol_strlist_clear(sdc_strlist *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

int sdc_pol_strlist_push(sdc_strlist *list, const char *s)
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
    sdc_pol_strlist_clear(list);
    for (size_t i = 0; values[i]; i++)
        if (sdc_pol_strlist_push(list, values[i]) < 0)
            return -1;
    return 0;
}

void sdc_pol_patterns_clear(sdc_policy *p)
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

/* Every string list of a policy, for freeing as a group. */
static sdc_strlist *policy_list(sdc_policy *p, size_t i)
{
    sdc_strlist *lists[] = {&p->suppressed_markers, &p->missing_markers,  &p->total_labels,
                            &p->count_names,        &p->magnitude_names,  &p->extreme_names,
                            &p->percentile_names,   &p->mode_names,       &p->percent_names,
                            &p->regression_names,   &p->dimension_names,  &p->id_names,
                            &p->identifiers,        &p->identifier_allow, &p->allowed_file_types};
    return i < sizeof lists / sizeof lists[0] ? lists[i] : NULL;
}

void sdc_pol_clear(sdc_policy *p)
{
    free(p->name);
    free(p->description);
    free(p->source);
    for (size_t i = 0; policy_list(p, i); i++)
        sdc_pol_strlist_clear(policy_list(p, i));
    sdc_pol_patterns_clear(p);
    overrides_clear(p);
    memset(p, 0, sizeof *p);
}

int sdc_pol_set_defaults(sdc_policy *p)
{
    sdc_pol_clear(p);
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
    p->max_code_numbers = 500;
    p->max_code_splits = 50;
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
        strlist_set(&p->identifiers, sdc_pol_identifier_kinds) < 0)
        return -1;
    return 0;
}

void sdc_policy_free(sdc_policy *policy)
{
    if (!policy)
        return;
    sdc_pol_clear(policy);
    free(policy);
}

/* ---- questions --------------------------------------------------------- */

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

/* ASCII lower case, inline: this runs twice for every cell of a table. */
static inline int lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

bool sdc_strlist_contains(const sdc_strlist *list, const char *s)
{
    if (!list || !s || list->count == 0)
        return false;
    size_t len = strlen(s);
    while (len > 0 && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    int first = len ? lower((unsigned char)s[0]) : 0;
    for (size_t i = 0; i < list->count; i++) {
        const char *item = list->items[i];
        /* most items differ in their first character: no strlen then */
        if (len && lower((unsigned char)item[0]) != first)
            continue;
        if (strlen(item) == len && strncasecmp(item, s, len) == 0)
            return true;
    }
    return false;
}

const char *sdc_policy_marker(const sdc_policy *p)
{
    for (size_t i = 0; i < p->suppressed_markers.count; i++)
        if (p->suppressed_markers.items[i][0])
            return p->suppressed_markers.items[i];
    return "c";
}
