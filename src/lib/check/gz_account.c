/*
 * gz_account.c - a gzip stream inflated once more to check it (see
 * gz_account.h). zlib's gzip decoding (windowBits 16 + 15) checks each
 * member's header and its trailer's CRC-32 and ISIZE (RFC 1952, 2.3.1);
 * members may follow each other; what follows the last is accounted by the
 * container's tail, not here.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check/gz_account.h"

/* Decompressed bytes checked; a bomb past this is the archive limits'. */
#define GZ_CHECK_MAX (1ull << 30)
#include "classify/classify.h"

struct sdc_gz_check {
    z_stream z;
    bool open, ended, broken;
    unsigned long long in; /* compressed bytes fed */
    char why[160];
    unsigned long long out;
    unsigned char head[512]; /* the first decompressed bytes: is it a tar? */
    size_t head_len;
    sdc_tar_scan *tar; /* the tar inside, once known */
    bool not_tar;
    bool failed;
    bool between;             /* a member ended: another may start, or the stream ends */
    bool stopped;             /* past GZ_CHECK_MAX: not checked further */
    unsigned long long after; /* bytes after the last member */
    bool after_nonzero;
    unsigned char tail[4096]; /* the first of them */
    size_t tail_len;
};

sdc_gz_check *sdc_gz_check_new(void)
{
    sdc_gz_check *g = calloc(1, sizeof *g);
    if (g && inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK) {
        free(g);
        return NULL;
    }
    if (g)
        g->open = true;
    return g;
}

void sdc_gz_check_free(sdc_gz_check *g)
{
    if (!g)
        return;
    if (g->open)
        inflateEnd(&g->z);
    sdc_tar_scan_free(g->tar);
    free(g);
}

static void decompressed(sdc_gz_check *g, const unsigned char *p, size_t n)
{
    if (g->not_tar || g->failed)
        return;
    if (!g->tar) {
        size_t k = sizeof g->head - g->head_len < n ? sizeof g->head - g->head_len : n;
        memcpy(g->head + g->head_len, p, k);
        g->head_len += k;
        if (g->head_len < sizeof g->head)
            return;
        if (memcmp(g->head + 257, "ustar", 5) != 0) {
            g->not_tar = true;
            return;
        }
        if (!(g->tar = sdc_tar_scan_new())) {
            g->failed = true;
            return;
        }
        sdc_tar_scan_feed(g->tar, g->head, g->head_len);
        p += k;
        n -= k;
    }
    sdc_tar_scan_feed(g->tar, p, n);
}

static void after_end(sdc_gz_check *g, const unsigned char *b, size_t len)
{
    g->after += len;
    for (size_t i = 0; i < len && !g->after_nonzero; i++)
        g->after_nonzero = b[i] != 0;
    size_t k = sizeof g->tail - g->tail_len < len ? sizeof g->tail - g->tail_len : len;
    memcpy(g->tail + g->tail_len, b, k);
    g->tail_len += k;
}

void sdc_gz_check_feed(sdc_gz_check *g, const unsigned char *b, size_t len)
{
    unsigned char out[16384];
    if (g->stopped)
        return;
    if (g->out > GZ_CHECK_MAX) {
        g->stopped = true;
        return;
    }
    if (g->ended) {
        after_end(g, b, len);
        return;
    }
    if (g->between && len) { /* RFC 1952, 2.2: another member, or the end */
        g->between = false;
        if (b[0] != 0x1f) {
            g->ended = true;
            after_end(g, b, len);
            return;
        }
        inflateReset(&g->z);
    }
    while (len && !g->broken && !g->ended) {
        g->z.next_in = (unsigned char *)b;
        g->z.avail_in = (uInt)(len > (1u << 30) ? 1u << 30 : len);
        size_t given = g->z.avail_in;
        int rc;
        do {
            g->z.next_out = out;
            g->z.avail_out = sizeof out;
            rc = inflate(&g->z, Z_NO_FLUSH);
            size_t made = sizeof out - g->z.avail_out;
            g->out += made;
            decompressed(g, out, made);
        } while (rc == Z_OK && g->z.avail_in > 0);
        size_t used = given - g->z.avail_in;
        g->in += used;
        b += used;
        len -= used;
        if (rc == Z_STREAM_END) {
            /* Another member may follow (RFC 1952, 2.2); else the stream ends. */
            if (len == 0) {
                g->between = true; /* the next bytes say */
            } else if (b[0] == 0x1f) {
                inflateReset(&g->z);
            } else {
                g->ended = true;
                after_end(g, b, len);
                len = 0;
            }
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            g->broken = true;
            snprintf(g->why, sizeof g->why, "%s", g->z.msg ? g->z.msg : "inflate error");
        } else if (rc == Z_BUF_ERROR && used == 0) {
            break;
        }
    }
}

int sdc_gz_account(const sdc_walk *w, sdc_file_result *self, sdc_gz_check *g, int depth,
                   sdc_budget *b, sdc_result_list *list)
{
    if (g->failed)
        return -1;
    if (g->stopped) {
        sdc_container_finding(
            self, "needs-review", SDC_REVIEW, "an output checker looks at what the archive holds",
            "the gzip stream was checked only in its first %llu MiB", GZ_CHECK_MAX >> 20);
        return 0;
    }
    if (g->broken || (!g->ended && !g->between))
        sdc_container_finding(self, "malformed", SDC_REVIEW,
                              "check the archive: it may be truncated or corrupt",
                              "the gzip stream %s after %llu compressed bytes%s%s",
                              g->broken ? "is damaged" : "stops before its end", g->in,
                              g->broken ? ": " : "", g->broken ? g->why : "");
    if (!g->tar)
        return 0; /* a lone stream's tail is the container's to account */
    if (g->after && g->after_nonzero) {
        sdc_classification c = sdc_file_classify(g->tail, g->tail_len, g->after <= g->tail_len, "");
        sdc_container_finding(self, "appended-data", SDC_FAIL,
                              "remove what follows the end of the archive: it must not carry "
                              "other data",
                              "%llu bytes after the end of the gzip stream: %s (%s)", g->after,
                              sdc_file_class_name(c.file_class), c.format);
    }
    sdc_tar_tail(g->tar, self, "gzip");
    return sdc_tar_account(w, self, g->tar, depth, b, list);
}
