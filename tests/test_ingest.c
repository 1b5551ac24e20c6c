/*
 * test_ingest.c - `sdccheck ingest`: what may come into the environment
 * (sdccheck(1), INGEST), run with the real binary on testdata/ingest/ (made
 * by testdata/make-ingest.py, which says what each file holds) and on the
 * artefacts of testdata/artefacts/.
 *
 * Every run writes the CSV report (sdccheck-report(5), CSV: one line a
 * finding, "path,sha256,file_verdict,rule,verdict,line,row,column,value,
 * limit,message,advice"), and the assertions look for the lines the
 * files' contents call for, worked out by hand:
 *   - survey.csv has the variables age, sex, region, income and
 *     blood_pressure (header on line 1); approved.txt approves AGE,
 *     "  Sex  ", Region, income and ethnicity (blank and '#' lines
 *     between): only blood_pressure is unapproved, and only ethnicity is
 *     approved but absent. approved_all.csv (header "variable,description")
 *     approves all five in other letter cases.
 *   - patients.csv: nhs_number holds 9434765919, 4010232137 and
 *     9876543210, each with a valid modulus-11 check digit (weights 10..2:
 *     299 mod 11 = 2, check 11 - 2 = 9; 92 mod 11 = 4, check 7; 330 mod
 *     11 = 0, check 0), postcode holds SW1A 1AA, M1 1AE and B33 8TH, age
 *     two-digit numbers: two notes, none for age.
 *   - clinic.dta (Stata 118, pandas) has age, sex and bmi: bmi is
 *     unapproved.
 *   - delivery.zip holds delivery/survey.csv and delivery/model.pkl (a
 *     pickled scikit-learn model).
 *   - small_counts.csv has a count of 3, below the default threshold of 10.
 *   - survey.xlsx is survey.csv as a workbook, sheet "Survey".
 *   - testdata/ods/people.ods (make-ods.py) is people.csv, whose variables
 *     are person_id, sex, age, region, date_of_birth and income
 *     (make-artefacts.py, people_frame); r_people.sav and r_people.sas7bdat
 *     (make-artefacts.R, haven) have person_id, sex, age, region and
 *     income.
 */
#include <criterion/criterion.h>

#include "helpers.h"

#define DIR "testdata/ingest/"

typedef struct run {
    int status; /* exit status, -1 when it did not exit */
    char *out;  /* standard output (the CSV report), NUL-terminated */
} run;

/* Runs the binary with ARGS (NULL-terminated), standard error dropped. */
static run run_args(const char *const *args)
{
    char out[] = "/tmp/sdc-ingest-XXXXXX";
    int fd = mkstemp(out);
    cr_assert(fd >= 0);
    const char *argv[32];
    sdc_test_argv(argv, args);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd, STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    run r = {.status = -1};
    int st = 0;
    if (posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) == 0 &&
        waitpid(pid, &st, 0) == pid && WIFEXITED(st))
        r.status = WEXITSTATUS(st);
    posix_spawn_file_actions_destroy(&fa);
    close(fd);
    r.out = sdc_test_slurp(out);
    cr_assert_not_null(r.out);
    unlink(out);
    return r;
}

#define INGEST(...) run_args((const char *const[]){"ingest", "-f", "csv", __VA_ARGS__, NULL})

/* The report's lines that begin with PATH followed by a comma and hold
 * every one of the NULL-terminated NEEDLES. */
static size_t lines_with(const char *report, const char *path, const char *const *needles)
{
    size_t count = 0, plen = strlen(path);
    for (const char *line = report; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char *copy = strndup(line, len);
        cr_assert_not_null(copy);
        bool all = strncmp(copy, path, plen) == 0 && copy[plen] == ',';
        for (size_t i = 0; all && needles[i]; i++)
            all = strstr(copy, needles[i]) != NULL;
        count += all;
        free(copy);
        line = end ? end + 1 : line + len;
    }
    return count;
}

#define LINES(report, path, ...) lines_with(report, path, (const char *const[]){__VA_ARGS__, NULL})

Test(ingest, a_pickle_fails_as_a_model_brought_in)
{
    const char *pkl = "testdata/artefacts/models/sklearn_logreg_p2.pkl";
    run r = INGEST(pkl);
    cr_expect_eq(r.status, 1);
    cr_expect_eq(LINES(r.out, pkl, ",fail,ingest-model,fail,"), 1, "%s", r.out);
    cr_expect_eq(LINES(r.out, pkl, ",model-file,"), 0, "%s", r.out);
    free(r.out);
}

Test(ingest, a_model_inside_a_zip_fails_and_so_does_the_zip)
{
    run r = INGEST(DIR "delivery.zip");
    cr_expect_eq(r.status, 1);
    cr_expect_eq(LINES(r.out, DIR "delivery.zip!delivery/model.pkl", ",fail,ingest-model,fail,"), 1,
                 "%s", r.out);
    cr_expect_eq(
        LINES(r.out, DIR "delivery.zip", ",fail,ingest-model,fail,", "member 'delivery/model.pkl'"),
        1, "%s", r.out);
    /* the survey beside it is data, allowed in */
    cr_expect_eq(LINES(r.out, DIR "delivery.zip!delivery/survey.csv", ",pass,"), 1, "%s", r.out);
    free(r.out);
}

Test(ingest, a_column_not_approved_fails_naming_the_file_and_column)
{
    run r = INGEST("--variables", DIR "approved.txt", DIR "survey.csv");
    cr_expect_eq(r.status, 1);
    /* line 1 (the header), no row, column blood_pressure */
    cr_expect_eq(
        LINES(r.out, DIR "survey.csv", ",fail,unapproved-variable,fail,1,,blood_pressure,"), 1,
        "%s", r.out);
    /* age, sex, region and income are approved, whatever their case */
    cr_expect_eq(LINES(r.out, DIR "survey.csv", ",unapproved-variable,"), 1, "%s", r.out);
    free(r.out);
}

Test(ingest, every_column_approved_in_another_case_passes)
{
    run r = INGEST("--variables", DIR "approved_all.csv", DIR "survey.csv");
    cr_expect_eq(r.status, 0, "%s", r.out);
    cr_expect_eq(LINES(r.out, DIR "survey.csv", ",pass,"), 1, "%s", r.out);
    cr_expect_null(strstr(r.out, "unapproved-variable"), "%s", r.out);
    /* the header row of the CSV list is no variable: nothing is absent */
    cr_expect_null(strstr(r.out, "approved-variable-absent"), "%s", r.out);
    free(r.out);
}

Test(ingest, an_approved_variable_absent_is_noted_once_per_run)
{
    run r = INGEST("--variables", DIR "approved.txt", DIR "survey.csv", DIR "delivery.zip");
    cr_expect_eq(r.status, 1);
    /* one note, on the list's own line, however many files lack it */
    cr_expect_eq(
        LINES(r.out, DIR "approved.txt", ",pass,approved-variable-absent,pass,", ",ethnicity,"), 1,
        "%s", r.out);
    size_t absent = 0;
    for (const char *s = r.out; (s = strstr(s, "approved-variable-absent")); s++)
        absent++;
    cr_expect_eq(absent, 1, "%s", r.out);
    free(r.out);
}

Test(ingest, the_approved_list_is_reported_with_its_sha256)
{
    run r = INGEST("--variables", DIR "approved.txt", DIR "survey.csv");
    char hex[65];
    cr_assert_eq(sha256sum_of(DIR "approved.txt", hex), 0);
    char want[80];
    snprintf(want, sizeof want, ",%s,", hex);
    cr_expect_eq(LINES(r.out, DIR "approved.txt", want), 1, "%s", r.out);
    free(r.out);
}

Test(ingest, direct_identifiers_are_notes_a_column_each)
{
    run r = INGEST(DIR "patients.csv");
    cr_expect_eq(r.status, 0, "%s", r.out);
    cr_expect_eq(LINES(r.out, DIR "patients.csv", ",pass,direct-identifier,pass,2,,nhs_number,",
                       "(NHS number): 3 of the 3 cells read"),
                 1, "%s", r.out);
    cr_expect_eq(LINES(r.out, DIR "patients.csv", ",pass,direct-identifier,pass,2,,postcode,",
                       "(postcode): 3 of the 3 cells read"),
                 1, "%s", r.out);
    cr_expect_eq(LINES(r.out, DIR "patients.csv", ",age,"), 0, "%s", r.out);
    /* a masked value, never the identifier itself */
    cr_expect_null(strstr(r.out, "9434765919"), "%s", r.out);
    free(r.out);
}

Test(ingest, a_stata_files_variables_are_compared_with_the_list)
{
    run r = INGEST("--variables", DIR "approved.txt", DIR "clinic.dta");
    cr_expect_eq(r.status, 1);
    cr_expect_eq(LINES(r.out, DIR "clinic.dta", ",fail,unapproved-variable,fail,", ",bmi,"), 1,
                 "%s", r.out);
    cr_expect_eq(LINES(r.out, DIR "clinic.dta", ",unapproved-variable,"), 1, "%s", r.out);
    free(r.out);
}

Test(ingest, data_files_are_allowed_in)
{
    const char *dta = "testdata/artefacts/data/people_pandas.dta";
    const char *csv = "testdata/artefacts/data/people.csv";
    run out = run_args((const char *const[]){"check", "-f", "csv", dta, csv, NULL});
    cr_expect_eq(out.status, 1, "check refuses them going out: %s", out.out);
    run in = INGEST(dta, csv);
    cr_expect_eq(in.status, 0, "%s", in.out);
    cr_expect_null(strstr(in.out, "data-file"), "%s", in.out);
    cr_expect_null(strstr(in.out, "microdata"), "%s", in.out);
    free(out.out);
    free(in.out);
}

Test(ingest, table_rules_do_not_apply_to_data_coming_in)
{
    run out = run_args((const char *const[]){"check", "-f", "csv", DIR "small_counts.csv", NULL});
    cr_expect_eq(out.status, 1);
    cr_expect_eq(LINES(out.out, DIR "small_counts.csv", ",threshold,fail,2,North,count,3,"), 1,
                 "%s", out.out);
    run in = INGEST(DIR "small_counts.csv");
    cr_expect_eq(in.status, 0, "%s", in.out);
    cr_expect_null(strstr(in.out, "threshold"), "%s", in.out);
    free(out.out);
    free(in.out);
}

Test(ingest, a_data_file_whose_variables_cannot_be_read_needs_review)
{
    const char *pq = "testdata/artefacts/data/people.parquet";
    run r = INGEST("--variables", DIR "approved.txt", pq);
    cr_expect_eq(r.status, 3, "%s", r.out);
    cr_expect_eq(LINES(r.out, pq, ",review,needs-review,review,", "cannot read its variables"), 1,
                 "%s", r.out);
    free(r.out);
    /* without a list there is nothing to compare: allowed in */
    run plain = INGEST(pq);
    cr_expect_eq(plain.status, 0, "%s", plain.out);
    free(plain.out);
}

Test(ingest, a_variables_file_that_cannot_be_read_is_status_2)
{
    char dir[64];
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "ingest"));
    char gone[128];
    snprintf(gone, sizeof gone, "%s/no-such-list.txt", dir);
    run r = INGEST("--variables", gone, DIR "survey.csv");
    cr_expect_eq(r.status, 2);
    cr_expect_eq(r.out[0], '\0', "no report: %s", r.out);
    free(r.out);
    /* only comments and blank lines: it names no variable */
    char *empty = put_file(dir, "empty.txt", "# nothing approved yet\n\n");
    r = INGEST("--variables", empty, DIR "survey.csv");
    cr_expect_eq(r.status, 2);
    free(r.out);
    /* a binary file is not a list */
    char bin[128];
    snprintf(bin, sizeof bin, "%s/list.bin", dir);
    FILE *f = fopen(bin, "wb");
    cr_assert_not_null(f);
    fwrite("age\n\0\1sex\n", 1, 10, f);
    fclose(f);
    r = INGEST("--variables", bin, DIR "survey.csv");
    cr_expect_eq(r.status, 2);
    free(r.out);
    free(empty);
    temp_dir_remove(dir);
}

Test(ingest, variables_is_refused_outside_ingest)
{
    run r = run_args(
        (const char *const[]){"check", "--variables", DIR "approved.txt", DIR "survey.csv", NULL});
    cr_expect_eq(r.status, 2);
    free(r.out);
}

/* The JSON report of an ingest run, read by a real JSON parser (Debian's
 * python3): the unapproved variable, the absent one on the list's own
 * entry with its format, and the run's verdict. */
Test(ingest, the_json_report_holds_the_ingest_findings)
{
    SDC_TEST_NEED_TOOL("/usr/bin/python3", "python3");
    char out[] = "/tmp/sdc-ingest-json-XXXXXX";
    int fd = mkstemp(out);
    cr_assert(fd >= 0);
    close(fd);
    run r = run_args((const char *const[]){"ingest", "-q", "-f", "json", "-o", out, "--variables",
                                           DIR "approved.txt", DIR "survey.csv", NULL});
    cr_expect_eq(r.status, 1);
    free(r.out);
    static const char script[] =
        "import json, sys\n"
        "d = json.load(open(sys.argv[1]))\n"
        "assert d['verdict'] == 'fail', d['verdict']\n"
        "files = {f['path']: f for f in d['files']}\n"
        "s = files['" DIR "survey.csv']\n"
        "assert [(x['rule'], x['verdict'], x['column'], x['line']) for x in s['findings']] == "
        "[('unapproved-variable', 'fail', 'blood_pressure', 1)], s['findings']\n"
        "l = files['" DIR "approved.txt']\n"
        "assert (l['class'], l['format'], l['verdict']) == ('document', 'approved-variables', "
        "'pass'), l\n"
        "assert [(x['rule'], x['column']) for x in l['findings']] == "
        "[('approved-variable-absent', 'ethnicity')], l['findings']\n";
    const char *argv[] = {"/usr/bin/python3", "-c", script, out, NULL};
    pid_t pid;
    int st = 0;
    cr_assert_eq(posix_spawn(&pid, argv[0], NULL, NULL, (char *const *)argv, environ), 0);
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "python3's assertions failed (see above)");
    unlink(out);
}

Test(ingest, a_workbooks_sheets_are_compared_with_the_list)
{
    run r = INGEST("--variables", DIR "approved.txt", DIR "survey.xlsx", "testdata/ods/people.ods");
    cr_expect_eq(r.status, 1);
    cr_expect_eq(LINES(r.out, DIR "survey.xlsx!sheet:Survey",
                       ",fail,unapproved-variable,fail,1,,blood_pressure,"),
                 1, "%s", r.out);
    cr_expect_eq(LINES(r.out, DIR "survey.xlsx!sheet:Survey", ",unapproved-variable,"), 1, "%s",
                 r.out);
    const char *sheet = "testdata/ods/people.ods!sheet:People.csv";
    cr_expect_eq(LINES(r.out, sheet, ",unapproved-variable,fail,1,,person_id,"), 1, "%s", r.out);
    cr_expect_eq(LINES(r.out, sheet, ",unapproved-variable,fail,1,,date_of_birth,"), 1, "%s",
                 r.out);
    cr_expect_eq(LINES(r.out, sheet, ",unapproved-variable,"), 2, "%s", r.out);
    /* date_of_birth names a direct identifier (its values are dates) */
    cr_expect_eq(LINES(r.out, sheet, ",direct-identifier,pass,", ",date_of_birth,"), 1, "%s",
                 r.out);
    free(r.out);
}

Test(ingest, spss_and_sas_files_variables_are_compared_with_the_list)
{
    const char *sav = "testdata/artefacts/data/r_people.sav";
    const char *sas = "testdata/artefacts/data/r_people.sas7bdat";
    run r = INGEST("--variables", DIR "approved.txt", sav, sas);
    cr_expect_eq(r.status, 1);
    cr_expect_eq(LINES(r.out, sav, ",fail,unapproved-variable,fail,", ",person_id,"), 1, "%s",
                 r.out);
    cr_expect_eq(LINES(r.out, sav, ",unapproved-variable,"), 1, "%s", r.out);
    cr_expect_eq(LINES(r.out, sas, ",fail,unapproved-variable,fail,", ",person_id,"), 1, "%s",
                 r.out);
    cr_expect_eq(LINES(r.out, sas, ",unapproved-variable,"), 1, "%s", r.out);
    /* both hold age, sex, region and income: only ethnicity is absent */
    cr_expect_eq(LINES(r.out, DIR "approved.txt", ",approved-variable-absent,"), 1, "%s", r.out);
    free(r.out);
}
