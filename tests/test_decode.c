/* test_decode.c - payloads written as text are decoded to the very bytes
 * that were encoded (doc/design.md, "Decoded payloads").
 *
 * The encoded files are made by testdata/make-encoded.py with Python's own
 * encoders (base64, binascii, quopri, repr); the truth is the artefact they
 * were made from, compared byte for byte. Z85, which Python 3.11 lacks, is
 * encoded here and the encoder checked against the specification's own
 * example first. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "classify/decode.h"
#include "helpers.h"
#include "read/docx_tables.h"
#include "read/notebook.h"

#define ENC "testdata/artefacts/disguised/encoded/"

typedef struct blob {
    unsigned char *p;
    size_t n;
} blob;

static blob slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot read %s: run from the repository root", path);
    blob b = {0};
    size_t cap = 0;
    for (;;) {
        if (b.n == cap) {
            cap = cap ? cap * 2 : 65536;
            b.p = realloc(b.p, cap);
            cr_assert_not_null(b.p);
        }
        size_t got = fread(b.p + b.n, 1, cap - b.n, f);
        if (got == 0)
            break;
        b.n += got;
    }
    fclose(f);
    return b;
}

/* The payloads of TEXT fed in pieces of STEP bytes (0: all at once). */
static sdc_decode_scan *scan_as(const unsigned char *text, size_t n, size_t step, bool table)
{
    sdc_decode_scan *s = sdc_decode_new();
    cr_assert_not_null(s);
    if (table) /* as pass.c scans a table: no records-in-code families */
        sdc_decode_for_table(s);
    if (step == 0)
        step = n ? n : 1;
    for (size_t i = 0; i < n; i += step)
        sdc_decode_feed(s, text + i, n - i < step ? n - i : step);
    sdc_decode_finish(s);
    cr_assert_not(sdc_decode_failed(s));
    return s;
}

static sdc_decode_scan *scan(const unsigned char *text, size_t n, size_t step)
{
    return scan_as(text, n, step, false);
}

static sdc_decode_scan *scan_table(const unsigned char *text, size_t n, size_t step)
{
    return scan_as(text, n, step, true);
}

typedef struct encoded_case {
    const char *file;     /* under ENC */
    const char *source;   /* the artefact it encodes */
    const char *encoding; /* the encoding's name in findings */
    long line;            /* where the encoded text starts */
} encoded_case;

/* Lines counted from each file as make-encoded.py writes it. */
static const encoded_case cases[] = {
    {"b64_torch.json", "testdata/artefacts/models/torch_state_dict.pt", "base64", 3},
    {"b64_wrapped.eml", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "base64", 4},
    {"b64_pieces.R", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "base64", 2},
    {"b64_cells.csv", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "base64", 2},
    {"b64_numbered.txt", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "base64", 1},
    {"b64_records.json", "testdata/artefacts/data/people.csv", "base64", 1},
    {"hex_plain.txt", "testdata/artefacts/models/weights.npy", "hex", 2},
    {"hex_spaced.txt", "testdata/artefacts/models/weights.npy", "hex byte list", 1},
    {"hex_list.c", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "byte list", 2},
    {"hex_int.py", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "hex", 1},
    {"base32.txt", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "base32", 1},
    {"ascii85.txt", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "ascii85", 1},
    {"base85.txt", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "base85", 1},
    {"uuencoded.txt", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "uuencode", 2},
    {"quoted_printable.eml", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "quoted-printable",
     3},
    {"bytes_literal.py", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "escaped bytes", 1},
    {"byte_list.py", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "byte list", 1},
    {"as_raw.R", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "byte list", 1},
    {"octal_printf.sh", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "escaped bytes", 1},
    {"decimal_int.py", "testdata/artefacts/models/sklearn_logreg_p4.pkl", "decimal integer", 1},
};

static void assert_decodes(const encoded_case *c, size_t step)
{
    char path[256];
    snprintf(path, sizeof path, ENC "%s", c->file);
    blob text = slurp(path), want = slurp(c->source);
    size_t name_len = strlen(c->file);
    bool table = name_len > 4 && strcmp(c->file + name_len - 4, ".csv") == 0;
    sdc_decode_scan *s = table ? scan_table(text.p, text.n, step) : scan(text.p, text.n, step);
    cr_assert_eq(sdc_decode_count(s), 1, "%s (step %zu): %zu payloads", c->file, step,
                 sdc_decode_count(s));
    const sdc_payload *p = sdc_decode_at(s, 0);
    cr_assert_eq(p->kind, SDC_PAYLOAD_FILE, "%s", c->file);
    cr_assert_str_eq(p->encoding, c->encoding, "%s", c->file);
    cr_assert_eq(p->line, c->line, "%s: line %ld", c->file, p->line);
    cr_assert_eq(p->len, want.n, "%s: %zu bytes decoded, %zu encoded", c->file, p->len, want.n);
    cr_assert_eq(memcmp(p->data, want.p, want.n), 0, "%s: the bytes differ", c->file);
    cr_assert_not(p->cut);
    sdc_decode_free(s);
    free(text.p);
    free(want.p);
}

Test(decode, every_encoding_gives_back_the_bytes_python_encoded)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_decodes(&cases[i], 0);
}

Test(decode, the_split_of_the_stream_changes_nothing)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_decodes(&cases[i], 1);
        assert_decodes(&cases[i], 7);
        assert_decodes(&cases[i], 4093);
    }
}

/* Records written into code the ways the languages write a data set out
 * (make-records-in-code.py): each is read back to people.csv itself. */
Test(decode, records_in_code_are_read_back_to_the_very_csv)
{
    static const struct {
        const char *file, *encoding;
        long line;
    } code[] = {
        {"people_datalines.sas", "datalines", 6},
        {"people_dataex.do", "stata input", 4},
        {"people_dump.sql", "sql insert", 4},
        {"people_dput.R", "r data", 1},
        {"people_stringio.py", "csv text", 5}, /* the header opens the string on line 4 */
        {"people_oneline.py", "csv text", 3},  /* header and rows on one line */
        {"people_text.R", "csv text", 1},
        {"people_fenced.md", "csv text", 7}, /* ```csv on line 5, the header on 6 */
    };
    /* A list of dicts: the JSON family, asked for by pass.c in source code. */
    static const struct {
        const char *file;
        long line;
    } dicts[] = {{"people_dicts.py", 1}, {"people_pprint.py", 2}};
    blob want = slurp("testdata/artefacts/data/people.csv");
    for (size_t i = 0; i < sizeof code / sizeof *code; i++) {
        char path[256];
        snprintf(path, sizeof path, "testdata/artefacts/disguised/code/%s", code[i].file);
        blob text = slurp(path);
        for (size_t step = 0; step <= 13; step += 13) {
            sdc_decode_scan *s = scan(text.p, text.n, step);
            cr_assert_eq(sdc_decode_count(s), 1, "%s: %zu payloads", code[i].file,
                         sdc_decode_count(s));
            const sdc_payload *p = sdc_decode_at(s, 0);
            cr_assert_str_eq(p->encoding, code[i].encoding);
            cr_assert_eq(p->line, code[i].line, "%s: line %ld", code[i].file, p->line);
            cr_assert_eq(p->len, want.n, "%s: %zu bytes", code[i].file, p->len);
            cr_assert_eq(memcmp(p->data, want.p, want.n), 0, "%s: not people.csv", code[i].file);
            sdc_decode_free(s);
        }
        free(text.p);
    }
    for (size_t i = 0; i < sizeof dicts / sizeof *dicts; i++) {
        char path[256];
        snprintf(path, sizeof path, "testdata/artefacts/disguised/code/%s", dicts[i].file);
        blob text = slurp(path);
        for (size_t step = 0; step <= 13; step += 13) {
            sdc_decode_scan *s = sdc_decode_new();
            sdc_decode_code_records(s);
            for (size_t k = 0; k < text.n; k += step ? step : text.n)
                sdc_decode_feed(s, text.p + k, step && text.n - k > step ? step : text.n - k);
            sdc_decode_finish(s);
            const sdc_payload *p = NULL;
            for (size_t k = 0; k < sdc_decode_count(s); k++)
                if (strcmp(sdc_decode_at(s, k)->encoding, "list of records") == 0)
                    p = sdc_decode_at(s, k);
            cr_assert_not_null(p, "%s: no records", dicts[i].file);
            cr_expect_eq(p->line, dicts[i].line, "%s: line %ld", dicts[i].file, p->line);
            cr_assert_eq(p->len, want.n, "%s: %zu bytes", dicts[i].file, p->len);
            cr_assert_eq(memcmp(p->data, want.p, want.n), 0, "%s: not people.csv", dicts[i].file);
            sdc_decode_free(s);
        }
        free(text.p);
    }
    free(want.p);
    /* One dict, and a list of numbers, are not records. */
    static const char *const none[] = {"cfg = [{'seed': 1, 'model': 'glm'}]\n",
                                       "x = [1, 2, 3]\ny = [[1, 2], [3, 4]]\n"};
    for (size_t i = 0; i < 2; i++) {
        sdc_decode_scan *s = sdc_decode_new();
        sdc_decode_code_records(s);
        sdc_decode_feed(s, (const unsigned char *)none[i], strlen(none[i]));
        sdc_decode_finish(s);
        cr_expect_eq(sdc_decode_count(s), 0, "%s", none[i]);
        sdc_decode_free(s);
    }
}

/* A document scanned as pass.c scans a .txt or .log, in STEP pieces. */
static sdc_decode_scan *scan_document(const char *text, size_t n, size_t step)
{
    sdc_decode_scan *s = sdc_decode_new();
    sdc_decode_document_records(s);
    if (step == 0)
        step = n ? n : 1;
    for (size_t i = 0; i < n; i += step)
        sdc_decode_feed(s, (const unsigned char *)text + i, n - i < step ? n - i : step);
    sdc_decode_finish(s);
    return s;
}

/* The payload of ENCODING in S, or NULL. */
static const sdc_payload *payload_of(const sdc_decode_scan *s, const char *encoding)
{
    for (size_t k = 0; k < sdc_decode_count(s); k++)
        if (strcmp(sdc_decode_at(s, k)->encoding, encoding) == 0)
            return sdc_decode_at(s, k);
    return NULL;
}

/* Records printed as aligned text (make-aligned-records.py): pandas'
 * to_string() without its index is read back to people.csv itself, and
 * with it too (an unnamed column 0, 1, 2... is pandas' row index, left
 * out); both have a header, so they are tables of the document, found at
 * their header's line. The fixed-width file has no header (v1..v6),
 * incomes without decimals and every 17th from the 4th left blank, an
 * empty field where a whitespace split would have shifted the row: ten
 * rows and more of it are records. */
Test(decode, records_in_aligned_columns_are_read_back_as_a_table)
{
    blob want = slurp("testdata/artefacts/data/people.csv");
    blob log = slurp("testdata/artefacts/disguised/code/people_session.log");
    blob txt = slurp("testdata/artefacts/disguised/code/people_pandas.txt");
    blob fixed = slurp("testdata/artefacts/disguised/code/people_fixed.txt");
    for (size_t step = 0; step <= 13; step += 13) {
        sdc_decode_scan *s = scan_document((const char *)log.p, log.n, step);
        const sdc_payload *p = payload_of(s, "table");
        cr_assert_not_null(p);
        cr_expect_eq(p->line, 3); /* the header on line 3, under the two prompts */
        cr_expect_eq(p->table_no, 1);
        cr_assert_eq(p->len, want.n, "%zu bytes", p->len);
        cr_assert_eq(memcmp(p->data, want.p, want.n), 0, "not people.csv");
        sdc_decode_free(s);

        s = scan_document((const char *)txt.p, txt.n, step);
        p = payload_of(s, "table");
        cr_assert_not_null(p);
        cr_expect_eq(p->line, 1);
        cr_assert_eq(p->len, want.n, "%zu bytes, not %zu", p->len, want.n);
        cr_assert_eq(memcmp(p->data, want.p, want.n), 0, "not people.csv without its index");
        sdc_decode_free(s);

        s = scan_document((const char *)fixed.p, fixed.n, step);
        p = payload_of(s, "aligned rows");
        cr_assert_not_null(p);
        cr_expect_eq(p->line, 1);
        size_t lines = 0, blank_income = 0;
        for (size_t i = 0; i < p->len; i++)
            if (p->data[i] == '\n') {
                lines++;
                blank_income += i > 0 && p->data[i - 1] == ',';
            }
        cr_assert_eq(lines, 201); /* v1..v6, then the 200 people */
        static const char head[] = "v1,v2,v3,v4,v5,v6\n100001,M,24,North East,";
        cr_assert_eq(strncmp((const char *)p->data, head, strlen(head)), 0);
        cr_assert_eq(blank_income, 12); /* i % 17 == 3 for i < 200: 3, 20, ... 190 */
        sdc_decode_free(s);
    }
    free(want.p);
    free(log.p);
    free(txt.p);
    free(fixed.p);
    /* Not records: a sentence again and again, a few aligned lines (under
     * a header they are a table of the document, not records), and
     * aligned text in code (only documents are asked). */
    char *again = malloc(200 * 31 + 1);
    for (int i = 0; i < 200; i++)
        memcpy(again + 31 * i, "Counts were rounded to base 5.\n", 31);
    again[200 * 31] = '\0';
    const char few[] = "year  count\n2020     120\n2021     135\n2022     150\n";
    const char *const none[] = {again, few};
    for (size_t i = 0; i < 2; i++) {
        sdc_decode_scan *s = scan_document(none[i], strlen(none[i]), 0);
        cr_expect_null(payload_of(s, "aligned rows"), "case %zu", i);
        if (i == 1) {
            const sdc_payload *t = payload_of(s, "table");
            cr_assert_not_null(t);
            static const char csv[] = "year,count\n2020,120\n2021,135\n2022,150\n";
            cr_expect_eq(t->len, strlen(csv));
            cr_expect_eq(memcmp(t->data, csv, strlen(csv)), 0);
        }
        sdc_decode_free(s);
    }
    free(again);
    blob code = slurp("testdata/artefacts/disguised/code/people_pandas.txt");
    sdc_decode_scan *s = scan((const unsigned char *)code.p, code.n, 0);
    cr_expect_null(payload_of(s, "aligned rows"));
    sdc_decode_free(s);
    free(code.p);
}

Test(decode, a_lookup_in_code_is_a_small_table_and_one_row_is_none)
{
    static const char r[] = "regions <- data.frame(code = c(1, 2), name = c(\"North, East\", "
                            "'London'), stringsAsFactors = FALSE)\n";
    sdc_decode_scan *s = scan((const unsigned char *)r, strlen(r), 0);
    cr_assert_eq(sdc_decode_count(s), 1);
    const sdc_payload *p = sdc_decode_at(s, 0);
    static const char csv[] = "code,name\n1,\"North, East\"\n2,London\n";
    cr_assert_eq(p->len, strlen(csv));
    cr_assert_eq(memcmp(p->data, csv, strlen(csv)), 0, "%.*s", (int)p->len, p->data);
    sdc_decode_free(s);
    /* One row is a setting, not a data set. */
    static const char sql[] = "INSERT INTO settings (key, value) VALUES ('seed', 42);\n"
                              "SELECT * FROM t;\n";
    s = scan((const unsigned char *)sql, strlen(sql), 0);
    cr_assert_eq(sdc_decode_count(s), 0);
    sdc_decode_free(s);
}

/* CSV text needs rows of one width, each with a number, three at least;
 * a list going on over lines (each ends in a comma) and code are not rows. */
Test(decode, csv_text_needs_three_rows_of_one_width_and_code_is_not_csv)
{
    static const char two[] = "s = \"\"\"area,count\nNorth East,12\nSouth West,13\n\"\"\"\n";
    sdc_decode_scan *s = scan((const unsigned char *)two, strlen(two), 0);
    cr_expect_eq(sdc_decode_count(s), 0, "two rows are not a data set");
    sdc_decode_free(s);
    static const char three[] =
        "s = '''area,count\nNorth East,12\nSouth West,13\nLondon,14'''\nprint(s)\n";
    s = scan((const unsigned char *)three, strlen(three), 0);
    cr_assert_eq(sdc_decode_count(s), 1);
    static const char csv[] = "area,count\nNorth East,12\nSouth West,13\nLondon,14\n";
    cr_expect_eq(sdc_decode_at(s, 0)->len, strlen(csv));
    cr_expect_eq(memcmp(sdc_decode_at(s, 0)->data, csv, strlen(csv)), 0);
    cr_expect_eq(sdc_decode_at(s, 0)->line, 2);
    sdc_decode_free(s);
    static const char code[] = "BANDS = [\n  0, 16, 25,\n  35, 45, 55,\n  65, 75, 85,\n]\n"
                               "from m import a, b\nx, y = 1, 2\nf(1, 2)\nf(3, 4)\nf(5, 6)\n"
                               "# n, 1\n# n, 2\n# n, 3\n# n, 4\n";
    s = scan((const unsigned char *)code, strlen(code), 0);
    cr_expect_eq(sdc_decode_count(s), 0);
    sdc_decode_free(s);
    /* A width that changes ends one block and starts the next. */
    static const char widths[] = "area,count\nNorth East,12\nSouth West,13\nLondon,14\n"
                                 "area,sex,count\nNorth East,F,12\nSouth West,M,13\nLondon,F,14\n";
    s = scan((const unsigned char *)widths, strlen(widths), 0);
    cr_expect_eq(sdc_decode_count(s), 2);
    sdc_decode_free(s);
}

Test(decode, url_safe_base64_without_padding_starts_after_the_key)
{
    blob text = slurp(ENC "b64url_pickle.log");
    blob want = slurp("testdata/artefacts/models/sklearn_logreg_p4.pkl");
    sdc_decode_scan *s = scan(text.p, text.n, 0);
    cr_assert_eq(sdc_decode_count(s), 1);
    const sdc_payload *p = sdc_decode_at(s, 0);
    cr_assert_str_eq(p->what.format, "pickle");
    cr_assert_eq(p->line, 1);
    /* The next log line's date, also base64 letters, follows a line end
     * and is read on: the pickle comes first, whole. */
    cr_assert_geq(p->len, want.n);
    cr_assert_eq(memcmp(p->data, want.p, want.n), 0);
    sdc_decode_free(s);
    free(text.p);
    free(want.p);
}

Test(decode, a_png_in_a_data_uri_is_kept_whole_with_what_follows_its_end)
{
    blob text = slurp(ENC "datauri_png.html");
    blob png = slurp("testdata/benign/chart.png");
    blob pkl = slurp("testdata/artefacts/models/sklearn_logreg_p4.pkl");
    sdc_decode_scan *s = scan(text.p, text.n, 0);
    cr_assert_eq(sdc_decode_count(s), 1);
    const sdc_payload *p = sdc_decode_at(s, 0);
    cr_assert_eq(p->what.file_class, SDC_CLASS_IMAGE);
    cr_assert_eq(p->len, png.n + pkl.n, "the image and the pickle after it");
    cr_assert_eq(memcmp(p->data, png.p, png.n), 0);
    cr_assert_eq(memcmp(p->data + png.n, pkl.p, pkl.n), 0);
    sdc_decode_free(s);
    free(text.p);
    free(png.p);
    free(pkl.p);
}

/* Z85 (ZeroMQ RFC 32): four bytes big-endian, five digits, most
 * significant first. */
static void z85(const unsigned char *in, size_t n, char *out)
{
    static const char a[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            ".-:+=^!/*?&<>()[]{}@%$#";
    size_t o = 0;
    for (size_t i = 0; i + 4 <= n; i += 4) {
        unsigned long v = (unsigned long)in[i] << 24 | (unsigned long)in[i + 1] << 16 |
                          (unsigned long)in[i + 2] << 8 | in[i + 3];
        for (int d = 4; d >= 0; d--) {
            out[o + (size_t)d] = a[v % 85];
            v /= 85;
        }
        o += 5;
    }
    out[o] = '\0';
}

Test(decode, z85_is_read_in_its_own_alphabet)
{
    /* The specification's example: 86 4F D2 6F B5 59 F7 5B is HelloWorld. */
    static const unsigned char hello[] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
    char out[4096];
    z85(hello, sizeof hello, out);
    cr_assert_str_eq(out, "HelloWorld");
    blob pkl = slurp("testdata/artefacts/models/sklearn_logreg_p4.pkl");
    size_t n = pkl.n / 4 * 4; /* Z85 takes whole groups; the head decides */
    char text[4200] = "key = ";
    z85(pkl.p, n, text + strlen(text));
    strcat(text, "\n");
    sdc_decode_scan *s = scan((const unsigned char *)text, strlen(text), 0);
    cr_assert_eq(sdc_decode_count(s), 1);
    const sdc_payload *p = sdc_decode_at(s, 0);
    cr_assert_str_eq(p->encoding, "z85");
    cr_assert_str_eq(p->what.format, "pickle");
    cr_assert_eq(p->len, n);
    cr_assert_eq(memcmp(p->data, pkl.p, n), 0);
    sdc_decode_free(s);
    free(pkl.p);
}

/* Text that looks like an encoding but is not one: no payload at all. */
Test(decode, prose_numbers_hashes_and_code_are_not_payloads)
{
    static const char *const traps[] = {
        /* prose, long words */
        "The antidisestablishmentarianism of the counterrevolutionaries was "
        "incomprehensibilities\nwrapped in uncharacteristically long words.\n",
        /* hashes, one per line, and a git commit list */
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.csv\n"
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  b.csv\n"
        "commit 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12\n",
        /* minified JavaScript */
        "function a(b,c){return b.map(function(d){return d*c})}var e=a([1,2,3],2);"
        "document.getElementById('chart').innerHTML=e.join(',');\n",
        /* a quoted-printable letter: text is what the encoding holds */
        "Caf=C3=A9 r=C3=A9sum=C3=A9 na=C3=AFve =E2=80=94 the tables are attached, with "
        "counts=\nrounded to base 5 =E2=80=94 Jos=C3=A9, M=C3=BCnchen, =C2=ABMonday=C2=BB\n",
        /* a long decimal number that is not a file */
        "pi = 31415926535897932384626433832795028841971693993751058209749445923078164062862"
        "0899862803482534211706798214808651328230664709384460955058223172535940812848111745\n",
        /* a UUID list and base64-looking identifiers */
        "id: 123e4567-e89b-12d3-a456-426614174000\nid: 00112233-4455-6677-8899-aabbccddeeff\n"
        "token_name = ThisIsAVeryLongCamelCaseIdentifierName\n",
    };
    for (size_t i = 0; i < sizeof traps / sizeof *traps; i++) {
        sdc_decode_scan *s = scan((const unsigned char *)traps[i], strlen(traps[i]), 0);
        cr_assert_eq(sdc_decode_count(s), 0, "trap %zu: %s (%s)", i,
                     sdc_decode_count(s) ? sdc_decode_at(s, 0)->encoding : "",
                     sdc_decode_count(s) && sdc_decode_at(s, 0)->what.format
                         ? sdc_decode_at(s, 0)->what.format
                         : "");
        sdc_decode_free(s);
    }
    /* A numeric CSV file, scanned as a table is: no encoding. (In a
     * document the same text is CSV text: csv_text_needs_three_rows...) */
    static const char csv[] =
        "year,region,count\n2019,1,120\n2020,1,135\n2021,2,140\n2022,2,150\n2023,3,160\n";
    sdc_decode_scan *s = scan_table((const unsigned char *)csv, strlen(csv), 0);
    cr_assert_eq(sdc_decode_count(s), 0);
    sdc_decode_free(s);
}

/* 600 bytes of a fixed pseudo-random stream, base64, between BEFORE and
 * AFTER. */
static size_t random_b64(char *text, size_t size, const char *before, const char *after,
                         unsigned char *raw, size_t nraw)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned x = 12345;
    for (size_t i = 0; i < nraw; i++) {
        x = x * 1103515245u + 12345u;
        raw[i] = (unsigned char)(x >> 16);
    }
    size_t o = (size_t)snprintf(text, size, "%s", before);
    for (size_t i = 0; i + 3 <= nraw; i += 3) {
        unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
        for (int k = 18; k >= 0; k -= 6)
            text[o++] = a[v >> k & 63];
    }
    o += (size_t)snprintf(text + o, size - o, "%s", after);
    return o;
}

Test(decode, random_base64_is_unexplained_and_dense_whatever_surrounds_it)
{
    /* Short words, a key or a MIME header next to a blob must not make it
     * "assembled" prose and hide it. */
    static const char *const around[][2] = {
        {"blob: ", "\n"},
        {"key abcdefgh, data: ", ", trailer abcdefghij\n"},
        {"aaaaaaaa, bbbbbbbb, cccccccc, dddddddd, eeeeeeee, ffffffff, gggggggg, hhhhhhhh, "
         "iiiiiiii, jjjjjjjj, kkkkkkkk, llllllll, mmmmmmmm, nnnnnnnn, oooooooo, pppppppp, "
         "qqqqqqqq, rrrrrrrr: ",
         "\n"},
        {"Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n", "\n"},
    };
    for (size_t i = 0; i < sizeof around / sizeof *around; i++) {
        unsigned char raw[600];
        char text[2048];
        size_t n = random_b64(text, sizeof text, around[i][0], around[i][1], raw, sizeof raw);
        sdc_decode_scan *s = scan((const unsigned char *)text, n, 0);
        const sdc_payload *found = NULL;
        for (size_t k = 0; k < sdc_decode_count(s); k++)
            if (sdc_decode_at(s, k)->kind == SDC_PAYLOAD_UNEXPLAINED)
                found = sdc_decode_at(s, k);
        cr_assert_not_null(found, "context %zu: the blob is not reported", i);
        cr_assert_geq(found->decoded, sizeof raw, "context %zu", i);
        cr_assert_gt(found->entropy, 7.2, "context %zu: %.2f bits per byte", i, found->entropy);
        sdc_decode_free(s);
    }
}

Test(decode, a_font_in_a_style_sheet_is_known_not_random)
{
    /* A WOFF2 header (W3C WOFF 2.0, 5.1) and compressed-looking bytes. */
    unsigned char raw[600];
    char text[2048], before[128];
    random_b64(text, sizeof text, "", "", raw, sizeof raw);
    memcpy(raw, "wOF2\0\1\0\0", 8);
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    snprintf(before, sizeof before, "@font-face{src:url(data:font/woff2;base64,");
    size_t o = (size_t)snprintf(text, sizeof text, "%s", before);
    for (size_t i = 0; i + 3 <= sizeof raw; i += 3) {
        unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
        for (int k = 18; k >= 0; k -= 6)
            text[o++] = a[v >> k & 63];
    }
    o += (size_t)snprintf(text + o, sizeof text - o, ") format(\"woff2\")}\n");
    sdc_decode_scan *s = scan((const unsigned char *)text, o, 0);
    cr_assert_eq(sdc_decode_count(s), 1);
    const sdc_payload *p = sdc_decode_at(s, 0);
    cr_assert_eq(p->kind, SDC_PAYLOAD_FILE, "a font is walked (and reviewed), not a random blob");
    cr_assert_str_eq(p->what.format, "font-woff2");
    sdc_decode_free(s);
}

/* End to end: the encoded artefacts fail, each for what it carries. */
static sdc_file_result check_file(sdc_checker *c, const char *path)
{
    blob b = slurp(path);
    sdc_file_result r;
    cr_assert_eq(sdc_check_buffer(c, path, b.p, b.n, &r), 0);
    free(b.p);
    return r;
}

Test(decode, decoded_files_are_walked_as_members)
{
    sdc_policy *policy = sdc_policy_default();
    sdc_checker *c = sdc_checker_new(policy, NULL);
    struct {
        const char *file, *rule, *word;
    } want[] = {
        /* the zip opened and its data.pkl named */
        {ENC "b64_torch.json", "model-file", "data.pkl"},
        /* the PNG walked: the pickle after its IEND */
        {ENC "datauri_png.html", "appended-data", "IEND"},
        /* the CSV read as a table: the microdata rule */
        {ENC "b64_records.json", "microdata", "person_id"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        sdc_file_result r = check_file(c, want[i].file);
        cr_assert_eq(r.verdict, SDC_FAIL, "%s", want[i].file);
        const sdc_finding *f = find_rule(&r.findings, want[i].rule);
        cr_assert_not_null(f, "%s: no %s finding", want[i].file, want[i].rule);
        cr_assert(strstr(f->message, want[i].word), "%s: %s", want[i].file, f->message);
        cr_assert(strstr(f->message, "base64:line"), "%s: the member is named: %s", want[i].file,
                  f->message);
        sdc_file_result_free(&r);
    }
    sdc_file_result r = check_file(c, "testdata/benign/encoded/chart_datauri.html");
    cr_assert_eq(r.verdict, SDC_REVIEW, "a chart in a data URI is read, not failed");
    cr_assert_eq(count_rule(&r.findings, "embedded-blob"), 0);
    cr_assert_eq(count_rule(&r.findings, "appended-data"), 0);
    sdc_file_result_free(&r);
    sdc_checker_free(c);
    sdc_policy_free(policy);
}

/* Files inside other bytes (make-streams.py): found at their offset, the
 * bytes from there on kept, whatever the split of the stream. */
Test(decode, a_file_inside_a_binary_or_a_text_is_carved_at_its_offset)
{
    blob pkl = slurp("testdata/artefacts/models/sklearn_logreg_p4.pkl");
    static const struct {
        const char *file;
        bool binary;
        unsigned long long offset;
    } files[] = {
        {"padded_pickle.bin", true, 1000},
        {"header_pickle.bin", true, 9},
        {"blank_then_pickle.txt", false, 5001},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[256];
        snprintf(path, sizeof path, "testdata/artefacts/disguised/streams/%s", files[i].file);
        blob text = slurp(path);
        for (size_t step = 1; step <= 4096; step = step * 64 + 3) {
            sdc_decode_scan *s = files[i].binary ? sdc_decode_new_binary() : sdc_decode_new();
            for (size_t k = 0; k < text.n; k += step)
                sdc_decode_feed(s, text.p + k, text.n - k < step ? text.n - k : step);
            sdc_decode_finish(s);
            cr_assert_eq(sdc_decode_count(s), 1, "%s step %zu", files[i].file, step);
            const sdc_payload *p = sdc_decode_at(s, 0);
            cr_assert(p->carved);
            cr_assert_eq(p->offset, files[i].offset, "%s: at %llu", files[i].file, p->offset);
            cr_assert_eq(p->len, pkl.n);
            cr_assert_eq(memcmp(p->data, pkl.p, pkl.n), 0);
            sdc_decode_free(s);
        }
        free(text.p);
    }
    free(pkl.p);
}

Test(decode, text_signatures_are_not_looked_for_in_text_and_noise_holds_no_file)
{
    /* "%PDF-" in a note is words, not a PDF. */
    static const char note[] = "The report is attached as %PDF-1.4 (see appendix).\n";
    sdc_decode_scan *s = scan((const unsigned char *)note, strlen(note), 0);
    cr_assert_eq(sdc_decode_count(s), 0);
    sdc_decode_free(s);
    /* 64 KiB of a fixed pseudo-random stream: PROTO-like pairs occur, no
     * pickle follows them. */
    unsigned char *noise = malloc(65536);
    unsigned x = 7;
    for (size_t i = 0; i < 65536; i++) {
        x = x * 1103515245u + 12345u;
        noise[i] = (unsigned char)(x >> 16);
    }
    s = sdc_decode_new_binary();
    sdc_decode_feed(s, noise, 65536);
    sdc_decode_finish(s);
    cr_assert_eq(sdc_decode_count(s), 0);
    sdc_decode_free(s);
    free(noise);
}

/* Compressed streams with no signature (make-streams.py: zlib's raw
 * deflate, python3-brotli): decompressed back to the pickle. */
Test(decode, raw_deflate_and_brotli_in_a_binary_are_decompressed)
{
    blob pkl = slurp("testdata/artefacts/models/sklearn_logreg_p4.pkl");
    static const char *const files[][2] = {{"model.deflate", "raw deflate"},
                                           {"model.br", "brotli"}};
    for (size_t i = 0; i < 2; i++) {
        char path[256];
        snprintf(path, sizeof path, "testdata/artefacts/disguised/streams/%s", files[i][0]);
        blob b = slurp(path);
        for (size_t step = 1; step <= b.n; step += b.n - 1) {
            sdc_decode_scan *s = sdc_decode_new_binary();
            for (size_t k = 0; k < b.n; k += step)
                sdc_decode_feed(s, b.p + k, b.n - k < step ? b.n - k : step);
            sdc_decode_finish(s);
            cr_assert_eq(sdc_decode_count(s), 1, "%s", files[i][0]);
            const sdc_payload *p = sdc_decode_at(s, 0);
            cr_assert_str_eq(p->encoding, files[i][1]);
            cr_assert_eq(p->len, pkl.n);
            cr_assert_eq(memcmp(p->data, pkl.p, pkl.n), 0);
            sdc_decode_free(s);
        }
        free(b.p);
    }
    free(pkl.p);
}

/* Records as JSON (make-records-in-code.py: json.dump of people.csv's
 * rows, the same under "data", JSON Lines): read back to the very CSV. */
Test(decode, json_records_are_read_back_to_the_very_csv)
{
    blob want = slurp("testdata/artefacts/data/people.csv");
    static const struct {
        const char *file;
        bool lines;
    } files[] = {{"people.json", false}, {"people_table.json", false}, {"people.jsonl", true}};
    for (size_t i = 0; i < 3; i++) {
        char path[256];
        snprintf(path, sizeof path, "testdata/artefacts/disguised/code/%s", files[i].file);
        blob text = slurp(path);
        sdc_decode_scan *s = sdc_decode_new();
        sdc_decode_json_records(s, files[i].lines);
        for (size_t k = 0; k < text.n; k += 1000)
            sdc_decode_feed(s, text.p + k, text.n - k < 1000 ? text.n - k : 1000);
        sdc_decode_finish(s);
        const sdc_payload *p = NULL;
        for (size_t k = 0; k < sdc_decode_count(s); k++)
            if (strcmp(sdc_decode_at(s, k)->encoding, "json records") == 0)
                p = sdc_decode_at(s, k);
        cr_assert_not_null(p, "%s: no records", files[i].file);
        cr_assert_eq(p->len, want.n, "%s: %zu bytes", files[i].file, p->len);
        cr_assert_eq(memcmp(p->data, want.p, want.n), 0, "%s: not people.csv", files[i].file);
        sdc_decode_free(s);
        free(text.p);
    }
    free(want.p);
    /* A metrics object with one array of one object: no records. */
    static const char one[] = "{\"accuracy\": 0.9, \"runs\": [{\"seed\": 1, \"loss\": 0.2}]}";
    sdc_decode_scan *s = sdc_decode_new();
    sdc_decode_json_records(s, false);
    sdc_decode_feed(s, (const unsigned char *)one, strlen(one));
    sdc_decode_finish(s);
    cr_assert_eq(sdc_decode_count(s), 0);
    sdc_decode_free(s);
}

/* Records as XML (make-records-in-code.py: pandas' to_xml of people.csv,
 * a child element per field and an attribute per field): read back to the
 * very CSV, from the line of the first record. */
Test(decode, xml_records_are_read_back_to_the_very_csv)
{
    blob want = slurp("testdata/artefacts/data/people.csv");
    static const char *const files[] = {"people.xml", "people_attrs.xml"};
    for (size_t i = 0; i < 2; i++) {
        char path[256];
        snprintf(path, sizeof path, "testdata/artefacts/disguised/code/%s", files[i]);
        blob text = slurp(path);
        for (size_t step = 7; step <= 4096; step *= 8) {
            sdc_decode_scan *s = sdc_decode_new();
            sdc_decode_xml_records(s);
            for (size_t k = 0; k < text.n; k += step)
                sdc_decode_feed(s, text.p + k, text.n - k < step ? text.n - k : step);
            sdc_decode_finish(s);
            const sdc_payload *p = NULL;
            for (size_t k = 0; k < sdc_decode_count(s); k++)
                if (strcmp(sdc_decode_at(s, k)->encoding, "xml records") == 0)
                    p = sdc_decode_at(s, k);
            cr_assert_not_null(p, "%s: no records", files[i]);
            cr_expect_eq(p->line, 3, "%s: line %ld", files[i], p->line);
            cr_assert_eq(p->len, want.n, "%s: %zu bytes", files[i], p->len);
            cr_assert_eq(memcmp(p->data, want.p, want.n), 0, "%s: not people.csv", files[i]);
            sdc_decode_free(s);
        }
        free(text.p);
    }
    free(want.p);
    /* Settings, a single record, nested elements: no records. */
    static const char *const none[] = {
        "<settings><seed>42</seed><model>m</model></settings>",
        "<data><row a=\"1\" b=\"2\"/></data>",
        "<doc><p><r><t>Hello</t></r></p><p><r><t>World</t></r></p></doc>",
    };
    for (size_t i = 0; i < 3; i++) {
        sdc_decode_scan *s = sdc_decode_new();
        sdc_decode_xml_records(s);
        sdc_decode_feed(s, (const unsigned char *)none[i], strlen(none[i]));
        sdc_decode_finish(s);
        cr_expect_eq(sdc_decode_count(s), 0, "%s", none[i]);
        sdc_decode_free(s);
    }
}

/* CSV text in code whose fields are quoted as RFC 4180 quotes them: the
 * commas inside quotes stay in their field, and the table written back
 * quotes them again, so it is the very text that was in the string. */
Test(decode, csv_text_with_quoted_commas_is_read_back_field_by_field)
{
    const char *want = "name,age,income\n"
                       "\"Smith, John\",34,21000\n"
                       "\"Jones, Amy\",45,30500\n"
                       "Brown,29,18000\n";
    char code[512];
    snprintf(code, sizeof code,
             "import io\ndata = \"\"\"%s\"\"\"\ndf = pd.read_csv(io.StringIO(data))\n", want);
    for (size_t step = 0; step <= 7; step += 7) {
        sdc_decode_scan *s = scan((const unsigned char *)code, strlen(code), step);
        const sdc_payload *p = payload_of(s, "csv text");
        cr_assert_not_null(p);
        cr_assert_eq(p->len, strlen(want), "%zu bytes: %.*s", p->len, (int)p->len, p->data);
        cr_assert_eq(memcmp(p->data, want, p->len), 0, "%.*s", (int)p->len, p->data);
        sdc_decode_free(s);
    }
}

/* An aligned block longer than SDC_DECODE_KEEP is read up to it, whole
 * lines only, and the table says it is cut (a cut table is never a pass). */
Test(decode, an_aligned_block_past_the_keep_limit_is_cut_not_dropped)
{
    size_t rows = (SDC_DECODE_KEEP / 20) + 50000, len = 0;
    char *text = malloc(rows * 24 + 64);
    len += (size_t)sprintf(text, "person    age  income\n");
    for (size_t i = 0; i < rows; i++)
        len += (size_t)sprintf(text + len, "%8zu %4zu %7zu\n", 100000 + i, 18 + i % 70,
                               20000 + i % 9000);
    sdc_decode_scan *s = scan_document(text, len, 1 << 16);
    const sdc_payload *p = payload_of(s, "table");
    cr_assert_not_null(p);
    cr_assert(p->cut);
    cr_assert_leq(p->len, SDC_DECODE_KEEP);
    static const char head[] = "person,age,income\n100000,18,20000\n";
    cr_assert_eq(strncmp((const char *)p->data, head, strlen(head)), 0);
    cr_assert_eq(p->data[p->len - 1], '\n'); /* whole rows */
    sdc_decode_free(s);
    free(text);
}

/* --- tables in documents (decode_tables.c) --- */

/* The CSV of the table numbered NO in S, or NULL. */
static const sdc_payload *table_of(const sdc_decode_scan *s, unsigned no)
{
    for (size_t k = 0; k < sdc_decode_count(s); k++)
        if (sdc_decode_at(s, k)->table_no == no)
            return sdc_decode_at(s, k);
    return NULL;
}

static void expect_table(const char *doc, unsigned no, long line, const char *csv)
{
    for (size_t step = 0; step <= 7; step += 7) {
        sdc_decode_scan *s = scan_document(doc, strlen(doc), step);
        const sdc_payload *p = table_of(s, no);
        cr_assert_not_null(p, "no table %u (step %zu) in:\n%s", no, step, doc);
        cr_expect_eq(p->line, line, "table %u at line %ld, not %ld", no, p->line, line);
        cr_expect(p->len == strlen(csv) && memcmp(p->data, csv, p->len) == 0,
                  "table %u read as:\n%.*s\nnot:\n%s", no, (int)p->len, p->data, csv);
        sdc_decode_free(s);
    }
}

/* GFM 0.29, 4.10: a header row, a delimiter row with alignment colons,
 * escaped bars inside cells, emphasis around a cell; the table ends at a
 * line without a bar. */
Test(decode, a_markdown_pipe_table_is_read_into_csv)
{
    expect_table("# Counts\n\n| region | n |\n|:--|--:|\n| North \\| East | 12 |\n"
                 "| **Total** | 40 |\nNote: rounded.\n",
                 1, 3, "region,n\nNorth | East,12\nTotal,40\n");
    /* no delimiter row: not a pipe table (an ASCII box, read as aligned
     * rows when boxed rows follow) */
    sdc_decode_scan *s = scan_document("| a | b |\n| c | d |\n", 20, 0);
    cr_expect_null(table_of(s, 1));
    sdc_decode_free(s);
}

/* A booktabs tabular with a spanning header (\multicolumn written in each
 * column it spans), escaped characters, a thin space in a number and a
 * comment; rules and \addlinespace are not rows. */
Test(decode, a_latex_tabular_is_read_into_csv)
{
    expect_table("\\begin{table}\n\\caption{Table 1}\n\\begin{tabular}{l rr}\n\\toprule\n"
                 " & \\multicolumn{2}{c}{2020} \\\\\n\\cmidrule(lr){2-3}\n"
                 "region & F & M \\\\\n\\midrule\nNorth \\& East & 1\\,234 & 12\\% \\\\ % note\n"
                 "\\addlinespace\n\\textbf{Total} & 2\\,000 & 40 \\\\\n\\bottomrule\n"
                 "\\end{tabular}\n\\end{table}\n",
                 1, 3, ",2020,2020\nregion,F,M\nNorth & East,1234,12%\nTotal,2000,40\n");
}

/* pandas' to_html with a multi-level header (colspan) and a row label
 * spanning two rows (rowspan); &nbsp; and line breaks in cells are white
 * space; two tables are numbered in order. */
Test(decode, html_tables_are_read_into_csv_with_their_spans)
{
    const char *doc = "<p>Title</p>\n<table border=\"1\">\n<thead><tr><th></th>"
                      "<th colspan=\"2\">2020</th></tr>\n<tr><th>region</th><th>F</th><th>M</th>"
                      "</tr></thead>\n<tbody><tr><th rowspan=\"2\">North&nbsp;East</th><td>12</td>"
                      "<td>\n 15</td></tr>\n<tr><td>13</td><td>16</td></tr></tbody></table>\n"
                      "<TABLE><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></TABLE>\n";
    expect_table(doc, 1, 2, ",2020,2020\nregion,F,M\nNorth East,12,15\nNorth East,13,16\n");
    expect_table(doc, 2, 8, "a,1\nb,2\n");
}

/* Stata's two-way tabulate: the row label before the first rule is one
 * field with its blank ("North East"), the rules are no rows, the Total
 * row and column are kept; R's print of a table with "North East". */
Test(decode, boxed_and_printed_tables_keep_labels_with_blanks)
{
    expect_table(". tabulate region sex\n\n           |          sex\n"
                 "    region |         F          M |     Total\n"
                 "-----------+----------------------+----------\n"
                 "North East |        15         25 |        40\n"
                 "      West |        35         25 |        60\n"
                 "-----------+----------------------+----------\n"
                 "     Total |        50         50 |       100\n",
                 1, 4, "region,F,M,Total\nNorth East,15,25,40\nWest,35,25,60\nTotal,50,50,100\n");
    expect_table("            sex\nregion        F  M\n  North       3 40\n  North East 12 13\n", 1,
                 2, "region,F,M\nNorth,3,40\nNorth East,12,13\n");
}

/* FORM with its one "%s" replaced by WHAT, into OUT. */
static void fill_in(char *out, size_t size, const char *form, const char *what)
{
    const char *at = strstr(form, "%s");
    if (!at) {
        snprintf(out, size, "%s", form);
        return;
    }
    snprintf(out, size, "%.*s%s%s", (int)(at - form), form, what, at + 2);
}

/* A document of tables alone (headings, titles, notes, a log's framing
 * and echoed commands aside) is judged by its tables; prose, a statistic
 * in a sentence, or a table of words alone leave it to a person. */
Test(decode, a_document_of_tables_alone_is_known_as_such)
{
    static const char table[] = "| region | n |\n|---|---|\n| North | 12 |\n| South | 40 |\n";
    static const char *const alone[] = {
        "# Table 2: respondents by region, 2023\n\n%s\nSource: Annual Population Survey 2023\n",
        "%s\nNote: counts are unweighted.\n[c] = confidential\n",
        "      name:  <unnamed>\n . tabulate region\n\n%s\n. log close\n",
        "\\begin{table}\n\\caption{Table 3}\n%s\\end{table}\n",
    };
    static const char *const prose[] = {
        "%s\nThe North had 12 respondents, fewer than the South.\n",
        "Response was lowest in the North, as the table shows. We think that\n%s",
        "%s\nMean income: 52,340\n",
        "| file | what |\n|---|---|\n| a.csv | counts by region |\n",
    };
    char doc[1024];
    for (size_t i = 0; i < sizeof alone / sizeof alone[0]; i++) {
        fill_in(doc, sizeof doc, alone[i], table);
        sdc_decode_scan *s = scan_document(doc, strlen(doc), 0);
        cr_expect(sdc_decode_tables_only(s), "not tables alone:\n%s", doc);
        sdc_decode_free(s);
    }
    for (size_t i = 0; i < sizeof prose / sizeof prose[0]; i++) {
        fill_in(doc, sizeof doc, prose[i], table);
        sdc_decode_scan *s = scan_document(doc, strlen(doc), 0);
        cr_expect(!sdc_decode_tables_only(s), "tables alone:\n%s", doc);
        sdc_decode_free(s);
    }
}

/* nbformat 4: an output's text is a string or a list of strings; a
 * stream's is under "text"; other MIME types (images) are not text. */
Test(decode, a_notebooks_outputs_are_read_as_text)
{
    static const char nb[] =
        "{\"cells\": [{\"cell_type\": \"markdown\", \"source\": [\"# x\"]},"
        " {\"cell_type\": \"code\", \"outputs\": ["
        "  {\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": [\"a  1\\n\", \"b  "
        "2\\n\"]},"
        "  {\"output_type\": \"execute_result\", \"data\": {\"image/png\": \"iVBOR\","
        "   \"text/html\": \"<table><tr><td>x</td></tr></table>\", \"text/plain\": [\"p\", \"q\"]}}"
        " ]}], \"nbformat\": 4}";
    sdc_nb_outputs o;
    cr_assert_eq(sdc_notebook_outputs((const unsigned char *)nb, strlen(nb), &o), 0);
    cr_assert(!o.error);
    cr_assert_eq(o.count, 3);
    cr_assert_eq(o.items[0].cell, 2);
    cr_assert_eq(o.items[0].output, 1);
    cr_assert_str_eq(o.items[0].text, "a  1\nb  2\n");
    cr_assert(o.items[1].html);
    cr_assert_eq(o.items[1].output, 2);
    cr_assert_str_eq(o.items[1].text, "<table><tr><td>x</td></tr></table>");
    cr_assert_str_eq(o.items[2].text, "pq");
    sdc_nb_outputs_free(&o);
    cr_assert_eq(sdc_notebook_outputs((const unsigned char *)"{\"cells\": [", 11, &o), 0);
    cr_assert(o.error, "not JSON to the end");
    sdc_nb_outputs_free(&o);
}

/* ECMA-376 17.4: w:gridSpan writes a cell in each column it spans, and
 * w:vMerge continues the cell above; a table in a cell is said. */
Test(decode, word_tables_are_read_with_spans_and_merges)
{
    static const char xml[] =
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:body><w:p><w:r><w:t>Title</w:t></w:r></w:p><w:tbl>"
        "<w:tr><w:tc><w:p/></w:tc><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>"
        "<w:p><w:r><w:t>2020</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>North</w:t>"
        "</w:r><w:r><w:t xml:space=\"preserve\"> East</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>15</w:t></w:r>"
        "</w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>13</w:t>"
        "</w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>16</w:t></w:r></w:p></w:tc></w:tr>"
        "</w:tbl><w:p/></w:body></w:document>";
    sdc_docx_tables t;
    cr_assert_eq(sdc_docx_tables_read((const unsigned char *)xml, strlen(xml), &t), 0);
    cr_assert_eq(t.count, 1);
    cr_assert_eq(t.items[0].paragraph, 2);
    static const char want[] = ",2020,2020\nNorth East,12,15\nNorth East,13,16\n";
    cr_assert_eq(t.items[0].len, strlen(want), "%.*s", (int)t.items[0].len, t.items[0].csv);
    cr_assert_eq(memcmp(t.items[0].csv, want, strlen(want)), 0, "%s", t.items[0].csv);
    sdc_docx_tables_free(&t);
}

/* Residual df stated by model printouts: R's summary.lm and summary.glm
 * (one or two blanks around the number), statsmodels, stargazer (its
 * Residual Std. Error and F Statistic lines), Stata's ANOVA row. */
Test(decode, model_printouts_state_their_residual_df)
{
    static const char doc[] =
        "Residual standard error: 0.1928 on 8 degrees of freedom\n"
        "    Null deviance: 13.460  on 9  degrees of freedom\n"
        "Residual deviance: 12.421  on 7  degrees of freedom\n"
        "Df Residuals:                       6   BIC:  -2.164\n"
        "Residual Std. Error      15.380 (df = 48)\n"
        "F Statistic           89.567*** (df = 1; 47)\n"
        "    Residual |  26862428.4         5  3837489.77   R-squared  =  0.5\n"
        "The residual standard error was small on most days.\n";
    sdc_decode_scan *s = scan_document(doc, strlen(doc), 0);
    size_t n = 0;
    const sdc_model_df *d = sdc_decode_model_dfs(s, &n);
    cr_assert_eq(n, 6);
    double want[] = {8, 7, 6, 48, 47, 5};
    long lines[] = {1, 3, 4, 5, 6, 7};
    for (size_t i = 0; i < 6; i++) {
        cr_expect_float_eq(d[i].df, want[i], 1e-9, "%zu: %g", i, d[i].df);
        cr_expect_eq(d[i].line, lines[i]);
    }
    sdc_decode_free(s);
}

/* R's print(summary(df)): a factor's levels and counts become a one-way
 * table, the numeric columns one table of their statistics, a character
 * column nothing. */
Test(decode, an_r_data_frame_summary_is_read_into_tables)
{
    static const char doc[] = "   region       sex                income     \n"
                              " East :12   Length:55          Min.   : 1200  \n"
                              " North: 3   Class :character   1st Qu.:21150  \n"
                              " South:40   Mode  :character   Median :41100  \n"
                              "                               Mean   :41100  \n"
                              "                               3rd Qu.:61050  \n"
                              "                               Max.   :81000  \n";
    expect_table(doc, 1, 1, "region,count\nEast,12\nNorth,3\nSouth,40\n");
    expect_table(doc, 2, 1,
                 "variable,Min.,1st Qu.,Median,Mean,3rd Qu.,Max.\n"
                 "income,1200,21150,41100,41100,61050,81000\n");
    sdc_decode_scan *s = scan_document(doc, strlen(doc), 0);
    cr_expect_null(table_of(s, 3), "the character column is no table");
    cr_expect(sdc_decode_tables_only(s));
    sdc_decode_free(s);
}
