/*
 * report_file.c - putting reports on disk without ever leaving half of one.
 *
 * A reviewer trusts a report file because it is there. So a report is
 * written to a temporary file (mkstemp, in the same folder so that the
 * final rename cannot cross file systems), flushed, synced and closed with
 * every step checked, and only then renamed to its name; any failure on
 * the way (an unwritable folder, a full disk, a file size limit) removes
 * the temporary and says why. The caller commits several reports together
 * (sdc_report_file_commit after every write has succeeded), so a run whose
 * third report fails leaves none of them behind.
 *
 * An output folder (`-o DIR/`) holds one run's reports under fixed names,
 * report.EXT per file format and DIR/NAME/ for a format that is a folder;
 * a folder that already holds something is refused, never merged into.
 * A folder format is written the same way as a file: into a temporary
 * folder beside its name (mkdtemp), renamed to it once complete, removed
 * with all it holds when anything fails.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report_util.h"

/* The process's umask, read without changing it (umask(2) can only be
 * read by setting it, which would race with threads creating files).
 * 022 when /proc is not there. */
static mode_t current_umask(void)
{
    mode_t mask = 022;
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        unsigned m;
        if (sscanf(line, "Umask: %o", &m) == 1) {
            mask = (mode_t)(m & 0777);
            break;
        }
    }
    if (f)
        fclose(f);
    return mask;
}

/* The folder part of PATH ("." when it has none), malloc'd. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static int write_failed(sdc_status *st, const char *path, int err)
{
    return sdc_status_set(st, sdc_error_from_errno(err), "cannot write %s: %s", path,
                          strerror(err));
}

/* Ends writing to OUT: flush, sync (when SYNC) and close, each checked.
 * Returns 0, or the errno of the first step that failed (OUT is closed
 * either way). */
static int close_checked(FILE *out, bool sync)
{
    int err = 0;
    errno = 0;
    if (fflush(out) != 0 || ferror(out))
        err = errno ? errno : EIO;
    if (!err && sync && fsync(fileno(out)) != 0)
        err = errno;
    if (fclose(out) != 0 && !err)
        err = errno;
    return err;
}

/* Runs WRITE into OUT. Returns 0, or an errno value saying why it failed. */
static int run_writer(sdc_report_stream_fn write, void *ctx, FILE *out)
{
    errno = 0;
    int rc = write(ctx, out);
    if (rc == SDC_ENOMEM)
        return ENOMEM;
    if (rc < 0)
        return errno ? errno : EIO;
    return 0;
}

/* A PATH that exists and is not a regular file: written in place. */
static int write_in_place(sdc_report_stream_fn write, void *ctx, const char *path,
                          sdc_report_file *file, sdc_status *st)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return write_failed(st, path, errno);
    int err = run_writer(write, ctx, out);
    int closed = close_checked(out, false);
    if (err || closed)
        return write_failed(st, path, err ? err : closed);
    file->path = strdup(path);
    if (!file->path)
        return write_failed(st, path, ENOMEM);
    return SDC_OK;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

void sdc_report_tree_remove(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* True when DIR holds nothing; false, with errno, when it cannot be read. */
static bool folder_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool empty = true;
    const struct dirent *e;
    while (empty && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = false;
    closedir(d);
    if (!empty)
        errno = ENOTEMPTY;
    return empty;
}

/* A folder format: W writes into a temporary folder beside PATH. */
static int write_folder(const sdc_report_writer *w, const sdc_report *report,
                        const sdc_report_options *opts, const char *path, sdc_report_file *file,
                        sdc_status *st)
{
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode))
            return write_failed(st, path, ENOTDIR);
        if (!folder_empty(path))
            return errno == ENOTEMPTY
                       ? sdc_status_set(st, SDC_EEXIST, "cannot write %s: the folder is not empty",
                                        path)
                       : write_failed(st, path, errno);
    }
    char *folder = folder_of(path), *temp = NULL;
    if (!folder || asprintf(&temp, "%s/.sdccheck-report-XXXXXX", folder) < 0)
        temp = NULL;
    free(folder);
    if (!temp)
        return write_failed(st, path, ENOMEM);
    if (!mkdtemp(temp)) {
        int err = errno;
        free(temp);
        return write_failed(st, path, err);
    }
    /* mkdtemp makes the folder private; it gets a new folder's mode */
    int err = chmod(temp, 0777 & ~current_umask()) != 0 ? errno : 0;
    if (!err) {
        errno = 0;
        int rc = w->write_dir(report, opts, temp);
        err = rc == SDC_ENOMEM ? ENOMEM : rc < 0 ? (errno ? errno : EIO) : 0;
    }
    if (err) {
        sdc_report_tree_remove(temp);
        free(temp);
        return write_failed(st, path, err);
    }
    file->path = strdup(path);
    if (!file->path) {
        sdc_report_tree_remove(temp);
        free(temp);
        return write_failed(st, path, ENOMEM);
    }
    file->temp = temp;
    file->folder = true;
    return SDC_OK;
}

/* A report writer's call, for sdc_report_file_write_stream. */
typedef struct writer_call {
    const sdc_report_writer *w;
    const sdc_report *report;
    const sdc_report_options *opts;
} writer_call;

static int call_writer(void *ctx, FILE *out)
{
    const writer_call *call = ctx;
    return call->w->write(call->report, call->opts, out);
}

static int write_stream(sdc_report_stream_fn write, void *ctx, const char *path, bool sync,
                        sdc_report_file *file, sdc_status *st);

/* sdc_report_file_write, the temporary file synced to disk when SYNC. */
static int write_report(const sdc_report_writer *w, const sdc_report *report,
                        const sdc_report_options *opts, const char *path, bool sync,
                        sdc_report_file *file, sdc_status *st)
{
    memset(file, 0, sizeof *file);
    if (!w->write && w->write_dir)
        return write_folder(w, report, opts, path, file, st);
    if (!w->write)
        return sdc_status_set(st, SDC_EINVAL, "cannot write %s: the %s format is a folder", path,
                              w->name);
    writer_call call = {w, report, opts};
    return write_stream(call_writer, &call, path, sync, file, st);
}

int sdc_report_file_write(const sdc_report_writer *w, const sdc_report *report,
                          const sdc_report_options *opts, const char *path, sdc_report_file *file,
                          sdc_status *st)
{
    return write_report(w, report, opts, path, true, file, st);
}

int sdc_report_file_write_unsynced(const sdc_report_writer *w, const sdc_report *report,
                                   const sdc_report_options *opts, const char *path,
                                   sdc_report_file *file, sdc_status *st)
{
    return write_report(w, report, opts, path, false, file, st);
}

int sdc_report_file_write_stream(sdc_report_stream_fn write, void *ctx, const char *path,
                                 sdc_report_file *file, sdc_status *st)
{
    return write_stream(write, ctx, path, true, file, st);
}

static int write_stream(sdc_report_stream_fn write, void *ctx, const char *path, bool sync,
                        sdc_report_file *file, sdc_status *st)
{
    memset(file, 0, sizeof *file);
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (exists && S_ISDIR(sb.st_mode))
        return write_failed(st, path, EISDIR);
    if (exists && !S_ISREG(sb.st_mode))
        return write_in_place(write, ctx, path, file, st);

    /* A link to a report is kept a link: the file it names is replaced. */
    struct stat lsb;
    char *target = NULL;
    if (exists && lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode))
        target = realpath(path, NULL);
    if (!target)
        target = strdup(path);
    char *folder = target ? folder_of(target) : NULL;
    char *temp = NULL;
    if (!folder || asprintf(&temp, "%s/.sdccheck-report-XXXXXX", folder) < 0)
        temp = NULL;
    free(folder);
    if (!temp) {
        free(target);
        return write_failed(st, path, ENOMEM);
    }

    int err = 0;
    int fd = mkstemp(temp);
    FILE *out = NULL;
    if (fd < 0) {
        err = errno;
    } else {
        /* mkstemp makes the file private; a report gets the mode a new
         * file would get, or keeps the mode of the one it replaces. */
        mode_t mode = exists ? (sb.st_mode & 07777) : (0666 & ~current_umask());
        if (fchmod(fd, mode) != 0 || !(out = fdopen(fd, "w"))) {
            err = errno;
            close(fd);
        }
    }
    if (out) {
        err = run_writer(write, ctx, out);
        int closed = close_checked(out, sync);
        if (!err)
            err = closed;
    }
    if (err) {
        if (fd >= 0)
            unlink(temp);
        free(temp);
        free(target);
        return write_failed(st, path, err);
    }
    file->path = target;
    file->temp = temp;
    return SDC_OK;
}

int sdc_report_file_commit(sdc_report_file *file, sdc_status *st)
{
    int rc = SDC_OK;
    /* a folder replaces an empty folder of its name (rename(2) allows it) */
    if (file->temp && rename(file->temp, file->path) != 0) {
        rc = write_failed(st, file->path, errno);
        if (file->folder)
            sdc_report_tree_remove(file->temp);
        else
            unlink(file->temp);
    }
    free(file->temp);
    free(file->path);
    memset(file, 0, sizeof *file);
    return rc;
}

void sdc_report_file_discard(sdc_report_file *file)
{
    if (file->temp && file->folder)
        sdc_report_tree_remove(file->temp);
    else if (file->temp)
        unlink(file->temp);
    free(file->temp);
    free(file->path);
    memset(file, 0, sizeof *file);
}

int sdc_report_dir_prepare(const char *dir, bool *created, sdc_status *st)
{
    *created = false;
    if (mkdir(dir, 0777) == 0) {
        *created = true;
        return SDC_OK;
    }
    if (errno != EEXIST)
        return write_failed(st, dir, errno);
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return write_failed(st, dir, errno);
    if (!S_ISDIR(sb.st_mode))
        return write_failed(st, dir, ENOTDIR);
    if (folder_empty(dir))
        return SDC_OK;
    if (errno != ENOTEMPTY)
        return write_failed(st, dir, errno);
    return sdc_status_set(st, SDC_EEXIST,
                          "cannot write %s: the folder is not empty (sdccheck writes a run's "
                          "reports only into a new or empty folder)",
                          dir);
}

char *sdc_report_output_path(const sdc_report_writer *w, const char *dir)
{
    size_t len = strlen(dir);
    const char *sep = len > 0 && dir[len - 1] == '/' ? "" : "/";
    char *path = NULL;
    /* A folder format (no extension) is a folder of its own: DIR/NAME. */
    int n = w->extension ? asprintf(&path, "%s%sreport.%s", dir, sep, w->extension)
                         : asprintf(&path, "%s%s%s", dir, sep, w->name);
    return n < 0 ? NULL : path;
}
