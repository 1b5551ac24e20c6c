/*
 * sdccheck.h - statistical disclosure control output checking.
 *
 * The public API of libsdccheck: include this one header.
 *   finding.h     findings and verdicts
 *   policy.h      rule parameters from YAML policies
 *   identifier.h  direct identifiers in text
 *   table.h       the table model and the streaming CSV reader
 *   check.h       checking files, folders and tables
 *   report.h      text, JSON and JUnit reports
 */
#ifndef SDCCHECK_H
#define SDCCHECK_H

#define SDCCHECK_VERSION "0.1.0"

#include "finding.h"
#include "policy.h"
#include "identifier.h"
#include "table.h"
#include "check.h"
#include "report.h"
#include "audit.h"
#include "protect.h"
#include "spec.h"
#include "microdata.h"

#endif
