/*
 * rules.c - the registry of table rule families.
 *
 * Adding a family is one new rules_<name>.c and one line in `families`.
 * The families record findings through rule_finding.c, not through this
 * file, so the registry depends on the families and never the other way.
 */
#include "rules/rules.h"

static const sdc_rule_family *const families[] = {
    &sdc_rules_microdata,  &sdc_rules_frequency,  &sdc_rules_magnitude, &sdc_rules_statistics,
    &sdc_rules_regression, &sdc_rules_identifier, &sdc_rules_secondary, &sdc_rules_cells,
};

void sdc_table_check(const sdc_table *t, const sdc_policy *policy, const sdc_id_scanner *scanner,
                     sdc_findings *findings)
{
    sdc_rule_ctx ctx = {.table = t, .policy = policy, .scanner = scanner, .findings = findings};
    /* Past max_table_rows the file is record-level data and fails as such;
     * the other rules on its first rows would only repeat that. */
    if (t->truncated) {
        sdc_rules_microdata.run(&ctx);
        return;
    }
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        families[i]->run(&ctx);
}
