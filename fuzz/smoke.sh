#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-19, -DRILL_FUZZ=ON, in build-fuzz/) and runs each for N seconds.
# Usage: fuzz/smoke.sh [SECONDS=30]. Corpus: fuzz/corpus/<target>/ (the seeds of seeds.cpp, written
# by `build-fuzz/fuzz/fuzz_seeds fuzz/corpus/<target>`; for fuzz_component_decode those of
# component_seeds.cpp, by fuzz_component_seeds; fuzz_wave's are hand-written text, fuzz_canon_abi's
# hand-made bytes (type, encoding, pointer, flat values, memory)) plus a sample of ../shared/testsuite/core/*.wasm
# (every ../shared/testsuite/component/**/*.wasm for the component target) when that exists
# (linked from a temporary directory, never copied into the repo). RILL_FUZZ_JOBS sets ninja's -j.
# Exits non-zero on a crash, leak, OOM or timeout; the reproducer is kept in build-fuzz/artifacts/.
set -euo pipefail
secs=${1:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RILL_FUZZ_BUILD:-$root/build-fuzz}
shared=$root/../shared/testsuite/core
shared_component=$root/../shared/testsuite/component
sample=${RILL_FUZZ_SHARED_SAMPLE:-300}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 -DCMAKE_C_COMPILER=clang-19 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRILL_FUZZ=ON -DRILL_TESTS=OFF >/dev/null
ninja -C "$build" -j"${RILL_FUZZ_JOBS:-2}" fuzz_decode_validate fuzz_instantiate_run fuzz_seeds \
  fuzz_component_decode fuzz_component_seeds fuzz_component_instantiate fuzz_wave fuzz_canon_abi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/seeds" "$build/artifacts"
"$build/fuzz/fuzz_seeds" "$work/seeds" >/dev/null
mkdir -p "$work/component_seeds"
"$build/fuzz/fuzz_component_seeds" "$work/component_seeds" >/dev/null
extra=()
component_extra=()
if [ -d "$shared_component" ]; then
  mkdir -p "$work/shared_component"
  find "$shared_component" -name '*.wasm' | sort | awk '{ print NR " " $0 }' |
    while read -r n f; do ln -s "$f" "$work/shared_component/$n.wasm"; done
  component_extra+=("$work/shared_component")
fi
if [ -d "$shared" ]; then
  mkdir -p "$work/shared"
  total=$(find "$shared" -maxdepth 1 -name '*.wasm' | wc -l)
  step=$(( total / sample > 0 ? total / sample : 1 ))
  # A deterministic spread over the suite: every step-th file, linked (not copied).
  find "$shared" -maxdepth 1 -name '*.wasm' | sort | awk -v s="$step" 'NR % s == 0' |
    while read -r f; do ln -s "$f" "$work/shared/"; done
  extra+=("$work/shared")
fi

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
status=0
for target in fuzz_decode_validate fuzz_instantiate_run fuzz_component_decode fuzz_component_instantiate fuzz_wave fuzz_canon_abi; do
  mkdir -p "$work/$target"
  seeds=$work/seeds
  inputs=("${extra[@]}")
  if [ "$target" = fuzz_component_decode ] || [ "$target" = fuzz_component_instantiate ]; then
    seeds=$work/component_seeds
    inputs=("${component_extra[@]}")
  fi
  corpus_dir=$root/fuzz/corpus/$target
  [ "$target" = fuzz_component_instantiate ] && corpus_dir=$root/fuzz/corpus/fuzz_component_decode
  if [ "$target" = fuzz_wave ] || [ "$target" = fuzz_canon_abi ]; then
    seeds=$corpus_dir  # hand-written seeds, checked in; no seed writer
    inputs=()
  fi
  if ! diff -rq "$seeds" "$corpus_dir" >/dev/null; then
    echo "warning: fuzz/corpus/$target differs from its seed writer; regenerate it"
  fi
  echo "== $target: ${secs}s"
  if ! "$build/fuzz/$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
      "$work/$target" "$corpus_dir" "${inputs[@]}" 2>"$work/$target.log"; then
    tail -n 60 "$work/$target.log"
    echo "FAIL: $target (artifacts in $build/artifacts/)"
    status=1
    continue
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|INITED|DONE" "$work/$target.log" | tail -n 4
  echo "ok: $target"
done
exit $status
