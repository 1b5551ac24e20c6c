/*
 * check.h - checking files, folders and tables: the library's front door.
 *
 * Each file is read once, in SDC_READ_CHUNK pieces that feed the SHA-256,
 * the classifier and (for tables) the CSV reader as they pass. A checker's
 * policy and identifier scanner do not change once it is made (only its
 * libmagic handle is loaded on first use, behind a mutex), so several
 * threads may check different files with one checker; each call fills its
 * own sdc_file_result. A file that cannot be read or understood is a result
 * with a finding that is never a pass, not an error of the call.
 *
 * The order a program follows: sdc_checker_new, the settings
 * (sdc_checker_set_table_spec, _set_microdata, _keep_tables), then
 * sdc_check_paths (or sdc_check_file for one file), then sdc_report_fix
 * for --fix, then a report writer (report.h).
 */
#ifndef SDCCHECK_CHECK_H
#define SDCCHECK_CHECK_H

#include <stddef.h>
#include <stdbool.h>
#include "audit.h"
#include "error.h"
#include "finding.h"
#include "identifier.h"
#include "policy.h"
#include "protect.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What one file is (doc/design.md, "File classes"). */
typedef enum sdc_file_class {
    SDC_CLASS_TABLE = 0,
    SDC_CLASS_MODEL,
    SDC_CLASS_DATA,
    SDC_CLASS_CONTAINER,
    SDC_CLASS_IMAGE,
    SDC_CLASS_DOCUMENT,
    SDC_CLASS_CODE,
    SDC_CLASS_UNKNOWN
} sdc_file_class;

/* "table", "model", "data", "container", "image", "document", "code", "unknown". */
const char *sdc_file_class_name(sdc_file_class c);

/* The result of checking one file. Strings are owned by the result. */
typedef struct sdc_file_result {
    char *path;      /* as given, or inside a container outer!inner */
    long long size;  /* bytes read; -1 if the file could not be read */
    char sha256[65]; /* lowercase hex, "" if not read */
    sdc_file_class file_class;
    char *format;            /* "csv", "tsv", "text", "binary", ... */
    char *encoding;          /* text files: the encoding read, else NULL */
    char delimiter;          /* tables: the sniffed delimiter, else 0 */
    unsigned long long rows; /* tables: body rows seen */
    size_t columns;          /* tables: columns */
    sdc_table_shape shape;   /* tables */
    size_t suppressed;       /* tables: cells holding suppression markers */
    sdc_findings findings;
    sdc_verdict verdict; /* derived: worst finding */
    /* The table as it was read (laid out, its declared layout applied), kept
     * so that the tables of a submission are linked, and fixed, from what
     * was read and hashed: CSV and TSV files small enough to be linked
     * (SDC_LINK_MAX_CELLS), else NULL. Owned with the declaration it points
     * at; sdc_check_paths drops them once the tables are linked unless the
     * checker keeps them (sdc_checker_keep_tables). */
    sdc_table *table;
    struct sdc_table_spec *table_spec;
    /* An ingest check (ingest.h): the names of a data file's variables as
     * read (a table's header, a Stata, SPSS or SAS file's dictionary),
     * VARIABLE_COUNT of them, owned; NULL when none were read. */
    char **variables;
    size_t variable_count;
} sdc_file_result;

/* A whole run: every file, in path order. */
typedef struct sdc_report {
    const sdc_policy *policy; /* not owned */
    char **inputs;            /* the paths as given, owned */
    size_t input_count;
    sdc_file_result *files; /* owned */
    size_t file_count;
    sdc_verdict verdict; /* derived: worst file; REVIEW when no files */
    bool incomplete;     /* derived: a result lost findings (out of memory) */
} sdc_report;

typedef struct sdc_checker sdc_checker;

/*
 * A checker for POLICY (not copied: it must outlive the checker). Returns
 * NULL on failure, with ST saying why: SDC_ENOMEM, or the identifier
 * scanner's errors (sdc_id_scanner_new) for the policy's patterns.
 */
sdc_checker *sdc_checker_new(const sdc_policy *policy, sdc_status *st);
void sdc_checker_free(sdc_checker *checker);

/*
 * Declared layouts (doc/design.md, "Declared layouts") for the tables
 * checked: SPEC_FILE (a --table-spec file, copied; NULL: none) is read for
 * each table; a sidecar NAME.sdc.yaml next to NAME.csv wins over it. Call
 * before checking. Returns 0 or SDC_ENOMEM.
 */
int sdc_checker_set_table_spec(sdc_checker *checker, const char *spec_file);

/*
 * The records the tables were made from (--microdata): each table checked
 * is verified against them (sdccheck/microdata.h). The path is copied
 * (NULL: none). Call before checking. Returns 0 or SDC_ENOMEM.
 */
int sdc_checker_set_microdata(sdc_checker *checker, const char *data_path);

/*
 * Whether the results of sdc_check_paths keep their tables (the
 * sdc_file_result table field) after the submission's tables are linked:
 * sdc_report_fix protects the tables as they were read when they are kept,
 * and reads a table again (refusing it if its SHA-256 changed) when not.
 * Off by default: tables are freed as soon as they are linked.
 */
void sdc_checker_keep_tables(sdc_checker *checker, bool keep);

/*
 * What sdc_check_paths reports as it goes, for a progress line (sdccheck
 * --progress): BEGIN once, before the first file, with the number of files
 * it will check and the sum of their sizes (-1: not known); then
 * FILE_START and FILE_DONE around each file (a container counts as one
 * file, its members inside it), FILE_DONE with the bytes read (0 when the
 * file could not be read). With several jobs, the calls come from the
 * checking threads, several at once and in any order: the functions must
 * be safe to call that way, and quick (they hold up a thread). Any
 * function may be NULL; PATH is only valid during the call. The library
 * never prints; what to show is the caller's.
 */
typedef struct sdc_progress_hook {
    void (*begin)(void *ctx, size_t files, long long bytes);
    void (*file_start)(void *ctx, const char *path);
    void (*file_done)(void *ctx, const char *path, long long bytes);
    void *ctx;
} sdc_progress_hook;

/* Reports sdc_check_paths's progress to HOOK (copied; NULL: none, the
 * default). Call before checking. */
void sdc_checker_set_progress(sdc_checker *checker, const sdc_progress_hook *hook);

/*
 * Releases made earlier (sdccheck check --ledger; doc/design.md, "The
 * audit across releases"): the checker asks a source, which the caller
 * fills from wherever releases are kept (sdc_ledger_release_source in
 * ledger.h reads a ledger), for the released tables that share a dimension
 * with the new ones, and for the release of each file's SHA-256. The
 * library never opens a ledger itself: the check stage knows only this
 * interface.
 */
typedef struct sdc_released_table {
    sdc_table *table;     /* rebuilt from the released cells, laid out; owned */
    long long release;    /* the release's number */
    char released_at[32]; /* when, UTC ISO 8601 */
    char *path;           /* the file as released; owned */
    char *name;           /* "PATH (release N of DATE)", for messages; owned */
} sdc_released_table;

typedef struct sdc_released_tables {
    sdc_released_table *items;
    size_t count, capacity;
    /* Set by the checker: which tables to keep (NULL: all). A source may
     * offer thousands; the checker keeps those that join a new table, so
     * that only they are held at once. */
    bool (*accept)(void *ctx, const sdc_table *table);
    void *accept_ctx;
} sdc_released_tables;

/* Appends a released table (TABLE's ownership passes to LIST; the strings
 * are copied), or frees it when LIST's accept function refuses it.
 * Returns 0 or SDC_ENOMEM (TABLE is then freed). */
int sdc_released_tables_add(sdc_released_tables *list, sdc_table *table, long long release,
                            const char *released_at, const char *path);
void sdc_released_tables_free(sdc_released_tables *list);

typedef struct sdc_release_source {
    /* Appends to OUT the released tables with a dimension (a label
     * column's name) among DIMS[0..n), rebuilt under POLICY, newest
     * release first. Returns 0, or an SDC_E* code with ST set (the check
     * then stops with that error). */
    int (*tables)(void *ctx, const char *const *dims, size_t n, const sdc_policy *policy,
                  sdc_released_tables *out, sdc_status *st);
    /* Whether a file with SHA256 was released: 1 with *RELEASE,
     * RELEASED_AT (32 bytes) and PATH (PATH_SIZE bytes) of the first
     * release that holds it, 0 when none does, or an SDC_E* code with ST
     * set. */
    int (*file)(void *ctx, const char *sha256, long long *release, char *released_at, char *path,
                size_t path_size, sdc_status *st);
    void *ctx;
} sdc_release_source;

/*
 * Checks against SOURCE's releases (copied; NULL: none, the default):
 * after the files are checked, sdc_check_paths gives every result whose
 * SHA-256 was released a `released-before` note, and audits each new
 * table (a linkable one: CSV or TSV on disk) with the released tables that
 * share its dimensions and totals, as linked tables are audited
 * (sdc_audit_linked): a cell the new tables and the releases pin down is
 * secondary-recoverable in the new table, naming the release. Call before
 * checking.
 */
void sdc_checker_set_releases(sdc_checker *checker, const sdc_release_source *source);

/* The policy CHECKER checks with. */
const sdc_policy *sdc_checker_policy(const sdc_checker *checker);

/*
 * Checks one regular file at PATH, reported as DISPLAY_PATH (NULL: PATH),
 * into OUT (not initialised; free with sdc_file_result_free). The file is
 * opened read-only and never modified. An unreadable file is a result with
 * a `malformed` review finding, not an error. Returns 0 or SDC_ENOMEM.
 */
int sdc_check_file(const sdc_checker *checker, const char *path, const char *display_path,
                   sdc_file_result *out);

/*
 * Like sdc_check_file, and also returns the results of a container's
 * members (path "outer.zip!inner/x.csv"), in order after the container:
 * *RESULTS (COUNT of them) is malloc'd; free each with
 * sdc_file_result_free and the array with free(). sdc_check_file keeps only
 * the container's own result, which repeats each failing member's worst
 * finding. Returns 0 or SDC_ENOMEM.
 */
int sdc_check_file_all(const sdc_checker *checker, const char *path, const char *display_path,
                       sdc_file_result **results, size_t *count);

/*
 * Checks the bytes of one file already in memory (a test, a program that
 * has the bytes), named NAME (used as a hint and as the reported path),
 * into OUT. Returns 0 or SDC_ENOMEM.
 */
int sdc_check_buffer(const sdc_checker *checker, const char *name, const void *bytes, size_t len,
                     sdc_file_result *out);

/*
 * Reads the table at PATH as a check does (for `sdccheck audit`): layout
 * inferred, then its declared layout applied (the sidecar NAME.sdc.yaml,
 * else the checker's --table-spec). Reading problems go to FINDINGS. *SPEC
 * receives the declaration (NULL if none; the table points at it: free it
 * with sdc_table_spec_free after the table). Returns the table, or NULL
 * with ST saying why (see sdc_table_read_file).
 */
struct sdc_table_spec;
sdc_table *sdc_checker_read_table(const sdc_checker *checker, const char *path,
                                  struct sdc_table_spec **spec, sdc_findings *findings,
                                  sdc_status *st);

/*
 * Audits the tables among *FILES[0..count) together where they are linked
 * (shared dimensions, the same measure; doc/design.md, "Linked tables"),
 * from the tables the results kept, adding secondary-recoverable,
 * secondary-narrow and linked-tables findings to the results concerned and
 * deriving their verdicts again. sdc_check_paths does this for what it
 * checks. Returns 0 or SDC_ENOMEM.
 */
int sdc_check_linked(const sdc_checker *checker, sdc_file_result *const *files, size_t count);

/*
 * As sdc_check_linked, and with the checker's release source (if any):
 * the released-before notes, and the new tables audited with the released
 * ones. Returns 0, SDC_ENOMEM, or the source's error with ST set.
 */
int sdc_check_released(const sdc_checker *checker, sdc_file_result *const *files, size_t count,
                       sdc_status *st);

/*
 * Checks every path in PATHS: files directly, folders walked (symbolic
 * links followed only when they stay inside the folder given; links out of
 * it, special files and unreadable folders are review findings). Files are
 * checked by JOBS threads (1: in this thread) and reported in path order,
 * so the report does not depend on JOBS; then the tables are linked.
 * Results are appended to REPORT (zero-initialise it first;
 * REPORT->policy and inputs are set). Returns 0; SDC_ENOMEM; or
 * SDC_ENOENT (or SDC_EACCES) when a path given does not exist or cannot be
 * looked at: nothing is checked, and ST names the path.
 */
int sdc_check_paths(const sdc_checker *checker, const char *const *paths, size_t count, int jobs,
                    sdc_report *report, sdc_status *st);

/*
 * Applies every table rule family to T (already laid out) and appends the
 * findings. SCANNER may be NULL (no identifier scan).
 */
void sdc_table_check(const sdc_table *t, const sdc_policy *policy, const sdc_id_scanner *scanner,
                     sdc_findings *findings);

/* Only the identifier rule on T's cells and header: a workbook's cover,
 * contents or notes sheet, which is text, not a table. */
void sdc_table_check_identifiers(const sdc_table *t, const sdc_policy *policy,
                                 const sdc_id_scanner *scanner, sdc_findings *findings);

/* Recomputes REPORT->verdict, REPORT->incomplete and each file's verdict
 * from the findings. */
void sdc_report_derive(sdc_report *report);

/* What --fix did for one table. */
typedef struct sdc_fix_entry {
    char *input;               /* the table's path as checked */
    char *output;              /* the copy written, or NULL: none could be written */
    char *problem;             /* why not, when known, or NULL */
    sdc_protect_result result; /* suppressions made */
    bool linked;               /* protected together with its linked tables */
} sdc_fix_entry;

typedef struct sdc_fix_log {
    sdc_fix_entry *items;
    size_t count, capacity;
} sdc_fix_log;

/*
 * --fix: protected copies of the tables suppression can mend.
 *
 * Every table of REPORT that fails a primary or secondary rule
 * (threshold, nk-rule, p-ratio, pq-rule, group-disclosure,
 * secondary-recoverable, secondary-narrow), and every table whose linked
 * group's protection changed it, gets primary and complementary
 * suppression (MODE chooses the complements; linked tables are protected
 * together) and is written, with its sidecar declaration, as DIR/NAME (DIR
 * is made if missing; a file checked is never overwritten); a table inside
 * another file (a member, a sheet) as a CSV file under a folder named
 * after it, DIR/book.xlsx/Sales.csv (the file is read again, and its
 * tables used only if their SHA-256 is still the one checked; names are
 * made safe and unique: sdccheck(1), --fix). Each copy is checked
 * and its results appended to REPORT; then the copies are linked again
 * with the tables that needed none, and the verdicts derived. LOG (not
 * initialised; free with sdc_fix_log_free) says what was done for each
 * table tried, in order. Returns 0; SDC_ENOMEM; SDC_EIO (or SDC_EACCES)
 * when DIR cannot be made; SDC_EEXIST when a copy would overwrite a file
 * checked (ST says which).
 */
int sdc_report_fix(const sdc_checker *checker, sdc_report *report, const char *dir,
                   sdc_suppress_mode mode, sdc_fix_log *log, sdc_status *st);
void sdc_fix_log_free(sdc_fix_log *log);

/* Frees R's kept table (and its declaration) early; R stays valid. */
void sdc_file_result_drop_table(sdc_file_result *r);

void sdc_file_result_free(sdc_file_result *r);
void sdc_report_free(sdc_report *report);

#ifdef __cplusplus
}
#endif
#endif
