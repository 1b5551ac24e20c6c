/*
 * check.c - the whole check of one file: the input's first line names it
 * (fuzz_split_name: the extension is a hint the classifier weighs), the
 * rest is its bytes, written to a file and checked as `sdccheck FILE`
 * checks it (sdc_check_file_all: classification, every reader and walker,
 * containers and their members, the rules), then reported by every
 * report writer: the first FUZZ_REPORT_FILES files of it, each written as
 * it would be in any report (the seed of 10,000 members took 7 s to
 * report under the sanitizers, near the 10 s timeout).
 */
#include "fuzz.h"

#define FUZZ_REPORT_FILES 256

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
    sdc_report some = report;
    if (some.file_count > FUZZ_REPORT_FILES)
        some.file_count = FUZZ_REPORT_FILES;
    fuzz_write_reports(&some);
    sdc_report_free(&report);
    return 0;
}
