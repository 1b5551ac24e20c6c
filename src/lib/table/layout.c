/*
 * layout.c - what each column of a table means (SPEC 4.2).
 *
 * Without help from the researcher, a column's meaning comes from its
 * header and its values, in this order:
 *   1. names: the policy's vocabulary (count, magnitude, percent, regression
 *      words ...), matched on the whole normalised name, then on its first
 *      or last word ("total_income", "income_mean");
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
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdccheck/table.h"

#define NAME_MAX_LEN 128
#define MAX_HEADER_ROWS 3

const char *sdc_column_role_name(sdc_column_role role)
{
    static const char *const names[] = {
        [SDC_COL_EMPTY] = "empty",
        [SDC_COL_LABEL] = "label",
        [SDC_COL_COUNT] = "count",
        [SDC_COL_MAGNITUDE] = "magnitude",
        [SDC_COL_MEAN] = "mean",
        [SDC_COL_SPREAD] = "spread",
        [SDC_COL_PERCENTILE] = "percentile",
        [SDC_COL_EXTREME] = "extreme",
        [SDC_COL_MODE] = "mode",
        [SDC_COL_PERCENT] = "percent",
        [SDC_COL_CONTRIBUTORS] = "contributors",
        [SDC_COL_LARGEST] = "largest",
        [SDC_COL_REGRESSION] = "regression",
        [SDC_COL_DOF] = "dof",
        [SDC_COL_NOBS] = "nobs",
        [SDC_COL_UNKNOWN] = "unknown",
    };
    if ((unsigned)role < sizeof names / sizeof names[0] && names[role])
        return names[role];
    return "unknown";
}

const char *sdc_table_shape_name(sdc_table_shape shape)
{
    switch (shape) {
    case SDC_SHAPE_LONG: return "long";
    case SDC_SHAPE_WIDE: return "wide";
    case SDC_SHAPE_REGRESSION: return "regression";
    }
    return "long";
}

/* Lower case, spaces, dots and hyphens as '_', no surrounding quotes or
 * punctuation: "Std. Error" -> "std_error". */
static void normalise(const char *name, char *out, size_t size)
{
    size_t o = 0;
    bool pending_sep = false;
    for (const char *p = name; *p && o + 2 < size; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || c >= 0x80 || c == '%') {
            if (pending_sep && o > 0)
                out[o++] = '_';
            pending_sep = false;
            out[o++] = (char)tolower(c);
        } else {
            pending_sep = true;
        }
    }
    out[o] = '\0';
}

/* Matches the normalised NAME against LIST (normalising each entry). */
static bool in_list(const sdc_strlist *list, const char *name)
{
    char norm[NAME_MAX_LEN];
    for (size_t i = 0; i < list->count; i++) {
        normalise(list->items[i], norm, sizeof norm);
        if (norm[0] && strcmp(norm, name) == 0)
            return true;
    }
    return false;
}

/* First and last '_'-separated words of NAME. */
static void split_words(const char *name, char *first, char *last, size_t size)
{
    const char *us = strchr(name, '_');
    size_t n = us ? (size_t)(us - name) : strlen(name);
    if (n >= size)
        n = size - 1;
    memcpy(first, name, n);
    first[n] = '\0';
    const char *ls = strrchr(name, '_');
    snprintf(last, size, "%s", ls ? ls + 1 : name);
}

static bool is_dof_name(const char *n)
{
    static const char *const names[] = {"df_resid",     "df_residual", "residual_df", "dof",
                                        "df_residuals", "resid_df",    "df"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(n, names[i]) == 0)
            return true;
    return false;
}

static bool is_nobs_name(const char *n)
{
    static const char *const names[] = {"nobs",    "n_obs",  "observations",
                                        "num_obs", "no_obs", "n_observations"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(n, names[i]) == 0)
            return true;
    return false;
}

/* "max1" -> 1, "top2" -> 2, "largest" -> 1, "second_largest" -> 2; 0 if
 * the word is not largest-contribution evidence. */
static int largest_rank(const char *w)
{
    if (strcmp(w, "largest") == 0 || strcmp(w, "largest1") == 0 || strcmp(w, "first_largest") == 0)
        return 1;
    if (strcmp(w, "second_largest") == 0 || strcmp(w, "largest2") == 0)
        return 2;
    if ((strncmp(w, "max", 3) == 0 || strncmp(w, "top", 3) == 0) && isdigit((unsigned char)w[3]) &&
        w[4] == '\0' && w[3] >= '1' && w[3] <= '8')
        return w[3] - '0';
    return 0;
}

/* Contributor-count evidence words. */
static bool is_contributor_word(const char *w)
{
    return strcmp(w, "contributors") == 0 || strcmp(w, "n_contributors") == 0 ||
           strcmp(w, "ncontributors") == 0;
}

/* If NAME is "<prefix>_<evidence>", writes the prefix and returns the rank
 * (largest) or -1 (contributors: _n, _count, _contributors); 0 if not. */
static int prefixed_evidence(const char *name, char *prefix, size_t size)
{
    static const char *const suffixes[] = {
        "_second_largest", "_largest", "_max1", "_max2", "_max3",  "_max4",        "_top1",
        "_top2",           "_top3",    "_top4", "_n",    "_count", "_contributors"};
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t sl = strlen(suffixes[i]);
        if (len > sl && strcmp(name + len - sl, suffixes[i]) == 0) {
            size_t pl = len - sl;
            if (pl >= size)
                return 0;
            memcpy(prefix, name, pl);
            prefix[pl] = '\0';
            int rank = largest_rank(suffixes[i] + 1);
            return rank ? rank : -1;
        }
    }
    /* "n_turnover" */
    if (strncmp(name, "n_", 2) == 0 && len > 2 && !is_nobs_name(name)) {
        snprintf(prefix, size, "%s", name + 2);
        return -1;
    }
    return 0;
}

/* Role from a name alone; SDC_COL_UNKNOWN when the name says nothing. */
static sdc_column_role role_from_name(const char *n, const sdc_policy *p, bool *is_dimension)
{
    char first[NAME_MAX_LEN], last[NAME_MAX_LEN];
    *is_dimension = false;
    if (!n[0])
        return SDC_COL_UNKNOWN;
    if (in_list(&p->regression_names, n))
        return SDC_COL_REGRESSION;
    if (is_nobs_name(n))
        return SDC_COL_NOBS;
    if (in_list(&p->count_names, n))
        return SDC_COL_COUNT;
    if (in_list(&p->percent_names, n) || strchr(n, '%'))
        return SDC_COL_PERCENT;
    if (in_list(&p->extreme_names, n))
        return SDC_COL_EXTREME;
    if (in_list(&p->percentile_names, n))
        return SDC_COL_PERCENTILE;
    if (in_list(&p->mode_names, n))
        return SDC_COL_MODE;
    if (in_list(&p->dimension_names, n) || in_list(&p->id_names, n)) {
        *is_dimension = true;
        return SDC_COL_LABEL;
    }
    if (strcmp(n, "mean") == 0 || strcmp(n, "avg") == 0 || strcmp(n, "average") == 0)
        return SDC_COL_MEAN;
    if (strcmp(n, "sd") == 0 || strcmp(n, "std") == 0 || strcmp(n, "var") == 0 ||
        strcmp(n, "variance") == 0 || strcmp(n, "std_dev") == 0 || strcmp(n, "stddev") == 0)
        return SDC_COL_SPREAD;
    if (in_list(&p->magnitude_names, n))
        return SDC_COL_MAGNITUDE;

    split_words(n, first, last, sizeof first);
    const char *words[2] = {first, last};
    for (int i = 0; i < 2; i++) {
        const char *w = words[i];
        if (strcmp(w, n) == 0)
            continue;
        if (strcmp(w, "mean") == 0 || strcmp(w, "avg") == 0 || strcmp(w, "average") == 0)
            return SDC_COL_MEAN;
        if (strcmp(w, "sd") == 0 || strcmp(w, "std") == 0 || strcmp(w, "var") == 0 ||
            strcmp(w, "variance") == 0)
            return SDC_COL_SPREAD;
        if (in_list(&p->extreme_names, w))
            return SDC_COL_EXTREME;
        if (in_list(&p->percentile_names, w))
            return SDC_COL_PERCENTILE;
        if (in_list(&p->mode_names, w))
            return SDC_COL_MODE;
        if (in_list(&p->percent_names, w))
            return SDC_COL_PERCENT;
        if (strcmp(w, "sum") == 0 || (i == 0 && strcmp(w, "total") == 0))
            return SDC_COL_MAGNITUDE;
        if (in_list(&p->count_names, w) && strcmp(w, "n") != 0)
            return SDC_COL_COUNT;
    }
    if (strcmp(last, "id") == 0 && strcmp(n, "id") != 0) {
        *is_dimension = true;
        return SDC_COL_LABEL;
    }
    return SDC_COL_UNKNOWN;
}

static void count_kinds(sdc_table *t)
{
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        col->numeric = col->text = col->suppressed = col->missing = col->empty = 0;
        col->non_integer = col->negative = col->percent_signs = 0;
        for (size_t r = 0; r < t->nrows; r++) {
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

/*
 * Folds leading body rows into the header while they look like header rows:
 * text (not numbers, not markers) in a column whose later cells are numbers.
 * Spanning names written once ("2020,,") carry to the right.
 */
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

static void fold_header_rows(sdc_table *t)
{
    while (t->header_rows < MAX_HEADER_ROWS && t->nrows >= 2) {
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
        normalise(t->columns[c].name, norm, sizeof norm);
        if (strcmp(norm, norm_name) == 0)
            return (long)c;
    }
    return -1;
}

static sdc_column_role role_from_name(const char *n, const sdc_policy *p, bool *is_dimension);

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
        normalise(t->columns[c].name, norm, sizeof norm);
        if (strncmp(norm, prefix, pl) != 0 || norm[pl] != '_')
            continue;
        bool dim;
        sdc_column_role r = role_from_name(norm, p, &dim);
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

void sdc_table_infer_layout(sdc_table *t, const sdc_policy *policy, sdc_findings *findings)
{
    fold_header_rows(t);
    count_kinds(t);

    char norm[NAME_MAX_LEN], prefix[NAME_MAX_LEN];
    bool named_measure = false;
    sdc_column_role *name_role = calloc(t->ncols + 1, sizeof *name_role);
    if (!name_role)
        return;

    /* 1. names */
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        normalise(col->name, norm, sizeof norm);
        col->is_total = sdc_strlist_contains(&policy->total_labels, col->name);
        col->role = SDC_COL_UNKNOWN;
        col->rank = 0;
        if (col->numeric == 0 && col->text == 0 && col->suppressed == 0 && col->missing == 0) {
            col->role = SDC_COL_EMPTY;
            continue;
        }
        col->is_index = col->text == 0 && column_is_row_index(t, c, norm);
        if (col->text > col->numeric || col->is_index) {
            col->role = SDC_COL_LABEL;
            continue;
        }
        int rank = largest_rank(norm);
        if (rank) {
            col->role = SDC_COL_LARGEST;
            col->rank = rank;
            continue;
        }
        if (is_contributor_word(norm)) {
            col->role = SDC_COL_CONTRIBUTORS;
            continue;
        }
        if (is_dof_name(norm)) {
            col->role = SDC_COL_DOF;
            continue;
        }
        int ev = prefixed_evidence(norm, prefix, sizeof prefix);
        long measure = ev != 0 ? find_measure(t, policy, prefix, c) : -1;
        if (measure >= 0) {
            col->role = ev > 0 ? SDC_COL_LARGEST : SDC_COL_CONTRIBUTORS;
            col->rank = ev > 0 ? ev : 0;
            col->measure = measure;
            continue;
        }
        bool dimension = false;
        /* "Total" or "Sum" is a margin in a crosstab and a measure word in a
         * long table: decided with the shape, below. */
        name_role[c] = role_from_name(norm, policy, &dimension);
        col->role = col->is_total ? SDC_COL_UNKNOWN : name_role[c];
        if (col->role != SDC_COL_UNKNOWN && col->role != SDC_COL_LABEL)
            named_measure = true;
    }

    /* A table with unprefixed largest-contribution evidence: "n" is the
     * contributors of the magnitude beside the evidence. */
    bool bare_evidence = false;
    for (size_t c = 0; c < t->ncols; c++)
        if (t->columns[c].role == SDC_COL_LARGEST && t->columns[c].measure < 0)
            bare_evidence = true;
    if (bare_evidence) {
        for (size_t c = 0; c < t->ncols; c++) {
            sdc_column *col = &t->columns[c];
            normalise(col->name, norm, sizeof norm);
            if (col->role == SDC_COL_COUNT &&
                (strcmp(norm, "n") == 0 || strcmp(norm, "count") == 0))
                col->role = SDC_COL_CONTRIBUTORS;
        }
        /* The evidence's measure: the nearest magnitude-like or unknown
         * numeric column to the left of the first evidence column. */
        long first_ev = -1;
        for (size_t c = 0; c < t->ncols && first_ev < 0; c++)
            if (t->columns[c].role == SDC_COL_LARGEST && t->columns[c].measure < 0)
                first_ev = (long)c;
        long measure = -1;
        for (long c = first_ev - 1; c >= 0 && measure < 0; c--) {
            sdc_column_role r = t->columns[c].role;
            if (r == SDC_COL_UNKNOWN || r == SDC_COL_MAGNITUDE || r == SDC_COL_MEAN)
                measure = c;
        }
        for (size_t c = (size_t)first_ev + 1; measure < 0 && c < t->ncols; c++) {
            sdc_column_role r = t->columns[c].role;
            if (r == SDC_COL_UNKNOWN || r == SDC_COL_MAGNITUDE || r == SDC_COL_MEAN)
                measure = (long)c;
        }
        for (size_t c = 0; c < t->ncols; c++)
            if (t->columns[c].role == SDC_COL_LARGEST && t->columns[c].measure < 0)
                t->columns[c].measure = measure;
    }

    /* 2. evidence makes its measure a magnitude, whatever its name */
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        if ((col->role != SDC_COL_LARGEST && col->role != SDC_COL_CONTRIBUTORS) || col->measure < 0)
            continue;
        sdc_column *m = &t->columns[col->measure];
        if (m->role == SDC_COL_UNKNOWN || m->role == SDC_COL_COUNT || m->role == SDC_COL_LABEL) {
            m->role = SDC_COL_MAGNITUDE;
            named_measure = true;
        }
        if (col->role == SDC_COL_LARGEST && col->rank >= 1 && col->rank <= 8)
            m->largest[col->rank - 1] = (long)c;
        else if (col->role == SDC_COL_CONTRIBUTORS)
            m->contributors = (long)c;
    }

    /* 3. values: numeric dimensions, shape, unknown columns */
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
    free(name_role);

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
                char *msg = NULL;
                if (asprintf(&msg,
                             "column '%s' has no recognised name; its values are all "
                             "non-negative integers, so it is read as counts and the "
                             "count rules apply",
                             col->name) >= 0) {
                    note(findings, "unrecognised-column", SDC_PASS, line, col->name,
                         "name count columns n, count or freq, or declare the layout", msg);
                    free(msg);
                }
            }
        } else if (col->percent_signs > 0 && col->percent_signs * 2 >= col->numeric) {
            col->role = SDC_COL_PERCENT;
        } else {
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
    }

    /* 4. contributors of each measure without its own: the table's one
     * contributor column, else its one count column. */
    long shared = -1;
    int candidates = 0;
    for (size_t c = 0; c < t->ncols; c++)
        if (t->columns[c].role == SDC_COL_CONTRIBUTORS && t->columns[c].measure < 0) {
            shared = (long)c;
            candidates++;
        }
    if (candidates == 0) {
        for (size_t c = 0; c < t->ncols; c++)
            if ((t->columns[c].role == SDC_COL_COUNT || t->columns[c].role == SDC_COL_NOBS) &&
                !t->columns[c].is_total) {
                shared = (long)c;
                candidates++;
            }
    }
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        if (is_measure_role(col->role) && col->contributors < 0 && candidates == 1)
            col->contributors = shared;
        /* "income_mean" finds "income_n" through the measure's stem. */
        if (is_measure_role(col->role) && col->contributors < 0) {
            normalise(col->name, norm, sizeof norm);
            char first[NAME_MAX_LEN], last[NAME_MAX_LEN], want[NAME_MAX_LEN + 4];
            split_words(norm, first, last, sizeof first);
            const char *stems[2] = {first, last};
            for (int i = 0; i < 2 && col->contributors < 0; i++) {
                snprintf(want, sizeof want, "%s_n", stems[i]);
                long k = find_column(t, want);
                if (k >= 0 && k != (long)c)
                    col->contributors = k;
            }
        }
    }

    /* A per-cell maximum beside a sum of the same measure is that cell's
     * largest contribution ("turnover_max" next to "turnover_sum"). */
    for (size_t c = 0; c < t->ncols; c++) {
        sdc_column *col = &t->columns[c];
        if (col->role != SDC_COL_MAGNITUDE || col->largest[0] >= 0)
            continue;
        normalise(col->name, norm, sizeof norm);
        char first[NAME_MAX_LEN], last[NAME_MAX_LEN], want[2][NAME_MAX_LEN + 8];
        split_words(norm, first, last, sizeof first);
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

    /* 5. total rows: a label cell that is a total label */
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
