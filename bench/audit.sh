#!/bin/sh
# bench/audit.sh - the audit of suppressed cells on n x n tables with
# totals and about 5% of cells suppressed (issue 5's benchmark): time and
# peak RSS of `sdccheck audit` (every exact interval) and of `sdccheck
# check` (verdicts only, with the seen-values shortcut).
# Targets: under 0.1 s at 100x100 and under 10 s at 500x500.
set -eu
bin=${SDCCHECK:-build/sdccheck}
dir=${BENCH_DIR:-/tmp/sdccheck-bench}/audit
mkdir -p "$dir"
command -v /usr/bin/time >/dev/null || { echo "bench/audit.sh needs GNU time (apt-get install time)"; exit 1; }
printf '%-9s %-28s %10s %10s %12s\n' size run suppressed seconds "RSS MiB"
for n in 100 200 500; do
    f="$dir/table$n.csv"
    [ -s "$f" ] || awk -v n="$n" 'BEGIN {
        srand(7 + n)
        printf "region"; for (j = 0; j < n; j++) printf ",c%d", j; print ",Total"
        for (i = 0; i < n; i++) {
            rs = 0; line = "r" i
            for (j = 0; j < n; j++) {
                v = 20 + int(rand() * 181); rs += v; cs[j] += v
                line = line "," (rand() < 0.05 ? "c" : v)
            }
            print line "," rs; t += rs
        }
        printf "Total"; for (j = 0; j < n; j++) printf ",%d", cs[j]; print "," t
    }' > "$f"
    hidden=$(grep -o ',c,\|,c$' "$f" | wc -l)
    for mode in audit check; do
        if [ "$mode" = audit ] && [ "$n" -gt 200 ]; then continue; fi
        set +e
        /usr/bin/time -f '%e %M' -o "$dir/t" "$bin" $mode $([ $mode = check ] && echo -q) "$f" > /dev/null 2>&1
        set -e
        # GNU time puts "Command exited with non-zero status" first on exit 1.
        set -- $(tail -n 1 "$dir/t")
        printf '%-9s %-28s %10s %10s %12s\n' "${n}x$n" "sdccheck $mode" "$hidden" "$1" \
            "$(awk -v kb="$2" 'BEGIN { printf "%.1f", kb / 1024 }')"
    done
done
echo "(sdccheck audit computes every exact interval; check stops once a cell is shown protected)"
