/*
 * sha256.h - SHA-256 as lowercase hex, from libcrypto (private).
 *
 * The JSON report's integrity digest and the ledger's re-hash of a file
 * before it is released or verified share these two calls, so that the
 * same bytes always give the same 64 hex digits as sha256sum(1).
 */
#ifndef SDC_CORE_SHA256_H
#define SDC_CORE_SHA256_H

#include <stddef.h>

/* 64 hex digits and a NUL. */
#define SDC_SHA256_HEX 65

/* HEX = SHA-256 of the LEN bytes at DATA. SDC_OK, or SDC_ENOMEM when
 * libcrypto fails. */
int sdc_sha256_hex(const void *data, size_t len, char hex[SDC_SHA256_HEX]);

/* HEX = SHA-256 of the regular file at PATH, read in chunks, and *SIZE
 * (when not NULL) its length in bytes. SDC_OK; SDC_ENOENT, SDC_EACCES or
 * SDC_EIO when it cannot be read (a folder, a FIFO or a device is
 * SDC_EINVAL: it is never opened for reading, so a FIFO cannot hang). */
int sdc_sha256_file(const char *path, char hex[SDC_SHA256_HEX], long long *size);

#endif
