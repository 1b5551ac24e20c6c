/*
 * source.c - one stream checked: read, passed through, opened if it is a
 * container.
 *
 * A file, an archive member and a decompressed stream are all a byte
 * source. The head (one SDC_READ_CHUNK) is read first and classified; a
 * container's rest goes to libarchive through a source that hashes what it
 * reads, and each member comes back here through the sdc_walk callback; any
 * other stream is fed to its pass a chunk at a time. A file is opened
 * read-only and never modified.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/checker.h"
#include "check/container.h"
#include "check/decoded.h"
#include "check/ole_account.h"
#include "check/pdf_account.h"
#include "check/image_parts.h"
#include "check/member.h"
#include "check/pass.h"
#include "check/result.h"
#include "check/source.h"
#include "read/notebook.h"
#include "read/rds.h"

/* Reads until BUF is full or the source ends. */
static ssize_t read_full(sdc_byte_source *src, unsigned char *buf, size_t len, bool *eof)
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

/* A source that hashes what it reads into a pass: the container's. */
typedef struct hashing_source {
    sdc_byte_source *inner;
    sdc_pass *pass;
} hashing_source;

static ssize_t hashing_read(void *ctx, void *buf, size_t len)
{
    hashing_source *h = ctx;
    ssize_t n = h->inner->read(h->inner->ctx, buf, len);
    if (n > 0)
        sdc_pass_hash(h->pass, buf, (size_t)n);
    return n;
}

/* What a stream is to the one that holds it. */
typedef struct stream_role {
    bool keep_table;     /* keep a table in the result whatever its size (--fix) */
    bool keep_fixable;   /* it and its members keep a table suppression mends (walk.h) */
    const char *text_as; /* explained text: its format (walk.h) */
} stream_role;

static int check_stream(const sdc_checker *ck, const char *name, sdc_byte_source *src, int depth,
                        sdc_budget *b, sdc_result_list *list, stream_role role);

static int walk_member(const sdc_walk *w, const char *name, sdc_byte_source *src, int depth,
                       sdc_budget *b, sdc_result_list *list)
{
    stream_role role = {.text_as = w->text_as, .keep_fixable = w->keep_fixable};
    return check_stream(w->ctx, name, src, depth, b, list, role);
}

static sdc_walk walk_of(const sdc_checker *ck, stream_role role)
{
    return (sdc_walk){.policy = ck->policy,
                      .scanner = ck->scanner,
                      .member = walk_member,
                      .ctx = ck,
                      .keep_fixable = role.keep_fixable};
}

/* The rest of a container, through libarchive. */
static int open_container(const sdc_checker *ck, sdc_pass *p, const unsigned char *head,
                          size_t head_len, sdc_byte_source *src, int depth, sdc_budget *b,
                          sdc_result_list *list, stream_role role)
{
    sdc_walk w = walk_of(ck, role);
    hashing_source hs = {.inner = src, .pass = p};
    sdc_byte_source hsrc = {.read = hashing_read, .ctx = &hs, .error = src->error};
    return sdc_container_open(&w, p->out, p->trailer, head, head_len, &hsrc, depth, b, list);
}

/* Feeds the rest of the stream to the pass; the read error, or NULL. */
static const char *feed_rest(sdc_pass *p, sdc_byte_source *src, unsigned char *buf)
{
    while (!p->failed) {
        ssize_t n = src->read(src->ctx, buf, SDC_READ_CHUNK);
        if (n < 0)
            return src->error ? src->error : "read error";
        if (n == 0)
            break;
        sdc_pass_feed(p, buf, (size_t)n, false);
    }
    return NULL;
}

/* --- what is inside a stream that has passed --- */

/* The parts of an image its format defines or does not explain. */
static int walk_image(const sdc_walk *w, sdc_pass *p, sdc_file_result *self, int depth,
                      sdc_budget *b, sdc_result_list *list)
{
    return p->image ? sdc_image_account(w, self, p->image, depth, b, list) : 0;
}

/* Payloads decoded from text, records read from code, files carved out. */
static int walk_decoded(const sdc_walk *w, sdc_pass *p, sdc_file_result *self, int depth,
                        sdc_budget *b, sdc_result_list *list)
{
    if (!p->decode)
        return 0;
    int rc = sdc_decoded_account(w, self, p->decode, depth, b, list);
    p->tables_only = rc == 0 && sdc_decode_tables_only(p->decode);
    /* a model printout in a document that states too few residual df
     * (doc/design.md, "Regression tables") */
    size_t n = 0;
    const sdc_model_df *dfs = sdc_decode_model_dfs(p->decode, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (dfs[i].df >= w->policy->dof_threshold)
            continue;
        char value[32];
        snprintf(value, sizeof value, "%g", dfs[i].df);
        sdc_finding_at at = {.line = dfs[i].line,
                             .value = value,
                             .limit = w->policy->dof_threshold,
                             .has_limit = true,
                             .advice = "fit the model on more records or with fewer parameters"};
        sdc_findings_add(&self->findings, "dof", SDC_FAIL, &at,
                         "%s states %g residual degrees of freedom, below the minimum of %g",
                         dfs[i].printout, dfs[i].df, w->policy->dof_threshold);
    }
    return rc;
}

/* A PDF's embedded files and attachments. */
static int walk_pdf(const sdc_walk *w, sdc_pass *p, sdc_file_result *self, int depth, sdc_budget *b,
                    sdc_result_list *list)
{
    if (!p->text || !self->format || strcmp(self->format, "pdf") != 0)
        return 0;
    return sdc_pdf_account(w, self, p->text, depth, b, list);
}

/* An OLE compound file's streams. */
static int walk_ole(const sdc_walk *w, sdc_pass *p, sdc_file_result *self, int depth, sdc_budget *b,
                    sdc_result_list *list)
{
    if (!p->keep_whole || !self->format || strcmp(self->format, "ole-compound") != 0)
        return 0;
    if (p->whole_over) {
        sdc_findings_add(&self->findings, "needs-review", SDC_REVIEW,
                         &(sdc_finding_at){.advice = "submit what the file holds instead"},
                         "a compound file larger than %u MiB: its streams are not walked",
                         SDC_OLE_KEEP_MAX >> 20);
        return 0;
    }
    return sdc_ole_account(w, self, p->whole ? p->whole : (const unsigned char *)"", p->whole_len,
                           depth, b, list);
}

/* The tables in a notebook's outputs (pandas' HTML, a printed frame):
 * each read as a document's tables are (decode_tables.c) and walked as
 * a member, nb.ipynb!cell4:output1:html:table1 (a text/html output),
 * ...output1:text:table1 (text/plain, or a stream). */
static int walk_notebook(const sdc_walk *w, sdc_pass *p, sdc_file_result *self, int depth,
                         sdc_budget *b, sdc_result_list *list)
{
    if (!self->format || strcmp(self->format, "notebook") != 0 || !p->keep_whole)
        return 0;
    if (p->whole_over) {
        sdc_findings_add(&self->findings, "needs-review", SDC_REVIEW,
                         &(sdc_finding_at){.advice = "clear the outputs, or submit them as files"},
                         "a notebook larger than %u MiB: the tables in its outputs are not read",
                         SDC_OLE_KEEP_MAX >> 20);
        return 0;
    }
    sdc_nb_outputs outs;
    if (sdc_notebook_outputs(p->whole ? p->whole : (const unsigned char *)"", p->whole_len, &outs) <
        0)
        return -1;
    if (outs.error)
        sdc_findings_add(
            &self->findings, "malformed", SDC_REVIEW,
            &(sdc_finding_at){.advice = "save the notebook again"},
            "the notebook could not be read to its end (it is not JSON, or nests more than "
            "256 deep): its outputs may not all be read");
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < outs.count; i++) {
        const sdc_nb_output *o = &outs.items[i];
        sdc_decode_scan *s = sdc_decode_new();
        if (!s) {
            rc = -1;
            break;
        }
        sdc_decode_document_records(s);
        sdc_decode_feed(s, (const unsigned char *)o->text, o->len);
        sdc_decode_finish(s);
        for (size_t k = 0; rc == 0 && k < sdc_decode_count(s); k++) {
            const sdc_payload *t = sdc_decode_at(s, k);
            if (!t->table_no || t->kind != SDC_PAYLOAD_FILE)
                continue;
            char name[96], what[128];
            snprintf(name, sizeof name, "cell%ld:output%ld:%s:table%u", o->cell, o->output,
                     o->html ? "html" : "text", t->table_no);
            snprintf(what, sizeof what, "table %u in the output of cell %ld", t->table_no, o->cell);
            rc = sdc_walk_nested(w, self, name, what, NULL, t->data, t->len, depth, b, list);
        }
        if (sdc_decode_failed(s))
            rc = -1;
        sdc_decode_free(s);
    }
    sdc_nb_outputs_free(&outs);
    return rc;
}

/* An R serialisation named by the classes of its objects (read/rds.c): a
 * fitted model (lm, glm, randomForest, rpart...) fails as model-file, any
 * other object (a data.frame) as data-file. When the walk cannot read it
 * (larger than it keeps, ASCII, damaged), the words in its head decided
 * the class, as they did before. */
static int walk_r_objects(const sdc_walk *w, sdc_pass *p, sdc_file_result *self, int depth,
                          sdc_budget *b, sdc_result_list *list)
{
    (void)w, (void)depth, (void)b, (void)list;
    if (!p->r_deferred)
        return 0;
    sdc_rds_info info;
    int rc = p->whole && !p->whole_over ? sdc_rds_read(p->whole, p->whole_len, &info) : -1;
    bool read = rc == 0;
    if (rc == -2) /* the head decides, but the objects' classes were lost */
        sdc_findings_mark_incomplete(&self->findings, SDC_INCOMPLETE_MEMORY);
    char classes[256] = "";
    bool model = p->r_class == SDC_CLASS_MODEL;
    if (read) {
        model = false;
        size_t o = 0;
        for (int i = 0; i < info.nobjects; i++) {
            const sdc_rds_object *ob = &info.objects[i];
            bool m = false;
            for (int k = 0; k < ob->nclasses; k++)
                m |= sdc_rds_model_class(ob->classes[k]);
            model |= m;
            /* "lm"; for save()'s objects "fit (lm), cars (data.frame)" */
            const char *cls = ob->nclasses ? ob->classes[0] : "no class";
            int n = ob->name[0]
                        ? snprintf(classes + o, sizeof classes - o, "%s%s (%s)", o ? ", " : "",
                                   ob->name, cls)
                        : snprintf(classes + o, sizeof classes - o, "%s%s", o ? ", " : "", cls);
            o = n < 0 || o + (size_t)n >= sizeof classes ? sizeof classes - 1 : o + (size_t)n;
        }
    }
    self->file_class = model ? SDC_CLASS_MODEL : SDC_CLASS_DATA;
    bool rdata = self->format && strncmp(self->format, "rdata", 5) == 0; /* save()'s */
    free(self->format);
    self->format = strdup(rdata ? (model ? "rdata-model" : "rdata") : model ? "rds-model" : "rds");
    if (!self->format)
        return -1;
    if (model)
        sdc_findings_add(&self->findings, "model-file", SDC_FAIL,
                         &(sdc_finding_at){.advice = "machine-learning models may not leave the "
                                                     "environment: release the results (tables, "
                                                     "charts) instead"},
                         "serialised machine-learning model: %s%s%s%s", self->format,
                         !read               ? " (recognised by its contents)"
                         : info.nobjects > 1 ? " (R objects: "
                                             : " (an R object of class ",
                         read ? classes : "", read ? ")" : "");
    else
        sdc_findings_add(&self->findings, "data-file", SDC_FAIL,
                         &(sdc_finding_at){.advice = "record-level data may not leave the "
                                                     "environment: publish aggregate tables "
                                                     "instead"},
                         "data file: %s%s%s%s", self->format,
                         !read               ? ""
                         : info.nobjects > 1 ? " (R objects: "
                                             : " (an R object of class ",
                         read ? classes : "", read ? ")" : "");
    return 0;
}

/* The walks of what a stream holds, one line each, in the order their
 * members are reported. A container's members are walked as it streams
 * (open_container: libarchive reads them), before these; each walk below
 * runs on what the pass kept and hands each member back to the same walk
 * (walk.h), with the same limits. */
typedef int (*inside_fn)(const sdc_walk *w, sdc_pass *p, sdc_file_result *self, int depth,
                         sdc_budget *b, sdc_result_list *list);
static const struct {
    const char *what;
    inside_fn walk;
} inside[] = {
    {"image parts (image_parts.c)", walk_image},
    {"decoded payloads, records in code, carved files (decoded.c)", walk_decoded},
    {"PDF attachments (pdf_account.c)", walk_pdf},
    {"compound-file streams (ole_account.c)", walk_ole},
    {"tables in a notebook's outputs (notebook.c)", walk_notebook},
    {"the classes of an R serialisation's objects (rds.c)", walk_r_objects},
};

static int walk_inside(const sdc_walk *w, sdc_pass *p, sdc_file_result *self, int depth,
                       sdc_budget *b, sdc_result_list *list)
{
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++)
        if (inside[i].walk(w, p, self, depth, b, list) < 0)
            return -1;
    return 0;
}

static int check_stream(const sdc_checker *ck, const char *name, sdc_byte_source *src, int depth,
                        sdc_budget *b, sdc_result_list *list, stream_role role)
{
    long slot = sdc_result_list_reserve(list);
    unsigned char *buf = slot >= 0 ? malloc(SDC_READ_CHUNK) : NULL;
    sdc_file_result self;
    sdc_pass p;
    if (!buf || sdc_pass_begin(&p, ck, name, &self) < 0) {
        free(buf);
        return -1;
    }
    p.keep_table = role.keep_table;
    p.keep_fixable = role.keep_fixable;
    p.text_as = role.text_as;
    bool eof = false;
    const char *read_error = NULL;
    ssize_t got = read_full(src, buf, SDC_READ_CHUNK, &eof);
    if (got < 0) {
        read_error = src->error ? src->error : "read error";
        got = 0;
        eof = true;
    }
    sdc_pass_feed(&p, buf, (size_t)got, eof);
    int rc = 0;
    if (self.file_class == SDC_CLASS_CONTAINER && !p.failed)
        rc = open_container(ck, &p, buf, (size_t)got, src, depth, b, list, role);
    else if (!eof)
        read_error = feed_rest(&p, src, buf);
    if (!p.failed && rc == 0) {
        sdc_walk w = walk_of(ck, role);
        rc = walk_inside(&w, &p, &self, depth, b, list);
    }
    if (read_error) {
        sdc_finding_at at = {.advice = "check the file (or the archive holding it) and try "
                                       "again"};
        sdc_findings_add(&self.findings, "malformed", SDC_REVIEW, &at,
                         "could not read to the end: %s (after %lld bytes)", read_error, self.size);
    }
    free(buf);
    if (sdc_pass_end(&p) < 0 || rc < 0) {
        sdc_file_result_free(&self);
        return -1;
    }
    list->items[slot] = self;
    return 0;
}

int sdc_check_source(const sdc_checker *ck, const char *name, sdc_byte_source *src, int depth,
                     sdc_budget *b, sdc_result_list *list)
{
    stream_role role = {0};
    return check_stream(ck, name, src, depth, b, list, role);
}

/* Keeps the first result (the file itself) in OUT and frees the members:
 * their worst findings are repeated on the container. */
static int first_result(int rc, sdc_result_list *list, sdc_file_result *out)
{
    if (rc < 0 || list->count == 0) {
        sdc_result_list_free(list);
        memset(out, 0, sizeof *out);
        return SDC_ENOMEM;
    }
    *out = list->items[0];
    for (size_t i = 1; i < list->count; i++)
        sdc_file_result_free(&list->items[i]);
    free(list->items);
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

static int check_file(const sdc_checker *ck, const char *path, const char *name,
                      sdc_result_list *list, stream_role role, int jobs)
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
        long slot = sdc_result_list_reserve(list);
        return slot < 0 ? -1 : sdc_result_unreadable(ck->policy, name, why, &list->items[slot]);
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    sdc_budget b = {.outer_size = st.st_size, .jobs = jobs};
    fd_source fs = {.fd = fd};
    sdc_byte_source src = {.read = fd_read, .ctx = &fs, .error = fs.error};
    int rc = check_stream(ck, name, &src, 0, &b, list, role);
    close(fd);
    return rc;
}

int sdc_check_file_into(const sdc_checker *ck, const char *path, const char *name,
                        sdc_result_list *list)
{
    return check_file(ck, path, name, list, (stream_role){0}, 1);
}

int sdc_check_file_jobs(const sdc_checker *ck, const char *path, const char *name, int jobs,
                        sdc_result_list *list)
{
    return check_file(ck, path, name, list, (stream_role){0}, jobs);
}

int sdc_check_file_fixable(const sdc_checker *ck, const char *path, sdc_result_list *list)
{
    return check_file(ck, path, path, list, (stream_role){.keep_fixable = true}, 1);
}

int sdc_check_file_table(const sdc_checker *ck, const char *path, sdc_file_result *out)
{
    sdc_result_list list = {0};
    int rc = check_file(ck, path, path, &list, (stream_role){.keep_table = true}, 1);
    return first_result(rc, &list, out);
}

int sdc_check_file(const sdc_checker *ck, const char *path, const char *display_path,
                   sdc_file_result *out)
{
    sdc_result_list list = {0};
    int rc = sdc_check_file_into(ck, path, display_path ? display_path : path, &list);
    return first_result(rc, &list, out);
}

int sdc_check_file_all(const sdc_checker *ck, const char *path, const char *display_path,
                       sdc_file_result **results, size_t *count)
{
    sdc_result_list list = {0};
    int rc = sdc_check_file_into(ck, path, display_path ? display_path : path, &list);
    if (rc < 0) {
        sdc_result_list_free(&list);
        *results = NULL;
        *count = 0;
        return SDC_ENOMEM;
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
    sdc_byte_source src = {.read = memory_read, .ctx = &m};
    sdc_budget b = {.outer_size = (long long)len};
    sdc_result_list list = {0};
    int rc = sdc_check_source(ck, name, &src, 0, &b, &list);
    return first_result(rc, &list, out);
}
