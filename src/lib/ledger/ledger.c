/*
 * ledger.c - opening a ledger, bringing its schema up to date, and
 * recording a release (ledger.h, sdccheck-ledger(5)).
 *
 * A ledger is trusted only after it has been read: its application_id
 * must be sdccheck's and its user_version no newer than this build's, and
 * both are read before anything is written, so a damaged file, another
 * program's database or a ledger from a newer sdccheck is refused and left
 * byte for byte as it was (setting WAL mode would rewrite its header).
 * Every write is one BEGIN IMMEDIATE transaction with a busy timeout: the
 * write lock is taken before anything is read, so two releases at once run
 * one after the other and neither loses a row. WAL mode lets readers go on
 * while a release is written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ledger/ledger_internal.h"

int sdc_ledger_sql_error(const sdc_ledger *ledger, const char *what, sdc_status *st)
{
    int err = sqlite3_errcode(ledger->db) & 0xff;
    int code = err == SQLITE_NOTADB || err == SQLITE_CORRUPT                            ? SDC_EPARSE
               : err == SQLITE_READONLY || err == SQLITE_PERM || err == SQLITE_CANTOPEN ? SDC_EACCES
               : err == SQLITE_NOMEM                                                    ? SDC_ENOMEM
                                                                                        : SDC_EIO;
    const char *hint = code == SDC_EPARSE   ? " (damaged, or not an sdccheck ledger)"
                       : code == SDC_EACCES ? " (the ledger and its folder must be writable)"
                                            : "";
    return sdc_status_set(st, code, "ledger %s: %s: %s%s", ledger->path, what,
                          sqlite3_errmsg(ledger->db), hint);
}

void sdc_ledger_close(sdc_ledger *ledger)
{
    if (!ledger)
        return;
    sqlite3_close(ledger->db);
    free(ledger->path);
    free(ledger);
}

/* One integer from a pragma; -1 when it cannot be read. */
static long long pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

typedef struct header {
    long long app_id, version, objects;
} header;

/* The ledger's identity, read in one read transaction. */
static int read_header(sdc_ledger *l, header *h, sdc_status *st)
{
    if (sqlite3_exec(l->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return sdc_ledger_sql_error(l, "cannot be read", st);
    h->app_id = pragma_int(l->db, "PRAGMA application_id");
    h->version = pragma_int(l->db, "PRAGMA user_version");
    h->objects = pragma_int(l->db, "SELECT count(*) FROM sqlite_schema");
    int rc = h->app_id < 0 || h->version < 0 || h->objects < 0
                 ? sdc_ledger_sql_error(l, "cannot be read", st)
                 : SDC_OK;
    sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

static int check_header(sdc_ledger *l, const header *h, sdc_status *st)
{
    bool empty = h->app_id == 0 && h->version == 0 && h->objects == 0;
    if (h->app_id != SDC_LEDGER_APPLICATION_ID && !empty)
        return sdc_status_set(st, SDC_EPARSE,
                              "ledger %s: an SQLite database, but not an sdccheck ledger "
                              "(application_id %lld): refused, left as it is",
                              l->path, h->app_id);
    if (h->version > SDC_LEDGER_SCHEMA_VERSION)
        return sdc_status_set(st, SDC_EINVAL,
                              "ledger %s: schema version %lld, newer than this sdccheck's (%d): "
                              "refused, left as it is; use the sdccheck that wrote it, or a "
                              "newer one",
                              l->path, h->version, SDC_LEDGER_SCHEMA_VERSION);
    return SDC_OK;
}

/* Runs the schema steps after the ledger's version, in one transaction;
 * another process may have done it meanwhile, so the version is read
 * again once the write lock is held. */
static int upgrade(sdc_ledger *l, sdc_status *st)
{
    if (sqlite3_db_readonly(l->db, "main") == 1)
        return sdc_status_set(st, SDC_EACCES,
                              "ledger %s: schema version older than %d and the ledger is "
                              "read-only, so it cannot be upgraded: left as it is",
                              l->path, SDC_LEDGER_SCHEMA_VERSION);
    if (sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sdc_ledger_sql_error(l, "cannot be locked for writing", st);
    header h;
    h.app_id = pragma_int(l->db, "PRAGMA application_id");
    h.version = pragma_int(l->db, "PRAGMA user_version");
    h.objects = pragma_int(l->db, "SELECT count(*) FROM sqlite_schema");
    int rc =
        h.version < 0 ? sdc_ledger_sql_error(l, "cannot be read", st) : check_header(l, &h, st);
    for (long long v = h.version; rc == SDC_OK && v < SDC_LEDGER_SCHEMA_VERSION; v++)
        if (sqlite3_exec(l->db, sdc_ledger_steps[v], NULL, NULL, NULL) != SQLITE_OK)
            rc = sdc_ledger_sql_error(l, "cannot upgrade its schema", st);
    if (rc == SDC_OK && h.version < SDC_LEDGER_SCHEMA_VERSION) {
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
                 SDC_LEDGER_APPLICATION_ID, SDC_LEDGER_SCHEMA_VERSION);
        if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK)
            rc = sdc_ledger_sql_error(l, "cannot upgrade its schema", st);
    }
    if (rc == SDC_OK && sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = sdc_ledger_sql_error(l, "cannot upgrade its schema", st);
    if (rc != SDC_OK)
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* WAL mode, once: switching needs every other connection gone for a
 * moment, so a busy answer is waited out as the busy timeout would. */
static int use_wal(sdc_ledger *l, sdc_status *st)
{
    for (int waited = 0;; waited += 10) {
        sqlite3_stmt *s = NULL;
        int rc = sqlite3_prepare_v2(l->db, "PRAGMA journal_mode = WAL", -1, &s, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(s);
        bool wal = rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
        sqlite3_finalize(s);
        if (wal)
            return SDC_OK;
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED && rc != SQLITE_ROW)
            return sdc_ledger_sql_error(l, "cannot use WAL mode", st);
        if (waited >= SDC_LEDGER_BUSY_MS)
            return sdc_status_set(st, SDC_EIO, "ledger %s: busy for %d s: try again", l->path,
                                  SDC_LEDGER_BUSY_MS / 1000);
        usleep(10000);
    }
}

/* A connection to the ledger at PATH with FLAGS, its busy timeout set:
 * the file must exist (unless CREATE) and be a regular file. NULL, with
 * ST set, when not. */
static sdc_ledger *connect_to(const char *path, bool create, int flags, sdc_status *st)
{
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (!exists && (errno != ENOENT || !create)) {
        sdc_status_set(st, sdc_error_from_errno(errno), "ledger %s: %s", path,
                       errno == ENOENT ? "no such ledger" : strerror(errno));
        return NULL;
    }
    if (exists && !S_ISREG(sb.st_mode)) {
        sdc_status_set(st, SDC_EPARSE, "ledger %s: not a ledger (not a regular file)", path);
        return NULL;
    }
    sdc_ledger *l = calloc(1, sizeof *l);
    if (!l || !(l->path = strdup(path))) {
        free(l);
        sdc_status_set(st, SDC_ENOMEM, "ledger %s: out of memory", path);
        return NULL;
    }
    if (sqlite3_open_v2(path, &l->db, flags, NULL) != SQLITE_OK) {
        sdc_ledger_sql_error(l, "cannot be opened", st);
        sdc_ledger_close(l);
        return NULL;
    }
    sqlite3_busy_timeout(l->db, SDC_LEDGER_BUSY_MS);
    return l;
}

sdc_ledger *sdc_ledger_open(const char *path, bool create, sdc_status *st)
{
    sdc_ledger *l =
        connect_to(path, create, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), st);
    if (!l)
        return NULL;
    header h = {0};
    int rc = read_header(l, &h, st);
    if (rc == SDC_OK)
        rc = check_header(l, &h, st);
    if (rc == SDC_OK && h.version < SDC_LEDGER_SCHEMA_VERSION)
        rc = upgrade(l, st);
    l->version = SDC_LEDGER_SCHEMA_VERSION;
    if (rc == SDC_OK && sqlite3_db_readonly(l->db, "main") != 1)
        rc = use_wal(l, st);
    if (rc == SDC_OK &&
        sqlite3_exec(l->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
        rc = sdc_ledger_sql_error(l, "cannot be opened", st);
    if (rc != SDC_OK) {
        sdc_ledger_close(l);
        return NULL;
    }
    return l;
}

sdc_ledger *sdc_ledger_open_readonly(const char *path, sdc_status *st)
{
    sdc_ledger *l = connect_to(path, false, SQLITE_OPEN_READONLY, st);
    if (!l)
        return NULL;
    header h = {0};
    int rc = read_header(l, &h, st);
    /* A ledger in WAL mode whose folder this process cannot write (and
     * whose -shm file is gone) can only be read as immutable: nobody can
     * write it then either. */
    if (rc == SDC_EACCES && access(path, W_OK) != 0) {
        sqlite3_close(l->db);
        l->db = NULL;
        char *uri = sqlite3_mprintf("file:%s?immutable=1", path);
        rc = uri && sqlite3_open_v2(uri, &l->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) ==
                         SQLITE_OK
                 ? read_header(l, &h, st)
                 : sdc_ledger_sql_error(l, "cannot be opened", st);
        sqlite3_free(uri);
    }
    if (rc == SDC_OK && h.objects == 0 && h.app_id == 0)
        rc = sdc_status_set(st, SDC_EPARSE, "ledger %s: empty, not an sdccheck ledger", path);
    if (rc == SDC_OK)
        rc = check_header(l, &h, st);
    l->version = h.version;
    if (rc != SDC_OK) {
        sdc_ledger_close(l);
        return NULL;
    }
    return l;
}

/* Binds a text or NULL. */
static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static bool run(sqlite3_stmt *s)
{
    bool ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return ok;
}

static int insert_files(sdc_ledger *l, const sdc_report_doc *doc, long long id)
{
    sqlite3_stmt *file = NULL, *table = NULL;
    int ok = sqlite3_prepare_v2(l->db,
                                "INSERT INTO file (release_id, path, sha256, size, class, "
                                "verdict, format, container) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                -1, &file, NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(l->db,
                                "INSERT INTO released_table (file_id, rows, columns, shape, "
                                "delimiter) VALUES (?, ?, ?, ?, ?)",
                                -1, &table, NULL) == SQLITE_OK;
    for (size_t i = 0; ok && i < doc->file_count; i++) {
        const sdc_report_entry *e = &doc->files[i];
        sqlite3_bind_int64(file, 1, id);
        bind_text(file, 2, e->path);
        bind_text(file, 3, e->sha256);
        sqlite3_bind_int64(file, 4, e->size);
        bind_text(file, 5, e->file_class);
        bind_text(file, 6, e->verdict);
        bind_text(file, 7, e->format);
        bind_text(file, 8, e->container);
        ok = run(file);
        if (ok && e->is_table) {
            sqlite3_bind_int64(table, 1, sqlite3_last_insert_rowid(l->db));
            sqlite3_bind_int64(table, 2, e->rows);
            sqlite3_bind_int64(table, 3, e->columns);
            bind_text(table, 4, e->shape);
            bind_text(table, 5, e->delimiter);
            ok = run(table);
        }
    }
    sqlite3_finalize(file);
    sqlite3_finalize(table);
    return ok ? SDC_OK : SDC_EIO;
}

int sdc_ledger_release(sdc_ledger *l, const sdc_report_doc *doc, const sdc_release_info *info,
                       long long *id, sdc_status *st)
{
    char when[32];
    time_t t = (time_t)info->released_at;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return sdc_status_set(st, SDC_EINVAL, "the release time cannot be written");
    if (sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sdc_ledger_sql_error(l, "cannot be locked for writing", st);
    sqlite3_stmt *s = NULL;
    int rc = SDC_OK;
    if (sqlite3_prepare_v2(l->db,
                           "INSERT INTO release (released_at, reviewer, comment, approval, "
                           "verdict, report_sha256, tool_version, policy_name, policy, "
                           "report_created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = SDC_EIO;
    } else {
        bind_text(s, 1, when);
        bind_text(s, 2, info->reviewer);
        bind_text(s, 3, info->comment);
        bind_text(s, 4, strcmp(doc->verdict, "pass") == 0 ? NULL : info->approval);
        bind_text(s, 5, doc->verdict);
        bind_text(s, 6, doc->report_sha256);
        bind_text(s, 7, doc->tool_version);
        bind_text(s, 8, doc->policy_name);
        bind_text(s, 9, doc->policy_json);
        bind_text(s, 10, doc->created);
        rc = run(s) ? SDC_OK : SDC_EIO;
    }
    sqlite3_finalize(s);
    long long rid = sqlite3_last_insert_rowid(l->db);
    if (rc == SDC_OK)
        rc = insert_files(l, doc, rid);
    if (rc != SDC_OK)
        rc = sdc_ledger_sql_error(l, "the release could not be recorded", st);
    /* The tables, read again in the transaction (ledger_tables.c). */
    if (rc == SDC_OK && info->policy &&
        (rc = sdc_ledger_record_tables(l, rid, info->policy, st)) == SDC_EIO)
        rc = sdc_ledger_sql_error(l, "its tables could not be recorded", st);
    if (rc == SDC_OK && sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = sdc_ledger_sql_error(l, "the release could not be recorded", st);
    if (rc != SDC_OK) {
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    *id = rid;
    return SDC_OK;
}
