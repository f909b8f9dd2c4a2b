#!/usr/bin/env bash
# Measures what the epoch interruption check costs: builds the engine benchmark twice (Release),
# once as shipped and once with the check compiled out (-DRILL_BENCH_NO_EPOCH_CHECK, a
# benchmark-only switch in src/engine/interp/interpreter.cpp), then runs the loop benchmark in
# both, alternating, ROUNDS times (default 3), and prints the best time of each.
# The loop (bench/runtime_bench.cpp, BM_LoopDeadlineOff) is a 1M-iteration counted loop (i64 compare-and-exit, add, br): one
# backward branch, and so one check, per iteration.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
with=$root/build-bench
without=$root/build-bench-noepoch
common=(-G Ninja -DCMAKE_CXX_COMPILER="${CXX:-g++-12}" -DCMAKE_BUILD_TYPE=Release -DRILL_BENCH=ON -DRILL_TESTS=OFF)
cmake -S "$root" -B "$with" "${common[@]}" >/dev/null
cmake -S "$root" -B "$without" "${common[@]}" -DCMAKE_CXX_FLAGS=-DRILL_BENCH_NO_EPOCH_CHECK >/dev/null
ninja -C "$with" -j2 rill_engine_bench >/dev/null
ninja -C "$without" -j2 rill_engine_bench >/dev/null

best() {  # build dir -> best real time (us) of BM_LoopDeadlineOff over one run of 5 repetitions
  "$1/bench/rill_engine_bench" --benchmark_filter='BM_LoopDeadlineOff' --benchmark_repetitions=5 \
    --benchmark_format=json 2>/dev/null |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(min(b["real_time"] for b in d["benchmarks"] if b.get("run_type")=="iteration"))'
}
w=1e18; wo=1e18
for ((i = 0; i < rounds; i++)); do
  a=$(best "$with"); b=$(best "$without")
  w=$(python3 -c "print(min($w, $a))"); wo=$(python3 -c "print(min($wo, $b))")
done
python3 - "$w" "$wo" <<'PY'
import sys
w, wo = float(sys.argv[1]), float(sys.argv[2])
print("| build | 1M-iteration loop (best) | per iteration |")
print("|---|---:|---:|")
print(f"| with epoch check (shipped) | {w:.0f} us | {w * 1000 / 1e6:.2f} ns |")
print(f"| check compiled out | {wo:.0f} us | {wo * 1000 / 1e6:.2f} ns |")
print(f"\ncheck cost: {(w / wo - 1) * 100:+.1f} % on a loop of three interpreter instructions (compare-and-exit, add, back-branch)")
PY
