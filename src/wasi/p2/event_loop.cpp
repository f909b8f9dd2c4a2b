// loop_wait (event_loop.h): engine::reactor_wait with the calling store's cancellation event.
#include "rill/wasi/p2/event_loop.h"

#include "rill/wasi/p2/context.h"

namespace rill::wasi::p2 {

bool loop_wait(std::span<const pollfd> fds, uint64_t deadline_ns,
               std::span<engine::WaitSource* const> sources) {
  // Store data is a Context when the embedder set one (rill serve); `rill run` sets none.
  auto* ctx = static_cast<Context*>(Store::caller_data());
  engine::Event* cancel = ctx ? ctx->impl().cancel.get() : nullptr;
  return engine::reactor_wait(fds, deadline_ns, sources, cancel);
}

}  // namespace rill::wasi::p2
