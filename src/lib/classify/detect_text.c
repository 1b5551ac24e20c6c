/*
 * detect_text.c - text: a table, a document or code.
 *
 * Text is the last content detector: anything that decodes as text and no
 * model detector claimed. The name decides between kinds of text (a .md is
 * a document even with commas in it, a .py is code); a .txt or nameless
 * text file is a table when its lines agree on a delimiter.
 */
#include <string.h>
#include <strings.h>

#include "classify/detect.h"
#include "read/xml_part.h"
#include "read/sniff.h"

static bool ext_in(const char *ext, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(ext, *list) == 0)
            return true;
    return false;
}

static const char *const maybe_table_exts[] = {"txt", "dat", "out", "", NULL};
static const char *const code_exts[] = {"py",    "r",  "do", "ado", "sas", "sps", "sql",
                                        "ipynb", "jl", "m",  "sh",  "rmd", "qmd", NULL};

/* The boilerplate parts of an Office file (ECMA-376 Part 2, the Open
 * Packaging Conventions, and the styles, themes and settings of Part 1):
 * they carry formatting, not content, and pass once read as the XML their
 * names say they are (read/xml_part.c). The document's own text
 * (word/document.xml) and the sheets are not among them. */
static bool is_office_part(const char *name)
{
    return sdc_xml_part_root(name) != NULL;
}

/* An OpenDocument package's first member, "mimetype", holding its media
 * type and nothing else (OpenDocument v1.3 part 2, 3.3): the type of an
 * OpenDocument file (application/vnd.oasis.opendocument.*) or of an EPUB. */
static bool package_mimetype(const unsigned char *head, size_t len, bool at_eof, const char *name)
{
    const char *bang = strrchr(name, '!');
    if (!bang || strcmp(bang + 1, "mimetype") != 0 || !at_eof || len > 128)
        return false;
    static const char od[] = "application/vnd.oasis.opendocument.";
    static const char epub[] = "application/epub+zip";
    size_t n = sizeof od - 1;
    if (len == sizeof epub - 1 && memcmp(head, epub, len) == 0)
        return true;
    if (len <= n || memcmp(head, od, n) != 0)
        return false;
    for (size_t i = n; i < len; i++)
        if (!((head[i] >= 'a' && head[i] <= 'z') || head[i] == '-' || head[i] == '.'))
            return false;
    return true;
}

static bool detect(const unsigned char *head, size_t len, bool at_eof, const char *name,
                   sdc_classification *out)
{
    sdc_text_encoding enc = sdc_encoding_sniff(head, len, at_eof);
    if (enc == SDC_ENC_BINARY)
        return false;
    const char *ext = sdc_name_extension(name);
    if (package_mimetype(head, len, at_eof, name)) {
        out->file_class = SDC_CLASS_DOCUMENT;
        out->format = "package-mimetype";
        return true;
    }
    if (is_office_part(name)) {
        out->file_class = SDC_CLASS_DOCUMENT;
        out->format = "office-part";
        return true;
    }
    /* A declared layout (NAME.sdc.yaml): the researcher's note for the
     * checker, passed after its scans. */
    size_t nlen = strlen(name);
    if (nlen > 9 && strcmp(name + nlen - 9, ".sdc.yaml") == 0) {
        out->file_class = SDC_CLASS_DOCUMENT;
        out->format = "sdc-spec";
        return true;
    }
    if (out->name_class == SDC_CLASS_TABLE) {
        out->file_class = SDC_CLASS_TABLE;
        out->format = out->name_format;
        return true;
    }
    if (ext_in(ext, code_exts)) {
        out->file_class = SDC_CLASS_CODE;
        out->format = strcasecmp(ext, "ipynb") == 0 ? "notebook" : "source";
        return true;
    }
    if (strcasecmp(ext, "svg") == 0) {
        out->file_class = SDC_CLASS_IMAGE;
        out->format = "svg";
        return true;
    }
    if (out->name_class == SDC_CLASS_DOCUMENT && !ext_in(ext, maybe_table_exts)) {
        out->file_class = SDC_CLASS_DOCUMENT;
        out->format = out->name_format;
        return true;
    }
    /* .txt and friends: a table if it is shaped like one. UTF-16 text is
     * what Excel's "Unicode text" writes: a table. */
    bool table = enc == SDC_ENC_UTF16LE || enc == SDC_ENC_UTF16BE;
    out->format = "tsv";
    if (!table) {
        size_t skip = enc == SDC_ENC_UTF8_BOM ? 3 : 0;
        sdc_delim_guess g = sdc_delimiter_sniff((const char *)head + skip, len - skip);
        table = sdc_delim_guess_is_table(&g);
        out->format = g.delimiter == '\t' ? "tsv" : "csv";
    }
    if (table && ext_in(ext, maybe_table_exts)) {
        out->file_class = SDC_CLASS_TABLE;
        return true;
    }
    out->file_class = SDC_CLASS_DOCUMENT;
    out->format = "text";
    return true;
}

const sdc_detector sdc_detector_text = {"text", detect};
