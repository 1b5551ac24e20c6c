/*
 * linked_protect.c - linked tables protected together (--fix;
 * doc/design.md, "Linked tables").
 *
 * Suppressing each linked table alone is not enough: a cell hidden in one
 * may be published in another, or worked out from both. So each group of
 * linked views (audit/link.h) is protected as one: every table's own
 * primary suppressions first, then the group merged into one table, a cell
 * hidden if any table hides it, with the true values kept, and complements
 * chosen on it; whatever the group hides, each table that publishes the
 * cell hides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/link.h"
#include "protect/protect_internal.h"
#include "sdccheck/protect.h"

/* Seconds the optimal mode may spend on one group. */
#define LINK_TIME_LIMIT 30

/* Protects one group jointly: see sdc_protect_linked. */
static int protect_group(sdc_linked_table *tables, const sdc_policy *p,
                         const sdc_id_scanner *scanner, sdc_link_set *ls, const size_t *idx,
                         size_t n, sdc_suppress_mode mode, sdc_linked_fix *out)
{
    const char *marker = sdc_policy_marker(p);
    /* 1. Each table's own primary suppressions. */
    for (size_t i = 0; i < n; i++) {
        size_t file = ls->views[idx[i]].file;
        if (out[file].table)
            continue;
        out[file].table = tables[file].table;
        tables[file].table = NULL; /* handed over */
        out[file].result.primary = sdc_protect_primary(out[file].table, p, scanner);
    }
    /* 2. The group as one table, a cell hidden if any table hides it, with
     * the true values kept for the suppression to weigh. */
    char *u[SDC_GRID_MAX_DIMS] = {0};
    size_t nu, nf;
    sdc_link_fact *f = sdc_link_facts(ls->views, idx, n, u, &nu, &nf);
    size_t *row_first = f ? malloc((nf + 1) * sizeof *row_first) : NULL;
    const sdc_link_view *v0 = &ls->views[idx[0]];
    bool counts = v0->measure < 0 || v0->t->columns[v0->measure].role == SDC_COL_COUNT;
    sdc_table *m =
        row_first ? sdc_link_merge(ls->views, f, nf, u, nu, counts, p, row_first, true) : NULL;
    int rc = m ? 0 : -1;
    sdc_protect_result res = {0};
    if (rc == 0)
        rc = sdc_table_protect_mode(m, p, scanner, mode, LINK_TIME_LIMIT, &res);
    /* 3. What the group hides, each table hides. */
    for (size_t r = 0; rc == 0 && r < m->nrows; r++) {
        if (sdc_table_cell(m, r, nu)->kind != SDC_CELL_SUPPRESSED)
            continue;
        size_t first = row_first[r];
        for (size_t k = first; k < nf && strcmp(f[k].key, f[first].key) == 0; k++) {
            const sdc_link_view *v = &ls->views[f[k].view];
            const sdc_grid_cell *gc = &v->g.cells[f[k].cell];
            sdc_table *t = out[v->file].table;
            if (sdc_table_cell(t, gc->row, gc->col)->kind == SDC_CELL_NUMBER &&
                sdc_protect_suppress(t, gc->row, gc->col, marker))
                out[v->file].result.secondary++;
        }
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        sdc_linked_fix *o = &out[ls->views[idx[i]].file];
        o->result.protected_ok = res.protected_ok;
        o->result.optimal = res.optimal;
        o->result.fell_back = res.fell_back;
        snprintf(o->result.note, sizeof o->result.note, "%s", res.note);
        o->linked = true;
    }
    sdc_table_free(m);
    free(row_first);
    if (f)
        sdc_link_facts_free(f, nf);
    return rc;
}

typedef struct protect_ctx {
    sdc_linked_table *tables;
    const sdc_policy *p;
    const sdc_id_scanner *scanner;
    sdc_suppress_mode mode;
    sdc_linked_fix *out;
} protect_ctx;

static int protect_each(void *ctx, sdc_link_set *ls, const size_t *idx, size_t n)
{
    protect_ctx *x = ctx;
    return protect_group(x->tables, x->p, x->scanner, ls, idx, n, x->mode, x->out);
}

int sdc_protect_linked(sdc_linked_table *tables, size_t count, const sdc_policy *p,
                       const sdc_id_scanner *scanner, sdc_suppress_mode mode, sdc_linked_fix *out)
{
    memset(out, 0, count * sizeof *out);
    protect_ctx x = {tables, p, scanner, mode, out};
    int rc = sdc_link_each_group(tables, count, p, protect_each, &x, NULL);
    if (rc < 0)
        for (size_t i = 0; i < count; i++)
            if (out[i].table) {
                tables[i].table = out[i].table; /* given back, for the caller to free */
                memset(&out[i], 0, sizeof out[i]);
            }
    return rc;
}
