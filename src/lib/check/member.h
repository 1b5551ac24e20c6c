/*
 * member.h - a container's own findings and the members it holds in
 * memory (private to check/).
 */
#ifndef SDC_CHECK_MEMBER_H
#define SDC_CHECK_MEMBER_H

#include "check/walk.h"

/* A finding about the container SELF. */
void sdc_container_finding(sdc_file_result *self, const char *rule, sdc_verdict v,
                           const char *advice, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Bytes already in memory, as a source: R holds the place, P[0..len)
 * must outlive the source. */
typedef struct sdc_bytes_reader {
    const unsigned char *p;
    size_t len, pos;
} sdc_bytes_reader;
sdc_byte_source sdc_bytes_source(sdc_bytes_reader *r, const unsigned char *p, size_t len);

/* Walks LEN bytes at P as a member of SELF called NAME (the
 * path is SELF's, '!', NAME), its worst finding repeated on SELF. */
int sdc_container_walk_bytes(const sdc_walk *w, sdc_file_result *self, const char *name,
                             const unsigned char *p, size_t len, int depth, sdc_budget *b,
                             sdc_result_list *list);

/* Walks LEN bytes at P as the member NAME of SELF one level down, with
 * TEXT_AS (walk.h) for text its holder explains, or NULL; counted as a
 * member. Past the policy's archive max_depth it is not walked: a
 * needs-review finding says so of WHAT ("the image's part 'prVt'"). */
int sdc_walk_nested(const sdc_walk *w, sdc_file_result *self, const char *name, const char *what,
                    const char *text_as, const unsigned char *p, size_t len, int depth,
                    sdc_budget *b, sdc_result_list *list);

/* Repeats on SELF the worst finding of each direct member, LIST's items
 * DIRECT[0..ndirect). */
void sdc_container_summarise(sdc_file_result *self, const sdc_result_list *list,
                             const size_t *direct, size_t ndirect);

#endif
