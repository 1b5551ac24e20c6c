/* policy_builtin.h - the policies compiled into the library (generated
 * from policies/NAME.yaml by tools/embed-policies.sh). */
#ifndef SDC_POLICY_BUILTIN_H
#define SDC_POLICY_BUILTIN_H

struct sdc_builtin_policy {
    const char *name;
    const char *yaml;
};

/* Terminated by an entry whose name is NULL. */
extern const struct sdc_builtin_policy sdc_builtin_policies[];

#endif
