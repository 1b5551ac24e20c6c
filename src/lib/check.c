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

#include "classify.h"
#include "sdccheck/check.h"

struct sdc_checker {
    const sdc_policy *policy;
    sdc_id_scanner *scanner;
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
    return c;
}

void sdc_checker_free(sdc_checker *checker)
{
    if (!checker)
        return;
    sdc_id_scanner_free(checker->scanner);
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
typedef struct file_pass {
    const sdc_checker *ck;
    sdc_file_result *out;
    EVP_MD_CTX *md;
    sdc_csv_reader *reader;
    bool classified;
    int failed;
} file_pass;

static int pass_begin(file_pass *fp, const sdc_checker *ck, const char *name,
                      sdc_file_result *out)
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
    const char *slash = strrchr(out->path, '/');
    const char *base = slash ? slash + 1 : out->path;
    const char *dot = strrchr(base, '.');
    const char *ext = dot && dot != base ? dot + 1 : "";
    if (sdc_strlist_contains(&policy->allowed_file_types, ext))
        return;
    sdc_finding_at at = {.advice = "release only the file types the policy allows"};
    sdc_findings_add(&out->findings, "needs-review", SDC_REVIEW, &at,
                     "file type '%s' is not on the policy's list of allowed file types",
                     ext[0] ? ext : "(none)");
}

static void classify_head(file_pass *fp, const unsigned char *head, size_t len, bool at_eof)
{
    sdc_file_result *out = fp->out;
    sdc_classification c = sdc_classify(head, len, at_eof, out->path);
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
                         "named as a table, but the content is %s, not a text table",
                         c.format);
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
        sdc_findings_add(&out->findings, "data-file", SDC_FAIL, &at, "data file: %s",
                         c.format);
    }
}

static void pass_feed(file_pass *fp, const unsigned char *bytes, size_t len, bool at_eof)
{
    if (fp->failed)
        return;
    if (EVP_DigestUpdate(fp->md, bytes, len) != 1)
        fp->failed = 1;
    if (!fp->classified)
        classify_head(fp, bytes, len, at_eof);
    if (fp->reader && sdc_csv_reader_feed(fp->reader, bytes, len) < 0)
        fp->failed = 1;
    fp->out->size += (long long)len;
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

    if (fp->reader && !fp->failed) {
        sdc_table *t = sdc_csv_reader_finish(fp->reader);
        const sdc_csv_info *info = sdc_csv_reader_info(fp->reader);
        out->encoding = out->size > 0 ? strdup(info->encoding) : NULL;
        out->delimiter = info->delimiter;
        if (t) {
            sdc_table_infer_layout(t, fp->ck->policy, &out->findings);
            sdc_table_check(t, fp->ck->policy, fp->ck->scanner, &out->findings);
            out->rows = t->rows_seen;
            out->columns = t->ncols;
            out->shape = t->shape;
            sdc_table_free(t);
        }
    } else if (!fp->failed && out->file_class != SDC_CLASS_TABLE &&
               out->file_class != SDC_CLASS_MODEL && out->file_class != SDC_CLASS_DATA) {
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

int sdc_check_file(const sdc_checker *ck, const char *path, const char *display_path,
                   sdc_file_result *out)
{
    const char *name = display_path ? display_path : path;
    /* O_NONBLOCK: a FIFO swapped in after the walk must not hang us. */
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        char why[256];
        snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        return unreadable(ck, name, why, out);
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return unreadable(ck, name, "cannot read: not a regular file", out);
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

    file_pass fp;
    unsigned char *buf = malloc(SDC_READ_CHUNK);
    if (!buf || pass_begin(&fp, ck, name, out) < 0) {
        free(buf);
        close(fd);
        EVP_MD_CTX_free(fp.md);
        return -1;
    }
    for (;;) {
        ssize_t n = read(fd, buf, SDC_READ_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            sdc_finding_at at = {.advice = "check the file system and try again"};
            sdc_findings_add(&out->findings, "malformed", SDC_REVIEW, &at,
                             "read error after %lld bytes: %s", out->size, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        /* The first chunk is classified; a short file is whole already. */
        bool at_eof = !fp.classified && (size_t)n < SDC_READ_CHUNK &&
                      (long long)n >= (long long)st.st_size;
        pass_feed(&fp, buf, (size_t)n, at_eof);
    }
    free(buf);
    close(fd);
    return pass_end(&fp);
}

int sdc_check_buffer(const sdc_checker *ck, const char *name, const void *bytes, size_t len,
                     sdc_file_result *out)
{
    file_pass fp;
    if (pass_begin(&fp, ck, name, out) < 0) {
        EVP_MD_CTX_free(fp.md);
        return -1;
    }
    const unsigned char *b = bytes;
    size_t off = 0;
    do {
        size_t n = len - off < SDC_READ_CHUNK ? len - off : SDC_READ_CHUNK;
        pass_feed(&fp, b + off, n, off == 0 && n == len);
        off += n;
    } while (off < len);
    return pass_end(&fp);
}

/* ---- walking ----------------------------------------------------------- */

/* A path to check: a file to open, or a result decided by the walk. */
typedef struct walk_item {
    char *path;          /* the path to report */
    char *problem;       /* NULL: check the file; else why it is reported */
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
    sdc_file_result *results;
    size_t next;
    int failed;
    pthread_mutex_t lock;
} job_queue;

static int check_item(const sdc_checker *ck, const walk_item *it, sdc_file_result *out)
{
    if (it->problem) {
        if (strncmp(it->problem, "cannot read", 11) == 0)
            return unreadable(ck, it->path, it->problem, out);
        memset(out, 0, sizeof *out);
        out->file_class = SDC_CLASS_UNKNOWN;
        out->path = strdup(it->path);
        out->size = -1;
        out->format = strdup("special");
        if (!out->path || !out->format)
            return -1;
        needs_review(out, it->problem, "submit regular files inside the submission folder");
        finish_result(ck, out);
        return 0;
    }
    return sdc_check_file(ck, it->path, NULL, out);
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

static int check_all(const sdc_checker *ck, const walk_list *w, int jobs, sdc_file_result *results)
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
    if (rc == 0)
        qsort(w.items, w.count, sizeof *w.items, cmp_item);

    sdc_file_result *results = rc == 0 ? calloc(w.count + 1, sizeof *results) : NULL;
    if (rc == 0 && !results)
        rc = -1;
    if (rc == 0)
        rc = check_all(ck, &w, jobs, results);

    char **inputs = rc == 0 ? realloc(report->inputs, (report->input_count + count + 1) * sizeof *inputs) : NULL;
    sdc_file_result *files = rc == 0 ? realloc(report->files, (report->file_count + w.count + 1) * sizeof *files) : NULL;
    if (inputs)
        report->inputs = inputs;
    if (files)
        report->files = files;
    if (rc == 0 && (!inputs || !files))
        rc = -1;
    if (rc == 0) {
        for (size_t i = 0; i < count; i++)
            report->inputs[report->input_count++] = strdup(paths[i]);
        memcpy(report->files + report->file_count, results, w.count * sizeof *results);
        report->file_count += w.count;
    } else if (results) {
        for (size_t i = 0; i < w.count; i++)
            sdc_file_result_free(&results[i]);
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
    report->verdict = SDC_PASS;
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
