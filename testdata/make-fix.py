#!/usr/bin/python3
"""make-fix.py - tables inside workbooks and archives for --fix
(tests/test_fix.c; sdccheck(1), --fix).

Every failing table here is the same 2 x 2 table of counts with its
margins, one count of 3 (row N, column A) below the default threshold of
10, every other count 12 or more and no category above 90% of its line
(so the count of 3 is the only primary cell):

    region,A,B,Total
    N,3,12,15
    S,20,30,50
    Total,23,42,65

A passing table (all counts 12 or more) sits beside it where a container
holds more than one, so that only the failing one gets a copy.

  book.xlsx       sheets Sales (the failing table), Passing, and Notes
                  (text); written by openpyxl (Debian's python3-openpyxl)
  tables.zip      tables/t1.csv (failing), tables/ok.csv (passing)
  tables.tar.gz   the same two files, in a gzipped tar
  nested.zip      inner.tar.gz, which holds deep/t1.csv (failing)
  escape.zip      four copies of the failing table whose names must be
                  made safe: ../escape.csv, escape.csv, /abs/t1.csv and
                  bell<BEL>.csv (a control character)

The archives are made with Python's zipfile, tarfile and gzip, with fixed
times so that running this again gives the same bytes (book.xlsx is
zipped by openpyxl, which stamps the time of the run). Run from the
repository root:

    /usr/bin/python3 testdata/make-fix.py
"""
import gzip
import io
import os
import tarfile
import zipfile

import openpyxl

OUT = "testdata/fix"
FAILING = b"region,A,B,Total\nN,3,12,15\nS,20,30,50\nTotal,23,42,65\n"
PASSING = b"region,A,B,Total\nN,31,12,43\nS,20,30,50\nTotal,51,42,93\n"
WHEN = (2026, 12, 4, 12, 0, 0)


def rows(csv):
    out = []
    for line in csv.decode().splitlines():
        out.append([int(f) if f.isdigit() else f for f in line.split(",")])
    return out


def workbook():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sales"
    for r in rows(FAILING):
        ws.append(r)
    ok = wb.create_sheet("Passing")
    for r in rows(PASSING):
        ok.append(r)
    notes = wb.create_sheet("Notes")
    notes.append(["Source: example survey, 2026"])
    notes.append(["Counts of people by region and group"])
    wb.save(OUT + "/book.xlsx")


def zip_of(members):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=WHEN)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return b.getvalue()


def tar_gz_of(members):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = 0
            ti.mode = 0o644
            t.addfile(ti, io.BytesIO(data))
    return gzip.compress(b.getvalue(), mtime=0)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


os.makedirs(OUT, exist_ok=True)
workbook()
pair = [("tables/t1.csv", FAILING), ("tables/ok.csv", PASSING)]
write("tables.zip", zip_of(pair))
write("tables.tar.gz", tar_gz_of(pair))
write("nested.zip", zip_of([("inner.tar.gz", tar_gz_of([("deep/t1.csv", FAILING)]))]))
write("escape.zip", zip_of([("../escape.csv", FAILING), ("escape.csv", FAILING),
                            ("/abs/t1.csv", FAILING), ("bell\x07.csv", FAILING)]))
