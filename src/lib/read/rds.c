/*
 * rds.c - the classes of an R serialisation's top-level objects (see
 * rds.h). The item types and their layouts follow R's serialize.c
 * (ReadItem, InStringVec, ReadBC, ReadBCLang) for format versions 2 and 3.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "read/rds.h"

enum {
    NILSXP = 0,
    SYMSXP = 1,
    LISTSXP = 2,
    CLOSXP = 3,
    ENVSXP = 4,
    PROMSXP = 5,
    LANGSXP = 6,
    SPECIALSXP = 7,
    BUILTINSXP = 8,
    CHARSXP = 9,
    LGLSXP = 10,
    INTSXP = 13,
    REALSXP = 14,
    CPLXSXP = 15,
    STRSXP = 16,
    DOTSXP = 17,
    VECSXP = 19,
    EXPRSXP = 20,
    BCODESXP = 21,
    EXTPTRSXP = 22,
    WEAKREFSXP = 23,
    RAWSXP = 24,
    S4SXP = 25,
    ALTREP_SXP = 238,
    ATTRLISTSXP = 239,
    ATTRLANGSXP = 240,
    BASEENV_SXP = 241,
    EMPTYENV_SXP = 242,
    BCREPREF = 243,
    BCREPDEF = 244,
    GENERICREFSXP = 245,
    CLASSREFSXP = 246,
    PERSISTSXP = 247,
    PACKAGESXP = 248,
    NAMESPACESXP = 249,
    BASENAMESPACE_SXP = 250,
    MISSINGARG_SXP = 251,
    UNBOUNDVALUE_SXP = 252,
    GLOBALENV_SXP = 253,
    NILVALUE_SXP = 254,
    REFSXP = 255
};

#define DEPTH_MAX 1024
#define REFS_MAX (1u << 22)

typedef struct rd {
    const unsigned char *p, *end;
    bool xdr; /* big-endian ("X"), else native little-endian ("B") */
    bool bad;
    bool oom; /* bad because memory ran out */
    int depth;
    char **refs; /* a symbol's name, or NULL for other referenced items */
    size_t nrefs, cap;
} rd;

static long long read_int(rd *r)
{
    if (r->bad || r->end - r->p < 4) {
        r->bad = true;
        return 0;
    }
    const unsigned char *b = r->p;
    r->p += 4;
    uint32_t v = r->xdr ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]
                        : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
    return (int32_t)v;
}

static void skip(rd *r, unsigned long long n)
{
    if (r->bad || (unsigned long long)(r->end - r->p) < n) {
        r->bad = true;
        return;
    }
    r->p += n;
}

/* A vector's length: -1 means a long length in two more words. */
static unsigned long long rlength(rd *r)
{
    long long n = read_int(r);
    if (n == -1) {
        unsigned long long hi = (unsigned long long)read_int(r),
                           lo = (unsigned long long)read_int(r);
        return (hi << 32) + (lo & 0xffffffffu);
    }
    if (n < 0)
        r->bad = true;
    return n < 0 ? 0 : (unsigned long long)n;
}

static void add_ref(rd *r, const char *name)
{
    if (r->nrefs >= REFS_MAX) {
        r->bad = true;
        return;
    }
    if (SDC_VEC_RESERVE(r->refs, r->cap, r->nrefs + 1) < 0 ||
        (name && !(r->refs[r->nrefs] = strdup(name)))) {
        r->bad = r->oom = true;
        return;
    }
    if (!name)
        r->refs[r->nrefs] = NULL;
    r->nrefs++;
}

/* A CHARSXP's bytes into OUT (cut to SIZE); the item's header is read. */
static void charsxp(rd *r, char *out, size_t size)
{
    long long n = read_int(r);
    if (out && size)
        out[0] = '\0';
    if (n < 0) /* NA_STRING */
        return;
    if (r->bad || r->end - r->p < n) {
        r->bad = true;
        return;
    }
    if (out && size) {
        size_t k = (size_t)n < size - 1 ? (size_t)n : size - 1;
        memcpy(out, r->p, k);
        out[k] = '\0';
    }
    r->p += n;
}

static void item(rd *r, char *sym, size_t symsize, char (*strs)[48], int *nstrs, int maxstrs);

static void skip_item(rd *r)
{
    item(r, NULL, 0, NULL, NULL, 0);
}

/* InStringVec: 0, a length, that many CHARSXP items. */
static void string_vec(rd *r)
{
    read_int(r);
    long long n = read_int(r);
    for (long long i = 0; i < n && !r->bad; i++)
        skip_item(r);
}

static void bc_lang(rd *r, int type);

static void bc1(rd *r)
{
    skip_item(r); /* the code, an INTSXP */
    long long n = read_int(r);
    for (long long i = 0; i < n && !r->bad; i++) {
        int type = (int)read_int(r);
        switch (type) {
        case BCODESXP: bc1(r); break;
        case LANGSXP:
        case LISTSXP:
        case BCREPDEF:
        case BCREPREF:
        case ATTRLANGSXP:
        case ATTRLISTSXP: bc_lang(r, type); break;
        default: skip_item(r);
        }
    }
}

static void bc_lang(rd *r, int type)
{
    if (++r->depth > DEPTH_MAX)
        r->bad = true;
    while (!r->bad) {
        if (type == BCREPREF) {
            read_int(r);
            break;
        }
        if (type != BCREPDEF && type != LANGSXP && type != LISTSXP && type != ATTRLANGSXP &&
            type != ATTRLISTSXP) {
            skip_item(r);
            break;
        }
        if (type == BCREPDEF) {
            read_int(r); /* its position */
            type = (int)read_int(r);
        }
        if (type == ATTRLANGSXP || type == ATTRLISTSXP)
            skip_item(r);             /* attributes */
        skip_item(r);                 /* tag */
        bc_lang(r, (int)read_int(r)); /* car */
        type = (int)read_int(r);      /* cdr, in the loop */
    }
    r->depth--;
}

/* The contents of a vector (or an S4 object, which has none) of TYPE,
 * its header read: STRS, when given, takes a character vector's first
 * MAXSTRS strings. False when TYPE is no vector. */
static bool vector_contents(rd *r, int type, char (*strs)[48], int *nstrs, int maxstrs)
{
    switch (type) {
    case LGLSXP:
    case INTSXP: skip(r, 4 * rlength(r)); return true;
    case REALSXP: skip(r, 8 * rlength(r)); return true;
    case CPLXSXP: skip(r, 16 * rlength(r)); return true;
    case RAWSXP: skip(r, rlength(r)); return true;
    case STRSXP: {
        unsigned long long n = rlength(r);
        for (unsigned long long i = 0; i < n && !r->bad; i++) {
            char s[48];
            read_int(r); /* the CHARSXP's header */
            charsxp(r, strs && *nstrs < maxstrs ? s : NULL, sizeof s);
            if (strs && *nstrs < maxstrs)
                snprintf(strs[(*nstrs)++], 48, "%s", s);
        }
        return true;
    }
    case VECSXP:
    case EXPRSXP: {
        unsigned long long n = rlength(r);
        for (unsigned long long i = 0; i < n && !r->bad; i++)
            skip_item(r);
        return true;
    }
    case S4SXP: return true;
    default: return false;
    }
}

/*
 * One item. When SYM is given and the item is a symbol (or a reference to
 * one), its name goes there; when STRS is given and the item is a
 * character vector, its first MAXSTRS strings go there.
 */
static void item(rd *r, char *sym, size_t symsize, char (*strs)[48], int *nstrs, int maxstrs)
{
    if (r->bad)
        return;
    if (++r->depth > DEPTH_MAX) {
        r->bad = true;
        return;
    }
    for (bool more = true; more && !r->bad;) { /* pairlists loop on their tail */
        more = false;
        long long flags = read_int(r);
        int type = (int)(flags & 0xff);
        bool attr = flags & (1 << 9), tag = flags & (1 << 10);
        switch (type) {
        case NILVALUE_SXP:
        case EMPTYENV_SXP:
        case BASEENV_SXP:
        case GLOBALENV_SXP:
        case UNBOUNDVALUE_SXP:
        case MISSINGARG_SXP:
        case BASENAMESPACE_SXP: break;
        case REFSXP: {
            long long i = flags >> 8;
            if (i == 0)
                i = read_int(r);
            if (i < 1 || (size_t)i > r->nrefs)
                r->bad = true;
            else if (sym && r->refs[i - 1])
                snprintf(sym, symsize, "%s", r->refs[i - 1]);
            break;
        }
        case PERSISTSXP:
            string_vec(r);
            add_ref(r, NULL);
            break;
        case SYMSXP: {
            char name[64];
            read_int(r); /* the CHARSXP's header */
            charsxp(r, name, sizeof name);
            add_ref(r, name);
            if (sym)
                snprintf(sym, symsize, "%s", name);
            break;
        }
        case PACKAGESXP:
        case NAMESPACESXP:
            string_vec(r);
            add_ref(r, NULL);
            break;
        case ENVSXP:
            read_int(r); /* locked */
            add_ref(r, NULL);
            for (int k = 0; k < 4; k++) /* enclosure, frame, hash table, attributes */
                skip_item(r);
            break;
        case LISTSXP:
        case LANGSXP:
        case CLOSXP:
        case PROMSXP:
        case DOTSXP:
        case ATTRLISTSXP:
        case ATTRLANGSXP:
            if (attr || type == ATTRLISTSXP || type == ATTRLANGSXP)
                skip_item(r);
            if (tag)
                skip_item(r);
            skip_item(r); /* car */
            more = true;  /* cdr: the next node */
            continue;
        case EXTPTRSXP:
            add_ref(r, NULL);
            skip_item(r);
            skip_item(r);
            break;
        case WEAKREFSXP: add_ref(r, NULL); break;
        case SPECIALSXP:
        case BUILTINSXP: skip(r, (unsigned long long)read_int(r)); break;
        case CHARSXP: charsxp(r, NULL, 0); break;
        case BCODESXP:
            read_int(r); /* the reps' length */
            bc1(r);
            break;
        case ALTREP_SXP:
            for (int k = 0; k < 3; k++) /* class info, state, attributes */
                skip_item(r);
            break;
        default: /* vectors; else class references, unknown types */
            if (!vector_contents(r, type, strs, nstrs, maxstrs))
                r->bad = true;
        }
        /* the items R's ReadItem returns early from carry no attributes
         * after them: references, symbols, environments, persistent and
         * package names, pairlists (theirs come first), ALTREP */
        bool trailing = type == EXTPTRSXP || type == WEAKREFSXP || type == SPECIALSXP ||
                        type == BUILTINSXP || type == CHARSXP || type == LGLSXP || type == INTSXP ||
                        type == REALSXP || type == CPLXSXP || type == STRSXP || type == VECSXP ||
                        type == EXPRSXP || type == BCODESXP || type == RAWSXP || type == S4SXP;
        if (!r->bad && attr && trailing)
            skip_item(r);
    }
    r->depth--;
}

/* The attributes pairlist of a top-level object, read for its class. */
static void attributes(rd *r, sdc_rds_object *o)
{
    for (bool more = true; more && !r->bad;) {
        long long flags = read_int(r);
        int type = (int)(flags & 0xff);
        if (type == NILVALUE_SXP)
            return;
        if (type != LISTSXP) {
            r->bad = true;
            return;
        }
        if (flags & (1 << 9))
            skip_item(r);
        char name[64] = "";
        if (flags & (1 << 10))
            item(r, name, sizeof name, NULL, NULL, 0);
        if (strcmp(name, "class") == 0)
            item(r, NULL, 0, o->classes, &o->nclasses, SDC_RDS_CLASSES);
        else
            skip_item(r);
    }
}

/* A top-level object: its contents skipped, its attributes read. Only
 * vectors and S4 objects carry a class this way; others are skipped. */
static void top_object(rd *r, sdc_rds_object *o)
{
    const unsigned char *start = r->p;
    long long flags = read_int(r);
    if (!vector_contents(r, (int)(flags & 0xff), NULL, NULL, 0)) {
        r->p = start; /* any other: walked whole, its class not read */
        skip_item(r);
        return;
    }
    if ((flags & (1 << 9)) && !r->bad)
        attributes(r, o);
}

int sdc_rds_read(const unsigned char *bytes, size_t len, sdc_rds_info *out)
{
    memset(out, 0, sizeof *out);
    rd r = {.p = bytes, .end = bytes + len};
    /* save()'s files start with a line: RDX2, RDX3 (XDR), RDB2, RDB3 */
    bool rdata = len >= 5 && memcmp(bytes, "RD", 2) == 0 && bytes[4] == '\n';
    if (rdata)
        r.p += 5;
    if (r.end - r.p < 14 || r.p[1] != '\n' || (r.p[0] != 'X' && r.p[0] != 'B'))
        return -1;
    r.xdr = r.p[0] == 'X';
    r.p += 2;
    long long version = read_int(&r);
    read_int(&r); /* the writer's R version */
    read_int(&r); /* the oldest reader's */
    if (version == 3)
        skip(&r, (unsigned long long)read_int(&r)); /* the native encoding's name */
    else if (version != 2)
        r.bad = true;
    if (!rdata) {
        out->nobjects = 1;
        top_object(&r, &out->objects[0]);
    } else {
        /* a pairlist: each node's tag is the object's name, its car it */
        for (bool more = true; more && !r.bad;) {
            long long flags = read_int(&r);
            int type = (int)(flags & 0xff);
            if (type == NILVALUE_SXP)
                break;
            if (type != LISTSXP) {
                r.bad = true;
                break;
            }
            if (flags & (1 << 9))
                skip_item(&r);
            sdc_rds_object scratch = {0};
            sdc_rds_object *o =
                out->nobjects < SDC_RDS_OBJECTS ? &out->objects[out->nobjects++] : &scratch;
            if (flags & (1 << 10))
                item(&r, o->name, sizeof o->name, NULL, NULL, 0);
            top_object(&r, o);
        }
    }
    for (size_t i = 0; i < r.nrefs; i++)
        free(r.refs[i]);
    free(r.refs);
    return r.oom ? -2 : r.bad ? -1 : 0;
}

bool sdc_rds_model_class(const char *cls)
{
    /* stats, MASS, nnet, rpart, randomForest, ranger, gbm, xgboost,
     * glmnet, e1071, kernlab, caret, survival, lme4, nlme, mgcv, party */
    static const char *const models[] = {
        "lm",     "glm",    "mlm",    "nls",         "loess",      "aov",       "randomForest",
        "rpart",  "ranger", "gbm",    "xgb.Booster", "glmnet",     "cv.glmnet", "elnet",
        "lognet", "svm",    "ksvm",   "nnet",        "multinom",   "lda",       "qda",
        "polr",   "train",  "coxph",  "survreg",     "lmerMod",    "glmerMod",  "merMod",
        "lme",    "gls",    "gam",    "naiveBayes",  "BinaryTree", "party",     "knn3",
        "earth",  "prcomp", "kmeans", "hclust",      "model_fit",  "workflow",  NULL};
    for (size_t i = 0; models[i]; i++)
        if (strcmp(cls, models[i]) == 0)
            return true;
    return false;
}
