/*
 * ledger.h - the release ledger: what was released, and proof that what
 * leaves is what was checked (sdccheck-ledger(5)).
 *
 * A ledger is one SQLite file, embedded (no server). `sdccheck release`
 * reads a JSON report (sdccheck-report(5)), checks that it was not edited
 * after it was written and that its files still have the hashes it gives,
 * and records the submission; `sdccheck verify` compares the files about to
 * leave with a report or the ledger; `sdccheck ledger` lists and exports
 * the releases. Every write is one transaction, so concurrent releases
 * never lose a row; a ledger of a newer schema, damaged, or not a ledger is
 * refused and left as it was.
 */
#ifndef SDCCHECK_LEDGER_H
#define SDCCHECK_LEDGER_H

#include <stdbool.h>
#include <stdio.h>

#include "check.h"
#include "error.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema this version writes (PRAGMA user_version) and the
 * application_id that marks a file as a ledger ("SDCL"). */
#define SDC_LEDGER_SCHEMA_VERSION 2
#define SDC_LEDGER_APPLICATION_ID 0x5344434c

/* One file of a JSON report. */
typedef struct sdc_report_entry {
    char *path;       /* as the report gives it */
    char sha256[65];  /* "" when the report has none (the file was unreadable) */
    long long size;   /* -1 when the report has none */
    char *file_class; /* "table", "document", ... */
    char *format;     /* NULL when the report has none */
    char *verdict;    /* "pass", "review" or "fail" */
    char *container;  /* the entry it was read from (a zip, a document), or NULL */
    bool is_table;    /* the report holds a table object: */
    long long rows, columns;
    char *shape, *delimiter; /* NULL when absent */
} sdc_report_entry;

/* A JSON report, read and checked (sdc_report_doc_read). */
typedef struct sdc_report_doc {
    char report_sha256[65];
    char *verdict;       /* the submission's verdict */
    char *created;       /* NULL when the report has no time */
    char *tool_version;  /* the sdccheck that wrote it */
    char *policy_name;   /* NULL when made without a policy */
    char *policy_source; /* "builtin" or the policy file's path, or NULL */
    char *policy_json;   /* the policy object, compact JSON with sorted keys, or NULL */
    sdc_report_entry *files;
    size_t file_count;
} sdc_report_doc;

/* Reads the JSON report at PATH with a JSON parser (jansson) into *DOC and
 * checks its report_sha256 (sdccheck-report(5), "Integrity"). SDC_OK;
 * SDC_EINVAL when the report was edited after it was written or has no
 * report_sha256 (the caller refuses it); SDC_EPARSE when it is not JSON or
 * not an sdccheck report; SDC_ENOENT, SDC_EACCES, SDC_EIO when it cannot be
 * read; SDC_ENOMEM. ST says which. Free *DOC with sdc_report_doc_free
 * (also after a failure). */
int sdc_report_doc_read(const char *path, sdc_report_doc *doc, sdc_status *st);
void sdc_report_doc_free(sdc_report_doc *doc);

/* The policy DOC was checked with, loaded again: its file when the report
 * names one (policy.source), else the embedded policy of its name, else
 * (no policy in the report) the default. NULL, with ST set, when it cannot
 * be loaded. Free with sdc_policy_free. */
sdc_policy *sdc_report_doc_policy(const sdc_report_doc *doc, sdc_status *st);

/* Whether DOC may be released: it holds at least one file and its verdict
 * is pass, or review with an APPROVAL reason (not NULL, not empty). When
 * not, ST says why. */
bool sdc_report_doc_releasable(const sdc_report_doc *doc, const char *approval, sdc_status *st);

/* Re-hashes every file of DOC that lies on disk (not inside a container)
 * and calls ON_CHANGE(PATH, WHY, ARG) for each that is missing, unreadable
 * or no longer has the report's SHA-256 and size, and for each entry whose
 * hash the report does not give. Returns the number of such files (0: all
 * match). Paths are taken as the report gives them, from the current
 * folder. */
size_t sdc_report_doc_recheck(const sdc_report_doc *doc,
                              void (*on_change)(const char *path, const char *why, void *arg),
                              void *arg);

typedef struct sdc_ledger sdc_ledger;

/* Opens the ledger at PATH, creating it (schema version
 * SDC_LEDGER_SCHEMA_VERSION, WAL mode) when CREATE is true and it does not
 * exist. A ledger of an older schema is upgraded in one transaction. NULL,
 * with ST set, when it cannot be: no such ledger (SDC_ENOENT), not a ledger
 * or damaged (SDC_EPARSE), of a newer schema (SDC_EINVAL), read-only and
 * in need of a write (SDC_EACCES); the file is then left as it was. Close
 * with sdc_ledger_close. */
sdc_ledger *sdc_ledger_open(const char *path, bool create, sdc_status *st);
void sdc_ledger_close(sdc_ledger *ledger);

/* Opens the ledger at PATH read-only (SQLITE_OPEN_READONLY; for `check
 * --ledger`): nothing is ever written, not even an upgrade. NULL, with ST
 * set, when there is no such ledger (SDC_ENOENT), it is damaged, empty or
 * not a ledger (SDC_EPARSE), or of a newer schema (SDC_EINVAL). An older
 * schema is read as it is (a version 1 ledger holds files, no tables). */
sdc_ledger *sdc_ledger_open_readonly(const char *path, sdc_status *st);

/* Fills SOURCE so that a checker asks LEDGER (which must outlive the
 * check) for the released tables and files (sdc_checker_set_releases in
 * check.h). */
void sdc_ledger_release_source(sdc_ledger *ledger, sdc_release_source *source);

/* Who released, and why. */
typedef struct sdc_release_info {
    const char *reviewer;  /* required */
    const char *comment;   /* or NULL */
    const char *approval;  /* the --approve reason for a review, or NULL */
    long long released_at; /* seconds since the epoch */
    /* The policy the files were checked with (sdc_report_doc_policy): the
     * released tables are read again under it and recorded cell by cell
     * (dimensions, categories, published and suppressed cells). NULL: only
     * the files are recorded. */
    const sdc_policy *policy;
} sdc_release_info;

/* Records DOC (which the caller has read, found releasable and rechecked)
 * as one release, in one transaction (BEGIN IMMEDIATE, waiting for other
 * writers up to a busy timeout); *ID is its number. SDC_OK, or an error
 * with ST set and nothing written. */
int sdc_ledger_release(sdc_ledger *ledger, const sdc_report_doc *doc, const sdc_release_info *info,
                       long long *id, sdc_status *st);

/* What `sdccheck ledger` prints, as text or JSON (sdccheck-ledger(5),
 * "Output"): LIST one line (or object) per release; SHOW one release with
 * its files and tables (SDC_ENOENT when there is no release ID); EXPORT
 * every release with its files and tables. SDC_OK, or an error with ST
 * set. */
int sdc_ledger_write_list(sdc_ledger *ledger, bool json, FILE *out, sdc_status *st);
int sdc_ledger_write_show(sdc_ledger *ledger, long long id, bool json, FILE *out, sdc_status *st);
int sdc_ledger_write_export(sdc_ledger *ledger, bool json, FILE *out, sdc_status *st);

/* How one file about to leave compares with what was checked. */
typedef enum sdc_verify_state {
    SDC_VERIFY_MATCH,      /* the same bytes as a file checked (released) under its path */
    SDC_VERIFY_CHANGED,    /* its path was checked, with other bytes */
    SDC_VERIFY_MISSING,    /* checked (or named) but not there */
    SDC_VERIFY_UNKNOWN,    /* never checked (released) under its path */
    SDC_VERIFY_UNREADABLE, /* there but cannot be read */
} sdc_verify_state;

typedef struct sdc_verify_item {
    char *path;
    sdc_verify_state state;
    char sha256[65];   /* its bytes now ("" when missing or unreadable) */
    char expected[65]; /* what was checked ("" when unknown) */
    long long release; /* the release that holds it (ledger only), else 0 */
} sdc_verify_item;

typedef struct sdc_verify_result {
    sdc_verify_item *items; /* walked files in path order, then the missing */
    size_t count;
    size_t failed; /* items not MATCH */
} sdc_verify_result;

/* Compares the files under PATHS (folders walked, symlinks not followed)
 * with DOC's files, or with LEDGER's released files (DOC NULL), or with
 * release RELEASE only (RELEASE > 0). Against a report or one release, every
 * file it holds must be among them (else MISSING); against the whole ledger,
 * each file must match some release of its path. Paths are compared as
 * written, with "./" and doubled slashes removed. SDC_OK (RESULT says what
 * matched), or an error with ST set. Free RESULT with
 * sdc_verify_result_free. */
int sdc_verify_paths(const sdc_report_doc *doc, sdc_ledger *ledger, long long release,
                     char *const *paths, size_t path_count, sdc_verify_result *result,
                     sdc_status *st);
void sdc_verify_result_free(sdc_verify_result *result);
const char *sdc_verify_state_name(sdc_verify_state state);

#ifdef __cplusplus
}
#endif

#endif
