/*
 * progress.h - sdccheck --progress: one line on a terminal, redrawn in
 * place while the files are checked (sdccheck(1), --progress).
 */
#ifndef SDC_CLI_PROGRESS_H
#define SDC_CLI_PROGRESS_H

#include "sdccheck/check.h"

typedef struct cli_progress cli_progress;

/*
 * A progress line on file descriptor FD, or NULL when there is to be none:
 * FD is not a terminal (a pipe, a file: nothing is written, so a log never
 * fills with redrawn lines) or memory ran out. Its hook (cli_progress_hook)
 * is safe to call from several threads at once.
 */
cli_progress *cli_progress_new(int fd);

/* The hook that feeds P, for sdc_checker_set_progress (NULL when P is). */
const sdc_progress_hook *cli_progress_hook(cli_progress *p);

/* What the line shows. */
typedef struct cli_progress_counts {
    size_t files_done, files_total;
    long long bytes_done, bytes_total; /* bytes_total -1: not known */
    double elapsed;                    /* seconds since checking began */
    const char *current;               /* the file being checked, as given, or NULL */
} cli_progress_counts;

/*
 * The progress line for C, cut to WIDTH columns (the counts first, then
 * as much of the end of the current file's name as fits, led by "..."),
 * into LINE (SIZE bytes, 64 at least), without "\r" or clearing: its
 * width in columns (a character beyond ASCII counted as two):
 *
 *   sdccheck: DONE/TOTAL files, BYTES[/TOTAL_BYTES][, RATE/s][, NAME]
 *
 * Bytes below 1024 are "N B", larger amounts "X.Y KiB" (MiB, GiB, TiB:
 * powers of 1024, one decimal); the rate (bytes done over ELAPSED) is
 * shown from 0.2 s on. In the name, control characters and bytes that
 * are not UTF-8 (or are C1 controls, overlong forms or surrogates) become
 * '?', so a name cannot send the terminal escape sequences.
 */
size_t cli_progress_line(const cli_progress_counts *c, size_t width, char *line, size_t size);

/* Draws the final counts, ends the line and frees P (NULL: nothing). Call
 * once checking is over, before anything else is written to the
 * terminal. */
void cli_progress_finish(cli_progress *p);

#endif
