/*
 * link.c - the checked tables of a submission handed to the linked audit.
 *
 * The tables are the ones read when the files were checked (kept in their
 * results), never read again, so what was hashed is what is audited.
 */
#include <stdlib.h>

#include "check/checker.h"
#include "check/result.h"
#include "sdccheck/audit.h"

int sdc_check_linked(const sdc_checker *ck, sdc_file_result *const *files, size_t count)
{
    /* Nothing hidden anywhere: nothing to undo. */
    bool hidden = false;
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        bool linkable = sdc_result_linkable(files[i]);
        hidden |= linkable && files[i]->suppressed > 0;
        n += linkable;
    }
    if (!hidden)
        return 0;
    sdc_linked_table *tables = calloc(n + 1, sizeof *tables);
    if (!tables)
        return SDC_ENOMEM;
    n = 0;
    for (size_t i = 0; i < count; i++)
        if (sdc_result_linkable(files[i]))
            tables[n++] = (sdc_linked_table){files[i]->path, files[i]->table, &files[i]->findings};
    int rc = sdc_audit_linked(tables, n, ck->policy);
    free(tables);
    for (size_t i = 0; rc > 0 && i < count; i++)
        if (sdc_result_linkable(files[i]))
            sdc_result_finish(ck->policy, files[i]);
    return rc < 0 ? SDC_ENOMEM : SDC_OK;
}
