/*
 * linked_audit.c - the tables of one submission audited together
 * (doc/design.md, "Linked tables").
 *
 * Each group of linked views (audit/link.h) becomes one long table, every
 * common cell once (published if any view publishes it), and that table is
 * audited; if no values fit it, the tables were not about the same people
 * after all, and nothing is reported. What the group gives away, and no
 * single table did, is reported in the table that hides the cell; every
 * linked table gets a `linked-tables` note naming the others.
 *
 * A released table (check --ledger) is fixed: what the group gives away
 * in it is the new tables' doing, so it is reported there instead, on the
 * new cell that publishes it, else on each new table of the group, with
 * the released cell's labels.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/link.h"
#include "rules/rules.h"

#define LINK_TIME_LIMIT 30.0

/* Has FINDINGS a secondary finding (of RULE, or any) at LINE and COLUMN? */
static bool reported(const sdc_findings *findings, const char *rule, long line, const char *column)
{
    for (size_t i = 0; i < findings->count; i++) {
        const sdc_finding *f = &findings->items[i];
        if (f->line == line && f->column && strcmp(f->column, column) == 0 &&
            strncmp(f->rule, "secondary-", 10) == 0 && (rule == NULL || strcmp(f->rule, rule) == 0))
            return true;
    }
    return false;
}

/* One group being audited: its views, facts and merged table. */
typedef struct group {
    const sdc_linked_table *tables;
    const sdc_link_view *views;
    const size_t *idx;
    size_t n;
    sdc_link_fact *f;
    size_t nf;
    size_t *row_first;
    double need;
} group;

/* The names of the other tables of the group than SELF, for messages. */
static void others(const group *g, size_t self, char *out, size_t size)
{
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < g->n; i++) {
        size_t file = g->views[g->idx[i]].file;
        bool dup = file == self;
        for (size_t k = 0; k < i && !dup; k++)
            dup = g->views[g->idx[k]].file == file;
        if (dup)
            continue;
        int w = snprintf(out + o, size - o, "%s%s", o ? ", " : "", g->tables[file].path);
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
    }
}

static void report_cell(const group *g, const sdc_link_fact *fact, const char *rule,
                        sdc_verdict verdict, const char *what)
{
    const sdc_link_view *v = &g->views[fact->view];
    const sdc_grid_cell *gc = &v->g.cells[fact->cell];
    sdc_findings *findings = g->tables[v->file].findings;
    const char *column = v->t->columns[gc->col].name;
    long line = v->t->row_line[gc->row];
    if (reported(findings, NULL, line, column))
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
    sdc_findings_add(findings, rule, verdict, &at, "%s", what);
}

static bool is_released(const group *g, const sdc_link_fact *fact)
{
    return g->tables[g->views[fact->view].file].released;
}

/* The labels of a fact's cell, for a message: its row's labels, and a
 * crosstab's column. */
static void cell_labels(const group *g, const sdc_link_fact *fact, char *out, size_t size)
{
    const sdc_link_view *v = &g->views[fact->view];
    const sdc_grid_cell *gc = &v->g.cells[fact->cell];
    sdc_table_row_labels(v->t, gc->row, out, size);
    size_t used = strlen(out);
    if (v->measure < 0 && used + 3 < size)
        snprintf(out + used, size - used, " / %s", v->t->columns[gc->col].name);
}

/* A released cell given away: reported in each new table of the group
 * (the published cell AT when there is one: the new table publishing
 * it). */
static void report_released(const group *g, const sdc_link_fact *hidden, const sdc_link_fact *at,
                            sdc_verdict verdict, const char *rule, const char *what)
{
    for (size_t i = 0; i < g->n; i++) {
        size_t file = g->views[g->idx[i]].file;
        bool dup = g->tables[file].released || (at && g->views[at->view].file != file);
        for (size_t k = 0; k < i && !dup; k++)
            dup = g->views[g->idx[k]].file == file;
        if (dup)
            continue;
        if (at) {
            report_cell(g, at, rule, verdict, what);
            continue;
        }
        sdc_finding_at loc = {
            .advice = "suppress the cells the release suppressed, and enough others, in this "
                      "table too (a table released earlier is audited with the new ones)"};
        sdc_findings_add(g->tables[file].findings, rule, verdict, &loc, "%s", what);
    }
    (void)hidden;
}

/* 1. Hidden in one table, published in another. */
static void published_elsewhere(const group *g)
{
    const sdc_link_fact *f = g->f;
    for (size_t i = 0, j; i < g->nf; i = j) {
        for (j = i + 1; j < g->nf && strcmp(f[j].key, f[i].key) == 0;)
            j++;
        const sdc_link_fact *pub = NULL, *pub_new = NULL;
        for (size_t k = i; k < j; k++)
            if (sdc_link_fact_cell(g->views, &f[k])->kind == SDC_CELL_NUMBER) {
                pub = pub ? pub : &f[k];
                pub_new = pub_new || is_released(g, &f[k]) ? pub_new : &f[k];
            }
        for (size_t k = i; k < j && pub; k++) {
            if (sdc_link_fact_cell(g->views, &f[k])->kind != SDC_CELL_SUPPRESSED ||
                g->views[f[k].view].file == g->views[pub->view].file)
                continue;
            const sdc_link_view *pv = &g->views[pub->view];
            const sdc_grid_cell *pg = &pv->g.cells[pub->cell];
            char what[1024], labels[256];
            if (is_released(g, &f[k])) {
                /* The release hid it; a new table publishing it gives it away. */
                if (!pub_new)
                    continue;
                cell_labels(g, &f[k], labels, sizeof labels);
                snprintf(what, sizeof what,
                         "the cell is published here but was suppressed in the released table "
                         "%s (%s): publishing it gives that cell away",
                         g->tables[g->views[f[k].view].file].path, labels);
                report_released(g, &f[k], pub_new, SDC_FAIL, "secondary-recoverable", what);
            } else if (g->tables[pv->file].released) {
                snprintf(what, sizeof what,
                         "the suppressed cell was published in the released table %s: it is %s",
                         g->tables[pv->file].path, sdc_link_fact_cell(g->views, pub)->text);
                report_cell(g, &f[k], "secondary-recoverable", SDC_FAIL, what);
            } else {
                snprintf(what, sizeof what,
                         "the suppressed cell is published in the linked table %s at line %ld: "
                         "it is %s",
                         g->tables[pv->file].path, pv->t->row_line[pg->row],
                         sdc_link_fact_cell(g->views, pub)->text);
                report_cell(g, &f[k], "secondary-recoverable", SDC_FAIL, what);
            }
        }
    }
}

/* 2. Worked out from the tables together: the merged table's audit. */
static void worked_out(const group *g, const sdc_audit *a)
{
    const sdc_link_fact *f = g->f;
    char with[512];
    for (size_t q = 0; q < a->count && !a->inconsistent; q++) {
        const sdc_audit_cell *c = &a->cells[q];
        sdc_audit_status status = sdc_audit_judge(c, g->need);
        if (status != SDC_AUDIT_RECOVERABLE && status != SDC_AUDIT_NARROW)
            continue;
        bool exact = status == SDC_AUDIT_RECOVERABLE;
        char lo[32], hi[32], what[768];
        sdc_number_format(c->lo, lo, sizeof lo);
        sdc_number_format(c->hi, hi, sizeof hi);
        size_t first = g->row_first[c->row];
        /* Hidden in a new table: reported there; hidden only in released
         * ones: reported in the new tables that give it away. */
        const sdc_link_fact *released = NULL;
        bool hidden_new = false;
        for (size_t k = first; k < g->nf && strcmp(f[k].key, f[first].key) == 0; k++)
            if (sdc_link_fact_cell(g->views, &f[k])->kind == SDC_CELL_SUPPRESSED) {
                hidden_new |= !is_released(g, &f[k]);
                released = released || !is_released(g, &f[k]) ? released : &f[k];
            }
        if (!hidden_new && released) {
            char labels[256];
            cell_labels(g, released, labels, sizeof labels);
            if (exact)
                snprintf(what, sizeof what,
                         "with this table, the suppressed cell %s of the released table %s "
                         "can be worked out: it is %s",
                         labels, g->tables[g->views[released->view].file].path, lo);
            else
                snprintf(what, sizeof what,
                         "with this table, the suppressed cell %s of the released table %s lies "
                         "between %s and %s, a width of %g (the policy asks for %g)",
                         labels, g->tables[g->views[released->view].file].path, lo, hi,
                         sdc_audit_width(c), g->need);
            report_released(g, released, NULL, exact ? SDC_FAIL : SDC_REVIEW,
                            exact ? "secondary-recoverable" : "secondary-narrow", what);
            continue;
        }
        for (size_t k = first; k < g->nf && strcmp(f[k].key, f[first].key) == 0; k++) {
            if (sdc_link_fact_cell(g->views, &f[k])->kind != SDC_CELL_SUPPRESSED ||
                is_released(g, &f[k]))
                continue;
            others(g, g->views[f[k].view].file, with, sizeof with);
            if (exact)
                snprintf(what, sizeof what,
                         "the suppressed cell can be worked out with the linked tables %s: "
                         "it is %s",
                         with, lo);
            else
                snprintf(what, sizeof what,
                         "with the linked tables %s, the suppressed cell lies between %s and "
                         "%s, a width of %g (the policy asks for %g)",
                         with, lo, hi, sdc_audit_width(c), g->need);
            report_cell(g, &f[k], exact ? "secondary-recoverable" : "secondary-narrow",
                        exact ? SDC_FAIL : SDC_REVIEW, what);
        }
    }
}

/* 3. Each new table says which others it was audited with (once: a table
 * linked again after --fix says it once); LEFT_OUT released tables joined
 * the group past the limit and were not audited with it (review). */
static void note_links(const group *g, bool timed_out, size_t left_out)
{
    char with[512], note[768];
    for (size_t i = 0; i < g->n; i++) {
        size_t file = g->views[g->idx[i]].file;
        bool dup = g->tables[file].released;
        for (size_t k = 0; k < i && !dup; k++)
            dup = g->views[g->idx[k]].file == file;
        if (dup)
            continue;
        others(g, file, with, sizeof with);
        snprintf(note, sizeof note,
                 "shares dimensions and totals with %s: suppressed cells were audited across "
                 "them together%s",
                 with, timed_out ? " (the joint audit did not finish in time)" : "");
        sdc_findings *findings = g->tables[file].findings;
        bool said = false;
        for (size_t k = 0; k < findings->count && !said; k++)
            said = strcmp(findings->items[k].rule, "linked-tables") == 0 &&
                   strcmp(findings->items[k].message, note) == 0;
        sdc_finding_at at = {0};
        if (!said)
            sdc_findings_add(findings, "linked-tables", SDC_PASS, &at, "%s", note);
        if (left_out) {
            at.advice = "audit the new tables with the released ones by hand, or release them "
                        "in smaller groups";
            sdc_findings_add(findings, "linked-tables", SDC_REVIEW, &at,
                             "%zu more released table view%s share%s dimensions and totals "
                             "with it, past the %d that are audited together: not audited",
                             left_out, left_out == 1 ? "" : "s", left_out == 1 ? "s" : "",
                             SDC_LINK_MAX_TABLES);
        }
    }
}

/* Audits one group of linked views IDX[0..n); adds findings to TABLES. */
static int audit_group(const sdc_linked_table *tables, const sdc_policy *p,
                       const sdc_link_view *views, const size_t *idx, size_t n, size_t left_out)
{
    group g = {.tables = tables, .views = views, .idx = idx, .n = n, .need = sdc_audit_need(p)};
    char *u[SDC_GRID_MAX_DIMS] = {0};
    size_t nu;
    g.f = sdc_link_facts(views, idx, n, u, &nu, &g.nf);
    if (!g.f)
        return -1;
    g.row_first = malloc((g.nf + 1) * sizeof *g.row_first);
    const sdc_link_view *v0 = &views[idx[0]];
    bool counts =
        strcmp(v0->mkey, "count") == 0 || v0->t->columns[v0->measure].role == SDC_COL_COUNT;
    sdc_table *m =
        g.row_first ? sdc_link_merge(views, g.f, g.nf, u, nu, counts, p, g.row_first, false) : NULL;
    int rc = m ? 0 : -1;
    sdc_audit a = {0};
    if (rc == 0)
        rc = sdc_audit_table(m, p, LINK_TIME_LIMIT, g.need, &a);
    /* No values fit both tables: they do not count the same people after
     * all (each table's own totals are its own audit's business). */
    if (rc == 0 && !a.inconsistent) {
        published_elsewhere(&g);
        worked_out(&g, &a);
        note_links(&g, a.timed_out, left_out);
    }
    sdc_audit_free(&a);
    sdc_table_free(m);
    free(g.row_first);
    sdc_link_facts_free(g.f, g.nf);
    return rc;
}

typedef struct audit_ctx {
    const sdc_linked_table *tables;
    const sdc_policy *p;
} audit_ctx;

/* A group that hides a cell is audited; one that hides none has nothing
 * to give away. */
static int audit_if_hiding(void *ctx, sdc_link_set *ls, const size_t *idx, size_t n)
{
    const audit_ctx *a = ctx;
    size_t left_out = 0;
    for (size_t v = 0; v < ls->nv && ls->released_left_out; v++)
        left_out += ls->views[v].left_out_of != (size_t)-1 &&
                    sdc_link_root(ls, ls->views[v].left_out_of) == sdc_link_root(ls, idx[0]);
    return sdc_link_group_hides(ls, idx, n)
               ? audit_group(a->tables, a->p, ls->views, idx, n, left_out)
               : 0;
}

int sdc_audit_linked(const sdc_linked_table *tables, size_t count, const sdc_policy *p)
{
    audit_ctx a = {tables, p};
    bool linked = false;
    int rc = sdc_link_each_group(tables, count, p, audit_if_hiding, &a, &linked);
    return rc < 0 ? SDC_ENOMEM : linked ? 1 : 0;
}
