/*
 * batch_index.c - the index of a batch run: index.json for programs,
 * index.html for a person (sdccheck-report(5), "The batch index").
 *
 * Both list every submission in queue order with its verdict and counts
 * and where its reports are, relative to the index. The page is one
 * self-contained file (no script, no network, its style inline) that reads
 * the same printed. Submission names come from the queue and are not
 * trusted: in JSON they go through the shared string escaping, in HTML
 * through html_text below, which escapes markup, shows control characters
 * as visible escapes (a name with a newline stays one line) and writes
 * invalid UTF-8 as U+FFFD. Reports' folder names are safe by construction
 * (batch.c) and are escaped as well.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sdccheck/sdccheck.h"
#include "report/batch_index.h"
#include "report/json_writer.h"
#include "report/report_util.h"

const char *sdc_batch_kind_name(sdc_batch_kind kind)
{
    switch (kind) {
    case SDC_BATCH_FOLDER: return "folder";
    case SDC_BATCH_ARCHIVE: return "archive";
    case SDC_BATCH_FILE: return "file";
    case SDC_BATCH_LINK: return "link";
    }
    return "file";
}

/* The entry's report in W's format, relative to OUTDIR (malloc'd). */
static char *report_link(const sdc_batch_entry *e, const sdc_report_writer *w)
{
    return sdc_report_output_path(w, e->folder);
}

static void json_counts(sdc_json_writer *w, size_t files, size_t pass, size_t review, size_t fail)
{
    sdc_json_unsigned(w, "files", files);
    sdc_json_unsigned(w, "pass", pass);
    sdc_json_unsigned(w, "review", review);
    sdc_json_unsigned(w, "fail", fail);
}

static int json_entry(sdc_json_writer *w, const sdc_batch_entry *e, const sdc_batch_options *opts)
{
    sdc_json_open(w, NULL, '{');
    sdc_json_string(w, "name", e->name);
    sdc_json_string(w, "kind", sdc_batch_kind_name(e->kind));
    sdc_json_string(w, "folder", e->folder);
    sdc_json_string(w, "verdict", sdc_verdict_name(e->verdict));
    sdc_json_open(w, "summary", '{');
    json_counts(w, e->files, e->pass, e->review, e->fail);
    sdc_json_unsigned(w, "findings", e->findings);
    sdc_json_close(w, '}');
    if (e->incomplete)
        sdc_json_bool(w, "incomplete", true);
    sdc_json_open(w, "reports", '{');
    for (size_t i = 0; i < opts->writer_count; i++) {
        char *link = report_link(e, opts->writers[i]);
        if (!link)
            return SDC_ENOMEM;
        sdc_json_string(w, opts->writers[i]->name, link);
        free(link);
    }
    sdc_json_close(w, '}');
    sdc_json_close(w, '}');
    return SDC_OK;
}

int sdc_batch_index_json(void *arg, FILE *out)
{
    const sdc_batch_index *index = arg;
    const sdc_batch *b = index->batch;
    sdc_json_writer w = {.out = out};
    char created[SDC_REPORT_TIME_MAX];
    size_t per[3] = {0};
    for (size_t i = 0; i < b->count; i++)
        per[b->entries[i].verdict]++;

    sdc_json_open(&w, NULL, '{');
    sdc_json_string(&w, "schema", "sdccheck-index");
    sdc_json_integer(&w, "schema_version", SDC_BATCH_SCHEMA_VERSION);
    sdc_json_open(&w, "tool", '{');
    sdc_json_string(&w, "name", "sdccheck");
    sdc_json_string(&w, "version", SDCCHECK_VERSION);
    sdc_json_close(&w, '}');
    if (index->opts->report.created >= 0 &&
        sdc_report_utc_time(index->opts->report.created, true, created, sizeof created) == 0)
        sdc_json_string(&w, "created", created);
    sdc_json_string(&w, "policy", index->policy);
    sdc_json_string(&w, "queue", b->queue);
    sdc_json_string(&w, "verdict", sdc_verdict_name(b->verdict));
    sdc_json_open(&w, "summary", '{');
    sdc_json_unsigned(&w, "submissions", b->count);
    sdc_json_unsigned(&w, "pass", per[SDC_PASS]);
    sdc_json_unsigned(&w, "review", per[SDC_REVIEW]);
    sdc_json_unsigned(&w, "fail", per[SDC_FAIL]);
    sdc_json_close(&w, '}');
    sdc_json_open(&w, "submissions", '[');
    for (size_t i = 0; i < b->count; i++)
        if (json_entry(&w, &b->entries[i], index->opts) < 0)
            return SDC_ENOMEM;
    sdc_json_close(&w, ']');
    sdc_json_close(&w, '}');
    fputc('\n', out);
    int rc = sdc_report_finish(out);
    return rc != 0 ? rc : w.too_deep ? SDC_EINVAL : SDC_OK;
}

/* S as HTML text or attribute value (see the comment at the top). */
static void html_text(const char *s, FILE *out)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t used = sdc_report_utf8_next(p + i, n - i, &cp);
        switch (cp) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        case 0xFFFD: fputs("&#xFFFD;", out); break;
        default:
            if (cp < 0x20 || cp == 0x7F)
                fprintf(out, "\\x%02x", (unsigned)cp);
            else if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
                     (cp >= 0x2066 && cp <= 0x2069))
                fprintf(out, "\\u%04x", (unsigned)cp);
            else
                fwrite(p + i, 1, used, out);
        }
        i += used;
    }
}

static const char page_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>sdccheck: batch index</title>\n"
    "<style>\n"
    "body { font: 15px/1.4 system-ui, sans-serif; margin: 2em; color: #111; }\n"
    "table { border-collapse: collapse; }\n"
    "th, td { border: 1px solid #999; padding: .3em .6em; text-align: left; }\n"
    "td.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
    "td.name { font-family: monospace; white-space: pre-wrap; word-break: break-all; }\n"
    ".pass { background: #e3f4e3; } .review { background: #fff4d6; } "
    ".fail { background: #fbe0e0; }\n"
    "</style>\n"
    "</head>\n"
    "<body>\n";

static void html_counts(const sdc_batch_entry *e, FILE *out)
{
    fprintf(out, "<td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>",
            e->files, e->pass, e->review);
    fprintf(out, "<td class=\"n\">%zu</td><td class=\"n\">%zu</td>", e->fail, e->findings);
}

static int html_entry(const sdc_batch_entry *e, const sdc_batch_options *opts, FILE *out)
{
    const char *verdict = sdc_verdict_name(e->verdict);
    fprintf(out, "<tr class=\"%s\"><td class=\"name\">", verdict);
    html_text(e->name, out);
    fprintf(out, "</td><td>%s</td><td>%s%s</td>", sdc_batch_kind_name(e->kind),
            sdc_report_verdict_upper(e->verdict), e->incomplete ? " (incomplete)" : "");
    html_counts(e, out);
    fputs("<td>", out);
    for (size_t i = 0; i < opts->writer_count; i++) {
        char *link = report_link(e, opts->writers[i]);
        if (!link)
            return SDC_ENOMEM;
        fputs(i ? " <a href=\"" : "<a href=\"", out);
        html_text(link, out);
        fputs("\">", out);
        html_text(opts->writers[i]->name, out);
        fputs("</a>", out);
        free(link);
    }
    fputs("</td></tr>\n", out);
    return SDC_OK;
}

int sdc_batch_index_html(void *arg, FILE *out)
{
    const sdc_batch_index *index = arg;
    const sdc_batch *b = index->batch;
    size_t per[3] = {0};
    for (size_t i = 0; i < b->count; i++)
        per[b->entries[i].verdict]++;
    char created[SDC_REPORT_TIME_MAX];

    fputs(page_head, out);
    fputs("<h1>sdccheck: batch index</h1>\n<p>Queue <code>", out);
    html_text(b->queue, out);
    fputs("</code>, policy <code>", out);
    html_text(index->policy ? index->policy : "(none)", out);
    fprintf(out, "</code>, sdccheck %s", SDCCHECK_VERSION);
    if (index->opts->report.created >= 0 &&
        sdc_report_utc_time(index->opts->report.created, true, created, sizeof created) == 0)
        fprintf(out, ", <time>%s</time>", created);
    fprintf(out, ".</p>\n<p class=\"%s\" id=\"verdict\"><strong>%s</strong>: ",
            sdc_verdict_name(b->verdict), sdc_report_verdict_upper(b->verdict));
    fprintf(out, "%zu submission%s, %zu pass, %zu review, %zu fail%s.</p>\n", b->count,
            b->count == 1 ? "" : "s", per[SDC_PASS], per[SDC_REVIEW], per[SDC_FAIL],
            b->incomplete ? " (a report is incomplete)" : "");
    fputs("<table id=\"submissions\">\n<thead><tr><th>Submission</th><th>Kind</th>"
          "<th>Verdict</th><th>Files</th><th>Pass</th><th>Review</th><th>Fail</th>"
          "<th>Findings</th><th>Reports</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t i = 0; i < b->count; i++)
        if (html_entry(&b->entries[i], index->opts, out) < 0)
            return SDC_ENOMEM;
    fputs("</tbody>\n</table>\n</body>\n</html>\n", out);
    return sdc_report_finish(out);
}
