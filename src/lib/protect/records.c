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
 * declared for the records at PATH. Returns 0, or -1 with *ERROR. */
static int declared_parents(const char *path, const sdc_protect_request *req, int *parent,
                            char **error)
{
    sdc_table_spec *declared = NULL;
    char *sidecar = sdc_sidecar_path(path);
    if (sidecar)
        declared = sdc_table_spec_load(sidecar, error);
    else if (req->table_spec)
        declared = sdc_table_spec_for(req->table_spec, path, error);
    free(sidecar);
    if (*error)
        return -1;
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
                        sdc_protect_outcome *out, char **error)
{
    memset(out, 0, sizeof *out);
    *error = NULL;
    int parent[SDC_PROTECT_MAX_BY];
    if (req->nby == 0 || req->nby > SDC_PROTECT_MAX_BY) {
        *error = strdup("name 1 to 8 columns to tabulate by");
        return -1;
    }
    if (declared_parents(path, req, parent, error) < 0)
        return -1;
    sdc_aggregate_spec spec = {
        .by = req->by, .nby = req->nby, .value = req->value, .unit = req->unit, .parent = parent};
    sdc_table *t = sdc_aggregate_file(path, policy, &spec, error);
    if (!t) {
        if (!*error)
            *error = strdup("could not build the table");
        return -1;
    }
    sdc_policy rounded = *policy; /* shallow: read-only, never freed */
    if (req->round_counts) {
        /* The policy's base, 5 when it sets none. */
        if (rounded.rounding_base <= 0)
            rounded.rounding_base = 5;
        out->rounding_base = rounded.rounding_base;
        out->rounded = sdc_table_round_counts(t, rounded.rounding_base, rounded.rounding_mode);
    }
    char *err = NULL;
    sdc_id_scanner *scanner = sdc_id_scanner_new(policy, &err);
    free(err);
    int rc = sdc_table_protect_mode(t, req->round_counts ? &rounded : policy, scanner, req->mode,
                                    req->time_limit, &out->result);
    sdc_id_scanner_free(scanner);
    if (rc < 0) {
        sdc_table_free(t);
        *error = strdup("could not protect the table");
        return -1;
    }
    out->table = t;
    return 0;
}
