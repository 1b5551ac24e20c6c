/*
 * policy.h - the rules' parameters, read from YAML.
 *
 * A policy is a flat YAML mapping (see sdccheck-policy(5)). Shipped policies
 * are compiled into the library so the tool works with no files installed;
 * "ons-srs" is the default. A policy may say `extends: NAME` to start from
 * another policy's values (an embedded name, or a file path relative to the
 * extending file) and override some of them.
 */
#ifndef SDCCHECK_POLICY_H
#define SDCCHECK_POLICY_H

#include <stddef.h>
#include <stdio.h>
#include <stdbool.h>
#include "error.h"
#include "finding.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SDC_POLICY_MAX_NK 8
#define SDC_POLICY_MAX_OVERRIDES 64
#define SDC_POLICY_MAX_PATTERNS 32

/* A list of owned strings. */
typedef struct sdc_strlist {
    char **items;
    size_t count;
} sdc_strlist;

/* One (n, k) dominance pair: the n largest contributions must stay below
 * k (a share, 0..1) of the cell total. */
typedef struct sdc_nk_pair {
    int n;
    double k;
} sdc_nk_pair;

/* A policy-defined identifier pattern (POSIX extended regex). */
typedef struct sdc_id_pattern {
    char *name;  /* reported in the finding, e.g. "staff number" */
    char *regex; /* POSIX ERE, matched against whole cells and text */
} sdc_id_pattern;

/* A rule whose verdict the policy changes, e.g. zeros: pass. */
typedef struct sdc_verdict_override {
    char *rule;
    sdc_verdict verdict;
} sdc_verdict_override;

typedef enum sdc_rounding_mode {
    SDC_ROUND_MULTIPLE = 0, /* every count a multiple of rounding_base */
    SDC_ROUND_MIDPOINT = 1  /* 0, or base*k - base/2 (OpenSAFELY midpoint 6) */
} sdc_rounding_mode;

typedef struct sdc_policy {
    char *name;        /* e.g. "ons-srs" */
    char *description; /* one line, or NULL */
    char *source;      /* "builtin" or the file path it was read from */

    /* 5.1 frequency tables */
    double threshold;          /* minimum count / contributors (10) */
    bool zeros_are_disclosive; /* zero counts get `zeros` (true) */
    double group_share;        /* group-disclosure share, 0..1 (0.9) */
    long rounding_base;        /* 0: no rounding required */
    sdc_rounding_mode rounding_mode;

    /* 5.2 magnitude tables */
    sdc_nk_pair nk[SDC_POLICY_MAX_NK];
    size_t nk_count;
    double p_ratio;    /* p of the p% rule as a share (0.10); 0 off */
    double pq_p, pq_q; /* pq rule shares; pq_p == 0: off */
    bool check_missing_values;

    /* 5.3 statistics, 5.4 regression */
    bool allow_min_max;
    double dof_threshold; /* minimum residual degrees of freedom (10) */

    /* 5.6 microdata */
    long max_table_rows;

    /* models written as code or text (doc/design.md) */
    long max_code_numbers; /* longest run of decimal literals (500) */
    long max_code_splits;  /* tree-split lines (50) */

    /* 5.7 secondary suppression (used by audit; read and validated here) */
    double protection_width; /* absolute interval width; 0: threshold */
    double protection_lower; /* share of the cell value */
    double protection_upper;

    /* 6.2 containers (read and validated here, used by the classifier) */
    int archive_max_depth;
    double archive_max_ratio;
    long long archive_max_bytes;
    long archive_max_members;

    /* vocabulary */
    sdc_strlist suppressed_markers; /* cell texts that mean "suppressed" */
    sdc_strlist missing_markers;    /* cell texts that mean "missing" */
    sdc_strlist total_labels;
    sdc_strlist count_names;
    sdc_strlist magnitude_names;
    sdc_strlist extreme_names;
    sdc_strlist percentile_names;
    sdc_strlist mode_names;
    sdc_strlist percent_names;
    sdc_strlist regression_names;
    sdc_strlist dimension_names; /* numeric columns that are labels: year, age */
    sdc_strlist id_names;        /* column names that identify records */

    /* 5.5 identifiers: which built-in detectors are on, plus patterns */
    sdc_strlist identifiers; /* nhs_number ni_number postcode email phone */
    /* addresses, domains and numbers that are no one's identifier: a
     * site's service mailbox, its domain, its helpline */
    sdc_strlist identifier_allow;
    sdc_id_pattern patterns[SDC_POLICY_MAX_PATTERNS];
    size_t pattern_count;

    sdc_verdict_override overrides[SDC_POLICY_MAX_OVERRIDES];
    size_t override_count;

    /* 3 file classes: extensions (no dot, case-insensitive) a submission
     * may contain, e.g. OpenSAFELY's csv png svg...; empty: any type. Read
     * and validated here, used by the classifier. */
    sdc_strlist allowed_file_types;
} sdc_policy;

/* One problem found while reading a policy: line is 1-based, 0 if unknown. */
typedef struct sdc_policy_error {
    char *file;
    long line;
    char *message;
} sdc_policy_error;

typedef struct sdc_policy_errors {
    sdc_policy_error *items;
    size_t count;
} sdc_policy_errors;

/*
 * Loads a policy by NAME_OR_PATH: an existing file path is read as YAML,
 * anything else must be the name of an embedded policy. Returns a new policy
 * the caller frees with sdc_policy_free, or NULL; on NULL, ERRORS (if not
 * NULL) holds at least one error saying why. Unknown keys and bad values are
 * errors: a policy with a typo is never half-applied.
 */
sdc_policy *sdc_policy_load(const char *name_or_path, sdc_policy_errors *errors);

/* The default policy (embedded "ons-srs"). Never NULL unless out of memory. */
sdc_policy *sdc_policy_default(void);

/*
 * Validates the YAML file PATH without keeping the result: every unknown key
 * and bad value is appended to ERRORS with its line. Returns the number of
 * errors (0: valid), or a negative SDC_E* code (SDC_ENOENT, SDC_EACCES,
 * SDC_EIO) when the file cannot be read (ERRORS says why). A policy's
 * errors are a list, not one status: validation reports every problem of
 * a file at once, each with its line.
 */
int sdc_policy_check_file(const char *path, sdc_policy_errors *errors);

/* Names of the embedded policies, NULL-terminated; static storage. */
const char *const *sdc_policy_builtin_names(void);

/* The YAML text of an embedded policy, or NULL; static storage. */
const char *sdc_policy_builtin_text(const char *name);

/* The verdict the policy gives RULE whose default is DEFAULT_VERDICT. */
sdc_verdict sdc_policy_verdict(const sdc_policy *policy, const char *rule,
                               sdc_verdict default_verdict);

/* Case-insensitive, whitespace-trimmed membership test. */
bool sdc_strlist_contains(const sdc_strlist *list, const char *s);

/* Writes the effective values of POLICY as YAML to OUT (for `policy show`). */
int sdc_policy_write_yaml(const sdc_policy *policy, FILE *out);

void sdc_policy_free(sdc_policy *policy);

/* The marker a suppressed cell is written with: the policy's first
 * non-empty suppression marker, "c" when it has none. Owned by the policy
 * (or static). */
const char *sdc_policy_marker(const sdc_policy *policy);
void sdc_policy_errors_free(sdc_policy_errors *errors);

#ifdef __cplusplus
}
#endif
#endif
