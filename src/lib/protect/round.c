/*
 * round.c - rounding counts to a base, the alternative to suppressing
 * complements (`sdccheck protect --mitigation round`).
 *
 * Conventional rounding to the nearest multiple, or OpenSAFELY's midpoint
 * rounding (1..base to base/2, base+1..2 base to 3 base/2, ...), where
 * zero stays zero.
 */
#include <math.h>
#include <stdio.h>

#include "sdccheck/protect.h"

size_t sdc_table_round_counts(sdc_table *t, long base, sdc_rounding_mode mode)
{
    if (base <= 0)
        return 0;
    size_t changed = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->columns[c].role != SDC_COL_COUNT)
            continue;
        for (size_t r = 0; r < t->nrows; r++) {
            sdc_cell *cell = &t->cells[r * t->ncols + c];
            if (cell->kind != SDC_CELL_NUMBER || cell->number < 0)
                continue;
            double v = cell->number, b = (double)base, rounded;
            if (mode == SDC_ROUND_MIDPOINT)
                rounded = v == 0 ? 0 : ceil(v / b) * b - b / 2;
            else
                rounded = round(v / b) * b;
            if (rounded == v)
                continue;
            char text[32];
            snprintf(text, sizeof text, "%.0f", rounded);
            const char *kept = sdc_table_keep_text(t, text);
            if (!kept)
                continue;
            cell->number = rounded;
            cell->text = kept;
            cell->is_integer = true;
            changed++;
        }
    }
    return changed;
}
