/*
 * pdf_lex.h - the characters of PDF's syntax (ISO 32000-1, 7.2.2), shared
 * by the readers that look at a PDF's bytes themselves: the cross-
 * reference check, the stream scan and its filters, the measure of what
 * a page draws (private to read/).
 */
#ifndef SDC_READ_PDF_LEX_H
#define SDC_READ_PDF_LEX_H

#include <stdbool.h>
#include <stddef.h>

/* White space (Table 1): NUL, tab, line feed, form feed, return, space. */
static inline bool sdc_pdf_space(int c)
{
    return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

/* Delimiters (Table 2). */
static inline bool sdc_pdf_delimiter(int c)
{
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '/' || c == '%';
}

/* The first byte of P[i..n) that is not white space, or n. */
static inline size_t sdc_pdf_skip_space(const unsigned char *p, size_t n, size_t i)
{
    while (i < n && sdc_pdf_space(p[i]))
        i++;
    return i;
}

/* A hexadecimal digit's value, or -1 (hex strings 7.3.4.3, #xx in names
 * 7.3.5, ASCIIHexDecode 7.4.2). */
static inline int sdc_pdf_hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
