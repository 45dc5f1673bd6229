#!/usr/bin/env bash
# Interop both ways, for CI:
#  (a) the stand-in APNs (apns-client, feature testing) against clients we
#      did not write: curl --http2 and Go's net/http;
#  (b) our client, through the CLI's push and probe, against a server we did
#      not write: interop/h2_server.py (Python ssl + the h2 package).
# Exits non-zero on any mismatch. Everything listens on 127.0.0.1 only.
#
#   interop/run.sh
#
# Builds what it needs (cargo build --locked, debug) into $CARGO_TARGET_DIR
# (or target/). Needs curl with HTTP/2, go, python3 (installs h2 with pip if
# missing).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
target=${CARGO_TARGET_DIR:-$root/target}
cd "$root"

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in ${pids[@]+"${pids[@]}"}; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

failures=0
pass() { printf 'ok   %s\n' "$1"; }
fail() { printf 'FAIL %s\n' "$1"; failures=$((failures + 1)); }
# expect NAME GOT WANT
expect() {
    if [[ "$2" == "$3" ]]; then pass "$1: $2"; else fail "$1: got '$2', want '$3'"; fi
}
# json FILE KEY: a top-level field of a JSON object ('' for null or absent).
json() {
    python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"
}
# wait_for FILE PID: until FILE exists (the server is up), at most 30 s.
wait_for() {
    for _ in $(seq 300); do
        [[ -s "$1" ]] && return 0
        kill -0 "$2" 2>/dev/null || { echo "server exited early" >&2; return 1; }
        sleep 0.1
    done
    echo "timed out waiting for $1" >&2
    return 1
}

echo "== build"
cargo build --locked --quiet -p mdm-push-cert-cli
cargo build --locked --quiet -p mdm-push-cert-apns --features testing \
    --example stand_in --example interop_pki
bin=$target/debug
cli=$bin/mdm-push-cert

command -v go >/dev/null || { echo "go is missing (apt-get install golang-go)" >&2; exit 2; }
python3 -c 'import h2' 2>/dev/null || pip install --quiet h2

echo "== (a) the stand-in APNs against curl and Go"
s=$work/stand-in
"$bin/examples/stand_in" "$s" 3 2>"$work/stand-in.log" &
pids+=($!)
wait_for "$s/url" "$!"
url=$(cat "$s/url")
topic=$(cat "$s/topic")
registered=$(head -n1 "$s/tokens.txt")
unknown=$(printf 'ab%.0s' $(seq 32))
echo "stand-in at $url, topic $topic"

# curl_push TOKEN TOPIC [extra curl options]: writes $work/curl.{headers,body},
# prints "<http version> <status>".
curl_push() {
    local token=$1 topic=$2
    shift 2
    curl --http2 -sS -X POST -o "$work/curl.body" -D "$work/curl.headers" \
        -w '%{http_version} %{http_code}' \
        --cacert "$s/apns-ca.pem" "$@" \
        -H "apns-topic: $topic" -H 'apns-push-type: mdm' -H 'apns-priority: 10' \
        -H "apns-expiration: $(($(date +%s) + 3600))" \
        --data-binary '{"mdm":"5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F"}' \
        "$url/3/device/$token"
}
id=(--cert "$s/push.pem" --key "$s/push.key")

got=$(curl_push "$registered" "$topic" "${id[@]}")
expect "curl: registered token" "$got" "2 200"
if grep -qi '^apns-id: ..*' "$work/curl.headers"; then
    pass "curl: registered token: apns-id $(grep -i '^apns-id:' "$work/curl.headers" | cut -d' ' -f2 | tr -d '\r')"
else
    fail "curl: registered token: no apns-id header"
fi

got=$(curl_push "$unknown" "$topic" "${id[@]}")
expect "curl: unregistered token" "$got $(json "$work/curl.body" reason)" "2 400 BadDeviceToken"

got=$(curl_push "$registered" "com.example.not-the-topic" "${id[@]}")
expect "curl: wrong apns-topic" "$got $(json "$work/curl.body" reason)" "2 400 TopicDisallowed"

set +e
got=$(curl_push "$registered" "$topic" 2>"$work/curl.err")
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
    pass "curl: no client certificate: refused (curl exit $rc: $(head -c 160 "$work/curl.err" | tr '\n' ' '))"
else
    fail "curl: no client certificate: answered '$got'"
fi

echo "-- Go $(go version | cut -d' ' -f3) net/http"
if (cd "$here" && GO111MODULE=off go run go_push.go "$url" "$s/apns-ca.pem" "$s/push.pem" "$s/push.key" \
    "$registered,$topic,200," \
    "$unknown,$topic,400,BadDeviceToken" \
    "$registered,com.example.not-the-topic,400,TopicDisallowed" \
    nocert); then
    pass "go: all checks"
else
    fail "go: a check above failed"
fi

echo "== (b) our client (the CLI) against Python h2"
p=$work/pki
"$bin/examples/interop_pki" "$p" 2>/dev/null
tok_a=$(printf 'a1%.0s' $(seq 32))
tok_g=$(printf '61%.0s' $(seq 32))
tok_w=$(printf '3e%.0s' $(seq 32))
tok_x=$(printf 'cd%.0s' $(seq 32))
python3 "$here/h2_server.py" --cert "$p/server.pem" --key "$p/server.key" \
    --client-ca "$p/push-ca.pem" --topic "$(cat "$p/topic")" \
    --ok "$tok_a" --gone "$tok_g" --wrong-env "$tok_w" \
    --port-file "$work/h2.port" 2>"$work/h2_server.log" &
pids+=($!)
wait_for "$work/h2.port" "$!"
h2url=https://127.0.0.1:$(cat "$work/h2.port")
echo "Python h2 $(python3 -c 'import h2; print(h2.__version__)') server at $h2url"
conn=(--cert "$p/push.pem" --key "$p/push.key" --apns-url "$h2url" --apns-ca "$p/server.pem" --json)

# cli NAME WANT_EXIT WANT_OUTCOME ARGS...: runs the CLI, checks exit and outcome.
cli() {
    local name=$1 want_rc=$2 want=$3
    shift 3
    set +e
    "$cli" "$@" "${conn[@]}" >"$work/cli.json" 2>"$work/cli.err"
    local rc=$?
    set -e
    echo "     $(cat "$work/cli.json")"
    expect "cli $name: exit, outcome" "$rc $(json "$work/cli.json" outcome 2>/dev/null || cat "$work/cli.err")" "$want_rc $want"
}
magic=5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F

cli "push to the accepted token" 0 delivered push --token "$tok_a" --push-magic "$magic"
[[ -n "$(json "$work/cli.json" apns_id)" ]] && pass "cli push: apns_id $(json "$work/cli.json" apns_id)" \
    || fail "cli push: no apns_id"

cli "probe" 0 bad_device_token probe

cli "push to another token" 1 bad_device_token push --token "$tok_x" --push-magic "$magic"

cli "push to the gone token" 1 device_gone push --token "$tok_g" --push-magic "$magic"
ts=$(json "$work/cli.json" timestamp)
# The server's 1700000000123 ms since the epoch, as RFC 3339. The CLI prints
# whole seconds (the library's RFC 3339 display): the .123 is not required.
rfc3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'
if [[ "$ts" =~ $rfc3339 ]] && python3 -c '
import datetime, sys
t = datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"))
sys.exit(0 if t.tzinfo and 0 <= 1700000000.123 - t.timestamp() < 1 else 1)' "$ts" 2>/dev/null; then
    pass "cli device_gone: timestamp $ts (RFC 3339; the server sent 1700000000123 ms)"
else
    fail "cli device_gone: timestamp '$ts' is not RFC 3339 for 1700000000123 ms"
fi

cli "push to the wrong-environment token" 1 wrong_environment push --token "$tok_w" --push-magic "$magic"

if grep -q 'BadExpirationDate\|BadPriority\|InvalidPushType\|BadPayload\|MissingTopic\|BadPath' "$work/h2_server.log"; then
    fail "h2 server saw a malformed push (see its log below)"
    cat "$work/h2_server.log"
fi

echo "-- the first push as the Python server read it:"
grep -m1 '"headers"' "$work/h2_server.log" | sed 's/^/     /'

echo "== $failures mismatch(es)"
[[ $failures -eq 0 ]]
