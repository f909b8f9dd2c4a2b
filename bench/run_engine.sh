#!/usr/bin/env bash
# Builds the engine benchmarks (Release, -DRILL_BENCH=ON, in build-bench/) and the big.wasm input
# (bench/gen_big_c.py + clang-19 for wasm32-wasi), runs them and prints a table.
# Usage: bench/run_engine.sh [extra Google Benchmark flags, e.g. --benchmark_filter=Call]
# Only ratios taken in one run mean much on these shared 2-core machines.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RILL_BENCH_BUILD:-$root/build-bench}

# Toolchain for big.wasm (Debian packages). Without it the benchmark skips the big input.
wasm_pkgs=(clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32)
missing=()
for p in "${wasm_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then
    echo "run_engine.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq "${missing[@]}" || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }; } \
      >/dev/null || echo "run_engine.sh: warning: could not install ${missing[*]}; no big.wasm" >&2
  else
    echo "run_engine.sh: warning: ${missing[*]} missing and not root; no big.wasm" >&2
  fi
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="${CXX:-g++-12}" -DCMAKE_BUILD_TYPE=Release \
  -DRILL_BENCH=ON -DRILL_TESTS=OFF >/dev/null
ninja -C "$build" -j2 rill_engine_bench >/dev/null
if ninja -C "$build" -t targets all | grep -q '^rill_bench_big_wasm:'; then
  ninja -C "$build" rill_bench_big_wasm >/dev/null || {
    rm -f "$build/big.wasm"
    echo "run_engine.sh: warning: building big.wasm failed; the big input will be skipped" >&2
  }
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$build/bench/rill_engine_bench" --benchmark_out="$out" --benchmark_out_format=json \
  --benchmark_format=console "$@" >&2
python3 - "$out" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
ctx = data["context"]
print(f"host: {ctx.get('host_name', '?')}, {ctx.get('num_cpus', '?')} cpus @ {ctx.get('mhz_per_cpu', '?')} MHz, "
      f"build: {ctx.get('library_build_type', '?')} benchmark library")
print()
def fmt(x, unit):
    return (f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}") + " " + unit
print("| benchmark | wall/iter | cpu/iter | throughput (per cpu second) |")
print("|---|---:|---:|---:|")
for b in data["benchmarks"]:
    if b.get("error_occurred"):
        print(f"| {b['name']} | error: {b.get('error_message', '')} | | |")
        continue
    unit = b.get("time_unit", "ns")
    if b.get("aggregate_unit") == "percentage":  # _cv rows of --benchmark_repetitions: ratios
        tp = f"{b['bytes_per_second'] * 100:.1f} %" if "bytes_per_second" in b else ""
        print(f"| {b['name']} | {b['real_time'] * 100:.1f} % | {b['cpu_time'] * 100:.1f} % | {tp} |")
        continue
    if "bytes_per_second" in b:
        tp = f"{b['bytes_per_second'] / 1e6:.1f} MB/s"
    elif "items_per_second" in b:
        tp = f"{b['items_per_second'] / 1e6:.1f} M items/s"
    else:
        tp = ""
    print(f"| {b['name']} | {fmt(b['real_time'], unit)} | {fmt(b['cpu_time'], unit)} | {tp} |")
PY
