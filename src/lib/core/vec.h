/*
 * vec.h - growable C arrays (private).
 *
 * One definition of the doubling realloc loop that every list needs: an
 * array is a pointer and a capacity kept by its owner; sdc_vec_reserve
 * makes room for WANT elements, doubling, and refuses sizes that would
 * overflow instead of wrapping around to a small allocation.
 *
 *   if (SDC_VEC_RESERVE(list->items, list->cap, list->count + 1) < 0)
 *       return SDC_ENOMEM;
 *   list->items[list->count++] = item;
 */
#ifndef SDC_CORE_VEC_H
#define SDC_CORE_VEC_H

#include <stddef.h>

/*
 * Grows the array whose address is ARRAYP (a T **, as void *) of *CAP
 * elements of ELEM bytes to hold at least WANT elements: the capacity
 * doubles from 8 (or from *CAP) until it does. Returns 0; or -1 when out of
 * memory or when the size would overflow, the array and *CAP unchanged.
 */
int sdc_vec_reserve(void *arrayp, size_t *cap, size_t want, size_t elem);

#define SDC_VEC_RESERVE(array, cap, want) sdc_vec_reserve(&(array), &(cap), (want), sizeof *(array))

#endif
