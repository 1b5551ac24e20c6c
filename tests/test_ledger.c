/*
 * test_ledger.c - `sdccheck release`, `verify` and `ledger`, run as the
 * real binary (sdccheck(1), sdccheck-ledger(5)).
 *
 * Each test works in a folder of its own under /tmp, with copies of
 * testdata/submission files whose verdicts testdata/submission-EXPECTED.tsv
 * gives (region_by_sex.csv and model_coefficients.csv pass,
 * deaths_by_ward.csv fails, notes.md needs review). What the ledger holds
 * is read with Debian's sqlite3 shell, hashes come from sha256sum, and the
 * JSON output is read with /usr/bin/python3: nothing expected comes from
 * sdccheck itself.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "ledger_helpers.h"

typedef struct place {
    char dir[128];    /* the test's folder */
    char out[160];    /* DIR/out: the files to release */
    char ledger[160]; /* DIR/ledger.db */
    char report[160]; /* DIR/report.json */
} place;

static void place_make(place *p)
{
    SDC_TEST_NEED_TOOL(SQLITE3, "sqlite3");
    SDC_TEST_NEED_TOOL(PYTHON3, "python3");
    cr_assert_not_null(temp_dir_make(p->dir, sizeof p->dir, "ledger"));
    snprintf(p->out, sizeof p->out, "%s/out", p->dir);
    snprintf(p->ledger, sizeof p->ledger, "%s/ledger.db", p->dir);
    snprintf(p->report, sizeof p->report, "%s/report.json", p->dir);
    cr_assert_eq(mkdir(p->out, 0755), 0);
}

/* Copies testdata/submission/NAME into the files to release. */
static void put(const place *p, const char *name)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp testdata/submission/%s '%s/%s'", name, p->out, name);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* Checks DIR/out into DIR/report.json; the exit status must be WANT. */
static void check(const place *p, int want)
{
    run r = sdc(p->dir, "-q -f json -o '%s' '%s'", p->report, p->out);
    cr_assert_eq(r.status, want, "check: exit %d, expected %d; %s", r.status, want, r.err);
    run_free(&r);
}

static void release_ok(const place *p, const char *reviewer)
{
    run r =
        sdc(p->dir, "release --ledger '%s' --reviewer '%s' '%s'", p->ledger, reviewer, p->report);
    cr_assert_eq(r.status, 0, "release: exit %d; %s", r.status, r.err);
    run_free(&r);
}

static void assert_put(const char *dir, const char *name, const char *text)
{
    char *path = put_file(dir, name, text);
    cr_assert_not_null(path, "%s/%s", dir, name);
    free(path);
}

static void sha_of(const char *path, char hex[65])
{
    cr_assert_eq(sha256sum_of(path, hex), 0, "sha256sum %s", path);
}

/* A pass submission, released once. */
static void released_pass(place *p)
{
    place_make(p);
    put(p, "region_by_sex.csv");
    put(p, "model_coefficients.csv");
    check(p, 0);
    release_ok(p, "alice");
}

TestSuite(ledger, .timeout = 120);

Test(ledger, release_records_each_file_of_a_pass_report_with_its_hash_and_who_released_it)
{
    place p;
    place_make(&p);
    put(&p, "region_by_sex.csv");
    put(&p, "model_coefficients.csv");
    check(&p, 0);
    run r =
        sdc(p.dir, "release --ledger '%s' --reviewer 'Ada Reviewer' --comment 'March tables' '%s'",
            p.ledger, p.report);
    cr_assert_eq(r.status, 0, "exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.out, "release 1"), "%s", r.out);
    run_free(&r);

    assert_sql(p.ledger, "SELECT count(*) FROM release", "1");
    assert_sql(p.ledger,
               "SELECT reviewer || '|' || comment || '|' || verdict || '|' || "
               "ifnull(approval, 'none') || '|' || policy_name FROM release",
               "Ada Reviewer|March tables|pass|none|ons-srs");
    /* The report's own hash, as sha256sum sees the report with its last
     * member taken out, is checked by report_integrity_is_the_documented_digest;
     * here: the ledger keeps the value the report gives. */
    char *digest = shell_line(PYTHON3 " -c \"import json,sys; print(json.load(open(sys.argv[1]))"
                                      "['report_sha256'])\" '%s'",
                              p.report);
    char query[1024];
    snprintf(query, sizeof query, "SELECT count(*) FROM release WHERE report_sha256 = '%s'",
             digest);
    assert_sql(p.ledger, query, "1");
    free(digest);
    /* The policy's values are kept as JSON. */
    assert_sql(p.ledger, "SELECT json_extract(policy, '$.parameters.threshold') FROM release",
               "10");

    static const char *const names[] = {"model_coefficients.csv", "region_by_sex.csv"};
    for (int i = 0; i < 2; i++) {
        char path[256], hex[65], want[512];
        snprintf(path, sizeof path, "%s/%s", p.out, names[i]);
        sha_of(path, hex);
        struct stat sb;
        cr_assert_eq(stat(path, &sb), 0);
        snprintf(query, sizeof query,
                 "SELECT sha256 || '|' || size || '|' || class || '|' || verdict FROM file "
                 "WHERE path = '%s'",
                 path);
        snprintf(want, sizeof want, "%s|%lld|table|pass", hex, (long long)sb.st_size);
        assert_sql(p.ledger, query, want);
    }
    assert_sql(p.ledger, "SELECT count(*) FROM released_table", "2");
    /* region_by_sex.csv: a header and 10 lines, 4 columns. */
    char query2[600];
    snprintf(query2, sizeof query2,
             "SELECT t.columns FROM released_table t JOIN file f ON f.id = t.file_id WHERE "
             "f.path = '%s/region_by_sex.csv'",
             p.out);
    assert_sql(p.ledger, query2, "4");
    temp_dir_remove(p.dir);
}

Test(ledger, release_refuses_a_failing_report_and_writes_no_ledger)
{
    place p;
    place_make(&p);
    put(&p, "deaths_by_ward.csv");
    check(&p, 1);
    run r = sdc(p.dir, "release --ledger '%s' --reviewer bob '%s'", p.ledger, p.report);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "verdict is fail"), "%s", r.err);
    cr_assert_neq(access(p.ledger, F_OK), 0, "a refused release made a ledger");
    run_free(&r);
    temp_dir_remove(p.dir);
}

Test(ledger, release_of_a_review_needs_approve_with_a_reason_which_is_kept)
{
    place p;
    place_make(&p);
    put(&p, "notes.md");
    check(&p, 3);
    run r = sdc(p.dir, "release --ledger '%s' --reviewer bob '%s'", p.ledger, p.report);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "--approve"), "%s", r.err);
    run_free(&r);
    cr_assert_neq(access(p.ledger, F_OK), 0);

    r = sdc(p.dir, "release --ledger '%s' --reviewer bob --approve 'read it: no identifiers' '%s'",
            p.ledger, p.report);
    cr_assert_eq(r.status, 0, "exit %d; %s", r.status, r.err);
    run_free(&r);
    assert_sql(p.ledger, "SELECT verdict || '|' || approval FROM release",
               "review|read it: no identifiers");

    /* An empty folder is a review with nothing in it: nothing to release. */
    cr_assert_eq(unlink(p.ledger), 0);
    char notes[256];
    snprintf(notes, sizeof notes, "%s/notes.md", p.out);
    cr_assert_eq(unlink(notes), 0);
    check(&p, 3);
    r = sdc(p.dir, "release --ledger '%s' --reviewer bob --approve 'empty' '%s'", p.ledger,
            p.report);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "no file"), "%s", r.err);
    run_free(&r);
    temp_dir_remove(p.dir);
}

Test(ledger, report_integrity_is_the_documented_digest)
{
    place p;
    place_make(&p);
    put(&p, "region_by_sex.csv");
    check(&p, 0);
    /* sdccheck-report(5), Integrity: the SHA-256 of the report without its
     * last line, closed with "\n}\n". */
    char *ok = shell_line(PYTHON3
                          " -c \"import hashlib,json,sys\n"
                          "d = open(sys.argv[1], 'rb').read()\n"
                          "h = json.loads(d)['report_sha256']\n"
                          "t = (',\\n  \\\"report_sha256\\\": \\\"%%s\\\"\\n}\\n' %% h).encode()\n"
                          "assert d.endswith(t)\n"
                          "print(hashlib.sha256(d[:-len(t)] + b'\\n}\\n').hexdigest() == h)\" '%s'",
                          p.report);
    cr_assert_str_eq(ok, "True");
    free(ok);
    temp_dir_remove(p.dir);
}

Test(ledger, release_refuses_a_report_edited_after_it_was_written)
{
    place p;
    place_make(&p);
    put(&p, "deaths_by_ward.csv");
    check(&p, 1);
    /* Every fail turned into a pass: the edit a hurried person might make. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sed -i 's/\"verdict\": \"fail\"/\"verdict\": \"pass\"/g' '%s'",
             p.report);
    cr_assert_eq(system(cmd), 0);
    run r = sdc(p.dir, "release --ledger '%s' --reviewer bob '%s'", p.ledger, p.report);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "edited after it was written"), "%s", r.err);
    run_free(&r);

    /* A report without its digest is refused too. */
    snprintf(cmd, sizeof cmd,
             PYTHON3 " -c \"import json,sys; d = json.load(open(sys.argv[1])); "
                     "del d['report_sha256']; json.dump(d, open(sys.argv[1], 'w'))\" '%s'",
             p.report);
    cr_assert_eq(system(cmd), 0);
    r = sdc(p.dir, "release --ledger '%s' --reviewer bob '%s'", p.ledger, p.report);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "no report_sha256"), "%s", r.err);
    run_free(&r);
    cr_assert_neq(access(p.ledger, F_OK), 0);

    /* Not JSON at all: the tool cannot do its job. */
    assert_put(p.dir, "report.json", "{\"schema\": \"sdccheck-report\",");
    r = sdc(p.dir, "release --ledger '%s' --reviewer bob '%s'", p.ledger, p.report);
    cr_assert_eq(r.status, 2, "exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "not JSON"), "%s", r.err);
    run_free(&r);
    temp_dir_remove(p.dir);
}

Test(ledger, release_refuses_files_changed_since_the_check_naming_them)
{
    place p;
    place_make(&p);
    put(&p, "region_by_sex.csv");
    put(&p, "model_coefficients.csv");
    check(&p, 0);
    char path[256], cmd[1024];
    snprintf(path, sizeof path, "%s/region_by_sex.csv", p.out);
    snprintf(cmd, sizeof cmd, "echo 'Nowhere,1,2,3' >> '%s'", path);
    cr_assert_eq(system(cmd), 0);
    run r = sdc(p.dir, "release --ledger '%s' --reviewer bob '%s'", p.ledger, p.report);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, path), "%s", r.err);
    cr_assert_not_null(strstr(r.err, "changed"), "%s", r.err);
    cr_assert_null(strstr(r.err, "model_coefficients"), "%s", r.err);
    run_free(&r);
    cr_assert_neq(access(p.ledger, F_OK), 0);
    temp_dir_remove(p.dir);
}

Test(ledger, verify_passes_the_released_files_and_names_a_swapped_missing_or_unknown_one)
{
    place p;
    released_pass(&p);
    run r = sdc(p.dir, "verify --ledger '%s' '%s'", p.ledger, p.out);
    cr_assert_eq(r.status, 0, "exit %d; %s%s", r.status, r.out, r.err);
    run_free(&r);
    r = sdc(p.dir, "verify '%s' '%s'", p.report, p.out);
    cr_assert_eq(r.status, 0, "exit %d; %s%s", r.status, r.out, r.err);
    run_free(&r);

    /* Swapped: region_by_sex.csv now holds the other file's bytes. */
    char region[256], model[256], cmd[2048];
    snprintf(region, sizeof region, "%s/region_by_sex.csv", p.out);
    snprintf(model, sizeof model, "%s/model_coefficients.csv", p.out);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s.keep' && cp '%s' '%s'", region, p.dir, model, region);
    cr_assert_eq(system(cmd), 0);
    char now[65];
    sha_of(region, now);
    r = sdc(p.dir, "verify --ledger '%s' '%s'", p.ledger, p.out);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.out);
    char want[512];
    snprintf(want, sizeof want, "changed: %s (SHA-256 %s", region, now);
    cr_assert_not_null(strstr(r.out, want), "%s", r.out);
    cr_assert_null(strstr(r.out, model), "%s", r.out);
    run_free(&r);
    snprintf(cmd, sizeof cmd, "cp '%s.keep' '%s'", p.dir, region);
    cr_assert_eq(system(cmd), 0);

    /* Missing: against the report, every file it holds must be there. */
    cr_assert_eq(unlink(model), 0);
    r = sdc(p.dir, "verify '%s' '%s'", p.report, p.out);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.out);
    snprintf(want, sizeof want, "missing: %s", model);
    cr_assert_not_null(strstr(r.out, want), "%s", r.out);
    run_free(&r);
    /* Against one release, too; against the whole ledger, a file not
     * walked is no failure (the ledger holds many submissions). */
    r = sdc(p.dir, "verify --ledger '%s' --release 1 '%s'", p.ledger, p.out);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.out);
    cr_assert_not_null(strstr(r.out, want), "%s", r.out);
    run_free(&r);
    r = sdc(p.dir, "verify --ledger '%s' '%s'", p.ledger, p.out);
    cr_assert_eq(r.status, 0, "exit %d; %s", r.status, r.out);
    run_free(&r);
    /* A path named that does not exist is missing. */
    r = sdc(p.dir, "verify --ledger '%s' '%s'", p.ledger, model);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.out);
    cr_assert_not_null(strstr(r.out, want), "%s", r.out);
    run_free(&r);

    /* Unknown: a file never checked, in the ledger's view and the report's. */
    put(&p, "model_coefficients.csv");
    char extra[256];
    snprintf(extra, sizeof extra, "%s/late.csv", p.out);
    assert_put(p.out, "late.csv", "a,b\n1,2\n");
    snprintf(want, sizeof want, "unknown: %s", extra);
    r = sdc(p.dir, "verify --ledger '%s' '%s'", p.ledger, p.out);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.out);
    cr_assert_not_null(strstr(r.out, want), "%s", r.out);
    cr_assert_null(strstr(r.out, region), "%s", r.out);
    run_free(&r);
    r = sdc(p.dir, "verify '%s' '%s'", p.report, p.out);
    cr_assert_eq(r.status, 1, "exit %d; %s", r.status, r.out);
    cr_assert_not_null(strstr(r.out, want), "%s", r.out);
    run_free(&r);
    temp_dir_remove(p.dir);
}

Test(ledger, eight_concurrent_releases_lose_no_row_and_leave_an_intact_ledger)
{
    place p;
    place_make(&p);
    put(&p, "region_by_sex.csv");
    put(&p, "model_coefficients.csv");
    check(&p, 0);
    pid_t pids[8];
    for (int i = 0; i < 8; i++) {
        pids[i] = fork();
        cr_assert_geq(pids[i], 0);
        if (pids[i] == 0) {
            char reviewer[32];
            snprintf(reviewer, sizeof reviewer, "reviewer%d", i);
            int devnull = open("/dev/null", O_WRONLY);
            dup2(devnull, 1);
            execl(sdc_test_binary(), sdc_test_binary(), "release", "--ledger", p.ledger,
                  "--reviewer", reviewer, p.report, (char *)NULL);
            _exit(127);
        }
    }
    for (int i = 0; i < 8; i++) {
        int st = 0;
        cr_assert_eq(waitpid(pids[i], &st, 0), pids[i]);
        cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "release %d: status %d", i, st);
    }
    assert_sql(p.ledger, "SELECT count(*) FROM release", "8");
    assert_sql(p.ledger, "SELECT count(DISTINCT reviewer) FROM release", "8");
    assert_sql(p.ledger, "SELECT count(*) FROM file", "16");
    assert_sql(p.ledger, "SELECT group_concat(id) FROM (SELECT id FROM release ORDER BY id)",
               "1,2,3,4,5,6,7,8");
    assert_sql(p.ledger, "PRAGMA integrity_check", "ok");
    assert_sql(p.ledger, "PRAGMA journal_mode", "wal");
    temp_dir_remove(p.dir);
}

/* The first schema, as sdccheck-ledger(5) gives it. */
static const char schema_v1[] =
    "CREATE TABLE release (id INTEGER PRIMARY KEY, released_at TEXT NOT NULL, reviewer TEXT "
    "NOT NULL, comment TEXT, approval TEXT, verdict TEXT NOT NULL, report_sha256 TEXT NOT NULL, "
    "tool_version TEXT, policy_name TEXT, policy TEXT);"
    "CREATE TABLE file (id INTEGER PRIMARY KEY, release_id INTEGER NOT NULL REFERENCES "
    "release(id), path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, class TEXT "
    "NOT NULL, verdict TEXT NOT NULL);"
    "CREATE INDEX file_by_path ON file(path);"
    "CREATE INDEX file_by_sha256 ON file(sha256);"
    "CREATE INDEX file_by_release ON file(release_id);"
    "PRAGMA application_id = 1396982604; PRAGMA user_version = 1;"
    "INSERT INTO release VALUES (1, '2026-03-01T10:00:00Z', 'old reviewer', NULL, NULL, 'pass', "
    "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '0.0.9', 'ons-srs', "
    "NULL);"
    "INSERT INTO file VALUES (1, 1, 'march/table.csv', "
    "'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 120, 'table', 'pass');";

Test(ledger, a_first_version_ledger_is_upgraded_and_keeps_its_releases)
{
    place p;
    place_make(&p);
    put(&p, "region_by_sex.csv");
    check(&p, 0);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, SQLITE3 " '%s' \"%s\"", p.ledger, schema_v1);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    assert_sql(p.ledger, "PRAGMA user_version", "1");

    release_ok(&p, "new reviewer");
    assert_sql(p.ledger, "PRAGMA user_version", "2");
    assert_sql(p.ledger,
               "SELECT group_concat(reviewer, '|') FROM (SELECT reviewer FROM release "
               "ORDER BY id)",
               "old reviewer|new reviewer");
    assert_sql(p.ledger,
               "SELECT path || '|' || size || '|' || ifnull(container, '-') FROM file "
               "WHERE release_id = 1",
               "march/table.csv|120|-");
    assert_sql(p.ledger, "SELECT count(*) FROM released_table", "1");
    assert_sql(p.ledger, "SELECT count(*) FROM sqlite_schema WHERE name = 'dimension_by_name'",
               "1");
    assert_sql(p.ledger, "PRAGMA integrity_check", "ok");
    temp_dir_remove(p.dir);
}

/* COMMAND on LEDGER is refused (exit 2, stderr holding WHY) and leaves it
 * byte for byte as it was, with no WAL file beside it. */
static void assert_refused_untouched(place *p, const char *why)
{
    char before[65], after[65], wal[320];
    sha_of(p->ledger, before);
    run r = sdc(p->dir, "release --ledger '%s' --reviewer bob '%s'", p->ledger, p->report);
    cr_assert_eq(r.status, 2, "release: exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, why), "%s", r.err);
    cr_assert_not_null(strstr(r.err, p->ledger), "%s", r.err);
    run_free(&r);
    r = sdc(p->dir, "ledger --ledger '%s' list", p->ledger);
    cr_assert_eq(r.status, 2, "ledger list: exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, why), "%s", r.err);
    run_free(&r);
    sha_of(p->ledger, after);
    cr_assert_str_eq(after, before, "the ledger was changed");
    snprintf(wal, sizeof wal, "%s-wal", p->ledger);
    cr_assert_neq(access(wal, F_OK), 0, "a WAL file was left");
}

Test(ledger, a_damaged_ledger_is_refused_and_left_byte_for_byte)
{
    place p;
    place_make(&p);
    put(&p, "region_by_sex.csv");
    check(&p, 0);
    char text[8192];
    for (size_t i = 0; i < sizeof text - 1; i++)
        text[i] = (char)('a' + i % 26);
    text[sizeof text - 1] = '\0';
    assert_put(p.dir, "ledger.db", text);
    assert_refused_untouched(&p, "not an sdccheck ledger");

    /* A real ledger cut short after its first page. */
    cr_assert_eq(unlink(p.ledger), 0);
    release_ok(&p, "alice");
    release_ok(&p, "bob");
    char cmd[700];
    snprintf(cmd, sizeof cmd, "truncate -s 4096 '%s'", p.ledger);
    cr_assert_eq(system(cmd), 0);
    assert_refused_untouched(&p, "damaged");
    temp_dir_remove(p.dir);
}

Test(ledger, a_ledger_of_a_newer_schema_or_another_program_is_refused_and_left_as_it_was)
{
    place p;
    place_make(&p);
    put(&p, "region_by_sex.csv");
    check(&p, 0);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             SQLITE3 " '%s' 'CREATE TABLE release (id INTEGER PRIMARY KEY, future TEXT); "
                     "PRAGMA application_id = 1396982604; PRAGMA user_version = 3;'",
             p.ledger);
    cr_assert_eq(system(cmd), 0);
    assert_refused_untouched(&p, "newer than this sdccheck");

    cr_assert_eq(unlink(p.ledger), 0);
    snprintf(cmd, sizeof cmd, SQLITE3 " '%s' 'CREATE TABLE notes (t TEXT);'", p.ledger);
    cr_assert_eq(system(cmd), 0);
    assert_refused_untouched(&p, "not an sdccheck ledger");
    temp_dir_remove(p.dir);
}

Test(ledger, list_show_and_export_as_json_give_what_was_released)
{
    place p;
    released_pass(&p);
    put(&p, "notes.md");
    check(&p, 3);
    run r = sdc(p.dir, "release --ledger '%s' --reviewer bob --approve 'read by two' '%s'",
                p.ledger, p.report);
    cr_assert_eq(r.status, 0, "exit %d; %s", r.status, r.err);
    run_free(&r);

    char region[256], hex[65];
    snprintf(region, sizeof region, "%s/region_by_sex.csv", p.out);
    sha_of(region, hex);

    r = sdc(p.dir, "ledger --ledger '%s' -f json list", p.ledger);
    cr_assert_eq(r.status, 0, "exit %d; %s", r.status, r.err);
    run_free(&r);
    char *ok =
        shell_line(PYTHON3 " -c \"import json\n"
                           "d = json.load(open('%s/stdout'))\n"
                           "rs = d['releases']\n"
                           "assert d['schema'] == 'sdccheck-ledger', d\n"
                           "assert [r['id'] for r in rs] == [1, 2], rs\n"
                           "assert [r['reviewer'] for r in rs] == ['alice', 'bob'], rs\n"
                           "assert [r['files'] for r in rs] == [2, 3], rs\n"
                           "assert [r['approval'] for r in rs] == [None, 'read by two'], rs\n"
                           "print('ok')\"",
                   p.dir);
    cr_assert_str_eq(ok, "ok");
    free(ok);

    r = sdc(p.dir, "ledger --ledger '%s' show 1 -f json", p.ledger);
    cr_assert_eq(r.status, 0, "exit %d; %s", r.status, r.err);
    run_free(&r);
    ok = shell_line(PYTHON3 " -c \"import json\n"
                            "r = json.load(open('%s/stdout'))\n"
                            "f = {x['path']: x for x in r['files']}\n"
                            "assert f['%s']['sha256'] == '%s', f\n"
                            "assert f['%s']['table']['columns'] == 4, f\n"
                            "assert r['policy']['parameters']['threshold'] == 10, r\n"
                            "print('ok')\"",
                    p.dir, region, hex, region);
    cr_assert_str_eq(ok, "ok");
    free(ok);

    r = sdc(p.dir, "ledger --ledger '%s' -f json export", p.ledger);
    cr_assert_eq(r.status, 0, "exit %d; %s", r.status, r.err);
    run_free(&r);
    ok = shell_line(PYTHON3 " -c \"import json\n"
                            "d = json.load(open('%s/stdout'))\n"
                            "files = [f['path'] for r in d['releases'] for f in r['files']]\n"
                            "assert len(files) == 5, files\n"
                            "assert files.count('%s') == 2, files\n"
                            "print('ok')\"",
                    p.dir, region);
    cr_assert_str_eq(ok, "ok");
    free(ok);

    /* The text forms name the same things. */
    r = sdc(p.dir, "ledger --ledger '%s' show 2", p.ledger);
    cr_assert_eq(r.status, 0, "exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.out, "read by two"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, hex), "%s", r.out);
    run_free(&r);
    r = sdc(p.dir, "ledger --ledger '%s' show 3", p.ledger);
    cr_assert_eq(r.status, 1, "no release 3: exit %d; %s", r.status, r.err);
    run_free(&r);
    r = sdc(p.dir, "ledger --ledger '%s/none.db' list", p.dir);
    cr_assert_eq(r.status, 2, "no ledger: exit %d; %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "no such ledger"), "%s", r.err);
    run_free(&r);
    temp_dir_remove(p.dir);
}
