/*
 * primary.c - the rules that suppression mends, listed once.
 *
 * A primary rule judges a cell on its own value (and its evidence): the
 * cell is suppressed. The secondary rules judge what the published cells
 * give away about a suppressed one: complementary suppression answers
 * them. Every other rule (a model file, an identifier, record-level data,
 * a missing contributor count) is not mended by hiding cells.
 */
#include <stddef.h>
#include <string.h>

#include "rules/primary.h"

static const char *const primary[] = {"threshold", "nk-rule", "p-ratio", "pq-rule",
                                      "group-disclosure"};
static const char *const secondary[] = {"secondary-recoverable", "secondary-narrow"};

static bool listed(const char *rule, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rule, list[i]) == 0)
            return true;
    return false;
}

bool sdc_rule_is_primary(const char *rule)
{
    return listed(rule, primary, sizeof primary / sizeof primary[0]);
}

bool sdc_rule_is_fixable(const char *rule)
{
    return sdc_rule_is_primary(rule) ||
           listed(rule, secondary, sizeof secondary / sizeof secondary[0]);
}
