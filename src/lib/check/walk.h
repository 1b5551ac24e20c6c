/*
 * walk.h - the types one byte stream is walked with (private to check/).
 *
 * A file, an archive member and a decompressed stream are all a byte
 * source. The walk reads a source's head, classifies it, then streams the
 * rest into the right consumer; for a container the consumer is libarchive,
 * and each member is walked again as a source of its own. Results are
 * appended to a result list in order: a container, then its members.
 *
 * The container code does not call the walk by name: the checker hands it
 * an sdc_walk (a callback and what it needs), so that data flows one way
 * (doc/design.md, "Layers").
 */
#ifndef SDC_CHECK_WALK_H
#define SDC_CHECK_WALK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

#include "sdccheck/check.h"

typedef struct sdc_byte_source {
    /* Reads up to LEN bytes into BUF: the count, 0 at the end, -1 on error
     * (then ERROR, static or owned by the source, says why). */
    ssize_t (*read)(void *ctx, void *buf, size_t len);
    void *ctx;
    const char *error;
} sdc_byte_source;

/* Results in walk order: a container's own result, then its members'. */
typedef struct sdc_result_list {
    sdc_file_result *items;
    size_t count, capacity;
} sdc_result_list;

/* Limits shared by everything inside one submitted file
 * (sdccheck-policy(5), "archive"). The counters are atomic: an archive's
 * members may be walked on several threads (member_pool.c), each adding
 * what its own nested containers expand. */
typedef struct sdc_budget {
    long long outer_size;       /* bytes of the submitted file, for the ratio */
    _Atomic long long expanded; /* bytes produced by decompression so far */
    _Atomic long members;
    _Atomic bool exceeded; /* a limit was hit: stop expanding */
    int jobs;              /* threads an archive's members may be walked on */
    _Atomic bool parallel; /* one archive of this file is walking members on them */
} sdc_budget;

/* What a container needs from the checker that opened it. */
typedef struct sdc_walk {
    const sdc_policy *policy;
    const sdc_id_scanner *scanner;
    /* Walks the stream SRC called NAME at nesting DEPTH, appending its
     * result and its members' to LIST. Returns 0, or -1 when out of
     * memory. */
    int (*member)(const struct sdc_walk *w, const char *name, sdc_byte_source *src, int depth,
                  sdc_budget *b, sdc_result_list *list);
    const void *ctx; /* the checker, for MEMBER */
    /* Non-NULL: the streams MEMBER is given are explained by the file
     * holding them (the metadata an image's format defines, text decoded
     * from base64): text among them gets this format ("image-metadata",
     * "decoded-text") and passes after its scans, where other text is read
     * by a person. */
    const char *text_as;
    /* A --fix walk (sdc_check_file_fixable): a table that fails a rule
     * suppression mends keeps its table in its result. */
    bool keep_fixable;
} sdc_walk;

#endif
