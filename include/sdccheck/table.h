/*
 * table.h - a published table as sdccheck sees it, and how it is read.
 *
 * A table is built while its CSV streams past (sdc_csv_reader, below): the
 * header rows, then the body as a row-major grid of cells. Memory is bounded
 * by the kept rows: once more than max_table_rows body rows have been seen
 * the table is record-level data (doc/design.md, "Record-level data"), cells stop being kept and
 * the reader only counts lines. sdc_table_infer_layout then decides what each column means
 * (doc/design.md, "Layouts") so that rules can ask "is this a count?".
 */
#ifndef SDCCHECK_TABLE_H
#define SDCCHECK_TABLE_H

#include <stddef.h>
#include <stdio.h>
#include <stdbool.h>
#include "error.h"
#include "finding.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sdc_cell_kind {
    SDC_CELL_EMPTY = 0,  /* nothing written (also a suppression marker by default) */
    SDC_CELL_NUMBER,     /* parsed into .number */
    SDC_CELL_TEXT,       /* a label or other text */
    SDC_CELL_SUPPRESSED, /* a policy suppression marker: c, [c], *, x, <10 ... */
    SDC_CELL_MISSING     /* NA, NaN, . : a missing value, not a suppression */
} sdc_cell_kind;

typedef struct sdc_cell {
    const char *text;   /* trimmed cell text, NUL-terminated; owned by the table */
    double number;      /* value when kind == SDC_CELL_NUMBER */
    double bound_hi;    /* for markers "<10": largest possible value (9), else -1 */
    unsigned char kind; /* sdc_cell_kind */
    bool is_integer;    /* number with no fractional part */
    bool is_percent;    /* written with a trailing % */
} sdc_cell;

/* What a column holds (doc/design.md, "Layouts"). */
typedef enum sdc_column_role {
    SDC_COL_EMPTY = 0,  /* no values at all */
    SDC_COL_LABEL,      /* a dimension: text categories (or year, age) */
    SDC_COL_COUNT,      /* frequencies; a wide crosstab's categories */
    SDC_COL_MAGNITUDE,  /* additive totals: sum, total_*, turnover... */
    SDC_COL_MEAN,       /* mean, avg */
    SDC_COL_SPREAD,     /* sd, std, var */
    SDC_COL_PERCENTILE, /* median, p10, q1 ... */
    SDC_COL_EXTREME,    /* min, max */
    SDC_COL_MODE,
    SDC_COL_PERCENT,      /* pct, percent, %, share, rate */
    SDC_COL_CONTRIBUTORS, /* evidence: number of contributors of a magnitude */
    SDC_COL_LARGEST,      /* evidence: k-th largest contribution (rank) */
    SDC_COL_REGRESSION,   /* estimate, coef, std_error, t, p_value */
    SDC_COL_DOF,          /* residual degrees of freedom */
    SDC_COL_NOBS,         /* number of observations of a model */
    SDC_COL_UNKNOWN       /* numeric, meaning not recognised */
} sdc_column_role;

/* Human name of a role ("count", "magnitude", ...). */
const char *sdc_column_role_name(sdc_column_role role);

typedef struct sdc_column {
    char *name; /* header text (levels joined with " / "), owned */
    sdc_column_role role;
    bool is_total;       /* header is a total label (Total, All ...) */
    bool read_as_counts; /* unrecognised, all non-negative integers */
    bool is_index;       /* a row number written by the exporter (R, pandas) */
    int rank;            /* SDC_COL_LARGEST: 1 for max1, 2 for max2 ... */
    long measure;        /* evidence: index of the measure it belongs to, -1 */
    long contributors;   /* measures: index of its contributor column, -1 */
    long largest[8];     /* measures: index of largest[k-1] column, -1 */
    size_t numeric;      /* cells holding numbers */
    size_t text;         /* cells holding text */
    size_t suppressed;   /* cells holding suppression markers */
    size_t missing;
    size_t empty;
    size_t non_integer; /* numbers with a fractional part */
    size_t negative;
    size_t percent_signs; /* numbers written with % */
} sdc_column;

typedef enum sdc_table_shape {
    SDC_SHAPE_LONG = 0,  /* label columns + measure columns */
    SDC_SHAPE_WIDE,      /* label column(s) + one count column per category */
    SDC_SHAPE_REGRESSION /* a model's coefficient table */
} sdc_table_shape;

const char *sdc_table_shape_name(sdc_table_shape shape);

typedef struct sdc_table {
    size_t ncols;
    size_t nrows;                 /* body rows kept */
    size_t header_rows;           /* rows of header (1 or more) */
    sdc_column *columns;          /* ncols */
    sdc_cell *cells;              /* nrows * ncols, row-major; short rows padded */
    long *row_line;               /* file line where each body row starts */
    bool *row_is_total;           /* first label cell is a total label */
    long header_line;             /* line of the first header row */
    unsigned long long rows_seen; /* body rows in the file, kept or not */
    bool truncated;               /* more rows than max_table_rows: not all kept */
    sdc_table_shape shape;
    size_t label_columns;              /* number of SDC_COL_LABEL columns */
    const struct sdc_table_spec *spec; /* declared layout, or NULL (not owned) */
    struct sdc_arena *arena;           /* owns cell texts */
    /* building state (private to table.c) */
    size_t capacity_rows;
} sdc_table;

/* The cell at body row R, column C. */
static inline const sdc_cell *sdc_table_cell(const sdc_table *t, size_t r, size_t c)
{
    return &t->cells[r * t->ncols + c];
}

/*
 * Joins the label cells of body row R (" / " between them) into OUT
 * (always NUL-terminated). Returns OUT.
 */
char *sdc_table_row_labels(const sdc_table *t, size_t r, char *out, size_t out_size);

/* The index of T's column whose header is NAME (the first), or -1. */
long sdc_table_column(const sdc_table *t, const char *name);

/* The body row of T read from input line LINE (a finding's line), or -1. */
long sdc_table_row_of_line(const sdc_table *t, long line);

/* Copies TEXT into T's storage (for cells rewritten in place); NULL when
 * out of memory. The copy lives as long as T. */
const char *sdc_table_keep_text(sdc_table *t, const char *text);

/*
 * Decides each column's role, the shape, total rows and columns and the
 * evidence links (doc/design.md, "Layouts"), with the policy's vocabulary. Notes such as
 * "column read as counts" are appended to FINDINGS.
 */
void sdc_table_infer_layout(sdc_table *t, const sdc_policy *policy, sdc_findings *findings);

void sdc_table_free(sdc_table *t);

/* Writes T as CSV with DELIMITER (fields quoted only when they must be).
 * Returns 0, or SDC_EIO on an output error. */
int sdc_table_write_csv(const sdc_table *t, char delimiter, FILE *out);

/*
 * Parses a number as researchers write it: "1,234", "12.5%", "-3", "1e3",
 * "+3", "(5)" is not a number. Thousands separators are accepted only in
 * groups of three. DECIMAL_COMMA: "1,5" means 1.5 (semicolon files).
 * Returns true and sets *VALUE, *IS_PERCENT on success.
 */
bool sdc_number_parse(const char *s, size_t len, bool decimal_comma, double *value,
                      bool *is_percent);

/* The shortest readable form of a number for a message: whole numbers
 * without a decimal point ("3", "1234"), else six significant digits
 * ("0.9", "1234.5"). */
void sdc_number_format(double v, char *out, size_t size);

/* Digits after the decimal point of a number's text ("12.50" -> 2). */
int sdc_number_decimals(const char *text);

/* ---- streaming CSV reader -------------------------------------------- */

typedef struct sdc_csv_reader sdc_csv_reader;

/* What the reader learned about the file, for the report. */
typedef struct sdc_csv_info {
    const char *encoding; /* "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252" */
    char delimiter;       /* ',', ';', '\t' or '|' */
    bool decimal_comma;
    unsigned long long lines; /* physical lines seen */
} sdc_csv_info;

/*
 * A reader that decodes, sniffs and parses one CSV file fed in chunks of any
 * size (sdccheck feeds 64 KiB). Problems (ragged rows, bad quotes, NULs,
 * undecodable bytes, oversized fields) are appended to FINDINGS as
 * `malformed` or `encoding` with their line; FINDINGS must outlive the
 * reader. Returns NULL when out of memory.
 */
sdc_csv_reader *sdc_csv_reader_new(const sdc_policy *policy, sdc_findings *findings);

/* Feeds LEN raw bytes. Returns 0, or SDC_ENOMEM. */
int sdc_csv_reader_feed(sdc_csv_reader *r, const void *bytes, size_t len);

/*
 * Ends the input. Returns the table (caller frees with sdc_table_free), or
 * NULL when no table could be read (FINDINGS says why: empty file, binary).
 */
sdc_table *sdc_csv_reader_finish(sdc_csv_reader *r);

/* Valid after finish. */
const sdc_csv_info *sdc_csv_reader_info(const sdc_csv_reader *r);

/* False once the reader has stopped keeping rows (record-level data past
 * max_table_rows, or a fatal parse error): it only counts lines now. */
bool sdc_csv_reader_keeps_rows(const sdc_csv_reader *r);

void sdc_csv_reader_free(sdc_csv_reader *r);

/*
 * Reads the CSV file at PATH into a table and lays it out (for `audit` and
 * other callers that want one table, not a report). Reading problems
 * (ragged rows, bad quotes...) go to FINDINGS. Returns the table (free with
 * sdc_table_free) or NULL with ST saying why: SDC_ENOENT, SDC_EACCES or
 * SDC_EIO (the message has the system's words), SDC_ENOTABLE (FINDINGS
 * says why: empty, binary), SDC_ENOMEM.
 */
sdc_table *sdc_table_read_file(const char *path, const sdc_policy *policy, sdc_findings *findings,
                               sdc_status *st);

/* Largest field the reader accepts (bytes); longer is `malformed`. */
#define SDC_CSV_MAX_FIELD (1u << 20)

/* Largest row the reader reads as a table: fields and bytes (a 10 GB file
 * of one line is not held); longer is `malformed` and the rest of the file
 * is not read as a table. */
#define SDC_CSV_MAX_ROW_FIELDS (1u << 21)
#define SDC_CSV_MAX_ROW_BYTES (64u << 20)

/* Cells a table read from a file may keep (about 32 bytes each, plus
 * their text): past them the rest of the rows are counted, not kept, and
 * the table is reported as cut (review). */
#define SDC_TABLE_MAX_CELLS (16u << 20)

/* Bytes per read() call: 64 KiB measured fastest here (see bench/). */
#define SDC_READ_CHUNK (64u * 1024u)

#ifdef __cplusplus
}
#endif
#endif
