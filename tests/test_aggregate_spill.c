/* test_aggregate_spill.c - `protect --unit` past its memory budget: the
 * units go to sorted runs on disk and are merged at the end
 * (aggregate_spill.c). The table must be the in-memory one, whose counts
 * the tests work out from how they generate the records. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "read/aggregate_internal.h"
#include "helpers.h"

static sdc_policy *policy;
static char dir[64];
static void setup(void)
{
    policy = sdc_policy_default();
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "spill"));
    /* The runs go to the test's folder (they are unlinked as made). */
    cr_assert_eq(setenv("TMPDIR", dir, 1), 0);
    cr_assert_eq(unsetenv("SDCCHECK_UNIT_MEMORY"), 0);
}
static void teardown(void)
{
    sdc_policy_free(policy);
    temp_dir_remove(dir);
}
TestSuite(spill, .init = setup, .fini = teardown);

/* The table of PATH by SPEC with WORKERS pieces and a units budget of
 * BUDGET bytes (0: the default), as CSV text; or "error: ..." (malloc'd). */
static char *table_text(const char *path, const sdc_aggregate_spec *spec, unsigned workers,
                        size_t budget)
{
    sdc_aggregate_tuning tuning = {.workers = workers, .min_chunk = 1, .unit_memory = budget};
    char *text = NULL;
    sdc_status st = {0};
    sdc_table *t = sdc_aggregate_file_tuned(path, policy, spec, &tuning, &st);
    if (!t) {
        cr_assert_neq(st.code, SDC_OK, "a failure says why");
        cr_assert_geq(asprintf(&text, "error: %s", st.message), 0);
        return text;
    }
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_eq(sdc_table_write_csv(t, ',', m), 0);
    fclose(m);
    sdc_table_free(t);
    return text;
}

/* ---- records whose counts the generator knows ---- */

#define UNITS 1000
#define REGIONS 5
static const char *const region_name[REGIONS + 1] = {"East",  "Midlands", "North",
                                                     "South", "West",     "Total"};
static const char *const sex_name[3] = {"F", "M", "Total"};

/* Unit I's rows: 1 to 4 of them, each in a cell and with a value that
 * follow from I and the row's number R. */
static unsigned rows_of(unsigned i)
{
    return 1 + i % 4;
}
static unsigned region_of(unsigned i, unsigned r)
{
    return (i * 7 + r * 3) % REGIONS;
}
static unsigned sex_of(unsigned i, unsigned r)
{
    return (i / 3 + r) % 2;
}
static unsigned value_of(unsigned i, unsigned r)
{
    return 1 + (i * 37 + r * 11) % 500;
}

/* Unit I's id as its field in the file: short ids, long ids that share
 * their first 40 bytes, and quoted ids holding the delimiter. */
static void id_field(unsigned i, char *buf, size_t size)
{
    if (i % 3 == 0)
        snprintf(buf, size, "u%u", i);
    else if (i % 3 == 1)
        snprintf(buf, size, "person-with-a-long-identifier-0000000000-%u", i);
    else
        snprintf(buf, size, "\"id,%u\"", i);
}

/* The records file: row r of every unit that has one, for r = 0 to 3, so
 * that a unit's rows are far apart (in different pieces and runs). */
static char *write_records(void)
{
    char *path = NULL;
    cr_assert_geq(asprintf(&path, "%s/records.csv", dir), 0);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "region,person,sex,income\n");
    for (unsigned r = 0; r < 4; r++)
        for (unsigned i = 0; i < UNITS; i++)
            if (r < rows_of(i)) {
                char id[80];
                id_field(i, id, sizeof id);
                fprintf(f, "%s,%s,%s,%u\n", region_name[region_of(i, r)], id,
                        sex_name[sex_of(i, r)], value_of(i, r));
            }
    cr_assert_eq(fclose(f), 0);
    return path;
}

typedef struct expected_cell {
    unsigned long units, sum, max1, max2;
} expected_cell;

/* Every cell of the table, worked out unit by unit: a unit counts once in
 * each cell (margins included) it has a row in, with its rows' values
 * there summed into one contribution. */
static void expected_cells(expected_cell e[REGIONS + 1][3])
{
    memset(e, 0, sizeof(expected_cell) * (REGIONS + 1) * 3);
    for (unsigned i = 0; i < UNITS; i++) {
        unsigned long contribution[REGIONS + 1][3] = {{0}};
        bool in[REGIONS + 1][3] = {{false}};
        for (unsigned r = 0; r < rows_of(i); r++) {
            unsigned regions[2] = {region_of(i, r), REGIONS}, sexes[2] = {sex_of(i, r), 2};
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++) {
                    in[regions[a]][sexes[b]] = true;
                    contribution[regions[a]][sexes[b]] += value_of(i, r);
                    e[regions[a]][sexes[b]].sum += value_of(i, r);
                }
        }
        for (unsigned a = 0; a <= REGIONS; a++)
            for (unsigned b = 0; b < 3; b++) {
                if (!in[a][b])
                    continue;
                expected_cell *c = &e[a][b];
                unsigned long v = contribution[a][b];
                c->units++;
                if (v > c->max1) {
                    c->max2 = c->max1;
                    c->max1 = v;
                } else if (v > c->max2) {
                    c->max2 = v;
                }
            }
    }
}

/* TEXT is the table of expected_cells: each cell's line, and no others. */
static void assert_expected_table(const char *text)
{
    expected_cell e[REGIONS + 1][3];
    expected_cells(e);
    cr_assert_eq(strncmp(text, "region,sex,n,income,income_max1,income_max2\n", 44), 0, "%.200s",
                 text);
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    cr_assert_eq(lines, 1 + (REGIONS + 1) * 3, "%s", text);
    for (unsigned a = 0; a <= REGIONS; a++)
        for (unsigned b = 0; b < 3; b++) {
            char line[160];
            snprintf(line, sizeof line, "\n%s,%s,%lu,%lu,%lu,%lu\n", region_name[a], sex_name[b],
                     e[a][b].units, e[a][b].sum, e[a][b].max1, e[a][b].max2);
            cr_assert_not_null(strstr(text, line), "no line%sin\n%s", line, text);
        }
}

Test(spill, distinct_units_are_counted_exactly_in_memory_and_from_runs_on_disk)
{
    char *path = write_records();
    const char *by[] = {"region", "sex"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2, .value = "income", .unit = "person"};
    /* The generator's arithmetic, in memory: all units (and Total) once. */
    expected_cell e[REGIONS + 1][3];
    expected_cells(e);
    cr_assert_eq(e[REGIONS][2].units, UNITS);
    char *memory = table_text(path, &spec, 1, 0);
    assert_expected_table(memory);
    /* A budget of one byte writes a run per record (2,500 runs: merged
     * 64 at a time first); 32 KiB a few runs (64 KiB already needs them:
     * the test below); in 1 to 3 pieces. */
    static const size_t budgets[] = {1, 32 * 1024};
    for (size_t b = 0; b < 2; b++)
        for (unsigned workers = 1; workers <= 3; workers++) {
            char *disk = table_text(path, &spec, workers, budgets[b]);
            cr_assert_str_eq(disk, memory, "budget %zu, %u pieces", budgets[b], workers);
            free(disk);
        }
    free(memory);
    /* Without a value column the runs carry no sums; the counts are the
     * same as with one. */
    sdc_aggregate_spec counts = {.by = by, .nby = 2, .unit = "person"};
    char *plain = table_text(path, &counts, 1, 0);
    char line[96];
    snprintf(line, sizeof line, "\nTotal,Total,%lu\n", e[REGIONS][2].units);
    cr_assert_not_null(strstr(plain, line), "%s", plain);
    snprintf(line, sizeof line, "\nNorth,F,%lu\n", e[2][0].units);
    cr_assert_not_null(strstr(plain, line), "%s", plain);
    for (unsigned workers = 1; workers <= 2; workers++) {
        char *disk = table_text(path, &counts, workers, 1);
        cr_assert_str_eq(disk, plain, "%u pieces", workers);
        free(disk);
    }
    free(plain);
    free(path);
}

Test(spill, the_small_budget_does_write_runs_and_the_default_does_not)
{
    /* TMPDIR where no file can be made: only a run would need one. */
    char *path = write_records();
    const char *by[] = {"region", "sex"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2, .value = "income", .unit = "person"};
    char missing[96];
    snprintf(missing, sizeof missing, "%s/no-such-folder", dir);
    cr_assert_eq(setenv("TMPDIR", missing, 1), 0);
    char *memory = table_text(path, &spec, 2, 0);
    assert_expected_table(memory);
    char *disk = table_text(path, &spec, 2, 64 * 1024);
    cr_assert_not_null(strstr(disk, "error: cannot make a temporary file for the units in "), "%s",
                       disk);
    cr_assert_not_null(strstr(disk, "No such file or directory"), "%s", disk);
    free(memory);
    free(disk);
    free(path);
}

Test(spill, the_budget_can_come_from_the_environment)
{
    char *path = write_records();
    const char *by[] = {"region", "sex"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2, .value = "income", .unit = "person"};
    char missing[96];
    snprintf(missing, sizeof missing, "%s/no-such-folder", dir);
    cr_assert_eq(setenv("TMPDIR", missing, 1), 0);
    /* 16K: the units pass it, and there is no folder to write them to. */
    cr_assert_eq(setenv("SDCCHECK_UNIT_MEMORY", "16K", 1), 0);
    char *small = table_text(path, &spec, 1, 0);
    cr_assert_not_null(strstr(small, "error: cannot make a temporary file"), "%s", small);
    /* 1G holds them all; a value that is not a size is the default. */
    static const char *const roomy[] = {"1G", "1073741824", "lots", "16Q", "0"};
    for (size_t k = 0; k < 5; k++) {
        cr_assert_eq(setenv("SDCCHECK_UNIT_MEMORY", roomy[k], 1), 0);
        char *big = table_text(path, &spec, 1, 0);
        assert_expected_table(big);
        free(big);
    }
    free(small);
    free(path);
}

Test(spill, a_full_disk_is_an_error_never_a_wrong_count)
{
    char *path = write_records();
    const char *by[] = {"region", "sex"};
    sdc_aggregate_spec spec = {.by = by, .nby = 2, .value = "income", .unit = "person"};
    /* Files may not grow past 8 KiB from here: a write past it fails with
     * EFBIG (its signal ignored), as one on a full disk fails with ENOSPC. */
    struct rlimit old, small;
    cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = (struct rlimit){8192, old.rlim_max};
    signal(SIGXFSZ, SIG_IGN);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    char *disk = table_text(path, &spec, 2, 64 * 1024);
    char *tiny = table_text(path, &spec, 1, 1);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    cr_assert_not_null(strstr(disk, "error: cannot write the units to a temporary file: File too "
                                    "large"),
                       "%s", disk);
    cr_assert_eq(strncmp(tiny, "error: cannot write the units", 29), 0, "%s", tiny);
    free(disk);
    free(tiny);
    free(path);
}

Test(spill, dominance_sums_each_units_rows_before_the_largest_are_taken)
{
    /* In North: A has three rows of 50 (150), B one of 100, C two of 40
     * (80). By rows the largest would be 100 and 50; by units they are
     * A's 150 and B's 100. D's rows are in North and South: it counts once
     * in Total with 30 + 45 = 75. */
    char *path = put_file(dir, "dominance.csv",
                          "unit,region,turnover\n"
                          "A,North,50\nB,North,100\nC,North,40\nD,North,30\nA,North,50\n"
                          "E,South,20\nC,North,40\nD,South,45\nA,North,50\n");
    cr_assert_not_null(path);
    const char *by[] = {"region"};
    sdc_aggregate_spec spec = {.by = by, .nby = 1, .value = "turnover", .unit = "unit"};
    const char *want = "region,n,turnover,turnover_max1,turnover_max2\n"
                       "North,4,360,150,100\n"
                       "South,2,65,45,20\n"
                       "Total,5,425,150,100\n";
    for (size_t budget = 0; budget < 3; budget++)
        for (unsigned workers = 1; workers <= 2; workers++) {
            char *got = table_text(path, &spec, workers, budget);
            cr_assert_str_eq(got, want, "budget %zu, %u pieces", budget, workers);
            free(got);
        }
    free(path);
}
