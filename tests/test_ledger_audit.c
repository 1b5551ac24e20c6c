/*
 * test_ledger_audit.c - the audit across releases: `release` records each
 * table cell by cell, and `check --ledger` audits new tables with the
 * released ones (sdccheck(1), --ledger; sdccheck-ledger(5); doc/design.md,
 * "The audit across releases").
 *
 * The tables are in testdata/ledger/, small enough that every number the
 * tests expect is worked out by hand in the comments. What the ledger
 * holds is read with Debian's sqlite3 shell, hashes come from sha256sum,
 * and JSON reports are read with /usr/bin/python3: nothing expected comes
 * from sdccheck itself. The release's date is read from the ledger with
 * sqlite3, since it is the time the test ran.
 */
#include <criterion/criterion.h>
#include <grp.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "ledger_helpers.h"

#define NOBODY 65534

static char dir[128];

static void setup(void)
{
    SDC_TEST_NEED_TOOL(SQLITE3, "sqlite3");
    SDC_TEST_NEED_TOOL(PYTHON3, "python3");
    cr_assert_not_null(temp_dir_make(dir, sizeof dir, "ledger-audit"));
}

static void teardown(void)
{
    chmod(dir, 0700);
    cr_assert_eq(temp_dir_remove(dir), 0);
}

TestSuite(ledger_audit, .init = setup, .fini = teardown, .timeout = 120);

/* Checks testdata/ledger/WHAT... into DIR/NAME.json (exit 0 expected) and
 * releases it into DIR/ledger.db as release WANT_ID. */
static void release_of(const char *what, int want_id)
{
    run r = sdc(dir, "-q -f json -o '%s/r%d.json' %s", dir, want_id, what);
    cr_assert_eq(r.status, 0, "check of %s: exit %d; %s", what, r.status, r.err);
    run_free(&r);
    r = sdc(dir, "release --ledger '%s/ledger.db' --reviewer ann '%s/r%d.json'", dir, dir, want_id);
    cr_assert_eq(r.status, 0, "release: exit %d; %s", r.status, r.err);
    char want[64];
    snprintf(want, sizeof want, "release %d:", want_id);
    cr_assert(strstr(r.out, want), "%s", r.out);
    run_free(&r);
}

static char *release_date(int id);

/* The findings of a JSON report, one line each:
 * PATH|RULE|VERDICT|LINE|VALUE|MESSAGE. */
static char *findings_of(const char *report)
{
    return shell_out(PYTHON3
                     " -c \"import json, sys\n"
                     "r = json.load(open(sys.argv[1]))\n"
                     "for f in r['files']:\n"
                     "    for x in f['findings']:\n"
                     "        print(f['path'], x['rule'], x['verdict'], x['line'], x['value'], "
                     "x['message'], sep='|')\" '%s'",
                     report);
}

/* Checks PATHS (shell words) with --ledger DIR/ledger.db into
 * DIR/NAME.json; the exit status must be WANT. Returns the report's
 * findings (findings_of). */
static char *check_with_ledger(const char *paths, const char *name, int want)
{
    run r =
        sdc(dir, "check --ledger '%s/ledger.db' -f json -o '%s/%s.json' %s", dir, dir, name, paths);
    cr_assert_eq(r.status, want, "check %s: exit %d, %d expected; %s", paths, r.status, want,
                 r.err);
    run_free(&r);
    char report[200];
    snprintf(report, sizeof report, "%s/%s.json", dir, name);
    return findings_of(report);
}

/* Writes TEXT as DIR/FOLDER/FILE (the folder made); WORDS (SIZE bytes)
 * receives the folder as a quoted shell word. */
static void put_table(char *words, size_t size, const char *folder, const char *file,
                      const char *text)
{
    char path[200];
    snprintf(path, sizeof path, "%s/%s", dir, folder);
    cr_assert_eq(mkdir(path, 0755), 0, "%s", path);
    char *made = put_file(path, file, text);
    cr_assert_not_null(made, "%s/%s", path, file);
    free(made);
    snprintf(words, size, "'%s'", path);
}

/* How messages name release 1 of PATH: "PATH (release 1 of DATE)". */
static void release_name(char *out, size_t size, const char *path)
{
    char *when = release_date(1);
    snprintf(out, size, "%s (release 1 of %s)", path, when);
    free(when);
}

/* The verdict of PATH in a JSON report. */
static char *verdict_of(const char *report, const char *path)
{
    return shell_out(PYTHON3
                     " -c \"import json, sys\n"
                     "r = json.load(open(sys.argv[1]))\n"
                     "print([f['verdict'] for f in r['files'] if f['path'] == sys.argv[2]][0])\" "
                     "'%s' '%s'",
                     report, path);
}

/* The line of LINES holding every one of the NULL-terminated WORDS, or
 * NULL. */
static const char *line_with(const char *lines, const char *const *words)
{
    for (const char *l = lines; l && *l;) {
        const char *end = strchr(l, '\n');
        size_t n = end ? (size_t)(end - l) : strlen(l);
        bool all = true;
        for (const char *const *w = words; *w && all; w++) {
            const char *at = memmem(l, n, *w, strlen(*w));
            all = at != NULL;
        }
        if (all)
            return l;
        l = end ? end + 1 : NULL;
    }
    return NULL;
}

static char *release_date(int id)
{
    char ledger[200], q[96];
    snprintf(ledger, sizeof ledger, "%s/ledger.db", dir);
    snprintf(q, sizeof q, "SELECT released_at FROM release WHERE id = %d", id);
    return sql(ledger, q);
}

Test(ledger_audit, release_records_each_table_cell_by_cell_with_the_bounds_of_its_markers)
{
    /* by_region_sex.csv: region (North, South, East) by sex (M, F, Total),
     * North's M and F hidden as "c", and the grand total (Total, Total);
     * by_age.csv: 0-15 hidden as "<10". */
    release_of("testdata/ledger/march testdata/ledger/ages", 1);
    char ledger[200];
    snprintf(ledger, sizeof ledger, "%s/ledger.db", dir);
    const char *t = "(SELECT t.id FROM released_table t JOIN file f ON f.id = t.file_id WHERE "
                    "f.path LIKE '%%by_region_sex.csv')";
    char q[1024];
    snprintf(q, sizeof q,
             "SELECT group_concat(name, ',') FROM (SELECT name FROM table_dimension WHERE "
             "table_id = %s ORDER BY position)",
             t);
    assert_sql(ledger, q, "region,sex");
    snprintf(q, sizeof q,
             "SELECT group_concat(label || ':' || is_total, ',') FROM (SELECT label, is_total "
             "FROM dimension_category WHERE table_id = %s AND position = 1 ORDER BY ordinal)",
             t);
    assert_sql(ledger, q, "M:0,F:0,Total:1");
    snprintf(q, sizeof q, "SELECT measure FROM released_table WHERE id = %s", t);
    assert_sql(ledger, q, "[{\"column\":\"n\",\"role\":\"count\"}]");
    /* Ten cells: 18 + 27 + 30 + 32 published, the rows' totals 40, 45 and
     * 62 and the grand total 147 (four totals: 401 in all), the two hidden
     * ones unknowns in [0, unbounded). */
    snprintf(q, sizeof q,
             "SELECT count(*), sum(suppressed), sum(is_total), sum(value) FROM table_cell WHERE "
             "table_id = %s",
             t);
    assert_sql(ledger, q, "10|2|4|401.0");
    snprintf(q, sizeof q,
             "SELECT group_concat(coordinates || ':' || quote(value) || ':' || lower || ':' || "
             "quote(upper), ' ') FROM (SELECT * FROM table_cell WHERE table_id = %s AND "
             "suppressed ORDER BY coordinates)",
             t);
    assert_sql(ledger, q, "0,0;0:NULL:0.0:NULL 0,1;0:NULL:0.0:NULL");
    /* North's total: region 0 (North), sex 2 (Total), measure 0. */
    snprintf(q, sizeof q,
             "SELECT value || ':' || is_total FROM table_cell WHERE table_id = %s AND "
             "coordinates = '0,2;0'",
             t);
    assert_sql(ledger, q, "40.0:1");
    /* "<10" is a count of 0 to 9. */
    assert_sql(ledger,
               "SELECT lower || ':' || upper FROM table_cell c JOIN released_table t ON t.id = "
               "c.table_id JOIN file f ON f.id = t.file_id WHERE f.path LIKE '%by_age.csv' AND "
               "c.suppressed",
               "0.0:9.0");
}

Test(ledger_audit, a_cell_two_releases_give_away_together_fails_naming_the_earlier_release)
{
    /* March: region by sex with North's M and F hidden, and North's total
     * of 40 published: M + F = 40 leaves each anywhere in [0, 40], safe;
     * its grand total is 147 (40 + 45 + 62). June: the sex totals M = 60,
     * F = 87, and the same grand total 147: a total the two share, so they
     * are taken to count the same people.
     * Together: North M = 60 - 18 (South) - 30 (East) = 12 and
     * North F = 87 - 27 - 32 = 28: both given away by June's table. */
    release_of("testdata/ledger/march", 1);
    char *f = check_with_ledger("testdata/ledger/june", "june", 1);
    char report[200];
    snprintf(report, sizeof report, "%s/june.json", dir);
    char *v = verdict_of(report, "testdata/ledger/june/by_sex.csv");
    cr_assert_str_eq(v, "fail");
    free(v);
    char names[256];
    release_name(names, sizeof names, "testdata/ledger/march/by_region_sex.csv");
    const char *m12[] = {"june/by_sex.csv|secondary-recoverable|fail", "North / M", names,
                         "it is 12", NULL};
    const char *f28[] = {"june/by_sex.csv|secondary-recoverable|fail", "North / F", names,
                         "it is 28", NULL};
    cr_assert_not_null(line_with(f, m12), "North's M = 12 naming %s, in:\n%s", names, f);
    cr_assert_not_null(line_with(f, f28), "North's F = 28 naming %s, in:\n%s", names, f);
    free(f);
}

Test(ledger_audit, the_same_pair_protected_in_the_release_passes)
{
    /* March hides North's and South's M and F. With June's totals:
     * NM + NF = 40, SM + SF = 45, NM + SM = 60 - 30 = 30,
     * NF + SF = 87 - 32 = 55 (one equation is the sum of the others).
     * NM = x gives NF = 40 - x, SM = 30 - x, SF = 15 + x, all >= 0 for x
     * in [0, 30]: every hidden cell takes 31 values, wider than the
     * threshold of 10. */
    release_of("testdata/ledger/march-safe", 1);
    char *f = check_with_ledger("testdata/ledger/june", "june", 0);
    char names[256];
    release_name(names, sizeof names, "march-safe/by_region_sex.csv");
    const char *note[] = {"june/by_sex.csv|linked-tables|pass", names, NULL};
    cr_assert_not_null(line_with(f, note), "audited with the release, in:\n%s", f);
    const char *recovered[] = {"secondary-", NULL};
    cr_assert_null(line_with(f, recovered), "%s", f);
    free(f);
}

Test(ledger_audit, a_new_table_publishing_a_cell_a_release_hid_fails_on_that_cell)
{
    /* March hid North's M and F (with South's); a new table of North by
     * sex publishes them (12 + 28 = 40, North's total, which March also
     * publishes: the total they share). The new table gives March's hidden
     * cells away: each fails on the new table's own line. */
    release_of("testdata/ledger/march-safe", 1);
    char where[220];
    put_table(where, sizeof where, "north", "north.csv",
              "region,sex,n\nNorth,M,12\nNorth,F,28\nNorth,Total,40\n");
    char *lines = check_with_ledger(where, "north", 1);
    char names[256], cell[300];
    release_name(names, sizeof names, "march-safe/by_region_sex.csv");
    snprintf(cell, sizeof cell, "%s (North / M)", names);
    const char *m[] = {"north.csv|secondary-recoverable|fail|2|12|",
                       "published here but was suppressed", cell, NULL};
    cr_assert_not_null(line_with(lines, m), "North's M on line 2, naming %s, in:\n%s", cell, lines);
    snprintf(cell, sizeof cell, "%s (North / F)", names);
    const char *f[] = {"north.csv|secondary-recoverable|fail|3|28|", cell, NULL};
    cr_assert_not_null(line_with(lines, f), "North's F on line 3, in:\n%s", lines);
    free(lines);
}

Test(ledger_audit, a_release_that_shares_no_total_with_the_new_table_is_not_audited_with_it)
{
    /* March without its grand total: June's cells (the sex totals and
     * 147) are none of March's, so nothing shows that the two count the
     * same people, and a release of other people sharing only dimension
     * names must not be audited with every new table. June passes, with
     * no linked-tables note. */
    char what[220];
    put_table(what, sizeof what, "march", "by_region_sex.csv",
              "region,sex,n\nNorth,M,c\nNorth,F,c\nNorth,Total,40\nSouth,M,18\n"
              "South,F,27\nSouth,Total,45\nEast,M,30\nEast,F,32\nEast,Total,62\n");
    release_of(what, 1);
    char *f = check_with_ledger("testdata/ledger/june", "june", 0);
    const char *any[] = {"june/by_sex.csv|", NULL};
    cr_assert_null(line_with(f, any), "no finding on June: %s", f);
    free(f);
}

Test(ledger_audit, a_hierarchy_across_releases_gives_a_district_away_through_the_region_total)
{
    /* Q1 released the region totals (North 40, South 30, Total 70). Q2's
     * districts hide North's N1 with N2 = 12 and N3 = 14 published and no
     * North total of its own, so alone N1 is unbounded; it publishes
     * South's total 30 (= 12 + 18), which Q1 shares. With Q1's North
     * total, N1 = 40 - 12 - 14 = 14. */
    release_of("testdata/ledger/q1", 1);
    run alone = sdc(dir, "check -q testdata/ledger/q2");
    cr_assert_eq(alone.status, 0, "alone it passes: %s", alone.out);
    run_free(&alone);
    char *f = check_with_ledger("testdata/ledger/q2", "q2", 1);
    char names[256];
    release_name(names, sizeof names, "testdata/ledger/q1/region_totals.csv");
    const char *n1[] = {"q2/districts.csv|secondary-recoverable|fail", names, "it is 14", NULL};
    cr_assert_not_null(line_with(f, n1), "N1 = 14 naming %s, in:\n%s", names, f);
    free(f);
}

Test(ledger_audit, a_file_released_unchanged_is_noted_and_a_changed_one_is_not)
{
    release_of("testdata/ledger/march-safe", 1);
    /* One more row: other bytes, the same table otherwise. */
    char *text = sdc_test_slurp("testdata/ledger/march-safe/by_region_sex.csv");
    cr_assert_not_null(text);
    char *changed = NULL;
    cr_assert_geq(asprintf(&changed, "%sWest,M,50\n", text), 0);
    char copy[220], where[260], sha[65];
    put_table(copy, sizeof copy, "changed", "by_region_sex.csv", changed);
    free(changed);
    free(text);
    snprintf(where, sizeof where, "testdata/ledger/march-safe %s", copy);
    /* A note does not change the verdict. */
    char *f = check_with_ledger(where, "again", 0);
    cr_assert_eq(sha256sum_of("testdata/ledger/march-safe/by_region_sex.csv", sha), 0);
    char *when = release_date(1);
    char names[256], prefix[16];
    snprintf(names, sizeof names,
             "release 1 of %s, as testdata/ledger/march-safe/by_region_sex.csv", when);
    snprintf(prefix, sizeof prefix, "%.12s", sha);
    const char *note[] = {"testdata/ledger/march-safe/by_region_sex.csv|released-before|pass",
                          names, prefix, NULL};
    cr_assert_not_null(line_with(f, note), "noted with %s, in:\n%s", names, f);
    const char *other[] = {"changed/by_region_sex.csv|released-before", NULL};
    cr_assert_null(line_with(f, other), "%s", f);
    free(f);
    free(when);
}

/* A ledger that cannot be read stops the check with exit 2, its path in
 * the message, and is left byte for byte. */
static void refused(const char *ledger, const char *why)
{
    char before[65] = "", after[65] = "";
    bool exists = access(ledger, F_OK) == 0;
    if (exists)
        cr_assert_eq(sha256sum_of(ledger, before), 0);
    run r = sdc(dir, "check --ledger '%s' testdata/ledger/june", ledger);
    cr_assert_eq(r.status, 2, "%s: exit %d; %s", ledger, r.status, r.err);
    cr_assert(strstr(r.err, ledger) && strstr(r.err, why), "%s: %s", ledger, r.err);
    cr_assert_str_eq(r.out, "", "no report from a check that could not run");
    run_free(&r);
    if (exists) {
        cr_assert_eq(sha256sum_of(ledger, after), 0);
        cr_assert_str_eq(before, after, "%s changed", ledger);
    }
}

Test(ledger_audit, check_refuses_a_missing_damaged_foreign_or_newer_ledger_with_exit_2)
{
    char path[200];
    snprintf(path, sizeof path, "%s/missing.db", dir);
    refused(path, "no such ledger");
    snprintf(path, sizeof path, "%s/damaged.db", dir);
    free(put_file(dir, "damaged.db", "not a database, just text\n"));
    refused(path, "not an sdccheck ledger");
    snprintf(path, sizeof path, "%s/foreign.db", dir);
    free(shell_out(SQLITE3 " '%s' 'CREATE TABLE t (x); INSERT INTO t VALUES (1)'", path));
    refused(path, "not an sdccheck ledger");
    snprintf(path, sizeof path, "%s/newer.db", dir);
    free(shell_out(SQLITE3 " '%s' 'PRAGMA application_id = 1396982604; PRAGMA user_version = 99; "
                           "CREATE TABLE release (id INTEGER PRIMARY KEY)'",
                   path));
    refused(path, "newer");
    snprintf(path, sizeof path, "%s/empty.db", dir);
    free(put_file(dir, "empty.db", ""));
    refused(path, "not an sdccheck ledger");
}

/* Runs DIR/sdccheck (a copy: the build may lie in a folder nobody can
 * enter) with ARGS as user and group NOBODY (root ignores file modes), in
 * a forked child that drops its groups, then its gid, then its uid before
 * exec, from /; its output goes to DIR/out/. */
static run as_nobody(const char *const *args)
{
    char out[200], err[200];
    snprintf(out, sizeof out, "%s/out/stdout", dir);
    snprintf(err, sizeof err, "%s/out/stderr", dir);
    int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert(fo >= 0 && fe >= 0);
    const char *argv[32];
    sdc_test_argv(argv, args);
    char bin[200];
    snprintf(bin, sizeof bin, "%s/sdccheck", dir);
    argv[0] = bin;
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        if (dup2(fo, 1) < 0 || dup2(fe, 2) < 0 || setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 ||
            setuid(NOBODY) != 0)
            _exit(125);
        if (setuid(0) == 0 || chdir("/") != 0) /* the drop must not be undone */
            _exit(124);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fo);
    close(fe);
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    run r = {.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1};
    r.out = sdc_test_slurp(out);
    r.err = sdc_test_slurp(err);
    cr_assert(r.out && r.err);
    return r;
}

Test(ledger_audit, a_read_only_ledger_refuses_release_leaves_it_byte_for_byte_and_check_reads_it)
{
    if (geteuid() != 0)
        cr_skip_test("needs root, to run the child as another user");
    /* Release 1 as root; then the ledger is mode 0444 in a folder of mode
     * 0555, and the next release (June's, which passes alone) runs as
     * nobody, who can write neither. */
    release_of("testdata/ledger/march", 1);
    /* What nobody reads lies in the test's folder (mode 0755): June's
     * table, checked under its path there, and the binary. */
    char june[200];
    snprintf(june, sizeof june, "%s/june", dir);
    cr_assert_eq(chmod(dir, 0755), 0);
    free(
        shell_out("mkdir '%s' && cp testdata/ledger/june/by_sex.csv '%s/' && cp '%s' '%s/sdccheck' "
                  "&& chmod 755 '%s/sdccheck'",
                  june, june, sdc_test_binary(), dir, dir));
    run r = sdc(dir, "-q -f json -o '%s/june.json' '%s'", dir, june);
    cr_assert_eq(r.status, 0, "June alone passes: %s", r.err);
    run_free(&r);
    char ledger[200], outdir[200], before[65], after[65];
    snprintf(ledger, sizeof ledger, "%s/ledger.db", dir);
    snprintf(outdir, sizeof outdir, "%s/out", dir);
    cr_assert_eq(mkdir(outdir, 0777), 0);
    cr_assert_eq(chmod(outdir, 0777), 0);
    cr_assert_eq(access(ledger, F_OK), 0);
    char wal[220];
    snprintf(wal, sizeof wal, "%s-wal", ledger);
    cr_assert_neq(access(wal, F_OK), 0, "the release's connection closed its WAL file");
    cr_assert_eq(chmod(ledger, 0444), 0);
    cr_assert_eq(chmod(dir, 0555), 0);
    cr_assert_eq(sha256sum_of(ledger, before), 0);

    char report[200];
    snprintf(report, sizeof report, "%s/june.json", dir);
    const char *release[] = {"release", "--ledger", ledger, "--reviewer", "bob", report, NULL};
    r = as_nobody(release);
    cr_assert_eq(r.status, 2, "exit %d, 2 expected; %s", r.status, r.err);
    cr_assert(strstr(r.err, ledger), "%s", r.err);
    cr_assert(strstr(r.err, "writable") || strstr(r.err, "read-only"), "%s", r.err);
    cr_assert_str_eq(r.out, "", "nothing said to be recorded");
    run_free(&r);
    cr_assert_eq(sha256sum_of(ledger, after), 0);
    cr_assert_str_eq(before, after, "the ledger changed");

    /* check --ledger opens it read-only, and still finds what March
     * gives away with June (see the test above: North's M is 12). */
    const char *check[] = {"check", "--ledger", ledger, june, NULL};
    r = as_nobody(check);
    cr_assert_eq(r.status, 1, "exit %d, a fail expected; %s", r.status, r.err);
    cr_assert(strstr(r.out, "it is 12") && strstr(r.out, "(release 1 of "), "%s", r.out);
    run_free(&r);
    cr_assert_eq(sha256sum_of(ledger, after), 0);
    cr_assert_str_eq(before, after, "check changed the ledger");
    cr_assert_neq(access(wal, F_OK), 0, "check made no WAL file");
    chmod(dir, 0700);
    chmod(ledger, 0644);
    assert_sql(ledger, "SELECT count(*) FROM release", "1");
}

/* A release source of the test's own (no ledger): one released table
 * read from CSV text, and one released file. */
typedef struct fake {
    const char *csv;
    char sha256[65];
    int tables_calls, error;
    char dims[256];
} fake;

static int fake_tables(void *ctx, const char *const *dims, size_t n, const sdc_policy *policy,
                       sdc_released_tables *out, sdc_status *st)
{
    fake *f = ctx;
    f->tables_calls++;
    for (size_t i = 0; i < n; i++)
        snprintf(f->dims + strlen(f->dims), sizeof f->dims - strlen(f->dims), "%s%s", i ? "," : "",
                 dims[i]);
    if (f->error)
        return sdc_status_set(st, SDC_EIO, "fake ledger: cannot be read");
    sdc_findings notes = {0};
    sdc_table *t = layout_csv(f->csv, policy, &notes);
    sdc_findings_free(&notes);
    cr_assert_not_null(t);
    return sdc_released_tables_add(out, t, 7, "2026-03-01T09:00:00Z", "march/by_region_sex.csv");
}

static int fake_file(void *ctx, const char *sha256, long long *release, char *released_at,
                     char *path, size_t path_size, sdc_status *st)
{
    (void)st;
    fake *f = ctx;
    if (strcmp(sha256, f->sha256) != 0)
        return 0;
    *release = 7;
    snprintf(released_at, 32, "2026-03-01T09:00:00Z");
    snprintf(path, path_size, "march/by_sex.csv");
    return 1;
}

Test(ledger_audit, the_checker_asks_its_release_source_and_names_the_release)
{
    sdc_policy *policy = sdc_policy_default();
    sdc_checker *ck = sdc_checker_new(policy, NULL);
    fake f = {.csv = "region,sex,n\nNorth,M,c\nNorth,F,c\nNorth,Total,40\nSouth,M,18\n"
                     "South,F,27\nSouth,Total,45\nEast,M,30\nEast,F,32\nEast,Total,62\n"
                     "Total,Total,147\n"};
    char *path = put_file(dir, "by_sex.csv", "sex,n\nM,60\nF,87\nTotal,147\n");
    cr_assert_not_null(path);
    cr_assert_eq(sha256sum_of(path, f.sha256), 0);
    sdc_release_source src = {.tables = fake_tables, .file = fake_file, .ctx = &f};
    sdc_checker_set_releases(ck, &src);
    const char *paths[] = {dir};
    sdc_report rep = {0};
    cr_assert_eq(sdc_check_paths(ck, paths, 1, 1, &rep, NULL), SDC_OK);
    cr_assert_eq(f.tables_calls, 1);
    cr_assert_str_eq(f.dims, "sex", "asked for the new table's dimensions");
    cr_assert_eq(rep.file_count, 1);
    const sdc_file_result *r = &rep.files[0];
    cr_assert_eq(r->verdict, SDC_FAIL);
    cr_assert_eq(count_rule(&r->findings, "secondary-recoverable"), 2);
    const sdc_finding *x = find_rule(&r->findings, "secondary-recoverable");
    cr_assert(strstr(x->message, "march/by_region_sex.csv (release 7 of 2026-03-01T09:00:00Z)"),
              "%s", x->message);
    const sdc_finding *note = find_rule(&r->findings, "released-before");
    cr_assert_not_null(note, "its SHA-256 was released");
    cr_assert_eq(note->verdict, SDC_PASS);
    cr_assert(strstr(note->message, "release 7 of 2026-03-01T09:00:00Z, as march/by_sex.csv"), "%s",
              note->message);
    sdc_report_free(&rep);

    /* The source's error stops the check, with its message. */
    f.error = 1;
    sdc_status st = {0};
    sdc_report failed = {0};
    cr_assert_eq(sdc_check_paths(ck, paths, 1, 1, &failed, &st), SDC_EIO);
    cr_assert(strstr(st.message, "fake ledger: cannot be read"), "%s", st.message);
    sdc_report_free(&failed);
    sdc_checker_free(ck);
    sdc_policy_free(policy);
    free(path);
}
