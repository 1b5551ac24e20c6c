/*
 * batch.c - a queue of submissions screened at once (batch.h).
 *
 * The queue's entries are listed and sorted first, and each is given its
 * reports' folder in OUTDIR before anything is checked: a name made safe
 * (letters, digits, '.', '_', '-' and '+' kept, anything else '_', no
 * leading dot, at most SAFE_NAME_MAX bytes) and unique (a "-2", "-3" ...
 * suffix, compared without case, and never index.json or index.html), so
 * the names do not depend on which thread finishes first.
 *
 * Work is split by submission: threads take the next entry from a shared
 * counter, check it with sdc_check_paths as `sdccheck check` would check
 * it alone, write its reports, and keep only its line of the index. Threads
 * share nothing else but the checker (read-only), so they scale with the
 * cores, and a submission's report is the same whatever the number of
 * threads. With fewer submissions than threads, each submission gets the
 * threads the others leave idle.
 *
 * The reports are written without an fsync each (on ext4, 4 ms a report
 * that no thread can overlap with work); once all are written, one syncfs
 * puts them on disk, and only then is the index written (synced): an
 * OUTDIR holding index.json is complete, on disk too.
 * A run that fails (a report that cannot be written, memory) removes what
 * it wrote, and the first failing submission in queue order says why.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/threads.h"
#include "core/vec.h"
#include "report/batch_index.h"
#include "report/report_util.h"

/* Longest reports' folder name, before a uniqueness suffix. */
#define SAFE_NAME_MAX 100

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in QUEUE but . and .., sorted by byte: *NAMES (malloc'd, each
 * malloc'd), *N. Returns 0, or an SDC_E* code with ST saying why. */
static int list_queue(const char *queue, char ***names, size_t *n, sdc_status *st)
{
    *names = NULL;
    *n = 0;
    struct stat sb;
    if (stat(queue, &sb) != 0) {
        int code = sdc_error_from_errno(errno);
        return sdc_status_set(st, code == SDC_EACCES ? code : SDC_ENOENT, "%s: %s", queue,
                              strerror(errno));
    }
    if (!S_ISDIR(sb.st_mode))
        return sdc_status_set(st, SDC_ENOENT, "%s: --each needs a folder of submissions", queue);
    DIR *d = opendir(queue);
    if (!d) {
        int code = sdc_error_from_errno(errno);
        return sdc_status_set(st, code == SDC_EACCES ? code : SDC_ENOENT, "%s: %s", queue,
                              strerror(errno));
    }
    size_t cap = 0;
    int rc = SDC_OK;
    const struct dirent *e;
    while (rc == SDC_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *name = strdup(e->d_name);
        if (!name || SDC_VEC_RESERVE(*names, cap, *n + 1) < 0) {
            free(name);
            rc = sdc_status_set(st, SDC_ENOMEM, "%s", sdc_strerror(SDC_ENOMEM));
            break;
        }
        (*names)[(*n)++] = name;
    }
    closedir(d);
    if (*n > 1)
        qsort(*names, *n, sizeof **names, cmp_name);
    return rc;
}

/* NAME as a file name that is safe on any file system and in a URL. */
static char *safe_name(const char *name)
{
    size_t len = strlen(name);
    if (len > SAFE_NAME_MAX)
        len = SAFE_NAME_MAX;
    char *safe = malloc(len + 2);
    if (!safe)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '+';
        safe[i] = keep ? (char)c : '_';
    }
    safe[len] = '\0';
    if (len == 0)
        strcpy(safe, "_");
    else if (safe[0] == '.')
        safe[0] = '_';
    return safe;
}

/* The folder names given so far, compared without case (a file system
 * that ignores case must not merge two submissions). */
typedef struct name_set {
    struct hsearch_data table;
    char **keys; /* lower-case copies, owned */
    size_t count;
} name_set;

static char *lower_copy(const char *s)
{
    char *l = strdup(s);
    for (char *p = l; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return l;
}

/* Adds NAME unless it is there. Returns 1 added, 0 there, -1 no memory. */
static int name_set_add(name_set *set, const char *name)
{
    char *key = lower_copy(name);
    if (!key)
        return -1;
    ENTRY probe = {.key = key}, *found = NULL;
    if (hsearch_r(probe, FIND, &found, &set->table) && found) {
        free(key);
        return 0;
    }
    if (!hsearch_r(probe, ENTER, &found, &set->table)) {
        free(key);
        return -1;
    }
    set->keys[set->count++] = key;
    return 1;
}

/* Gives each of the N entries its folder: safe, unique. Returns 0 or -1
 * when out of memory. */
static int name_folders(sdc_batch_entry *entries, size_t n)
{
    static const char *const reserved[] = {"index.json", "index.html"};
    name_set set = {0};
    size_t slots = n + 2;
    set.keys = calloc(slots, sizeof *set.keys);
    if (!set.keys || !hcreate_r(2 * slots, &set.table)) {
        free(set.keys);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < 2 && rc == 0; i++)
        rc = name_set_add(&set, reserved[i]) < 0 ? -1 : 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *base = safe_name(entries[i].name), *name = base ? strdup(base) : NULL;
        int added = name ? name_set_add(&set, name) : -1;
        for (unsigned k = 2; added == 0; k++) {
            free(name);
            if (asprintf(&name, "%s-%u", base, k) < 0)
                name = NULL;
            added = name ? name_set_add(&set, name) : -1;
        }
        free(base);
        if (added < 0) {
            free(name);
            rc = -1;
        } else {
            entries[i].folder = name;
        }
    }
    hdestroy_r(&set.table);
    for (size_t i = 0; i < set.count; i++)
        free(set.keys[i]);
    free(set.keys);
    return rc;
}

static bool path_inside(const char *root, const char *real)
{
    size_t n = strlen(root);
    if (strcmp(root, "/") == 0)
        return true;
    return strncmp(root, real, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/* The shared state of a run's threads. */
typedef struct batch_run {
    const sdc_checker *ck;
    const char *queue;
    char *queue_real;
    const char *outdir; /* without a trailing '/' */
    const sdc_batch_options *opts;
    int inner_jobs; /* threads each submission is checked on */
    sdc_batch_entry *entries;
    int *rcs;           /* per entry: 0, or its SDC_E* code */
    sdc_status *status; /* per entry: why it failed */
    bool *made;         /* per entry: its folder was made */
    size_t count, next;
    bool failed;
    pthread_mutex_t lock;
} batch_run;

/* A report of one result for a link out of the queue, which is not
 * followed (as a submission's own links out of it are not). */
static int link_report(const char *path, const char *why, sdc_report *report)
{
    report->inputs = calloc(2, sizeof *report->inputs);
    report->files = calloc(2, sizeof *report->files);
    if (!report->inputs || !report->files)
        return SDC_ENOMEM;
    if (!(report->inputs[0] = strdup(path)))
        return SDC_ENOMEM;
    report->input_count = 1;
    sdc_file_result *r = &report->files[0];
    report->file_count = 1;
    r->size = -1;
    r->file_class = SDC_CLASS_UNKNOWN;
    r->path = strdup(path);
    r->format = strdup("link");
    if (!r->path || !r->format)
        return SDC_ENOMEM;
    sdc_finding_at at = {.advice = "put the submission itself in the queue, not a link to it"};
    if (sdc_findings_add(&r->findings, "needs-review", SDC_REVIEW, &at, "%s", why) < 0)
        return SDC_ENOMEM;
    sdc_report_derive(report);
    return SDC_OK;
}

/* Checks the entry at PATH into REPORT and says what it is. */
static int check_entry(batch_run *run, const char *path, sdc_batch_entry *e, sdc_report *report,
                       sdc_status *st)
{
    report->policy = sdc_checker_policy(run->ck);
    struct stat sb;
    if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode)) {
        char *real = realpath(path, NULL);
        const char *why = !real ? "a symbolic link to nothing (broken link): not followed"
                          : !path_inside(run->queue_real, real)
                              ? "a symbolic link to outside the queue: not followed"
                              : NULL;
        free(real);
        if (why) {
            e->kind = SDC_BATCH_LINK;
            int rc = link_report(path, why, report);
            return rc < 0 ? sdc_status_set(st, rc, "%s", sdc_strerror(rc)) : rc;
        }
    }
    int rc = sdc_check_paths(run->ck, &path, 1, run->inner_jobs, report, st);
    if (rc < 0)
        return rc;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        e->kind = SDC_BATCH_FOLDER;
    else if (report->file_count > 0 && report->files[0].file_class == SDC_CLASS_CONTAINER)
        e->kind = SDC_BATCH_ARCHIVE;
    else
        e->kind = SDC_BATCH_FILE;
    return SDC_OK;
}

/* Writes REPORT in every format into DIR, each renamed into place. */
static int write_reports(const sdc_batch_options *opts, const sdc_report *report, const char *dir,
                         sdc_status *st)
{
    for (size_t i = 0; i < opts->writer_count; i++) {
        const sdc_report_writer *w = opts->writers[i];
        char *path = sdc_report_output_path(w, dir);
        if (!path)
            return sdc_status_set(st, SDC_ENOMEM, "%s", sdc_strerror(SDC_ENOMEM));
        sdc_report_file file;
        int rc = sdc_report_file_write_unsynced(w, report, &opts->report, path, &file, st);
        if (rc == 0)
            rc = sdc_report_file_commit(&file, st);
        free(path);
        if (rc < 0)
            return rc;
    }
    return SDC_OK;
}

/* Entry I: checked, its reports written, its line of the index kept. */
static int run_entry(batch_run *run, size_t i)
{
    sdc_batch_entry *e = &run->entries[i];
    sdc_status *st = &run->status[i];
    size_t qlen = strlen(run->queue);
    const char *sep = qlen > 0 && run->queue[qlen - 1] == '/' ? "" : "/";
    char *path = NULL, *dir = NULL;
    if (asprintf(&path, "%s%s%s", run->queue, sep, e->name) < 0)
        path = NULL;
    if (asprintf(&dir, "%s/%s", run->outdir, e->folder) < 0)
        dir = NULL;
    if (!path || !dir) {
        free(path);
        free(dir);
        return sdc_status_set(st, SDC_ENOMEM, "%s", sdc_strerror(SDC_ENOMEM));
    }
    sdc_report report = {0};
    int rc = check_entry(run, path, e, &report, st);
    if (rc == 0) {
        if (mkdir(dir, 0777) != 0)
            rc = sdc_status_set(st, sdc_error_from_errno(errno), "cannot write %s: %s", dir,
                                strerror(errno));
        else
            run->made[i] = true;
    }
    if (rc == 0)
        rc = write_reports(run->opts, &report, dir, st);
    if (rc == 0) {
        sdc_report_totals totals;
        sdc_report_count(&report, &totals);
        e->verdict = report.verdict;
        e->files = report.file_count;
        e->pass = totals.pass;
        e->review = totals.review;
        e->fail = totals.fail;
        e->findings = totals.findings;
        e->incomplete = report.incomplete;
    }
    sdc_report_free(&report);
    free(path);
    free(dir);
    return rc;
}

static void *worker(void *arg)
{
    batch_run *run = arg;
    for (;;) {
        pthread_mutex_lock(&run->lock);
        size_t i = run->next++;
        bool stop = run->failed;
        pthread_mutex_unlock(&run->lock);
        if (stop || i >= run->count)
            return NULL;
        int rc = run_entry(run, i);
        if (rc < 0 && run->status[i].code == SDC_OK)
            sdc_status_set(&run->status[i], rc, "%s", sdc_strerror(rc));
        if (rc < 0) {
            pthread_mutex_lock(&run->lock);
            run->rcs[i] = rc;
            run->failed = true;
            pthread_mutex_unlock(&run->lock);
        }
    }
}

/* Runs every entry on THREADS threads, this one among them. */
static void run_threads(batch_run *run, int threads)
{
    sdc_run_threads(threads > 1 ? (unsigned)threads : 1, worker, run);
}

/* Removes the folders RUN made in OUTDIR. */
static void remove_made(const batch_run *run)
{
    for (size_t i = 0; i < run->count; i++) {
        char *dir = NULL;
        if (run->made[i] && asprintf(&dir, "%s/%s", run->outdir, run->entries[i].folder) >= 0) {
            sdc_report_tree_remove(dir);
            free(dir);
        }
    }
}

/* Syncs the file system OUTDIR is on: the reports, written unsynced,
 * reach the disk before the index that says they are complete. */
static int sync_reports(const char *outdir, sdc_status *st)
{
    int fd = open(outdir, O_RDONLY | O_DIRECTORY);
    int err = fd < 0 ? errno : syncfs(fd) != 0 ? errno : 0;
    if (fd >= 0)
        close(fd);
    return err ? sdc_status_set(st, sdc_error_from_errno(err), "cannot write %s: %s", outdir,
                                strerror(err))
               : SDC_OK;
}

/* Writes index.json and index.html into OUTDIR, both renamed into place
 * once both are written. */
static int write_index(const batch_run *run, const sdc_batch *batch, sdc_status *st)
{
    const sdc_policy *policy = sdc_checker_policy(run->ck);
    sdc_batch_index index = {batch, run->opts, policy ? policy->name : NULL};
    /* index.json, the mark of a complete folder, is renamed last */
    static const char *const names[] = {"index.html", "index.json"};
    sdc_report_stream_fn writers[] = {sdc_batch_index_html, sdc_batch_index_json};
    sdc_report_file files[2];
    int written = 0, rc = SDC_OK;
    for (int i = 0; i < 2 && rc == SDC_OK; i++) {
        char *path = NULL;
        if (asprintf(&path, "%s/%s", run->outdir, names[i]) < 0) {
            rc = sdc_status_set(st, SDC_ENOMEM, "%s", sdc_strerror(SDC_ENOMEM));
            break;
        }
        rc = sdc_report_file_write_stream(writers[i], &index, path, &files[i], st);
        free(path);
        if (rc == SDC_OK)
            written++;
    }
    int committed = 0;
    for (int i = 0; i < written; i++) {
        if (rc < 0)
            sdc_report_file_discard(&files[i]);
        else if ((rc = sdc_report_file_commit(&files[i], st)) == SDC_OK)
            committed++;
    }
    for (int i = 0; rc < 0 && i < committed; i++) {
        char *path = NULL;
        if (asprintf(&path, "%s/%s", run->outdir, names[i]) >= 0)
            unlink(path);
        free(path);
    }
    return rc;
}

static int check_outdir(const char *queue_real, const char *outdir, sdc_status *st)
{
    char *real = realpath(outdir, NULL);
    if (!real)
        return sdc_status_set(st, sdc_error_from_errno(errno), "cannot write %s: %s", outdir,
                              strerror(errno));
    bool inside = path_inside(queue_real, real);
    free(real);
    if (inside)
        return sdc_status_set(st, SDC_EINVAL,
                              "%s is inside the queue: it would be checked as a submission "
                              "(write the reports outside the queue)",
                              outdir);
    return SDC_OK;
}

int sdc_batch_run(const sdc_checker *checker, const char *queue, const char *outdir,
                  const sdc_batch_options *opts, sdc_batch *out, sdc_status *st)
{
    memset(out, 0, sizeof *out);
    char **names = NULL;
    size_t n = 0;
    int rc = list_queue(queue, &names, &n, st);
    batch_run run = {.ck = checker, .queue = queue, .opts = opts, .count = n};
    /* OUTDIR/NAME, never OUTDIR//NAME in a message */
    char *out_dir = rc == SDC_OK ? strdup(outdir) : NULL;
    for (size_t len = out_dir ? strlen(out_dir) : 0; len > 1 && out_dir[len - 1] == '/'; len--)
        out_dir[len - 1] = '\0';
    run.outdir = out_dir;
    if (rc == SDC_OK && !out_dir)
        rc = sdc_status_set(st, SDC_ENOMEM, "%s", sdc_strerror(SDC_ENOMEM));
    if (rc == SDC_OK && !(run.queue_real = realpath(queue, NULL)))
        rc = sdc_status_set(st, sdc_error_from_errno(errno), "%s: %s", queue, strerror(errno));
    if (rc == SDC_OK)
        rc = check_outdir(run.queue_real, outdir, st);
    if (rc == SDC_OK) {
        out->queue = strdup(queue);
        out->entries = calloc(n + 1, sizeof *out->entries);
        run.rcs = calloc(n + 1, sizeof *run.rcs);
        run.status = calloc(n + 1, sizeof *run.status);
        run.made = calloc(n + 1, sizeof *run.made);
        if (!out->queue || !out->entries || !run.rcs || !run.status || !run.made)
            rc = sdc_status_set(st, SDC_ENOMEM, "%s", sdc_strerror(SDC_ENOMEM));
    }
    for (size_t i = 0; rc == SDC_OK && i < n; i++) {
        out->entries[i].name = names[i];
        names[i] = NULL;
        out->count++;
    }
    if (rc == SDC_OK && name_folders(out->entries, n) < 0)
        rc = sdc_status_set(st, SDC_ENOMEM, "%s", sdc_strerror(SDC_ENOMEM));
    if (rc == SDC_OK) {
        int jobs = opts->jobs > 0 ? opts->jobs : 1;
        int threads = n < (size_t)jobs ? (int)n : jobs;
        run.inner_jobs = n > 0 && n < (size_t)jobs ? jobs / (int)n : 1;
        run.entries = out->entries;
        pthread_mutex_init(&run.lock, NULL);
        run_threads(&run, threads);
        pthread_mutex_destroy(&run.lock);
        for (size_t i = 0; i < n && rc == SDC_OK; i++)
            if (run.rcs[i] < 0) {
                rc = run.rcs[i];
                if (st)
                    *st = run.status[i];
            }
    }
    if (rc == SDC_OK) {
        out->verdict = n == 0 ? SDC_REVIEW : SDC_PASS;
        for (size_t i = 0; i < n; i++) {
            out->verdict = sdc_verdict_worst(out->verdict, out->entries[i].verdict);
            out->incomplete = out->incomplete || out->entries[i].incomplete;
        }
        rc = sync_reports(outdir, st);
    }
    if (rc == SDC_OK)
        rc = write_index(&run, out, st);
    if (rc < 0 && run.made)
        remove_made(&run);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(run.queue_real);
    free(out_dir);
    free(run.rcs);
    free(run.status);
    free(run.made);
    if (rc < 0)
        sdc_batch_free(out);
    return rc;
}

void sdc_batch_free(sdc_batch *batch)
{
    for (size_t i = 0; i < batch->count; i++) {
        free(batch->entries[i].name);
        free(batch->entries[i].folder);
    }
    free(batch->entries);
    free(batch->queue);
    memset(batch, 0, sizeof *batch);
}
