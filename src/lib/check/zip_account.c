/*
 * zip_account.c - every byte of a zip accounted for.
 *
 * A zip is read in streaming order, local header by local header, so a
 * lying central directory cannot hide what is checked. But the tools a
 * reader will use (unzip, Python's zipfile, Excel) read the central
 * directory instead, so it must say what the local headers say: an entry
 * it lists at an offset where no local header was walked is a file this
 * check never saw (a hidden entry: fail), and a local entry it does not
 * list is one those tools will not show (review). Bytes between the last
 * entry and the directory are explained by nothing (fail, unless zero).
 * What the directory itself carries besides names and offsets (the
 * archive's comment, each entry's comment, extra fields of kinds the zip
 * specification does not define), and the extra fields of each local
 * header (read back from the window as libarchive passes them; a reader
 * that never looks at them would let anything ride there), are walked as
 * members of their own, so a model hidden there is judged like any file.
 *
 * The directory is read from the last SDC_ZIP_WINDOW bytes of the stream,
 * kept as it passes; a larger one is not cross-checked, which is review.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/zip_account.h"
#include "classify/zipdir.h"
#include "core/bytes.h"

struct sdc_zip_window {
    unsigned char *buf; /* 2 * SDC_ZIP_WINDOW: the last bytes at its end */
    size_t len;
    unsigned long long seen; /* bytes fed */
};

sdc_zip_window *sdc_zip_window_new(void)
{
    sdc_zip_window *win = calloc(1, sizeof *win);
    if (win && !(win->buf = malloc(2 * (size_t)SDC_ZIP_WINDOW))) {
        free(win);
        return NULL;
    }
    return win;
}

void sdc_zip_window_free(sdc_zip_window *win)
{
    if (!win)
        return;
    free(win->buf);
    free(win);
}

void sdc_zip_window_feed(sdc_zip_window *win, const unsigned char *b, size_t len)
{
    win->seen += len;
    if (len >= SDC_ZIP_WINDOW) {
        memcpy(win->buf, b + len - SDC_ZIP_WINDOW, SDC_ZIP_WINDOW);
        win->len = SDC_ZIP_WINDOW;
        return;
    }
    if (win->len + len > 2 * (size_t)SDC_ZIP_WINDOW) {
        size_t keep = SDC_ZIP_WINDOW - len;
        memmove(win->buf, win->buf + win->len - keep, keep);
        win->len = keep;
    }
    memcpy(win->buf + win->len, b, len);
    win->len += len;
}

int sdc_zip_local_header(const sdc_zip_window *win, unsigned long long offset,
                         sdc_zip_entry_pos *pos)
{
    pos->extra = NULL;
    pos->extra_len = 0;
    pos->header_read = false;
    unsigned long long at = win->seen - win->len;
    if (offset < at || offset + 30 > win->seen)
        return 0;
    const unsigned char *h = win->buf + (offset - at);
    if (memcmp(h, "PK\3\4", 4) != 0)
        return 0;
    size_t name_len = sdc_le16(h + 26), extra_len = sdc_le16(h + 28);
    if (offset + 30 + name_len + extra_len > win->seen)
        return 0;
    pos->header_read = true;
    if (!extra_len)
        return 0;
    if (!(pos->extra = malloc(extra_len)))
        return -1;
    memcpy(pos->extra, h + 30 + name_len, extra_len);
    pos->extra_len = extra_len;
    return 0;
}

static bool walked_at(const sdc_zip_entry_pos *pos, size_t npos, unsigned long long offset)
{
    for (size_t i = 0; i < npos; i++)
        if (pos[i].offset == offset)
            return true;
    return false;
}

static bool listed_at(const sdc_zipdir *d, unsigned long long offset)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->entries[i].local_offset == offset)
            return true;
    return false;
}

#define HIDDEN_NAMED 5

/* Directory entries that point where no local header was walked. */
static void hidden_entries(sdc_file_result *self, const sdc_zipdir *d, const sdc_zip_entry_pos *pos,
                           size_t npos)
{
    size_t hidden = 0;
    for (size_t i = 0; i < d->count; i++) {
        const sdc_zipdir_entry *e = &d->entries[i];
        if (walked_at(pos, npos, e->local_offset))
            continue;
        if (++hidden <= HIDDEN_NAMED)
            sdc_container_finding(
                self, "appended-data", SDC_FAIL,
                "remove entries the central directory lists but the archive does not hold: "
                "zip readers would extract a file this check did not see",
                "the central directory lists '%.*s' at byte %llu, where the local headers hold "
                "no entry: a hidden entry",
                (int)(e->name_len > 200 ? 200 : e->name_len), (const char *)e->name,
                e->local_offset);
    }
    if (hidden > HIDDEN_NAMED)
        sdc_container_finding(self, "appended-data", SDC_FAIL,
                              "remove entries the central directory lists but the archive does "
                              "not hold",
                              "%zu more hidden entries in the central directory",
                              hidden - HIDDEN_NAMED);
}

/* Local entries the directory does not list. */
static void unlisted_entries(sdc_file_result *self, const sdc_zipdir *d,
                             const sdc_zip_entry_pos *pos, size_t npos)
{
    for (size_t i = 0; i < npos; i++)
        if (!listed_at(d, pos[i].offset))
            sdc_container_finding(self, "malformed", SDC_REVIEW,
                                  "rebuild the archive: zip readers will not show this entry",
                                  "entry '%s' at byte %llu is not in the central directory",
                                  pos[i].name, pos[i].offset);
}

/* Bytes between the last entry the stream walked and the directory. */
static void gap_before_directory(sdc_file_result *self, const sdc_zipdir *d,
                                 const sdc_zip_window *win, unsigned long long consumed)
{
    if (consumed >= d->cd_offset)
        return;
    unsigned long long at = win->seen - win->len, n = d->cd_offset - consumed;
    bool zeros = consumed >= at;
    for (unsigned long long i = consumed; zeros && i < d->cd_offset; i++)
        zeros = win->buf[i - at] == 0;
    if (!zeros)
        sdc_container_finding(self, "appended-data", SDC_FAIL,
                              "remove what lies between the entries and the central directory",
                              "%llu bytes between the last entry and the central directory "
                              "that no entry holds",
                              n);
}

/* The extra field EXTRA of the entry NAME (WHERE: "" for the central
 * directory's, "local " for the local header's): subfields of kinds the
 * specification does not define are walked; a ragged end (a subfield
 * running past the field) is walked whole. */
/* Bytes between the directory and the end record: a zip64 end record
 * and its locator there are explained, zeros are padding, anything else
 * is appended-data. */
static void gap_after_directory(sdc_file_result *self, const sdc_zipdir *d,
                                const sdc_zip_window *win)
{
    unsigned long long at = win->seen - win->len, from = d->cd_offset + d->cd_size;
    unsigned long long loc = d->zip64_at ? d->end_offset - 20 : d->end_offset;
    unsigned long long unexplained = 0;
    for (unsigned long long i = from; i < d->end_offset && i >= at; i++) {
        bool zip64 = d->zip64_at && i >= d->zip64_at && i < d->zip64_at + d->zip64_len;
        if (zip64 || i >= loc)
            continue;
        unexplained += win->buf[i - at] != 0;
    }
    if (unexplained)
        sdc_container_finding(self, "appended-data", SDC_FAIL,
                              "remove what lies between the central directory and its end record",
                              "%llu bytes between the zip's central directory and its end record "
                              "that the directory does not explain",
                              d->end_offset - from);
}

static int walk_extra_fields(const sdc_walk *w, sdc_file_result *self, const unsigned char *extra,
                             size_t extra_len, const char *where, const unsigned char *name,
                             size_t name_len, int depth, sdc_budget *b, sdc_result_list *list)
{
    int rc = 0;
    int shown = (int)(name_len > 200 ? 200 : name_len);
    size_t x = 0;
    while (rc == 0 && x + 4 <= extra_len) {
        unsigned id = sdc_le16(extra + x);
        size_t size = sdc_le16(extra + x + 2);
        if (x + 4 + size > extra_len)
            break;
        if (size && !sdc_zipdir_extra_fits(id, size)) {
            char label[320];
            snprintf(label, sizeof label, "(zip %sextra field 0x%04x of '%.*s')", where, id, shown,
                     (const char *)name);
            rc = sdc_container_walk_bytes(w, self, label, extra + x + 4, size, depth, b, list);
        }
        x += 4 + size;
    }
    if (rc == 0 && x < extra_len) {
        char label[320];
        snprintf(label, sizeof label, "(zip %sextra field of '%.*s', ragged end)", where, shown,
                 (const char *)name);
        rc = sdc_container_walk_bytes(w, self, label, extra + x, extra_len - x, depth, b, list);
    }
    return rc;
}

/* What the directory carries besides names and offsets. */
static int walk_directory_payloads(const sdc_walk *w, sdc_file_result *self, const sdc_zipdir *d,
                                   int depth, sdc_budget *b, sdc_result_list *list)
{
    int rc = 0;
    if (d->comment_len)
        rc = sdc_container_walk_bytes(w, self, "(zip comment)", d->comment, d->comment_len, depth,
                                      b, list);
    for (size_t i = 0; rc == 0 && i < d->count; i++) {
        const sdc_zipdir_entry *e = &d->entries[i];
        if (e->comment_len) {
            char name[300];
            snprintf(name, sizeof name, "(zip comment of '%.*s')",
                     (int)(e->name_len > 200 ? 200 : e->name_len), (const char *)e->name);
            rc =
                sdc_container_walk_bytes(w, self, name, e->comment, e->comment_len, depth, b, list);
        }
        if (rc == 0)
            rc = walk_extra_fields(w, self, e->extra, e->extra_len, "", e->name, e->name_len, depth,
                                   b, list);
    }
    return rc;
}

int sdc_zip_account(const sdc_walk *w, sdc_file_result *self, const sdc_zip_window *win,
                    const sdc_zip_entry_pos *pos, size_t npos, unsigned long long consumed,
                    int depth, sdc_budget *b, sdc_result_list *list)
{
    sdc_zipdir d;
    sdc_zipdir_read(win->buf, win->len, win->seen - win->len, &d);
    int rc = 0;
    switch (d.status) {
    case SDC_ZIPDIR_OK:
        if (d.disk || d.cd_disk || d.entries_here != d.entries_total)
            sdc_container_finding(self, "malformed", SDC_REVIEW,
                                  "submit the whole archive as one file, not its volumes",
                                  "the zip is one volume of a split archive (its end record says "
                                  "disk %u, directory on disk %u, %u of %u entries here)",
                                  d.disk, d.cd_disk, d.entries_here, d.entries_total);
        hidden_entries(self, &d, pos, npos);
        unlisted_entries(self, &d, pos, npos);
        gap_before_directory(self, &d, win, consumed);
        gap_after_directory(self, &d, win);
        rc = walk_directory_payloads(w, self, &d, depth, b, list);
        for (size_t i = 0; rc == 0 && i < npos; i++) {
            if (!pos[i].header_read) {
                sdc_container_finding(self, "malformed", SDC_REVIEW,
                                      "check the archive: it may be damaged",
                                      "the local header of '%s' at byte %llu could not be read "
                                      "back, so its extra field was not checked",
                                      pos[i].name, pos[i].offset);
                continue;
            }
            rc = walk_extra_fields(w, self, pos[i].extra, pos[i].extra_len, "local ",
                                   (const unsigned char *)pos[i].name, strlen(pos[i].name), depth,
                                   b, list);
        }
        break;
    case SDC_ZIPDIR_TOO_LARGE:
        sdc_container_finding(self, "malformed", SDC_REVIEW, "split the archive into smaller ones",
                              "the zip's central directory is larger than %u MiB: it was not "
                              "compared with the entries",
                              SDC_ZIP_WINDOW >> 20);
        break;
    case SDC_ZIPDIR_NO_MEMORY: rc = -1; break;
    case SDC_ZIPDIR_NO_END:
    case SDC_ZIPDIR_MALFORMED:
        sdc_container_finding(self, "malformed", SDC_REVIEW,
                              "check the archive: it may be truncated or corrupt",
                              "the zip's central directory could not be read, so it was not "
                              "compared with the entries");
        break;
    }
    sdc_zipdir_free(&d);
    return rc;
}
