#!/bin/sh
# bench/protect.sh - `sdccheck protect` on the 1 GiB record file, beside the
# bare libcsv parse loop (issue 5: faster than the loop, peak RSS < 64 MiB).
#
#   sh bench/protect.sh            (from anywhere; make bench runs it too)
#
# Environment:
#   BENCH_DIR  inputs and tools (default /tmp/sdccheck-bench); the record
#              file and bench/csvparse.c's binary are made as bench/run.sh
#              makes them when missing
#   SDCCHECK   the binary to measure (default build/sdccheck)
#   REPEAT     runs of each program, interleaved; the fastest counts
#              (default 3: other work on the machine only slows a run)
#   UNIT       1 (default) also runs --unit id once; 0 skips it (every
#              record is its own unit there: 20 million units, held in memory
#              up to the units' budget, 256 MiB, and sorted into runs on disk
#              past it: about 1 GB in TMPDIR while it runs)
#   BEFORE     another sdccheck (say main's, before a change) to run --unit id
#              with too, once: its row is printed below and its table must be
#              the same bytes as SDCCHECK's
#   SDCCHECK_UNIT_MEMORY  the units' budget, passed on (sdccheck(1))
#
# Prints seconds, MB/s (10^6 bytes) and peak RSS (GNU time %M) for
#   csvparse   libcsv with do-nothing callbacks, one thread: the limit
#   protect    sdccheck protect --by region,sex --value income
#   protect -u the same with --unit id (and with BEFORE's binary)
# and each protect run's speed as a multiple of csvparse's (above 1.0x: it
# beats the bare loop), wall clock; and the CPU seconds (user + system),
# which show what the wall clock would be with every core free: protect
# parses on all cores, so on a machine busy with other work its wall clock
# suffers more than the one-thread loop's.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
SDCCHECK=${SDCCHECK:-$ROOT/build/sdccheck}
REPEAT=${REPEAT:-3}
UNIT=${UNIT:-1}
CC=${CC:-cc}
REC=$BENCH_DIR/records-1g.csv

die() { echo "bench/protect.sh: $*" >&2; exit 2; }

[ -x "$SDCCHECK" ] || die "$SDCCHECK not found: run make first"
/usr/bin/time -f '%M' true > /dev/null 2>&1 || die "GNU time is missing: apt-get install time"
mkdir -p "$BENCH_DIR/bin" "$BENCH_DIR/out" "$BENCH_DIR/log"

# The tools and the record file, made as bench/run.sh makes them.
for tool in gen csvparse; do
    src=bench/$tool.c
    if [ ! -x "$BENCH_DIR/bin/$tool" ] || [ -n "$(find "$src" -newer "$BENCH_DIR/bin/$tool")" ]; then
        libs=
        [ "$tool" = csvparse ] && libs=-lcsv
        [ "$tool" = gen ] && libs=-lm
        # shellcheck disable=SC2086 # libs is empty or one option
        $CC -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -o "$BENCH_DIR/bin/$tool" "$src" $libs \
            || die "could not compile $src"
    fi
done
if [ ! -e "$REC.ok" ]; then
    echo "bench/protect.sh: generating $REC (once)" >&2
    "$BENCH_DIR/bin/gen" records 1073741824 > "$REC.tmp" || die "could not generate $REC"
    mv "$REC.tmp" "$REC"
    : > "$REC.ok"
fi
bytes=$(wc -c < "$REC")
cat "$REC" > /dev/null # a warm page cache: this measures CPU, not the disk

# run LABEL CMD...: one run under GNU time; appends "seconds rss_kb cpu" to
# log/LABEL.runs (wall clock from date, finer than time's 10 ms).
run() {
    r_label=$1
    shift
    t0=$(date +%s%N)
    "/usr/bin/time" -f '%M %U %S' -o "$BENCH_DIR/log/$r_label.time" "$@" \
        > "$BENCH_DIR/log/$r_label.out" 2> "$BENCH_DIR/log/$r_label.err" \
        || die "$r_label failed (exit $?): see $BENCH_DIR/log/$r_label.err"
    t1=$(date +%s%N)
    echo "$t0 $t1 $(tail -n 1 "$BENCH_DIR/log/$r_label.time")" |
        awk '{ printf "%.3f %d %.2f\n", ($2 - $1) / 1e9, $3, $4 + $5 }' \
            >> "$BENCH_DIR/log/$r_label.runs"
}

# best LABEL: "seconds rss_kb cpu" of the fastest run.
best() { sort -n "$BENCH_DIR/log/$1.runs" | head -n 1; }

rm -f "$BENCH_DIR"/log/protect-*.runs
i=0
while [ "$i" -lt "$REPEAT" ]; do
    run protect-csvparse "$BENCH_DIR/bin/csvparse" "$REC"
    run protect-plain "$SDCCHECK" protect --by region,sex --value income \
        -o "$BENCH_DIR/out/protect.csv" "$REC"
    i=$((i + 1))
done
BEFORE=${BEFORE:-}
[ -z "$BEFORE" ] || [ -x "$BEFORE" ] || die "BEFORE=$BEFORE is not a program"
if [ "$UNIT" = 1 ]; then
    run protect-unit "$SDCCHECK" protect --by region,sex --value income \
        --unit id -o "$BENCH_DIR/out/protect-unit.csv" "$REC"
    if [ -n "$BEFORE" ]; then
        run protect-unit-before "$BEFORE" protect --by region,sex --value income \
            --unit id -o "$BENCH_DIR/out/protect-unit-before.csv" "$REC"
        cmp -s "$BENCH_DIR/out/protect-unit.csv" "$BENCH_DIR/out/protect-unit-before.csv" ||
            die "--unit id: $SDCCHECK and $BEFORE wrote different tables"
    fi
fi

echo "protect on records-1g.csv ($bytes bytes), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs, load average $(cut -d ' ' -f 1-3 /proc/loadavg) before the runs' end;" \
    "fastest of $REPEAT runs (--unit: 1 run)"
printf '%-44s %8s %9s %9s %8s %8s\n' program seconds 'MB/s' 'RSS MiB' 'vs loop' 'CPU s'
parse=$(best protect-csvparse)
row() {
    echo "$2" | awk -v name="$1" -v b="$bytes" -v p="${parse%% *}" '{
        s = ($1 > 0) ? $1 : 0.001
        ratio = (name ~ /^csvparse/) ? "" : sprintf("%.2fx", p / s)
        printf "%-44s %8.2f %9.1f %9.1f %8s %8.2f\n", name, $1, b / 1e6 / s, $2 / 1024, ratio, $3
    }'
}
row "csvparse (bare libcsv loop, 1 thread)" "$parse"
row "protect --by region,sex --value income" "$(best protect-plain)"
if [ "$UNIT" = 1 ]; then
    row "protect ... --unit id (20M distinct units)" "$(best protect-unit)"
    [ -z "$BEFORE" ] || row "  the same, BEFORE (same table)" "$(best protect-unit-before)"
fi
echo "tables: $BENCH_DIR/out/protect*.csv; logs: $BENCH_DIR/log/protect-*"
