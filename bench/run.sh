#!/bin/sh
# run.sh - how fast is sdccheck, next to the limits it cannot beat?
#
#   make bench                    (or: sh bench/run.sh, from anywhere)
#
# Environment:
#   BENCH_DIR      where the inputs live (default /tmp/sdccheck-bench); they
#                  are generated once (about 1.2 GB) and reused afterwards
#   SDCCHECK       the binary to measure (default build/sdccheck)
#   SDCCHECK_ARGS  extra options for it, e.g. "-j 1"
#
# For each input it times three programs on the same bytes:
#   sha256    openssl dgst -sha256: reading and hashing, the hash limit
#             (sdccheck hashes every file it reads)
#   csvparse  bench/csvparse.c: libcsv with do-nothing callbacks, the parse
#             limit (sdccheck parses with libcsv)
#   sdccheck  sdccheck -f json -o FILE: the whole check and report
# and prints seconds, MB/s (10^6 bytes), files/s, peak RSS (GNU time %M) and
# sdccheck's time as a multiple of the two limits. Inputs:
#   records-100m.csv  100 MiB of record-level CSV (id,region,sex,age,...)
#   records-1g.csv    1 GiB of the same rows continued (the 100 MiB file is
#                     its exact prefix): peak RSS must not grow with size
#   tables/           2,000 small wide crosstabs (every 4th has a count < 10)
# then csvparse on the 1 GiB file with 64 KiB and 1 MiB read() buffers.
# On the record files sdccheck may beat csvparse: past max_table_rows rows a
# file is microdata, and the rest of it is only hashed and counted, not
# parsed. The folder is where per-file cost (classify, rules, report) shows.
#
# sdccheck exits 1 on the record files (they are microdata, a fail) and on
# the folder (small counts): exit 0, 1 and 3 are verdicts, only 2 (or a
# signal) is an error. Files are read once beforehand so every program sees
# a warm page cache: this measures CPU, not the disk.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
SDCCHECK=${SDCCHECK:-$ROOT/build/sdccheck}
SDCCHECK_ARGS=${SDCCHECK_ARGS:-}
CC=${CC:-cc}
BIG_BYTES=1073741824     # 1 GiB
SMALL_BYTES=104857600    # 100 MiB
TABLE_COUNT=2000

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

[ -x "$SDCCHECK" ] || die "$SDCCHECK not found: run make first"
command -v openssl > /dev/null || die "openssl not found (apt-get install openssl)"

# row INPUT TOOL BYTES FILES ok|verdict: prints the last measurement as one
# table row. A verdict exit (0, 1, 3) is fine for
# sdccheck; any other status is an error.
FAILED=0
row() {
    r_input=$1 r_tool=$2 r_bytes=$3 r_files=$4 r_kind=$5
    status=$RC
    case "$r_kind:$RC" in
        ok:0 | verdict:0 | verdict:1 | verdict:3) ;;
        *) status="ERR $RC"; FAILED=1 ;;
    esac
    awk -v input="$r_input" -v tool="$r_tool" -v b="$r_bytes" -v f="$r_files" \
        -v s="$SEC" -v kb="$RSS_KB" -v st="$status" 'BEGIN {
        t = (s > 0) ? s : 0.001
        mbs = sprintf("%9.1f", b / 1e6 / t)
        fps = (f > 1) ? sprintf("%9.0f", f / t) : sprintf("%9s", "-")
        if (st ~ /ERR/)   # a failed run has no speed
            mbs = fps = sprintf("%9s", "-")
        printf "%-18s %-22s %6s %8.2f %s %s %9.1f\n",
               input, tool, st, s, mbs, fps, kb / 1024
    }'
}

ratios() {
    awk -v s="$1" -v h="$2" -v p="$3" 'BEGIN {
        printf "%-18s sdccheck/hash = %.1fx, sdccheck/parse = %.1fx (time ratios)\n",
               "", s / (h > 0 ? h : 0.001), s / (p > 0 ? p : 0.001)
    }'
}

header() {
    printf '%-18s %-22s %6s %8s %9s %9s %9s\n' \
        input tool exit seconds 'MB/s' 'files/s' 'RSS MiB'
    printf '%-18s %-22s %6s %8s %9s %9s %9s\n' \
        ------------------ ---------------------- ------ -------- --------- --------- ---------
}

# bench_input LABEL NAME BYTES FILES TARGET FILE...: the three programs on
# one input; TARGET is what sdccheck is given (a file or the folder), the
# FILEs are what openssl and csvparse read.
bench_input() {
    in_label=$1 in_name=$2 in_bytes=$3 in_files=$4 in_target=$5
    shift 5
    measure "$in_label.sha256" openssl dgst -sha256 "$@"
    row "$in_name" "sha256 (openssl)" "$in_bytes" "$in_files" ok
    hash_sec=$SEC
    measure "$in_label.csvparse" "$BENCH_DIR/bin/csvparse" "$@"
    row "" "csvparse (libcsv)" "$in_bytes" "$in_files" ok
    parse_sec=$SEC
    # shellcheck disable=SC2086 # SDCCHECK_ARGS is a list of options
    measure "$in_label.sdccheck" "$SDCCHECK" $SDCCHECK_ARGS -f json \
        -o "$BENCH_DIR/out/$in_label.json" "$in_target"
    row "" "sdccheck -f json" "$in_bytes" "$in_files" verdict
    ratios "$SEC" "$hash_sec" "$parse_sec"
}

# ---- inputs ----------------------------------------------------------------

build gen bench/gen.c -lm
build csvparse bench/csvparse.c -lcsv

BIG=$BENCH_DIR/records-1g.csv
SMALL=$BENCH_DIR/records-100m.csv
TABLES=$BENCH_DIR/tables
# make_records BYTES FILE, make_tables COUNT DIR: write FILE.tmp, DIR.tmp.
make_records() { "$BENCH_DIR/bin/gen" records "$1" > "$2.tmp"; }
make_tables() { mkdir "$2.tmp" && "$BENCH_DIR/bin/gen" tables "$2.tmp" "$1"; }
generate "$BIG" make_records "$BIG_BYTES" "$BIG"
generate "$SMALL" make_records "$SMALL_BYTES" "$SMALL"
generate "$TABLES" make_tables "$TABLE_COUNT" "$TABLES"

big_bytes=$(wc -c < "$BIG")
small_bytes=$(wc -c < "$SMALL")
table_bytes=$(cat "$TABLES"/*.csv | wc -c)

# Warm the page cache (and check that there is room to keep it warm).
cat "$SMALL" "$BIG" "$TABLES"/*.csv > /dev/null

# ---- report ----------------------------------------------------------------

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2> /dev/null || true)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2> /dev/null || true)
echo "sdccheck benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) CPUs, ${cpu:-unknown CPU}, ${mem:-? GiB} RAM, $(uname -sr)"
echo "sdccheck: $("$SDCCHECK" --version 2> /dev/null | head -n 1 || echo '?') ($SDCCHECK${SDCCHECK_ARGS:+ $SDCCHECK_ARGS})"
echo "libcsv:   $(dpkg-query -W -f '${Version}' libcsv3 2> /dev/null || echo '?');" \
    "$(openssl version 2> /dev/null)"
echo "data:     $BENCH_DIR (page cache warm; MB = 10^6 bytes)"
echo

header
bench_input small "records-100m.csv" "$small_bytes" 1 "$SMALL" "$SMALL"
bench_input big "records-1g.csv" "$big_bytes" 1 "$BIG" "$BIG"
bench_input tables "tables/ ($TABLE_COUNT)" "$table_bytes" "$TABLE_COUNT" "$TABLES" "$TABLES"/*.csv

echo
echo "read() buffer size, csvparse on records-1g.csv:"
header
for b in 65536 1048576; do
    measure "chunk-$b" "$BENCH_DIR/bin/csvparse" -b "$b" "$BIG"
    row "records-1g.csv" "csvparse -b $b" "$big_bytes" 1 ok
done

echo
echo "reports: $BENCH_DIR/out/*.json; program output and errors: $BENCH_DIR/log/"
if [ "$FAILED" != 0 ]; then
    echo "bench: a program failed (ERR above); see $BENCH_DIR/log/*.err" >&2
    exit 1
fi
