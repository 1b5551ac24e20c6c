/* test_finding.c - findings are values; the verdict is derived. */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdint.h>

#include "helpers.h"
#include "core/vec.h"

Test(finding, verdict_of_no_findings_is_pass)
{
    sdc_findings f = {0};
    cr_assert_eq(sdc_findings_verdict(&f), SDC_PASS);
}

Test(finding, verdict_is_the_worst_finding)
{
    sdc_findings f = {0};
    sdc_findings_add(&f, "unrecognised-column", SDC_PASS, NULL, "note");
    cr_assert_eq(sdc_findings_verdict(&f), SDC_PASS);
    sdc_findings_add(&f, "zeros", SDC_REVIEW, NULL, "zero");
    cr_assert_eq(sdc_findings_verdict(&f), SDC_REVIEW);
    sdc_findings_add(&f, "threshold", SDC_FAIL, NULL, "small");
    sdc_findings_add(&f, "zeros", SDC_REVIEW, NULL, "zero again");
    cr_assert_eq(sdc_findings_verdict(&f), SDC_FAIL);
    sdc_findings_free(&f);
    cr_assert_eq(f.count, 0);
}

Test(finding, add_copies_every_string_and_formats_the_message)
{
    char row[] = "North", column[] = "count", value[] = "3";
    sdc_finding_at at = {.line = 7,
                         .row = row,
                         .column = column,
                         .value = value,
                         .limit = 10,
                         .has_limit = true,
                         .advice = "suppress"};
    sdc_findings f = {0};
    cr_assert_eq(sdc_findings_add(&f, "threshold", SDC_FAIL, &at, "count %d below %d", 3, 10), 0);
    row[0] = column[0] = value[0] = 'X';
    const sdc_finding *x = &f.items[0];
    cr_assert_str_eq(x->rule, "threshold");
    cr_assert_str_eq(x->message, "count 3 below 10");
    cr_assert_str_eq(x->row, "North");
    cr_assert_str_eq(x->column, "count");
    cr_assert_str_eq(x->value, "3");
    cr_assert_str_eq(x->advice, "suppress");
    cr_assert_eq(x->line, 7);
    cr_assert(x->has_limit && x->limit == 10);
    sdc_findings_free(&f);
}

Test(finding, absent_location_fields_stay_null)
{
    sdc_findings f = {0};
    sdc_findings_add(&f, "needs-review", SDC_REVIEW, NULL, "look");
    cr_assert_null(f.items[0].row);
    cr_assert_null(f.items[0].advice);
    cr_assert_eq(f.items[0].line, 0);
    cr_assert(!f.items[0].has_limit);
    sdc_findings_free(&f);
}

Test(finding, take_moves_all_findings_in_order)
{
    sdc_findings a = {0}, b = {0};
    sdc_findings_add(&a, "zeros", SDC_REVIEW, NULL, "a1");
    for (int i = 0; i < 20; i++)
        sdc_findings_add(&b, "threshold", SDC_FAIL, NULL, "b%d", i);
    cr_assert_eq(sdc_findings_take(&a, &b), 0);
    cr_assert_eq(a.count, 21);
    cr_assert_eq(b.count, 0);
    cr_assert_str_eq(a.items[20].message, "b19");
    sdc_findings_free(&a);
    sdc_findings_free(&b);
}

Test(finding, verdict_names_round_trip)
{
    sdc_verdict v;
    cr_assert_eq(sdc_verdict_parse("review", &v), 0);
    cr_assert_eq(v, SDC_REVIEW);
    cr_assert_str_eq(sdc_verdict_name(SDC_FAIL), "fail");
    cr_assert_eq(sdc_verdict_parse("maybe", &v), SDC_EINVAL);
    cr_assert_eq(sdc_verdict_worst(SDC_PASS, SDC_REVIEW), SDC_REVIEW);
}

Test(finding, a_finding_that_cannot_be_recorded_makes_the_list_incomplete_and_fail)
{
    /* A list so long that one more finding would overflow the size of its
     * array: the add fails without allocating, as when memory runs out. */
    sdc_findings f = {0};
    f.count = f.capacity = SIZE_MAX / 2;
    cr_assert_eq(sdc_findings_add(&f, "model-file", SDC_FAIL, NULL, "lost"), -1);
    cr_assert_eq(f.incomplete, SDC_INCOMPLETE_MEMORY, "the lost finding is not silently dropped");
    f.count = f.capacity = 0; /* nothing was stored */
    cr_assert_eq(sdc_findings_verdict(&f), SDC_FAIL, "an incomplete list never passes");
    sdc_findings_add(&f, "unrecognised-column", SDC_PASS, NULL, "note");
    cr_assert_eq(sdc_findings_verdict(&f), SDC_FAIL);
    sdc_findings_free(&f);
}

Test(finding, taking_from_an_incomplete_list_keeps_it_incomplete)
{
    sdc_findings from = {0}, to = {0};
    sdc_findings_add(&from, "zeros", SDC_REVIEW, NULL, "zero");
    sdc_findings_mark_incomplete(&from, SDC_INCOMPLETE_MEMORY);
    cr_assert_eq(sdc_findings_take(&to, &from), 0);
    cr_assert_eq(to.incomplete, SDC_INCOMPLETE_MEMORY, "the reason goes with it");
    cr_assert_eq(to.count, 1);
    cr_assert_eq(sdc_findings_verdict(&to), SDC_FAIL);
    sdc_findings_free(&to);
}

Test(finding, a_vec_doubles_keeps_its_elements_and_refuses_sizes_that_overflow)
{
    int *v = NULL;
    size_t cap = 0;
    cr_assert_eq(SDC_VEC_RESERVE(v, cap, 1), 0);
    cr_assert_eq(cap, 8, "the first capacity is 8");
    for (int i = 0; i < 8; i++)
        v[i] = i * i;
    cr_assert_eq(SDC_VEC_RESERVE(v, cap, 9), 0);
    cr_assert_eq(cap, 16, "then it doubles");
    for (int i = 0; i < 8; i++)
        cr_assert_eq(v[i], i * i, "elements survive the move");
    cr_assert_eq(SDC_VEC_RESERVE(v, cap, 5), 0);
    cr_assert_eq(cap, 16, "enough room: unchanged");
    int *before = v;
    cr_assert_eq(SDC_VEC_RESERVE(v, cap, SIZE_MAX / 2), -1, "would overflow");
    cr_assert_eq(v, before, "a refused growth leaves the array");
    cr_assert_eq(cap, 16);
    free(v);
}

Test(finding, every_error_code_has_a_name_and_errno_maps_to_codes)
{
    const int codes[] = {SDC_ENOMEM, SDC_ENOENT, SDC_EACCES, SDC_EIO,
                         SDC_EINVAL, SDC_EPARSE, SDC_EEXIST, SDC_ENOTABLE};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        cr_assert_lt(codes[i], 0, "errors are negative");
        cr_assert_str_neq(sdc_strerror(codes[i]), "unknown error", "%d", codes[i]);
        for (size_t k = 0; k < i; k++)
            cr_assert_str_neq(sdc_strerror(codes[i]), sdc_strerror(codes[k]), "distinct names");
    }
    cr_assert_str_eq(sdc_strerror(SDC_ENOMEM), "out of memory");
    cr_assert_str_eq(sdc_strerror(-999), "unknown error");
    cr_assert_eq(sdc_error_from_errno(ENOENT), SDC_ENOENT);
    cr_assert_eq(sdc_error_from_errno(EACCES), SDC_EACCES);
    cr_assert_eq(sdc_error_from_errno(ENOMEM), SDC_ENOMEM);
    cr_assert_eq(sdc_error_from_errno(EISDIR), SDC_EIO);
    sdc_status st = {0};
    cr_assert_eq(sdc_status_set(&st, SDC_EINVAL, "column %s", "x"), SDC_EINVAL);
    cr_assert_eq(st.code, SDC_EINVAL);
    cr_assert_str_eq(st.message, "column x");
    cr_assert_eq(sdc_status_set(NULL, SDC_EIO, "ignored"), SDC_EIO, "a NULL status still fails");
}
