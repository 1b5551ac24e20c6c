/*
 * policy.c - a policy file (sdccheck-policy(5)): the input written as a
 * YAML file and loaded as `--policy FILE` loads it (core/policy_*.c,
 * libyaml), validated as `sdccheck policy check` does, and when it loads,
 * written back as `policy show` writes it and turned into a checker (its
 * identifier patterns compiled).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file("policy.yaml", data, size);
    if (!path)
        return 0;
    sdc_policy_errors errors = {0};
    sdc_policy_check_file(path, &errors);
    sdc_policy_errors_free(&errors);

    sdc_policy *p = sdc_policy_load(path, &errors);
    sdc_policy_errors_free(&errors);
    if (!p)
        return 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        abort();
    sdc_policy_write_yaml(p, out);
    fclose(out);
    free(buf);
    sdc_status st = {0};
    sdc_checker_free(sdc_checker_new(p, &st));
    sdc_policy_free(p);
    return 0;
}
