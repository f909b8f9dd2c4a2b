// The canon built-ins beyond lift/lower and resources, one file per concept:
// canon_task.cpp (task.*, context.*, backpressure.*, waitable-set.*, waitable.join, subtask.*,
// thread.*, error-context.*) and canon_stream.cpp (stream.*, future.*).
#pragma once

#include "rill/component/component.h"
#include "rill/component/rt/linker.h"

namespace rill::component::rt {

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
