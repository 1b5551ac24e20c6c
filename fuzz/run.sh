#!/bin/sh
# fuzz/run.sh SECONDS NAME... - runs each libFuzzer harness build/fuzz/NAME
# for SECONDS on build/fuzz/corpus/NAME (kept between runs) and its seeds
# (build/fuzz/seeds/NAME, made again from testdata/ by fuzz/seed.sh), one
# at a time. Stops at the first harness that finds a crash, a leak, a
# sanitizer report or a timeout: its input is saved under
# build/fuzz/artifacts/, and the exit status is 1. Each run's output is
# build/fuzz/logs/NAME.log; one summary line per harness is printed.
set -eu
seconds=$1
shift
B=${FUZZ_BUILD:-build/fuzz}
mkdir -p "$B/logs" "$B/artifacts"
# Leaks of the libraries we call (not ours) that LeakSanitizer cannot tell
# from ours are listed in fuzz/lsan.supp.
export LSAN_OPTIONS="suppressions=$(pwd)/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for name in "$@"; do
    mkdir -p "$B/corpus/$name"
    rm -rf "$B/seeds/$name"
    mkdir -p "$B/seeds/$name"
    sh fuzz/seed.sh "$name" "$B/seeds/$name"
    # -max_len: inputs as long as the parser's interesting structure; the
    # whole-file and container harnesses see whole small files.
    case $name in
    check | container | detect | xlsx | pdf | binary) max_len=65536 ;;
    audit | spec | policy) max_len=4096 ;;
    *) max_len=16384 ;;
    esac
    # dictionaries shared by harnesses that read the same syntax
    case $name in
    csv | table | audit) dict=csv ;;
    doctables | xlsx) dict=xml ;;
    policy | spec) dict=yaml ;;
    detect | decode | binary | container | check) dict=bytes ;;
    *) dict=$name ;;
    esac
    if [ -f "fuzz/$dict.dict" ]; then dict="-dict=fuzz/$dict.dict"; else dict=""; fi
    # glib and libgsf are built without frame pointers, so the fast unwinder
    # stops at g_malloc and the suppression of libgsf's leak (lsan.supp)
    # cannot see whose leak it is: the harnesses that reach libgsf (compound
    # files, alone or as members) unwind allocations the slow way, several
    # times fewer runs a second (the pdf harness, five times slower so,
    # needs no suppression and unwinds fast).
    case $name in
    binary | check | container) export ASAN_OPTIONS="fast_unwind_on_malloc=0" ;;
    *) unset ASAN_OPTIONS ;;
    esac
    log="$B/logs/$name.log"
    start=$(date +%s)
    if "$B/$name" -max_total_time="$seconds" -max_len=$max_len -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 $dict \
        -artifact_prefix="$B/artifacts/$name-" \
        "$B/corpus/$name" "$B/seeds/$name" > "$log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
    fi
    end=$(date +%s)
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed 's/^#\([0-9]*\)[^c]*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/runs \1, cov \2, ft \3, corpus \4/')
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    echo "fuzz $name: $result, $((end - start)) s, $last, ${speed:-?} exec/s"
    if [ $result = FAILED ]; then
        grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -n 20
        break
    fi
done
exit $status
