/*
 * sniff.h - what the first bytes of a file say about it (private).
 *
 * Text or binary, which text encoding, and which delimiter a delimited
 * table uses. Both the classifier and the CSV reader ask these questions of
 * the same head bytes, so the answers live in one place.
 */
#ifndef SDC_SNIFF_H
#define SDC_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

typedef enum sdc_text_encoding {
    SDC_ENC_UTF8 = 0, /* valid UTF-8 (ASCII included) */
    SDC_ENC_UTF8_BOM, /* UTF-8 with a byte order mark */
    SDC_ENC_UTF16LE,
    SDC_ENC_UTF16BE,
    SDC_ENC_CP1252,       /* 8-bit text that is not UTF-8: Windows-1252 / Latin-1 */
    SDC_ENC_UTF8_INVALID, /* UTF-8 with some invalid sequences */
    SDC_ENC_BINARY        /* not text */
} sdc_text_encoding;

/* The report's name for an encoding ("utf-8", "windows-1252", ...). */
const char *sdc_encoding_name(sdc_text_encoding e);

/* Guesses the encoding of a file from its first LEN bytes (AT_EOF: the
 * whole file). Binary: control bytes, or NULs that are not UTF-16. */
sdc_text_encoding sdc_encoding_sniff(const unsigned char *head, size_t len, bool at_eof);

/* What the delimiter sniffer saw. */
typedef struct sdc_delim_guess {
    char delimiter;     /* ',', '\t', ';' or '|' (',' when none fits) */
    size_t fields;      /* fields per line in the most common case */
    size_t lines;       /* complete lines looked at */
    size_t agreeing;    /* lines with that many fields */
    bool decimal_comma; /* ';' file whose numbers use a decimal comma */
} sdc_delim_guess;

/* Length of the valid UTF-8 sequence at P (Unicode table 3-7): 1-4, 0 if
 * invalid, -1 if cut short by the end of the AVAIL bytes. */
int sdc_utf8_sequence(const unsigned char *p, size_t avail);

/* Sniffs the delimiter of UTF-8 TEXT (up to ~50 lines are looked at). */
sdc_delim_guess sdc_delimiter_sniff(const char *text, size_t len);

/* True if the guess looks like a delimited table (at least 2 fields on at
 * least 80% of at least 2 lines). */
bool sdc_delim_guess_is_table(const sdc_delim_guess *g);

#endif
