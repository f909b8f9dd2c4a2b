#!/usr/bin/env bash
# Builds the engine benchmarks (Release, -DRILL_BENCH=ON, in build-bench/) and prints a table.
# Usage: bench/run_engine.sh [extra Google Benchmark flags, e.g. --benchmark_filter=Call]
# Only ratios taken in one run mean much on these shared 2-core machines.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RILL_BENCH_BUILD:-$root/build-bench}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=${CXX:-g++-12} -DCMAKE_BUILD_TYPE=Release \
  -DRILL_BENCH=ON -DRILL_TESTS=OFF >/dev/null
ninja -C "$build" -j2 rill_engine_bench >/dev/null
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
    if "bytes_per_second" in b:
        tp = f"{b['bytes_per_second'] / 1e6:.1f} MB/s"
    elif "items_per_second" in b:
        tp = f"{b['items_per_second'] / 1e6:.1f} M items/s"
    else:
        tp = ""
    print(f"| {b['name']} | {fmt(b['real_time'], unit)} | {fmt(b['cpu_time'], unit)} | {tp} |")
PY
