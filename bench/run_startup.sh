#!/usr/bin/env bash
# Startup-to-exit of a hello-world program, process start included: `rill run` of a WASI 0.2
# component (guests/component/hello.c through jco's preview1 adapter) and of the same C program
# as a preview1 core module, next to wasm3 and WAMR on the core module (../shared/peers, when
# present) and /bin/true (the cost of starting any process here). Release build in build-bench/.
# Usage: bench/run_startup.sh [runs]   (default 200 runs per program; prints median, p10, p90)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RILL_BENCH_BUILD:-$root/build-bench}
runs=${1:-200}
if [ ! -x "$root/node_modules/.bin/jco" ]; then
  (cd "$root" && npm ci --no-audit --no-fund >/dev/null)
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="${CXX:-g++-12}" -DCMAKE_BUILD_TYPE=Release \
  -DRILL_BENCH=ON -DRILL_TESTS=OFF >/dev/null
ninja -C "$build" -j2 rill >/dev/null
out=$build/startup
mkdir -p "$out"
clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-debug "$root/guests/component/hello.c" -o "$out/hello.core.wasm"
node "$root/node_modules/@bytecodealliance/jco/dist/jco.js" new "$out/hello.core.wasm" --wasi-command -o "$out/hello.component.wasm" >/dev/null
peers=$root/../shared/peers/bin
python3 - "$runs" "$build/rill" "$out" "$peers" <<'PY'
import os, subprocess, sys, time
runs, rill, out, peers = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
progs = [
    ("rill run hello.component.wasm (WASI 0.2)", [rill, "run", f"{out}/hello.component.wasm"]),
    ("rill run hello.core.wasm (preview1)", [rill, "run", f"{out}/hello.core.wasm"]),
]
for name, binary in (("wasm3", "wasm3"), ("iwasm fast-interp", "iwasm-fastinterp")):
    if os.path.exists(f"{peers}/{binary}"):
        progs.append((f"{name} hello.core.wasm", [f"{peers}/{binary}", f"{out}/hello.core.wasm"]))
progs.append(("/bin/true", ["/bin/true"]))
print(f"{'program':44} {'median':>9} {'p10':>9} {'p90':>9}   ({runs} runs, interleaved)")
times = {name: [] for name, _ in progs}
for _ in range(runs):
    for name, cmd in progs:  # interleaved, so load changes hit every program alike
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times[name].append(time.perf_counter() - t)
for name, _ in progs:
    ts = sorted(times[name])
    pick = lambda q: ts[min(len(ts) - 1, int(q * len(ts)))] * 1e3
    print(f"{name:44} {pick(0.5):7.2f}ms {pick(0.1):7.2f}ms {pick(0.9):7.2f}ms")
PY
