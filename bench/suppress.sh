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
#   SUPPRESS   protect's --suppress mode (default: none given, so modular;
#              SUPPRESS=quick INPUTS=nested REPEAT=1 times the quick mode
#              on the 5-D table)
#   LIMIT      seconds before a protect or check run is stopped (default 1800)
#   DUCKDB_QUERIES  which of bench/duckdb-cube.mjs's queries to time
#              (default "cube staged"; "" leaves DuckDB out)
#
# Each input is measured with:
#   DuckDB   bench/duckdb-cube.mjs through @duckdb/node-api, SET threads=2,
#            read_csv of the same file: count(*), sum(income) and the two
#            largest incomes (max(income, 2)) per cell, the columns protect
#            writes, written with COPY TO. The grouping is CUBE(dims) for
#            the 2-D inputs and, for nested,
#            ROLLUP(country, region), CUBE(sex, age, ethnicity, year): the
#            48 grouping sets of the table protect builds (it leaves out
#            region without its country, which would repeat cells). Two
#            queries: cube groups the records straight into every grouping
#            set; staged groups them into the full cells first and the
#            margins from those, as protect does (the same rows out; much
#            faster when the grouping sets are many). The package is
#            installed into BENCH_DIR/node with npm (not a build dependency);
#            without node and npm the script installs them with apt-get when
#            run as root, else leaves DuckDB out and says so. Its time
#            includes starting node (about 0.1 s).
#   protect  sdccheck protect -p BENCH_DIR/suppress/policy.yaml --by DIMS
#            --value income -o OUT (the policy is ons-srs allowing tables of
#            millions of rows, so that the written table can be checked)
# all timed the same way, interleaved: wall clock, fastest of REPEAT, peak
# RSS from GNU time %M. Then the written table is checked once (sdccheck -p
# the same policy, with the hierarchy's sidecar beside it for nested).
#
# Prints per input: records, cells (protect's "cells with margins"; a
# DuckDB row count that differs is noted below the table), each DuckDB
# query's seconds, protect's seconds, the ratio to the fastest DuckDB query
# (protect / DuckDB; the target is 5x at most), protect's peak RSS (target
# under 1024 MiB) and that query's, primary and complementary suppressions
# and complements per primary (from protect's summary line), what the
# complementary cells hold in all as protect says it (0 when it hides
# none, "-" when it does not say), whether protect said the table is fully
# protected (exit 0: yes; exit 3: no, review) and the check of the written table (pass, review or
# fail) with its seconds, and below the table the rules the check found
# when it did not pass. Exits 1 when protect or the check ended other than
# with a verdict (an error, a signal, LIMIT), 2 when DuckDB failed.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
SDCCHECK=${SDCCHECK:-$ROOT/build/sdccheck}
REPEAT=${REPEAT:-3}
INPUTS=${INPUTS:-areas-1m areas-10m grid nested}
LIMIT=${LIMIT:-1800}
DUCKDB_QUERIES=${DUCKDB_QUERIES-cube staged}
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
for q in $DUCKDB_QUERIES; do
    case "$q" in cube | staged | sum) ;; *) die "DUCKDB_QUERIES: '$q' is not cube, staged or sum" ;; esac
done
QUERIES=
DUCKDB_VERSION=-
if [ -n "$DUCKDB_QUERIES" ] && duckdb_ready; then
    QUERIES=$DUCKDB_QUERIES
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

# Figures per input, one line each: name records cells duck_rows
# protect_s protect_kb protect_rc primary complementary value verdict
# check_s rules, then QUERY:seconds:rss_kb for each DuckDB query.
RESULTS=$S/results.txt
: > "$RESULTS"
FAILED=0
for name in $INPUTS; do
    input "$name"
    out=$S/out-$name.csv
    cat "$FILE" > /dev/null # a warm page cache: this measures CPU, not the disk
    rm -f "$BENCH_DIR/log/suppress-$name-"*.runs
    i=0
    while [ "$i" -lt "$REPEAT" ]; do
        for q in $QUERIES; do
            duck=$S/duckdb-$name-$q.csv
            rm -rf "$duck" "$duck.tmp"
            run "suppress-$name-duckdb-$q" env DUCKDB_NODE_DIR="$BENCH_DIR/node" \
                node "$ROOT/bench/duckdb-cube.mjs" "$FILE" "$duck" "$DIMS" "$GROUPING" income "$q"
            [ "$RC" = 0 ] ||
                die "DuckDB ($q) failed on $name (exit $RC): see $BENCH_DIR/log/suppress-$name-duckdb-$q.err"
        done
        run "suppress-$name-protect" timeout "$LIMIT" "$SDCCHECK" protect -p "$S/policy.yaml" \
            ${SUPPRESS:+--suppress "$SUPPRESS"} --by "$DIMS" --value income -o "$out" "$FILE"
        case "$RC" in 0 | 3) ;; *) break ;; esac
        i=$((i + 1))
    done
    err=$BENCH_DIR/log/suppress-$name-protect.err
    summary=$(grep 'cells with margins' "$err" | tail -n 1 || true)
    cells=$(echo "$summary" | sed -n 's/.* \([0-9][0-9]*\) cells with margins.*/\1/p')
    primary=$(echo "$summary" | sed -n 's/.* \([0-9][0-9]*\) primary and.*/\1/p')
    secondary=$(echo "$summary" | sed -n 's/.* \([0-9][0-9]*\) complementary.*/\1/p')
    # What the complementary cells hold in all, as protect says it ("the
    # complementary cells hold N in all"; no line when there are none).
    value=$(sed -n 's/.*complementary cells hold \([0-9][0-9.e+]*\) in all.*/\1/p' "$err" | tail -n 1)
    [ -z "$value" ] && [ "${secondary:-}" = 0 ] && value=0
    duck_rows=- duck=
    for q in $QUERIES; do
        rows=$(sed -n 's/^rows \([0-9]*\)$/\1/p' "$BENCH_DIR/log/suppress-$name-duckdb-$q.out")
        [ "$duck_rows" = - ] && duck_rows=${rows:--}
        [ "${rows:--}" = "$duck_rows" ] || duck_rows="$duck_rows/$rows"
        read -r q_s q_kb _ << EOF
$(best "suppress-$name-duckdb-$q")
EOF
        duck="$duck $q:$q_s:$q_kb"
    done
    prot=$(best "suppress-$name-protect")

    # The written table checked again, with the hierarchy beside it; the
    # rules of its findings, when it does not pass.
    verdict=- check_s=- rules=-
    case "$prot" in
        *" 0" | *" 3")
            rm -f "$S/out-$name.sdc.yaml"
            [ -e "$S/$name.sdc.yaml" ] && cp "$S/$name.sdc.yaml" "$S/out-$name.sdc.yaml"
            measure "suppress-$name-check" timeout "$LIMIT" "$SDCCHECK" -p "$S/policy.yaml" "$out"
            check_s=$SEC
            case "$RC" in
                0) verdict=pass ;; 1) verdict=fail ;; 3) verdict=review ;;
                124) verdict=timeout ;; *) verdict="error-$RC" ;;
            esac
            rules=$(grep -o '\[[a-z0-9-]*\]$' "$BENCH_DIR/log/suppress-$name-check.out" |
                tr -d '[]' | sort | uniq -c | awk '{ printf "%s%s(%d)", (NR > 1 ? "," : ""), $2, $1 }')
            ;;
    esac
    case "$prot:$verdict" in *" 0:"* | *" 3:"*) ;; *) FAILED=1 ;; esac
    case "$verdict" in timeout | error-*) FAILED=1 ;; esac
    echo "$name $RECORDS ${cells:--} $duck_rows $prot ${primary:--} ${secondary:--} ${value:--}" \
        "$verdict $check_s ${rules:--}$duck" >> "$RESULTS"
done

# ---- the table -------------------------------------------------------------

if [ -n "$QUERIES" ]; then
    echo "protect against DuckDB (@duckdb/node-api $DUCKDB_VERSION, 2 threads), $(date -u '+%Y-%m-%d %H:%M UTC')"
else
    echo "protect (DuckDB left out), $(date -u '+%Y-%m-%d %H:%M UTC')"
fi
echo "machine: $(nproc) CPUs, load average $(cut -d ' ' -f 1-3 /proc/loadavg) at the end;" \
    "fastest of $REPEAT runs; sdccheck $("$SDCCHECK" --version 2>/dev/null | head -n 1)"
awk -v queries="$QUERIES" '
    BEGIN {
        nq = split(queries, q, " ")
        printf "%-10s %9s %8s", "input", "records", "cells"
        for (i = 1; i <= nq; i++)
            printf " %9s", q[i] " s"
        printf " %9s %6s %7s %7s %7s %7s %5s %12s %9s %13s\n", "protect s", "ratio", "RSS MiB",
            "DuckDB", "primary", "compl.", "c/p", "compl. value", "protected", "re-check"
    }
    {
        name = $1; records = $2; cells = $3; drows = $4; ps = $5; pkb = $6; prc = $7
        pri = $8; sec = $9; val = $10; ver = $11; cs = $12; rules = $13
        printf "%-10s %9d %8s", name, records, cells
        best = ""; bkb = ""
        for (i = 14; i <= NF; i++) {
            split($i, f, ":")
            printf " %9.2f", f[2]
            if (best == "" || f[2] < best) { best = f[2]; bkb = f[3] }
        }
        ok = prc == 0 || prc == 3
        ratio = (best != "" && best > 0 && ok) ? sprintf("%.1fx", ps / best) : "-"
        c_p = (pri != "-" && pri > 0 && sec != "-") ? sprintf("%.2f", sec / pri) : "-"
        prot = prc == 0 ? "yes (0)" : prc == 3 ? "no (3)" : prc == 124 ? "timeout" : "error " prc
        checked = ver == "-" ? "-" : sprintf("%s %.1fs", ver, cs)
        printf " %9.2f %6s %7.1f %7s %7s %7s %5s %12s %9s %13s\n", ps, ratio, pkb / 1024,
            bkb == "" ? "-" : sprintf("%.1f", bkb / 1024), pri, sec, c_p, val, prot, checked
        if (nq > 0 && drows != cells)
            notes = notes sprintf("  %s: DuckDB wrote %s cells, protect %s\n", name, drows, cells)
        if (ver != "pass" && rules != "-")
            found = found sprintf("  %s: %s\n", name, rules)
    }
    END {
        if (notes != "") printf "cell counts that differ:\n%s", notes
        if (found != "") printf "findings of the re-check (rule and count):\n%s", found
    }' "$RESULTS"
echo "ratio: protect s / the fastest DuckDB query's s (target 5x at most); RSS MiB: protect's peak"
echo "(target under 1024); DuckDB: that query's peak RSS MiB; c/p: complements per primary;"
echo "compl. value: what the complementary cells hold in all (protect's message);"
echo "protected: protect's exit status; re-check: the written table checked again (the same"
echo "policy, and the hierarchy for nested). DuckDB queries: cube straight over the records,"
echo "staged over the full cells (bench/duckdb-cube.mjs)"
if [ -z "$DUCKDB_QUERIES" ]; then
    echo "DuckDB left out (DUCKDB_QUERIES is empty): no DuckDB seconds or ratios"
elif [ -z "$QUERIES" ]; then
    echo "DuckDB left out (see the message above): no DuckDB seconds or ratios"
fi
echo "tables: $S/out-*.csv (DuckDB's: $S/duckdb-*.csv); logs: $BENCH_DIR/log/suppress-*"
# protect or the check failed to run (not a verdict): make bench says so.
exit "$FAILED"
