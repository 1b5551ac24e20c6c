/*
 * yaml_bound.h - YAML and JSON texts read within bounds (private).
 *
 * libyaml's scanner looks at every open flow level for each token, so a
 * text of N nested brackets costs N² (100,000 brackets took 47 s), and its
 * document loader keeps aliases as shared nodes, which a walk that follows
 * them may visit exponentially often ("billion laughs"). No policy, layout,
 * notebook or JSON output nests anywhere near SDC_YAML_MAX_DEPTH, and no
 * policy or layout needs an alias, so texts are checked against both before
 * they are loaded.
 */
#ifndef SDC_YAML_BOUND_H
#define SDC_YAML_BOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#define SDC_YAML_MAX_DEPTH 256

typedef enum sdc_yaml_shape {
    SDC_YAML_OK = 0,
    SDC_YAML_TOO_DEEP, /* collections nested deeper than SDC_YAML_MAX_DEPTH */
    SDC_YAML_ALIAS,    /* an alias (*name), when they are refused */
    SDC_YAML_BAD,      /* libyaml's own error: the loader reports it */
} sdc_yaml_shape;

/*
 * Reads the events of PARSER (its input set, fresh) to the end or to the
 * first problem: how deep its collections nest and, when REFUSE_ALIASES,
 * whether it has an alias. *LINE (may be NULL) is the problem's line
 * (1-based). The parser is spent: load from a new one.
 */
sdc_yaml_shape sdc_yaml_shape_check(yaml_parser_t *parser, bool refuse_aliases, long *line);

/* The same on TEXT[0..len). */
sdc_yaml_shape sdc_yaml_shape_of(const unsigned char *text, size_t len, bool refuse_aliases,
                                 long *line);

/* What a shape other than SDC_YAML_OK means, in words. */
const char *sdc_yaml_shape_message(sdc_yaml_shape s);

#endif
