/*
 * tar_account.c - a tar's pax header values walked (see tar_account.h).
 *
 * The header layout is POSIX ustar's (pax, "ustar Interchange Format"):
 * 512-byte blocks; a header's size field is octal at byte 124 (or GNU's
 * base-256 when its first byte has the high bit), its type flag at 156;
 * the data follows in whole blocks. Types 'x' and 'g' are pax headers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "check/tar_account.h"
#include "classify/classify.h"

typedef struct pax_value {
    char name[160]; /* "(pax comment of 'a.csv')" */
    char key[64];
    bool named; /* the entry's name is known */
    unsigned char *data;
    size_t len;
} pax_value;

struct sdc_tar_scan {
    unsigned char block[512];
    size_t got;              /* bytes of the current header block */
    unsigned long long skip; /* data bytes (whole blocks) still to pass */
    unsigned long long data; /* of which the entry's own data, before its padding */
    char entry[101];         /* the entry's name, for its padding */
    unsigned char pad[512];  /* the padding after its data */
    size_t pad_len;
    bool pad_dirty;     /* not all zeros */
    bool in_pax;        /* the data being passed is a pax header */
    bool global;        /* a 'g' header */
    unsigned char *pax; /* its bytes, up to SDC_TAR_PAX_MAX */
    size_t pax_len;
    unsigned long long pax_size; /* its size */
    bool stopped;                /* the end blocks, or a header that is not one */
    bool ended;                  /* stopped at a zero block: the end of the archive */
    unsigned long long after;    /* bytes after that block */
    bool nonzero;                /* some of them are not zeros */
    unsigned char tail[4096];    /* what follows, from the first byte that is not zero */
    size_t tail_len;
    size_t unread;  /* pax headers too large to read */
    size_t dropped; /* values not kept */
    size_t kept;
    size_t unnamed; /* values from here wait for their entry's header */
    pax_value *values;
    size_t nvalues, cap;
    bool failed;
};

sdc_tar_scan *sdc_tar_scan_new(void)
{
    return calloc(1, sizeof(sdc_tar_scan));
}

void sdc_tar_scan_free(sdc_tar_scan *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nvalues; i++)
        free(t->values[i].data);
    free(t->values);
    free(t->pax);
    free(t);
}

/* Keys whose values are names, numbers or times (pax's own keys, GNU's
 * sparse map, star's and libarchive's file attributes): explained. */
static bool explained_key(const char *k, size_t n)
{
    static const char *const keys[] = {"atime",
                                       "ctime",
                                       "mtime",
                                       "charset",
                                       "gid",
                                       "gname",
                                       "hdrcharset",
                                       "linkpath",
                                       "path",
                                       "size",
                                       "uid",
                                       "uname",
                                       "SCHILY.dev",
                                       "SCHILY.ino",
                                       "SCHILY.nlink",
                                       "SCHILY.filetype",
                                       "SCHILY.fflags",
                                       "LIBARCHIVE.creationtime",
                                       "LIBARCHIVE.symlinktype"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (n == strlen(keys[i]) && memcmp(k, keys[i], n) == 0)
            return true;
    return n > 11 && memcmp(k, "GNU.sparse.", 11) == 0;
}

/* Keeps VLEN bytes at V to walk as the member NAME. */
static pax_value *keep_bytes(sdc_tar_scan *t, const unsigned char *v, size_t vlen)
{
    if (!vlen)
        return NULL;
    if (t->nvalues >= 64 || t->kept + vlen > SDC_TAR_VALUES_MAX) {
        t->dropped++;
        return NULL;
    }
    if (SDC_VEC_RESERVE(t->values, t->cap, t->nvalues + 1) < 0) {
        t->failed = true;
        return NULL;
    }
    pax_value *p = &t->values[t->nvalues];
    memset(p, 0, sizeof *p);
    if (!(p->data = malloc(vlen))) {
        t->failed = true;
        return NULL;
    }
    memcpy(p->data, v, vlen);
    p->len = vlen;
    t->kept += vlen;
    t->nvalues++;
    return p;
}

static void keep(sdc_tar_scan *t, const char *key, size_t klen, const char *path, size_t plen,
                 const unsigned char *v, size_t vlen)
{
    pax_value *p = keep_bytes(t, v, vlen);
    if (!p)
        return;
    snprintf(p->key, sizeof p->key, "%.*s", (int)(klen > 60 ? 60 : klen), key);
    p->named = t->global || plen;
    if (t->global)
        snprintf(p->name, sizeof p->name, "(pax global %s)", p->key);
    else /* without a path key, the entry's own header names it */
        snprintf(p->name, sizeof p->name, "(pax %s of '%.*s')", p->key,
                 (int)(plen > 80 ? 80 : plen), path);
}

/* The records "LENGTH KEY=VALUE\n" of the pax header just read. */
static void pax_records(sdc_tar_scan *t)
{
    const unsigned char *p = t->pax, *end = t->pax + t->pax_len;
    /* The entry's path names what is kept: find it first. */
    const char *path = "";
    size_t plen = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (const unsigned char *r = p; r < end;) {
            size_t len = 0;
            const unsigned char *q = r;
            while (q < end && *q >= '0' && *q <= '9' && len < SDC_TAR_PAX_MAX)
                len = len * 10 + (size_t)(*q++ - '0');
            if (q == r || q >= end || *q != ' ' || len < 5 || len > (size_t)(end - r))
                return; /* not a record: libarchive says so */
            const unsigned char *key = q + 1, *rec_end = r + len;
            const unsigned char *eq = memchr(key, '=', (size_t)(rec_end - key));
            if (eq && rec_end[-1] == '\n') {
                size_t klen = (size_t)(eq - key), vlen = (size_t)(rec_end - 1 - (eq + 1));
                if (pass == 0 && klen == 4 && memcmp(key, "path", 4) == 0) {
                    path = (const char *)eq + 1;
                    plen = vlen;
                } else if (pass == 1 && !explained_key((const char *)key, klen)) {
                    keep(t, (const char *)key, klen, path, plen, eq + 1, vlen);
                }
            }
            r = rec_end;
        }
    }
}

static unsigned long long size_field(const unsigned char *h)
{
    if (h[124] & 0x80) { /* GNU base-256 */
        unsigned long long v = 0;
        for (int i = 1; i < 12; i++)
            v = v << 8 | h[124 + i];
        return v;
    }
    unsigned long long v = 0;
    for (int i = 0; i < 12 && h[124 + i]; i++) {
        unsigned char c = h[124 + i];
        if (c == ' ')
            continue;
        if (c < '0' || c > '7')
            break;
        v = v * 8 + (unsigned)(c - '0');
    }
    return v;
}

/* Names the values that wait for the entry whose header H is. */
static void name_values(sdc_tar_scan *t, const unsigned char *h)
{
    char path[260];
    int pre = (int)strnlen((const char *)h + 345, 155), nam = (int)strnlen((const char *)h, 100);
    if (pre)
        snprintf(path, sizeof path, "%.*s/%.*s", pre, (const char *)h + 345, nam, (const char *)h);
    else
        snprintf(path, sizeof path, "%.*s", nam, (const char *)h);
    for (size_t i = t->unnamed; i < t->nvalues; i++)
        if (!t->values[i].named) {
            pax_value *p = &t->values[i];
            snprintf(p->name, sizeof p->name, "(pax %s of '%.80s')", p->key, path);
            p->named = true;
        }
    t->unnamed = t->nvalues;
}

static void header(sdc_tar_scan *t)
{
    const unsigned char *h = t->block;
    bool zero = true;
    for (int i = 0; i < 512 && zero; i++)
        zero = h[i] == 0;
    if (zero || memcmp(h + 257, "ustar", 5) != 0) {
        t->stopped = true; /* the end, or a header libarchive will judge */
        t->ended = zero;
        return;
    }
    if (h[156] != 'x' && h[156] != 'g')
        name_values(t, h);
    unsigned long long size = size_field(h);
    t->skip = (size + 511) / 512 * 512;
    t->data = size;
    t->pad_len = 0;
    t->pad_dirty = false;
    snprintf(t->entry, sizeof t->entry, "%.100s", (const char *)h);
    t->in_pax = h[156] == 'x' || h[156] == 'g';
    t->global = h[156] == 'g';
    t->pax_size = size;
    t->pax_len = 0;
    if (t->in_pax && size > SDC_TAR_PAX_MAX) {
        t->unread++;
        t->in_pax = false;
    }
    if (t->in_pax && !t->pax && !(t->pax = malloc(SDC_TAR_PAX_MAX)))
        t->failed = true;
}

/* Past the end of the archive: zeros (the second end block, the record's
 * padding) carry nothing; anything else is another file's bytes. */
static void tail_feed(sdc_tar_scan *t, const unsigned char *b, size_t len)
{
    t->after += len;
    for (size_t i = 0; i < len; i++) {
        if (!t->nonzero && b[i] == 0)
            continue;
        t->nonzero = true;
        size_t n = len - i < sizeof t->tail - t->tail_len ? len - i : sizeof t->tail - t->tail_len;
        memcpy(t->tail + t->tail_len, b + i, n);
        t->tail_len += n;
        return;
    }
}

void sdc_tar_scan_feed(sdc_tar_scan *t, const unsigned char *b, size_t len)
{
    if (t->ended) {
        tail_feed(t, b, len);
        return;
    }
    while (len && !t->stopped && !t->failed) {
        if (t->skip) {
            size_t n = len < t->skip ? len : (size_t)t->skip;
            /* The padding after the data: zeros (ustar), else unexplained. */
            size_t data = t->data < n ? (size_t)t->data : n;
            for (size_t i = data; i < n; i++) {
                t->pad_dirty |= b[i] != 0;
                if (t->pad_len < sizeof t->pad)
                    t->pad[t->pad_len++] = b[i];
            }
            t->data -= data;
            if (t->in_pax) {
                size_t want = t->pax_size > t->pax_len ? (size_t)(t->pax_size - t->pax_len) : 0;
                size_t k = n < want ? n : want;
                memcpy(t->pax + t->pax_len, b, k);
                t->pax_len += k;
            }
            t->skip -= n;
            b += n;
            len -= n;
            if (!t->skip && t->in_pax) {
                pax_records(t);
                t->in_pax = false;
            }
            if (!t->skip && t->pad_dirty) {
                pax_value *p = keep_bytes(t, t->pad, t->pad_len);
                if (p) {
                    p->named = true;
                    snprintf(p->name, sizeof p->name, "(tar padding after '%.100s')", t->entry);
                }
                t->pad_dirty = false;
            }
            continue;
        }
        size_t n = 512 - t->got < len ? 512 - t->got : len;
        memcpy(t->block + t->got, b, n);
        t->got += n;
        b += n;
        len -= n;
        if (t->got == 512) {
            t->got = 0;
            header(t);
            if (!t->skip && t->in_pax) { /* an empty pax header */
                t->in_pax = false;
            }
        }
    }
    if (t->ended && len)
        tail_feed(t, b, len);
}

void sdc_tar_tail(const sdc_tar_scan *t, sdc_file_result *self, const char *inside)
{
    if (!t->ended || !t->nonzero)
        return;
    sdc_classification c =
        sdc_file_classify(t->tail, t->tail_len, t->tail_len < sizeof t->tail, "");
    sdc_container_finding(self, "appended-data", SDC_FAIL,
                          "remove what follows the end of the archive: it must not carry other "
                          "data",
                          "%llu bytes after the tar's end-of-archive block%s%s%s, not all zeros: "
                          "%s (%s)",
                          t->after, inside ? " inside the " : "", inside ? inside : "",
                          inside ? " stream" : "", sdc_file_class_name(c.file_class), c.format);
}

int sdc_tar_account(const sdc_walk *w, sdc_file_result *self, sdc_tar_scan *t, int depth,
                    sdc_budget *b, sdc_result_list *list)
{
    if (t->failed)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < t->nvalues; i++)
        rc = sdc_container_walk_bytes(w, self, t->values[i].name, t->values[i].data,
                                      t->values[i].len, depth, b, list);
    if (rc == 0 && (t->unread || t->dropped))
        sdc_container_finding(self, "needs-review", SDC_REVIEW,
                              "an output checker reads what the tar's headers carry",
                              "%zu pax headers over %u KiB and %zu values past %u MiB or 64 "
                              "values were not walked",
                              t->unread, SDC_TAR_PAX_MAX >> 10, t->dropped,
                              SDC_TAR_VALUES_MAX >> 20);
    return rc;
}
