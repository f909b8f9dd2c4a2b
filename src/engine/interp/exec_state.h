// ExecState: everything a running wasm computation owns besides its native registers: the value
// stack (frames of 8-byte slots), the explicit frame stack of wasm calls, and the bookkeeping that
// lets a trap or a memory fault build a backtrace. Wasm-to-wasm calls never recurse natively.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "rill/engine/interp/compiled.h"
#include "rill/engine/runtime.h"
#include "rill/engine/trap.h"
#include "rill/engine/value.h"

namespace rill::engine {

class Fiber;

/// What a wasm call pushes: where to continue in the caller, the caller's context, and the
/// function called (so the running function is frames_top[-1].func, with no separate register).
/// execute() pushes a sentinel record whose return address exits run().
/// Trivial on purpose: the frame array is allocated uninitialised (untouched pages stay free).
struct FrameRecord {
  const Cell* ret_ip;
  Slot* fp;
  Function* func;   ///< the function called (running above this record; for backtraces)
  Instance* inst;   ///< the caller's instance (cross-instance calls switch back)
};

struct ExecState {
  std::unique_ptr<Slot[]> stack;       ///< value stack
  Slot* stack_end = nullptr;           ///< one past the last usable slot
  Slot* stack_top = nullptr;           ///< first free slot for a nested execute()
  std::unique_ptr<FrameRecord[]> frames;
  FrameRecord* frames_end = nullptr;   ///< a call that would push here is StackExhausted
  FrameRecord* frames_top = nullptr;   ///< next free record (kept current at calls and returns)
  uint32_t reentry = 0;                ///< nesting of execute() on this state
  uint32_t max_reentry = 0;
  Store* store = nullptr;              ///< set by execute()
  const std::atomic<uint64_t>* epoch = nullptr;
  uint64_t deadline = UINT64_MAX;
  std::optional<Trap> pending_trap;    ///< a host function's trap, returned by execute()
  Fiber* fiber = nullptr;              ///< the fiber it is leased to (null: the store's own)
  uint32_t active = 0;                 ///< entries (execute, direct host calls) using it now
};

}  // namespace rill::engine
