/*
 * svg_text.h - the text of SVG markup without its geometry (private; see
 * svg_text.c).
 */
#ifndef SDC_RULES_SVG_TEXT_H
#define SDC_RULES_SVG_TEXT_H

#include <stdbool.h>

#define SDC_SVG_NAME_MAX 24 /* longer tag and attribute names are not looked up */

/* Where a byte stream is in its markup. Zero it to start (or use
 * sdc_svg_text_init); it holds no pointers and needs no freeing. */
typedef struct sdc_svg_text {
    unsigned char state;
    unsigned depth;              /* <svg> elements open */
    bool end_tag;                /* the tag being read is </...> */
    bool opens_svg;              /* ... is an <svg> start tag */
    bool slash;                  /* ... its last byte was '/' (self-closing) */
    bool skip;                   /* the attribute value being read is geometry */
    bool escaped_quote;          /* ... opened by \" (SVG inside a JSON string) */
    bool backslash;              /* the byte before was a backslash */
    unsigned char quote;         /* ... opened by this quote */
    unsigned char run;           /* '-' or ']' just seen, to find --> and ]]> */
    unsigned char vpos;          /* bytes of the value read, up to 255 */
    unsigned char uri;           /* how much of "data:...;base64," the value has been */
    unsigned char len;           /* bytes in name */
    bool long_name;              /* name overflowed */
    char name[SDC_SVG_NAME_MAX]; /* the tag or attribute name being read */
    char attr[SDC_SVG_NAME_MAX]; /* the last attribute name read */
} sdc_svg_text;

void sdc_svg_text_init(sdc_svg_text *st);

/* Takes the next byte of the stream: true when it is text to scan, false
 * when it is SVG geometry (path data, points, transforms, coordinates and
 * lengths in an attribute of an element inside <svg>) or the payload of a
 * base64 data: URI in an attribute (an embedded image, which the blob scan
 * decodes). Newlines are always text, so line numbers stay true. */
bool sdc_svg_text_keep(sdc_svg_text *st, unsigned char c);

#endif
