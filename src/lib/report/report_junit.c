/*
 * report_junit.c - the report as JUnit XML, for CI dashboards.
 *
 * One test case per file (classname "sdccheck.<class>", name the path), one
 * <failure> per fail or review finding. A review is a failure too: CI must
 * fail closed, and a file a person still has to look at is not cleared. The
 * failure's type says which ("fail:threshold", "review:zeros") so that a
 * dashboard can still tell them apart. Pass files are empty test cases.
 * Every text goes through sdc_report_xml_text, which escapes markup and
 * drops what XML 1.0 cannot carry, so the document is always well formed.
 */
#include "sdccheck/sdccheck.h"
#include "report/report_util.h"

static void put_property(const char *name, const char *value, FILE *out)
{
    fputs("      <property name=\"", out);
    sdc_report_xml_text(name, out);
    fputs("\" value=\"", out);
    sdc_report_xml_text(value, out);
    fputs("\"/>\n", out);
}

/* One "name: value" line of a failure's body. */
static void put_detail(const char *name, const char *value, bool *first, FILE *out)
{
    if (!*first)
        fputc('\n', out);
    *first = false;
    fprintf(out, "%s: ", name);
    sdc_report_xml_text(value, out);
}

static void write_failure(const sdc_finding *f, FILE *out)
{
    char number[SDC_FORMAT_NUMBER_MAX];
    bool first = true;

    fprintf(out, "      <failure type=\"%s:", sdc_verdict_name(f->verdict));
    sdc_report_xml_text(f->rule, out);
    fputs("\" message=\"", out);
    sdc_report_xml_text(f->message, out);
    fputs("\">", out);
    if (f->line > 0) {
        snprintf(number, sizeof number, "%ld", f->line);
        put_detail("line", number, &first, out);
    }
    if (f->row)
        put_detail("row", f->row, &first, out);
    if (f->column)
        put_detail("column", f->column, &first, out);
    if (f->value)
        put_detail("value", f->value, &first, out);
    if (f->has_limit && sdc_format_number(f->limit, number, sizeof number) == 0)
        put_detail("limit", number, &first, out);
    if (f->advice)
        put_detail("advice", f->advice, &first, out);
    fputs("</failure>\n", out);
}

static void write_testcase(const sdc_file_result *f, FILE *out)
{
    fprintf(out, "    <testcase classname=\"sdccheck.%s\" name=\"",
            sdc_file_class_name(f->file_class));
    sdc_report_xml_text(f->path, out);
    if (f->verdict == SDC_PASS) {
        fputs("\"/>\n", out);
        return;
    }
    fputs("\">\n", out);
    for (size_t i = 0; i < f->findings.count; i++)
        if (f->findings.items[i].verdict != SDC_PASS)
            write_failure(&f->findings.items[i], out);
    if (f->findings.incomplete) {
        char why[128];
        fputs("      <failure type=\"incomplete\" message=\"the check is incomplete (", out);
        sdc_report_xml_text(sdc_report_incomplete_why(&f->findings, why, sizeof why), out);
        fputs("): some findings may be missing\"></failure>\n", out);
    }
    fputs("    </testcase>\n", out);
}

static int write_junit(const sdc_report *report, const sdc_report_options *opts, FILE *out)
{
    sdc_report_totals totals;
    char timestamp[SDC_REPORT_TIME_MAX];
    sdc_report_count(report, &totals);
    size_t failures = totals.review + totals.fail;

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"sdccheck\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
            report->file_count, failures);
    fprintf(
        out,
        "  <testsuite name=\"sdccheck\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\"",
        report->file_count, failures);
    /* JUnit's timestamp has no zone; it is UTC, as the man page says. */
    if (opts && opts->created >= 0 &&
        sdc_report_utc_time(opts->created, false, timestamp, sizeof timestamp) == 0)
        fprintf(out, " timestamp=\"%s\"", timestamp);
    fputs(">\n", out);

    fputs("    <properties>\n", out);
    put_property("sdccheck.version", SDCCHECK_VERSION, out);
    if (report->policy && report->policy->name)
        put_property("policy", report->policy->name, out);
    put_property("verdict", sdc_verdict_name(report->verdict), out);
    fputs("    </properties>\n", out);

    for (size_t i = 0; i < report->file_count; i++)
        write_testcase(&report->files[i], out);
    fputs("  </testsuite>\n</testsuites>\n", out);
    return sdc_report_finish(out);
}

const sdc_report_writer sdc_report_writer_junit = {
    .name = "junit", .write = write_junit, .extension = "xml"};
