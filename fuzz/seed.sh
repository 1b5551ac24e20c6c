#!/bin/sh
# fuzz/seed.sh NAME DIR - writes harness NAME's seed inputs into DIR, made
# from files in testdata/ (and policies/) at run time, so nothing is copied
# into git twice. Each seed is in the form the harness reads: a plain copy,
# a file name line before the bytes (fuzz_split_name), a leading selector
# byte, or a workbook's parts (xlsx).
set -eu
name=$1
dir=$2
PY=/usr/bin/python3

# Files of testdata/ up to MAX bytes matching the find(1) tests given, but
# two that are slow by design and that no harness gets far on in 10 s: a
# page of 16 MiB of content, and an archive of 10,000 members (8 to 16 s a
# run for the check harness under the sanitizers, so its mutants timed
# out; the unit tests check both whole).
files() {
    max=$1
    shift
    find testdata policies -type f -size -"$max"c \( "$@" \) ! -name 'page-16mib.pdf' \
        ! -name 'many-members.tar.gz' | sort
}
# The seed made from file F: its path, '/' made '_' (SUFFIX told apart).
out() {
    echo "$dir/$(echo "$1" | tr / _)${2:-}"
}
plain() {
    for f in "$@"; do cp "$f" "$(out "$f")"; done
}
named() {
    for f in "$@"; do { printf '%s\n' "$(basename "$f")"; cat "$f"; } > "$(out "$f")"; done
}
# byte OCTAL FILE...: the file after one selector byte.
byte() {
    b=$1
    shift
    for f in "$@"; do { printf "\\$b"; cat "$f"; } > "$(out "$f" "-$b")"; done
}

# The formats the whole check and the detectors see: every test file up
# to 64 KiB but the scripts that make them.
ALL="! -name make-*"
TABLES="-name *.csv -o -name *.tsv"

case $name in
check)
    named $(files 65536 $ALL)
    ;;
container)
    named $(files 65536 -name '*.zip' -o -name '*.tar' -o -name '*.gz' -o -name '*.tgz' \
        -o -name '*.xz' -o -name '*.bz2' -o -name '*.7z' -o -name '*.z' -o -name '*.Z' \
        -o -name '*.lzma' -o -name '*.zst' -o -name '*.docx' -o -name '*.xlsx' \
        -o -name '*.ods' -o -name '*.npz' -o -name '*.z01' -o -name '*.zsav')
    ;;
csv)
    # chunk sizes: one piece, 1 byte, 7 bytes, 200 bytes
    set -- $(files 16384 $TABLES -o -path '*bad/*' -o -name '*.txt')
    byte 000 "$@"
    byte 001 $(echo "$@" | tr ' ' '\n' | head -n 10)
    byte 007 $(echo "$@" | tr ' ' '\n' | sed -n '11,30p')
    byte 310 $(echo "$@" | tr ' ' '\n' | sed -n '31,60p')
    ;;
table)
    plain $(files 16384 $TABLES)
    ;;
audit)
    plain $(files 4096 $TABLES)
    ;;
detect)
    plain $(files 65536 $ALL ! -name '*.csv' ! -name '*.md' ! -name '*.txt')
    ;;
decode)
    # selector byte: see decode.c (0 plain text, 1 JSON, 2 JSON Lines,
    # 3 XML, 4 code, 5 document, 6 table, 7 binary of no known kind)
    byte 000 $(files 16384 -name '*.txt' -o -name '*.eml')
    byte 001 $(files 16384 -name '*.json' -o -name '*.ipynb')
    byte 002 $(files 16384 -name '*.jsonl' -o -name '*.ndjson')
    byte 003 $(files 16384 -name '*.xml' -o -name '*.svg')
    byte 004 $(files 16384 -name '*.py' ! -name 'make-*' -o -name '*.R' ! -name 'make-*' \
        -o -name '*.do' -o -name '*.sql' -o -name '*.c')
    byte 005 $(files 16384 -name '*.md' -o -name '*.log' -o -name '*.html' -o -name '*.tex' \
        -o -name '*.txt')
    byte 006 $(files 16384 $TABLES)
    byte 007 $(files 16384 -name '*.bin' -o -name '*.pkl' -o -name '*.dat')
    ;;
doctables)
    plain $(files 16384 -name '*.md' -o -name '*.log' -o -name '*.html' -o -name '*.tex' \
        -o -name '*.txt' -o -name '*.ipynb')
    # word/document.xml and content.xml of the Word and OpenDocument files
    for f in $(files 1000000 -name '*.docx' -o -name '*.ods'); do
        $PY - "$f" "$(out "$f")" <<'PYEOF'
import sys, zipfile
try:
    z = zipfile.ZipFile(sys.argv[1])
    names = [n for n in ("word/document.xml", "content.xml") if n in z.namelist()]
    if names:
        open(sys.argv[2], "wb").write(z.read(names[0])[:16384])
except zipfile.BadZipFile:
    pass
PYEOF
    done
    ;;
xlsx)
    # A workbook as its parts, each after a line "@@ PART" (see xlsx.c).
    for f in $(files 1000000 -name '*.xlsx'); do
        $PY - "$f" "$(out "$f")" <<'PYEOF'
import re, sys, zipfile
try:
    z = zipfile.ZipFile(sys.argv[1])
except zipfile.BadZipFile:
    sys.exit(0)
parts = []
for n in z.namelist():
    if n in ("xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels") or \
            re.match(r"xl/worksheets/sheet\d+\.xml$", n):
        parts.append(b"@@ " + n.encode() + b"\n" + z.read(n) + b"\n")
open(sys.argv[2], "wb").write(b"".join(parts))
PYEOF
    done
    # one with shared strings, an inline string, a total row
    printf '%s\n' '@@ xl/sharedStrings.xml' \
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>region</t></si><si><t>count</t></si><si><t>North</t></si><si><t>Total</t></si></sst>' \
        '@@ xl/workbook.xml' \
        '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Counts" sheetId="1" r:id="rId1"/></sheets></workbook>' \
        '@@ xl/_rels/workbook.xml.rels' \
        '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>' \
        '@@ xl/worksheets/sheet1.xml' \
        '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>7</v></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>South</t></is></c><c r="B3"><v>12</v></c></row><row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4"><v>19</v></c></row></sheetData></worksheet>' \
        > "$dir/shared-strings"
    ;;
pdf)
    plain $(files 65536 -name '*.pdf')
    ;;
binary)
    # R serialisations as rds.c reads them (decompressed, after RDX3's
    # line), and compound files
    for f in $(files 65536 -name '*.rds' -o -name '*.RData' -o -name '*.rda'); do
        $PY - "$f" "$(out "$f")" <<'PYEOF'
import bz2, gzip, lzma, sys
b = open(sys.argv[1], "rb").read()
for unpack in (gzip.decompress, bz2.decompress, lzma.decompress):
    try:
        b = unpack(b)
        break
    except Exception:
        pass
if b[:5] in (b"RDX2\n", b"RDX3\n", b"RDA2\n", b"RDA3\n"):
    b = b[5:]
open(sys.argv[2], "wb").write(b[:65536])
PYEOF
    done
    plain $(files 65536 -path '*ole/*' -o -name '*.doc' -o -name '*.xls' -o -name '*.msg')
    ;;
policy)
    plain $(files 65536 -path 'policies/*.yaml')
    ;;
spec)
    plain $(files 65536 -name '*.sdc.yaml')
    printf 'dimensions: [region, sex]\ncounts: [n]\nstructural_zeros:\n  - [Scilly, F]\nexceptions:\n  - "The zero for Scilly is structural."\nunit: school_id\ntotals: [All]\nhierarchies:\n  region: country\n  area:\n    England: [North, South]\n' > "$dir/spec1"
    printf 'dimensions: [sector]\nmagnitudes: [turnover]\nevidence:\n  turnover: {contributors: n, largest: [top1, top2]}\n' > "$dir/spec2"
    printf 'tables:\n  t.csv:\n    dimensions: [region]\n    counts: [n]\n  other.csv:\n    counts: [x]\n' > "$dir/spec3"
    ;;
*)
    echo "seed.sh: no seeds for $name" >&2
    exit 1
    ;;
esac
