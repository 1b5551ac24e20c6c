/*
 * checker.c - a checker: a policy, its compiled identifier patterns and the
 * run's settings, shared by every thread of a run.
 *
 * A checker holds only state that does not change once checking starts
 * (the libmagic handle loads itself on first use, behind its own lock), so
 * threads share one checker and each writes its own results.
 */
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "check/checker.h"
#include "sdccheck/spec.h"

sdc_checker *sdc_checker_new(const sdc_policy *policy, sdc_status *st)
{
    /* libxml2 is set up once, here, before threads read Office parts and
     * sheets with it. */
    xmlInitParser();
    sdc_checker *c = calloc(1, sizeof *c);
    if (c)
        c->magic = sdc_magic_new();
    if (!c || !c->magic) {
        free(c);
        sdc_status_set(st, SDC_ENOMEM, "out of memory");
        return NULL;
    }
    c->policy = policy;
    c->scanner = sdc_id_scanner_new(policy, st);
    if (!c->scanner) {
        sdc_magic_free(c->magic);
        free(c);
        return NULL;
    }
    return c;
}

void sdc_checker_free(sdc_checker *checker)
{
    if (!checker)
        return;
    sdc_id_scanner_free(checker->scanner);
    free(checker->table_spec);
    free(checker->microdata);
    sdc_magic_free(checker->magic);
    free(checker);
}

int sdc_checker_set_table_spec(sdc_checker *checker, const char *spec_file)
{
    free(checker->table_spec);
    checker->table_spec = spec_file ? strdup(spec_file) : NULL;
    return spec_file && !checker->table_spec ? SDC_ENOMEM : SDC_OK;
}

int sdc_checker_set_microdata(sdc_checker *checker, const char *data_path)
{
    free(checker->microdata);
    checker->microdata = data_path ? strdup(data_path) : NULL;
    return data_path && !checker->microdata ? SDC_ENOMEM : SDC_OK;
}

void sdc_checker_keep_tables(sdc_checker *checker, bool keep)
{
    checker->keep_tables = keep;
}

void sdc_checker_set_progress(sdc_checker *checker, const sdc_progress_hook *hook)
{
    checker->progress = hook ? *hook : (sdc_progress_hook){0};
}

const sdc_policy *sdc_checker_policy(const sdc_checker *checker)
{
    return checker->policy;
}

sdc_table *sdc_checker_read_table(const sdc_checker *ck, const char *path, sdc_table_spec **spec,
                                  sdc_findings *findings, sdc_status *st)
{
    *spec = NULL;
    sdc_table *t = sdc_table_read_file(path, ck->policy, findings, st);
    if (t && (*spec = sdc_table_spec_declared(path, ck->table_spec, findings)))
        sdc_table_spec_apply(*spec, t, findings);
    return t;
}
