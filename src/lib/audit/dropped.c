/*
 * dropped.c - the list of totals the audit leaves out, and why
 * (sdc_audit_dropped).
 *
 * A total is an equation only when its line can be read as one: every cell
 * a number or suppressed, one total in the line, values the solver reads
 * exactly. audit.c lists the totals that fail that as it builds the
 * equations, contradict.c those that contradict their own line; both add
 * them here, and the list is kept in file order, as it is printed.
 */
#include <stdlib.h>

#include "audit/audit_internal.h"
#include "core/vec.h"

int sdc_audit_drop_add(sdc_audit *out, const sdc_table *t, size_t row, size_t col, long along,
                       sdc_audit_drop why, long other, double sum)
{
    /* The list's capacity is its count rounded up (sdc_vec_capacity from 8):
     * it grows when the count reaches it. */
    size_t have = out->dropped ? sdc_vec_capacity(8, out->dropped) : 0;
    size_t want = sdc_vec_capacity(8, out->dropped + 1);
    if (!want || (want > have && SDC_VEC_RESIZE(out->dropped_totals, want) < 0))
        return -1;
    sdc_audit_dropped *d = &out->dropped_totals[out->dropped++];
    *d = (sdc_audit_dropped){.row = row,
                             .col = col,
                             .line = t->row_line[row],
                             .along = along,
                             .why = why,
                             .sum = sum,
                             .other_line = -1};
    if (other >= 0) {
        d->other_row = (size_t)other / t->ncols;
        d->other_col = (size_t)other % t->ncols;
        d->other_line = t->row_line[d->other_row];
    }
    return 0;
}

long sdc_audit_along(const sdc_grid_frame *f, size_t d)
{
    size_t first = 0;
    for (size_t l = 0; l < f->nl; l++) {
        if (d < first + f->labels[l].levels)
            return (long)f->labels[l].col;
        first += f->labels[l].levels;
    }
    return -1;
}

static int cmp_dropped(const void *pa, const void *pb)
{
    const sdc_audit_dropped *a = pa, *b = pb;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    if (a->along != b->along)
        return a->along < b->along ? -1 : 1;
    return (a->why > b->why) - (a->why < b->why);
}

void sdc_audit_drops_sort(sdc_audit *out)
{
    if (out->dropped > 1)
        qsort(out->dropped_totals, out->dropped, sizeof *out->dropped_totals, cmp_dropped);
}
