/*
 * error.h - errors are values a caller can act on.
 *
 * Every call that can fail says so the same way: a negative SDC_E* code,
 * returned by functions that return int and given (with a sentence for a
 * person) in an sdc_status by functions that return an object or NULL.
 * sdc_strerror names a code. A call given a NULL status still fails the
 * same way; the status only adds the why.
 *
 * A file that cannot be read or understood while checking is not an error
 * of the call: it is a finding in that file's result (never a pass). Errors
 * are for what stops the tool doing its job: memory, a path given that does
 * not exist, an output that cannot be written, a declaration that cannot
 * be read.
 */
#ifndef SDCCHECK_ERROR_H
#define SDCCHECK_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sdc_error {
    SDC_OK = 0,
    SDC_ENOMEM = -1,   /* out of memory */
    SDC_ENOENT = -2,   /* no such file or folder */
    SDC_EACCES = -3,   /* permission denied */
    SDC_EIO = -4,      /* a file could not be read or written */
    SDC_EINVAL = -5,   /* an argument or a declared value is not valid */
    SDC_EPARSE = -6,   /* a YAML file or a pattern could not be parsed */
    SDC_EEXIST = -7,   /* the output would overwrite an input */
    SDC_ENOTABLE = -8, /* the file holds no table */
} sdc_error;

/* A short description of CODE ("out of memory", ...); never NULL. */
const char *sdc_strerror(int code);

/* Why a call failed: its code and a sentence for a person. Zero-initialise
 * it; a call that succeeds leaves it alone. */
typedef struct sdc_status {
    int code;          /* SDC_OK or an SDC_E* code */
    char message[512]; /* "" or what went wrong, with the file and line */
} sdc_status;

/* Sets ST (when not NULL) to CODE and a printf-style message; returns
 * CODE. */
int sdc_status_set(sdc_status *st, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The SDC_E* code for an errno value (ENOENT, EACCES; anything else is
 * SDC_EIO, and ENOMEM SDC_ENOMEM). */
int sdc_error_from_errno(int errnum);

#ifdef __cplusplus
}
#endif
#endif
