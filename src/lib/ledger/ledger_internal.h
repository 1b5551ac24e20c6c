/*
 * ledger_internal.h - what the ledger's files share (private).
 */
#ifndef SDC_LEDGER_INTERNAL_H
#define SDC_LEDGER_INTERNAL_H

#include <sqlite3.h>

#include "sdccheck/sdccheck.h"

struct sdc_ledger {
    sqlite3 *db;
    char *path;
    long long version; /* its schema version as opened (user_version) */
};

/* How long a writer waits for another to finish before giving up. */
#define SDC_LEDGER_BUSY_MS 30000

/* The schema, one step per version: step V (1-based) turns a ledger of
 * version V - 1 into version V; a new ledger runs them all. */
extern const char *const sdc_ledger_steps[SDC_LEDGER_SCHEMA_VERSION];

/* Sets ST from the database's last error: "LEDGER: WHAT: sqlite's
 * message"; returns the SDC_E* code (damaged or not a database:
 * SDC_EPARSE; read-only: SDC_EACCES; busy: SDC_EIO). */
int sdc_ledger_sql_error(const sdc_ledger *ledger, const char *what, sdc_status *st);

/* Records the tables of release RELEASE (its file rows written) cell by
 * cell, each file read again under POLICY (ledger_tables.c); inside the
 * caller's transaction. SDC_OK; SDC_EIO from the database (ST not set:
 * the caller says what SQLite said); or another error with ST set. */
int sdc_ledger_record_tables(sdc_ledger *ledger, long long release, const sdc_policy *policy,
                             sdc_status *st);

#endif
