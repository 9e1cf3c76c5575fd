#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the Release binary at
# build/strata, and runs examples/quickstart.dos in a fresh data directory.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
scripts/build.sh release
rm -rf build/quickstart-data
build/strata run --data build/quickstart-data examples/quickstart.dos
