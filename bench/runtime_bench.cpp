// Runtime costs through the public API: store creation, instantiation (small module, module with
// a memory), host->wasm calls (typed and untyped), wasm->host calls, and a loop-heavy function
// with and without an armed epoch deadline (the cost of the interruption check).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>

#include "bench_modules.h"
#include "rill/rill.h"

namespace {

using rill::bench::kLoopWasm;
using rill::bench::kMemoryWasm;
using rill::bench::compile_or_die;
using rill::bench::kSmallWasm;
using rill::bench::SmallInstance;

void BM_StoreCreate(benchmark::State& state) {
  rill::Engine engine;
  for (auto _ : state) {
    rill::Store store(engine);
    benchmark::DoNotOptimize(&store);
  }
}
BENCHMARK(BM_StoreCreate);

/// A fresh Store per instance (the per-request pattern); includes store creation and teardown.
void instantiate_fresh_store(benchmark::State& state, std::span<const uint8_t> bytes) {
  rill::Engine engine;
  rill::Module module = compile_or_die(engine, bytes);
  for (auto _ : state) {
    rill::Store store(engine);
    auto inst = rill::Instance::create(store, module, {});
    if (!inst) {
      state.SkipWithError(inst.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(inst);
  }
}
void BM_InstantiateSmall(benchmark::State& state) {
  instantiate_fresh_store(state, kSmallWasm);
}
void BM_InstantiateMemory(benchmark::State& state) {
  instantiate_fresh_store(state, kMemoryWasm);
}
BENCHMARK(BM_InstantiateSmall);
BENCHMARK(BM_InstantiateMemory);

/// Many instances in one Store (instantiation alone); the store is replaced every 4096 instances.
void BM_InstantiateSmallSharedStore(benchmark::State& state) {
  rill::Engine engine;
  rill::Module module = compile_or_die(engine, kSmallWasm);
  std::optional<rill::Store> store(std::in_place, engine);
  int64_t in_store = 0;
  for (auto _ : state) {
    if (++in_store == 4096) {
      state.PauseTiming();
      store.emplace(engine);
      in_store = 0;
      state.ResumeTiming();
    }
    auto inst = rill::Instance::create(*store, module, {});
    benchmark::DoNotOptimize(inst);
  }
}
BENCHMARK(BM_InstantiateSmallSharedStore);

void BM_CallTypedTrivial(benchmark::State& state) {
  SmallInstance s;
  auto answer = *s.inst.func<int32_t()>("answer");
  for (auto _ : state) {
    auto r = answer();
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_CallTypedTrivial);

void BM_CallTypedAdd(benchmark::State& state) {
  SmallInstance s;
  auto add = *s.inst.func<int32_t(int32_t, int32_t)>("add");
  int32_t x = 0;
  for (auto _ : state) {
    auto r = add(x, 1);
    x = *r;
  }
  benchmark::DoNotOptimize(x);
}
BENCHMARK(BM_CallTypedAdd);

void BM_CallUntypedAdd(benchmark::State& state) {
  SmallInstance s;
  rill::Func add = *s.inst.func("add");
  rill::Val args[2] = {rill::Val::from_i32(1), rill::Val::from_i32(2)};
  for (auto _ : state) {
    auto r = add.call(args);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_CallUntypedAdd);

struct LoopInstance {
  rill::Engine engine;
  rill::Store store{engine};
  rill::Linker linker;
  std::optional<rill::Instance> inst;
  LoopInstance() {
    linker.func("env", "host", [](int32_t x) -> int32_t { return x + 1; });
    auto i = linker.instantiate(store, compile_or_die(engine, kLoopWasm));
    if (!i)
      std::abort();
    inst = *i;
  }
};

/// wasm -> host calls: one iteration is 1000 calls of a typed host function from a wasm loop.
void BM_WasmToHostCall(benchmark::State& state) {
  LoopInstance s;
  auto call_host = *s.inst->func<int32_t(int32_t)>("call_host");
  for (auto _ : state) {
    auto r = call_host(1000);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_WasmToHostCall);

/// A counting loop of state.range(0) iterations; items = loop iterations. {armed}: a far epoch
/// deadline is set, so every loop header compares the epoch without ever trapping. The engine has
/// no Config switch that removes the check, so "off" still runs it against a disabled deadline.
void loop(benchmark::State& state, bool armed) {
  LoopInstance s;
  s.store.set_epoch_deadline(armed ? uint64_t{1} << 40 : UINT64_MAX);
  auto count = *s.inst->func<int64_t(int64_t)>("count");
  const int64_t n = state.range(0);
  for (auto _ : state) {
    auto r = count(n);
    if (!r) {
      state.SkipWithError(r.trap().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * n);
}
void BM_LoopDeadlineOff(benchmark::State& state) {
  loop(state, false);
}
void BM_LoopDeadlineArmed(benchmark::State& state) {
  loop(state, true);
}
BENCHMARK(BM_LoopDeadlineOff)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LoopDeadlineArmed)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

}  // namespace
