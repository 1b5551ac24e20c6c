/*
 * report_json.c - the JSON clearance report (sdccheck-report(5)).
 *
 * The schema is a contract with scripts and CI, so the output is fully
 * deterministic: keys in a fixed order, two-space indentation, every
 * optional finding field present (null when absent) so that readers never
 * need to test for a key, numbers in their shortest round-trip form. The
 * streaming emitter (json_writer.h) handles commas and indentation; the
 * functions here only say what goes where.
 */
#include <stdlib.h>
#include <string.h>

#include "sdccheck/sdccheck.h"
#include "core/sha256.h"
#include "report/json_writer.h"
#include "report/report_util.h"

static void write_policy(sdc_json_writer *w, const sdc_policy *p)
{
    if (!p) {
        sdc_json_null(w, "policy");
        return;
    }
    sdc_json_open(w, "policy", '{');
    sdc_json_string(w, "name", p->name);
    sdc_json_string(w, "source", p->source);
    sdc_json_open(w, "parameters", '{');
    sdc_json_number(w, "threshold", p->threshold);
    sdc_json_bool(w, "zeros_are_disclosive", p->zeros_are_disclosive);
    sdc_json_number(w, "group_share", p->group_share);
    sdc_json_integer(w, "rounding_base", p->rounding_base);
    sdc_json_string(w, "rounding_mode",
                    p->rounding_mode == SDC_ROUND_MIDPOINT ? "midpoint" : "multiple");
    sdc_json_open(w, "nk_rules", '[');
    for (size_t i = 0; i < p->nk_count && i < SDC_POLICY_MAX_NK; i++) {
        sdc_json_open(w, NULL, '{');
        sdc_json_integer(w, "n", p->nk[i].n);
        sdc_json_number(w, "k", p->nk[i].k);
        sdc_json_close(w, '}');
    }
    sdc_json_close(w, ']');
    sdc_json_number(w, "p_ratio", p->p_ratio);
    if (p->pq_p == 0) {
        sdc_json_null(w, "pq_rule");
    } else {
        sdc_json_open(w, "pq_rule", '{');
        sdc_json_number(w, "p", p->pq_p);
        sdc_json_number(w, "q", p->pq_q);
        sdc_json_close(w, '}');
    }
    sdc_json_bool(w, "check_missing_values", p->check_missing_values);
    sdc_json_bool(w, "allow_min_max", p->allow_min_max);
    sdc_json_number(w, "dof_threshold", p->dof_threshold);
    sdc_json_integer(w, "max_table_rows", p->max_table_rows);
    sdc_json_integer(w, "max_code_numbers", p->max_code_numbers);
    sdc_json_integer(w, "max_code_splits", p->max_code_splits);
    sdc_json_close(w, '}');
    sdc_json_close(w, '}');
}

static int write_summary(sdc_json_writer *w, const sdc_report *report)
{
    sdc_report_totals totals;
    sdc_report_rule_count *rules;
    size_t rule_count;
    if (sdc_report_rule_counts(report, &rules, &rule_count) != 0)
        return SDC_ENOMEM;
    sdc_report_count(report, &totals);

    sdc_json_open(w, "summary", '{');
    sdc_json_unsigned(w, "files", report->file_count);
    sdc_json_unsigned(w, "pass", totals.pass);
    sdc_json_unsigned(w, "review", totals.review);
    sdc_json_unsigned(w, "fail", totals.fail);
    sdc_json_unsigned(w, "findings", totals.findings);
    sdc_json_open(w, "rules", '{');
    for (size_t i = 0; i < rule_count; i++)
        sdc_json_unsigned(w, rules[i].rule, rules[i].count);
    sdc_json_close(w, '}');
    sdc_json_close(w, '}');
    free(rules);
    return 0;
}

static void write_finding(sdc_json_writer *w, const sdc_finding *f)
{
    sdc_json_open(w, NULL, '{');
    sdc_json_string(w, "rule", f->rule);
    sdc_json_string(w, "verdict", sdc_verdict_name(f->verdict));
    sdc_json_string(w, "message", f->message);
    sdc_json_string(w, "advice", f->advice);
    if (f->line > 0)
        sdc_json_integer(w, "line", f->line);
    else
        sdc_json_null(w, "line");
    sdc_json_string(w, "row", f->row);
    sdc_json_string(w, "column", f->column);
    sdc_json_string(w, "value", f->value);
    if (f->has_limit)
        sdc_json_number(w, "limit", f->limit);
    else
        sdc_json_null(w, "limit");
    sdc_json_close(w, '}');
}

static void write_file(sdc_json_writer *w, const sdc_file_result *f)
{
    sdc_json_open(w, NULL, '{');
    sdc_json_string(w, "path", f->path);
    if (f->size >= 0)
        sdc_json_integer(w, "size", f->size);
    else
        sdc_json_null(w, "size");
    sdc_json_string(w, "sha256", f->sha256[0] ? f->sha256 : NULL);
    sdc_json_string(w, "class", sdc_file_class_name(f->file_class));
    sdc_json_string(w, "format", f->format);
    sdc_json_string(w, "encoding", f->encoding);
    if (f->file_class == SDC_CLASS_TABLE) {
        sdc_json_open(w, "table", '{');
        sdc_json_unsigned(w, "rows", f->rows);
        sdc_json_unsigned(w, "columns", f->columns);
        if (f->delimiter) {
            char delimiter[2] = {f->delimiter, '\0'};
            sdc_json_string(w, "delimiter", delimiter);
        } else {
            sdc_json_null(w, "delimiter");
        }
        sdc_json_string(w, "shape", sdc_table_shape_name(f->shape));
        sdc_json_close(w, '}');
    }
    sdc_json_string(w, "verdict", sdc_verdict_name(f->verdict));
    if (f->findings.incomplete) {
        sdc_json_bool(w, "incomplete", true);
        sdc_json_open(w, "incomplete_reasons", '[');
        for (unsigned bit = 1; bit != 0; bit <<= 1) {
            const char *name =
                f->findings.incomplete & bit ? sdc_incomplete_reason_name(bit) : NULL;
            if (name)
                sdc_json_string(w, NULL, name);
        }
        sdc_json_close(w, ']');
    }
    sdc_json_open(w, "findings", '[');
    for (size_t i = 0; i < f->findings.count; i++)
        write_finding(w, &f->findings.items[i]);
    sdc_json_close(w, ']');
    sdc_json_close(w, '}');
}

/* The report without its last member, ending "\n}\n" as any JSON report
 * of this writer does. */
static int write_body(const sdc_report *report, const sdc_report_options *opts, FILE *out)
{
    sdc_json_writer w = {.out = out};
    char created[SDC_REPORT_TIME_MAX];

    sdc_json_open(&w, NULL, '{');
    sdc_json_string(&w, "schema", "sdccheck-report");
    sdc_json_integer(&w, "schema_version", SDC_REPORT_SCHEMA_VERSION);
    sdc_json_open(&w, "tool", '{');
    sdc_json_string(&w, "name", "sdccheck");
    sdc_json_string(&w, "version", SDCCHECK_VERSION);
    sdc_json_close(&w, '}');
    if (opts && opts->created >= 0 &&
        sdc_report_utc_time(opts->created, true, created, sizeof created) == 0)
        sdc_json_string(&w, "created", created);
    write_policy(&w, report->policy);
    sdc_json_open(&w, "inputs", '[');
    for (size_t i = 0; i < report->input_count; i++)
        sdc_json_string(&w, NULL, report->inputs[i]);
    sdc_json_close(&w, ']');
    sdc_json_string(&w, "verdict", sdc_verdict_name(report->verdict));
    if (write_summary(&w, report) != 0)
        return SDC_ENOMEM;
    sdc_json_open(&w, "files", '[');
    for (size_t i = 0; i < report->file_count; i++)
        write_file(&w, &report->files[i]);
    sdc_json_close(&w, ']');
    sdc_json_close(&w, '}');
    fputc('\n', out);
    return w.too_deep ? SDC_EINVAL : SDC_OK;
}

/* The body is written to memory first: its SHA-256 becomes the last
 * member, report_sha256, so that an edit made after writing is seen
 * (sdccheck-report(5), "Integrity"). The digest covers the report as it
 * would be without that member: the body, byte for byte. */
static int write_json(const sdc_report *report, const sdc_report_options *opts, FILE *out)
{
    char *body = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&body, &len);
    if (!mem)
        return SDC_ENOMEM;
    int rc = write_body(report, opts, mem);
    if (fclose(mem) != 0 && rc == SDC_OK)
        rc = SDC_ENOMEM;
    char hex[SDC_SHA256_HEX];
    if (rc == SDC_OK && (len < 3 || memcmp(body + len - 3, "\n}\n", 3) != 0))
        rc = SDC_EINVAL;
    if (rc == SDC_OK)
        rc = sdc_sha256_hex(body, len, hex);
    if (rc == SDC_OK) {
        fwrite(body, 1, len - 3, out);
        fprintf(out, ",\n  \"report_sha256\": \"%s\"\n}\n", hex);
        rc = sdc_report_finish(out);
    }
    free(body);
    return rc;
}

const sdc_report_writer sdc_report_writer_json = {
    .name = "json", .write = write_json, .extension = "json"};
