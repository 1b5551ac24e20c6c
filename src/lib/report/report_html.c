/*
 * report_html.c - the report as one self-contained HTML page, for a
 * reviewer reading a submission at a glance (sdccheck-report(5), HTML).
 *
 * One file and nothing else: the style and a small script are inline, the
 * page names no other file and no host, and its Content-Security-Policy
 * (default-src 'none'; the script allowed by its SHA-256 only) keeps a
 * browser from loading anything or running any other script, even if
 * something got past the escaping. It reads offline, and prints
 * (@media print: no filters, colours kept, header rows repeated).
 *
 * The page: the verdict and the counts, a legend of the rules that found
 * something (a colour, a number and a CSS class each), filters by verdict
 * and by rule, then a section per file with its class, format, size,
 * SHA-256, its table drawn as an HTML table and its findings. A table is
 * drawn flattened as in the SACRO folder (report_flat.h: one label column,
 * so a cell is [row, col] in both); a cell a finding points at is
 * highlighted in its rule's colour and numbered, and links to the
 * finding, which links back to the cell. Suppressed cells are hatched.
 * Tables are drawn only as the check kept them (CSV and TSV files given
 * or found in folders, small enough to be linked); a big one is capped
 * (the first HTML_HEAD_ROWS rows, then the rows holding a finding, at most
 * HTML_MAX_ROWS rows and HTML_MAX_COLS columns), and the page says what
 * it left out.
 *
 * Without the script everything is shown; with it, the filters hide
 * files and findings and take the highlight off cells whose findings are
 * all hidden. `?verdict=fail,review&rule=threshold` in the address sets
 * the filters, so a filtered view can be linked to.
 *
 * Every text from the files (paths, cells, labels, messages quoting them)
 * goes through sdc_report_html_text; ids are made of numbers only. The
 * writer only formats: verdicts are the checker's.
 */
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sdccheck/sdccheck.h"
#include "report/report_flat.h"
#include "report/report_util.h"

/* The cap on a drawn table (sdccheck-report(5), HTML). */
#define HTML_HEAD_ROWS 100 /* body rows always drawn */
#define HTML_MAX_ROWS 1000 /* body rows drawn at most: the head, then rows with findings */
#define HTML_MAX_COLS 50   /* data columns drawn at most */

/* Colours of the rules, in the legend's order (then again). */
static const char *const palette[][2] = {
    {"#ffd6d6", "#b00020"}, {"#cfe3ff", "#1f5fbf"}, {"#fff0a0", "#7a6a00"}, {"#d4f0c4", "#2e7d32"},
    {"#ead9ff", "#6a3fb5"}, {"#ffe0b8", "#a35200"}, {"#ffd6f0", "#a0306f"}, {"#cff2ef", "#00695c"},
};
#define PALETTE (sizeof palette / sizeof palette[0])

static const char style[] =
    ":root{color-scheme:light;font-family:system-ui,sans-serif;line-height:1.4}"
    "body{margin:0 auto;max-width:90rem;padding:0 1rem 2rem}"
    "[hidden]{display:none!important}"
    ".skip{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem}"
    ".skip:focus{left:1rem}"
    "a:focus-visible,button:focus-visible,input:focus-visible,[tabindex]:focus-visible"
    "{outline:3px solid #1a4fd6;outline-offset:2px}"
    ":target{outline:3px solid #1a4fd6}"
    ".badge{display:inline-block;padding:0 .4em;border:1px solid;border-radius:.2em;"
    "font-weight:bold}"
    ".v-pass{background:#dff3e0;color:#14501a}"
    ".v-review{background:#fff0c2;color:#5c4300}"
    ".v-fail{background:#ffd9d9;color:#7a0000}"
    ".verdict{font-size:1.6rem}"
    ".incomplete{border:2px solid #7a0000;padding:.5rem}"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:0 1rem}"
    "dl.meta dt{font-weight:bold}dl.meta dd{margin:0;overflow-wrap:anywhere}"
    ".path,code{font-family:ui-monospace,monospace;overflow-wrap:anywhere}"
    "section.file{border-top:2px solid #888;margin-top:1.5rem}"
    ".table-wrap{overflow:auto;max-height:40rem;border:1px solid #bbb;margin:.5rem 0}"
    "table{border-collapse:collapse}"
    "table.data{font-variant-numeric:tabular-nums}"
    "table.data th,table.data td,table.legend th,table.legend td"
    "{border:1px solid #ccc;padding:.15rem .4rem;white-space:nowrap}"
    "table.data td{text-align:right}"
    "table.data thead th{position:sticky;top:0;background:#f2f2f2}"
    "table.data th[scope=row]{text-align:left;background:#fafafa}"
    "td.hit{background:var(--bg);outline:2px solid var(--bd);outline-offset:-2px}"
    "td.hit.off{background:none;outline:none}"
    "td.suppressed,.suppressed-swatch{background:repeating-linear-gradient(45deg,#e4e4e4 0 "
    "4px,#fff 4px 8px);font-style:italic;--bd:#888}"
    ".mark,.swatch{display:inline-block;min-width:1.1em;text-align:center;"
    "background:var(--bg);border:1px solid var(--bd);color:#000}"
    ".mark{font-size:.7em;vertical-align:super;margin-left:.15em;text-decoration:none}"
    "tr.gap td{text-align:center;font-style:italic;color:#555}"
    "li.finding{margin:.3rem 0}"
    "#filters fieldset{display:inline-block;margin:0 1rem .5rem 0}"
    "@media print{.skip,#filters,nav,.to-cell{display:none}"
    ".table-wrap{overflow:visible;max-height:none;border:0}"
    "td.hit,td.suppressed,.mark,.swatch,.badge"
    "{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "thead{display:table-header-group}tr{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}";

/* The filters. The findings are the truth: a cell keeps its highlight
 * while one of its findings is shown. */
static const char script[] =
    "(function(){'use strict';"
    "var d=document,form=d.getElementById('filters');"
    "if(!form)return;"
    "var boxes=[].slice.call(form.querySelectorAll('input[type=checkbox]'));"
    "var q=new URLSearchParams(location.search);"
    "['verdict','rule'].forEach(function(name){var v=q.get(name);if(v===null)return;"
    "var want=v.split(',');boxes.forEach(function(b){"
    "if(b.name===name)b.checked=want.indexOf(b.value)>=0;});});"
    "function picked(name){var s={};boxes.forEach(function(b){"
    "if(b.name===name&&b.checked)s[b.value]=true;});return s;}"
    "function apply(){var v=picked('verdict'),r=picked('rule'),lit={},files=0,shown=0,all=0,"
    "seen=0;"
    "d.querySelectorAll('section.file').forEach(function(s){"
    "s.hidden=!v[s.dataset.verdict];if(!s.hidden)files++;});"
    "d.querySelectorAll('nav li[data-verdict]').forEach(function(l){"
    "l.hidden=!v[l.dataset.verdict];});"
    "d.querySelectorAll('li.finding').forEach(function(g){"
    "var gv=g.dataset.verdict,on=!!v[gv]&&(gv==='pass'||!!r[g.dataset.rule]);"
    "g.hidden=!on;all++;if(on)seen++;"
    "if(on&&g.dataset.cell)(lit[g.dataset.cell]=lit[g.dataset.cell]||[])"
    ".push(g.dataset.class);});"
    "d.querySelectorAll('td.hit').forEach(function(c){var k=lit[c.id]||[];"
    "c.className='hit'+(k.length?' '+k.join(' '):' off')+"
    "(c.dataset.suppressed?' suppressed':'');});"
    "var n=d.querySelectorAll('section.file').length;"
    "d.getElementById('filter-status').textContent='Showing '+files+' of '+n+"
    "' files and '+seen+' of '+all+' findings.';"
    "d.documentElement.setAttribute('data-filtered',files<n||seen<all?'yes':'no');}"
    "form.addEventListener('change',apply);"
    "d.getElementById('show-all').addEventListener('click',function(){"
    "boxes.forEach(function(b){b.checked=true;});apply();});"
    "form.hidden=false;d.documentElement.classList.add('js');apply();})();";

/* ---- rules ---------------------------------------------------------------- */

/* The rules that found something, numbered from 1 in the legend. */
typedef struct html_rules {
    sdc_report_rule_count *list;
    size_t count;
} html_rules;

static size_t rule_number(const html_rules *rules, const char *rule)
{
    for (size_t i = 0; i < rules->count; i++)
        if (strcmp(rules->list[i].rule, rule) == 0)
            return i + 1;
    return 0;
}

/* RULE as a CSS class: "rule-" and its letters, digits and hyphens, any
 * other byte as '_'. */
static void put_rule_class(const char *rule, FILE *out)
{
    fputs("rule-", out);
    for (const char *p = rule; *p; p++) {
        char c = *p;
        bool plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        fputc(plain ? c : '_', out);
    }
}

/* ---- the page's head -------------------------------------------------------- */

/* The CSP source of the script: its SHA-256 in base64, in BUF. */
static int script_hash(char *buf, size_t size)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    if (size < 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1 ||
        EVP_Digest(script, strlen(script), digest, &len, EVP_sha256(), NULL) != 1)
        return SDC_ENOMEM;
    EVP_EncodeBlock((unsigned char *)buf, digest, (int)len);
    return 0;
}

static void put_verdict_badge(sdc_verdict v, bool upper, FILE *out)
{
    fprintf(out, "<span class=\"badge v-%s\">%s</span>", sdc_verdict_name(v),
            upper ? sdc_report_verdict_upper(v) : sdc_verdict_name(v));
}

static int put_head(const sdc_report *report, const html_rules *rules, FILE *out)
{
    char hash[128];
    if (script_hash(hash, sizeof hash) != 0)
        return SDC_ENOMEM;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", out);
    fprintf(out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src 'sha256-%s'; base-uri 'none'; "
            "form-action 'none'\">\n",
            hash);
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", out);
    fprintf(out, "<meta name=\"generator\" content=\"sdccheck %s\">\n", SDCCHECK_VERSION);
    fprintf(out, "<title>sdccheck report: %s</title>\n", sdc_report_verdict_upper(report->verdict));
    fprintf(out, "<style>%s\n", style);
    /* later rules win: the legend's first rule colours a cell of several */
    for (size_t i = rules->count; i-- > 0;) {
        fputc('.', out);
        put_rule_class(rules->list[i].rule, out);
        fprintf(out, "{--bg:%s;--bd:%s}\n", palette[i % PALETTE][0], palette[i % PALETTE][1]);
    }
    fputs("</style>\n</head>\n<body>\n", out);
    fputs("<a class=\"skip\" href=\"#files\">Skip to the files</a>\n", out);
    return 0;
}

/* ---- the summary ------------------------------------------------------------ */

static void put_summary(const sdc_report *report, const sdc_report_options *opts,
                        const html_rules *rules, FILE *out)
{
    sdc_report_totals t;
    sdc_report_count(report, &t);
    fputs("<header>\n<h1>sdccheck report</h1>\n<p class=\"verdict\">Verdict: ", out);
    put_verdict_badge(report->verdict, true, out);
    fputs("</p>\n", out);
    if (report->file_count == 0)
        fputs("<p>No files were found to check: nothing is cleared.</p>\n", out);
    if (report->incomplete)
        fputs("<p class=\"incomplete\">The check is incomplete: some findings could not be "
              "recorded (out of memory), so this report is not all there was to find.</p>\n",
              out);
    fprintf(out,
            "<dl class=\"meta counts\">\n<dt>Files</dt><dd id=\"count-files\">%zu</dd>\n"
            "<dt>Pass</dt><dd id=\"count-pass\">%zu</dd>\n"
            "<dt>Review</dt><dd id=\"count-review\">%zu</dd>\n"
            "<dt>Fail</dt><dd id=\"count-fail\">%zu</dd>\n"
            "<dt>Findings that are not a pass</dt><dd id=\"count-findings\">%zu</dd>\n",
            report->file_count, t.pass, t.review, t.fail, t.findings);
    if (report->policy && report->policy->name) {
        fputs("<dt>Policy</dt><dd>", out);
        sdc_report_html_text(report->policy->name, out);
        fputs("</dd>\n", out);
    }
    char when[SDC_REPORT_TIME_MAX];
    if (opts && opts->created >= 0 &&
        sdc_report_utc_time(opts->created, true, when, sizeof when) == 0)
        fprintf(out, "<dt>Created</dt><dd><time datetime=\"%s\">%s</time></dd>\n", when, when);
    fprintf(out, "<dt>sdccheck</dt><dd>%s</dd>\n</dl>\n", SDCCHECK_VERSION);

    fputs("<h2>Legend</h2>\n<table class=\"legend\">\n<thead><tr><th scope=\"col\">Mark</th>"
          "<th scope=\"col\">Rule</th><th scope=\"col\">Findings</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t i = 0; i < rules->count; i++) {
        fputs("<tr><td><span class=\"swatch ", out);
        put_rule_class(rules->list[i].rule, out);
        fprintf(out, "\">%zu</span></td><td><code>", i + 1);
        sdc_report_html_text(rules->list[i].rule, out);
        fprintf(out, "</code></td><td>%zu</td></tr>\n", rules->list[i].count);
    }
    fputs("<tr><td><span class=\"swatch suppressed-swatch\">c</span></td><td>a suppressed "
          "cell (hatched)</td><td></td></tr>\n</tbody>\n</table>\n</header>\n",
          out);
}

/* The filters, hidden until the script shows them: without it they would
 * do nothing, and everything is shown. */
static void put_filters(const html_rules *rules, FILE *out)
{
    static const sdc_verdict verdicts[] = {SDC_FAIL, SDC_REVIEW, SDC_PASS};
    fputs("<form id=\"filters\" hidden>\n<fieldset><legend>Verdict</legend>\n", out);
    for (size_t i = 0; i < 3; i++) {
        const char *v = sdc_verdict_name(verdicts[i]);
        fprintf(out,
                "<label><input type=\"checkbox\" name=\"verdict\" value=\"%s\" checked> "
                "%s</label>\n",
                v, v);
    }
    fputs("</fieldset>\n<fieldset><legend>Rule</legend>\n", out);
    for (size_t i = 0; i < rules->count; i++) {
        fputs("<label><input type=\"checkbox\" name=\"rule\" value=\"", out);
        sdc_report_html_text(rules->list[i].rule, out);
        fprintf(out, "\" checked> %zu ", i + 1);
        sdc_report_html_text(rules->list[i].rule, out);
        fputs("</label>\n", out);
    }
    fputs("</fieldset>\n<button type=\"button\" id=\"show-all\">Show everything</button>\n"
          "<p id=\"filter-status\" aria-live=\"polite\"></p>\n</form>\n",
          out);
}

static void put_nav(const sdc_report *report, FILE *out)
{
    fputs("<nav aria-label=\"Files\">\n<h2>Files</h2>\n<ol>\n", out);
    for (size_t i = 0; i < report->file_count; i++) {
        const sdc_file_result *f = &report->files[i];
        fprintf(out, "<li data-verdict=\"%s\">", sdc_verdict_name(f->verdict));
        put_verdict_badge(f->verdict, false, out);
        fprintf(out, " <a class=\"path\" href=\"#file-%zu\">", i + 1);
        sdc_report_html_text(f->path, out);
        fputs("</a></li>\n", out);
    }
    fputs("</ol>\n</nav>\n", out);
}

/* ---- a file ----------------------------------------------------------------- */

/* A cell a non-pass finding points at. */
typedef struct html_hit {
    size_t row, col, finding;
} html_hit;

/* What a file's section needs to draw its table and link its findings. */
typedef struct html_file {
    const sdc_file_result *f;
    size_t number; /* from 1, in the ids */
    sdc_report_flat flat;
    html_hit *hits; /* sorted by row, column, finding */
    size_t nhits;
    size_t *hit_of;  /* per finding: its hit, or SIZE_MAX */
    bool *row_drawn; /* per body row */
    size_t rows_drawn, cols_drawn;
} html_file;

static int compare_hits(const void *a, const void *b)
{
    const html_hit *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->finding < y->finding ? -1 : x->finding > y->finding;
}

static bool hit_drawn(const html_file *h, const html_hit *x)
{
    return h->row_drawn[x->row] && x->col < h->cols_drawn;
}

/* Places F's non-pass findings on its table, and decides which rows and
 * columns are drawn. Returns 0 or SDC_ENOMEM. */
static int file_prepare(html_file *h)
{
    const sdc_file_result *f = h->f;
    const sdc_findings *list = &f->findings;
    h->hit_of = malloc((list->count + 1) * sizeof *h->hit_of);
    if (!h->hit_of)
        return SDC_ENOMEM;
    for (size_t i = 0; i < list->count; i++)
        h->hit_of[i] = SIZE_MAX;
    if (!f->table)
        return 0;
    int rc = sdc_report_flat_init(&h->flat, f->table);
    if (rc != 0)
        return rc;
    const sdc_table *t = f->table;
    h->hits = malloc((list->count + 1) * sizeof *h->hits);
    h->row_drawn = calloc(t->nrows + 1, sizeof *h->row_drawn);
    if (!h->hits || !h->row_drawn)
        return SDC_ENOMEM;
    for (size_t i = 0; i < list->count; i++) {
        size_t row, col;
        if (list->items[i].verdict != SDC_PASS &&
            sdc_report_flat_locate(&h->flat, &list->items[i], &row, &col))
            h->hits[h->nhits++] = (html_hit){row, col, i};
    }
    qsort(h->hits, h->nhits, sizeof *h->hits, compare_hits);
    for (size_t i = 0; i < h->nhits; i++)
        h->hit_of[h->hits[i].finding] = i;
    h->cols_drawn = h->flat.ndata < HTML_MAX_COLS ? h->flat.ndata : HTML_MAX_COLS;
    size_t next = 0;
    for (size_t r = 0; r < t->nrows && h->rows_drawn < HTML_MAX_ROWS; r++) {
        while (next < h->nhits && h->hits[next].row < r)
            next++;
        bool has_hit = next < h->nhits && h->hits[next].row == r;
        if (r < HTML_HEAD_ROWS || has_hit) {
            h->row_drawn[r] = true;
            h->rows_drawn++;
        }
    }
    return 0;
}

static void file_free(html_file *h)
{
    sdc_report_flat_free(&h->flat);
    free(h->hits);
    free(h->hit_of);
    free(h->row_drawn);
}

static void put_cell_id(const html_file *h, const html_hit *x, FILE *out)
{
    fprintf(out, "c%zu-%zu-%zu", h->number, x->row, x->col);
}

/* A row's label cell: its labels, or its place when the table has none. */
static int put_row_label(const sdc_table *t, size_t r, FILE *out)
{
    char *label = sdc_report_row_label(t, r);
    if (!label)
        return SDC_ENOMEM;
    fputs("<th scope=\"row\">", out);
    if (*label)
        sdc_report_html_text(label, out);
    else
        fprintf(out, "%zu", r + 1);
    fputs("</th>", out);
    free(label);
    return 0;
}

/* Body row R, its hits from HITS[*next] on (advanced past them). */
static int put_row(const html_file *h, const html_rules *rules, size_t r, size_t *next, FILE *out)
{
    const sdc_table *t = h->f->table;
    fputs("<tr>", out);
    int rc = put_row_label(t, r, out);
    for (size_t col = 0; rc == 0 && col < h->cols_drawn; col++) {
        const sdc_cell *cell = sdc_table_cell(t, r, h->flat.column_of[col]);
        bool suppressed = cell->kind == SDC_CELL_SUPPRESSED;
        size_t first = *next;
        while (*next < h->nhits && h->hits[*next].row == r && h->hits[*next].col == col)
            (*next)++;
        if (first == *next) {
            fputs(suppressed ? "<td class=\"suppressed\" title=\"suppressed\">" : "<td>", out);
            sdc_report_html_text(cell->text, out);
            fputs("</td>", out);
            continue;
        }
        const html_hit *x = &h->hits[first];
        fputs("<td id=\"", out);
        put_cell_id(h, x, out);
        fputs("\" class=\"hit", out);
        for (size_t i = first; i < *next; i++) {
            const char *rule = h->f->findings.items[h->hits[i].finding].rule;
            bool again = false;
            for (size_t j = first; j < i && !again; j++)
                again = strcmp(h->f->findings.items[h->hits[j].finding].rule, rule) == 0;
            if (!again) {
                fputc(' ', out);
                put_rule_class(rule, out);
            }
        }
        fprintf(out, "%s\"%s><a href=\"#g%zu-%zu\">", suppressed ? " suppressed" : "",
                suppressed ? " data-suppressed=\"1\"" : "", h->number, x->finding + 1);
        sdc_report_html_text(cell->text, out);
        fputs("</a>", out);
        for (size_t i = first; i < *next; i++) {
            const sdc_finding *g = &h->f->findings.items[h->hits[i].finding];
            fputs("<a class=\"mark ", out);
            put_rule_class(g->rule, out);
            fprintf(out, "\" href=\"#g%zu-%zu\" title=\"", h->number, h->hits[i].finding + 1);
            sdc_report_html_text(g->rule, out);
            fprintf(out, " (%s)\">%zu</a>", sdc_verdict_name(g->verdict),
                    rule_number(rules, g->rule));
        }
        fputs("</td>", out);
    }
    fputs("</tr>\n", out);
    return rc;
}

static void put_gap(size_t rows, size_t width, FILE *out)
{
    fprintf(out, "<tr class=\"gap\"><td colspan=\"%zu\">%zu row%s not drawn</td></tr>\n", width,
            rows, rows == 1 ? "" : "s");
}

static int put_table(const html_file *h, const html_rules *rules, FILE *out)
{
    const sdc_table *t = h->f->table;
    size_t width = h->cols_drawn + 1;
    fprintf(out,
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
            "aria-labelledby=\"file-%zu-h\">\n<table class=\"data\" id=\"t%zu\">\n",
            h->number, h->number);
    fputs("<thead><tr>", out);
    char *label = sdc_report_row_label(t, SIZE_MAX);
    if (!label)
        return SDC_ENOMEM;
    fputs("<th scope=\"col\">", out);
    sdc_report_html_text(*label ? label : "row", out);
    fputs("</th>", out);
    free(label);
    for (size_t col = 0; col < h->cols_drawn; col++) {
        fputs("<th scope=\"col\">", out);
        sdc_report_html_text(t->columns[h->flat.column_of[col]].name, out);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    size_t next = 0, skipped = 0;
    int rc = 0;
    for (size_t r = 0; rc == 0 && r < t->nrows; r++) {
        if (!h->row_drawn[r]) {
            skipped++;
            while (next < h->nhits && h->hits[next].row == r)
                next++;
            continue;
        }
        if (skipped)
            put_gap(skipped, width, out);
        skipped = 0;
        rc = put_row(h, rules, r, &next, out);
        while (next < h->nhits && h->hits[next].row == r)
            next++; /* in columns not drawn */
    }
    if (skipped)
        put_gap(skipped, width, out);
    fputs("</tbody>\n</table>\n</div>\n", out);
    if (h->rows_drawn < t->nrows || h->cols_drawn < h->flat.ndata || t->truncated)
        fprintf(out,
                "<p class=\"cap\">Drawn: %zu of the %zu rows kept and %zu of %zu columns "
                "(a page draws the first %d rows, then only rows with a finding, at most %d "
                "rows and %d columns).%s</p>\n",
                h->rows_drawn, t->nrows, h->cols_drawn, h->flat.ndata, HTML_HEAD_ROWS,
                HTML_MAX_ROWS, HTML_MAX_COLS,
                t->truncated ? " The check kept only the first rows of this table: it is "
                               "record-level data."
                             : "");
    return rc;
}

static void put_finding(const html_file *h, const html_rules *rules, size_t i, FILE *out)
{
    const sdc_finding *g = &h->f->findings.items[i];
    const html_hit *x = h->hit_of[i] != SIZE_MAX ? &h->hits[h->hit_of[i]] : NULL;
    bool linked = x && hit_drawn(h, x);
    char number[SDC_FORMAT_NUMBER_MAX];
    fprintf(out, "<li id=\"g%zu-%zu\" class=\"finding\" data-verdict=\"%s\" data-rule=\"",
            h->number, i + 1, sdc_verdict_name(g->verdict));
    sdc_report_html_text(g->rule, out);
    fputs("\" data-class=\"", out);
    put_rule_class(g->rule, out);
    fputc('"', out);
    if (linked) {
        fputs(" data-cell=\"", out);
        put_cell_id(h, x, out);
        fputc('"', out);
    }
    fputc('>', out);
    put_verdict_badge(g->verdict, false, out);
    size_t n = g->verdict != SDC_PASS ? rule_number(rules, g->rule) : 0;
    if (n > 0) {
        fputs(" <span class=\"swatch ", out);
        put_rule_class(g->rule, out);
        fprintf(out, "\">%zu</span>", n);
    }
    fputs(" <code>", out);
    sdc_report_html_text(g->rule, out);
    fputs("</code>", out);
    if (g->line > 0)
        fprintf(out, ", line %ld", g->line);
    if (g->row) {
        fputs(", row ‘", out);
        sdc_report_html_text(g->row, out);
        fputs("’", out);
    }
    if (g->column) {
        fputs(", column ‘", out);
        sdc_report_html_text(g->column, out);
        fputs("’", out);
    }
    if (g->value) {
        fputs(", value ", out);
        sdc_report_html_text(g->value, out);
    }
    if (g->has_limit && sdc_format_number(g->limit, number, sizeof number) == 0)
        fprintf(out, ", limit %s", number);
    fputs(": ", out);
    sdc_report_html_text(g->message, out);
    if (g->advice) {
        fputs("<br><span class=\"advice\">Advice: ", out);
        sdc_report_html_text(g->advice, out);
        fputs("</span>", out);
    }
    if (linked) {
        fputs(" <a class=\"to-cell\" href=\"#", out);
        put_cell_id(h, x, out);
        fprintf(out, "\">Go to the cell (row %zu, column %zu)</a>", x->row + 1, x->col + 1);
    } else if (x) {
        fputs(" <span class=\"not-drawn\">(its cell is not drawn: the table is capped)</span>",
              out);
    }
    fputs("</li>\n", out);
}

static int put_file(const sdc_report *report, size_t index, const html_rules *rules, FILE *out)
{
    const sdc_file_result *f = &report->files[index];
    html_file h = {.f = f, .number = index + 1};
    int rc = file_prepare(&h);
    if (rc != 0) {
        file_free(&h);
        return rc;
    }
    fprintf(out,
            "<section class=\"file\" id=\"file-%zu\" data-verdict=\"%s\" "
            "aria-labelledby=\"file-%zu-h\">\n<h2 id=\"file-%zu-h\">",
            h.number, sdc_verdict_name(f->verdict), h.number, h.number);
    put_verdict_badge(f->verdict, true, out);
    fputs(" <span class=\"path\">", out);
    sdc_report_html_text(f->path, out);
    fputs("</span></h2>\n<dl class=\"meta\">\n<dt>Class</dt><dd>", out);
    sdc_report_html_text(sdc_file_class_name(f->file_class), out);
    fputs("</dd>\n<dt>Format</dt><dd>", out);
    sdc_report_html_text(f->format ? f->format : "unknown", out);
    fputs("</dd>\n<dt>Size</dt><dd>", out);
    if (f->size >= 0)
        fprintf(out, "%lld bytes", f->size);
    else
        fputs("not read", out);
    fputs("</dd>\n<dt>SHA-256</dt><dd><code class=\"sha256\">", out);
    fputs(f->sha256[0] ? f->sha256 : "none (not read)", out);
    fputs("</code></dd>\n", out);
    if (f->file_class == SDC_CLASS_TABLE)
        fprintf(out, "<dt>Table</dt><dd>%s, %llu rows, %zu columns, %zu suppressed cells</dd>\n",
                sdc_table_shape_name(f->shape), f->rows, f->columns, f->suppressed);
    fputs("</dl>\n", out);
    if (f->findings.incomplete) {
        char why[128];
        fprintf(out,
                "<p class=\"incomplete\">The check of this file is incomplete (%s): some "
                "findings may be missing.</p>\n",
                sdc_report_incomplete_why(&f->findings, why, sizeof why));
    }
    if (f->table)
        rc = put_table(&h, rules, out);
    else if (f->file_class == SDC_CLASS_TABLE)
        fputs("<p class=\"not-kept\">The table is not drawn: the check did not keep it (a "
              "table inside another file, or too large to keep); its findings are listed "
              "below.</p>\n",
              out);
    fputs("<h3>Findings</h3>\n", out);
    if (f->findings.count == 0)
        fputs("<p>None.</p>\n", out);
    else
        fputs("<ol class=\"findings\">\n", out);
    for (size_t i = 0; rc == 0 && i < f->findings.count; i++)
        put_finding(&h, rules, i, out);
    if (f->findings.count > 0)
        fputs("</ol>\n", out);
    fputs("</section>\n", out);
    file_free(&h);
    return rc;
}

static int write_html(const sdc_report *report, const sdc_report_options *opts, FILE *out)
{
    html_rules rules = {0};
    if (sdc_report_rule_counts(report, &rules.list, &rules.count) != 0)
        return SDC_ENOMEM;
    int rc = put_head(report, &rules, out);
    if (rc == 0) {
        put_summary(report, opts, &rules, out);
        put_filters(&rules, out);
        put_nav(report, out);
        fputs("<main id=\"files\" tabindex=\"-1\">\n", out);
        for (size_t i = 0; rc == 0 && i < report->file_count; i++)
            rc = put_file(report, i, &rules, out);
        fputs("</main>\n", out);
        fprintf(out,
                "<footer><p>Written by sdccheck %s. This page loads nothing from "
                "anywhere; see sdccheck-report(5), HTML.</p></footer>\n",
                SDCCHECK_VERSION);
        fprintf(out, "<script>%s</script>\n</body>\n</html>\n", script);
    }
    free(rules.list);
    if (rc != 0)
        return rc;
    return sdc_report_finish(out);
}

const sdc_report_writer sdc_report_writer_html = {
    .name = "html", .write = write_html, .extension = "html", .draws_tables = true};
