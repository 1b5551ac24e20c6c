/*
 * ledger_cmd.c - `sdccheck release`, `sdccheck verify` and
 * `sdccheck ledger`: options in, library calls, exit status out
 * (sdccheck(1), sdccheck-ledger(5)).
 *
 * Exit status: 0 done (released; every file verified; listed), 1 refused
 * (a report that has not cleared or was edited, a file changed, missing or
 * unknown), 2 usage error or the tool could not do its job (a ledger that
 * is damaged, newer or read-only; a report that is not one).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sdccheck/sdccheck.h"
#include "ledger_cmd.h"

enum { DONE = 0, REFUSED = 1, ERROR = 2 };

const char sdc_cli_ledger_usage[] =
    "       sdccheck release --ledger LEDGER --reviewer NAME [--comment TEXT]\n"
    "                        [--approve REASON] REPORT.json\n"
    "       sdccheck verify (--ledger LEDGER [--release ID] | REPORT.json) PATH...\n"
    "       sdccheck ledger --ledger LEDGER [-f text|json] list | show ID | export\n";

static int usage(const char *verb, const char *why)
{
    fprintf(stderr, "sdccheck %s: %s (try 'sdccheck --help')\n", verb, why);
    return ERROR;
}

/* The status of a failed library call: refused (1) or could not (2). */
static int failed(const char *verb, const sdc_status *st, int status)
{
    fprintf(stderr, "sdccheck %s: %s\n", verb,
            st->message[0] ? st->message : sdc_strerror(st->code));
    return status;
}

enum { OPT_LEDGER = 256, OPT_REVIEWER, OPT_COMMENT, OPT_APPROVE, OPT_RELEASE };

static const struct option options[] = {{"ledger", required_argument, NULL, OPT_LEDGER},
                                        {"reviewer", required_argument, NULL, OPT_REVIEWER},
                                        {"comment", required_argument, NULL, OPT_COMMENT},
                                        {"approve", required_argument, NULL, OPT_APPROVE},
                                        {"release", required_argument, NULL, OPT_RELEASE},
                                        {"format", required_argument, NULL, 'f'},
                                        {"help", no_argument, NULL, 'h'},
                                        {NULL, 0, NULL, 0}};

typedef struct args {
    const char *ledger, *reviewer, *comment, *approve, *format;
    long long release;
} args;

/* Parses the options of VERB, allowing only those in ALLOWED (the option
 * values above); returns -1 on a usage error (said), 1 after --help. */
static int parse(const char *verb, int argc, char **argv, const int *allowed, args *a)
{
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":f:h", options, NULL)) != -1) {
        bool ok = c == 'h';
        for (const int *p = allowed; *p; p++)
            ok = ok || *p == c;
        if (c == '?' || c == ':' || !ok) {
            char why[160];
            snprintf(why, sizeof why, "%s '%s'",
                     c == ':' ? "option needs a value:" : "unknown option", argv[optind - 1]);
            usage(verb, why);
            return -1;
        }
        switch (c) {
        case OPT_LEDGER: a->ledger = optarg; break;
        case OPT_REVIEWER: a->reviewer = optarg; break;
        case OPT_COMMENT: a->comment = optarg; break;
        case OPT_APPROVE: a->approve = optarg; break;
        case OPT_RELEASE: {
            char *end = NULL;
            a->release = strtoll(optarg, &end, 10);
            if (!end || *end || a->release < 1) {
                usage(verb, "--release takes a release number (see 'sdccheck ledger list')");
                return -1;
            }
            break;
        }
        case 'f':
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0) {
                usage(verb, "-f takes text or json");
                return -1;
            }
            a->format = optarg;
            break;
        case 'h':
            printf("Usage:\n%s\nSee sdccheck(1) and sdccheck-ledger(5).\n", sdc_cli_ledger_usage);
            return 1;
        }
    }
    return 0;
}

static void say_changed(const char *path, const char *why, void *arg)
{
    (void)arg;
    fprintf(stderr, "sdccheck release: %s: %s\n", path, why);
}

int sdc_cli_release(int argc, char **argv)
{
    static const int allowed[] = {OPT_LEDGER, OPT_REVIEWER, OPT_COMMENT, OPT_APPROVE, 0};
    args a = {0};
    int p = parse("release", argc, argv, allowed, &a);
    if (p != 0)
        return p < 0 ? ERROR : DONE;
    if (!a.ledger)
        return usage("release", "--ledger LEDGER is required");
    if (!a.reviewer || !*a.reviewer)
        return usage("release", "--reviewer NAME is required");
    if (a.approve && !*a.approve)
        return usage("release", "--approve needs a reason");
    if (argc - optind != 1)
        return usage("release", "give one REPORT.json (sdccheck -f json -o REPORT.json PATH...)");
    const char *path = argv[optind];

    sdc_status st = {0};
    sdc_report_doc doc;
    int rc = sdc_report_doc_read(path, &doc, &st);
    int status = DONE;
    if (rc != SDC_OK) {
        status = failed("release", &st, rc == SDC_EINVAL ? REFUSED : ERROR);
    } else if (!sdc_report_doc_releasable(&doc, a.approve, &st)) {
        status = failed("release", &st, REFUSED);
    } else {
        size_t changed = sdc_report_doc_recheck(&doc, say_changed, NULL);
        if (changed) {
            fprintf(stderr,
                    "sdccheck release: %zu file%s no longer as checked in %s: refused; check "
                    "them again\n",
                    changed, changed == 1 ? " is" : "s are", path);
            status = REFUSED;
        }
    }
    /* The tables are read again as they were checked: with the report's
     * policy. */
    sdc_policy *policy = status == DONE ? sdc_report_doc_policy(&doc, &st) : NULL;
    if (status == DONE && !policy)
        status = failed("release", &st, ERROR);
    if (status == DONE) {
        sdc_ledger *ledger = sdc_ledger_open(a.ledger, true, &st);
        sdc_release_info info = {.reviewer = a.reviewer,
                                 .comment = a.comment,
                                 .approval = a.approve,
                                 .released_at = (long long)time(NULL),
                                 .policy = policy};
        long long id = 0;
        rc = ledger ? sdc_ledger_release(ledger, &doc, &info, &id, &st) : SDC_OK;
        if (!ledger || rc != SDC_OK)
            status = failed("release", &st, rc == SDC_EINVAL ? REFUSED : ERROR);
        else
            printf("release %lld: %zu file%s from %s, verdict %s, recorded in %s\n", id,
                   doc.file_count, doc.file_count == 1 ? "" : "s", path, doc.verdict, a.ledger);
        sdc_ledger_close(ledger);
    }
    sdc_policy_free(policy);
    sdc_report_doc_free(&doc);
    return status;
}

int sdc_cli_verify(int argc, char **argv)
{
    static const int allowed[] = {OPT_LEDGER, OPT_RELEASE, 0};
    args a = {0};
    int p = parse("verify", argc, argv, allowed, &a);
    if (p != 0)
        return p < 0 ? ERROR : DONE;
    if (a.release && !a.ledger)
        return usage("verify", "--release needs --ledger");
    if (argc - optind < (a.ledger ? 1 : 2))
        return usage("verify", a.ledger ? "give the PATHs to verify"
                                        : "give --ledger LEDGER or REPORT.json, then PATH...");
    sdc_status st = {0};
    sdc_report_doc doc = {0};
    sdc_ledger *ledger = NULL;
    const char *against = a.ledger;
    if (a.ledger) {
        if (!(ledger = sdc_ledger_open(a.ledger, false, &st)))
            return failed("verify", &st, ERROR);
    } else {
        against = argv[optind++];
        int rc = sdc_report_doc_read(against, &doc, &st);
        if (rc != SDC_OK) {
            sdc_report_doc_free(&doc);
            return failed("verify", &st, rc == SDC_EINVAL ? REFUSED : ERROR);
        }
    }
    sdc_verify_result r;
    int status = DONE;
    if (sdc_verify_paths(ledger ? NULL : &doc, ledger, a.release, argv + optind,
                         (size_t)(argc - optind), &r, &st) != SDC_OK) {
        status = failed("verify", &st, ERROR);
    } else {
        size_t matched = 0;
        for (size_t i = 0; i < r.count; i++) {
            const sdc_verify_item *it = &r.items[i];
            if (it->state == SDC_VERIFY_MATCH) {
                matched++;
                continue;
            }
            printf("%s: %s", sdc_verify_state_name(it->state), it->path);
            if (it->state == SDC_VERIFY_CHANGED)
                printf(" (SHA-256 %s, checked %s)", it->sha256, it->expected);
            if (it->release)
                printf(" [release %lld]", it->release);
            putchar('\n');
        }
        printf("verify: %zu file%s as checked in %s, %zu not\n", matched, matched == 1 ? "" : "s",
               against, r.failed);
        status = r.failed || r.count == 0 ? REFUSED : DONE;
        sdc_verify_result_free(&r);
    }
    sdc_ledger_close(ledger);
    sdc_report_doc_free(&doc);
    return status;
}

int sdc_cli_ledger(int argc, char **argv)
{
    static const int allowed[] = {OPT_LEDGER, 'f', 0};
    args a = {0};
    int p = parse("ledger", argc, argv, allowed, &a);
    if (p != 0)
        return p < 0 ? ERROR : DONE;
    if (!a.ledger)
        return usage("ledger", "--ledger LEDGER is required");
    int left = argc - optind;
    const char *what = left > 0 ? argv[optind] : "";
    long long id = 0;
    if (strcmp(what, "show") == 0) {
        char *end = NULL;
        id = left == 2 ? strtoll(argv[optind + 1], &end, 10) : 0;
        if (left != 2 || !end || *end || id < 1)
            return usage("ledger", "show takes one release number");
    } else if ((strcmp(what, "list") != 0 && strcmp(what, "export") != 0) || left != 1) {
        return usage("ledger", "give list, show ID or export");
    }
    sdc_status st = {0};
    sdc_ledger *ledger = sdc_ledger_open(a.ledger, false, &st);
    if (!ledger)
        return failed("ledger", &st, ERROR);
    bool json = a.format && strcmp(a.format, "json") == 0;
    int rc = what[0] == 'l'   ? sdc_ledger_write_list(ledger, json, stdout, &st)
             : what[0] == 's' ? sdc_ledger_write_show(ledger, id, json, stdout, &st)
                              : sdc_ledger_write_export(ledger, json, stdout, &st);
    sdc_ledger_close(ledger);
    return rc == SDC_OK ? DONE : failed("ledger", &st, rc == SDC_ENOENT ? REFUSED : ERROR);
}
