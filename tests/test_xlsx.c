/* test_xlsx.c - Excel sheets read as tables (issue 4: ".xlsx sheets are
 * read as tables and get the table rules"). The workbook is a zip written
 * with libarchive, with the shared strings after the sheet (allowed by the
 * Open Packaging Conventions) so that resolving them late is tested. */
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <stdlib.h>

#include "helpers.h"

static const char sheet[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" "
    "t=\"inlineStr\"><is><t>count</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\"><v>3</v></c></row>"
    "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>2</v></c><c r=\"B4\"><v>140</v></c></row>"
    "</sheetData></worksheet>";
static const char strings[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\">"
    "<si><t>region</t></si><si><r><t>Nor</t></r><r><t>th</t></r></si><si><t>South</t></si></sst>";
static const char content_types[] = "<?xml version=\"1.0\"?><Types/>";

static unsigned char *workbook(const char *const *names, const char *const *texts, size_t n,
                               size_t *len)
{
    size_t cap = 1 << 16;
    unsigned char *buf = malloc(cap);
    struct archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    archive_write_open_memory(a, buf, cap, len);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, names[i]);
        archive_entry_set_size(e, (la_int64_t)strlen(texts[i]));
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_write_header(a, e);
        archive_write_data(a, texts[i], strlen(texts[i]));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    return buf;
}

static size_t check_book(const unsigned char *bytes, size_t len, sdc_file_result **r,
                         sdc_checker *ck)
{
    char path[64] = "/tmp/sdc-xlsx-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_eq(write(fd, bytes, len), (ssize_t)len);
    close(fd);
    size_t n = 0;
    cr_assert_eq(sdc_check_file_all(ck, path, "book.xlsx", r, &n), 0);
    unlink(path);
    return n;
}

Test(xlsx, a_sheet_is_a_table_with_shared_strings_resolved_late)
{
    sdc_policy *p = sdc_policy_default();
    sdc_checker *ck = sdc_checker_new(p, NULL);
    const char *names[] = {"[Content_Types].xml", "xl/worksheets/sheet1.xml",
                           "xl/sharedStrings.xml"};
    const char *texts[] = {content_types, sheet, strings};
    size_t len;
    unsigned char *book = workbook(names, texts, 3, &len);
    sdc_file_result *r;
    size_t n = check_book(book, len, &r, ck);
    const sdc_file_result *s = find_path(r, n, "book.xlsx!xl/worksheets/sheet1.xml");
    cr_assert_not_null(s);
    cr_assert_eq(s->file_class, SDC_CLASS_TABLE);
    cr_assert_str_eq(s->format, "xlsx-sheet");
    cr_assert_eq(s->rows, 2);
    const sdc_finding *f = find_rule(&s->findings, "threshold");
    cr_assert_not_null(f, "the count of 3 is judged");
    cr_assert_str_eq(f->row, "North", "rich-text shared string joined");
    cr_assert_str_eq(f->column, "count", "inline string header");
    cr_assert_eq(f->line, 2, "sheet row numbers are the lines");
    cr_assert_eq(r[0].verdict, SDC_FAIL);
    const sdc_file_result *ct = find_path(r, n, "book.xlsx![Content_Types].xml");
    cr_assert_not_null(ct);
    cr_assert_eq(ct->verdict, SDC_PASS, "package boilerplate passes");
    for (size_t i = 0; i < n; i++)
        sdc_file_result_free(&r[i]);
    free(r);
    free(book);
    sdc_checker_free(ck);
    sdc_policy_free(p);
}

Test(xlsx, broken_sheet_xml_is_reviewed_not_passed)
{
    sdc_policy *p = sdc_policy_default();
    sdc_checker *ck = sdc_checker_new(p, NULL);
    const char *names[] = {"xl/worksheets/sheet1.xml"};
    const char *texts[] = {"<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>12"};
    size_t len;
    unsigned char *book = workbook(names, texts, 1, &len);
    sdc_file_result *r;
    size_t n = check_book(book, len, &r, ck);
    const sdc_file_result *s = find_path(r, n, "book.xlsx!xl/worksheets/sheet1.xml");
    cr_assert_not_null(s);
    cr_assert_neq(s->verdict, SDC_PASS);
    for (size_t i = 0; i < n; i++)
        sdc_file_result_free(&r[i]);
    free(r);
    free(book);
    sdc_checker_free(ck);
    sdc_policy_free(p);
}

/* A workbook laid out for publication (testdata/outputs/make-outputs.py,
 * openpyxl): sheets named by their tabs; Cover, Contents and Notes are
 * text; Table_1 is read from its header row (row 4), its title, source
 * and notes left out, so its 2 rows and Total pass. */
Test(xlsx, a_publication_workbook_is_read_as_a_person_reads_it)
{
    sdc_policy *p = sdc_policy_default();
    sdc_checker *c = sdc_checker_new(p, NULL);
    size_t n = 0;
    sdc_file_result *r = NULL;
    cr_assert_eq(sdc_check_file_all(c, "testdata/outputs/py_publication.xlsx", "pub.xlsx", &r, &n),
                 0);
    const sdc_file_result *cover = find_path(r, n, "pub.xlsx!sheet:Cover");
    const sdc_file_result *notes = find_path(r, n, "pub.xlsx!sheet:Notes");
    const sdc_file_result *t = find_path(r, n, "pub.xlsx!sheet:Table_1");
    cr_assert_not_null(cover);
    cr_assert_not_null(notes);
    cr_assert_not_null(t);
    cr_assert_eq(cover->file_class, SDC_CLASS_DOCUMENT);
    cr_assert_eq(notes->verdict, SDC_PASS, "note numbers 1, 2 are not counts");
    cr_assert_eq(t->file_class, SDC_CLASS_TABLE);
    cr_assert_eq(t->rows, 3, "North, South, Total: not the title, source or notes");
    cr_assert_eq(t->verdict, SDC_PASS);
    cr_assert_eq(r[0].verdict, SDC_PASS);
    for (size_t i = 0; i < n; i++)
        sdc_file_result_free(&r[i]);
    free(r);
    sdc_checker_free(c);
    sdc_policy_free(p);
}

/* Row numbers and cell references past Excel's grid (1,048,576 rows,
 * column XFD) and a shared-string index past long's range: no overflow
 * (UBSan runs this); a bad row number is the row after the one before,
 * a bad reference takes the next column, a bad index is an unresolved
 * string (malformed, review). */
Test(xlsx, numbers_past_the_grid_do_not_overflow)
{
    static const char bad_sheet[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>region</t></is></c><c r=\"B1\" "
        "t=\"inlineStr\"><is><t>count</t></is></c></row>"
        "<row r=\"99999999999999999999999\"><c r=\"AAAAAAAAAAAAAAAAAAAAAAAA99999999999999999999\" "
        "t=\"inlineStr\"><is><t>North</t></is></c><c><v>30</v></c></row>"
        "<row><c r=\"A3\" t=\"s\"><v>99999999999999999999999</v></c><c r=\"B3\"><v>40</v></c></row>"
        "</sheetData></worksheet>";
    sdc_policy *p = sdc_policy_default();
    sdc_checker *ck = sdc_checker_new(p, NULL);
    const char *names[] = {"[Content_Types].xml", "xl/worksheets/sheet1.xml"};
    const char *texts[] = {content_types, bad_sheet};
    size_t len;
    unsigned char *book = workbook(names, texts, 2, &len);
    sdc_file_result *r;
    size_t n = check_book(book, len, &r, ck);
    const sdc_file_result *s = find_path(r, n, "book.xlsx!xl/worksheets/sheet1.xml");
    cr_assert_not_null(s);
    cr_assert_eq(s->rows, 2);
    const sdc_finding *m = find_rule(&s->findings, "malformed");
    cr_assert_not_null(m, "the index past range is an unresolved string");
    cr_assert(strstr(m->message, "shared strings"), "%s", m->message);
    for (size_t i = 0; i < n; i++)
        sdc_file_result_free(&r[i]);
    free(r);
    free(book);
    sdc_checker_free(ck);
    sdc_policy_free(p);
}

/* A sheet of 2,000 rows of two cells and one cell at XFD (column 16,384):
 * a rectangle of 2,000 × 16,384 cells would be 33 million cells of
 * nothing, so the sheet is read as wide as its cells allow (4 × 4,003 +
 * 2^20 = 1,064,588 cells over 2,001 rows: 532 columns), and the cell past
 * that is reported, not read: review. */
Test(xlsx, a_cell_far_to_the_right_is_reported_not_padded_to)
{
    size_t cap = 1u << 20, len = 0;
    char *xml = malloc(cap);
    len += (size_t)snprintf(
        xml + len, cap - len, "%s",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>area</t></is></c>"
        "<c r=\"B1\" t=\"inlineStr\"><is><t>count</t></is></c>"
        "<c r=\"XFD1\"><v>5</v></c></row>");
    for (int i = 2; i <= 2001; i++)
        len += (size_t)snprintf(xml + len, cap - len,
                                "<row r=\"%d\"><c r=\"A%d\" t=\"inlineStr\"><is><t>A%d</t></is></c>"
                                "<c r=\"B%d\"><v>%d</v></c></row>",
                                i, i, i, i, 10 + i % 7);
    snprintf(xml + len, cap - len, "</sheetData></worksheet>");
    sdc_policy *p = sdc_policy_default();
    sdc_checker *ck = sdc_checker_new(p, NULL);
    const char *names[] = {"[Content_Types].xml", "xl/worksheets/sheet1.xml"};
    const char *texts[] = {content_types, xml};
    size_t blen;
    unsigned char *book = workbook(names, texts, 2, &blen);
    sdc_file_result *r;
    size_t n = check_book(book, blen, &r, ck);
    const sdc_file_result *s = find_path(r, n, "book.xlsx!xl/worksheets/sheet1.xml");
    cr_assert_not_null(s);
    cr_assert_eq(s->columns, 532, "read %zu columns wide", s->columns);
    bool said = false;
    for (size_t i = 0; i < s->findings.count; i++)
        said |= strcmp(s->findings.items[i].rule, "malformed") == 0 &&
                strstr(s->findings.items[i].message, "column 16384") != NULL;
    cr_assert(said, "the far cell is reported");
    cr_assert_neq(s->verdict, SDC_PASS);
    for (size_t i = 0; i < n; i++)
        sdc_file_result_free(&r[i]);
    free(r);
    free(book);
    free(xml);
    sdc_checker_free(ck);
    sdc_policy_free(p);
}
