/*
 * policy_extends.c - a policy as a chain of layers: its parent first
 * (`extends`), then its own keys.
 *
 * A layer that says `extends: PARENT` first loads PARENT, recursively, into
 * the same sdc_policy, then applies its own keys on top; a layer without
 * `extends` starts from the C defaults. PARENT is a file beside the
 * extending file (or an absolute path) if there is one, else an embedded
 * policy; an embedded policy has no folder, so it may only extend another
 * embedded one and the binary needs no files. The layers being loaded are
 * kept in the reader, outermost first, to refuse cycles and over-deep
 * chains. A parent that cannot be loaded leaves the defaults beneath, so
 * that the extending file's own keys are still checked.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sdccheck/policy.h"
#include "core/policy_internal.h"

/* The last path component without .yaml/.yml, for a file's default name. */
static char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *start = slash ? slash + 1 : path;
    size_t len = strlen(start);
    if (len > 5 && strcmp(start + len - 5, ".yaml") == 0)
        len -= 5;
    else if (len > 4 && strcmp(start + len - 4, ".yml") == 0)
        len -= 4;
    return strndup(start, len);
}

static char *dir_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* ---- extends ----------------------------------------------------------- */

/* The file `extends: TARGET` of layer L names: TARGET in L's folder, or
 * TARGET itself if absolute, when it is a regular file. NULL when there is
 * no such file or L is embedded; NULL with *OOM set when out of memory. */
static char *extends_file(const sdc_pol_layer *l, const char *target, bool *oom)
{
    char *path = NULL;
    *oom = false;
    if (!l->dir)
        return NULL;
    if (target[0] == '/')
        path = strdup(target);
    else if (asprintf(&path, "%s/%s", l->dir, target) < 0)
        path = NULL;
    if (!path) {
        *oom = true;
        return NULL;
    }
    if (!sdc_pol_file_is_regular(path)) {
        free(path);
        return NULL;
    }
    return path;
}

/* Whether the parent (file PATH, or embedded TARGET when PATH is NULL) is
 * already being loaded further out; if so, says so at V with the chain. */
static bool extends_cycle(sdc_pol_layer *l, yaml_node_t *v, const char *path, const char *target)
{
    sdc_pol_reader *r = l->r;
    char identity[PATH_MAX + 16];
    char *real = path ? realpath(path, NULL) : NULL;
    if (path)
        snprintf(identity, sizeof identity, "%s", real ? real : path);
    else
        snprintf(identity, sizeof identity, "embedded:%s", target);
    free(real);
    for (size_t i = 0; i < r->depth; i++) {
        if (strcmp(r->chain[i], identity) != 0)
            continue;
        char trail[1024] = "";
        size_t used = 0;
        for (size_t j = i; j < r->depth; j++) {
            int n = snprintf(trail + used, sizeof trail - used, "%s -> ", r->chain_file[j]);
            if (n < 0 || (size_t)n >= sizeof trail - used)
                break;
            used += (size_t)n;
        }
        sdc_pol_layer_error(l, v, "extends cycle: %s%s", trail, path ? path : target);
        return true;
    }
    return false;
}

/* Loads the parent named by `extends: V` of layer L into L->p. */
static void layer_extends(sdc_pol_layer *l, yaml_node_t *v)
{
    sdc_pol_reader *r = l->r;
    if (!sdc_pol_is_scalar(v) || !*sdc_pol_scalar_text(v)) {
        sdc_pol_layer_error(l, v, "extends must name a policy (embedded name or file), not %s",
                            sdc_pol_is_scalar(v) ? "empty" : sdc_pol_node_kind(v));
        sdc_pol_set_defaults(l->p);
        return;
    }
    const char *target = sdc_pol_scalar_text(v);
    bool oom;
    char *path = extends_file(l, target, &oom);
    if (oom) {
        sdc_pol_error_oom(r, l->file);
        return;
    }
    if (!path && !sdc_pol_builtin_yaml(target)) {
        char *names = sdc_pol_builtin_list();
        sdc_pol_layer_error(l, v, "extends: unknown policy '%s' (%s%s%sembedded: %s)", target,
                            l->dir ? "no such file in " : "", l->dir ? l->dir : "",
                            l->dir ? "; " : "", names ? names : "");
        free(names);
        sdc_pol_set_defaults(l->p);
        return;
    }
    if (extends_cycle(l, v, path, target)) {
        free(path);
        sdc_pol_set_defaults(l->p);
        return;
    }
    if (r->depth == SDC_POL_MAX_EXTENDS_DEPTH) {
        sdc_pol_layer_error(l, v, "extends: chains deeper than %d policies are refused",
                            SDC_POL_MAX_EXTENDS_DEPTH);
        free(path);
        sdc_pol_set_defaults(l->p);
        return;
    }
    int rc = path ? sdc_pol_layer_file(r, l->p, path, l->file, sdc_pol_node_line(v))
                  : sdc_pol_layer_builtin(r, l->p, target);
    /* A parent that could not be read left P untouched: start from the
     * defaults so that this file's own keys are still checked. */
    if (rc < 0)
        sdc_pol_set_defaults(l->p);
    free(path);
}

/* ---- one layer --------------------------------------------------------- */

/* The value of ROOT's first `extends` key, or NULL. */
static yaml_node_t *find_extends(const sdc_pol_layer *l, yaml_node_t *root)
{
    for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
         pair < root->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = sdc_pol_node_at(l, pair->key);
        if (sdc_pol_is_scalar(k) && strcmp(sdc_pol_scalar_text(k), "extends") == 0)
            return sdc_pol_node_at(l, pair->value);
    }
    return NULL;
}

/*
 * Parses TEXT and applies it on top of P: the parent first (extends), or
 * the defaults when there is none. FILE is TEXT's name in errors, DIR the
 * folder of a relative `extends` (NULL: embedded), IDENTITY what tells
 * this layer apart in the chain, DEFAULT_NAME the policy's name unless the
 * text sets one. Returns 0, or -1 if this layer could not be read at all
 * (errors are added either way).
 */
static int layer_text(sdc_pol_reader *r, sdc_policy *p, const char *text, size_t len,
                      const char *file, const char *dir, const char *identity,
                      const char *default_name)
{
    yaml_document_t doc;
    if (sdc_pol_doc_load(r, text, len, file, &doc) < 0)
        return -1;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    sdc_pol_layer l = {r, &doc, file, dir, p};

    r->chain[r->depth] = strdup(identity);
    r->chain_file[r->depth] = file;
    if (!r->chain[r->depth]) {
        sdc_pol_error_oom(r, file);
        yaml_document_delete(&doc);
        return -1;
    }
    r->depth++;

    yaml_node_t *extends = find_extends(&l, root);
    if (extends)
        layer_extends(&l, extends);
    else if (sdc_pol_set_defaults(p) < 0)
        sdc_pol_error_oom(r, file);

    /* name and description belong to this file, not to the parent */
    free(p->name);
    free(p->description);
    p->name = strdup(default_name);
    p->description = NULL;
    if (!p->name)
        sdc_pol_error_oom(r, file);

    sdc_pol_keys_apply(&l, root);

    r->depth--;
    free(r->chain[r->depth]);
    r->chain[r->depth] = NULL;
    yaml_document_delete(&doc);
    return 0;
}

int sdc_pol_layer_builtin(sdc_pol_reader *r, sdc_policy *p, const char *name)
{
    const char *yaml = sdc_pol_builtin_yaml(name);
    char shown[128], identity[128];
    snprintf(shown, sizeof shown, "embedded:%s", name);
    snprintf(identity, sizeof identity, "embedded:%s", name);
    return layer_text(r, p, yaml, strlen(yaml), shown, NULL, identity, name);
}

int sdc_pol_layer_file(sdc_pol_reader *r, sdc_policy *p, const char *path, const char *from_file,
                       long from_line)
{
    size_t len;
    char *text = sdc_pol_file_read(r, path, from_file ? from_file : path, from_line, &len);
    if (!text)
        return -1;
    char *identity = realpath(path, NULL);
    char *dir = dir_name(path);
    char *name = base_name(path);
    int rc = -1;
    if (dir && name)
        rc = layer_text(r, p, text, len, path, dir, identity ? identity : path, name);
    else
        sdc_pol_error_oom(r, path);
    free(identity);
    free(dir);
    free(name);
    free(text);
    return rc;
}
