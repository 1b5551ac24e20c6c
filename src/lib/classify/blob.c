/*
 * blob.c - following encoded runs through text (see blob.h).
 *
 * A run is a stretch of base64 characters (A-Z a-z 0-9 + / = and the URL
 * alphabet's - _). Wrapped base64 (76-character MIME lines, JSON "\n"
 * escapes) continues across a line break once a segment is long. When a run
 * ends, or its capture is full, the captured characters are decoded (as
 * hex if they all are hex digits, else as base64) and classified.
 */
#include <string.h>
#include <zlib.h>

#include "classify/blob.h"
#include "classify/classify.h"

void sdc_blob_init(sdc_blob_scan *s)
{
    memset(s, 0, sizeof *s);
    s->line = 1;
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

static bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_value(unsigned char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static size_t decode(const sdc_blob_scan *s, unsigned char *out)
{
    size_t n = 0;
    if (s->maybe_hex) {
        for (size_t i = 0; i + 1 < s->captured; i += 2)
            out[n++] = (unsigned char)(hex_value((unsigned char)s->capture[i]) << 4 |
                                       hex_value((unsigned char)s->capture[i + 1]));
        return n;
    }
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < s->captured; i++) {
        int v = b64_value((unsigned char)s->capture[i]);
        if (v < 0)
            break; /* '=' padding */
        acc = acc << 6 | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    return n;
}

/* Judges the run so far; ENDED: the run is complete (not just captured). */
static void judge(sdc_blob_scan *s, bool ended)
{
    if (s->run >= SDC_BLOB_MIN_RUN) {
        unsigned char decoded[SDC_BLOB_CAPTURE];
        size_t n = decode(s, decoded);
        sdc_classification c = sdc_file_classify(decoded, n, ended && s->run == s->captured, "");
        if (c.file_class == SDC_CLASS_CONTAINER && c.format &&
            (strcmp(c.format, "gzip") == 0 || strcmp(c.format, "zlib") == 0)) {
            /* base64 of a gzip or zlib stream: look inside what we have. */
            unsigned char inner[SDC_BLOB_CAPTURE];
            z_stream z = {0};
            if (inflateInit2(&z, 15 + 32) == Z_OK) {
                z.next_in = decoded;
                z.avail_in = (uInt)n;
                z.next_out = inner;
                z.avail_out = sizeof inner;
                int rc = inflate(&z, Z_SYNC_FLUSH);
                size_t got = sizeof inner - z.avail_out;
                inflateEnd(&z);
                if ((rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR) && got > 0) {
                    sdc_classification in = sdc_file_classify(inner, got, rc == Z_STREAM_END, "");
                    if (in.file_class == SDC_CLASS_MODEL || in.file_class == SDC_CLASS_DATA)
                        c = in;
                }
            }
        }
        bool bad = c.file_class == SDC_CLASS_MODEL || c.file_class == SDC_CLASS_DATA ||
                   c.file_class == SDC_CLASS_CONTAINER;
        if (bad) {
            if (s->nhits < SDC_BLOB_MAX_HITS) {
                sdc_blob_hit *h = &s->hits[s->nhits++];
                h->line = s->run_line;
                h->hex = s->maybe_hex;
                h->what = c;
                h->run = s->run;
            } else {
                s->more_hits++;
            }
        }
    }
}

static void end_run(sdc_blob_scan *s)
{
    if (s->run && s->captured < SDC_BLOB_CAPTURE)
        judge(s, true);
    s->run = 0;
    s->segment = 0;
    s->captured = 0;
    s->backslash = false;
    s->padded = false;
}

static void add_char(sdc_blob_scan *s, unsigned char c)
{
    if (s->run == 0) {
        s->run_line = s->line;
        s->maybe_hex = true;
    }
    s->run++;
    s->segment++;
    s->maybe_hex &= is_hex(c);
    if (s->captured < SDC_BLOB_CAPTURE) {
        s->capture[s->captured++] = (char)c;
        if (s->captured == SDC_BLOB_CAPTURE)
            judge(s, false); /* enough to know what it is */
    }
}

void sdc_blob_feed(sdc_blob_scan *s, const unsigned char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = text[i];
        if (s->backslash) {
            s->backslash = false;
            if (c == 'n' && s->segment >= 40) { /* a JSON "\n" inside wrapped base64 */
                s->segment = 0;
                continue;
            }
            end_run(s);
        }
        if (b64_value(c) >= 0 || (c == '=' && s->run > 0)) {
            /* "key=H4sI...": padding ends a run, so data after '=' is a
             * new run. */
            if (s->padded && c != '=')
                end_run(s);
            s->padded = c == '=';
            add_char(s, c);
            continue;
        }
        /* Wrapped base64 goes on across a line break (CR LF or LF). */
        if (c == '\r' && s->run && s->segment >= 40)
            continue;
        if (c == '\n') {
            s->line++;
            if (s->run && s->segment >= 40) {
                s->segment = 0;
                continue;
            }
        }
        if (c == '\\' && s->run) {
            s->backslash = true;
            continue;
        }
        if (s->run)
            end_run(s);
    }
}

void sdc_blob_finish(sdc_blob_scan *s)
{
    end_run(s);
}
