/*
 * pool.c - a submission's files checked on several threads.
 *
 * Work is split by file: threads take the next item from a shared counter
 * and write only their own item's result list, so results are merged in
 * path order afterwards and `-j 8` reports exactly what `-j 1` does. A
 * checker is shared read-only.
 *
 * Each small CSV table keeps the table it was read into, so that linked
 * tables are audited from what was read and hashed. Linking considers at
 * most SDC_LINK_MAX_TABLES tables; once more candidates than that have
 * been seen, no linking will happen and tables are dropped as they come.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check/checker.h"
#include "check/pool.h"
#include "check/result.h"
#include "check/source.h"
#include "core/threads.h"
#include "sdccheck/audit.h"

typedef struct job_queue {
    const sdc_checker *ck;
    int member_jobs;
    const sdc_walk_list *items;
    sdc_result_list *results; /* one list per walk item */
    size_t next;
    size_t candidates; /* linkable tables seen */
    int failed;
    pthread_mutex_t lock;
} job_queue;

/* MEMBER_JOBS: threads an archive's members may be walked on, the
 * threads the files themselves leave idle. */
static int check_item(const sdc_checker *ck, const sdc_walk_item *it, int member_jobs,
                      sdc_result_list *out)
{
    if (!it->problem)
        return sdc_check_file_jobs(ck, it->path, it->path, member_jobs, out);
    long slot = sdc_result_list_reserve(out);
    if (slot < 0)
        return -1;
    sdc_file_result *r = &out->items[slot];
    if (strncmp(it->problem, "cannot read", 11) == 0)
        return sdc_result_unreadable(ck->policy, it->path, it->problem, r);
    r->path = strdup(it->path);
    r->size = -1;
    r->format = strdup("special");
    if (!r->path || !r->format)
        return -1;
    sdc_result_needs_review(r, it->problem, "submit regular files inside the submission folder");
    sdc_result_finish(ck->policy, r);
    return 0;
}

/* check_item between the checker's progress calls (sdc_progress_hook):
 * the bytes done are the bytes the file's own result read. */
static int check_reported(const sdc_checker *ck, const sdc_walk_item *it, int member_jobs,
                          sdc_result_list *out)
{
    const sdc_progress_hook *h = &ck->progress;
    if (h->file_start)
        h->file_start(h->ctx, it->path);
    int rc = check_item(ck, it, member_jobs, out);
    if (h->file_done)
        h->file_done(h->ctx, it->path,
                     rc == 0 && out->count > 0 && out->items[0].size > 0 ? out->items[0].size : 0);
    return rc;
}

/* Counts the item's candidates for linking; past the limit, drops its
 * tables. Called with the queue locked (or on one thread). */
static void count_candidates(job_queue *q, sdc_result_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        q->candidates += sdc_result_linkable(&list->items[i]);
    if (q->candidates > SDC_LINK_MAX_TABLES)
        for (size_t i = 0; i < list->count; i++)
            sdc_file_result_drop_table(&list->items[i]);
}

static void *worker(void *arg)
{
    job_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        size_t i = q->next++;
        int stop = q->failed;
        pthread_mutex_unlock(&q->lock);
        if (stop || i >= q->items->count)
            return NULL;
        int rc = check_reported(q->ck, &q->items->items[i], q->member_jobs, &q->results[i]);
        pthread_mutex_lock(&q->lock);
        if (rc < 0)
            q->failed = 1;
        else
            count_candidates(q, &q->results[i]);
        pthread_mutex_unlock(&q->lock);
    }
}

static int run_threads(job_queue *q, int jobs)
{
    pthread_mutex_init(&q->lock, NULL);
    sdc_run_threads((unsigned)jobs, worker, q);
    pthread_mutex_destroy(&q->lock);
    return q->failed ? -1 : 0;
}

int sdc_pool_check(const sdc_checker *ck, const sdc_walk_list *w, int jobs,
                   sdc_result_list *results, bool *too_many)
{
    int member_jobs = w->count > 0 && w->count < (size_t)jobs ? jobs / (int)w->count : 1;
    job_queue q = {.ck = ck, .member_jobs = member_jobs, .items = w, .results = results};
    int rc = 0;
    if (jobs <= 1 || w->count <= 1) {
        for (size_t i = 0; i < w->count && rc == 0; i++) {
            rc = check_reported(ck, &w->items[i], member_jobs, &results[i]);
            if (rc == 0)
                count_candidates(&q, &results[i]);
        }
    } else {
        rc = run_threads(&q, jobs);
    }
    *too_many = q.candidates > SDC_LINK_MAX_TABLES;
    for (size_t i = 0; *too_many && i < w->count; i++)
        for (size_t k = 0; k < results[i].count; k++)
            sdc_file_result_drop_table(&results[i].items[k]);
    return rc;
}
