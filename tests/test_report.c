/*
 * test_report.c - the report writers (text, json, junit) and their registry
 * (the CSV writer and report files on disk: test_report_csv.c).
 *
 * Each test builds a small report by hand (a failing table, a document that
 * needs review, a code file that passes), renders it into memory and checks
 * what a reader of that format relies on. The JSON and XML are also handed
 * to a real parser (Debian's /usr/bin/python3, which tools/setup.sh
 * installs: without it those tests fail in CI and are skipped, saying so,
 * elsewhere).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "report/report_util.h"

typedef struct fixture {
    sdc_policy policy;
    char *inputs[2];
    sdc_file_result files[3];
    sdc_report report;
} fixture;

/* Re-derives verdicts the way the checker does (worst finding, worst file). */
static void fixture_derive(fixture *fx)
{
    fx->report.verdict = SDC_PASS;
    for (size_t i = 0; i < fx->report.file_count; i++) {
        sdc_file_result *f = &fx->report.files[i];
        f->verdict = sdc_findings_verdict(&f->findings);
        fx->report.verdict = sdc_verdict_worst(fx->report.verdict, f->verdict);
    }
}

static void fixture_init(fixture *fx)
{
    memset(fx, 0, sizeof *fx);
    fx->policy.name = (char *)"ons-srs";
    fx->policy.source = (char *)"builtin";
    fx->policy.threshold = 10;
    fx->policy.zeros_are_disclosive = true;
    fx->policy.group_share = 0.9;
    fx->policy.rounding_base = 0;
    fx->policy.nk[0] = (sdc_nk_pair){2, 0.9};
    fx->policy.nk_count = 1;
    fx->policy.p_ratio = 0.1;
    fx->policy.dof_threshold = 10;
    fx->policy.max_table_rows = 1000;

    fx->inputs[0] = (char *)"outputs/";
    fx->inputs[1] = (char *)"extra.py";

    sdc_file_result *table = &fx->files[0];
    table->path = (char *)"outputs/tables/a.csv";
    table->size = 120;
    memset(table->sha256, 'a', 64);
    table->file_class = SDC_CLASS_TABLE;
    table->format = (char *)"csv";
    table->encoding = (char *)"utf-8";
    table->delimiter = ',';
    table->rows = 4;
    table->columns = 3;
    table->shape = SDC_SHAPE_LONG;
    sdc_finding_at cell = {.line = 12,
                           .row = "North / Female",
                           .column = "Male",
                           .value = "3",
                           .limit = 10,
                           .has_limit = true,
                           .advice = "Suppress or combine categories."};
    cr_assert_eq(sdc_findings_add(&table->findings, "threshold", SDC_FAIL, &cell,
                                  "Count %d is below the threshold of %d.", 3, 10),
                 0);
    sdc_finding_at zero = {.line = 13, .row = "South / Male", .column = "Male", .value = "0"};
    cr_assert_eq(sdc_findings_add(&table->findings, "zeros", SDC_REVIEW, &zero,
                                  "A zero count may be disclosive."),
                 0);
    sdc_finding_at other = {.line = 14,
                            .row = "West / Female",
                            .column = "Male",
                            .value = "4",
                            .limit = 10,
                            .has_limit = true};
    cr_assert_eq(sdc_findings_add(&table->findings, "threshold", SDC_FAIL, &other,
                                  "Count 4 is below the threshold of 10."),
                 0);
    sdc_finding_at column = {.column = "weight"};
    cr_assert_eq(sdc_findings_add(&table->findings, "unrecognised-column", SDC_PASS, &column,
                                  "Column weight read as counts."),
                 0);

    sdc_file_result *doc = &fx->files[1];
    doc->path = (char *)"outputs/notes.md";
    doc->size = 42;
    memset(doc->sha256, 'b', 64);
    doc->file_class = SDC_CLASS_DOCUMENT;
    doc->format = (char *)"markdown";
    doc->encoding = (char *)"utf-8";
    cr_assert_eq(sdc_findings_add(&doc->findings, "needs-review", SDC_REVIEW, NULL,
                                  "A person must read this document."),
                 0);

    sdc_file_result *code = &fx->files[2];
    code->path = (char *)"extra.py";
    code->size = 7;
    memset(code->sha256, 'c', 64);
    code->file_class = SDC_CLASS_CODE;
    code->format = (char *)"python";

    fx->report.policy = &fx->policy;
    fx->report.inputs = fx->inputs;
    fx->report.input_count = 2;
    fx->report.files = fx->files;
    fx->report.file_count = 3;
    fixture_derive(fx);
}

static void fixture_free(fixture *fx)
{
    for (size_t i = 0; i < 3; i++)
        sdc_findings_free(&fx->files[i].findings);
}

/* Renders REPORT with the writer NAME; the caller frees the text. */
static char *render(const char *name, const sdc_report *report, const sdc_report_options *opts)
{
    const sdc_report_writer *writer = sdc_report_writer_find(name);
    cr_assert_not_null(writer, "no writer %s", name);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert_not_null(out);
    int rc = writer->write(report, opts, out);
    cr_assert_eq(fclose(out), 0);
    cr_assert_eq(rc, 0, "%s writer failed", name);
    return text;
}

static char *render_fixture(const char *name, const sdc_report_options *opts)
{
    fixture fx;
    fixture_init(&fx);
    char *text = render(name, &fx.report, opts);
    fixture_free(&fx);
    return text;
}

static size_t count_substr(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/*
 * Runs python3 with SCRIPT on TEXT (saved to a temporary file, argv[1]).
 * Returns its exit status. Without /usr/bin/python3 the test fails in CI
 * and is skipped, saying so, elsewhere (tools/setup.sh installs it).
 */
static int python_check(const char *script, const char *text)
{
    SDC_TEST_NEED_TOOL("/usr/bin/python3", "python3");
    char path[] = "/tmp/sdccheck-test-report-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
    char command[512];
    snprintf(command, sizeof command, "/usr/bin/python3 -c '%s' %s >/dev/null 2>&1", script, path);
    int status = system(command);
    unlink(path);
    return status;
}

#define PY_JSON "import json,sys; json.load(open(sys.argv[1], encoding=\"utf-8\"))"
#define PY_XML "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])"

static const sdc_report_options plain = {.color = false, .verbosity = 0, .created = -1};

/* ---------------------------------------------------------------- registry */

Test(report, registry_finds_text_json_junit_and_csv_by_name)
{
    const char *names[] = {"text", "json", "junit", "csv"};
    for (size_t i = 0; i < 4; i++) {
        const sdc_report_writer *w = sdc_report_writer_find(names[i]);
        cr_assert_not_null(w, "%s", names[i]);
        cr_assert_str_eq(w->name, names[i]);
        cr_assert_not_null(w->write);
    }
}

Test(report, registry_does_not_find_a_writer_that_does_not_exist)
{
    cr_assert_null(sdc_report_writer_find("nope"));
    cr_assert_null(sdc_report_writer_find("JSON"));
    cr_assert_null(sdc_report_writer_find(NULL));
}

Test(report, registry_lists_writers_in_order_ending_with_null)
{
    const sdc_report_writer *const *all = sdc_report_writers();
    cr_assert_str_eq(all[0]->name, "text");
    cr_assert_str_eq(all[1]->name, "json");
    cr_assert_str_eq(all[2]->name, "junit");
    cr_assert_str_eq(all[3]->name, "csv");
    cr_assert_str_eq(all[4]->name, "sacro");
    cr_assert_str_eq(all[5]->name, "html");
    cr_assert_null(all[6]);
}

Test(report, every_writer_returns_an_io_error_when_the_output_fails)
{
    fixture fx;
    fixture_init(&fx);
    for (const sdc_report_writer *const *w = sdc_report_writers(); *w; w++) {
        if (!(*w)->write)
            continue; /* a folder format: tests/test_report_sacro.c */
        FILE *full = fopen("/dev/full", "w");
        cr_assert_not_null(full);
        cr_assert_eq((*w)->write(&fx.report, &plain, full), SDC_EIO, "%s", (*w)->name);
        fclose(full);
    }
    fixture_free(&fx);
}

/* -------------------------------------------------------------------- json */

Test(report, json_starts_with_schema_and_version_in_fixed_order)
{
    char *json = render_fixture("json", &plain);
    const char *head =
        "{\n  \"schema\": \"sdccheck-report\",\n  \"schema_version\": 1,\n"
        "  \"tool\": {\n    \"name\": \"sdccheck\",\n    \"version\": \"" SDCCHECK_VERSION
        "\"\n  },\n"
        "  \"policy\": {\n    \"name\": \"ons-srs\",\n";
    cr_assert_eq(strncmp(json, head, strlen(head)), 0, "got:\n%s", json);
    cr_assert_eq(json[strlen(json) - 1], '\n');
    free(json);
}

Test(report, json_is_accepted_by_a_real_json_parser)
{
    char *json = render_fixture("json", &plain);
    int status = python_check(PY_JSON, json);
    cr_assert_eq(status, 0, "python rejected:\n%s", json);
    free(json);
}

Test(report, json_escapes_quotes_backslashes_and_control_characters)
{
    fixture fx;
    fixture_init(&fx);
    fx.files[2].path = (char *)"odd \"name\"\\dir\n\x01\x7f.py";
    char *json = render("json", &fx.report, &plain);
    cr_assert_not_null(strstr(json, "\"path\": \"odd \\\"name\\\"\\\\dir\\n\\u0001\\u007f.py\""),
                       "got:\n%s", json);
    cr_assert_eq(python_check(PY_JSON, json), 0);
    free(json);
    fixture_free(&fx);
}

Test(report, json_replaces_invalid_utf8_with_the_replacement_character)
{
    fixture fx;
    fixture_init(&fx);
    /* A Latin-1 e-acute, an overlong slash, a lone surrogate, a valid e-acute. */
    fx.files[2].path = (char *)"caf\xe9-\xc0\xaf-\xed\xa0\x80-caf\xc3\xa9";
    char *json = render("json", &fx.report, &plain);
    cr_assert_not_null(strstr(json, "\"path\": \"caf\xef\xbf\xbd-\xef\xbf\xbd\xef\xbf\xbd-"
                                    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd-caf\xc3\xa9\""),
                       "got:\n%s", json);
    cr_assert_eq(python_check(PY_JSON, json), 0, "python rejected it");
    free(json);
    fixture_free(&fx);
}

Test(report, json_writes_null_for_absent_finding_fields)
{
    char *json = render_fixture("json", &plain);
    const char *needs_review = "\"rule\": \"needs-review\",\n"
                               "          \"verdict\": \"review\",\n"
                               "          \"message\": \"A person must read this document.\",\n"
                               "          \"advice\": null,\n"
                               "          \"line\": null,\n"
                               "          \"row\": null,\n"
                               "          \"column\": null,\n"
                               "          \"value\": null,\n"
                               "          \"limit\": null\n";
    cr_assert_not_null(strstr(json, needs_review), "got:\n%s", json);
    free(json);
}

Test(report, json_writes_whole_numbers_without_decimals)
{
    char *json = render_fixture("json", &plain);
    cr_assert_not_null(strstr(json, "\"limit\": 10\n"), "got:\n%s", json);
    cr_assert_not_null(strstr(json, "\"threshold\": 10,"));
    cr_assert_not_null(strstr(json, "\"line\": 12,"));
    cr_assert_not_null(strstr(json, "\"k\": 0.9\n"));
    cr_assert_not_null(strstr(json, "\"p_ratio\": 0.1,"));
    cr_assert_null(strstr(json, "10.0"));
    free(json);
}

Test(report, json_writes_a_non_finite_limit_as_null)
{
    fixture fx;
    fixture_init(&fx);
    fx.files[0].findings.items[0].limit = INFINITY;
    fx.files[0].findings.items[2].limit = NAN;
    char *json = render("json", &fx.report, &plain);
    cr_assert_null(strstr(json, "inf"));
    cr_assert_null(strstr(json, "nan"));
    cr_assert_eq(count_substr(json, "\"limit\": null"), 5, "got:\n%s", json);
    free(json);
    fixture_free(&fx);
}

Test(report, json_counts_files_per_verdict_and_findings_per_rule)
{
    char *json = render_fixture("json", &plain);
    const char *summary = "  \"summary\": {\n"
                          "    \"files\": 3,\n"
                          "    \"pass\": 1,\n"
                          "    \"review\": 1,\n"
                          "    \"fail\": 1,\n"
                          "    \"findings\": 4,\n"
                          "    \"rules\": {\n"
                          "      \"needs-review\": 1,\n"
                          "      \"threshold\": 2,\n"
                          "      \"zeros\": 1\n"
                          "    }\n"
                          "  },\n";
    cr_assert_not_null(strstr(json, summary), "got:\n%s", json);
    /* The pass note is in the file's findings but not in the totals. */
    cr_assert_not_null(strstr(json, "\"rule\": \"unrecognised-column\""));
    free(json);
}

Test(report, json_top_level_verdict_is_the_worst_file)
{
    fixture fx;
    fixture_init(&fx);
    char *json = render("json", &fx.report, &plain);
    cr_assert_not_null(strstr(json, "\n  \"verdict\": \"fail\",\n"));
    free(json);

    fx.report.file_count = 0;
    fixture_derive(&fx);
    json = render("json", &fx.report, &plain);
    cr_assert_not_null(strstr(json, "\n  \"verdict\": \"pass\",\n"));
    cr_assert_not_null(strstr(json, "\"files\": [],\n"), "got:\n%s", json);
    cr_assert_not_null(strstr(json, "\"rules\": {}\n"));
    free(json);
    fixture_free(&fx);
}

Test(report, json_omits_created_when_minus_one)
{
    char *json = render_fixture("json", &plain);
    cr_assert_null(strstr(json, "\"created\""));
    free(json);
}

Test(report, json_writes_created_as_utc_iso_8601)
{
    sdc_report_options opts = plain;
    opts.created = 1795546800; /* 2026-11-24 19:00:00 UTC */
    char *json = render_fixture("json", &opts);
    cr_assert_not_null(strstr(json, "  \"created\": \"2026-11-24T19:00:00Z\",\n"), "got:\n%s",
                       json);
    opts.created = 0;
    free(json);
    json = render_fixture("json", &opts);
    cr_assert_not_null(strstr(json, "\"created\": \"1970-01-01T00:00:00Z\""));
    free(json);
}

Test(report, json_writes_null_for_an_unread_file_size_and_hash)
{
    fixture fx;
    fixture_init(&fx);
    fx.files[2].size = -1;
    fx.files[2].sha256[0] = '\0';
    char *json = render("json", &fx.report, &plain);
    cr_assert_not_null(strstr(json, "\"path\": \"extra.py\",\n      \"size\": null,\n"
                                    "      \"sha256\": null,\n"),
                       "got:\n%s", json);
    cr_assert_not_null(strstr(json, "\"size\": 120,"));
    free(json);
    fixture_free(&fx);
}

Test(report, json_describes_the_table_only_for_table_files)
{
    char *json = render_fixture("json", &plain);
    cr_assert_eq(count_substr(json, "\"table\": {"), 1);
    cr_assert_not_null(strstr(json, "\"table\": {\n        \"rows\": 4,\n        \"columns\": 3,\n"
                                    "        \"delimiter\": \",\",\n        \"shape\": \"long\"\n"),
                       "got:\n%s", json);
    cr_assert_not_null(strstr(json, "\"encoding\": null,"), "the code file has no encoding");
    free(json);
}

Test(report, json_writes_policy_parameters_with_pq_rule_null_when_off)
{
    fixture fx;
    fixture_init(&fx);
    char *json = render("json", &fx.report, &plain);
    cr_assert_not_null(strstr(json, "\"pq_rule\": null,"));
    cr_assert_not_null(strstr(json, "\"nk_rules\": [\n        {\n          \"n\": 2,\n"
                                    "          \"k\": 0.9\n        }\n      ],"),
                       "got:\n%s", json);
    free(json);
    fx.policy.pq_p = 0.25;
    fx.policy.pq_q = 1;
    fx.policy.rounding_mode = SDC_ROUND_MIDPOINT;
    json = render("json", &fx.report, &plain);
    cr_assert_not_null(
        strstr(json, "\"pq_rule\": {\n        \"p\": 0.25,\n        \"q\": 1\n      },"));
    cr_assert_not_null(strstr(json, "\"rounding_mode\": \"midpoint\","));
    free(json);
    fixture_free(&fx);
}

Test(report, numbers_are_written_in_their_shortest_round_trip_form)
{
    char text[SDC_FORMAT_NUMBER_MAX];
    const struct {
        double v;
        const char *want;
    } cases[] = {{10, "10"},        {-3, "-3"},         {-0.0, "0"},
                 {0.1, "0.1"},      {1e6, "1000000"},   {1.0 / 3, "0.3333333333333333"},
                 {1e300, "1e+300"}, {2.5e-7, "2.5e-07"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(sdc_format_number(cases[i].v, text, sizeof text), 0);
        cr_assert_str_eq(text, cases[i].want);
    }
    cr_assert_eq(sdc_format_number(NAN, text, sizeof text), -1);
    cr_assert_str_eq(text, "");
}

/* ------------------------------------------------------------------- junit */

Test(report, junit_counts_every_file_not_cleared_as_a_failure)
{
    char *xml = render_fixture("junit", &plain);
    cr_assert_eq(strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39), 0);
    cr_assert_not_null(strstr(xml, "<testsuites name=\"sdccheck\" tests=\"3\" failures=\"2\""),
                       "got:\n%s", xml);
    cr_assert_not_null(strstr(xml, "<testsuite name=\"sdccheck\" tests=\"3\" failures=\"2\""));
    cr_assert_eq(count_substr(xml, "<testcase "), 3);
    cr_assert_eq(count_substr(xml, "<failure "), 4, "one per non-pass finding");
    free(xml);
}

Test(report, junit_types_failures_by_verdict_and_rule)
{
    char *xml = render_fixture("junit", &plain);
    cr_assert_eq(count_substr(xml, "type=\"fail:threshold\""), 2);
    cr_assert_eq(count_substr(xml, "type=\"review:zeros\""), 1);
    cr_assert_eq(count_substr(xml, "type=\"review:needs-review\""), 1);
    cr_assert_null(strstr(xml, "unrecognised-column"), "pass notes are not failures");
    cr_assert_not_null(
        strstr(xml, "<testcase classname=\"sdccheck.table\" name=\"outputs/tables/a.csv\">"));
    cr_assert_not_null(strstr(xml, ">line: 12\nrow: North / Female\ncolumn: Male\nvalue: 3\n"
                                   "limit: 10\nadvice: Suppress or combine categories.</failure>"),
                       "got:\n%s", xml);
    free(xml);
}

Test(report, junit_pass_file_is_an_empty_testcase)
{
    char *xml = render_fixture("junit", &plain);
    cr_assert_not_null(strstr(xml, "<testcase classname=\"sdccheck.code\" name=\"extra.py\"/>\n"),
                       "got:\n%s", xml);
    free(xml);
}

Test(report, junit_escapes_markup_and_drops_characters_xml_cannot_carry)
{
    fixture fx;
    fixture_init(&fx);
    fx.files[1].path = (char *)"a<b>&\"c'\x01\x1b.md";
    fx.files[1].findings.items[0].message[0] = '<';
    char *xml = render("junit", &fx.report, &plain);
    cr_assert_not_null(strstr(xml, "name=\"a&lt;b&gt;&amp;&quot;c&apos;.md\""), "got:\n%s", xml);
    cr_assert_not_null(strstr(xml, "message=\"&lt; person must read this document.\""));
    cr_assert_null(strchr(xml, '\x01'));
    cr_assert_null(strchr(xml, '\x1b'));
    cr_assert_eq(python_check(PY_XML, xml), 0, "not well formed:\n%s", xml);
    free(xml);
    fixture_free(&fx);
}

Test(report, junit_is_accepted_by_a_real_xml_parser)
{
    sdc_report_options opts = plain;
    opts.created = 1795546800;
    char *xml = render_fixture("junit", &opts);
    cr_assert_not_null(strstr(xml, "timestamp=\"2026-11-24T19:00:00\""));
    int status = python_check(PY_XML, xml);
    cr_assert_eq(status, 0, "python rejected:\n%s", xml);
    free(xml);
}

/* -------------------------------------------------------------------- text */

Test(report, text_quiet_prints_only_the_summary_line)
{
    sdc_report_options opts = plain;
    opts.verbosity = -1;
    char *text = render_fixture("text", &opts);
    cr_assert_str_eq(text, "sdccheck: 3 files: 1 pass, 1 review, 1 fail. Verdict: FAIL\n");
    free(text);
}

Test(report, text_prints_one_line_per_file_then_its_findings)
{
    char *text = render_fixture("text", &plain);
    const char *want =
        "FAIL   outputs/tables/a.csv (table, csv)\n"
        "  line 12, row \"North / Female\", column \"Male\": Count 3 is below the threshold of 10."
        " (value 3, limit 10) [threshold]\n"
        "      advice: Suppress or combine categories.\n"
        "  line 13, row \"South / Male\", column \"Male\": A zero count may be disclosive."
        " (value 0) [zeros: review]\n"
        "  line 14, row \"West / Female\", column \"Male\": Count 4 is below the threshold of 10."
        " (value 4, limit 10) [threshold]\n"
        "REVIEW outputs/notes.md (document, markdown)\n"
        "  A person must read this document. [needs-review]\n"
        "PASS   extra.py (code, python)\n"
        "sdccheck: 3 files: 1 pass, 1 review, 1 fail. Verdict: FAIL\n";
    cr_assert_str_eq(text, want);
    free(text);
}

Test(report, text_shows_pass_notes_only_when_verbose)
{
    char *text = render_fixture("text", &plain);
    cr_assert_null(strstr(text, "read as counts"));
    free(text);
    sdc_report_options opts = plain;
    opts.verbosity = 1;
    text = render_fixture("text", &opts);
    cr_assert_not_null(strstr(text, "  column \"weight\": Column weight read as counts."
                                    " [unrecognised-column: pass]\n"),
                       "got:\n%s", text);
    free(text);
}

Test(report, text_without_colour_has_no_escape_byte)
{
    char *text = render_fixture("text", &plain);
    cr_assert_null(strchr(text, '\033'));
    free(text);
}

Test(report, text_with_colour_marks_verdicts_in_bold_colour)
{
    sdc_report_options opts = plain;
    opts.color = true;
    char *text = render_fixture("text", &opts);
    cr_assert_not_null(strstr(text, "\033[1;31mFAIL\033[0m   outputs/tables/a.csv"), "got:\n%s",
                       text);
    cr_assert_not_null(strstr(text, "\033[1;33mREVIEW\033[0m outputs/notes.md"));
    cr_assert_not_null(strstr(text, "\033[1;32mPASS\033[0m   extra.py"));
    cr_assert_not_null(strstr(text, "Verdict: \033[1;31mFAIL\033[0m\n"));
    free(text);
}

Test(report, text_shows_control_characters_in_names_instead_of_obeying_them)
{
    fixture fx;
    fixture_init(&fx);
    fx.files[2].path = (char *)"evil\033[2J\n\xc2\x9b\xe2\x80\xae.py";
    char *text = render("text", &fx.report, &plain);
    cr_assert_null(strchr(text, '\033'));
    cr_assert_not_null(strstr(text, "PASS   evil\\x1b[2J\\n\\u009b\\u202e.py (code, python)\n"),
                       "got:\n%s", text);
    free(text);
    fixture_free(&fx);
}

Test(report, text_summary_says_file_for_one_file)
{
    fixture fx;
    fixture_init(&fx);
    fx.report.files = &fx.files[2];
    fx.report.file_count = 1;
    fixture_derive(&fx);
    char *text = render("text", &fx.report, &plain);
    cr_assert_str_eq(text, "PASS   extra.py (code, python)\n"
                           "sdccheck: 1 file: 1 pass, 0 review, 0 fail. Verdict: PASS\n");
    free(text);
    fixture_free(&fx);
}

Test(report, a_result_that_lost_findings_fails_and_every_writer_says_it_is_incomplete)
{
    fixture fx;
    fixture_init(&fx);
    /* the code file: no findings, would pass */
    sdc_findings_mark_incomplete(&fx.files[2].findings, SDC_INCOMPLETE_MEMORY);
    sdc_report_derive(&fx.report);
    cr_assert_eq(fx.files[2].verdict, SDC_FAIL);
    cr_assert(fx.report.incomplete);
    char *json = render("json", &fx.report, NULL);
    cr_assert_eq(count_substr(json, "\"incomplete\": true"), 1, "%s", json);
    /* The reason's name, as sdccheck-report(5) lists it. */
    cr_assert_eq(
        count_substr(json, "\"incomplete_reasons\": [\n        \"out-of-memory\"\n      ]"), 1,
        "%s", json);
    char *text = render("text", &fx.report, NULL);
    cr_assert_not_null(strstr(text, "the check is incomplete (out of memory)"), "%s", text);
    char *xml = render("junit", &fx.report, NULL);
    cr_assert_not_null(strstr(xml, "type=\"incomplete\" message=\"the check is incomplete (out "
                                   "of memory)"),
                       "%s", xml);
    free(json);
    free(text);
    free(xml);
    fixture_free(&fx);
}

/* ------------------------------------------------------------------- audit */

Test(report, the_audit_text_escapes_labels_and_judges_each_cell)
{
    /* North is hidden but the total gives it back: 52 - 40 = 12. Its label
     * carries a terminal escape that must be shown, not obeyed. */
    sdc_policy *p = sdc_policy_default();
    sdc_findings f = {0};
    sdc_table *t = layout_csv("region,n\nNo\x1b[2Jrth,c\nSouth,40\nTotal,52\n", p, &f);
    cr_assert_not_null(t);
    sdc_audit a = {0};
    cr_assert_eq(sdc_audit_table(t, p, 10, 0, &a), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert_eq(sdc_audit_write_text("t.csv", t, &a, sdc_audit_need(p), out), 0);
    fclose(out);
    cr_assert_not_null(strstr(text, "t.csv: 1 suppressed cell, "), "%s", text);
    cr_assert_not_null(strstr(text, "No\\x1b[2Jrth"), "%s", text);
    cr_assert_null(strchr(text, 0x1b), "no raw escape reaches the terminal");
    cr_assert_not_null(strstr(text, "[12, 12]  recoverable: it is 12"), "%s", text);
    cr_assert_eq(sdc_audit_verdict(&a, sdc_audit_need(p)), SDC_FAIL);
    free(text);
    sdc_audit_free(&a);
    sdc_table_free(t);
    sdc_findings_free(&f);
    sdc_policy_free(p);
}
