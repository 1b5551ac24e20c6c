/*
 * code_models.c - models written as code or text (doc/design.md,
 * "Models written as text").
 *
 * A model need not be a file of a model format: its weights can be a list
 * literal in a script, a JSON matrix or a column of a log, and a fitted
 * tree can be generated code (m2cgen, sklearn-porter: `if (input[2] <=
 * 2.45) {`), sklearn's export_text dump (`|--- petal width (cm) <= 0.80`)
 * or XGBoost's text dump (`0:[f2<2.45] yes=1,no=2,missing=1`). Three
 * signals are counted over the whole stream, one byte at a time, with no
 * buffering:
 *
 *   - numbers: the longest run of decimal literals (a '.' or an exponent:
 *     0.5, -1.2e-03, 0.5f) with only separators between them (white space,
 *     , ; and brackets; integers are allowed in a run but not counted, so
 *     `[1,] 0.12 0.53` and `{0, 0.5}` stay one run). A letter, a quote or
 *     an operator ends the run. More than the policy's max_code_numbers
 *     is a model's weights or a column of values written out.
 *   - splits: lines with a tree keyword (`if`, `elif`, `|---`, `yes=`,
 *     `WHEN`, `?`) and a comparison (< <= > >=) with a decimal threshold.
 *     More than max_code_splits is a tree model.
 *   - ONNX's text forms: the protobuf text format of a ModelProto and
 *     onnx.printer's syntax (onnx/defs/parser.h) both have `ir_version:` at
 *     the start of a line, with `op_type:` (nodes) or `opset_import`.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/code_models.h"

enum cls { C_OTHER, C_DIGIT, C_DOT, C_SIGN, C_EXP, C_SUFFIX, C_SEP };

static const unsigned char CLASS[256] = {
    ['0'] = C_DIGIT,  ['1'] = C_DIGIT,  ['2'] = C_DIGIT, ['3'] = C_DIGIT, ['4'] = C_DIGIT,
    ['5'] = C_DIGIT,  ['6'] = C_DIGIT,  ['7'] = C_DIGIT, ['8'] = C_DIGIT, ['9'] = C_DIGIT,
    ['.'] = C_DOT,    ['+'] = C_SIGN,   ['-'] = C_SIGN,  ['e'] = C_EXP,   ['E'] = C_EXP,
    ['f'] = C_SUFFIX, ['F'] = C_SUFFIX, [' '] = C_SEP,   ['\t'] = C_SEP,  ['\r'] = C_SEP,
    ['\n'] = C_SEP,   [','] = C_SEP,    [';'] = C_SEP,   ['['] = C_SEP,   [']'] = C_SEP,
    ['('] = C_SEP,    [')'] = C_SEP,    ['{'] = C_SEP,   ['}'] = C_SEP,
};

enum num_state { S_SEP, S_NUM, S_WORD };

/* A numeric token as it is read. */
typedef struct token {
    unsigned digits, dots, exp_digits;
    bool exp, after_exp, suffix;
} token;

#define HEAD_MAX 16

struct sdc_code_models {
    long max_numbers, max_splits;
    bool markup;
    long line;
    /* numbers */
    enum num_state state;
    token tok;
    unsigned long run, best;
    long run_line, best_line;
    /* splits */
    unsigned long win; /* the last four bytes */
    int cmp;           /* how far a comparison with a decimal has been read */
    bool line_kw, line_cmp;
    unsigned long splits;
    long split_line;
    /* ONNX: the first bytes of each line, white space and '<' skipped */
    char head[HEAD_MAX];
    size_t head_len;
    bool ir_version, op_type, opset_import;
};

sdc_code_models *sdc_code_models_new(const sdc_policy *policy, bool markup)
{
    sdc_code_models *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->max_numbers = policy->max_code_numbers;
    m->max_splits = policy->max_code_splits;
    m->markup = markup;
    m->line = 1;
    m->run_line = 1;
    return m;
}

void sdc_code_models_free(sdc_code_models *m)
{
    free(m);
}

static void run_end(sdc_code_models *m)
{
    if (m->run > m->best) {
        m->best = m->run;
        m->best_line = m->run_line;
    }
    m->run = 0;
}

static void run_count(sdc_code_models *m)
{
    if (m->run == 0)
        m->run_line = m->line;
    m->run++;
}

/* A token ends at a separator: a decimal is counted, an integer leaves the
 * run as it is, anything else (1.2.3, 1-2, a lone sign) ends it. */
static void token_end(sdc_code_models *m)
{
    const token *t = &m->tok;
    bool valid = t->digits > 0 && t->dots <= 1 && (!t->exp || t->exp_digits > 0);
    if (!valid)
        run_end(m);
    else if (t->dots == 1 || t->exp)
        run_count(m);
    else if (t->suffix)
        run_end(m);
}

/* The next byte of a numeric token; false when it cannot be one. */
static bool token_byte(token *t, enum cls k)
{
    bool after_exp = t->after_exp;
    t->after_exp = false;
    if (t->suffix)
        return false;
    switch (k) {
    case C_DIGIT:
        if (t->exp)
            t->exp_digits++;
        else
            t->digits++;
        return true;
    case C_DOT: t->dots++; return !t->exp;
    case C_EXP:
        if (t->digits == 0 || t->exp)
            return false;
        t->exp = t->after_exp = true;
        return true;
    case C_SIGN: return after_exp;
    case C_SUFFIX: t->suffix = true; return t->digits > 0;
    default: return false;
    }
}

static void numbers_byte(sdc_code_models *m, unsigned char c)
{
    enum cls k = (enum cls)CLASS[c];
    if (k == C_SEP) {
        if (m->state == S_NUM)
            token_end(m);
        m->state = S_SEP;
        return;
    }
    switch (m->state) {
    case S_SEP:
        if (k == C_DIGIT || k == C_DOT || k == C_SIGN) {
            memset(&m->tok, 0, sizeof m->tok);
            m->state = S_NUM;
            if (k != C_SIGN) /* a leading sign is part of the token */
                (void)token_byte(&m->tok, k);
            return;
        }
        m->state = S_WORD;
        run_end(m);
        return;
    case S_NUM:
        if (!token_byte(&m->tok, k)) {
            m->state = S_WORD;
            run_end(m);
        }
        return;
    case S_WORD: return;
    }
}

static bool ident_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

#define WORD4(a, b, c, d)                                                                          \
    (((unsigned long)(a) << 24) | ((unsigned long)(b) << 16) | ((unsigned long)(c) << 8) |         \
     (unsigned long)(d))

static bool keyword_ends(unsigned long w, unsigned char c)
{
    if (c == '?')
        return true;
    if ((w & 0xffffUL) == WORD4(0, 0, 'i', 'f') && !ident_byte((unsigned char)(w >> 16)))
        return true;
    return w == WORD4('e', 'l', 'i', 'f') || w == WORD4('|', '-', '-', '-') ||
           w == WORD4('y', 'e', 's', '=') || w == WORD4('W', 'H', 'E', 'N') ||
           w == WORD4('w', 'h', 'e', 'n');
}

/* A comparison operator, spaces, then a decimal (a sign and digits, a '.',
 * a digit): cmp 1 after < or >, 2 after its '=' or a space, 3 in the
 * integer part, 4 after the '.'. */
static void compare_byte(sdc_code_models *m, unsigned char c)
{
    bool digit = c >= '0' && c <= '9';
    switch (m->cmp) {
    case 1:
    case 2:
        if (c == '=' && m->cmp == 1)
            m->cmp = 2;
        else if (c == ' ')
            m->cmp = 2;
        else if (digit || c == '-')
            m->cmp = 3;
        else if (c == '.')
            m->cmp = 4;
        else
            m->cmp = 0;
        break;
    case 3: m->cmp = digit ? 3 : c == '.' ? 4 : 0; break;
    case 4:
        if (digit)
            m->line_cmp = true;
        m->cmp = 0;
        break;
    default: break;
    }
    if (m->cmp == 0 && (c == '<' || c == '>'))
        m->cmp = 1;
}

static bool head_is(const sdc_code_models *m, const char *key)
{
    size_t n = strlen(key);
    return m->head_len > n && memcmp(m->head, key, n) == 0 &&
           (m->head[n] == ':' || m->head[n] == ' ');
}

static void line_end(sdc_code_models *m)
{
    if (m->line_kw && m->line_cmp) {
        if (m->splits == 0)
            m->split_line = m->line;
        m->splits++;
    }
    m->line_kw = m->line_cmp = false;
    m->cmp = 0;
    if (head_is(m, "ir_version"))
        m->ir_version = true;
    else if (head_is(m, "op_type"))
        m->op_type = true;
    else if (head_is(m, "opset_import"))
        m->opset_import = true;
    m->head_len = 0;
    m->line++;
}

void sdc_code_models_feed(sdc_code_models *m, const unsigned char *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = bytes[i];
        numbers_byte(m, c);
        if (c == '\n') {
            line_end(m);
            m->win = '\n';
            continue;
        }
        m->win = ((m->win << 8) | c) & 0xffffffffUL;
        if (keyword_ends(m->win, c))
            m->line_kw = true;
        compare_byte(m, c);
        if (m->head_len < HEAD_MAX &&
            (m->head_len > 0 || (c != ' ' && c != '\t' && c != '<' && c != '\r')))
            m->head[m->head_len++] = (char)c;
    }
}

static int add(sdc_findings *f, sdc_verdict v, long line, unsigned long value, long limit,
               const char *advice, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static int add(sdc_findings *f, sdc_verdict v, long line, unsigned long value, long limit,
               const char *advice, const char *fmt, ...)
{
    char val[32];
    snprintf(val, sizeof val, "%lu", value);
    sdc_finding_at at = {.line = line,
                         .value = value ? val : NULL,
                         .limit = (double)limit,
                         .has_limit = limit > 0,
                         .advice = advice};
    va_list ap;
    va_start(ap, fmt);
    int rc = sdc_findings_addv(f, "model-file", v, &at, fmt, ap);
    va_end(ap);
    return rc;
}

int sdc_code_models_finish(sdc_code_models *m, sdc_findings *findings)
{
    if (m->state == S_NUM)
        token_end(m);
    run_end(m);
    if (m->head_len > 0 || m->line_kw)
        line_end(m);
    int rc = 0;
    if (m->best > (unsigned long)m->max_numbers)
        rc |=
            add(findings, m->markup ? SDC_REVIEW : SDC_FAIL, m->best_line, m->best, m->max_numbers,
                "a model's weights, or a column of values from the records, may not leave: "
                "release the statistics you need as a table",
                "%lu decimal numbers in one run, more than max_code_numbers (%ld): weights "
                "or values written out as numbers",
                m->best, m->max_numbers);
    if (m->splits > (unsigned long)m->max_splits)
        rc |= add(findings, SDC_FAIL, m->split_line, m->splits, m->max_splits,
                  "a fitted tree, as code or as a dump, is a model: describe it in words or "
                  "release the summary statistics you need",
                  "%lu lines compare a value with a decimal threshold as a tree does (if, elif, "
                  "|---, yes=, WHEN, ?), the first here, more than max_code_splits (%ld): a "
                  "tree model written as code or text",
                  m->splits, m->max_splits);
    if (m->ir_version && (m->op_type || m->opset_import))
        rc |= add(findings, SDC_FAIL, 0, 0, 0, "a model may not leave in any form",
                  "an ONNX model in text form (ir_version with %s)",
                  m->op_type ? "op_type" : "opset_import");
    return rc ? -1 : 0;
}
