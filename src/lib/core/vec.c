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

int sdc_vec_reserve(void *arrayp, size_t *cap, size_t want, size_t elem)
{
    if (want <= *cap)
        return 0;
    size_t n = *cap ? *cap : 8;
    while (n < want) {
        if (n > SIZE_MAX / 2)
            return -1;
        n *= 2;
    }
    if (elem && n > SIZE_MAX / elem)
        return -1;
    void *old;
    memcpy(&old, arrayp, sizeof old);
    void *grown = realloc(old, n * elem);
    if (!grown)
        return -1;
    memcpy(arrayp, &grown, sizeof grown);
    *cap = n;
    return 0;
}
