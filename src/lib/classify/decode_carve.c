/*
 * decode_carve.c - files of known kinds inside a stream, found by their
 * signatures at any offset.
 *
 * A pickle after a run of padding or a short header, a zip after a CSV, a
 * .npy in the middle of a log: the file's own classification looks at its
 * start only. Here every offset past the first is looked at for the
 * signature of a format that has one (the same magic numbers the
 * detectors use: pickle's PROTO opcode, zip's local header, gzip, NumPy,
 * HDF5, the compressed streams, SQLite, R's serialisations); each hit's
 * next 4 KiB are classified as a file would be, and the first that is a
 * file of a known kind is kept from there on (up to SDC_DECODE_KEEP) to be
 * walked as a member. In text, only signatures that text cannot hold (a
 * byte that is not a character there) are looked for.
 */
#include <stdlib.h>
#include <string.h>

#include "classify/decode_internal.h"

typedef struct signature {
    const char *magic;
    size_t len;
    bool binary_only; /* could be text: looked for in binary streams only */
} signature;

#define SIG(m, b)                                                                                  \
    {                                                                                              \
        m, sizeof(m) - 1, b                                                                        \
    }
static const signature signatures[] = {
    SIG("\x80\x02", false),
    SIG("\x80\x03", false),
    SIG("\x80\x04\x95", false),
    SIG("\x80\x05\x95", false),
    SIG("PK\x03\x04", false),
    SIG("\x1f\x8b\x08", false),
    SIG("\x93NUMPY", false),
    SIG("\x89HDF\r\n\x1a\n", false),
    SIG("\xfd"
        "7zXZ\0",
        false),
    SIG("\x28\xb5\x2f\xfd", false),
    SIG("7z\xbc\xaf\x27\x1c", false),
    SIG("\x89PNG\r\n\x1a\n", true),
    SIG("SQLite format 3\0", false),
    SIG("X\n\0\0\0\x02", false),
    SIG("X\n\0\0\0\x03", false),
    SIG("RDX2\n", true),
    SIG("RDX3\n", true),
    SIG("BZh", true),
    SIG("%PDF-", true),
    SIG("PAR1", true),
    SIG("GGUF", true),
    SIG("ARROW1", true),
};
#define SIG_MAX 16 /* the longest signature */

static bool hit(const carve_state *st, const unsigned char *p)
{
    static bool first[2][256];
    static bool ready;
    if (!ready) { /* built once: the same bits each time, so a race is harmless */
        for (size_t i = 0; i < sizeof signatures / sizeof *signatures; i++) {
            unsigned char c = (unsigned char)signatures[i].magic[0];
            first[1][c] = true;
            if (!signatures[i].binary_only)
                first[0][c] = true;
        }
        ready = true;
    }
    if (!first[st->binary][*p])
        return false;
    for (size_t i = 0; i < sizeof signatures / sizeof *signatures; i++)
        if ((st->binary || !signatures[i].binary_only) &&
            memcmp(p, signatures[i].magic, signatures[i].len) == 0)
            return true;
    return false;
}

/* The first pending hit whose head is a file of a known kind, decided
 * once it has DEC_HEAD bytes after it (or the stream ended). */
static void decide(carve_state *st, unsigned long long end, bool at_eof)
{
    size_t k = 0;
    while (k < st->npending && !st->active) {
        unsigned long long at = st->pending[k];
        if (!at_eof && end - at < DEC_HEAD)
            break;
        size_t i = (size_t)(at - st->win_at), n = (size_t)(end - at);
        if (n > DEC_HEAD)
            n = DEC_HEAD;
        sdc_classification what;
        if (dec_known(st->win + i, n, at_eof && end - at <= DEC_HEAD, DEC_TEXT_NO, &what) &&
            what.file_class != SDC_CLASS_TABLE && what.file_class != SDC_CLASS_DOCUMENT &&
            what.file_class != SDC_CLASS_CODE) {
            st->active = true;
            st->active_at = at;
            dec_out_reset(&st->out);
            st->out.mode = DEC_KEEP;
            st->out.what = what;
            for (size_t j = i; j < (size_t)(end - st->win_at); j++)
                dec_out_byte(&st->out, st->win[j]);
        }
        k++;
    }
    memmove(st->pending, st->pending + k, (st->npending - k) * sizeof *st->pending);
    st->npending -= k;
    if (st->active)
        st->npending = 0;
}

void dec_carve_feed(sdc_decode_scan *s, carve_state *st, const unsigned char *t, size_t n)
{
    if (st->off)
        return;
    if (!st->win && !(st->win = malloc(CARVE_WINDOW))) {
        s->failed = true;
        return;
    }
    while (n) {
        if (st->active) {
            for (size_t i = 0; i < n; i++)
                dec_out_byte(&st->out, t[i]);
            return;
        }
        if (st->win_len == CARVE_WINDOW) { /* keep the last half */
            size_t drop = CARVE_WINDOW / 2;
            memmove(st->win, st->win + drop, CARVE_WINDOW - drop);
            st->win_len -= drop;
            st->win_at += drop;
        }
        size_t room = CARVE_WINDOW - st->win_len, k = n < room ? n : room;
        size_t from = st->win_len;
        memcpy(st->win + st->win_len, t, k);
        st->win_len += k;
        t += k;
        n -= k;
        /* Hits whose signature is whole now; offset 0 is the file itself. */
        size_t start = from >= SIG_MAX ? from - SIG_MAX + 1 : 0;
        for (size_t i = start; i + SIG_MAX <= st->win_len; i++) {
            if (st->win_at + i == 0 || !hit(st, st->win + i))
                continue;
            if (st->npending < CARVE_PENDING &&
                (!st->npending || st->pending[st->npending - 1] < st->win_at + i))
                st->pending[st->npending++] = st->win_at + i;
        }
        decide(st, st->win_at + st->win_len, false);
        if (st->active && n) /* the rest of this piece belongs to it */
            continue;
    }
}

void dec_carve_finish(sdc_decode_scan *s, carve_state *st)
{
    if (st->off || !st->win)
        return;
    if (!st->active) {
        /* The last bytes, too short for the longest signature. */
        size_t start = st->win_len >= SIG_MAX ? st->win_len - SIG_MAX + 1 : 0;
        for (size_t i = start; i < st->win_len; i++) {
            size_t left = st->win_len - i;
            bool found = false;
            for (size_t k = 0; k < sizeof signatures / sizeof *signatures && !found; k++)
                found = (st->binary || !signatures[k].binary_only) && signatures[k].len <= left &&
                        memcmp(st->win + i, signatures[k].magic, signatures[k].len) == 0;
            if (found && st->win_at + i > 0 && st->npending < CARVE_PENDING &&
                (!st->npending || st->pending[st->npending - 1] < st->win_at + i))
                st->pending[st->npending++] = st->win_at + i;
        }
        decide(st, st->win_at + st->win_len, true);
    }
    if (st->active) {
        dec_meta m = {.encoding = "carved", .carved = true, .offset = st->active_at};
        dec_out_end(s, &st->out, &m, DEC_TEXT_NO);
        st->active = false;
    }
}

void dec_carve_free(carve_state *st)
{
    free(st->win);
    dec_out_free(&st->out);
}
