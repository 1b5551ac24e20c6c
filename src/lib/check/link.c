/*
 * link.c - the checked tables of a submission handed to the linked audit,
 * with the tables released before when the checker has a release source
 * (check --ledger).
 *
 * The tables are the ones read when the files were checked (kept in their
 * results), never read again, so what was hashed is what is audited. The
 * released tables are rebuilt by the source from the cells it recorded,
 * not from the files released.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/checker.h"
#include "check/result.h"
#include "core/vec.h"
#include "sdccheck/audit.h"

/* Links FILES with the released tables REL (NULL: none). */
static int link_with(const sdc_checker *ck, sdc_file_result *const *files, size_t count,
                     const sdc_released_tables *rel)
{
    /* Nothing hidden anywhere: nothing to undo (a released cell may be
     * given away by a new table that hides nothing). */
    bool hidden = rel && rel->count > 0;
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        bool linkable = sdc_result_linkable(files[i]);
        hidden |= linkable && files[i]->suppressed > 0;
        n += linkable;
    }
    if (!hidden || n == 0)
        return 0;
    size_t nrel = rel ? rel->count : 0;
    sdc_linked_table *tables = calloc(n + nrel + 1, sizeof *tables);
    sdc_findings scratch = {0}; /* what is said of a released table goes nowhere */
    if (!tables)
        return SDC_ENOMEM;
    n = 0;
    for (size_t i = 0; i < count; i++)
        if (sdc_result_linkable(files[i]))
            tables[n++] =
                (sdc_linked_table){files[i]->path, files[i]->table, &files[i]->findings, false};
    for (size_t i = 0; i < nrel; i++)
        tables[n++] = (sdc_linked_table){rel->items[i].name, rel->items[i].table, &scratch, true};
    int rc = sdc_audit_linked(tables, n, ck->policy);
    free(tables);
    sdc_findings_free(&scratch);
    for (size_t i = 0; rc > 0 && i < count; i++)
        if (sdc_result_linkable(files[i]))
            sdc_result_finish(ck->policy, files[i]);
    return rc < 0 ? SDC_ENOMEM : SDC_OK;
}

int sdc_check_linked(const sdc_checker *ck, sdc_file_result *const *files, size_t count)
{
    return link_with(ck, files, count, NULL);
}

/* The released-before note on each result whose bytes were released. */
static int note_released(const sdc_checker *ck, sdc_file_result *const *files, size_t count,
                         sdc_status *st)
{
    const sdc_release_source *src = &ck->releases;
    for (size_t i = 0; src->file && i < count; i++) {
        sdc_file_result *r = files[i];
        if (!r->sha256[0])
            continue;
        long long release = 0;
        char when[32] = "", path[512] = "";
        int found = src->file(src->ctx, r->sha256, &release, when, path, sizeof path, st);
        if (found < 0)
            return found;
        if (found == 0)
            continue;
        sdc_finding_at at = {.advice = "nothing to do if it is meant to leave again; verify "
                                       "that it is the file meant"};
        sdc_findings_add(&r->findings, "released-before", SDC_PASS, &at,
                         "the same bytes (SHA-256 %.12s...) were released before: release %lld "
                         "of %s, as %s",
                         r->sha256, release, when, path);
        sdc_result_finish(ck->policy, r);
    }
    return SDC_OK;
}

/* The names of the label columns of the new tables, each once. */
static int new_dimensions(sdc_file_result *const *files, size_t count, const char ***dims,
                          size_t *n)
{
    size_t cap = 0;
    *dims = NULL;
    *n = 0;
    for (size_t i = 0; i < count; i++) {
        const sdc_table *t = files[i]->table;
        if (!sdc_result_linkable(files[i]) || !t)
            continue;
        for (size_t c = 0; c < t->ncols; c++) {
            const sdc_column *col = &t->columns[c];
            if (col->role != SDC_COL_LABEL || col->is_index || !col->name[0])
                continue;
            bool seen = false;
            for (size_t k = 0; k < *n && !seen; k++)
                seen = strcmp((*dims)[k], col->name) == 0;
            if (seen)
                continue;
            if (SDC_VEC_RESERVE(*dims, cap, *n + 1) < 0)
                return SDC_ENOMEM;
            (*dims)[(*n)++] = col->name;
        }
    }
    return SDC_OK;
}

static bool joins_new(void *ctx, const sdc_table *t)
{
    return sdc_link_filter_joins(ctx, t);
}

/* The filter of released tables by the new tables among FILES. */
static sdc_link_filter *new_tables_filter(const sdc_checker *ck, sdc_file_result *const *files,
                                          size_t count)
{
    sdc_linked_table *fresh = calloc(count + 1, sizeof *fresh);
    size_t n = 0;
    for (size_t i = 0; fresh && i < count; i++)
        if (sdc_result_linkable(files[i]))
            fresh[n++] =
                (sdc_linked_table){files[i]->path, files[i]->table, &files[i]->findings, false};
    sdc_link_filter *f = fresh ? sdc_link_filter_new(fresh, n, ck->policy) : NULL;
    free(fresh);
    return f;
}

int sdc_check_released(const sdc_checker *ck, sdc_file_result *const *files, size_t count,
                       sdc_status *st)
{
    const sdc_release_source *src = &ck->releases;
    if (!src->tables && !src->file)
        return sdc_check_linked(ck, files, count);
    int rc = note_released(ck, files, count, st);
    const char **dims = NULL;
    size_t ndims = 0;
    sdc_released_tables rel = {0};
    if (rc == SDC_OK)
        rc = new_dimensions(files, count, &dims, &ndims);
    /* Only the released tables that join a new one are kept. */
    sdc_link_filter *filter = NULL;
    if (rc == SDC_OK && src->tables && ndims > 0 && !(filter = new_tables_filter(ck, files, count)))
        rc = SDC_ENOMEM;
    rel.accept = joins_new;
    rel.accept_ctx = filter;
    if (rc == SDC_OK && filter)
        rc = src->tables(src->ctx, dims, ndims, ck->policy, &rel, st);
    sdc_link_filter_free(filter);
    if (rc == SDC_OK)
        rc = link_with(ck, files, count, &rel);
    if (rc == SDC_ENOMEM && st && !st->message[0])
        sdc_status_set(st, rc, "out of memory");
    free(dims);
    sdc_released_tables_free(&rel);
    return rc;
}

void sdc_checker_set_releases(sdc_checker *checker, const sdc_release_source *source)
{
    checker->releases = source ? *source : (sdc_release_source){0};
}

int sdc_released_tables_add(sdc_released_tables *list, sdc_table *table, long long release,
                            const char *released_at, const char *path)
{
    if (list->accept && !list->accept(list->accept_ctx, table)) {
        sdc_table_free(table);
        return SDC_OK;
    }
    if (SDC_VEC_RESERVE(list->items, list->capacity, list->count + 1) < 0) {
        sdc_table_free(table);
        return SDC_ENOMEM;
    }
    sdc_released_table *r = &list->items[list->count];
    *r = (sdc_released_table){.table = table, .release = release};
    snprintf(r->released_at, sizeof r->released_at, "%s", released_at ? released_at : "");
    r->path = strdup(path ? path : "");
    if (!r->path ||
        asprintf(&r->name, "%s (release %lld of %s)", r->path, release, r->released_at) < 0) {
        free(r->path);
        sdc_table_free(table);
        return SDC_ENOMEM;
    }
    list->count++;
    return SDC_OK;
}

void sdc_released_tables_free(sdc_released_tables *list)
{
    for (size_t i = 0; i < list->count; i++) {
        sdc_table_free(list->items[i].table);
        free(list->items[i].path);
        free(list->items[i].name);
    }
    free(list->items);
    *list = (sdc_released_tables){0};
}
