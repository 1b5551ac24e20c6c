/*
 * detect_textmodels.c - model formats written as text.
 *
 * LightGBM's text model ("tree\nversion=v3", LightGBM/src/boosting/gbdt_model_text.cpp),
 * PMML (an XML document whose root is <PMML>, dmg.org/pmml/v4-4-1), XGBoost's
 * JSON model ({"learner": {... "gradient_booster" ...}}, xgboost doc/model.schema),
 * MLflow's MLmodel file ("flavors:" YAML, mlflow/models/model.py), a Keras
 * model config (keras/src/saving/saving_lib.py config.json, Model.to_json)
 * and Spark ML metadata ("sparkVersion" with an org.apache.spark.ml class).
 * These are text, so they must be tried before the text detector calls
 * them documents.
 */
#include <string.h>

#include "classify/detect.h"

static bool has(const unsigned char *h, size_t len, const char *s)
{
    return memmem(h, len, s, strlen(s)) != NULL;
}

/* The shape of a Keras model config, as Keras writes it: Model.to_json()
 * (Keras 2: {"class_name": "Sequential", "config": {"name": ..., "layers":
 * [...]}, "keras_version": ..., "backend": ...}) and config.json in a .keras
 * file (Keras 3, keras/src/saving/saving_lib.py and serialization_lib.py:
 * {"module": "keras", "class_name": ..., "config": {... "layers": ...}}).
 * What matters is where the keys are: "class_name" and an object "config"
 * at the top, and "layers" in that config or the version, backend or keras
 * module beside it. A metrics file that names "keras.Sequential" or lists
 * per-class results under "class_name" has not that shape. */
typedef struct keras_shape {
    bool class_name, config, layers, version; /* version: keras_version, backend, module keras */
} keras_shape;

#define KEY_MAX 16

/* The keys of a JSON object's top level and of the object under its
 * "config" key, read from the head as tokens (the head may end anywhere,
 * so no JSON library): strings with their escapes, containers by depth. */
static keras_shape json_keras_shape(const unsigned char *p, size_t n)
{
    keras_shape ks = {false, false, false, false};
    int depth = 0;
    unsigned long long objects = 0; /* bit D: the container at depth D is an object */
    bool config_open = false;       /* depth 2 is the object under the top "config" */
    bool expect_key = false;        /* in an object, after '{' or ',' */
    bool in_string = false, escaped = false, string_is_key = false;
    char str[KEY_MAX];
    size_t str_len = 0;
    char key[KEY_MAX] = ""; /* the last key read, whose value comes next */
    int key_depth = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
                str[str_len < KEY_MAX ? str_len : KEY_MAX - 1] = '\0';
                if (str_len >= KEY_MAX)
                    str[0] = '\0'; /* longer than any key looked for */
                if (string_is_key) {
                    memcpy(key, str, KEY_MAX);
                    key_depth = depth;
                } else {
                    if (key_depth == 1 && !strcmp(key, "module") && !strncmp(str, "keras", 5))
                        ks.version = true;
                    key[0] = '\0'; /* the value is read: the key is spent */
                }
                continue;
            }
            if (str_len < KEY_MAX)
                str[str_len] = (char)c;
            str_len++;
            continue;
        }
        switch (c) {
        case '"':
            in_string = true;
            string_is_key = expect_key;
            expect_key = false;
            str_len = 0;
            continue;
        case '{':
            depth++;
            if (depth < 64)
                objects |= 1ull << depth;
            expect_key = true;
            if (depth == 2 && key_depth == 1 && !strcmp(key, "config")) {
                config_open = true;
                ks.config = true;
            }
            break;
        case '[':
            depth++;
            if (depth < 64)
                objects &= ~(1ull << depth);
            break;
        case '}':
        case ']':
            depth--;
            if (depth < 2)
                config_open = false;
            if (depth <= 0)
                return ks; /* the end of the top-level value */
            break;
        case ',': expect_key = depth > 0 && depth < 64 && (objects >> depth & 1); break;
        case ':': expect_key = false; break;
        default: break;
        }
        if (c == '{' || c == '[')
            key[0] = '\0'; /* a value has begun: the key is spent */
        if (c == ':' && key_depth == 1) {
            ks.class_name |= !strcmp(key, "class_name");
            ks.version |= !strcmp(key, "keras_version") || !strcmp(key, "backend");
        }
        if (c == ':' && key_depth == 2 && config_open)
            ks.layers |= !strcmp(key, "layers");
    }
    return ks;
}

/* Whether the root element of the XML in P[0..n) is NAME (with or without
 * a namespace prefix): the XML declaration, processing instructions,
 * comments, a DOCTYPE and white space before it are passed over however
 * long they are (XML 1.0, 2.8 "Prolog"), within the bytes looked at. */
static bool xml_root_is(const unsigned char *p, size_t n, const char *name)
{
    size_t i = 0;
    for (;;) {
        while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
            i++;
        if (i + 4 <= n && memcmp(p + i, "<!--", 4) == 0) {
            const unsigned char *e = memmem(p + i + 4, n - i - 4, "-->", 3);
            if (!e)
                return false;
            i = (size_t)(e - p) + 3;
        } else if (i + 2 <= n && (memcmp(p + i, "<?", 2) == 0 || memcmp(p + i, "<!", 2) == 0)) {
            const unsigned char *e = memchr(p + i, '>', n - i);
            if (!e)
                return false;
            i = (size_t)(e - p) + 1;
        } else {
            break;
        }
    }
    if (i >= n || p[i] != '<')
        return false;
    size_t j = i + 1, k = strlen(name);
    while (j < n && p[j] != ':' && p[j] != '>' && p[j] != ' ' && p[j] != '/' && j - i < 64)
        j++;
    const unsigned char *local = j < n && p[j] == ':' ? p + j + 1 : p + i + 1;
    return local + k < p + n && memcmp(local, name, k) == 0 &&
           (local[k] == '>' || local[k] == ' ' || local[k] == '\n' || local[k] == '\r' ||
            local[k] == '\t');
}

static bool detect(const unsigned char *h, size_t len, bool at_eof, const char *name,
                   sdc_classification *out)
{
    (void)at_eof;
    size_t look = len < 65536 ? len : 65536;
    /* skip a BOM and leading blanks */
    size_t i = 0;
    if (look >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
        i = 3;
    while (i < look && (h[i] == ' ' || h[i] == '\n' || h[i] == '\r' || h[i] == '\t'))
        i++;
    const unsigned char *p = h + i;
    size_t n = look - i;
    out->file_class = SDC_CLASS_MODEL;
    if (n >= 5 && memcmp(p, "tree\n", 5) == 0 && has(p, n, "version=v")) {
        out->format = "lightgbm";
        return true;
    }
    if (n > 0 && p[0] == '<' && xml_root_is(p, n, "PMML")) {
        out->format = "pmml";
        return true;
    }
    if (n > 0 && p[0] == '{' && has(p, n, "\"learner\"") &&
        (has(p, n, "\"gradient_booster\"") || has(p, n, "\"learner_model_param\""))) {
        out->format = "xgboost-json";
        return true;
    }
    /* XGBoost UBJSON: '{' then typed keys; the same key names in bytes. */
    if (n > 0 && p[0] == '{' && has(p, n, "learner") && has(p, n, "gradient_booster")) {
        out->format = "xgboost-ubjson";
        return true;
    }
    if (strcmp(sdc_name_base(name), "MLmodel") == 0 && has(p, n, "flavors:")) {
        out->format = "mlflow";
        return true;
    }
    if (n > 0 && p[0] == '{') {
        keras_shape ks = json_keras_shape(p, n);
        if (ks.class_name && ks.config && (ks.layers || ks.version)) {
            out->format = "keras-config";
            return true;
        }
    }
    if (n > 0 && p[0] == '{' && has(p, n, "\"sparkVersion\"") && has(p, n, "org.apache.spark.ml")) {
        out->format = "spark-ml";
        return true;
    }
    /* H2O MOJO's model.ini (h2o-genmodel ModelMojoReader): [info] with the
     * H2O version and the algorithm. */
    if (has(p, n < 4096 ? n : 4096, "[info]") && has(p, n, "h2o_version")) {
        out->format = "h2o-mojo";
        return true;
    }
    /* A TensorFlow checkpoint's index file (tf.train.CheckpointState). */
    if (n >= 22 && memcmp(p, "model_checkpoint_path:", 22) == 0) {
        out->format = "tf-checkpoint";
        return true;
    }
    out->file_class = SDC_CLASS_UNKNOWN;
    return false;
}

const sdc_detector sdc_detector_textmodels = {"text-models", detect};
