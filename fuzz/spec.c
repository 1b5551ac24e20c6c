/*
 * spec.c - table declarations (table/spec.c, sidecar.c): the input
 * written as a sidecar NAME.sdc.yaml and loaded, and as a --table-spec
 * file and asked for table t.csv; each declaration that loads is applied
 * to a small table of every kind of column (sdc_table_spec_apply), which
 * the table rules then check, and its queries are asked.
 */
#include "fuzz.h"
#include "sdccheck/spec.h"

static const char table_csv[] = "region,sex,n,turnover,turnover_n,top1,top2\n"
                                "North,F,12,500,4,200,100\n"
                                "North,M,3,120,2,100,20\n"
                                "South,F,0,0,0,0,0\n"
                                "South,M,25,900,9,300,200\n"
                                "All,All,40,1520,15,300,200\n";

static void apply(const sdc_table_spec *spec)
{
    const sdc_policy *policy = fuzz_policy();
    sdc_findings findings = {0};
    sdc_csv_reader *r = sdc_csv_reader_new(policy, &findings);
    if (!r)
        abort();
    sdc_csv_reader_feed(r, table_csv, sizeof table_csv - 1);
    sdc_table *t = sdc_csv_reader_finish(r);
    sdc_csv_reader_free(r);
    if (!t)
        abort();
    sdc_table_infer_layout(t, policy, &findings);
    sdc_table_spec_apply(spec, t, &findings);
    sdc_table_check(t, policy, NULL, &findings);
    sdc_table_spec_unit(spec);
    for (size_t c = 0; c < t->ncols; c++) {
        const char *name = t->columns[c].name;
        sdc_table_spec_parent_column(spec, name);
        if (sdc_table_spec_has_levels(spec, name))
            for (size_t row = 0; row < t->nrows; row++)
                sdc_table_spec_parent_label(spec, name, sdc_table_cell(t, row, c)->text);
    }
    for (size_t row = 0; row < t->nrows; row++) {
        sdc_table_spec_is_total(spec, sdc_table_cell(t, row, 0)->text);
        sdc_table_spec_structural_zero(spec, t, row, 2);
    }
    sdc_table_free(t);
    sdc_findings_free(&findings);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sdc_status st = {0};
    const char *path = fuzz_write_file("t.sdc.yaml", data, size);
    if (!path)
        return 0;
    sdc_table_spec *spec = sdc_table_spec_load(path, &st);
    if (spec) {
        apply(spec);
        sdc_table_spec_free(spec);
    }
    st = (sdc_status){0};

    if (!(path = fuzz_write_file("layout.yaml", data, size)))
        return 0;
    spec = sdc_table_spec_for(path, "t.csv", &st);
    if (spec) {
        apply(spec);
        sdc_table_spec_free(spec);
    }
    return 0;
}
