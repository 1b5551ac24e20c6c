/*
 * threads.h - running one function on several threads (private).
 *
 * The audit's blocks and the heuristic's first round both hand a shared
 * job to a few threads that take its parts in turn; here is the one
 * definition of starting them, the caller's thread among them.
 */
#ifndef SDC_CORE_THREADS_H
#define SDC_CORE_THREADS_H

/* Threads sdc_run_threads starts at most. */
#define SDC_THREADS_MAX 8

/* The machine's cores online (at least 1), at most SDC_THREADS_MAX. */
unsigned sdc_threads_cores(void);

/* Runs FN(ARG) on THREADS threads (at most SDC_THREADS_MAX), this one
 * among them, and waits for them all; a thread that cannot start leaves
 * its share to the others. Returns the threads that ran. */
unsigned sdc_run_threads(unsigned threads, void *(*fn)(void *), void *arg);

#endif
