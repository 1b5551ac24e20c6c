#!/usr/bin/python3
"""make-artefacts.py - model files, data files, disguises, benign outputs and
bad input for sdccheck's classifier (doc/design.md, "File classes", "Disallowed artefacts" and "Containers"; issue 4).

    /usr/bin/python3 testdata/make-artefacts.py [--r-rows ROWS.tsv]

Run it from the repository root, normally through testdata/make-artefacts.sh
(which runs make-artefacts.R first and passes its manifest rows here). It
needs Debian's python3-sklearn, -joblib, -torch, -onnx, -h5py, -xgboost,
-numpy, -pandas, -matplotlib, -openpyxl, -docx, -feather-format, -tables,
-lz4, -zstandard, -nbformat, -pil, -flatbuffers, -scipy, -netcdf4,
-hdf5storage, -dbf, -msgpack and p7zip-full (or 7zip). With --only
data-formats it remakes only the MATLAB, netCDF, dBase, MessagePack and
NumPy record files and keeps the manifest's other rows.
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
if os.environ.get("PYTHONHASHSEED") != "0":  # TorchScript writes set members in hash order
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

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


# --------------------------------------------------------------------------
# models
# --------------------------------------------------------------------------
def make_models(ctx):
    import sklearn
    import joblib
    M = mkdir(ART, "models")
    X, y, logreg, linreg, tree = ctx["X"], ctx["y"], ctx["logreg"], ctx["linreg"], ctx["tree"]
    sk = ver(sklearn)

    # pickle, every protocol
    for proto in range(6):
        p = wbytes(os.path.join(M, "sklearn_logreg_p%d.pkl" % proto),
                   pickle.dumps(logreg, protocol=proto))
        add(p, "model", "pickle-p%d" % proto, "%s pickle.dumps(LogisticRegression, protocol=%d)" % (sk, proto), "fail")
    p = wbytes(os.path.join(M, "sklearn_tree.pickle"), pickle.dumps(tree, protocol=4))
    add(p, "model", "pickle-p4", "%s pickle.dumps(DecisionTreeClassifier)" % sk, "fail")
    # a plain dict of arrays: a "model" that is not a class instance
    p = wbytes(os.path.join(M, "weights_dict.pkl"),
               pickle.dumps({"coef": logreg.coef_, "intercept": logreg.intercept_}, protocol=2))
    add(p, "model", "pickle-p2", "%s pickle.dumps(dict of numpy arrays)" % ver(np), "fail")

    # joblib, plain and compressed
    jv = ver(joblib)
    p = os.path.join(M, "sklearn_logreg.joblib")
    joblib.dump(logreg, p)
    add(p, "model", "joblib", "%s %s joblib.dump" % (jv, sk), "fail")
    for method, ext in [("zlib", "z"), ("gzip", "gz"), ("bz2", "bz2"), ("xz", "xz"),
                        ("lzma", "lzma"), ("lz4", "lz4")]:
        p = os.path.join(M, "sklearn_logreg.joblib.%s" % ext)
        joblib.dump(logreg, p, compress=(method, 3))
        if method == "gzip":  # joblib writes the time into the gzip header
            b = bytearray(rbytes(p))
            b[4:8] = b"\x00\x00\x00\x00"
            wbytes(p, bytes(b))
        add(p, "model", "joblib-" + method, "%s joblib.dump(compress=(%r, 3))" % (jv, method), "fail")
    p = os.path.join(M, "sklearn_tree_joblib.pkl")
    joblib.dump(tree, p, compress=3)
    add(p, "model", "joblib-zlib", "%s joblib.dump(compress=3) named .pkl" % jv, "fail")

    make_torch(M, logreg)
    make_onnx(M, logreg)
    make_keras(M, logreg)
    make_xgboost(M, X, y)

    # numpy
    p = os.path.join(M, "weights.npy")
    np.save(p, logreg.coef_.astype("<f8"))
    add(p, "model", "npy", "%s np.save" % ver(np), "fail")
    p = os.path.join(M, "weights.npz")
    np.savez(p, coef=logreg.coef_, intercept=logreg.intercept_)
    normalise_zip(p)
    add(p, "model", "npz", "%s np.savez" % ver(np), "fail")
    p = os.path.join(M, "weights_compressed.npz")
    np.savez_compressed(p, coef=logreg.coef_, intercept=logreg.intercept_)
    normalise_zip(p)
    add(p, "model", "npz-deflate", "%s np.savez_compressed" % ver(np), "fail")

    W = logreg.coef_.astype("<f4")
    b = logreg.intercept_.astype("<f4")
    p = wbytes(os.path.join(M, "model.safetensors"),
               safetensors_bytes([("linear.weight", W), ("linear.bias", b)], {"format": "pt"}))
    add(p, "model", "safetensors", "hand-written from the safetensors format description (package not in Debian)", "fail")
    p = wbytes(os.path.join(M, "tiny.gguf"),
               gguf_bytes([("output.weight", W), ("output.bias", b)],
                          [("general.architecture", "llama"), ("general.name", "sdccheck-tiny"),
                           ("general.alignment", 32), ("llama.context_length", 8)]))
    add(p, "model", "gguf-v3", "hand-written from ggml docs/gguf.md (gguf package not in Debian)", "fail")
    p = wbytes(os.path.join(M, "tiny-ggjt.bin"), ggjt_bytes([("output.weight", W)]))
    add(p, "model", "ggml-ggjt-v3", "hand-written from llama.cpp's pre-GGUF ggjt layout", "fail")

    make_lightgbm(M, X, y)
    make_pmml(M, linreg)
    make_coreml(M, linreg)
    make_tflite(M, logreg)
    make_catboost(M)
    make_skops(M, logreg)
    make_h2o_mojo(M, logreg)
    make_spark(M, logreg)
    make_mlflow(M, logreg, sk)
    make_savedmodel(M, logreg)


def make_torch(M, logreg):
    import torch
    torch.manual_seed(0)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(3, 1)

        def forward(self, x):
            return torch.sigmoid(self.linear(x))

    net = Net()
    with torch.no_grad():
        net.linear.weight.copy_(torch.tensor(logreg.coef_, dtype=torch.float32))
        net.linear.bias.copy_(torch.tensor(logreg.intercept_, dtype=torch.float32))
    tv = "torch %s" % torch.__version__
    p = os.path.join(M, "torch_state_dict.pt")
    torch.save(net.state_dict(), p)
    add(p, "model", "pytorch-zip", "%s torch.save(state_dict)" % tv, "fail")
    p = os.path.join(M, "torch_legacy.pth")
    # The legacy writer names each storage by its memory address; one shared
    # storage, renamed "0" on the way out, keeps the file reproducible.
    flat = torch.cat([net.linear.weight.detach().flatten(), net.linear.bias.detach()])
    legacy_sd = {"linear.weight": flat[:3].view(1, 3), "linear.bias": flat[3:]}
    torch.save(legacy_sd, p, pickle_module=_StableKeyPickle(), _use_new_zipfile_serialization=False)
    add(p, "model", "pytorch-legacy", "%s torch.save(_use_new_zipfile_serialization=False), storage key pinned" % tv, "fail")
    p = os.path.join(M, "torchscript.pt")
    torch.jit.script(net).save(p)
    add(p, "model", "torchscript", "%s torch.jit.script(...).save" % tv, "fail")
    p = os.path.join(M, "torch_tensor.bin")
    torch.save(torch.tensor(logreg.coef_, dtype=torch.float32), p)
    add(p, "model", "pytorch-zip", "%s torch.save(tensor) named .bin" % tv, "fail")


class _StableKeyPickle:
    """A pickle module for torch's legacy save that renames storage keys
    (memory addresses) to "0", "1"... in order of first use."""

    def __init__(self):
        self.keys = {}
        outer = self

        class Pickler(pickle.Pickler):
            _pid = None

            def _wrapped(self, obj):
                r = self._pid(obj) if self._pid else None
                if isinstance(r, tuple) and r and r[0] == "storage":
                    r = r[:2] + (outer.keys.setdefault(r[2], str(len(outer.keys))),) + r[3:]
                return r

            def _set(self, fn):
                self._pid = fn

            persistent_id = property(lambda self: self._wrapped, _set)

        self.Pickler = Pickler
        self.Unpickler = pickle.Unpickler
        self.load = pickle.load
        self.__name__ = "pickle"

    def dump(self, obj, f, protocol=2):
        if isinstance(obj, list) and obj and all(isinstance(k, str) and k in self.keys for k in obj):
            obj = [self.keys[k] for k in obj]
        pickle.dump(obj, f, protocol=protocol)


def make_onnx(M, logreg):
    import onnx
    from onnx import helper, TensorProto, numpy_helper
    W = numpy_helper.from_array(logreg.coef_.T.astype(np.float32), "W")
    B = numpy_helper.from_array(logreg.intercept_.astype(np.float32), "B")
    g = helper.make_graph(
        [helper.make_node("Gemm", ["x", "W", "B"], ["z"]),
         helper.make_node("Sigmoid", ["z"], ["p"])],
        "logreg",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 3])],
        [helper.make_tensor_value_info("p", TensorProto.FLOAT, [None, 1])],
        initializer=[W, B])
    m = helper.make_model(g, producer_name="sdccheck-testdata",
                          opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    p = os.path.join(M, "logreg.onnx")
    onnx.save(m, p)
    add(p, "model", "onnx", "onnx %s helper.make_model + onnx.save" % onnx.__version__, "fail")


def _h5group(parent, name):
    """A group without creation times, so that the file is reproducible."""
    import h5py
    gcpl = h5py.h5p.create(h5py.h5p.GROUP_CREATE)
    gcpl.set_obj_track_times(False)
    h5py.h5g.create(parent.id, name.encode(), gcpl=gcpl)
    return parent[name]


def make_keras(M, logreg):
    """Keras is not in Debian (no python3-tensorflow, python3-keras): the HDF5
    layout Keras 2 writes (root attributes model_config, keras_version,
    backend, a model_weights group) is written with the real h5py, and the
    Keras 3 .keras zip (config.json, metadata.json, model.weights.h5) by hand."""
    import h5py
    dense_cfg = {"name": "dense", "trainable": True, "dtype": "float32", "units": 1,
                 "activation": "sigmoid", "use_bias": True,
                 "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                 "bias_initializer": {"class_name": "Zeros", "config": {}},
                 "kernel_regularizer": None, "bias_regularizer": None,
                 "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
    model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3], "dtype": "float32",
                                                "sparse": False, "ragged": False, "name": "dense_input"}},
        {"class_name": "Dense", "config": dense_cfg}]}}
    kernel = logreg.coef_.T.astype("<f4")
    bias = logreg.intercept_.astype("<f4")
    p = os.path.join(M, "keras_model.h5")
    with h5py.File(p, "w", track_order=False) as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "2.11.0"
        f.attrs["model_config"] = json.dumps(model_config)
        f.attrs["training_config"] = json.dumps(
            {"loss": "binary_crossentropy", "metrics": None, "weighted_metrics": None,
             "loss_weights": None, "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.001}}})
        mw = _h5group(f, "model_weights")
        mw.attrs["backend"] = "tensorflow"
        mw.attrs["keras_version"] = "2.11.0"
        mw.attrs["layer_names"] = np.array([b"dense"])
        g = _h5group(mw, "dense")
        g.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
        g2 = _h5group(g, "dense")
        g2.create_dataset("kernel:0", data=kernel, track_times=False)
        g2.create_dataset("bias:0", data=bias, track_times=False)
    add(p, "model", "keras-hdf5", "h5py %s with the attributes Keras 2 writes (Keras not in Debian)" % h5py.__version__, "fail")

    # Keras 3 .keras: a zip of config.json, metadata.json, model.weights.h5
    wtmp = os.path.join(tempfile.mkdtemp(), "model.weights.h5")
    with h5py.File(wtmp, "w") as f:
        layers = _h5group(f, "layers")
        d = _h5group(layers, "dense")
        v = _h5group(d, "vars")
        v.create_dataset("0", data=kernel, track_times=False)
        v.create_dataset("1", data=bias, track_times=False)
        _h5group(f, "optimizer")
    cfg = {"module": "keras", "class_name": "Sequential", "registered_name": None,
           "config": {"name": "sequential", "trainable": True, "dtype": "float32", "layers": [
               {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
                "config": {"batch_shape": [None, 3], "dtype": "float32", "name": "input_layer"}},
               {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
                "config": dense_cfg, "build_config": {"input_shape": [None, 3]}}]},
           "build_config": {"input_shape": [None, 3]}}
    meta = {"keras_version": "3.0.0", "date_saved": "2024-01-01@00:00:00"}
    p = wbytes(os.path.join(M, "keras_model.keras"), zip_bytes([
        ("metadata.json", json.dumps(meta).encode()),
        ("config.json", json.dumps(cfg).encode()),
        ("model.weights.h5", rbytes(wtmp))]))
    shutil.rmtree(os.path.dirname(wtmp))
    add(p, "model", "keras-v3-zip", "hand-written from the Keras 3 .keras layout; weights by h5py %s" % h5py.__version__, "fail")


def make_xgboost(M, X, y):
    import warnings
    import xgboost as xgb
    d = xgb.DMatrix(X, label=y)
    bst = xgb.train({"max_depth": 2, "objective": "binary:logistic", "nthread": 1, "seed": 0},
                    d, num_boost_round=2)
    xv = "xgboost %s" % xgb.__version__
    for name, fmt in [("xgb_model.json", "xgboost-json"), ("xgb_model.ubj", "xgboost-ubjson"),
                      ("xgb_model.bin", "xgboost-binary"), ("xgb_model.model", "xgboost-binary")]:
        p = os.path.join(M, name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bst.save_model(p)
        add(p, "model", fmt, "%s Booster.save_model(%r)" % (xv, name), "fail")
    p = wbytes(os.path.join(M, "xgb_raw.bin"), bytes(bst.save_raw(raw_format="deprecated")))
    add(p, "model", "xgboost-binary", "%s Booster.save_raw('deprecated')" % xv, "fail")


def make_lightgbm(M, X, y):
    """LightGBM is not in Debian: its text model format (what
    Booster.save_model writes, v3), one stump, written by hand."""
    thr = float(np.median(X[:, 0]))
    tree = ("Tree=0\nnum_leaves=2\nnum_cat=0\nsplit_feature=0\nsplit_gain=4.5\n"
            "threshold=%.17g\ndecision_type=2\nleft_child=-1\nright_child=-2\n"
            "leaf_value=-0.42 0.38\nleaf_weight=2.5 2.5\nleaf_count=10 10\n"
            "internal_value=0\ninternal_weight=0\ninternal_count=20\nis_linear=0\n"
            "shrinkage=1\n\n\n" % thr)
    head = ("tree\nversion=v3\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n"
            "max_feature_idx=2\nobjective=binary sigmoid:1\nfeature_names=x0 x1 x2\n"
            "feature_infos=[-2.5:2.5] [-2.5:2.5] [-2.5:2.5]\ntree_sizes=%d\n\n" % len(tree))
    tail = ("end of trees\n\nfeature_importances:\nx0=1\n\nparameters:\n[boosting: gbdt]\n"
            "[objective: binary]\n[num_iterations: 1]\n[learning_rate: 0.1]\n[num_leaves: 2]\n"
            "end of parameters\n\npandas_categorical:null\n")
    p = wbytes(os.path.join(M, "lightgbm_model.txt"), (head + tree + tail).encode())
    add(p, "model", "lightgbm-text", "hand-written from LightGBM's text model format v3 (not in Debian)", "fail")


def make_pmml(M, linreg):
    preds = "".join('      <NumericPredictor name="x%d" exponent="1" coefficient="%.6f"/>\n' % (i, c)
                    for i, c in enumerate(linreg.coef_))
    fields = "".join('    <DataField name="x%d" optype="continuous" dataType="double"/>\n' % i
                     for i in range(3))
    mining = "".join('      <MiningField name="x%d"/>\n' % i for i in range(3))
    doc = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">\n'
           '  <Header copyright="none" description="linear regression">\n'
           '    <Application name="sdccheck testdata" version="1"/>\n'
           '    <Timestamp>2024-01-01T00:00:00</Timestamp>\n  </Header>\n'
           '  <DataDictionary numberOfFields="4">\n' + fields +
           '    <DataField name="y" optype="continuous" dataType="double"/>\n'
           '  </DataDictionary>\n'
           '  <RegressionModel modelName="linreg" functionName="regression" algorithmName="least squares">\n'
           '    <MiningSchema>\n' + mining +
           '      <MiningField name="y" usageType="target"/>\n    </MiningSchema>\n'
           '    <RegressionTable intercept="%.6f">\n' % linreg.intercept_ + preds +
           '    </RegressionTable>\n  </RegressionModel>\n</PMML>\n')
    p = wbytes(os.path.join(M, "linreg.pmml"), doc.encode())
    add(p, "model", "pmml", "hand-written PMML 4.4 RegressionModel (coefficients from sklearn)", "fail")
    p = wbytes(os.path.join(M, "linreg_pmml.xml"), doc.encode())
    add(p, "model", "pmml", "hand-written PMML 4.4 named .xml", "fail")


def make_coreml(M, linreg):
    """Core ML .mlmodel: a protobuf Model message (coremltools' Model.proto:
    specificationVersion=1, description=2, glmRegressor=300)."""
    def feature(name):
        return PB.bytes(1, name) + PB.msg(3, PB.msg(2, b""))  # FeatureType.doubleType
    desc = b"".join(PB.msg(1, feature("x%d" % i)) for i in range(3))
    desc += PB.msg(10, feature("y")) + PB.bytes(11, "y")
    desc += PB.msg(100, PB.bytes(1, "linear regression") + PB.bytes(3, "sdccheck testdata"))
    glm = PB.msg(1, PB.packed_doubles(1, linreg.coef_)) + PB.packed_doubles(2, [linreg.intercept_])
    model = PB.int(1, 1) + PB.msg(2, desc) + PB.msg(300, glm)
    p = wbytes(os.path.join(M, "linreg.mlmodel"), model)
    add(p, "model", "coreml", "hand-written protobuf per Core ML Model.proto (coremltools not in Debian)", "fail")


def make_tflite(M, logreg):
    """TFLite: a FlatBuffer with file identifier TFL3 holding a Model table
    (tensorflow/lite/schema/schema.fbs), one FULLY_CONNECTED operator, built
    with the real flatbuffers builder; TensorFlow is not in Debian."""
    import flatbuffers
    b = flatbuffers.Builder(1024)
    W = logreg.coef_.astype("<f4").tobytes()
    B = logreg.intercept_.astype("<f4").tobytes()

    def ivec(vals):
        b.StartVector(4, len(vals), 4)
        for v in reversed(vals):
            b.PrependInt32(v)
        return b.EndVector()

    def tvec(offs):
        b.StartVector(4, len(offs), 4)
        for o in reversed(offs):
            b.PrependUOffsetTRelative(o)
        return b.EndVector()

    def buffer(data):
        if data:
            b.StartVector(1, len(data), 16)
            for byte in reversed(data):
                b.PrependUint8(byte)
            dv = b.EndVector()
        b.StartObject(3)
        if data:
            b.PrependUOffsetTRelativeSlot(0, dv, 0)
        return b.EndObject()

    bufs = [buffer(b""), buffer(b""), buffer(W), buffer(B), buffer(b"")]
    tensors = []
    for name, shape, bi in [("x", [1, 3], 1), ("dense/kernel", [1, 3], 2),
                            ("dense/bias", [1], 3), ("y", [1, 1], 4)]:
        nm = b.CreateString(name)
        sh = ivec(shape)
        b.StartObject(4)
        b.PrependUOffsetTRelativeSlot(0, sh, 0)
        b.PrependInt8Slot(1, 0, 0)       # FLOAT32
        b.PrependUint32Slot(2, bi, 0)
        b.PrependUOffsetTRelativeSlot(3, nm, 0)
        tensors.append(b.EndObject())
    op_in, op_out = ivec([0, 1, 2]), ivec([3])
    b.StartObject(3)
    b.PrependUint32Slot(0, 0, 0)
    b.PrependUOffsetTRelativeSlot(1, op_in, 0)
    b.PrependUOffsetTRelativeSlot(2, op_out, 0)
    op = b.EndObject()
    tv, sg_in, sg_out, ops = tvec(tensors), ivec([0]), ivec([3]), tvec([op])
    sg_name = b.CreateString("main")
    b.StartObject(5)
    b.PrependUOffsetTRelativeSlot(0, tv, 0)
    b.PrependUOffsetTRelativeSlot(1, sg_in, 0)
    b.PrependUOffsetTRelativeSlot(2, sg_out, 0)
    b.PrependUOffsetTRelativeSlot(3, ops, 0)
    b.PrependUOffsetTRelativeSlot(4, sg_name, 0)
    sg = b.EndObject()
    b.StartObject(4)
    b.PrependInt8Slot(0, 9, 0)          # deprecated_builtin_code FULLY_CONNECTED
    b.PrependInt32Slot(2, 1, 1)
    b.PrependInt32Slot(3, 9, 0)         # builtin_code
    opcode = b.EndObject()
    opcodes, sgs, bv = tvec([opcode]), tvec([sg]), tvec(bufs)
    desc = b.CreateString("sdccheck testdata")
    b.StartObject(5)
    b.PrependUint32Slot(0, 3, 0)        # schema version 3
    b.PrependUOffsetTRelativeSlot(1, opcodes, 0)
    b.PrependUOffsetTRelativeSlot(2, sgs, 0)
    b.PrependUOffsetTRelativeSlot(3, desc, 0)
    b.PrependUOffsetTRelativeSlot(4, bv, 0)
    b.Finish(b.EndObject(), file_identifier=b"TFL3")
    p = wbytes(os.path.join(M, "logreg.tflite"), bytes(b.Output()))
    add(p, "model", "tflite", "hand-made from tflite schema.fbs with the flatbuffers %s builder (TensorFlow not in Debian)"
        % _pkgver("python3-flatbuffers"), "fail")


def _pkgver(deb):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", deb], capture_output=True,
                              text=True).stdout.strip() or "?"
    except OSError:
        return "?"


def make_catboost(M):
    """CatBoost .cbm: magic CBM1, u32 size, then the TModelCore flatbuffer
    (catboost/libs/model/flatbuffers/model.fbs). catboost is not in Debian."""
    import flatbuffers
    b = flatbuffers.Builder(256)
    fv = b.CreateString("FlabuffersModel_v1")
    kvs = []
    for k, v in [("catboost_version_info", "Git info: hand-written for sdccheck"),
                 ("model_guid", "00000000-0000-0000-0000-000000000000"),
                 ("params", '{"loss_function":"Logloss","iterations":1}')]:
        ks, vs = b.CreateString(k), b.CreateString(v)
        b.StartObject(2)
        b.PrependUOffsetTRelativeSlot(0, ks, 0)
        b.PrependUOffsetTRelativeSlot(1, vs, 0)
        kvs.append(b.EndObject())
    b.StartVector(4, len(kvs), 4)
    for o in reversed(kvs):
        b.PrependUOffsetTRelative(o)
    info = b.EndVector()
    b.StartObject(4)
    b.PrependUOffsetTRelativeSlot(0, fv, 0)
    b.PrependUOffsetTRelativeSlot(2, info, 0)
    b.Finish(b.EndObject())
    core = bytes(b.Output())
    p = wbytes(os.path.join(M, "catboost_model.cbm"), b"CBM1" + struct.pack("<I", len(core)) + core)
    add(p, "model", "catboost-cbm", "hand-written from CatBoost's CBM1 + TModelCore flatbuffer layout (not in Debian)", "fail")


def make_skops(M, logreg):
    """skops .skops: a zip with schema.json and one .npy per array
    (skops/io/_persist.py, protocol 1). skops is not in Debian; the arrays are
    written by numpy."""
    members = []
    content = {}

    def js(v):
        return {"__class__": type(v).__name__, "__module__": "builtins", "__loader__": "JsonNode",
                "content": json.dumps(v), "is_json": True}

    for k, v in sorted(logreg.get_params().items()):
        content[k] = js(v)
    for i, k in enumerate(["classes_", "coef_", "intercept_", "n_iter_"]):
        arr = getattr(logreg, k)
        fname = "%032x.npy" % (i + 1)
        bio = io.BytesIO()
        np.save(bio, arr, allow_pickle=False)
        members.append((fname, bio.getvalue()))
        content[k] = {"__class__": "ndarray", "__module__": "numpy", "__loader__": "NdArrayNode",
                      "type": "numpy", "file": fname}
    content["n_features_in_"] = js(int(logreg.n_features_in_))
    schema = {"__class__": "LogisticRegression", "__module__": "sklearn.linear_model._logistic",
              "__loader__": "ObjectNode",
              "content": {"__class__": "dict", "__module__": "builtins", "__loader__": "DictNode",
                          "content": content},
              "protocol": 1, "_skops_version": "0.6.0"}
    members.insert(0, ("schema.json", json.dumps(schema, indent=2).encode()))
    p = wbytes(os.path.join(M, "logreg.skops"), zip_bytes(members))
    add(p, "model", "skops", "hand-written from skops' zip + schema.json layout (skops not in Debian); arrays by numpy", "fail")


def make_h2o_mojo(M, logreg):
    coef = ", ".join("%.6f" % c for c in list(logreg.coef_[0]) + [logreg.intercept_[0]])
    ini = ("[info]\nh2o_version = 3.40.0.4\nmojo_version = 1.00\nlicense = Apache License Version 2.0\n"
           "algo = glm\nalgorithm = Generalized Linear Modeling\nendianness = LITTLE_ENDIAN\n"
           "category = Binomial\nuuid = 1234567890\nsupervised = true\nn_features = 3\nn_classes = 2\n"
           "n_columns = 4\nn_domains = 1\nbalance_classes = false\ndefault_threshold = 0.5\n"
           "prior_class_distrib = [0.5, 0.5]\nmodel_class_distrib = [0.5, 0.5]\n"
           "timestamp = 2024-01-01T00:00:00.000Z\nuse_all_factor_levels = false\ncats = 0\n"
           "cat_offsets = [0]\nnums = 3\nmean_imputation = false\nbeta = [%s]\nfamily = binomial\n"
           "link = logit\n\n[columns]\nx0\nx1\nx2\ny\n\n[domains]\n3: 2 d000.txt\n" % coef)
    details = {"model_id": "GLM_model_python_1", "algo": "glm", "output": {"model_category": "Binomial"}}
    p = wbytes(os.path.join(M, "GLM_model_python_1.zip"), zip_bytes([
        ("model.ini", ini.encode()), ("domains/d000.txt", b"0\n1\n"),
        ("experimental/modelDetails.json", json.dumps(details).encode())]))
    add(p, "model", "h2o-mojo", "hand-written from H2O's MOJO layout (model.ini, domains/); h2o not in Debian", "fail")


def make_spark(M, logreg):
    """Spark ML model folder: metadata/part-00000 (one JSON line with
    sparkVersion) and data/ as Parquet. pyspark is not in Debian."""
    root = os.path.join(M, "spark_logreg_model")
    shutil.rmtree(root, ignore_errors=True)
    meta = {"class": "org.apache.spark.ml.classification.LogisticRegressionModel",
            "timestamp": 1704067200000, "sparkVersion": "3.4.1", "uid": "LogisticRegression_0f1e2d3c4b5a",
            "paramMap": {"maxIter": 100, "regParam": 0.0},
            "defaultParamMap": {"threshold": 0.5, "family": "auto", "featuresCol": "features",
                                "labelCol": "label", "predictionCol": "prediction"}}
    wbytes(os.path.join(root, "metadata", "part-00000"), (json.dumps(meta) + "\n").encode())
    wbytes(os.path.join(root, "metadata", "_SUCCESS"), b"")
    cols = [("numClasses", "int64", [2]), ("numFeatures", "int64", [3]),
            ("interceptVector", "double", [logreg.intercept_[0]]),
            ("coefficient0", "double", [logreg.coef_[0][0]])]
    wbytes(os.path.join(root, "data", "part-00000-5f0c1d2e-0000-c000.parquet"), parquet_file(cols))
    wbytes(os.path.join(root, "data", "_SUCCESS"), b"")
    add(root, "model", "spark-ml-folder", "hand-written from Spark ML's save() layout (pyspark not in Debian)", "fail")


def make_mlflow(M, logreg, sk):
    root = os.path.join(M, "mlflow_model")
    shutil.rmtree(root, ignore_errors=True)
    mlmodel = ("artifact_path: model\nflavors:\n  python_function:\n    env:\n      conda: conda.yaml\n"
               "      virtualenv: python_env.yaml\n    loader_module: mlflow.sklearn\n"
               "    model_path: model.pkl\n    predict_fn: predict\n    python_version: 3.11.2\n"
               "  sklearn:\n    code: null\n    pickled_model: model.pkl\n"
               "    serialization_format: cloudpickle\n    sklearn_version: 1.2.1\n"
               "mlflow_version: 2.9.2\nmodel_uuid: 0a1b2c3d4e5f40718293a4b5c6d7e8f9\n"
               "run_id: 9f8e7d6c5b4a39281706f5e4d3c2b1a0\nutc_time_created: '2024-01-01 00:00:00.000000'\n")
    wbytes(os.path.join(root, "MLmodel"), mlmodel.encode())
    wbytes(os.path.join(root, "conda.yaml"),
           b"channels:\n- conda-forge\ndependencies:\n- python=3.11.2\n- pip\n- pip:\n  - mlflow==2.9.2\n  - scikit-learn==1.2.1\nname: mlflow-env\n")
    wbytes(os.path.join(root, "python_env.yaml"),
           b"python: 3.11.2\nbuild_dependencies:\n- pip\ndependencies:\n- -r requirements.txt\n")
    wbytes(os.path.join(root, "requirements.txt"), b"mlflow==2.9.2\nscikit-learn==1.2.1\n")
    wbytes(os.path.join(root, "model.pkl"), pickle.dumps(logreg, protocol=4))
    add(root, "model", "mlflow-folder",
        "hand-written MLmodel YAML per MLflow's model format; model.pkl by %s pickle (mlflow not in Debian)" % sk, "fail")

    # an MLflow folder whose model is not a pickle: only the MLmodel file says what it is
    root2 = os.path.join(M, "mlflow_onnx_model")
    shutil.rmtree(root2, ignore_errors=True)
    wbytes(os.path.join(root2, "MLmodel"), (
        "artifact_path: model\nflavors:\n  onnx:\n    code: null\n    data: model.onnx\n"
        "    onnx_version: 1.12.0\n    providers:\n    - CPUExecutionProvider\n"
        "  python_function:\n    data: model.onnx\n    loader_module: mlflow.onnx\n"
        "    python_version: 3.11.2\nmlflow_version: 2.9.2\n"
        "utc_time_created: '2024-01-01 00:00:00.000000'\n").encode())
    shutil.copy(os.path.join(M, "logreg.onnx"), os.path.join(root2, "model.onnx"))
    add(root2, "model", "mlflow-folder", "hand-written MLmodel YAML; model.onnx by onnx", "fail")


def _tf_tensor_bundle(tensors):
    """A TensorFlow tensor bundle (checkpoint / SavedModel variables):
    .index = SSTable of BundleHeaderProto + BundleEntryProto per tensor,
    .data-00000-of-00001 = the raw tensor bytes."""
    data = b""
    entries = [(b"", PB.int(1, 1) + PB.msg(3, PB.int(1, 1)))]  # num_shards=1, version{producer=1}
    for name, arr in sorted(tensors):
        arr = np.ascontiguousarray(arr, dtype="<f4")
        raw = arr.tobytes()
        shape = b"".join(PB.msg(2, PB.int(1, d)) for d in arr.shape)
        e = (PB.int(1, 1) + PB.msg(2, shape) + (PB.int(4, len(data)) if data else b"")
             + PB.int(5, len(raw)) + PB.fixed32(6, masked_crc32c(raw)))
        entries.append((name.encode(), e))
        data += raw
    return leveldb_table(entries), data


def make_savedmodel(M, logreg):
    """TensorFlow is not in Debian: saved_model.pb (a SavedModel protobuf:
    schema version 1, one MetaGraphDef tagged 'serve' with a tiny GraphDef)
    and variables/ (a tensor bundle) are written by hand from TF's protos;
    so is a TF2 checkpoint folder."""
    root = os.path.join(M, "tf_savedmodel")
    shutil.rmtree(root, ignore_errors=True)

    def node(name, op, inputs=(), dtype=1):
        attr = PB.msg(5, PB.bytes(1, "dtype") + PB.msg(2, PB.int(6, dtype)))  # map<string,AttrValue>, AttrValue.type
        return PB.msg(1, PB.bytes(1, name) + PB.bytes(2, op) +
                      b"".join(PB.bytes(3, i) for i in inputs) + attr)

    graph = (node("serving_default_x", "Placeholder") + node("dense/kernel", "VarHandleOp") +
             node("dense/MatMul", "MatMul", ["serving_default_x", "dense/kernel"]) +
             node("StatefulPartitionedCall", "Sigmoid", ["dense/MatMul"]) +
             PB.msg(4, PB.int(1, 1286) + PB.int(2, 0)))   # versions { producer min_consumer }
    meta_info = PB.bytes(1, "") + PB.bytes(4, "serve") + PB.bytes(5, "2.15.0") + PB.bytes(6, "v2.15.0-0-g6887368d6d4")
    sig = PB.msg(5, PB.bytes(1, "serving_default") +
                 PB.msg(2, PB.bytes(3, "tensorflow/serving/predict")))
    meta_graph = PB.msg(1, meta_info) + PB.msg(2, graph) + sig
    pb = PB.int(1, 1) + PB.msg(2, meta_graph)
    wbytes(os.path.join(root, "saved_model.pb"), pb)
    wbytes(os.path.join(root, "fingerprint.pb"), PB.int(1, 123456789) + PB.int(2, 987654321))
    idx, data = _tf_tensor_bundle([("dense/kernel/.ATTRIBUTES/VARIABLE_VALUE", logreg.coef_.T),
                                   ("dense/bias/.ATTRIBUTES/VARIABLE_VALUE", logreg.intercept_)])
    wbytes(os.path.join(root, "variables", "variables.index"), idx)
    wbytes(os.path.join(root, "variables", "variables.data-00000-of-00001"), data)
    os.makedirs(os.path.join(root, "assets"), exist_ok=True)
    add(root, "model", "tf-savedmodel", "hand-made from TF's saved_model.proto + tensor bundle format (TensorFlow not in Debian)", "fail")

    ck = os.path.join(M, "tf_checkpoint")
    shutil.rmtree(ck, ignore_errors=True)
    wbytes(os.path.join(ck, "checkpoint"),
           b'model_checkpoint_path: "ckpt-1"\nall_model_checkpoint_paths: "ckpt-1"\n'
           b'all_model_checkpoint_timestamps: 1704067200.0\nlast_preserved_timestamp: 1704067200.0\n')
    wbytes(os.path.join(ck, "ckpt-1.index"), idx)
    wbytes(os.path.join(ck, "ckpt-1.data-00000-of-00001"), data)
    add(ck, "model", "tf-checkpoint", "hand-made from TF's tensor bundle format (TensorFlow not in Debian)", "fail")
    p = wbytes(os.path.join(M, "model.ckpt.index"), idx)
    add(p, "model", "tf-checkpoint-index", "hand-made SSTable with TF's table magic", "fail")


# --------------------------------------------------------------------------
# record-level data files
# --------------------------------------------------------------------------
def people_frame(n=200):
    import pandas as pd
    rng = np.random.RandomState(7)
    return pd.DataFrame({
        "person_id": np.arange(100001, 100001 + n, dtype=np.int64),
        "sex": rng.choice(["F", "M"], n),
        "age": rng.randint(18, 91, n).astype(np.int64),
        "region": rng.choice(["North East", "London", "Wales", "South West", "East Midlands"], n),
        "date_of_birth": ["%04d-%02d-%02d" % (1930 + a, 1 + a % 12, 1 + a % 28)
                          for a in rng.randint(0, 70, n)],
        "income": np.round(rng.lognormal(10, 0.5, n), 0),
    })


def make_data(ctx):
    import pandas as pd
    D = mkdir(ART, "data")
    df = people_frame()
    ctx["people"] = df
    pv = "pandas %s" % pd.__version__

    p = os.path.join(D, "people.csv")
    df.to_csv(p, index=False, lineterminator="\n")
    add(p, "data", "csv-microdata", "%s DataFrame.to_csv (200 rows, id column)" % pv, "fail")

    p = os.path.join(D, "people_pandas.dta")
    df.to_stata(p, write_index=False, version=118, time_stamp=FIXED_DT)
    add(p, "data", "stata-dta-118", "%s DataFrame.to_stata(version=118)" % pv, "fail")
    p = os.path.join(D, "people_pandas_v114.dta")
    df.to_stata(p, write_index=False, version=114, time_stamp=FIXED_DT)
    add(p, "data", "stata-dta-114", "%s DataFrame.to_stata(version=114)" % pv, "fail")

    p = os.path.join(D, "people.sqlite")
    if os.path.exists(p):
        os.remove(p)
    con = sqlite3.connect(p)
    df.to_sql("people", con, index=False)
    con.commit()
    con.close()
    add(p, "data", "sqlite3", "sqlite %s via %s DataFrame.to_sql" % (sqlite3.sqlite_version, pv), "fail")

    import h5py
    p = os.path.join(D, "people.h5")
    rec = np.array(list(zip(df.person_id, df.sex.str.encode("ascii"), df.age, df.income)),
                   dtype=[("person_id", "<i8"), ("sex", "S1"), ("age", "<i8"), ("income", "<f8")])
    with h5py.File(p, "w") as f:
        f.create_dataset("people", data=rec, track_times=False)
        f.attrs["title"] = "survey extract"
    add(p, "data", "hdf5-table", "h5py %s compound dataset (no model attributes)" % h5py.__version__, "fail")

    p = os.path.join(D, "people_pandas.hdf5")
    if os.path.exists(p):
        os.remove(p)
    import tables
    df.to_hdf(p, key="people", mode="w", format="table", complevel=0)
    add(p, "data", "hdf5-pytables", "%s DataFrame.to_hdf (PyTables %s)" % (pv, tables.__version__), "fail")

    import warnings
    import feather
    p = os.path.join(D, "people_v1.feather")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        feather.write_dataframe(df, p)
    add(p, "data", "feather-v1", "feather-format %s write_dataframe (Feather V1)" % _pkgver("python3-feather-format"), "fail")

    cols_pq = [("person_id", "int64", list(df.person_id)), ("sex", "string", list(df.sex)),
               ("age", "int64", list(df.age)), ("region", "string", list(df.region)),
               ("income", "double", list(df.income))]
    p = wbytes(os.path.join(D, "people.parquet"), parquet_file(cols_pq))
    add(p, "data", "parquet", "hand-written from the Apache Parquet format spec (pyarrow/fastparquet not in Debian)", "fail")
    cols_ar = [("person_id", "int64", list(df.person_id)), ("sex", "utf8", list(df.sex)),
               ("age", "int64", list(df.age)), ("region", "utf8", list(df.region))]
    p = wbytes(os.path.join(D, "people.arrow"), arrow_ipc_file(cols_ar))
    add(p, "data", "arrow-ipc", "hand-written from the Arrow IPC file format spec (pyarrow not in Debian)", "fail")
    p = wbytes(os.path.join(D, "people_v2.feather"), arrow_ipc_file(cols_ar))
    add(p, "data", "feather-v2", "hand-written Arrow IPC file named .feather (pyarrow not in Debian)", "fail")

    # readstat CLI: SAS7BDAT from the pandas .dta (the time of writing goes in the header)
    if shutil.which("readstat"):
        p = os.path.join(D, "people_readstat.sas7bdat")
        if os.path.exists(p):
            os.remove(p)
        cmd = ["readstat", os.path.join(D, "people_pandas.dta"), p]
        if shutil.which("faketime") and "FAKETIME" not in os.environ:
            cmd = ["faketime", "-f", "2024-01-01 00:00:00"] + cmd
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode == 0 and os.path.exists(p):
            add(p, "data", "sas7bdat", "readstat %s CLI (dta -> sas7bdat)" % _pkgver("readstat"), "fail")
        else:
            print("readstat failed:", r.stderr, file=sys.stderr)


# --------------------------------------------------------------------------
# scientific and legacy data formats (issue 10, point 7): MATLAB, netCDF,
# dBase, MessagePack and NumPy record arrays, written by their own libraries
# --------------------------------------------------------------------------
def make_data_formats(ctx):
    import dbf
    import hdf5storage
    import msgpack
    import netCDF4
    import scipy
    import scipy.io
    D = mkdir(ART, "data")
    G = mkdir(ART, "disguised")
    df = ctx.get("people")
    if df is None:
        df = people_frame()
    df = df.head(60)  # a few KB each
    cols = {
        "person_id": df.person_id.to_numpy(np.int64),
        "age": df.age.to_numpy(np.int64),
        "income": df.income.to_numpy(np.float64),
        "sex": np.array(list(df.sex), dtype="U1"),
        "region": np.array(list(df.region), dtype="U13"),
    }
    sv = "scipy %s" % scipy.__version__

    # MATLAB: Level 5 (uncompressed, as -v6; compressed, as -v7), Level 4, 7.3 (HDF5)
    p = os.path.join(D, "people_v5.mat")
    scipy.io.savemat(p, cols, format="5", do_compression=False, oned_as="column")
    add(p, "data", "matlab-v5", "%s scipy.io.savemat(format='5')" % sv, "fail")
    p = os.path.join(D, "people_v7.mat")
    scipy.io.savemat(p, cols, format="5", do_compression=True, oned_as="column")
    add(p, "data", "matlab-v5-compressed", "%s scipy.io.savemat(format='5', do_compression=True)" % sv, "fail")
    p = os.path.join(D, "people_v4.mat")
    scipy.io.savemat(p, {k: v for k, v in cols.items() if v.dtype.kind != "U"}, format="4", oned_as="column")
    add(p, "data", "matlab-v4", "%s scipy.io.savemat(format='4'), numeric columns" % sv, "fail")
    p = os.path.join(D, "people_v73.mat")
    if os.path.exists(p):
        os.remove(p)
    hdf5storage.savemat(p, {k: v for k, v in cols.items()}, format="7.3", store_python_metadata=False,
                        matlab_compatible=True)
    add(p, "data", "matlab-v7.3", "hdf5storage %s savemat(format='7.3') (HDF5 behind a MATLAB user block)"
        % _pkgver("python3-hdf5storage"), "fail")

    # netCDF: classic and 64-bit offset (scipy), CDF-5 and netCDF-4 (netCDF4 / netcdf-c)
    for version, name, fmt in [(1, "people_classic.nc", "netcdf-classic"),
                               (2, "people_64bit.nc", "netcdf-64bit-offset")]:
        p = os.path.join(D, name)
        f = scipy.io.netcdf_file(p, "w", version=version)
        f.createDimension("person", len(df))
        for k in ("person_id", "age"):
            v = f.createVariable(k, "i", ("person",))
            v[:] = cols[k].astype(np.int32)
        v = f.createVariable("income", "d", ("person",))
        v[:] = cols["income"]
        f.close()
        add(p, "data", fmt, "%s scipy.io.netcdf_file(version=%d)" % (sv, version), "fail")
    for fmt_nc, name, fmt in [("NETCDF3_64BIT_DATA", "people_cdf5.nc", "netcdf-cdf5"),
                              ("NETCDF4", "people_netcdf4.nc", "netcdf4")]:
        p = os.path.join(D, name)
        if os.path.exists(p):
            os.remove(p)
        ds = netCDF4.Dataset(p, "w", format=fmt_nc)
        ds.createDimension("person", len(df))
        for k in ("person_id", "age"):
            ds.createVariable(k, "i8", ("person",))[:] = cols[k]
        ds.createVariable("income", "f8", ("person",))[:] = cols["income"]
        ds.close()
        add(p, "data", fmt, "netCDF4 %s (netcdf-c %s) Dataset(format='%s')"
            % (netCDF4.__version__, netCDF4.__netcdf4libversion__, fmt_nc), "fail")

    # dBase: dBase III and Visual FoxPro tables (python-dbf)
    for kind, name, fmt in [("db3", "people.dbf", "dbase-iii"), ("vfp", "people_vfp.dbf", "dbase-vfp")]:
        p = os.path.join(D, name)
        if os.path.exists(p):
            os.remove(p)
        t = dbf.Table(p, "person_id N(9,0); sex C(1); age N(3,0); region C(13); income N(10,0)",
                      dbf_type=kind, codepage="cp1252")
        t.open(dbf.READ_WRITE)
        for r in df.itertuples():
            t.append((int(r.person_id), r.sex, int(r.age), r.region, int(r.income)))
        t.close()
        # the header's date of last update is today's: pin it (2024-01-01)
        b = bytearray(rbytes(p))
        b[1:4] = bytes([124, 1, 1])
        wbytes(p, bytes(b))
        add(p, "data", fmt, "python-dbf %s Table(dbf_type='%s'), update date set to 2024-01-01"
            % (_pkgver("python3-dbf"), kind), "fail")

    # MessagePack: a list of records
    records = [{"person_id": int(r.person_id), "sex": r.sex, "age": int(r.age), "region": r.region,
                "income": float(r.income)} for r in df.itertuples()]
    mp = msgpack.packb(records)
    p = wbytes(os.path.join(D, "people.msgpack"), mp)
    add(p, "data", "msgpack", "msgpack %s packb(list of records)" % ".".join(map(str, msgpack.version)), "fail")

    # NumPy record array: version 2.0, and the same bytes with a version no NumPy has written
    rec = np.array(list(zip(cols["person_id"], cols["age"], cols["income"])),
                   dtype=[("person_id", "<i8"), ("age", "<i8"), ("income", "<f8")])
    buf = io.BytesIO()
    np.lib.format.write_array(buf, rec, version=(2, 0))
    p = wbytes(os.path.join(D, "people_records_v2.npy"), buf.getvalue())
    add(p, "data", "npy-v2", "numpy %s lib.format.write_array(version=(2, 0)), a record array" % np.__version__, "fail")
    odd = bytearray(buf.getvalue())
    odd[6] = 4  # major version 4: not written by any NumPy yet
    p = wbytes(os.path.join(D, "people_records_v4.npy"), bytes(odd))
    add(p, "data", "npy-unknown-version", "people_records_v2.npy with the major version byte set to 4", "fail")

    # disguises: renamed, and inside a zip with a safe table
    p = wbytes(os.path.join(G, "register.csv"), rbytes(os.path.join(D, "people.dbf")))
    add(p, "data", "dbase-iii", "from data/people.dbf", "fail", "renamed")
    p = wbytes(os.path.join(G, "survey.json"), mp)
    add(p, "data", "msgpack", "from data/people.msgpack", "fail", "renamed")
    p = wbytes(os.path.join(G, "matlab_outputs.zip"),
               zip_bytes([("outputs/region_by_sex.csv", safe_csv()),
                          ("outputs/workspace.mat", rbytes(os.path.join(D, "people_v5.mat")))]))
    add(p, "data", "matlab-v5", "from data/people_v5.mat in a zip with a safe table", "fail", "zip")


# --------------------------------------------------------------------------
# benign outputs: must pass or be review, never fail
# --------------------------------------------------------------------------
SAFE_TABLE = [  # region, Female, Male (all >= 10, no cell dominates its row)
    ("North East", 410, 395), ("North West", 1085, 1040), ("London", 1385, 1350),
    ("Wales", 490, 465), ("South West", 865, 830)]


def safe_csv():
    lines = ["region,Female,Male,Total"]
    for r, f, m in SAFE_TABLE:
        lines.append("%s,%d,%d,%d" % (r, f, m, f + m))
    tf = sum(r[1] for r in SAFE_TABLE)
    tm = sum(r[2] for r in SAFE_TABLE)
    lines.append("Total,%d,%d,%d" % (tf, tm, tf + tm))
    return ("\n".join(lines) + "\n").encode()


def make_chart():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams["svg.hashsalt"] = "sdccheck"
    fig, ax = plt.subplots(figsize=(4, 3), dpi=72)
    regions = [r[0] for r in SAFE_TABLE]
    x = np.arange(len(regions))
    ax.bar(x - 0.2, [r[1] for r in SAFE_TABLE], 0.4, label="Female")
    ax.bar(x + 0.2, [r[2] for r in SAFE_TABLE], 0.4, label="Male")
    ax.set_xticks(x, regions, rotation=30, ha="right", fontsize=7)
    ax.set_ylabel("Number of people")
    ax.set_title("People by region and sex")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig, matplotlib.__version__


def make_benign(ctx):
    import matplotlib.pyplot as plt
    B = mkdir(BEN)
    fig, mv = make_chart()
    mpl = "matplotlib %s" % mv
    p = os.path.join(B, "chart.png")
    fig.savefig(p, format="png", metadata={"Software": None})
    add(p, "benign", "png", mpl + " savefig(png)", "pass-or-review")
    ctx["png"] = rbytes(p)
    p = os.path.join(B, "chart.pdf")
    fig.savefig(p, format="pdf", metadata={"CreationDate": None, "Producer": None, "Creator": None})
    add(p, "benign", "pdf", mpl + " savefig(pdf)", "pass-or-review")
    ctx["pdf"] = rbytes(p)
    p = os.path.join(B, "chart.svg")
    fig.savefig(p, format="svg", metadata={"Date": None, "Creator": None})
    add(p, "benign", "svg", mpl + " savefig(svg)", "pass-or-review")
    plt.close(fig)
    from PIL import Image
    import PIL
    p = os.path.join(B, "chart.jpg")
    Image.open(io.BytesIO(ctx["png"])).convert("RGB").save(p, "JPEG", quality=80)
    add(p, "benign", "jpeg", "Pillow %s Image.save(JPEG) of the matplotlib chart" % PIL.__version__, "pass-or-review")
    ctx["jpg"] = rbytes(p)

    p = wbytes(os.path.join(B, "region_by_sex.csv"), safe_csv())
    add(p, "benign", "csv-table", "hand-written safe frequency table (all counts >= 10)", "pass-or-review")
    ctx["safe_csv"] = rbytes(p)

    # docx report (python-docx), with the chart as a picture
    import docx
    from docx.shared import Inches
    d = docx.Document()
    d.core_properties.author = "Analyst"
    d.core_properties.created = FIXED_DT
    d.core_properties.modified = FIXED_DT
    d.core_properties.last_modified_by = "Analyst"
    d.add_heading("Employment survey: summary of outputs", 1)
    d.add_paragraph("This report describes the tables requested for release. All counts are "
                    "unweighted and at least 10. Disclosure control was applied before export.")
    t = d.add_table(rows=1, cols=3)
    t.rows[0].cells[0].text, t.rows[0].cells[1].text, t.rows[0].cells[2].text = "Region", "Female", "Male"
    for r, f, m in SAFE_TABLE:
        c = t.add_row().cells
        c[0].text, c[1].text, c[2].text = r, str(f), str(m)
    d.add_picture(os.path.join(B, "chart.png"), width=Inches(4))
    d.add_paragraph("The chart shows the same counts as the table.")
    p = os.path.join(B, "report.docx")
    d.save(p)
    normalise_zip(p)
    add(p, "benign", "docx", "python-docx %s Document.save (text, table, picture)" % _pkgver("python3-docx"), "pass-or-review")
    ctx["docx"] = rbytes(p)

    # safe xlsx (openpyxl)
    import openpyxl
    wb = openpyxl.Workbook()
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    wb.properties.creator = "Analyst"
    ws = wb.active
    ws.title = "region_by_sex"
    ws.append(["region", "Female", "Male", "Total"])
    for r, f, m in SAFE_TABLE:
        ws.append([r, f, m, f + m])
    ws.append(["Total", sum(r[1] for r in SAFE_TABLE), sum(r[2] for r in SAFE_TABLE),
               sum(r[1] + r[2] for r in SAFE_TABLE)])
    p = os.path.join(B, "table.xlsx")
    wb.save(p)
    normalise_zip(p)
    add(p, "benign", "xlsx", "openpyxl %s Workbook.save (counts >= 10)" % openpyxl.__version__, "pass-or-review")
    ctx["xlsx"] = rbytes(p)

    # code that merely mentions the serialisers
    code_py = '''"""Fit the model inside the environment; only the coefficient table leaves."""
import pickle
import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("/data/project/extract.csv")
model = LogisticRegression().fit(df[["age", "income"]], df["employed"])

# Keep the fitted model INSIDE the environment (never request it for export):
with open("/data/project/work/model.pkl", "wb") as f:
    pickle.dump(model, f)
joblib.dump(model, "/data/project/work/model.joblib")
# torch.save(net.state_dict(), "weights.pt") and np.save("w.npy", w) are not used here.

coef = pd.DataFrame({"term": ["age", "income"], "estimate": model.coef_[0]})
coef.to_csv("outputs/coefficients.csv", index=False)
'''
    p = wbytes(os.path.join(B, "analysis.py"), code_py.encode())
    add(p, "benign", "code-python", "hand-written Python script mentioning pickle.dump/joblib.dump", "pass-or-review")
    code_r = '''# Fit inside the environment; export only the summary table.
library(rpart)
df <- readRDS("/data/project/extract.rds")
fit <- lm(income ~ age + region, data = df)
saveRDS(fit, "/data/project/work/fit.rds")   # stays inside: model objects are not exported
save(fit, file = "/data/project/work/fit.RData")
tab <- as.data.frame(table(df$region, df$sex))
names(tab) <- c("region", "sex", "n")
write.csv(tab, "outputs/region_by_sex.csv", row.names = FALSE)
'''
    p = wbytes(os.path.join(B, "analysis.R"), code_r.encode())
    add(p, "benign", "code-r", "hand-written R script mentioning saveRDS/save", "pass-or-review")
    code_do = '''* Tabulate region by sex; the estimates file stays inside the environment.
use "/data/project/extract.dta", clear
logit employed age income
estimates save "/data/project/work/logit_model", replace
* python: import pickle; pickle.dump(m, open("m.pkl","wb"))  -- not used
collapse (count) n=person_id, by(region sex)
export delimited using "outputs/region_by_sex.csv", replace
'''
    p = wbytes(os.path.join(B, "analysis.do"), code_do.encode())
    add(p, "benign", "code-stata", "hand-written Stata do-file mentioning estimates save / pickle.dump", "pass-or-review")
    code_sql = ("-- counts by region; the person table stays inside\n"
                "SELECT region, sex, COUNT(*) AS n FROM people GROUP BY region, sex HAVING COUNT(*) >= 10;\n")
    p = wbytes(os.path.join(B, "query.sql"), code_sql.encode())
    add(p, "benign", "code-sql", "hand-written SQL", "pass-or-review")

    md = ("# Output request: employment survey\n\n"
          "Files requested for release:\n\n"
          "| file | contents |\n|---|---|\n| region_by_sex.csv | counts of people by region and sex |\n"
          "| chart.png | bar chart of the same counts |\n\n"
          "All counts are at least 10. The fitted model (`model.pkl`, saved with `pickle.dump`) "
          "and the `.rds` files stay in the environment.\n\n"
          "Checksums are listed in `checksums.txt`.\n")
    p = wbytes(os.path.join(B, "README.md"), md.encode())
    add(p, "benign", "markdown", "hand-written Markdown", "pass-or-review")
    html = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Summary</title></head>\n"
            "<body><h1>People by region and sex</h1>\n<table>\n<tr><th>region</th><th>Female</th><th>Male</th></tr>\n" +
            "".join("<tr><td>%s</td><td>%d</td><td>%d</td></tr>\n" % r for r in SAFE_TABLE) +
            "</table>\n<p>Counts are unweighted; all cells are at least 10.</p></body></html>\n")
    p = wbytes(os.path.join(B, "summary.html"), html.encode())
    add(p, "benign", "html", "hand-written HTML", "pass-or-review")
    summ = {"title": "People by region and sex", "source": "employment survey 2023",
            "n_total": sum(r[1] + r[2] for r in SAFE_TABLE), "threshold_applied": 10,
            "tables": [{"file": "region_by_sex.csv", "rows": len(SAFE_TABLE) + 1, "columns": 4}]}
    p = wbytes(os.path.join(B, "summary.json"), (json.dumps(summ, indent=2) + "\n").encode())
    add(p, "benign", "json", "hand-written JSON summary (json.dumps)", "pass-or-review")

    sums = "".join("%s  %s\n" % (hashlib.sha256(rbytes(os.path.join(B, f))).hexdigest(), f)
                   for f in ["chart.png", "chart.pdf", "region_by_sex.csv", "report.docx"])
    p = wbytes(os.path.join(B, "checksums.txt"), sums.encode())
    add(p, "benign", "text-sha256sums", "hashlib sha256 hex digests (long hex strings that are not artefacts)", "pass-or-review")

    p = wbytes(os.path.join(B, "outputs.zip"), zip_bytes([
        ("outputs/region_by_sex.csv", ctx["safe_csv"]), ("outputs/chart.png", ctx["png"])]))
    add(p, "benign", "zip", "python zipfile of a safe csv + png", "pass-or-review")
    p = wbytes(os.path.join(B, "outputs.tar.gz"), tar_bytes([
        ("outputs/region_by_sex.csv", ctx["safe_csv"]), ("outputs/README.md", md.encode())]))
    add(p, "benign", "tar.gz", "python tarfile+gzip of a safe csv + md", "pass-or-review")

    import nbformat
    from nbformat import v4
    nb = v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python", "version": "3.11.2"}}
    c0 = v4.new_markdown_cell("# Counts by region\nOnly aggregate counts are printed.")
    c1 = v4.new_code_cell("import pandas as pd\ntab = pd.read_csv('outputs/region_by_sex.csv')\nprint(tab)",
                          execution_count=1)
    c1.outputs = [v4.new_output("stream", name="stdout", text=ctx["safe_csv"].decode())]
    c2 = v4.new_code_cell("tab['Total'].sum()", execution_count=2)
    c2.outputs = [v4.new_output("execute_result", data={"text/plain": str(sum(r[1] + r[2] for r in SAFE_TABLE))},
                                execution_count=2)]
    nb.cells = [c0, c1, c2]
    for i, c in enumerate(nb.cells):
        c["id"] = "cell-%d" % i
    p = wbytes(os.path.join(B, "notebook.ipynb"), nbformat.writes(nb).encode())
    add(p, "benign", "ipynb", "nbformat %s writes (text outputs only)" % nbformat.__version__, "pass-or-review")
    # the commonest real notebook: a chart embedded as base64 PNG
    c3 = v4.new_code_cell("tab.plot.bar(x='region')", execution_count=3)
    c3.outputs = [v4.new_output("display_data",
                                data={"image/png": base64.b64encode(ctx["png"]).decode(),
                                      "text/plain": "<Figure size 288x216 with 1 Axes>"})]
    c3["id"] = "cell-3"
    nb.cells.append(c3)
    p = wbytes(os.path.join(B, "notebook_with_chart.ipynb"), nbformat.writes(nb).encode())
    add(p, "benign", "ipynb", "nbformat %s writes (text + base64 PNG chart output)" % nbformat.__version__, "pass-or-review")
    ctx["nb"] = nb


# --------------------------------------------------------------------------
# disguises, built from the real artefacts above
# --------------------------------------------------------------------------
def make_disguised(ctx):
    G = mkdir(ART, "disguised")
    M = os.path.join(ART, "models")
    pkl = rbytes(os.path.join(M, "sklearn_logreg_p4.pkl"))
    pkl0 = rbytes(os.path.join(M, "sklearn_logreg_p0.pkl"))
    jl = rbytes(os.path.join(M, "sklearn_logreg.joblib"))
    npy = rbytes(os.path.join(M, "weights.npy"))
    st = rbytes(os.path.join(M, "model.safetensors"))
    src = "from models/sklearn_logreg_p4.pkl"

    def put(name, data, fmt, disguise, made_by=src, expected="fail"):
        p = wbytes(os.path.join(G, name), data)
        add(p, "model", fmt, made_by, expected, disguise)

    put("table.csv", pkl, "pickle-p4", "renamed")
    put("summary.png", pkl, "pickle-p4", "renamed")
    put("notes.txt", pkl0, "pickle-p0", "renamed", "from models/sklearn_logreg_p0.pkl (text protocol)")
    put("helpers.py", rbytes(os.path.join(M, "sklearn_logreg_p2.pkl")), "pickle-p2", "renamed",
        "from models/sklearn_logreg_p2.pkl")
    put("model_summary.txt", jl, "joblib", "renamed", "from models/sklearn_logreg.joblib")
    put("report.docx", rbytes(os.path.join(M, "torch_state_dict.pt")), "pytorch-zip", "renamed",
        "from models/torch_state_dict.pt")
    put("data.xlsx", rbytes(os.path.join(M, "weights.npz")), "npz", "renamed", "from models/weights.npz")
    put("figure.svg", npy, "npy", "renamed", "from models/weights.npy")
    put("appendix.pdf", rbytes(os.path.join(M, "logreg.onnx")), "onnx", "renamed", "from models/logreg.onnx")
    put("coefficients.csv", rbytes(os.path.join(M, "r_lm_none.rds")), "rds-none", "renamed",
        "from models/r_lm_none.rds (R)")
    put("regression_output.txt", rbytes(os.path.join(M, "r_lm_ascii.rds")), "rds-ascii", "renamed",
        "from models/r_lm_ascii.rds (R)")
    put("lookup.csv", rbytes(os.path.join(ART, "data", "people.sqlite")), "sqlite3", "renamed",
        "from data/people.sqlite")
    ROWS[-1] = ROWS[-1][:1] + ("data",) + ROWS[-1][2:]

    # compressed
    put("results.csv.gz", gz(pkl), "pickle-p4", "gzip", src + " + gzip")
    put("results", gz(pkl), "pickle-p4", "gzip-noext", src + " + gzip, no extension")
    put("results.txt.bz2", bz2.compress(pkl, 9), "pickle-p4", "bzip2", src + " + bz2")
    put("results.dat.xz", lzma.compress(pkl), "pickle-p4", "xz", src + " + lzma (xz)")
    put("results.lzma", lzma.compress(pkl, format=lzma.FORMAT_ALONE), "pickle-p4", "lzma-alone", src + " + lzma alone")
    import zstandard
    put("results.csv.zst", zstandard.ZstdCompressor(level=3).compress(pkl), "pickle-p4", "zstd",
        src + " + zstandard %s" % zstandard.__version__)
    put("export.z", zlib.compress(pkl, 9), "pickle-p4", "raw-zlib", src + " + raw zlib stream")
    put("double.gz", gz(bz2.compress(pkl)), "pickle-p4", "gzip+bzip2", src + " + bz2 + gzip")

    # containers
    put("outputs.zip", zip_bytes([("outputs/region_by_sex.csv", ctx["safe_csv"]),
                                  ("outputs/model.pkl", pkl)]), "pickle-p4", "zip", src + " in zipfile")
    put("outputs_renamed_member.zip", zip_bytes([("tables/summary.csv", pkl)]), "pickle-p4",
        "zip+renamed", src + " as tables/summary.csv in zipfile")
    put("stored.zip", zip_bytes([("model.bin", pkl)], zipfile.ZIP_STORED), "pickle-p4", "zip-stored", src)
    inner = zip_bytes([("model.joblib", jl)])
    put("bundle.zip", zip_bytes([("readme.txt", b"tables for release\n"), ("inner/inner.zip", inner)]),
        "joblib", "nested-zip", "from models/sklearn_logreg.joblib in zip in zip")
    deep, nm = pkl, "model.pkl"
    for lvl in range(6, 0, -1):
        deep = zip_bytes([(nm, deep)])
        nm = "level%d.zip" % lvl
    put("nested-6.zip", deep, "pickle-p4", "nested-zip-6", src + " inside 6 nested zips (under the depth limit 8)")
    put("arrays.tar.gz", tar_bytes([("out/weights.npy", npy), ("out/readme.txt", b"arrays\n")]),
        "npy", "tar.gz", "from models/weights.npy in tarfile + gzip")
    put("arrays.tar", tar_bytes([("weights.npy", npy)], mode="w"), "npy", "tar", "from models/weights.npy in tarfile")
    put("arrays.tar.xz", tar_bytes([("weights.npy", npy)], mode="w:xz"), "npy", "tar.xz", "tarfile + xz")
    put("arrays.tar.bz2", tar_bytes([("weights.npy", npy)], mode="w:bz2"), "npy", "tar.bz2", "tarfile + bz2")
    seven = shutil.which("7z") or shutil.which("7za") or shutil.which("7zz")
    if seven:
        tmp = tempfile.mkdtemp()
        f = os.path.join(tmp, "model.pkl")
        wbytes(f, pkl)
        os.utime(f, (FIXED_EPOCH, FIXED_EPOCH))
        out = os.path.join(G, "archive.7z")
        if os.path.exists(out):
            os.remove(out)
        subprocess.run([seven, "a", "-bd", "-mtc=off", "-mta=off", out, f], check=True,
                       capture_output=True)
        shutil.rmtree(tmp)
        add(out, "model", "pickle-p4", src + " in 7z (%s %s)" % (os.path.basename(seven), _pkgver("p7zip-full")),
            "fail", "7z")
    else:
        print("no 7z: archive.7z skipped", file=sys.stderr)

    # appended after an end marker
    put("chart.png", ctx["png"] + pkl, "pickle-p4", "appended-png", "matplotlib PNG + " + src)
    put("photo.jpg", ctx["jpg"] + pkl, "pickle-p4", "appended-jpeg", "Pillow JPEG + " + src)
    put("report.pdf", ctx["pdf"] + pkl, "pickle-p4", "appended-pdf", "matplotlib PDF + " + src)
    put("tables.zip", zip_bytes([("region_by_sex.csv", ctx["safe_csv"])]) + pkl, "pickle-p4",
        "appended-zip", "zipfile + " + src)
    put("chart_npy.png", ctx["png"] + npy, "npy", "appended-png", "matplotlib PNG + models/weights.npy")

    # encoded inside text
    b64 = base64.b64encode(pkl).decode()
    put("notes.csv", ("id,comment\n1,model saved\n2,%s\n3,done\n" % b64).encode(), "pickle-p4",
        "base64", src + " base64 in a CSV cell")
    put("appendix.md", ("# Appendix\n\nWeights for reproducibility:\n\n```\n%s\n```\n"
                        % binascii.hexlify(st).decode()).encode(), "safetensors", "hex",
        "from models/model.safetensors, hex in Markdown")
    put("summary.json", json.dumps({"title": "summary", "n": 1245,
                                    "weights": base64.b64encode(npy).decode()}, indent=2).encode(),
        "npy", "base64", "from models/weights.npy, base64 in a JSON value")
    put("log.txt", ("run finished\nstate=%s\n" % base64.b64encode(gz(pkl)).decode()).encode(),
        "pickle-p4", "base64+gzip", src + " gzip then base64 in text")
    wrapped = "\n".join(b64[i:i + 76] for i in range(0, len(b64), 76))
    put("email_body.txt", ("Attached model:\n\n%s\n\nThanks\n" % wrapped).encode(), "pickle-p4",
        "base64-wrapped", src + " base64 wrapped at 76 columns")
    put("page.html", ('<html><body><p>Results</p><a href="data:application/octet-stream;base64,%s">'
                      'download</a></body></html>\n' % b64).encode(), "pickle-p4", "base64-data-uri",
        src + " as an HTML data: URI")
    put("weights_hex.txt", binascii.hexlify(npy), "npy", "hex", "from models/weights.npy as hex")
    b64url = base64.urlsafe_b64encode(pkl).decode().rstrip("=")
    put("token.txt", (b64url + "\n").encode(), "pickle-p4", "base64url", src + " urlsafe base64, unpadded")

    import nbformat
    from nbformat import v4
    nb = v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    c0 = v4.new_code_cell("import pickle, base64\nprint(base64.b64encode(pickle.dumps(model)).decode())",
                          execution_count=1)
    c0.outputs = [v4.new_output("stream", name="stdout", text=b64 + "\n")]
    c0["id"] = "cell-0"
    c1 = v4.new_code_cell("model", execution_count=2)
    c1.outputs = [v4.new_output("display_data", data={"application/octet-stream": b64,
                                                      "text/plain": "LogisticRegression()"})]
    c1["id"] = "cell-1"
    nb.cells = [c0, c1]
    put("analysis.ipynb", nbformat.writes(nb).encode(), "pickle-p4", "base64-notebook",
        src + " base64 in notebook outputs (nbformat)")

    # objects inside Office files (the real python-docx / openpyxl files + an extra part)
    def office_with(data, path_in, ctype_ext, base):
        with zipfile.ZipFile(io.BytesIO(base)) as z:
            members = [(i.filename, z.read(i.filename), i.compress_type) for i in z.infolist()]
        out = []
        for name, d, ct in members:
            if name == "[Content_Types].xml" and ctype_ext:
                d = d.replace(b"<Default ", b'<Default Extension="%s" ContentType='
                              b'"application/vnd.openxmlformats-officedocument.oleObject"/><Default '
                              % ctype_ext, 1)
            out.append((name, d, ct))
        out.append((path_in, data))
        return zip_bytes(out)

    put("report_with_object.docx", office_with(pkl, "word/embeddings/oleObject1.bin", b"bin", ctx["docx"]),
        "pickle-p4", "docx-embedded", "python-docx report + word/embeddings/oleObject1.bin = " + src)
    put("table_with_part.xlsx", office_with(pkl, "xl/media/image9.bin", None, ctx["xlsx"]),
        "pickle-p4", "xlsx-extra-part", "openpyxl table + xl/media/image9.bin = " + src)
    put("table_with_joblib.xlsx", office_with(jl, "customXml/item1.bin", None, ctx["xlsx"]),
        "joblib", "xlsx-extra-part", "openpyxl table + customXml/item1.bin = models/sklearn_logreg.joblib")

    # data files in disguise
    D = os.path.join(ART, "data")
    p = wbytes(os.path.join(G, "figures.zip"), zip_bytes([("fig1.png", ctx["png"]),
                                                         ("extract.dta", rbytes(os.path.join(D, "people_pandas.dta")))]))
    add(p, "data", "stata-dta-118", "from data/people_pandas.dta in a zip with a png", "fail", "zip")
    p = wbytes(os.path.join(G, "tables.parquet.gz"), gz(rbytes(os.path.join(D, "people.parquet"))))
    add(p, "data", "parquet", "from data/people.parquet + gzip", "fail", "gzip")
    p = wbytes(os.path.join(G, "counts.csv"), rbytes(os.path.join(D, "people.parquet")))
    add(p, "data", "parquet", "from data/people.parquet", "fail", "renamed")


# --------------------------------------------------------------------------
# bad input: a finding, never a crash, hang or unbounded memory
# --------------------------------------------------------------------------
def zipcrypto_member(name, data, password=b"secret", seed=1):
    """A zip with one member encrypted with traditional PKWARE encryption
    (APPNOTE 6.1), stored, written by hand so that the bytes are reproducible."""
    crc_tab = [0] * 256
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        crc_tab[i] = c

    def crc_byte(c, b):
        return crc_tab[(c ^ b) & 0xFF] ^ (c >> 8)

    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(b):
        keys[0] = crc_byte(keys[0], b)
        keys[1] = (keys[1] + (keys[0] & 0xFF)) & 0xFFFFFFFF
        keys[1] = (keys[1] * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_byte(keys[2], keys[1] >> 24)

    for b in password:
        update(b)
    crc = zlib.crc32(data) & 0xFFFFFFFF
    header = bytes(random.Random(seed).randrange(256) for _ in range(11)) + bytes([crc >> 24])
    enc = bytearray()
    for b in header + data:
        t = (keys[2] | 2) & 0xFFFF
        k = ((t * (t ^ 1)) >> 8) & 0xFF
        enc.append(b ^ k)
        update(b)
    nm = name.encode()
    dos_time, dos_date = 0, (0 << 9) | (1 << 5) | 1
    lh = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 1, 0, dos_time, dos_date, crc, len(enc), len(data),
                     len(nm), 0) + nm
    cd = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 1, 0, dos_time, dos_date, crc, len(enc),
                     len(data), len(nm), 0, 0, 0, 0, 0o644 << 16, 0) + nm
    body = lh + bytes(enc)
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(cd), len(body), 0)
    return body + cd + eocd


def make_bad(ctx):
    B = mkdir(ART, "bad")
    M = os.path.join(ART, "models")
    pkl = rbytes(os.path.join(M, "sklearn_logreg_p4.pkl"))
    rnd = random.Random(4)

    def put(name, data, fmt, made_by, expected, disguise="none", cls="bad"):
        p = wbytes(os.path.join(B, name), data)
        add(p, cls, fmt, made_by, expected, disguise)
        return p

    good_zip = rbytes(os.path.join(BEN, "outputs.zip"))
    put("truncated.zip", good_zip[:len(good_zip) // 2], "zip-truncated",
        "benign/outputs.zip cut in half", "review")
    put("truncated-model.zip", rbytes(os.path.join(ART, "disguised", "outputs.zip"))[:-60],
        "zip-truncated", "disguised/outputs.zip without its last 60 bytes (no end record)", "review-or-fail")
    g = bytearray(gz(ctx["safe_csv"] * 20))
    g[len(g) // 2] ^= 0xFF
    put("corrupt.csv.gz", bytes(g), "gzip-corrupt", "gzip of a safe csv, one byte flipped mid-stream", "review")
    put("truncated.csv.gz", gz(ctx["safe_csv"] * 20)[:-30], "gzip-truncated", "gzip of a safe csv, cut short", "review")
    # cut inside the BINUNICODE string 'sklearn.linear_model._logistic'
    cut = pkl.index(b"sklearn.linear_model") + 7
    put("truncated.pkl", pkl[:cut], "pickle-truncated", "models/sklearn_logreg_p4.pkl cut mid-opcode", "review-or-fail")
    cut2 = pkl.index(b"coef_") + 40
    put("truncated-late.pkl", pkl[:cut2], "pickle-truncated", "models/sklearn_logreg_p4.pkl cut inside the array bytes",
        "review-or-fail")
    for name, magic in [("random-gguf.bin", b"GGUF"), ("random-numpy.npy", b"\x93NUMPY"),
                        ("random-zip.zip", b"PK\x03\x04"), ("random-hdf5.h5", b"\x89HDF\r\n\x1a\n"),
                        ("random-pickle.pkl", b"\x80\x04\x95"), ("random-gzip.gz", b"\x1f\x8b\x08\x00"),
                        ("random-sqlite.db", b"SQLite format 3\x00"), ("random-par1.parquet", b"PAR1")]:
        put(name, magic + rnd.randbytes(64 - len(magic)), "magic+random",
            "%r followed by random bytes (seeded), 64 bytes" % magic, "review-or-fail")

    # central directory lies
    z = bytearray(zip_bytes([("region_by_sex.csv", ctx["safe_csv"] * 10)]))
    cdo = z.index(b"PK\x01\x02")
    small = bytearray(z)
    small[cdo + 24:cdo + 28] = struct.pack("<I", 5)              # uncompressed size: 5
    put("cd-lies-small.zip", bytes(small), "zip-lying-cd",
        "zipfile, central directory says the member is 5 bytes", "review-or-fail")
    big = bytearray(z)
    big[cdo + 24:cdo + 28] = struct.pack("<I", 0xFFFFFFF0)       # uncompressed size: ~4 GiB
    big[cdo + 20:cdo + 24] = struct.pack("<I", 0x7FFFFFFF)       # compressed size past the end
    put("cd-lies-big.zip", bytes(big), "zip-lying-cd",
        "zipfile, central directory says 4 GiB / 2 GiB for a small member", "review-or-fail")
    off = bytearray(z)
    off[cdo + 42:cdo + 46] = struct.pack("<I", 0x7FFFFFF0)       # local header offset past the end
    put("cd-bad-offset.zip", bytes(off), "zip-lying-cd", "zipfile, local header offset past the end", "review-or-fail")

    # zip bomb: one member of 200 MB of zeros
    p = os.path.join(B, "bomb-200mb.zip")
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zi = zipfile.ZipInfo("zeros.csv", date_time=FIXED_ZIP_TIME)
        zi.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(zi, "w") as w:
            chunk = b"\x00" * (1 << 20)
            for _ in range(200):
                w.write(chunk)
    add(p, "bad", "zip-bomb", "python zipfile, deflate of 200 MiB of zeros", "fail")
    # 1 GiB member, bzip2 in zip
    p = os.path.join(B, "bomb-1gb-bzip2.zip")
    with zipfile.ZipFile(p, "w") as zf:
        zi = zipfile.ZipInfo("zeros.bin", date_time=FIXED_ZIP_TIME)
        zi.compress_type = zipfile.ZIP_BZIP2
        with zf.open(zi, "w") as w:
            chunk = b"\x00" * (8 << 20)
            for _ in range(128):
                w.write(chunk)
    add(p, "bad", "zip-bomb", "python zipfile, bzip2 of 1 GiB of zeros", "fail")
    # overlapping members: 400 central directory entries share one 10 MiB deflate stream
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = comp.compress(b"\x00" * (10 << 20)) + comp.flush()
    crc = zlib.crc32(b"\x00" * (10 << 20)) & 0xFFFFFFFF
    nm = b"zeros.csv"
    lh = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 33, crc, len(raw), 10 << 20, len(nm), 0) + nm
    body = lh + raw
    cd = b""
    for i in range(400):
        name = nm  # every entry has the local header's name, so strict readers accept each one
        cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 33, crc, len(raw), 10 << 20,
                          len(name), 0, 0, 0, 0, 0o644 << 16, 0) + name
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 400, 400, len(cd), len(body), 0)
    put("overlap-bomb.zip", body + cd + eocd, "zip-bomb-overlapping",
        "hand-made: 400 central directory entries (all zeros.csv) over one deflate stream of 10 MiB of zeros (4 GiB total)", "fail")
    # deep nesting: 10 zips around a safe csv
    data, name = ctx["safe_csv"], "region_by_sex.csv"
    for lvl in range(10, 0, -1):
        data = zip_bytes([(name, data)])
        name = "level%02d.zip" % lvl
    put("nested-10.zip", data, "zip-nested", "python zipfile, 10 levels around a safe csv", "fail")
    # many members
    raw_tar = io.BytesIO()
    with tarfile.open(fileobj=raw_tar, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for i in range(12000):
            ti = tarfile.TarInfo("m/%05d.txt" % i)
            ti.size, ti.mtime, ti.mode = 0, FIXED_EPOCH, 0o644
            t.addfile(ti, io.BytesIO(b""))
    put("many-members.tar.gz", gz(raw_tar.getvalue()), "tar-many-members",
        "python tarfile, 12000 empty members (policy max_members 10000)", "fail")
    # a 1 GiB sparse member (GNU tar)
    if shutil.which("tar"):
        tmp = tempfile.mkdtemp()
        f = os.path.join(tmp, "sparse.bin")
        with open(f, "wb") as fh:
            fh.truncate(1 << 30)
            fh.seek((1 << 30) - 4)
            fh.write(b"end\n")
        os.utime(f, (FIXED_EPOCH, FIXED_EPOCH))
        out = os.path.join(B, "sparse-1gb.tar")
        subprocess.run(["tar", "--sparse", "--format=gnu", "--owner=0", "--group=0", "--numeric-owner",
                        "--mtime=@%d" % FIXED_EPOCH, "-C", tmp, "-cf", out, "sparse.bin"], check=True)
        shutil.rmtree(tmp)
        add(out, "bad", "tar-sparse", "GNU tar --sparse of a 1 GiB sparse file", "fail")

    # encryption
    put("encrypted.zip", zipcrypto_member("model.pkl", pkl), "zip-encrypted",
        "hand-made ZipCrypto (APPNOTE 6.1) around models/sklearn_logreg_p4.pkl", "fail")
    put("encrypted-csv.zip", zipcrypto_member("region_by_sex.csv", ctx["safe_csv"]), "zip-encrypted",
        "hand-made ZipCrypto around a safe csv", "fail")
    seven = shutil.which("7z") or shutil.which("7za")
    if seven:
        tmp = tempfile.mkdtemp()
        f = wbytes(os.path.join(tmp, "region_by_sex.csv"), ctx["safe_csv"])
        os.utime(f, (FIXED_EPOCH, FIXED_EPOCH))
        out = os.path.join(B, "encrypted-headers.7z")
        if os.path.exists(out):
            os.remove(out)
        subprocess.run([seven, "a", "-bd", "-psecret", "-mhe=on", out, f], check=True, capture_output=True)
        shutil.rmtree(tmp)
        add(out, "bad", "7z-encrypted", "%s a -p -mhe=on (AES, random IV: bytes change per run)"
            % os.path.basename(seven), "fail")

    # member paths
    put("path-traversal.zip", zip_bytes([("../../outside.csv", ctx["safe_csv"]),
                                         ("/tmp/absolute.csv", ctx["safe_csv"])]),
        "zip-path", "python zipfile, members ../../outside.csv and /tmp/absolute.csv (safe csv)", "review")
    put("path-traversal.tar", tar_bytes([("../outside.csv", ctx["safe_csv"])], mode="w"),
        "tar-path", "python tarfile, member ../outside.csv (safe csv)", "review")

    make_quine(B)


def make_quine(B):
    """Not made: a zip quine needs a deflate stream that reproduces itself
    (Russ Cox's construction) and the CRC that matches it; see the report.
    The overlap-bomb and nested-10 files cover self-similar expansion."""
    return None


# --------------------------------------------------------------------------
def write_manifest(r_rows_file, keep_others=False):
    rows = list(ROWS)
    mpath = os.path.join(ART, "MANIFEST.tsv")
    r_rows = []
    if keep_others:  # a partial run (--only): every row it did not remake stays
        made = set(r[0] for r in rows)
        with open(mpath) as f:
            r_rows = [tuple(l.rstrip("\n").split("\t")) for l in f
                      if l.strip() and not l.startswith("path\t") and l.split("\t")[0] not in made]
    elif r_rows_file and os.path.exists(r_rows_file):
        with open(r_rows_file) as f:
            r_rows = [tuple(l.rstrip("\n").split("\t")) for l in f if l.strip()]
    elif os.path.exists(mpath):  # keep the R rows of the last full run
        with open(mpath) as f:
            r_rows = [tuple(l.rstrip("\n").split("\t")) for l in f
                      if l.strip() and not l.startswith("path\t") and "\tR " in l]
    rows += r_rows
    for r in rows:
        if not os.path.exists(os.path.join(REPO, r[0])):
            sys.exit("manifest names a missing file: %s" % r[0])
    rows.sort(key=lambda r: r[0])
    covered = set()
    for r in rows:
        full = os.path.join(REPO, r[0])
        if os.path.isdir(full):
            covered.update(os.path.join(d, f) for d, _, fs in os.walk(full) for f in fs)
        else:
            covered.add(full)
    for top in (ART, BEN):
        for d, _, fs in os.walk(top):
            for f in fs:
                full = os.path.join(d, f)
                if full not in covered and full != mpath:
                    print("warning: %s is in no manifest row (stale? remove it)" % rel(full), file=sys.stderr)
    with open(mpath, "w") as f:
        f.write("path\tclass\tformat\tdisguise\tmade_by\texpected\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--r-rows", help="manifest rows written by make-artefacts.R")
    ap.add_argument("--only", choices=["data-formats"],
                    help="remake only these artefacts and keep the manifest's other rows "
                         "(needs only their packages, not torch, sklearn, R ...)")
    args = ap.parse_args()
    os.chdir(REPO)
    np.random.seed(0)
    random.seed(0)
    if args.only == "data-formats":
        make_data_formats({})
        rows = write_manifest(None, keep_others=True)
        print("MANIFEST.tsv: %d rows" % len(rows))
        return
    for d in ["disguised", "bad"]:
        shutil.rmtree(os.path.join(ART, d), ignore_errors=True)
    X, y, logreg, linreg, tree = fit_models()
    ctx = {"X": X, "y": y, "logreg": logreg, "linreg": linreg, "tree": tree}
    make_models(ctx)
    make_data(ctx)
    make_data_formats(ctx)
    make_benign(ctx)
    make_disguised(ctx)
    make_bad(ctx)
    rows = write_manifest(args.r_rows)
    counts = {}
    for r in rows:
        counts[r[1]] = counts.get(r[1], 0) + 1
    print("MANIFEST.tsv: %d rows %s" % (len(rows), counts))


if __name__ == "__main__":
    main()
