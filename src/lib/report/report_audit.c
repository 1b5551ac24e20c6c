/*
 * report_audit.c - the text `sdccheck audit` prints: a line per suppressed
 * cell, its interval and whether it is recoverable, narrow or protected
 * (one judgement: sdc_audit_judge). Text from the file (the path, row
 * labels, column names) goes through the same escaping as the text report,
 * so a cell cannot move the cursor or reorder the line.
 */
#include <math.h>
#include <stdio.h>

#include "report/report_util.h"

/* One suppressed cell's line. */
static void write_cell(const sdc_table *t, const sdc_audit_cell *c, double need, FILE *out)
{
    char labels[256];
    sdc_table_row_labels(t, c->row, labels, sizeof labels);
    fprintf(out, "  line %ld, ", c->line);
    sdc_report_term_text(labels[0] ? labels : "-", out);
    fputs(", ", out);
    sdc_report_term_text(t->columns[c->col].name, out);
    fputs(": ", out);
    sdc_audit_status judged = sdc_audit_judge(c, need);
    if (judged == SDC_AUDIT_UNSOLVED) {
        fputs("not solved\n", out);
        return;
    }
    if (isfinite(c->hi))
        fprintf(out, "[%g, %g]", c->lo, c->hi);
    else
        fprintf(out, "[%g, unbounded)", c->lo);
    if (judged == SDC_AUDIT_RECOVERABLE)
        fprintf(out, "  recoverable: it is %g\n", c->lo);
    else if (judged == SDC_AUDIT_NARROW)
        fprintf(out, "  narrow (width %g, the policy asks for %g)\n", sdc_audit_width(c), need);
    else
        fputs("  protected\n", out);
}

int sdc_audit_write_text(const char *path, const sdc_table *t, const sdc_audit *a, double need,
                         FILE *out)
{
    sdc_report_term_text(path, out);
    fprintf(out, ": %zu suppressed cell%s, %zu total%s used as equations%s\n", a->count,
            a->count == 1 ? "" : "s", a->equations, a->equations == 1 ? "" : "s",
            a->dropped ? " (some totals could not be used: a part is text)" : "");
    if (a->inconsistent)
        fputs("  the published totals cannot all hold with non-negative cells\n", out);
    if (a->timed_out)
        fputs("  the audit did not finish in time\n", out);
    if (a->too_large)
        fputs("  values past 10^15 were not audited: the solver cannot read them exactly\n", out);
    for (size_t i = 0; i < a->count && !a->inconsistent; i++)
        write_cell(t, &a->cells[i], need, out);
    return sdc_report_finish(out);
}
