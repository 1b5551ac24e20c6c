/*
 * network.c - exact bounds of a network component by maximum flow.
 *
 * The flow searches are Dinic's (level graph by breadth-first search,
 * blocking flow by depth-first search with a current-arc pointer per
 * node; Dinitz 1970), iterative, with levels stamped per search so that a
 * search costs what it visits, not the size of the component. A move of
 * one cell stops its breadth-first search as soon as the far end is
 * reached: in a table where hidden cells are plentiful the cycles through
 * a cell are short, and the move visits its neighbourhood only.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audit/network.h"

struct sdc_network {
    size_t nodes;   /* equations, then the ground, the source and the sink */
    size_t arcs;    /* variables, then the source's and the sink's arcs */
    size_t nvars;   /* arcs below this are variables */
    uint32_t *tail; /* per arc */
    uint32_t *head;
    double *x;   /* flow: the point */
    double *cap; /* upper bound (INFINITY: none); every lower bound is 0 */
    size_t *first;
    uint32_t *end; /* per node, its arc ends: arc << 1 | (the node is the head) */
    uint32_t *stamp;
    int32_t *level;
    size_t *iter;
    uint32_t *queue, *path;
    /* the two-way search of a move: stamps, the arc end each node was
     * reached by, and the queue of the search from the far end */
    uint32_t *stamp_back, *from, *from_back, *queue_back;
    uint32_t now;
    double eps;
    size_t visits;
};

void sdc_network_free(sdc_network *n)
{
    if (!n)
        return;
    free(n->tail);
    free(n->head);
    free(n->x);
    free(n->cap);
    free(n->first);
    free(n->end);
    free(n->stamp);
    free(n->level);
    free(n->iter);
    free(n->queue);
    free(n->path);
    free(n->stamp_back);
    free(n->from);
    free(n->from_back);
    free(n->queue_back);
    free(n);
}

/* Each position's equations (at most two) and their coefficients. */
typedef struct incidence {
    uint32_t row[2];
    signed char coef[2];
    unsigned char count;
} incidence;

/* Gives each equation of the component a sign so that every variable in
 * two equations is +1 in one and -1 in the other (a breadth-first
 * colouring of the equations). SIGN per equation. False when no such
 * signs exist. */
static bool colour(const incidence *inc, size_t nv, size_t nr, signed char *sign)
{
    size_t *start = calloc(nr + 1, sizeof *start);
    uint32_t *adj = malloc((2 * nv + 1) * sizeof *adj), *queue = malloc((nr + 1) * sizeof *queue);
    bool ok = start && adj && queue;
    for (size_t j = 0; j < nv && ok; j++)
        if (inc[j].count == 2) {
            start[inc[j].row[0] + 1]++;
            start[inc[j].row[1] + 1]++;
        }
    for (size_t r = 0; r < nr && ok; r++)
        start[r + 1] += start[r];
    for (size_t j = 0; j < nv && ok; j++)
        if (inc[j].count == 2) {
            adj[start[inc[j].row[0]]++] = (uint32_t)j;
            adj[start[inc[j].row[1]]++] = (uint32_t)j;
        }
    for (size_t r = nr; r > 0 && ok; r--)
        start[r] = start[r - 1];
    if (ok)
        start[0] = 0;
    memset(sign, 0, nr);
    for (size_t r0 = 0; r0 < nr && ok; r0++) {
        if (sign[r0])
            continue;
        sign[r0] = 1;
        size_t qh = 0, qt = 0;
        queue[qt++] = (uint32_t)r0;
        while (qh < qt && ok) {
            uint32_t r = queue[qh++];
            for (size_t a = start[r]; a < start[r + 1] && ok; a++) {
                const incidence *c = &inc[adj[a]];
                int self = c->row[0] == r ? 0 : 1;
                uint32_t o = c->row[1 - self];
                /* sign[r] * coef[self] == -sign[o] * coef[other] */
                signed char want = (signed char)(-sign[r] * c->coef[self] * c->coef[1 - self]);
                if (!sign[o]) {
                    sign[o] = want;
                    queue[qt++] = o;
                } else if (sign[o] != want) {
                    ok = false;
                }
            }
        }
    }
    bool done = ok;
    free(start);
    free(adj);
    free(queue);
    return done;
}

/* The arrays of a network of NODES nodes and ARCS arcs. */
static sdc_network *network_new(size_t nodes, size_t arcs, size_t nvars)
{
    sdc_network *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->nodes = nodes;
    n->arcs = arcs;
    n->nvars = nvars;
    n->tail = malloc(arcs * sizeof *n->tail);
    n->head = malloc(arcs * sizeof *n->head);
    n->x = calloc(arcs, sizeof *n->x);
    n->cap = malloc(arcs * sizeof *n->cap);
    n->first = calloc(nodes + 1, sizeof *n->first);
    n->end = malloc(2 * arcs * sizeof *n->end);
    n->stamp = calloc(nodes, sizeof *n->stamp);
    n->level = malloc(nodes * sizeof *n->level);
    n->iter = malloc(nodes * sizeof *n->iter);
    n->queue = malloc(nodes * sizeof *n->queue);
    n->path = malloc(nodes * sizeof *n->path);
    n->stamp_back = calloc(nodes, sizeof *n->stamp_back);
    n->from = malloc(nodes * sizeof *n->from);
    n->from_back = malloc(nodes * sizeof *n->from_back);
    n->queue_back = malloc(nodes * sizeof *n->queue_back);
    if (!n->stamp_back || !n->from || !n->from_back || !n->queue_back || !n->tail || !n->head ||
        !n->x || !n->cap || !n->first || !n->end || !n->stamp || !n->level || !n->iter ||
        !n->queue || !n->path) {
        sdc_network_free(n);
        return NULL;
    }
    return n;
}

/* Each node's arc ends, grouped by node. */
static void link_arcs(sdc_network *n)
{
    for (size_t a = 0; a < n->arcs; a++) {
        n->first[n->tail[a] + 1]++;
        n->first[n->head[a] + 1]++;
    }
    for (size_t v = 0; v < n->nodes; v++)
        n->first[v + 1] += n->first[v];
    for (size_t a = 0; a < n->arcs; a++) {
        n->end[n->first[n->tail[a]]++] = (uint32_t)(a << 1);
        n->end[n->first[n->head[a]]++] = (uint32_t)(a << 1 | 1u);
    }
    for (size_t v = n->nodes; v > 0; v--)
        n->first[v] = n->first[v - 1];
    n->first[0] = 0;
}

int sdc_network_make(const sdc_equations *e, const uint32_t *rows, size_t nr, const uint32_t *vars,
                     size_t nv, const uint32_t *local, const double *upper, sdc_network **out)
{
    *out = NULL;
    if (nr == 0 || nv == 0 || nr + 3 > UINT32_MAX / 2 || nv + nr + 3 > UINT32_MAX / 2)
        return 1;
    for (size_t i = 0; i < nr; i++)
        if (e->tol[rows[i]] > 0)
            return 1; /* a rounded table: inequalities, not a network */
    incidence *inc = calloc(nv, sizeof *inc);
    signed char *sign = malloc(nr);
    double *b = calloc(nr + 1, sizeof *b);
    if (!inc || !sign || !b) {
        free(inc);
        free(sign);
        free(b);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < nr && rc == 0; i++)
        for (size_t t = e->start[rows[i]]; t < e->start[rows[i] + 1] && rc == 0; t++) {
            incidence *c = &inc[local[e->var[t]]];
            if (c->count == 2 || (e->coef[t] != 1 && e->coef[t] != -1)) {
                rc = 1;
                break;
            }
            c->row[c->count] = (uint32_t)i;
            c->coef[c->count++] = e->coef[t];
        }
    if (rc == 0 && !colour(inc, nv, nr, sign))
        rc = 1;
    /* Nodes: the equations 0..nr-1, ground nr, source nr+1, sink nr+2.
     * Balance (in - out) of equation i: sign * rhs; the ground's: minus
     * their sum. */
    size_t ground = nr, source = nr + 1, sink = nr + 2, extra = 0;
    double scale = 1;
    for (size_t i = 0; i < nr && rc == 0; i++) {
        b[i] = sign[i] * e->rhs[rows[i]];
        b[nr] -= b[i];
    }
    for (size_t i = 0; i <= nr && rc == 0; i++) {
        extra += b[i] != 0;
        scale = fmax(scale, fabs(b[i]));
    }
    sdc_network *n = rc == 0 ? network_new(nr + 3, nv + extra, nv) : NULL;
    if (rc == 0 && !n)
        rc = -1;
    for (size_t j = 0; j < nv && rc == 0; j++) {
        const incidence *c = &inc[j];
        /* In an equation whose signed coefficient is +1, the arc enters. */
        bool into0 = sign[c->row[0]] * c->coef[0] > 0;
        uint32_t other = c->count == 2 ? c->row[1] : (uint32_t)ground;
        n->head[j] = into0 ? c->row[0] : other;
        n->tail[j] = into0 ? other : c->row[0];
        n->cap[j] = upper[vars[j]];
        if (isfinite(n->cap[j]))
            scale = fmax(scale, n->cap[j]);
    }
    for (size_t i = 0, a = nv; i <= nr && rc == 0; i++) {
        if (b[i] == 0)
            continue;
        /* More out than in: the source makes it up; more in: the sink. */
        n->tail[a] = b[i] < 0 ? (uint32_t)source : (uint32_t)i;
        n->head[a] = b[i] < 0 ? (uint32_t)i : (uint32_t)sink;
        n->cap[a++] = fabs(b[i]);
    }
    if (rc == 0) {
        n->eps = 1e-13 * scale;
        link_arcs(n);
        *out = n;
    } else {
        sdc_network_free(n);
    }
    free(inc);
    free(sign);
    free(b);
    return rc;
}

void sdc_network_set_point(sdc_network *n, const double *x)
{
    memcpy(n->x, x, n->nvars * sizeof *x);
    for (size_t a = n->nvars; a < n->arcs; a++)
        n->x[a] = n->cap[a];
}

double sdc_network_value(const sdc_network *n, size_t j)
{
    return n->x[j];
}

size_t sdc_network_visits(const sdc_network *n)
{
    return n->visits;
}

/* What arc end E (from its node) can still carry. */
static double residual(const sdc_network *n, uint32_t e)
{
    size_t a = e >> 1;
    return e & 1u ? n->x[a] : n->cap[a] - n->x[a];
}

/* The node arc end E leads to, and the node it leaves. */
static uint32_t far_node(const sdc_network *n, uint32_t e)
{
    return e & 1u ? n->tail[e >> 1] : n->head[e >> 1];
}

static uint32_t near_node(const sdc_network *n, uint32_t e)
{
    return e & 1u ? n->head[e >> 1] : n->tail[e >> 1];
}

/* A new stamp: every node unvisited by both searches. */
static void next_stamp(sdc_network *n)
{
    if (++n->now == 0) {
        memset(n->stamp, 0, n->nodes * sizeof *n->stamp);
        memset(n->stamp_back, 0, n->nodes * sizeof *n->stamp_back);
        n->now = 1;
    }
}

/* Levels from S (Dinic's level graph). True when T is reached. */
static bool levels(sdc_network *n, uint32_t s, uint32_t t)
{
    next_stamp(n);
    size_t qh = 0, qt = 0;
    n->stamp[s] = n->now;
    n->level[s] = 0;
    n->iter[s] = n->first[s];
    n->queue[qt++] = s;
    while (qh < qt) {
        uint32_t u = n->queue[qh++];
        n->visits++;
        for (size_t k = n->first[u]; k < n->first[u + 1]; k++) {
            uint32_t e = n->end[k];
            if (residual(n, e) <= n->eps)
                continue;
            uint32_t v = far_node(n, e);
            if (n->stamp[v] == n->now)
                continue;
            n->stamp[v] = n->now;
            n->level[v] = n->level[u] + 1;
            n->iter[v] = n->first[v];
            n->queue[qt++] = v;
        }
    }
    return n->stamp[t] == n->now;
}

/* Pushes F along the path of DEPTH arc ends, widening the values seen. */
static void augment(sdc_network *n, size_t depth, double f, double *seen_lo, double *seen_hi)
{
    for (size_t k = 0; k < depth; k++) {
        uint32_t e = n->path[k];
        size_t a = e >> 1;
        n->x[a] += e & 1u ? -f : f;
        if (n->x[a] < 0)
            n->x[a] = 0; /* rounding below the bound it was pushed to */
        if (a < n->nvars && seen_lo) {
            seen_lo[a] = fmin(seen_lo[a], n->x[a]);
            seen_hi[a] = fmax(seen_hi[a], n->x[a]);
        }
    }
}

/* Blocking flow from S to T in the current levels. */
static double blocking(sdc_network *n, uint32_t s, uint32_t t)
{
    double total = 0;
    size_t depth = 0;
    uint32_t u = s;
    for (;;) {
        if (u == t) {
            double f = INFINITY;
            for (size_t k = 0; k < depth; k++)
                f = fmin(f, residual(n, n->path[k]));
            augment(n, depth, f, NULL, NULL);
            total += f;
            depth = 0;
            u = s;
            continue;
        }
        bool advanced = false;
        for (; n->iter[u] < n->first[u + 1]; n->iter[u]++) {
            uint32_t e = n->end[n->iter[u]];
            if (residual(n, e) <= n->eps)
                continue;
            uint32_t v = far_node(n, e);
            if (n->stamp[v] != n->now || n->level[v] != n->level[u] + 1)
                continue;
            n->path[depth++] = e;
            u = v;
            advanced = true;
            break;
        }
        if (advanced)
            continue;
        if (u == s)
            break;
        n->level[u] = -1; /* a dead end in these levels */
        u = near_node(n, n->path[--depth]);
        n->iter[u]++;
    }
    return total;
}

/* The path where the search from S (reaching node V) meets the search
 * from T, into n->path; its length. */
static size_t join(sdc_network *n, uint32_t s, uint32_t t, uint32_t v)
{
    size_t depth = 0;
    for (uint32_t u = v; u != s; u = near_node(n, n->from[u]))
        n->path[depth++] = n->from[u];
    for (size_t i = 0; i < depth / 2; i++) {
        uint32_t e = n->path[i];
        n->path[i] = n->path[depth - 1 - i];
        n->path[depth - 1 - i] = e;
    }
    for (uint32_t u = v; u != t; u = far_node(n, n->from_back[u]))
        n->path[depth++] = n->from_back[u];
    return depth;
}

/*
 * A shortest path with room from S to T over the variables' arcs other
 * than SKIP, into n->path, by breadth-first search from both ends, a
 * level at a time from the end with the smaller frontier; its length, 0
 * when there is none (then the search has seen all that S reaches, or
 * all that reaches T).
 */
static size_t two_way_path(sdc_network *n, uint32_t s, uint32_t t, size_t skip)
{
    next_stamp(n);
    size_t fh = 0, ft = 0, bh = 0, bt = 0;
    n->stamp[s] = n->now;
    n->queue[ft++] = s;
    n->stamp_back[t] = n->now;
    n->queue_back[bt++] = t;
    while (fh < ft && bh < bt) {
        bool forward = ft - fh <= bt - bh;
        size_t end = forward ? ft : bt;
        for (size_t q = forward ? fh : bh; q < end; q++) {
            uint32_t u = forward ? n->queue[q] : n->queue_back[q];
            n->visits++;
            for (size_t k = n->first[u]; k < n->first[u + 1]; k++) {
                uint32_t e = n->end[k];
                size_t a = e >> 1;
                if (a >= n->nvars || a == skip)
                    continue;
                uint32_t v = far_node(n, e);
                /* forward: room from u to v; back: room from v to u */
                if (residual(n, forward ? e : e ^ 1u) <= n->eps)
                    continue;
                if (forward) {
                    if (n->stamp[v] == n->now)
                        continue;
                    n->stamp[v] = n->now;
                    n->from[v] = e;
                    if (n->stamp_back[v] == n->now)
                        return join(n, s, t, v);
                    n->queue[ft++] = v;
                } else {
                    if (n->stamp_back[v] == n->now)
                        continue;
                    n->stamp_back[v] = n->now;
                    n->from_back[v] = e ^ 1u;
                    if (n->stamp[v] == n->now)
                        return join(n, s, t, v);
                    n->queue_back[bt++] = v;
                }
            }
        }
        if (forward)
            fh = end;
        else
            bh = end;
    }
    return 0;
}

/* Maximum flow from S to T over every arc (Dinic). */
static double max_flow(sdc_network *n, uint32_t s, uint32_t t)
{
    double total = 0, f;
    while (levels(n, s, t) && (f = blocking(n, s, t)) > 0)
        total += f;
    return total;
}

int sdc_network_feasible(sdc_network *n, double *x)
{
    memset(n->x, 0, n->arcs * sizeof *n->x);
    uint32_t source = (uint32_t)(n->nodes - 2), sink = (uint32_t)(n->nodes - 1);
    double need = 0;
    for (size_t a = n->nvars; a < n->arcs; a++)
        if (n->tail[a] == source)
            need += n->cap[a];
    double got = max_flow(n, source, sink);
    memcpy(x, n->x, n->nvars * sizeof *x);
    return need - got > n->eps * (double)(n->arcs + 1) ? 1 : 0;
}

double sdc_network_move(sdc_network *n, size_t j, int sgn, double want, double *seen_lo,
                        double *seen_hi, bool *end)
{
    /* Up: the head has more in, carried back to the tail; down: the
     * other way. The arc itself is not a path of its own. */
    double room = sgn > 0 ? n->cap[j] - n->x[j] : n->x[j];
    double limit = fmin(want, room);
    uint32_t s = sgn > 0 ? n->head[j] : n->tail[j], t = sgn > 0 ? n->tail[j] : n->head[j];
    double f = 0;
    size_t depth;
    while (limit - f > n->eps && (depth = two_way_path(n, s, t, j)) > 0) {
        double g = limit - f;
        for (size_t k = 0; k < depth; k++)
            g = fmin(g, residual(n, n->path[k]));
        augment(n, depth, g, seen_lo, seen_hi);
        f += g;
    }
    n->x[j] += sgn > 0 ? f : -f;
    if (n->x[j] < 0)
        n->x[j] = 0;
    seen_lo[j] = fmin(seen_lo[j], n->x[j]);
    seen_hi[j] = fmax(seen_hi[j], n->x[j]);
    *end = want - f > n->eps;
    return f;
}
