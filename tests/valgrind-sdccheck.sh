#!/bin/sh
# tests/valgrind-sdccheck.sh - runs build/sdccheck (or $SDCCHECK_REAL)
# under valgrind memcheck, for `make valgrind`: the end-to-end tests point
# SDCCHECK_BIN here. Each run writes its own log in $VALGRIND_LOGS (empty
# when valgrind found nothing: --quiet); make valgrind fails when any log
# is not empty. An error also makes the exit status 99, which no test
# expects.
logs=${VALGRIND_LOGS:-build/valgrind}
here=$(dirname "$0")
exec valgrind --quiet --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --suppressions="$here/valgrind.supp" --log-file="$logs/%p.log" \
    "${SDCCHECK_REAL:-build/sdccheck}" "$@"
