/*
 * ole.c - the streams of an OLE compound file ([MS-CFB]: legacy .doc,
 * .xls and .ppt files, the oleObject parts Office embeds), read with
 * libgsf's MS-OLE reader, which follows each stream's sector chain (or
 * the mini stream's) wherever its sectors lie.
 *
 * An object embedded from a file ("Package") keeps the file in a stream
 * named "\x01Ole10Native" (no published specification; the layout oletools'
 * oleobj.py reads, and what Office writes): a 32-bit total size, a 16-bit
 * flag, the file's name and its source path as NUL-terminated strings, a
 * 32-bit value, a 32-bit length and that many bytes of temporary path,
 * then a 32-bit data size and the file's bytes.
 */
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-utils.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "read/ole.h"

/* libgsf says what is wrong with a damaged compound file through
 * g_warning ("This OLE2 file is invalid", "Root directory is not marked as
 * such") and reads on. Those messages belong in the file's findings, not on
 * sdccheck's standard error: while a walk runs, its thread keeps the
 * first one, and the walk reports the file damaged after its streams. */
static _Thread_local char *gsf_said;
static _Thread_local size_t gsf_said_size;

static void on_gsf_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
                       gpointer data)
{
    (void)domain;
    (void)level;
    (void)data;
    if (!gsf_said || gsf_said[0] || !message)
        return;
    /* its first line, control characters made spaces */
    size_t i = 0;
    for (; message[i] && message[i] != '\n' && i + 1 < gsf_said_size; i++)
        gsf_said[i] = (unsigned char)message[i] < 0x20 ? ' ' : message[i];
    gsf_said[i] = '\0';
}

/*
 * Once per process, before any walk: the log handlers, and libgsf's types
 * registered. libgsf registers a class on its first use without a lock
 * (its GSF_CLASS macro, unlike GLib's G_DEFINE_TYPE), so two threads
 * opening their first compound files at once could both register
 * GsfInput: GLib refused the second ("cannot register existing type")
 * and gsf_input_memory_new crashed (found with AddressSanitizer by
 * tests/test_corpus.c, the model artefacts checked in one run on the
 * pool's threads). Here each class the walk uses, and with it each
 * parent class, is made once, on one thread.
 */
static void install_gsf_log(void)
{
    GLogLevelFlags levels =
        G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_CRITICAL;
    g_log_set_handler("libgsf:msole", levels, on_gsf_log, NULL);
    g_log_set_handler("libgsf", levels, on_gsf_log, NULL);
    gsf_init();
    g_type_class_unref(g_type_class_ref(GSF_INPUT_MEMORY_TYPE));
    g_type_class_unref(g_type_class_ref(GSF_INFILE_MSOLE_TYPE));
}

typedef struct ole_walk {
    sdc_ole_stream_fn fn;
    void *ctx;
    size_t entries;
    bool too_many;
} ole_walk;

/* NAME with control characters written as \xNN, after PREFIX and '/'. */
static void join(char *out, size_t size, const char *prefix, const char *name)
{
    size_t n = (size_t)snprintf(out, size, "%s%s", prefix, *prefix ? "/" : "");
    for (const unsigned char *p = (const unsigned char *)name; *p && n + 5 < size; p++) {
        if (*p < 0x20 || *p == 0x7f)
            n += (size_t)snprintf(out + n, size - n, "\\x%02X", *p);
        else
            out[n++] = (char)*p;
    }
    out[n < size ? n : size - 1] = '\0';
}

static int walk_dir(ole_walk *o, GsfInfile *dir, const char *prefix, int depth)
{
    int n = gsf_infile_num_children(dir);
    for (int i = 0; i < n; i++) {
        if (++o->entries > SDC_OLE_ENTRIES_MAX || depth > 64) {
            o->too_many = true;
            return 0;
        }
        GsfInput *child = gsf_infile_child_by_index(dir, i);
        if (!child)
            continue;
        const char *name = gsf_input_name(child);
        char path[1024];
        join(path, sizeof path, prefix, name ? name : "(unnamed)");
        int rc = 0;
        if (GSF_IS_INFILE(child) && gsf_infile_num_children(GSF_INFILE(child)) >= 0) {
            rc = walk_dir(o, GSF_INFILE(child), path, depth + 1);
        } else {
            gsf_off_t size = gsf_input_size(child);
            size_t want = size < 0 ? 0 : (size_t)size;
            bool cut = want > SDC_OLE_STREAM_MAX;
            if (cut)
                want = SDC_OLE_STREAM_MAX;
            unsigned char *buf = malloc(want ? want : 1);
            if (!buf) {
                rc = -1;
            } else {
                /* A chain that ends early reads short: what was read is walked. */
                size_t got = 0;
                while (got < want) {
                    size_t step = want - got < 65536 ? want - got : 65536;
                    if (!gsf_input_read(child, step, buf + got))
                        break;
                    got += step;
                }
                rc = o->fn(o->ctx, path, buf, got, cut || got < want);
                free(buf);
            }
        }
        g_object_unref(child);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int sdc_ole_walk(const unsigned char *bytes, size_t len, sdc_ole_stream_fn fn, void *ctx, char *why,
                 size_t why_size)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_gsf_log);
    GsfInput *in = gsf_input_memory_new(bytes, (gsf_off_t)len, FALSE);
    if (!in) {
        snprintf(why, why_size, "cannot be read");
        return 1;
    }
    char said[160] = "";
    gsf_said = said;
    gsf_said_size = sizeof said;
    GError *err = NULL;
    GsfInfile *ole = gsf_infile_msole_new(in, &err);
    if (!ole) {
        gsf_said = NULL;
        snprintf(why, why_size, "not a compound file libgsf can open (%s)",
                 err && err->message ? err->message : "damaged");
        if (err)
            g_error_free(err);
        g_object_unref(in);
        return 1;
    }
    ole_walk o = {.fn = fn, .ctx = ctx};
    int rc = walk_dir(&o, ole, "", 0);
    g_object_unref(ole);
    g_object_unref(in);
    gsf_said = NULL;
    if (rc < 0)
        return -1;
    if (said[0]) {
        snprintf(why, why_size, "damaged: libgsf read it with a warning (%s)", said);
        return 1;
    }
    if (o.too_many) {
        snprintf(why, why_size, "more than %d streams and storages, or nested more than 64 deep",
                 SDC_OLE_ENTRIES_MAX);
        return 1;
    }
    return 0;
}

static bool u32_at(const unsigned char *s, size_t len, size_t at, size_t *v)
{
    if (at + 4 > len)
        return false;
    *v = (size_t)sdc_le32(s + at);
    return true;
}

static bool cstring_at(const unsigned char *s, size_t len, size_t *at)
{
    const unsigned char *nul = memchr(s + *at, 0, len - *at);
    if (!nul)
        return false;
    *at = (size_t)(nul - s) + 1;
    return true;
}

bool sdc_ole10native(const unsigned char *s, size_t len, char *name, size_t name_size, size_t *off,
                     size_t *size)
{
    size_t total, skip, data, at = 6; /* total size, then a 16-bit flag */
    if (!u32_at(s, len, 0, &total) || at > len || total > len - 4)
        return false;
    size_t name_at = at;
    if (!cstring_at(s, len, &at) || !cstring_at(s, len, &at) || !u32_at(s, len, at, &skip) ||
        !u32_at(s, len, at + 4, &skip))
        return false;
    at += 8;
    if (skip > len - at)
        return false;
    at += skip;
    if (!u32_at(s, len, at, &data))
        return false;
    at += 4;
    if (data > len - at)
        return false;
    snprintf(name, name_size, "%s", (const char *)s + name_at);
    *off = at;
    *size = data;
    return true;
}
