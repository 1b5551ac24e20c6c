/*
 * policy_load.c - the entry points: a policy by name or file, the default
 * policy, and checking a policy file.
 *
 * A name is looked for in three places, in this order: a file of that
 * path, the embedded policies, and a site policy installed beside the
 * shipped ones (PREFIX/share/sdccheck/policies/NAME.yaml, which is why this
 * file is rebuilt when PREFIX changes). Every layer of
 * the load adds its errors to one list; a load with any error returns NULL,
 * so a policy is never half-applied, while `policy check` gets the whole
 * list.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdccheck/policy.h"
#include "core/policy_internal.h"

#ifndef SDC_DATADIR
#define SDC_DATADIR "/usr/local/share/sdccheck"
#endif

/* The installed site policy NAME: its path (the caller frees it) if NAME is
 * a bare name, neither a file nor embedded, and the file exists; else
 * NULL. */
static char *installed_policy(const char *name)
{
    char *installed = NULL;
    if (sdc_pol_file_is_regular(name) || sdc_pol_builtin_yaml(name) || strchr(name, '/'))
        return NULL;
    if (asprintf(&installed, "%s/policies/%s.yaml", SDC_DATADIR, name) < 0)
        return NULL;
    if (!sdc_pol_file_is_regular(installed)) {
        free(installed);
        return NULL;
    }
    return installed;
}

sdc_policy *sdc_policy_load(const char *name_or_path, sdc_policy_errors *errors)
{
    sdc_policy_errors mine = {0};
    sdc_pol_reader r = {0};
    r.errors = &mine;
    sdc_policy *p = calloc(1, sizeof *p);
    if (!p || !name_or_path) {
        sdc_pol_error_add(&r, name_or_path ? name_or_path : "", 0,
                          p ? "no policy named" : "out of memory");
        free(p);
        sdc_pol_errors_move(errors, &mine);
        return NULL;
    }
    char *installed = installed_policy(name_or_path);
    const char *file = installed ? installed : name_or_path;
    if (sdc_pol_file_is_regular(file)) {
        sdc_pol_layer_file(&r, p, file, NULL, 0);
    } else if (sdc_pol_builtin_yaml(name_or_path)) {
        sdc_pol_layer_builtin(&r, p, name_or_path);
    } else {
        char *names = sdc_pol_builtin_list();
        sdc_pol_error_add(&r, name_or_path, 0,
                          "unknown policy '%s' (embedded: %s; installed: %s/policies)",
                          name_or_path, names ? names : "", SDC_DATADIR);
        free(names);
    }
    if (r.failures == 0) {
        p->source = strdup(sdc_pol_file_is_regular(file) ? file : "builtin");
        if (!p->source)
            sdc_pol_error_oom(&r, name_or_path);
    }
    free(installed);
    sdc_pol_errors_move(errors, &mine);
    if (r.failures > 0) {
        sdc_policy_free(p);
        return NULL;
    }
    return p;
}

sdc_policy *sdc_policy_default(void)
{
    sdc_policy *p = sdc_policy_load("ons-srs", NULL);
    if (p)
        return p;
    /* Only if the embedded text were broken: the C defaults. */
    p = calloc(1, sizeof *p);
    if (!p || sdc_pol_set_defaults(p) < 0 || !(p->name = strdup("ons-srs")) ||
        !(p->source = strdup("builtin"))) {
        sdc_policy_free(p);
        return NULL;
    }
    return p;
}

int sdc_policy_check_file(const char *path, sdc_policy_errors *errors)
{
    sdc_policy_errors mine = {0};
    sdc_pol_reader r = {0};
    r.errors = &mine;
    sdc_policy scratch;
    memset(&scratch, 0, sizeof scratch);
    int rc;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f || !sdc_pol_file_is_regular(path)) {
        rc = f || !path ? SDC_EIO : sdc_error_from_errno(errno);
        sdc_pol_error_add(&r, path ? path : "", 0, "cannot read policy file '%s': %s",
                          path ? path : "", f ? "not a regular file" : strerror(errno));
    } else {
        sdc_pol_layer_file(&r, &scratch, path, NULL, 0);
        rc = r.failures > INT_MAX ? INT_MAX : (int)r.failures;
    }
    if (f)
        fclose(f);
    sdc_pol_clear(&scratch);
    sdc_pol_errors_move(errors, &mine);
    return rc;
}
