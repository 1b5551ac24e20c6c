/*
 * aggregate.c - a table with every margin, built from records (doc/design.md, "Safe tables from
 * microdata"): the entry points, which plan the work and lay out the result.
 *
 * The records stream through libcsv once. Each record adds to its full cell
 * (one label per dimension); the margins (each subset of the dimensions
 * replaced by "Total") are derived from the full cells at the end
 * (aggregate_margins.c). A cell counts distinct units when a unit column is
 * given (a person with several rows counts once) and sums the value per
 * unit, so dominance is judged on units' contributions, not rows'. Memory
 * grows with the distinct cells and (cell, unit) pairs, not with the rows;
 * past a budget (SDC_AGG_UNIT_MEMORY) the units go to sorted runs on disk
 * and are merged by unit at the end (aggregate_spill.c), so tens of
 * millions of people take a few hundred MiB.
 *
 * A large regular file is split into one piece per core, each parsed by its
 * own libcsv parser on its own thread (aggregate_split.c finds where the
 * pieces start, aggregate_threads.c runs and merges them); a pipe or a
 * small file is one piece. The table is the same for any split. The files
 * and what they share are listed in aggregate_internal.h.
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

#include "core/arena.h"
#include "core/format.h"
#include "core/threads.h"
#include "read/aggregate_internal.h"
#include "sdccheck/protect.h"
#include "sdccheck/spec.h"
#include "read/sniff.h"
#include "table/table_build.h"

#define DEFAULT_MIN_CHUNK (8u << 20)

static int cmp_cells(const void *x, const void *y)
{
    return strcmp((*(const sdc_agg_cell *const *)x)->key, (*(const sdc_agg_cell *const *)y)->key);
}

/* Rows per thread below which the table's rows are made on one (a
 * thread costs more than a small table). */
#define ROWS_A_THREAD 50000

/* The table's rows made on several threads: the cells in key order, each
 * thread a run of them (sorted, then their rows set: sdc_table_builder_
 * set) with an arena of its own. */
typedef struct rows_job {
    const sdc_agg_cell **order, **sorted;
    size_t n, parts;
    const sdc_aggregate_spec *spec;
    const sdc_table_builder *b;
    sdc_cell *cells; /* the opened rows' */
    size_t width;
    struct sdc_arena *arena[SDC_THREADS_MAX];
    int rc[SDC_THREADS_MAX];
    size_t next; /* the next part to take (atomic) */
    bool fill;   /* false: sort the parts; true: set their rows */
} rows_job;

/* Where part P starts (P of J->parts: the end). */
static size_t part_start(const rows_job *j, size_t p)
{
    return j->n * (p < j->parts ? p : j->parts) / j->parts;
}

static void part_range(const rows_job *j, size_t p, size_t *lo, size_t *hi)
{
    *lo = part_start(j, p);
    *hi = part_start(j, p + 1);
}

/* Sets the rows of part P's cells (J->sorted LO..HI) into the opened
 * rows: the labels (the key's parts between the \x1f that join them:
 * never empty, never holding one: aggregate_csv.c, label_check), the
 * count (units or records), and with a value its sum and the two largest
 * contributions (0 when there are fewer); each label the row before's
 * cell again when it is the same. Returns 0, or -1 when out of memory. */
static int fill_part(rows_job *j, size_t p)
{
    size_t lo, hi;
    part_range(j, p, &lo, &hi);
    const sdc_aggregate_spec *spec = j->spec;
    struct sdc_arena *arena = j->arena[p];
    for (size_t c = lo; c < hi; c++) {
        const sdc_agg_cell *cell = j->sorted[c];
        sdc_cell *row = j->cells + c * j->width, *before = c > lo ? row - j->width : NULL;
        size_t nf = 0;
        for (size_t from = 0; from < cell->klen && nf < spec->nby; nf++) {
            size_t len = sdc_agg_label_len(cell->key, cell->klen, from);
            if (sdc_table_builder_set(j->b, arena, &row[nf], before ? &before[nf] : NULL,
                                      cell->key + from, len) < 0)
                return -1;
            from += len + 1;
        }
        for (; nf < spec->nby; nf++)
            if (sdc_table_builder_set(j->b, arena, &row[nf], NULL, "", 0) < 0)
                return -1;
        char number[64];
        snprintf(number, sizeof number, "%llu", spec->unit ? cell->units : cell->records);
        if (sdc_table_builder_set(j->b, arena, &row[nf++], NULL, number, strlen(number)) < 0)
            return -1;
        if (spec->value) {
            /* Exactly: a sum rounded to ten digits would no longer add up. */
            double v[3] = {sdc_xsum_value(&cell->sum), cell->top.n > 0 ? cell->top.v[0] : 0,
                           cell->top.n > 1 ? cell->top.v[1] : 0};
            for (int k = 0; k < 3; k++) {
                sdc_format_number(v[k], number, sizeof number);
                if (sdc_table_builder_set(j->b, arena, &row[nf++], NULL, number, strlen(number)) <
                    0)
                    return -1;
            }
        }
    }
    return 0;
}

static void *rows_worker(void *arg)
{
    rows_job *j = arg;
    for (size_t p; sdc_threads_take(&j->next, j->parts, &p);) {
        size_t lo, hi;
        part_range(j, p, &lo, &hi);
        if (!j->fill)
            qsort(j->order + lo, hi - lo, sizeof *j->order, cmp_cells);
        else
            j->rc[p] = fill_part(j, p);
    }
    return NULL;
}

/* Merges J's sorted parts into J->sorted (two at a time, into J->order
 * and back: the parts are few). */
static void merge_parts(rows_job *j)
{
    size_t parts = j->parts;
    const sdc_agg_cell **from = j->order, **to = j->sorted;
    size_t width = 1; /* parts a run covers */
    while (width < parts) {
        for (size_t p = 0; p < parts; p += 2 * width) {
            size_t lo = part_start(j, p), mid = part_start(j, p + width);
            size_t hi = part_start(j, p + 2 * width), a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                to[o++] = strcmp(from[b]->key, from[a]->key) < 0 ? from[b++] : from[a++];
            while (a < mid)
                to[o++] = from[a++];
            while (b < hi)
                to[o++] = from[b++];
        }
        const sdc_agg_cell **x = from;
        from = to;
        to = x;
        width *= 2;
    }
    if (from != j->sorted)
        memcpy(j->sorted, from, j->n * sizeof *from);
}

/* The long table of CELLS, in the order of their keys, laid out; NULL
 * when out of memory (never a table with a row or a label missing). The
 * cells are sorted by address (an item is 112 bytes, its address 8), in
 * parts on the cores and merged, and their rows set in parts on the
 * cores, each label handed over where it is in its key; the table is the
 * same however many parts (every row's cells are its text's, classified
 * alone; a label repeating the row before's shares its cell). */
static sdc_table *table_of(sdc_agg_cellset *cells, const sdc_policy *policy,
                           const sdc_aggregate_spec *spec)
{
    rows_job j = {.n = cells->n, .spec = spec};
    size_t threads = sdc_threads_cores(), parts = cells->n / ROWS_A_THREAD;
    parts = parts < threads ? parts : threads;
    j.parts = parts ? parts : 1;
    j.order = malloc((cells->n + 1) * sizeof *j.order);
    j.sorted = malloc((cells->n + 1) * sizeof *j.sorted);
    sdc_table_builder *b = j.order && j.sorted ? sdc_table_builder_new(policy, false) : NULL;
    j.b = b;
    int rc = b ? 0 : -1;
    for (size_t p = 0; p < j.parts && rc == 0; p++)
        rc = (j.arena[p] = sdc_arena_new()) ? 0 : -1;
    const char *fields[SDC_AGG_MAX_BY + 4];
    size_t lens[SDC_AGG_MAX_BY + 4];
    char vname[3][160];
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
    if (rc == 0)
        rc = sdc_table_builder_add(b, fields, lens, nf, 1);
    if (rc == 0) {
        for (size_t c = 0; c < cells->n; c++)
            j.order[c] = &cells->items[c];
        sdc_run_threads((unsigned)j.parts, rows_worker, &j);
        merge_parts(&j);
        j.width = nf;
        j.cells = sdc_table_builder_open_rows(b, cells->n, nf, 2);
        rc = j.cells ? 0 : -1;
    }
    if (rc == 0) {
        j.fill = true;
        j.next = 0;
        sdc_run_threads((unsigned)j.parts, rows_worker, &j);
        for (size_t p = 0; p < j.parts; p++)
            rc = j.rc[p] < 0 ? -1 : rc;
    }
    for (size_t p = 0; p < j.parts; p++)
        if (b && rc == 0)
            sdc_table_builder_adopt(b, j.arena[p]);
        else
            sdc_arena_free(j.arena[p]);
    free(j.order);
    free(j.sorted);
    if (rc < 0) {
        sdc_table_builder_free(b);
        return NULL;
    }
    sdc_table *t = sdc_table_builder_finish(b, cells->n, false);
    if (t) {
        sdc_findings f = {0};
        sdc_table_infer_layout(t, policy, &f);
        sdc_findings_free(&f);
    }
    return t;
}

/* The merged pieces' table (or the first piece's error). */
static sdc_table *finish(sdc_agg_job *j, const sdc_policy *policy, sdc_status *st)
{
    sdc_agg_worker *base = sdc_agg_job_merge(j, st);
    if (!base)
        return NULL;
    sdc_agg_cellset out = {0};
    sdc_table *t = NULL;
    if (sdc_agg_margins_derive(base, j, &out, base->arena) == 0)
        t = table_of(&out, policy, j->spec);
    if (!t && j->spill->error[0])
        sdc_status_set(st, SDC_EIO, "%s", j->spill->error);
    else if (!t)
        sdc_status_set(st, SDC_ENOMEM, "out of memory");
    sdc_agg_cellset_free(&out);
    return t;
}

/* A job reading PATH: the file open, its first block read and its delimiter
 * sniffed; NULL with ST set when it cannot be opened or out of memory.
 * Free with job_free. */
static sdc_agg_job *job_open(const char *path, const sdc_policy *policy,
                             const sdc_aggregate_spec *spec, sdc_status *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        sdc_status_set(st, sdc_error_from_errno(errno), "%s: %s", path, strerror(errno));
        return NULL;
    }
    sdc_agg_job *j = calloc(1, sizeof *j);
    sdc_agg_spill *spill = calloc(1, sizeof *spill);
    unsigned char *first = malloc(SDC_READ_CHUNK);
    if (!j || !spill || !first) {
        free(j);
        free(spill);
        free(first);
        close(fd);
        sdc_status_set(st, SDC_ENOMEM, "out of memory");
        return NULL;
    }
    struct stat info;
    j->fd = fd;
    j->regular = fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
    j->size = j->regular ? (size_t)info.st_size : SIZE_MAX;
    j->spec = spec;
    j->spill = spill;
    j->total = policy->total_labels.count ? policy->total_labels.items[0] : "Total";
    j->total_len = strlen(j->total);
    j->total_labels = &policy->total_labels;
    j->missing = &policy->missing_markers;
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->changed, NULL);

    /* The first block picks the delimiter, as when checking a file. */
    ssize_t n;
    do
        n = j->regular ? pread(fd, first, SDC_READ_CHUNK, 0) : read(fd, first, SDC_READ_CHUNK);
    while (n < 0 && errno == EINTR);
    j->first = first;
    j->first_len = n > 0 ? (size_t)n : 0;
    sdc_delim_guess g = sdc_delimiter_sniff((const char *)first, j->first_len);
    j->delim = (unsigned char)g.delimiter;
    return j;
}

/* Frees J, its workers and its first block (its file is closed already). */
static void job_free(sdc_agg_job *j)
{
    for (unsigned i = 0; i < j->nworkers; i++)
        sdc_agg_worker_free(&j->workers[i]);
    pthread_mutex_destroy(&j->lock);
    pthread_cond_destroy(&j->changed);
    free(j->first);
    free(j->spill);
    free(j);
}

/* The units' memory budget: TUNING's, else SDCCHECK_UNIT_MEMORY's (bytes,
 * or with a K, M or G suffix: KiB, MiB, GiB), else SDC_AGG_UNIT_MEMORY. */
static size_t unit_memory(const sdc_aggregate_tuning *tuning)
{
    if (tuning && tuning->unit_memory)
        return tuning->unit_memory;
    const char *env = getenv("SDCCHECK_UNIT_MEMORY");
    char *end = NULL;
    errno = 0;
    unsigned long long n = env && *env >= '0' && *env <= '9' ? strtoull(env, &end, 10) : 0;
    unsigned shift = 0;
    if (end && *end) {
        shift = end[0] == 'K' ? 10 : end[0] == 'M' ? 20 : end[0] == 'G' ? 30 : 64;
        if (end[1])
            shift = 64; /* not a size: the default */
    }
    if (n == 0 || errno || shift == 64 || n > (SIZE_MAX >> shift))
        return SDC_AGG_UNIT_MEMORY;
    return (size_t)n << shift;
}

/* How many pieces J's file is cut into (one per core, none smaller than
 * the tuning's minimum, one for a pipe) and where each should start. */
static void plan_pieces(sdc_agg_job *j, const sdc_aggregate_tuning *tuning)
{
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
    j->spill->budget = unit_memory(tuning) / workers;
}

sdc_table *sdc_aggregate_file_tuned(const char *path, const sdc_policy *policy,
                                    const sdc_aggregate_spec *spec,
                                    const sdc_aggregate_tuning *tuning, sdc_status *st)
{
    if (spec->nby == 0 || spec->nby > SDC_AGG_MAX_BY) {
        sdc_status_set(st, SDC_EINVAL, "--by names 1 to %d columns", SDC_AGG_MAX_BY);
        return NULL;
    }
    size_t levels = 0;
    for (size_t b = 0; b < spec->nby; b++)
        levels += spec->levels ? sdc_table_spec_level_depth(spec->levels, spec->by[b]) : 1;
    if (levels > SDC_AGG_MAX_LEVELS) {
        sdc_status_set(st, SDC_EINVAL,
                       "the declared levels and the other columns make %zu levels of labels: at "
                       "most %d fit",
                       levels, SDC_AGG_MAX_LEVELS);
        return NULL;
    }
    sdc_agg_job *j = job_open(path, policy, spec, st);
    if (!j)
        return NULL;
    plan_pieces(j, tuning);
    bool ok = true;
    for (unsigned i = 0; i < j->nworkers; i++)
        if (sdc_agg_worker_init(&j->workers[i], j, i) < 0)
            ok = false;
    if (ok)
        sdc_agg_job_run(j);
    else
        j->workers[0].oom = true;
    close(j->fd);
    sdc_table *t = finish(j, policy, st);
    job_free(j);
    return t;
}

sdc_table *sdc_aggregate_file(const char *path, const sdc_policy *policy,
                              const sdc_aggregate_spec *spec, sdc_status *st)
{
    return sdc_aggregate_file_tuned(path, policy, spec, NULL, st);
}
