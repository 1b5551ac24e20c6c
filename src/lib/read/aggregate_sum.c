/*
 * aggregate_sum.c - order-independent exact sums (see aggregate_sum.h).
 *
 * The partials are non-overlapping and increasing in magnitude; adding a
 * value runs it through them with error-free additions (two-sum), keeping
 * every non-zero rounding error as a partial. Reading rounds the partials
 * from the top with the half-even correction of Python's math.fsum. Only a
 * running sum beyond +-1.8e308 is not exact (it becomes infinite).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "read/aggregate_sum.h"

static double *parts_of(sdc_xsum *s)
{
    return s->cap > 2 ? s->heap : s->inline_parts;
}

int sdc_xsum_add(sdc_xsum *s, double v)
{
    if (s->n == (s->cap > 2 ? s->cap : 2)) {
        uint32_t cap = s->n * 2;
        double *heap = malloc(cap * sizeof *heap);
        if (!heap)
            return -1;
        memcpy(heap, parts_of(s), s->n * sizeof *heap);
        if (s->cap > 2)
            free(s->heap);
        s->heap = heap;
        s->cap = cap;
    }
    double *p = parts_of(s);
    uint32_t i = 0;
    for (uint32_t j = 0; j < s->n; j++) {
        double y = p[j];
        if (fabs(v) < fabs(y)) {
            double t = v;
            v = y;
            y = t;
        }
        double hi = v + y;
        double lo = y - (hi - v);
        if (lo != 0.0)
            p[i++] = lo;
        v = hi;
    }
    s->n = i;
    if (!isfinite(v))
        s->overflow += v;
    else if (v != 0.0)
        p[s->n++] = v;
    return 0;
}

int sdc_xsum_merge(sdc_xsum *into, const sdc_xsum *from)
{
    const double *p = from->cap > 2 ? from->heap : from->inline_parts;
    for (uint32_t j = 0; j < from->n; j++)
        if (sdc_xsum_add(into, p[j]) < 0)
            return -1;
    into->overflow += from->overflow;
    return 0;
}

double sdc_xsum_value(const sdc_xsum *s)
{
    if (s->overflow != 0.0 || isnan(s->overflow))
        return s->overflow;
    const double *p = s->cap > 2 ? s->heap : s->inline_parts;
    uint32_t n = s->n;
    double hi = 0.0, lo = 0.0;
    if (n == 0)
        return 0.0;
    hi = p[--n];
    while (n > 0) {
        double x = hi, y = p[--n];
        hi = x + y;
        lo = y - (hi - x);
        if (lo != 0.0)
            break;
    }
    /* Round half to even across the partials below: when the rest has the
     * sign of LO, the exact sum is past the midpoint. */
    if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
        double y = lo * 2.0, x = hi + y;
        if (y == x - hi)
            hi = x;
    }
    return hi;
}

void sdc_xsum_free(sdc_xsum *s)
{
    if (s->cap > 2)
        free(s->heap);
    s->heap = NULL;
    s->n = 0;
    s->cap = 2;
    s->overflow = 0;
}
