/*
 * report_sacro.c - the folder SACRO-Viewer opens: ACRO 0.4.x's layout
 * (sdccheck-report(5), "SACRO-VIEWER FOLDER"; doc/design.md, "The
 * SACRO-Viewer folder").
 *
 * SACRO-Viewer reads an ACRO output folder: results.json (a record per
 * output), the outputs beside it under bare names, checksums/NAME.txt for
 * each, and config.json. What the viewer dereferences is the contract:
 * every record carries the keys its click handler reads, and a failing
 * cell [row, col] is highlighted as the row-th line after exactly one
 * header line and the col-th field after exactly one label column. So a
 * table in that shape is copied byte for byte, and any other table is
 * written from the table as it was read, flattened to one header line and
 * one label column; its cells are counted on that copy. A copy is hashed as
 * it is made and must be the file that was checked; a file whose bytes are
 * not at hand (a part of another file, an unreadable or changed file) gets a
 * text note instead, so nothing unchecked lands in the folder.
 *
 * The writer only formats: each record's status is the verdict the checker
 * derived. Text the viewer puts into the page through innerHTML (comments,
 * exception) is written HTML-escaped; the summary holds only check names and
 * counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sdccheck/sdccheck.h"
#include "report/json_writer.h"
#include "report/report_flat.h"
#include "report/report_util.h"
#include "table/table_write.h"

/* The results.json schema the viewer is built for, as ACRO 0.4.12 writes
 * it. The viewer compares versions per component as strings, so a schema
 * version is never "0.10". */
#define SACRO_SCHEMA_VERSION "0.4.12"

/* Longest bare name in bytes, so that checksums/NAME.txt fits NAME_MAX. */
#define SACRO_NAME_MAX 200

/* Names the folder holds besides the outputs (outputs.json: the viewer
 * would read it instead of results.json). */
static const char *const reserved_names[] = {"results.json", "config.json", "checksums",
                                             "outputs.json", NULL};

/* ACRO's check names, in the order ACRO writes them, and the sdccheck rule
 * each one is. Every other rule keeps its own id. */
static const struct {
    const char *acro, *rule;
} acro_checks[] = {
    {"negative", "negative-values"}, {"missing", "missing-values"},
    {"threshold", "threshold"},      {"p-ratio", "p-ratio"},
    {"nk-rule", "nk-rule"},          {"all-values-are-same", "all-values-are-same"},
};
#define ACRO_CHECKS (sizeof acro_checks / sizeof acro_checks[0])

static const char *check_name(const char *rule)
{
    for (size_t i = 0; i < ACRO_CHECKS; i++)
        if (strcmp(acro_checks[i].rule, rule) == 0)
            return acro_checks[i].acro;
    return rule;
}

/* How a checked file reaches the folder. */
typedef enum sacro_copy {
    COPY_BYTES, /* the file itself, byte for byte */
    COPY_TABLE, /* the table as read: one header line, one label column */
    COPY_NOTE   /* a text note: the bytes are not at hand */
} sacro_copy;

typedef struct sacro_file {
    const sdc_file_result *result;
    char *name; /* bare name in the folder, unique */
    sacro_copy copy;
    const char *why;      /* COPY_NOTE: why there is no copy */
    bool member;          /* inside the file of an earlier result (path "outer!inner") */
    bool table;           /* an ACRO table record (with an sdc object) */
    bool located;         /* cells located on the copy (the table was kept) */
    sdc_report_flat flat; /* located: the table flattened as the copy is */
} sacro_file;

/* A cell a check flagged, on the copy. */
typedef struct flagged_cell {
    size_t row, col, check;
} flagged_cell;

/* The checks of one table record and the cells they flagged. */
typedef struct sacro_checks {
    const char **names; /* ACRO's six, then the file's other rules, sorted */
    size_t count;
    size_t *unlocated; /* per check: findings with no cell on the copy */
    flagged_cell *cells;
    size_t ncells;
} sacro_checks;

/* ---- names -------------------------------------------------------------- */

static bool name_taken(const sacro_file *files, size_t n, const char *name)
{
    for (const char *const *r = reserved_names; *r; r++)
        if (strcasecmp(*r, name) == 0)
            return true;
    for (size_t i = 0; i < n; i++)
        if (files[i].name && strcasecmp(files[i].name, name) == 0)
            return true;
    return false;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcasecmp(s + n - m, tail) == 0;
}

/* PATH's last part (after the last '/' and the last '!' of a member), as a
 * name that is safe on disk and in the viewer: valid UTF-8 with no control
 * character, none of / \ " ' < > ` : * ? |, no leading dot, at most SACRO_NAME_MAX
 * bytes (its extension kept). Malloc'd, or NULL. */
static char *clean_name(const char *path)
{
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '!')
            base = p + 1;
    if (!*base)
        base = "file";
    size_t n = strlen(base);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t len = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t used = sdc_report_utf8_next((const unsigned char *)base + i, n - i, &cp);
        bool bad = (cp == 0xFFFD && used == 1) || cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
                   strchr("/\\\"'<>`:*?|", (int)cp) != NULL || (len == 0 && cp == '.');
        if (bad || cp == 0)
            out[len++] = '_';
        else
            for (size_t k = 0; k < used; k++)
                out[len++] = base[i + k];
        i += used;
    }
    out[len] = '\0';
    if (len > SACRO_NAME_MAX) {
        /* keep a short extension; cut the rest at a character boundary */
        const char *dot = strrchr(out, '.');
        size_t ext = dot && strlen(dot) <= 16 ? strlen(dot) : 0;
        size_t cut = SACRO_NAME_MAX - ext;
        while (cut > 0 && ((unsigned char)out[cut] & 0xC0) == 0x80)
            cut--;
        memmove(out + cut, out + len - ext, ext + 1);
    }
    return out;
}

/* A bare name for F's copy, unique among FILES[0..n): its own name, with
 * SUFFIX added unless it ends so already, and ".txt" after a ".json" (a
 * second ACRO-shaped JSON file would stop the viewer loading the folder);
 * "-2", "-3"... before the extension when taken. Malloc'd, or NULL. */
static char *folder_name(const sacro_file *files, size_t n, const char *path, const char *suffix)
{
    char *clean = clean_name(path);
    if (!clean)
        return NULL;
    const char *add = suffix && !ends_with(clean, suffix) ? suffix : "";
    if (ends_with(clean, ".json") && !*add)
        add = ".txt";
    char *name = NULL;
    if (asprintf(&name, "%s%s", clean, add) < 0)
        name = NULL;
    const char *dot = name ? strrchr(name, '.') : NULL;
    size_t stem = dot && dot != name ? (size_t)(dot - name) : name ? strlen(name) : 0;
    for (unsigned k = 2; name && name_taken(files, n, name); k++) {
        char *next = NULL;
        if (asprintf(&next, "%.*s-%u%s%s", (int)stem, clean, k, clean + stem, add) < 0)
            next = NULL;
        free(name);
        name = next;
    }
    free(clean);
    return name;
}

/* ---- files ---------------------------------------------------------------- */

static FILE *create_file(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f)
        close(fd);
    return f;
}

/* Closes OUT; -1 when anything written to it failed. */
static int close_file(FILE *out)
{
    int rc = sdc_report_finish(out);
    if (fclose(out) != 0)
        rc = -1;
    return rc;
}

static void to_hex(const unsigned char *digest, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
}

/*
 * Copies F's file into DIR as NAME, hashing the bytes as they pass.
 * Returns 0; 1 when there is no copy to make (not a regular file that can
 * be read, or its SHA-256 is no longer the one checked: NAME is removed);
 * SDC_EIO when the folder cannot be written.
 */
static int copy_bytes(int dirfd, const sdc_file_result *f, const char *name)
{
    if (!f->sha256[0])
        return 1;
    int in = open(f->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (in < 0)
        return 1;
    if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(in);
        return 1;
    }
    int out = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc = out < 0 || !md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ? SDC_EIO : 0;
    char *chunk = rc == 0 ? malloc(SDC_READ_CHUNK) : NULL;
    if (rc == 0 && !chunk)
        rc = SDC_ENOMEM;
    while (rc == 0) {
        ssize_t got = read(in, chunk, SDC_READ_CHUNK);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = 1;
            break;
        }
        if (got == 0)
            break;
        if (EVP_DigestUpdate(md, chunk, (size_t)got) != 1)
            rc = SDC_ENOMEM;
        for (ssize_t done = 0; rc == 0 && done < got;) {
            ssize_t put = write(out, chunk + done, (size_t)(got - done));
            if (put < 0 && errno == EINTR)
                continue;
            if (put <= 0)
                rc = SDC_EIO;
            else
                done += put;
        }
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;
    char hex[65];
    if (rc == 0 && (EVP_DigestFinal_ex(md, digest, &dlen) != 1 || dlen != 32))
        rc = SDC_ENOMEM;
    if (rc == 0) {
        to_hex(digest, hex);
        if (strcmp(hex, f->sha256) != 0)
            rc = 1;
    }
    free(chunk);
    EVP_MD_CTX_free(md);
    close(in);
    if (out >= 0 && close(out) != 0 && rc == 0)
        rc = SDC_EIO;
    if (out >= 0 && rc != 0)
        unlinkat(dirfd, name, 0);
    return rc;
}

/* True when F's file, copied byte for byte, has the shape the viewer
 * highlights on: a comma-separated .csv whose first line is its only header,
 * whose first column is its only label column, and whose body rows are the
 * lines that follow, one each, all kept. */
static bool shape_fits(const sdc_file_result *f)
{
    const sdc_table *t = f->table;
    if (!t || f->delimiter != ',' || !ends_with(f->path, ".csv") || t->header_rows != 1 ||
        t->header_line != 1 || t->truncated || t->rows_seen != t->nrows || t->ncols < 2 ||
        !sdc_report_is_label(&t->columns[0]))
        return false;
    for (size_t c = 1; c < t->ncols; c++)
        if (sdc_report_is_label(&t->columns[c]))
            return false;
    for (size_t r = 0; r < t->nrows; r++)
        if (t->row_line[r] != (long)r + 2)
            return false;
    return true;
}

/* Same header, same cells in the same places. */
static bool same_cells(const sdc_table *a, const sdc_table *b)
{
    if (a->ncols != b->ncols || a->nrows != b->nrows || a->header_rows != b->header_rows)
        return false;
    for (size_t c = 0; c < a->ncols; c++)
        if (strcmp(a->columns[c].name, b->columns[c].name) != 0)
            return false;
    for (size_t i = 0; i < a->nrows * a->ncols; i++)
        if (strcmp(a->cells[i].text, b->cells[i].text) != 0)
            return false;
    return true;
}

/* Whether the copy NAME in DIR reads back, with the CSV reader and no
 * layout, as T: the layout did not rebuild T (columns split, rows turned,
 * header lines folded), so a cell's place in T is its place in the file.
 * Returns 1 (it does), 0 (it does not, or it cannot be read), or
 * SDC_ENOMEM. */
static int reads_back_as(int dirfd, const char *name, const sdc_table *t, const sdc_policy *p)
{
    sdc_findings findings = {0};
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || !p) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    sdc_csv_reader *reader = sdc_csv_reader_new(p, &findings);
    char *chunk = malloc(SDC_READ_CHUNK);
    int rc = reader && chunk ? 1 : SDC_ENOMEM;
    for (ssize_t got; rc == 1 && (got = read(fd, chunk, SDC_READ_CHUNK)) != 0;) {
        if (got < 0 && errno == EINTR)
            continue;
        rc = got < 0 ? 0 : sdc_csv_reader_feed(reader, chunk, (size_t)got) == 0 ? 1 : SDC_ENOMEM;
    }
    sdc_table *back = rc == 1 ? sdc_csv_reader_finish(reader) : NULL;
    if (findings.incomplete) /* the reader lost something: memory */
        rc = SDC_ENOMEM;
    else if (rc == 1)
        rc = back && same_cells(back, t);
    sdc_table_free(back);
    sdc_csv_reader_free(reader);
    sdc_findings_free(&findings);
    free(chunk);
    close(fd);
    return rc;
}

/* Each column's place in the data block of the copy. */
static int locate_columns(sacro_file *sf)
{
    int rc = sdc_report_flat_init(&sf->flat, sf->result->table);
    sf->located = rc == 0;
    return rc;
}

/* Text built in memory: text_start, print to .out, then text_end. */
typedef struct text_buf {
    char *text;
    size_t len;
    FILE *out;
} text_buf;

/* Returns the stream to print to, or NULL when out of memory. */
static FILE *text_start(text_buf *b)
{
    b->text = NULL;
    b->len = 0;
    b->out = open_memstream(&b->text, &b->len);
    return b->out;
}

/* The text printed (malloc'd: the caller frees it), or NULL when out of
 * memory. */
static char *text_end(text_buf *b)
{
    if (fclose(b->out) != 0 || !b->text) {
        free(b->text);
        return NULL;
    }
    return b->text;
}

/* Writes the label columns of T (the header when R is SIZE_MAX, else body
 * row R) as one field. */
static int write_labels(FILE *out, const sdc_table *t, size_t r)
{
    char *joined = sdc_report_row_label(t, r);
    int rc = joined ? sdc_csv_write_field(out, joined, ',') : SDC_ENOMEM;
    free(joined);
    return rc;
}

/* Writes one line of the flattened table: the header when R is SIZE_MAX,
 * else body row R. */
static int write_line(FILE *out, const sdc_table *t, size_t r)
{
    int rc = write_labels(out, t, r);
    for (size_t c = 0; rc == 0 && c < t->ncols; c++) {
        if (sdc_report_is_label(&t->columns[c]))
            continue;
        fputc(',', out);
        rc = sdc_csv_write_field(
            out, r == SIZE_MAX ? t->columns[c].name : sdc_table_cell(t, r, c)->text, ',');
    }
    fputc('\n', out);
    return rc;
}

/* Writes F's table as read into DIR as NAME: one header line (a column's
 * header levels are already joined with " / "), then one line per body
 * row; the label columns joined into the first field, the other columns
 * after it in their order. */
static int write_table_copy(int dirfd, const sdc_file_result *f, const char *name)
{
    const sdc_table *t = f->table;
    FILE *out = create_file(dirfd, name);
    if (!out)
        return SDC_EIO;
    int rc = write_line(out, t, SIZE_MAX);
    for (size_t r = 0; rc == 0 && r < t->nrows; r++)
        rc = write_line(out, t, r);
    if (close_file(out) != 0 && rc == 0)
        rc = SDC_EIO;
    return rc < 0 ? rc : 0;
}

/* A finding as a line of text: "rule (verdict), line 8, row ‘X’, column
 * ‘Y’: message Advice: advice". Writes it to OUT. */
static void finding_text(const sdc_finding *f, FILE *out)
{
    fprintf(out, "%s (%s)", f->rule, sdc_verdict_name(f->verdict));
    if (f->line > 0)
        fprintf(out, ", line %ld", f->line);
    if (f->row)
        fprintf(out, ", row ‘%s’", f->row);
    if (f->column)
        fprintf(out, ", column ‘%s’", f->column);
    fprintf(out, ": %s", f->message ? f->message : "");
    if (f->advice)
        fprintf(out, " Advice: %s", f->advice);
}

/* The note that stands in for a file whose bytes are not in the folder. */
static int write_note(int dirfd, const sacro_file *sf)
{
    const sdc_file_result *f = sf->result;
    FILE *out = create_file(dirfd, sf->name);
    if (!out)
        return SDC_EIO;
    fprintf(out, "sdccheck checked %s\n", f->path);
    fprintf(out, "Its bytes are not in this folder: %s.\n", sf->why);
    fprintf(out, "class: %s; format: %s; size: %lld bytes; SHA-256: %s\n",
            sdc_file_class_name(f->file_class), f->format ? f->format : "unknown", f->size,
            f->sha256[0] ? f->sha256 : "none (not read)");
    fprintf(out, "verdict: %s\n", sdc_verdict_name(f->verdict));
    for (size_t i = 0; i < f->findings.count; i++) {
        fputs("- ", out);
        finding_text(&f->findings.items[i], out);
        fputc('\n', out);
    }
    return close_file(out) != 0 ? SDC_EIO : 0;
}

/* Chooses how F reaches the folder and puts it there as FILES[n] (MEMBER:
 * inside the file of an earlier result). */
static int place_file(int dirfd, sacro_file *files, size_t n, const sdc_file_result *f, bool member,
                      const sdc_policy *policy)
{
    sacro_file *sf = &files[n];
    memset(sf, 0, sizeof *sf);
    sf->result = f;
    sf->member = member;
    bool table = f->file_class == SDC_CLASS_TABLE;
    int rc = 1;
    if (!f->table || shape_fits(f)) {
        sf->name = folder_name(files, n, f->path, NULL);
        if (!sf->name)
            return SDC_ENOMEM;
        rc = copy_bytes(dirfd, f, sf->name);
        int same = rc == 0 && f->table ? reads_back_as(dirfd, sf->name, f->table, policy) : 1;
        if (same < 0)
            return same;
        if (same == 0) {
            unlinkat(dirfd, sf->name, 0);
            rc = 1;
        }
        if (rc < 0)
            return rc;
        if (rc == 0) {
            sf->copy = COPY_BYTES;
            sf->table = table;
            return f->table ? locate_columns(sf) : 0;
        }
        free(sf->name);
        sf->name = NULL;
    }
    if (f->table) {
        /* the table as it was read is what was checked */
        sf->copy = COPY_TABLE;
        sf->table = true;
        sf->name = folder_name(files, n, f->path, ".csv");
        if (!sf->name)
            return SDC_ENOMEM;
        rc = write_table_copy(dirfd, f, sf->name);
        return rc < 0 ? rc : locate_columns(sf);
    }
    sf->copy = COPY_NOTE;
    if (sf->member && f->verdict == SDC_PASS)
        return 0; /* a part that passes: a line in its container's comments */
    sf->why = sf->member    ? "it is inside another file checked, which is in the folder"
              : f->size < 0 ? "it could not be read"
                            : "it could not be read again as the file checked (it is "
                              "not a regular file, or it changed after it was checked)";
    sf->name = folder_name(files, n, f->path, ".txt");
    if (!sf->name)
        return SDC_ENOMEM;
    return write_note(dirfd, sf);
}

/* ---- checks and cells ----------------------------------------------------- */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int compare_cells(const void *a, const void *b)
{
    const flagged_cell *x = a, *y = b;
    if (x->check != y->check)
        return x->check < y->check ? -1 : 1;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

static size_t check_index(const sacro_checks *k, const char *name)
{
    for (size_t i = 0; i < k->count; i++)
        if (strcmp(k->names[i], name) == 0)
            return i;
    return SIZE_MAX;
}

/* The cell of the copy a finding points at, or false. */
static bool locate(const sacro_file *sf, const sdc_finding *f, size_t *row, size_t *col)
{
    return sf->located && sdc_report_flat_locate(&sf->flat, f, row, col);
}

/* The checks of SF's non-pass findings and the cells they flag (each once). */
static int collect_checks(const sacro_file *sf, sacro_checks *k)
{
    const sdc_findings *list = &sf->result->findings;
    memset(k, 0, sizeof *k);
    k->names = malloc((ACRO_CHECKS + list->count + 1) * sizeof *k->names);
    k->unlocated = calloc(ACRO_CHECKS + list->count + 1, sizeof *k->unlocated);
    k->cells = malloc((list->count + 1) * sizeof *k->cells);
    if (!k->names || !k->unlocated || !k->cells)
        return SDC_ENOMEM;
    for (size_t i = 0; i < ACRO_CHECKS; i++)
        k->names[k->count++] = acro_checks[i].acro;
    size_t first_other = k->count;
    for (size_t i = 0; i < list->count; i++) {
        const sdc_finding *f = &list->items[i];
        const char *name = check_name(f->rule);
        if (f->verdict != SDC_PASS && check_index(k, name) == SIZE_MAX)
            k->names[k->count++] = name;
    }
    qsort(k->names + first_other, k->count - first_other, sizeof *k->names, compare_names);
    for (size_t i = 0; i < list->count; i++) {
        const sdc_finding *f = &list->items[i];
        if (f->verdict == SDC_PASS)
            continue;
        size_t check = check_index(k, check_name(f->rule)), row, col;
        if (locate(sf, f, &row, &col))
            k->cells[k->ncells++] = (flagged_cell){row, col, check};
        else
            k->unlocated[check]++;
    }
    qsort(k->cells, k->ncells, sizeof *k->cells, compare_cells);
    size_t kept = 0;
    for (size_t i = 0; i < k->ncells; i++)
        if (kept == 0 || compare_cells(&k->cells[kept - 1], &k->cells[i]) != 0)
            k->cells[kept++] = k->cells[i];
    k->ncells = kept;
    return 0;
}

static void free_checks(sacro_checks *k)
{
    free(k->names);
    free(k->unlocated);
    free(k->cells);
}

/* Cells check I flagged, and its findings with no cell. */
static size_t check_total(const sacro_checks *k, size_t i)
{
    size_t n = k->unlocated[i];
    for (size_t c = 0; c < k->ncells; c++)
        n += k->cells[c].check == i;
    return n;
}

/* ---- results.json --------------------------------------------------------- */

/* Writes TEXT as a JSON string made safe for innerHTML (the viewer puts
 * comments and the exception into the page that way). */
static int html_string(sdc_json_writer *w, const char *key, const char *text)
{
    text_buf b;
    if (!text_start(&b))
        return SDC_ENOMEM;
    sdc_report_xml_text(text, b.out);
    char *escaped = text_end(&b);
    if (!escaped)
        return SDC_ENOMEM;
    sdc_json_string(w, key, escaped);
    free(escaped);
    return 0;
}

static void write_sdc(sdc_json_writer *w, const sacro_file *sf, const sacro_checks *k)
{
    sdc_json_open(w, "sdc", '{');
    sdc_json_open(w, "summary", '{');
    sdc_json_bool(w, "suppressed", sf->result->suppressed > 0);
    for (size_t i = 0; i < k->count; i++)
        sdc_json_unsigned(w, k->names[i], check_total(k, i));
    sdc_json_close(w, '}');
    sdc_json_open(w, "cells", '{');
    for (size_t i = 0; i < k->count; i++) {
        sdc_json_open(w, k->names[i], '[');
        for (size_t c = 0; c < k->ncells; c++)
            if (k->cells[c].check == i) {
                sdc_json_member(w, NULL);
                fprintf(w->out, "[%zu, %zu]", k->cells[c].row, k->cells[c].col);
            }
        sdc_json_close(w, ']');
    }
    sdc_json_close(w, '}');
    sdc_json_close(w, '}');
}

/* True when an earlier flagged cell of column COL (cells sorted by check)
 * has the same key; KEYS holds each cell's key. */
static bool key_seen(const flagged_cell *cells, char **keys, size_t upto, size_t col,
                     const char *key)
{
    for (size_t i = 0; i < upto; i++)
        if (cells[i].col == col && keys[i] && strcmp(keys[i], key) == 0)
            return true;
    return false;
}

/* ACRO's outcome, {column: {row: "threshold; "}}, for the flagged cells
 * only (every other cell is "ok"): row keys are the flattened labels. */
static int write_outcome(sdc_json_writer *w, const sacro_file *sf, const sacro_checks *k)
{
    if (!sf->located || k->ncells == 0) {
        sdc_json_open(w, "outcome", '{');
        sdc_json_close(w, '}');
        return 0;
    }
    const sdc_table *t = sf->result->table;
    size_t ncols = sf->flat.ndata;
    const size_t *column_of = sf->flat.column_of;
    /* the cells by column then row */
    flagged_cell *cells = malloc(k->ncells * sizeof *cells);
    char **keys = calloc(k->ncells, sizeof *keys);
    int rc = cells && keys ? 0 : SDC_ENOMEM;
    sdc_json_open(w, "outcome", '{');
    for (size_t col = 0; rc == 0 && col < ncols; col++) {
        size_t n = 0;
        for (size_t i = 0; i < k->ncells; i++)
            if (k->cells[i].col == col)
                cells[n++] = k->cells[i];
        if (n == 0)
            continue;
        sdc_json_open(w, t->columns[column_of[col]].name, '{');
        for (size_t i = 0; rc == 0 && i < n; i++) {
            bool first_of_row = true;
            for (size_t j = 0; j < i; j++)
                first_of_row = first_of_row && cells[j].row != cells[i].row;
            if (!first_of_row)
                continue;
            text_buf b;
            char *label = sdc_report_row_label(t, cells[i].row), *text = NULL;
            if (label && !*label) { /* no label column: the row's place */
                free(label);
                if (asprintf(&label, "row %zu", cells[i].row) < 0)
                    label = NULL;
            }
            if (label && text_start(&b)) {
                for (size_t j = i; j < n; j++)
                    if (cells[j].row == cells[i].row)
                        fprintf(b.out, "%s; ", k->names[cells[j].check]);
                text = text_end(&b);
            }
            char *again = NULL;
            if (!label || !text)
                rc = SDC_ENOMEM;
            else if (!key_seen(cells, keys, i, col, label))
                sdc_json_string(w, label, text);
            else if (asprintf(&again, "%s (row %zu)", label, cells[i].row) < 0)
                rc = SDC_ENOMEM;
            else
                sdc_json_string(w, again, text);
            free(again);
            keys[i] = label;
            free(text);
        }
        sdc_json_close(w, '}');
        for (size_t i = 0; i < n; i++) {
            free(keys[i]);
            keys[i] = NULL;
        }
    }
    sdc_json_close(w, '}');
    for (size_t i = 0; keys && i < k->ncells; i++)
        free(keys[i]);
    free(keys);
    free(cells);
    return rc;
}

/* "fail; threshold: 2 cells may need suppressing; " (ACRO 0.4.x): the
 * viewer's badge is the part before the first "; ". */
static int write_summary(sdc_json_writer *w, const sacro_file *sf, const sacro_checks *k)
{
    text_buf b;
    FILE *m = text_start(&b);
    if (!m)
        return SDC_ENOMEM;
    fprintf(m, "%s", sdc_verdict_name(sf->result->verdict));
    if (k) {
        bool any = false;
        for (size_t i = 0; i < k->count; i++) {
            size_t n = check_total(k, i);
            if (n == 0)
                continue;
            if (!any)
                fputs("; ", m);
            any = true;
            if (k->unlocated[i] == 0)
                fprintf(m, "%s: %zu cells may need suppressing; ", k->names[i], n);
            else
                fprintf(m, "%s: %zu finding%s; ", k->names[i], n, n == 1 ? "" : "s");
        }
    } else {
        bool any = false;
        for (size_t i = 0; i < sf->result->findings.count; i++) {
            const sdc_finding *f = &sf->result->findings.items[i];
            if (f->verdict == SDC_PASS)
                continue;
            fprintf(m, "%s%s: %s; ", any ? "" : "; ", f->rule, sdc_verdict_name(f->verdict));
            any = true;
        }
    }
    char *summary = text_end(&b);
    if (!summary)
        return SDC_ENOMEM;
    sdc_json_string(w, "summary", summary);
    free(summary);
    return 0;
}

#define EXCEPTION_PREFIX "the researcher says: "

/* The record's comments: how its copy was made, its findings, then a line
 * per member (MEMBERS[0..nmembers)). */
static int write_comments(sdc_json_writer *w, const sacro_file *sf, const sacro_file *members,
                          size_t nmembers)
{
    const sdc_file_result *f = sf->result;
    int rc = 0;
    sdc_json_open(w, "comments", '[');
    if (sf->copy == COPY_TABLE) {
        char *text = NULL;
        if (asprintf(&text,
                     "sdccheck wrote this copy of %s (SHA-256 %s) with one header line and one "
                     "label column (the labels joined with ‘ / ’), so that the viewer highlights "
                     "the right cells.",
                     f->path, f->sha256[0] ? f->sha256 : "unknown") < 0)
            return SDC_ENOMEM;
        rc = html_string(w, NULL, text);
        free(text);
    } else if (sf->table && !sf->located) {
        rc = html_string(w, NULL,
                         "sdccheck did not keep this table (too large, or not a CSV or TSV "
                         "file), so its cells are counted but not highlighted.");
    }
    for (size_t i = 0; rc == 0 && i < f->findings.count; i++) {
        const sdc_finding *x = &f->findings.items[i];
        if (strcmp(x->rule, "exception") == 0)
            continue;
        text_buf b;
        if (!text_start(&b))
            return SDC_ENOMEM;
        finding_text(x, b.out);
        char *text = text_end(&b);
        rc = text ? html_string(w, NULL, text) : SDC_ENOMEM;
        free(text);
    }
    for (size_t i = 0; rc == 0 && i < nmembers; i++) {
        const sdc_file_result *m = members[i].result;
        size_t open = 0;
        for (size_t j = 0; j < m->findings.count; j++)
            open += m->findings.items[j].verdict != SDC_PASS;
        char *text = NULL;
        int got = members[i].name
                      ? asprintf(&text, "%s: %s, %zu finding%s not a pass (see %s)", m->path,
                                 sdc_verdict_name(m->verdict), open, open == 1 ? "" : "s",
                                 members[i].name)
                      : asprintf(&text, "%s: %s", m->path, sdc_verdict_name(m->verdict));
        if (got < 0)
            return SDC_ENOMEM;
        rc = html_string(w, NULL, text);
        free(text);
    }
    sdc_json_close(w, ']');
    return rc;
}

/* The researcher's exceptions from the table's declaration, joined. */
static int write_exception(sdc_json_writer *w, const sdc_file_result *f)
{
    text_buf b;
    FILE *m = text_start(&b);
    if (!m)
        return SDC_ENOMEM;
    const char *sep = "";
    for (size_t i = 0; i < f->findings.count; i++) {
        const sdc_finding *x = &f->findings.items[i];
        if (strcmp(x->rule, "exception") != 0 || !x->message)
            continue;
        const char *said = x->message;
        if (strncmp(said, EXCEPTION_PREFIX, strlen(EXCEPTION_PREFIX)) == 0)
            said += strlen(EXCEPTION_PREFIX);
        fprintf(m, "%s%s", sep, said);
        sep = "\n";
    }
    char *text = text_end(&b);
    int rc = text ? html_string(w, "exception", text) : SDC_ENOMEM;
    free(text);
    return rc;
}

/* One entry of files[]: {name, sdc}. */
static int write_file_entry(sdc_json_writer *w, const sacro_file *sf)
{
    sacro_checks k = {0};
    int rc = sf->table ? collect_checks(sf, &k) : 0;
    if (rc == 0) {
        sdc_json_open(w, NULL, '{');
        sdc_json_string(w, "name", sf->name);
        if (sf->table) {
            write_sdc(w, sf, &k);
        } else {
            sdc_json_open(w, "sdc", '{');
            sdc_json_close(w, '}');
        }
        sdc_json_close(w, '}');
    }
    free_checks(&k);
    return rc;
}

/* The record of SF, a file given or found in a folder, with the files
 * checked inside it (MEMBERS[0..nmembers): an archive's members, a
 * workbook's sheets) as its further files. */
static int write_record(sdc_json_writer *w, const char *uid, const sacro_file *sf,
                        const sacro_file *members, size_t nmembers, const char *timestamp)
{
    const sdc_file_result *f = sf->result;
    sacro_checks k = {0};
    int rc = sf->table ? collect_checks(sf, &k) : 0;
    if (rc != 0) {
        free_checks(&k);
        return rc;
    }
    sdc_json_open(w, uid, '{');
    sdc_json_string(w, "uid", uid);
    sdc_json_string(w, "status", sdc_verdict_name(f->verdict));
    sdc_json_string(w, "type", sf->table ? "table" : "custom");
    sdc_json_open(w, "properties", '{');
    sdc_json_string(w, "method",
                    sf->table ? sdc_table_shape_name(f->shape)
                              : sdc_file_class_name(f->file_class));
    sdc_json_string(w, "path", f->path);
    sdc_json_string(w, "sha256", f->sha256[0] ? f->sha256 : NULL);
    sdc_json_string(w, "class", sdc_file_class_name(f->file_class));
    sdc_json_string(w, "format", f->format);
    sdc_json_string(w, "copy",
                    sf->copy == COPY_BYTES   ? "bytes"
                    : sf->copy == COPY_TABLE ? "flattened"
                                             : "note");
    sdc_json_close(w, '}');
    sdc_json_open(w, "files", '[');
    rc = write_file_entry(w, sf);
    for (size_t i = 0; rc == 0 && i < nmembers; i++)
        if (members[i].name)
            rc = write_file_entry(w, &members[i]);
    sdc_json_close(w, ']');
    if (rc == 0)
        rc = write_outcome(w, sf, &k);
    sdc_json_string(w, "command", sf->table ? "sdccheck check" : "custom");
    if (rc == 0)
        rc = write_summary(w, sf, sf->table ? &k : NULL);
    sdc_json_string(w, "timestamp", timestamp);
    if (rc == 0)
        rc = write_comments(w, sf, members, nmembers);
    if (rc == 0)
        rc = write_exception(w, f);
    sdc_json_close(w, '}');
    free_checks(&k);
    return rc;
}

/* The record names: each file's path, made unique with " (2)"... */
static int write_results(int dirfd, const sdc_report *report, const sacro_file *files, size_t n,
                         const sdc_report_options *opts)
{
    char timestamp[SDC_REPORT_TIME_MAX] = "";
    if (opts && opts->created >= 0)
        sdc_report_utc_time(opts->created, true, timestamp, sizeof timestamp);
    FILE *out = create_file(dirfd, "results.json");
    if (!out)
        return SDC_EIO;
    sdc_json_writer w = {.out = out};
    char **uids = calloc(n + 1, sizeof *uids);
    int rc = uids ? 0 : SDC_ENOMEM;
    sdc_json_open(&w, NULL, '{');
    sdc_json_string(&w, "version", SACRO_SCHEMA_VERSION);
    sdc_json_string(&w, "sdccheck_version", SDCCHECK_VERSION);
    sdc_json_string(&w, "sdccheck_verdict", sdc_verdict_name(report->verdict));
    sdc_json_open(&w, "results", '{');
    for (size_t i = 0, end; rc == 0 && i < n; i = end) {
        for (end = i + 1; end < n && files[end].member;)
            end++;
        const char *path = files[i].result->path;
        if (asprintf(&uids[i], "%s", path) < 0) {
            uids[i] = NULL;
            rc = SDC_ENOMEM;
            break;
        }
        for (unsigned k = 2; rc == 0; k++) {
            bool taken = false;
            for (size_t j = 0; j < i && !taken; j++)
                taken = uids[j] && strcmp(uids[j], uids[i]) == 0;
            if (!taken)
                break;
            free(uids[i]);
            if (asprintf(&uids[i], "%s (%u)", path, k) < 0) {
                uids[i] = NULL;
                rc = SDC_ENOMEM;
            }
        }
        if (rc == 0)
            rc = write_record(&w, uids[i], &files[i], files + i + 1, end - i - 1, timestamp);
    }
    sdc_json_close(&w, '}');
    sdc_json_close(&w, '}');
    fputc('\n', out);
    for (size_t i = 0; uids && i < n; i++)
        free(uids[i]);
    free(uids);
    if (close_file(out) != 0 && rc == 0)
        rc = SDC_EIO;
    return rc != 0 ? rc : w.too_deep ? SDC_EINVAL : 0;
}

/* ---- config.json and checksums -------------------------------------------- */

/* The policy's values under ACRO's names (the viewer shows them as the risk
 * profile), then sdccheck's own, all flat. */
static int write_config(int dirfd, const sdc_policy *p)
{
    FILE *out = create_file(dirfd, "config.json");
    if (!out)
        return SDC_EIO;
    sdc_json_writer w = {.out = out};
    sdc_json_open(&w, NULL, '{');
    if (p) {
        sdc_json_number(&w, "safe_threshold", p->threshold);
        sdc_json_number(&w, "safe_dof_threshold", p->dof_threshold);
        if (p->nk_count > 0) {
            sdc_json_integer(&w, "safe_nk_n", p->nk[0].n);
            sdc_json_number(&w, "safe_nk_k", p->nk[0].k);
        }
        sdc_json_number(&w, "safe_pratio_p", p->p_ratio);
        sdc_json_bool(&w, "check_missing_values", p->check_missing_values);
        sdc_json_bool(&w, "zeros_are_disclosive", p->zeros_are_disclosive);
        sdc_json_string(&w, "sdccheck_policy", p->name);
        sdc_json_string(&w, "sdccheck_policy_source", p->source);
        sdc_json_number(&w, "group_share", p->group_share);
        sdc_json_integer(&w, "rounding_base", p->rounding_base);
        sdc_json_string(&w, "rounding_mode",
                        p->rounding_mode == SDC_ROUND_MIDPOINT ? "midpoint" : "multiple");
        for (size_t i = 1; i < p->nk_count && i < SDC_POLICY_MAX_NK; i++) {
            char key[32];
            snprintf(key, sizeof key, "nk_rule_%zu_n", i + 1);
            sdc_json_integer(&w, key, p->nk[i].n);
            snprintf(key, sizeof key, "nk_rule_%zu_k", i + 1);
            sdc_json_number(&w, key, p->nk[i].k);
        }
        if (p->pq_p != 0) {
            sdc_json_number(&w, "pq_rule_p", p->pq_p);
            sdc_json_number(&w, "pq_rule_q", p->pq_q);
        }
        sdc_json_bool(&w, "allow_min_max", p->allow_min_max);
        sdc_json_integer(&w, "max_table_rows", p->max_table_rows);
    }
    sdc_json_close(&w, '}');
    fputc('\n', out);
    return close_file(out) != 0 ? SDC_EIO : 0;
}

/* checksums/NAME.txt: the SHA-256 of DIR/NAME as 64 lowercase hex digits,
 * no newline (the viewer compares the text exactly). */
static int write_checksum(int dirfd, const char *name)
{
    int in = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return SDC_EIO;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    char *chunk = malloc(SDC_READ_CHUNK);
    int rc = md && chunk && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 ? 0 : SDC_ENOMEM;
    for (ssize_t got; rc == 0 && (got = read(in, chunk, SDC_READ_CHUNK)) != 0;) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            rc = SDC_EIO;
        else if (EVP_DigestUpdate(md, chunk, (size_t)got) != 1)
            rc = SDC_ENOMEM;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;
    if (rc == 0 && (EVP_DigestFinal_ex(md, digest, &dlen) != 1 || dlen != 32))
        rc = SDC_ENOMEM;
    free(chunk);
    EVP_MD_CTX_free(md);
    close(in);
    if (rc != 0)
        return rc;
    char hex[65], *sum = NULL;
    to_hex(digest, hex);
    if (asprintf(&sum, "checksums/%s.txt", name) < 0)
        return SDC_ENOMEM;
    FILE *out = create_file(dirfd, sum);
    free(sum);
    if (!out)
        return SDC_EIO;
    fputs(hex, out);
    return close_file(out) != 0 ? SDC_EIO : 0;
}

static int write_folder(const sdc_report *report, const sdc_report_options *opts, const char *dir)
{
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return sdc_error_from_errno(errno);
    sacro_file *files = calloc(report->file_count + 1, sizeof *files);
    size_t n = 0;
    int rc = !files ? SDC_ENOMEM : mkdirat(dirfd, "checksums", 0777) != 0 ? SDC_EIO : 0;
    /* an archive's members (outer!inner) follow it in the report */
    const char *outer = NULL;
    size_t outer_len = 0;
    for (; rc == 0 && n < report->file_count; n++) {
        const char *path = report->files[n].path;
        bool member = outer && strncmp(path, outer, outer_len) == 0 && path[outer_len] == '!';
        if (!member) {
            outer = path;
            outer_len = strlen(path);
        }
        rc = place_file(dirfd, files, n, &report->files[n], member, report->policy);
    }
    if (rc == 0)
        rc = write_results(dirfd, report, files, n, opts);
    if (rc == 0)
        rc = write_config(dirfd, report->policy);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (files[i].name)
            rc = write_checksum(dirfd, files[i].name);
    if (rc == 0)
        rc = write_checksum(dirfd, "results.json");
    if (rc == 0)
        rc = write_checksum(dirfd, "config.json");
    for (size_t i = 0; files && i <= n && i < report->file_count; i++) {
        free(files[i].name);
        sdc_report_flat_free(&files[i].flat);
    }
    free(files);
    close(dirfd);
    return rc;
}

const sdc_report_writer sdc_report_writer_sacro = {
    .name = "sacro", .write_dir = write_folder, .draws_tables = true};
