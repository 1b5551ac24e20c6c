/*
 * ledger_show.c - `sdccheck ledger list|show|export`, as text or JSON
 * (sdccheck-ledger(5), "Output").
 *
 * Each release is read once into a jansson object; the JSON output prints
 * it, and the text output is drawn from the same object, so the two never
 * disagree. Text for a terminal has its control characters shown as '?'
 * (a reviewer's name or a path could hold an escape sequence).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_internal.h"

static json_t *column_json(sqlite3_stmt *s, int i)
{
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(s, i));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(s, i));
    case SQLITE_NULL: return json_null();
    default: return json_string((const char *)sqlite3_column_text(s, i));
    }
}

/* One row as an object keyed by column name. */
static json_t *row_json(sqlite3_stmt *s)
{
    json_t *o = json_object();
    for (int i = 0; o && i < sqlite3_column_count(s); i++)
        if (json_object_set_new(o, sqlite3_column_name(s, i), column_json(s, i)) != 0) {
            json_decref(o);
            return NULL;
        }
    return o;
}

#define RELEASE_COLUMNS                                                                            \
    "r.id, r.released_at, r.reviewer, r.comment, r.approval, r.verdict, r.report_sha256, "         \
    "r.report_created, r.tool_version, r.policy_name"

/* The files of release ID, each with its table (or null). */
static json_t *files_json(sdc_ledger *l, long long id, int *rc)
{
    sqlite3_stmt *s = NULL;
    json_t *files = json_array();
    if (!files || sqlite3_prepare_v2(l->db,
                                     "SELECT f.path, f.sha256, f.size, f.class, f.format, "
                                     "f.verdict, f.container, t.id, t.rows, t.columns, "
                                     "t.shape, t.delimiter FROM file f LEFT JOIN "
                                     "released_table t ON t.file_id = f.id WHERE "
                                     "f.release_id = ? ORDER BY f.id",
                                     -1, &s, NULL) != SQLITE_OK) {
        *rc = SDC_EIO;
        json_decref(files);
        return NULL;
    }
    sqlite3_bind_int64(s, 1, id);
    int step = SQLITE_DONE;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *f = json_object();
        static const char *const keys[] = {"path",   "sha256",  "size",     "class",
                                           "format", "verdict", "container"};
        for (int i = 0; f && i < 7; i++)
            json_object_set_new(f, keys[i], column_json(s, i));
        if (f && sqlite3_column_type(s, 7) != SQLITE_NULL) {
            json_t *t = json_pack("{s:o, s:o, s:o, s:o}", "rows", column_json(s, 8), "columns",
                                  column_json(s, 9), "shape", column_json(s, 10), "delimiter",
                                  column_json(s, 11));
            json_object_set_new(f, "table", t);
        } else if (f) {
            json_object_set_new(f, "table", json_null());
        }
        if (!f || json_array_append_new(files, f) != 0) {
            *rc = SDC_ENOMEM;
            break;
        }
    }
    if (step != SQLITE_DONE && *rc == SDC_OK)
        *rc = SDC_EIO;
    sqlite3_finalize(s);
    if (*rc != SDC_OK) {
        json_decref(files);
        return NULL;
    }
    return files;
}

/* Releases (all when ID is 0) as an array of objects; with FILES, each
 * with its policy values and files, else with its count of files. */
static json_t *releases_json(sdc_ledger *l, long long id, bool files, int *rc)
{
    sqlite3_stmt *s = NULL;
    json_t *all = json_array();
    const char *sql = "SELECT " RELEASE_COLUMNS ", r.policy, (SELECT count(*) FROM file f "
                      "WHERE f.release_id = r.id) AS files FROM release r WHERE ? = 0 OR "
                      "r.id = ? ORDER BY r.id";
    if (!all || sqlite3_prepare_v2(l->db, sql, -1, &s, NULL) != SQLITE_OK) {
        *rc = SDC_EIO;
        json_decref(all);
        return NULL;
    }
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, id);
    int step = SQLITE_DONE;
    while (*rc == SDC_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *r = row_json(s);
        if (!r) {
            *rc = SDC_ENOMEM;
            break;
        }
        /* The policy's values are JSON text: given as an object. */
        const char *policy = json_string_value(json_object_get(r, "policy"));
        json_t *values = policy ? json_loads(policy, 0, NULL) : json_null();
        json_object_set_new(r, "policy", values ? values : json_null());
        if (files) {
            json_t *list = files_json(l, json_integer_value(json_object_get(r, "id")), rc);
            json_object_del(r, "files");
            if (list)
                json_object_set_new(r, "files", list);
        } else {
            json_object_del(r, "policy");
        }
        if (json_array_append_new(all, r) != 0 && *rc == SDC_OK)
            *rc = SDC_ENOMEM;
    }
    if (*rc == SDC_OK && step != SQLITE_DONE)
        *rc = SDC_EIO;
    sqlite3_finalize(s);
    if (*rc != SDC_OK) {
        json_decref(all);
        return NULL;
    }
    return all;
}

static int fail(sdc_ledger *l, int rc, sdc_status *st)
{
    if (rc == SDC_ENOMEM)
        return sdc_status_set(st, rc, "ledger %s: out of memory", l->path);
    return sdc_ledger_sql_error(l, "cannot be read", st);
}

/* A text value with control characters shown as '?'; "-" for null. */
static void put_text(FILE *out, json_t *v)
{
    if (json_is_integer(v)) {
        fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return;
    }
    const char *s = json_string_value(v);
    if (!s) {
        fputc('-', out);
        return;
    }
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}

static void put_field(FILE *out, const char *label, json_t *obj, const char *key)
{
    fprintf(out, "%-15s ", label);
    put_text(out, json_object_get(obj, key));
    fputc('\n', out);
}

static int write_json(json_t *doc, FILE *out)
{
    int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? SDC_OK : SDC_EIO;
    fputc('\n', out);
    json_decref(doc);
    return rc == SDC_OK && fflush(out) == 0 && !ferror(out) ? SDC_OK : SDC_EIO;
}

static json_t *wrap(const char *key, json_t *value)
{
    return json_pack("{s:s, s:i, s:o}", "schema", "sdccheck-ledger", "schema_version",
                     SDC_LEDGER_SCHEMA_VERSION, key, value);
}

int sdc_ledger_write_list(sdc_ledger *l, bool json, FILE *out, sdc_status *st)
{
    int rc = SDC_OK;
    json_t *all = releases_json(l, 0, false, &rc);
    if (!all)
        return fail(l, rc, st);
    if (json)
        return write_json(wrap("releases", all), out) == SDC_OK
                   ? SDC_OK
                   : sdc_status_set(st, SDC_EIO, "cannot write the list");
    size_t i;
    json_t *r;
    fprintf(out, "%-5s %-20s %-7s %5s  %-12s %s\n", "ID", "RELEASED", "VERDICT", "FILES", "POLICY",
            "REVIEWER");
    json_array_foreach(all, i, r)
    {
        fprintf(out, "%-5" JSON_INTEGER_FORMAT " %-20s %-7s %5" JSON_INTEGER_FORMAT "  %-12s ",
                json_integer_value(json_object_get(r, "id")),
                json_string_value(json_object_get(r, "released_at")),
                json_string_value(json_object_get(r, "verdict")),
                json_integer_value(json_object_get(r, "files")),
                json_string_value(json_object_get(r, "policy_name"))
                    ? json_string_value(json_object_get(r, "policy_name"))
                    : "-");
        put_text(out, json_object_get(r, "reviewer"));
        fputc('\n', out);
    }
    json_decref(all);
    return fflush(out) == 0 && !ferror(out) ? SDC_OK
                                            : sdc_status_set(st, SDC_EIO, "cannot write the list");
}

static void show_text(json_t *r, FILE *out)
{
    put_field(out, "release", r, "id");
    put_field(out, "released_at", r, "released_at");
    put_field(out, "reviewer", r, "reviewer");
    put_field(out, "comment", r, "comment");
    put_field(out, "approval", r, "approval");
    put_field(out, "verdict", r, "verdict");
    put_field(out, "report_sha256", r, "report_sha256");
    put_field(out, "report_created", r, "report_created");
    put_field(out, "tool_version", r, "tool_version");
    put_field(out, "policy", r, "policy_name");
    json_t *files = json_object_get(r, "files");
    fprintf(out, "files           %zu\n", json_array_size(files));
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
    {
        fputs("  ", out);
        put_text(out, json_object_get(f, "sha256"));
        fputs("  ", out);
        put_text(out, json_object_get(f, "verdict"));
        fputs("  ", out);
        put_text(out, json_object_get(f, "class"));
        fputs("  ", out);
        put_text(out, json_object_get(f, "path"));
        json_t *t = json_object_get(f, "table");
        if (json_is_object(t))
            fprintf(out, "  (table %" JSON_INTEGER_FORMAT " x %" JSON_INTEGER_FORMAT ")",
                    json_integer_value(json_object_get(t, "rows")),
                    json_integer_value(json_object_get(t, "columns")));
        fputc('\n', out);
    }
}

int sdc_ledger_write_show(sdc_ledger *l, long long id, bool json, FILE *out, sdc_status *st)
{
    int rc = SDC_OK;
    json_t *all = id > 0 ? releases_json(l, id, true, &rc) : json_array();
    if (!all)
        return fail(l, rc, st);
    if (json_array_size(all) == 0) {
        json_decref(all);
        return sdc_status_set(st, SDC_ENOENT, "ledger %s: no release %lld", l->path, id);
    }
    json_t *r = json_incref(json_array_get(all, 0));
    json_decref(all);
    if (json)
        return write_json(r, out) == SDC_OK ? SDC_OK
                                            : sdc_status_set(st, SDC_EIO, "cannot write it");
    show_text(r, out);
    json_decref(r);
    return fflush(out) == 0 && !ferror(out) ? SDC_OK
                                            : sdc_status_set(st, SDC_EIO, "cannot write it");
}

int sdc_ledger_write_export(sdc_ledger *l, bool json, FILE *out, sdc_status *st)
{
    int rc = SDC_OK;
    json_t *all = releases_json(l, 0, true, &rc);
    if (!all)
        return fail(l, rc, st);
    if (json)
        return write_json(wrap("releases", all), out) == SDC_OK
                   ? SDC_OK
                   : sdc_status_set(st, SDC_EIO, "cannot write the export");
    /* Text: one tab-separated line per released file. */
    fputs("release\treleased_at\treviewer\tsha256\tsize\tclass\tverdict\tpath\n", out);
    size_t i, j;
    json_t *r, *f;
    json_array_foreach(all, i, r)
    {
        json_array_foreach(json_object_get(r, "files"), j, f)
        {
            static const char *const keys[] = {"sha256", "size", "class", "verdict", "path"};
            put_text(out, json_object_get(r, "id"));
            fputc('\t', out);
            put_text(out, json_object_get(r, "released_at"));
            fputc('\t', out);
            put_text(out, json_object_get(r, "reviewer"));
            for (int k = 0; k < 5; k++) {
                fputc('\t', out);
                put_text(out, json_object_get(f, keys[k]));
            }
            fputc('\n', out);
        }
    }
    json_decref(all);
    return fflush(out) == 0 && !ferror(out)
               ? SDC_OK
               : sdc_status_set(st, SDC_EIO, "cannot write the export");
}
