/*
 * identifier.h - direct identifiers in cells and text (doc/design.md, "Identifiers").
 *
 * Built-in detectors: NHS number (10 digits, valid modulus-11 check digit,
 * optionally spaced 3-3-4), National Insurance number, full UK postcode,
 * e-mail address, telephone number (UK). Plus policy-defined POSIX extended
 * regular expressions. A compiled scanner is immutable and may be shared by
 * threads.
 */
#ifndef SDCCHECK_IDENTIFIER_H
#define SDCCHECK_IDENTIFIER_H

#include <stddef.h>
#include <stdbool.h>
#include "error.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sdc_id_scanner sdc_id_scanner;

/* One identifier found. KIND is static storage or owned by the scanner. */
typedef struct sdc_id_match {
    const char *kind; /* "NHS number", "National Insurance number", ... */
    size_t offset;    /* byte offset of the match in the scanned text */
    size_t length;    /* byte length of the match */
} sdc_id_match;

/*
 * Compiles the detectors the policy switches on (policy->identifiers) and its
 * patterns (POLICY NULL: every detector, no patterns). Returns NULL on
 * failure, with ST saying why: SDC_ENOMEM; SDC_EINVAL for an unknown
 * detector, a pattern without a regex or one that matches empty text;
 * SDC_EPARSE for a pattern that does not compile (the message names it).
 */
sdc_id_scanner *sdc_id_scanner_new(const sdc_policy *policy, sdc_status *st);
void sdc_id_scanner_free(sdc_id_scanner *scanner);

/*
 * Looks for an identifier anywhere in TEXT[0..len) (need not be
 * NUL-terminated). Returns true and fills *MATCH with the first one found.
 * A whole-cell check is the same call on the cell's text.
 */
bool sdc_id_scan(const sdc_id_scanner *scanner, const char *text, size_t len, sdc_id_match *match);

/* Is KIND (a match's) contact detail, an e-mail address or a telephone
 * number: a person's in a table or a record, but in prose, a cover or a
 * comment often the author's or a service's, so reviewed there rather
 * than failed (doc/design.md, "Identifiers"). */
bool sdc_id_kind_is_contact(const char *kind);

/* Writes into OUT (size OUT_SIZE) the text around the match M in
 * TEXT[0..len), at most about 40 characters each side, with every
 * identifier SCANNER finds in it masked as sdc_id_mask does: the context
 * a person needs to judge it, never an identifier in clear. */
void sdc_id_quote(const sdc_id_scanner *scanner, const char *text, size_t len,
                  const sdc_id_match *m, char *out, size_t out_size);

/* True if the 10 digits (spaces and hyphens ignored) form a valid NHS
 * number: modulus-11 check digit (NHS Data Dictionary). */
bool sdc_nhs_number_valid(const char *text, size_t len);

/*
 * Writes a masked copy of TEXT[0..len) into OUT (size OUT_SIZE, always
 * NUL-terminated when OUT_SIZE > 0): the first two and last two characters
 * kept, the rest replaced with '*', so reports never repeat an identifier.
 */
void sdc_id_mask(const char *text, size_t len, char *out, size_t out_size);

#ifdef __cplusplus
}
#endif
#endif
