#!/usr/bin/env bash
# Installs the DolphinDB JavaScript client the tests in this directory drive: Node.js and npm
# from Debian when the machine has none, then the `dolphindb` package at the version
# package-lock.json pins (npm's registry is the one source outside Debian, for this test
# client only). Does nothing when both are there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  "$here/../../scripts/install-deps.sh" "$here/deps.txt"
fi
if [ ! -f "$here/node_modules/dolphindb/package.json" ] ||
   [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  echo "tests/ddb: installing the dolphindb client from npm" >&2
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
