/*
 * detect_devmode.c - the printer settings Office writes into a package.
 *
 * Excel, Word and PowerPoint store the page setup's printer as
 * xl/printerSettings/printerSettingsN.bin (word/..., ppt/...): a Windows
 * DEVMODEW structure (MS-RPRN 2.2.2.1 _DEVMODE): 32 UTF-16 characters of
 * device name, then dmSpecVersion, dmDriverVersion, dmSize and
 * dmDriverExtra (16 bits each, little-endian), the public fields up to
 * dmSize bytes, and dmDriverExtra bytes of the driver's own. A part is
 * this only when its name says so and its bytes are exactly
 * dmSize + dmDriverExtra with a NUL-terminated printable name: then it is
 * formatting (a document part, passed), and the driver's bytes are still
 * searched for files hidden in them (decode_carve.c, as for a binary of
 * no known kind). Anything else under that name is unknown (review).
 */
#include <string.h>

#include "classify/detect.h"
#include "core/bytes.h"

#define DM_NAME_BYTES 64
#define DM_EXTRA_MAX (32u << 10) /* the part is read whole in its first chunk */

static bool printer_settings_name(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t n = strlen(base);
    return strstr(name, "printerSettings/") && strncmp(base, "printerSettings", 15) == 0 && n > 4 &&
           strcmp(base + n - 4, ".bin") == 0;
}

static bool detect(const unsigned char *h, size_t len, bool at_eof, const char *name,
                   sdc_classification *out)
{
    if (!at_eof || len < DM_NAME_BYTES + 8 || !printer_settings_name(name))
        return false;
    bool nul = false;
    for (size_t i = 0; i < DM_NAME_BYTES && !nul; i += 2) {
        unsigned c = sdc_le16(h + i);
        nul = c == 0;
        if (!nul && c < 0x20)
            return false;
    }
    unsigned spec = sdc_le16(h + 64), size = sdc_le16(h + 68), extra = sdc_le16(h + 70);
    if (!nul || (spec != 0x0300 && spec != 0x0320 && spec != 0x0400 && spec != 0x0401) ||
        size < DM_NAME_BYTES + 8 || size > 1024 || extra > DM_EXTRA_MAX ||
        (size_t)size + extra != len)
        return false;
    out->file_class = SDC_CLASS_DOCUMENT;
    out->format = "printer-settings";
    return true;
}

const sdc_detector sdc_detector_devmode = {"devmode", detect};
