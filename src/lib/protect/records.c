/*
 * records.c - a safe table from records: `sdccheck protect`
 * (doc/design.md, "Safe tables from microdata").
 *
 * The records are streamed once into the table of the dimensions asked
 * for with every margin (aggregate.c); declared hierarchies (a sidecar
 * beside the records, else the --table-spec declaration for them) say
 * which dimensions nest, so that margins repeating a child are not built,
 * and which columns hold levels (England: [North, South]), whose subtotal
 * rows are built beside their children. The table keeps the declaration,
 * so that its suppression uses every level's equations, as check does.
 * Then counts are rounded when asked (the audit allows each total its
 * rounding error, and only what rounding cannot protect is suppressed) and
 * the table is protected: primary, then complementary suppression.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdccheck/protect.h"
#include "sdccheck/spec.h"
#include "table/grid.h"

/* The declaration for the records at PATH (a sidecar beside them, else
 * REQ's --table-spec entry; NULL when there is none) into *DECLARED, and
 * PARENT[b]: the index in BY of the column BY[b] rolls up to, or -1.
 * Returns 0, or a code with ST. */
static int declared_hierarchies(const char *path, const sdc_protect_request *req,
                                sdc_table_spec **declared, int *parent, sdc_status *st)
{
    sdc_status why = {0};
    char *sidecar = sdc_sidecar_path(path);
    *declared = NULL;
    if (sidecar)
        *declared = sdc_table_spec_load(sidecar, &why);
    else if (req->table_spec)
        *declared = sdc_table_spec_for(req->table_spec, path, &why);
    free(sidecar);
    if (why.code)
        return sdc_status_set(st, why.code, "%s", why.message);
    for (size_t b = 0; b < req->nby; b++) {
        const char *up = sdc_table_spec_parent_column(*declared, req->by[b]);
        parent[b] = -1;
        for (size_t k = 0; up && k < req->nby; k++)
            if (strcmp(req->by[k], up) == 0)
                parent[b] = (int)k;
    }
    return 0;
}

/* Says in OUT which labels of T's columns with levels are in no declared
 * map: they are top-level categories, which a misspelt label would
 * silently become. */
static void note_unmapped(const sdc_table *t, const sdc_table_spec *declared,
                          const sdc_protect_request *req, const char *total,
                          sdc_protect_outcome *out)
{
    for (size_t b = 0; b < req->nby && !out->unmapped_note[0]; b++) {
        if (!sdc_table_spec_has_levels(declared, req->by[b]))
            continue;
        const char *first = NULL;
        size_t others = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            const char *label = sdc_table_cell(t, r, b)->text;
            if (strcmp(label, total) == 0 ||
                sdc_table_spec_parent_label(declared, req->by[b], label) ||
                sdc_table_spec_label_has_children(declared, req->by[b], label))
                continue;
            if (!first)
                first = label;
            else if (strcmp(label, first) != 0)
                others++;
        }
        if (first)
            snprintf(out->unmapped_note, sizeof out->unmapped_note,
                     "%s '%.80s'%s is in no declared level: a top-level category, added to the "
                     "total only",
                     req->by[b], first, others ? " (and other labels)" : "");
    }
}

/* The count column's lines that do not add up, as found so far. */
typedef struct unit_lines {
    const sdc_table *t;
    size_t lines;    /* lines whose total is not the sum of its parts */
    char first[240]; /* the first of them, in words */
} unit_lines;

static double count_of(const sdc_table *t, const sdc_grid_cell *c)
{
    return sdc_table_cell(t, c->row, c->col)->number;
}

/* One line IDX[0..n) of the count column's grid G, along D. */
static void on_count_line(void *ctx, const sdc_grid *g, const size_t *idx, size_t n, size_t d)
{
    unit_lines *u = ctx;
    const sdc_grid_cell *total = NULL;
    double sum = 0;
    size_t parts = 0;
    for (size_t i = 0; i < n; i++) {
        if (g->totals[idx[i] * g->dims + d]) {
            if (!total)
                total = &g->cells[idx[i]];
            continue;
        }
        sum += count_of(u->t, &g->cells[idx[i]]);
        parts++;
    }
    /* Counts are whole numbers well below 2^53: the sums are exact. */
    if (!total || parts == 0 || count_of(u->t, total) == sum)
        return;
    if (u->lines++ > 0)
        return; /* counted; the first is described */
    /* named by its row's labels (grid coordinates split levels) */
    char name[160];
    sdc_table_row_labels(u->t, total->row, name, sizeof name);
    snprintf(u->first, sizeof u->first, "%s counts %.0f where its %zu parts sum to %.0f", name,
             count_of(u->t, total), parts, sum);
}

/* Counts of distinct units add up only when no unit has records in two
 * categories of one line: their margin counts such a unit once, its parts
 * once each. Says in OUT how many lines of T's count column (the one after
 * the NBY label columns) do not add up, and the first. Returns 0 or -1
 * when out of memory. */
static int note_unit_lines(const sdc_table *t, const sdc_policy *policy, size_t nby,
                           sdc_protect_outcome *out)
{
    sdc_grid g = {0};
    unit_lines u = {.t = t};
    int rc = sdc_grid_build(t, policy, (long)nby, &g);
    if (rc == 0)
        rc = sdc_grid_lines(&g, on_count_line, &u);
    sdc_grid_free(&g);
    out->unit_lines = u.lines;
    if (u.lines)
        snprintf(out->unit_lines_note, sizeof out->unit_lines_note,
                 "the counts of distinct units do not add up on %zu line%s (first: %s): a "
                 "unit with records in several categories counts once in their margin, so "
                 "`check` will ask for review (totals-mismatch); give each unit one category "
                 "of each column for totals that add up",
                 u.lines, u.lines == 1 ? "" : "s", u.first);
    return rc;
}

int sdc_protect_records(const char *path, const sdc_policy *policy, const sdc_protect_request *req,
                        sdc_protect_outcome *out, sdc_status *st)
{
    memset(out, 0, sizeof *out);
    int parent[SDC_PROTECT_MAX_BY];
    if (req->nby == 0 || req->nby > SDC_PROTECT_MAX_BY)
        return sdc_status_set(st, SDC_EINVAL, "name 1 to %d columns to tabulate by",
                              SDC_PROTECT_MAX_BY);
    /* Twice the same column would be a table crossed with itself: every
     * cell off its diagonal empty, and two columns of one name. */
    for (size_t b = 0; b < req->nby; b++)
        for (size_t c = 0; c < b; c++)
            if (strcmp(req->by[b], req->by[c]) == 0)
                return sdc_status_set(st, SDC_EINVAL, "--by names '%s' twice", req->by[b]);
    sdc_table_spec *declared = NULL;
    int rc = declared_hierarchies(path, req, &declared, parent, st);
    if (rc < 0)
        return rc;
    sdc_aggregate_spec spec = {.by = req->by,
                               .nby = req->nby,
                               .value = req->value,
                               .unit = req->unit,
                               .parent = parent,
                               .levels = declared};
    sdc_status why = {0};
    sdc_table *t = sdc_aggregate_file(path, policy, &spec, &why);
    if (!t) {
        sdc_table_spec_free(declared);
        return sdc_status_set(st, why.code ? why.code : SDC_ENOMEM, "%s: %s", path,
                              why.code ? why.message : "out of memory");
    }
    /* The suppression reads the hierarchies as check will: every level's
     * equations. */
    t->spec = declared;
    out->table = t;
    out->declared = declared;
    for (size_t b = 0; b < req->nby; b++)
        out->has_levels |= sdc_table_spec_has_levels(declared, req->by[b]);
    note_unmapped(t, declared, req,
                  policy->total_labels.count ? policy->total_labels.items[0] : "Total", out);
    if (req->unit && note_unit_lines(t, policy, req->nby, out) < 0) {
        sdc_protect_outcome_free(out);
        return sdc_status_set(st, SDC_ENOMEM, "out of memory adding up the table");
    }
    sdc_policy rounded = *policy; /* shallow: read-only, never freed */
    if (req->round_counts) {
        /* The policy's base, 5 when it sets none. */
        if (rounded.rounding_base <= 0)
            rounded.rounding_base = 5;
        out->rounding_base = rounded.rounding_base;
        out->rounded = sdc_table_round_counts(t, rounded.rounding_base, rounded.rounding_mode);
    }
    sdc_id_scanner *scanner = sdc_id_scanner_new(policy, NULL);
    rc = scanner ? sdc_table_protect_mode(t, req->round_counts ? &rounded : policy, scanner,
                                          req->mode, req->time_limit, &out->result)
                 : SDC_ENOMEM;
    sdc_id_scanner_free(scanner);
    if (rc < 0) {
        sdc_protect_outcome_free(out);
        return sdc_status_set(st, SDC_ENOMEM, "out of memory protecting the table");
    }
    return SDC_OK;
}

void sdc_protect_outcome_free(sdc_protect_outcome *out)
{
    sdc_table_free(out->table);
    sdc_table_spec_free(out->declared);
    out->table = NULL;
    out->declared = NULL;
}
