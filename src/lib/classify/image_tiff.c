/*
 * image_tiff.c - a TIFF (or BigTIFF, or the TIFF inside Exif) walked from
 * its IFDs.
 *
 * TIFF is addressed by offsets, so the file is kept (up to
 * SDC_IMAGE_TIFF_MAX) and walked at its end: the header (TIFF 6.0,
 * section 2; BigTIFF: version 43, 8-byte offsets), every IFD in the chain
 * and every IFD an entry points to (SubIFDs, Exif, GPS, Interoperability),
 * each entry's value where it lies outside the entry, the strips and tiles
 * (StripOffsets/StripByteCounts, TileOffsets/TileByteCounts) and an Exif
 * thumbnail (JPEGInterchangeFormat). Each byte range they cover is
 * explained. Metadata (ImageDescription, Artist, XMP, IPTC, a MakerNote, a
 * UserComment) is walked as a part; a private tag of no known kind with
 * its value outside the entry is unexplained; bytes no range covers
 * (besides zero padding) are unexplained, and bytes after the last one are
 * appended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vec.h"
#include "classify/image_internal.h"

#define TIFF_IFDS_MAX 256
#define TIFF_RANGES_MAX 65536

typedef struct range {
    unsigned long long from, to;
} range;

typedef struct walk {
    sdc_image *im;
    const unsigned char *b;
    unsigned long long n;
    bool le, big;
    range *ranges;
    size_t nranges, cap;
    unsigned long long ifds[TIFF_IFDS_MAX];
    size_t nifds;
    bool too_many;
} walk;

static unsigned long long get(const walk *w, unsigned long long at, int size)
{
    unsigned long long v = 0;
    if (at > w->n || (unsigned)size > w->n - at) /* at + size could wrap */
        return 0;
    for (int i = 0; i < size; i++) {
        int k = w->le ? size - 1 - i : i;
        v = v << 8 | w->b[at + (unsigned)k];
    }
    return v;
}

static void cover(walk *w, unsigned long long from, unsigned long long len)
{
    if (len == 0)
        return;
    if (from > w->n || len > w->n - from) {
        image_problem(w->im, "a TIFF value at offset %llu (%llu bytes) lies past the file's end",
                      from, len);
        return;
    }
    if (w->nranges == TIFF_RANGES_MAX) {
        w->too_many = true;
        return;
    }
    if (SDC_VEC_RESERVE(w->ranges, w->cap, w->nranges + 1) < 0) {
        w->too_many = w->im->oom = true;
        return;
    }
    w->ranges[w->nranges++] = (range){from, from + len};
}

static int type_size(unsigned type)
{
    static const int sizes[] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8};
    return type < sizeof sizes / sizeof sizes[0] ? sizes[type] : 0;
}

typedef struct entry {
    unsigned tag, type;
    unsigned long long count, at; /* where the value is */
    int size;                     /* of one value */
} entry;

/* The I-th value of E (SHORT, LONG, LONG8 or IFD). */
static unsigned long long value(const walk *w, const entry *e, unsigned long long i)
{
    return get(w, e->at + i * (unsigned)e->size, e->size);
}

static void push_ifd(walk *w, unsigned long long off)
{
    if (!off)
        return;
    for (size_t i = 0; i < w->nifds; i++)
        if (w->ifds[i] == off)
            return; /* a loop */
    if (w->nifds == TIFF_IFDS_MAX) {
        image_problem(w->im, "more than %d TIFF IFDs: the rest were not walked", TIFF_IFDS_MAX);
        return;
    }
    w->ifds[w->nifds++] = off;
}

/* Tags whose value is metadata to be read (TIFF 6.0, Exif 2.32, XMP
 * part 3, IPTC IIM, Photoshop). */
static const char *metadata_tag(unsigned tag)
{
    switch (tag) {
    case 269: return "DocumentName";
    case 270: return "ImageDescription";
    case 271: return "Make";
    case 272: return "Model";
    case 285: return "PageName";
    case 305: return "Software";
    case 315: return "Artist";
    case 316: return "HostComputer";
    case 700: return "XMP";
    case 33432: return "Copyright";
    case 33723: return "IPTC";
    case 34377: return "Photoshop";
    case 37500: return "MakerNote";
    case 37510: return "UserComment";
    case 40091: return "XPTitle";
    case 40092: return "XPComment";
    case 40093: return "XPAuthor";
    case 40094: return "XPKeywords";
    case 40095: return "XPSubject";
    case 42016: return "ImageUniqueID";
    default: return NULL;
    }
}

/* Tags defined by TIFF 6.0, its technical notes, DNG, GeoTIFF, Exif and
 * the common private tags that carry pixel or colour data: explained. */
static bool known_tag(unsigned tag)
{
    if (tag < 32768)
        return true; /* baseline, extension and registered public tags */
    static const unsigned known[] = {
        33421, 33422, 33434, 33437, 33550, 33922, 34264, 34665, 34675, 34735, 34736, 34737, 34850,
        34852, 34853, 34855, 34856, 34858, 34859, 34864, 34865, 34866, 34867, 34868, 34869, 36864,
        36867, 36868, 36873, 36880, 36881, 36882, 37121, 37122, 37377, 37378, 37379, 37380, 37381,
        37382, 37383, 37384, 37385, 37386, 37396, 37520, 37521, 37522, 37888, 37889, 37890, 37891,
        37892, 37893, 40960, 40961, 40962, 40963, 40964, 40965, 41483, 41484, 41486, 41487, 41488,
        41492, 41493, 41495, 41728, 41729, 41730, 41985, 41986, 41987, 41988, 41989, 41990, 41991,
        41992, 41993, 41994, 41995, 41996, 42032, 42033, 42034, 42035, 42036, 42037, 42080, 42081,
        42082, 42240, 50706, 50707, 50708, 50721, 50722, 50727, 50728, 50730, 50778, 50779, 50780,
        50781, 50827, 50828, 50931, 50932, 50964, 50965, 51041, 51125};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i] == tag)
            return true;
    return false;
}

/* Pairs of (offsets, byte counts): strips, tiles, a JPEG thumbnail. */
static void data_ranges(walk *w, const entry *offs, const entry *lens)
{
    if (!offs || !lens)
        return;
    unsigned long long n = offs->count < lens->count ? offs->count : lens->count;
    if (offs->count != lens->count)
        image_problem(w->im, "TIFF tags %u and %u disagree on how many pieces there are", offs->tag,
                      lens->tag);
    for (unsigned long long i = 0; i < n && !w->too_many; i++)
        cover(w, value(w, offs, i), value(w, lens, i));
}

static void ifd(walk *w, unsigned long long off)
{
    int count_size = w->big ? 8 : 2, entry_size = w->big ? 20 : 12, off_size = w->big ? 8 : 4;
    unsigned long long n = get(w, off, count_size);
    if (off > w->n || (unsigned)count_size > w->n - off || n > 65535 ||
        (unsigned)count_size + n * (unsigned)entry_size + (unsigned)off_size > w->n - off) {
        image_problem(w->im, "a TIFF IFD at offset %llu lies past the file's end", off);
        return;
    }
    cover(w, off, (unsigned long long)count_size + n * (unsigned)entry_size + (unsigned)off_size);
    entry strips = {0}, strip_lens = {0}, tiles = {0}, tile_lens = {0}, thumb = {0},
          thumb_len = {0};
    bool has[6] = {0};
    for (unsigned long long k = 0; k < n; k++) {
        unsigned long long at = off + (unsigned)count_size + k * (unsigned)entry_size;
        entry e = {.tag = (unsigned)get(w, at, 2), .type = (unsigned)get(w, at + 2, 2)};
        e.count = get(w, at + 4, w->big ? 8 : 4);
        e.size = type_size(e.type);
        unsigned long long field = at + 4 + (unsigned)(w->big ? 8 : 4);
        unsigned long long bytes = e.size ? e.count * (unsigned)e.size : 0;
        if (!e.size || (e.size && e.count > w->n / (unsigned)e.size)) {
            image_problem(w->im, "TIFF tag %u has a type (%u) or count (%llu) no value fits", e.tag,
                          e.type, e.count);
            continue;
        }
        e.at = bytes <= (unsigned)off_size ? field : get(w, field, off_size);
        bool outside = bytes > (unsigned)off_size;
        const char *meta = metadata_tag(e.tag);
        if (meta && bytes && e.at + bytes <= w->n) {
            image_part_bytes(w->im, SDC_IMAGE_METADATA, meta, NULL, e.at, w->b + e.at,
                             (size_t)bytes);
            if (outside)
                cover(w, e.at, bytes);
        } else if (outside && !known_tag(e.tag) && e.at + bytes <= w->n) {
            char name[32], what[96];
            snprintf(name, sizeof name, "tag:%u", e.tag);
            snprintf(what, sizeof what, "a private TIFF tag (%u) of no known kind", e.tag);
            image_part_bytes(w->im, SDC_IMAGE_UNEXPLAINED, name, what, e.at, w->b + e.at,
                             (size_t)bytes);
            cover(w, e.at, bytes);
        } else if (outside) {
            cover(w, e.at, bytes);
        }
        entry *slot = NULL;
        switch (e.tag) {
        case 273: slot = &strips, has[0] = true; break;
        case 279: slot = &strip_lens, has[1] = true; break;
        case 324: slot = &tiles, has[2] = true; break;
        case 325: slot = &tile_lens, has[3] = true; break;
        case 513: slot = &thumb, has[4] = true; break;
        case 514: slot = &thumb_len, has[5] = true; break;
        case 330:   /* SubIFDs */
        case 34665: /* Exif */
        case 34853: /* GPS */
        case 40965: /* Interoperability */
            for (unsigned long long i = 0; i < e.count && i < 64; i++)
                push_ifd(w, value(w, &e, i));
            break;
        default: break;
        }
        if (slot)
            *slot = e;
    }
    data_ranges(w, has[0] ? &strips : NULL, has[1] ? &strip_lens : NULL);
    data_ranges(w, has[2] ? &tiles : NULL, has[3] ? &tile_lens : NULL);
    data_ranges(w, has[4] ? &thumb : NULL, has[5] ? &thumb_len : NULL);
    push_ifd(w, get(w, off + (unsigned)count_size + n * (unsigned)entry_size, off_size));
}

static int by_start(const void *a, const void *b)
{
    const range *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

/* Bytes no range covers, other than zeros: unexplained. */
static void gaps(walk *w)
{
    qsort(w->ranges, w->nranges, sizeof *w->ranges, by_start);
    unsigned long long at = 0;
    for (size_t i = 0; i <= w->nranges; i++) {
        unsigned long long next = i < w->nranges ? w->ranges[i].from : at;
        if (next > at) {
            /* Zeros are padding; so is a TIFF header on its own, which
             * Pillow writes before each page of a multi-page file. */
            bool zeros = true;
            for (unsigned long long k = at; k < next && zeros; k++) {
                if (k + 8 <= next &&
                    (memcmp(w->b + k, "II*\0", 4) == 0 || memcmp(w->b + k, "MM\0*", 4) == 0)) {
                    k += 7;
                    continue;
                }
                zeros = w->b[k] == 0;
            }
            if (!zeros) {
                char what[96];
                snprintf(what, sizeof what, "%llu bytes of the TIFF that no IFD points to",
                         next - at);
                size_t len = next - at > SDC_IMAGE_PART_MAX ? SDC_IMAGE_PART_MAX : next - at;
                image_part_bytes(w->im, SDC_IMAGE_UNEXPLAINED, "gap", what, at, w->b + at, len);
            }
        }
        if (i < w->nranges && w->ranges[i].to > at)
            at = w->ranges[i].to;
    }
}

void image_tiff_finish(sdc_image *im)
{
    walk w = {.im = im, .b = im->body.p, .n = im->body.len};
    if (im->body.cut) {
        image_problem(im, "the TIFF is larger than %u MiB: it was not walked",
                      SDC_IMAGE_TIFF_MAX >> 20);
        im->ended = true;
        im->end = im->pos;
        return;
    }
    if (w.n < 8 || !w.b || (memcmp(w.b, "II", 2) != 0 && memcmp(w.b, "MM", 2) != 0)) {
        image_problem(im, "not a TIFF header");
        return;
    }
    w.le = w.b[0] == 'I';
    unsigned version = (unsigned)get(&w, 2, 2);
    w.big = version == 43;
    if (version != 42 && !(w.big && get(&w, 4, 2) == 8 && w.n >= 16)) {
        image_problem(im, "a TIFF of version %u, which neither TIFF nor BigTIFF is", version);
        return;
    }
    cover(&w, 0, w.big ? 16 : 8);
    push_ifd(&w, get(&w, w.big ? 8 : 4, w.big ? 8 : 4));
    for (size_t i = 0; i < w.nifds; i++)
        ifd(&w, w.ifds[i]);
    if (w.too_many)
        image_problem(im, "the TIFF has more pieces than are followed (%d)", TIFF_RANGES_MAX);
    /* The image ends with its last explained byte; gaps before it. */
    unsigned long long last = 0;
    for (size_t i = 0; i < w.nranges; i++)
        if (w.ranges[i].to > last)
            last = w.ranges[i].to;
    gaps(&w);
    free(w.ranges);
    im->ended = true;
    im->end = last;
    size_t tail = w.n - last < SDC_IMAGE_TAIL ? (size_t)(w.n - last) : SDC_IMAGE_TAIL;
    memcpy(im->tail, w.b + last, tail);
    im->tail_len = tail;
}

void image_tiff_feed(sdc_image *im, const unsigned char *b, size_t len)
{
    if (!im->body.max)
        im->body.max = SDC_IMAGE_TIFF_MAX;
    image_keep(im, &im->body, b, len);
    im->pos += len;
}
