/* test_aggregate.c - `protect` building its table from records on several
 * threads: the table must not depend on how the file is split. */
#include <criterion/criterion.h>
#include <math.h>
#include <unistd.h>

#include "read/aggregate_internal.h"
#include "read/aggregate_sum.h"
#include "helpers.h"

static sdc_policy *policy;
static char dir[64];
static void setup(void)
{
    policy = sdc_policy_default();
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "aggregate"));
}
static void teardown(void)
{
    sdc_policy_free(policy);
    temp_dir_remove(dir);
}
TestSuite(aggregate, .init = setup, .fini = teardown);

/* Writes LEN bytes of DATA to a file in the test folder; the path (malloc'd). */
static char *put_bytes(const char *name, const char *data, size_t len)
{
    char *path = NULL;
    cr_assert_geq(asprintf(&path, "%s/%s", dir, name), 0);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    return path;
}

/* The table built from PATH with WORKERS threads (split however small the
 * file), as CSV text; or "error: ..." (malloc'd). */
static char *aggregate_text(const char *path, const sdc_aggregate_spec *spec, unsigned workers)
{
    sdc_aggregate_tuning tuning = {.workers = workers, .min_chunk = 1};
    char *text = NULL;
    sdc_status st = {0};
    sdc_table *t = sdc_aggregate_file_tuned(path, policy, spec, &tuning, &st);
    if (!t) {
        cr_assert_neq(st.code, SDC_OK, "a failure says why");
        cr_assert_geq(asprintf(&text, "error: %s", st.message), 0);
        return text;
    }
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_eq(sdc_table_write_csv(t, ',', m), 0);
    fclose(m);
    sdc_table_free(t);
    return text;
}

/* Every split of PATH from 2 to 8 pieces gives the one-thread table. */
static void assert_split_invariant(const char *path, const sdc_aggregate_spec *spec)
{
    char *one = aggregate_text(path, spec, 1);
    for (unsigned w = 2; w <= 8; w++) {
        char *many = aggregate_text(path, spec, w);
        cr_assert_str_eq(many, one, "%u pieces differ from one:\n%s\nvs\n%s", w, many, one);
        free(many);
    }
    free(one);
}

/* TEXT, as file NAME, is the error WANT with one thread and the same with
 * any split. */
static void assert_error_for_any_split(const char *name, const char *text,
                                       const sdc_aggregate_spec *spec, const char *want)
{
    char *path = put_bytes(name, text, strlen(text));
    char *got = aggregate_text(path, spec, 1);
    cr_assert_str_eq(got, want);
    free(got);
    assert_split_invariant(path, spec);
    free(path);
}

/* A value such as "1234.5", "-7.5", "12,345", "1e3", "n/a" from SEED. */
static const char *value_text(unsigned seed, char *buf, size_t size)
{
    switch (seed % 7) {
    case 0: snprintf(buf, size, "%u.%02u", seed % 90000, seed % 100); break;
    case 1: snprintf(buf, size, "-%u.5", seed % 300); break;
    case 2: snprintf(buf, size, "\"%u,%03u\"", 1 + seed % 40, seed % 1000); break;
    case 3: snprintf(buf, size, "%ue3", seed % 9); break;
    case 4: snprintf(buf, size, "0.1"); break;
    case 5: snprintf(buf, size, "%s", seed % 2 ? "" : "n/a"); break;
    default: snprintf(buf, size, "%u", seed % 1000000); break;
    }
    return buf;
}

/* Records with quoted labels holding newlines and delimiters, CRLF or LF
 * line ends, units with rows all over the file, short rows, blank lines. */
static char *make_records(unsigned rows, bool crlf, bool bom, size_t *len)
{
    static const char *const regions[] = {"North", "\"South\nWest\"", "\"East, \"\"far\"\"\"",
                                          "Total", "\"Mid\r\nlands\""};
    const char *eol = crlf ? "\r\n" : "\n";
    size_t cap = 256 + (size_t)rows * 96, o = 0;
    char *s = malloc(cap);
    if (bom)
        o += (size_t)snprintf(s + o, cap - o, "\xEF\xBB\xBF");
    o += (size_t)snprintf(s + o, cap - o, "row,person,region,sex,income%s", eol);
    unsigned seed = 12345;
    for (unsigned r = 0; r < rows; r++) {
        seed = seed * 1103515245u + 12345u;
        unsigned x = seed >> 8;
        char v[32];
        if (x % 53 == 0) {
            o += (size_t)snprintf(s + o, cap - o, "%u,p%u,North%s", r, x % 97, eol); /* short */
            continue;
        }
        if (x % 41 == 0)
            o += (size_t)snprintf(s + o, cap - o, "%s", eol); /* blank line */
        o += (size_t)snprintf(s + o, cap - o, "%u,p%u,%s,%s,%s%s", r, x % 97, regions[x % 5],
                              x % 3 ? "F" : "\"M\"", value_text(x, v, sizeof v), eol);
    }
    *len = o;
    return s;
}

Test(aggregate, quoted_newlines_and_lf_give_the_same_table_for_any_split)
{
    size_t len;
    char *data = make_records(600, false, false, &len);
    char *path = put_bytes("lf.csv", data, len);
    const char *by[] = {"region", "sex"};
    sdc_aggregate_spec counts = {.by = by, .nby = 2};
    sdc_aggregate_spec values = {.by = by, .nby = 2, .value = "income"};
    sdc_aggregate_spec units = {.by = by, .nby = 2, .value = "income", .unit = "person"};
    assert_split_invariant(path, &counts);
    assert_split_invariant(path, &values);
    assert_split_invariant(path, &units);
    free(path);
    free(data);
}

Test(aggregate, crlf_and_a_byte_order_mark_give_the_same_table_for_any_split)
{
    size_t len;
    char *data = make_records(500, true, true, &len);
    char *path = put_bytes("crlf.csv", data, len);
    const char *by[] = {"sex", "region"};
    sdc_aggregate_spec units = {.by = by, .nby = 2, .value = "income", .unit = "person"};
    sdc_aggregate_spec one_dim = {.by = by + 1, .nby = 1, .value = "income"};
    assert_split_invariant(path, &units);
    assert_split_invariant(path, &one_dim);
    free(path);
    free(data);
}

Test(aggregate, every_split_point_of_a_small_file_gives_the_same_table)
{
    /* As the file grows by one record at a time, the split points of 2 to
     * 8 pieces move across records, quoted newlines and line ends. */
    const char *by[] = {"region"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1, .value = "v", .unit = "u"};
    char text[4096] = "u,region,v\n";
    for (int r = 0; r < 40; r++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o, "%s,\"%s\",%d\n", r % 3 ? "a" : "b",
                 r % 2 ? "x\ny" : "z", r);
        char *path = put_bytes("grow.csv", text, strlen(text));
        assert_split_invariant(path, &spec);
        free(path);
    }
}

Test(aggregate, quotes_that_libcsv_reads_as_text_do_not_mislead_the_split)
{
    /* libcsv reads "a"b<newline>c" as one quoted field and 5" as text: the
     * quote count says "between records" where libcsv is not. The check at
     * each split point must catch it and read on. */
    const char *by[] = {"region"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1};
    char text[4096] = "id,region,x\n";
    for (int r = 0; r < 30; r++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o, r % 7 == 6 ? "%d,5\" tall,x\n" : "%d,\"a\"b\nc\",x\n",
                 r);
        char *path = put_bytes("stray.csv", text, strlen(text));
        assert_split_invariant(path, &spec);
        free(path);
    }
}

Test(aggregate, a_unit_in_both_pieces_counts_once_with_its_contributions_summed)
{
    /* Unit A has rows at the start and at the end of the file; with two
     * pieces they fall in different pieces. */
    char text[16384] = "unit,region,turnover\nA,N,70\n";
    for (int r = 0; r < 300; r++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o, "U%d,%s,1\n", r, r % 2 ? "N" : "S");
    }
    size_t o = strlen(text);
    snprintf(text + o, sizeof text - o, "A,S,50\n");
    char *path = put_bytes("span.csv", text, strlen(text));
    const char *by[] = {"region"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1, .value = "turnover", .unit = "unit"};
    char *two = aggregate_text(path, &spec, 2);
    /* Total: 301 units, A's contribution 120 is the largest. */
    cr_assert_not_null(strstr(two, "Total,301,420,120,1\n"), "%s", two);
    cr_assert_not_null(strstr(two, "N,151,220,70,1\n"), "%s", two);
    char *one = aggregate_text(path, &spec, 1);
    cr_assert_str_eq(two, one);
    free(one);
    free(two);
    free(path);
}

Test(aggregate, too_long_labels_name_the_same_record_however_the_file_is_split)
{
    char *text = malloc(1 << 16);
    size_t o = (size_t)snprintf(text, 1 << 16, "id,region\n");
    for (int r = 1; r <= 400; r++)
        o += (size_t)snprintf(text + o, (1 << 16) - o, "%d,R%d\n", r, r % 5);
    o += (size_t)snprintf(text + o, (1 << 16) - o, "401,");
    memset(text + o, 'x', 3000);
    o += 3000;
    o += (size_t)snprintf(text + o, (1 << 16) - o, "\n402,R\n");
    char *path = put_bytes("long.csv", text, o);
    const char *by[] = {"region"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1};
    for (unsigned w = 1; w <= 4; w++) {
        char *got = aggregate_text(path, &spec, w);
        cr_assert_str_eq(got, "error: record 401: its labels are longer than 2047 bytes");
        free(got);
    }
    free(path);
    free(text);
}

Test(aggregate, a_missing_column_is_the_same_error_for_any_split)
{
    char text[4096] = "id,region\n";
    for (int r = 0; r < 100; r++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o, "%d,R%d\n", r, r % 3);
    }
    char *path = put_bytes("missing.csv", text, strlen(text));
    const char *by[] = {"region", "sex"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2};
    for (unsigned w = 1; w <= 3; w++) {
        char *got = aggregate_text(path, &spec, w);
        cr_assert_str_eq(got, "error: no column 'sex' in the data");
        free(got);
    }
    free(path);
}

/* A category named like a total would be counted into the margin of that
 * name (or read back as one): the first record with one is an error,
 * whatever the split, in any case of the letters. */
Test(aggregate, a_category_named_as_a_total_is_the_same_error_for_any_split)
{
    char text[4096] = "id,region,sex\n";
    for (int r = 1; r <= 60; r++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o, "%d,R%d,%s\n", r, r % 3,
                 r == 41   ? " total "
                 : r == 50 ? "Total"
                 : r % 2   ? "F"
                           : "M");
    }
    const char *by[] = {"region", "sex"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2};
    assert_error_for_any_split("total.csv", text, &spec,
                               "error: record 41: sex 'total' is a total label (total_labels), "
                               "a margin's name: rename the category");
    /* "All" is another of the default policy's total labels */
    const char *age[] = {"age"};
    sdc_aggregate_spec by_age = {.by = age, .nby = 1};
    assert_error_for_any_split("all.csv", "id,age\n1,A1\n2,All\n", &by_age,
                               "error: record 2: age 'All' is a total label (total_labels), a "
                               "margin's name: rename the category");
}

/* An empty label was written as no field at all (the row's labels moved
 * one column left), a nested column's empty label reads as a subtotal,
 * and a label holding the byte that joins a key's labels was split in
 * two: the first record with one, or with the column missing, is an
 * error whatever the split. */
Test(aggregate, an_empty_missing_or_split_label_is_the_same_error_for_any_split)
{
    char text[4096] = "id,region,sex\n";
    for (int r = 1; r <= 60; r++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o,
                 r == 37   ? "%d,R%d,\n"
                 : r == 45 ? "%d,R%d\n"
                           : "%d,R%d,F\n",
                 r, r % 3);
    }
    const char *by[] = {"region", "sex"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2};
    assert_error_for_any_split("empty-label.csv", text, &spec,
                               "error: record 37: sex is empty: give records without one a "
                               "category of their own (Missing)");
    /* the short record alone */
    assert_error_for_any_split("short.csv", "id,region,sex\n1,R1,F\n2,R2\n", &spec,
                               "error: record 2: sex is empty: give records without one a "
                               "category of their own (Missing)");
    /* the byte that joins a cell's labels split "M\x1fX" into two labels */
    assert_error_for_any_split("joined.csv", "id,region,sex\n1,R1,F\n2,R1,M\x1fX\n", &spec,
                               "error: record 2: sex holds the control character 0x1F (unit "
                               "separator)");
}

/* A value that is blank or a missing marker counts its record but adds
 * nothing (summed by hand below); any other that is not a number would be
 * left out of the sum unseen, so the first is an error, whatever the
 * split. */
Test(aggregate, a_value_that_is_not_a_number_nor_missing_is_the_same_error_for_any_split)
{
    static const char records[] = "id,sex,income\n1,F,10\n2,F,NA\n3,F,\n4,M,5\n5,M, n/a \n";
    char *path = put_bytes("missing-values.csv", records, sizeof records - 1);
    const char *by[] = {"sex"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1, .value = "income"};
    char *table = aggregate_text(path, &spec, 1);
    static const char *const want[] = {"\nF,3,10,10,0\n", "\nM,2,5,5,0\n", "\nTotal,5,15,10,5\n"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert_not_null(strstr(table, want[i]), "no %s in:\n%s", want[i], table);
    free(table);
    free(path);

    char text[4096] = "id,sex,income\n";
    for (int r = 1; r <= 80; r++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o, "%d,%s,%s\n", r, r % 2 ? "F" : "M",
                 r == 53   ? "12abc"
                 : r == 70 ? "x"
                 : r % 5   ? "7"
                           : "NaN");
    }
    assert_error_for_any_split("bad-value.csv", text, &spec,
                               "error: record 53: income '12abc' is not a number, nor empty or "
                               "a missing value (missing_markers)");
}

Test(aggregate, an_empty_file_has_no_records)
{
    char *path = put_bytes("empty.csv", "", 0);
    const char *by[] = {"region"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1};
    char *got = aggregate_text(path, &spec, 2);
    cr_assert_str_eq(got, "error: no records");
    free(got);
    free(path);
}

Test(aggregate, the_largest_values_are_the_two_largest_whatever_their_sign)
{
    char *path = put_bytes("neg.csv", "g,v\na,-3\na,-5\nb,-5\nb,-3\nc,-2\n", 29);
    const char *by[] = {"g"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1, .value = "v"};
    char *got = aggregate_text(path, &spec, 1);
    cr_assert_str_eq(got, "g,n,v,v_max1,v_max2\nTotal,5,-18,-2,-3\na,2,-8,-3,-5\n"
                          "b,2,-8,-3,-5\nc,1,-2,-2,0\n");
    free(got);
    free(path);
}

/* Sums are written whole, however many digits: 12345678901 + 2 =
 * 12345678903 would read 1.23456789e+10 at ten significant digits, and the
 * parts would no longer add up to the total. Decimals keep their digits. */
Test(aggregate, sums_are_written_exactly_whatever_their_digits)
{
    char *path = put_bytes("big.csv", "g,v\na,12345678901\na,2\nb,0.25\n", 29);
    const char *by[] = {"g"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1, .value = "v"};
    char *got = aggregate_text(path, &spec, 1);
    cr_assert_str_eq(got, "g,n,v,v_max1,v_max2\nTotal,3,12345678903.25,12345678901,2\n"
                          "a,2,12345678903,12345678901,2\nb,1,0.25,0.25,0\n");
    free(got);
    free(path);
}

Test(aggregate, exact_sums_do_not_depend_on_the_order_of_the_terms)
{
    double terms[] = {1e16, 1.0, -1e16, 0.1, 0.1, 0.1, 1e-300, 3.0, -0.3};
    size_t n = sizeof terms / sizeof terms[0];
    sdc_xsum forward = {0}, backward = {0}, left = {0}, right = {0};
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(sdc_xsum_add(&forward, terms[i]), 0);
        cr_assert_eq(sdc_xsum_add(&backward, terms[n - 1 - i]), 0);
        cr_assert_eq(sdc_xsum_add(i % 2 ? &left : &right, terms[i]), 0);
    }
    cr_assert_eq(sdc_xsum_merge(&right, &left), 0);
    double v = sdc_xsum_value(&forward);
    cr_assert_eq(v, sdc_xsum_value(&backward));
    cr_assert_eq(v, sdc_xsum_value(&right));
    cr_assert_eq(v, 4.0); /* 1 + 3 x 0.1 - 0.3 + 3, rounded once */
    sdc_xsum tenths = {0};
    for (int i = 0; i < 10; i++)
        sdc_xsum_add(&tenths, 0.1);
    cr_assert_eq(sdc_xsum_value(&tenths), 1.0);
    sdc_xsum empty = {0};
    cr_assert_eq(sdc_xsum_value(&empty), 0.0);
    cr_assert(!signbit(sdc_xsum_value(&empty)));
    sdc_xsum_free(&forward);
    sdc_xsum_free(&backward);
    sdc_xsum_free(&left);
    sdc_xsum_free(&right);
    sdc_xsum_free(&tenths);
}

Test(aggregate, many_partials_spill_to_the_heap_and_stay_exact)
{
    sdc_xsum s = {0};
    /* Powers of two far apart cannot share a partial. */
    for (int e = -1000; e <= 1000; e += 100)
        cr_assert_eq(sdc_xsum_add(&s, ldexp(1.0, e)), 0);
    cr_assert_gt(s.n, 2);
    for (int e = -1000; e <= 1000; e += 100)
        cr_assert_eq(sdc_xsum_add(&s, -ldexp(1.0, e)), 0);
    cr_assert_eq(sdc_xsum_value(&s), 0.0);
    sdc_xsum_free(&s);
}

Test(aggregate, a_declared_hierarchy_leaves_out_margins_that_repeat_a_child)
{
    /* region nests in country: "Total, North" would repeat "England, North". */
    static const char records[] = "id,country,region\n1,England,North\n2,England,North\n"
                                  "3,England,South\n4,Wales,Cardiff\n5,Wales,Cardiff\n";
    char *path = put_bytes("nested.csv", records, sizeof records - 1);
    const char *by[] = {"country", "region"};
    const int parent[] = {-1, 0};
    sdc_aggregate_spec flat = {.by = by, .nby = 2, .unit = "id"};
    sdc_aggregate_spec nested = {.by = by, .nby = 2, .unit = "id", .parent = parent};
    char *all = aggregate_text(path, &flat, 1);
    char *some = aggregate_text(path, &nested, 1);
    cr_assert_not_null(strstr(all, "Total,North,2\n"), "%s", all);
    cr_assert_null(strstr(some, "Total,North"), "%s", some);
    cr_assert_null(strstr(some, "Total,Cardiff"), "%s", some);
    cr_assert_not_null(strstr(some, "England,North,2\n"), "%s", some);
    cr_assert_not_null(strstr(some, "England,Total,3\n"), "%s", some);
    cr_assert_not_null(strstr(some, "Total,Total,5\n"), "%s", some);
    free(all);
    free(some);
    /* the same whatever the split */
    assert_split_invariant(path, &nested);
    free(path);
}

/* The hierarchies TEXT written as NAME (its path into *PATH) and loaded. */
static sdc_table_spec *declare(const char *name, const char *text, char **path)
{
    *path = put_bytes(name, text, strlen(text));
    sdc_status st = {0};
    sdc_table_spec *declared = sdc_table_spec_load(*path, &st);
    cr_assert_not_null(declared, "%s", st.message);
    return declared;
}

/* Asserts that each of the N lines WANT is a row of TABLE. */
static void assert_rows(const char *table, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char line[64];
        snprintf(line, sizeof line, "\n%s\n", want[i]);
        cr_assert_not_null(strstr(table, line), "no %s in:\n%s", want[i], table);
    }
}

Test(aggregate, levels_within_a_column_add_subtotal_rows_the_same_whatever_the_split)
{
    /* UK > England > North: three levels; Jersey is in no level. Unit 4
     * is in North and South (both F): once in England, UK and Total. */
    static const char records[] = "id,area,sex\n1,North,F\n2,North,M\n3,South,F\n4,South,F\n"
                                  "4,North,F\n5,Cardiff,M\n6,Jersey,F\n";
    char *path = put_bytes("levels.csv", records, sizeof records - 1);
    char *yaml = NULL;
    sdc_table_spec *declared = declare("levels.sdc.yaml",
                                       "hierarchies:\n  area:\n    UK: [England, Wales]\n"
                                       "    England: [North, South]\n    Wales: [Cardiff]\n",
                                       &yaml);
    cr_assert_eq(sdc_table_spec_level_depth(declared, "area"), 3);
    const char *by[] = {"area", "sex"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2, .unit = "id", .levels = declared};
    char *table = aggregate_text(path, &spec, 1);
    /* counted by hand, in distinct units */
    static const char *const want[] = {
        "North,F,2",      "North,M,1",   "North,Total,3",   "South,F,2",    "South,Total,2",
        "England,F,3",    "England,M,1", "England,Total,4", "Cardiff,M,1",  "Wales,M,1",
        "Wales,Total,1",  "UK,F,3",      "UK,M,2",          "UK,Total,5",   "Jersey,F,1",
        "Jersey,Total,1", "Total,F,4",   "Total,M,2",       "Total,Total,6"};
    assert_rows(table, want, sizeof want / sizeof want[0]);
    cr_assert_null(strstr(table, "Wales,F"), "no woman in Wales: no cell:\n%s", table);
    free(table);
    assert_split_invariant(path, &spec);
    free(path);

    /* A record in England itself: the same error in any split. */
    static const char direct[] = "id,area,sex\n1,North,F\n2,North,M\n3,South,F\n4,South,F\n"
                                 "7,England,F\n5,Cardiff,M\n6,Jersey,F\n";
    path = put_bytes("direct.csv", direct, sizeof direct - 1);
    char *error = aggregate_text(path, &spec, 1);
    cr_assert(strstr(error, "error: record 5: area 'England' is declared a subtotal"), "%s", error);
    free(error);
    assert_split_invariant(path, &spec);
    free(path);
    free(yaml);
    sdc_table_spec_free(declared);
}

Test(aggregate, a_label_at_two_depths_of_a_hierarchy_is_one_row_with_each_unit_once)
{
    /* UK > England > North, but UK > Cardiff: UK is two levels above North
     * and one above Cardiff, so its cells come from two margins and must
     * be one row each. Unit 3 is in South (30) and in Cardiff (5): once in
     * UK, contributing 35 there. Jersey is in no level. */
    static const char records[] = "id,area,sex,income\n1,North,F,10\n2,North,M,20\n3,South,F,30\n"
                                  "3,Cardiff,F,5\n4,Cardiff,M,40\n5,Jersey,F,7\n6,South,M,2\n";
    char *path = put_bytes("ragged.csv", records, sizeof records - 1);
    char *yaml = NULL;
    sdc_table_spec *declared = declare(
        "ragged.sdc.yaml",
        "hierarchies:\n  area:\n    UK: [England, Cardiff]\n    England: [North, South]\n", &yaml);
    const char *by[] = {"area", "sex"};
    sdc_aggregate_spec spec = {
        .by = by, .nby = 2, .unit = "id", .value = "income", .levels = declared};
    char *table = aggregate_text(path, &spec, 1);
    /* worked by hand: distinct units, their summed contributions, the two
     * largest contributions (0 when there are fewer) */
    static const char *const want[] = {
        "North,F,1,10,10,0",   "North,M,1,20,20,0",        "North,Total,2,30,20,10",
        "South,F,1,30,30,0",   "South,M,1,2,2,0",          "South,Total,2,32,30,2",
        "Cardiff,F,1,5,5,0",   "Cardiff,M,1,40,40,0",      "Cardiff,Total,2,45,40,5",
        "Jersey,F,1,7,7,0",    "Jersey,Total,1,7,7,0",     "England,F,2,40,30,10",
        "England,M,2,22,20,2", "England,Total,4,62,30,20", "UK,F,2,45,35,10",
        "UK,M,3,62,40,20",     "UK,Total,5,107,40,35",     "Total,F,3,52,35,10",
        "Total,M,3,62,40,20",  "Total,Total,6,114,40,35"};
    size_t nwant = sizeof want / sizeof want[0];
    assert_rows(table, want, nwant);
    size_t lines = 0;
    for (const char *s = table; *s; s++)
        lines += *s == '\n';
    cr_assert_eq(lines, 1 + nwant, "one row a cell, UK's once:\n%s", table);
    free(table);
    assert_split_invariant(path, &spec);
    free(path);
    free(yaml);
    sdc_table_spec_free(declared);
}

/* ---- records counted in batches (aggregate_csv.c: SDC_AGG_BATCH at a
 * time, their cells' memory fetched together first) ---- */

Test(aggregate, a_cell_first_seen_inside_a_batch_counts_every_later_record_of_the_batch)
{
    /* Records 1 to 40, v = the record's number: a for 1-5, then b for the
     * even and c for the odd ones. c is new at record 7 and back at 9, 11
     * ... in the same batch; the batches end inside the run of b and c.
     * a: 5 records, 1+2+3+4+5 = 15; b: 6, 8 ... 40, 18 records, (6+40)*9 =
     * 414; c: 7, 9 ... 39, 17 records, (7+39)*17/2 = 391; in all 40, 820. */
    char text[1024] = "g,v\n";
    for (int r = 1; r <= 40; r++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o, "%s,%d\n", r <= 5 ? "a" : r % 2 ? "c" : "b", r);
    }
    char *path = put_bytes("batch.csv", text, strlen(text));
    const char *by[] = {"g"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1, .value = "v"};
    char *got = aggregate_text(path, &spec, 1);
    cr_assert_str_eq(got, "g,n,v,v_max1,v_max2\nTotal,40,820,40,39\na,5,15,5,4\n"
                          "b,18,414,40,38\nc,17,391,39,37\n");
    free(got);
    assert_split_invariant(path, &spec);
    free(path);
}

Test(aggregate, keys_of_seven_eight_nine_and_many_bytes_are_told_apart_by_their_last_byte)
{
    /* Keys are compared eight bytes at a time, then byte by byte: labels
     * of 7, 8 and 9 bytes and of 1,500, pairs of them differing only in
     * their last byte. Label k (0 to 6) is on k + 1 records, interleaved. */
    char x1500[1501], x1499y[1501];
    memset(x1500, 'x', 1500);
    x1500[1500] = '\0';
    memcpy(x1499y, x1500, sizeof x1499y);
    x1499y[1499] = 'y';
    const char *labels[] = {"abcdefg",   "abcdefgh", "abcdefgi", "abcdefghi",
                            "abcdefghj", x1500,      x1499y};
    size_t cap = 64 * 1024, o = 0;
    char *text = malloc(cap);
    o += (size_t)snprintf(text, cap, "id,g\n");
    for (int round = 0; round < 7; round++)
        for (int k = round; k < 7; k++)
            o += (size_t)snprintf(text + o, cap - o, "%d,%s\n", k, labels[k]);
    char *path = put_bytes("lengths.csv", text, o);
    const char *by[] = {"g"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1};
    char *want = NULL;
    cr_assert_geq(asprintf(&want,
                           "g,n\nTotal,28\nabcdefg,1\nabcdefgh,2\nabcdefghi,4\nabcdefghj,5\n"
                           "abcdefgi,3\n%s,6\n%s,7\n",
                           x1500, x1499y),
                  0);
    char *got = aggregate_text(path, &spec, 1);
    cr_assert_str_eq(got, want);
    free(got);
    assert_split_invariant(path, &spec);
    free(want);
    free(path);
    free(text);
}

Test(aggregate, long_keys_flush_a_batch_before_it_is_full)
{
    /* Keys of 1,000 bytes: a batch's room for keys takes three of them
     * before it is counted. A: 5 records, B: 4, c: 2. */
    char a[1001], b[1001];
    memset(a, 'A', 1000);
    memset(b, 'B', 1000);
    a[1000] = b[1000] = '\0';
    const char *order[] = {a, b, a, "c", b, a, b, "c", a, b, a};
    size_t cap = 16 * 1024, o = 0;
    char *text = malloc(cap);
    o += (size_t)snprintf(text, cap, "g\n");
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        o += (size_t)snprintf(text + o, cap - o, "%s\n", order[i]);
    char *path = put_bytes("room.csv", text, o);
    const char *by[] = {"g"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1};
    char *want = NULL;
    cr_assert_geq(asprintf(&want, "g,n\n%s,5\n%s,4\nTotal,11\nc,2\n", a, b), 0);
    char *got = aggregate_text(path, &spec, 1);
    cr_assert_str_eq(got, want);
    free(got);
    assert_split_invariant(path, &spec);
    free(want);
    free(path);
    free(text);
}

Test(aggregate, records_with_units_are_counted_one_by_one_across_batches)
{
    /* Records 0 to 49, v = the record's number, unit p(i mod 10), region
     * N for odd i, S for even: unit pk is in one region and contributes
     * k + (k+10) + ... + (k+40) = 5k + 100. N: p1 ... p9, 105 + 115 + 125 +
     * 135 + 145 = 625, largest 145 and 135; S: p0 ... p8, 100 + ... + 140 =
     * 600, largest 140 and 130; in all 10 units, 1225. */
    char text[2048] = "p,region,v\n";
    for (int i = 0; i < 50; i++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o, "p%d,%s,%d\n", i % 10, i % 2 ? "N" : "S", i);
    }
    char *path = put_bytes("units.csv", text, strlen(text));
    const char *by[] = {"region"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1, .value = "v", .unit = "p"};
    char *got = aggregate_text(path, &spec, 1);
    cr_assert_str_eq(got, "region,n,v,v_max1,v_max2\nN,5,625,145,135\nS,5,600,140,130\n"
                          "Total,10,1225,145,140\n");
    free(got);
    assert_split_invariant(path, &spec);
    free(path);
}

Test(aggregate, a_record_still_in_its_batch_is_judged_before_a_later_too_long_one)
{
    /* Record 2 is in England, a declared subtotal; record 3's label is too
     * long. Record 2 waits in its batch when record 3 is read: its error
     * is the one named. */
    static const char levels[] = "hierarchies:\n  area:\n    England: [North, South]\n";
    char *yaml = put_bytes("order.sdc.yaml", levels, sizeof levels - 1);
    sdc_status st = {0};
    sdc_table_spec *declared = sdc_table_spec_load(yaml, &st);
    cr_assert_not_null(declared, "%s", st.message);
    char text[4096];
    size_t o = (size_t)snprintf(text, sizeof text, "id,area\n1,North\n2,England\n3,");
    memset(text + o, 'x', 3000);
    o += 3000;
    o += (size_t)snprintf(text + o, sizeof text - o, "\n4,South\n");
    char *path = put_bytes("order.csv", text, o);
    const char *by[] = {"area"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1, .levels = declared};
    char *got = aggregate_text(path, &spec, 1);
    cr_assert(strstr(got, "error: record 2: area 'England' is declared a subtotal"), "%s", got);
    free(got);
    free(path);
    free(yaml);
    sdc_table_spec_free(declared);
}

Test(aggregate, margins_looked_up_in_batches_add_up_to_the_hand_counted_table)
{
    /* A 3 x 3 table, one record a cell, v = 10 x row + column: 36 margin
     * lookups (4 a full cell) in batches of 16, Total x Total new in the
     * first and found again three times in it. By hand: row i's total
     * 30i + 6 (largest 10i + 3, 10i + 2), column j's 60 + 3j (30 + j,
     * 20 + j), all 198 (33, 32). */
    static const char records[] = "row,col,v\nr1,c1,11\nr2,c2,22\nr3,c3,33\nr1,c2,12\nr2,c3,23\n"
                                  "r3,c1,31\nr1,c3,13\nr2,c1,21\nr3,c2,32\n";
    char *path = put_bytes("grid.csv", records, sizeof records - 1);
    const char *by[] = {"row", "col"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2, .value = "v"};
    char *got = aggregate_text(path, &spec, 1);
    cr_assert_str_eq(got,
                     "row,col,n,v,v_max1,v_max2\n"
                     "Total,Total,9,198,33,32\nTotal,c1,3,63,31,21\nTotal,c2,3,66,32,22\n"
                     "Total,c3,3,69,33,23\n"
                     "r1,Total,3,36,13,12\nr1,c1,1,11,11,0\nr1,c2,1,12,12,0\nr1,c3,1,13,13,0\n"
                     "r2,Total,3,66,23,22\nr2,c1,1,21,21,0\nr2,c2,1,22,22,0\nr2,c3,1,23,23,0\n"
                     "r3,Total,3,96,33,32\nr3,c1,1,31,31,0\nr3,c2,1,32,32,0\nr3,c3,1,33,33,0\n");
    free(got);
    assert_split_invariant(path, &spec);
    free(path);
}

Test(aggregate, a_table_of_many_rows_made_in_parts_is_in_key_order_with_every_cell)
{
    /* 400 x 300 full cells, one record each, v = 1000 i + j: 120,701 rows
     * with the margins, made in parts on the cores (aggregate.c: a part
     * from 50,000 rows), sorted apart and merged. By hand: row a_i's total
     * 300 records, 300000 i + 44850 (largest 1000 i + 299, 1000 i + 298);
     * column b_j's 400, 79800000 + 400 j (399000 + j, 398000 + j); all
     * 120000, 23957940000 (399299, 399298). "Total" sorts before "a". */
    size_t cap = 64 + 400 * 300 * 24, len = 0;
    char *rec = malloc(cap);
    cr_assert_not_null(rec);
    len += (size_t)snprintf(rec + len, cap - len, "row,col,v\n");
    for (int j = 299; j >= 0; j--) /* not in key order */
        for (int i = 0; i < 400; i++)
            len += (size_t)snprintf(rec + len, cap - len, "a%03d,b%03d,%d\n", i, j, 1000 * i + j);
    char *path = put_bytes("parts.csv", rec, len);
    free(rec);
    size_t wcap = 64 + 120701 * 48, wlen = 0;
    char *want = malloc(wcap);
    cr_assert_not_null(want);
    wlen += (size_t)snprintf(want + wlen, wcap - wlen,
                             "row,col,n,v,v_max1,v_max2\nTotal,Total,120000,23957940000,399299,"
                             "399298\n");
    for (int j = 0; j < 300; j++)
        wlen += (size_t)snprintf(want + wlen, wcap - wlen, "Total,b%03d,400,%d,%d,%d\n", j,
                                 79800000 + 400 * j, 399000 + j, 398000 + j);
    for (int i = 0; i < 400; i++) {
        wlen += (size_t)snprintf(want + wlen, wcap - wlen, "a%03d,Total,300,%d,%d,%d\n", i,
                                 300000 * i + 44850, 1000 * i + 299, 1000 * i + 298);
        for (int j = 0; j < 300; j++)
            wlen += (size_t)snprintf(want + wlen, wcap - wlen, "a%03d,b%03d,1,%d,%d,0\n", i, j,
                                     1000 * i + j, 1000 * i + j);
    }
    const char *by[] = {"row", "col"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2, .value = "v"};
    for (unsigned workers = 1; workers <= 2; workers++) {
        char *got = aggregate_text(path, &spec, workers);
        cr_assert_eq(strlen(got), wlen, "%u readers", workers);
        cr_assert(strcmp(got, want) == 0, "%u readers: the table differs", workers);
        free(got);
    }
    free(want);
    free(path);
}
