/*
 * checker.h - what a checker holds (private to check/).
 *
 * Everything here is fixed once checking starts, except the libmagic
 * handle, which guards itself: threads share one checker.
 */
#ifndef SDC_CHECK_CHECKER_H
#define SDC_CHECK_CHECKER_H

#include <stdbool.h>

#include "classify/magic.h"
#include "sdccheck/check.h"

struct sdc_checker {
    const sdc_policy *policy;
    sdc_id_scanner *scanner;
    char *table_spec;                     /* --table-spec file, or NULL */
    char *microdata;                      /* --microdata records, or NULL */
    sdc_magic *magic;                     /* for binaries no detector knows */
    bool keep_tables;                     /* results keep their tables after linking (--fix) */
    sdc_progress_hook progress;           /* sdc_check_paths's progress (all NULL: none) */
    bool ingest;                          /* files coming in (ingest.h) */
    const struct sdc_variables *approved; /* ingest: the approved variables, or NULL */
    sdc_release_source releases;          /* check --ledger (tables NULL: none) */
};

#endif
