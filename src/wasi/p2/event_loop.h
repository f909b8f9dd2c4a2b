// The waits of WASI 0.2's blocking operations: wasi:io/poll.poll and pollable.block, blocking
// stream reads and writes on sockets and HTTP bodies. They sleep in the thread's reactor
// (engine/reactor.h, Boost.Asio): on the thread's stack for `rill run`, suspending the guest's
// fiber under `rill serve`, so other requests run meanwhile. Nothing spins.
#pragma once

#include <poll.h>

#include <cstdint>
#include <span>

#include "rill/engine/reactor.h"

namespace rill::wasi::p2 {

/// Blocks until one of {fds} is ready for its events (POLLIN / POLLOUT; a descriptor the
/// reactor cannot watch, such as a regular file, counts as ready at once), one of {sources} may
/// be, or the monotonic clock reaches {deadline_ns} (UINT64_MAX: no deadline). Does not report
/// which: callers re-check readiness. Returns at once when the deadline has passed; a wait with
/// no fds and no deadline sleeps (in steps of a day), it never spins. False when the calling
/// store's Context was cancelled (Context::Impl::cancel): the caller returns to the guest at
/// once (which then traps on its epoch deadline) instead of waiting again.
[[nodiscard]] bool loop_wait(std::span<const pollfd> fds, uint64_t deadline_ns,
                             std::span<engine::WaitSource* const> sources = {});

/// Blocks until {fd} is ready for {events}; false when cancelled.
[[nodiscard]] inline bool loop_wait_fd(int fd, short events) {
  const pollfd p{fd, events, 0};
  return loop_wait(std::span<const pollfd>(&p, 1), UINT64_MAX);
}

}  // namespace rill::wasi::p2
