/*
 * folder.h - the files a submission names (private to check/).
 */
#ifndef SDC_CHECK_FOLDER_H
#define SDC_CHECK_FOLDER_H

#include <stddef.h>

/* A path to check: a file to open, or a result decided by the walk. */
typedef struct sdc_walk_item {
    char *path;    /* the path to report */
    char *problem; /* NULL: check the file; else why it is reported instead */
} sdc_walk_item;

typedef struct sdc_walk_list {
    sdc_walk_item *items;
    size_t count, cap;
    int oom;
} sdc_walk_list;

/*
 * Lists the files under PATHS[0..count): files as given, folders walked in
 * name order (symbolic links followed only when they stay inside the
 * folder given; links out of it, special files and unreadable folders are
 * items with a problem), the whole list sorted by path. Returns 0, or -1
 * when out of memory (W is then freed).
 */
int sdc_walk_paths(const char *const *paths, size_t count, sdc_walk_list *w);

void sdc_walk_list_free(sdc_walk_list *w);

#endif
