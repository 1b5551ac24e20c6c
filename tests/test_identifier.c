/* test_identifier.c - direct identifiers in cells and text (doc/design.md, "Identifiers"). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "core/policy_internal.h"

/* A policy built by hand, so these tests need nothing from policy.c. */
static char *all_detectors[] = {"nhs_number", "ni_number", "postcode", "email", "phone"};

static sdc_policy policy_with(char **names, size_t count)
{
    sdc_policy p;
    memset(&p, 0, sizeof p);
    p.identifiers.items = names;
    p.identifiers.count = count;
    return p;
}

static sdc_id_scanner *scanner_all(void)
{
    sdc_policy p = policy_with(all_detectors, 5);
    sdc_status st = {0};
    sdc_id_scanner *sc = sdc_id_scanner_new(&p, &st);
    cr_assert_not_null(sc, "scanner: %s", st.message);
    cr_assert_eq(st.code, SDC_OK);
    return sc;
}

/* The kind found in S (whole string), or NULL. */
static const char *kind_in(const sdc_id_scanner *sc, const char *s)
{
    sdc_id_match m;
    return sdc_id_scan(sc, s, strlen(s), &m) ? m.kind : NULL;
}

static void assert_found(const sdc_id_scanner *sc, const char *s, const char *kind)
{
    sdc_id_match m;
    cr_assert(sdc_id_scan(sc, s, strlen(s), &m), "expected a %s in \"%s\"", kind, s);
    cr_assert_str_eq(m.kind, kind, "in \"%s\"", s);
}

static void assert_whole(const sdc_id_scanner *sc, const char *s, const char *kind)
{
    sdc_id_match m;
    cr_assert(sdc_id_scan(sc, s, strlen(s), &m), "expected a %s in \"%s\"", kind, s);
    cr_assert_str_eq(m.kind, kind, "in \"%s\"", s);
    cr_assert_eq(m.offset, 0, "offset in \"%s\"", s);
    cr_assert_eq(m.length, strlen(s), "length in \"%s\"", s);
}

static void assert_clean(const sdc_id_scanner *sc, const char *s)
{
    const char *k = kind_in(sc, s);
    cr_assert_null(k, "\"%s\" should have no identifier, found a %s", s, k ? k : "");
}

/* ---- NHS number ---------------------------------------------------- */

Test(identifier, nhs_documented_example_has_a_valid_check_digit)
{
    /* 943 476 5919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299;
     * 299 mod 11 = 2; 11 - 2 = 9, the last digit. */
    cr_assert(sdc_nhs_number_valid("9434765919", 10));
    cr_assert(sdc_nhs_number_valid("943 476 5919", 12));
    cr_assert(sdc_nhs_number_valid("943-476-5919", 12));
    cr_assert(sdc_nhs_number_valid("4010232137", 10));
}

Test(identifier, nhs_validity_rejects_wrong_check_digit_length_and_other_characters)
{
    cr_assert_not(sdc_nhs_number_valid("9434765918", 10));
    cr_assert_not(sdc_nhs_number_valid("943476591", 9));
    cr_assert_not(sdc_nhs_number_valid("94347659190", 11));
    cr_assert_not(sdc_nhs_number_valid("943.476.5919", 12));
    cr_assert_not(sdc_nhs_number_valid("", 0));
}

Test(identifier, nhs_number_whose_check_digit_would_be_ten_is_never_valid)
{
    /* 123456789: sum 210, 210 mod 11 = 1, 11 - 1 = 10: no digit fits. */
    char s[] = "123456789X";
    for (char d = '0'; d <= '9'; d++) {
        s[9] = d;
        cr_assert_not(sdc_nhs_number_valid(s, 10), "%s", s);
    }
}

Test(identifier, ten_identical_digits_are_placeholders_not_nhs_numbers)
{
    sdc_id_scanner *sc = scanner_all();
    cr_assert_not(sdc_nhs_number_valid("0000000000", 10));
    cr_assert_not(sdc_nhs_number_valid("9999999999", 10));
    assert_clean(sc, "9999999999");
    sdc_id_scanner_free(sc);
}

Test(identifier, nhs_number_with_valid_check_digit_is_found)
{
    sdc_id_scanner *sc = scanner_all();
    assert_whole(sc, "9434765919", "NHS number");
    assert_whole(sc, "4505577104", "NHS number");
    assert_whole(sc, "6401578017", "NHS number");
    sdc_id_scanner_free(sc);
}

Test(identifier, nhs_number_with_wrong_check_digit_is_not_found)
{
    sdc_id_scanner *sc = scanner_all();
    assert_clean(sc, "9434765918");
    assert_clean(sc, "4505577105");
    assert_clean(sc, "943 476 5910");
    sdc_id_scanner_free(sc);
}

Test(identifier, nhs_number_grouped_three_three_four_is_found)
{
    sdc_id_scanner *sc = scanner_all();
    assert_whole(sc, "943 476 5919", "NHS number");
    assert_whole(sc, "943-476-5919", "NHS number");
    assert_whole(sc, "485 777 3457", "NHS number");
    assert_clean(sc, "9434 76 5919");  /* not 3-3-4 */
    assert_clean(sc, "943  476 5919"); /* double space */
    sdc_id_scanner_free(sc);
}

Test(identifier, nhs_number_inside_a_longer_number_or_decimal_is_not_found)
{
    sdc_id_scanner *sc = scanner_all();
    assert_clean(sc, "94347659190");
    assert_clean(sc, "19434765919");
    assert_clean(sc, "9434765919.5");
    assert_clean(sc, "0.9434765919");
    assert_clean(sc, "X9434765919");
    assert_clean(sc, "9434765919b");
    assert_clean(sc, "943 476 59190");
    sdc_id_scanner_free(sc);
}

Test(identifier, nhs_number_in_the_middle_of_a_sentence_is_located)
{
    sdc_id_scanner *sc = scanner_all();
    const char *s = "The patient (NHS no. 943 476 5919) was seen twice.";
    sdc_id_match m;
    cr_assert(sdc_id_scan(sc, s, strlen(s), &m));
    cr_assert_str_eq(m.kind, "NHS number");
    cr_assert_eq(m.offset, (size_t)(strstr(s, "943") - s));
    cr_assert_eq(m.length, 12);
    sdc_id_scanner_free(sc);
}

/* ---- National Insurance number ------------------------------------- */

Test(identifier, ni_number_with_an_allocated_prefix_is_found)
{
    sdc_id_scanner *sc = scanner_all();
    assert_whole(sc, "AB123456C", "National Insurance number");
    assert_whole(sc, "AB 12 34 56 C", "National Insurance number");
    assert_whole(sc, "JG 103759 A", "National Insurance number");
    assert_whole(sc, "ce123456d", "National Insurance number");
    assert_found(sc, "NINO: ab 12 34 56 c, verified", "National Insurance number");
    sdc_id_scanner_free(sc);
}

Test(identifier, ni_number_with_an_unallocated_prefix_is_not_found)
{
    sdc_id_scanner *sc = scanner_all();
    /* Q first (HMRC's own dummy QQ), D/F/I/U/V first, O second, and the
     * listed never-allocated prefixes, including temporary TN. */
    const char *bad[] = {"QQ 12 34 56 C", "DA123456A", "FA123456A", "IA123456A", "UA123456A",
                         "VA123456A",     "AO123456A", "AD123456A", "BG123456A", "GB123456A",
                         "NK123456A",     "KN123456A", "TN123456A", "NT123456A", "ZZ123456A"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_clean(sc, bad[i]);
    sdc_id_scanner_free(sc);
}

Test(identifier, ni_number_needs_a_suffix_from_a_to_d_and_word_boundaries)
{
    sdc_id_scanner *sc = scanner_all();
    assert_clean(sc, "AB123456E");
    assert_clean(sc, "AB123456");
    assert_clean(sc, "AB1234567C");
    assert_clean(sc, "XAB123456C");
    assert_clean(sc, "AB123456CD");
    sdc_id_scanner_free(sc);
}

/* ---- postcode ------------------------------------------------------ */

Test(identifier, full_postcodes_in_every_outward_shape_are_found)
{
    sdc_id_scanner *sc = scanner_all();
    const char *ok[] = {"M1 1AE",  "B33 8TH",  "CR2 6XH", "DN55 1PT",
                        "W1A 0AX", "EC1A 1BB", "SW1A2AA", "SW1A 2AA"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_whole(sc, ok[i], "postcode");
    assert_found(sc, "10 Downing Street, London SW1A 2AA.", "postcode");
    sdc_id_scanner_free(sc);
}

Test(identifier, colours_entities_and_lower_case_look_alikes_are_not_postcodes)
{
    sdc_id_scanner *sc = scanner_all();
    assert_clean(sc, "w:fill=\"F5F8EE\"");     /* a Word colour: F5F 8EE */
    assert_clean(sc, "typeface=\"&#x30AF;\""); /* an XML entity: x3 0AF */
    assert_clean(sc, "sw1a 2aa");
    assert_found(sc, "Lives at SW1A 2AA", "postcode");
    assert_found(sc, "code EC1A1BB", "postcode"); /* unspaced, not all hex */
    sdc_id_scanner_free(sc);
}

Test(identifier, postcode_district_alone_is_not_an_identifier)
{
    sdc_id_scanner *sc = scanner_all();
    assert_clean(sc, "SW1A");
    assert_clean(sc, "Respondents in SW1A and M1 were counted together");
    assert_clean(sc, "B33");
    sdc_id_scanner_free(sc);
}

Test(identifier, postcode_with_a_forbidden_inward_letter_or_no_boundary_is_not_found)
{
    sdc_id_scanner *sc = scanner_all();
    assert_clean(sc, "M1 1CA");
    assert_clean(sc, "M1 1AI");
    assert_clean(sc, "SW1A 2AAB");
    assert_clean(sc, "XSW1A 2AA1");
    sdc_id_scanner_free(sc);
}

Test(identifier, girobank_postcode_gir_0aa_is_found)
{
    sdc_id_scanner *sc = scanner_all();
    assert_whole(sc, "GIR 0AA", "postcode");
    assert_whole(sc, "gir0aa", "postcode");
    assert_clean(sc, "GIR 0AB");
    sdc_id_scanner_free(sc);
}

/* ---- e-mail ---------------------------------------------------------- */

Test(identifier, email_addresses_are_found_with_their_extent)
{
    sdc_id_scanner *sc = scanner_all();
    assert_whole(sc, "jane.doe@example.org", "e-mail address");
    assert_whole(sc, "o'neill+sdc@mail.example.co.uk", "e-mail address");
    const char *s = "Contact <a.researcher@uni.ac.uk>.";
    sdc_id_match m;
    cr_assert(sdc_id_scan(sc, s, strlen(s), &m));
    cr_assert_str_eq(m.kind, "e-mail address");
    cr_assert_eq(m.offset, 9);
    cr_assert_eq(m.length, strlen("a.researcher@uni.ac.uk"));
    const char *q = "'jane@example.org'";
    cr_assert(sdc_id_scan(sc, q, strlen(q), &m));
    cr_assert_eq(m.offset, 1, "a leading quote is not part of the address");
    cr_assert_eq(m.length, strlen("jane@example.org"));
    sdc_id_scanner_free(sc);
}

Test(identifier, at_signs_that_are_not_addresses_are_not_found)
{
    sdc_id_scanner *sc = scanner_all();
    assert_clean(sc, "user@localhost");
    assert_clean(sc, "@example.com");
    assert_clean(sc, "a@b.c");
    assert_clean(sc, "root@10.0.0.1");
    assert_clean(sc, "x@.com");
    assert_clean(sc, "5 @ 10 per cent");
    sdc_id_scanner_free(sc);
}

/* ---- telephone ------------------------------------------------------- */

Test(identifier, uk_national_phone_numbers_are_found)
{
    sdc_id_scanner *sc = scanner_all();
    const char *ok[] = {"07700 900123",  "07700900123",     "020 7946 0000",  "0161 496 0000",
                        "01632 960123",  "(020) 7946 0000", "(01632) 960123", "0808 157 0123",
                        "07700-900-123", "0300 123 1234"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_whole(sc, ok[i], "telephone number");
    sdc_id_scanner_free(sc);
}

Test(identifier, international_uk_phone_numbers_are_found)
{
    sdc_id_scanner *sc = scanner_all();
    const char *ok[] = {"+44 20 7946 0000", "+447700900123", "+44 (0)20 7946 0000",
                        "0044 7700 900123", "+44-161-496-0000"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_whole(sc, ok[i], "telephone number");
    assert_clean(sc, "+44 1 23 45 67 89");  /* a one-digit group */
    assert_clean(sc, "+44 20 79 46 00 00"); /* five groups */
    assert_clean(sc, "+44 4 7946 0000");    /* no 04 range */
    assert_clean(sc, "(020) 79 46 00 00");  /* five groups */
    assert_clean(sc, "(020) 7946 000 0");   /* a one-digit group */
    sdc_id_scanner_free(sc);
}

Test(identifier, ordinary_table_numbers_are_not_phone_numbers)
{
    sdc_id_scanner *sc = scanner_all();
    const char *plain[] = {
        "1234",           "2021",           "12.5",          "0.05",
        "10,234",         "2021-03-04",     "10-14",         "03-04-2021 12:30",
        "0 12 345 678 9", "1234567890",     "01234.567890",  "012345678901",
        "04123 456789",   "0 20 7946 0000", "1,207,946,000", "2020 2021 2022 2023"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        assert_clean(sc, plain[i]);
    sdc_id_scanner_free(sc);
}

Test(identifier, phone_number_followed_by_another_number_is_still_found)
{
    sdc_id_scanner *sc = scanner_all();
    const char *s = "ring 07700 900123 2 times";
    sdc_id_match m;
    cr_assert(sdc_id_scan(sc, s, strlen(s), &m));
    cr_assert_str_eq(m.kind, "telephone number");
    cr_assert_eq(m.offset, 5);
    cr_assert_eq(m.length, strlen("07700 900123"));
    sdc_id_scanner_free(sc);
}

/* ---- ISBN: a book's number, not an identifier ------------------------ */

/* The check digits worked by hand from ISO 2108 (ISBN-10: weights 10..1, modulus 11, X for
 * 10; ISBN-13: 978/979, weights 1 and 3, modulus 10). 0-306-40615-2 and 978-0-306-40615-7 are
 * the worked examples of the ISBN article; 0-8044-2957-X ends in X. */
Test(identifier, a_valid_isbn_after_its_label_is_not_an_identifier)
{
    sdc_id_scanner *sc = scanner_all();
    const char *books[] = {
        "ISBN 0306406152",   /* unhyphenated: a valid NHS number by the same modulus */
        "ISBN: 03064 06152", /* two groups: a telephone number's shape */
        "ISBN-10: 0306406152",    "ISBN 10 0306406152",     "isbn 0306406152",
        "ISBN-13: 9780306406157", "ISBN 978-0-306-40615-7", "ISBN 0-306-40615-2",
        "ISBN 080442957X",        "ISBN 0-8044-2957-X",     "(ISBN 0306406152)",
        "ISBN 978-0-12-345678-9", "ISBN-13: 9780123456789" /* not valid, and no identifier */
    };
    for (size_t i = 0; i < sizeof books / sizeof books[0]; i++)
        assert_clean(sc, books[i]);
    sdc_id_scanner_free(sc);
}

Test(identifier, the_isbn_label_excuses_only_a_valid_isbn_right_after_it)
{
    sdc_id_scanner *sc = scanner_all();
    assert_found(sc, "0306406152", "NHS number");                 /* no label: fail closed */
    assert_found(sc, "ISBN: 03064 06153", "telephone number");    /* check digit wrong */
    assert_found(sc, "ISBN 0306406152 0306406152", "NHS number"); /* the second has none */
    assert_found(sc, "ISBNX 0306406152", "NHS number");           /* not the label */
    const char *s = "ISBN 0306406152, tel 020 7946 0000";
    sdc_id_match m;
    cr_assert(sdc_id_scan(sc, s, strlen(s), &m));
    cr_assert_str_eq(m.kind, "telephone number");
    cr_assert_eq(m.offset, strlen("ISBN 0306406152, tel "));
    sdc_id_scanner_free(sc);
}

/* ---- scanning -------------------------------------------------------- */

Test(identifier, plain_cells_and_prose_have_no_identifier)
{
    sdc_id_scanner *sc = scanner_all();
    const char *plain[] = {
        "",      "North East", "Total", "42",
        "12.5%", "c",          "<10",   "Table 3: counts by region, 2019 to 2021 (n = 10,234)"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        assert_clean(sc, plain[i]);
    sdc_id_scanner_free(sc);
}

Test(identifier, the_earliest_identifier_in_the_text_is_reported)
{
    sdc_id_scanner *sc = scanner_all();
    const char *s = "Call 020 7946 0000 or write to j.doe@example.org, AB 12 34 56 C.";
    sdc_id_match m;
    cr_assert(sdc_id_scan(sc, s, strlen(s), &m));
    cr_assert_str_eq(m.kind, "telephone number");
    cr_assert_eq(m.offset, 5);
    const char *t = "mail j.doe@example.org about 943 476 5919";
    cr_assert(sdc_id_scan(sc, t, strlen(t), &m));
    cr_assert_str_eq(m.kind, "e-mail address");
    cr_assert_eq(m.offset, 5);
    sdc_id_scanner_free(sc);
}

Test(identifier, text_is_scanned_only_up_to_its_length)
{
    sdc_id_scanner *sc = scanner_all();
    const char *s = "9434765919";
    cr_assert_not(sdc_id_scan(sc, s, 9, NULL));
    const char *t = "SW1A 2AAX";
    sdc_id_match m;
    cr_assert(sdc_id_scan(sc, t, 8, &m));
    cr_assert_eq(m.length, 8);
    sdc_id_scanner_free(sc);
}

Test(identifier, only_the_detectors_the_policy_names_are_run)
{
    char *names[] = {" Email ", "POSTCODE"};
    sdc_policy p = policy_with(names, 2);
    sdc_id_scanner *sc = sdc_id_scanner_new(&p, NULL);
    cr_assert_not_null(sc);
    assert_clean(sc, "9434765919");
    assert_clean(sc, "07700 900123");
    assert_clean(sc, "AB123456C");
    assert_found(sc, "M1 1AE", "postcode");
    assert_found(sc, "a@example.com", "e-mail address");
    sdc_id_scanner_free(sc);
}

Test(identifier, a_null_policy_runs_every_built_in_detector)
{
    sdc_id_scanner *sc = sdc_id_scanner_new(NULL, NULL);
    cr_assert_not_null(sc);
    assert_found(sc, "9434765919", "NHS number");
    assert_found(sc, "AB123456C", "National Insurance number");
    sdc_id_scanner_free(sc);
}

Test(identifier, an_unknown_detector_name_is_an_error_naming_it)
{
    char *names[] = {"nhs_number", "passport"};
    sdc_policy p = policy_with(names, 2);
    sdc_status st = {0};
    cr_assert_null(sdc_id_scanner_new(&p, &st));
    cr_assert_neq(st.code, SDC_OK);
    cr_assert_not_null(strstr(st.message, "passport"), "%s", st.message);
}

/* ---- policy patterns ------------------------------------------------- */

Test(identifier, policy_pattern_is_found_and_reported_by_its_name)
{
    sdc_policy p = policy_with(NULL, 0);
    p.patterns[0] = (sdc_id_pattern){"staff number", "ST-[0-9]{6}"};
    p.pattern_count = 1;
    sdc_id_scanner *sc = sdc_id_scanner_new(&p, NULL);
    cr_assert_not_null(sc);
    const char *s = "reviewed by ST-004512 on Monday";
    sdc_id_match m;
    cr_assert(sdc_id_scan(sc, s, strlen(s), &m));
    cr_assert_str_eq(m.kind, "staff number");
    cr_assert_eq(m.offset, 12);
    cr_assert_eq(m.length, 9);
    assert_clean(sc, "ST-45");
    sdc_id_scanner_free(sc);
}

Test(identifier, policy_pattern_sees_text_that_is_not_nul_terminated_or_holds_nuls)
{
    sdc_policy p = policy_with(NULL, 0);
    p.patterns[0] = (sdc_id_pattern){"study id", "^S[0-9]{4}$"};
    p.pattern_count = 1;
    sdc_id_scanner *sc = sdc_id_scanner_new(&p, NULL);
    cr_assert_not_null(sc);
    /* length stops before the trailing digit: the cell is "S1234" */
    cr_assert(sdc_id_scan(sc, "S12345", 5, NULL));
    cr_assert_not(sdc_id_scan(sc, "S12345", 6, NULL));
    /* a NUL does not hide what follows it; ^ and $ anchor at lines */
    const char text[] = "junk\0x\nS0042\nmore";
    sdc_id_match m;
    cr_assert(sdc_id_scan(sc, text, sizeof text - 1, &m));
    cr_assert_eq(m.offset, 7);
    cr_assert_eq(m.length, 5);
    /* a long text goes through the heap copy */
    size_t n = 5000;
    char *big = malloc(n);
    cr_assert_not_null(big);
    memset(big, 'x', n);
    memcpy(big + n - 6, "\nS9999", 6);
    cr_assert(sdc_id_scan(sc, big, n, &m));
    cr_assert_eq(m.offset, n - 5);
    free(big);
    sdc_id_scanner_free(sc);
}

Test(identifier, a_built_in_match_before_a_pattern_match_wins)
{
    sdc_policy p = policy_with(all_detectors, 5);
    p.patterns[0] = (sdc_id_pattern){"ward", "WARD[0-9]+"};
    p.pattern_count = 1;
    sdc_id_scanner *sc = sdc_id_scanner_new(&p, NULL);
    cr_assert_not_null(sc);
    assert_found(sc, "M1 1AE then WARD7", "postcode");
    assert_found(sc, "WARD7 then M1 1AE", "ward");
    assert_found(sc, "see M1 1AE then WARD7", "postcode");
    sdc_id_scanner_free(sc);
}

Test(identifier, a_pattern_that_does_not_compile_is_an_error_naming_it)
{
    sdc_policy p = policy_with(all_detectors, 5);
    p.patterns[0] = (sdc_id_pattern){"good", "G[0-9]+"};
    p.patterns[1] = (sdc_id_pattern){"hospital number", "H([0-9]+"};
    p.pattern_count = 2;
    sdc_status st = {0};
    cr_assert_null(sdc_id_scanner_new(&p, &st));
    cr_assert_neq(st.code, SDC_OK);
    cr_assert_not_null(strstr(st.message, "hospital number"), "%s", st.message);
}

Test(identifier, a_pattern_that_matches_empty_text_is_an_error)
{
    sdc_policy p = policy_with(NULL, 0);
    p.patterns[0] = (sdc_id_pattern){"optional", "[0-9]*"};
    p.pattern_count = 1;
    sdc_status st = {0};
    cr_assert_null(sdc_id_scanner_new(&p, &st));
    cr_assert_neq(st.code, SDC_OK);
    cr_assert_not_null(strstr(st.message, "optional"), "%s", st.message);
}

/* ---- threads ---------------------------------------------------------- */

struct scan_job {
    const sdc_id_scanner *sc;
    int found;
};

static void *scan_many(void *arg)
{
    struct scan_job *job = arg;
    const char *texts[] = {"943 476 5919", "x ST-123456 y", "plain 1234", "M1 1AE"};
    for (int r = 0; r < 500; r++)
        for (size_t i = 0; i < 4; i++)
            job->found += sdc_id_scan(job->sc, texts[i], strlen(texts[i]), NULL);
    return NULL;
}

Test(identifier, one_scanner_serves_several_threads)
{
    sdc_policy p = policy_with(all_detectors, 5);
    p.patterns[0] = (sdc_id_pattern){"staff number", "ST-[0-9]{6}"};
    p.pattern_count = 1;
    sdc_id_scanner *sc = sdc_id_scanner_new(&p, NULL);
    cr_assert_not_null(sc);
    pthread_t th[4];
    struct scan_job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct scan_job){sc, 0};
        cr_assert_eq(pthread_create(&th[i], NULL, scan_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        cr_assert_eq(jobs[i].found, 3 * 500);
    }
    sdc_id_scanner_free(sc);
}

/* ---- masking ---------------------------------------------------------- */

Test(identifier, mask_keeps_the_first_two_and_last_two_characters)
{
    char out[64];
    sdc_id_mask("9434765919", 10, out, sizeof out);
    cr_assert_str_eq(out, "94******19");
    sdc_id_mask("jane@example.org", 16, out, sizeof out);
    cr_assert_str_eq(out, "ja************rg");
}

Test(identifier, mask_stars_short_text_entirely_and_respects_the_buffer)
{
    char out[8];
    sdc_id_mask("AB12", 4, out, sizeof out);
    cr_assert_str_eq(out, "****");
    sdc_id_mask("9434765919", 10, out, sizeof out);
    cr_assert_str_eq(out, "94*****");
    out[0] = 'z';
    sdc_id_mask("9434765919", 10, out, 1);
    cr_assert_str_eq(out, "");
}

Test(identifier, mask_counts_utf8_characters_not_bytes)
{
    char out[64];
    const char *s = "\xc3\xa9lo\xc3\xafse"; /* éloïse */
    sdc_id_mask(s, strlen(s), out, sizeof out);
    cr_assert_str_eq(out, "\xc3\xa9l**se");
}

Test(identifier, empty_matches_are_skipped_without_making_later_text_a_line_start)
{
    /* \<x* matches empty at every word start; scanning steps past those,
     * and ^ must still mean the start of a line, not of the rest. */
    sdc_policy p = policy_with(NULL, 0);
    p.patterns[0] = (sdc_id_pattern){"code", "\\<x*|^Q[0-9]"};
    p.pattern_count = 1;
    sdc_id_scanner *sc = sdc_id_scanner_new(&p, NULL);
    cr_assert_not_null(sc);
    assert_clean(sc, "ab Q1");
    assert_clean(sc, "aQ1");
    sdc_id_match m;
    cr_assert(sdc_id_scan(sc, "ab\nQ1", 5, &m));
    cr_assert_eq(m.offset, 3);
    cr_assert(sdc_id_scan(sc, "ab xx", 5, &m));
    cr_assert_eq(m.offset, 3);
    cr_assert_eq(m.length, 2);
    sdc_id_scanner_free(sc);
}

/* identifier_allow clears a site's own mailbox, domain (and subdomains)
 * and helpline; anything else is still found, after a cleared one too. */
Test(identifier, the_policy_allow_list_clears_service_addresses)
{
    sdc_policy *p = sdc_policy_default();
    sdc_pol_strlist_push(&p->identifier_allow, "ons.gov.uk");
    sdc_pol_strlist_push(&p->identifier_allow, "research.support@uni.ac.uk");
    sdc_pol_strlist_push(&p->identifier_allow, "01633 455000");
    sdc_id_scanner *s = sdc_id_scanner_new(p, NULL);
    cr_assert_not_null(s);
    sdc_id_match m;
    const char *cleared[] = {"mail outputs@ons.gov.uk", "x@srs.ons.gov.uk",
                             "Research.Support@uni.ac.uk", "call 01633-455000"};
    for (size_t i = 0; i < 4; i++)
        cr_expect(!sdc_id_scan(s, cleared[i], strlen(cleared[i]), &m), "%s", cleared[i]);
    const char *found[] = {"jane@uni.ac.uk", "x@notons.gov.uk", "01633 455001"};
    for (size_t i = 0; i < 3; i++)
        cr_expect(sdc_id_scan(s, found[i], strlen(found[i]), &m), "%s", found[i]);
    const char *after = "outputs@ons.gov.uk or jane@example.com";
    cr_assert(sdc_id_scan(s, after, strlen(after), &m));
    cr_assert_eq(m.offset, 22);
    sdc_id_scanner_free(s);
    sdc_policy_free(p);
}

/* A quote gives the text around a match with every identifier in it
 * masked, never one in clear. */
Test(identifier, a_quote_masks_every_identifier_in_it)
{
    sdc_id_scanner *s = sdc_id_scanner_new(NULL, NULL);
    const char *text = "write to jane.doe@example.org or call 01632 960123 today";
    sdc_id_match m;
    cr_assert(sdc_id_scan(s, text, strlen(text), &m));
    char q[256];
    sdc_id_quote(s, text, strlen(text), &m, q, sizeof q);
    cr_assert_null(strstr(q, "jane.doe"), "%s", q);
    cr_assert_null(strstr(q, "960123"), "%s", q);
    cr_assert(strstr(q, "write to ja"), "%s", q);
    cr_assert(strstr(q, " today"), "%s", q);
    sdc_id_scanner_free(s);
}
