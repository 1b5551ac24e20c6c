/*
 * contradict.c - totals that contradict their own line, dropped so that
 * the rest of the table can be audited (sdc_audit_table_consistent).
 *
 * When no non-negative values fit the published totals, each line whose
 * published parts alone exceed its total, or whose suppressed parts'
 * markers cannot make up the rest, is to blame: those totals are dropped
 * (listed, dropped.c) and the rest is audited again, so that one wrong
 * total does not leave a whole table unaudited. A contradiction only
 * among several totals together blames none of them: the table stays
 * inconsistent.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "core/vec.h"
#include "sdccheck/error.h"
#include "table/grid.h"

/* The totals that contradict their own line, found line by line. */
typedef struct contradiction {
    const sdc_table *t;
    const sdc_policy *p;
    const sdc_grid_frame *f;
    uint32_t *mask;  /* per table cell: bit d, contradicts its line along d */
    sdc_audit found; /* the contradictions, listed as they will be */
    bool oom;
} contradiction;

static void on_line(void *vctx, const sdc_grid *g, const size_t *idx, size_t n, size_t d)
{
    contradiction *x = vctx;
    const sdc_grid_cell *total = NULL;
    double published = 0, room = 0;
    bool hidden = false;
    for (size_t i = 0; i < n; i++) {
        const sdc_grid_cell *gc = &g->cells[idx[i]];
        const sdc_cell *c = sdc_table_cell(x->t, gc->row, gc->col);
        if (gc->coord_total[d]) {
            if (!total)
                total = gc;
            continue;
        }
        if (c->kind == SDC_CELL_NUMBER) {
            published += c->number;
        } else if (c->kind == SDC_CELL_SUPPRESSED) {
            hidden = true;
            room = c->bound_hi >= 0 && isfinite(room) ? room + c->bound_hi : INFINITY;
        } else {
            return; /* a part is text: the audit does not use this total */
        }
    }
    if (!total || !hidden)
        return; /* all parts published: the totals rule says whether it adds up */
    const sdc_cell *tc = sdc_table_cell(x->t, total->row, total->col);
    if (tc->kind != SDC_CELL_NUMBER)
        return;
    double tol = 1e-9 * fabs(tc->number) +
                 (x->p->rounding_base > 0 ? 0.5 * (double)x->p->rounding_base * (double)n : 0);
    if (tc->number - published >= -tol && tc->number - published <= room + tol)
        return;
    if (sdc_audit_drop_add(&x->found, x->t, total->row, total->col, sdc_audit_along(x->f, d),
                           SDC_AUDIT_DROP_CONTRADICTS, -1, published) < 0) {
        x->oom = true;
        return;
    }
    x->mask[total->row * x->t->ncols + total->col] |= 1u << d;
}

/* Appends the list of FROM to OUT's (FROM is emptied). Returns 0, or -1. */
static int take_drops(sdc_audit *out, sdc_audit *from)
{
    size_t n = out->dropped + from->dropped;
    if (from->dropped && SDC_VEC_RESIZE(out->dropped_totals, sdc_vec_capacity(8, n)) < 0)
        return -1;
    if (from->dropped)
        memcpy(out->dropped_totals + out->dropped, from->dropped_totals,
               from->dropped * sizeof *from->dropped_totals);
    out->dropped = n;
    sdc_audit_free(from);
    sdc_audit_drops_sort(out);
    return 0;
}

int sdc_audit_table_consistent(const sdc_table *t, const sdc_policy *policy, double time_limit,
                               double protection, sdc_audit *out)
{
    if (sdc_audit_table(t, policy, time_limit, protection, out) < 0)
        return SDC_ENOMEM;
    if (!out->inconsistent)
        return 0;
    sdc_grid_frame f;
    sdc_grid_frame_init(t, &f);
    contradiction x = {.t = t, .p = policy, .f = &f};
    x.mask = calloc(t->nrows * t->ncols + 1, sizeof *x.mask);
    if (!x.mask)
        return SDC_ENOMEM;
    long m;
    for (size_t at = 0; !x.oom && sdc_grid_next_measure(t, &at, &m);) {
        sdc_grid g = {0};
        if (sdc_grid_build_in(&f, t, policy, m, &g) < 0 || sdc_grid_lines(&g, on_line, &x) < 0)
            x.oom = true;
        sdc_grid_free(&g);
    }
    int rc = 0;
    if (x.oom) {
        rc = SDC_ENOMEM;
    } else if (x.found.dropped > 0) {
        /* Some totals are to blame: the rest, audited again. */
        sdc_audit_free(out);
        if (sdc_audit_table_without(t, policy, time_limit, protection, x.mask, out) < 0 ||
            take_drops(out, &x.found) < 0) {
            out->inconsistent = true;
            rc = SDC_ENOMEM;
        }
    }
    sdc_audit_free(&x.found);
    free(x.mask);
    return rc;
}
