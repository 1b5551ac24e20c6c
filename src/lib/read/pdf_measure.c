/*
 * pdf_measure.c - how much text each page of a PDF would have poppler lay
 * out, and whether its embedded files' specifications are ones poppler
 * reads safely, found from the file's objects before poppler is asked.
 *
 * poppler cannot be interrupted, and its text extraction grows faster than
 * the text on a page (a page that draws 512 KiB of strings at one spot
 * takes 8 s and 170 MB; 16 MiB, over 300 s), so the input is bounded
 * instead of the call (doc/design.md, "Identifiers"). The measure is made
 * to be an upper bound that a hostile file cannot talk down:
 *
 * - Objects are found by scanning the bytes for "N G obj" (and by opening
 *   object streams), not by trusting the cross-reference table, and at
 *   the table's offsets too (poppler reads "5 0 obj" there even after a
 *   byte that hides it from the scan, "b5 0 obj"); an object defined more
 *   than once counts at its largest. Each is read as poppler's
 *   Parser reads a damaged one (parse), so that no page poppler finds is
 *   skipped here as unparsable; reading an object counts as work for its
 *   bytes, so objects left open to the end of the file cost no more than
 *   the work allowed.
 * - A page is any dictionary that is not a page-tree node and has /Type
 *   /Page, /Contents or /Annots. It draws its content streams (as often as
 *   /Contents names them), the form XObjects they draw with Do, resolved
 *   through the /Resources poppler would use and counted as often as drawn,
 *   and its annotations: their appearance streams and the bytes of their
 *   dictionaries (poppler builds an appearance from a field's value).
 * - A content stream is inflated here with zlib a window at a time, never
 *   held, and lexed: every byte inside a string or a comment counts as text,
 *   so a lexer that loses step with poppler only counts more. Paths and
 *   other operators count as content bytes, which are cheap but not free.
 * - What cannot be counted makes the measure fail rather than guess: a
 *   content filter other than FlateDecode, a predictor, forms that draw each
 *   other in a loop, a name split between two content streams, an object a
 *   page draws (content, form, appearance) that is not found, an object
 *   nested deeper than MEASURE_DEPTH, more work than MEASURE_STEPS.
 *
 * Type 3 glyph procedures, patterns and images are not counted: poppler's
 * text extraction does not run them.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/vec.h"
#include "read/pdf_filters.h"
#include "read/pdf_lex.h"
#include "read/pdf_measure.h"
#include "read/pdf_xref.h"

#define MEASURE_OBJECTS (1u << 20)     /* object definitions indexed */
#define MEASURE_STEPS 10000000L        /* objects followed and 64-byte pieces of dictionary read */
#define MEASURE_DEPTH 64               /* nesting of arrays and dictionaries */
#define OBJSTM_MAX (16u * 1024 * 1024) /* one decoded object stream */
#define OBJSTM_TOTAL (64u * 1024 * 1024)
#define NAMES_MAX 65536 /* distinct XObject names drawn, over all streams */
#define NAME_MAX_LEN 127
#define WINDOW (64u * 1024)
#define HUGE_COST ((uint64_t)1 << 60) /* saturated: more than any budget */
/* Each Do costs poppler about 5 us whatever it draws, even nothing (a name
 * that is not a form): counted as this many content bytes (64 MiB of
 * content take about 3 s, 21 bytes a microsecond), with a margin, so a
 * page of a form drawing another 1,000 times, drawn 1,000 times (10^6 Do
 * in 1.4 KB: 5 s) is over the content budget. */
#define DRAW_BYTES 256u

/* A value parsed in place: [start, end) of BUF. */
enum { V_NONE, V_NUM, V_NAME, V_STR, V_ARRAY, V_DICT, V_REF, V_WORD };
typedef struct {
    int type;
    const unsigned char *buf;
    size_t start, end;
    long num; /* V_NUM: its integer part; V_REF: the object number */
} pval;

/* What drawing something costs poppler. */
typedef struct {
    uint64_t text, bytes;
} cost;

/* The XObjects a content stream draws: name and times. */
typedef struct {
    char name[NAME_MAX_LEN + 1];
    uint64_t times;
} draw;

/* A content stream, lexed once however often it is drawn; a form's cost
 * once known. */
typedef struct {
    cost own;
    draw *draws;
    size_t ndraws, cap;
    bool open_end; /* ends inside a string or a name: the next stream continues it */
    int state;     /* as a form: 0 not met, 1 being drawn, 2 memo holds its cost */
    cost memo;
} lexed;

/* One definition of an object: its value starts at byte AT of the file
 * (BUF 0) or of decoded object stream BUF - 1. */
typedef struct {
    int32_t num;
    uint32_t order; /* file order, for a stable sort */
    uint32_t buf;
    size_t at;
    lexed *lex;
    bool walked; /* as a node of the EmbeddedFiles name tree */
} pobj;

typedef struct {
    const unsigned char *pdf;
    size_t len;
    pobj *objs;
    size_t nobjs, cap;
    unsigned char **bufs; /* decoded object streams */
    size_t *buflens;
    size_t nbufs, bufcap, buflencap, bufbytes;
    size_t *ends; /* where each "endstream" is, in order */
    size_t nends, endcap;
    size_t names; /* distinct names drawn, all streams */
    long steps;
    uint64_t decoded; /* content bytes inflated and lexed */
    unsigned char *window;
    uint64_t page_text_max, text_max, content_max;
    int failed;       /* -1 could not measure, -2 out of memory */
    const char *user; /* what uses the objects read: "a page" */
    char *why;
    size_t why_size;
    /* "N G obj" found whatever precedes N (index_file): the file
     * specifications' check, where poppler may reach a definition by the
     * xref table's offset ("/Type8 0 obj" is object 8 there). Not each
     * suffix of N's digits: "12 0 obj" would define 2 in every PDF of a
     * dozen objects. An offset into a number is left to `defined`. */
    bool loose;
    size_t sorted; /* OBJS[0..sorted) are in order (xref_definition) */
} measure;

/* A stack of resource dictionaries, innermost first, as poppler looks
 * names up: a form's own, then whatever drew it. */
typedef struct res_chain {
    pval res; /* V_NONE when this level has none */
    const struct res_chain *up;
} res_chain;

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a + b < a || a + b > HUGE_COST ? HUGE_COST : a + b;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
    if (a && b > HUGE_COST / a)
        return HUGE_COST;
    return a * b > HUGE_COST ? HUGE_COST : a * b;
}

static void cost_add(cost *c, cost d, uint64_t times)
{
    c->text = sat_add(c->text, sat_mul(d.text, times));
    c->bytes = sat_add(c->bytes, sat_mul(d.bytes, times));
}

__attribute__((format(printf, 3, 4))) static void fail(measure *m, int code, const char *fmt, ...)
{
    if (m->failed)
        return;
    m->failed = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->why, m->why_size, fmt, ap);
    va_end(ap);
}

static bool step(measure *m)
{
    if (++m->steps > MEASURE_STEPS)
        fail(m, -1, "it has more objects to follow than sdccheck measures");
    return !m->failed;
}

/* ---- lexing PDF objects (ISO 32000-1, 7.2 and 7.3) ---- */

static bool is_regular(int c)
{
    return !sdc_pdf_space(c) && !sdc_pdf_delimiter(c);
}

static size_t skip_ws(const unsigned char *b, size_t n, size_t i)
{
    while (i < n) {
        if (sdc_pdf_space(b[i]))
            i++;
        else if (b[i] == '%')
            while (i < n && b[i] != '\n' && b[i] != '\r')
                i++;
        else
            break;
    }
    return i;
}

/* I is at '('; returns the index after its closing ')' (or N). */
static size_t skip_string(const unsigned char *b, size_t n, size_t i)
{
    int depth = 0;
    for (; i < n; i++) {
        if (b[i] == '\\')
            i++;
        else if (b[i] == '(')
            depth++;
        else if (b[i] == ')' && --depth == 0)
            return i + 1;
    }
    return n;
}

static bool read_uint(const unsigned char *b, size_t n, size_t *i, long *v)
{
    size_t j = *i;
    long x = 0;
    while (j < n && b[j] >= '0' && b[j] <= '9' && j - *i < 10)
        x = x * 10 + (b[j++] - '0');
    if (j == *i || (j < n && b[j] >= '0' && b[j] <= '9'))
        return false;
    *i = j;
    *v = x;
    return true;
}

/* Where the token of poppler's lexer that starts at I ends (Lexer.cc,
 * Lexer::getObj): a string, hex string, name, number or word whole; "<<"
 * and ">>" as two bytes; any other delimiter as one. */
static size_t skip_token(const unsigned char *b, size_t n, size_t i)
{
    unsigned char c = b[i];
    if (c == '(')
        return skip_string(b, n, i);
    if ((c == '<' || c == '>') && i + 1 < n && b[i + 1] == c)
        return i + 2;
    if (c == '<') {
        const unsigned char *gt = memchr(b + i, '>', n - i);
        return gt ? (size_t)(gt - b) + 1 : n;
    }
    if (c == '/')
        for (i++; i < n && is_regular(b[i]); i++)
            ;
    else if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')
        for (i++; i < n && ((b[i] >= '0' && b[i] <= '9') || b[i] == '.'); i++)
            ;
    else if (is_regular(c))
        for (; i < n && is_regular(b[i]); i++)
            ;
    else
        i++;
    return i;
}

/* Whether the token at I is one poppler's lexer calls an error: ')', '{',
 * '}' or a '>' that does not begin ">>". */
static bool error_token(const unsigned char *b, size_t n, size_t i)
{
    return b[i] == ')' || b[i] == '{' || b[i] == '}' ||
           (b[i] == '>' && (i + 1 == n || b[i + 1] != '>'));
}

static int parse(const unsigned char *b, size_t n, size_t *pos, pval *v, int depth);

/*
 * The next entry of a dictionary whose body continues at *I, read as
 * poppler's Parser::getObj reads one (Parser.cc): a token that is not a
 * name where a key should be is skipped, one token at a time (so "<<" in
 * a key's place opens nothing); a key followed by an error token, or the
 * end of the bytes, ends the dictionary, as ">>" does. Returns 1 with KEY
 * and VAL; 0 at the end, with *I after it; -2 when it nests deeper than
 * MEASURE_DEPTH.
 */
static int dict_entry(const unsigned char *b, size_t n, size_t *i, pval *key, pval *val, int depth)
{
    for (;;) {
        size_t k = skip_ws(b, n, *i);
        if (k >= n || (b[k] == '>' && k + 1 < n && b[k + 1] == '>')) {
            *i = k >= n ? n : k + 2;
            return 0;
        }
        if (b[k] != '/') {
            *i = skip_token(b, n, k);
            continue;
        }
        parse(b, n, &k, key, depth + 1); /* a name: always one */
        size_t at = skip_ws(b, n, k);
        if (at >= n || error_token(b, n, at)) {
            *i = at >= n ? n : at + 1;
            return 0;
        }
        int rc = parse(b, n, &at, val, depth + 1);
        if (rc < 0)
            return rc;
        *i = at;
        return 1;
    }
}

/* The next element of an array whose body continues at *I, as poppler
 * reads one: the end of the bytes ends the array, as ']' does; any other
 * stray token is an element. Returns 1, 0 at the end or -2. */
static int array_entry(const unsigned char *b, size_t n, size_t *i, pval *val, int depth)
{
    size_t k = skip_ws(b, n, *i);
    if (k >= n || b[k] == ']') {
        *i = k >= n ? n : k + 1;
        return 0;
    }
    int rc = parse(b, n, &k, val, depth + 1);
    if (rc < 0)
        return rc;
    *i = k;
    return 1;
}

/* The value at *POS, as poppler would read it there (damaged input
 * included, so that nothing poppler finds in it is missed here). Returns
 * 0; -1 when there is none (the end of the bytes, or a stray delimiter
 * where an object should start); -2 when arrays and dictionaries nest
 * deeper than MEASURE_DEPTH, which poppler would still read (up to 500):
 * not measured, so the measure must fail rather than skip it. */
static int parse(const unsigned char *b, size_t n, size_t *pos, pval *v, int depth)
{
    size_t i = skip_ws(b, n, *pos);
    memset(v, 0, sizeof *v);
    v->buf = b;
    v->start = i;
    if (i >= n)
        return -1;
    if (depth > MEASURE_DEPTH)
        return -2;
    unsigned char c = b[i];
    int rc;
    pval key, inner;
    if (c == '<' && i + 1 < n && b[i + 1] == '<') {
        v->type = V_DICT;
        for (i += 2; (rc = dict_entry(b, n, &i, &key, &inner, depth)) > 0;)
            ;
        if (rc < 0)
            return rc;
    } else if (c == '[') {
        v->type = V_ARRAY;
        for (i++; (rc = array_entry(b, n, &i, &inner, depth)) > 0;)
            ;
        if (rc < 0)
            return rc;
    } else if (c == '/' || c == '(' || c == '<') {
        v->type = c == '/' ? V_NAME : V_STR;
        i = skip_token(b, n, i);
    } else if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        v->type = V_NUM;
        size_t j = i + (c == '+');
        long num, gen;
        if (read_uint(b, n, &j, &num)) {
            v->num = num;
            /* "N G R" is a reference, as poppler's parser reads one
             * (Parser::getObj): two integers, a sign allowed (not a
             * negative one), then the command R; a number ends at the
             * first byte that is not a digit or '.', so "7 00R" is one */
            size_t k = skip_ws(b, n, j);
            int sign = 0;
            if (k < n && (b[k] == '+' || b[k] == '-'))
                sign = b[k++]; /* "7+0 R" too: a sign starts a number */
            if ((k > j || sign) && c != '-' && read_uint(b, n, &k, &gen) &&
                (sign != '-' || gen == 0)) {
                size_t r = skip_ws(b, n, k);
                if (r < n && b[r] == 'R' && (r + 1 == n || !is_regular(b[r + 1]))) {
                    v->type = V_REF;
                    i = r + 1;
                    v->end = i;
                    *pos = i;
                    return 0;
                }
            }
        }
        /* as poppler's lexer: "4I0" is the number 4, then the word I0 */
        for (i++; i < n && ((b[i] >= '0' && b[i] <= '9') || b[i] == '.'); i++)
            ;
    } else if (is_regular(c)) {
        v->type = V_WORD;
        for (; i < n && is_regular(b[i]); i++)
            ;
    } else if (depth == 0) {
        return -1; /* a stray ')', '>', ']', '{' or '}' is no object */
    } else {
        v->type = V_WORD; /* inside one, poppler keeps it as an element */
        i = skip_token(b, n, i);
    }
    v->end = i;
    *pos = i;
    return 0;
}

/* A name's characters with #xx escapes decoded (7.3.5), as poppler reads
 * it; -1 when longer than NAME_MAX_LEN. */
static int name_decode(const unsigned char *p, const unsigned char *e, char *out)
{
    size_t n = 0;
    while (p < e) {
        int c = *p++;
        if (c == '#' && e - p >= 2 && sdc_pdf_hex(p[0]) >= 0 && sdc_pdf_hex(p[1]) >= 0) {
            c = sdc_pdf_hex(p[0]) * 16 + sdc_pdf_hex(p[1]);
            p += 2;
        }
        if (n == NAME_MAX_LEN)
            return -1;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    return (int)n;
}

static bool name_is(const pval *v, const char *s)
{
    char name[NAME_MAX_LEN + 1];
    return v->type == V_NAME && name_decode(v->buf + v->start + 1, v->buf + v->end, name) >= 0 &&
           strcmp(name, s) == 0;
}

/* The next entry of dictionary D from *POS (0 to start). */
static bool dict_next(const pval *d, size_t *pos, pval *key, pval *val)
{
    if (d->type != V_DICT)
        return false;
    size_t i = *pos ? *pos : d->start + 2;
    if (dict_entry(d->buf, d->end, &i, key, val, 0) <= 0)
        return false;
    *pos = i;
    return true;
}

/* The next value of KEY in dictionary D from *POS (0 to start): a key may
 * be repeated, and which one poppler takes is not promised, so callers
 * look at each. */
static bool dict_get(const pval *d, const char *key, size_t *pos, pval *out)
{
    pval k;
    while (dict_next(d, pos, &k, out))
        if (name_is(&k, key))
            return true;
    return false;
}

/* The first value of KEY in D. */
static bool dict_first(const pval *d, const char *key, pval *out)
{
    size_t pos = 0;
    return dict_get(d, key, &pos, out);
}

/* Whether any value of KEY in D is the name NAME. */
static bool dict_has_name(const pval *d, const char *key, const char *name)
{
    pval v;
    for (size_t pos = 0; dict_get(d, key, &pos, &v);)
        if (name_is(&v, name))
            return true;
    return false;
}

/* The next element of array A from *POS (0 to start). */
static bool array_next(const pval *a, size_t *pos, pval *out)
{
    if (a->type != V_ARRAY)
        return false;
    size_t i = *pos ? *pos : a->start + 1;
    if (array_entry(a->buf, a->end, &i, out, 0) <= 0)
        return false;
    *pos = i;
    return true;
}

/* Bytes inside the strings of value V (a dictionary's, say). */
static uint64_t string_bytes(const pval *v)
{
    uint64_t n = 0;
    for (size_t i = v->start; i < v->end;) {
        const unsigned char *b = v->buf;
        if (b[i] == '(') {
            size_t e = skip_string(b, v->end, i);
            n += e - i;
            i = e;
        } else if (b[i] == '<' && i + 1 < v->end && b[i + 1] != '<') {
            const unsigned char *gt = memchr(b + i, '>', v->end - i);
            size_t e = gt ? (size_t)(gt - b) + 1 : v->end;
            n += e - i;
            i = e;
        } else {
            i += b[i] == '<' ? 2 : 1;
        }
    }
    return n;
}

/* Counts reading N bytes of a dictionary as work. */
static bool charge(measure *m, size_t n)
{
    m->steps += (long)(n / 64);
    return step(m);
}

/* ---- the object index ---- */

static const unsigned char *obj_buf(const measure *m, const pobj *o, size_t *len)
{
    *len = o->buf ? m->buflens[o->buf - 1] : m->len;
    return o->buf ? m->bufs[o->buf - 1] : m->pdf;
}

/* The value of definition O, and where it ends. Reading it counts as work
 * (an object left open runs to the end of the file, as poppler reads it,
 * so reading many costs as much as their bytes); one nested deeper than
 * MEASURE_DEPTH stops the measure. */
static bool obj_parse(measure *m, const pobj *o, pval *v, size_t *end)
{
    size_t len, i = o->at;
    const unsigned char *b = obj_buf(m, o, &len);
    int rc = parse(b, len, &i, v, 0);
    *end = i;
    if (rc == -2)
        fail(m, -1, "object %ld nests arrays and dictionaries more than %d deep", (long)o->num,
             MEASURE_DEPTH);
    return charge(m, i - o->at) && rc == 0;
}

/* The value of definition O, an object that a page draws or uses: one
 * that cannot be parsed here may still be read by poppler (which repairs
 * what it can), so it is not skipped but stops the measure. */
static bool obj_value_end(measure *m, const pobj *o, pval *v, size_t *end)
{
    if (obj_parse(m, o, v, end))
        return true;
    if (!m->failed)
        fail(m, -1, "%s uses an object sdccheck cannot parse (object %ld)", m->user, (long)o->num);
    return false;
}

/* obj_value_end, where the value ends not wanted. */
static bool obj_value(measure *m, const pobj *o, pval *v)
{
    size_t end;
    return obj_value_end(m, o, v, &end);
}

static int obj_cmp(const void *a, const void *b)
{
    const pobj *x = a, *y = b;
    if (x->num != y->num)
        return x->num < y->num ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int obj_add(measure *m, long num, uint32_t buf, size_t at)
{
    if (num > INT32_MAX)
        return 0; /* no reader numbers objects so high */
    if (m->nobjs == MEASURE_OBJECTS) {
        fail(m, -1, "it has more objects than sdccheck measures (%s)", "1,048,576");
        return -1;
    }
    if (SDC_VEC_RESERVE(m->objs, m->cap, m->nobjs + 1) < 0) {
        fail(m, -2, "out of memory");
        return -1;
    }
    m->objs[m->nobjs] =
        (pobj){.num = (int32_t)num, .order = (uint32_t)m->nobjs, .buf = buf, .at = at};
    m->nobjs++;
    return 0;
}

/* The definitions of object NUM among OBJS[0..n), in order: [*lo,
 * return). */
static size_t obj_find_in(const measure *m, size_t n, long num, size_t *lo)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (m->objs[mid].num < num)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (b < n && m->objs[b].num == num)
        b++;
    return b;
}

/* The definitions of object NUM: [*lo, return). */
static size_t obj_find(const measure *m, long num, size_t *lo)
{
    return obj_find_in(m, m->nobjs, num, lo);
}

/* Resolves V to the value of each definition of the object it refers to,
 * one at a time (IDX from 0 until false); a direct value is its own one. */
static bool resolve(measure *m, const pval *v, size_t idx, pval *out)
{
    if (v->type != V_REF) {
        *out = *v;
        return idx == 0;
    }
    size_t lo, hi = obj_find(m, v->num, &lo);
    for (; lo + idx < hi; idx++)
        if (obj_value(m, &m->objs[lo + idx], out))
            return true;
    return false;
}

/* Every "N G obj" in the bytes, stream data included: an object hidden in
 * a stream is still found, at worst as one more definition. Every
 * "endstream" is noted too, for streams whose /Length cannot be used. */
static int index_file(measure *m)
{
    const unsigned char *b = m->pdf;
    size_t n = m->len;
    for (const unsigned char *p = b; (p = memmem(p, n - (size_t)(p - b), "endstream", 9)); p += 9) {
        if (SDC_VEC_RESERVE(m->ends, m->endcap, m->nends + 1) < 0) {
            fail(m, -2, "out of memory");
            return -1;
        }
        m->ends[m->nends++] = (size_t)(p - b);
    }
    for (const unsigned char *p = b; (p = memmem(p, n - (size_t)(p - b), "obj", 3)); p += 3) {
        size_t i = (size_t)(p - b), at = i + 3;
        if (at < n && is_regular(b[at]))
            continue;
        size_t g = i; /* the generation: digits after white space */
        while (g > 0 && sdc_pdf_space(b[g - 1]))
            g--;
        size_t gs = g;
        while (gs > 0 && b[gs - 1] >= '0' && b[gs - 1] <= '9')
            gs--;
        if (gs == g || g == i || gs == 0 || !sdc_pdf_space(b[gs - 1]))
            continue;
        size_t k = gs; /* the number: digits after white space */
        while (k > 0 && sdc_pdf_space(b[k - 1]))
            k--;
        size_t s = k;
        while (s > 0 && b[s - 1] >= '0' && b[s - 1] <= '9' && k - s < 10)
            s--;
        long num;
        size_t q = s;
        if (s == k || (s > 0 && is_regular(b[s - 1]) && !m->loose) || !read_uint(b, n, &q, &num))
            continue;
        if (obj_add(m, num, 0, at) < 0)
            return -1;
    }
    return 0;
}

/* ---- streams ---- */

/* Where the data of the stream defined by O starts, its value DICT parsed
 * up to I; false when O is not a stream (objects in object streams never
 * are). */
static bool stream_after(measure *m, const pobj *o, const pval *dict, size_t i, size_t *data)
{
    if (o->buf || dict->type != V_DICT)
        return false;
    i = skip_ws(m->pdf, m->len, i);
    if (m->len - i < 6 || memcmp(m->pdf + i, "stream", 6) != 0)
        return false;
    i += 6;
    if (i < m->len && m->pdf[i] == '\r')
        i++;
    if (i < m->len && m->pdf[i] == '\n')
        i++;
    *data = i;
    return true;
}

/* The dictionary of the stream defined by O, and where its data starts;
 * false when O is not a stream. */
static bool stream_find(measure *m, const pobj *o, pval *dict, size_t *data)
{
    size_t end;
    return !o->buf && obj_parse(m, o, dict, &end) && stream_after(m, o, dict, end, data);
}

/* Like stream_find, for an object a page draws or uses (obj_value): parsed
 * and charged once. */
static bool stream_of(measure *m, const pobj *o, pval *dict, size_t *data)
{
    size_t end;
    return obj_value_end(m, o, dict, &end) && stream_after(m, o, dict, end, data);
}

/* An integer, direct or through a reference. */
static bool int_of(measure *m, const pval *v, long *out)
{
    pval x;
    for (size_t d = 0; resolve(m, v, d, &x); d++)
        if (x.type == V_NUM) {
            *out = x.num;
            return true;
        }
    return false;
}

/* The extent of unfiltered data: /Length when it is sound, or up to
 * "endstream", whichever is longer (poppler may take either). */
static size_t raw_extent(measure *m, const pval *dict, size_t data)
{
    size_t n = m->len - data, len = 0;
    pval v;
    long l;
    if (dict_first(dict, "Length", &v) && int_of(m, &v, &l) && l >= 0 && (size_t)l <= n)
        len = (size_t)l;
    size_t a = 0, b = m->nends;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (m->ends[mid] < data)
            a = mid + 1;
        else
            b = mid;
    }
    size_t to_end = a < m->nends ? m->ends[a] - data : n;
    return to_end > len ? to_end : len;
}

typedef int (*bytes_fn)(void *ctx, const unsigned char *b, size_t n);

/* Feeds FN the decoded bytes of a stream; -1 (and m->failed) when its
 * filter is not one decoded here, 1 when FN stopped it. */
static int stream_decode(measure *m, const pval *dict, size_t data, bytes_fn fn, void *ctx)
{
    pval f, one, more, parms, pred;
    long predictor;
    if (dict_first(dict, "Filter", &f)) {
        size_t pos = 0;
        one = f;
        if (f.type == V_ARRAY && (!array_next(&f, &pos, &one) || array_next(&f, &pos, &more)))
            one.type = V_NONE; /* none, or a chain of filters */
        if (!name_is(&one, "FlateDecode") && !name_is(&one, "Fl")) {
            char name[NAME_MAX_LEN + 1] = "a chain of filters";
            if (one.type == V_NAME &&
                name_decode(one.buf + one.start + 1, one.buf + one.end, name) < 0)
                snprintf(name, sizeof name, "a filter with a long name");
            fail(m, -1, "a content stream is encoded with %s, which sdccheck does not decode",
                 name);
            return -1;
        }
        if (dict_first(dict, "DecodeParms", &parms) && parms.type == V_ARRAY) {
            size_t pp = 0;
            array_next(&parms, &pp, &parms);
        }
        if (dict_first(&parms, "Predictor", &pred) && int_of(m, &pred, &predictor) &&
            predictor > 1) {
            fail(m, -1, "a content stream has a predictor, which sdccheck does not undo");
            return -1;
        }
    } else {
        return fn(ctx, m->pdf + data, raw_extent(m, dict, data)) ? 1 : 0;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK) {
        fail(m, -2, "out of memory");
        return -1;
    }
    /* zlib finds the end of the stream itself: /Length is neither needed
     * nor trusted. A damaged stream gives what it gave poppler: the bytes
     * before the damage. */
    z.next_in = (unsigned char *)(m->pdf + data);
    size_t left = m->len - data;
    int rc = Z_OK, stop = 0;
    while ((rc == Z_OK || rc == Z_BUF_ERROR) && !stop) {
        if (z.avail_in == 0) {
            if (!left)
                break;
            z.avail_in = left > (1u << 30) ? (1u << 30) : (uInt)left;
            left -= z.avail_in;
        }
        z.next_out = m->window;
        z.avail_out = WINDOW;
        rc = inflate(&z, Z_NO_FLUSH);
        if (z.avail_out == WINDOW && rc == Z_BUF_ERROR && z.avail_in)
            break; /* no progress */
        if (z.avail_out < WINDOW && fn(ctx, m->window, WINDOW - z.avail_out))
            stop = 1;
    }
    /* poppler inflates with its own decoder, which reads on where zlib
     * stops at damage: what it would draw then is not known. (A wrong
     * checksum comes after the last byte: nothing is missing.) */
    if (!stop && (rc == Z_NEED_DICT ||
                  (rc == Z_DATA_ERROR && !(z.msg && strcmp(z.msg, "incorrect data check") == 0)))) {
        fail(m, -1, "a content stream is damaged (%s)", z.msg ? z.msg : "a preset dictionary");
        stop = -1;
    }
    inflateEnd(&z);
    return stop;
}

/* ---- object streams (7.5.7) ---- */

typedef struct {
    measure *m;
    unsigned char *buf;
    size_t len, cap;
} collect;

static int collect_bytes(void *ctx, const unsigned char *b, size_t n)
{
    collect *c = ctx;
    if (c->len + n > OBJSTM_MAX || c->m->bufbytes + c->len + n > OBJSTM_TOTAL) {
        fail(c->m, -1, "its object streams inflate past %s", "16 MiB");
        return 1;
    }
    if (SDC_VEC_RESERVE(c->buf, c->cap, c->len + n) < 0) {
        fail(c->m, -2, "out of memory");
        return 1;
    }
    memcpy(c->buf + c->len, b, n);
    c->len += n;
    return 0;
}

static int open_object_stream(measure *m, const pval *dict, size_t data)
{
    pval nv, fv;
    long count, first;
    if (!dict_first(dict, "N", &nv) || !int_of(m, &nv, &count) || !dict_first(dict, "First", &fv) ||
        !int_of(m, &fv, &first))
        return 0;
    collect c = {.m = m};
    if (stream_decode(m, dict, data, collect_bytes, &c) != 0 || m->failed) {
        free(c.buf);
        return m->failed ? -1 : 0;
    }
    if (SDC_VEC_RESERVE(m->bufs, m->bufcap, m->nbufs + 1) < 0 ||
        SDC_VEC_RESERVE(m->buflens, m->buflencap, m->nbufs + 1) < 0) {
        free(c.buf);
        fail(m, -2, "out of memory");
        return -1;
    }
    m->bufs[m->nbufs] = c.buf;
    m->buflens[m->nbufs++] = c.len;
    m->bufbytes += c.len;
    size_t i = 0;
    for (long k = 0; k < count; k++) {
        long num, off;
        i = skip_ws(c.buf, c.len, i);
        if (!read_uint(c.buf, c.len, &i, &num))
            break;
        i = skip_ws(c.buf, c.len, i);
        if (!read_uint(c.buf, c.len, &i, &off))
            break;
        if ((size_t)first + (size_t)off < c.len &&
            obj_add(m, num, (uint32_t)m->nbufs, (size_t)first + (size_t)off) < 0)
            return -1;
    }
    return 0;
}

static int index_object_streams(measure *m)
{
    size_t n = m->nobjs;
    for (size_t k = 0; k < n && !m->failed; k++) {
        pval dict;
        size_t data;
        if (stream_find(m, &m->objs[k], &dict, &data) && dict_has_name(&dict, "Type", "ObjStm") &&
            open_object_stream(m, &dict, data) < 0)
            return -1;
    }
    return m->failed ? -1 : 0;
}

/* ---- lexing content streams (7.8.2, 9.4) ---- */

enum { LX_OP, LX_STR, LX_HEX, LX_COMMENT, LX_LT };

typedef struct {
    measure *m;
    lexed *out;
    int st, depth;
    bool esc;
    char tok[NAME_MAX_LEN + 2]; /* the token being read; '/' first for a name */
    size_t toklen;
    bool toklong;
    char name[NAME_MAX_LEN + 1]; /* the name just before, for a Do */
    bool have_name, name_ok;
} lexer;

static int draw_add(lexer *lx, const char *name)
{
    lexed *l = lx->out;
    for (size_t i = l->ndraws; i > 0; i--)
        if (strcmp(l->draws[i - 1].name, name) == 0) {
            l->draws[i - 1].times++;
            return 0;
        }
    if (++lx->m->names > NAMES_MAX) {
        fail(lx->m, -1, "its pages draw more distinct XObjects than sdccheck follows");
        return -1;
    }
    if (SDC_VEC_RESERVE(l->draws, l->cap, l->ndraws + 1) < 0) {
        fail(lx->m, -2, "out of memory");
        return -1;
    }
    snprintf(l->draws[l->ndraws].name, sizeof l->draws[0].name, "%s", name);
    l->draws[l->ndraws++].times = 1;
    return 0;
}

/* A token has ended: a name is kept for a Do that may follow; anything
 * else forgets it. Tokens are read in every state, strings and comments
 * too, so no Do that poppler sees is missed (one in a string counts
 * extra). */
static int token_end(lexer *lx)
{
    int rc = 0;
    if (!lx->toklen)
        return 0;
    if (lx->tok[0] == '/') {
        lx->have_name = true;
        lx->name_ok = !lx->toklong && lx->toklen > 1 &&
                      name_decode((const unsigned char *)lx->tok + 1,
                                  (const unsigned char *)lx->tok + lx->toklen, lx->name) > 0;
    } else {
        if (lx->toklen == 2 && lx->tok[0] == 'D' && lx->tok[1] == 'o' && lx->have_name) {
            if (lx->name_ok)
                rc = draw_add(lx, lx->name);
            else {
                fail(lx->m, -1, "a page draws an XObject by a name sdccheck cannot follow");
                rc = -1;
            }
        }
        lx->have_name = false;
    }
    lx->toklen = 0;
    lx->toklong = false;
    return rc;
}

static void token_char(lexer *lx, char c)
{
    if (lx->toklen < NAME_MAX_LEN + 1)
        lx->tok[lx->toklen++] = c;
    else
        lx->toklong = true;
}

static int lex_bytes(void *ctx, const unsigned char *b, size_t n)
{
    lexer *lx = ctx;
    lexed *l = lx->out;
    l->own.bytes = sat_add(l->own.bytes, n);
    lx->m->decoded = sat_add(lx->m->decoded, n);
    for (size_t i = 0; i < n; i++) {
        int c = b[i];
        /* in a string or a comment every byte is text */
        switch (lx->st) {
        case LX_STR:
            l->own.text++;
            if (lx->esc)
                lx->esc = false;
            else if (c == '\\')
                lx->esc = true;
            else if (c == '(')
                lx->depth++;
            else if (c == ')' && --lx->depth == 0)
                lx->st = LX_OP;
            break;
        case LX_LT:
            if (c == '<') { /* a dictionary */
                lx->st = LX_OP;
                break;
            }
            lx->st = LX_HEX;
            /* fall through */
        case LX_HEX:
            l->own.text++;
            if (c == '>')
                lx->st = LX_OP;
            break;
        case LX_COMMENT:
            l->own.text++;
            if (c == '\n' || c == '\r')
                lx->st = LX_OP;
            break;
        default:
            if (c == '(') {
                lx->st = LX_STR;
                lx->depth = 1;
            } else if (c == '<') {
                lx->st = LX_LT;
            } else if (c == '%') {
                lx->st = LX_COMMENT;
            }
            break;
        }
        /* tokens, in every state */
        if (sdc_pdf_space(c) || sdc_pdf_delimiter(c)) {
            if (token_end(lx) < 0)
                return 1;
            if (c == '/')
                token_char(lx, '/');
        } else {
            token_char(lx, (char)c);
        }
    }
    /* past a budget the answer is known: stop inflating */
    if (l->own.text > lx->m->page_text_max || l->own.bytes > lx->m->content_max ||
        lx->m->decoded > lx->m->content_max)
        return 1;
    return 0;
}

static lexed *lex_stream(measure *m, pobj *o)
{
    if (o->lex)
        return o->lex;
    pval dict;
    size_t data;
    if (!stream_of(m, o, &dict, &data))
        return NULL;
    lexed *l = calloc(1, sizeof *l);
    if (!l) {
        fail(m, -2, "out of memory");
        return NULL;
    }
    o->lex = l;
    lexer lx = {.m = m, .out = l};
    if (stream_decode(m, &dict, data, lex_bytes, &lx) < 0 || token_end(&lx) < 0)
        return NULL;
    l->open_end = lx.st == LX_STR || lx.st == LX_HEX || lx.st == LX_LT || lx.have_name;
    return l;
}

/* ---- what a page draws ---- */

static void cost_max(cost *most, cost c)
{
    if (c.text > most->text)
        most->text = c.text;
    if (c.bytes > most->bytes)
        most->bytes = c.bytes;
}

static bool over(const measure *m, cost c)
{
    return c.text > m->page_text_max || c.bytes > m->content_max || m->decoded > m->content_max;
}

static cost form_cost(measure *m, pobj *o, const res_chain *chain, bool *chained);

/* The definitions of object NUM, which a page draws: [*LO, return). None
 * fails the measure: poppler may reach an object where the index does not
 * (it rebuilds a table it cannot use), and what it would draw there is
 * not guessed at. */
static size_t drawn_defs(measure *m, long num, size_t *lo)
{
    size_t hi = obj_find(m, num, lo);
    if (*lo == hi && !m->failed)
        fail(m, -1, "a page draws object %ld, which sdccheck cannot find", num);
    return hi;
}

/* The forms the XObject dictionary XD names NAME (each definition). */
static void xobject_forms(measure *m, const pval *xd, const char *name, const res_chain *chain,
                          bool *chained, bool *found, cost *best)
{
    pval target;
    if (!charge(m, xd->end - xd->start))
        return;
    for (size_t t = 0; dict_get(xd, name, &t, &target) && !m->failed;) {
        *found = true;
        if (target.type != V_REF)
            continue;
        size_t lo, hi = drawn_defs(m, target.num, &lo);
        for (size_t d = lo; d < hi && step(m); d++) {
            pval sd;
            size_t data;
            if (stream_of(m, &m->objs[d], &sd, &data) && dict_has_name(&sd, "Subtype", "Form"))
                cost_max(best, form_cost(m, &m->objs[d], chain, chained));
        }
    }
}

/* The cost of "/NAME Do" with the resources CHAIN: the first level that
 * names it decides, as in poppler; a form counts, an image does not. */
static cost xobject_cost(measure *m, const res_chain *chain, const char *name, bool *chained)
{
    cost best = {0, 0};
    for (const res_chain *c = chain; c && !m->failed; c = c->up) {
        bool found = false;
        pval res, xo, xd;
        for (size_t r = 0; c->res.type != V_NONE && resolve(m, &c->res, r, &res) && step(m); r++)
            for (size_t k = 0; dict_get(&res, "XObject", &k, &xo) && step(m);)
                for (size_t x = 0; resolve(m, &xo, x, &xd) && step(m); x++)
                    xobject_forms(m, &xd, name, chain, chained, &found, &best);
        if (found) {
            if (c != chain)
                *chained = true;
            return best;
        }
    }
    /* poppler may find what was not found here (it repairs what it
     * parses): not guessed at */
    if (!m->failed)
        fail(m, -1, "a page draws an XObject sdccheck cannot find (/%s)", name);
    return best;
}

/* A content stream's own text and bytes, and those of what it draws. */
static cost content_cost(measure *m, pobj *o, const res_chain *chain, bool *chained, bool *open_end)
{
    cost c = {0, 0};
    lexed *l = lex_stream(m, o);
    if (!l)
        return c;
    c = l->own;
    *open_end = l->open_end;
    for (size_t i = 0; i < l->ndraws && !m->failed && !over(m, c); i++) {
        cost d = xobject_cost(m, chain, l->draws[i].name, chained);
        d.bytes = sat_add(d.bytes, DRAW_BYTES);
        cost_add(&c, d, l->draws[i].times);
    }
    return c;
}

/* A form XObject or an appearance stream: drawn with its own resources on
 * top of the caller's. Its cost is kept when it does not depend on the
 * caller (every name it draws is in its own resources). */
static cost form_cost(measure *m, pobj *o, const res_chain *chain, bool *chained)
{
    cost c = {0, 0};
    pval dict;
    size_t data;
    if (!step(m) || !stream_of(m, o, &dict, &data))
        return c;
    lexed *l = lex_stream(m, o);
    if (!l)
        return c;
    if (l->state == 2)
        return l->memo;
    if (l->state == 1) {
        fail(m, -1, "its forms draw each other in a loop");
        return c;
    }
    res_chain own = {.up = chain};
    if (!dict_first(&dict, "Resources", &own.res))
        own.res.type = V_NONE;
    bool mine = false, open_end = false;
    l->state = 1;
    c = content_cost(m, o, &own, &mine, &open_end);
    l->state = 0;
    if (mine || own.res.type == V_NONE) {
        *chained = true;
    } else {
        l->state = 2;
        l->memo = c;
    }
    return c;
}

/* The streams a /Contents value names: a stream, an array of them, or a
 * reference to an array. Each counts as often as it is named, each
 * definition of it at its largest. */
static void contents_cost(measure *m, const pval *v, const res_chain *chain, cost *page, int depth)
{
    pval e, x;
    if (v->type == V_ARRAY) {
        bool open_end = false;
        for (size_t pos = 0; array_next(v, &pos, &e) && step(m) && !over(m, *page);) {
            if (open_end) {
                fail(m, -1, "a page's content streams split a string or a name between them");
                return;
            }
            if (e.type != V_REF)
                continue;
            size_t lo, hi = drawn_defs(m, e.num, &lo);
            cost most = {0, 0};
            for (size_t d = lo; d < hi && !m->failed; d++) {
                bool chained = false, end = false;
                cost_max(&most, content_cost(m, &m->objs[d], chain, &chained, &end));
                open_end = open_end || end;
            }
            cost_add(page, most, 1);
        }
        return;
    }
    if (v->type != V_REF || depth > 1)
        return;
    size_t lo, hi = drawn_defs(m, v->num, &lo);
    cost most = {0, 0};
    for (size_t d = lo; d < hi && step(m); d++) {
        size_t data;
        bool chained = false, end = false;
        if (stream_of(m, &m->objs[d], &x, &data)) {
            cost_max(&most, content_cost(m, &m->objs[d], chain, &chained, &end));
        } else if (obj_value(m, &m->objs[d], &x) && x.type == V_ARRAY) {
            cost c = {0, 0};
            contents_cost(m, &x, chain, &c, depth + 1);
            cost_max(&most, c);
        }
    }
    cost_add(page, most, 1);
}

/* The normal appearance N of an annotation: a stream, or a dictionary of
 * states to streams (one is drawn: the largest counts). */
static void appearance_cost(measure *m, const pval *n, const res_chain *chain, cost *most)
{
    pval states, key, s;
    size_t lo = 0, hi = 0;
    if (n->type == V_REF)
        hi = drawn_defs(m, n->num, &lo);
    for (size_t d = lo; d < hi && step(m); d++) {
        size_t data;
        bool chained = false;
        if (stream_of(m, &m->objs[d], &states, &data))
            cost_max(most, form_cost(m, &m->objs[d], chain, &chained));
    }
    for (size_t r = 0; resolve(m, n, r, &states) && step(m); r++) {
        if (states.type != V_DICT || !charge(m, states.end - states.start))
            continue;
        for (size_t pos = 0; dict_next(&states, &pos, &key, &s) && !m->failed;) {
            if (s.type != V_REF)
                continue;
            size_t slo, shi = drawn_defs(m, s.num, &slo);
            for (size_t d = slo; d < shi && step(m); d++) {
                bool chained = false;
                cost_max(most, form_cost(m, &m->objs[d], chain, &chained));
            }
        }
    }
}

/* An annotation: the strings of its dictionary and of its fields' (poppler
 * builds an appearance from a field's value or a /Contents string when
 * there is none), and its normal appearance. */
static void annot_cost(measure *m, const pval *a, const res_chain *chain, cost *page)
{
    pval cur = *a, parent, ap, apd, n;
    for (int up = 0; up < 16 && cur.type == V_DICT && charge(m, cur.end - cur.start); up++) {
        page->text = sat_add(page->text, string_bytes(&cur));
        if (!dict_first(&cur, "Parent", &parent) || !resolve(m, &parent, 0, &cur))
            break;
    }
    cost most = {0, 0};
    for (size_t k = 0; dict_get(a, "AP", &k, &ap) && !m->failed;)
        for (size_t r = 0; resolve(m, &ap, r, &apd) && step(m); r++)
            for (size_t j = 0; dict_get(&apd, "N", &j, &n) && !m->failed;)
                appearance_cost(m, &n, chain, &most);
    cost_add(page, most, 1);
}

static void annots_cost(measure *m, const pval *v, const res_chain *chain, cost *page)
{
    pval arr, e, a;
    for (size_t r = 0; resolve(m, v, r, &arr) && !m->failed; r++)
        for (size_t pos = 0; array_next(&arr, &pos, &e) && step(m) && !over(m, *page);)
            for (size_t d = 0; resolve(m, &e, d, &a) && step(m); d++)
                annot_cost(m, &a, chain, page);
}

/* The page's resources: its own, or the nearest ancestor's. */
static pval page_resources(measure *m, const pval *page)
{
    pval cur = *page, res, parent;
    for (int up = 0; up < 32 && cur.type == V_DICT; up++) {
        if (dict_first(&cur, "Resources", &res))
            return res;
        if (!dict_first(&cur, "Parent", &parent) || !resolve(m, &parent, 0, &cur))
            break;
    }
    memset(&res, 0, sizeof res); /* V_NONE */
    return res;
}

/* What poppler may take for a page: not a page-tree node, and a page by
 * its type, or by having content or annotations. */
static bool is_page(const pval *d)
{
    pval v;
    if (d->type != V_DICT || dict_first(d, "Kids", &v))
        return false;
    if (dict_has_name(d, "Type", "Page") || dict_first(d, "Annots", &v))
        return true;
    return dict_first(d, "Contents", &v) && (v.type == V_REF || v.type == V_ARRAY);
}

static void measure_pages(measure *m, sdc_pdf_measure *out)
{
    for (size_t k = 0; k < m->nobjs && !m->failed; k++) {
        pval d, v;
        size_t end;
        if (!obj_parse(m, &m->objs[k], &d, &end) || !is_page(&d))
            continue;
        out->pages++;
        res_chain chain = {.up = NULL};
        chain.res = page_resources(m, &d);
        cost page = {0, 0};
        for (size_t c = 0; dict_get(&d, "Contents", &c, &v) && !m->failed;)
            contents_cost(m, &v, &chain, &page, 0);
        for (size_t c = 0; dict_get(&d, "Annots", &c, &v) && !m->failed;)
            annots_cost(m, &v, &chain, &page);
        if (m->decoded > m->content_max)
            page.bytes = HUGE_COST; /* more inflated than any budget lets poppler draw */
        if (page.text > out->page_text)
            out->page_text = page.text;
        out->text = sat_add(out->text, page.text);
        out->content = sat_add(out->content, page.bytes);
        if (out->page_text > m->page_text_max || out->text > m->text_max ||
            out->content > m->content_max)
            return; /* over a budget: the answer is known */
    }
}

/* ---- the embedded files' specifications ---- */

#define TREE_DEPTH 64 /* levels of the EmbeddedFiles name tree followed */

static const char *const value_kinds[] = {
    [V_NONE] = "nothing",    [V_NUM] = "a number",   [V_NAME] = "a name",
    [V_STR] = "a string",    [V_ARRAY] = "an array", [V_DICT] = "a dictionary",
    [V_REF] = "a reference", [V_WORD] = "a keyword"};

/*
 * Is object NUM, which the tree refers to, defined anywhere found here?
 * If not, M fails (the tree cannot be followed): poppler may still find
 * a definition by the offsets of the xref table, say inside another
 * object's number ("/Type28 0 obj" read from its 8), and what it finds
 * there is not checked. A fuzzed PDF whose file specification was
 * defined after a damaged endobj ("en/Type8 0 obj", before the loose
 * index) made poppler read a string as one through a null pointer
 * (testdata/fuzz-regressions/pdf-spec-behind-a-name.pdf).
 */
static bool defined(measure *m, long num)
{
    size_t lo, hi = obj_find(m, num, &lo);
    if (lo < hi)
        return true;
    fail(m, -1, "its EmbeddedFiles name tree refers to object %ld, which is not found", num);
    return false;
}

/* Object NUM's definitions, each a file specification poppler would read:
 * every one must be a dictionary. */
static void file_spec(measure *m, long num)
{
    if (!defined(m, num))
        return;
    size_t lo, hi = obj_find(m, num, &lo);
    for (; lo < hi && step(m); lo++) {
        pval v;
        if (!obj_value(m, &m->objs[lo], &v)) {
            fail(m, -1, "its EmbeddedFiles name tree names object %ld, which cannot be read", num);
            return;
        }
        if (v.type != V_DICT)
            fail(m, 1,
                 "its EmbeddedFiles name tree names object %ld as a file specification, and "
                 "object %ld is %s, not a dictionary",
                 num, num, value_kinds[v.type]);
    }
}

static void tree_node(measure *m, const pval *node, int depth);

/* A kid of a name tree node (or its root): a dictionary, direct or each
 * definition of the object it refers to, each walked once. */
static void tree_kid(measure *m, const pval *kid, int depth)
{
    if (kid->type == V_DICT) {
        tree_node(m, kid, depth + 1);
        return;
    }
    if (kid->type != V_REF || !defined(m, kid->num))
        return;
    size_t lo, hi = obj_find(m, kid->num, &lo);
    for (; lo < hi && !m->failed; lo++) {
        pobj *o = &m->objs[lo];
        pval v;
        if (o->walked)
            continue;
        o->walked = true;
        if (obj_value(m, o, &v) && v.type == V_DICT)
            tree_node(m, &v, depth + 1);
    }
}

/* A node of the tree (7.9.6): its /Names array pairs a key with a value,
 * its /Kids are nodes. Every value of a repeated key is followed. The
 * pairs must be as the standard has them, a string and then a file
 * specification that can carry a file (a dictionary, direct or referred
 * to): how poppler reads anything else is not predicted here. */
static void tree_node(measure *m, const pval *node, int depth)
{
    if (depth > TREE_DEPTH) {
        fail(m, -1, "its EmbeddedFiles name tree is more than %d levels deep", TREE_DEPTH);
        return;
    }
    pval v, a, e;
    for (size_t k = 0; dict_get(node, "Names", &k, &v) && !m->failed;)
        for (size_t r = 0;
             (v.type != V_REF || defined(m, v.num)) && resolve(m, &v, r, &a) && !m->failed; r++) {
            size_t i = 0;
            for (size_t pos = 0; array_next(&a, &pos, &e) && step(m); i++) {
                if (i % 2 == 0 && e.type != V_STR)
                    fail(m, 1,
                         "its EmbeddedFiles name tree has %s where a key (a string) should be",
                         value_kinds[e.type]);
                else if (i % 2 == 1 && e.type == V_REF)
                    file_spec(m, e.num);
                else if (i % 2 == 1 && e.type != V_DICT)
                    fail(m, 1,
                         "its EmbeddedFiles name tree has %s where a file specification "
                         "should be",
                         value_kinds[e.type]);
            }
            if (a.type == V_ARRAY && i % 2 == 1)
                fail(m, 1, "its EmbeddedFiles name tree has a name without a file specification");
        }
    for (size_t k = 0; dict_get(node, "Kids", &k, &v) && !m->failed;)
        for (size_t r = 0;
             (v.type != V_REF || defined(m, v.num)) && resolve(m, &v, r, &a) && !m->failed; r++)
            for (size_t pos = 0; array_next(&a, &pos, &e) && step(m);)
                tree_kid(m, &e, depth);
}

/* Every dictionary that could be the catalog (any object with /Names that
 * leads to a dictionary with /EmbeddedFiles): the tree of each. */
static void embedded_files(measure *m)
{
    for (size_t k = 0; k < m->nobjs && !m->failed; k++) {
        pval d, v, names, ef;
        size_t end;
        if (!obj_parse(m, &m->objs[k], &d, &end) || d.type != V_DICT)
            continue;
        for (size_t a = 0; dict_get(&d, "Names", &a, &v) && !m->failed;)
            for (size_t r = 0; resolve(m, &v, r, &names) && !m->failed; r++)
                for (size_t b = 0; dict_get(&names, "EmbeddedFiles", &b, &ef) && !m->failed;)
                    tree_kid(m, &ef, -1);
    }
}

/* Finds the PDF's objects, object streams opened; 0, or -1 (m->failed). */
static int measure_index(measure *m)
{
    m->window = malloc(WINDOW);
    if (!m->window) {
        fail(m, -2, "out of memory");
        return -1;
    }
    if (index_file(m) < 0)
        return -1;
    if (m->nobjs > 1)
        qsort(m->objs, m->nobjs, sizeof *m->objs, obj_cmp);
    if (index_object_streams(m) < 0)
        return -1;
    if (m->nobjs > 1)
        qsort(m->objs, m->nobjs, sizeof *m->objs, obj_cmp);
    return 0;
}

static void measure_free(measure *m)
{
    for (size_t k = 0; k < m->nobjs; k++) {
        if (m->objs[k].lex)
            free(m->objs[k].lex->draws);
        free(m->objs[k].lex);
    }
    for (size_t k = 0; k < m->nbufs; k++)
        free(m->bufs[k]);
    free(m->bufs);
    free(m->buflens);
    free(m->ends);
    free(m->objs);
    free(m->window);
}

static int index_with_xref(measure *m);

int sdc_pdf_measure_text(const unsigned char *pdf, size_t len, uint64_t page_text_max,
                         uint64_t text_max, uint64_t content_max, sdc_pdf_measure *out)
{
    memset(out, 0, sizeof *out);
    measure m = {.pdf = pdf,
                 .len = len,
                 .page_text_max = page_text_max,
                 .text_max = text_max,
                 .content_max = content_max,
                 .user = "a page",
                 .why = out->why,
                 .why_size = sizeof out->why};
    /* poppler decrypts a PDF encrypted for its owner only, with no password
     * asked; the bytes seen here would be ciphertext */
    for (const unsigned char *p = pdf; (p = memmem(p, len - (size_t)(p - pdf), "/Encrypt", 8));
         p += 8)
        if ((size_t)(p - pdf) + 8 == len || !is_regular(p[8]))
            fail(&m, -1, "it is encrypted, so what its pages draw cannot be measured");
    if (!m.failed && index_with_xref(&m) == 0)
        measure_pages(&m, out);
    measure_free(&m);
    return m.failed;
}

/*
 * An in-use entry of the cross-reference table: poppler reads object NUM
 * at byte OFF when "NUM GEN obj" starts there (ISO 32000-1, 7.5.4), and
 * that is a definition of NUM whatever precedes it: "/Type28 0 obj" read
 * from its 8, which the index takes for object 28. A definition of NUM
 * found elsewhere does not hide it: with a dictionary defined as object 8
 * further on, poppler still read the string at the table's offset as the
 * file specification, through a null pointer (SIGSEGV). Added to the
 * index once, for the check of every definition (file_spec).
 */
/* Where the value of the definition "NUM GEN obj" starting at byte OFF
 * starts (past "obj", which ends there), its numbers into *NUM and *GEN;
 * 0 when no definition starts at OFF. */
static size_t definition_at(const measure *m, unsigned long long off, long *num, long *gen)
{
    const unsigned char *b = m->pdf;
    size_t n = m->len, i = (size_t)off;
    if (off >= n || !read_uint(b, n, &i, num))
        return 0;
    i = skip_ws(b, n, i);
    if (!read_uint(b, n, &i, gen))
        return 0;
    i = skip_ws(b, n, i);
    if (n - i < 3 || memcmp(b + i, "obj", 3) != 0 || (i + 3 < n && is_regular(b[i + 3])))
        return 0;
    return i + 3;
}

static void xref_definition(void *ctx, unsigned long long num, unsigned long long gen,
                            unsigned long long off)
{
    measure *m = ctx;
    long a, g;
    size_t at = m->failed ? 0 : definition_at(m, off, &a, &g);
    if (!at || (unsigned long long)a != num || (unsigned long long)g != gen)
        return;
    size_t lo, hi = obj_find_in(m, m->sorted, a, &lo);
    for (; lo < hi; lo++)
        if (m->objs[lo].buf == 0 && m->objs[lo].at == at)
            return;
    obj_add(m, a, 0, at);
}

/* A big-endian field of W bytes (a cross-reference stream's, 7.5.8.3). */
static unsigned long long field_of(const unsigned char *b, long w)
{
    unsigned long long v = 0;
    for (long k = 0; k < w; k++)
        v = v << 8 | b[k];
    return v;
}

/*
 * A cross-reference stream's in-use entries, for the file specifications'
 * check (ISO 32000-1, 7.5.8): the object "N G obj" at byte AT, a stream of
 * /Type /XRef, its data unfiltered (pdf_filters.c: Flate with the PNG
 * predictors these streams use, and the other standard filters of data),
 * rows of /W fields for the objects /Index names (the default [0 /Size]).
 * Each entry of type 1 (or of no type field: type 1) is an offset and a
 * generation, passed to xref_definition as the tables' are; an object in
 * an object stream (type 2) is found there by poppler only under the
 * number the stream's own header gives it, which the index holds already.
 * A stream that cannot be read stops the check: poppler would read it, or
 * rebuild the table, and which definitions it then reaches is not known.
 */
static bool xref_stream(void *ctx, unsigned long long at, unsigned long long *prev)
{
    measure *m = ctx;
    *prev = 0;
    const unsigned char *b = m->pdf;
    long num, gen, w[3] = {0, 0, 0}, first = 0, count = 0, size = 0;
    size_t def = m->failed ? 0 : definition_at(m, at, &num, &gen);
    if (!def)
        return false;
    size_t lo, hi = obj_find_in(m, m->sorted, num, &lo);
    while (lo < hi && (m->objs[lo].buf || m->objs[lo].at != def))
        lo++;
    pval dict, v, e;
    size_t data;
    if (lo == hi || !stream_find(m, &m->objs[lo], &dict, &data) ||
        !dict_has_name(&dict, "Type", "XRef")) {
        fail(m, -1, "its cross-reference stream at byte %llu cannot be read", at);
        return false;
    }
    if (dict_first(&dict, "Prev", &v) && v.type == V_NUM && v.num > 0)
        *prev = (unsigned long long)v.num;
    size_t pos = 0;
    bool ok = dict_first(&dict, "W", &v);
    for (int k = 0; k < 3 && ok; k++)
        ok = array_next(&v, &pos, &e) && e.type == V_NUM && e.num >= 0 && e.num <= 8 &&
             (w[k] = e.num, true);
    ok = ok && w[1] > 0 && dict_first(&dict, "Size", &v) && v.type == V_NUM && v.num >= 0 &&
         (size = v.num, true);
    sdc_pdf_filter f[SDC_PDF_FILTERS_MAX];
    int nf = ok ? sdc_pdf_filters(dict.buf + dict.start, dict.end - dict.start, f) : -1;
    unsigned char *rows = NULL;
    size_t nrows = 0;
    bool cut = false;
    size_t raw = nf >= 0 ? raw_extent(m, &dict, data) : 0;
    if (nf == 0 && (rows = malloc(raw + 1)) != NULL) {
        memcpy(rows, b + data, raw);
        nrows = raw;
    } else if (nf > 0 && !sdc_pdf_unfilter(f, nf, b + data, raw, OBJSTM_MAX, &rows, &nrows, &cut)) {
        rows = NULL;
    }
    if (!rows || cut) {
        free(rows);
        fail(m, -1, "its cross-reference stream at byte %llu cannot be read", at);
        return false;
    }
    size_t row = (size_t)(w[0] + w[1] + w[2]), r = 0;
    pval index;
    bool listed = dict_first(&dict, "Index", &index) && index.type == V_ARRAY;
    pos = 0;
    for (int section = 0; !m->failed; section++) {
        if (listed) {
            pval a, c;
            if (!array_next(&index, &pos, &a) || !array_next(&index, &pos, &c) || a.type != V_NUM ||
                c.type != V_NUM || a.num < 0 || c.num < 0)
                break;
            first = a.num;
            count = c.num;
        } else if (section == 0) {
            first = 0;
            count = size;
        } else {
            break;
        }
        for (long k = 0; k < count && (r + 1) * row <= nrows && !m->failed; k++, r++) {
            const unsigned char *q = rows + r * row;
            unsigned long long type = w[0] ? field_of(q, w[0]) : 1;
            if (type == 1)
                xref_definition(m, (unsigned long long)(first + k), field_of(q + w[0] + w[1], w[2]),
                                field_of(q + w[0], w[1]));
        }
    }
    free(rows);
    return !m->failed;
}

/* M's index (measure_index) with the definitions the cross-reference
 * tables and streams place (xref_definition): poppler reads an object at
 * its table's offset whatever precedes it there ("b5 0 obj", which the
 * scan of the text measure does not take for a definition: a page drew a
 * form found only there 1,000 times, the form drawing another 1,000,
 * counted as 1,000 draws of nothing, 2 s in poppler; fuzz/pdf). Returns
 * 0, or -1 when M failed. */
static int index_with_xref(measure *m)
{
    if (measure_index(m) < 0)
        return -1;
    m->sorted = m->nobjs;
    sdc_pdf_xref_entries(m->pdf, m->len, xref_definition, xref_stream, m);
    if (!m->failed && m->nobjs > m->sorted)
        qsort(m->objs, m->nobjs, sizeof *m->objs, obj_cmp);
    return m->failed ? -1 : 0;
}

int sdc_pdf_file_specs_check(const unsigned char *pdf, size_t len, char *why, size_t why_size)
{
    measure m = {.pdf = pdf,
                 .len = len,
                 .user = "its EmbeddedFiles name tree",
                 .why = why,
                 .why_size = why_size,
                 .loose = true};
    why[0] = '\0';
    if (index_with_xref(&m) == 0)
        embedded_files(&m);
    measure_free(&m);
    return m.failed;
}
