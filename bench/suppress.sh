#!/bin/sh
# bench/suppress.sh - `sdccheck protect` (a table with every margin, then
# primary and complementary suppression) against DuckDB building the same
# table of margins from the same record files, in the same run (issue 13:
# protect within 5 times DuckDB's time, peak RSS under 1 GiB).
#
#   sh bench/suppress.sh           (from anywhere; make bench runs it too)
#   INPUTS="areas-1m grid" REPEAT=1 sh bench/suppress.sh
#
# Environment:
#   BENCH_DIR  inputs, tools and outputs (default /tmp/sdccheck-bench); the
#              record files are made once, in BENCH_DIR/suppress, by
#              bench/gen.c (about 1.8 GB; delete a file's .ok stamp to make
#              it again)
#   SDCCHECK   the binary to measure (default build/sdccheck)
#   REPEAT     runs of each program, interleaved; the fastest counts
#              (default 3: other work on the machine only slows a run)
#   INPUTS     which inputs (default all four, in this order):
#     areas-1m   1M records (id,area,sex,income), 8,000 small areas of
#                Zipf-like size, Pareto income (gen areas): area by sex
#     areas-10m  10M records over 40,000 areas, the same way
#     grid       20M records (id,x,y,income) over a 1000 x 1000 grid, 5% of
#                cells holding 1 to 9 records (gen grid): x by y
#     nested     10M records (id,country,region,sex,age,ethnicity,year,
#                income) for bench/gen5d.c's 5-D table, country 5 > region
#                8 nested, sex 2, age 20, ethnicity 17, year 18, about 10% of
#                cells small (gen nested); protect is told the hierarchy by
#                a sidecar nested.sdc.yaml (hierarchies: {region: country})
#   LIMIT      seconds before a protect or check run is stopped (default 1800)
#
# Each input is measured with:
#   DuckDB   bench/duckdb-cube.mjs through @duckdb/node-api, 2 threads:
#            count(*), sum(income) and the two largest incomes per cell,
#            GROUP BY CUBE(dims) (2-D inputs) or, for nested,
#            GROUP BY ROLLUP(country, region), CUBE(sex, age, ethnicity,
#            year): the 48 grouping sets of the table protect builds (it
#            leaves out region without its country), written with COPY TO.
#            The package is installed into BENCH_DIR/node with npm (not a
#            build dependency); without node and npm the script installs
#            them with apt-get when run as root, else leaves DuckDB out and
#            says so. Its time includes starting node (about 0.1 s).
#   protect  sdccheck protect -p BENCH_DIR/suppress/policy.yaml --by DIMS
#            --value income -o OUT (the policy is ons-srs allowing tables of
#            millions of rows, so that the written table can be checked)
# both timed the same way: wall clock, fastest of REPEAT, peak RSS from GNU
# time %M. Then the written table is checked once (sdccheck -p the same
# policy, with the hierarchy's sidecar beside it for nested).
#
# Prints per input: records, cells (protect's "cells with margins"; a
# DuckDB row count that differs is noted below the table), DuckDB seconds,
# protect seconds, their ratio (protect / DuckDB; the target is 5x at
# most), protect's peak RSS (target under 1024 MiB) and DuckDB's, primary
# and complementary suppressions and complements per primary (from
# protect's summary line), the total value of the suppressed cells when
# protect prints it ("-" when it does not), whether protect said the table
# is fully protected (exit 0: yes; exit 3: no, review) and the check of the
# written table (pass, review or fail) with its seconds. Exits 1 when
# protect or the check ended other than with a verdict (an error, a signal,
# LIMIT), 2 when DuckDB failed.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
SDCCHECK=${SDCCHECK:-$ROOT/build/sdccheck}
REPEAT=${REPEAT:-3}
INPUTS=${INPUTS:-areas-1m areas-10m grid nested}
LIMIT=${LIMIT:-1800}
CC=${CC:-cc}
S=$BENCH_DIR/suppress

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

[ -x "$SDCCHECK" ] || die "$SDCCHECK not found: run make first"
command -v timeout > /dev/null || die "timeout (coreutils) not found"
mkdir -p "$S"

# An older gen (another checkout's, in a shared BENCH_DIR) lacks the modes.
if [ -x "$BENCH_DIR/bin/gen" ] && ! "$BENCH_DIR/bin/gen" 2>&1 | grep -q 'gen nested'; then
    rm -f "$BENCH_DIR/bin/gen"
fi
build gen bench/gen.c -lm

# ---- DuckDB ----------------------------------------------------------------

# duckdb_ready: node and @duckdb/node-api in BENCH_DIR/node, installed when
# missing; returns 1 (having said why) when DuckDB cannot be run.
duckdb_ready() {
    if ! command -v node > /dev/null 2>&1 || ! command -v npm > /dev/null 2>&1; then
        if [ "$(id -u)" != 0 ]; then
            echo "bench/suppress.sh: node or npm is missing, so DuckDB is left out" \
                "(sudo apt-get install nodejs npm, then run again)" >&2
            return 1
        fi
        echo "bench/suppress.sh: installing node and npm (apt-get install nodejs npm)" >&2
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm > /dev/null 2>&1; then
            apt-get update -qq > /dev/null 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm > /dev/null 2>&1 || {
                echo "bench/suppress.sh: could not install nodejs and npm: DuckDB is left out" >&2
                return 1
            }
        fi
    fi
    if [ ! -e "$BENCH_DIR/node/node_modules/@duckdb/node-api/package.json" ]; then
        echo "bench/suppress.sh: installing @duckdb/node-api into $BENCH_DIR/node (npm)" >&2
        mkdir -p "$BENCH_DIR/node"
        npm install --prefix "$BENCH_DIR/node" --no-audit --no-fund @duckdb/node-api \
            > "$BENCH_DIR/log/suppress-npm.log" 2>&1 || {
            echo "bench/suppress.sh: npm install @duckdb/node-api failed" \
                "(see $BENCH_DIR/log/suppress-npm.log): DuckDB is left out" >&2
            return 1
        }
    fi
}
DUCKDB=0
DUCKDB_VERSION=-
if duckdb_ready; then
    DUCKDB=1
    DUCKDB_VERSION=$(sed -n 's/^ *"version": *"\(.*\)".*/\1/p' \
        "$BENCH_DIR/node/node_modules/@duckdb/node-api/package.json" | head -n 1)
fi

# ---- inputs ----------------------------------------------------------------

# gen_to FILE ARGS...: gen ARGS > FILE.tmp (run by lib.sh's generate).
# shellcheck disable=SC2317
gen_to() {
    g_file=$1
    shift
    "$BENCH_DIR/bin/gen" "$@" > "$g_file.tmp"
}

# The policy: ons-srs, but tables of millions of rows are tables, not
# record-level data, so that the written table can be checked.
cat > "$S/policy.yaml" << 'EOF'
extends: ons-srs
name: bench-suppress
description: bench/suppress.sh, tables of up to millions of cells
max_table_rows: 4000000
EOF
HIERARCHY='hierarchies:
  region: country'

# input NAME: sets RECORDS, DIMS (protect's --by), GROUPING (DuckDB's GROUP
# BY) and FILE, generating FILE once.
input() {
    FILE=$S/$1.csv
    case "$1" in
        areas-1m)
            RECORDS=1000000 DIMS=area,sex GROUPING='CUBE(area, sex)'
            generate "$FILE" gen_to "$FILE" areas "$RECORDS" 8000
            ;;
        areas-10m)
            RECORDS=10000000 DIMS=area,sex GROUPING='CUBE(area, sex)'
            generate "$FILE" gen_to "$FILE" areas "$RECORDS" 40000
            ;;
        grid)
            RECORDS=20000000 DIMS=x,y GROUPING='CUBE(x, y)'
            generate "$FILE" gen_to "$FILE" grid "$RECORDS" 1000
            ;;
        nested)
            RECORDS=10000000 DIMS=country,region,sex,age,ethnicity,year
            GROUPING='ROLLUP(country, region), CUBE(sex, age, ethnicity, year)'
            generate "$FILE" gen_to "$FILE" nested "$RECORDS"
            echo "$HIERARCHY" > "$S/$1.sdc.yaml"
            ;;
        *) die "unknown input '$1' (INPUTS: areas-1m areas-10m grid nested)" ;;
    esac
}

# ---- runs ------------------------------------------------------------------

# run LABEL CMD...: one measured run; appends "seconds rss_kb rc" to
# log/LABEL.runs. Exit 0 and 3 are protect's verdicts; anything else
# (2, or 124 from timeout) is kept as it is and shown.
run() {
    r_label=$1
    shift
    measure "$r_label" "$@"
    echo "$SEC ${RSS_KB:-0} $RC" >> "$BENCH_DIR/log/$r_label.runs"
}

# best LABEL: "seconds rss_kb rc" of the fastest run.
best() { sort -n "$BENCH_DIR/log/$1.runs" | head -n 1; }

# Figures per input, one line each: name records cells duck_s duck_kb
# duck_rows protect_s protect_kb protect_rc primary complementary value
# check_verdict check_s.
RESULTS=$S/results.txt
: > "$RESULTS"
FAILED=0
for name in $INPUTS; do
    input "$name"
    out=$S/out-$name.csv
    duck=$S/duckdb-$name.csv
    cat "$FILE" > /dev/null # a warm page cache: this measures CPU, not the disk
    rm -f "$BENCH_DIR/log/suppress-$name-duckdb.runs" "$BENCH_DIR/log/suppress-$name-protect.runs"
    i=0
    while [ "$i" -lt "$REPEAT" ]; do
        if [ "$DUCKDB" = 1 ]; then
            rm -rf "$duck" "$duck.tmp"
            run "suppress-$name-duckdb" env DUCKDB_NODE_DIR="$BENCH_DIR/node" \
                node "$ROOT/bench/duckdb-cube.mjs" "$FILE" "$duck" "$DIMS" "$GROUPING" income
            [ "$RC" = 0 ] || die "DuckDB failed on $name (exit $RC): see $BENCH_DIR/log/suppress-$name-duckdb.err"
        fi
        run "suppress-$name-protect" timeout "$LIMIT" "$SDCCHECK" protect -p "$S/policy.yaml" \
            --by "$DIMS" --value income -o "$out" "$FILE"
        case "$RC" in 0 | 3) ;; *) break ;; esac
        i=$((i + 1))
    done
    err=$BENCH_DIR/log/suppress-$name-protect.err
    summary=$(grep 'cells with margins' "$err" | tail -n 1 || true)
    cells=$(echo "$summary" | sed -n 's/.* \([0-9][0-9]*\) cells with margins.*/\1/p')
    primary=$(echo "$summary" | sed -n 's/.* \([0-9][0-9]*\) primary and.*/\1/p')
    secondary=$(echo "$summary" | sed -n 's/.* \([0-9][0-9]*\) complementary.*/\1/p')
    # The total value of the suppressed cells, in whatever words protect
    # puts it ("suppressed value 123", "123 of value suppressed", ...).
    value=$(grep -i 'value' "$err" | grep -i 'suppress' | tail -n 1 |
        sed -n -e 's/.*suppressed[^0-9;]*value[^0-9;]*\([0-9][0-9.e+]*\).*/\1/p' \
            -e 's/.*[^0-9.]\([0-9][0-9.e+]*\)[^0-9;]*value[^0-9;]*suppressed.*/\1/p' | head -n 1)
    duck_s=- duck_kb=- duck_rows=-
    if [ "$DUCKDB" = 1 ]; then
        duck_rows=$(sed -n 's/^rows \([0-9]*\)$/\1/p' "$BENCH_DIR/log/suppress-$name-duckdb.out")
        read -r duck_s duck_kb _ << EOF
$(best "suppress-$name-duckdb")
EOF
    fi
    prot=$(best "suppress-$name-protect")

    # The written table checked again, with the hierarchy beside it.
    verdict=- check_s=-
    case "$prot" in
        *" 0" | *" 3")
            rm -f "$S/out-$name.sdc.yaml"
            [ -e "$S/$name.sdc.yaml" ] && cp "$S/$name.sdc.yaml" "$S/out-$name.sdc.yaml"
            measure "suppress-$name-check" timeout "$LIMIT" "$SDCCHECK" -p "$S/policy.yaml" -q "$out"
            check_s=$SEC
            case "$RC" in
                0) verdict=pass ;; 1) verdict=fail ;; 3) verdict=review ;;
                124) verdict=timeout ;; *) verdict="error-$RC" ;;
            esac
            ;;
    esac
    case "$prot:$verdict" in *" 0:"* | *" 3:"*) ;; *) FAILED=1 ;; esac
    case "$verdict" in timeout | error-*) FAILED=1 ;; esac
    echo "$name $RECORDS ${cells:--} $duck_s $duck_kb ${duck_rows:--} $prot" \
        "${primary:--} ${secondary:--} ${value:--} $verdict $check_s" >> "$RESULTS"
done

# ---- the table -------------------------------------------------------------

echo "protect against DuckDB (@duckdb/node-api $DUCKDB_VERSION, 2 threads), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs, load average $(cut -d ' ' -f 1-3 /proc/loadavg) at the end;" \
    "fastest of $REPEAT runs; sdccheck $("$SDCCHECK" --version 2>/dev/null | head -n 1)"
awk -v duck="$DUCKDB" '
    function fmt(x, f) { return (x == "-" || x == "") ? "-" : sprintf(f, x) }
    BEGIN {
        printf "%-10s %9s %9s %8s %9s %7s %8s %8s %8s %8s %6s %13s %10s %13s\n",
            "input", "records", "cells", "DuckDB s", "protect s", "ratio", "RSS MiB",
            "DuckDB", "primary", "compl.", "c/p", "suppr. value", "protected", "re-check"
    }
    {
        name = $1; records = $2; cells = $3; ds = $4; dkb = $5; drows = $6
        ps = $7; pkb = $8; prc = $9; pri = $10; sec = $11; val = $12; ver = $13; cs = $14
        ratio = (duck == 1 && ds > 0 && (prc == 0 || prc == 3)) ? sprintf("%.1fx", ps / ds) : "-"
        c_p = (pri != "-" && pri > 0 && sec != "-") ? sprintf("%.2f", sec / pri) : "-"
        prot = prc == 0 ? "yes (0)" : prc == 3 ? "no (3)" : prc == 124 ? "timeout" : "error " prc
        checked = ver == "-" ? "-" : sprintf("%s %.1fs", ver, cs)
        printf "%-10s %9d %9s %8s %9.2f %7s %8.1f %8s %8s %8s %6s %13s %10s %13s\n",
            name, records, cells, fmt(ds, "%.2f"), ps, ratio, pkb / 1024,
            duck == 1 ? sprintf("%.1f", dkb / 1024) : "-", pri, sec, c_p, val, prot, checked
        if (duck == 1 && drows != "-" && cells != "-" && drows != cells)
            notes = notes sprintf("  %s: DuckDB wrote %s cells, protect %s\n", name, drows, cells)
    }
    END { if (notes != "") printf "cell counts that differ:\n%s", notes }' "$RESULTS"
echo "ratio: protect s / DuckDB s (target 5x at most); RSS MiB: protect's peak (target under 1024);"
echo "DuckDB: its peak RSS MiB; c/p: complements per primary; protected: protect's exit status;"
echo "re-check: the written table checked again (with the policy, and the hierarchy for nested)"
[ "$DUCKDB" = 1 ] || echo "DuckDB left out (see the message above): no DuckDB seconds or ratios"
echo "tables: $S/out-*.csv (DuckDB's: $S/duckdb-*.csv); logs: $BENCH_DIR/log/suppress-*"
# protect or the check failed to run (not a verdict): make bench says so.
exit "$FAILED"
