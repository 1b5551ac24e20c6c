/*
 * report_csv.c - the report as CSV, one row per finding, for spreadsheets.
 *
 * The twelve columns (sdccheck-report(5), CSV) repeat the file's path,
 * SHA-256 and verdict on every row, so that a reviewer can sort and filter
 * the rows of many files without losing which file a row is about. Every
 * file checked has at least one row: a file without findings gets one with
 * the rule and what follows it empty, so the sheet lists every file and
 * hash that was cleared, not only those with something to say. A file
 * whose check is incomplete gets a row of rule "incomplete" (as in the
 * JUnit report), so a spreadsheet cannot show it as clean.
 *
 * RFC 4180: fields holding a comma, quote, CR or LF are quoted with inner
 * quotes doubled; records end in CRLF, as the RFC says, which every CSV
 * reader (and libcsv, Python's csv, spreadsheets) accepts. Field text goes
 * through sdc_report_csv_field, which also keeps a spreadsheet from taking
 * a hostile file name for a formula.
 */
#include "sdccheck/sdccheck.h"
#include "report/report_util.h"

#define CSV_HEADER                                                                                 \
    "path,sha256,file_verdict,rule,verdict,line,row,column,value,limit,message,advice"

/* The three columns every row of file F starts with, and the comma after
 * them. */
static void put_file_columns(const sdc_file_result *f, FILE *out)
{
    sdc_report_csv_field(f->path, out);
    fputc(',', out);
    sdc_report_csv_field(f->sha256, out);
    fputc(',', out);
    sdc_report_csv_field(sdc_verdict_name(f->verdict), out);
    fputc(',', out);
}

static void put_finding(const sdc_file_result *f, const sdc_finding *g, FILE *out)
{
    char number[SDC_FORMAT_NUMBER_MAX];
    put_file_columns(f, out);
    sdc_report_csv_field(g->rule, out);
    fputc(',', out);
    sdc_report_csv_field(sdc_verdict_name(g->verdict), out);
    fputc(',', out);
    if (g->line > 0)
        fprintf(out, "%ld", g->line);
    fputc(',', out);
    sdc_report_csv_field(g->row, out);
    fputc(',', out);
    sdc_report_csv_field(g->column, out);
    fputc(',', out);
    sdc_report_csv_field(g->value, out);
    fputc(',', out);
    if (g->has_limit && sdc_format_number(g->limit, number, sizeof number) == 0)
        fputs(number, out);
    fputc(',', out);
    sdc_report_csv_field(g->message, out);
    fputc(',', out);
    sdc_report_csv_field(g->advice, out);
    fputs("\r\n", out);
}

static void put_file(const sdc_file_result *f, FILE *out)
{
    for (size_t i = 0; i < f->findings.count; i++)
        put_finding(f, &f->findings.items[i], out);
    if (f->findings.incomplete) {
        char why[128], message[256];
        snprintf(message, sizeof message,
                 "the check is incomplete (%s): some findings may be missing",
                 sdc_report_incomplete_why(&f->findings, why, sizeof why));
        put_file_columns(f, out);
        /* rule, verdict, then line, row, column, value and limit empty */
        fputs("incomplete,fail,,,,,,", out);
        sdc_report_csv_field(message, out);
        fputs(",\r\n", out);
    } else if (f->findings.count == 0) {
        put_file_columns(f, out);
        fputs(",,,,,,,,\r\n", out);
    }
}

static int write_csv(const sdc_report *report, const sdc_report_options *opts, FILE *out)
{
    (void)opts;
    fputs(CSV_HEADER "\r\n", out);
    for (size_t i = 0; i < report->file_count; i++)
        put_file(&report->files[i], out);
    return sdc_report_finish(out);
}

const sdc_report_writer sdc_report_writer_csv = {
    .name = "csv", .write = write_csv, .extension = "csv"};
