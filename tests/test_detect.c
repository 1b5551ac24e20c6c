/* test_detect.c - content detectors and the classifier (doc/design.md, "File classes" and
 * "Disallowed artefacts"). The pickles below are pickle.dumps(OrderedDict(a=1, b=[1.5, 'x']),
 * protocol=N) from CPython 3.11, copied byte for byte. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "classify/classify.h"
#include "helpers.h"

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
