#!/usr/bin/python3
"""make-pdf-attachments.py - PDFs that carry files (doc/design.md, "PDF
attachments").

Written by hand from ISO 32000-1 (7.5 file structure, 7.11.3 file
specifications, 7.11.4 embedded file streams and the EmbeddedFiles name
tree, 12.5.6.15 file attachment annotations), standard library only, so
every byte can be read. The attached files are the committed artefacts:

  attached-model.pdf   a one-page report; models/sklearn_logreg_p4.pkl in    fail: model-file
                       the EmbeddedFiles name tree (FlateDecode)
  annotated-npy.pdf    a one-page report; models/weights.npy as a file       fail: model-file
                       attachment annotation on page 1
  attached-table.pdf   a one-page report with a safe CSV of counts          review (the PDF is
                       embedded (the counts are all 10 or more)               read by a person)
  hidden-stream.pdf    a one-page report and a deflated pickle in a stream  fail: model-file
                       object nothing refers to (listed in the xref)
  revised-away.pdf     attached-model.pdf with an incremental update whose  fail: model-file
                       catalog drops the EmbeddedFiles tree (7.5.6): the
                       newest revision has no attachment, the file has
                       it still
  spec-string.pdf      a name tree of two levels whose first file           fail: model-file
                       specification is an object holding a string (7.11.2 (PDF object 10), and
                       allows one only as a direct value); the second       review: malformed
                       carries models/sklearn_logreg_p4.pkl. poppler 22.12  (the embedded files
                       reads through a null pointer on the first, so the    are not listed)
                       embedded files are not asked of it; the stream scan
                       still finds the pickle

Run from the repository root:

    /usr/bin/python3 testdata/make-pdf-attachments.py
"""
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfbuild import pdf, stream  # noqa: E402

PKL = open("testdata/artefacts/models/sklearn_logreg_p4.pkl", "rb").read()
NPY = open("testdata/artefacts/models/weights.npy", "rb").read()
CSV = b"region,count\nNorth,120\nSouth,130\nEast,145\n"
OUT = "testdata/pdf/"


CONTENT = stream(b"", b"BT /F1 12 Tf 72 720 Td (Table 1: counts by region) Tj ET")
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def page(annots=b""):
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >>" + annots + b" >>")


def report(names=b""):
    """Objects 1-5: the catalog (with NAMES, a /Names dictionary's
    entries), the page tree, the page, its content and font."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R"
    catalog += (b" /Names << " + names + b" >> >>") if names else b" >>"
    return [catalog, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(), CONTENT, FONT]


def embedded(name, data, deflate):
    """Catalog with an EmbeddedFiles name tree holding DATA as NAME."""
    body = zlib.compress(data) if deflate else data
    filt = b" /Filter /FlateDecode" if deflate else b""
    return pdf(report(b"/EmbeddedFiles 6 0 R") + [
        b"<< /Names [(" + name + b") 7 0 R] >>",
        b"<< /Type /Filespec /F (" + name + b") /UF (" + name + b") /EF << /F 8 0 R >> >>",
        stream(b"/Type /EmbeddedFile" + filt + b" /Params << /Size %d >>" % len(data), body),
    ])


def annotated(name, data):
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page(b" /Annots [6 0 R]"),
        CONTENT,
        FONT,
        b"<< /Type /Annot /Subtype /FileAttachment /Rect [72 600 92 620] /Name /PushPin "
        b"/FS 7 0 R /Contents (weights) >>",
        b"<< /Type /Filespec /F (" + name + b") /EF << /F 8 0 R >> >>",
        stream(b"/Type /EmbeddedFile", data),
    ])


def hidden_stream():
    return pdf(report() + [
        stream(b"/Filter /FlateDecode", zlib.compress(PKL)),
    ])


def revised_away():
    """An incremental update (7.5.6): object 1 again, without /Names, a
    cross-reference section for it and a trailer pointing back."""
    base = embedded(b"model.pkl", PKL, True)
    prev = int(base[base.rindex(b"startxref") + 10:].split(b"\n")[0])
    at = len(base)
    update = b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    xref = at + len(update)
    update += (b"xref\n1 1\n%010d 00000 n \ntrailer\n<< /Size 9 /Root 1 0 R /Prev %d >>\n"
               b"startxref\n%d\n%%%%EOF\n" % (at, prev, xref))
    return base + update


def spec_string():
    return pdf(report(b"/EmbeddedFiles 6 0 R") + [
        b"<< /Kids [7 0 R] >>",
        b"<< /Limits [(counts.csv) (model.pkl)] /Names [(counts.csv) 8 0 R (model.pkl) 9 0 R] >>",
        b"(counts.csv)",
        b"<< /Type /Filespec /F (model.pkl) /EF << /F 10 0 R >> >>",
        stream(b"/Type /EmbeddedFile /Filter /FlateDecode", zlib.compress(PKL)),
    ])


for fname, data in (("attached-model.pdf", embedded(b"model.pkl", PKL, True)),
                    ("hidden-stream.pdf", hidden_stream()),
                    ("revised-away.pdf", revised_away()),
                    ("annotated-npy.pdf", annotated(b"weights.npy", NPY)),
                    ("attached-table.pdf", embedded(b"counts.csv", CSV, False)),
                    ("spec-string.pdf", spec_string())):
    with open(OUT + fname, "wb") as f:
        f.write(data)
