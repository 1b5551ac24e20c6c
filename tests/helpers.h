/* helpers.h - small helpers shared by the Criterion tests. */
#ifndef SDC_TEST_HELPERS_H
#define SDC_TEST_HELPERS_H

#include <string.h>
#include "sdccheck/sdccheck.h"

/* Number of findings in LIST with rule id RULE. */
static inline size_t count_rule(const sdc_findings *list, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].rule, rule) == 0)
            n++;
    return n;
}

/* The first finding with rule id RULE, or NULL. */
static inline const sdc_finding *find_rule(const sdc_findings *list, const char *rule)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].rule, rule) == 0)
            return &list->items[i];
    return NULL;
}

#endif
