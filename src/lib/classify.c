/*
 * classify.c - content first, name second (SPEC 3).
 *
 * Detectors run in order over the head bytes; the first that recognises
 * its format wins. The name only breaks ties between kinds of text (a
 * Markdown file is a document even if it has commas in it) and says which
 * text files we expect to be tables. Anything no detector recognises is
 * "unknown" and goes to a person: never a pass.
 */
#include <string.h>
#include <strings.h>

#include "classify.h"
#include "sniff.h"

static const char *extension(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *bang = strrchr(base, '!');
    if (bang)
        base = bang + 1;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot + 1 : "";
}

static bool ext_in(const char *ext, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(ext, *list) == 0)
            return true;
    return false;
}

static const char *const table_exts[] = {"csv", "tsv", "tab", "psv", NULL};
static const char *const maybe_table_exts[] = {"txt", "dat", "out", "", NULL};
static const char *const document_exts[] = {"md", "markdown", "html", "htm", "json", "xml",
                                            "rst", "tex", "log", "yaml", "yml", NULL};
static const char *const code_exts[] = {"py", "r", "do", "ado", "sas", "sps", "sql", "ipynb",
                                        "jl", "m", "sh", "rmd", "qmd", NULL};

/* Text of any kind: table, document or code by name and shape. */
static bool detect_text(const unsigned char *head, size_t len, bool at_eof, const char *name,
                        sdc_classification *out)
{
    sdc_text_encoding enc = sdc_sniff_encoding(head, len, at_eof);
    if (enc == SDC_ENC_BINARY)
        return false;
    const char *ext = extension(name);
    if (ext_in(ext, table_exts)) {
        out->file_class = SDC_CLASS_TABLE;
        out->format = strcasecmp(ext, "tsv") == 0 || strcasecmp(ext, "tab") == 0 ? "tsv" : "csv";
        return true;
    }
    if (ext_in(ext, code_exts)) {
        out->file_class = SDC_CLASS_CODE;
        out->format = strcasecmp(ext, "ipynb") == 0 ? "notebook" : "source";
        return true;
    }
    if (ext_in(ext, document_exts)) {
        out->file_class = SDC_CLASS_DOCUMENT;
        out->format = strcasecmp(ext, "md") == 0 || strcasecmp(ext, "markdown") == 0 ? "markdown"
                      : strncasecmp(ext, "htm", 3) == 0                               ? "html"
                      : strcasecmp(ext, "json") == 0                                  ? "json"
                                                                                      : "text";
        return true;
    }
    /* .txt and friends: a table if it is shaped like one. UTF-16 text is
     * what Excel's "Unicode text" writes: a table. */
    if (ext_in(ext, maybe_table_exts)) {
        bool table = enc == SDC_ENC_UTF16LE || enc == SDC_ENC_UTF16BE;
        if (!table) {
            size_t skip = enc == SDC_ENC_UTF8_BOM ? 3 : 0;
            sdc_delim_guess g = sdc_sniff_delimiter((const char *)head + skip, len - skip);
            table = sdc_delim_guess_is_table(&g);
            out->format = g.delimiter == '\t' ? "tsv" : "csv";
        } else {
            out->format = "tsv";
        }
        if (table) {
            out->file_class = SDC_CLASS_TABLE;
            return true;
        }
    }
    out->file_class = SDC_CLASS_DOCUMENT;
    out->format = "text";
    return true;
}

/* The detector table: one line per format family, tried in order. */
static const sdc_detector detectors[] = {
    {"text", detect_text},
};

sdc_classification sdc_classify(const unsigned char *head, size_t len, bool at_eof,
                                const char *name)
{
    sdc_classification c = {.file_class = SDC_CLASS_UNKNOWN, .format = "binary"};
    c.name_says_table = ext_in(extension(name), table_exts);
    if (len == 0) {
        c.file_class = c.name_says_table ? SDC_CLASS_TABLE : SDC_CLASS_UNKNOWN;
        c.format = c.name_says_table ? "csv" : "empty";
        return c;
    }
    for (size_t i = 0; i < sizeof detectors / sizeof detectors[0]; i++) {
        sdc_classification d = c;
        if (detectors[i].detect(head, len, at_eof, name, &d))
            return d;
    }
    return c;
}
