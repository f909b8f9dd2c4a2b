// Internal interface between the dispatch loop (interpreter.cpp) and its entry/exit code
// (execute.cpp): run() and its result codes, and the out-of-line host call used by both.
#pragma once

#include <cstdint>

#include "rill/engine/interp/compiled.h"
#include "rill/engine/interp/exec_state.h"
#include "rill/engine/runtime.h"

namespace rill::engine::interp {

/// run() result: 0 = the entry function returned; kTrapBase + TrapKind = a wasm trap;
/// kHostTrap = a host function trapped (ExecState::pending_trap holds its Trap).
inline constexpr int kTrapBase = 1;
inline constexpr int kHostTrap = 1000;

/// Runs translated code from {ip} with frame {fp} until the sentinel frame pushed by execute()
/// is returned to. With {table_out} set, only stores the handler table there and returns.
int run(ExecState* es, const Cell* ip, Slot* fp, Instance* inst, const void* const** table_out);

/// Calls host function {fn} with arguments in {args} (slot layout) and writes its results there.
/// {caller} is the calling instance (null from the embedder). On a trap stores it in
/// {es.pending_trap} and returns false. Never inlined: it owns C++ objects with destructors,
/// which must not live in run()'s frame across a fault's siglongjmp.
bool call_host(ExecState& es, Function* fn, Slot* args, Instance* caller);

/// The translated code of {fn}, which runs a LazyCompile placeholder: translates it (once per
/// module function), points {fn} at it and returns it; on failure stores a Trap in
/// {es.pending_trap} and returns null. Never inlined, like call_host.
const CompiledFunc* lazy_translate(ExecState& es, Function* fn);

/// The cell whose handler leaves run() (the return address of execute()'s sentinel frame).
const Cell* exit_cell();

}  // namespace rill::engine::interp
