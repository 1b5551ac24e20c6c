/*
 * xlsx.c - an Excel workbook's parts (read/xlsx.c): the input is a list
 * of parts, each after a line "@@ PATH" naming it in the zip
 * (xl/sharedStrings.xml, xl/workbook.xml, xl/_rels/workbook.xml.rels,
 * xl/worksheets/sheetN.xml; bytes before the first such line are a
 * sheet), given to the reader in that order as the container would give
 * them; then every sheet is built as a table, laid out and checked by
 * the table rules. fuzz/seed.sh writes the parts of testdata's
 * workbooks so.
 */
#include "fuzz.h"
#include "read/xlsx.h"

#define MAX_PARTS 16

/* Gives the part PATH (NUL-terminated, or NULL: a sheet) its bytes. */
static void add(sdc_xlsx *x, const char *path, const uint8_t *b, size_t n, long *slot)
{
    const char *member = path ? path : "xl/worksheets/sheet1.xml";
    sdc_xlsx_part kind = sdc_xlsx_part_of(member);
    if (kind == SDC_XLSX_NONE)
        return;
    if (sdc_xlsx_add(x, kind, member, kind == SDC_XLSX_SHEET ? (*slot)++ : -1, b, n) < 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const sdc_policy *policy = fuzz_policy();
    sdc_xlsx *x = sdc_xlsx_new(policy);
    if (!x)
        abort();
    long slot = 0;
    char path[128];
    const char *name = NULL;
    const uint8_t *part = data, *end = data + size;
    int parts = 0;
    for (const uint8_t *p = data; p < end && parts < MAX_PARTS;) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        const uint8_t *next = nl ? nl + 1 : end;
        if (end - p > 3 && memcmp(p, "@@ ", 3) == 0 && nl && nl - p - 3 < (long)sizeof path) {
            if (p > part || name) {
                add(x, name, part, (size_t)(p - part), &slot);
                parts++;
            }
            memcpy(path, p + 3, (size_t)(nl - p - 3));
            path[nl - p - 3] = 0;
            name = path;
            part = next;
        }
        p = next;
    }
    if (end > part || name)
        add(x, name, part, (size_t)(end - part), &slot);

    for (size_t i = 0; i < sdc_xlsx_sheets(x); i++) {
        sdc_xlsx_slot(x, i);
        sdc_xlsx_member(x, i);
        sdc_xlsx_sheet_name(x, i);
        sdc_findings findings = {0};
        sdc_table *t = sdc_xlsx_table(x, i, &findings);
        if (t) {
            sdc_xlsx_text_sheet(x, i);
            sdc_table_infer_layout(t, policy, &findings);
            sdc_table_check(t, policy, NULL, &findings);
            sdc_table_free(t);
        }
        sdc_findings_free(&findings);
    }
    sdc_xlsx_free(x);
    return 0;
}
