/*
 * layout_names.c - what a column's header name says it holds (doc/design.md, "Layouts").
 *
 * The names step of layout.c: a header is normalised ("Total Income" ->
 * "total_income") and matched against the policy's vocabulary (count,
 * magnitude, percent, regression words ...) on the whole name, then on its
 * first or last word ("total_income", "income_mean"). Dominance evidence
 * ("n", "max1", "max2", "turnover_max1") is recognised here too; which
 * measure it belongs to is layout.c's to decide, since that needs the
 * other columns. Kept apart from layout.c because it reads names only,
 * never values.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "layout_names.h"

#define NAME_MAX_LEN SDC_LAYOUT_NAME_MAX

const char *sdc_column_role_name(sdc_column_role role)
{
    static const char *const names[] = {
        [SDC_COL_EMPTY] = "empty",
        [SDC_COL_LABEL] = "label",
        [SDC_COL_COUNT] = "count",
        [SDC_COL_MAGNITUDE] = "magnitude",
        [SDC_COL_MEAN] = "mean",
        [SDC_COL_SPREAD] = "spread",
        [SDC_COL_PERCENTILE] = "percentile",
        [SDC_COL_EXTREME] = "extreme",
        [SDC_COL_MODE] = "mode",
        [SDC_COL_PERCENT] = "percent",
        [SDC_COL_CONTRIBUTORS] = "contributors",
        [SDC_COL_LARGEST] = "largest",
        [SDC_COL_REGRESSION] = "regression",
        [SDC_COL_DOF] = "dof",
        [SDC_COL_NOBS] = "nobs",
        [SDC_COL_UNKNOWN] = "unknown",
    };
    if ((unsigned)role < sizeof names / sizeof names[0] && names[role])
        return names[role];
    return "unknown";
}

/* Lower case, spaces, dots and hyphens as '_', no surrounding quotes or
 * punctuation: "Std. Error" -> "std_error". */
void sdc_layout_name_normalise(const char *name, char *out, size_t size)
{
    size_t o = 0;
    bool pending_sep = false;
    for (const char *p = name; *p && o + 2 < size; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || c >= 0x80 || c == '%') {
            if (pending_sep && o > 0)
                out[o++] = '_';
            pending_sep = false;
            out[o++] = (char)tolower(c);
        } else {
            pending_sep = true;
        }
    }
    out[o] = '\0';
}

/* Matches the normalised NAME against LIST (normalising each entry). */
static bool in_list(const sdc_strlist *list, const char *name)
{
    char norm[NAME_MAX_LEN];
    for (size_t i = 0; i < list->count; i++) {
        sdc_layout_name_normalise(list->items[i], norm, sizeof norm);
        if (norm[0] && strcmp(norm, name) == 0)
            return true;
    }
    return false;
}

/* First and last '_'-separated words of NAME. */
void sdc_layout_name_words(const char *name, char *first, char *last, size_t size)
{
    const char *us = strchr(name, '_');
    size_t n = us ? (size_t)(us - name) : strlen(name);
    if (n >= size)
        n = size - 1;
    memcpy(first, name, n);
    first[n] = '\0';
    const char *ls = strrchr(name, '_');
    snprintf(last, size, "%s", ls ? ls + 1 : name);
}

static bool is_dof_name(const char *n)
{
    static const char *const names[] = {"df_resid",     "df_residual", "residual_df", "dof",
                                        "df_residuals", "resid_df",    "df"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(n, names[i]) == 0)
            return true;
    return false;
}

static bool is_nobs_name(const char *n)
{
    static const char *const names[] = {"nobs",    "n_obs",  "observations",
                                        "num_obs", "no_obs", "n_observations"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(n, names[i]) == 0)
            return true;
    return false;
}

/* "max1" -> 1, "top2" -> 2, "largest" -> 1, "second_largest" -> 2; 0 if
 * the word is not largest-contribution evidence. */
static int largest_rank(const char *w)
{
    if (strcmp(w, "largest") == 0 || strcmp(w, "largest1") == 0 || strcmp(w, "first_largest") == 0)
        return 1;
    if (strcmp(w, "second_largest") == 0 || strcmp(w, "largest2") == 0)
        return 2;
    if ((strncmp(w, "max", 3) == 0 || strncmp(w, "top", 3) == 0) && isdigit((unsigned char)w[3]) &&
        w[4] == '\0' && w[3] >= '1' && w[3] <= '8')
        return w[3] - '0';
    return 0;
}

/* Contributor-count evidence words. */
static bool is_contributor_word(const char *w)
{
    return strcmp(w, "contributors") == 0 || strcmp(w, "n_contributors") == 0 ||
           strcmp(w, "ncontributors") == 0;
}

/* Evidence on its own, in this order: a largest contribution, a contributor
 * count, the residual degrees of freedom of a model. */
sdc_column_role sdc_layout_name_evidence(const char *name, int *rank)
{
    *rank = largest_rank(name);
    if (*rank)
        return SDC_COL_LARGEST;
    if (is_contributor_word(name))
        return SDC_COL_CONTRIBUTORS;
    if (is_dof_name(name))
        return SDC_COL_DOF;
    return SDC_COL_UNKNOWN;
}

/* If NAME is "<prefix>_<evidence>", writes the prefix and returns the rank
 * (largest) or -1 (contributors: _n, _count, _contributors); 0 if not. */
int sdc_layout_name_prefixed_evidence(const char *name, char *prefix, size_t size)
{
    static const char *const suffixes[] = {
        "_second_largest", "_largest", "_max1", "_max2", "_max3",  "_max4",        "_top1",
        "_top2",           "_top3",    "_top4", "_n",    "_count", "_contributors"};
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t sl = strlen(suffixes[i]);
        if (len > sl && strcmp(name + len - sl, suffixes[i]) == 0) {
            size_t pl = len - sl;
            if (pl >= size)
                return 0;
            memcpy(prefix, name, pl);
            prefix[pl] = '\0';
            int rank = largest_rank(suffixes[i] + 1);
            return rank ? rank : -1;
        }
    }
    /* "n_turnover" */
    if (strncmp(name, "n_", 2) == 0 && len > 2 && !is_nobs_name(name)) {
        snprintf(prefix, size, "%s", name + 2);
        return -1;
    }
    return 0;
}

/* A quantile's name as R and pandas print them: "25%" alone (quantile(),
 * describe()), "1st Qu." and "3rd Qu." (summary()), "1Q" and "3Q"
 * (summary.lm's residuals). A statistic of single records, not a
 * percentage. */
static bool quantile_name(const char *n) /* normalised: "1st_qu", "2_5%" */
{
    static const char *const r_names[] = {"1st_qu", "3rd_qu", "1q", "3q"};
    for (size_t i = 0; i < sizeof r_names / sizeof r_names[0]; i++)
        if (strcmp(n, r_names[i]) == 0)
            return true;
    const char *p = n;
    size_t digits = 0;
    while (isdigit((unsigned char)*p))
        p++, digits++;
    if (*p == '_')
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    return digits >= 1 && digits <= 3 && p[0] == '%' && p[1] == '\0';
}

/* Role from a name alone; SDC_COL_UNKNOWN when the name says nothing. */
sdc_column_role sdc_layout_name_role(const char *n, const sdc_policy *p)
{
    char first[NAME_MAX_LEN], last[NAME_MAX_LEN];
    if (!n[0])
        return SDC_COL_UNKNOWN;
    if (in_list(&p->regression_names, n))
        return SDC_COL_REGRESSION;
    if (is_nobs_name(n))
        return SDC_COL_NOBS;
    if (in_list(&p->count_names, n))
        return SDC_COL_COUNT;
    if (strcmp(n, "0%") == 0 || strcmp(n, "100%") == 0) /* quantile(): the extremes */
        return SDC_COL_EXTREME;
    if (quantile_name(n))
        return SDC_COL_PERCENTILE;
    if (in_list(&p->percent_names, n) || strchr(n, '%'))
        return SDC_COL_PERCENT;
    if (in_list(&p->extreme_names, n))
        return SDC_COL_EXTREME;
    if (in_list(&p->percentile_names, n))
        return SDC_COL_PERCENTILE;
    if (in_list(&p->mode_names, n))
        return SDC_COL_MODE;
    if (in_list(&p->dimension_names, n) || in_list(&p->id_names, n))
        return SDC_COL_LABEL;
    if (strcmp(n, "mean") == 0 || strcmp(n, "avg") == 0 || strcmp(n, "average") == 0)
        return SDC_COL_MEAN;
    if (strcmp(n, "sd") == 0 || strcmp(n, "std") == 0 || strcmp(n, "var") == 0 ||
        strcmp(n, "variance") == 0 || strcmp(n, "std_dev") == 0 || strcmp(n, "stddev") == 0)
        return SDC_COL_SPREAD;
    if (in_list(&p->magnitude_names, n))
        return SDC_COL_MAGNITUDE;

    sdc_layout_name_words(n, first, last, sizeof first);
    const char *words[2] = {first, last};
    for (int i = 0; i < 2; i++) {
        const char *w = words[i];
        if (strcmp(w, n) == 0)
            continue;
        if (strcmp(w, "mean") == 0 || strcmp(w, "avg") == 0 || strcmp(w, "average") == 0)
            return SDC_COL_MEAN;
        if (strcmp(w, "sd") == 0 || strcmp(w, "std") == 0 || strcmp(w, "var") == 0 ||
            strcmp(w, "variance") == 0)
            return SDC_COL_SPREAD;
        if (in_list(&p->extreme_names, w))
            return SDC_COL_EXTREME;
        if (in_list(&p->percentile_names, w))
            return SDC_COL_PERCENTILE;
        if (in_list(&p->mode_names, w))
            return SDC_COL_MODE;
        if (in_list(&p->percent_names, w))
            return SDC_COL_PERCENT;
        if (strcmp(w, "sum") == 0 || (i == 0 && strcmp(w, "total") == 0))
            return SDC_COL_MAGNITUDE;
        if (in_list(&p->count_names, w) && strcmp(w, "n") != 0)
            return SDC_COL_COUNT;
    }
    if (strcmp(last, "id") == 0 && strcmp(n, "id") != 0)
        return SDC_COL_LABEL;
    /* a category's code (region_code, code): a label, not a count */
    if (strcmp(last, "code") == 0 || strcmp(n, "code") == 0)
        return SDC_COL_LABEL;
    return SDC_COL_UNKNOWN;
}
