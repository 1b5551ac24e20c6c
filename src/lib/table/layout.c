/*
 * layout.c - what each column of a table means (doc/design.md, "Layouts").
 *
 * Without help from the researcher, a column's meaning comes from its
 * header and its values, in this order:
 *   1. names: the policy's vocabulary (layout_names.c), matched on the whole
 *      normalised name, then on its first or last word ("total_income",
 *      "income_mean");
 *   2. dominance evidence: "n", "max1", "max2" (and "turnover_max1") make
 *      their neighbour a magnitude, whatever its name;
 *   3. values: text columns are labels (dimensions); numeric columns that no
 *      name explains are a wide crosstab's categories (counts) when the table
 *      has no named measures, and otherwise counts if every value is a
 *      non-negative integer (the conservative reading, noted in the report)
 *      or `unrecognised-column` for a person to look at.
 * Several header rows (a multi-level header) are folded into one name per
 * column, "2020 / Female".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sdccheck/table.h"
#include "layout_names.h"
#include "table/table_build.h"

#define NAME_MAX_LEN SDC_LAYOUT_NAME_MAX
#define MAX_HEADER_ROWS 3

const char *sdc_table_shape_name(sdc_table_shape shape)
{
    switch (shape) {
    case SDC_SHAPE_LONG: return "long";
    case SDC_SHAPE_WIDE: return "wide";
    case SDC_SHAPE_REGRESSION: return "regression";
    }
    return "long";
}

/* Row by row: the table lies in memory a row after another, so a column
 * at a time would miss the cache at every cell of a large one. */
static void count_kinds(sdc_table *t)
{
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        col->numeric = col->text = col->suppressed = col->missing = col->empty = 0;
        col->non_integer = col->negative = col->percent_signs = 0;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            sdc_column *col = &t->columns[c];
            const sdc_cell *cell = sdc_table_cell(t, r, c);
            switch (cell->kind) {
            case SDC_CELL_NUMBER:
                col->numeric++;
                col->non_integer += !cell->is_integer;
                col->negative += cell->number < 0;
                col->percent_signs += cell->is_percent;
                break;
            case SDC_CELL_TEXT: col->text++; break;
            case SDC_CELL_SUPPRESSED: col->suppressed++; break;
            case SDC_CELL_MISSING: col->missing++; break;
            default: col->empty++; break;
            }
        }
    }
}

/* pandas writes the index name on a row of its own under a multi-level
 * header: "region,,,," with every other cell empty. */
static bool is_index_name_row(const sdc_table *t)
{
    if (t->ncols < 2 || sdc_table_cell(t, 0, 0)->kind != SDC_CELL_TEXT)
        return false;
    bool named = false;
    for (size_t c = 1; c < t->ncols; c++) {
        if (sdc_table_cell(t, 0, c)->text[0])
            return false;
        named |= t->columns[c].name[0] != '\0';
    }
    return named && t->columns[0].name[0] == '\0';
}

/* Does the header above row 0 look like the upper row of a multi-level
 * header: a name written once over several columns ("2020,,2021,") or
 * repeated over them ("2020,2020,2021,2021"), or row 0 starting with an
 * empty cell (the corner under a spanning name, "region" on the row
 * below)? A header of distinct names over a first row that starts with a
 * label ("age,count" over "25-64,abc") is a header over a data row, whose
 * text in a measure column is a malformed cell, not a second header. */
static bool upper_header_spans(const sdc_table *t)
{
    if (sdc_table_cell(t, 0, 0)->text[0] == '\0')
        return true;
    for (size_t c = 2; c < t->ncols; c++) {
        const char *name = t->columns[c].name;
        if (name[0] == '\0' || strcmp(name, t->columns[c - 1].name) == 0)
            return true;
    }
    return false;
}

/*
 * Folds leading body rows into the header while they look like header rows:
 * text (not numbers, not markers) in a column whose later cells are numbers,
 * under a header that spans (upper_header_spans). Spanning names written
 * once ("2020,,") carry to the right.
 */
static void fold_header_rows(sdc_table *t)
{
    while (t->header_rows < MAX_HEADER_ROWS && t->nrows >= 2) {
        /* The header's shape first: it is cheap, where looking for a
         * number below each text cell of row 0 reads every row. */
        if (!is_index_name_row(t) && !upper_header_spans(t))
            return;
        bool header_like = is_index_name_row(t);
        for (size_t c = 1; c < t->ncols && !header_like; c++) {
            const sdc_cell *first = sdc_table_cell(t, 0, c);
            if (first->kind != SDC_CELL_TEXT)
                continue;
            for (size_t r = 1; r < t->nrows; r++)
                if (sdc_table_cell(t, r, c)->kind == SDC_CELL_NUMBER) {
                    header_like = true;
                    break;
                }
        }
        if (!header_like)
            return;
        for (size_t c = 0; c < t->ncols; c++)
            if (sdc_table_cell(t, 0, c)->kind == SDC_CELL_NUMBER)
                return;
        char **names = calloc(t->ncols, sizeof *names);
        if (!names)
            return;
        const char *carry = "";
        bool ok = true;
        for (size_t c = 0; c < t->ncols && ok; c++) {
            const char *upper = t->columns[c].name;
            if (c > 0 && upper[0])
                carry = upper;
            else if (c > 0)
                upper = carry;
            const char *lower = sdc_table_cell(t, 0, c)->text;
            if (!upper[0] || !lower[0])
                names[c] = strdup(upper[0] ? upper : lower);
            else if (asprintf(&names[c], "%s / %s", upper, lower) < 0)
                names[c] = NULL;
            ok = names[c] != NULL;
        }
        for (size_t c = 0; c < t->ncols; c++) {
            if (ok) {
                free(t->columns[c].name);
                t->columns[c].name = names[c];
            } else {
                free(names[c]);
            }
        }
        free(names);
        if (!ok)
            return;
        memmove(t->cells, t->cells + t->ncols, (t->nrows - 1) * t->ncols * sizeof *t->cells);
        memmove(t->row_line, t->row_line + 1, (t->nrows - 1) * sizeof *t->row_line);
        t->nrows--;
        t->rows_seen = t->rows_seen > 0 ? t->rows_seen - 1 : 0;
        t->header_rows++;
    }
}

/* Year-like integers (a time dimension written as numbers). */
static bool column_is_years(const sdc_table *t, size_t c)
{
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const sdc_cell *cell = sdc_table_cell(t, r, c);
        if (cell->kind != SDC_CELL_NUMBER)
            continue;
        if (!cell->is_integer || cell->number < 1800 || cell->number > 2100 || cell->is_percent)
            return false;
        n++;
    }
    return n >= 2;
}

/* A row number written by the exporter: R's unnamed row-name column,
 * pandas' "Unnamed: 0", values 0..n-1 or 1..n in order. */
static bool column_is_row_index(const sdc_table *t, size_t c, const char *norm)
{
    if (norm[0] && strcmp(norm, "unnamed_0") != 0 && strcmp(norm, "x") != 0 &&
        strcmp(norm, "index") != 0)
        return false;
    if (t->nrows < 2)
        return false;
    double start = -1;
    for (size_t r = 0; r < t->nrows; r++) {
        const sdc_cell *cell = sdc_table_cell(t, r, c);
        if (cell->kind != SDC_CELL_NUMBER || !cell->is_integer)
            return false;
        if (r == 0) {
            start = cell->number;
            if (start != 0 && start != 1)
                return false;
        } else if (cell->number != start + (double)r) {
            return false;
        }
    }
    return true;
}

static long find_column(const sdc_table *t, const char *norm_name)
{
    char norm[NAME_MAX_LEN];
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_layout_name_normalise(t->columns[c].name, norm, sizeof norm);
        if (strcmp(norm, norm_name) == 0)
            return (long)c;
    }
    return -1;
}

/*
 * The measure that evidence prefixed PREFIX belongs to: the column named
 * PREFIX, else the one magnitude or mean named PREFIX_<word> (R's
 * aggregate() writes turnover.sum beside turnover.max1), sums first.
 */
static long find_measure(const sdc_table *t, const sdc_policy *p, const char *prefix, size_t self)
{
    long exact = find_column(t, prefix);
    if (exact >= 0 && exact != (long)self)
        return exact;
    char norm[NAME_MAX_LEN];
    size_t pl = strlen(prefix);
    long best = -1;
    sdc_column_role best_role = SDC_COL_EMPTY;
    for (size_t c = 0; c < t->ncols; c++) {
        if (c == self)
            continue;
        sdc_layout_name_normalise(t->columns[c].name, norm, sizeof norm);
        if (strncmp(norm, prefix, pl) != 0 || norm[pl] != '_')
            continue;
        sdc_column_role r = sdc_layout_name_role(norm, p);
        if (r == SDC_COL_MAGNITUDE && best_role != SDC_COL_MAGNITUDE) {
            best = (long)c;
            best_role = r;
        } else if (r == SDC_COL_MEAN && best < 0) {
            best = (long)c;
            best_role = r;
        }
    }
    return best;
}

static bool is_measure_role(sdc_column_role r)
{
    return r == SDC_COL_MAGNITUDE || r == SDC_COL_MEAN || r == SDC_COL_SPREAD ||
           r == SDC_COL_PERCENTILE || r == SDC_COL_EXTREME || r == SDC_COL_MODE;
}

static void note(sdc_findings *f, const char *rule, sdc_verdict v, long line, const char *column,
                 const char *advice, const char *msg)
{
    sdc_finding_at at = {.line = line, .column = column, .advice = advice};
    sdc_findings_add(f, rule, v, &at, "%s", msg);
}

/* The name step for column C: its role from its values' kinds (empty,
 * labels, a row index) or its name (evidence, the policy's vocabulary),
 * with the role the name alone gives into *NAME_ROLE. "Total" or "Sum" is
 * a margin in a crosstab and a measure word in a long table, so a total
 * column is left unknown here and decided with the shape. True when the
 * name makes the column a measure. */
static bool role_from_names(sdc_table *t, const sdc_policy *policy, size_t c,
                            sdc_column_role *name_role)
{
    char norm[NAME_MAX_LEN], prefix[NAME_MAX_LEN];
    sdc_column *col = &t->columns[c];
    sdc_layout_name_normalise(col->name, norm, sizeof norm);
    col->is_total = sdc_strlist_contains(&policy->total_labels, col->name);
    col->role = SDC_COL_UNKNOWN;
    col->rank = 0;
    if (col->numeric == 0 && col->text == 0 && col->suppressed == 0 && col->missing == 0) {
        col->role = SDC_COL_EMPTY;
        return false;
    }
    col->is_index = col->text == 0 && column_is_row_index(t, c, norm);
    if (col->text > col->numeric || col->is_index) {
        col->role = SDC_COL_LABEL;
        return false;
    }
    int rank;
    sdc_column_role evidence = sdc_layout_name_evidence(norm, &rank);
    if (evidence != SDC_COL_UNKNOWN) {
        col->role = evidence;
        col->rank = rank;
        return false;
    }
    int ev = sdc_layout_name_prefixed_evidence(norm, prefix, sizeof prefix);
    long measure = ev != 0 ? find_measure(t, policy, prefix, c) : -1;
    if (measure >= 0) {
        col->role = ev > 0 ? SDC_COL_LARGEST : SDC_COL_CONTRIBUTORS;
        col->rank = ev > 0 ? ev : 0;
        col->measure = measure;
        return false;
    }
    *name_role = sdc_layout_name_role(norm, policy);
    col->role = col->is_total ? SDC_COL_UNKNOWN : *name_role;
    return col->role != SDC_COL_UNKNOWN && col->role != SDC_COL_LABEL;
}

/* Largest-contribution evidence whose measure is not yet known. */
static bool is_bare_evidence(const sdc_column *col)
{
    return col->role == SDC_COL_LARGEST && col->measure < 0;
}

/* A magnitude, a mean or a column no name explains: what bare evidence
 * may belong to. */
static bool may_be_evidence_measure(sdc_column_role r)
{
    return r == SDC_COL_UNKNOWN || r == SDC_COL_MAGNITUDE || r == SDC_COL_MEAN;
}

/* A table with unprefixed largest-contribution evidence: "n" is the
 * contributors of the magnitude beside the evidence, and the evidence's
 * measure is the nearest magnitude-like or unknown numeric column to the
 * left of the first evidence column (else to its right). */
static void attach_bare_evidence(sdc_table *t)
{
    char norm[NAME_MAX_LEN];
    long first_ev = -1;
    for (size_t c = 0; c < t->ncols && first_ev < 0; c++)
        if (is_bare_evidence(&t->columns[c]))
            first_ev = (long)c;
    if (first_ev < 0)
        return;
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        sdc_layout_name_normalise(col->name, norm, sizeof norm);
        if (col->role == SDC_COL_COUNT && (strcmp(norm, "n") == 0 || strcmp(norm, "count") == 0))
            col->role = SDC_COL_CONTRIBUTORS;
    }
    long measure = -1;
    for (long c = first_ev - 1; c >= 0 && measure < 0; c--)
        if (may_be_evidence_measure(t->columns[c].role))
            measure = c;
    for (size_t c = (size_t)first_ev + 1; measure < 0 && c < t->ncols; c++)
        if (may_be_evidence_measure(t->columns[c].role))
            measure = (long)c;
    for (size_t c = 0; c < t->ncols; c++)
        if (is_bare_evidence(&t->columns[c]))
            t->columns[c].measure = measure;
}

/* 2. Evidence makes its measure a magnitude, whatever its name, and is
 * linked from it. True when a column became a magnitude so. */
static bool evidence_makes_magnitudes(sdc_table *t)
{
    bool made = false;
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        if ((col->role != SDC_COL_LARGEST && col->role != SDC_COL_CONTRIBUTORS) || col->measure < 0)
            continue;
        sdc_column *m = &t->columns[col->measure];
        if (m->role == SDC_COL_UNKNOWN || m->role == SDC_COL_COUNT || m->role == SDC_COL_LABEL) {
            m->role = SDC_COL_MAGNITUDE;
            made = true;
        }
        if (col->role == SDC_COL_LARGEST && col->rank >= 1 && col->rank <= 8)
            m->largest[col->rank - 1] = (long)c;
        else if (col->role == SDC_COL_CONTRIBUTORS)
            m->contributors = (long)c;
    }
    return made;
}

/*
 * 3. The shape from the values: leading year-like columns are labels; a
 * model's coefficients make a regression table; with no named measure, a
 * label column and several unknown (or a total) columns, a wide crosstab;
 * else a long table, where a total column takes the role its name gives.
 */
static void infer_shape(sdc_table *t, bool named_measure, const sdc_column_role *name_role)
{
    size_t unknown = 0;
    bool seen_numeric_measure = false;
    bool has_regression = false, has_total_column = false;
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        if (col->role == SDC_COL_REGRESSION)
            has_regression = true;
        if (col->role == SDC_COL_UNKNOWN && !seen_numeric_measure && c + 1 < t->ncols &&
            !col->is_total && column_is_years(t, c)) {
            col->role = SDC_COL_LABEL;
            continue;
        }
        if (col->role != SDC_COL_LABEL && col->role != SDC_COL_EMPTY)
            seen_numeric_measure = true;
        if (col->role == SDC_COL_UNKNOWN) {
            unknown++;
            has_total_column |= col->is_total;
        }
    }
    t->label_columns = 0;
    for (size_t c = 0; c < t->ncols; c++)
        t->label_columns += t->columns[c].role == SDC_COL_LABEL;

    if (has_regression)
        t->shape = SDC_SHAPE_REGRESSION;
    else if (!named_measure && t->label_columns >= 1 && (unknown >= 2 || has_total_column))
        t->shape = SDC_SHAPE_WIDE;
    else
        t->shape = SDC_SHAPE_LONG;
    if (t->shape != SDC_SHAPE_WIDE)
        for (size_t c = 0; c < t->ncols; c++)
            if (t->columns[c].is_total && t->columns[c].role == SDC_COL_UNKNOWN &&
                name_role[c] != SDC_COL_UNKNOWN && name_role[c] != SDC_COL_LABEL)
                t->columns[c].role = name_role[c];
}

/* An unknown column of a long table whose values are all non-negative
 * integers is read as counts: said in the report, as a pass. */
static void note_read_as_counts(sdc_findings *findings, long line, const sdc_column *col)
{
    char *msg = NULL;
    if (asprintf(&msg,
                 "column '%s' has no recognised name; its values are all "
                 "non-negative integers, so it is read as counts and the "
                 "count rules apply",
                 col->name) >= 0) {
        note(findings, "unrecognised-column", SDC_PASS, line, col->name,
             "name count columns n, count or freq, or declare the layout", msg);
        free(msg);
    } else {
        sdc_findings_mark_incomplete(findings, SDC_INCOMPLETE_MEMORY);
    }
}

/* A numeric column no rule could check: for a person to look at. */
static void note_unrecognised(sdc_findings *findings, long line, const sdc_column *col)
{
    char *msg = NULL;
    if (asprintf(&msg,
                 "numeric column '%s' has no recognised meaning, so no rule "
                 "could check it",
                 col->name) >= 0) {
        note(findings, "unrecognised-column", SDC_REVIEW, line, col->name,
             "rename the column (e.g. mean_income, total_turnover, n) or declare "
             "the layout",
             msg);
        free(msg);
    }
}

/* The columns still unknown once the shape is known: counts (a wide
 * crosstab's categories, or read as counts), percentages, or noted as
 * unrecognised. A regression table's are left to the regression rules. */
static void settle_unknown_columns(sdc_table *t, sdc_findings *findings)
{
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        if (col->role != SDC_COL_UNKNOWN)
            continue;
        /* A column of suppression markers only ("c", "<10") is counts
         * hidden, not a column of unknown meaning. */
        bool counts = col->non_integer == 0 && col->negative == 0 && col->percent_signs == 0 &&
                      (col->numeric > 0 || col->suppressed > 0);
        long line = t->nrows ? t->row_line[0] : t->header_line;
        if (t->shape == SDC_SHAPE_REGRESSION) {
            continue; /* statistics of a model: left to the regression rules */
        } else if (counts) {
            col->role = SDC_COL_COUNT;
            if (t->shape != SDC_SHAPE_WIDE) {
                col->read_as_counts = true;
                note_read_as_counts(findings, line, col);
            }
        } else if (col->percent_signs > 0 && col->percent_signs * 2 >= col->numeric) {
            col->role = SDC_COL_PERCENT;
        } else {
            note_unrecognised(findings, line, col);
        }
    }
}

/* The column that serves as contributors of every measure without its
 * own: the table's one unattached contributor column, else its one count
 * column (not a total). *CANDIDATES says how many there were; the column
 * is only meant when there was exactly one. */
static long shared_contributors(const sdc_table *t, int *candidates)
{
    long shared = -1;
    *candidates = 0;
    for (size_t c = 0; c < t->ncols; c++)
        if (t->columns[c].role == SDC_COL_CONTRIBUTORS && t->columns[c].measure < 0) {
            shared = (long)c;
            (*candidates)++;
        }
    if (*candidates == 0) {
        for (size_t c = 0; c < t->ncols; c++)
            if ((t->columns[c].role == SDC_COL_COUNT || t->columns[c].role == SDC_COL_NOBS) &&
                !t->columns[c].is_total) {
                shared = (long)c;
                (*candidates)++;
            }
    }
    return shared;
}

/* "income_mean" finds "income_n" (or "income_count", as pandas' agg()
 * names it, or "income_contributors") through the measure's stem (its
 * first word, else its last), even when that column already counts the
 * contributors of the sum beside it: a mean of 3 firms discloses as their
 * sum does. */
static void contributors_by_stem(sdc_table *t, size_t c)
{
    static const char *const suffixes[] = {"n", "count", "contributors"};
    sdc_column *col = &t->columns[c];
    char norm[NAME_MAX_LEN];
    sdc_layout_name_normalise(col->name, norm, sizeof norm);
    char first[NAME_MAX_LEN], last[NAME_MAX_LEN], want[NAME_MAX_LEN + 16];
    sdc_layout_name_words(norm, first, last, sizeof first);
    const char *stems[2] = {first, last};
    for (int i = 0; i < 2 && col->contributors < 0; i++)
        for (size_t s = 0; s < 3 && col->contributors < 0; s++) {
            snprintf(want, sizeof want, "%s_%s", stems[i], suffixes[s]);
            long k = find_column(t, want);
            if (k >= 0 && k != (long)c)
                col->contributors = k;
        }
}

/* 4. Contributors of each measure without its own: the shared column when
 * there is one, else the one its stem names. */
static void attach_contributors(sdc_table *t)
{
    int candidates;
    long shared = shared_contributors(t, &candidates);
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        if (is_measure_role(col->role) && col->contributors < 0 && candidates == 1)
            col->contributors = shared;
        if (is_measure_role(col->role) && col->contributors < 0)
            contributors_by_stem(t, c);
    }
}

/* A per-cell maximum beside a sum of the same measure is that cell's
 * largest contribution ("turnover_max" next to "turnover_sum"). */
static void attach_cell_maxima(sdc_table *t)
{
    char norm[NAME_MAX_LEN];
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        if (col->role != SDC_COL_MAGNITUDE || col->largest[0] >= 0)
            continue;
        sdc_layout_name_normalise(col->name, norm, sizeof norm);
        char first[NAME_MAX_LEN], last[NAME_MAX_LEN], want[2][NAME_MAX_LEN + 8];
        sdc_layout_name_words(norm, first, last, sizeof first);
        if (strcmp(first, norm) == 0)
            continue;
        snprintf(want[0], sizeof want[0], "%s_max", first);
        snprintf(want[1], sizeof want[1], "max_%s", last);
        for (int i = 0; i < 2 && col->largest[0] < 0; i++) {
            long k = find_column(t, want[i]);
            if (k >= 0 && t->columns[k].role == SDC_COL_EXTREME)
                col->largest[0] = k;
        }
    }
}

/* 5. Total rows: a label cell that is a total label. */
static void mark_total_rows(sdc_table *t, const sdc_policy *policy)
{
    for (size_t r = 0; r < t->nrows; r++) {
        t->row_is_total[r] = false;
        for (size_t c = 0; c < t->ncols; c++)
            if (t->columns[c].role == SDC_COL_LABEL &&
                sdc_strlist_contains(&policy->total_labels, sdc_table_cell(t, r, c)->text)) {
                t->row_is_total[r] = true;
                break;
            }
    }
}

/* A table's body rewritten (turned, split, rebuilt from esttab's layout):
 * NC columns by NR rows, each column with no evidence links yet. */
typedef struct body {
    sdc_column *cols;
    sdc_cell *cells;
    long *lines;
    size_t nc, nr;
} body;

static bool body_new(body *b, size_t nc, size_t nr)
{
    *b = (body){.cols = calloc(nc, sizeof *b->cols),
                .cells = calloc(nr * nc + 1, sizeof *b->cells),
                .lines = calloc(nr + 1, sizeof *b->lines),
                .nc = nc,
                .nr = nr};
    for (size_t c = 0; b->cols && c < nc; c++) {
        b->cols[c].measure = b->cols[c].contributors = -1;
        for (size_t k = 0; k < 8; k++)
            b->cols[c].largest[k] = -1;
    }
    return b->cols && b->cells && b->lines;
}

static void body_free(body *b)
{
    for (size_t c = 0; b->cols && c < b->nc; c++)
        free(b->cols[c].name);
    free(b->cols);
    free(b->cells);
    free(b->lines);
    *b = (body){0};
}

/* T takes B's columns, cells and lines (NR rows); false, with T as it
 * was and B freed, when out of memory. */
static bool body_install(sdc_table *t, body *b, size_t nr)
{
    bool *totals = calloc(nr + 1, sizeof *totals);
    if (!totals) {
        body_free(b);
        return false;
    }
    sdc_table_free_body(t);
    t->columns = b->cols;
    t->cells = b->cells;
    t->row_line = b->lines;
    t->row_is_total = totals;
    t->ncols = b->nc;
    t->nrows = nr;
    *b = (body){0};
    return true;
}

/* Is TEXT the name of a summary statistic (count, mean, std, min, 25%,
 * Median, 1st Qu.)? */
static bool statistic_name(const char *text, const sdc_policy *policy)
{
    char norm[128];
    sdc_layout_name_normalise(text, norm, sizeof norm);
    switch (sdc_layout_name_role(norm, policy)) {
    case SDC_COL_COUNT:
    case SDC_COL_MEAN:
    case SDC_COL_SPREAD:
    case SDC_COL_EXTREME:
    case SDC_COL_PERCENTILE:
    case SDC_COL_MODE:
    case SDC_COL_NOBS: return true;
    default: return false;
    }
}

/*
 * Statistics as rows, variables as columns (pandas' describe(), R's
 * sapply(df, summary), a summary table written the other way round):
 * the first column names statistics (three at least, three in four of
 * its rows), every other cell is a number or a marker, and no other
 * header is a statistic's name. The table is turned so that each
 * variable is a row and each statistic a column ("income" row, "max"
 * column), where the statistics' rules find them. Every body row then
 * starts at the header's line (the cells of one row came from several
 * lines).
 */
static void turn_statistics_rows(sdc_table *t, const sdc_policy *policy)
{
    if (t->ncols < 2 || t->nrows < 3 || t->nrows > 64 || t->truncated)
        return;
    size_t stats = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const sdc_cell *label = sdc_table_cell(t, r, 0);
        if (label->kind != SDC_CELL_TEXT && label->kind != SDC_CELL_NUMBER)
            return;
        stats += statistic_name(label->text, policy);
        for (size_t c = 1; c < t->ncols; c++) {
            unsigned char k = sdc_table_cell(t, r, c)->kind;
            if (k == SDC_CELL_TEXT)
                return;
        }
    }
    if (stats < 3 || 4 * stats < 3 * t->nrows)
        return;
    for (size_t c = 1; c < t->ncols; c++)
        if (statistic_name(t->columns[c].name, policy))
            return;
    size_t nc = t->nrows + 1, nr = t->ncols - 1;
    body b;
    bool ok = body_new(&b, nc, nr);
    for (size_t c = 0; c < nc && ok; c++) {
        const char *name = c == 0 ? (t->columns[0].name[0] ? t->columns[0].name : "variable")
                                  : sdc_table_cell(t, c - 1, 0)->text;
        ok = (b.cols[c].name = strdup(name)) != NULL;
    }
    for (size_t r = 0; r < nr && ok; r++) {
        sdc_cell *label = &b.cells[r * nc];
        label->text = sdc_table_keep_text(t, t->columns[r + 1].name);
        label->kind = SDC_CELL_TEXT;
        label->bound_hi = -1;
        ok = label->text != NULL;
        for (size_t c = 1; c < nc; c++)
            b.cells[r * nc + c] = *sdc_table_cell(t, c - 1, r + 1);
        b.lines[r] = t->header_line;
    }
    if (ok && body_install(t, &b, nr))
        t->rows_seen = nr;
    else if (!ok)
        body_free(&b);
}

/* A combined cell, "52.8% (19)" (janitor's adorn_ns) or "19 (52.8%)"
 * ("n (%)" as medical tables write it): its two numbers' texts, the
 * percentage first. PCT_HEADER: the header says the bare number in
 * brackets is a percentage ("n (%)"). */
static bool combined_cell(const char *text, bool pct_header, char *pct, char *count, size_t size)
{
    const char *open = strchr(text, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (!open || !close || close[1 + strspn(close + 1, " ")] != '\0')
        return false;
    size_t a = (size_t)(open - text), b = (size_t)(close - open - 1);
    if (a == 0 || a >= size || b == 0 || b >= size)
        return false;
    char first[64], second[64];
    if (a >= sizeof first || b >= sizeof second)
        return false;
    memcpy(first, text, a);
    first[a] = '\0';
    memcpy(second, open + 1, b);
    second[b] = '\0';
    double v1, v2;
    bool p1, p2;
    if (!sdc_number_parse(first, a, false, &v1, &p1) ||
        !sdc_number_parse(second, b, false, &v2, &p2))
        return false;
    if (p1 == p2 && !(pct_header && !p1))
        return false; /* which is the count? */
    bool first_is_pct = p1 || (!p2 && !pct_header);
    const char *pt = first_is_pct ? first : second, *ct = first_is_pct ? second : first;
    size_t pn = strspn(pt, " "), cn = strspn(ct, " ");
    snprintf(pct, size, "%s", pt + pn);
    snprintf(count, size, "%s", ct + cn);
    for (char *e = pct + strlen(pct); e > pct && e[-1] == ' ';)
        *--e = '\0';
    for (char *e = count + strlen(count); e > count && e[-1] == ' ';)
        *--e = '\0';
    return true;
}

/* Marks in SPLIT each column but the first whose text cells are all
 * combined (its other cells empty, numbers or markers), with at least
 * one; returns how many. Row by row, with the columns still in question
 * (a column at a time would miss the cache at every cell of a large
 * table); stops when none is. */
static size_t combined_columns(const sdc_table *t, bool *split)
{
    size_t open = 0, *texts = calloc(t->ncols + 1, sizeof *texts);
    bool *pct_header = calloc(t->ncols + 1, sizeof *pct_header);
    if (!texts || !pct_header) {
        free(texts);
        free(pct_header);
        return 0;
    }
    for (size_t c = 1; c < t->ncols; c++) {
        split[c] = true;
        pct_header[c] = strchr(t->columns[c].name, '%') != NULL;
        open++;
    }
    for (size_t r = 0; r < t->nrows && open; r++)
        for (size_t c = 1; c < t->ncols; c++) {
            const sdc_cell *cell = sdc_table_cell(t, r, c);
            if (!split[c] || cell->kind != SDC_CELL_TEXT)
                continue;
            char a[64], b[64];
            if (combined_cell(cell->text, pct_header[c], a, b, sizeof a)) {
                texts[c]++;
            } else {
                split[c] = false;
                open--;
            }
        }
    size_t n = 0;
    for (size_t c = 1; c < t->ncols; c++)
        n += split[c] = split[c] && texts[c] > 0;
    free(texts);
    free(pct_header);
    return n;
}

/* NAME without its percent signs and brackets ("n (%)" -> "n"), in OUT. */
static const char *bare_name(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < size; p++)
        if (*p != '%' && *p != '(' && *p != ')')
            out[n++] = *p;
    while (n && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return out;
}

/*
 * Splits each column of combined cells ("52.8% (19)", "19 (52.8%)") into
 * a percentage column ("Female %") and a count column ("Female count"),
 * so that the count gets the threshold and the percentage its rule.
 */
static void split_combined_cells(sdc_table *t, const sdc_policy *policy)
{
    bool *split = calloc(t->ncols + 1, sizeof *split);
    if (!split)
        return;
    size_t extra = combined_columns(t, split);
    if (!extra) {
        free(split);
        return;
    }
    size_t nc = t->ncols + extra;
    body bd;
    bool ok = body_new(&bd, nc, t->nrows);
    sdc_column *cols = bd.cols;
    sdc_cell *cells = bd.cells;
    if (ok)
        memcpy(bd.lines, t->row_line, t->nrows * sizeof *bd.lines);
    char bare[256];
    for (size_t c = 0, o = 0; c < t->ncols && ok; c++) {
        const char *name = t->columns[c].name;
        for (int part = 0; part <= (int)split[c] && ok; part++, o++) {
            cols[o] = t->columns[c];
            cols[o].name = NULL;
            ok = (!split[c] ? (cols[o].name = strdup(name)) != NULL
                  : part == 0
                      ? asprintf(&cols[o].name, strchr(name, '%') ? "%s" : "%s %%", name) >= 0
                      : asprintf(&cols[o].name, "%s count", bare_name(name, bare, sizeof bare)) >=
                            0);
            if (!ok)
                cols[o].name = NULL;
            bool pct_header = strchr(name, '%') != NULL;
            for (size_t r = 0; r < t->nrows && ok; r++) {
                const sdc_cell *from = sdc_table_cell(t, r, c);
                sdc_cell *to = &cells[r * nc + o];
                char a[64], b[64];
                if (!split[c] || from->kind != SDC_CELL_TEXT ||
                    !combined_cell(from->text, pct_header, a, b, sizeof a)) {
                    *to = *from;
                    continue;
                }
                const char *kept = sdc_table_keep_text(t, part == 0 ? a : b);
                ok = kept != NULL;
                if (ok) {
                    to->text = kept;
                    sdc_cell_classify(to, kept, strlen(kept), policy, false);
                }
            }
        }
    }
    free(split);
    if (ok)
        body_install(t, &bd, t->nrows);
    else
        body_free(&bd);
}

/*
 * An empty cell is a suppressed cell only where that is said: the table
 * marks other cells with one of the policy's markers (c, x, [c], <10), or
 * the policy's only marker is the empty one. Otherwise it is a cell with
 * no value published (rules_cells.c), never a protected one.
 */
static void empty_cells(sdc_table *t, const sdc_policy *policy)
{
    if (!sdc_strlist_contains(&policy->suppressed_markers, "") ||
        policy->suppressed_markers.count == 1)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        if (t->cells[i].kind == SDC_CELL_SUPPRESSED && t->cells[i].text[0])
            return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        if (t->cells[i].kind == SDC_CELL_SUPPRESSED)
            t->cells[i].kind = SDC_CELL_EMPTY;
}

/* esttab's cells: "-238.9***" (an estimate and its stars) gives the number
 * in NUM; "(-4.50)" or "[0.416]" (a t statistic or a standard error) is
 * BRACKETED. */
static bool esttab_cell(const char *text, char *num, size_t size, bool *bracketed)
{
    size_t n = strlen(text);
    *bracketed = n >= 3 &&
                 ((text[0] == '(' && text[n - 1] == ')') || (text[0] == '[' && text[n - 1] == ']'));
    const char *b = text + (*bracketed ? 1 : 0);
    size_t len = n - (*bracketed ? 2 : 0);
    while (len && b[len - 1] == '*')
        len--;
    if (len == 0 || len >= size)
        return false;
    memcpy(num, b, len);
    num[len] = '\0';
    double v;
    bool pct;
    return sdc_number_parse(num, len, false, &v, &pct) && !pct;
}

/* A row label that is a model statistic, not a coefficient. */
static bool esttab_stat(const char *label, bool *nobs, bool *dfr)
{
    static const char *const stats[] = {
        "r2", "r2_a", "r2_p",      "ll",   "aic", "bic", "rmse", "f",       "chi2", "p",
        "F",  "R-sq", "adj. r-sq", "r-sq", "mss", "rss", "ll_0", "N_clust", NULL};
    char n[64];
    sdc_layout_name_normalise(label, n, sizeof n);
    *nobs = strcmp(label, "N") == 0 || strcmp(n, "observations") == 0 ||
            strcmp(n, "number_of_obs") == 0 || strcmp(n, "obs") == 0;
    *dfr = strcmp(n, "df_r") == 0 || strcmp(n, "df_resid") == 0;
    if (*nobs || *dfr)
        return true;
    for (size_t i = 0; stats[i]; i++)
        if (strcasecmp(label, stats[i]) == 0)
            return true;
    return false;
}

/*
 * esttab's and estout's layout (Stata): a label column, one column a
 * model, each coefficient on a row of its own ("-238.9***") with its t
 * statistic or standard error in brackets on the row below, and the
 * model's statistics (N, r2, df_r) on rows at the end. Rewritten as a
 * coefficient table, one row a model's coefficient (term "(1): mpg",
 * estimate) with the model's residual df: df_r when given, else N less
 * the model's coefficients; with neither there is no df column, and the
 * regression rule says so (dof-missing).
 */
static void esttab_layout(sdc_table *t, const sdc_policy *policy)
{
    if (t->ncols < 2 || t->ncols > 64 || t->nrows < 3 || t->nrows > 4096)
        return;
    size_t coefs = 0, brackets = 0;
    long nobs_row = -1, dfr_row = -1;
    char num[64];
    for (size_t r = 0; r < t->nrows; r++) {
        const char *label = sdc_table_cell(t, r, 0)->text;
        bool nobs, dfr, br;
        if (label[0] && esttab_stat(label, &nobs, &dfr)) {
            if (nobs)
                nobs_row = (long)r;
            if (dfr)
                dfr_row = (long)r;
            continue;
        }
        for (size_t c = 1; c < t->ncols; c++) {
            const char *text = sdc_table_cell(t, r, c)->text;
            if (!text[0] || !esttab_cell(text, num, sizeof num, &br))
                continue;
            if (br && !label[0])
                brackets++;
            else if (!br && label[0])
                coefs++;
        }
    }
    if (coefs < 1 || brackets < coefs || (nobs_row < 0 && dfr_row < 0 && brackets == 0))
        return;
    size_t nmodels = t->ncols - 1, rows = 0;
    bool has_df = nobs_row >= 0 || dfr_row >= 0;
    size_t nc = has_df ? 3 : 2;
    body bd;
    bool ok = body_new(&bd, nc, t->nrows * nmodels);
    sdc_cell *cells = bd.cells;
    long *lines = bd.lines;
    static const char *const names[] = {"term", "estimate", "df_resid"};
    for (size_t c = 0; c < nc && ok; c++)
        ok = (bd.cols[c].name = strdup(names[c])) != NULL;
    for (size_t m = 1; m <= nmodels && ok; m++) {
        /* the model's name: the first header text over its column */
        const char *model = t->columns[m].name[0] ? t->columns[m].name : "model";
        size_t k = 0, first = rows;
        for (size_t r = 0; r < t->nrows && ok; r++) {
            const char *label = sdc_table_cell(t, r, 0)->text;
            const char *text = sdc_table_cell(t, r, m)->text;
            bool nobs, dfr, br;
            if (!label[0] || esttab_stat(label, &nobs, &dfr) ||
                !esttab_cell(text, num, sizeof num, &br) || br)
                continue;
            char term[256];
            snprintf(term, sizeof term, "%s: %s", model, label);
            sdc_cell *row = &cells[rows * nc];
            const char *tt = sdc_table_keep_text(t, term), *et = sdc_table_keep_text(t, num);
            ok = tt && et;
            if (!ok)
                break;
            row[0].text = tt;
            sdc_cell_classify(&row[0], tt, strlen(tt), policy, false);
            row[0].kind = SDC_CELL_TEXT;
            row[1].text = et;
            sdc_cell_classify(&row[1], et, strlen(et), policy, false);
            lines[rows] = t->row_line[r];
            rows++;
            k++;
        }
        if (!has_df || !ok)
            continue;
        /* the model's residual df: df_r, else N less its coefficients */
        double df = -1;
        const sdc_cell *d = dfr_row >= 0 ? sdc_table_cell(t, (size_t)dfr_row, m) : NULL;
        const sdc_cell *n = nobs_row >= 0 ? sdc_table_cell(t, (size_t)nobs_row, m) : NULL;
        if (d && esttab_cell(d->text, num, sizeof num, &(bool){false}))
            df = strtod(num, NULL);
        else if (n && esttab_cell(n->text, num, sizeof num, &(bool){false}))
            df = strtod(num, NULL) - (double)k;
        for (size_t r = first; r < rows && ok; r++) {
            char text[32];
            if (df >= 0)
                snprintf(text, sizeof text, "%g", df);
            else
                text[0] = '\0';
            const char *kt = sdc_table_keep_text(t, text);
            ok = kt != NULL;
            if (ok) {
                cells[r * nc + 2].text = kt;
                sdc_cell_classify(&cells[r * nc + 2], kt, strlen(kt), policy, false);
            }
        }
    }
    if (ok && rows > 0 && body_install(t, &bd, rows))
        t->rows_seen = rows;
    else if (!ok || rows == 0)
        body_free(&bd);
}

void sdc_table_infer_layout(sdc_table *t, const sdc_policy *policy, sdc_findings *findings)
{
    fold_header_rows(t);
    turn_statistics_rows(t, policy);
    esttab_layout(t, policy);
    split_combined_cells(t, policy);
    empty_cells(t, policy);
    count_kinds(t);

    /* The role each name alone gives, for the total columns whose role
     * waits for the shape. */
    sdc_column_role *name_role = calloc(t->ncols + 1, sizeof *name_role);
    if (!name_role) {
        sdc_findings_mark_incomplete(findings, SDC_INCOMPLETE_MEMORY);
        return;
    }
    bool named_measure = false;
    for (size_t c = 0; c < t->ncols; c++) /* 1. names */
        named_measure |= role_from_names(t, policy, c, &name_role[c]);
    attach_bare_evidence(t);
    named_measure |= evidence_makes_magnitudes(t); /* 2. evidence */
    infer_shape(t, named_measure, name_role);      /* 3. values */
    free(name_role);
    settle_unknown_columns(t, findings);

    attach_contributors(t); /* 4. contributors */
    attach_cell_maxima(t);
    mark_total_rows(t, policy); /* 5. total rows */
}
