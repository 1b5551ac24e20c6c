/*
 * verify.c - `sdccheck verify`: are the files about to leave the ones
 * that were checked (a report) or released (the ledger)?
 *
 * The files under the paths given are walked (fts, symlinks not
 * followed, names in byte order) and hashed; each is looked up by path
 * among the expected files. A path known with the same SHA-256 matches;
 * known with other bytes is changed; not known is unknown. Against a
 * report or one release the expected set is complete, so an expected file
 * not walked is missing; against the whole ledger a path may have been
 * released many times, and any of its releases matches. Paths are compared
 * after removing "./" and doubled slashes, since `sdccheck ./out/` and
 * `sdccheck out` name the same files.
 */
#include <fts.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/sha256.h"
#include "core/vec.h"
#include "ledger/ledger_internal.h"

typedef struct expected {
    char *path; /* normalised */
    char sha256[65];
    long long release;
    bool seen;
} expected;

typedef struct expected_set {
    expected *items;
    size_t count, cap;
    bool complete;
} expected_set;

/* PATH without "./" components, doubled or trailing slashes; malloc'd. */
static char *normalise(const char *path)
{
    size_t n = strlen(path);
    char *out = malloc(n + 2);
    if (!out)
        return NULL;
    size_t o = 0;
    const char *p = path;
    if (*p == '/')
        out[o++] = '/';
    while (*p) {
        while (*p == '/')
            p++;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 1 && p[0] == '.') {
            p += len;
            continue;
        }
        if (len) {
            if (o && out[o - 1] != '/')
                out[o++] = '/';
            memcpy(out + o, p, len);
            o += len;
        }
        p += len;
    }
    if (o == 0)
        out[o++] = '.';
    out[o] = '\0';
    return out;
}

static int add_expected(expected_set *set, const char *path, const char *sha, long long release)
{
    if (SDC_VEC_RESERVE(set->items, set->cap, set->count + 1) < 0)
        return SDC_ENOMEM;
    expected *e = &set->items[set->count];
    *e = (expected){.release = release};
    if (!(e->path = normalise(path)))
        return SDC_ENOMEM;
    snprintf(e->sha256, sizeof e->sha256, "%s", sha ? sha : "");
    set->count++;
    return SDC_OK;
}

static int from_ledger(sdc_ledger *l, long long release, expected_set *set, sdc_status *st)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(l->db,
                           "SELECT path, sha256, release_id FROM file WHERE container IS NULL "
                           "AND (? = 0 OR release_id = ?) ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return sdc_ledger_sql_error(l, "cannot be read", st);
    sqlite3_bind_int64(s, 1, release);
    sqlite3_bind_int64(s, 2, release);
    int step = SQLITE_DONE, rc = SDC_OK;
    while (rc == SDC_OK && (step = sqlite3_step(s)) == SQLITE_ROW)
        rc = add_expected(set, (const char *)sqlite3_column_text(s, 0),
                          (const char *)sqlite3_column_text(s, 1), sqlite3_column_int64(s, 2));
    if (rc == SDC_OK && step != SQLITE_DONE)
        rc = sdc_ledger_sql_error(l, "cannot be read", st);
    else if (rc == SDC_ENOMEM)
        sdc_status_set(st, rc, "out of memory");
    sqlite3_finalize(s);
    if (rc == SDC_OK && release > 0 && set->count == 0)
        rc = sdc_status_set(st, SDC_ENOENT, "ledger %s: no release %lld", l->path, release);
    return rc;
}

static int add_item(sdc_verify_result *r, size_t *cap, const char *path, sdc_verify_state state,
                    const char *sha, const char *want, long long release)
{
    if (SDC_VEC_RESERVE(r->items, *cap, r->count + 1) < 0)
        return SDC_ENOMEM;
    sdc_verify_item *it = &r->items[r->count];
    *it = (sdc_verify_item){.state = state, .release = release};
    if (!(it->path = strdup(path)))
        return SDC_ENOMEM;
    snprintf(it->sha256, sizeof it->sha256, "%s", sha ? sha : "");
    snprintf(it->expected, sizeof it->expected, "%s", want ? want : "");
    r->count++;
    if (state != SDC_VERIFY_MATCH)
        r->failed++;
    return SDC_OK;
}

/* One file walked: hashed and judged against SET. */
static int judge(expected_set *set, const char *path, sdc_verify_result *r, size_t *cap)
{
    char *norm = normalise(path);
    if (!norm)
        return SDC_ENOMEM;
    char hex[SDC_SHA256_HEX];
    int hashed = sdc_sha256_file(path, hex, NULL);
    expected *known = NULL, *same = NULL;
    for (size_t i = 0; i < set->count; i++) {
        expected *e = &set->items[i];
        if (strcmp(e->path, norm) != 0)
            continue;
        e->seen = true;
        known = e; /* the latest release of the path, when none matches */
        if (hashed == SDC_OK && strcmp(e->sha256, hex) == 0)
            same = e;
    }
    free(norm);
    if (hashed != SDC_OK)
        return add_item(r, cap, path, SDC_VERIFY_UNREADABLE, NULL, known ? known->sha256 : NULL,
                        known ? known->release : 0);
    if (same)
        return add_item(r, cap, path, SDC_VERIFY_MATCH, hex, same->sha256, same->release);
    if (known)
        return add_item(r, cap, path, SDC_VERIFY_CHANGED, hex, known->sha256, known->release);
    return add_item(r, cap, path, SDC_VERIFY_UNKNOWN, hex, NULL, 0);
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
    return strcmp((*a)->fts_name, (*b)->fts_name);
}

static int walk(expected_set *set, const char *root, sdc_verify_result *r, size_t *cap)
{
    struct stat sb;
    if (lstat(root, &sb) != 0)
        return add_item(r, cap, root, SDC_VERIFY_MISSING, NULL, NULL, 0);
    char *roots[] = {(char *)root, NULL};
    FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, by_name);
    if (!fts)
        return SDC_ENOMEM;
    FTSENT *e;
    int rc = SDC_OK;
    while (rc == SDC_OK && (e = fts_read(fts)) != NULL) {
        switch (e->fts_info) {
        case FTS_D:
        case FTS_DP:
        case FTS_DOT: break;
        case FTS_F:
        case FTS_SL:
        case FTS_SLNONE:
        case FTS_DEFAULT: rc = judge(set, e->fts_path, r, cap); break;
        default: /* a folder that cannot be read, or an error */
            rc = add_item(r, cap, e->fts_path, SDC_VERIFY_UNREADABLE, NULL, NULL, 0);
        }
    }
    fts_close(fts);
    return rc;
}

int sdc_verify_paths(const sdc_report_doc *doc, sdc_ledger *ledger, long long release,
                     char *const *paths, size_t path_count, sdc_verify_result *result,
                     sdc_status *st)
{
    *result = (sdc_verify_result){0};
    expected_set set = {.complete = doc != NULL || release > 0};
    int rc = SDC_OK;
    if (doc) {
        for (size_t i = 0; rc == SDC_OK && i < doc->file_count; i++)
            if (!doc->files[i].container)
                rc = add_expected(&set, doc->files[i].path, doc->files[i].sha256, 0);
        if (rc != SDC_OK)
            sdc_status_set(st, rc, "out of memory");
    } else if (ledger) {
        rc = from_ledger(ledger, release, &set, st);
    } else {
        rc = sdc_status_set(st, SDC_EINVAL, "nothing to verify against: no report, no ledger");
    }
    size_t cap = 0;
    for (size_t i = 0; rc == SDC_OK && i < path_count; i++)
        rc = walk(&set, paths[i], result, &cap);
    for (size_t i = 0; rc == SDC_OK && set.complete && i < set.count; i++)
        if (!set.items[i].seen)
            rc = add_item(result, &cap, set.items[i].path, SDC_VERIFY_MISSING, NULL,
                          set.items[i].sha256, set.items[i].release);
    if (rc == SDC_ENOMEM)
        sdc_status_set(st, rc, "out of memory");
    for (size_t i = 0; i < set.count; i++)
        free(set.items[i].path);
    free(set.items);
    if (rc != SDC_OK)
        sdc_verify_result_free(result);
    return rc;
}

void sdc_verify_result_free(sdc_verify_result *result)
{
    for (size_t i = 0; i < result->count; i++)
        free(result->items[i].path);
    free(result->items);
    *result = (sdc_verify_result){0};
}

const char *sdc_verify_state_name(sdc_verify_state state)
{
    switch (state) {
    case SDC_VERIFY_MATCH: return "match";
    case SDC_VERIFY_CHANGED: return "changed";
    case SDC_VERIFY_MISSING: return "missing";
    case SDC_VERIFY_UNKNOWN: return "unknown";
    case SDC_VERIFY_UNREADABLE: return "unreadable";
    }
    return "unknown";
}
