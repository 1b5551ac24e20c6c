/*
 * detect_pickle.c - Python pickles, found by parsing their opcode stream.
 *
 * A pickle has no magic number (protocol 0 is plain text, and `file` calls
 * a protocol 2 pickle "XENIX 8086 relocatable"), so the head of the file is
 * walked as pickle opcodes, with each opcode's argument checked the way the
 * unpickler would read it: INT's text is a decimal, GLOBAL's two lines are
 * dotted identifiers, BINUNICODE's length fits. joblib writes raw array
 * bytes between opcodes, so a stream that starts with PROTO and has parsed
 * a dozen opcodes with a GLOBAL is a pickle even if it stops parsing later.
 *
 * Arguments alone let text through: "Notes." is NONE, OBJ, TUPLE, APPENDS,
 * SETITEM, STOP, and "joblib.dump(" is LONG_BINGET, BUILD, STOP. So a
 * stream without PROTO (protocols 0 and 1, which text can look like) must
 * also keep the unpickler's stack in order from the first opcode on: each
 * opcode finds the objects and the MARK it takes, a GET finds its memo key
 * PUT before, and STOP takes the one object left. A text file breaks that
 * within an opcode or two; a pickle never does.
 *
 * Opcodes, arguments and stack effects: CPython Lib/pickletools.py
 * (protocols 0-5, each opcode's stack_before and stack_after), PEP 307
 * (protocol 2), PEP 3154 (protocol 4), PEP 574 (protocol 5). How the stack
 * is kept: Lib/pickle.py _Unpickler (the objects above the topmost MARK in
 * `stack`, the frames under each MARK in `metastack`) and the memo checks
 * of pickletools.dis.
 */
#include <string.h>
#include <strings.h>

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

/* FLOAT's text, what repr() writes and float() reads back (pickle.py
 * load_float): digits with a sign, a point and an exponent, or inf and nan. */
static bool is_float_text(const unsigned char *p, const unsigned char *e)
{
    if (p < e && (*p == '-' || *p == '+'))
        p++;
    if (e - p == 3 &&
        (!strncasecmp((const char *)p, "inf", 3) || !strncasecmp((const char *)p, "nan", 3)))
        return true;
    bool digit = false;
    for (; p < e; p++) {
        unsigned char c = *p;
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E')
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

/* The unpickler's stack, counted rather than held: how many objects lie
 * above the topmost MARK (pickle.py's `stack`) and, for each open MARK, how
 * many lay above the MARK under it (`metastack`). No opcode can take an
 * object from under a MARK (pickle.py pops the current frame only; the C
 * unpickler has a fence), so counts are enough. MARKs nested deeper than
 * MAX_MARKS stop the checking, which then accepts the rest: a pickle must
 * never be rejected for being deep. */
#define MAX_MARKS 256
#define MEMO_KEYS 4096 /* memo keys below this are remembered one by one */

typedef struct pickle_stack {
    size_t top;              /* objects above the topmost MARK */
    size_t marks;            /* open MARKs */
    size_t under[MAX_MARKS]; /* objects above the MARK below each open one */
    bool deep;               /* MARKs past MAX_MARKS: no longer checked */
    unsigned char memo[MEMO_KEYS / 8];
    bool memo_high;    /* a key >= MEMO_KEYS was PUT: any such key may be got */
    size_t memo_count; /* keys PUT, for MEMOIZE's key (pickle.py: len(memo)) */
} pickle_stack;

/* An opcode's stack effect (pickletools: stack_before, stack_after). MARK
 * ('(') and POP ('0', which pops a MARK when the frame is empty) are kept
 * apart. */
typedef struct stack_effect {
    unsigned char pops;   /* objects taken (under the MARK, when to_mark) */
    bool to_mark;         /* first takes everything down to the topmost MARK */
    unsigned char pushes; /* objects left */
} stack_effect;

static stack_effect stack_effect_of(unsigned char op)
{
    switch (op) {
    /* APPENDS, SETITEMS, ADDITEMS: the container under the MARK takes the
     * slice above it */
    case 'e':
    case 'u':
    case 0x90: return (stack_effect){1, true, 1};
    /* LIST, TUPLE, DICT, INST, OBJ, FROZENSET: the slice becomes one object */
    case 'l':
    case 't':
    case 'd':
    case 'i':
    case 'o':
    case 0x91: return (stack_effect){0, true, 1};
    case '1': return (stack_effect){0, true, 0};  /* POP_MARK */
    case '.': return (stack_effect){1, false, 0}; /* STOP: the object returned */
    case '2': return (stack_effect){1, false, 2}; /* DUP */
    case '0':
        return (stack_effect){1, false, 0}; /* POP */
    /* BINPERSID, TUPLE1, MEMOIZE, READONLY_BUFFER: one object for another */
    case 'Q':
    case 0x85:
    case 0x94:
    case 0x98: return (stack_effect){1, false, 1};
    /* APPEND, REDUCE, BUILD, NEWOBJ, TUPLE2, STACK_GLOBAL: two for one */
    case 'a':
    case 'R':
    case 'b':
    case 0x81:
    case 0x86:
    case 0x93: return (stack_effect){2, false, 1};
    /* SETITEM, TUPLE3, NEWOBJ_EX: three for one */
    case 's':
    case 0x87:
    case 0x92: return (stack_effect){3, false, 1};
    /* MARK (kept apart), the PUTs (the memo, not the stack), PROTO, FRAME */
    case '(':
    case 'p':
    case 'q':
    case 'r':
    case 0x80:
    case 0x95: return (stack_effect){0, false, 0};
    /* every other opcode pushes one object */
    default: return (stack_effect){0, false, 1};
    }
}

static bool pop_mark(pickle_stack *s)
{
    if (s->marks == 0)
        return false; /* pickletools.dis: "no MARK exists on stack" */
    s->top = s->under[--s->marks];
    return true;
}

static bool memo_has(const pickle_stack *s, unsigned long long key)
{
    return key < MEMO_KEYS ? (s->memo[key / 8] >> (key % 8) & 1) != 0 : s->memo_high;
}

static void memo_put(pickle_stack *s, unsigned long long key)
{
    if (key >= MEMO_KEYS) {
        s->memo_high = true;
        s->memo_count++;
    } else if (!memo_has(s, key)) {
        s->memo[key / 8] |= (unsigned char)(1u << (key % 8));
        s->memo_count++;
    }
}

/* Runs opcode OP (with its memo key KEY, when HAVE_KEY) on the stack;
 * false when the unpickler would fail there. */
static bool stack_run(pickle_stack *s, unsigned char op, unsigned long long key, bool have_key)
{
    if (s->deep)
        return true;
    if (op == '(') {
        if (s->marks == MAX_MARKS) {
            s->deep = true;
            return true;
        }
        s->under[s->marks++] = s->top;
        s->top = 0;
        return true;
    }
    if (op == '0' && s->top == 0)
        return pop_mark(s); /* pickle.py load_pop: an empty frame pops its MARK */
    bool get = op == 'g' || op == 'h' || op == 'j';
    if (get && have_key && !memo_has(s, key))
        return false; /* pickletools.dis: "memo key has never been stored into" */
    bool put = op == 'p' || op == 'q' || op == 'r' || op == 0x94;
    if (put && s->top == 0)
        return false; /* nothing to store: pickle.py reads stack[-1] */
    if (op == 0x94)
        memo_put(s, s->memo_count);
    else if (put && have_key)
        memo_put(s, key);
    stack_effect e = stack_effect_of(op);
    if (e.to_mark && !pop_mark(s))
        return false;
    if (s->top < e.pops)
        return false; /* pickletools.dis: "tries to pop N items" */
    s->top = s->top - e.pops + e.pushes;
    /* pickletools.dis: "stack not empty after STOP". pickle.load would
     * return the top object anyway, but the Pickler never leaves more, and
     * text that reads as opcodes does ("Git 1.7.12.2": BINFLOAT, DUP, STOP). */
    return op != '.' || (s->top == 0 && s->marks == 0);
}

/* The walk over a pickle's opcodes: where it is, what it has seen. */
typedef struct op_walk {
    const unsigned char *p, *end;
    bool at_eof;
    sdc_pickle_info out;
    size_t ops, objects, structures;
    bool stopped, broken;
    bool text_only;         /* no opcode yet that only a binary protocol writes */
    unsigned long long key; /* the memo key of a PUT or GET just read */
    bool have_key;          /* ... when the head held all of it */
    pickle_stack stack;     /* run without PROTO, where text must be told apart */
} op_walk;

/* Opcodes that only a binary protocol writes: every opcode from 0x80
 * (protocol 2 and later) and those of protocols 1 and 3 with a binary
 * argument (pickletools: BININT J, BININT1 K, BININT2 M, BINFLOAT G,
 * BINSTRING T, SHORT_BINSTRING U, BINUNICODE X, BINBYTES B, SHORT_BINBYTES
 * C, BINGET h, LONG_BINGET j, BINPUT q, LONG_BINPUT r). A stream without
 * them is protocol 0, text. */
static bool is_binary_op(unsigned char op)
{
    return op >= 0x80 || op == 'J' || op == 'K' || op == 'M' || op == 'G' || op == 'T' ||
           op == 'U' || op == 'X' || op == 'B' || op == 'C' || op == 'h' || op == 'j' ||
           op == 'q' || op == 'r';
}

/* PROTO (0x80) as the first opcode: its uint1 argument is the protocol,
 * 2 to 5 (pickletools; PROTO came with protocol 2, PEP 307). */
static void read_proto(op_walk *w)
{
    if (w->p >= w->end || *w->p < 2 || *w->p > 5) {
        w->broken = true;
        return;
    }
    w->out.protocol = *w->p;
}

/* A fixed-size argument (pickletools: uint1, uint2, int4 or uint4, uint8
 * or float8): read as the memo key it may be, or the head ends inside it. */
static void skip_fixed(op_walk *w, int arg)
{
    int need = arg == A_U1 ? 1 : arg == A_U2 ? 2 : arg == A_U4 ? 4 : 8;
    if (w->end - w->p < need) {
        w->p = w->end;
        return;
    }
    w->key = read_le(w->p, need);
    w->have_key = true;
    w->p += need;
}

/* A length-prefixed argument of opcode OP (a little-endian length of 1, 4
 * or 8 bytes, then that many bytes): skipped, noting joblib's names and
 * the torch legacy magic number in it. A length past the head is fine
 * unless the file ends there. */
static void skip_counted(op_walk *w, unsigned char op, int arg)
{
    int width = arg == A_LEN1 ? 1 : arg == A_LEN4 ? 4 : 8;
    if ((size_t)(w->end - w->p) < (size_t)width) {
        w->p = w->end;
        return;
    }
    unsigned long long n = read_le(w->p, width);
    w->p += width;
    /* The torch legacy format's magic number is LONG1 of these
     * ten bytes (torch/serialization.py MAGIC_NUMBER). */
    static const unsigned char torch_magic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9,
                                                0x20, 0x6a, 0xa8, 0x50, 0x19};
    if (op == 0x8a && n == 10 && (size_t)(w->end - w->p) >= 10 && !memcmp(w->p, torch_magic, 10))
        w->out.torch_legacy = true;
    if (n > (unsigned long long)(w->end - w->p)) {
        w->p = w->end; /* runs past the head: fine unless the file ends */
        if (w->at_eof)
            w->broken = true;
    } else {
        if (memmem(w->p, (size_t)n, "joblib", 6) || memmem(w->p, (size_t)n, "numpy_pickle", 12))
            w->out.joblib = true;
        w->p += n;
    }
}

/* Is the text line P..E what an argument of kind ARG must be? */
static bool line_arg_ok(int arg, const unsigned char *p, const unsigned char *e)
{
    switch (arg) {
    case A_DECIMAL: return is_decimal(p, e);
    case A_FLOAT: return is_float_text(p, e);
    case A_STRING: return e - p >= 2 && (p[0] == '\'' || p[0] == '"') && e[-1] == p[0];
    case A_GLOBAL: return is_dotted_name(p, e);
    default: return true;
    }
}

/* A text-line argument (GLOBAL and INST: two lines, module and name),
 * checked the way the unpickler reads it. A line the head cuts off is
 * taken as it is. */
static void skip_lines(op_walk *w, int arg)
{
    const unsigned char *nl = line_end(w->p, w->end);
    if (!nl) {
        w->p = w->end;
        return;
    }
    if (!line_arg_ok(arg, w->p, nl)) {
        w->broken = true;
        return;
    }
    if (arg == A_DECIMAL) {
        /* PUT and GET's memo key, a decimal (any key past MEMO_KEYS is
         * as good as another); a signed one is left unchecked. */
        w->key = 0;
        for (const unsigned char *d = w->p; d < nl && *d >= '0' && *d <= '9'; d++)
            if (w->key <= MEMO_KEYS)
                w->key = w->key * 10 + (unsigned)(*d - '0');
        w->have_key = *w->p >= '0' && *w->p <= '9';
    }
    if (arg != A_GLOBAL) {
        w->p = nl + 1;
        return;
    }
    if (memmem(w->p, (size_t)(nl - w->p), "joblib", 6))
        w->out.joblib = true;
    const unsigned char *name = nl + 1;
    const unsigned char *nl2 = name < w->end ? line_end(name, w->end) : NULL;
    if (nl2 && !is_dotted_name(name, nl2)) {
        w->broken = true;
        return;
    }
    w->p = nl2 ? nl2 + 1 : w->end;
}

/* One opcode and its argument; w->broken when the stream is not a pickle
 * there, w->stopped at STOP ('.'). */
static void walk_op(op_walk *w)
{
    unsigned char op = *w->p++;
    int arg = arg_of(op);
    if (arg < 0) {
        w->broken = true;
        return;
    }
    if (is_binary_op(op))
        w->text_only = false;
    if (w->ops == 0 && op == 0x80) {
        read_proto(w);
        if (w->broken)
            return;
    }
    w->have_key = false;
    switch (arg) {
    case A_NONE: break;
    case A_U1:
    case A_U2:
    case A_U4:
    case A_U8: skip_fixed(w, arg); break;
    case A_LEN1:
    case A_LEN4:
    case A_LEN8: skip_counted(w, op, arg); break;
    default: skip_lines(w, arg); break;
    }
    if (w->broken)
        return;
    if (w->out.protocol < 2 && !stack_run(&w->stack, op, w->key, w->have_key)) {
        w->broken = true;
        return;
    }
    w->ops++;
    w->objects += is_object_op(op);
    w->structures += is_structure_op(op);
    if (op == '.')
        w->stopped = true;
}

/* A pickle: it reached STOP, or the head ran out mid-stream, after a
 * plausible number of opcodes that build objects. Without PROTO the walk
 * has also kept the stack all the way, so a text file that reads as
 * opcodes for a while is not taken for a pickle. */
static bool is_plausible(const op_walk *w)
{
    bool plausible;
    if (w->out.protocol >= 2)
        plausible = w->ops >= 3 && (w->stopped || w->objects > 0 || !w->broken);
    else
        plausible = w->text_only ? (w->stopped && w->ops >= 4 && w->objects + w->structures >= 2) ||
                                       (!w->broken && !w->at_eof && w->ops >= 64 && w->objects > 0)
                                 : (w->stopped && w->ops >= 3) ||
                                       (!w->broken && w->ops >= 16 && w->objects > 0);
    /* A PROTO pickle that broke off after a good start is joblib's inline
     * array data, or a truncated file: still a pickle (and a finding). */
    if (!plausible && w->out.protocol >= 2 && w->broken && w->ops >= 12 && w->objects > 0)
        plausible = true;
    return plausible;
}

bool sdc_pickle_probe(const unsigned char *head, size_t len, bool at_eof, sdc_pickle_info *info)
{
    op_walk w = {.p = head, .end = head + len, .at_eof = at_eof, .text_only = true};
    while (w.p < w.end && !w.broken && !w.stopped)
        walk_op(&w);
    if (!is_plausible(&w))
        return false;
    sdc_pickle_info out = w.out;
    if (out.protocol == 0)
        out.protocol = w.text_only ? 0 : 1;
    out.truncated = !w.stopped && at_eof;
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
