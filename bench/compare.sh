#!/usr/bin/env bash
# Runs, in one go on this machine, our benches and the peers' on the same captured responses and
# the same SOAP::Lite server, and prints per-operation medians and the ratios ours/peer.
#
#   bench/compare.sh            everything (about 15-25 minutes on 2 cores)
#   E2E_CALLS=200               end-to-end calls per client (default 200)
#   COMPILE_TIMES=1             also the clean build times (bench/compile-times.sh, ~10 min more)
#   SKIP_PYTHON=1               leave out suds and zeep (the slowest part)
#   ONLY=e2e                    only some parts, comma-separated: decode (criterion, codegen and
#                               the peers on the captured bytes), mem (peak memory), e2e (end to
#                               end, keep-alive and new-connection-per-call); default: all
#   NO_INSTALL=1                do not apt-get/pip install missing peers: say how instead
#   GSOAP_HARNESS=PATH          a gSOAP harness already built by bench/peers/gsoap/build.sh
#   RESULTS=DIR                 where the raw `RESULT` lines and the table go
#                               (default /tmp/telinta-bench-results)
#
# Peers: PHP SoapClient (php-cli, php-soap), gSOAP built from wsdl-snapshots/ (gsoap,
# libgsoap-dev), suds and zeep (pip). A peer that cannot be installed or made to work here is
# reported and left out; the others go on. See bench/README.md for what each figure means.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}
RESULTS=${RESULTS:-/tmp/telinta-bench-results}
E2E_CALLS=${E2E_CALLS:-200}
WORK=$(mktemp -d /tmp/telinta-compare.XXXXXX)
mkdir -p "$RESULTS"
RAW=$RESULTS/raw.txt
LOG=$RESULTS/log.txt
: > "$RAW"
: > "$LOG"
trap 'stop_server; rm -rf "$WORK"' EXIT
SNAP=$ROOT/wsdl-snapshots
FIX=$BENCH_DIR/fixtures
ONLY=${ONLY:-decode,mem,e2e}
# want PART: is PART among $ONLY?
want() { [[ ",$ONLY," == *",$1,"* ]]; }

say() { echo "== $*" | tee -a "$LOG" >&2; }
note() { echo "NOTE $*" >> "$RAW"; echo "   $*" | tee -a "$LOG" >&2; }
collect() { tee -a "$LOG" | grep -E '^(RESULT|SKIP) ' >> "$RAW"; }

# ---------------------------------------------------------------------------------------------
say "machine and load"
{
    echo "date: $(date -u +%FT%TZ)"
    echo "nproc: $(nproc)"
    lscpu | head -20
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "fuzzers running: $(pgrep -fa 'cargo fuzz|fuzz/target' | grep -v pgrep | wc -l)"
    echo "busiest processes:"
    ps -eo pcpu,etime,comm --sort=-pcpu | head -6
} | tee "$RESULTS/machine.txt" | tee -a "$LOG" >&2
if pgrep -f 'cargo fuzz|fuzz/target' > /dev/null; then
    note "a fuzzing job is running: figures are disturbed (wait for it to finish for final figures)"
fi

# ---------------------------------------------------------------------------------------------
say "peers: installing what is missing"
apt_pkgs=()
command -v php > /dev/null || apt_pkgs+=(php-cli)
php -m 2> /dev/null | grep -qi '^soap$' || apt_pkgs+=(php-soap)
command -v wsdl2h > /dev/null || apt_pkgs+=(gsoap)
[ -e /usr/include/stdsoap2.h ] || apt_pkgs+=(libgsoap-dev)
command -v curl > /dev/null || apt_pkgs+=(curl)
perl -MSOAP::Lite -e1 2> /dev/null || apt_pkgs+=(libsoap-lite-perl)
if [ ${#apt_pkgs[@]} -gt 0 ]; then
    if [ -z "${NO_INSTALL:-}" ] && [ "$(id -u)" = 0 ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_pkgs[@]}") >> "$LOG" 2>&1 \
            || note "apt-get install ${apt_pkgs[*]} failed"
    else
        note "missing: ${apt_pkgs[*]}: run as root: apt-get install ${apt_pkgs[*]}"
    fi
fi
py_pkgs=()
python3 -c 'import suds' 2> /dev/null || py_pkgs+=(suds)
python3 -c 'import zeep' 2> /dev/null || py_pkgs+=(zeep)
if [ ${#py_pkgs[@]} -gt 0 ] && [ -z "${SKIP_PYTHON:-}" ] && want decode; then
    if [ -z "${NO_INSTALL:-}" ]; then
        python3 -m pip install -q "${py_pkgs[@]}" >> "$LOG" 2>&1 || note "pip install ${py_pkgs[*]} failed"
    else
        note "missing Python packages: pip install ${py_pkgs[*]}"
    fi
fi
perl -MSOAP::Lite -e1 2> /dev/null || { echo "the SOAP::Lite test server needs libsoap-lite-perl" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
say "building (cargo bench --no-run; gSOAP peer)"
if want decode || want mem; then
    cargo bench -q -p telinta-api -p telinta-codegen --no-run >> "$LOG" 2>&1 || { echo "cargo bench --no-run failed, see $LOG" >&2; exit 1; }
else
    cargo bench -q -p telinta-api --bench e2e --no-run >> "$LOG" 2>&1 || { echo "cargo bench --no-run failed, see $LOG" >&2; exit 1; }
fi
GSOAP=
if [ -n "${GSOAP_HARNESS:-}" ] && [ -x "$GSOAP_HARNESS" ]; then
    GSOAP=$GSOAP_HARNESS    # built before by bench/peers/gsoap/build.sh
elif command -v wsdl2h > /dev/null && [ -e /usr/include/stdsoap2.h ]; then
    if "$BENCH_DIR/peers/gsoap/build.sh" "$WORK/gsoap" >> "$LOG" 2>&1; then
        GSOAP=$WORK/gsoap/harness
    else
        note "gSOAP: build failed (see $LOG): left out"
    fi
else
    note "gSOAP: wsdl2h/stdsoap2.h missing (apt-get install gsoap libgsoap-dev): left out"
fi
PHP=
if command -v php > /dev/null && php -m | grep -qi '^soap$'; then PHP=php; else
    note "PHP: php-cli/php-soap missing (apt-get install php-cli php-soap): left out"
fi

# ---------------------------------------------------------------------------------------------
if want decode || want mem; then
say "capturing the 10,000-number response from the SOAP::Lite server"
N10K=$WORK/get_numbers_10000.xml
CHECK_REBUILT=0 "$BENCH_DIR/capture-fixtures.sh" --big "$N10K" 2>&1 | tee -a "$LOG" >&2
[ -s "$N10K" ] || { echo "capture failed" >&2; exit 1; }
FIXTURES=(get_numbers_100="$FIX/get_numbers_100.xml" get_rates_list_100="$FIX/get_rates_list_100.xml" get_numbers_10000="$N10K")
for f in "${FIXTURES[@]}"; do
    echo "RESULT size ${f%%=*} $(stat -c %s "${f#*=}")" >> "$RAW"
done

# ---------------------------------------------------------------------------------------------
if want decode; then
say "ours: criterion (decode, encode, floor scan), then codegen"
rm -rf "$CARGO_TARGET_DIR/criterion"
cargo bench -q -p telinta-api --bench decode >> "$LOG" 2>&1 || note "cargo bench --bench decode failed"
cargo bench -q -p telinta-codegen --bench regenerate >> "$LOG" 2>&1 || note "cargo bench --bench regenerate failed"
python3 - "$CARGO_TARGET_DIR/criterion" >> "$RAW" << 'EOF'
import json, os, sys
root = sys.argv[1]
for group in sorted(os.listdir(root)):
    gdir = os.path.join(root, group)
    if not os.path.isdir(gdir) or group == "report":
        continue
    for fn in sorted(os.listdir(gdir)):
        est = os.path.join(gdir, fn, "new", "estimates.json")
        if os.path.exists(est):
            med = json.load(open(est))["median"]["point_estimate"] / 1e6  # ns -> ms
            label = {"request+decode": "ours", "decode": "ours_decode_only", "tree": "ours_tree_only",
                     "scan": "scan", "scan+attrs": "scan_attrs"}.get(fn, "ours")
            op = group if group.startswith("get_") else group + "/" + fn
            print("RESULT %s %s %.5f" % (label, op, med))
EOF

fi

if want mem; then
say "ours: peak memory of the 10,000-number decode"
cargo bench -q -p telinta-api --bench peak_mem -- "$N10K" 2>&1 | collect
[ -n "$GSOAP" ] && "$GSOAP" mem "$N10K" 2>&1 | collect
[ -n "$PHP" ] && php "$BENCH_DIR/peers/php_soapclient.php" mem "$SNAP" "$N10K" 2>&1 | collect

fi

# ---------------------------------------------------------------------------------------------
if want decode; then
say "peers: build request + decode response on the same bytes"
[ -n "$GSOAP" ] && "$GSOAP" decode "${FIXTURES[@]}" 2>&1 | collect
[ -n "$PHP" ] && php "$BENCH_DIR/peers/php_soapclient.php" decode "$SNAP" "${FIXTURES[@]}" 2>&1 | collect
if [ -z "${SKIP_PYTHON:-}" ]; then
    for lib in zeep suds; do
        python3 "$BENCH_DIR/peers/python_peers.py" "$lib" "$SNAP" "${FIXTURES[@]}" 2>&1 | collect
    done
fi
fi
fi  # decode or mem

# ---------------------------------------------------------------------------------------------
if want e2e; then
say "end to end: $E2E_CALLS get_numbers calls (100 numbers) over loopback to one SOAP::Lite server, keep-alive, then a new connection per call"
python3 "$BENCH_DIR/gen-didapi-data.py" 100 "$WORK/didapi-100.json"
# run_e2e MODE WHO COMMAND...: runs one client; also records how many connections it opened
# (warm-up calls included), from the server's counters.
run_e2e() {
    local mode=$1 who=$2 before after
    shift 2
    before=$(accepted_connections)
    "$@" 2>&1 | collect
    after=$(accepted_connections)
    [ -n "$before" ] && [ -n "$after" ] && echo "RESULT $who e2e_${mode}_connections $((after - before - 1))" >> "$RAW"
}
for mode in keepalive close; do
    # keepalive: the server keeps connections open (as PortaBilling's Apache), each client its
    # own way (ours: reqwest's pool; gSOAP: SOAP_IO_KEEPALIVE; PHP: keep_alive => true).
    # close: the server closes every connection (--close) and the peers do not ask for
    # keep-alive; every call of every client includes a TCP connect.
    opts=()
    [ "$mode" = close ] && opts=(--close)
    if start_server "$WORK/didapi-100.json" "$WORK/server-$mode" "${opts[@]}"; then
        SESSION=$(login)
        run_e2e "$mode" ours env E2E_COUNT_CONNECTIONS=0 E2E_PORT=$PORT E2E_SESSION=$SESSION E2E_CALLS=$E2E_CALLS E2E_MODES=$mode \
            cargo bench -q -p telinta-api --bench e2e
        run_e2e "$mode" ours_mt env E2E_COUNT_CONNECTIONS=0 E2E_PORT=$PORT E2E_SESSION=$SESSION E2E_CALLS=$E2E_CALLS E2E_MODES=$mode \
            E2E_RUNTIME=multi_thread cargo bench -q -p telinta-api --bench e2e
        [ -n "$GSOAP" ] && run_e2e "$mode" gsoap "$GSOAP" e2e "$PORT" "$SESSION" "$E2E_CALLS" "$mode"
        [ -n "$PHP" ] && run_e2e "$mode" php php "$BENCH_DIR/peers/php_soapclient.php" e2e "$SNAP" "$PORT" "$SESSION" "$E2E_CALLS" "$mode"
        stop_server
    else
        note "the SOAP::Lite server did not start: no end-to-end figures ($mode)"
    fi
done
fi

if [ -n "${COMPILE_TIMES:-}" ]; then
    say "compile times (clean builds)"
    "$BENCH_DIR/compile-times.sh" 2>&1 | collect
fi

{
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "fuzzers running at the end: $(pgrep -fa 'cargo fuzz|fuzz/target' | grep -v pgrep | wc -l)"
} | tee -a "$RESULTS/machine.txt" >&2

# ---------------------------------------------------------------------------------------------
python3 "$BENCH_DIR/report.py" "$RAW" | tee "$RESULTS/table.md"
echo "raw results: $RAW, log: $LOG" >&2
