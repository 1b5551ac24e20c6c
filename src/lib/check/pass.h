/*
 * pass.h - one byte stream passing through hash, classifier and parser
 * (private to check/).
 */
#ifndef SDC_CHECK_PASS_H
#define SDC_CHECK_PASS_H

#include <openssl/evp.h>

#include "check/walk.h"
#include "classify/code_models.h"
#include "classify/decode.h"
#include "classify/image.h"
#include "classify/trailer.h"
#include "read/data_vars.h"
#include "read/xml_part.h"
#include "rules/text_identifiers.h"

/* The state of one stream passing through. */
typedef struct sdc_pass {
    const sdc_checker *ck;
    sdc_file_result *out;
    EVP_MD_CTX *md;
    sdc_csv_reader *reader;
    sdc_trailer *trailer;    /* PDFs and zips: their end marker, else NULL */
    sdc_image *image;        /* PNG, JPEG, GIF, BMP, WebP: their structure, else NULL */
    sdc_decode_scan *decode; /* text: encoded payloads, else NULL */
    bool tables_only;        /* a document of tables alone (decode_tables.c) */
    sdc_text_scan *text;     /* documents, code, PDFs, SVGs: identifier scan, else NULL */
    sdc_xml_part *xml;       /* an Office part: read as the XML it says it is, else NULL */
    sdc_code_models *models; /* documents and code but PDFs and SVGs: models as text */
    unsigned char *whole;    /* an OLE compound file, kept to walk its streams, else NULL */
    size_t whole_len, whole_cap;
    bool keep_whole, whole_over; /* whole_over: larger than SDC_OLE_KEEP_MAX */
    bool r_deferred;             /* an R serialisation, named at its end */
    sdc_file_class r_class;      /* its class as the head showed it */
    bool classified;
    bool notebook_outputs;    /* a notebook's outputs were seen (text scan) */
    bool keep_table;          /* keep a table in the result whatever its size */
    bool keep_fixable;        /* keep it when suppression mends it (sdc_result_fixable) */
    const char *text_as;      /* explained text (walk.h): its format, else NULL */
    unsigned char *data_head; /* ingest: a data file's head (data_vars.h), else NULL */
    size_t data_head_len, data_head_cap;
    bool data_head_on;
    int failed;
} sdc_pass;

/* Starts a pass of the stream called NAME into OUT (not initialised).
 * Returns 0, or -1 when out of memory (then sdc_pass_end frees what was
 * made). */
int sdc_pass_begin(sdc_pass *p, const sdc_checker *ck, const char *name, sdc_file_result *out);

/* Feeds the next LEN bytes (AT_EOF: they end the stream); the first piece
 * classifies the stream and decides what else reads it. */
void sdc_pass_feed(sdc_pass *p, const unsigned char *bytes, size_t len, bool at_eof);

/* Hashes and counts bytes that a consumer other than sdc_pass_feed read
 * (a container's, read by libarchive). */
void sdc_pass_hash(sdc_pass *p, const void *bytes, size_t len);

/* Ends the pass: the digest, findings on hidden payloads and text, the
 * table read and checked, the verdict. Returns 0, or -1 when out of
 * memory (OUT is then to be freed by the caller). */
int sdc_pass_end(sdc_pass *p);

#endif
