#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS_PER_TARGET seconds each and prints, per
# target, the seconds fuzzed, the executions (libFuzzer's `stat::number_of_executed_units`) and
# the crashes found.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]      (default: 600 s, all targets)
#
# Environment:
#   JOBS=N        targets fuzzed at the same time (default 1; keep it <= the free cores)
#   FUZZ_ARGS=... extra libFuzzer flags, e.g. FUZZ_ARGS="-max_len=65536"
#
# Each target runs with its corpus in fuzz/corpus/<target> (grown, not checked in) and the
# checked-in seeds in fuzz/seeds/<target> (read-only for libFuzzer: new inputs go to the first
# directory). A crash stops libFuzzer; the script then starts it again for the time left (at
# most MAX_RESTARTS times), so a target is always fuzzed for its whole budget. Crash inputs are
# in fuzz/artifacts/<target>/, logs in fuzz/logs/.
#
# The build is release (optimised) with debug assertions (`-a`: integer overflow and
# `debug_assert!` panic, as in the debug builds the tests use) and AddressSanitizer
# (cargo-fuzz's default). cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP=1 lets the stable
# toolchain accept them.
set -euo pipefail

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FUZZ_DIR")"
cd "$ROOT"

SECONDS_PER_TARGET="${1:-600}"
shift || true
ALL_TARGETS=(decode_flat decode_array decode_value envelope strategies wsdl)
if [ "$#" -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi
JOBS="${JOBS:-1}"
MAX_RESTARTS="${MAX_RESTARTS:-10}"
FUZZ_ARGS="${FUZZ_ARGS:-}"
export RUSTC_BOOTSTRAP=1

case "$SECONDS_PER_TARGET" in
    '' | *[!0-9]*) echo "usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2 ;;
esac

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is not installed: installing it with \`cargo install cargo-fuzz\`..."
    cargo install cargo-fuzz
fi
echo "$(cargo fuzz --version), $(rustc --version)"

BUILD_FLAGS=(--release --debug-assertions --fuzz-dir "$FUZZ_DIR")
echo "building the fuzz targets..."
cargo fuzz build "${BUILD_FLAGS[@]}"

STAMP="$(date +%Y%m%d-%H%M%S)"
LOG_DIR="$FUZZ_DIR/logs/$STAMP"
mkdir -p "$LOG_DIR"
touch "$LOG_DIR/.start"

# Fuzzes one target for its budget; writes "<target> <seconds> <executions> <crashes> <runs>"
# to $LOG_DIR/<target>.result.
fuzz_target() {
    local t="$1"
    local corpus="$FUZZ_DIR/corpus/$t" seeds="$FUZZ_DIR/seeds/$t"
    mkdir -p "$corpus" "$FUZZ_DIR/artifacts/$t"
    local start now left run=0 execs=0 crashes=0 timeouts=0 ooms=0 n
    start=$(date +%s)
    left=$SECONDS_PER_TARGET
    while [ "$left" -gt 5 ] && [ "$run" -le "$MAX_RESTARTS" ]; do
        run=$((run + 1))
        local log="$LOG_DIR/$t.$run.log"
        # shellcheck disable=SC2086
        cargo fuzz run "${BUILD_FLAGS[@]}" "$t" "$corpus" "$seeds" -- \
            -max_total_time="$left" -dict="$FUZZ_DIR/dict/xml.dict" -rss_limit_mb=2048 \
            -timeout=60 -print_final_stats=1 $FUZZ_ARGS >"$log" 2>&1 || true
        n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
        execs=$((execs + ${n:-0}))
        crashes=$((crashes + $(grep -c 'Test unit written to .*/\(crash\|leak\)-' "$log" || true)))
        timeouts=$((timeouts + $(grep -c 'Test unit written to .*/\(timeout\|slow-unit\)-' "$log" || true)))
        ooms=$((ooms + $(grep -c 'Test unit written to .*/oom-' "$log" || true)))
        if ! grep -q 'Test unit written to' "$log"; then
            if ! grep -q 'stat::number_of_executed_units' "$log"; then
                echo "[$t] libFuzzer did not finish normally, see $log" >&2
                break
            fi
        fi
        now=$(date +%s)
        left=$((SECONDS_PER_TARGET - (now - start)))
    done
    now=$(date +%s)
    echo "$t $((now - start)) $execs $crashes $timeouts $ooms $run" >"$LOG_DIR/$t.result"
    echo "[$t] done: $((now - start)) s, $execs executions, $crashes crashes, $timeouts timeouts, $ooms OOMs ($run libFuzzer run(s))"
}

echo "fuzzing ${TARGETS[*]} for $SECONDS_PER_TARGET s each, $JOBS at a time; logs in $LOG_DIR"
running=0
for t in "${TARGETS[@]}"; do
    if [ ! -f "$FUZZ_DIR/fuzz_targets/$t.rs" ]; then
        echo "unknown target $t (known: ${ALL_TARGETS[*]})" >&2
        exit 2
    fi
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || true
        running=$((running - 1))
    fi
    echo "[$t] starting"
    fuzz_target "$t" &
    running=$((running + 1))
done
wait

echo
echo "Summary ($(nproc) CPUs; logs in $LOG_DIR)"
printf '%-14s %8s %14s %8s %9s %5s\n' target seconds executions crashes timeouts ooms
for t in "${TARGETS[@]}"; do
    if [ -f "$LOG_DIR/$t.result" ]; then
        read -r name secs execs crashes timeouts ooms _ <"$LOG_DIR/$t.result"
        printf '%-14s %8s %14s %8s %9s %5s\n' "$name" "$secs" "$execs" "$crashes" "$timeouts" "$ooms"
    else
        printf '%-14s %s\n' "$t" "(no result)"
    fi
done | tee "$LOG_DIR/summary.txt"
artifacts=$(find "$FUZZ_DIR/artifacts" -type f -newer "$LOG_DIR/.start" 2>/dev/null | sort)
if [ -n "$artifacts" ]; then
    echo
    echo "New crash inputs (reproduce with: RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz <target> <file>):"
    echo "$artifacts"
fi
