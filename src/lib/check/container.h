/*
 * container.h - opening archives and compressed streams (private to
 * check/).
 */
#ifndef SDC_CHECK_CONTAINER_H
#define SDC_CHECK_CONTAINER_H

#include "check/walk.h"
#include "classify/trailer.h"

/*
 * Reads the rest of a container from SRC through libarchive (or zlib),
 * handing each member to W->member as a stream of its own at DEPTH + 1.
 * SELF is the container's own result (its path names the members; its
 * format says how to open it); findings about the container (archive-bomb,
 * archive-encrypted, archive-path, malformed, the worst finding of each
 * direct member) are added to it. HEAD (HEAD_LEN bytes) was read from SRC
 * already. SRC hashes what it passes; everything is read to the end, so
 * the hash covers the whole file. TRAILER, when not NULL, is the zip end
 * record seen so far (overlapping entries). Returns 0, or -1 when out of
 * memory.
 */
int sdc_container_open(const sdc_walk *w, sdc_file_result *self, const sdc_trailer *trailer,
                       const unsigned char *head, size_t head_len, sdc_byte_source *src, int depth,
                       sdc_budget *b, sdc_result_list *list);

#endif
