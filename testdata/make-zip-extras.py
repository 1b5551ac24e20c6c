#!/usr/bin/python3
"""make-zip-extras.py - a model in a zip's local extra field, and an honest
zip whose extra fields are all of kinds the specification defines
(doc/design.md, "Containers").

PKWARE's APPNOTE 6.3.10, 4.3.7 and 4.4.28: a local file header carries an
extra field of (header ID, size, data) subfields, and readers that do not
know an ID skip it. Python's zipfile writes ZipInfo.extra into both the
local header and the central directory; the local-only file has the
field removed from its central directory record by hand. The honest zip is
written by Info-ZIP's zip (extended timestamp 0x5455 and Unix 0x7875
fields). Run from the repository root:

    /usr/bin/python3 testdata/make-zip-extras.py
"""
import io
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile

PKL = open("testdata/artefacts/models/sklearn_logreg_p4.pkl", "rb").read()
CSV = b"region,count\nNorth,120\nSouth,130\nEast,145\n"
OUT = "testdata/artefacts/disguised"


def with_extra():
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        zi = zipfile.ZipInfo("counts.csv", date_time=(2026, 11, 30, 12, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.extra = struct.pack("<HH", 0x4242, len(PKL)) + PKL  # an ID no one defines
        z.writestr(zi, CSV)
    return b.getvalue()


def central_without_extra(d):
    """The same zip with the extra field left out of the central directory
    record (4.3.12: extra field length at offset 30, name at 46)."""
    cd_at = d.rfind(b"PK\x01\x02")
    end_at = d.rfind(b"PK\x05\x06")
    cd = d[cd_at:end_at]
    name_len, extra_len = struct.unpack("<HH", cd[28:32])
    new_cd = cd[:30] + b"\0\0" + cd[32:46 + name_len] + cd[46 + name_len + extra_len:]
    end = bytearray(d[end_at:])
    end[12:16] = struct.pack("<I", len(new_cd))  # size of the central directory
    return d[:cd_at] + new_cd + bytes(end)


def main():
    d = with_extra()
    with open(os.path.join(OUT, "zip_local_extra.zip"), "wb") as f:
        f.write(central_without_extra(d))
    if shutil.which("zip"):
        tmp = tempfile.mkdtemp()
        for name, text in (("counts.csv", CSV), ("notes.txt", b"Counts rounded to 5.\n")):
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(text)
            os.utime(os.path.join(tmp, name), (1764590400, 1764590400))  # the same bytes each run
        out = os.path.abspath("testdata/benign/infozip_outputs.zip")
        if os.path.exists(out):
            os.remove(out)
        subprocess.run(["zip", "-q", "-X-", out, "counts.csv", "notes.txt"], cwd=tmp, check=True)
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
