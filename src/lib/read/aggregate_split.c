/*
 * aggregate_split.c - where each piece of a large file starts: a record
 * boundary near its share of the bytes.
 *
 * A byte offset alone cannot tell a record boundary (a quoted field may
 * hold newlines): the split point is the first line end past the piece's
 * target offset with an even number of quote characters before it, which
 * is a record boundary in any RFC 4180 file. Counting the quotes before a
 * target is the expensive part, so each worker counts its own segment
 * (from the previous target to its own) and the parities are combined
 * under the job's lock. The previous piece's parser checks the point
 * (aggregate_threads.c): a file that is not RFC 4180, where libcsv reads
 * quotes differently, is then parsed on past it rather than split wrongly.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "read/aggregate_internal.h"

/* 1 when S[0..N) holds an odd number of '"'. Eight bytes at a time: a
 * quote byte becomes zero under the XOR, and the mask has its high bit set
 * exactly for the zero bytes; XOR-ing the masks keeps the parity of each. */
static unsigned quote_parity(const unsigned char *s, size_t n)
{
    const uint64_t quotes = 0x2222222222222222ull, low7 = 0x7f7f7f7f7f7f7f7full;
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        x ^= quotes;
        acc ^= ~(((x & low7) + low7) | x | low7);
    }
    unsigned parity = (unsigned)__builtin_popcountll(acc) & 1;
    for (; i < n; i++)
        parity ^= s[i] == '"';
    return parity;
}

/* Reads [FROM, TO) into BUF piece by piece: the parity of its quote characters. */
static unsigned quotes_in(sdc_agg_job *j, unsigned char *buf, size_t from, size_t to, bool *failed)
{
    unsigned parity = 0;
    while (from < to) {
        size_t want = to - from < SDC_AGG_READ_BLOCK ? to - from : SDC_AGG_READ_BLOCK;
        ssize_t n = pread(j->fd, buf, want, (off_t)from);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            *failed = true;
            return 0;
        }
        parity ^= quote_parity(buf, (size_t)n);
        from += (size_t)n;
    }
    return parity;
}

/* The start of worker I's piece: the first line end past its target with
 * an even number of quotes before it (the file's end when there is none). */
void sdc_agg_boundary_find(sdc_agg_worker *w)
{
    sdc_agg_job *j = w->job;
    unsigned i = w->index;
    bool failed = false;
    unsigned seg = quotes_in(j, w->buf, j->target[i - 1], j->target[i], &failed);
    pthread_mutex_lock(&j->lock);
    j->seg_quotes[i] = seg;
    j->seg_known[i] = true;
    pthread_cond_broadcast(&j->changed);
    unsigned parity = 0;
    for (unsigned k = 1; k <= i; k++) {
        while (!j->seg_known[k])
            pthread_cond_wait(&j->changed, &j->lock);
        parity ^= j->seg_quotes[k];
    }
    pthread_mutex_unlock(&j->lock);
    size_t at = j->target[i], found = j->size;
    while (!failed && at < j->size && found == j->size) {
        size_t want = j->size - at < SDC_AGG_READ_BLOCK ? j->size - at : SDC_AGG_READ_BLOCK;
        ssize_t n = pread(j->fd, w->buf, want, (off_t)at);
        if (n <= 0) {
            failed = n == 0 || errno != EINTR;
            continue;
        }
        for (ssize_t k = 0; k < n; k++) {
            unsigned char ch = w->buf[k];
            parity ^= ch == '"';
            if ((ch == '\n' || ch == '\r') && !parity) {
                found = at + (size_t)k + 1;
                break;
            }
        }
        at += (size_t)n;
    }
    pthread_mutex_lock(&j->lock);
    j->boundary[i] = found; /* a failed read gives no split: worker I - 1 reads on */
    j->boundary_known[i] = true;
    pthread_cond_broadcast(&j->changed);
    pthread_mutex_unlock(&j->lock);
}

size_t sdc_agg_boundary_wait(sdc_agg_job *j, unsigned i)
{
    pthread_mutex_lock(&j->lock);
    while (!j->boundary_known[i])
        pthread_cond_wait(&j->changed, &j->lock);
    size_t b = j->boundary[i];
    pthread_mutex_unlock(&j->lock);
    return b;
}
