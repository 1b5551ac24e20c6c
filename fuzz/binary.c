/*
 * binary.c - the walks of binary containers that are not archives, each
 * on the input: an R serialisation as an .rds or .RData holds it after
 * decompression (read/rds.c: every SEXP type, references, byte code,
 * ALTREP; the classes it names), and a compound file (read/ole.c,
 * [MS-CFB]: sectors, FAT chains, directory, mini stream) whose every
 * stream is also tried as an OLE Package's native data.
 */
#include "fuzz.h"
#include "read/ole.h"
#include "read/rds.h"

static int on_stream(void *ctx, const char *path, const unsigned char *bytes, size_t len, bool cut)
{
    (void)ctx;
    (void)cut;
    if (!path || (len && !bytes))
        abort();
    char name[256];
    size_t off = 0, n = 0;
    if (sdc_ole10native(bytes, len, name, sizeof name, &off, &n) && (off > len || n > len - off))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sdc_rds_info info;
    memset(&info, 0, sizeof info);
    if (sdc_rds_read(data, size, &info) == 0)
        for (int i = 0; i < info.nobjects; i++)
            for (int k = 0; k < info.objects[i].nclasses; k++)
                sdc_rds_model_class(info.objects[i].classes[k]);

    char why[256];
    sdc_ole_walk(data, size, on_stream, NULL, why, sizeof why);
    sdc_ole10native(data, size, why, sizeof why, &(size_t){0}, &(size_t){0});
    return 0;
}
