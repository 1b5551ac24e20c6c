/*
 * csv_reader.c - decode, sniff and parse a CSV file fed in chunks.
 *
 * Bytes arrive in chunks (64 KiB from the checker). The first 16 KiB are
 * held back until the encoding and the delimiter are known; from then on
 * each chunk is decoded to UTF-8 (pure ASCII passes through uncopied) and
 * handed to libcsv, whose callbacks assemble rows for the table builder.
 *
 * libcsv reports no positions, so lines are counted here: with
 * CSV_REPALL_NL every line end outside quotes reaches the row callback, the
 * LF of a CRLF arrives as an empty row right after a CR, and line ends
 * inside quoted fields are counted from the field text.
 *
 * Bad input is a finding, never a crash: a parse error in strict mode, an
 * unterminated quote, a field over SDC_CSV_MAX_FIELD (refused by a bounded
 * realloc, so a 10 GB field costs at most 1 MiB), NUL bytes and invalid
 * sequences each get a `malformed` or `encoding` finding with the line. After
 * a fatal parse error, or once the table has more rows than the policy's
 * max_table_rows (it is microdata, doc/design.md, "Record-level data"), parsing stops and only line
 * ends are counted, so a 10 GB file is read at hashing speed in bounded
 * memory.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "sdccheck/table.h"
#include "read/sniff.h"
#include "table/table_build.h"

#define SNIFF_BYTES (16u * 1024u)
#define RAGGED_REPORTED 5
/* An aggregate-shaped table is kept up to this many times max_table_rows
 * (doc/design.md, "Record-level data"). */
#define SDC_AGGREGATE_ROWS_FACTOR 100

struct sdc_csv_reader {
    const sdc_policy *policy;
    sdc_findings *findings;
    struct csv_parser parser;
    bool parser_ready;

    sdc_text_encoding enc;
    bool decided;        /* encoding and delimiter known */
    unsigned char *head; /* raw bytes held until decided */
    size_t head_len;
    unsigned char carry[4]; /* incomplete sequence between chunks */
    size_t carry_len;
    unsigned char *out; /* decoded UTF-8 */
    size_t out_cap;
    unsigned long long decoded_newlines;
    unsigned char last_byte; /* last decoded byte, for a final line without LF */
    bool line_has_content;   /* counting mode: the current line is not blank */

    bool parsing;       /* false after a fatal error or truncation */
    bool counting_only; /* past max_table_rows: count line ends */
    long record_line;   /* line where the current record starts */
    int prev_term;
    unsigned long long field_newlines;

    char *rowbuf; /* the current row's field texts */
    size_t rowbuf_len, rowbuf_cap;
    size_t *offsets, *lens;
    size_t nfields, fields_cap;
    const char **field_ptrs;

    sdc_table_builder *builder;
    size_t expected_width; /* fields per row, from the header */
    unsigned long long rows_seen;
    bool truncated;
    /* Stata's esttab (and Excel-minded writers) quote fields as ="...", an
     * Excel formula that shows the text as written: the '=' before a
     * quote at a field's start is dropped before libcsv reads it */
    bool excel_quotes;
    bool field_start; /* the next byte starts a field */
    bool eq_held;     /* an '=' at a field start, its next byte not seen yet */
    unsigned char *eqbuf;
    size_t eqbuf_cap;
    long keep_rows; /* rows kept before truncating: max_table_rows, or more
                     * for a table shaped as an aggregate */

    unsigned long nul_count;
    long nul_line;
    unsigned long bad_count;
    long bad_line;
    unsigned long mixed_count; /* text that is not one encoding */
    long mixed_line;
    const char *mixed_what; /* the first one: what it is */
    unsigned long ragged_count;
    size_t cells_kept; /* fields of the rows handed to the builder */
    bool cells_cut;    /* rows past SDC_TABLE_MAX_CELLS were counted only */
    bool oom;
    sdc_csv_info info;
};

/* libcsv grows its field buffer through this; refusing past the limit turns
 * an endless field into CSV_ENOMEM instead of unbounded memory. */
static void *bounded_realloc(void *p, size_t n)
{
    if (n > SDC_CSV_MAX_FIELD + 1024)
        return NULL;
    return realloc(p, n);
}

static int space_only(unsigned char c)
{
    return c == ' ';
}

sdc_csv_reader *sdc_csv_reader_new(const sdc_policy *policy, sdc_findings *findings)
{
    sdc_csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->policy = policy;
    r->findings = findings;
    r->head = malloc(SNIFF_BYTES);
    if (!r->head) {
        free(r);
        return NULL;
    }
    r->parsing = true;
    r->record_line = 1;
    r->prev_term = 0;
    r->info.encoding = "utf-8";
    r->info.delimiter = ',';
    return r;
}

static long current_line(const sdc_csv_reader *r, const unsigned char *out_start,
                         const unsigned char *at)
{
    unsigned long long n = r->decoded_newlines;
    for (const unsigned char *p = out_start; p < at; p++)
        n += *p == '\n';
    return (long)n + 1;
}

/* ---- row assembly (libcsv callbacks) ---------------------------------- */

static void on_field(void *s, size_t len, void *data)
{
    sdc_csv_reader *r = data;
    if (r->counting_only) {
        r->nfields++; /* only whether the row is empty matters now */
        return;
    }
    if (!r->parsing || r->oom)
        return;
    const char *text = s ? s : "";
    if (r->nfields >= SDC_CSV_MAX_ROW_FIELDS || len > SDC_CSV_MAX_ROW_BYTES - r->rowbuf_len) {
        /* The row is not held: the file is not read as a table from here. */
        r->parsing = false;
        sdc_finding_at at = {.line = r->record_line,
                             .advice = "a table's rows are short: check that the file is a "
                                       "table"};
        sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at,
                         "the row starting at line %ld has more than %u fields or %u MiB; "
                         "the rest of the file was not read as a table",
                         r->record_line, (unsigned)SDC_CSV_MAX_ROW_FIELDS,
                         (unsigned)(SDC_CSV_MAX_ROW_BYTES >> 20));
        return;
    }
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n')))
            r->field_newlines++;
    if (r->nfields == r->fields_cap) {
        /* Three arrays, one capacity. */
        size_t cap = sdc_vec_capacity(r->fields_cap ? r->fields_cap : 8, r->nfields + 1);
        if (!cap || SDC_VEC_RESIZE(r->offsets, cap) < 0 || SDC_VEC_RESIZE(r->lens, cap) < 0 ||
            SDC_VEC_RESIZE(r->field_ptrs, cap) < 0) {
            r->oom = true;
            return;
        }
        r->fields_cap = cap;
    }
    if (SDC_VEC_RESERVE(r->rowbuf, r->rowbuf_cap, r->rowbuf_len + len + 1) < 0) {
        r->oom = true;
        return;
    }
    if (len)
        memcpy(r->rowbuf + r->rowbuf_len, text, len);
    r->offsets[r->nfields] = r->rowbuf_len;
    r->lens[r->nfields] = len;
    r->rowbuf_len += len;
    r->rowbuf[r->rowbuf_len++] = '\0';
    r->nfields++;
}

static void report_ragged(sdc_csv_reader *r, size_t n, long line)
{
    r->ragged_count++;
    if (r->ragged_count > RAGGED_REPORTED)
        return;
    sdc_finding_at at = {.line = line,
                         .advice = "write every row with the same number of fields as the header"};
    sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at,
                     "row has %zu field%s but the header has %zu", n, n == 1 ? "" : "s",
                     r->expected_width);
}

static void on_row(int c, void *data)
{
    sdc_csv_reader *r = data;
    long line = r->record_line;
    /* The LF of a CRLF comes as its own empty row: not a new line. */
    bool crlf_tail = c == '\n' && r->prev_term == '\r' && r->nfields == 0;
    r->prev_term = c;
    if (crlf_tail)
        return;
    r->record_line += 1 + (long)r->field_newlines;
    r->field_newlines = 0;

    if (r->counting_only) {
        if (r->nfields > 0)
            r->rows_seen++;
        r->nfields = 0;
        return;
    }
    if (!r->parsing || r->oom) {
        r->nfields = 0;
        r->rowbuf_len = 0;
        return;
    }
    size_t n = r->nfields;
    r->nfields = 0;
    r->rowbuf_len = 0;
    if (n == 0)
        return; /* blank line */

    /* A row whose every field is empty (",,,") is a spacer line. */
    bool all_empty = true;
    for (size_t i = 0; i < n && all_empty; i++)
        all_empty = r->lens[i] == 0;
    if (all_empty)
        return;

    size_t header_width = sdc_table_builder_header_width(r->builder);
    if (header_width > 0) {
        size_t body = sdc_table_builder_rows(r->builder);
        if (body == 0)
            /* R's write.table writes no name for the row-name column:
             * a header one field short of the first row is that. */
            r->expected_width = n == header_width + 1 ? n : header_width;
        r->rows_seen++;
        if (n != r->expected_width)
            report_ragged(r, n, line);
        if (r->keep_rows == 0)
            r->keep_rows = r->policy->max_table_rows;
        /* A long table with one row per combination of its labels and a
         * measure is a table however many rows it has (small areas by
         * sex): it is kept on, up to SDC_AGGREGATE_ROWS_FACTOR times the
         * limit; a record-level file stops here. */
        if ((long)body == r->policy->max_table_rows && r->keep_rows == r->policy->max_table_rows &&
            sdc_table_builder_aggregate_shaped(r->builder))
            r->keep_rows = r->policy->max_table_rows * SDC_AGGREGATE_ROWS_FACTOR;
        if ((long)body >= r->keep_rows) {
            r->truncated = true;
            r->counting_only = true;
            return;
        }
        if (n > SDC_TABLE_MAX_CELLS - r->cells_kept) {
            /* Too many cells to hold: the rows from here are counted and
             * the table is reported as cut (sdc_csv_reader_finish). */
            r->cells_cut = true;
            r->counting_only = true;
            return;
        }
    }
    r->cells_kept += n;
    for (size_t i = 0; i < n; i++)
        r->field_ptrs[i] = r->rowbuf + r->offsets[i];
    if (sdc_table_builder_add(r->builder, r->field_ptrs, r->lens, n, line) < 0)
        r->oom = true;
}

/* ---- decoding ---------------------------------------------------------- */

static int out_reserve(sdc_csv_reader *r, size_t need)
{
    return SDC_VEC_RESERVE(r->out, r->out_cap, need);
}

static size_t put_utf8(unsigned char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Windows-1252 0x80..0x9F (Unicode's cp1252.txt); 0 = undefined. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0};

/* Each note counts a problem at O (in r->out) and keeps the first one's
 * line: the line is counted once, not for every bad byte (a file of
 * undecodable bytes would otherwise recount its chunk per byte). */
static void note_bad(sdc_csv_reader *r, const unsigned char *o)
{
    if (r->bad_count++ == 0)
        r->bad_line = current_line(r, r->out, o);
}

static void note_nul(sdc_csv_reader *r, const unsigned char *o)
{
    if (r->nul_count++ == 0)
        r->nul_line = current_line(r, r->out, o);
}

/* Text at O that decodes but does not belong in one encoding's text: a
 * UTF-8 sequence in Windows-1252 text, a C1 control, a BOM mid-file. */
static void note_mixed(sdc_csv_reader *r, const unsigned char *o, const char *what)
{
    if (r->mixed_count++ == 0) {
        r->mixed_line = current_line(r, r->out, o);
        r->mixed_what = what;
    }
}

static const char mixed_utf8[] = "a UTF-8 sequence in Windows-1252 text";
static const char mixed_c1[] = "a C1 control character (U+0080 to U+009F)";
static const char mixed_bom[] = "a byte order mark (U+FEFF) inside the text";

/* Writes U+FFFD for an invalid sequence at O and notes its line. Returns
 * the bytes written. */
static size_t put_replacement(sdc_csv_reader *r, unsigned char *o)
{
    note_bad(r, o);
    return put_utf8(o, 0xFFFD);
}

/* UTF-8 (with or without BOM, valid or not) with nothing carried and IN
 * pure ASCII without NUL: passed through uncopied. */
static bool passes_through(const sdc_csv_reader *r, const unsigned char *in, size_t len)
{
    if ((r->enc != SDC_ENC_UTF8 && r->enc != SDC_ENC_UTF8_BOM && r->enc != SDC_ENC_UTF8_INVALID) ||
        r->carry_len != 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (in[i] == 0 || in[i] >= 0x80)
            return false;
    return true;
}

/* The bytes carried from the last chunk, then IN[0..len): in SMALL when
 * they fit in SMALL_SIZE bytes, else in memory the caller frees. The
 * carry is then empty. NULL when out of memory. */
static unsigned char *join_carry(sdc_csv_reader *r, const unsigned char *in, size_t len,
                                 unsigned char *small, size_t small_size)
{
    size_t total = r->carry_len + len;
    unsigned char *joined = total <= small_size ? small : malloc(total);
    if (!joined)
        return NULL;
    memcpy(joined, r->carry, r->carry_len);
    if (len)
        memcpy(joined + r->carry_len, in, len);
    r->carry_len = 0;
    return joined;
}

/*
 * The decoders: SRC[0..n) as UTF-8 at *OP (advanced past what they
 * write). Each returns the bytes it consumed; fewer than N when the chunk
 * ends inside a sequence that the next chunk may complete (never when
 * FINAL). NUL bytes are dropped and noted, invalid sequences become
 * U+FFFD and are noted.
 */

/* UTF-16 (LE or BE): surrogate pairs joined, lone surrogates invalid. */
static size_t decode_utf16(sdc_csv_reader *r, const unsigned char *src, size_t n, bool final,
                           unsigned char **op)
{
    bool le = r->enc == SDC_ENC_UTF16LE;
    unsigned char *o = *op;
    size_t i = 0;
    while (i + 1 < n) {
        uint32_t u =
            le ? (uint32_t)(src[i] | src[i + 1] << 8) : (uint32_t)(src[i] << 8 | src[i + 1]);
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 3 >= n) {
                if (!final)
                    break; /* carry the pair */
                o += put_replacement(r, o);
                i += 2;
                continue;
            }
            uint32_t u2 = le ? (uint32_t)(src[i + 2] | src[i + 3] << 8)
                             : (uint32_t)(src[i + 2] << 8 | src[i + 3]);
            if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
                o += put_utf8(o, 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00));
                i += 4;
            } else {
                o += put_replacement(r, o);
                i += 2;
            }
            continue;
        }
        if (u >= 0xDC00 && u <= 0xDFFF)
            o += put_replacement(r, o);
        else if (u == 0)
            note_nul(r, o);
        else {
            if (u == 0xFEFF || (u >= 0x80 && u <= 0x9F))
                note_mixed(r, o, u == 0xFEFF ? mixed_bom : mixed_c1);
            o += put_utf8(o, u);
        }
        i += 2;
    }
    *op = o;
    return i;
}

/* Windows-1252: one byte, one code point (five bytes are undefined). A
 * valid UTF-8 sequence of two or more bytes is next to impossible in text
 * written as Windows-1252 ("Ã©" is C3 A9): one means the file mixes the two
 * encodings, and is noted (a sequence cut by the chunk's end is carried). */
static size_t decode_cp1252(sdc_csv_reader *r, const unsigned char *src, size_t n, bool final,
                            unsigned char **op)
{
    unsigned char *o = *op;
    size_t i = 0;
    for (; i < n; i++) {
        unsigned char b = src[i];
        if (b >= 0xC2) {
            int k = sdc_utf8_sequence(src + i, n - i);
            if (k < 0 && !final)
                break;
            if (k > 1)
                note_mixed(r, o, mixed_utf8);
        }
        if (b == 0) {
            note_nul(r, o);
        } else if (b < 0x80) {
            *o++ = b;
        } else if (b < 0xA0) {
            uint32_t cp = cp1252_high[b - 0x80];
            if (!cp) {
                note_bad(r, o);
                cp = 0xFFFD;
            }
            o += put_utf8(o, cp);
        } else {
            o += put_utf8(o, b);
        }
    }
    *op = o;
    return i;
}

/* UTF-8: valid sequences copied as they are. */
static size_t decode_utf8(sdc_csv_reader *r, const unsigned char *src, size_t n, bool final,
                          unsigned char **op)
{
    unsigned char *o = *op;
    size_t i = 0;
    while (i < n) {
        unsigned char b = src[i];
        if (b == 0) {
            note_nul(r, o);
            i++;
            continue;
        }
        if (b < 0x80) {
            *o++ = b;
            i++;
            continue;
        }
        int k = sdc_utf8_sequence(src + i, n - i);
        if (k < 0 && !final)
            break; /* carry the partial sequence */
        if (k <= 0) {
            o += put_replacement(r, o);
            i++;
            continue;
        }
        if ((k == 2 && b == 0xC2 && src[i + 1] < 0xA0) ||
            (k == 3 && b == 0xEF && src[i + 1] == 0xBB && src[i + 2] == 0xBF))
            note_mixed(r, o, k == 2 ? mixed_c1 : mixed_bom);
        memcpy(o, src + i, (size_t)k);
        o += k;
        i += (size_t)k;
    }
    *op = o;
    return i;
}

/*
 * Decodes IN[0..len) (after any carried bytes) into r->out. Returns the
 * decoded bytes, sets *OUT_LEN; pure ASCII UTF-8 is returned in place.
 * FINAL: no more input, so a carried partial sequence is an error.
 */
static const unsigned char *decode(sdc_csv_reader *r, const unsigned char *in, size_t len,
                                   size_t *out_len, bool final)
{
    if (passes_through(r, in, len)) {
        *out_len = len;
        return in;
    }
    unsigned char joined_small[8];
    const unsigned char *src = in;
    size_t n = len;
    unsigned char *joined = NULL;
    if (r->carry_len) {
        n = r->carry_len + len;
        src = joined = join_carry(r, in, len, joined_small, sizeof joined_small);
        if (!joined) {
            r->oom = true;
            *out_len = 0;
            return NULL;
        }
    }

    /* UTF-8 out is at most 3 bytes per input byte (cp1252: 3 per byte,
     * UTF-16: 4 per 4, replacement 3 per 1). */
    if (out_reserve(r, n * 3 + 8) < 0) {
        r->oom = true;
        if (joined && joined != joined_small)
            free(joined);
        *out_len = 0;
        return NULL;
    }
    unsigned char *o = r->out;
    size_t i;
    switch (r->enc) {
    case SDC_ENC_UTF16LE:
    case SDC_ENC_UTF16BE: i = decode_utf16(r, src, n, final, &o); break;
    case SDC_ENC_CP1252: i = decode_cp1252(r, src, n, final, &o); break;
    default: i = decode_utf8(r, src, n, final, &o); break;
    }
    if (i < n && final) {
        /* Bytes left at the very end cannot be decoded: an odd byte of
         * UTF-16, a cut-off sequence. Reported, never silently dropped. */
        o += put_replacement(r, o);
        i = n;
    }
    if (i < n) {
        r->carry_len = n - i;
        if (r->carry_len > sizeof r->carry)
            r->carry_len = sizeof r->carry; /* cannot happen: at most 3 */
        memcpy(r->carry, src + i, r->carry_len);
    }
    if (joined && joined != joined_small)
        free(joined);
    *out_len = (size_t)(o - r->out);
    return r->out;
}

/*
 * Past max_table_rows: count rows (lines that are not blank) and line ends
 * in decoded text, remembering across chunks whether the current line has
 * content yet. Quoted line breaks are counted as rows here: the count is
 * then "at least", and only reported for a file already failed as
 * microdata.
 */
static void count_rows(sdc_csv_reader *r, const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    while (p < end) {
        const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
        const unsigned char *stop = nl ? nl : end;
        for (const unsigned char *q = p; q < stop && !r->line_has_content; q++)
            r->line_has_content = *q != '\r';
        if (!nl)
            break;
        r->decoded_newlines++;
        r->rows_seen += r->line_has_content;
        r->line_has_content = false;
        p = nl + 1;
    }
}

static void count_newlines(unsigned long long *count, const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    while (p < end) {
        const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        (*count)++;
        p = nl + 1;
    }
}

/* ---- parsing ---------------------------------------------------------- */

static void parse_failed(sdc_csv_reader *r)
{
    int err = csv_error(&r->parser);
    sdc_finding_at at = {.line = r->record_line};
    if (err == CSV_ENOMEM || err == CSV_ETOOBIG) {
        at.advice = "a table's cells are short: check that the file is a table";
        sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at,
                         "a field longer than %u bytes starts at line %ld; the rest of "
                         "the file was not read as a table",
                         (unsigned)SDC_CSV_MAX_FIELD, r->record_line);
    } else {
        at.advice = "quote fields that contain the delimiter or a quote, and double "
                    "quotes inside quoted fields";
        sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at,
                         "CSV quoting error in the record starting at line %ld; the rest "
                         "of the file was not read as a table",
                         r->record_line);
    }
    r->parsing = false;
}

/* TEXT without the '=' of each ="..." field (excel_quotes), in r->eqbuf;
 * NULL when out of memory. */
static const unsigned char *drop_excel_equals(sdc_csv_reader *r, const unsigned char *text,
                                              size_t *len)
{
    if (SDC_VEC_RESERVE(r->eqbuf, r->eqbuf_cap, *len + 2) < 0)
        return NULL;
    size_t o = 0;
    unsigned char delim = (unsigned char)r->info.delimiter;
    for (size_t i = 0; i < *len; i++) {
        unsigned char c = text[i];
        if (r->eq_held) {
            r->eq_held = false;
            if (c != '"')
                r->eqbuf[o++] = '='; /* a field that starts with '=', kept */
        } else if (c == '=' && r->field_start) {
            r->eq_held = true;
            r->field_start = false;
            continue;
        }
        r->eqbuf[o++] = c;
        r->field_start = c == delim || c == '\n' || c == '\r';
    }
    *len = o;
    return r->eqbuf;
}

static void feed_parser(sdc_csv_reader *r, const unsigned char *text, size_t len)
{
    if (!r->parsing || len == 0)
        return;
    if (r->excel_quotes && !r->counting_only) {
        text = drop_excel_equals(r, text, &len);
        if (!text) {
            r->oom = true;
            return;
        }
        if (len == 0)
            return;
    }
    r->last_byte = text[len - 1];
    if (r->counting_only) {
        count_rows(r, text, len);
        return;
    }
    if (csv_parse(&r->parser, text, len, on_field, on_row, r) < len)
        parse_failed(r);
    count_newlines(&r->decoded_newlines, text, len);
    if (r->counting_only) {
        /* The cut-off came in this chunk; libcsv's callbacks counted the
         * rest of it. A record it holds unfinished continues next chunk. */
        r->line_has_content = r->nfields > 0 || r->parser.pstate != 0;
    }
}

static int start(sdc_csv_reader *r, bool at_eof)
{
    r->enc = sdc_encoding_sniff(r->head, r->head_len, at_eof);
    r->info.encoding = sdc_encoding_name(r->enc);
    r->decided = true;
    size_t skip = 0;
    if (r->enc == SDC_ENC_UTF8_BOM)
        skip = 3;
    else if (r->enc == SDC_ENC_UTF16LE || r->enc == SDC_ENC_UTF16BE)
        skip = (r->head_len >= 2 && ((r->head[0] == 0xFF && r->head[1] == 0xFE) ||
                                     (r->head[0] == 0xFE && r->head[1] == 0xFF)))
                   ? 2
                   : 0;
    if (r->enc == SDC_ENC_BINARY) {
        sdc_finding_at at = {.line = 1,
                             .advice = "submit tables as text (CSV); a binary file needs a "
                                       "person to look at it"};
        sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at,
                         "the content is binary, not a text table");
        r->parsing = false;
        return 0;
    }

    size_t text_len = 0;
    const unsigned char *text = decode(r, r->head + skip, r->head_len - skip, &text_len, at_eof);
    if (r->oom)
        return -1;
    /* decode() may return the head itself; sniff before anything reuses it. */
    sdc_delim_guess g = sdc_delimiter_sniff((const char *)text, text_len);
    r->info.delimiter = g.delimiter;
    r->info.decimal_comma = g.decimal_comma;

    if (csv_init(&r->parser, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0)
        return -1;
    r->parser_ready = true;
    csv_set_delim(&r->parser, (unsigned char)g.delimiter);
    csv_set_space_func(&r->parser, space_only);
    csv_set_realloc_func(&r->parser, bounded_realloc);
    csv_set_blk_size(&r->parser, 4096);
    r->builder = sdc_table_builder_new(r->policy, g.decimal_comma);
    if (!r->builder)
        return -1;
    r->excel_quotes = text_len >= 2 && text[0] == '=' && text[1] == '"';
    r->field_start = true;
    feed_parser(r, text, text_len);
    return r->oom ? -1 : 0;
}

int sdc_csv_reader_feed(sdc_csv_reader *r, const void *bytes, size_t len)
{
    const unsigned char *b = bytes;
    if (!r->decided) {
        size_t take = SNIFF_BYTES - r->head_len;
        if (take > len)
            take = len;
        memcpy(r->head + r->head_len, b, take);
        r->head_len += take;
        b += take;
        len -= take;
        if (r->head_len < SNIFF_BYTES)
            return 0;
        if (start(r, false) < 0)
            return -1;
    }
    if (len == 0 || !r->parsing)
        return 0;
    if (r->counting_only && r->enc != SDC_ENC_UTF16LE && r->enc != SDC_ENC_UTF16BE) {
        /* Line ends are the same bytes in UTF-8 and Windows-1252: count
         * them in the raw chunk, at memchr speed. */
        r->last_byte = b[len - 1];
        count_rows(r, b, len);
        return 0;
    }
    size_t text_len = 0;
    const unsigned char *text = decode(r, b, len, &text_len, false);
    if (r->oom)
        return -1;
    feed_parser(r, text, text_len);
    return r->oom ? -1 : 0;
}

static void report_counts(sdc_csv_reader *r)
{
    if (r->nul_count) {
        sdc_finding_at at = {.line = r->nul_line,
                             .advice = "remove NUL bytes: a text table never contains them"};
        sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at,
                         "%lu NUL byte%s in the text, the first at line %ld (ignored when "
                         "reading the table)",
                         r->nul_count, r->nul_count == 1 ? "" : "s", r->nul_line);
    }
    if (r->bad_count) {
        sdc_finding_at at = {.line = r->bad_line,
                             .advice = "save the table as UTF-8 (or Windows-1252) text"};
        sdc_findings_add(r->findings, "encoding", SDC_REVIEW, &at,
                         "%lu byte sequence%s could not be decoded as %s, the first at "
                         "line %ld",
                         r->bad_count, r->bad_count == 1 ? "" : "s",
                         r->enc == SDC_ENC_UTF8_INVALID ? "utf-8" : r->info.encoding, r->bad_line);
    }
    if (r->cells_cut) {
        sdc_finding_at at = {.advice = "split the table, or submit it in a form a person can "
                                       "check"};
        sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at,
                         "the table has more than %u cells: only its first %zu rows were "
                         "checked",
                         (unsigned)SDC_TABLE_MAX_CELLS,
                         r->builder ? sdc_table_builder_rows(r->builder) : (size_t)0);
    }
    if (r->mixed_count) {
        sdc_finding_at at = {.line = r->mixed_line,
                             .advice = "save the table again as UTF-8 text: its characters may "
                                       "have been misread"};
        sdc_findings_add(r->findings, "encoding", SDC_REVIEW, &at,
                         "the text is not one encoding (%s): %lu place%s, the first at line %ld: "
                         "%s",
                         r->info.encoding, r->mixed_count, r->mixed_count == 1 ? "" : "s",
                         r->mixed_line, r->mixed_what);
    }
    if (r->ragged_count > RAGGED_REPORTED) {
        sdc_finding_at at = {.advice =
                                 "write every row with the same number of fields as the header"};
        sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at,
                         "%lu more rows have a different number of fields than the header",
                         r->ragged_count - RAGGED_REPORTED);
    }
}

sdc_table *sdc_csv_reader_finish(sdc_csv_reader *r)
{
    if (!r->decided) {
        if (r->head_len == 0) {
            sdc_finding_at at = {.advice = "remove the empty file or replace it with the table"};
            sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at, "the file is empty");
            r->decided = true;
            r->parsing = false;
            return NULL;
        }
        if (start(r, true) < 0) {
            sdc_findings_mark_incomplete(r->findings, SDC_INCOMPLETE_MEMORY);
            return NULL;
        }
    }
    if (r->parsing) {
        size_t text_len = 0;
        const unsigned char *text = decode(r, NULL, 0, &text_len, true);
        if (text && text_len)
            feed_parser(r, text, text_len);
        if (r->counting_only && r->line_has_content)
            r->rows_seen++; /* a last row without a line end */
        if (r->parsing && !r->counting_only && csv_fini(&r->parser, on_field, on_row, r) != 0) {
            sdc_finding_at at = {.line = r->record_line,
                                 .advice = "close the quote opened in this record"};
            sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at,
                             "a quote opened in the record starting at line %ld is never "
                             "closed",
                             r->record_line);
        }
    }
    report_counts(r);
    r->info.lines = r->decoded_newlines + (r->last_byte != '\n' && r->last_byte != 0);
    if (!r->builder)
        return NULL;
    sdc_table_builder *b = r->builder;
    r->builder = NULL;
    if (r->oom) {
        sdc_table_builder_free(b);
        sdc_findings_mark_incomplete(r->findings, SDC_INCOMPLETE_MEMORY);
        return NULL;
    }
    size_t widest = sdc_table_builder_widest(b);
    size_t fit = sdc_table_builder_fit_width(b);
    if (fit < widest) {
        sdc_finding_at at = {.advice =
                                 "write every row with the same number of fields as the header"};
        sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at,
                         "a row has %zu fields, far more than the rest: the table was read "
                         "%zu columns wide and the fields past them were not checked as cells",
                         widest, fit);
    }
    bool has_header = sdc_table_builder_header_width(b) > 0;
    sdc_table *t = sdc_table_builder_finish(b, r->rows_seen, r->truncated);
    if (!t && has_header) { /* a header and no table: memory ran out */
        sdc_findings_mark_incomplete(r->findings, SDC_INCOMPLETE_MEMORY);
    } else if (!t) {
        sdc_finding_at at = {.advice = "a table needs a header and at least one row"};
        sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at, "no rows could be read");
    } else if (t->nrows == 0 && !t->truncated) {
        sdc_finding_at at = {.line = t->header_line,
                             .advice = "a table needs at least one row under its header"};
        sdc_findings_add(r->findings, "malformed", SDC_REVIEW, &at,
                         "the table has a header but no rows");
    }
    return t;
}

bool sdc_csv_reader_keeps_rows(const sdc_csv_reader *r)
{
    return r->parsing && !r->counting_only;
}

const sdc_csv_info *sdc_csv_reader_info(const sdc_csv_reader *r)
{
    return &r->info;
}

void sdc_csv_reader_free(sdc_csv_reader *r)
{
    if (!r)
        return;
    if (r->parser_ready)
        csv_free(&r->parser);
    sdc_table_builder_free(r->builder);
    free(r->head);
    free(r->out);
    free(r->eqbuf);
    free(r->rowbuf);
    free(r->offsets);
    free(r->lens);
    free(r->field_ptrs);
    free(r);
}

sdc_table *sdc_table_read_file(const char *path, const sdc_policy *policy, sdc_findings *findings,
                               sdc_status *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        sdc_status_set(st, sdc_error_from_errno(errno), "%s: %s", path, strerror(errno));
        return NULL;
    }
    sdc_csv_reader *r = sdc_csv_reader_new(policy, findings);
    unsigned char *buf = malloc(SDC_READ_CHUNK);
    sdc_table *t = NULL;
    ssize_t n = 0;
    if (r && buf) {
        int rc = 0;
        while (rc == 0 && (n = read(fd, buf, SDC_READ_CHUNK)) > 0)
            rc = sdc_csv_reader_feed(r, buf, (size_t)n);
        if (n < 0) /* a folder, an I/O error */
            sdc_status_set(st, sdc_error_from_errno(errno), "%s: %s", path, strerror(errno));
        else if (rc == 0)
            t = sdc_csv_reader_finish(r);
        else
            sdc_status_set(st, SDC_ENOMEM, "out of memory");
        if (t)
            sdc_table_infer_layout(t, policy, findings);
        else if (n >= 0 && rc == 0)
            sdc_status_set(st, SDC_ENOTABLE, "%s: no table could be read", path);
    } else {
        sdc_status_set(st, SDC_ENOMEM, "out of memory");
    }
    free(buf);
    sdc_csv_reader_free(r);
    close(fd);
    return t;
}
