/*
 * aggregate_margins.c - every margin of a table from its full cells.
 *
 * A margin replaces a subset of the dimensions by "Total": 2^k cells for
 * k dimensions, each the sum of the full cells that agree with it on the
 * rest. Deriving them once at the end, from the distinct full cells, makes
 * a record cost one hash lookup rather than 2^k. Counts, sums and the two
 * largest records simply add up; units do not: a unit in two full cells
 * of one margin cell counts once there, with its contributions summed. So
 * the units are taken one at a time, with their home cell and their pairs
 * (aggregate_hash.c) grouped by unit, or past the memory budget from the
 * runs on disk merged by unit (aggregate_spill.c), and each margin cell
 * they reach gets one unit and one contribution. Margins that a declared
 * hierarchy makes repeats of other cells are not built.
 *
 * Levels declared within one column (England: [North, South]) add choices
 * to that dimension: a full cell in North is also in England, and in the
 * total, so a dimension with levels takes its label, each ancestor's, or
 * the total (a mixed-radix margin number, 2^k again when no column has
 * levels). The subtotal is one more margin cell of the same column, built
 * like the others: a unit in North and in South counts once in England.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "read/aggregate_internal.h"
#include "sdccheck/spec.h"

typedef struct margin_ref {
    size_t cell;         /* a margin cell */
    const sdc_xsum *sum; /* the unit's contribution to one of its full cells in it */
} margin_ref;

/* Counts units into the margin cells one at a time: add a unit's
 * contribution to each of its full cells (unit_add), then count it
 * (unit_count). */
typedef struct unit_margins {
    sdc_agg_cellset *out;      /* the margin cells */
    const uint32_t *margin_of; /* full cell i's margin cells: NMASK from i * NMASK */
    size_t nmask;
    margin_ref *refs; /* the unit's margin cells so far */
    size_t nref, capref;
} unit_margins;

static int cmp_margin_ref(const void *x, const void *y)
{
    const margin_ref *a = x, *b = y;
    return (a->cell > b->cell) - (a->cell < b->cell);
}

/* Sorts one unit's references by margin cell (usually a few: 2^k per cell
 * the unit is in). */
static void sort_refs(margin_ref *refs, size_t n)
{
    if (n > 32) {
        qsort(refs, n, sizeof *refs, cmp_margin_ref);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        margin_ref r = refs[i];
        size_t k = i;
        for (; k > 0 && refs[k - 1].cell > r.cell; k--)
            refs[k] = refs[k - 1];
        refs[k] = r;
    }
}

/* A margin left out because a declared hierarchy makes it a repeat. */
#define NOT_BUILT UINT32_MAX

/* One dimension of a full cell in the margins: the labels it rolls up to,
 * its own first, then its declared ancestors (levels within the column),
 * bottom up; the total comes after them. */
typedef struct rollup {
    const char *text[SDC_AGG_MAX_LEVELS];
    size_t len[SDC_AGG_MAX_LEVELS];
    size_t n;
} rollup;

/* LABEL[0..LEN) of column B and its declared ancestors into R; false
 * when the label is too long to look up. */
static bool rollup_of(const sdc_aggregate_spec *sp, size_t b, const char *label, size_t len,
                      rollup *r)
{
    r->n = 1;
    r->text[0] = label;
    r->len[0] = len;
    if (!sp->levels || !sdc_table_spec_has_levels(sp->levels, sp->by[b]))
        return true;
    char own[SDC_AGG_KEY_MAX];
    if (len >= sizeof own)
        return false;
    memcpy(own, label, len);
    own[len] = '\0';
    for (const char *up = sdc_table_spec_parent_label(sp->levels, sp->by[b], own);
         up && r->n < SDC_AGG_MAX_LEVELS;
         up = sdc_table_spec_parent_label(sp->levels, sp->by[b], up)) {
        r->text[r->n] = up;
        r->len[r->n++] = strlen(up);
    }
    return true;
}

/* The labels each dimension of a margin may take: the full cell's own, each
 * declared level above it, and the total (always the last digit, so that a
 * margin's digits say the same of every cell). */
static size_t dimension_radix(const sdc_aggregate_spec *sp, size_t b)
{
    return (sp->levels ? sdc_table_spec_level_depth(sp->levels, sp->by[b]) : 1) + 1;
}

/* True when the margin DIGIT (one label choice per dimension, RADIX[b] the
 * total's digit + 1) rolls a declared parent column up while its child
 * stays: that margin repeats the child's cells (North is in England, so
 * "all countries, North" is "England, North"). */
static bool repeats_a_child(const sdc_aggregate_spec *sp, const size_t *digit, const size_t *radix)
{
    for (size_t b = 0; sp->parent && b < sp->nby; b++)
        if (sp->parent[b] >= 0 && digit[b] != radix[b] - 1 && digit[sp->parent[b]] != 0)
            return true;
    return false;
}

int sdc_agg_levels_check(const sdc_agg_job *j, const char *key, const uint16_t *part, char *why,
                         size_t why_size)
{
    const sdc_aggregate_spec *sp = j->spec;
    size_t longest = sp->nby - 1, from = 0;
    for (size_t b = 0; b < sp->nby; b++) {
        rollup r;
        if (!rollup_of(sp, b, key + from, part[b], &r))
            return 2;
        size_t most = j->total_len;
        for (size_t k = 0; k < r.n; k++)
            most = r.len[k] > most ? r.len[k] : most;
        longest += most;
        if (sp->levels && sdc_table_spec_has_levels(sp->levels, sp->by[b])) {
            char own[SDC_AGG_KEY_MAX];
            memcpy(own, key + from, part[b]);
            own[part[b]] = '\0';
            if (sdc_table_spec_label_has_children(sp->levels, sp->by[b], own)) {
                snprintf(why, why_size,
                         "%s '%s' is declared a subtotal of other labels (hierarchies): give "
                         "each record its lowest-level label",
                         sp->by[b], own);
                return 1;
            }
        }
        from += part[b] + 1u;
    }
    return longest > SDC_AGG_KEY_MAX - 1 ? 2 : 0;
}

/* Adds the unit's contribution SUM to full CELL (SUM is read when the unit
 * is counted: it must live until then). A unit may name a cell more than
 * once: its contributions there add up. -1 when out of memory. */
static int unit_add(unit_margins *m, size_t cell, const sdc_xsum *sum)
{
    if (SDC_VEC_RESERVE(m->refs, m->capref, m->nref + m->nmask) < 0)
        return -1;
    for (size_t k = 0; k < m->nmask; k++)
        if (m->margin_of[cell * m->nmask + k] != NOT_BUILT)
            m->refs[m->nref++] = (margin_ref){m->margin_of[cell * m->nmask + k], sum};
    return 0;
}

/* Counts the unit added since the last count once in each margin cell it
 * is in, with its contributions there summed. -1 when out of memory. */
static int unit_count(unit_margins *m)
{
    margin_ref *refs = m->refs;
    size_t nref = m->nref;
    int rc = 0;
    m->nref = 0;
    sort_refs(refs, nref);
    for (size_t r = 0; r < nref && rc == 0;) {
        size_t e = r + 1;
        while (e < nref && refs[e].cell == refs[r].cell)
            e++;
        double value;
        if (e - r == 1) {
            value = sdc_xsum_value(refs[r].sum);
        } else {
            sdc_xsum s = {0};
            for (size_t k = r; k < e && rc == 0; k++)
                rc = sdc_xsum_merge(&s, refs[k].sum);
            value = sdc_xsum_value(&s);
            sdc_xsum_free(&s);
        }
        sdc_agg_cell *c = &m->out->items[refs[r].cell];
        c->units++;
        sdc_agg_top2_add(&c->top, value);
        r = e;
    }
    return rc;
}

/* Counts each unit of W once in every margin cell it is in, with its
 * contributions to the cell's full cells summed. -1 when out of memory. */
static int units_into_margins(const sdc_agg_worker *w, unit_margins *m)
{
    const sdc_agg_pairset *ps = &w->pairs;
    size_t nunits = w->units.n;
    uint32_t *first = calloc(nunits + 1, sizeof *first);
    uint32_t *order = malloc((ps->n + 1) * sizeof *order);
    int rc = first && order ? 0 : -1;
    /* The pairs grouped by unit (a counting sort). */
    for (size_t i = 0; rc == 0 && i < ps->n; i++)
        first[ps->items[i].unit + 1]++;
    for (size_t u = 0; rc == 0 && u < nunits; u++)
        first[u + 1] += first[u];
    for (size_t i = 0; rc == 0 && i < ps->n; i++)
        order[first[ps->items[i].unit]++] = (uint32_t)i;
    /* first[u] is now the end of unit u's run, and the start of u + 1's. */
    for (size_t u = 0, at = 0; rc == 0 && u < nunits; u++) {
        const sdc_agg_unit *un = &w->units.items[u];
        rc = unit_add(m, un->home, &un->sum);
        for (; rc == 0 && at < first[u]; at++)
            rc = unit_add(m, ps->items[order[at]].cell, &ps->items[order[at]].sum);
        if (rc == 0)
            rc = unit_count(m);
    }
    free(first);
    free(order);
    return rc;
}

/* Counts each unit of J's runs on disk as units_into_margins counts those
 * in memory. -1 when out of memory or the runs cannot be read (J's spill
 * error says why). */
static int spilled_units_into_margins(const sdc_agg_job *j, unit_margins *m)
{
    sdc_agg_spill_reader *r = sdc_agg_spill_open(j);
    const sdc_agg_contribution *con;
    size_t n;
    int rc = r ? 1 : -1;
    while (rc > 0 && (rc = sdc_agg_spill_next(r, &con, &n)) > 0) {
        for (size_t k = 0; rc > 0 && k < n; k++)
            if (unit_add(m, con[k].cell, &con[k].sum) < 0)
                rc = -1;
        if (rc > 0 && unit_count(m) < 0)
            rc = -1;
    }
    sdc_agg_spill_close(r);
    return rc;
}

/* Margin cells waiting to be looked up in OUT, SDC_AGG_BATCH at a time
 * (their memory fetched together first, as records' cells are). */
typedef struct margin_batch {
    sdc_agg_cellset *out;
    struct sdc_arena *arena;
    const sdc_agg_worker *w;
    uint32_t *margin_of;
    size_t nmask;
    size_t n, used;
    struct {
        size_t cell, mask, off, len;
    } e[SDC_AGG_BATCH];
    uint32_t hash[SDC_AGG_BATCH];
    char keys[SDC_AGG_BATCH_KEYS];
} margin_batch;

/* Adds each waiting full cell to its margin cell, in the order they were
 * queued. -1 when out of memory. */
static int batch_flush(margin_batch *mb)
{
    static const uint16_t no_parts[SDC_AGG_MAX_BY];
    int rc = 0;
    sdc_agg_cell_prefetch(mb->out, mb->hash, mb->n);
    for (size_t i = 0; i < mb->n && rc == 0; i++) {
        size_t k = sdc_agg_cell_find(mb->out, mb->arena, mb->keys + mb->e[i].off, mb->e[i].len,
                                     no_parts, mb->hash[i]);
        if (k == SIZE_MAX)
            return -1;
        const sdc_agg_cell *c = &mb->w->cells.items[mb->e[i].cell];
        mb->margin_of[mb->e[i].cell * mb->nmask + mb->e[i].mask] = (uint32_t)k;
        sdc_agg_cell *t = &mb->out->items[k];
        t->records += c->records;
        sdc_agg_top2_merge(&t->top, &c->top);
        rc = sdc_xsum_merge(&t->sum, &c->sum);
    }
    mb->n = mb->used = 0;
    return rc;
}

int sdc_agg_margins_derive(const sdc_agg_worker *w, const sdc_agg_job *j, sdc_agg_cellset *out,
                           struct sdc_arena *arena)
{
    const sdc_aggregate_spec *sp = j->spec;
    size_t radix[SDC_AGG_MAX_BY], nmask = 1;
    for (size_t b = 0; b < sp->nby; b++) {
        radix[b] = dimension_radix(sp, b);
        nmask *= radix[b];
    }
    uint32_t *margin_of = malloc((w->cells.n * nmask + 1) * sizeof *margin_of);
    margin_batch *mb = malloc(sizeof *mb);
    if (!margin_of || !mb) {
        free(margin_of);
        free(mb);
        return -1;
    }
    *mb =
        (margin_batch){.out = out, .arena = arena, .w = w, .margin_of = margin_of, .nmask = nmask};
    int rc = 0;
    for (size_t i = 0; i < w->cells.n && rc == 0; i++) {
        const sdc_agg_cell *c = &w->cells.items[i];
        rollup up[SDC_AGG_MAX_BY];
        for (size_t b = 0, from = 0; b < sp->nby; b++) {
            rollup_of(sp, b, c->key + from, c->part[b], &up[b]);
            from += c->part[b] + 1u;
        }
        for (size_t mask = 0; mask < nmask && rc == 0; mask++) {
            size_t digit[SDC_AGG_MAX_BY], rest = mask;
            bool built = true;
            for (size_t b = 0; b < sp->nby; b++) {
                digit[b] = rest % radix[b];
                rest /= radix[b];
                /* a level this cell's label does not have */
                built &= digit[b] == radix[b] - 1 || digit[b] < up[b].n;
            }
            if (!built || repeats_a_child(sp, digit, radix)) {
                margin_of[i * nmask + mask] = NOT_BUILT;
                continue;
            }
            /* the batch keeps room for a key of any length (flushed below) */
            char *key = mb->keys + mb->used;
            size_t o = 0;
            for (size_t b = 0; b < sp->nby && rc == 0; b++) {
                bool total = digit[b] == radix[b] - 1;
                const char *text = total ? j->total : up[b].text[digit[b]];
                size_t len = total ? j->total_len : up[b].len[digit[b]];
                if (o + len + 1 >= SDC_AGG_KEY_MAX)
                    rc = -1; /* never: the records' labels were measured (body_row) */
                else {
                    if (b)
                        key[o++] = '\x1f';
                    memcpy(key + o, text, len);
                    o += len;
                }
            }
            if (rc < 0)
                break;
            mb->e[mb->n].cell = i;
            mb->e[mb->n].mask = mask;
            mb->e[mb->n].off = mb->used;
            mb->e[mb->n].len = o;
            mb->hash[mb->n++] = sdc_agg_hash(key, o, 0);
            mb->used += o;
            if (mb->n == SDC_AGG_BATCH || SDC_AGG_BATCH_KEYS - mb->used < SDC_AGG_KEY_MAX)
                rc = batch_flush(mb);
        }
    }
    if (rc == 0)
        rc = batch_flush(mb);
    free(mb);
    if (rc == 0 && sp->unit) {
        /* The units in memory, then those on disk (when they went there,
         * none are left in memory). */
        unit_margins m = {.out = out, .margin_of = margin_of, .nmask = nmask};
        rc = units_into_margins(w, &m);
        if (rc == 0 && j->spill && j->spill->on)
            rc = spilled_units_into_margins(j, &m);
        free(m.refs);
    }
    free(margin_of);
    return rc;
}
