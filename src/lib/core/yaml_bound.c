/*
 * yaml_bound.c - YAML and JSON texts read within bounds (see yaml_bound.h).
 */
#include "core/yaml_bound.h"

#define STR_(x) #x
#define STR(x) STR_(x)

sdc_yaml_shape sdc_yaml_shape_check(yaml_parser_t *parser, bool refuse_aliases, long *line)
{
    long depth = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(parser, &e)) {
            if (line)
                *line = (long)parser->problem_mark.line + 1;
            return SDC_YAML_BAD;
        }
        yaml_event_type_t t = e.type;
        long at = (long)e.start_mark.line + 1;
        yaml_event_delete(&e);
        sdc_yaml_shape s = SDC_YAML_OK;
        if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
            if (++depth > SDC_YAML_MAX_DEPTH)
                s = SDC_YAML_TOO_DEEP;
        } else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
            depth--;
        } else if (t == YAML_ALIAS_EVENT && refuse_aliases) {
            s = SDC_YAML_ALIAS;
        } else if (t == YAML_STREAM_END_EVENT) {
            return SDC_YAML_OK;
        }
        if (s != SDC_YAML_OK) {
            if (line)
                *line = at;
            return s;
        }
    }
}

sdc_yaml_shape sdc_yaml_shape_of(const unsigned char *text, size_t len, bool refuse_aliases,
                                 long *line)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return SDC_YAML_BAD;
    yaml_parser_set_input_string(&parser, text, len);
    sdc_yaml_shape s = sdc_yaml_shape_check(&parser, refuse_aliases, line);
    yaml_parser_delete(&parser);
    return s;
}

const char *sdc_yaml_shape_message(sdc_yaml_shape s)
{
    switch (s) {
    case SDC_YAML_OK: return "well formed";
    case SDC_YAML_TOO_DEEP:
        return "lists and mappings nest more than " STR(SDC_YAML_MAX_DEPTH) " deep";
    case SDC_YAML_ALIAS: return "aliases (*name) are not allowed";
    case SDC_YAML_BAD: return "not YAML";
    }
    return "not YAML";
}
