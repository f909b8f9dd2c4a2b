// The per-thread reactor host waits sleep in: one Boost.Asio io_context per thread (epoll), and
// reactor_wait, which waits for descriptors, a monotonic deadline and in-process wait sources.
// On the thread's own stack it runs the io_context until the wait is over (what `rill run` does);
// on a fiber (engine/fiber.h) it suspends the fiber instead, so whoever runs the io_context (the
// HTTP server in src/host, one per thread) runs other connections meanwhile and the fiber is
// resumed, from a posted handler and never nested in another fiber, once the wait is over.
// The WASI bindings (src/wasi/p2/event_loop.h) and the server build on this; nothing here knows
// about either. No Asio in this header: boost::asio::io_context is only forward-declared.
#pragma once

#include <poll.h>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace rill::engine {

class Fiber;

/// This thread's io_context (created on first use, lives as long as the thread).
boost::asio::io_context& thread_io_context();

/// The shared state of one wait: wake() ends it (once; later calls do nothing). Wait sources keep
/// the wakers of the waits they are armed for and call them when they may have become ready.
class Waker {
 public:
  void wake();
  bool woken() const { return woken_; }

 private:
  friend struct WaitRun;
  bool woken_ = false;
  Fiber* fiber_ = nullptr;  ///< the suspended fiber to resume (null: the thread waits)
};
using WakerPtr = std::shared_ptr<Waker>;

/// Something in-process a wait can wait for, besides descriptors and a deadline (an HTTP body
/// that received bytes, an output queue that drained, a cancelled request).
class WaitSource {
 public:
  virtual ~WaitSource() = default;
  /// Whether a wait on it would end now.
  virtual bool ready() const = 0;
  /// Registers {w} to be woken when it may have become ready; may start the I/O that makes it
  /// so (e.g. a socket read). Spurious wakes are allowed: the waiter re-checks.
  virtual void arm(const WakerPtr& w) = 0;
};

/// A WaitSource that is a flag: ready while set. set() wakes every armed wait.
class Event final : public WaitSource {
 public:
  bool ready() const override { return set_; }
  void arm(const WakerPtr& w) override { waiters_.push_back(w); }
  /// Sets the flag and wakes the waits armed on it.
  void set();
  /// Clears the flag (waits armed later sleep again).
  void reset() { set_ = false; }
  /// Wakes the armed waits without setting the flag (their owners re-check their own state).
  void notify();

 private:
  bool set_ = false;
  std::vector<WakerPtr> waiters_;
};

/// Waits until one of {fds} is ready for its events (POLLIN / POLLOUT; a descriptor epoll cannot
/// watch, such as a regular file, counts as ready at once), one of {sources} may be ready, or
/// the monotonic clock reaches {deadline_ns} (UINT64_MAX: none). Does not report which: callers
/// re-check. Returns at once when the deadline has passed or a source is ready. A wait with
/// nothing to end it sleeps (in steps of a day), it never spins. With {cancel} set (it is checked
/// first, and armed like a source), returns false at once or as soon as it is set; else true.
bool reactor_wait(std::span<const pollfd> fds, uint64_t deadline_ns,
                  std::span<WaitSource* const> sources = {}, Event* cancel = nullptr);

/// Marks {f} as a fiber this thread's io_context drives (the HTTP server's request fibers): a
/// reactor_wait on it suspends it and a posted handler resumes it. A wait on any other fiber
/// (the component scheduler's, which resumes its own) blocks the thread in the io_context as
/// on the thread's stack. Unmark before destroying the fiber.
void set_reactor_driven(Fiber* f, bool driven);

/// CLOCK_MONOTONIC in nanoseconds.
uint64_t monotonic_ns();

}  // namespace rill::engine
