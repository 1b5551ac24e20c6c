#!/bin/sh
# make-split.sh - archives split into volumes (doc/design.md, "Containers":
# a piece of a split archive is never a pass). 7-Zip splits a 7z of the
# counts table stored without compression into 4 KiB volumes
# (split.7z.001 ...), and Info-ZIP's zip -s splits a stored zip into 64 KiB
# pieces (split.z01, then split.zip holding the central directory). Every
# piece is reviewed. Needs 7-Zip (7zip: 7zz, or p7zip-full: 7z) and zip;
# run from the repository root:
#
#   sh testdata/make-split.sh
set -eu
SEVENZ=$(command -v 7zz || command -v 7z) || { echo "7-Zip not found (apt-get install 7zip)" >&2; exit 1; }
command -v zip > /dev/null || { echo "zip not found (apt-get install zip)" >&2; exit 1; }
out=testdata/artefacts/bad/split
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 10 KB for the 7z, 70 KB for the zip: the counts table, repeated
for i in $(seq 1 200); do tail -n +2 testdata/benign/region_by_sex.csv; done > "$tmp/body"
{ head -1 testdata/benign/region_by_sex.csv; head -c 10000 "$tmp/body"; } > "$tmp/counts.csv"
{ head -1 testdata/benign/region_by_sex.csv; cat "$tmp/body" "$tmp/body" "$tmp/body"; } \
    | head -c 70000 > "$tmp/counts_big.csv"
touch -d 2025-01-01T00:00:00Z "$tmp/counts.csv" "$tmp/counts_big.csv"
(cd "$tmp" && "$SEVENZ" a -bd -mx0 -v4k -mtm=off -mtc=off -mta=off split.7z counts.csv > /dev/null)
(cd "$tmp" && TZ=UTC zip -q -X -0 -s 64k split.zip counts_big.csv)
rm -rf "$out"
mkdir -p "$out"
cp "$tmp"/split.7z.* "$tmp"/split.z01 "$tmp"/split.zip "$out/"
ls "$out"
