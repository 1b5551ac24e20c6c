/*
 * report_json.c - the JSON clearance report (sdccheck-report(5)).
 *
 * The schema is a contract with scripts and CI, so the output is fully
 * deterministic: keys in a fixed order, two-space indentation, every
 * optional finding field present (null when absent) so that readers never
 * need to test for a key, numbers in their shortest round-trip form. A tiny
 * streaming emitter (json_writer) handles commas and indentation; the
 * functions below it only say what goes where.
 */
#include <stdlib.h>

#include "sdccheck/sdccheck.h"
#include "report/report_util.h"

/* Deepest nesting used: root > files > file > findings > finding. */
#define JSON_MAX_DEPTH 8

typedef struct json_writer {
    FILE *out;
    int depth;
    bool has_items[JSON_MAX_DEPTH]; /* per open level: written a member yet? */
    bool too_deep;                  /* a bug here, reported as an error */
} json_writer;

/* Starts a member of the open object (KEY) or array (KEY NULL). */
static void json_member(json_writer *w, const char *key)
{
    if (w->depth > 0) {
        if (w->has_items[w->depth])
            fputc(',', w->out);
        w->has_items[w->depth] = true;
        fputc('\n', w->out);
        for (int i = 0; i < w->depth; i++)
            fputs("  ", w->out);
    }
    if (key) {
        sdc_report_json_string(key, w->out);
        fputs(": ", w->out);
    }
}

static void json_open(json_writer *w, const char *key, char bracket)
{
    json_member(w, key);
    fputc(bracket, w->out);
    if (w->depth + 1 >= JSON_MAX_DEPTH) {
        w->too_deep = true;
        return;
    }
    w->depth++;
    w->has_items[w->depth] = false;
}

/* Closes the open level; an empty one stays on one line: [] or {}. */
static void json_close(json_writer *w, char bracket)
{
    if (w->depth > 0) {
        bool had_items = w->has_items[w->depth];
        w->depth--;
        if (had_items) {
            fputc('\n', w->out);
            for (int i = 0; i < w->depth; i++)
                fputs("  ", w->out);
        }
    }
    fputc(bracket, w->out);
}

static void json_string(json_writer *w, const char *key, const char *value)
{
    json_member(w, key);
    sdc_report_json_string(value, w->out);
}

static void json_null(json_writer *w, const char *key)
{
    json_member(w, key);
    fputs("null", w->out);
}

static void json_bool(json_writer *w, const char *key, bool value)
{
    json_member(w, key);
    fputs(value ? "true" : "false", w->out);
}

static void json_integer(json_writer *w, const char *key, long long value)
{
    json_member(w, key);
    fprintf(w->out, "%lld", value);
}

static void json_unsigned(json_writer *w, const char *key, unsigned long long value)
{
    json_member(w, key);
    fprintf(w->out, "%llu", value);
}

/* Not finite: null (JSON has no NaN or infinity). */
static void json_number(json_writer *w, const char *key, double value)
{
    char text[SDC_FORMAT_NUMBER_MAX];
    json_member(w, key);
    fputs(sdc_format_number(value, text, sizeof text) == 0 ? text : "null", w->out);
}

static void write_policy(json_writer *w, const sdc_policy *p)
{
    if (!p) {
        json_null(w, "policy");
        return;
    }
    json_open(w, "policy", '{');
    json_string(w, "name", p->name);
    json_string(w, "source", p->source);
    json_open(w, "parameters", '{');
    json_number(w, "threshold", p->threshold);
    json_bool(w, "zeros_are_disclosive", p->zeros_are_disclosive);
    json_number(w, "group_share", p->group_share);
    json_integer(w, "rounding_base", p->rounding_base);
    json_string(w, "rounding_mode",
                p->rounding_mode == SDC_ROUND_MIDPOINT ? "midpoint" : "multiple");
    json_open(w, "nk_rules", '[');
    for (size_t i = 0; i < p->nk_count && i < SDC_POLICY_MAX_NK; i++) {
        json_open(w, NULL, '{');
        json_integer(w, "n", p->nk[i].n);
        json_number(w, "k", p->nk[i].k);
        json_close(w, '}');
    }
    json_close(w, ']');
    json_number(w, "p_ratio", p->p_ratio);
    if (p->pq_p == 0) {
        json_null(w, "pq_rule");
    } else {
        json_open(w, "pq_rule", '{');
        json_number(w, "p", p->pq_p);
        json_number(w, "q", p->pq_q);
        json_close(w, '}');
    }
    json_bool(w, "check_missing_values", p->check_missing_values);
    json_bool(w, "allow_min_max", p->allow_min_max);
    json_number(w, "dof_threshold", p->dof_threshold);
    json_integer(w, "max_table_rows", p->max_table_rows);
    json_integer(w, "max_code_numbers", p->max_code_numbers);
    json_integer(w, "max_code_splits", p->max_code_splits);
    json_close(w, '}');
    json_close(w, '}');
}

static int write_summary(json_writer *w, const sdc_report *report)
{
    sdc_report_totals totals;
    sdc_report_rule_count *rules;
    size_t rule_count;
    if (sdc_report_rule_counts(report, &rules, &rule_count) != 0)
        return SDC_ENOMEM;
    sdc_report_count(report, &totals);

    json_open(w, "summary", '{');
    json_unsigned(w, "files", report->file_count);
    json_unsigned(w, "pass", totals.pass);
    json_unsigned(w, "review", totals.review);
    json_unsigned(w, "fail", totals.fail);
    json_unsigned(w, "findings", totals.findings);
    json_open(w, "rules", '{');
    for (size_t i = 0; i < rule_count; i++)
        json_unsigned(w, rules[i].rule, rules[i].count);
    json_close(w, '}');
    json_close(w, '}');
    free(rules);
    return 0;
}

static void write_finding(json_writer *w, const sdc_finding *f)
{
    json_open(w, NULL, '{');
    json_string(w, "rule", f->rule);
    json_string(w, "verdict", sdc_verdict_name(f->verdict));
    json_string(w, "message", f->message);
    json_string(w, "advice", f->advice);
    if (f->line > 0)
        json_integer(w, "line", f->line);
    else
        json_null(w, "line");
    json_string(w, "row", f->row);
    json_string(w, "column", f->column);
    json_string(w, "value", f->value);
    if (f->has_limit)
        json_number(w, "limit", f->limit);
    else
        json_null(w, "limit");
    json_close(w, '}');
}

static void write_file(json_writer *w, const sdc_file_result *f)
{
    json_open(w, NULL, '{');
    json_string(w, "path", f->path);
    if (f->size >= 0)
        json_integer(w, "size", f->size);
    else
        json_null(w, "size");
    json_string(w, "sha256", f->sha256[0] ? f->sha256 : NULL);
    json_string(w, "class", sdc_file_class_name(f->file_class));
    json_string(w, "format", f->format);
    json_string(w, "encoding", f->encoding);
    if (f->file_class == SDC_CLASS_TABLE) {
        json_open(w, "table", '{');
        json_unsigned(w, "rows", f->rows);
        json_unsigned(w, "columns", f->columns);
        if (f->delimiter) {
            char delimiter[2] = {f->delimiter, '\0'};
            json_string(w, "delimiter", delimiter);
        } else {
            json_null(w, "delimiter");
        }
        json_string(w, "shape", sdc_table_shape_name(f->shape));
        json_close(w, '}');
    }
    json_string(w, "verdict", sdc_verdict_name(f->verdict));
    if (f->findings.incomplete) {
        json_bool(w, "incomplete", true);
        json_open(w, "incomplete_reasons", '[');
        for (unsigned bit = 1; bit != 0; bit <<= 1) {
            const char *name =
                f->findings.incomplete & bit ? sdc_incomplete_reason_name(bit) : NULL;
            if (name)
                json_string(w, NULL, name);
        }
        json_close(w, ']');
    }
    json_open(w, "findings", '[');
    for (size_t i = 0; i < f->findings.count; i++)
        write_finding(w, &f->findings.items[i]);
    json_close(w, ']');
    json_close(w, '}');
}

static int write_json(const sdc_report *report, const sdc_report_options *opts, FILE *out)
{
    json_writer w = {.out = out};
    char created[SDC_REPORT_TIME_MAX];

    json_open(&w, NULL, '{');
    json_string(&w, "schema", "sdccheck-report");
    json_integer(&w, "schema_version", SDC_REPORT_SCHEMA_VERSION);
    json_open(&w, "tool", '{');
    json_string(&w, "name", "sdccheck");
    json_string(&w, "version", SDCCHECK_VERSION);
    json_close(&w, '}');
    if (opts && opts->created >= 0 &&
        sdc_report_utc_time(opts->created, true, created, sizeof created) == 0)
        json_string(&w, "created", created);
    write_policy(&w, report->policy);
    json_open(&w, "inputs", '[');
    for (size_t i = 0; i < report->input_count; i++)
        json_string(&w, NULL, report->inputs[i]);
    json_close(&w, ']');
    json_string(&w, "verdict", sdc_verdict_name(report->verdict));
    if (write_summary(&w, report) != 0)
        return SDC_ENOMEM;
    json_open(&w, "files", '[');
    for (size_t i = 0; i < report->file_count; i++)
        write_file(&w, &report->files[i]);
    json_close(&w, ']');
    json_close(&w, '}');
    fputc('\n', out);
    int rc = sdc_report_finish(out);
    return rc != 0 ? rc : w.too_deep ? SDC_EINVAL : SDC_OK;
}

const sdc_report_writer sdc_report_writer_json = {
    .name = "json", .write = write_json, .extension = "json"};
