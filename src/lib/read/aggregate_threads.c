/*
 * aggregate_threads.c - the workers on their threads, and the merge of
 * what they found.
 *
 * Each worker parses from the start of its piece up to the start of the
 * next one, which the next worker finds meanwhile (aggregate_split.c). It
 * stops there only if its parser is between records at that point;
 * otherwise (a file that is not RFC 4180) it parses on into the next piece,
 * and that piece's work is dropped. So the pieces that count are a chain
 * from the file's start to its end, each worker's `end` naming the next.
 * Their cells are merged in file order; counts add up, sums are exact
 * (aggregate_sum.h) and the largest contributions are ranked after merging,
 * so the table is the same for any split, and records are numbered across
 * pieces in errors.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/aggregate_internal.h"

/* ---- the parse ---- */

/* Worker ARG's whole run: find the start of its piece (but worker 0), wait
 * for the header, parse its piece and as many after it as it must. */
static void *worker_main(void *arg)
{
    sdc_agg_worker *w = arg;
    sdc_agg_job *j = w->job;
    if (w->index > 0) {
        sdc_agg_boundary_find(w);
        pthread_mutex_lock(&j->lock);
        while (j->header_state == 0)
            pthread_cond_wait(&j->changed, &j->lock);
        bool header = j->header_state > 0;
        pthread_mutex_unlock(&j->lock);
        if (!header)
            return NULL;
        sdc_agg_worker_start_body(w);
    }
    size_t pos = sdc_agg_boundary_wait(j, w->index);
    for (unsigned b = w->index + 1; b <= j->nworkers; b++) {
        /* Up to the next piece's target, then to its start once known. */
        if (b < j->nworkers && !sdc_agg_worker_parse(w, &pos, j->target[b]))
            break;
        size_t limit = b < j->nworkers ? sdc_agg_boundary_wait(j, b) : j->size;
        if (!sdc_agg_worker_parse(w, &pos, limit))
            break;
        if (b == j->nworkers || limit >= j->size || w->eof) {
            if (sdc_agg_worker_fini(w))
                w->end = j->nworkers;
            break;
        }
        /* Between records at the next piece's start: that piece is valid. */
        if (sdc_agg_worker_between_records(w)) {
            w->end = b;
            break;
        }
    }
    if (w->index == 0) {
        pthread_mutex_lock(&j->lock);
        if (j->header_state == 0)
            j->header_state = -1;
        pthread_cond_broadcast(&j->changed);
        pthread_mutex_unlock(&j->lock);
    }
    return NULL;
}

void sdc_agg_job_run(sdc_agg_job *j)
{
    pthread_t threads[SDC_AGG_MAX_WORKERS];
    unsigned started = 1;
    for (; started < j->nworkers; started++)
        if (pthread_create(&threads[started], NULL, worker_main, &j->workers[started]) != 0)
            break;
    /* A thread that could not start gives no split: worker 0 reads on. */
    pthread_mutex_lock(&j->lock);
    for (unsigned i = started; i < j->nworkers; i++) {
        j->boundary[i] = j->size;
        j->boundary_known[i] = true;
    }
    pthread_mutex_unlock(&j->lock);
    worker_main(&j->workers[0]);
    for (unsigned i = 1; i < started; i++)
        pthread_join(threads[i], NULL);
}

/* ---- the merge ---- */

/* Adds FROM's cells, units and pairs to INTO (its units on disk keep
 * where its cells went). -1 when out of memory. */
static int worker_merge(sdc_agg_worker *into, sdc_agg_worker *from)
{
    size_t *cell_to = malloc((from->cells.n + 1) * sizeof *cell_to);
    size_t *unit_to = malloc((from->units.n + 1) * sizeof *unit_to);
    int rc = cell_to && unit_to ? 0 : -1;
    uint32_t hashes[SDC_AGG_BATCH];
    for (size_t i = 0; rc == 0 && i < from->cells.n; i++) {
        const sdc_agg_cell *c = &from->cells.items[i];
        if (i % SDC_AGG_BATCH == 0) { /* the next cells' memory, fetched together */
            size_t n = from->cells.n - i < SDC_AGG_BATCH ? from->cells.n - i : SDC_AGG_BATCH;
            for (size_t k = 0; k < n; k++)
                hashes[k] = c[k].hash;
            sdc_agg_cell_prefetch(&into->cells, hashes, n);
        }
        size_t k = sdc_agg_cell_find(&into->cells, into->arena, c->key, c->klen, c->part, c->hash);
        if (k == SIZE_MAX) {
            rc = -1;
            break;
        }
        sdc_agg_cell *t = &into->cells.items[k];
        t->records += c->records;
        sdc_agg_top2_merge(&t->top, &c->top);
        rc = sdc_xsum_merge(&t->sum, &c->sum);
        cell_to[i] = k;
    }
    for (size_t i = 0; rc == 0 && i < from->units.n; i++) {
        const sdc_agg_unit *u = &from->units.items[i];
        size_t home = cell_to[u->home];
        unit_to[i] =
            sdc_agg_unit_find(&into->units, into->unit_arena, u->text, u->len, u->hash, home);
        sdc_xsum *t = unit_to[i] == SIZE_MAX
                          ? NULL
                          : sdc_agg_contribution_find(&into->units, &into->pairs, unit_to[i], home);
        rc = t ? sdc_xsum_merge(t, &u->sum) : -1;
    }
    for (size_t i = 0; rc == 0 && i < from->pairs.n; i++) {
        const sdc_agg_pair *p = &from->pairs.items[i];
        sdc_xsum *t = sdc_agg_contribution_find(&into->units, &into->pairs, unit_to[p->unit],
                                                cell_to[p->cell]);
        rc = t ? sdc_xsum_merge(t, &p->sum) : -1;
    }
    if (rc == 0 && from->runs.n) {
        from->runs.cell_to = cell_to;
        from->runs.ncells = from->cells.n;
        cell_to = NULL;
    }
    free(cell_to);
    free(unit_to);
    return rc;
}

sdc_agg_worker *sdc_agg_job_merge(sdc_agg_job *j, sdc_status *st)
{
    sdc_agg_worker *base = &j->workers[0];
    unsigned long long records_before = 0;
    /* Once a worker's units went to disk, every worker's go there: held
     * in one piece in memory they would pass the budget. */
    for (unsigned i = 0; i < j->nworkers; i++)
        j->spill->on |= j->workers[i].runs.n > 0;
    for (unsigned i = 0; i < j->nworkers;) {
        sdc_agg_worker *w = &j->workers[i];
        if (w->oom) {
            sdc_status_set(st, SDC_ENOMEM, "out of memory");
            return NULL;
        }
        if (w->error[0]) {
            sdc_status_set(st, SDC_EIO, "%s", w->error);
            return NULL;
        }
        if (i == 0 && j->header_state < 0) {
            sdc_status_set(st, SDC_EINVAL, "%s",
                           j->header_error[0] ? j->header_error : "no records");
            return NULL;
        }
        if (w->long_record) {
            sdc_status_set(st, SDC_EINVAL, "record %llu: its labels are longer than %d bytes",
                           records_before + w->long_record, SDC_AGG_KEY_MAX - 1);
            return NULL;
        }
        if (w->bad_record) {
            sdc_status_set(st, SDC_EINVAL, "record %llu: %s", records_before + w->bad_record,
                           w->bad_why);
            return NULL;
        }
        if (w->end <= i) { /* stopped without a reason: never expected */
            sdc_status_set(st, SDC_EIO, "the records could not be read");
            return NULL;
        }
        if (j->spill->on && w->units.n && sdc_agg_spill_write(w) < 0) {
            sdc_status_set(st, w->oom ? SDC_ENOMEM : SDC_EIO, "%s",
                           w->oom ? "out of memory" : w->error);
            return NULL;
        }
        w->runs.counted = true;
        if (w != base && worker_merge(base, w) < 0) {
            sdc_status_set(st, SDC_ENOMEM, "out of memory");
            return NULL;
        }
        records_before += w->records;
        i = w->end;
    }
    return base;
}
