/*
 * decode_internal.h - what the decoders share (private to
 * classify/decode*.c): a payload's decoded bytes and the decision on what
 * they are, and each family's state. decode.c feeds the families
 * (decode_base64.c, decode_bytes.c, decode_text.c); they use the helpers in
 * decode_util.c.
 */
#ifndef SDC_DECODE_INTERNAL_H
#define SDC_DECODE_INTERNAL_H

#include <zlib.h>

#include "classify/decode.h"

#define DEC_HEAD 4096     /* decoded bytes classified before deciding */
#define DEC_ENC_HEAD 8192 /* encoded characters kept to try other starts */
#define DEC_STARTS 16     /* piece starts tried as the payload's start */
#define DEC_PIECE_MIN 8   /* base64: a shorter run is a word between pieces */
#define DEC_WRAP_MIN 40   /* a segment this long may be wrapped at a line end */
#define DEC_GAP_MAX 24    /* text between pieces of one payload */
/* base64 characters of SDC_DECODE_UNKNOWN_MIN bytes: an unbroken stretch
 * this long may count alone */
#define DEC_STRETCH_COUNTS ((SDC_DECODE_UNKNOWN_MIN + 2) / 3 * 4)

typedef enum dec_mode {
    DEC_UNDECIDED, /* collecting the head */
    DEC_KEEP,      /* a known kind: keep every byte */
    DEC_COUNT,     /* unknown, unbroken: count bytes and their entropy */
    DEC_DEAD,      /* nothing: ignore the rest */
} dec_mode;

/* Which decoded texts may be a file in text form (a CSV in base64 is
 * records; text in quoted-printable or a b'' literal is just text). */
typedef enum dec_text { DEC_TEXT_NO, DEC_TEXT_YES } dec_text;

/* One payload's decoded bytes. */
typedef struct dec_out {
    dec_mode mode;
    unsigned char *p;
    size_t len, cap;
    bool cut;
    bool failed; /* out of memory */
    unsigned long long total;
    bool no_hist; /* an assembled family's: never counted, so no entropy */
    unsigned long long hist[256];
    sdc_classification what;
} dec_out;

void dec_out_reset(dec_out *o);
void dec_out_free(dec_out *o);
void dec_out_byte(dec_out *o, unsigned char c);
/* True when the head is full and a decision is due. */
static inline bool dec_out_head_full(const dec_out *o)
{
    return o->mode == DEC_UNDECIDED && o->len >= DEC_HEAD;
}
/* A hex digit's value, or -1. */
int dec_hex_value(unsigned char c);
/* What BYTES are, if a known kind: a file, or text when TEXT allows. */
bool dec_known(const unsigned char *bytes, size_t len, bool at_eof, dec_text text,
               sdc_classification *what);
/* Decides an undecided out from its head: KEEP when known, else COUNT
 * when UNBROKEN allows, else DEAD. */
void dec_out_decide(dec_out *o, bool at_eof, dec_text text, bool unbroken);

typedef struct dec_meta {
    const char *encoding;
    long line;
    unsigned long long encoded;
    bool assembled;
    bool digest_lines;
    bool carved;
    unsigned long long offset;
    unsigned table_no; /* a table read from a document: its number, from 1 */
} dec_meta;

/* Ends a payload: keeps it in the scan when worth it, resets O. */
void dec_out_end(sdc_decode_scan *s, dec_out *o, const dec_meta *m, dec_text text);
/* Adds a payload of no known kind that could not be decoded. */
void dec_unexplained(sdc_decode_scan *s, const dec_meta *m);

/* --- base64, base32 and hex in runs and pieces (decode_base64.c) --- */
typedef struct b64_state {
    long line;
    char run[DEC_PIECE_MIN]; /* a run too short yet to be a piece */
    size_t run_len;
    long run_line;
    bool run_padded;   /* '=' seen in this run */
    bool escape;       /* a '\' in the gap: its next character is gap too */
    bool in_payload;   /* pieces collected */
    bool in_piece;     /* the current run is a piece of the payload */
    size_t gap;        /* characters since the last piece */
    bool gap_breaks;   /* the gap is only line breaks (or "\n" escapes) */
    size_t segment;    /* piece characters since the last line break */
    bool assembled;    /* a gap other than a line end after a long segment */
    bool digest_lines; /* every segment ended at a hash digest's length */
    bool ended;        /* the payload's padding was seen: the next piece starts anew */
    dec_meta meta;
    /* Undecided: the encoded characters and where pieces start. */
    char *enc;
    size_t enc_len;
    size_t starts[DEC_STARTS];
    long start_lines[DEC_STARTS];
    size_t nstarts;
    size_t unbroken_from; /* the start after the last gap that was not a line end */
    size_t joins;         /* line-end joins of long segments */
    /* Decided: how the rest decodes. */
    enum { B64_BASE64, B64_HEX, B64_BASE32 } as;
    unsigned acc;
    int bits;
    dec_out out;
} b64_state;

void dec_base64_feed(sdc_decode_scan *s, b64_state *st, const unsigned char *t, size_t n);
void dec_base64_finish(sdc_decode_scan *s, b64_state *st);
void dec_base64_free(b64_state *st);

/* --- lists of byte values, escaped byte strings, decimal integers
 * (decode_bytes.c) --- */
typedef struct list_state {
    long line;
    char tok[12];
    size_t tok_len;
    bool tok_long; /* longer than TOK */
    size_t sep;    /* separator characters since the last token */
    bool in_list;
    bool dec_ok, hex_ok; /* the tokens read as decimal / as hex so far */
    dec_meta meta;
    dec_out dec, hex;
} list_state;

typedef struct esc_state {
    long line;
    enum { ESC_OUT, ESC_STR, ESC_GAP } where;
    int pending; /* escape being read: 0 none, else its kind */
    unsigned value;
    int digits;
    unsigned char prev, prev2; /* the two characters before, outside a string */
    unsigned char quote;       /* the string's quote, 0 when not seen */
    size_t gap;
    size_t escapes;
    dec_meta meta;
    dec_out out;
} esc_state;

typedef struct int_state {
    long line, run_line;
    char *digits;
    size_t len;
    bool too_long;
    bool boundary; /* the character before is not a word character */
} int_state;

void dec_list_feed(sdc_decode_scan *s, list_state *st, const unsigned char *t, size_t n);
void dec_list_finish(sdc_decode_scan *s, list_state *st);
void dec_esc_feed(sdc_decode_scan *s, esc_state *st, const unsigned char *t, size_t n);
void dec_esc_finish(sdc_decode_scan *s, esc_state *st);
void dec_int_feed(sdc_decode_scan *s, int_state *st, const unsigned char *t, size_t n);
void dec_int_finish(sdc_decode_scan *s, int_state *st);

/* --- ascii85/base85/Z85, uuencode, quoted-printable (decode_text.c) --- */
typedef struct b85_state {
    long line, run_line;
    size_t run, segment;
    bool non_b64;            /* a character base64 does not use */
    bool adobe;              /* "<~" opened it */
    bool tilde;              /* a '~' just seen */
    unsigned char first;     /* the run's first character */
    bool ok[3];              /* ascii85, base85 (RFC 1924), Z85 */
    signed char rev[2][256]; /* base85 and Z85 digit values, -1 for none */
    unsigned long acc[3];
    int n[3];
    dec_out out[3];
    /* a run is decoded only once it is DEC_WRAP_MIN long: its first
     * characters wait here (short runs, most of a table, cost nothing) */
    unsigned char pend[DEC_WRAP_MIN];
    size_t pend_from; /* 1 after "<~": its '<' is framing, not a digit */
} b85_state;

typedef struct uu_state {
    long line;
    char buf[128];
    size_t len;
    bool overlong;
    bool in;
    dec_meta meta;
    dec_out out;
} uu_state;

typedef struct qp_state {
    long line;
    bool in;
    int pending; /* 0, or characters of "=XX" read */
    unsigned char hi;
    size_t escapes, line_escapes;
    bool soft; /* the line ended with '=' */
    bool cr;   /* a CR, not yet known to end a line */
    dec_meta meta;
    dec_out out;
} qp_state;

void dec_b85_init(b85_state *st);
void dec_b85_feed(sdc_decode_scan *s, b85_state *st, const unsigned char *t, size_t n);
void dec_b85_finish(sdc_decode_scan *s, b85_state *st);
void dec_uu_feed(sdc_decode_scan *s, uu_state *st, const unsigned char *t, size_t n);
void dec_uu_finish(sdc_decode_scan *s, uu_state *st);
void dec_qp_feed(sdc_decode_scan *s, qp_state *st, const unsigned char *t, size_t n);
void dec_qp_finish(sdc_decode_scan *s, qp_state *st);

/* Files of known kinds inside a stream (decode_carve.c). */
#define CARVE_WINDOW 16384 /* bytes kept behind the read position */
#define CARVE_PENDING 64   /* signature hits waiting for their head */

typedef struct carve_state {
    bool binary; /* a binary stream: every signature; else those text cannot hold */
    bool off;    /* not searching (a text scan's carve is off in tables) */
    unsigned char *win;
    size_t win_len;
    unsigned long long win_at; /* stream offset of win[0] */
    unsigned long long pending[CARVE_PENDING];
    size_t npending;
    bool active; /* a file found: every byte from its start is kept */
    unsigned long long active_at;
    dec_out out;
} carve_state;

void dec_carve_feed(sdc_decode_scan *s, carve_state *st, const unsigned char *t, size_t n);
void dec_carve_finish(sdc_decode_scan *s, carve_state *st);
void dec_carve_free(carve_state *st);

/* Compressed streams without a signature (decode_raw.c). */
typedef struct raw_state {
    bool on; /* a binary of no known kind */
    z_stream z;
    bool z_open, z_dead, z_end;
    size_t z_after;
    struct BrotliDecoderStateStruct *br;
    bool br_dead, br_end;
    size_t br_after;
    dec_out zout, bout;
} raw_state;

void dec_raw_feed(sdc_decode_scan *s, raw_state *st, const unsigned char *t, size_t n);
void dec_raw_finish(sdc_decode_scan *s, raw_state *st);
void dec_raw_free(raw_state *st);

/* Records written as JSON (decode_json.c): the text kept, parsed at its end. */
typedef struct json_state {
    bool on;      /* a JSON document (or JSON Lines) */
    bool lines;   /* JSON Lines: one object a line */
    bool xml;     /* an XML document: its flat records */
    bool code;    /* code: a list literal of dicts or objects in it */
    bool started; /* its first character was seen */
    bool over;    /* larger than is parsed */
    unsigned char *p;
    size_t len, cap;
} json_state;

void dec_json_feed(sdc_decode_scan *s, json_state *st, const unsigned char *t, size_t n);
void dec_json_finish(sdc_decode_scan *s, json_state *st);
void dec_json_free(json_state *st);

/* Records written in code (decode_records.c): a line at a time. */
#define REC_LINE_MAX 65536      /* longer lines are not record lines */
#define REC_STMT_MAX (4u << 20) /* an SQL statement or an R call, kept whole */
#define REC_COLS_MAX 256

typedef struct rec_buf {
    char *p;
    size_t len, cap;
    bool over; /* past its limit */
    bool oom;  /* could not grow: memory ran out (kept when cleared) */
} rec_buf;

/* Tables in a document (decode_tables.c): Markdown pipe tables, LaTeX
 * tabulars and HTML tables read into CSV, and the lines no table holds,
 * so that a document of tables alone is judged by its tables. */
typedef struct tab_span {
    long from, to;
} tab_span;

typedef struct tab_state {
    enum { TAB_NONE, TAB_PIPE, TAB_LATEX, TAB_HTML, TAB_RSUMMARY } in;
    long start;    /* the block's first line */
    int depth;     /* HTML: <table> elements open */
    bool in_style; /* HTML: inside <style> */
    rec_buf text;  /* LaTeX, HTML: the block's text */
    rec_buf csv;   /* pipe: the rows as CSV */
    size_t rows, ncols;
    rec_buf head; /* pipe: the line that may be a header */
    long head_line;
    unsigned tables; /* tables read so far */
    long *prose;     /* lines that may be prose (numbers, sentences) */
    size_t nprose, prose_cap;
    bool prose_over;   /* too many to keep, or a block left open */
    bool only;         /* after dec_tab_finish: tables and nothing beside them */
    sdc_model_df *dfs; /* residual df a model printout states */
    size_t ndfs, dfs_cap;
    tab_span *spans; /* lines that tables hold */
    size_t nspans, spans_cap;
    bool oom; /* a line or span could not be kept: memory ran out */
} tab_state;

typedef struct rec_state {
    long line;
    rec_buf cur; /* the line being read */
    bool cur_long;
    enum { REC_NONE, REC_SAS, REC_STATA, REC_SQL, REC_R, REC_CSV, REC_ALIGNED } in;
    long block_line; /* where the block's first row is */
    rec_buf names;   /* the header line, CSV */
    size_t ncols;    /* columns in the header, 0: not known */
    rec_buf csv;     /* the block as CSV */
    size_t rows;
    char sas_end[8]; /* ";" or ";;;;" */
    rec_buf stmt;    /* an SQL statement or R call being gathered */
    enum { REC_GATHER_NONE, REC_GATHER_SQL, REC_GATHER_R } gathering;
    int depth;          /* R: parentheses open; SQL: inside a string */
    char sql_table[64]; /* the table the INSERTs fill */
    rec_buf sql_cols;   /* CREATE TABLE's column names, CSV, and its table */
    char sql_cols_table[64];
    rec_buf input_names; /* SAS: the last input statement's names */
    size_t input_n;
    bool triple;   /* inside a triple-quoted string */
    bool aligned;  /* a document: rows in aligned columns are records too */
    rec_buf prev;  /* the last line that is not a rule, for a header */
    rec_buf lines; /* an aligned block's rows as they were written */
    rec_buf head;  /* and the line above them */
    long head_line;
    long prev_line; /* where PREV is */
    rec_buf prev2;  /* the line before PREV, and where it is */
    long prev2_line;
    rec_buf index_name; /* pandas' and ftable's row-label name on a line of its own */
    long last_line;     /* the last line a block took */
    bool boxed;         /* an aligned block drawn with | between its columns */
    tab_state tab;      /* a document's tables */
} rec_state;

void dec_rec_feed(sdc_decode_scan *s, rec_state *st, const unsigned char *t, size_t n);
void dec_rec_finish(sdc_decode_scan *s, rec_state *st);
void dec_rec_free(rec_state *st);

/* rec_buf helpers (decode_records.c) */
void dec_buf_put(rec_buf *b, const char *p, size_t n, size_t max);
void dec_buf_clear(rec_buf *b);
void dec_buf_release(rec_buf *b);
/* Releases B, failing the scan S when B ran out of memory. */
void dec_buf_settle(sdc_decode_scan *s, rec_buf *b);
/* After dec_rec_finish: fails the scan when any of ST's buffers ran out
 * of memory (what they held was not read). */
void dec_rec_settle(sdc_decode_scan *s, const rec_state *st);
void dec_buf_field(rec_buf *b, const char *f, size_t n, bool first);
/* Emits CSV (LEN bytes, CUT when not whole) as a payload of KIND found at
 * LINE; TABLE_NO numbers a document's tables (0: not one). True when kept. */
bool dec_rec_emit(sdc_decode_scan *s, const char *csv, size_t len, bool cut, const char *kind,
                  long line, unsigned table_no);

/* decode_tables.c */
/* Does L open a table, or go on with one (LINE: its number)? */
bool dec_tab_opens(const tab_state *t, const char *l, long line, const char *prev);
/* Reads L into the open table, or opens one: true when L is the table's.
 * PREV: the line before L that is not a rule. */
bool dec_tab_line(sdc_decode_scan *s, rec_state *st, const char *l);
/* After each line: L may be a pipe table's header. */
void dec_tab_after(tab_state *t, const char *l, long line);
void dec_tab_text_line(tab_state *t, const char *l, long line);
void dec_tab_span(tab_state *t, long from, long to);
void dec_tab_finish(sdc_decode_scan *s, rec_state *st);
void dec_tab_free(tab_state *t);

struct sdc_decode_scan {
    b64_state b64;
    list_state list;
    esc_state esc;
    int_state num;
    b85_state b85;
    uu_state uu;
    qp_state qp;
    rec_state rec;
    carve_state carve;
    raw_state raw;
    json_state json;
    bool binary_only; /* only the carve runs */
    bool rec_off;     /* no records-in-code family (tables) */
    sdc_payload *payloads;
    size_t npayloads, cap;
    size_t ntables, nother; /* payloads kept of each count */
    size_t dropped;
    size_t kept_bytes;
    bool failed;
};

#endif
