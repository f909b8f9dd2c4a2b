// loop_wait (event_loop.h) on this thread's boost::asio::io_context: each descriptor is
// assigned to an asio posix::descriptor for an async_wait, the deadline is a steady_timer
// (CLOCK_MONOTONIC, as wasi:clocks/monotonic-clock), and run_one sleeps in the reactor until the
// first completes. The other waits are then cancelled and drained, and the descriptors released
// (they belong to the caller's pollables and streams, not to asio).
#include "rill/wasi/p2/event_loop.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <vector>

namespace rill::wasi::p2 {

uint64_t monotonic_now_ns();  // poll.cpp

namespace {

namespace asio = boost::asio;

asio::io_context& thread_io() {
  thread_local asio::io_context io(1);
  return io;
}

}  // namespace

void loop_wait(std::span<const pollfd> fds, uint64_t deadline_ns) {
  asio::io_context& io = thread_io();
  io.restart();
  bool done = false;
  auto wake = [&done](const boost::system::error_code& ec) {
    if (ec != asio::error::operation_aborted)
      done = true;
  };
  // One asio descriptor per fd (the reactor refuses the same fd twice), its events merged.
  std::map<int, short> wanted;
  for (const pollfd& p : fds)
    wanted[p.fd] |= p.events;
  std::vector<std::unique_ptr<asio::posix::stream_descriptor>> watched;
  for (const auto& [fd, events] : wanted) {
    auto d = std::make_unique<asio::posix::stream_descriptor>(io);
    boost::system::error_code ec;
    d->assign(fd, ec);
    if (ec) {
      done = true;  // epoll cannot watch it (a regular file is always ready): nothing to wait for
      continue;
    }
    if (events & POLLIN)
      d->async_wait(asio::posix::descriptor_base::wait_read, wake);
    if (events & POLLOUT)
      d->async_wait(asio::posix::descriptor_base::wait_write, wake);
    if (!(events & (POLLIN | POLLOUT)))
      d->async_wait(asio::posix::descriptor_base::wait_error, wake);
    watched.push_back(std::move(d));
  }
  // The timer is armed even without a deadline: a wait with nothing to end it (no fds, a
  // deadline at the end of time) must sleep, not return at once to a caller that loops.
  // Far deadlines sleep in steps of a day; the caller re-checks and waits again.
  constexpr uint64_t kMaxStepNs = 24ull * 3600 * 1000000000;
  const uint64_t now = monotonic_now_ns();
  if (deadline_ns != UINT64_MAX && deadline_ns <= now)
    done = true;
  const uint64_t wait_ns =
      deadline_ns == UINT64_MAX ? kMaxStepNs : std::min(deadline_ns > now ? deadline_ns - now : 0, kMaxStepNs);
  asio::steady_timer timer(io);
  timer.expires_after(std::chrono::nanoseconds(static_cast<int64_t>(wait_ns)));
  timer.async_wait(wake);
  while (!done) {
    if (io.run_one() == 0)
      break;  // cannot happen while the timer is armed
  }
  timer.cancel();
  for (auto& d : watched) {
    boost::system::error_code ec;
    d->cancel(ec);
  }
  io.restart();
  io.poll();  // the cancelled handlers
  for (auto& d : watched)
    (void)d->release();  // deregisters without closing: the fd is the caller's
}

}  // namespace rill::wasi::p2
