#!/bin/sh
# bench/fix.sh - issue 5's suppression benchmarks:
#  * --fix on 2-D tables of 10k, 100k and 1M cells with ~5% of cells below
#    the threshold: time, peak RSS, primary and complementary suppressions
#    (1M cells under a 10-minute limit);
#  * protect --by on the 1 GiB record file beside the bare libcsv loop.
set -eu
bin=${SDCCHECK:-build/sdccheck}
base=${BENCH_DIR:-/tmp/sdccheck-bench}
dir=$base/fix
mkdir -p "$dir"
command -v /usr/bin/time >/dev/null || { echo "bench/fix.sh needs GNU time (apt-get install time)"; exit 1; }
printf '%-22s %10s %10s %28s\n' input seconds "RSS MiB" suppressions
for n in 100 316 1000; do
    f="$dir/table$n.csv"
    [ -s "$f" ] || awk -v n="$n" 'BEGIN {
        srand(3 + n)
        printf "region"; for (j = 0; j < n; j++) printf ",c%d", j; print ",Total"
        for (i = 0; i < n; i++) {
            rs = 0; line = "r" i
            for (j = 0; j < n; j++) {
                v = rand() < 0.05 ? 1 + int(rand() * 9) : 20 + int(rand() * 181); rs += v; cs[j] += v
                line = line "," v
            }
            print line "," rs; t += rs
        }
        printf "Total"; for (j = 0; j < n; j++) printf ",%d", cs[j]; print "," t
    }' > "$f"
    rm -rf "$dir/out"
    set +e
    timeout 600 /usr/bin/time -f '%e %M' -o "$dir/t" "$bin" -q --fix "$dir/out" "$f" > /dev/null 2> "$dir/err"
    rc=$?
    set -e
    if [ "$rc" = 124 ]; then
        printf '%-22s %10s %10s %28s\n' "--fix ${n}x$n" ">600" - "(did not finish)"
        continue
    fi
    set -- $(tail -n 1 "$dir/t")
    sup=$(sed -n 's/.*: \([0-9]*\) primary and \([0-9]*\) complementary.*/\1 + \2/p' "$dir/err")
    printf '%-22s %10s %10s %28s\n' "--fix ${n}x$n" "$1" \
        "$(awk -v kb="$2" 'BEGIN { printf "%.1f", kb / 1024 }')" "$sup"
done
rec=$base/records-1g.csv
if [ -s "$rec" ] && [ -x "$base/bin/csvparse" ]; then
    for run in parse protect; do
        set +e
        if [ $run = parse ]; then
            /usr/bin/time -f '%e %M' -o "$dir/t" "$base/bin/csvparse" "$rec" > /dev/null 2>&1
        else
            /usr/bin/time -f '%e %M' -o "$dir/t" "$bin" protect --by region,sex --value income \
                -o "$dir/protected.csv" "$rec" > /dev/null 2>&1
        fi
        set -e
        set -- $(tail -n 1 "$dir/t")
        mbs=$(awk -v s="$1" -v b="$(stat -c %s "$rec")" 'BEGIN { printf "%.0f MB/s", b / 1e6 / s }')
        printf '%-22s %10s %10s %28s\n' "$run 1 GiB" "$1" \
            "$(awk -v kb="$2" 'BEGIN { printf "%.1f", kb / 1024 }')" "$mbs"
    done
else
    echo "(run bench/run.sh first for the 1 GiB record file)"
fi
