/*
 * ledger_source.c - a ledger as the checker's source of releases
 * (sdc_release_source in check.h; sdccheck check --ledger).
 *
 * The released tables that share a dimension with the new ones are found
 * through the index on dimension names (dimension_by_name), newest release
 * first, and each is rebuilt from its recorded cells as a laid-out table:
 * a long table of its dimensions and measures, or a wide crosstab when its
 * columns were one (the dimension with an empty name). A total category is
 * written as the policy's first total label; cells get their kind, value
 * and bound from the ledger, not from their text. The files released are
 * never read.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "ledger/ledger_internal.h"
#include "table/grid.h"
#include "table/table_build.h"

typedef struct candidate {
    long long table, release;
    char when[32];
    char *path;
} candidate;

typedef struct stored_cell {
    long coord[SDC_GRID_MAX_DIMS];
    size_t measure;
    bool has_value, suppressed, has_upper;
    double value, upper;
} stored_cell;

typedef struct stored_table {
    size_t dims;
    char *name[SDC_GRID_MAX_DIMS];
    char **label[SDC_GRID_MAX_DIMS];
    bool *total[SDC_GRID_MAX_DIMS];
    size_t ncat[SDC_GRID_MAX_DIMS];
    size_t measures;
    char *mcol[SDC_GRID_MAX_DIMS];
    bool mcount[SDC_GRID_MAX_DIMS];
    stored_cell *cells;
    size_t ncells, cap;
} stored_table;

static void stored_free(stored_table *s)
{
    for (size_t d = 0; d < SDC_GRID_MAX_DIMS; d++) {
        free(s->name[d]);
        for (size_t k = 0; k < s->ncat[d]; k++)
            free(s->label[d][k]);
        free(s->label[d]);
        free(s->total[d]);
        free(s->mcol[d]);
    }
    free(s->cells);
}

static int prepare(sdc_ledger *l, const char *sql, sqlite3_stmt **s, sdc_status *st)
{
    return sqlite3_prepare_v2(l->db, sql, -1, s, NULL) == SQLITE_OK
               ? SDC_OK
               : sdc_ledger_sql_error(l, "cannot be read", st);
}

/* A statement of CACHE (one per query of load), prepared once for all the
 * tables read, then reset for each. */
static int prepare_cached(sdc_ledger *l, sqlite3_stmt **cache, const char *sql, sqlite3_stmt **s,
                          sdc_status *st)
{
    if (*cache) {
        sqlite3_reset(*cache);
        sqlite3_clear_bindings(*cache);
        *s = *cache;
        return SDC_OK;
    }
    int rc = prepare(l, sql, cache, st);
    *s = *cache;
    return rc;
}

static char *dup_text(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return strdup(t ? t : "");
}

/* Parses "0,3,1;2" into C (DIMS ordinals, then the measure). */
static bool parse_coordinates(const char *text, size_t dims, stored_cell *c)
{
    const char *p = text;
    for (size_t d = 0; d < dims; d++) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || *end != (d + 1 < dims ? ',' : ';'))
            return false;
        c->coord[d] = v;
        p = end + 1;
    }
    char *end;
    long m = strtol(p, &end, 10);
    if (end == p || *end || m < 0)
        return false;
    c->measure = (size_t)m;
    return true;
}

/* Reads released table ID's dimensions, categories, measures and cells. */
static int load(sdc_ledger *l, sqlite3_stmt **cache, long long id, stored_table *t, sdc_status *st)
{
    sqlite3_stmt *s = NULL;
    int rc =
        prepare_cached(l, cache + 0,
                       "SELECT position, name FROM table_dimension WHERE table_id = ? ORDER BY "
                       "position",
                       &s, st);
    if (rc != SDC_OK)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    while (rc == SDC_OK && sqlite3_step(s) == SQLITE_ROW) {
        long long pos = sqlite3_column_int64(s, 0);
        if (pos != (long long)t->dims || t->dims >= SDC_GRID_MAX_DIMS)
            rc = SDC_EPARSE;
        else if (!(t->name[t->dims++] = dup_text(s, 1)))
            rc = SDC_ENOMEM;
    }
    sqlite3_reset(s);
    if (rc == SDC_OK)
        rc = prepare_cached(
            l, cache + 1,
            "SELECT position, ordinal, label, is_total FROM dimension_category WHERE "
            "table_id = ? ORDER BY position, ordinal",
            &s, st);
    else
        s = NULL;
    if (s)
        sqlite3_bind_int64(s, 1, id);
    while (rc == SDC_OK && sqlite3_step(s) == SQLITE_ROW) {
        long long d = sqlite3_column_int64(s, 0), k = sqlite3_column_int64(s, 1);
        if (d < 0 || (size_t)d >= t->dims || k != (long long)t->ncat[d]) {
            rc = SDC_EPARSE;
            break;
        }
        size_t n = t->ncat[d] + 1;
        char **lab = realloc(t->label[d], n * sizeof *lab);
        if (lab)
            t->label[d] = lab;
        bool *tot = realloc(t->total[d], n * sizeof *tot);
        if (tot)
            t->total[d] = tot;
        if (!lab || !tot || !(lab[n - 1] = dup_text(s, 2))) {
            rc = SDC_ENOMEM;
            break;
        }
        tot[n - 1] = sqlite3_column_int(s, 3) != 0;
        t->ncat[d] = n;
    }
    sqlite3_reset(s);
    s = NULL;
    if (rc == SDC_OK)
        rc =
            prepare_cached(l, cache + 2, "SELECT measure FROM released_table WHERE id = ?", &s, st);
    if (s) {
        sqlite3_bind_int64(s, 1, id);
        json_t *m = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)
                        ? json_loads((const char *)sqlite3_column_text(s, 0), 0, NULL)
                        : NULL;
        size_t i;
        json_t *o;
        json_array_foreach(m, i, o)
        {
            const char *col = json_string_value(json_object_get(o, "column"));
            const char *role = json_string_value(json_object_get(o, "role"));
            if (!role || i >= SDC_GRID_MAX_DIMS) {
                rc = SDC_EPARSE;
                break;
            }
            if (col && !(t->mcol[i] = strdup(col)))
                rc = SDC_ENOMEM;
            t->mcount[i] = strcmp(role, "count") == 0;
            t->measures = i + 1;
        }
        if (!json_is_array(m) && rc == SDC_OK)
            rc = SDC_EPARSE;
        json_decref(m);
    }
    sqlite3_reset(s);
    s = NULL;
    if (rc == SDC_OK)
        rc = prepare_cached(l, cache + 3,
                            "SELECT coordinates, value, suppressed, upper FROM table_cell WHERE "
                            "table_id = ?",
                            &s, st);
    if (s)
        sqlite3_bind_int64(s, 1, id);
    while (rc == SDC_OK && s && sqlite3_step(s) == SQLITE_ROW) {
        if (SDC_VEC_RESERVE(t->cells, t->cap, t->ncells + 1) < 0) {
            rc = SDC_ENOMEM;
            break;
        }
        stored_cell *c = &t->cells[t->ncells];
        *c = (stored_cell){0};
        const char *coords = (const char *)sqlite3_column_text(s, 0);
        if (!coords || !parse_coordinates(coords, t->dims, c) || c->measure >= t->measures) {
            rc = SDC_EPARSE;
            break;
        }
        for (size_t d = 0; d < t->dims && rc == SDC_OK; d++)
            if ((size_t)c->coord[d] >= t->ncat[d])
                rc = SDC_EPARSE;
        c->has_value = sqlite3_column_type(s, 1) != SQLITE_NULL;
        c->value = sqlite3_column_double(s, 1);
        c->suppressed = sqlite3_column_int(s, 2) != 0;
        c->has_upper = sqlite3_column_type(s, 3) != SQLITE_NULL;
        c->upper = sqlite3_column_double(s, 3);
        t->ncells += rc == SDC_OK;
    }
    sqlite3_reset(s);
    if (rc == SDC_EPARSE)
        sdc_status_set(st, rc,
                       "ledger %s: released table %lld is damaged (its dimensions, "
                       "categories or cells do not fit together)",
                       l->path, id);
    else if (rc == SDC_ENOMEM)
        sdc_status_set(st, rc, "out of memory");
    return rc;
}

/* A row of the rebuilt table: the categories of its named dimensions. */
typedef struct row_key {
    long coord[SDC_GRID_MAX_DIMS];
} row_key;

static int rebuild_row_cmp(const row_key *a, const row_key *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a->coord[i] != b->coord[i])
            return a->coord[i] < b->coord[i] ? -1 : 1;
    return 0;
}

/* The text of a category in the rebuilt table. */
static const char *cat_text(const stored_table *s, size_t d, long k, const sdc_policy *p)
{
    if (s->total[d][k])
        return p->total_labels.count ? p->total_labels.items[0] : "Total";
    return s->label[d][k];
}

/* The stored table as a laid-out sdc_table (header comment). */
static sdc_table *rebuild(const stored_table *s, const sdc_policy *p)
{
    /* The wide crosstab's columns: the dimension without a name. */
    long wide = -1;
    size_t named[SDC_GRID_MAX_DIMS], nn = 0;
    for (size_t d = 0; d < s->dims; d++) {
        if (!s->name[d][0])
            wide = (long)d;
        else
            named[nn++] = d;
    }
    if (nn == 0 || s->measures == 0 || (wide >= 0 && s->measures != 1))
        return NULL;
    size_t ncols_body = wide >= 0 ? s->ncat[wide] : s->measures;
    /* Rows: distinct combinations of the named coordinates, in cell order. */
    row_key *rows = calloc(s->ncells + 1, sizeof *rows);
    size_t *row_of = calloc(s->ncells + 1, sizeof *row_of);
    size_t nrows = 0;
    sdc_table_builder *b = sdc_table_builder_new(p, false);
    const char **fields = calloc(nn + ncols_body + 1, sizeof *fields);
    size_t *lens = calloc(nn + ncols_body + 1, sizeof *lens);
    const stored_cell **grid = NULL;
    sdc_table *t = NULL;
    bool ok = rows && row_of && b && fields && lens;
    for (size_t i = 0; ok && i < s->ncells; i++) {
        row_key k = {{0}};
        for (size_t j = 0; j < nn; j++)
            k.coord[j] = s->cells[i].coord[named[j]];
        /* A row's cells are mostly next to each other. */
        size_t r = nrows && rebuild_row_cmp(&rows[nrows - 1], &k, nn) == 0 ? nrows - 1 : 0;
        while (r < nrows && rebuild_row_cmp(&rows[r], &k, nn) != 0)
            r++;
        if (r == nrows)
            rows[nrows++] = k;
        row_of[i] = r;
    }
    ok = ok && (grid = calloc(nrows * ncols_body + 1, sizeof *grid));
    for (size_t i = 0; ok && i < s->ncells; i++) {
        size_t c = wide >= 0 ? (size_t)s->cells[i].coord[wide] : s->cells[i].measure;
        grid[row_of[i] * ncols_body + c] = &s->cells[i];
    }
    /* The header, then each row: labels, then a cell per body column. */
    for (size_t j = 0; ok && j < nn; j++)
        fields[j] = s->name[named[j]];
    for (size_t c = 0; ok && c < ncols_body; c++)
        fields[nn + c] = wide >= 0    ? cat_text(s, (size_t)wide, (long)c, p)
                         : s->mcol[c] ? s->mcol[c]
                                      : "n";
    for (size_t j = 0; ok && j < nn + ncols_body; j++)
        lens[j] = strlen(fields[j]);
    ok = ok && sdc_table_builder_add(b, fields, lens, nn + ncols_body, 1) == 0;
    char *num = ok ? malloc(ncols_body * 32 + 1) : NULL;
    ok = ok && num;
    for (size_t r = 0; ok && r < nrows; r++) {
        for (size_t j = 0; j < nn; j++)
            fields[j] = cat_text(s, named[j], rows[r].coord[j], p);
        for (size_t c = 0; c < ncols_body; c++) {
            const stored_cell *cell = grid[r * ncols_body + c];
            /* The text only names the cell in messages: its kind and value
             * are set from the ledger below. */
            if (cell && cell->has_value)
                snprintf(num + 32 * c, 32, "%.17g", cell->value);
            fields[nn + c] = !cell              ? "NA"
                             : cell->suppressed ? sdc_policy_marker(p)
                             : cell->has_value  ? num + 32 * c
                                                : "NA";
        }
        for (size_t j = 0; j < nn + ncols_body; j++)
            lens[j] = strlen(fields[j]);
        ok = sdc_table_builder_add(b, fields, lens, nn + ncols_body, (long)r + 2) == 0;
    }
    if (ok) {
        t = sdc_table_builder_finish(b, nrows, false);
        b = NULL;
    }
    if (t) {
        /* The layout is known: no inference (what it would say of a table
         * of labels and numbers is what is set here). */
        for (size_t r = 0; r < t->nrows; r++)
            for (size_t j = 0; j < nn; j++)
                t->row_is_total[r] |= s->total[named[j]][rows[r].coord[j]];
        for (size_t c = 0; c < t->ncols; c++) {
            sdc_column *col = &t->columns[c];
            col->is_index = false;
            if (c < nn) {
                col->role = SDC_COL_LABEL;
                continue;
            }
            size_t k = c - nn;
            col->role = wide >= 0 || s->mcount[k] ? SDC_COL_COUNT : SDC_COL_MAGNITUDE;
            col->read_as_counts = col->role == SDC_COL_COUNT;
            col->is_total = wide >= 0 && s->total[wide][k];
            for (size_t r = 0; r < t->nrows; r++) {
                const stored_cell *cell = grid[r * ncols_body + k];
                sdc_cell *out = &t->cells[r * t->ncols + c];
                out->bound_hi = -1;
                out->number = 0;
                out->is_percent = false;
                if (!cell || (!cell->suppressed && !cell->has_value)) {
                    out->kind = SDC_CELL_MISSING;
                } else if (cell->suppressed) {
                    out->kind = SDC_CELL_SUPPRESSED;
                    out->bound_hi = cell->has_upper ? cell->upper : -1;
                } else {
                    out->kind = SDC_CELL_NUMBER;
                    out->number = cell->value;
                    out->is_integer = isfinite(cell->value) && floor(cell->value) == cell->value;
                }
            }
        }
        t->label_columns = nn;
        t->shape = wide >= 0 ? SDC_SHAPE_WIDE : SDC_SHAPE_LONG;
    }
    sdc_table_builder_free(b);
    free(num);
    free(rows);
    free(row_of);
    free(fields);
    free(lens);
    free(grid);
    return t;
}

static int by_release(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->release != y->release)
        return x->release > y->release ? -1 : 1;
    return (x->table > y->table) - (x->table < y->table);
}

/* The released tables with a dimension among DIMS, newest first. */
static int candidates(sdc_ledger *l, const char *const *dims, size_t n, candidate **out,
                      size_t *count, sdc_status *st)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(l,
                     "SELECT d.table_id, r.id, r.released_at, f.path FROM table_dimension d "
                     "JOIN released_table t ON t.id = d.table_id JOIN file f ON f.id = "
                     "t.file_id JOIN release r ON r.id = f.release_id WHERE d.name = ?",
                     &s, st);
    size_t cap = 0;
    *out = NULL;
    *count = 0;
    for (size_t i = 0; rc == SDC_OK && i < n; i++) {
        sqlite3_bind_text(s, 1, dims[i], -1, SQLITE_TRANSIENT);
        int step;
        while (rc == SDC_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
            long long id = sqlite3_column_int64(s, 0);
            if (SDC_VEC_RESERVE(*out, cap, *count + 1) < 0) {
                rc = sdc_status_set(st, SDC_ENOMEM, "out of memory");
                break;
            }
            candidate *c = &(*out)[*count];
            *c = (candidate){.table = id, .release = sqlite3_column_int64(s, 1)};
            const char *when = (const char *)sqlite3_column_text(s, 2);
            snprintf(c->when, sizeof c->when, "%s", when ? when : "");
            if (!(c->path = dup_text(s, 3)))
                rc = sdc_status_set(st, SDC_ENOMEM, "out of memory");
            else
                (*count)++;
        }
        if (rc == SDC_OK && step != SQLITE_DONE)
            rc = sdc_ledger_sql_error(l, "cannot be read", st);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    /* A table with two of the names is listed twice: once is kept. */
    if (*count)
        qsort(*out, *count, sizeof **out, by_release);
    size_t kept = 0;
    for (size_t i = 0; i < *count; i++) {
        if (kept && (*out)[kept - 1].table == (*out)[i].table) {
            free((*out)[i].path);
            continue;
        }
        (*out)[kept++] = (*out)[i];
    }
    *count = kept;
    return rc;
}

static int source_tables(void *ctx, const char *const *dims, size_t n, const sdc_policy *p,
                         sdc_released_tables *out, sdc_status *st)
{
    sdc_ledger *l = ctx;
    if (l->version < 2)
        return SDC_OK; /* no tables recorded before version 2 */
    candidate *c = NULL;
    size_t count = 0;
    /* One read transaction for all the queries: one snapshot, and the
     * locks taken once. */
    if (sqlite3_exec(l->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return sdc_ledger_sql_error(l, "cannot be read", st);
    sqlite3_stmt *cache[4] = {0};
    int rc = candidates(l, dims, n, &c, &count, st);
    for (size_t i = 0; rc == SDC_OK && i < count; i++) {
        stored_table s = {0};
        rc = load(l, cache, c[i].table, &s, st);
        sdc_table *t = rc == SDC_OK ? rebuild(&s, p) : NULL;
        if (t)
            rc = sdc_released_tables_add(out, t, c[i].release, c[i].when, c[i].path);
        if (rc == SDC_ENOMEM)
            sdc_status_set(st, rc, "out of memory");
        stored_free(&s);
    }
    for (size_t i = 0; i < count; i++)
        free(c[i].path);
    free(c);
    for (size_t i = 0; i < 4; i++)
        sqlite3_finalize(cache[i]);
    sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

static int source_file(void *ctx, const char *sha256, long long *release, char *released_at,
                       char *path, size_t path_size, sdc_status *st)
{
    sdc_ledger *l = ctx;
    sqlite3_stmt *s = NULL;
    int rc = prepare(l,
                     "SELECT r.id, r.released_at, f.path FROM file f JOIN release r ON r.id = "
                     "f.release_id WHERE f.sha256 = ? ORDER BY r.id, f.id LIMIT 1",
                     &s, st);
    if (rc != SDC_OK)
        return rc;
    sqlite3_bind_text(s, 1, sha256, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *release = sqlite3_column_int64(s, 0);
        const char *when = (const char *)sqlite3_column_text(s, 1);
        const char *p = (const char *)sqlite3_column_text(s, 2);
        snprintf(released_at, 32, "%s", when ? when : "");
        snprintf(path, path_size, "%s", p ? p : "");
        rc = 1;
    } else if (step != SQLITE_DONE) {
        rc = sdc_ledger_sql_error(l, "cannot be read", st);
    }
    sqlite3_finalize(s);
    return rc;
}

void sdc_ledger_release_source(sdc_ledger *ledger, sdc_release_source *source)
{
    *source = (sdc_release_source){.tables = source_tables, .file = source_file, .ctx = ledger};
}
