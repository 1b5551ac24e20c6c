/*
 * spec.h - declared table layouts (doc/design.md, "Declared layouts").
 *
 * When inference is not enough, a researcher declares a table's layout in
 * a sidecar NAME.sdc.yaml next to NAME.csv, or for many tables in one
 * --table-spec file. A declaration names which columns are dimensions,
 * counts and magnitudes, each magnitude's evidence, the cells that are
 * structural zeros, and free-text exceptions for the reviewer (they go
 * into the report and never change a verdict).
 *
 *   dimensions: [region, sex]
 *   counts: [n]
 *   magnitudes: [turnover]
 *   evidence:
 *     turnover: {contributors: turnover_n, largest: [top1, top2]}
 *   structural_zeros:
 *     - [Scilly, Female]        # the row labels (and, wide, the column)
 *   exceptions:
 *     - "The zero for Scilly is structural: no such schools exist."
 *   unit: school_id             # the unit of contribution (--microdata)
 *   totals: [All schools]       # labels that mark totals, besides the policy's
 *   hierarchies:
 *     region: country           # nested columns: each region lies in one country
 *     area:                     # levels within one column: parent: [children]
 *       England: [North, South]
 *       Wales: [Cardiff, Swansea]
 *
 * A --table-spec file maps table names (as given, or their base name) to
 * such declarations under `tables:`.
 */
#ifndef SDCCHECK_SPEC_H
#define SDCCHECK_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "finding.h"
#include "policy.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdc_table_spec sdc_table_spec;

/*
 * Reads the sidecar declaration at PATH. Returns it (free with
 * sdc_table_spec_free), or NULL with ST saying why, its message naming the
 * file and line: SDC_ENOENT, SDC_EACCES or SDC_EIO (cannot be read),
 * SDC_EPARSE (not YAML), SDC_EINVAL (an unknown key or a bad value),
 * SDC_ENOMEM.
 */
sdc_table_spec *sdc_table_spec_load(const char *path, sdc_status *st);

/*
 * Reads a --table-spec file and returns the declaration for TABLE_PATH
 * (matched on the path as given, then on its base name), or NULL: with ST
 * set (as for sdc_table_spec_load) when the file is wrong, untouched when
 * it has no declaration for the table.
 */
sdc_table_spec *sdc_table_spec_for(const char *spec_file, const char *table_path, sdc_status *st);

/*
 * Applies SPEC to T after sdc_table_infer_layout: the declared roles and
 * evidence replace the inferred ones; names that are not columns, and the
 * exceptions, are appended to FINDINGS (a wrong declaration is review; an
 * exception is a pass note). The table keeps a pointer to SPEC for the
 * rules (structural zeros): SPEC must outlive the checks of T.
 */
void sdc_table_spec_apply(const sdc_table_spec *spec, sdc_table *t, sdc_findings *findings);

/* The declared unit of contribution (a column of the records), or NULL. */
const char *sdc_table_spec_unit(const sdc_table_spec *spec);

/* True when cell (R, C) of T is a declared structural zero. */
bool sdc_table_spec_structural_zero(const sdc_table_spec *spec, const sdc_table *t, size_t r,
                                    size_t c);

/* True when SPEC declares LABEL a total (besides the policy's labels). */
bool sdc_table_spec_is_total(const sdc_table_spec *spec, const char *label);

/* The column that COLUMN's categories roll up to (nested columns), or NULL. */
const char *sdc_table_spec_parent_column(const sdc_table_spec *spec, const char *column);

/* True when COLUMN holds several levels of a declared hierarchy. */
bool sdc_table_spec_has_levels(const sdc_table_spec *spec, const char *column);

/* In a column with levels: the label LABEL rolls up to, or NULL (a top
 * level category, or not in the declared map). */
const char *sdc_table_spec_parent_label(const sdc_table_spec *spec, const char *column,
                                        const char *label);

/* The number of levels in COLUMN's declared level map: the labels on its
 * longest path from a bottom label to the top (2 for {England: [North]});
 * 1 when COLUMN has no levels. */
size_t sdc_table_spec_level_depth(const sdc_table_spec *spec, const char *column);

/* In a column with levels: true when LABEL is declared a parent (the
 * subtotal of the labels listed under it). */
bool sdc_table_spec_label_has_children(const sdc_table_spec *spec, const char *column,
                                       const char *label);

/* True when SPEC declares a hierarchy that a table of COLUMNS[0..n) can
 * carry: levels within one of them, or one nested in another. */
bool sdc_table_spec_declares_hierarchy(const sdc_table_spec *spec, const char *const *columns,
                                       size_t ncolumns);

/*
 * Writes those hierarchies to OUT as a declaration (YAML, with libyaml:
 * `hierarchies:` and nothing else), so that a table of COLUMNS built under
 * SPEC is read back with the same levels. Returns 0, SDC_EIO when OUT
 * cannot be written, or SDC_ENOMEM.
 */
int sdc_table_spec_write_hierarchies(const sdc_table_spec *spec, const char *const *columns,
                                     size_t ncolumns, FILE *out);

/* The name a sidecar beside PATH has, NAME.sdc.yaml for NAME.csv, whether
 * or not it exists (malloc'd; NULL when out of memory). */
char *sdc_sidecar_name(const char *path);

/* The sidecar beside PATH (malloc'd), or NULL when there is none (an
 * archive member "a.zip!t.csv" never has one). */
char *sdc_sidecar_path(const char *path);

/*
 * The declared layout of the table at PATH: its sidecar, else its entry in
 * SPEC_FILE (a --table-spec file, or NULL); NULL when there is none. A
 * declaration that cannot be read is a `malformed` finding in FINDINGS.
 */
sdc_table_spec *sdc_table_spec_declared(const char *path, const char *spec_file,
                                        sdc_findings *findings);

void sdc_table_spec_free(sdc_table_spec *spec);

#ifdef __cplusplus
}
#endif
#endif
