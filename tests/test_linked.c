/* test_linked.c - tables of one submission audited together (doc/design.md, "Linked tables"). */
#include <criterion/criterion.h>
#include <stdio.h>

#include "helpers.h"

static sdc_policy *policy;
static sdc_checker *checker;
static char dir[64];

static void setup(void)
{
    policy = sdc_policy_default();
    checker = sdc_checker_new(policy, NULL);
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "linked"));
}

static void teardown(void)
{
    sdc_checker_free(checker);
    sdc_policy_free(policy);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

TestSuite(linked, .init = setup, .fini = teardown);

static void put(const char *name, const char *text)
{
    char *path = put_file(dir, name, text);
    cr_assert_not_null(path, "cannot write %s", name);
    free(path);
}

/* Checks the folder; returns the result of the file named NAME. */
static const sdc_file_result *check_dir(sdc_report *rep, const char *name)
{
    const char *paths[] = {dir};
    cr_assert_eq(sdc_check_paths(checker, paths, 1, 1, rep, NULL), 0);
    for (size_t i = 0; i < rep->file_count; i++) {
        const char *slash = strrchr(rep->files[i].path, '/');
        if (strcmp(slash ? slash + 1 : rep->files[i].path, name) == 0)
            return &rep->files[i];
    }
    cr_assert_fail("%s not in the report", name);
    return NULL;
}

/* Region by sex with North's row hidden: safe alone (no column totals). */
static const char by_region[] = "region,M,F,Total\nNorth,c,c,40\nSouth,18,27,45\nEast,30,32,62\n";
/* The sex totals, published in a second table: M = 60 gives North's M back. */
static const char by_sex[] = "sex,n\nM,60\nF,87\nTotal,147\n";

Test(linked, a_cell_safe_in_its_own_table_is_recovered_through_a_second_table)
{
    put("by_region.csv", by_region);
    sdc_report alone = {0};
    const sdc_file_result *r = check_dir(&alone, "by_region.csv");
    cr_assert_eq(count_rule(&r->findings, "secondary-recoverable"), 0, "alone it is protected");
    cr_assert_eq(r->verdict, SDC_PASS);
    sdc_report_free(&alone);

    put("by_sex.csv", by_sex);
    sdc_report rep = {0};
    r = check_dir(&rep, "by_region.csv");
    cr_assert_eq(count_rule(&r->findings, "secondary-recoverable"), 2);
    const sdc_finding *f = find_rule(&r->findings, "secondary-recoverable");
    cr_assert_eq(f->line, 2);
    cr_assert(strstr(f->message, "by_sex.csv"), "%s", f->message);
    cr_assert(strstr(f->message, "it is 28") || strstr(f->message, "it is 12"), "%s", f->message);
    cr_assert_eq(r->verdict, SDC_FAIL);
    const sdc_finding *note = find_rule(&r->findings, "linked-tables");
    cr_assert_not_null(note);
    cr_assert_eq(note->verdict, SDC_PASS);
    cr_assert(strstr(note->message, "by_sex.csv"), "%s", note->message);
    sdc_report_free(&rep);
}

Test(linked, the_same_tables_protected_together_pass)
{
    /* North and South both hidden in M and F: the sex totals leave one free
     * parameter of 0..30 (North's M), wide enough. */
    put("by_region.csv", "region,M,F,Total\nNorth,c,c,40\nSouth,c,c,45\nEast,30,32,62\n");
    put("by_sex.csv", by_sex);
    sdc_report rep = {0};
    const sdc_file_result *r = check_dir(&rep, "by_region.csv");
    cr_assert_eq(count_rule(&r->findings, "secondary-recoverable"), 0);
    cr_assert_eq(count_rule(&r->findings, "secondary-narrow"), 0);
    cr_assert_not_null(find_rule(&r->findings, "linked-tables"));
    cr_assert_eq(r->verdict, SDC_PASS);
    sdc_report_free(&rep);
}

Test(linked, a_cell_hidden_in_one_table_and_published_in_another_is_named_with_both)
{
    put("by_region.csv", "region,M,F,Total\nNorth,c,c,40\nSouth,c,c,45\nEast,30,32,62\n");
    put("detail.csv", "region,sex,n\nNorth,M,12\nNorth,F,28\n");
    sdc_report rep = {0};
    const sdc_file_result *r = check_dir(&rep, "by_region.csv");
    const sdc_finding *f = find_rule(&r->findings, "secondary-recoverable");
    cr_assert_not_null(f);
    cr_assert(strstr(f->message, "published in the linked table"), "%s", f->message);
    cr_assert(strstr(f->message, "detail.csv at line"), "%s", f->message);
    cr_assert_eq(r->verdict, SDC_FAIL);
    sdc_report_free(&rep);
}

Test(linked, tables_of_different_people_are_not_linked)
{
    /* Same dimensions, but the published cells they share differ. */
    put("by_region.csv", by_region);
    put("births.csv", "region,sex,n\nSouth,M,50\nSouth,F,61\nNorth,M,70\n");
    sdc_report rep = {0};
    const sdc_file_result *r = check_dir(&rep, "by_region.csv");
    cr_assert_null(find_rule(&r->findings, "linked-tables"));
    cr_assert_eq(count_rule(&r->findings, "secondary-recoverable"), 0);
    cr_assert_eq(r->verdict, SDC_PASS);
    sdc_report_free(&rep);
}

Test(linked, totals_no_values_can_fit_mean_different_people_and_nothing_is_reported)
{
    put("by_region.csv", by_region);
    put("by_sex.csv", "sex,n\nM,10\nF,10\nTotal,20\n");
    sdc_report rep = {0};
    const sdc_file_result *r = check_dir(&rep, "by_region.csv");
    cr_assert_null(find_rule(&r->findings, "linked-tables"));
    cr_assert_eq(r->verdict, SDC_PASS);
    sdc_report_free(&rep);
}

/* Two linked tables from one random population: region x sex (wide, with
 * totals) and region x age (long, with margins), both sharing the region
 * totals. Protected together, written, and checked as a submission: no
 * table may give a cell away, alone or with the other. */
Test(linked, tables_protected_together_recheck_clean_together)
{
    unsigned seed = 7;
    size_t complements = 0;
    for (int trial = 0; trial < 20; trial++) {
        int v[4][2][3]; /* region, sex, age */
        for (int r = 0; r < 4; r++)
            for (int s = 0; s < 2; s++)
                for (int a = 0; a < 3; a++) {
                    seed = seed * 1103515245u + 12345u;
                    int x = (int)((seed >> 16) % 100);
                    v[r][s][a] = x < 20 ? x % 5 : 5 + x / 2;
                }
        char a_csv[1024], b_csv[2048];
        size_t o = (size_t)snprintf(a_csv, sizeof a_csv, "region,M,F,Total\n");
        int col[2] = {0, 0}, all = 0;
        for (int r = 0; r < 4; r++) {
            int m = v[r][0][0] + v[r][0][1] + v[r][0][2], f = v[r][1][0] + v[r][1][1] + v[r][1][2];
            o += (size_t)snprintf(a_csv + o, sizeof a_csv - o, "R%d,%d,%d,%d\n", r, m, f, m + f);
            col[0] += m;
            col[1] += f;
        }
        all = col[0] + col[1];
        snprintf(a_csv + o, sizeof a_csv - o, "Total,%d,%d,%d\n", col[0], col[1], all);
        o = (size_t)snprintf(b_csv, sizeof b_csv, "region,age,n\n");
        int age[3] = {0, 0, 0};
        for (int r = 0; r < 4; r++) {
            int rt = 0;
            for (int a = 0; a < 3; a++) {
                int n = v[r][0][a] + v[r][1][a];
                rt += n;
                age[a] += n;
                o += (size_t)snprintf(b_csv + o, sizeof b_csv - o, "R%d,A%d,%d\n", r, a, n);
            }
            o += (size_t)snprintf(b_csv + o, sizeof b_csv - o, "R%d,Total,%d\n", r, rt);
        }
        for (int a = 0; a < 3; a++)
            o += (size_t)snprintf(b_csv + o, sizeof b_csv - o, "Total,A%d,%d\n", a, age[a]);
        snprintf(b_csv + o, sizeof b_csv - o, "Total,Total,%d\n", all);

        char *pa = put_file(dir, "a.csv", a_csv), *pb = put_file(dir, "b.csv", b_csv);
        const char *paths[] = {pa, pb};
        sdc_file_result given[2];
        for (int k = 0; k < 2; k++)
            cr_assert_eq(sdc_check_file(checker, paths[k], NULL, &given[k]), 0);
        /* The tables as they were read when checked. */
        sdc_linked_table tables[2];
        for (int k = 0; k < 2; k++) {
            cr_assert_not_null(given[k].table, "a small CSV keeps the table it was read into");
            tables[k] =
                (sdc_linked_table){given[k].path, given[k].table, &given[k].findings, false};
        }
        sdc_linked_fix fix[2];
        sdc_id_scanner *scanner = sdc_id_scanner_new(policy, NULL);
        cr_assert_eq(sdc_protect_linked(tables, 2, policy, scanner, SDC_SUPPRESS_HEURISTIC, fix),
                     0);
        sdc_id_scanner_free(scanner);
        for (int k = 0; k < 2; k++)
            given[k].table = tables[k].table; /* NULL: handed over to FIX */
        cr_assert_not_null(fix[0].table, "trial %d: the tables are linked", trial);
        cr_assert_not_null(fix[1].table, "trial %d", trial);
        for (int k = 0; k < 2; k++) {
            complements += fix[k].result.secondary;
            FILE *fp = fopen(paths[k], "w");
            cr_assert_eq(sdc_table_write_csv(fix[k].table, ',', fp), 0);
            fclose(fp);
            sdc_table_free(fix[k].table);
            sdc_file_result_free(&given[k]);
        }
        sdc_report rep = {0};
        const char *d[] = {dir};
        cr_assert_eq(sdc_check_paths(checker, d, 1, 1, &rep, NULL), 0);
        for (size_t i = 0; i < rep.file_count; i++) {
            const sdc_findings *f = &rep.files[i].findings;
            cr_assert_eq(count_rule(f, "threshold"), 0, "trial %d %s", trial, rep.files[i].path);
            cr_assert_eq(count_rule(f, "secondary-recoverable"), 0, "trial %d %s", trial,
                         rep.files[i].path);
            cr_assert_eq(count_rule(f, "secondary-narrow"), 0, "trial %d %s", trial,
                         rep.files[i].path);
        }
        sdc_report_free(&rep);
        free(pa);
        free(pb);
    }
    cr_assert_gt(complements, 20, "the trials needed complements (%zu)", complements);
}

Test(linked, tables_are_linked_as_they_were_read_not_as_they_are_on_disk_later)
{
    /* The first read is what was hashed, so it is what is audited: a table
     * changed on disk after its check must not change the linked audit. */
    char *pa = put_file(dir, "by_region.csv", by_region);
    char *pb = put_file(dir, "by_sex.csv", by_sex);
    cr_assert(pa && pb);
    sdc_file_result given[2];
    cr_assert_eq(sdc_check_file(checker, pa, NULL, &given[0]), 0);
    cr_assert_eq(sdc_check_file(checker, pb, NULL, &given[1]), 0);
    cr_assert_not_null(given[0].table, "a small CSV keeps the table it was read into");
    cr_assert_not_null(given[1].table);
    /* By region now hides nothing and by sex publishes other totals: read
     * again, nothing would be recovered. */
    put("by_region.csv", "region,M,F,Total\nNorth,13,27,40\n");
    put("by_sex.csv", "sex,n\nM,1\nF,2\nTotal,3\n");
    sdc_file_result *files[] = {&given[0], &given[1]};
    cr_assert_eq(sdc_check_linked(checker, files, 2), 0);
    cr_assert_eq(count_rule(&given[0].findings, "secondary-recoverable"), 2,
                 "North's M and F come back from the tables as checked");
    cr_assert_eq(given[0].verdict, SDC_FAIL, "the verdict is derived again");
    sdc_file_result_free(&given[0]);
    sdc_file_result_free(&given[1]);
    free(pa);
    free(pb);
}

Test(linked, a_checked_folder_drops_its_tables_once_linked_unless_kept_for_fix)
{
    put("by_region.csv", by_region);
    put("by_sex.csv", by_sex);
    sdc_report rep = {0};
    const sdc_file_result *r = check_dir(&rep, "by_region.csv");
    cr_assert_null(r->table, "tables are freed once linked");
    sdc_report_free(&rep);
    sdc_checker_keep_tables(checker, true);
    r = check_dir(&rep, "by_region.csv");
    cr_assert_not_null(r->table, "kept for --fix");
    cr_assert_eq(r->table->nrows, 3);
    sdc_report_free(&rep);
}

Test(linked, fix_refuses_a_table_that_changed_after_it_was_checked)
{
    /* Without kept tables --fix reads a table again; a file that is no
     * longer the one checked (its SHA-256 differs) is not fixed. */
    put("small.csv", "region,n\nNorth,3\nSouth,40\nTotal,43\n");
    sdc_report rep = {0};
    const sdc_file_result *r = check_dir(&rep, "small.csv");
    cr_assert_eq(r->verdict, SDC_FAIL);
    put("small.csv", "region,n\nNorth,30\nSouth,40\nTotal,70\n");
    char out[96];
    sdc_status st = {0};
    snprintf(out, sizeof out, "%s/safe", dir);
    sdc_fix_log log;
    cr_assert_eq(sdc_report_fix(checker, &rep, out, SDC_SUPPRESS_HEURISTIC, &log, &st), 0);
    cr_assert_eq(st.code, SDC_OK);
    cr_assert_eq(log.count, 1);
    cr_assert_null(log.items[0].output, "no copy of a changed file");
    cr_assert_str_eq(log.items[0].problem, "the file changed after it was checked");
    sdc_fix_log_free(&log);
    sdc_report_free(&rep);
}

Test(linked, fix_writes_a_copy_of_a_kept_table_and_checks_it)
{
    put("small.csv", "region,n\nNorth,3\nSouth,40\nEast,50\nTotal,93\n");
    sdc_checker_keep_tables(checker, true);
    sdc_report rep = {0};
    check_dir(&rep, "small.csv");
    /* Changed on disk after the check: the kept table is what is fixed. */
    put("small.csv", "region,n\nNorth,30\nSouth,40\nEast,50\nTotal,120\n");
    char out[96];
    sdc_status st = {0};
    snprintf(out, sizeof out, "%s/safe", dir);
    sdc_fix_log log;
    cr_assert_eq(sdc_report_fix(checker, &rep, out, SDC_SUPPRESS_HEURISTIC, &log, &st), 0);
    cr_assert_eq(log.count, 1);
    cr_assert_not_null(log.items[0].output);
    /* North (3) fails the threshold; with the total published, one
     * complement at least must hide with it. */
    cr_assert_eq(log.items[0].result.primary, 1);
    cr_assert_geq(log.items[0].result.secondary, 1);
    cr_assert(log.items[0].result.protected_ok);
    cr_assert_eq(rep.file_count, 2, "the copy's result is added to the report");
    cr_assert_str_eq(rep.files[1].path, log.items[0].output);
    cr_assert_eq(rep.files[1].verdict, SDC_PASS, "the copy passes");
    sdc_fix_log_free(&log);
    sdc_report_free(&rep);
}
