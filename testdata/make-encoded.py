#!/usr/bin/python3
"""make-encoded.py - real artefacts written as text, the ways people paste them.

Each file below holds a model or record-level data encoded with Python's own
encoders (base64, binascii, quopri), the truth the decoder is tested against:
tests/test_decode.c decodes each file and compares the bytes with the source
artefact, and MANIFEST.tsv rows give the verdict each must get (doc/design.md,
"Decoded payloads"). Standard library only; run from the repository root:

    /usr/bin/python3 testdata/make-encoded.py

Sources (committed, made by the real libraries, see MANIFEST.tsv):
    models/torch_state_dict.pt   torch.save zip
    models/sklearn_logreg_p4.pkl pickle protocol 4
    models/weights.npy           numpy .npy
    data/people.csv              200 person-level rows
    benign/chart.png             a matplotlib chart
"""
import base64
import binascii
import json
import os
import quopri

ROOT = "testdata/artefacts"
OUT = os.path.join(ROOT, "disguised", "encoded")
BENIGN = os.path.join("testdata", "benign", "encoded")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(directory, name, text):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)


def pieces(s, n):
    return [s[i:i + n] for i in range(0, len(s), n)]


torch = read(os.path.join(ROOT, "models", "torch_state_dict.pt"))
pkl = read(os.path.join(ROOT, "models", "sklearn_logreg_p4.pkl"))
npy = read(os.path.join(ROOT, "models", "weights.npy"))
people = read(os.path.join(ROOT, "data", "people.csv"))
chart = read(os.path.join("testdata", "benign", "chart.png"))

# base64, one line in a JSON value: the torch zip must be opened and walked.
write(OUT, "b64_torch.json",
      json.dumps({"run": 7, "weights": base64.b64encode(torch).decode()}, indent=1) + "\n")

# URL-safe base64 without padding in a log line.
write(OUT, "b64url_pickle.log",
      "2026-11-30 12:00:01 INFO saved state token="
      + base64.urlsafe_b64encode(pkl).decode().rstrip("=") + "\n"
      "2026-11-30 12:00:02 INFO done\n")

# MIME-wrapped base64 (76 columns, CRLF), as an e-mail attachment is.
write(OUT, "b64_wrapped.eml",
      "Subject: results\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      + base64.encodebytes(pkl).decode().replace("\n", "\r\n"))

# base64 in 24-character string pieces, one per line of an R vector.
b = base64.b64encode(pkl).decode()
write(OUT, "b64_pieces.R",
      "blob <- c(\n" + ",\n".join('  "%s"' % p for p in pieces(b, 24)) + "\n)\n")

# base64 in the cells of a CSV column, each row numbered.
write(OUT, "b64_cells.csv",
      "part,chunk\n" + "".join("%d,%s\n" % (i + 1, p) for i, p in enumerate(pieces(b, 40))))

# base64 with line numbers in front, as a listing prints it.
write(OUT, "b64_numbered.txt",
      "".join("%04d  %s\n" % (i + 1, p) for i, p in enumerate(pieces(b, 60))))

# hex: plain, spaced, a 0x list, one long integer literal.
write(OUT, "hex_plain.txt", "weights:\n" + binascii.hexlify(npy).decode() + "\n")
write(OUT, "hex_spaced.txt",
      "\n".join(" ".join("%02x" % c for c in npy[i:i + 16]) for i in range(0, len(npy), 16)) + "\n")
write(OUT, "hex_list.c",
      "static const unsigned char w[] = {\n"
      + ",\n".join("    " + ", ".join("0x%02x" % c for c in pkl[i:i + 12])
                   for i in range(0, len(pkl), 12)) + "\n};\n")
write(OUT, "hex_int.py", "W = 0x" + pkl.hex() + "\n")

# base32, ascii85 (Adobe framing), base85 (git/Python alphabet).
write(OUT, "base32.txt", base64.b32encode(pkl).decode() + "\n")
write(OUT, "ascii85.txt", base64.a85encode(pkl, adobe=True).decode() + "\n")
write(OUT, "base85.txt", "blob = '" + base64.b85encode(pkl).decode() + "'\n")

# uuencode: begin line, 45-byte lines, end.
uu = "".join(binascii.b2a_uu(pkl[i:i + 45]).decode() for i in range(0, len(pkl), 45))
write(OUT, "uuencoded.txt", "begin 644 model.pkl\n" + uu + "`\nend\n")

# quoted-printable.
write(OUT, "quoted_printable.eml",
      "Content-Transfer-Encoding: quoted-printable\n\n" + quopri.encodestring(pkl).decode())

# Byte literals in code: a Python bytes repr, a list of values, R as.raw,
# octal escapes in a printf.
write(OUT, "bytes_literal.py", "MODEL = " + repr(pkl) + "\n")
write(OUT, "byte_list.py", "data = " + repr(list(pkl)) + "\n")
write(OUT, "as_raw.R",
      "w <- as.raw(c(" + ", ".join("0x%02x" % c for c in pkl) + "))\n")
write(OUT, "octal_printf.sh",
      "printf '" + "".join("\\%03o" % c for c in pkl) + "' > model.pkl\n")

# One long decimal integer literal (big-endian).
write(OUT, "decimal_int.py", "N = " + str(int.from_bytes(pkl, "big")) + "\n")

# A PNG with a pickle after IEND, held in an HTML data URI.
write(OUT, "datauri_png.html",
      '<html><body><img src="data:image/png;base64,'
      + base64.b64encode(chart + pkl).decode() + '"></body></html>\n')

# Person-level records, base64 in a JSON value.
write(OUT, "b64_records.json",
      json.dumps({"table": base64.b64encode(people).decode()}) + "\n")

# Benign: the same chart in a data URI; an e-mail in quoted-printable.
write(BENIGN, "chart_datauri.html",
      '<html><body><h1>Figure 1</h1><img src="data:image/png;base64,'
      + base64.b64encode(chart).decode() + '"></body></html>\n')
letter = ("Dear reviewer,\n\nPlease find the tables for the r\u00e9sum\u00e9 of "
          "results attached \u2014 all counts are rounded to base 5 and cells "
          "under 10 are suppressed, as agreed with the output checking team on "
          "\u00abMonday\u00bb.\n\nBest wishes,\nJos\u00e9\n")
write(BENIGN, "letter_qp.eml",
      "Content-Transfer-Encoding: quoted-printable\n\n"
      + quopri.encodestring(letter.encode("utf-8")).decode())
