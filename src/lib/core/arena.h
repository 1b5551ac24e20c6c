/*
 * arena.h - a bump allocator for cell texts.
 *
 * A table holds thousands of short strings that all die together; one
 * arena of 64 KiB blocks makes that one free() per block instead of one per
 * cell, and keeps the cells close in memory for the rules that scan them.
 */
#ifndef SDC_ARENA_H
#define SDC_ARENA_H

#include <stddef.h>

struct sdc_arena;

struct sdc_arena *sdc_arena_new(void);

/* Copies S[0..len) plus a NUL into the arena. NULL when out of memory. */
char *sdc_arena_strndup(struct sdc_arena *a, const char *s, size_t len);

/* Bytes held by the arena (for memory accounting). */
size_t sdc_arena_size(const struct sdc_arena *a);

/* Moves FROM's strings into A (they live as long as A now) and frees
 * FROM. */
void sdc_arena_adopt(struct sdc_arena *a, struct sdc_arena *from);

void sdc_arena_free(struct sdc_arena *a);

#endif
