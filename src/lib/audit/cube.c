/*
 * cube.c - hypercubes of cells (see cube.h).
 *
 * A depth-first search over the dimensions whose line through the cell
 * has a total: each level picks the partner coordinate along one
 * dimension, which doubles the corners; a partial cube is dropped as soon
 * as a corner is missing or unusable, a line through a corner would be
 * unbalanced, the range of d falls below what is wanted, or (when the
 * cheapest cube is wanted) it already costs more than the best found.
 * Candidates per dimension are capped, hidden cells first, so that the
 * search stays bounded on lines of a thousand cells.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audit/cube.h"
#include "audit/cube_lines.h"

/* New corners whose index slots are asked for ahead of the one read:
 * on the 5-D bench table's default mode the first round's searches took
 * 11.1 to 11.4 s with 2, 11.9 to 12.0 with 3 or 4, 12.9 with 8, 13.1
 * with 1 and 13.3 to 13.9 with every corner of the level at once. */
#define PREFETCH_AHEAD 2

typedef struct cand {
    uint32_t cell;
    int rank; /* 0 hidden, 1 published and large enough, 2 published and small */
    double value;
    uint32_t score; /* with line_hidden: hidden parts on its other cube lines */
} cand;

typedef struct dfs {
    const sdc_cube_search *s;
    size_t nd;
    size_t dim[SDC_CUBE_MAX_DIMS];
    bool in_cube[SDC_GRID_MAX_DIMS];
    signed char pair_sign[SDC_CUBE_MAX_DIMS];
    int total_side[SDC_CUBE_MAX_DIMS]; /* -1 both parts; 0 the cell's side; 1 the partner's */
    cand *cands[SDC_CUBE_MAX_DIMS];
    size_t ncand[SDC_CUBE_MAX_DIMS];
    sdc_cube cur;
    uint64_t key[SDC_CUBE_MAX_CORNERS]; /* packed index: each corner's tuple */
    size_t nodes;
    long found;
    bool have_best, stop;
    size_t best_cost;
    double best_value;
    size_t best_wanted;
} dfs;

static bool better(const cand *a, const cand *b)
{
    if (a->rank != b->rank)
        return a->rank < b->rank;
    return a->rank == 1 ? a->value < b->value : a->value > b->value;
}

/* Keeps K among the best S->per_dim in OUT (KEPT of them so far). */
static size_t keep(const sdc_cube_search *s, const cand *k, cand *out, size_t kept)
{
    if (kept == s->per_dim && !better(k, &out[kept - 1]))
        return kept;
    size_t at = kept < s->per_dim ? kept++ : kept - 1;
    while (at > 0 && better(k, &out[at - 1])) {
        out[at] = out[at - 1];
        at--;
    }
    out[at] = *k;
    return kept;
}

static cand cand_of(const sdc_cube_search *s, uint32_t c)
{
    cand k = {.cell = c, .value = s->value[c]};
    k.rank = s->state[c] == SDC_CUBE_HIDDEN ? 0 : s->value[c] >= s->min_range ? 1 : 2;
    return k;
}

/* A walk over one line's slots of one set (cube_lines.h) for candidates. */
typedef struct line_walk {
    const sdc_cube_search *s;
    size_t i;    /* the cell the partners are for */
    size_t a, e; /* the line's slots */
    cand *out;
    size_t kept, seen; /* candidates kept, slots looked at */
} line_walk;

/* Keeps up to per_dim + 1 parts of SET (one may be the cell itself) from
 * slot FROM upwards (UP), or from below it downwards. */
static void walk_line(line_walk *w, int set, size_t from, bool up)
{
    const sdc_cube_search *s = w->s;
    const sdc_cube_lines *x = s->lines;
    unsigned char want = set == SDC_LINES_HIDDEN ? SDC_CUBE_HIDDEN : SDC_CUBE_PUBLISHED;
    size_t taken = 0, q = from;
    while (taken <= s->per_dim) {
        if (up) {
            q = q < w->e ? sdc_cube_lines_next(x, set, q, w->e) : w->e;
            if (q >= w->e)
                break;
        } else {
            q = q > w->a ? sdc_cube_lines_prev(x, set, q - 1, w->a) : SIZE_MAX;
            if (q == SIZE_MAX)
                break;
        }
        w->seen++;
        uint32_t c = x->cell[q];
        if (up)
            q++;
        if (c == w->i || s->state[c] != want)
            continue;
        cand k = cand_of(s, c);
        w->kept = keep(s, &k, w->out, w->kept);
        taken++;
    }
}

/* As candidates, from the index of each line's parts by value: the total,
 * the largest hidden parts, the smallest published ones of at least
 * min_range, the largest below it; per_dim + 1 of each at most (one may be
 * the cell itself), so the work does not grow with the line. */
static size_t candidates_indexed(const sdc_cube_search *s, size_t i, size_t d, bool cell_is_total,
                                 int64_t total, cand *out)
{
    const sdc_cube_lines *x = s->lines;
    uint32_t l = sdc_cellkey_line(s->k, i, d);
    line_walk w = {.s = s, .i = i, .a = x->start[l], .e = x->end[l], .out = out};
    if (!cell_is_total && total >= 0 && s->state[total] != SDC_CUBE_NO) {
        w.seen++;
        cand k = cand_of(s, (uint32_t)total);
        w.kept = keep(s, &k, out, w.kept);
    }
    walk_line(&w, SDC_LINES_HIDDEN, w.e, false);
    if (!s->hidden_only) {
        size_t lb = sdc_cube_lines_lower(x, l, s->min_range);
        walk_line(&w, SDC_LINES_PUBLISHED, lb, true);
        walk_line(&w, SDC_LINES_PUBLISHED, lb, false);
    }
    if (s->examined)
        *s->examined += w.seen;
    return w.kept;
}

/* The best S->per_dim partners of cell I along D into OUT; returns the count. */
static size_t candidates(const sdc_cube_search *s, size_t i, size_t d, bool cell_is_total,
                         int64_t total, cand *out)
{
    size_t n, kept = 0;
    const uint32_t *m = sdc_cellkey_members(s->k, sdc_cellkey_line(s->k, i, d), &n);
    if (s->examined)
        *s->examined += n;
    for (size_t x = 0; x < n; x++) {
        uint32_t c = m[x];
        if (c == i || s->state[c] == SDC_CUBE_NO)
            continue;
        bool is_total = s->g->cells[c].coord_total[d];
        if (is_total && (cell_is_total || (int64_t)c != total))
            continue;
        cand k = cand_of(s, c);
        kept = keep(s, &k, out, kept);
    }
    return kept;
}

/* Do the lines through the new corners (bit J set) balance? */
static bool balanced(const dfs *f, size_t j)
{
    const sdc_cellkey *k = f->s->k;
    size_t half = (size_t)1 << j;
    for (size_t b = half; b < 2 * half; b++) {
        uint32_t c = f->cur.corner[b];
        for (size_t e = 0; e < k->dims; e++)
            if (!f->in_cube[e] && k->line_total[sdc_cellkey_line(k, c, e)] >= 0)
                return false;
        for (size_t l = 0; l <= j; l++) {
            if (f->total_side[l] < 0)
                continue;
            size_t t = (b & ~((size_t)1 << l)) | ((size_t)f->total_side[l] << l);
            if (k->line_total[sdc_cellkey_line(k, c, f->dim[l])] != (int64_t)f->cur.corner[t])
                return false;
        }
    }
    return true;
}

/* Narrows the range [*LO, *HI] of d to what keeps a corner of sign SG,
 * holding VAL, within 0 and its bound UP. */
static void corner_range(signed char sg, double val, double up, double *lo, double *hi)
{
    /* Compared by hand: fmax and fmin are calls into libm at -O2, and
     * this runs for every corner tried (a NaN bound is never set, as
     * fmax and fmin do not set it either). */
    double a = sg > 0 ? -val : val - up, b = sg > 0 ? up - val : val;
    if (a > *lo)
        *lo = a;
    if (b < *hi)
        *hi = b;
}

/* Does cube C (its first N corners) hold S->min_range at S->also? */
static bool wide_at(const sdc_cube_search *s, const sdc_cube *c, size_t n)
{
    double lo = -INFINITY, hi = INFINITY;
    for (size_t i = 0; i < n; i++)
        corner_range(c->sign[i], s->also[c->corner[i]],
                     s->upper ? s->upper[c->corner[i]] : INFINITY, &lo, &hi);
    return hi - lo >= s->min_range - 1e-9;
}

/* Is a cube of COST published corners holding COST_VALUE, WANTED of them
 * marked, better than the cheapest found so far? */
static bool beats_best(const dfs *f, size_t cost, double cost_value, size_t wanted)
{
    if (cost != f->best_cost)
        return cost < f->best_cost;
    if (wanted != f->best_wanted)
        return wanted > f->best_wanted;
    return cost_value < f->best_value;
}

/* A partial cube's range of d, published corners and their value, and
 * marked corners, as its corners are added. */
typedef struct corner_sum {
    double lo, hi, value;
    size_t cost, wanted;
} corner_sum;

/* Adds grid cell NC as new corner HALF + B of level J; false when the
 * partial cube is to be dropped: the corner unusable, the range of d
 * below what is wanted, or (cheapest wanted) the cube no longer able to
 * beat the best. */
static bool add_corner(dfs *f, size_t j, size_t b, uint32_t nc, corner_sum *u)
{
    const sdc_cube_search *s = f->s;
    if (s->state[nc] == SDC_CUBE_NO)
        return false;
    size_t half = (size_t)1 << j;
    signed char sg = (signed char)(f->cur.sign[b] * f->pair_sign[j]);
    f->cur.corner[b + half] = nc;
    f->cur.sign[b + half] = sg;
    double val = s->value[nc];
    corner_range(sg, val, s->upper ? s->upper[nc] : INFINITY, &u->lo, &u->hi);
    if (s->state[nc] == SDC_CUBE_PUBLISHED) {
        u->cost++;
        u->value += val;
    }
    u->wanted += s->want && s->want[nc];
    if (u->hi - u->lo < s->min_range - 1e-9)
        return false;
    /* Cost and value only grow as corners are added, so a partial cube
     * no cheaper than the best is dropped; with WANT one as costly goes
     * on while the corners still to come could mark it ahead of the
     * best. */
    if (s->cheapest && f->have_best)
        return beats_best(f, u->cost, u->value,
                          u->wanted + (s->want ? ((size_t)1 << f->nd) - (half + b + 1) : 0));
    return true;
}

static void search(dfs *f, size_t j, double dlo, double dhi, size_t cost, double cost_value,
                   size_t wanted)
{
    const sdc_cube_search *s = f->s;
    if (j == f->nd) {
        if (s->also && !wide_at(s, &f->cur, (size_t)1 << f->nd))
            return;
        f->cur.ncorners = (size_t)1 << f->nd;
        f->cur.dlo = dlo;
        f->cur.dhi = dhi;
        f->cur.cost = cost;
        f->cur.cost_value = cost_value;
        f->cur.wanted = wanted;
        if (s->cheapest && f->have_best && !beats_best(f, cost, cost_value, wanted))
            return; /* only WANT lets a cube this costly get here */
        f->found++;
        if (s->cheapest) {
            f->have_best = true;
            f->best_cost = cost;
            f->best_value = cost_value;
            f->best_wanted = wanted;
        }
        if (s->fn(s->ctx, &f->cur))
            f->stop = true;
        return;
    }
    size_t half = (size_t)1 << j, d = f->dim[j];
    for (size_t x = 0; x < f->ncand[j] && !f->stop; x++) {
        if (++f->nodes > s->max_nodes) {
            f->stop = true;
            return;
        }
        const cand *pk = &f->cands[j][x];
        if (s->cheapest && f->have_best && pk->rank > 0 && cost + 1 > f->best_cost) {
            /* The candidates are ranked hidden ones first, so this one
             * and every one after it is published: each makes the cube
             * dearer than the best at its first corner (itself) and
             * would be dropped there. They count as tried, as they did
             * when each was, so the search stops where it stopped. */
            size_t rest = f->ncand[j] - x - 1;
            if (f->nodes + rest > s->max_nodes)
                f->stop = true;
            f->nodes += rest;
            break;
        }
        uint32_t pc = pk->cell;
        uint32_t partner = s->k->id[(size_t)pc * s->k->dims + d];
        /* Between two parts the sign flips; a part and its total move together. */
        if (s->g->cells[f->cur.corner[0]].coord_total[d]) {
            f->pair_sign[j] = 1;
            f->total_side[j] = 0;
        } else if (s->g->cells[pc].coord_total[d]) {
            f->pair_sign[j] = 1;
            f->total_side[j] = 1;
        } else {
            f->pair_sign[j] = -1;
            f->total_side[j] = -1;
        }
        corner_sum sum = {
            .lo = dlo, .hi = dhi, .value = cost_value, .cost = cost, .wanted = wanted};
        /* The first new corner is the cell moved along D: the partner
         * itself, known without a look-up. It is judged first, so that a
         * partner that already makes the cube too narrow or too dear
         * costs no look-ups of the corners after it. */
        const sdc_cellkey *k = s->k;
        if (k->packed)
            f->key[half] = sdc_cellkey_key_move(k, f->key[0], d, partner);
        bool ok = add_corner(f, j, 0, pc, &sum);
        /* With the packed index each corner's tuple is carried along, and
         * each new corner's slot is asked for PREFETCH_AHEAD corners
         * before it is read: each look-up is a cache miss, and waiting
         * for them one by one (and for each corner's coordinates) was a
         * sixth of the 5-D quick mode's samples. Asking for all of them
         * at once cost more, as most partial cubes are dropped within
         * their first few corners. */
        size_t ahead = 1;
        for (; ok && k->packed && ahead < half && ahead <= PREFETCH_AHEAD; ahead++) {
            f->key[ahead + half] = sdc_cellkey_key_move(k, f->key[ahead], d, partner);
            sdc_cellkey_prefetch_key(k, f->key[ahead + half]);
        }
        for (size_t b = 1; b < half && ok; b++) {
            if (k->packed && ahead < half) {
                f->key[ahead + half] = sdc_cellkey_key_move(k, f->key[ahead], d, partner);
                sdc_cellkey_prefetch_key(k, f->key[ahead + half]);
                ahead++;
            }
            long nc = k->packed ? sdc_cellkey_find_key(k, f->key[b + half])
                                : sdc_cellkey_move(k, f->cur.corner[b], d, partner);
            ok = nc >= 0 && add_corner(f, j, b, (uint32_t)nc, &sum);
        }
        if (ok && balanced(f, j))
            search(f, j + 1, sum.lo, sum.hi, sum.cost, sum.value, sum.wanted);
    }
}

/* Orders the cube's dimensions by how many partners each has, fewest
 * first (stable), as a constraint search branches on its most
 * constrained variable first: the levels near the root branch least, so
 * fewer partial cubes are built above the widest level. Every cube is
 * still tried, and cubes of equal cost, marks and value are then found
 * in another order; on the 5-D bench table's default mode this hid 0.9%
 * fewer complements, its first round's searches 7% faster. */
static void order_by_partners(dfs *f)
{
    for (size_t a = 1; a < f->nd; a++)
        for (size_t b = a; b > 0 && f->ncand[b] < f->ncand[b - 1]; b--) {
            size_t d = f->dim[b];
            f->dim[b] = f->dim[b - 1];
            f->dim[b - 1] = d;
            cand *c = f->cands[b];
            f->cands[b] = f->cands[b - 1];
            f->cands[b - 1] = c;
            size_t n = f->ncand[b];
            f->ncand[b] = f->ncand[b - 1];
            f->ncand[b - 1] = n;
        }
}

/*
 * With S->line_hidden, orders the published partners of each level (they
 * follow the hidden ones) by the hidden parts on their lines along the
 * cube's other dimensions, most first, stably. The hidden partners stay
 * first, as the search's drop of every published partner past the best
 * asks. A partial cube is dropped at its first published corner too many,
 * so the sooner a cheap cube is found the fewer are tried: on the 5-D
 * bench table the quick mode, whose searches mostly stop at their limit,
 * hid 417,002 complements instead of 446,917 (and 417,316 and 426,899
 * instead of 454,679 and 453,731 on the tables of seeds 1 and 2), its
 * written table's first audit leaving 2 to 6 cells unproved instead of
 * 16 to 24.
 */
static void order_published(const sdc_cube_search *s, dfs *f)
{
    for (size_t j = 0; j < f->nd; j++) {
        cand *c = f->cands[j];
        size_t n = f->ncand[j], first = 0;
        while (first < n && c[first].rank == 0)
            first++;
        for (size_t q = first; q < n; q++) {
            uint32_t t = 0;
            for (size_t e = 0; e < f->nd; e++)
                if (e != j)
                    t += s->line_hidden[sdc_cellkey_line(s->k, c[q].cell, f->dim[e])];
            c[q].score = t;
        }
        for (size_t a = first + 1; a < n; a++)
            for (size_t b = a; b > first && c[b].score > c[b - 1].score; b--) {
                cand x = c[b];
                c[b] = c[b - 1];
                c[b - 1] = x;
            }
    }
}

long sdc_cube_find(const sdc_cube_search *s, size_t i)
{
    const sdc_cellkey *k = s->k;
    dfs f = {.s = s};
    for (size_t d = 0; d < k->dims; d++) {
        int64_t total = k->line_total[sdc_cellkey_line(k, i, d)];
        if (total < 0)
            continue;
        if (f.nd == SDC_CUBE_MAX_DIMS)
            return 0;
        f.in_cube[d] = true;
        f.dim[f.nd++] = d;
    }
    if (f.nd == 0)
        return 0;
    cand *pool = malloc(f.nd * (s->per_dim + 1) * sizeof *pool);
    if (!pool)
        return -1;
    for (size_t j = 0; j < f.nd; j++) {
        size_t d = f.dim[j];
        int64_t total = k->line_total[sdc_cellkey_line(k, i, d)];
        bool cell_is_total = s->g->cells[i].coord_total[d];
        if (cell_is_total && total != (int64_t)i) {
            free(pool);
            return 0; /* a second total label on one line: no clean move */
        }
        f.cands[j] = pool + j * (s->per_dim + 1);
        f.ncand[j] = s->lines ? candidates_indexed(s, i, d, cell_is_total, total, f.cands[j])
                              : candidates(s, i, d, cell_is_total, total, f.cands[j]);
        if (f.ncand[j] == 0) {
            free(pool);
            return 0;
        }
    }
    if (s->line_hidden)
        order_published(s, &f);
    order_by_partners(&f);
    f.cur.corner[0] = (uint32_t)i;
    if (k->packed)
        f.key[0] = sdc_cellkey_key(k, i);
    f.cur.sign[0] = 1;
    double lo = -s->value[i], hi = (s->upper ? s->upper[i] : INFINITY) - s->value[i];
    size_t cost = s->state[i] == SDC_CUBE_PUBLISHED;
    double cost_value = cost ? s->value[i] : 0;
    search(&f, 0, lo, hi, cost, cost_value, s->want && s->want[i]);
    free(pool);
    return f.found;
}

double sdc_cube_least_range(double need, bool integer, bool whole_point)
{
    return integer && whole_point ? need - 1 : need;
}
