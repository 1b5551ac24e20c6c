#!/usr/bin/python3
"""make-tar-pax.py - what a tar's pax headers can carry past a reader
(doc/design.md, "Containers").

POSIX pax headers are "LENGTH KEY=VALUE\\n" records before an entry;
libarchive and most readers drop keys they do not use. Python's tarfile
writes them from TarInfo.pax_headers (a value that is not UTF-8 is written
raw, with hdrcharset=BINARY). The honest tar is GNU tar's --format=pax,
whose headers hold only times. Run from the repository root:

    /usr/bin/python3 testdata/make-tar-pax.py
"""
import base64
import io
import os
import shutil
import subprocess
import tarfile
import tempfile

PKL = open("testdata/artefacts/models/sklearn_logreg_p4.pkl", "rb").read()
CSV = b"region,count\nNorth,120\nSouth,130\nEast,145\n"
OUT = "testdata/artefacts/disguised"


def tar_with(headers, name):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        ti = tarfile.TarInfo("counts.csv")
        ti.size = len(CSV)
        ti.mtime = 1764590400
        ti.pax_headers = headers
        t.addfile(ti, io.BytesIO(CSV))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(b.getvalue())


tar_with({"comment": base64.b64encode(PKL).decode()}, "tar_pax_comment.tar")
tar_with({"SDC.model": PKL.decode("utf-8", "surrogateescape")}, "tar_pax_binary.tar")

if shutil.which("tar"):
    tmp = tempfile.mkdtemp()
    with open(os.path.join(tmp, "counts.csv"), "wb") as f:
        f.write(CSV)
    out = os.path.abspath("testdata/benign/gnu_pax.tar")
    subprocess.run(["tar", "--format=pax", "--mtime=2026-12-01", "--owner=0", "--group=0",
                    "-cf", out, "counts.csv"], cwd=tmp, check=True)
    shutil.rmtree(tmp)
