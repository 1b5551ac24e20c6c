/*
 * microdata.c - published cells verified against the records (doc/design.md, "Table rules").
 *
 * With --microdata DATA.csv the table's dimensions (its label columns,
 * named as in the records) are aggregated from the records with every
 * margin (aggregate.c), and each published count and sum is compared with
 * what the records give: a difference beyond the rounding of the table is
 * `data-mismatch` (fail). A magnitude published without dominance evidence
 * is judged on the records' largest contributions instead (nk-rule, p%).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdccheck/microdata.h"
#include "sdccheck/protect.h"
#include "sdccheck/spec.h"

/* A row's key: its labels, joined by the unit separator. */
#define KEY_SIZE 2048

/* The row labels of R, with any total label written as TOTAL. */
static void key_of(const sdc_table *t, size_t r, const sdc_policy *p, const char *total, char *out,
                   size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->columns[c].role != SDC_COL_LABEL || t->columns[c].is_index)
            continue;
        const char *text = sdc_table_cell(t, r, c)->text;
        if (sdc_strlist_contains(&p->total_labels, text))
            text = total;
        int w = snprintf(out + o, size - o, "%s%s", o ? "\x1f" : "", text);
        if (w < 0 || (size_t)w >= size - o)
            return;
        o += (size_t)w;
    }
}

static void mismatch(sdc_findings *f, const sdc_table *t, size_t r, size_t c, double truth,
                     const char *what)
{
    char labels[512];
    sdc_table_row_labels(t, r, labels, sizeof labels);
    sdc_finding_at at = {.line = t->row_line[r],
                         .row = labels[0] ? labels : NULL,
                         .column = t->columns[c].name,
                         .value = sdc_table_cell(t, r, c)->text,
                         .limit = truth,
                         .has_limit = true,
                         .advice = "publish the values the records give, or check the data "
                                   "and the table"};
    sdc_findings_add(f, "data-mismatch", SDC_FAIL, &at,
                     "the published %s %s differs from the records (%.10g)", what,
                     sdc_table_cell(t, r, c)->text, truth);
}

/* The table's dimensions (its label columns that are not a row index),
 * at most 8, into BY. Returns how many. */
static size_t dimensions_of(const sdc_table *t, const char **by)
{
    size_t nby = 0;
    for (size_t c = 0; c < t->ncols && nby < 8; c++)
        if (t->columns[c].role == SDC_COL_LABEL && !t->columns[c].is_index)
            by[nby++] = t->columns[c].name;
    return nby;
}

/* The table's first magnitude column, or -1. */
static long first_magnitude(const sdc_table *t)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (t->columns[c].role == SDC_COL_MAGNITUDE)
            return (long)c;
    return -1;
}

/* The records at DATA_PATH aggregated as SPEC says; when that fails with a
 * measure, again without it (the measure may not be a column of the
 * records), and *MAGNITUDE becomes -1. NULL, with *ST, when the records
 * cannot be aggregated. */
static sdc_table *aggregate_records(const char *data_path, const sdc_policy *p,
                                    sdc_aggregate_spec *spec, sdc_status *st, long *magnitude)
{
    sdc_table *agg = sdc_aggregate_file(data_path, p, spec, st);
    if (!agg && *magnitude >= 0) {
        *st = (sdc_status){0};
        spec->value = NULL;
        *magnitude = -1;
        agg = sdc_aggregate_file(data_path, p, spec, st);
    }
    return agg;
}

/* The key of each row of the aggregate AGG; NULL when out of memory.
 * Freed by free_keys. */
static char **record_keys(const sdc_table *agg, const sdc_policy *p, const char *total)
{
    char **keys = calloc(agg->nrows + 1, sizeof *keys);
    for (size_t r = 0; keys && r < agg->nrows; r++) {
        if (!(keys[r] = malloc(KEY_SIZE))) {
            while (r > 0)
                free(keys[--r]);
            free(keys);
            return NULL;
        }
        key_of(agg, r, p, total, keys[r], KEY_SIZE);
    }
    return keys;
}

static void free_keys(char **keys, size_t n)
{
    for (size_t r = 0; keys && r < n; r++)
        free(keys[r]);
    free(keys);
}

/* The aggregate's row whose key is KEY, or -1. */
static long record_row(char *const *keys, size_t n, const char *key)
{
    for (size_t k = 0; k < n; k++)
        if (keys[k] && strcmp(keys[k], key) == 0)
            return (long)k;
    return -1;
}

/* A table verified against the aggregate of its records. */
typedef struct verify {
    const sdc_table *t;
    const sdc_table *agg;
    const sdc_policy *p;
    sdc_findings *findings;
    long magnitude;      /* the table's magnitude column, -1: none verified */
    long n_col, sum_col; /* the aggregate's count and sum columns (-1: none) */
    double base;         /* the policy's rounding base, 0 without */
} verify;

/* Each published count and sum of row R against the records' row AR (-1:
 * the records have no such cell, so it should be 0), within the rounding
 * of the table and the decimals written. */
static void verify_cells(const verify *v, size_t r, long ar)
{
    const sdc_table *t = v->t;
    for (size_t c = 0; c < t->ncols; c++) {
        const sdc_cell *cell = sdc_table_cell(t, r, c);
        bool count = t->columns[c].role == SDC_COL_COUNT;
        bool sum = (long)c == v->magnitude;
        if ((!count && !sum) || cell->kind != SDC_CELL_NUMBER)
            continue;
        if (ar < 0) {
            mismatch(v->findings, t, r, c, 0, count ? "count" : "value");
            continue;
        }
        double truth =
            sdc_table_cell(v->agg, (size_t)ar, (size_t)(count ? v->n_col : v->sum_col))->number;
        double tol = 1e-9 * fabs(truth) + (v->base > 0 ? v->base / 2 : 0);
        int dec = sdc_number_decimals(cell->text);
        if (dec > 0)
            tol += 0.5 * pow(10, -dec);
        if (fabs(cell->number - truth) > tol)
            mismatch(v->findings, t, r, c, truth, count ? "count" : "value");
    }
}

/* The magnitude of row R judged on the records' two largest contributions
 * (row AR of the aggregate): the nk-rules with n up to 2, and the p% rule. */
static void dominance_from_records(const verify *v, size_t r, size_t ar)
{
    const sdc_table *t = v->t;
    const sdc_policy *p = v->p;
    double T = sdc_table_cell(v->agg, ar, (size_t)v->sum_col)->number;
    double x1 = sdc_table_cell(v->agg, ar, (size_t)v->sum_col + 1)->number;
    double x2 = sdc_table_cell(v->agg, ar, (size_t)v->sum_col + 2)->number;
    char labels[512];
    sdc_table_row_labels(t, r, labels, sizeof labels);
    sdc_finding_at at = {.line = t->row_line[r],
                         .row = labels[0] ? labels : NULL,
                         .column = t->columns[v->magnitude].name,
                         .value = sdc_table_cell(t, r, (size_t)v->magnitude)->text,
                         .has_limit = true,
                         .advice = "suppress or combine categories"};
    for (size_t i = 0; T > 0 && i < p->nk_count; i++) {
        if (p->nk[i].n > 2)
            continue; /* the records' two largest are kept */
        double top = p->nk[i].n == 1 ? x1 : x1 + x2;
        if (top > p->nk[i].k * T) {
            at.limit = p->nk[i].k;
            sdc_findings_add(v->findings, "nk-rule", SDC_FAIL, &at,
                             "(%d, %.0f%%) dominance, from the records: the largest %d "
                             "hold %.1f%% of the total",
                             p->nk[i].n, p->nk[i].k * 100, p->nk[i].n, 100 * top / T);
        }
    }
    if (T > 0 && x1 > 0 && p->p_ratio > 0 && T - x1 - x2 < p->p_ratio * x1) {
        at.limit = p->p_ratio;
        sdc_findings_add(v->findings, "p-ratio", SDC_FAIL, &at,
                         "p%% rule, from the records: the second largest contributor "
                         "could estimate the largest to within %.1f%%",
                         100 * (T - x1 - x2 > 0 ? T - x1 - x2 : 0) / x1);
    }
}

int sdc_table_verify_microdata(const sdc_table *t, const sdc_policy *p, const char *data_path,
                               sdc_findings *findings)
{
    const char *by[8];
    size_t nby = dimensions_of(t, by);
    long magnitude = first_magnitude(t);
    sdc_finding_at nowhere = {.advice = "name the table's dimension and measure columns as in "
                                        "the records, or declare the layout"};
    if (nby == 0) {
        sdc_findings_add(findings, "needs-review", SDC_REVIEW, &nowhere,
                         "the table has no dimension columns to verify against the records");
        return 0;
    }
    sdc_aggregate_spec spec = {.by = by,
                               .nby = nby,
                               .value = magnitude >= 0 ? t->columns[magnitude].name : NULL,
                               .unit = sdc_table_spec_unit(t->spec),
                               .levels = t->spec}; /* subtotal rows of declared levels */
    sdc_status st = {0};
    sdc_table *agg = aggregate_records(data_path, p, &spec, &st, &magnitude);
    if (!agg) {
        sdc_findings_add(findings, "needs-review", SDC_REVIEW, &nowhere,
                         "the table could not be verified against the records: %s",
                         st.code ? st.message : "no records");
        return 0;
    }
    verify v = {.t = t,
                .agg = agg,
                .p = p,
                .findings = findings,
                .magnitude = magnitude,
                .n_col = (long)nby,
                .sum_col = spec.value ? (long)nby + 1 : -1,
                .base = p->rounding_base > 0 ? (double)p->rounding_base : 0};
    const char *total = p->total_labels.count ? p->total_labels.items[0] : "Total";
    /* The records' cells, by key (the aggregate is sorted by key). */
    char **keys = record_keys(agg, p, total);
    if (!keys)
        sdc_findings_mark_incomplete(findings, SDC_INCOMPLETE_MEMORY);
    for (size_t r = 0; keys && r < t->nrows; r++) {
        char key[KEY_SIZE];
        key_of(t, r, p, total, key, sizeof key);
        long ar = record_row(keys, agg->nrows, key);
        verify_cells(&v, r, ar);
        /* Dominance from the records when the table gives no evidence. */
        if (ar >= 0 && magnitude >= 0 && t->columns[magnitude].largest[0] < 0 &&
            sdc_table_cell(t, r, (size_t)magnitude)->kind == SDC_CELL_NUMBER)
            dominance_from_records(&v, r, (size_t)ar);
    }
    free_keys(keys, agg->nrows);
    sdc_table_free(agg);
    return 0;
}
