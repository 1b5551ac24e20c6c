/*
 * folder.c - walking the folders of a submission.
 *
 * The walk only lists paths; nothing is read here. Symbolic links are
 * followed only when they resolve inside the folder given (a link out of
 * the submission is reported, not read), special files and unreadable
 * folders become items that explain themselves, and the list is sorted so
 * the report does not depend on the order the file system returns names.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check/folder.h"
#include "core/vec.h"

static void walk_add(sdc_walk_list *w, const char *path, const char *problem)
{
    if (SDC_VEC_RESERVE(w->items, w->cap, w->count + 1) < 0) {
        w->oom = 1;
        return;
    }
    sdc_walk_item it = {strdup(path), problem ? strdup(problem) : NULL};
    if (!it.path || (problem && !it.problem)) {
        free(it.path);
        free(it.problem);
        w->oom = 1;
        return;
    }
    w->items[w->count++] = it;
}

static bool inside(const char *root, const char *real)
{
    size_t n = strlen(root);
    if (strcmp(root, "/") == 0)
        return true;
    return strncmp(root, real, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in folder DIR but . and .., sorted; *N of them. NULL with *N
 * 0 when there are none; W->oom set when memory ran out. */
static char **folder_names(sdc_walk_list *w, DIR *d, size_t *n)
{
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    *n = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (SDC_VEC_RESERVE(names, cap, *n + 1) < 0) {
            w->oom = 1;
            break;
        }
        names[*n] = strdup(e->d_name);
        if (!names[*n]) {
            w->oom = 1;
            break;
        }
        (*n)++;
    }
    if (*n > 1)
        qsort(names, *n, sizeof *names, cmp_name);
    return names;
}

/* A symbolic link at PATH: followed only to a regular file inside ROOT. */
static void walk_link(sdc_walk_list *w, const char *root_real, const char *path)
{
    char *real = realpath(path, NULL);
    struct stat target;
    if (!real || stat(real, &target) != 0) {
        walk_add(w, path, "a symbolic link to nothing (broken link)");
    } else if (!inside(root_real, real)) {
        walk_add(w, path, "a symbolic link to outside the submitted folder: not followed");
    } else if (S_ISREG(target.st_mode)) {
        walk_add(w, path, NULL);
    } else if (!S_ISDIR(target.st_mode)) {
        walk_add(w, path, "a symbolic link to something that is not a regular file");
    }
    /* A link to a folder inside the submission: its files are checked
     * where they are. */
    free(real);
}

static void walk_dir(sdc_walk_list *w, const char *root_real, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        char why[256];
        snprintf(why, sizeof why, "cannot read folder: %s", strerror(errno));
        walk_add(w, dir, why);
        return;
    }
    size_t n = 0;
    char **names = folder_names(w, d, &n);
    closedir(d);
    for (size_t i = 0; i < n && !w->oom; i++) {
        char *path = NULL;
        if (asprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]) < 0) {
            w->oom = 1;
            break;
        }
        struct stat st;
        if (lstat(path, &st) != 0) {
            char why[256];
            snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
            walk_add(w, path, why);
        } else if (S_ISLNK(st.st_mode)) {
            walk_link(w, root_real, path);
        } else if (S_ISDIR(st.st_mode)) {
            if (depth > 64)
                walk_add(w, path, "folders nested more than 64 deep: not walked");
            else
                walk_dir(w, root_real, path, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            walk_add(w, path, NULL);
        } else {
            walk_add(w, path, "not a regular file (device, pipe or socket): not read");
        }
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static int cmp_item(const void *a, const void *b)
{
    return strcmp(((const sdc_walk_item *)a)->path, ((const sdc_walk_item *)b)->path);
}

int sdc_walk_paths(const char *const *paths, size_t count, sdc_walk_list *w)
{
    memset(w, 0, sizeof *w);
    for (size_t i = 0; i < count && !w->oom; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            char *real = realpath(paths[i], NULL);
            if (!real) {
                walk_add(w, paths[i], "cannot read folder: cannot resolve its path");
                continue;
            }
            walk_dir(w, real, paths[i], 0);
            free(real);
        } else {
            walk_add(w, paths[i], S_ISREG(st.st_mode) ? NULL : "not a regular file: not read");
        }
    }
    if (w->oom) {
        sdc_walk_list_free(w);
        return -1;
    }
    if (w->count > 1)
        qsort(w->items, w->count, sizeof *w->items, cmp_item);
    return 0;
}

void sdc_walk_list_free(sdc_walk_list *w)
{
    for (size_t i = 0; i < w->count; i++) {
        free(w->items[i].path);
        free(w->items[i].problem);
    }
    free(w->items);
    memset(w, 0, sizeof *w);
}
