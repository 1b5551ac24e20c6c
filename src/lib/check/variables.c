/*
 * variables.c - the approved variables of an ingest check (ingest.h).
 *
 * The list comes from a project's external data request: a text file of
 * one name a line, or the form's CSV whose first column is the names.
 * Both are read with libcsv, a line at a time (so that '#' comment lines
 * and blank lines can be left out before it sees them), keeping the first
 * field of each row. Names are kept as written, trimmed, once each;
 * lookups ignore ASCII letter case, as Stata, SPSS and SAS do for names.
 */
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/checker.h"
#include "check/ingest_internal.h"
#include "core/vec.h"
#include "sdccheck/ingest.h"

#define LIST_MAX (16u << 20)

/* A first row with one of these first fields (and more than one field)
 * is the CSV's header, not a name. */
static const char *const header_words[] = {
    "variable", "variables", "variable_name", "variable name", "varname", "name", NULL};

typedef struct row_state {
    sdc_variables *list;
    char *first;   /* the row's first field, trimmed, or NULL */
    size_t fields; /* fields seen in the row */
    size_t rows;   /* rows ended */
    bool oom;
} row_state;

/* TEXT[0..len) without the spaces around it, malloc'd. */
static char *trimmed(const char *text, size_t len)
{
    while (len && isspace((unsigned char)*text))
        text++, len--;
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    return strndup(text, len);
}

long sdc_variables_find(const sdc_variables *list, const char *name)
{
    size_t len = strlen(name);
    while (len && isspace((unsigned char)*name))
        name++, len--;
    while (len && isspace((unsigned char)name[len - 1]))
        len--;
    for (size_t i = 0; i < list->count; i++)
        if (strlen(list->names[i]) == len && strncasecmp(list->names[i], name, len) == 0)
            return (long)i;
    return -1;
}

static void on_field(void *field, size_t len, void *ctx)
{
    row_state *s = ctx;
    if (s->fields++ == 0 && !s->oom && !(s->first = trimmed(field, len)))
        s->oom = true;
}

static bool is_header_word(const char *s)
{
    for (size_t i = 0; header_words[i]; i++)
        if (strcasecmp(s, header_words[i]) == 0)
            return true;
    return false;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    row_state *s = ctx;
    sdc_variables *l = s->list;
    char *name = s->first;
    bool header = s->rows++ == 0 && s->fields > 1 && name && is_header_word(name);
    s->first = NULL;
    s->fields = 0;
    if (!name || !name[0] || header || sdc_variables_find(l, name) >= 0) {
        free(name);
        return;
    }
    if (SDC_VEC_RESERVE(l->names, l->cap, l->count + 1) < 0) {
        free(name);
        s->oom = true;
        return;
    }
    l->names[l->count++] = name;
}

/* The whole file at PATH into *BYTES (malloc'd, NUL-terminated), its
 * SHA-256 into HEX. Returns 0 or an SDC_E* code set in ST. */
static int slurp(const char *path, char **bytes, size_t *len, char hex[65], sdc_status *st)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sdc_status_set(st, sdc_error_from_errno(errno), "--variables %s: %s", path,
                              strerror(errno));
    char *buf = malloc(LIST_MAX + 1);
    size_t n = buf ? fread(buf, 1, LIST_MAX + 1, f) : 0;
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (!buf)
        return sdc_status_set(st, SDC_ENOMEM, "out of memory");
    if (err) {
        free(buf);
        return sdc_status_set(st, SDC_EIO, "--variables %s: %s", path, strerror(err));
    }
    if (n > LIST_MAX) {
        free(buf);
        return sdc_status_set(st, SDC_EINVAL, "--variables %s: larger than %u MiB", path,
                              LIST_MAX >> 20);
    }
    if (memchr(buf, '\0', n)) {
        free(buf);
        return sdc_status_set(st, SDC_EINVAL,
                              "--variables %s: not a text file (it holds a NUL byte)", path);
    }
    buf[n] = '\0';
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (EVP_Digest(buf, n, digest, &dlen, EVP_sha256(), NULL) != 1 || dlen != 32) {
        free(buf);
        return sdc_status_set(st, SDC_ENOMEM, "out of memory");
    }
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    *bytes = buf;
    *len = n;
    return 0;
}

/* Feeds the lines of TEXT[0..len) that are not blank or comments. */
static int parse_lines(struct csv_parser *p, const char *text, size_t len, row_state *s)
{
    size_t pos = 0;
    while (pos < len && !s->oom) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) + 1 : len;
        const char *line = text + pos;
        size_t n = end - pos;
        pos = end;
        size_t k = 0;
        while (k < n && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == n || line[k] == '#' || line[k] == '\n' || line[k] == '\r')
            continue;
        if (csv_parse(p, line, n, on_field, on_row, s) != n)
            return -1;
        if (!nl && csv_parse(p, "\n", 1, on_field, on_row, s) != 1)
            return -1;
    }
    return 0;
}

sdc_variables *sdc_variables_load(const char *path, sdc_status *st)
{
    char *text = NULL;
    size_t len = 0;
    char hex[65];
    if (slurp(path, &text, &len, hex, st) < 0)
        return NULL;
    sdc_variables *l = calloc(1, sizeof *l);
    if (!l || !(l->path = strdup(path))) {
        free(l);
        free(text);
        sdc_status_set(st, SDC_ENOMEM, "out of memory");
        return NULL;
    }
    memcpy(l->sha256, hex, sizeof hex);
    l->size = (long long)len;
    const char *body = text;
    if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte order mark */
        body += 3, len -= 3;
    struct csv_parser p;
    row_state s = {.list = l};
    int rc = csv_init(&p, CSV_APPEND_NULL) == 0 ? 0 : SDC_ENOMEM;
    if (rc == 0) {
        if (parse_lines(&p, body, len, &s) < 0 || csv_fini(&p, on_field, on_row, &s) != 0)
            rc = csv_error(&p) == CSV_ENOMEM ? SDC_ENOMEM : SDC_EPARSE;
        if (rc == SDC_EPARSE)
            sdc_status_set(st, rc, "--variables %s: %s", path, csv_strerror(csv_error(&p)));
        csv_free(&p);
    }
    free(s.first);
    free(text);
    if (s.oom || rc == SDC_ENOMEM)
        rc = sdc_status_set(st, SDC_ENOMEM, "out of memory");
    else if (rc == 0 && l->count == 0)
        rc = sdc_status_set(st, SDC_EINVAL, "--variables %s: names no variable", path);
    if (rc < 0) {
        sdc_variables_free(l);
        return NULL;
    }
    return l;
}

void sdc_variables_free(sdc_variables *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        free(list->names[i]);
    free(list->names);
    free(list->path);
    free(list);
}

size_t sdc_variables_count(const sdc_variables *list)
{
    return list->count;
}

const char *sdc_variables_name(const sdc_variables *list, size_t i)
{
    return i < list->count ? list->names[i] : NULL;
}
