// Component-Model async costs (issue: async host->guest call vs the sync call, a guest->guest
// call lowered async vs sync, a task switch, stream<u8> between components), through the
// public API on bench/wat/async_bench.wat. Compare rows of one run only (ratios).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "component_bench_util.h"
#include "rill/component.h"
#include "rill/rill.h"

namespace {

using rill::bench::call_loop;

struct AsyncInstance {
  rill::Engine engine;
  rill::Store store{engine};
  rill::Component component;
  rill::ComponentInstance inst;
  AsyncInstance() {
    auto c = rill::Component::compile_file(engine, std::string(RILL_BENCH_WASM_DIR) + "/async_bench.wasm");
    if (!c) {
      std::fprintf(stderr, "async_bench.wasm: %s\n", c.error().to_string().c_str());
      std::abort();
    }
    component = std::move(*c);
    auto i = rill::ComponentLinker().instantiate(store, component);
    if (!i) std::abort();
    inst = *i;
  }
  rill::ComponentFunc func(const char* name) { return *inst.func(name); }
};

/// Host calls of add(a, b) lifted three ways, in one component.
void host_call(benchmark::State& state, const char* name) {
  AsyncInstance s;
  call_loop(state, s.func(name), {rill::Value::u32(1), rill::Value::u32(2)});
}
void BM_AsyncHostCallSync(benchmark::State& state) { host_call(state, "add"); }
void BM_AsyncHostCallCallback(benchmark::State& state) { host_call(state, "add-async"); }
void BM_AsyncHostCallStackful(benchmark::State& state) { host_call(state, "add-stackful"); }
BENCHMARK(BM_AsyncHostCallSync);
BENCHMARK(BM_AsyncHostCallCallback);
BENCHMARK(BM_AsyncHostCallStackful);

/// {name}(n): a guest loop of n calls into the other component; items = calls.
void guest_loop(benchmark::State& state, const char* name, uint32_t per_iter) {
  AsyncInstance s;
  if (call_loop(state, s.func(name), {rill::Value::u32(per_iter)}))
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * per_iter);
}
/// add lowered sync (a sync call of a sync function: inline, no switch).
void BM_GuestCallLoweredSync(benchmark::State& state) { guest_loop(state, "call-sync", 10000); }
/// add-async lowered async (callback ABI, returns before blocking: RETURNED).
void BM_GuestCallLoweredAsync(benchmark::State& state) { guest_loop(state, "call-async", 10000); }
/// Two threads of one task yielding to each other: items = yields (each is a switch).
void BM_TaskSwitchYield(benchmark::State& state) {
  AsyncInstance s;
  const uint32_t n = 10000;
  if (call_loop(state, s.func("yield-pair"), {rill::Value::u32(n)}))
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 2 * n);
}
BENCHMARK(BM_GuestCallLoweredSync);
BENCHMARK(BM_GuestCallLoweredAsync);
BENCHMARK(BM_TaskSwitchYield);

/// stream<u8> from one component to another: 64 MiB in writes and reads of {range} bytes.
void BM_StreamBetweenComponents(benchmark::State& state) {
  AsyncInstance s;
  rill::ComponentFunc f = s.func("pump");
  const uint32_t total = 64u << 20;
  const std::vector<rill::Value> args{rill::Value::u32(total), rill::Value::u32(static_cast<uint32_t>(state.range(0)))};
  for (auto _ : state) {
    auto r = f.call(args);
    if (!r || (*r)[0].as_u64() != total) {
      state.SkipWithError(r ? "short stream" : r.trap().message.c_str());
      return;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * total);
}
BENCHMARK(BM_StreamBetweenComponents)->Arg(4096)->Arg(64 << 10);

}  // namespace
