/*
 * decode.c - the decoded-payload scan (see decode.h): each family of
 * encodings reads the text on its own (decode_base64.c, decode_bytes.c,
 * decode_text.c); the payloads worth walking are kept here.
 */
#include <stdlib.h>
#include <string.h>

#include "classify/decode_internal.h"

sdc_decode_scan *sdc_decode_new(void)
{
    sdc_decode_scan *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->b64.line = s->list.line = s->esc.line = s->num.line = 1;
    s->b85.line = s->uu.line = s->qp.line = 1;
    s->num.boundary = true;
    /* Families whose payloads are assembled keep no byte histogram: only
     * a file of a known kind counts for them, never bytes of none. */
    s->list.dec.no_hist = s->list.hex.no_hist = s->esc.out.no_hist = true;
    s->uu.out.no_hist = s->qp.out.no_hist = true;
    for (int k = 0; k < 3; k++)
        s->b85.out[k].no_hist = true;
    dec_b85_init(&s->b85);
    for (int k = 0; k < 3; k++)
        s->b85.ok[k] = true;
    return s;
}

sdc_decode_scan *sdc_decode_new_binary(void)
{
    sdc_decode_scan *s = sdc_decode_new();
    if (s) {
        s->binary_only = true;
        s->carve.binary = true;
        s->raw.on = true;
    }
    return s;
}

void sdc_decode_json_records(sdc_decode_scan *s, bool lines)
{
    s->json.on = true;
    s->json.lines = lines;
}

void sdc_decode_xml_records(sdc_decode_scan *s)
{
    s->json.on = true;
    s->json.xml = true;
}

void sdc_decode_code_records(sdc_decode_scan *s)
{
    s->json.on = true;
    s->json.code = true;
}

void sdc_decode_document_records(sdc_decode_scan *s)
{
    s->rec.aligned = true;
}

void sdc_decode_for_table(sdc_decode_scan *s)
{
    s->carve.off = true;
    s->rec_off = true;
}

void sdc_decode_free(sdc_decode_scan *s)
{
    if (!s)
        return;
    dec_base64_free(&s->b64);
    dec_out_free(&s->list.dec);
    dec_out_free(&s->list.hex);
    dec_out_free(&s->esc.out);
    free(s->num.digits);
    for (int k = 0; k < 3; k++)
        dec_out_free(&s->b85.out[k]);
    dec_out_free(&s->uu.out);
    dec_out_free(&s->qp.out);
    dec_rec_free(&s->rec);
    dec_carve_free(&s->carve);
    dec_raw_free(&s->raw);
    dec_json_free(&s->json);
    for (size_t i = 0; i < s->npayloads; i++)
        free(s->payloads[i].data);
    free(s->payloads);
    free(s);
}

void sdc_decode_feed(sdc_decode_scan *s, const unsigned char *text, size_t len)
{
    dec_carve_feed(s, &s->carve, text, len);
    dec_raw_feed(s, &s->raw, text, len);
    if (s->binary_only)
        return;
    dec_base64_feed(s, &s->b64, text, len);
    dec_list_feed(s, &s->list, text, len);
    dec_esc_feed(s, &s->esc, text, len);
    dec_int_feed(s, &s->num, text, len);
    dec_b85_feed(s, &s->b85, text, len);
    dec_uu_feed(s, &s->uu, text, len);
    dec_qp_feed(s, &s->qp, text, len);
    if (!s->rec_off)
        dec_rec_feed(s, &s->rec, text, len);
    dec_json_feed(s, &s->json, text, len);
}

void sdc_decode_finish(sdc_decode_scan *s)
{
    dec_carve_finish(s, &s->carve);
    dec_raw_finish(s, &s->raw);
    if (s->binary_only)
        return;
    dec_base64_finish(s, &s->b64);
    dec_list_finish(s, &s->list);
    dec_esc_finish(s, &s->esc);
    dec_int_finish(s, &s->num);
    dec_b85_finish(s, &s->b85);
    dec_uu_finish(s, &s->uu);
    dec_qp_finish(s, &s->qp);
    if (!s->rec_off)
        dec_rec_finish(s, &s->rec);
    dec_json_finish(s, &s->json);
}

size_t sdc_decode_count(const sdc_decode_scan *s)
{
    return s->npayloads;
}

const sdc_payload *sdc_decode_at(const sdc_decode_scan *s, size_t i)
{
    return i < s->npayloads ? &s->payloads[i] : NULL;
}

size_t sdc_decode_dropped(const sdc_decode_scan *s)
{
    return s->dropped;
}

bool sdc_decode_failed(const sdc_decode_scan *s)
{
    return s->failed;
}
