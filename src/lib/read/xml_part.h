/*
 * xml_part.h - an Office part read as the XML it says it is (private).
 *
 * No part of an Office file passes by its name (doc/design.md, "Office
 * parts"): a relationships part, a style sheet, a theme, document
 * properties or a custom XML item passes only when its bytes are
 * well-formed XML without a DTD (ECMA-376 Part 2, 8.1.4: package parts
 * shall not hold DTD declarations) and its root element is the one its
 * name calls for. The part is parsed as it streams past (libxml2's push
 * parser with a SAX handler that builds nothing), so its size costs no
 * memory.
 */
#ifndef SDC_READ_XML_PART_H
#define SDC_READ_XML_PART_H

#include <stddef.h>

typedef struct sdc_xml_part sdc_xml_part;

/* A reader for the part called NAME ("book.xlsx!xl/styles.xml"), or NULL
 * when out of memory. */
sdc_xml_part *sdc_xml_part_new(const char *name);
void sdc_xml_part_free(sdc_xml_part *x);

void sdc_xml_part_feed(sdc_xml_part *x, const unsigned char *bytes, size_t len);

/* Ends the part: NULL when it is what its name says, else why not (owned
 * by X), with the line it was found at in *LINE (0: not known). */
const char *sdc_xml_part_finish(sdc_xml_part *x, long *line);

/* The root element a part called NAME must have ("Relationships"), "" for
 * any root, or NULL for a name that is not a package part. */
const char *sdc_xml_part_root(const char *name);

#endif
