// fuzz_instantiate_run: compile arbitrary bytes through the public API; if valid, instantiate with
// stub imports (zero-returning functions, fresh memories/tables/globals) and call every exported
// function with zero arguments. A background thread advances the epoch every millisecond and each
// call gets a deadline of a few ticks, so infinite loops end; memories are capped at 16 MiB.
#include <chrono>
#include <cstdint>
#include <span>
#include <thread>
#include <vector>

#include "rill/rill.h"

namespace {

/// Epoch ticks a start function or export call may run (about this many milliseconds).
constexpr uint64_t kDeadlineTicks = 20;
/// Cap on any linear memory (256 pages = 16 MiB) so growth loops stay under the RSS limit.
constexpr uint64_t kMaxMemoryPages = 256;

rill::Engine& fuzz_engine() {
  static rill::Engine* engine = [] {
    rill::Config config;
    config.max_memory_pages = kMaxMemoryPages;
    auto* e = new rill::Engine(config);  // never destroyed: the ticker thread outlives main
    std::thread([e] {
      for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        e->increment_epoch();
      }
    }).detach();
    return e;
  }();
  return *engine;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rill::Engine& engine = fuzz_engine();
  auto module = rill::Module::compile(engine, std::span<const uint8_t>(data, size));
  if (!module)
    return 0;
  rill::Store store(engine);
  rill::Linker linker;
  if (!linker.define_stubs(store, *module))
    return 0;
  store.set_epoch_deadline(kDeadlineTicks);  // the start function may loop too
  auto instance = linker.instantiate(store, *module);
  if (!instance)
    return 0;
  for (const rill::ExportType& e : instance->exports()) {
    if (e.kind != rill::ExternKind::Func)
      continue;
    auto func = instance->func(e.name);
    if (!func)
      continue;
    std::vector<rill::Val> args;
    for (rill::ValType t : func->type().params)
      args.push_back(rill::Val::zero(t));
    store.set_epoch_deadline(kDeadlineTicks);
    auto result = func->call(args);
    (void)result;  // traps are expected outcomes
  }
  return 0;
}
