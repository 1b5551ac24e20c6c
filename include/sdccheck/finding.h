/*
 * finding.h - findings are values; verdicts are derived from them.
 *
 * A rule reports what it saw by appending an sdc_finding to an
 * sdc_findings list. Nothing else decides a verdict: a file's verdict is the
 * worst of its findings' verdicts, a submission's the worst of its files'.
 * Rule ids are stable strings (doc/design.md, "Table rules"): reports, tests and CI scripts rely
 * on them.
 */
#ifndef SDCCHECK_FINDING_H
#define SDCCHECK_FINDING_H

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Ordered: a larger value is worse, so the worst verdict is the maximum. */
typedef enum sdc_verdict { SDC_PASS = 0, SDC_REVIEW = 1, SDC_FAIL = 2 } sdc_verdict;

/* "pass", "review" or "fail". Never NULL. */
const char *sdc_verdict_name(sdc_verdict v);

/* Parses "pass"/"review"/"fail". Returns 0 and sets *out, or SDC_EINVAL. */
int sdc_verdict_parse(const char *s, sdc_verdict *out);

/* The worse of two verdicts. */
static inline sdc_verdict sdc_verdict_worst(sdc_verdict a, sdc_verdict b)
{
    return a > b ? a : b;
}

/*
 * One finding. Every string is owned by the finding (freed with the list).
 * Optional fields are NULL (strings), 0 (line) or has_limit == false.
 */
typedef struct sdc_finding {
    char *rule; /* stable rule id, e.g. "threshold" */
    sdc_verdict verdict;
    char *message; /* one sentence for a person */
    char *advice;  /* what to do about it, or NULL */
    long line;     /* 1-based line in the file, 0 if not applicable */
    char *row;     /* row labels joined with " / ", or NULL */
    char *column;  /* column label, or NULL */
    char *value;   /* the value as published (identifiers masked), or NULL */
    double limit;  /* the limit the value was judged against */
    bool has_limit;
} sdc_finding;

/*
 * Why a check is incomplete: an internal failure stopped it finding all
 * there was to find. A set of these bits (a list can be incomplete for
 * more than one reason); each has a stable name for reports. (A thread
 * that cannot start loses nothing: its work is done by the threads that
 * did, or by the caller's, so it is not one of them.)
 */
typedef enum sdc_incomplete_reason {
    /* An allocation failed: a finding, or the reading or judging that
     * would have made one, was lost. */
    SDC_INCOMPLETE_MEMORY = 1u << 0,
} sdc_incomplete_reason;

/* "out-of-memory" for SDC_INCOMPLETE_MEMORY; NULL for anything else. */
const char *sdc_incomplete_reason_name(unsigned reason);

/* A phrase for a person ("out of memory") for one bit; NULL for anything
 * else. */
const char *sdc_incomplete_reason_text(unsigned reason);

/* A growable list of findings. Zero-initialise, then add; free with
 * sdc_findings_free. */
typedef struct sdc_findings {
    sdc_finding *items;
    size_t count;
    size_t capacity;
    /* 0, or the sdc_incomplete_reason bits saying why the check that made
     * the list could not finish: what the list says is not all there was
     * to say, so its verdict is fail, never pass. */
    unsigned incomplete;
} sdc_findings;

/*
 * The non-message parts of a finding, for sdc_findings_add. Strings are
 * copied; NULL means absent.
 */
typedef struct sdc_finding_at {
    long line;
    const char *row;
    const char *column;
    const char *value;
    double limit;
    bool has_limit;
    const char *advice;
} sdc_finding_at;

/*
 * Appends a finding with rule id RULE and verdict V, located by AT (may be
 * NULL), whose message is formatted printf-style. Returns 0, or SDC_ENOMEM when out
 * of memory: the finding is lost and the list is marked incomplete
 * (SDC_INCOMPLETE_MEMORY; its verdict is then fail), so a caller that cannot act on the failure may
 * ignore it without ever turning a file into a pass.
 */
int sdc_findings_add(sdc_findings *list, const char *rule, sdc_verdict v, const sdc_finding_at *at,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* sdc_findings_add with the message's arguments in AP. */
int sdc_findings_addv(sdc_findings *list, const char *rule, sdc_verdict v, const sdc_finding_at *at,
                      const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Moves every finding of FROM onto the end of TO; FROM is left empty (an
 * incomplete FROM makes TO incomplete, for the same reasons). Returns 0 or SDC_ENOMEM
 * (FROM unchanged, TO marked incomplete). */
int sdc_findings_take(sdc_findings *to, sdc_findings *from);

/* Marks LIST incomplete for REASON (an sdc_incomplete_reason bit): an
 * internal failure lost what the check would have found. */
void sdc_findings_mark_incomplete(sdc_findings *list, unsigned reason);

/* The worst verdict in the list; SDC_PASS for an empty list, SDC_FAIL for
 * an incomplete one. */
sdc_verdict sdc_findings_verdict(const sdc_findings *list);

/* Frees every finding and the array; the list is left empty and reusable. */
void sdc_findings_free(sdc_findings *list);

#ifdef __cplusplus
}
#endif
#endif
