#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each (default 60), one after the
# other, on the committed corpus, and prints libFuzzer's execution counts.
#
#   bash fuzz/run.sh 300            # five minutes per target
#   JOBS=2 bash fuzz/run.sh 300     # two targets at a time
#   TARGETS=csr bash fuzz/run.sh 60 # only some targets
#   FEATURES=aws-lc-rs bash fuzz/run.sh 60  # the native backend
#
# Toolchain: the stable toolchain with RUSTC_BOOTSTRAP=1, which lets
# cargo-fuzz pass the nightly-only -Zsanitizer=address flag to stable rustc.
# Set FUZZ_TOOLCHAIN=nightly to use a nightly toolchain instead.
# Needs cargo-fuzz: cargo install cargo-fuzz --locked
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
jobs=${JOBS:-1}
targets=(${TARGETS:-push_certificate anchors upload_check signed_request csr topic encrypted_key pkcs12 apns_outcome apns_push})
if [ "${FUZZ_TOOLCHAIN:-stable}" = nightly ]; then
    fuzz=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo +stable fuzz)
fi
feature_args=()
if [ -n "${FEATURES:-}" ]; then
    feature_args=(--features "$FEATURES")
fi
"${fuzz[@]}" build --release "${feature_args[@]}"
mkdir -p fuzz/logs
run_one() {
    local t=$1 status=0
    # New inputs go to fuzz/work/<target>; the committed corpus is only read.
    mkdir -p "fuzz/work/$t"
    # -rss_limit_mb bounds memory; the input size cap matches the crate's MAX_INPUT_LEN.
    "${fuzz[@]}" run --release "${feature_args[@]}" "$t" "fuzz/work/$t" "fuzz/corpus/$t" -- -max_total_time="$secs" \
        -max_len=262144 -rss_limit_mb=2048 -print_final_stats=1 >"fuzz/logs/$t.log" 2>&1 || status=$?
    local execs
    execs=$(grep -E '^stat::number_of_executed_units' "fuzz/logs/$t.log" | awk '{print $2}')
    if [ "$status" -eq 0 ]; then
        echo "$t: ${execs:-?} executions in ${secs}s, no crash"
    else
        echo "$t: CRASH after ${execs:-?} executions; see fuzz/logs/$t.log and fuzz/artifacts/$t/"
    fi
    return "$status"
}
failed=0
running=0
for t in "${targets[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || failed=1
        running=$((running - 1))
    fi
done
while [ "$running" -gt 0 ]; do
    wait -n || failed=1
    running=$((running - 1))
done
exit "$failed"
