/*
 * audit.h - the feasibility interval of every suppressed cell (doc/design.md, "Secondary
 * suppression").
 *
 * A suppressed cell is safe only if the published cells do not pin it
 * down. Given the table's additivity (every published total equals the
 * sum of its parts, along every dimension and margin) and non-negativity,
 * the audit finds for each suppressed cell the least and greatest value it
 * can take, by linear programming (GLPK). lo == hi means the cell can be
 * worked out exactly.
 */
#ifndef SDCCHECK_AUDIT_H
#define SDCCHECK_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdc_audit_cell {
    size_t row, col; /* body row and column of the table */
    long line;       /* file line of the row */
    double lo, hi;   /* feasible values; hi is INFINITY when unbounded */
    bool solved;     /* false: the time limit came first */
    bool integer;    /* a count: the interval holds hi - lo + 1 values */
    bool exact;      /* lo, hi are the interval; false: values the cell was
                        seen to take, enough to show it protected */
    double point;    /* verdicts: its value at the last feasible point the
                        audit held for its block of linked cells (not
                        settled by flow), NAN when there was none */
} sdc_audit_cell;

/* Why a total was left out of the audit's equations. */
typedef enum sdc_audit_drop {
    SDC_AUDIT_DROP_TEXT,         /* a cell of its line (OTHER) is neither a number nor suppressed */
    SDC_AUDIT_DROP_SECOND_TOTAL, /* it is its line's second total: the first (OTHER) is used */
    SDC_AUDIT_DROP_TOO_LARGE,    /* its measure holds values past SDC_AUDIT_VALUE_MAX */
    SDC_AUDIT_DROP_CONTRADICTS,  /* no non-negative values of its suppressed parts meet it
                                    (sdc_audit_table_consistent only) */
    SDC_AUDIT_DROP_BESIDE        /* a cell of its line (OTHER) is a total dropped as
                                    contradicting its own line */
} sdc_audit_drop;

/* A total left out, as the total of one line with a suppressed cell (a
 * total of two lines may be left out of both). */
typedef struct sdc_audit_dropped {
    size_t row, col; /* the total: body row and column of the table */
    long line;       /* file line of its row */
    long along;      /* the label column its line runs along; -1: a crosstab's
                        columns */
    sdc_audit_drop why;
    size_t other_row, other_col; /* TEXT, SECOND_TOTAL, BESIDE: the cell named there */
    long other_line;             /* and its file line */
    double sum;                  /* CONTRADICTS: its published parts' sum */
} sdc_audit_dropped;

typedef struct sdc_audit {
    sdc_audit_cell *cells; /* one per suppressed cell, in table order */
    size_t count;
    size_t equations; /* totals used as equations */
    /* Totals that could not be used: every one, by file line and column. */
    sdc_audit_dropped *dropped_totals;
    size_t dropped;
    bool inconsistent; /* no non-negative values fit the published cells */
    bool timed_out;    /* unfinished: out of time, or UNPROVED cells */
    /* Cells neither proved protected nor solved because their block of
     * linked cells has more equations than the exact solver is given
     * (20,000) and the feasible points and cubes found do not cover them;
     * TIMED_OUT is set too, so the audit never passes. */
    size_t unproved;
    bool out_of_time; /* the time limit was reached (TIMED_OUT is set too) */
    /* Cells settled by maximum flow: their block of linked cells is a
     * network (a two-dimensional table), where flows give each cell's
     * interval, or enough of it, without the general solver. */
    size_t by_flow;
    bool too_large; /* a measure holds values past SDC_AUDIT_VALUE_MAX: its
                       cells are left unsolved (review, never protected) */
} sdc_audit;

/* The largest value (or sum of a total's published parts) a measure may
 * hold to be audited: doubles hold whole numbers exactly up to 2^53, and
 * GLPK's tolerances are relative to numbers of everyday size (its
 * interior point aborts the process on a count of 4e240). */
#define SDC_AUDIT_VALUE_MAX 1e15

/*
 * Audits every suppressed cell of T (already laid out) under POLICY
 * (rounding_base relaxes each total by the rounding error), spending at
 * most TIME_LIMIT seconds. With PROTECTION > 0 only the verdict is wanted:
 * a cell already seen to take values that far apart (counted as values for
 * counts) is protected without solving for its ends, which is what makes
 * large tables fast; 0 asks for every exact interval. Fills OUT
 * (zero-initialise it; free with sdc_audit_free). Returns 0, or SDC_ENOMEM when out
 * of memory.
 */
int sdc_audit_table(const sdc_table *t, const sdc_policy *policy, double time_limit,
                    double protection, sdc_audit *out);

/* The seconds `check` gives the audit of T: 30, plus a millisecond per
 * suppressed cell, at most 360. `protect` and `--fix` prove their tables
 * within the same limit, so that what they write passes check. */
double sdc_audit_time_limit(const sdc_table *t);

/*
 * As sdc_audit_table, as `sdccheck audit` and the rules audit a table:
 * when the published totals cannot all hold, each total that contradicts
 * its own line (its published parts alone exceed it, or its suppressed
 * parts' markers cannot make up the rest) is dropped, listed in OUT
 * (SDC_AUDIT_DROP_CONTRADICTS; the lines it is a part of, or also the
 * total of, as SDC_AUDIT_DROP_BESIDE), and the rest is audited again.
 * OUT->inconsistent stays set when no single total is to blame. Returns 0,
 * or SDC_ENOMEM when out of memory.
 */
int sdc_audit_table_consistent(const sdc_table *t, const sdc_policy *policy, double time_limit,
                               double protection, sdc_audit *out);

/* The protection the policy asks of every suppressed cell when its value
 * is not known: an interval at least this wide (protection_width, else the
 * threshold). */
double sdc_audit_need(const sdc_policy *policy);

/* The width of C's interval as protection is judged: for counts, the
 * number of values it holds (floor(hi) - ceil(lo) + 1); INFINITY when it
 * is unbounded. */
double sdc_audit_width(const sdc_audit_cell *c);

/* What an audited cell's interval says, judged against NEED. */
typedef enum sdc_audit_status {
    SDC_AUDIT_UNSOLVED,    /* the time limit came first: not known (review) */
    SDC_AUDIT_RECOVERABLE, /* pinned to one value: lo == hi (fail) */
    SDC_AUDIT_NARROW,      /* bounded and narrower than NEED (review) */
    SDC_AUDIT_PROTECTED    /* at least NEED wide, or unbounded */
} sdc_audit_status;

/* The one judgement of a suppressed cell, used by the rules, the linked
 * audit, both suppression modes and `sdccheck audit`. */
sdc_audit_status sdc_audit_judge(const sdc_audit_cell *c, double need);

/* True when C is protected at NEED (sdc_audit_judge says so). */
bool sdc_audit_protected(const sdc_audit_cell *c, double need);

/*
 * The verdict of a whole audit at NEED, as `sdccheck audit` reports it:
 * fail when a cell is recoverable; review when one is narrow, when the
 * published totals cannot all hold (or one was dropped for contradicting
 * its own line), or when the audit ran out of time; else pass.
 */
sdc_verdict sdc_audit_verdict(const sdc_audit *a, double need);

void sdc_audit_free(sdc_audit *a);

/* Linking is bounded, so that a large submission costs little: at most
 * this many tables, each of at most this many cells (rows x columns);
 * larger tables are audited on their own only. */
#define SDC_LINK_MAX_TABLES 64
#define SDC_LINK_MAX_CELLS 200000

/* One table of a submission, for auditing (or protecting) linked tables. */
typedef struct sdc_linked_table {
    const char *path;       /* as reported, for messages */
    sdc_table *table;       /* laid out, declared layout applied; NULL: a
                               candidate whose table could not be kept */
    sdc_findings *findings; /* the table's findings: linking adds to them */
    /* Released earlier (sdccheck check --ledger): its cells are fixed, it
     * is linked only through the new tables, and what a group gives away
     * in it is reported in the group's new tables. PATH then names the
     * release. */
    bool released;
} sdc_linked_table;

/*
 * Audits the tables of one submission together where they are linked
 * (shared dimensions, the same measure; doc/design.md, "Linked tables"),
 * adding secondary-recoverable, secondary-narrow and linked-tables
 * findings to the tables concerned. TABLES[0..count) are the candidates;
 * nothing is done unless there are 2 to SDC_LINK_MAX_TABLES new ones (not
 * released), or at least one new and one released. Released tables
 * (RELEASED set) are linked to the new tables they share a dimension and
 * agree with, then to each other; at most SDC_LINK_MAX_TABLES of them
 * join, the first given first. A group is audited only when it holds a
 * new table and hides a cell. The tables are not changed. Returns 1 when
 * the tables were linked, 0 when there were too few or too many,
 * SDC_ENOMEM.
 */
int sdc_audit_linked(const sdc_linked_table *tables, size_t count, const sdc_policy *policy);

/*
 * Which released tables could join the new ones: a filter made from the
 * new tables FRESH[0..n) (their views built once; the tables must outlive
 * it), asked of each released table in turn, so that a ledger's thousands
 * of candidates are never all held (check --ledger). A table joins when
 * one of its views is linked to a new view as sdc_audit_linked links them
 * (a shared dimension, the same measure, no common cell published with
 * different values) and shares its totals: they publish at least one
 * common cell with the same value. NULL when out of memory.
 */
typedef struct sdc_link_filter sdc_link_filter;
sdc_link_filter *sdc_link_filter_new(const sdc_linked_table *fresh, size_t n,
                                     const sdc_policy *policy);
bool sdc_link_filter_joins(sdc_link_filter *filter, const sdc_table *released);
void sdc_link_filter_free(sdc_link_filter *filter);

#ifdef __cplusplus
}
#endif
#endif
