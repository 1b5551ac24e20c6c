/*
 * rds.h - the classes of the objects an R serialisation holds (private).
 *
 * saveRDS() writes one object, save() a pairlist of named objects, in R's
 * serialisation format (R Internals, 1.8 "Serialization Formats"; R's
 * src/main/serialize.c): every object is a header word (type, flags),
 * its contents, and then its attributes, so the class of the object at
 * the top comes after everything it holds. The walk reads the whole
 * stream, keeping nothing but the symbols' names (for references) and
 * the top-level objects' "class" attributes: an `lm`, `glm`,
 * `randomForest` or `rpart` is a fitted model, a `data.frame` data
 * (doc/design.md, "Disallowed artefacts").
 */
#ifndef SDC_READ_RDS_H
#define SDC_READ_RDS_H

#include <stdbool.h>
#include <stddef.h>

#define SDC_RDS_OBJECTS 8
#define SDC_RDS_CLASSES 4

typedef struct sdc_rds_object {
    char name[64]; /* save()'s name for it, or "" */
    char classes[SDC_RDS_CLASSES][48];
    int nclasses;
} sdc_rds_object;

typedef struct sdc_rds_info {
    sdc_rds_object objects[SDC_RDS_OBJECTS];
    int nobjects;
} sdc_rds_info;

/* Walks the serialisation in BYTES[0..len) (an .rds's, or an .RData's
 * after its "RDX3\n" line; XDR or native binary). 0 when it was read to
 * its end, -1 when it is not one this walk reads (ASCII, damaged, too
 * deep, class references): the caller then falls back on what the head
 * showed; -2 when memory ran out. */
int sdc_rds_read(const unsigned char *bytes, size_t len, sdc_rds_info *out);

/* Is CLASS one of a fitted model (lm, glm, randomForest, rpart, train,
 * xgb.Booster, ...)? */
bool sdc_rds_model_class(const char *cls);

#endif
