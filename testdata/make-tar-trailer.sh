#!/bin/sh
# make-tar-trailer.sh - a tar of a table with a pickle after its
# end-of-archive blocks, compressed three ways (doc/design.md,
# "Containers"): gzip (the stream is inflated again and the bytes after
# the end are named), xz and bzip2 (libarchive is asked to read on past the
# end, so the archive is not whole: review). GNU tar, gzip, xz, bzip2;
# run from the repository root:
#
#   sh testdata/make-tar-trailer.sh
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp testdata/benign/region_by_sex.csv "$tmp/"
(cd "$tmp" && tar --format=gnu --mtime=2025-01-01 --owner=0 --group=0 --numeric-owner \
    -cf t.tar region_by_sex.csv)
cat "$tmp/t.tar" testdata/artefacts/models/sklearn_logreg_p4.pkl > "$tmp/a.tar"
out=testdata/artefacts/disguised
gzip -9n < "$tmp/a.tar" > $out/appended_pickle.tar.gz
xz -9 < "$tmp/a.tar" > $out/appended_pickle.tar.xz
bzip2 -9 < "$tmp/a.tar" > $out/appended_pickle.tar.bz2
