/*
 * detect_onnx.c - ONNX models, by walking the protobuf of ModelProto.
 *
 * ONNX has no magic number: a model is a protobuf ModelProto (onnx/onnx.proto:
 * 1 ir_version varint, 2 producer_name, 3 producer_version, 4 domain,
 * 5 model_version varint, 6 doc_string, 7 graph, 8 opset_import,
 * 14 metadata_props, 20 training_info, 25 functions). The head is walked as
 * protobuf fields (encoding: protobuf.dev/programming-guides/encoding):
 * every field must be one of these, with its wire type, in any order;
 * ir_version must be there and be a real version, and a graph or opset
 * too. Random bytes fail in a field or two; a model shows its graph or
 * opset within the first kilobytes.
 */
#include "classify/detect.h"

/* Reads a varint at *P; false if it runs past END or over 10 bytes. */
static bool varint(const unsigned char **p, const unsigned char *end, unsigned long long *v)
{
    unsigned long long x = 0;
    for (int shift = 0; shift < 70 && *p < end; shift += 7) {
        unsigned char b = *(*p)++;
        x |= (unsigned long long)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return true;
        }
    }
    return false;
}

static int wire_of(unsigned long long field)
{
    switch (field) {
    case 1:
    case 5: return 0; /* varint */
    case 2:
    case 3:
    case 4:
    case 6:
    case 7:
    case 8:
    case 14:
    case 20:
    case 25: return 2; /* length-delimited */
    default: return -1;
    }
}

static bool detect(const unsigned char *h, size_t len, bool at_eof, const char *name,
                   sdc_classification *out)
{
    (void)name;
    const unsigned char *p = h, *end = h + len;
    unsigned long long key, v;
    /* The fields may come in any order (protobuf writers need not keep
     * field-number order): every one must be a ModelProto field with its
     * wire type, ir_version a real version, and a graph or opset_import
     * there. */
    if (len < 4 || wire_of(h[0] >> 3) != (h[0] & 7))
        return false;
    bool ir = false, graph = false;
    int fields = 0;
    while (p < end && fields < 64) {
        if (!varint(&p, end, &key))
            return false;
        unsigned long long field = key >> 3;
        int wire = (int)(key & 7);
        if (wire_of(field) != wire)
            return false;
        if (!varint(&p, end, &v))
            return false;
        if (wire == 0) {
            if (field == 1) {
                if (v < 1 || v > 15 || ir)
                    return false;
                ir = true;
            }
        } else {
            if (v > (unsigned long long)(end - p)) {
                if (at_eof)
                    return false;
                /* runs past the head: fine for the graph, which is large */
                graph |= field == 7 || field == 8;
                fields++;
                break;
            }
            p += v;
            graph |= field == 7 || field == 8;
        }
        fields++;
    }
    if (!ir || !graph || fields < 2)
        return false;
    out->file_class = SDC_CLASS_MODEL;
    out->format = "onnx";
    return true;
}

const sdc_detector sdc_detector_onnx = {"onnx", detect};
