/*
 * arena.c - bump allocation in a chain of blocks (see arena.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

#define ARENA_BLOCK (64u * 1024u)

struct block {
    struct block *next;
    size_t used, size;
    char data[];
};

struct sdc_arena {
    struct block *head;
    size_t total;
};

struct sdc_arena *sdc_arena_new(void)
{
    return calloc(1, sizeof(struct sdc_arena));
}

static struct block *block_new(size_t at_least)
{
    size_t size = at_least > ARENA_BLOCK ? at_least : ARENA_BLOCK;
    struct block *b = malloc(sizeof *b + size);
    if (b) {
        b->next = NULL;
        b->used = 0;
        b->size = size;
    }
    return b;
}

char *sdc_arena_strndup(struct sdc_arena *a, const char *s, size_t len)
{
    size_t need = len + 1;
    struct block *b = a->head;
    if (!b || b->size - b->used < need) {
        b = block_new(need);
        if (!b)
            return NULL;
        b->next = a->head;
        a->head = b;
        a->total += b->size;
    }
    char *p = b->data + b->used;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    b->used += need;
    return p;
}

size_t sdc_arena_size(const struct sdc_arena *a)
{
    return a ? a->total : 0;
}

void sdc_arena_adopt(struct sdc_arena *a, struct sdc_arena *from)
{
    if (!from)
        return;
    struct block *last = from->head;
    while (last && last->next)
        last = last->next;
    if (last) {
        /* behind A's head, which A keeps filling */
        struct block **at = a->head ? &a->head->next : &a->head;
        last->next = *at;
        *at = from->head;
        a->total += from->total;
    }
    free(from);
}

void sdc_arena_free(struct sdc_arena *a)
{
    if (!a)
        return;
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}
