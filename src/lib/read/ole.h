/*
 * ole.h - the streams of an OLE compound file (private to the library).
 */
#ifndef SDC_READ_OLE_H
#define SDC_READ_OLE_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of one stream read at most; a longer stream is cut (CUT set). */
#define SDC_OLE_STREAM_MAX (64u << 20)
/* Streams and storages visited at most in one file. */
#define SDC_OLE_ENTRIES_MAX 4096

/* Called for each stream: PATH is its storages and name joined by '/',
 * control characters written as \xNN ("\x01Ole10Native"). Returns 0 to go
 * on, -1 to stop (out of memory). */
typedef int (*sdc_ole_stream_fn)(void *ctx, const char *path, const unsigned char *bytes,
                                 size_t len, bool cut);

/* Walks the compound file (Microsoft [MS-CFB]) in BYTES[0..len) with
 * libgsf, depth first, calling FN for every stream. Returns 0; 1 when it
 * cannot be opened, has more than SDC_OLE_ENTRIES_MAX entries, or libgsf
 * warned that it is damaged (its streams are still walked first; WHY, of
 * WHY_SIZE, says which); -1 when FN stopped it. libgsf's warnings never
 * reach standard error. */
int sdc_ole_walk(const unsigned char *bytes, size_t len, sdc_ole_stream_fn fn, void *ctx, char *why,
                 size_t why_size);

/* An OLE Package's native data (the "\x01Ole10Native" stream Office writes
 * for a file embedded as an object): the file's name and where its bytes
 * are in the stream. False when the stream is not laid out so. */
bool sdc_ole10native(const unsigned char *s, size_t len, char *name, size_t name_size, size_t *off,
                     size_t *size);

#endif
