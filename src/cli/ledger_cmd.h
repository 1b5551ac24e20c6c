/*
 * ledger_cmd.h - the ledger's verbs: release, verify, ledger
 * (ledger_cmd.c). Each takes the arguments after the verb (ARGV[0] is the
 * verb) and returns the exit status.
 */
#ifndef SDC_CLI_LEDGER_CMD_H
#define SDC_CLI_LEDGER_CMD_H

/* The help text of the three verbs, for `sdccheck --help`. */
extern const char sdc_cli_ledger_usage[];

int sdc_cli_release(int argc, char **argv);
int sdc_cli_verify(int argc, char **argv);
int sdc_cli_ledger(int argc, char **argv);

#endif
