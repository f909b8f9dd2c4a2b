// Decode+validate and full compile (decode+validate+translate) throughput in bytes/s, on the
// largest valid module of the spec suite (../shared), a clang-compiled module (big.wasm) and a
// synthetic one. Holds main(): inputs are found at run time, so benchmarks are registered then.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "rill/rill.h"
#include "rill/wasm/decoder.h"
#include "rill/wasm/validator.h"
#include "synth_module.h"

namespace {

struct Input {
  std::string name;
  std::vector<uint8_t> bytes;
};

std::vector<uint8_t> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The largest .wasm of the spec suite that decodes and validates (none when ../shared is absent).
std::vector<Input> spec_inputs() {
  std::filesystem::path dir = std::filesystem::path(RILL_SHARED_DIR) / "testsuite" / "core";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return {};
  std::vector<std::pair<uintmax_t, std::filesystem::path>> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".wasm")
      files.emplace_back(e.file_size(ec), e.path());
  }
  std::sort(files.rbegin(), files.rend());
  for (const auto& [size, path] : files) {
    std::vector<uint8_t> bytes = read_file(path);
    auto m = rill::wasm::decode_module(bytes);
    if (!m || !rill::wasm::validate_module(**m))
      continue;
    return {Input{"spec:" + path.filename().string(), std::move(bytes)}};
  }
  return {};
}

/// big.wasm, clang-19's build of gen_big_c.py's C (target rill_bench_big_wasm, made by
/// run_engine.sh): from $RILL_BENCH_BIG_WASM, else the build tree's default. None when missing.
std::vector<Input> big_inputs() {
  const char* env = std::getenv("RILL_BENCH_BIG_WASM");
  const std::filesystem::path path = env && *env ? env : RILL_BENCH_BIG_WASM;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    std::fprintf(stderr,
                 "note: skipping decode_validate/big and compile/big: %s not found "
                 "(bench/run_engine.sh builds it; or set RILL_BENCH_BIG_WASM)\n",
                 path.c_str());
    return {};
  }
  return {Input{"big", read_file(path)}};
}

void decode_validate(benchmark::State& state, const Input* in) {
  for (auto _ : state) {
    auto m = rill::wasm::decode_module(in->bytes);
    if (!m) {
      state.SkipWithError(m.error().to_string().c_str());
      return;
    }
    auto ok = rill::wasm::validate_module(**m);
    if (!ok) {
      state.SkipWithError(ok.error().to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in->bytes.size()));
}

void compile(benchmark::State& state, const Input* in) {
  rill::Engine engine;
  for (auto _ : state) {
    auto m = rill::Module::compile(engine, in->bytes);
    if (!m) {
      state.SkipWithError(m.error().to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in->bytes.size()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  static std::vector<Input> inputs = spec_inputs();
  for (Input& in : big_inputs())
    inputs.push_back(std::move(in));
  inputs.push_back(Input{"synthetic", rill::bench::synth_module()});
  for (const Input& in : inputs) {
    const std::string label = in.name + " (" + std::to_string(in.bytes.size()) + " B)";
    benchmark::RegisterBenchmark(("decode_validate/" + label).c_str(), decode_validate, &in)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("compile/" + label).c_str(), compile, &in)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
