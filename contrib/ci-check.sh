#!/bin/sh
# ci-check.sh - checking a project area's outputs in CI (README, "CI
# hooks"): the text report in the job's log, a JUnit report in a file for
# the dashboard, and sdccheck's exit status as the job's.
#
#     sh contrib/ci-check.sh [OUTPUT_FOLDER_OR_FILE...]   (default: outputs)
#
# Exit status, sdccheck's own (sdccheck(1), EXIT STATUS): 0 cleared,
# 1 a file fails, 3 a file needs review (no fail), 2 the check could not
# be done. Any status but 0 fails the job: outputs that are not cleared
# are not released. The JUnit report is written for 0, 1 and 3 (every
# file a <testcase>, every fail or review finding a <failure>); for 2 it
# may be missing, and the job fails anyway.
#
# Settings, from the environment:
#     SDCCHECK         the sdccheck program (default: sdccheck on PATH)
#     SDCCHECK_POLICY  the policy (-p; default: sdccheck's)
#     SDCCHECK_JUNIT   where the JUnit report goes (default: sdccheck-junit.xml)
#
# In GitLab CI, for example:
#
#     sdccheck:
#       script: sh contrib/ci-check.sh outputs/
#       artifacts:
#         when: always
#         reports:
#           junit: sdccheck-junit.xml
set -u

sdc=${SDCCHECK:-sdccheck}
junit=${SDCCHECK_JUNIT:-sdccheck-junit.xml}
[ $# -gt 0 ] || set -- outputs

if [ -n "${SDCCHECK_POLICY:-}" ]; then
    set -- -p "$SDCCHECK_POLICY" -- "$@"
else
    set -- -- "$@"
fi
"$sdc" --color=never -f junit -o "$junit" -f text "$@"
status=$?
case $status in
0) echo "sdccheck: cleared; JUnit report in $junit" ;;
1) echo "sdccheck: not cleared: a file fails; JUnit report in $junit" ;;
3) echo "sdccheck: not cleared: a file needs review by an output checker; JUnit report in $junit" ;;
*) echo "sdccheck: the outputs could not be checked (exit status $status)" ;;
esac
exit $status
