#!/bin/sh
# make-7z-trailer.sh - a 7z archive with a model after its end, and the same
# archive alone (doc/design.md, "Containers": a 7z ends where its signature
# header says, 32 + NextHeaderOffset + NextHeaderSize, 7-Zip's 7zFormat.txt).
# Needs 7-Zip (Debian's 7zip: 7zz, or p7zip-full: 7z); run from the
# repository root:
#
#   sh testdata/make-7z-trailer.sh
set -eu
SEVENZ=$(command -v 7zz || command -v 7z) || { echo "7-Zip not found (apt-get install 7zip)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp testdata/benign/region_by_sex.csv "$tmp/region_by_sex.csv"
touch -d 2025-01-01T00:00:00Z "$tmp/region_by_sex.csv"
(cd "$tmp" && "$SEVENZ" a -bd -mtm=off -mtc=off -mta=off out.7z region_by_sex.csv > /dev/null)
cp "$tmp/out.7z" testdata/benign/outputs.7z
cat "$tmp/out.7z" testdata/artefacts/models/sklearn_logreg_p4.pkl \
    > testdata/artefacts/disguised/appended_pickle.7z
