#!/usr/bin/env bash
# The console in a real browser: builds and starts the example server on the
# stand-in Apple (examples/console_stand_in.rs) on 127.0.0.1, runs
# console.mjs in headless Chromium (Debian's /usr/bin/chromium, driven by
# playwright-core from npm), and stops the server. Screenshots of every
# screen go to $SCREENSHOTS (default target/console-screenshots), a test
# artifact that is not committed.
#
#   bash examples/server/tests/browser/run.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
shots=${SCREENSHOTS:-$target/console-screenshots}

command -v chromium >/dev/null || { echo "chromium is missing (apt-get install chromium)" >&2; exit 2; }
(cd "$root" && cargo build --locked --quiet -p mdm-push-cert-example-server --example console_stand_in)
(cd "$here" && npm ci --no-audit --no-fund --silent)

work=$(mktemp -d)
server=
cleanup() {
    if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
"$target/debug/examples/console_stand_in" "$work" 2>"$work/server.log" &
server=$!
for _ in $(seq 300); do
    [[ -s "$work/url" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
done
[[ -s "$work/url" ]] || { echo "the server did not start" >&2; exit 1; }
rm -rf "$shots"
CONSOLE_URL=$(cat "$work/url") SCREENSHOTS="$shots" node "$here/console.mjs"
