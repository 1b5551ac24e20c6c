/*
 * csv.c - the CSV reader and its sniffers: the encoding and delimiter
 * sniffs on the input, then the streaming reader (sdc_csv_reader) fed the
 * rest in chunks of the size the first byte gives (0: one chunk), as the
 * checker feeds a file in SDC_READ_CHUNK pieces: every split must give the
 * same table.
 */
#include "fuzz.h"
#include "read/sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t chunk = data[0] ? data[0] : size;
    data++;
    size--;

    sdc_encoding_sniff(data, size / 2, false);
    for (size_t i = 0; i < size && i < 64; i++)
        sdc_utf8_sequence(data + i, size - i);
    if (sdc_encoding_sniff(data, size, true) == SDC_ENC_UTF8) {
        /* The delimiter sniff is given UTF-8 text. */
        sdc_delim_guess g = sdc_delimiter_sniff((const char *)data, size);
        sdc_delim_guess_is_table(&g);
    }

    sdc_findings findings = {0};
    sdc_csv_reader *r = sdc_csv_reader_new(fuzz_policy(), &findings);
    if (!r)
        abort();
    for (size_t at = 0; at < size; at += chunk)
        if (sdc_csv_reader_feed(r, data + at, size - at < chunk ? size - at : chunk) != 0)
            break;
    sdc_table *t = sdc_csv_reader_finish(r);
    const sdc_csv_info *info = sdc_csv_reader_info(r);
    if (info->encoding && !info->encoding[0])
        abort();
    sdc_csv_reader_keeps_rows(r);
    sdc_table_free(t);
    sdc_csv_reader_free(r);
    sdc_findings_free(&findings);
    return 0;
}
