#!/usr/bin/env bash
# Makes a throwaway CA and a server certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1),
# valid for two days, for the TLS tests (https.test, fault_proxy_test.py). Keys are generated
# at test time into DIR, a test's own scratch directory: none is ever committed, and the CA's
# key is deleted once it signed the server certificate.
#
#   tests/s3/make_test_ca.sh DIR   ->  DIR/ca.pem (trust this), DIR/server.pem, DIR/server.key
set -euo pipefail
dir="${1:?usage: make_test_ca.sh DIR}"
mkdir -p "$dir"
cd "$dir"
quietly() {  # openssl's chatter only when it fails
  "$@" > openssl.log 2>&1 || { cat openssl.log >&2; exit 1; }
}
quietly openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=strata test CA (throwaway)" -keyout ca.key -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
quietly openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout server.key -out server.csr
printf '%s\n' "subjectAltName=IP:127.0.0.1" "basicConstraints=CA:FALSE" \
  "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" > server.ext
quietly openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
  -extfile server.ext -out server.pem
rm -f server.csr server.ext ca.srl ca.key openssl.log
chmod 600 server.key
