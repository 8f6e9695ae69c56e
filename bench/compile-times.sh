#!/usr/bin/env bash
# Clean build times of telinta-api with all services (the default features), debug and release,
# each in a fresh target directory (dependencies included, as a user's first build); then the
# crate alone, after `cargo clean -p telinta-api`, i.e. on top of built dependencies: with all
# services, with none (`--no-default-features`: session and the shared structures), with DIDAPI
# only and with Internal only (the largest service).
#
#   bench/compile-times.sh [OUT_FILE]     prints `RESULT ours compile_* <seconds>` lines
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-/dev/null}
TMP=$(mktemp -d /tmp/telinta-compile.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"
cargo fetch -q
secs() { python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$@"; }
for profile in debug release; do
    flag=; [ "$profile" = release ] && flag=--release
    t0=$(date +%s.%N)
    CARGO_TARGET_DIR=$TMP/$profile cargo build -q -p telinta-api --lib $flag
    t1=$(date +%s.%N)
    CARGO_TARGET_DIR=$TMP/$profile cargo clean -q -p telinta-api $flag
    CARGO_TARGET_DIR=$TMP/$profile cargo build -q -p telinta-api --lib $flag
    t2=$(date +%s.%N)
    # The crate alone, without its dependencies (what -p telinta-api costs on top of them).
    echo "RESULT ours compile_clean_${profile}_s $(secs "$t0" "$t1")" | tee -a "$OUT"
    echo "RESULT ours compile_crate_only_${profile}_s $(secs "$t1" "$t2")" | tee -a "$OUT"
    rlib=$(ls -S "$TMP/$profile/$profile/deps"/libtelinta_api-*.rlib | head -1)
    echo "RESULT ours rlib_${profile}_bytes $(stat -c %s "$rlib")" | tee -a "$OUT"
    # The crate alone with fewer services (a cargo feature per service module; `session` and
    # the shared structures are always in).
    for features in none didapi internal; do
        fflag=(--no-default-features)
        [ "$features" != none ] && fflag+=(--features "$features")
        CARGO_TARGET_DIR=$TMP/$profile cargo clean -q -p telinta-api $flag
        t1=$(date +%s.%N)
        CARGO_TARGET_DIR=$TMP/$profile cargo build -q -p telinta-api --lib $flag "${fflag[@]}"
        t2=$(date +%s.%N)
        echo "RESULT ours compile_crate_only_${profile}_${features}_s $(secs "$t1" "$t2")" | tee -a "$OUT"
    done
done
