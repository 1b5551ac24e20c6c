/*
 * source.h - checking one stream, one file (private to check/).
 */
#ifndef SDC_CHECK_SOURCE_H
#define SDC_CHECK_SOURCE_H

#include "check/walk.h"

/* Checks the stream SRC called NAME at nesting DEPTH (0: a submitted
 * file), appending its result and its members' to LIST. Returns 0, or -1
 * when out of memory. */
int sdc_check_source(const sdc_checker *ck, const char *name, sdc_byte_source *src, int depth,
                     sdc_budget *b, sdc_result_list *list);

/* Checks the file at PATH (reported as NAME) with its members into LIST;
 * a file that cannot be opened is a result saying why. Returns 0, or -1
 * when out of memory. */
int sdc_check_file_into(const sdc_checker *ck, const char *path, const char *name,
                        sdc_result_list *list);

/* As sdc_check_file_into, with an archive's members walked on JOBS
 * threads (member_pool.h). */
int sdc_check_file_jobs(const sdc_checker *ck, const char *path, const char *name, int jobs,
                        sdc_result_list *list);

/* Checks the file at PATH as sdc_check_file does, keeping its table in
 * OUT->table whatever its size (for --fix). Returns 0, or -1 when out of
 * memory. */
int sdc_check_file_table(const sdc_checker *ck, const char *path, sdc_file_result *out);

/* Checks the file at PATH with its members into LIST as
 * sdc_check_file_into does (on one thread), each table that has a finding
 * suppression mends (sdc_result_fixable) keeping its table in its result
 * whatever its size: --fix reads the tables inside a file again this way.
 * Returns 0, or -1 when out of memory. */
int sdc_check_file_fixable(const sdc_checker *ck, const char *path, sdc_result_list *list);

#endif
