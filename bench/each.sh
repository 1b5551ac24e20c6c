#!/bin/sh
# each.sh - does batch screening scale with the cores? (issue 14: on a
# queue of 10,000 small tables, `--each -j 2` at least 1.7 times as fast
# as `-j 1` on a 2-core machine.)
#
#   make bench                    (or: sh bench/each.sh, from anywhere)
#
# Environment: BENCH_DIR (default /tmp/sdccheck-bench), SDCCHECK (default
# build/sdccheck), EACH_SUBMISSIONS (default 100), EACH_TABLES (tables per
# submission, default 100).
#
# The queue is generated once: EACH_SUBMISSIONS folders of EACH_TABLES
# small wide crosstabs each (bench/gen.c's tables, every 4th with a count
# under 10, so most submissions fail). sdccheck checks it with --each and
# writes a JSON report per submission and the index, with -j 1 and with
# -j 2 (each run into a fresh output folder), and the ratio of the two
# wall times is printed beside the load average at the start of each run:
# on a shared machine the load says how much the figure can be trusted.
# The two runs' reports are compared (SOURCE_DATE_EPOCH fixes their date):
# they must be byte for byte the same.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
SDCCHECK=${SDCCHECK:-$ROOT/build/sdccheck}
CC=${CC:-cc}
SUBMISSIONS=${EACH_SUBMISSIONS:-100}
TABLES=${EACH_TABLES:-100}

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

[ -x "$SDCCHECK" ] || die "$SDCCHECK not found: run make first"
build gen bench/gen.c -lm

QUEUE=$BENCH_DIR/queue-${SUBMISSIONS}x$TABLES
make_queue() {
    mkdir "$1.tmp" || return 1
    s=1
    while [ "$s" -le "$SUBMISSIONS" ]; do
        d=$(printf '%s.tmp/submission-%04d' "$1" "$s")
        mkdir "$d" && "$BENCH_DIR/bin/gen" tables "$d" "$TABLES" > /dev/null || return 1
        s=$((s + 1))
    done
}
generate "$QUEUE" make_queue "$QUEUE"
cat "$QUEUE"/*/* > /dev/null # warm the page cache

load() { cut -d ' ' -f 1-3 /proc/loadavg; }

echo "sdccheck --each benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs"
echo "queue: $QUEUE ($SUBMISSIONS submissions of $TABLES tables)"
export SOURCE_DATE_EPOCH=1767225600
for j in 1 2; do
    out=$BENCH_DIR/out/each-j$j
    rm -rf "$out"
    eval "load_$j=\"$(load)\""
    measure "each.j$j" "$SDCCHECK" check --each -j "$j" -f json -o "$out/" "$QUEUE"
    case $RC in 0 | 1 | 3) ;; *) die "sdccheck exited $RC (see $BENCH_DIR/log/each.j$j.err)" ;; esac
    eval "sec_$j=$SEC"
    eval "rss_$j=$RSS_KB"
done
same=same
diff -r "$BENCH_DIR/out/each-j1" "$BENCH_DIR/out/each-j2" > /dev/null || same=DIFFERENT
# shellcheck disable=SC2154 # set by eval above
awk -v a="$sec_1" -v b="$sec_2" -v ra="$rss_1" -v rb="$rss_2" -v la="$load_1" -v lb="$load_2" \
    -v n="$((SUBMISSIONS * TABLES))" -v same="$same" 'BEGIN {
    printf "%-22s %8.2f s %9.0f tables/s %8.1f MiB peak RSS   load %s\n", "--each -j 1", a, n / a, ra / 1024, la
    printf "%-22s %8.2f s %9.0f tables/s %8.1f MiB peak RSS   load %s\n", "--each -j 2", b, n / b, rb / 1024, lb
    printf "speed-up -j 2 / -j 1 = %.2fx (target 1.7x or more on 2 cores); reports %s\n",
           a / b, same
}'
[ "$same" = same ] || die "the -j 1 and -j 2 reports differ"
