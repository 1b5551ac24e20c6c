#!/bin/sh
# tests/sanitizer-reports.sh DIR - what the sanitizers found while the
# suite ran, for `make test`: in the ASan + UBSan build LSAN_OPTIONS's
# log_path points into DIR, one file per process (the runner, each
# Criterion worker, each sdccheck the end-to-end tests start).
#
# A leak in a Criterion worker (a test running library code in-process)
# fails no test by itself: the worker has sent its result before
# LeakSanitizer runs at its exit. So every report is read here. Any
# AddressSanitizer or UBSan error counts, and any leak with a frame of
# sdccheck's own code (src/, tests/) in its stack. A leak whose stack is
# wholly inside other libraries is listed and not counted: glib and libgsf
# are built without frame pointers, so the fast unwinder stops at g_malloc
# and cannot say whose leak it is (libgsf's own leak on a damaged compound
# file, tests/lsan.supp, looks like that; so does a block Criterion 2.4.1
# sometimes leaves in its runner). The end-to-end runs under valgrind
# (make valgrind), which needs no frame pointers, cover those.
# Prints each report that counts; exits 1 if there is one.
dir=${1:?usage: tests/sanitizer-reports.sh DIR}
bad=0
other=0
for f in "$dir"/*; do
    [ -f "$f" ] || continue
    grep -q -e 'ERROR: ' -e 'runtime error' "$f" || continue
    # leaks: does any of the report's stacks hold a frame of ours?
    ours=$(awk '
        / in .* (src|tests)\/[^ ]*\.[ch]:[0-9]+/ && !/libsanitizer/ { n++ }
        END { print n + 0 }' "$f")
    if ! grep 'ERROR: ' "$f" | grep -qv 'ERROR: LeakSanitizer' &&
        ! grep -q 'runtime error' "$f" && [ "$ours" -eq 0 ]; then
        other=$((other + 1))
        echo "sanitizer: leak wholly inside other libraries (no frame of ours), not counted: $f"
        continue
    fi
    echo "== $f"
    cat "$f"
    bad=$((bad + 1))
done
echo "sanitizer reports: $bad process(es) with errors or leaks of ours, $other with leaks in other libraries only"
[ "$bad" -eq 0 ]
