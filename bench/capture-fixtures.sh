#!/usr/bin/env bash
# Captures the responses the benches decode from the real SOAP::Lite test server
# (tests/server/telinta-soap-server.pl), with curl and the envelopes the client sends:
#
#   bench/fixtures/get_numbers_100.xml     DIDAPI get_numbers, no filter, on a data file of
#                                          100 numbers (bench/gen-didapi-data.py 100)
#   bench/fixtures/get_rates_list_100.xml  Internal get_rates_list, tariff 3001, pager 100
#
#   bench/capture-fixtures.sh            capture both (checked in)
#   bench/capture-fixtures.sh --big OUT  capture get_numbers on 10,000 numbers into OUT (3.8 MB,
#                                        not checked in: the benches rebuild it from the
#                                        100-number fixture; this checks that the rebuilt bytes
#                                        are identical to the server's when cargo is there)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORK=$(mktemp -d /tmp/telinta-capture.XXXXXX)
trap 'stop_server; rm -rf "$WORK"' EXIT

capture() { # N -> starts a server on an N-number data file and logs in (sets SESSION)
    python3 "$BENCH_DIR/gen-didapi-data.py" "$1" "$WORK/didapi-$1.json"
    start_server "$WORK/didapi-$1.json" "$WORK/server-$1"
    SESSION=$(login)
    [ -n "$SESSION" ] || { echo "login failed" >&2; exit 1; }
}

check200() { [ "$1" = 200 ] || { echo "$2: HTTP $1" >&2; head -c 600 "$3" >&2; exit 1; }; }

if [ "${1:-}" = --big ]; then
    out=${2:-$BENCH_DIR/fixtures/get_numbers_10000.xml}
    capture 10000
    check200 "$(get_numbers "$SESSION" "$out")" get_numbers "$out"
    stop_server
    echo "captured $out ($(wc -c < "$out") bytes)"
    if command -v cargo > /dev/null && [ "${CHECK_REBUILT:-1}" = 1 ]; then
        CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target} \
            cargo bench -q --manifest-path "$ROOT/Cargo.toml" -p telinta-api --bench peak_mem -- "$out" \
            2> /dev/null | grep -E 'identical' || true
    fi
    exit 0
fi

mkdir -p "$BENCH_DIR/fixtures"
capture 100
f=$BENCH_DIR/fixtures/get_numbers_100.xml
check200 "$(get_numbers "$SESSION" "$f")" get_numbers "$f"
echo "captured $f ($(wc -c < "$f") bytes)"
f=$BENCH_DIR/fixtures/get_rates_list_100.xml
check200 "$(get_rates_list "$SESSION" "$f")" get_rates_list "$f"
echo "captured $f ($(wc -c < "$f") bytes)"
