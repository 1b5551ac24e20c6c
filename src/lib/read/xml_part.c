/*
 * xml_part.c - an Office part read as the XML it says it is.
 *
 * The roots are ECMA-376's (Part 1's schemas for the document parts, Part
 * 2's for the package: [Content_Types].xml is <Types>, a relationships
 * part <Relationships>, core properties <coreProperties>), and
 * OpenDocument's (v1.3 parts 2 and 3).
 */
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/xml_part.h"

struct sdc_xml_part {
    xmlParserCtxtPtr ctxt;
    const char *want; /* root element: "" any, "theme" themes */
    unsigned char head[4];
    size_t head_len; /* bytes held until the encoding can be sniffed */
    char root[64];
    bool have_root;
    bool dtd;
    bool error;
    long line;
    char why[256];
};

typedef struct part_root {
    const char *name; /* exact member name, or a prefix when it ends in '/' */
    const char *root;
} part_root;

static const part_root roots[] = {
    {"[Content_Types].xml", "Types"},
    {"docProps/core.xml", "coreProperties"},
    {"docProps/app.xml", "Properties"},
    {"docProps/custom.xml", "Properties"},
    {"xl/styles.xml", "styleSheet"},
    {"xl/workbook.xml", "workbook"},
    {"xl/sharedStrings.xml", "sst"},
    {"xl/calcChain.xml", "calcChain"},
    {"word/styles.xml", "styles"},
    {"word/stylesWithEffects.xml", "styles"},
    {"word/settings.xml", "settings"},
    {"word/fontTable.xml", "fonts"},
    {"word/webSettings.xml", "webSettings"},
    {"word/numbering.xml", "numbering"},
    {"ppt/presentation.xml", "presentation"},
    {"ppt/presProps.xml", "presentationPr"},
    {"ppt/viewProps.xml", "viewPr"},
    {"ppt/tableStyles.xml", "tblStyleLst"},
    {"xl/theme/", "theme"},
    {"word/theme/", "theme"},
    {"ppt/theme/", "theme"},
    {"ppt/slideMasters/", "sldMaster"},
    {"ppt/slideLayouts/", "sldLayout"},
    {"customXml/itemProps", "datastoreItem"},
    /* OpenDocument v1.3 part 2 (the package's manifest) and part 3 (the
     * document's styles, metadata and settings; content.xml is read by
     * check/container.c) */
    {"META-INF/manifest.xml", "manifest"},
    {"styles.xml", "document-styles"},
    {"meta.xml", "document-meta"},
    {"settings.xml", "document-settings"},
    {"manifest.rdf", "RDF"},
    {"customXml/", ""}, /* a custom XML item: any XML */
    {"docProps/", ""},
};

const char *sdc_xml_part_root(const char *name)
{
    const char *bang = strrchr(name, '!');
    if (!bang)
        return NULL;
    const char *m = bang + 1;
    size_t n = strlen(m);
    /* _rels/.rels, word/_rels/document.xml.rels */
    if (n > 5 && strcmp(m + n - 5, ".rels") == 0)
        return "Relationships";
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        size_t k = strlen(roots[i].name);
        bool prefix =
            roots[i].name[k - 1] == '/' || strcmp(roots[i].name, "customXml/itemProps") == 0;
        if (prefix ? strncmp(m, roots[i].name, k) == 0 : strcmp(m, roots[i].name) == 0)
            return roots[i].root;
    }
    return NULL;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **attributes)
{
    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces;
    (void)nb_attributes, (void)nb_defaulted, (void)attributes;
    sdc_xml_part *x = ctx;
    if (x->have_root)
        return;
    x->have_root = true;
    snprintf(x->root, sizeof x->root, "%s", (const char *)localname);
    x->line = x->ctxt ? xmlSAX2GetLineNumber(x->ctxt) : 0;
}

static void on_dtd(void *ctx, const xmlChar *name, const xmlChar *external, const xmlChar *system)
{
    (void)name, (void)external, (void)system;
    sdc_xml_part *x = ctx;
    if (!x->dtd && !x->error)
        x->line = x->ctxt ? xmlSAX2GetLineNumber(x->ctxt) : 0;
    x->dtd = true;
}

static void on_error(void *ctx, xmlErrorPtr e)
{
    sdc_xml_part *x = ctx;
    if (x->error || !e || e->level < XML_ERR_ERROR)
        return;
    x->error = true;
    x->line = e->line;
    snprintf(x->why, sizeof x->why, "%s (libxml2: %s)",
             x->have_root ? "not well-formed XML" : "not XML", e->message ? e->message : "error");
    char *nl = strchr(x->why, '\n'); /* libxml2 ends its messages with one */
    if (nl && nl[1] == ')')
        memmove(nl, nl + 1, strlen(nl + 1) + 1);
}

sdc_xml_part *sdc_xml_part_new(const char *name)
{
    const char *want = sdc_xml_part_root(name);
    sdc_xml_part *x = calloc(1, sizeof *x);
    if (x)
        x->want = want ? want : "";
    return x;
}

void sdc_xml_part_free(sdc_xml_part *x)
{
    if (!x)
        return;
    if (x->ctxt) {
        /* An entity declaration makes libxml2 build a document to hold it,
         * which freeing the context leaves behind. */
        if (x->ctxt->myDoc)
            xmlFreeDoc(x->ctxt->myDoc);
        xmlFreeParserCtxt(x->ctxt);
    }
    free(x);
}

/* The parser, made once the first four bytes (the encoding's signature,
 * XML 1.0 appendix F) are here or the part ends. */
static bool open_parser(sdc_xml_part *x)
{
    static xmlSAXHandler sax;
    if (sax.initialized != XML_SAX2_MAGIC) { /* built once, the same each time */
        xmlSAXHandler h = {0};
        h.initialized = XML_SAX2_MAGIC;
        h.startElementNs = on_start;
        h.internalSubset = on_dtd;
        h.serror = on_error;
        sax = h;
    }
    x->ctxt = xmlCreatePushParserCtxt(&sax, x, (const char *)x->head, (int)x->head_len, NULL);
    if (!x->ctxt) {
        x->error = true;
        snprintf(x->why, sizeof x->why, "could not be read as XML (out of memory)");
        return false;
    }
    /* No network, no entities substituted, nothing but errors. */
    xmlCtxtUseOptions(x->ctxt, XML_PARSE_NONET | XML_PARSE_NOWARNING);
    return true;
}

void sdc_xml_part_feed(sdc_xml_part *x, const unsigned char *bytes, size_t len)
{
    if (!x || x->error)
        return;
    if (!x->ctxt) {
        while (len && x->head_len < sizeof x->head) {
            x->head[x->head_len++] = *bytes++;
            len--;
        }
        if (x->head_len < sizeof x->head || !open_parser(x))
            return;
    }
    while (len && !x->error) {
        int n = len > (1u << 20) ? 1 << 20 : (int)len;
        xmlParseChunk(x->ctxt, (const char *)bytes, n, 0);
        bytes += n;
        len -= (size_t)n;
    }
}

const char *sdc_xml_part_finish(sdc_xml_part *x, long *line)
{
    *line = 0;
    if (!x->ctxt && !x->error && !open_parser(x))
        return x->why;
    if (!x->error) {
        xmlParseChunk(x->ctxt, NULL, 0, 1);
        if (!x->error && !x->ctxt->wellFormed) {
            x->error = true;
            snprintf(x->why, sizeof x->why, "not well-formed XML");
        }
    }
    *line = x->line;
    if (x->error)
        return x->why;
    if (x->dtd) {
        snprintf(x->why, sizeof x->why,
                 "a DTD, which a package part may not declare (ECMA-376 Part 2, 8.1.4)");
        return x->why;
    }
    bool theme = strcmp(x->want, "theme") == 0;
    if (x->want[0] && (theme ? strncmp(x->root, "theme", 5) != 0 : strcmp(x->root, x->want) != 0)) {
        snprintf(x->why, sizeof x->why, "its root element is <%s>, where this part has <%s>",
                 x->root, x->want);
        return x->why;
    }
    return NULL;
}
