/*
 * suppress.c - hiding a cell, and what would give it away; primary
 * suppression.
 *
 * Primary: the rules run on the table and every cell a failing primary
 * rule (threshold, dominance, group disclosure: rules/primary.c) points at
 * is suppressed, with a magnitude also its evidence in that row (max1 is
 * the largest contribution itself) and the measures whose contributor
 * count it is. A suppressed cell keeps its true value in `number` (the
 * kind and text change), so that the complementary suppression that
 * follows can weigh protection against the true values.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protect/protect_internal.h"
#include "rules/primary.h"
#include "sdccheck/check.h"

static bool suppress_one(sdc_table *t, size_t r, size_t c, const char *marker)
{
    sdc_cell *cell = &t->cells[r * t->ncols + c];
    if (cell->kind == SDC_CELL_SUPPRESSED)
        return false;
    cell->kind = SDC_CELL_SUPPRESSED;
    cell->text = marker; /* static or policy-owned: outlives the table's use */
    cell->bound_hi = -1;
    return true;
}

/* Suppresses cell (R, C) and what would give it away or can no longer be
 * judged without it: a measure's largest contributions (max1 is the
 * largest contribution itself), and the measures whose contributor count
 * it is (a value published without its n is reviewed, never cleared). */
bool sdc_protect_suppress(sdc_table *t, size_t r, size_t c, const char *marker)
{
    if (!suppress_one(t, r, c, marker))
        return false;
    const sdc_column *col = &t->columns[c];
    for (int k = 0; k < 8; k++)
        if (col->largest[k] >= 0)
            suppress_one(t, r, (size_t)col->largest[k], marker);
    for (size_t m = 0; m < t->ncols; m++)
        if (m != c && t->columns[m].contributors == (long)c)
            sdc_protect_suppress(t, r, m, marker);
    return true;
}

size_t sdc_protect_primary(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner)
{
    sdc_findings f = {0};
    sdc_table_check_primary(t, p, scanner, &f);
    const char *marker = sdc_policy_marker(p);
    size_t n = 0;
    for (size_t i = 0; i < f.count; i++) {
        const sdc_finding *x = &f.items[i];
        if (x->verdict != SDC_FAIL || !sdc_rule_is_primary(x->rule) || !x->line || !x->column)
            continue;
        long r = sdc_table_row_of_line(t, x->line), c = sdc_table_column(t, x->column);
        if (r < 0 || c < 0)
            continue;
        n += sdc_protect_suppress(t, (size_t)r, (size_t)c, marker);
        const sdc_column *col = &t->columns[c];
        if (col->contributors >= 0 && t->columns[col->contributors].role != SDC_COL_COUNT)
            n += sdc_protect_suppress(t, (size_t)r, (size_t)col->contributors, marker);
    }
    sdc_findings_free(&f);
    return n;
}

size_t sdc_protect_primary_left(const sdc_table *t, const sdc_policy *p,
                                const sdc_id_scanner *scanner)
{
    sdc_findings f = {0};
    sdc_table_check_primary(t, p, scanner, &f);
    size_t left = f.incomplete ? SIZE_MAX : 0;
    for (size_t i = 0; i < f.count && left != SIZE_MAX; i++) {
        const sdc_finding *x = &f.items[i];
        if (x->verdict == SDC_FAIL && sdc_rule_is_primary(x->rule) && x->line && x->column &&
            sdc_table_row_of_line(t, x->line) >= 0 && sdc_table_column(t, x->column) >= 0)
            left++;
    }
    sdc_findings_free(&f);
    return left;
}

bool *sdc_protect_measure_columns(const sdc_table *t)
{
    bool *measure = calloc(t->ncols + 1, 1);
    if (!measure)
        return NULL;
    for (size_t c = 0; c < t->ncols; c++)
        measure[c] |=
            t->columns[c].role == SDC_COL_COUNT || t->columns[c].role == SDC_COL_MAGNITUDE;
    for (size_t c = 0; c < t->ncols; c++) {
        for (int k = 0; k < 8; k++)
            if (t->columns[c].largest[k] >= 0)
                measure[t->columns[c].largest[k]] = false;
        if (t->columns[c].contributors >= 0 && (size_t)t->columns[c].contributors != c)
            measure[t->columns[c].contributors] &=
                t->columns[t->columns[c].contributors].role == SDC_COL_COUNT;
    }
    return measure;
}

void sdc_protect_count(const sdc_table *t, const bool *known, const bool *primary,
                       sdc_protect_result *out)
{
    bool *measure = sdc_protect_measure_columns(t);
    if (!measure)
        return; /* out of memory: the counts the steps kept */
    out->primary = out->secondary = 0;
    out->secondary_value = 0;
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        if (t->cells[i].kind != SDC_CELL_SUPPRESSED || !known[i] || !measure[i % t->ncols])
            continue;
        if (primary[i]) {
            out->primary++;
        } else {
            out->secondary++;
            out->secondary_value += fabs(t->cells[i].number);
        }
    }
    free(measure);
}
