/*
 * fix.c - --fix: a protected copy of every table that suppression can
 * mend, checked in its turn (doc/design.md, "Secondary suppression").
 *
 * A table that fails a primary or secondary rule gets primary and
 * complementary suppression and is written as a copy into the folder
 * given, never over an input (fix_name.c names it). Tables linked to
 * others are protected with them as one. The tables are the ones read when
 * the files were checked (kept by sdc_checker_keep_tables); a table that
 * was not kept is read again and used only if its SHA-256 is still the one
 * checked. A table inside another file (an archive's member, a workbook's
 * sheet) is never kept by the check: the file holding it is walked again,
 * once, keeping the tables suppression mends, and they are used only if
 * every result of that walk has the path and SHA-256 checked. Each copy is
 * then checked like any file and added to the report, and the copies are
 * linked again with the tables that needed none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/checker.h"
#include "check/fix_name.h"
#include "check/result.h"
#include "check/source.h"
#include "core/format.h"
#include "core/vec.h"
#include "protect/protect_internal.h"
#include "sdccheck/spec.h"

/* Seconds the optimal mode may spend on one table before the heuristic
 * takes over. */
#define OPTIMAL_TIME_LIMIT 30.0

static bool fixable(const sdc_file_result *f)
{
    return f->file_class == SDC_CLASS_TABLE && f->verdict == SDC_FAIL && sdc_result_fixable(f);
}

/* A file checked, as the file system knows it. */
typedef struct file_id {
    dev_t dev;
    ino_t ino;
} file_id;

static int file_id_cmp(const void *a, const void *b)
{
    const file_id *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* One --fix run. */
typedef struct fix_run {
    const char *dir;
    sdc_suppress_mode mode;
    size_t *outer;    /* OUTER[i]: the submitted file result i is in (i when it is one) */
    const char **why; /* WHY[i]: why a member's table could not be read again */
    file_id *inputs;  /* the submitted files, sorted: never written over */
    size_t ninputs;
    sdc_fix_names names; /* the copies' paths */
} fix_run;

/* True when PATH is one of the files checked. */
static bool is_input(const fix_run *run, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    file_id id = {st.st_dev, st.st_ino};
    return bsearch(&id, run->inputs, run->ninputs, sizeof id, file_id_cmp) != NULL;
}

/* Result I of REPORT's first COUNT is a member of the file O when its path
 * continues O's with '!'. */
static bool member_of(const sdc_report *report, size_t i, size_t o)
{
    const char *p = report->files[i].path, *outer = report->files[o].path;
    size_t n = strlen(outer);
    return strncmp(p, outer, n) == 0 && p[n] == '!';
}

/* Which submitted file each of the first COUNT results is in (a file's
 * members follow it in the report), and the identities of those files.
 * Returns 0 or -1 when out of memory. */
static int map_files(const sdc_report *report, size_t count, fix_run *run)
{
    run->outer = calloc(count + 1, sizeof *run->outer);
    run->why = calloc(count + 1, sizeof *run->why);
    run->inputs = calloc(count + 1, sizeof *run->inputs);
    if (!run->outer || !run->why || !run->inputs)
        return -1;
    for (size_t i = 0, o = 0; i < count; i++) {
        if (i == 0 || !member_of(report, i, o))
            o = i;
        run->outer[i] = o;
        struct stat st;
        if (o == i && stat(report->files[i].path, &st) == 0)
            run->inputs[run->ninputs++] = (file_id){st.st_dev, st.st_ino};
    }
    qsort(run->inputs, run->ninputs, sizeof *run->inputs, file_id_cmp);
    return 0;
}

/* The tables of the members of the submitted file O (results O..END-1)
 * that --fix protects: the file walked again (sdc_check_file_fixable),
 * used only when each result is still the one checked. RUN->why says why
 * a member got none. Returns 0 or -1 when out of memory. */
static int read_members_again(const sdc_checker *ck, sdc_report *report, size_t o, size_t end,
                              fix_run *run)
{
    sdc_result_list list = {0};
    if (sdc_check_file_fixable(ck, report->files[o].path, &list) < 0) {
        sdc_result_list_free(&list);
        return -1;
    }
    bool same = list.count == end - o;
    for (size_t k = 0; same && k < list.count; k++)
        same = strcmp(list.items[k].path, report->files[o + k].path) == 0 &&
               strcmp(list.items[k].sha256, report->files[o + k].sha256) == 0;
    int rc = 0;
    for (size_t k = 1; k < end - o; k++) {
        sdc_file_result *r = &report->files[o + k];
        if (r->table || !fixable(r))
            continue;
        if (same && list.items[k].findings.incomplete) {
            rc = -1; /* read again only in part: out of memory */
        } else if (!same) {
            run->why[o + k] = "the file holding it changed after it was checked";
        } else if (!list.items[k].table) {
            run->why[o + k] = "the table is not read whole (more rows than max_table_rows)";
        } else {
            r->table = list.items[k].table;
            r->table_spec = list.items[k].table_spec;
            list.items[k].table = NULL;
            list.items[k].table_spec = NULL;
        }
    }
    sdc_result_list_free(&list);
    return rc;
}

/* Reads again the files holding the first COUNT results' failing members.
 * Returns 0 or -1 when out of memory. */
static int read_members(const sdc_checker *ck, sdc_report *report, size_t count, fix_run *run)
{
    for (size_t o = 0; o < count;) {
        size_t end = o + 1;
        bool wanted = false;
        for (; end < count && run->outer[end] == o; end++)
            wanted |= !report->files[end].table && fixable(&report->files[end]);
        if (wanted && read_members_again(ck, report, o, end, run) < 0)
            return -1;
        o = end;
    }
    return 0;
}

/*
 * A file written whole or not at all: its bytes go to a temporary file
 * beside PATH (".NAME.XXXXXX", made by mkstemp), renamed to PATH once
 * written and closed, so a disk that fills or a temporary file that
 * cannot be made never leaves half a protected copy behind.
 */
typedef struct whole_file {
    char *tmp;  /* the temporary file's path */
    FILE *fp;   /* open on it */
    int errnum; /* why the file could not be written (an errno value) */
} whole_file;

/* Starts writing PATH. Returns 0, or -1 with W->errnum set. */
static int whole_open(whole_file *w, const char *path)
{
    memset(w, 0, sizeof *w);
    const char *slash = strrchr(path, '/');
    int dir = slash ? (int)(slash - path + 1) : 0;
    w->tmp = sdc_format("%.*s.%s.XXXXXX", dir, path, path + dir);
    if (!w->tmp) {
        w->errnum = ENOMEM;
        return -1;
    }
    int fd = mkstemp(w->tmp);
    if (fd < 0 || !(w->fp = fdopen(fd, "w"))) {
        w->errnum = errno;
        if (fd >= 0) {
            close(fd);
            unlink(w->tmp);
        }
        free(w->tmp);
        w->tmp = NULL;
        return -1;
    }
    return 0;
}

/* Ends writing: the file becomes PATH when everything written to it (OK
 * says the caller's part went well) reached the disk, else it is
 * removed. Returns 0, or -1 with W->errnum set (EIO when the caller's
 * part failed without saying why). */
static int whole_close(whole_file *w, const char *path, bool ok)
{
    if (!ok && !w->errnum)
        w->errnum = ferror(w->fp) && errno ? errno : EIO;
    if (fflush(w->fp) != 0 || ferror(w->fp)) {
        if (!w->errnum)
            w->errnum = errno ? errno : EIO;
        ok = false;
    }
    if (fclose(w->fp) != 0 && ok) {
        w->errnum = errno;
        ok = false;
    }
    if (ok && rename(w->tmp, path) != 0) {
        w->errnum = errno;
        ok = false;
    }
    if (!ok)
        unlink(w->tmp);
    free(w->tmp);
    w->tmp = NULL;
    return ok ? 0 : -1;
}

/* Copies the sidecar declaration of IN (if any) beside OUT, so that the
 * protected copy is read with the same layout. Returns 0, or an errno
 * value saying why it could not be. */
static int copy_sidecar(const char *in, const char *out)
{
    char *from = sdc_sidecar_path(in);
    if (!from)
        return 0;
    char *to = sdc_sidecar_name(out);
    int err = 0;
    FILE *src = fopen(from, "rb");
    whole_file w;
    if (!to) {
        err = ENOMEM;
    } else if (!src) {
        err = errno;
    } else if (whole_open(&w, to) < 0) {
        err = w.errnum;
    } else {
        char buf[8192];
        size_t n;
        bool ok = true;
        while ((n = fread(buf, 1, sizeof buf, src)) > 0)
            if (fwrite(buf, 1, n, w.fp) != n)
                ok = false;
        if (ferror(src)) {
            ok = false;
            w.errnum = EIO;
        }
        if (whole_close(&w, to, ok) < 0)
            err = w.errnum;
    }
    if (src)
        fclose(src);
    free(to);
    free(from);
    return err;
}

/* Reads R's table again when it was not kept: its result keeps it only if
 * the file is still the one checked. Returns 0 (R->table may stay NULL:
 * no table, or the file changed, said in *PROBLEM) or -1 when out of
 * memory. */
static int ensure_table(const sdc_checker *ck, sdc_file_result *r, const char **problem)
{
    if (r->table)
        return 0;
    sdc_file_result again;
    if (sdc_check_file_table(ck, r->path, &again) < 0)
        return -1;
    if (strcmp(again.sha256, r->sha256) != 0) {
        *problem = "the file changed after it was checked";
    } else {
        r->table = again.table;
        r->table_spec = again.table_spec;
        again.table = NULL;
        again.table_spec = NULL;
    }
    sdc_file_result_free(&again);
    return 0;
}

/* The linked groups among the first COUNT results protected together:
 * JOINT[i] gets the protected table of result i when it is in a group
 * (taken from the result). Returns 0 or -1 when out of memory. */
static int protect_groups(const sdc_checker *ck, sdc_report *report, size_t count,
                          sdc_suppress_mode mode, sdc_linked_fix *joint)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        n += sdc_result_linkable(&report->files[i]);
    sdc_linked_table *tables = calloc(n + 1, sizeof *tables);
    size_t *file = calloc(n + 1, sizeof *file);
    sdc_linked_fix *fix = calloc(n + 1, sizeof *fix);
    int rc = tables && file && fix ? 0 : -1;
    bool linkable = n >= 2 && n <= SDC_LINK_MAX_TABLES;
    const char *problem = NULL;
    for (size_t i = 0, k = 0; rc == 0 && i < count; i++) {
        sdc_file_result *r = &report->files[i];
        if (!sdc_result_linkable(r))
            continue;
        if (linkable)
            rc = ensure_table(ck, r, &problem);
        file[k] = i;
        tables[k++] = (sdc_linked_table){r->path, r->table, &r->findings, false};
    }
    if (rc == 0)
        rc = sdc_protect_linked(tables, n, ck->policy, ck->scanner, mode, fix);
    for (size_t k = 0; rc == 0 && k < n; k++) {
        report->files[file[k]].table = tables[k].table; /* NULL when handed over */
        joint[file[k]] = fix[k];
    }
    free(tables);
    free(file);
    free(fix);
    return rc;
}

/* The protected table of result I: its linked group's, or its own
 * protected now (a MEMBER's only when its file was read again:
 * read_members). *PROBLEM says why there is none. Returns 0 or -1 when out
 * of memory. */
static int protected_table(const sdc_checker *ck, sdc_file_result *r, sdc_linked_fix *lf,
                           sdc_suppress_mode mode, bool member, sdc_fix_entry *e, sdc_table **t,
                           const char **problem)
{
    if (lf->table) {
        *t = lf->table;
        e->result = lf->result;
        e->linked = lf->linked;
        lf->table = NULL;
        return 0;
    }
    if (!member && ensure_table(ck, r, problem) < 0)
        return -1;
    if (member && !r->table && !*problem)
        *problem = "the table could not be read again";
    *t = r->table;
    r->table = NULL; /* its spec stays with the result, which outlives it */
    if (*t && sdc_table_protect_mode(*t, ck->policy, ck->scanner, mode, OPTIMAL_TIME_LIMIT,
                                     &e->result) != 0) {
        sdc_table_free(*t);
        *t = NULL;
    }
    return 0;
}

/* Writes T as the copy OUT of IN, in its folder below DIR (through a
 * temporary file: whole or not at all). Returns 0, or an errno value saying
 * why it could not be. */
static int write_copy(const sdc_table *t, const char *in, const char *dir, const char *out,
                      char delimiter)
{
    int folders = sdc_fix_make_folders(dir, out);
    if (folders)
        return folders;
    whole_file w;
    if (whole_open(&w, out) < 0)
        return w.errnum;
    bool ok = sdc_table_write_csv(t, delimiter ? delimiter : ',', w.fp) == 0;
    if (whole_close(&w, out, ok) < 0)
        return w.errnum;
    int err = copy_sidecar(in, out);
    if (err)
        unlink(out); /* a copy without its declaration would be read wrongly */
    return err;
}

/* Appends the results of checking the copy at PATH to REPORT. Returns 0
 * or -1 when out of memory (a copy is never left unchecked). */
static int check_copy(const sdc_checker *ck, sdc_report *report, const char *path)
{
    sdc_file_result *more = NULL;
    size_t n = 0;
    if (sdc_check_file_all(ck, path, NULL, &more, &n) != 0)
        return -1;
    if (SDC_VEC_RESIZE(report->files, report->file_count + n) < 0) {
        for (size_t k = 0; k < n; k++)
            sdc_file_result_free(&more[k]);
        free(more);
        return -1;
    }
    memcpy(report->files + report->file_count, more, n * sizeof *more);
    report->file_count += n;
    free(more);
    return 0;
}

static sdc_fix_entry *log_add(sdc_fix_log *log, const char *input)
{
    if (SDC_VEC_RESERVE(log->items, log->capacity, log->count + 1) < 0)
        return NULL;
    sdc_fix_entry *e = &log->items[log->count];
    memset(e, 0, sizeof *e);
    if (!(e->input = strdup(input)))
        return NULL;
    log->count++;
    return e;
}

/* The copy of result I: protected, written, checked. Returns 0,
 * SDC_ENOMEM, or SDC_EEXIST when the copy would overwrite an input. */
static int fix_one(const sdc_checker *ck, sdc_report *report, size_t i, fix_run *run,
                   sdc_linked_fix *lf, sdc_fix_log *log, sdc_status *st)
{
    sdc_file_result *r = &report->files[i];
    const char *in = r->path;
    bool member = run->outer[i] != i, as_csv = false;
    const char *outer = member ? report->files[run->outer[i]].path : NULL;
    const char *out = sdc_fix_name(&run->names, run->dir, in, outer, &as_csv);
    if (!out)
        return SDC_ENOMEM;
    if (is_input(run, out))
        return sdc_status_set(st, SDC_EEXIST, "--fix would overwrite %s: choose another folder",
                              out);
    sdc_fix_entry *e = log_add(log, in);
    sdc_table *t = NULL;
    const char *problem = run->why[i];
    int rc = e ? protected_table(ck, r, lf, run->mode, member, e, &t, &problem) : SDC_ENOMEM;
    /* A cell the primary rules fail still published means the protection
     * went wrong inside (a finding it could not record): never written. */
    if (rc == 0 && t && sdc_protect_primary_left(t, ck->policy, ck->scanner) != 0)
        rc = SDC_ENOMEM;
    char delimiter = as_csv || !r->delimiter ? ',' : r->delimiter;
    int err = rc == 0 && t ? write_copy(t, in, run->dir, out, delimiter) : 0;
    if (rc == 0 && t && !err) {
        if (!(e->output = strdup(out)))
            rc = SDC_ENOMEM;
        else
            rc = check_copy(ck, report, e->output) < 0 ? SDC_ENOMEM : 0;
    } else if (rc == 0 && err) { /* the table stays as checked: it fails */
        if (!(e->problem = sdc_format("%s could not be written: %s", out, strerror(err))))
            rc = SDC_ENOMEM;
    } else if (rc == 0 && problem && !(e->problem = strdup(problem))) {
        rc = SDC_ENOMEM;
    }
    sdc_table_free(t);
    return rc;
}

int sdc_report_fix(const sdc_checker *ck, sdc_report *report, const char *dir,
                   sdc_suppress_mode mode, sdc_fix_log *log, sdc_status *st)
{
    memset(log, 0, sizeof *log);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return sdc_status_set(st, sdc_error_from_errno(errno), "cannot make %s: %s", dir,
                              strerror(errno));
    size_t original = report->file_count;
    fix_run run = {.dir = dir, .mode = mode};
    bool *fixed = calloc(original + 1, sizeof *fixed);
    /* Tables linked to others are protected with them, as one (before
     * copies are appended: REPORT->files may move then). */
    sdc_linked_fix *joint = calloc(original + 1, sizeof *joint);
    int rc = fixed && joint && map_files(report, original, &run) == 0 &&
                     read_members(ck, report, original, &run) == 0
                 ? protect_groups(ck, report, original, mode, joint)
                 : SDC_ENOMEM;
    for (size_t i = 0; i < original && rc == 0; i++) {
        sdc_linked_fix *lf = &joint[i];
        bool changed = lf->table && (lf->result.primary || lf->result.secondary);
        if (!fixable(&report->files[i]) && !changed) {
            if (lf->table && !report->files[i].table) {
                report->files[i].table = lf->table; /* unchanged: linked again below */
                lf->table = NULL;
            }
            continue;
        }
        fixed[i] = true;
        rc = fix_one(ck, report, i, &run, lf, log, st);
    }
    for (size_t k = 0; joint && k < original; k++)
        sdc_table_free(joint[k].table);
    free(joint);
    /* The copies and the tables that needed none are the submission now:
     * audit the linked ones together again. */
    sdc_file_result **now = rc == 0 ? malloc((report->file_count + 1) * sizeof *now) : NULL;
    size_t n = 0;
    for (size_t i = 0; now && i < report->file_count; i++)
        if (i >= original || !fixed[i])
            now[n++] = &report->files[i];
    if (rc == 0 && (!now || sdc_check_linked(ck, now, n) < 0))
        rc = SDC_ENOMEM;
    free(now);
    free(fixed);
    free(run.outer);
    free(run.why);
    free(run.inputs);
    sdc_fix_names_free(&run.names);
    sdc_report_derive(report);
    return rc;
}

void sdc_fix_log_free(sdc_fix_log *log)
{
    for (size_t i = 0; i < log->count; i++) {
        free(log->items[i].input);
        free(log->items[i].output);
        free(log->items[i].problem);
    }
    free(log->items);
    memset(log, 0, sizeof *log);
}
