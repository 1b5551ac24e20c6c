/*
 * batch.h - screening a queue of submissions (`sdccheck check --each
 * QUEUE -o OUTDIR/`; sdccheck(1), "Batch screening").
 *
 * Every entry of the folder QUEUE is one submission: a folder is walked, a
 * file is checked as a submission of one file (a file the checker classes
 * as a container, an archive, with its members). Each submission gets its
 * own reports in OUTDIR/NAME/, and OUTDIR gets an index of them all
 * (index.json and index.html, sdccheck-report(5), "The batch index").
 * Submissions are checked on several threads, and a submission's report is
 * what `sdccheck check` would write for it alone, so the reports do not
 * depend on the number of threads.
 */
#ifndef SDCCHECK_BATCH_H
#define SDCCHECK_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include "check.h"
#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the index's JSON schema (sdccheck-report(5)). */
#define SDC_BATCH_SCHEMA_VERSION 1

/* What a queue entry is. */
typedef enum sdc_batch_kind {
    SDC_BATCH_FOLDER = 0, /* a folder, walked */
    SDC_BATCH_ARCHIVE,    /* a file the checker classes as a container */
    SDC_BATCH_FILE,       /* any other file lying directly in the queue */
    SDC_BATCH_LINK        /* a symbolic link out of the queue: not followed */
} sdc_batch_kind;

/* "folder", "archive", "file", "link". */
const char *sdc_batch_kind_name(sdc_batch_kind kind);

/* One submission's line of the index. Strings are owned. */
typedef struct sdc_batch_entry {
    char *name;   /* the entry's name in QUEUE, byte for byte */
    char *folder; /* its reports' folder in OUTDIR: safe and unique */
    sdc_batch_kind kind;
    sdc_verdict verdict;
    size_t files;              /* files checked, members included */
    size_t pass, review, fail; /* files per verdict */
    size_t findings;           /* findings that are not pass */
    bool incomplete;           /* findings were lost (out of memory) */
} sdc_batch_entry;

/* A queue screened: its entries in byte order of their names. */
typedef struct sdc_batch {
    char *queue;
    sdc_batch_entry *entries;
    size_t count;
    sdc_verdict verdict; /* the worst submission's; REVIEW when none */
    bool incomplete;     /* a submission's report is incomplete */
} sdc_batch;

typedef struct sdc_batch_options {
    /* The formats each submission's reports are written in, WRITER_COUNT
     * of them: OUTDIR/NAME/report.EXT, or OUTDIR/NAME/NAME for a folder
     * format (sdc_report_output_path). */
    const sdc_report_writer *const *writers;
    size_t writer_count;
    sdc_report_options report; /* for every report and the index */
    int jobs;                  /* threads in all (1: this thread alone) */
} sdc_batch_options;

/*
 * Checks every entry of the folder QUEUE with CHECKER as a submission of
 * its own and writes its reports into OUTDIR (a folder that exists and is
 * empty: sdc_report_dir_prepare), then OUTDIR/index.json and
 * OUTDIR/index.html. Submissions are checked on OPTS->jobs threads, one
 * submission a thread (several threads a submission when there are fewer
 * submissions than threads). Every report is written to a temporary name
 * and renamed; the index is written last, so that an OUTDIR with an index
 * is complete. OUT (not initialised; free with sdc_batch_free) receives
 * the index. Returns 0; SDC_ENOENT (or SDC_EACCES) when QUEUE is not a
 * folder that can be read; SDC_EINVAL when OUTDIR is inside QUEUE;
 * SDC_EIO when a report cannot be written; SDC_ENOMEM. On an error ST says
 * why and everything written into OUTDIR is removed again.
 */
int sdc_batch_run(const sdc_checker *checker, const char *queue, const char *outdir,
                  const sdc_batch_options *opts, sdc_batch *out, sdc_status *st);

void sdc_batch_free(sdc_batch *batch);

#ifdef __cplusplus
}
#endif
#endif
