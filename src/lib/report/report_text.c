/*
 * report_text.c - the report for a person at a terminal.
 *
 *   FAIL   tables/a.csv (table, csv)
 *     line 12, row "North / Female", column "Male": <message> (value 3, limit 10) [threshold]
 *         advice: suppress or combine categories
 *   PASS   code/model.py (code, text)
 *   sdccheck: 2 files: 1 pass, 0 review, 1 fail. Verdict: FAIL
 *
 * One line per file so that a long run can be scanned (and grepped) by
 * verdict; the findings under a file only when they need action. The last
 * line is always the summary, in every verbosity, so scripts and people
 * both know where to look. Everything that came from a file goes through
 * sdc_report_term_text, so a hostile name cannot drive the terminal.
 */
#include <string.h>

#include "report/report_util.h"

#define ANSI_RESET "\033[0m"

/* Bold and coloured: red fail, yellow review, green pass. */
static const char *verdict_ansi(sdc_verdict v)
{
    switch (v) {
    case SDC_PASS: return "\033[1;32m";
    case SDC_REVIEW: return "\033[1;33m";
    case SDC_FAIL: return "\033[1;31m";
    }
    return "\033[1;31m";
}

static void put_verdict(sdc_verdict v, bool color, FILE *out)
{
    if (color)
        fputs(verdict_ansi(v), out);
    fputs(sdc_report_verdict_upper(v), out);
    if (color)
        fputs(ANSI_RESET, out);
}

static void put_quoted(const char *label, const char *text, bool *located, FILE *out)
{
    fputs(*located ? ", " : "", out);
    fprintf(out, "%s \"", label);
    sdc_report_term_text(text, out);
    fputc('"', out);
    *located = true;
}

/*
 * The tag names the rule, and the finding's verdict too when it is not the
 * file's (a review finding inside a failing file, a note in verbose mode).
 */
static void write_finding(const sdc_finding *f, sdc_verdict file_verdict, bool color, FILE *out)
{
    char limit[SDC_FORMAT_NUMBER_MAX];
    bool has_limit = f->has_limit && sdc_format_number(f->limit, limit, sizeof limit) == 0;
    bool located = false;

    fputs("  ", out);
    if (f->line > 0) {
        fprintf(out, "line %ld", f->line);
        located = true;
    }
    if (f->row)
        put_quoted("row", f->row, &located, out);
    if (f->column)
        put_quoted("column", f->column, &located, out);
    if (located)
        fputs(": ", out);
    sdc_report_term_text(f->message, out);
    if (f->value || has_limit) {
        fputs(" (", out);
        if (f->value) {
            fputs("value ", out);
            sdc_report_term_text(f->value, out);
        }
        if (has_limit)
            fprintf(out, "%slimit %s", f->value ? ", " : "", limit);
        fputc(')', out);
    }
    fputs(" [", out);
    if (color)
        fputs(verdict_ansi(f->verdict), out);
    sdc_report_term_text(f->rule, out);
    if (f->verdict != file_verdict)
        fprintf(out, ": %s", sdc_verdict_name(f->verdict));
    if (color)
        fputs(ANSI_RESET, out);
    fputs("]\n", out);
    if (f->advice) {
        fputs("      advice: ", out);
        sdc_report_term_text(f->advice, out);
        fputc('\n', out);
    }
}

static void write_file(const sdc_file_result *f, const sdc_report_options *opts, FILE *out)
{
    size_t word = strlen(sdc_report_verdict_upper(f->verdict));
    put_verdict(f->verdict, opts->color, out);
    fprintf(out, "%*s ", (int)(word < 6 ? 6 - word : 0), "");
    sdc_report_term_text(f->path, out);
    fprintf(out, " (%s", sdc_file_class_name(f->file_class));
    if (f->format) {
        fputs(", ", out);
        sdc_report_term_text(f->format, out);
    }
    fputs(")\n", out);

    for (size_t i = 0; i < f->findings.count; i++) {
        const sdc_finding *finding = &f->findings.items[i];
        bool shown = finding->verdict == SDC_PASS ? opts->verbosity >= 1 : f->verdict != SDC_PASS;
        if (shown)
            write_finding(finding, f->verdict, opts->color, out);
    }
    if (f->findings.incomplete) {
        char why[128];
        fprintf(out, "  the check is incomplete (%s): some findings may be missing\n",
                sdc_report_incomplete_why(&f->findings, why, sizeof why));
    }
}

static int write_text(const sdc_report *report, const sdc_report_options *opts, FILE *out)
{
    static const sdc_report_options defaults = {.created = -1};
    sdc_report_totals totals;
    if (!opts)
        opts = &defaults;

    if (opts->verbosity >= 0)
        for (size_t i = 0; i < report->file_count; i++)
            write_file(&report->files[i], opts, out);

    sdc_report_count(report, &totals);
    fprintf(out,
            "sdccheck: %zu file%s: %zu pass, %zu review, %zu fail. Verdict: ", report->file_count,
            report->file_count == 1 ? "" : "s", totals.pass, totals.review, totals.fail);
    put_verdict(report->verdict, opts->color, out);
    fputc('\n', out);
    return sdc_report_finish(out);
}

const sdc_report_writer sdc_report_writer_text = {
    .name = "text", .write = write_text, .extension = "txt"};
