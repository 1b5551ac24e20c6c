#!/bin/sh
# bench/cube.sh - `check --fix` on tables of three dimensions or more of
# ten to twenty thousand cells (counts with every margin, 18% of the inner
# cells 1 to 9: `gen cube SIZES SEED`), the default mode against
# `--suppress optimal` (which declines them for their size and falls back
# to the heuristic with a first round of cubes of any width on every
# grid). Each written copy is checked again.
#
#   sh bench/cube.sh                 12x10x8x8 (11,583 cells) and
#                                    8x8x6x6x4 (19,845 cells), seed 1
#   SIZES="6x6x6x6" SEED=2 sh bench/cube.sh
#
# Prints per table and mode: primary and complementary suppressions (as
# check --fix counts them), complements per primary, seconds and peak RSS
# of `check --fix` (the check of the table as given, the protection and
# the check of the copy), its exit status, and the verdict of the copy
# checked again on its own.
#
#   BENCH_DIR  inputs and outputs (default /tmp/sdccheck-bench)
#   SDCCHECK   the binary to measure (default build/sdccheck)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
SDCCHECK=${SDCCHECK:-$ROOT/build/sdccheck}
SIZES=${SIZES:-12x10x8x8 8x8x6x6x4}
SEED=${SEED:-1}
CC=${CC:-cc}
cd "$ROOT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
[ -x "$SDCCHECK" ] || die "build $SDCCHECK first (make)"
build gen bench/gen.c -lm
S=$BENCH_DIR/cube
mkdir -p "$S"

# gen_to FILE ARGS...: gen ARGS > FILE.tmp (run by lib.sh's generate).
# shellcheck disable=SC2317
gen_to() {
    g_file=$1
    shift
    "$BENCH_DIR/bin/gen" "$@" > "$g_file.tmp"
}

printf '%-12s %-8s %6s %8s %9s %6s %8s %8s %3s %s\n' table mode cells primary secondary "c/p" \
    seconds "RSS MiB" rc check
for sizes in $SIZES; do
    name=cube-$sizes-$SEED
    file=$S/$name.csv
    generate "$file" gen_to "$file" cube "$sizes" "$SEED"
    cells=$(($(wc -l < "$file") - 1))
    for mode in modular optimal; do
        out=$S/fix-$mode
        rm -rf "$out"
        mkdir -p "$out"
        measure "cube-$name-$mode" "$SDCCHECK" check -q --suppress "$mode" --fix "$out" "$file"
        err=$BENCH_DIR/log/cube-$name-$mode.err
        counts=$(sed -n 's/.*: \([0-9]*\) primary and \([0-9]*\) complementary.*/\1 \2/p' "$err")
        if [ -e "$out/$name.csv" ] && "$SDCCHECK" -q "$out/$name.csv" > /dev/null 2>&1; then
            verdict=pass
        elif [ -e "$out/$name.csv" ]; then
            verdict="exit $?"
        else
            verdict="no copy"
        fi
        # shellcheck disable=SC2086 # counts is two numbers
        set -- ${counts:-0 0}
        ratio=$(awk -v p="$1" -v s="$2" 'BEGIN { printf "%.2f", (p > 0 ? s / p : 0) }')
        printf '%-12s %-8s %6s %8s %9s %6s %8s %8s %3s %s\n' "$sizes" "$mode" "$cells" "$1" "$2" \
            "$ratio" "$SEC" "$((${RSS_KB:-0} / 1024))" "$RC" "$verdict"
    done
done
