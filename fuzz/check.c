/*
 * check.c - the whole check of one file: the input's first line names it
 * (fuzz_split_name: the extension is a hint the classifier weighs), the
 * rest is its bytes, written to a file and checked as `sdccheck FILE`
 * checks it (sdc_check_file_all: classification, every reader and walker,
 * containers and their members, the rules), then reported by every
 * report writer.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *name = fuzz_split_name(&data, &size);
    const char *path = fuzz_write_file(name, data, size);
    if (!path)
        return 0;
    const sdc_policy *policy = fuzz_policy();
    sdc_file_result *results = NULL;
    size_t count = 0;
    if (sdc_check_file_all(fuzz_checker(policy), path, name, &results, &count) != 0)
        return 0;
    sdc_report report = {.policy = policy, .files = results, .file_count = count};
    sdc_report_derive(&report);
    fuzz_write_reports(&report);
    sdc_report_free(&report);
    return 0;
}
