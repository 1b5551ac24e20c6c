#!/bin/sh
# bench/optimal.sh - complementary suppressions of the heuristic against
# the optimal mode (GLPK branch and cut), on N x N crosstabs of counts with
# both margins, PERCENT % of the inner cells below the threshold, SEEDS
# tables per size. Prints per size: tables, mean primary cells, mean
# complements of each mode, how many more the heuristic hides (% over the
# optimum, on the tables the optimal mode solved), the same for the modular
# default (optimal on tables this small), how much more value the
# heuristic's complements hide, mean and worst seconds of the heuristic
# and of the optimal mode, and how many fell
# back (time limit).
#
# Then the same on CUBE_SIZES with five-dimensional tables, N x N x 2 x
# 2 x 2 with every margin (empty: no such run); opt/prim is the optimum's
# complements per primary cell.
#
# Then the same on LEVEL_SIZES with the policy's protection levels
# LEVELS ("LOWER UPPER", shares of each primary cell's value; empty: no
# such run), which the optimal mode models and the heuristic audits.
#
#   sh bench/optimal.sh            sizes 5 8 12 20, 10 seeds, 10 %, 60 s;
#                                  five dimensions 3 6; levels 1 10 on
#                                  sizes 5 8 (12: minutes)
#   SIZES="5 8" SEEDS=20 PERCENT=5 LIMIT=30 LEVELS= sh bench/optimal.sh
#
# Driven by bench/optimal.c through the library (sdc_table_protect_mode),
# built here against build/libsdccheck.a (`make` first).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/sdccheck-bench}
CC=${CC:-cc}
SIZES=${SIZES:-5 8 12 20}
SEEDS=${SEEDS:-10}
PERCENT=${PERCENT:-10}
LIMIT=${LIMIT:-60}
LEVELS=${LEVELS-1 10}
LEVEL_SIZES=${LEVEL_SIZES-5 8}
CUBE_SIZES=${CUBE_SIZES-3 6}
lib=$ROOT/build/libsdccheck.a
[ -f "$lib" ] || { echo "bench/optimal.sh: build $lib first (make)"; exit 1; }
mkdir -p "$BENCH_DIR/bin"
bin=$BENCH_DIR/bin/optimal
if [ ! -x "$bin" ] || [ -n "$(find "$ROOT/bench/optimal.c" "$lib" -newer "$bin")" ]; then
    # the Makefile's LDLIBS
    $CC -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -I"$ROOT/include" -o "$bin" \
        "$ROOT/bench/optimal.c" "$lib" -lcsv -lyaml -lcrypto -lglpk -lgsl -lgslcblas -larchive -lxml2 -lmagic \
        -lpoppler-glib -lgobject-2.0 -lglib-2.0 -lz -lm -lpthread
fi
# One table of results per size in $1, the rest passed to the driver.
run_sizes() {
    sizes=$1
    shift
    printf '%-7s %6s %7s %9s %8s %9s %8s %8s %9s %9s %12s %10s %12s %9s\n' size tables primary heuristic \
        optimal "heur/opt" modular "mod/opt" "value h/o" "opt/prim" "heur s mean" "heur s max" "opt s mean" \
        "opt s max"
    for n in $sizes; do
        "$bin" "$n" "$SEEDS" "$LIMIT" "$PERCENT" "$@" | awk -v n="$n" -v shape="$SHAPE" '
            {
                tables++; primary += $2; hs += $3; ht += $4; ot += $6; ms += $8; mt += $9
                if ($6 > omax) omax = $6
                if ($4 > hmax) hmax = $4
                if ($7 == "ok") { solved++; sp += $2; h += $3; o += $5; mo += $8; hv += $10; ov += $11; mv += $12 }
                else fell++
            }
            END {
                gap = o > 0 ? sprintf("+%.0f%%", 100 * (h - o) / o) : "-"
                mgap = o > 0 ? sprintf("+%.0f%%", 100 * (mo - o) / o) : "-"
                vgap = ov > 0 ? sprintf("%+.0f%%", 100 * (hv - ov) / ov) : "-"
                per = sp > 0 ? sprintf("%.2f", o / sp) : "-"
                printf "%-7s %6d %7.1f %9.1f %8s %9s %8.1f %8s %9s %9s %12.3f %10.3f %12.3f %9.3f%s\n", n "x" n shape,
                    tables, primary / tables, hs / tables, solved ? sprintf("%.1f", o / solved) : "-",
                    gap, ms / tables, mgap, vgap, per, ht / tables, hmax, ot / tables, omax,
                    fell ? sprintf("  (%d not solved optimally)", fell) : ""
            }'
    done
}
echo "N x N tables with margins, $PERCENT % of cells below the threshold, $SEEDS seeds, limit $LIMIT s"
SHAPE=
run_sizes "$SIZES"
if [ -n "$CUBE_SIZES" ]; then
    echo
    echo "N x N x 2 x 2 x 2 long tables (five dimensions, every margin), the same percentage"
    SHAPE=x2x2x2
    export CUBE=1
    run_sizes "$CUBE_SIZES"
    unset CUBE
    SHAPE=
fi
if [ -n "$LEVELS" ] && [ -n "$LEVEL_SIZES" ]; then
    # shellcheck disable=SC2086 # LEVELS is two numbers
    set -- $LEVELS
    echo
    echo "the same with protection levels: protection_lower $1, protection_upper $2"
    run_sizes "$LEVEL_SIZES" "$1" "$2"
fi
