/*
 * table_build.c - rows in, an sdc_table out (see table_build.h).
 *
 * Cells are classified as they arrive so the raw row buffer can be reused.
 * Rows are kept in one flat cell array with per-row offsets, because a
 * ragged row may widen the table; the rectangular grid the rules read is
 * made once, when the table is finished.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "core/arena.h"
#include "table/layout_names.h"
#include "table/table_build.h"

struct sdc_table_builder {
    const sdc_policy *policy;
    bool decimal_comma;
    struct sdc_arena *arena;
    char **header; /* arena strings */
    size_t header_n;
    long header_line;
    bool have_header;
    sdc_cell *cells; /* flat, row after row */
    size_t ncells, cells_cap;
    size_t *row_start;
    size_t *row_len;
    long *row_line;
    size_t nrows, rows_cap;
    size_t width; /* widest row, header included */
};

sdc_table_builder *sdc_table_builder_new(const sdc_policy *policy, bool decimal_comma)
{
    sdc_table_builder *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->policy = policy;
    b->decimal_comma = decimal_comma;
    b->arena = sdc_arena_new();
    if (!b->arena) {
        free(b);
        return NULL;
    }
    return b;
}

static void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len;
    while (n && (isspace((unsigned char)*p)))
        p++, n--;
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    /* A non-breaking space (U+00A0) pads cells written by Excel. */
    while (n >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
        p += 2, n -= 2;
    while (n >= 2 && (unsigned char)p[n - 2] == 0xC2 && (unsigned char)p[n - 1] == 0xA0)
        n -= 2;
    *s = p;
    *len = n;
}

/* Is V a whole number? Without a cast to an integer type, which is
 * undefined for 1e20 and beyond (C11 6.3.1.4). */
static bool whole_number(double v)
{
    return isfinite(v) && floor(v) == v;
}

void sdc_cell_classify(sdc_cell *cell, const char *text, size_t len, const sdc_policy *policy,
                       bool decimal_comma)
{
    cell->bound_hi = -1;
    cell->is_integer = false;
    cell->is_percent = false;
    cell->number = 0;
    if (sdc_strlist_contains(&policy->suppressed_markers, text)) {
        cell->kind = SDC_CELL_SUPPRESSED;
    } else if (len == 0) {
        cell->kind = SDC_CELL_EMPTY;
        return;
    } else if (sdc_strlist_contains(&policy->missing_markers, text)) {
        cell->kind = SDC_CELL_MISSING;
        return;
    } else {
        double v;
        bool pct = false;
        if (sdc_number_parse(text, len, decimal_comma, &v, &pct) ||
            sdc_number_parse(text, len, !decimal_comma, &v, &pct)) {
            cell->kind = SDC_CELL_NUMBER;
            cell->number = v;
            cell->is_percent = pct;
            cell->is_integer = whole_number(v);
            return;
        }
        cell->kind = SDC_CELL_TEXT;
    }
    /* "<10", "< 5", "<=7" bound a hidden value rather than hide it. */
    if (len >= 2 && text[0] == '<') {
        size_t skip = 1;
        bool inclusive = false;
        if (text[1] == '=') {
            skip = 2;
            inclusive = true;
        }
        double v;
        if (sdc_number_parse(text + skip, len - skip, decimal_comma, &v, NULL)) {
            cell->kind = SDC_CELL_SUPPRESSED;
            bool whole = whole_number(v);
            cell->bound_hi = inclusive ? v : (whole ? v - 1 : v);
        }
    }
}

int sdc_table_builder_set(const sdc_table_builder *b, struct sdc_arena *arena, sdc_cell *cell,
                          const sdc_cell *same, const char *text, size_t len)
{
    trim(&text, &len);
    /* (a field may hold a NUL, where strncmp would stop: such a field is
     * never matched) */
    if (same && !memchr(text, '\0', len) && strncmp(same->text, text, len) == 0 &&
        same->text[len] == '\0') {
        *cell = *same;
        return 0;
    }
    cell->text = sdc_arena_strndup(arena, text, len);
    if (!cell->text)
        return -1;
    sdc_cell_classify(cell, cell->text, len, b->policy, b->decimal_comma);
    return 0;
}

sdc_cell *sdc_table_builder_open_rows(sdc_table_builder *b, size_t rows, size_t width,
                                      long first_line)
{
    if (sdc_table_builder_reserve(b, rows, width) < 0)
        return NULL;
    sdc_cell *at = &b->cells[b->ncells];
    for (size_t r = 0; r < rows; r++) {
        b->row_start[b->nrows + r] = b->ncells + r * width;
        b->row_len[b->nrows + r] = width;
        b->row_line[b->nrows + r] = first_line + (long)r;
    }
    b->nrows += rows;
    b->ncells += rows * width;
    if (rows && width > b->width)
        b->width = width;
    return at;
}

void sdc_table_builder_adopt(sdc_table_builder *b, struct sdc_arena *arena)
{
    sdc_arena_adopt(b->arena, arena);
}

int sdc_table_builder_add(sdc_table_builder *b, const char *const *fields, const size_t *lens,
                          size_t n, long line)
{
    if (!b->have_header) {
        b->header = calloc(n ? n : 1, sizeof *b->header);
        if (!b->header)
            return -1;
        for (size_t i = 0; i < n; i++) {
            const char *s = fields[i];
            size_t len = lens[i];
            trim(&s, &len);
            b->header[i] = sdc_arena_strndup(b->arena, s, len);
            if (!b->header[i])
                return -1;
        }
        b->header_n = n;
        b->header_line = line;
        b->have_header = true;
        b->width = n;
        return 0;
    }
    if (b->nrows == 0 && n == b->header_n + 1) {
        /* R's write.table leaves the row-name column unnamed. */
        char *unnamed = sdc_arena_strndup(b->arena, "", 0);
        char **h = unnamed ? realloc(b->header, (b->header_n + 1) * sizeof *h) : NULL;
        if (!h)
            return -1;
        memmove(h + 1, h, b->header_n * sizeof *h);
        h[0] = unnamed;
        b->header = h;
        b->header_n++;
        if (b->width < b->header_n)
            b->width = b->header_n;
    }
    if (b->nrows == b->rows_cap) {
        /* The three per-row arrays always share one capacity. */
        size_t cap = sdc_vec_capacity(b->rows_cap ? b->rows_cap : 32, b->nrows + 1);
        if (!cap || SDC_VEC_RESIZE(b->row_start, cap) < 0 || SDC_VEC_RESIZE(b->row_len, cap) < 0 ||
            SDC_VEC_RESIZE(b->row_line, cap) < 0)
            return -1;
        b->rows_cap = cap;
    }
    if (n > SIZE_MAX - b->ncells || SDC_VEC_RESERVE(b->cells, b->cells_cap, b->ncells + n) < 0)
        return -1;
    /* A field with the text of the same field of the row before is that
     * cell again (sdc_table_builder_set): long tables repeat their labels
     * row after row (six fields of ten on the 5-D bench table). */
    const sdc_cell *prev = b->nrows ? &b->cells[b->row_start[b->nrows - 1]] : NULL;
    size_t prev_n = b->nrows ? b->row_len[b->nrows - 1] : 0;
    for (size_t i = 0; i < n; i++)
        if (sdc_table_builder_set(b, b->arena, &b->cells[b->ncells + i],
                                  i < prev_n ? &prev[i] : NULL, fields[i], lens[i]) < 0)
            return -1;
    b->row_start[b->nrows] = b->ncells;
    b->row_len[b->nrows] = n;
    b->row_line[b->nrows] = line;
    b->ncells += n;
    b->nrows++;
    if (n > b->width)
        b->width = n;
    return 0;
}

int sdc_table_builder_reserve(sdc_table_builder *b, size_t rows, size_t width)
{
    if (rows > SIZE_MAX - b->nrows || (rows && width > (SIZE_MAX - b->ncells - 1) / rows))
        return -1;
    size_t cap = b->nrows + rows;
    if (cap > b->rows_cap) {
        if (SDC_VEC_RESIZE(b->row_start, cap) < 0 || SDC_VEC_RESIZE(b->row_len, cap) < 0 ||
            SDC_VEC_RESIZE(b->row_line, cap) < 0)
            return -1;
        b->rows_cap = cap;
    }
    size_t cells = b->ncells + rows * width + 1; /* finish keeps one more */
    if (cells > b->cells_cap) {
        if (SDC_VEC_RESIZE(b->cells, cells) < 0)
            return -1;
        b->cells_cap = cells;
    }
    return 0;
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is a header a name that says record-level (an identifier, a date of
 * birth)? */
static bool record_name(const sdc_policy *p, const char *name)
{
    char n[128];
    sdc_layout_name_normalise(name, n, sizeof n);
    size_t len = strlen(n);
    return sdc_strlist_contains(&p->id_names, n) || (len > 3 && strcmp(n + len - 3, "_id") == 0) ||
           strstr(n, "birth") || strcmp(n, "dob") == 0;
}

bool sdc_table_builder_aggregate_shaped(const sdc_table_builder *b)
{
    size_t w = b->header_n;
    if (!b->have_header || w < 2 || w > 64 || b->nrows < 2)
        return false;
    /* measures: named so, or integers on every row; labels: the rest */
    bool measure[64] = {false}, label[64] = {false};
    size_t measures = 0, labels = 0;
    for (size_t c = 0; c < w; c++) {
        if (record_name(b->policy, b->header[c]))
            return false;
        char n[128];
        sdc_layout_name_normalise(b->header[c], n, sizeof n);
        sdc_column_role role = sdc_layout_name_role(n, b->policy);
        bool numbers = true, integers = true;
        for (size_t r = 0; r < b->nrows && numbers; r++) {
            if (b->row_len[r] != w)
                return false;
            const sdc_cell *cell = &b->cells[b->row_start[r] + c];
            numbers = cell->kind == SDC_CELL_NUMBER || cell->kind == SDC_CELL_SUPPRESSED ||
                      cell->kind == SDC_CELL_EMPTY;
            integers &= cell->kind != SDC_CELL_NUMBER || (cell->is_integer && cell->number >= 0);
        }
        bool named = role == SDC_COL_COUNT || role == SDC_COL_MAGNITUDE || role == SDC_COL_MEAN;
        if (numbers && (named || (integers && c == w - 1))) {
            measure[c] = true;
            measures++;
        } else if (!numbers || c < w - 1) {
            label[c] = true;
            labels++;
        } else {
            return false; /* a last column of decimals with no name */
        }
    }
    if (!measures || !labels)
        return false;
    /* one row per combination of the labels */
    char **keys = malloc(b->nrows * sizeof *keys);
    if (!keys)
        return false;
    size_t n = 0;
    bool ok = true;
    for (size_t r = 0; r < b->nrows && ok; r++) {
        size_t len = 1;
        for (size_t c = 0; c < w; c++)
            if (label[c])
                len += strlen(b->cells[b->row_start[r] + c].text) + 1;
        char *k = malloc(len);
        ok = k != NULL;
        if (!ok)
            break;
        size_t o = 0;
        for (size_t c = 0; c < w; c++)
            if (label[c]) {
                const char *t = b->cells[b->row_start[r] + c].text;
                size_t l = strlen(t);
                memcpy(k + o, t, l);
                o += l;
                k[o++] = '\x1f';
            }
        k[o] = '\0';
        keys[n++] = k;
    }
    if (ok) {
        qsort(keys, n, sizeof *keys, cmp_key);
        for (size_t i = 1; i < n && ok; i++)
            ok = strcmp(keys[i - 1], keys[i]) != 0;
    }
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    (void)measure;
    return ok;
}

size_t sdc_table_builder_rows(const sdc_table_builder *b)
{
    return b->nrows;
}

size_t sdc_table_builder_header_width(const sdc_table_builder *b)
{
    return b->have_header ? b->header_n : 0;
}

size_t sdc_table_builder_widest(const sdc_table_builder *b)
{
    return b->width;
}

size_t sdc_table_builder_fit_width(const sdc_table_builder *b)
{
    size_t w = b->width ? b->width : 1;
    if (b->nrows == 0)
        return w;
    size_t read = b->ncells + b->header_n;
    size_t budget = read > (SIZE_MAX - SDC_TABLE_PAD_MIN) / SDC_TABLE_PAD_FACTOR
                        ? SIZE_MAX
                        : read * SDC_TABLE_PAD_FACTOR + SDC_TABLE_PAD_MIN;
    if (w > budget / b->nrows)
        w = budget / b->nrows ? budget / b->nrows : 1;
    return w;
}

sdc_table *sdc_table_builder_finish(sdc_table_builder *b, unsigned long long rows_seen,
                                    bool truncated)
{
    if (!b->have_header) {
        sdc_table_builder_free(b);
        return NULL;
    }
    sdc_table *t = calloc(1, sizeof *t);
    if (!t) {
        sdc_table_builder_free(b);
        return NULL;
    }
    size_t w = sdc_table_builder_fit_width(b);
    t->ncols = w;
    t->nrows = b->nrows;
    t->header_rows = 1;
    t->header_line = b->header_line;
    t->rows_seen = rows_seen > b->nrows ? rows_seen : b->nrows;
    t->truncated = truncated;
    t->arena = b->arena;
    b->arena = NULL;
    t->columns = calloc(w, sizeof *t->columns);
    /* Rows all as wide as the table and in order (a table protect builds,
     * most files) are the table's cells already: they move over instead
     * of being copied, which on the 5-D bench table's 9.9 million cells
     * kept two copies of 317 MB at once, the peak of the whole run. */
    bool in_place = b->cells != NULL;
    for (size_t r = 0; r < b->nrows && in_place; r++)
        in_place = b->row_len[r] == w && b->row_start[r] == r * w;
    if (in_place) {
        /* one cell more, as the copy has: never read, but never absent */
        t->cells = realloc(b->cells, (b->nrows * w + 1) * sizeof *t->cells);
        if (t->cells) {
            b->cells = NULL;
            memset(&t->cells[b->nrows * w], 0, sizeof *t->cells);
        }
    } else {
        t->cells = calloc(b->nrows * w + 1, sizeof *t->cells);
    }
    t->row_line = calloc(b->nrows + 1, sizeof *t->row_line);
    t->row_is_total = calloc(b->nrows + 1, sizeof *t->row_is_total);
    if (!t->columns || !t->cells || !t->row_line || !t->row_is_total) {
        sdc_table_builder_free(b);
        sdc_table_free(t);
        return NULL;
    }
    for (size_t c = 0; c < w; c++) {
        const char *name = c < b->header_n ? b->header[c] : "";
        t->columns[c].name = strdup(name);
        t->columns[c].measure = -1;
        t->columns[c].contributors = -1;
        for (size_t k = 0; k < 8; k++)
            t->columns[c].largest[k] = -1;
        if (!t->columns[c].name) {
            sdc_table_builder_free(b);
            sdc_table_free(t);
            return NULL;
        }
    }
    static const char empty[] = "";
    for (size_t r = 0; r < b->nrows; r++) {
        t->row_line[r] = b->row_line[r];
        if (in_place)
            continue;
        sdc_cell *row = &t->cells[r * w];
        for (size_t c = 0; c < w; c++) {
            if (c < b->row_len[r]) {
                row[c] = b->cells[b->row_start[r] + c];
            } else {
                /* A short row: the missing fields were never written. */
                row[c].text = empty;
                sdc_cell_classify(&row[c], empty, 0, b->policy, b->decimal_comma);
            }
        }
    }
    sdc_table_builder_free(b);
    return t;
}

void sdc_table_builder_free(sdc_table_builder *b)
{
    if (!b)
        return;
    sdc_arena_free(b->arena);
    free(b->header);
    free(b->cells);
    free(b->row_start);
    free(b->row_len);
    free(b->row_line);
    free(b);
}
