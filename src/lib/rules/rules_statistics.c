/*
 * rules_statistics.c - summary statistics (doc/design.md, "Statistics").
 *
 * Minima and maxima are single records: fail unless the policy allows them.
 * A mode needs evidence that at least `threshold` records share it.
 * Percentiles, medians and spreads need n >= threshold. A cell where all
 * values are the same (sd = 0, min = max) discloses every record in it:
 * ACRO's "all-values-are-same".
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rules/rules.h"

/* Lower-cased name with min/max/minimum/maximum removed: the measure's stem,
 * so that "min_age" and "max_age" pair up. */
static void extreme_stem(const char *name, char *out, size_t size, int *which)
{
    static const char *const words[] = {"minimum", "maximum", "min", "max"};
    char low[128];
    size_t n = 0;
    for (; name[n] && n + 1 < sizeof low; n++)
        low[n] = (char)tolower((unsigned char)name[n]);
    low[n] = '\0';
    *which = 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char *hit = strstr(low, words[i]);
        if (hit) {
            *which = words[i][1] == 'i' ? -1 : 1;
            memmove(hit, hit + strlen(words[i]), strlen(hit + strlen(words[i])) + 1);
            break;
        }
    }
    snprintf(out, size, "%s", low);
}

/* The mode's evidence column: "<mode>_n", "mode_n", "mode_count", "mode_freq". */
static long mode_evidence(const sdc_table *t, size_t c)
{
    char want[4][160];
    snprintf(want[0], sizeof want[0], "%s_n", t->columns[c].name);
    snprintf(want[1], sizeof want[1], "mode_n");
    snprintf(want[2], sizeof want[2], "mode_count");
    snprintf(want[3], sizeof want[3], "mode_freq");
    for (size_t k = 0; k < t->ncols; k++)
        for (size_t w = 0; w < 4; w++)
            if (k != c && strcasecmp(t->columns[k].name, want[w]) == 0)
                return (long)k;
    return -1;
}

static void check_extremes(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->columns[c].role != SDC_COL_EXTREME)
            continue;
        if (!ctx->policy->allow_min_max && t->columns[c].numeric > 0) {
            size_t first = 0;
            while (first < t->nrows && sdc_table_cell(t, first, c)->kind != SDC_CELL_NUMBER)
                first++;
            sdc_rule_cell(ctx, "min-max", SDC_FAIL, first, c, 0, false,
                          "remove minima and maxima, or publish a percentile of enough "
                          "records instead",
                          "'%s' publishes %zu minimum or maximum value%s: each is a single "
                          "record",
                          t->columns[c].name, t->columns[c].numeric,
                          t->columns[c].numeric == 1 ? "" : "s");
        }
        /* min == max in one row: every record in the cell has that value. */
        char stem[128], stem2[128];
        int which, which2;
        extreme_stem(t->columns[c].name, stem, sizeof stem, &which);
        if (which >= 0)
            continue;
        for (size_t k = 0; k < t->ncols; k++) {
            if (t->columns[k].role != SDC_COL_EXTREME)
                continue;
            extreme_stem(t->columns[k].name, stem2, sizeof stem2, &which2);
            if (which2 <= 0 || strcmp(stem, stem2) != 0)
                continue;
            for (size_t r = 0; r < t->nrows; r++) {
                double lo, hi;
                if (sdc_rule_value(t, r, (long)c, &lo) && sdc_rule_value(t, r, (long)k, &hi) &&
                    lo == hi)
                    sdc_rule_cell(ctx, "all-values-are-same", SDC_FAIL, r, k, 0, false,
                                  ADVICE_SUPPRESS,
                                  "minimum and maximum are equal (%g): every record in the "
                                  "cell has this value",
                                  lo);
            }
        }
    }
}

static bool is_median(const char *name)
{
    char n[128];
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < sizeof n; p++)
        n[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    n[k] = '\0';
    return strstr(n, "median") != NULL;
}

static void check_column(const sdc_rule_ctx *ctx, size_t c)
{
    const sdc_table *t = ctx->table;
    const sdc_policy *p = ctx->policy;
    const sdc_column *col = &t->columns[c];
    long evidence = col->role == SDC_COL_MODE ? mode_evidence(t, c) : col->contributors;

    if (col->role != SDC_COL_MODE && evidence < 0 && col->numeric > 0) {
        sdc_rule_column(ctx, "contributors-missing", SDC_REVIEW, c, ADVICE_CONTRIBUTORS,
                        "'%s' has no count of the records behind it, so the threshold cannot "
                        "be checked",
                        col->name);
    } else if (col->role == SDC_COL_PERCENTILE && col->numeric > 0 && col->largest[0] < 0 &&
               is_median(col->name)) {
        /* a median with its n: a middle record's value; whether a few
         * records sit at it cannot be told without the values around it */
        sdc_rule_column(ctx, "contributors-missing", SDC_REVIEW, c, ADVICE_CONTRIBUTORS,
                        "median '%s' has its n but no largest contributions, so whether a few "
                        "records dominate the cell cannot be checked",
                        col->name);
    }
    for (size_t r = 0; r < t->nrows; r++) {
        const sdc_cell *cell = sdc_table_cell(t, r, c);
        if (cell->kind != SDC_CELL_NUMBER)
            continue;
        double n = 0;
        bool have_n = sdc_rule_value(t, r, evidence, &n);
        switch (col->role) {
        case SDC_COL_MODE: {
            const char *advice = "publish the mode only with a count (mode_n) of at least "
                                 "the threshold";
            if (!have_n)
                sdc_rule_cell(ctx, "mode", SDC_FAIL, r, c, p->threshold, true, advice,
                              "the mode is published without evidence of how many records "
                              "share it");
            else if (n < p->threshold)
                sdc_rule_cell(ctx, "mode", SDC_FAIL, r, c, p->threshold, true, advice,
                              "the mode is shared by %g records, below the threshold of %g", n,
                              p->threshold);
            break;
        }
        case SDC_COL_PERCENTILE:
            if (have_n && n < p->threshold)
                sdc_rule_cell(
                    ctx, "percentile", SDC_FAIL, r, c, p->threshold, true, ADVICE_SUPPRESS,
                    "percentile of %g records, below the threshold of %g", n, p->threshold);
            break;
        case SDC_COL_SPREAD:
            if (have_n && n < p->threshold)
                sdc_rule_cell(ctx, "threshold", SDC_FAIL, r, c, p->threshold, true, ADVICE_SUPPRESS,
                              "%g records, below the threshold of %g", n, p->threshold);
            if (cell->number == 0)
                sdc_rule_cell(ctx, "all-values-are-same", SDC_FAIL, r, c, 0, false, ADVICE_SUPPRESS,
                              "the spread is zero: every record in the cell has the same "
                              "value");
            break;
        default: break;
        }
    }
}

static void run(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    if (t->shape == SDC_SHAPE_REGRESSION)
        return;
    check_extremes(ctx);
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column_role role = t->columns[c].role;
        if (role == SDC_COL_MODE || role == SDC_COL_PERCENTILE || role == SDC_COL_SPREAD)
            check_column(ctx, c);
    }
}

const sdc_rule_family sdc_rules_statistics = {"statistics", run};
