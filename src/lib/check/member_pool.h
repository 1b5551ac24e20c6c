/*
 * member_pool.h - an archive's members walked on several threads
 * (private to check/).
 *
 * The thread reading the archive (libarchive decompresses on it) hands
 * each member it has read whole to the pool; worker threads walk members,
 * each into a result list of its own, and the reading thread splices the
 * lists into the archive's list in member order, so that a report is the
 * same whatever the number of threads.
 */
#ifndef SDC_CHECK_MEMBER_POOL_H
#define SDC_CHECK_MEMBER_POOL_H

#include "check/walk.h"

/* Members larger than this are walked as they stream, on the reading
 * thread: the pool holds at most 2 x jobs of them in memory. */
#define SDC_MEMBER_POOL_BYTES (4u * 1024u * 1024u)

typedef struct sdc_member_pool sdc_member_pool;

/* Called for each member as its results are spliced into the list: FIRST
 * is the index of the member's own result. Returns 0 or -1. */
typedef int (*sdc_member_spliced)(void *ctx, size_t first);

/* A pool of JOBS threads walking members with W into LIST, their limits
 * counted in B; ON_SPLICE(CTX, ...) is told of each member spliced. NULL
 * when out of memory. Threads start with the first member. */
sdc_member_pool *sdc_member_pool_new(const sdc_walk *w, sdc_budget *b, int jobs,
                                     sdc_result_list *list, sdc_member_spliced on_splice,
                                     void *ctx);

/* Queues the member NAME (BYTES[0..len), malloc'd: the pool frees both)
 * at nesting DEPTH, waiting while the pool is full, and splices the
 * members walked so far. Returns 0, or -1 when out of memory. */
int sdc_member_pool_add(sdc_member_pool *pool, char *name, unsigned char *bytes, size_t len,
                        int depth);

/* Waits for every queued member and splices its results. Returns 0, or
 * -1 when a walk ran out of memory. */
int sdc_member_pool_flush(sdc_member_pool *pool);

/* Stops the threads (after the members they are walking) and frees what
 * was not spliced. */
void sdc_member_pool_free(sdc_member_pool *pool);

#endif
