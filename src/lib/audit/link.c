/*
 * link.c - the tables of one submission linked by what they share
 * (doc/design.md, "Linked tables").
 *
 * Two tables that count the same thing by shared dimensions publish some
 * of the same cells: region x sex and region x age both publish each
 * region's total, and a table by region alone publishes it again. A cell
 * suppressed in one table may then be published in another, or worked out
 * from the equations of both together (differencing), though each table
 * alone protects it.
 *
 * Each table (and each measure of it) is a view: its grid cells with
 * coordinates named by its dimensions (label columns; a wide crosstab's
 * column categories form a dimension named after another table's
 * dimension holding the same categories, else a name of its own). A
 * dimension a view lacks is its total. Two views are linked when they
 * share a dimension and a measure and publish no common cell with
 * different values (tables of different populations disagree somewhere;
 * a table of margins alone shares no cell with the detail it adds up).
 * Each group of linked views becomes one long table over the union of
 * their dimensions, every common cell once. The tables are the ones read
 * when the files were checked: nothing is read again.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/link.h"
#include "core/vec.h"
#include "sdccheck/spec.h"
#include "table/table_build.h"

/* A dimension name that matches no other: a total in every other view. */
#define UNNAMED_PREFIX "\x02"
/* Sorts before any label: a dimension's total. */
#define TOTAL_KEY "\x01"

static size_t find(sdc_link_view *v, size_t i)
{
    while (v[i].parent != i)
        i = v[i].parent = v[v[i].parent].parent;
    return i;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_fact(const void *a, const void *b)
{
    const sdc_link_fact *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->view != y->view)
        return x->view < y->view ? -1 : 1;
    return (x->cell > y->cell) - (x->cell < y->cell);
}

const sdc_cell *sdc_link_fact_cell(const sdc_link_view *views, const sdc_link_fact *f)
{
    const sdc_link_view *v = &views[f->view];
    const sdc_grid_cell *gc = &v->g.cells[f->cell];
    return sdc_table_cell(v->t, gc->row, gc->col);
}

static bool has_dim(const sdc_link_view *v, const char *name)
{
    for (size_t d = 0; d < v->g.dims; d++)
        if (strcmp(v->dim[d], name) == 0)
            return true;
    return false;
}

/* The key of grid cell I of V over the union dimensions U[0..nu). */
static char *cell_key(const sdc_link_view *v, size_t i, char *const *u, size_t nu)
{
    size_t len = 1;
    const char *part[2 * SDC_GRID_MAX_DIMS];
    for (size_t k = 0; k < nu; k++) {
        part[k] = TOTAL_KEY;
        for (size_t d = 0; d < v->g.dims; d++)
            if (strcmp(v->dim[d], u[k]) == 0) {
                if (!v->g.cells[i].coord_total[d])
                    part[k] = v->g.cells[i].coord[d];
                break;
            }
        len += strlen(part[k]) + 1;
    }
    char *key = malloc(len), *o = key;
    if (!key)
        return NULL;
    for (size_t k = 0; k < nu; k++) {
        size_t n = strlen(part[k]);
        memcpy(o, part[k], n);
        o += n;
        *o++ = '\x1f';
    }
    *o = 0;
    return key;
}

/* The sorted union of the dimension names of views IDX[0..n). */
static size_t union_dims(const sdc_link_view *views, const size_t *idx, size_t n, char **u)
{
    size_t nu = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < views[idx[i]].g.dims; d++) {
            bool seen = false;
            for (size_t k = 0; k < nu && !seen; k++)
                seen = strcmp(u[k], views[idx[i]].dim[d]) == 0;
            if (!seen && nu < SDC_GRID_MAX_DIMS)
                u[nu++] = views[idx[i]].dim[d];
        }
    qsort(u, nu, sizeof *u, cmp_str);
    return nu;
}

/* Facts of views IDX[0..n) keyed over their union, sorted. */
sdc_link_fact *sdc_link_facts(const sdc_link_view *views, const size_t *idx, size_t n, char **u,
                              size_t *nu, size_t *nfacts)
{
    *nu = union_dims(views, idx, n, u);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += views[idx[i]].g.count;
    sdc_link_fact *f = calloc(total + 1, sizeof *f);
    if (!f)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < views[idx[i]].g.count; c++) {
            f[k].key = cell_key(&views[idx[i]], c, u, *nu);
            f[k].view = idx[i];
            f[k].cell = c;
            if (!f[k].key) {
                for (size_t j = 0; j < k; j++)
                    free(f[j].key);
                free(f);
                return NULL;
            }
            k++;
        }
    qsort(f, k, sizeof *f, cmp_fact);
    *nfacts = k;
    return f;
}

void sdc_link_facts_free(sdc_link_fact *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].key);
    free(f);
}

/* Published values agree within the rounding the policy allows. */
static bool agree(const sdc_policy *p, double a, double b)
{
    double tol = 1e-9 * fmax(fabs(a), fabs(b)) + 1e-9;
    if (p->rounding_base > 0)
        tol += (double)p->rounding_base;
    return fabs(a - b) <= tol;
}

/* Are views A and B the same counts by shared dimensions? *AGREEING (may
 * be NULL) receives the number of common cells both publish, with the
 * same value. */
static bool linked_count(const sdc_link_view *views, size_t a, size_t b, const sdc_policy *p,
                         size_t *agreeing)
{
    const sdc_link_view *va = &views[a], *vb = &views[b];
    if (agreeing)
        *agreeing = 0;
    if (strcmp(va->mkey, vb->mkey) != 0 || va->file == vb->file)
        return false;
    bool shared = false;
    for (size_t d = 0; d < va->g.dims && !shared; d++)
        shared = has_dim(vb, va->dim[d]);
    if (!shared)
        return false;
    size_t idx[2] = {a, b}, nu, n;
    char *u[SDC_GRID_MAX_DIMS] = {0};
    sdc_link_fact *f = sdc_link_facts(views, idx, 2, u, &nu, &n);
    if (!f)
        return false;
    size_t common = 0, differing = 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && strcmp(f[j].key, f[i].key) == 0;)
            j++;
        const sdc_cell *pa = NULL, *pb = NULL;
        bool in_a = false, in_b = false;
        for (size_t k = i; k < j; k++) {
            const sdc_cell *c = sdc_link_fact_cell(views, &f[k]);
            in_a |= f[k].view == a;
            in_b |= f[k].view == b;
            if (c->kind != SDC_CELL_NUMBER)
                continue;
            if (f[k].view == a && !pa)
                pa = c;
            else if (f[k].view == b && !pb)
                pb = c;
        }
        common += in_a && in_b;
        if (pa && pb && !agree(p, pa->number, pb->number))
            differing++;
        else if (pa && pb && agreeing)
            ++*agreeing;
    }
    sdc_link_facts_free(f, n);
    (void)common;
    return differing == 0;
}

static bool linked(const sdc_link_view *views, size_t a, size_t b, const sdc_policy *p)
{
    return linked_count(views, a, b, p, NULL);
}

/* Names a wide crosstab's column dimension after another view's dimension
 * that holds the same categories (a released view's, after a new view's
 * only: released views are linked through the new ones). */
static void name_columns(sdc_link_view *views, size_t nv, size_t v)
{
    sdc_link_view *w = &views[v];
    size_t d = w->g.dims - 1;
    for (size_t o = 0; o < nv; o++) {
        if (o == v || strcmp(views[o].mkey, w->mkey) != 0 || (w->released && views[o].released))
            continue;
        for (size_t e = 0; e < views[o].g.dims; e++) {
            if (strncmp(views[o].dim[e], UNNAMED_PREFIX, 1) == 0)
                continue;
            /* Every category of our columns must be a label of that dimension. */
            bool all = true;
            for (size_t i = 0; i < w->g.count && all; i++) {
                const sdc_grid_cell *gc = &w->g.cells[i];
                if (gc->coord_total[d])
                    continue;
                bool found = false;
                for (size_t k = 0; k < views[o].g.count && !found; k++)
                    found = strcmp(views[o].g.cells[k].coord[e], gc->coord[d]) == 0;
                all = found;
            }
            if (all && !has_dim(w, views[o].dim[e])) {
                char *name = strdup(views[o].dim[e]);
                if (name) {
                    free(w->dim[d]);
                    w->dim[d] = name;
                }
                return;
            }
        }
    }
}

/* Views of one table: its counts (and each magnitude), with dimension names. */
static int add_views(sdc_link_view **views, size_t *nv, size_t *cap, const char *path, size_t file,
                     const sdc_table *t, const sdc_policy *p)
{
    size_t counts = 0;
    long measure;
    for (size_t at = 0; sdc_grid_next_measure(t, &at, &measure);)
        counts += measure >= 0 && t->columns[measure].role == SDC_COL_COUNT;
    for (size_t at = 0; sdc_grid_next_measure(t, &at, &measure);) {
        if (SDC_VEC_RESERVE(*views, *cap, *nv + 1) < 0)
            return -1;
        sdc_link_view *v = &(*views)[*nv];
        memset(v, 0, sizeof *v);
        v->file = file;
        v->t = t;
        v->measure = measure;
        v->parent = *nv;
        if (measure < 0 || (t->columns[measure].role == SDC_COL_COUNT && counts == 1))
            snprintf(v->mkey, sizeof v->mkey, "count");
        else
            snprintf(v->mkey, sizeof v->mkey, "%s", t->columns[measure].name);
        if (sdc_grid_build(t, p, measure, &v->g) < 0)
            return -1;
        size_t d = 0;
        bool ok = true;
        for (size_t c = 0; c < t->ncols && ok; c++) {
            const sdc_column *col = &t->columns[c];
            if (col->role != SDC_COL_LABEL || col->is_index)
                continue;
            /* Levels within one column are not linked (their grid has a
             * dimension per level). */
            ok = !sdc_table_spec_has_levels(t->spec, col->name) && d < v->g.dims;
            if (ok && !(v->dim[d++] = strdup(col->name)))
                return -1;
        }
        if (ok && measure < 0 && d < v->g.dims &&
            asprintf(&v->dim[d++], UNNAMED_PREFIX "%s", path) < 0)
            return -1;
        if (!ok || d != v->g.dims || v->g.dims == 0) {
            for (size_t k = 0; k < SDC_GRID_MAX_DIMS; k++)
                free(v->dim[k]);
            sdc_grid_free(&v->g);
            continue;
        }
        (*nv)++;
    }
    return 0;
}

/* The merged long table of a group: union dimensions, one measure. */
sdc_table *sdc_link_merge(const sdc_link_view *views, const sdc_link_fact *f, size_t nf,
                          char *const *u, size_t nu, bool counts, const sdc_policy *p,
                          size_t *row_first, bool hidden_wins)
{
    sdc_table_builder *b = sdc_table_builder_new(p, false);
    if (!b)
        return NULL;
    const char *fields[SDC_GRID_MAX_DIMS + 1];
    size_t lens[SDC_GRID_MAX_DIMS + 1];
    for (size_t k = 0; k < nu; k++)
        fields[k] = u[k][0] == UNNAMED_PREFIX[0] ? "columns" : u[k];
    fields[nu] = counts ? "n" : "value";
    for (size_t k = 0; k <= nu; k++)
        lens[k] = strlen(fields[k]);
    int rc = sdc_table_builder_add(b, fields, lens, nu + 1, 1);
    const char *total = p->total_labels.count ? p->total_labels.items[0] : "Total";
    size_t rows = 0;
    bool *hidden = malloc((nf + 1) * sizeof *hidden);
    double *truth = malloc((nf + 1) * sizeof *truth);
    if (!hidden || !truth)
        rc = -1;
    for (size_t i = 0, j; i < nf && rc == 0; i = j) {
        for (j = i + 1; j < nf && strcmp(f[j].key, f[i].key) == 0;)
            j++;
        /* Published if any view publishes it (when auditing what is
         * released), hidden if any hides it (when protecting); among
         * markers, the tightest. */
        const sdc_cell *pick = NULL, *value = NULL;
        for (size_t k = i; k < j; k++) {
            const sdc_cell *c = sdc_link_fact_cell(views, &f[k]);
            if (c->kind == SDC_CELL_NUMBER && !value)
                value = c;
            bool better;
            if (!pick)
                better = true;
            else if (c->kind != pick->kind)
                better = hidden_wins ? c->kind == SDC_CELL_SUPPRESSED : c->kind == SDC_CELL_NUMBER;
            else
                better = c->kind == SDC_CELL_SUPPRESSED && c->bound_hi >= 0 &&
                         (pick->bound_hi < 0 || c->bound_hi < pick->bound_hi);
            if (better && (c->kind == SDC_CELL_NUMBER || c->kind == SDC_CELL_SUPPRESSED))
                pick = c;
        }
        if (!pick)
            pick = sdc_link_fact_cell(views, &f[i]);
        hidden[rows] = hidden_wins && pick->kind == SDC_CELL_SUPPRESSED && value;
        truth[rows] = value ? value->number : pick->number;
        /* Labels back out of the key. */
        char *copy = strdup(f[i].key), *at = copy;
        if (!copy) {
            rc = -1;
            break;
        }
        for (size_t k = 0; k < nu; k++) {
            char *sep = strchr(at, '\x1f');
            *sep = 0;
            fields[k] = strcmp(at, TOTAL_KEY) == 0 ? total : at;
            lens[k] = strlen(fields[k]);
            at = sep + 1;
        }
        /* A hidden cell whose value another table publishes goes in with
         * its value, hidden below once the table is made. */
        fields[nu] = hidden[rows] ? value->text : pick->text;
        lens[nu] = strlen(fields[nu]);
        row_first[rows++] = i;
        rc = sdc_table_builder_add(b, fields, lens, nu + 1, (long)rows + 1);
        free(copy);
    }
    if (rc < 0) {
        sdc_table_builder_free(b);
        free(hidden);
        free(truth);
        return NULL;
    }
    sdc_table *t = sdc_table_builder_finish(b, rows, false);
    for (size_t r = 0; t && r < t->nrows && hidden_wins; r++) {
        sdc_cell *c = &t->cells[r * t->ncols + nu];
        if (hidden[r]) {
            c->kind = SDC_CELL_SUPPRESSED;
            c->text = sdc_policy_marker(p);
            c->bound_hi = -1;
        }
        c->number = truth[r]; /* a suppressed cell keeps its true value */
    }
    free(hidden);
    free(truth);
    if (!t)
        return NULL;
    sdc_findings notes = {0};
    sdc_table_infer_layout(t, p, &notes);
    sdc_findings_free(&notes);
    for (size_t c = 0; c < t->ncols; c++) {
        t->columns[c].role = c < nu ? SDC_COL_LABEL : counts ? SDC_COL_COUNT : SDC_COL_MAGNITUDE;
        t->columns[c].is_index = false;
    }
    t->label_columns = nu;
    t->shape = SDC_SHAPE_LONG;
    return t;
}

void sdc_link_set_free(sdc_link_set *ls)
{
    for (size_t v = 0; v < ls->nv; v++) {
        for (size_t k = 0; k < SDC_GRID_MAX_DIMS; k++)
            free(ls->views[v].dim[k]);
        sdc_grid_free(&ls->views[v].g);
    }
    free(ls->views);
    memset(ls, 0, sizeof *ls);
}

/* Released views are linked through the new ones: each new view with
 * every other view, then the released views that joined a new one (at
 * most SDC_LINK_MAX_TABLES tables of them, in the order given) with each
 * other. A released view that joins no new view is left out, so that a
 * ledger of thousands of tables costs one comparison each. A group's root
 * is always a new view (the root taken in a union is a new view's), so a
 * released view has joined when its root is new, and it is never the
 * parent of another: it can be taken out again by making it its own
 * root. */
static void link_views(sdc_link_set *ls, const sdc_policy *p)
{
    sdc_link_view *views = ls->views;
    for (size_t a = 0; a < ls->nv; a++)
        for (size_t b = 0; b < ls->nv && !views[a].released; b++)
            if ((b > a || views[b].released) && find(views, a) != find(views, b) &&
                linked(views, a, b, p))
                views[find(views, b)].parent = find(views, a);
    size_t joined = 0, last_file = (size_t)-1;
    for (size_t v = 0; v < ls->nv; v++) {
        if (!views[v].released || views[find(views, v)].released)
            continue;
        if (views[v].file != last_file && joined == SDC_LINK_MAX_TABLES) {
            ls->released_left_out++;
            views[v].left_out_of = find(views, v);
            views[v].parent = v;
            continue;
        }
        joined += views[v].file != last_file;
        last_file = views[v].file;
    }
    for (size_t a = 0; a < ls->nv; a++)
        for (size_t b = a + 1; b < ls->nv && views[a].released && !views[find(views, a)].released;
             b++)
            if (views[b].released && !views[find(views, b)].released &&
                find(views, a) != find(views, b) && linked(views, a, b, p))
                views[find(views, b)].parent = find(views, a);
}

int sdc_link_set_build(const sdc_linked_table *tables, size_t count, const sdc_policy *p,
                       sdc_link_set *ls)
{
    memset(ls, 0, sizeof *ls);
    size_t fresh = 0;
    for (size_t i = 0; i < count; i++)
        fresh += !tables[i].released;
    if (count < 2 || fresh == 0 || fresh > SDC_LINK_MAX_TABLES)
        return 0;
    ls->count = count;
    ls->linked = true;
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        const sdc_table *t = tables[i].table;
        size_t first = ls->nv;
        if (t && !t->truncated)
            rc = add_views(&ls->views, &ls->nv, &ls->cap, tables[i].path, i, t, p);
        for (size_t v = first; v < ls->nv; v++) {
            ls->views[v].released = tables[i].released;
            ls->views[v].left_out_of = (size_t)-1;
        }
    }
    sdc_link_view *views = ls->views;
    for (size_t v = 0; v < ls->nv && rc == 0; v++)
        if (views[v].measure < 0)
            name_columns(views, ls->nv, v);
    if (rc == 0)
        link_views(ls, p);
    return rc;
}

/*
 * The next group of linked views from *ROOT on: its views into IDX, their
 * count returned (0: no more groups), *ROOT left at the group's root. Views
 * of one table are never linked (linked() refuses them, and each measure
 * of a table is a different thing), so a group spans two tables or more.
 */
size_t sdc_link_root(sdc_link_set *ls, size_t v)
{
    return find(ls->views, v);
}

size_t sdc_link_next_group(sdc_link_set *ls, size_t *root, size_t *idx)
{
    for (; *root < ls->nv; ++*root) {
        if (find(ls->views, *root) != *root)
            continue;
        size_t n = 0;
        for (size_t v = 0; v < ls->nv; v++)
            if (find(ls->views, v) == *root)
                idx[n++] = v;
        if (n >= 2)
            return n;
    }
    return 0;
}

bool sdc_link_group_hides(const sdc_link_set *ls, const size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const sdc_link_view *v = &ls->views[idx[i]];
        for (size_t c = 0; c < v->g.count; c++) {
            const sdc_grid_cell *gc = &v->g.cells[c];
            if (sdc_table_cell(v->t, gc->row, gc->col)->kind == SDC_CELL_SUPPRESSED)
                return true;
        }
    }
    return false;
}

int sdc_link_each_group(const sdc_linked_table *tables, size_t count, const sdc_policy *p,
                        sdc_link_group_fn fn, void *ctx, bool *linked)
{
    sdc_link_set ls;
    int rc = sdc_link_set_build(tables, count, p, &ls);
    size_t *idx = rc == 0 && ls.nv ? malloc(ls.nv * sizeof *idx) : NULL;
    if (rc == 0 && ls.nv && !idx)
        rc = -1;
    for (size_t root = 0, n; rc == 0 && idx && (n = sdc_link_next_group(&ls, &root, idx)); root++)
        rc = fn(ctx, &ls, idx, n);
    free(idx);
    if (linked)
        *linked = ls.linked;
    sdc_link_set_free(&ls);
    return rc;
}

struct sdc_link_filter {
    sdc_link_set ls; /* the new tables' views, then a candidate's */
    const sdc_policy *p;
};

sdc_link_filter *sdc_link_filter_new(const sdc_linked_table *fresh, size_t n, const sdc_policy *p)
{
    sdc_link_filter *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->p = p;
    f->ls.count = n;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const sdc_table *t = fresh[i].table;
        if (t && !t->truncated)
            rc = add_views(&f->ls.views, &f->ls.nv, &f->ls.cap, fresh[i].path, i, t, p);
    }
    for (size_t v = 0; v < f->ls.nv && rc == 0; v++)
        if (f->ls.views[v].measure < 0)
            name_columns(f->ls.views, f->ls.nv, v);
    if (rc != 0) {
        sdc_link_filter_free(f);
        return NULL;
    }
    return f;
}

bool sdc_link_filter_joins(sdc_link_filter *f, const sdc_table *t)
{
    if (!f || !t || t->truncated)
        return false;
    sdc_link_set *ls = &f->ls;
    size_t fresh = ls->nv;
    /* Out of memory: kept, so that nothing is left out unaudited. */
    bool joins = add_views(&ls->views, &ls->nv, &ls->cap, "released", ls->count, t, f->p) != 0;
    for (size_t v = fresh; v < ls->nv; v++) {
        ls->views[v].released = true;
        if (ls->views[v].measure < 0)
            name_columns(ls->views, ls->nv, v);
    }
    /* Linked, and sharing a published cell (a total) of the same value:
     * a table released about other people shares dimension names with
     * many new ones, but seldom a total. */
    for (size_t v = fresh; v < ls->nv && !joins; v++)
        for (size_t a = 0; a < fresh && !joins; a++) {
            size_t agreeing = 0;
            joins = linked_count(ls->views, a, v, f->p, &agreeing) && agreeing > 0;
        }
    for (size_t v = fresh; v < ls->nv; v++) {
        for (size_t k = 0; k < SDC_GRID_MAX_DIMS; k++)
            free(ls->views[v].dim[k]);
        sdc_grid_free(&ls->views[v].g);
    }
    ls->nv = fresh;
    return joins;
}

void sdc_link_filter_free(sdc_link_filter *f)
{
    if (!f)
        return;
    sdc_link_set_free(&f->ls);
    free(f);
}
