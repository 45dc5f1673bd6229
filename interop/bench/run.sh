#!/usr/bin/env bash
# APNs clients side by side on loopback, through the stand-in APNs: our
# ApnsClient (apns-client/examples/bench.rs), Go's net/http (go_client.go)
# and Python httpx over HTTP/2 (httpx_client.py). One connection each, at 1,
# 100 and 1,000 concurrent streams (ours twice: on tokio's multi-thread
# runtime, a worker per core, and on its current-thread runtime, as the CLI
# runs); then memory per idle connection. Prints markdown tables; the goal
# (issue 18) is judged on the multi-thread rows.
#
#   interop/bench/run.sh
#
# BENCH_PUSHES_1 (default 10000) and BENCH_PUSHES_N (default 50000) set the
# pushes of a run at concurrency 1 and at 100/1,000; httpx, an order of
# magnitude slower, makes that many divided by BENCH_HTTPX_DIVISOR (default
# 10), so that its runs too take seconds, not minutes. Builds with
# cargo build --locked --release into $CARGO_TARGET_DIR (or target/).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
cd "$root"
pushes_1=${BENCH_PUSHES_1:-10000}
pushes_n=${BENCH_PUSHES_N:-50000}
httpx_divisor=${BENCH_HTTPX_DIVISOR:-10}

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

echo "== build" >&2
cargo build --locked --release --quiet -p mdm-push-cert-apns --features testing \
    --example stand_in --example bench
(cd "$here" && GO111MODULE=off go build -o "$work/go_client" go_client.go)
python3 -c 'import httpx, h2' 2>/dev/null || pip install --quiet 'httpx[http2]'
bin=$target/release/examples

s=$work/stand-in
"$bin/stand_in" "$s" 1000 2>"$work/stand-in.log" &
pids+=($!)
for _ in $(seq 300); do [[ -s "$s/url" ]] && break; sleep 0.1; done
[[ -s "$s/url" ]] || { echo "the stand-in did not start" >&2; exit 1; }
url=$(cat "$s/url")
args=("$url" "$s/apns-ca.pem" "$s/push.pem" "$s/push.key" "$s/tokens.txt")
echo "stand-in at $url" >&2

results=$work/results.jsonl
run() {
    echo "-- $*" >&2
    "$@" | tee -a "$results" >&2
}
echo "load before: $(uptime)" >&2
for c in 1 100 1000; do
    n=$pushes_n
    [[ $c -eq 1 ]] && n=$pushes_1
    run "$bin/bench" "${args[@]}" "$n" "$c"
    run env BENCH_RUNTIME=current_thread "$bin/bench" "${args[@]}" "$n" "$c"
    run "$work/go_client" "${args[@]}" "$n" "$c"
    run python3 "$here/httpx_client.py" "${args[@]}" "$((n / httpx_divisor))" "$c"
done
run "$bin/bench" "${args[@]}" idle 10
run "$work/go_client" "${args[@]}" idle 10
run python3 "$here/httpx_client.py" "${args[@]}" idle 10
echo "load after: $(uptime)" >&2

echo "Versions: $(rustc --version | cut -d' ' -f1-2), $(go version | cut -d' ' -f3), Python $(python3 -c 'import platform, httpx, h2; print(platform.python_version(), "httpx", httpx.__version__, "h2", h2.__version__)'); $(nproc) cores."
echo
python3 - "$results" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
names = {"mdm-push-cert-apns": "ours (ApnsClient), tokio multi-thread",
         "mdm-push-cert-apns/current_thread": "ours (ApnsClient), tokio current-thread", "go-net/http": "Go net/http", "httpx": "Python httpx"}
print("| client | streams | pushes | delivered | wall s | pushes/s | CPU µs/push | peak RSS MiB | connections |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    if r.get("mode") == "idle":
        continue
    print(f"| {names[r['client']]} | {r['concurrency']} | {r['pushes']} | {r['delivered']} | {r['wall_s']:.2f} "
          f"| {r['pushes_per_s']:.0f} | {r['cpu_us_per_push']:.1f} | {r['peak_rss_kb'] / 1024:.1f} | {r['connections']} |")
print()
print("| client | RSS, 1 idle connection (MiB) | RSS, 10 (MiB) | per extra connection (KiB) |")
print("|---|---:|---:|---:|")
for r in rows:
    if r.get("mode") == "idle":
        print(f"| {names[r['client']]} | {r['rss_kb_1'] / 1024:.1f} | {r['rss_kb_n'] / 1024:.1f} | {r['kb_per_connection']:.0f} |")
print()
print("| streams | CPU/push ours ÷ Go (goal ≤ 0.5) | pushes/s ours ÷ Go (goal ≥ 1) | goal met |")
print("|---:|---:|---:|---|")
by = {(r["client"], r["concurrency"]): r for r in rows if r.get("mode") != "idle"}
for c in (1, 100, 1000):
    ours, go = by.get(("mdm-push-cert-apns", c)), by.get(("go-net/http", c))
    if not ours or not go:
        continue
    cpu = ours["cpu_us_per_push"] / go["cpu_us_per_push"]
    tput = ours["pushes_per_s"] / go["pushes_per_s"]
    met = "yes" if cpu <= 0.5 and tput >= 1 else "no"
    print(f"| {c} | {cpu:.2f} | {tput:.2f} | {met} |")
EOF
