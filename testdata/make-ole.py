#!/usr/bin/python3
"""make-ole.py - files embedded in OLE compound files ([MS-CFB]), written with
libgsf's MS-OLE writer (GObject introspection), for the stream walk
(doc/design.md, "Files inside files").

  package_pickle.bin    an OLE Package object, as Office embeds a file
                        (Insert > Object > From file): the "\\x01Ole10Native"
                        stream holds forest.pkl, a pickled random forest
                        (scikit-learn), after the Package header.
  text_streams.bin      a compound file of two text streams and a CompObj
                        (benign: reviewed, never failed).
  report_ole.docx       testdata/benign/report.docx with package_pickle.bin
                        added as word/embeddings/oleObject1.bin.
  forest.pkl            the pickle itself, for the tests to compare with.

Needs python3-gi, gir1.2-gsf-1 and python3-sklearn; run from the
repository root:

    /usr/bin/python3 testdata/make-ole.py
"""
import pickle
import shutil
import struct
import zipfile

import gi
gi.require_version("Gsf", "1")
from gi.repository import Gsf  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402

OUT = "testdata/ole"
iris = load_iris()
forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(iris.data, iris.target)
payload = pickle.dumps(forest, protocol=4)
with open(OUT + "/forest.pkl", "wb") as f:
    f.write(payload)


def ole10native(name, data):
    """The Package layout oletools' oleobj.py reads."""
    fn = name.encode() + b"\0"
    body = (struct.pack("<H", 2) + fn + fn + struct.pack("<I", 0x00030000)
            + struct.pack("<I", len(fn)) + fn + struct.pack("<I", len(data)) + data)
    return struct.pack("<I", len(body)) + body


COMPOBJ = bytes.fromhex("0100feff030a0000ffffffff0c00030000000000c000000000000046")


def write(path, streams):
    out = Gsf.OutputStdio.new(path)
    ole = Gsf.OutfileMSOle.new(out)
    for name, data in streams:
        child = ole.new_child(name, False)
        child.write(data)
        child.close()
    comp = ole.new_child("\x01CompObj", False)
    comp.write(COMPOBJ)
    comp.close()
    ole.close()


write(OUT + "/package_pickle.bin", [("\x01Ole10Native", ole10native("forest.pkl", payload))])
write(OUT + "/text_streams.bin", [("Notes", b"Counts were rounded to base 5.\n" * 200),
                                  ("Summary", b"Tables 1 to 4, by region and sex.\n")])

shutil.copy("testdata/benign/report.docx", OUT + "/report_ole.docx")
with zipfile.ZipFile(OUT + "/report_ole.docx", "a") as z:
    info = zipfile.ZipInfo("word/embeddings/oleObject1.bin", date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with open(OUT + "/package_pickle.bin", "rb") as f:
        z.writestr(info, f.read())
