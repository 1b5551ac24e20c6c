/*
 * container.c - containers with their limits: the input's first line
 * names it (fuzz_split_name: x.zip, x.tar.gz, x.7z, x.docx...), the rest
 * is its bytes, checked with every member walked (sdc_check_file_all:
 * libarchive's readers, the accounts of each format's bytes, nested
 * archives, Office parts) under a policy whose limits are small, so that
 * reaching them is fuzzed too: 3 levels of nesting, 64 members, 1 MiB
 * unpacked, a ratio of 50.
 */
#include "fuzz.h"

static const sdc_policy *policy(void)
{
    static sdc_policy *p;
    if (!p) {
        if (!(p = sdc_policy_default()))
            abort();
        p->archive_max_depth = 3;
        p->archive_max_members = 64;
        p->archive_max_bytes = 1 << 20;
        p->archive_max_ratio = 50;
    }
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *name = fuzz_split_name(&data, &size);
    const char *path = fuzz_write_file(name, data, size);
    if (!path)
        return 0;
    sdc_file_result *results = NULL;
    size_t count = 0;
    if (sdc_check_file_all(fuzz_checker(policy()), path, name, &results, &count) != 0)
        return 0;
    for (size_t i = 0; i < count; i++)
        sdc_file_result_free(&results[i]);
    free(results);
    return 0;
}
