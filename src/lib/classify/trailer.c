/*
 * trailer.c - finding the end of PDF and zip files in a stream (images are
 * walked whole: image.c).
 *
 * PDF (ISO 32000-1 7.5.5): the file ends with %%EOF; incremental
 * updates append more, so the last one counts, and an end-of-line after it
 * is allowed. Zip (APPNOTE 4.3.16): the end-of-central-directory record,
 * PK 05 06, 22 bytes plus a comment whose length is its last field.
 * 7z (7-Zip's DOC/7zFormat.txt, SignatureHeader): 6 signature bytes, 2 of
 * version, a CRC, then NextHeaderOffset and NextHeaderSize (UINT64, little
 * endian, counted from the end of this 32-byte header): the archive ends
 * at 32 + NextHeaderOffset + NextHeaderSize.
 * Each walk keeps a few bytes of state, so chunks may split anything.
 */
#include <string.h>

#include "classify/trailer.h"
#include "core/bytes.h"

void sdc_trailer_init(sdc_trailer *t, const char *format)
{
    memset(t, 0, sizeof *t);
    t->zip_entries = -1;
    if (!format)
        return;
    if (strcmp(format, "pdf") == 0)
        t->kind = SDC_TRAILER_PDF;
    else if (strcmp(format, "zip") == 0)
        t->kind = SDC_TRAILER_ZIP;
    else if (strcmp(format, "7z") == 0)
        t->kind = SDC_TRAILER_7Z;
}

const char *sdc_trailer_marker(const sdc_trailer *t)
{
    switch (t->kind) {
    case SDC_TRAILER_PDF: return "PDF's last %%EOF";
    case SDC_TRAILER_ZIP: return "zip's end-of-central-directory record";
    case SDC_TRAILER_7Z: return "7z archive's end (where its signature header puts it)";
    default: return "end";
    }
}

/* PDF and zip: slide a window over the bytes, remember the last marker,
 * and capture what follows it (restarting the capture at each marker). */
static void window_feed(sdc_trailer *t, const unsigned char *b, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned long long at = t->pos + i;
        if (t->win_len == sizeof t->win) {
            memmove(t->win, t->win + 1, sizeof t->win - 1);
            t->win_len--;
        }
        t->win[t->win_len++] = b[i];
        if (t->end && at >= t->end && t->captured < SDC_TRAILER_CAPTURE)
            t->capture[t->captured++] = b[i];
        if (t->kind == SDC_TRAILER_PDF && t->win_len >= 5 &&
            memcmp(t->win + t->win_len - 5, "%%EOF", 5) == 0) {
            t->end = at + 1;
            t->captured = 0;
        } else if (t->kind == SDC_TRAILER_ZIP && t->win_len == 22 &&
                   memcmp(t->win, "PK\x05\x06", 4) == 0) {
            unsigned comment = (unsigned)t->win[20] | (unsigned)t->win[21] << 8;
            unsigned entries = (unsigned)t->win[10] | (unsigned)t->win[11] << 8;
            t->zip_entries = entries == 0xFFFF ? -1 : (long)entries; /* 0xFFFF: zip64 */
            t->end = at + 1 + comment;
            t->captured = 0;
        }
    }
}

/* 7z: the end is known from the first 32 bytes; capture what follows it. */
static void sevenz_feed(sdc_trailer *t, const unsigned char *b, size_t len)
{
    static const unsigned char sig[6] = {'7', 'z', 0xBC, 0xAF, 0x27, 0x1C};
    size_t i = 0;
    if (t->head_len < sizeof t->head) {
        i = len < sizeof t->head - t->head_len ? len : sizeof t->head - t->head_len;
        memcpy(t->head + t->head_len, b, i);
        t->head_len += i;
        if (t->head_len == sizeof t->head && memcmp(t->head, sig, sizeof sig) == 0) {
            unsigned long long off = sdc_le64(t->head + 12), size = sdc_le64(t->head + 20);
            if (off <= (1ULL << 62) && size <= (1ULL << 62))
                t->end = 32 + off + size;
        }
    }
    unsigned long long at = t->pos + i;
    if (!t->end || t->end >= at + (len - i))
        return; /* not a 7z, or its end is not in this piece */
    if (at < t->end)
        i += (size_t)(t->end - at);
    size_t n =
        len - i < SDC_TRAILER_CAPTURE - t->captured ? len - i : SDC_TRAILER_CAPTURE - t->captured;
    memcpy(t->capture + t->captured, b + i, n);
    t->captured += n;
}

void sdc_trailer_feed(sdc_trailer *t, const unsigned char *b, size_t len)
{
    switch (t->kind) {
    case SDC_TRAILER_PDF:
    case SDC_TRAILER_ZIP: window_feed(t, b, len); break;
    case SDC_TRAILER_7Z: sevenz_feed(t, b, len); break;
    default: break;
    }
    t->pos += len;
}

unsigned long long sdc_trailer_appended(const sdc_trailer *t)
{
    if (t->kind == SDC_TRAILER_NONE || t->end == 0 || t->pos <= t->end)
        return 0;
    unsigned long long n = t->pos - t->end;
    /* Padding carries nothing: a line end after a PDF's %%EOF, the NUL byte
     * Office writes after a thumbnail's EOI. Only when all of it was seen. */
    size_t blank = 0;
    while (blank < t->captured &&
           (t->capture[blank] == '\r' || t->capture[blank] == '\n' || t->capture[blank] == ' ' ||
            t->capture[blank] == '\t' || t->capture[blank] == '\0'))
        blank++;
    if (blank == n)
        return 0;
    return n;
}
