/*
 * container.c - archives and compressed streams, opened recursively
 * (SPEC 6.2).
 *
 * libarchive reads zip (streaming: local headers, so a lying central
 * directory is ignored), tar, 7z, cpio and ar, and every compression filter
 * (gzip, bzip2, xz, lzma, zstd, lz4); a lone compressed stream is its
 * "raw" format, one member. joblib's zlib streams are inflated with zlib.
 * Bytes reach libarchive through a read callback that hashes them as they
 * pass, so a container is still read once. Each member is a byte source
 * checked like a file, its path "outer.zip!inner/x.csv".
 *
 * Limits (policy archive: max_depth, max_ratio, max_bytes, max_members) are
 * counted over everything inside one submitted file and stop the expansion
 * as soon as one is passed: `archive-bomb`, never unbounded work. Nothing
 * is written to disk.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "classify/detect.h"
#include "check/pipeline.h"
#include "read/xlsx.h"

/* Expansion ratios are judged once this much has come out: a 200-byte zip
 * of a 30 KB table is not a bomb. */
#define RATIO_FLOOR (16ll * 1024 * 1024)

/* 7z keeps its index at the end, so libarchive must seek: a 7z is read into
 * memory first (hashed on the way), up to this size. */
#define SEEKABLE_MAX (256u * 1024u * 1024u)

/* The outer stream, with the head given back first. */
typedef struct outer_reader {
    file_pass *fp;
    byte_source *src;
    const unsigned char *head;
    size_t head_len;
    bool head_given;
    unsigned char *buf;
} outer_reader;

static la_ssize_t outer_read(struct archive *a, void *ctx, const void **out)
{
    outer_reader *r = ctx;
    if (!r->head_given) {
        r->head_given = true;
        *out = r->head;
        return (la_ssize_t)r->head_len;
    }
    ssize_t n = r->src->read(r->src->ctx, r->buf, SDC_READ_CHUNK);
    if (n < 0) {
        if (a) /* NULL when read for zlib or into memory */
            archive_set_error(a, EIO, "%s", r->src->error ? r->src->error : "read error");
        return -1;
    }
    pipeline_hash(r->fp, r->buf, (size_t)n);
    *out = r->buf;
    return (la_ssize_t)n;
}

/* Reads what libarchive left (a zip's central directory, trailing bytes)
 * so the hash and size cover the whole file. */
static void drain(outer_reader *r)
{
    for (;;) {
        ssize_t n = r->src->read(r->src->ctx, r->buf, SDC_READ_CHUNK);
        if (n <= 0)
            return;
        pipeline_hash(r->fp, r->buf, (size_t)n);
    }
}

static void container_finding(file_pass *fp, const char *rule, sdc_verdict v, const char *advice,
                              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void container_finding(file_pass *fp, const char *rule, sdc_verdict v, const char *advice,
                              const char *fmt, ...)
{
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sdc_finding_at at = {.advice = advice};
    sdc_findings_add(&fp->out->findings, rule, v, &at, "%s", msg);
    free(msg);
}

/* Checks the limits on what has been expanded so far; false once passed. */
static bool within_limits(const sdc_policy *p, budget *b, char *why, size_t why_size)
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
    budget *b;
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
    byte_source *inner;
    unsigned char *copy;
    size_t len, cap;
    bool too_big;
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
            if (t->len + (size_t)n > t->cap) {
                size_t cap = t->cap ? t->cap : 65536;
                while (cap < t->len + (size_t)n)
                    cap *= 2;
                unsigned char *c = realloc(t->copy, cap);
                if (!c) {
                    t->too_big = true;
                    return n;
                }
                t->copy = c;
                t->cap = cap;
            }
            memcpy(t->copy + t->len, buf, (size_t)n);
            t->len += (size_t)n;
        }
    }
    return n;
}

/* Reads a whole member (up to XLSX_PART_MAX); *BYTES NULL if larger. */
static int read_member(byte_source *src, unsigned char **bytes, size_t *len)
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
        return n < 0 ? -1 : 0;
    }
    *bytes = t.copy ? t.copy : malloc(1);
    *len = t.len;
    return *bytes ? 0 : -1;
}

/* A sheet's result: the table rules on its cells. */
static void sheet_result(const sdc_checker *ck, sdc_xlsx *x, size_t i, sdc_file_result *r)
{
    sdc_table *t = sdc_xlsx_table(x, i, &r->findings);
    if (t) {
        const sdc_policy *p = sdc_checker_policy(ck);
        sdc_table_infer_layout(t, p, &r->findings);
        sdc_table_check(t, p, sdc_checker_scanner(ck), &r->findings);
        r->rows = t->rows_seen;
        r->columns = t->ncols;
        r->shape = t->shape;
        for (size_t c = 0; c < t->ncols; c++)
            r->suppressed += t->columns[c].suppressed;
        sdc_table_free(t);
    } else if (r->findings.count == 0) {
        sdc_finding_at at = {.advice = "remove empty sheets"};
        sdc_findings_add(&r->findings, "needs-review", SDC_REVIEW, &at, "the sheet is empty");
    }
    pipeline_finish(ck, r);
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

/* Among findings of one verdict, what a reviewer most needs to read. */
static int rule_weight(const char *rule)
{
    static const char *const order[] = {"model-file",        "data-file", "archive-bomb",
                                        "archive-encrypted", "microdata", "identifier"};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (strcmp(rule, order[i]) == 0)
            return (int)(sizeof order / sizeof order[0] - i);
    return 0;
}

/* The worst finding of each direct member is repeated on the container, so
 * the container's verdict is derived from its own findings. */
static void summarise_members(file_pass *fp, const result_list *list, const size_t *direct,
                              size_t ndirect)
{
    for (size_t i = 0; i < ndirect; i++) {
        const sdc_file_result *m = &list->items[direct[i]];
        const sdc_finding *worst = NULL;
        for (size_t k = 0; k < m->findings.count; k++) {
            const sdc_finding *f = &m->findings.items[k];
            if (!worst || f->verdict > worst->verdict ||
                (f->verdict == worst->verdict && rule_weight(f->rule) > rule_weight(worst->rule)))
                worst = f;
        }
        if (!worst || worst->verdict == SDC_PASS)
            continue;
        const char *inner = strrchr(m->path, '!');
        sdc_finding_at at = {.advice = worst->advice, .value = worst->value};
        sdc_findings_add(&fp->out->findings, worst->rule, worst->verdict, &at, "member '%s': %s",
                         inner ? inner + 1 : m->path, worst->message);
    }
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
        if (n + (size_t)got > cap) {
            while (cap < n + (size_t)got)
                cap *= 2;
            unsigned char *g = realloc(w, cap);
            if (!g) {
                free(w);
                return -1;
            }
            w = g;
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
    budget *b;
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

static int open_zlib(const sdc_checker *ck, file_pass *fp, outer_reader *outer, int depth,
                     budget *b, result_list *list)
{
    zlib_reader zr = {.outer = outer, .policy = sdc_checker_policy(ck), .b = b};
    if (inflateInit(&zr.z) != Z_OK)
        return -1;
    char inner[512], name[1024];
    raw_member_name(fp->out->path, inner, sizeof inner);
    snprintf(name, sizeof name, "%s!%s", fp->out->path, inner);
    byte_source src = {.read = zlib_read, .ctx = &zr, .error = "corrupt or truncated zlib stream"};
    size_t first = list->count;
    int rc = check_source(ck, name, &src, depth + 1, b, list);
    inflateEnd(&zr.z);
    if (rc == 0 && list->count > first) {
        size_t direct = first;
        summarise_members(fp, list, &direct, 1);
    }
    if (b->exceeded && zr.why[0])
        container_finding(fp, "archive-bomb", SDC_FAIL,
                          "do not submit archives that expand without bound",
                          "possible archive bomb: %s", zr.why);
    return rc;
}

/* ---- libarchive -------------------------------------------------------- */

int container_open(const sdc_checker *ck, file_pass *fp, const unsigned char *head, size_t head_len,
                   byte_source *src, int depth, budget *b, result_list *list)
{
    const sdc_policy *p = sdc_checker_policy(ck);
    outer_reader outer = {.fp = fp, .src = src, .head = head, .head_len = head_len};
    outer.buf = malloc(SDC_READ_CHUNK);
    if (!outer.buf)
        return -1;
    int rc = 0;

    if (depth + 1 > p->archive_max_depth) {
        char lim[32];
        snprintf(lim, sizeof lim, "%d", p->archive_max_depth);
        container_finding(fp, "archive-bomb", SDC_FAIL,
                          "do not nest archives in archives; submit the files themselves",
                          "possible archive bomb: archives nested more than %s deep "
                          "(archive max_depth)",
                          lim);
        b->exceeded = true;
        outer.head_given = true;
        drain(&outer);
        free(outer.buf);
        return 0;
    }

    if (fp->out->format && strcmp(fp->out->format, "zlib") == 0) {
        rc = open_zlib(ck, fp, &outer, depth, b, list);
        drain(&outer);
        free(outer.buf);
        return rc;
    }

    struct archive *a = archive_read_new();
    if (!a) {
        free(outer.buf);
        return -1;
    }
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    archive_read_support_format_raw(a);
    size_t *direct = NULL, ndirect = 0, cap = 0;
    long headers = 0;
    sdc_xlsx *workbook = NULL;
    bool bad_archive = false;
    char why[160] = "";
    unsigned char *whole = NULL;
    size_t whole_len = 0;
    int opened;
    if (fp->out->format && strcmp(fp->out->format, "7z") == 0) {
        if (read_whole(&outer, &whole, &whole_len) < 0) {
            archive_read_free(a);
            free(outer.buf);
            return -1;
        }
        opened = whole ? archive_read_open_memory(a, whole, whole_len) : ARCHIVE_FATAL;
        if (!whole)
            container_finding(
                fp, "malformed", SDC_REVIEW, "split the archive or submit the files themselves",
                "the 7z is larger than %u MiB, the most opened in memory", SEEKABLE_MAX >> 20);
    } else {
        opened = archive_read_open(a, &outer, NULL, outer_read, NULL);
    }
    if (opened != ARCHIVE_OK) {
        bad_archive = whole != NULL || !(fp->out->format && strcmp(fp->out->format, "7z") == 0);
    } else {
        struct archive_entry *e;
        int hr;
        while ((hr = archive_read_next_header(a, &e)) == ARCHIVE_OK || hr == ARCHIVE_WARN) {
            headers++;
            const char *path = archive_entry_pathname(e);
            bool raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
            char inner[512];
            if (raw)
                raw_member_name(fp->out->path, inner, sizeof inner);
            else
                snprintf(inner, sizeof inner, "%s", path && *path ? path : "(unnamed)");
            b->members++;
            if (!within_limits(p, b, why, sizeof why))
                break;
            if (!raw && path_escapes(inner))
                container_finding(fp, "archive-path", SDC_REVIEW,
                                  "archive members must have relative paths inside the archive",
                                  "member '%s' has a path outside the archive", inner);
            if (archive_entry_is_encrypted(e)) {
                container_finding(fp, "archive-encrypted", SDC_FAIL,
                                  "submit files unencrypted so they can be checked",
                                  "member '%s' is encrypted and cannot be checked", inner);
                continue;
            }
            mode_t type = archive_entry_filetype(e);
            if (!raw && type != 0 && type != AE_IFREG)
                continue; /* folders, links: nothing to read */
            char name[1024];
            snprintf(name, sizeof name, "%s!%s", fp->out->path, inner);
            member_reader m = {.a = a, .policy = p, .b = b};
            byte_source msrc = {.read = member_read, .ctx = &m, .error = m.error};
            if (ndirect == cap) {
                cap = cap ? cap * 2 : 16;
                size_t *d = realloc(direct, cap * sizeof *d);
                if (!d) {
                    rc = -1;
                    break;
                }
                direct = d;
            }
            direct[ndirect++] = list->count;
            sdc_xlsx_part part = raw ? SDC_XLSX_NONE : sdc_xlsx_part_of(inner);
            if (part != SDC_XLSX_NONE && !workbook && !(workbook = sdc_xlsx_new(p))) {
                rc = -1;
                break;
            }
            if (part == SDC_XLSX_SHEET) {
                /* Read whole now, judged as a table once the workbook's
                 * strings are known. */
                long slot = result_list_reserve(list);
                unsigned char *bytes = NULL;
                size_t len = 0;
                if (slot < 0 || read_member(&msrc, &bytes, &len) < 0) {
                    rc = -1;
                    break;
                }
                sdc_file_result *r = &list->items[slot];
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
                    if (sdc_xlsx_add(workbook, part, inner, slot, bytes, len) < 0)
                        rc = -1;
                } else {
                    sdc_finding_at at = {.advice = "submit large sheets as CSV"};
                    sdc_findings_add(&r->findings, "malformed", SDC_REVIEW, &at,
                                     "the sheet is larger than %u MiB", XLSX_PART_MAX >> 20);
                    pipeline_finish(ck, r);
                }
                free(bytes);
                if (!r->path || !r->format || rc < 0) {
                    rc = -1;
                    break;
                }
            } else if (part == SDC_XLSX_STRINGS) {
                tee_reader tee = {.inner = &msrc};
                byte_source tsrc = {.read = tee_read, .ctx = &tee, .error = m.error};
                int crc = check_source(ck, name, &tsrc, depth + 1, b, list);
                if (crc == 0 && !tee.too_big)
                    crc = sdc_xlsx_add(workbook, part, inner, -1,
                                       tee.copy ? tee.copy : (unsigned char *)"", tee.len);
                free(tee.copy);
                if (crc < 0) {
                    rc = -1;
                    break;
                }
            } else if (check_source(ck, name, &msrc, depth + 1, b, list) < 0) {
                rc = -1;
                break;
            }
            if (b->exceeded) {
                if (m.why[0])
                    snprintf(why, sizeof why, "%s", m.why);
                break;
            }
        }
        if (hr == ARCHIVE_FATAL || hr == ARCHIVE_FAILED)
            bad_archive = true;
    }
    const char *err = archive_error_string(a);
    if (bad_archive && err && (strcasestr(err, "encrypt") || strcasestr(err, "passphrase"))) {
        container_finding(fp, "archive-encrypted", SDC_FAIL,
                          "submit files unencrypted so they can be checked",
                          "the %s is encrypted and cannot be checked: %s",
                          fp->out->format ? fp->out->format : "archive", err);
    } else if (bad_archive) {
        container_finding(fp, "malformed", SDC_REVIEW,
                          "check the archive: it may be truncated or corrupt",
                          "the %s could not be read to the end: %s",
                          fp->out->format ? fp->out->format : "archive",
                          err ? err : "unrecognised or damaged archive");
    }
    if (b->exceeded && why[0])
        container_finding(fp, "archive-bomb", SDC_FAIL,
                          "do not submit archives that expand without bound",
                          "possible archive bomb: %s", why);
    archive_read_free(a);
    free(whole);
    if (workbook) {
        for (size_t i = 0; i < sdc_xlsx_sheets(workbook); i++) {
            long slot = sdc_xlsx_slot(workbook, i);
            if (rc == 0 && slot >= 0 && list->items[slot].verdict == SDC_PASS &&
                list->items[slot].findings.count == 0)
                sheet_result(ck, workbook, i, &list->items[slot]);
        }
        sdc_xlsx_free(workbook);
    }
    if (rc == 0)
        summarise_members(fp, list, direct, ndirect);
    free(direct);
    drain(&outer);
    free(outer.buf);
    /* A zip is read by its local headers; its end record says how many
     * entries the central directory lists. More entries than local members
     * means entries share data: the overlapping-file zip bomb (Fifield,
     * "A better zip bomb", 2019). */
    if (rc == 0 && !b->exceeded && fp->trailer && fp->trailer->kind == SDC_TRAILER_ZIP &&
        fp->trailer->zip_entries > headers && headers > 0) {
        char counts[96];
        snprintf(counts, sizeof counts, "%ld entries over %ld stored member%s",
                 fp->trailer->zip_entries, headers, headers == 1 ? "" : "s");
        container_finding(fp, "archive-bomb", SDC_FAIL,
                          "do not submit archives whose entries overlap",
                          "possible archive bomb: the central directory lists %s "
                          "(overlapping entries)",
                          counts);
    }
    return rc;
}
