#!/usr/bin/python3
"""make-streams.py - models and data inside other bytes, where a look at a
file's start does not find them (doc/design.md, "Files inside files").

Each is a committed artefact placed after padding, a short header or
text, or with text around it; a zip behind a shell-script prefix (as
self-extracting archives are); a PMML model after a long XML comment.
Standard library and python3-brotli; run from the repository root:

    /usr/bin/python3 testdata/make-streams.py
"""
import io
import os
import zipfile
import zlib

import brotli

M = "testdata/artefacts/models/"
OUT = "testdata/artefacts/disguised/streams/"
PKL = open(M + "sklearn_logreg_p4.pkl", "rb").read()
NPY = open(M + "weights.npy", "rb").read()
PMML = open(M + "linreg.pmml", "rb").read()


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    with open(OUT + name, "wb") as f:
        f.write(data)


write("padded_pickle.bin", b"\0" * 1000 + PKL)
write("header_pickle.bin", b"MODEL v1\n" + PKL)
write("blank_then_pickle.txt", b" " * 5000 + b"\n" + PKL)
write("counts_with_tail.csv", b"region,count\nNorth,120\nSouth,130\n" + PKL)
write("run.log", b"2026-12-01 12:00:00 run started\n" * 50 + NPY + b"\nrun done\n" * 50)
b = io.BytesIO()
with zipfile.ZipFile(b, "w") as z:
    z.writestr(zipfile.ZipInfo("model.pkl", date_time=(2026, 12, 1, 0, 0, 0)), PKL)
write("installer.sh.zip", b"#!/bin/sh\nunzip -o \"$0\"\nexit 0\n" + b.getvalue())
# ONNX with its ModelProto fields in reverse order (protobuf allows any).
ONNX = open(M + "logreg.onnx", "rb").read()


def protobuf_fields(b):
    out, i = [], 0
    while i < len(b):
        start, shift, key = i, 0, 0
        while True:
            c = b[i]
            i += 1
            key |= (c & 0x7F) << shift
            shift += 7
            if c < 0x80:
                break
        wire = key & 7
        if wire == 0:
            while b[i] & 0x80:
                i += 1
            i += 1
        elif wire == 2:
            n, shift = 0, 0
            while True:
                c = b[i]
                i += 1
                n |= (c & 0x7F) << shift
                shift += 7
                if c < 0x80:
                    break
            i += n
        out.append(b[start:i])
    return out


write("model_fields_reversed.bin", b"".join(reversed(protobuf_fields(ONNX))))
# The pickle as a raw deflate stream (RFC 1951, no zlib header) and as
# brotli (RFC 7932): neither has a signature. Needs python3-brotli.
raw = zlib.compressobj(9, zlib.DEFLATED, -15)
write("model.deflate", raw.compress(PKL) + raw.flush())
write("model.br", brotli.compress(PKL))
i = PMML.index(b"?>") + 2
write("model_commented.xml", PMML[:i] + b"\n<!-- " + b"generated " * 3000 + b"-->\n" + PMML[i:])
