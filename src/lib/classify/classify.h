/*
 * classify.h - what a file is, from its first bytes and its name (private).
 *
 * Content detectors (detect.h) decide the class and format; the name is
 * only a hint, and a name that says another class than the content is a
 * `disguised` finding (doc/design.md, "File classes").
 */
#ifndef SDC_CLASSIFY_H
#define SDC_CLASSIFY_H

#include <stddef.h>
#include "classify/detect.h"

/* Classifies a file from its first LEN bytes (AT_EOF: the whole file) and
 * its NAME (a hint only; for archive members the member's path). */
sdc_classification sdc_file_classify(const unsigned char *head, size_t len, bool at_eof,
                                     const char *name);

/* True when a file named as NAME_CLASS but holding CONTENT_CLASS is a
 * disguise: the classes differ beyond what honest files do (a .txt table,
 * an .h5 of data rather than weights, an Office file that is a zip). */
bool sdc_classes_disagree(sdc_file_class name_class, sdc_file_class content_class);

#endif
