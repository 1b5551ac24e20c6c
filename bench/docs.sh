#!/bin/sh
# docs.sh - tables in documents next to the CSV path (doc/design.md,
# "Tables in documents"): the same 500 tables of 1,000 rows each (area,
# sex, count: every count 10 or more) written as one CSV per table, and
# as one document holding them all:
#   csv/           500 CSV files (the table path: parse, layout, rules)
#   tables.log     Stata's tabulate boxes, as a log prints them
#   tables.md      Markdown pipe tables under headings
#   tables.html    HTML <table> elements, as pandas' to_html writes them
#   tables.docx    a Word document of 500 tables (python3's zipfile)
# For each: bytes, seconds, MB/s, peak RSS, and seconds per MB as a
# multiple of the CSV folder's (the cost of finding and reading tables in
# a document, beyond checking them). openssl's SHA-256 of the same bytes
# is the floor every file pays.
#
#   sh bench/docs.sh        (BENCH_DIR, SDCCHECK as in bench/run.sh)
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
SDCCHECK=${SDCCHECK:-$ROOT/build/sdccheck}
CC=${CC:-cc}
TABLES=500
ROWS=1000

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

[ -x "$SDCCHECK" ] || die "$SDCCHECK not found: run make first"
command -v openssl > /dev/null || die "openssl not found (apt-get install openssl)"
PY=/usr/bin/python3
[ -x "$PY" ] || die "python3 is needed to write the .docx (apt-get install python3)"

D=$BENCH_DIR/docs
# rows T: the rows of table T, "area sex count" (deterministic counts 10-99)
rows_awk='function cnt(t, a, s) { return 10 + (t * 7919 + a * 104729 + s * 13) % 90 }'

make_docs() {
    mkdir -p "$D.tmp/csv"
    awk -v T=$TABLES -v R=$ROWS -v dir="$D.tmp" "$rows_awk"'
    BEGIN {
        log_ = dir "/tables.log"; md = dir "/tables.md"; html = dir "/tables.html"
        xml = dir "/document.xml"
        print "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>" > xml
        for (t = 1; t <= T; t++) {
            csv = sprintf("%s/csv/table%03d.csv", dir, t)
            print "area,sex,count" > csv
            printf ". tabulate area sex if wave == %d\n\n", t > log_
            printf "           |          sex\n      area |         F          M |     Total\n" > log_
            printf "-----------+----------------------+----------\n" > log_
            printf "## Table %d\n\n| area | F | M |\n|---|--:|--:|\n", t > md
            printf "<table border=\"1\" class=\"dataframe\">\n<thead><tr><th>area</th><th>F</th><th>M</th></tr></thead>\n<tbody>\n" > html
            printf "<w:p><w:r><w:t>Table %d</w:t></w:r></w:p><w:tbl>", t > xml
            printf "<w:tr><w:tc><w:p><w:r><w:t>area</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>F</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>M</w:t></w:r></w:p></w:tc></w:tr>" > xml
            for (a = 1; a <= R / 2; a++) {
                f = cnt(t, a, 1); m = cnt(t, a, 2)
                printf "A%05d,F,%d\nA%05d,M,%d\n", a, f, a, m > csv
                printf "    A%05d | %9d  %9d | %9d\n", a, f, m, f + m > log_
                printf "| A%05d | %d | %d |\n", a, f, m > md
                printf "<tr><th>A%05d</th><td>%d</td><td>%d</td></tr>\n", a, f, m > html
                printf "<w:tr><w:tc><w:p><w:r><w:t>A%05d</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>%d</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>%d</w:t></w:r></w:p></w:tc></w:tr>", a, f, m > xml
            }
            close(csv)
            printf "\n\n" > log_
            printf "\nSource: synthetic.\n\n" > md
            printf "</tbody>\n</table>\n" > html
            printf "</w:tbl>" > xml
        }
        print "</w:body></w:document>" > xml
    }'
    "$PY" - "$D.tmp" << 'EOF'
import sys, zipfile
d = sys.argv[1]
ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
      '</Types>')
rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '</Relationships>')
with zipfile.ZipFile(d + "/tables.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", ct)
    z.writestr("_rels/.rels", rels)
    z.write(d + "/document.xml", "word/document.xml")
EOF
    rm "$D.tmp/document.xml"
}
generate "$D" make_docs

csv_bytes=$(cat "$D"/csv/*.csv | wc -c)
cat "$D"/csv/*.csv "$D"/tables.* > /dev/null # a warm page cache

echo "tables in documents, $(date -u '+%Y-%m-%d %H:%M UTC'): $TABLES tables of $ROWS rows"
echo "machine:  $(nproc) CPUs; sdccheck $("$SDCCHECK" --version 2> /dev/null | head -n 1 || echo '?')"
printf '%-12s %10s %8s %8s %9s %9s %12s %10s\n' input bytes tables seconds 'MB/s' 'RSS MiB' 's/MB vs csv' 'sha256 s'
printf '%-12s %10s %8s %8s %9s %9s %12s %10s\n' ------------ ---------- -------- -------- --------- --------- ------------ ----------

FAILED=0
csv_spm=0
# one NAME TARGET BYTES: sdccheck on TARGET; tables found are the members
# named table* in its report
one() {
    o_name=$1 o_target=$2 o_bytes=$3
    o_label=$(echo "$o_name" | tr -c 'a-z\n' '_')
    measure "docs.$o_label.sha" sh -c "openssl dgst -sha256 $( [ -d "$o_target" ] && echo "$o_target/*.csv" || echo "$o_target") > /dev/null"
    sha_sec=$SEC
    measure "docs.$o_label" "$SDCCHECK" -f json -o "$BENCH_DIR/out/docs.$o_label.json" "$o_target"
    case $RC in 0 | 1 | 3) ;; *) echo "bench: sdccheck failed on $o_target ($RC)" >&2; FAILED=1 ;; esac
    found=$(grep -c '"path": ".*\(table[0-9]\|csv/table\)' "$BENCH_DIR/out/docs.$o_label.json" || true)
    awk -v n="$o_name" -v b="$o_bytes" -v t="$found" -v s="$SEC" -v kb="$RSS_KB" \
        -v base="$csv_spm" -v sh="$sha_sec" 'BEGIN {
        s = (s > 0) ? s : 0.001
        spm = s / (b / 1e6)
        rel = (base > 0) ? sprintf("%11.2fx", spm / base) : sprintf("%12s", "1.00x")
        printf "%-12s %10d %8d %8.2f %9.1f %9.1f %s %10.2f\n", n, b, t, s, b / 1e6 / s, kb / 1024, rel, sh
    }'
    if [ "$found" -lt "$TABLES" ]; then
        echo "bench: only $found of $TABLES tables found in $o_target" >&2
        FAILED=1
    fi
    [ "$csv_spm" = 0 ] && csv_spm=$(awk -v s="$SEC" -v b="$o_bytes" 'BEGIN { print (s > 0 ? s : 0.001) / (b / 1e6) }')
    return 0
}

one csv "$D/csv" "$csv_bytes"
for f in log md html; do
    one "$f" "$D/tables.$f" "$(wc -c < "$D/tables.$f")"
done
# a .docx is measured by the XML it holds (word/document.xml, deflated in it)
xml_bytes=$("$PY" -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).getinfo("word/document.xml").file_size)' "$D/tables.docx")
one "docx (xml)" "$D/tables.docx" "$xml_bytes"
echo
echo "s/MB vs csv: seconds per MB of the document over seconds per MB of the CSV folder;"
echo "a document's bytes hold its tables' values plus their markup, so per table the"
echo "ratio is lower still. Every table of every input must be found ($TABLES each)."
exit $FAILED
