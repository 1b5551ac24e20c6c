/*
 * identifier.c - direct identifiers in cells and text (doc/design.md, "Identifiers").
 *
 * This runs on every cell of every table and over whole documents, so the
 * built-in detectors (NHS number, National Insurance number, UK postcode,
 * e-mail address, UK telephone number) are small hand-written parsers rather
 * than regular expressions: one pass over the text computes cheap counts
 * (digits, letters, '@') that rule whole detectors out, then each word start
 * is tried against the detectors that could begin with its character. Only
 * the policy's own patterns go through regexec.
 *
 * Every built-in match needs word boundaries: it may not start or end inside
 * a longer run of ASCII letters or digits. Numeric detectors (NHS, phone)
 * also refuse to start after "digit." / "digit," / "digit-" or to end
 * before ".digit" / "-digit", so the tail of a decimal (0.9434765919), a
 * decimal's head (9434765919.5) and pieces of dates and ranges never match.
 *
 * Trade-offs, deliberately on the side of finding too much: a 10-digit
 * number with a valid check digit is reported as an NHS number even when it
 * is something else (about one random 10-digit number in eleven passes the
 * check); NI numbers are matched in any letter case, postcodes in capitals. The
 * result is the earliest match in the text (ties: e-mail, then NHS, phone,
 * NI, postcode, then policy patterns in policy order), so a report points
 * at the first identifier a reader would meet.
 *
 * The scanner is immutable after sdc_id_scanner_new and holds no scratch
 * state; glibc's regexec on a shared regex_t is thread-safe, so one scanner
 * serves every checking thread.
 */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sdccheck/identifier.h"

static const char KIND_NHS[] = "NHS number";
static const char KIND_NI[] = "National Insurance number";
static const char KIND_POSTCODE[] = "postcode";
static const char KIND_EMAIL[] = "e-mail address";
static const char KIND_PHONE[] = "telephone number";
/* Reported instead of "no identifier" when the patterns could not run:
 * a file is never passed unchecked. */
static const char KIND_UNCHECKED[] = "identifier patterns not checked (out of memory)";

typedef struct id_pattern {
    char *name;
    regex_t re;
} id_pattern;

struct sdc_id_scanner {
    bool nhs, ni, postcode, email, phone;
    id_pattern *patterns;
    size_t pattern_count;
    char **allow; /* identifier_allow, lower case */
    size_t nallow;
};

/* ------------------------------------------------------------------ */
/* characters (ASCII only: locale-independent and fast)               */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_alnum(char c)
{
    return is_digit(c) || is_alpha(c);
}

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* The character at I, or '\0' past the end: lets parsers peek freely. */
static char at(const char *t, size_t len, size_t i)
{
    return i < len ? t[i] : '\0';
}

static size_t digit_run(const char *t, size_t len, size_t i)
{
    size_t n = 0;
    while (i + n < len && is_digit(t[i + n]))
        n++;
    return n;
}

static bool word_start_ok(const char *t, size_t i)
{
    return i == 0 || !is_alnum(t[i - 1]);
}

static bool word_end_ok(const char *t, size_t len, size_t e)
{
    return e >= len || !is_alnum(t[e]);
}

/* A number may not be the tail of a decimal, thousands group or a
 * hyphenated run of digits (date, range). */
static bool numeric_start_ok(const char *t, size_t i)
{
    if (!word_start_ok(t, i))
        return false;
    if (i >= 2 && (t[i - 1] == '.' || t[i - 1] == ',' || t[i - 1] == '-') && is_digit(t[i - 2]))
        return false;
    return true;
}

/* ... nor the head of one. A comma after is allowed: lists of numbers. */
static bool numeric_end_ok(const char *t, size_t len, size_t e)
{
    if (!word_end_ok(t, len, e))
        return false;
    if ((at(t, len, e) == '.' || at(t, len, e) == '-') && is_digit(at(t, len, e + 1)))
        return false;
    return true;
}

/* ------------------------------------------------------------------ */
/* NHS number                                                         */

/*
 * Modulus 11, as the NHS Data Dictionary defines it ("NHS Number" data
 * element, https://www.datadictionary.nhs.uk/attributes/nhs_number.html):
 * multiply the first nine digits by weights 10, 9, ..., 2 and sum; the check
 * digit is 11 - (sum mod 11), where 11 becomes 0 and 10 means the number is
 * invalid. Ten identical digits (0000000000, 9999999999) pass that
 * arithmetic but are placeholders and missing-value codes, never issued
 * numbers, so they are not valid here.
 */
static bool nhs_digits_valid(const int d[10])
{
    int sum = 0;
    bool all_same = true;
    for (int i = 0; i < 9; i++) {
        sum += d[i] * (10 - i);
        if (d[i] != d[9])
            all_same = false;
    }
    if (all_same)
        return false;
    int check = 11 - sum % 11;
    if (check == 11)
        check = 0;
    return check != 10 && check == d[9];
}

bool sdc_nhs_number_valid(const char *text, size_t len)
{
    int d[10];
    size_t n = 0;
    if (!text)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == ' ' || text[i] == '-')
            continue;
        if (!is_digit(text[i]) || n == 10)
            return false;
        d[n++] = text[i] - '0';
    }
    return n == 10 && nhs_digits_valid(d);
}

static bool is_nhs_sep(char c)
{
    return c == ' ' || c == '-';
}

/* At a numeric word start I: 10 contiguous digits, or 3-3-4 joined by
 * single spaces or hyphens, with a valid check digit. */
static bool try_nhs(const char *t, size_t len, size_t i, size_t *end)
{
    size_t r = digit_run(t, len, i), e;
    if (r == 10) {
        e = i + 10;
    } else if (r == 3 && is_nhs_sep(at(t, len, i + 3)) && digit_run(t, len, i + 4) == 3 &&
               is_nhs_sep(at(t, len, i + 7)) && digit_run(t, len, i + 8) == 4) {
        e = i + 12;
    } else {
        return false;
    }
    if (!numeric_end_ok(t, len, e) || !sdc_nhs_number_valid(t + i, e - i))
        return false;
    *end = e;
    return true;
}

/* ------------------------------------------------------------------ */
/* National Insurance number                                          */

/*
 * Prefix rules from HMRC's National Insurance Manual, NIM39110
 * (https://www.gov.uk/hmrc-internal-manuals/national-insurance-manual/nim39110):
 * the first letter is not D, F, I, Q, U or V; the second is not D, F, I, O,
 * Q, U or V; the prefixes BG, GB, NK, KN, TN, NT and ZZ are not allocated
 * (TN marks a temporary number, which does not identify anyone). The suffix
 * is A, B, C or D.
 *
 * Letters are accepted in either case: people type NI numbers in lower case
 * in free text and a missed identifier costs more than a false alarm; the
 * word boundaries keep "tab123456c"-like runs inside words out.
 */
static bool ni_prefix_ok(char a, char b)
{
    static const char *const unallocated[] = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"};
    if (strchr("DFIQUV", a) || strchr("DFIOQUV", b))
        return false;
    for (size_t k = 0; k < sizeof unallocated / sizeof unallocated[0]; k++)
        if (unallocated[k][0] == a && unallocated[k][1] == b)
            return false;
    return true;
}

/* "AB123456C", optionally with a single space between any of its groups:
 * "AB 12 34 56 C", "AB 123456 C". */
static bool try_ni(const char *t, size_t len, size_t i, size_t *end)
{
    char a = upper(at(t, len, i)), b = upper(at(t, len, i + 1));
    if (!is_alpha(a) || !is_alpha(b) || !ni_prefix_ok(a, b))
        return false;
    size_t p = i + 2;
    for (int pair = 0; pair < 3; pair++) {
        if (at(t, len, p) == ' ' && is_digit(at(t, len, p + 1)))
            p++;
        if (!is_digit(at(t, len, p)) || !is_digit(at(t, len, p + 1)))
            return false;
        p += 2;
    }
    if (at(t, len, p) == ' ' && is_alpha(at(t, len, p + 1)))
        p++;
    char s = upper(at(t, len, p));
    if (s < 'A' || s > 'D' || !word_end_ok(t, len, p + 1))
        return false;
    *end = p + 1;
    return true;
}

/* ------------------------------------------------------------------ */
/* UK postcode                                                        */

/* Outward code shapes: L letter, D digit. */
static const char *const OUTWARD_SHAPES[] = {"LD", "LDD", "LDL", "LLD", "LLDD", "LLDL"};

static bool is_upper_letter(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* Postcodes are written in capitals; lower-case look-alikes are XML
 * entities (&#x30AF;), base64 and code, not addresses. */
static bool shape_matches(const char *t, size_t len, size_t i, const char *shape)
{
    for (size_t k = 0; shape[k]; k++) {
        char c = at(t, len, i + k);
        if (shape[k] == 'L' ? !is_upper_letter(c) : !is_digit(c))
            return false;
    }
    return true;
}

/* Inward code 9AA; its letters are never C, I, K, M, O or V (Royal Mail
 * Programmers' Guide). */
static bool inward_at(const char *t, size_t len, size_t q)
{
    char a = at(t, len, q + 1), b = at(t, len, q + 2);
    return is_digit(at(t, len, q)) && is_upper_letter(a) && is_upper_letter(b) &&
           !strchr("CIKMOV", a) && !strchr("CIKMOV", b);
}

/* "F5F8EE" is a colour (RRGGBB, everywhere in Office XML and HTML): six
 * hex digits without a space are not taken for a postcode. The price is an
 * unspaced six-character all-hex postcode ("CB21AB"), which people write
 * with its space. */
static bool colour_like(const char *t, size_t from, size_t to)
{
    if (to - from != 6)
        return false;
    for (size_t k = from; k < to; k++)
        if (!is_digit(t[k]) && !(t[k] >= 'A' && t[k] <= 'F'))
            return false;
    return true;
}

/* A full postcode (outward + optional single space + inward) or GIR 0AA,
 * in capitals. An outward code alone ("SW1A", a postal district) is not an
 * identifier and does not match. */
static bool try_postcode(const char *t, size_t len, size_t i, size_t *end)
{
    if (len - i >= 6 && strncasecmp(t + i, "GIR", 3) == 0) {
        size_t q = i + 3 + (t[i + 3] == ' ');
        if (len - q >= 3 && t[q] == '0' && upper(t[q + 1]) == 'A' && upper(t[q + 2]) == 'A' &&
            word_end_ok(t, len, q + 3)) {
            *end = q + 3;
            return true;
        }
    }
    for (size_t s = 0; s < sizeof OUTWARD_SHAPES / sizeof OUTWARD_SHAPES[0]; s++) {
        const char *shape = OUTWARD_SHAPES[s];
        if (!shape_matches(t, len, i, shape))
            continue;
        size_t q = i + strlen(shape);
        bool spaced = at(t, len, q) == ' ';
        if (spaced)
            q++;
        if (inward_at(t, len, q) && word_end_ok(t, len, q + 3) &&
            (spaced || !colour_like(t, i, q + 3))) {
            *end = q + 3;
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* e-mail address                                                     */

/* Local part: letters, digits and the punctuation real addresses use,
 * . _ % + - and the apostrophe (o'neill@...). The rest of RFC 5322's atext
 * (! # $ & = ? ^ { } and friends) is left out: in prose those characters
 * are more often neighbours of an address than part of it. */
static bool is_local_char(char c)
{
    return is_alnum(c) || (c != '\0' && strchr("._%+-'", c));
}

static bool is_domain_char(char c)
{
    return is_alnum(c) || c == '-';
}

/* The address around the '@' at A: local@label.label..., at least two
 * labels, the last (the TLD) two or more letters. */
static bool email_at(const char *t, size_t len, size_t a, size_t *start, size_t *end)
{
    size_t s = a;
    while (s > 0 && is_local_char(t[s - 1]))
        s--;
    while (s < a && !is_alnum(t[s]) && t[s] != '_')
        s++; /* quotes and dots before a name are not part of it */
    if (s == a)
        return false;

    size_t p = a + 1, labels = 0, tld_start;
    for (;;) {
        size_t l = p;
        while (p < len && is_domain_char(t[p]))
            p++;
        if (p == l)
            return false; /* empty label: "a@.com", "a@b..com" */
        labels++;
        tld_start = l;
        if (at(t, len, p) == '.' && is_domain_char(at(t, len, p + 1)))
            p++;
        else
            break;
    }
    if (labels < 2 || p - tld_start < 2)
        return false;
    for (size_t k = tld_start; k < p; k++)
        if (!is_alpha(t[k]))
            return false;
    *start = s;
    *end = p;
    return true;
}

static bool find_email(const char *t, size_t len, size_t *start, size_t *end)
{
    const char *p = t, *stop = t + len;
    while (p < stop && (p = memchr(p, '@', (size_t)(stop - p))) != NULL) {
        if (email_at(t, len, (size_t)(p - t), start, end))
            return true; /* local parts hold no '@': the first is earliest */
        p++;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* UK telephone number                                                */

/* Digit groups from P joined by single spaces or hyphens, stopping before
 * a group that would take the total past MAX digits (so a number followed
 * by " 2 times" is still a number). */
typedef struct digit_groups {
    size_t digits, count, shortest, first, end;
} digit_groups;

static void read_groups(const char *t, size_t len, size_t p, size_t max, digit_groups *g)
{
    memset(g, 0, sizeof *g);
    g->end = p;
    while (is_digit(at(t, len, p))) {
        size_t r = digit_run(t, len, p);
        if (g->digits + r > max)
            break;
        g->digits += r;
        if (g->count++ == 0)
            g->first = g->shortest = r;
        else if (r < g->shortest)
            g->shortest = r;
        p += r;
        g->end = p;
        if ((at(t, len, p) == ' ' || at(t, len, p) == '-') && is_digit(at(t, len, p + 1)))
            p++;
        else
            break;
    }
}

/* The digit after a UK trunk 0 (or after +44): 01 02 03 05 07 08. */
static bool uk_range_ok(char c)
{
    return c != '\0' && strchr("123578", c) != NULL;
}

/*
 * National numbers: 0 then 9 or 10 digits (10 or 11 in all), as
 * "07700 900123", "020 7946 0000", "(020) 7946 0000". International:
 * "+44" or "0044", an optional "(0)", then 9 or 10 digits. Written numbers
 * come in at most four groups of two or more digits, and a national first
 * group holds at least three ("020", "0161", "07700"): that is what keeps
 * dates ("03-04-2021 12"), ranges and runs of small numbers out.
 */
static bool try_phone(const char *t, size_t len, size_t i, size_t *end)
{
    digit_groups g;
    size_t p;
    char c = t[i];

    if (c == '+' || (c == '0' && at(t, len, i + 1) == '0')) {
        p = i + (c == '+' ? 1 : 2);
        if (at(t, len, p) != '4' || at(t, len, p + 1) != '4')
            return false;
        p += 2;
        if (at(t, len, p) == ' ' || at(t, len, p) == '-')
            p++;
        if (at(t, len, p) == '(' && at(t, len, p + 1) == '0' && at(t, len, p + 2) == ')') {
            p += 3;
            if (at(t, len, p) == ' ' || at(t, len, p) == '-')
                p++;
        }
        if (!uk_range_ok(at(t, len, p)))
            return false;
        read_groups(t, len, p, 10, &g);
        if (g.digits < 9 || g.count > 4 || g.shortest < 2)
            return false;
    } else if (c == '(') {
        size_t r = digit_run(t, len, i + 1);
        if (at(t, len, i + 1) != '0' || !uk_range_ok(at(t, len, i + 2)) || r < 3 || r > 5 ||
            at(t, len, i + 1 + r) != ')')
            return false;
        p = i + 2 + r;
        if (at(t, len, p) == ' ')
            p++;
        read_groups(t, len, p, 11 - r, &g);
        if (r + g.digits < 10 || g.count > 3 || g.shortest < 2)
            return false;
    } else if (c == '0') {
        if (!uk_range_ok(at(t, len, i + 1)))
            return false;
        read_groups(t, len, i, 11, &g);
        if (g.digits < 10 || g.count > 4 || g.first < 3 || g.shortest < 2)
            return false;
    } else {
        return false;
    }
    if (!numeric_end_ok(t, len, g.end))
        return false;
    *end = g.end;
    return true;
}

/* ------------------------------------------------------------------ */
/* ISBN: a book's number, not a person's                              */

/*
 * An ISBN-10's check is the NHS number's modulus 11 (ISO 2108: the ten
 * digits weighted 10 down to 1 sum to a multiple of 11, X standing for 10),
 * so every ISBN-10 written without hyphens is a valid NHS number, and one
 * written in two groups ("03064 06152") reads as a telephone number. The
 * digits cannot tell them apart; the label can. A number right after
 * "ISBN" ("ISBN-10:", "ISBN 13", "isbn:") that is a valid ISBN-10, or an
 * ISBN-13 (978 or 979, then digits weighted 1 and 3 to a multiple of 10;
 * International ISBN Agency, ISBN Users' Manual, section 5) is skipped,
 * groups and all. The label alone excuses nothing: an invalid number after
 * it is still checked. The price: an NHS number labelled "ISBN" on
 * purpose is not reported.
 */
static bool isbn_label_before(const char *t, size_t i)
{
    size_t p = i;
    while (p > 0 && (t[p - 1] == ' ' || t[p - 1] == ':'))
        p--;
    if (p >= 2 && t[p - 2] == '1' && (t[p - 1] == '0' || t[p - 1] == '3')) {
        size_t q = p - 2; /* "ISBN-13", "ISBN 10", "ISBN13" */
        if (q > 0 && (t[q - 1] == '-' || t[q - 1] == ' '))
            q--;
        if (q >= 4 && strncasecmp(t + q - 4, "ISBN", 4) == 0 && word_start_ok(t, q - 4))
            return true;
    }
    return p < i && p >= 4 && strncasecmp(t + p - 4, "ISBN", 4) == 0 && word_start_ok(t, p - 4);
}

static bool isbn10_valid(const int d[10])
{
    int sum = 0;
    for (int k = 0; k < 10; k++)
        sum += (10 - k) * d[k];
    return sum % 11 == 0;
}

static bool isbn13_valid(const int d[13])
{
    if (d[0] != 9 || d[1] != 7 || (d[2] != 8 && d[2] != 9))
        return false;
    int sum = 0;
    for (int k = 0; k < 13; k++)
        sum += d[k] * (k % 2 ? 3 : 1);
    return sum % 10 == 0;
}

/* At a numeric word start I: a valid ISBN-13 or ISBN-10, its groups joined
 * by single hyphens or spaces; END just after it. */
static bool isbn_at(const char *t, size_t len, size_t i, size_t *end)
{
    int d[13];
    size_t n = 0, p = i, end10 = 0;
    while (n < 13) {
        char c = at(t, len, p);
        if (is_digit(c))
            d[n++] = c - '0';
        else if (n == 9 && (c == 'X' || c == 'x'))
            d[n++] = 10;
        else
            break;
        p++;
        if (n == 10 && numeric_end_ok(t, len, p) && isbn10_valid(d))
            end10 = p;
        if (d[n - 1] == 10)
            break; /* X is the last character of an ISBN-10 */
        char sep = at(t, len, p);
        if ((sep == ' ' || sep == '-') && is_alnum(at(t, len, p + 1)))
            p++;
    }
    if (n == 13 && numeric_end_ok(t, len, p) && isbn13_valid(d)) {
        *end = p;
        return true;
    }
    *end = end10;
    return end10 != 0;
}

/* ------------------------------------------------------------------ */
/* scanner                                                            */

/* Case-insensitive, whitespace-trimmed comparison of a policy list item
 * with a detector name (kept here so the scanner needs nothing else). */
static bool name_is(const char *item, const char *name)
{
    while (*item == ' ' || *item == '\t')
        item++;
    size_t n = strlen(item);
    while (n > 0 && (item[n - 1] == ' ' || item[n - 1] == '\t'))
        n--;
    return n == strlen(name) && strncasecmp(item, name, n) == 0;
}

static int enable_detectors(sdc_id_scanner *sc, const sdc_policy *policy, sdc_status *st)
{
    for (size_t i = 0; i < policy->identifiers.count; i++) {
        const char *item = policy->identifiers.items[i];
        if (!item)
            continue;
        if (name_is(item, "nhs_number"))
            sc->nhs = true;
        else if (name_is(item, "ni_number"))
            sc->ni = true;
        else if (name_is(item, "postcode"))
            sc->postcode = true;
        else if (name_is(item, "email"))
            sc->email = true;
        else if (name_is(item, "phone"))
            sc->phone = true;
        else {
            return sdc_status_set(st, SDC_EINVAL,
                                  "unknown identifier detector \"%s\" in the policy; known: "
                                  "nhs_number ni_number postcode email phone",
                                  item);
        }
    }
    return 0;
}

static int compile_patterns(sdc_id_scanner *sc, const sdc_policy *policy, sdc_status *st)
{
    size_t n = policy->pattern_count;
    if (n > SDC_POLICY_MAX_PATTERNS)
        n = SDC_POLICY_MAX_PATTERNS;
    if (n == 0)
        return 0;
    sc->patterns = calloc(n, sizeof *sc->patterns);
    if (!sc->patterns)
        return SDC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const sdc_id_pattern *src = &policy->patterns[i];
        const char *name = src->name ? src->name : "(unnamed)";
        if (!src->regex)
            return sdc_status_set(st, SDC_EINVAL, "identifier pattern \"%s\" has no regex", name);
        /* REG_NEWLINE: in a document, ^ and $ anchor at each line, so a
         * pattern written for whole cells also finds a line that is one. */
        int rc = regcomp(&sc->patterns[i].re, src->regex, REG_EXTENDED | REG_NEWLINE);
        if (rc != 0) {
            char why[256];
            regerror(rc, &sc->patterns[i].re, why, sizeof why);
            return sdc_status_set(st, SDC_EPARSE,
                                  "identifier pattern \"%s\" (%s) does not compile: %s", name,
                                  src->regex, why);
        }
        sc->pattern_count = i + 1; /* owns a compiled regex from here */
        if (regexec(&sc->patterns[i].re, "", 0, NULL, 0) == 0)
            return sdc_status_set(st, SDC_EINVAL,
                                  "identifier pattern \"%s\" (%s) matches empty text; make "
                                  "at least one part of it required",
                                  name, src->regex);
        sc->patterns[i].name = strdup(name);
        if (!sc->patterns[i].name)
            return SDC_ENOMEM;
    }
    return 0;
}

sdc_id_scanner *sdc_id_scanner_new(const sdc_policy *policy, sdc_status *st)
{
    sdc_id_scanner *sc = calloc(1, sizeof *sc);
    if (!sc) {
        sdc_status_set(st, SDC_ENOMEM, "out of memory compiling identifier patterns");
        return NULL;
    }
    if (!policy) { /* no policy: every built-in, no patterns */
        sc->nhs = sc->ni = sc->postcode = sc->email = sc->phone = true;
        return sc;
    }
    int rc = enable_detectors(sc, policy, st);
    if (rc == 0)
        rc = compile_patterns(sc, policy, st);
    if (rc == 0 && policy->identifier_allow.count) {
        sc->allow = calloc(policy->identifier_allow.count, sizeof *sc->allow);
        rc = sc->allow ? 0 : SDC_ENOMEM;
        for (size_t i = 0; rc == 0 && i < policy->identifier_allow.count; i++) {
            char *a = strdup(policy->identifier_allow.items[i]);
            if (!a) {
                rc = SDC_ENOMEM;
                break;
            }
            for (char *c = a; *c; c++)
                *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
            sc->allow[sc->nallow++] = a;
        }
    }
    if (rc != 0) {
        sdc_id_scanner_free(sc);
        if (rc == SDC_ENOMEM)
            sdc_status_set(st, SDC_ENOMEM, "out of memory compiling identifier patterns");
        return NULL;
    }
    return sc;
}

void sdc_id_scanner_free(sdc_id_scanner *scanner)
{
    if (!scanner)
        return;
    for (size_t i = 0; i < scanner->pattern_count; i++) {
        regfree(&scanner->patterns[i].re);
        free(scanner->patterns[i].name);
    }
    free(scanner->patterns);
    for (size_t i = 0; i < scanner->nallow; i++)
        free(scanner->allow[i]);
    free(scanner->allow);
    free(scanner);
}

/* ------------------------------------------------------------------ */
/* scanning                                                           */

typedef struct best_match {
    const char *kind;
    size_t offset, end;
} best_match;

/*
 * The leftmost non-empty match of RE in BUF[0..len) that starts before
 * STOP. BUF is NUL-terminated at LEN and may hold NULs (regexec stops at
 * each), so every NUL-free segment is searched on its own.
 */
static bool pattern_find(const regex_t *re, const char *buf, size_t len, size_t stop, size_t *so,
                         size_t *eo)
{
    size_t seg = 0;
    while (seg < len && seg < stop) {
        size_t seg_len = strlen(buf + seg), pos = seg;
        while (pos <= seg + seg_len && pos < stop) {
            regmatch_t m;
            int flags = (pos > seg && buf[pos - 1] != '\n') ? REG_NOTBOL : 0;
            if (regexec(re, buf + pos, 1, &m, flags) != 0)
                break;
            if (pos + (size_t)m.rm_so >= stop)
                break;
            if (m.rm_eo > m.rm_so) {
                *so = pos + (size_t)m.rm_so;
                *eo = pos + (size_t)m.rm_eo;
                return true;
            }
            pos += (size_t)m.rm_so + 1; /* empty match: look further on */
        }
        seg += seg_len + 1;
    }
    return false;
}

/* Policy patterns may only beat a built-in match by starting earlier. */
static void scan_patterns(const sdc_id_scanner *sc, const char *text, size_t len, best_match *best)
{
    char local[512];
    char *buf = len < sizeof local ? local : malloc(len + 1);
    if (!buf) {
        best->kind = KIND_UNCHECKED;
        best->offset = best->end = 0;
        return;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    for (size_t i = 0; i < sc->pattern_count && best->offset > 0; i++) {
        size_t so, eo;
        if (pattern_find(&sc->patterns[i].re, buf, len, best->offset, &so, &eo)) {
            best->kind = sc->patterns[i].name;
            best->offset = so;
            best->end = eo;
        }
    }
    if (buf != local)
        free(buf);
}

/* Digits of T[0..n) into OUT (at most SIZE - 1). */
static size_t digits_of(const char *t, size_t n, char *out, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < size; i++)
        if (is_digit(t[i]))
            out[k++] = t[i];
    out[k] = '\0';
    return k;
}

/* Is the match T[0..n) of KIND on the policy's identifier_allow list: the
 * address itself, its domain ("ons.gov.uk", "@ons.gov.uk", a subdomain
 * of one), the same telephone digits, or the same text? */
static bool allowed(const sdc_id_scanner *sc, const char *kind, const char *t, size_t n)
{
    char low[256], dig[64], adig[64];
    if (n >= sizeof low)
        return false;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] - 'A' + 'a' : t[i]);
    low[n] = '\0';
    const char *at = kind == KIND_EMAIL ? strrchr(low, '@') : NULL;
    size_t nd = kind == KIND_PHONE ? digits_of(t, n, dig, sizeof dig) : 0;
    for (size_t i = 0; i < sc->nallow; i++) {
        const char *a = sc->allow[i];
        if (strcmp(a, low) == 0)
            return true;
        if (at) {
            const char *dom = a[0] == '@' ? a + 1 : a;
            size_t dl = strlen(dom), ml = strlen(at + 1);
            if (!strchr(dom, '@') && dl &&
                (strcmp(at + 1, dom) == 0 ||
                 (ml > dl && at[ml - dl] == '.' && strcmp(at + 1 + ml - dl, dom) == 0)))
                return true;
        }
        if (nd >= 6 && digits_of(a, strlen(a), adig, sizeof adig) == nd && strcmp(adig, dig) == 0)
            return true;
    }
    return false;
}

static bool scan_once(const sdc_id_scanner *scanner, const char *text, size_t len,
                      sdc_id_match *match);

bool sdc_id_scan(const sdc_id_scanner *scanner, const char *text, size_t len, sdc_id_match *match)
{
    if (!scanner || !text || len == 0)
        return false;
    sdc_id_match m;
    for (size_t from = 0; from < len;) {
        if (!scan_once(scanner, text + from, len - from, &m))
            return false;
        if (!scanner->nallow || !allowed(scanner, m.kind, text + from + m.offset, m.length)) {
            if (match) {
                *match = m;
                match->offset += from;
            }
            return true;
        }
        from += m.offset + (m.length ? m.length : 1); /* cleared: look on after it */
    }
    return false;
}

static bool scan_once(const sdc_id_scanner *scanner, const char *text, size_t len,
                      sdc_id_match *match)
{
    if (!scanner || !text || len == 0)
        return false;

    /* One cheap pass decides which detectors could match at all. */
    size_t digits = 0, letters = 0;
    bool has_at = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (is_digit(c))
            digits++;
        else if (is_alpha(c))
            letters++;
        else if (c == '@')
            has_at = true;
    }
    bool nhs = scanner->nhs && digits >= 10;
    bool phone = scanner->phone && digits >= 10;
    bool ni = scanner->ni && digits >= 6 && letters >= 3;
    bool postcode = scanner->postcode && digits >= 1 && letters >= 3;

    best_match best = {NULL, len, len};
    size_t s, e;
    if (scanner->email && has_at && letters >= 2 && find_email(text, len, &s, &e))
        best = (best_match){KIND_EMAIL, s, e};

    if (nhs || phone || ni || postcode) {
        for (size_t i = 0; i < best.offset; i++) {
            char c = text[i];
            const char *kind = NULL;
            if (is_digit(c)) {
                if (!numeric_start_ok(text, i))
                    continue;
                if ((nhs || phone) && isbn_label_before(text, i) && isbn_at(text, len, i, &e)) {
                    i = e - 1; /* a book's number: look on after it */
                    continue;
                }
                if (nhs && try_nhs(text, len, i, &e))
                    kind = KIND_NHS;
                else if (phone && c == '0' && try_phone(text, len, i, &e))
                    kind = KIND_PHONE;
            } else if (is_alpha(c)) {
                if (!word_start_ok(text, i))
                    continue;
                if (ni && try_ni(text, len, i, &e))
                    kind = KIND_NI;
                else if (postcode && try_postcode(text, len, i, &e))
                    kind = KIND_POSTCODE;
            } else if ((c == '+' || c == '(') && phone && word_start_ok(text, i) &&
                       try_phone(text, len, i, &e)) {
                kind = KIND_PHONE;
            }
            if (kind) {
                best = (best_match){kind, i, e};
                break;
            }
        }
    }

    if (scanner->pattern_count > 0 && best.offset > 0)
        scan_patterns(scanner, text, len, &best);

    if (!best.kind)
        return false;
    if (match) {
        match->kind = best.kind;
        match->offset = best.offset;
        match->length = best.end - best.offset;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* masking                                                            */

/* Length of the UTF-8 character at T[0..len), or 0 if it is not valid
 * UTF-8 (then the byte is treated as one character and written as '?'). */
static size_t utf8_char_len(const unsigned char *t, size_t len)
{
    size_t n;
    if (t[0] < 0x80)
        return 1;
    else if (t[0] >= 0xC2 && t[0] <= 0xDF)
        n = 2;
    else if (t[0] >= 0xE0 && t[0] <= 0xEF)
        n = 3;
    else if (t[0] >= 0xF0 && t[0] <= 0xF4)
        n = 4;
    else
        return 0;
    if (n > len)
        return 0;
    for (size_t k = 1; k < n; k++)
        if ((t[k] & 0xC0) != 0x80)
            return 0;
    return n;
}

/*
 * Characters, not bytes, are kept and starred, so a masked UTF-8 value is
 * still valid UTF-8 in a JSON report. Text of four characters or fewer is
 * starred entirely: keeping two at each end would repeat all of it.
 */
void sdc_id_mask(const char *text, size_t len, char *out, size_t out_size)
{
    if (!out || out_size == 0)
        return;
    size_t chars = 0;
    for (size_t i = 0; text && i < len; chars++) {
        size_t n = utf8_char_len((const unsigned char *)text + i, len - i);
        i += n ? n : 1;
    }
    size_t o = 0, idx = 0;
    for (size_t i = 0; text && i < len; idx++) {
        size_t n = utf8_char_len((const unsigned char *)text + i, len - i);
        bool keep = chars > 4 && (idx < 2 || idx >= chars - 2);
        const char *src = keep ? (n ? text + i : "?") : "*";
        size_t w = keep && n ? n : 1;
        if (o + w >= out_size)
            break;
        memcpy(out + o, src, w);
        o += w;
        i += n ? n : 1;
    }
    out[o] = '\0';
}

bool sdc_id_kind_is_contact(const char *kind)
{
    return kind == KIND_EMAIL || kind == KIND_PHONE;
}

void sdc_id_quote(const sdc_id_scanner *scanner, const char *text, size_t len,
                  const sdc_id_match *m, char *out, size_t out_size)
{
    if (out_size == 0)
        return;
    size_t from = m->offset > 40 ? m->offset - 40 : 0;
    size_t end = m->offset + m->length;
    size_t to = len - end > 40 ? end + 40 : len;
    /* whole UTF-8 characters at the edges */
    while (from > 0 && ((unsigned char)text[from] & 0xC0) == 0x80)
        from--;
    while (to < len && ((unsigned char)text[to] & 0xC0) == 0x80)
        to++;
    size_t o = 0;
    if (from && o + 3 < out_size) {
        memcpy(out, "...", 3);
        o = 3;
    }
    /* every identifier in the window masked, not only M */
    for (size_t at = from; at < to && o + 1 < out_size;) {
        sdc_id_match n;
        size_t stop = to;
        bool found = sdc_id_scan(scanner, text + at, to - at, &n);
        if (found)
            stop = at + n.offset;
        for (; at < stop && o + 1 < out_size; at++)
            out[o++] = text[at] == '\t' || text[at] == '\r' || text[at] == '\n' ? ' ' : text[at];
        if (!found)
            break;
        char masked[128];
        sdc_id_mask(text + at, n.length, masked, sizeof masked);
        size_t ml = strlen(masked);
        if (o + ml + 1 >= out_size)
            break;
        memcpy(out + o, masked, ml);
        o += ml;
        at += n.length ? n.length : 1;
    }
    if (to < len && o + 4 < out_size) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}
