/*
 * detect_msgpack.c - MessagePack documents of records or arrays.
 *
 * Written from the MessagePack specification (msgpack/msgpack, spec.md,
 * "Formats"): every value starts with a byte that names its type and says
 * how long it is (fixint, fixmap, fixarray, fixstr in the byte itself;
 * nil, bool, bin/str/ext 8/16/32, float 32/64, int/uint 8-64, fixext,
 * array/map 16/32 with big-endian lengths after it; 0xC1 is never used).
 *
 * MessagePack has no magic number, and a byte stream that starts with a
 * fixint is a complete document of one byte, so it is claimed only when
 * the whole file is one well-formed map or array: the head is walked value
 * by value (nesting to 64 levels, strings valid UTF-8 as the spec asks)
 * and the top-level value must end exactly at the end of the file. There
 * must be enough of it to mean something (64 bytes and 8 values, with
 * strings, floats or nested containers among them), so small or ambiguous
 * bytes are left to the detectors after this one. A file longer than the
 * head is claimed when the head holds 256 well-formed values and the top
 * level has not closed. A document whose strings name model parts (Flax's
 * msgpack checkpoints: "params", "kernel", "bias") is a model.
 */
#include <string.h>

#include "classify/detect.h"

#define MSGPACK_DEPTH 64

typedef struct mp_walk {
    const unsigned char *p, *end;
    size_t values;  /* values read in whole */
    size_t signals; /* strings, floats and nested containers */
    bool cut;       /* the head ended inside the document */
    bool params;    /* a string "params" (Flax) */
    bool kernel;    /* "kernel" or "bias" */
    size_t open;    /* containers on the stack */
    unsigned long long remaining[MSGPACK_DEPTH];
} mp_walk;

static unsigned long long be(const unsigned char *p, size_t n)
{
    unsigned long long v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* The bytes that follow a UTF-8 lead byte, or -1 if it cannot lead. */
static int utf8_follow(unsigned char c)
{
    if (c < 0x80)
        return 0;
    if (c >= 0xC2 && c <= 0xDF)
        return 1;
    if (c >= 0xE0 && c <= 0xEF)
        return 2;
    if (c >= 0xF0 && c <= 0xF4)
        return 3;
    return -1;
}

/* RFC 3629 UTF-8: no overlongs, surrogates or values past U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        int k = utf8_follow(c);
        if (k < 0 || i + (size_t)k >= n)
            return false;
        for (int j = 1; j <= k; j++)
            if ((s[i + (size_t)j] & 0xC0) != 0x80)
                return false;
        if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
            (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
            return false;
        i += (size_t)k + 1;
    }
    return true;
}

/* Skips N payload bytes; a string's are checked. */
static bool payload(mp_walk *w, unsigned long long n, bool str)
{
    if (n > (unsigned long long)(w->end - w->p)) {
        w->cut = true;
        return false;
    }
    if (str) {
        if (!utf8_valid(w->p, (size_t)n))
            return false;
        w->params |= n == 6 && memcmp(w->p, "params", 6) == 0;
        w->kernel |=
            (n == 6 && memcmp(w->p, "kernel", 6) == 0) || (n == 4 && memcmp(w->p, "bias", 4) == 0);
        w->signals++;
    }
    w->p += n;
    return true;
}

/* Reads an N-byte big-endian length after the type byte. */
static bool length(mp_walk *w, size_t n, unsigned long long *v)
{
    if ((size_t)(w->end - w->p) < n) {
        w->cut = true;
        return false;
    }
    *v = be(w->p, n);
    w->p += n;
    return true;
}

/* Opens a container of N values (a map's pairs count twice): 1, or 0 when
 * it is empty and so already complete; -1 past the nesting limit. */
static int push(mp_walk *w, unsigned long long n)
{
    if (n == 0)
        return 0;
    if (w->open == MSGPACK_DEPTH)
        return -1;
    w->remaining[w->open++] = n;
    if (w->open > 1)
        w->signals++;
    return 1;
}

/* One value's type byte and payload: 0 when the value is complete, 1 when
 * it opened a container, -1 when it is not MessagePack or runs past the
 * head (W->cut). Containers are pushed, not walked. */
static int value(mp_walk *w)
{
    if (w->p == w->end) {
        w->cut = true;
        return -1;
    }
    unsigned char t = *w->p++;
    unsigned long long n;
    bool ok;
    if (t <= 0x7F || t >= 0xE0 || t == 0xC0 || t == 0xC2 || t == 0xC3)
        return 0;
    if (t <= 0x8F)
        return push(w, 2ULL * (t & 0x0F));
    if (t <= 0x9F)
        return push(w, t & 0x0F);
    if (t <= 0xBF)
        return payload(w, t & 0x1F, true) ? 0 : -1;
    switch (t) {
    case 0xC4: ok = length(w, 1, &n) && payload(w, n, false); break;
    case 0xC5: ok = length(w, 2, &n) && payload(w, n, false); break;
    case 0xC6: ok = length(w, 4, &n) && payload(w, n, false); break;
    case 0xC7: ok = length(w, 1, &n) && payload(w, n + 1, false); break;
    case 0xC8: ok = length(w, 2, &n) && payload(w, n + 1, false); break;
    case 0xC9: ok = length(w, 4, &n) && payload(w, n + 1, false); break;
    case 0xCA:
    case 0xCB:
        w->signals++;
        ok = payload(w, t == 0xCA ? 4 : 8, false);
        break;
    case 0xCC:
    case 0xD0: ok = payload(w, 1, false); break;
    case 0xCD:
    case 0xD1: ok = payload(w, 2, false); break;
    case 0xCE:
    case 0xD2: ok = payload(w, 4, false); break;
    case 0xCF:
    case 0xD3: ok = payload(w, 8, false); break;
    case 0xD4: ok = payload(w, 2, false); break; /* fixext: type and 1-16 bytes */
    case 0xD5: ok = payload(w, 3, false); break;
    case 0xD6: ok = payload(w, 5, false); break;
    case 0xD7: ok = payload(w, 9, false); break;
    case 0xD8: ok = payload(w, 17, false); break;
    case 0xD9: ok = length(w, 1, &n) && payload(w, n, true); break;
    case 0xDA: ok = length(w, 2, &n) && payload(w, n, true); break;
    case 0xDB: ok = length(w, 4, &n) && payload(w, n, true); break;
    case 0xDC: return length(w, 2, &n) ? push(w, n) : -1;
    case 0xDD: return length(w, 4, &n) ? push(w, n) : -1;
    case 0xDE: return length(w, 2, &n) ? push(w, 2 * n) : -1;
    case 0xDF: return length(w, 4, &n) ? push(w, 2 * n) : -1;
    default: ok = false; /* 0xC1, never used */
    }
    return ok ? 0 : -1;
}

/* Walks values until the top level closes, the bytes stop being
 * MessagePack or the head ends; true when the top level closed. */
static bool walk(mp_walk *w)
{
    for (;;) {
        int r = value(w);
        if (r < 0)
            return false;
        w->values++;
        if (r == 1)
            continue;
        /* a complete value completes its parent's count, maybe the parent */
        while (w->open > 0 && --w->remaining[w->open - 1] == 0)
            w->open--;
        if (w->open == 0)
            return true;
    }
}

static bool detect(const unsigned char *h, size_t len, bool at_eof, const char *name,
                   sdc_classification *out)
{
    (void)name;
    if (len < 64)
        return false;
    bool container = (h[0] >= 0x80 && h[0] <= 0x9F) || (h[0] >= 0xDC && h[0] <= 0xDF);
    if (!container)
        return false;
    mp_walk w = {.p = h, .end = h + len};
    bool closed = walk(&w);
    if (closed) {
        /* the whole file, not a document with something after it */
        if (!at_eof || w.p != w.end || w.values < 8 || w.signals < 2)
            return false;
    } else if (at_eof || !w.cut || w.values < 256 || w.signals < 2) {
        return false;
    }
    out->file_class = w.params && w.kernel ? SDC_CLASS_MODEL : SDC_CLASS_DATA;
    out->format = w.params && w.kernel ? "msgpack-model" : "msgpack";
    return true;
}

const sdc_detector sdc_detector_msgpack = {"msgpack", detect};
