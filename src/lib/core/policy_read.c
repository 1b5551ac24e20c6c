/*
 * policy_read.c - from a policy file to the key/value pairs of its YAML.
 *
 * A policy file is read whole (at most 1 MiB), loaded with libyaml's
 * document API so that every node keeps the line it came from, and walked
 * as the pairs of its top mapping. This file says what is wrong with the
 * YAML itself (a syntax error, a second document, a root that is not a
 * mapping, a key that is not a word or is repeated); what the keys mean is
 * policy_keys.c's business.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "sdccheck/policy.h"
#include "core/yaml_bound.h"
#include "core/policy_internal.h"
#include "core/vec.h"

#define MAX_POLICY_BYTES (1024L * 1024L)

/* ---- the file ---------------------------------------------------------- */

bool sdc_pol_file_is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *sdc_pol_file_read(sdc_pol_reader *r, const char *path, const char *shown, long line,
                        size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        sdc_pol_error_add(r, shown, line, "cannot read policy file '%s': %s", path,
                          strerror(errno));
        return NULL;
    }
    size_t cap = 0, used = 0;
    char *buf = NULL;
    for (;;) {
        if (used + 1 >= cap) {
            if (cap >= (size_t)MAX_POLICY_BYTES) {
                sdc_pol_error_add(r, shown, line, "policy file '%s' is larger than %ld bytes", path,
                                  MAX_POLICY_BYTES);
                free(buf);
                fclose(f);
                return NULL;
            }
            if (sdc_vec_reserve(&buf, &cap, cap ? cap * 2 : 4096, 1) < 0) {
                free(buf);
                fclose(f);
                sdc_pol_error_oom(r, shown);
                return NULL;
            }
        }
        size_t n = fread(buf + used, 1, cap - used - 1, f);
        used += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        sdc_pol_error_add(r, shown, line, "cannot read policy file '%s': %s", path,
                          strerror(errno));
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[used] = '\0';
    *len = used;
    return buf;
}

/* ---- the document ------------------------------------------------------ */

/* Line of byte OFFSET in TEXT, 1-based. */
static long line_of_offset(const char *text, size_t len, size_t offset)
{
    long line = 1;
    for (size_t i = 0; i < offset && i < len; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

static void yaml_problem(sdc_pol_reader *r, yaml_parser_t *parser, const char *text, size_t len,
                         const char *file)
{
    long line = parser->error == YAML_READER_ERROR
                    ? line_of_offset(text, len, parser->problem_offset)
                    : (long)parser->problem_mark.line + 1;
    const char *problem = parser->problem ? parser->problem : "cannot be parsed";
    long context_line = (long)parser->context_mark.line + 1;
    if (parser->context && context_line != line)
        sdc_pol_error_add(r, file, line, "bad YAML: %s %s (started on line %ld)", problem,
                          parser->context, context_line);
    else if (parser->context)
        sdc_pol_error_add(r, file, line, "bad YAML: %s %s", problem, parser->context);
    else
        sdc_pol_error_add(r, file, line, "bad YAML: %s", problem);
}

int sdc_pol_doc_load(sdc_pol_reader *r, const char *text, size_t len, const char *file,
                     yaml_document_t *doc)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        sdc_pol_error_oom(r, file);
        return -1;
    }
    long at = 1;
    sdc_yaml_shape shape = sdc_yaml_shape_of((const unsigned char *)text, len, true, &at);
    if (shape == SDC_YAML_TOO_DEEP || shape == SDC_YAML_ALIAS) {
        sdc_pol_error_add(r, file, at, "%s in a policy", sdc_yaml_shape_message(shape));
        yaml_parser_delete(&parser);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, doc)) {
        yaml_problem(r, &parser, text, len, file);
        yaml_parser_delete(&parser);
        return -1;
    }
    int rc = 0;
    yaml_node_t *root = yaml_document_get_root_node(doc);
    yaml_document_t extra;
    if (root && yaml_parser_load(&parser, &extra)) {
        if (yaml_document_get_root_node(&extra)) {
            sdc_pol_error_add(r, file, (long)extra.start_mark.line + 1,
                              "a policy is one YAML document; found a second one");
            rc = -1;
        }
        yaml_document_delete(&extra);
    } else if (root) {
        yaml_problem(r, &parser, text, len, file);
        rc = -1;
    }
    yaml_parser_delete(&parser);

    if (rc == 0 && (!root || root->type != YAML_MAPPING_NODE)) {
        sdc_pol_error_add(r, file, root ? sdc_pol_node_line(root) : 1,
                          "a policy must be a YAML mapping of keys (see sdccheck-policy(5)), "
                          "not %s",
                          root ? sdc_pol_node_kind(root) : "an empty file");
        rc = -1;
    }
    if (rc < 0)
        yaml_document_delete(doc);
    return rc;
}

/* ---- its pairs --------------------------------------------------------- */

void sdc_pol_layer_error(sdc_pol_layer *l, const yaml_node_t *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sdc_pol_error_addv(l->r, l->file, sdc_pol_node_line(node), fmt, ap);
    va_end(ap);
}

/* Whether key K of the pair at PAIR repeats the key of an earlier pair of
 * the mapping starting at START; reported unless QUIET. */
static bool key_repeated(sdc_pol_layer *l, yaml_node_pair_t *start, yaml_node_pair_t *pair,
                         yaml_node_t *k, bool quiet)
{
    const char *key = sdc_pol_scalar_text(k);
    for (yaml_node_pair_t *prev = start; prev < pair; prev++) {
        yaml_node_t *pk = sdc_pol_node_at(l, prev->key);
        if (sdc_pol_is_scalar(pk) && strcmp(sdc_pol_scalar_text(pk), key) == 0) {
            if (!quiet)
                sdc_pol_layer_error(l, k, "key '%s' is repeated (first on line %ld)", key,
                                    sdc_pol_node_line(pk));
            return true;
        }
    }
    return false;
}

static void each_pair(sdc_pol_layer *l, yaml_node_t *mapping, sdc_pol_pair_fn fn, void *arg,
                      bool quiet)
{
    yaml_node_pair_t *start = mapping->data.mapping.pairs.start;
    yaml_node_pair_t *top = mapping->data.mapping.pairs.top;
    for (yaml_node_pair_t *pair = start; pair < top; pair++) {
        yaml_node_t *k = sdc_pol_node_at(l, pair->key);
        yaml_node_t *v = sdc_pol_node_at(l, pair->value);
        if (!sdc_pol_is_scalar(k)) {
            if (!quiet)
                sdc_pol_layer_error(l, k, "a key must be a plain word, not %s",
                                    sdc_pol_node_kind(k));
            continue;
        }
        if (!key_repeated(l, start, pair, k, quiet))
            fn(l, sdc_pol_scalar_text(k), k, v, arg);
    }
}

void sdc_pol_each_pair(sdc_pol_layer *l, yaml_node_t *mapping, sdc_pol_pair_fn fn, void *arg)
{
    each_pair(l, mapping, fn, arg, false);
}

void sdc_pol_each_pair_quiet(sdc_pol_layer *l, yaml_node_t *mapping, sdc_pol_pair_fn fn, void *arg)
{
    each_pair(l, mapping, fn, arg, true);
}
