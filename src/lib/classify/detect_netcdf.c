/*
 * detect_netcdf.c - netCDF classic, 64-bit offset and CDF-5 files.
 *
 * Written from Unidata's "The NetCDF Classic Format Specification" (NetCDF
 * Users Guide, "File Format Specifications") and PnetCDF's "CDF-5 file
 * format specification". The magic "CDF" and a version byte (1 classic, 2
 * 64-bit offset, 5 CDF-5) are followed by the header:
 *
 *   numrecs  dim_list  gatt_list  var_list
 *
 * each list ABSENT (zeros) or a tag (NC_DIMENSION 0x0A, NC_ATTRIBUTE 0x0C,
 * NC_VARIABLE 0x0B) and a count; names are a length, the bytes and NUL
 * padding to four bytes; attribute values are typed (nc_type 1-6, 1-11 in
 * CDF-5) and padded; a variable gives its dimension ids, attributes, type,
 * size and begin offset (4 bytes in classic files, 8 from version 2).
 * Counts and lengths are big-endian, 4 bytes, 8 in CDF-5. Four magic bytes
 * are not enough, so the header is walked: every tag, type, name and
 * dimension id must be valid until the header ends or the head does.
 * netCDF-4 files are HDF5 and are named in detect_signatures.c.
 */
#include "classify/detect.h"

typedef struct nc_cursor {
    const unsigned char *p, *end;
    int version;                  /* 1, 2 or 5 */
    bool cut;                     /* ran past the head */
    unsigned long long ndims;     /* dimensions declared, for dimension ids */
    unsigned long long min_begin; /* the first variable's data, after the header */
} nc_cursor;

static bool take(nc_cursor *c, size_t n, const unsigned char **out)
{
    if ((size_t)(c->end - c->p) < n) {
        c->cut = true;
        return false;
    }
    *out = c->p;
    c->p += n;
    return true;
}

static bool uint_n(nc_cursor *c, size_t n, unsigned long long *v)
{
    const unsigned char *b;
    if (!take(c, n, &b))
        return false;
    *v = 0;
    for (size_t i = 0; i < n; i++)
        *v = *v << 8 | b[i];
    return true;
}

/* NON_NEG: a count or length, 8 bytes in CDF-5, else 4. */
static bool non_neg(nc_cursor *c, unsigned long long *v)
{
    return uint_n(c, c->version == 5 ? 8 : 4, v);
}

/* Padding to four bytes. The specification asks for NULs in the header,
 * but readers do not check and some writers pad with other bytes (scipy's
 * test file example_2.nc pads with '0'), so neither is this. */
static bool padding(nc_cursor *c, unsigned long long n)
{
    const unsigned char *b;
    return take(c, (size_t)((4 - n % 4) % 4), &b);
}

/* A name: UTF-8 without control characters or '/', 1-256 bytes. */
static bool name(nc_cursor *c)
{
    unsigned long long n;
    const unsigned char *b;
    if (!non_neg(c, &n) || n == 0 || n > 256 || !take(c, (size_t)n, &b))
        return false;
    for (size_t i = 0; i < n; i++)
        if (b[i] < 0x20 || b[i] == 0x7f || b[i] == '/')
            return false;
    return padding(c, n);
}

static unsigned type_size(nc_cursor *c, unsigned long long type)
{
    static const unsigned size[] = {0, 1, 1, 2, 4, 4, 8, 1, 2, 4, 8, 8};
    unsigned long long max = c->version == 5 ? 11 : 6;
    return type >= 1 && type <= max ? size[type] : 0;
}

/* A list's tag and count: ABSENT (ZERO ZERO) or TAG nelems. */
static bool list_head(nc_cursor *c, unsigned long tag, unsigned long long *n)
{
    unsigned long long t;
    if (!uint_n(c, 4, &t) || !non_neg(c, n))
        return false;
    if (t == 0)
        return *n == 0;
    return t == tag && *n > 0 && *n <= 65536;
}

static bool att_list(nc_cursor *c)
{
    unsigned long long n, type, count;
    const unsigned char *b;
    if (!list_head(c, 0x0C, &n))
        return false;
    for (unsigned long long i = 0; i < n; i++) {
        if (!name(c) || !uint_n(c, 4, &type) || !type_size(c, type) || !non_neg(c, &count))
            return false;
        if (count > (1ULL << 40))
            return false;
        unsigned long long bytes = count * type_size(c, type);
        if (!take(c, (size_t)bytes, &b) || !padding(c, bytes))
            return false;
    }
    return true;
}

static bool dim_list(nc_cursor *c)
{
    unsigned long long n, length;
    if (!list_head(c, 0x0A, &n))
        return false;
    for (unsigned long long i = 0; i < n; i++)
        if (!name(c) || !non_neg(c, &length))
            return false;
    c->ndims = n;
    return true;
}

static bool var_list(nc_cursor *c, size_t len, bool at_eof)
{
    unsigned long long n, ndims, dimid, type, vsize, begin;
    if (!list_head(c, 0x0B, &n))
        return false;
    for (unsigned long long i = 0; i < n; i++) {
        if (!name(c) || !non_neg(c, &ndims) || ndims > 1024)
            return false;
        for (unsigned long long d = 0; d < ndims; d++)
            if (!non_neg(c, &dimid) || dimid >= c->ndims)
                return false;
        if (!att_list(c) || !uint_n(c, 4, &type) || !type_size(c, type) || !non_neg(c, &vsize) ||
            !uint_n(c, c->version == 1 ? 4 : 8, &begin))
            return false;
        /* data lies inside a file we have whole */
        if (at_eof && begin > len)
            return false;
        if (begin < c->min_begin)
            c->min_begin = begin;
    }
    return true;
}

static bool detect(const unsigned char *h, size_t len, bool at_eof, const char *fname,
                   sdc_classification *out)
{
    (void)fname;
    if (len < 8 || h[0] != 'C' || h[1] != 'D' || h[2] != 'F' ||
        (h[3] != 1 && h[3] != 2 && h[3] != 5))
        return false;
    nc_cursor c = {.p = h + 4, .end = h + len, .version = h[3], .min_begin = ~0ULL};
    unsigned long long numrecs;
    bool whole = non_neg(&c, &numrecs) && dim_list(&c) && att_list(&c) && var_list(&c, len, at_eof);
    /* Variables' data lies after the header; a header longer than the head
     * is judged on what the head holds. */
    if (whole && c.min_begin < (unsigned long long)(c.p - h))
        return false;
    if (!whole && !(c.cut && !at_eof && c.p - h >= 16))
        return false;
    out->file_class = SDC_CLASS_DATA;
    out->format = h[3] == 1 ? "netcdf-classic" : h[3] == 2 ? "netcdf-64bit-offset" : "netcdf-cdf5";
    return true;
}

const sdc_detector sdc_detector_netcdf = {"netcdf", detect};
