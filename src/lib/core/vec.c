/*
 * vec.c - growable C arrays: the one doubling realloc loop.
 *
 * The array pointer is passed by address as void * and copied with memcpy,
 * so one function serves arrays of any element type without casting a
 * T ** to void ** (which C does not promise to work).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"

size_t sdc_vec_capacity(size_t cap, size_t want)
{
    if (want <= cap)
        return cap;
    size_t n = cap ? cap : 8;
    while (n < want) {
        if (n > SIZE_MAX / 2)
            return 0;
        n *= 2;
    }
    return n;
}

int sdc_vec_resize(void *arrayp, size_t n, size_t elem)
{
    if (elem && n > SIZE_MAX / elem)
        return -1;
    void *old;
    memcpy(&old, arrayp, sizeof old);
    size_t bytes = n * elem;
    void *grown = realloc(old, bytes > 0 ? bytes : 1);
    if (!grown)
        return -1;
    memcpy(arrayp, &grown, sizeof grown);
    /* The caller's pointer now owns GROWN (cppcheck does not follow the
     * memcpy). */
    // cppcheck-suppress memleak
    return 0;
}

int sdc_vec_reserve(void *arrayp, size_t *cap, size_t want, size_t elem)
{
    if (want <= *cap)
        return 0;
    size_t n = sdc_vec_capacity(*cap, want);
    if (!n || sdc_vec_resize(arrayp, n, elem) < 0)
        return -1;
    *cap = n;
    return 0;
}
