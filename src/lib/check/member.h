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

/* Walks LEN bytes at P as a member of SELF called NAME (the
 * path is SELF's, '!', NAME), its worst finding repeated on SELF. */
int sdc_container_walk_bytes(const sdc_walk *w, sdc_file_result *self, const char *name,
                             const unsigned char *p, size_t len, int depth, sdc_budget *b,
                             sdc_result_list *list);

/* Repeats on SELF the worst finding of each direct member, LIST's items
 * DIRECT[0..ndirect). */
void sdc_container_summarise(sdc_file_result *self, const sdc_result_list *list,
                             const size_t *direct, size_t ndirect);

#endif
