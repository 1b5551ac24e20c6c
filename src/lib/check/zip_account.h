/*
 * zip_account.h - a zip's bytes accounted for (private to check/).
 */
#ifndef SDC_CHECK_ZIP_ACCOUNT_H
#define SDC_CHECK_ZIP_ACCOUNT_H

#include "check/walk.h"
#include "check/member.h"

/* The last bytes of a zip as it streams past (enough for its central
 * directory, up to SDC_ZIP_WINDOW). */
#define SDC_ZIP_WINDOW (4u * 1024u * 1024u)
typedef struct sdc_zip_window sdc_zip_window;

/* NULL when out of memory. */
sdc_zip_window *sdc_zip_window_new(void);
void sdc_zip_window_feed(sdc_zip_window *win, const unsigned char *b, size_t len);
void sdc_zip_window_free(sdc_zip_window *win);

/* Where a streaming read found an entry's local header, its name, and
 * the header's extra field read back from the window (APPNOTE 4.3.7). */
typedef struct sdc_zip_entry_pos {
    unsigned long long offset;
    char *name;
    unsigned char *extra; /* a copy, EXTRA_LEN bytes, or NULL */
    size_t extra_len;
    bool header_read; /* the local header was found in the window */
} sdc_zip_entry_pos;

/* Reads the local header at OFFSET back from the bytes WIN holds and
 * keeps a copy of its extra field in POS. Returns 0, or -1 when out of
 * memory; a header not in the window leaves POS->header_read false. */
int sdc_zip_local_header(const sdc_zip_window *win, unsigned long long offset,
                         sdc_zip_entry_pos *pos);

/*
 * Cross-checks the zip SELF, read to its end through WIN, with what the
 * streaming read walked (POS[0..npos), CONSUMED bytes before the central
 * directory): entries the directory lists and the local headers do not
 * hold (hidden from this check, seen by unzip) are appended-data (fail);
 * local entries the directory does not list are malformed (review);
 * bytes between the entries and the directory are appended-data unless
 * zero; the archive's and entries' comments and extra fields of unknown
 * kinds are walked as members of their own. Returns 0, or -1 when out of
 * memory.
 */
int sdc_zip_account(const sdc_walk *w, sdc_file_result *self, const sdc_zip_window *win,
                    const sdc_zip_entry_pos *pos, size_t npos, unsigned long long consumed,
                    int depth, sdc_budget *b, sdc_result_list *list);

#endif
