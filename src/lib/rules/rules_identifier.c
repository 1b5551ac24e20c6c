/*
 * rules_identifier.c - direct identifiers in a table's cells and header
 * (doc/design.md, "Identifiers"). The detectors live in identifier.c; this family runs them
 * over every cell, reports each hit masked, and after IDS_REPORTED hits
 * summarises the rest so a record-level file does not drown the report.
 */
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"

#define IDS_REPORTED 10

static void run(const sdc_rule_ctx *ctx)
{
    const sdc_table *t = ctx->table;
    if (!ctx->scanner)
        return;
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
}

const sdc_rule_family sdc_rules_identifier = {"identifier", run};
