#!/usr/bin/env bash
# The README's second command (and CI's): installs what is missing, builds Release and
# ASan+UBSan, and runs every test — unit, end-to-end script and crash tests on the Release
# build, and the unit and script tests again under the sanitizers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
scripts/build.sh release
scripts/build.sh asan
jobs="$(nproc)"
status=0
echo "== Release: every test"
(cd build && ctest --output-on-failure -j "$jobs") || status=1
echo "== ASan+UBSan: unit and script tests"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j "$jobs" -L 'unit|script') || status=1
exit $status
