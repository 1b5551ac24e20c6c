/*
 * data_vars.c - the variable names of Stata, SPSS and SAS data files, read
 * with ReadStat (the library haven and pyreadstat use).
 *
 * ReadStat reads through handlers for open, seek and read; here they serve
 * the head of the file the walk kept in memory, so a data file inside an
 * archive is read like one on disk, and bytes past the head (records a
 * dictionary never needs) read as an error: the names are then reported
 * unreadable, never guessed. Only the variable handler is set, and one
 * record is asked for, so the records are not decoded.
 */
#include <readstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "read/data_vars.h"

typedef struct head_io {
    const unsigned char *head;
    size_t len;
    unsigned long long size; /* the whole file's */
    unsigned long long pos;
} head_io;

typedef struct names_ctx {
    char **names;
    size_t count, cap;
    bool oom;
} names_ctx;

static int io_open(const char *path, void *io_ctx)
{
    (void)path;
    ((head_io *)io_ctx)->pos = 0;
    return 0;
}

static int io_close(void *io_ctx)
{
    (void)io_ctx;
    return 0;
}

static readstat_off_t io_seek(readstat_off_t offset, readstat_io_flags_t whence, void *io_ctx)
{
    head_io *io = io_ctx;
    long long base = whence == READSTAT_SEEK_SET   ? 0
                     : whence == READSTAT_SEEK_CUR ? (long long)io->pos
                                                   : (long long)io->size;
    long long to = base + (long long)offset;
    if (to < 0 || (unsigned long long)to > io->size)
        return -1;
    io->pos = (unsigned long long)to;
    return (readstat_off_t)to;
}

/* Past the head: an error, never bytes that are not the file's. */
static ssize_t io_read(void *buf, size_t nbyte, void *io_ctx)
{
    head_io *io = io_ctx;
    if (io->pos >= io->size)
        return 0;
    if (io->pos + nbyte > io->len && io->pos + nbyte <= io->size)
        return -1;
    size_t n = io->pos >= io->len ? 0 : io->len - (size_t)io->pos;
    if (n > nbyte)
        n = nbyte;
    memcpy(buf, io->head + io->pos, n);
    io->pos += n;
    return (ssize_t)n;
}

static readstat_error_t io_update(long file_size, readstat_progress_handler progress,
                                  void *user_ctx, void *io_ctx)
{
    (void)file_size, (void)progress, (void)user_ctx, (void)io_ctx;
    return READSTAT_OK;
}

static int on_variable(int index, readstat_variable_t *variable, const char *val_labels, void *ctx)
{
    (void)index, (void)val_labels;
    names_ctx *n = ctx;
    const char *name = readstat_variable_get_name(variable);
    char *copy = strdup(name ? name : "");
    if (!copy || SDC_VEC_RESERVE(n->names, n->cap, n->count + 1) < 0) {
        free(copy);
        n->oom = true;
        return READSTAT_HANDLER_ABORT;
    }
    n->names[n->count++] = copy;
    return READSTAT_HANDLER_OK;
}

typedef readstat_error_t (*parse_fn)(readstat_parser_t *parser, const char *path, void *user_ctx);

static parse_fn parser_for(const char *format)
{
    static const struct {
        const char *format;
        parse_fn parse;
    } parsers[] = {
        {"stata-dta", readstat_parse_dta},     {"spss-sav", readstat_parse_sav},
        {"spss-zsav", readstat_parse_sav},     {"spss-por", readstat_parse_por},
        {"sas7bdat", readstat_parse_sas7bdat}, {"sas-xport", readstat_parse_xport},
    };
    for (size_t i = 0; format && i < sizeof parsers / sizeof parsers[0]; i++)
        if (strcmp(format, parsers[i].format) == 0)
            return parsers[i].parse;
    return NULL;
}

bool sdc_data_vars_readable(const char *format)
{
    return parser_for(format) != NULL;
}

static void free_names(names_ctx *n)
{
    for (size_t i = 0; i < n->count; i++)
        free(n->names[i]);
    free(n->names);
    memset(n, 0, sizeof *n);
}

int sdc_data_vars_read(const char *format, const unsigned char *head, size_t len,
                       unsigned long long size, char ***names, size_t *count, char *why,
                       size_t why_size)
{
    *names = NULL;
    *count = 0;
    parse_fn parse = parser_for(format);
    if (!parse) {
        snprintf(why, why_size, "no reader for %s files", format ? format : "these");
        return 1;
    }
    readstat_parser_t *parser = readstat_parser_init();
    if (!parser)
        return -1;
    head_io io = {.head = head, .len = len, .size = size};
    names_ctx n = {0};
    readstat_set_open_handler(parser, io_open);
    readstat_set_close_handler(parser, io_close);
    readstat_set_seek_handler(parser, io_seek);
    readstat_set_read_handler(parser, io_read);
    readstat_set_update_handler(parser, io_update);
    readstat_set_io_ctx(parser, &io);
    readstat_set_variable_handler(parser, on_variable);
    readstat_set_row_limit(parser, 1);
    readstat_error_t err = parse(parser, "", &n);
    readstat_parser_free(parser);
    if (n.oom) {
        free_names(&n);
        return -1;
    }
    if (err != READSTAT_OK) {
        snprintf(why, why_size, "%s%s", readstat_error_message(err),
                 len < size ? " (only the first part of the file was kept)" : "");
        free_names(&n);
        return 1;
    }
    if (n.count == 0 && !n.names) {
        /* a file of no variables: an empty list, not an unread one */
        n.names = malloc(1 * sizeof *n.names);
        if (!n.names)
            return -1;
    }
    *names = n.names;
    *count = n.count;
    return 0;
}
