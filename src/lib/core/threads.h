/*
 * threads.h - running one function on several threads (private).
 *
 * The audit's blocks, the heuristic's first round, the files of a
 * submission (`--jobs`) and the folders of a batch report all hand a
 * shared job to a few threads that take its parts in turn; here is the
 * one definition of starting them, the caller's thread among them.
 */
#ifndef SDC_CORE_THREADS_H
#define SDC_CORE_THREADS_H

#include <stdbool.h>
#include <stddef.h>

/* Threads sdc_run_threads runs at most (`--jobs` is capped there). */
#define SDC_THREADS_MAX 64
/* Cores sdc_threads_cores counts at most. */
#define SDC_CORES_MAX 8

/* The machine's cores online (at least 1), at most SDC_CORES_MAX. */
unsigned sdc_threads_cores(void);

/* Runs FN(ARG) on THREADS threads (at most SDC_THREADS_MAX), this one
 * among them, and waits for them all; a thread that cannot start leaves
 * its share to the others. Returns the threads that ran. */
unsigned sdc_run_threads(unsigned threads, void *(*fn)(void *), void *arg);

/* The next of N parts for the calling thread, taken from the counter
 * NEXT its threads share (atomically, from 0): into *AT; false when none
 * is left. */
static inline bool sdc_threads_take(size_t *next, size_t n, size_t *at)
{
    *at = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
    return *at < n;
}

#endif
