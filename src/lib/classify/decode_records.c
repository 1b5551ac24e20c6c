/*
 * decode_records.c - records written in code, turned back into a table.
 *
 * Record-level data leaves as easily inside a script as in a CSV. Five
 * ways of writing a data set into code are read back into CSV, which is
 * then walked as a member of the code and gets every table rule,
 * microdata included (doc/design.md, "Records in code"):
 *
 *   - SAS: an INPUT statement, then DATALINES; (CARDS;, LINES;, or the
 *     4-suffixed forms ending at ";;;;") and the lines up to the ";" line
 *     (SAS 9.4 Statements reference, DATALINES);
 *   - Stata: INPUT with its storage types, the rows, END (what -dataex-
 *     writes; Stata's [D] input);
 *   - SQL: INSERT INTO t [(columns)] VALUES (...), (...); one table's run
 *     of INSERTs is one block, named by CREATE TABLE t (...) when it came
 *     first;
 *   - R: structure(list(a = c(...), ...), class = "data.frame") as dput()
 *     writes it, and data.frame(...), tibble(...), data.table(...) calls
 *     with c(...) columns;
 *   - CSV text in code or a document (a triple-quoted string, a string
 *     with \n escapes, a fenced block): see csv_row;
 *   - in a plain-text document (a log, notes), rows in columns separated
 *     by white space, as R and pandas print a data frame, Stata's -list-
 *     draws one (its | and rule lines are not data) or a fixed-width file
 *     with blanks between its fields holds one: see aligned_line.
 *
 * A block of fewer than two rows (CSV text: three; aligned rows: ten) or
 * two columns is not a data set.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "classify/decode_internal.h"

/* Case-insensitive: does P start with the word W (then not a word character)? */
static bool word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    if (strncasecmp(p, w, n) != 0)
        return false;
    return !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static const char *skip_ws(const char *p)
{
    while (blank(*p))
        p++;
    return p;
}

/* F[0..*N) without the blanks around it. */
static const char *trim(const char *f, size_t *n)
{
    while (*n && blank(*f))
        f++, (*n)--;
    while (*n && blank(f[*n - 1]))
        (*n)--;
    return f;
}

typedef struct tokens {
    const char *at[REC_COLS_MAX];
    size_t len[REC_COLS_MAX];
    size_t n;
    bool over; /* more than REC_COLS_MAX */
} tokens;

/* Splits L at white space ("..." kept whole, quotes removed), or at
 * commas when COMMA. */
static void split(const char *l, bool comma, tokens *t)
{
    t->n = 0;
    t->over = false;
    const char *p = l;
    for (;;) {
        if (!comma)
            p = skip_ws(p);
        if (!*p)
            break;
        const char *start = p;
        size_t len;
        const char *close = NULL;
        if (comma) { /* RFC 4180: a field "..." may hold commas (and "" for a quote) */
            const char *f = skip_ws(p);
            if (*f == '"')
                for (const char *q = f + 1; *q && !close; q++) {
                    if (*q == '"' && q[1] == '"')
                        q++;
                    else if (*q == '"')
                        close = q;
                }
        }
        if (*p == '"' && !comma) {
            const char *q = strchr(p + 1, '"');
            start = p + 1;
            len = q ? (size_t)(q - start) : strlen(start);
            p = q ? q + 1 : start + len;
        } else if (close) { /* kept with its quotes: unquote() takes them off */
            p = close + 1;
            while (*p && *p != ',')
                p++;
            len = (size_t)(p - start);
        } else {
            while (*p && (comma ? *p != ',' : *p != ' ' && *p != '\t'))
                p++;
            len = (size_t)(p - start);
        }
        if (t->n == REC_COLS_MAX) {
            t->over = true;
            return;
        }
        t->at[t->n] = start;
        t->len[t->n++] = len;
        if (comma) {
            if (!*p)
                break;
            p++;
        }
    }
}

/* Takes the quotes off fields written "..." (after split at commas),
 * when nothing but blanks is around them and no quote is inside. */
static void unquote(tokens *t)
{
    for (size_t i = 0; i < t->n; i++) {
        size_t n = t->len[i];
        const char *f = trim(t->at[i], &n);
        if (n >= 2 && f[0] == '"' && f[n - 1] == '"' && !memchr(f + 1, '"', n - 2)) {
            t->at[i] = f + 1;
            t->len[i] = n - 2;
        }
    }
}

/* --- blocks --- */

#define CSV_ROWS_MIN 3

static void block_start(rec_state *st, int kind, long first_row_line)
{
    st->in = kind;
    st->block_line = first_row_line;
    st->rows = 0;
    st->ncols = 0;
    dec_buf_clear(&st->csv);
    dec_buf_clear(&st->names);
}

static void set_names(rec_state *st, const tokens *t)
{
    dec_buf_clear(&st->names);
    for (size_t i = 0; i < t->n; i++)
        dec_buf_field(&st->names, t->at[i], t->len[i], i == 0);
    st->ncols = t->n;
}

static void add_row(rec_state *st, const tokens *t)
{
    if (t->n == 0)
        return;
    if (st->in != REC_ALIGNED)
        st->last_line = st->line;
    if (st->rows == 0) { /* the header: the names when they fit, else v1, v2... */
        if (st->ncols != t->n) {
            dec_buf_clear(&st->names);
            for (size_t i = 0; i < t->n; i++) {
                char v[16];
                int k = snprintf(v, sizeof v, "v%zu", i + 1);
                dec_buf_field(&st->names, v, (size_t)k, i == 0);
            }
            st->ncols = t->n;
        }
        dec_buf_put(&st->csv, st->names.p ? st->names.p : "", st->names.len, SDC_DECODE_KEEP);
        dec_buf_put(&st->csv, "\n", 1, SDC_DECODE_KEEP);
    }
    for (size_t i = 0; i < t->n; i++)
        dec_buf_field(&st->csv, t->at[i], t->len[i], i == 0);
    dec_buf_put(&st->csv, "\n", 1, SDC_DECODE_KEEP);
    st->rows++;
}

#define ALIGNED_ROWS_MIN 10

/* A block of records or a table ends: emitted when big enough. A table
 * (TABLE: a header names its columns, or boxes draw them) in a document
 * is numbered, and the lines it holds are no document's prose. */
static void block_end_as(sdc_decode_scan *s, rec_state *st, bool table, long from)
{
    static const char *const names[] = {"",       "datalines", "stata input", "sql insert",
                                        "r data", "csv text",  "aligned rows"};
    int kind = st->in;
    st->in = REC_NONE;
    size_t min = kind == REC_CSV                 ? CSV_ROWS_MIN
                 : kind == REC_ALIGNED && !table ? ALIGNED_ROWS_MIN
                 : kind == REC_ALIGNED           ? 1 /* aligned_end judged its size */
                                                 : 2;
    if (st->rows < min || st->ncols < 2)
        return;
    unsigned no = table && st->aligned ? st->tab.tables + 1 : 0;
    if (!dec_rec_emit(s, st->csv.p ? st->csv.p : "", st->csv.len, st->csv.over,
                      no ? "table" : names[kind], st->block_line, no))
        return;
    if (no)
        st->tab.tables = no;
    if (st->aligned)
        dec_tab_span(&st->tab, from, st->last_line);
}

static void block_end(sdc_decode_scan *s, rec_state *st)
{
    block_end_as(s, st, false, st->block_line);
}

/* --- CSV text --- */

/* CSV written into code or a document: in a triple-quoted string, a
 * string with \n escapes, a fenced block. Three data rows at least
 * (CSV_ROWS_MIN), each with a number, so that a few lines of code with
 * commas are not one. */

/* Is F[0..n) a field a CSV row may hold: a quoted text, or letters,
 * digits, spaces and the marks of labels, numbers and suppression? Sets
 * *NUMBER when it is a number. */
static bool csv_field(const char *f, size_t n, bool *number)
{
    *number = false;
    if (n >= 2 && f[0] == '"' && f[n - 1] == '"')
        return memchr(f + 1, '"', n - 2) == NULL;
    bool digits = false, other = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)f[i];
        if (isdigit(c))
            digits = true;
        else if (isalpha(c) || c >= 0x80 || c == ' ' || c == '_' || c == '/' || c == ':' ||
                 c == '%' || c == '<' || c == '*' || c == '\x1f' /* LABEL_BLANK */)
            other = true;
        else if (c != '.' && c != '-' && c != '+')
            return false;
    }
    *number = digits && !other;
    return true;
}

/* Is L a CSV row of two fields or more (in T, trimmed)? *NUMBER: one of
 * them is a number. A line ending in a comma is a list going on, not a row. */
static bool csv_row(const char *l, tokens *t, bool *number)
{
    const char *p = skip_ws(l);
    size_t n = strlen(p);
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    *number = false;
    if (n == 0 || p[n - 1] == ',' || memchr(p, ',', n) == NULL)
        return false;
    split(p, true, t);
    if (t->over || t->n < 2)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        size_t len = t->len[i];
        const char *f = trim(t->at[i], &len);
        bool num;
        if (!csv_field(f, len, &num))
            return false;
        *number |= num;
        t->at[i] = f;
        t->len[i] = len;
    }
    unquote(t);
    return true;
}

/* One line of possible CSV text, on line AT: it goes on the CSV block, or
 * ends it, or starts one. A header's rows start on the line after it
 * (NEXT 1), or on the same line when they are pieces of one string. */
static void csv_line(sdc_decode_scan *s, rec_state *st, const char *l, long at, int next)
{
    tokens t;
    bool number;
    bool row = csv_row(l, &t, &number);
    if (st->in == REC_CSV) {
        if (row && number && t.n == st->ncols) {
            add_row(st, &t);
            return;
        }
        block_end(s, st);
    }
    if (!row)
        return;
    block_start(st, REC_CSV, number ? at : at + next);
    if (number)
        add_row(st, &t);
    else
        set_names(st, &t);
}

/* --- rows in aligned columns --- */

/* Stands for a blank inside a boxed table's row label ("North East |"),
 * so that the label stays one field; written back as a blank. */
#define LABEL_BLANK '\x1f'

/* L with Stata's box rules (|) as blanks, in OUT (REC_LINE_MAX + 1). In
 * a boxed line the label before the first rule is one field: its inner
 * blanks become LABEL_BLANK. True when L had a rule. */
static bool unbox(const char *l, char *out)
{
    size_t n = 0;
    const char *bar = strchr(l, '|');
    const char *first = l;
    while (blank(*first))
        first++;
    for (const char *q = l; *q && n < REC_LINE_MAX; q++) {
        bool inner = bar && q > first && q < bar && blank(*q);
        if (inner) { /* blanks with more label after them, before the rule */
            const char *r = q;
            while (r < bar && blank(*r))
                r++;
            inner = r < bar;
        }
        out[n++] = *q == '|' ? ' ' : inner ? LABEL_BLANK : *q;
    }
    out[n] = '\0';
    return bar != NULL;
}

static void label_blanks_back(char *p)
{
    for (; *p; p++)
        if (*p == LABEL_BLANK)
            *p = ' ';
}

/* A rule drawn between rows (---, ===, +----+): not data, not an end. */
static bool rule_line(const char *l)
{
    bool dash = false;
    for (; *l; l++) {
        if (*l == '-' || *l == '=' || *l == '_')
            dash = true;
        else if (*l != '+' && *l != '|' && *l != ' ' && *l != '\t')
            return false;
    }
    return dash;
}

/* L's fields between blanks, when there are two or more and each is a
 * field a table may hold (csv_field) with no comma or quote among them
 * (those are CSV text's): how many (*N) and how many are numbers. */
static bool blank_fields(const char *l, size_t *n, size_t *numbers)
{
    if (strchr(l, ',') || strchr(l, '"'))
        return false;
    tokens t;
    split(l, false, &t);
    if (t.over || t.n < 2)
        return false;
    *n = t.n;
    *numbers = 0;
    for (size_t i = 0; i < t.n; i++) {
        bool num;
        if (!csv_field(t.at[i], t.len[i], &num))
            return false;
        *numbers += num;
    }
    return true;
}

/* Is L (unboxed) a line of an aligned block: fields between blanks with
 * numbers as a row of data has them, two at least or half its fields
 * ("Counts were rounded to base 5." is a sentence)? */
static bool aligned_row(const char *l)
{
    size_t n, numbers;
    return blank_fields(l, &n, &numbers) && (numbers >= 2 || 2 * numbers >= n);
}

/* The end of the line at Q: its '\n', or the end of the text. */
static const char *line_end(const char *q)
{
    const char *e = strchr(q, '\n');
    return e ? e : q + strlen(q);
}

/* The columns of an aligned block, LINES (rows, '\n' after each) and
 * HEAD (or NULL): runs of positions not blank in every one of them. The
 * count, or 0 when more than REC_COLS_MAX or out of memory (*OOM set). */
static size_t aligned_columns(const char *lines, const char *head, size_t *from, size_t *to,
                              bool *oom)
{
    size_t width = head ? strlen(head) : 0;
    for (const char *q = lines; *q;) {
        const char *e = line_end(q);
        width = (size_t)(e - q) > width ? (size_t)(e - q) : width;
        q = *e ? e + 1 : e;
    }
    bool *gap = malloc(width + 1);
    if (!gap) {
        *oom = true;
        return 0;
    }
    for (size_t i = 0; i < width; i++)
        gap[i] = true;
    for (const char *q = lines; *q;) {
        const char *e = line_end(q);
        for (size_t i = 0; q + i < e; i++)
            gap[i] &= blank(q[i]);
        q = *e ? e + 1 : e;
    }
    for (size_t i = 0; head && head[i]; i++)
        gap[i] &= blank(head[i]);
    size_t ncols = 0;
    for (size_t i = 0; i < width;) {
        for (; i < width && gap[i]; i++)
            ;
        if (i == width)
            break;
        if (ncols == REC_COLS_MAX) {
            ncols = 0;
            break;
        }
        from[ncols] = i;
        for (; i < width && !gap[i]; i++)
            ;
        to[ncols++] = i;
    }
    free(gap);
    return ncols;
}

/* Field C of line L (LEN bytes) in the columns FROM/TO, trimmed. */
static const char *column_field(const char *l, size_t len, const size_t *from, const size_t *to,
                                size_t c, size_t *n)
{
    *n = from[c] < len ? (to[c] < len ? to[c] : len) - from[c] : 0;
    return trim(l + (from[c] < len ? from[c] : len), n);
}

/* Is H a header line: two labels or more between blanks, no number? */
static bool label_line(const char *h)
{
    size_t n, numbers;
    return blank_fields(h, &n, &numbers) && numbers == 0;
}

/* Is the column FROM..TO of LINES a row index: 0, 1, 2... or 1, 2, 3...? */
static bool index_column(const char *lines, size_t from, size_t to)
{
    long want = -1;
    for (const char *q = lines; *q;) {
        const char *e = line_end(q);
        size_t n = 0;
        const char *f = column_field(q, (size_t)(e - q), &from, &to, 0, &n);
        char *end;
        char buf[24];
        if (n == 0 || n >= sizeof buf)
            return false;
        memcpy(buf, f, n);
        buf[n] = '\0';
        long v = strtol(buf, &end, 10);
        if (*end || (want < 0 ? v != 0 && v != 1 : v != want))
            return false;
        want = v + 1;
        q = *e ? e + 1 : e;
    }
    return want > 0;
}

static void blank_column(char *lines, size_t from, size_t to)
{
    for (char *q = lines; *q;) {
        char *e = (char *)line_end(q);
        for (size_t i = from; i < to && q + i < e; i++)
            q[i] = ' ';
        q = *e ? e + 1 : e;
    }
}

/* Where the text of line L (LEN bytes) in column FROM..TO starts and
 * ends; false when the column is blank on it. */
static bool content_in(const char *l, size_t len, size_t from, size_t to, size_t *a, size_t *b)
{
    if (from >= len)
        return false;
    size_t e = to < len ? to : len;
    *a = from;
    while (*a < e && blank(l[*a]))
        (*a)++;
    *b = e;
    while (*b > *a && blank(l[*b - 1]))
        (*b)--;
    return *a < *b;
}

/* Joins columns that are one label with a blank inside ("North East", a
 * header's "Std. Error"): two neighbours are one column when, on every
 * line where both hold text, one blank alone parts the two texts (a
 * column of its own keeps its distance on some line, as R and pandas pad
 * them). LINES are the rows, HEAD the line above or NULL. */
static void join_label_columns(const char *lines, const char *head, size_t *from, size_t *to,
                               size_t *n)
{
    for (size_t c = 0; c + 1 < *n;) {
        bool apart = false, both = false;
        for (const char *q = head ? head : lines; *q && !apart;) {
            const char *e = line_end(q);
            size_t a1, b1, a2, b2;
            size_t len = (size_t)(e - q);
            bool n1 = false, n2 = false;
            if (content_in(q, len, from[c], to[c], &a1, &b1) &&
                content_in(q, len, from[c + 1], to[c + 1], &a2, &b2)) {
                both = true;
                csv_field(q + a1, b1 - a1, &n1);
                csv_field(q + a2, b2 - a2, &n2);
                apart = a2 - b1 != 1 || n1 || n2; /* numbers are columns of their own */
            }
            if (q == head) /* then the rows */
                q = lines;
            else
                q = *e ? e + 1 : e;
        }
        if (both && !apart) {
            to[c] = to[c + 1];
            memmove(from + c + 1, from + c + 2, (*n - c - 2) * sizeof *from);
            memmove(to + c + 1, to + c + 2, (*n - c - 2) * sizeof *to);
            (*n)--;
        } else {
            c++;
        }
    }
}

/* The columns of rows LINES under header H, labels with a blank inside
 * joined. */
static size_t header_columns(const char *lines, const char *h, size_t *from, size_t *to, bool *oom)
{
    size_t n = aligned_columns(lines, h, from, to, oom);
    join_label_columns(lines, h, from, to, &n);
    return n;
}

/* The end of an aligned block: its columns are the runs of positions not
 * blank in every row (so "North East" stays one field, and a missing
 * value is an empty one, as in a fixed-width file). The line above names
 * them when it is a line of labels that falls into the same columns
 * (a label wider than its values, right-aligned as pandas and R print
 * it, widens its column); else they are v1, v2... Then it is CSV like
 * any block. */
static void aligned_end(sdc_decode_scan *s, rec_state *st)
{
    size_t nlines = st->rows;
    st->rows = 0;
    char *p = st->lines.p ? st->lines.p : (char[]){""};
    size_t from[REC_COLS_MAX], to[REC_COLS_MAX], hfrom[REC_COLS_MAX], hto[REC_COLS_MAX];
    /* The same line again and again is a log's, not a table's. */
    size_t repeats = 0;
    for (const char *q = p, *prev = NULL; *q;) {
        const char *e = line_end(q);
        if (prev && q - prev == e - q + 1 && memcmp(prev, q, (size_t)(e - q)) == 0)
            repeats++;
        prev = q;
        q = *e ? e + 1 : e;
    }
    bool oom = false;
    size_t ncols = 2 * repeats > nlines ? 0 : aligned_columns(p, NULL, from, to, &oom);
    join_label_columns(p, NULL, from, to, &ncols);
    char *h = st->head.p ? st->head.p : (char[]){""};
    bool named = ncols >= 2 && label_line(h) && header_columns(p, h, hfrom, hto, &oom) == ncols;
    size_t a0, b0;
    bool unnamed_first =
        !content_in(h, strlen(h), named ? hfrom[0] : from[0], named ? hto[0] : to[0], &a0, &b0);
    if ((!named || unnamed_first) && ncols >= 3 && label_line(h) &&
        index_column(p, from[0], to[0])) {
        /* pandas and R print a row index with no name: the header names
         * the columns after it, so the index is left out */
        blank_column(p, from[0], to[0]);
        ncols = aligned_columns(p, NULL, from, to, &oom);
        join_label_columns(p, NULL, from, to, &ncols);
        named = label_line(h) && header_columns(p, h, hfrom, hto, &oom) == ncols;
    }
    /* A table: a header names its columns (one row is a table then: R
     * prints a one-way table as names over counts), or rules box them
     * (two rows). Without either, ten rows at least make records
     * (ALIGNED_ROWS_MIN). */
    bool table = named || st->boxed;
    if (oom) /* the block's columns are not known: the scan fails */
        s->failed = true;
    if (ncols < 2 || nlines < (named ? 1 : st->boxed ? 2 : ALIGNED_ROWS_MIN)) {
        st->in = REC_NONE;
        return;
    }
    if (named) {
        memcpy(from, hfrom, sizeof from);
        memcpy(to, hto, sizeof to);
    }
    label_blanks_back(p);
    label_blanks_back(h);
    size_t hlen = strlen(h);
    dec_buf_clear(&st->names);
    for (size_t c = 0; c < ncols; c++) {
        size_t n = 0;
        const char *f = named ? column_field(h, hlen, from, to, c, &n) : h;
        if (c == 0 && named && st->index_name.len) {
            f = st->index_name.p;
            n = st->index_name.len;
        }
        char v[16];
        if (n == 0) {
            n = (size_t)snprintf(v, sizeof v, "v%zu", c + 1);
            f = v;
        }
        dec_buf_field(&st->names, f, n, c == 0);
    }
    st->ncols = ncols;
    tokens t = {.n = ncols};
    for (const char *q = p; *q;) {
        const char *e = line_end(q);
        for (size_t c = 0; c < ncols; c++)
            t.at[c] = column_field(q, (size_t)(e - q), from, to, c, &t.len[c]);
        add_row(st, &t);
        q = *e ? e + 1 : e;
    }
    if (st->lines.over) /* rows past SDC_DECODE_KEEP were not kept: the table is cut */
        st->csv.over = true;
    if (named) /* a table is found where its header is */
        st->block_line = st->head_line;
    block_end_as(s, st, table, st->block_line);
}

/* One line of a document that may be a row in aligned columns: it goes
 * on the block (a rule between rows is passed over), or ends it, or
 * starts one. Returns true when the line is the block's. */
static bool aligned_line(sdc_decode_scan *s, rec_state *st, const char *l)
{
    if (st->in == REC_ALIGNED && rule_line(l)) {
        st->last_line = st->line;
        return true;
    }
    char buf[REC_LINE_MAX + 1];
    bool bar = unbox(l, buf);
    if (!aligned_row(buf)) {
        if (st->in == REC_ALIGNED)
            aligned_end(s, st);
        return false;
    }
    if (st->in != REC_ALIGNED) {
        block_start(st, REC_ALIGNED, st->line);
        st->boxed = false;
        dec_buf_clear(&st->lines);
        char head[REC_LINE_MAX + 1];
        unbox(st->prev.p ? st->prev.p : "", head);
        dec_buf_clear(&st->head);
        dec_buf_clear(&st->index_name);
        st->head_line = st->prev_line;
        /* pandas (a named index) and R's ftable print the row labels' name
         * on a line of its own under the header: "sex  F  M" / "practice" */
        size_t n1, num1;
        tokens one;
        split(head, false, &one); /* PREV unboxed: "Region |" is one word */
        char head2[REC_LINE_MAX + 1];
        unbox(st->prev2.p ? st->prev2.p : "", head2);
        label_blanks_back(head2);
        /* (only rules may stand between the two: PREV2 is the line before
         * PREV that is not a rule) */
        if (one.n == 1 && !one.over && blank_fields(head2, &n1, &num1) && num1 == 0) {
            char name[REC_LINE_MAX + 1];
            size_t nl = one.len[0];
            memcpy(name, one.at[0], nl);
            name[nl] = '\0';
            label_blanks_back(name);
            dec_buf_put(&st->index_name, name, nl, REC_LINE_MAX + 2);
            memcpy(head, head2, strlen(head2) + 1);
            /* the header's first word names the columns' variable ("sex"),
             * over no column of its own; a box's header (Stata 17's table)
             * has nothing before its first rule */
            const char *rule_bar = strchr(st->prev2.p, '|');
            bool first_word = !rule_bar || skip_ws(st->prev2.p) < rule_bar;
            char *w = head + (skip_ws(head) - head);
            while (first_word && *w && !blank(*w))
                *w++ = ' ';
            st->head_line = st->prev2_line;
        }
        dec_buf_put(&st->head, head, strlen(head), REC_LINE_MAX + 2);
    }
    st->boxed |= bar;
    st->last_line = st->line;
    /* Whole lines only: past SDC_DECODE_KEEP the block is cut (over). */
    size_t n = strlen(buf);
    if (st->lines.len + n + 2 > SDC_DECODE_KEEP) {
        st->lines.over = true;
    } else {
        dec_buf_put(&st->lines, buf, n, SDC_DECODE_KEEP);
        dec_buf_put(&st->lines, "\n", 1, SDC_DECODE_KEEP);
        st->rows += !st->lines.over;
    }
    return true;
}

/* The text of line L that may be CSV: inside a triple-quoted string
 * (""" or '''), what is after its opening quote or before its closing one,
 * with st->triple saying which comes next; else L. */
static char *csv_unquote(rec_state *st, char *l)
{
    char *q = strstr(l, "\"\"\"");
    char *q1 = strstr(l, "'''");
    if (!q || (q1 && q1 < q))
        q = q1;
    if (!q)
        return l;
    char *after = q + 3;
    char *q2 = strstr(after, q[0] == '"' ? "\"\"\"" : "'''");
    if (q2) { /* opened and closed on this line */
        *q2 = '\0';
        return after;
    }
    st->triple = !st->triple;
    if (st->triple)
        return after;
    *q = '\0';
    return l;
}

/* A string literal on L holding CSV lines joined by \n escapes
 * (io.StringIO("id,sex\n1,F\n..."), read.csv(text = "...")): its lines
 * make a block of their own. True when L held one. */
static bool csv_string(sdc_decode_scan *s, rec_state *st, const char *l)
{
    const char *open = strpbrk(l, "\"'");
    if (!open || !strstr(open, "\\n"))
        return false;
    char quote = *open;
    const char *p = open + 1, *end = p;
    while (*end && *end != quote)
        end += end[0] == '\\' && end[1] ? 2 : 1;
    size_t pieces = 0;
    for (const char *q = p; q + 1 < end; q++)
        if (q[0] == '\\' && q[1] == 'n')
            pieces++;
    if (pieces < CSV_ROWS_MIN)
        return false;
    if (st->in == REC_CSV)
        block_end(s, st);
    char piece[REC_LINE_MAX + 1];
    while (p < end) {
        const char *nl = p;
        while (nl < end && !(nl[0] == '\\' && nl[1] == 'n'))
            nl++;
        size_t n = (size_t)(nl - p);
        if (n > REC_LINE_MAX)
            n = REC_LINE_MAX;
        memcpy(piece, p, n);
        piece[n] = '\0';
        csv_line(s, st, piece, st->line, 0);
        p = nl < end ? nl + 2 : end;
    }
    if (st->in == REC_CSV)
        block_end(s, st);
    return true;
}

/* --- SAS and Stata --- */

static bool stata_type(const char *w, size_t n)
{
    static const char *const types[] = {"byte", "int", "long", "float", "double", "strL"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (n == strlen(types[i]) && strncmp(w, types[i], n) == 0)
            return true;
    if (n > 3 && strncmp(w, "str", 3) == 0) {
        for (size_t i = 3; i < n; i++)
            if (!isdigit((unsigned char)w[i]))
                return false;
        return true;
    }
    return w[0] == '%'; /* a display format */
}

/* The variable names of an INPUT statement's text (after the word). */
static void input_names(const char *p, bool stata, tokens *out)
{
    tokens t;
    split(p, false, &t);
    out->n = 0;
    for (size_t i = 0; i < t.n; i++) {
        const char *w = t.at[i];
        size_t n = t.len[i];
        while (n && (w[n - 1] == ';' || w[n - 1] == '$'))
            n--;
        if (!n || !(isalpha((unsigned char)w[0]) || w[0] == '_') || (stata && stata_type(w, n)))
            continue; /* "$", informats "8.", pointers "@5", types */
        bool ident = true;
        for (size_t k = 0; k < n && ident; k++)
            ident = isalnum((unsigned char)w[k]) || w[k] == '_';
        if (!ident || out->n == REC_COLS_MAX)
            continue;
        out->at[out->n] = w;
        out->len[out->n++] = n;
    }
}

static bool sas_datalines(const char *p, char *end)
{
    static const char *const words[] = {"datalines4", "cards4", "lines4",
                                        "datalines",  "cards",  "lines"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (word_at(p, words[i])) {
            const char *q = skip_ws(p + strlen(words[i]));
            if (*q != ';')
                return false;
            strcpy(end, i < 3 ? ";;;;" : ";");
            return true;
        }
    return false;
}

/* --- SQL --- */

/* Copies an identifier (quotes and brackets removed) from P into OUT;
 * returns what follows. */
static const char *ident(const char *p, char *out, size_t size)
{
    p = skip_ws(p);
    size_t n = 0;
    char close = *p == '"' ? '"' : *p == '`' ? '`' : *p == '[' ? ']' : 0;
    if (close)
        p++;
    while (*p && (close ? *p != close : isalnum((unsigned char)*p) || *p == '_' || *p == '.')) {
        if (n + 1 < size)
            out[n++] = *p;
        p++;
    }
    if (close && *p == close)
        p++;
    out[n] = '\0';
    return p;
}

/* The values of one parenthesised tuple at P ('(' first) into T, copied
 * into STORE; returns what follows, or NULL. */
static const char *tuple(const char *p, tokens *t, rec_buf *store)
{
    t->n = 0;
    dec_buf_clear(store);
    size_t offs[REC_COLS_MAX];
    p++;
    for (;;) {
        p = skip_ws(p);
        size_t start = store->len;
        if (*p == '\'') {
            for (p++; *p; p++) {
                if (*p == '\'' && p[1] == '\'') {
                    dec_buf_put(store, "'", 1, REC_STMT_MAX);
                    p++;
                } else if (*p == '\'') {
                    p++;
                    break;
                } else {
                    dec_buf_put(store, p, 1, REC_STMT_MAX);
                }
            }
        } else {
            const char *q = p;
            while (*q && *q != ',' && *q != ')')
                q++;
            size_t n = (size_t)(q - p);
            while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
                n--;
            if (!(n == 4 && strncasecmp(p, "NULL", 4) == 0))
                dec_buf_put(store, p, n, REC_STMT_MAX);
            p = q;
        }
        if (t->n == REC_COLS_MAX)
            return NULL;
        offs[t->n] = start;
        t->len[t->n++] = store->len - start;
        p = skip_ws(p);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != ')')
            return NULL;
        break;
    }
    for (size_t i = 0; i < t->n; i++)
        t->at[i] = store->p ? store->p + offs[i] : "";
    return p + 1;
}

/* Names inside "( ... )" at P, top-level commas, the first word of each,
 * constraints left out. */
static void column_list(const char *p, tokens *t, rec_buf *store)
{
    static const char *const not_columns[] = {"PRIMARY", "FOREIGN", "CONSTRAINT", "UNIQUE",
                                              "KEY",     "CHECK",   "INDEX"};
    t->n = 0;
    dec_buf_clear(store);
    size_t offs[REC_COLS_MAX];
    int depth = 0;
    bool want = true;
    for (p++; *p && depth >= 0; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')')
            depth--;
        else if (*p == ',' && depth == 0)
            want = true;
        else if (want && depth == 0 && !isspace((unsigned char)*p)) {
            want = false;
            char name[128];
            const char *q = ident(p, name, sizeof name);
            bool keep = name[0] != '\0';
            for (size_t i = 0; keep && i < sizeof not_columns / sizeof not_columns[0]; i++)
                keep = strcasecmp(name, not_columns[i]) != 0;
            if (keep && t->n < REC_COLS_MAX) {
                offs[t->n] = store->len;
                dec_buf_put(store, name, strlen(name), REC_STMT_MAX);
                t->len[t->n++] = strlen(name);
            }
            p = q > p ? q - 1 : p;
        }
    }
    for (size_t i = 0; i < t->n; i++)
        t->at[i] = store->p ? store->p + offs[i] : "";
}

static void sql_statement(sdc_decode_scan *s, rec_state *st)
{
    const char *p = skip_ws(st->stmt.p ? st->stmt.p : "");
    rec_buf store = {0};
    tokens t;
    if (word_at(p, "create")) {
        const char *q = strcasestr(p, "table");
        if (q) {
            q = ident(q + 5, st->sql_cols_table, sizeof st->sql_cols_table);
            q = strchr(q, '(');
            if (q) {
                column_list(q, &t, &store);
                dec_buf_clear(&st->sql_cols);
                for (size_t i = 0; i < t.n; i++)
                    dec_buf_field(&st->sql_cols, t.at[i], t.len[i], i == 0);
            }
        }
        dec_buf_settle(s, &store);
        return;
    }
    /* INSERT INTO name [(columns)] VALUES (...), (...) */
    char table[64];
    const char *q = ident(skip_ws(p + 6) + 4, table, sizeof table);
    if (st->in == REC_SQL && strcmp(table, st->sql_table) != 0)
        block_end(s, st);
    q = skip_ws(q);
    if (st->in != REC_SQL) {
        block_start(st, REC_SQL, st->block_line);
        snprintf(st->sql_table, sizeof st->sql_table, "%s", table);
        if (*q == '(') {
            column_list(q, &t, &store);
            set_names(st, &t);
        } else if (strcmp(table, st->sql_cols_table) == 0 && st->sql_cols.len) {
            dec_buf_clear(&st->names);
            dec_buf_put(&st->names, st->sql_cols.p, st->sql_cols.len, SDC_DECODE_KEEP);
            st->ncols = 1;
            for (size_t i = 0; i < st->sql_cols.len; i++)
                st->ncols += st->sql_cols.p[i] == ',';
        }
    }
    if (*q == '(')
        q = strchr(q, ')') ? strchr(q, ')') + 1 : q;
    q = skip_ws(q);
    if (!word_at(q, "values")) {
        dec_buf_settle(s, &store);
        return;
    }
    q = skip_ws(q + 6);
    while (q && *q == '(') {
        q = tuple(q, &t, &store);
        if (!q)
            break;
        add_row(st, &t);
        q = skip_ws(q);
        if (*q == ',')
            q = skip_ws(q + 1);
    }
    dec_buf_settle(s, &store);
}

/* --- R --- */

/* The elements of "c(...)" at P (after "c(") into COLUMN as CSV-ready
 * pieces; returns the count, or 0 when it is not a plain vector. */
static size_t r_vector(const char *p, const char *end, rec_buf *column)
{
    size_t n = 0;
    dec_buf_clear(column);
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
            p++;
        if (p >= end)
            break;
        const char *start = p, *stop;
        if (*p == '"' || *p == '\'') {
            char qc = *p++;
            start = p;
            while (p < end && *p != qc)
                p += *p == '\\' ? 2 : 1;
            stop = p < end ? p : end;
            p = stop + 1;
        } else {
            while (p < end && *p != ',')
                p++;
            stop = p;
            while (stop > start && isspace((unsigned char)stop[-1]))
                stop--;
            if (stop > start && stop[-1] == 'L')
                stop--; /* 12L */
        }
        dec_buf_put(column, start, (size_t)(stop - start), REC_STMT_MAX);
        dec_buf_put(column, "\x1f", 1, REC_STMT_MAX); /* a separator no value holds */
        n++;
        while (p < end && *p != ',')
            p++;
        p++;
    }
    return n;
}

/* Where the parenthesis opened at P closes (quotes skipped), or NULL. */
static const char *r_close(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '"' || *p == '\'') {
            char qc = *p;
            for (p++; *p && *p != qc; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                return NULL;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')' && --depth == 0) {
            return p;
        }
    }
    return NULL;
}

static void r_call(sdc_decode_scan *s, rec_state *st)
{
    const char *p = st->stmt.p ? st->stmt.p : "";
    const char *open = strchr(p, '(');
    if (word_at(p, "structure")) { /* structure(list(...), ...) */
        const char *l = strstr(p, "list(");
        open = l ? l + 4 : NULL;
    }
    const char *close = open ? r_close(open) : NULL;
    if (!close)
        return;
    rec_buf cols[REC_COLS_MAX / 4] = {{0}};
    char names[REC_COLS_MAX / 4][64];
    size_t ncols = 0, rows = 0;
    bool same = true;
    const char *q = open + 1;
    while (q < close && ncols < REC_COLS_MAX / 4) {
        char name[64];
        q = ident(q, name, sizeof name);
        q = skip_ws(q);
        if (*q != '=')
            break;
        q = skip_ws(q + 1);
        while (*q == '\n' || *q == ' ' || *q == '\r')
            q++;
        const char *arg_end;
        if (strncmp(q, "c(", 2) == 0 && (arg_end = r_close(q + 1)) && arg_end < close) {
            size_t n = r_vector(q + 2, arg_end, &cols[ncols]);
            if (n) {
                snprintf(names[ncols], sizeof names[ncols], "%s", name);
                if (ncols && n != rows)
                    same = false;
                rows = n;
                ncols++;
            }
            q = arg_end + 1;
        } else { /* a scalar or another call: skip to the next top-level comma */
            int depth = 0;
            while (q < close && !(depth == 0 && *q == ',')) {
                depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
                q++;
            }
        }
        while (q < close && (*q == ',' || isspace((unsigned char)*q)))
            q++;
    }
    if (same && ncols >= 2 && rows >= 2) {
        block_start(st, REC_R, st->block_line);
        tokens t = {.n = ncols};
        for (size_t c = 0; c < ncols; c++) {
            t.at[c] = names[c];
            t.len[c] = strlen(names[c]);
        }
        set_names(st, &t);
        const char *at[REC_COLS_MAX / 4];
        for (size_t c = 0; c < ncols; c++)
            at[c] = cols[c].p;
        for (size_t r = 0; r < rows; r++) {
            for (size_t c = 0; c < ncols; c++) {
                const char *e = strchr(at[c], '\x1f');
                t.at[c] = at[c];
                t.len[c] = (size_t)(e - at[c]);
                at[c] = e + 1;
            }
            add_row(st, &t);
        }
        block_end(s, st);
    }
    for (size_t c = 0; c < REC_COLS_MAX / 4; c++)
        dec_buf_settle(s, &cols[c]);
}

static const char *r_start(const char *l)
{
    static const char *const calls[] = {"structure(list(", "data.frame(", "tibble(", "data.table("};
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        const char *p = strstr(l, calls[i]);
        if (p && (p == l || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.')))
            return p;
    }
    return NULL;
}

/* --- lines --- */

/* Gathers a statement's text; true once it is complete (';' outside
 * quotes for SQL, the parentheses closed for R). */
static bool gather(rec_state *st, const char *l, bool sql)
{
    dec_buf_put(&st->stmt, l, strlen(l), REC_STMT_MAX);
    dec_buf_put(&st->stmt, "\n", 1, REC_STMT_MAX);
    if (st->stmt.over)
        return true;
    for (const char *p = l; *p; p++) {
        if (sql) {
            if (*p == '\'')
                st->depth = !st->depth; /* in a string */
            else if (*p == ';' && !st->depth)
                return true;
        } else if (*p == '"' || *p == '\'') {
            char qc = *p;
            for (p++; *p && *p != qc; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                return false; /* a string across lines: not a dput */
        } else if (*p == '(') {
            st->depth++;
        } else if (*p == ')' && --st->depth == 0) {
            return true;
        }
    }
    return false;
}

static void line(sdc_decode_scan *s, rec_state *st, char *l)
{
    const char *p = skip_ws(l);
    tokens t;
    char *unquoted = NULL; /* csv_unquote(L), read once: it moves st->triple */
    if (st->in == REC_CSV) {
        unquoted = csv_unquote(st, l);
        csv_line(s, st, unquoted, st->line, 1);
        if (st->in == REC_CSV)
            return;
        p = skip_ws(l); /* csv_unquote may have cut L: read it as it is left */
    }
    if (st->in == REC_SAS) {
        size_t n = strlen(p);
        while (n && isspace((unsigned char)p[n - 1]))
            n--;
        if (n >= strlen(st->sas_end) && strncmp(p, st->sas_end, strlen(st->sas_end)) == 0 &&
            n == strlen(st->sas_end)) {
            block_end(s, st);
            return;
        }
        split(p, false, &t);
        if (t.n != st->ncols && strchr(p, ',')) {
            tokens c;
            split(p, true, &c);
            if (c.n == st->ncols) {
                unquote(&c);
                t = c;
            }
        }
        if (!t.over)
            add_row(st, &t);
        return;
    }
    if (st->in == REC_STATA) {
        if (word_at(p, "end") && !*skip_ws(p + 3)) {
            block_end(s, st);
            return;
        }
        split(p, false, &t);
        if (!t.over)
            add_row(st, &t);
        return;
    }
    if (st->gathering) { /* an SQL statement or R call being gathered */
        bool sql = st->gathering == REC_GATHER_SQL;
        if (gather(st, l, sql)) {
            st->gathering = REC_GATHER_NONE;
            if (sql)
                sql_statement(s, st);
            else
                r_call(s, st);
            dec_buf_clear(&st->stmt);
            st->depth = 0;
        }
        return;
    }
    /* Outside a block: what starts one. An SQL run ends at anything else. */
    bool insert = word_at(p, "insert") && word_at(skip_ws(p + 6), "into");
    if (st->in == REC_SQL && *p && !insert && strncmp(p, "--", 2) != 0)
        block_end(s, st);
    if (insert || (word_at(p, "create") && strcasestr(p, "table"))) {
        if (st->in != REC_SQL)
            st->block_line = st->line;
        st->depth = 0;
        st->gathering = REC_GATHER_SQL;
        if (gather(st, p, true)) {
            st->gathering = REC_GATHER_NONE;
            sql_statement(s, st);
            dec_buf_clear(&st->stmt);
        }
        return;
    }
    if (word_at(p, "input")) {
        size_t n = strlen(p);
        while (n && isspace((unsigned char)p[n - 1]))
            n--;
        input_names(p + 5, n && p[n - 1] != ';', &t);
        if (n && p[n - 1] == ';') { /* SAS: the names, for the DATALINES to come */
            dec_buf_clear(&st->input_names);
            for (size_t i = 0; i < t.n; i++)
                dec_buf_field(&st->input_names, t.at[i], t.len[i], i == 0);
            st->input_n = t.n;
        } else if (t.n >= 2) { /* Stata: the rows follow */
            block_start(st, REC_STATA, st->line + 1);
            set_names(st, &t);
        }
        return;
    }
    if (sas_datalines(p, st->sas_end)) {
        block_start(st, REC_SAS, st->line + 1);
        if (st->input_n) {
            dec_buf_put(&st->names, st->input_names.p, st->input_names.len, SDC_DECODE_KEEP);
            st->ncols = st->input_n;
        }
        return;
    }
    const char *r = r_start(p);
    if (r) {
        st->block_line = st->line;
        st->depth = 0;
        st->gathering = REC_GATHER_R;
        if (gather(st, r, false)) {
            st->gathering = REC_GATHER_NONE;
            r_call(s, st);
            dec_buf_clear(&st->stmt);
        }
        return;
    }
    if (!csv_string(s, st, l) && st->in == REC_NONE)
        csv_line(s, st, unquoted ? unquoted : csv_unquote(st, l), st->line, 1);
}

/* A line of a document: its tables (Markdown, LaTeX, HTML) first, then
 * rows in aligned columns, then the rest; a line no block takes may be
 * prose (decode_tables.c). */
static void doc_line(sdc_decode_scan *s, rec_state *st, char *l)
{
    bool taken = false;
    if (st->aligned && !st->gathering && (st->in == REC_NONE || st->in == REC_ALIGNED) &&
        dec_tab_opens(&st->tab, l, st->line, st->prev.p ? st->prev.p : "")) {
        if (st->in == REC_ALIGNED)
            aligned_end(s, st);
        taken = dec_tab_line(s, st, l);
    }
    if (!taken && (!st->aligned || (st->in != REC_NONE && st->in != REC_ALIGNED) || st->gathering ||
                   !aligned_line(s, st, l)))
        line(s, st, l);
    if (st->aligned && !taken)
        dec_tab_text_line(&st->tab, l, st->line);
    if (st->aligned)
        dec_tab_after(&st->tab, l, st->line);
    if (st->aligned && !rule_line(l)) { /* a header may stand above a rule */
        rec_buf keep = st->prev2;
        st->prev2 = st->prev;
        st->prev2_line = st->prev_line;
        st->prev = keep;
        dec_buf_clear(&st->prev);
        dec_buf_put(&st->prev, l, strlen(l), REC_LINE_MAX + 2);
        st->prev_line = st->line;
    }
}

void dec_rec_feed(sdc_decode_scan *s, rec_state *st, const unsigned char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = (char)t[i];
        if (c != '\n') {
            if (c == '\0')
                c = ' ';
            if (st->cur.len < REC_LINE_MAX)
                dec_buf_put(&st->cur, &c, 1, REC_LINE_MAX + 2);
            else
                st->cur_long = true;
            continue;
        }
        st->line++;
        if (st->cur.len && st->cur.p[st->cur.len - 1] == '\r')
            st->cur.p[--st->cur.len] = '\0';
        if (!st->cur_long)
            doc_line(s, st, st->cur.p ? st->cur.p : (char[]){""});
        dec_buf_clear(&st->cur);
        st->cur_long = false;
    }
}

void dec_rec_finish(sdc_decode_scan *s, rec_state *st)
{
    if (st->cur.len && !st->cur_long) {
        st->line++;
        doc_line(s, st, st->cur.p);
    }
    if (st->in == REC_ALIGNED)
        aligned_end(s, st);
    else if (st->in != REC_NONE)
        block_end(s, st);
    if (st->aligned)
        dec_tab_finish(s, st);
    dec_rec_settle(s, st);
}

void dec_rec_free(rec_state *st)
{
    dec_buf_release(&st->cur);
    dec_buf_release(&st->names);
    dec_buf_release(&st->csv);
    dec_buf_release(&st->stmt);
    dec_buf_release(&st->sql_cols);
    dec_buf_release(&st->input_names);
    dec_buf_release(&st->prev);
    dec_buf_release(&st->lines);
    dec_buf_release(&st->head);
    dec_buf_release(&st->prev2);
    dec_buf_release(&st->index_name);
    dec_tab_free(&st->tab);
}
