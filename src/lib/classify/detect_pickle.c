/*
 * detect_pickle.c - Python pickles, found by parsing their opcode stream.
 *
 * A pickle has no magic number (protocol 0 is plain text, and `file` calls
 * a protocol 2 pickle "XENIX 8086 relocatable"), so the head of the file is
 * walked as pickle opcodes, with each opcode's argument checked the way the
 * unpickler would read it: INT's text is a decimal, GLOBAL's two lines are
 * dotted identifiers, BINUNICODE's length fits. Ordinary text fails within
 * a few bytes; a pickle parses until STOP, or until the head runs out.
 * joblib writes raw array bytes between opcodes, so a stream that starts
 * with PROTO and has parsed a dozen opcodes with a GLOBAL is a pickle even
 * if it stops parsing later.
 *
 * Opcodes and arguments: CPython Lib/pickletools.py (protocols 0-5),
 * PEP 307 (protocol 2), PEP 3154 (protocol 4), PEP 574 (protocol 5).
 */
#include <string.h>

#include "classify/detect.h"

/* Argument kinds (pickletools' ArgumentDescriptor). */
enum arg {
    A_NONE,
    A_U1,
    A_U2,
    A_U4,
    A_U8, /* fixed-size integers */
    A_LEN1,
    A_LEN4,
    A_LEN8,    /* length-prefixed bytes */
    A_DECIMAL, /* text line: integer (INT, LONG, PUT, GET) */
    A_FLOAT,   /* text line: float */
    A_STRING,  /* text line: quoted repr */
    A_LINE,    /* text line: anything (PERSID, UNICODE) */
    A_GLOBAL   /* two text lines: module, name */
};

/* Opcode -> argument kind, or -1 for "not an opcode". Built as a function
 * so the table stays const and thread-safe. */
static int arg_of(unsigned char op)
{
    switch (op) {
    case '(':
    case '.':
    case '0':
    case '1':
    case '2':
    case 'N':
    case 'Q':
    case 'R':
    case 'a':
    case 'b':
    case 'd':
    case '}':
    case 'e':
    case 'l':
    case ']':
    case 'o':
    case 's':
    case 't':
    case ')':
    case 'u':
    case 0x81:
    case 0x85:
    case 0x86:
    case 0x87:
    case 0x88:
    case 0x89:
    case 0x8f:
    case 0x90:
    case 0x91:
    case 0x92:
    case 0x93:
    case 0x94:
    case 0x97:
    case 0x98: return A_NONE;
    case 'K':
    case 'h':
    case 'q':
    case 0x80:
    case 0x82: return A_U1;
    case 'M':
    case 0x83: return A_U2;
    case 'J':
    case 'j':
    case 'r':
    case 0x84: return A_U4;
    case 'G':
    case 0x95: return A_U8;
    case 'U':
    case 'C':
    case 0x8a:
    case 0x8c: return A_LEN1;
    case 'T':
    case 'X':
    case 'B':
    case 0x8b: return A_LEN4;
    case 0x8d:
    case 0x8e:
    case 0x96: return A_LEN8;
    case 'I':
    case 'L':
    case 'g':
    case 'p': return A_DECIMAL;
    case 'F': return A_FLOAT;
    case 'S': return A_STRING;
    case 'P':
    case 'V': return A_LINE;
    case 'c':
    case 'i': return A_GLOBAL;
    default: return -1;
    }
}

/* Opcodes that build containers: a data pickle (a dict of arrays). */
static bool is_structure_op(unsigned char op)
{
    return op == '(' || op == 'd' || op == '}' || op == 'l' || op == ']' || op == 't' ||
           op == ')' || op == 's' || op == 'u' || op == 'a' || op == 'e';
}

/* Opcodes that build objects from code: what makes a pickle dangerous. */
static bool is_object_op(unsigned char op)
{
    return op == 'c' || op == 'i' || op == 0x93 || op == 'R' || op == 'o' || op == 0x81 ||
           op == 0x92 || op == 'b';
}

static const unsigned char *line_end(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl;
}

static bool is_decimal(const unsigned char *p, const unsigned char *e)
{
    if (p < e && (*p == '-' || *p == '+'))
        p++;
    if (p < e && e[-1] == 'L')
        e--; /* LONG's text may end in L */
    if (p == e)
        return false;
    for (; p < e; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

static bool is_float_text(const unsigned char *p, const unsigned char *e)
{
    if (p == e)
        return false;
    bool digit = false;
    for (; p < e; p++) {
        unsigned char c = *p;
        if (c >= '0' && c <= '9')
            digit = true;
        else if (!strchr("+-.eEinfaINFA", c))
            return false;
    }
    return digit;
}

static bool is_dotted_name(const unsigned char *p, const unsigned char *e)
{
    if (p == e || (*p >= '0' && *p <= '9'))
        return false;
    for (; p < e; p++) {
        unsigned char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.'))
            return false;
    }
    return true;
}

static unsigned long long read_le(const unsigned char *p, int n)
{
    unsigned long long v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

bool sdc_pickle_probe(const unsigned char *head, size_t len, bool at_eof, sdc_pickle_info *info)
{
    const unsigned char *p = head, *end = head + len;
    sdc_pickle_info out = {0};
    size_t ops = 0, objects = 0, structures = 0;
    bool stopped = false, broken = false;
    bool text_only = true;

    while (p < end) {
        unsigned char op = *p++;
        int arg = arg_of(op);
        if (arg < 0) {
            broken = true;
            break;
        }
        if (op >= 0x80 || op == 'J' || op == 'K' || op == 'M' || op == 'G' || op == 'T' ||
            op == 'U' || op == 'X' || op == 'B' || op == 'C' || op == 'h' || op == 'j' ||
            op == 'q' || op == 'r')
            text_only = false;
        if (ops == 0 && op == 0x80) {
            if (p >= end || *p < 2 || *p > 5) {
                broken = true;
                break;
            }
            out.protocol = *p;
        }
        size_t need = 0;
        switch (arg) {
        case A_NONE: break;
        case A_U1: need = 1; break;
        case A_U2: need = 2; break;
        case A_U4: need = 4; break;
        case A_U8: need = 8; break;
        case A_LEN1:
        case A_LEN4:
        case A_LEN8: {
            int w = arg == A_LEN1 ? 1 : arg == A_LEN4 ? 4 : 8;
            if ((size_t)(end - p) < (size_t)w) {
                p = end;
                break;
            }
            unsigned long long n = read_le(p, w);
            p += w;
            /* The torch legacy format's magic number is LONG1 of these
             * ten bytes (torch/serialization.py MAGIC_NUMBER). */
            static const unsigned char torch_magic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9,
                                                        0x20, 0x6a, 0xa8, 0x50, 0x19};
            if (op == 0x8a && n == 10 && (size_t)(end - p) >= 10 && !memcmp(p, torch_magic, 10))
                out.torch_legacy = true;
            if (n > (unsigned long long)(end - p)) {
                p = end; /* runs past the head: fine unless the file ends */
                if (at_eof)
                    broken = true;
            } else {
                if (memmem(p, (size_t)n, "joblib", 6) || memmem(p, (size_t)n, "numpy_pickle", 12))
                    out.joblib = true;
                p += n;
            }
            break;
        }
        case A_DECIMAL:
        case A_FLOAT:
        case A_STRING:
        case A_LINE:
        case A_GLOBAL: {
            const unsigned char *nl = line_end(p, end);
            if (!nl) {
                p = end;
                break;
            }
            bool ok = arg == A_DECIMAL ? is_decimal(p, nl)
                      : arg == A_FLOAT ? is_float_text(p, nl)
                      : arg == A_STRING
                          ? (nl - p >= 2 && (p[0] == '\'' || p[0] == '"') && nl[-1] == p[0])
                      : arg == A_GLOBAL ? is_dotted_name(p, nl)
                                        : true;
            if (!ok) {
                broken = true;
                break;
            }
            if (arg == A_GLOBAL) {
                if (memmem(p, (size_t)(nl - p), "joblib", 6))
                    out.joblib = true;
                const unsigned char *name = nl + 1;
                const unsigned char *nl2 = name < end ? line_end(name, end) : NULL;
                if (nl2 && !is_dotted_name(name, nl2)) {
                    broken = true;
                    break;
                }
                p = nl2 ? nl2 + 1 : end;
            } else {
                p = nl + 1;
            }
            break;
        }
        }
        if (broken)
            break;
        if (p > end)
            p = end;
        if (arg == A_U1 || arg == A_U2 || arg == A_U4 || arg == A_U8) {
            if ((size_t)(end - p) < need) {
                p = end;
            } else {
                p += need;
            }
        }
        ops++;
        objects += is_object_op(op);
        structures += is_structure_op(op);
        if (op == '.') {
            stopped = true;
            break;
        }
    }

    /* A pickle: it reached STOP, or the head ran out mid-stream, after a
     * plausible number of opcodes that build objects. */
    bool plausible;
    if (out.protocol >= 2)
        plausible = ops >= 3 && (stopped || objects > 0 || !broken);
    else
        plausible = text_only ? (stopped && ops >= 4 && objects + structures >= 2) ||
                                    (!broken && !at_eof && ops >= 64 && objects > 0)
                              : (stopped && ops >= 3) || (!broken && ops >= 16 && objects > 0);
    /* A PROTO pickle that broke off after a good start is joblib's inline
     * array data, or a truncated file: still a pickle (and a finding). */
    if (!plausible && out.protocol >= 2 && broken && ops >= 12 && objects > 0)
        plausible = true;
    if (!plausible)
        return false;
    if (out.protocol == 0)
        out.protocol = text_only ? 0 : 1;
    out.truncated = !stopped && at_eof;
    if (info)
        *info = out;
    return true;
}

static bool detect(const unsigned char *head, size_t len, bool at_eof, const char *name,
                   sdc_classification *out)
{
    (void)name;
    sdc_pickle_info info;
    if (!sdc_pickle_probe(head, len, at_eof, &info))
        return false;
    static const char *const protocols[] = {"protocol 0", "protocol 1", "protocol 2",
                                            "protocol 3", "protocol 4", "protocol 5"};
    out->file_class = SDC_CLASS_MODEL;
    out->format = info.torch_legacy ? "pytorch-legacy" : info.joblib ? "joblib" : "pickle";
    out->detail = protocols[info.protocol >= 0 && info.protocol <= 5 ? info.protocol : 0];
    return true;
}

const sdc_detector sdc_detector_pickle = {"pickle", detect};
