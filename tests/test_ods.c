/* test_ods.c - OpenDocument spreadsheets: sheets read from content.xml as
 * CSV (read/ods.c) and walked as tables (check/container.c). The content.xml
 * texts here are written by hand from OpenDocument v1.3 part 3, 9.1; the
 * .ods files by testdata/make-ods.py (pandas, odfpy), with each sheet's
 * verdict worked out from its cells there. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "read/ods.h"

#define HEAD                                                                                       \
    "<?xml version=\"1.0\"?><office:document-content "                                             \
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "                           \
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "                             \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body>"
#define TAIL "</office:body></office:document-content>"

static sdc_ods read_ods(const char *xml, long max_rows)
{
    sdc_ods o;
    cr_assert_eq(sdc_ods_read((const unsigned char *)xml, strlen(xml), max_rows, &o), 0);
    return o;
}

static void expect_csv(const sdc_ods_sheet *s, const char *want)
{
    cr_assert_not_null(s->csv);
    cr_expect_eq(s->len, strlen(want), "%s: %zu bytes: %.*s", s->name, s->len, (int)s->len, s->csv);
    cr_expect_eq(memcmp(s->csv, want, s->len < strlen(want) ? s->len : strlen(want)), 0,
                 "%s: got\n%.*s", s->name, (int)s->len, s->csv);
}

Test(ods, cells_rows_and_repeats_are_written_as_the_grid_shows_them)
{
    const char *xml =
        HEAD "<office:spreadsheet><table:table table:name=\"Counts by area\">"
             /* a header with a repeated label cell and an empty cell between */
             "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>area"
             "</text:p></table:table-cell><table:table-cell table:number-columns-repeated=\"2\" "
             "office:value-type=\"string\"><text:p>n</text:p></table:table-cell>"
             "<table:table-cell/><table:table-cell><text:p>note, with comma</text:p>"
             "</table:table-cell><table:table-cell table:number-columns-repeated=\"1020\"/>"
             "</table:table-row>"
             /* the exact number, not the 12.0 shown; a row repeated twice */
             "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell "
             "office:value-type=\"string\"><text:p>North</text:p></table:table-cell>"
             "<table:table-cell office:value-type=\"float\" office:value=\"12.25\"><text:p>12.3"
             "</text:p></table:table-cell><table:covered-table-cell office:value-type="
             "\"percentage\" office:value=\"0.5\"><text:p>50%</text:p></table:covered-table-cell>"
             "</table:table-row>"
             /* empty rows in the middle, a million at the end */
             "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell/>"
             "</table:table-row><table:table-row><table:table-cell><text:p>South</text:p>"
             "<text:p>\"x\"</text:p></table:table-cell></table:table-row>"
             "<table:table-row table:number-rows-repeated=\"1048570\"><table:table-cell "
             "table:number-columns-repeated=\"1024\"/></table:table-row>"
             "</table:table></office:spreadsheet>" TAIL;
    sdc_ods o = read_ods(xml, 10000);
    cr_assert(o.spreadsheet);
    cr_assert_null(o.error);
    cr_assert_eq(o.count, 1);
    cr_expect_str_eq(o.sheets[0].name, "Counts by area");
    cr_expect_not(o.sheets[0].cut);
    /* The paragraphs of a cell are joined as libxml2 reads their text; a
     * field with quotes is quoted (RFC 4180). */
    expect_csv(&o.sheets[0], "area,n,n,,\"note, with comma\"\n"
                             "North,12.25,50%\nNorth,12.25,50%\n\n\n\"South\"\"x\"\"\"\n");
    sdc_ods_free(&o);
}

Test(ods, rows_repeated_past_max_table_rows_are_cut_and_said_so)
{
    const char *xml = HEAD "<office:spreadsheet><table:table table:name=\"T\"><table:table-row>"
                           "<table:table-cell><text:p>a</text:p></table:table-cell>"
                           "<table:table-cell><text:p>b</text:p></table:table-cell>"
                           "</table:table-row><table:table-row table:number-rows-repeated="
                           "\"1000000\"><table:table-cell><text:p>x</text:p></table:table-cell>"
                           "<table:table-cell office:value-type=\"float\" office:value=\"1\">"
                           "<text:p>1</text:p></table:table-cell></table:table-row>"
                           "</table:table></office:spreadsheet>" TAIL;
    sdc_ods o = read_ods(xml, 5);
    cr_assert_eq(o.count, 1);
    cr_expect(o.sheets[0].cut);
    /* the header and MAX_ROWS + 1 = 6 body rows, 7 rows in all */
    expect_csv(&o.sheets[0], "a,b\nx,1\nx,1\nx,1\nx,1\nx,1\n");
    sdc_ods_free(&o);
}

Test(ods, a_text_document_has_no_sheets_and_broken_xml_is_said)
{
    const char *odt = HEAD "<office:text><table:table table:name=\"T\"><table:table-row>"
                           "<table:table-cell><text:p>a</text:p></table:table-cell>"
                           "</table:table-row></table:table></office:text>" TAIL;
    sdc_ods o = read_ods(odt, 100);
    cr_expect_not(o.spreadsheet);
    cr_expect_eq(o.count, 0);
    sdc_ods_free(&o);
    const char *broken = HEAD "<office:spreadsheet><table:table table:name=\"T\"><table:table-row>"
                              "<table:table-cell><text:p>a</text:p></table:table-cell>";
    o = read_ods(broken, 100);
    cr_expect(o.spreadsheet);
    cr_expect_not_null(o.error);
    sdc_ods_free(&o);
}

Test(ods, sheets_get_the_table_rules_and_the_package_parts_are_explained)
{
    sdc_policy *policy = sdc_policy_default();
    sdc_checker *c = sdc_checker_new(policy, NULL);
    cr_assert_not_null(c);
    static const struct {
        const char *file, *sheet;
        sdc_verdict sheet_verdict, file_verdict;
        const char *rule; /* the sheet's failing rule, or NULL */
    } want[] = {
        /* counts 12..61 pass; the Notes sheet is labels only (review) */
        {"testdata/ods/region_sex.ods", "sheet:Counts.csv", SDC_PASS, SDC_REVIEW, NULL},
        /* North East, F = 3, below 10 */
        {"testdata/ods/small_counts.ods", "sheet:Counts.csv", SDC_FAIL, SDC_FAIL, "threshold"},
        /* 200 people with an id */
        {"testdata/ods/people.ods", "sheet:People.csv", SDC_FAIL, SDC_FAIL, "microdata"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        sdc_file_result *rs = NULL;
        size_t n = 0;
        cr_assert_eq(sdc_check_file_all(c, want[i].file, NULL, &rs, &n), 0);
        cr_assert_gt(n, 1);
        cr_expect_eq(rs[0].verdict, want[i].file_verdict, "%s: %s", want[i].file,
                     sdc_verdict_name(rs[0].verdict));
        char path[256];
        snprintf(path, sizeof path, "%s!%s", want[i].file, want[i].sheet);
        const sdc_file_result *s = find_path(rs, n, path);
        cr_assert_not_null(s, "%s: no sheet", path);
        cr_expect_eq(s->file_class, SDC_CLASS_TABLE);
        cr_expect_eq(s->verdict, want[i].sheet_verdict, "%s: %s", path,
                     sdc_verdict_name(s->verdict));
        if (want[i].rule)
            cr_expect_not_null(find_rule(&s->findings, want[i].rule), "%s: no %s", path,
                               want[i].rule);
        /* mimetype, styles.xml, meta.xml, manifest.xml and the spreadsheet's
         * content.xml are parts of the package: they pass once read */
        static const char *const parts[] = {"mimetype", "styles.xml", "meta.xml",
                                            "META-INF/manifest.xml", "content.xml"};
        for (size_t k = 0; k < sizeof parts / sizeof *parts; k++) {
            snprintf(path, sizeof path, "%s!%s", want[i].file, parts[k]);
            const sdc_file_result *p = find_path(rs, n, path);
            cr_assert_not_null(p, "%s", path);
            cr_expect_eq(p->verdict, SDC_PASS, "%s: %s", path, sdc_verdict_name(p->verdict));
        }
        for (size_t k = 0; k < n; k++)
            sdc_file_result_free(&rs[k]);
        free(rs);
    }
    sdc_checker_free(c);
    sdc_policy_free(policy);
}
