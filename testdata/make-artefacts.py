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
    torch.save(net.state_dict(), p, _use_new_zipfile_serialization=False)
    add(p, "model", "pytorch-legacy", "%s torch.save(_use_new_zipfile_serialization=False)" % tv, "fail")
    p = os.path.join(M, "torchscript.pt")
    torch.jit.script(net).save(p)
    add(p, "model", "torchscript", "%s torch.jit.script(...).save" % tv, "fail")
    p = os.path.join(M, "torch_tensor.bin")
    torch.save(torch.tensor(logreg.coef_, dtype=torch.float32), p)
    add(p, "model", "pytorch-zip", "%s torch.save(tensor) named .bin" % tv, "fail")


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
    subprocess.run(["h5repack", p, p + ".tmp"], check=False, capture_output=True)
    if os.path.exists(p + ".tmp"):
        os.replace(p + ".tmp", p)
    add(p, "data", "hdf5-pytables", "%s DataFrame.to_hdf (PyTables %s)" % (pv, tables.__version__), "fail")

    import feather
    p = os.path.join(D, "people_v1.feather")
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

    # readstat CLI: SPSS portable, from the pandas .dta
    if shutil.which("readstat"):
        p = os.path.join(D, "people.por")
        if os.path.exists(p):
            os.remove(p)
        r = subprocess.run(["faketime", "2024-01-01 00:00:00", "readstat",
                            os.path.join(D, "people_pandas.dta"), p] if shutil.which("faketime") else
                           ["readstat", os.path.join(D, "people_pandas.dta"), p],
                           capture_output=True, text=True)
        if r.returncode == 0 and os.path.exists(p):
            add(p, "data", "spss-por", "readstat %s CLI (dta -> por)" % _pkgver("readstat"), "fail")
        else:
            print("readstat .por failed:", r.stderr, file=sys.stderr)
