// Component-model costs through the public API (include/rill/component.h): instantiation of a
// pre-compiled component (with and without a linear memory), the call overhead of a component
// export next to the same core call, and lifting/lowering strings and list<u32> per call and
// per byte (packed lists of numbers and, for comparison, a list of one Value per element).
// Components: bench/wat/simple.wat, tests/component/wat/{strings,hostile_lists}.wat, encoded by jco.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "component_bench_util.h"
#include "rill/component.h"
#include "rill/rill.h"

namespace {

using rill::bench::call_loop;

rill::Component load(const rill::Engine& engine, const char* name) {
  auto c = rill::Component::compile_file(engine, std::string(RILL_BENCH_WASM_DIR) + "/" + name + ".wasm");
  if (!c) {
    std::fprintf(stderr, "bench component %s: %s\n", name, c.error().to_string().c_str());
    std::abort();
  }
  return std::move(*c);
}

rill::ComponentLinker strings_linker() {
  rill::ComponentLinker linker;
  linker.root().func("prefix", [](std::string s) { return "hello, " + s; });
  return linker;
}

/// A fresh Store per instance, created and torn down inside the timed loop (the per-request
/// pattern of a server): the reservation pool then recycles linear memories.
void instantiate_bench(benchmark::State& state, const char* name, rill::ComponentLinker linker) {
  rill::Engine engine;
  rill::Component c = load(engine, name);
  for (auto _ : state) {
    rill::Store store(engine);
    auto inst = linker.instantiate(store, c);
    if (!inst) {
      state.SkipWithError(inst.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(inst);
  }
}
void BM_ComponentInstantiateSimple(benchmark::State& state) {
  instantiate_bench(state, "simple", rill::ComponentLinker());
}
void BM_ComponentInstantiateStrings(benchmark::State& state) {
  instantiate_bench(state, "strings", strings_linker());
}
BENCHMARK(BM_ComponentInstantiateSimple);
BENCHMARK(BM_ComponentInstantiateStrings);

struct StringsInstance {
  rill::Engine engine;
  rill::Store store{engine};
  rill::ComponentInstance inst;
  StringsInstance() {
    auto i = strings_linker().instantiate(store, load(engine, "strings"));
    if (!i) std::abort();
    inst = *i;
  }
};


void BM_ComponentCallAdd(benchmark::State& state) {
  StringsInstance s;
  rill::ComponentFunc add = *s.inst.func("add");
  for (auto _ : state) {
    auto r = add.call({rill::Value::u32(1), rill::Value::u32(2)});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ComponentCallAdd);

/// The same add as a core export, untyped (vector of Val), for comparison.
void BM_CoreCallAddUntyped(benchmark::State& state) {
  static const uint8_t wasm[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60,
                                 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01,
                                 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20,
                                 0x00, 0x20, 0x01, 0x6a, 0x0b};
  rill::Engine engine;
  rill::Store store(engine);
  auto m = rill::Module::compile(engine, wasm);
  auto inst = rill::Instance::create(store, *m, {});
  rill::Func add = *inst->func("add");
  rill::Val args[2] = {rill::Val::from_i32(1), rill::Val::from_i32(2)};
  for (auto _ : state) {
    auto r = add.call(args);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_CoreCallAddUntyped);

/// echo(s: string) -> string: the string is lowered into guest memory (realloc) and lifted back.
void BM_ComponentEchoString(benchmark::State& state) {
  StringsInstance s;
  rill::ComponentFunc echo = *s.inst.func("echo");
  const std::vector<rill::Value> args{rill::Value::string(std::string(static_cast<size_t>(state.range(0)), 'a'))};
  if (!call_loop(state, echo, args)) return;
  // Bytes lowered plus bytes lifted.
  state.SetBytesProcessed(state.iterations() * state.range(0) * 2);
}
BENCHMARK(BM_ComponentEchoString)->Arg(16)->Arg(1024)->Arg(1 << 20);

/// sum(xs: list<u32>) -> u32: lowering a list of {n} elements.
void BM_ComponentSumList(benchmark::State& state) {
  StringsInstance s;
  rill::ComponentFunc sum = *s.inst.func("sum");
  std::vector<rill::Value> items;
  for (int64_t i = 0; i < state.range(0); ++i) items.push_back(rill::Value::u32(static_cast<uint32_t>(i)));
  const std::vector<rill::Value> args{rill::Value::list(std::move(items))};
  if (!call_loop(state, sum, args)) return;
  state.SetBytesProcessed(state.iterations() * state.range(0) * 4);
}
BENCHMARK(BM_ComponentSumList)->Arg(16)->Arg(1024)->Arg(1 << 18);

/// The same list given packed (what typed bindings and lifting produce): one memcpy into the
/// guest instead of one Value per element. Compare with BM_ComponentSumList in the same run.
void BM_ComponentSumListPacked(benchmark::State& state) {
  StringsInstance s;
  rill::ComponentFunc sum = *s.inst.func("sum");
  std::vector<uint32_t> xs;
  for (int64_t i = 0; i < state.range(0); ++i) xs.push_back(static_cast<uint32_t>(i));
  const std::vector<rill::Value> args{rill::ToValue<std::vector<uint32_t>>::make(xs)};
  if (!call_loop(state, sum, args)) return;
  state.SetBytesProcessed(state.iterations() * state.range(0) * 4);
}
BENCHMARK(BM_ComponentSumListPacked)->Arg(16)->Arg(1024)->Arg(1 << 18);

/// A guest handing the host a list<u8> of {n} bytes (tests/component/wat/hostile_lists.wat,
/// `bytes(n)` -> the import sink-bytes): lifting it is one packed buffer.
void BM_ComponentBytesToHost(benchmark::State& state) {
  rill::Engine engine;
  rill::Store store(engine);
  rill::Component c = load(engine, "hostile_lists");
  rill::ComponentLinker linker;
  auto sink = [](std::span<const rill::Value> a, std::vector<rill::Value>& r) -> std::optional<rill::Trap> {
    r.push_back(rill::Value::u64(a[0].byte_view().size()));
    return std::nullopt;
  };
  linker.root().func_new("sink-bytes", sink).func_new("sink-strings", sink)
      .func_new("sink-pairs", sink).func_new("sink-floats", sink);
  auto inst = linker.instantiate(store, c);
  if (!inst) {
    state.SkipWithError(inst.error().message.c_str());
    return;
  }
  rill::ComponentFunc bytes = *inst->func("bytes");
  const std::vector<rill::Value> args{rill::Value::u32(static_cast<uint32_t>(state.range(0)))};
  if (!call_loop(state, bytes, args)) return;
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ComponentBytesToHost)->Arg(1024)->Arg(64 << 10)->Arg(1 << 20);

/// reverse(xs: list<u32>) -> list<u32> through typed bindings (std::vector<uint32_t>).
void BM_ComponentReverseListTyped(benchmark::State& state) {
  StringsInstance s;
  rill::ComponentFunc rev = *s.inst.func("reverse");
  std::vector<uint32_t> xs(static_cast<size_t>(state.range(0)), 7);
  for (auto _ : state) {
    auto r = rev.call_typed<std::vector<uint32_t>>(xs);
    if (!r) {
      state.SkipWithError(r.trap().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0) * 8);
}
BENCHMARK(BM_ComponentReverseListTyped)->Arg(16)->Arg(1024)->Arg(1 << 18);

}  // namespace

BENCHMARK_MAIN();
