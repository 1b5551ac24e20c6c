/*
 * decode_util.c - what the decoders share: a payload's decoded bytes, the
 * decision on what they are, and keeping the payloads worth walking.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "classify/classify.h"
#include "classify/decode_internal.h"

void dec_out_reset(dec_out *o)
{
    /* Called at the end of every run of letters: the histogram is cleared
     * only when bytes went into it. */
    if (o->total && !o->no_hist)
        memset(o->hist, 0, sizeof o->hist);
    o->mode = DEC_UNDECIDED;
    o->len = 0;
    o->cut = false;
    o->total = 0;
    o->what = (sdc_classification){0};
}

void dec_out_free(dec_out *o)
{
    free(o->p);
    memset(o, 0, sizeof *o);
}

/* Room for one more byte: the head, or everything up to SDC_DECODE_KEEP
 * once kept. */
static bool room(dec_out *o)
{
    size_t limit = o->mode == DEC_KEEP ? SDC_DECODE_KEEP : DEC_HEAD;
    if (o->len >= limit)
        return false;
    if (SDC_VEC_RESERVE(o->p, o->cap, o->len + 1) < 0) {
        o->failed = true;
        return false;
    }
    return true;
}

void dec_out_byte(dec_out *o, unsigned char c)
{
    if (o->mode == DEC_DEAD)
        return;
    o->total++;
    if (!o->no_hist)
        o->hist[c]++;
    if (o->mode == DEC_COUNT)
        return;
    if (room(o))
        o->p[o->len++] = c;
    else if (o->mode == DEC_KEEP)
        o->cut = true;
}

/* UTF-8 (or ASCII) text with few control characters: what an encoded CSV,
 * JSON or script decodes to, and what garbage from misread prose is not. */
/* UTF-8 text with few control characters, and words: a separator (white
 * space, a comma or semicolon) in every 64 bytes, so that bytes which
 * merely happen to be printable (dates read as base64) are not text. */
static bool plain_text(const unsigned char *p, size_t n)
{
    size_t control = 0, separators = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
                control++;
            separators += c == ' ' || c == '\n' || c == '\t' || c == ',' || c == ';';
            i++;
            continue;
        }
        size_t k = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
        if (k == 0)
            return false;
        if (i + k > n) /* cut in the middle of a character: the head ends here */
            break;
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xC0) != 0x80)
                return false;
        i += k;
    }
    return control * 100 <= n && separators > 0 && separators * 64 >= n;
}

int dec_hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (c | 0x20) - 'a' + 10;
    return -1;
}

bool dec_known(const unsigned char *bytes, size_t len, bool at_eof, dec_text text,
               sdc_classification *what)
{
    if (len < SDC_DECODE_MIN)
        return false;
    sdc_classification c = sdc_file_classify(bytes, len, at_eof, "");
    *what = c;
    switch (c.file_class) {
    case SDC_CLASS_MODEL:
    case SDC_CLASS_DATA:
    case SDC_CLASS_CONTAINER:
    case SDC_CLASS_IMAGE: return true;
    case SDC_CLASS_TABLE:
    case SDC_CLASS_DOCUMENT:
    case SDC_CLASS_CODE: return text == DEC_TEXT_YES && plain_text(bytes, len);
    /* a font in a style sheet's data URI: known, walked (and reviewed) */
    default: return c.format && strncmp(c.format, "font-", 5) == 0;
    }
}

void dec_out_decide(dec_out *o, bool at_eof, dec_text text, bool unbroken)
{
    if (o->mode != DEC_UNDECIDED)
        return;
    if (dec_known(o->p, o->len, at_eof, text, &o->what))
        o->mode = DEC_KEEP;
    else
        o->mode = unbroken ? DEC_COUNT : DEC_DEAD;
}

static double entropy_of(const dec_out *o)
{
    double h = 0;
    for (int c = 0; c < 256; c++)
        if (o->hist[c]) {
            double q = (double)o->hist[c] / (double)o->total;
            h -= q * log2(q);
        }
    return h;
}

/* A new payload slot, or NULL (then counted as dropped). */
/* A slot for a payload of BYTES kept bytes: a document's tables have a
 * count of their own (a log may hold hundreds), every payload shares the
 * bytes kept. */
static sdc_payload *slot(sdc_decode_scan *s, size_t bytes, bool table)
{
    size_t *count = table ? &s->ntables : &s->nother;
    size_t max = table ? SDC_DECODE_TABLES_MAX : SDC_DECODE_PAYLOADS_MAX;
    if (*count >= max || s->kept_bytes + bytes > SDC_DECODE_KEEP_TOTAL) {
        s->dropped++;
        return NULL;
    }
    (*count)++;
    if (SDC_VEC_RESERVE(s->payloads, s->cap, s->npayloads + 1) < 0) {
        s->failed = true;
        return NULL;
    }
    sdc_payload *p = &s->payloads[s->npayloads++];
    memset(p, 0, sizeof *p);
    s->kept_bytes += bytes;
    return p;
}

static void fill(sdc_payload *p, const dec_meta *m)
{
    p->encoding = m->encoding;
    p->line = m->line;
    p->encoded = m->encoded;
    p->assembled = m->assembled;
    p->digest_lines = m->digest_lines;
    p->carved = m->carved;
    p->offset = m->offset;
    p->table_no = m->table_no;
}

void dec_out_end(sdc_decode_scan *s, dec_out *o, const dec_meta *m, dec_text text)
{
    if (o->failed)
        s->failed = true;
    dec_out_decide(o, true, text, !m->assembled);
    if (o->mode == DEC_KEEP) {
        sdc_payload *p = slot(s, o->len, m->table_no > 0);
        if (p) {
            fill(p, m);
            p->kind = SDC_PAYLOAD_FILE;
            p->decoded = o->total;
            p->data = o->p; /* the payload takes the bytes */
            p->len = o->len;
            p->cut = o->cut;
            p->entropy = entropy_of(o);
            p->what = o->what;
            o->p = NULL;
            o->cap = 0;
        }
    } else if (o->mode == DEC_COUNT && o->total >= SDC_DECODE_UNKNOWN_MIN) {
        sdc_payload *p = slot(s, 0, false);
        if (p) {
            fill(p, m);
            p->kind = SDC_PAYLOAD_UNEXPLAINED;
            p->decoded = o->total;
            p->entropy = entropy_of(o);
            p->what = o->what;
        }
    }
    dec_out_reset(o);
}

void dec_unexplained(sdc_decode_scan *s, const dec_meta *m)
{
    sdc_payload *p = slot(s, 0, false);
    if (!p)
        return;
    fill(p, m);
    p->kind = SDC_PAYLOAD_UNEXPLAINED;
    p->what = (sdc_classification){.file_class = SDC_CLASS_UNKNOWN, .format = "not decoded"};
}

/* --- growable text for records and tables (decode_records.c,
 * decode_tables.c) --- */

void dec_buf_put(rec_buf *b, const char *p, size_t n, size_t max)
{
    if (b->over)
        return;
    if (b->len + n + 1 > max) {
        b->over = true;
        return;
    }
    if (SDC_VEC_RESERVE(b->p, b->cap, b->len + n + 1) < 0) {
        b->over = b->oom = true;
        return;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void dec_buf_clear(rec_buf *b)
{
    b->len = 0;
    b->over = false;
    if (b->p)
        b->p[0] = '\0';
}

void dec_buf_release(rec_buf *b)
{
    free(b->p);
    *b = (rec_buf){0};
}

void dec_buf_settle(sdc_decode_scan *s, rec_buf *b)
{
    if (b->oom)
        s->failed = true;
    dec_buf_release(b);
}

void dec_rec_settle(sdc_decode_scan *s, const rec_state *st)
{
    const rec_buf *bufs[] = {&st->cur,      &st->names,       &st->csv,        &st->stmt,
                             &st->sql_cols, &st->input_names, &st->prev,       &st->lines,
                             &st->head,     &st->prev2,       &st->index_name, &st->tab.text,
                             &st->tab.csv,  &st->tab.head};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        if (bufs[i]->oom)
            s->failed = true;
    if (st->tab.oom)
        s->failed = true;
}

/* One CSV field (RFC 4180 quoting), after a comma unless FIRST. */
void dec_buf_field(rec_buf *b, const char *f, size_t n, bool first)
{
    if (!first)
        dec_buf_put(b, ",", 1, SDC_DECODE_KEEP);
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = f[i] == ',' || f[i] == '"' || f[i] == '\n' || f[i] == '\r';
    if (!quote) {
        dec_buf_put(b, f, n, SDC_DECODE_KEEP);
        return;
    }
    dec_buf_put(b, "\"", 1, SDC_DECODE_KEEP);
    for (size_t i = 0; i < n; i++)
        dec_buf_put(b, f[i] == '"' ? "\"\"" : f + i, f[i] == '"' ? 2 : 1, SDC_DECODE_KEEP);
    dec_buf_put(b, "\"", 1, SDC_DECODE_KEEP);
}

bool dec_rec_emit(sdc_decode_scan *s, const char *csv, size_t len, bool cut, const char *kind,
                  long line, unsigned table_no)
{
    dec_out o = {0};
    for (size_t i = 0; i < len; i++) {
        dec_out_byte(&o, (unsigned char)csv[i]);
        if (dec_out_head_full(&o))
            dec_out_decide(&o, false, DEC_TEXT_YES, true);
    }
    if (cut)
        o.cut = true;
    if (table_no && o.mode == DEC_UNDECIDED && o.len > 0) {
        /* a document's table is walked however small (SDC_DECODE_MIN is
         * for encoded runs, where a few bytes are words) */
        sdc_classification c = sdc_file_classify(o.p, o.len, true, "");
        if (c.file_class == SDC_CLASS_TABLE) {
            o.mode = DEC_KEEP;
            o.what = c;
        }
    }
    size_t before = s->npayloads;
    dec_meta m = {.encoding = kind, .line = line, .encoded = len, .table_no = table_no};
    dec_out_end(s, &o, &m, DEC_TEXT_YES);
    dec_out_free(&o);
    return s->npayloads > before;
}
