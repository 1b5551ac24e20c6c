/*
 * main.c - the sdccheck command: parse options, call the library, pick
 * report writers, map the verdict to an exit status. No checking logic
 * lives here; everything a CI hook might want is a library call.
 *
 * Exit status (doc/design.md, "Exit status"): 0 cleared, 1 a fail, 3 review but no fail,
 * 2 usage error or the tool could not do its job.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hugepages.h"
#include "progress.h"
#include "sdccheck/sdccheck.h"
#include "ledger_cmd.h"

enum { EXIT_CLEARED = 0, EXIT_FAIL = 1, EXIT_ERROR = 2, EXIT_REVIEW = 3 };

#define MAX_OUTPUTS 16

typedef struct output_spec {
    const char *format; /* NULL: from the file name, else text */
    const char *path;   /* NULL or "-": standard output */
    bool folder;        /* PATH is an output folder: the report is
                           sdc_report_output_path's name in it */
} output_spec;

typedef struct options {
    const char *policy;
    output_spec outputs[MAX_OUTPUTS];
    int output_count;
    int jobs;
    int verbosity;
    const char *color;
    const char *fix_dir;
    const char *table_spec;
    const char *microdata;
    const char *variables; /* ingest --variables FILE */
    const char *ledger;    /* check --ledger LEDGER: audited with the releases */
    sdc_suppress_mode suppress;
    bool progress; /* --progress: a progress line when stderr is a terminal */
    bool each;     /* --each QUEUE: every entry a submission (check_each) */
} options;

/* --suppress modular|heuristic|optimal|quick; -1 for anything else. */
static int suppress_mode(const char *arg)
{
    if (strcmp(arg, "modular") == 0)
        return SDC_SUPPRESS_MODULAR;
    if (strcmp(arg, "heuristic") == 0)
        return SDC_SUPPRESS_HEURISTIC;
    if (strcmp(arg, "optimal") == 0)
        return SDC_SUPPRESS_OPTIMAL;
    if (strcmp(arg, "quick") == 0)
        return SDC_SUPPRESS_QUICK;
    return -1;
}

/* Seconds the optimal mode may spend on one table before the heuristic
 * takes over. */
#define OPTIMAL_TIME_LIMIT 30.0

static const char usage_text[] =
    "Usage: sdccheck [check] [OPTIONS] [--ledger LEDGER] PATH...\n"
    "       sdccheck check --each QUEUE/ -o OUTDIR/ [-f FORMAT]... [OPTIONS]\n"
    "       sdccheck ingest [OPTIONS] [--variables FILE] PATH...\n"
    "       sdccheck audit [-p POLICY] [--table-spec FILE] TABLE.csv\n"
    "       sdccheck protect --by COL[,COL...] [--value COL] [--unit COL]\n"
    "                        [--mitigation suppress|round] [--suppress MODE]\n"
    "                        [--table-spec FILE] [-o OUT] DATA.csv\n"
    "       sdccheck policy list | show NAME | check FILE\n"
    "       sdccheck release --ledger LEDGER --reviewer NAME [--comment TEXT]\n"
    "                        [--approve REASON] REPORT.json\n"
    "       sdccheck verify (--ledger LEDGER [--release ID] | REPORT.json) PATH...\n"
    "       sdccheck ledger --ledger LEDGER [-f text|json] list | show ID | export\n"
    "       sdccheck --help | --version\n"
    "\n"
    "Checks statistical outputs (tables, and any other file) for disclosure\n"
    "risk before they leave a secure research environment; 'ingest' checks\n"
    "files coming in (models fail, data may come in, see sdccheck(1), INGEST).\n"
    "\n";

/* The options, apart from the usage lines: one string each stays within
 * the length C99 compilers must support. */
static const char options_text[] =
    "Options:\n"
    "  -p, --policy NAME|FILE   rules to apply (default: ons-srs; see 'policy list')\n"
    "  -f, --format FORMAT      report format: text, json, junit, csv, html or sacro\n"
    "                           (repeatable, each -f may be followed by its own -o);\n"
    "                           html is one page that loads nothing, its tables\n"
    "                           drawn with failing cells highlighted;\n"
    "                           sacro is a folder SACRO-Viewer opens: -o DIR (new or\n"
    "                           empty), or DIR/sacro/ in an output folder\n"
    "  -o, --output FILE|DIR/   write the report to FILE (default: standard output);\n"
    "                           without -f the format follows the name (.json, .xml,\n"
    "                           .csv, .html); a folder (DIR/, or one that exists)\n"
    "                           gets the reports of every -f before it as\n"
    "                           DIR/report.EXT; it must be new or empty. A report\n"
    "                           that cannot be written in full leaves none behind\n"
    "                           (status 2)\n"
    "  -j, --jobs N             check N files, or an archive's members, at a time\n"
    "                           (default: number of cores); with --each, N\n"
    "                           submissions at a time\n"
    "      --each               batch screening: every folder, archive or file in\n"
    "                           the one PATH (the queue) is a submission of its own;\n"
    "                           needs -o OUTDIR/ (new or empty): OUTDIR/NAME/report.EXT\n"
    "                           for each -f (default text), OUTDIR/index.json and\n"
    "                           OUTDIR/index.html; the exit status is the worst\n"
    "                           submission's\n"
    "      --table-spec FILE    declared layouts for the tables (see sdccheck(1));\n"
    "                           a NAME.sdc.yaml beside NAME.csv wins over it\n"
    "      --microdata FILE     verify each table against the records it came from\n"
    "      --fix DIR            write suppressed copies of failing tables to DIR\n"
    "                           (primary and complementary suppression) and\n"
    "                           check the copies too\n"
    "      --suppress MODE      how --fix and protect choose complementary cells:\n"
    "                           modular (default: optimal on small tables and on\n"
    "                           the subtables of hierarchical ones, the heuristic\n"
    "                           on the rest), heuristic (any size),\n"
    "                           optimal (fewest cells; falls back and says so)\n"
    "                           or quick (modular, but large tables of three\n"
    "                           dimensions or more in a few audit rounds, at\n"
    "                           about a tenth more complements)\n"
    "      --variables FILE     ingest: the approved variables (one a line, or a CSV\n"
    "                           whose first column holds them; case ignored): a\n"
    "                           data file's variable not on it fails\n"
    "      --ledger LEDGER      audit the tables with those released before (read\n"
    "                           from LEDGER, read-only): a cell they give away\n"
    "                           with a release fails, naming it; a file released\n"
    "                           before is noted (released-before)\n"
    "      --progress           a progress line on standard error while checking,\n"
    "                           when it is a terminal (not with -q)\n"
    "  -q, --quiet              text report: only the summary line\n"
    "  -v, --verbose            text report: also notes on files that pass\n"
    "      --color WHEN         auto (default), always or never\n"
    "  -h, --help               show this help\n"
    "  -V, --version            show the version\n"
    "\n"
    "Exit status: 0 cleared (every finding passes), 1 at least one fail,\n"
    "3 no fail but something needs review (or no files were found),\n"
    "2 usage error or the tool failed.\n"
    "See sdccheck(1), sdccheck-policy(5) and sdccheck-report(5).\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sdccheck: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (try 'sdccheck --help')\n", stderr);
    va_end(ap);
    return EXIT_ERROR;
}

/* The exit status of a verdict (sdccheck(1), EXIT STATUS). */
static int exit_status(sdc_verdict v)
{
    return v == SDC_FAIL ? EXIT_FAIL : v == SDC_REVIEW ? EXIT_REVIEW : EXIT_CLEARED;
}

/* The format of an -o without -f: the one whose extension ends PATH's
 * name (.txt, .json, .xml, .csv, .html), else text. */
static const char *format_from_name(const char *path)
{
    const sdc_report_writer *w = sdc_report_writer_for_path(path);
    return w ? w->name : "text";
}

/* The formats, "text, json, junit, csv", into BUF for a usage error. */
static const char *format_names(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const sdc_report_writer *const *w = sdc_report_writers(); *w && used < size; w++) {
        int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", (*w)->name);
        used = n < 0 ? size : used + (size_t)n;
    }
    return buf;
}

/* An -o naming a folder: it ends in '/' or is one. */
static bool names_a_folder(const char *path)
{
    struct stat sb;
    size_t len = strlen(path);
    return (len > 0 && path[len - 1] == '/') || (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
}

static bool color_wanted(const char *when, bool to_stdout)
{
    if (strcmp(when, "always") == 0)
        return true;
    if (strcmp(when, "never") == 0)
        return false;
    const char *term = getenv("TERM");
    return to_stdout && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
           !(term && strcmp(term, "dumb") == 0);
}

/* SOURCE_DATE_EPOCH (reproducible builds convention) fixes the report date. */
static long long report_time(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end = NULL;
        long long v = strtoll(sde, &end, 10);
        if (end && *end == '\0' && v >= 0)
            return v;
    }
    return (long long)time(NULL);
}

static void print_policy_errors(const sdc_policy_errors *errs)
{
    for (size_t i = 0; i < errs->count; i++) {
        const sdc_policy_error *e = &errs->items[i];
        if (e->line > 0)
            fprintf(stderr, "sdccheck: %s:%ld: %s\n", e->file ? e->file : "policy", e->line,
                    e->message);
        else
            fprintf(stderr, "sdccheck: %s: %s\n", e->file ? e->file : "policy", e->message);
    }
}

static int cmd_policy(int argc, char **argv)
{
    if (argc < 1)
        return usage_error("%s", "policy needs list, show NAME or check FILE");
    const char *sub = argv[0];
    if (strcmp(sub, "list") == 0) {
        for (const char *const *n = sdc_policy_builtin_names(); *n; n++) {
            sdc_policy *p = sdc_policy_load(*n, NULL);
            printf("%-14s %s%s\n", *n, p && p->description ? p->description : "",
                   strcmp(*n, "ons-srs") == 0 ? " (default)" : "");
            sdc_policy_free(p);
        }
        return EXIT_CLEARED;
    }
    if (strcmp(sub, "show") == 0) {
        const char *name = argc >= 2 ? argv[1] : "ons-srs";
        sdc_policy_errors errs = {0};
        sdc_policy *p = sdc_policy_load(name, &errs);
        if (!p) {
            print_policy_errors(&errs);
            sdc_policy_errors_free(&errs);
            return EXIT_ERROR;
        }
        int rc = sdc_policy_write_yaml(p, stdout) < 0 ? EXIT_ERROR : EXIT_CLEARED;
        sdc_policy_free(p);
        sdc_policy_errors_free(&errs);
        return rc;
    }
    if (strcmp(sub, "check") == 0) {
        if (argc < 2)
            return usage_error("%s", "policy check needs a FILE");
        sdc_policy_errors errs = {0};
        int n = sdc_policy_check_file(argv[1], &errs);
        print_policy_errors(&errs);
        sdc_policy_errors_free(&errs);
        if (n < 0)
            return EXIT_ERROR;
        if (n > 0) {
            fprintf(stderr, "sdccheck: %s: %d error%s\n", argv[1], n, n == 1 ? "" : "s");
            return EXIT_FAIL;
        }
        printf("%s: valid policy\n", argv[1]);
        return EXIT_CLEARED;
    }
    return usage_error("unknown policy command '%s'", sub);
}

/* `sdccheck audit TABLE.csv`: every suppressed cell's interval. */
static int cmd_audit(int argc, char **argv, const options *o)
{
    if (argc != 1)
        return usage_error("%s", "audit needs one TABLE.csv");
    sdc_policy_errors errs = {0};
    sdc_policy *policy = o->policy ? sdc_policy_load(o->policy, &errs) : sdc_policy_default();
    if (!policy) {
        print_policy_errors(&errs);
        sdc_policy_errors_free(&errs);
        return EXIT_ERROR;
    }
    sdc_policy_errors_free(&errs);
    if (o->table_spec && access(o->table_spec, R_OK) != 0) {
        fprintf(stderr, "sdccheck: --table-spec %s: %s\n", o->table_spec, strerror(errno));
        sdc_policy_free(policy);
        return EXIT_ERROR;
    }
    sdc_checker *ck = sdc_checker_new(policy, NULL);
    if (!ck) {
        sdc_policy_free(policy);
        fprintf(stderr, "sdccheck: out of memory\n");
        return EXIT_ERROR;
    }
    sdc_checker_set_table_spec(ck, o->table_spec);
    sdc_findings f = {0};
    sdc_status st = {0};
    sdc_table_spec *spec = NULL;
    sdc_table *t = sdc_checker_read_table(ck, argv[0], &spec, &f, &st);
    for (size_t i = 0; i < f.count; i++)
        if (strcmp(f.items[i].rule, "malformed") == 0)
            fprintf(stderr, "sdccheck: %s: %s\n", argv[0], f.items[i].message);
    int status = EXIT_CLEARED;
    if (!t) {
        fprintf(stderr, "sdccheck: %s\n", st.message[0] ? st.message : sdc_strerror(st.code));
        status = EXIT_ERROR;
    } else {
        sdc_audit a = {0};
        if (sdc_audit_table_consistent(t, policy, 60, 0, &a) < 0) {
            fprintf(stderr, "sdccheck: out of memory\n");
            status = EXIT_ERROR;
        } else {
            double need = sdc_audit_need(policy);
            status = sdc_audit_write_text(argv[0], t, &a, need, stdout) < 0
                         ? EXIT_ERROR
                         : exit_status(sdc_audit_verdict(&a, need));
        }
        sdc_audit_free(&a);
        sdc_table_free(t);
    }
    sdc_table_spec_free(spec);
    sdc_findings_free(&f);
    sdc_checker_free(ck);
    sdc_policy_free(policy);
    return status;
}

/* What RES's complements hide: the count says how many cells, this how
 * much of the table (what the optimal mode minimises next). */
static void print_complements_value(const char *prefix, const sdc_protect_result *res)
{
    if (res->secondary > 0)
        fprintf(stderr,
                "%sthe complementary cells hold %.15g in all (summed over the measures they "
                "were chosen in)\n",
                prefix, res->secondary_value);
}

/* How the modular mode split a hierarchical table, when it did. */
static void print_subtables(const char *prefix, const sdc_protect_result *res)
{
    if (res->subtables > 0)
        fprintf(stderr,
                "%smodular: %zu subtable%s of the hierarchies, %zu protected by the optimal "
                "model, then the whole table audited by the heuristic's rounds\n",
                prefix, res->subtables, res->subtables == 1 ? "" : "s", res->subtables_optimal);
}

/* The cells RES could not protect, and why, each line led by PREFIX. */
static void print_unprotected(const char *prefix, const sdc_protect_result *res)
{
    if (res->protected_ok || res->unprotected == 0)
        return;
    fprintf(stderr, "%s%zu suppressed cell%s not proved protected%s%s\n", prefix, res->unprotected,
            res->unprotected == 1 ? "" : "s", res->why[0] ? ": " : "", res->why);
    for (size_t i = 0; i < res->unprotected && i < SDC_PROTECT_MAX_UNPROVED; i++) {
        const sdc_protect_cell *u = &res->unproved[i];
        if (isnan(u->lo))
            fprintf(stderr, "%s  %s: not solved\n", prefix, u->where);
        else if (u->lo == u->hi)
            fprintf(stderr, "%s  %s: recoverable (it is %g)\n", prefix, u->where, u->lo);
        else
            fprintf(stderr, "%s  %s: only [%g, %g]\n", prefix, u->where, u->lo, u->hi);
    }
    if (res->unprotected > SDC_PROTECT_MAX_UNPROVED)
        fprintf(stderr, "%s  and %zu more\n", prefix, res->unprotected - SDC_PROTECT_MAX_UNPROVED);
}

/* True when A and B name one file (B need not exist). */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (strcmp(a, b) == 0)
        return true;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Writes the hierarchies the table of REQ was built under beside OUT_PATH
 * (its sidecar), so that `check` reads its levels back; with no OUT_PATH,
 * says that they must be declared. Returns 0, or -1 on an error printed. */
static int write_declaration(const sdc_protect_outcome *done, const sdc_protect_request *req,
                             const char *data_path, const char *out_path)
{
    if (!sdc_table_spec_declares_hierarchy(done->declared, req->by, req->nby))
        return 0;
    if (!out_path) {
        if (done->has_levels)
            fprintf(stderr, "sdccheck: the table holds declared levels: declare the same "
                            "hierarchies when checking it (in its sidecar NAME.sdc.yaml)\n");
        return 0;
    }
    char *side = sdc_sidecar_name(out_path), *theirs = sdc_sidecar_path(data_path);
    int rc = 0;
    FILE *f = NULL;
    if (!side) {
        fprintf(stderr, "sdccheck: out of memory\n");
        rc = -1;
    } else if (theirs && same_file(side, theirs)) {
        /* it declares the hierarchies already: the table is read with them */
        fprintf(stderr, "sdccheck: %s, the records' own declaration, is left as it is\n", side);
    } else if (!(f = fopen(side, "w"))) {
        fprintf(stderr, "sdccheck: cannot write %s: %s\n", side, strerror(errno));
        rc = -1;
    } else {
        fprintf(f, "# The hierarchies sdccheck protect built %s under, for checking it.\n",
                out_path);
        rc = sdc_table_spec_write_hierarchies(done->declared, req->by, req->nby, f) < 0 ? -1 : 0;
        if (fclose(f) != 0)
            rc = -1;
        if (rc < 0)
            fprintf(stderr, "sdccheck: cannot write %s\n", side);
        else
            fprintf(stderr, "sdccheck: wrote %s (the declared hierarchies)\n", side);
    }
    free(side);
    free(theirs);
    return rc;
}

/* Writes the table `protect` built to OUT_PATH (NULL: standard output)
 * and says what was done; the exit status. */
static int write_protected(const sdc_protect_outcome *done, const char *out_path)
{
    const sdc_protect_result *res = &done->result;
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    if (!out) {
        fprintf(stderr, "sdccheck: cannot write %s: %s\n", out_path, strerror(errno));
        return EXIT_ERROR;
    }
    int status = EXIT_ERROR;
    if (sdc_table_write_csv(done->table, ',', out) < 0) {
        fprintf(stderr, "sdccheck: could not protect or write the table\n");
    } else {
        if (done->rounding_base > 0)
            fprintf(stderr, "sdccheck: counts rounded to base %ld (%zu changed)\n",
                    done->rounding_base, done->rounded);
        if (res->note[0])
            fprintf(stderr, "sdccheck: %s\n", res->note);
        fprintf(stderr,
                "sdccheck: %zu cells with margins; %zu primary and %zu "
                "complementary suppressions%s%s\n",
                done->table->nrows, res->primary, res->secondary, res->optimal ? " (optimal)" : "",
                res->protected_ok ? "" : " (not fully protected: review it)");
        print_subtables("sdccheck: ", res);
        print_complements_value("sdccheck: ", res);
        print_unprotected("sdccheck: ", res);
        status = res->protected_ok ? EXIT_CLEARED : EXIT_REVIEW;
    }
    if (out != stdout && fclose(out) != 0)
        status = EXIT_ERROR;
    return status;
}

/* `sdccheck protect --by a,b [--value v] [--unit u] [-o OUT] DATA.csv`. */
static int cmd_protect(int argc, char **argv)
{
    static const struct option longopts[] = {{"by", required_argument, NULL, 'b'},
                                             {"value", required_argument, NULL, 'V'},
                                             {"unit", required_argument, NULL, 'u'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"policy", required_argument, NULL, 'p'},
                                             {"mitigation", required_argument, NULL, 'm'},
                                             {"suppress", required_argument, NULL, 's'},
                                             {"table-spec", required_argument, NULL, 'T'},
                                             {NULL, 0, NULL, 0}};
    sdc_suppress_mode mode = SDC_SUPPRESS_MODULAR;
    const char *table_spec = NULL;
    const char *by = NULL, *value = NULL, *unit = NULL, *out_path = NULL, *policy_name = NULL;
    bool round_counts = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:p:", longopts, NULL)) != -1) {
        switch (c) {
        case 'b': by = optarg; break;
        case 'V': value = optarg; break;
        case 'u': unit = optarg; break;
        case 'o': out_path = optarg; break;
        case 'p': policy_name = optarg; break;
        case 'm':
            if (strcmp(optarg, "round") != 0 && strcmp(optarg, "suppress") != 0)
                return usage_error("--mitigation takes suppress or round, not '%s'", optarg);
            round_counts = strcmp(optarg, "round") == 0;
            break;
        case 's':
            if (suppress_mode(optarg) < 0)
                return usage_error(
                    "--suppress takes modular, heuristic, optimal or quick, not '%s'", optarg);
            mode = (sdc_suppress_mode)suppress_mode(optarg);
            break;
        case 'T': table_spec = optarg; break;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s' for protect", argv[optind - 1]);
        }
    }
    if (!by || optind != argc - 1)
        return usage_error("%s", "protect needs --by COLUMNS and one DATA.csv");
    char *cols = strdup(by);
    const char *names[SDC_PROTECT_MAX_BY];
    size_t nby = 0;
    char *save = NULL;
    for (char *tok = strtok_r(cols, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (nby == SDC_PROTECT_MAX_BY) {
            free(cols);
            return usage_error("%s", "--by names at most 8 columns");
        }
        names[nby++] = tok;
    }
    sdc_policy_errors errs = {0};
    sdc_policy *policy = policy_name ? sdc_policy_load(policy_name, &errs) : sdc_policy_default();
    if (!policy) {
        print_policy_errors(&errs);
        sdc_policy_errors_free(&errs);
        free(cols);
        return EXIT_ERROR;
    }
    sdc_policy_errors_free(&errs);
    sdc_protect_request req = {.by = names,
                               .nby = nby,
                               .value = value,
                               .unit = unit,
                               .table_spec = table_spec,
                               .round_counts = round_counts,
                               .mode = mode,
                               .time_limit = OPTIMAL_TIME_LIMIT};
    sdc_protect_outcome done;
    sdc_status st = {0};
    int status = EXIT_ERROR;
    if (sdc_protect_records(argv[optind], policy, &req, &done, &st) < 0) {
        fprintf(stderr, "sdccheck: %s\n", st.message[0] ? st.message : sdc_strerror(st.code));
    } else {
        if (done.unmapped_note[0])
            fprintf(stderr, "sdccheck: %s\n", done.unmapped_note);
        status = write_protected(&done, out_path);
        if (status != EXIT_ERROR && write_declaration(&done, &req, argv[optind], out_path) < 0)
            status = EXIT_ERROR;
        if (done.unit_lines) {
            /* protected, but a table that does not add up is for a person */
            fprintf(stderr, "sdccheck: %s\n", done.unit_lines_note);
            if (status == EXIT_CLEARED)
                status = EXIT_REVIEW;
        }
    }
    sdc_protect_outcome_free(&done);
    free(cols);
    sdc_policy_free(policy);
    return status;
}

/* What --fix did, as the library logged it. */
static void print_fix_log(const sdc_fix_log *log)
{
    for (size_t i = 0; i < log->count; i++) {
        const sdc_fix_entry *e = &log->items[i];
        const sdc_protect_result *res = &e->result;
        if (!e->output) {
            if (e->problem)
                fprintf(stderr, "sdccheck: could not write a protected copy of %s: %s\n", e->input,
                        e->problem);
            else
                fprintf(stderr, "sdccheck: could not write a protected copy of %s\n", e->input);
            continue;
        }
        if (res->note[0])
            fprintf(stderr, "sdccheck: %s: %s\n", e->input, res->note);
        fprintf(stderr,
                "sdccheck: wrote %s: %zu primary and %zu complementary "
                "suppression%s%s%s%s\n",
                e->output, res->primary, res->secondary, res->secondary == 1 ? "" : "s",
                res->optimal ? " (optimal)" : "", e->linked ? " (with its linked tables)" : "",
                res->protected_ok ? "" : " (not fully protected: review it)");
        print_subtables("sdccheck: ", res);
        print_complements_value("sdccheck: ", res);
        print_unprotected("sdccheck: ", res);
    }
}

/* --fix DIR: the library writes and checks the copies; we say what it did.
 * Returns 0, or -1 on an error already printed. */
static int write_fixes(const sdc_checker *ck, sdc_report *report, const char *dir,
                       sdc_suppress_mode mode)
{
    sdc_fix_log log;
    sdc_status st = {0};
    int rc = sdc_report_fix(ck, report, dir, mode, &log, &st);
    print_fix_log(&log);
    if (rc < 0)
        fprintf(stderr, "sdccheck: %s\n", st.message[0] ? st.message : sdc_strerror(rc));
    sdc_fix_log_free(&log);
    return rc < 0 ? -1 : 0;
}

/* A folder format (-f sacro) needs -o: a folder of its own, or DIR/NAME
 * in an output folder. A folder of its own must not exist as anything else,
 * and its parent must be a folder that can be written: said now, not after
 * checking. Returns 0, or the exit status of an error already printed. */
static int check_folder_formats(const options *o)
{
    for (int i = 0; i < o->output_count; i++) {
        const output_spec *spec = &o->outputs[i];
        const sdc_report_writer *w = spec->format ? sdc_report_writer_find(spec->format) : NULL;
        if (!w || !w->write_dir)
            continue;
        if (!spec->path || strcmp(spec->path, "-") == 0)
            return usage_error("-f %s writes a folder: give it -o DIR", spec->format);
        if (spec->folder)
            continue; /* DIR/NAME: prepare_outputs sees to DIR */
        struct stat sb;
        int why = 0;
        if (stat(spec->path, &sb) == 0) {
            why = S_ISDIR(sb.st_mode) ? EEXIST : ENOTDIR;
        } else {
            char *copy = strdup(spec->path);
            if (!copy)
                why = ENOMEM;
            else if (access(dirname(copy), W_OK | X_OK) != 0)
                why = errno;
            free(copy);
        }
        if (why) {
            fprintf(stderr, "sdccheck: cannot write %s: %s\n", spec->path, strerror(why));
            return EXIT_ERROR;
        }
    }
    return 0;
}

/* Where SPEC's report goes (malloc'd; into a folder: DIR/report.EXT, or
 * DIR/NAME for a folder format), or NULL for standard output; sets *FAILED
 * when out of memory. */
static char *output_path(const output_spec *spec, bool *failed)
{
    if (!spec->path || strcmp(spec->path, "-") == 0)
        return NULL;
    const char *format = spec->format ? spec->format : format_from_name(spec->path);
    char *path = spec->folder ? sdc_report_output_path(sdc_report_writer_find(format), spec->path)
                              : strdup(spec->path);
    if (!path)
        *failed = true;
    return path;
}

/* The output folders this run made (-o DIR/ that did not exist), removed
 * again when no report was written into them. */
typedef struct made_folders {
    const char *path[MAX_OUTPUTS];
    int count;
} made_folders;

static void remove_made_folders(const made_folders *made)
{
    for (int i = 0; i < made->count; i++)
        rmdir(made->path[i]);
}

/* Before anything is checked: each -o DIR/ exists and is empty (made when
 * it did not exist), and no two reports would go to the same file.
 * Returns 0, or -1 on an error already printed (nothing made is left). */
static int prepare_outputs(const options *o, made_folders *made)
{
    made->count = 0;
    for (int i = 0; i < o->output_count; i++) {
        const output_spec *spec = &o->outputs[i];
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = o->outputs[j].folder && strcmp(o->outputs[j].path, spec->path) == 0;
        bool created = false;
        sdc_status st = {0};
        if (!spec->folder || seen)
            continue;
        if (sdc_report_dir_prepare(spec->path, &created, &st) < 0) {
            fprintf(stderr, "sdccheck: %s\n", st.message[0] ? st.message : sdc_strerror(st.code));
            remove_made_folders(made);
            return -1;
        }
        if (created)
            made->path[made->count++] = spec->path;
    }
    char *paths[MAX_OUTPUTS] = {0};
    bool failed = false, clash = false;
    for (int i = 0; i < o->output_count && !failed && !clash; i++) {
        paths[i] = output_path(&o->outputs[i], &failed);
        for (int j = 0; j < i && paths[i] && !clash; j++)
            if (paths[j] && strcmp(paths[i], paths[j]) == 0) {
                fprintf(stderr, "sdccheck: two reports would be written to %s\n", paths[i]);
                clash = true;
            }
    }
    for (int i = 0; i < o->output_count; i++)
        free(paths[i]);
    if (failed)
        fprintf(stderr, "sdccheck: %s\n", sdc_strerror(SDC_ENOMEM));
    if (failed || clash) {
        remove_made_folders(made);
        return -1;
    }
    return 0;
}

/*
 * Writes every report: those for standard output as they come, those for
 * files to temporary files (sdc_report_file_write), renamed to their
 * names only once all of them are written, so that a run that cannot
 * write one of its reports leaves none behind as if it were complete. A
 * folder format is written the same way, into a temporary folder.
 */
static int write_reports(const sdc_report *report, const options *o)
{
    int rc = 0;
    output_spec def = {"text", NULL, false};
    int n = o->output_count ? o->output_count : 1;
    sdc_report_file files[MAX_OUTPUTS];
    int written = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        const output_spec *spec = o->output_count ? &o->outputs[i] : &def;
        const char *format = spec->format ? spec->format : format_from_name(spec->path);
        const sdc_report_writer *w = sdc_report_writer_find(format);
        bool failed = false;
        char *path = output_path(spec, &failed);
        sdc_report_options ro = {
            .color = strcmp(format, "text") == 0 && color_wanted(o->color, !path),
            .verbosity = o->verbosity,
            .created = report_time(),
        };
        sdc_status st = {0};
        if (failed) {
            fprintf(stderr, "sdccheck: %s\n", sdc_strerror(SDC_ENOMEM));
            rc = -1;
        } else if (!path) {
            if (w->write(report, &ro, stdout) < 0) {
                fprintf(stderr, "sdccheck: error writing the %s report\n", format);
                rc = -1;
            }
        } else if (sdc_report_file_write(w, report, &ro, path, &files[written], &st) < 0) {
            fprintf(stderr, "sdccheck: %s\n", st.message[0] ? st.message : sdc_strerror(st.code));
            rc = -1;
        } else {
            written++;
        }
        free(path);
    }
    for (int i = 0; i < written; i++) {
        sdc_status st = {0};
        if (rc < 0) {
            sdc_report_file_discard(&files[i]);
        } else if (sdc_report_file_commit(&files[i], &st) < 0) {
            fprintf(stderr, "sdccheck: %s\n", st.message);
            rc = -1;
        }
    }
    if (fflush(stdout) != 0)
        rc = -1;
    return rc;
}

/* --each needs one QUEUE and every report in one output folder. Returns
 * 0, or the exit status of a usage error printed. */
static int check_each_usage(int argc, const options *o)
{
    if (argc != 1)
        return usage_error("%s", "--each takes one PATH, the queue folder");
    if (o->fix_dir)
        return usage_error("%s", "--fix cannot be used with --each");
    for (int i = 0; i < o->output_count; i++)
        if (!o->outputs[i].folder || strcmp(o->outputs[i].path, o->outputs[0].path) != 0)
            return usage_error("%s", "--each writes every report into one output folder: "
                                     "-f FORMAT... -o OUTDIR/");
    if (o->output_count == 0)
        return usage_error("%s", "--each needs an output folder: -o OUTDIR/");
    return 0;
}

/* --each QUEUE: the library checks each submission and writes its reports
 * and the index into the output folder; we say how it went. */
static int check_each(const sdc_checker *checker, const char *queue, const options *o)
{
    const sdc_report_writer *writers[MAX_OUTPUTS];
    for (int i = 0; i < o->output_count; i++)
        writers[i] = sdc_report_writer_find(o->outputs[i].format);
    sdc_batch_options bo = {.writers = writers,
                            .writer_count = (size_t)o->output_count,
                            .report = {.verbosity = o->verbosity, .created = report_time()},
                            .jobs = o->jobs};
    sdc_batch batch;
    sdc_status st = {0};
    const char *outdir = o->outputs[0].path;
    if (sdc_batch_run(checker, queue, outdir, &bo, &batch, &st) < 0) {
        fprintf(stderr, "sdccheck: %s\n", st.message[0] ? st.message : sdc_strerror(st.code));
        return EXIT_ERROR;
    }
    size_t per[3] = {0};
    for (size_t i = 0; i < batch.count; i++)
        per[batch.entries[i].verdict]++;
    size_t len = strlen(outdir);
    printf("%s: %zu submission%s: %zu pass, %zu review, %zu fail (%s%sindex.html)\n",
           sdc_verdict_name(batch.verdict), batch.count, batch.count == 1 ? "" : "s", per[SDC_PASS],
           per[SDC_REVIEW], per[SDC_FAIL], outdir, len && outdir[len - 1] == '/' ? "" : "/");
    int status = exit_status(batch.verdict);
    if (batch.count == 0)
        fprintf(stderr, "sdccheck: no submissions found in %s\n", queue);
    if (batch.incomplete) {
        fprintf(stderr, "sdccheck: out of memory: some findings could not be recorded, so "
                        "a report is incomplete\n");
        status = EXIT_ERROR;
    }
    sdc_batch_free(&batch);
    return fflush(stdout) != 0 ? EXIT_ERROR : status;
}

static int cmd_check(int argc, char **argv, options *o, bool ingest)
{
    if (argc < 1)
        return usage_error("%s", "no PATH to check");
    if (ingest && (o->fix_dir || o->microdata || o->table_spec || o->each))
        return usage_error("%s", "ingest takes no --fix, --microdata, --table-spec or --each: "
                                 "the table rules do not apply to files coming in");
    if (!ingest && o->variables)
        return usage_error("%s", "--variables is for 'sdccheck ingest'");
    if (o->ledger && (ingest || o->each))
        return usage_error("%s", "--ledger is for 'sdccheck check' of one submission (not "
                                 "ingest, not --each)");
    int wrong = o->each ? check_each_usage(argc, o) : 0;
    if (wrong)
        return wrong;
    int refused = check_folder_formats(o);
    if (refused)
        return refused;
    sdc_variables *approved = NULL;
    if (o->variables) {
        sdc_status vst = {0};
        if (!(approved = sdc_variables_load(o->variables, &vst))) {
            fprintf(stderr, "sdccheck: %s\n",
                    vst.message[0] ? vst.message : sdc_strerror(vst.code));
            return EXIT_ERROR;
        }
    }
    sdc_policy_errors errs = {0};
    sdc_policy *policy = o->policy ? sdc_policy_load(o->policy, &errs) : sdc_policy_default();
    if (!policy) {
        print_policy_errors(&errs);
        if (errs.count == 0)
            fprintf(stderr, "sdccheck: cannot load policy\n");
        sdc_policy_errors_free(&errs);
        sdc_variables_free(approved);
        return EXIT_ERROR;
    }
    sdc_policy_errors_free(&errs);

    sdc_status st = {0};
    sdc_checker *checker = sdc_checker_new(policy, &st);
    if (!checker) {
        fprintf(stderr, "sdccheck: %s\n", st.message[0] ? st.message : sdc_strerror(st.code));
        sdc_policy_free(policy);
        sdc_variables_free(approved);
        return EXIT_ERROR;
    }
    if (ingest)
        sdc_checker_set_ingest(checker, approved);
    if (o->table_spec && access(o->table_spec, R_OK) != 0) {
        fprintf(stderr, "sdccheck: --table-spec %s: %s\n", o->table_spec, strerror(errno));
        sdc_checker_free(checker);
        sdc_policy_free(policy);
        return EXIT_ERROR;
    }
    if (o->microdata && access(o->microdata, R_OK) != 0) {
        fprintf(stderr, "sdccheck: --microdata %s: %s\n", o->microdata, strerror(errno));
        sdc_checker_free(checker);
        sdc_policy_free(policy);
        return EXIT_ERROR;
    }
    /* A declaration or records not kept would check the tables without
     * them: out of memory here stops the run. */
    if (sdc_checker_set_table_spec(checker, o->table_spec) < 0 ||
        sdc_checker_set_microdata(checker, o->microdata) < 0) {
        fprintf(stderr, "sdccheck: %s\n", sdc_strerror(SDC_ENOMEM));
        sdc_checker_free(checker);
        sdc_policy_free(policy);
        return EXIT_ERROR;
    }
    /* The releases, read-only: a ledger that cannot be read stops the
     * check (a check without it would miss what it was asked to audit). */
    sdc_ledger *ledger = NULL;
    if (o->ledger) {
        if (!(ledger = sdc_ledger_open_readonly(o->ledger, &st))) {
            fprintf(stderr, "sdccheck: --ledger: %s\n",
                    st.message[0] ? st.message : sdc_strerror(st.code));
            sdc_checker_free(checker);
            sdc_policy_free(policy);
            return EXIT_ERROR;
        }
        sdc_release_source source;
        sdc_ledger_release_source(ledger, &source);
        sdc_checker_set_releases(checker, &source);
    }
    made_folders made;
    if (prepare_outputs(o, &made) < 0) {
        sdc_ledger_close(ledger);
        sdc_checker_free(checker);
        sdc_policy_free(policy);
        return EXIT_ERROR;
    }
    /* The SACRO folder and the HTML page draw the tables as read. */
    bool keep = o->fix_dir != NULL;
    for (int i = 0; i < o->output_count; i++) {
        const output_spec *spec = &o->outputs[i];
        const char *format = spec->format ? spec->format : format_from_name(spec->path);
        const sdc_report_writer *w = sdc_report_writer_find(format);
        keep = keep || (w && w->draws_tables);
    }
    sdc_checker_keep_tables(checker, keep);
    sdc_report report = {0};
    cli_progress *progress =
        o->progress && !o->each && o->verbosity >= 0 ? cli_progress_new(STDERR_FILENO) : NULL;
    sdc_checker_set_progress(checker, cli_progress_hook(progress));
    int rc = o->each ? 0
                     : sdc_check_paths(checker, (const char *const *)argv, (size_t)argc, o->jobs,
                                       &report, &st);
    if (o->each)
        rc = check_each(checker, argv[0], o);
    cli_progress_finish(progress);
    sdc_checker_set_progress(checker, NULL);
    if (rc == 0 && ingest)
        rc = sdc_ingest_finish(checker, &report);
    int status;
    if (o->each) {
        status = rc;
    } else if (rc < 0) {
        fprintf(stderr, "sdccheck: %s\n", st.message[0] ? st.message : sdc_strerror(rc));
        status = EXIT_ERROR;
    } else if (o->fix_dir && write_fixes(checker, &report, o->fix_dir, o->suppress) < 0) {
        status = EXIT_ERROR;
    } else if (write_reports(&report, o) < 0) {
        status = EXIT_ERROR;
    } else {
        if (report.file_count == 0)
            fprintf(stderr, "sdccheck: no files found to check\n");
        status = exit_status(report.verdict);
        if (report.incomplete) {
            /* Findings were lost: the tool could not do its job. */
            fprintf(stderr, "sdccheck: out of memory: some findings could not be recorded, so "
                            "the report is incomplete\n");
            status = EXIT_ERROR;
        }
    }
    if (status == EXIT_ERROR)
        remove_made_folders(&made);
    sdc_report_free(&report);
    sdc_checker_free(checker);
    sdc_ledger_close(ledger);
    sdc_policy_free(policy);
    sdc_variables_free(approved);
    return status;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {{"policy", required_argument, NULL, 'p'},
                                             {"format", required_argument, NULL, 'f'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"jobs", required_argument, NULL, 'j'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"verbose", no_argument, NULL, 'v'},
                                             {"color", required_argument, NULL, 'C'},
                                             {"colour", required_argument, NULL, 'C'},
                                             {"fix", required_argument, NULL, 'F'},
                                             {"table-spec", required_argument, NULL, 'T'},
                                             {"microdata", required_argument, NULL, 'M'},
                                             {"suppress", required_argument, NULL, 'S'},
                                             {"progress", no_argument, NULL, 'P'},
                                             {"each", no_argument, NULL, 'E'},
                                             {"variables", required_argument, NULL, 'A'},
                                             {"ledger", required_argument, NULL, 'L'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'V'},
                                             {NULL, 0, NULL, 0}};
    sdc_huge_pages_start(argv);
#ifdef __GLIBC__
    /* Tables and archive members come and go by the thousand, and a large
     * table's grids, indexes and audits (tens of MiB each) round after
     * round: by default glibc gives every block over 128 KiB a mapping of
     * its own, hands it back to the kernel when freed and faults the next
     * one in afresh (a third of the time of a zip of 1,000 tables,
     * bench/zip.sh; a third of protecting the 5-D bench table, where a
     * first touch costs the virtual machine far more than the zeroing).
     * So no block gets a mapping of its own: freed blocks stay in the heap
     * for the next, and up to 32 MiB free at its top is kept
     * (doc/design.md, "Memory and huge pages"). */
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
#endif
    /* A file size limit (ulimit -f) is a write error to report, with the
     * report's temporary file removed, not a signal that kills the run
     * halfway through writing it. */
    signal(SIGXFSZ, SIG_IGN);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    options o = {.jobs = cores > 0 ? (int)cores : 1, .color = "auto"};

    /* Verbs come first; anything else is a path for the default verb. */
    int first = 1;
    const char *verb = "check";
    if (argc > 1 && argv[1][0] != '-') {
        if (strcmp(argv[1], "protect") == 0)
            return cmd_protect(argc - 1, argv + 1);
        if (strcmp(argv[1], "release") == 0)
            return sdc_cli_release(argc - 1, argv + 1);
        if (strcmp(argv[1], "verify") == 0)
            return sdc_cli_verify(argc - 1, argv + 1);
        if (strcmp(argv[1], "ledger") == 0)
            return sdc_cli_ledger(argc - 1, argv + 1);
        if (strcmp(argv[1], "check") == 0 || strcmp(argv[1], "policy") == 0 ||
            strcmp(argv[1], "audit") == 0 || strcmp(argv[1], "ingest") == 0) {
            verb = argv[1];
            first = 2;
        }
    }
    if (strcmp(verb, "policy") == 0)
        return cmd_policy(argc - first, argv + first);

    optind = first;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":p:f:o:j:qvhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': o.policy = optarg; break;
        case 'f':
            if (!sdc_report_writer_find(optarg)) {
                char names[128];
                return usage_error("unknown format '%s' (%s)", optarg,
                                   format_names(names, sizeof names));
            }
            if (o.output_count == MAX_OUTPUTS)
                return usage_error("%s", "too many -f/-o");
            o.outputs[o.output_count++] = (output_spec){optarg, NULL, false};
            break;
        case 'o':
            if (names_a_folder(optarg)) {
                /* -f A -f B -o DIR/: every -f since the last -o goes
                 * into DIR, each under its own name. */
                int first_waiting = o.output_count;
                while (first_waiting > 0 && !o.outputs[first_waiting - 1].path)
                    first_waiting--;
                for (int i = first_waiting; i < o.output_count; i++)
                    o.outputs[i] = (output_spec){o.outputs[i].format, optarg, true};
                if (first_waiting < o.output_count)
                    break;
                if (o.output_count == MAX_OUTPUTS)
                    return usage_error("%s", "too many -f/-o");
                o.outputs[o.output_count++] = (output_spec){"text", optarg, true};
            } else if (o.output_count > 0 && !o.outputs[o.output_count - 1].path) {
                o.outputs[o.output_count - 1].path = optarg;
            } else if (o.output_count == MAX_OUTPUTS) {
                return usage_error("%s", "too many -f/-o");
            } else {
                o.outputs[o.output_count++] = (output_spec){NULL, optarg, false};
            }
            break;
        case 'j': {
            char *end = NULL;
            long j = strtol(optarg, &end, 10);
            if (!end || *end || j < 1 || j > 64)
                return usage_error("--jobs takes a number from 1 to 64, not '%s'", optarg);
            o.jobs = (int)j;
            break;
        }
        case 'F': o.fix_dir = optarg; break;
        case 'T': o.table_spec = optarg; break;
        case 'M': o.microdata = optarg; break;
        case 'A': o.variables = optarg; break;
        case 'L': o.ledger = optarg; break;
        case 'S':
            if (suppress_mode(optarg) < 0)
                return usage_error(
                    "--suppress takes modular, heuristic, optimal or quick, not '%s'", optarg);
            o.suppress = (sdc_suppress_mode)suppress_mode(optarg);
            break;
        case 'P': o.progress = true; break;
        case 'E': o.each = true; break;
        case 'q': o.verbosity = -1; break;
        case 'v': o.verbosity = 1; break;
        case 'C':
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
                return usage_error("--color takes auto, always or never, not '%s'", optarg);
            o.color = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            fputs(options_text, stdout);
            return EXIT_CLEARED;
        case 'V': printf("sdccheck %s\n", SDCCHECK_VERSION); return EXIT_CLEARED;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        case '?':
            if (optopt)
                return usage_error("unknown option '-%c'", optopt);
            return usage_error("unknown option '%s'", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (strcmp(verb, "audit") == 0)
        return cmd_audit(argc - optind, argv + optind, &o);
    return cmd_check(argc - optind, argv + optind, &o, strcmp(verb, "ingest") == 0);
}
