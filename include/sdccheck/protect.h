/*
 * protect.h - suppressing a table until it is safe (doc/design.md, "Secondary suppression",
 * `--fix`).
 *
 * Cells that fail a primary rule (threshold, dominance, group disclosure)
 * are suppressed; then complementary cells are chosen, a few at a time,
 * until the audit finds every suppressed cell protected. The heuristic
 * prefers, in each row or column that still gives a hidden cell away, the
 * smallest published cell at least as large as the protection asks, so
 * that little is hidden for much protection.
 */
#ifndef SDCCHECK_PROTECT_H
#define SDCCHECK_PROTECT_H

#include <stdio.h>

#include "audit.h"
#include "error.h"
#include "identifier.h"
#include "policy.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A suppressed cell the final audit could not prove protected. */
typedef struct sdc_protect_cell {
    size_t row, col; /* body row and column */
    double lo, hi;   /* the values the audit left it (lo == hi: recoverable);
                        NAN when unsolved (the audit ran out of time) */
    char where[120]; /* "row labels, column" */
} sdc_protect_cell;

#define SDC_PROTECT_MAX_UNPROVED 8

struct sdc_table_spec;

typedef struct sdc_protect_result {
    size_t primary;         /* cells suppressed because they failed a rule */
    size_t secondary;       /* complementary suppressions */
    double secondary_value; /* their total value (absolute), in their measures' units */
    size_t examined;        /* cells the heuristic looked at to choose them (each line's
                               candidates, from its index: it does not grow with the table) */
    bool protected_ok;      /* the final audit finds every suppressed cell protected */
    size_t audits_known;    /* the heuristic's rounds: audits run with the true values... */
    size_t audits_written;  /* ...and as check runs them, not knowing them */
    size_t split_values;    /* the most values of a dimension no cube moves along that
                               a round's cube searches were split into (threads), or 0 */
    size_t unprotected;     /* else: the cells it could not prove protected... */
    sdc_protect_cell unproved[SDC_PROTECT_MAX_UNPROVED]; /* ...the first of them */
    char why[160];            /* ...and why none could be chosen for them, or "" */
    size_t subtables;         /* modular mode, hierarchical tables: the subtables... */
    size_t subtables_optimal; /* ...and those the optimal model protected */
    bool optimal;             /* the optimal mode chose the complements */
    bool fell_back;           /* optimal was asked for, the heuristic ran: NOTE says why */
    char note[200];           /* a sentence for the user, or "" */
} sdc_protect_result;

/* How complementary cells are chosen. */
typedef enum sdc_suppress_mode {
    SDC_SUPPRESS_MODULAR,   /* the default: optimal on tables small enough for it
                               (a few seconds at most), the heuristic on the rest */
    SDC_SUPPRESS_HEURISTIC, /* fast, for tables of any size */
    SDC_SUPPRESS_OPTIMAL,   /* fewest cells (then least value), GLPK MIP, small tables */
    SDC_SUPPRESS_QUICK      /* modular, but on tables of three dimensions or more too
                               large for the audit's exact solver the cubes have room
                               to spare: fewer audit rounds, in about half the time,
                               about a tenth more complements (doc/design.md) */
} sdc_suppress_mode;

/*
 * Suppresses cells of T (laid out) in place, writing the policy's first
 * suppression marker in them, with the heuristic. Returns 0, or SDC_ENOMEM when
 * out of memory.
 */
int sdc_table_protect(sdc_table *t, const sdc_policy *policy, const sdc_id_scanner *scanner,
                      sdc_protect_result *out);

/*
 * As sdc_table_protect, choosing complements by MODE. The optimal mode
 * falls back to the heuristic (and says so in OUT->note) when the table is
 * too large for it or GLPK does not finish within TIME_LIMIT seconds.
 */
int sdc_table_protect_mode(sdc_table *t, const sdc_policy *policy, const sdc_id_scanner *scanner,
                           sdc_suppress_mode mode, double time_limit, sdc_protect_result *out);

/* A table protected with the tables it is linked to (--fix). */
typedef struct sdc_linked_fix {
    sdc_table *table; /* with its suppressions, or NULL: not in a linked group */
    sdc_protect_result result;
    bool linked;
} sdc_linked_fix;

/*
 * Protects each group of linked tables among TABLES[0..count) jointly
 * (bounded as for sdc_audit_linked): every table's own primary
 * suppressions, then complements chosen (by MODE) on the group as one
 * table, so that each table and all of them together audit clean. A table
 * in a group is taken from TABLES[i].table (set to NULL) into OUT[i].table
 * (COUNT of them; NULL for tables in no group: protect those alone); the
 * caller frees it, before the declaration it points at. Returns 0, or SDC_ENOMEM
 * when out of memory (then nothing is taken).
 */
int sdc_protect_linked(sdc_linked_table *tables, size_t count, const sdc_policy *policy,
                       const sdc_id_scanner *scanner, sdc_suppress_mode mode, sdc_linked_fix *out);

/* What `protect` builds from records (doc/design.md, "Safe tables from microdata"). */
typedef struct sdc_aggregate_spec {
    const char *const *by; /* dimension columns */
    size_t nby;            /* 1 to 8 */
    const char *value;     /* magnitude column to sum, or NULL */
    const char *unit;      /* unit column (distinct units are counted), or NULL */
    /* Declared nested columns (hierarchies: doc/design.md, "Declared layouts"): parent[b] is the
     * index in BY of the column that BY[b]'s categories roll up to, or -1;
     * NULL: none. A margin that totals the parent but not the child would
     * repeat the child's cells, so it is not built. */
    const int *parent;
    /* A declaration whose levels within one column (hierarchies: a map of
     * parent: [children]) roll BY's labels up into subtotal rows of the
     * same column (England beside North and South); NULL: none. A record
     * whose label is declared a parent is an error (SDC_EINVAL): the
     * subtotal would not be the sum of its children. Labels not in the
     * map are top-level categories. Its nested columns are read from
     * PARENT, not from here. */
    const struct sdc_table_spec *levels;
} sdc_aggregate_spec;

/*
 * Streams the CSV records at PATH once and builds the long table of SPEC's
 * dimensions with every margin (labelled with the policy's first total
 * label): n (distinct units, else records) and, with a value column, its
 * sum and the two largest contributions per unit (VALUE_max1, VALUE_max2).
 * Returns the laid-out table (free with sdc_table_free) or NULL with ST
 * saying why: SDC_ENOENT, SDC_EACCES or SDC_EIO (the records cannot be
 * read, or are not valid CSV), SDC_EINVAL (1 to 8 dimensions; a column
 * named is not there; no records; a record in a declared parent; more than
 * 15 levels of labels in all), SDC_ENOMEM.
 */
sdc_table *sdc_aggregate_file(const char *path, const sdc_policy *policy,
                              const sdc_aggregate_spec *spec, sdc_status *st);

/* The most dimensions `protect` tabulates by. */
#define SDC_PROTECT_MAX_BY 8

/* What `sdccheck protect` is asked to build. */
typedef struct sdc_protect_request {
    const char *const *by; /* dimension columns, 1 to SDC_PROTECT_MAX_BY */
    size_t nby;
    const char *value;      /* magnitude column to sum, or NULL */
    const char *unit;       /* unit column (distinct units are counted), or NULL */
    const char *table_spec; /* a --table-spec file, or NULL; a sidecar beside the records wins */
    bool round_counts;      /* round counts to the policy's base (5 when it sets none) first */
    sdc_suppress_mode mode; /* how complements are chosen */
    double time_limit;      /* seconds for the optimal mode before the heuristic takes over */
} sdc_protect_request;

/* What it built. */
typedef struct sdc_protect_outcome {
    sdc_table *table;          /* the safe table: free with sdc_table_free */
    sdc_protect_result result; /* suppressions made; protected_ok */
    long rounding_base;        /* counts were rounded to this base (0: not rounded) */
    size_t rounded;            /* cells rounding changed */
    /* The declaration the table was built under (its hierarchies), or NULL;
     * the table points at it: free both with sdc_protect_outcome_free. */
    struct sdc_table_spec *declared;
    bool has_levels;         /* a column of the table holds declared levels */
    char unmapped_note[256]; /* labels of a column with levels not in its map, or "" */
    /* With a unit: lines of the count column whose total is not the sum of
     * its parts (a unit in several of its categories), and the first of
     * them in words (else ""). The table is still protected and written,
     * but it cannot be cleared as it is. */
    size_t unit_lines;
    char unit_lines_note[512];
} sdc_protect_outcome;

/*
 * `sdccheck protect`: streams the records at PATH once into the table of
 * REQ's dimensions with every margin (declared hierarchies respected: a
 * sidecar beside the records, else REQ->table_spec's declaration: nested
 * columns leave out repeated margins, levels within one column add their
 * subtotal rows), rounds its counts when asked, then suppresses (primary
 * and complementary, over every level's equations). Returns 0 and fills
 * OUT (free with sdc_protect_outcome_free), or an SDC_E* code with ST
 * saying why: a declaration that cannot be read (sdc_table_spec_load:
 * a label under two parents or one that rolls up to itself is SDC_EINVAL
 * with its file and line), records that cannot be aggregated
 * (sdc_aggregate_file: a record whose label is a declared parent is
 * SDC_EINVAL), SDC_ENOMEM.
 */
int sdc_protect_records(const char *path, const sdc_policy *policy, const sdc_protect_request *req,
                        sdc_protect_outcome *out, sdc_status *st);

/* Frees what OUT holds (the table, then its declaration) and empties it. */
void sdc_protect_outcome_free(sdc_protect_outcome *out);

/*
 * Rounds every count of T in place to BASE (midpoint rounding when MODE is
 * SDC_ROUND_MIDPOINT: 1..base -> base/2, base+1..2 base -> 3 base/2, ...;
 * zero stays zero). Returns the cells changed.
 */
size_t sdc_table_round_counts(sdc_table *t, long base, sdc_rounding_mode mode);

#ifdef __cplusplus
}
#endif
#endif
