#!/usr/bin/env bash
# Smoke test of the local S3 server with Debian's AWS CLI: creates a bucket, puts, gets and
# lists a small object and a 20 MiB one (a multipart upload), checks that a wrong secret is
# refused, deletes everything and the bucket. Exits non-zero on the first mismatch.
#
#   scripts/s3-server.sh start > /tmp/s3.env && . /tmp/s3.env
#   bash tests/s3/server_smoke.sh
#   scripts/s3-server.sh stop
#
# It talks only to $S3_ENDPOINT and refuses to run unless that is http://127.0.0.1:PORT:
# Debian's awscli 2.9 ignores AWS_ENDPOINT_URL, so every call passes --endpoint-url, and a
# missing endpoint must never turn into requests to real AWS.
set -euo pipefail

endpoint="${S3_ENDPOINT:-}"
if ! [[ "$endpoint" =~ ^http://127\.0\.0\.1:[0-9]{1,5}/?$ ]]; then
  echo "server_smoke: S3_ENDPOINT must be http://127.0.0.1:PORT (got '${endpoint}'); run" \
    "scripts/s3-server.sh start > s3.env and . ./s3.env first" >&2
  exit 2
fi
for var in AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION; do
  if [ -z "${!var:-}" ]; then
    echo "server_smoke: $var is not set (source the output of scripts/s3-server.sh start)" >&2
    exit 2
  fi
done

# Keep the CLI to the endpoint and the variables above: no proxy, no user config or profile,
# no instance-metadata lookups, no pager.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY AWS_PROFILE
work="$(mktemp -d)"
: > "$work/aws-config"
export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-config"
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""

bucket="strata-smoke-$$-$RANDOM"
s3() { aws --endpoint-url "$endpoint" s3 "$@"; }
s3api() { aws --endpoint-url "$endpoint" s3api "$@"; }
fail() {
  echo "server_smoke: FAIL: $*" >&2
  exit 1
}
step() { echo "== $*"; }
cleanup() {
  s3 rb --force "s3://$bucket" > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step "create bucket $bucket"
s3 mb "s3://$bucket" > /dev/null
s3api head-bucket --bucket "$bucket" || fail "head-bucket after mb"

step "put and get a small object"
printf 'hello from strata %s\n' "$bucket" > "$work/small.txt"
s3 cp "$work/small.txt" "s3://$bucket/dir/small.txt" > /dev/null
s3 cp "s3://$bucket/dir/small.txt" "$work/small.back" > /dev/null
cmp "$work/small.txt" "$work/small.back" || fail "small object differs after the round trip"
etag="$(s3api head-object --bucket "$bucket" --key dir/small.txt --query ETag --output text)"
[ "$etag" = "\"$(md5sum < "$work/small.txt" | cut -d' ' -f1)\"" ] ||
  fail "small object ETag $etag is not its MD5"

step "put and get a 20 MiB object (multipart)"
head -c $((20 * 1024 * 1024)) /dev/urandom > "$work/big.bin"
# The CLI splits anything over 8 MiB into 8 MiB parts: 20 MiB is 3 parts.
s3 cp "$work/big.bin" "s3://$bucket/big.bin" > /dev/null
etag="$(s3api head-object --bucket "$bucket" --key big.bin --query ETag --output text)"
[[ "$etag" == *-3\" ]] || fail "20 MiB object ETag $etag is not that of a 3-part upload"
s3 cp "s3://$bucket/big.bin" "$work/big.back" > /dev/null
cmp "$work/big.bin" "$work/big.back" || fail "20 MiB object differs after the round trip"

step "list"
listing="$(s3api list-objects-v2 --bucket "$bucket" \
             --query 'Contents[].[Key, Size]' --output text)"
expected="$(printf 'big.bin\t%s\ndir/small.txt\t%s' \
              "$(stat -c %s "$work/big.bin")" "$(stat -c %s "$work/small.txt")")"
[ "$listing" = "$expected" ] || fail "listing is"$'\n'"$listing"$'\n'"expected"$'\n'"$expected"
prefixes="$(s3api list-objects-v2 --bucket "$bucket" --delimiter / \
              --query 'CommonPrefixes[].Prefix' --output text)"
[ "$prefixes" = "dir/" ] || fail "common prefixes are '$prefixes', expected 'dir/'"

step "a wrong secret is refused"
if out="$(AWS_SECRET_ACCESS_KEY="not-$AWS_SECRET_ACCESS_KEY" \
            s3api list-objects-v2 --bucket "$bucket" 2>&1)"; then
  fail "listing with a wrong secret succeeded"
fi
[[ "$out" == *SignatureDoesNotMatch* ]] || fail "wrong secret gave: $out"

step "delete objects and bucket"
s3 rm "s3://$bucket/dir/small.txt" > /dev/null
s3 rm "s3://$bucket/big.bin" > /dev/null
# --no-paginate: the CLI's paginator drops KeyCount from an empty result
count="$(s3api list-objects-v2 --no-paginate --bucket "$bucket" --query KeyCount --output text)"
[ "$count" = 0 ] || fail "bucket still holds $count objects after delete"
s3 rb "s3://$bucket" > /dev/null
if s3api head-bucket --bucket "$bucket" > /dev/null 2>&1; then
  fail "bucket still exists after rb"
fi

echo "server_smoke: OK"
