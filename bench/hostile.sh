#!/bin/sh
# hostile.sh - the limits of sdccheck(1) ("Limits") at their full sizes:
# each hostile input must end with the verdict its limit gives, in bounded
# time and memory. For each: bytes, seconds, MB/s, peak RSS, the exit
# status and the one expected (0 pass, 1 fail, 2 usage error, 3 review).
#
#   columns      one row of 1,000,000 count columns (pass: read whole, linear)
#   line         a 10 GB file of one line of short fields (review)
#   labels       100,000,000 distinct labels with counts (fail: record-level)
#   field        a 1 GB quoted field (review)
#   pdf-page     a PDF page whose content inflates to 64 MiB of text (review)
#   zip-members  a zip of 100,000 empty members (fail: archive-bomb)
#   zip-nested   50 zips nested in each other (fail: archive-bomb)
#   pickle       a 1 GB pickle (fail: model-file)
#   yaml-deep    a declared layout nesting 1,000,000 deep (review)
#
#   sh bench/hostile.sh              (BENCH_DIR, SDCCHECK as in bench/run.sh)
#   LINE_GB=1 LABELS=10000000 sh bench/hostile.sh     (smaller runs)
# The inputs take about 13 GB of BENCH_DIR; they are made once. Needs
# /usr/bin/python3 (standard library only) for the zips, PDF and pickle.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
SDCCHECK=${SDCCHECK:-$ROOT/build/sdccheck}
CC=${CC:-cc}
LINE_GB=${LINE_GB:-10}
LABELS=${LABELS:-100000000}
PY=/usr/bin/python3

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

[ -x "$SDCCHECK" ] || die "$SDCCHECK not found: run make first"
[ -x "$PY" ] || die "$PY is needed to write the zips, the PDF and the pickle"
H=$BENCH_DIR/hostile
mkdir -p "$H"

# ---- inputs (each made once) ------------------------------------------------

gen_columns() {
    awk 'BEGIN { n = 1000000
        for (i = 0; i < n; i++) printf "%sc%d", (i ? "," : ""), i; printf "\n"
        for (i = 0; i < n; i++) printf "%s%d", (i ? "," : ""), 10 + i % 50; printf "\n" }' \
        > "$H/columns.csv.tmp"
}
gen_line() {
    { printf 'a,b\n'; yes '1,' | tr -d '\n' | head -c "$((LINE_GB * 1024 * 1024 * 1024))"; } \
        > "$H/line.csv.tmp"
}
gen_labels() {
    awk -v n="$LABELS" 'BEGIN { print "area,count"
        for (i = 0; i < n; i++) printf "A%09d,%d\n", i, 10 + i % 90 }' > "$H/labels.csv.tmp"
}
gen_field() {
    { printf 'a,b\n1,"'; yes x | tr -d '\n' | head -c 1073741824; printf '"\n'; } \
        > "$H/field.csv.tmp"
}
gen_py() {
    "$PY" - "$1" "$2" <<'EOF'
import io, os, sys, zipfile, zlib
what, out = sys.argv[1], sys.argv[2]
if what == "zip-members":
    with zipfile.ZipFile(out, "w") as z:
        for i in range(100000):
            z.writestr("m%06d.txt" % i, b"")
elif what == "zip-nested":
    data, name = b"region,count\nNorth,12\n", "t.csv"
    for i in range(50):
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w") as z:
            z.writestr(name, data)
        data, name = b.getvalue(), "n%d.zip" % i
    open(out, "wb").write(data)
elif what == "pdf-page":
    sys.path.insert(0, os.path.join(os.getcwd(), "testdata"))
    from pdfbuild import pdf, stream
    line = b"BT /F1 8 Tf 10 700 Td (Row 12345 North 17 South 23) Tj ET\n"
    text = line * ((64 << 20) // len(line))
    open(out, "wb").write(pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(b"/Filter /FlateDecode", zlib.compress(text, 9)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]))
elif what == "pickle":
    # protocol 4: PROTO, builtins.bytes via STACK_GLOBAL, BINBYTES8 of 1 GiB,
    # TUPLE1 REDUCE STOP (pickletools' opcode table)
    n = 1 << 30
    with open(out, "wb") as f:
        f.write(b"\x80\x04\x8c\x08builtins\x8c\x05bytes\x93\x8e" + n.to_bytes(8, "little"))
        chunk = os.urandom(1 << 20)
        for _ in range(n >> 20):
            f.write(chunk)
        f.write(b"\x85R.")
EOF
}
gen_yaml() {
    mkdir -p "$H/yaml.tmp"
    printf 'region,count\nNorth,12\nSouth,15\n' > "$H/yaml.tmp/t.csv"
    awk 'BEGIN { printf "counts: "; for (i = 0; i < 1000000; i++) printf "[";
        for (i = 0; i < 1000000; i++) printf "]"; printf "\n" }' > "$H/yaml.tmp/t.sdc.yaml"
}

generate "$H/columns.csv" gen_columns
generate "$H/line.csv" gen_line
generate "$H/labels.csv" gen_labels
generate "$H/field.csv" gen_field
generate "$H/page.pdf" gen_py pdf-page "$H/page.pdf.tmp"
generate "$H/members.zip" gen_py zip-members "$H/members.zip.tmp"
generate "$H/nested.zip" gen_py zip-nested "$H/nested.zip.tmp"
generate "$H/model.pkl" gen_py pickle "$H/model.pkl.tmp"
generate "$H/yaml" gen_yaml

# ---- runs -------------------------------------------------------------------

bad=0
printf '%-12s %14s %9s %9s %9s %5s %9s\n' case bytes seconds MB/s "RSS MiB" exit expected
row() {
    r_label=$1 r_expect=$2 r_path=$3
    measure "hostile-$r_label" "$SDCCHECK" -q "$r_path"
    r_bytes=$(du -sb "$r_path" | awk '{ print $1 }')
    r_ok=ok
    [ "$RC" = "$r_expect" ] || { r_ok=WRONG; bad=$((bad + 1)); }
    printf '%-12s %14s %9s %9.1f %9d %5s %9s %s\n' "$r_label" "$r_bytes" "$SEC" \
        "$(awk -v b="$r_bytes" -v s="$SEC" 'BEGIN { print b / 1e6 / (s > 0 ? s : 1) }')" \
        "$((RSS_KB / 1024))" "$RC" "$r_expect" "$r_ok"
}
row columns 0 "$H/columns.csv"
row line 3 "$H/line.csv"
row labels 1 "$H/labels.csv"
row field 3 "$H/field.csv"
row pdf-page 3 "$H/page.pdf"
row zip-members 1 "$H/members.zip"
row zip-nested 1 "$H/nested.zip"
row pickle 1 "$H/model.pkl"
row yaml-deep 3 "$H/yaml/t.csv"
[ "$bad" -eq 0 ] || die "$bad hostile inputs did not end as expected (logs in $BENCH_DIR/log)"
