#!/usr/bin/env python3
"""make-pdfs.py - hostile (and honest) PDFs for the bounds on PDF text.

    python3 testdata/make-pdfs.py                  writes testdata/pdf/
    python3 testdata/make-pdfs.py --page-mib N OUT one page whose content
                                                   stream inflates to N MiB
    python3 testdata/make-pdfs.py --pages N --page-kib K OUT
                                                   N pages of K KiB each

Written by hand from the object syntax of the PDF 1.7 reference (ISO
32000-1, 7.3 objects, 7.4.4 FlateDecode, 7.5 file structure, 8.10 form
XObjects) with nothing but the Python standard library (zlib), so that
anyone can see every byte. The output is deterministic.

What each committed file is, and what sdccheck must say (doc/design.md,
"Identifiers" and "Errors and failing closed"):

  page-16mib.pdf     one page; its content stream, deflated, inflates   review: needs-review, its
                     to 16 MiB of text operators (one line of a table   text was not read (a page
                     drawn over and over at one spot). 57 KB on disk.   draws too much text)
  pages-many.pdf     60 pages sharing one content stream of 64 KiB      review: needs-review, the
                     (38 KiB of it strings): no page too large, 2.2     PDF's pages draw too much
                     MiB of strings drawn in all                        text in all
  forms-nested.pdf   one page drawing a form XObject 1000 times, the    review: needs-review, a
                     form drawing another 1000 times: 1.4 KB that       page draws too much text
                     poppler would draw as 4 GB of text
  nhs-number.pdf     one honest page, deflated, that names an NHS      fail: identifier, page 1
                     number (943 476 5919, valid modulus 11)
"""
import os
import sys
import zlib

MIB = 1 << 20


def pdf(pages, forms=(), deflate=True, shared=False):
    """A PDF from PAGES (a list of content streams, bytes) and FORMS (a list
    of (name, content, uses) form XObjects that every page can draw as
    /Name Do; USES names the forms a form draws in turn). SHARED: the pages
    are alike and share one content stream object."""
    objs = []  # (dictionary, stream or None), numbered from 1

    def add(d, stream=None):
        objs.append((d, stream))
        return len(objs)

    def stream(d, data):
        if deflate:
            data = zlib.compress(data, 9)
            d = d + b" /Filter /FlateDecode"
        return add(b"<< " + d + b" /Length %d >>" % len(data), data)

    catalog = add(None)
    pages_obj = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    form_ids = {}
    for name, content, uses in forms:
        xo = b"".join(b"/%s %d 0 R " % (u, form_ids[u]) for u in uses)
        res = b"/Resources << /Font << /F1 %d 0 R >> /XObject << %s>> >>" % (font, xo)
        form_ids[name] = stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] " + res,
                                content)
    xobjects = b"".join(b"/%s %d 0 R " % (n, i) for n, i in form_ids.items())
    kids = []
    one = stream(b"", pages[0]) if shared and pages else None
    for content in pages:
        c = one or stream(b"", content)
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
                        b"/Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> "
                        b"/XObject << %s>> >> >>" % (pages_obj, c, font, xobjects)))
    objs[catalog - 1] = (b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj, None)
    objs[pages_obj - 1] = (b"<< /Type /Pages /Kids [%s] /Count %d >>"
                           % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)), None)

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, (d, s) in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + d
        if s is not None:
            out += b"\nstream\n" + s + b"\nendstream"
        out += b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, catalog, xref))
    return bytes(out)


def table_text(size):
    """SIZE bytes of text operators: a table of counts drawn a line at a
    time down the page, over and over, as a report generator might."""
    lines = []
    n = 0
    i = 0
    while n < size:
        y = 760 - 12 * (i % 60)
        line = (b"BT /F1 10 Tf 56 %d Td (North East  Female  age 35-44  count 112) Tj ET\n"
                % y)
        lines.append(line)
        n += len(line)
        i += 1
    return b"".join(lines)[:size]


def same_spot(size):
    """SIZE bytes of one line drawn over and over at one spot: the worst case
    for poppler's text layout, and what deflate packs tightest."""
    line = b"BT /F1 10 Tf 56 700 Td (North East  Female  age 35-44  count 112) Tj ET\n"
    return (line * (size // len(line) + 1))[:size]


def honest(text):
    return b"BT /F1 12 Tf 72 720 Td (%s) Tj ET\n" % text


def main(argv):
    if len(argv) == 4 and argv[1] == "--page-mib":
        with open(argv[3], "wb") as f:
            f.write(pdf([table_text(int(float(argv[2]) * MIB))]))
        return 0
    if len(argv) == 6 and argv[1] == "--pages":
        page = table_text(int(float(argv[4]) * 1024))
        with open(argv[5], "wb") as f:
            f.write(pdf([page] * int(argv[2])))
        return 0
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 2
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pdf")
    os.makedirs(d, exist_ok=True)
    files = {
        "page-16mib.pdf": pdf([same_spot(16 * MIB)]),
        "pages-many.pdf": pdf([table_text(64 * 1024)] * 60, shared=True),
        "forms-nested.pdf": pdf(
            [b"/Outer Do\n" * 1000],
            forms=[(b"Inner", table_text(4096), []),
                   (b"Outer", b"/Inner Do\n" * 1000, [b"Inner"])]),
        "nhs-number.pdf": pdf([honest(b"Patient NHS number 943 476 5919 was seen in clinic")]),
    }
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
