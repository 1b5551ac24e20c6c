/*
 * decoded.c - what the decoded-payload scan found in a text, reported on
 * the text and walked (doc/design.md, "Decoded payloads"):
 *
 *   - a model or data file: embedded-blob, fail;
 *   - an archive: embedded-blob, review (a person cannot read it), and
 *     its members walked;
 *   - an image, a PDF, text: walked as a member, TEXT!ENCODING:lineN, and
 *     judged as that file is (a notebook's PNG output passes when the
 *     PNG does; a CSV of records in base64 gets the table rules);
 *   - bytes of no known kind, unbroken, SDC_DECODE_UNKNOWN_MIN or more:
 *     embedded-blob, fail when high-entropy (compressed or encrypted),
 *     review otherwise.
 *
 * Each walked payload's worst finding is repeated on the text.
 */
#include <stdio.h>
#include <string.h>

#include "check/decoded.h"
#include "check/member.h"

#define HIGH_ENTROPY 7.2 /* bits per byte: compressed or encrypted */

static const char *const advice = "remove encoded files from outputs: models, data and "
                                  "archives may not leave the environment";

static void characters(char *buf, size_t size, const sdc_payload *p)
{
    if (p->encoded)
        snprintf(buf, size, ", %llu characters", p->encoded);
    else
        buf[0] = '\0';
}

static void unexplained(sdc_file_result *self, const sdc_payload *p)
{
    char chars[48];
    characters(chars, sizeof chars, p);
    sdc_finding_at at = {.line = p->line, .advice = advice};
    if (p->decoded == 0) { /* too long to decode */
        sdc_findings_add(&self->findings, "embedded-blob", SDC_REVIEW, &at,
                         "a %s%s: too long to decode (over %d digits)", p->encoding, chars,
                         SDC_DECODE_DIGITS_MAX);
        return;
    }
    bool dense = p->entropy >= HIGH_ENTROPY && !p->digest_lines;
    sdc_findings_add(&self->findings, "embedded-blob", dense ? SDC_FAIL : SDC_REVIEW, &at,
                     "%s-encoded bytes of no known kind in the text: %llu bytes%s, %.1f bits "
                     "per byte%s",
                     p->encoding, p->decoded, chars, p->entropy,
                     dense             ? " (compressed or encrypted)"
                     : p->digest_lines ? " (lines as long as hash digests)"
                                       : "");
}

static void named(sdc_file_result *self, const sdc_payload *p)
{
    sdc_file_class c = p->what.file_class;
    if (c != SDC_CLASS_MODEL && c != SDC_CLASS_DATA && c != SDC_CLASS_CONTAINER)
        return;
    if (p->carved) {
        char where[96];
        if (strcmp(p->encoding, "carved") == 0)
            snprintf(where, sizeof where, "inside the file at byte %llu", p->offset);
        else /* the whole file is that stream */
            snprintf(where, sizeof where, "in the file compressed as %s with no header",
                     p->encoding);
        sdc_finding_at at = {.advice = "remove the file hidden inside this one: models, data and "
                                       "archives may not leave the environment"};
        sdc_findings_add(
            &self->findings, "embedded-blob", c == SDC_CLASS_CONTAINER ? SDC_REVIEW : SDC_FAIL, &at,
            "%s (%s%s%s) %s, %llu bytes", sdc_file_class_name(c), p->what.format,
            p->what.detail ? ", " : "", p->what.detail ? p->what.detail : "", where, p->decoded);
        return;
    }
    char chars[48];
    characters(chars, sizeof chars, p);
    sdc_finding_at at = {.line = p->line, .advice = advice};
    sdc_findings_add(
        &self->findings, "embedded-blob", c == SDC_CLASS_CONTAINER ? SDC_REVIEW : SDC_FAIL, &at,
        "%s-encoded %s (%s%s%s) in the text%s", p->encoding, sdc_file_class_name(c), p->what.format,
        p->what.detail ? ", " : "", p->what.detail ? p->what.detail : "", chars);
}

static int walk(const sdc_walk *w, sdc_file_result *self, const sdc_payload *p, size_t index,
                int depth, sdc_budget *b, sdc_result_list *list)
{
    char name[64];
    if (p->table_no) /* a document's table: report.md!table2:line14 */
        snprintf(name, sizeof name, "table%u:line%ld", p->table_no, p->line);
    else
        snprintf(name, sizeof name, "%s:line%ld", p->encoding, p->line);
    for (char *c = name; *c; c++)
        if (*c == ' ' || *c == '(' || *c == ')')
            *c = '-';
    if (p->carved && strcmp(p->encoding, "carved") != 0)
        snprintf(name, sizeof name, "(%s stream)", p->encoding);
    else if (p->carved)
        snprintf(name, sizeof name, "(bytes from %llu)", p->offset);
    else if (index > 0 && p[-1].line == p->line && !p->table_no)
        snprintf(name + strlen(name), sizeof name - strlen(name), "#%zu", index + 1);
    if (p->cut)
        sdc_container_finding(self, "needs-review", SDC_REVIEW,
                              "an output checker reads it before release",
                              "the %s payload at line %ld (%llu bytes) was walked only in its "
                              "first %zu bytes",
                              p->encoding, p->line, p->decoded, p->len);
    char what[96];
    if (p->table_no)
        snprintf(what, sizeof what, "table %u at line %ld", p->table_no, p->line);
    else
        snprintf(what, sizeof what, "the %s payload at line %ld", p->encoding, p->line);
    /* decoded text passes after its scans */
    return sdc_walk_nested(w, self, name, what, "decoded-text", p->data, p->len, depth, b, list);
}

int sdc_decoded_account(const sdc_walk *w, sdc_file_result *self, sdc_decode_scan *s, int depth,
                        sdc_budget *b, sdc_result_list *list)
{
    sdc_decode_finish(s);
    for (size_t i = 0; i < sdc_decode_count(s); i++) {
        const sdc_payload *p = sdc_decode_at(s, i);
        if (p->kind == SDC_PAYLOAD_UNEXPLAINED) {
            unexplained(self, p);
            continue;
        }
        named(self, p);
        if (walk(w, self, p, i, depth, b, list) < 0)
            return -1;
    }
    if (sdc_decode_dropped(s))
        sdc_container_finding(self, "embedded-blob", SDC_REVIEW, advice,
                              "%zu more encoded payloads or tables in the text were not walked "
                              "(over %d payloads, %d tables or %u MiB)",
                              sdc_decode_dropped(s), SDC_DECODE_PAYLOADS_MAX, SDC_DECODE_TABLES_MAX,
                              SDC_DECODE_KEEP_TOTAL >> 20);
    return sdc_decode_failed(s) ? -1 : 0;
}
