/*
 * test_csv_reader.c - the streaming CSV reader (doc/design.md, "Reading tables").
 *
 * Every input is fed in chunks of several sizes, because the reader holds
 * back the first 16 KiB to sniff and decodes chunk by chunk: a multi-byte
 * character, a CRLF, a BOM or a UTF-16 surrogate pair split between two
 * chunks must read exactly as if the file had come in one piece.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "table/table_build.h"

#define SNIFF_HEAD (16u * 1024u) /* what csv_reader.c holds back */
#define WHOLE ((size_t)-1)       /* feed the input in one call */

static const size_t chunk_sizes[] = {1, 2, 3, 7, 4096, 64 * 1024};
#define NCHUNKS (sizeof chunk_sizes / sizeof chunk_sizes[0])

/* ---- helpers ------------------------------------------------------------ */

typedef struct csv_result {
    sdc_policy *policy;
    sdc_findings findings;
    sdc_table *table;
    sdc_csv_info info;
} csv_result;

/* Feeds LEN bytes to a new reader CHUNK bytes at a time under POLICY (the
 * result takes ownership of it) and keeps the table, findings and info. */
static csv_result read_with(sdc_policy *policy, const void *bytes, size_t len, size_t chunk)
{
    csv_result res;
    memset(&res, 0, sizeof res);
    res.policy = policy;
    cr_assert_not_null(policy);
    sdc_csv_reader *r = sdc_csv_reader_new(policy, &res.findings);
    cr_assert_not_null(r);
    const unsigned char *p = bytes;
    if (chunk == 0 || chunk > len)
        chunk = len ? len : 1;
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        cr_assert_eq(sdc_csv_reader_feed(r, p + off, n), 0, "feed failed at byte %zu", off);
    }
    res.table = sdc_csv_reader_finish(r);
    res.info = *sdc_csv_reader_info(r);
    sdc_csv_reader_free(r);
    return res;
}

static csv_result read_bytes(const void *bytes, size_t len, size_t chunk)
{
    return read_with(sdc_policy_default(), bytes, len, chunk);
}

static csv_result read_str(const char *text)
{
    return read_bytes(text, strlen(text), WHOLE);
}

static void result_free(csv_result *res)
{
    sdc_table_free(res->table);
    sdc_findings_free(&res->findings);
    sdc_policy_free(res->policy);
    memset(res, 0, sizeof *res);
}

static const sdc_cell *cell(const csv_result *res, size_t row, size_t col)
{
    cr_assert_not_null(res->table);
    cr_assert_lt(row, res->table->nrows, "row %zu of %zu", row, res->table->nrows);
    cr_assert_lt(col, res->table->ncols, "column %zu of %zu", col, res->table->ncols);
    return sdc_table_cell(res->table, row, col);
}

static void assert_text(const csv_result *res, size_t row, size_t col, const char *text)
{
    cr_assert_str_eq(cell(res, row, col)->text, text, "cell (%zu,%zu)", row, col);
}

static void assert_number(const csv_result *res, size_t row, size_t col, double v)
{
    const sdc_cell *c = cell(res, row, col);
    cr_assert_eq(c->kind, SDC_CELL_NUMBER, "cell (%zu,%zu) \"%s\" kind %d", row, col, c->text,
                 c->kind);
    cr_assert_float_eq(c->number, v, 1e-9, "cell (%zu,%zu) \"%s\"", row, col, c->text);
}

static void assert_kind(const csv_result *res, size_t row, size_t col, sdc_cell_kind kind)
{
    const sdc_cell *c = cell(res, row, col);
    cr_assert_eq(c->kind, kind, "cell (%zu,%zu) \"%s\" has kind %d, expected %d", row, col, c->text,
                 c->kind, kind);
}

/* Number of findings with rule RULE and a message containing NEEDLE. */
static size_t count_message(const csv_result *res, const char *rule, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < res->findings.count; i++)
        if (strcmp(res->findings.items[i].rule, rule) == 0 &&
            strstr(res->findings.items[i].message, needle))
            n++;
    return n;
}

/* Everything a reader reports, compared between two ways of feeding. */
static void assert_same_result(const csv_result *a, const csv_result *b, size_t chunk)
{
    cr_assert_str_eq(a->info.encoding, b->info.encoding, "chunk %zu", chunk);
    cr_assert_eq(a->info.delimiter, b->info.delimiter, "chunk %zu", chunk);
    cr_assert_eq(a->info.decimal_comma, b->info.decimal_comma, "chunk %zu", chunk);
    cr_assert_eq(a->findings.count, b->findings.count, "chunk %zu: %zu findings, whole: %zu", chunk,
                 b->findings.count, a->findings.count);
    for (size_t i = 0; i < a->findings.count; i++) {
        const sdc_finding *fa = &a->findings.items[i], *fb = &b->findings.items[i];
        cr_assert_str_eq(fa->rule, fb->rule, "chunk %zu finding %zu", chunk, i);
        cr_assert_eq(fa->line, fb->line, "chunk %zu finding %zu (%s)", chunk, i, fb->message);
        cr_assert_str_eq(fa->message, fb->message, "chunk %zu finding %zu", chunk, i);
    }
    cr_assert_eq(a->table == NULL, b->table == NULL, "chunk %zu", chunk);
    if (!a->table)
        return;
    const sdc_table *ta = a->table, *tb = b->table;
    cr_assert_eq(ta->ncols, tb->ncols, "chunk %zu", chunk);
    cr_assert_eq(ta->nrows, tb->nrows, "chunk %zu: %zu rows, whole: %zu", chunk, tb->nrows,
                 ta->nrows);
    cr_assert_eq(ta->header_line, tb->header_line, "chunk %zu", chunk);
    cr_assert_eq(ta->rows_seen, tb->rows_seen, "chunk %zu", chunk);
    cr_assert_eq(ta->truncated, tb->truncated, "chunk %zu", chunk);
    for (size_t c = 0; c < ta->ncols; c++)
        cr_assert_str_eq(ta->columns[c].name, tb->columns[c].name, "chunk %zu column %zu", chunk,
                         c);
    for (size_t r = 0; r < ta->nrows; r++) {
        cr_assert_eq(ta->row_line[r], tb->row_line[r], "chunk %zu row %zu", chunk, r);
        for (size_t c = 0; c < ta->ncols; c++) {
            const sdc_cell *ca = sdc_table_cell(ta, r, c), *cb = sdc_table_cell(tb, r, c);
            cr_assert_str_eq(ca->text, cb->text, "chunk %zu cell (%zu,%zu)", chunk, r, c);
            cr_assert_eq(ca->kind, cb->kind, "chunk %zu cell (%zu,%zu)", chunk, r, c);
            cr_assert_eq(ca->number, cb->number, "chunk %zu cell (%zu,%zu)", chunk, r, c);
        }
    }
}

/* Reads BYTES whole, then in every chunk size, asserting the same result;
 * returns the whole read for the caller's own checks. */
static csv_result read_every_way(const void *bytes, size_t len)
{
    csv_result whole = read_bytes(bytes, len, WHOLE);
    for (size_t k = 0; k < NCHUNKS; k++) {
        csv_result part = read_bytes(bytes, len, chunk_sizes[k]);
        assert_same_result(&whole, &part, chunk_sizes[k]);
        result_free(&part);
    }
    return whole;
}

/* A growable byte buffer for generated inputs. */
typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void buf_add(buf *b, const void *bytes, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        cr_assert_not_null(b->p);
        b->cap = cap;
    }
    memcpy(b->p + b->len, bytes, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    cr_assert(n >= 0 && (size_t)n < sizeof tmp);
    buf_add(b, tmp, (size_t)n);
}

static void buf_repeat(buf *b, char c, size_t n)
{
    while (n--)
        buf_add(b, &c, 1);
}

/*
 * "label,n\n", then filler rows "f,1\n", then a row whose label is padding
 * followed by SEQ, placed so that SEQ starts at byte AT, then AFTER rows
 * "after,2\n". *SEQ_ROW is the body row (0-based) holding SEQ.
 */
static buf text_with_seq_at(const char *seq, size_t at, size_t after, size_t *seq_row)
{
    buf b = {0};
    buf_add(&b, "label,n\n", 8);
    size_t rows = 0;
    while (b.len + 4 < at) {
        buf_add(&b, "f,1\n", 4);
        rows++;
    }
    buf_repeat(&b, 'p', at - b.len);
    cr_assert_eq(b.len, at);
    buf_add(&b, seq, strlen(seq));
    *seq_row = rows;
    for (size_t i = 0; i < after; i++)
        buf_add(&b, "after,2\n", 8);
    return b;
}

/* UTF-8 TEXT as UTF-16 (LE or BE), with a BOM if asked; caller frees. */
static unsigned char *utf8_to_utf16(const char *s, size_t len, bool le, bool bom, size_t *out_len)
{
    unsigned char *out = malloc(len * 4 + 2);
    cr_assert_not_null(out);
    size_t n = 0;
#define PUT16(u)                                                                                   \
    do {                                                                                           \
        unsigned u16 = (unsigned)(u);                                                              \
        out[n++] = (unsigned char)(le ? u16 & 0xFF : u16 >> 8);                                    \
        out[n++] = (unsigned char)(le ? u16 >> 8 : u16 & 0xFF);                                    \
    } while (0)
    if (bom)
        PUT16(0xFEFF);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        size_t k;
        if (c < 0x80)
            cp = c, k = 1;
        else if (c < 0xE0)
            cp = c & 0x1Fu, k = 2;
        else if (c < 0xF0)
            cp = c & 0x0Fu, k = 3;
        else
            cp = c & 0x07u, k = 4;
        for (size_t j = 1; j < k; j++)
            cp = cp << 6 | ((unsigned char)s[i + j] & 0x3Fu);
        i += k;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            PUT16(0xD800 | (cp >> 10));
            PUT16(0xDC00 | (cp & 0x3FF));
        } else {
            PUT16(cp);
        }
    }
#undef PUT16
    *out_len = n;
    return out;
}

/* ---- tables ------------------------------------------------------------- */

Test(csv_reader, header_and_rows_give_counts_kinds_and_numbers)
{
    csv_result res = read_str("region,sex,count,rate\n"
                              "North,F,12,12.5%\n"
                              "North,M,\"1,234\",-3\n"
                              "South,F,c,NA\n");
    cr_assert_not_null(res.table);
    const sdc_table *t = res.table;
    cr_assert_eq(t->ncols, 4);
    cr_assert_eq(t->nrows, 3);
    cr_assert_eq(t->header_rows, 1);
    cr_assert_eq(t->header_line, 1);
    cr_assert_eq(t->rows_seen, 3);
    cr_assert_not(t->truncated);
    cr_assert_str_eq(t->columns[0].name, "region");
    cr_assert_str_eq(t->columns[3].name, "rate");
    assert_kind(&res, 0, 0, SDC_CELL_TEXT);
    assert_text(&res, 0, 0, "North");
    assert_number(&res, 0, 2, 12);
    cr_assert(cell(&res, 0, 2)->is_integer);
    assert_number(&res, 0, 3, 12.5);
    cr_assert(cell(&res, 0, 3)->is_percent);
    cr_assert_not(cell(&res, 0, 3)->is_integer);
    assert_number(&res, 1, 2, 1234);
    assert_text(&res, 1, 2, "1,234");
    assert_number(&res, 1, 3, -3);
    assert_kind(&res, 2, 2, SDC_CELL_SUPPRESSED);
    assert_kind(&res, 2, 3, SDC_CELL_MISSING);
    cr_assert_eq(t->row_line[0], 2);
    cr_assert_eq(t->row_line[2], 4);
    cr_assert_str_eq(res.info.encoding, "utf-8");
    cr_assert_eq(res.info.delimiter, ',');
    cr_assert_not(res.info.decimal_comma);
    cr_assert_eq(res.findings.count, 0, "clean table, yet %zu findings", res.findings.count);
    result_free(&res);
}

/* A field holding the text of the same field of the row before is that
 * cell again (table_build.c shares it): every cell must read exactly as
 * its text does alone, including a text that is a prefix of the one
 * before, or the one before a prefix of it. */
Test(csv_reader, a_field_repeated_from_the_row_before_reads_as_its_text_alone)
{
    static const char *const rows[][2] = {
        {"North", "10"}, {"North", "1"},   {"North ", "10"}, {"<10", "<10"}, {"<10", "x"},
        {"c", "c"},      {"c", "5%"},      {"5%", "5%"},     {"", "7"},      {"", "-3"},
        {"-3", "-3.0"},  {"-3.0", "-3.0"}, {"NA", "NA"},     {"NA", "N"},    {"N", "NA"},
    };
    const size_t n = sizeof rows / sizeof rows[0];
    buf b = {0};
    buf_printf(&b, "label,value\n");
    for (size_t r = 0; r < n; r++)
        buf_printf(&b, "%s,%s\n", rows[r][0], rows[r][1]);
    csv_result res = read_bytes(b.p, b.len, WHOLE);
    cr_assert_not_null(res.table);
    cr_assert_eq(res.table->nrows, n);
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < 2; c++) {
            char text[16];
            snprintf(text, sizeof text, "%s", rows[r][c]);
            size_t len = strlen(text);
            while (len && text[len - 1] == ' ')
                text[--len] = '\0';
            sdc_cell alone = {.text = text};
            sdc_cell_classify(&alone, text, len, res.policy, false);
            const sdc_cell *got = cell(&res, r, c);
            cr_assert_str_eq(got->text, text, "row %zu col %zu", r, c);
            cr_assert_eq(got->kind, alone.kind, "row %zu col %zu: %s", r, c, text);
            cr_assert_eq(got->number, alone.number, "row %zu col %zu: %s", r, c, text);
            cr_assert_eq(got->bound_hi, alone.bound_hi, "row %zu col %zu: %s", r, c, text);
            cr_assert_eq(got->is_integer, alone.is_integer, "row %zu col %zu", r, c);
            cr_assert_eq(got->is_percent, alone.is_percent, "row %zu col %zu", r, c);
        }
    /* by hand (ons-srs: x hides a cell, NA is missing): "1" after "10"
     * is one, "10" after "1" ten, "<10" at most 9 */
    assert_number(&res, 1, 1, 1);
    assert_number(&res, 2, 1, 10);
    cr_assert_eq(cell(&res, 3, 1)->bound_hi, 9);
    assert_kind(&res, 4, 1, SDC_CELL_SUPPRESSED);
    assert_kind(&res, 13, 1, SDC_CELL_TEXT);
    assert_kind(&res, 14, 1, SDC_CELL_MISSING);
    free(b.p);
    result_free(&res);
}

Test(csv_reader, info_lines_counts_a_file_without_a_final_newline)
{
    csv_result res = read_str("a,b\n1,2\n3,4");
    cr_assert_eq(res.info.lines, 3);
    result_free(&res);
}

/* Was a bug: csv_reader.c line 636 sets info.lines to newlines + 1, so a file
 * whose last line ends with a newline ("a,b\n1,2\n", two lines) is said to
 * have 3 physical lines. (info.lines is not used elsewhere yet.) */
Test(csv_reader, info_lines_counts_physical_lines)
{
    csv_result res = read_str("a,b\n1,2\n");
    cr_assert_eq(res.info.lines, 2, "info.lines %llu", res.info.lines);
    result_free(&res);
}

Test(csv_reader, last_row_without_newline_is_read)
{
    csv_result res = read_str("a,b\n1,2\n3,4");
    cr_assert_eq(res.table->nrows, 2);
    assert_number(&res, 1, 1, 4);
    cr_assert_eq(res.table->row_line[1], 3);
    cr_assert_eq(res.findings.count, 0);
    result_free(&res);
}

Test(csv_reader, cells_are_trimmed_of_spaces)
{
    csv_result res = read_str("label , n\n  North  ,  12  \n");
    cr_assert_str_eq(res.table->columns[0].name, "label");
    cr_assert_str_eq(res.table->columns[1].name, "n");
    assert_text(&res, 0, 0, "North");
    assert_number(&res, 0, 1, 12);
    result_free(&res);
}

Test(csv_reader, quoted_field_keeps_embedded_delimiter)
{
    csv_result res = read_str("name,n\n\"Smith, J\",5\n");
    cr_assert_eq(res.table->ncols, 2);
    assert_text(&res, 0, 0, "Smith, J");
    assert_number(&res, 0, 1, 5);
    cr_assert_eq(count_rule(&res.findings, "malformed"), 0);
    result_free(&res);
}

Test(csv_reader, doubled_quotes_become_one_quote)
{
    csv_result res = read_str("note,n\n\"said \"\"hi\"\"\",5\n");
    assert_text(&res, 0, 0, "said \"hi\"");
    cr_assert_eq(res.findings.count, 0);
    result_free(&res);
}

/* T as sdc_table_write_csv writes it with DELIMITER (malloc'd). */
static char *written(const sdc_table *t, char delimiter)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert_not_null(f);
    cr_assert_eq(sdc_table_write_csv(t, delimiter, f), 0);
    cr_assert_eq(fclose(f), 0);
    return out;
}

/* Written back (sdc_table_write_csv, as protect and --fix write their
 * copies), a field is quoted when it holds the delimiter, a quote or a line
 * end (RFC 4180), its quotes doubled; nothing else is. */
Test(csv_reader, a_table_written_back_quotes_only_the_fields_that_need_it)
{
    const char *text =
        "name,n\n\"Smith, J\",5\n\"said \"\"hi\"\"\",6\n\"a\nb\",7\nplain,8\n\"a;b\",9\n";
    csv_result res = read_str(text);
    cr_assert_eq(res.table->nrows, 5);
    char *out = written(res.table, ',');
    cr_assert_str_eq(out,
                     "name,n\n\"Smith, J\",5\n\"said \"\"hi\"\"\",6\n\"a\nb\",7\nplain,8\na;b,9\n");
    free(out);
    /* with ';' the field holding one is quoted and the comma's is not */
    out = written(res.table, ';');
    cr_assert_str_eq(out,
                     "name;n\nSmith, J;5\n\"said \"\"hi\"\"\";6\n\"a\nb\";7\nplain;8\n\"a;b\";9\n");
    free(out);
    result_free(&res);
}

Test(csv_reader, embedded_newline_stays_in_the_field)
{
    csv_result res = read_str("id,note,n\n1,\"first\nsecond\nthird\",5\n2,plain,6\n");
    cr_assert_eq(res.table->nrows, 2);
    assert_text(&res, 0, 1, "first\nsecond\nthird");
    assert_number(&res, 0, 2, 5);
    result_free(&res);
}

Test(csv_reader, next_row_line_is_right_after_a_multiline_field)
{
    /* Lines: 1 header, 2-4 the first record, 5 the second, 6 a ragged row. */
    csv_result res = read_str("id,note,n\n1,\"first\nsecond\nthird\",5\n2,plain,6\n3,short\n");
    cr_assert_eq(res.table->row_line[0], 2);
    cr_assert_eq(res.table->row_line[1], 5);
    cr_assert_eq(res.table->row_line[2], 6);
    const sdc_finding *f = find_rule(&res.findings, "malformed");
    cr_assert_not_null(f);
    cr_assert_eq(f->line, 6);
    result_free(&res);
}

Test(csv_reader, crlf_inside_a_quoted_field_counts_as_one_line)
{
    csv_result res = read_str("id,note\r\n1,\"a\r\nb\"\r\n2,c\r\n");
    cr_assert_eq(res.table->nrows, 2);
    assert_text(&res, 0, 1, "a\r\nb");
    cr_assert_eq(res.table->row_line[0], 2);
    cr_assert_eq(res.table->row_line[1], 4);
    result_free(&res);
}

Test(csv_reader, crlf_line_endings_keep_line_numbers_right)
{
    csv_result res = read_str("a,b\r\n1,2\r\n\r\n3,4\r\n5\r\n");
    const sdc_table *t = res.table;
    cr_assert_eq(t->nrows, 3);
    cr_assert_eq(t->row_line[0], 2);
    cr_assert_eq(t->row_line[1], 4);
    cr_assert_eq(t->row_line[2], 5);
    assert_text(&res, 1, 1, "4"); /* no stray CR in the last cell */
    cr_assert_eq(count_rule(&res.findings, "malformed"), 1);
    cr_assert_eq(find_rule(&res.findings, "malformed")->line, 5);
    result_free(&res);
}

Test(csv_reader, lf_line_endings_number_rows_from_the_header)
{
    csv_result res = read_str("a,b\n1,2\n3,4\n5,6\n");
    cr_assert_eq(res.table->row_line[0], 2);
    cr_assert_eq(res.table->row_line[1], 3);
    cr_assert_eq(res.table->row_line[2], 4);
    result_free(&res);
}

Test(csv_reader, cr_only_line_endings_are_line_ends)
{
    csv_result res = read_str("a,b\r1,2\r3,4\r");
    cr_assert_eq(res.table->nrows, 2);
    cr_assert_eq(res.table->row_line[1], 3);
    assert_number(&res, 1, 1, 4);
    result_free(&res);
}

Test(csv_reader, blank_lines_are_skipped_but_counted_in_line_numbers)
{
    csv_result res = read_str("\n\na,b\n\n1,2\n\n\n3,4\n   \n5,6\n");
    const sdc_table *t = res.table;
    cr_assert_eq(t->header_line, 3);
    cr_assert_eq(t->nrows, 3);
    cr_assert_eq(t->row_line[0], 5);
    cr_assert_eq(t->row_line[1], 8);
    cr_assert_eq(t->row_line[2], 10);
    cr_assert_eq(t->rows_seen, 3);
    cr_assert_eq(res.findings.count, 0);
    result_free(&res);
}

Test(csv_reader, spacer_rows_of_only_commas_are_skipped)
{
    csv_result res = read_str("a,b,c\n1,2,3\n,,\n,\n4,5,6\n,,,,,\n");
    const sdc_table *t = res.table;
    cr_assert_eq(t->nrows, 2);
    cr_assert_eq(t->rows_seen, 2);
    cr_assert_eq(t->row_line[1], 5);
    assert_number(&res, 1, 0, 4);
    cr_assert_eq(count_rule(&res.findings, "malformed"), 0, "a spacer row is not ragged");
    result_free(&res);
}

Test(csv_reader, tab_delimited_file_keeps_empty_fields)
{
    csv_result res = read_str("a\tb\tc\n1\t\t3\n x \t 5 \t6\n");
    cr_assert_eq(res.info.delimiter, '\t');
    cr_assert_eq(res.table->ncols, 3);
    cr_assert_eq(res.table->nrows, 2);
    assert_text(&res, 0, 1, "");
    assert_number(&res, 0, 2, 3);
    assert_text(&res, 1, 0, "x");
    assert_number(&res, 1, 1, 5);
    cr_assert_eq(count_rule(&res.findings, "malformed"), 0);
    result_free(&res);
}

Test(csv_reader, semicolon_file_reads_decimal_commas)
{
    csv_result res = read_str("region;rate;n\nNorth;12,5;1.234\nSouth;3,25;20\n");
    cr_assert_eq(res.info.delimiter, ';');
    cr_assert(res.info.decimal_comma);
    cr_assert_eq(res.table->ncols, 3);
    assert_number(&res, 0, 1, 12.5);
    assert_number(&res, 0, 2, 1234);
    assert_number(&res, 1, 1, 3.25);
    result_free(&res);
}

Test(csv_reader, pipe_delimited_file_is_read)
{
    csv_result res = read_str("a|b\nx|1\ny|2\n");
    cr_assert_eq(res.info.delimiter, '|');
    cr_assert_eq(res.table->ncols, 2);
    assert_number(&res, 1, 1, 2);
    result_free(&res);
}

/* ---- encodings ---------------------------------------------------------- */

Test(csv_reader, utf8_bom_is_stripped_from_the_first_header_name)
{
    csv_result res = read_str("\xef\xbb\xbfregion,count\nNorth,12\n");
    cr_assert_str_eq(res.table->columns[0].name, "region");
    cr_assert_str_eq(res.info.encoding, "utf-8-bom");
    cr_assert_eq(res.findings.count, 0);
    result_free(&res);
}

Test(csv_reader, utf8_bom_before_a_quoted_header_is_stripped)
{
    csv_result res = read_str("\xef\xbb\xbf\"region\",\"count\"\nNorth,12\n");
    cr_assert_str_eq(res.table->columns[0].name, "region");
    cr_assert_eq(count_rule(&res.findings, "malformed"), 0);
    result_free(&res);
}

Test(csv_reader, utf8_bom_split_byte_by_byte_is_still_stripped)
{
    const char *s = "\xef\xbb\xbfregion,count\nNorth,12\n";
    csv_result res = read_bytes(s, strlen(s), 1);
    cr_assert_str_eq(res.table->columns[0].name, "region");
    cr_assert_str_eq(res.info.encoding, "utf-8-bom");
    result_free(&res);
}

static const char utf8_twin[] = "region,label,count\r\n"
                                "North,Caf\xc3\xa9,12\r\n"
                                "South,\"\xe2\x82\xac 5, \xf0\x9d\x84\x9e\",7\r\n"
                                "East,\"two\r\nlines\",c\r\n";

static void assert_twin_table(const csv_result *res)
{
    cr_assert_not_null(res->table);
    cr_assert_eq(res->table->ncols, 3);
    cr_assert_eq(res->table->nrows, 3);
    cr_assert_str_eq(res->table->columns[0].name, "region");
    assert_text(res, 0, 1, "Caf\xc3\xa9");
    assert_text(res, 1, 1, "\xe2\x82\xac 5, \xf0\x9d\x84\x9e");
    assert_number(res, 1, 2, 7);
    assert_text(res, 2, 1, "two\r\nlines");
    assert_kind(res, 2, 2, SDC_CELL_SUPPRESSED);
    cr_assert_eq(res->table->row_line[2], 4);
    cr_assert_eq(res->findings.count, 0);
}

Test(csv_reader, utf16le_with_bom_reads_the_same_table_as_its_utf8_twin)
{
    csv_result u8 = read_str(utf8_twin);
    assert_twin_table(&u8);
    size_t n = 0;
    unsigned char *u16 = utf8_to_utf16(utf8_twin, strlen(utf8_twin), true, true, &n);
    csv_result res = read_bytes(u16, n, WHOLE);
    cr_assert_str_eq(res.info.encoding, "utf-16le");
    assert_twin_table(&res);
    u8.info = res.info; /* the encoding differs, nothing else may */
    assert_same_result(&u8, &res, 0);
    result_free(&res);
    result_free(&u8);
    free(u16);
}

Test(csv_reader, utf16be_with_bom_reads_the_same_table_as_its_utf8_twin)
{
    size_t n = 0;
    unsigned char *u16 = utf8_to_utf16(utf8_twin, strlen(utf8_twin), false, true, &n);
    csv_result res = read_bytes(u16, n, WHOLE);
    cr_assert_str_eq(res.info.encoding, "utf-16be");
    assert_twin_table(&res);
    result_free(&res);
    free(u16);
}

Test(csv_reader, utf16le_without_bom_is_decoded)
{
    size_t n = 0;
    unsigned char *u16 = utf8_to_utf16(utf8_twin, strlen(utf8_twin), true, false, &n);
    csv_result res = read_bytes(u16, n, WHOLE);
    cr_assert_str_eq(res.info.encoding, "utf-16le");
    assert_twin_table(&res);
    result_free(&res);
    free(u16);
}

Test(csv_reader, utf16le_in_odd_chunks_reads_the_same_table)
{
    size_t n = 0;
    unsigned char *u16 = utf8_to_utf16(utf8_twin, strlen(utf8_twin), true, true, &n);
    csv_result res = read_every_way(u16, n);
    assert_twin_table(&res);
    result_free(&res);
    free(u16);
}

Test(csv_reader, utf16_lone_surrogate_is_an_encoding_finding)
{
    /* "a,b\n1,X\n" with X a lone high surrogate (D800) followed by ",". */
    static const unsigned char le[] = {0xFF, 0xFE, 'a', 0,   ',', 0,    'b',  0,    '\n',
                                       0,    '1',  0,   ',', 0,   0x00, 0xD8, '\n', 0,
                                       '2',  0,    ',', 0,   '3', 0,    '\n', 0};
    csv_result res = read_bytes(le, sizeof le, WHOLE);
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1);
    cr_assert_eq(find_rule(&res.findings, "encoding")->line, 2);
    assert_text(&res, 0, 1, "\xef\xbf\xbd");
    result_free(&res);
}

/* A UTF-16LE file cut one byte into its last character: the odd byte is
 * decoded as U+FFFD and reported, never silently dropped. */
Test(csv_reader, utf16_file_with_an_odd_last_byte_is_reported)
{
    static const unsigned char le[] = {0xFF, 0xFE, 'a', 0, ',', 0, 'b',  0, '\n', 0,
                                       '1',  0,    ',', 0, '2', 0, '\n', 0, '3'};
    csv_result res = read_bytes(le, sizeof le, WHOLE);
    cr_assert_eq(res.table->nrows, 2);
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1,
                 "a truncated UTF-16 character must be reported");
    cr_assert_eq(find_rule(&res.findings, "encoding")->line, 3);
    assert_text(&res, 1, 0, "\xef\xbf\xbd");
    result_free(&res);
}

Test(csv_reader, windows_1252_pound_sign_is_decoded_to_utf8_in_a_label)
{
    csv_result res = read_str("item,n\n\xa3 sterling,10\nCaf\xe9,12\n\x80 euro,3\n");
    cr_assert_str_eq(res.info.encoding, "windows-1252");
    assert_text(&res, 0, 0, "\xc2\xa3 sterling");
    assert_text(&res, 1, 0, "Caf\xc3\xa9");
    assert_text(&res, 2, 0, "\xe2\x82\xac euro");
    assert_number(&res, 1, 1, 12);
    cr_assert_eq(count_rule(&res.findings, "encoding"), 0);
    result_free(&res);
}

Test(csv_reader, windows_1252_undefined_byte_is_an_encoding_finding)
{
    /* 0x81 has no character in Windows-1252. */
    csv_result res = read_str("item,n\nCaf\xe9,12\nx\x81y,3\n");
    cr_assert_str_eq(res.info.encoding, "windows-1252");
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1);
    cr_assert_eq(find_rule(&res.findings, "encoding")->line, 3);
    assert_text(&res, 1, 0, "x\xef\xbf\xbdy");
    result_free(&res);
}

Test(csv_reader, invalid_utf8_gives_one_encoding_finding_with_its_line)
{
    csv_result res = read_str("name,n\nCaf\xc3\xa9,10\nTea \xa3,5\nX,1\nY\xff,2\n");
    cr_assert_str_eq(res.info.encoding, "utf-8 (invalid sequences)");
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1);
    const sdc_finding *f = find_rule(&res.findings, "encoding");
    cr_assert_eq(f->line, 3);
    cr_assert_not_null(strstr(f->message, "2 byte sequences"), "%s", f->message);
    cr_assert_eq(res.table->nrows, 4);
    assert_text(&res, 0, 0, "Caf\xc3\xa9");
    assert_text(&res, 1, 0, "Tea \xef\xbf\xbd");
    result_free(&res);
}

/* Windows-1252 text cannot hold a valid UTF-8 sequence of two or more
 * bytes by chance ("\xc3\xa9" reads as "\xc3\x83\xc2\xa9", two letters no
 * writer puts together): a file whose head is Windows-1252 and whose later
 * lines are UTF-8 mixes encodings, and says so with the first line. */
Test(csv_reader, utf8_after_a_windows_1252_head_is_an_encoding_finding)
{
    buf b = {0};
    buf_printf(&b, "name,n\nCaf\xe9,10\n");
    long line = 3;
    while (b.len < 2 * SNIFF_HEAD) {
        buf_printf(&b, "row,%ld\n", line);
        line++;
    }
    buf_printf(&b, "Caf\xc3\xa9,12\n"); /* on line LINE */
    csv_result res = read_every_way(b.p, b.len);
    cr_assert_str_eq(res.info.encoding, "windows-1252");
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1);
    const sdc_finding *f = find_rule(&res.findings, "encoding");
    cr_assert_eq(f->line, line);
    cr_assert_not_null(strstr(f->message, "a UTF-8 sequence in Windows-1252 text"), "%s",
                       f->message);
    cr_assert_eq(f->verdict, SDC_REVIEW);
    result_free(&res);
    free(b.p);
}

/* The same in the head itself, and the UTF-8 sequence cut by every chunk
 * boundary (read_every_way): found wherever it falls. */
Test(csv_reader, utf8_mixed_into_windows_1252_in_the_head_is_found_in_every_chunking)
{
    /* head: invalid UTF-8 (\xe9 then ASCII) and, later, no valid sequence
     * until line 4 */
    const char s[] = "name,n\nCaf\xe9,10\nTea,5\nNa\xc3\xafve,7\n";
    csv_result res = read_every_way(s, sizeof s - 1);
    /* The sniffer sees the valid sequence too: damaged UTF-8, reported. */
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1);
    cr_assert_eq(find_rule(&res.findings, "encoding")->line, 2);
    result_free(&res);
}

/* Valid UTF-8 that no table should hold: a C1 control (U+0085, written as
 * \xc2\x85, what cp1252 text converted twice leaves) and a byte order mark
 * in the middle of the file (two files joined). Each is reported once with
 * its line, and the file is read as UTF-8. */
Test(csv_reader, c1_controls_and_a_bom_mid_file_are_encoding_findings)
{
    const char c1[] = "name,n\nCaf\xc3\xa9,10\nx\xc2\x85y,5\n";
    csv_result res = read_every_way(c1, sizeof c1 - 1);
    cr_assert_str_eq(res.info.encoding, "utf-8");
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1);
    const sdc_finding *f = find_rule(&res.findings, "encoding");
    cr_assert_eq(f->line, 3);
    cr_assert_not_null(strstr(f->message, "C1 control"), "%s", f->message);
    result_free(&res);

    const char bom[] = "\xef\xbb\xbfname,n\nNorth,10\n\xef\xbb\xbfname,n\nSouth,12\n";
    res = read_every_way(bom, sizeof bom - 1);
    cr_assert_str_eq(res.info.encoding, "utf-8-bom", "the first BOM is the file's own");
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1);
    f = find_rule(&res.findings, "encoding");
    cr_assert_eq(f->line, 3);
    cr_assert_not_null(strstr(f->message, "byte order mark"), "%s", f->message);
    result_free(&res);

    /* UTF-16LE with a second BOM on line 2 */
    static const unsigned char le[] = {0xFF, 0xFE, 'a', 0, ',', 0, 'b', 0, '\n', 0,
                                       0xFF, 0xFE, '1', 0, ',', 0, '2', 0, '\n', 0};
    res = read_every_way(le, sizeof le);
    cr_assert_str_eq(res.info.encoding, "utf-16le");
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1);
    cr_assert_eq(find_rule(&res.findings, "encoding")->line, 2);
    result_free(&res);
}

/* Plain UTF-8 and plain Windows-1252 (with its C1-range letters: the euro
 * sign is 0x80) mix nothing. */
Test(csv_reader, one_encoding_throughout_is_not_a_finding)
{
    const char u[] = "name,n\nCaf\xc3\xa9,10\n\xe2\x82\xac,5\n\xc2\xa0x,7\n";
    csv_result res = read_every_way(u, sizeof u - 1);
    cr_assert_str_eq(res.info.encoding, "utf-8");
    cr_assert_eq(count_rule(&res.findings, "encoding"), 0);
    result_free(&res);
    const char w[] = "name,n\nCaf\xe9,10\n\x80 euro,5\n\xa3 pound,7\nna\xefve,3\n";
    res = read_every_way(w, sizeof w - 1);
    cr_assert_str_eq(res.info.encoding, "windows-1252");
    cr_assert_eq(count_rule(&res.findings, "encoding"), 0);
    result_free(&res);
}

Test(csv_reader, utf8_cut_short_at_the_end_of_the_file_is_an_encoding_finding)
{
    const char s[] = "name,n\nCaf\xc3\xa9,10\nx,\xe2\x82";
    csv_result res = read_every_way(s, sizeof s - 1);
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1);
    cr_assert_eq(find_rule(&res.findings, "encoding")->line, 3);
    result_free(&res);
}

Test(csv_reader, embedded_nul_gives_malformed_with_its_line)
{
    static const char s[] = "region,count\nNorth,12\nSou\0th,9\nEast,3\n";
    csv_result res = read_bytes(s, sizeof s - 1, WHOLE);
    cr_assert_not_null(res.table);
    cr_assert_eq(count_rule(&res.findings, "malformed"), 1);
    const sdc_finding *f = find_rule(&res.findings, "malformed");
    cr_assert_eq(f->line, 3);
    cr_assert_not_null(strstr(f->message, "NUL"), "%s", f->message);
    cr_assert_eq(res.table->nrows, 3);
    assert_text(&res, 1, 0, "South");
    result_free(&res);
}

Test(csv_reader, binary_input_gives_malformed_and_no_table)
{
    unsigned char bytes[4096];
    unsigned state = 99;
    for (size_t i = 0; i < sizeof bytes; i++) {
        state = state * 1103515245u + 12345u;
        bytes[i] = (unsigned char)(state >> 16);
    }
    csv_result res = read_bytes(bytes, sizeof bytes, 7);
    cr_assert_null(res.table);
    cr_assert_str_eq(res.info.encoding, "binary");
    cr_assert_eq(count_rule(&res.findings, "malformed"), 1);
    cr_assert_not_null(strstr(res.findings.items[0].message, "binary"));
    result_free(&res);
}

/* ---- malformed input ---------------------------------------------------- */

Test(csv_reader, ragged_row_names_both_counts_and_its_line)
{
    csv_result res = read_str("a,b,c\n1,2,3\n4,5\n6,7,8\n");
    cr_assert_eq(count_rule(&res.findings, "malformed"), 1);
    const sdc_finding *f = find_rule(&res.findings, "malformed");
    cr_assert_eq(f->line, 3);
    cr_assert_str_eq(f->message, "row has 2 fields but the header has 3");
    cr_assert_eq(f->verdict, SDC_REVIEW);
    /* The short row is kept and padded. */
    cr_assert_eq(res.table->nrows, 3);
    cr_assert_eq(res.table->ncols, 3);
    assert_text(&res, 1, 2, "");
    assert_number(&res, 2, 2, 8);
    result_free(&res);
}

Test(csv_reader, long_row_widens_the_table_and_is_ragged)
{
    csv_result res = read_str("a,b\n1,2\n3,4,5,6\n");
    cr_assert_eq(res.table->ncols, 4);
    cr_assert_str_eq(res.table->columns[3].name, "");
    cr_assert_eq(count_rule(&res.findings, "malformed"), 1);
    cr_assert_str_eq(find_rule(&res.findings, "malformed")->message,
                     "row has 4 fields but the header has 2");
    cr_assert_eq(find_rule(&res.findings, "malformed")->line, 3);
    result_free(&res);
}

Test(csv_reader, more_than_five_ragged_rows_give_five_findings_and_a_summary)
{
    buf b = {0};
    buf_printf(&b, "a,b,c\n");
    for (int i = 0; i < 8; i++)
        buf_printf(&b, "%d,%d,%d\n%d,%d\n", i, i, i, i, i); /* ragged on even lines */
    csv_result res = read_str(b.p);
    cr_assert_eq(count_rule(&res.findings, "malformed"), 6);
    size_t per_row = 0;
    long expect_line = 3;
    for (size_t i = 0; i < res.findings.count; i++) {
        const sdc_finding *f = &res.findings.items[i];
        if (strstr(f->message, "row has 2 fields")) {
            cr_assert_eq(f->line, expect_line, "ragged finding %zu", per_row);
            expect_line += 2;
            per_row++;
        }
    }
    cr_assert_eq(per_row, 5);
    cr_assert_eq(count_message(&res, "malformed",
                               "3 more rows have a different number of fields than the header"),
                 1);
    cr_assert_eq(res.table->nrows, 16);
    result_free(&res);
    free(b.p);
}

Test(csv_reader, unterminated_quote_is_reported_at_the_line_its_record_starts)
{
    csv_result res = read_str("a,b\n1,2\n3,\"open\n4,5\n6,7\n");
    cr_assert_not_null(res.table);
    cr_assert_eq(count_rule(&res.findings, "malformed"), 1);
    const sdc_finding *f = find_rule(&res.findings, "malformed");
    cr_assert_eq(f->line, 3);
    cr_assert_not_null(strstr(f->message, "never closed"), "%s", f->message);
    cr_assert_eq(res.table->nrows, 1, "rows before the open quote are kept");
    result_free(&res);
}

Test(csv_reader, unterminated_quote_after_a_multiline_record_has_the_right_line)
{
    csv_result res = read_str("a,b\n1,\"x\ny\"\n\"open,5\n");
    const sdc_finding *f = find_rule(&res.findings, "malformed");
    cr_assert_not_null(f);
    cr_assert_eq(f->line, 4);
    result_free(&res);
}

Test(csv_reader, quote_inside_an_unquoted_field_is_a_quoting_error_with_its_line)
{
    csv_result res = read_str("h1,h2,h3\n1,2,3\na,b\"c,d\n4,5,6\n");
    cr_assert_not_null(res.table);
    cr_assert_eq(count_rule(&res.findings, "malformed"), 1);
    const sdc_finding *f = find_rule(&res.findings, "malformed");
    cr_assert_eq(f->line, 3);
    cr_assert_not_null(strstr(f->message, "quoting error"), "%s", f->message);
    cr_assert_eq(res.table->nrows, 1, "parsing stops at the error");
    result_free(&res);
}

Test(csv_reader, text_after_a_closing_quote_is_a_quoting_error)
{
    csv_result res = read_str("h1,h2\n1,2\n3,4\n\"ab\"c,5\n");
    const sdc_finding *f = find_rule(&res.findings, "malformed");
    cr_assert_not_null(f);
    cr_assert_eq(f->line, 4);
    cr_assert_eq(res.table->nrows, 2);
    result_free(&res);
}

/* x,"<10 MB of a>"\n in memory. */
static buf huge_field(const char *before, const char *after)
{
    buf b = {0};
    size_t big = 10u * 1024u * 1024u;
    buf_add(&b, before, strlen(before));
    size_t start = b.len;
    b.cap = b.len + big + strlen(after) + 16;
    b.p = realloc(b.p, b.cap);
    cr_assert_not_null(b.p);
    memset(b.p + start, 'a', big);
    b.len += big;
    buf_add(&b, after, strlen(after));
    return b;
}

Test(csv_reader, ten_megabyte_header_field_is_refused_at_the_limit)
{
    buf b = huge_field("x,\"", "\"\n1,2\n");
    csv_result res = read_bytes(b.p, b.len, 64 * 1024);
    cr_assert_null(res.table, "no header could be read");
    char limit[32];
    snprintf(limit, sizeof limit, "%u bytes", (unsigned)SDC_CSV_MAX_FIELD);
    cr_assert_eq(count_message(&res, "malformed", limit), 1);
    const sdc_finding *f = find_rule(&res.findings, "malformed");
    cr_assert_eq(f->line, 1);
    cr_assert_eq(count_message(&res, "malformed", "no rows could be read"), 1);
    result_free(&res);
    free(b.p);
}

Test(csv_reader, ten_megabyte_body_field_keeps_the_rows_before_it)
{
    buf b = huge_field("a,b\n1,2\n3,\"", "\"\n4,5\n");
    for (size_t k = 0; k < 2; k++) {
        size_t chunk = k == 0 ? 64 * 1024 : 7;
        csv_result res = read_bytes(b.p, b.len, chunk);
        cr_assert_not_null(res.table);
        cr_assert_eq(res.table->nrows, 1, "chunk %zu", chunk);
        assert_number(&res, 0, 1, 2);
        cr_assert_eq(count_message(&res, "malformed", "1048576 bytes"), 1, "chunk %zu", chunk);
        cr_assert_eq(find_rule(&res.findings, "malformed")->line, 3);
        result_free(&res);
    }
    free(b.p);
}

Test(csv_reader, field_just_under_the_limit_is_read)
{
    buf b = huge_field("a,b\n1,\"", "\"\n");
    /* Cut the 10 MB of a to 1 MB minus a little. */
    size_t keep = SDC_CSV_MAX_FIELD - 16;
    memmove(b.p + 7 + keep, b.p + b.len - 2, 2);
    b.len = 7 + keep + 2;
    csv_result res = read_bytes(b.p, b.len, 64 * 1024);
    cr_assert_eq(count_rule(&res.findings, "malformed"), 0);
    cr_assert_eq(res.table->nrows, 1);
    cr_assert_eq(strlen(cell(&res, 0, 1)->text), keep);
    result_free(&res);
    free(b.p);
}

Test(csv_reader, empty_input_is_malformed_and_gives_no_table)
{
    csv_result res = read_bytes("", 0, WHOLE);
    cr_assert_null(res.table);
    cr_assert_eq(res.findings.count, 1);
    cr_assert_str_eq(res.findings.items[0].rule, "malformed");
    cr_assert_not_null(strstr(res.findings.items[0].message, "empty"));
    result_free(&res);
}

Test(csv_reader, blank_only_input_gives_no_table)
{
    csv_result res = read_str("\n\n\n");
    cr_assert_null(res.table);
    cr_assert_eq(count_message(&res, "malformed", "no rows could be read"), 1);
    result_free(&res);
}

Test(csv_reader, header_only_gives_an_empty_table_and_a_finding)
{
    csv_result res = read_str("\na,b\n");
    cr_assert_not_null(res.table);
    cr_assert_eq(res.table->nrows, 0);
    cr_assert_eq(res.table->ncols, 2);
    cr_assert_eq(res.table->header_line, 2);
    cr_assert_eq(count_rule(&res.findings, "malformed"), 1);
    const sdc_finding *f = find_rule(&res.findings, "malformed");
    cr_assert_eq(f->line, 2);
    cr_assert_not_null(strstr(f->message, "no rows"), "%s", f->message);
    result_free(&res);
}

Test(csv_reader, r_style_header_one_field_short_gets_an_empty_first_name)
{
    csv_result res = read_str("\"a\",\"b\"\n\"1\",\"x\",5\n\"2\",\"y\",6\n");
    const sdc_table *t = res.table;
    cr_assert_eq(t->ncols, 3);
    cr_assert_str_eq(t->columns[0].name, "");
    cr_assert_str_eq(t->columns[1].name, "a");
    cr_assert_str_eq(t->columns[2].name, "b");
    cr_assert_eq(count_rule(&res.findings, "malformed"), 0, "not a ragged row");
    assert_number(&res, 0, 0, 1);
    assert_text(&res, 1, 1, "y");
    assert_number(&res, 1, 2, 6);
    result_free(&res);
}

Test(csv_reader, r_style_table_judges_later_rows_by_the_widened_header)
{
    csv_result res = read_str("\"a\",\"b\"\n\"1\",\"x\",5\n\"2\",\"y\"\n");
    cr_assert_eq(count_rule(&res.findings, "malformed"), 1);
    const sdc_finding *f = find_rule(&res.findings, "malformed");
    cr_assert_eq(f->line, 3);
    cr_assert_str_eq(f->message, "row has 2 fields but the header has 3");
    result_free(&res);
}

/* ---- markers ------------------------------------------------------------ */

Test(csv_reader, suppression_markers_are_suppressed_cells)
{
    static const char *markers[] = {"c", "[c]", "*", "x", "..", "-", "", "suppressed", "C"};
    buf b = {0};
    buf_printf(&b, "label,value\n");
    for (size_t i = 0; i < sizeof markers / sizeof *markers; i++)
        buf_printf(&b, "r%zu,%s\n", i, markers[i]);
    csv_result res = read_str(b.p);
    cr_assert_eq(res.table->nrows, sizeof markers / sizeof *markers);
    for (size_t i = 0; i < res.table->nrows; i++) {
        assert_kind(&res, i, 1, SDC_CELL_SUPPRESSED);
        cr_assert_eq(cell(&res, i, 1)->bound_hi, -1, "\"%s\"", markers[i]);
    }
    result_free(&res);
    free(b.p);
}

Test(csv_reader, less_than_markers_carry_their_upper_bound)
{
    csv_result res = read_str("label,value\na,<10\nb,<5\nc,<=7\nd,< 10\ne,<3.5\n");
    static const double bound[] = {9, 4, 7, 9, 3.5};
    for (size_t i = 0; i < 5; i++) {
        assert_kind(&res, i, 1, SDC_CELL_SUPPRESSED);
        cr_assert_float_eq(cell(&res, i, 1)->bound_hi, bound[i], 1e-12, "row %zu", i);
    }
    result_free(&res);
}

Test(csv_reader, less_than_a_word_is_text)
{
    csv_result res = read_str("label,value\na,<b\n");
    assert_kind(&res, 0, 1, SDC_CELL_TEXT);
    cr_assert_eq(cell(&res, 0, 1)->bound_hi, -1);
    result_free(&res);
}

Test(csv_reader, na_and_dot_are_missing_cells)
{
    csv_result res = read_str("label,value\na,NA\nb,.\nc,NaN\nd,N/A\ne,na\n");
    for (size_t i = 0; i < 5; i++)
        assert_kind(&res, i, 1, SDC_CELL_MISSING);
    result_free(&res);
}

Test(csv_reader, short_row_padding_reads_as_an_empty_cell)
{
    csv_result res = read_str("a,b,c\nx,1\n");
    assert_text(&res, 0, 2, "");
    /* The default policy lists "" as a suppression marker. */
    assert_kind(&res, 0, 2, SDC_CELL_SUPPRESSED);
    result_free(&res);
}

/* ---- size limits -------------------------------------------------------- */

static sdc_policy *policy_max_rows(long rows)
{
    sdc_policy *p = sdc_policy_load("ons-srs", NULL);
    cr_assert_not_null(p);
    p->max_table_rows = rows;
    return p;
}

/* "id,n\n" then ROWS rows "i,i" ending in EOL (the last one only if
 * FINAL_EOL). */
static buf numbered_rows(size_t rows, const char *eol, bool final_eol)
{
    buf b = {0};
    buf_printf(&b, "id,n%s", eol);
    for (size_t i = 0; i < rows; i++)
        buf_printf(&b, "%zu,%zu%s", i, i, (i + 1 < rows || final_eol) ? eol : "");
    return b;
}

Test(csv_reader, more_rows_than_max_table_rows_truncate_the_table)
{
    buf b = numbered_rows(1000, "\n", true);
    for (size_t k = 0; k < NCHUNKS; k++) {
        size_t chunk = chunk_sizes[k];
        csv_result res = read_with(policy_max_rows(50), b.p, b.len, chunk);
        cr_assert_not_null(res.table);
        cr_assert(res.table->truncated, "chunk %zu", chunk);
        cr_assert_eq(res.table->nrows, 50, "chunk %zu", chunk);
        cr_assert_eq(res.table->row_line[49], 51);
        assert_number(&res, 49, 0, 49);
        cr_assert_eq(res.table->rows_seen, 1000, "chunk %zu: rows_seen %llu", chunk,
                     res.table->rows_seen);
        cr_assert_eq(count_rule(&res.findings, "malformed"), 0);
        result_free(&res);
    }
    free(b.p);
}

Test(csv_reader, max_table_rows_exactly_is_not_truncated)
{
    buf b = numbered_rows(50, "\n", true);
    csv_result res = read_with(policy_max_rows(50), b.p, b.len, WHOLE);
    cr_assert_not(res.table->truncated);
    cr_assert_eq(res.table->nrows, 50);
    cr_assert_eq(res.table->rows_seen, 50);
    result_free(&res);
    free(b.p);
}

Test(csv_reader, rows_seen_counts_every_row_of_a_truncated_crlf_file)
{
    buf b = numbered_rows(1000, "\r\n", true);
    csv_result res = read_with(policy_max_rows(50), b.p, b.len, WHOLE);
    cr_assert(res.table->truncated);
    cr_assert_eq(res.table->nrows, 50);
    cr_assert_eq(res.table->rows_seen, 1000);
    result_free(&res);
    free(b.p);
}

Test(csv_reader, rows_seen_of_a_long_truncated_file_is_the_row_count)
{
    /* Longer than the sniff head: rows are counted in the head's parse and
     * in the chunks after it. */
    buf b = numbered_rows(5000, "\n", true);
    cr_assert_gt(b.len, SNIFF_HEAD);
    for (size_t k = 0; k < NCHUNKS; k++) {
        csv_result res = read_with(policy_max_rows(50), b.p, b.len, chunk_sizes[k]);
        cr_assert(res.table->truncated);
        cr_assert_eq(res.table->nrows, 50);
        cr_assert_eq(res.table->rows_seen, 5000, "chunk %zu: rows_seen %llu", chunk_sizes[k],
                     res.table->rows_seen);
        result_free(&res);
    }
    free(b.p);
}

/* Was a bug: csv_reader.c, sdc_csv_reader_finish() line 620 skips csv_fini() once
 * counting_only is set, and the chunks after the cut-off are counted by
 * count_newlines() (lines 495, 567), so a last row with no line end is never
 * counted: 1000 rows (LF or CRLF) with no final newline under
 * max_table_rows 50 give rows_seen 999. */
Test(csv_reader, rows_seen_counts_a_last_row_without_newline_after_truncation)
{
    for (size_t e = 0; e < 2; e++) {
        buf b = numbered_rows(1000, e ? "\r\n" : "\n", false);
        csv_result res = read_with(policy_max_rows(50), b.p, b.len, WHOLE);
        cr_assert(res.table->truncated);
        cr_assert_eq(res.table->rows_seen, 1000, "%s: rows_seen %llu", e ? "CRLF" : "LF",
                     res.table->rows_seen);
        result_free(&res);
        free(b.p);
    }
}

/* Was a bug: past max_table_rows, rows still in the chunk that crossed the limit
 * are counted by on_row() (line 199: blank lines skipped) but rows in later
 * chunks by count_newlines() on the raw bytes (line 567: every LF, blank
 * lines included). So rows_seen counts blank lines as rows and depends on
 * the chunk size: 3000 rows each followed by a blank line, max_table_rows
 * 2000, give rows_seen 3000 in one piece, 3999 in 7-byte chunks and 4000 in
 * 1-byte chunks (and 4310 with max_table_rows 50, where the cut-off falls in
 * the 16 KiB head). */
Test(csv_reader, rows_seen_ignores_blank_lines_after_truncation_in_every_chunk_size)
{
    buf b = {0};
    buf_printf(&b, "id,n\n");
    for (int i = 0; i < 3000; i++)
        buf_printf(&b, "%d,%d\n\n", i, i);
    static const long limits[] = {2000, 50};
    for (size_t l = 0; l < 2; l++) {
        for (size_t k = 0; k < NCHUNKS; k++) {
            csv_result res = read_with(policy_max_rows(limits[l]), b.p, b.len, chunk_sizes[k]);
            cr_assert(res.table->truncated);
            cr_assert_eq(res.table->rows_seen, 3000,
                         "max_table_rows %ld, chunk %zu: rows_seen %llu", limits[l], chunk_sizes[k],
                         res.table->rows_seen);
            result_free(&res);
        }
    }
    free(b.p);
}

/* Was a bug: past max_table_rows, sdc_csv_reader_feed() (line 567) counts 0x0A
 * bytes in the raw, undecoded chunk. In UTF-16 any character with a 0x0A
 * byte is counted as a line end: U+4E0A (the CJK character for "up", bytes
 * 0A 4E in UTF-16LE) in each of 3000 rows gives rows_seen 4672 under
 * max_table_rows 50. */
Test(csv_reader, rows_seen_of_a_truncated_utf16_file_counts_characters_not_bytes)
{
    buf b = {0};
    buf_printf(&b, "label,n\n");
    for (int i = 0; i < 3000; i++)
        buf_printf(&b, "\xe4\xb8\x8a,%d\n", i);
    size_t n = 0;
    unsigned char *u16 = utf8_to_utf16(b.p, b.len, true, true, &n);
    cr_assert_gt(n, SNIFF_HEAD);
    csv_result res = read_with(policy_max_rows(50), u16, n, 64 * 1024);
    cr_assert(res.table->truncated);
    cr_assert_eq(res.table->rows_seen, 3000, "rows_seen %llu", res.table->rows_seen);
    result_free(&res);
    free(u16);
    free(b.p);
}

Test(csv_reader, long_truncated_file_keeps_the_same_rows_in_every_chunk_size)
{
    buf b = numbered_rows(5000, "\n", true);
    for (size_t k = 0; k < NCHUNKS; k++) {
        csv_result res = read_with(policy_max_rows(50), b.p, b.len, chunk_sizes[k]);
        cr_assert(res.table->truncated, "chunk %zu", chunk_sizes[k]);
        cr_assert_eq(res.table->nrows, 50, "chunk %zu", chunk_sizes[k]);
        assert_number(&res, 49, 1, 49);
        result_free(&res);
    }
    free(b.p);
}

/* ---- chunk boundaries --------------------------------------------------- */

Test(csv_reader, short_input_reads_the_same_in_every_chunk_size)
{
    static const char s[] = "\xef\xbb\xbfregion,label,count,rate\r\n"
                            "North,\"Caf\xc3\xa9, \xe2\x82\xac \xf0\x9d\x84\x9e\",12,12.5%\r\n"
                            "\r\n"
                            "South,\"two\r\nlines\",\"1,234\",-3\r\n"
                            "East,c,<10,NA\r\n";
    csv_result res = read_every_way(s, sizeof s - 1);
    cr_assert_str_eq(res.table->columns[0].name, "region");
    cr_assert_eq(res.table->nrows, 3);
    assert_text(&res, 0, 1, "Caf\xc3\xa9, \xe2\x82\xac \xf0\x9d\x84\x9e");
    assert_number(&res, 1, 2, 1234);
    cr_assert_eq(res.table->row_line[0], 2);
    cr_assert_eq(res.table->row_line[1], 4);
    cr_assert_eq(res.table->row_line[2], 6);
    cr_assert_eq(res.findings.count, 0);
    result_free(&res);
}

Test(csv_reader, long_input_reads_the_same_in_every_chunk_size)
{
    buf b = {0};
    buf_printf(&b, "region,label,n\r\n");
    for (int i = 0; b.len < 3 * SNIFF_HEAD; i++) {
        if (i % 97 == 0)
            buf_printf(&b, "r%d,\"multi\r\nline %d\",%d\r\n", i, i, i);
        else if (i % 13 == 0)
            buf_printf(&b, "\r\n");
        else
            buf_printf(&b, "r%d,\xc3\xa9t\xc3\xa9 \xe2\x82\xac%d \xf0\x9f\x98\x80,%d\r\n", i, i, i);
    }
    buf_printf(&b, "last,row,1\r\n");
    csv_result res = read_every_way(b.p, b.len);
    size_t n = res.table->nrows;
    cr_assert_gt(n, 500);
    assert_text(&res, n - 1, 0, "last");
    /* Every line of the file is counted: the last row is on the last line. */
    long lines = 0;
    for (size_t i = 0; i < b.len; i++)
        lines += b.p[i] == '\n';
    cr_assert_eq(res.table->row_line[n - 1], lines);
    cr_assert_eq(res.findings.count, 0);
    result_free(&res);
    free(b.p);
}

Test(csv_reader, multibyte_character_across_the_sniff_boundary_is_kept)
{
    /* A 4-byte character starting 2 bytes before the end of the head. */
    static const char *seqs[] = {"\xf0\x9d\x84\x9e,7\n", "\xe2\x82\xac,7\n", "\xc3\xa9,7\n"};
    for (size_t s = 0; s < 3; s++) {
        size_t row = 0;
        buf b = text_with_seq_at(seqs[s], SNIFF_HEAD - 1, 20, &row);
        csv_result res = read_every_way(b.p, b.len);
        const char *text = cell(&res, row, 0)->text;
        size_t tl = strlen(text);
        size_t sl = strchr(seqs[s], ',') - seqs[s];
        cr_assert_geq(tl, sl);
        cr_assert_eq(memcmp(text + tl - sl, seqs[s], sl), 0, "sequence %zu mangled", s);
        cr_assert_eq(res.findings.count, 0, "sequence %zu: %s", s,
                     res.findings.count ? res.findings.items[0].message : "");
        result_free(&res);
        free(b.p);
    }
}

Test(csv_reader, crlf_across_the_sniff_boundary_keeps_line_numbers_right)
{
    /* ",7\r\n" with the CR the last byte of the head, the LF the first after. */
    size_t row = 0;
    buf b = text_with_seq_at(",7\r\nnext,8\r\n", SNIFF_HEAD - 3, 3, &row);
    csv_result res = read_every_way(b.p, b.len);
    cr_assert_eq(res.table->nrows, row + 5);
    assert_number(&res, row, 1, 7);
    assert_text(&res, row + 1, 0, "next");
    cr_assert_eq(res.table->row_line[row + 1], res.table->row_line[row] + 1);
    cr_assert_eq(res.table->row_line[row + 2], res.table->row_line[row] + 2);
    result_free(&res);
    free(b.p);
}

Test(csv_reader, utf16_surrogate_pair_across_the_sniff_boundary_is_kept)
{
    /* After the 2-byte BOM, ASCII UTF-8 offset k lands at UTF-16 offset
     * 2 + 2k: the pair for U+1D11E starts at 16382 and ends at 16385. */
    size_t row = 0;
    buf b = text_with_seq_at("\xf0\x9d\x84\x9e,7\n", (SNIFF_HEAD - 4) / 2, 30, &row);
    size_t n = 0;
    unsigned char *u16 = utf8_to_utf16(b.p, b.len, true, true, &n);
    cr_assert_eq(u16[SNIFF_HEAD - 2], 0x34); /* D834 little-endian */
    cr_assert_eq(u16[SNIFF_HEAD - 1], 0xD8);
    csv_result res = read_every_way(u16, n);
    cr_assert_str_eq(res.info.encoding, "utf-16le");
    const char *text = cell(&res, row, 0)->text;
    size_t tl = strlen(text);
    cr_assert_geq(tl, 4);
    cr_assert_eq(memcmp(text + tl - 4, "\xf0\x9d\x84\x9e", 4), 0);
    cr_assert_eq(res.findings.count, 0);
    result_free(&res);
    free(u16);
    free(b.p);
}

Test(csv_reader, invalid_byte_after_the_sniff_head_has_its_line)
{
    buf b = {0};
    buf_printf(&b, "name,n\nCaf\xc3\xa9,1\n");
    long line = 2;
    while (b.len < 2 * SNIFF_HEAD) {
        buf_printf(&b, "row,%ld\n", line);
        line++;
    }
    buf_printf(&b, "bad\xff,9\n"); /* on line LINE + 1 */
    buf_printf(&b, "end,1\n");
    csv_result res = read_every_way(b.p, b.len);
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1);
    cr_assert_eq(find_rule(&res.findings, "encoding")->line, line + 1);
    result_free(&res);
    free(b.p);
}

Test(csv_reader, windows_1252_byte_after_the_sniffed_bytes_is_reported_not_misread)
{
    /* Only the first 8 KiB decide the encoding; a pound sign after them in
     * a UTF-8-looking file cannot be decoded, and that is reported. */
    buf b = {0};
    buf_printf(&b, "item,n\n");
    long line = 2;
    while (b.len < 3 * SNIFF_HEAD) {
        buf_printf(&b, "plain,%ld\n", line);
        line++;
    }
    buf_printf(&b, "\xa3"
                   "5 tea,3\n");
    csv_result res = read_bytes(b.p, b.len, 64 * 1024);
    cr_assert_str_eq(res.info.encoding, "utf-8");
    cr_assert_eq(count_rule(&res.findings, "encoding"), 1);
    cr_assert_eq(find_rule(&res.findings, "encoding")->line, line);
    result_free(&res);
    free(b.p);
}

Test(csv_reader, nul_after_the_sniff_head_has_its_line)
{
    buf b = {0};
    buf_printf(&b, "name,n\n");
    long line = 2;
    while (b.len < SNIFF_HEAD + 100) {
        buf_printf(&b, "row,%ld\n", line);
        line++;
    }
    buf_add(&b, "n\0l,1\n", 6);
    csv_result res = read_every_way(b.p, b.len);
    cr_assert_eq(count_message(&res, "malformed", "NUL"), 1);
    cr_assert_eq(find_rule(&res.findings, "malformed")->line, line);
    assert_text(&res, res.table->nrows - 1, 0, "nl");
    result_free(&res);
    free(b.p);
}

Test(csv_reader, quoting_error_after_the_sniff_head_has_its_line)
{
    buf b = {0};
    buf_printf(&b, "name,n\n");
    long line = 2;
    while (b.len < SNIFF_HEAD + 100) {
        buf_printf(&b, "row,%ld\n", line);
        line++;
    }
    buf_printf(&b, "a\"b,1\nlater,2\n");
    csv_result res = read_every_way(b.p, b.len);
    const sdc_finding *f = find_rule(&res.findings, "malformed");
    cr_assert_not_null(f);
    cr_assert_eq(f->line, line);
    cr_assert_eq(res.table->nrows, (size_t)(line - 2));
    result_free(&res);
    free(b.p);
}
