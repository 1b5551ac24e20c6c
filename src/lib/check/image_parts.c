/*
 * image_parts.c - what an image's structural walk (classify/image.c)
 * found, reported on the image and walked: problems with its structure
 * (malformed, review), bytes after its end (appended-data, fail), and
 * each part walked as a member of its own, IMAGE!NAME (chart.png!tEXt:
 * Comment, photo.jpg!APP1:Exif), whose worst finding is repeated on the
 * image. Metadata text the format defines passes after its scans; bytes
 * the format does not explain are embedded-blob: fail when they are
 * high-entropy or another format's file, review otherwise
 * (doc/design.md, "Images").
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check/image_parts.h"
#include "check/member.h"
#include "classify/classify.h"

/* Shannon entropy in bits per byte. */
static double entropy(const unsigned char *p, size_t n)
{
    size_t count[256] = {0};
    for (size_t i = 0; i < n; i++)
        count[p[i]]++;
    double h = 0;
    for (int c = 0; c < 256; c++)
        if (count[c]) {
            double q = (double)count[c] / (double)n;
            h -= q * log2(q);
        }
    return h;
}

/* Compressed or encrypted bytes have near 8 bits per byte; text and
 * structure far less. Over fewer bytes the estimate means little. */
#define HIGH_ENTROPY 7.2
#define ENTROPY_MIN_BYTES 256

static void unexplained(sdc_file_result *self, const sdc_image_part *part)
{
    sdc_classification c = sdc_file_classify(part->data, part->len, !part->cut, "");
    bool known = c.file_class == SDC_CLASS_MODEL || c.file_class == SDC_CLASS_DATA ||
                 c.file_class == SDC_CLASS_CONTAINER || c.file_class == SDC_CLASS_IMAGE;
    bool dense = part->len >= ENTROPY_MIN_BYTES && entropy(part->data, part->len) >= HIGH_ENTROPY;
    char kind[96];
    if (known)
        snprintf(kind, sizeof kind, "%s (%s)", sdc_file_class_name(c.file_class), c.format);
    else
        snprintf(kind, sizeof kind, "%s", dense ? "high-entropy bytes" : "bytes of no known kind");
    sdc_container_finding(self, "embedded-blob", known || dense ? SDC_FAIL : SDC_REVIEW,
                          "an image may carry its pixels and the metadata its format defines, "
                          "nothing else: save the chart again from the plotting library",
                          "%s at offset %llu, %llu bytes: %s", part->what, part->offset,
                          part->length, kind);
}

/* Walks one part as a member; metadata text passes after its scans. */
static int walk_part(const sdc_walk *w, sdc_file_result *self, const sdc_image_part *part,
                     int depth, sdc_budget *b, sdc_result_list *list)
{
    if (part->kind == SDC_IMAGE_UNEXPLAINED)
        unexplained(self, part);
    if (part->cut)
        sdc_container_finding(self, "needs-review", SDC_REVIEW,
                              "an output checker reads it before release",
                              "the image's part '%s' (%llu bytes) was walked only in its first "
                              "%zu bytes",
                              part->name, part->length, part->len);
    char what[128];
    snprintf(what, sizeof what, "the image's part '%s'", part->name);
    return sdc_walk_nested(w, self, part->name, what,
                           part->kind == SDC_IMAGE_METADATA ? "image-metadata" : NULL, part->data,
                           part->len, depth, b, list);
}

static void appended(sdc_file_result *self, const sdc_image *im)
{
    const unsigned char *tail;
    size_t tail_len;
    unsigned long long extra = sdc_image_appended(im, &tail, &tail_len);
    if (extra == 0)
        return;
    sdc_classification c = sdc_file_classify(tail, tail_len, extra <= tail_len, "");
    sdc_container_finding(self, "appended-data", SDC_FAIL,
                          "remove what follows the end of the file: a chart or document must "
                          "not carry other data",
                          "%llu bytes after the %s: %s (%s)", extra, sdc_image_end_marker(im),
                          sdc_file_class_name(c.file_class), c.format);
}

int sdc_image_account(const sdc_walk *w, sdc_file_result *self, sdc_image *im, int depth,
                      sdc_budget *b, sdc_result_list *list)
{
    sdc_image_finish(im);
    if (sdc_image_failed(im))
        sdc_findings_mark_incomplete(&self->findings, SDC_INCOMPLETE_MEMORY);
    unsigned problems;
    const char *problem = sdc_image_problem(im, &problems);
    if (problem)
        sdc_container_finding(
            self, "malformed", SDC_REVIEW, "save the image again from the program that made it",
            "the image's structure is broken: %s%s", problem, problems > 1 ? " (and more)" : "");
    appended(self, im);
    for (size_t i = 0; i < sdc_image_nparts(im); i++) {
        const sdc_image_part *part = sdc_image_part_at(im, i);
        if (part->len == 0 && !part->cut) /* an empty chunk carries nothing */
            continue;
        if (walk_part(w, self, part, depth, b, list) < 0)
            return -1;
    }
    if (sdc_image_parts_dropped(im))
        sdc_container_finding(
            self, "needs-review", SDC_REVIEW, "an output checker reads it before release",
            "%zu more parts of the image were not walked (over %d parts or "
            "%u MiB)",
            sdc_image_parts_dropped(im), SDC_IMAGE_PARTS_MAX, SDC_IMAGE_KEEP_MAX >> 20);
    return 0;
}
