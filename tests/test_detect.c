/* test_detect.c - content detectors and the classifier (doc/design.md, "File classes" and
 * "Disallowed artefacts"). The pickles below are pickle.dumps(OrderedDict(a=1, b=[1.5, 'x']),
 * protocol=N) from CPython 3.11, copied byte for byte. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "classify/classify.h"
#include "helpers.h"
#include "read/rds.h"

#define B(s) (const unsigned char *)(s), sizeof(s) - 1

static const char p0[] = "\x63\x63\x6f\x6c\x6c\x65\x63\x74\x69\x6f\x6e\x73\x0a\x4f\x72\x64\x65\x72"
                         "\x65\x64\x44\x69\x63\x74\x0a\x70\x30\x0a\x28\x74\x52\x70\x31\x0a\x56\x61"
                         "\x0a\x70\x32\x0a\x49\x31\x0a\x73\x56\x62\x0a\x70\x33\x0a\x28\x6c\x70\x34"
                         "\x0a\x46\x31\x2e\x35\x0a\x61\x56\x78\x0a\x70\x35\x0a\x61\x73\x2e";
static const char p1[] =
    "\x63\x63\x6f\x6c\x6c\x65\x63\x74\x69\x6f\x6e\x73\x0a\x4f\x72\x64\x65\x72\x65\x64\x44\x69\x63"
    "\x74\x0a\x71\x00\x29\x52\x71\x01\x28\x58\x01\x00\x00\x00\x61\x71\x02\x4b\x01\x58\x01\x00\x00"
    "\x00\x62\x71\x03\x5d\x71\x04\x28\x47\x3f\xf8\x00\x00\x00\x00\x00\x00\x58\x01\x00\x00\x00\x78"
    "\x71\x05\x65\x75\x2e";
static const char p2[] =
    "\x80\x02\x63\x63\x6f\x6c\x6c\x65\x63\x74\x69\x6f\x6e\x73\x0a\x4f\x72\x64\x65\x72\x65\x64\x44"
    "\x69\x63\x74\x0a\x71\x00\x29\x52\x71\x01\x28\x58\x01\x00\x00\x00\x61\x71\x02\x4b\x01\x58\x01"
    "\x00\x00\x00\x62\x71\x03\x5d\x71\x04\x28\x47\x3f\xf8\x00\x00\x00\x00\x00\x00\x58\x01\x00\x00"
    "\x00\x78\x71\x05\x65\x75\x2e";
static const char p4[] =
    "\x80\x04\x95\x3f\x00\x00\x00\x00\x00\x00\x00\x8c\x0b\x63\x6f\x6c\x6c\x65\x63\x74\x69\x6f\x6e"
    "\x73\x94\x8c\x0b\x4f\x72\x64\x65\x72\x65\x64\x44\x69\x63\x74\x94\x93\x94\x29\x52\x94\x28\x8c"
    "\x01\x61\x94\x4b\x01\x8c\x01\x62\x94\x5d\x94\x28\x47\x3f\xf8\x00\x00\x00\x00\x00\x00\x8c\x01"
    "\x78\x94\x65\x75\x2e";
static const char p5[] =
    "\x80\x05\x95\x3f\x00\x00\x00\x00\x00\x00\x00\x8c\x0b\x63\x6f\x6c\x6c\x65\x63\x74\x69\x6f\x6e"
    "\x73\x94\x8c\x0b\x4f\x72\x64\x65\x72\x65\x64\x44\x69\x63\x74\x94\x93\x94\x29\x52\x94\x28\x8c"
    "\x01\x61\x94\x4b\x01\x8c\x01\x62\x94\x5d\x94\x28\x47\x3f\xf8\x00\x00\x00\x00\x00\x00\x8c\x01"
    "\x78\x94\x65\x75\x2e";
static const char dict0[] = "(dp0\nVa\np1\nI1\ns.";

Test(detect, pickle_protocols_0_to_5_are_found_by_their_opcodes)
{
    struct {
        const char *b;
        size_t n;
        int proto;
    } cases[] = {{p0, sizeof p0 - 1, 0}, {p1, sizeof p1 - 1, 1}, {p2, sizeof p2 - 1, 2},
                 {p4, sizeof p4 - 1, 4}, {p5, sizeof p5 - 1, 5}, {dict0, sizeof dict0 - 1, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sdc_pickle_info info;
        cr_assert(sdc_pickle_probe((const unsigned char *)cases[i].b, cases[i].n, true, &info),
                  "case %zu not found", i);
        cr_assert_eq(info.protocol, cases[i].proto, "case %zu", i);
        cr_assert(!info.truncated);
    }
}

Test(detect, a_pickle_cut_short_is_still_a_pickle_and_says_so)
{
    sdc_pickle_info info;
    cr_assert(sdc_pickle_probe(B(p4) - 20, true, &info));
    cr_assert(info.truncated);
}

Test(detect, ordinary_text_is_not_a_pickle)
{
    static const char *const texts[] = {"region,count\nNorth,12\n",
                                        "# Results\n\nThe model fitted well.\n",
                                        "Population\nVillage\nParish\n",
                                        "{\"a\": 1}\n",
                                        "(a, b)\n",
                                        "I like 42\n",
                                        "ccount\nvalue\n",
                                        "import pickle\npickle.dump(model, f)\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        cr_assert(!sdc_pickle_probe((const unsigned char *)texts[i], strlen(texts[i]), true, NULL),
                  "%s", texts[i]);
}

/* Text whose every byte is an opcode with a well-formed argument, up to a STOP. What
 * pickletools.dis (CPython 3.11) says of each, and so of pickle.loads: */
Test(detect, text_that_reads_as_opcodes_is_not_a_pickle_unless_its_stack_holds)
{
    static const char *const texts[] = {
        "Notes.\nThe model stays inside.\n",         /* OBJ: no MARK exists on stack */
        "Results.\n\nAll counts are at least 10.\n", /* REDUCE: tries to pop 2 items from 0 */
        "Pillow\ntorch==2.1.0\n",                    /* PERSID, then TUPLE: no MARK */
        "joblib.dump(model, \"m.joblib\")\n",        /* LONG_BINGET: memo key never stored */
        "data.dir <- \"/data\"\nsaveRDS(fit, \"fit.rds\")\n", /* DICT: no MARK */
        "Git 1.7.12.2 Release Notes\n", /* BINFLOAT, DUP, STOP: stack not empty */
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        cr_assert(!sdc_pickle_probe((const unsigned char *)texts[i], strlen(texts[i]), true, NULL),
                  "%s", texts[i]);
}

Test(detect, a_protocol_0_pickle_of_inf_and_nan_is_a_pickle)
{
    /* pickle.dumps([float('inf'), float('nan'), -1.5], 0): FLOAT writes repr() */
    static const char floats[] = "(lp0\nFinf\naFnan\naF-1.5\na.";
    sdc_pickle_info info;
    cr_assert(sdc_pickle_probe(B(floats), true, &info));
    cr_assert_eq(info.protocol, 0);
}

Test(detect, marks_nested_past_what_the_walk_counts_are_still_a_pickle)
{
    /* 300 nested 1-tuples in protocol 0: 300 MARKs, NONE, 300 TUPLEs, STOP */
    char b[700];
    size_t n = 0;
    for (int i = 0; i < 300; i++)
        b[n++] = '(';
    b[n++] = 'N';
    for (int i = 0; i < 300; i++)
        b[n++] = 't';
    b[n++] = '.';
    cr_assert(sdc_pickle_probe((const unsigned char *)b, n, true, NULL));
}

Test(detect, a_pickle_whose_stop_leaves_objects_behind_is_not_one)
{
    /* the p0 list above with an extra NONE before STOP: pickletools.dis refuses it */
    static const char extra[] = "(lp0\nI1\naI2\naN.";
    static const char good[] = "(lp0\nI1\naI2\na.";
    cr_assert(!sdc_pickle_probe(B(extra), true, NULL));
    cr_assert(sdc_pickle_probe(B(good), true, NULL));
}

Test(detect, random_bytes_with_proto_prefix_are_not_a_pickle)
{
    unsigned char b[256] = {0x80, 0x04};
    for (size_t i = 2; i < sizeof b; i++)
        b[i] = (unsigned char)(i * 167 + 13);
    cr_assert(!sdc_pickle_probe(b, sizeof b, true, NULL));
}

static sdc_classification classify(const char *name, const void *b, size_t n)
{
    return sdc_file_classify(b, n, true, name);
}

Test(detect, model_signatures_are_models)
{
    static const char gguf[] = "GGUF\x03\0\0\0\0\0\0\0\0\0\0\0";
    static const char npy[] = "\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, }";
    static const char safet[] = "\x1f\0\0\0\0\0\0\0{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}";
    static const char tfl[] = "\x18\0\0\0TFL3\0\0\0\0\0\0";
    static const char keras[] = "\x89HDF\r\n\x1a\n\0\0\0\0model_config keras_version";
    cr_assert_str_eq(classify("m.gguf", B(gguf)).format, "gguf");
    cr_assert_str_eq(classify("x.npy", B(npy)).format, "npy");
    cr_assert_str_eq(classify("w.safetensors", B(safet)).format, "safetensors");
    cr_assert_str_eq(classify("m.tflite", B(tfl)).format, "tflite");
    sdc_classification k = classify("m.h5", B(keras));
    cr_assert_eq(k.file_class, SDC_CLASS_MODEL);
    cr_assert_str_eq(k.format, "keras-hdf5");
}

Test(detect, data_signatures_are_data)
{
    static const char h5[] = "\x89HDF\r\n\x1a\n\0\0\0\0table of records";
    static const char sqlite[] = "SQLite format 3\0rest";
    static const char parquet[] = "PAR1\x15\x04";
    cr_assert_eq(classify("d.h5", B(h5)).file_class, SDC_CLASS_DATA);
    cr_assert_eq(classify("d.db", B(sqlite)).file_class, SDC_CLASS_DATA);
    cr_assert_str_eq(classify("d.parquet", B(parquet)).format, "parquet");
}

Test(detect, text_models_are_models)
{
    static const char lgb[] = "tree\nversion=v3\nnum_class=1\n";
    static const char pmml[] =
        "<?xml version=\"1.0\"?>\n<PMML version=\"4.4\" xmlns=\"http://www.dmg.org/PMML-4_4\">";
    static const char xgb[] = "{\"learner\":{\"gradient_booster\":{\"name\":\"gbtree\"}}}";
    cr_assert_str_eq(classify("m.txt", B(lgb)).format, "lightgbm");
    cr_assert_str_eq(classify("m.xml", B(pmml)).format, "pmml");
    cr_assert_str_eq(classify("m.json", B(xgb)).format, "xgboost-json");
}

/* Keras model configs as the Keras documentation shows them: Model.to_json() in Keras 2 (a
 * Sequential and a Functional model) and a .keras file's config.json in Keras 3
 * (keras/src/saving/serialization_lib.py serialize_keras_object). */
Test(detect, keras_model_configs_are_models_by_their_shape)
{
    static const char keras2[] =
        "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential\", \"layers\": "
        "[{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 3]}}, "
        "{\"class_name\": \"Dense\", \"config\": {\"units\": 1}}]}, \"keras_version\": "
        "\"2.12.0\", \"backend\": \"tensorflow\"}";
    static const char functional[] =
        "{\n  \"backend\": \"tensorflow\",\n  \"class_name\": \"Functional\",\n  \"config\": {\n"
        "    \"input_layers\": [[\"input_1\", 0, 0]],\n    \"layers\": []\n  },\n"
        "  \"keras_version\": \"2.12.0\"\n}";
    static const char keras3[] =
        "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"registered_name\": null, "
        "\"config\": {\"name\": \"sequential\", \"trainable\": true, \"layers\": [{\"module\": "
        "\"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"units\": 1}}]}}";
    cr_assert_str_eq(classify("model.json", B(keras2)).format, "keras-config");
    cr_assert_str_eq(classify("model.json", B(functional)).format, "keras-config");
    cr_assert_str_eq(classify("config.json", B(keras3)).format, "keras-config");
}

Test(detect, a_metrics_file_that_names_keras_is_not_a_keras_config)
{
    static const char *const metrics[] = {
        "{\"model\": \"keras.Sequential\", \"accuracy\": 0.91}",
        /* per-class results and a training config, but no layers, version or backend */
        "{\"model\": \"keras.Sequential\", \"per_class\": [{\"class_name\": \"employed\", "
        "\"recall\": 0.9}], \"config\": {\"optimizer\": \"adam\"}}",
        /* class_name and keras, but not where a model config has them */
        "{\"class_name\": \"Sequential\", \"framework\": \"keras\", \"accuracy\": 0.91}",
        /* the keys inside strings and arrays are not keys */
        "{\"notes\": \"class_name config layers keras_version\", \"list\": [\"class_name\", "
        "\"config\"]}"};
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
        sdc_classification c = classify("metrics.json", metrics[i], strlen(metrics[i]));
        cr_assert_eq(c.file_class, SDC_CLASS_DOCUMENT, "%s: %s", metrics[i], c.format);
    }
}

Test(detect, a_pickle_named_csv_is_a_model_and_the_name_disagrees)
{
    sdc_classification c = classify("table.csv", B(p4));
    cr_assert_eq(c.file_class, SDC_CLASS_MODEL);
    cr_assert_eq(c.name_class, SDC_CLASS_TABLE);
    cr_assert(sdc_classes_disagree(c.name_class, c.file_class));
}

Test(detect, honest_names_do_not_disagree)
{
    cr_assert(!sdc_classes_disagree(SDC_CLASS_DOCUMENT, SDC_CLASS_TABLE), ".txt table");
    cr_assert(!sdc_classes_disagree(SDC_CLASS_MODEL, SDC_CLASS_DATA), ".h5 of data");
    cr_assert(!sdc_classes_disagree(SDC_CLASS_MODEL, SDC_CLASS_CONTAINER), ".pt is a zip");
    cr_assert(!sdc_classes_disagree(SDC_CLASS_UNKNOWN, SDC_CLASS_MODEL), "no extension");
    cr_assert(sdc_classes_disagree(SDC_CLASS_IMAGE, SDC_CLASS_MODEL), "pickle named .png");
    cr_assert(sdc_classes_disagree(SDC_CLASS_TABLE, SDC_CLASS_CONTAINER), "zip named .csv");
}

Test(detect, images_and_containers_by_signature)
{
    cr_assert_str_eq(classify("c.png", B("\x89PNG\r\n\x1a\n\0\0\0\rIHDR")).format, "png");
    cr_assert_str_eq(classify("c.pdf", B("%PDF-1.7\n")).format, "pdf");
    cr_assert_str_eq(classify("a.zip", B("PK\x03\x04\x14\0")).format, "zip");
    cr_assert_str_eq(classify("a.gz", B("\x1f\x8b\x08\0")).format, "gzip");
    cr_assert_eq(classify("a.gz", B("\x1f\x8b\x08\0")).file_class, SDC_CLASS_CONTAINER);
}

Test(detect, code_mentioning_pickle_is_code_not_a_model)
{
    static const char py[] =
        "import pickle\nwith open('m.pkl', 'wb') as f:\n    pickle.dump(model, f)\n";
    sdc_classification c = classify("fit.py", B(py));
    cr_assert_eq(c.file_class, SDC_CLASS_CODE);
}

Test(detect, checked_file_gets_model_file_and_disguised_findings)
{
    sdc_policy *p = sdc_policy_default();
    sdc_checker *ck = sdc_checker_new(p, NULL);
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(ck, "summary.csv", p4, sizeof p4 - 1, &r), 0);
    cr_assert_eq(r.verdict, SDC_FAIL);
    cr_assert_eq(count_rule(&r.findings, "model-file"), 1);
    cr_assert_eq(count_rule(&r.findings, "disguised"), 1);
    cr_assert(strstr(find_rule(&r.findings, "model-file")->message, "protocol 4"));
    sdc_file_result_free(&r);
    sdc_checker_free(ck);
    sdc_policy_free(p);
}

/* A 2x2 BMP written by Pillow: no content detector knows it; libmagic
 * names it, so it is an image (review), not "unknown binary". */
Test(detect, libmagic_names_what_no_detector_knows)
{
    static const char bmp[] =
        "\x42\x4d\x46\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00\x02\x00\x00\x00"
        "\x02\x00\x00\x00\x01\x00\x18\x00\x00\x00\x00\x00\x10\x00\x00\x00\xc4\x0e\x00\x00\xc4\x0e"
        "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0a\x0a\xc8\x0a\x0a\xc8\x00\x00\x0a\x0a\xc8\x0a"
        "\x0a\xc8\x00\x00";
    sdc_policy *p = sdc_policy_default();
    sdc_checker *ck = sdc_checker_new(p, NULL);
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(ck, "chart.bmp", bmp, sizeof bmp - 1, &r), 0);
    cr_assert_eq(r.file_class, SDC_CLASS_IMAGE);
    cr_assert_str_eq(r.format, "bmp");
    cr_assert_eq(r.verdict, SDC_REVIEW);
    sdc_file_result_free(&r);
    sdc_checker_free(ck);
    sdc_policy_free(p);
}

/* Data formats recognised by their structure (issue 10, point 7). Each byte string below is
 * built from the format's own document, field by field, so a mistake in the detector cannot
 * hide in a shared helper. */

/* A growing byte buffer for hand-built files. */
typedef struct bytes {
    unsigned char b[4096];
    size_t n;
} bytes;

static void put(bytes *o, const void *p, size_t n)
{
    cr_assert(o->n + n <= sizeof o->b);
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void put_u8(bytes *o, unsigned v)
{
    unsigned char c = (unsigned char)v;
    put(o, &c, 1);
}

static void put_le(bytes *o, unsigned long long v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_u8(o, (unsigned)(v >> (8 * i)) & 0xFF);
}

static void put_be(bytes *o, unsigned long long v, size_t n)
{
    for (size_t i = n; i-- > 0;)
        put_u8(o, (unsigned)(v >> (8 * i)) & 0xFF);
}

static void put_str(bytes *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_fill(bytes *o, unsigned char c, size_t n)
{
    while (n--)
        put_u8(o, c);
}

/* MAT-File Format, "Level 5 MAT-File Format": 116 bytes of text, 8 bytes of subsystem offset,
 * version 0x0100 and the endian indicator 'MI' as a 16-bit value, then a data element (an
 * 8-byte tag: miMATRIX = 14 and its byte count). */
static bytes mat5_header(const char *text, bool big, unsigned version)
{
    bytes o = {0};
    put_str(&o, text);
    put_fill(&o, ' ', 116 - o.n);
    put_fill(&o, 0, 8);
    if (big) {
        put_be(&o, version, 2);
        put_str(&o, "MI");
        put_be(&o, 14, 4);
        put_be(&o, 48, 4);
    } else {
        put_le(&o, version, 2);
        put_str(&o, "IM");
        put_le(&o, 14, 4);
        put_le(&o, 48, 4);
    }
    put_fill(&o, 0, 48);
    return o;
}

Test(detect, a_mat_v5_header_is_data_in_either_byte_order)
{
    bytes le = mat5_header("MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 "
                           "00:00:00 2024",
                           false, 0x0100);
    sdc_classification c = classify("results.mat", le.b, le.n);
    cr_assert_eq(c.file_class, SDC_CLASS_DATA);
    cr_assert_str_eq(c.format, "matlab-v5");
    /* Octave's and other writers' text differs; the structure decides */
    bytes be = mat5_header("written by some other program", true, 0x0100);
    cr_assert_str_eq(classify("x", be.b, be.n).format, "matlab-v5");
}

Test(detect, a_mat_v5_lookalike_without_the_version_and_endian_fields_is_not_matlab)
{
    bytes o = mat5_header("MATLAB 5.0 MAT-file, Platform: GLNXA64", false, 0x0100);
    memcpy(o.b + 126, "XX", 2); /* no endian indicator */
    cr_assert_neq(classify("x.mat", o.b, o.n).file_class, SDC_CLASS_DATA);
    bytes t = {0};
    put_str(&t, "MATLAB 5.0 MAT-file notes: the survey results are in results.mat\n");
    sdc_classification c = classify("notes.txt", t.b, t.n);
    cr_assert_eq(c.file_class, SDC_CLASS_DOCUMENT);
}

/* MAT-File Format, "Level 4 MAT-File Format": type MOPT (0 = little-endian, double, full),
 * mrows, ncols, imagf, namlen (with the NUL), the name, then mrows*ncols doubles. */
static bytes mat4_matrix(const char *name, unsigned rows, unsigned cols)
{
    bytes o = {0};
    put_le(&o, 0, 4);
    put_le(&o, rows, 4);
    put_le(&o, cols, 4);
    put_le(&o, 0, 4);
    put_le(&o, strlen(name) + 1, 4);
    put(&o, name, strlen(name) + 1);
    for (unsigned i = 0; i < rows * cols; i++)
        put_le(&o, 0x4045000000000000ULL + i, 8); /* 42.0 and neighbours */
    return o;
}

Test(detect, mat_v4_matrices_that_fill_the_file_are_data)
{
    bytes o = mat4_matrix("age", 3, 1);
    bytes second = mat4_matrix("income", 3, 1);
    put(&o, second.b, second.n);
    sdc_classification c = classify("old.mat", o.b, o.n);
    cr_assert_eq(c.file_class, SDC_CLASS_DATA);
    cr_assert_str_eq(c.format, "matlab-v4");
}

Test(detect, mat_v4_lookalikes_are_not_claimed)
{
    bytes extra = mat4_matrix("age", 3, 1);
    put_u8(&extra, 0); /* a byte the matrices do not explain */
    cr_assert_neq(classify("x", extra.b, extra.n).file_class, SDC_CLASS_DATA);
    bytes badname = mat4_matrix("1st", 3, 1); /* not a MATLAB identifier */
    cr_assert_neq(classify("x", badname.b, badname.n).file_class, SDC_CLASS_DATA);
    bytes zeros = {0};
    put_fill(&zeros, 0, 256);
    cr_assert_neq(classify("x", zeros.b, zeros.n).file_class, SDC_CLASS_DATA);
    /* sizes whose product would wrap a 64-bit count: refused, not walked */
    bytes huge = mat4_matrix("x", 0, 0);
    memcpy(huge.b + 4, "\xff\xff\xff\x7f\xff\xff\xff\x7f\x01\0\0\0", 12);
    put_fill(&huge, 0, 64);
    cr_assert_neq(sdc_file_classify(huge.b, huge.n, false, "x").file_class, SDC_CLASS_DATA);
}

Test(detect, mat_v73_is_hdf5_behind_a_matlab_user_block)
{
    bytes o = mat5_header("MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 "
                          "00:00:00 2024 HDF5 schema 1.00 .",
                          false, 0x0200);
    o.n = 128;
    put_fill(&o, 0, 512 - o.n);
    put(&o, "\x89HDF\r\n\x1a\n\0\0\0\0", 12);
    sdc_classification c = classify("big.mat", o.b, o.n);
    cr_assert_eq(c.file_class, SDC_CLASS_DATA);
    cr_assert_str_eq(c.format, "matlab-v7.3");
}

/* The NetCDF Classic Format Specification: magic, numrecs, dim_list (NC_DIMENSION = 0x0A,
 * nelems, name, length), gatt_list (ABSENT = ZERO ZERO), var_list (NC_VARIABLE = 0x0B: name,
 * ndims, dimids, vatt_list, nc_type, vsize, begin), then the data. Big-endian, names padded
 * to four bytes. */
static bytes netcdf_classic(unsigned dimid)
{
    bytes o = {0};
    put(&o, "CDF\x01", 4);
    put_be(&o, 0, 4);    /* numrecs */
    put_be(&o, 0x0A, 4); /* NC_DIMENSION */
    put_be(&o, 1, 4);
    put_be(&o, 6, 4);
    put(&o, "person\0\0", 8);
    put_be(&o, 3, 4);    /* dim_length */
    put_be(&o, 0, 8);    /* gatt_list ABSENT */
    put_be(&o, 0x0B, 4); /* NC_VARIABLE */
    put_be(&o, 1, 4);
    put_be(&o, 3, 4);
    put(&o, "age\0", 4);
    put_be(&o, 1, 4);     /* ndims */
    put_be(&o, dimid, 4); /* dimid */
    put_be(&o, 0, 8);     /* vatt_list ABSENT */
    put_be(&o, 4, 4);     /* NC_INT */
    put_be(&o, 12, 4);    /* vsize */
    put_be(&o, o.n + 4, 4);
    put_be(&o, 34, 4);
    put_be(&o, 51, 4);
    put_be(&o, 72, 4);
    return o;
}

Test(detect, a_netcdf_classic_header_is_data)
{
    bytes o = netcdf_classic(0);
    sdc_classification c = classify("grid.nc", o.b, o.n);
    cr_assert_eq(c.file_class, SDC_CLASS_DATA);
    cr_assert_str_eq(c.format, "netcdf-classic");
}

Test(detect, cdf_magic_without_a_valid_header_is_not_netcdf)
{
    bytes bad = netcdf_classic(7); /* a variable on a dimension that does not exist */
    cr_assert_neq(classify("x", bad.b, bad.n).file_class, SDC_CLASS_DATA);
    bytes junk = {0};
    put(&junk, "CDF\x01", 4);
    for (unsigned i = 0; i < 60; i++)
        put_u8(&junk, i * 37 + 11);
    cr_assert_neq(classify("x", junk.b, junk.n).file_class, SDC_CLASS_DATA);
    static const char prose[] = "CDF of the waiting times, by region (see figure 2).\n";
    sdc_classification c = classify("notes.txt", B(prose));
    cr_assert_eq(c.file_class, SDC_CLASS_DOCUMENT);
    cr_assert_str_eq(c.format, "text");
}

Test(detect, netcdf4_is_hdf5_named_by_its_attributes)
{
    static const char nc4[] = "\x89HDF\r\n\x1a\n\x02\x08\x08\0 _NCProperties version=2,netcdf=4.9";
    sdc_classification c = classify("grid.nc", B(nc4));
    cr_assert_eq(c.file_class, SDC_CLASS_DATA);
    cr_assert_str_eq(c.format, "netcdf4");
}

/* dBase file structure: version 0x03, date YY MM DD, record count (u32 LE), header length and
 * record length (u16 LE), 20 reserved bytes; 32-byte field descriptors (name NUL-padded to 11,
 * type, 4 reserved, length, decimals, 14 reserved), 0x0D; records start with a deletion flag;
 * 0x1A ends the file. */
static bytes dbase_file(unsigned record_length)
{
    bytes o = {0};
    put_u8(&o, 0x03);
    put(&o, "\x7c\x01\x01", 3); /* 2024-01-01 */
    put_le(&o, 2, 4);
    put_le(&o, 32 + 2 * 32 + 1, 2);
    put_le(&o, record_length, 2);
    put_fill(&o, 0, 20);
    const struct {
        const char *name;
        char type;
        unsigned len;
    } fields[] = {{"NAME", 'C', 8}, {"AGE", 'N', 3}};
    for (size_t i = 0; i < 2; i++) {
        bytes d = {0};
        put_str(&d, fields[i].name);
        put_fill(&d, 0, 11 - d.n);
        put_u8(&d, (unsigned char)fields[i].type);
        put_fill(&d, 0, 4);
        put_u8(&d, fields[i].len);
        put_fill(&d, 0, 15);
        put(&o, d.b, d.n);
    }
    put_u8(&o, 0x0D);
    put_str(&o, " Alice    34");
    put_str(&o, " Bob      51");
    put_u8(&o, 0x1A);
    return o;
}

Test(detect, a_dbase_table_is_data)
{
    bytes o = dbase_file(12);
    sdc_classification c = classify("people.dbf", o.b, o.n);
    cr_assert_eq(c.file_class, SDC_CLASS_DATA);
    cr_assert_str_eq(c.format, "dbase");
}

Test(detect, a_dbase_lookalike_is_not_claimed)
{
    bytes o = dbase_file(13); /* the fields do not add up to the record length */
    cr_assert_neq(classify("x", o.b, o.n).file_class, SDC_CLASS_DATA);
    bytes cut = dbase_file(12);
    cut.n -= 5; /* records missing */
    cr_assert_neq(classify("x", cut.b, cut.n).file_class, SDC_CLASS_DATA);
}

Test(detect, a_dbf_named_text_file_is_text_and_disguised)
{
    static const char text[] = "name,age\nAlice,34\nBob,51\n";
    sdc_classification c = classify("people.dbf", B(text));
    cr_assert_eq(c.file_class, SDC_CLASS_DOCUMENT);
    cr_assert_str_eq(c.format, "text");
    cr_assert_eq(c.name_class, SDC_CLASS_DATA);
    cr_assert_str_eq(c.name_format, "dbase");
    cr_assert(sdc_classes_disagree(c.name_class, c.file_class));
}

/* The MessagePack spec: fixarray 0x90|n, fixmap 0x80|n, fixstr 0xA0|n, positive fixint. */
static bytes msgpack_people(unsigned n)
{
    bytes o = {0};
    put_u8(&o, 0x90 | n);
    for (unsigned i = 0; i < n; i++) {
        put_u8(&o, 0x82);
        put(&o,
            "\xa3"
            "age",
            4);
        put_u8(&o, 20 + i);
        put(&o,
            "\xa6"
            "region",
            7);
        put(&o,
            "\xa5"
            "Wales",
            6);
    }
    return o;
}

Test(detect, a_msgpack_array_of_records_is_data)
{
    bytes o = msgpack_people(10);
    sdc_classification c = classify("people.msgpack", o.b, o.n);
    cr_assert_eq(c.file_class, SDC_CLASS_DATA);
    cr_assert_str_eq(c.format, "msgpack");
}

Test(detect, msgpack_is_claimed_only_when_it_is_the_whole_file_and_not_small)
{
    bytes tail = msgpack_people(10);
    put_u8(&tail, 0x01); /* one byte after the document */
    cr_assert_neq(classify("x", tail.b, tail.n).file_class, SDC_CLASS_DATA);
    bytes small = msgpack_people(1); /* a well-formed but small document */
    cr_assert_neq(classify("x", small.b, small.n).file_class, SDC_CLASS_DATA);
    bytes bad = msgpack_people(10);
    bad.b[20] = 0xC1; /* never used */
    cr_assert_neq(classify("x", bad.b, bad.n).file_class, SDC_CLASS_DATA);
}

Test(detect, random_bytes_are_none_of_the_data_formats)
{
    unsigned char b[2048];
    unsigned long long x = 0x9E3779B97F4A7C15ULL;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof b; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b[i] = (unsigned char)x;
        }
        /* give each format's first byte a chance */
        static const unsigned char first[] = {0x00, 0x03, 0x83, 0x93, 0xDC, 0xDE, 'C', 'M'};
        b[0] = first[round % sizeof first];
        sdc_classification c = sdc_file_classify(b, (size_t)(64 + round * 9), round & 1, "x.bin");
        cr_assert_neq(c.file_class, SDC_CLASS_DATA, "round %d: %s", round, c.format);
    }
}

Test(detect, npy_of_any_version_is_a_model_and_an_unknown_one_says_so)
{
    static const char v1[] = "\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, }";
    static const char v9[] = "\x93NUMPY\x09\x00v\x00{'descr': '<f8', 'fortran_order': False, }";
    sdc_classification c1 = classify("x.npy", B(v1));
    cr_assert_eq(c1.file_class, SDC_CLASS_MODEL);
    cr_assert_null(c1.detail);
    sdc_classification c9 = classify("x.npy", B(v9));
    cr_assert_eq(c9.file_class, SDC_CLASS_MODEL);
    cr_assert_str_eq(c9.format, "npy");
    cr_assert_str_eq(c9.detail, "unknown format version");
}

Test(detect, a_checked_dbase_file_gets_data_file)
{
    bytes o = dbase_file(12);
    sdc_policy *p = sdc_policy_default();
    sdc_checker *ck = sdc_checker_new(p, NULL);
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(ck, "people.dbf", o.b, o.n, &r), 0);
    cr_assert_eq(r.verdict, SDC_FAIL);
    cr_assert_eq(count_rule(&r.findings, "data-file"), 1);
    cr_assert_eq(count_rule(&r.findings, "disguised"), 0);
    sdc_file_result_free(&r);
    sdc_checker_free(ck);
    sdc_policy_free(p);
}

/* Flax's serialization.to_bytes: a msgpack map {"params": {"Dense_0": {"kernel": ..., "bias":
 * ...}}}; the arrays here are plain float64 arrays (0xCB and eight bytes). */
Test(detect, a_msgpack_of_flax_parameters_is_a_model)
{
    bytes o = {0};
    put(&o, B("\x81\xa6"
              "params\x81\xa7"
              "Dense_0\x82\xa6"
              "kernel\x98"));
    for (int i = 0; i < 8; i++)
        put(&o, B("\xcb\x3f\xb9\x99\x99\x99\x99\x99\x9a"));
    put(&o, B("\xa4"
              "bias\x92\xcb\0\0\0\0\0\0\0\0\xcb\0\0\0\0\0\0\0\0"));
    sdc_classification c = classify("checkpoint", o.b, o.n);
    cr_assert_eq(c.file_class, SDC_CLASS_MODEL);
    cr_assert_str_eq(c.format, "msgpack-model");
}

/* A MessagePack file longer than the head: array16 of 1000 records, of which the head holds
 * 300 whole and part of one more. */
Test(detect, a_long_msgpack_is_judged_on_the_values_its_head_holds)
{
    bytes o = {0};
    put(&o, B("\xdc\x03\xe8")); /* array16, 1000 */
    for (unsigned i = 0; i < 300; i++)
        put(&o, B("\x81\xa3"
                  "age\x22"));
    put(&o, B("\x81\xa3"));
    sdc_classification c = sdc_file_classify(o.b, o.n, false, "x");
    cr_assert_eq(c.file_class, SDC_CLASS_DATA);
    cr_assert_str_eq(c.format, "msgpack");
    /* the same head as a whole file is cut short: not claimed */
    cr_assert_neq(sdc_file_classify(o.b, o.n, true, "x").file_class, SDC_CLASS_DATA);
    /* a few values are not enough to claim a head */
    o.n = 3 + 20 * 6;
    cr_assert_neq(sdc_file_classify(o.b, o.n, false, "x").file_class, SDC_CLASS_DATA);
}

/* Archive and compression signatures from the formats' own documents. */
Test(detect, every_archive_libarchive_reads_is_a_container)
{
    static const struct {
        const char *name, *bytes, *format;
        size_t len;
    } cases[] = {
        /* RAR 4 and 5 marker blocks (RAR technote) */
        {"a.rar", "Rar!\x1a\x07\x00\xcf\x90\x73\x00\x00\x0d\x00", "rar", 13},
        {"a.rar", "Rar!\x1a\x07\x01\x00\x33\x92\xb5\xe5\x0a\x01", "rar", 14},
        /* MS-CAB: "MSCF", reserved1 = 0 */
        {"a.cab", "MSCF\0\0\0\0\x40\0\0\0", "cab", 12},
        /* LHA level 0 header: size 0x22, checksum, "-lh5-" */
        {"a.lzh", "\x22\x1a-lh5-\x10\0\0\0\x20\0\0\0\0\0\0\0\x20\0\x05notes", "lha", 27},
        /* lzop (lzop.c magic), lzip (lzip manual 2.1), compress(1) .Z */
        {"a.lzo", "\x89LZO\0\r\n\x1a\n\x10\x30", "lzop", 11},
        {"a.lz", "LZIP\x01\x0c\0\0", "lzip", 8},
        {"a.Z", "\x1f\x9d\x90\x61\x00", "compress", 5},
        /* zstd skippable frame (RFC 8878 3.1.2), lz4 legacy frame */
        {"a.zst", "\x50\x2a\x4d\x18\x04\0\0\0abcd", "zstd", 12},
        {"a.lz4", "\x02\x21\x4c\x18\x10\0\0\0", "lz4", 8},
        /* ar(5), WARC (ISO 28500), xar */
        {"a.deb", "!<arch>\ndebian-binary   ", "ar", 24},
        {"a.warc", "WARC/1.1\r\nWARC-Type: warcinfo\r\n", "warc", 31},
        {"a.xar", "xar!\0\x1c\0\x01", "xar", 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sdc_classification c = classify(cases[i].name, cases[i].bytes, cases[i].len);
        cr_assert_eq(c.file_class, SDC_CLASS_CONTAINER, "%s: %s", cases[i].format, c.format);
        cr_assert_str_eq(c.format, cases[i].format);
    }
}

Test(detect, text_that_starts_like_an_archive_is_not_one)
{
    /* A cpio magic must be followed by its octal or hex header fields;
     * prose that begins "070707" is not an archive. */
    sdc_classification c = classify("a.txt", B("070707 is the date we started, 12 June.\n"));
    cr_assert_neq(c.file_class, SDC_CLASS_CONTAINER, "%s", c.format);
    /* "-l" at offset 2 without an LHA method after it. */
    c = classify("a.txt", B("a -list of things to do\n"));
    cr_assert_neq(c.file_class, SDC_CLASS_CONTAINER, "%s", c.format);
}

/* R objects are named by their class attribute, read from R's
 * serialisation (testdata/outputs/make-outputs.R): fitted models fail as
 * model-file, a data frame as data-file even when a column is called
 * "coefficients", and a kmeans fit as a model though its head names no
 * model word; save()'s file names each object. */
Test(detect, r_objects_are_named_by_their_class)
{
    sdc_policy *p = sdc_policy_default();
    sdc_checker *c = sdc_checker_new(p, NULL);
    struct {
        const char *file, *rule, *words;
    } want[] = {
        {"testdata/outputs/r_lm.rds", "model-file", "class lm"},
        {"testdata/outputs/r_glm.rds", "model-file", "class glm"},
        {"testdata/outputs/r_rpart.rds", "model-file", "class rpart"},
        {"testdata/outputs/r_kmeans.rds", "model-file", "class kmeans"},
        {"testdata/outputs/r_df_named_coefficients.rds", "data-file", "class data.frame"},
        {"testdata/outputs/r_both.RData", "model-file", "fit10 (lm), cars_df (data.frame)"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        sdc_file_result *r = NULL;
        size_t n = 0;
        cr_assert_eq(sdc_check_file_all(c, want[i].file, want[i].file, &r, &n), 0);
        /* the .rds is gzip: the serialisation is its member */
        const sdc_finding *f = NULL;
        for (size_t k = 0; k < n && !f; k++)
            if (r[k].file_class != SDC_CLASS_CONTAINER)
                f = find_rule(&r[k].findings, want[i].rule);
        cr_assert_not_null(f, "%s: no %s", want[i].file, want[i].rule);
        cr_expect(strstr(f->message, want[i].words), "%s: %s", want[i].file, f->message);
        const char *other = strcmp(want[i].rule, "model-file") ? "model-file" : "data-file";
        for (size_t k = 0; k < n; k++)
            if (r[k].file_class != SDC_CLASS_CONTAINER)
                cr_expect_null(find_rule(&r[k].findings, other), "%s: also %s", want[i].file,
                               other);
        cr_assert_eq(r[0].verdict, SDC_FAIL);
        for (size_t k = 0; k < n; k++)
            sdc_file_result_free(&r[k]);
        free(r);
    }
    sdc_checker_free(c);
    sdc_policy_free(p);
}

/* The walk reads the serialisation's structure (R's serialize.c): a stream
 * cut short, or one of another version, is not read, and the head's words
 * decide. */
Test(detect, a_damaged_r_serialisation_is_not_read_as_one)
{
    static const unsigned char cut[] =
        "X\n\0\0\0\x03\0\x04\x02\0\0\x03\x05\0\0\0\0\x05UTF-8\0\0\x02\x13";
    sdc_rds_info info;
    cr_assert_eq(sdc_rds_read(cut, sizeof cut - 1, &info), -1);
    static const unsigned char ascii[] = "A\n3\n262402\n197888\n5\nUTF-8\n254\n";
    cr_assert_eq(sdc_rds_read(ascii, sizeof ascii - 1, &info), -1);
    cr_assert(sdc_rds_model_class("randomForest"));
    cr_assert(!sdc_rds_model_class("data.frame"));
}
