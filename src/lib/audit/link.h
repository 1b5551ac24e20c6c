/*
 * link.h - the tables of one submission linked by what they share
 * (private: the linked audit and the linked protection both use it).
 *
 * Each table (and each measure of it) is a view: its grid cells with
 * coordinates named by its dimensions. Views that count the same thing by
 * shared dimensions are linked (union-find); a group of linked views is
 * merged into one long table over the union of their dimensions, every
 * common cell once, so that it can be audited or protected as one.
 */
#ifndef SDC_AUDIT_LINK_H
#define SDC_AUDIT_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "sdccheck/audit.h"
#include "table/grid.h"

typedef struct sdc_link_view {
    size_t file; /* index into the tables given */
    const sdc_table *t;
    long measure;   /* -1: a wide crosstab's counts */
    char mkey[128]; /* what is counted: "count" or a magnitude's name */
    sdc_grid g;
    char *dim[SDC_GRID_MAX_DIMS];
    size_t parent; /* union-find */
    bool released; /* of a table released earlier (sdc_linked_table) */
    /* A released view that joined the group of view LEFT_OUT_OF but was
     * left out (past SDC_LINK_MAX_TABLES released tables); else -1. */
    size_t left_out_of;
} sdc_link_view;

typedef struct sdc_link_fact {
    char *key;         /* coordinates in the union's order */
    size_t view, cell; /* a grid cell of a view */
} sdc_link_fact;

/* The tables of a submission, their views, and which views are linked. */
typedef struct sdc_link_set {
    size_t count; /* tables given */
    sdc_link_view *views;
    size_t nv, cap;
    bool linked; /* there were 2 to SDC_LINK_MAX_TABLES tables to link */
    /* Released views that joined a new one past SDC_LINK_MAX_TABLES
     * released tables, and were left out. */
    size_t released_left_out;
} sdc_link_set;

/*
 * Makes the views of TABLES[0..count) and links them; nothing (LS->linked
 * false) when there are fewer than two or more than SDC_LINK_MAX_TABLES.
 * The views point into the tables, which must outlive LS. Returns 0, or -1
 * when out of memory (free LS with sdc_link_set_free either way).
 */
int sdc_link_set_build(const sdc_linked_table *tables, size_t count, const sdc_policy *p,
                       sdc_link_set *ls);
void sdc_link_set_free(sdc_link_set *ls);

/* What to do with one group of linked views IDX[0..n) of LS: 0 to go on,
 * anything else to stop with that value. */
typedef int (*sdc_link_group_fn)(void *ctx, sdc_link_set *ls, const size_t *idx, size_t n);

/*
 * Links TABLES (sdc_link_set_build) and calls FN for each group of linked
 * views, in order. Returns 0; FN's value when it stops; -1 when out of
 * memory. *LINKED (may be NULL) says whether there were 2 to
 * SDC_LINK_MAX_TABLES tables to link.
 */
int sdc_link_each_group(const sdc_linked_table *tables, size_t count, const sdc_policy *p,
                        sdc_link_group_fn fn, void *ctx, bool *linked);

/*
 * The next group of linked views from *ROOT on: its views into IDX, their
 * count returned (0: no more groups), *ROOT left at the group's root. A
 * group spans two tables or more.
 */
size_t sdc_link_next_group(sdc_link_set *ls, size_t *root, size_t *idx);

/* The root of view V's group (its views share it). */
size_t sdc_link_root(sdc_link_set *ls, size_t v);

/* True when a view of the group IDX[0..n) hides a cell. */
bool sdc_link_group_hides(const sdc_link_set *ls, const size_t *idx, size_t n);

/*
 * The cells of views IDX[0..n) keyed over the union of their dimensions
 * (U[0..*NU), pointing at the views' names), sorted by key: cells with one
 * key are one cell of the merged table. *NFACTS of them; NULL when out of
 * memory. Free with sdc_link_facts_free.
 */
sdc_link_fact *sdc_link_facts(const sdc_link_view *views, const size_t *idx, size_t n, char **u,
                              size_t *nu, size_t *nfacts);
void sdc_link_facts_free(sdc_link_fact *f, size_t n);

/* The cell of the table that fact F is. */
const sdc_cell *sdc_link_fact_cell(const sdc_link_view *views, const sdc_link_fact *f);

/*
 * The merged long table of a group from its facts F[0..nf) (sorted): the
 * union dimensions U[0..nu) then one measure (COUNTS: counts, else a
 * magnitude). A cell is published if any view publishes it, or (HIDDEN_WINS,
 * when protecting) hidden if any view hides it, keeping its true value.
 * ROW_FIRST[r] receives the first fact of row r. Returns the laid-out
 * table, or NULL when out of memory.
 */
sdc_table *sdc_link_merge(const sdc_link_view *views, const sdc_link_fact *f, size_t nf,
                          char *const *u, size_t nu, bool counts, const sdc_policy *p,
                          size_t *row_first, bool hidden_wins);

#endif
