/*
 * decode.h - payloads written as text, decoded (private).
 *
 * A model, a data file or an archive pasted into a CSV cell, a notebook, a
 * JSON file or a script is still that file (doc/design.md, "Decoded
 * payloads"). The scan follows every text encoding a file can be written
 * in through the text as it streams past: base64 (standard and URL-safe,
 * wrapped, or split into pieces with quotes, commas, line numbers or short
 * prefixes between them), hex (plain, 0x-prefixed, spaced or listed),
 * base32, ascii85, base85 and Z85, uuencode, quoted-printable, byte
 * literals in code (\x, octal and \u00XX escapes, b'...' strings), lists
 * of byte values (Python lists, R as.raw(c(...))) and long decimal integer
 * literals. Each candidate is decoded and its head classified:
 *
 *   - a file of a known kind (a model, data, an archive, an image, a PDF,
 *     or text where text is not what the encoding normally holds) is kept
 *     whole (up to SDC_DECODE_KEEP) to be walked as a member of the file;
 *   - one unbroken run (or one wrapped at line ends) of base64, base32 or
 *     hex that decodes to SDC_DECODE_UNKNOWN_MIN bytes or more of no known
 *     kind is kept as unexplained, with its entropy;
 *   - everything else (words, identifiers, hashes, numbers, prose that
 *     happens to be base64 letters) is dropped.
 *
 * The scan gives the same payloads whatever the split of the stream.
 */
#ifndef SDC_DECODE_H
#define SDC_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/detect.h"

#define SDC_DECODE_MIN 30                 /* fewer decoded bytes: words, ids, keys */
#define SDC_DECODE_UNKNOWN_MIN 256        /* unexplained decoded bytes reported from */
#define SDC_DECODE_KEEP (16u << 20)       /* decoded bytes kept per payload */
#define SDC_DECODE_KEEP_TOTAL (64u << 20) /* decoded bytes kept per file */
#define SDC_DECODE_PAYLOADS_MAX 32        /* payloads kept per file */
#define SDC_DECODE_TABLES_MAX 4096        /* a document's tables kept, besides */
#define SDC_DECODE_DIGITS_MAX 20000       /* decimal literal digits decoded */

typedef enum sdc_payload_kind {
    SDC_PAYLOAD_FILE,        /* a file of a known kind: walk it */
    SDC_PAYLOAD_UNEXPLAINED, /* decoded bytes of no known kind */
} sdc_payload_kind;

typedef struct sdc_payload {
    sdc_payload_kind kind;
    const char *encoding;       /* "base64", "hex", ... (static) */
    long line;                  /* where its text starts */
    unsigned long long encoded; /* characters of text it spans */
    unsigned long long decoded; /* bytes it decodes to */
    unsigned char *data;        /* the first LEN of them (FILE only) */
    size_t len;
    bool cut;                  /* DECODED > LEN */
    bool assembled;            /* joined from pieces with other text between */
    bool digest_lines;         /* hex in lines as long as hash digests */
    bool carved;               /* raw bytes found inside the stream, not decoded */
    unsigned long long offset; /* carved: where in the stream it starts */
    double entropy;            /* bits per byte over every decoded byte */
    unsigned table_no;         /* a table read from a document: its number */
    sdc_classification what;   /* what the decoded head is */
} sdc_payload;

typedef struct sdc_decode_scan sdc_decode_scan;

sdc_decode_scan *sdc_decode_new(void);
/* A scan of a binary stream of no known kind: only the search for files of
 * known kinds inside it (decode_carve.c), every signature looked for. */
sdc_decode_scan *sdc_decode_new_binary(void);
void sdc_decode_free(sdc_decode_scan *s);
void sdc_decode_feed(sdc_decode_scan *s, const unsigned char *text, size_t len);
/* A JSON document (LINES: JSON Lines): an array of flat objects in it is
 * read back into a table (decode_json.c). */
void sdc_decode_json_records(sdc_decode_scan *s, bool lines);
/* An XML document: a run of flat records in it is read back into a table
 * (decode_json.c). */
void sdc_decode_xml_records(sdc_decode_scan *s);
/* Code: a list literal of flat dicts or objects in it ([{...}, {...}]) is
 * read back into a table (decode_json.c). */
void sdc_decode_code_records(sdc_decode_scan *s);
/* A document (.txt, .log, .md, .tex, .html): its tables (rows in aligned
 * columns, Stata's boxes, Markdown pipes, LaTeX tabulars, HTML tables)
 * are read into CSV and walked (decode_records.c, decode_tables.c); a
 * block of ten rows or more in aligned columns is records even with no
 * header. */
void sdc_decode_document_records(sdc_decode_scan *s);
/* Tables: no search for files inside (a CSV's bytes are characters) and
 * no records written as code (a CSV is records already, read as a table). */
void sdc_decode_for_table(sdc_decode_scan *s);
/* Ends the text: open payloads are judged. */
void sdc_decode_finish(sdc_decode_scan *s);

size_t sdc_decode_count(const sdc_decode_scan *s);
const sdc_payload *sdc_decode_at(const sdc_decode_scan *s, size_t i);
/* Payloads worth keeping that were not kept (over the count or bytes). */
size_t sdc_decode_dropped(const sdc_decode_scan *s);
/* Memory ran out: what the scan says is incomplete. */
bool sdc_decode_failed(const sdc_decode_scan *s);
/* After sdc_decode_finish, a document's: it holds one table or more, and
 * nothing else but titles, notes, headings and commands echoed in a log
 * (decode_tables.c, "prose"). */
bool sdc_decode_tables_only(const sdc_decode_scan *s);

/* A model's residual degrees of freedom as a printout in a document states
 * them (decode_tables.c): R's summary ("on 8 degrees of freedom"),
 * statsmodels' ("Df Residuals: 8"), stargazer's ("(df = 8)", "(df = 1;
 * 8)"), Stata's ANOVA ("Residual | SS df MS"). */
typedef struct sdc_model_df {
    long line;
    double df;
    const char *printout; /* "R's summary", "statsmodels' summary"... (static) */
} sdc_model_df;

/* After sdc_decode_finish: the residual df stated in a document (at most
 * the first 64), or NULL with *N 0. */
const sdc_model_df *sdc_decode_model_dfs(const sdc_decode_scan *s, size_t *n);

#endif
