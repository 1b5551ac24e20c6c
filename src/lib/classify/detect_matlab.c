/*
 * detect_matlab.c - MATLAB MAT-files, Level 4 and Level 5 (MATLAB 5 to 7).
 *
 * Written from MathWorks' "MAT-File Format" (the MAT-file format document,
 * chapters "Level 5 MAT-File Format" and "Level 4 MAT-File Format").
 *
 * Level 5 (what MATLAB writes by default, -v6 and -v7 alike): a 128-byte
 * header of 116 bytes of text ("MATLAB 5.0 MAT-file, Platform: ...", padded
 * with spaces or NULs), 8 bytes of subsystem data offset, a 2-byte version
 * 0x0100 and the 2-byte endian indicator 'MI' written as a 16-bit value, so
 * "IM" in a little-endian file and "MI" in a big-endian one. MATLAB itself
 * tells Level 5 from Level 4 by the first four bytes, which a Level 5 file
 * never has zero; data elements (8-byte tags: type, byte count) follow,
 * miMATRIX (14) or miCOMPRESSED (15) at the top level. MATLAB 7.3 files
 * (version 0x0200) are HDF5 behind a 512-byte user block and are named in
 * detect_signatures.c, with the other kinds of HDF5.
 *
 * Level 4 has no magic number: a file is a run of matrices, each a 20-byte
 * header (type MOPT, mrows, ncols, imagf, namlen as 32-bit integers in the
 * writer's byte order), the name (namlen bytes with its NUL) and the data.
 * It is claimed only when the structure holds throughout: M is 0 (IEEE
 * little-endian) or 1 (big-endian), O is 0, P is 0-5, T is 0-2, imagf is 0
 * or 1, the name is a MATLAB identifier ending in its NUL, and the matrices
 * end exactly at the end of the file (or run past the head with two
 * matrices or a first matrix larger than the head seen). Any other binary
 * is left to the detectors after this one.
 */
#include <string.h>

#include "classify/detect.h"

static unsigned long u32(const unsigned char *p, bool big)
{
    return big ? (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
                     p[3]
               : (unsigned long)p[3] << 24 | (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 |
                     p[0];
}

/* Level 5: version 0x0100 with its endian indicator, header text that is
 * text, and either MATLAB's own text or a top-level data element. */
static bool level5(const unsigned char *h, size_t len)
{
    if (len < 128 || !h[0] || !h[1] || !h[2] || !h[3])
        return false;
    bool little = memcmp(h + 124, "\x00\x01IM", 4) == 0;
    bool big = memcmp(h + 124, "\x01\x00MI", 4) == 0;
    if (!little && !big)
        return false;
    for (size_t i = 0; i < 116; i++)
        if (h[i] && (h[i] < 0x20 || h[i] > 0x7e))
            return false;
    if (memcmp(h, "MATLAB 5.0 MAT-file", 19) == 0)
        return true;
    if (len < 136)
        return false;
    unsigned long type = u32(h + 128, big);
    return type == 14 || type == 15;
}

/* Level 4 element sizes by P (double, single, int32, int16, uint16, uint8). */
static const unsigned level4_size[] = {8, 4, 4, 2, 2, 1};

static bool is_identifier(const unsigned char *s, unsigned long n)
{
    if (n == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return false;
    for (unsigned long i = 1; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* One Level 4 matrix header at P (20 bytes and the name, all in the head):
 * its total size in *SIZE, and whether it holds any element. */
static bool level4_matrix(const unsigned char *p, size_t avail, unsigned long long *size,
                          bool *nonempty)
{
    if (avail < 20)
        return false;
    unsigned long type = u32(p, false);
    bool big = false;
    if (type > 52) {
        type = u32(p, true);
        big = true;
        if (type < 1000 || type > 1052)
            return false;
        type -= 1000;
    }
    unsigned long o = type / 100 % 10, prec = type / 10 % 10, t = type % 10;
    unsigned long mrows = u32(p + 4, big), ncols = u32(p + 8, big);
    unsigned long imagf = u32(p + 12, big), namlen = u32(p + 16, big);
    /* no more than 2^40 elements (8 TiB of doubles), so sizes cannot wrap */
    if (o != 0 || prec > 5 || t > 2 || imagf > 1 || namlen < 2 || namlen > 64 ||
        mrows > 0x7fffffffUL || ncols > 0x7fffffffUL ||
        (unsigned long long)mrows * ncols > (1ULL << 40))
        return false;
    if (avail < 20 + namlen || p[20 + namlen - 1] != 0 || !is_identifier(p + 20, namlen - 1))
        return false;
    *size = 20ULL + namlen +
            (unsigned long long)mrows * ncols * level4_size[prec] * (imagf ? 2ULL : 1ULL);
    *nonempty = mrows > 0 && ncols > 0;
    return true;
}

static bool level4(const unsigned char *h, size_t len, bool at_eof)
{
    unsigned long long off = 0, size;
    size_t matrices = 0;
    bool nonempty = false, any = false;
    while (off < len) {
        if (!level4_matrix(h + off, len - (size_t)off, &size, &nonempty)) {
            /* a header cut by the end of the head is not evidence either way */
            if (!at_eof && matrices > 0 && len - off < 20 + 64)
                break;
            return false;
        }
        any |= nonempty;
        matrices++;
        off += size;
    }
    if (!any)
        return false;
    if (at_eof)
        return off == len;
    return matrices >= 2 || off > len;
}

static bool detect(const unsigned char *h, size_t len, bool at_eof, const char *name,
                   sdc_classification *out)
{
    (void)name;
    if (level5(h, len)) {
        out->file_class = SDC_CLASS_DATA;
        out->format = "matlab-v5";
        return true;
    }
    if (level4(h, len, at_eof)) {
        out->file_class = SDC_CLASS_DATA;
        out->format = "matlab-v4";
        return true;
    }
    return false;
}

const sdc_detector sdc_detector_matlab = {"matlab", detect};
