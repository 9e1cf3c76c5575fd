# Helpers for the fault tests (tests/s3/faults*.test), sourced by their `shell` blocks: start
# tests/s3/fault_proxy.py in front of the fixture's S3 server, point strata at it through
# strata.cfg, stop it by its PID, and check its counts. Needs S3_ENDPOINT and S3_TEST_DIR
# (exported by with_env.sh) and the runner's STRATA, DATA and TMP.
#
#   proxy_start NAME [fault_proxy.py options]   start it (counts in $TMP/NAME.json, faults
#                                              logged to $TMP/NAME.log), set PROXY_PORT; with
#                                              --tls-cert/--tls-key it serves HTTPS
#   proxy_config [key=value...]                 $DATA/strata.cfg: the proxy as endpoint
#                                              (https://127.0.0.1:PORT for a TLS proxy), quick
#                                              retries, a 2 s stall limit, then the extras
#   tls_certs DIR                               a throwaway CA (DIR/ca.pem) and a certificate
#                                              for 127.0.0.1 (DIR/server.pem, DIR/server.key)
#   proxy_stop                                  stop it (also done when the block exits)
#   proxy_stat NAME EXPR                        a Python expression over the counts `s` (a
#                                              tuple prints space-separated)
#   strata_json SCRIPT                          run SCRIPT as admin, JSON output

PROXY_PID=""
PROXY_PORT=""
PROXY_SCHEME=http

proxy_stop() {
  if [ -n "$PROXY_PID" ]; then
    kill -TERM "$PROXY_PID" 2>/dev/null || true
    wait "$PROXY_PID" 2>/dev/null || true
    PROXY_PID=""
  fi
}

proxy_start() {
  local name="$1"
  shift
  proxy_stop
  rm -f "$TMP/$name.port"
  PROXY_SCHEME=http
  case " $* " in *" --tls-cert "*) PROXY_SCHEME=https ;; esac
  python3 "$S3_TEST_DIR/fault_proxy.py" --upstream "$S3_ENDPOINT" --port-file "$TMP/$name.port" \
    --stats "$TMP/$name.json" --log "$TMP/$name.log" --stall-max-s 30 "$@" \
    > /dev/null 2>> "$TMP/$name.log" < /dev/null &
  PROXY_PID=$!
  trap proxy_stop EXIT
  local i
  for ((i = 0; i < 100; i++)); do
    [ -s "$TMP/$name.port" ] && break
    if ! kill -0 "$PROXY_PID" 2>/dev/null; then
      echo "fault proxy $name exited at start:" >&2
      cat "$TMP/$name.log" >&2
      return 1
    fi
    sleep 0.1
  done
  PROXY_PORT="$(cat "$TMP/$name.port")"
  [ -n "$PROXY_PORT" ] || { echo "fault proxy $name did not start" >&2; return 1; }
}

proxy_config() {
  {
    if [ "$PROXY_SCHEME" = https ]; then
      echo "s3Endpoint=https://127.0.0.1:$PROXY_PORT"
    else
      echo "s3Endpoint=127.0.0.1:$PROXY_PORT"
      echo "s3UseHttp=true"
    fi
    echo "s3RetryBackoffMs=20"
    echo "s3StallSeconds=2"
    local line
    for line in "$@"; do echo "$line"; done
  } > "$DATA/strata.cfg"
}

tls_certs() {
  bash "$S3_TEST_DIR/make_test_ca.sh" "$1"
}

proxy_stat() {
  python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(*v) if isinstance(v, tuple) else print(v)' "$TMP/$1.json" "$2"
}

strata_json() {
  "$STRATA" run --format json --data "$DATA" --user admin --password 123456 -e "$1"
}
