// The canon built-ins beyond lift/lower and resources, one file per concept:
// canon_task.cpp (task.*, context.*, backpressure.*, waitable-set.*, waitable.join, subtask.*,
// thread.*, error-context.*) and canon_stream.cpp (stream.*, future.*).
#pragma once

#include "rill/component/component.h"
#include "rill/component/rt/linker.h"

namespace rill::component::rt {

struct Thread;

/// The canonopts of a definition resolved in {s} (instantiate.cpp; an Error for a bad index).
Result<CanonOpts> resolve_opts(const std::vector<CanonOpt>& opts, ScopeRt& s, uint64_t offset);

using BuiltinArgs = std::span<const engine::Value>;
using BuiltinResults = std::span<engine::Value>;
using BuiltinBody = std::function<MaybeTrap(ComponentInstanceRt* inst, Thread* self, BuiltinArgs a, BuiltinResults r)>;
/// Pushes a built-in of signature {sig} onto {s.core_funcs}, running {body} with the current
/// thread. It traps when the instance may not leave, unless not {check_leave} (context.*,
/// backpressure.*), and when no task is current.
void push_builtin(ScopeRt& s, engine::Store& store, wasm::FuncType sig, BuiltinBody body, bool check_leave = true);
inline engine::Value builtin_u32(uint32_t v) { return engine::Value::from_i32(v); }

/// Pushes the core function of built-in {c} onto {s.core_funcs}. False when {c} is not one of
/// this file's built-ins; an Error for a malformed definition.
Result<bool> make_task_builtin(const Canon& c, ScopeRt& s, engine::Store& store, uint64_t offset);
Result<bool> make_stream_builtin(const Canon& c, ScopeRt& s, engine::Store& store, uint64_t offset);

/// Makes a thread of a task current while {inst}'s core start functions run outside any call,
/// so the built-ins they call have a current task (a sync one: blocking traps).
class StartScope {
 public:
  explicit StartScope(ComponentInstanceRt* inst);
  ~StartScope();
  StartScope(const StartScope&) = delete;
  StartScope& operator=(const StartScope&) = delete;

 private:
  struct State;
  std::unique_ptr<State> st_;
};

}  // namespace rill::component::rt
