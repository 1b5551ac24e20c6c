#!/bin/sh
# zip.sh - how fast is sdccheck on a large zip, next to reading and hashing
# it? (issue 10's figure: a 200 MB zip of 1,000 members at 0.5 or more of
# openssl dgst -sha256's throughput, peak RSS under 64 MiB.)
#
#   make bench                    (or: sh bench/zip.sh, from anywhere)
#
# Environment: BENCH_DIR (default /tmp/sdccheck-bench), SDCCHECK (default
# build/sdccheck), SDCCHECK_ARGS.
#
# The zip is generated once (Python's zipfile, deflate): 1,000 members as an
# output folder holds them, tables of counts and magnitudes of about 500 KB
# each (eight distinct ones in turn, random digits so that each deflates to
# about 200 KB), 200 MB in all. sdccheck inflates and reads every member
# (each is a table past max_table_rows: record-level, a fail) and writes
# its JSON report; exit 1 is that verdict, only 2 is an error. The floor
# beside it: every member inflated by libarchive and thrown away
# (bench/unarchive.c), which no check of the members can beat.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
SDCCHECK=${SDCCHECK:-$ROOT/build/sdccheck}
SDCCHECK_ARGS=${SDCCHECK_ARGS:-}
CC=${CC:-cc}
MEMBERS=1000

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

[ -x "$SDCCHECK" ] || die "$SDCCHECK not found: run make first"
command -v openssl > /dev/null || die "openssl not found (apt-get install openssl)"
PY=$(command -v /usr/bin/python3 || command -v python3) || die "python3 not found"

ZIP=$BENCH_DIR/outputs-1000.zip
make_zip() {
    "$PY" - "$1.tmp" "$MEMBERS" << 'PYEOF'
import random, sys, zipfile
out, members = sys.argv[1], int(sys.argv[2])
rng = random.Random(2026)
blobs = []
for k in range(8):
    lines = ["region,area,year,count,income"]
    while sum(len(l) + 1 for l in lines) < 500_000:
        lines.append("R%02d,A%04d,%d,%d,%d.%02d" % (rng.randrange(12), rng.randrange(9000),
                     2010 + rng.randrange(14), rng.randrange(10, 99999),
                     rng.randrange(10**7), rng.randrange(100)))
    blobs.append(("\n".join(lines) + "\n").encode())
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    for i in range(members):
        z.writestr("outputs/table_%04d.csv" % i, blobs[i % 8])
PYEOF
}
generate "$ZIP" make_zip "$ZIP"
zip_bytes=$(wc -c < "$ZIP")
cat "$ZIP" > /dev/null # warm the page cache

echo "sdccheck zip benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs"
echo "input: $ZIP ($zip_bytes bytes, $MEMBERS members, deflate)"
measure zip.sha256 openssl dgst -sha256 "$ZIP"
hash_sec=$SEC
hash_kb=$RSS_KB
# The floor: every member inflated with libarchive and thrown away.
build unarchive bench/unarchive.c -larchive
measure zip.unarchive "$BENCH_DIR/bin/unarchive" "$ZIP"
[ "$RC" = 0 ] || die "unarchive failed (see $BENCH_DIR/log/zip.unarchive.err)"
unz_sec=$SEC
unz_kb=$RSS_KB
# shellcheck disable=SC2086 # SDCCHECK_ARGS is a list of options
measure zip.sdccheck "$SDCCHECK" $SDCCHECK_ARGS -f json -o "$BENCH_DIR/out/zip.json" "$ZIP"
case $RC in 0 | 1 | 3) ;; *) die "sdccheck exited $RC (see $BENCH_DIR/log/zip.sdccheck.err)" ;; esac
awk -v b="$zip_bytes" -v h="$hash_sec" -v s="$SEC" -v hk="$hash_kb" -v sk="$RSS_KB" \
    -v u="$unz_sec" -v uk="$unz_kb" 'BEGIN {
    printf "%-24s %8.2f s %9.1f MB/s %8.1f MiB peak RSS\n", "sha256 (openssl)", h, b / 1e6 / h, hk / 1024
    printf "%-24s %8.2f s %9.1f MB/s %8.1f MiB peak RSS\n", "inflate (libarchive)", u, b / 1e6 / u, uk / 1024
    printf "%-24s %8.2f s %9.1f MB/s %8.1f MiB peak RSS\n", "sdccheck -f json", s, b / 1e6 / s, sk / 1024
    printf "sdccheck throughput = %.3f of openssl (target 0.5 or more), %.3f of inflating alone " \
           "(which is %.3f of openssl); peak RSS %s 64 MiB\n",
           h / s, u / s, h / u, (sk / 1024 < 64) ? "under" : "OVER"
}'
