/*
 * detect.h - content detectors (private).
 *
 * A detector looks at the first bytes of a file (up to SDC_READ_CHUNK) and
 * says whether they are its format. Detectors for formats no C library
 * reads (pickle, safetensors, GGUF, NumPy, ...) are written here from the
 * formats' published descriptions and run before libmagic, whose answer is
 * only trusted for generic types (images, PDF, Office, archives).
 * Adding a format: one detect_<name>.c and one line in classify.c.
 */
#ifndef SDC_DETECT_H
#define SDC_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "sdccheck/check.h"

typedef struct sdc_classification {
    sdc_file_class file_class;
    const char *format;        /* static string: "pickle", "csv", "png" ... */
    const char *detail;        /* static string or NULL: "protocol 4", "joblib" */
    sdc_file_class name_class; /* what the file's extension says, or UNKNOWN */
    const char *name_format;   /* the extension's format ("csv", "png"), or NULL */
} sdc_classification;

typedef struct sdc_detector {
    const char *name;
    /* Returns true and fills OUT (class, format, detail) when HEAD[0..len)
     * is this detector's format. AT_EOF: HEAD is the whole file. */
    bool (*detect)(const unsigned char *head, size_t len, bool at_eof, const char *name,
                   sdc_classification *out);
} sdc_detector;

/* What the pickle opcode walk learned. */
typedef struct sdc_pickle_info {
    int protocol;      /* 0..5 */
    bool joblib;       /* joblib.numpy_pickle objects seen */
    bool torch_legacy; /* torch.save's legacy magic number */
    bool truncated;    /* the file ended before STOP */
} sdc_pickle_info;

/* True if HEAD parses as a pickle opcode stream (see detect_pickle.c). */
bool sdc_pickle_probe(const unsigned char *head, size_t len, bool at_eof, sdc_pickle_info *info);

/* The last component of a file or member path: "x.csv" of "a/b.zip!c/x.csv"
 * (name.c). */
const char *sdc_name_base(const char *name);

/* The extension of a file or member name ("csv" of "a/b.csv", "" if none;
 * name.c). */
const char *sdc_name_extension(const char *name);

/* The detectors, in the order they are tried. */
extern const sdc_detector sdc_detector_pickle;
extern const sdc_detector sdc_detector_signatures;
extern const sdc_detector sdc_detector_textmodels;
extern const sdc_detector sdc_detector_onnx;
extern const sdc_detector sdc_detector_matlab;
extern const sdc_detector sdc_detector_netcdf;
extern const sdc_detector sdc_detector_dbase;
extern const sdc_detector sdc_detector_devmode;
extern const sdc_detector sdc_detector_msgpack;
extern const sdc_detector sdc_detector_text;

#endif
