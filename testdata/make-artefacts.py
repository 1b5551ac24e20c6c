#!/usr/bin/python3
"""make-artefacts.py - model files, data files, disguises, benign outputs and
bad input for sdccheck's classifier (SPEC 3, 6.1, 6.2; issue 4).

    /usr/bin/python3 testdata/make-artefacts.py [--r-rows ROWS.tsv]

Run it from the repository root, normally through testdata/make-artefacts.sh
(which runs make-artefacts.R first and passes its manifest rows here). It
needs Debian's python3-sklearn, -joblib, -torch, -onnx, -h5py, -xgboost,
-numpy, -pandas, -matplotlib, -openpyxl, -docx, -feather-format, -tables,
-lz4, -zstandard, -nbformat, -pil, -flatbuffers and p7zip-full (or 7zip).
CI does NOT run it: the small results are committed under
testdata/artefacts/ and testdata/benign/.

Everything a real library in Debian can write is written by that library
(the manifest's made_by column names it and its version). Formats whose
library is not in Debian are written here from their published description
and are marked "hand-written from <spec>" in the manifest.

Output is deterministic: seeds are fixed, zip/tar/gzip timestamps are fixed
to 2024-01-01 (zip: 1980-01-01 where the library picks the time), and
documents get fixed creation dates.

MANIFEST.tsv columns: path, class (model|data|benign|bad), format,
disguise, made_by, expected. expected is one of
    fail            the verdict must be fail
    review          the verdict must be review
    pass-or-review  must not fail (benign outputs)
    review-or-fail  must not pass (bad input where either reading is fair:
                    a fragment of a model may be reported as a model or as
                    malformed, but never cleared)
"""

import argparse
import base64
import binascii
import bz2
import datetime as dt
import gzip
import hashlib
import io
import json
import lzma
import os
import pickle
import random
import shutil
import sqlite3
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
import zlib

os.environ.setdefault("SOURCE_DATE_EPOCH", "1704067200")  # 2024-01-01, for matplotlib
os.environ.setdefault("PYTHONHASHSEED", "0")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ART = os.path.join(HERE, "artefacts")
BEN = os.path.join(HERE, "benign")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_EPOCH = 1704067200  # 2024-01-01T00:00:00Z
FIXED_DT = dt.datetime(2024, 1, 1, 0, 0, 0)

ROWS = []  # manifest rows


def rel(path):
    return os.path.relpath(path, REPO)


def add(path, cls, fmt, made_by, expected, disguise="none"):
    ROWS.append((rel(path), cls, fmt, disguise, made_by, expected))


def ver(mod):
    return "%s %s" % (mod.__name__.split(".")[0], getattr(mod, "__version__", "?"))


PY = "python %d.%d" % sys.version_info[:2]


def mkdir(*parts):
    p = os.path.join(*parts)
    os.makedirs(p, exist_ok=True)
    return p


def wbytes(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


def rbytes(path):
    with open(path, "rb") as f:
        return f.read()


def gz(data, name=""):
    buf = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(data)
    return buf.getvalue()


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    """members: list of (name, bytes) or (name, bytes, compress_type)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for m in members:
            name, data = m[0], m[1]
            ct = m[2] if len(m) > 2 else compression
            zi = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            zi.compress_type = ct
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return buf.getvalue()


def normalise_zip(path, extra=None, drop=()):
    """Rewrite a zip written by a library with fixed member times and fixed
    document dates; optionally add extra members (name, bytes)."""
    import re
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename), i.compress_type) for i in z.infolist()
                   if i.filename not in drop]
    out = []
    for name, data, ct in members:
        if name == "docProps/core.xml":
            data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms)",
                          rb"\g<1>2024-01-01T00:00:00Z\g<3>", data)
        out.append((name, data, ct))
    for e in extra or ():
        out.append(e)
    wbytes(path, zip_bytes(out))


def tar_bytes(members, mode="w:gz"):
    buf = io.BytesIO()
    fileobj = buf
    if mode == "w:gz":
        raw = io.BytesIO()
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as t:
            _tar_add(t, members)
        return gz(raw.getvalue())
    with tarfile.open(fileobj=fileobj, mode=mode, format=tarfile.USTAR_FORMAT) as t:
        _tar_add(t, members)
    return buf.getvalue()


def _tar_add(t, members):
    for name, data in members:
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        ti.mtime = FIXED_EPOCH
        ti.mode = 0o644
        ti.uname = ti.gname = "researcher"
        t.addfile(ti, io.BytesIO(data))


# --------------------------------------------------------------------------
# the fitted models everything else is built from
# --------------------------------------------------------------------------
def training_data():
    rng = np.random.RandomState(20240101)
    X = np.round(rng.normal(size=(20, 3)), 3)
    y = (X[:, 0] - 0.5 * X[:, 1] + rng.normal(scale=0.3, size=20) > 0).astype(int)
    return X, y


def fit_models():
    from sklearn.linear_model import LogisticRegression, LinearRegression
    from sklearn.tree import DecisionTreeClassifier
    X, y = training_data()
    logreg = LogisticRegression(random_state=0).fit(X, y)
    linreg = LinearRegression().fit(X, X @ np.array([1.5, -0.7, 0.2]) + 0.1)
    tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    return X, y, logreg, linreg, tree


# --------------------------------------------------------------------------
# small encoders for the hand-written formats
# --------------------------------------------------------------------------
def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


class PB:
    """Protocol buffers wire format (what protoc-generated code writes)."""

    @staticmethod
    def key(field, wt):
        return varint((field << 3) | wt)

    @classmethod
    def int(cls, field, v):
        return cls.key(field, 0) + varint(v)

    @classmethod
    def bytes(cls, field, b):
        if isinstance(b, str):
            b = b.encode()
        return cls.key(field, 2) + varint(len(b)) + b

    msg = bytes

    @classmethod
    def fixed32(cls, field, v):
        return cls.key(field, 5) + struct.pack("<I", v)

    @classmethod
    def packed_doubles(cls, field, vals):
        return cls.bytes(field, b"".join(struct.pack("<d", float(v)) for v in vals))

    @classmethod
    def double(cls, field, v):
        return cls.key(field, 1) + struct.pack("<d", float(v))

    @classmethod
    def float(cls, field, v):
        return cls.key(field, 5) + struct.pack("<f", float(v))


def _crc32c_table():
    poly = 0x82F63B78
    tab = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        tab.append(c)
    return tab


_CRC32C = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC32C[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked_crc32c(data):
    c = crc32c(data)
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def leveldb_table(entries):
    """An SSTable in LevelDB's table format with TensorFlow's magic
    0xdb4775248b80fb57 (tensorflow/core/lib/io/format.h): what a tensor
    bundle's .index file is. entries: sorted list of (key, value)."""

    def block(kvs):
        out = bytearray()
        restarts = [0]
        for k, v in kvs:
            out += varint(0) + varint(len(k)) + varint(len(v)) + k + v
        for r in restarts:
            out += struct.pack("<I", r)
        out += struct.pack("<I", len(restarts))
        return bytes(out)

    def with_trailer(b):
        return b + b"\x00" + struct.pack("<I", masked_crc32c(b + b"\x00"))

    f = bytearray()
    data = block(entries)
    data_handle = (len(f), len(data))
    f += with_trailer(data)
    meta = block([])
    meta_handle = (len(f), len(meta))
    f += with_trailer(meta)
    last_key = entries[-1][0]
    index = block([(last_key, varint(data_handle[0]) + varint(data_handle[1]))])
    index_handle = (len(f), len(index))
    f += with_trailer(index)
    footer = (varint(meta_handle[0]) + varint(meta_handle[1]) +
              varint(index_handle[0]) + varint(index_handle[1]))
    footer = footer.ljust(40, b"\x00") + struct.pack("<Q", 0xDB4775248B80FB57)
    f += footer
    return bytes(f)


class Thrift:
    """Thrift compact protocol, as Parquet's footer and page headers use."""
    I32, I64, BIN, LIST, STRUCT = 5, 6, 8, 9, 12

    def __init__(self):
        self.out = bytearray()
        self.last = [0]

    @staticmethod
    def zz(n):
        return varint((n << 1) ^ (n >> 63))

    def field(self, fid, ftype):
        d = fid - self.last[-1]
        if 0 < d <= 15:
            self.out.append((d << 4) | ftype)
        else:
            self.out.append(ftype)
            self.out += self.zz(fid)
        self.last[-1] = fid

    def i32(self, fid, v):
        self.field(fid, self.I32)
        self.out += self.zz(v)

    def i64(self, fid, v):
        self.field(fid, self.I64)
        self.out += self.zz(v)

    def binary(self, fid, b):
        if isinstance(b, str):
            b = b.encode()
        self.field(fid, self.BIN)
        self.out += varint(len(b)) + b

    def begin_struct(self, fid):
        self.field(fid, self.STRUCT)
        self.last.append(0)

    def end_struct(self):
        self.out.append(0)
        self.last.pop()

    def list_header(self, fid, etype, n):
        self.field(fid, self.LIST)
        self.out.append((n << 4) | etype if n < 15 else 0xF0 | etype)
        if n >= 15:
            self.out += varint(n)

    def list_i32(self, fid, vals):
        self.list_header(fid, self.I32, len(vals))
        for v in vals:
            self.out += self.zz(v)

    def list_bin(self, fid, vals):
        self.list_header(fid, self.BIN, len(vals))
        for v in vals:
            v = v.encode() if isinstance(v, str) else v
            self.out += varint(len(v)) + v

    def list_structs(self, fid, items, writer):
        self.list_header(fid, self.STRUCT, len(items))
        for it in items:
            self.last.append(0)
            writer(self, it)
            self.end_struct()

    def bytes(self):
        return bytes(self.out)


def parquet_file(columns, created_by="sdccheck testdata (hand-written Parquet)"):
    """A Parquet file, one row group, required columns, PLAIN encoding,
    uncompressed; per the Apache Parquet format spec (parquet.thrift).
    columns: list of (name, kind, values) with kind int64|double|string."""
    INT64, DOUBLE, BYTE_ARRAY = 2, 5, 6
    n = len(columns[0][2])
    body = bytearray(b"PAR1")
    chunks = []
    for name, kind, vals in columns:
        if kind == "int64":
            ptype, data = INT64, b"".join(struct.pack("<q", int(v)) for v in vals)
        elif kind == "double":
            ptype, data = DOUBLE, b"".join(struct.pack("<d", float(v)) for v in vals)
        else:
            ptype = BYTE_ARRAY
            data = b"".join(struct.pack("<I", len(s.encode())) + s.encode() for s in vals)
        ph = Thrift()
        ph.i32(1, 0)              # type = DATA_PAGE
        ph.i32(2, len(data))      # uncompressed_page_size
        ph.i32(3, len(data))      # compressed_page_size
        ph.begin_struct(5)        # data_page_header
        ph.i32(1, n)              # num_values
        ph.i32(2, 0)              # encoding PLAIN
        ph.i32(3, 3)              # definition_level_encoding RLE
        ph.i32(4, 3)              # repetition_level_encoding RLE
        ph.end_struct()
        ph.out.append(0)
        offset = len(body)
        page = ph.bytes() + data
        body += page
        chunks.append((name, kind, ptype, offset, len(page)))

    md = Thrift()
    md.i32(1, 1)  # version

    def schema_el(t, el):
        name, ptype, nchild, conv = el
        if ptype is not None:
            t.i32(1, ptype)
            t.i32(3, 0)  # REQUIRED
        t.binary(4, name)
        if nchild is not None:
            t.i32(5, nchild)
        if conv is not None:
            t.i32(6, conv)

    schema = [("schema", None, len(chunks), None)]
    schema += [(c[0], c[2], None, 0 if c[1] == "string" else None) for c in chunks]
    md.list_structs(2, schema, schema_el)
    md.i64(3, n)

    def col_chunk(t, c):
        name, kind, ptype, offset, size = c
        t.i64(2, offset)               # file_offset
        t.begin_struct(3)              # meta_data
        t.i32(1, ptype)
        t.list_i32(2, [0, 3])          # encodings PLAIN, RLE
        t.list_bin(3, [name])          # path_in_schema
        t.i32(4, 0)                    # codec UNCOMPRESSED
        t.i64(5, n)
        t.i64(6, size)
        t.i64(7, size)
        t.i64(9, offset)               # data_page_offset
        t.end_struct()

    def row_group(t, _):
        t.list_structs(1, chunks, col_chunk)
        t.i64(2, sum(c[4] for c in chunks))
        t.i64(3, n)

    md.list_structs(4, [None], row_group)
    md.binary(6, created_by)
    md.out.append(0)
    meta = md.bytes()
    return bytes(body) + meta + struct.pack("<I", len(meta)) + b"PAR1"


def arrow_ipc_file(columns):
    """An Arrow IPC file (Feather V2): "ARROW1", a Schema message, one
    RecordBatch, EOS, the Footer, per the Arrow columnar format spec
    (Schema.fbs, Message.fbs, File.fbs). columns: (name, 'int64'|'utf8', values)."""
    import flatbuffers
    n = len(columns[0][2])

    def build_schema(b):
        fields = []
        for name, kind, _ in columns:
            nm = b.CreateString(name)
            if kind == "int64":
                b.StartObject(2)
                b.PrependInt32Slot(0, 64, 0)     # bitWidth
                b.PrependBoolSlot(1, True, False)  # is_signed
                typ, tt = b.EndObject(), 2
            else:
                b.StartObject(0)
                typ, tt = b.EndObject(), 5       # Utf8
            b.StartVector(4, 0, 4)
            children = b.EndVector()
            b.StartObject(7)
            b.PrependUOffsetTRelativeSlot(0, nm, 0)
            b.PrependBoolSlot(1, False, False)
            b.PrependUint8Slot(2, tt, 0)
            b.PrependUOffsetTRelativeSlot(3, typ, 0)
            b.PrependUOffsetTRelativeSlot(5, children, 0)
            fields.append(b.EndObject())
        b.StartVector(4, len(fields), 4)
        for f in reversed(fields):
            b.PrependUOffsetTRelative(f)
        fv = b.EndVector()
        b.StartObject(4)
        b.PrependInt16Slot(0, 0, 0)  # Little endian
        b.PrependUOffsetTRelativeSlot(1, fv, 0)
        return b.EndObject()

    def message(header_type, build_header, body_len):
        b = flatbuffers.Builder(256)
        hdr = build_header(b)
        b.StartObject(5)
        b.PrependInt16Slot(0, 4, 0)                 # MetadataVersion V5
        b.PrependUint8Slot(1, header_type, 0)
        b.PrependUOffsetTRelativeSlot(2, hdr, 0)
        b.PrependInt64Slot(3, body_len, 0)
        b.Finish(b.EndObject())
        fb = bytes(b.Output())
        fb += b"\x00" * ((-len(fb) - 8) % 8)
        return b"\xff\xff\xff\xff" + struct.pack("<i", len(fb)) + fb

    def pad8(x):
        return x + b"\x00" * (-len(x) % 8)

    # body buffers
    body = bytearray()
    buffers = []   # (offset, length)
    nodes = []
    for name, kind, vals in columns:
        nodes.append((n, 0))
        buffers.append((len(body), 0))                      # validity: none
        if kind == "int64":
            data = b"".join(struct.pack("<q", int(v)) for v in vals)
            buffers.append((len(body), len(data)))
            body += pad8(data)
        else:
            offs, blob = [0], b""
            for s in vals:
                blob += s.encode()
                offs.append(len(blob))
            ob = b"".join(struct.pack("<i", o) for o in offs)
            buffers.append((len(body), len(ob)))
            body += pad8(ob)
            buffers.append((len(body), len(blob)))
            body += pad8(blob)
    body = bytes(body)

    def build_batch(b):
        b.StartVector(16, len(buffers), 8)
        for off, ln in reversed(buffers):
            b.Prep(8, 16)
            b.PrependInt64(ln)
            b.PrependInt64(off)
        bv = b.EndVector()
        b.StartVector(16, len(nodes), 8)
        for ln, nc in reversed(nodes):
            b.Prep(8, 16)
            b.PrependInt64(nc)
            b.PrependInt64(ln)
        nv = b.EndVector()
        b.StartObject(4)
        b.PrependInt64Slot(0, n, 0)
        b.PrependUOffsetTRelativeSlot(1, nv, 0)
        b.PrependUOffsetTRelativeSlot(2, bv, 0)
        return b.EndObject()

    out = bytearray(b"ARROW1\x00\x00")
    schema_msg = message(1, build_schema, 0)
    out += schema_msg
    batch_off = len(out)
    batch_msg = message(3, build_batch, len(body))
    out += batch_msg + body
    out += b"\xff\xff\xff\xff\x00\x00\x00\x00"   # EOS

    b = flatbuffers.Builder(256)
    sch = build_schema(b)
    b.StartVector(24, 1, 8)
    b.Prep(8, 24)
    b.PrependInt64(len(body))
    b.Pad(4)
    b.PrependInt32(len(batch_msg))
    b.PrependInt64(batch_off)
    rb = b.EndVector()
    b.StartVector(24, 0, 8)
    dicts = b.EndVector()
    b.StartObject(5)
    b.PrependInt16Slot(0, 4, 0)
    b.PrependUOffsetTRelativeSlot(1, sch, 0)
    b.PrependUOffsetTRelativeSlot(2, dicts, 0)
    b.PrependUOffsetTRelativeSlot(3, rb, 0)
    b.Finish(b.EndObject())
    footer = bytes(b.Output())
    out += footer + struct.pack("<i", len(footer)) + b"ARROW1"
    return bytes(out)


def safetensors_bytes(tensors, metadata=None):
    """safetensors: u64 LE header length, JSON header, raw tensor bytes
    (the format description in huggingface/safetensors' README)."""
    header = {}
    blob = b""
    for name, arr in tensors:
        arr = np.ascontiguousarray(arr, dtype="<f4")
        raw = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape),
                        "data_offsets": [len(blob), len(blob) + len(raw)]}
        blob += raw
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + blob


def gguf_bytes(tensors, kv):
    """GGUF v3 (ggml/docs/gguf.md): magic, version, tensor_count, kv_count,
    KV pairs, tensor infos, padding to general.alignment, tensor data."""
    def s(x):
        x = x.encode()
        return struct.pack("<Q", len(x)) + x

    out = bytearray(b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kv)))
    for k, v in kv:
        out += s(k)
        if isinstance(v, str):
            out += struct.pack("<I", 8) + s(v)
        elif isinstance(v, float):
            out += struct.pack("<If", 6, v)
        else:
            out += struct.pack("<II", 4, v)
    align = dict(kv).get("general.alignment", 32)
    data = b""
    for name, arr in tensors:
        arr = np.ascontiguousarray(arr, dtype="<f4")
        data += b"\x00" * (-len(data) % align)
        out += s(name) + struct.pack("<I", arr.ndim)
        for d in reversed(arr.shape):  # ggml lists ne[0] (the fastest) first
            out += struct.pack("<Q", d)
        out += struct.pack("<IQ", 0, len(data))  # GGML_TYPE_F32, offset
        data += arr.tobytes()
    out += b"\x00" * (-len(out) % align)
    return bytes(out) + data


def ggjt_bytes(tensors):
    """Legacy GGML 'ggjt' v3 file (llama.cpp before GGUF): magic 0x67676a74,
    version, llama hparams, vocab, then tensors aligned to 32 bytes."""
    out = bytearray(struct.pack("<II", 0x67676A74, 3))
    out += struct.pack("<7i", 4, 3, 1, 1, 1, 1, 0)  # n_vocab n_embd n_mult n_head n_layer n_rot ftype
    for tok in [b"<unk>", b"a", b"b", b"c"]:
        out += struct.pack("<I", len(tok)) + tok + struct.pack("<f", 0.0)
    for name, arr in tensors:
        arr = np.ascontiguousarray(arr, dtype="<f4")
        nm = name.encode()
        out += struct.pack("<3i", arr.ndim, len(nm), 0)
        for d in reversed(arr.shape):
            out += struct.pack("<i", d)
        out += nm
        out += b"\x00" * (-len(out) % 32)
        out += arr.tobytes()
    return bytes(out)
