/*
 * trailer.c - finding the end of PNG, JPEG, PDF and zip files in a stream.
 *
 * PNG (RFC 2083 / ISO 15948): 8-byte signature, then chunks of u32 length,
 * 4-byte type, data, u32 CRC; IEND is last. JPEG (ITU T.81 annex B):
 * markers FF xx, segments with u16 lengths, entropy-coded data after SOS in
 * which FF is stuffed as FF 00 and RSTn may appear; EOI (FF D9) ends the
 * image. PDF (ISO 32000-1 7.5.5): the file ends with %%EOF; incremental
 * updates append more, so the last one counts, and an end-of-line after it
 * is allowed. Zip (APPNOTE 4.3.16): the end-of-central-directory record,
 * PK 05 06, 22 bytes plus a comment whose length is its last field.
 * Each walk keeps a few bytes of state, so chunks may split anything.
 */
#include <string.h>

#include "classify/trailer.h"

void sdc_trailer_init(sdc_trailer *t, const char *format)
{
    memset(t, 0, sizeof *t);
    t->zip_entries = -1;
    if (!format)
        return;
    if (strcmp(format, "png") == 0)
        t->kind = SDC_TRAILER_PNG;
    else if (strcmp(format, "jpeg") == 0)
        t->kind = SDC_TRAILER_JPEG;
    else if (strcmp(format, "pdf") == 0)
        t->kind = SDC_TRAILER_PDF;
    else if (strcmp(format, "zip") == 0)
        t->kind = SDC_TRAILER_ZIP;
}

const char *sdc_trailer_marker(const sdc_trailer *t)
{
    switch (t->kind) {
    case SDC_TRAILER_PNG: return "PNG's IEND chunk";
    case SDC_TRAILER_JPEG: return "JPEG's end-of-image marker";
    case SDC_TRAILER_PDF: return "PDF's last %%EOF";
    case SDC_TRAILER_ZIP: return "zip's end-of-central-directory record";
    default: return "end";
    }
}

static void capture(sdc_trailer *t, const unsigned char *b, size_t len)
{
    size_t room = SDC_TRAILER_CAPTURE - t->captured;
    size_t n = len < room ? len : room;
    memcpy(t->capture + t->captured, b, n);
    t->captured += n;
}

static void png_feed(sdc_trailer *t, const unsigned char *b, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (t->ended) {
            capture(t, b + i, len - i);
            return;
        }
        if (t->pos + i < 8) { /* signature */
            size_t n = (size_t)(8 - (t->pos + i));
            i += n < len - i ? n : len - i;
            continue;
        }
        if (t->skip) {
            unsigned long long n = len - i < t->skip ? len - i : t->skip;
            t->skip -= n;
            i += (size_t)n;
            if (t->skip == 0 && t->iend) {
                t->ended = true;
                t->end = t->pos + i;
            }
            continue;
        }
        t->hdr[t->hdr_len++] = b[i++];
        if (t->hdr_len == 8) {
            unsigned long long clen =
                (unsigned long long)t->hdr[0] << 24 | t->hdr[1] << 16 | t->hdr[2] << 8 | t->hdr[3];
            t->iend = memcmp(t->hdr + 4, "IEND", 4) == 0;
            t->skip = clen + 4;
            t->hdr_len = 0;
        }
    }
}

/* JPEG walk states. */
enum { J_MARKER = 0, J_FF, J_LEN1, J_LEN2, J_SKIP, J_ENTROPY, J_ENTROPY_FF };

static void jpeg_feed(sdc_trailer *t, const unsigned char *b, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = b[i];
        if (t->ended) {
            capture(t, b + i, len - i);
            return;
        }
        switch (t->jstate) {
        case J_MARKER:
            if (c == 0xFF)
                t->jstate = J_FF;
            break;
        case J_FF:
            if (c == 0xFF)
                break; /* fill bytes */
            if (c == 0xD8 || (c >= 0xD0 && c <= 0xD7) || c == 0x01) {
                t->jstate = J_MARKER; /* SOI, RSTn, TEM: no length */
            } else if (c == 0xD9) {
                t->ended = true;
                t->end = t->pos + i + 1;
            } else {
                t->iend = c == 0xDA; /* SOS: entropy data follows the header */
                t->jstate = J_LEN1;
            }
            break;
        case J_LEN1:
            t->seglen = (unsigned)c << 8;
            t->jstate = J_LEN2;
            break;
        case J_LEN2:
            t->seglen |= c;
            t->skip = t->seglen >= 2 ? t->seglen - 2 : 0;
            t->jstate = t->skip ? J_SKIP : (t->iend ? J_ENTROPY : J_MARKER);
            break;
        case J_SKIP: {
            size_t n = len - i < t->skip ? len - i : (size_t)t->skip;
            t->skip -= n;
            i += n - 1;
            if (t->skip == 0)
                t->jstate = t->iend ? J_ENTROPY : J_MARKER;
            break;
        }
        case J_ENTROPY:
            if (c == 0xFF)
                t->jstate = J_ENTROPY_FF;
            break;
        case J_ENTROPY_FF:
            if (c == 0x00 || (c >= 0xD0 && c <= 0xD7))
                t->jstate = J_ENTROPY;
            else if (c == 0xFF)
                break;
            else if (c == 0xD9) {
                t->ended = true;
                t->end = t->pos + i + 1;
            } else {
                t->iend = c == 0xDA;
                t->jstate = J_LEN1;
            }
            break;
        }
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

void sdc_trailer_feed(sdc_trailer *t, const unsigned char *b, size_t len)
{
    switch (t->kind) {
    case SDC_TRAILER_PNG: png_feed(t, b, len); break;
    case SDC_TRAILER_JPEG: jpeg_feed(t, b, len); break;
    case SDC_TRAILER_PDF:
    case SDC_TRAILER_ZIP: window_feed(t, b, len); break;
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
