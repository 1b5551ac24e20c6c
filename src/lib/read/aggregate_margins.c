/*
 * aggregate_margins.c - every margin of a table from its full cells.
 *
 * A margin replaces a subset of the dimensions by "Total": 2^k cells for
 * k dimensions, each the sum of the full cells that agree with it on the
 * rest. Deriving them once at the end, from the distinct full cells, makes
 * a record cost one hash lookup rather than 2^k; each margin is summed from
 * a finer one (sdc_agg_margins_derive). Counts, sums and the two largest
 * records simply add up; units do not: a unit in two full cells
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

#include "core/arena.h"
#include "core/threads.h"
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

/* Cells of one margin waiting to be looked up in OUT, SDC_AGG_BATCH at a
 * time (their memory fetched together first, as records' cells are), each
 * adding one cell of FROM (the full cells, or OUT's cells of a finer
 * margin) into it. */
typedef struct margin_batch {
    sdc_agg_cellset *out;
    struct sdc_arena *arena;
    const sdc_agg_cellset *from;
    /* TO[i - FIRST]: the margin cell FROM's cell i went to (units only) */
    uint32_t *to;
    size_t first;
    /* the margin's number, in the parts a margin cell does not use: two
     * margins' cells are never merged while the margins are derived */
    uint16_t tag[SDC_AGG_MAX_BY];
    size_t n, used;
    struct {
        size_t cell, off, len;
    } e[SDC_AGG_BATCH];
    uint32_t hash[SDC_AGG_BATCH];
    char keys[SDC_AGG_BATCH_KEYS];
} margin_batch;

/* Adds each waiting cell to its margin cell, in the order they were
 * queued. -1 when out of memory. */
static int batch_flush(margin_batch *mb)
{
    int rc = 0;
    sdc_agg_cell_prefetch(mb->out, mb->hash, mb->n);
    for (size_t i = 0; i < mb->n && rc == 0; i++) {
        size_t k = sdc_agg_cell_find(mb->out, mb->arena, mb->keys + mb->e[i].off, mb->e[i].len,
                                     mb->tag, mb->hash[i]);
        if (k == SIZE_MAX)
            return -1;
        /* read after the find: OUT's cells may have moved */
        const sdc_agg_cell *c = &mb->from->items[mb->e[i].cell];
        if (mb->to)
            mb->to[mb->e[i].cell - mb->first] = (uint32_t)k;
        sdc_agg_cell *t = &mb->out->items[k];
        t->records += c->records;
        sdc_agg_top2_merge(&t->top, &c->top);
        rc = sdc_xsum_merge(&t->sum, &c->sum);
    }
    mb->n = mb->used = 0;
    return rc;
}

/* A margin: one label choice per dimension (its own label, the ancestor
 * DIGIT[b] levels up, or the total at RADIX[b] - 1). */
typedef struct margin_shape {
    const sdc_agg_job *j;
    const size_t *radix;
    size_t digit[SDC_AGG_MAX_BY];
} margin_shape;

static void digits_of(size_t mask, const size_t *radix, size_t n, size_t *digit)
{
    for (size_t b = 0; b < n; b++) {
        digit[b] = mask % radix[b];
        mask /= radix[b];
    }
}

/* Queues cell I of the batch's FROM, whose key KEY (KLEN bytes) has the
 * labels of margin FINE (the full cells: all 0), for the margin cell of
 * TO it rolls up to: each label TO changes becomes the total, or its
 * ancestor as many levels further up. Returns 0 (also when the cell has
 * no place in TO: a label without an ancestor that far up, whose full
 * cells have none either), or -1 when out of memory or when the key
 * would be too long (never: the records' labels and their ancestors were
 * measured, sdc_agg_levels_check; a cell is never left out unsaid). */
static int queue_rolled(margin_batch *mb, size_t i, const char *key, size_t klen,
                        const margin_shape *fine, const margin_shape *to)
{
    const sdc_aggregate_spec *sp = to->j->spec;
    char *out = mb->keys + mb->used;
    size_t o = 0, from = 0;
    for (size_t b = 0; b < sp->nby; b++) {
        size_t len = sdc_agg_label_len(key, klen, from);
        const char *text = key + from;
        from += len + 1;
        size_t d = to->digit[b], f = fine->digit[b];
        if (d == to->radix[b] - 1) {
            text = to->j->total;
            len = to->j->total_len;
        } else if (d != f) {
            /* the label's ancestor d - f levels up (the label is level f) */
            rollup up;
            if (!rollup_of(sp, b, text, len, &up))
                return -1;
            if (d - f >= up.n)
                return 0;
            text = up.text[d - f];
            len = up.len[d - f];
        }
        if (o + len + 1 >= SDC_AGG_KEY_MAX)
            return -1;
        if (b)
            out[o++] = '\x1f';
        memcpy(out + o, text, len);
        o += len;
    }
    mb->e[mb->n].cell = i;
    mb->e[mb->n].off = mb->used;
    mb->e[mb->n].len = o;
    mb->hash[mb->n++] = sdc_agg_hash(out, o, 0);
    mb->used += o;
    if (mb->n == SDC_AGG_BATCH || SDC_AGG_BATCH_KEYS - mb->used < SDC_AGG_KEY_MAX)
        return batch_flush(mb);
    return 0;
}

/* Where each margin's cells are in OUT: [first, end), or built false. */
typedef struct margin_span {
    size_t first, end;
    bool built;
} margin_span;

/* The finer margin that margin TO is summed from: of those with one label
 * choice one step finer (the ancestor one level down, or, for a total,
 * the own label), built, the one of fewest cells; the full cells when
 * there is none. */
static size_t finer_margin(const margin_shape *to, const size_t *weight, size_t mask,
                           const margin_span *span, size_t nby)
{
    size_t best = 0, best_n = SIZE_MAX;
    for (size_t b = 0; b < nby; b++) {
        size_t d = to->digit[b];
        if (d == 0)
            continue;
        /* a total from the own labels: a level down may leave labels out */
        size_t down = d == to->radix[b] - 1 ? d : 1;
        size_t m = mask - down * weight[b];
        if (span[m].built && span[m].end - span[m].first < best_n) {
            best = m;
            best_n = span[m].end - span[m].first;
        }
    }
    return best;
}

/* When a margin cell's key can be another margin's (a label at two depths
 * of a declared hierarchy; a category named as the total where the policy
 * lists no total labels), the cells of one key become one, as if derived
 * from the full cells into one set: their counts, sums and largest values
 * added. MARGIN_OF (NULL without units, else NOF entries) is renumbered. -1
 * when out of memory. */
static int merge_same_keys(sdc_agg_cellset *out, struct sdc_arena *arena, uint32_t *margin_of,
                           size_t nof)
{
    static const uint16_t no_parts[SDC_AGG_MAX_BY];
    sdc_agg_cellset one = {0};
    uint32_t *to = malloc((out->n + 1) * sizeof *to);
    int rc = to ? 0 : -1;
    for (size_t i = 0; i < out->n && rc == 0; i++) {
        sdc_agg_cell *c = &out->items[i];
        size_t known = one.n;
        size_t k = sdc_agg_cell_find(&one, arena, c->key, c->klen, no_parts, c->hash);
        if (k == SIZE_MAX) {
            rc = -1;
            break;
        }
        sdc_agg_cell *t = &one.items[k];
        to[i] = (uint32_t)k;
        if (one.n > known) { /* the first of its key: moved */
            t->records = c->records;
            t->top = c->top;
            t->sum = c->sum;
            memset(&c->sum, 0, sizeof c->sum);
            continue;
        }
        t->records += c->records;
        sdc_agg_top2_merge(&t->top, &c->top);
        rc = sdc_xsum_merge(&t->sum, &c->sum);
    }
    for (size_t i = 0; margin_of && rc == 0 && i < nof; i++)
        if (margin_of[i] != NOT_BUILT)
            margin_of[i] = to[margin_of[i]];
    free(to);
    sdc_agg_cellset_free(rc == 0 ? out : &one);
    if (rc == 0)
        *out = one;
    return rc;
}

/* One margin being derived (derive_one): from the finer margin P's cells
 * into a set of its own, with an arena of its own, so that the margins of
 * one wave are derived on threads apart. */
typedef struct margin_job {
    size_t m, p;
    size_t first, end;     /* P's cells in OUT (the full cells when M is 0) */
    sdc_agg_cellset cells; /* M's */
    struct sdc_arena *arena;
    uint32_t *to; /* units: the cell of M each of P's goes to (its index in CELLS) */
    int rc;
} margin_job;

/* One wave of margins (each one label choice coarser than the wave
 * before): their jobs, largest source first, taken by the threads. */
typedef struct margin_wave {
    const sdc_agg_worker *w;
    const sdc_agg_job *j;
    const sdc_agg_cellset *out; /* the waves before's cells: read only here */
    const size_t *radix;
    bool units;
    margin_job *jobs;
    size_t *order; /* the jobs, largest source first */
    size_t njobs, next;
} margin_wave;

/* Derives job X of wave V (see margin_job). */
static void derive_one(const margin_wave *v, margin_job *x)
{
    const sdc_agg_job *j = v->j;
    margin_shape fine = {.j = j, .radix = v->radix}, shape = fine;
    digits_of(x->m, v->radix, j->spec->nby, shape.digit);
    digits_of(x->p, v->radix, j->spec->nby, fine.digit);
    const sdc_agg_cellset *from = x->m ? v->out : &v->w->cells;
    margin_batch *mb = malloc(sizeof *mb);
    x->arena = sdc_arena_new();
    x->to = v->units ? malloc((x->end - x->first + 1) * sizeof *x->to) : NULL;
    x->rc = mb && x->arena && (!v->units || x->to) ? 0 : -1;
    if (x->rc == 0) {
        *mb = (margin_batch){
            .out = &x->cells, .arena = x->arena, .from = from, .to = x->to, .first = x->first};
        for (size_t k = 0; k < 4; k++)
            mb->tag[k] = (uint16_t)((uint64_t)x->m >> (16 * k));
    }
    for (size_t i = x->first; i < x->end && x->to && x->rc == 0; i++)
        x->to[i - x->first] = NOT_BUILT;
    for (size_t i = x->first; i < x->end && x->rc == 0; i++)
        x->rc = queue_rolled(mb, i, from->items[i].key, from->items[i].klen, &fine, &shape);
    if (x->rc == 0)
        x->rc = batch_flush(mb);
    free(mb);
}

static void *derive_worker(void *arg)
{
    margin_wave *v = arg;
    for (size_t at; sdc_threads_take(&v->next, v->njobs, &at);)
        derive_one(v, &v->jobs[v->order[at]]);
    return NULL;
}

static int by_source_down(const void *a, const void *b, void *ctx)
{
    const margin_job *jobs = ctx;
    const margin_job *x = &jobs[*(const size_t *)a], *y = &jobs[*(const size_t *)b];
    size_t nx = x->end - x->first, ny = y->end - y->first;
    if (nx != ny)
        return nx < ny ? 1 : -1;
    return (x->m > y->m) - (x->m < y->m);
}

/* Appends job X's cells to OUT (their sums move with them) and its keys'
 * arena to ARENA; with units, each full cell's cell of X's margin into
 * MARGIN_OF (NMASK a cell). Frees what X held. -1 when out of memory. */
static int append_margin(margin_job *x, sdc_agg_cellset *out, struct sdc_arena *arena,
                         uint32_t *margin_of, size_t ncells, size_t nmask)
{
    size_t base = out->n;
    int rc = x->rc;
    if (rc == 0 && SDC_VEC_RESERVE(out->items, out->cap, out->n + x->cells.n) < 0)
        rc = -1;
    if (rc == 0) {
        memcpy(out->items + out->n, x->cells.items, x->cells.n * sizeof *out->items);
        out->n += x->cells.n;
        x->cells.n = 0; /* the sums are OUT's now */
    }
    /* each full cell's cell here: where its cell in P went */
    for (size_t i = 0; margin_of && rc == 0 && i < ncells; i++) {
        uint32_t at = x->m ? margin_of[i * nmask + x->p] : (uint32_t)i;
        uint32_t to = at == NOT_BUILT ? NOT_BUILT : x->to[at - x->first];
        margin_of[i * nmask + x->m] = to == NOT_BUILT ? NOT_BUILT : (uint32_t)(base + to);
    }
    sdc_agg_cellset_free(&x->cells);
    if (x->arena)
        sdc_arena_adopt(arena, x->arena);
    x->arena = NULL;
    free(x->to);
    x->to = NULL;
    return rc;
}

/*
 * The margins are summed each from a finer one (the smallest that is one
 * label choice finer), not each from the full cells: on bench/suppress.sh's
 * 5-D table (489,600 full cells, 48 margins, 991,116 cells in all) 3.3 million
 * cells are added up (the full cells among them) instead of 23.5 million. Counts, exact sums
 * and the two largest values add up the same way in any grouping; units do
 * not, so each full cell's margin cells are followed along (MARGIN_OF) and
 * its units counted from there.
 *
 * They are derived in waves, a wave's margins one label choice coarser in
 * all than the wave before's (so every margin's finer one is in an earlier
 * wave), each margin of a wave on a core of its own into a set of its own,
 * the sets then appended to OUT in margin order: the same cells, each
 * summed in the same order, as one margin after another (the table sorts
 * them by key). On the 5-D bench table 0.28 s instead of 0.43 to 0.68.
 */
int sdc_agg_margins_derive(const sdc_agg_worker *w, const sdc_agg_job *j, sdc_agg_cellset *out,
                           struct sdc_arena *arena)
{
    const sdc_aggregate_spec *sp = j->spec;
    size_t radix[SDC_AGG_MAX_BY], weight[SDC_AGG_MAX_BY], nmask = 1, waves = 1;
    bool repeats = !sdc_strlist_contains(j->total_labels, j->total);
    for (size_t b = 0; b < sp->nby; b++) {
        radix[b] = dimension_radix(sp, b);
        weight[b] = nmask;
        nmask *= radix[b];
        waves += radix[b] - 1;
        repeats |= radix[b] > 2; /* levels */
    }
    size_t ncells = w->cells.n;
    uint32_t *margin_of = sp->unit ? malloc((ncells * nmask + 1) * sizeof *margin_of) : NULL;
    margin_span *span = calloc(nmask, sizeof *span);
    margin_job *jobs = calloc(nmask, sizeof *jobs);
    size_t *order = malloc(nmask * sizeof *order);
    int rc = span && jobs && order && (!sp->unit || margin_of) ? 0 : -1;
    margin_shape shape = {.j = j, .radix = radix};
    for (size_t level = 0; level < waves && rc == 0; level++) {
        margin_wave v = {.w = w,
                         .j = j,
                         .out = out,
                         .radix = radix,
                         .units = sp->unit != NULL,
                         .jobs = jobs,
                         .order = order};
        for (size_t m = 0; m < nmask; m++) {
            digits_of(m, radix, sp->nby, shape.digit);
            size_t sum = 0;
            for (size_t b = 0; b < sp->nby; b++)
                sum += shape.digit[b];
            if (sum != level || repeats_a_child(sp, shape.digit, radix))
                continue;
            span[m].built = true;
            size_t p = m ? finer_margin(&shape, weight, m, span, sp->nby) : 0;
            order[v.njobs] = v.njobs;
            jobs[v.njobs++] = (margin_job){
                .m = m, .p = p, .first = m ? span[p].first : 0, .end = m ? span[p].end : ncells};
        }
        qsort_r(order, v.njobs, sizeof *order, by_source_down, jobs);
        unsigned cores = sdc_threads_cores();
        sdc_run_threads(v.njobs < cores ? (unsigned)v.njobs : cores, derive_worker, &v);
        /* in margin order (JOBS is), every job's memory given back */
        for (size_t x = 0; x < v.njobs; x++) {
            span[jobs[x].m].first = out->n;
            int r = append_margin(&jobs[x], out, arena, rc == 0 ? margin_of : NULL, ncells, nmask);
            rc = r < 0 ? -1 : rc;
            span[jobs[x].m].end = out->n;
        }
    }
    for (size_t m = 0; margin_of && rc == 0 && m < nmask; m++)
        for (size_t i = 0; !span[m].built && i < ncells; i++)
            margin_of[i * nmask + m] = NOT_BUILT;
    free(jobs);
    free(order);
    free(span);
    for (size_t i = 0; rc == 0 && i < out->n; i++)
        memset(out->items[i].part, 0, sizeof out->items[i].part);
    if (rc == 0 && repeats)
        rc = merge_same_keys(out, arena, margin_of, ncells * nmask);
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
