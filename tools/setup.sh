#!/bin/sh
# Installs what sdccheck builds and tests with, from Debian's packages.
# Used by `make deps`, the README's two commands and .ci/run; safe to
# run again (apt-get skips what is installed). Needs root or sudo.
# python3: the tests hand reports to a real JSON and XML parser (Debian's
# /usr/bin/python3); chromium: the HTML report is rendered by a real browser
# (headless); under CI=true a test fails when what it needs is missing.
# git: tests/test_hooks.c runs contrib/pre-commit in a throwaway repository.
set -eu
PACKAGES="make gcc libc6-dev pkg-config libcsv-dev libgsl-dev libcriterion-dev
          libyaml-dev libssl-dev libglpk-dev libarchive-dev libreadstat-dev libbrotli-dev zlib1g-dev libxml2-dev libmagic-dev libpoppler-glib-dev libgsf-1-dev libsqlite3-dev libjansson-dev sqlite3 man-db cppcheck clang-format
          python3 valgrind clang libclang-rt-14-dev git chromium"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "setup: all build dependencies are installed"
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "setup: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
