/*
 * detect_signatures.c - formats with a signature at a fixed offset.
 *
 * One table row per signature; a row may add a check function for formats
 * whose magic number alone is too weak or that need a second look (HDF5
 * written by Keras is a model, other HDF5 is data). Sources are cited per
 * row: each format's published specification or the writing library's
 * source.
 */
#include <string.h>

#include "classify/detect.h"
#include "core/bytes.h"

typedef bool (*refine_fn)(const unsigned char *h, size_t len, sdc_classification *out);

typedef struct signature {
    size_t offset;
    const char *magic;
    size_t magic_len;
    sdc_file_class file_class;
    const char *format;
    refine_fn refine; /* may reject (false) or change class/format */
} signature;

static bool has(const unsigned char *h, size_t len, const char *s)
{
    return memmem(h, len, s, strlen(s)) != NULL;
}

/* safetensors: u64 LE header size, then a JSON header
 * (huggingface/safetensors README, "Format"). */
static bool detect_safetensors(const unsigned char *h, size_t len, bool at_eof, const char *name,
                               sdc_classification *out)
{
    (void)at_eof;
    (void)name;
    if (len < 10)
        return false;
    unsigned long long n = sdc_le64(h);
    if (n < 2 || n > 100u * 1024 * 1024 || h[8] != '{')
        return false;
    size_t look = len - 8 < n ? len - 8 : (size_t)n;
    if (!has(h + 8, look, "\"dtype\"") && !has(h + 8, look, "\"__metadata__\""))
        return false;
    out->file_class = SDC_CLASS_MODEL;
    out->format = "safetensors";
    return true;
}

/* HDF5 and what it holds: a MATLAB 7.3 MAT-file (the 512-byte user block
 * holds a Level 5 style header, "MATLAB 7.3 MAT-file" with version 0x0200:
 * MathWorks' MAT-file format document, "MAT-File Versions", and
 * hdf5storage's writer), a Keras model (keras/src/legacy/saving/
 * legacy_h5_format.py writes model_config, keras_version, backend) or a
 * netCDF-4 file (netcdf-c writes the root attribute _NCProperties since
 * 4.4.1, and _Netcdf4Dimid on dimensions: NetCDF Users Guide, "NetCDF-4
 * Format"). Any other HDF5 is data. */
static bool refine_hdf5(const unsigned char *h, size_t len, sdc_classification *out)
{
    if (len >= 128 &&
        (memcmp(h, "MATLAB 7.3 MAT-file", 19) == 0 || memcmp(h + 124, "\x00\x02IM", 4) == 0 ||
         memcmp(h + 124, "\x02\x00MI", 4) == 0)) {
        out->format = "matlab-v7.3";
        return true;
    }
    if (has(h, len, "model_config") || has(h, len, "keras_version") || has(h, len, "layer_names") ||
        has(h, len, "model_weights")) {
        out->file_class = SDC_CLASS_MODEL;
        out->format = "keras-hdf5";
    } else if (has(h, len, "_NCProperties") || has(h, len, "_Netcdf4Dimid")) {
        out->format = "netcdf4";
    }
    return true;
}

/* GGUF: "GGUF", then version u32 1-3 (ggml/docs/gguf.md). */
static bool refine_gguf(const unsigned char *h, size_t len, sdc_classification *out)
{
    (void)out;
    return len >= 8 && h[4] >= 1 && h[4] <= 3 && h[5] == 0 && h[6] == 0 && h[7] == 0;
}

/* NumPy .npy: "\x93NUMPY", a major and a minor version byte, then the
 * header (NEP 1, "A Simple File Format for NumPy Arrays", and
 * numpy/lib/format.py: versions 1.0, 2.0 and 3.0 exist today). The six
 * magic bytes are the format; any version is an array that cannot leave,
 * whether it holds model weights or data, and one no NumPy has written
 * yet is named as such. */
static bool refine_npy(const unsigned char *h, size_t len, sdc_classification *out)
{
    if (len < 8 || h[6] < 1 || h[6] > 3 || h[7] != 0)
        out->detail = "unknown format version";
    return true;
}

/* Old Stata .dta: release byte 102-115, byte order 1 or 2, filetype 1
 * (Stata dta documentation, "Versions 8 to 12"). */
static bool detect_stata_old(const unsigned char *h, size_t len, bool at_eof, const char *name,
                             sdc_classification *out)
{
    (void)at_eof;
    (void)name;
    if (len < 4 || h[0] < 102 || h[0] > 115 || (h[1] != 1 && h[1] != 2) || h[2] != 1 || h[3] != 0)
        return false;
    out->file_class = SDC_CLASS_DATA;
    out->format = "stata-dta";
    return true;
}

/* R serialisation (R Internals, "Serialization Formats"): XDR, ASCII or
 * native, version 2 or 3. What it holds decides data or model. */
static bool refine_r_serialised(const unsigned char *h, size_t len, sdc_classification *out)
{
    static const char *const model_words[] = {"coefficients", "fitted.values", "forest", "splits",
                                              "xgb.Booster",  "glmnet",        "nnet",   "gbm",
                                              "ranger",       "svm",           "cptable"};
    if (len < 6)
        return false;
    bool model = false;
    for (size_t i = 0; i < sizeof model_words / sizeof model_words[0]; i++)
        model |= has(h, len, model_words[i]);
    if (model) {
        out->file_class = SDC_CLASS_MODEL;
        out->format = out->format[0] == 'r' && out->format[1] == 'd' && out->format[2] == 'a'
                          ? "rdata-model"
                          : "rds-model";
    }
    return true;
}

/* A zlib stream (RFC 1950): CMF/FLG checksum; joblib's zlib compression. */
static bool refine_zlib(const unsigned char *h, size_t len, sdc_classification *out)
{
    (void)out;
    return len >= 2 && (h[1] & 0x20) == 0 && ((unsigned)h[0] * 256 + h[1]) % 31 == 0;
}

/* LZMA "alone" (.lzma, joblib's lzma): properties byte 0x5D and a power
 * of two dictionary size (xz-utils, doc/lzma-file-format.txt). */
static bool refine_lzma_alone(const unsigned char *h, size_t len, sdc_classification *out)
{
    (void)out;
    if (len < 13)
        return false;
    unsigned dict =
        (unsigned)h[1] | (unsigned)h[2] << 8 | (unsigned)h[3] << 16 | (unsigned)h[4] << 24;
    return dict >= 4096 && (dict & (dict - 1)) == 0;
}

static bool all_of(const unsigned char *h, size_t from, size_t to, const char *set)
{
    for (size_t i = from; i < to; i++)
        if (!h[i] || !strchr(set, h[i]))
            return false;
    return true;
}

/* A portable ASCII cpio header: "070707" and 70 more octal digits (odc,
 * POSIX.1), or "070701"/"070702" and 104 more hex digits (newc, crc);
 * libarchive's cpio reader, cpio(5). */
static bool refine_cpio_text(const unsigned char *h, size_t len, sdc_classification *out)
{
    (void)out;
    if (h[5] == '7')
        return len >= 76 && all_of(h, 6, 76, "01234567");
    return len >= 110 && all_of(h, 6, 110, "0123456789abcdefABCDEF");
}

/* A binary cpio header (cpio(5), "old binary format"): 26 bytes of 16-bit
 * words, its magic 070707 in either byte order, then a file name of
 * namesize bytes ending in NUL, and a file type cpio knows. */
static bool refine_cpio_binary(const unsigned char *h, size_t len, sdc_classification *out)
{
    (void)out;
    if (len < 28)
        return false;
    bool le = h[0] == 0xc7;
    unsigned mode =
        le ? (unsigned)h[6] | (unsigned)h[7] << 8 : (unsigned)h[7] | (unsigned)h[6] << 8;
    unsigned namesize =
        le ? (unsigned)h[20] | (unsigned)h[21] << 8 : (unsigned)h[21] | (unsigned)h[20] << 8;
    unsigned type = mode & 0170000;
    bool known = type == 0100000 || type == 0040000 || type == 0120000 || type == 0060000 ||
                 type == 0020000 || type == 0010000 || type == 0140000 ||
                 (mode == 0 && namesize == 11);
    return known && namesize >= 2 && 26u + namesize <= len && h[26 + namesize - 1] == 0;
}

/* An LHA/LZH header: its method "-lh?-", "-lz?-" or "-pm?-" at offset 2
 * (LHa for UNIX, header.doc). */
static bool refine_lha(const unsigned char *h, size_t len, sdc_classification *out)
{
    (void)out;
    return len >= 21 && h[0] >= 21 && h[6] == '-' &&
           (memcmp(h + 3, "lh", 2) == 0 || memcmp(h + 3, "lz", 2) == 0 ||
            memcmp(h + 3, "pm", 2) == 0);
}

/* An ISO 9660 image: a volume descriptor ("CD001", version 1) at sector 16
 * (ECMA-119, 8.1). */
static bool refine_iso9660(const unsigned char *h, size_t len, sdc_classification *out)
{
    (void)out;
    return len > 32774 && h[32774] == 1;
}

/* A zstd skippable frame (RFC 8878, 3.1.2): magic 0x184D2A5? and a
 * length; libarchive's zstd filter reads past it. */
static bool refine_zstd_skippable(const unsigned char *h, size_t len, sdc_classification *out)
{
    (void)out;
    return len >= 8 && (h[0] & 0xf0) == 0x50;
}

/* An sfnt font's table directory (OpenType 1.9, "Organization of an
 * OpenType font"): numTables, then searchRange = 16 x the largest power
 * of two not above it. */
static bool refine_sfnt(const unsigned char *h, size_t len, sdc_classification *out)
{
    (void)out;
    if (len < 12)
        return false;
    unsigned tables = (unsigned)h[4] << 8 | h[5], range = (unsigned)h[6] << 8 | h[7];
    if (tables == 0 || tables > 256)
        return false;
    unsigned p = 1;
    while (p * 2 <= tables)
        p *= 2;
    return range == 16 * p;
}

#define SIG(off, m, cls, fmt, fn)                                                                  \
    {                                                                                              \
        off, m, sizeof(m) - 1, cls, fmt, fn                                                        \
    }

static const signature signatures[] = {
    /* models */
    SIG(0, "GGUF", SDC_CLASS_MODEL, "gguf", refine_gguf),
    SIG(0, "lmgg", SDC_CLASS_MODEL, "ggml", NULL), /* ggml.h GGML_FILE_MAGIC, LE */
    SIG(0, "tjgg", SDC_CLASS_MODEL, "ggjt", NULL), /* llama.cpp ggjt, LE */
    SIG(0, "\x93NUMPY", SDC_CLASS_MODEL, "npy", refine_npy),
    SIG(4, "TFL3", SDC_CLASS_MODEL, "tflite", NULL),         /* schema.fbs file_identifier */
    SIG(0, "CBM1", SDC_CLASS_MODEL, "catboost", NULL),       /* catboost model_export magic */
    SIG(0, "binf", SDC_CLASS_MODEL, "xgboost-binary", NULL), /* xgboost learner.cc legacy header */
    SIG(0, "\x89HDF\r\n\x1a\n", SDC_CLASS_DATA, "hdf5", refine_hdf5), /* HDF5 spec II.A */
    SIG(512, "\x89HDF\r\n\x1a\n", SDC_CLASS_DATA, "hdf5", refine_hdf5),
    SIG(0, "RDX2\n", SDC_CLASS_DATA, "rdata", refine_r_serialised),
    SIG(0, "RDX3\n", SDC_CLASS_DATA, "rdata", refine_r_serialised),
    SIG(0, "RDA2\n", SDC_CLASS_DATA, "rdata", refine_r_serialised),
    SIG(0, "RDA3\n", SDC_CLASS_DATA, "rdata", refine_r_serialised),
    SIG(0, "RDB2\n", SDC_CLASS_DATA, "rdata", refine_r_serialised),
    SIG(0, "RDB3\n", SDC_CLASS_DATA, "rdata", refine_r_serialised),
    SIG(0, "X\n\0\0\0\x02", SDC_CLASS_DATA, "rds", refine_r_serialised),
    SIG(0, "X\n\0\0\0\x03", SDC_CLASS_DATA, "rds", refine_r_serialised),
    SIG(0, "A\n2\n", SDC_CLASS_DATA, "rds", refine_r_serialised),
    SIG(0, "A\n3\n", SDC_CLASS_DATA, "rds", refine_r_serialised),
    SIG(0, "B\n\x02\0\0\0", SDC_CLASS_DATA, "rds", refine_r_serialised),
    SIG(0, "B\n\x03\0\0\0", SDC_CLASS_DATA, "rds", refine_r_serialised),
    /* data files */
    SIG(0, "PAR1", SDC_CLASS_DATA, "parquet", NULL), /* parquet-format README */
    SIG(0, "ARROW1", SDC_CLASS_DATA, "arrow", NULL), /* Arrow IPC file format */
    SIG(0, "FEA1", SDC_CLASS_DATA, "feather-v1", NULL),
    SIG(0, "SQLite format 3", SDC_CLASS_DATA, "sqlite", NULL), /* sqlite.org/fileformat */
    SIG(0, "$FL2", SDC_CLASS_DATA, "spss-sav", NULL),          /* PSPP: system file format */
    SIG(0, "$FL3", SDC_CLASS_DATA, "spss-zsav", NULL),
    SIG(0, "<stata_dta>", SDC_CLASS_DATA, "stata-dta", NULL), /* dta 117+ */
    SIG(0, "HEADER RECORD*******LIB", SDC_CLASS_DATA, "sas-xport",
        NULL), /* SAS TS-140 XPORT v5 ("LIBRARY") and v8 ("LIBV8") */
    SIG(12, "\xc2\xea\x81\x60\xb3\x14\x11\xcf\xbd\x92\x08\x00\x09\xc7\x31\x8c", SDC_CLASS_DATA,
        "sas7bdat", NULL), /* sas7bdat magic, bytes 12-27 (Shotwell, sas7bdat.pdf) */
    /* containers and compressed streams (opened, members checked) */
    SIG(0, "PK\x03\x04", SDC_CLASS_CONTAINER, "zip", NULL), /* APPNOTE 4.3.7 */
    SIG(0, "PK\x05\x06", SDC_CLASS_CONTAINER, "zip", NULL), /* empty zip */
    /* a split or spanned archive's first volume (APPNOTE 8.5.3): never
     * whole, so never opened as if it were */
    SIG(0, "PK\x07\x08", SDC_CLASS_UNKNOWN, "zip-volume", NULL),
    SIG(0, "PK00PK\x03\x04", SDC_CLASS_CONTAINER, "zip", NULL), /* spanning marker, one volume */
    SIG(0, "\x1f\x8b", SDC_CLASS_CONTAINER, "gzip", NULL),      /* RFC 1952 */
    SIG(0, "BZh", SDC_CLASS_CONTAINER, "bzip2", NULL),
    SIG(0,
        "\xfd"
        "7zXZ\0",
        SDC_CLASS_CONTAINER, "xz", NULL),                          /* xz-file-format */
    SIG(0, "\x28\xb5\x2f\xfd", SDC_CLASS_CONTAINER, "zstd", NULL), /* RFC 8878 */
    SIG(0, "\x04\x22\x4d\x18", SDC_CLASS_CONTAINER, "lz4", NULL),
    SIG(0, "7z\xbc\xaf\x27\x1c", SDC_CLASS_CONTAINER, "7z", NULL),
    SIG(257, "ustar", SDC_CLASS_CONTAINER, "tar", NULL), /* POSIX pax/ustar */
    SIG(0, "\x5d\0\0", SDC_CLASS_CONTAINER, "lzma", refine_lzma_alone),
    SIG(0, "\x78", SDC_CLASS_CONTAINER, "zlib", refine_zlib),
    /* more archive formats and compressions libarchive reads */
    SIG(0, "070707", SDC_CLASS_CONTAINER, "cpio", refine_cpio_text),
    SIG(0, "070701", SDC_CLASS_CONTAINER, "cpio", refine_cpio_text),
    SIG(0, "070702", SDC_CLASS_CONTAINER, "cpio", refine_cpio_text),
    SIG(0, "\xc7\x71", SDC_CLASS_CONTAINER, "cpio", refine_cpio_binary),
    SIG(0, "\x71\xc7", SDC_CLASS_CONTAINER, "cpio", refine_cpio_binary),
    SIG(0, "!<arch>\n", SDC_CLASS_CONTAINER, "ar", NULL),     /* ar(5); .deb */
    SIG(0, "MSCF\0\0\0\0", SDC_CLASS_CONTAINER, "cab", NULL), /* MS-CAB 2.1 */
    SIG(32769, "CD001", SDC_CLASS_CONTAINER, "iso9660", refine_iso9660),
    SIG(0, "WARC/1.", SDC_CLASS_CONTAINER, "warc", NULL),             /* ISO 28500 */
    SIG(0, "Rar!\x1a\x07\x00", SDC_CLASS_CONTAINER, "rar", NULL),     /* RAR 4 */
    SIG(0, "Rar!\x1a\x07\x01\x00", SDC_CLASS_CONTAINER, "rar", NULL), /* RAR 5 */
    SIG(2, "-l", SDC_CLASS_CONTAINER, "lha", refine_lha),
    SIG(2, "-p", SDC_CLASS_CONTAINER, "lha", refine_lha),
    SIG(0, "xar!", SDC_CLASS_CONTAINER, "xar", NULL),                 /* xar header magic */
    SIG(0, "LZIP", SDC_CLASS_CONTAINER, "lzip", NULL),                /* lzip manual, 2.1 */
    SIG(0, "\x89LZO\0\r\n\x1a\n", SDC_CLASS_CONTAINER, "lzop", NULL), /* lzop file format */
    SIG(0, "\x1f\x9d", SDC_CLASS_CONTAINER, "compress", NULL),        /* compress(1) .Z */
    SIG(0, "\x02\x21\x4c\x18", SDC_CLASS_CONTAINER, "lz4", NULL),     /* lz4 legacy frame */
    SIG(1, "\x2a\x4d\x18", SDC_CLASS_CONTAINER, "zstd", refine_zstd_skippable),
    SIG(0, "LRZI", SDC_CLASS_CONTAINER, "lrzip", NULL),
    /* fonts (an HTML report's data URIs): known, not walked, so never a
     * pass (WOFF 1.0 and WOFF 2.0, W3C; OpenType 1.9) */
    SIG(0, "wOFF", SDC_CLASS_UNKNOWN, "font-woff", NULL),
    SIG(0, "wOF2", SDC_CLASS_UNKNOWN, "font-woff2", NULL),
    SIG(0, "OTTO", SDC_CLASS_UNKNOWN, "font-opentype", refine_sfnt),
    SIG(0, "\0\1\0\0", SDC_CLASS_UNKNOWN, "font-truetype", refine_sfnt),
    SIG(0, "ttcf", SDC_CLASS_UNKNOWN, "font-collection", NULL),
    /* charts and documents */
    SIG(0, "\x89PNG\r\n\x1a\n", SDC_CLASS_IMAGE, "png", NULL),
    SIG(0, "\xff\xd8\xff", SDC_CLASS_IMAGE, "jpeg", NULL),
    SIG(0, "GIF87a", SDC_CLASS_IMAGE, "gif", NULL),
    SIG(0, "GIF89a", SDC_CLASS_IMAGE, "gif", NULL),
    SIG(0, "%PDF-", SDC_CLASS_IMAGE, "pdf", NULL),
    SIG(0, "II*\0", SDC_CLASS_IMAGE, "tiff", NULL),
    SIG(0, "MM\0*", SDC_CLASS_IMAGE, "tiff", NULL),
    SIG(0, "II+\0\x08\0\0\0", SDC_CLASS_IMAGE, "tiff", NULL), /* BigTIFF */
    SIG(0, "MM\0+\0\x08\0\0", SDC_CLASS_IMAGE, "tiff", NULL),
};

static bool detect_table(const unsigned char *h, size_t len, bool at_eof, const char *name,
                         sdc_classification *out)
{
    (void)name;
    if (detect_safetensors(h, len, at_eof, name, out) ||
        detect_stata_old(h, len, at_eof, name, out))
        return true;
    for (size_t i = 0; i < sizeof signatures / sizeof signatures[0]; i++) {
        const signature *s = &signatures[i];
        if (len < s->offset + s->magic_len || memcmp(h + s->offset, s->magic, s->magic_len) != 0)
            continue;
        sdc_classification c = *out;
        c.file_class = s->file_class;
        c.format = s->format;
        if (s->refine && !s->refine(h, len, &c))
            continue;
        *out = c;
        return true;
    }
    return false;
}

const sdc_detector sdc_detector_signatures = {"signatures", detect_table};
