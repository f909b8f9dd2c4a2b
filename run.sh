#!/usr/bin/env bash
# Rill's one entry point for set-up, build and tests on a fresh Debian (bookworm) machine.
#   ./run.sh test    install dependencies (apt; the pinned jco with `npm ci`), build (g++-12, and
#                    clang-19 for the sources; -Werror), run all tests, then the ASan+UBSan build
#                    (clang-19, -Werror, tests included) and its tests,
#                    the layer check, and a short fuzz smoke run (FUZZ_SECONDS per target,
#                    default 10).
#   ./run.sh spec    install dependencies, build, and run the core spec suite and then the
#                    component-model suite through `rill wast` (known failures:
#                    tests/spec/expected_failures.txt, tests/component/spec_expected_failures.txt).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
JOBS=${JOBS:-$(nproc)}

APT_PACKAGES=(cmake ninja-build g++-12 clang-19 lld-19 libclang-rt-19-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libcli11-dev libfmt-dev libboost-dev
  libboost-context-dev libspdlog-dev wrk curl wasi-libc libclang-rt-19-dev-wasm32 python3)

install_deps() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "run.sh: installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The pinned jco (package.json, package-lock.json) that builds the component test guests.
# Reinstalled only when node_modules is missing or older than the lock file.
install_node_tools() {
  if ! command -v npm >/dev/null; then
    echo "run.sh: installing nodejs npm"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
  fi
  local stamp=node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
    npm ci --no-audit --no-fund
  fi
}

configure_build() {  # dir, compiler, extra cmake args... (RILL_TARGETS: what to build; default all)
  local dir=$1 cxx=$2; shift 2
  local cc
  case "$cxx" in
    clang++*) cc=clang${cxx#clang++} ;;
    g++*) cc=gcc${cxx#g++} ;;
    *) cc=cc ;;
  esac
  cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DRILL_WERROR=ON "$@" >/dev/null
  # shellcheck disable=SC2086
  ninja -C "$dir" -j "$JOBS" ${RILL_TARGETS:-}
}

cmd=${1:-spec}
case "$cmd" in
  test)
    install_deps
    install_node_tools
    tools/check_layers.sh
    configure_build build g++-12
    # clang -O2, -Werror, of the sources (src/, the rill binary); the tests are compiled with
    # clang -Werror by the sanitizer build just after, so they are not built twice.
    RILL_TARGETS=rill configure_build build-clang clang++-19
    configure_build build-asan clang++-19 -DRILL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    fuzz/smoke.sh "${FUZZ_SECONDS:-10}"  # six targets; longer runs by hand (fuzz/smoke.sh 600)
    ctest --test-dir build --output-on-failure -j "$JOBS"
    # The sanitizer run comes last so its ctest summary closes the output.
    ASAN_OPTIONS=allow_user_segv_handler=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      ctest --test-dir build-asan --output-on-failure -j "$JOBS"
    ;;
  spec)
    install_deps
    configure_build build g++-12
    if [ ! -d ../shared/testsuite/core ]; then
      echo "shared test suite not found, skipping"
      exit 0
    fi
    # --isolate: one process per script, so an engine crash fails one script, not the whole run.
    ./build/rill wast --isolate --expected-failures tests/spec/expected_failures.txt \
      ../shared/testsuite/core/*.json
    if [ -d ../shared/testsuite/component ]; then
      # The component-model suite; known failures (async/ only) are listed with reasons.
      ./build/rill wast --isolate --expected-failures tests/component/spec_expected_failures.txt \
        ../shared/testsuite/component/*/*.json
    fi
    ;;
  *)
    echo "usage: ./run.sh test|spec" >&2
    exit 2
    ;;
esac
