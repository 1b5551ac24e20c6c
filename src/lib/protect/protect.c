/*
 * protect.c - complementary suppression in the mode asked for (see
 * protect.h).
 *
 * The heuristic (heuristic.c) protects tables of any size; the optimal
 * mode (protect_optimal.c, GLPK's MIP) hides the fewest cells on small
 * tables (protection levels included) and hands a table back, from the
 * table as given, when it is too large or runs out of time: to the
 * modular mode's decomposition (a hierarchical table's subtables) and the
 * heuristic. The note says so. The modular mode (the default) gives each table
 * small enough for the optimal model to it, within a few seconds, and the
 * rest to the heuristic, silently: it is the heuristic's answer made
 * optimal where that is cheap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protect/protect_heuristic.h"
#include "protect/protect_internal.h"
#include "sdccheck/protect.h"
#include "table/grid.h"

/* The modular mode's optimal part: tables of at most this many cells of
 * their measures (a 30 x 30 crosstab with margins) ... */
#define MODULAR_MAX_CELLS 1000
/* With protection levels the model is harder (bench/optimal.sh: 8 x 8
 * tables take up to 5 s): only tables of at most this many cells. */
#define MODULAR_LEVELS_MAX_CELLS 150
/* ... solved within this many seconds (bench/optimal.sh: 20 x 20 tables
 * take 0.05 s at most). */
#define MODULAR_SECONDS 5.0
/* A hierarchical table too large for it is protected subtable by subtable
 * (modular.c), the subtables within this many seconds in all; those left
 * go to the heuristic with the rest. */
#define MODULAR_BUDGET 120.0

/* The cells of T's measures, or SIZE_MAX when there are more than LIMIT
 * (or memory runs out). */
static size_t measure_cells(const sdc_table *t, const sdc_policy *p, size_t limit)
{
    if (t->nrows * t->ncols > 8 * limit)
        return SIZE_MAX;
    size_t n = 0;
    long m;
    for (size_t at = 0; sdc_grid_next_measure(t, &at, &m) && n <= limit;) {
        sdc_grid g = {0};
        if (sdc_grid_build(t, p, m, &g) < 0) {
            sdc_grid_free(&g);
            return SIZE_MAX;
        }
        n += g.count;
        sdc_grid_free(&g);
    }
    return n <= limit ? n : SIZE_MAX;
}

/*
 * Primary suppression and the optimal complements within TIME_LIMIT.
 * Returns 1 when T is protected (OUT says how), 0 when the optimal mode
 * declined (T as given; WHY says why), -1 when out of memory.
 */
static int try_optimal(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                       double time_limit, sdc_protect_result *out, char *why, size_t why_size)
{
    /* Too large: declined before the copy below (317 MB on the 5-D bench
     * table, whose model was declined after it was built, at a peak of
     * 1.37 GiB where the rest of the run peaks at 0.77). */
    int large = sdc_protect_optimal_too_large(t, p, why, why_size);
    if (large != 0)
        return large < 0 ? -1 : 0;
    /* Kept, so that the heuristic can start again from the table as given
     * (knowing which values were published) if the optimal mode declines. */
    size_t ncells = t->nrows * t->ncols;
    sdc_cell *given = malloc(ncells * sizeof *given + 1);
    if (!given)
        return -1;
    memcpy(given, t->cells, ncells * sizeof *given);
    out->primary = sdc_protect_primary(t, p, scanner);
    bool *primary = malloc(ncells + 1);
    if (!primary) {
        free(given);
        return -1;
    }
    for (size_t i = 0; i < ncells; i++)
        primary[i] = t->cells[i].kind == SDC_CELL_SUPPRESSED;
    size_t secondary = 0;
    int rc = sdc_protect_optimal(t, p, given, time_limit, &secondary, why, why_size);
    if (rc == 1) {
        out->optimal = true;
        out->protected_ok = true;
        /* counted as the heuristic counts (known: published as given) */
        bool *known = malloc(ncells + 1);
        for (size_t i = 0; known && i < ncells; i++)
            known[i] = given[i].kind == SDC_CELL_NUMBER;
        if (known)
            sdc_protect_count(t, known, primary, out);
        else
            out->secondary = secondary;
        free(known);
    } else {
        memcpy(t->cells, given, ncells * sizeof *given);
        out->primary = 0;
    }
    free(primary);
    free(given);
    return rc;
}

int sdc_table_protect_mode(sdc_table *t, const sdc_policy *p, const sdc_id_scanner *scanner,
                           sdc_suppress_mode mode, double time_limit, sdc_protect_result *out)
{
    if (mode == SDC_SUPPRESS_HEURISTIC)
        return sdc_table_protect(t, p, scanner, out);
    memset(out, 0, sizeof *out);
    if (t->shape == SDC_SHAPE_REGRESSION || t->truncated)
        return 0;
    /* the optimal model's share in the modular mode, whole or per subtable */
    size_t max_cells = p->protection_lower > 0 || p->protection_upper > 0 ? MODULAR_LEVELS_MAX_CELLS
                                                                          : MODULAR_MAX_CELLS;
    char why[sizeof out->note - 100]; /* the note holds it and the longest fallback */
    why[0] = 0;
    if (mode == SDC_SUPPRESS_MODULAR || mode == SDC_SUPPRESS_QUICK) {
        if (measure_cells(t, p, max_cells) != SIZE_MAX) {
            int rc = try_optimal(t, p, scanner, MODULAR_SECONDS, out, why, sizeof why);
            if (rc != 0)
                return rc < 0 ? -1 : 0;
        }
        if (mode == SDC_SUPPRESS_QUICK)
            return sdc_protect_heuristic_quick(t, p, scanner, max_cells, MODULAR_SECONDS,
                                               MODULAR_BUDGET, out);
        return sdc_protect_heuristic_modular(t, p, scanner, max_cells, MODULAR_SECONDS,
                                             MODULAR_BUDGET, out);
    }
    int rc = try_optimal(t, p, scanner, time_limit, out, why, sizeof why);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    /* Declined: what the modular mode does with a table too large for the
     * optimal model whole (a hierarchical one split into subtables, each
     * given to it), then the heuristic's rounds, whose first round takes
     * cubes of any width on every grid however large: asked for the
     * fewest cells, it spends the audits that costs (heuristic.c). */
    if (sdc_protect_heuristic_fewest(t, p, scanner, max_cells, MODULAR_SECONDS, MODULAR_BUDGET,
                                     out) < 0)
        return -1;
    out->fell_back = true;
    snprintf(out->note, sizeof out->note, "optimal suppression not used (%s): %s instead",
             why[0] ? why : "no solution",
             out->subtables ? "its subtables by the optimal model and the heuristic" : "heuristic");
    return 0;
}
