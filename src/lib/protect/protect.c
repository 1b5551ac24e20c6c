/*
 * protect.c - complementary suppression in the mode asked for (see
 * protect.h).
 *
 * The heuristic (heuristic.c) protects tables of any size; the optimal
 * mode (protect_optimal.c, GLPK's MIP) hides the fewest cells on small
 * tables (protection levels included) and hands a table back to the
 * heuristic, from the table as given, when it is too large or runs out of
 * time. The note says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protect/protect_internal.h"
#include "sdccheck/protect.h"

int sdc_table_protect_mode(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                           sdc_suppress_mode mode, double time_limit, sdc_protect_result *out)
{
    if (mode == SDC_SUPPRESS_HEURISTIC)
        return sdc_table_protect(t, p, scanner, out);
    memset(out, 0, sizeof *out);
    if (t->shape == SDC_SHAPE_REGRESSION || t->truncated)
        return 0;
    char why[sizeof out->note - 64];
    why[0] = 0;
    /* Kept, so that the heuristic can start again from the table as
     * given (knowing which values were published) if the optimal mode
     * declines, and so that the optimal mode knows which cells are
     * sensitive (protection levels). */
    size_t ncells = t->nrows * t->ncols;
    sdc_cell *given = malloc(ncells * sizeof *given + 1);
    if (!given)
        return -1;
    memcpy(given, t->cells, ncells * sizeof *given);
    out->primary = sdc_protect_primary(t, p, scanner);
    size_t secondary = 0;
    int rc = sdc_protect_optimal(t, p, given, time_limit, &secondary, why, sizeof why);
    if (rc == 1) {
        out->secondary = secondary;
        out->optimal = true;
        out->protected_ok = true;
    } else {
        memcpy(t->cells, given, ncells * sizeof *given);
    }
    free(given);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    if (sdc_table_protect(t, p, scanner, out) < 0)
        return -1;
    out->fell_back = true;
    snprintf(out->note, sizeof out->note, "optimal suppression not used (%s): heuristic instead",
             why[0] ? why : "no solution");
    return 0;
}
