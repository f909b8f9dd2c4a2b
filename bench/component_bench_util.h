// Shared by the component benchmarks (component_bench.cpp, async_bench.cpp).
#pragma once

#include <benchmark/benchmark.h>

#include <vector>

#include "rill/component.h"

namespace rill::bench {

/// Calls {f} with {args} once per iteration; a trap ends the benchmark with its message.
inline bool call_loop(benchmark::State& state, const rill::ComponentFunc& f, const std::vector<rill::Value>& args) {
  for (auto _ : state) {
    auto r = f.call(args);
    if (!r) {
      state.SkipWithError(r.trap().message.c_str());
      return false;
    }
    benchmark::DoNotOptimize(r);
  }
  return true;
}

}  // namespace rill::bench
