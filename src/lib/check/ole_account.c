/*
 * ole_account.c - the streams of an OLE compound file walked as members
 * (doc/design.md, "Files inside files"). A legacy Office file or an object
 * Office embedded (word/embeddings/oleObject1.bin) is a file system of its
 * own; each stream is walked like an archive member, wherever its sectors
 * lie, and a file embedded as a Package is walked as the file it is.
 */
#include <string.h>

#include "check/member.h"
#include "check/ole_account.h"
#include "read/ole.h"

typedef struct ole_ctx {
    const sdc_walk *w;
    sdc_file_result *self;
    int depth;
    sdc_budget *b;
    sdc_result_list *list;
} ole_ctx;

static int on_stream(void *ctx, const char *path, const unsigned char *bytes, size_t len, bool cut)
{
    ole_ctx *o = ctx;
    if (o->b->exceeded)
        return 0;
    char name[1100], what[1200];
    if (cut)
        sdc_container_finding(o->self, "needs-review", SDC_REVIEW,
                              "submit the files themselves, not inside a compound file",
                              "the stream '%s' is not read whole (longer than %u MiB, or its "
                              "sectors end early)",
                              path, SDC_OLE_STREAM_MAX >> 20);
    size_t n = strlen(path), k = strlen("\\x01Ole10Native");
    char file[256];
    size_t off, size;
    if (n >= k && strcmp(path + n - k, "\\x01Ole10Native") == 0 &&
        sdc_ole10native(bytes, len, file, sizeof file, &off, &size)) {
        snprintf(name, sizeof name, "package:%s", *file ? file : "(unnamed)");
        snprintf(what, sizeof what, "the embedded file '%s'", file);
        return sdc_walk_nested(o->w, o->self, name, what, NULL, bytes + off, size, o->depth, o->b,
                               o->list);
    }
    snprintf(name, sizeof name, "stream:%s", path);
    snprintf(what, sizeof what, "the stream '%s'", path);
    return sdc_walk_nested(o->w, o->self, name, what, NULL, bytes, len, o->depth, o->b, o->list);
}

int sdc_ole_account(const sdc_walk *w, sdc_file_result *self, const unsigned char *bytes,
                    size_t len, int depth, sdc_budget *b, sdc_result_list *list)
{
    ole_ctx o = {w, self, depth, b, list};
    char why[256];
    int rc = sdc_ole_walk(bytes, len, on_stream, &o, why, sizeof why);
    if (rc < 0)
        return -1;
    if (rc > 0)
        sdc_container_finding(self, "malformed", SDC_REVIEW,
                              "save the file again from its application, or submit what it holds",
                              "compound file: %s", why);
    return 0;
}
