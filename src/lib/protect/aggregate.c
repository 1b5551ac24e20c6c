/*
 * aggregate.c - a table with every margin, built from records (SPEC 7).
 *
 * The records stream through libcsv once. Each record adds to its full cell
 * (one label per dimension); the margins (each subset of the dimensions
 * replaced by "Total": 2^k cells for k dimensions) are derived from the
 * full cells at the end, so a record costs one hash lookup, not 2^k. A cell
 * counts distinct units when a unit column is given (a person with several
 * rows counts once) and sums the value per unit, so dominance is judged on
 * units' contributions, not rows'. With units, each unit keeps its
 * contribution to the first full cell it is seen in, and a (cell, unit)
 * pair for each other full cell; a margin's units and contributions are
 * gathered unit by unit at the end, so a unit in two full cells counts once
 * in their margin, with its contributions summed. Memory grows with the
 * distinct cells and (cell, unit) pairs, not with the rows.
 *
 * A large regular file is split into one piece per core, each parsed by its
 * own libcsv parser on its own thread. A piece must start at a record
 * boundary, which a byte offset alone cannot tell (a quoted field may hold
 * newlines): the split point is the first line end past the piece's target
 * offset with an even number of quote characters before it, which is a
 * record boundary in any RFC 4180 file. The previous piece's parser checks
 * it: it parses up to the split point and stops only if libcsv is between
 * records there; otherwise (a file that is not RFC 4180, where libcsv reads
 * quotes differently) it parses on, and the next piece's work is dropped.
 * The pieces' cells are merged in file order; counts add up, sums are exact
 * (aggregate_sum.h) and the largest contributions are ranked after
 * merging, so the table is the same for any split, and records are
 * numbered across pieces in errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "protect/aggregate_internal.h"
#include "protect/aggregate_sum.h"
#include "core/arena.h"
#include "sdccheck/protect.h"
#include "read/sniff.h"
#include "table/table_build.h"

#define DEFAULT_MIN_CHUNK (8u << 20)

/* ---- the parse on threads ---- */

static void *worker_main(void *arg)
{
    sdc_agg_worker *w = arg;
    sdc_agg_job *j = w->job;
    if (w->index > 0) {
        sdc_agg_boundary_find(w);
        pthread_mutex_lock(&j->lock);
        while (j->header_state == 0)
            pthread_cond_wait(&j->changed, &j->lock);
        bool header = j->header_state > 0;
        pthread_mutex_unlock(&j->lock);
        if (!header)
            return NULL;
        sdc_agg_worker_start_body(w);
    }
    size_t pos = sdc_agg_boundary_wait(j, w->index);
    for (unsigned b = w->index + 1; b <= j->nworkers; b++) {
        /* Up to the next piece's target, then to its start once known. */
        if (b < j->nworkers && !sdc_agg_worker_parse(w, &pos, j->target[b]))
            break;
        size_t limit = b < j->nworkers ? sdc_agg_boundary_wait(j, b) : j->size;
        if (!sdc_agg_worker_parse(w, &pos, limit))
            break;
        if (b == j->nworkers || limit >= j->size || w->eof) {
            if (sdc_agg_worker_fini(w))
                w->end = j->nworkers;
            break;
        }
        /* Between records at the next piece's start: that piece is valid. */
        if (sdc_agg_worker_between_records(w)) {
            w->end = b;
            break;
        }
    }
    if (w->index == 0) {
        pthread_mutex_lock(&j->lock);
        if (j->header_state == 0)
            j->header_state = -1;
        pthread_cond_broadcast(&j->changed);
        pthread_mutex_unlock(&j->lock);
    }
    return NULL;
}

/* ---- merging the pieces ---- */

/* Adds FROM's cells, units and pairs to INTO. -1 when out of memory. */
static int worker_merge(sdc_agg_worker *into, const sdc_agg_worker *from)
{
    size_t *cell_to = malloc((from->cells.n + 1) * sizeof *cell_to);
    size_t *unit_to = malloc((from->units.n + 1) * sizeof *unit_to);
    int rc = cell_to && unit_to ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < from->cells.n; i++) {
        const sdc_agg_cell *c = &from->cells.items[i];
        size_t k = sdc_agg_cell_find(&into->cells, into->arena, c->key, c->klen, c->part, c->hash);
        if (k == SIZE_MAX) {
            rc = -1;
            break;
        }
        sdc_agg_cell *t = &into->cells.items[k];
        t->records += c->records;
        sdc_agg_top2_merge(&t->top, &c->top);
        rc = sdc_xsum_merge(&t->sum, &c->sum);
        cell_to[i] = k;
    }
    for (size_t i = 0; rc == 0 && i < from->units.n; i++) {
        const sdc_agg_unit *u = &from->units.items[i];
        size_t home = cell_to[u->home];
        unit_to[i] = sdc_agg_unit_find(&into->units, into->arena, u->text, u->len, u->hash, home);
        sdc_xsum *t = unit_to[i] == SIZE_MAX
                          ? NULL
                          : sdc_agg_contribution_find(&into->units, &into->pairs, unit_to[i], home);
        rc = t ? sdc_xsum_merge(t, &u->sum) : -1;
    }
    for (size_t i = 0; rc == 0 && i < from->pairs.n; i++) {
        const sdc_agg_pair *p = &from->pairs.items[i];
        sdc_xsum *t = sdc_agg_contribution_find(&into->units, &into->pairs, unit_to[p->unit],
                                                cell_to[p->cell]);
        rc = t ? sdc_xsum_merge(t, &p->sum) : -1;
    }
    free(cell_to);
    free(unit_to);
    return rc;
}

static int cmp_cells(const void *x, const void *y)
{
    return strcmp(((const sdc_agg_cell *)x)->key, ((const sdc_agg_cell *)y)->key);
}

/* The long table of CELLS (sorted here), laid out. */
static sdc_table *table_of(sdc_agg_cellset *cells, const sdc_policy *policy,
                           const sdc_aggregate_spec *spec)
{
    qsort(cells->items, cells->n, sizeof *cells->items, cmp_cells);
    sdc_table_builder *b = sdc_table_builder_new(policy, false);
    const char *fields[SDC_AGG_MAX_BY + 4];
    size_t lens[SDC_AGG_MAX_BY + 4];
    char numbers[4][64], vname[3][160];
    size_t nf = 0;
    for (size_t i = 0; i < spec->nby; i++)
        fields[nf++] = spec->by[i];
    fields[nf++] = "n";
    if (spec->value) {
        snprintf(vname[0], sizeof vname[0], "%s", spec->value);
        snprintf(vname[1], sizeof vname[1], "%s_max1", spec->value);
        snprintf(vname[2], sizeof vname[2], "%s_max2", spec->value);
        fields[nf++] = vname[0];
        fields[nf++] = vname[1];
        fields[nf++] = vname[2];
    }
    for (size_t i = 0; i < nf; i++)
        lens[i] = strlen(fields[i]);
    sdc_table_builder_add(b, fields, lens, nf, 1);
    for (size_t c = 0; c < cells->n; c++) {
        const sdc_agg_cell *cell = &cells->items[c];
        char *save = NULL, *copy = strdup(cell->key);
        nf = 0;
        for (char *tok = copy ? strtok_r(copy, "\x1f", &save) : NULL; tok && nf < spec->nby;
             tok = strtok_r(NULL, "\x1f", &save))
            fields[nf++] = tok;
        while (nf < spec->nby)
            fields[nf++] = "";
        snprintf(numbers[0], sizeof numbers[0], "%llu", spec->unit ? cell->units : cell->records);
        fields[nf++] = numbers[0];
        if (spec->value) {
            /* The two largest contributions (0 when there are fewer). */
            snprintf(numbers[1], sizeof numbers[1], "%.10g", sdc_xsum_value(&cell->sum));
            snprintf(numbers[2], sizeof numbers[2], "%.10g", cell->top.n > 0 ? cell->top.v[0] : 0);
            snprintf(numbers[3], sizeof numbers[3], "%.10g", cell->top.n > 1 ? cell->top.v[1] : 0);
            fields[nf++] = numbers[1];
            fields[nf++] = numbers[2];
            fields[nf++] = numbers[3];
        }
        for (size_t i = 0; i < nf; i++)
            lens[i] = strlen(fields[i]);
        sdc_table_builder_add(b, fields, lens, nf, (long)c + 2);
        free(copy);
    }
    sdc_table *t = sdc_table_builder_finish(b, cells->n, false);
    if (t) {
        sdc_findings f = {0};
        sdc_table_infer_layout(t, policy, &f);
        sdc_findings_free(&f);
    }
    return t;
}

/* The pieces that cover the file, in order; their first error (with its
 * record numbered across pieces), else the merged table. */
static sdc_table *finish(sdc_agg_job *j, const sdc_policy *policy, char **error)
{
    sdc_agg_worker *base = &j->workers[0];
    unsigned long long records_before = 0;
    const char *oom = "out of memory";
    for (unsigned i = 0; i < j->nworkers;) {
        sdc_agg_worker *w = &j->workers[i];
        const char *why = w->oom ? oom : w->error[0] ? w->error : NULL;
        if (!why && i == 0 && j->header_state < 0)
            why = j->header_error[0] ? j->header_error : "no records";
        if (why) {
            if (asprintf(error, "%s", why) < 0)
                *error = NULL;
            return NULL;
        }
        if (w->long_record) {
            if (asprintf(error, "record %llu: its labels are longer than %d bytes",
                         records_before + w->long_record, SDC_AGG_KEY_MAX - 1) < 0)
                *error = NULL;
            return NULL;
        }
        if (w->end <= i) { /* stopped without a reason: never expected */
            *error = strdup("the records could not be read");
            return NULL;
        }
        if (w != base && worker_merge(base, w) < 0) {
            *error = strdup(oom);
            return NULL;
        }
        records_before += w->records;
        i = w->end;
    }
    sdc_agg_cellset out = {0};
    sdc_table *t = NULL;
    if (sdc_agg_margins_derive(base, j, &out, base->arena) < 0)
        *error = strdup(oom);
    else
        t = table_of(&out, policy, j->spec);
    sdc_agg_cellset_free(&out);
    return t;
}

sdc_table *sdc_aggregate_file_tuned(const char *path, const sdc_policy *policy,
                                    const sdc_aggregate_spec *spec,
                                    const sdc_aggregate_tuning *tuning, char **error)
{
    *error = NULL;
    if (spec->nby == 0 || spec->nby > SDC_AGG_MAX_BY) {
        *error = strdup("--by names 1 to 8 columns");
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (asprintf(error, "%s: %s", path, strerror(errno)) < 0)
            *error = NULL;
        return NULL;
    }
    sdc_agg_job *j = calloc(1, sizeof *j);
    unsigned char *first = malloc(SDC_READ_CHUNK);
    if (!j || !first) {
        free(j);
        free(first);
        close(fd);
        *error = strdup("out of memory");
        return NULL;
    }
    struct stat st;
    j->fd = fd;
    j->regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    j->size = j->regular ? (size_t)st.st_size : SIZE_MAX;
    j->spec = spec;
    j->total = policy->total_labels.count ? policy->total_labels.items[0] : "Total";
    j->total_len = strlen(j->total);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->changed, NULL);

    /* The first block picks the delimiter, as when checking a file. */
    ssize_t n;
    do
        n = j->regular ? pread(fd, first, SDC_READ_CHUNK, 0) : read(fd, first, SDC_READ_CHUNK);
    while (n < 0 && errno == EINTR);
    j->first = first;
    j->first_len = n > 0 ? (size_t)n : 0;
    sdc_delim_guess g = sdc_sniff_delimiter((const char *)first, j->first_len);
    j->delim = (unsigned char)g.delimiter;

    unsigned workers = tuning && tuning->workers ? tuning->workers : 0;
    if (!workers) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        workers = cpus > 0 ? (unsigned)cpus : 1;
    }
    size_t min_chunk = tuning && tuning->min_chunk ? tuning->min_chunk : DEFAULT_MIN_CHUNK;
    if (workers > SDC_AGG_MAX_WORKERS)
        workers = SDC_AGG_MAX_WORKERS;
    if (!j->regular)
        workers = 1;
    else if (j->size / min_chunk < workers)
        workers = j->size / min_chunk > 1 ? (unsigned)(j->size / min_chunk) : 1;
    j->nworkers = workers;
    for (unsigned i = 0; i <= workers; i++)
        j->target[i] = i == workers ? j->size : (size_t)((double)j->size * i / workers);
    j->boundary[0] = 0;
    j->boundary_known[0] = true;
    j->boundary[workers] = j->size;
    j->boundary_known[workers] = true;

    bool ok = true;
    for (unsigned i = 0; i < workers; i++)
        if (sdc_agg_worker_init(&j->workers[i], j, i) < 0)
            ok = false;
    pthread_t threads[SDC_AGG_MAX_WORKERS];
    unsigned started = 1;
    if (!ok) {
        j->workers[0].oom = true;
    } else {
        for (; started < workers; started++)
            if (pthread_create(&threads[started], NULL, worker_main, &j->workers[started]) != 0)
                break;
        /* A thread that could not start gives no split: worker 0 reads on. */
        pthread_mutex_lock(&j->lock);
        for (unsigned i = started; i < workers; i++) {
            j->boundary[i] = j->size;
            j->boundary_known[i] = true;
        }
        pthread_mutex_unlock(&j->lock);
        worker_main(&j->workers[0]);
    }
    for (unsigned i = 1; i < started; i++)
        pthread_join(threads[i], NULL);
    close(fd);

    sdc_table *t = finish(j, policy, error);
    for (unsigned i = 0; i < workers; i++)
        sdc_agg_worker_free(&j->workers[i]);
    pthread_mutex_destroy(&j->lock);
    pthread_cond_destroy(&j->changed);
    free(first);
    free(j);
    return t;
}

sdc_table *sdc_aggregate_file(const char *path, const sdc_policy *policy,
                              const sdc_aggregate_spec *spec, char **error)
{
    return sdc_aggregate_file_tuned(path, policy, spec, NULL, error);
}
