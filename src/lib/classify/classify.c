/*
 * classify.c - content first, name second (doc/design.md, "File classes").
 *
 * Detectors run in order over the head bytes and the first that recognises
 * its format wins: exact signatures, then the pickle opcode walk (pickles
 * have no signature), then model formats written as text, then data
 * formats recognised by their structure (MAT-files, netCDF, dBase,
 * MessagePack), then text. The
 * name is looked up only to say what the file claims to be, so that a
 * mismatch can be reported, and to choose between kinds of text.
 * Anything no detector recognises is "unknown" and goes to a person.
 */
#include <string.h>
#include <strings.h>

#include "classify/classify.h"

/* The detector table: one line per format family, tried in order. */
static const sdc_detector *const detectors[] = {
    &sdc_detector_signatures, &sdc_detector_onnx,   &sdc_detector_pickle, &sdc_detector_textmodels,
    &sdc_detector_matlab,     &sdc_detector_netcdf, &sdc_detector_dbase,  &sdc_detector_msgpack,
    &sdc_detector_devmode,    &sdc_detector_text,
};

/* What an extension claims. */
typedef struct name_claim {
    const char *ext;
    sdc_file_class file_class;
    const char *format;
} name_claim;

static const name_claim claims[] = {
    {"csv", SDC_CLASS_TABLE, "csv"},          {"tsv", SDC_CLASS_TABLE, "tsv"},
    {"tab", SDC_CLASS_TABLE, "tsv"},          {"psv", SDC_CLASS_TABLE, "csv"},
    {"png", SDC_CLASS_IMAGE, "png"},          {"jpg", SDC_CLASS_IMAGE, "jpeg"},
    {"jpeg", SDC_CLASS_IMAGE, "jpeg"},        {"gif", SDC_CLASS_IMAGE, "gif"},
    {"svg", SDC_CLASS_IMAGE, "svg"},          {"pdf", SDC_CLASS_IMAGE, "pdf"},
    {"tif", SDC_CLASS_IMAGE, "tiff"},         {"tiff", SDC_CLASS_IMAGE, "tiff"},
    {"md", SDC_CLASS_DOCUMENT, "markdown"},   {"markdown", SDC_CLASS_DOCUMENT, "markdown"},
    {"txt", SDC_CLASS_DOCUMENT, "text"},      {"html", SDC_CLASS_DOCUMENT, "html"},
    {"htm", SDC_CLASS_DOCUMENT, "html"},      {"json", SDC_CLASS_DOCUMENT, "json"},
    {"xml", SDC_CLASS_DOCUMENT, "xml"},       {"rst", SDC_CLASS_DOCUMENT, "text"},
    {"tex", SDC_CLASS_DOCUMENT, "text"},      {"log", SDC_CLASS_DOCUMENT, "text"},
    {"yaml", SDC_CLASS_DOCUMENT, "yaml"},     {"yml", SDC_CLASS_DOCUMENT, "yaml"},
    {"py", SDC_CLASS_CODE, "source"},         {"r", SDC_CLASS_CODE, "source"},
    {"do", SDC_CLASS_CODE, "source"},         {"ado", SDC_CLASS_CODE, "source"},
    {"sas", SDC_CLASS_CODE, "source"},        {"sps", SDC_CLASS_CODE, "source"},
    {"sql", SDC_CLASS_CODE, "source"},        {"ipynb", SDC_CLASS_CODE, "notebook"},
    {"rmd", SDC_CLASS_CODE, "source"},        {"qmd", SDC_CLASS_CODE, "source"},
    {"pkl", SDC_CLASS_MODEL, "pickle"},       {"pickle", SDC_CLASS_MODEL, "pickle"},
    {"joblib", SDC_CLASS_MODEL, "joblib"},    {"pt", SDC_CLASS_MODEL, "pytorch"},
    {"pth", SDC_CLASS_MODEL, "pytorch"},      {"ckpt", SDC_CLASS_MODEL, "checkpoint"},
    {"onnx", SDC_CLASS_MODEL, "onnx"},        {"safetensors", SDC_CLASS_MODEL, "safetensors"},
    {"gguf", SDC_CLASS_MODEL, "gguf"},        {"npy", SDC_CLASS_MODEL, "npy"},
    {"npz", SDC_CLASS_MODEL, "npz"},          {"h5", SDC_CLASS_MODEL, "hdf5"},
    {"hdf5", SDC_CLASS_MODEL, "hdf5"},        {"keras", SDC_CLASS_MODEL, "keras"},
    {"tflite", SDC_CLASS_MODEL, "tflite"},    {"pb", SDC_CLASS_MODEL, "protobuf"},
    {"mlmodel", SDC_CLASS_MODEL, "coreml"},   {"cbm", SDC_CLASS_MODEL, "catboost"},
    {"pmml", SDC_CLASS_MODEL, "pmml"},        {"ubj", SDC_CLASS_MODEL, "xgboost-ubjson"},
    {"skops", SDC_CLASS_MODEL, "skops"},      {"mojo", SDC_CLASS_MODEL, "h2o-mojo"},
    {"rds", SDC_CLASS_DATA, "rds"},           {"rdata", SDC_CLASS_DATA, "rdata"},
    {"rda", SDC_CLASS_DATA, "rdata"},         {"dta", SDC_CLASS_DATA, "stata-dta"},
    {"sav", SDC_CLASS_DATA, "spss-sav"},      {"zsav", SDC_CLASS_DATA, "spss-zsav"},
    {"sas7bdat", SDC_CLASS_DATA, "sas7bdat"}, {"parquet", SDC_CLASS_DATA, "parquet"},
    {"feather", SDC_CLASS_DATA, "arrow"},     {"arrow", SDC_CLASS_DATA, "arrow"},
    {"sqlite", SDC_CLASS_DATA, "sqlite"},     {"db", SDC_CLASS_DATA, "sqlite"},
    {"mat", SDC_CLASS_DATA, "matlab"},        {"nc", SDC_CLASS_DATA, "netcdf"},
    {"nc4", SDC_CLASS_DATA, "netcdf"},        {"dbf", SDC_CLASS_DATA, "dbase"},
    {"msgpack", SDC_CLASS_DATA, "msgpack"},   {"zip", SDC_CLASS_CONTAINER, "zip"},
    {"gz", SDC_CLASS_CONTAINER, "gzip"},      {"tgz", SDC_CLASS_CONTAINER, "gzip"},
    {"bz2", SDC_CLASS_CONTAINER, "bzip2"},    {"xz", SDC_CLASS_CONTAINER, "xz"},
    {"zst", SDC_CLASS_CONTAINER, "zstd"},     {"tar", SDC_CLASS_CONTAINER, "tar"},
    {"7z", SDC_CLASS_CONTAINER, "7z"},        {"cpio", SDC_CLASS_CONTAINER, "cpio"},
    {"ar", SDC_CLASS_CONTAINER, "ar"},        {"deb", SDC_CLASS_CONTAINER, "ar"},
    {"cab", SDC_CLASS_CONTAINER, "cab"},      {"iso", SDC_CLASS_CONTAINER, "iso9660"},
    {"warc", SDC_CLASS_CONTAINER, "warc"},    {"rar", SDC_CLASS_CONTAINER, "rar"},
    {"lzh", SDC_CLASS_CONTAINER, "lha"},      {"lha", SDC_CLASS_CONTAINER, "lha"},
    {"xar", SDC_CLASS_CONTAINER, "xar"},      {"lz", SDC_CLASS_CONTAINER, "lzip"},
    {"lzo", SDC_CLASS_CONTAINER, "lzop"},     {"Z", SDC_CLASS_CONTAINER, "compress"},
    {"lzma", SDC_CLASS_CONTAINER, "lzma"},    {"docx", SDC_CLASS_CONTAINER, "docx"},
    {"xlsx", SDC_CLASS_CONTAINER, "xlsx"},    {"pptx", SDC_CLASS_CONTAINER, "pptx"},
    {"odt", SDC_CLASS_CONTAINER, "odt"},      {"ods", SDC_CLASS_CONTAINER, "ods"},
};

/* Model formats recognised by name when their bytes say nothing. */
static const char *model_by_name(const char *name)
{
    const char *base = sdc_name_base(name);
    const char *ext = strrchr(base, '.');
    if (strcmp(base, "saved_model.pb") == 0 || strcmp(base, "keras_metadata.pb") == 0)
        return "tf-savedmodel";
    /* model.ckpt.data-00000-of-00001: a TensorFlow checkpoint shard */
    const char *data = strstr(base, ".data-");
    if (data && strstr(data, "-of-"))
        return "tf-checkpoint";
    if (!ext)
        return NULL;
    static const struct {
        const char *ext, *format;
    } weak[] = {
        {".index", "tf-checkpoint"}, {".ckpt", "tf-checkpoint"},
        {".pb", "protobuf-model"},   {".onnx", "onnx"},
        {".mlmodel", "coreml"},      {".tflite", "tflite"},
        {".pt", "pytorch"},          {".pth", "pytorch"},
        {".cbm", "catboost"},        {".safetensors", "safetensors"},
        {".gguf", "gguf"},           {".pkl", "pickle"},
        {".joblib", "joblib"},       {".keras", "keras"},
        {".mojo", "h2o-mojo"},
    };
    for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++)
        if (strcasecmp(ext, weak[i].ext) == 0)
            return weak[i].format;
    return NULL;
}

sdc_classification sdc_file_classify(const unsigned char *head, size_t len, bool at_eof,
                                     const char *name)
{
    sdc_classification c = {
        .file_class = SDC_CLASS_UNKNOWN, .format = "binary", .name_class = SDC_CLASS_UNKNOWN};
    const char *ext = sdc_name_extension(name);
    for (size_t i = 0; i < sizeof claims / sizeof claims[0]; i++)
        if (strcasecmp(ext, claims[i].ext) == 0) {
            c.name_class = claims[i].file_class;
            c.name_format = claims[i].format;
            break;
        }
    if (len == 0) {
        c.file_class = c.name_class == SDC_CLASS_TABLE ? SDC_CLASS_TABLE : SDC_CLASS_UNKNOWN;
        c.format = c.name_class == SDC_CLASS_TABLE ? c.name_format : "empty";
        return c;
    }
    for (size_t i = 0; i < sizeof detectors / sizeof detectors[0]; i++) {
        sdc_classification d = c;
        if (detectors[i]->detect(head, len, at_eof, name, &d))
            return d;
    }
    /* Last: a binary no detector knows, named as a model format whose bytes
     * have no reliable signature (protobuf-based TensorFlow and Core ML
     * files, TensorFlow checkpoint shards). The name is all there is, and
     * failing closed on it costs an honest file nothing. */
    const char *weak = model_by_name(name);
    if (weak) {
        c.file_class = SDC_CLASS_MODEL;
        c.format = weak;
        c.detail = "recognised by its name";
    }
    return c;
}

static bool is_text_class(sdc_file_class c)
{
    return c == SDC_CLASS_TABLE || c == SDC_CLASS_DOCUMENT || c == SDC_CLASS_CODE;
}

bool sdc_classes_disagree(sdc_file_class name_class, sdc_file_class content_class)
{
    if (name_class == SDC_CLASS_UNKNOWN || content_class == SDC_CLASS_UNKNOWN ||
        name_class == content_class)
        return false;
    /* Text is text: a .txt table, a .json that is a notebook. */
    if (is_text_class(name_class) && is_text_class(content_class))
        return false;
    /* Weights or data, both disallowed: an .h5 of data, an .rds of a model. */
    if ((name_class == SDC_CLASS_MODEL || name_class == SDC_CLASS_DATA) &&
        (content_class == SDC_CLASS_MODEL || content_class == SDC_CLASS_DATA))
        return false;
    /* Model formats that are zips (.pt, .keras, .npz, .skops, .mojo) and
     * compressed data (.rds is gzip) are opened as containers. */
    if ((name_class == SDC_CLASS_MODEL || name_class == SDC_CLASS_DATA) &&
        content_class == SDC_CLASS_CONTAINER)
        return false;
    /* A PDF report is classed with charts; SVG is text. */
    if ((name_class == SDC_CLASS_IMAGE && content_class == SDC_CLASS_DOCUMENT) ||
        (name_class == SDC_CLASS_DOCUMENT && content_class == SDC_CLASS_IMAGE))
        return false;
    return true;
}
