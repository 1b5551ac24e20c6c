/*
 * pipeline.h - one byte stream through hash, classifier and parser
 * (private to check.c and container.c).
 *
 * A file, an archive member and a decompressed stream are all a
 * byte_source. check_source reads the head, classifies it, then streams the
 * rest into the right consumer; for a container the consumer is libarchive,
 * whose reads pass through the same hash, and each member is checked
 * recursively as a source of its own. Results are appended to a
 * result_list in order: a container, then its members.
 */
#ifndef SDC_PIPELINE_H
#define SDC_PIPELINE_H

#include <openssl/evp.h>
#include <sys/types.h>

#include "classify/blob.h"
#include "sdccheck/check.h"
#include "classify/trailer.h"

typedef struct byte_source {
    /* Reads up to LEN bytes into BUF: the count, 0 at the end, -1 on error
     * (then ERROR, static or owned by the source, says why). */
    ssize_t (*read)(void *ctx, void *buf, size_t len);
    void *ctx;
    const char *error;
} byte_source;

typedef struct result_list {
    sdc_file_result *items;
    size_t count, capacity;
} result_list;

/* Limits shared by everything inside one submitted file (SPEC 6.2). */
typedef struct budget {
    long long outer_size; /* bytes of the submitted file, for the ratio */
    long long expanded;   /* bytes produced by decompression so far */
    long members;
    bool exceeded; /* a limit was hit: stop expanding */
} budget;

/* The state of one stream passing through. */
typedef struct file_pass {
    const sdc_checker *ck;
    sdc_file_result *out;
    EVP_MD_CTX *md;
    sdc_csv_reader *reader;
    sdc_trailer *trailer;     /* formats with an end marker, else NULL */
    sdc_blob_scan *blobs;     /* text, else NULL */
    struct text_lines *lines; /* documents and code: identifier scan */
    unsigned char *pdf;       /* a PDF, kept for its text; NULL if not, or too big */
    size_t pdf_len, pdf_cap;
    bool classified;
    int failed;
} file_pass;

/* The checker's parts the pipeline needs. */
const sdc_policy *sdc_checker_policy(const sdc_checker *ck);
const sdc_id_scanner *sdc_checker_scanner(const sdc_checker *ck);

/* Applies the policy's overrides, orders the findings and derives the
 * verdict of a result made outside check_source (an xlsx sheet). */
void pipeline_finish(const sdc_checker *ck, sdc_file_result *r);

/* Hashes and counts bytes that a consumer other than pass_feed read. */
void pipeline_hash(file_pass *fp, const void *bytes, size_t len);

/* Checks the stream SRC called NAME at nesting DEPTH (0: a submitted
 * file), appending its result and its members' to LIST. Returns 0, or -1
 * when out of memory. */
int check_source(const sdc_checker *ck, const char *name, byte_source *src, int depth, budget *b,
                 result_list *list);

/* Reads the rest of a container whose first HEAD_LEN bytes are HEAD (already
 * hashed) from SRC through libarchive, checking each member; findings about
 * the container itself go to FP's result. container.c. */
int container_open(const sdc_checker *ck, file_pass *fp, const unsigned char *head, size_t head_len,
                   byte_source *src, int depth, budget *b, result_list *list);

/* Appends an empty result to LIST and returns its index, or -1. */
long result_list_reserve(result_list *list);

#endif
