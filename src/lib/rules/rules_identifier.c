/*
 * rules_identifier.c - direct identifiers in a table's cells and header
 * (doc/design.md, "Identifiers"). The detectors live in identifier.c; this family runs them
 * over every cell, reports each hit masked, and after IDS_REPORTED hits
 * summarises the rest so a record-level file does not drown the report.
 *
 * A number in a count or magnitude column is an amount: about one
 * ten-digit number in eleven carries a valid NHS check digit, so a column
 * of sums in the billions would be full of "NHS numbers". Such a column's
 * numbers are judged as identifiers only when at least half of them match
 * (a column of identifiers, not of amounts); text in it, and every other
 * column, is judged cell by cell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

#define IDS_REPORTED 10

static bool is_amount_column(const sdc_column *col)
{
    return col->role == SDC_COL_COUNT || col->role == SDC_COL_MAGNITUDE;
}

/* Per column: false for a count or magnitude column whose numbers are
 * amounts (fewer than half match an identifier), whose numbers are then
 * not judged; true otherwise. NULL when out of memory (every number is
 * then judged: a false alarm rather than a miss). */
static bool *judged_columns(const sdc_table *t, const sdc_id_scanner *scanner)
{
    bool *judged = malloc(t->ncols + 1);
    if (!judged)
        return NULL;
    for (size_t c = 0; c < t->ncols; c++) {
        judged[c] = true;
        if (!is_amount_column(&t->columns[c]))
            continue;
        size_t numbers = 0, matches = 0;
        sdc_id_match m;
        for (size_t r = 0; r < t->nrows; r++) {
            const sdc_cell *cell = sdc_table_cell(t, r, c);
            if (cell->kind != SDC_CELL_NUMBER)
                continue;
            numbers++;
            size_t len = strlen(cell->text);
            matches += len >= 5 && sdc_id_scan(scanner, cell->text, len, &m);
        }
        judged[c] = numbers == 0 || 2 * matches >= numbers;
    }
    return judged;
}

static void run(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    if (!ctx->scanner)
        return;
    bool *judged = judged_columns(t, ctx->scanner);
    size_t hits = 0;
    sdc_id_match m;
    char masked[128];
    for (size_t c = 0; c < t->ncols; c++) {
        const char *name = t->columns[c].name;
        size_t len = strlen(name);
        if (sdc_id_scan(ctx->scanner, name, len, &m)) {
            hits++;
            sdc_id_mask(name + m.offset, m.length, masked, sizeof masked);
            sdc_finding_at at = {.line = t->header_line,
                                 .column = name,
                                 .value = masked,
                                 .advice = "remove direct identifiers from outputs"};
            sdc_findings_add(ctx->findings, "identifier", SDC_FAIL, &at, "%s in the header",
                             m.kind);
        }
    }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const sdc_cell *cell = sdc_table_cell(t, r, c);
            if (cell->kind != SDC_CELL_TEXT && cell->kind != SDC_CELL_NUMBER)
                continue;
            if (cell->kind == SDC_CELL_NUMBER && judged && !judged[c])
                continue;
            const char *text = cell->text;
            size_t len = strlen(text);
            if (len < 5 || !sdc_id_scan(ctx->scanner, text, len, &m))
                continue;
            if (++hits > IDS_REPORTED)
                continue;
            char labels[512];
            sdc_table_row_labels(t, r, labels, sizeof labels);
            sdc_id_mask(text + m.offset, m.length, masked, sizeof masked);
            sdc_finding_at at = {.line = t->row_line[r],
                                 .row = t->columns[c].role == SDC_COL_LABEL || !labels[0] ? NULL
                                                                                          : labels,
                                 .column = t->columns[c].name,
                                 .value = masked,
                                 .advice = "remove direct identifiers from outputs"};
            if (ctx->prose && sdc_id_kind_is_contact(m.kind)) {
                char quote[256];
                sdc_id_quote(ctx->scanner, text, len, &m, quote, sizeof quote);
                at.advice = "check whose it is: a person's must be removed; a service's can be "
                            "cleared with the policy's identifier_allow";
                sdc_findings_add(ctx->findings, "identifier", SDC_REVIEW, &at,
                                 "%s in the text: \"%s\"", m.kind, quote);
                continue;
            }
            sdc_findings_add(ctx->findings, "identifier", SDC_FAIL, &at, "%s in a cell", m.kind);
        }
    }
    if (hits > IDS_REPORTED) {
        sdc_finding_at at = {.advice = "remove direct identifiers from outputs"};
        sdc_findings_add(ctx->findings, "identifier", SDC_FAIL, &at,
                         "%zu more cells hold direct identifiers", hits - IDS_REPORTED);
    }
    free(judged);
}

const sdc_rule_family sdc_rules_identifier = {"identifier", run};
