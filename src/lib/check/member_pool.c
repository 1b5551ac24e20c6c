/*
 * member_pool.c - an archive's members walked on several threads.
 *
 * Members wait in a ring, oldest first: [first, run) are being walked or
 * done, [run, end) wait for a thread. Only the reading thread touches the
 * archive's result list; a worker writes the result list of its own
 * member, and marks it done under the lock, so that the reading thread,
 * which waits for the oldest member before splicing it, sees all it wrote.
 * The budget's counters are atomic (walk.h): a member's nested archives
 * count against the same limits from whichever thread walks them.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check/member.h"
#include "check/member_pool.h"
#include "check/result.h"

#define THREADS_MAX 64

typedef struct member_job {
    char *name;
    unsigned char *bytes;
    size_t len;
    int depth;
    sdc_result_list results;
    int rc;
    bool done;
} member_job;

struct sdc_member_pool {
    const sdc_walk *w;
    sdc_budget *b;
    sdc_result_list *list;
    sdc_member_spliced on_splice;
    void *ctx;
    int jobs, started;
    pthread_t threads[THREADS_MAX];
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    member_job *ring;
    size_t slots;
    size_t first, run, end; /* counters; the slot is the counter mod SLOTS */
    bool stop;
};

sdc_member_pool *sdc_member_pool_new(const sdc_walk *w, sdc_budget *b, int jobs,
                                     sdc_result_list *list, sdc_member_spliced on_splice, void *ctx)
{
    if (jobs > THREADS_MAX)
        jobs = THREADS_MAX;
    size_t slots = 2 * (size_t)(jobs > 1 ? jobs : 1);
    sdc_member_pool *pool = malloc(sizeof *pool);
    member_job *ring = calloc(slots, sizeof *ring);
    if (!pool || !ring) {
        free(pool);
        free(ring);
        return NULL;
    }
    *pool = (sdc_member_pool){.w = w,
                              .b = b,
                              .list = list,
                              .on_splice = on_splice,
                              .ctx = ctx,
                              .jobs = jobs,
                              .ring = ring,
                              .slots = slots};
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work, NULL);
    pthread_cond_init(&pool->done, NULL);
    return pool;
}

static void walk_job(sdc_member_pool *pool, member_job *job)
{
    sdc_bytes_reader r;
    sdc_byte_source src =
        sdc_bytes_source(&r, job->bytes ? job->bytes : (unsigned char *)"", job->len);
    job->rc = pool->w->member(pool->w, job->name, &src, job->depth, pool->b, &job->results);
    free(job->bytes); /* read: what is kept is in the results */
    job->bytes = NULL;
}

static void *worker(void *arg)
{
    sdc_member_pool *pool = arg;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (pool->run == pool->end && !pool->stop)
            pthread_cond_wait(&pool->work, &pool->lock);
        if (pool->run == pool->end)
            break; /* stopping, and nothing waits */
        member_job *job = &pool->ring[pool->run++ % pool->slots];
        pthread_mutex_unlock(&pool->lock);
        walk_job(pool, job);
        pthread_mutex_lock(&pool->lock);
        job->done = true;
        pthread_cond_broadcast(&pool->done);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

static void job_free(member_job *job)
{
    free(job->name);
    free(job->bytes);
    sdc_result_list_free(&job->results);
    memset(job, 0, sizeof *job);
}

/* Splices the oldest member's results into the list, waiting for it when
 * WAIT, else only when it is done. Returns 1 when spliced, 0 when not,
 * -1 when out of memory. */
static int splice_oldest(sdc_member_pool *pool, bool wait)
{
    pthread_mutex_lock(&pool->lock);
    if (pool->first == pool->end) {
        pthread_mutex_unlock(&pool->lock);
        return 0;
    }
    member_job *job = &pool->ring[pool->first % pool->slots];
    while (wait && !job->done)
        pthread_cond_wait(&pool->done, &pool->lock);
    bool done = job->done;
    pthread_mutex_unlock(&pool->lock);
    if (!done)
        return 0;
    int rc = job->rc;
    if (rc == 0 && pool->on_splice(pool->ctx, pool->list->count) < 0)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < job->results.count; i++) {
        long slot = sdc_result_list_reserve(pool->list);
        if (slot < 0) {
            rc = -1;
            break;
        }
        pool->list->items[slot] = job->results.items[i];
        memset(&job->results.items[i], 0, sizeof job->results.items[i]);
    }
    job_free(job);
    pthread_mutex_lock(&pool->lock);
    pool->first++;
    pthread_mutex_unlock(&pool->lock);
    return rc < 0 ? -1 : 1;
}

int sdc_member_pool_add(sdc_member_pool *pool, char *name, unsigned char *bytes, size_t len,
                        int depth)
{
    /* Full: the oldest member is waited for. */
    while (pool->end - pool->first == pool->slots) {
        if (splice_oldest(pool, true) < 0) {
            free(name);
            free(bytes);
            return -1;
        }
    }
    while (pool->started < pool->jobs &&
           pthread_create(&pool->threads[pool->started], NULL, worker, pool) == 0)
        pool->started++;
    if (pool->started == 0) { /* no thread: walked here */
        member_job job = {.name = name, .bytes = bytes, .len = len, .depth = depth};
        walk_job(pool, &job);
        job.done = true;
        pthread_mutex_lock(&pool->lock);
        pool->ring[pool->end % pool->slots] = job;
        pool->end++;
        pool->run++;
        pthread_mutex_unlock(&pool->lock);
    } else {
        pthread_mutex_lock(&pool->lock);
        pool->ring[pool->end % pool->slots] =
            (member_job){.name = name, .bytes = bytes, .len = len, .depth = depth};
        pool->end++;
        pthread_cond_signal(&pool->work);
        pthread_mutex_unlock(&pool->lock);
    }
    int rc;
    while ((rc = splice_oldest(pool, false)) > 0)
        ;
    return rc;
}

int sdc_member_pool_flush(sdc_member_pool *pool)
{
    int rc;
    while ((rc = splice_oldest(pool, true)) > 0)
        ;
    return rc;
}

void sdc_member_pool_free(sdc_member_pool *pool)
{
    if (!pool)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->stop = true;
    pool->end = pool->run; /* members not started are not walked */
    pthread_cond_broadcast(&pool->work);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->started; i++)
        pthread_join(pool->threads[i], NULL);
    for (size_t i = 0; i < pool->slots; i++)
        job_free(&pool->ring[i]);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->work);
    pthread_cond_destroy(&pool->done);
    free(pool->ring);
    free(pool);
}
