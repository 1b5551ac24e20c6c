/*
 * dof_infer.c - residual degrees of freedom read back from a coefficient
 * table (see dof_infer.h; doc/design.md, "Regression tables").
 *
 * A t test's two-sided p-value is 2 Q(|t|; df), Q the upper tail of
 * Student's t with df degrees of freedom; a 95% confidence interval is
 * estimate +- t_0.975(df) se. Both fall as df grows (the t distributions
 * are ordered: fewer df, heavier tails), so a row's published t and p, or
 * its standard error and interval, pin df down, and bisection finds it
 * (GSL's gsl_cdf_tdist_Q and gsl_cdf_tdist_Qinv). Published figures are
 * rounded: each is taken as the interval its last digit allows (0.0432
 * is 0.04315 to 0.04325), which gives each row a range of df; the rows
 * of one model share one df, so the ranges are intersected.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/dof_infer.h"
#include "table/layout_names.h"

#define DF_MIN 0.5
#define DF_MAX 1e7
#define BISECTIONS 200

double sdc_dof_from_tp(double t, double p)
{
    t = fabs(t);
    if (!(p > 0) || !(t > 0) || p >= 1)
        return p >= 1 ? 0 : INFINITY;
    if (p <= 2 * gsl_cdf_ugaussian_Q(t))
        return INFINITY; /* even the normal gives a larger p */
    if (p >= 2 * gsl_cdf_tdist_Q(t, DF_MIN))
        return 0;
    double lo = DF_MIN, hi = DF_MAX;
    if (p <= 2 * gsl_cdf_tdist_Q(t, hi))
        return INFINITY;
    for (int i = 0; i < BISECTIONS && hi - lo > 1e-9 * hi; i++) {
        double mid = sqrt(lo * hi); /* df spans orders of magnitude */
        if (2 * gsl_cdf_tdist_Q(t, mid) > p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* The df whose quantile at LEVEL (0.975 for a 95% interval) is Q. */
static double dof_from_quantile_at(double q, double level)
{
    if (!(q > gsl_cdf_ugaussian_Pinv(level)))
        return INFINITY;
    if (q >= gsl_cdf_tdist_Pinv(level, DF_MIN))
        return 0;
    double lo = DF_MIN, hi = DF_MAX;
    if (q <= gsl_cdf_tdist_Pinv(level, hi))
        return INFINITY;
    for (int i = 0; i < BISECTIONS && hi - lo > 1e-9 * hi; i++) {
        double mid = sqrt(lo * hi);
        if (gsl_cdf_tdist_Pinv(level, mid) > q)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

double sdc_dof_from_quantile(double q)
{
    return dof_from_quantile_at(q, 0.975);
}

/* Half a unit in the last digit of a number as written ("0.0432" ->
 * 0.00005, "9.1e-13" -> 0.05e-13, "120" -> 0.5). */
static double half_unit(const char *text)
{
    const char *p = text;
    while (*p && *p != '.' && *p != 'e' && *p != 'E')
        p++;
    int decimals = 0;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            decimals++;
    long exp = 0;
    if (*p == 'e' || *p == 'E')
        exp = strtol(p + 1, NULL, 10);
    if (exp > 300 || exp < -300)
        return INFINITY;
    return 0.5 * pow(10, (double)(exp - decimals));
}

typedef enum { REG_OTHER, REG_EST, REG_SE, REG_T, REG_Z, REG_P, REG_PZ, REG_LO, REG_HI } reg_kind;

static bool in(const char *n, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (strcmp(n, names[i]) == 0)
            return true;
    return false;
}

/* A coefficient table's column, by its normalised name: R's ("Estimate",
 * "Std. Error", "t value", "Pr(>|t|)"), broom's ("estimate", "std.error",
 * "statistic", "p.value", "conf.low", "conf.high"), statsmodels' ("coef",
 * "std err", "t", "P>|t|", "[0.025", "0.975]"), Stata's ("Coef.", "Std.
 * Err.", "t", "P>|t|", "[95% Conf.", "Interval]"). *LEVEL: an interval
 * bound's tail (0.025 for "[0.025" or "2.5 %"), else 0. */
static reg_kind kind_of(const char *name, double *level)
{
    static const char *const est[] = {"estimate", "coef", "coefficient", "b", "beta", NULL};
    static const char *const se[] = {"std_error",      "se", "std_err", "stderr",
                                     "standard_error", NULL};
    static const char *const t[] = {"t", "t_value", "statistic", "t_stat", "tstat", NULL};
    static const char *const z[] = {"z", "z_value", NULL};
    static const char *const p[] = {"p_value", "pvalue", "p", "pr_t", "p_t", "prob", NULL};
    static const char *const pz[] = {"pr_z", "p_z", NULL};
    static const char *const lo[] = {"conf_low", "ci_lower", "lower",    "lwr",
                                     "ci_low",   "95_conf",  "lower_95", NULL};
    static const char *const hi[] = {"conf_high", "ci_upper", "upper",    "upr",
                                     "ci_high",   "interval", "upper_95", NULL};
    char n[128];
    sdc_layout_name_normalise(name, n, sizeof n);
    *level = 0;
    if (in(n, est))
        return REG_EST;
    if (in(n, se))
        return REG_SE;
    if (in(n, t))
        return REG_T;
    if (in(n, z))
        return REG_Z;
    if (in(n, p))
        return REG_P;
    if (in(n, pz))
        return REG_PZ;
    if (in(n, lo))
        return REG_LO;
    if (in(n, hi))
        return REG_HI;
    /* "[0.025" / "0.975]" (statsmodels), "2.5 %" / "97.5 %" (R's confint) */
    char num[32];
    size_t k = 0;
    for (const char *c = name; *c && k + 1 < sizeof num; c++)
        if ((*c >= '0' && *c <= '9') || *c == '.')
            num[k++] = *c;
        else if (*c != '[' && *c != ']' && *c != '%' && *c != ' ')
            return REG_OTHER;
    num[k] = '\0';
    if (!k)
        return REG_OTHER;
    double v = strtod(num, NULL);
    if (strchr(name, '%'))
        v /= 100;
    if (v > 0 && v < 0.5) {
        *level = v;
        return REG_LO;
    }
    if (v > 0.5 && v < 1) {
        *level = 1 - v;
        return REG_HI;
    }
    return REG_OTHER;
}

/* The published number of row R, column C, and its rounding. */
static bool num(const sdc_table *t, size_t r, long c, double *v, double *d)
{
    if (c < 0)
        return false;
    const sdc_cell *cell = sdc_table_cell(t, r, (size_t)c);
    if (cell->kind != SDC_CELL_NUMBER || !isfinite(cell->number))
        return false;
    *v = cell->number;
    *d = half_unit(cell->text);
    return isfinite(*d);
}

/* The df range row R allows: from t (or estimate / se) and p, and from
 * se and the interval. False when the row says nothing. */
static bool row_range(const sdc_table *t, size_t r, const long *col, double tail, double *lo,
                      double *hi, char *what, size_t size)
{
    double tv, dt, pv, dp, ev, de, sv, ds, lv, dl, hv, dh;
    bool have = false;
    *lo = 0;
    *hi = INFINITY;
    bool has_t = num(t, r, col[REG_T], &tv, &dt);
    if (!has_t && num(t, r, col[REG_EST], &ev, &de) && num(t, r, col[REG_SE], &sv, &ds) &&
        sv - ds > 0) { /* t from the estimate and its standard error */
        tv = fabs(ev) / sv;
        dt = fmax((fabs(ev) + de) / (sv - ds) - tv, tv - (fabs(ev) - de) / (sv + ds));
        has_t = true;
    }
    if (has_t && num(t, r, col[REG_P], &pv, &dp) && pv > 0 && pv < 0.9 && fabs(tv) > dt) {
        double h = sdc_dof_from_tp(fabs(tv) - dt, pv - dp);
        double l = sdc_dof_from_tp(fabs(tv) + dt, fmin(pv + dp, 1));
        *lo = fmax(*lo, l);
        *hi = fmin(*hi, pv - dp > 0 ? h : INFINITY);
        snprintf(what, size, "t = %s and p = %s",
                 col[REG_T] >= 0 ? sdc_table_cell(t, r, (size_t)col[REG_T])->text : "estimate/se",
                 sdc_table_cell(t, r, (size_t)col[REG_P])->text);
        have = true;
    }
    if (num(t, r, col[REG_SE], &sv, &ds) && num(t, r, col[REG_LO], &lv, &dl) &&
        num(t, r, col[REG_HI], &hv, &dh) && sv - ds > 0 && hv > lv) {
        double half = (hv - lv) / 2, dhalf = (dl + dh) / 2;
        double level = 1 - (tail > 0 ? tail : 0.025);
        double h = dof_from_quantile_at((half - dhalf) / (sv + ds), level);
        double l = dof_from_quantile_at((half + dhalf) / (sv - ds), level);
        if (h < *hi) /* the tighter evidence names the row */
            snprintf(what, size,
                     "standard error %s and %g%% interval [%s, %s] (%.3f standard "
                     "errors each side)",
                     sdc_table_cell(t, r, (size_t)col[REG_SE])->text, 100 * (2 * level - 1),
                     sdc_table_cell(t, r, (size_t)col[REG_LO])->text,
                     sdc_table_cell(t, r, (size_t)col[REG_HI])->text, half / sv);
        *lo = fmax(*lo, l);
        *hi = fmin(*hi, h);
        have = true;
    }
    return have;
}

bool sdc_dof_infer(const sdc_table *t, sdc_dof_range *out)
{
    long col[REG_HI + 1];
    for (int k = 0; k <= REG_HI; k++)
        col[k] = -1;
    double tail = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        double level;
        reg_kind k = kind_of(t->columns[c].name, &level);
        if (k != REG_OTHER && col[k] < 0) {
            col[k] = (long)c;
            if (level > 0)
                tail = level;
        }
    }
    if (col[REG_Z] >= 0 || col[REG_PZ] >= 0)
        return false; /* z tests: the normal has no df to find */
    /* broom names a GLM's Wald z "statistic" as it names an OLS's t: */
    bool maybe_z = true;
    if (col[REG_T] >= 0) {
        char n[128];
        sdc_layout_name_normalise(t->columns[col[REG_T]].name, n, sizeof n);
        maybe_z = strcmp(n, "statistic") == 0;
    }
    memset(out, 0, sizeof *out);
    out->lo = 0;
    out->hi = INFINITY;
    bool any = false;
    double best = INFINITY;
    for (size_t r = 0; r < t->nrows; r++) {
        double lo, hi;
        char what[160];
        what[0] = '\0';
        if (!row_range(t, r, col, tail, &lo, &hi, what, sizeof what))
            continue;
        any = true;
        out->lo = fmax(out->lo, lo);
        out->hi = fmin(out->hi, hi);
        if (hi < best || (!isfinite(best) && out->evidence[0] == '\0')) {
            best = hi;
            out->row = r;
            char labels[96];
            snprintf(out->evidence, sizeof out->evidence, "%s in row '%s'", what,
                     sdc_table_row_labels(t, r, labels, sizeof labels));
        }
    }
    /* rows of one model share their df: ranges that do not meet are not
     * t tests of one model (a 1% slack for the rounding's edges) */
    if (!any || out->lo > out->hi * 1.01 + 0.5)
        return false;
    /* p-values no t distribution gives, only the normal: z tests (a GLM's
     * Wald statistics under the name "statistic"), which say nothing of df;
     * and when a column not named t allows the normal too, it may be one */
    if (!isfinite(out->lo) || (maybe_z && !isfinite(out->hi) && col[REG_LO] < 0))
        return false;
    return true;
}
