/*
 * records.c - a safe table from records: `sdccheck protect`
 * (doc/design.md, "Safe tables from microdata").
 *
 * The records are streamed once into the table of the dimensions asked
 * for with every margin (aggregate.c); declared hierarchies (a sidecar
 * beside the records, else the --table-spec declaration for them) say
 * which dimensions nest, so that margins repeating a child are not built.
 * Then counts are rounded when asked (the audit allows each total its
 * rounding error, and only what rounding cannot protect is suppressed) and
 * the table is protected: primary, then complementary suppression.
 */
#include <stdlib.h>
#include <string.h>

#include "sdccheck/protect.h"
#include "sdccheck/spec.h"

/* PARENT[b]: the index in BY of the column BY[b] rolls up to, or -1, as
 * declared for the records at PATH. Returns 0, or a code with ST. */
static int declared_parents(const char *path, const sdc_protect_request *req, int *parent,
                            sdc_status *st)
{
    sdc_table_spec *declared = NULL;
    sdc_status why = {0};
    char *sidecar = sdc_sidecar_path(path);
    if (sidecar)
        declared = sdc_table_spec_load(sidecar, &why);
    else if (req->table_spec)
        declared = sdc_table_spec_for(req->table_spec, path, &why);
    free(sidecar);
    if (why.code)
        return sdc_status_set(st, why.code, "%s", why.message);
    for (size_t b = 0; b < req->nby; b++) {
        const char *up = sdc_table_spec_parent_column(declared, req->by[b]);
        parent[b] = -1;
        for (size_t k = 0; up && k < req->nby; k++)
            if (strcmp(req->by[k], up) == 0)
                parent[b] = (int)k;
    }
    sdc_table_spec_free(declared);
    return 0;
}

int sdc_protect_records(const char *path, const sdc_policy *policy, const sdc_protect_request *req,
                        sdc_protect_outcome *out, sdc_status *st)
{
    memset(out, 0, sizeof *out);
    int parent[SDC_PROTECT_MAX_BY];
    if (req->nby == 0 || req->nby > SDC_PROTECT_MAX_BY)
        return sdc_status_set(st, SDC_EINVAL, "name 1 to %d columns to tabulate by",
                              SDC_PROTECT_MAX_BY);
    int rc = declared_parents(path, req, parent, st);
    if (rc < 0)
        return rc;
    sdc_aggregate_spec spec = {
        .by = req->by, .nby = req->nby, .value = req->value, .unit = req->unit, .parent = parent};
    sdc_status why = {0};
    sdc_table *t = sdc_aggregate_file(path, policy, &spec, &why);
    if (!t)
        return sdc_status_set(st, why.code ? why.code : SDC_ENOMEM, "%s",
                              why.code ? why.message : "out of memory");
    sdc_policy rounded = *policy; /* shallow: read-only, never freed */
    if (req->round_counts) {
        /* The policy's base, 5 when it sets none. */
        if (rounded.rounding_base <= 0)
            rounded.rounding_base = 5;
        out->rounding_base = rounded.rounding_base;
        out->rounded = sdc_table_round_counts(t, rounded.rounding_base, rounded.rounding_mode);
    }
    sdc_id_scanner *scanner = sdc_id_scanner_new(policy, NULL);
    rc = scanner ? sdc_table_protect_mode(t, req->round_counts ? &rounded : policy, scanner,
                                          req->mode, req->time_limit, &out->result)
                 : SDC_ENOMEM;
    sdc_id_scanner_free(scanner);
    if (rc < 0) {
        sdc_table_free(t);
        return sdc_status_set(st, SDC_ENOMEM, "out of memory protecting the table");
    }
    out->table = t;
    return SDC_OK;
}
