/*
 * linked.c - tables of one submission audited together (SPEC 5.7).
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
 * a table of margins alone shares no cell with the detail it adds up). Each group of linked views
 * becomes one long table over the union of their dimensions, every common cell once (published if
 * any view publishes it), and that table is audited; if no values fit it, the tables were not about
 * the same people after all, and nothing is reported. What the group gives away, and no single
 * table did, is reported in the table that hides the cell; every linked table gets a
 * `linked-tables` note naming the others.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table/grid.h"
#include "audit/linked.h"
#include "check/pipeline.h"
#include "protect/protect_internal.h"
#include "rules/rules.h"
#include "sdccheck/audit.h"
#include "sdccheck/spec.h"
#include "table/table_build.h"

/* Tables read again for linking: bounded, so a large submission costs
 * little. Larger tables are audited on their own only (documented). */
#define LINK_MAX_TABLES 64
#define LINK_MAX_CELLS 200000
#define LINK_TIME_LIMIT 30.0

/* A dimension name that matches no other: a total in every other view. */
#define UNNAMED_PREFIX "\x02"
/* Sorts before any label: a dimension's total. */
#define TOTAL_KEY "\x01"

typedef struct view {
    size_t file; /* index into the report's files */
    const sdc_table *t;
    long measure;   /* -1: a wide crosstab's counts */
    char mkey[128]; /* what is counted: "count" or a magnitude's name */
    sdc_grid g;
    char *dim[SDC_GRID_MAX_DIMS];
    size_t parent; /* union-find */
} view;

typedef struct fact {
    char *key;         /* coordinates in the union's order */
    size_t view, cell; /* a grid cell of a view */
} fact;

typedef struct loaded {
    sdc_table *t;
    sdc_table_spec *spec;
} loaded;

static size_t find(view *v, size_t i)
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
    const fact *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->view != y->view)
        return x->view < y->view ? -1 : 1;
    return (x->cell > y->cell) - (x->cell < y->cell);
}

static const sdc_cell *fact_cell(const view *views, const fact *f)
{
    const view *v = &views[f->view];
    const sdc_grid_cell *gc = &v->g.cells[f->cell];
    return sdc_table_cell(v->t, gc->row, gc->col);
}

static bool has_dim(const view *v, const char *name)
{
    for (size_t d = 0; d < v->g.dims; d++)
        if (strcmp(v->dim[d], name) == 0)
            return true;
    return false;
}

/* The key of grid cell I of V over the union dimensions U[0..nu). */
static char *cell_key(const view *v, size_t i, char *const *u, size_t nu)
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
static size_t union_dims(const view *views, const size_t *idx, size_t n, char **u)
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
static fact *make_facts(const view *views, const size_t *idx, size_t n, char **u, size_t *nu,
                        size_t *nfacts)
{
    *nu = union_dims(views, idx, n, u);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += views[idx[i]].g.count;
    fact *f = calloc(total + 1, sizeof *f);
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

static void free_facts(fact *f, size_t n)
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

/* Are views A and B the same counts by shared dimensions? */
static bool linked(const view *views, size_t a, size_t b, const sdc_policy *p)
{
    const view *va = &views[a], *vb = &views[b];
    if (strcmp(va->mkey, vb->mkey) != 0 || va->file == vb->file)
        return false;
    bool shared = false;
    for (size_t d = 0; d < va->g.dims && !shared; d++)
        shared = has_dim(vb, va->dim[d]);
    if (!shared)
        return false;
    size_t idx[2] = {a, b}, nu, n;
    char *u[SDC_GRID_MAX_DIMS] = {0};
    fact *f = make_facts(views, idx, 2, u, &nu, &n);
    if (!f)
        return false;
    size_t common = 0, differing = 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && strcmp(f[j].key, f[i].key) == 0;)
            j++;
        const sdc_cell *pa = NULL, *pb = NULL;
        bool in_a = false, in_b = false;
        for (size_t k = i; k < j; k++) {
            const sdc_cell *c = fact_cell(views, &f[k]);
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
    }
    free_facts(f, n);
    (void)common;
    return differing == 0;
}

/* Names a wide crosstab's column dimension after another view's dimension
 * that holds the same categories. */
static void name_columns(view *views, size_t nv, size_t v)
{
    view *w = &views[v];
    size_t d = w->g.dims - 1;
    for (size_t o = 0; o < nv; o++) {
        if (o == v || strcmp(views[o].mkey, w->mkey) != 0)
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
static int add_views(view **views, size_t *nv, size_t *cap, const char *path, size_t file,
                     const sdc_table *t, const sdc_policy *p)
{
    size_t counts = 0;
    long measure;
    for (size_t k = 0; sdc_grid_measure(t, k, &measure); k++)
        counts += measure >= 0 && t->columns[measure].role == SDC_COL_COUNT;
    for (size_t m = 0; sdc_grid_measure(t, m, &measure); m++) {
        if (*nv == *cap) {
            size_t nc = *cap ? *cap * 2 : 16;
            view *grown = realloc(*views, nc * sizeof *grown);
            if (!grown)
                return -1;
            *views = grown;
            *cap = nc;
        }
        view *v = &(*views)[*nv];
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
static sdc_table *merge(const view *views, const fact *f, size_t nf, char *const *u, size_t nu,
                        bool counts, const sdc_policy *p, size_t *row_first, bool hidden_wins)
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
            const sdc_cell *c = fact_cell(views, &f[k]);
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
            pick = fact_cell(views, &f[i]);
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
            c->text = sdc_protect_marker(p);
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

/* Has R a finding of RULE at LINE and COLUMN already? */
static bool reported(const sdc_file_result *r, const char *rule, long line, const char *column)
{
    for (size_t i = 0; i < r->findings.count; i++) {
        const sdc_finding *f = &r->findings.items[i];
        if (f->line == line && f->column && strcmp(f->column, column) == 0 &&
            strncmp(f->rule, "secondary-", 10) == 0 && (rule == NULL || strcmp(f->rule, rule) == 0))
            return true;
    }
    return false;
}

/* The names of the other files of a group, for messages. */
static void others(sdc_file_result *const *files, const view *views, const size_t *idx, size_t n,
                   size_t self, char *out, size_t size)
{
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t file = views[idx[i]].file;
        bool dup = file == self;
        for (size_t k = 0; k < i && !dup; k++)
            dup = views[idx[k]].file == file;
        if (dup)
            continue;
        int w = snprintf(out + o, size - o, "%s%s", o ? ", " : "", files[file]->path);
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
    }
}

static void report_cell(sdc_file_result *const *files, const view *v, size_t cell, const char *rule,
                        sdc_verdict verdict, const char *what)
{
    const sdc_grid_cell *gc = &v->g.cells[cell];
    sdc_file_result *r = files[v->file];
    const char *column = v->t->columns[gc->col].name;
    long line = v->t->row_line[gc->row];
    if (reported(r, NULL, line, column))
        return; /* the table's own audit said so already */
    char labels[256];
    sdc_table_row_labels(v->t, gc->row, labels, sizeof labels);
    sdc_finding_at at = {
        .line = line,
        .row = labels[0] ? labels : NULL,
        .column = column,
        .value = sdc_table_cell(v->t, gc->row, gc->col)->text,
        .advice = "suppress the same cells in every table that publishes them, and enough "
                  "others in each (linked tables are protected together)"};
    sdc_findings_add(&r->findings, rule, verdict, &at, "%s", what);
}

/* Audits one group of linked views IDX[0..n); adds findings to FILES. */
static int audit_group(const sdc_checker *ck, sdc_file_result *const *files, const view *views,
                       const size_t *idx, size_t n)
{
    const sdc_policy *p = sdc_checker_policy(ck);
    char *u[SDC_GRID_MAX_DIMS] = {0};
    size_t nu, nf;
    fact *f = make_facts(views, idx, n, u, &nu, &nf);
    if (!f)
        return -1;
    size_t *row_first = malloc((nf + 1) * sizeof *row_first);
    bool counts = strcmp(views[idx[0]].mkey, "count") == 0 ||
                  views[idx[0]].t->columns[views[idx[0]].measure].role == SDC_COL_COUNT;
    sdc_table *m = row_first ? merge(views, f, nf, u, nu, counts, p, row_first, false) : NULL;
    if (!m) {
        free(row_first);
        free_facts(f, nf);
        return -1;
    }
    double need = p->protection_width > 0 ? p->protection_width : p->threshold;
    sdc_audit a = {0};
    int rc = sdc_audit_table(m, p, LINK_TIME_LIMIT, need, &a);
    char with[512];
    /* No values fit both tables: they do not count the same people after
     * all (each table's own totals are its own audit's business). */
    if (rc == 0 && !a.inconsistent) {
        /* 1. Hidden in one table, published in another. */
        for (size_t i = 0, j; i < nf; i = j) {
            for (j = i + 1; j < nf && strcmp(f[j].key, f[i].key) == 0;)
                j++;
            const fact *pub = NULL;
            for (size_t k = i; k < j && !pub; k++)
                if (fact_cell(views, &f[k])->kind == SDC_CELL_NUMBER)
                    pub = &f[k];
            for (size_t k = i; k < j && pub; k++) {
                if (fact_cell(views, &f[k])->kind != SDC_CELL_SUPPRESSED ||
                    views[f[k].view].file == views[pub->view].file)
                    continue;
                const view *pv = &views[pub->view];
                const sdc_grid_cell *pg = &pv->g.cells[pub->cell];
                char what[768];
                snprintf(what, sizeof what,
                         "the suppressed cell is published in the linked table %s at line %ld: "
                         "it is %s",
                         files[pv->file]->path, pv->t->row_line[pg->row],
                         fact_cell(views, pub)->text);
                report_cell(files, &views[f[k].view], f[k].cell, "secondary-recoverable", SDC_FAIL,
                            what);
            }
        }
        /* 2. Worked out from the tables together. */
        for (size_t q = 0; q < a.count && !a.inconsistent; q++) {
            const sdc_audit_cell *c = &a.cells[q];
            if (!c->solved)
                continue;
            double width = sdc_audit_width(c);
            bool exact = isfinite(c->hi) && c->hi - c->lo < 1e-9;
            if (!exact && !(isfinite(c->hi) && width < need))
                continue;
            char lo[32], hi[32], what[768];
            sdc_format_number(c->lo, lo, sizeof lo);
            sdc_format_number(c->hi, hi, sizeof hi);
            size_t first = row_first[c->row];
            for (size_t k = first; k < nf && strcmp(f[k].key, f[first].key) == 0; k++) {
                if (fact_cell(views, &f[k])->kind != SDC_CELL_SUPPRESSED)
                    continue;
                others(files, views, idx, n, views[f[k].view].file, with, sizeof with);
                if (exact)
                    snprintf(what, sizeof what,
                             "the suppressed cell can be worked out with the linked tables %s: "
                             "it is %s",
                             with, lo);
                else
                    snprintf(what, sizeof what,
                             "with the linked tables %s, the suppressed cell lies between %s and "
                             "%s, a width of %g (the policy asks for %g)",
                             with, lo, hi, width, need);
                report_cell(files, &views[f[k].view], f[k].cell,
                            exact ? "secondary-recoverable" : "secondary-narrow",
                            exact ? SDC_FAIL : SDC_REVIEW, what);
            }
        }
        /* 3. Each table says which others it was audited with. */
        for (size_t i = 0; i < n; i++) {
            size_t file = views[idx[i]].file;
            bool dup = false;
            for (size_t k = 0; k < i && !dup; k++)
                dup = views[idx[k]].file == file;
            if (dup)
                continue;
            others(files, views, idx, n, file, with, sizeof with);
            char note[768];
            snprintf(note, sizeof note,
                     "shares dimensions and totals with %s: suppressed cells were audited across "
                     "them together%s",
                     with, a.timed_out ? " (the joint audit did not finish in time)" : "");
            bool said = false; /* a table linked again (after --fix) says it once */
            for (size_t k = 0; k < files[file]->findings.count && !said; k++)
                said = strcmp(files[file]->findings.items[k].rule, "linked-tables") == 0 &&
                       strcmp(files[file]->findings.items[k].message, note) == 0;
            sdc_finding_at at = {0};
            if (!said)
                sdc_findings_add(&files[file]->findings, "linked-tables", SDC_PASS, &at, "%s",
                                 note);
        }
    }
    sdc_audit_free(&a);
    sdc_table_free(m);
    free(row_first);
    free_facts(f, nf);
    return rc;
}

static bool candidate(const sdc_file_result *r)
{
    return r->file_class == SDC_CLASS_TABLE && !strchr(r->path, '!') && r->format &&
           (strcmp(r->format, "csv") == 0 || strcmp(r->format, "tsv") == 0) && r->rows > 0 &&
           r->rows * (r->columns ? r->columns : 1) <= LINK_MAX_CELLS;
}

/* The tables of a submission, their views, and which views are linked. */
typedef struct link_set {
    loaded *tables; /* per input: NULL table when not read */
    size_t count;
    view *views;
    size_t nv, cap;
} link_set;

static void link_set_free(link_set *ls)
{
    for (size_t v = 0; v < ls->nv; v++) {
        for (size_t k = 0; k < SDC_GRID_MAX_DIMS; k++)
            free(ls->views[v].dim[k]);
        sdc_grid_free(&ls->views[v].g);
    }
    free(ls->views);
    for (size_t i = 0; ls->tables && i < ls->count; i++) {
        sdc_table_free(ls->tables[i].t);
        sdc_table_spec_free(ls->tables[i].spec);
    }
    free(ls->tables);
    memset(ls, 0, sizeof *ls);
}

/* Reads the candidate tables among FILES (none when there are fewer than
 * two or more than LINK_MAX_TABLES), makes their views and links them. */
static int link_set_build(const sdc_checker *ck, sdc_file_result *const *files, size_t count,
                          link_set *ls)
{
    const sdc_policy *p = sdc_checker_policy(ck);
    memset(ls, 0, sizeof *ls);
    size_t ncand = 0;
    for (size_t i = 0; i < count; i++)
        ncand += candidate(files[i]);
    if (ncand < 2 || ncand > LINK_MAX_TABLES)
        return 0;
    ls->count = count;
    ls->tables = calloc(count + 1, sizeof *ls->tables);
    int rc = ls->tables ? 0 : -1;
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (!candidate(files[i]))
            continue;
        sdc_findings notes = {0};
        int err = 0;
        loaded *l = &ls->tables[i];
        l->t = sdc_checker_read_table(ck, files[i]->path, &l->spec, &notes, &err);
        sdc_findings_free(&notes);
        if (l->t && !l->t->truncated)
            rc = add_views(&ls->views, &ls->nv, &ls->cap, files[i]->path, i, l->t, p);
    }
    view *views = ls->views;
    for (size_t v = 0; v < ls->nv && rc == 0; v++)
        if (views[v].measure < 0)
            name_columns(views, ls->nv, v);
    for (size_t a = 0; a < ls->nv && rc == 0; a++)
        for (size_t b = a + 1; b < ls->nv; b++)
            if (find(views, a) != find(views, b) && linked(views, a, b, p))
                views[find(views, b)].parent = find(views, a);
    return rc;
}

/*
 * The next group of linked views from *ROOT on: its views into IDX, their
 * count returned (0: no more groups), *ROOT left at the group's root. Views
 * of one table are never linked (linked() refuses them, and each measure
 * of a table is a different thing), so a group spans two tables or more.
 */
static size_t next_group(link_set *ls, size_t *root, size_t *idx)
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

static bool group_hides(const link_set *ls, const size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const view *v = &ls->views[idx[i]];
        for (size_t c = 0; c < v->g.count; c++) {
            const sdc_grid_cell *gc = &v->g.cells[c];
            if (sdc_table_cell(v->t, gc->row, gc->col)->kind == SDC_CELL_SUPPRESSED)
                return true;
        }
    }
    return false;
}

int sdc_link_tables(const sdc_checker *ck, sdc_file_result *const *files, size_t count)
{
    /* Nothing hidden anywhere: nothing to undo, and no table to read again. */
    bool hidden = false;
    for (size_t i = 0; i < count && !hidden; i++)
        hidden = candidate(files[i]) && files[i]->suppressed > 0;
    if (!hidden)
        return 0;
    link_set ls;
    int rc = link_set_build(ck, files, count, &ls);
    size_t *idx = rc == 0 && ls.nv ? malloc(ls.nv * sizeof *idx) : NULL;
    if (rc == 0 && ls.nv && !idx)
        rc = -1;
    for (size_t root = 0, n; rc == 0 && idx && (n = next_group(&ls, &root, idx)); root++)
        if (group_hides(&ls, idx, n))
            rc = audit_group(ck, files, ls.views, idx, n);
    free(idx);
    for (size_t i = 0; ls.tables && i < count; i++)
        if (candidate(files[i]))
            pipeline_finish(ck, files[i]);
    link_set_free(&ls);
    return rc;
}

int sdc_check_linked(const sdc_checker *ck, sdc_file_result *const *files, size_t count)
{
    return sdc_link_tables(ck, files, count);
}

/* Protects one group jointly: see sdc_protect_linked. */
static int protect_group(const sdc_checker *ck, const sdc_id_scanner *scanner, link_set *ls,
                         const size_t *idx, size_t n, sdc_suppress_mode mode, sdc_linked_fix *out)
{
    const sdc_policy *p = sdc_checker_policy(ck);
    const char *marker = sdc_protect_marker(p);
    /* 1. Each table's own primary suppressions. */
    for (size_t i = 0; i < n; i++) {
        size_t file = ls->views[idx[i]].file;
        if (out[file].table)
            continue;
        out[file].table = ls->tables[file].t;
        out[file].spec = ls->tables[file].spec;
        ls->tables[file].t = NULL; /* handed over */
        ls->tables[file].spec = NULL;
        out[file].result.primary = sdc_protect_primary(out[file].table, p, scanner);
    }
    /* 2. The group as one table, a cell hidden if any table hides it, with
     * the true values kept for the suppression to weigh. */
    char *u[SDC_GRID_MAX_DIMS] = {0};
    size_t nu, nf;
    fact *f = make_facts(ls->views, idx, n, u, &nu, &nf);
    size_t *row_first = f ? malloc((nf + 1) * sizeof *row_first) : NULL;
    const view *v0 = &ls->views[idx[0]];
    bool counts = v0->measure < 0 || v0->t->columns[v0->measure].role == SDC_COL_COUNT;
    sdc_table *m = row_first ? merge(ls->views, f, nf, u, nu, counts, p, row_first, true) : NULL;
    int rc = m ? 0 : -1;
    sdc_protect_result res = {0};
    if (rc == 0)
        rc = sdc_table_protect_mode(m, p, scanner, mode, 30, &res);
    /* 3. What the group hides, each table hides. */
    for (size_t r = 0; rc == 0 && r < m->nrows; r++) {
        if (sdc_table_cell(m, r, nu)->kind != SDC_CELL_SUPPRESSED)
            continue;
        size_t first = row_first[r];
        for (size_t k = first; k < nf && strcmp(f[k].key, f[first].key) == 0; k++) {
            const view *v = &ls->views[f[k].view];
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
        free_facts(f, nf);
    return rc;
}

int sdc_protect_linked(const sdc_checker *ck, const sdc_id_scanner *scanner,
                       sdc_file_result *const *files, size_t count, sdc_suppress_mode mode,
                       sdc_linked_fix *out)
{
    memset(out, 0, count * sizeof *out);
    link_set ls;
    int rc = link_set_build(ck, files, count, &ls);
    size_t *idx = rc == 0 && ls.nv ? malloc(ls.nv * sizeof *idx) : NULL;
    if (rc == 0 && ls.nv && !idx)
        rc = -1;
    for (size_t root = 0, n; rc == 0 && idx && (n = next_group(&ls, &root, idx)); root++)
        rc = protect_group(ck, scanner, &ls, idx, n, mode, out);
    free(idx);
    /* The views point into tables handed over: free the views first. */
    link_set_free(&ls);
    if (rc < 0)
        for (size_t i = 0; i < count; i++) {
            sdc_table_free(out[i].table);
            sdc_table_spec_free(out[i].spec);
            memset(&out[i], 0, sizeof out[i]);
        }
    return rc;
}
