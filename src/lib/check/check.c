/*
 * check.c - one file through the pipeline, and a submission through files.
 *
 * read -> hash + classify -> parse -> table -> rules -> findings. Each file
 * is read once, in SDC_READ_CHUNK pieces: the first piece is classified,
 * and every piece feeds the SHA-256 and, for a table, the CSV reader.
 * A checker holds only immutable state (the policy and the compiled
 * identifier scanner), so threads share one checker and each writes its own
 * result slot; results are kept in path order whatever the thread count.
 */
#include <dirent.h>
#include <magic.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify/classify.h"
#include "audit/linked.h"
#include "check/pipeline.h"
#include "read/pdf_text.h"
#include "classify/trailer.h"
#include "classify/blob.h"
#include "sdccheck/check.h"
#include "sdccheck/spec.h"
#include "sdccheck/microdata.h"

struct sdc_checker {
    const sdc_policy *policy;
    sdc_id_scanner *scanner;
    char *table_spec;           /* --table-spec file, or NULL */
    char *microdata;            /* --microdata records, or NULL */
    magic_t magic;              /* libmagic, for binaries no detector knows */
    bool magic_tried;           /* loaded on first use: most runs never need it */
    pthread_mutex_t magic_lock; /* guards both; libmagic handles are not thread-safe */
};

const char *sdc_file_class_name(sdc_file_class c)
{
    switch (c) {
    case SDC_CLASS_TABLE: return "table";
    case SDC_CLASS_MODEL: return "model";
    case SDC_CLASS_DATA: return "data";
    case SDC_CLASS_CONTAINER: return "container";
    case SDC_CLASS_IMAGE: return "image";
    case SDC_CLASS_DOCUMENT: return "document";
    case SDC_CLASS_CODE: return "code";
    case SDC_CLASS_UNKNOWN: return "unknown";
    }
    return "unknown";
}

sdc_checker *sdc_checker_new(const sdc_policy *policy, char **error)
{
    sdc_checker *c = calloc(1, sizeof *c);
    if (!c) {
        if (error)
            *error = strdup("out of memory");
        return NULL;
    }
    c->policy = policy;
    c->scanner = sdc_id_scanner_new(policy, error);
    if (!c->scanner) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->magic_lock, NULL);
    return c;
}

void sdc_checker_free(sdc_checker *checker)
{
    if (!checker)
        return;
    sdc_id_scanner_free(checker->scanner);
    free(checker->table_spec);
    free(checker->microdata);
    if (checker->magic)
        magic_close(checker->magic);
    pthread_mutex_destroy(&checker->magic_lock);
    free(checker);
}

/* ---- one file ---------------------------------------------------------- */

/* Rules whose findings mean "could not check": a policy may not pass them. */
static bool rule_is_fail_closed(const char *rule)
{
    return strcmp(rule, "malformed") == 0 || strcmp(rule, "encoding") == 0 ||
           strcmp(rule, "needs-review") == 0;
}

/* File-level findings first, then by line; rules' order within a line. */
static int cmp_finding_line(const void *a, const void *b)
{
    const sdc_finding *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return 0;
}

/* Stable: insertion sort is fine for a file's findings, which arrive
 * nearly sorted (each rule walks the rows in order). */
static void sort_findings(sdc_findings *f)
{
    for (size_t i = 1; i < f->count; i++) {
        sdc_finding tmp = f->items[i];
        size_t j = i;
        while (j > 0 && cmp_finding_line(&f->items[j - 1], &tmp) > 0) {
            f->items[j] = f->items[j - 1];
            j--;
        }
        f->items[j] = tmp;
    }
}

/* Applies the policy's verdict overrides, orders the findings by line,
 * then derives the file verdict. */
static void finish_result(const sdc_checker *ck, sdc_file_result *out)
{
    sort_findings(&out->findings);
    for (size_t i = 0; i < out->findings.count; i++) {
        sdc_finding *f = &out->findings.items[i];
        sdc_verdict v = sdc_policy_verdict(ck->policy, f->rule, f->verdict);
        if (rule_is_fail_closed(f->rule) && v < SDC_REVIEW)
            v = SDC_REVIEW;
        f->verdict = v;
    }
    out->verdict = sdc_findings_verdict(&out->findings);
}

static void needs_review(sdc_file_result *out, const char *msg, const char *advice)
{
    sdc_finding_at at = {.advice = advice};
    sdc_findings_add(&out->findings, "needs-review", SDC_REVIEW, &at, "%s", msg);
}

/* The state of one file passing through: hash, class, reader. */
int sdc_checker_set_table_spec(sdc_checker *checker, const char *spec_file)
{
    free(checker->table_spec);
    checker->table_spec = spec_file ? strdup(spec_file) : NULL;
    return spec_file && !checker->table_spec ? -1 : 0;
}

int sdc_checker_set_microdata(sdc_checker *checker, const char *data_path)
{
    free(checker->microdata);
    checker->microdata = data_path ? strdup(data_path) : NULL;
    return data_path && !checker->microdata ? -1 : 0;
}

/* The declared layout of the table at PATH: its sidecar NAME.sdc.yaml, else
 * its entry in the --table-spec file; NULL if none. A declaration that
 * cannot be read is a finding. Only files on disk have sidecars. */
char *sdc_sidecar_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
    char *sidecar = NULL;
    return asprintf(&sidecar, "%.*s.sdc.yaml", (int)stem, path) < 0 ? NULL : sidecar;
}

char *sdc_sidecar_path(const char *path)
{
    if (strchr(path, '!'))
        return NULL; /* a container member has no file beside it */
    char *sidecar = sdc_sidecar_name(path);
    if (sidecar && access(sidecar, F_OK) != 0) {
        free(sidecar);
        return NULL;
    }
    return sidecar;
}

static sdc_table_spec *declared_layout(const sdc_checker *ck, const char *path,
                                       sdc_findings *findings)
{
    char *error = NULL;
    sdc_table_spec *spec = NULL;
    char *sidecar = sdc_sidecar_path(path);
    if (sidecar)
        spec = sdc_table_spec_load(sidecar, &error);
    free(sidecar);
    if (!spec && !error && ck->table_spec)
        spec = sdc_table_spec_for(ck->table_spec, path, &error);
    if (error) {
        sdc_finding_at at = {.advice = "correct the declared layout"};
        sdc_findings_add(findings, "malformed", SDC_REVIEW, &at,
                         "the declared layout could not be read: %s", error);
        free(error);
    }
    return spec;
}

sdc_table *sdc_checker_read_table(const sdc_checker *ck, const char *path, sdc_table_spec **spec,
                                  sdc_findings *findings, int *errno_out)
{
    *spec = NULL;
    sdc_table *t = sdc_table_read_file(path, ck->policy, findings, errno_out);
    if (t && (*spec = declared_layout(ck, path, findings)))
        sdc_table_spec_apply(*spec, t, findings);
    return t;
}

const sdc_policy *sdc_checker_policy(const sdc_checker *ck)
{
    return ck->policy;
}

const sdc_id_scanner *sdc_checker_scanner(const sdc_checker *ck)
{
    return ck->scanner;
}

void pipeline_finish(const sdc_checker *ck, sdc_file_result *r)
{
    finish_result(ck, r);
}

static int pass_begin(file_pass *fp, const sdc_checker *ck, const char *name, sdc_file_result *out)
{
    memset(out, 0, sizeof *out);
    memset(fp, 0, sizeof *fp);
    fp->ck = ck;
    fp->out = out;
    out->path = strdup(name);
    out->file_class = SDC_CLASS_UNKNOWN;
    fp->md = EVP_MD_CTX_new();
    if (!out->path || !fp->md || EVP_DigestInit_ex(fp->md, EVP_sha256(), NULL) != 1)
        return -1;
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

/* ---- identifiers in documents and code (SPEC 5.5) --------------------- */

#define LINE_MAX_SCAN 4096
#define TEXT_IDS_REPORTED 10

struct text_lines {
    char line[LINE_MAX_SCAN];
    size_t len;
    long lineno;
    size_t hits;
    bool notebook_outputs; /* an .ipynb with "output_type": outputs to read */
    bool pages;            /* lineno is a PDF page, not a line */
};

static void scan_line(file_pass *fp)
{
    struct text_lines *tl = fp->lines;
    sdc_id_match m;
    if (tl->len >= 5 && sdc_id_scan(fp->ck->scanner, tl->line, tl->len, &m)) {
        if (++tl->hits <= TEXT_IDS_REPORTED) {
            char masked[128];
            sdc_id_mask(tl->line + m.offset, m.length, masked, sizeof masked);
            sdc_finding_at at = {.line = tl->pages ? 0 : tl->lineno,
                                 .value = masked,
                                 .advice = "remove direct identifiers from outputs"};
            if (tl->pages)
                sdc_findings_add(&fp->out->findings, "identifier", SDC_FAIL, &at,
                                 "%s in the text of page %ld", m.kind, tl->lineno);
            else
                sdc_findings_add(&fp->out->findings, "identifier", SDC_FAIL, &at, "%s in the text",
                                 m.kind);
        }
    }
    if (!tl->notebook_outputs && memmem(tl->line, tl->len, "\"output_type\"", 13))
        tl->notebook_outputs = true;
    tl->len = 0;
}

static void lines_feed(file_pass *fp, const unsigned char *b, size_t len)
{
    struct text_lines *tl = fp->lines;
    for (size_t i = 0; i < len; i++) {
        if (b[i] == '\n') {
            scan_line(fp);
            tl->lineno++;
            continue;
        }
        if (tl->len == LINE_MAX_SCAN) {
            /* A very long line is scanned in pieces that overlap a little,
             * so an identifier on a boundary is not missed. */
            size_t keep = 64;
            scan_line(fp);
            memmove(tl->line, tl->line + LINE_MAX_SCAN - keep, keep);
            tl->len = keep;
        }
        tl->line[tl->len++] = (char)b[i];
    }
}

static void lines_finish(file_pass *fp)
{
    struct text_lines *tl = fp->lines;
    if (tl->len)
        scan_line(fp);
    if (tl->hits > TEXT_IDS_REPORTED) {
        sdc_finding_at at = {.advice = "remove direct identifiers from outputs"};
        sdc_findings_add(&fp->out->findings, "identifier", SDC_FAIL, &at,
                         "%zu more direct identifiers in the text", tl->hits - TEXT_IDS_REPORTED);
    }
}

/* libmagic's answer for a binary every content detector declined
 * (SPEC 3: images, Office documents of the OLE era, executables...). It is
 * asked last, so a pickle it calls "XENIX 8086 relocatable" never gets
 * here. MIME types map to classes; anything else stays unknown (review),
 * named by its type. */
static void ask_libmagic(const sdc_checker *ck, const unsigned char *head, size_t len,
                         sdc_classification *c)
{
    static const struct {
        const char *prefix;
        sdc_file_class cls;
        const char *format;
    } map[] = {
        {"image/", SDC_CLASS_IMAGE, NULL},
        {"application/pdf", SDC_CLASS_IMAGE, "pdf"},
        {"application/msword", SDC_CLASS_DOCUMENT, "ms-word"},
        {"application/vnd.ms-excel", SDC_CLASS_DOCUMENT, "ms-excel"},
        {"application/vnd.ms-powerpoint", SDC_CLASS_DOCUMENT, "ms-powerpoint"},
        {"application/vnd.ms-office", SDC_CLASS_DOCUMENT, "ms-office"},
        {"application/CDFV2", SDC_CLASS_DOCUMENT, "ole-compound"},
        {"application/x-ole-storage", SDC_CLASS_DOCUMENT, "ole-compound"},
        {"application/rtf", SDC_CLASS_DOCUMENT, "rtf"},
        {"application/x-sqlite3", SDC_CLASS_DATA, "sqlite"},
        {"application/x-hdf5", SDC_CLASS_DATA, "hdf5"},
        {"application/x-hdf", SDC_CLASS_DATA, "hdf"},
    };
    if (len == 0)
        return;
    sdc_checker *mut = (sdc_checker *)ck; /* the lazily loaded handle only */
    pthread_mutex_lock(&mut->magic_lock);
    if (!mut->magic_tried) {
        /* Without its database libmagic names nothing: files stay
         * "unknown", which is review, so checking still fails closed. */
        mut->magic_tried = true;
        mut->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
        if (mut->magic && magic_load(mut->magic, NULL) != 0) {
            magic_close(mut->magic);
            mut->magic = NULL;
        }
    }
    const char *mime = mut->magic ? magic_buffer(mut->magic, head, len) : NULL;
    char type[128] = "";
    if (mime)
        snprintf(type, sizeof type, "%s", mime);
    pthread_mutex_unlock(&mut->magic_lock);
    if (!type[0] || strcmp(type, "application/octet-stream") == 0)
        return;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strncmp(type, map[i].prefix, strlen(map[i].prefix)) != 0)
            continue;
        c->file_class = map[i].cls;
        if (map[i].format)
            c->format = map[i].format;
        else if (strcmp(type, "image/bmp") == 0 || strcmp(type, "image/x-ms-bmp") == 0)
            c->format = "bmp";
        else if (strcmp(type, "image/webp") == 0)
            c->format = "webp";
        else
            c->format = "image";
        return;
    }
    /* Named, still unknown: an executable, audio, video... */
    static const struct {
        const char *mime, *format;
    } named[] = {
        {"application/x-executable", "executable"},
        {"application/x-pie-executable", "executable"},
        {"application/x-sharedlib", "shared-library"},
        {"application/x-dosexec", "windows-executable"},
        {"application/x-mach-binary", "executable"},
        {"audio/", "audio"},
        {"video/", "video"},
        {"font/", "font"},
        {"application/x-java-applet", "java-class"},
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strncmp(type, named[i].mime, strlen(named[i].mime)) == 0) {
            c->format = named[i].format;
            return;
        }
}

static void classify_head(file_pass *fp, const unsigned char *head, size_t len, bool at_eof)
{
    sdc_file_result *out = fp->out;
    sdc_classification c = sdc_classify(head, len, at_eof, out->path);
    if (c.file_class == SDC_CLASS_UNKNOWN && len > 0)
        ask_libmagic(fp->ck, head, len, &c);
    check_allowlist(fp->ck->policy, out);
    fp->classified = true;
    out->file_class = c.file_class;
    out->format = strdup(c.format);
    if (!out->format)
        fp->failed = 1;
    if (c.file_class == SDC_CLASS_TABLE) {
        fp->reader = sdc_csv_reader_new(fp->ck->policy, &out->findings);
        if (!fp->reader)
            fp->failed = 1;
    }
    if (sdc_classes_disagree(c.name_class, c.file_class)) {
        sdc_finding_at at = {.advice = "name files for what they are; disguised files are "
                                       "refused"};
        sdc_findings_add(&out->findings, "disguised", SDC_FAIL, &at,
                         "named as %s (%s) but the content is %s (%s)",
                         sdc_file_class_name(c.name_class), c.name_format,
                         sdc_file_class_name(c.file_class), c.format);
    } else if (c.name_class == SDC_CLASS_TABLE && c.file_class != SDC_CLASS_TABLE) {
        sdc_finding_at at = {.line = 1,
                             .advice = "submit tables as text (CSV); a binary file needs a "
                                       "person to look at it"};
        sdc_findings_add(&out->findings, "malformed", SDC_REVIEW, &at,
                         "named as a table, but the content is %s, not a text table", c.format);
    }
    sdc_trailer probe;
    sdc_trailer_init(&probe, c.format);
    if (probe.kind != SDC_TRAILER_NONE) {
        fp->trailer = malloc(sizeof *fp->trailer);
        if (fp->trailer)
            *fp->trailer = probe;
        else
            fp->failed = 1;
    }
    if (c.file_class == SDC_CLASS_TABLE || c.file_class == SDC_CLASS_DOCUMENT ||
        c.file_class == SDC_CLASS_CODE || (c.format && strcmp(c.format, "svg") == 0)) {
        fp->blobs = malloc(sizeof *fp->blobs);
        if (fp->blobs)
            sdc_blob_init(fp->blobs);
        else
            fp->failed = 1;
    }
    if (c.format && strcmp(c.format, "pdf") == 0) {
        fp->pdf_cap = 1u << 20;
        fp->pdf = malloc(fp->pdf_cap);
        if (!fp->pdf)
            fp->failed = 1;
    }
    if (c.file_class == SDC_CLASS_DOCUMENT || c.file_class == SDC_CLASS_CODE ||
        (c.format && strcmp(c.format, "pdf") == 0)) {
        fp->lines = calloc(1, sizeof *fp->lines);
        if (fp->lines)
            fp->lines->lineno = 1;
        else
            fp->failed = 1;
    }
    if (c.file_class == SDC_CLASS_MODEL) {
        sdc_finding_at at = {.advice = "machine-learning models may not leave the "
                                       "environment: release the results (tables, charts) "
                                       "instead"};
        sdc_findings_add(&out->findings, "model-file", SDC_FAIL, &at,
                         "serialised machine-learning model: %s%s%s%s", c.format,
                         c.detail ? " (" : "", c.detail ? c.detail : "", c.detail ? ")" : "");
    } else if (c.file_class == SDC_CLASS_DATA) {
        sdc_finding_at at = {.advice = "record-level data may not leave the environment: "
                                       "publish aggregate tables instead"};
        sdc_findings_add(&out->findings, "data-file", SDC_FAIL, &at, "data file: %s", c.format);
    }
}

/* PDFs larger than this are not opened for their text (they are reviewed
 * by a person in any case). */
#define PDF_TEXT_MAX (64u * 1024u * 1024u)
#define PDF_PAGES_MAX 2000

static void pdf_keep(file_pass *fp, const unsigned char *b, size_t len)
{
    if (fp->pdf_len + len > PDF_TEXT_MAX) {
        free(fp->pdf);
        fp->pdf = NULL;
        return;
    }
    if (fp->pdf_len + len > fp->pdf_cap) {
        size_t cap = fp->pdf_cap;
        while (cap < fp->pdf_len + len)
            cap *= 2;
        unsigned char *n = realloc(fp->pdf, cap);
        if (!n) {
            free(fp->pdf);
            fp->pdf = NULL;
            return;
        }
        fp->pdf = n;
        fp->pdf_cap = cap;
    }
    memcpy(fp->pdf + fp->pdf_len, b, len);
    fp->pdf_len += len;
}

static void pdf_line(void *ctx, int page, const char *line, size_t len)
{
    file_pass *fp = ctx;
    struct text_lines *tl = fp->lines;
    tl->pages = true;
    tl->lineno = page; /* findings in a PDF point at its page */
    tl->len = 0;
    lines_feed(fp, (const unsigned char *)line, len);
    scan_line(fp);
}

/* The PDF's text, for identifiers (SPEC 5.5: "PDF text"). */
static void pdf_scan(file_pass *fp)
{
    char why[256];
    if (sdc_pdf_text(fp->pdf, fp->pdf_len, PDF_PAGES_MAX, pdf_line, fp, why, sizeof why) < 0) {
        sdc_finding_at at = {.advice = "submit the PDF unencrypted and undamaged, or a person "
                                       "reads it"};
        sdc_findings_add(&fp->out->findings, "needs-review", SDC_REVIEW, &at,
                         "the PDF's text could not be read for identifiers: %s", why);
    }
}

/* Every byte of a file passes here once, in order: hash, size, end marker. */
void pipeline_hash(file_pass *fp, const void *bytes, size_t len)
{
    if (fp->failed || len == 0)
        return;
    if (EVP_DigestUpdate(fp->md, bytes, len) != 1)
        fp->failed = 1;
    fp->out->size += (long long)len;
    if (fp->trailer)
        sdc_trailer_feed(fp->trailer, bytes, len);
}

static void pass_feed(file_pass *fp, const unsigned char *bytes, size_t len, bool at_eof)
{
    if (fp->failed)
        return;
    if (!fp->classified) {
        classify_head(fp, bytes, len, at_eof);
        if (fp->failed)
            return;
    }
    pipeline_hash(fp, bytes, len);
    /* Encoded blobs: in text, and in a table while it is still read as one
     * (a record-level file past max_table_rows has failed already). */
    if (fp->blobs && (!fp->reader || sdc_csv_reader_keeps_rows(fp->reader)))
        sdc_blob_feed(fp->blobs, bytes, len);
    if (fp->pdf)
        pdf_keep(fp, bytes, len);
    else if (fp->lines)
        lines_feed(fp, bytes, len);
    if (fp->reader && sdc_csv_reader_feed(fp->reader, bytes, len) < 0)
        fp->failed = 1;
}

/* Findings for what the trackers saw: data after the end marker, encoded
 * artefacts in text. */
static void hidden_payloads(file_pass *fp)
{
    sdc_file_result *out = fp->out;
    if (fp->trailer) {
        unsigned long long extra = sdc_trailer_appended(fp->trailer);
        if (extra > 0) {
            /* What follows, past the line end a PDF may have after %%EOF. */
            const unsigned char *tail = fp->trailer->capture;
            size_t tail_len = fp->trailer->captured;
            while (fp->trailer->kind == SDC_TRAILER_PDF && tail_len &&
                   (*tail == '\r' || *tail == '\n' || *tail == ' ' || *tail == '\t')) {
                tail++;
                tail_len--;
            }
            sdc_classification c = sdc_classify(tail, tail_len, extra <= fp->trailer->captured, "");
            sdc_finding_at at = {.advice = "remove what follows the end of the file: a "
                                           "chart or document must not carry other data"};
            sdc_findings_add(&out->findings, "appended-data", SDC_FAIL, &at,
                             "%llu bytes after the %s: %s (%s)", extra,
                             sdc_trailer_marker(fp->trailer), sdc_file_class_name(c.file_class),
                             c.format);
        }
    }
    if (fp->blobs) {
        sdc_blob_finish(fp->blobs);
        for (size_t i = 0; i < fp->blobs->nhits; i++) {
            const sdc_blob_hit *h = &fp->blobs->hits[i];
            sdc_finding_at at = {.line = h->line,
                                 .advice = "remove encoded files from outputs: models, data "
                                           "and archives may not leave the environment"};
            sdc_findings_add(&out->findings, "embedded-blob",
                             h->what.file_class == SDC_CLASS_CONTAINER ? SDC_REVIEW : SDC_FAIL, &at,
                             "%s-encoded %s (%s%s%s) in the text, %zu%s characters",
                             h->hex ? "hex" : "base64", sdc_file_class_name(h->what.file_class),
                             h->what.format, h->what.detail ? ", " : "",
                             h->what.detail ? h->what.detail : "", h->run,
                             h->run >= SDC_BLOB_CAPTURE ? "+" : "");
        }
        if (fp->blobs->more_hits) {
            sdc_finding_at at = {.advice = "remove encoded files from outputs"};
            sdc_findings_add(&out->findings, "embedded-blob", SDC_FAIL, &at,
                             "%zu more encoded artefacts in the text", fp->blobs->more_hits);
        }
    }
}

static int pass_end(file_pass *fp)
{
    sdc_file_result *out = fp->out;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (!fp->failed && !fp->classified)
        classify_head(fp, (const unsigned char *)"", 0, true);
    if (!fp->failed && EVP_DigestFinal_ex(fp->md, digest, &dlen) == 1) {
        for (unsigned i = 0; i < dlen && i < 32; i++)
            snprintf(out->sha256 + 2 * i, 3, "%02x", digest[i]);
    }
    EVP_MD_CTX_free(fp->md);
    fp->md = NULL;

    if (!fp->failed)
        hidden_payloads(fp);
    bool notebook_outputs = false;
    if (fp->pdf && fp->lines && !fp->failed)
        pdf_scan(fp);
    free(fp->pdf);
    fp->pdf = NULL;
    if (fp->lines && !fp->failed) {
        lines_finish(fp);
        notebook_outputs = fp->lines->notebook_outputs;
    }
    free(fp->trailer);
    free(fp->blobs);
    free(fp->lines);
    fp->trailer = NULL;
    fp->blobs = NULL;
    fp->lines = NULL;
    if (fp->reader && !fp->failed) {
        sdc_table *t = sdc_csv_reader_finish(fp->reader);
        const sdc_csv_info *info = sdc_csv_reader_info(fp->reader);
        out->encoding = out->size > 0 ? strdup(info->encoding) : NULL;
        out->delimiter = info->delimiter;
        if (t) {
            sdc_table_infer_layout(t, fp->ck->policy, &out->findings);
            sdc_table_spec *spec = declared_layout(fp->ck, out->path, &out->findings);
            if (spec)
                sdc_table_spec_apply(spec, t, &out->findings);
            sdc_table_check(t, fp->ck->policy, fp->ck->scanner, &out->findings);
            if (fp->ck->microdata && !t->truncated)
                sdc_table_verify_microdata(t, fp->ck->policy, fp->ck->microdata, &out->findings);
            sdc_table_spec_free(spec);
            out->rows = t->rows_seen;
            out->columns = t->ncols;
            out->shape = t->shape;
            for (size_t c = 0; c < t->ncols; c++)
                out->suppressed += t->columns[c].suppressed;
            sdc_table_free(t);
        }
    } else if (!fp->failed && out->file_class == SDC_CLASS_CODE) {
        /* Code passes after its scans (SPEC 3); a notebook's outputs are
         * documents, read by a person. */
        if (notebook_outputs)
            needs_review(out, "notebook with outputs: a person must look at them",
                         "clear the outputs before submitting, or release them as tables and "
                         "charts");
    } else if (!fp->failed && out->file_class != SDC_CLASS_TABLE &&
               out->file_class != SDC_CLASS_MODEL && out->file_class != SDC_CLASS_DATA &&
               out->file_class != SDC_CLASS_CONTAINER &&
               !(out->format && (strcmp(out->format, "office-part") == 0 ||
                                 strcmp(out->format, "sdc-spec") == 0))) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s file (%s): a person must look at it",
                 sdc_file_class_name(out->file_class), out->format ? out->format : "unknown");
        needs_review(out, msg,
                     out->file_class == SDC_CLASS_UNKNOWN
                         ? "unknown files are never cleared automatically: explain what it is"
                         : "an output checker reads it before release");
    }
    sdc_csv_reader_free(fp->reader);
    fp->reader = NULL;
    if (fp->failed)
        return -1;
    finish_result(fp->ck, out);
    return 0;
}

/* A result for a path that could not be read at all. */
static int unreadable(const sdc_checker *ck, const char *path, const char *why,
                      sdc_file_result *out)
{
    memset(out, 0, sizeof *out);
    out->path = strdup(path);
    out->size = -1;
    out->file_class = SDC_CLASS_UNKNOWN;
    out->format = strdup("unreadable");
    if (!out->path || !out->format)
        return -1;
    sdc_finding_at at = {.advice = "make the file readable and check it again"};
    sdc_findings_add(&out->findings, "malformed", SDC_REVIEW, &at, "%s", why);
    finish_result(ck, out);
    return 0;
}

long result_list_reserve(result_list *list)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 4;
        sdc_file_result *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return -1;
        list->items = items;
        list->capacity = cap;
    }
    memset(&list->items[list->count], 0, sizeof list->items[0]);
    list->items[list->count].file_class = SDC_CLASS_UNKNOWN;
    return (long)list->count++;
}

static void result_list_free(result_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        sdc_file_result_free(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}

/* Reads until BUF is full or the source ends. */
static ssize_t read_full(byte_source *src, unsigned char *buf, size_t len, bool *eof)
{
    size_t got = 0;
    *eof = false;
    while (got < len) {
        ssize_t n = src->read(src->ctx, buf + got, len - got);
        if (n < 0)
            return got ? (ssize_t)got : -1;
        if (n == 0) {
            *eof = true;
            break;
        }
        got += (size_t)n;
    }
    return (ssize_t)got;
}

int check_source(const sdc_checker *ck, const char *name, byte_source *src, int depth, budget *b,
                 result_list *list)
{
    long slot = result_list_reserve(list);
    unsigned char *buf = slot >= 0 ? malloc(SDC_READ_CHUNK) : NULL;
    sdc_file_result self;
    file_pass fp;
    if (!buf || pass_begin(&fp, ck, name, &self) < 0) {
        if (buf) {
            EVP_MD_CTX_free(fp.md);
            sdc_file_result_free(&self);
        }
        free(buf);
        return -1;
    }
    bool eof = false;
    const char *read_error = NULL;
    ssize_t got = read_full(src, buf, SDC_READ_CHUNK, &eof);
    if (got < 0) {
        read_error = src->error ? src->error : "read error";
        got = 0;
        eof = true;
    }
    pass_feed(&fp, buf, (size_t)got, eof);
    int rc = 0;
    if (self.file_class == SDC_CLASS_CONTAINER && !fp.failed) {
        rc = container_open(ck, &fp, buf, (size_t)got, src, depth, b, list);
    } else {
        while (!eof && !fp.failed) {
            ssize_t n = src->read(src->ctx, buf, SDC_READ_CHUNK);
            if (n < 0) {
                read_error = src->error ? src->error : "read error";
                break;
            }
            if (n == 0)
                break;
            pass_feed(&fp, buf, (size_t)n, false);
        }
    }
    if (read_error) {
        sdc_finding_at at = {.advice = "check the file (or the archive holding it) and try "
                                       "again"};
        sdc_findings_add(&self.findings, "malformed", SDC_REVIEW, &at,
                         "could not read to the end: %s (after %lld bytes)", read_error, self.size);
    }
    free(buf);
    if (pass_end(&fp) < 0 || rc < 0) {
        sdc_file_result_free(&self);
        return -1;
    }
    list->items[slot] = self;
    return 0;
}

typedef struct fd_source {
    int fd;
    char error[128];
} fd_source;

static ssize_t fd_read(void *ctx, void *buf, size_t len)
{
    fd_source *f = ctx;
    for (;;) {
        ssize_t n = read(f->fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            snprintf(f->error, sizeof f->error, "%s", strerror(errno));
        return n;
    }
}

/* Checks the file at PATH (reported as NAME) with its members into LIST. */
static int check_file_into(const sdc_checker *ck, const char *path, const char *name,
                           result_list *list)
{
    /* O_NONBLOCK: a FIFO swapped in after the walk must not hang us. */
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    char why[256];
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, sizeof why, "cannot read: %s",
                 fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        long slot = result_list_reserve(list);
        return slot < 0 ? -1 : unreadable(ck, name, why, &list->items[slot]);
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    budget b = {.outer_size = st.st_size};
    fd_source fs = {.fd = fd};
    byte_source src = {.read = fd_read, .ctx = &fs, .error = fs.error};
    int rc = check_source(ck, name, &src, 0, &b, list);
    close(fd);
    return rc;
}

/* Keeps the first result (the file itself) in OUT and frees the members:
 * their worst findings are repeated on the container. */
static int first_result(int rc, result_list *list, sdc_file_result *out)
{
    if (rc < 0 || list->count == 0) {
        result_list_free(list);
        memset(out, 0, sizeof *out);
        return -1;
    }
    *out = list->items[0];
    for (size_t i = 1; i < list->count; i++)
        sdc_file_result_free(&list->items[i]);
    free(list->items);
    return 0;
}

int sdc_check_file(const sdc_checker *ck, const char *path, const char *display_path,
                   sdc_file_result *out)
{
    result_list list = {0};
    int rc = check_file_into(ck, path, display_path ? display_path : path, &list);
    return first_result(rc, &list, out);
}

int sdc_check_file_all(const sdc_checker *ck, const char *path, const char *display_path,
                       sdc_file_result **results, size_t *count)
{
    result_list list = {0};
    int rc = check_file_into(ck, path, display_path ? display_path : path, &list);
    if (rc < 0) {
        result_list_free(&list);
        *results = NULL;
        *count = 0;
        return -1;
    }
    *results = list.items;
    *count = list.count;
    return 0;
}

typedef struct memory_source {
    const unsigned char *bytes;
    size_t len, pos;
} memory_source;

static ssize_t memory_read(void *ctx, void *buf, size_t len)
{
    memory_source *m = ctx;
    size_t n = m->len - m->pos < len ? m->len - m->pos : len;
    if (n)
        memcpy(buf, m->bytes + m->pos, n);
    m->pos += n;
    return (ssize_t)n;
}

int sdc_check_buffer(const sdc_checker *ck, const char *name, const void *bytes, size_t len,
                     sdc_file_result *out)
{
    memory_source m = {bytes, len, 0};
    byte_source src = {.read = memory_read, .ctx = &m};
    budget b = {.outer_size = (long long)len};
    result_list list = {0};
    int rc = check_source(ck, name, &src, 0, &b, &list);
    return first_result(rc, &list, out);
}

/* ---- walking ----------------------------------------------------------- */

/* A path to check: a file to open, or a result decided by the walk. */
typedef struct walk_item {
    char *path;    /* the path to report */
    char *problem; /* NULL: check the file; else why it is reported */
} walk_item;

typedef struct walk_list {
    walk_item *items;
    size_t count, cap;
    int oom;
} walk_list;

static void walk_add(walk_list *w, const char *path, const char *problem)
{
    if (w->count == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        walk_item *items = realloc(w->items, cap * sizeof *items);
        if (!items) {
            w->oom = 1;
            return;
        }
        w->items = items;
        w->cap = cap;
    }
    walk_item it = {strdup(path), problem ? strdup(problem) : NULL};
    if (!it.path || (problem && !it.problem)) {
        free(it.path);
        free(it.problem);
        w->oom = 1;
        return;
    }
    w->items[w->count++] = it;
}

static bool inside(const char *root, const char *real)
{
    size_t n = strlen(root);
    if (strcmp(root, "/") == 0)
        return true;
    return strncmp(root, real, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void walk_dir(walk_list *w, const char *root_real, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        char why[256];
        snprintf(why, sizeof why, "cannot read folder: %s", strerror(errno));
        walk_add(w, dir, why);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                w->oom = 1;
                break;
            }
            names = nn;
        }
        names[n] = strdup(e->d_name);
        if (!names[n]) {
            w->oom = 1;
            break;
        }
        n++;
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n && !w->oom; i++) {
        char *path = NULL;
        if (asprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]) < 0) {
            w->oom = 1;
            break;
        }
        struct stat st;
        if (lstat(path, &st) != 0) {
            char why[256];
            snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
            walk_add(w, path, why);
        } else if (S_ISLNK(st.st_mode)) {
            char *real = realpath(path, NULL);
            struct stat target;
            if (!real || stat(real, &target) != 0) {
                walk_add(w, path, "a symbolic link to nothing (broken link)");
            } else if (!inside(root_real, real)) {
                walk_add(w, path, "a symbolic link to outside the submitted folder: not followed");
            } else if (S_ISREG(target.st_mode)) {
                walk_add(w, path, NULL);
            } else if (!S_ISDIR(target.st_mode)) {
                walk_add(w, path, "a symbolic link to something that is not a regular file");
            }
            /* A link to a folder inside the submission: its files are
             * checked where they are. */
            free(real);
        } else if (S_ISDIR(st.st_mode)) {
            if (depth > 64)
                walk_add(w, path, "folders nested more than 64 deep: not walked");
            else
                walk_dir(w, root_real, path, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            walk_add(w, path, NULL);
        } else {
            walk_add(w, path, "not a regular file (device, pipe or socket): not read");
        }
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static int cmp_item(const void *a, const void *b)
{
    return strcmp(((const walk_item *)a)->path, ((const walk_item *)b)->path);
}

/* ---- checking many files on several threads ---------------------------- */

typedef struct job_queue {
    const sdc_checker *ck;
    const walk_list *items;
    result_list *results; /* one list per walk item */
    size_t next;
    int failed;
    pthread_mutex_t lock;
} job_queue;

static int check_item(const sdc_checker *ck, const walk_item *it, result_list *out)
{
    if (!it->problem)
        return check_file_into(ck, it->path, it->path, out);
    long slot = result_list_reserve(out);
    if (slot < 0)
        return -1;
    sdc_file_result *r = &out->items[slot];
    if (strncmp(it->problem, "cannot read", 11) == 0)
        return unreadable(ck, it->path, it->problem, r);
    r->path = strdup(it->path);
    r->size = -1;
    r->format = strdup("special");
    if (!r->path || !r->format)
        return -1;
    needs_review(r, it->problem, "submit regular files inside the submission folder");
    finish_result(ck, r);
    return 0;
}

static void *worker(void *arg)
{
    job_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        size_t i = q->next++;
        int stop = q->failed;
        pthread_mutex_unlock(&q->lock);
        if (stop || i >= q->items->count)
            return NULL;
        if (check_item(q->ck, &q->items->items[i], &q->results[i]) < 0) {
            pthread_mutex_lock(&q->lock);
            q->failed = 1;
            pthread_mutex_unlock(&q->lock);
        }
    }
}

static int check_all(const sdc_checker *ck, const walk_list *w, int jobs, result_list *results)
{
    job_queue q = {.ck = ck, .items = w, .results = results};
    if (jobs <= 1 || w->count <= 1) {
        for (size_t i = 0; i < w->count; i++)
            if (check_item(ck, &w->items[i], &results[i]) < 0)
                return -1;
        return 0;
    }
    if (jobs > 64)
        jobs = 64;
    pthread_t threads[64];
    int started = 0;
    pthread_mutex_init(&q.lock, NULL);
    for (int i = 0; i < jobs; i++) {
        if (pthread_create(&threads[i], NULL, worker, &q) != 0)
            break;
        started++;
    }
    if (started == 0)
        worker(&q);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_destroy(&q.lock);
    return q.failed ? -1 : 0;
}

int sdc_check_paths(const sdc_checker *ck, const char *const *paths, size_t count, int jobs,
                    sdc_report *report, char **error)
{
    report->policy = ck->policy;
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            if (error && asprintf(error, "%s: %s", paths[i], strerror(errno)) < 0)
                *error = NULL;
            return -2;
        }
    }
    walk_list w = {0};
    for (size_t i = 0; i < count && !w.oom; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            char *real = realpath(paths[i], NULL);
            if (!real) {
                walk_add(&w, paths[i], "cannot read folder: cannot resolve its path");
                continue;
            }
            walk_dir(&w, real, paths[i], 0);
            free(real);
        } else {
            walk_add(&w, paths[i], S_ISREG(st.st_mode) ? NULL : "not a regular file: not read");
        }
    }
    int rc = w.oom ? -1 : 0;
    if (rc == 0 && w.count > 1)
        qsort(w.items, w.count, sizeof *w.items, cmp_item);

    result_list *results = rc == 0 ? calloc(w.count + 1, sizeof *results) : NULL;
    if (rc == 0 && !results)
        rc = -1;
    if (rc == 0)
        rc = check_all(ck, &w, jobs, results);

    size_t total = 0;
    for (size_t i = 0; results && i < w.count; i++)
        total += results[i].count;
    char **inputs =
        rc == 0 ? realloc(report->inputs, (report->input_count + count + 1) * sizeof *inputs)
                : NULL;
    if (inputs)
        report->inputs = inputs;
    sdc_file_result *files =
        rc == 0 ? realloc(report->files, (report->file_count + total + 1) * sizeof *files) : NULL;
    if (files)
        report->files = files;
    if (rc == 0 && (!inputs || !files))
        rc = -1;
    if (rc == 0) {
        for (size_t i = 0; i < count; i++)
            report->inputs[report->input_count++] = strdup(paths[i]);
        size_t first = report->file_count;
        for (size_t i = 0; i < w.count; i++) {
            if (results[i].count)
                memcpy(report->files + report->file_count, results[i].items,
                       results[i].count * sizeof *results[i].items);
            report->file_count += results[i].count;
            free(results[i].items);
        }
        sdc_file_result **checked = malloc((report->file_count - first + 1) * sizeof *checked);
        for (size_t i = first; checked && i < report->file_count; i++)
            checked[i - first] = &report->files[i];
        if (!checked || sdc_link_tables(ck, checked, report->file_count - first) < 0)
            rc = -1;
        free(checked);
    } else if (results) {
        for (size_t i = 0; i < w.count; i++)
            result_list_free(&results[i]);
    }
    free(results);
    for (size_t i = 0; i < w.count; i++) {
        free(w.items[i].path);
        free(w.items[i].problem);
    }
    free(w.items);
    sdc_report_derive(report);
    return rc;
}

void sdc_report_derive(sdc_report *report)
{
    /* Nothing checked is not a clearance (most likely a wrong path). */
    report->verdict = report->file_count ? SDC_PASS : SDC_REVIEW;
    for (size_t i = 0; i < report->file_count; i++) {
        sdc_file_result *f = &report->files[i];
        f->verdict = sdc_findings_verdict(&f->findings);
        report->verdict = sdc_verdict_worst(report->verdict, f->verdict);
    }
}

void sdc_file_result_free(sdc_file_result *r)
{
    if (!r)
        return;
    free(r->path);
    free(r->format);
    free(r->encoding);
    sdc_findings_free(&r->findings);
    memset(r, 0, sizeof *r);
}

void sdc_report_free(sdc_report *report)
{
    if (!report)
        return;
    for (size_t i = 0; i < report->input_count; i++)
        free(report->inputs[i]);
    free(report->inputs);
    for (size_t i = 0; i < report->file_count; i++)
        sdc_file_result_free(&report->files[i]);
    free(report->files);
    memset(report, 0, sizeof *report);
}
