/*
 * progress.c - the --progress line: files and bytes checked of the total,
 * the rate, and the file being checked, on a terminal.
 *
 *   sdccheck: 12/40 files, 3.1 MiB/10.2 MiB, 4.5 MiB/s, data/sales.csv
 *
 * The library calls the hook from its checking threads (sdc_progress_hook);
 * one mutex guards the counts and the drawing, so two threads never write
 * half a line each. The line is drawn when checking begins, then at most
 * every REDRAW_SECONDS as files start and finish (a run of a thousand
 * small files would otherwise spend its time redrawing), then once more
 * with the final counts, followed by a newline. Each draw is "\r", the
 * line, and clear to the end of the line ("\033[K"; spaces over the last
 * line on a terminal whose TERM is dumb); the line is cut to the terminal's
 * width, so it never wraps and "\r" always returns to its start.
 *
 * A file name is text from the submission: control characters and bytes
 * that are not UTF-8 are drawn as '?', so a name cannot move the cursor or
 * send the terminal escape sequences.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define REDRAW_SECONDS 0.1
#define NAME_MAX_BYTES 1024 /* of the current file's name kept (its end) */
#define LINE_MAX_BYTES 4096

struct cli_progress {
    int fd;
    bool dumb; /* TERM=dumb: no clear-to-end-of-line, spaces instead */
    pthread_mutex_t lock;
    sdc_progress_hook hook;
    size_t files_total, files_done;
    long long bytes_total, bytes_done; /* bytes_total -1: not known */
    char current[NAME_MAX_BYTES];      /* the end of the file last started, as
                                          given; "" for none */
    double start, last_draw;
    size_t last_width; /* columns of the line last drawn */
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The terminal's width in columns (80 when it does not say). */
static size_t terminal_width(int fd)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

/* N bytes as "512 B", "3.1 KiB", "10.2 MiB", "1.5 GiB" into BUF. */
static const char *format_bytes(char *buf, size_t size, double n)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (n < 1024) {
        snprintf(buf, size, "%.0f B", n);
        return buf;
    }
    int u = 0;
    for (n /= 1024; n >= 1024 && u < 3; u++)
        n /= 1024;
    snprintf(buf, size, "%.1f %s", n, units[u]);
    return buf;
}

/* The length of the well-formed UTF-8 sequence at S (N bytes left) that is
 * safe to show (not a C1 control, an overlong form or a surrogate), or 0. */
static size_t utf8_printable(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xc2 && s[0] <= 0xdf   ? 2
                 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
                 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
                                                : 0;
    if (len == 0 || len > n)
        return 0;
    unsigned long cp = s[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    static const unsigned long least[] = {0, 0, 0xa0, 0x800, 0x10000};
    if (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* NAME made safe for a terminal into OUT (SIZE bytes): printable ASCII and
 * printable UTF-8 as they are, every other byte '?'. A name longer than
 * OUT keeps its end, the part a person knows a file by. */
static void printable_name(const char *name, char *out, size_t size)
{
    size_t n = strlen(name), o = 0;
    const unsigned char *s = (const unsigned char *)name + (n >= size ? n - (size - 1) : 0);
    n = strlen((const char *)s);
    for (size_t i = 0; i < n;) {
        size_t len = s[i] >= 0x20 && s[i] < 0x7f ? 1
                     : s[i] >= 0x80              ? utf8_printable(s + i, n - i)
                                                 : 0;
        if (len == 0) {
            out[o++] = '?';
            i++;
        } else {
            memcpy(out + o, s + i, len);
            o += len;
            i += len;
        }
    }
    out[o] = '\0';
}

/* The columns TEXT (printable, from printable_name) takes: a character
 * beyond ASCII is counted as two, as wide as it can be, so that the line
 * never wraps. */
static size_t columns(const char *text)
{
    size_t c = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++)
        if (*s < 0x80)
            c++;
        else if ((*s & 0xc0) != 0x80)
            c += 2;
    return c;
}

/* Appends the printf-style text to LINE (*USED bytes of SIZE), cut at
 * the end of LINE. */
static void append(char *line, size_t *used, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *line, size_t *used, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line + *used, size - *used, fmt, ap);
    va_end(ap);
    if (n > 0)
        *used = (size_t)n < size - *used ? *used + (size_t)n : size - 1;
}

/* Appends as much of the end of NAME (printable) as fits in ROOM columns
 * to LINE (*USED bytes of SIZE), led by "..." when it is cut. */
static void append_name_tail(char *line, size_t *used, size_t size, const char *name, size_t room)
{
    size_t width = columns(name);
    if (width > room) {
        if (room < 4)
            return;
        /* drop characters from the front until the rest and "..." fit */
        while (*name && width + 3 > room) {
            width -= (unsigned char)*name++ < 0x80 ? 1 : 2;
            while ((*name & 0xc0) == 0x80)
                name++;
        }
        append(line, used, size, "...");
    }
    append(line, used, size, "%s", name);
}

/* Writes all of BUF (LEN bytes) to FD; a terminal that stops taking
 * output only loses the line. */
static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

size_t cli_progress_line(const cli_progress_counts *c, size_t width, char *line, size_t size)
{
    char done[32], total[32], rate[32], name[NAME_MAX_BYTES];
    size_t used = 0;
    line[0] = '\0';
    append(line, &used, size, "sdccheck: %zu/%zu files, %s", c->files_done, c->files_total,
           format_bytes(done, sizeof done, (double)c->bytes_done));
    if (c->bytes_total >= 0)
        append(line, &used, size, "/%s", format_bytes(total, sizeof total, (double)c->bytes_total));
    if (c->elapsed >= 0.2)
        append(line, &used, size, ", %s/s",
               format_bytes(rate, sizeof rate, (double)c->bytes_done / c->elapsed));
    if (used > width) { /* a terminal narrower than the counts: cut them */
        used = width;
        line[used] = '\0';
    }
    if (c->current && c->current[0] && used + 6 < width) {
        printable_name(c->current, name, sizeof name);
        append(line, &used, size, ", ");
        append_name_tail(line, &used, size, name, width - used);
    }
    return columns(line);
}

/* Draws the line. Called with P's lock held. */
static void draw(cli_progress *p, double now)
{
    char line[LINE_MAX_BYTES];
    cli_progress_counts c = {p->files_done,  p->files_total, p->bytes_done,
                             p->bytes_total, now - p->start, p->current};
    size_t used = 1;
    line[0] = '\r';
    /* the last column is left empty: a character there may wrap */
    size_t drawn = cli_progress_line(&c, terminal_width(p->fd) - 1, line + 1, sizeof line - 8);
    used += strlen(line + 1);
    if (!p->dumb)
        append(line, &used, sizeof line, "\033[K");
    else
        for (size_t col = drawn; col < p->last_width && used + 1 < sizeof line; col++)
            line[used++] = ' ';
    p->last_width = drawn;
    write_all(p->fd, line, used);
    p->last_draw = now;
}

/* Draws the line unless it was drawn less than REDRAW_SECONDS ago.
 * Called with P's lock held. */
static void maybe_draw(cli_progress *p)
{
    double now = now_seconds();
    if (now - p->last_draw >= REDRAW_SECONDS)
        draw(p, now);
}

static void on_begin(void *ctx, size_t files, long long bytes)
{
    cli_progress *p = ctx;
    pthread_mutex_lock(&p->lock);
    p->files_total += files;
    if (bytes < 0 || p->bytes_total < 0)
        p->bytes_total = -1;
    else
        p->bytes_total += bytes;
    draw(p, now_seconds());
    pthread_mutex_unlock(&p->lock);
}

static void on_file_start(void *ctx, const char *path)
{
    cli_progress *p = ctx;
    pthread_mutex_lock(&p->lock);
    size_t len = strlen(path);
    snprintf(p->current, sizeof p->current, "%s",
             path + (len >= sizeof p->current ? len - (sizeof p->current - 1) : 0));
    maybe_draw(p);
    pthread_mutex_unlock(&p->lock);
}

static void on_file_done(void *ctx, const char *path, long long bytes)
{
    (void)path;
    cli_progress *p = ctx;
    pthread_mutex_lock(&p->lock);
    p->files_done++;
    p->bytes_done += bytes > 0 ? bytes : 0;
    maybe_draw(p);
    pthread_mutex_unlock(&p->lock);
}

cli_progress *cli_progress_new(int fd)
{
    if (!isatty(fd))
        return NULL;
    cli_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    const char *term = getenv("TERM");
    p->fd = fd;
    p->dumb = term && strcmp(term, "dumb") == 0;
    pthread_mutex_init(&p->lock, NULL);
    p->hook = (sdc_progress_hook){on_begin, on_file_start, on_file_done, p};
    p->start = now_seconds();
    p->last_draw = p->start - REDRAW_SECONDS;
    return p;
}

const sdc_progress_hook *cli_progress_hook(cli_progress *p)
{
    return p ? &p->hook : NULL;
}

void cli_progress_finish(cli_progress *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->current[0] = '\0';
    draw(p, now_seconds());
    write_all(p->fd, "\n", 1);
    pthread_mutex_unlock(&p->lock);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
