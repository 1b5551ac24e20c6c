/*
 * error.c - naming error codes, and the status that says why.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "sdccheck/error.h"

const char *sdc_strerror(int code)
{
    switch (code) {
    case SDC_OK: return "no error";
    case SDC_ENOMEM: return "out of memory";
    case SDC_ENOENT: return "no such file or folder";
    case SDC_EACCES: return "permission denied";
    case SDC_EIO: return "input/output error";
    case SDC_EINVAL: return "invalid argument";
    case SDC_EPARSE: return "cannot be parsed";
    case SDC_EEXIST: return "would overwrite an input";
    case SDC_ENOTABLE: return "no table could be read";
    }
    return "unknown error";
}

int sdc_status_set(sdc_status *st, int code, const char *fmt, ...)
{
    if (st) {
        st->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(st->message, sizeof st->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

int sdc_error_from_errno(int errnum)
{
    switch (errnum) {
    case ENOENT: return SDC_ENOENT;
    case EACCES:
    case EPERM: return SDC_EACCES;
    case ENOMEM: return SDC_ENOMEM;
    }
    return SDC_EIO;
}
