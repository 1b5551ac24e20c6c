/* test_protect.c - primary and complementary suppression (`--fix`). */
#include <criterion/criterion.h>
#include <unistd.h>

#include "helpers.h"

static sdc_policy *policy;
static void setup(void)
{
    policy = sdc_policy_default();
    policy->zeros_are_disclosive = false;
}
static void teardown(void)
{
    sdc_policy_free(policy);
}
TestSuite(protect, .init = setup, .fini = teardown);

/* Protects CSV, writes it, reads it back and checks it: the findings of the
 * written table. */
static sdc_findings protect_and_recheck(const char *csv, sdc_protect_result *res, char **text)
{
    sdc_findings f = {0};
    sdc_table *t = layout_csv(csv, policy, &f);
    sdc_findings_free(&f);
    sdc_id_scanner *s = sdc_id_scanner_new(policy, NULL);
    cr_assert_eq(sdc_table_protect(t, policy, s, res), 0);
    size_t len = 0;
    FILE *m = open_memstream(text, &len);
    cr_assert_eq(sdc_table_write_csv(t, ',', m), 0);
    fclose(m);
    sdc_table_free(t);
    sdc_findings again = check_csv(*text, policy);
    sdc_id_scanner_free(s);
    return again;
}

Test(protect, a_small_count_is_hidden_with_enough_complements)
{
    /* N/A = 3 fails; row N and column A give it back, so N/B (40, the
     * smallest part >= 10 in row N) and S/A (45) are hidden too; then row S
     * gives S/A back, so S/B (35) is hidden: a 2x2 block whose cells can
     * each take a range of 44 values or more. */
    sdc_protect_result res;
    char *text = NULL;
    sdc_findings f = protect_and_recheck("region,A,B,C,Total\nN,3,40,50,93\nS,45,35,60,140\n"
                                         "E,50,55,70,175\nTotal,98,130,180,408\n",
                                         &res, &text);
    cr_assert(res.protected_ok);
    cr_assert_eq(res.primary, 1);
    cr_assert_eq(res.secondary, 3);
    cr_assert_not_null(strstr(text, "N,c,c,50,93"), "%s", text);
    cr_assert_not_null(strstr(text, "S,c,c,60,140"), "%s", text);
    cr_assert_eq(sdc_findings_verdict(&f), SDC_PASS, "the written table passes:\n%s", text);
    sdc_findings_free(&f);
    free(text);
}

Test(protect, every_protected_table_rechecks_without_primary_or_recoverable_cells)
{
    unsigned seed = 777;
    int checked = 0;
    for (int trial = 0; trial < 60; trial++) {
        char csv[4096];
        int v[5][5], rs[5] = {0}, cs[5] = {0}, total = 0;
        size_t o = (size_t)snprintf(csv, sizeof csv, "region,a,b,c,d,e,Total\n");
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) {
                seed = seed * 1103515245u + 12345u;
                /* mostly safe counts, some below the threshold */
                int r = (int)((seed >> 16) % 100);
                v[i][j] = r < 15 ? 1 + r % 9 : 10 + r * 3;
                rs[i] += v[i][j];
                cs[j] += v[i][j];
                total += v[i][j];
            }
        for (int i = 0; i < 5; i++) {
            o += (size_t)snprintf(csv + o, sizeof csv - o, "r%d", i);
            for (int j = 0; j < 5; j++)
                o += (size_t)snprintf(csv + o, sizeof csv - o, ",%d", v[i][j]);
            o += (size_t)snprintf(csv + o, sizeof csv - o, ",%d\n", rs[i]);
        }
        o += (size_t)snprintf(csv + o, sizeof csv - o, "Total");
        for (int j = 0; j < 5; j++)
            o += (size_t)snprintf(csv + o, sizeof csv - o, ",%d", cs[j]);
        snprintf(csv + o, sizeof csv - o, ",%d\n", total);

        sdc_protect_result res;
        char *text = NULL;
        sdc_findings f = protect_and_recheck(csv, &res, &text);
        /* threshold failures are hidden whether or not the audit is met */
        cr_assert_eq(count_rule(&f, "threshold"), 0, "trial %d:\n%s", trial, text);
        if (res.protected_ok) {
            checked++;
            cr_assert_eq(count_rule(&f, "secondary-recoverable"), 0, "trial %d:\n%s", trial, text);
            cr_assert_eq(count_rule(&f, "secondary-narrow"), 0, "trial %d:\n%s", trial, text);
        } else {
            cr_assert_gt(
                count_rule(&f, "secondary-recoverable") + count_rule(&f, "secondary-narrow"), 0,
                "trial %d: not protected, yet the recheck finds nothing:\n%s", trial, text);
        }
        sdc_findings_free(&f);
        free(text);
    }
    /* all 60 tables are protected today: a test that checks none is vacuous */
    cr_assert_geq(checked, 54, "only %d of 60 trials were protected (all 60 were)", checked);
}

/* Records: 300 firms, each in one region, several rows per firm; the
 * Scilly region has 3 firms, below the threshold. */
static char *make_records(void)
{
    static const char *const regions[] = {"North", "South", "East", "Scilly"};
    size_t cap = 1 << 16, o = 0;
    char *s = malloc(cap);
    o += (size_t)snprintf(s + o, cap - o, "firm_id,region,sex,turnover\n");
    for (int firm = 0; firm < 300; firm++) {
        const char *region = firm < 3 ? regions[3] : regions[firm % 3];
        const char *sex = firm % 2 ? "F" : "M";
        for (int row = 0; row < 1 + firm % 3; row++)
            o += (size_t)snprintf(s + o, cap - o, "F%03d,%s,%s,%d\n", firm, region, sex,
                                  100 + (firm * 37 + row * 11) % 400);
    }
    return s;
}

Test(protect, records_become_a_table_of_distinct_units_with_margins_and_are_protected)
{
    char path[64] = "/tmp/sdc-records-XXXXXX";
    int fd = mkstemp(path);
    char *records = make_records();
    cr_assert_eq(write(fd, records, strlen(records)), (ssize_t)strlen(records));
    close(fd);
    const char *by[] = {"region", "sex"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2, .value = "turnover", .unit = "firm_id"};
    sdc_status st = {0};
    sdc_table *t = sdc_aggregate_file(path, policy, &spec, &st);
    unlink(path);
    cr_assert_not_null(t, "%s", st.message);
    /* 5 regions incl. Total x 3 (F, M, Total) */
    cr_assert_eq(t->nrows, 15);
    long n = sdc_table_column(t, "n");
    cr_assert_eq(t->columns[n].role, SDC_COL_COUNT);
    char labels[64];
    bool saw_total = false, saw_scilly = false;
    for (size_t r = 0; r < t->nrows; r++) {
        sdc_table_row_labels(t, r, labels, sizeof labels);
        if (strcmp(labels, "Total / Total") == 0) {
            saw_total = true;
            cr_assert_eq(sdc_table_cell(t, r, (size_t)n)->number, 300, "distinct firms, not rows");
        }
        if (strcmp(labels, "Scilly / Total") == 0) {
            saw_scilly = true;
            cr_assert_eq(sdc_table_cell(t, r, (size_t)n)->number, 3);
        }
    }
    cr_assert(saw_total);
    cr_assert(saw_scilly);
    cr_assert_eq(t->columns[sdc_table_column(t, "turnover")].largest[0],
                 sdc_table_column(t, "turnover_max1"));

    sdc_id_scanner *s = sdc_id_scanner_new(policy, NULL);
    sdc_protect_result res;
    cr_assert_eq(sdc_table_protect(t, policy, s, &res), 0);
    cr_assert(res.primary >= 1, "the Scilly cells are suppressed");
    cr_assert(res.protected_ok);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    sdc_table_write_csv(t, ',', m);
    fclose(m);
    sdc_findings f = check_csv(text, policy);
    cr_assert_eq(count_rule(&f, "threshold") + count_rule(&f, "secondary-recoverable") +
                     count_rule(&f, "nk-rule") + count_rule(&f, "p-ratio"),
                 0, "the protected table re-checks clean:\n%s", text);
    sdc_findings_free(&f);
    free(text);
    free(records);
    sdc_id_scanner_free(s);
    sdc_table_free(t);
}

Test(protect, labels_too_long_to_key_are_an_error_not_a_merge)
{
    char path[64] = "/tmp/sdc-long-XXXXXX";
    int fd = mkstemp(path);
    char line[3100];
    memset(line, 'x', 3000);
    line[3000] = '\0';
    dprintf(fd, "id,region\n1,%sA\n2,%sB\n", line, line);
    close(fd);
    const char *by[] = {"region"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1};
    sdc_status st = {0};
    sdc_table *t = sdc_aggregate_file(path, policy, &spec, &st);
    unlink(path);
    cr_assert_null(t, "two different regions must not become one cell");
    cr_assert_eq(st.code, SDC_EINVAL);
    cr_assert(strstr(st.message, "longer than"), "%s", st.message);
}

/* Protection levels (protection_lower/_upper): the hidden small cell must be
 * able to move that share of its value each way, which a 2x2 block inside
 * published row totals cannot give it. */
Test(protect, protection_levels_ask_more_of_a_sensitive_cell_and_are_met_or_reported)
{
    static const char csv[] = "region,A,B,C,Total\nN,4,50,52,106\nS,60,70,75,205\n"
                              "E,80,90,95,265\nTotal,144,210,222,576\n";
    sdc_protect_result plain, levelled;
    char *text = NULL;
    sdc_findings f = protect_and_recheck(csv, &plain, &text);
    cr_assert(plain.protected_ok);
    sdc_findings_free(&f);
    free(text);

    /* N/A = 4 must reach 4 - 4 = 0 and 4 + 4 * 20 = 84. */
    policy->protection_lower = 1.0;
    policy->protection_upper = 20.0;
    text = NULL;
    f = protect_and_recheck(csv, &levelled, &text);
    sdc_findings_free(&f);
    cr_assert_gt(levelled.secondary, plain.secondary,
                 "the levels need more complements (%zu vs %zu):\n%s", levelled.secondary,
                 plain.secondary, text);
    /* It says protected, and the exact interval of N/A says so too. */
    cr_assert(levelled.protected_ok, "%s", text);
    sdc_findings g = {0};
    sdc_table *t = layout_csv(text, policy, &g);
    sdc_audit a = {0};
    cr_assert_eq(sdc_audit_table(t, policy, 30, 0, &a), 0);
    bool found = false;
    for (size_t i = 0; i < a.count; i++)
        if (a.cells[i].row == 0 && strcmp(t->columns[a.cells[i].col].name, "A") == 0) {
            found = true;
            cr_assert_geq(a.cells[i].hi, 84 - 1e-9, "hi %g:\n%s", a.cells[i].hi, text);
        }
    cr_assert(found);
    sdc_audit_free(&a);
    sdc_table_free(t);
    sdc_findings_free(&g);
    free(text);
}

/* The optimal mode models the levels (protect_optimal.c): it solves the
 * table itself, N/A reaches 0 and 84, and it hides no more cells than the
 * heuristic does for the same levels. */
Test(protect, optimal_mode_models_protection_levels_and_hides_no_more_than_the_heuristic)
{
    static const char csv[] = "region,A,B,C,Total\nN,4,50,52,106\nS,60,70,75,205\n"
                              "E,80,90,95,265\nTotal,144,210,222,576\n";
    policy->protection_lower = 1.0;
    policy->protection_upper = 20.0;
    sdc_id_scanner *s = sdc_id_scanner_new(policy, NULL);
    sdc_findings f = {0};
    sdc_table *a = layout_csv(csv, policy, &f), *b = layout_csv(csv, policy, &f);
    sdc_protect_result heuristic, optimal;
    cr_assert_eq(sdc_table_protect(a, policy, s, &heuristic), 0);
    cr_assert_eq(sdc_table_protect_mode(b, policy, s, SDC_SUPPRESS_OPTIMAL, 10, &optimal), 0);
    cr_assert_not(optimal.fell_back, "%s", optimal.note);
    cr_assert(optimal.optimal);
    cr_assert(optimal.protected_ok);
    cr_assert_eq(optimal.primary, heuristic.primary);
    cr_assert(heuristic.protected_ok);
    cr_assert_leq(optimal.secondary, heuristic.secondary);
    sdc_audit au = {0};
    cr_assert_eq(sdc_audit_table(b, policy, 30, 0, &au), 0);
    bool found = false;
    for (size_t i = 0; i < au.count; i++)
        if (au.cells[i].row == 0 && strcmp(b->columns[au.cells[i].col].name, "A") == 0) {
            found = true;
            cr_assert_leq(au.cells[i].lo, 0 + 1e-9);
            cr_assert_geq(au.cells[i].hi, 84 - 1e-9);
        }
    cr_assert(found);
    sdc_audit_free(&au);
    sdc_table_free(a);
    sdc_table_free(b);
    sdc_findings_free(&f);
    sdc_id_scanner_free(s);
}

/* Records: A x12, B x3, C x15. By region: A 12, B 3, C 15, Total 30. B fails
 * the threshold (3 < 10) and is alone in a line with a published total, so
 * one complement must hide with it: the smallest published part at least
 * the protection (10) wide is A (12). */
static char *records_file_with(char *dir, size_t size, bool income)
{
    cr_assert_not_null(temp_dir_make(dir, size, "records"));
    char text[1024];
    size_t o = (size_t)snprintf(text, sizeof text, "id,region%s\n", income ? ",income" : "");
    const struct {
        const char *region;
        int n;
    } groups[] = {{"A", 12}, {"B", 3}, {"C", 15}};
    int id = 1;
    for (size_t g = 0; g < 3; g++)
        for (int k = 0; k < groups[g].n; k++)
            o += (size_t)snprintf(text + o, sizeof text - o, "%d,%s%s\n", id++, groups[g].region,
                                  income ? ",1000" : "");
    char *path = put_file(dir, "records.csv", text);
    cr_assert_not_null(path);
    return path;
}

static char *records_file(char *dir, size_t size)
{
    return records_file_with(dir, size, false);
}

Test(protect, records_become_a_protected_table_through_one_library_call)
{
    char dir[64];
    char *path = records_file(dir, sizeof dir);
    const char *by[] = {"region"};
    sdc_protect_request req = {.by = by, .nby = 1, .mode = SDC_SUPPRESS_HEURISTIC};
    sdc_protect_outcome out;
    sdc_status st = {0};
    cr_assert_eq(sdc_protect_records(path, policy, &req, &out, &st), 0, "%s", st.message);
    cr_assert_eq(out.table->nrows, 4, "three regions and the total");
    cr_assert_eq(out.result.primary, 1);
    cr_assert_eq(out.result.secondary, 1);
    cr_assert(out.result.protected_ok);
    cr_assert_eq(out.rounding_base, 0, "not rounded");
    size_t hidden = 0;
    for (size_t r = 0; r < out.table->nrows; r++) {
        const sdc_cell *c = sdc_table_cell(out.table, r, 1);
        if (c->kind == SDC_CELL_SUPPRESSED) {
            hidden++;
            const char *label = sdc_table_cell(out.table, r, 0)->text;
            cr_assert(strcmp(label, "A") == 0 || strcmp(label, "B") == 0, "hidden: %s", label);
        }
    }
    cr_assert_eq(hidden, 2);
    sdc_table_free(out.table);

    /* Rounding to base 5 first: A 12 -> 10 and B 3 -> 5 change; C 15 and
     * the total 30 stay. */
    req.round_counts = true;
    cr_assert_eq(sdc_protect_records(path, policy, &req, &out, &st), 0, "%s", st.message);
    cr_assert_eq(out.rounding_base, 5);
    cr_assert_eq(out.rounded, 2);
    sdc_table_free(out.table);

    const char *nope[] = {"nope"};
    req.by = nope;
    cr_assert_eq(sdc_protect_records(path, policy, &req, &out, &st), SDC_EINVAL);
    cr_assert_eq(st.code, SDC_EINVAL, "a column that is not there is a bad argument");
    cr_assert_not_null(strstr(st.message, "nope"), "%s", st.message);
    cr_assert_null(out.table);

    /* the same column twice: a table crossed with itself */
    const char *twice[] = {"region", "region"};
    req.by = twice;
    req.nby = 2;
    cr_assert_eq(sdc_protect_records(path, policy, &req, &out, &st), SDC_EINVAL);
    cr_assert_str_eq(st.message, "--by names 'region' twice");
    cr_assert_null(out.table);
    free(path);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

/*
 * Distinct units add up only when each unit is in one category of each
 * line. Records (unit, region, sex): u1 North M, u1 South M, u2 North F,
 * u3 South F. By hand: North M 1, South M 1, but Total M 1 (u1 once)
 * where its parts sum to 2; North F 1, South F 1, Total F 2; North Total 2
 * (u1, u2) = M 1 + F 1; South Total 2 = 1 + 1; Total Total 3 (u1, u2, u3),
 * which is Total M 1 + Total F 2 along sex but not North 2 + South 2 along
 * region. So two lines do not add up, and the first along region (sex F,
 * then M, then Total) is the one of Total M. The same units each in one
 * region (u1's South record moved to u4) add up everywhere.
 */
Test(protect, unit_counts_that_do_not_add_up_are_said_and_found_by_check)
{
    char dir[64];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "units"));
    char *path = put_file(dir, "records.csv",
                          "unit,region,sex\nu1,North,M\nu1,South,M\nu2,North,F\nu3,South,F\n");
    const char *by[] = {"region", "sex"};
    sdc_protect_request req = {.by = by, .nby = 2, .unit = "unit", .mode = SDC_SUPPRESS_HEURISTIC};
    sdc_protect_outcome out;
    sdc_status st = {0};
    policy->threshold = 1; /* every cell published: check adds up every line */
    cr_assert_eq(sdc_protect_records(path, policy, &req, &out, &st), 0, "%s", st.message);
    cr_assert_eq(out.result.primary + out.result.secondary, 0);
    cr_assert_eq(out.unit_lines, 2, "%s", out.unit_lines_note);
    cr_assert_not_null(strstr(out.unit_lines_note, "on 2 lines (first: Total / M counts 1 where "
                                                   "its 2 parts sum to 2)"),
                       "%s", out.unit_lines_note);
    /* check, which does not know the units, finds the same two totals */
    char *text = sdc_test_table_text(out.table);
    out.table = NULL; /* freed with its text */
    sdc_protect_outcome_free(&out);
    sdc_findings f = check_csv(text, policy);
    cr_assert_eq(count_rule(&f, "totals-mismatch"), 2, "%s", text);
    sdc_findings_free(&f);
    free(text);
    free(path);

    path = put_file(dir, "records.csv",
                    "unit,region,sex\nu1,North,M\nu4,South,M\nu2,North,F\nu3,South,F\n");
    cr_assert_eq(sdc_protect_records(path, policy, &req, &out, &st), 0, "%s", st.message);
    cr_assert_eq(out.unit_lines, 0, "%s", out.unit_lines_note);
    cr_assert_str_eq(out.unit_lines_note, "");
    sdc_protect_outcome_free(&out);
    free(path);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

/*
 * Suppressions are counted from the pattern, however they came to be
 * hidden. Records: A 12 people, B 3, C 15, each with an income of 1,000;
 * the table has n and income (n its contributor count). B fails the
 * threshold, so B n and B income are hidden by the primary rules. Region
 * is one line: B n alone gives itself away, and the cheapest complement
 * at least 10 is A n (12 against C's 15); a count hidden hides the
 * magnitude it counts, so A income (12,000) goes too, which is the second
 * hidden income the line needs (B income then lies anywhere from 0 to
 * 15,000). Two complements holding 12 + 12,000, though the rounds chose
 * one cell.
 */
Test(protect, a_magnitude_hidden_with_its_contributor_count_is_counted_with_it)
{
    char dir[64];
    char *path = records_file_with(dir, sizeof dir, true);
    const char *by[] = {"region"};
    sdc_protect_request req = {
        .by = by, .nby = 1, .value = "income", .mode = SDC_SUPPRESS_HEURISTIC};
    sdc_protect_outcome out;
    sdc_status st = {0};
    cr_assert_eq(sdc_protect_records(path, policy, &req, &out, &st), 0, "%s", st.message);
    cr_assert(out.result.protected_ok);
    cr_assert_eq(out.result.primary, 2, "B n and B income");
    cr_assert_eq(out.result.secondary, 2);
    cr_assert_float_eq(out.result.secondary_value, 12012, 1e-9);
    long n = sdc_table_column(out.table, "n"), income = sdc_table_column(out.table, "income");
    cr_assert(n >= 0 && income >= 0);
    for (size_t r = 0; r < out.table->nrows; r++) {
        const char *label = sdc_table_cell(out.table, r, 0)->text;
        bool hide = strcmp(label, "A") == 0 || strcmp(label, "B") == 0;
        cr_assert_eq(sdc_table_cell(out.table, r, (size_t)n)->kind == SDC_CELL_SUPPRESSED, hide,
                     "n of %s", label);
        cr_assert_eq(sdc_table_cell(out.table, r, (size_t)income)->kind == SDC_CELL_SUPPRESSED,
                     hide, "income of %s", label);
    }
    sdc_table_free(out.table);
    free(path);
    cr_assert_eq(temp_dir_remove(dir), 0);
}
