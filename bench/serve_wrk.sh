#!/usr/bin/env bash
# wrk against `rill serve` of the P2 hello (tests/host guest, path /): req/s, p50/p99, RSS.
# Usage: bench/serve_wrk.sh [THREADS] [CONNECTIONS] [SECONDS]   (build first: ninja -C build rill host_tests)
set -euo pipefail
cd "$(dirname "$0")/.."
T=${1:-1} C=${2:-16} D=${3:-5}
err=$(mktemp)
build/rill serve --addr 127.0.0.1:0 --threads "$T" --quiet build/tests/host/guests/handler.wasm 2>"$err" >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$err"' EXIT
for _ in $(seq 50); do [ -s "$err" ] && break; sleep 0.1; done
url=$(head -1 "$err")
wrk -t"$T" -c"$C" -d"${D}s" --latency "$url" | grep -E "Requests/sec|  50%|  99%|Non-2xx|errors"
grep VmRSS "/proc/$pid/status"
