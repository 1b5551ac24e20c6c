/*
 * audit.c - the audit and protection of small tables: the input read as
 * a CSV table and laid out; a table of at most 400 cells (inputs are at
 * most 4 KiB, -max_len in run.sh) is audited with exact intervals (GLPK,
 * 1 s), then protected with the heuristic and with the optimal
 * suppression (1 s) and audited again, as `sdccheck audit` and --fix do.
 * Larger tables are left to the table harness: the audit's cost grows
 * with the table, and the time limits bound it.
 */
#include "fuzz.h"
#include "sdccheck/audit.h"
#include "sdccheck/protect.h"

static void audit(const sdc_table *t, const sdc_policy *policy)
{
    sdc_audit a = {0};
    sdc_audit_table(t, policy, 1.0, 0, &a);
    double need = sdc_audit_need(policy);
    for (size_t i = 0; i < a.count; i++)
        sdc_audit_judge(&a.cells[i], need);
    sdc_audit_verdict(&a, need);
    sdc_audit_free(&a);
}

static sdc_table *read_table(const uint8_t *data, size_t size, const sdc_policy *policy)
{
    sdc_findings findings = {0};
    sdc_csv_reader *r = sdc_csv_reader_new(policy, &findings);
    if (!r)
        abort();
    sdc_csv_reader_feed(r, data, size);
    sdc_table *t = sdc_csv_reader_finish(r);
    sdc_csv_reader_free(r);
    if (t)
        sdc_table_infer_layout(t, policy, &findings);
    sdc_findings_free(&findings);
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const sdc_policy *policy = fuzz_policy();
    sdc_table *t = read_table(data, size, policy);
    if (!t)
        return 0;
    if (t->nrows * t->ncols <= 400) {
        audit(t, policy);
        sdc_protect_result res = {0};
        sdc_table_protect(t, policy, NULL, &res);
        audit(t, policy);
        sdc_table_free(t);
        t = read_table(data, size, policy);
        if (t) {
            sdc_table_protect_mode(t, policy, NULL, SDC_SUPPRESS_OPTIMAL, 1.0, &res);
            audit(t, policy);
        }
    }
    sdc_table_free(t);
    return 0;
}
