/*
 * fix_name.c - where --fix writes each copy: a name under DIR that is
 * safe and not taken (sdccheck(1), --fix).
 *
 * A table submitted as a file keeps its name, DIR/NAME. A table inside
 * another file is written under a folder named after that file, one
 * folder per level, as its path in the report reads with each '!' a '/':
 * "tables.zip!tables/t1.csv" is DIR/tables.zip/tables/t1.csv, and a sheet
 * ("book.xlsx!sheet:Sales") is named by its tab, DIR/book.xlsx/Sales.csv.
 * The names inside a file are the submission's (member and sheet names,
 * which anyone can write), so each part is made safe: empty, "." and ".."
 * parts are dropped (so is a leading '/'), '\' separates parts as '/'
 * does, control characters become '_', and a part is cut to PART_MAX bytes
 * (at a UTF-8 character). What is left is always below DIR. A copy of a
 * member whose name does not end in .csv or .tsv is given ".csv": it is
 * written as CSV. Two copies never share a name, nor is one's folder
 * another's file: the later gets "-2" (then "-3"...) before its extension.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "check/fix_name.h"
#include "core/vec.h"

/* Bytes of one part of a name: the longest file name most file systems
 * take is 255, and the temporary file beside a copy adds 8. */
#define PART_MAX 200

/* Appends to BUF (at *LEN) "/" and the part S[0..n) made safe; FLAT: a
 * '/' or '\' in it is a character, not a separator (a sheet's name).
 * Appends nothing for a part that must be dropped. */
static void add_part(char *buf, size_t *len, const char *s, size_t n, bool flat)
{
    if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return;
    if (n > PART_MAX) {
        n = PART_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--; /* not in the middle of a character */
    }
    buf[(*len)++] = '/';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool unsafe = c < 0x20 || c == 0x7f || (flat && (c == '/' || c == '\\'));
        buf[(*len)++] = unsafe ? '_' : (char)c;
    }
}

/* Appends each part of the member path S[0..n), split at '/' and '\'. */
static void add_parts(char *buf, size_t *len, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i <= n; i++)
        if (i == n || s[i] == '/' || s[i] == '\\') {
            add_part(buf, len, s + from, i - from, false);
            from = i + 1;
        }
}

static bool has_table_extension(const char *name)
{
    size_t n = strlen(name);
    return n > 4 &&
           (strcasecmp(name + n - 4, ".csv") == 0 || strcasecmp(name + n - 4, ".tsv") == 0);
}

/* The name before it is made unique, into BUF (large enough: see
 * sdc_fix_name). */
static void plain_name(char *buf, const char *dir, const char *path, const char *outer,
                       bool *as_csv)
{
    size_t len = strlen(dir);
    memcpy(buf, dir, len);
    const char *file = outer ? outer : path;
    const char *slash = strrchr(file, '/');
    const char *base = slash ? slash + 1 : file;
    size_t top = len;
    add_part(buf, &len, base, strlen(base), true);
    size_t inner = len;
    if (outer) {
        const char *s = path + strlen(outer) + 1;
        while (*s) {
            const char *bang = strchr(s, '!');
            size_t n = bang ? (size_t)(bang - s) : strlen(s);
            if (strncmp(s, "sheet:", 6) == 0)
                add_part(buf, &len, s + 6, n - 6, true);
            else
                add_parts(buf, &len, s, n);
            s += bang ? n + 1 : n;
        }
    }
    if (len == top || (outer && len == inner)) {
        memcpy(buf + len, "/table", 6);
        len += 6;
    }
    buf[len] = '\0';
    const char *last = strrchr(buf + top, '/'); /* never NULL: a part was added */
    *as_csv = outer && !has_table_extension(last + 1);
    if (*as_csv)
        memcpy(buf + len, ".csv", 5);
}

/* A is B or inside the folder B. */
static bool is_or_under(const char *a, const char *b)
{
    size_t n = strlen(b);
    return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

static bool taken(const sdc_fix_names *names, const char *name)
{
    for (size_t i = 0; i < names->count; i++)
        if (is_or_under(name, names->items[i]) || is_or_under(names->items[i], name))
            return true;
    return false;
}

const char *sdc_fix_name(sdc_fix_names *names, const char *dir, const char *path, const char *outer,
                         bool *as_csv)
{
    if (SDC_VEC_RESERVE(names->items, names->capacity, names->count + 1) < 0)
        return NULL;
    /* Parts only shrink or keep their length, '!' becomes '/', the base
     * of a path is shorter than it; "/table" and ".csv" may be added. */
    char *name = malloc(strlen(dir) + strlen(path) + 16);
    if (!name)
        return NULL;
    plain_name(name, dir, path, outer, as_csv);
    if (taken(names, name)) {
        /* Each name kept rules out one "-K" at most: this ends. */
        const char *base = strrchr(name, '/') + 1;
        const char *dot = strrchr(base, '.');
        size_t stem = dot && dot > base ? (size_t)(dot - name) : strlen(name);
        char *other = NULL;
        for (unsigned long k = 2; !other; k++) {
            if (asprintf(&other, "%.*s-%lu%s", (int)stem, name, k, name + stem) < 0) {
                free(name);
                return NULL;
            }
            if (taken(names, other)) {
                free(other);
                other = NULL;
            }
        }
        free(name);
        name = other;
    }
    names->items[names->count++] = name;
    return name;
}

int sdc_fix_make_folders(const char *dir, const char *path)
{
    size_t from = strlen(dir) + 1;
    char *prefix = strdup(path);
    if (!prefix)
        return ENOMEM;
    int err = 0;
    for (char *s = strchr(prefix + from, '/'); s && !err; s = strchr(s + 1, '/')) {
        *s = '\0';
        struct stat st;
        if (mkdir(prefix, 0755) != 0 && errno != EEXIST)
            err = errno;
        else if (lstat(prefix, &st) != 0)
            err = errno;
        else if (!S_ISDIR(st.st_mode))
            err = ENOTDIR; /* a file, or a link that could lead out of DIR */
        *s = '/';
    }
    free(prefix);
    return err;
}

void sdc_fix_names_free(sdc_fix_names *names)
{
    for (size_t i = 0; i < names->count; i++)
        free(names->items[i]);
    free(names->items);
    memset(names, 0, sizeof *names);
}
