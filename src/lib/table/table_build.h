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

struct sdc_arena;

typedef struct sdc_table_builder sdc_table_builder;

sdc_table_builder *sdc_table_builder_new(const sdc_policy *policy, bool decimal_comma);

/* Adds one row of N fields found at file line LINE. The first row added is
 * the header. Returns 0 or -1 when out of memory. */
int sdc_table_builder_add(sdc_table_builder *b, const char *const *fields, const size_t *lens,
                          size_t n, long line);

/* Makes room for ROWS more rows of WIDTH fields each, when the caller
 * knows how many are coming (a table built from records): one allocation
 * instead of a doubling chain, whose copies and fresh pages took a third
 * of the 5-D bench table's 2 s of building. Returns 0 or -1 when out of
 * memory. */
int sdc_table_builder_reserve(sdc_table_builder *b, size_t rows, size_t width);

/*
 * Rows filled by the caller, on threads of its own if it likes: opens
 * ROWS rows of WIDTH cells after those added (their file lines FIRST_LINE
 * and on) and returns the first one's cells (row r's are WIDTH r further
 * on), or NULL when out of memory. Each cell is then set with
 * sdc_table_builder_set before the builder is used again. For a header
 * already added and rows all as wide.
 */
sdc_cell *sdc_table_builder_open_rows(sdc_table_builder *b, size_t rows, size_t width,
                                      long first_line);

/* Sets CELL, an opened row's, to TEXT[0..LEN) trimmed: SAME's cell again
 * when SAME (the same field of the row before, or NULL) holds that text,
 * else a copy in ARENA (the caller's: one a thread, each handed to the
 * builder with sdc_table_builder_adopt) classified as the builder's
 * cells are. Cells apart may be set at once. Returns 0 or -1 when out of
 * memory. */
int sdc_table_builder_set(const sdc_table_builder *b, struct sdc_arena *arena, sdc_cell *cell,
                          const sdc_cell *same, const char *text, size_t len);

/* Hands ARENA's texts to the table B builds (ARENA is freed). */
void sdc_table_builder_adopt(sdc_table_builder *b, struct sdc_arena *arena);

/* Body rows added so far (not counting the header). */
size_t sdc_table_builder_rows(const sdc_table_builder *b);

/* Fields in the header row (0 before it is added). */
size_t sdc_table_builder_header_width(const sdc_table_builder *b);

/* The fields of the widest row so far, header included. */
size_t sdc_table_builder_widest(const sdc_table_builder *b);

/*
 * Short rows are padded with empty cells to the widest row, so that the
 * rules read a rectangle. The padding may not cost more than
 * SDC_TABLE_PAD_FACTOR times the cells read plus SDC_TABLE_PAD_MIN (one
 * row of 100,000 fields under 1,000 rows of two would otherwise make
 * 100 million cells of nothing): the width the table will have, which is
 * less than sdc_table_builder_widest when a row is that much wider than
 * the rest; the fields past it are not read as cells (the reader reports
 * them).
 */
#define SDC_TABLE_PAD_FACTOR 4
#define SDC_TABLE_PAD_MIN ((size_t)1 << 20)
size_t sdc_table_builder_fit_width(const sdc_table_builder *b);

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

/* The columns of T whose texts label its rows (sdc_table_row_labels) into
 * COLS (room for T's width); returns how many. */
size_t sdc_table_label_columns(const sdc_table *t, size_t *cols);

/* sdc_table_row_labels with those columns found once: COLS[0..n). */
char *sdc_table_row_labels_in(const sdc_table *t, const size_t *cols, size_t n, size_t r, char *out,
                              size_t out_size);

/* Classifies one trimmed cell text under POLICY (exposed for tests). */
void sdc_cell_classify(sdc_cell *cell, const char *text, size_t len, const sdc_policy *policy,
                       bool decimal_comma);

#endif
