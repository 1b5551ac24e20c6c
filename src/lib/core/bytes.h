/*
 * bytes.h - little-endian integers read from bytes (private to the
 * library): the byte order of zip, 7z, safetensors and OLE headers.
 */
#ifndef SDC_CORE_BYTES_H
#define SDC_CORE_BYTES_H

static inline unsigned sdc_le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static inline unsigned long sdc_le32(const unsigned char *p)
{
    return (unsigned long)sdc_le16(p) | (unsigned long)sdc_le16(p + 2) << 16;
}

static inline unsigned long long sdc_le64(const unsigned char *p)
{
    return (unsigned long long)sdc_le32(p) | (unsigned long long)sdc_le32(p + 4) << 32;
}

#endif
