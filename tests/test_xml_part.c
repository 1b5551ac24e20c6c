/* test_xml_part.c - an Office part passes only as the XML its name says
 * it is (doc/design.md, "Office parts"). The roots are ECMA-376's: Part 2
 * for the package ([Content_Types].xml is <Types>, relationships parts
 * <Relationships>, no DTD: 8.1.4), Part 1's schemas for the rest. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "read/xml_part.h"

/* The verdict on TEXT as the part NAME, fed STEP bytes at a time (0:
 * whole); NULL when it passes. The message is copied to WHY. */
static const char *judge(const char *name, const char *text, size_t n, size_t step, char *why,
                         size_t size, long *line)
{
    sdc_xml_part *x = sdc_xml_part_new(name);
    cr_assert_not_null(x);
    if (!step)
        step = n ? n : 1;
    for (size_t i = 0; i < n; i += step)
        sdc_xml_part_feed(x, (const unsigned char *)text + i, n - i < step ? n - i : step);
    const char *r = sdc_xml_part_finish(x, line);
    if (r)
        snprintf(why, size, "%s", r);
    sdc_xml_part_free(x);
    return r ? why : NULL;
}

#define RELS                                                                                       \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                              \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"       \
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"      \
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>\n"

Test(xml_part, names_say_which_root_a_part_has)
{
    cr_assert_str_eq(sdc_xml_part_root("a.xlsx!_rels/.rels"), "Relationships");
    cr_assert_str_eq(sdc_xml_part_root("a.docx!word/_rels/document.xml.rels"), "Relationships");
    cr_assert_str_eq(sdc_xml_part_root("a.xlsx![Content_Types].xml"), "Types");
    cr_assert_str_eq(sdc_xml_part_root("a.xlsx!xl/styles.xml"), "styleSheet");
    cr_assert_str_eq(sdc_xml_part_root("a.docx!word/theme/theme1.xml"), "theme");
    cr_assert_str_eq(sdc_xml_part_root("a.docx!customXml/itemProps1.xml"), "datastoreItem");
    cr_assert_str_eq(sdc_xml_part_root("a.docx!customXml/item1.xml"), "");
    /* the document's text and the sheets are content, not parts */
    cr_assert_null(sdc_xml_part_root("a.docx!word/document.xml"));
    cr_assert_null(sdc_xml_part_root("a.xlsx!xl/worksheets/sheet1.xml"));
    cr_assert_null(sdc_xml_part_root("styles.xml"), "not inside a container");
}

Test(xml_part, a_real_part_passes_however_it_is_split)
{
    char why[256];
    long line;
    for (size_t step = 0; step <= 5; step += 5)
        cr_assert_null(
            judge("a.xlsx!_rels/.rels", RELS, strlen(RELS), step, why, sizeof why, &line),
            "step %zu: %s", step, why);
}

Test(xml_part, utf16_parts_are_read_too)
{
    /* "<Types/>" in UTF-16LE with its byte-order mark (XML 1.0, F.1). */
    static const char types[] = "\xff\xfe<\0T\0y\0p\0e\0s\0/\0>\0";
    char why[256];
    long line;
    cr_assert_null(
        judge("a.xlsx![Content_Types].xml", types, sizeof types - 1, 1, why, sizeof why, &line),
        "%s", why);
}

Test(xml_part, text_is_not_a_part)
{
    static const char text[] = "id,age,sex\n1,34,F\n";
    char why[256];
    long line;
    const char *r =
        judge("a.xlsx!xl/_rels/workbook.xml.rels", text, strlen(text), 0, why, sizeof why, &line);
    cr_assert_not_null(r);
    cr_assert(strstr(r, "not XML"), "%s", r);
}

Test(xml_part, another_root_is_another_thing)
{
    static const char xml[] =
        "<?xml version=\"1.0\"?>\n<records><r id=\"1\" age=\"34\"/></records>";
    char why[256];
    long line;
    const char *r = judge("a.xlsx!xl/styles.xml", xml, strlen(xml), 3, why, sizeof why, &line);
    cr_assert_not_null(r);
    cr_assert(strstr(r, "<records>") && strstr(r, "<styleSheet>"), "%s", r);
    cr_assert_eq(line, 2);
    /* a custom XML item may have any root */
    cr_assert_null(
        judge("a.docx!customXml/item1.xml", xml, strlen(xml), 0, why, sizeof why, &line));
}

Test(xml_part, a_dtd_or_a_cut_is_never_a_pass)
{
    static const char dtd[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE theme SYSTEM \"t.dtd\">\n"
                              "<a:theme xmlns:a=\"urn:x\"/>";
    char why[256];
    long line;
    const char *r =
        judge("a.xlsx!xl/theme/theme1.xml", dtd, strlen(dtd), 0, why, sizeof why, &line);
    cr_assert_not_null(r);
    cr_assert(strstr(r, "DTD"), "%s", r);
    /* the push parser reports the DTD once it has read past it */
    cr_assert(line == 2 || line == 3, "line %ld", line);
    r = judge("a.xlsx!_rels/.rels", RELS, strlen(RELS) - 20, 0, why, sizeof why, &line);
    cr_assert_not_null(r, "a part cut short");
    cr_assert(strstr(r, "not well-formed"), "%s", r);
    r = judge("a.xlsx!_rels/.rels", "", 0, 0, why, sizeof why, &line);
    cr_assert_not_null(r, "an empty part");
}
