/*
 * sidecar.c - where a table's declared layout comes from.
 *
 * A researcher declares a layout in a sidecar NAME.sdc.yaml beside NAME.csv,
 * or for many tables in one --table-spec file; the sidecar wins. Only files
 * on disk have sidecars: an archive member has nothing beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sdccheck/spec.h"

char *sdc_sidecar_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
    char *sidecar = NULL;
    return asprintf(&sidecar, "%.*s.sdc.yaml", (int)stem, path) < 0 ? NULL : sidecar;
}

char *sdc_sidecar_path(const char *path)
{
    if (strchr(path, '!'))
        return NULL; /* a container member has no file beside it */
    char *sidecar = sdc_sidecar_name(path);
    if (sidecar && access(sidecar, F_OK) != 0) {
        free(sidecar);
        return NULL;
    }
    return sidecar;
}

sdc_table_spec *sdc_table_spec_declared(const char *path, const char *spec_file,
                                        sdc_findings *findings)
{
    sdc_status st = {0};
    sdc_table_spec *spec = NULL;
    char *sidecar = sdc_sidecar_path(path);
    if (sidecar)
        spec = sdc_table_spec_load(sidecar, &st);
    free(sidecar);
    if (!spec && !st.code && spec_file)
        spec = sdc_table_spec_for(spec_file, path, &st);
    if (st.code) {
        sdc_finding_at at = {.advice = "correct the declared layout"};
        sdc_findings_add(findings, "malformed", SDC_REVIEW, &at,
                         "the declared layout could not be read: %s", st.message);
    }
    return spec;
}
