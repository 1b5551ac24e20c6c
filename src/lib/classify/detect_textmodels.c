/*
 * detect_textmodels.c - model formats written as text.
 *
 * LightGBM's text model ("tree\nversion=v3", LightGBM/src/boosting/gbdt_model_text.cpp),
 * PMML (an XML document whose root is <PMML>, dmg.org/pmml/v4-4-1), XGBoost's
 * JSON model ({"learner": {... "gradient_booster" ...}}, xgboost doc/model.schema),
 * MLflow's MLmodel file ("flavors:" YAML, mlflow/models/model.py), a Keras
 * model config (keras/src/saving/saving_lib.py config.json) and Spark ML
 * metadata ("sparkVersion" with an org.apache.spark.ml class).
 * These are text, so they must be tried before the text detector calls
 * them documents.
 */
#include <string.h>

#include "classify/detect.h"

static bool has(const unsigned char *h, size_t len, const char *s)
{
    return memmem(h, len, s, strlen(s)) != NULL;
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
    if (n > 0 && p[0] == '<' && has(p, n < 4096 ? n : 4096, "<PMML")) {
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
    if (n > 0 && p[0] == '{' && has(p, n, "\"class_name\"") &&
        (has(p, n, "\"keras") || has(p, n, "\"module\": \"keras"))) {
        out->format = "keras-config";
        return true;
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
