// Native fibers (engine/fiber.h): a switch round trip (resume + suspend: what one task switch
// costs a scheduler loop), creating and finishing a fiber (pooled stack), and the typed `add`
// call of runtime_bench.cpp's BM_CallTypedAdd made on a fiber: on a fiber spawned per call (what
// an async-capable store would do per guest entry) and on one long-lived fiber resumed per call.
// Compare with BM_CallTypedAdd from the same run.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "bench_modules.h"
#include "rill/engine/fiber.h"
#include "rill/rill.h"

namespace {

using rill::engine::Fiber;

std::unique_ptr<Fiber> fiber_or_die(Fiber::Entry entry) {
  auto f = Fiber::create(std::move(entry));
  if (!f) {
    std::fprintf(stderr, "fiber: %s\n", f.error().to_string().c_str());
    std::abort();
  }
  return std::move(f).value();
}

/// One iteration: resume a fiber that suspends at once (two context switches).
void BM_FiberSwitchRoundTrip(benchmark::State& state) {
  bool stop = false;
  uint64_t n = 0;
  std::unique_ptr<Fiber> f = fiber_or_die([&] {
    while (!stop) {
      ++n;
      Fiber::suspend();
    }
  });
  for (auto _ : state) f->resume();
  stop = true;
  f->resume();
  benchmark::DoNotOptimize(n);
  state.SetItemsProcessed(state.iterations() * 2);  // items: one-way switches
}
BENCHMARK(BM_FiberSwitchRoundTrip);

/// Two tasks yielding to each other through a scheduler loop: one iteration is one switch away
/// from each task and back (A runs, yields, B runs, yields).
void BM_FiberTwoTasksYielding(benchmark::State& state) {
  bool stop = false;
  uint64_t a = 0;
  uint64_t b = 0;
  auto task = [&stop](uint64_t& count) {
    return [&stop, &count] {
      while (!stop) {
        ++count;
        Fiber::suspend();
      }
    };
  };
  std::unique_ptr<Fiber> fa = fiber_or_die(task(a));
  std::unique_ptr<Fiber> fb = fiber_or_die(task(b));
  for (auto _ : state) {
    fa->resume();
    fb->resume();
  }
  stop = true;
  fa->resume();
  fb->resume();
  benchmark::DoNotOptimize(a + b);
  state.SetItemsProcessed(state.iterations() * 2);  // items: task switches
}
BENCHMARK(BM_FiberTwoTasksYielding);

/// Create a fiber (stack from the pool), run its empty entry to the end, destroy it.
void BM_FiberCreateRunDestroy(benchmark::State& state) {
  uint64_t n = 0;
  for (auto _ : state) {
    std::unique_ptr<Fiber> f = fiber_or_die([&n] { ++n; });
    f->resume();
  }
  benchmark::DoNotOptimize(n);
}
BENCHMARK(BM_FiberCreateRunDestroy);

/// BM_CallTypedAdd's call, each on a new fiber run to completion.
void BM_CallTypedAddFiberPerCall(benchmark::State& state) {
  rill::bench::SmallInstance s;
  auto add = *s.inst.func<int32_t(int32_t, int32_t)>("add");
  int32_t x = 0;
  for (auto _ : state) {
    std::unique_ptr<Fiber> f = fiber_or_die([&] { x = *add(x, 1); });
    f->resume();
  }
  benchmark::DoNotOptimize(x);
}
BENCHMARK(BM_CallTypedAddFiberPerCall);

/// BM_CallTypedAdd's call on one long-lived fiber, resumed for each call.
void BM_CallTypedAddOnResidentFiber(benchmark::State& state) {
  rill::bench::SmallInstance s;
  auto add = *s.inst.func<int32_t(int32_t, int32_t)>("add");
  int32_t x = 0;
  bool stop = false;
  std::unique_ptr<Fiber> f = fiber_or_die([&] {
    while (!stop) {
      x = *add(x, 1);
      Fiber::suspend();
    }
  });
  for (auto _ : state) f->resume();
  stop = true;
  f->resume();
  benchmark::DoNotOptimize(x);
}
BENCHMARK(BM_CallTypedAddOnResidentFiber);

}  // namespace
