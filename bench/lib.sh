# lib.sh - what the benchmark scripts share (sourced, not run): die, GNU
# time for the peak RSS, building a helper, generating an input once, and
# timing one command. Needs BENCH_DIR and CC set by the script.

die() { echo "bench: $*" >&2; exit 2; }


# GNU time reports the peak RSS; Debian ships it as the package "time".
if ! /usr/bin/time -f '%M' true > /dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "bench: installing GNU time (apt-get install time)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time > /dev/null \
            || die "could not install GNU time"
    else
        die "GNU time is missing: sudo apt-get install time"
    fi
fi

mkdir -p "$BENCH_DIR/bin" "$BENCH_DIR/out" "$BENCH_DIR/log"

# ---- helpers ---------------------------------------------------------------

# build NAME SRC LIBS...: compiles bench/SRC into $BENCH_DIR/bin/NAME when
# the binary is missing or older than its source.
build() {
    b_name=$1 b_src=$2
    shift 2
    if [ ! -x "$BENCH_DIR/bin/$b_name" ] ||
        [ -n "$(find "$b_src" -newer "$BENCH_DIR/bin/$b_name")" ]; then
        $CC -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -o "$BENCH_DIR/bin/$b_name" "$b_src" "$@" \
            || die "could not compile $b_src"
    fi
}

# generate TARGET CMD...: runs CMD (writing TARGET.tmp) unless TARGET is
# already complete (a TARGET.ok stamp is left after a full run).
generate() {
    gen_target=$1
    shift
    [ -e "$gen_target.ok" ] && return 0
    echo "bench: generating $gen_target (once)" >&2
    rm -rf "$gen_target" "$gen_target.tmp"
    "$@" || die "could not generate $gen_target"
    mv "$gen_target.tmp" "$gen_target"
    : > "$gen_target.ok"
}

now_ns() { date +%s%N; }

# measure LABEL CMD...: runs CMD under GNU time; sets SEC (wall clock, from
# date, finer than time's 10 ms), RSS_KB and RC. Output goes to log/LABEL.*.
measure() {
    m_label=$1
    shift
    t0=$(now_ns)
    if /usr/bin/time -f '%e %M' -o "$BENCH_DIR/log/$m_label.time" "$@" \
        > "$BENCH_DIR/log/$m_label.out" 2> "$BENCH_DIR/log/$m_label.err"; then
        RC=0
    else
        RC=$?
    fi
    t1=$(now_ns)
    SEC=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    # GNU time puts "Command exited with non-zero status N" first.
    RSS_KB=$(tail -n 1 "$BENCH_DIR/log/$m_label.time" | awk '{ print $2 }')
}

