#!/usr/bin/env bash
# Compute-kernel benchmark: builds bench/kernels/*.c natively (clang-19 -O2) and as wasm32-wasi
# (clang-19 -O2, scalar: no -msimd128) into build-bench/kernels/, then times every kernel under
# each runtime IN ONE RUN, interleaved (for each kernel, N rounds; each round runs every runtime
# once, in an order rotated by one per round), checks that each runtime's stdout equals the
# native build's, and prints Markdown tables: seconds, ratio to native, ratio to wasm3, each with
# a geometric-mean row.
#
# Runtimes (a column is "n/a" when its binary is missing or fails a hello-world probe):
#   native            build-bench/kernels/K.native
#   rill              $RILL run K.wasm    (RILL defaults to build/rill; not built here; a copy
#                     made at the start is what runs, so a rebuild mid-run changes nothing)
#   node              node --no-warnings bench/kernels/node_wasi.mjs K.wasm   (V8 via node:wasi)
#   wasm3             ../shared/peers/bin/wasm3 K.wasm
#   iwasm-fastinterp  ../shared/peers/bin/iwasm-fastinterp K.wasm
#   iwasm-fastjit     ../shared/peers/bin/iwasm-fastjit --fast-jit K.wasm
#
# Times are wall time of the whole process (time.perf_counter around subprocess.run), so process
# start-up, module decoding/compilation (and for node, V8 start-up, ~40 ms) are included; the
# kernels run ~0.3-0.6 s natively, so start-up is a small share for the wasm runtimes.
#
# Usage: bench/run.sh [-n N] [--stat min|median] [--only k1,k2] [--runtimes r1,r2]
#                     [--timeout SECONDS] [--write] [--list]
#   -n N         rounds per kernel (default 3)
#   --stat       min = best of N (default), median = median of N
#   --only       kernels to run (file names without .c), comma-separated
#   --runtimes   runtimes to time (names above; native is always run, it gives the reference)
#   --timeout    per-process limit in seconds (default 300); a run over it is TIMEOUT
#   --write      append the tables, with date, git rev, load average and the command, to
#                bench/RESULTS.md (or $RILL_BENCH_RESULTS) under "## Kernels (bench/run.sh)"
# A failed run (non-zero exit, output different from native's, timeout) is shown as FAIL/TIMEOUT
# in the table and that runtime is not run again for that kernel.
# Everything runs one process at a time (the machines have 2 shared cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kdir=$root/bench/kernels
out=${RILL_BENCH_KERNELS_OUT:-$root/build-bench/kernels}
peers=${RILL_PEERS:-$root/../shared/peers/bin}
rill=${RILL:-$root/build/rill}
cc=${CC_BENCH:-clang-19}
native_flags=(-O2)
wasm_flags=(--target=wasm32-wasi --sysroot=/usr -O2)

rounds=3 stat=min only="" runtimes="" timeout=300 write=0
orig_args=("$@")
die() { echo "bench/run.sh: $*" >&2; exit 2; }
while (($#)); do
  case "$1" in
    -n) rounds=${2:?}; shift 2 ;;
    --stat) stat=${2:?}; shift 2 ;;
    --only) only=${2:?}; shift 2 ;;
    --runtimes) runtimes=${2:?}; shift 2 ;;
    --timeout) timeout=${2:?}; shift 2 ;;
    --write) write=1; shift ;;
    --list) for f in "$kdir"/*.c; do basename "$f" .c; done; exit 0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "-n needs a positive integer"
[[ $stat == min || $stat == median ]] || die "--stat is min or median"

# Toolchain (Debian packages), installed when missing and root, as bench/run_engine.sh does.
pkgs=(clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || die "${missing[*]} missing (apt-get install them as root)"
  echo "bench/run.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq "${missing[@]}" || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }; } >/dev/null
fi

kernels=()
if [[ -n $only ]]; then
  IFS=, read -r -a kernels <<<"$only"
  for k in "${kernels[@]}"; do [[ -f $kdir/$k.c ]] || die "no kernel $k (bench/kernels/$k.c); see --list"; done
else
  for f in "$kdir"/*.c; do kernels+=("$(basename "$f" .c)"); done
fi

# Build (one compiler at a time). Rebuilt when the source or this script is newer.
mkdir -p "$out"
build() {  # src dst flags...
  local src=$1 dst=$2; shift 2
  if [[ ! -f $dst || $src -nt $dst || $0 -nt $dst ]]; then
    "$cc" "$@" -o "$dst" "$src" -lm
  fi
}
t_build=$(date +%s.%N)
for k in "${kernels[@]}"; do
  build "$kdir/$k.c" "$out/$k.native" "${native_flags[@]}"
  build "$kdir/$k.c" "$out/$k.wasm" "${wasm_flags[@]}"
done
# The probe: a runtime whose output for this is not "probe ok" gets an n/a column.
printf '#include <stdio.h>\nint main(void) { puts("probe ok"); return 0; }\n' >"$out/probe.c.new"
if ! cmp -s "$out/probe.c.new" "$out/probe.c" 2>/dev/null; then mv "$out/probe.c.new" "$out/probe.c"; else rm -f "$out/probe.c.new"; fi
build "$out/probe.c" "$out/probe.wasm" "${wasm_flags[@]}"
t_build=$(python3 -c "import time; print(f'{time.time() - $t_build:.1f}')")
echo "bench/run.sh: built ${#kernels[@]} kernels in $out (${t_build} s)" >&2

# Time a copy of the rill binary, so a rebuild of build/ during the run changes nothing mid-run.
rill_run=$rill rill_info="not found"
if [[ -x $rill ]]; then
  rill_info="$(realpath --relative-to="$root" "$rill" 2>/dev/null || echo "$rill"), built $(date -u -r "$rill" '+%Y-%m-%d %H:%M UTC')"
  cp "$rill" "$out/rill.snapshot" && rill_run=$out/rill.snapshot
fi

cmdline="bench/run.sh${orig_args[*]:+ ${orig_args[*]}}"
python3 - "$root" "$out" "$peers" "$rill_run" "$rill_info" "$rounds" "$stat" "$timeout" "$write" "$runtimes" \
  "$cmdline" "$cc ${native_flags[*]}" "$cc ${wasm_flags[*]}" "${kernels[@]}" <<'PY'
import datetime, math, os, shutil, statistics, subprocess, sys, time

(root, out, peers, rill, rill_info, rounds, stat, timeout, write, want_rts, cmdline, native_cc,
 wasm_cc) = sys.argv[1:14]
kernels = sys.argv[14:]
rounds, timeout, write = int(rounds), float(timeout), write == "1"
node_runner = os.path.join(root, "bench", "kernels", "node_wasi.mjs")
t_start = time.time()
load_start = os.getloadavg()

def peer(name):
    return os.path.join(peers, name)

# name -> (argv prefix before the module, argv after it, binary that must exist)
RUNTIMES = [
    ("native", None, None),
    ("rill", [rill, "run"], rill),
    ("node", [shutil.which("node") or "node", "--no-warnings", node_runner], shutil.which("node")),
    ("wasm3", [peer("wasm3")], peer("wasm3")),
    ("iwasm-fastinterp", [peer("iwasm-fastinterp")], peer("iwasm-fastinterp")),
    ("iwasm-fastjit", [peer("iwasm-fastjit"), "--fast-jit"], peer("iwasm-fastjit")),
]
names = [r[0] for r in RUNTIMES]
if want_rts:
    sel = want_rts.split(",")
    for s in sel:
        if s not in names:
            sys.exit(f"bench/run.sh: unknown runtime {s}; one of {','.join(names)}")
    RUNTIMES = [r for r in RUNTIMES if r[0] == "native" or r[0] in sel]
    names = [r[0] for r in RUNTIMES]

def argv_for(rt, kernel):
    name, prefix, _ = rt
    if name == "native":
        return [os.path.join(out, kernel + ".native")]
    return prefix + [os.path.join(out, kernel + ".wasm")]

def run(argv):
    """-> (seconds, returncode or 'timeout', stdout, stderr tail)"""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - t0, "timeout", b"", b""
    except OSError as e:
        return time.perf_counter() - t0, f"cannot start: {e.strerror}", b"", b""
    return time.perf_counter() - t0, p.returncode, p.stdout, p.stderr[-300:]

# Probe each runtime with a hello world; a failure makes the whole column n/a.
unavailable = {}
for rt in RUNTIMES[1:]:
    name, prefix, binary = rt
    if not binary or not os.access(binary, os.X_OK):
        unavailable[name] = f"{binary or name} not found"
        continue
    _, rc, so, se = run(prefix + [os.path.join(out, "probe.wasm")])
    if rc != 0 or so != b"probe ok\n":
        why = se.decode(errors="replace").strip().splitlines()
        unavailable[name] = f"probe failed (exit {rc}{': ' + why[-1][:120] if why else ''})"
for name, why in unavailable.items():
    print(f"bench/run.sh: {name}: n/a, {why}", file=sys.stderr)
active = [rt for rt in RUNTIMES if rt[0] not in unavailable]

# results[kernel][runtime] = list of seconds, or a failure string
results = {k: {} for k in kernels}
failures = []
for k in kernels:
    expected = None
    for r in range(rounds):
        order = active[r % len(active):] + active[:r % len(active)] if r else active
        for rt in order:
            name = rt[0]
            cell = results[k].setdefault(name, [])
            if isinstance(cell, str):
                continue
            secs, rc, so, se = run(argv_for(rt, k))
            if name == "native" and expected is None:
                expected = so
            why = None
            if rc == "timeout":
                why = f"TIMEOUT (>{timeout:g} s)"
            elif rc != 0:
                why = f"FAIL (exit {rc})"
            elif so != expected:
                why = "FAIL (output)"
            if why:
                results[k][name] = why
                detail = se.decode(errors="replace").strip().splitlines()
                failures.append(f"{k} / {name}: {why}" +
                                (f"; stdout {so[:160]!r} expected {expected[:160]!r}" if why == "FAIL (output)" else "") +
                                (f"; stderr: {detail[-1][:160]}" if detail else ""))
                print(f"  {k:15} {name:17} round {r + 1}/{rounds}  {why}", file=sys.stderr)
                continue
            cell.append(secs)
            print(f"  {k:15} {name:17} round {r + 1}/{rounds}  {secs:8.3f} s", file=sys.stderr)
    first = expected.decode(errors="replace").strip() if expected else ""
    print(f"{k}: {first}", file=sys.stderr)

def value(k, name):
    c = results[k].get(name)
    if isinstance(c, list) and c:
        return min(c) if stat == "min" else statistics.median(c)
    return None

def cell_time(k, name):
    if name in unavailable:
        return "n/a"
    c = results[k].get(name)
    if isinstance(c, str):
        return c
    v = value(k, name)
    return f"{v:.3f}" if v is not None else "n/a"

def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None

def gm_cell(xs, fmt):
    vals = [x for x in xs if x is not None]
    g = geomean(vals)
    if g is None:
        return "n/a"
    s = fmt(g)
    return s if len(vals) == len(xs) else f"{s} ({len(vals)}/{len(xs)})"

lines = []
hdr = "| kernel | " + " | ".join(names) + " |"
sep = "|---|" + "---:|" * len(names)
lines += [f"Seconds per run ({'best' if stat == 'min' else 'median'} of {rounds}, wall time of the whole process):", "", hdr, sep]
for k in kernels:
    lines.append(f"| {k} | " + " | ".join(cell_time(k, n) for n in names) + " |")
lines.append("| **geomean** | " + " | ".join(
    "n/a" if n in unavailable else gm_cell([value(k, n) for k in kernels], lambda g: f"{g:.3f}")
    for n in names) + " |")

def ratio_table(title, base):
    wasm_names = [n for n in names if n != base]
    out = ["", title, "", "| kernel | " + " | ".join(wasm_names) + " |", "|---|" + "---:|" * len(wasm_names)]
    per = {n: [] for n in wasm_names}
    for k in kernels:
        b = value(k, base)
        cells = []
        for n in wasm_names:
            v = value(k, n)
            if n in unavailable:
                cells.append("n/a"); per[n].append(None); continue
            if v is None or b is None:
                c = results[k].get(n)
                # the runtime's own failure, else "-" for a missing base
                cells.append(c if isinstance(c, str) else "-" if v is not None else "n/a")
                per[n].append(None); continue
            per[n].append(v / b)
            cells.append(f"{v / b:.2f}")
        out.append(f"| {k} | " + " | ".join(cells) + " |")
    out.append("| **geomean** | " + " | ".join(
        "n/a" if n in unavailable else gm_cell(per[n], lambda g: f"**{g:.2f}**") for n in wasm_names) + " |")
    return out

if len(names) > 1:
    lines += ratio_table("Time / native time (lower is better):", "native")
if "wasm3" in names and "wasm3" not in unavailable:
    lines += ratio_table("Time / wasm3 time (below 1 = faster than wasm3):", "wasm3")
notes = []
for name, why in unavailable.items():
    notes.append(f"- {name}: n/a, {why}")
for f in failures:
    notes.append(f"- {f}")
if notes:
    lines += ["", "Notes:"] + notes
geo_note = ("A geomean marked (m/n) is over the m kernels where that runtime (and the base) ran; "
            "\"-\" = the base of that ratio failed.")
lines += ["", geo_note]

elapsed = time.time() - t_start
table = "\n".join(lines)
print(table)
print(f"\nbench/run.sh: timed {len(kernels)} kernels x {len(active)} runtimes x {rounds} rounds in {elapsed:.0f} s", file=sys.stderr)

if write:
    def sh(*a):
        try:
            return subprocess.run(a, capture_output=True, text=True, cwd=root).stdout.strip()
        except OSError:
            return ""
    rev = sh("git", "rev-parse", "--short", "HEAD") or "?"
    dirty = sh("git", "status", "--porcelain", "--untracked-files=no")
    load_end = os.getloadavg()
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip(); break
    except OSError:
        pass
    versions = [sh(native_cc.split()[0], "--version").splitlines()[0] if sh(native_cc.split()[0], "--version") else native_cc]
    if shutil.which("node"):
        versions.append("node " + sh("node", "--version"))
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    entry = [
        f"### {now}, tree at {rev}{' (+ uncommitted changes)' if dirty else ''}",
        "",
        f"Command: `{cmdline}` ({elapsed:.0f} s). Host: {os.cpu_count()} CPUs, {cpu}. "
        f"Load average {load_start[0]:.2f}, {load_start[1]:.2f}, {load_start[2]:.2f} at the start, "
        f"{load_end[0]:.2f}, {load_end[1]:.2f}, {load_end[2]:.2f} at the end.",
        f"Builds: native `{native_cc}`, wasm `{wasm_cc}`; {'; '.join(versions)}; "
        f"rill = `build/rill run` ({rill_info}; a copy of it is timed); peers from `../shared/peers/bin` (see its README).",
        "",
        table,
        "",
    ]
    path = os.environ.get("RILL_BENCH_RESULTS") or os.path.join(root, "bench", "RESULTS.md")
    heading = "## Kernels (bench/run.sh)"
    text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
    intro = ("\nbench/kernels/*.c (see bench/kernels/README.md) natively and as wasm32-wasi under each\n"
             "runtime, timed interleaved in one run; wall time of whole processes (start-up included).\n")
    if heading not in text:
        text = text.rstrip("\n") + "\n\n" + heading + "\n" + intro + "\n" + "\n".join(entry)
    else:
        start = text.index(heading) + len(heading)
        nxt = text.find("\n## ", start)
        end = len(text) if nxt < 0 else nxt + 1
        section = text[:end].rstrip("\n") + "\n\n" + "\n".join(entry)
        text = section + ("\n" + text[end:] if nxt >= 0 else "")
    with open(path, "w") as f:
        f.write(text if text.endswith("\n") else text + "\n")
    shown = os.path.relpath(path, root) if os.path.abspath(path).startswith(root + os.sep) else path
    print(f"bench/run.sh: appended to {shown}", file=sys.stderr)
PY
