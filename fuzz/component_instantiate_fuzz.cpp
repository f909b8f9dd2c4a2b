// fuzz_component_instantiate: compiles arbitrary bytes as a component, instantiates what
// validates with made-up imports (stub_missing: functions return zero values, resources are
// fresh host resources), and calls every exported function with zero values of its parameter
// types. Traps and link errors are fine; a crash, a sanitizer report or a hang is a bug. A
// background thread advances the epoch so looping guests are interrupted.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "rill/component/rt/linker.h"

namespace {

namespace crt = rill::component::rt;

constexpr uint64_t kDeadlineTicks = 20;  // ~20 ms per call

rill::engine::Engine& engine() {
  static auto* e = [] {
    auto* eng = new rill::engine::Engine();
    std::thread([eng] {
      for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        eng->increment_epoch();
      }
    }).detach();
    return eng;
  }();
  return *e;
}

void call_exports(const crt::InstanceRt& inst, int depth) {
  for (const auto& [name, item] : inst.exports) {
    if (const auto* f = std::get_if<crt::FuncPtr>(&item)) {
      std::vector<rill::Value> args;
      for (const auto& p : (*f)->type->params) args.push_back(crt::zero_value_of(*p));
      std::vector<rill::Value> results;
      (void)crt::call_from_host(*f, args, results);
    } else if (const auto* i = std::get_if<std::shared_ptr<crt::InstanceRt>>(&item); i && depth < 4) {
      call_exports(**i, depth + 1);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto compiled = crt::compile_component(engine(), std::span<const uint8_t>(data, size));
  if (!compiled) {
    if (compiled.error().message.empty()) {
      std::fprintf(stderr, "fuzz_component_instantiate: empty error message\n");
      std::abort();
    }
    return 0;
  }
  rill::engine::Store store(engine());
  store.set_epoch_deadline(kDeadlineTicks);
  std::unique_ptr<crt::ComponentInstanceRt> root;
  crt::MaybeTrap trap;
  auto inst = crt::instantiate(store, *compiled, crt::ImportMap{}, root, trap, /*stub_missing=*/true);
  if (!inst) return 0;
  store.set_epoch_deadline(kDeadlineTicks);
  call_exports(**inst, 0);
  return 0;
}
