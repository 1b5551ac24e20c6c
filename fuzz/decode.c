/*
 * decode.c - payloads written as text (classify/decode*.c): the input
 * after one selector byte is scanned as the checker scans a file of some
 * class. The byte's low three bits choose the scan: 0 plain text, 1 JSON,
 * 2 JSON Lines, 3 XML, 4 code (records written as code, models written as
 * code), 5 a document (its tables and model printouts: decode_records.c,
 * decode_tables.c), 6 a table, 7 a binary of no known kind (the carving
 * of files inside it). Its high five bits give the size of the pieces the
 * text is fed in (0: one piece; else 37 bytes times them): any split must
 * give the same payloads.
 */
#include "fuzz.h"
#include "classify/code_models.h"
#include "classify/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned mode = data[0] & 7;
    size_t chunk = (size_t)(data[0] >> 3) * 37;
    data++;
    size--;
    if (chunk == 0)
        chunk = size ? size : 1;

    sdc_decode_scan *s = mode == 7 ? sdc_decode_new_binary() : sdc_decode_new();
    if (!s)
        abort();
    switch (mode) {
    case 1: sdc_decode_json_records(s, false); break;
    case 2: sdc_decode_json_records(s, true); break;
    case 3: sdc_decode_xml_records(s); break;
    case 4: sdc_decode_code_records(s); break;
    case 5: sdc_decode_document_records(s); break;
    case 6: sdc_decode_for_table(s); break;
    default: break;
    }
    sdc_code_models *m = NULL;
    if (mode == 4 || mode == 5)
        m = sdc_code_models_new(fuzz_policy(), mode == 5);
    for (size_t at = 0; at < size; at += chunk) {
        size_t n = size - at < chunk ? size - at : chunk;
        sdc_decode_feed(s, data + at, n);
        if (m)
            sdc_code_models_feed(m, data + at, n);
    }
    sdc_decode_finish(s);
    for (size_t i = 0; i < sdc_decode_count(s); i++) {
        const sdc_payload *p = sdc_decode_at(s, i);
        if (p->kind == SDC_PAYLOAD_FILE && p->len && !p->data)
            abort();
    }
    sdc_decode_dropped(s);
    sdc_decode_tables_only(s);
    size_t dfs = 0;
    sdc_decode_model_dfs(s, &dfs);
    sdc_decode_free(s);
    if (m) {
        sdc_findings findings = {0};
        sdc_code_models_finish(m, &findings);
        sdc_code_models_free(m);
        sdc_findings_free(&findings);
    }
    return 0;
}
