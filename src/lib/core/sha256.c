/*
 * sha256.c - SHA-256 as lowercase hex, from libcrypto's EVP interface
 * (sha256.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sdccheck/error.h"
#include "core/sha256.h"

static void to_hex(const unsigned char *digest, char hex[SDC_SHA256_HEX])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
}

int sdc_sha256_hex(const void *data, size_t len, char hex[SDC_SHA256_HEX])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (EVP_Digest(data, len, digest, &dlen, EVP_sha256(), NULL) != 1 || dlen != 32)
        return SDC_ENOMEM;
    to_hex(digest, hex);
    return SDC_OK;
}

int sdc_sha256_file(const char *path, char hex[SDC_SHA256_HEX], long long *size)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return sdc_error_from_errno(errno);
    if (!S_ISREG(st.st_mode))
        return SDC_EINVAL;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return sdc_error_from_errno(errno);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 ? SDC_OK : SDC_ENOMEM;
    long long total = 0;
    unsigned char chunk[65536];
    while (rc == SDC_OK) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            rc = SDC_EIO;
        else if (got == 0)
            break;
        else if (EVP_DigestUpdate(md, chunk, (size_t)got) != 1)
            rc = SDC_ENOMEM;
        else
            total += got;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (rc == SDC_OK && (EVP_DigestFinal_ex(md, digest, &dlen) != 1 || dlen != 32))
        rc = SDC_ENOMEM;
    if (rc == SDC_OK) {
        to_hex(digest, hex);
        if (size)
            *size = total;
    }
    EVP_MD_CTX_free(md);
    close(fd);
    return rc;
}
