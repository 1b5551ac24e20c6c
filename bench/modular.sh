#!/bin/sh
# bench/modular.sh - the modular mode's decomposition of hierarchical
# tables against the heuristic on the whole table: `sdccheck protect --by
# region,la,area,sex --value income` with `--suppress heuristic` and with
# `--suppress modular` (the default), on records made by `gen areas
# RECORDS AREAS nested` (areas of Zipf-like size in local authorities of
# 30, those in regions of 10; a Pareto income) with the sidecar declaring
# `la: region` and `area: la`. Each written table is checked again.
#
#   sh bench/modular.sh                  1M records / 8,000 areas and
#                                        10M / 40,000
#   INPUTS="1000000:8000" sh bench/modular.sh
#
# Prints per input and mode: primary and complementary suppressions (as
# protect counts them: cells of the measures), complements per primary,
# their value, the subtables (modular), seconds and peak RSS of protect,
# its exit status, and check's verdict on the written table.
#
#   BENCH_DIR  inputs and outputs (default /tmp/sdccheck-bench)
#   SDCCHECK   the binary to measure (default build/sdccheck)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
SDCCHECK=${SDCCHECK:-$ROOT/build/sdccheck}
INPUTS=${INPUTS:-1000000:8000 10000000:40000}
CC=${CC:-cc}
cd "$ROOT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
[ -x "$SDCCHECK" ] || die "build $SDCCHECK first (make)"
build gen bench/gen.c -lm
S=$BENCH_DIR/modular
mkdir -p "$S"
cat > "$S/policy.yaml" << 'EOF'
extends: ons-srs
name: bench-modular
description: bench/modular.sh, tables of up to millions of cells
max_table_rows: 4000000
EOF
SIDECAR='hierarchies:
  la: region
  area: la'

# gen_to FILE ARGS...: gen ARGS > FILE.tmp (run by lib.sh's generate).
# shellcheck disable=SC2317
gen_to() {
    g_file=$1
    shift
    "$BENCH_DIR/bin/gen" "$@" > "$g_file.tmp"
}

printf '%-14s %-9s %8s %9s %6s %14s %18s %8s %9s %3s %s\n' input mode primary secondary "c/p" \
    "value" subtables seconds "RSS MiB" rc check
for in in $INPUTS; do
    records=${in%%:*} areas=${in#*:}
    name=hier-$records-$areas
    file=$S/$name.csv
    generate "$file" gen_to "$file" areas "$records" "$areas" nested
    echo "$SIDECAR" > "$S/$name.sdc.yaml"
    for mode in heuristic modular; do
        out=$S/$name-$mode.csv
        measure "modular-$name-$mode" "$SDCCHECK" protect -p "$S/policy.yaml" --suppress "$mode" \
            --by region,la,area,sex --value income -o "$out" "$file"
        err=$BENCH_DIR/log/modular-$name-$mode.err
        counts=$(sed -n 's/.*; \([0-9]*\) primary and \([0-9]*\) complementary.*/\1 \2/p' "$err")
        value=$(sed -n 's/.*complementary cells hold \([0-9.e+]*\) in all.*/\1/p' "$err")
        subs=$(sed -n 's/.*modular: \([0-9]*\) subtables.*, \([0-9]*\) protected by.*/\1 (\2 optimal)/p' \
            "$err")
        echo "$SIDECAR" > "${out%.csv}.sdc.yaml"
        if "$SDCCHECK" -q -p "$S/policy.yaml" "$out" > /dev/null 2>&1; then
            verdict=pass
        else
            verdict="exit $?"
        fi
        # shellcheck disable=SC2086 # counts is two numbers
        set -- ${counts:-0 0}
        ratio=$(awk -v p="$1" -v s="$2" 'BEGIN { printf "%.2f", (p > 0 ? s / p : 0) }')
        printf '%-14s %-9s %8s %9s %6s %14s %18s %8s %9s %3s %s\n' "$records/$areas" "$mode" "$1" \
            "$2" "$ratio" "${value:--}" "${subs:--}" "$SEC" "$((${RSS_KB:-0} / 1024))" "$RC" \
            "$verdict"
    done
done
