/*
 * report_audit.c - the text `sdccheck audit` prints: a line per suppressed
 * cell, its interval and whether it is recoverable, narrow or protected
 * (one judgement: sdc_audit_judge). Text from the file (the path, row
 * labels, column names) goes through the same escaping as the text report,
 * so a cell cannot move the cursor or reorder the line. The totals the
 * audit could not use are listed too, with the reason, up to
 * AUDIT_DROPPED_LISTED of them and then how many more.
 */
#include <math.h>
#include <stdio.h>

#include "report/report_util.h"

/* Dropped totals listed before "and N more". */
#define AUDIT_DROPPED_LISTED 20

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

/* Why a total was dropped, naming the cell to blame. */
static void write_reason(const sdc_table *t, const sdc_audit_dropped *d, FILE *out)
{
    const char *other = t->columns[d->other_col].name;
    switch (d->why) {
    case SDC_AUDIT_DROP_TEXT:
        fprintf(out, "a cell of its line is not a number (line %ld, ", d->other_line);
        sdc_report_term_text(other, out);
        fputs(")", out);
        break;
    case SDC_AUDIT_DROP_SECOND_TOTAL:
        fprintf(out, "its line already has a total (line %ld, ", d->other_line);
        sdc_report_term_text(other, out);
        fputs(")", out);
        break;
    case SDC_AUDIT_DROP_TOO_LARGE:
        fputs("its measure holds values past 10^15, which the solver cannot read exactly", out);
        break;
    case SDC_AUDIT_DROP_CONTRADICTS:
        fprintf(out,
                "it contradicts its line: no non-negative values of the suppressed parts make "
                "it add up (its published parts sum to %g)",
                d->sum);
        break;
    case SDC_AUDIT_DROP_BESIDE:
        if (d->other_row == d->row && d->other_col == d->col) {
            fputs("it contradicts another line it is the total of", out);
            break;
        }
        fprintf(out, "a cell of its line (line %ld, ", d->other_line);
        sdc_report_term_text(other, out);
        fputs(") is a total dropped for contradicting its own line", out);
        break;
    }
}

/* One dropped total's line. */
static void write_dropped(const sdc_table *t, const sdc_audit_dropped *d, FILE *out)
{
    char labels[256];
    sdc_table_row_labels(t, d->row, labels, sizeof labels);
    fprintf(out, "  total dropped: line %ld, ", d->line);
    sdc_report_term_text(labels[0] ? labels : "-", out);
    fputs(", ", out);
    sdc_report_term_text(t->columns[d->col].name, out);
    fputs(" (along ", out);
    sdc_report_term_text(d->along >= 0 ? t->columns[d->along].name : "the columns", out);
    fputs("): ", out);
    write_reason(t, d, out);
    fputc('\n', out);
}

int sdc_audit_write_text(const char *path, const sdc_table *t, const sdc_audit *a, double need,
                         FILE *out)
{
    sdc_report_term_text(path, out);
    fprintf(out, ": %zu suppressed cell%s, %zu total%s used as equations", a->count,
            a->count == 1 ? "" : "s", a->equations, a->equations == 1 ? "" : "s");
    if (a->dropped)
        fprintf(out, ", %zu dropped", a->dropped);
    fputc('\n', out);
    if (a->inconsistent)
        fputs("  the published totals cannot all hold with non-negative cells\n", out);
    if (a->unproved)
        fprintf(out,
                "  %zu cell%s not proved: linked by more equations than the exact solver "
                "takes\n",
                a->unproved, a->unproved == 1 ? "" : "s");
    else if (a->timed_out)
        fputs("  the audit did not finish in time\n", out);
    if (a->too_large)
        fputs("  values past 10^15 were not audited: the solver cannot read them exactly\n", out);
    for (size_t i = 0; i < a->dropped && i < AUDIT_DROPPED_LISTED; i++)
        write_dropped(t, &a->dropped_totals[i], out);
    if (a->dropped > AUDIT_DROPPED_LISTED)
        fprintf(out, "  and %zu more totals dropped\n", a->dropped - AUDIT_DROPPED_LISTED);
    for (size_t i = 0; i < a->count && !a->inconsistent; i++)
        write_cell(t, &a->cells[i], need, out);
    return sdc_report_finish(out);
}
