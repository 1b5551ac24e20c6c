/*
 * ingest.c - what may come IN: the ingest check's judgement of each file
 * the walk reads (ingest.h; sdccheck(1), INGEST).
 *
 * An ingest check is the same walk as a check (pass.c, source.c,
 * container.c): every byte read once, containers opened, the same limits.
 * Only the judgement differs, at three points of the walk, each a call
 * here: a table's header and cells (sdc_ingest_table, instead of the table
 * rules), a statistics package's data file (sdc_ingest_data_head, its
 * variable names read with ReadStat), and every result before its verdict
 * (sdc_ingest_judge: models fail as ingest-model, identifiers become notes,
 * data is allowed in). What suits a file going out (thresholds,
 * dominance, "record-level data may not leave") does not suit one coming
 * in; what is forbidden both ways (a model) fails both ways, and what
 * cannot be read still needs a person.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/checker.h"
#include "check/ingest_internal.h"
#include "check/result.h"
#include "read/data_vars.h"

void sdc_checker_set_ingest(sdc_checker *checker, const sdc_variables *approved)
{
    checker->ingest = true;
    checker->approved = approved;
}

bool sdc_checker_ingest(const sdc_checker *checker)
{
    return checker && checker->ingest;
}

/* Variable names that are direct identifiers whatever their values, as
 * lower-case letters and digits ("NHS_No" is "nhsno"), with the kind. */
static const struct {
    const char *name, *kind;
} identifier_names[] = {
    {"nhsnumber", "NHS number"},
    {"nhsno", "NHS number"},
    {"nhsnum", "NHS number"},
    {"nino", "National Insurance number"},
    {"ninumber", "National Insurance number"},
    {"nationalinsurancenumber", "National Insurance number"},
    {"postcode", "postcode"},
    {"postalcode", "postcode"},
    {"email", "e-mail address"},
    {"emailaddress", "e-mail address"},
    {"phone", "telephone number"},
    {"phonenumber", "telephone number"},
    {"telephone", "telephone number"},
    {"telephonenumber", "telephone number"},
    {"mobile", "telephone number"},
    {"dateofbirth", "date of birth"},
    {"dob", "date of birth"},
    {"birthdate", "date of birth"},
    {"name", "name"},
    {"fullname", "name"},
    {"forename", "name"},
    {"forenames", "name"},
    {"firstname", "name"},
    {"surname", "name"},
    {"lastname", "name"},
    {"familyname", "name"},
    {"address", "address"},
    {"streetaddress", "address"},
    {"addressline1", "address"},
};

/* The kind of direct identifier NAME names, or NULL. */
static const char *identifier_name_kind(const char *name)
{
    char norm[64];
    size_t n = 0;
    for (const char *s = name; *s; s++) {
        if (!isalnum((unsigned char)*s))
            continue;
        if (n + 1 >= sizeof norm)
            return NULL;
        norm[n++] = (char)tolower((unsigned char)*s);
    }
    norm[n] = '\0';
    for (size_t i = 0; i < sizeof identifier_names / sizeof identifier_names[0]; i++)
        if (strcmp(norm, identifier_names[i].name) == 0)
            return identifier_names[i].kind;
    return NULL;
}

static const char ADVICE_IDENTIFIER[] =
    "direct identifiers are notes on the way in: check that the data request approved them, "
    "and keep them out of every output";

static int name_note(sdc_file_result *out, const char *name, long line)
{
    const char *kind = identifier_name_kind(name);
    if (!kind)
        return 0;
    sdc_finding_at at = {.line = line, .column = name, .advice = ADVICE_IDENTIFIER};
    return sdc_findings_add(&out->findings, "direct-identifier", SDC_PASS, &at,
                            "variable '%s' is named as a direct identifier (%s)", name, kind);
}

/* Keeps NAMES in OUT and compares each with the approved list. */
static int keep_and_compare(const sdc_checker *ck, sdc_file_result *out, char *const *names,
                            size_t count, long line)
{
    out->variables = calloc(count + 1, sizeof *out->variables);
    if (!out->variables)
        return -1;
    for (size_t i = 0; i < count; i++) {
        if (!(out->variables[i] = strdup(names[i] ? names[i] : "")))
            return -1;
        out->variable_count++;
    }
    if (!ck->approved)
        return 0;
    for (size_t i = 0; i < count; i++) {
        const char *name = out->variables[i];
        const char *s = name;
        while (isspace((unsigned char)*s))
            s++;
        sdc_finding_at at = {.line = line, .column = name};
        if (!*s) {
            at.advice = "name every column, or say what it holds, so that it can be compared "
                        "with the approved list";
            if (sdc_findings_add(&out->findings, "needs-review", SDC_REVIEW, &at,
                                 "column %zu has no name: it cannot be compared with the "
                                 "approved variables",
                                 i + 1) < 0)
                return -1;
        } else if (sdc_variables_find(ck->approved, name) < 0) {
            at.advice = "bring in only the variables the external data request approved: "
                        "drop it, or have the request amended";
            if (sdc_findings_add(&out->findings, "unapproved-variable", SDC_FAIL, &at,
                                 "variable '%s' is not on the approved list (%s)", name,
                                 ck->approved->path) < 0)
                return -1;
        }
    }
    return 0;
}

int sdc_ingest_variables(const sdc_checker *ck, sdc_file_result *out, char *const *names,
                         size_t count, long line)
{
    if (keep_and_compare(ck, out, names, count, line) < 0)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (name_note(out, names[i], line) < 0)
            return -1;
    return 0;
}

/* Direct identifiers in column C's cells: one note for the column (the
 * first masked, and how many); else its name, if it names one. */
static int column_note(const sdc_checker *ck, const sdc_table *t, size_t c, sdc_file_result *out)
{
    size_t hits = 0, judged = 0;
    sdc_id_match first = {0};
    size_t first_row = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const sdc_cell *cell = sdc_table_cell(t, r, c);
        if (cell->kind != SDC_CELL_TEXT && cell->kind != SDC_CELL_NUMBER)
            continue;
        judged++;
        size_t len = strlen(cell->text);
        sdc_id_match m;
        if (len < 5 || !sdc_id_scan(ck->scanner, cell->text, len, &m))
            continue;
        if (hits++ == 0) {
            first = m;
            first_row = r;
        }
    }
    const char *name = t->columns[c].name;
    if (hits == 0)
        return name_note(out, name, t->header_line);
    const char *text = sdc_table_cell(t, first_row, c)->text;
    char masked[128];
    sdc_id_mask(text + first.offset, first.length, masked, sizeof masked);
    sdc_finding_at at = {.line = t->row_line[first_row],
                         .column = name,
                         .value = masked,
                         .advice = ADVICE_IDENTIFIER};
    return sdc_findings_add(&out->findings, "direct-identifier", SDC_PASS, &at,
                            "column '%s' holds direct identifiers (%s): %zu of the %zu cells read",
                            name, first.kind, hits, judged);
}

int sdc_ingest_table(const sdc_checker *ck, const sdc_table *t, sdc_file_result *out)
{
    char **names = calloc(t->ncols + 1, sizeof *names);
    if (!names)
        return -1;
    for (size_t c = 0; c < t->ncols; c++)
        names[c] = t->columns[c].name;
    int rc = keep_and_compare(ck, out, names, t->ncols, t->header_line);
    free(names);
    for (size_t c = 0; rc == 0 && c < t->ncols; c++)
        rc = column_note(ck, t, c, out);
    return rc;
}

bool sdc_ingest_reads_head(const sdc_checker *ck, const char *format)
{
    return ck->ingest && sdc_data_vars_readable(format);
}

int sdc_ingest_data_head(const sdc_checker *ck, sdc_file_result *out, const char *format,
                         const unsigned char *head, size_t len, unsigned long long size)
{
    char **names = NULL;
    size_t count = 0;
    char why[200];
    int rc = sdc_data_vars_read(format, head, len, size, &names, &count, why, sizeof why);
    if (rc < 0)
        return -1;
    if (rc > 0) {
        if (!ck->approved)
            return 0;
        sdc_finding_at at = {.advice = "submit the data as CSV, or have a person compare its "
                                       "variables with the approved list"};
        return sdc_findings_add(&out->findings, "needs-review", SDC_REVIEW, &at,
                                "cannot read its variables (%s): they cannot be compared with "
                                "the approved list",
                                why) < 0
                   ? -1
                   : 0;
    }
    rc = sdc_ingest_variables(ck, out, names, count, 0);
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* The finding F as an ingest check states it, into TO (or left out). */
static int restate(sdc_findings *to, const sdc_finding *f)
{
    const char *rule = f->rule;
    sdc_verdict v = f->verdict;
    const char *advice = f->advice;
    if (strcmp(rule, "data-file") == 0 || strcmp(rule, "microdata") == 0)
        return 0; /* data may come in */
    if (strcmp(rule, "model-file") == 0) {
        rule = "ingest-model";
        advice = "machine-learning models may not be brought into the environment: bring in "
                 "the data and code that make it instead";
    } else if (strcmp(rule, "identifier") == 0) {
        rule = "direct-identifier";
        v = SDC_PASS;
        advice = ADVICE_IDENTIFIER;
    }
    sdc_finding_at at = {.line = f->line,
                         .row = f->row,
                         .column = f->column,
                         .value = f->value,
                         .limit = f->limit,
                         .has_limit = f->has_limit,
                         .advice = advice};
    return sdc_findings_add(to, rule, v, &at, "%s", f->message);
}

int sdc_ingest_judge(const sdc_checker *ck, sdc_file_result *out)
{
    if (!ck || !ck->ingest)
        return 0;
    sdc_findings kept = {.incomplete = out->findings.incomplete};
    for (size_t i = 0; i < out->findings.count; i++)
        restate(&kept, &out->findings.items[i]); /* a loss marks KEPT incomplete */
    sdc_findings_free(&out->findings);
    out->findings = kept;
    if (!ck->approved || out->variables)
        return 0;
    bool data = out->file_class == SDC_CLASS_DATA && !sdc_data_vars_readable(out->format);
    bool table = out->file_class == SDC_CLASS_TABLE;
    if (!data && !table)
        return 0;
    sdc_finding_at at = {.advice = data ? "submit the data as CSV, or have a person compare its "
                                          "variables with the approved list"
                                        : "check that the file is a table with a header"};
    return sdc_findings_add(&out->findings, "needs-review", SDC_REVIEW, &at,
                            "cannot read its variables (%s): they cannot be compared with the "
                            "approved list",
                            data ? out->format : "no header was read") < 0
               ? -1
               : 0;
}

/* Marks in SEEN[i] whether a result of REPORT holds LIST's name I as a
 * variable (case ignored). */
static void mark_held(const sdc_report *report, const sdc_variables *list, bool *seen)
{
    for (size_t i = 0; i < report->file_count; i++) {
        const sdc_file_result *r = &report->files[i];
        for (size_t k = 0; k < r->variable_count; k++) {
            long at = sdc_variables_find(list, r->variables[k]);
            if (at >= 0)
                seen[at] = true;
        }
    }
}

int sdc_ingest_finish(const sdc_checker *ck, sdc_report *report)
{
    const sdc_variables *list = ck->approved;
    if (!ck->ingest || !list)
        return 0;
    bool *seen = calloc(list->count + 1, sizeof *seen);
    sdc_file_result *files =
        seen ? realloc(report->files, (report->file_count + 1) * sizeof *files) : NULL;
    if (!files) {
        free(seen);
        report->incomplete = true;
        return SDC_ENOMEM;
    }
    report->files = files;
    mark_held(report, list, seen);
    sdc_file_result *r = &files[report->file_count];
    memset(r, 0, sizeof *r);
    r->path = strdup(list->path);
    r->format = strdup("approved-variables");
    r->file_class = SDC_CLASS_DOCUMENT;
    r->size = list->size;
    memcpy(r->sha256, list->sha256, sizeof r->sha256);
    report->file_count++;
    if (!r->path || !r->format)
        sdc_findings_mark_incomplete(&r->findings, SDC_INCOMPLETE_MEMORY);
    for (size_t i = 0; i < list->count; i++) {
        if (seen[i])
            continue;
        sdc_finding_at at = {.column = list->names[i],
                             .advice = "an approved variable no file brings in: check that "
                                       "the delivery is complete"};
        sdc_findings_add(&r->findings, "approved-variable-absent", SDC_PASS, &at,
                         "approved variable '%s' is in none of the data files", list->names[i]);
    }
    free(seen);
    if (!r->path) { /* the reports need a path */
        r->path = strdup("(approved variables)");
        if (!r->path) {
            report->file_count--;
            sdc_findings_free(&r->findings);
            free(r->format);
            report->incomplete = true;
            return SDC_ENOMEM;
        }
    }
    sdc_result_finish(ck->policy, r);
    sdc_report_derive(report);
    return r->findings.incomplete ? SDC_ENOMEM : 0;
}
