/*
 * policy_write.c - a policy's effective values written back as YAML
 * (`sdccheck policy show`).
 *
 * Every key is written, inherited or not, in the order of
 * sdccheck-policy(5), so the output is a complete policy rather than a
 * difference from a parent. It needs no YAML library: strings are always
 * double-quoted and escaped here, so the output is valid YAML whatever they
 * hold; numbers are the shortest decimal that reads back as the same
 * double, and sizes use the largest binary unit that divides them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/format.h"
#include "sdccheck/policy.h"

/* A double-quoted YAML string: always valid, whatever S holds. */
static void put_quoted(const char *s, FILE *out)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        switch (*c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (*c < 0x20 || *c == 0x7f)
                fprintf(out, "\\x%02x", *c);
            else
                fputc(*c, out);
        }
    }
    fputc('"', out);
}

/* The shortest decimal that reads back as the same double. */
static void put_number(double v, FILE *out)
{
    char buf[SDC_FORMAT_NUMBER_MAX];
    sdc_format_number(v, buf, sizeof buf);
    fputs(buf, out);
}

static void put_list(const char *key, const sdc_strlist *list, FILE *out)
{
    fprintf(out, "%s: [", key);
    for (size_t i = 0; i < list->count; i++) {
        if (i)
            fputs(", ", out);
        put_quoted(list->items[i], out);
    }
    fputs("]\n", out);
}

static void put_bytes(long long n, FILE *out)
{
    static const struct {
        const char *unit;
        long long factor;
    } units[] = {{"TiB", 1LL << 40}, {"GiB", 1LL << 30}, {"MiB", 1LL << 20}, {"KiB", 1LL << 10}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (n > 0 && n % units[i].factor == 0) {
            fprintf(out, "%lld%s", n / units[i].factor, units[i].unit);
            return;
        }
    }
    fprintf(out, "%lld", n);
}

/* The comment, name and description. */
static void put_header(const sdc_policy *p, FILE *out)
{
    fputs("# Effective values", out);
    if (p->source)
        fprintf(out, " (read from %s)", p->source);
    fputs("; see sdccheck-policy(5).\n", out);
    fputs("name: ", out);
    put_quoted(p->name ? p->name : "unnamed", out);
    fputc('\n', out);
    if (p->description) {
        fputs("description: ", out);
        put_quoted(p->description, out);
        fputc('\n', out);
    }
}

/* The rules' parameters, threshold to protection_upper (doc/design.md, "Table rules" and "Secondary
 * suppression"). */
static void put_rules(const sdc_policy *p, FILE *out)
{
    fputs("threshold: ", out);
    put_number(p->threshold, out);
    fprintf(out, "\nzeros_are_disclosive: %s\n", p->zeros_are_disclosive ? "true" : "false");
    fputs("group_share: ", out);
    put_number(p->group_share, out);
    fprintf(out, "\nrounding_base: %ld\n", p->rounding_base);
    fprintf(out, "rounding_mode: %s\n",
            p->rounding_mode == SDC_ROUND_MIDPOINT ? "midpoint" : "multiple");
    fputs("nk_rules: [", out);
    for (size_t i = 0; i < p->nk_count; i++) {
        fprintf(out, "%s{n: %d, k: ", i ? ", " : "", p->nk[i].n);
        put_number(p->nk[i].k, out);
        fputc('}', out);
    }
    fputs("]\np_ratio: ", out);
    put_number(p->p_ratio, out);
    if (p->pq_p > 0) {
        fputs("\npq_rule: {p: ", out);
        put_number(p->pq_p, out);
        fputs(", q: ", out);
        put_number(p->pq_q, out);
        fputc('}', out);
    } else {
        fputs("\npq_rule: off", out);
    }
    fprintf(out, "\ncheck_missing_values: %s\n", p->check_missing_values ? "true" : "false");
    fprintf(out, "allow_min_max: %s\n", p->allow_min_max ? "true" : "false");
    fputs("dof_threshold: ", out);
    put_number(p->dof_threshold, out);
    fprintf(out, "\nmax_table_rows: %ld\n", p->max_table_rows);
    fprintf(out, "max_code_numbers: %ld\n", p->max_code_numbers);
    fprintf(out, "max_code_splits: %ld\n", p->max_code_splits);
    fputs("protection_width: ", out);
    put_number(p->protection_width, out);
    fputs("\nprotection_lower: ", out);
    put_number(p->protection_lower, out);
    fputs("\nprotection_upper: ", out);
    put_number(p->protection_upper, out);
    fputc('\n', out);
}

static void put_archive(const sdc_policy *p, FILE *out)
{
    fprintf(out, "archive:\n  max_depth: %d\n  max_ratio: ", p->archive_max_depth);
    put_number(p->archive_max_ratio, out);
    fputs("\n  max_bytes: ", out);
    put_bytes(p->archive_max_bytes, out);
    fprintf(out, "\n  max_members: %ld\n", p->archive_max_members);
}

/* The vocabulary, the identifiers and the file types. */
static void put_lists(const sdc_policy *p, FILE *out)
{
    put_list("suppressed_markers", &p->suppressed_markers, out);
    put_list("missing_markers", &p->missing_markers, out);
    put_list("total_labels", &p->total_labels, out);
    put_list("count_names", &p->count_names, out);
    put_list("magnitude_names", &p->magnitude_names, out);
    put_list("extreme_names", &p->extreme_names, out);
    put_list("percentile_names", &p->percentile_names, out);
    put_list("mode_names", &p->mode_names, out);
    put_list("percent_names", &p->percent_names, out);
    put_list("regression_names", &p->regression_names, out);
    put_list("dimension_names", &p->dimension_names, out);
    put_list("id_names", &p->id_names, out);
    put_list("identifiers", &p->identifiers, out);
    put_list("identifier_allow", &p->identifier_allow, out);
    if (p->pattern_count == 0)
        fputs("identifier_patterns: []\n", out);
    else
        fputs("identifier_patterns:\n", out);
    for (size_t i = 0; i < p->pattern_count; i++) {
        fputs("  - {name: ", out);
        put_quoted(p->patterns[i].name, out);
        fputs(", regex: ", out);
        put_quoted(p->patterns[i].regex, out);
        fputs("}\n", out);
    }
    put_list("allowed_file_types", &p->allowed_file_types, out);
}

static void put_verdicts(const sdc_policy *p, FILE *out)
{
    if (p->override_count == 0)
        fputs("verdicts: {}\n", out);
    else
        fputs("verdicts:\n", out);
    for (size_t i = 0; i < p->override_count; i++)
        fprintf(out, "  %s: %s\n", p->overrides[i].rule, sdc_verdict_name(p->overrides[i].verdict));
}

int sdc_policy_write_yaml(const sdc_policy *policy, FILE *out)
{
    if (!policy || !out)
        return -1;
    put_header(policy, out);
    put_rules(policy, out);
    put_archive(policy, out);
    put_lists(policy, out);
    put_verdicts(policy, out);
    return ferror(out) ? -1 : 0;
}
