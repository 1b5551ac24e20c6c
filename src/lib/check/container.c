/*
 * container.c - archives and compressed streams, opened recursively
 * (doc/design.md, "Containers").
 *
 * libarchive reads zip (streaming: local headers, so a lying central
 * directory is ignored), tar, 7z, cpio and ar, and every compression filter
 * (gzip, bzip2, xz, lzma, zstd, lz4); a lone compressed stream is its
 * "raw" format, one member. joblib's zlib streams are inflated with zlib.
 * The outer stream reaches libarchive through a source that hashes what it
 * reads, so a container is still read once. Each member is a byte source
 * handed back to the walk that opened the container (sdc_walk's callback),
 * its path "outer.zip!inner/x.csv".
 *
 * What libarchive does not read of a zip (its central directory, comments,
 * extra fields), a tar (pax headers, what follows its end blocks) or a
 * gzip stream (what follows it) is accounted by the lines of accounts[],
 * fed the outer stream as it passes.
 *
 * Limits (policy archive: max_depth, max_ratio, max_bytes, max_members) are
 * counted over everything inside one submitted file and stop the expansion
 * as soon as one is passed: `archive-bomb`, never unbounded work. Nothing
 * is written to disk.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdatomic.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "check/container.h"
#include "check/ingest_internal.h"
#include "check/result.h"
#include "check/member.h"
#include "check/member_pool.h"
#include "check/gz_account.h"
#include "check/tar_account.h"
#include "check/zip_account.h"
#include "core/vec.h"
#include "classify/classify.h"
#include "read/ods.h"
#include "read/docx_tables.h"
#include "read/xlsx.h"

/* Expansion ratios are judged once this much has come out: a 200-byte zip
 * of a 30 KB table is not a bomb. */
#define RATIO_FLOOR (16ll * 1024 * 1024)

/* 7z keeps its index at the end, so libarchive must seek: a 7z is read into
 * memory first (hashed on the way), up to this size. */
#define SEEKABLE_MAX (256u * 1024u * 1024u)

/* Bytes of a stream past the end its format gives it (after a gzip
 * stream, after a tar's end-of-archive blocks): how many, whether any is
 * not zero (zeros are padding), and the first of them from the first that
 * is not (what is hidden behind padding is what gets classified). */
#define TAIL_CAPTURE 512
typedef struct stream_tail {
    unsigned long long bytes;
    unsigned char head[TAIL_CAPTURE];
    size_t captured;
    bool nonzero;
} stream_tail;

static void tail_add(stream_tail *t, const unsigned char *b, size_t len)
{
    t->bytes += len;
    size_t skip = 0;
    while (!t->nonzero && skip < len && b[skip] == 0)
        skip++;
    if (skip < len)
        t->nonzero = true;
    size_t room = TAIL_CAPTURE - t->captured, n = len - skip < room ? len - skip : room;
    memcpy(t->head + t->captured, b + skip, n);
    t->captured += n;
}

/* The outer stream, with the head given back first. */
typedef struct outer_reader {
    sdc_byte_source *src; /* hashes what it reads */
    const unsigned char *head;
    size_t head_len;
    bool head_given;
    unsigned char *buf;
    /* What libarchive was given: all of it, and the last piece, which is
     * where the bytes it did not consume begin. */
    unsigned long long given;
    const unsigned char *last;
    size_t last_len;
    unsigned long long last_at;
    /* The accounts of the outer stream (accounts[], below), each NULL
     * when the stream is not of its format. */
    sdc_zip_window *window;     /* a zip's last bytes */
    sdc_zip_entry_pos *zip_pos; /* and the local headers libarchive walked */
    size_t zip_npos;
    unsigned long long zip_consumed; /* the bytes libarchive consumed */
    bool zip_read;                   /* read to its end as one zip */
    sdc_tar_scan *tar;               /* an uncompressed tar's pax headers */
    sdc_gz_check *gz;                /* a gzip stream, inflated again to check it */
} outer_reader;

static void accounts_feed(outer_reader *r, const unsigned char *b, size_t n);

static void outer_gave(outer_reader *r, const unsigned char *b, size_t n)
{
    accounts_feed(r, b, n);
    if (n == 0)
        return; /* the end: the last piece is still the one before */
    r->last = b;
    r->last_len = n;
    r->last_at = r->given;
    r->given += n;
}

static la_ssize_t outer_read(struct archive *a, void *ctx, const void **out)
{
    outer_reader *r = ctx;
    if (!r->head_given) {
        r->head_given = true;
        *out = r->head;
        outer_gave(r, r->head, r->head_len);
        return (la_ssize_t)r->head_len;
    }
    ssize_t n = r->src->read(r->src->ctx, r->buf, SDC_READ_CHUNK);
    if (n < 0) {
        if (a) /* NULL when read for zlib or into memory */
            archive_set_error(a, EIO, "%s", r->src->error ? r->src->error : "read error");
        return -1;
    }
    *out = r->buf;
    outer_gave(r, r->buf, (size_t)n);
    return (la_ssize_t)n;
}

/* Reads what libarchive left (a zip's central directory, trailing bytes)
 * so the hash and size cover the whole file; with TAIL, they are counted
 * as the stream's tail. */
static void drain_into(outer_reader *r, stream_tail *tail)
{
    for (;;) {
        ssize_t n = r->src->read(r->src->ctx, r->buf, SDC_READ_CHUNK);
        if (n <= 0)
            return;
        accounts_feed(r, r->buf, (size_t)n);
        if (tail)
            tail_add(tail, r->buf, (size_t)n);
    }
}

static void drain(outer_reader *r)
{
    drain_into(r, NULL);
}

/* Checks the limits on what has been expanded so far; false once passed. */
static bool within_limits(const sdc_policy *p, sdc_budget *b, char *why, size_t why_size)
{
    if (b->exceeded)
        return false;
    if (p->archive_max_bytes > 0 && b->expanded > p->archive_max_bytes) {
        snprintf(why, why_size, "more than %lld bytes when expanded (archive max_bytes)",
                 (long long)p->archive_max_bytes);
        b->exceeded = true;
    } else if (p->archive_max_ratio > 0 && b->expanded > RATIO_FLOOR &&
               (double)b->expanded >
                   p->archive_max_ratio * (double)(b->outer_size ? b->outer_size : 1)) {
        snprintf(why, why_size, "expands more than %g times its size (archive max_ratio)",
                 p->archive_max_ratio);
        b->exceeded = true;
    } else if (p->archive_max_members > 0 && b->members > p->archive_max_members) {
        snprintf(why, why_size, "more than %ld members (archive max_members)",
                 p->archive_max_members);
        b->exceeded = true;
    }
    return !b->exceeded;
}

/* A member's bytes, counted against the limits as they come out. */
typedef struct member_reader {
    struct archive *a;
    const sdc_policy *policy;
    sdc_budget *b;
    char why[160];
    char error[256];
} member_reader;

static ssize_t member_read(void *ctx, void *buf, size_t len)
{
    member_reader *m = ctx;
    if (m->b->exceeded)
        return 0;
    la_ssize_t n = archive_read_data(m->a, buf, len);
    if (n < 0) {
        snprintf(m->error, sizeof m->error, "%s",
                 archive_error_string(m->a) ? archive_error_string(m->a) : "archive error");
        return -1;
    }
    m->b->expanded += n;
    if (!within_limits(m->policy, m->b, m->why, sizeof m->why))
        return 0; /* stop here: the container reports the bomb */
    return n;
}

/* A member source that also keeps a copy of what passes (xlsx shared
 * strings are checked as text and parsed as the workbook's strings). */
typedef struct tee_reader {
    sdc_byte_source *inner;
    unsigned char *copy;
    size_t len, cap;
    bool too_big;
    bool oom; /* the copy could not grow: out of memory, not too big */
} tee_reader;

#define XLSX_PART_MAX (64u * 1024u * 1024u)

static ssize_t tee_read(void *ctx, void *buf, size_t len)
{
    tee_reader *t = ctx;
    ssize_t n = t->inner->read(t->inner->ctx, buf, len);
    if (n > 0 && !t->too_big) {
        if (t->len + (size_t)n > XLSX_PART_MAX) {
            t->too_big = true;
        } else {
            if (sdc_vec_reserve(&t->copy, &t->cap, t->len + (size_t)n, 1) < 0) {
                t->too_big = t->oom = true;
                return n;
            }
            memcpy(t->copy + t->len, buf, (size_t)n);
            t->len += (size_t)n;
        }
    }
    return n;
}

/* Reads a whole member (up to XLSX_PART_MAX); *BYTES NULL if larger.
 * Returns 0, or -1 on a read error or when out of memory. */
static int read_member(sdc_byte_source *src, unsigned char **bytes, size_t *len)
{
    tee_reader t = {.inner = src};
    unsigned char buf[16384];
    ssize_t n;
    while ((n = tee_read(&t, buf, sizeof buf)) > 0)
        ;
    if (n < 0 || t.too_big) {
        free(t.copy);
        *bytes = NULL;
        *len = 0;
        return n < 0 || t.oom ? -1 : 0;
    }
    *bytes = t.copy ? t.copy : malloc(1);
    *len = t.len;
    return *bytes ? 0 : -1;
}

/* Names sheet I's result as Excel shows the sheet: "book.xlsx!sheet:Table_1"
 * for "book.xlsx!xl/worksheets/sheet4.xml" (the member part ends the path). */
static void sheet_path(sdc_xlsx *x, size_t i, const char *inner, sdc_file_result *r)
{
    const char *name = sdc_xlsx_sheet_name(x, i);
    size_t pl = strlen(r->path), il = strlen(inner);
    if (!name || pl < il || strcmp(r->path + pl - il, inner) != 0)
        return;
    char *path = NULL;
    if (asprintf(&path, "%.*ssheet:%s", (int)(pl - il), r->path, name) < 0) {
        sdc_findings_mark_incomplete(&r->findings, SDC_INCOMPLETE_MEMORY);
        return;
    }
    free(r->path);
    r->path = path;
}

/* A sheet's result: the table rules on its cells; a cover, contents or
 * notes sheet is text, scanned for identifiers. */
static void sheet_result(const sdc_walk *w, sdc_xlsx *x, size_t i, sdc_file_result *r)
{
    const sdc_checker *ck = w->ctx; /* the walk's checker (walk.h), or NULL */
    sdc_table *t = sdc_xlsx_table(x, i, &r->findings);
    if (t && sdc_xlsx_text_sheet(x, i)) {
        r->file_class = SDC_CLASS_DOCUMENT;
        free(r->format);
        r->format = strdup("xlsx-text-sheet");
        sdc_table_check_identifiers(t, w->policy, w->scanner, &r->findings);
        sdc_table_free(t);
    } else if (t && sdc_checker_ingest(ck)) {
        /* coming in: its variables and identifiers, not the table rules */
        if (sdc_ingest_table(ck, t, r) < 0)
            sdc_findings_mark_incomplete(&r->findings, SDC_INCOMPLETE_MEMORY);
        r->rows = t->rows_seen;
        r->columns = t->ncols;
        sdc_table_free(t);
    } else if (t) {
        const sdc_policy *p = w->policy;
        sdc_table_infer_layout(t, p, &r->findings);
        sdc_table_check(t, p, w->scanner, &r->findings);
        r->rows = t->rows_seen;
        r->columns = t->ncols;
        r->shape = t->shape;
        for (size_t c = 0; c < t->ncols; c++)
            r->suppressed += t->columns[c].suppressed;
        if (w->keep_fixable && !t->truncated && sdc_result_fixable(r))
            r->table = t; /* for --fix (walk.h) */
        else
            sdc_table_free(t);
    } else if (r->findings.count == 0) {
        sdc_finding_at at = {.advice = "remove empty sheets"};
        sdc_findings_add(&r->findings, "needs-review", SDC_REVIEW, &at, "the sheet is empty");
    }
    if (sdc_ingest_judge(ck, r) < 0)
        sdc_findings_mark_incomplete(&r->findings, SDC_INCOMPLETE_MEMORY);
    sdc_result_finish(w->policy, r);
}

/* "../x", "/etc/passwd", "a/../../b": a path that leaves the archive. */
static bool path_escapes(const char *p)
{
    if (p[0] == '/' || p[0] == '\\' || (p[0] && p[1] == ':'))
        return true;
    for (const char *s = p; *s;) {
        const char *e = s;
        while (*e && *e != '/' && *e != '\\')
            e++;
        if (e - s == 2 && s[0] == '.' && s[1] == '.')
            return true;
        s = *e ? e + 1 : e;
    }
    return false;
}

/* The member name of a lone compressed stream: "results.csv.gz" holds
 * "results.csv"; a name with nothing to strip holds "data". */
static void raw_member_name(const char *outer, char *out, size_t size)
{
    const char *base = sdc_name_base(outer);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base) {
        static const char *const squeezes[] = {"gz", "bz2",  "xz", "lzma", "zst", "lz4",
                                               "z",  "zlib", "Z",  "tgz",  NULL};
        for (const char *const *q = squeezes; *q; q++)
            if (strcmp(dot + 1, *q) == 0) {
                snprintf(out, size, "%.*s", (int)(dot - base), base);
                return;
            }
    }
    snprintf(out, size, "data");
}

/* Reads the whole stream (head first) into *WHOLE for seeking formats;
 * *WHOLE stays NULL when the stream is larger than SEEKABLE_MAX (the rest is
 * then left for drain()). Returns -1 only when out of memory. */
static int read_whole(outer_reader *r, unsigned char **whole, size_t *len)
{
    size_t cap = r->head_len + SDC_READ_CHUNK, n = 0;
    unsigned char *w = malloc(cap);
    if (!w)
        return -1;
    for (;;) {
        const void *chunk = NULL;
        la_ssize_t got = outer_read(NULL, r, &chunk);
        if (got <= 0)
            break;
        if (n + (size_t)got > SEEKABLE_MAX) {
            free(w);
            *whole = NULL;
            *len = 0;
            return 0;
        }
        if (sdc_vec_reserve(&w, &cap, n + (size_t)got, 1) < 0) {
            free(w);
            return -1;
        }
        memcpy(w + n, chunk, (size_t)got);
        n += (size_t)got;
    }
    *whole = w;
    *len = n;
    return 0;
}

/* ---- zlib streams (joblib compress='zlib') ---------------------------- */

typedef struct zlib_reader {
    z_stream z;
    outer_reader *outer;
    const sdc_policy *policy;
    sdc_budget *b;
    bool finished;
    char why[160];
} zlib_reader;

static ssize_t zlib_read(void *ctx, void *buf, size_t len)
{
    zlib_reader *zr = ctx;
    if (zr->finished || zr->b->exceeded)
        return 0;
    zr->z.next_out = buf;
    zr->z.avail_out = (uInt)len;
    while (zr->z.avail_out == len) {
        if (zr->z.avail_in == 0) {
            const void *in = NULL;
            la_ssize_t n = outer_read(NULL, zr->outer, &in);
            if (n < 0)
                return -1;
            if (n == 0)
                return -1; /* ended before the stream did: truncated */
            zr->z.next_in = (Bytef *)in;
            zr->z.avail_in = (uInt)n;
        }
        int rc = inflate(&zr->z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            zr->finished = true;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return -1;
    }
    size_t n = len - zr->z.avail_out;
    zr->b->expanded += (long long)n;
    if (!within_limits(zr->policy, zr->b, zr->why, sizeof zr->why))
        return 0;
    return (ssize_t)n;
}

static int open_zlib(const sdc_walk *w, sdc_file_result *self, outer_reader *outer, int depth,
                     sdc_budget *b, sdc_result_list *list)
{
    zlib_reader zr = {.outer = outer, .policy = w->policy, .b = b};
    if (inflateInit(&zr.z) != Z_OK)
        return -1;
    char inner[512], name[1024];
    raw_member_name(self->path, inner, sizeof inner);
    snprintf(name, sizeof name, "%s!%s", self->path, inner);
    sdc_byte_source src = {
        .read = zlib_read, .ctx = &zr, .error = "corrupt or truncated zlib stream"};
    size_t first = list->count;
    int rc = w->member(w, name, &src, depth + 1, b, list);
    inflateEnd(&zr.z);
    if (rc == 0 && list->count > first) {
        size_t direct = first;
        sdc_container_summarise(self, list, &direct, 1);
    }
    if (b->exceeded && zr.why[0])
        sdc_container_finding(self, "archive-bomb", SDC_FAIL,
                              "do not submit archives that expand without bound",
                              "possible archive bomb: %s", zr.why);
    return rc;
}

/* ---- libarchive -------------------------------------------------------- */

/* One archive being walked: the container's own result, its members'
 * results and what is learned on the way. */
typedef struct archive_walk {
    const sdc_walk *w;
    sdc_file_result *self;
    struct archive *a;
    int depth;
    sdc_budget *b;
    sdc_result_list *list;
    size_t *direct; /* indexes in LIST of the direct members' results */
    size_t ndirect, cap;
    long headers;                 /* members seen */
    sdc_zip_entry_pos *pos;       /* a zip's walked headers: where and what */
    const sdc_zip_window *window; /* a zip's last bytes, its local headers among them */
    size_t npos, pos_cap;
    sdc_xlsx *workbook;    /* an Office workbook's parts, once one is seen */
    sdc_member_pool *pool; /* members walked on other threads, or NULL */
    bool bad_archive;
    char why[160]; /* the limit passed, for archive-bomb */
} archive_walk;

static bool is_format(const sdc_file_result *self, const char *format)
{
    return self->format && strcmp(self->format, format) == 0;
}

/* Opens the archive for reading: a 7z from memory (it must seek), anything
 * else streaming. *WHOLE receives the 7z's bytes (the caller frees them).
 * Returns libarchive's answer; *OOM is set when memory ran out. */
static int open_archive(archive_walk *aw, outer_reader *outer, unsigned char **whole, bool *oom)
{
    size_t whole_len = 0;
    *whole = NULL;
    if (!is_format(aw->self, "7z"))
        return archive_read_open(aw->a, outer, NULL, outer_read, NULL);
    if (read_whole(outer, whole, &whole_len) < 0) {
        *oom = true;
        return ARCHIVE_FATAL;
    }
    if (*whole)
        return archive_read_open_memory(aw->a, *whole, whole_len);
    sdc_container_finding(
        aw->self, "malformed", SDC_REVIEW, "split the archive or submit the files themselves",
        "the 7z is larger than %u MiB, the most opened in memory", SEEKABLE_MAX >> 20);
    return ARCHIVE_FATAL;
}

/* A worksheet: read whole now, judged as a table once the workbook's
 * strings are known. Returns 0 or -1 when out of memory. */
static int sheet_member(archive_walk *aw, sdc_byte_source *msrc, const char *name,
                        const char *inner)
{
    long slot = sdc_result_list_reserve(aw->list);
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (slot < 0 || read_member(msrc, &bytes, &len) < 0)
        return -1;
    int rc = 0;
    sdc_file_result *r = &aw->list->items[slot];
    r->path = strdup(name);
    r->format = strdup("xlsx-sheet");
    r->file_class = SDC_CLASS_TABLE;
    r->size = (long long)len;
    if (bytes) {
        unsigned char md[32];
        unsigned int mdlen = 0;
        EVP_Digest(bytes, len, md, &mdlen, EVP_sha256(), NULL);
        for (unsigned k = 0; k < mdlen && k < 32; k++)
            snprintf(r->sha256 + 2 * k, 3, "%02x", md[k]);
        if (sdc_xlsx_add(aw->workbook, SDC_XLSX_SHEET, inner, slot, bytes, len) < 0)
            rc = -1;
    } else {
        sdc_finding_at at = {.advice = "submit large sheets as CSV"};
        sdc_findings_add(&r->findings, "malformed", SDC_REVIEW, &at,
                         "the sheet is larger than %u MiB", XLSX_PART_MAX >> 20);
        sdc_result_finish(aw->w->policy, r);
    }
    free(bytes);
    return !r->path || !r->format ? -1 : rc;
}

/* A workbook's shared strings, its workbook part and that part's
 * relationships: checked as members (text a person wrote, XML parts), and
 * kept as the strings the sheets point at and the names their tabs show. */
static int strings_member(archive_walk *aw, sdc_byte_source *msrc, const char *name,
                          const char *inner)
{
    tee_reader tee = {.inner = msrc};
    sdc_byte_source tsrc = {.read = tee_read, .ctx = &tee, .error = msrc->error};
    int rc = aw->w->member(aw->w, name, &tsrc, aw->depth + 1, aw->b, aw->list);
    if (tee.oom)
        rc = -1;
    if (rc == 0 && !tee.too_big)
        rc = sdc_xlsx_add(aw->workbook, sdc_xlsx_part_of(inner), inner, -1,
                          tee.copy ? tee.copy : (unsigned char *)"", tee.len);
    free(tee.copy);
    return rc;
}

/* An OpenDocument file's content.xml: read whole, walked as the XML it
 * is, and in a spreadsheet each sheet walked as a table of its own
 * ("book.ods!sheet:Sheet1.csv") with every table rule; the XML of a
 * spreadsheet is then explained by its sheets (an office part), while a
 * text document's is read by a person. */
static int content_member(archive_walk *aw, sdc_byte_source *msrc, const char *name)
{
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (read_member(msrc, &bytes, &len) < 0)
        return -1;
    if (!bytes) {
        long slot = sdc_result_list_reserve(aw->list);
        if (slot < 0)
            return -1;
        sdc_file_result *r = &aw->list->items[slot];
        r->path = strdup(name);
        r->format = strdup("xml");
        r->file_class = SDC_CLASS_DOCUMENT;
        sdc_finding_at at = {.advice = "submit large sheets as CSV"};
        sdc_findings_add(&r->findings, "malformed", SDC_REVIEW, &at,
                         "content.xml is larger than %u MiB: it is not read", XLSX_PART_MAX >> 20);
        sdc_result_finish(aw->w->policy, r);
        return !r->path || !r->format ? -1 : 0;
    }
    sdc_ods ods;
    int rc = sdc_ods_read(bytes, len, aw->w->policy->max_table_rows, &ods);
    sdc_walk cw = *aw->w;
    if (ods.spreadsheet && !ods.error)
        cw.text_as = "office-part";
    sdc_bytes_reader br;
    sdc_byte_source src = sdc_bytes_source(&br, bytes, len);
    if (rc == 0)
        rc = cw.member(&cw, name, &src, aw->depth + 1, aw->b, aw->list);
    if (rc == 0 && ods.error && ods.spreadsheet)
        sdc_container_finding(aw->self, "malformed", SDC_REVIEW,
                              "save the spreadsheet again, or submit its sheets as CSV", "%s",
                              ods.error);
    for (size_t i = 0; rc == 0 && i < ods.count; i++) {
        const sdc_ods_sheet *sh = &ods.sheets[i];
        char inner[600], what[640];
        snprintf(inner, sizeof inner, "sheet:%s.csv", sh->name);
        snprintf(what, sizeof what, "the sheet '%s'", sh->name);
        if (sh->cut)
            sdc_container_finding(aw->self, "needs-review", SDC_REVIEW,
                                  "submit large sheets as CSV",
                                  "the sheet '%s' is not read whole: more than %u MiB as CSV, or "
                                  "rows repeated past max_table_rows",
                                  sh->name, SDC_ODS_CSV_MAX >> 20);
        rc = sdc_walk_nested(aw->w, aw->self, inner, what, NULL,
                             sh->csv ? (const unsigned char *)sh->csv : (const unsigned char *)"",
                             sh->len, aw->depth, aw->b, aw->list);
    }
    sdc_ods_free(&ods);
    free(bytes);
    return rc;
}

static int note_direct(archive_walk *aw)
{
    if (SDC_VEC_RESERVE(aw->direct, aw->cap, aw->ndirect + 1) < 0)
        return -1;
    aw->direct[aw->ndirect++] = aw->list->count;
    return 0;
}

/* The pool spliced a member's results in at the end of the list. */
static int note_spliced(void *ctx, size_t first)
{
    archive_walk *aw = ctx;
    return first == aw->list->count ? note_direct(aw) : -1;
}

/* A member's first bytes given back before the rest is read. */
typedef struct replay_reader {
    sdc_byte_source *inner;
    const unsigned char *p;
    size_t len, pos;
    int after; /* 1: read on; 0: the end; -1: the read error */
} replay_reader;

static ssize_t replay_read(void *ctx, void *buf, size_t len)
{
    replay_reader *r = ctx;
    if (r->pos < r->len) {
        size_t n = r->len - r->pos < len ? r->len - r->pos : len;
        memcpy(buf, r->p + r->pos, n);
        r->pos += n;
        return (ssize_t)n;
    }
    return r->after > 0 ? r->inner->read(r->inner->ctx, buf, len) : r->after;
}

/* A member when the pool is on: read whole (SIZE_HINT bytes, when the
 * archive says) and queued for a thread; one larger than
 * SDC_MEMBER_POOL_BYTES, cut short by a limit or by a read error is walked
 * here as it streams, after the members queued before it. */
static int pooled_member(archive_walk *aw, sdc_byte_source *msrc, const char *name,
                         long long size_hint)
{
    size_t cap = SDC_MEMBER_POOL_BYTES;
    size_t alloc =
        size_hint >= 0 && (unsigned long long)size_hint < cap ? (size_t)size_hint + 1 : 64u * 1024u;
    unsigned char *bytes = malloc(alloc);
    size_t len = 0;
    int after = 1;
    while (bytes && len <= cap) {
        if (len == alloc) {
            size_t grown = alloc * 2 > cap + 1 ? cap + 1 : alloc * 2;
            unsigned char *more = realloc(bytes, grown);
            if (!more) {
                free(bytes);
                return -1;
            }
            bytes = more;
            alloc = grown;
        }
        ssize_t n = msrc->read(msrc->ctx, bytes + len, alloc - len);
        if (n <= 0) {
            after = n < 0 ? -1 : 0;
            break;
        }
        len += (size_t)n;
    }
    if (!bytes)
        return -1;
    if (after == 0 && !aw->b->exceeded) {
        char *copy = strdup(name);
        if (!copy) {
            free(bytes);
            return -1;
        }
        return sdc_member_pool_add(aw->pool, copy, bytes, len, aw->depth + 1);
    }
    int rc = sdc_member_pool_flush(aw->pool);
    if (rc == 0)
        rc = note_direct(aw);
    replay_reader rr = {.inner = msrc, .p = bytes, .len = len, .after = after};
    sdc_byte_source rsrc = {.read = replay_read, .ctx = &rr, .error = msrc->error};
    if (rc == 0)
        rc = aw->w->member(aw->w, name, &rsrc, aw->depth + 1, aw->b, aw->list);
    free(bytes);
    return rc;
}

/* The parts of a workbook: read into it (made with its first part). */
static int workbook_part(archive_walk *aw, sdc_byte_source *msrc, const char *name,
                         const char *inner)
{
    if (!aw->workbook && !(aw->workbook = sdc_xlsx_new(aw->w->policy)))
        return -1;
    return sdc_xlsx_part_of(inner) == SDC_XLSX_SHEET ? sheet_member(aw, msrc, name, inner)
                                                     : strings_member(aw, msrc, name, inner);
}

static bool is_workbook_part(const char *inner)
{
    return sdc_xlsx_part_of(inner) != SDC_XLSX_NONE;
}

/* A Word document's body: walked as the XML part it is (a person reads a
 * document), and each of its tables walked as a CSV member of the
 * package ("report.docx!table2:para14") with every table rule, so that a
 * failing table fails the document (doc/design.md, "Tables in
 * documents"). */
static bool is_word_body(const char *inner)
{
    return strcmp(inner, "word/document.xml") == 0;
}

static int word_body(archive_walk *aw, sdc_byte_source *msrc, const char *name, const char *inner)
{
    (void)inner;
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (read_member(msrc, &bytes, &len) < 0)
        return -1;
    sdc_bytes_reader br;
    sdc_byte_source src = sdc_bytes_source(&br, bytes ? bytes : (const unsigned char *)"", len);
    int rc = aw->w->member(aw->w, name, &src, aw->depth + 1, aw->b, aw->list);
    if (rc < 0 || !bytes) {
        if (rc == 0)
            sdc_container_finding(aw->self, "needs-review", SDC_REVIEW,
                                  "submit the document's tables as CSV",
                                  "word/document.xml is larger than %u MiB: its tables are not "
                                  "read",
                                  XLSX_PART_MAX >> 20);
        free(bytes);
        return rc;
    }
    sdc_docx_tables tables;
    rc = sdc_docx_tables_read(bytes, len, &tables);
    free(bytes);
    if (rc < 0)
        return -1;
    if (tables.error)
        sdc_container_finding(aw->self, "malformed", SDC_REVIEW,
                              "save the document again, or submit its tables as CSV",
                              "word/document.xml could not be read to the end: its tables may "
                              "not all be read");
    for (size_t i = 0; rc == 0 && i < tables.count; i++) {
        const sdc_docx_table *t = &tables.items[i];
        char inner_name[64], what[96];
        snprintf(inner_name, sizeof inner_name, "table%zu:para%ld", i + 1, t->paragraph);
        snprintf(what, sizeof what, "table %zu (after paragraph %ld)", i + 1, t->paragraph - 1);
        if (t->cut || t->nested)
            sdc_container_finding(aw->self, "needs-review", SDC_REVIEW, "submit the table as CSV",
                                  "table %zu is %s: a person reads it", i + 1,
                                  t->nested ? "a table inside a table" : "not read whole");
        rc = sdc_walk_nested(aw->w, aw->self, inner_name, what, NULL,
                             t->csv ? (const unsigned char *)t->csv : (const unsigned char *)"",
                             t->len, aw->depth, aw->b, aw->list);
    }
    sdc_docx_tables_free(&tables);
    return rc;
}

static bool is_odf_content(const char *inner)
{
    return strcmp(inner, "content.xml") == 0;
}

static int odf_content(archive_walk *aw, sdc_byte_source *msrc, const char *name, const char *inner)
{
    (void)inner;
    return content_member(aw, msrc, name);
}

/*
 * Members a container's own format reads, one line each, matched by the
 * member's name inside the archive: read by the line (in member order,
 * after the members queued before them on the pool), where every other
 * member is walked as a file of its own.
 */
static const struct member_line {
    const char *what;
    bool (*is)(const char *inner);
    int (*read)(archive_walk *aw, sdc_byte_source *msrc, const char *name, const char *inner);
} member_kinds[] = {
    {"an xlsx's worksheets and shared strings, its sheets tables (xlsx.c)", is_workbook_part,
     workbook_part},
    {"an OpenDocument's content.xml, its sheets tables (ods.c)", is_odf_content, odf_content},
    {"a Word document's body, its tables tables (docx_tables.c)", is_word_body, word_body},
};

static const struct member_line *member_kind(const char *inner)
{
    for (size_t i = 0; i < sizeof member_kinds / sizeof member_kinds[0]; i++)
        if (member_kinds[i].is(inner))
            return &member_kinds[i];
    return NULL;
}

/* After a member: 1 to go on, 0 when a limit was passed (M says which). */
static int member_done(archive_walk *aw, const member_reader *m)
{
    if (!aw->b->exceeded)
        return 1;
    if (m->why[0])
        snprintf(aw->why, sizeof aw->why, "%s", m->why);
    return 0;
}

/* Walks the entry E just read. Returns 1 to go on, 0 to stop (a limit was
 * passed), -1 when out of memory. */
static int walk_entry(archive_walk *aw, struct archive_entry *e)
{
    const sdc_policy *p = aw->w->policy;
    const char *path = archive_entry_pathname(e);
    bool raw = archive_format(aw->a) == ARCHIVE_FORMAT_RAW;
    char inner[512];
    if (raw)
        raw_member_name(aw->self->path, inner, sizeof inner);
    else
        snprintf(inner, sizeof inner, "%s", path && *path ? path : "(unnamed)");
    aw->b->members++;
    if (!within_limits(p, aw->b, aw->why, sizeof aw->why))
        return 0;
    if (!raw && path_escapes(inner))
        sdc_container_finding(aw->self, "archive-path", SDC_REVIEW,
                              "archive members must have relative paths inside the archive",
                              "member '%s' has a path outside the archive", inner);
    if (archive_entry_is_encrypted(e)) {
        sdc_container_finding(aw->self, "archive-encrypted", SDC_FAIL,
                              "submit files unencrypted so they can be checked",
                              "member '%s' is encrypted and cannot be checked", inner);
        return 1;
    }
    mode_t type = archive_entry_filetype(e);
    if (!raw && type != 0 && type != AE_IFREG)
        return 1; /* folders, links: nothing to read */
    char name[1024];
    snprintf(name, sizeof name, "%s!%s", aw->self->path, inner);
    member_reader m = {.a = aw->a, .policy = p, .b = aw->b};
    sdc_byte_source msrc = {.read = member_read, .ctx = &m, .error = m.error};
    const struct member_line *kind = raw ? NULL : member_kind(inner);
    /* Members the pool walks; the others in order after them. */
    if (!kind && aw->pool)
        return pooled_member(aw, &msrc, name,
                             archive_entry_size_is_set(e) ? archive_entry_size(e) : -1) < 0
                   ? -1
                   : member_done(aw, &m);
    if ((aw->pool && sdc_member_pool_flush(aw->pool) < 0) || note_direct(aw) < 0)
        return -1;
    int rc = kind ? kind->read(aw, &msrc, name, inner)
                  : aw->w->member(aw->w, name, &msrc, aw->depth + 1, aw->b, aw->list);
    return rc < 0 ? -1 : member_done(aw, &m);
}

/* A zip's header: where libarchive found it and its name, for the
 * central directory cross-check. */
static int note_position(archive_walk *aw, struct archive_entry *e)
{
    if ((archive_format(aw->a) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_ZIP)
        return 0;
    if (SDC_VEC_RESERVE(aw->pos, aw->pos_cap, aw->npos + 1) < 0)
        return -1;
    const char *name = archive_entry_pathname(e);
    sdc_zip_entry_pos *p = &aw->pos[aw->npos];
    p->offset = (unsigned long long)archive_read_header_position(aw->a);
    p->extra = NULL;
    if (!(p->name = strdup(name ? name : "")))
        return -1;
    aw->npos++;
    if (aw->window && sdc_zip_local_header(aw->window, p->offset, p) < 0)
        return -1;
    return 0;
}

/* Reads every member. Returns 0 or -1 when out of memory. */
static int walk_entries(archive_walk *aw)
{
    struct archive_entry *e;
    int hr = ARCHIVE_OK, go = 1, retries = 0;
    while (go > 0) {
        hr = archive_read_next_header(aw->a, &e);
        /* A damaged header libarchive skipped (a tar's bad checksum):
         * what it held was not read, so the archive is not whole. */
        if (hr == ARCHIVE_RETRY && ++retries <= 1000) {
            aw->bad_archive = true;
            continue;
        }
        if (hr != ARCHIVE_OK && hr != ARCHIVE_WARN)
            break;
        aw->headers++;
        if (aw->pos_cap != SIZE_MAX && note_position(aw, e) < 0)
            go = -1;
        else
            go = walk_entry(aw, e);
    }
    if (go > 0 && (hr == ARCHIVE_FATAL || hr == ARCHIVE_FAILED))
        aw->bad_archive = true;
    return go < 0 ? -1 : 0;
}

/* Findings about the archive itself: unreadable, encrypted, a bomb. */
static void archive_findings(archive_walk *aw)
{
    sdc_file_result *self = aw->self;
    const char *err = archive_error_string(aw->a);
    const char *format = self->format ? self->format : "archive";
    if (aw->bad_archive && err && (strcasestr(err, "encrypt") || strcasestr(err, "passphrase"))) {
        sdc_container_finding(self, "archive-encrypted", SDC_FAIL,
                              "submit files unencrypted so they can be checked",
                              "the %s is encrypted and cannot be checked: %s", format, err);
    } else if (aw->bad_archive) {
        sdc_container_finding(self, "malformed", SDC_REVIEW,
                              "check the archive: it may be truncated or corrupt",
                              "the %s could not be read to the end: %s", format,
                              err ? err : "unrecognised or damaged archive");
    }
    if (aw->b->exceeded && aw->why[0])
        sdc_container_finding(self, "archive-bomb", SDC_FAIL,
                              "do not submit archives that expand without bound",
                              "possible archive bomb: %s", aw->why);
}

/* A workbook's sheets, judged now that its strings are known. */
static void finish_workbook(archive_walk *aw)
{
    for (size_t i = 0; i < sdc_xlsx_sheets(aw->workbook); i++) {
        long slot = sdc_xlsx_slot(aw->workbook, i);
        if (slot >= 0 && aw->list->items[slot].verdict == SDC_PASS &&
            aw->list->items[slot].findings.count == 0)
            sheet_result(aw->w, aw->workbook, i, &aw->list->items[slot]);
        if (slot >= 0)
            sheet_path(aw->workbook, i, sdc_xlsx_member(aw->workbook, i), &aw->list->items[slot]);
    }
}

/* A zip is read by its local headers; its end record says how many
 * entries the central directory lists. More entries than local members
 * means entries share data: the overlapping-file zip bomb (Fifield,
 * "A better zip bomb", 2019). */
static void zip_overlap(archive_walk *aw, const sdc_trailer *trailer)
{
    long headers = aw->headers;
    if (aw->b->exceeded || !trailer || trailer->kind != SDC_TRAILER_ZIP ||
        trailer->zip_entries <= headers || headers <= 0)
        return;
    char counts[96];
    snprintf(counts, sizeof counts, "%ld entries over %ld stored member%s", trailer->zip_entries,
             headers, headers == 1 ? "" : "s");
    sdc_container_finding(aw->self, "archive-bomb", SDC_FAIL,
                          "do not submit archives whose entries overlap",
                          "possible archive bomb: the central directory lists %s "
                          "(overlapping entries)",
                          counts);
}

/* Every archive format libarchive reads, and "raw" (a lone compressed
 * stream is one member), but not mtree: an mtree is a text list of file
 * names, and libarchive would read any decompressed text (a gzipped CSV)
 * as one, making each line a member and never checking the text itself. */
static void support_formats(struct archive *a)
{
    archive_read_support_format_7zip(a);
    archive_read_support_format_ar(a);
    archive_read_support_format_cab(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_empty(a);
    archive_read_support_format_iso9660(a);
    archive_read_support_format_lha(a);
    archive_read_support_format_rar(a);
    archive_read_support_format_rar5(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_warc(a);
    archive_read_support_format_xar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_raw(a);
}

/* Formats whose end libarchive finds, so that what follows it is the
 * stream's tail: a lone compressed stream read whole ("raw"), and a tar
 * read to its end-of-archive blocks (not inside a compression filter,
 * which stops with the tar). A zip ends with its central directory, which
 * streaming reads leave unread: the zip end record is judged elsewhere. */
static bool tail_is_accounted(struct archive *a)
{
    int format = archive_format(a);
    if (format == ARCHIVE_FORMAT_RAW)
        return true;
    return (format & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR &&
           archive_filter_count(a) == 1;
}

/* The part of the tail libarchive was given but did not consume: from
 * CONSUMED to the end of what it was given (only the last piece given is
 * still at hand; an earlier one lost from view counts as not zero). */
static void tail_seen(const outer_reader *r, unsigned long long consumed, stream_tail *tail)
{
    if (consumed >= r->given)
        return;
    if (consumed >= r->last_at) {
        size_t from = (size_t)(consumed - r->last_at);
        tail_add(tail, r->last + from, r->last_len - from);
        return;
    }
    tail->bytes += r->last_at - consumed;
    tail->nonzero = true; /* not seen: not known to be padding */
    tail_add(tail, r->last, r->last_len);
}

/* Bytes after the end of the stream that are not padding: what the
 * format explains has ended, so they are another file's (appended data). */
static void tail_finding(sdc_file_result *self, const stream_tail *tail, const char *what)
{
    sdc_classification c =
        sdc_file_classify(tail->head, tail->captured, tail->captured < TAIL_CAPTURE, "");
    sdc_container_finding(
        self, "appended-data", SDC_FAIL,
        "remove what follows the end of the archive: it must not carry other data",
        "%llu bytes after the end of the %s stream: %s (%s)", tail->bytes, what,
        sdc_file_class_name(c.file_class), c.format);
}

static int open_libarchive(const sdc_walk *w, sdc_file_result *self, const sdc_trailer *trailer,
                           outer_reader *outer, int depth, sdc_budget *b, sdc_result_list *list)
{
    archive_walk aw = {
        .w = w, .self = self, .depth = depth, .b = b, .list = list, .window = outer->window};
    aw.a = archive_read_new();
    if (!aw.a)
        return -1;
    archive_read_support_filter_all(aw.a);
    support_formats(aw.a);
    /* A tar inside a compression filter: libarchive would stop at its
     * end-of-archive blocks and leave the rest of the stream unread. Asked
     * to read on (its tar reader's read_concatenated_archives), it passes
     * zeros as padding and reads anything else as a header that is not
     * one: the archive is then not whole (malformed, review), never a pass.
     * (A gzip stream is also inflated again and accounted: gz_account.c.) */
    archive_read_set_format_option(aw.a, "tar", "read_concatenated_archives", "1");
    /* Members on the file's threads: in the first archive to ask (those
     * nested in it are walked on the thread walking their holder). */
    bool parallel = b->jobs > 1 && !atomic_exchange(&b->parallel, true);
    if (parallel && !(aw.pool = sdc_member_pool_new(w, b, b->jobs, list, note_spliced, &aw))) {
        archive_read_free(aw.a);
        atomic_store(&b->parallel, false);
        return -1;
    }
    unsigned char *whole = NULL;
    bool oom = false;
    int opened = open_archive(&aw, outer, &whole, &oom);
    int rc = oom ? -1 : 0;
    if (opened == ARCHIVE_OK)
        rc = walk_entries(&aw);
    else if (rc == 0)
        aw.bad_archive = whole != NULL || !is_format(self, "7z");
    if (aw.pool) {
        if (rc == 0 && sdc_member_pool_flush(aw.pool) < 0)
            rc = -1;
        sdc_member_pool_free(aw.pool);
        aw.pool = NULL;
        atomic_store(&b->parallel, false);
    }
    if (rc == 0)
        archive_findings(&aw);
    bool account = rc == 0 && !aw.bad_archive && !b->exceeded && !whole && tail_is_accounted(aw.a);
    bool zip = rc == 0 && !aw.bad_archive && !b->exceeded && outer->window &&
               (archive_format(aw.a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP &&
               archive_filter_count(aw.a) == 1;
    unsigned long long consumed = (unsigned long long)archive_filter_bytes(aw.a, -1);
    const char *what = archive_filter_count(aw.a) > 1 ? archive_filter_name(aw.a, 0) : "tar";
    archive_read_free(aw.a);
    free(whole);
    if (aw.workbook && rc == 0)
        finish_workbook(&aw);
    sdc_xlsx_free(aw.workbook);
    if (rc == 0)
        sdc_container_summarise(self, list, aw.direct, aw.ndirect);
    free(aw.direct);
    stream_tail tail = {0};
    if (account)
        tail_seen(outer, consumed, &tail);
    drain_into(outer, account ? &tail : NULL);
    if (account && tail.bytes && tail.nonzero)
        tail_finding(self, &tail, what);
    if (rc == 0)
        zip_overlap(&aw, trailer);
    /* For the zip's account (accounts[]), which frees them. */
    outer->zip_pos = aw.pos;
    outer->zip_npos = aw.npos;
    outer->zip_consumed = consumed;
    outer->zip_read = zip && rc == 0;
    return rc;
}

/* ---- gzip header fields ------------------------------------------------ */

/*
 * A gzip member's header can carry bytes no decompressor looks at: an
 * extra field (FEXTRA, up to 64 KiB of subfields) and a comment (FCOMMENT,
 * zero-terminated). RFC 1952, 2.3.1. They are walked as members of their
 * own ("x.gz!(gzip extra field)"), so that what they hold is judged; the
 * file name (FNAME) only names the stream. The first member's header is
 * in HEAD; a header cut short by the end of HEAD is left to libarchive.
 */
static int gzip_header_fields(const sdc_walk *w, sdc_file_result *self, const unsigned char *head,
                              size_t head_len, int depth, sdc_budget *b, sdc_result_list *list)
{
    enum { FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16 };
    if (head_len < 10 || head[0] != 0x1f || head[1] != 0x8b || head[2] != 8)
        return 0;
    unsigned flags = head[3];
    size_t at = 10;
    int rc = 0;
    if (flags & FEXTRA) {
        if (at + 2 > head_len)
            return 0;
        size_t xlen = (size_t)head[at] | (size_t)head[at + 1] << 8;
        at += 2;
        if (at + xlen > head_len)
            return 0;
        if (xlen)
            rc = sdc_container_walk_bytes(w, self, "(gzip extra field)", head + at, xlen, depth, b,
                                          list);
        at += xlen;
    }
    if (rc == 0 && (flags & FNAME)) {
        const unsigned char *end = memchr(head + at, 0, head_len - at);
        if (!end)
            return 0;
        at = (size_t)(end - head) + 1;
    }
    if (rc == 0 && (flags & FCOMMENT)) {
        const unsigned char *end = memchr(head + at, 0, head_len - at);
        if (!end)
            return 0;
        size_t len = (size_t)(end - (head + at));
        if (len)
            rc =
                sdc_container_walk_bytes(w, self, "(gzip comment)", head + at, len, depth, b, list);
    }
    return rc;
}

/* ---- what accounts for an archive's bytes beside libarchive ------------ */

/* Zips, and the Office, OpenDocument and other files that are: the
 * central directory against the local headers libarchive walked, comments,
 * extra fields, data before the first header (zip_account.c). */
static int zip_start(outer_reader *r, const sdc_file_result *self, const unsigned char *head,
                     size_t len)
{
    (void)self;
    if (len < 4 || memcmp(head, "PK\x03\x04", 4) != 0)
        return 0;
    return (r->window = sdc_zip_window_new()) ? 0 : -1;
}

static void zip_feed(outer_reader *r, const unsigned char *b, size_t n)
{
    if (r->window)
        sdc_zip_window_feed(r->window, b, n);
}

static int zip_account(const sdc_walk *w, sdc_file_result *self, outer_reader *r, int depth,
                       sdc_budget *b, sdc_result_list *list)
{
    if (!r->window || !r->zip_read)
        return 0;
    return sdc_zip_account(w, self, r->window, r->zip_pos, r->zip_npos, r->zip_consumed, depth, b,
                           list);
}

static void zip_release(outer_reader *r)
{
    for (size_t i = 0; i < r->zip_npos; i++) {
        free(r->zip_pos[i].name);
        free(r->zip_pos[i].extra);
    }
    free(r->zip_pos);
    sdc_zip_window_free(r->window);
}

/* An uncompressed tar: its pax headers, which libarchive drops, its end
 * blocks and what follows them (tar_account.c). */
static int tar_start(outer_reader *r, const sdc_file_result *self, const unsigned char *head,
                     size_t len)
{
    (void)self;
    if (len < 262 || memcmp(head + 257, "ustar", 5) != 0)
        return 0;
    return (r->tar = sdc_tar_scan_new()) ? 0 : -1;
}

static void tar_feed(outer_reader *r, const unsigned char *b, size_t n)
{
    if (r->tar)
        sdc_tar_scan_feed(r->tar, b, n);
}

static int tar_account(const sdc_walk *w, sdc_file_result *self, outer_reader *r, int depth,
                       sdc_budget *b, sdc_result_list *list)
{
    if (!r->tar)
        return 0;
    sdc_tar_tail(r->tar, self, NULL);
    return sdc_tar_account(w, self, r->tar, depth, b, list);
}

static void tar_release(outer_reader *r)
{
    sdc_tar_scan_free(r->tar);
}

/* A gzip stream: inflated again, to check it, the tar in it and what
 * follows its end (gz_account.c). */
static int gz_start(outer_reader *r, const sdc_file_result *self, const unsigned char *head,
                    size_t len)
{
    (void)head;
    (void)len;
    if (!is_format(self, "gzip"))
        return 0;
    return (r->gz = sdc_gz_check_new()) ? 0 : -1;
}

static void gz_feed(outer_reader *r, const unsigned char *b, size_t n)
{
    if (r->gz)
        sdc_gz_check_feed(r->gz, b, n);
}

static int gz_account(const sdc_walk *w, sdc_file_result *self, outer_reader *r, int depth,
                      sdc_budget *b, sdc_result_list *list)
{
    return r->gz ? sdc_gz_account(w, self, r->gz, depth, b, list) : 0;
}

static void gz_release(outer_reader *r)
{
    sdc_gz_check_free(r->gz);
}

/*
 * What accounts for an archive's bytes beside libarchive, one line per
 * format: started by the stream's head, fed every byte of the outer stream
 * (what libarchive is given and what it leaves), and asked, once the
 * members are walked, for what the format explains that libarchive does
 * not read (walked as members of their own) and what it does not explain
 * (appended-data, embedded-blob). In this order.
 */
static const struct account_line {
    const char *what;
    int (*start)(outer_reader *r, const sdc_file_result *self, const unsigned char *head,
                 size_t len); /* 0, or -1: out of memory */
    void (*feed)(outer_reader *r, const unsigned char *b, size_t n);
    int (*account)(const sdc_walk *w, sdc_file_result *self, outer_reader *r, int depth,
                   sdc_budget *b, sdc_result_list *list);
    void (*release)(outer_reader *r);
} accounts[] = {
    {"zip directory, comments, extra fields (zip_account.c)", zip_start, zip_feed, zip_account,
     zip_release},
    {"tar pax headers, end blocks, tail (tar_account.c)", tar_start, tar_feed, tar_account,
     tar_release},
    {"gzip stream inflated again, its tail (gz_account.c)", gz_start, gz_feed, gz_account,
     gz_release},
};
#define NACCOUNTS (sizeof accounts / sizeof accounts[0])

static void accounts_feed(outer_reader *r, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < NACCOUNTS; i++)
        accounts[i].feed(r, b, n);
}

int sdc_container_open(const sdc_walk *w, sdc_file_result *self, const sdc_trailer *trailer,
                       const unsigned char *head, size_t head_len, sdc_byte_source *src, int depth,
                       sdc_budget *b, sdc_result_list *list)
{
    const sdc_policy *p = w->policy;
    outer_reader outer = {.src = src, .head = head, .head_len = head_len};
    outer.buf = malloc(SDC_READ_CHUNK);
    if (!outer.buf)
        return -1;
    int rc = 0;
    if (depth + 1 > p->archive_max_depth) {
        char lim[32];
        snprintf(lim, sizeof lim, "%d", p->archive_max_depth);
        sdc_container_finding(self, "archive-bomb", SDC_FAIL,
                              "do not nest archives in archives; submit the files themselves",
                              "possible archive bomb: archives nested more than %s deep "
                              "(archive max_depth)",
                              lim);
        b->exceeded = true;
        outer.head_given = true;
        drain(&outer);
    } else if (is_format(self, "zlib")) {
        rc = open_zlib(w, self, &outer, depth, b, list);
        drain(&outer);
    } else {
        if (is_format(self, "gzip"))
            rc = gzip_header_fields(w, self, head, head_len, depth, b, list);
        for (size_t i = 0; i < NACCOUNTS && rc == 0; i++)
            rc = accounts[i].start(&outer, self, head, head_len);
        if (rc == 0)
            rc = open_libarchive(w, self, trailer, &outer, depth, b, list);
        else
            drain(&outer);
        for (size_t i = 0; i < NACCOUNTS && rc == 0 && !b->exceeded; i++)
            rc = accounts[i].account(w, self, &outer, depth, b, list);
    }
    for (size_t i = 0; i < NACCOUNTS; i++)
        accounts[i].release(&outer);
    free(outer.buf);
    return rc;
}
