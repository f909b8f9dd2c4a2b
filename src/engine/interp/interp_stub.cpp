// TEMPORARY link stubs for the interpreter entry points; deleted when engine/interp lands.
#include "rill/engine/interp/interp.h"

namespace rill::engine {
struct CompiledFunc {};
struct ExecState {};
}  // namespace rill::engine

namespace rill::engine::interp {

Result<std::unique_ptr<CompiledFunc>> compile_function(const wasm::ModuleContext&, uint32_t) {
  return unexpected("interpreter not built yet");
}

std::optional<Trap> execute(Store&, Function*, Slot*) { return Trap::host("interpreter not built yet"); }

std::unique_ptr<ExecState, void (*)(ExecState*)> make_exec_state(const Config&) {
  return {new ExecState, [](ExecState* s) { delete s; }};
}

}  // namespace rill::engine::interp
