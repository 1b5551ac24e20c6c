/*
 * report_util.c - what every report writer needs: a strict UTF-8 decoder,
 * escaping for JSON, XML and terminals, numbers, dates and totals.
 *
 * Each escaper walks its string one code point at a time through the same
 * decoder, so the rule "invalid UTF-8 becomes U+FFFD" lives in one place and
 * no output can be made invalid by a hostile file name or cell. Totals are
 * counted here, from the verdicts the checker derived; nothing in this file
 * decides a verdict.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report_util.h"

size_t sdc_report_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char b = s[0];
    /* Unicode 15, table 3-7: the second byte's range depends on the first,
     * which rules out overlong forms, surrogates and code points above
     * U+10FFFF. */
    unsigned char lo = 0x80, hi = 0xBF;
    size_t len;
    uint32_t c;

    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        c = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        c = b & 0x0Fu;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        c = b & 0x07u;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (n < len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        unsigned char t = s[i];
        if (t < (i == 1 ? lo : 0x80) || t > (i == 1 ? hi : 0xBF)) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (t & 0x3Fu);
    }
    *cp = c;
    return len;
}

static void put_utf8(uint32_t cp, FILE *out)
{
    if (cp < 0x80) {
        fputc((int)cp, out);
    } else if (cp < 0x800) {
        fputc((int)(0xC0 | (cp >> 6)), out);
        fputc((int)(0x80 | (cp & 0x3F)), out);
    } else if (cp < 0x10000) {
        fputc((int)(0xE0 | (cp >> 12)), out);
        fputc((int)(0x80 | ((cp >> 6) & 0x3F)), out);
        fputc((int)(0x80 | (cp & 0x3F)), out);
    } else {
        fputc((int)(0xF0 | (cp >> 18)), out);
        fputc((int)(0x80 | ((cp >> 12) & 0x3F)), out);
        fputc((int)(0x80 | ((cp >> 6) & 0x3F)), out);
        fputc((int)(0x80 | (cp & 0x3F)), out);
    }
}

/* What one code point becomes in an output: NULL for the character
 * itself, "" for nothing, else the text to write (BUF may hold it). */
typedef const char *(*escape_fn)(uint32_t cp, char *buf, size_t size);

/* The one escaping loop: S a code point at a time (invalid UTF-8 as
 * U+FFFD) through ESCAPE. */
static void put_escaped(const char *s, escape_fn escape, FILE *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    char buf[16];
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += sdc_report_utf8_next(p + i, n - i, &cp);
        const char *with = escape(cp, buf, sizeof buf);
        if (with)
            fputs(with, out);
        else
            put_utf8(cp, out);
    }
}

static const char *json_escape(uint32_t cp, char *buf, size_t size)
{
    switch (cp) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    }
    /* DEL and the JavaScript line separators are valid JSON but trip up
     * tools that paste JSON into scripts or terminals. */
    if (cp < 0x20 || cp == 0x7F || cp == 0x2028 || cp == 0x2029) {
        snprintf(buf, size, "\\u%04x", (unsigned)cp);
        return buf;
    }
    return NULL;
}

void sdc_report_json_string(const char *s, FILE *out)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    put_escaped(s, json_escape, out);
    fputc('"', out);
}

/* XML 1.0, section 2.2: the characters a document may contain. */
static bool xml_char_allowed(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

static const char *xml_escape(uint32_t cp, char *buf, size_t size)
{
    (void)buf;
    (void)size;
    if (!xml_char_allowed(cp))
        return "";
    switch (cp) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&apos;";
    /* As references they survive attribute-value normalisation. */
    case '\t': return "&#9;";
    case '\n': return "&#10;";
    case '\r': return "&#13;";
    }
    return NULL;
}

void sdc_report_xml_text(const char *s, FILE *out)
{
    if (s)
        put_escaped(s, xml_escape, out);
}

static const char *csv_escape(uint32_t cp, char *buf, size_t size)
{
    (void)buf;
    (void)size;
    return cp == '"' ? "\"\"" : NULL;
}

/* A plain decimal number: [+-]digits[.digits][e[+-]digits], at least one
 * digit before the exponent. */
static bool is_plain_number(const char *s)
{
    size_t digits = 0;
    if (*s == '+' || *s == '-')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    if (digits == 0)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

/* OWASP's "CSV injection": what a spreadsheet takes for a formula. A lone
 * sign is text to a spreadsheet, and so is a number. */
static bool csv_looks_like_formula(const char *s)
{
    switch (s[0]) {
    case '=':
    case '@':
    case '\t':
    case '\r': return true;
    case '+':
    case '-': return s[1] != '\0' && !is_plain_number(s);
    }
    return false;
}

void sdc_report_csv_field(const char *s, FILE *out)
{
    if (!s || !*s)
        return;
    bool quoted = strpbrk(s, ",\"\r\n") != NULL;
    if (quoted)
        fputc('"', out);
    if (csv_looks_like_formula(s))
        fputc('\'', out);
    put_escaped(s, csv_escape, out);
    if (quoted)
        fputc('"', out);
}

/* Bidirectional overrides and isolates can make a name read differently
 * from what it is ("Trojan Source"); show them instead of obeying them. */
static bool is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static const char *term_escape(uint32_t cp, char *buf, size_t size)
{
    switch (cp) {
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
    }
    if (cp < 0x20 || cp == 0x7F) {
        snprintf(buf, size, "\\x%02x", (unsigned)cp);
        return buf;
    }
    if ((cp >= 0x80 && cp <= 0x9F) || is_bidi_control(cp)) {
        snprintf(buf, size, "\\u%04x", (unsigned)cp);
        return buf;
    }
    return NULL;
}

void sdc_report_term_text(const char *s, FILE *out)
{
    if (s)
        put_escaped(s, term_escape, out);
}

static const char *html_escape(uint32_t cp, char *buf, size_t size)
{
    switch (cp) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    }
    /* what a terminal would obey is shown, not obeyed, on a page too */
    return term_escape(cp, buf, size);
}

void sdc_report_html_text(const char *s, FILE *out)
{
    if (s)
        put_escaped(s, html_escape, out);
}

int sdc_report_utc_time(long long t, bool zone, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if ((long long)tt != t || !gmtime_r(&tt, &tm))
        return -1;
    size_t len = zone ? strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm)
                      : strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    return len == 0 ? -1 : 0;
}

void sdc_report_count(const sdc_report *report, sdc_report_totals *totals)
{
    memset(totals, 0, sizeof *totals);
    for (size_t i = 0; i < report->file_count; i++) {
        const sdc_file_result *f = &report->files[i];
        switch (f->verdict) {
        case SDC_PASS: totals->pass++; break;
        case SDC_REVIEW: totals->review++; break;
        case SDC_FAIL: totals->fail++; break;
        }
        for (size_t j = 0; j < f->findings.count; j++)
            if (f->findings.items[j].verdict != SDC_PASS)
                totals->findings++;
    }
}

static int rule_count_compare(const void *a, const void *b)
{
    const sdc_report_rule_count *x = a, *y = b;
    return strcmp(x->rule, y->rule);
}

int sdc_report_rule_counts(const sdc_report *report, sdc_report_rule_count **counts, size_t *n)
{
    sdc_report_totals totals;
    sdc_report_count(report, &totals);
    *counts = NULL;
    *n = 0;
    if (totals.findings == 0)
        return 0;

    /* One entry per finding, sorted, then runs folded in place. */
    sdc_report_rule_count *all = malloc(totals.findings * sizeof *all);
    if (!all)
        return -1;
    size_t used = 0;
    for (size_t i = 0; i < report->file_count; i++) {
        const sdc_findings *list = &report->files[i].findings;
        for (size_t j = 0; j < list->count; j++)
            if (list->items[j].verdict != SDC_PASS)
                all[used++] = (sdc_report_rule_count){list->items[j].rule, 1};
    }
    qsort(all, used, sizeof *all, rule_count_compare);
    size_t distinct = 0;
    for (size_t i = 0; i < used; i++) {
        if (distinct > 0 && strcmp(all[distinct - 1].rule, all[i].rule) == 0)
            all[distinct - 1].count++;
        else
            all[distinct++] = all[i];
    }
    *counts = all;
    *n = distinct;
    return 0;
}

int sdc_report_finish(FILE *out)
{
    int flushed = fflush(out);
    return flushed != 0 || ferror(out) ? SDC_EIO : SDC_OK;
}

const char *sdc_report_verdict_upper(sdc_verdict v)
{
    switch (v) {
    case SDC_PASS: return "PASS";
    case SDC_REVIEW: return "REVIEW";
    case SDC_FAIL: return "FAIL";
    }
    return "FAIL";
}

const char *sdc_report_incomplete_why(const sdc_findings *findings, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned bit = 1; bit != 0; bit <<= 1) {
        const char *text = findings->incomplete & bit ? sdc_incomplete_reason_text(bit) : NULL;
        if (!text || used >= size)
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", text);
        used = n < 0 ? size : used + (size_t)n;
    }
    if (!buf[0])
        snprintf(buf, size, "an internal failure");
    return buf;
}
