#!/usr/bin/env bash
# Runs a real S3-compatible object store on 127.0.0.1 for the S3 tests and CI: OpenStack
# Swift 2.30 with its s3api middleware (Debian 12 packages), one node, one replica, plus a
# private memcached. It checks AWS Signature V4, Content-MD5 and multipart rules as S3 does.
#
#   scripts/s3-server.sh start > s3.env && . ./s3.env   install what is missing
#       (tests/s3/deps.txt), write configs and rings under $S3_DIR, start the servers, wait
#       until an authenticated request works, then print `export VAR=value` lines on stdout
#       (S3_ENDPOINT, AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION,
#       AWS_DEFAULT_REGION, AWS_EC2_METADATA_DISABLED). Fails (non-zero, log tails on stderr,
#       nothing left running) if the server does not come up.
#   scripts/s3-server.sh stop    kill exactly the processes `start` recorded, wait for them,
#       and delete $S3_DIR if it is under /tmp. Succeeds when nothing is running.
#   scripts/s3-server.sh env     print the export lines again (fails if not started).
#
# A second `start` on the same S3_PORT/S3_DIR while the server runs fails with a message and
# leaves the running server alone (run `stop` first): a start that silently reused a server
# would let one job's `stop` pull it from under another. A state dir left by a server that
# died is cleaned up and started over; a kept S3_DIR outside /tmp is reused with its data.
#
# Settings (environment): S3_PORT (default 9000) is the S3 endpoint; S3_PORT+1..+3 are the
# object, container and account servers and S3_PORT+4 is memcached; `start` fails if any of
# them is taken, so parallel jobs need different S3_PORTs. S3_DIR (default
# /tmp/strata-s3-$S3_PORT) holds configs, rings, data, pids and logs ($S3_DIR/log).
# S3_START_TIMEOUT (seconds, default 60) bounds the wait for readiness.
#
# Endpoint http://127.0.0.1:$S3_PORT, plain HTTP, path-style addressing only, region
# us-east-1, access key `test:tester` (tempauth's account:user, so it contains a colon),
# secret `testing`. Clients must pass the endpoint explicitly: Debian's awscli/botocore ignore
# AWS_ENDPOINT_URL. Swift 2.30 refuses aws-chunked uploads (501) and wants Content-MD5 on
# DeleteObjects. Progress and errors go to stderr; only the export lines go to stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

port="${S3_PORT:-9000}"
if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1024 ] || [ "$port" -gt 65531 ]; then
  echo "s3-server: S3_PORT must be a number from 1024 to 65531 (it uses S3_PORT..S3_PORT+4)" >&2
  exit 2
fi
dir="${S3_DIR:-/tmp/strata-s3-$port}"
timeout="${S3_START_TIMEOUT:-60}"
obj_port=$((port + 1)) cont_port=$((port + 2)) acct_port=$((port + 3)) mc_port=$((port + 4))
account=test user=tester secret=testing region=us-east-1
me="$(id -un)"

say() { echo "s3-server: $*" >&2; }

# Processes are recorded in $dir/pids as "pid starttime name"; the start time (field 22 of
# /proc/PID/stat, in clock ticks since boot) tells our process from a later one that reuses
# the PID, so `stop` never signals anything it did not start.
start_time() { # pid -> start time, or failure if there is no such process
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"        # drop "pid (comm) "; the comm may contain spaces and parens
  # shellcheck disable=SC2086
  set -- $stat
  echo "${20}"               # field 22 overall = field 20 after pid and comm
}
ours() { # pid starttime -> is that process still the one we started?
  [ "$(start_time "$1" 2>/dev/null)" = "$2" ]
}
any_alive() {
  local pid st name
  [ -f "$dir/pids" ] || return 1
  while read -r pid st name; do
    ours "$pid" "$st" && return 0
  done < "$dir/pids"
  return 1
}

stop() {
  local pid st name
  if [ -f "$dir/pids" ]; then
    while read -r pid st name; do
      if ours "$pid" "$st"; then kill -TERM "$pid" 2>/dev/null || true; fi
    done < "$dir/pids"
    # Swift servers exit within a second on SIGTERM; give them 10 s, then SIGKILL.
    local i
    for ((i = 0; i < 50; i++)); do
      any_alive || break
      sleep 0.2
    done
    while read -r pid st name; do
      if ours "$pid" "$st"; then
        say "$name (pid $pid) ignored SIGTERM; killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done < "$dir/pids"
    rm -f "$dir/pids"
  fi
  # Delete the state only where it is scratch space; a dir elsewhere is left for inspection.
  local real
  real="$(realpath -m "$dir")"
  if [[ "$real" == /tmp/?* ]]; then
    rm -rf "$real"
  elif [ -d "$real" ]; then
    say "left $real in place (only dirs under /tmp are deleted)"
  fi
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_configs() {
  mkdir -p "$dir/node/d1" "$dir/run" "$dir/log"
  # The hash prefix/suffix and the storage policies are read only from
  # /etc/swift/swift.conf (swift_dir moves just the rings). Debian's swift package ships one;
  # create a minimal one only if it is missing.
  if [ ! -f /etc/swift/swift.conf ]; then
    say "writing /etc/swift/swift.conf"
    mkdir -p /etc/swift
    cat > /etc/swift/swift.conf <<EOF
[swift-hash]
swift_hash_path_prefix = strata-s3-test
swift_hash_path_suffix = strata-s3-test
[storage-policy:0]
name = Policy-0
default = yes
EOF
  fi
  # Settings every backend shares: loopback only, one process each (workers = 0), a plain
  # directory as the "disk" (no mount check, no fallocate reserve), warnings and worse only.
  # `-v` at launch copies the log to stderr, i.e. to $dir/log/NAME.log.
  local backend="bind_ip = 127.0.0.1
swift_dir = $dir
devices = $dir/node
mount_check = false
disable_fallocate = true
user = $me
workers = 0
log_level = WARNING"
  cat > "$dir/account-server.conf" <<EOF
[DEFAULT]
bind_port = $acct_port
$backend

[pipeline:main]
pipeline = account-server

[app:account-server]
use = egg:swift#account
EOF
  cat > "$dir/container-server.conf" <<EOF
[DEFAULT]
bind_port = $cont_port
$backend

[pipeline:main]
pipeline = container-server

[app:container-server]
use = egg:swift#container

[container-updater]
interval = 30
concurrency = 1
recon_cache_path = $dir/run
EOF
  cat > "$dir/object-server.conf" <<EOF
[DEFAULT]
bind_port = $obj_port
$backend

[pipeline:main]
pipeline = object-server

[app:object-server]
use = egg:swift#object

[object-updater]
interval = 30
concurrency = 1
updater_workers = 1
recon_cache_path = $dir/run
EOF
  # The proxy is the S3 endpoint. s3api turns S3 requests into Swift ones and checks their
  # signatures against tempauth's users; slo carries multipart uploads, copy CopyObject,
  # versioned_writes bucket versioning. proxy-logging appears twice on purpose (Swift wants
  # it both outside and just before the app).
  cat > "$dir/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
swift_dir = $dir
user = $me
workers = 0
log_level = WARNING

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo versioned_writes symlink proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
# the first request of a new user creates its account
account_autocreate = true

[filter:s3api]
use = egg:swift#s3api
location = $region
# S3 allows part numbers up to 10000; Swift's default is 1000
max_upload_part_num = 10000
# Virtual-hosted requests (Host: BUCKET.localhost:PORT, which libcurl resolves to loopback by
# itself) name the bucket in the host; any other Host (127.0.0.1:PORT, localhost:PORT) stays
# path-style.
storage_domain = localhost

[filter:tempauth]
use = egg:swift#tempauth
# S3 access key "$account:$user", secret "$secret"
user_${account}_${user} = $secret .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$mc_port

[filter:slo]
use = egg:swift#slo
max_manifest_segments = 10000

[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true
allow_object_versioning = true

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:copy]
use = egg:swift#copy
[filter:dlo]
use = egg:swift#dlo
[filter:symlink]
use = egg:swift#symlink
EOF
}

# The three rings (object, container, account) map everything to the single device d1 with
# one replica. This is `swift-ring-builder X.builder create 6 1 0; add ...; rebalance` for
# each ring, done in one Python process because three runs of the CLI take ~4 s.
build_rings() {
  /usr/bin/python3 - "$dir" "$obj_port" "$cont_port" "$acct_port" <<'PY'
import sys
from swift.common.ring import RingBuilder

state_dir = sys.argv[1]
for name, port in zip(("object", "container", "account"), sys.argv[2:5]):
    builder = RingBuilder(6, 1, 0)  # part power 6, 1 replica, min_part_hours 0
    builder.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1",
                     "port": int(port), "device": "d1", "weight": 100})
    builder.rebalance()
    builder.get_ring().save("%s/%s.ring.gz" % (state_dir, name))
    builder.save("%s/%s.builder" % (state_dir, name))
PY
}

launch() { # name command... : start in the background, log to $dir/log/name.log, record it
  local name="$1"
  shift
  nohup "$@" > "$dir/log/$name.log" 2>&1 < /dev/null &
  local pid=$! st
  st="$(start_time "$pid")" || st=gone   # already gone: the readiness loop reports it
  echo "$pid $st $name" >> "$dir/pids"
}

# Ready when every backend port answers and a request through the whole proxy pipeline works:
# tempauth hands out a token (stored in memcached) and a HEAD of the account (created on first
# use) succeeds.
ready() {
  local p token
  for p in "$obj_port" "$cont_port" "$acct_port" "$mc_port"; do
    port_taken "$p" || return 1
  done
  token="$(curl --noproxy '*' -fsS -m 5 -D - -o /dev/null \
             -H "X-Auth-User: $account:$user" -H "X-Auth-Key: $secret" \
             "http://127.0.0.1:$port/auth/v1.0" 2>/dev/null |
           awk 'tolower($1) == "x-auth-token:" { print $2 }' | tr -d '\r')" || return 1
  [ -n "$token" ] || return 1
  curl --noproxy '*' -fsS -m 5 -o /dev/null -I -H "X-Auth-Token: $token" \
    "http://127.0.0.1:$port/v1/AUTH_$account" 2>/dev/null
}

print_env() {
  cat <<EOF
export S3_ENDPOINT=http://127.0.0.1:$port
export AWS_ENDPOINT_URL=http://127.0.0.1:$port
export AWS_ACCESS_KEY_ID=$account:$user
export AWS_SECRET_ACCESS_KEY=$secret
export AWS_REGION=$region
export AWS_DEFAULT_REGION=$region
export AWS_EC2_METADATA_DISABLED=true
EOF
}

# On any failure after processes were launched: show why, then take down what was started.
fail_start() {
  local status=$?
  trap - EXIT INT TERM
  say "start failed; last log lines from $dir/log:"
  local f shown=0
  for f in "$dir"/log/*.log; do
    [ -s "$f" ] || continue
    echo "---- $f" >&2
    tail -n 20 "$f" >&2
    shown=1
  done
  [ "$shown" = 1 ] || say "(the logs are empty)"
  stop
  exit $((status == 0 ? 1 : status))
}

start() {
  local t0=$SECONDS
  if any_alive; then
    say "already running from $dir (see \`$0 env\`); run \`$0 stop\` first"
    exit 1
  fi
  if [ -e "$dir/pids" ]; then
    say "cleaning up $dir left by a server that is no longer running"
    stop
  fi
  # Install first: apt's output must not reach stdout, which carries only the export lines.
  "$root/scripts/install-deps.sh" "$root/tests/s3/deps.txt" >&2
  local p
  for p in "$port" "$obj_port" "$cont_port" "$acct_port" "$mc_port"; do
    if port_taken "$p"; then
      say "port $p on 127.0.0.1 is in use (needs $port..$mc_port); pick another S3_PORT"
      exit 1
    fi
  done
  mkdir -p "$dir"
  : > "$dir/pids"
  trap fail_start EXIT
  trap 'exit 130' INT TERM
  write_configs
  build_rings
  # A fresh private memcached every start: one left from an earlier run would serve stale
  # account info (CreateBucket then fails with 500). Swift is ~2.5x slower without one.
  launch memcached memcached -l 127.0.0.1 -p "$mc_port" -U 0 -m 64 -u "$me"
  launch account swift-account-server "$dir/account-server.conf" -v
  launch container swift-container-server "$dir/container-server.conf" -v
  launch object swift-object-server "$dir/object-server.conf" -v
  launch proxy swift-proxy-server "$dir/proxy-server.conf" -v
  local deadline=$((SECONDS + timeout)) pid st name
  until ready; do
    while read -r pid st name; do
      if ! ours "$pid" "$st"; then
        say "$name (pid $pid) exited during start"
        exit 1
      fi
    done < "$dir/pids"
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "not ready after ${timeout}s"
      exit 1
    fi
    sleep 0.2
  done
  # The updaters retry container/account listing updates that timed out (possible on a busy
  # CI machine); without them an uploaded object could stay missing from bucket listings.
  # They are not needed to serve requests, so they start after the servers are up instead of
  # competing with them for the CPU (each Swift server needs 1.1-1.4 s of CPU to start).
  launch object-updater swift-object-updater "$dir/object-server.conf" -v
  launch container-updater swift-container-updater "$dir/container-server.conf" -v
  print_env > "$dir/env"
  trap - EXIT INT TERM
  say "ready at http://127.0.0.1:$port in $((SECONDS - t0))s (state and logs in $dir)"
  cat "$dir/env"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env)
    if [ -f "$dir/env" ] && any_alive; then
      cat "$dir/env"
    else
      say "not running from $dir (check S3_PORT/S3_DIR, or run \`$0 start\`)"
      exit 1
    fi
    ;;
  *)
    echo "usage: scripts/s3-server.sh start|stop|env   (settings: S3_PORT, S3_DIR)" >&2
    exit 2
    ;;
esac
