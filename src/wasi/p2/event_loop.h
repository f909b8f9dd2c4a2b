// The event loop WASI 0.2's blocking operations wait in (Boost.Asio): wasi:io/poll.poll and
// pollable.block, blocking stream reads and writes on sockets. One io_context per thread, shared
// by every Context whose guest runs on that thread, so a wait registers its descriptors and
// deadline with the loop's reactor (epoll) and sleeps there; nothing spins.
#pragma once

#include <poll.h>

#include <cstdint>
#include <span>

namespace rill::wasi::p2 {

/// Blocks until one of {fds} is ready for its events (POLLIN / POLLOUT; a descriptor the
/// reactor cannot watch, such as a regular file, counts as ready at once) or the monotonic
/// clock reaches {deadline_ns} (UINT64_MAX: no deadline). Does not report which: callers
/// re-check readiness with a zero-timeout poll(2). Returns at once when the deadline has
/// passed; a wait with no fds and no deadline sleeps (in steps of a day), it never spins.
void loop_wait(std::span<const pollfd> fds, uint64_t deadline_ns);

/// Blocks until {fd} is ready for {events}.
inline void loop_wait_fd(int fd, short events) {
  const pollfd p{fd, events, 0};
  loop_wait(std::span<const pollfd>(&p, 1), UINT64_MAX);
}

}  // namespace rill::wasi::p2
