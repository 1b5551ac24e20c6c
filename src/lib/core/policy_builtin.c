/*
 * policy_builtin.c - the policies compiled into the library, by name.
 *
 * tools/embed-policies.sh turns policies/NAME.yaml into the generated table
 * sdc_builtin_policies[] (policy_builtin.h), in file order. Their names are
 * also listed here by hand, default first, for `policy list` and for
 * messages; tests check that the two agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdccheck/policy.h"
#include "core/policy_builtin.h"
#include "core/policy_internal.h"

static const char *const builtin_names[] = {"ons-srs", "acro-default", "eurostat", "opensafely",
                                            NULL};

const char *sdc_pol_builtin_yaml(const char *name)
{
    for (size_t i = 0; sdc_builtin_policies[i].name; i++)
        if (strcmp(sdc_builtin_policies[i].name, name) == 0)
            return sdc_builtin_policies[i].yaml;
    return NULL;
}

char *sdc_pol_builtin_list(void)
{
    char buf[512];
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; builtin_names[i]; i++) {
        int n = snprintf(buf + used, sizeof buf - used, "%s%s", i ? ", " : "", builtin_names[i]);
        if (n < 0 || (size_t)n >= sizeof buf - used)
            break;
        used += (size_t)n;
    }
    return strdup(buf);
}

const char *const *sdc_policy_builtin_names(void)
{
    return builtin_names;
}

const char *sdc_policy_builtin_text(const char *name)
{
    return name ? sdc_pol_builtin_yaml(name) : NULL;
}
