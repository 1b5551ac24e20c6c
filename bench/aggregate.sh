#!/bin/sh
# bench/aggregate.sh - sdc_aggregate_file alone (records into cells, the
# margins and the laid-out table, no suppression) on bench/suppress.sh's
# record files, in records per second; with BEFORE_LIB, a baseline library
# measured in the same run, interleaved, and its tables compared byte for
# byte with this checkout's.
#
#   sh bench/aggregate.sh
#   BEFORE_LIB=/tmp/base/build/libsdccheck.a INPUTS=grid REPEAT=5 sh bench/aggregate.sh
#
# Environment:
#   BENCH_DIR   as bench/suppress.sh (default /tmp/sdccheck-bench); the
#               record files must be there already (bench/suppress.sh makes
#               them once)
#   LIB         the library to measure (default build/libsdccheck.a)
#   BEFORE_LIB  another libsdccheck.a (say main's: git worktree add
#               /tmp/base main && make -C /tmp/base build/libsdccheck.a)
#   REPEAT      runs of each, interleaved; the fastest counts (default 3)
#   INPUTS      which of areas-1m areas-10m grid nested (default all four;
#               nested without its declared hierarchy: all 64 margins of its
#               six columns, 1.85M rows, where protect builds 991,116)
#
# Prints per input and library: records, the table's rows, the fastest
# wall-clock seconds of the call, the CPU seconds of that run (user and
# system, both threads: less sensitive to other work on the machine than
# the wall clock), records per second, peak RSS (GNU time %M) and, with
# BEFORE_LIB, whether the two tables are the same bytes. Exits 1 when they
# differ or a run fails.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
LIB=${LIB:-$ROOT/build/libsdccheck.a}
BEFORE_LIB=${BEFORE_LIB:-}
REPEAT=${REPEAT:-3}
INPUTS=${INPUTS:-areas-1m areas-10m grid nested}
CC=${CC:-cc}
S=$BENCH_DIR/suppress

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

[ -f "$LIB" ] || die "$LIB not found: run make first"
[ -z "$BEFORE_LIB" ] || [ -f "$BEFORE_LIB" ] || die "BEFORE_LIB: $BEFORE_LIB not found"

# The libraries the command needs, as the Makefile links them.
LIBS="-lcsv -lreadstat -lyaml -lcrypto -lglpk -lgsl -lgslcblas -larchive -lbrotlidec -lxml2
      -lmagic -lpoppler-glib -lgsf-1 -lgobject-2.0 -lglib-2.0 -lz -lm -lpthread
      $(pkg-config --libs sqlite3 jansson)"
# link NAME LIBRARY: bench/aggregate.c against LIBRARY as BENCH_DIR/bin/NAME.
link() {
    # shellcheck disable=SC2086 # LIBS is a list of options
    $CC -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -I"$ROOT/include" -o "$BENCH_DIR/bin/$1" \
        bench/aggregate.c "$2" $LIBS || die "could not link bench/aggregate.c with $2"
}
link aggregate-after "$LIB"
SIDES=after
if [ -n "$BEFORE_LIB" ]; then
    link aggregate-before "$BEFORE_LIB"
    SIDES="before after"
fi

FAILED=0
printf '%-10s %-6s %10s %8s %8s %8s %11s %8s %s\n' input lib records rows seconds cpu \
    records/s rss_MiB table
for name in $INPUTS; do
    case "$name" in
        areas-1m | areas-10m) dims=area,sex ;;
        grid) dims=x,y ;;
        nested) dims=country,region,sex,age,ethnicity,year ;;
        *) die "INPUTS: '$name' is not areas-1m, areas-10m, grid or nested" ;;
    esac
    file=$S/$name.csv
    [ -e "$file.ok" ] || die "$file is missing: run bench/suppress.sh once to make it"
    cat "$file" > /dev/null # a warm page cache: this measures CPU, not the disk
    for side in $SIDES; do : > "$BENCH_DIR/log/aggregate-$name-$side.runs"; done
    i=0
    while [ "$i" -lt "$REPEAT" ]; do
        for side in $SIDES; do
            label=aggregate-$name-$side
            measure "$label" "$BENCH_DIR/bin/aggregate-$side" -v income \
                -o "$BENCH_DIR/out/$label.csv" "$file" "$dims"
            [ "$RC" = 0 ] || {
                echo "bench/aggregate.sh: $side failed on $name: see $BENCH_DIR/log/$label.err" >&2
                FAILED=1
                continue
            }
            # "records R rows N seconds S cpu C records/s X", then the RSS
            echo "$(cat "$BENCH_DIR/log/$label.out") rss $RSS_KB" >> "$BENCH_DIR/log/$label.runs"
        done
        i=$((i + 1))
    done
    same=-
    if [ -n "$BEFORE_LIB" ]; then
        if cmp -s "$BENCH_DIR/out/aggregate-$name-before.csv" "$BENCH_DIR/out/aggregate-$name-after.csv"; then
            same=same
        else
            same=DIFFERENT
            FAILED=1
        fi
    fi
    for side in $SIDES; do
        sort -n -k 6 "$BENCH_DIR/log/aggregate-$name-$side.runs" | head -n 1 |
            awk -v n="$name" -v s="$side" -v same="$same" \
                '{ printf "%-10s %-6s %10s %8s %8.2f %8.2f %11.0f %8.0f %s\n",
                   n, s, $2, $4, $6, $8, $10, $12 / 1024, same }'
    done
done
echo "machine: $(nproc) CPUs, load average $(cut -d ' ' -f 1-3 /proc/loadavg) at the end;" \
    "fastest of $REPEAT runs"
exit "$FAILED"
