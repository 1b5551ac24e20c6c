/*
 * doctables.c - the readers of tables in documents, each on the input: a
 * Word document.xml's tables (docx_tables.c), the first HTML table
 * (html_table.c), a notebook's outputs (notebook.c), an OpenDocument
 * content.xml's sheets (ods.c), the tables written into text, logs,
 * Markdown, LaTeX and HTML (decode_records.c, decode_tables.c, through
 * the document scan), an Office part's XML check (xml_part.c) and an
 * SVG's text (svg_text.c). Each table read is then read as the CSV it
 * was written as.
 */
#include "fuzz.h"
#include "classify/decode.h"
#include "read/docx_tables.h"
#include "read/html_table.h"
#include "read/notebook.h"
#include "read/ods.h"
#include "read/xml_part.h"
#include "rules/svg_text.h"

/* Reads CSV as a table and lays it out, as a walked member would be. */
static void read_csv(const char *csv, size_t len)
{
    sdc_findings findings = {0};
    sdc_csv_reader *r = sdc_csv_reader_new(fuzz_policy(), &findings);
    if (!r)
        abort();
    sdc_csv_reader_feed(r, csv, len);
    sdc_table *t = sdc_csv_reader_finish(r);
    if (t)
        sdc_table_infer_layout(t, fuzz_policy(), &findings);
    sdc_table_free(t);
    sdc_csv_reader_free(r);
    sdc_findings_free(&findings);
}

static const char *const parts[] = {"x.docx!word/document.xml", "x.xlsx!xl/styles.xml",
                                    "x.docx![Content_Types].xml", "x.xlsx!_rels/.rels"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sdc_docx_tables dt = {0};
    if (sdc_docx_tables_read(data, size, &dt) == 0)
        for (size_t i = 0; i < dt.count; i++)
            read_csv(dt.items[i].csv, dt.items[i].len);
    sdc_docx_tables_free(&dt);

    sdc_html_table ht = {0};
    if (sdc_html_table_read((const char *)data, size, &ht) == 0)
        read_csv(ht.csv, ht.len);
    sdc_html_table_free(&ht);

    sdc_nb_outputs nb = {0};
    sdc_notebook_outputs(data, size, &nb);
    sdc_nb_outputs_free(&nb);

    sdc_ods ods = {0};
    if (sdc_ods_read(data, size, fuzz_policy()->max_table_rows, &ods) == 0)
        for (size_t i = 0; i < ods.count; i++)
            read_csv(ods.sheets[i].csv, ods.sheets[i].len);
    sdc_ods_free(&ods);

    sdc_decode_scan *s = sdc_decode_new();
    if (!s)
        abort();
    sdc_decode_document_records(s);
    sdc_decode_feed(s, data, size);
    sdc_decode_finish(s);
    for (size_t i = 0; i < sdc_decode_count(s); i++) {
        const sdc_payload *p = sdc_decode_at(s, i);
        if (p->table_no && p->kind == SDC_PAYLOAD_FILE)
            read_csv((const char *)p->data, p->len);
    }
    sdc_decode_free(s);

    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        sdc_xml_part *x = sdc_xml_part_new(parts[i]);
        if (!x)
            abort();
        sdc_xml_part_feed(x, data, size / 2);
        sdc_xml_part_feed(x, data + size / 2, size - size / 2);
        long line = 0;
        sdc_xml_part_finish(x, &line);
        sdc_xml_part_free(x);
    }

    sdc_svg_text st;
    sdc_svg_text_init(&st);
    for (size_t i = 0; i < size; i++)
        sdc_svg_text_keep(&st, data[i]);
    return 0;
}
