/*
 * image_parts.h - an image's structural walk reported and its parts walked
 * (private to check/).
 */
#ifndef SDC_CHECK_IMAGE_PARTS_H
#define SDC_CHECK_IMAGE_PARTS_H

#include "check/walk.h"
#include "classify/image.h"

/* Ends the walk IM of the image SELF (all its bytes fed) and reports it on
 * SELF: structural problems, bytes after its end, and each part walked as
 * a member at DEPTH + 1 into LIST. Returns 0, or -1 when out of memory. */
int sdc_image_account(const sdc_walk *w, sdc_file_result *self, sdc_image *im, int depth,
                      sdc_budget *b, sdc_result_list *list);

#endif
