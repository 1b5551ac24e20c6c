/*
 * judge.c - what an audited interval means for a suppressed cell.
 *
 * One definition, used wherever a suppressed cell is judged (the rules'
 * secondary-* findings, linked tables, both suppression modes, `sdccheck
 * audit`): a cell pinned to one value is recoverable; a bounded interval
 * narrower than the protection asked for is narrow; anything else is
 * protected. Counts are judged by the number of values they can take.
 */
#include <math.h>

#include "sdccheck/audit.h"

double sdc_audit_need(const sdc_policy *policy)
{
    return policy->protection_width > 0 ? policy->protection_width : policy->threshold;
}

double sdc_audit_width(const sdc_audit_cell *c)
{
    if (!isfinite(c->hi))
        return INFINITY;
    return c->integer ? floor(c->hi) - ceil(c->lo) + 1 : c->hi - c->lo;
}

sdc_audit_status sdc_audit_judge(const sdc_audit_cell *c, double need)
{
    if (!c->solved)
        return SDC_AUDIT_UNSOLVED;
    if (isfinite(c->hi) && c->hi - c->lo < 1e-9)
        return SDC_AUDIT_RECOVERABLE;
    if (isfinite(c->hi) && sdc_audit_width(c) < need)
        return SDC_AUDIT_NARROW;
    return SDC_AUDIT_PROTECTED;
}

bool sdc_audit_protected(const sdc_audit_cell *c, double need)
{
    return sdc_audit_judge(c, need) == SDC_AUDIT_PROTECTED;
}

sdc_verdict sdc_audit_verdict(const sdc_audit *a, double need)
{
    sdc_verdict v = a->inconsistent || a->timed_out || a->too_large ? SDC_REVIEW : SDC_PASS;
    for (size_t i = 0; i < a->dropped; i++)
        if (a->dropped_totals[i].why == SDC_AUDIT_DROP_CONTRADICTS)
            v = SDC_REVIEW; /* a published total that cannot be right (totals-mismatch) */
    for (size_t i = 0; i < a->count && !a->inconsistent; i++) {
        sdc_audit_status s = sdc_audit_judge(&a->cells[i], need);
        if (s == SDC_AUDIT_RECOVERABLE)
            v = SDC_FAIL;
        else if (s == SDC_AUDIT_NARROW)
            v = sdc_verdict_worst(v, SDC_REVIEW);
    }
    return v;
}
