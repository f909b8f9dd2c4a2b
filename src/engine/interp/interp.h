// The interpreter tier's entry points: translate validated code once, execute it many times.
// The code format (CompiledFunc, engine/interp/compiled.h) belongs to engine/interp; the runtime
// only stores pointers to it.
// A later JIT tier provides the same two entry points.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "rill/base/result.h"
#include "rill/engine/engine.h"
#include "rill/engine/interp/compiled.h"
#include "rill/engine/runtime.h"
#include "rill/engine/store.h"
#include "rill/engine/value.h"
#include "rill/wasm/validator.h"

namespace rill::engine::interp {

/// Validate and translate defined function {defined_index} of {ctx.module} in one pass. With
/// {validated}, the caller has validated the module in full (wasm::validate_module) and the
/// validator is not run again: only translation.
Result<std::unique_ptr<CompiledFunc>> compile_function(const wasm::ModuleContext& ctx, uint32_t defined_index,
                                                       bool validated = false);

/// Execute {fn} (wasm or host). Arguments are read from {slots} (each param at its slot offset,
/// v128 taking two) and results are written back to {slots} from offset 0.
/// {slots} must hold max(param slots, result slots).
[[nodiscard]] std::optional<Trap> execute(Store& store, Function* fn, Slot* slots);

/// Per-store interpreter state (value stack, frame stack).
std::unique_ptr<ExecState, void (*)(ExecState*)> make_exec_state(const Config& config);

}  // namespace rill::engine::interp
