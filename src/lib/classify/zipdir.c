/*
 * zipdir.c - a zip's central directory, read from the end of the file.
 *
 * A zip is read in streaming order (local headers) so that a lying
 * central directory cannot hide what is checked; but unzip and most tools
 * read the central directory, so it must say the same thing. This file
 * parses it from the last bytes of the file (the caller keeps a window of
 * them) so that check/container.c can cross-check it with the entries it
 * walked, and walk the comments and unknown extra fields it carries.
 * Layouts from PKWARE's APPNOTE.TXT 6.3.10, section 4.3.
 */
#include <stdlib.h>
#include <string.h>

#include "classify/zipdir.h"
#include "core/bytes.h"
#include "core/vec.h"

/* The last end record (APPNOTE 4.3.16: 22 bytes and a comment) whose
 * comment fits in the window: it ends the file, or is followed by bytes
 * appended to the zip (which the end-marker tracker reports). -1 if none. */
static long find_end(const unsigned char *w, size_t len)
{
    if (len < 22)
        return -1;
    for (size_t i = len - 22 + 1; i-- > 0;)
        if (memcmp(w + i, "PK\x05\x06", 4) == 0 && i + 22 + sdc_le16(w + i + 20) <= len)
            return (long)i;
    return -1;
}

/* Zip64: the locator just before the end record gives the zip64 end
 * record, which holds the directory's real size and offset (4.3.14-15). */
static bool read_zip64(const unsigned char *w, size_t end, unsigned long long at, sdc_zipdir *out)
{
    if (end < 20 || memcmp(w + end - 20, "PK\x06\x07", 4) != 0)
        return false;
    unsigned long long rec = sdc_le64(w + end - 20 + 8);
    if (rec < at || rec - at + 56 > end || memcmp(w + (rec - at), "PK\x06\x06", 4) != 0)
        return false;
    const unsigned char *r = w + (rec - at);
    out->cd_size = sdc_le64(r + 40);
    out->cd_offset = sdc_le64(r + 48);
    out->zip64_at = rec;
    out->zip64_len = 12 + sdc_le64(r + 4);
    return true;
}

/* The directory's entries (4.3.12: a 46-byte header, then name, extra
 * field and comment). */
static sdc_zipdir_status read_entries(const unsigned char *w, size_t from, size_t to,
                                      sdc_zipdir *out)
{
    size_t cap = 0;
    for (size_t at = from; at < to;) {
        if (at + 46 > to || memcmp(w + at, "PK\x01\x02", 4) != 0)
            return SDC_ZIPDIR_MALFORMED;
        size_t nlen = sdc_le16(w + at + 28), xlen = sdc_le16(w + at + 30),
               clen = sdc_le16(w + at + 32);
        if (at + 46 + nlen + xlen + clen > to)
            return SDC_ZIPDIR_MALFORMED;
        if (SDC_VEC_RESERVE(out->entries, cap, out->count + 1) < 0)
            return SDC_ZIPDIR_NO_MEMORY;
        sdc_zipdir_entry *e = &out->entries[out->count++];
        e->name = w + at + 46;
        e->name_len = nlen;
        e->local_offset = sdc_le32(w + at + 42);
        e->extra = w + at + 46 + nlen;
        e->extra_len = xlen;
        e->comment = w + at + 46 + nlen + xlen;
        e->comment_len = clen;
        /* A zip64 extended information field holds what does not fit. */
        for (size_t x = 0; x + 4 <= xlen && e->local_offset == 0xFFFFFFFFul;) {
            unsigned id = sdc_le16(e->extra + x), size = sdc_le16(e->extra + x + 2);
            if (x + 4 + size > xlen)
                break;
            if (id == 0x0001 && size >= 8)
                e->local_offset = sdc_le64(e->extra + x + 4 + size - 8);
            x += 4 + size;
        }
        at += 46 + nlen + xlen + clen;
    }
    return SDC_ZIPDIR_OK;
}

void sdc_zipdir_read(const unsigned char *w, size_t len, unsigned long long at, sdc_zipdir *out)
{
    memset(out, 0, sizeof *out);
    long end = find_end(w, len);
    if (end < 0) {
        out->status = SDC_ZIPDIR_NO_END;
        return;
    }
    const unsigned char *e = w + end;
    out->end_offset = at + (unsigned long long)end;
    out->disk = sdc_le16(e + 4);
    out->cd_disk = sdc_le16(e + 6);
    out->entries_here = sdc_le16(e + 8);
    out->entries_total = sdc_le16(e + 10);
    out->cd_size = sdc_le32(e + 12);
    out->cd_offset = sdc_le32(e + 16);
    out->comment = e + 22;
    out->comment_len = sdc_le16(e + 20);
    if ((out->cd_offset == 0xFFFFFFFFul || out->cd_size == 0xFFFFFFFFul) &&
        !read_zip64(w, (size_t)end, at, out)) {
        out->status = SDC_ZIPDIR_MALFORMED;
        return;
    }
    if (out->cd_offset < at) {
        out->status = SDC_ZIPDIR_TOO_LARGE;
        return;
    }
    size_t from = (size_t)(out->cd_offset - at);
    if (from > (size_t)end || out->cd_size > (size_t)end - from) {
        out->status = SDC_ZIPDIR_MALFORMED;
        return;
    }
    out->status = read_entries(w, from, from + (size_t)out->cd_size, out);
}

void sdc_zipdir_free(sdc_zipdir *d)
{
    free(d->entries);
    memset(d, 0, sizeof *d);
}

bool sdc_zipdir_extra_known(unsigned id)
{
    /* APPNOTE 4.5.2 (0x0001-0x0023, 0x0065-0x0066, 0x4690), 4.6 (third
     * party: 0x07c8, 0x2605, 0x2705, 0x334d, 0x4341, 0x4453, 0x4704, 0x470f,
     * 0x4b46, 0x4c41, 0x4d49, 0x4f4c, 0x5356, 0x5455, 0x554e, 0x5855,
     * 0x6375, 0x6542, 0x7075, 0x756e, 0x7855, 0x7875, 0xa11e, 0xa220,
     * 0xfd4a, 0x9901) and the Java JAR marker 0xcafe; Android's alignment
     * field 0xd935. */
    static const unsigned known[] = {
        0x0001, 0x0007, 0x0008, 0x0009, 0x000a, 0x000c, 0x000d, 0x000e, 0x000f, 0x0014,
        0x0015, 0x0016, 0x0017, 0x0018, 0x0019, 0x0020, 0x0021, 0x0022, 0x0023, 0x0065,
        0x0066, 0x4690, 0x07c8, 0x2605, 0x2705, 0x334d, 0x4341, 0x4453, 0x4704, 0x470f,
        0x4b46, 0x4c41, 0x4d49, 0x4f4c, 0x5356, 0x5455, 0x554e, 0x5855, 0x6375, 0x6542,
        0x7075, 0x756e, 0x7855, 0x7875, 0xa11e, 0xa220, 0xfd4a, 0x9901, 0xcafe, 0xd935,
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i] == id)
            return true;
    return false;
}

bool sdc_zipdir_extra_fits(unsigned id, size_t size)
{
    if (!sdc_zipdir_extra_known(id))
        return false;
    /* The largest each common field's layout allows: zip64 (4.5.3: four
     * values), NTFS times (4.5.5), Info-ZIP's extended timestamp (three
     * times and a flag), old Unix (12), Unix UID/GID (version, two sizes,
     * two ids of up to 16 bytes), AES (7), the JAR marker (0), Android's
     * alignment (2 and the padding to a 4 KiB page). */
    static const struct {
        unsigned id;
        size_t max;
    } limits[] = {
        {0x0001, 28}, {0x000a, 36}, {0x5455, 13}, {0x5855, 12},   {0x7855, 4},
        {0x7875, 35}, {0x9901, 7},  {0xcafe, 0},  {0xd935, 4098},
    };
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        if (limits[i].id == id)
            return size <= limits[i].max;
    return true;
}
