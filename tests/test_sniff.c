/* test_sniff.c - encoding and delimiter from a file's head (doc/design.md, "Reading tables"). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "read/sniff.h"

static sdc_text_encoding enc_of(const char *bytes, size_t len)
{
    return sdc_encoding_sniff((const unsigned char *)bytes, len, true);
}

static sdc_text_encoding enc_of_str(const char *s)
{
    return enc_of(s, strlen(s));
}

static sdc_delim_guess delim_of(const char *s)
{
    return sdc_delimiter_sniff(s, strlen(s));
}

/* ASCII TEXT as UTF-16 (LE or BE) into OUT; returns bytes written. */
static size_t ascii_to_utf16(const char *text, bool le, unsigned char *out)
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        out[n++] = le ? (unsigned char)*p : 0;
        out[n++] = le ? 0 : (unsigned char)*p;
    }
    return n;
}

static const char table_text[] = "region,sex,count\nNorth,F,12\nNorth,M,15\nSouth,F,9\n";

/* ---- encodings ---------------------------------------------------------- */

Test(sniff, ascii_is_utf8)
{
    cr_assert_eq(enc_of_str(table_text), SDC_ENC_UTF8);
}

Test(sniff, valid_multibyte_utf8_is_utf8)
{
    cr_assert_eq(enc_of_str("name,n\nCaf\xc3\xa9,10\n\xe2\x82\xac,5\n\xf0\x9f\x98\x80,7\n"),
                 SDC_ENC_UTF8);
}

Test(sniff, utf8_bom_is_believed)
{
    cr_assert_eq(enc_of_str("\xef\xbb\xbfregion,count\nNorth,12\n"), SDC_ENC_UTF8_BOM);
}

Test(sniff, utf16le_bom_is_believed)
{
    unsigned char buf[256] = {0xFF, 0xFE};
    size_t n = 2 + ascii_to_utf16(table_text, true, buf + 2);
    cr_assert_eq(sdc_encoding_sniff(buf, n, true), SDC_ENC_UTF16LE);
}

Test(sniff, utf16be_bom_is_believed)
{
    unsigned char buf[256] = {0xFE, 0xFF};
    size_t n = 2 + ascii_to_utf16(table_text, false, buf + 2);
    cr_assert_eq(sdc_encoding_sniff(buf, n, true), SDC_ENC_UTF16BE);
}

Test(sniff, utf16le_without_bom_is_recognised_by_its_nuls)
{
    unsigned char buf[256];
    size_t n = ascii_to_utf16(table_text, true, buf);
    cr_assert_eq(sdc_encoding_sniff(buf, n, true), SDC_ENC_UTF16LE);
}

Test(sniff, utf16be_without_bom_is_recognised_by_its_nuls)
{
    unsigned char buf[256];
    size_t n = ascii_to_utf16(table_text, false, buf);
    cr_assert_eq(sdc_encoding_sniff(buf, n, true), SDC_ENC_UTF16BE);
}

Test(sniff, latin_bytes_without_multibyte_are_windows_1252)
{
    /* 0xA3 is the pound sign, 0xE9 e-acute: never valid UTF-8 here. */
    cr_assert_eq(enc_of_str("item,cost\nTea \xa3"
                            "3,10\nCaf\xe9,12\n"),
                 SDC_ENC_CP1252);
}

Test(sniff, latin_byte_at_end_of_a_whole_file_is_windows_1252)
{
    /* A lead byte cut short by the end of the whole file is invalid. */
    cr_assert_eq(enc_of_str("name\nCaf\xe9"), SDC_ENC_CP1252);
}

Test(sniff, latin_byte_cut_short_by_the_head_is_not_judged)
{
    /* Not at EOF: the sequence may continue in the next bytes. */
    const char s[] = "name\nCaf\xe9";
    cr_assert_eq(sdc_encoding_sniff((const unsigned char *)s, strlen(s), false), SDC_ENC_UTF8);
}

Test(sniff, valid_multibyte_plus_invalid_byte_is_damaged_utf8)
{
    cr_assert_eq(enc_of_str("name,n\nCaf\xc3\xa9,10\nTea \xa3"
                            "3,5\n"),
                 SDC_ENC_UTF8_INVALID);
}

Test(sniff, overlong_and_surrogate_sequences_are_not_valid_utf8)
{
    /* C0 80 (overlong NUL) and ED A0 80 (a surrogate) are invalid, so with
     * one valid sequence beside them the text is damaged UTF-8. */
    cr_assert_eq(enc_of_str("a,b\n\xc3\xa9,\xc0\x80\n"), SDC_ENC_UTF8_INVALID);
    cr_assert_eq(enc_of_str("a,b\n\xc3\xa9,\xed\xa0\x80\n"), SDC_ENC_UTF8_INVALID);
}

Test(sniff, random_bytes_are_binary)
{
    unsigned char buf[4096];
    unsigned state = 12345;
    for (size_t i = 0; i < sizeof buf; i++) {
        state = state * 1103515245u + 12345u;
        buf[i] = (unsigned char)(state >> 16);
    }
    cr_assert_eq(sdc_encoding_sniff(buf, sizeof buf, true), SDC_ENC_BINARY);
}

Test(sniff, control_bytes_are_binary)
{
    char buf[200];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (char)(i % 3 == 0 ? 0x01 : 'a');
    cr_assert_eq(enc_of(buf, sizeof buf), SDC_ENC_BINARY);
}

Test(sniff, text_with_one_nul_is_not_binary)
{
    char buf[] = "region,sex,count\nNorth,F,12\nNorth,M,1X\nSouth,F,9\n";
    char *x = strchr(buf, 'X');
    *x = '\0';
    sdc_text_encoding e = enc_of(buf, sizeof buf - 1);
    cr_assert_neq(e, SDC_ENC_BINARY);
    cr_assert_eq(e, SDC_ENC_UTF8);
}

Test(sniff, encoding_names_are_the_report_words)
{
    cr_assert_str_eq(sdc_encoding_name(SDC_ENC_UTF8), "utf-8");
    cr_assert_str_eq(sdc_encoding_name(SDC_ENC_UTF8_BOM), "utf-8-bom");
    cr_assert_str_eq(sdc_encoding_name(SDC_ENC_UTF16LE), "utf-16le");
    cr_assert_str_eq(sdc_encoding_name(SDC_ENC_UTF16BE), "utf-16be");
    cr_assert_str_eq(sdc_encoding_name(SDC_ENC_CP1252), "windows-1252");
    cr_assert_str_eq(sdc_encoding_name(SDC_ENC_BINARY), "binary");
}

/* ---- delimiters --------------------------------------------------------- */

Test(sniff, comma_is_detected)
{
    sdc_delim_guess g = delim_of(table_text);
    cr_assert_eq(g.delimiter, ',');
    cr_assert_eq(g.fields, 3);
    cr_assert_eq(g.lines, 4);
    cr_assert_eq(g.agreeing, 4);
    cr_assert_not(g.decimal_comma);
    cr_assert(sdc_delim_guess_is_table(&g));
}

Test(sniff, semicolon_is_detected)
{
    sdc_delim_guess g = delim_of("region;sex;count\nNorth;F;12\nNorth;M;15\n");
    cr_assert_eq(g.delimiter, ';');
    cr_assert_eq(g.fields, 3);
    cr_assert_not(g.decimal_comma, "no decimal comma in this file");
}

Test(sniff, tab_is_detected)
{
    sdc_delim_guess g = delim_of("region\tsex\tcount\nNorth\tF\t12\nNorth\tM\t15\n");
    cr_assert_eq(g.delimiter, '\t');
    cr_assert_eq(g.fields, 3);
}

Test(sniff, pipe_is_detected)
{
    sdc_delim_guess g = delim_of("region|sex|count\nNorth|F|12\nNorth|M|15\n");
    cr_assert_eq(g.delimiter, '|');
    cr_assert_eq(g.fields, 3);
}

Test(sniff, semicolon_file_with_decimal_commas_sets_decimal_comma)
{
    sdc_delim_guess g = delim_of("region;rate;n\nNorth;12,5;40\nSouth;3,25;20\n");
    cr_assert_eq(g.delimiter, ';');
    cr_assert_eq(g.fields, 3);
    cr_assert(g.decimal_comma);
}

Test(sniff, quoted_decimal_comma_in_a_semicolon_file_counts)
{
    sdc_delim_guess g = delim_of("region;rate\n\"North\";\"12,5\"\n\"South\";\"3,1\"\n");
    cr_assert_eq(g.delimiter, ';');
    cr_assert(g.decimal_comma);
}

Test(sniff, quoted_delimiters_do_not_count)
{
    /* Three commas inside quotes on every row; two semicolons outside. */
    sdc_delim_guess g =
        delim_of("name;note;n\n\"Smith, J\";\"a, b, c\";1\n\"Jones, K\";\"d, e, f\";2\n"
                 "\"Brown, L\";\"g, h, i\";3\n");
    cr_assert_eq(g.delimiter, ';');
    cr_assert_eq(g.fields, 3);
}

Test(sniff, quoted_newline_does_not_end_a_line)
{
    sdc_delim_guess g = delim_of("a,b\n\"x\ny\",1\n2,3\n");
    cr_assert_eq(g.delimiter, ',');
    cr_assert_eq(g.lines, 3);
    cr_assert_eq(g.agreeing, 3);
}

Test(sniff, single_column_has_one_field_and_is_not_a_table)
{
    sdc_delim_guess g = delim_of("count\n12\n15\n9\n");
    cr_assert_eq(g.delimiter, ',');
    cr_assert_eq(g.fields, 1);
    cr_assert_not(sdc_delim_guess_is_table(&g));
}

Test(sniff, last_line_without_newline_is_counted)
{
    sdc_delim_guess g = delim_of("a|b\n1|2\n3|4");
    cr_assert_eq(g.delimiter, '|');
    cr_assert_eq(g.lines, 3);
    cr_assert_eq(g.agreeing, 3);
}

Test(sniff, most_agreeing_delimiter_wins_over_a_stray_one)
{
    /* One comma in one label; every line has two semicolons. */
    sdc_delim_guess g = delim_of("a;b;c\nx, y;1;2\nz;3;4\nw;5;6\n");
    cr_assert_eq(g.delimiter, ';');
    cr_assert_eq(g.agreeing, 4);
}

Test(sniff, only_fifty_lines_are_looked_at)
{
    size_t cap = 200 * 8;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    size_t n = 0;
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(s + n, cap - n, "%d,%d\n", i, i);
    sdc_delim_guess g = sdc_delimiter_sniff(s, n);
    cr_assert_eq(g.lines, 50);
    cr_assert_eq(g.delimiter, ',');
    free(s);
}

Test(sniff, ragged_lines_below_eighty_percent_are_not_a_table)
{
    sdc_delim_guess g = delim_of("a,b\nc\nd\ne,f\ng\n");
    cr_assert_eq(g.fields, 2);
    cr_assert_eq(g.agreeing, 2);
    cr_assert_eq(g.lines, 5);
    cr_assert_not(sdc_delim_guess_is_table(&g));
}
