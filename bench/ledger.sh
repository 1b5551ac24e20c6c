#!/bin/sh
# ledger.sh - what `check --ledger` costs (issue 15: with a ledger of
# 10,000 released tables, a check of a 20-table submission under 1 s
# slower than the same check without the ledger).
#
#   make bench                    (or: sh bench/ledger.sh, from anywhere)
#
# Environment: BENCH_DIR (default /tmp/sdccheck-bench), SDCCHECK (default
# build/sdccheck), LEDGER_RELEASES (default 10), LEDGER_TABLES (tables per
# release, default 1,000), LEDGER_RUNS (default 5).
#
# The ledger is built once, through the real path: LEDGER_RELEASES
# folders of LEDGER_TABLES tables each are checked (`sdccheck -f json`)
# and released (`sdccheck release`, which reads every table again and
# records it cell by cell), so it holds exactly what release writes. Each
# table (bench/ledger-tables.awk) crosses two dimensions drawn from a
# vocabulary of 40 names (region, sex, age_group, ... dim31), 2 to 5
# categories each, with the total of each row and about a third with one
# row's two cells hidden: every table passes. The submission is 20 more
# such tables (other random values: they count other people), whose
# dimension names nine in ten released tables share: every one of those
# is fetched through the index, rebuilt from its cells and compared with
# the new tables (none shares a total with them, so none joins). It is
# checked LEDGER_RUNS times without and with --ledger, alternately; the
# medians and their difference are printed.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
SDCCHECK=${SDCCHECK:-$ROOT/build/sdccheck}
CC=${CC:-cc}
RELEASES=${LEDGER_RELEASES:-10}
TABLES=${LEDGER_TABLES:-1000}
RUNS=${LEDGER_RUNS:-5}

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

[ -x "$SDCCHECK" ] || die "$SDCCHECK not found: run make first"
command -v sqlite3 > /dev/null || die "sqlite3 is missing (tools/setup.sh installs it)"

WORK=$BENCH_DIR/ledger-${RELEASES}x$TABLES
# make_ledger DIR: the releases' folders, their reports and the ledger.
make_ledger() {
    mkdir -p "$1.tmp" || return 1
    r=1
    while [ "$r" -le "$RELEASES" ]; do
        mkdir "$1.tmp/r$r"
        awk -v seed="$r" -v n="$TABLES" -v dir="$1.tmp/r$r" -f "$ROOT/bench/ledger-tables.awk" ||
            return 1
        # Paths are the report's: check and release from the same folder.
        (cd "$1.tmp" && "$SDCCHECK" -q -j 2 -f json -o "r$r.json" "r$r" > /dev/null &&
            "$SDCCHECK" release --ledger ledger.db --reviewer bench "r$r.json" > /dev/null) ||
            { echo "bench: release $r failed" >&2; return 1; }
        r=$((r + 1))
    done
    mkdir "$1.tmp/new"
    awk -v seed=999 -v n=20 -v dir="$1.tmp/new" -f "$ROOT/bench/ledger-tables.awk"
}
t0=$(now_ns)
generate "$WORK" make_ledger "$WORK"
cd "$WORK"
tables=$(sqlite3 -readonly ledger.db "SELECT count(*) FROM released_table")
cells=$(sqlite3 -readonly ledger.db "SELECT count(*) FROM table_cell")
releases=$(sqlite3 -readonly ledger.db "SELECT count(*) FROM release")
echo "ledger: $releases releases, $tables tables, $cells cells," \
    "$(du -k ledger.db | cut -f1) KiB (built in this run: $(awk -v a="$t0" -v b="$(now_ns)" \
    'BEGIN { printf "%.1f s", (b - a) / 1e9 }'), or earlier)"
candidates=$(sqlite3 -readonly ledger.db "SELECT count(DISTINCT table_id) FROM table_dimension
    WHERE name IN ($(head -qn 1 new/*.csv | tr ',' '\n' | grep -v '^n$' | sort -u |
        sed "s/.*/'&'/" | paste -sd,))")
echo "submission: 20 tables whose dimension names $candidates released tables share"

# One check; sets SEC and RC (1 would be a fail: none is expected).
with=""
without=""
i=1
while [ "$i" -le "$RUNS" ]; do
    measure "ledger-without-$i" "$SDCCHECK" -q -j 2 new
    [ "$RC" = 0 ] || die "the submission does not pass alone (exit $RC)"
    without="$without $SEC"
    measure "ledger-with-$i" "$SDCCHECK" check -q -j 2 --ledger ledger.db new
    [ "$RC" = 0 ] || die "the submission with --ledger: exit $RC (log/ledger-with-$i.err)"
    with="$with $SEC"
    rss=$RSS_KB
    i=$((i + 1))
done
median() { echo "$@" | tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
m0=$(median $without)
m1=$(median $with)
printf '%-28s %s\n' "without --ledger (s):" "$without"
printf '%-28s %s\n' "with --ledger (s):" "$with"
printf '%-28s %s s\n' "median without" "$m0"
printf '%-28s %s s (peak RSS %s MiB)\n' "median with" "$m1" \
    "$(awk -v kb="$rss" 'BEGIN { printf "%.1f", kb / 1024 }')"
awk -v a="$m0" -v b="$m1" 'BEGIN { d = b - a; printf "%-28s %.3f s (target: under 1 s): %s\n",
    "difference", d, d < 1 ? "met" : "NOT met" }'
