/*
 * sdccheck.h - statistical disclosure control output checking.
 *
 * The public API of libsdccheck: include this one header. Each header says
 * what its functions do, who owns what they return and which errors they
 * return (error.h); doc/design.md explains how the pieces fit.
 *   error.h       SDC_E* error codes, sdc_strerror, sdc_status
 *   finding.h     findings and verdicts
 *   policy.h      rule parameters from YAML policies
 *   identifier.h  direct identifiers in text and cells
 *   table.h       the table model, the streaming CSV reader, numbers
 *   spec.h        declared table layouts (sidecars and --table-spec)
 *   check.h       checking files, folders and tables; --fix
 *   ingest.h      checking files coming in; approved variables
 *   audit.h       intervals of suppressed cells; linked tables
 *   protect.h     suppression, rounding, safe tables from records
 *   microdata.h   verifying a table against its records (--microdata)
 *   report.h      text, JSON and JUnit reports
 *   batch.h       a queue of submissions screened at once (--each)
 */
#ifndef SDCCHECK_H
#define SDCCHECK_H

#define SDCCHECK_VERSION "0.1.0"

#include "error.h"
#include "finding.h"
#include "policy.h"
#include "identifier.h"
#include "table.h"
#include "spec.h"
#include "check.h"
#include "ingest.h"
#include "audit.h"
#include "protect.h"
#include "microdata.h"
#include "report.h"
#include "batch.h"
#include "ledger.h"

#endif
