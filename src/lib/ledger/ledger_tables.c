/*
 * ledger_tables.c - the tables of a release recorded cell by cell
 * (sdccheck-ledger(5), version 2's tables), for the audit of new tables
 * against released ones (ledger_source.c).
 *
 * Each released file that is a table the linked audit can use (CSV or
 * TSV on disk, up to SDC_LINK_MAX_CELLS cells) is checked again with the
 * library's own walk, inside the release's transaction: one read that
 * hashes the bytes and lays out the table, as `check` did, so what is
 * recorded is the table with the SHA-256 being released (a file changed
 * since it was rehashed is refused). Its measures become cells keyed by
 * their dimensions' categories, as the linked audit sees them
 * (src/lib/audit/link.c): label columns by name, a wide crosstab's
 * columns as one more dimension with an empty name (named, when linked,
 * after a new table's dimension holding the same categories). A
 * suppressed cell is an unknown with the bounds its marker gives (`<10`
 * is [0, 9], a plain marker [0, unbounded)).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "ledger/ledger_internal.h"
#include "table/grid.h"

/* Categories of one dimension, by first appearance. */
typedef struct category {
    const char *label;
    bool total;
} category;

typedef struct dim_cats {
    category *items;
    size_t count, cap;
} dim_cats;

static long category_of(dim_cats *d, const char *label, bool total)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].total == total && strcmp(d->items[i].label, label) == 0)
            return (long)i;
    if (SDC_VEC_RESERVE(d->items, d->cap, d->count + 1) < 0)
        return -1;
    d->items[d->count] = (category){label, total};
    return (long)d->count++;
}

typedef struct recorder {
    sqlite3_stmt *dim, *cat, *cell, *measure;
} recorder;

static bool step_done(sqlite3_stmt *s)
{
    bool ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return ok;
}

/* The label columns of T as dimension names; false when the table is not
 * one the linked audit takes (levels within a column, no label). */
static bool dimension_names(const sdc_table *t, const char **names, size_t *n)
{
    *n = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        const sdc_column *col = &t->columns[c];
        if (col->role != SDC_COL_LABEL || col->is_index)
            continue;
        if (sdc_table_spec_has_levels(t->spec, col->name) || *n >= SDC_GRID_MAX_DIMS - 1)
            return false;
        names[(*n)++] = col->name;
    }
    return true;
}

/* Records one measure's grid G as cells of measure M. */
static int record_cells(recorder *r, long long id, const sdc_table *t, const sdc_grid *g, size_t m,
                        dim_cats *cats)
{
    char coords[SDC_GRID_MAX_DIMS * 12 + 16];
    for (size_t i = 0; i < g->count; i++) {
        const sdc_grid_cell *gc = &g->cells[i];
        size_t o = 0;
        bool total = false;
        for (size_t d = 0; d < g->dims; d++) {
            long k = category_of(&cats[d], gc->coord[d], gc->coord_total[d]);
            if (k < 0)
                return SDC_ENOMEM;
            total |= gc->coord_total[d];
            o += (size_t)snprintf(coords + o, sizeof coords - o, "%s%ld", d ? "," : "", k);
        }
        snprintf(coords + o, sizeof coords - o, ";%zu", m);
        const sdc_cell *c = sdc_table_cell(t, gc->row, gc->col);
        sqlite3_bind_int64(r->cell, 1, id);
        sqlite3_bind_text(r->cell, 2, coords, -1, SQLITE_TRANSIENT);
        if (c->kind == SDC_CELL_NUMBER)
            sqlite3_bind_double(r->cell, 3, c->number);
        sqlite3_bind_int(r->cell, 4, c->kind == SDC_CELL_SUPPRESSED);
        if (c->kind == SDC_CELL_SUPPRESSED) {
            sqlite3_bind_double(r->cell, 5, 0);
            if (c->bound_hi >= 0)
                sqlite3_bind_double(r->cell, 6, c->bound_hi);
        }
        sqlite3_bind_int(r->cell, 7, total);
        if (!step_done(r->cell))
            return SDC_EIO;
    }
    return SDC_OK;
}

/* Records table T as released table ID: its dimensions, categories,
 * measures and cells. */
static int record_table(recorder *r, long long id, const sdc_table *t, const sdc_policy *p)
{
    const char *names[SDC_GRID_MAX_DIMS];
    size_t nd;
    if (!dimension_names(t, names, &nd))
        return SDC_OK; /* kept as a file, not as cells */
    dim_cats cats[SDC_GRID_MAX_DIMS] = {{0}};
    json_t *measures = json_array();
    int rc = measures ? SDC_OK : SDC_ENOMEM;
    size_t dims = 0, m = 0;
    long measure;
    for (size_t at = 0; rc == SDC_OK && sdc_grid_next_measure(t, &at, &measure); m++) {
        sdc_grid g = {0};
        if (sdc_grid_build(t, p, measure, &g) < 0) {
            rc = SDC_ENOMEM;
            break;
        }
        /* A wide crosstab's columns are one more dimension. */
        if (g.dims != nd + (measure < 0) || g.dims == 0) {
            sdc_grid_free(&g);
            m--;
            continue;
        }
        dims = g.dims;
        bool count = measure < 0 || t->columns[measure].role == SDC_COL_COUNT;
        json_t *o = json_pack("{s:s?,s:s}", "column", measure < 0 ? NULL : t->columns[measure].name,
                              "role", count ? "count" : "magnitude");
        if (!o || json_array_append_new(measures, o) != 0)
            rc = SDC_ENOMEM;
        if (rc == SDC_OK)
            rc = record_cells(r, id, t, &g, m, cats);
        sdc_grid_free(&g);
    }
    for (size_t d = 0; rc == SDC_OK && d < dims; d++) {
        sqlite3_bind_int64(r->dim, 1, id);
        sqlite3_bind_int64(r->dim, 2, (long long)d);
        sqlite3_bind_text(r->dim, 3, d < nd ? names[d] : "", -1, SQLITE_TRANSIENT);
        if (!step_done(r->dim))
            rc = SDC_EIO;
        for (size_t k = 0; rc == SDC_OK && k < cats[d].count; k++) {
            sqlite3_bind_int64(r->cat, 1, id);
            sqlite3_bind_int64(r->cat, 2, (long long)d);
            sqlite3_bind_int64(r->cat, 3, (long long)k);
            sqlite3_bind_text(r->cat, 4, cats[d].items[k].label, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(r->cat, 5, cats[d].items[k].total);
            if (!step_done(r->cat))
                rc = SDC_EIO;
        }
    }
    char *text = rc == SDC_OK && m > 0 ? json_dumps(measures, JSON_COMPACT) : NULL;
    if (rc == SDC_OK && m > 0) {
        sqlite3_bind_text(r->measure, 1, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(r->measure, 2, id);
        rc = !text ? SDC_ENOMEM : step_done(r->measure) ? SDC_OK : SDC_EIO;
    }
    free(text);
    json_decref(measures);
    for (size_t d = 0; d < SDC_GRID_MAX_DIMS; d++)
        free(cats[d].items);
    return rc;
}

/* Checks the file of released table ID again and records its table. */
static int record_file(recorder *r, const sdc_checker *ck, long long id, const char *path,
                       const char *sha256, const sdc_policy *p, sdc_status *st)
{
    sdc_file_result res;
    if (sdc_check_file(ck, path, path, &res) < 0)
        return sdc_status_set(st, SDC_ENOMEM, "%s: out of memory", path);
    int rc = SDC_OK;
    if (strcmp(res.sha256, sha256) != 0)
        rc = sdc_status_set(st, SDC_EINVAL,
                            "%s: changed while it was released (SHA-256 %s, the report has %s): "
                            "refused; check it again",
                            path, res.sha256[0] ? res.sha256 : "none", sha256);
    else if (res.table)
        rc = record_table(r, id, res.table, p);
    if (rc == SDC_ENOMEM)
        sdc_status_set(st, rc, "%s: out of memory", path);
    sdc_file_result_free(&res);
    return rc;
}

int sdc_ledger_record_tables(sdc_ledger *l, long long release, const sdc_policy *p, sdc_status *st)
{
    recorder r = {0};
    sqlite3_stmt *files = NULL;
    sdc_checker *ck = sdc_checker_new(p, st);
    if (!ck)
        return st && st->code ? st->code : SDC_ENOMEM;
    int rc = SDC_OK;
    if (sqlite3_prepare_v2(l->db,
                           "SELECT t.id, f.path, f.sha256 FROM file f JOIN released_table t ON "
                           "t.file_id = f.id WHERE f.release_id = ? AND f.container IS NULL AND "
                           "f.format IN ('csv', 'tsv') ORDER BY f.id",
                           -1, &files, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(l->db,
                           "INSERT INTO table_dimension (table_id, position, name) "
                           "VALUES (?, ?, ?)",
                           -1, &r.dim, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(l->db,
                           "INSERT INTO dimension_category (table_id, position, ordinal, "
                           "label, is_total) VALUES (?, ?, ?, ?, ?)",
                           -1, &r.cat, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(l->db,
                           "INSERT OR IGNORE INTO table_cell (table_id, coordinates, value, "
                           "suppressed, lower, upper, is_total) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           -1, &r.cell, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(l->db, "UPDATE released_table SET measure = ? WHERE id = ?", -1,
                           &r.measure, NULL) != SQLITE_OK)
        rc = SDC_EIO;
    if (rc == SDC_OK)
        sqlite3_bind_int64(files, 1, release);
    int step = SQLITE_DONE;
    while (rc == SDC_OK && (step = sqlite3_step(files)) == SQLITE_ROW)
        rc = record_file(&r, ck, sqlite3_column_int64(files, 0),
                         (const char *)sqlite3_column_text(files, 1),
                         (const char *)sqlite3_column_text(files, 2), p, st);
    if (rc == SDC_OK && step != SQLITE_DONE)
        rc = SDC_EIO;
    sqlite3_finalize(files);
    sqlite3_finalize(r.dim);
    sqlite3_finalize(r.cat);
    sqlite3_finalize(r.cell);
    sqlite3_finalize(r.measure);
    sdc_checker_free(ck);
    return rc;
}
