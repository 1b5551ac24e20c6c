/*
 * policy_internal.h - what the files of the policy reader share (private to
 * the library; the public API is include/sdccheck/policy.h).
 *
 * A load reads a chain of layers: the file asked for, its parent named by
 * `extends`, that one's parent... down to one that starts from the C
 * defaults. Each layer is one YAML document whose keys are checked and
 * applied on top of the same sdc_policy. The files, each depending only on
 * the ones below it:
 *
 *   policy_load.c      the entry points: load by name or file, check a file
 *   policy_extends.c   one layer: its parent first (extends), then its keys
 *   policy_keys.c      the table of keys, and how each sets its field
 *   policy_validate.c  one value: its type, its range, "did you mean"
 *   policy_read.c      a policy file's bytes, its YAML document, its pairs
 *   policy_error.c     the errors of one load
 *   policy_builtin.c   the embedded policies by name
 *   policy.c           the object: defaults, lists, freeing, queries
 *   policy_write.c     the effective values back as YAML (`policy show`)
 *
 * Errors: nothing stops at the first problem. Every problem is appended to
 * the load's sdc_pol_reader with its file and line, and counted even when
 * there is no memory to keep its message; the entry points turn any count
 * above zero into a failed load. Functions below return -1, NULL or false
 * only to say that they could not go on.
 */
#ifndef SDC_POLICY_INTERNAL_H
#define SDC_POLICY_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "sdccheck/policy.h"

#define SDC_POL_MAX_EXTENDS_DEPTH 16

/* ---- the object (policy.c) ---- */

/* The built-in identifier detectors (doc/design.md, "Identifiers"), NULL-terminated: the
 * default `identifiers` and the only values the key accepts. */
extern const char *const sdc_pol_identifier_kinds[];

/* Appends a copy of S to LIST; returns -1 (LIST unchanged) when out of
 * memory. */
int sdc_pol_strlist_push(sdc_strlist *list, const char *s);

/* Frees the items of LIST and leaves it empty. */
void sdc_pol_strlist_clear(sdc_strlist *list);

/* Frees P's identifier patterns and leaves none. */
void sdc_pol_patterns_clear(sdc_policy *p);

/* Frees everything P owns and zeroes it; the struct itself stays. */
void sdc_pol_clear(sdc_policy *p);

/* Clears P, then sets the contract's values (doc/design.md, "Table rules" and
 * "Disallowed artefacts"): the safety net under every
 * chain of layers. Returns -1 when out of memory (P then holds some of its
 * lists, still freed by sdc_pol_clear). */
int sdc_pol_set_defaults(sdc_policy *p);

/* ---- the embedded policies (policy_builtin.c) ---- */

/* The YAML text of embedded policy NAME, or NULL; static storage. */
const char *sdc_pol_builtin_yaml(const char *name);

/* "ons-srs, acro-default, ..." for messages; the caller frees it. NULL
 * when out of memory. */
char *sdc_pol_builtin_list(void);

/* ---- the errors of one load (policy_error.c) ---- */

/* State shared by every layer of one load. */
typedef struct sdc_pol_reader {
    sdc_policy_errors *errors;
    size_t failures; /* errors seen, even ones we had no memory to keep */
    /* identities of the layers being loaded, outermost first (owned), and
     * their files as shown in errors (borrowed from the layers) */
    char *chain[SDC_POL_MAX_EXTENDS_DEPTH];
    const char *chain_file[SDC_POL_MAX_EXTENDS_DEPTH];
    size_t depth;
} sdc_pol_reader;

/* Counts an error and appends it to R->errors with FILE (NULL: "") and
 * LINE (1-based, 0: unknown). Out of memory, it is only counted. */
void sdc_pol_error_add(sdc_pol_reader *r, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* sdc_pol_error_add with the message's arguments in AP. */
void sdc_pol_error_addv(sdc_pol_reader *r, const char *file, long line, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* sdc_pol_error_add(R, FILE, 0, "out of memory"). */
void sdc_pol_error_oom(sdc_pol_reader *r, const char *file);

/* Moves the errors of FROM onto the end of TO and leaves FROM empty; when
 * TO is NULL, or there is no memory to grow it, they are freed instead. */
void sdc_pol_errors_move(sdc_policy_errors *to, sdc_policy_errors *from);

/* ---- a policy file and its YAML (policy_read.c) ---- */

/* One policy document being applied. Nothing in it is owned. */
typedef struct sdc_pol_layer {
    sdc_pol_reader *r;
    yaml_document_t *doc;
    const char *file; /* as shown in errors */
    const char *dir;  /* folder for relative `extends`, NULL if embedded */
    sdc_policy *p;    /* where its keys go */
} sdc_pol_layer;

/* The 1-based line NODE starts on, 0 for no node. */
static inline long sdc_pol_node_line(const yaml_node_t *node)
{
    return node ? (long)node->start_mark.line + 1 : 0;
}

/* The node of L's document with id ID, or NULL. */
static inline yaml_node_t *sdc_pol_node_at(const sdc_pol_layer *l, int id)
{
    return yaml_document_get_node(l->doc, id);
}

static inline bool sdc_pol_is_scalar(const yaml_node_t *node)
{
    return node && node->type == YAML_SCALAR_NODE;
}

/* The text of scalar NODE (check sdc_pol_is_scalar first). */
static inline const char *sdc_pol_scalar_text(const yaml_node_t *node)
{
    return (const char *)node->data.scalar.value;
}

/* An unquoted scalar: the only kind that may be a number or a boolean. */
static inline bool sdc_pol_is_plain(const yaml_node_t *node)
{
    return sdc_pol_is_scalar(node) && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* "a scalar", "a list", "a mapping" or "nothing", for messages. */
static inline const char *sdc_pol_node_kind(const yaml_node_t *node)
{
    if (!node)
        return "nothing";
    switch (node->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

/* Adds an error in L's file at NODE's line (0 when NODE is NULL). */
void sdc_pol_layer_error(sdc_pol_layer *l, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether PATH names a regular file (following links). */
bool sdc_pol_file_is_regular(const char *path);

/*
 * Reads policy file PATH whole (at most 1 MiB), NUL-terminated, its length
 * in *LEN. Returns a buffer the caller frees, or NULL with an error added
 * to R in file SHOWN at LINE (where the file was named; 0 if not named by
 * another policy).
 */
char *sdc_pol_file_read(sdc_pol_reader *r, const char *path, const char *shown, long line,
                        size_t *len);

/*
 * Parses TEXT (LEN bytes) into DOC: exactly one YAML document whose root
 * is a mapping. Returns 0, with DOC to be freed by the caller with
 * yaml_document_delete, or -1 with errors added to R in FILE (with the
 * lines libyaml gives) and nothing to free.
 */
int sdc_pol_doc_load(sdc_pol_reader *r, const char *text, size_t len, const char *file,
                     yaml_document_t *doc);

/* Called by sdc_pol_each_pair with a key's text KEY, its node K and its
 * value V (V may be NULL). */
typedef void (*sdc_pol_pair_fn)(sdc_pol_layer *l, const char *key, yaml_node_t *k, yaml_node_t *v,
                                void *arg);

/* Calls FN for each key of MAPPING in order, skipping and reporting keys
 * that are not scalars or repeat an earlier key. */
void sdc_pol_each_pair(sdc_pol_layer *l, yaml_node_t *mapping, sdc_pol_pair_fn fn, void *arg);

/* As sdc_pol_each_pair, but skips those keys without reporting them (for a
 * second pass over a mapping already reported on). */
void sdc_pol_each_pair_quiet(sdc_pol_layer *l, yaml_node_t *mapping, sdc_pol_pair_fn fn, void *arg);

/* ---- one value (policy_validate.c) ---- */

/* An allowed interval of numbers: above or at least MIN (if HAS_MIN),
 * below or at most MAX (if HAS_MAX). */
typedef struct sdc_pol_range {
    bool has_min, min_open, has_max, max_open;
    double min, max;
} sdc_pol_range;

/*
 * The typed readers: each checks value V of key KEY (as named in messages)
 * and either stores it in *OUT and returns true, or adds an error at V's
 * line and returns false with *OUT untouched. RG (NULL: any) bounds the
 * value; MAX bounds a whole number before RG does.
 */
bool sdc_pol_get_number(sdc_pol_layer *l, const char *key, yaml_node_t *v, const sdc_pol_range *rg,
                        double *out);
bool sdc_pol_get_integer(sdc_pol_layer *l, const char *key, yaml_node_t *v, const sdc_pol_range *rg,
                         long long max, long long *out);
bool sdc_pol_get_bool(sdc_pol_layer *l, const char *key, yaml_node_t *v, bool *out);
/* A positive size such as 4GiB, 100 MiB or 5000000, in bytes. */
bool sdc_pol_get_bytes(sdc_pol_layer *l, const char *key, yaml_node_t *v, long long *out);

/* Whether V is a plain scalar that YAML reads as null (empty, ~, null). */
bool sdc_pol_is_null(const yaml_node_t *v);

/* Whether V turns a rule off: null, or a plain false (false, no, off). */
bool sdc_pol_is_off(const yaml_node_t *v);

/* Whether V is a mapping (a list); if not, adds an error naming KEY. */
bool sdc_pol_expect_mapping(sdc_pol_layer *l, const char *key, yaml_node_t *v);
bool sdc_pol_expect_list(sdc_pol_layer *l, const char *key, yaml_node_t *v);

/* The name in KNOWN (NULL-terminated) closest to KEY if it is a plausible
 * typo of it, else NULL. */
const char *sdc_pol_closest(const char *key, const char *const *known);

/* Adds "unknown key 'KEY'WHERE", with a "did you mean" from KNOWN, at K. */
void sdc_pol_unknown_key(sdc_pol_layer *l, yaml_node_t *k, const char *key, const char *where,
                         const char *const *known);

/* ---- the keys (policy_keys.c) ---- */

/* Checks every key of ROOT, L's top mapping, and applies the good ones to
 * L->p: the plain keys in order, then the add_<key> ones. `extends` is
 * only accepted here: the layer resolved it before (policy_extends.c). */
void sdc_pol_keys_apply(sdc_pol_layer *l, yaml_node_t *root);

/* ---- layers and extends (policy_extends.c) ---- */

/*
 * Applies policy file PATH (shown as PATH in errors) on top of P, its
 * parents first. FROM_FILE and FROM_LINE say where PATH was named (NULL, 0
 * when asked for directly); an unreadable file is reported there. Returns
 * 0, or -1 if the file could not be read or parsed at all (P then holds
 * nothing of it); errors are added to R either way.
 */
int sdc_pol_layer_file(sdc_pol_reader *r, sdc_policy *p, const char *path, const char *from_file,
                       long from_line);

/* As sdc_pol_layer_file for the embedded policy NAME, which must exist. */
int sdc_pol_layer_builtin(sdc_pol_reader *r, sdc_policy *p, const char *name);

#endif
