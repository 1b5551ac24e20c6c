"""pdfbuild.py - the smallest PDF writer the PDF generators share
(make-pdf-attachments.py, make-pdf-filters.py): objects in order and a
correct cross-reference table (ISO 32000-1, 7.5), standard library only,
so every byte of the files they write can be read."""


def pdf(objects):
    """objects: list of bytes, object i+1 each; returns the file with a
    correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)


def stream(dictionary, data):
    """A stream object: DICTIONARY's entries, its direct /Length, DATA."""
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
