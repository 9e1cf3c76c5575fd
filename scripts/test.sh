#!/usr/bin/env bash
# The README's second command (and CI's): installs what is missing, checks the module layering,
# builds Release, ASan+UBSan and ThreadSanitizer, and runs every test — unit, end-to-end script
# and crash tests on the Release build, the unit and script tests again under ASan+UBSan (all
# but sql.backup.*: their code runs under ASan in unit.service and unit.backup, and the shell
# scenarios take 5 minutes of the 2 cores there), the server's client, fault, TLS and HTTP tests
# against the ASan binary (not the SQL scenarios again over the protocol, nor the load test;
# 20,000 random packets there instead of 100,000, which took 4 minutes under ASan),
# and the unit tests of the modules whose objects threads share under ThreadSanitizer. The
# suites of databases several batches long (FullComparisonTest, RestorePlanTest: 9100
# partitions each, which check batching) run in Release only: under ThreadSanitizer they took
# about 260 of the 345 seconds of its stage, and the code they run is also run, with fewer
# partitions, by the other backup and restore tests there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
tests/ddb/install.sh
status=0
scripts/check_layers.sh || status=1
scripts/build.sh release
scripts/build.sh asan
scripts/build.sh tsan
jobs="$(nproc)"
many_batches='-FullComparisonTest.*:RestorePlanTest.*'  # a gtest filter: Release only
echo "== Release: every test"
(cd build && ctest --output-on-failure -j "$jobs") || status=1
echo "== ASan+UBSan: unit, script and server tests (sql.backup.*, server.sql.*, server.load and the many-batch suites ran in Release)"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   STRATA_FAULT_PACKETS=20000 GTEST_FILTER="$many_batches" ctest --output-on-failure -j "$jobs" -L 'unit|script|server' \
     -E '^sql[.]backup[.]|^server[.]sql[.]|^server[.]load$') || status=1
echo "== ThreadSanitizer: unit tests of base, catalog, storage, engine, query, backup, jobs and service"
(cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
   GTEST_FILTER="$many_batches" ctest --output-on-failure -j "$jobs" \
     -R '^unit[.](base|catalog|storage|engine|query|backup|jobs|service)$') ||
  status=1
exit $status
