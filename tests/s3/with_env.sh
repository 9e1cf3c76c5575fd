#!/usr/bin/env bash
# Runs a command with the local S3 server's settings (the ENVFILE fixture.sh wrote): exports
# them, refuses any endpoint that is not http://127.0.0.1:PORT or http://localhost:PORT (the
# literal name, which libcurl resolves to loopback itself: tests never talk to anything but
# loopback), keeps the AWS CLI away from proxies, user profiles and instance metadata, and
# exports S3_TEST_DIR (this directory: fault_proxy.py, fault_lib.sh). AWS_CA_BUNDLE is unset:
# whatever the machine sets must not reach strata or the AWS CLI; https.test sets it itself
# (to the throwaway CA it generates) where it tests that fallback of s3CaFile.
#
#   tests/s3/with_env.sh ENVFILE COMMAND [ARGS...]
set -euo pipefail
env_file="${1:?usage: with_env.sh ENVFILE COMMAND...}"
shift
if [ ! -f "$env_file" ]; then
  echo "with_env.sh: $env_file is missing: the S3 server fixture did not start" >&2
  exit 2
fi
# shellcheck disable=SC1090
. "$env_file"
if ! [[ "${S3_ENDPOINT:-}" =~ ^http://(127\.0\.0\.1|localhost):[0-9]{1,5}/?$ ]]; then
  echo "with_env.sh: refusing to run against '${S3_ENDPOINT:-}':" \
    "only http://127.0.0.1:PORT or http://localhost:PORT" >&2
  exit 2
fi
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY AWS_PROFILE AWS_CA_BUNDLE
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
: > "$scratch/aws-config"
export AWS_CONFIG_FILE="$scratch/aws-config" AWS_SHARED_CREDENTIALS_FILE="$scratch/aws-config"
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
S3_TEST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export S3_TEST_DIR
"$@"
