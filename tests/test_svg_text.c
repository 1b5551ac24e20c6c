/* test_svg_text.c - the text of SVG markup without its geometry, as the identifier scan sees it
 * (doc/design.md, "Identifiers"). The geometry attributes are those SVG 1.1 types as path data,
 * points, transform lists, coordinates, lengths and numbers (appendix M). */
#include <criterion/criterion.h>

#include "rules/svg_text.h"

/* What the scan is given of S: its bytes, less those the filter leaves out. */
static void kept_of(const char *s, char *out, size_t size)
{
    sdc_svg_text st;
    sdc_svg_text_init(&st);
    size_t o = 0;
    for (const char *p = s; *p; p++)
        if (sdc_svg_text_keep(&st, (unsigned char)*p) && o + 1 < size)
            out[o++] = *p;
    out[o] = '\0';
}

static void assert_kept(const char *s, const char *want)
{
    char got[1024];
    kept_of(s, got, sizeof got);
    cr_assert_str_eq(got, want, "from %s", s);
}

Test(svg_text, path_data_points_and_transforms_are_not_text)
{
    /* matplotlib's DejaVu Sans "a": 513 384 1019 is a valid NHS number in 3-3-4 groups */
    assert_kept("<svg><path id=\"DejaVuSans-61\" d=\"M 2194 1759 Q 384 513 384 1019 z\"/></svg>",
                "<svg><path id=\"DejaVuSans-61\" d=\"\"/></svg>");
    assert_kept("<svg viewBox=\"0 0 943 476\"><polyline points=\"943 476 5919\"/>"
                "<g transform=\"translate(943 476) scale(0.12 -0.12)\"></g></svg>",
                "<svg viewBox=\"\"><polyline points=\"\"/><g transform=\"\"></g></svg>");
    assert_kept("<svg:svg><svg:rect x='943 476 5919' width = '10'/></svg:svg>",
                "<svg:svg><svg:rect x='' width = ''/></svg:svg>");
}

Test(svg_text, text_nodes_comments_cdata_and_text_attributes_are_text)
{
    const char *s = "<svg><!-- Call 020 7946 0000 --><text x=\"1\" aria-label=\"AB123456C\">"
                    "943 476 5919</text><style><![CDATA[ .a { } ]]></style></svg>";
    assert_kept(s, "<svg><!-- Call 020 7946 0000 --><text x=\"\" aria-label=\"AB123456C\">"
                   "943 476 5919</text><style><![CDATA[ .a { } ]]></style></svg>");
}

Test(svg_text, geometry_names_outside_svg_are_text)
{
    assert_kept("<record d=\"943 476 5919\" x=\"1\"/>", "<record d=\"943 476 5919\" x=\"1\"/>");
    assert_kept("<svg/><p d=\"943 476 5919\"></p>", "<svg/><p d=\"943 476 5919\"></p>");
    assert_kept("<svg></svg><p x=\"943 476 5919\"></p>", "<svg></svg><p x=\"943 476 5919\"></p>");
    assert_kept("a < b and d=\"943 476 5919\"", "a < b and d=\"943 476 5919\"");
}

Test(svg_text, newlines_in_left_out_values_are_kept_so_lines_keep_their_numbers)
{
    assert_kept("<svg><path d=\"M 0 216 \nL 288 216 \nz\n\" style=\"fill: #fff\"/></svg>",
                "<svg><path d=\"\n\n\n\" style=\"fill: #fff\"/></svg>");
}

Test(svg_text, svg_in_a_notebooks_json_strings_is_read_through_its_escaped_quotes)
{
    /* nbformat writes an image/svg+xml output as one JSON string per line */
    const char *s = "   \"<svg width=\\\"288pt\\\">\\n\",\n"
                    "   \"<path d=\\\"M 2194 1759 \\n\",\n"
                    "   \"Q 384 513 384 1019 \\n\",\n"
                    "   \"\\\" style=\\\"fill: #1f77b4\\\"/>\\n\",\n";
    assert_kept(s, "   \"<svg width=\\\"\">\\n\",\n"
                   "   \"<path d=\\\"\n\n"
                   "\" style=\\\"fill: #1f77b4\\\"/>\\n\",\n");
}

Test(svg_text, a_tag_inside_a_left_out_value_ends_it)
{
    /* no '<' in an XML attribute value: a quote was misread, and the text after it counts */
    assert_kept("<svg><path d=\"M 1 2<text>943 476 5919</text></svg>",
                "<svg><path d=\"<text>943 476 5919</text></svg>");
}

Test(svg_text, a_base64_data_uri_payload_is_not_text_but_its_header_is)
{
    assert_kept("<img src=\"data:image/png;base64,AB123456C/SW1A1AA\">",
                "<img src=\"data:image/png;base64,\">");
    assert_kept("<svg><image xlink:href=\"DATA:image/png;charset=x;BASE64,\nAB12\"/></svg>",
                "<svg><image xlink:href=\"DATA:image/png;charset=x;BASE64,\n\"/></svg>");
    /* not base64, or not a data: URI: text */
    assert_kept("<a href=\"data:text/plain,AB123456C\">", "<a href=\"data:text/plain,AB123456C\">");
    assert_kept("<a href=\"https://x/;base64,AB123456C\">",
                "<a href=\"https://x/;base64,AB123456C\">");
}
