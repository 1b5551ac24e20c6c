/*
 * detect.c - the content detectors and the walks beside them: every
 * detector (pickle, safetensors and the other signatures, text models,
 * ONNX, MATLAB, NetCDF, dBase, DEVMODE, msgpack, text) on the input as a
 * whole file and as the head of a longer one; the classifier with names
 * of several classes; the pickle opcode walk; the end-marker trackers
 * (PDF, zip, 7z) and a zip's central directory; the image walks (PNG,
 * JPEG, GIF, WebP, BMP, TIFF) fed in two pieces; libmagic's answer.
 */
#include "fuzz.h"
#include "classify/classify.h"
#include "classify/detect.h"
#include "classify/image.h"
#include "classify/magic.h"
#include "classify/trailer.h"
#include "classify/zipdir.h"

static const sdc_detector *const detectors[] = {
    &sdc_detector_pickle, &sdc_detector_signatures, &sdc_detector_textmodels,
    &sdc_detector_onnx,   &sdc_detector_matlab,     &sdc_detector_netcdf,
    &sdc_detector_dbase,  &sdc_detector_devmode,    &sdc_detector_msgpack,
    &sdc_detector_text,
};

static const char *const names[] = {"x",     "x.csv",  "x.pkl", "x.bin",
                                    "x.txt", "x.json", "x.png", "a.zip!b/x.npy"};

static const char *const images[] = {"png", "jpeg", "gif", "webp", "bmp", "tiff"};

static const char *const trailers[] = {"pdf", "zip", "7z"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < sizeof detectors / sizeof *detectors; i++) {
        for (size_t k = 0; k < sizeof names / sizeof *names; k += 3) {
            sdc_classification c = {0};
            detectors[i]->detect(data, size, true, names[k], &c);
            memset(&c, 0, sizeof c);
            detectors[i]->detect(data, size, false, names[k], &c);
        }
    }
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        sdc_file_classify(data, size, k % 2 == 0, names[k]);

    sdc_pickle_info info = {0};
    sdc_pickle_probe(data, size, true, &info);

    for (size_t i = 0; i < sizeof trailers / sizeof *trailers; i++) {
        sdc_trailer t;
        sdc_trailer_init(&t, trailers[i]);
        sdc_trailer_feed(&t, data, size / 2);
        sdc_trailer_feed(&t, data + size / 2, size - size / 2);
        sdc_trailer_appended(&t);
        sdc_trailer_marker(&t);
    }
    sdc_zipdir d = {0};
    sdc_zipdir_read(data, size, 0, &d);
    sdc_zipdir_free(&d);

    for (size_t i = 0; i < sizeof images / sizeof *images; i++) {
        sdc_image *im = sdc_image_new(images[i]);
        if (!im)
            continue;
        sdc_image_feed(im, data, size / 3);
        sdc_image_feed(im, data + size / 3, size - size / 3);
        sdc_image_finish(im);
        for (size_t p = 0; p < sdc_image_nparts(im); p++)
            sdc_image_part_at(im, p);
        unsigned problems = 0;
        sdc_image_problem(im, &problems);
        const unsigned char *tail = NULL;
        size_t tail_len = 0;
        sdc_image_appended(im, &tail, &tail_len);
        sdc_image_free(im);
    }

    static sdc_magic *magic;
    if (!magic && !(magic = sdc_magic_new()))
        abort();
    sdc_classification c = {0};
    sdc_magic_classify(magic, data, size, &c);
    return 0;
}
