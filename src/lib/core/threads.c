/*
 * threads.c - running one function on several threads (see threads.h).
 */
#include <pthread.h>
#include <unistd.h>

#include "core/threads.h"

unsigned sdc_threads_cores(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1)
        return 1;
    return cpus < SDC_CORES_MAX ? (unsigned)cpus : SDC_CORES_MAX;
}

unsigned sdc_run_threads(unsigned threads, void *(*fn)(void *), void *arg)
{
    pthread_t tid[SDC_THREADS_MAX];
    unsigned started = 0;
    for (unsigned i = 1; i < threads && i < SDC_THREADS_MAX; i++)
        started += pthread_create(&tid[started], NULL, fn, arg) == 0;
    fn(arg);
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    return started + 1;
}
