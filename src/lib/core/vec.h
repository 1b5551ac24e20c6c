/*
 * vec.h - growable C arrays (private).
 *
 * One definition of the doubling realloc loop that every list needs: an
 * array is a pointer and a capacity kept by its owner; sdc_vec_reserve
 * makes room for WANT elements, doubling, and refuses sizes that would
 * overflow instead of wrapping around to a small allocation.
 *
 *   if (SDC_VEC_RESERVE(list->items, list->cap, list->count + 1) < 0)
 *       return -1;
 *   list->items[list->count++] = item;
 *
 * Parallel arrays that share one capacity grow with sdc_vec_capacity and
 * sdc_vec_resize:
 *
 *   size_t cap = sdc_vec_capacity(e->cap, e->count + 1);
 *   if (!cap || SDC_VEC_RESIZE(e->var, cap) < 0 || SDC_VEC_RESIZE(e->coef, cap) < 0)
 *       return -1;
 *   e->cap = cap;
 */
#ifndef SDC_CORE_VEC_H
#define SDC_CORE_VEC_H

#include <stddef.h>

/* The capacity an array of CAP elements grows to so that it holds WANT:
 * CAP when it does already, else CAP (or 8) doubled until it does; 0 when
 * that would overflow. */
size_t sdc_vec_capacity(size_t cap, size_t want);

/*
 * Reallocates the array whose address is ARRAYP (a T **, as void *) to N
 * elements of ELEM bytes. Returns 0, or -1 when out of memory or when the
 * size would overflow (the array unchanged).
 */
int sdc_vec_resize(void *arrayp, size_t n, size_t elem);

/*
 * Grows the array at ARRAYP of *CAP elements of ELEM bytes to hold at
 * least WANT (sdc_vec_capacity). Returns 0; or -1 when out of memory or
 * when the size would overflow, the array and *CAP unchanged.
 */
int sdc_vec_reserve(void *arrayp, size_t *cap, size_t want, size_t elem);

#define SDC_VEC_RESERVE(array, cap, want) sdc_vec_reserve(&(array), &(cap), (want), sizeof *(array))
#define SDC_VEC_RESIZE(array, n) sdc_vec_resize(&(array), (n), sizeof *(array))

#endif
