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

#endif
