#!/usr/bin/python3
"""make-pdf-filters.py - a model in a PDF stream under each of the PDF's
standard filters other than FlateDecode alone (doc/design.md, "PDF
attachments"), so that no filter hides it.

Each file is testdata/pdf/hidden-stream.pdf's layout (a one-page report
and a stream object nothing refers to) with models/sklearn_logreg_p4.pkl
encoded as ISO 32000-1, 7.4 describes the filter:

  filter-hex.pdf        /ASCIIHexDecode, 64 digits a line, ending ">"    (7.4.2)
  filter-a85.pdf        /ASCII85Decode, ending "~>"                     (7.4.3)
  filter-lzw.pdf        /LZWDecode, codes of 9 to 12 bits, EarlyChange 1  (7.4.4)
  filter-runlength.pdf  /RunLengthDecode                                (7.4.5)
  filter-chain.pdf      [/ASCII85Decode /FlateDecode], applied in turn  (7.4.1)
  filter-predictor.pdf  /FlateDecode with a PNG Up predictor, 20
                        columns (/DecodeParms, 7.4.4.4); the last row is
                        padded with zeros, as a predictor's rows must be full

  image-appended.pdf    a page drawing a JPEG (DCTDecode) whose stream
                        holds the pickle after the JPEG's end (EOI)
  image-clean.pdf       the same page and JPEG, nothing appended

All but image-clean.pdf must fail (model-file; the JPEG's appended
pickle as appended-data); image-clean.pdf is a PDF, read by a person.
The JPEG is drawn and encoded by Pillow (python3-pil). The encoders are
written here from the standard; when python3-pikepdf is installed, qpdf
(through pikepdf)
decodes every stream and the generator checks it gives the pickle back
(with the predictor's padding), so the encodings are the standard's and
not only this script's. Run from the repository root:

    /usr/bin/python3 testdata/make-pdf-filters.py
"""
import base64
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfbuild import pdf, stream  # noqa: E402

PKL = open("testdata/artefacts/models/sklearn_logreg_p4.pkl", "rb").read()
OUT = "testdata/pdf/"


def one_page(resources, content, *objects):
    """A one-page document: catalog, pages, the page with RESOURCES, its
    CONTENT stream, then OBJECTS (numbered from 5)."""
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << " + resources + b" >> >>",
        stream(b"", content),
    ] + list(objects))


def report(hidden):
    return one_page(b"/Font << /F1 5 0 R >>",
                    b"BT /F1 12 Tf 72 720 Td (Table 1: counts by region) Tj ET",
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", hidden)


def hex_encode(data):
    digits = data.hex().upper().encode()
    return b"\n".join(digits[i:i + 64] for i in range(0, len(digits), 64)) + b">"


def a85_encode(data):
    # Python's Adobe form is <~ ... ~>; a PDF stream has no "<~" (7.4.3).
    return base64.a85encode(data, wrapcol=72, adobe=True)[2:]


def lzw_encode(data):
    """7.4.4.2: a clear-table code first, codes from 9 bits, one bit more
    one code early (EarlyChange 1), EOD last."""
    bits, nbits = 0, 0
    out = bytearray()

    def emit(code, width):
        nonlocal bits, nbits
        bits = bits << width | code
        nbits += width
        while nbits >= 8:
            nbits -= 8
            out.append(bits >> nbits & 0xFF)

    table = {bytes([i]): i for i in range(256)}
    nxt, width = 258, 9
    emit(256, width)
    w = b""
    for c in data:
        wc = w + bytes([c])
        if wc in table:
            w = wc
            continue
        emit(table[w], width)
        table[wc] = nxt
        nxt += 1
        # the decoder adds this entry when it reads the next code, and
        # widens when its next code + 1 reaches 2^width
        if nxt + 1 > (1 << width) and width < 12:
            width += 1
        w = bytes([c])
    if w:
        emit(table[w], width)
        nxt += 1
        if nxt + 1 > (1 << width) and width < 12:
            width += 1
    emit(257, width)
    if nbits:
        out.append(bits << (8 - nbits) & 0xFF)
    return bytes(out)


def runlength_encode(data):
    """7.4.5: a length byte 0-127 copies the next length+1 bytes, 129-255
    repeats the next byte 257-length times, 128 ends."""
    out = bytearray()
    i = 0
    while i < len(data):
        run = 1
        while i + run < len(data) and run < 128 and data[i + run] == data[i]:
            run += 1
        if run >= 3:
            out += bytes([257 - run, data[i]])
            i += run
            continue
        j = i
        while j < len(data) and j - i < 128:
            if j + 2 < len(data) and data[j] == data[j + 1] == data[j + 2]:
                break
            j += 1
        out += bytes([j - i - 1]) + data[i:j]
        i = j
    return bytes(out + b"\x80")


COLUMNS = 20


def png_up(data):
    """PNG predictor 2 (Up) in every row, as /Predictor 12 says (7.4.4.4)."""
    data = data + bytes(-len(data) % COLUMNS)
    prev = bytes(COLUMNS)
    out = bytearray()
    for i in range(0, len(data), COLUMNS):
        row = data[i:i + COLUMNS]
        out += b"\x02" + bytes((a - b) & 0xFF for a, b in zip(row, prev))
        prev = row
    return bytes(out)


PADDED = PKL + bytes(-len(PKL) % COLUMNS)
FILES = [
    ("filter-hex.pdf", b"/Filter /ASCIIHexDecode", hex_encode(PKL), PKL),
    ("filter-a85.pdf", b"/Filter /ASCII85Decode", a85_encode(PKL), PKL),
    ("filter-lzw.pdf", b"/Filter /LZWDecode", lzw_encode(PKL), PKL),
    ("filter-runlength.pdf", b"/Filter /RunLengthDecode", runlength_encode(PKL), PKL),
    ("filter-chain.pdf", b"/Filter [/ASCII85Decode /FlateDecode]",
     a85_encode(zlib.compress(PKL)), PKL),
    ("filter-predictor.pdf",
     b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns %d >>" % COLUMNS,
     zlib.compress(png_up(PKL)), PADDED),
]

for name, dictionary, data, want in FILES:
    with open(OUT + name, "wb") as f:
        f.write(report(stream(dictionary, data)))


def jpeg():
    import io
    from PIL import Image, ImageDraw
    im = Image.new("RGB", (64, 48), "white")
    draw = ImageDraw.Draw(im)
    for i, h in enumerate((30, 18, 40, 25)):  # a bar chart
        draw.rectangle([6 + 14 * i, 46 - h, 16 + 14 * i, 46], fill=(40, 90, 160))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def picture_page(image):
    return one_page(b"/XObject << /Im1 5 0 R >>", b"q 128 0 0 96 72 600 cm /Im1 Do Q",
                    stream(b"/Type /XObject /Subtype /Image /Width 64 /Height 48 "
                           b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
                           image))


JPEG = jpeg()
assert JPEG.endswith(b"\xff\xd9")
for name, image in (("image-clean.pdf", JPEG), ("image-appended.pdf", JPEG + PKL)):
    with open(OUT + name, "wb") as f:
        f.write(picture_page(image))

try:
    import pikepdf
except ImportError:
    pikepdf = None
if pikepdf:
    for name, _, _, want in FILES:
        with pikepdf.open(OUT + name) as doc:
            got = doc.get_object(6, 0).read_bytes(pikepdf.StreamDecodeLevel.specialized)
            assert got == want, "%s: qpdf decodes %d bytes, not the pickle" % (name, len(got))
    with pikepdf.open(OUT + "image-appended.pdf") as doc:
        image = doc.pages[0].images["/Im1"]
        assert image.read_raw_bytes() == JPEG + PKL
    print("qpdf %s decodes all %d streams to the pickle" % (pikepdf.__libqpdf_version__, len(FILES)))
