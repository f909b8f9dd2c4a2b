#!/usr/bin/env bash
# Builds and runs the component benchmarks (bench/component_bench.cpp; Release, in build-bench/):
# instantiation of a pre-compiled component, call overhead next to a core call, and lifting /
# lowering strings and list<u32>. Needs the pinned jco (`npm ci`) to encode the .wat inputs.
# Usage: bench/run_component.sh [extra Google Benchmark flags]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RILL_BENCH_BUILD:-$root/build-bench}
if [ ! -x "$root/node_modules/.bin/jco" ]; then
  (cd "$root" && npm ci --no-audit --no-fund >/dev/null)
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="${CXX:-g++-12}" -DCMAKE_BUILD_TYPE=Release \
  -DRILL_BENCH=ON -DRILL_TESTS=OFF >/dev/null
ninja -C "$build" -j2 rill_component_bench >/dev/null
exec "$build/bench/rill_component_bench" --benchmark_min_time=0.5 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true "$@"
