#!/usr/bin/env bash
# Builds Strata. `scripts/build.sh` → Release in build/ (binary: build/strata);
# `scripts/build.sh asan` → AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/;
# `scripts/build.sh tsan` → ThreadSanitizer in build-tsan/, only the unit tests of the modules
# whose classes many threads share (scripts/test.sh runs them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
kind="${1:-release}"
jobs="${STRATA_BUILD_JOBS:-$(nproc)}"
# The unit tests scripts/test.sh runs under ThreadSanitizer: the modules whose objects threads share.
tsan_tests="base_test catalog_test storage_test engine_test jobs_test query_test backup_test service_test"
targets=()
# The sanitizer builds compile at -O1 with line tables only (-g1): stack traces keep their
# files and lines, and the ASan build takes 9 minutes on 2 cores instead of 22 (-O2 -g).
sanitizer_flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
                 "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
case "$kind" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) dir=build-asan; flags=("${sanitizer_flags[@]}" -DSTRATA_SANITIZE=ON -DSTRATA_BENCH=OFF) ;;
  tsan) dir=build-tsan; flags=("${sanitizer_flags[@]}" -DSTRATA_TSAN=ON -DSTRATA_BENCH=OFF)
        targets=(${tsan_tests}) ;;
  *) echo "usage: scripts/build.sh [release|asan|tsan]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
ninja -C "$dir" -j "$jobs" "${targets[@]}"
