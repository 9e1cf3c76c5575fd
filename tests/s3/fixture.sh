#!/usr/bin/env bash
# CTest fixture for the S3 tests: `start ENVFILE` starts the local S3 server
# (scripts/s3-server.sh, on 127.0.0.1:$S3_PORT), writes its settings to ENVFILE and creates the
# bucket the tests use (strata-test); `stop ENVFILE` stops it by the PIDs it started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
action="${1:?usage: fixture.sh start|stop ENVFILE}"
env_file="${2:?usage: fixture.sh start|stop ENVFILE}"
case "$action" in
  start)
    "$root/scripts/s3-server.sh" start > "$env_file.new"
    mv "$env_file.new" "$env_file"
    "$root/tests/s3/with_env.sh" "$env_file" \
      bash -c 'aws --endpoint-url "$S3_ENDPOINT" s3 mb s3://strata-test >/dev/null'
    ;;
  stop)
    "$root/scripts/s3-server.sh" stop
    rm -f "$env_file"
    ;;
  *) echo "fixture.sh: unknown action $action" >&2; exit 2 ;;
esac
