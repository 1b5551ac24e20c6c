/*
 * table.c - a table as the rules see it: the input read as one CSV file,
 * its layout inferred (sdc_table_infer_layout: roles, shape, totals,
 * evidence), every table rule family applied with the identifier scanner
 * (sdc_table_check), and the table written back as CSV.
 */
#include "fuzz.h"
#include "sdccheck/identifier.h"

/* The identifier scanner for the default policy, made once. */
static const sdc_id_scanner *scanner(const sdc_policy *policy)
{
    static sdc_id_scanner *s;
    if (!s) {
        sdc_status st = {0};
        if (!(s = sdc_id_scanner_new(policy, &st)))
            abort();
    }
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const sdc_policy *policy = fuzz_policy();
    sdc_findings findings = {0};
    sdc_csv_reader *r = sdc_csv_reader_new(policy, &findings);
    if (!r)
        abort();
    sdc_csv_reader_feed(r, data, size);
    sdc_table *t = sdc_csv_reader_finish(r);
    if (t) {
        sdc_table_infer_layout(t, policy, &findings);
        sdc_table_check(t, policy, scanner(policy), &findings);
        sdc_table_check_identifiers(t, policy, scanner(policy), &findings);
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        if (!out)
            abort();
        sdc_table_write_csv(t, sdc_csv_reader_info(r)->delimiter, out);
        fclose(out);
        free(buf);
        sdc_table_free(t);
    }
    sdc_csv_reader_free(r);
    sdc_findings_free(&findings);
    return 0;
}
