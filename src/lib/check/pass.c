/*
 * pass.c - one byte stream through hash, classifier and parser.
 *
 * Each file (or archive member) is read once, in SDC_READ_CHUNK pieces: the
 * first piece is classified, which decides what else reads the stream, and
 * every piece feeds the SHA-256 as it passes. The readers are lines of one
 * table (readers[]: the end marker, an image's structure, encoded payloads
 * and records, identifiers in text, an Office part's XML, models written
 * as text, a compound file kept whole, the table, an ingest check's data
 * file head), each started by the class and format it reads, fed, ended
 * with its findings and released in the table's order. A table is laid
 * out, declared, checked and (when it may be linked to other tables of the
 * submission) kept in the result, so that what was hashed is what is
 * audited; in an ingest check (ingest.c) its header and cells are judged
 * instead, and every result is restated for what may come in before its
 * verdict is derived.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/checker.h"
#include "check/ingest_internal.h"
#include "check/ole_account.h"
#include "check/pass.h"
#include "check/result.h"
#include "classify/classify.h"
#include "core/vec.h"
#include "sdccheck/microdata.h"
#include "sdccheck/spec.h"

int sdc_pass_begin(sdc_pass *p, const sdc_checker *ck, const char *name, sdc_file_result *out)
{
    memset(out, 0, sizeof *out);
    memset(p, 0, sizeof *p);
    p->ck = ck;
    p->out = out;
    out->path = strdup(name);
    out->file_class = SDC_CLASS_UNKNOWN;
    p->md = EVP_MD_CTX_new();
    if (!out->path || !p->md || EVP_DigestInit_ex(p->md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(p->md);
        p->md = NULL;
        sdc_file_result_free(out);
        return -1;
    }
    return 0;
}

/* The policy's file-type allowlist (OpenSAFELY's, for one): a file whose
 * extension is not on it needs a person, whatever its content. */
static void check_allowlist(const sdc_policy *policy, sdc_file_result *out)
{
    if (policy->allowed_file_types.count == 0)
        return;
    const char *ext = sdc_name_extension(out->path);
    if (sdc_strlist_contains(&policy->allowed_file_types, ext))
        return;
    sdc_finding_at at = {.advice = "release only the file types the policy allows"};
    sdc_findings_add(&out->findings, "needs-review", SDC_REVIEW, &at,
                     "file type '%s' is not on the policy's list of allowed file types",
                     ext[0] ? ext : "(none)");
}

/* Findings that follow from the class alone: the name says another class
 * (disguised), a table's name on a binary, a model, a data file. */
static void class_findings(const sdc_classification *c, sdc_file_result *out)
{
    if (sdc_classes_disagree(c->name_class, c->file_class)) {
        sdc_finding_at at = {.advice = "name files for what they are; disguised files are "
                                       "refused"};
        sdc_findings_add(&out->findings, "disguised", SDC_FAIL, &at,
                         "named as %s (%s) but the content is %s (%s)",
                         sdc_file_class_name(c->name_class), c->name_format,
                         sdc_file_class_name(c->file_class), c->format);
    } else if (c->name_class == SDC_CLASS_TABLE && c->file_class != SDC_CLASS_TABLE) {
        sdc_finding_at at = {.line = 1,
                             .advice = "submit tables as text (CSV); a binary file needs a "
                                       "person to look at it"};
        sdc_findings_add(&out->findings, "malformed", SDC_REVIEW, &at,
                         "named as a table, but the content is %s, not a text table", c->format);
    }
}

static bool is_r_serialised(const sdc_classification *c)
{
    return c->format && (strcmp(c->format, "rds") == 0 || strcmp(c->format, "rds-model") == 0 ||
                         strcmp(c->format, "rdata") == 0 || strcmp(c->format, "rdata-model") == 0);
}

static void artefact_findings(const sdc_classification *c, sdc_file_result *out)
{
    if (c->file_class == SDC_CLASS_MODEL) {
        sdc_finding_at at = {.advice = "machine-learning models may not leave the "
                                       "environment: release the results (tables, charts) "
                                       "instead"};
        sdc_findings_add(&out->findings, "model-file", SDC_FAIL, &at,
                         "serialised machine-learning model: %s%s%s%s", c->format,
                         c->detail ? " (" : "", c->detail ? c->detail : "", c->detail ? ")" : "");
    } else if (c->file_class == SDC_CLASS_DATA) {
        sdc_finding_at at = {.advice = "record-level data may not leave the environment: "
                                       "publish aggregate tables instead"};
        sdc_findings_add(&out->findings, "data-file", SDC_FAIL, &at, "data file: %s", c->format);
    }
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

/* Whether NAME is a piece of an archive split into volumes, as the tools
 * name them: 7-Zip's and split's "x.7z.001" (any archive's extension and
 * three digits), zip's "x.z01", RAR's "x.part2.rar" and "x.r00". */
static bool split_piece_name(const char *name)
{
    static const char *const archives[] = {"7z",  "zip", "rar", "tar",  "gz",  "tgz",  "bz2",
                                           "xz",  "zst", "lz4", "cab",  "iso", "cpio", "arj",
                                           "lzh", "tbz", "txz", "lzma", NULL};
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return false;
    const char *ext = dot + 1;
    size_t n = strlen(ext);
    if ((ext[0] == 'z' || ext[0] == 'Z' || ext[0] == 'r' || ext[0] == 'R') && n == 3 &&
        digits(ext + 1, 2))
        return true; /* x.z01, x.r00 */
    /* The extension before the last: [prev, dot), after a dot. */
    const char *prev = dot;
    while (prev > name && prev[-1] != '.')
        prev--;
    size_t m = (size_t)(dot - prev);
    if (prev == name)
        return false;
    if (n == 3 && digits(ext, 3)) { /* x.7z.001 */
        for (size_t i = 0; archives[i]; i++)
            if (strlen(archives[i]) == m && strncasecmp(prev, archives[i], m) == 0)
                return true;
        return false;
    }
    /* x.part2.rar */
    return strcasecmp(ext, "rar") == 0 && m > 4 && strncasecmp(prev, "part", 4) == 0 &&
           digits(prev + 4, m - 4);
}

/* A piece of a split archive cannot be checked on its own: what it holds
 * is cut at its edges, and the rest is elsewhere. */
static void split_piece(const sdc_classification *c, sdc_file_result *out)
{
    bool marker = c->format && strcmp(c->format, "zip-volume") == 0;
    const char *name = sdc_name_base(out->path);
    if (!marker && !split_piece_name(name))
        return;
    sdc_finding_at at = {.advice = "join the pieces and submit the archive whole, or submit the "
                                   "files it holds"};
    sdc_findings_add(&out->findings, "needs-review", SDC_REVIEW, &at,
                     "a piece of an archive split into volumes (%s): it cannot be checked on its "
                     "own",
                     marker ? "it begins with zip's spanning marker" : name);
}

/* --- the readers, one registration line each (readers[] below) --- */

static bool is_format(const sdc_classification *c, const char *format)
{
    return c->format && strcmp(c->format, format) == 0;
}

static bool json_lines_name(const char *path)
{
    size_t n = strlen(path);
    return (n > 6 && strcmp(path + n - 6, ".jsonl") == 0) ||
           (n > 7 && strcmp(path + n - 7, ".ndjson") == 0);
}

/* A PDF's and a zip's end marker, a 7z's end: what follows is appended. */
static int trailer_start(sdc_pass *p, const sdc_classification *c)
{
    sdc_trailer probe;
    sdc_trailer_init(&probe, c->format);
    if (probe.kind == SDC_TRAILER_NONE)
        return 0;
    if (!(p->trailer = malloc(sizeof *p->trailer)))
        return -1;
    *p->trailer = probe;
    return 0;
}

static void trailer_feed(sdc_pass *p, const unsigned char *b, size_t n)
{
    if (p->trailer)
        sdc_trailer_feed(p->trailer, b, n);
}

/* Data after the end marker. */
static int trailer_end(sdc_pass *p)
{
    unsigned long long extra = p->trailer ? sdc_trailer_appended(p->trailer) : 0;
    if (extra == 0)
        return 0;
    /* What follows, past the line end a PDF may have after %%EOF. */
    const unsigned char *tail = p->trailer->capture;
    size_t tail_len = p->trailer->captured;
    while (p->trailer->kind == SDC_TRAILER_PDF && tail_len &&
           (*tail == '\r' || *tail == '\n' || *tail == ' ' || *tail == '\t')) {
        tail++;
        tail_len--;
    }
    sdc_classification c = sdc_file_classify(tail, tail_len, extra <= p->trailer->captured, "");
    sdc_finding_at at = {.advice = "remove what follows the end of the file: a "
                                   "chart or document must not carry other data"};
    sdc_findings_add(&p->out->findings, "appended-data", SDC_FAIL, &at,
                     "%llu bytes after the %s: %s (%s)", extra, sdc_trailer_marker(p->trailer),
                     sdc_file_class_name(c.file_class), c.format);
    return 0;
}

static void trailer_release(sdc_pass *p)
{
    free(p->trailer);
    p->trailer = NULL;
}

/* An image's chunks, segments or blocks (image.c). */
static int image_start(sdc_pass *p, const sdc_classification *c)
{
    if (!sdc_image_walks(c->format))
        return 0;
    return (p->image = sdc_image_new(c->format)) ? 0 : -1;
}

static void image_feed(sdc_pass *p, const unsigned char *b, size_t n)
{
    if (p->image)
        sdc_image_feed(p->image, b, n);
}

static void image_release(sdc_pass *p)
{
    sdc_image_free(p->image);
    p->image = NULL;
}

/* Encoded payloads in text (decode.c), records written in it, files of
 * known kinds inside a binary of none. */
static int decode_start(sdc_pass *p, const sdc_classification *c)
{
    if (c->file_class == SDC_CLASS_UNKNOWN || is_format(c, "printer-settings"))
        return (p->decode = sdc_decode_new_binary()) ? 0 : -1;
    if (c->file_class != SDC_CLASS_TABLE && c->file_class != SDC_CLASS_DOCUMENT &&
        c->file_class != SDC_CLASS_CODE && !is_format(c, "svg"))
        return 0;
    if (!(p->decode = sdc_decode_new()))
        return -1;
    if (c->file_class == SDC_CLASS_TABLE)
        sdc_decode_for_table(p->decode);
    else if (is_format(c, "json") || json_lines_name(p->out->path))
        sdc_decode_json_records(p->decode, !is_format(c, "json"));
    else if (is_format(c, "xml"))
        sdc_decode_xml_records(p->decode);
    else if (c->file_class == SDC_CLASS_CODE && is_format(c, "source"))
        sdc_decode_code_records(p->decode);
    else if (c->file_class == SDC_CLASS_DOCUMENT &&
             (is_format(c, "text") || is_format(c, "markdown") || is_format(c, "html")))
        sdc_decode_document_records(p->decode);
    return 0;
}

/* In a table, only while it is still read as one (a record-level file
 * past max_table_rows has failed already). */
static void decode_feed(sdc_pass *p, const unsigned char *b, size_t n)
{
    if (p->decode && (!p->reader || sdc_csv_reader_keeps_rows(p->reader)))
        sdc_decode_feed(p->decode, b, n);
}

static void decode_release(sdc_pass *p)
{
    sdc_decode_free(p->decode);
    p->decode = NULL;
}

/* Identifiers in what people read: documents, code, a PDF's text, an
 * SVG's text (not its geometry: svg_text.c). */
static int text_start(sdc_pass *p, const sdc_classification *c)
{
    bool pdf = is_format(c, "pdf");
    if (c->file_class != SDC_CLASS_DOCUMENT && c->file_class != SDC_CLASS_CODE && !pdf &&
        !is_format(c, "svg"))
        return 0;
    p->text = sdc_text_scan_new(p->ck->scanner, &p->out->findings, pdf);
    return p->text ? 0 : -1;
}

static void text_feed(sdc_pass *p, const unsigned char *b, size_t n)
{
    if (p->text)
        sdc_text_scan_feed(p->text, b, n);
}

static int text_end(sdc_pass *p)
{
    if (p->text) {
        sdc_text_scan_finish(p->text);
        p->notebook_outputs = sdc_text_scan_notebook_outputs(p->text);
    }
    return 0;
}

static void text_release(sdc_pass *p)
{
    sdc_text_scan_free(p->text);
    p->text = NULL;
}

/* An Office part, read as the XML it says it is. */
static int xml_start(sdc_pass *p, const sdc_classification *c)
{
    if (!is_format(c, "office-part"))
        return 0;
    return (p->xml = sdc_xml_part_new(p->out->path)) ? 0 : -1;
}

static void xml_feed(sdc_pass *p, const unsigned char *b, size_t n)
{
    if (p->xml)
        sdc_xml_part_feed(p->xml, b, n);
}

/* An Office part that is not the XML its name says: a person looks. */
static int xml_end(sdc_pass *p)
{
    long line;
    const char *why = p->xml ? sdc_xml_part_finish(p->xml, &line) : NULL;
    if (!why)
        return 0;
    sdc_finding_at at = {.line = line,
                         .advice = "an Office file's parts are XML: save the file again from "
                                   "its application, or say what the part holds"};
    sdc_findings_add(&p->out->findings, "malformed", SDC_REVIEW, &at, "Office part: %s", why);
    return 0;
}

static void xml_release(sdc_pass *p)
{
    sdc_xml_part_free(p->xml);
    p->xml = NULL;
}

/* Models written as text: in code and documents, not in a PDF's bytes or
 * an SVG's geometry; charts in markup and notebooks carry their data (a
 * run of numbers there is review). */
static int models_start(sdc_pass *p, const sdc_classification *c)
{
    if ((c->file_class != SDC_CLASS_DOCUMENT && c->file_class != SDC_CLASS_CODE) ||
        is_format(c, "pdf") || is_format(c, "svg"))
        return 0;
    bool markup = is_format(c, "html") || is_format(c, "xml") || is_format(c, "office-part") ||
                  is_format(c, "notebook");
    return (p->models = sdc_code_models_new(p->ck->policy, markup)) ? 0 : -1;
}

static void models_feed(sdc_pass *p, const unsigned char *b, size_t n)
{
    if (p->models)
        sdc_code_models_feed(p->models, b, n);
}

static int models_end(sdc_pass *p)
{
    return p->models ? sdc_code_models_finish(p->models, &p->out->findings) : 0;
}

static void models_release(sdc_pass *p)
{
    sdc_code_models_free(p->models);
    p->models = NULL;
}

/* A compound file is a file system: kept whole (up to SDC_OLE_KEEP_MAX)
 * to walk its streams; a notebook, to read its outputs' tables; an R
 * serialisation, to read its objects' classes at its end. */
static int whole_start(sdc_pass *p, const sdc_classification *c)
{
    p->keep_whole = is_format(c, "ole-compound") || is_format(c, "notebook") || is_r_serialised(c);
    return 0;
}

static void whole_feed(sdc_pass *p, const unsigned char *b, size_t n)
{
    if (!p->keep_whole || p->whole_over)
        return;
    if (p->whole_len + n > SDC_OLE_KEEP_MAX) {
        p->whole_over = true;
        free(p->whole);
        p->whole = NULL;
    } else if (SDC_VEC_RESERVE(p->whole, p->whole_cap, p->whole_len + n) < 0) {
        p->failed = 1;
    } else {
        memcpy(p->whole + p->whole_len, b, n);
        p->whole_len += n;
    }
}

static void whole_release(sdc_pass *p)
{
    free(p->whole);
    p->whole = NULL;
}

/* A table: parsed as it streams (csv_reader.c); laid out, declared and
 * checked at its end (table_end, below). */
static int table_start(sdc_pass *p, const sdc_classification *c)
{
    if (c->file_class != SDC_CLASS_TABLE)
        return 0;
    return (p->reader = sdc_csv_reader_new(p->ck->policy, &p->out->findings)) ? 0 : -1;
}

static void table_feed(sdc_pass *p, const unsigned char *b, size_t n)
{
    if (p->reader && sdc_csv_reader_feed(p->reader, b, n) < 0)
        p->failed = 1;
}

static int table_end(sdc_pass *p);

static void table_release(sdc_pass *p)
{
    sdc_csv_reader_free(p->reader);
    p->reader = NULL;
}

/* An ingest check's Stata, SPSS or SAS file: its head, kept for the
 * variable names at its start (data_vars.c). */
static int data_head_start(sdc_pass *p, const sdc_classification *c)
{
    p->data_head_on = sdc_ingest_reads_head(p->ck, c->format);
    return 0;
}

static void data_head_feed(sdc_pass *p, const unsigned char *b, size_t n)
{
    if (!p->data_head_on || p->data_head_len >= SDC_DATA_VARS_HEAD_MAX)
        return;
    if (n > SDC_DATA_VARS_HEAD_MAX - p->data_head_len)
        n = SDC_DATA_VARS_HEAD_MAX - p->data_head_len;
    if (SDC_VEC_RESERVE(p->data_head, p->data_head_cap, p->data_head_len + n) < 0) {
        p->failed = 1;
        return;
    }
    memcpy(p->data_head + p->data_head_len, b, n);
    p->data_head_len += n;
}

static int data_head_end(sdc_pass *p)
{
    if (!p->data_head_on)
        return 0;
    return sdc_ingest_data_head(p->ck, p->out, p->out->format, p->data_head, p->data_head_len,
                                (unsigned long long)p->out->size);
}

static void data_head_release(sdc_pass *p)
{
    free(p->data_head);
    p->data_head = NULL;
}

/*
 * What reads a stream besides the hash: one line per reader, in the order
 * they are fed each piece and ended. Each starts when the stream's class
 * and format call for it (its start does nothing otherwise). Readers
 * marked every_byte also read what a container's reader consumes
 * (sdc_pass_hash); the others read what the pass is fed. What readers
 * keep (an image's parts, decoded payloads, a PDF's text, a compound
 * file's bytes) is walked after the pass by source.c's inside[] lines.
 */
static const struct reader_line {
    const char *what;
    bool every_byte;
    int (*start)(sdc_pass *p, const sdc_classification *c); /* 0, or -1: out of memory */
    void (*feed)(sdc_pass *p, const unsigned char *b, size_t n);
    int (*end)(sdc_pass *p); /* its findings: 0, or -1: out of memory */
    void (*release)(sdc_pass *p);
} readers[] = {
    {"end marker (trailer.c)", true, trailer_start, trailer_feed, trailer_end, trailer_release},
    {"image structure (image.c)", true, image_start, image_feed, NULL, image_release},
    {"encoded payloads, records, carved files (decode.c)", false, decode_start, decode_feed, NULL,
     decode_release},
    {"identifiers in text (text_identifiers.c)", false, text_start, text_feed, text_end,
     text_release},
    {"Office part as XML (xml_part.c)", false, xml_start, xml_feed, xml_end, xml_release},
    {"models written as text (code_models.c)", false, models_start, models_feed, models_end,
     models_release},
    {"compound file kept whole (ole.c)", false, whole_start, whole_feed, NULL, whole_release},
    {"table (csv_reader.c)", false, table_start, table_feed, table_end, table_release},
    {"data file's variable names (data_vars.c)", false, data_head_start, data_head_feed,
     data_head_end, data_head_release},
};
#define NREADERS (sizeof readers / sizeof readers[0])

static void start_readers(sdc_pass *p, const sdc_classification *c)
{
    for (size_t i = 0; i < NREADERS && !p->failed; i++)
        if (readers[i].start(p, c) < 0)
            p->failed = 1;
}

static void classify_head(sdc_pass *p, const unsigned char *head, size_t len, bool at_eof)
{
    sdc_file_result *out = p->out;
    sdc_classification c = sdc_file_classify(head, len, at_eof, out->path);
    if (c.file_class == SDC_CLASS_UNKNOWN && len > 0)
        sdc_magic_classify(p->ck->magic, head, len, &c);
    /* Text its holder explains (walk.h): its scans decide, not a person. */
    if (p->text_as && (c.file_class == SDC_CLASS_DOCUMENT || c.file_class == SDC_CLASS_CODE)) {
        c.file_class = SDC_CLASS_DOCUMENT;
        c.format = p->text_as;
    }
    check_allowlist(p->ck->policy, out);
    p->classified = true;
    out->file_class = c.file_class;
    out->format = strdup(c.format);
    if (!out->format)
        p->failed = 1;
    class_findings(&c, out);
    split_piece(&c, out);
    start_readers(p, &c);
    /* an R serialisation is named by the classes of what it holds, read
     * once the whole stream has passed (source.c, walk_r_objects) */
    if (is_r_serialised(&c)) {
        p->r_deferred = true;
        p->r_class = c.file_class;
    } else
        artefact_findings(&c, out);
}

/* Every byte of a file passes here once, in order: hash, size, end marker. */
void sdc_pass_hash(sdc_pass *p, const void *bytes, size_t len)
{
    if (p->failed || len == 0)
        return;
    if (EVP_DigestUpdate(p->md, bytes, len) != 1)
        p->failed = 1;
    p->out->size += (long long)len;
    for (size_t i = 0; i < NREADERS; i++)
        if (readers[i].every_byte)
            readers[i].feed(p, bytes, len);
}

void sdc_pass_feed(sdc_pass *p, const unsigned char *bytes, size_t len, bool at_eof)
{
    if (p->failed)
        return;
    if (!p->classified) {
        classify_head(p, bytes, len, at_eof);
        if (p->failed)
            return;
    }
    sdc_pass_hash(p, bytes, len);
    for (size_t i = 0; i < NREADERS && !p->failed; i++)
        if (!readers[i].every_byte)
            readers[i].feed(p, bytes, len);
}

/* The table read from the stream: laid out, its declared layout applied,
 * checked; kept in the result when it may be linked, or (in a --fix walk)
 * when suppression mends it and it was read whole. */
static int table_end(sdc_pass *p)
{
    if (!p->reader)
        return 0;
    const sdc_checker *ck = p->ck;
    sdc_file_result *out = p->out;
    sdc_table *t = sdc_csv_reader_finish(p->reader);
    const sdc_csv_info *info = sdc_csv_reader_info(p->reader);
    out->encoding = out->size > 0 ? strdup(info->encoding) : NULL;
    if (out->size > 0 && !out->encoding) /* the report would say none */
        sdc_findings_mark_incomplete(&out->findings, SDC_INCOMPLETE_MEMORY);
    out->delimiter = info->delimiter;
    if (!t)
        return 0;
    if (ck->ingest) {
        /* coming in: its variables and identifiers, not the table rules */
        if (sdc_ingest_table(ck, t, out) < 0)
            p->failed = 1;
        out->rows = t->rows_seen;
        out->columns = t->ncols;
        sdc_table_free(t);
        return 0;
    }
    sdc_table_infer_layout(t, ck->policy, &out->findings);
    sdc_table_spec *spec = sdc_table_spec_declared(out->path, ck->table_spec, &out->findings);
    if (spec)
        sdc_table_spec_apply(spec, t, &out->findings);
    sdc_table_check(t, ck->policy, ck->scanner, &out->findings);
    if (ck->microdata && !t->truncated)
        sdc_table_verify_microdata(t, ck->policy, ck->microdata, &out->findings);
    out->rows = t->rows_seen;
    out->columns = t->ncols;
    out->shape = t->shape;
    for (size_t c = 0; c < t->ncols; c++)
        out->suppressed += t->columns[c].suppressed;
    if (p->keep_table || (sdc_result_linkable(out) && !t->truncated) ||
        (p->keep_fixable && !t->truncated && sdc_result_fixable(out))) {
        out->table = t;
        out->table_spec = spec;
        return 0;
    }
    sdc_table_spec_free(spec);
    sdc_table_free(t);
    return 0;
}

/* Files a person must read: everything but tables, artefacts that fail on
 * their own, containers (judged by their members), the parts of Office
 * files and declarations that are read elsewhere, and text its holder
 * explains (an image's metadata, text decoded from base64). Code passes after its scans; a
 * notebook's outputs are documents. */
static void end_review(sdc_pass *p)
{
    sdc_file_result *out = p->out;
    if (out->file_class == SDC_CLASS_CODE) {
        if (p->notebook_outputs)
            sdc_result_needs_review(out, "notebook with outputs: a person must look at them",
                                    "clear the outputs before submitting, or release them as "
                                    "tables and charts");
        return;
    }
    if (out->file_class == SDC_CLASS_TABLE || out->file_class == SDC_CLASS_MODEL ||
        out->file_class == SDC_CLASS_DATA || out->file_class == SDC_CLASS_CONTAINER ||
        (out->format &&
         (strcmp(out->format, "office-part") == 0 || strcmp(out->format, "sdc-spec") == 0 ||
          strcmp(out->format, "image-metadata") == 0 || strcmp(out->format, "decoded-text") == 0 ||
          strcmp(out->format, "printer-settings") == 0 ||
          strcmp(out->format, "package-mimetype") == 0)))
        return;
    /* A document of tables alone (titles and notes aside) is judged by its
     * tables, walked as its members (decode_tables.c). */
    if (out->file_class == SDC_CLASS_DOCUMENT && p->tables_only)
        return;
    char msg[160];
    snprintf(msg, sizeof msg, "%s file (%s): a person must look at it",
             sdc_file_class_name(out->file_class), out->format ? out->format : "unknown");
    sdc_result_needs_review(out, msg,
                            out->file_class == SDC_CLASS_UNKNOWN
                                ? "unknown files are never cleared automatically: explain what "
                                  "it is"
                                : "an output checker reads it before release");
}

static void end_digest(sdc_pass *p)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (!p->failed && EVP_DigestFinal_ex(p->md, digest, &dlen) == 1) {
        for (unsigned i = 0; i < dlen && i < 32; i++)
            snprintf(p->out->sha256 + 2 * i, 3, "%02x", digest[i]);
    }
    EVP_MD_CTX_free(p->md);
    p->md = NULL;
}

int sdc_pass_end(sdc_pass *p)
{
    if (!p->failed && !p->classified)
        classify_head(p, (const unsigned char *)"", 0, true);
    end_digest(p);
    bool table = p->reader != NULL;
    for (size_t i = 0; i < NREADERS; i++)
        if (!p->failed && readers[i].end && readers[i].end(p) < 0)
            p->failed = 1;
    for (size_t i = 0; i < NREADERS; i++)
        readers[i].release(p);
    if (!table && !p->failed)
        end_review(p);
    if (!p->failed && sdc_ingest_judge(p->ck, p->out) < 0)
        p->failed = 1;
    if (p->failed)
        return -1;
    sdc_result_finish(p->ck->policy, p->out);
    return 0;
}
