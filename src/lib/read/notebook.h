/*
 * notebook.h - the outputs of a Jupyter notebook (private).
 *
 * An .ipynb is JSON (nbformat 4: cells[].outputs[], each output's data
 * keyed by MIME type, "text/html" and "text/plain", or a stream's "text",
 * each a string or a list of strings). The outputs a person would see are
 * read back as text, so that the tables in them are checked like those of
 * any document (doc/design.md, "Tables in documents").
 */
#ifndef SDC_READ_NOTEBOOK_H
#define SDC_READ_NOTEBOOK_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sdc_nb_output {
    long cell, output; /* from 1 */
    bool html;         /* text/html, else text/plain or a stream's text */
    char *text;
    size_t len;
} sdc_nb_output;

typedef struct sdc_nb_outputs {
    sdc_nb_output *items;
    size_t count;
    bool error; /* not JSON to the end: what was read is kept */
} sdc_nb_outputs;

/* Reads the outputs of the notebook JSON[0..len) (libyaml reads JSON).
 * 0, or -1 when out of memory. */
int sdc_notebook_outputs(const unsigned char *json, size_t len, sdc_nb_outputs *out);
void sdc_nb_outputs_free(sdc_nb_outputs *o);

#endif
