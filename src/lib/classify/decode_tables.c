/*
 * decode_tables.c - tables written in a document, read into CSV and
 * walked as members with every table rule (doc/design.md, "Tables in
 * documents"):
 *
 *   - Markdown pipe tables: a row of cells between '|', then a delimiter
 *     row of dashes ("|---|:--:|"), then rows (GitHub Flavored Markdown
 *     spec 0.29, section 4.10 "Tables"): what pandas' to_markdown and
 *     knitr's kable write;
 *   - LaTeX tabulars: \begin{tabular}...\end{tabular} (and tabular*,
 *     tabularx, longtable), rows ending at "\\", cells at '&', rules and
 *     formatting commands dropped (what kable, stargazer, esttab and
 *     pandas' to_latex write);
 *   - HTML tables: <table>...</table>, parsed by read/html_table.c
 *     (pandas' to_html, kable, gt);
 *   - rows in aligned columns under a header, and Stata's boxed tables,
 *     are read by decode_records.c.
 *
 * Each table is numbered in the document, from 1. The lines no table
 * holds are sorted into what may stand beside tables in an output (blank
 * lines, rules, headings, titles, notes and sources, commands echoed in a
 * log) and prose; a document of tables alone is judged by its tables
 * (sdc_decode_tables_only), any other stays for a person to read.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/vec.h"
#include "classify/decode_internal.h"
#include "read/html_table.h"

#define TAB_TEXT_MAX (16u << 20) /* a LaTeX or HTML table's text kept */
#define TAB_PROSE_MAX 65536      /* lines that may be prose, remembered */
#define TITLE_WORDS_MAX 12       /* a longer line is a sentence */
#define NOTE_WORDS_MAX 60

/* --- which lines may stand beside tables --- */

static bool is_word_char(unsigned char c)
{
    return isalpha(c) || c == '_' || c >= 0x80;
}

/* Does the word before P (in LINE) name what a number after it refers to:
 * "Table 2", "Model 3", "Figure 1"? */
static bool reference_before(const char *line, const char *p)
{
    static const char *const words[] = {"table",   "figure",  "fig",      "model", "column",
                                        "section", "chapter", "appendix", "panel", "wave",
                                        "step",    "part",    "sheet",    "page",  "version",
                                        "annex",   "tab",     "no",       NULL};
    const char *e = p;
    while (e > line && (e[-1] == ' ' || e[-1] == '.'))
        e--;
    const char *b = e;
    while (b > line && isalpha((unsigned char)b[-1]))
        b--;
    for (size_t i = 0; words[i]; i++)
        if ((size_t)(e - b) == strlen(words[i]) && strncasecmp(b, words[i], (size_t)(e - b)) == 0)
            return true;
    return false;
}

/* Are the numbers on LINE only such as titles and notes hold: years
 * (1900-2099), references ("Table 2"), parts of names ("p50", "q1",
 * "2nd"), a heading's own number ("1.", "2.3")? Any other number is a
 * statistic, and a line with one is prose. */
static bool harmless_numbers(const char *line)
{
    bool lead = true; /* no word yet: a heading's number may come */
    for (const char *p = line; *p;) {
        unsigned char c = (unsigned char)*p;
        if (!isdigit(c)) {
            if (is_word_char(c))
                lead = false;
            p++;
            continue;
        }
        const char *b = p;
        while (isdigit((unsigned char)*p))
            p++;
        size_t n = (size_t)(p - b);
        bool glued =
            (b > line && is_word_char((unsigned char)b[-1])) || is_word_char((unsigned char)*p);
        long v = n <= 6 ? strtol(b, NULL, 10) : -1;
        bool year = n == 4 && v >= 1900 && v <= 2099;
        bool numbering = lead && (*p == '.' || *p == ')');
        if (numbering)
            while (*p == '.' && isdigit((unsigned char)p[1]))
                for (p++; isdigit((unsigned char)*p); p++)
                    ;
        if (!glued && !year && !numbering && !reference_before(line, b))
            return false;
    }
    return true;
}

static size_t words_in(const char *l)
{
    size_t n = 0;
    for (const char *p = l; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        n++;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    return n;
}

static bool starts_with_word(const char *l, const char *w)
{
    size_t n = strlen(w);
    return strncasecmp(l, w, n) == 0 && !isalpha((unsigned char)l[n]);
}

/* A note or a source under a table, as statistical offices and packages
 * write them. */
static bool note_line(const char *l)
{
    static const char *const words[] = {"note",
                                        "notes",
                                        "source",
                                        "sources",
                                        "footnote",
                                        "footnotes",
                                        "table",
                                        "figure",
                                        "caption",
                                        "key",
                                        "title",
                                        "standard errors",
                                        "robust standard errors",
                                        "t statistics",
                                        "p-values",
                                        "significance",
                                        NULL};
    for (size_t i = 0; words[i]; i++)
        if (starts_with_word(l, words[i]))
            return true;
    return l[0] == '*' || l[0] == '[' || strncmp(l, "..", 2) == 0 ||
           strncmp(l, "\xe2\x80\xa0", 3) == 0 /* dagger */ ||
           strncmp(l, "\xe2\x80\xa1", 3) == 0 /* double dagger */;
}

/* What a log shows around its output: Stata's header and echoed commands
 * (". tabulate x", "> continued"), R's echoed code ("> table(x)", "+ ...").
 * Code passes after its scans; so does its echo. */
static bool log_framing(const char *l)
{
    static const char *const keys[] = {
        "name:",      "log:",           "log type:",        "opened on:",
        "closed on:", "end of do-file", "(output omitted)", "Running ",
        NULL};
    for (size_t i = 0; keys[i]; i++)
        if (strncmp(l, keys[i], strlen(keys[i])) == 0)
            return true;
    if ((l[0] == '.' || l[0] == '+') && (l[1] == ' ' || l[1] == '\0'))
        return true;
    /* "> " is also a Markdown quote: an echo only when it reads as code */
    return l[0] == '>' && l[1] == ' ' && strpbrk(l, "()$<=[");
}

/* The text of L outside HTML tags ("<p>", "</td>"), in OUT. */
static void untag(const char *l, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = l; *p && n + 1 < size; p++) {
        if (*p == '<' && (isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!')) {
            const char *e = strchr(p, '>');
            if (e) {
                p = e;
                out[n++] = ' ';
                continue;
            }
        }
        out[n++] = *p;
    }
    out[n] = '\0';
}

static bool rule_text(const char *l)
{
    size_t marks = 0;
    for (; *l; l++) {
        if (*l == '-' || *l == '=' || *l == '_' || *l == '~')
            marks++;
        else if (!strchr("+|:* \t", *l))
            return false;
    }
    return marks >= 3;
}

/* May L stand beside tables without a person reading it? */
static bool beside_tables(tab_state *t, const char *raw)
{
    char buf[1024];
    if (strstr(raw, "<style") || strstr(raw, "<STYLE"))
        t->in_style = true;
    if (t->in_style) {
        if (strstr(raw, "</style") || strstr(raw, "</STYLE"))
            t->in_style = false;
        return true;
    }
    if (strlen(raw) >= sizeof buf)
        return false;
    untag(raw, buf, sizeof buf);
    const char *l = buf;
    while (*l == ' ' || *l == '\t')
        l++;
    size_t n = strlen(l);
    while (n && (l[n - 1] == ' ' || l[n - 1] == '\t'))
        n--;
    buf[l - buf + (long)n] = '\0';
    if (!*l || rule_text(l) || log_framing(l))
        return true;
    if (l[0] == '\\') /* a LaTeX command: \caption{...}, \centering */
        return harmless_numbers(l);
    if (!harmless_numbers(l))
        return false;
    size_t words = words_in(l);
    if (l[0] == '#' || note_line(l))
        return words <= NOTE_WORDS_MAX;
    bool sentence = strchr(".!?", l[n - 1]) || strstr(l, ". ");
    return words <= TITLE_WORDS_MAX && !sentence;
}

#define MODEL_DFS_MAX 64

/* The number after P (blanks skipped), or -1. */
static double number_after(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    if (!isdigit((unsigned char)*p))
        return -1;
    return strtod(p, NULL);
}

/* A residual df a model printout states on line L: R's summary.lm and
 * summary.glm ("Residual standard error: 0.18 on 8 degrees of freedom",
 * "Residual deviance: 4.2 on 8 degrees of freedom"), statsmodels'
 * summary() ("Df Residuals: 8"), stargazer's text ("Residual Std. Error
 * 15.4 (df = 48)", "F Statistic 89.6*** (df = 1; 48)"), Stata's regress
 * ANOVA table ("Residual | 1.5e+08 72 2.1e+06"). */
static void model_df(tab_state *t, const char *l, long line)
{
    double df = -1;
    const char *what = NULL;
    const char *p;
    if ((p = strstr(l, " degrees of freedom")) && strstr(l, "Residual")) {
        const char *e = p, *q; /* "... on 8  degrees of freedom" */
        while (e > l && e[-1] == ' ')
            e--;
        for (q = e; q > l && (isdigit((unsigned char)q[-1]) || q[-1] == '.');)
            q--;
        const char *b = q;
        while (b > l && b[-1] == ' ')
            b--;
        if (q < e && b < q && b >= l + 3 && strncmp(b - 3, " on", 3) == 0) {
            df = strtod(q, NULL);
            what = "R's summary";
        }
    } else if ((p = strstr(l, "Df Residuals:"))) {
        df = number_after(p + 13);
        what = "statsmodels' summary";
    } else if (strstr(l, "Residual Std. Error") && (p = strstr(l, "(df = "))) {
        df = number_after(p + 6);
        what = "stargazer";
    } else if (strstr(l, "F Statistic") && (p = strstr(l, "(df = ")) && (p = strchr(p, ';'))) {
        df = number_after(p + 1);
        what = "stargazer";
    } else if ((p = strstr(l, "Residual |")) && l + strspn(l, " ") == p) {
        /* Stata: Residual | SS df MS: the second number */
        const char *q = p + 10;
        while (*q == ' ')
            q++;
        while (*q && *q != ' ')
            q++;
        df = number_after(q);
        what = "Stata's regress";
    }
    if (df < 0 || !what || t->ndfs == MODEL_DFS_MAX)
        return;
    if (SDC_VEC_RESERVE(t->dfs, t->dfs_cap, t->ndfs + 1) < 0)
        return;
    t->dfs[t->ndfs++] = (sdc_model_df){.line = line, .df = df, .printout = what};
}

const sdc_model_df *sdc_decode_model_dfs(const sdc_decode_scan *s, size_t *n)
{
    *n = s->rec.tab.ndfs;
    return s->rec.tab.dfs;
}

void dec_tab_text_line(tab_state *t, const char *l, long line)
{
    model_df(t, l, line);
    if (beside_tables(t, l))
        return;
    if (t->nprose == TAB_PROSE_MAX) {
        t->prose_over = true;
        return;
    }
    if (SDC_VEC_RESERVE(t->prose, t->prose_cap, t->nprose + 1) < 0) {
        t->prose_over = t->oom = true;
        return;
    }
    t->prose[t->nprose++] = line;
}

void dec_tab_span(tab_state *t, long from, long to)
{
    if (SDC_VEC_RESERVE(t->spans, t->spans_cap, t->nspans + 1) < 0) {
        t->prose_over = t->oom = true; /* a table's lines unknown: judged as prose */
        return;
    }
    t->spans[t->nspans++] = (tab_span){from, to};
}

/* --- emitting a table --- */

/* Is F[0..n) a number as a table cell holds one ("1,234", "12.5%", "-3")? */
static bool number_field(const char *f, size_t n)
{
    bool digit = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)f[i];
        if (isdigit(c))
            digit = true;
        else if (!strchr(",.%+- eE", c))
            return false;
    }
    return digit;
}

/* Does CSV (written by dec_buf_field) hold a number below its first line?
 * A table of words alone is text, read as the document's prose. */
static bool any_number(const char *csv, size_t len)
{
    size_t i = 0;
    while (i < len && csv[i] != '\n') /* the header */
        i++;
    while (++i < len) {      /* a field starts at I */
        if (csv[i] == '"') { /* quoted: holds a comma or a quote, not a plain number */
            for (i++; i < len && !(csv[i] == '"' && (i + 1 == len || csv[i + 1] != '"')); i++)
                i += csv[i] == '"';
            i++; /* the closing quote; I is then at the separator */
            continue;
        }
        size_t f = i;
        while (i < len && csv[i] != ',' && csv[i] != '\n')
            i++;
        if (number_field(csv + f, i - f))
            return true;
    }
    return false;
}

static void emit(sdc_decode_scan *s, rec_state *st, const char *csv, size_t len, bool cut, long to)
{
    tab_state *t = &st->tab;
    if (!any_number(csv, len))
        return;
    if (dec_rec_emit(s, csv, len, cut, "table", t->start, t->tables + 1)) {
        t->tables++;
        dec_tab_span(t, t->start, to);
    }
}

/* --- Markdown pipe tables --- */

/* The cells of a pipe row L (leading and trailing '|' dropped, "\|" kept
 * as a bar), each trimmed, written as a CSV row on OUT. The count, or 0
 * when L is not a pipe row. */
static size_t pipe_cells(const char *l, rec_buf *out)
{
    while (*l == ' ' || *l == '\t')
        l++;
    if (!strchr(l, '|'))
        return 0;
    if (*l == '|')
        l++;
    size_t n = strlen(l);
    while (n && (l[n - 1] == ' ' || l[n - 1] == '\t'))
        n--;
    if (n && l[n - 1] == '|' && !(n >= 2 && l[n - 2] == '\\'))
        n--;
    size_t cells = 0;
    char cell[4096];
    size_t k = 0;
    bool overflow = false;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || l[i] == '|') {
            size_t a = 0, b = k;
            while (a < b && (cell[a] == ' ' || cell[a] == '\t'))
                a++;
            while (b > a && (cell[b - 1] == ' ' || cell[b - 1] == '\t'))
                b--;
            /* emphasis and code marks around a cell: **Total**, `x` */
            while (b - a >= 2 && (cell[a] == '*' || cell[a] == '`' || cell[a] == '_') &&
                   cell[b - 1] == cell[a])
                a++, b--;
            if (out)
                dec_buf_field(out, cell + a, b - a, cells == 0);
            cells++;
            k = 0;
            continue;
        }
        if (l[i] == '\\' && i + 1 < n && l[i + 1] == '|')
            i++;
        if (k < sizeof cell)
            cell[k++] = l[i];
        else
            overflow = true;
    }
    if (out)
        dec_buf_put(out, "\n", 1, SDC_DECODE_KEEP);
    return overflow ? 0 : cells;
}

/* A delimiter row: cells of dashes with optional colons ("|:--|--:|"),
 * with a '|' somewhere. The count of its cells, or 0. */
static size_t pipe_delimiter(const char *l)
{
    if (!strchr(l, '|'))
        return 0;
    while (*l == ' ' || *l == '\t')
        l++;
    if (*l == '|')
        l++;
    size_t n = strlen(l);
    while (n && (l[n - 1] == ' ' || l[n - 1] == '\t'))
        n--;
    if (n && l[n - 1] == '|')
        n--;
    size_t cells = 0;
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && l[j] != '|')
            j++;
        size_t a = i, b = j;
        while (a < b && (l[a] == ' ' || l[a] == '\t'))
            a++;
        while (b > a && (l[b - 1] == ' ' || l[b - 1] == '\t'))
            b--;
        if (a < b && l[a] == ':')
            a++;
        if (b > a && l[b - 1] == ':')
            b--;
        if (a == b)
            return 0;
        for (size_t k = a; k < b; k++)
            if (l[k] != '-')
                return 0;
        cells++;
        i = j + 1;
    }
    return cells;
}

static void pipe_end(sdc_decode_scan *s, rec_state *st)
{
    tab_state *t = &st->tab;
    t->in = TAB_NONE;
    if (t->rows >= 1)
        emit(s, st, t->csv.p ? t->csv.p : "", t->csv.len, t->csv.over, st->line - 1);
    dec_buf_clear(&t->csv);
}

/* --- LaTeX tabulars --- */

static const char *const latex_envs[] = {"tabular*", "tabularx", "longtable", "tabular", NULL};

static const char *latex_begin(const char *l)
{
    for (const char *p = strstr(l, "\\begin{"); p; p = strstr(p + 1, "\\begin{"))
        for (size_t i = 0; latex_envs[i]; i++) {
            size_t n = strlen(latex_envs[i]);
            if (strncmp(p + 7, latex_envs[i], n) == 0 && p[7 + n] == '}')
                return p;
        }
    return NULL;
}

static const char *latex_end(const char *l)
{
    for (const char *p = strstr(l, "\\end{"); p; p = strstr(p + 1, "\\end{"))
        for (size_t i = 0; latex_envs[i]; i++) {
            size_t n = strlen(latex_envs[i]);
            if (strncmp(p + 5, latex_envs[i], n) == 0 && p[5 + n] == '}')
                return p;
        }
    return NULL;
}

/* After "{" at P: the end of its balanced group, or NULL. */
static const char *group_end(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '{')
            depth++;
        else if (*p == '}' && --depth == 0)
            return p + 1;
    }
    return NULL;
}

/* Skips the environment's arguments: \begin{tabular}[pos]{spec}, and the
 * width before the spec of tabular* and tabularx. */
static const char *latex_body(const char *begin)
{
    const char *p = strchr(begin, '}') + 1;
    bool width = strncmp(begin + 7, "tabular*", 8) == 0 || strncmp(begin + 7, "tabularx", 8) == 0;
    while (*p == ' ')
        p++;
    if (*p == '[') {
        const char *e = strchr(p, ']');
        p = e ? e + 1 : p;
    }
    for (int k = 0; k < 1 + width; k++) {
        while (*p == ' ' || *p == '\n')
            p++;
        if (*p != '{')
            break;
        const char *e = group_end(p);
        p = e ? e : p + strlen(p);
    }
    return p;
}

/* Commands dropped with their arguments, and commands that only format
 * their last argument. */
static const char *const latex_rules[] = {
    "hline",        "toprule",      "midrule",      "bottomrule",  "cline",         "cmidrule",
    "addlinespace", "endhead",      "endfirsthead", "endfoot",     "endlastfoot",   "centering",
    "small",        "footnotesize", "scriptsize",   "label",       "caption",       "vspace",
    "hspace",       "rule",         "noalign",      "specialrule", "morecmidrules", NULL};

static bool latex_name_is(const char *p, size_t n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == n && strncmp(p, list[i], n) == 0)
            return true;
    return false;
}

/* One cell's LaTeX as the text it prints, into OUT: formatting commands
 * keep their last argument (\textbf{x}, \multicolumn{2}{c}{x},
 * \makecell{x}), escaped characters print as themselves, math shifts,
 * braces and thin spaces ("1\,234") vanish. *SPAN: a \multicolumn's
 * column count. */
static void latex_cell(const char *c, size_t len, rec_buf *out, long *span)
{
    *span = 1;
    dec_buf_clear(out);
    for (size_t i = 0; i < len; i++) {
        char ch = c[i];
        if (ch == '\\' && i + 1 < len) {
            char nx = c[i + 1];
            if (!isalpha((unsigned char)nx)) { /* \% \& \_ \$ \# \, \; \  \\ */
                i++;
                if (strchr("%&_$#{}", nx))
                    dec_buf_put(out, &nx, 1, SDC_DECODE_KEEP);
                else if (nx == ' ' || nx == ';')
                    dec_buf_put(out, " ", 1, SDC_DECODE_KEEP);
                continue;
            }
            size_t b = i + 1, e = b;
            while (e < len && isalpha((unsigned char)c[e]))
                e++;
            if (e - b == 11 && strncmp(c + b, "multicolumn", 11) == 0 && e < len && c[e] == '{')
                *span = strtol(c + e + 1, NULL, 10);
            if (latex_name_is(c + b, e - b, latex_rules)) { /* drop it and its arguments */
                while (e < len && (c[e] == '{' || c[e] == '[' || c[e] == '(')) {
                    char close = c[e] == '{' ? '}' : c[e] == '[' ? ']' : ')';
                    const char *q = memchr(c + e, close, len - e);
                    e = q ? (size_t)(q - c) + 1 : len;
                }
            } else if (e - b == 11 && strncmp(c + b, "multicolumn", 11) == 0) {
                /* keep only the last argument: skip the first two groups */
                for (int k = 0; k < 2 && e < len && c[e] == '{'; k++) {
                    const char *q = group_end(c + e);
                    e = q && (size_t)(q - c) <= len ? (size_t)(q - c) : len;
                }
            }
            i = e - 1;
            continue;
        }
        if (ch == '{' || ch == '}' || ch == '$')
            continue;
        if (ch == '~')
            ch = ' ';
        dec_buf_put(out, &ch, 1, SDC_DECODE_KEEP);
    }
    /* trimmed */
    size_t a = 0, n = out->len;
    while (a < n && isspace((unsigned char)out->p[a]))
        a++;
    while (n > a && isspace((unsigned char)out->p[n - 1]))
        n--;
    if (out->p) {
        memmove(out->p, out->p + a, n - a);
        out->len = n - a;
        out->p[out->len] = '\0';
    }
}

/* The rows of a tabular's body (between its arguments and \end): split at
 * "\\" (and \tabularnewline), cells at unescaped '&'; rows left empty by
 * rules are dropped. Comments (% to the line's end) are removed first. */
static void latex_rows(const char *body, size_t len, rec_buf *csv, size_t *rows)
{
    rec_buf text = {0}, cell = {0};
    for (size_t i = 0; i < len; i++) { /* comments out */
        if (body[i] == '%' && (i == 0 || body[i - 1] != '\\')) {
            while (i < len && body[i] != '\n')
                i++;
        }
        if (i < len)
            dec_buf_put(&text, body + i, 1, TAB_TEXT_MAX + 1);
    }
    const char *p = text.p ? text.p : "";
    size_t n = text.len;
    size_t start = 0;
    *rows = 0;
    for (size_t i = 0; i <= n; i++) {
        bool end = i == n || (p[i] == '\\' && i + 1 < n && p[i + 1] == '\\') ||
                   (i + 15 <= n && strncmp(p + i, "\\tabularnewline", 15) == 0);
        if (!end)
            continue;
        /* one row: p[start..i) */
        bool any = false;
        size_t at = start, ncells = 0;
        rec_buf row = {0};
        for (size_t j = start; j <= i; j++) {
            if (j < i && !(p[j] == '&' && (j == start || p[j - 1] != '\\')))
                continue;
            long span;
            latex_cell(p + at, j - at, &cell, &span);
            if (span < 1 || span > 64)
                span = 1;
            for (long k = 0; k < span; k++)
                dec_buf_field(&row, cell.p ? cell.p : "", cell.len, ncells++ == 0);
            any |= cell.len > 0;
            at = j + 1;
        }
        if (any && ncells >= 2) {
            dec_buf_put(csv, row.p, row.len, SDC_DECODE_KEEP);
            dec_buf_put(csv, "\n", 1, SDC_DECODE_KEEP);
            (*rows)++;
        }
        csv->oom |= row.oom;
        dec_buf_release(&row);
        start = i < n && p[i] == '\\' && p[i + 1] == '\\' ? i + 2 : i + 15;
        i = start - 1;
    }
    csv->oom |= text.oom || cell.oom; /* rows lost: the scan fails */
    dec_buf_release(&text);
    dec_buf_release(&cell);
}

static void latex_done(sdc_decode_scan *s, rec_state *st)
{
    tab_state *t = &st->tab;
    t->in = TAB_NONE;
    const char *all = t->text.p ? t->text.p : "";
    const char *b = latex_begin(all);
    const char *body = b ? latex_body(b) : all;
    const char *e = latex_end(body);
    size_t len = e ? (size_t)(e - body) : strlen(body);
    rec_buf csv = {0};
    size_t rows = 0;
    latex_rows(body, len, &csv, &rows);
    if (rows >= 2)
        emit(s, st, csv.p, csv.len, csv.over || t->text.over, st->line);
    dec_buf_settle(s, &csv);
    dec_buf_clear(&t->text);
}

/* --- HTML tables --- */

/* Counts "<table" opened and "</table" closed on L (any case). */
static void html_depth(const char *l, int *depth, bool *closed)
{
    for (const char *p = strchr(l, '<'); p; p = strchr(p + 1, '<')) {
        if (strncasecmp(p, "<table", 6) == 0 && !isalnum((unsigned char)p[6]))
            (*depth)++;
        else if (strncasecmp(p, "</table", 7) == 0 && *depth > 0 && --*depth == 0)
            *closed = true;
    }
}

static void html_done(sdc_decode_scan *s, rec_state *st)
{
    tab_state *t = &st->tab;
    t->in = TAB_NONE;
    sdc_html_table h;
    int rc = sdc_html_table_read(t->text.p ? t->text.p : "", t->text.len, &h);
    if (rc < 0) {
        t->prose_over = true; /* a table that could not be read: a person reads it */
        t->oom |= rc == -2;   /* or memory ran out: the scan fails */
        dec_buf_clear(&t->text);
        return;
    }
    if (h.nested)
        t->prose_over = true;
    if (h.rows >= 2 && h.cols >= 2)
        emit(s, st, h.csv, h.len, h.cut || t->text.over, st->line);
    sdc_html_table_free(&h);
    dec_buf_clear(&t->text);
}

/* --- R's summary() of a data frame --- */

/* print(summary(df)) draws a character table: a header of the variables'
 * names, then one column a variable whose cells are "label:value" (a
 * factor's levels and counts, "North: 3"; a number's Min., 1st Qu.,
 * Median, Mean, 3rd Qu., Max., NA's; a character column's Length, Class,
 * Mode), the cells of a line parted by two blanks or more and each
 * column's colons at one position (R's summary.data.frame and
 * print.summaryDefault). Each factor becomes a one-way table of counts,
 * the numeric variables one table of statistics, a row each. */

#define RS_COLS_MAX 64
#define RS_LINE_MAX 1024

/* The cells of L: each run between two blanks or more holding exactly one
 * ':' with text on both sides; their colons' positions in AT. The count,
 * 0 when L is not a line of such cells. */
static size_t rs_cells(const char *l, size_t *at, size_t max)
{
    size_t n = 0;
    if (strlen(l) >= RS_LINE_MAX)
        return 0;
    for (const char *p = l; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *b = p, *e = p;
        while (*e && !(e[0] == ' ' && (e[1] == ' ' || e[1] == '\0')))
            e++;
        /* "North: 3", "Min.   : 1200", "Length:55": R pads the label
         * before the colon and the value after it */
        const char *colon = memchr(b, ':', (size_t)(e - b));
        if (!colon) {
            const char *c = e;
            while (*c == ' ')
                c++;
            colon = *c == ':' ? c : NULL;
            e = colon ? colon + 1 : e;
        }
        if (colon && colon + 1 == e) { /* the value after blanks */
            const char *v = e;
            while (*v == ' ')
                v++;
            e = v;
            while (*e && !(e[0] == ' ' && (e[1] == ' ' || e[1] == '\0')))
                e++;
        }
        if (!colon || colon == b || colon + 1 >= e || n == max ||
            memchr(colon + 1, ':', (size_t)(e - colon - 1)))
            return 0;
        at[n++] = (size_t)(colon - l);
        p = e;
    }
    return n;
}

/* The variable names of a header line: words between blanks, none with a
 * colon or a rule. */
static size_t rs_header(const char *h, char names[][64], size_t max)
{
    size_t n = 0;
    for (const char *p = h; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (n == max || memchr(p, ':', (size_t)(e - p)) || memchr(p, '|', (size_t)(e - p)))
            return 0;
        snprintf(names[n++], 64, "%.*s", (int)(e - p), p);
        p = e;
    }
    return n;
}

static bool rs_opens(const char *l, const char *prev)
{
    size_t at[RS_COLS_MAX];
    char names[RS_COLS_MAX][64];
    size_t n = rs_cells(l, at, RS_COLS_MAX);
    return n >= 1 && rs_header(prev, names, RS_COLS_MAX) == n;
}

static bool rs_stat(const char *label)
{
    static const char *const stats[] = {"Min.",    "1st Qu.", "Median", "Mean",
                                        "3rd Qu.", "Max.",    "NA's",   NULL};
    for (size_t i = 0; stats[i]; i++)
        if (strcmp(label, stats[i]) == 0)
            return true;
    return false;
}

/* The cell of line L whose colon is at C: its label and value, trimmed. */
static void rs_cell(const char *l, size_t c, char *label, char *value, size_t size)
{
    size_t e = c; /* the label ends before the blanks that pad it */
    while (e > 0 && l[e - 1] == ' ')
        e--;
    size_t b = e; /* and starts after two blanks, or the line's start */
    while (b > 0 && !(l[b - 1] == ' ' && (b < 2 || l[b - 2] == ' ')))
        b--;
    while (b < e && l[b] == ' ')
        b++;
    snprintf(label, size, "%.*s", (int)(e - b), l + b);
    const char *v = l + c + 1;
    while (*v == ' ')
        v++;
    size_t n = 0;
    while (v[n] && !(v[n] == ' ' && (v[n + 1] == ' ' || v[n + 1] == '\0')))
        n++;
    snprintf(value, size, "%.*s", (int)n, v);
}

/* Line K of TEXT (lines ended by '\n') into OUT; false past the end. */
static bool rs_line(const char *text, size_t k, char *out, size_t size)
{
    const char *q = text;
    for (size_t i = 0; i < k && q; i++) {
        q = strchr(q, '\n');
        q = q ? q + 1 : NULL;
    }
    if (!q || !*q)
        return false;
    const char *e = strchr(q, '\n');
    size_t n = e ? (size_t)(e - q) : strlen(q);
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), q);
    return true;
}

static void rs_done(sdc_decode_scan *s, rec_state *st)
{
    tab_state *t = &st->tab;
    t->in = TAB_NONE;
    const char *all = t->text.p ? t->text.p : "";
    char line[RS_LINE_MAX];
    char names[RS_COLS_MAX][64];
    size_t nnames = rs_line(all, 0, line, sizeof line) ? rs_header(line, names, RS_COLS_MAX) : 0;
    /* the columns: the colons' positions, left to right */
    size_t cols[RS_COLS_MAX], ncols = 0;
    for (size_t k = 1; rs_line(all, k, line, sizeof line); k++) {
        size_t at[RS_COLS_MAX], n = rs_cells(line, at, RS_COLS_MAX);
        for (size_t i = 0; i < n; i++) {
            size_t j = 0;
            while (j < ncols && cols[j] != at[i])
                j++;
            if (j == ncols && ncols < RS_COLS_MAX)
                cols[ncols++] = at[i];
        }
    }
    for (size_t i = 1; i < ncols; i++)
        for (size_t j = i; j > 0 && cols[j - 1] > cols[j]; j--) {
            size_t x = cols[j];
            cols[j] = cols[j - 1];
            cols[j - 1] = x;
        }
    if (ncols == 0 || ncols != nnames) {
        t->prose_over = true; /* not read: a person reads it */
        dec_buf_clear(&t->text);
        return;
    }
    rec_buf stats = {0}, head = {0};
    size_t nvars = 0, nlabels = 0;
    char labels[8][64];
    for (size_t c = 0; c < ncols; c++) {
        rec_buf csv = {0};
        bool numeric = false, character = false;
        char values[8][64];
        size_t nvalues = 0;
        dec_buf_field(&csv, names[c], strlen(names[c]), true);
        dec_buf_put(&csv, ",count\n", 7, SDC_DECODE_KEEP);
        for (size_t k = 1; rs_line(all, k, line, sizeof line); k++) {
            if (strlen(line) <= cols[c] || line[cols[c]] != ':')
                continue;
            char label[64], value[64];
            rs_cell(line, cols[c], label, value, sizeof label);
            if (rs_stat(label)) {
                numeric = true;
                if (nvalues < 8) {
                    snprintf(values[nvalues], sizeof values[nvalues], "%s", value);
                    if (nvars == 0 && nlabels < 8)
                        snprintf(labels[nlabels++], sizeof labels[0], "%s", label);
                    nvalues++;
                }
            } else if (strcmp(label, "Length") == 0 || strcmp(label, "Class") == 0 ||
                       strcmp(label, "Mode") == 0) {
                character = true;
            } else {
                dec_buf_field(&csv, label, strlen(label), true);
                dec_buf_put(&csv, ",", 1, SDC_DECODE_KEEP);
                dec_buf_put(&csv, value, strlen(value), SDC_DECODE_KEEP);
                dec_buf_put(&csv, "\n", 1, SDC_DECODE_KEEP);
            }
        }
        if (numeric) {
            dec_buf_field(&stats, names[c], strlen(names[c]), true);
            for (size_t k = 0; k < nvalues; k++) {
                dec_buf_put(&stats, ",", 1, SDC_DECODE_KEEP);
                dec_buf_put(&stats, values[k], strlen(values[k]), SDC_DECODE_KEEP);
            }
            dec_buf_put(&stats, "\n", 1, SDC_DECODE_KEEP);
            nvars++;
        } else if (!character) {
            emit(s, st, csv.p ? csv.p : "", csv.len, csv.over, st->line - 1);
        }
        stats.oom |= csv.oom;
        dec_buf_release(&csv);
    }
    if (nvars) {
        dec_buf_put(&head, "variable", 8, SDC_DECODE_KEEP);
        for (size_t k = 0; k < nlabels; k++) {
            dec_buf_put(&head, ",", 1, SDC_DECODE_KEEP);
            dec_buf_field(&head, labels[k], strlen(labels[k]), true);
        }
        dec_buf_put(&head, "\n", 1, SDC_DECODE_KEEP);
        dec_buf_put(&head, stats.p ? stats.p : "", stats.len, SDC_DECODE_KEEP);
        emit(s, st, head.p ? head.p : "", head.len, head.over, st->line - 1);
    }
    dec_buf_settle(s, &stats);
    dec_buf_settle(s, &head);
    dec_buf_clear(&t->text);
}

/* --- lines --- */

static void gather(tab_state *t, const char *l)
{
    dec_buf_put(&t->text, l, strlen(l), TAB_TEXT_MAX);
    dec_buf_put(&t->text, "\n", 1, TAB_TEXT_MAX);
}

static const char *html_open(const char *l)
{
    for (const char *p = strchr(l, '<'); p; p = strchr(p + 1, '<'))
        if (strncasecmp(p, "<table", 6) == 0 && !isalnum((unsigned char)p[6]))
            return p;
    return NULL;
}

bool dec_tab_line(sdc_decode_scan *s, rec_state *st, const char *l)
{
    tab_state *t = &st->tab;
    switch (t->in) {
    case TAB_PIPE:
        if (pipe_cells(l, NULL) >= 1) {
            pipe_cells(l, &t->csv);
            t->rows++;
            return true;
        }
        pipe_end(s, st);
        break;
    case TAB_LATEX:
        gather(t, l);
        if (latex_end(l))
            latex_done(s, st);
        return true;
    case TAB_HTML: {
        gather(t, l);
        bool closed = false;
        html_depth(l, &t->depth, &closed);
        if (closed)
            html_done(s, st);
        return true;
    }
    case TAB_RSUMMARY: {
        size_t at[RS_COLS_MAX];
        if (rs_cells(l, at, RS_COLS_MAX)) {
            gather(t, l);
            return true;
        }
        rs_done(s, st);
        break;
    }
    case TAB_NONE: break;
    }
    const char *h = html_open(l);
    if (h) {
        t->in = TAB_HTML;
        t->start = st->line;
        t->depth = 0;
        dec_buf_clear(&t->text);
        gather(t, h);
        bool closed = false;
        html_depth(h, &t->depth, &closed);
        if (closed)
            html_done(s, st);
        return true;
    }
    const char *b = latex_begin(l);
    if (b) {
        t->in = TAB_LATEX;
        t->start = st->line;
        dec_buf_clear(&t->text);
        gather(t, b);
        if (latex_end(latex_body(b)))
            latex_done(s, st);
        return true;
    }
    const char *prev = st->prev.p ? st->prev.p : "";
    if (rs_opens(l, prev)) {
        t->in = TAB_RSUMMARY;
        t->start = st->prev_line;
        dec_buf_clear(&t->text);
        gather(t, prev);
        gather(t, l);
        return true;
    }
    size_t d = pipe_delimiter(l);
    size_t hc = t->head.len && t->head_line == st->line - 1 ? pipe_cells(t->head.p, NULL) : 0;
    if (d >= 2 && hc == d) {
        t->in = TAB_PIPE;
        t->start = t->head_line;
        t->rows = 0;
        dec_buf_clear(&t->csv);
        pipe_cells(t->head.p, &t->csv);
        return true;
    }
    return false;
}

bool dec_tab_opens(const tab_state *t, const char *l, long line, const char *prev)
{
    if (t->in != TAB_NONE || html_open(l) || latex_begin(l) || rs_opens(l, prev))
        return true;
    size_t d = pipe_delimiter(l);
    return d >= 2 && t->head.len && t->head_line == line - 1 && pipe_cells(t->head.p, NULL) == d;
}

void dec_tab_after(tab_state *t, const char *l, long line)
{
    if (t->in != TAB_NONE)
        return;
    dec_buf_clear(&t->head);
    if (pipe_cells(l, NULL) >= 2) {
        dec_buf_put(&t->head, l, strlen(l), REC_LINE_MAX + 2);
        t->head_line = line;
    }
}

static int by_from(const void *a, const void *b)
{
    long x = ((const tab_span *)a)->from, y = ((const tab_span *)b)->from;
    return (x > y) - (x < y);
}

void dec_tab_finish(sdc_decode_scan *s, rec_state *st)
{
    tab_state *t = &st->tab;
    if (t->in == TAB_PIPE)
        pipe_end(s, st);
    else if (t->in == TAB_RSUMMARY)
        rs_done(s, st);
    else if (t->in != TAB_NONE) { /* never closed: read what there is, and a person looks */
        t->prose_over = true;
        if (t->in == TAB_LATEX)
            latex_done(s, st);
        else
            html_done(s, st);
    }
    /* the prose that no table holds */
    if (t->nspans > 1)
        qsort(t->spans, t->nspans, sizeof *t->spans, by_from);
    size_t left = 0;
    for (size_t i = 0; i < t->nprose; i++) {
        size_t lo = 0, hi = t->nspans; /* the first span starting after the line */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (t->spans[mid].from <= t->prose[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        bool held = false;
        for (size_t k = lo; k-- > 0 && !held;) /* spans may nest: look back */
            held = t->prose[i] <= t->spans[k].to;
        left += !held;
    }
    t->only = t->tables > 0 && left == 0 && !t->prose_over;
}

void dec_tab_free(tab_state *t)
{
    dec_buf_release(&t->text);
    dec_buf_release(&t->csv);
    dec_buf_release(&t->head);
    free(t->prose);
    free(t->spans);
    free(t->dfs);
    memset(t, 0, sizeof *t);
}

bool sdc_decode_tables_only(const sdc_decode_scan *s)
{
    return s->rec.aligned && s->rec.tab.only;
}
