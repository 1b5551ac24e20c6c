/*
 * svg_text.c - the text of SVG markup, without its geometry.
 *
 * A chart drawn as SVG carries its labels twice: as text (a <text> node,
 * or the comment matplotlib writes beside each label) and as geometry
 * (matplotlib and Cairo draw every glyph as a path, and a glyph's outline
 * is a run of integers: DejaVu Sans' "a" holds "Q 384 513 384 1019", a
 * valid NHS number in 3-3-4 groups). Identifiers live in the text; path
 * data, points, transforms, coordinates and lengths are numbers by the
 * grammar of SVG 1.1 (appendix M's attribute index, with the types each
 * element gives its attributes; SVG 2 adds fr), so their values are left
 * out of the identifier scan and everything else stays in: text nodes,
 * comments, CDATA, and every attribute that may hold text (id, class,
 * style, href, aria-label, data-*, unknown ones). The one other value
 * left out is the payload of a base64 data: URI (RFC 2397), in any tag:
 * an embedded image is bytes, not text (matplotlib's imshow writes its
 * PNG so, and base64 is full of postcode shapes); the blob scan decodes
 * and classifies it.
 *
 * This is a small streaming lexer rather than an XML parser: it sees the
 * bytes once, as the line scanner does, and must work where SVG is not a
 * whole document (inline in HTML or Markdown, or inside a notebook's JSON
 * strings, where the quotes of attributes are written \"). Geometry is
 * skipped only inside an <svg> element and only in a quoted value; an
 * unquoted value, a value outside <svg> and anything the lexer does not
 * understand are scanned. A '<' in a skipped value ends the skip, so a
 * misread quote can hide no more than one tag's worth of bytes.
 */
#include <string.h>
#include <strings.h>

#include "rules/svg_text.h"

enum {
    S_TEXT,     /* character data */
    S_LT,       /* after '<' */
    S_BANG,     /* after "<!": a comment, CDATA or a declaration */
    S_COMMENT,  /* <!-- ... --> */
    S_CDATA,    /* <![CDATA[ ... ]]> */
    S_DECL,     /* <!DOCTYPE ...>, <?xml ...?> */
    S_NAME,     /* a tag's name */
    S_TAG,      /* between a start tag's attributes */
    S_END_TAG,  /* after an end tag's name */
    S_ATTR,     /* an attribute's name */
    S_EQ,       /* after '=' */
    S_EQ_SLASH, /* after '=' and a backslash: \" opens the value */
    S_VALUE,    /* a quoted value */
    S_UNQUOTED  /* an unquoted value (HTML) */
};

/* Attributes whose values are numbers by SVG's grammar: <path-data>,
 * <list-of-points>, <transform-list>, viewBox, and <coordinate>,
 * <length>, <number> and their lists; each name between spaces. */
static const char geometry[] =
    " azimuth baseFrequency bias cx cy d diffuseConstant divisor dx dy elevation fill-opacity"
    " flood-opacity font-size fr fx fy gradientTransform height k1 k2 k3 k4 kernelMatrix"
    " kernelUnitLength keyPoints keySplines keyTimes limitingConeAngle markerHeight markerWidth"
    " numOctaves offset opacity order path pathLength patternTransform points pointsAtX"
    " pointsAtY pointsAtZ r radius refX refY rotate rx ry scale seed specularConstant"
    " specularExponent startOffset stdDeviation stop-opacity stroke-dasharray stroke-dashoffset"
    " stroke-miterlimit stroke-opacity stroke-width surfaceScale tableValues targetX targetY"
    " textLength transform values viewBox width x x1 x2 y y1 y2 z ";

static bool is_geometry(const char *attr)
{
    char word[SDC_SVG_NAME_MAX + 2];
    size_t n = strlen(attr);
    if (n == 0 || n >= SDC_SVG_NAME_MAX)
        return false;
    word[0] = ' ';
    memcpy(word + 1, attr, n);
    word[n + 1] = ' ';
    word[n + 2] = '\0';
    return strstr(geometry, word) != NULL;
}

static bool is_name_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':';
}

static bool is_name_char(unsigned char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void sdc_svg_text_init(sdc_svg_text *st)
{
    memset(st, 0, sizeof *st);
}

static void name_start(sdc_svg_text *st, unsigned char c)
{
    st->len = 0;
    st->long_name = false;
    if (c)
        st->name[st->len++] = (char)c;
}

static void name_add(sdc_svg_text *st, unsigned char c)
{
    if (st->len + 1 < SDC_SVG_NAME_MAX)
        st->name[st->len++] = (char)c;
    else
        st->long_name = true;
}

/* The name read, without its namespace prefix ("svg:svg", "xlink:href"),
 * or "" when it was too long to be one looked for. */
static const char *name_done(sdc_svg_text *st)
{
    st->name[st->len] = '\0';
    if (st->long_name)
        return "";
    const char *colon = strrchr(st->name, ':');
    return colon ? colon + 1 : st->name;
}

/* A tag's name has ended: an <svg> opens or closes. */
static void tag_named(sdc_svg_text *st)
{
    bool svg = strcasecmp(name_done(st), "svg") == 0;
    st->opens_svg = false;
    st->slash = false;
    st->attr[0] = '\0';
    if (st->end_tag) {
        if (svg && st->depth > 0)
            st->depth--;
        st->state = S_END_TAG;
        return;
    }
    if (svg) {
        st->depth++;
        st->opens_svg = true;
    }
    st->state = S_TAG;
}

/* An attribute's name has ended: its value, if any, is judged by it. */
static void attr_named(sdc_svg_text *st)
{
    const char *attr = name_done(st);
    memmove(st->attr, attr, strlen(attr) + 1);
    st->state = S_TAG;
}

static void value_open(sdc_svg_text *st, unsigned char quote, bool escaped)
{
    st->state = S_VALUE;
    st->quote = quote;
    st->escaped_quote = escaped;
    st->backslash = false;
    st->skip = st->depth > 0 && is_geometry(st->attr);
    st->vpos = 0;
    st->uri = 0;
}

#define URI_NO 255

/* Follows a value's start through "data:", a media type and ";base64"
 * (RFC 2397's dataurl, case-insensitive); true at the comma before a
 * base64 payload. */
static bool data_uri_byte(sdc_svg_text *st, unsigned char c)
{
    static const char data[] = "data:", base64[] = ";base64";
    if (st->uri == URI_NO)
        return false;
    if (st->vpos < 5) {
        if ((c | 0x20) != (unsigned char)data[st->vpos])
            st->uri = URI_NO;
        return false;
    }
    if (c == ',') {
        bool payload = st->uri == 7;
        st->uri = URI_NO;
        return payload;
    }
    if (st->vpos == 255 || c == '<' || c == '\n' || c == '\\' || c == '"')
        st->uri = URI_NO; /* a media type is short and plain */
    else if (st->uri < 7 && (c | 0x20) == (unsigned char)base64[st->uri])
        st->uri++;
    else
        st->uri = c == ';';
    return false;
}

/* A quoted value's byte: true when it is text. */
static bool value_byte(sdc_svg_text *st, unsigned char c)
{
    bool closes;
    if (st->escaped_quote) {
        closes = st->backslash && c == st->quote;
        st->backslash = !st->backslash && c == '\\';
    } else {
        closes = c == st->quote;
    }
    if (closes) {
        st->state = S_TAG;
        st->skip = false;
        return true;
    }
    bool payload_next = data_uri_byte(st, c);
    if (st->vpos < 255)
        st->vpos++;
    if (payload_next) {
        st->skip = true; /* the payload, after this comma, to the closing quote */
        return true;
    }
    if (st->skip && c == '<') {
        /* no '<' in an attribute value (XML 1.0, AttValue): misread */
        st->skip = false;
        st->state = S_LT;
        return true;
    }
    return !st->skip || c == '\n';
}

/* "<!" then "--" is a comment, "[CDATA[" a CDATA section, else a
 * declaration. */
static void bang_byte(sdc_svg_text *st, unsigned char c)
{
    static const char cdata[] = "[CDATA[";
    name_add(st, c);
    st->name[st->len] = '\0';
    if (strcmp(st->name, "--") == 0)
        st->state = S_COMMENT;
    else if (strcmp(st->name, cdata) == 0)
        st->state = S_CDATA;
    else if (strncmp(st->name, "--", st->len) != 0 && strncmp(st->name, cdata, st->len) != 0)
        st->state = c == '>' ? S_TEXT : S_DECL;
    st->run = 0;
}

/* The end of a comment (-->) or of CDATA (]]>). */
static void closing_byte(sdc_svg_text *st, unsigned char c, unsigned char twice)
{
    if (c == '>' && st->run >= 2)
        st->state = S_TEXT;
    else if (c == twice)
        st->run = st->run < 2 ? st->run + 1 : 2;
    else
        st->run = 0;
}

static void tag_byte(sdc_svg_text *st, unsigned char c)
{
    if (c == '>') {
        if (st->slash && st->opens_svg && st->depth > 0)
            st->depth--; /* <svg/> */
        st->state = S_TEXT;
    } else if (c == '<') {
        st->state = S_LT; /* a tag left open: misread */
    } else if (c == '=') {
        st->state = S_EQ;
    } else if (is_name_start(c)) {
        name_start(st, c);
        st->state = S_ATTR;
    }
    if (c != '>')
        st->slash = c == '/';
}

static void lt_byte(sdc_svg_text *st, unsigned char c)
{
    if (c == '!') {
        name_start(st, 0);
        st->state = S_BANG;
    } else if (c == '?') {
        st->state = S_DECL;
    } else if (c == '/') {
        name_start(st, 0);
        st->end_tag = true;
        st->state = S_NAME;
    } else if (is_name_start(c)) {
        name_start(st, c);
        st->end_tag = false;
        st->state = S_NAME;
    } else if (c != '<') {
        st->state = S_TEXT; /* "a < b" */
    }
}

bool sdc_svg_text_keep(sdc_svg_text *st, unsigned char c)
{
    switch (st->state) {
    case S_TEXT:
        if (c == '<')
            st->state = S_LT;
        return true;
    case S_LT: lt_byte(st, c); return true;
    case S_BANG: bang_byte(st, c); return true;
    case S_COMMENT: closing_byte(st, c, '-'); return true;
    case S_CDATA: closing_byte(st, c, ']'); return true;
    case S_DECL:
        if (c == '>')
            st->state = S_TEXT;
        return true;
    case S_NAME:
        if (is_name_char(c)) {
            name_add(st, c);
            return true;
        }
        tag_named(st);
        return sdc_svg_text_keep(st, c);
    case S_END_TAG:
        if (c == '>')
            st->state = S_TEXT;
        return true;
    case S_TAG: tag_byte(st, c); return true;
    case S_ATTR:
        if (is_name_char(c)) {
            name_add(st, c);
            return true;
        }
        attr_named(st);
        return sdc_svg_text_keep(st, c);
    case S_EQ:
        if (c == '"' || c == '\'')
            value_open(st, c, false);
        else if (c == '\\')
            st->state = S_EQ_SLASH;
        else if (c == '<')
            st->state = S_LT;
        else if (!is_space(c))
            st->state = S_UNQUOTED;
        return true;
    case S_EQ_SLASH:
        if (c == '"' || c == '\'')
            value_open(st, c, true);
        else
            st->state = S_TAG;
        return true;
    case S_VALUE: return value_byte(st, c);
    case S_UNQUOTED:
        if (is_space(c) || c == '>') {
            st->state = S_TAG;
            return sdc_svg_text_keep(st, c);
        }
        return true;
    default: st->state = S_TEXT; return true;
    }
}
