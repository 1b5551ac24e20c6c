/*
 * magic.c - libmagic, asked last, for binaries every content detector
 * declined (doc/design.md, "File classes").
 *
 * It is asked last on purpose: libmagic calls a pickle "XENIX 8086
 * relocatable", so the model detectors must have had their say first.
 * MIME types map to classes; anything else stays unknown (review), named by
 * its type. A libmagic handle is not thread-safe, so one handle is shared
 * behind a mutex and loaded on first use.
 */
#include <magic.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/magic.h"

struct sdc_magic {
    magic_t handle;
    bool tried;
    pthread_mutex_t lock; /* guards both */
};

sdc_magic *sdc_magic_new(void)
{
    sdc_magic *m = calloc(1, sizeof *m);
    if (m)
        pthread_mutex_init(&m->lock, NULL);
    return m;
}

void sdc_magic_free(sdc_magic *m)
{
    if (!m)
        return;
    if (m->handle)
        magic_close(m->handle);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

/* libmagic's MIME type for HEAD into TYPE ("" when it has none). */
static void mime_type(sdc_magic *m, const unsigned char *head, size_t len, char *type, size_t size)
{
    pthread_mutex_lock(&m->lock);
    if (!m->tried) {
        /* Without its database libmagic names nothing: files stay
         * "unknown", which is review, so checking still fails closed. */
        m->tried = true;
        m->handle = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
        if (m->handle && magic_load(m->handle, NULL) != 0) {
            magic_close(m->handle);
            m->handle = NULL;
        }
    }
    const char *mime = m->handle ? magic_buffer(m->handle, head, len) : NULL;
    type[0] = 0;
    if (mime)
        snprintf(type, size, "%s", mime);
    pthread_mutex_unlock(&m->lock);
}

void sdc_magic_classify(sdc_magic *m, const unsigned char *head, size_t len, sdc_classification *c)
{
    static const struct {
        const char *prefix;
        sdc_file_class cls;
        const char *format;
    } map[] = {
        {"image/", SDC_CLASS_IMAGE, NULL},
        {"application/pdf", SDC_CLASS_IMAGE, "pdf"},
        {"application/msword", SDC_CLASS_DOCUMENT, "ms-word"},
        {"application/vnd.ms-excel", SDC_CLASS_DOCUMENT, "ms-excel"},
        {"application/vnd.ms-powerpoint", SDC_CLASS_DOCUMENT, "ms-powerpoint"},
        {"application/vnd.ms-office", SDC_CLASS_DOCUMENT, "ms-office"},
        {"application/CDFV2", SDC_CLASS_DOCUMENT, "ole-compound"},
        {"application/x-ole-storage", SDC_CLASS_DOCUMENT, "ole-compound"},
        {"application/rtf", SDC_CLASS_DOCUMENT, "rtf"},
        {"application/x-sqlite3", SDC_CLASS_DATA, "sqlite"},
        {"application/x-hdf5", SDC_CLASS_DATA, "hdf5"},
        {"application/x-hdf", SDC_CLASS_DATA, "hdf"},
    };
    if (len == 0)
        return;
    char type[128];
    mime_type(m, head, len, type, sizeof type);
    if (!type[0] || strcmp(type, "application/octet-stream") == 0)
        return;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strncmp(type, map[i].prefix, strlen(map[i].prefix)) != 0)
            continue;
        c->file_class = map[i].cls;
        if (map[i].format)
            c->format = map[i].format;
        else if (strcmp(type, "image/bmp") == 0 || strcmp(type, "image/x-ms-bmp") == 0)
            c->format = "bmp";
        else if (strcmp(type, "image/webp") == 0)
            c->format = "webp";
        else
            c->format = "image";
        return;
    }
    /* Named, still unknown: an executable, audio, video... */
    static const struct {
        const char *mime, *format;
    } named[] = {
        {"application/x-executable", "executable"},
        {"application/x-pie-executable", "executable"},
        {"application/x-sharedlib", "shared-library"},
        {"application/x-dosexec", "windows-executable"},
        {"application/x-mach-binary", "executable"},
        {"audio/", "audio"},
        {"video/", "video"},
        {"font/", "font"},
        {"application/x-java-applet", "java-class"},
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strncmp(type, named[i].mime, strlen(named[i].mime)) == 0) {
            c->format = named[i].format;
            return;
        }
}
