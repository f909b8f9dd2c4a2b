// Instance export lookup and the host-visible Caller.
#include "rill/engine/engine.h"
#include "rill/engine/runtime.h"

namespace rill::engine {

std::optional<Extern> Instance::get_export(std::string_view name) const {
  if (module == nullptr) return std::nullopt;
  for (const wasm::Export& e : module->exports) {
    if (e.name != name) continue;
    switch (e.kind) {
      case wasm::ExternKind::Func:
        if (e.index < funcs.size()) return Extern{funcs[e.index]};
        return std::nullopt;
      case wasm::ExternKind::Table:
        if (e.index < tables.size()) return Extern{tables[e.index]};
        return std::nullopt;
      case wasm::ExternKind::Memory:
        if (e.index < memories.size()) return Extern{memories[e.index]};
        return std::nullopt;
      case wasm::ExternKind::Global:
        if (e.index < globals.size()) return Extern{globals[e.index]};
        return std::nullopt;
      case wasm::ExternKind::Tag: return std::nullopt;
    }
  }
  return std::nullopt;
}

Memory* Caller::memory(uint32_t idx) const {
  if (instance == nullptr || idx >= instance->memories.size()) return nullptr;
  return instance->memories[idx];
}

}  // namespace rill::engine
