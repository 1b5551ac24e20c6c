#!/bin/sh
# bench/fix.sh - issue 5's suppression benchmarks:
#  * --fix on 2-D tables of 10k, 100k and 1M cells with ~5% of cells below
#    the threshold, and on a 5-D hierarchical long table of ~1M cells with
#    ~100k below it (bench/gen5d.c): time, peak RSS, primary and
#    complementary suppressions, and the verdict of the re-check of the
#    written copy (included in the time). Target: under 10 minutes and
#    8 GiB each.
set -eu
bin=${SDCCHECK:-build/sdccheck}
base=${BENCH_DIR:-/tmp/sdccheck-bench}
dir=$base/fix
mkdir -p "$dir"
command -v /usr/bin/time >/dev/null || { echo "bench/fix.sh needs GNU time (apt-get install time)"; exit 1; }
printf '%-22s %10s %10s %28s %8s\n' input seconds "RSS MiB" suppressions re-check
# The 5-D table is long (a row per cell): a policy that allows a million rows.
printf 'extends: ons-srs\nname: bench-5d\ndescription: bench/fix.sh, 1M-row tables\nmax_table_rows: 2000000\n' \
    > "$dir/policy-5d.yaml"
cc -O2 -o "$dir/gen5d" "$(dirname "$0")/gen5d.c"
for n in 100 316 1000 5d; do
    f="$dir/table$n.csv"
    pol=
    if [ "$n" = 5d ]; then
        [ -s "$f" ] || "$dir/gen5d" > "$f"
        pol="-p $dir/policy-5d.yaml"
    fi
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
    timeout 600 /usr/bin/time -f '%e %M' -o "$dir/t" "$bin" $pol -q --fix "$dir/out" "$f" > /dev/null 2> "$dir/err"
    rc=$?
    set -e
    name="--fix ${n}x$n"
    [ "$n" = 5d ] && name="--fix 5-D hierarchical"
    if [ "$rc" = 124 ]; then
        printf '%-22s %10s %10s %28s\n' "$name" ">600" - "(did not finish)"
        continue
    fi
    # The written copy's own line in the report: pass, review or fail.
    recheck=$("$bin" $pol -q "$dir/out/$(basename "$f")" 2>/dev/null | sed -n 's/.*1 file: \([0-9]\) pass, \([0-9]\) review.*/\1 \2/p')
    case "$recheck" in "1 0") recheck=pass ;; "0 1") recheck=review ;; *) recheck=fail ;; esac
    set -- $(tail -n 1 "$dir/t")
    sup=$(sed -n 's/.*: \([0-9]*\) primary and \([0-9]*\) complementary.*/\1 + \2/p' "$dir/err")
    printf '%-22s %10s %10s %28s %8s\n' "$name" "$1" \
        "$(awk -v kb="$2" 'BEGIN { printf "%.1f", kb / 1024 }')" "$sup" "$recheck"
done
echo "(re-check: the written copy checked again on its own; --fix's time already includes one)"
