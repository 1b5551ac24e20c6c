/*
 * json_writer.h - a tiny streaming JSON emitter, private to the report
 * writers (the JSON report, the SACRO-Viewer folder).
 *
 * It handles commas and two-space indentation; callers only say what goes
 * where. Strings go through sdc_report_json_string, so a hostile file name
 * or cell can never make the output invalid. Nesting deeper than
 * SDC_JSON_MAX_DEPTH is a bug in the caller, reported through too_deep.
 */
#ifndef SDC_REPORT_JSON_WRITER_H
#define SDC_REPORT_JSON_WRITER_H

#include <stdbool.h>
#include <stdio.h>

/* Deepest nesting: the SACRO folder's root > results > record > files >
 * file > sdc > cells > check list > [row, col]. */
#define SDC_JSON_MAX_DEPTH 12

typedef struct sdc_json_writer {
    FILE *out;
    int depth;
    bool has_items[SDC_JSON_MAX_DEPTH]; /* per open level: written a member yet? */
    bool too_deep;                      /* a bug in the caller, reported as an error */
} sdc_json_writer;

/* Starts a member of the open object (KEY) or array (KEY NULL): the comma,
 * the line break, the indentation and the key. */
void sdc_json_member(sdc_json_writer *w, const char *key);

/* Opens an object ('{') or array ('[') as a member. */
void sdc_json_open(sdc_json_writer *w, const char *key, char bracket);

/* Closes the open level with BRACKET; an empty one stays on one line. */
void sdc_json_close(sdc_json_writer *w, char bracket);

/* Members of each type; a NULL string is null. */
void sdc_json_string(sdc_json_writer *w, const char *key, const char *value);
void sdc_json_null(sdc_json_writer *w, const char *key);
void sdc_json_bool(sdc_json_writer *w, const char *key, bool value);
void sdc_json_integer(sdc_json_writer *w, const char *key, long long value);
void sdc_json_unsigned(sdc_json_writer *w, const char *key, unsigned long long value);

/* A number in its shortest round-trip form; not finite: null (JSON has no
 * NaN or infinity). */
void sdc_json_number(sdc_json_writer *w, const char *key, double value);

#endif
