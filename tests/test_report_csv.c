/*
 * test_report_csv.c - the CSV report (sdccheck-report(5), CSV) and report
 * files on disk (sdccheck(1), -f and -o; report_file.c).
 *
 * report_csv: the writer on reports built by hand, its rows read back with
 * libcsv (an independent RFC 4180 parser, strict mode): twelve fields on
 * every row, quoting of commas, quotes and line breaks, one row for a file
 * without findings, formula-like text defused.
 *
 * report_file: writing to a temporary file and renaming it into place,
 * output folders and their names, called as a library.
 *
 * report_out: the real binary ($SDCCHECK_BIN, default build/sdccheck) run
 * with fork and exec (no shell): CSV rows of a testdata table against
 * values worked out by hand from the table and the ons-srs policy, several
 * formats into one folder, hostile file names, and every way writing can
 * fail (a folder under a regular file, a file size limit standing in for
 * a full disk, an output folder that is not empty): exit status 2, a
 * message, and no report left at its name.
 */
#include <criterion/criterion.h>
#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>

#include "helpers.h"
#include "report/report_util.h"

/* ------------------------------------------------------------ CSV, parsed */

/* A CSV document read back with libcsv: rows of fields. */
typedef struct csv_doc {
    char **fields; /* every field, row after row */
    size_t field_count, field_cap;
    size_t *row_ends; /* index in FIELDS after each row's last field */
    size_t row_count, row_cap;
    int error; /* libcsv's error, 0 when none */
} csv_doc;

static void doc_field(void *s, size_t len, void *data)
{
    csv_doc *d = data;
    if (d->field_count == d->field_cap) {
        d->field_cap = d->field_cap ? 2 * d->field_cap : 64;
        d->fields = realloc(d->fields, d->field_cap * sizeof *d->fields);
        cr_assert_not_null(d->fields);
    }
    d->fields[d->field_count] = strndup(s ? s : "", len);
    cr_assert_not_null(d->fields[d->field_count]);
    d->field_count++;
}

static void doc_row(int c, void *data)
{
    (void)c;
    csv_doc *d = data;
    if (d->row_count == d->row_cap) {
        d->row_cap = d->row_cap ? 2 * d->row_cap : 16;
        d->row_ends = realloc(d->row_ends, d->row_cap * sizeof *d->row_ends);
        cr_assert_not_null(d->row_ends);
    }
    d->row_ends[d->row_count++] = d->field_count;
}

/* Parses TEXT with libcsv in strict mode (a stray quote or an unclosed
 * quoted field is an error, kept in ->error). */
static csv_doc parse_csv(const char *text)
{
    csv_doc d = {0};
    struct csv_parser p;
    cr_assert_eq(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL), 0);
    size_t len = strlen(text);
    if (csv_parse(&p, text, len, doc_field, doc_row, &d) != len)
        d.error = csv_error(&p);
    if (!d.error && csv_fini(&p, doc_field, doc_row, &d) != 0)
        d.error = csv_error(&p);
    csv_free(&p);
    return d;
}

static size_t row_width(const csv_doc *d, size_t row)
{
    return d->row_ends[row] - (row ? d->row_ends[row - 1] : 0);
}

/* Field COL of ROW. */
static const char *cell(const csv_doc *d, size_t row, size_t col)
{
    cr_assert_lt(col, row_width(d, row), "row %zu has %zu fields", row, row_width(d, row));
    return d->fields[(row ? d->row_ends[row - 1] : 0) + col];
}

static void doc_free(csv_doc *d)
{
    for (size_t i = 0; i < d->field_count; i++)
        free(d->fields[i]);
    free(d->fields);
    free(d->row_ends);
}

/* Every row of D has the twelve columns of the header. */
static void assert_twelve_fields(const csv_doc *d)
{
    cr_assert_eq(d->error, 0, "libcsv: %s", csv_strerror(d->error));
    cr_assert_gt(d->row_count, 0);
    for (size_t r = 0; r < d->row_count; r++)
        cr_assert_eq(row_width(d, r), 12, "row %zu has %zu fields", r, row_width(d, r));
}

enum {
    COL_PATH,
    COL_SHA256,
    COL_FILE_VERDICT,
    COL_RULE,
    COL_VERDICT,
    COL_LINE,
    COL_ROW,
    COL_COLUMN,
    COL_VALUE,
    COL_LIMIT,
    COL_MESSAGE,
    COL_ADVICE
};

/* -------------------------------------------------------- reports by hand */

typedef struct fixture {
    sdc_file_result files[2];
    sdc_report report;
} fixture;

/* One file at PATH (class table, its SHA-256 64 times 'a') without findings. */
static void fixture_init(fixture *fx, const char *path)
{
    memset(fx, 0, sizeof *fx);
    fx->files[0].path = (char *)path;
    fx->files[0].size = 10;
    memset(fx->files[0].sha256, 'a', 64);
    fx->files[0].file_class = SDC_CLASS_TABLE;
    fx->report.files = fx->files;
    fx->report.file_count = 1;
}

static void fixture_derive(fixture *fx)
{
    fx->report.verdict = SDC_PASS;
    for (size_t i = 0; i < fx->report.file_count; i++) {
        fx->files[i].verdict = sdc_findings_verdict(&fx->files[i].findings);
        fx->report.verdict = sdc_verdict_worst(fx->report.verdict, fx->files[i].verdict);
    }
}

static void fixture_free(fixture *fx)
{
    for (size_t i = 0; i < 2; i++)
        sdc_findings_free(&fx->files[i].findings);
}

static const sdc_report_options plain = {.verbosity = 0, .created = -1};

static char *render_csv(const sdc_report *report)
{
    const sdc_report_writer *w = sdc_report_writer_find("csv");
    cr_assert_not_null(w);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert_not_null(out);
    int rc = w->write(report, &plain, out);
    cr_assert_eq(fclose(out), 0);
    cr_assert_eq(rc, 0);
    return text;
}

#define HEADER "path,sha256,file_verdict,rule,verdict,line,row,column,value,limit,message,advice"
#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

TestSuite(report_csv);

Test(report_csv, registry_has_csv_with_its_extension)
{
    const sdc_report_writer *w = sdc_report_writer_find("csv");
    cr_assert_not_null(w);
    cr_assert_str_eq(w->extension, "csv");
    cr_assert_eq(sdc_report_writer_for_path("out/findings.csv"), w);
    cr_assert_str_eq(sdc_report_writer_for_path("a.xml")->name, "junit");
    cr_assert_str_eq(sdc_report_writer_for_path("a.txt")->name, "text");
    cr_assert_null(sdc_report_writer_for_path("a.csv/report"));
    cr_assert_null(sdc_report_writer_for_path("report"));
}

/* The header, then one row per finding, every line ending in CRLF. */
Test(report_csv, one_row_per_finding_with_every_column_in_order)
{
    fixture fx;
    fixture_init(&fx, "out/a.csv");
    sdc_finding_at at = {.line = 12,
                         .row = "North / Female",
                         .column = "Male",
                         .value = "3",
                         .limit = 10,
                         .has_limit = true,
                         .advice = "suppress or combine categories"};
    cr_assert_eq(sdc_findings_add(&fx.files[0].findings, "threshold", SDC_FAIL, &at,
                                  "count 3 is below the threshold of 10"),
                 0);
    cr_assert_eq(
        sdc_findings_add(&fx.files[0].findings, "needs-review", SDC_REVIEW, NULL, "look at it"), 0);
    fixture_derive(&fx);
    char *text = render_csv(&fx.report);
    cr_assert_str_eq(text,
                     HEADER "\r\n"
                            "out/a.csv," SHA_A ",fail,threshold,fail,12,North / Female,Male,3,"
                            "10,count 3 is below the threshold of 10,"
                            "suppress or combine categories\r\n"
                            "out/a.csv," SHA_A ",fail,needs-review,review,,,,,,look at it,\r\n");
    free(text);
    fixture_free(&fx);
}

/* RFC 4180, 2.6 and 2.7: a field with a comma, quote or line break is
 * quoted and its quotes doubled. */
Test(report_csv, message_with_comma_quote_and_newline_is_quoted)
{
    fixture fx;
    fixture_init(&fx, "t.csv");
    sdc_finding_at at = {.row = "D / Electricity, gas", .value = "say \"hi\""};
    cr_assert_eq(sdc_findings_add(&fx.files[0].findings, "zeros", SDC_REVIEW, &at,
                                  "one, \"two\"\nthree\r\nfour"),
                 0);
    fixture_derive(&fx);
    char *text = render_csv(&fx.report);
    cr_assert_str_eq(text, HEADER "\r\n"
                                  "t.csv," SHA_A ",review,zeros,review,,\"D / Electricity, gas\",,"
                                  "\"say \"\"hi\"\"\",,\"one, \"\"two\"\"\nthree\r\nfour\",\r\n");
    csv_doc d = parse_csv(text);
    assert_twelve_fields(&d);
    cr_assert_eq(d.row_count, 2);
    cr_assert_str_eq(cell(&d, 1, COL_MESSAGE), "one, \"two\"\nthree\r\nfour");
    cr_assert_str_eq(cell(&d, 1, COL_ROW), "D / Electricity, gas");
    cr_assert_str_eq(cell(&d, 1, COL_VALUE), "say \"hi\"");
    doc_free(&d);
    free(text);
    fixture_free(&fx);
}

Test(report_csv, path_with_newline_and_script_reads_back_unchanged)
{
    const char *path = "sub/a\n\"b\",<script>alert(1)</script>.csv";
    fixture fx;
    fixture_init(&fx, path);
    fixture_derive(&fx);
    char *text = render_csv(&fx.report);
    cr_assert_not_null(strstr(text, "\r\n\"sub/a\n\"\"b\"\",<script>alert(1)</script>.csv\","));
    csv_doc d = parse_csv(text);
    assert_twelve_fields(&d);
    cr_assert_eq(d.row_count, 2);
    cr_assert_str_eq(cell(&d, 1, COL_PATH), path);
    doc_free(&d);
    free(text);
    fixture_free(&fx);
}

/* A file without findings is still listed: one row, rule and the rest
 * empty (sdccheck-report(5), CSV). */
Test(report_csv, file_without_findings_gets_one_row_with_an_empty_rule)
{
    fixture fx;
    fixture_init(&fx, "clean.csv");
    fixture_derive(&fx);
    char *text = render_csv(&fx.report);
    cr_assert_str_eq(text, HEADER "\r\nclean.csv," SHA_A ",pass,,,,,,,,,\r\n");
    free(text);
    fixture_free(&fx);
}

Test(report_csv, empty_report_is_the_header_alone)
{
    sdc_report empty = {0};
    char *text = render_csv(&empty);
    cr_assert_str_eq(text, HEADER "\r\n");
    free(text);
}

/* A file the tool could not read has no SHA-256: the field is empty. */
Test(report_csv, unread_file_has_an_empty_sha256)
{
    fixture fx;
    fixture_init(&fx, "gone.csv");
    fx.files[0].sha256[0] = '\0';
    cr_assert_eq(sdc_findings_add(&fx.files[0].findings, "unreadable", SDC_REVIEW, NULL, "gone"),
                 0);
    fixture_derive(&fx);
    char *text = render_csv(&fx.report);
    cr_assert_str_eq(text, HEADER "\r\ngone.csv,,review,unreadable,review,,,,,,gone,\r\n");
    free(text);
    fixture_free(&fx);
}

Test(report_csv, incomplete_check_gets_a_failing_row)
{
    fixture fx;
    fixture_init(&fx, "big.csv");
    sdc_findings_mark_incomplete(&fx.files[0].findings, SDC_INCOMPLETE_MEMORY);
    fixture_derive(&fx);
    char *text = render_csv(&fx.report);
    cr_assert_str_eq(text, HEADER "\r\nbig.csv," SHA_A ",fail,incomplete,fail,,,,,,"
                                  "the check is incomplete (out of memory): some findings may "
                                  "be missing,\r\n");
    free(text);
    fixture_free(&fx);
}

/* OWASP "CSV injection": text a spreadsheet would run gets an apostrophe;
 * numbers, negative ones included, and a lone "-" are left alone. */
Test(report_csv, formula_like_text_is_defused_and_numbers_are_not)
{
    fixture fx;
    fixture_init(&fx, "=HYPERLINK(\"http://x/\"&A1).csv");
    const char *values[] = {"-5", "+1.5e3", "-", "@SUM(A1)", "-2+3", "=1"};
    const char *expected[] = {"-5", "+1.5e3", "-", "'@SUM(A1)", "'-2+3", "'=1"};
    for (size_t i = 0; i < 6; i++) {
        sdc_finding_at at = {.value = values[i]};
        cr_assert_eq(sdc_findings_add(&fx.files[0].findings, "zeros", SDC_REVIEW, &at, "m"), 0);
    }
    fixture_derive(&fx);
    char *text = render_csv(&fx.report);
    csv_doc d = parse_csv(text);
    assert_twelve_fields(&d);
    cr_assert_eq(d.row_count, 7);
    for (size_t i = 0; i < 6; i++) {
        cr_assert_str_eq(cell(&d, i + 1, COL_VALUE), expected[i]);
        cr_assert_str_eq(cell(&d, i + 1, COL_PATH), "'=HYPERLINK(\"http://x/\"&A1).csv");
    }
    doc_free(&d);
    free(text);
    fixture_free(&fx);
}

Test(report_csv, invalid_utf8_becomes_the_replacement_character)
{
    fixture fx;
    fixture_init(&fx, "caf\xe9.csv");
    fixture_derive(&fx);
    char *text = render_csv(&fx.report);
    cr_assert_not_null(strstr(text, "\r\ncaf\xef\xbf\xbd.csv,"));
    free(text);
    fixture_free(&fx);
}

/* ------------------------------------------------------ files, as library */

/* Entries of DIR other than . and .. */
static size_t entries_in(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s: %s", dir, strerror(errno));
    size_t n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static char tmp[64];
static void tmp_setup(void)
{
    cr_assert_not_null(temp_dir_make(tmp, sizeof tmp, "report-file"));
}
static void tmp_teardown(void)
{
    cr_assert_eq(temp_dir_remove(tmp), 0);
}
TestSuite(report_file, .init = tmp_setup, .fini = tmp_teardown);

Test(report_file, report_appears_at_its_name_only_on_commit)
{
    fixture fx;
    fixture_init(&fx, "x.csv");
    fixture_derive(&fx);
    char *path = NULL;
    cr_assert_geq(asprintf(&path, "%s/r.csv", tmp), 0);
    sdc_report_file file;
    sdc_status st = {0};
    cr_assert_eq(
        sdc_report_file_write(sdc_report_writer_find("csv"), &fx.report, &plain, path, &file, &st),
        0, "%s", st.message);
    cr_assert_neq(access(path, F_OK), 0, "the report is at its name before the commit");
    cr_assert_eq(entries_in(tmp), 1, "one temporary file");
    cr_assert_eq(sdc_report_file_commit(&file, &st), 0, "%s", st.message);
    char *text = sdc_test_slurp(path);
    cr_assert_str_eq(text, HEADER "\r\nx.csv," SHA_A ",pass,,,,,,,,,\r\n");
    cr_assert_eq(entries_in(tmp), 1, "the temporary file is gone");
    free(text);
    free(path);
    fixture_free(&fx);
}

Test(report_file, discard_leaves_nothing)
{
    fixture fx;
    fixture_init(&fx, "x.csv");
    fixture_derive(&fx);
    char *path = NULL;
    cr_assert_geq(asprintf(&path, "%s/r.json", tmp), 0);
    sdc_report_file file;
    cr_assert_eq(sdc_report_file_write(sdc_report_writer_find("json"), &fx.report, &plain, path,
                                       &file, NULL),
                 0);
    sdc_report_file_discard(&file);
    cr_assert_eq(entries_in(tmp), 0);
    free(path);
    fixture_free(&fx);
}

/* A writer that writes a little, then fails as a full disk would. */
static int half_then_fail(const sdc_report *report, const sdc_report_options *opts, FILE *out)
{
    (void)report;
    (void)opts;
    fputs("{\"half\": ", out);
    errno = ENOSPC;
    return SDC_EIO;
}

Test(report_file, failing_writer_keeps_the_old_report_and_leaves_no_temporary)
{
    char *path = put_file(tmp, "r.json", "old report\n");
    cr_assert_not_null(path);
    sdc_report_writer broken = {.name = "broken", .write = half_then_fail, .extension = "json"};
    sdc_report empty = {0};
    sdc_report_file file;
    sdc_status st = {0};
    cr_assert_eq(sdc_report_file_write(&broken, &empty, &plain, path, &file, &st), SDC_EIO);
    char *want = NULL;
    cr_assert_geq(asprintf(&want, "cannot write %s: %s", path, strerror(ENOSPC)), 0);
    cr_assert_str_eq(st.message, want);
    char *text = sdc_test_slurp(path);
    cr_assert_str_eq(text, "old report\n");
    cr_assert_eq(entries_in(tmp), 1);
    free(text);
    free(want);
    free(path);
}

Test(report_file, folder_under_a_regular_file_is_not_a_directory)
{
    char *file_path = put_file(tmp, "plain", "x");
    char *path = NULL;
    cr_assert_geq(asprintf(&path, "%s/r.csv", file_path), 0);
    sdc_report empty = {0};
    sdc_report_file file;
    sdc_status st = {0};
    cr_assert_lt(
        sdc_report_file_write(sdc_report_writer_find("csv"), &empty, &plain, path, &file, &st), 0);
    char *want = NULL;
    cr_assert_geq(asprintf(&want, "cannot write %s: %s", path, strerror(ENOTDIR)), 0);
    cr_assert_str_eq(st.message, want);
    free(want);
    free(path);
    free(file_path);
}

/* mkstemp makes a 0600 file; the report gets the mode of a new file. */
Test(report_file, new_report_gets_the_mode_the_umask_allows)
{
    umask(027);
    char *path = NULL;
    cr_assert_geq(asprintf(&path, "%s/r.csv", tmp), 0);
    sdc_report empty = {0};
    sdc_report_file file;
    cr_assert_eq(
        sdc_report_file_write(sdc_report_writer_find("csv"), &empty, &plain, path, &file, NULL), 0);
    cr_assert_eq(sdc_report_file_commit(&file, NULL), 0);
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    cr_assert_eq(sb.st_mode & 0777, 0640, "mode %o", (unsigned)(sb.st_mode & 0777));
    free(path);
}

/* A name that is not a regular file (here a FIFO; /dev/null is one too)
 * cannot be replaced by a rename: it is written in place and stays what
 * it was. */
Test(report_file, fifo_is_written_in_place_and_stays_a_fifo)
{
    char *fifo = NULL, *got = NULL;
    cr_assert_geq(asprintf(&fifo, "%s/pipe", tmp), 0);
    cr_assert_geq(asprintf(&got, "%s/got", tmp), 0);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    pid_t reader = fork();
    cr_assert_geq(reader, 0);
    if (reader == 0) {
        /* Copies what comes through the FIFO to GOT. */
        int in = open(fifo, O_RDONLY), out = open(got, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        char buf[4096];
        ssize_t n;
        while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
            if (write(out, buf, (size_t)n) != n)
                _exit(1);
        _exit(in >= 0 && out >= 0 && close(out) == 0 ? 0 : 1);
    }
    sdc_report empty = {0};
    sdc_report_file file;
    sdc_status st = {0};
    int rc = sdc_report_file_write(sdc_report_writer_find("csv"), &empty, &plain, fifo, &file, &st);
    /* Had the report gone elsewhere, the reader would still wait for a
     * writer: this one, which writes nothing, lets it finish instead of
     * hanging the test. */
    int unblock = open(fifo, O_WRONLY | O_NONBLOCK);
    if (unblock >= 0)
        close(unblock);
    int status = 0;
    cr_assert_eq(waitpid(reader, &status, 0), reader);
    cr_assert_eq(rc, 0, "%s", st.message);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    cr_assert_null(file.temp, "no temporary file for a FIFO");
    cr_assert_eq(sdc_report_file_commit(&file, &st), 0);
    struct stat sb;
    cr_assert_eq(lstat(fifo, &sb), 0);
    cr_assert(S_ISFIFO(sb.st_mode), "the FIFO was replaced");
    char *text = sdc_test_slurp(got);
    cr_assert_str_eq(text, HEADER "\r\n");
    cr_assert_eq(entries_in(tmp), 2, "the FIFO and the copy, nothing else");
    free(text);
    free(got);
    free(fifo);
}

/* A symbolic link to a report stays a link; the file it names is replaced. */
Test(report_file, link_to_a_report_stays_a_link)
{
    char *real = put_file(tmp, "real.csv", "old\n");
    char *link = NULL;
    cr_assert_geq(asprintf(&link, "%s/link.csv", tmp), 0);
    cr_assert_eq(symlink("real.csv", link), 0);
    sdc_report empty = {0};
    sdc_report_file file;
    cr_assert_eq(
        sdc_report_file_write(sdc_report_writer_find("csv"), &empty, &plain, link, &file, NULL), 0);
    cr_assert_eq(sdc_report_file_commit(&file, NULL), 0);
    struct stat sb;
    cr_assert_eq(lstat(link, &sb), 0);
    cr_assert(S_ISLNK(sb.st_mode), "the link was replaced by a file");
    char *text = sdc_test_slurp(real);
    cr_assert_str_eq(text, HEADER "\r\n");
    cr_assert_eq(entries_in(tmp), 2);
    free(text);
    free(link);
    free(real);
}

Test(report_file, output_folder_is_made_or_must_be_empty)
{
    char *dir = NULL;
    cr_assert_geq(asprintf(&dir, "%s/out", tmp), 0);
    bool created = false;
    sdc_status st = {0};
    cr_assert_eq(sdc_report_dir_prepare(dir, &created, &st), 0);
    cr_assert(created);
    cr_assert_eq(sdc_report_dir_prepare(dir, &created, &st), 0, "an empty folder is taken");
    cr_assert_not(created);
    char *old = put_file(dir, "report.json", "{}");
    cr_assert_eq(sdc_report_dir_prepare(dir, &created, &st), SDC_EEXIST);
    cr_assert_not_null(strstr(st.message, "the folder is not empty"), "%s", st.message);
    cr_assert_eq(sdc_report_dir_prepare(old, &created, &st), SDC_EIO, "a file is not a folder");
    free(old);
    free(dir);
}

Test(report_file, output_names_in_a_folder)
{
    const char *want[][2] = {
        {"text", "out/report.txt"},
        {"json", "out/report.json"},
        {"junit", "out/report.xml"},
        {"csv", "out/report.csv"},
    };
    for (size_t i = 0; i < 4; i++) {
        char *p = sdc_report_output_path(sdc_report_writer_find(want[i][0]), "out/");
        cr_assert_str_eq(p, want[i][1]);
        free(p);
        p = sdc_report_output_path(sdc_report_writer_find(want[i][0]), "out");
        cr_assert_str_eq(p, want[i][1]);
        free(p);
    }
    /* A folder format (no extension) is a folder of its own. */
    sdc_report_writer folder = {.name = "sacro"};
    char *p = sdc_report_output_path(&folder, "out/");
    cr_assert_str_eq(p, "out/sacro");
    free(p);
}

/* ------------------------------------------------------- the real binary */

typedef sdc_test_ran run;

/* The binary run with ARGS (sdc_test_run: no file size limit). */
#define RUN(...) sdc_test_run(0, NULL, (const char *const[]){__VA_ARGS__, NULL})
#define run_free sdc_test_ran_free

/* DIR/NAME (DIR may end in a slash). */
static char *joined(const char *dir, const char *name)
{
    char *p = NULL;
    size_t len = strlen(dir);
    cr_assert_geq(asprintf(&p, "%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", name), 0);
    return p;
}

/* Runs /usr/bin/python3 -c SCRIPT ARG1 ARG2 without a shell (the
 * arguments may hold any byte). Returns its exit status. Without python3
 * the test fails in CI and is skipped, saying so, elsewhere. */
static int python(const char *script, const char *arg1, const char *arg2)
{
    SDC_TEST_NEED_TOOL("/usr/bin/python3", "python3");
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        execl("/usr/bin/python3", "python3", "-c", script, arg1, arg2, (char *)NULL);
        _exit(126);
    }
    int st = 0;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The JSON report at ARG1 parses, and its files[0].path is ARG2. */
#define PY_JSON_PATH                                                                               \
    "import json,sys; d=json.load(open(sys.argv[1], encoding='utf-8')); "                          \
    "sys.exit(0 if d['files'][0]['path'] == sys.argv[2] else 1)"
/* The JUnit report at ARG1 parses, and its first test case is named ARG2. */
#define PY_XML_PATH                                                                                \
    "import sys, xml.dom.minidom as m; d=m.parse(sys.argv[1]); "                                   \
    "t=d.getElementsByTagName('testcase')[0]; "                                                    \
    "sys.exit(0 if t.getAttribute('name') == sys.argv[2] else 1)"

TestSuite(report_out, .init = tmp_setup, .fini = tmp_teardown);

/* A non-pass row expected in the CSV report, worked out by hand. */
typedef struct want_row {
    const char *rule, *verdict, *line, *row, *column, *value, *limit;
} want_row;

/*
 * testdata/submission/turnover_by_sic.csv under ons-srs (threshold 10,
 * nk (2, 0.9), p_ratio 0.1): section B has n = 2 firms (line 3), below
 * the threshold both as a count and as the turnover's contributors; with
 * 2 contributors the largest 2 hold all of its 18400 (nk) and the rest
 * 18400 - 11200 - 7200 = 0 is under 10% of 11200 (p%). Section D (line 5,
 * a label with commas): (884100 + 12600) / 925300 = 96.9% > 90% (nk) and
 * the rest 925300 - 884100 - 12600 = 28600 < 88410 (p%). A, C, F, G have
 * n >= 34 and top-2 shares of at most 23%. The limit is the policy's
 * number each rule judges by.
 */
static const want_row turnover_rows[] = {
    {"threshold", "fail", "3", "B / Mining and quarrying", "n", "2", "10"},
    {"threshold", "fail", "3", "B / Mining and quarrying", "turnover", "18400", "10"},
    {"nk-rule", "fail", "3", "B / Mining and quarrying", "turnover", "18400", "0.9"},
    {"p-ratio", "fail", "3", "B / Mining and quarrying", "turnover", "18400", "0.1"},
    {"nk-rule", "fail", "5", "D / Electricity, gas, steam and air conditioning supply", "turnover",
     "925300", "0.9"},
    {"p-ratio", "fail", "5", "D / Electricity, gas, steam and air conditioning supply", "turnover",
     "925300", "0.1"},
};

Test(report_out, csv_rows_of_a_table_are_the_findings_worked_out_by_hand)
{
    const char *table = "testdata/submission/turnover_by_sic.csv";
    char *report = joined(tmp, "findings.csv");
    run r = RUN("-f", "csv", "-o", report, table);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    char sha[65];
    cr_assert_eq(sha256sum_of(table, sha), 0);
    char *text = sdc_test_slurp(report);
    cr_assert_not_null(text);
    cr_assert_eq(strncmp(text, HEADER "\r\n", strlen(HEADER) + 2), 0, "%s", text);
    /* The label with commas is quoted, as RFC 4180 says. */
    cr_assert_not_null(
        strstr(text, ",5,\"D / Electricity, gas, steam and air conditioning supply\",turnover,"));
    csv_doc d = parse_csv(text);
    assert_twelve_fields(&d);
    size_t seen = 0;
    for (size_t row = 1; row < d.row_count; row++) {
        cr_assert_str_eq(cell(&d, row, COL_PATH), table);
        cr_assert_str_eq(cell(&d, row, COL_SHA256), sha);
        cr_assert_str_eq(cell(&d, row, COL_FILE_VERDICT), "fail");
        if (strcmp(cell(&d, row, COL_VERDICT), "pass") == 0)
            continue; /* notes are not worked out here */
        cr_assert_lt(seen, 6, "more non-pass rows than worked out: %s", cell(&d, row, COL_RULE));
        const want_row *w = &turnover_rows[seen++];
        cr_assert_str_eq(cell(&d, row, COL_RULE), w->rule);
        cr_assert_str_eq(cell(&d, row, COL_VERDICT), w->verdict);
        cr_assert_str_eq(cell(&d, row, COL_LINE), w->line);
        cr_assert_str_eq(cell(&d, row, COL_ROW), w->row);
        cr_assert_str_eq(cell(&d, row, COL_COLUMN), w->column);
        cr_assert_str_eq(cell(&d, row, COL_VALUE), w->value);
        cr_assert_str_eq(cell(&d, row, COL_LIMIT), w->limit);
        cr_assert_neq(cell(&d, row, COL_MESSAGE)[0], '\0', "a finding has a message");
    }
    cr_assert_eq(seen, 6, "%zu non-pass rows", seen);
    doc_free(&d);
    free(text);
    free(report);
    run_free(&r);
}

/* region_by_sex.csv passes (every count >= 398): one row, rule empty. */
Test(report_out, csv_lists_a_passing_file_in_one_row)
{
    const char *table = "testdata/submission/region_by_sex.csv";
    run r = RUN("-f", "csv", table);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    char sha[65];
    cr_assert_eq(sha256sum_of(table, sha), 0);
    char *want = NULL;
    cr_assert_geq(asprintf(&want, HEADER "\r\n%s,%s,pass,,,,,,,,,\r\n", table, sha), 0);
    cr_assert_str_eq(r.out, want);
    free(want);
    run_free(&r);
}

Test(report_out, output_named_csv_without_f_is_csv)
{
    char *report = joined(tmp, "f.csv");
    run r = RUN("-o", report, "testdata/submission/region_by_sex.csv");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *text = sdc_test_slurp(report);
    cr_assert(text && strncmp(text, HEADER "\r\n", strlen(HEADER) + 2) == 0, "%s", text);
    free(text);
    free(report);
    run_free(&r);
}

Test(report_out, several_formats_go_to_one_folder_each_under_its_name)
{
    char *dir = joined(tmp, "report/");
    run r = RUN("-q", "-f", "json", "-f", "csv", "-f", "junit", "-f", "text", "-o", dir,
                "testdata/submission");
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert_eq(r.out[0], '\0', "nothing on standard output: %s", r.out);
    cr_assert_eq(entries_in(dir), 4, "four reports and nothing else");
    char *json = joined(dir, "report.json"), *csv = joined(dir, "report.csv");
    char *xml = joined(dir, "report.xml"), *txt = joined(dir, "report.txt");
    cr_assert_eq(python(PY_JSON_PATH, json, "testdata/submission/deaths_by_ward.csv"), 0);
    cr_assert_eq(python(PY_XML_PATH, xml, "testdata/submission/deaths_by_ward.csv"), 0);
    char *text = sdc_test_slurp(csv);
    cr_assert_not_null(text);
    csv_doc d = parse_csv(text);
    assert_twelve_fields(&d);
    cr_assert_str_eq(cell(&d, 1, COL_PATH), "testdata/submission/deaths_by_ward.csv");
    doc_free(&d);
    free(text);
    text = sdc_test_slurp(txt);
    cr_assert(text && strstr(text, "Verdict: FAIL"), "%s", text ? text : "(missing)");
    free(text);
    free(json);
    free(csv);
    free(xml);
    free(txt);
    free(dir);
    run_free(&r);
}

/* Pairs keep working, and a new name without a slash is a file: the json
 * goes to its own file, the junit to "more", the csv to standard output. */
Test(report_out, new_name_without_a_slash_is_a_file_not_a_folder)
{
    char *json = joined(tmp, "a.json"), *dir = joined(tmp, "more");
    run r = RUN("-f", "json", "-o", json, "-f", "csv", "-f", "junit", "-o", dir,
                "testdata/submission/region_by_sex.csv");
    /* "more" does not exist and has no slash: a file, the junit report;
     * the csv report goes to standard output. */
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(strncmp(r.out, HEADER, strlen(HEADER)), 0, "%s", r.out);
    char *text = sdc_test_slurp(dir);
    cr_assert(text && strstr(text, "<testsuites"), "%s", text ? text : "(missing)");
    free(text);
    text = sdc_test_slurp(json);
    cr_assert(text && text[0] == '{');
    free(text);
    run_free(&r);
    free(json);
    free(dir);
}

Test(report_out, hostile_file_name_is_escaped_in_csv_json_and_junit)
{
    char *sub = joined(tmp, "in");
    cr_assert_eq(mkdir(sub, 0755), 0);
    const char *name = "a\n\"b\",<script>alert(1).csv";
    char *table = put_file(sub, name, "region,count\nNorth,120\nSouth,3\n");
    cr_assert_not_null(table);
    char *dir = joined(tmp, "out/");
    run r = RUN("-f", "csv", "-f", "json", "-f", "junit", "-o", dir, table);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    char *csv = joined(dir, "report.csv"), *json = joined(dir, "report.json");
    char *xml = joined(dir, "report.xml");

    char *text = sdc_test_slurp(csv);
    cr_assert_not_null(text);
    char *quoted = NULL;
    cr_assert_geq(asprintf(&quoted, "\r\n\"%s/a\n\"\"b\"\",<script>alert(1).csv\",", sub), 0);
    cr_assert_not_null(strstr(text, quoted), "%s", text);
    csv_doc d = parse_csv(text);
    assert_twelve_fields(&d);
    for (size_t row = 1; row < d.row_count; row++)
        cr_assert_str_eq(cell(&d, row, COL_PATH), table);
    doc_free(&d);
    free(text);

    text = sdc_test_slurp(xml);
    cr_assert(text && !strstr(text, "<script>") && strstr(text, "&lt;script&gt;"));
    free(text);
    text = sdc_test_slurp(json);
    cr_assert(text && strstr(text, "a\\n\\\"b\\\",<script>"), "%s", text);
    free(text);
    cr_assert_eq(python(PY_JSON_PATH, json, table), 0, "the JSON path is not the file's name");
    cr_assert_eq(python(PY_XML_PATH, xml, table), 0, "the JUnit name is not the file's name");

    free(quoted);
    free(csv);
    free(json);
    free(xml);
    free(dir);
    free(table);
    free(sub);
    run_free(&r);
}

/* A regular file where a folder should be: root can write anywhere else. */
Test(report_out, unwritable_output_is_exit_2_with_the_reason)
{
    char *plain_file = put_file(tmp, "plain", "x");
    char *report = joined(plain_file, "r.csv");
    run r = RUN("-f", "csv", "-o", report, "testdata/submission/region_by_sex.csv");
    cr_assert_eq(r.status, 2, "exit %d", r.status);
    char *want = NULL;
    cr_assert_geq(asprintf(&want, "sdccheck: cannot write %s: Not a directory\n", report), 0);
    cr_assert_str_eq(r.err, want);
    free(want);
    run_free(&r);

    char *dir = joined(plain_file, "out/");
    r = RUN("-f", "csv", "-f", "json", "-o", dir, "testdata/submission/region_by_sex.csv");
    cr_assert_eq(r.status, 2, "exit %d", r.status);
    cr_assert_geq(asprintf(&want, "sdccheck: cannot write %s: Not a directory\n", dir), 0);
    cr_assert_str_eq(r.err, want);
    cr_assert_eq(entries_in(tmp), 1, "nothing but the plain file");
    free(want);
    free(dir);
    free(report);
    free(plain_file);
    run_free(&r);
}

/* A file size limit stands in for a full disk: writes fail with EFBIG
 * part way through the first report. */
Test(report_out, full_disk_is_exit_2_and_leaves_no_report)
{
    char *dir = joined(tmp, "report/");
    run r = sdc_test_run(
        2048, NULL,
        (const char *const[]){"-f", "json", "-f", "csv", "-o", dir, "testdata/submission", NULL});
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    char *json = joined(dir, "report.json");
    char *want = NULL;
    cr_assert_geq(asprintf(&want, "sdccheck: cannot write %s: %s\n", json, strerror(EFBIG)), 0);
    cr_assert_str_eq(r.err, want);
    cr_assert_eq(entries_in(tmp), 0, "the folder it made is gone, with nothing in it");
    run_free(&r);

    /* A report replaced in place keeps its old text when the new one fails. */
    char *old = put_file(tmp, "old.json", "the earlier report\n");
    r = sdc_test_run(2048, NULL,
                     (const char *const[]){"-f", "json", "-o", old, "testdata/submission", NULL});
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    char *text = sdc_test_slurp(old);
    cr_assert_str_eq(text, "the earlier report\n");
    cr_assert_eq(entries_in(tmp), 1, "no temporary file left");
    free(text);
    free(old);
    free(want);
    free(json);
    free(dir);
    run_free(&r);
}

/* A later report failing takes the earlier ones with it. */
Test(report_out, one_report_failing_leaves_none_of_the_others)
{
    char *good = joined(tmp, "good.json");
    char *plain_file = put_file(tmp, "plain", "x");
    char *bad = joined(plain_file, "bad.csv");
    run r = RUN("-f", "json", "-o", good, "-f", "csv", "-o", bad,
                "testdata/submission/region_by_sex.csv");
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert_neq(access(good, F_OK), 0, "the json report was left behind");
    cr_assert_eq(entries_in(tmp), 1);
    free(good);
    free(bad);
    free(plain_file);
    run_free(&r);
}

Test(report_out, existing_non_empty_folder_is_refused)
{
    char *dir = joined(tmp, "earlier");
    cr_assert_eq(mkdir(dir, 0755), 0);
    char *old = put_file(dir, "report.json", "the earlier report\n");
    char *slash = joined(tmp, "earlier/");
    run r = RUN("-f", "json", "-f", "csv", "-o", slash, "testdata/submission/region_by_sex.csv");
    cr_assert_eq(r.status, 2, "exit %d", r.status);
    cr_assert_not_null(strstr(r.err, "cannot write"), "%s", r.err);
    cr_assert_not_null(strstr(r.err, "the folder is not empty"), "%s", r.err);
    cr_assert_eq(r.out[0], '\0', "nothing checked, nothing printed: %s", r.out);
    char *text = sdc_test_slurp(old);
    cr_assert_str_eq(text, "the earlier report\n");
    cr_assert_eq(entries_in(dir), 1);
    free(text);
    run_free(&r);
    /* An existing folder named without the slash is a folder too. */
    r = RUN("-f", "csv", "-o", dir, "testdata/submission/region_by_sex.csv");
    cr_assert_eq(r.status, 2, "exit %d", r.status);
    cr_assert_eq(entries_in(dir), 1);
    free(old);
    free(slash);
    free(dir);
    run_free(&r);
}

Test(report_out, two_reports_to_one_file_is_refused)
{
    char *dir = joined(tmp, "r/");
    run r = RUN("-f", "csv", "-f", "csv", "-o", dir, "testdata/submission/region_by_sex.csv");
    cr_assert_eq(r.status, 2, "exit %d", r.status);
    cr_assert_not_null(strstr(r.err, "two reports would be written to"), "%s", r.err);
    cr_assert_eq(entries_in(tmp), 0, "the folder made for them is gone");
    free(dir);
    run_free(&r);
}
