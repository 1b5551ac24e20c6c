/*
 * detect_dbase.c - dBase III/IV, FoxBASE, FoxPro and Visual FoxPro tables
 * (.dbf, also the attribute table of every shapefile).
 *
 * Written from the dBase file structure (dBase's "Xbase file header"
 * description, as summarised in Erik Bachmann's "Xbase File Format
 * Description" and Microsoft's Visual FoxPro "Table File Structure"). A
 * 32-byte header:
 *
 *   0      version (0x02 FoxBASE, 0x03 dBase III, 0x30/0x31/0x32 Visual
 *          FoxPro, 0x43/0x63/0x7B/0x83/0x8B/0xCB dBase IV/III+ with SQL or
 *          memo, 0xF5 FoxPro 2 with memo, 0xFB FoxBASE)
 *   1-3    date of last update, YY MM DD (YY counted from 1900)
 *   4-7    number of records (32-bit little-endian)
 *   8-9    bytes in the header, 10-11 bytes in a record (16-bit LE)
 *   14, 15 incomplete-transaction and encryption flags (0 or 1)
 *
 * then 32-byte field descriptors (name of up to 10 characters NUL-padded
 * to 11 bytes, type letter, reserved, length, decimal count ...) ended by
 * 0x0D (Visual FoxPro adds a 263-byte backlink), then the records, each a
 * deletion flag (' ' or '*') and the fields, and an optional 0x1A at the
 * end. A version byte and a date are weak, so the structure is verified:
 * the descriptors must end at the header length, their lengths must add up
 * to the record length, the records in the head must start with a deletion
 * flag and, when the whole file is in hand, header and records must fill
 * it exactly. dBase 7 (version 0x04/0x8C, 48-byte descriptors) is not
 * recognised.
 */
#include <string.h>

#include "classify/detect.h"

static bool known_version(unsigned char v)
{
    static const unsigned char versions[] = {0x02, 0x03, 0x30, 0x31, 0x32, 0x43, 0x63,
                                             0x7B, 0x83, 0x8B, 0xCB, 0xF5, 0xFB};
    return memchr(versions, v, sizeof versions) != NULL;
}

/* One field descriptor: a name, a known type and a length; its length in
 * the record in *WIDTH. */
static bool field(const unsigned char *d, unsigned *width)
{
    unsigned char c = d[0];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'))
        return false;
    size_t n = 1;
    while (n < 11 && d[n])
        n++;
    if (n > 10)
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((d[i] >= 'A' && d[i] <= 'Z') || (d[i] >= 'a' && d[i] <= 'z') ||
              (d[i] >= '0' && d[i] <= '9') || d[i] == '_'))
            return false;
    /* C character, N numeric, F float, L logical, D date, M memo, B binary
     * or double, G OLE, P picture, Y currency, T datetime, I integer, V
     * varchar, Q varbinary, W blob, 0 null flags, @ timestamp, O double,
     * + autoincrement (dBase and Visual FoxPro type letters). */
    if (!d[11] || !memchr("CNFLDMBGPYTIVQW0@O+", d[11], 19))
        return false;
    unsigned len = d[16];
    if (d[11] == 'C')
        len |= (unsigned)d[17] << 8; /* Clipper and FoxPro: long character fields */
    if (len == 0 || (d[11] == 'D' && len != 8) || (d[11] == 'L' && len != 1))
        return false;
    *width = len;
    return true;
}

static bool detect(const unsigned char *h, size_t len, bool at_eof, const char *name,
                   sdc_classification *out)
{
    (void)name;
    if (len < 65 || !known_version(h[0]) || h[2] < 1 || h[2] > 12 || h[3] < 1 || h[3] > 31 ||
        h[14] > 1 || h[15] > 1)
        return false;
    unsigned long long records = (unsigned long long)h[4] | (unsigned long long)h[5] << 8 |
                                 (unsigned long long)h[6] << 16 | (unsigned long long)h[7] << 24;
    size_t header = (size_t)h[8] | (size_t)h[9] << 8;
    size_t record = (size_t)h[10] | (size_t)h[11] << 8;
    if (header < 65 || record < 2)
        return false;
    /* The descriptors, up to their terminator. */
    size_t at = 32, sum = 1; /* the deletion flag */
    while (at < len && h[at] != 0x0D) {
        unsigned width;
        if (at + 32 > len || at + 32 >= header || !field(h + at, &width))
            return false;
        sum += width;
        at += 32;
    }
    if (at >= len || at == 32 || sum != record)
        return false;
    size_t after = header - (at + 1); /* 0; 1 (a NUL some writers add); VFP's backlink */
    if (header < at + 1 || (after != 0 && after != 1 && after != 263))
        return false;
    /* The records the head holds begin with a deletion flag. */
    unsigned long long end = header + records * record;
    for (unsigned long long r = 0; r < records && r < 256; r++) {
        unsigned long long p = header + r * record;
        if (p >= len)
            break;
        if (h[p] != ' ' && h[p] != '*')
            return false;
    }
    if (at_eof ? !(len == end || (len == end + 1 && h[end] == 0x1A)) : end < len)
        return false;
    out->file_class = SDC_CLASS_DATA;
    out->format = "dbase";
    return true;
}

const sdc_detector sdc_detector_dbase = {"dbase", detect};
