/*
 * layout_names.h - what a column's header name says it holds (private).
 *
 * The first step of inferring a table's layout (layout.c, doc/design.md, "Layouts"): a
 * header is normalised ("Std. Error" -> "std_error") and matched against
 * the policy's vocabulary, then read for dominance evidence ("max1",
 * "n_contributors", "turnover_max1"). Only names are looked at here; the
 * values and the table's shape are layout.c's.
 */
#ifndef SDC_LAYOUT_NAMES_H
#define SDC_LAYOUT_NAMES_H

#include <stddef.h>

#include "sdccheck/table.h"

/* The size of a buffer that holds a normalised name. */
#define SDC_LAYOUT_NAME_MAX 128

/* NAME in lower case, runs of spaces, dots, hyphens and other punctuation
 * as one '_', none leading or trailing, into OUT (SIZE bytes, always
 * NUL-terminated): "Std. Error" -> "std_error". */
void sdc_layout_name_normalise(const char *name, char *out, size_t size);

/* The first and last '_'-separated words of the normalised NAME into FIRST
 * and LAST (SIZE bytes each); both are NAME when it is one word. */
void sdc_layout_name_words(const char *name, char *first, char *last, size_t size);

/* The evidence role the normalised NAME has on its own: SDC_COL_LARGEST
 * (with its rank in *RANK: "max1" 1, "second_largest" 2),
 * SDC_COL_CONTRIBUTORS, SDC_COL_DOF, else SDC_COL_UNKNOWN (*RANK 0). */
sdc_column_role sdc_layout_name_evidence(const char *name, int *rank);

/* If the normalised NAME is "<prefix>_<evidence>" (or "n_<prefix>"),
 * writes the prefix into PREFIX (SIZE bytes) and returns the rank of a
 * largest contribution, or -1 for a contributor count (_n, _count,
 * _contributors); 0 when NAME is not prefixed evidence. */
int sdc_layout_name_prefixed_evidence(const char *name, char *prefix, size_t size);

/* The role the normalised NAME gives with POLICY's vocabulary, matched on
 * the whole name, then on its first or last word; SDC_COL_UNKNOWN when the
 * name says nothing. */
sdc_column_role sdc_layout_name_role(const char *name, const sdc_policy *policy);

#endif
