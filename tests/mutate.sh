#!/bin/sh
# mutate.sh - apply hand-written mutations of the rules one at a time and
# say which the test suite fails to notice (`make mutate`).
#
# Each mutation in tests/mutations.txt is a real regression (a boundary
# turned the wrong way, a check switched off); the suite must go red for
# every one. This script:
#   1. copies the working tree (tracked and new files, and build/ with its
#      timestamps so that only what a mutation touches is rebuilt) into a
#      scratch folder under /tmp: the tree you work in is never changed;
#   2. builds it and runs the whole suite once unmutated (it must pass);
#   3. for each mutation: replaces the one occurrence of its original text
#      in its file, rebuilds (plain build, -j2, under nice), runs the suite
#      (or only the suites the mutation names in `tests:`, and e2e) with
#      --fail-fast under a time limit, and restores the file. A mutant is
#      KILLED when the build of the tests or the suite fails or times out,
#      SURVIVED when the suite passes;
#   4. prints a table and a total; exits 1 if any mutant survived, 2 when
#      the list or the baseline is broken (a text not found exactly once,
#      a mutant that does not compile, a failing unmutated suite).
#
# Environment: MUTATE_LIST_ONLY=1 only checks that every original text is
# found exactly once in the tree as it is (no copy, no build, no suite:
# `make lint` runs it, so that a change to the code cannot leave a
# mutation behind unnoticed); MUTATIONS="id1 id2" runs only those; MUTATE_FULL=1 runs the
# whole suite for every mutant (slower: ignores `tests:`); MUTATE_TIMEOUT
# (seconds per suite run, default 600); MUTATE_KEEP=1 keeps the scratch
# folder; MUTATE_BASELINE=0 skips the unmutated run (when it is known to
# pass); JOBS (default 2).
#
# tests/mutations.txt: blocks separated by blank lines, `#` comments:
#   [id]
#   file: src/lib/rules/rules_magnitude.c
#   what: one line saying what the mutation breaks
#   tests: boundary rules           (optional: only these suites, and e2e)
#   -original line(s), verbatim after the '-'
#   +mutated line(s), verbatim after the '+'
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
list=${MUTATION_LIST:-$here/tests/mutations.txt}
jobs=${JOBS:-2}
limit=${MUTATE_TIMEOUT:-600}
want=${MUTATIONS:-}

scratch=$(mktemp -d /tmp/sdc-mutate-XXXXXX) || exit 2
cleanup() { [ "${MUTATE_KEEP:-0}" = 1 ] || rm -rf "$scratch"; }
trap cleanup EXIT INT TERM

list_only=${MUTATE_LIST_ONLY:-0}
if [ "$list_only" = 1 ]; then
    mkdir -p "$scratch/mutants"
else
    echo "mutate: copying the working tree to $scratch"
    (cd "$here" && git ls-files -co --exclude-standard -z | xargs -0 cp -a --parents -t "$scratch") || exit 2
    [ -d "$here/build" ] && cp -a "$here/build" "$scratch/build"
    mkdir -p "$scratch/mutants"
fi

build() {
    (cd "$scratch" && nice -n 10 make -j"$jobs" build/sdccheck build/tests/unit) \
        > "$scratch/mutants/build.log" 2>&1
}

# run_suite FILTER: 0 when every test passes.
run_suite() {
    if [ -n "$1" ]; then
        set -- --filter "$1"
    fi
    (cd "$scratch" && SDCCHECK_BIN=build/sdccheck LSAN_OPTIONS=suppressions=$scratch/tests/lsan.supp \
        timeout -k 10 "$limit" nice -n 10 build/tests/unit --jobs "$jobs" --fail-fast "$@") \
        > "$scratch/mutants/run.log" 2>&1
}

[ "$list_only" = 1 ] || echo "mutate: building and running the unmutated suite"
if [ "$list_only" != 1 ] && ! build; then
    tail -20 "$scratch/mutants/build.log"
    echo "mutate: the unmutated tree does not build" >&2
    exit 2
fi
if [ "$list_only" != 1 ] && [ "${MUTATE_BASELINE:-1}" = 1 ] && ! run_suite ""; then
    tail -20 "$scratch/mutants/run.log"
    echo "mutate: the unmutated suite fails: fix it first" >&2
    exit 2
fi

# Split the list into one folder per mutation: id, file, what, tests, old, new.
awk -v dir="$scratch/mutants" '
    function flush() { if (id != "") { close(o); close(n) } }
    /^#/ { next }
    /^\[.*\]$/ {
        flush(); id = substr($0, 2, length($0) - 2); count++
        d = sprintf("%s/%03d", dir, count); system("mkdir -p \"" d "\"")
        print id > (d "/id"); close(d "/id")
        o = d "/old"; n = d "/new"; printf "" > o; printf "" > n; next
    }
    id == "" { next }
    /^file: / { print substr($0, 7) > (d "/file"); close(d "/file"); next }
    /^what: / { print substr($0, 7) > (d "/what"); close(d "/what"); next }
    /^tests: / { print substr($0, 8) > (d "/tests"); close(d "/tests"); next }
    /^-/ { printf "%s%s", (seen_o[d]++ ? "\n" : ""), substr($0, 2) > o; next }
    /^\+/ { printf "%s%s", (seen_n[d]++ ? "\n" : ""), substr($0, 2) > n; next }
    END { flush() }
' "$list" || exit 2

table=$scratch/mutants/table
: > "$table"
killed=0 survived=0 broken=0 total=0
for d in "$scratch"/mutants/[0-9]*; do
    id=$(cat "$d/id")
    if [ -n "$want" ] && ! printf ' %s ' "$want" | grep -q " $id "; then
        continue
    fi
    total=$((total + 1))
    file=$(cat "$d/file" 2>/dev/null)
    what=$(cat "$d/what" 2>/dev/null)
    filter=$(cat "$d/tests" 2>/dev/null || true)
    [ "${MUTATE_FULL:-0}" = 1 ] && filter=""
    target=$scratch/$file
    [ "$list_only" = 1 ] && target=$here/$file
    if [ ! -f "$target" ] || [ ! -s "$d/old" ]; then
        echo "BROKEN   $id: no file '$file' or no original text" | tee -a "$table"
        broken=$((broken + 1))
        continue
    fi
    # how often the original text occurs in the file (once, or broken)
    found=$(OLD_FILE=$d/old perl -0777 -ne '
        BEGIN { local $/; open my $o, "<", $ENV{OLD_FILE} or die; $old = <$o>; }
        $c = () = /\Q$old\E/g; print "$c\n";
    ' "$target")
    if [ "$found" != 1 ]; then
        echo "BROKEN   $id: the original text is found $found times in $file" | tee -a "$table"
        broken=$((broken + 1))
        continue
    fi
    [ "$list_only" = 1 ] && continue
    cp -p "$target" "$d/original"
    OLD_FILE=$d/old NEW_FILE=$d/new perl -0777 -i -pe '
        BEGIN { local $/; open my $o, "<", $ENV{OLD_FILE} or die; $old = <$o>;
                open my $n, "<", $ENV{NEW_FILE} or die; $new = <$n>; $new = "" unless defined $new; }
        s/\Q$old\E/$new/;
    ' "$target"
    start=$(date +%s)
    if ! (cd "$scratch" && nice -n 10 make -j"$jobs" build/sdccheck) > "$d/build.log" 2>&1; then
        result="BROKEN  "
        why="the mutant does not compile (see the list)"
        broken=$((broken + 1))
    elif ! build; then
        result="KILLED  "
        why="the tests do not build"
        killed=$((killed + 1))
    else
        suites=""
        if [ -n "$filter" ]; then
            # the named suites and the end-to-end tests
            suites="@($(printf '%s' "$filter e2e" | tr -s ' ' '|'))/*"
        fi
        if run_suite "$suites"; then
            result="SURVIVED"
            why="every test passed${suites:+ (of $suites)}"
            survived=$((survived + 1))
        else
            rc=$?
            failed=$(grep -m1 -E '^\[FAIL\]' "$scratch/mutants/run.log" | sed 's/^\[FAIL\] //; s/: .*//')
            [ $rc = 124 ] && failed="time limit ($limit s)"
            result="KILLED  "
            why="by ${failed:-a crash: see the run log}"
            killed=$((killed + 1))
        fi
        cp "$scratch/mutants/run.log" "$d/run.log"
    fi
    # restore, newer than the mutant's object, so the next build recompiles it
    cp "$d/original" "$target"
    touch "$target"
    secs=$(($(date +%s) - start))
    printf '%s %-24s %4ss  %s: %s\n' "$result" "$id" "$secs" "$what" "$why" | tee -a "$table"
done

if [ "$list_only" = 1 ]; then
    echo "mutate: $total mutations, $broken whose original text is not found exactly once"
    [ "$broken" -eq 0 ] || exit 2
    exit 0
fi

# Leave the scratch build unmutated for a person who keeps it.
build || true

echo
echo "mutate: results"
cat "$table"
echo "mutate: $total mutants: $killed killed, $survived survived, $broken broken"
[ "$broken" -eq 0 ] || exit 2
[ "$survived" -eq 0 ] || exit 1
exit 0
