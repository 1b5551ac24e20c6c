/*
 * table_build.h - building an sdc_table row by row (private to the library).
 *
 * The CSV reader (and later the xlsx reader) hand rows of raw field texts to
 * a builder; cells are classified as they arrive (number, suppression
 * marker, missing, text) so that the raw row can be forgotten at once.
 * Rows may be ragged: the grid is made when the table is finished, with as
 * many columns as the widest row.
 */
#ifndef SDC_TABLE_BUILD_H
#define SDC_TABLE_BUILD_H

#include "sdccheck/table.h"

typedef struct sdc_table_builder sdc_table_builder;

sdc_table_builder *sdc_table_builder_new(const sdc_policy *policy, bool decimal_comma);

/* Adds one row of N fields found at file line LINE. The first row added is
 * the header. Returns 0 or -1 when out of memory. */
int sdc_table_builder_add(sdc_table_builder *b, const char *const *fields, const size_t *lens,
                          size_t n, long line);

/* Body rows added so far (not counting the header). */
size_t sdc_table_builder_rows(const sdc_table_builder *b);

/* Fields in the header row (0 before it is added). */
size_t sdc_table_builder_header_width(const sdc_table_builder *b);

/* Do the rows kept so far read as an aggregate table (doc/design.md,
 * "Record-level data"): a header with no identifier or date of birth,
 * measure columns (named as counts, sums or means, or a last column of
 * non-negative integers) after label columns, every row as wide as the
 * header, and one row per combination of the labels? */
bool sdc_table_builder_aggregate_shaped(const sdc_table_builder *b);

/* Makes the table (NULL when no row was added or out of memory) and frees
 * the builder. ROWS_SEEN is the count of body rows in the file, which may be
 * more than were added. */
sdc_table *sdc_table_builder_finish(sdc_table_builder *b, unsigned long long rows_seen,
                                    bool truncated);

void sdc_table_builder_free(sdc_table_builder *b);

/* Frees T's columns, cells and per-row arrays, not T or its cell texts
 * (a rewritten body takes their place: layout.c). */
void sdc_table_free_body(sdc_table *t);

/* Classifies one trimmed cell text under POLICY (exposed for tests). */
void sdc_cell_classify(sdc_cell *cell, const char *text, size_t len, const sdc_policy *policy,
                       bool decimal_comma);

#endif
