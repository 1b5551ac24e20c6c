/*
 * report_doc.c - a JSON report read back for release and verify.
 *
 * The report is parsed with jansson, a strict JSON parser (libyaml, which
 * decode_json.c uses for records, also accepts YAML that is not JSON, and
 * gives untyped scalars). Its integrity member, report_sha256, is the last
 * member, written by report_json.c as one fixed line: the digest covers
 * the report without that line, byte for byte, so the check is to rebuild
 * that line from the parsed digest, find it at the end of the bytes read,
 * and hash what comes before it (sdccheck-report(5), "Integrity"). This
 * is a check against edits and damage, not a signature: whoever can write
 * the report can also write a new digest.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sdccheck/sdccheck.h"
#include "core/sha256.h"

#define REPORT_MAX (256u << 20)

static const char *str_member(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

void sdc_report_doc_free(sdc_report_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->file_count; i++) {
        sdc_report_entry *e = &doc->files[i];
        free(e->path);
        free(e->file_class);
        free(e->format);
        free(e->verdict);
        free(e->container);
        free(e->shape);
        free(e->delimiter);
    }
    free(doc->files);
    free(doc->verdict);
    free(doc->created);
    free(doc->tool_version);
    free(doc->policy_name);
    free(doc->policy_source);
    free(doc->policy_json);
    *doc = (sdc_report_doc){0};
}

static int slurp(const char *path, char **text, size_t *len, sdc_status *st)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return sdc_status_set(st, SDC_EPARSE, "%s: not a report (not a regular file)", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return sdc_status_set(st, sdc_error_from_errno(errno), "%s: %s", path, strerror(errno));
    FILE *mem = open_memstream(text, len);
    char chunk[65536];
    size_t got;
    int rc = mem ? SDC_OK : SDC_ENOMEM;
    while (rc == SDC_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (fwrite(chunk, 1, got, mem) != got)
            rc = SDC_ENOMEM;
    if (rc == SDC_OK && ferror(f))
        rc = sdc_status_set(st, SDC_EIO, "%s: cannot be read", path);
    if (mem && fclose(mem) != 0 && rc == SDC_OK)
        rc = SDC_ENOMEM;
    fclose(f);
    if (rc == SDC_OK && *len > REPORT_MAX)
        rc = sdc_status_set(st, SDC_EPARSE, "%s: larger than a report can be", path);
    if (rc == SDC_ENOMEM)
        sdc_status_set(st, rc, "%s: out of memory", path);
    return rc;
}

static bool is_hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* The report's digest against its bytes (the header comment). */
static int check_integrity(const char *path, const char *text, size_t len, const char *digest,
                           sdc_status *st)
{
    if (!digest)
        return sdc_status_set(st, SDC_EINVAL,
                              "%s: the report has no report_sha256, so an edit cannot be "
                              "detected: check the files again with this sdccheck",
                              path);
    if (!is_hex64(digest))
        return sdc_status_set(st, SDC_EINVAL, "%s: report_sha256 is not 64 lowercase hex digits",
                              path);
    char line[128];
    int n = snprintf(line, sizeof line, ",\n  \"report_sha256\": \"%s\"\n}\n", digest);
    size_t tail = (size_t)n;
    if (n < 0 || len < tail || memcmp(text + len - tail, line, tail) != 0)
        return sdc_status_set(st, SDC_EINVAL,
                              "%s: the report was edited after it was written (report_sha256 "
                              "is not its last line as sdccheck writes it)",
                              path);
    char *body = malloc(len - tail + 3);
    if (!body)
        return sdc_status_set(st, SDC_ENOMEM, "%s: out of memory", path);
    memcpy(body, text, len - tail);
    memcpy(body + len - tail, "\n}\n", 3);
    char hex[SDC_SHA256_HEX];
    int rc = sdc_sha256_hex(body, len - tail + 3, hex);
    free(body);
    if (rc != SDC_OK)
        return sdc_status_set(st, rc, "%s: cannot hash the report", path);
    if (strcmp(hex, digest) != 0)
        return sdc_status_set(st, SDC_EINVAL,
                              "%s: the report was edited after it was written (its SHA-256 is "
                              "%s, report_sha256 says %s)",
                              path, hex, digest);
    return SDC_OK;
}

/* Marks the entries read from a container: "outer.zip!inner.csv" follows
 * "outer.zip" (sdccheck-report(5), files[]). */
static int find_containers(sdc_report_doc *doc)
{
    for (size_t i = 0; i < doc->file_count; i++) {
        sdc_report_entry *e = &doc->files[i];
        size_t best = 0;
        const char *outer = NULL;
        for (size_t j = 0; j < i; j++) {
            const char *p = doc->files[j].path;
            size_t n = strlen(p);
            if (n > best && strncmp(e->path, p, n) == 0 && e->path[n] == '!') {
                best = n;
                outer = p;
            }
        }
        if (outer && !(e->container = strdup(outer)))
            return SDC_ENOMEM;
    }
    return SDC_OK;
}

static int read_entry(json_t *f, sdc_report_entry *e)
{
    const char *path = str_member(f, "path");
    const char *sha = str_member(f, "sha256");
    const char *cls = str_member(f, "class");
    const char *verdict = str_member(f, "verdict");
    if (!path || !cls || !verdict)
        return SDC_EPARSE;
    if (sha && is_hex64(sha))
        memcpy(e->sha256, sha, 65);
    else if (sha)
        return SDC_EPARSE;
    json_t *size = json_object_get(f, "size");
    e->size = json_is_integer(size) ? (long long)json_integer_value(size) : -1;
    if (!(e->path = strdup(path)) || !(e->file_class = strdup(cls)) ||
        !(e->verdict = strdup(verdict)))
        return SDC_ENOMEM;
    const char *format = str_member(f, "format");
    if (format && !(e->format = strdup(format)))
        return SDC_ENOMEM;
    json_t *table = json_object_get(f, "table");
    if (json_is_object(table)) {
        e->is_table = true;
        e->rows = json_integer_value(json_object_get(table, "rows"));
        e->columns = json_integer_value(json_object_get(table, "columns"));
        const char *shape = str_member(table, "shape");
        const char *delim = str_member(table, "delimiter");
        if ((shape && !(e->shape = strdup(shape))) || (delim && !(e->delimiter = strdup(delim))))
            return SDC_ENOMEM;
    }
    return SDC_OK;
}

static int read_doc(json_t *root, sdc_report_doc *doc)
{
    const char *verdict = str_member(root, "verdict");
    json_t *files = json_object_get(root, "files");
    if (!verdict || !json_is_array(files))
        return SDC_EPARSE;
    if (!(doc->verdict = strdup(verdict)))
        return SDC_ENOMEM;
    const char *created = str_member(root, "created");
    const char *version = str_member(json_object_get(root, "tool"), "version");
    if ((created && !(doc->created = strdup(created))) ||
        (version && !(doc->tool_version = strdup(version))))
        return SDC_ENOMEM;
    json_t *policy = json_object_get(root, "policy");
    if (json_is_object(policy)) {
        const char *name = str_member(policy, "name");
        const char *source = str_member(policy, "source");
        doc->policy_json = json_dumps(policy, JSON_COMPACT | JSON_SORT_KEYS);
        if (!doc->policy_json || (name && !(doc->policy_name = strdup(name))) ||
            (source && !(doc->policy_source = strdup(source))))
            return SDC_ENOMEM;
    }
    size_t n = json_array_size(files);
    if (n && !(doc->files = calloc(n, sizeof *doc->files)))
        return SDC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *f = json_array_get(files, i);
        doc->file_count = i + 1;
        int rc = json_is_object(f) ? read_entry(f, &doc->files[i]) : SDC_EPARSE;
        if (rc != SDC_OK)
            return rc;
    }
    return find_containers(doc);
}

int sdc_report_doc_read(const char *path, sdc_report_doc *doc, sdc_status *st)
{
    *doc = (sdc_report_doc){0};
    char *text = NULL;
    size_t len = 0;
    int rc = slurp(path, &text, &len, st);
    if (rc != SDC_OK) {
        free(text);
        return rc;
    }
    json_error_t err;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        rc = sdc_status_set(st, SDC_EPARSE, "%s:%d: not JSON: %s", path, err.line, err.text);
    } else if (!json_is_object(root) || !str_member(root, "schema") ||
               strcmp(str_member(root, "schema"), "sdccheck-report") != 0) {
        rc = sdc_status_set(st, SDC_EPARSE, "%s: not an sdccheck JSON report (sdccheck -f json)",
                            path);
    } else {
        const char *digest = str_member(root, "report_sha256");
        rc = check_integrity(path, text, len, digest, st);
        if (rc == SDC_OK) {
            memcpy(doc->report_sha256, digest, 65);
            rc = read_doc(root, doc);
            if (rc == SDC_EPARSE)
                sdc_status_set(st, rc,
                               "%s: not an sdccheck JSON report: a file lacks its path, "
                               "class or verdict, or has a malformed sha256",
                               path);
            else if (rc == SDC_ENOMEM)
                sdc_status_set(st, rc, "%s: out of memory", path);
        }
    }
    json_decref(root);
    free(text);
    return rc;
}

bool sdc_report_doc_releasable(const sdc_report_doc *doc, const char *approval, sdc_status *st)
{
    if (doc->file_count == 0) {
        sdc_status_set(st, SDC_EINVAL, "the report holds no file: there is nothing to release");
        return false;
    }
    if (strcmp(doc->verdict, "pass") == 0)
        return true;
    if (strcmp(doc->verdict, "review") == 0) {
        if (approval && *approval)
            return true;
        sdc_status_set(st, SDC_EINVAL,
                       "the report's verdict is review: a reviewer releases it only with "
                       "--approve REASON");
        return false;
    }
    sdc_status_set(st, SDC_EINVAL, "the report's verdict is %s: it cannot be released",
                   doc->verdict);
    return false;
}

size_t sdc_report_doc_recheck(const sdc_report_doc *doc,
                              void (*on_change)(const char *path, const char *why, void *arg),
                              void *arg)
{
    size_t bad = 0;
    for (size_t i = 0; i < doc->file_count; i++) {
        const sdc_report_entry *e = &doc->files[i];
        if (!e->sha256[0]) {
            on_change(e->path, "the report has no hash for it (it could not be read)", arg);
            bad++;
            continue;
        }
        if (e->container)
            continue; /* its container's hash covers it */
        char hex[SDC_SHA256_HEX];
        long long size = -1;
        int rc = sdc_sha256_file(e->path, hex, &size);
        char why[200];
        if (rc == SDC_ENOENT)
            snprintf(why, sizeof why, "missing");
        else if (rc != SDC_OK)
            snprintf(why, sizeof why, "cannot be read (%s)", sdc_strerror(rc));
        else if (strcmp(hex, e->sha256) != 0 || (e->size >= 0 && size != e->size))
            snprintf(why, sizeof why,
                     "changed since it was checked (SHA-256 %s, the report has %s)", hex,
                     e->sha256);
        else
            continue;
        on_change(e->path, why, arg);
        bad++;
    }
    return bad;
}

sdc_policy *sdc_report_doc_policy(const sdc_report_doc *doc, sdc_status *st)
{
    if (!doc->policy_name && !doc->policy_source) {
        sdc_policy *p = sdc_policy_default();
        if (!p)
            sdc_status_set(st, SDC_ENOMEM, "out of memory");
        return p;
    }
    bool file = doc->policy_source && strcmp(doc->policy_source, "builtin") != 0;
    const char *what = file ? doc->policy_source : doc->policy_name;
    sdc_policy_errors errs = {0};
    sdc_policy *p = what ? sdc_policy_load(what, &errs) : NULL;
    if (!p)
        sdc_status_set(st, SDC_EINVAL,
                       "the report's policy %s (%s) cannot be loaded%s%s: its tables cannot be "
                       "read as they were checked",
                       doc->policy_name ? doc->policy_name : "?", file ? what : "builtin",
                       errs.count ? ": " : "", errs.count ? errs.items[0].message : "");
    sdc_policy_errors_free(&errs);
    return p;
}
