/*
 * protect_optimal.c - optimal complementary suppression (GLPK MIP).
 * Placeholder until the model lands: always declines, so callers fall
 * back to the heuristic and say so.
 */
#include <stdio.h>

#include "protect_internal.h"

int sdc_protect_optimal(sdc_table *t, const sdc_policy *p, double time_limit, size_t *secondary,
                        char *why, size_t why_size)
{
    (void)t;
    (void)p;
    (void)time_limit;
    *secondary = 0;
    snprintf(why, why_size, "the optimal mode is not built yet");
    return 0;
}
