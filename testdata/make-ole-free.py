#!/usr/bin/python3
"""make-ole-free.py - data in the free sectors of an OLE compound file
([MS-CFB] 2.3: a sector whose FAT entry is FREESECT belongs to no stream;
readers skip it, so anything may lie there).

testdata/ole/text_streams.bin (libgsf's writer, make-ole.py) has one FAT
sector whose entries past its 17 sectors are already FREESECT; sectors
appended to the file are therefore free:

  free_pickle.bin   text_streams.bin with models/sklearn_logreg_p4.pkl in two
                    free sectors (the second padded with zeros)       fail
  free_zeros.bin    text_streams.bin with two free sectors of zeros   review

python3-olefile checks that both open with the same three streams and
that it reads the added sectors as free. Run from the repository root:

    /usr/bin/python3 testdata/make-ole-free.py
"""
import olefile

BASE = open("testdata/ole/text_streams.bin", "rb").read()
PKL = open("testdata/artefacts/models/sklearn_logreg_p4.pkl", "rb").read()
SECTOR = 512
assert len(BASE) % SECTOR == 0


def with_free(payload):
    return BASE + payload + bytes(-len(payload) % SECTOR)


for name, payload in (("free_pickle.bin", PKL), ("free_zeros.bin", bytes(2 * SECTOR))):
    data = with_free(payload)
    with open("testdata/ole/" + name, "wb") as f:
        f.write(data)
    base, ole = olefile.OleFileIO(BASE), olefile.OleFileIO(data)
    assert ole.listdir() == base.listdir()
    for entry in base.listdir():
        assert ole.openstream(entry).read() == base.openstream(entry).read()
    first = len(BASE) // SECTOR - 1  # sector n starts at (n + 1) * 512
    added = range(first, ole.nb_sect)
    assert len(added) == 2 and all(ole.fat[s] == olefile.FREESECT for s in added), ole.fat
print("olefile %s: the same streams, the added sectors free" % olefile.__version__)
