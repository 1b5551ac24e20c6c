#!/bin/sh
# update-expected.sh - rewrite the golden JSON reports in tests/expected/.
#
#   sh tests/update-expected.sh            (from anywhere in the repository)
#   SDCCHECK_BIN=build/asan/sdccheck sh tests/update-expected.sh
#
# For every line of tests/expected/golden.list ("NAME STATUS ARGS...") this
# runs, from the repository root and in the same clean environment as
# tests/test_e2e.c,
#
#   SOURCE_DATE_EPOCH=0 sdccheck -f json -o tests/expected/NAME.json ARGS...
#
# and warns when the exit status is not the STATUS the list expects. It never
# changes golden.list: the expected exit statuses are written by a person.
# It does not delete the report of a line taken out of the list; the test
# e2e::every_expected_report_is_in_the_golden_list names such leftovers.
#
# The golden files are the specification of what the tool reports, so a
# regenerated file is a claim that the new output is right. A HUMAN MUST
# REVIEW THE DIFF BEFORE COMMITTING IT:
#
#   git diff --stat tests/expected/ && git diff tests/expected/
#
# and check every changed verdict, finding, line number and message against
# doc/design.md, the man pages and testdata/generated/README.md. Never regenerate to make a
# failing test pass without reading why it failed.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${SDCCHECK_BIN:-build/sdccheck}
list=tests/expected/golden.list

if [ ! -x "$bin" ]; then
    echo "update-expected.sh: $bin is not built (run make)" >&2
    exit 2
fi

written=0
mismatched=0
# shellcheck disable=SC2086 # ARGS are split on purpose (no spaces in paths)
while read -r name status args; do
    case $name in '' | '#'*) continue ;; esac
    out=tests/expected/$name.json
    mkdir -p "$(dirname "$out")"
    rc=0
    env -i SOURCE_DATE_EPOCH=0 LC_ALL=C "$bin" -f json -o "$out.tmp" $args || rc=$?
    if [ "$rc" -eq 2 ] || [ ! -s "$out.tmp" ]; then
        rm -f "$out.tmp"
        echo "update-expected.sh: $name: sdccheck failed (exit $rc)" >&2
        exit 2
    fi
    mv "$out.tmp" "$out"
    written=$((written + 1))
    if [ "$rc" -ne "$status" ]; then
        echo "update-expected.sh: $name: exit status $rc, golden.list says $status" >&2
        mismatched=$((mismatched + 1))
    fi
done < "$list"

echo "update-expected.sh: wrote $written reports in tests/expected/" \
     "($mismatched with an unexpected exit status)"
echo "Review before committing: git diff tests/expected/"
