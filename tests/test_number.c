/* test_number.c - numbers as researchers write them (doc/design.md, "Reading tables"). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "helpers.h"

#define POINT false
#define COMMA true

/* Parses S, asserting it is a number; returns its value. */
static double parsed(const char *s, bool decimal_comma, bool *is_percent)
{
    double v = NAN;
    bool pct = true;
    cr_assert(sdc_number_parse(s, strlen(s), decimal_comma, &v, &pct),
              "\"%s\" (%s mode) should be a number", s, decimal_comma ? "comma" : "point");
    if (is_percent)
        *is_percent = pct;
    return v;
}

static void assert_number(const char *s, bool decimal_comma, double expected)
{
    bool pct = true;
    double v = parsed(s, decimal_comma, &pct);
    cr_assert_float_eq(v, expected, 1e-9, "\"%s\" read as %.10g, expected %.10g", s, v, expected);
    cr_assert_not(pct, "\"%s\" has no %% sign but was read as a percentage", s);
}

/* S is not a number; *VALUE is left untouched. */
static void assert_not_number(const char *s, bool decimal_comma)
{
    double v = -12345.0;
    bool pct = false;
    cr_assert_not(sdc_number_parse(s, strlen(s), decimal_comma, &v, &pct),
                  "\"%s\" (%s mode) was read as the number %.10g", s,
                  decimal_comma ? "comma" : "point", v);
    cr_assert_eq(v, -12345.0, "a rejected \"%s\" still wrote a value", s);
}

/* ---- accepted ----------------------------------------------------------- */

Test(number, plain_integer_is_read)
{
    assert_number("42", POINT, 42);
    assert_number("0", POINT, 0);
}

Test(number, comma_thousands_are_read_as_one_number)
{
    assert_number("1,234", POINT, 1234);
}

Test(number, several_comma_groups_are_read)
{
    assert_number("1,234,567", POINT, 1234567);
    assert_number("12,345,678.25", POINT, 12345678.25);
}

Test(number, percentage_sets_is_percent)
{
    bool pct = false;
    cr_assert_float_eq(parsed("12.5%", POINT, &pct), 12.5, 1e-12);
    cr_assert(pct);
}

Test(number, percentage_with_space_before_the_sign_is_read)
{
    bool pct = false;
    cr_assert_float_eq(parsed("7 %", POINT, &pct), 7, 1e-12);
    cr_assert(pct);
}

Test(number, is_percent_may_be_null)
{
    double v = 0;
    cr_assert(sdc_number_parse("50%", 3, POINT, &v, NULL));
    cr_assert_float_eq(v, 50, 1e-12);
}

Test(number, negative_number_is_read)
{
    assert_number("-3", POINT, -3);
    assert_number("-1,234", POINT, -1234);
}

Test(number, leading_plus_is_read)
{
    assert_number("+3", POINT, 3);
}

Test(number, exponent_is_read)
{
    assert_number("1e3", POINT, 1000);
    assert_number("2.5E-2", POINT, 0.025);
    assert_number("1e+2", POINT, 100);
}

Test(number, surrounding_spaces_are_ignored)
{
    assert_number(" 42 ", POINT, 42);
    assert_number("\t7\n", POINT, 7);
}

Test(number, space_thousands_are_read)
{
    assert_number("1 234", POINT, 1234);
    assert_number("1 234 567", COMMA, 1234567);
}

Test(number, decimal_point_is_read)
{
    assert_number("12.5", POINT, 12.5);
    assert_number(".5", POINT, 0.5);
}

Test(number, decimal_comma_mode_reads_comma_as_decimal_mark)
{
    assert_number("12,5", COMMA, 12.5);
    assert_number("-0,25", COMMA, -0.25);
}

Test(number, decimal_comma_mode_reads_point_as_thousands)
{
    assert_number("1.234,5", COMMA, 1234.5);
    assert_number("1.234.567", COMMA, 1234567);
}

Test(number, decimal_comma_mode_reads_comma_percentages)
{
    bool pct = false;
    cr_assert_float_eq(parsed("12,5%", COMMA, &pct), 12.5, 1e-12);
    cr_assert(pct);
}

Test(number, sixty_three_digits_are_still_a_number)
{
    char s[64];
    memset(s, '1', 63);
    s[63] = '\0';
    double v = parsed(s, POINT, NULL);
    cr_assert(v > 1e62 && v < 1.2e62, "63 ones read as %g", v);
}

/* ---- rejected ----------------------------------------------------------- */

Test(number, comma_with_one_digit_after_is_not_fifteen_in_point_mode)
{
    assert_not_number("1,5", POINT);
}

Test(number, comma_group_of_two_is_rejected)
{
    assert_not_number("1,23", POINT);
}

Test(number, comma_group_of_four_is_rejected)
{
    assert_not_number("1,2345", POINT);
}

Test(number, first_group_longer_than_three_is_rejected)
{
    assert_not_number("1234,567", POINT);
}

Test(number, short_later_group_is_rejected)
{
    assert_not_number("1,234,56", POINT);
}

Test(number, grouped_number_with_exponent_is_rejected)
{
    assert_not_number("1,234e3", POINT);
}

Test(number, range_is_a_label)
{
    assert_not_number("10-14", POINT);
}

Test(number, parenthesised_number_is_a_label)
{
    assert_not_number("(5)", POINT);
}

Test(number, two_decimal_points_are_rejected)
{
    assert_not_number("1.2.3", POINT);
}

Test(number, words_are_rejected)
{
    assert_not_number("abc", POINT);
    assert_not_number("nan", POINT);
    assert_not_number("inf", POINT);
    assert_not_number("0x10", POINT);
}

Test(number, empty_and_blank_are_rejected)
{
    assert_not_number("", POINT);
    assert_not_number("   ", POINT);
}

Test(number, lone_percent_sign_is_rejected)
{
    assert_not_number("%", POINT);
    assert_not_number("-%", POINT);
}

Test(number, exponent_without_mantissa_is_rejected)
{
    assert_not_number("e5", POINT);
}

Test(number, exponent_without_digits_is_rejected)
{
    assert_not_number("1e", POINT);
    assert_not_number("1e+", POINT);
}

Test(number, double_sign_is_rejected)
{
    assert_not_number("--3", POINT);
    assert_not_number("+-3", POINT);
}

Test(number, lone_sign_is_rejected)
{
    assert_not_number("-", POINT);
    assert_not_number("+", POINT);
}

Test(number, double_space_between_groups_is_rejected)
{
    assert_not_number("1  234", POINT);
}

Test(number, overflowing_exponent_is_rejected)
{
    assert_not_number("1e999", POINT);
}

Test(number, sixty_four_digits_are_rejected)
{
    char s[65];
    memset(s, '1', 64);
    s[64] = '\0';
    assert_not_number(s, POINT);
}

Test(number, very_long_digit_string_is_rejected)
{
    char s[1001];
    memset(s, '9', 1000);
    s[1000] = '\0';
    assert_not_number(s, POINT);
}

Test(number, decimal_comma_mode_rejects_point_group_of_two)
{
    assert_not_number("1.23", COMMA);
}

Test(number, length_argument_bounds_the_text)
{
    /* Only the first two bytes are the cell: "12" of "12abc". */
    double v = 0;
    cr_assert(sdc_number_parse("12abc", 2, POINT, &v, NULL));
    cr_assert_float_eq(v, 12, 1e-12);
}

/* Plain decimals are read without strtod when exact arithmetic gives the
 * same double (number.c, exact_decimal); the C library's strtod is the
 * truth for every one of these, to the bit. */
Test(number, plain_decimals_read_to_the_same_bits_as_strtod)
{
    static const char *const cases[] = {"0.1",
                                        "0.3",
                                        "1234567890.12345",
                                        "999999999999999",
                                        "9007199254740993",
                                        "-0",
                                        "-0.0",
                                        "123456789012345.6",
                                        "0.0000000000000000000001",
                                        "1.00000000000000000000001",
                                        "16141.0",
                                        "2.675",
                                        "5e-324",
                                        "1.7976931348623157e308",
                                        "0.000001",
                                        "100000000000000000000000"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double v, want = strtod(cases[i], NULL);
        cr_assert(sdc_number_parse(cases[i], strlen(cases[i]), false, &v, NULL), "%s", cases[i]);
        cr_assert_eq(memcmp(&v, &want, sizeof v), 0, "%s: %.17g, strtod %.17g", cases[i], v, want);
    }
}
