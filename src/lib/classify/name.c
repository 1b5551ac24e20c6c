/*
 * name.c - the parts of a file name the classifier looks at.
 *
 * A name is a hint, never the verdict: detectors and the classifier both
 * ask for a name's last component or extension, so these live apart from
 * both, and no detector calls back into the classifier. A member of a
 * container is named "outer.zip!inner/x.csv": its last component is what
 * follows the last '!' or '/'.
 */
#include <string.h>

#include "classify/detect.h"

const char *sdc_name_base(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *bang = strrchr(name, '!');
    return bang && (!slash || bang > slash) ? bang + 1 : slash ? slash + 1 : name;
}

const char *sdc_name_extension(const char *name)
{
    const char *base = sdc_name_base(name);
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot + 1 : "";
}
