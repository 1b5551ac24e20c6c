/*
 * json_writer.c - the streaming JSON emitter the report writers share
 * (json_writer.h).
 */
#include "core/format.h"
#include "report/json_writer.h"
#include "report/report_util.h"

void sdc_json_member(sdc_json_writer *w, const char *key)
{
    if (w->depth > 0) {
        if (w->has_items[w->depth])
            fputc(',', w->out);
        w->has_items[w->depth] = true;
        fputc('\n', w->out);
        for (int i = 0; i < w->depth; i++)
            fputs("  ", w->out);
    }
    if (key) {
        sdc_report_json_string(key, w->out);
        fputs(": ", w->out);
    }
}

void sdc_json_open(sdc_json_writer *w, const char *key, char bracket)
{
    sdc_json_member(w, key);
    fputc(bracket, w->out);
    if (w->depth + 1 >= SDC_JSON_MAX_DEPTH) {
        w->too_deep = true;
        return;
    }
    w->depth++;
    w->has_items[w->depth] = false;
}

void sdc_json_close(sdc_json_writer *w, char bracket)
{
    if (w->depth > 0) {
        bool had_items = w->has_items[w->depth];
        w->depth--;
        if (had_items) {
            fputc('\n', w->out);
            for (int i = 0; i < w->depth; i++)
                fputs("  ", w->out);
        }
    }
    fputc(bracket, w->out);
}

void sdc_json_string(sdc_json_writer *w, const char *key, const char *value)
{
    sdc_json_member(w, key);
    sdc_report_json_string(value, w->out);
}

void sdc_json_null(sdc_json_writer *w, const char *key)
{
    sdc_json_member(w, key);
    fputs("null", w->out);
}

void sdc_json_bool(sdc_json_writer *w, const char *key, bool value)
{
    sdc_json_member(w, key);
    fputs(value ? "true" : "false", w->out);
}

void sdc_json_integer(sdc_json_writer *w, const char *key, long long value)
{
    sdc_json_member(w, key);
    fprintf(w->out, "%lld", value);
}

void sdc_json_unsigned(sdc_json_writer *w, const char *key, unsigned long long value)
{
    sdc_json_member(w, key);
    fprintf(w->out, "%llu", value);
}

void sdc_json_number(sdc_json_writer *w, const char *key, double value)
{
    char text[SDC_FORMAT_NUMBER_MAX];
    sdc_json_member(w, key);
    fputs(sdc_format_number(value, text, sizeof text) == 0 ? text : "null", w->out);
}
